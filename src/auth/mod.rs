//! Who the user is: passwords, sessions, sign-in, the second factor, the role extractors
//! and CSRF.

pub mod cookie;
pub mod csrf;
pub mod extract;
pub mod password;
pub mod recovery;
pub mod second_factor;
pub mod session;
pub mod signin;
pub mod signin_code;
pub mod totp;

pub use extract::{CurrentUser, MaybeUser, Require};
