//! The work summary as plain text, as the command line writes it: the title, the
//! opening paragraph, each section's heading and its items as paragraphs
//! (（一）heading。text), the closing paragraph, a blank line between paragraphs.

use super::WorkSummary;

/// The report as UTF-8 text, ending with a newline.
pub fn write(report: &WorkSummary) -> String {
    let mut paragraphs = vec![report.title.clone()];
    if !report.opening.trim().is_empty() {
        paragraphs.push(report.opening.trim().to_string());
    }
    for section in &report.sections {
        paragraphs.push(format!("{}、{}", section.number, section.heading));
        for item in &section.items {
            paragraphs.push(format!("{}{}。{}", item.number, item.heading, item.text));
        }
    }
    if !report.closing.trim().is_empty() {
        paragraphs.push(report.closing.trim().to_string());
    }
    let mut text = paragraphs.join("\n\n");
    text.push('\n');
    text
}
