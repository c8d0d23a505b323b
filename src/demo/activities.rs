//! The seed's activities in the demo, entered through the services a user's forms call:
//! the rally's volunteer service on 9 June 2018 with volunteers from several enterprises,
//! the environmental video contest on 28 June with eight enterprises, and the third 好声音
//! singing contest with departments, communities and enterprises, the two contests with
//! their entries, scores and awards (`contests`). The units and people are
//! the demo's own (from the survey import and the demo rosters); nothing is counted here.

use chrono::NaiveDate;

use super::contests::Entries;
use crate::db::activity::Span;
use crate::domain::activity::{ActivityInput, Kind, State, UnitRole};
use crate::domain::ids::{OrganizationId, UnitId};
use crate::domain::participation::Role;
use crate::domain::role::Scope;
use crate::services::{activities, participation};
use crate::state::AppState;

/// One seed activity: what, when (local times), where, and which units take part.
struct Seeded {
    kind: Kind,
    title: &'static str,
    day: (i32, u32, u32),
    hours: ((u32, u32), (u32, u32)),
    place: &'static str,
    series: &'static str,
    edition: Option<i32>,
    description: &'static str,
    /// The units taking part: this many of the query's.
    units: (&'static str, i64),
    /// A contest's entries.
    entries: Option<Entries>,
}

/// Enterprises with an organisation and members, the most youth first.
const ENTERPRISES: &str = "select u.unit_id from unit u join survey_entry e using (unit_id)
     where u.kind = 'enterprise' and e.members > 0
       and exists (select 1 from organization o where o.unit_id = u.unit_id)
     group by u.unit_id order by max(e.youth) desc, u.unit_id limit $1";

/// Departments and communities with members, then enterprises, by name.
const EVERY_KIND: &str = "select unit_id from (
       (select u.unit_id, 0 as k, u.name from unit u join survey_entry e using (unit_id)
         where u.kind <> 'enterprise' and e.members > 0 order by u.name limit 5)
       union all
       (select u.unit_id, 1, u.name from unit u join survey_entry e using (unit_id)
         where u.kind = 'enterprise' and e.members > 0 order by e.youth desc limit 5)) t
     group by unit_id order by min(k), min(name) limit $1";

const SEEDED: [Seeded; 3] = [
    Seeded {
        kind: Kind::Volunteer,
        title: "青年环保行，助力环塔赛",
        day: (2018, 6, 9),
        hours: ((9, 0), (18, 30)),
        place: "环塔拉力赛准东赛段营地",
        series: "",
        edition: None,
        description: "保障2018年中国环塔（国际）拉力赛准东赛段顺利开赛，各企业青年志愿者清理赛事营地及周边环境卫生、宣传环保。",
        units: (ENTERPRISES, 5),
        entries: None,
    },
    Seeded {
        kind: Kind::Contest,
        title: "“美丽中国，青年先行者”环保宣传片大赛",
        day: (2018, 6, 28),
        hours: ((10, 0), (17, 0)),
        place: "开发区管委会",
        series: "",
        edition: None,
        description: "各企业青年原创环保宣传片，挖掘企业青年英才，提高青年员工环保意识。",
        units: (ENTERPRISES, 8),
        entries: Some(Entries::Videos),
    },
    Seeded {
        kind: Kind::Contest,
        title: "开发区迎新年暨第三届“好声音”歌唱比赛",
        day: (2018, 1, 12),
        hours: ((19, 0), (21, 30)),
        place: "开发区管委会新城礼堂",
        series: "好声音",
        edition: Some(3),
        description: "展现开发区各部门、社区、企业青年职工风采，丰富青年职工业余生活。",
        units: (EVERY_KIND, 10),
        entries: Some(Entries::Singers),
    },
];

/// Volunteers at the rally from each enterprise taking part, and the hours they served.
const VOLUNTEERS_PER_UNIT: i64 = 3;
const RALLY_HOURS: &str = "8";

