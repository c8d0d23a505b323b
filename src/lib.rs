//! tuanjian (团建): the league work committee's system of record for units, surveys,
//! organisations and members, served as server-rendered pages and a JSON API.

pub mod auth;
pub mod cli;
pub mod clock;
pub mod config;
pub mod crypto;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod export;
#[cfg(feature = "generate")]
pub mod generate;
pub mod import;
pub mod pg;
pub mod report;
pub mod services;
pub mod startup;
pub mod state;
pub mod web;

/// The migrations in `migrations/`, built into the binary and run at start.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!();
