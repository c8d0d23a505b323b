//! `GET /api/v1/me`: who the session belongs to and the roles it holds.

use axum::Json;
use serde::Serialize;

use crate::auth::extract::CurrentUser;
use crate::domain::ids::UnitId;
use crate::domain::role::{Grant, Role};

#[derive(Debug, Serialize)]
pub struct Me {
    pub username: String,
    pub display_name: String,
    pub roles: Vec<RoleItem>,
}

/// One role, with the unit a secretary is limited to.
#[derive(Debug, Serialize)]
pub struct RoleItem {
    pub role: Role,
    pub unit_id: Option<UnitId>,
}

impl From<Grant> for RoleItem {
    fn from(grant: Grant) -> RoleItem {
        RoleItem {
            role: grant.role,
            unit_id: grant.unit_id,
        }
    }
}

impl From<CurrentUser> for Me {
    fn from(user: CurrentUser) -> Me {
        Me {
            username: user.username,
            display_name: user.display_name,
            roles: user.grants.into_iter().map(RoleItem::from).collect(),
        }
    }
}

pub async fn show_me(user: CurrentUser) -> Json<Me> {
    Json(Me::from(user))
}
