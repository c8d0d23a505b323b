//! COPY rows for the units, the accounts of committee staff and unit secretaries, and the
//! organisations with their joint-branch links and cadres.

use chrono::Duration;
use sqlx::PgConnection;

use super::copy::Sink;
use super::load::Report;
use super::names::{credit_code, han_name, industry, mobile, organization_name, unit_name};
use super::people::person;
use super::tree::cadre_post;
use super::zone::{NONE, Place, STAFF_ACCOUNTS, Zone};
use super::{Ids, Rng, mix};

/// The name of an organisation's secretary: its first member's.
pub fn secretary_name(zone: &Zone, org: usize) -> String {
    person(zone.seed, zone.orgs[org].first_member, zone.today, true).name
}

/// The display name of staff account `n` (committee staff, then leaders).
pub fn staff_name(zone: &Zone, n: u32) -> String {
    han_name(&mut Rng::new(mix(zone.seed ^ 0x7374_6166, u64::from(n))))
}

pub fn approval_number((year, number): (i32, u32)) -> String {
    format!("开团工委〔{year}〕{number}号")
}

pub async fn units(
    db: &mut PgConnection,
    zone: &Zone,
    ids: &Ids,
    report: &mut Report,
) -> sqlx::Result<()> {
    let mut sink = Sink::start(
        db,
        "unit (unit_id, kind, name, credit_code, status, industry, staff, contact_person, contact_phone, closed_on)",
    )
    .await?;
    for (i, unit) in zone.units.iter().enumerate() {
        let mut rng = Rng::new(mix(zone.seed ^ 0x636f_6e74, i as u64));
        let contact = match unit.place {
            Place::Own => secretary_name(zone, unit.org as usize),
            _ => han_name(&mut rng),
        };
        let closed_on = (unit.status == Some("注销"))
            .then(|| zone.today - Duration::days(1 + rng.below(700) as i64));
        sink.rows
            .int(ids.unit(i))
            .text(unit.kind.code())
            .text(&unit_name(i))
            .text(&credit_code(i))
            .opt_text(unit.status)
            .text(industry(i))
            .int(unit.staff)
            .text(&contact)
            .text(&mobile(&mut rng))
            .opt_date(closed_on);
        sink.rows.end();
        sink.flush_when_full().await?;
    }
    report.done("unit", sink.finish().await?);
    Ok(())
}

/// Committee staff and leaders (`zone-committee1` …), then one secretary (`sec<unit id>`)
/// for every unit with an organisation of its own or enough members to need one.
pub async fn accounts(
    db: &mut PgConnection,
    zone: &Zone,
    ids: &Ids,
    password_hash: &str,
    report: &mut Report,
) -> sqlx::Result<()> {
    let mut sink = Sink::start(
        db,
        "account (account_id, username, display_name, password_hash)",
    )
    .await?;
    for n in 0..STAFF_ACCOUNTS {
        let username = match n {
            0..=2 => format!("zone-committee{}", n + 1),
            _ => format!("zone-leader{}", n - 2),
        };
        sink.rows
            .int(ids.account(n))
            .text(&username)
            .text(&staff_name(zone, n))
            .text(password_hash);
        sink.rows.end();
    }
    for &u in &zone.secretaries {
        let unit = &zone.units[u as usize];
        let display = match unit.place {
            Place::Own => secretary_name(zone, unit.org as usize),
            _ => han_name(&mut Rng::new(mix(zone.seed ^ 0x636f_6e74, u64::from(u)))),
        };
        sink.rows
            .int(ids.account(unit.account))
            .text(&format!("sec{}", ids.unit(u as usize)))
            .text(&display)
            .text(password_hash);
        sink.rows.end();
        sink.flush_when_full().await?;
    }
    report.done("account", sink.finish().await?);

    let mut sink = Sink::start(db, "account_role (account_id, role, unit_id)").await?;
    for n in 0..STAFF_ACCOUNTS {
        sink.rows
            .int(ids.account(n))
            .text(if n < 3 { "committee" } else { "leader" })
            .null();
        sink.rows.end();
    }
    for &u in &zone.secretaries {
        let unit = &zone.units[u as usize];
        sink.rows
            .int(ids.account(unit.account))
            .text("secretary")
            .int(ids.unit(u as usize));
        sink.rows.end();
        sink.flush_when_full().await?;
    }
    report.done("account_role", sink.finish().await?);
    Ok(())
}

pub async fn organizations(
    db: &mut PgConnection,
    zone: &Zone,
    ids: &Ids,
    report: &mut Report,
) -> sqlx::Result<()> {
    let mut sink = Sink::start(
        db,
        "organization (organization_id, parent_id, kind, name, unit_id, established_on, approval_number,
                       approved_on, secretary_name, term_years, elected_on)",
    )
    .await?;
    for (index, org) in zone.orgs.iter().enumerate() {
        let parent = match org.parent {
            NONE => ids.committee,
            p => ids.org(p as usize),
        };
        let approval = org.approval.map(approval_number);
        sink.rows
            .int(ids.org(index))
            .int(parent)
            .text(org.kind)
            .text(&organization_name(zone, index))
            .opt_int((org.unit != NONE).then(|| ids.unit(org.unit as usize)))
            .date(org.established_on)
            .opt_text(approval.as_deref())
            .opt_date(org.approval.map(|_| org.established_on))
            .text(&secretary_name(zone, index))
            .int(org.term_years)
            .date(org.elected_on);
        sink.rows.end();
        sink.flush_when_full().await?;
    }
    report.done("organization", sink.finish().await?);

    let mut sink = Sink::start(db, "organization_unit (organization_id, unit_id)").await?;
    for &(org, unit) in &zone.joint {
        sink.rows
            .int(ids.org(org as usize))
            .int(ids.unit(unit as usize));
        sink.rows.end();
        sink.flush_when_full().await?;
    }
    report.done("organization_unit", sink.finish().await?);

    let mut sink = Sink::start(db, "organization_cadre (organization_id, name, post)").await?;
    for (index, org) in zone.orgs.iter().enumerate() {
        for j in 0..org.cadres {
            let cadre = person(zone.seed, org.first_member + u64::from(j), zone.today, true);
            sink.rows
                .int(ids.org(index))
                .text(&cadre.name)
                .text(cadre_post(j));
            sink.rows.end();
        }
        sink.flush_when_full().await?;
    }
    report.done("organization_cadre", sink.finish().await?);
    Ok(())
}
