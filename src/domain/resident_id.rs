//! 居民身份证号码 (GB 11643-1999): parsed, never merely pattern-matched. 18 characters —
//! area code, birth date, sequence (odd for men), check character over the first
//! seventeen — or a 15-digit legacy number, upgraded. Full-width digits, spaces and a
//! lowercase x are accepted.

use chrono::{Datelike, NaiveDate};

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: &[u8; 11] = b"10X98765432";
/// The province codes of GB/T 2260 (with 83 for residence permits of Taiwan residents).
const PROVINCES: [u8; 35] = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
];

#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ResidentId(String);

/// Never printed in full by accident: Debug shows the masked form.
impl std::fmt::Debug for ResidentId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ResidentId({})", self.masked())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    pub fn label(self) -> &'static str {
        match self {
            Sex::Male => "男",
            Sex::Female => "女",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResidentIdError {
    Empty,
    Length,
    Character,
    Area,
    BirthDate,
    CheckCharacter,
}

impl ResidentIdError {
    pub fn message(self) -> &'static str {
        match self {
            ResidentIdError::Empty => "身份证号码不能为空",
            ResidentIdError::Length => "身份证号码应为18位（或15位旧号码）",
            ResidentIdError::Character => "身份证号码只能由数字组成，最后一位可以是X",
            ResidentIdError::Area => "身份证号码的地区代码无效",
            ResidentIdError::BirthDate => "身份证号码中的出生日期无效",
            ResidentIdError::CheckCharacter => "身份证号码校验位错误，请核对",
        }
    }
}

fn check_character(first17: &[u8]) -> u8 {
    let sum: u32 = first17
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    CHECK[(sum % 11) as usize]
}

impl ResidentId {
    /// `today` bounds the birth date: nobody is born in the future.
    pub fn parse(input: &str, today: NaiveDate) -> Result<ResidentId, ResidentIdError> {
        let text: String = super::normalize_width(input)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase();
        if text.is_empty() {
            return Err(ResidentIdError::Empty);
        }
        let bytes = text.as_bytes();
        let full = match bytes.len() {
            18 => {
                let digits_ok = bytes[..17].iter().all(u8::is_ascii_digit);
                let last_ok = bytes[17].is_ascii_digit() || bytes[17] == b'X';
                if !digits_ok || !last_ok {
                    return Err(ResidentIdError::Character);
                }
                text.clone()
            }
            15 => {
                if !bytes.iter().all(u8::is_ascii_digit) {
                    return Err(ResidentIdError::Character);
                }
                let mut first17 = format!("{}19{}", &text[..6], &text[6..]);
                let check = check_character(first17.as_bytes()) as char;
                first17.push(check);
                first17
            }
            _ if !text.chars().all(|c| c.is_ascii_digit() || c == 'X') => {
                return Err(ResidentIdError::Character);
            }
            _ => return Err(ResidentIdError::Length),
        };
        let bytes = full.as_bytes();
        let province: u8 = full[..2].parse().unwrap_or(0);
        if !PROVINCES.contains(&province) {
            return Err(ResidentIdError::Area);
        }
        let birth = NaiveDate::parse_from_str(&full[6..14], "%Y%m%d")
            .map_err(|_| ResidentIdError::BirthDate)?;
        if birth.year() < 1900 || birth > today {
            return Err(ResidentIdError::BirthDate);
        }
        if check_character(&bytes[..17]) != bytes[17] {
            return Err(ResidentIdError::CheckCharacter);
        }
        Ok(ResidentId(full))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn birth_date(&self) -> NaiveDate {
        NaiveDate::parse_from_str(&self.0[6..14], "%Y%m%d").expect("checked at parse")
    }

    pub fn sex(&self) -> Sex {
        if (self.0.as_bytes()[16] - b'0') % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        }
    }

    /// 652301********1234: the area code and the last four.
    pub fn masked(&self) -> String {
        format!("{}********{}", &self.0[..6], &self.0[14..])
    }

