//! The application state every handler and extractor shares: the pool, the clock, the
//! settings and the personal-data keys. It depends on nothing above the database, so that
//! `auth` and `web` can use it while `startup` composes them.

use std::sync::Arc;

use sqlx::PgPool;

use crate::clock::Clock;
use crate::config::Settings;
use crate::crypto::Keys;

#[derive(Clone)]
pub struct AppState {
    pub db: PgPool,
    pub clock: Clock,
    pub settings: Arc<Settings>,
    /// The personal-data keys; never in the database.
    pub keys: Arc<Keys>,
}

impl AppState {
    pub fn new(db: PgPool, clock: Clock, settings: Settings, keys: Keys) -> Self {
        AppState {
            db,
            clock,
            settings: Arc::new(settings),
            keys: Arc::new(keys),
        }
    }
}
