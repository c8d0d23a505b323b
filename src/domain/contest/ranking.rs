//! Ranking a contest's entries: each entry's result from its judges' scores by the
//! contest's `Method`, its place, and ties; and the "award by rank" helper.
//!
//! The result is the mean in hundredths of a point, rounded half up (最后得分保留两位小数);
//! entries with the same result share a place and the next place is skipped (1, 2, 2, 4 —
//! competition ranking, as contest results lists write 并列第2名). With typed ranks, equal
//! ranks are ties too. An entry without scores (or without a typed rank) has no place.

use super::{Award, Method, TRIM_FROM_JUDGES};

/// One entry as ranking sees it: its judges' scores in tenths and its typed rank.
#[derive(Debug, Clone, Default)]
pub struct Scored {
    pub scores: Vec<i32>,
    pub typed_rank: Option<i32>,
}

/// An entry's standing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Placed {
    /// The result in hundredths of a point; none with typed ranks or without scores.
    pub result: Option<i64>,
    /// 1 for the first; none when the entry has no result or rank yet.
    pub place: Option<i32>,
    /// Another entry shares the place.
    pub tied: bool,
    /// The judges' scores left out of the mean (the highest and the lowest).
    pub trimmed: bool,
}

/// The result of one entry's scores by `method`, in hundredths, and whether the highest and
/// lowest were left out; none without scores or with typed ranks.
pub fn result(method: Method, scores: &[i32]) -> Option<(i64, bool)> {
    if scores.is_empty() || !method.scores() {
        return None;
    }
    let mut sorted: Vec<i64> = scores.iter().map(|s| i64::from(*s)).collect();
    sorted.sort_unstable();
    let trim = method == Method::TrimmedMean && sorted.len() >= TRIM_FROM_JUDGES;
    let kept = if trim {
        &sorted[1..sorted.len() - 1]
    } else {
        &sorted[..]
    };
    let n = kept.len() as i64;
    let sum_hundredths: i64 = kept.iter().sum::<i64>() * 10;
    Some(((2 * sum_hundredths + n) / (2 * n), trim))
}

/// Every entry's standing by `method`, in the order given.
pub fn rank(method: Method, entries: &[Scored]) -> Vec<Placed> {
    if method.scores() {
        let results: Vec<Option<(i64, bool)>> =
            entries.iter().map(|e| result(method, &e.scores)).collect();
        results
            .iter()
            .map(|r| match r {
                None => Placed::default(),
                Some((value, trimmed)) => {
                    let above = results.iter().flatten().filter(|(v, _)| v > value).count();
                    let same = results.iter().flatten().filter(|(v, _)| v == value).count();
                    Placed {
                        result: Some(*value),
                        place: Some(above as i32 + 1),
                        tied: same > 1,
                        trimmed: *trimmed,
                    }
                }
            })
            .collect()
    } else {
        entries
            .iter()
            .map(|e| Placed {
                result: None,
                place: e.typed_rank,
                tied: e.typed_rank.is_some()
                    && entries
                        .iter()
                        .filter(|o| o.typed_rank == e.typed_rank)
                        .count()
                        > 1,
                trimmed: false,
            })
            .collect()
    }
}

/// How many entries get each award when awarding by rank.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AwardCounts {
    pub first: i32,
    pub second: i32,
    pub third: i32,
    pub excellent: i32,
}

impl AwardCounts {
    /// The most entries one award may be given to by the helper.
    pub const MAX: i32 = 999;
}

/// Awards by place: places 1..=first get 一等奖, the next `second` places 二等奖, and so on;
/// entries without a place get none. Entries tied on a place get the same award, so a tie
/// on the boundary gives one award more than asked rather than splitting the tie.
pub fn award_by_rank(placed: &[Placed], counts: AwardCounts) -> Vec<Option<Award>> {
    let bounds = [
        (counts.first, Award::First),
        (counts.first + counts.second, Award::Second),
        (counts.first + counts.second + counts.third, Award::Third),
        (
            counts.first + counts.second + counts.third + counts.excellent,
            Award::Excellent,
        ),
    ];
    placed
        .iter()
        .map(|p| {
            let place = p.place?;
            bounds
                .iter()
                .find(|(last, _)| place <= *last)
                .map(|(_, award)| *award)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scored(scores: &[i32]) -> Scored {
        Scored {
            scores: scores.to_vec(),
            typed_rank: None,
        }
    }

    #[test]
    fn the_mean_is_rounded_half_up_to_hundredths() {
        assert_eq!(result(Method::Mean, &[900, 850, 880]), Some((8767, false)));
        assert_eq!(result(Method::Mean, &[875, 876]), Some((8755, false)));
        assert_eq!(result(Method::Mean, &[]), None);
        assert_eq!(result(Method::Rank, &[900]), None);
    }

    #[test]
    fn five_judges_or_more_drop_the_highest_and_the_lowest() {
        // 99, 60 dropped: (85 + 86 + 87) / 3 = 86.
        let scores = [990, 850, 860, 870, 600];
        assert_eq!(result(Method::TrimmedMean, &scores), Some((8600, true)));
        assert_eq!(result(Method::Mean, &scores), Some((8340, false)));
        // Four judges: the plain mean.
        assert_eq!(
            result(Method::TrimmedMean, &[990, 850, 860, 600]),
            Some((8250, false))
        );
    }

    #[test]
    fn equal_results_share_a_place_and_the_next_is_skipped() {
        let entries = [
            scored(&[900]),
            scored(&[950]),
            scored(&[900]),
            scored(&[]),
            scored(&[800]),
        ];
        let places: Vec<(Option<i32>, bool)> = rank(Method::Mean, &entries)
            .iter()
            .map(|p| (p.place, p.tied))
            .collect();
        assert_eq!(
            places,
            [
                (Some(2), true),
                (Some(1), false),
                (Some(2), true),
                (None, false),
                (Some(4), false)
            ]
        );
    }

    #[test]
    fn typed_ranks_are_used_as_they_are_with_ties_shown() {
        let entries = [
            Scored {
                scores: vec![1000],
                typed_rank: Some(2),
            },
            Scored {
                scores: vec![],
                typed_rank: Some(1),
            },
            Scored {
                scores: vec![],
                typed_rank: Some(2),
            },
            Scored::default(),
        ];
        let placed = rank(Method::Rank, &entries);
        assert_eq!(placed[0].place, Some(2));
        assert!(placed[0].tied && placed[2].tied && !placed[1].tied);
        assert_eq!(placed[0].result, None);
        assert_eq!(placed[3].place, None);
    }

    #[test]
    fn awards_by_rank_follow_the_places_and_keep_ties_together() {
        let placed = rank(
            Method::Mean,
            &[
                scored(&[950]),
                scored(&[900]),
                scored(&[900]),
                scored(&[850]),
                scored(&[800]),
                scored(&[]),
            ],
        );
        let counts = AwardCounts {
            first: 1,
            second: 1,
            third: 1,
            excellent: 1,
        };
        assert_eq!(
            award_by_rank(&placed, counts),
            [
                Some(Award::First),
                Some(Award::Second),
                Some(Award::Second),
                Some(Award::Excellent),
                None,
                None
            ]
        );
        assert_eq!(
            award_by_rank(&placed, AwardCounts::default()),
            [None, None, None, None, None, None]
        );
    }
}
