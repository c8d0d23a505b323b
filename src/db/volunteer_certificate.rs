//! Issued 志愿服务记录证明 (migration 0031): the snapshot each keeps, reading them in the
//! issuer's scope, finding one by number for the public verification page with that page's
//! rate limit, and a non-member's volunteer record by the blind index of their phone.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::types::Json;
use sqlx::{PgConnection, PgExecutor, PgPool};

use crate::domain::certificate::{Certificate, Line, date_text};
use crate::domain::ids::{AccountId, MemberId, OrganizationId};
use crate::domain::role::Scope;

/// A certificate's number is unique (migration 0031).
pub const NUMBER_UNIQUE: &str = "volunteer_certificate_number_key";

/// Who a certificate is for: a member, or a young person known by their phone's blind index.
#[derive(Debug, Clone, Copy)]
pub enum Holder<'a> {
    Member(MemberId),
    Person(&'a [u8]),
}

/// A certificate to store, with its snapshot.
pub struct NewCertificate<'a> {
    pub number: &'a str,
    pub holder: Holder<'a>,
    pub name: &'a str,
    pub id_masked: Option<&'a str>,
    pub phone_masked: Option<&'a str>,
    pub hours_tenths: i64,
    pub star_level: Option<&'a str>,
    pub lines: &'a [Line],
    pub issuer: OrganizationId,
    pub issuer_name: &'a str,
    pub issued_on: NaiveDate,
    pub issued_by: AccountId,
    pub issued_at: DateTime<Utc>,
}

/// Stores a certificate; None when its number was taken (draw another).
pub async fn insert(tx: &mut PgConnection, c: &NewCertificate<'_>) -> sqlx::Result<Option<i64>> {
    let (member, person) = match c.holder {
        Holder::Member(m) => (Some(m), None),
        Holder::Person(index) => (None, Some(index)),
    };
    sqlx::query_scalar(
        "insert into volunteer_certificate (number, member_id, phone_index, person_name, id_masked,
                    phone_masked, hours_tenths, star_level, lines, issuer_organization_id,
                    issuer_name, issued_on, issued_by, issued_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
         on conflict (number) do nothing
         returning volunteer_certificate_id",
    )
    .bind(c.number)
    .bind(member)
    .bind(person)
    .bind(c.name)
    .bind(c.id_masked)
    .bind(c.phone_masked)
    .bind(c.hours_tenths)
    .bind(c.star_level)
    .bind(Json(c.lines))
    .bind(c.issuer)
    .bind(c.issuer_name)
    .bind(c.issued_on)
    .bind(c.issued_by)
    .bind(c.issued_at)
    .fetch_optional(tx)
    .await
}

/// An issued certificate as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CertificateRow {
    pub volunteer_certificate_id: i64,
    pub number: String,
    pub member_id: Option<MemberId>,
    pub person_name: String,
    pub id_masked: Option<String>,
    pub phone_masked: Option<String>,
    pub hours_tenths: i64,
    pub star_level: Option<String>,
    pub lines: Json<Vec<Line>>,
    pub issuer_name: String,
    pub issued_on: NaiveDate,
}

impl CertificateRow {
    /// What the certificate states, for the print view and the .docx.
    pub fn certificate(&self) -> Certificate {
        let identity = match (&self.id_masked, &self.phone_masked) {
            (Some(id), _) => format!("身份证号码 {id}"),
            (None, Some(phone)) => format!("手机号码 {phone}（非团员青年，以手机号码识别）"),
            (None, None) => String::new(),
        };
        Certificate {
            number: self.number.clone(),
            name: self.person_name.clone(),
            identity,
            lines: self.lines.0.clone(),
            hours_tenths: self.hours_tenths,
            star_level: self.star_level.clone(),
            issuer: self.issuer_name.clone(),
            issued_on: date_text(self.issued_on),
        }
    }
}

const COLUMNS: &str = "c.volunteer_certificate_id, c.number, c.member_id, c.person_name,
    c.id_masked, c.phone_masked, c.hours_tenths, c.star_level, c.lines, c.issuer_name, c.issued_on";

/// The certificate if the scope holds its issuing organisation (the committee's reach all).
pub async fn get(db: &PgPool, scope: &Scope, id: i64) -> sqlx::Result<Option<CertificateRow>> {
    let condition = super::scope_condition(scope, super::in_scope!("c.issuer_organization_id"));
    sqlx::query_as(&format!(
        "select {COLUMNS} from volunteer_certificate c
          where c.volunteer_certificate_id = $2 and {condition}"
    ))
    .bind(scope.unit_filter())
    .bind(id)
    .fetch_optional(db)
    .await
}

/// The certificate with this number, for the public verification page.
pub async fn by_number(db: &PgPool, number: &str) -> sqlx::Result<Option<CertificateRow>> {
    sqlx::query_as(&format!(
        "select {COLUMNS} from volunteer_certificate c where c.number = $1"
    ))
    .bind(number)
    .fetch_optional(db)
    .await
}

/// A person's certificates the scope issued, latest first: a member's, or a non-member's
/// by their phone's blind index.
pub async fn of_holder(
    db: &PgPool,
    scope: &Scope,
    holder: Holder<'_>,
) -> sqlx::Result<Vec<CertificateRow>> {
    let (member, person) = match holder {
        Holder::Member(m) => (Some(m), None),
        Holder::Person(index) => (None, Some(index)),
    };
    let condition = super::scope_condition(scope, super::in_scope!("c.issuer_organization_id"));
    sqlx::query_as(&format!(
        "select {COLUMNS} from volunteer_certificate c
          where (c.member_id = $2 or c.phone_index = $3) and {condition}
          order by c.issued_at desc, c.volunteer_certificate_id desc limit 50"
    ))
    .bind(scope.unit_filter())
    .bind(member)
    .bind(person)
    .fetch_all(db)
    .await
}

/// Records a lookup on the verification page from `address`.
pub async fn record_lookup(
    db: impl PgExecutor<'_>,
    address: &str,
    at: DateTime<Utc>,
    found: bool,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into certificate_lookup (address, looked_up_at, found) values ($1, $2, $3)",
    )
    .bind(address)
    .bind(at)
    .bind(found)
    .execute(db)
    .await?;
    Ok(())
}

/// Lookups from `address` after `since`.
pub async fn lookups_since(db: &PgPool, address: &str, since: DateTime<Utc>) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "select count(*) from certificate_lookup where address = $1 and looked_up_at > $2",
    )
    .bind(address)
    .bind(since)
    .fetch_one(db)
    .await
}

/// Removes lookups made before `before`; they no longer count for the limit.
pub async fn delete_lookups_before(db: &PgPool, before: DateTime<Utc>) -> sqlx::Result<u64> {
    let done = sqlx::query("delete from certificate_lookup where looked_up_at < $1")
        .bind(before)
        .execute(db)
        .await?;
    Ok(done.rows_affected())
}
