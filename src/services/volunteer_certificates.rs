//! Issuing a 志愿服务记录证明: the person's confirmed hours as they stand now, frozen into
//! the certificate's snapshot with a fresh number, the issuing organisation and the zone's
//! local date, in one transaction with its audit event (a non-member's phone never in it).
//!
//! What is certified: every activity of the person's record (cancelled ones left out) whose
//! hours were confirmed; the total is their sum, so the certificate's hours equal the sum of
//! the person's confirmed hours (issue 16). The star level is `domain::volunteer`'s.

use chrono::{DateTime, Datelike, Utc};
use rand_core::{OsRng, RngCore};
use serde_json::json;
use sqlx::PgPool;

use crate::db::audit::Event;
use crate::db::participation::RecordLine;
use crate::db::volunteer_certificate::{self as store, Holder, NewCertificate};
use crate::domain::actor::Actor;
use crate::domain::audit::Action as AuditAction;
use crate::domain::certificate::{CertificateNumber, Line, RANDOM_BYTES};
use crate::domain::ids::{AccountId, OrganizationId};
use crate::services::{Error, Outcome};

/// The person a certificate is for, as the record page found them.
pub struct Subject<'a> {
    pub holder: Holder<'a>,
    pub name: &'a str,
    /// A member's resident ID, masked.
    pub id_masked: Option<&'a str>,
    /// A non-member's phone, masked.
    pub phone_masked: Option<&'a str>,
}

/// The organisation that issues: the committee, or the secretary's organisation.
pub struct Issuer<'a> {
    pub organization: OrganizationId,
    pub name: &'a str,
    pub account: AccountId,
}

/// The lines a certificate states: the record's activities with confirmed hours, each with
/// its start date in the zone's local time.
pub fn certified_lines(record: &[RecordLine], zone: chrono_tz::Tz) -> Vec<Line> {
    record
        .iter()
        .filter_map(|r| {
            Some(Line {
                date: r
                    .starts_at
                    .with_timezone(&zone)
                    .format("%Y-%m-%d")
                    .to_string(),
                title: r.title.clone(),
                organizer: r.organizer.clone(),
                role: r.role.label().to_string(),
                hours_tenths: i64::from(r.hours_tenths?),
            })
        })
        .collect()
}

/// Issues a certificate for `subject` over `record` (their record as the issuer reads it);
/// returns its id. Refused when no hours were confirmed.
pub async fn issue(
    db: &PgPool,
    actor: &Actor,
    subject: &Subject<'_>,
    record: &[RecordLine],
    issuer: &Issuer<'_>,
    zone: chrono_tz::Tz,
    now: DateTime<Utc>,
) -> Outcome<i64> {
    let lines = certified_lines(record, zone);
    if lines.is_empty() {
        return Err(Error::refused(
            "尚无已确认服务时长的志愿服务记录，无法出具证明；请先在活动页面填写服务时长",
        ));
    }
    let hours_tenths: i64 = lines.iter().map(|l| l.hours_tenths).sum();
    let star_level = crate::domain::volunteer::star_level(hours_tenths);
    let issued_on = now.with_timezone(&zone).date_naive();
    let mut tx = db.begin().await?;
    let mut stored = None;
    // 50 random bits: a second draw is all but never needed, a third never.
    for _ in 0..3 {
        let mut random = [0u8; RANDOM_BYTES];
        OsRng.fill_bytes(&mut random);
        let number = CertificateNumber::new(issued_on.year(), random);
        let certificate = NewCertificate {
            number: number.as_str(),
            holder: subject.holder,
            name: subject.name,
            id_masked: subject.id_masked,
            phone_masked: subject.phone_masked,
            hours_tenths,
            star_level,
            lines: &lines,
            issuer: issuer.organization,
            issuer_name: issuer.name,
            issued_on,
            issued_by: issuer.account,
            issued_at: now,
        };
        if let Some(id) = store::insert(&mut tx, &certificate).await? {
            stored = Some((id, number));
            break;
        }
    }
    let Some((id, number)) = stored else {
        return Err(Error::refused("证明编号生成失败，请重试"));
    };
    let member = match subject.holder {
        Holder::Member(m) => Some(m),
        Holder::Person(_) => None,
    };
    crate::db::audit::record(
        &mut *tx,
        now,
        actor,
        Event::new(
            AuditAction::VolunteerCertificateIssued,
            "volunteer_certificate",
            id,
        )
        .after(json!({
            "number": number.as_str(),
            "member_id": member,
            "name": subject.name,
            "phone": subject.phone_masked,
            "hours_tenths": hours_tenths,
            "activities": lines.len(),
            "issuer_organization_id": issuer.organization,
        })),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}