    /// Builds a valid number from its parts (for generated data).
    pub fn compose(area: &str, birth: NaiveDate, sequence: u16) -> Option<ResidentId> {
        let first17 = format!("{area}{}{:03}", birth.format("%Y%m%d"), sequence % 1000);
        if first17.len() != 17 || !first17.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let check = check_character(first17.as_bytes()) as char;
        Some(ResidentId(format!("{first17}{check}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
    }

    #[test]
    fn valid_numbers_parse_with_birth_date_and_sex() {
        // The GB 11643 standard's own example and a composed one.
        let id = ResidentId::parse("11010519491231002X", today()).unwrap();
        assert_eq!(
            id.birth_date(),
            NaiveDate::from_ymd_opt(1949, 12, 31).unwrap()
        );
        assert_eq!(id.sex(), Sex::Female);
        assert_eq!(id.masked(), "110105********002X");
        let chongqing =
            ResidentId::compose("500101", NaiveDate::from_ymd_opt(1990, 1, 1).unwrap(), 2).unwrap();
        assert!(ResidentId::parse(chongqing.as_str(), today()).is_ok());
        let composed =
            ResidentId::compose("652301", NaiveDate::from_ymd_opt(2003, 5, 17).unwrap(), 123)
                .unwrap();
        let parsed = ResidentId::parse(composed.as_str(), today()).unwrap();
        assert_eq!(parsed.sex(), Sex::Male);
        assert_eq!(parsed.masked()[..6], *"652301");
    }

    #[test]
    fn full_width_lowercase_and_spaces_are_normalised() {
        let id = ResidentId::parse(" １１０１０５ １９４９１２３１ ００２ｘ ", today()).unwrap();
        assert_eq!(id.as_str(), "11010519491231002X");
        assert_eq!(
            ResidentId::parse("11010519491231002x", today()).unwrap(),
            id
        );
    }

    #[test]
    fn a_legacy_fifteen_digit_number_is_upgraded() {
        let id = ResidentId::parse("110105491231002", today()).unwrap();
        assert_eq!(id.as_str(), "11010519491231002X");
    }

    #[test]
    fn each_kind_of_invalid_number_is_named() {
        let cases = [
            ("", ResidentIdError::Empty),
            ("1101051949123100", ResidentIdError::Length),
            ("11010519491231002A", ResidentIdError::Character),
            ("X1010519491231002X", ResidentIdError::Character),
            ("01010519491231002X", ResidentIdError::Area),
            ("99010519491231002X", ResidentIdError::Area),
            ("11010519490231002X", ResidentIdError::BirthDate),
            ("11010520990101002X", ResidentIdError::BirthDate),
            ("110105194912310021", ResidentIdError::CheckCharacter),
        ];
        for (input, error) in cases {
            assert_eq!(
                ResidentId::parse(input, today()).unwrap_err(),
                error,
                "{input}"
            );
        }
        assert!(
            format!(
                "{:?}",
                ResidentId::parse("11010519491231002X", today()).unwrap()
            )
            .contains("********")
        );
    }

    proptest! {
        #[test]
        fn parsing_never_panics(input in "\\PC{0,30}") {
            let _ = ResidentId::parse(&input, today());
        }

        #[test]
        fn digit_strings_never_panic(input in "[0-9Xx ]{0,20}") {
            let _ = ResidentId::parse(&input, today());
        }

        #[test]
        fn composed_numbers_round_trip(days in 0i64..40_000, sequence in 0u16..1000) {
            let birth = NaiveDate::from_ymd_opt(1910, 1, 1).unwrap() + chrono::Duration::days(days);
            prop_assume!(birth <= today());
            let id = ResidentId::compose("652301", birth, sequence).unwrap();
            let parsed = ResidentId::parse(id.as_str(), today()).unwrap();
            prop_assert_eq!(parsed.birth_date(), birth);
            prop_assert_eq!(parsed.sex() == Sex::Male, sequence % 2 == 1);
        }
    }
}
