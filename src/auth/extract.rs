//! Who is asking: the `CurrentUser` extractor, role requirements as extractors and as a
//! layer for a router, and the client's address.

use std::marker::PhantomData;
use std::net::SocketAddr;

use axum::extract::{
    ConnectInfo, FromRequestParts, OptionalFromRequestParts, OriginalUri, Request,
};
use axum::http::request::Parts;
use axum::http::{Extensions, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use crate::db::audit::Actor;
use crate::domain::disclosure::Reader;
use crate::domain::ids::{AccountId, UnitId};
use crate::domain::role::{Grant, Role, Scope};
use crate::error::AppError;
use crate::state::AppState;

/// The signed-in user, put into the request by the session layer.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub account_id: AccountId,
    pub username: String,
    pub display_name: String,
    pub grants: Vec<Grant>,
    pub scope: Scope,
    /// An administrator set the password: nothing but changing it (or signing out) until
    /// it is changed.
    pub must_change_password: bool,
    /// Signed in with the password only: nothing but the code form (or signing out) until
    /// the second factor's code is given.
    pub second_factor_pending: bool,
    pub second_factor_enrolled: bool,
    /// Of a role that must use a second factor and without one: nothing but enrolment (or
    /// signing out) until it is enrolled.
    pub must_enrol_second_factor: bool,
    pub csrf_token: String,
    /// Unread notifications, for the badge in the navigation.
    pub unread: i64,
    pub(crate) session_hash: String,
}

impl CurrentUser {
    pub fn has(&self, role: Role) -> bool {
        self.grants.iter().any(|g| g.role == role)
    }

    pub fn has_any(&self, roles: &[Role]) -> bool {
        roles.iter().any(|r| self.has(*r))
    }

    /// Where the right behind `R` reaches: the scope of the grants holding one of `R`'s
    /// roles only (`scope` is what every grant together may read).
    pub fn scope_for<R: RoleSet>(&self) -> Scope {
        Scope::through(&self.grants, R::ROLES)
    }

    /// How the user stands, for `domain::disclosure`, to a record that one of their
    /// secretary grants does or does not cover: a committee grant reaches every record and
    /// outranks the rest, so it decides first. Whether the `Reporter` right reaches the
    /// record is therefore as good an answer as whether a secretary grant covers it.
    pub fn reader(&self, secretary_covers: bool) -> Reader {
        if self.has(Role::Committee) {
            Reader::Committee
        } else if secretary_covers {
            Reader::OwnSecretary
        } else {
            Reader::Other
        }
    }

    /// Whether one of the user's secretary grants is over `unit`.
    pub fn secretary_of(&self, unit: UnitId) -> bool {
        self.grants
            .iter()
            .any(|g| g.role == Role::Secretary && g.unit_id == Some(unit))
    }

    pub fn name(&self) -> &str {
        if self.display_name.is_empty() {
            &self.username
        } else {
            &self.display_name
        }
    }

    pub fn actor(&self, address: &ClientAddr) -> Actor {
        Actor {
            account_id: Some(self.account_id),
            username: self.username.clone(),
            name: self.name().to_string(),
            address: address.0.clone(),
        }
    }
}

/// The URI as the client sent it, before any `nest` stripped a prefix.
fn original_uri(extensions: &Extensions, uri: &Uri) -> Uri {
    extensions
        .get::<OriginalUri>()
        .map(|OriginalUri(u)| u.clone())
        .unwrap_or_else(|| uri.clone())
}

/// What an anonymous request gets: the sign-in page for pages, 401 for the API.
pub fn unauthenticated(extensions: &Extensions, uri: &Uri) -> Response {
    let uri = &original_uri(extensions, uri);
    if uri.path().starts_with("/api/") {
        let mut response = (
            StatusCode::UNAUTHORIZED,
            axum::Json(serde_json::json!({"error": "未登录或登录已过期"})),
        )
            .into_response();
        response
            .headers_mut()
            .insert("www-authenticate", "Cookie".parse().expect("static header"));
        return response;
    }
    let next = uri.path_and_query().map(|pq| pq.as_str()).unwrap_or("/");
    let target = if next == "/" {
        "/login".to_string()
    } else {
        format!("/login?next={}", urlencode(next))
    };
    Redirect::to(&target).into_response()
}

