//! A member's state, and a member as people type it (over 300 lines: the state, the
//! admission and age rules and their property tests belong together, each too small for
//! its own module). The member (the form, a line
//! of a roster workbook) as checked: names with the middle dot of minority names, the
//! resident ID (GB 11643) and its sex, the national code lists (GB/T 3304, 4658, 4762) and
//! the 14-year rule for joining (团章 第一条). The form and the roster import share these rules.

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use super::codes::{EDUCATION, ETHNICITIES, POLITICAL_STATUS, code_of};
use super::form::FieldErrors;
use super::phone::Phone;
use super::resident_id::ResidentId;
use super::stored::stored_as_code;
use super::text::parse_date_text;
use crate::domain::ids::OrganizationId;

/// Where a member stands (`member.state`): only an active member can move or age out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Active,
    Transferred,
    AgedOut,
    Left,
}

impl State {
    pub const ALL: [State; 4] = [
        State::Active,
        State::Transferred,
        State::AgedOut,
        State::Left,
    ];

    pub fn code(self) -> &'static str {
        match self {
            State::Active => "active",
            State::Transferred => "transferred",
            State::AgedOut => "aged_out",
            State::Left => "left",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            State::Active => "在团",
            State::Transferred => "已转出",
            State::AgedOut => "超龄离团",
            State::Left => "已离团",
        }
    }

    pub fn is_active(self) -> bool {
        self == State::Active
    }
}

stored_as_code!(State);

/// A checked member, in the clear, ready to be encrypted and written.
#[derive(Debug, Clone)]
pub struct NewMember {
    pub organization_id: OrganizationId,
    pub name: String,
    pub sex: &'static str,
    pub ethnicity: &'static str,
    pub birth_date: NaiveDate,
    pub resident_id: ResidentId,
    pub phone: Option<Phone>,
    pub joined_on: NaiveDate,
    pub education: Option<&'static str>,
    pub political_status: &'static str,
    pub league_post: Option<String>,
}

/// One member as typed, every field as text.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct MemberInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub sex: String,
    #[serde(default)]
    pub ethnicity: String,
    #[serde(default)]
    pub resident_id: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub joined_on: String,
    #[serde(default)]
    pub education: String,
    #[serde(default)]
    pub political_status: String,
    #[serde(default)]
    pub league_post: String,
}

pub use super::name::normalize_name;

/// The first day of the month in which someone born on `birth` turns `years`: joining in
/// that month counts as joining at that age.
fn birthday_month(birth: NaiveDate, years: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(birth.year() + years, birth.month(), 1).unwrap_or(birth)
}

/// Whether someone born on `birth` who joined in the month `joined` joined before turning
/// 14, the age the 团章 (第一条) sets: possible only for members already on record.
pub fn joined_under_fourteen(birth: NaiveDate, joined: NaiveDate) -> bool {
    joined < birthday_month(birth, 14)
}

/// How a member comes in, which decides the youngest age at joining that is accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// Admitted now, through the form: at 14 or older (团章 第一条).
    New,
    /// Already a member on record, from a roster the national system (智慧团建) exported:
    /// it holds members who joined at 13 from 2017 and at 12 before, and they are kept,
    /// marked (`joined_under_fourteen`).
    OnRecord,
}

impl Admission {
    fn youngest(self, joined: NaiveDate) -> i32 {
        match self {
            Admission::New => 14,
            Admission::OnRecord if joined.year() >= 2017 => 13,
            Admission::OnRecord => 12,
        }
    }
}

impl MemberInput {
    /// The member this input describes, admitted now in `organization_id`, checked
    /// against the rules of the 团章 as of `today`; or every fault as (field, reason).
    pub fn check(
        &self,
        organization_id: OrganizationId,
        today: NaiveDate,
    ) -> Result<NewMember, FieldErrors> {
        self.check_as(Admission::New, organization_id, today)
    }

