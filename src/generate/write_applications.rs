//! COPY rows for the formation applications and every step of their history.

use sqlx::PgConnection;

use super::Ids;
use super::applications::Application;
use super::copy::Sink;
use super::load::Report;
use super::write_zone::{approval_number, staff_name};
use super::zone::{NONE, Zone};

pub async fn write(
    db: &mut PgConnection,
    zone: &Zone,
    ids: &Ids,
    apps: &[Application],
    report: &mut Report,
) -> sqlx::Result<()> {
    let mut sink = Sink::start(
        db,
        "formation_application (formation_application_id, unit_id, state, proposed_name, proposed_kind,
            member_count, youth_count, proposed_secretary, reasons, submitted_at, decided_at,
            approval_number, organization_id, decision_note, decided_by, approved_on, created_by, created_at)",
    )
    .await?;
    for (n, app) in apps.iter().enumerate() {
        let unit = &zone.units[app.unit as usize];
        let org = (app.org != NONE).then(|| &zone.orgs[app.org as usize]);
        let decided = matches!(app.state, "approved" | "rejected");
        let account = (unit.account != NONE).then(|| ids.account(unit.account));
        sink.rows
            .int(ids.application + 1 + n as i64)
            .int(ids.unit(app.unit as usize))
            .text(app.state)
            .text(&app.name)
            .text(app.kind)
            .int(app.members)
            .int(app.youth)
            .text(&app.secretary)
            .text(&format!(
                "本单位现有团员{}名、青年{}名，符合建立团组织的条件，特申请成立{}。",
                app.members, app.youth, app.kind
            ))
            .opt_time(app.at("submitted"))
            .opt_time(decided.then(|| app.history.last().map(|e| e.4)).flatten())
            .opt_text(org.and_then(|o| o.approval).map(approval_number).as_deref())
            .opt_int(org.map(|_| ids.org(app.org as usize)))
            .opt_text(if app.state == "approved" {
                None
            } else {
                app.note()
            })
            .opt_int(decided.then(|| ids.account(0)))
            .opt_date(org.map(|o| o.established_on))
            .opt_int(account)
            .time(app.history[0].4);
        sink.rows.end();
        sink.flush_when_full().await?;
    }
    report.done("formation_application", sink.finish().await?);

    let mut sink = Sink::start(
        db,
        "formation_application_event (formation_application_id, from_state, to_state, actor_account_id, actor_name, note, occurred_at)",
    )
    .await?;
    let committee = staff_name(zone, 0);
    for (n, app) in apps.iter().enumerate() {
        let account = zone.units[app.unit as usize].account;
        for (from, to, by_committee, note, at) in &app.history {
            let (actor, name) = if *by_committee {
                (Some(ids.account(0)), committee.as_str())
            } else {
                (
                    (account != NONE).then(|| ids.account(account)),
                    app.secretary.as_str(),
                )
            };
            sink.rows
                .int(ids.application + 1 + n as i64)
                .opt_text(*from)
                .text(to)
                .opt_int(actor)
                .text(name)
                .opt_text(note.as_deref())
                .time(*at);
            sink.rows.end();
        }
        sink.flush_when_full().await?;
    }
    report.done("formation_application_event", sink.finish().await?);
    Ok(())
}
