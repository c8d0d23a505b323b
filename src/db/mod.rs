//! All SQL, one module per table. Queries that read scoped data take the scope.

pub mod account;
pub mod application;
pub mod audit;
pub mod formation;
pub mod login_attempt;
pub mod member;
pub mod notification;
pub mod organization;
pub mod session;
pub mod survey;
pub mod unit;
pub mod upload;
