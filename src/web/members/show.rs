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
}

impl MemberPage {
    fn reveals(&self) -> bool {
        super::reveals(self.reader, &self.member, self.today)
    }

    fn open_transfer(&self) -> bool {
        self.transfers.iter().any(|t| t.is_open())
    }

    /// Confirmed volunteer hours of every activity, in tenths.
    fn volunteer_tenths(&self) -> i64 {
        self.volunteer
            .iter()
            .filter_map(|line| line.hours_tenths)
            .map(i64::from)
            .sum()
    }

    fn volunteer_hours(&self) -> String {
        crate::domain::participation::hours_text(self.volunteer_tenths())
    }

    fn star_level(&self) -> Option<&'static str> {
        crate::domain::volunteer::star_level(self.volunteer_tenths())
    }

    /// `距一星志愿者还差 N 小时`, or nothing at the top level.
    fn next_level(&self) -> Option<String> {
        crate::domain::volunteer::to_next_level(self.volunteer_tenths()).map(|(tenths, level)| {
            format!(
                "距{level}还差 {} 小时",
                crate::domain::participation::hours_text(tenths)
            )
        })
    }

    fn line_hours(line: &crate::db::participation::RecordLine) -> String {
        line.hours_tenths
            .map(crate::domain::participation::hours_text)
            .unwrap_or_else(|| "—".into())
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
