//! Importing a survey workbook (摸排统计表): read and check it off the async runtime, then
//! write every row in one transaction with its audit event, or nothing. The command line,
//! the web upload, its preview and the demo all go through here.

use crate::db;
use crate::domain::audit::Action as AuditAction;
use crate::domain::ids::SurveyId;
use crate::domain::survey::SurveySheet;
use crate::domain::workbook::ImportError;
use crate::import::survey;

/// What a successful survey import did.
#[derive(Debug, Clone)]
pub struct SurveyImport {
    pub survey_id: SurveyId,
    pub as_of: chrono::NaiveDate,
    pub rows: usize,
    /// Rows created or changed; 0 when the same workbook was imported before.
    pub changed: u64,
    pub summary: db::survey::Summary,
}

/// The one survey import, used by the command line, the web upload and the demo: read
/// and check the workbook (off the async runtime), then write it all in one transaction
/// or nothing. `as_of` overrides the date in the workbook.
pub async fn import_survey(
    db: &sqlx::PgPool,
    bytes: Vec<u8>,
    as_of: Option<chrono::NaiveDate>,
    actor: &db::audit::Actor,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<SurveyImport, ImportError> {
    import_survey_sheet(db, bytes, None, as_of, actor, now).await
}

/// `import_survey` from the worksheet `sheet` (one of the preview's candidates); `None`
/// reads the first with the survey's header.
pub async fn import_survey_sheet(
    db: &sqlx::PgPool,
    bytes: Vec<u8>,
    sheet: Option<String>,
    as_of: Option<chrono::NaiveDate>,
    actor: &db::audit::Actor,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<SurveyImport, ImportError> {
    let (sheet, as_of) = read_with_date(bytes, sheet, as_of).await?;
    let mut tx = db.begin().await?;
    let stats = db::survey::commit(&mut tx, &sheet, as_of, now).await?;
    let (survey_id, changed) = (stats.survey_id, stats.changed);
    if changed > 0 {
        db::audit::record(
            &mut *tx,
            now,
            actor,
            db::audit::Event::new(AuditAction::SurveyImported, "survey", survey_id).after(
                serde_json::json!({ "as_of": as_of, "rows": sheet.rows.len(), "changed": changed }),
            ),
        )
        .await?;
    }
    tx.commit().await?;
    let summary = db::survey::summary(db, survey_id).await?;
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
    /// The worksheet read, and every one that has the survey's header.
    pub sheet: String,
    pub candidates: Vec<String>,
    pub rows: usize,
    pub stats: db::survey::CommitStats,
    pub summary: db::survey::Summary,
}

pub async fn preview_survey(
    db: &sqlx::PgPool,
    bytes: Vec<u8>,
    sheet: Option<String>,
    as_of: Option<chrono::NaiveDate>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Preview, ImportError> {
    let (sheet, as_of) = read_with_date(bytes, sheet, as_of).await?;
    let mut tx = db.begin().await?;
    let stats = db::survey::commit(&mut tx, &sheet, as_of, now).await?;
    let summary = db::survey::summary(&mut *tx, stats.survey_id).await?;
    tx.rollback().await?;
    Ok(Preview {
        as_of,
        rows: sheet.rows.len(),
        sheet: sheet.sheet_name,
        candidates: sheet.candidates,
        stats,
        summary,
    })
}

/// Reads and checks a survey workbook off the async runtime, and settles its as-of date.
async fn read_with_date(
    bytes: Vec<u8>,
    sheet: Option<String>,
    as_of: Option<chrono::NaiveDate>,
) -> Result<(SurveySheet, chrono::NaiveDate), ImportError> {
    let sheet = tokio::task::spawn_blocking(move || survey::read_sheet(&bytes, sheet.as_deref()))
        .await
        .map_err(|_| ImportError::Unreadable("读取工作簿时出错".into()))??;
    let as_of = as_of.or(sheet.as_of).ok_or_else(|| {
        ImportError::Unreadable(
            "工作簿中找不到统计截止日期（如“统计截止日期：2018年6月1日”），请注明或指定截止日期"
                .into(),
        )
    })?;
    crate::domain::survey::check_round_date(as_of)
        .map_err(|reason| ImportError::Unreadable(format!("统计截止日期{as_of}无效：{reason}")))?;
    Ok((sheet, as_of))
}
