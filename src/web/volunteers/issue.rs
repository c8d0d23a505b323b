//! Issuing a 志愿服务记录证明 for a member (from their page) or for a young person who is
//! not one (from their record): the snapshot is taken by the service; the new certificate's
//! print view follows.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

use super::issuer;
use crate::auth::CurrentUser;
use crate::auth::extract::{ClientAddr, Reporter, Require};
use crate::db::participation::RecordLine;
use crate::db::volunteer_certificate::Holder;
use crate::domain::ids::{MemberId, OrganizationId};
use crate::error::Result;
use crate::services::Error;
use crate::services::volunteer_certificates::{self as service, Issuer, Subject};
use crate::state::AppState;
use crate::web::PathOr404;
use crate::web::flash;
use crate::web::scoped::open_for;

/// Asks the service to issue, and answers with the print view or the page again with why not.
async fn issue(
    state: &AppState,
    user: &CurrentUser,
    address: &ClientAddr,
    subject: Subject<'_>,
    record: &[RecordLine],
    preferred: Option<OrganizationId>,
    back: &str,
) -> Result<Response> {
    let Some((organization, name)) = issuer(state, user, preferred).await? else {
        return Ok(flash::error(
            &state.settings,
            back,
            "您的单位尚未建立团组织，无法以组织名义出具证明；请联系团工委出具",
        ));
    };
    let issuer = Issuer {
        organization,
        name: &name,
        account: user.account_id,
    };
    match service::issue(
        &state.db,
        &user.actor(address),
        &subject,
        record,
        &issuer,
        state.clock.zone(),
        state.clock.now(),
    )
    .await
    {
        Ok(id) => Ok(Redirect::to(&format!("/certificates/{id}")).into_response()),
        Err(Error::Refused(message)) => Ok(flash::error(&state.settings, back, &message)),
        Err(Error::Database(e)) => Err(e.into()),
    }
}

/// `POST /members/{id}/certificates`.
pub async fn issue_for_member(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    address: ClientAddr,
    PathOr404(id): PathOr404<MemberId>,
) -> Result<Response> {
    let db = &state.db;
    let member = open_for::<Reporter, _, _, _>(&user, |scope| async move {
        crate::db::member::get(db, &scope, id).await
    })
    .await?;
    let record = crate::db::participation::record_of_member(&state.db, id).await?;
    let subject = Subject {
        holder: Holder::Member(id),
        name: &member.name,
        id_masked: Some(member.resident_id_masked.as_str()).filter(|_| !member.is_erased()),
        phone_masked: None,
    };
    issue(
        &state,
        &user,
        &address,
        subject,
        &record,
        Some(member.organization_id),
        &format!("/members/{id}#volunteer"),
    )
    .await
}

/// `POST /volunteers/{participation}/certificates`.
pub async fn issue_for_person(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    address: ClientAddr,
    PathOr404(participation): PathOr404<i64>,
) -> Result<Response> {
    let (person, record) = super::record::open_person(&state, &user, participation).await?;
    let subject = Subject {
        holder: Holder::Person(&person.phone_index),
        name: &person.name,
        id_masked: None,
        phone_masked: person.phone_masked.as_deref(),
    };
    issue(
        &state,
        &user,
        &address,
        subject,
        &record,
        None,
        &format!("/volunteers/{participation}"),
    )
    .await
}
