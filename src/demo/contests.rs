//! The seed's two contests in the demo, recorded through the contest services a user's forms
//! call: the environmental video contest's entries (one video per enterprise taking part)
//! and the third 好声音's singers (a member of each unit taking part, by a name theirs alone
//! in the zone, with a well-known song). The seed gives neither titles, scores nor awards:
//! the titles are illustrative, the five judges' scores are computed from the entries'
//! positions (75.0–94.9, not anyone's real marks), and the awards follow from them by rank.

use crate::db::activity::ActivityRow;
use crate::domain::contest::{AwardCounts, Method};
use crate::domain::ids::UnitId;
use crate::services::contests::{self, Entrant};
use crate::state::AppState;

/// Which entries a seeded contest gets.
#[derive(Debug, Clone, Copy)]
pub enum Entries {
    /// One video per unit taking part.
    Videos,
    /// One singer per unit taking part.
    Singers,
}

const VIDEO_TITLES: [&str; 8] = [
    "守护蓝天",
    "戈壁上的绿色",
    "一滴水的旅程",
    "青春护绿",
    "我们的准东",
    "让垃圾回家",
    "节能在身边",
    "绿色工厂",
];

const SONGS: [&str; 10] = [
    "我和我的祖国",
    "歌唱祖国",
    "我爱你中国",
    "追梦赤子心",
    "在希望的田野上",
    "少年",
    "年轻的战场",
    "天路",
    "我的中国心",
    "光荣与梦想",
];

const JUDGES: [&str; 5] = ["评委一", "评委二", "评委三", "评委四", "评委五"];

/// Awards by rank: one first, two seconds, three thirds, the rest 优秀奖.
const BY_RANK: AwardCounts = AwardCounts {
    first: 1,
    second: 2,
    third: 3,
    excellent: 999,
};

/// Records the contest's entries, the judges' scores and the awards.
pub async fn load(
    state: &AppState,
    contest: &ActivityRow,
    units: &[UnitId],
    entries: Entries,
) -> anyhow::Result<()> {
    let actor = super::actor();
    let now = state.clock.now();
    let names: Vec<(UnitId, String)> =
        sqlx::query_as("select unit_id, name from unit where unit_id = any($1)")
            .bind(units)
            .fetch_all(&state.db)
            .await?;
    let name_of = |id: &UnitId| names.iter().find(|(u, _)| u == id).map(|(_, n)| n.clone());
    let mut recorded = Vec::new();
    for (i, unit) in units.iter().enumerate() {
        let Some(unit_name) = name_of(unit) else {
            continue;
        };
        let singer = match entries {
            Entries::Videos => None,
            Entries::Singers => match singer(state, *unit).await? {
                Some(name) => Some(name),
                None => continue,
            },
        };
        let (entrant, title) = match &singer {
            None => (
                Entrant::Unit(&unit_name),
                VIDEO_TITLES[i % VIDEO_TITLES.len()],
            ),
            Some(name) => (
                Entrant::Person {
                    name,
                    unit: &unit_name,
                },
                SONGS[i % SONGS.len()],
            ),
        };
        let id = contests::add_entry(&state.db, &actor, contest, &entrant, title, now).await?;
        recorded.push((id, *unit));
    }
    contests::set_method(&state.db, &actor, contest, Method::TrimmedMean, now).await?;
    for (position, (entry, unit)) in recorded.iter().enumerate() {
        for (j, judge) in JUDGES.iter().enumerate() {
            let spread = (unit.0 * 37 + j as i64 * 53 + position as i64 * 71).rem_euclid(200);
            let score = crate::domain::contest::score_text(750 + spread as i32);
            contests::record_score(&state.db, &actor, contest, *entry, judge, &score, now).await?;
        }
    }
    if !recorded.is_empty() {
        contests::award_by_rank(&state.db, &actor, contest, BY_RANK, now).await?;
    }
    if let Entries::Singers = entries {
        // 优秀组织奖 to the first two units taking part (departments and communities first).
        for unit in units.iter().take(2).filter_map(name_of) {
            contests::add_organizing(&state.db, &actor, contest, &unit, now).await?;
        }
    }
    Ok(())
}

/// A member of the unit whose name no one else in the zone has, or none.
async fn singer(state: &AppState, unit: UnitId) -> anyhow::Result<Option<String>> {
    Ok(sqlx::query_scalar(
        "select m.name from member m join organization o using (organization_id)
          where o.unit_id = $1 and m.state = 'active'
            and not exists (select 1 from member d where d.name = m.name and d.member_id <> m.member_id)
          order by m.member_id limit 1",
    )
    .bind(unit)
    .fetch_optional(&state.db)
    .await?)
}
