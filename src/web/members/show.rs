//! A member's page (`/members/{id}`): the masked data, the history and transfers, and the
//! transfer-out form for those who may send the member.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;

use super::open_member;
use super::transfer::TransferForm;
use crate::auth::CurrentUser;
use crate::auth::extract::{Business, Reporter, Require};
use crate::db::member_transfer::{self as transfers, TransferRow};
use crate::db::{self, member::MemberEvent, member::MemberRow};
use crate::domain::disclosure::Reader;
use crate::domain::ids::MemberId;
use crate::error::Result;
use crate::state::AppState;
use crate::web::PathOr404;
use crate::web::layout::PageContext;

#[derive(Template, WebTemplate)]
#[template(path = "members/show.html")]
pub struct MemberPage {
    ctx: PageContext,
    member: MemberRow,
    events: Vec<MemberEvent>,
    transfers: Vec<TransferRow>,
    can_write: bool,
    reader: Reader,
    today: chrono::NaiveDate,
    form: TransferForm,
    errors: Vec<String>,
    /// The activities the member took part in, latest first.
    volunteer: Vec<crate::db::participation::RecordLine>,
    /// The 志愿服务记录证明 the user's committee or secretary grants issued for the member.
    certificates: Vec<crate::db::volunteer_certificate::CertificateRow>,
}

impl MemberPage {
    fn reveals(&self) -> bool {
        super::reveals(self.reader, &self.member, self.today)
    }

    /// The member's data may be exported for them (PIPL art. 45), erased numbers or not.
    fn exports(&self) -> bool {
        super::may_see_whole(self.reader, &self.member, self.today)
    }

    fn open_transfer(&self) -> bool {
        self.transfers.iter().any(|t| t.is_open())
    }

    /// The volunteer record's figures: activities, hours, star level (`web::volunteers`).
    fn volunteer_summary(&self) -> crate::web::volunteers::Summary {
        crate::web::volunteers::Summary::of(&self.volunteer)
    }

    fn line_hours(line: &crate::db::participation::RecordLine) -> String {
        crate::web::volunteers::line_hours(line)
    }
}

pub(super) async fn member_page(
    state: &AppState,
    user: &CurrentUser,
    ctx: PageContext,
    member: MemberRow,
    form: TransferForm,
    errors: Vec<String>,
) -> Result<MemberPage> {
    let can_write = crate::web::scoped::may::<Reporter, _, _, _>(user, |scope| async move {
        db::member::get(&state.db, &scope, member.member_id).await
    })
    .await?;
    Ok(MemberPage {
        can_write,
        reader: user.reader(can_write),
        events: db::member::events(&state.db, member.member_id).await?,
        transfers: super::transfers::acting_sides(
            state,
            user,
            transfers::for_member(&state.db, &user.scope, member.member_id).await?,
        )
        .await?,
        today: state.clock.today(),
        volunteer: crate::db::participation::record_of_member(&state.db, member.member_id).await?,
        certificates: crate::db::volunteer_certificate::of_holder(
            &state.db,
            &user.scope_for::<Reporter>(),
            crate::db::volunteer_certificate::Holder::Member(member.member_id),
        )
        .await?,
        member,
        form,
        errors,
        ctx,
    })
}

/// `/members/{id}`: the member, masked, with history and transfers.
pub async fn show_member(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    ctx: PageContext,
    PathOr404(id): PathOr404<MemberId>,
) -> Result<MemberPage> {
    let member = open_member(&state, &user, id).await?;
    member_page(
        &state,
        &user,
        ctx,
        member,
        TransferForm::default(),
        Vec::new(),
    )
    .await
}
