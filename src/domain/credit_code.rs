//! 统一社会信用代码 (GB 32100-2015): 18 characters from a 31-character alphabet (no I, O,
//! Z, S, V), the last a check character over the first seventeen.

use std::fmt;

const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CreditCode(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreditCodeError {
    Length,
    Character,
    CheckCharacter,
}

impl CreditCodeError {
    pub fn message(self) -> &'static str {
        match self {
            CreditCodeError::Length => "应为18位",
            CreditCodeError::Character => {
                "含有不允许的字符（只能是数字和除I、O、Z、S、V以外的大写字母）"
            }
            CreditCodeError::CheckCharacter => "校验位错误，请核对代码",
        }
    }
}

impl CreditCode {
    /// Accepts lower case, full-width characters and surrounding spaces.
    pub fn parse(input: &str) -> Result<CreditCode, CreditCodeError> {
        let code: String = super::normalize_width(input)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase();
        if code.chars().count() != 18 {
            return Err(CreditCodeError::Length);
        }
        let values: Vec<u32> = code
            .bytes()
            .map(|b| ALPHABET.iter().position(|a| *a == b).map(|p| p as u32))
            .collect::<Option<_>>()
            .ok_or(CreditCodeError::Character)?;
        let sum: u32 = values[..17].iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
        let check = (31 - sum % 31) % 31;
        if values[17] != check {
            return Err(CreditCodeError::CheckCharacter);
        }
        Ok(CreditCode(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Completes seventeen characters with their check character (for generated data).
    pub fn with_check(first17: &str) -> Option<CreditCode> {
        let values: Vec<u32> = first17
            .bytes()
            .map(|b| ALPHABET.iter().position(|a| *a == b).map(|p| p as u32))
            .collect::<Option<_>>()?;
        if values.len() != 17 {
            return None;
        }
        let sum: u32 = values.iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
        let check = ALPHABET[((31 - sum % 31) % 31) as usize] as char;
        Some(CreditCode(format!("{first17}{check}")))
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_shaped_codes_pass_and_a_changed_character_fails() {
        for code in [
            "11652300123842961H",
            "91652300889812993C",
            "1165230009578891XA",
        ] {
            assert_eq!(CreditCode::parse(code).unwrap().as_str(), code);
        }
        assert_eq!(
            CreditCode::parse("916523009843237760"),
            Err(CreditCodeError::CheckCharacter)
        );
        assert_eq!(
            CreditCode::parse("91652300889812993D"),
            Err(CreditCodeError::CheckCharacter)
        );
        assert_eq!(
            CreditCode::parse("9165230088981299"),
            Err(CreditCodeError::Length)
        );
        assert_eq!(
            CreditCode::parse("91652300889812993I"),
            Err(CreditCodeError::Character)
        );
    }

    #[test]
    fn lower_case_full_width_and_spaces_are_normalised() {
        let code = CreditCode::parse(" ９１６５２３００８８９８１２９９３ｃ ").unwrap();
        assert_eq!(code.as_str(), "91652300889812993C");
    }

    #[test]
    fn with_check_completes_a_valid_code() {
        let code = CreditCode::with_check("91652300889812993").unwrap();
        assert_eq!(code.as_str(), "91652300889812993C");
        assert!(CreditCode::parse(code.as_str()).is_ok());
    }
}
