//! Use cases that change several tables: each is one function that takes a typed actor,
//! runs the transaction and writes its history, audit event and notification together.
//! Handlers parse, call one of these, and render or redirect.

pub mod applications;
pub mod reminders;
pub mod survey_import;
