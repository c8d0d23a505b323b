//! The 志愿服务记录证明 (volunteer record certificate): its number, what it certifies, and
//! what the public verification page may show of it.
//!
//! The number is `TJ<year>-<10 characters>`: the year it was issued, then 50 random bits in
//! Crockford's base32 (digits and capital letters without I, L, O, U). It is short enough
//! to type from paper, reads back without 0/O or 1/I/L confusion (typing them is accepted
//! and mapped), and is not guessable: with the verification page's rate limit, finding one
//! number among those issued takes on the order of 2^50 / (issued × limit) windows.
//! 志愿服务记录与证明出具办法 (民政部, 2020) asks that a certificate name the issuing
//! organisation and can be checked; the number is what a school or employer checks.

use serde::{Deserialize, Serialize};

/// Crockford's base32 alphabet.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Random characters after the year.
pub const RANDOM_CHARS: usize = 10;

/// Random bytes a number takes (the first 50 of their 56 bits are used).
pub const RANDOM_BYTES: usize = 7;

/// A certificate number in its one written form, `TJ2026-0123456789`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateNumber(String);

impl CertificateNumber {
    /// A new number for a certificate issued in `year`, from `random` bytes (from the
    /// operating system's generator).
    pub fn new(year: i32, random: [u8; RANDOM_BYTES]) -> CertificateNumber {
        let bits = random
            .iter()
            .fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
        let chars: String = (0..RANDOM_CHARS)
            .map(|i| ALPHABET[((bits >> (51 - 5 * i)) & 31) as usize] as char)
            .collect();
        CertificateNumber(format!("TJ{year:04}-{chars}"))
    }

