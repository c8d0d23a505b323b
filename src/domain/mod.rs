//! Value types that parse, and the rules that go with them.

pub mod activity;
pub mod activity_file;
pub mod actor;
pub mod application;
pub mod assessment;
pub mod audit;
pub mod audit_chain;
pub mod award;
pub mod certificate;
pub mod checkin;
pub mod codes;
pub mod content;
pub mod contest;
pub mod credit_code;
pub mod disclosure;
pub mod form;
pub mod ids;
pub mod member;
pub mod name;
pub mod near_names;
pub mod organization;
pub mod participation;
pub mod phone;
pub mod resident_id;
pub mod retention;
pub mod role;
pub(crate) mod stored;
pub mod survey;
pub mod text;
pub mod transfer;
pub mod unit;
pub mod username;
pub mod volunteer;
pub mod volunteer_team;
pub mod work_plan;
pub mod workbook;

/// Full-width ASCII (ＡＢＣ１２３, the ideographic space) to its half-width form, as
/// people type it with a Chinese input method.
pub fn normalize_width(input: &str) -> String {
    input
        .chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// A search box's text as the lists search it: half-width, without control characters
/// (PostgreSQL refuses a NUL in text, and a pasted tab or newline matches nothing), trimmed,
/// at most `max_chars` characters.
pub fn search_text(input: &str, max_chars: usize) -> String {
    let text: String = normalize_width(input)
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    text.trim().chars().take(max_chars).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn full_width_becomes_half_width() {
        assert_eq!(super::normalize_width("１２３ａＢ\u{3000}x"), "123aB x");
        assert_eq!(super::normalize_width("阿依古丽·买买提"), "阿依古丽·买买提");
    }

    #[test]
    fn search_text_is_trimmed_capped_and_free_of_control_characters() {
        assert_eq!(super::search_text("\u{3000} 王\0小\t明\n ", 40), "王小明");
        assert_eq!(super::search_text("９１６５", 3), "916");
        assert_eq!(super::search_text("\0", 40), "");
    }
}
