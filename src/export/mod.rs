//! Writing workbooks in the layouts offices use, all through `sheet`, which escapes formulas.

pub mod activities;
pub mod assessments;
pub mod awards;
pub mod certificate;
pub mod contest;
pub mod docx;
pub mod official;
pub mod personal;
pub mod reminders;
pub mod roster;
pub mod sheet;
pub mod survey;
pub mod work_plan;
