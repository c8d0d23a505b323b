//! A year of activities and who took part, in a province's proportions (issue 16 item 9:
//! about 200,000 activities and 10 million participations a year for 5 million members,
//! so one activity per 25 members and two participations per member). Nine in ten are an
//! organisation's own, drawing on its roster and the rosters next to it; the rest the
//! committee's, with units taking part. Volunteer service credits every participant the
//! activity's span; other kinds record no hours.

use chrono::{DateTime, Duration, NaiveTime, Utc};
use sqlx::PgConnection;

use super::copy::Sink;
use super::load::Report;
use super::zone::Zone;
use super::{Ids, Rng, mix};

/// Members per activity a year.
const MEMBERS_PER_ACTIVITY: u64 = 25;
/// Participations per activity on average: two a member a year.
const MEAN_PARTICIPANTS: u64 = 2 * MEMBERS_PER_ACTIVITY;

/// Kinds by weight (of 20): volunteer service the most, contests the fewest.
const KINDS: [(&str, &str, u64); 6] = [
    ("volunteer", "志愿服务", 8),
    ("study", "主题团课", 4),
    ("culture", "文体活动", 3),
    ("meeting", "团员大会", 3),
    ("contest", "技能比武", 1),
    ("other", "青年联谊", 1),
];

fn kind(rng: &mut Rng) -> (&'static str, &'static str) {
    let mut pick = rng.below(20);
    for (code, title, weight) in KINDS {
        if pick < weight {
            return (code, title);
        }
        pick -= weight;
    }
    ("other", "青年联谊")
}

/// One generated activity: its id, when, whether people took part and their hours.
struct Planned {
    id: i64,
    starts: DateTime<Utc>,
    ends: DateTime<Utc>,
    state: &'static str,
    volunteer: bool,
}

/// Writes the activities (ids after `first_id`), their units and participations.
pub async fn write(
    db: &mut PgConnection,
    zone: &Zone,
    ids: &Ids,
    first_id: i64,
    report: &mut Report,
) -> sqlx::Result<()> {
    let count = zone.sizes.members / MEMBERS_PER_ACTIVITY;
    let members = zone
        .orgs
        .iter()
        .map(|o| u64::from(o.roster))
        .sum::<u64>()
        .max(1);
    let now = zone.today.and_time(NaiveTime::MIN).and_utc();
    let mut planned = Vec::with_capacity(count as usize);
    let mut sink = Sink::start(
        db,
        "activity (activity_id, kind, title, starts_at, ends_at, place, organization_id, state)",
    )
    .await?;
    // Who organised each, and the first member its people are drawn from.
    let mut drawn_from = Vec::with_capacity(count as usize);
    for i in 0..count {
        let mut rng = Rng::new(mix(zone.seed ^ 0x6163_7469, i));
        let (code, title) = kind(&mut rng);
        // From eleven months back to a month ahead, 09:00–15:00 Beijing time.
        let day = zone.today - Duration::days(335) + Duration::days(rng.below(365) as i64);
        let starts =
            day.and_time(NaiveTime::MIN).and_utc() + Duration::hours(1 + rng.below(7) as i64);
        let ends = starts + Duration::minutes(60 + 30 * rng.below(14) as i64);
        let state = if ends > now {
            "planned"
        } else if rng.below(40) == 0 {
            "cancelled"
        } else {
            "done"
        };
        let committee = rng.below(10) == 0 || zone.orgs.is_empty();
        let (org, first) = if committee {
            (ids.committee, rng.below(members))
        } else {
            let index = rng.below(zone.orgs.len() as u64) as usize;
            (ids.org(index), zone.orgs[index].first_member)
        };
        let id = first_id + 1 + i as i64;
        sink.rows
            .int(id)
            .text(code)
            .text(&format!("{title}（第{}期）", i + 1))
            .time(starts)
            .time(ends)
            .text("")
            .int(org)
            .text(state);
        sink.rows.end();
        sink.flush_when_full().await?;
        drawn_from.push((committee, first));
        planned.push(Planned {
            id,
            starts,
            ends,
            state,
            volunteer: code == "volunteer",
        });
    }
    report.done("activity", sink.finish().await?);

    let units = zone.units.len().max(1) as u64;
    let mut sink = Sink::start(db, "activity_unit (activity_id, unit_id, role)").await?;
    for (a, (committee, _)) in planned.iter().zip(&drawn_from) {
        if !committee {
            continue;
        }
        let mut rng = Rng::new(mix(zone.seed ^ 0x756e_6974, a.id as u64));
        let start = rng.below(units);
        for k in 0..(3 + rng.below(6)).min(units) {
            let unit = ((start + k) % units) as usize;
            sink.rows.int(a.id).int(ids.unit(unit)).text(if k == 0 {
                "co_organizer"
            } else {
                "participant"
            });
            sink.rows.end();
        }
        sink.flush_when_full().await?;
    }
    report.done("activity_unit", sink.finish().await?);

    let mut sink = Sink::start(
        db,
        "participation (activity_id, member_id, role, hours_tenths)",
    )
    .await?;
    for (a, (_, first)) in planned.iter().zip(&drawn_from) {
        if a.state == "planned" {
            continue;
        }
        let mut rng = Rng::new(mix(zone.seed ^ 0x7061_7274, a.id as u64));
        let people = (5 + rng.below(2 * MEAN_PARTICIPANTS - 9)).min(members);
        let hours = a.volunteer.then(|| (a.ends - a.starts).num_minutes() / 6);
        for k in 0..people {
            let member = (first + k) % members;
            sink.rows
                .int(a.id)
                .int(ids.member + 1 + member as i64)
                .text(if a.volunteer { "volunteer" } else { "audience" })
                .opt_int(hours);
            sink.rows.end();
        }
        sink.flush_when_full().await?;
    }
    report.done("participation", sink.finish().await?);
    Ok(())
}
