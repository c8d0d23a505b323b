//! The public verification page (`/verify?number=`): anyone, without an account, types a
//! certificate number and sees the name partly masked, the total hours, the issuer and the
//! issue date — nothing else. An unknown number says only that it was not found. Lookups
//! are counted per client address and limited (as sign-in attempts are,
//! `auth::signin::RATE_LIMIT`), so that numbers cannot be enumerated.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Duration;
use serde::Deserialize;

use crate::auth::extract::ClientAddr;
use crate::db::volunteer_certificate as certificates;
use crate::domain::certificate::{CertificateNumber, date_text, masked_name};
use crate::domain::participation::hours_text;
use crate::error::Result;
use crate::state::AppState;
use crate::web::layout::PageContext;

/// Lookups allowed from one address per window.
pub const VERIFY_LIMIT: i64 = 10;
pub const VERIFY_WINDOW: Duration = Duration::minutes(10);

pub const NOT_FOUND_MESSAGE: &str = "未找到该编号的志愿服务记录证明。请核对证明上的编号后重新输入；如仍无法查到，请联系出具证明的组织。";
pub const BAD_NUMBER_MESSAGE: &str =
    "证明编号格式不正确：应为“TJ”加4位年份和10位字母或数字，例如 TJ2026-7K3M9Q2XAB。";
pub const RATE_LIMITED_MESSAGE: &str = "查验过于频繁，请10分钟后再试。";

#[derive(Deserialize)]
pub struct VerifyQuery {
    #[serde(default)]
    number: String,
}

/// What a verification shows of a certificate.
pub struct Verified {
    pub number: String,
    pub name: String,
    pub hours: String,
    pub issuer: String,
    pub issued_on: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "volunteers/verify.html")]
pub struct VerifyPage {
    ctx: PageContext,
    number: String,
    found: Option<Verified>,
    message: Option<&'static str>,
}

/// `GET /verify`: the form, and with `?number=` its answer.
pub async fn verify_certificate(
    State(state): State<AppState>,
    ctx: PageContext,
    address: ClientAddr,
    Query(query): Query<VerifyQuery>,
) -> Result<Response> {
    let typed: String = crate::domain::search_text(&query.number, 40);
    let page = |found, message, status| {
        let page = VerifyPage {
            ctx,
            number: typed.clone(),
            found,
            message,
        };
        Ok((status, page).into_response())
    };
    if typed.is_empty() {
        return page(None, None, StatusCode::OK);
    }
    let now = state.clock.now();
    let recent = certificates::lookups_since(&state.db, &address.0, now - VERIFY_WINDOW).await?;
    if recent >= VERIFY_LIMIT {
        certificates::record_lookup(&state.db, &address.0, now, false).await?;
        return page(
            None,
            Some(RATE_LIMITED_MESSAGE),
            StatusCode::TOO_MANY_REQUESTS,
        );
    }
    let Some(number) = CertificateNumber::parse(&typed) else {
        certificates::record_lookup(&state.db, &address.0, now, false).await?;
        return page(
            None,
            Some(BAD_NUMBER_MESSAGE),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    };
    let row = certificates::by_number(&state.db, number.as_str()).await?;
    certificates::record_lookup(&state.db, &address.0, now, row.is_some()).await?;
    match row {
        Some(row) => page(
            Some(Verified {
                number: row.number,
                name: masked_name(&row.person_name),
                hours: hours_text(row.hours_tenths),
                issuer: row.issuer_name,
                issued_on: date_text(row.issued_on),
            }),
            None,
            StatusCode::OK,
        ),
        None => page(None, Some(NOT_FOUND_MESSAGE), StatusCode::NOT_FOUND),
    }
}
