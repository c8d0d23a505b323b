//! The zone's units that an imported survey row may be although its name is not the one
//! stored: a unit whose name was stored before names were normalised is that unit; one
//! spelled nearly alike is listed for the committee to confirm.

use std::collections::HashMap;

use serde::Serialize;
use sqlx::PgConnection;

use crate::domain::name::normalize_name;
use crate::domain::near_names::near_pairs;

/// A new unit of the import whose name is near an existing unit's.
#[derive(Debug, Clone, Serialize)]
pub struct SimilarUnit {
    /// The row of the workbook.
    pub line: i32,
    pub name: String,
    /// The existing unit's name, as stored.
    pub existing: String,
}

/// How many existing units the preview names for one new row at most.
const SIMILAR_PER_ROW: usize = 3;

/// Matches the rows of `import_row` that nothing matched yet (no unit with their credit
/// code or their name) against the zone's units that no other row took: a unit whose stored
/// name normalises (`normalize_name`) to the row's name, and is the only one that does, is
/// the row's unit (the commit then stores its name normalised). Returns the rows still new
/// whose name is near an existing unit's (`possibly_same`, however each name begins; at
/// most `SIMILAR_PER_ROW` units each), by line.
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
    let units: Vec<(i64, String)> = sqlx::query_as(
        "select u.unit_id, u.name from unit u
          where not exists (select 1 from import_row r where r.unit_id = u.unit_id)
          order by u.name",
    )
    .fetch_all(&mut *tx)
    .await?;
    let normal: Vec<String> = units.iter().map(|(_, name)| normalize_name(name)).collect();
    let mut by_normal: HashMap<&str, Vec<i64>> = HashMap::new();
    for ((id, _), name) in units.iter().zip(&normal) {
        by_normal.entry(name).or_default().push(*id);
    }
    let mut matched: (Vec<i32>, Vec<i64>) = (Vec::new(), Vec::new());
    let mut new: Vec<&(i32, String)> = Vec::new();
    for row in &rows {
        match by_normal.get(row.1.as_str()).map(Vec::as_slice) {
            Some(&[id]) => {
                matched.0.push(row.0);
                matched.1.push(id);
            }
            _ => new.push(row),
        }
    }
    let new_names: Vec<&str> = new.iter().map(|(_, name)| name.as_str()).collect();
    let stored: Vec<&str> = normal.iter().map(String::as_str).collect();
    let similar = near_pairs(&new_names, &stored, SIMILAR_PER_ROW)
        .into_iter()
        .map(|(i, j)| SimilarUnit {
            line: new[i].0,
            name: new[i].1.clone(),
            existing: units[j].1.clone(),
        })
        .collect();
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
