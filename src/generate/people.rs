//! One generated league member as a pure function of (seed, ordinal): name, sex, ethnic
//! group, a resident ID unique by construction, age, joining date, education, phone.
//! Being pure, members can be made on any thread in any order and come out the same.

use chrono::{Datelike, NaiveDate};

use super::tables::{
    AREAS, GIVEN_FEMALE, GIVEN_MALE, KAZAKH_FATHER, KAZAKH_FEMALE, KAZAKH_MALE, MOBILE_PREFIXES,
    SURNAMES, UYGHUR_FATHER, UYGHUR_FEMALE, UYGHUR_MALE,
};
use super::{Rng, mix};
use crate::domain::phone::Phone;
use crate::domain::resident_id::{ResidentId, Sex};

/// (area, day of the year, half of the sequence number): 64 × 365 × 500 IDs per sex.
const ID_SLOTS: u64 = AREAS.len() as u64 * 365 * 500;
/// A prime that divides no factor of `ID_SLOTS` (2, 5, 73), so `k × STRIDE` runs through
/// every slot once before it repeats.
const STRIDE: u64 = 1_000_003;

#[derive(Debug, Clone)]
pub struct Person {
    pub name: String,
    pub sex: Sex,
    pub ethnicity: &'static str,
    pub resident_id: ResidentId,
    pub phone: Option<Phone>,
    pub joined_on: NaiveDate,
    pub education: &'static str,
    pub political_status: &'static str,
    pub state: &'static str,
}

/// Member number `k` (0-based over the whole zone). Cadres (holding a league post) are
/// older, and some keep their membership past 28 as the constitution allows.
pub fn person(seed: u64, k: u64, today: NaiveDate, cadre: bool) -> Person {
    let mut rng = Rng::new(mix(seed ^ 0x7065_6f70_6c65, k));
    let male = rng.below(100) < 52;
    let (ethnicity, name) = name(&mut rng, male);
    let roll = rng.below(1000);
    let (age, state) = if cadre {
        let past = rng.below(100) < 30;
        (
            if past {
                28 + rng.below(4)
            } else {
                20 + rng.below(8)
            },
            "active",
        )
    } else {
        match roll {
            0..=9 => (28 + rng.below(2), "aged_out"),
            10..=19 => (ordinary_age(&mut rng), "transferred"),
            20..=24 => (ordinary_age(&mut rng), "left"),
            _ => (ordinary_age(&mut rng), "active"),
        }
    };
    // Unique by construction: distinct k give distinct (area, day, sequence), whatever
    // the birth year.
    let slot = (k.wrapping_mul(STRIDE) + mix(seed, 0x1d) % ID_SLOTS) % ID_SLOTS;
    let area = AREAS[(slot % AREAS.len() as u64) as usize];
    let day = (slot / AREAS.len() as u64) % 365;
    let half = slot / (AREAS.len() as u64 * 365);
    let in_year = NaiveDate::from_yo_opt(2001, day as u32 + 1).expect("a day of 2001");
    let birthday_to_come = (in_year.month(), in_year.day()) > (today.month(), today.day());
    let year = today.year() - age as i32 - i32::from(birthday_to_come);
    let birth = NaiveDate::from_ymd_opt(year, in_year.month(), in_year.day())
        .expect("not 29 February, so valid in any year");
    let sequence = (half * 2 + u64::from(male)) as u16;
    let resident_id =
        ResidentId::compose(area, birth, sequence).expect("digits of the right length");

    let join_age = 14 + [0, 0, 0, 1, 1, 2, 3, 4][rng.below(8) as usize];
    let fourteen = NaiveDate::from_ymd_opt(year + 14, birth.month(), 1).expect("a month");
    let joined_on = NaiveDate::from_ymd_opt(year + join_age, 1 + rng.below(12) as u32, 1)
        .expect("a month")
        .max(fourteen)
        .min(NaiveDate::from_ymd_opt(today.year(), today.month(), 1).expect("a month"));
    let education = match (age, rng.below(100)) {
        (..16, _) => "70",
        (16..=18, 0..=59) => "60",
        (16..=18, _) => "40",
        (_, 0..=4) => "10",
        (_, 5..=42) => "20",
        (_, 43..=74) => "30",
        (_, 75..=86) => "40",
        _ => "60",
    };
    let political_status = match (age, rng.below(100)) {
        (18.., 0..=3) => "01",
        (18.., 4..=6) => "02",
        _ => "03",
    };
    let phone = (rng.below(100) < 96).then(|| {
        let number = format!(
            "{}{:08}",
            rng.pick(&MOBILE_PREFIXES),
            rng.below(100_000_000)
        );
        Phone::parse(&number).expect("a mobile number")
    });
    Person {
        name,
        sex: if male { Sex::Male } else { Sex::Female },
        ethnicity,
        resident_id,
        phone,
        joined_on,
        education,
        political_status,
        state,
    }
}

