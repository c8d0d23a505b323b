//! Writing workbooks in the layouts offices use, all through `sheet`, which escapes formulas.

pub mod docx;
pub mod reminders;
pub mod roster;
pub mod sheet;
pub mod survey;
