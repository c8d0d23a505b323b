//! Writing workbooks in the layouts offices use.

pub mod docx;
pub mod roster;
pub mod survey;
