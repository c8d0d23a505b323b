//! Reading workbooks that offices send: size and zip-bomb checks before parsing, cells
//! as people type them, and faults reported as `第N行 列名：原因`.

pub mod cell;
pub mod roster;
pub mod survey;
pub mod workbook;

use std::fmt;

/// One fault in a workbook, at the spreadsheet's own (1-based) row number.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Fault {
    pub row: u32,
    pub column: String,
    pub reason: String,
    /// The cell's text as found, for the preview.
    pub value: String,
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "第{}行 {}：{}", self.row, self.column, self.reason)
    }
}

/// Why a workbook could not be imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file itself cannot be read as a survey workbook.
    #[error("{0}")]
    Unreadable(String),
    /// Rows with faults: nothing was written.
    #[error("工作簿有{}处错误，未导入任何数据", .0.len())]
    Faults(Vec<Fault>),
    /// The round is locked and cannot change.
    #[error("截止{0}的摸排轮次已锁定，不能再导入")]
    Locked(chrono::NaiveDate),
    #[error("数据库错误：{0}")]
    Database(#[from] sqlx::Error),
}

/// What a successful survey import did.
#[derive(Debug, Clone)]
pub struct SurveyImport {
    pub survey_id: crate::domain::ids::SurveyId,
    pub as_of: chrono::NaiveDate,
    pub rows: usize,
    /// Rows created or changed; 0 when the same workbook was imported before.
    pub changed: u64,
    pub summary: crate::db::survey::Summary,
}

/// The one survey import, used by the command line, the web upload and the demo: read
/// and check the workbook (off the async runtime), then write it all in one transaction
/// or nothing. `as_of` overrides the date in the workbook.
pub async fn import_survey(
    db: &sqlx::PgPool,
    bytes: Vec<u8>,
    as_of: Option<chrono::NaiveDate>,
    actor: &crate::db::audit::Actor,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<SurveyImport, ImportError> {
    let (sheet, as_of) = read_with_date(bytes, as_of).await?;
    let mut tx = db.begin().await?;
    let stats = crate::db::survey::commit(&mut tx, &sheet, as_of, now).await?;
    let (survey_id, changed) = (stats.survey_id, stats.changed);
    if changed > 0 {
        crate::db::audit::record(
            &mut *tx,
            now,
            actor,
            crate::db::audit::Event::new("survey.imported", "survey", survey_id).after(
                serde_json::json!({ "as_of": as_of, "rows": sheet.rows.len(), "changed": changed }),
            ),
        )
        .await?;
    }
    tx.commit().await?;
    let summary = crate::db::survey::summary(db, survey_id).await?;
    Ok(SurveyImport {
        survey_id,
        as_of,
        rows: sheet.rows.len(),
        changed,
        summary,
    })
}

/// What importing a workbook would do, without doing it: the commit runs in a transaction
/// that is rolled back, so the preview uses exactly the import's own rules.
#[derive(Debug, Clone)]
pub struct Preview {
    pub as_of: chrono::NaiveDate,
    pub rows: usize,
    pub stats: crate::db::survey::CommitStats,
    pub summary: crate::db::survey::Summary,
}

pub async fn preview_survey(
    db: &sqlx::PgPool,
    bytes: Vec<u8>,
    as_of: Option<chrono::NaiveDate>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Preview, ImportError> {
    let (sheet, as_of) = read_with_date(bytes, as_of).await?;
    let mut tx = db.begin().await?;
    let stats = crate::db::survey::commit(&mut tx, &sheet, as_of, now).await?;
    let summary = crate::db::survey::summary(&mut *tx, stats.survey_id).await?;
    tx.rollback().await?;
    Ok(Preview {
        as_of,
        rows: sheet.rows.len(),
        stats,
        summary,
    })
}

/// Reads and checks a survey workbook off the async runtime, and settles its as-of date.
async fn read_with_date(
    bytes: Vec<u8>,
    as_of: Option<chrono::NaiveDate>,
) -> Result<(survey::SurveySheet, chrono::NaiveDate), ImportError> {
    let sheet = tokio::task::spawn_blocking(move || survey::read(&bytes))
        .await
        .map_err(|_| ImportError::Unreadable("读取工作簿时出错".into()))??;
    let as_of = as_of.or(sheet.as_of).ok_or_else(|| {
        ImportError::Unreadable(
            "工作簿中找不到统计截止日期（如“统计截止日期：2018年6月1日”），请注明或指定截止日期"
                .into(),
        )
    })?;
    Ok((sheet, as_of))
}
