//! Registering a 青年文明号 creation (创建备案): the form, its faults shown again (422).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, State};
use axum::response::Response;

use crate::auth::extract::{ClientAddr, Reporter, Require};
use crate::domain::award::{AwardFields, AwardInput, Collective};
use crate::error::Result;
use crate::services::{Error, awards};
use crate::state::AppState;
use crate::web::flash;
use crate::web::layout::PageContext;
use crate::web::respond::invalid;

/// The most unit names the form offers (a zone's units at demo scale; beyond, the name is
/// typed in full).
const UNIT_CHOICES: i64 = 1000;

#[derive(Template, WebTemplate)]
#[template(path = "awards/form.html")]
pub struct FormPage {
    ctx: PageContext,
    form: AwardFields,
    errors: Vec<String>,
    collectives: [Collective; 4],
    /// Names of units the user may register for, offered as the unit field's choices.
    unit_names: Vec<String>,
}

async fn page(
    state: &AppState,
    user: &crate::auth::CurrentUser,
    ctx: PageContext,
    form: AwardFields,
    errors: Vec<String>,
) -> Result<FormPage> {
    let unit_names =
        crate::db::unit::list_scoped(&state.db, &user.scope_for::<Reporter>(), UNIT_CHOICES)
            .await?
            .into_iter()
            .map(|u| u.name)
            .collect();
    Ok(FormPage {
        ctx,
        form,
        errors,
        collectives: Collective::ALL,
        unit_names,
    })
}

pub async fn new_award(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    ctx: PageContext,
) -> Result<FormPage> {
    let mut form = AwardFields {
        registered_on: state.clock.today().to_string(),
        ..AwardFields::default()
    };
    // A secretary of one unit registers for it: the field starts filled in.
    let scope = user.scope_for::<Reporter>();
    if let crate::domain::role::Scope::Units(_) = scope {
        let units = crate::db::unit::list_scoped(&state.db, &scope, 2).await?;
        if let [only] = &units[..] {
            form.unit_name = only.name.clone();
        }
    }
    page(&state, &user, ctx, form, Vec::new()).await
}

pub async fn register_award(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    ctx: PageContext,
    address: ClientAddr,
    Form(form): Form<AwardFields>,
) -> Result<Response> {
    let input = match AwardInput::parse(&form, state.clock.today()) {
        Ok(input) => input,
        Err(errors) => {
            let messages = errors.messages();
            return Ok(invalid(page(&state, &user, ctx, form, messages).await?));
        }
    };
    match awards::register(
        &state.db,
        &user.actor(&address),
        &user.scope_for::<Reporter>(),
        &input,
        state.clock.now(),
    )
    .await
    {
        Ok(id) => Ok(flash::ok(
            &state.settings,
            &format!("/awards/{id}"),
            &format!("“{}”已创建备案。", input.name),
        )),
        Err(Error::Refused(message)) => Ok(invalid(
            page(&state, &user, ctx, form, vec![message.into_owned()]).await?,
        )),
        Err(Error::Database(e)) => Err(e.into()),
    }
}
