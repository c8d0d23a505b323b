//! `tuanjian report work-summary --period 2018H1 [--survey ID] [--format text|docx] [-o FILE]`:
//! the work summary and plan as it is published (the finalised report of the period and
//! round, else its draft, else the figures alone), written to a file or to standard output.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use crate::clock::Clock;
use crate::config::ReportFormat;
use crate::domain::ids::SurveyId;
use crate::pg::Database;
use crate::report::Period;

/// Writes the report; exits 1 with a message for a bad period or an unknown round.
pub async fn work_summary(
    database: &Database,
    clock: &Clock,
    period: &str,
    survey: Option<i64>,
    format: ReportFormat,
    output: Option<PathBuf>,
) -> anyhow::Result<ExitCode> {
    let Some(period) = Period::parse(period) else {
        eprintln!("--period 应为年份或半年，如 2018、2018H1、2018H2");
        return Ok(ExitCode::FAILURE);
    };
    let report = match crate::services::reports::published(
        &database.pool,
        clock,
        period,
        survey.map(SurveyId),
    )
    .await
    {
        Ok(report) => report,
        Err(crate::services::Error::Refused(message)) => {
            eprintln!("{message}");
            return Ok(ExitCode::FAILURE);
        }
        Err(crate::services::Error::Database(e)) => return Err(e.into()),
    };
    let bytes = match format {
        ReportFormat::Text => crate::report::text::write(&report).into_bytes(),
        ReportFormat::Docx => crate::report::docx::write(&report)?,
    };
    match output {
        Some(path) => {
            std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?
        }
        None => {
            use std::io::Write;
            std::io::stdout().write_all(&bytes)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