    /// A number as someone typed it: full-width or lower case, with or without the hyphen
    /// and spaces, O for 0 and I or L for 1. None when it cannot be a number at all.
    pub fn parse(typed: &str) -> Option<CertificateNumber> {
        let compact: String = super::normalize_width(typed)
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let rest: String = compact
            .strip_prefix("TJ")?
            .chars()
            .map(|c| match c {
                'O' => '0',
                'I' | 'L' => '1',
                c => c,
            })
            .collect();
        if rest.chars().count() != 4 + RANDOM_CHARS || !rest.is_ascii() {
            return None;
        }
        let (year, random) = rest.split_at(4);
        if !year.bytes().all(|b| b.is_ascii_digit())
            || !random.bytes().all(|b| ALPHABET.contains(&b))
        {
            return None;
        }
        Some(CertificateNumber(format!("TJ{year}-{random}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for CertificateNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// One activity on a certificate, as it stood when the certificate was issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    /// The activity's local start date, `2018-06-09`.
    pub date: String,
    pub title: String,
    /// The organising organisation's name.
    pub organizer: String,
    /// The person's role, as a page writes it (志愿者 …).
    pub role: String,
    /// Confirmed service hours in tenths of an hour.
    pub hours_tenths: i64,
}

/// What a certificate states: the snapshot kept with it, for the print view and the .docx.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    pub number: String,
    pub name: String,
    /// `身份证号码 652301********1234` for a member; for someone who is not a member, who
    /// has no ID on record, `手机号码 138****5678（非团员青年，以手机号码识别）`.
    pub identity: String,
    pub lines: Vec<Line>,
    pub hours_tenths: i64,
    pub star_level: Option<String>,
    pub issuer: String,
    /// `2026年12月1日`.
    pub issued_on: String,
}

impl Certificate {
    /// The hours as written: `9.5`.
    pub fn hours(&self) -> String {
        super::participation::hours_text(self.hours_tenths)
    }

    /// The certifying sentence, the same on paper and in the .docx.
    pub fn statement(&self) -> String {
        let span = match (self.lines.last(), self.lines.first()) {
            (Some(first), Some(last)) if first.date != last.date => {
                format!("于{}至{}期间", first.date, last.date)
            }
            (Some(only), _) => format!("于{}", only.date),
            _ => String::new(),
        };
        let level = self
            .star_level
            .as_deref()
            .map(|l| format!("，达到{l}标准"))
            .unwrap_or_default();
        format!(
            "兹证明{}（{}）{}参加志愿服务活动{}次，累计志愿服务时长{}小时{}。具体记录如下：",
            self.name,
            self.identity,
            span,
            self.lines.len(),
            self.hours(),
            level
        )
    }
}

/// A date as a certificate writes it: `2026年12月1日`.
pub fn date_text(date: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

/// A name as the public verification page shows it: the first and last characters with
/// the rest hidden (张*三, 欧**锋, 阿******提), a two-character name as 张*.
pub fn masked_name(name: &str) -> String {
    let chars: Vec<char> = name.trim().chars().collect();
    match chars.len() {
        0 => String::new(),
        1 => "*".into(),
        2 => format!("{}*", chars[0]),
        n => format!("{}{}{}", chars[0], "*".repeat(n - 2), chars[n - 1]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_is_the_year_and_ten_crockford_characters_and_reads_back_as_typed() {
        let number = CertificateNumber::new(2026, [0xff, 0, 0x12, 0x34, 0x56, 0x78, 0x9a]);
        assert!(number.as_str().starts_with("TJ2026-"));
        assert_eq!(number.as_str().len(), 17);
        assert_eq!(
            CertificateNumber::parse(number.as_str()),
            Some(number.clone())
        );
        let sloppy = number.as_str().to_lowercase().replace('-', " ");
        assert_eq!(CertificateNumber::parse(&sloppy), Some(number));
        assert_eq!(
            CertificateNumber::parse("ＴＪ２０２６－ABCDEFGHOI")
                .unwrap()
                .as_str(),
            "TJ2026-ABCDEFGH01"
        );
        for bad in [
            "",
            "TJ2026-",
            "TJ2026-ABCDEFGHJU",
            "XX2026-ABCDEFGHJK",
            "TJ20A6-ABCDEFGHJK",
            "TJ2026-ABCDEFGHJKM",
            "TJ2026-张ABCDEFGH",
        ] {
            assert_eq!(CertificateNumber::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn different_random_bytes_give_different_numbers() {
        let a = CertificateNumber::new(2026, [0; RANDOM_BYTES]);
        let b = CertificateNumber::new(2026, [0, 0, 0, 0, 0, 0, 0x40]);
        assert_eq!(a.as_str(), "TJ2026-0000000000");
        assert_ne!(a, b);
    }

    #[test]
    fn names_are_masked_but_for_their_ends() {
        assert_eq!(masked_name("张三"), "张*");
        assert_eq!(masked_name("张小三"), "张*三");
        assert_eq!(masked_name("欧阳小锋"), "欧**锋");
        assert_eq!(masked_name("阿依古丽·买买提"), "阿******提");
        assert_eq!(masked_name("李"), "*");
    }

    #[test]
    fn the_statement_names_the_span_the_count_the_hours_and_the_level() {
        let line = |date: &str, hours| Line {
            date: date.into(),
            title: "活动".into(),
            organizer: "团工委".into(),
            role: "志愿者".into(),
            hours_tenths: hours,
        };
        let certificate = Certificate {
            number: "TJ2026-0000000000".into(),
            name: "张三".into(),
            identity: "身份证号码 652301********1234".into(),
            lines: vec![line("2019-05-01", 1000), line("2018-06-09", 95)],
            hours_tenths: 1095,
            star_level: Some("一星志愿者".into()),
            issuer: "团工委".into(),
            issued_on: "2026年12月1日".into(),
        };
        assert_eq!(
            certificate.statement(),
            "兹证明张三（身份证号码 652301********1234）于2018-06-09至2019-05-01期间参加志愿服务活动2次，累计志愿服务时长109.5小时，达到一星志愿者标准。具体记录如下："
        );
    }
}