/// The path and query put into `next=`: unreserved characters and `/` stay readable.
const NEXT_KEPT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'/');

pub fn urlencode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, NEXT_KEPT).to_string()
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<CurrentUser>()
            .cloned()
            .ok_or_else(|| unauthenticated(&parts.extensions, &parts.uri))
    }
}

impl<S: Send + Sync> OptionalFromRequestParts<S> for CurrentUser {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Option<Self>, Self::Rejection> {
        Ok(parts.extensions.get::<CurrentUser>().cloned())
    }
}

/// The user if signed in, for pages anyone may see.
pub type MaybeUser = Option<CurrentUser>;

/// A set of roles any one of which admits the user.
pub trait RoleSet: Send + Sync + 'static {
    const ROLES: &'static [Role];
}

/// 团工委工作人员 only.
pub struct Committee;
/// Committee staff and leaders: the whole zone, to read.
pub struct Staff;
/// Anyone with business data: committee, leaders and secretaries.
pub struct Business;
/// 系统管理员.
pub struct Admin;
/// Those who may change a unit's business data (survey figures, members) and see a member's
/// full numbers: the committee anywhere, a secretary in their own units.
pub struct Reporter;
/// 团支部书记 / 单位联络员: writes their unit's formation application.
pub struct Secretary;

impl RoleSet for Secretary {
    const ROLES: &'static [Role] = &[Role::Secretary];
}

impl RoleSet for Reporter {
    const ROLES: &'static [Role] = &[Role::Committee, Role::Secretary];
}

impl RoleSet for Committee {
    const ROLES: &'static [Role] = &[Role::Committee];
}
impl RoleSet for Staff {
    const ROLES: &'static [Role] = &[Role::Committee, Role::Leader];
}
impl RoleSet for Business {
    const ROLES: &'static [Role] = &[Role::Committee, Role::Leader, Role::Secretary];
}
impl RoleSet for Admin {
    const ROLES: &'static [Role] = &[Role::Admin];
}

/// A signed-in user holding one of `R`'s roles; anyone else is refused with 403.
pub struct Require<R: RoleSet>(pub CurrentUser, pub PhantomData<R>);

impl<R: RoleSet, S: Send + Sync> FromRequestParts<S> for Require<R> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let user = <CurrentUser as FromRequestParts<S>>::from_request_parts(parts, state).await?;
        if user.has_any(R::ROLES) {
            Ok(Require(user, PhantomData))
        } else {
            Err(AppError::Forbidden.into_response())
        }
    }
}

/// The same check as a layer over a role's whole router, so a handler that forgets its
/// extractor is still protected.
pub async fn require<R: RoleSet>(request: Request, next: Next) -> Response {
    match request.extensions().get::<CurrentUser>() {
        None => unauthenticated(request.extensions(), request.uri()),
        Some(user) if !user.has_any(R::ROLES) => AppError::Forbidden.into_response(),
        Some(_) => next.run(request).await,
    }
}

/// The client's address: the peer, or the last X-Forwarded-For hop behind a trusted proxy.
#[derive(Debug, Clone)]
pub struct ClientAddr(pub String);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if state.settings.trust_proxy {
            let forwarded = parts
                .headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .map(str::trim)
                .rfind(|s| !s.is_empty());
            if let Some(addr) = forwarded {
                return Ok(ClientAddr(addr.chars().take(64).collect()));
            }
        }
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip().to_string())
            .unwrap_or_else(|| "unknown".to_string());
        Ok(ClientAddr(peer))
    }
}