    /// As `check`, for a member who comes in as `admission` says.
    pub fn check_as(
        &self,
        admission: Admission,
        organization_id: OrganizationId,
        today: NaiveDate,
    ) -> Result<NewMember, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = normalize_name(&self.name);
        let name_ok = !name.is_empty()
            && name.chars().count() <= 40
            && name.chars().all(|c| c.is_alphabetic() || c == '·');
        if !name_ok {
            errors.push("姓名", "不能为空，只能包含文字和间隔号“·”，不超过40个字");
        }
        let resident_id = match ResidentId::parse(&self.resident_id, today) {
            Ok(id) => Some(id),
            Err(e) => {
                errors.push(
                    "身份证号码",
                    e.message()
                        .trim_start_matches("身份证号码")
                        .trim_start_matches("中的")
                        .trim_start_matches('的')
                        .to_string(),
                );
                None
            }
        };
        let sex = match self.sex.trim() {
            "男" => Some("男"),
            "女" => Some("女"),
            _ => {
                errors.push("性别", "请选择男或女");
                None
            }
        };
        if let (Some(id), Some(sex)) = (&resident_id, sex)
            && id.sex().label() != sex
        {
            errors.push(
                "性别",
                format!("与身份证号码不符（号码显示为{}）", id.sex().label()),
            );
        }
        let ethnicity = code_of(&ETHNICITIES, &self.ethnicity);
        if ethnicity.is_none() {
            errors.push("民族", "请从列表中选择");
        }
        let joined_on = parse_date_text(&format!("{}-01", self.joined_on.trim()))
            .or_else(|| parse_date_text(self.joined_on.trim()))
            .map(|d| d.with_day(1).unwrap_or(d));
        match (joined_on, &resident_id) {
            (None, _) => errors.push("入团年月", "请填写，例如 2015-05"),
            (Some(joined), _) if joined > today => errors.push("入团年月", "不能晚于今天"),
            (Some(joined), Some(id))
                if joined < birthday_month(id.birth_date(), admission.youngest(joined)) =>
            {
                match admission {
                    Admission::New => errors.push("入团年月", "入团时未满14周岁，按团章不能入团"),
                    Admission::OnRecord => errors.push(
                        "入团年月",
                        "入团时未满14周岁，也低于原系统记录允许的年龄（2017年起满13周岁，此前满12周岁），请核对",
                    ),
                }
            }
            _ => {}
        }
        let phone = match self.phone.trim() {
            "" => None,
            text => match Phone::parse(text) {
                Some(p) => Some(p),
                None => {
                    errors.push("联系电话", "不是有效的手机号或固定电话");
                    None
                }
            },
        };
        let education = match self.education.trim() {
            "" => None,
            text => {
                let code = code_of(&EDUCATION, text);
                if code.is_none() {
                    errors.push("学历", "请从列表中选择");
                }
                code
            }
        };
        let political_status = match self.political_status.trim() {
            "" => Some("03"),
            text => code_of(&POLITICAL_STATUS, text),
        };
        if political_status.is_none() {
            errors.push("政治面貌", "请从列表中选择");
        }
        let league_post = Some(self.league_post.trim().to_string()).filter(|p| !p.is_empty());
        if league_post.as_ref().is_some_and(|p| p.chars().count() > 20) {
            errors.push("团内职务", "不超过20个字");
        }
        match (
            resident_id,
            sex,
            ethnicity,
            joined_on,
            political_status,
            errors.is_empty(),
        ) {
            (
                Some(id),
                Some(sex),
                Some(ethnicity),
                Some(joined_on),
                Some(political_status),
                true,
            ) => Ok(NewMember {
                organization_id,
                name,
                sex,
                ethnicity,
                birth_date: id.birth_date(),
                resident_id: id,
                phone,
                joined_on,
                education,
                political_status,
                league_post,
            }),
            _ => Err(errors),
        }
    }
}

/// The latest birth date of someone aged at least `years` on `today`: the same day `years`
/// years back, or 28 February when today is 29 February and that year has none (someone
/// born on 29 February is a year older from 1 March in other years, as `age_on` counts).
pub fn born_by(today: NaiveDate, years: u32) -> NaiveDate {
    let year = today.year() - years as i32;
    today
        .with_year(year)
        .or_else(|| NaiveDate::from_ymd_opt(year, 2, 28))
        .unwrap_or(NaiveDate::MIN)
}

