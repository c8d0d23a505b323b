//! An issued certificate: the print view (A4, print CSS, no navigation on paper) and the
//! .docx, both from the snapshot stored at issue, so later changes to hours never alter it.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;

use crate::auth::CurrentUser;
use crate::auth::extract::{Reporter, Require};
use crate::db::volunteer_certificate::{self as certificates, CertificateRow};
use crate::domain::certificate::Certificate;
use crate::domain::participation::hours_text;
use crate::error::Result;
use crate::state::AppState;
use crate::web::PathOr404;
use crate::web::layout::PageContext;
use crate::web::respond::{DOCX, download};
use crate::web::scoped::open_for;

#[derive(Template, WebTemplate)]
#[template(path = "volunteers/certificate.html")]
pub struct CertificatePage {
    ctx: PageContext,
    id: i64,
    /// Where the person's record is: their member page or their record page.
    back: Option<String>,
    certificate: Certificate,
    note: String,
}

impl CertificatePage {
    fn hours(tenths: &i64) -> String {
        hours_text(*tenths)
    }
}

/// The certificate, in the scope of the user's committee or secretary grants (the issuer's).
async fn open_certificate(state: &AppState, user: &CurrentUser, id: i64) -> Result<CertificateRow> {
    open_for::<Reporter, _, _, _>(user, |scope| async move {
        certificates::get(&state.db, &scope, id).await
    })
    .await
}

/// `/certificates/{id}`.
pub async fn show_certificate(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    ctx: PageContext,
    PathOr404(id): PathOr404<i64>,
) -> Result<CertificatePage> {
    let row = open_certificate(&state, &user, id).await?;
    Ok(CertificatePage {
        ctx,
        id,
        back: row.member_id.map(|m| format!("/members/{m}#volunteer")),
        certificate: row.certificate(),
        note: crate::export::certificate::note(&super::verify_at(&state)),
    })
}

/// `/certificates/{id}/download`: the .docx.
pub async fn download_certificate(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    PathOr404(id): PathOr404<i64>,
) -> Result<Response> {
    let row = open_certificate(&state, &user, id).await?;
    let certificate = row.certificate();
    let bytes = crate::export::certificate::certificate(&certificate, &super::verify_at(&state))?;
    Ok(download(
        &format!(
            "志愿服务记录证明-{}-{}.docx",
            certificate.name, certificate.number
        ),
        "certificate.docx",
        DOCX,
        bytes,
    ))
}
