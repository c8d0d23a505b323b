//! Who the user is: passwords, sessions, sign-in, the role extractors and CSRF.

pub mod csrf;
pub mod extract;
pub mod password;
pub mod session;
pub mod signin;

pub use extract::{CurrentUser, MaybeUser, Require};
