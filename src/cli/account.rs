//! `account create`: the password read twice from a terminal (or once from a pipe) and
//! checked against the policy, then the account, its role and its audit event in one
//! transaction (the same use case as the admin page's).

use std::io::{IsTerminal, Read};

use anyhow::{Context, bail};

use crate::auth::password;
use crate::db::{self, audit::Actor};
use crate::domain::role::Role;
use crate::domain::username::Username;
use crate::pg::Database;
use crate::services::Error;
use crate::services::accounts::{self, NewAccount};

fn read_password() -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        let first = rpassword::prompt_password("Password: ")?;
        let second = rpassword::prompt_password("Repeat password: ")?;
        if first != second {
            bail!("the two passwords differ");
        }
        Ok(first)
    } else {
        let mut text = String::new();
        stdin.lock().read_to_string(&mut text)?;
        Ok(text.lines().next().unwrap_or("").to_string())
    }
}

pub(super) async fn create_account(
    database: &Database,
    username: &str,
    role: Role,
    unit: Option<&str>,
    display_name: &str,
) -> anyhow::Result<()> {
    let username = Username::parse(username).map_err(anyhow::Error::msg)?;
    let unit_id = match (role, unit) {
        (Role::Secretary, None) => bail!("a secretary needs --unit NAME"),
        (Role::Secretary, Some(name)) => Some(
            db::unit::find_id_by_name(&database.pool, name)
                .await?
                .with_context(|| format!("no unit is named {name:?}"))?,
        ),
        (_, Some(_)) => bail!("--unit applies to secretaries only"),
        (_, None) => None,
    };
    let password = read_password()?;
    password::check_policy(&password, username.as_str()).map_err(anyhow::Error::msg)?;
    let hash = password::hash(password).await?;
    let new = NewAccount {
        username: &username,
        display_name: display_name.trim(),
        password_hash: &hash,
        role,
        unit: unit_id,
        // Whoever runs the command types the password, for an account of their own (the
        // first administrator) or handed over in person; the admin page flags its own.
        set_by: crate::db::account::SetBy::Owner,
    };
    let actor = Actor::system("(command line)", "local");
    match accounts::create(&database.pool, &actor, &new, chrono::Utc::now()).await {
        Ok(_) => {}
        Err(Error::Refused(_)) => bail!("an account named {} exists already", username.as_str()),
        Err(Error::Database(e)) => return Err(e.into()),
    }
    println!("created account {} ({})", username.as_str(), role.code());
    Ok(())
}