/// The day someone born on `birth` turns `years` old: 1 March for 29 February in a year
/// without one (the counterpart of `born_by`).
pub fn birthday(birth: NaiveDate, years: u32) -> NaiveDate {
    let year = birth.year() + years as i32;
    birth
        .with_year(year)
        .or_else(|| NaiveDate::from_ymd_opt(year, 3, 1))
        .unwrap_or(NaiveDate::MAX)
}

/// The birth dates of an age band on `today`, as (born on or before, born after): `14-17`,
/// `18-22`, `23-27` or `28+` (团章 第一条: members are 14 to 28). Aged at least a and under
/// b+1 means born after `born_by(b+1)` and on or before `born_by(a)`. None for another
/// band.
pub fn birth_range(band: &str, today: NaiveDate) -> Option<(Option<NaiveDate>, Option<NaiveDate>)> {
    let years_ago = |n: u32| born_by(today, n);
    Some(match band {
        "14-17" => (Some(years_ago(14)), Some(years_ago(18))),
        "18-22" => (Some(years_ago(18)), Some(years_ago(23))),
        "23-27" => (Some(years_ago(23)), Some(years_ago(28))),
        "28+" => (Some(years_ago(28)), None),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    #[test]
    fn member_states_round_trip() {
        use super::State;
        crate::domain::stored::assert_codes_round_trip(
            &State::ALL,
            State::code,
            State::from_code,
            "在团",
        );
    }

    use super::normalize_name;

    #[test]
    fn age_bands_are_birth_date_ranges() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(
            super::birth_range("18-22", today),
            Some((day(2008, 11, 30), day(2003, 11, 30)))
        );
        assert_eq!(
            super::birth_range("28+", today),
            Some((day(1998, 11, 30), None))
        );
        assert_eq!(super::birth_range("29-35", today), None);
    }

    /// The plain reference: full years lived, a year more once the day of the birth date
    /// has come round (29 February's on 1 March in other years).
    fn reference_age(birth: NaiveDate, today: NaiveDate) -> i32 {
        use chrono::Datelike;
        let before_birthday = (today.month(), today.day()) < (birth.month(), birth.day());
        today.year() - birth.year() - i32::from(before_birthday)
    }

    fn days(from: NaiveDate, until: NaiveDate) -> impl Iterator<Item = NaiveDate> {
        from.iter_days().take_while(move |d| *d <= until)
    }

    #[test]
    fn every_day_of_a_leap_year_and_its_neighbours_puts_each_person_in_one_band() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let bands = [
            ("14-17", 14, 17),
            ("18-22", 18, 22),
            ("23-27", 23, 27),
            ("28+", 28, 200),
        ];
        // Birth dates around 29 February and the turn of the year, over the ages that matter.
        let births: Vec<NaiveDate> = (1990..=2016)
            .flat_map(|y| {
                [(1, 1), (2, 27), (2, 28), (3, 1), (3, 2), (12, 31)]
                    .into_iter()
                    .filter_map(move |(m, d)| NaiveDate::from_ymd_opt(y, m, d))
                    .chain(NaiveDate::from_ymd_opt(y, 2, 29))
            })
            .collect();
        for today in days(day(2027, 1, 1), day(2029, 12, 31)) {
            for birth in &births {
                let age = reference_age(*birth, today);
                assert_eq!(
                    super::birthday(*birth, 28) <= today,
                    age >= 28,
                    "born {birth}, on {today}"
                );
                assert_eq!(
                    super::born_by(today, 28) >= *birth,
                    age >= 28,
                    "born {birth}, on {today}"
                );
                for (band, low, high) in bands {
                    let (on_or_before, after) = super::birth_range(band, today).unwrap();
                    let inside = on_or_before.is_none_or(|d| *birth <= d)
                        && after.is_none_or(|d| *birth > d);
                    assert_eq!(
                        inside,
                        (low..=high).contains(&age),
                        "born {birth}, on {today}, band {band}, aged {age}"
                    );
                }
            }
        }
    }

    #[test]
    fn names_keep_one_kind_of_middle_dot() {
        assert_eq!(normalize_name(" 阿依古丽•买买提 "), "阿依古丽·买买提");
        assert_eq!(normalize_name("艾力・吐尔逊"), "艾力·吐尔逊");
    }
}
