//! Volunteer records and certificates (issue 16 item 5): the record of a young person who
//! is not a member (a member's is on their page), issuing a 志愿服务记录证明 for either, its
//! print view and .docx, and the public verification page by certificate number.
//!
//! Who: records and certificates are the committee's and the person's own secretary's
//! (`Reporter`): a leader is refused (403), another unit's secretary finds nothing (404).
//! Verification needs no account and shows only the masked name, hours, issuer and date.

mod certificate;
mod issue;
mod record;
mod verify;

use axum::Router;
use axum::routing::{get, post};

use crate::auth::CurrentUser;
use crate::auth::extract::Reporter;
use crate::db::participation::RecordLine;
use crate::domain::ids::OrganizationId;
use crate::error::Result;
use crate::state::AppState;
use crate::web::{AfterRole, only};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/volunteers/{participation}",
            only::<Reporter>(get(record::show_person)),
        )
        .route(
            "/volunteers/{participation}/certificates",
            only::<Reporter>(post(issue::issue_for_person)),
        )
        .route(
            "/members/{id}/certificates",
            only::<Reporter>(post(issue::issue_for_member)),
        )
        .route(
            "/certificates/{id}",
            only::<Reporter>(get(certificate::show_certificate)),
        )
        .route(
            "/certificates/{id}/download",
            only::<Reporter>(get(certificate::download_certificate)),
        )
        .merge(
            Router::new()
                .route("/verify", get(verify::verify_certificate))
                .after_role(),
        )
}

/// The issuing organisation for a certificate the user issues: the committee for a
/// committee grant, else the secretary's organisation — `preferred` (the member's own
/// organisation) when it is one of them, otherwise the first. None when the secretary's
/// unit has no organisation.
async fn issuer(
    state: &AppState,
    user: &CurrentUser,
    preferred: Option<OrganizationId>,
) -> Result<Option<(OrganizationId, String)>> {
    if user.has(crate::domain::role::Role::Committee) {
        return Ok(crate::db::organization::committee(&state.db)
            .await?
            .map(|o| (o.organization_id, o.name)));
    }
    let mut organizations =
        crate::db::activity::organizers(&state.db, &user.scope_for::<Reporter>()).await?;
    if let Some(at) = organizations
        .iter()
        .position(|(id, _)| Some(*id) == preferred)
    {
        return Ok(Some(organizations.swap_remove(at)));
    }
    Ok(organizations.into_iter().next())
}

/// A record's figures, as the member page and the person's page show them.
pub struct Summary {
    pub activities: usize,
    pub tenths: i64,
}

impl Summary {
    pub fn of(record: &[RecordLine]) -> Summary {
        Summary {
            activities: record.len(),
            tenths: record
                .iter()
                .filter_map(|l| l.hours_tenths)
                .map(i64::from)
                .sum(),
        }
    }

    pub fn hours(&self) -> String {
        crate::domain::participation::hours_text(self.tenths)
    }

    pub fn star_level(&self) -> Option<&'static str> {
        crate::domain::volunteer::star_level(self.tenths)
    }

    /// `距一星志愿者还差 N 小时`, or nothing at the top level.
    pub fn next_level(&self) -> Option<String> {
        crate::domain::volunteer::to_next_level(self.tenths).map(|(tenths, level)| {
            format!(
                "距{level}还差 {} 小时",
                crate::domain::participation::hours_text(tenths)
            )
        })
    }
}

/// A record line's hours as a table writes them, `—` when not confirmed.
pub fn line_hours(line: &RecordLine) -> String {
    line.hours_tenths
        .map(crate::domain::participation::hours_text)
        .unwrap_or_else(|| "—".into())
}

/// Where the verification page is, as a certificate prints it: the public address when
/// the server knows it, else the path.
pub fn verify_at(state: &AppState) -> String {
    match &state.settings.public_origin {
        Some(origin) => format!("{origin}/verify"),
        None => "团工委工作平台“证明查验”页面（/verify）".into(),
    }
}
