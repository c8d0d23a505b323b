//! `account create`: the password read twice from a terminal (or once from a pipe) and
//! checked against the policy, then the account, its role and its audit event in one
//! transaction.

use std::io::{IsTerminal, Read};

use anyhow::{Context, bail};
use serde_json::json;

use crate::auth::password;
use crate::db::{self, audit::Actor, audit::Event};
use crate::domain::audit::Action as AuditAction;
use crate::domain::role::Role;
use crate::domain::username::Username;
use crate::pg::Database;

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
    let mut tx = database.pool.begin().await?;
    if db::account::exists(&mut *tx, username.as_str()).await? {
        bail!("an account named {} exists already", username.as_str());
    }
    let id = db::account::create(&mut tx, username.as_str(), display_name.trim(), &hash).await?;
    db::account::add_role(&mut tx, id, role, unit_id).await?;
    let actor = Actor::system("(command line)", "local");
    db::audit::record(
        &mut *tx,
        chrono::Utc::now(),
        &actor,
        Event::new(AuditAction::AccountCreated, "account", id).after(json!({
            "username": username.as_str(),
            "role": role.code(),
            "unit_id": unit_id,
        })),
    )
    .await?;
    tx.commit().await?;
    println!("created account {} ({})", username.as_str(), role.code());
    Ok(())
}
