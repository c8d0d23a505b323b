//! The staff's work-summary drafts: starting one for a period and round (or from a
//! finalised report), saving their words with the computed texts they were written
//! against, and finalising (报送) one as the snapshot of what it then read. Each change is
//! audited in its transaction; a finalised report is never changed.

use std::collections::BTreeMap;

use serde_json::Value;
use sqlx::PgPool;

use super::work_summary;
use crate::clock::Clock;
use crate::db::audit::Event;
use crate::db::work_report::{self, NewDraft, WorkReportRow};
use crate::domain::actor::Actor;
use crate::domain::audit::Action;
use crate::domain::ids::{SurveyId, WorkReportId};
use crate::report::work_summary::{ItemWords, Words};
use crate::report::{Period, WorkSummary};
use crate::services::{Error, Outcome, commit_audited};

/// The longest title, item heading and paragraph the staff may write, in characters.
pub const TITLE_MAX: usize = 100;
pub const HEADING_MAX: usize = 60;
pub const TEXT_MAX: usize = 5000;

fn words_of(row: &WorkReportRow) -> Words {
    Words {
        title: row.title.clone(),
        opening: row.opening.clone(),
        closing: row.closing.clone(),
        items: serde_json::from_value(row.words.clone()).unwrap_or_default(),
    }
}

fn period_of(row: &WorkReportRow) -> Result<Period, Error> {
    Period::parse(&row.period).ok_or_else(|| Error::refused("报告的期间无效"))
}

/// The report a kept one reads: a finalised one's snapshot, a draft composed now.
pub async fn report_of(db: &PgPool, clock: &Clock, row: &WorkReportRow) -> Outcome<WorkSummary> {
    if let Some(snapshot) = &row.snapshot {
        return serde_json::from_value(snapshot.clone())
            .map_err(|e| Error::Database(sqlx::Error::Decode(Box::new(e))));
    }
    work_summary(db, clock, period_of(row)?, row.survey_id, words_of(row)).await
}

/// What the API and the command line answer for a period and round: the finalised
/// report if there is one, else the draft, else the report without the staff's words.
pub async fn published(
    db: &PgPool,
    clock: &Clock,
    period: Period,
    survey: Option<SurveyId>,
) -> Outcome<WorkSummary> {
    match work_report::of_period(db, &period.code(), survey).await? {
        Some(row) => report_of(db, clock, &row).await,
        None => work_summary(db, clock, period, survey, Words::default()).await,
    }
}

/// The draft of `period` and `survey`: the one there is, or a new one (audited).
pub async fn start_draft(
    db: &PgPool,
    actor: &Actor,
    now: chrono::DateTime<chrono::Utc>,
    period: Period,
    survey: Option<SurveyId>,
) -> Outcome<WorkReportId> {
    let mut tx = db.begin().await?;
    let code = period.code();
    if let Some(id) = work_report::draft_of(&mut tx, &code, survey).await? {
        return Ok(id);
    }
    let empty = Value::Object(Default::default());
    let draft = NewDraft {
        period: &code,
        survey,
        title: None,
        opening: "",
        closing: "",
        words: &empty,
        based_on: None,
    };
    let id = work_report::create(&mut tx, &draft, actor.account_id).await?;
    let event = Event::new(Action::WorkReportDrafted, "work_report", id).after(serde_json::json!({
        "period": code, "survey_id": survey,
    }));
    commit_audited(tx, now, actor, event).await?;
    Ok(id)
}

/// A new draft from a finalised report's words, or the draft its period already has.
pub async fn copy(
    db: &PgPool,
    actor: &Actor,
    now: chrono::DateTime<chrono::Utc>,
    from: &WorkReportRow,
) -> Outcome<WorkReportId> {
    if !from.is_final() {
        return Err(Error::refused("只有已报送的报告可以作为新稿的基础"));
    }
    let mut tx = db.begin().await?;
    if let Some(id) = work_report::draft_of(&mut tx, &from.period, from.survey_id).await? {
        return Ok(id);
    }
    let draft = NewDraft {
        period: &from.period,
        survey: from.survey_id,
        title: from.title.as_deref(),
        opening: &from.opening,
        closing: &from.closing,
        words: &from.words,
        based_on: Some(from.work_report_id),
    };
    let id = work_report::create(&mut tx, &draft, actor.account_id).await?;
    let event = Event::new(Action::WorkReportDrafted, "work_report", id)
        .after(serde_json::json!({ "based_on": from.work_report_id }));
    commit_audited(tx, now, actor, event).await?;
    Ok(id)
}

