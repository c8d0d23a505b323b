//! The one integration test binary: every test gets its own migrated database (with the
//! demo accounts) and its own server on a loopback port.
// Tests build their input workbooks with rust_xlsxwriter directly (see clippy.toml).
#![allow(clippy::disallowed_methods)]

mod helpers;

mod access;
mod accounts;
mod activities;
mod activities_api;
mod admin;
mod api;
mod applications;
mod audit;
mod bounds;
mod browser;
mod browser_activities;
mod browser_confirm;
mod browser_members;
mod browser_sheets;
mod cluster;
mod combined_roles;
mod constraints;
mod csrf;
mod disclosure;
mod drill_down;
mod drill_walk;
mod generate;
mod headers;
mod layers;
mod local_dates;
mod locked_rounds;
mod member_flows;
mod member_search;
mod members;
mod participation;
mod roster_import;
mod rounds;
mod rounds_over_time;
mod routes;
mod sessions;
mod signin;
mod signin_import;
mod stored_codes;
mod stored_names;
mod survey;
mod survey_props;
mod survey_web;
mod terms;
mod totals;
mod typed_cells;
mod units;
mod uploads;
mod workbook_bounds;
mod workbook_roundtrip;
mod workbooks;
