//! The demo's volunteer teams and their smaller activities, entered through the services a
//! user's forms call: an environmental team hosted by the enterprise with the most youth
//! (it carries out the rally), and a community service team hosted by the community with
//! the largest roster, which serves once a month from February to May 2018. People and
//! units are the demo's own; nothing is counted here.

use chrono::NaiveDate;

use crate::db::activity::Span;
use crate::domain::activity::{ActivityInput, Kind, State};
use crate::domain::ids::{OrganizationId, UnitId, VolunteerTeamId};
use crate::domain::participation::Role;
use crate::domain::role::Scope;
use crate::domain::volunteer_team::{Domain, TeamInput};
use crate::services::volunteer_teams::{self, Joining};
use crate::services::{activities, participation};
use crate::state::AppState;

/// Members of a host's roster whose name is theirs alone in the zone (so that adding by
/// name finds them), oldest records first.
const UNIQUE_NAMES: &str = "select m.name from member m join organization o using (organization_id)
     where o.unit_id = $1 and m.state = 'active'
       and not exists (select 1 from member d where d.name = m.name and d.member_id <> m.member_id)
     order by m.member_id limit $2";

/// The host of each team: the enterprise with an organisation and members and the most
/// youth; the community (else any non-enterprise) with the largest roster.
const HOSTS: [(&str, &str); 2] = [
    (
        "select u.unit_id from unit u join survey_entry e using (unit_id)
          where u.kind = 'enterprise' and e.members > 0
            and exists (select 1 from organization o where o.unit_id = u.unit_id)
          group by u.unit_id order by max(e.youth) desc, u.unit_id limit 1",
        "青年环保志愿服务队",
    ),
    (
        "select o.unit_id from organization o join unit u using (unit_id)
           join member m on m.organization_id = o.organization_id and m.state = 'active'
          where u.kind <> 'enterprise'
          group by o.unit_id, u.kind order by (u.kind = 'community') desc, count(*) desc, o.unit_id limit 1",
        "社区青年志愿服务队",
    ),
];

/// The teams: (environment team, community team), founded once.
pub async fn load(state: &AppState) -> anyhow::Result<Option<(VolunteerTeamId, VolunteerTeamId)>> {
    let any: bool = sqlx::query_scalar("select exists (select 1 from volunteer_team)")
        .fetch_one(&state.db)
        .await?;
    if any {
        return Ok(None);
    }
    let mut ids = Vec::new();
    for ((query, name), domain) in HOSTS.iter().zip([Domain::Environment, Domain::Community]) {
        let Some(unit): Option<UnitId> =
            sqlx::query_scalar(query).fetch_optional(&state.db).await?
        else {
            return Ok(None);
        };
        ids.push(found(state, unit, name, domain).await?);
    }
    let community = ids[1];
    monthly_service(state, community).await?;
    Ok(Some((ids[0], community)))
}

/// Founds the team hosted by `unit`, led by the first of four roster members who join it.
async fn found(
    state: &AppState,
    unit: UnitId,
    name: &str,
    domain: Domain,
) -> anyhow::Result<VolunteerTeamId> {
    let actor = super::actor();
    let now = state.clock.now();
    let unit_name: String = sqlx::query_scalar("select name from unit where unit_id = $1")
        .bind(unit)
        .fetch_one(&state.db)
        .await?;
    let people: Vec<String> = sqlx::query_scalar(UNIQUE_NAMES)
        .bind(unit)
        .bind(4_i64)
        .fetch_all(&state.db)
        .await?;
    let input = TeamInput {
        name: name.into(),
        domain,
        unit_name,
        leader_name: people.first().cloned().unwrap_or_else(|| "待定".into()),
        founded_on: NaiveDate::from_ymd_opt(2018, 3, 5).unwrap_or_default(),
        description: format!("围绕{}开展志愿服务。", domain.label()),
    };
    let id = volunteer_teams::create(&state.db, &actor, &Scope::Zone, &input, now).await?;
    let team = crate::db::volunteer_team::get(&state.db, id, &Scope::Zone)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the team just founded"))?;
    for person in &people {
        volunteer_teams::add_member(
            &state.db,
            &state.keys,
            &actor,
            (&team, &Scope::Zone),
            Joining::Member { name: person },
            input.founded_on,
            now,
        )
        .await?;
    }
    Ok(id)
}

/// The community team's service on the second Saturday afternoon of February to May 2018
/// (14:00–17:00), organised by the host's organisation, its members credited three hours.
async fn monthly_service(state: &AppState, team: VolunteerTeamId) -> anyhow::Result<()> {
    let actor = super::actor();
    let now = state.clock.now();
    let row = crate::db::volunteer_team::get(&state.db, team, &Scope::Zone)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the community team"))?;
    let organizer: OrganizationId =
        sqlx::query_scalar("select organization_id from organization where unit_id = $1 limit 1")
            .bind(row.unit_id)
            .fetch_one(&state.db)
            .await?;
    let members = crate::db::volunteer_team::members(&state.db, team).await?;
    for (month, title) in [
        (2, "春节前走访慰问困难群众"),
        (3, "学雷锋志愿服务日"),
        (4, "社区环境清洁行动"),
        (5, "关爱留守儿童课业辅导"),
    ] {
        let day = (1..=31)
            .filter_map(|d| NaiveDate::from_ymd_opt(2018, month, d))
            .filter(|d| chrono::Datelike::weekday(d) == chrono::Weekday::Sat)
            .nth(1)
            .ok_or_else(|| anyhow::anyhow!("a second Saturday"))?;
        let at = |h| day.and_hms_opt(h, 0, 0).unwrap_or_default();
        let input = ActivityInput {
            kind: Kind::Volunteer,
            title: title.into(),
            starts_at: at(14),
            ends_at: at(17),
            place: row.unit_name.clone(),
            series: String::new(),
            edition: None,
            description: String::new(),
            volunteer_team: Some(team),
        };
        let span = Span {
            starts_at: state.clock.instant_of(input.starts_at),
            ends_at: state.clock.instant_of(input.ends_at),
        };
        let id = activities::create(&state.db, &actor, &input, span, organizer, now).await?;
        let activity = crate::db::activity::get(&state.db, id, &Scope::Zone)
            .await?
            .ok_or_else(|| anyhow::anyhow!("the activity just recorded"))?;
        for member in &members {
            participation::add_member(
                &state.db,
                &state.keys,
                &actor,
                (&activity, &Scope::Zone),
                &member.name,
                Role::Volunteer,
                now,
            )
            .await?;
        }
        let typed: Vec<(i64, String, String)> = crate::db::participation::list(&state.db, id)
            .await?
            .into_iter()
            .map(|p| (p.participation_id, p.name, "3".to_string()))
            .collect();
        if let Err(faults) =
            participation::set_hours(&state.db, &actor, &activity, &typed, now).await?
        {
            anyhow::bail!("{title}: {}", faults.join("；"));
        }
        activities::set_state(&state.db, &actor, &activity, State::Done, now).await?;
    }
    Ok(())
}
