//! The one normaliser for the names of people and units: what is stored, what is matched and
//! what is searched all go through `normalize_name`, so that a name means the same however
//! it was typed or pasted.

use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

use super::normalize_width;
use super::text::is_stray_control;

/// The dots people type between the parts of a minority name instead of the middle dot:
/// the full stop, the katakana and half-width katakana middle dots, the bullet, the
/// hyphenation point, the bullet operator and the dot operator (the full-width full stop
/// becomes `.` with the other full-width characters first).
const OTHER_DOTS: [char; 7] = [
    '.', '\u{30fb}', '\u{ff65}', '\u{2022}', '\u{2027}', '\u{2219}', '\u{22c5}',
];

/// The middle dot (U+00B7) that the national rule for names in Chinese characters sets
/// between the parts of a minority or foreign name (GB/T 15834-2011 标点符号用法, 4.14 间隔号).
pub const MIDDLE_DOT: char = '·';

/// A name as it is stored, matched and searched: Unicode NFC (so a CJK compatibility
/// ideograph or a decomposed accent equals its canonical form); full-width letters and
/// digits half-width; format characters (zero-width space and joiners, byte order mark,
/// direction marks, soft hyphen: general category Cf) and stray controls removed; any
/// space next to a Chinese character or a dot removed and other runs of spaces made one;
/// a dot of `OTHER_DOTS` between two letters read as the middle dot — for the ASCII full
/// stop only between two letters that are not ASCII, so `A.B` and `www.x.cn` keep theirs.
///
/// `艾力・吐尔逊`, ` 艾力 · 吐尔逊`, `艾力．吐尔逊` all give `艾力·吐尔逊`; `五彩湾 社区` and
/// `大井社区\u{200b}` give `五彩湾社区` and `大井社区`.
pub fn normalize_name(input: &str) -> String {
    normalize_name_noting(input).0
}

/// As `normalize_name`, with whether a dot other than the middle dot was read as one, so
/// that an import can say so.
pub fn normalize_name_noting(input: &str) -> (String, bool) {
    let chars: Vec<char> = normalize_width(&input.nfc().collect::<String>())
        .chars()
        .filter(|&c| !is_stray_control(c) && c.general_category() != GeneralCategory::Format)
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    // Spaces first, so that a dot's neighbours are the letters beside it.
    let mut unspaced: Vec<char> = Vec::with_capacity(chars.len());
    for (i, &c) in chars.iter().enumerate() {
        if c != ' ' {
            unspaced.push(c);
            continue;
        }
        let before = unspaced.last().copied();
        let after = chars[i + 1..].iter().copied().find(|&n| n != ' ');
        let keep = match (before, after) {
            (Some(b), Some(a)) => b != ' ' && latin_word(b) && latin_word(a),
            _ => false,
        };
        if keep {
            unspaced.push(' ');
        }
    }
    let mut retyped = false;
    let out: String = unspaced
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let between = |ok: fn(char) -> bool| {
                i > 0 && unspaced.get(i + 1).is_some_and(|&a| ok(a)) && ok(unspaced[i - 1])
            };
            let is_dot = match c {
                '.' => between(|n| n.is_alphabetic() && !n.is_ascii()),
                c if OTHER_DOTS.contains(&c) => between(char::is_alphabetic),
                _ => false,
            };
            if is_dot {
                retyped = true;
                MIDDLE_DOT
            } else {
                c
            }
        })
        .collect();
    (out, retyped)
}

/// Whether two names, each already normalised, may well name one unit typed two ways, for
/// the committee to confirm: equal once punctuation, brackets, spaces and case are set
/// aside; one holding the other when the shorter has at least 3 characters (大井社区 and
/// 大井社区居委会); or one character apart when both have at least 4 (大井社区 and 大进社区).
pub fn possibly_same(a: &str, b: &str) -> bool {
    let loose = |s: &str| -> Vec<char> {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let (a, b) = (loose(a), loose(b));
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    if short.is_empty() {
        return false;
    }
    if short == long {
        return true;
    }
    if short.len() >= 3 && long.windows(short.len()).any(|w| w == short.as_slice()) {
        return true;
    }
    short.len() >= 4 && long.len() - short.len() <= 1 && one_edit_apart(short, long)
}

/// Whether `long` is `short` with one character changed or added (`long` is at most one
/// longer).
fn one_edit_apart(short: &[char], long: &[char]) -> bool {
    let head = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    if short.len() == long.len() {
        short[head + 1..] == long[head + 1..]
    } else {
        short[head..] == long[head + 1..]
    }
}

/// A character a space may stand beside inside a name: not a Chinese (or other wide)
/// character, not a dot.
fn latin_word(c: char) -> bool {
    !(c == MIDDLE_DOT || OTHER_DOTS.contains(&c) || is_wide(c))
}

/// Han ideographs, kana, hangul and CJK punctuation: scripts written without spaces.
fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x9FFF | 0xA960..=0xA97F | 0xAC00..=0xD7FF | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dot_between_name_parts_is_the_middle_dot() {
        for typed in [
            "艾力・吐尔逊",
            "艾力•吐尔逊",
            "艾力‧吐尔逊",
            "艾力．吐尔逊",
            "艾力.吐尔逊",
            "艾力･吐尔逊",
            " 艾力 · 吐尔逊 ",
            "艾力\u{387}吐尔逊",
        ] {
            assert_eq!(normalize_name(typed), "艾力·吐尔逊", "{typed}");
        }
        assert!(normalize_name_noting("迪丽娜尔.阿不都").1);
        assert!(!normalize_name_noting("迪丽娜尔·阿不都").1);
        assert_eq!(normalize_name("www.abc.cn"), "www.abc.cn");
        assert_eq!(normalize_name("A.B科技"), "A.B科技");
    }

    #[test]
    fn pasted_invisible_characters_and_spaces_inside_chinese_go() {
        assert_eq!(normalize_name("大井社区\u{200b}"), "大井社区");
        assert_eq!(
            normalize_name("\u{feff}大\u{200d}井\u{2060}社区\u{ad}"),
            "大井社区"
        );
        assert_eq!(normalize_name("五彩湾 社区"), "五彩湾社区");
        assert_eq!(normalize_name("五彩湾\u{3000}社区\u{a0}"), "五彩湾社区");
        assert_eq!(normalize_name("王\0小明"), "王小明");
        assert_eq!(
            normalize_name(" ABC  Energy   有限公司 "),
            "ABC Energy有限公司"
        );
    }

    #[test]
    fn near_spellings_of_a_unit_are_possibly_the_same() {
        assert!(possibly_same("大井社区", "大井社区居委会"));
        assert!(possibly_same("大井社区", "大进社区"));
        assert!(possibly_same("五彩湾（新）社区", "五彩湾新社区"));
        assert!(possibly_same("ABC能源有限公司", "abc能源有限公司"));
        assert!(!possibly_same("大井社区", "五彩湾社区"));
        assert!(!possibly_same("甲", "甲乙"));
        assert!(!possibly_same("第一中学", "第二小学"));
    }

    #[test]
    fn width_and_canonical_forms_are_one() {
        assert_eq!(normalize_name("ＡＢＣ１２３公司"), "ABC123公司");
        // U+F900 is a compatibility ideograph whose canonical form is U+8C48.
        assert_eq!(normalize_name("\u{f900}"), "\u{8c48}");
        assert_eq!(normalize_name("Aie\u{301}"), "Ai\u{e9}");
    }
}