/// 14 to 27, most in their twenties.
fn ordinary_age(rng: &mut Rng) -> u64 {
    const WEIGHTS: [u64; 14] = [2, 3, 4, 5, 7, 8, 9, 9, 9, 9, 8, 8, 7, 6];
    let mut roll = rng.below(WEIGHTS.iter().sum());
    for (i, w) in WEIGHTS.iter().enumerate() {
        if roll < *w {
            return 14 + i as u64;
        }
        roll -= w;
    }
    27
}

/// Mostly 汉族; the region's Uyghur and Kazakh names carry the middle dot.
fn name(rng: &mut Rng, male: bool) -> (&'static str, String) {
    let han = |rng: &mut Rng| {
        // The smaller of two draws favours the common surnames at the front.
        let surname = SURNAMES[rng.below(100).min(rng.below(100)) as usize];
        let given = if male { &GIVEN_MALE } else { &GIVEN_FEMALE };
        let mut name = format!("{surname}{}", rng.pick(given));
        if rng.below(10) < 7 {
            let more: &&str = rng.pick(given);
            name.push_str(more);
        }
        name
    };
    match rng.below(100) {
        0..=77 => ("01", han(rng)),
        78..=85 => {
            let given = if male {
                &UYGHUR_MALE[..]
            } else {
                &UYGHUR_FEMALE[..]
            };
            (
                "05",
                format!("{}·{}", rng.pick(given), rng.pick(&UYGHUR_FATHER)),
            )
        }
        86..=90 => {
            let given = if male {
                &KAZAKH_MALE[..]
            } else {
                &KAZAKH_FEMALE[..]
            };
            (
                "17",
                format!("{}·{}", rng.pick(given), rng.pick(&KAZAKH_FATHER)),
            )
        }
        91..=95 => ("03", han(rng)),
        96 => ("02", han(rng)),
        97 => ("11", han(rng)),
        98 => ("15", han(rng)),
        _ => ("38", han(rng)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::codes::{EDUCATION, ETHNICITIES, POLITICAL_STATUS, code_of};

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 2, 28).unwrap()
    }

    #[test]
    fn the_stride_visits_every_slot() {
        fn gcd(a: u64, b: u64) -> u64 {
            if b == 0 { a } else { gcd(b, a % b) }
        }
        assert_eq!(gcd(STRIDE, ID_SLOTS), 1);
        let areas: std::collections::HashSet<_> = AREAS.iter().collect();
        assert_eq!(areas.len(), AREAS.len());
    }

    #[test]
    fn people_are_valid_consistent_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for k in 0..20_000 {
            let p = person(9, k, today(), k % 10 == 0);
            let id = ResidentId::parse(p.resident_id.as_str(), today()).unwrap();
            assert!(seen.insert(id.as_str().to_string()), "duplicate at {k}");
            assert_eq!(id.sex(), p.sex);
            let age = today().years_since(id.birth_date()).unwrap();
            assert!((14..=31).contains(&age), "{age}");
            assert!(age <= 27 || k % 10 == 0 || p.state == "aged_out");
            let fourteen =
                NaiveDate::from_ymd_opt(id.birth_date().year() + 14, id.birth_date().month(), 1)
                    .unwrap();
            assert!(p.joined_on >= fourteen && p.joined_on <= today());
            assert!(code_of(&ETHNICITIES, p.ethnicity).is_some());
            assert!(code_of(&EDUCATION, p.education).is_some());
            assert!(code_of(&POLITICAL_STATUS, p.political_status).is_some());
            assert_eq!(p.name.contains('·'), matches!(p.ethnicity, "05" | "17"));
            assert!(p.name.chars().count() >= 2 && p.name.chars().count() <= 40);
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_person_and_another_seed_another() {
        let a = person(1, 77, today(), false);
        let b = person(1, 77, today(), false);
        assert_eq!(
            (a.name.as_str(), a.resident_id.as_str()),
            (b.name.as_str(), b.resident_id.as_str())
        );
        assert_ne!(a.resident_id, person(2, 77, today(), false).resident_id);
    }
}
