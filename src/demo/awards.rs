//! The demo's 青年文明号, as the seed's plan item (三) has the committee create them in 2019,
//! entered through the services a user's forms call: a 工段 of the enterprise with the most
//! youth, recognised at the zone's level and reviewed once (so its next review shows as due
//! or overdue, by the day the demo runs), a community team that has been recommended, and a
//! 科室 of the first demo secretary's department still in creation. A step dated after the
//! clock's today is left out, so a clock set in the past still loads.

use chrono::NaiveDate;

use crate::domain::award::{AwardInput, Collective, Level, Step, StepInput};
use crate::domain::ids::UnitId;
use crate::domain::role::Scope;
use crate::services::awards;
use crate::state::AppState;

/// The units: the enterprise with an organisation and the most youth; the community with
/// the largest roster; the first secretary's department.
const UNITS: [&str; 3] = [
    "select u.unit_id from unit u join survey_entry e using (unit_id)
      where u.kind = 'enterprise' and e.members > 0
        and exists (select 1 from organization o where o.unit_id = u.unit_id)
      group by u.unit_id order by max(e.youth) desc, u.unit_id limit 1",
    "select u.unit_id from unit u
       left join organization o on o.unit_id = u.unit_id
       left join member m on m.organization_id = o.organization_id and m.state = 'active'
      where u.kind = 'community'
      group by u.unit_id order by count(m.member_id) desc, u.unit_id limit 1",
    "select unit_id from unit where name = $1",
];

/// A post's collective and its steps: (step, date, note, recognition).
type Seed = (
    &'static str,
    Collective,
    &'static str,
    &'static [(
        Step,
        (i32, u32, u32),
        &'static str,
        Option<(Level, &'static str)>,
    )],
);

const POSTS: [Seed; 3] = [
    (
        "生产运行部电仪工段",
        Collective::Section,
        "以安全生产零事故、设备完好率和服务质量为目标，争创青年文明号。",
        &[
            (
                Step::Start,
                (2019, 3, 15),
                "制定创建方案，明确创建目标和措施",
                None,
            ),
            (Step::Recommend, (2019, 9, 10), "经企业团委推荐", None),
            (Step::Publicize, (2019, 9, 20), "公示7天", None),
            (
                Step::Recognize,
                (2019, 10, 8),
                "公示期满无异议",
                Some((Level::Zone, "开团工委〔2019〕8号")),
            ),
            (Step::Review, (2021, 9, 28), "复核合格", None),
        ],
    ),
    (
        "便民服务青年团队",
        Collective::Team,
        "围绕社区服务和扶贫帮困，为居民提供便民服务。",
        &[
            (Step::Start, (2019, 4, 10), "", None),
            (Step::Recommend, (2019, 11, 15), "社区推荐", None),
        ],
    ),
    (
        "社会保障科",
        Collective::Office,
        "提升窗口服务质量，打造青年服务品牌。",
        &[(Step::Start, (2019, 5, 20), "", None)],
    ),
];

/// Registration days of the posts above, in their order.
const REGISTERED: [(i32, u32, u32); 3] = [(2019, 3, 1), (2019, 4, 1), (2019, 5, 6)];

fn date((y, m, d): (i32, u32, u32)) -> anyhow::Result<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| anyhow::anyhow!("a demo date"))
}

/// The posts, registered once.
pub async fn load(state: &AppState) -> anyhow::Result<()> {
    let any: bool = sqlx::query_scalar("select exists (select 1 from award)")
        .fetch_one(&state.db)
        .await?;
    if any {
        return Ok(());
    }
    let actor = super::actor();
    let today = state.clock.today();
    for ((query, (name, collective, description, steps)), registered) in
        UNITS.iter().zip(POSTS).zip(REGISTERED)
    {
        let registered_on = date(registered)?;
        let mut find = sqlx::query_scalar(query);
        if query.contains("$1") {
            find = find.bind(super::SECRETARY_UNIT);
        }
        let Some(unit): Option<UnitId> = find.fetch_optional(&state.db).await? else {
            continue;
        };
        if registered_on > today {
            continue;
        }
        let (unit_name, leader): (String, Option<String>) = sqlx::query_as(
            "select u.name, (select m.name from member m join organization o using (organization_id)
                              where o.unit_id = u.unit_id and m.state = 'active'
                              order by m.member_id limit 1)
               from unit u where u.unit_id = $1",
        )
        .bind(unit)
        .fetch_one(&state.db)
        .await?;
        let input = AwardInput {
            name: name.into(),
            collective,
            unit_name,
            leader_name: leader.unwrap_or_else(|| "待定".into()),
            registered_on,
            description: description.into(),
        };
        let now = state.clock.now();
        let id = awards::register(&state.db, &actor, &Scope::Zone, &input, now).await?;
        for (step, on, note, recognition) in steps {
            let dated_on = date(*on)?;
            if dated_on > today {
                break;
            }
            let post = crate::db::award::get(&state.db, id, &Scope::Zone)
                .await?
                .ok_or_else(|| anyhow::anyhow!("the post just registered"))?;
            let input = StepInput {
                step: *step,
                dated_on,
                note: (*note).into(),
                recognition: recognition.map(|(l, n)| (l, n.to_string())),
            };
            awards::advance(&state.db, &actor, &post, &input, state.clock.now()).await?;
        }
    }
    Ok(())
}
