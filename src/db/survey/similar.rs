//! The zone's units that an imported survey row may be although its name is not the one
//! stored: a unit whose name was stored before names were normalised is that unit; one
//! spelled nearly alike is listed for the committee to confirm.

use std::collections::HashMap;

use serde::Serialize;
use sqlx::PgConnection;

use crate::domain::name::{normalize_name, possibly_same};

/// A new unit of the import whose name is near an existing unit's.
#[derive(Debug, Clone, Serialize)]
pub struct SimilarUnit {
    /// The row of the workbook.
    pub line: i32,
    pub name: String,
    /// The existing unit's name, as stored.
    pub existing: String,
}

/// Matches the rows of `import_row` that nothing matched yet (no unit with their credit
/// code or their name) against the zone's units whose name starts with the same character
/// and that no other row took: a unit whose stored name normalises (`normalize_name`) to
/// the row's name, and is the only one that does, is the row's unit (the commit then
/// stores its name normalised). Returns the rows still new whose name is near an existing
/// unit's (`possibly_same`), by line.
pub(super) async fn match_normalised(
    tx: &mut PgConnection,
) -> Result<Vec<SimilarUnit>, sqlx::Error> {
    let rows: Vec<(i32, String)> =
        sqlx::query_as("select line, name from import_row where unit_id is null order by line")
            .fetch_all(&mut *tx)
            .await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let firsts: Vec<String> = rows
        .iter()
        .filter_map(|(_, name)| name.chars().next().map(String::from))
        .collect();
    let units: Vec<(i64, String)> = sqlx::query_as(
        "select u.unit_id, u.name from unit u
          where left(u.name, 1) = any($1)
            and not exists (select 1 from import_row r where r.unit_id = u.unit_id)",
    )
    .bind(&firsts)
    .fetch_all(&mut *tx)
    .await?;
    let mut by_first: HashMap<char, Vec<(i64, &str, String)>> = HashMap::new();
    for (id, name) in &units {
        if let Some(first) = name.chars().next() {
            by_first
                .entry(first)
                .or_default()
                .push((*id, name, normalize_name(name)));
        }
    }
    let mut matched: (Vec<i32>, Vec<i64>) = (Vec::new(), Vec::new());
    let mut similar = Vec::new();
    for (line, name) in rows {
        let candidates = name
            .chars()
            .next()
            .and_then(|c| by_first.get(&c))
            .map_or(&[][..], Vec::as_slice);
        let same: Vec<i64> = candidates
            .iter()
            .filter(|(_, _, normal)| *normal == name)
            .map(|(id, ..)| *id)
            .collect();
        if let [id] = same[..] {
            matched.0.push(line);
            matched.1.push(id);
            continue;
        }
        for (_, stored, normal) in candidates {
            if possibly_same(&name, normal) {
                similar.push(SimilarUnit {
                    line,
                    name: name.clone(),
                    existing: stored.to_string(),
                });
            }
        }
    }
    sqlx::query(
        "update import_row r set unit_id = m.unit_id
           from unnest($1::int[], $2::bigint[]) m(line, unit_id) where r.line = m.line",
    )
    .bind(&matched.0)
    .bind(&matched.1)
    .execute(&mut *tx)
    .await?;
    Ok(similar)
}