/// What the edit form sends: the title, the two paragraphs, and per item key a heading
/// and words.
#[derive(Debug, Default)]
pub struct WordsInput {
    pub title: String,
    pub opening: String,
    pub closing: String,
    pub items: BTreeMap<String, ItemWords>,
}

/// Every fault of the input, in Chinese; empty when it may be saved.
fn faults(input: &WordsInput, headings: &BTreeMap<String, String>) -> Vec<String> {
    let long = |text: &str, max: usize| text.chars().count() > max;
    let mut faults = Vec::new();
    if long(input.title.trim(), TITLE_MAX) {
        faults.push(format!("标题不能超过{TITLE_MAX}个字"));
    }
    for (name, text) in [("开头段落", &input.opening), ("结尾段落", &input.closing)] {
        if long(text, TEXT_MAX) {
            faults.push(format!("{name}不能超过{TEXT_MAX}个字"));
        }
    }
    for (key, words) in &input.items {
        let Some(shown) = headings.get(key) else {
            faults.push("报告中没有这一项，请刷新页面后重试".to_string());
            continue;
        };
        if words
            .heading
            .as_deref()
            .is_some_and(|h| long(h.trim(), HEADING_MAX))
        {
            faults.push(format!("{shown}：标题不能超过{HEADING_MAX}个字"));
        }
        if long(&words.text, TEXT_MAX) {
            faults.push(format!("{shown}：补充内容不能超过{TEXT_MAX}个字"));
        }
    }
    faults
}

/// Saves the staff's words on a draft with the computed texts as they read now; refused
/// with every fault (nothing written) or for a finalised report.
pub async fn save(
    db: &PgPool,
    clock: &Clock,
    actor: &Actor,
    row: &WorkReportRow,
    input: WordsInput,
) -> Outcome<()> {
    if row.is_final() {
        return Err(Error::refused(
            "该报告已报送，不能再修改；可以以它为基础起草新稿",
        ));
    }
    let current = work_summary(db, clock, period_of(row)?, row.survey_id, Words::default()).await?;
    let shown = || current.sections.iter().flat_map(|s| s.items.iter());
    let headings: BTreeMap<String, String> = shown()
        .map(|i| (i.key.clone(), format!("{}{}", i.number, i.heading)))
        .collect();
    let found = faults(&input, &headings);
    if !found.is_empty() {
        return Err(Error::refused(found.join("；")));
    }
    let clean = |t: &str| crate::domain::text::strip_controls(t.trim()).into_owned();
    let items: BTreeMap<String, ItemWords> = input
        .items
        .into_iter()
        .map(|(key, w)| {
            let heading = w.heading.map(|h| clean(&h)).filter(|h| !h.is_empty());
            (
                key,
                ItemWords {
                    heading,
                    text: clean(&w.text),
                },
            )
        })
        .filter(|(_, w)| w.heading.is_some() || !w.text.is_empty())
        .collect();
    let figures: BTreeMap<String, String> = shown()
        .map(|i| (i.key.clone(), i.computed.clone()))
        .collect();
    let title = clean(&input.title);
    let (opening, closing) = (clean(&input.opening), clean(&input.closing));
    let mut tx = db.begin().await?;
    let words = serde_json::to_value(&items).unwrap_or_default();
    let figures = serde_json::to_value(&figures).unwrap_or_default();
    let texts = (
        (!title.is_empty()).then_some(title.as_str()),
        opening.as_str(),
        closing.as_str(),
    );
    if !work_report::save(&mut tx, row.work_report_id, texts, &words, &figures).await? {
        return Err(Error::refused(
            "该报告已报送，不能再修改；可以以它为基础起草新稿",
        ));
    }
    let event = Event::new(Action::WorkReportSaved, "work_report", row.work_report_id);
    commit_audited(tx, clock.now(), actor, event).await
}

/// Finalises (报送) a draft: the report as it reads now becomes its snapshot.
pub async fn finalise(
    db: &PgPool,
    clock: &Clock,
    actor: &Actor,
    row: &WorkReportRow,
) -> Outcome<()> {
    if row.is_final() {
        return Err(Error::refused("该报告已报送"));
    }
    let report = report_of(db, clock, row).await?;
    let snapshot = serde_json::to_value(&report).unwrap_or_default();
    let mut tx = db.begin().await?;
    let now = clock.now();
    if !work_report::finalise(
        &mut tx,
        row.work_report_id,
        &snapshot,
        actor.account_id,
        now,
    )
    .await?
    {
        return Err(Error::refused("该报告已报送"));
    }
    let event = Event::new(
        Action::WorkReportFinalised,
        "work_report",
        row.work_report_id,
    )
    .after(serde_json::json!({ "title": report.title }));
    commit_audited(tx, now, actor, event).await
}
