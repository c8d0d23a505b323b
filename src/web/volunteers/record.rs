//! The volunteer record of a young person who is not a member (`/volunteers/{participation}`,
//! named by any one of their participations): every activity the reader's grants reach in
//! which they took part under the same phone, their hours and star level, the certificates
//! issued and the button to issue one.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;

use super::{Summary, line_hours};
use crate::auth::CurrentUser;
use crate::auth::extract::{Reporter, Require};
use crate::db::participation::RecordLine;
use crate::db::volunteer_certificate::{self as certificates, CertificateRow, Holder};
use crate::db::volunteer_record::{self, Person};
use crate::error::Result;
use crate::state::AppState;
use crate::web::PathOr404;
use crate::web::layout::PageContext;
use crate::web::scoped::open_for;

#[derive(Template, WebTemplate)]
#[template(path = "volunteers/record.html")]
pub struct PersonRecordPage {
    ctx: PageContext,
    person: Person,
    record: Vec<RecordLine>,
    summary: Summary,
    certificates: Vec<CertificateRow>,
}

impl PersonRecordPage {
    fn line_hours(line: &RecordLine) -> String {
        line_hours(line)
    }
}

/// The non-member named by `participation` in the scope of the user's committee or
/// secretary grants, with their record there.
pub(super) async fn open_person(
    state: &AppState,
    user: &CurrentUser,
    participation: i64,
) -> Result<(Person, Vec<RecordLine>)> {
    let person = open_for::<Reporter, _, _, _>(user, |scope| async move {
        volunteer_record::person(&state.db, &scope, participation).await
    })
    .await?;
    let record = volunteer_record::record_of_person(
        &state.db,
        &user.scope_for::<Reporter>(),
        &person.phone_index,
    )
    .await?;
    Ok((person, record))
}

/// `/volunteers/{participation}`.
pub async fn show_person(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    ctx: PageContext,
    PathOr404(participation): PathOr404<i64>,
) -> Result<PersonRecordPage> {
    let (person, record) = open_person(&state, &user, participation).await?;
    let certificates = certificates::of_holder(
        &state.db,
        &user.scope_for::<Reporter>(),
        Holder::Person(&person.phone_index),
    )
    .await?;
    Ok(PersonRecordPage {
        ctx,
        summary: Summary::of(&record),
        person,
        record,
        certificates,
    })
}