/// Records the seed's activities once (when there are none).
pub async fn load(state: &AppState) -> anyhow::Result<()> {
    let any: bool = sqlx::query_scalar("select exists (select 1 from activity)")
        .fetch_one(&state.db)
        .await?;
    if any {
        return Ok(());
    }
    let committee: OrganizationId =
        sqlx::query_scalar("select organization_id from organization where kind = 'committee'")
            .fetch_one(&state.db)
            .await?;
    let actor = super::actor();
    let now = state.clock.now();
    let teams = super::teams::load(state).await?;
    for seed in &SEEDED {
        let day = NaiveDate::from_ymd_opt(seed.day.0, seed.day.1, seed.day.2)
            .ok_or_else(|| anyhow::anyhow!("a seed date"))?;
        let at = |(h, m): (u32, u32)| day.and_hms_opt(h, m, 0).unwrap_or_default();
        let input = ActivityInput {
            kind: seed.kind,
            title: seed.title.into(),
            starts_at: at(seed.hours.0),
            ends_at: at(seed.hours.1),
            place: seed.place.into(),
            series: seed.series.into(),
            edition: seed.edition,
            description: seed.description.into(),
            // The rally is the environmental team's.
            volunteer_team: teams
                .filter(|_| seed.kind == Kind::Volunteer)
                .map(|(environment, _)| environment),
        };
        let span = Span {
            starts_at: state.clock.instant_of(input.starts_at),
            ends_at: state.clock.instant_of(input.ends_at),
        };
        let id = activities::create(&state.db, &actor, &input, span, committee, now).await?;
        let units: Vec<UnitId> = sqlx::query_scalar(seed.units.0)
            .bind(seed.units.1)
            .fetch_all(&state.db)
            .await?;
        for unit in &units {
            activities::put_unit(&state.db, &actor, id, *unit, UnitRole::Participant, now).await?;
        }
        let row = crate::db::activity::get(&state.db, id, &Scope::Zone)
            .await?
            .ok_or_else(|| anyhow::anyhow!("the activity just recorded"))?;
        if seed.kind == Kind::Volunteer {
            volunteers(state, &row, &units).await?;
        }
        if let Some(entries) = seed.entries {
            super::contests::load(state, &row, &units, entries).await?;
        }
        activities::set_state(&state.db, &actor, &row, State::Done, now).await?;
    }
    Ok(())
}

/// The rally's volunteers: a few members of each enterprise's roster whose name is theirs
/// alone in the zone (so that adding by name finds them), all credited the same hours.
async fn volunteers(
    state: &AppState,
    rally: &crate::db::activity::ActivityRow,
    units: &[UnitId],
) -> anyhow::Result<()> {
    let actor = super::actor();
    let now = state.clock.now();
    let names: Vec<String> = sqlx::query_scalar(
        "select name from (
           select m.name, o.unit_id, row_number() over (partition by o.unit_id order by m.member_id) as n
             from member m join organization o using (organization_id)
            where o.unit_id = any($1) and m.state = 'active'
              and not exists (select 1 from member d where d.name = m.name and d.member_id <> m.member_id)) t
          where n <= $2 order by unit_id, n",
    )
    .bind(units)
    .bind(VOLUNTEERS_PER_UNIT)
    .fetch_all(&state.db)
    .await?;
    for name in &names {
        participation::add_member(
            &state.db,
            &state.keys,
            &actor,
            (rally, &Scope::Zone),
            name,
            Role::Volunteer,
            now,
        )
        .await?;
    }
    let typed: Vec<(i64, String, String)> =
        crate::db::participation::list(&state.db, rally.activity_id)
            .await?
            .into_iter()
            .map(|p| (p.participation_id, p.name, RALLY_HOURS.to_string()))
            .collect();
    if let Err(faults) = participation::set_hours(&state.db, &actor, rally, &typed, now).await? {
        anyhow::bail!("the rally's hours: {}", faults.join("；"));
    }
    Ok(())
}
