//! Phone numbers: a mainland mobile (1[3-9] and nine digits, after +86) or a landline
//! with its area code (0 and 9 to 11 digits, an extension allowed).

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    /// Accepts spaces, dashes, parentheses, a +86 prefix and full-width digits.
    pub fn parse(input: &str) -> Option<Phone> {
        let text = super::normalize_width(input);
        let (main, extension) = match text.split_once(['转', '#']) {
            Some((main, ext)) => (main, Some(ext.trim())),
            None => (text.as_str(), None),
        };
        let mut digits: String = main
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '\u{a0}'))
            .collect();
        if let Some(rest) = digits
            .strip_prefix("+86")
            .or_else(|| digits.strip_prefix("0086"))
        {
            digits = rest.to_string();
        }
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let bytes = digits.as_bytes();
        let mobile = bytes.len() == 11 && bytes[0] == b'1' && (b'3'..=b'9').contains(&bytes[1]);
        let landline = (10..=12).contains(&bytes.len()) && bytes[0] == b'0' && bytes[1] != b'0';
        match extension {
            _ if mobile && extension.is_none() => Some(Phone(digits)),
            Some(ext) if landline && !ext.is_empty() && ext.chars().all(|c| c.is_ascii_digit()) => {
                Some(Phone(format!("{digits}转{ext}")))
            }
            None if landline => Some(Phone(digits)),
            _ => None,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether it is a mobile number (what check-in and volunteer records identify people by).
    pub fn is_mobile(&self) -> bool {
        self.0.len() == 11 && self.0.starts_with('1')
    }

    /// A stored contact phone as someone who may not see it whole sees it: masked as
    /// `masked` says, or `****` when it is not a number we can read.
    pub fn mask_text(raw: &str) -> String {
        Phone::parse(raw).map_or_else(|| "****".into(), |p| p.masked())
    }

    /// 138****5678 for a mobile, the area code and last four for a landline.
    pub fn masked(&self) -> String {
        let digits: Vec<char> = self.0.chars().collect();
        if digits.len() >= 11 && digits[0] == '1' {
            format!(
                "{}****{}",
                digits[..3].iter().collect::<String>(),
                digits[7..11].iter().collect::<String>()
            )
        } else {
            let keep = digits.len().saturating_sub(4);
            format!(
                "{}****{}",
                digits[..4.min(keep)].iter().collect::<String>(),
                digits[keep..].iter().collect::<String>()
            )
        }
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobiles_in_the_usual_spellings() {
        for input in [
            "13812345678",
            "+86 138 1234 5678",
            "138-1234-5678",
            "１３８１２３４５６７８",
            "0086 13812345678",
        ] {
            assert_eq!(
                Phone::parse(input).unwrap().as_str(),
                "13812345678",
                "{input}"
            );
        }
        assert_eq!(Phone::parse("13812345678").unwrap().masked(), "138****5678");
    }

    #[test]
    fn landlines_with_area_codes_and_extensions() {
        assert_eq!(
            Phone::parse("0994-5812345").unwrap().as_str(),
            "09945812345"
        );
        assert_eq!(
            Phone::parse("(010) 12345678").unwrap().as_str(),
            "01012345678"
        );
        assert_eq!(
            Phone::parse("0994-5812345转806").unwrap().as_str(),
            "09945812345转806"
        );
    }

    #[test]
    fn anything_else_is_not_a_phone() {
        for input in [
            "1234",
            "12812345678",
            "1381234567",
            "138123456789",
            "5812345",
            "电话",
            "",
            "0012345678",
        ] {
            assert!(Phone::parse(input).is_none(), "{input}");
        }
    }
}
