//! What the campaign and the round left in inboxes: decisions on applications, new
//! applications for the committee, 督促 of eligible units that have not applied, and
//! reminders to units that have not reported this round, with their reminder records.

use chrono::{DateTime, Duration, Utc};
use sqlx::PgConnection;

use super::applications::Application;
use super::copy::{Rows, Sink};
use super::load::Report;
use super::write_rounds::{Round, office_time, reported_now, rounds};
use super::zone::{NONE, Place, Zone};
use super::{Ids, Rng, mix};

struct Notice<'a> {
    account: i64,
    kind: &'a str,
    title: &'a str,
    body: &'a str,
    link: &'a str,
    sender: Option<i64>,
    at: DateTime<Utc>,
}

fn push(rows: &mut Rows, n: &Notice, today: chrono::NaiveDate, rng: &mut Rng) {
    let read = n.at.date_naive() < today && rng.below(10) < 6;
    rows.int(n.account)
        .text(n.kind)
        .text(n.title)
        .text(n.body)
        .text(n.link)
        .opt_int(n.sender)
        .time(n.at)
        .opt_time(read.then(|| n.at + Duration::hours(2 + rng.below(40) as i64)));
    rows.end();
}

/// Units on the 督促 list: eligible, without an organisation, nothing in progress.
fn chased(zone: &Zone, apps: &[Application]) -> Vec<usize> {
    let mut open = vec![false; zone.units.len()];
    for app in apps {
        if !matches!(app.state, "approved" | "rejected") {
            open[app.unit as usize] = true;
        }
    }
    (0..zone.units.len())
        .filter(|&i| {
            let u = &zone.units[i];
            u.place == Place::Without && u.members >= 3 && !open[i] && u.account != NONE
        })
        .collect()
}

pub async fn write(
    db: &mut PgConnection,
    zone: &Zone,
    ids: &Ids,
    apps: &[Application],
    report: &mut Report,
) -> sqlx::Result<()> {
    let rounds: [Round; 2] = rounds(zone.today);
    let chased = chased(zone, apps);
    let not_reported: Vec<usize> = (0..zone.units.len())
        .filter(|&i| zone.units[i].account != NONE && !reported_now(zone, i, &rounds))
        .collect();
    let sender = Some(ids.account(0));
    let sent_on = |i: usize, tag: u64| {
        let mut rng = Rng::new(mix(zone.seed ^ tag, i as u64));
        office_time(
            zone.today - Duration::days(1 + rng.below(20) as i64),
            &mut rng,
        )
    };

    let mut sink = Sink::start(
        db,
        "notification (account_id, kind, title, body, link, sender_account_id, created_at, read_at)",
    )
    .await?;
    let mut rng = Rng::new(mix(zone.seed, 0x6e6f_7465));
    let today = zone.today;
    for (n, app) in apps.iter().enumerate() {
        let id = ids.application + 1 + n as i64;
        let secretary = zone.units[app.unit as usize].account;
        let last = app.history.last().expect("a history");
        let link = format!("/applications/{id}");
        match app.state {
            "submitted" | "resubmitted" => {
                let title = format!(
                    "{}提交了建团申请",
                    super::names::unit_name(app.unit as usize)
                );
                for staff in 0..3 {
                    let notice = Notice {
                        account: ids.account(staff),
                        kind: "application_submitted",
                        title: &title,
                        body: "请及时审核并批复。",
                        link: &link,
                        sender: (secretary != NONE).then(|| ids.account(secretary)),
                        at: last.4,
                    };
                    push(&mut sink.rows, &notice, today, &mut rng);
                }
            }
            "approved" | "returned" | "rejected" if secretary != NONE => {
                let (kind, title, link) = match app.state {
                    "approved" => (
                        "application_approved",
                        format!("建团申请已批复：{}", app.name),
                        format!("{link}/reply"),
                    ),
                    "returned" => (
                        "application_returned",
                        format!("建团申请已退回修改：{}", app.name),
                        link,
                    ),
                    _ => (
                        "application_rejected",
                        format!("建团申请未予批复：{}", app.name),
                        link,
                    ),
                };
                let body = last.3.clone().unwrap_or_default();
                let notice = Notice {
                    account: ids.account(secretary),
                    kind,
                    title: &title,
                    body: &body,
                    link: &link,
                    sender,
                    at: last.4,
                };
                push(&mut sink.rows, &notice, today, &mut rng);
            }
            _ => {}
        }
        sink.flush_when_full().await?;
    }
    let chase_body = format!(
        "本单位已有3名以上团员，按规定应当建立团组织。请于{}前提交建团申请。",
        rounds[1].deadline.format("%Y年%-m月%-d日")
    );
    for &i in &chased {
        let notice = Notice {
            account: ids.account(zone.units[i].account),
            kind: "formation_reminder",
            title: "团工委督促：请尽快提交建团申请",
            body: &chase_body,
            link: "/applications/new",
            sender,
            at: sent_on(i, 0x6368_6173),
        };
        push(&mut sink.rows, &notice, today, &mut rng);
        sink.flush_when_full().await?;
    }
    let survey_title = format!(
        "请填报截止{}的团员青年摸排数据",
        rounds[1].as_of.format("%Y年%-m月%-d日")
    );
    for &i in &not_reported {
        let link = format!("/units/{}/report", ids.unit(i));
        let notice = Notice {
            account: ids.account(zone.units[i].account),
            kind: "survey_reminder",
            title: &survey_title,
            body: "团工委提醒：本单位尚未填报本轮摸排数据，请尽快填写职工、青年和团员人数。",
            link: &link,
            sender,
            at: sent_on(i, 0x7375_7276),
        };
        push(&mut sink.rows, &notice, today, &mut rng);
        sink.flush_when_full().await?;
    }
    report.done("notification", sink.finish().await?);

    let mut sink = Sink::start(
        db,
        "formation_reminder (unit_id, sender_account_id, sent_at)",
    )
    .await?;
    for &i in &chased {
        sink.rows
            .int(ids.unit(i))
            .opt_int(sender)
            .time(sent_on(i, 0x6368_6173));
        sink.rows.end();
    }
    report.done("formation_reminder", sink.finish().await?);
    let mut sink = Sink::start(
        db,
        "survey_reminder (survey_id, unit_id, sender_account_id, sent_at)",
    )
    .await?;
    for &i in &not_reported {
        sink.rows
            .int(ids.survey + 2)
            .int(ids.unit(i))
            .opt_int(sender)
            .time(sent_on(i, 0x7375_7276));
        sink.rows.end();
        sink.flush_when_full().await?;
    }
    report.done("survey_reminder", sink.finish().await?);
    Ok(())
}
