//! Work-plan items (工作安排, issue 17 item 1): the states an item moves through (未开始 /
//! 推进中 / 已完成 / 已取消), the flags the list shows (即将到期 for an open item due within
//! 30 days of today, 已逾期 for one past its due date), and the Chinese numbers a plan counts
//! its items with (一、二、…). The forms are in `input`.

mod input;

use chrono::NaiveDate;

pub use input::{
    HEADING_MAX, NOTE_MAX, NoteFields, NoteInput, OWNER_NAME_MAX, PlanFields, PlanInput, TEXT_MAX,
};

use super::stored::stored_as_code;

/// The highest number an item may have within its year.
pub const NUMBER_MAX: i32 = 99;

/// How many days ahead an open item's due date flags it 即将到期 (and brings its notice).
pub const DUE_SOON_DAYS: i32 = 30;

/// Where an item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum State {
    Planned,
    Ongoing,
    Done,
    Cancelled,
}

impl State {
    pub const ALL: [State; 4] = [
        State::Planned,
        State::Ongoing,
        State::Done,
        State::Cancelled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            State::Planned => "planned",
            State::Ongoing => "ongoing",
            State::Done => "done",
            State::Cancelled => "cancelled",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            State::Planned => "未开始",
            State::Ongoing => "推进中",
            State::Done => "已完成",
            State::Cancelled => "已取消",
        }
    }

    /// Still to be done: flagged and reminded by its due date.
    pub fn is_open(self) -> bool {
        matches!(self, State::Planned | State::Ongoing)
    }

    /// Whether an owner's secretary may move an item from this state to `to`: among 未开始,
    /// 推进中 and 已完成. Cancelling an item of the plan, or taking one up again, is the
    /// committee's decision.
    pub fn secretary_may_move_to(self, to: State) -> bool {
        self != State::Cancelled && to != State::Cancelled
    }
}

stored_as_code!(State);

/// What the list flags an item with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    /// Open and due within `DUE_SOON_DAYS` days (today included).
    DueSoon,
    /// Open and its due date has passed.
    Overdue,
}

impl Flag {
    pub fn label(self) -> &'static str {
        match self {
            Flag::DueSoon => "即将到期",
            Flag::Overdue => "已逾期",
        }
    }

    /// The code the notices record and the pages' CSS class names.
    pub fn code(self) -> &'static str {
        match self {
            Flag::DueSoon => "due_soon",
            Flag::Overdue => "overdue",
        }
    }
}

/// The flag of an item in `state` due on `due_on`, on `today` (the zone's local date).
pub fn flag(state: State, due_on: NaiveDate, today: NaiveDate) -> Option<Flag> {
    if !state.is_open() {
        return None;
    }
    let days = (due_on - today).num_days();
    if days < 0 {
        Some(Flag::Overdue)
    } else if days <= i64::from(DUE_SOON_DAYS) {
        Some(Flag::DueSoon)
    } else {
        None
    }
}

const DIGITS: [char; 9] = ['一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// `n` (1–99) as a plan numbers its items: 一, 九, 十, 十一, 二十, 九十九; other numbers in
/// Arabic digits.
pub fn chinese_number(n: i32) -> String {
    let digit = |d: i32| DIGITS[(d - 1) as usize];
    match n {
        1..=9 => digit(n).to_string(),
        10 => "十".to_string(),
        11..=19 => format!("十{}", digit(n - 10)),
        20..=99 if n % 10 == 0 => format!("{}十", digit(n / 10)),
        21..=99 => format!("{}十{}", digit(n / 10), digit(n % 10)),
        _ => n.to_string(),
    }
}

/// An item's number as typed: digits (full-width too) or Chinese (三, 十二), with or without
/// the marks around it (（三）, 三、, 3.); `None` unless it is 1 to `NUMBER_MAX`.
pub fn parse_number(text: &str) -> Option<i32> {
    let text = super::normalize_width(text);
    let core = text
        .trim()
        .trim_start_matches(['(', '（'])
        .trim_end_matches([')', '）', '、', '.', '。', ' '])
        .trim_start_matches('第')
        .trim_end_matches('项');
    let n = if !core.is_empty() && core.chars().all(|c| c.is_ascii_digit()) {
        core.parse().ok()?
    } else {
        let value = |c: char| DIGITS.iter().position(|d| *d == c).map(|i| i as i32 + 1);
        let chars: Vec<char> = core.chars().collect();
        match chars.as_slice() {
            [d] if *d != '十' => value(*d)?,
            ['十'] => 10,
            ['十', d] => 10 + value(*d)?,
            [t, '十'] => value(*t)? * 10,
            [t, '十', d] => value(*t)? * 10 + value(*d)?,
            _ => return None,
        }
    };
    (1..=NUMBER_MAX).contains(&n).then_some(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::stored::assert_codes_round_trip;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn states_round_trip_and_read_in_chinese() {
        assert_codes_round_trip(&State::ALL, State::code, State::from_code, "paused");
        let labels: Vec<_> = State::ALL.iter().map(|s| s.label()).collect();
        assert_eq!(labels, ["未开始", "推进中", "已完成", "已取消"]);
        assert!(State::Ongoing.is_open() && !State::Done.is_open());
        assert!(State::Planned.secretary_may_move_to(State::Done));
        assert!(!State::Ongoing.secretary_may_move_to(State::Cancelled));
        assert!(!State::Cancelled.secretary_may_move_to(State::Ongoing));
    }

    #[test]
    fn open_items_are_flagged_due_soon_within_thirty_days_and_overdue_after() {
        let today = day(2019, 6, 1);
        let flag_on = |due| flag(State::Ongoing, due, today);
        assert_eq!(flag_on(day(2019, 7, 2)), None, "31 days ahead");
        assert_eq!(flag_on(day(2019, 7, 1)), Some(Flag::DueSoon), "30 days");
        assert_eq!(flag_on(today), Some(Flag::DueSoon), "due today");
        assert_eq!(flag_on(day(2019, 5, 31)), Some(Flag::Overdue));
        assert_eq!(flag(State::Done, day(2019, 5, 31), today), None);
        assert_eq!(flag(State::Cancelled, today, today), None);
        assert_eq!(Flag::Overdue.label(), "已逾期");
    }

    #[test]
    fn numbers_read_and_write_as_a_plan_counts() {
        let written: Vec<_> = [1, 5, 10, 11, 20, 21, 99].map(chinese_number).to_vec();
        assert_eq!(
            written,
            ["一", "五", "十", "十一", "二十", "二十一", "九十九"]
        );
        for n in 1..=NUMBER_MAX {
            assert_eq!(parse_number(&chinese_number(n)), Some(n), "{n}");
            assert_eq!(parse_number(&n.to_string()), Some(n));
        }
        assert_eq!(parse_number("（三）"), Some(3));
        assert_eq!(parse_number("三、"), Some(3));
        assert_eq!(parse_number("１２"), Some(12));
        assert_eq!(parse_number("第二项"), Some(2));
        for bad in ["", "0", "100", "十十", "三三", "abc", "-1", "一百"] {
            assert_eq!(parse_number(bad), None, "{bad}");
        }
    }
}
