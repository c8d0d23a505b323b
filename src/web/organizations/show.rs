//! One organisation's page: its units, cadres, members and term; the scope check every
//! organisation page goes through.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;

use crate::auth::extract::{Business, Require};
use crate::db::{self, organization::Cadre, organization::OrganizationRow};
use crate::domain::ids::{OrganizationId, UnitId};
use crate::domain::role::Role;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::web::PathOr404;
use crate::web::layout::PageContext;

#[derive(Template, WebTemplate)]
#[template(path = "organizations/show.html")]
pub struct OrganizationPage {
    ctx: PageContext,
    org: OrganizationRow,
    cadres: Vec<Cadre>,
    units: Vec<(UnitId, String)>,
    secretary: Option<Secretary>,
    can_edit: bool,
    posts: [&'static str; 5],
}

/// Who the page names as secretary, and from where: the roster's members holding the
/// secretary's post first, else the committee list's 书记, else the name kept with the term.
pub struct Secretary {
    pub names: String,
    pub source: &'static str,
}

impl Secretary {
    fn choose(roster: Vec<String>, cadres: &[Cadre], registered: Option<&str>) -> Option<Self> {
        let listed: Vec<&str> = cadres
            .iter()
            .filter(|c| c.post == "书记")
            .map(|c| c.name.as_str())
            .collect();
        let (names, source) = if !roster.is_empty() {
            (roster.join("、"), "团员名册")
        } else if !listed.is_empty() {
            (listed.join("、"), "委员会名单")
        } else {
            (registered?.trim().to_string(), "任期登记")
        };
        (!names.is_empty()).then_some(Secretary { names, source })
    }
}

/// The organisation if it lies in the user's scope; otherwise 404.
pub(crate) async fn open_org(
    state: &AppState,
    user: &crate::auth::CurrentUser,
    id: OrganizationId,
) -> Result<OrganizationRow> {
    db::organization::get(&state.db, id, &user.scope)
        .await?
        .ok_or(AppError::NotFound)
}

/// The organisation to change through the grants holding one of `R`'s roles.
pub(crate) async fn org_for<R: crate::auth::extract::RoleSet>(
    state: &AppState,
    user: &crate::auth::CurrentUser,
    id: OrganizationId,
) -> Result<OrganizationRow> {
    crate::web::scoped::open_for::<R, _, _, _>(user, |scope| async move {
        db::organization::get(&state.db, id, &scope).await
    })
    .await
}

pub async fn show_organization(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    ctx: PageContext,
    PathOr404(id): PathOr404<OrganizationId>,
) -> Result<OrganizationPage> {
    let org = open_org(&state, &user, id).await?;
    let cadres = db::organization::cadres(&state.db, id).await?;
    let roster = db::organization_term::roster_secretaries(&state.db, id).await?;
    Ok(OrganizationPage {
        secretary: Secretary::choose(roster, &cadres, org.secretary_name.as_deref()),
        cadres,
        units: db::organization::joint_units(&state.db, id).await?,
        can_edit: user.has(Role::Committee) && !org.kind.is_committee(),
        posts: ["书记", "副书记", "组织委员", "宣传委员", "委员"],
        org,
        ctx,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::CadreId;

    fn cadre(name: &str, post: &str) -> Cadre {
        Cadre {
            organization_cadre_id: CadreId(1),
            name: name.into(),
            post: post.into(),
        }
    }

    #[test]
    fn the_roster_comes_first_then_the_committee_list_then_the_registered_name() {
        let cadres = [cadre("乙", "副书记"), cadre("丙", "书记")];
        let s = Secretary::choose(vec!["甲".into(), "丁".into()], &cadres, Some("戊")).unwrap();
        assert_eq!((s.names.as_str(), s.source), ("甲、丁", "团员名册"));
        let s = Secretary::choose(vec![], &cadres, Some("戊")).unwrap();
        assert_eq!((s.names.as_str(), s.source), ("丙", "委员会名单"));
        let s = Secretary::choose(vec![], &cadres[..1], Some("戊")).unwrap();
        assert_eq!((s.names.as_str(), s.source), ("戊", "任期登记"));
        assert!(Secretary::choose(vec![], &[], Some(" ")).is_none());
        assert!(Secretary::choose(vec![], &[], None).is_none());
    }
}
