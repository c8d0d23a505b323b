//! A contest's results as the results page, the printable list and the export show them:
//! every entry with its scores, result, place (ties marked) and award, ranked; and the
//! awards grouped, highest first, with 优秀组织奖's units last.

use serde::Serialize;
use sqlx::PgPool;

use crate::db::contest::{EntryRow, ScoreRow};
use crate::domain::contest::{self, Award, Method, Placed, Scored};
use crate::domain::ids::{ActivityId, UnitId};

/// One entry's line of the results.
#[derive(Debug, Clone, Serialize)]
pub struct ResultLine {
    pub entry: EntryRow,
    /// Its judges' scores, by judge.
    pub scores: Vec<ScoreRow>,
    #[serde(skip)]
    pub placed: Placed,
}

impl ResultLine {
    /// `第1名`, `并列第2名`, or `—` without a place.
    pub fn place_text(&self) -> String {
        match self.placed.place {
            Some(place) if self.placed.tied => format!("并列第{place}名"),
            Some(place) => format!("第{place}名"),
            None => "—".into(),
        }
    }

    /// The result in points (`87.25`), or empty.
    pub fn result_text(&self) -> String {
        self.placed
            .result
            .map(contest::points_text)
            .unwrap_or_default()
    }

    /// The judges' scores as `张评委 90、李评委 87.5`.
    pub fn scores_text(&self) -> String {
        self.scores
            .iter()
            .map(|s| format!("{} {}", s.judge, contest::score_text(s.score_tenths)))
            .collect::<Vec<_>>()
            .join("、")
    }

    pub fn award_label(&self) -> &'static str {
        self.entry.award.map(Award::label).unwrap_or("")
    }
}

/// A contest's results.
#[derive(Debug, Clone)]
pub struct Results {
    pub method: Method,
    /// Placed entries by place, then those without one, each group in entry order.
    pub lines: Vec<ResultLine>,
    /// The units given 优秀组织奖, by name.
    pub organizing: Vec<(UnitId, String)>,
}

/// One award with who received it: (entrant, title) — the title empty for 优秀组织奖.
pub struct AwardGroup {
    pub award: Award,
    pub winners: Vec<(String, String)>,
}

impl Results {
    /// The awards given, highest first, each with its winners in the results' order; awards
    /// nobody received are left out.
    pub fn by_award(&self) -> Vec<AwardGroup> {
        let mut groups: Vec<AwardGroup> = Award::FOR_ENTRY
            .iter()
            .map(|award| AwardGroup {
                award: *award,
                winners: self
                    .lines
                    .iter()
                    .filter(|l| l.entry.award == Some(*award))
                    .map(|l| (l.entry.entrant(), l.entry.title.clone()))
                    .collect(),
            })
            .collect();
        groups.push(AwardGroup {
            award: Award::Organizing,
            winners: self
                .organizing
                .iter()
                .map(|(_, name)| (name.clone(), String::new()))
                .collect(),
        });
        groups.retain(|g| !g.winners.is_empty());
        groups
    }

    /// How many entries have a place.
    pub fn placed(&self) -> usize {
        self.lines
            .iter()
            .filter(|l| l.placed.place.is_some())
            .count()
    }
}

/// The contest's results, ranked by its method.
pub async fn results(db: &PgPool, activity: ActivityId) -> sqlx::Result<Results> {
    let method = crate::db::contest::method(db, activity).await?;
    let entries = crate::db::contest::entries(db, activity).await?;
    let mut scores = crate::db::contest::scores(db, activity).await?;
    let organizing = crate::db::contest::organizing(db, activity).await?;
    let mut lines: Vec<ResultLine> = entries
        .into_iter()
        .map(|entry| {
            let own: Vec<ScoreRow>;
            (own, scores) = scores
                .drain(..)
                .partition(|s| s.contest_entry_id == entry.contest_entry_id);
            ResultLine {
                entry,
                scores: own,
                placed: Placed::default(),
            }
        })
        .collect();
    let scored: Vec<Scored> = lines
        .iter()
        .map(|l| Scored {
            scores: l.scores.iter().map(|s| s.score_tenths).collect(),
            typed_rank: l.entry.typed_rank,
        })
        .collect();
    for (line, placed) in lines.iter_mut().zip(contest::rank(method, &scored)) {
        line.placed = placed;
    }
    lines.sort_by_key(|l| (l.placed.place.unwrap_or(i32::MAX), l.entry.contest_entry_id));
    Ok(Results {
        method,
        lines,
        organizing,
    })
}
