//! The two database roles (security review F5): the owner, who runs the migrations and owns
//! every table, and the application's role, which owns nothing, cannot create anything and
//! holds only the rights the server needs. On `audit_event` that is INSERT and SELECT: the
//! log cannot be rewritten, its triggers not disabled, through the application.

use anyhow::{Context, bail};
use sqlx::PgPool;

/// The application's role in a managed cluster (and in the tests).
pub const APP_ROLE: &str = "tuanjian_app";

/// Tables the application's role may only read: the migrations' record, the audit chain's
/// head and the archives' record (`audit verify` reads them).
const READ_ONLY: &[&str] = &["_sqlx_migrations", "audit_chain_head", "audit_archive"];

/// Creates `role` in the owner's server unless it exists: it may log in, and nothing more.
/// Needs the owner to be a superuser or to hold CREATEROLE (a managed cluster's owner is).
pub async fn ensure_role(owner: &PgPool, role: &str) -> anyhow::Result<()> {
    let role = quoted(role)?;
    let exists: bool =
        sqlx::query_scalar("select exists (select 1 from pg_roles where rolname = $1)")
            .bind(role.trim_matches('"'))
            .fetch_one(owner)
            .await?;
    if !exists {
        let created = sqlx::query(&format!(
            "create role {role} login nosuperuser nocreatedb nocreaterole noinherit noreplication nobypassrls"
        ))
        .execute(owner)
        .await;
        match created {
            Ok(_) => {}
            // a second process starting on the same cluster created it meanwhile
            Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("42710") => {}
            Err(e) => {
                return Err(
                    anyhow::Error::from(e).context(format!("creating the database role {role}"))
                );
            }
        }
    }
    Ok(())
}

/// Gives `role` exactly the rights the server needs in the owner's database: read and write
/// the business tables, draw from the sequences, create temporary tables (the workbook
/// import stages its rows in one); append to and read the audit log; read the archives and
/// the audit chain's head and the migrations' record. Idempotent: run after every
/// migration (`Database::open`), and after a restore, which brings back the owner's tables
/// without these grants. Also sets default privileges so that tables a later migration
/// creates are granted too.
pub async fn grant_app(owner: &PgPool, role: &str) -> anyhow::Result<()> {
    let role = quoted(role)?;
    let database: String = sqlx::query_scalar("select current_database()")
        .fetch_one(owner)
        .await?;
    let database = database.replace('"', "\"\"");
    let statements = [
        format!("grant connect, temporary on database \"{database}\" to {role}"),
        // PostgreSQL 15 no longer lets everyone create in `public`; older servers do.
        "revoke create on schema public from public".to_string(),
        format!("grant usage on schema public to {role}"),
        format!("grant select, insert, update, delete on all tables in schema public to {role}"),
        format!("grant usage, select on all sequences in schema public to {role}"),
        format!(
            "alter default privileges in schema public grant select, insert, update, delete on tables to {role}"
        ),
        format!(
            "alter default privileges in schema public grant usage, select on sequences to {role}"
        ),
        format!("revoke update, delete, truncate, references, trigger on audit_event from {role}"),
        format!(
            "revoke insert, update, delete, truncate, references, trigger on {} from {role}",
            READ_ONLY.join(", ")
        ),
    ];
    let mut tx = owner.begin().await?;
    for statement in &statements {
        sqlx::query(statement)
            .execute(&mut *tx)
            .await
            .with_context(|| format!("granting the application's rights: {statement}"))?;
    }
    tx.commit().await?;
    Ok(())
}

/// Why the pool's role is more than the application needs, if it is: a superuser, or the
/// owner of the audit log, can rewrite the log.
pub async fn excess_privilege(pool: &PgPool) -> anyhow::Result<Option<String>> {
    let (user, superuser, owns_audit): (String, bool, bool) = sqlx::query_as(
        "select current_user::text,
                (select rolsuper from pg_roles where rolname = current_user),
                coalesce((select pg_has_role(current_user, relowner, 'usage')
                            from pg_class where oid = to_regclass('audit_event')), false)",
    )
    .fetch_one(pool)
    .await?;
    Ok(if superuser {
        Some(format!("the database role {user} is a superuser"))
    } else if owns_audit {
        Some(format!("the database role {user} owns the tables"))
    } else {
        None
    })
}

/// `name` as a quoted SQL identifier, for names of the plain shape roles have here.
fn quoted(name: &str) -> anyhow::Result<String> {
    let plain = !name.is_empty()
        && name.len() <= 63
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.');
    if !plain {
        bail!("the database role name {name:?} must be made of letters, digits, `_`, `-` or `.`");
    }
    Ok(format!("\"{name}\""))
}

#[cfg(test)]
mod tests {
    use super::quoted;

    #[test]
    fn role_names_are_quoted_and_odd_ones_refused() {
        assert_eq!(quoted("tuanjian_app").unwrap(), "\"tuanjian_app\"");
        assert!(quoted("a\"; drop table x; --").is_err());
        assert!(quoted("").is_err());
    }
}
