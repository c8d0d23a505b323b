//! One synthetic league member for the demo roster, a pure function of its index, and the
//! small random-number generator and name lists it draws from (which the data generator,
//! built only with the `generate` feature, shares).

/// xorshift64*: small, fast and the same on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545F4914F6CDD1D)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const EDUCATION_CODES: [&str; 4] = ["20", "30", "40", "60"];
pub const SURNAMES: [&str; 16] = [
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭",
];
pub const GIVEN: [&str; 16] = [
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超",
];

/// A mobile number of the right shape.
pub fn phone(rng: &mut Rng) -> String {
    format!("1{}{:09}", 3 + rng.below(7), rng.below(1_000_000_000))
}

/// A synthetic league member for the demo roster: a name, a birth date making them 18 to
/// 27 on `today`, a resident ID with a valid check character, sex from the ID, joined at
/// 14 to 18, mostly 汉族 with the zone's other groups.
pub struct SyntheticMember {
    pub name: String,
    pub resident_id: crate::domain::resident_id::ResidentId,
    pub ethnicity: &'static str,
    pub joined_on: chrono::NaiveDate,
    pub phone: String,
    pub education: &'static str,
}

pub fn member(index: u64, today: chrono::NaiveDate) -> SyntheticMember {
    use chrono::Datelike;
    let mut rng = Rng::new(0x9E37_79B9_7F4A_7C15 ^ index.wrapping_mul(0x100_0000_01B3));
    // Born 19 to 26 years before this year: 18 to 26 years old today.
    let birth = chrono::NaiveDate::from_ymd_opt(
        today.year() - 19 - rng.below(8) as i32,
        1 + rng.below(12) as u32,
        1 + rng.below(28) as u32,
    )
    .expect("a valid date");
    // Unique by construction for the first 99,000 people: a county code and a sequence
    // number from the index.
    let sequence = (index % 1000) as u16;
    let area = format!("6523{:02}", 1 + (index / 1000) % 99);
    let resident_id = crate::domain::resident_id::ResidentId::compose(&area, birth, sequence)
        .expect("digits of the right length");
    let (ethnicity, name) = match rng.below(10) {
        0 => (
            "05",
            format!(
                "{}·{}",
                rng.pick(&["艾力", "阿依古丽", "买买提", "古丽娜尔"]),
                rng.pick(&["吐尔逊", "买买提", "阿不都", "热合曼"])
            ),
        ),
        1 => (
            "17",
            format!(
                "{}·{}",
                rng.pick(&["努尔兰", "阿依达娜", "叶尔兰"]),
                rng.pick(&["哈力木", "巴合提", "别克"])
            ),
        ),
        2 => (
            "03",
            format!(
                "{}{}{}",
                rng.pick(&SURNAMES),
                rng.pick(&GIVEN),
                rng.pick(&GIVEN)
            ),
        ),
        _ => (
            "01",
            format!(
                "{}{}{}",
                rng.pick(&SURNAMES),
                rng.pick(&GIVEN),
                rng.pick(&GIVEN)
            ),
        ),
    };
    let joined_age = 14 + rng.below(5) as i32;
    let joined_on =
        chrono::NaiveDate::from_ymd_opt(birth.year() + joined_age, 1 + rng.below(12) as u32, 1)
            .expect("a valid month")
            .max(
                chrono::NaiveDate::from_ymd_opt(birth.year() + 14, birth.month(), 1)
                    .expect("a valid month"),
            );
    SyntheticMember {
        name,
        resident_id,
        ethnicity,
        joined_on: joined_on.min(today),
        phone: phone(&mut rng),
        education: EDUCATION_CODES[rng.below(4) as usize],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::phone::Phone;
    use chrono::Datelike;

    #[test]
    fn synthetic_members_have_valid_unique_ids_and_joined_at_fourteen_or_later() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        let mut seen = std::collections::HashSet::new();
        for i in 1..5000 {
            let m = member(i, today);
            let parsed =
                crate::domain::resident_id::ResidentId::parse(m.resident_id.as_str(), today)
                    .unwrap();
            assert!(seen.insert(parsed.as_str().to_string()), "duplicate at {i}");
            let birth = parsed.birth_date();
            assert!(
                today.years_since(birth).unwrap() >= 18 && today.years_since(birth).unwrap() <= 27
            );
            let fourteen =
                chrono::NaiveDate::from_ymd_opt(birth.year() + 14, birth.month(), 1).unwrap();
            assert!(m.joined_on >= fourteen && m.joined_on <= today);
            assert!(Phone::parse(&m.phone).is_some());
        }
    }
}
