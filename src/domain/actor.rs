//! Who does something, and from where: the one shape every workflow, history row and
//! audit event takes for the person (or the command line) acting.

use super::ids::AccountId;

#[derive(Debug, Clone)]
pub struct Actor {
    /// None for the command line and the demo loader.
    pub account_id: Option<AccountId>,
    pub username: String,
    /// The name histories show: the display name, or the username when there is none.
    pub name: String,
    /// The client's address as the request log records it, or a word such as `cli`.
    pub address: String,
}

impl Actor {
    /// An actor without an account, such as the command line (`username` "cli").
    pub fn system(username: &str, address: &str) -> Actor {
        Actor {
            account_id: None,
            username: username.to_string(),
            name: username.to_string(),
            address: address.to_string(),
        }
    }
}
