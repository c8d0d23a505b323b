//! COPY rows for two survey rounds: last year's, locked once loaded, and this year's,
//! open, where most units have reported figures close to their rosters and the rest
//! still carry last year's.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use sqlx::PgConnection;

use super::copy::Sink;
use super::load::Report;
use super::zone::{NONE, Zone};
use super::{Ids, Rng, mix};

pub struct Round {
    pub as_of: NaiveDate,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    pub deadline: NaiveDate,
}

impl Round {
    pub fn title(&self) -> String {
        format!("截止{}团员青年摸排", self.as_of.format("%Y年%-m月%-d日"))
    }
}

/// Last year's round (as of 1 June) and the current one, open until a month from today.
pub fn rounds(today: NaiveDate) -> [Round; 2] {
    let year = if (today.month(), today.day()) >= (6, 1) {
        today.year()
    } else {
        today.year() - 1
    };
    let june = |y| NaiveDate::from_ymd_opt(y, 6, 1).expect("1 June");
    let current = june(year);
    let closes_on = (current + Duration::days(60)).max(today + Duration::days(30));
    [
        Round {
            as_of: june(year - 1),
            opens_on: june(year - 1),
            closes_on: june(year - 1) + Duration::days(29),
            deadline: NaiveDate::from_ymd_opt(year - 1, 8, 31).expect("31 August"),
        },
        Round {
            as_of: current,
            opens_on: current,
            closes_on,
            deadline: closes_on + Duration::days(60),
        },
    ]
}

/// Office hours in Beijing on `day`, as UTC.
pub fn office_time(day: NaiveDate, rng: &mut Rng) -> DateTime<Utc> {
    day.and_hms_opt(
        1 + rng.below(9) as u32,
        rng.below(60) as u32,
        rng.below(60) as u32,
    )
    .expect("a time of day")
    .and_utc()
}

struct Entry {
    status: Option<&'static str>,
    staff: u32,
    youth: u32,
    members: u32,
    reported_at: Option<DateTime<Utc>>,
}

/// Whether the unit has reported in the current round (else it is reminded).
pub fn reported_now(zone: &Zone, i: usize, rounds: &[Round; 2]) -> bool {
    entries(zone, i, rounds)[1]
        .as_ref()
        .is_some_and(|e| e.reported_at.is_some())
}

/// A unit's entries in the previous and the current round.
fn entries(zone: &Zone, i: usize, rounds: &[Round; 2]) -> [Option<Entry>; 2] {
    let unit = &zone.units[i];
    let mut rng = Rng::new(mix(zone.seed ^ 0x726f_756e, i as u64));
    let previous = (rng.below(100) < 92).then(|| {
        let members = unit.members * (75 + rng.below(26) as u32) / 100;
        let youth = (unit.youth * (80 + rng.below(21) as u32) / 100).max(members);
        Entry {
            status: unit.status.map(|s| if s == "注销" { "停产" } else { s }),
            staff: (unit.staff * (85 + rng.below(16) as u32) / 100).max(youth),
            youth,
            members,
            reported_at: Some(office_time(
                rounds[0].opens_on + Duration::days(rng.below(28) as i64),
                &mut rng,
            )),
        }
    });
    let window = (zone.today.min(rounds[1].closes_on) - rounds[1].opens_on)
        .num_days()
        .max(0);
    let current = if rng.below(100) < 82 {
        Entry {
            status: unit.status,
            staff: unit.staff,
            youth: unit.youth,
            members: unit.members,
            reported_at: Some(office_time(
                rounds[1].opens_on + Duration::days(rng.below(window as u64 + 1) as i64),
                &mut rng,
            )),
        }
    } else {
        match &previous {
            Some(p) => Entry {
                status: unit.status,
                reported_at: None,
                ..*p
            },
            None => Entry {
                status: unit.status,
                staff: unit.staff,
                youth: unit.youth,
                members: unit.members,
                reported_at: None,
            },
        }
    };
    [previous, Some(current)]
}

pub async fn surveys(
    db: &mut PgConnection,
    zone: &Zone,
    ids: &Ids,
    report: &mut Report,
) -> sqlx::Result<()> {
    let rounds = rounds(zone.today);
    // Both open while their entries go in: the lock trigger refuses rows for a locked round.
    let mut sink = Sink::start(
        db,
        "survey (survey_id, title, as_of, opens_on, closes_on, formation_deadline, locked)",
    )
    .await?;
    for (n, round) in rounds.iter().enumerate() {
        sink.rows
            .int(ids.survey + 1 + n as i64)
            .text(&round.title())
            .date(round.as_of)
            .date(round.opens_on)
            .date(round.closes_on)
            .date(round.deadline)
            .bool(false);
        sink.rows.end();
    }
    report.done("survey", sink.finish().await?);

    let mut sink = Sink::start(
        db,
        "survey_entry (survey_id, unit_id, status, staff, youth, members, reported_by, reported_at)",
    )
    .await?;
    for i in 0..zone.units.len() {
        let account = zone.units[i].account;
        for (n, entry) in entries(zone, i, &rounds).into_iter().enumerate() {
            let Some(e) = entry else { continue };
            let reporter =
                (account != NONE && e.reported_at.is_some()).then(|| ids.account(account));
            sink.rows
                .int(ids.survey + 1 + n as i64)
                .int(ids.unit(i))
                .opt_text(e.status)
                .int(e.staff)
                .int(e.youth)
                .int(e.members)
                .opt_int(reporter)
                .opt_time(e.reported_at);
            sink.rows.end();
        }
        sink.flush_when_full().await?;
    }
    report.done("survey_entry", sink.finish().await?);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_current_round_is_open_today_and_last_years_came_before() {
        for today in [(2026, 3, 1), (2026, 6, 1), (2026, 12, 31)] {
            let today = NaiveDate::from_ymd_opt(today.0, today.1, today.2).unwrap();
            let [old, new] = rounds(today);
            assert!(old.as_of < new.as_of && old.closes_on < new.opens_on);
            assert!(new.opens_on <= today && today < new.closes_on);
            assert!(new.title().starts_with("截止"));
        }
    }
}
