//! The context every page shares: who is signed in, the CSRF token for its forms, the
//! flash message, and the navigation for the user's roles.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use chrono::{DateTime, Utc};

use crate::auth::csrf::CsrfToken;
use crate::auth::extract::CurrentUser;
use crate::domain::role::Role;
use crate::state::AppState;
use crate::web::flash::Flash;

pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub active: bool,
}

/// A stored instant, by value or through the references templates hold.
pub trait Instant {
    fn instant(&self) -> DateTime<Utc>;
}

impl Instant for DateTime<Utc> {
    fn instant(&self) -> DateTime<Utc> {
        *self
    }
}

impl<T: Instant + ?Sized> Instant for &T {
    fn instant(&self) -> DateTime<Utc> {
        (**self).instant()
    }
}

pub struct PageContext {
    pub user: Option<CurrentUser>,
    pub csrf: String,
    pub flash: Option<Flash>,
    pub path: String,
    /// The zone's time zone, for showing times (`local`).
    pub zone: chrono_tz::Tz,
}

impl PageContext {
    /// An instant in the zone's local time, for a template to format: every time shown to
    /// a person is local (DESIGN.md §3).
    pub fn local(&self, at: impl Instant) -> DateTime<chrono_tz::Tz> {
        at.instant().with_timezone(&self.zone)
    }

    pub fn unread(&self) -> i64 {
        self.user.as_ref().map_or(0, |u| u.unread)
    }

    pub fn user_name(&self) -> &str {
        self.user.as_ref().map(|u| u.name()).unwrap_or("")
    }

    pub fn role_labels(&self) -> String {
        let mut labels: Vec<&str> = self
            .user
            .iter()
            .flat_map(|u| u.grants.iter().map(|g| g.role.label()))
            .collect();
        labels.dedup();
        labels.join("、")
    }

    pub fn nav(&self) -> Vec<NavItem> {
        let Some(user) = &self.user else {
            return Vec::new();
        };
        if user.second_factor_pending || user.must_enrol_second_factor {
            // Every other page would send them back here.
            return Vec::new();
        }
        let mut items: Vec<(&'static str, &'static str)> = Vec::new();
        if user.has_any(&[Role::Committee, Role::Leader]) {
            items.push(("/dashboard", "工作台"));
            items.push(("/units", "单位"));
            items.push(("/surveys", "摸排"));
            items.push(("/applications", "建团申请"));
            items.push(("/reminders", "督促"));
            items.push(("/organizations", "团组织"));
            items.push(("/members", "团员"));
            items.push(("/activities", "活动"));
            items.push(("/reports", "报告"));
            items.push(("/assessments", "干部考核"));
            items.push(("/plans", "工作安排"));
            items.push(("/awards", "青年文明号"));
        }
        if user.has(Role::Secretary) {
            items.push(("/my-unit", "本单位"));
            if !user.has_any(&[Role::Committee, Role::Leader]) {
                items.push(("/applications", "建团申请"));
                items.push(("/organizations", "团组织"));
                items.push(("/members", "团员"));
                items.push(("/activities", "活动"));
                items.push(("/plans", "工作安排"));
                items.push(("/awards", "青年文明号"));
            }
            items.push(("/assessments/mine", "我的考核"));
        }
        items.push(("/inbox", "通知"));
        if user.has(Role::Admin) {
            items.push(("/admin/accounts", "账户管理"));
            items.push(("/admin/audit", "审计日志"));
        }
        items.push(("/account/password", "修改密码"));
        items
            .into_iter()
            .map(|(href, label)| NavItem {
                href,
                label,
                active: self.path == href || self.path.starts_with(&format!("{href}/")),
            })
            .collect()
    }
}

impl FromRequestParts<AppState> for PageContext {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(PageContext {
            user: parts.extensions.get::<CurrentUser>().cloned(),
            csrf: parts
                .extensions
                .get::<CsrfToken>()
                .map(|t| t.0.clone())
                .unwrap_or_default(),
            flash: parts.extensions.get::<Flash>().cloned(),
            path: parts.uri.path().to_string(),
            zone: state.clock.zone(),
        })
    }
}
