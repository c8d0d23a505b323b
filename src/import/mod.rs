//! Reading workbooks that offices send: size and zip-bomb checks before parsing, cells
//! as people type them, and faults reported as `第N行 列名：原因`.

pub mod cell;
mod moment;
pub mod roster;
mod roster_layout;
pub mod sheet;
pub mod signin;
pub mod survey;
pub mod workbook;

pub use crate::domain::workbook::{Fault, ImportError};
