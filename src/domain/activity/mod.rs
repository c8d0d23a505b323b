//! Activities (活动): what the committee and the organisations do — volunteer service,
//! contests, cultural events, study, meetings — their kinds, their states and the rules a
//! recorded activity keeps (DESIGN.md §3, issue 16).

use super::stored::stored_as_code;

mod input;

pub use input::{ActivityFields, ActivityInput, parse_local_time};

/// The longest title, place and series name, in characters.
pub const TITLE_MAX: usize = 100;
pub const PLACE_MAX: usize = 100;
pub const SERIES_MAX: usize = 50;
/// The longest description, in characters.
pub const DESCRIPTION_MAX: usize = 5000;
/// The longest span of one activity, in days: a year-long series is recorded as a series of
/// activities, not as one.
pub const SPAN_MAX_DAYS: i64 = 366;
/// The years an activity may fall in.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// 志愿服务.
    Volunteer,
    /// 竞赛/评比.
    Contest,
    /// 文体活动.
    Culture,
    /// 学习教育.
    Study,
    /// 会议.
    Meeting,
    /// 其他.
    Other,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Volunteer,
        Kind::Contest,
        Kind::Culture,
        Kind::Study,
        Kind::Meeting,
        Kind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Kind::Volunteer => "volunteer",
            Kind::Contest => "contest",
            Kind::Culture => "culture",
            Kind::Study => "study",
            Kind::Meeting => "meeting",
            Kind::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Volunteer => "志愿服务",
            Kind::Contest => "竞赛/评比",
            Kind::Culture => "文体活动",
            Kind::Study => "学习教育",
            Kind::Meeting => "会议",
            Kind::Other => "其他",
        }
    }
}

stored_as_code!(Kind);

/// 计划 → 进行中 → 已完成, or 已取消 before it is done.
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
            State::Planned => "计划",
            State::Ongoing => "进行中",
            State::Done => "已完成",
            State::Cancelled => "已取消",
        }
    }

    /// The states an activity in this one may move to; none once done or cancelled.
    pub fn next(self) -> &'static [State] {
        match self {
            State::Planned => &[State::Ongoing, State::Done, State::Cancelled],
            State::Ongoing => &[State::Done, State::Cancelled],
            State::Done | State::Cancelled => &[],
        }
    }

    /// What the button that moves an activity into this state says.
    pub fn verb(self) -> &'static str {
        match self {
            State::Planned => "改为计划",
            State::Ongoing => "开始",
            State::Done => "标记为已完成",
            State::Cancelled => "取消活动",
        }
    }
}

stored_as_code!(State);

/// How a unit takes part in an activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnitRole {
    /// 协办单位.
    CoOrganizer,
    /// 参与单位.
    Participant,
}

impl UnitRole {
    pub const ALL: [UnitRole; 2] = [UnitRole::CoOrganizer, UnitRole::Participant];

    pub fn code(self) -> &'static str {
        match self {
            UnitRole::CoOrganizer => "co_organizer",
            UnitRole::Participant => "participant",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            UnitRole::CoOrganizer => "协办单位",
            UnitRole::Participant => "参与单位",
        }
    }
}

stored_as_code!(UnitRole);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::stored::assert_codes_round_trip;

    #[test]
    fn codes_round_trip() {
        assert_codes_round_trip(&Kind::ALL, Kind::code, Kind::from_code, "party");
        assert_codes_round_trip(&State::ALL, State::code, State::from_code, "open");
        assert_codes_round_trip(&UnitRole::ALL, UnitRole::code, UnitRole::from_code, "x");
    }

    #[test]
    fn states_move_forward_only() {
        assert!(State::Planned.next().contains(&State::Done));
        assert!(State::Ongoing.next().contains(&State::Cancelled));
        assert!(!State::Ongoing.next().contains(&State::Planned));
        assert!(State::Done.next().is_empty());
        assert!(State::Cancelled.next().is_empty());
    }
}
