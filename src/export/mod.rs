//! Writing workbooks in the layouts offices use.

pub mod survey;
