//! The members' encrypted fields as stored: decrypting them for `reveal`, and re-encrypting
//! them under the current key version when the keys are rotated.

use sqlx::PgPool;

use crate::crypto::Keys;
use crate::domain::ids::MemberId;

/// The member's full resident ID and phone, decrypted; an error when they are erased.
pub async fn reveal(
    db: &PgPool,
    keys: &Keys,
    id: MemberId,
) -> anyhow::Result<(String, Option<String>)> {
    reveal_many(db, keys, &[id])
        .await?
        .remove(&id)
        .ok_or_else(|| anyhow::anyhow!("member {id} not found"))
}

/// The full resident IDs and phones of several members, decrypted, in one query; members
/// whose numbers are erased are not in the answer.
pub async fn reveal_many(
    db: &PgPool,
    keys: &Keys,
    ids: &[MemberId],
) -> anyhow::Result<std::collections::HashMap<MemberId, (String, Option<String>)>> {
    let rows: Vec<Sealed> = sqlx::query_as(
        "select member_id, resident_id_cipher, resident_id_version, phone_cipher, phone_version
           from member where member_id = any($1) and erased_at is null",
    )
    .bind(ids)
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|row| {
            let resident_id = keys.decrypt(row.resident_id_version, &row.resident_id_cipher)?;
            let phone = match (row.phone_cipher, row.phone_version) {
                (Some(p), Some(v)) => Some(keys.decrypt(v, &p)?),
                _ => None,
            };
            Ok((row.member_id, (resident_id, phone)))
        })
        .collect()
}

/// A member's encrypted fields as stored.
#[derive(sqlx::FromRow)]
struct Sealed {
    member_id: MemberId,
    resident_id_cipher: Vec<u8>,
    resident_id_version: i32,
    phone_cipher: Option<Vec<u8>>,
    phone_version: Option<i32>,
}

/// Re-encrypts every resident ID and phone not yet under the current key version, in one
/// transaction. Returns how many members were rewritten.
pub async fn reencrypt(db: &PgPool, keys: &Keys) -> anyhow::Result<u64> {
    let current = keys.current_version();
    let mut tx = db.begin().await?;
    let rows: Vec<Sealed> = sqlx::query_as(
        "select member_id, resident_id_cipher, resident_id_version, phone_cipher, phone_version
           from member where erased_at is null and (resident_id_version <> $1 or phone_version <> $1)
            for update",
    )
    .bind(current)
    .fetch_all(&mut *tx)
    .await?;
    for Sealed {
        member_id: id,
        resident_id_cipher: cipher,
        resident_id_version: version,
        phone_cipher: phone,
        phone_version,
    } in &rows
    {
        let (new_version, new_cipher) = keys.encrypt(&keys.decrypt(*version, cipher)?);
        let new_phone = match (phone, phone_version) {
            (Some(p), Some(v)) => Some(keys.encrypt(&keys.decrypt(*v, p)?)),
            _ => None,
        };
        sqlx::query(
            "update member set resident_id_cipher = $2, resident_id_version = $3, phone_cipher = $4, phone_version = $5
              where member_id = $1",
        )
        .bind(id)
        .bind(new_cipher)
        .bind(new_version)
        .bind(new_phone.as_ref().map(|(_, c)| c.clone()))
        .bind(new_phone.as_ref().map(|(v, _)| *v))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(rows.len() as u64)
}
