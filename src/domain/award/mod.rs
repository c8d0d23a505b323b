//! 青年文明号 (youth civilization post, DESIGN.md §2–§3, issue 17 item 2): the collectives
//! that may hold it, its levels, where a post stands and the steps that move it — 创建备案 →
//! 创建中 → 推荐 → 公示 → 认定, then 复核 every two years, with 警告 and 撤销 — as a state
//! machine that refuses every other move with a reason a person can act on.

mod input;

use chrono::{Months, NaiveDate};

use super::stored::stored_as_code;
use super::unit::UnitKind;

pub use input::{AwardFields, AwardInput, StepFields, StepInput};

/// A recognised post is reviewed this many months after its recognition or last review.
pub const REVIEW_MONTHS: u32 = 24;
/// A review falling due within this many days is flagged with the overdue ones.
pub const DUE_WINDOW_DAYS: i64 = 60;

/// The kind of collective (集体) that creates a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Collective {
    /// A department's 科室.
    Office,
    /// An enterprise's 工段.
    Section,
    /// An enterprise's 班组.
    Crew,
    /// A community's team (团队).
    Team,
}

impl Collective {
    pub const ALL: [Collective; 4] = [
        Collective::Office,
        Collective::Section,
        Collective::Crew,
        Collective::Team,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Collective::Office => "office",
            Collective::Section => "section",
            Collective::Crew => "crew",
            Collective::Team => "team",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Collective::Office => "科室",
            Collective::Section => "工段",
            Collective::Crew => "班组",
            Collective::Team => "团队",
        }
    }

    /// Whether a unit of `kind` has collectives of this kind: a department's 科室, an
    /// enterprise's 工段 or 班组, a community's team (issue 17 item 2).
    pub fn fits(self, kind: UnitKind) -> bool {
        matches!(
            (self, kind),
            (Collective::Office, UnitKind::Department)
                | (Collective::Section | Collective::Crew, UnitKind::Enterprise)
                | (Collective::Team, UnitKind::Community)
        )
    }
}

stored_as_code!(Collective);

/// The level that recognised a post, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Level {
    Zone,
    City,
    Province,
    National,
}

impl Level {
    pub const ALL: [Level; 4] = [Level::Zone, Level::City, Level::Province, Level::National];

    pub fn code(self) -> &'static str {
        match self {
            Level::Zone => "zone",
            Level::City => "city",
            Level::Province => "province",
            Level::National => "national",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Level::Zone => "开发区级",
            Level::City => "地市级",
            Level::Province => "省级",
            Level::National => "全国",
        }
    }
}

stored_as_code!(Level);

/// Where a post stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum State {
    /// 创建备案: registered, creation not yet under way.
    Registered,
    Creating,
    Recommended,
    Publicized,
    /// Holds the title.
    Recognized,
    /// Holds the title under a warning until a review passes.
    Warned,
    /// The title or the creation was revoked; nothing follows.
    Revoked,
}

impl State {
    pub const ALL: [State; 7] = [
        State::Registered,
        State::Creating,
        State::Recommended,
        State::Publicized,
        State::Recognized,
        State::Warned,
        State::Revoked,
    ];

    pub fn code(self) -> &'static str {
        match self {
            State::Registered => "registered",
            State::Creating => "creating",
            State::Recommended => "recommended",
            State::Publicized => "publicized",
            State::Recognized => "recognized",
            State::Warned => "warned",
            State::Revoked => "revoked",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            State::Registered => "已创建备案",
            State::Creating => "创建中",
            State::Recommended => "已推荐",
            State::Publicized => "公示中",
            State::Recognized => "已认定",
            State::Warned => "已警告",
            State::Revoked => "已撤销",
        }
    }

    /// The tag's CSS class: done, under way, warned, gone.
    pub fn tag(self) -> &'static str {
        match self {
            State::Recognized => "tag-on",
            State::Warned => "tag-late",
            State::Revoked => "tag-off",
            _ => "tag-warn",
        }
    }

    /// Holds the title, so is reviewed every two years.
    pub fn holds_title(self) -> bool {
        matches!(self, State::Recognized | State::Warned)
    }

    /// Still on the way to recognition.
    pub fn in_creation(self) -> bool {
        matches!(
            self,
            State::Registered | State::Creating | State::Recommended | State::Publicized
        )
    }
}

stored_as_code!(State);

/// A step recorded in a post's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    Register,
    Start,
    Recommend,
    Publicize,
    Recognize,
    Review,
    Warn,
    Revoke,
    /// Back to 创建中 after a recommendation or notice found it not yet ready.
    Return,
}

impl Step {
    pub const ALL: [Step; 9] = [
        Step::Register,
        Step::Start,
        Step::Recommend,
        Step::Publicize,
        Step::Recognize,
        Step::Review,
        Step::Warn,
        Step::Revoke,
        Step::Return,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Step::Register => "register",
            Step::Start => "start",
            Step::Recommend => "recommend",
            Step::Publicize => "publicize",
            Step::Recognize => "recognize",
            Step::Review => "review",
            Step::Warn => "warn",
            Step::Revoke => "revoke",
            Step::Return => "return",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Step::Register => "创建备案",
            Step::Start => "开始创建",
            Step::Recommend => "推荐",
            Step::Publicize => "公示",
            Step::Recognize => "认定",
            Step::Review => "复核通过",
            Step::Warn => "警告",
            Step::Revoke => "撤销",
            Step::Return => "退回创建",
        }
    }

    /// Steps that must say why (警告, 撤销, 退回).
    pub fn needs_reason(self) -> bool {
        matches!(self, Step::Warn | Step::Revoke | Step::Return)
    }

    /// Steps a page asks about before taking, since they cannot be undone.
    pub fn asks_first(self) -> bool {
        matches!(self, Step::Warn | Step::Revoke)
    }
}

stored_as_code!(Step);

/// The state after `step`, or why it may not be taken now. Registration starts a record
/// and is never a move.
pub fn next(state: State, step: Step) -> Result<State, String> {
    use State::*;
    use Step::*;
    match (state, step) {
        (Registered, Start) => Ok(Creating),
        (Creating, Recommend) => Ok(Recommended),
        (Recommended, Publicize) => Ok(Publicized),
        (Publicized, Recognize) => Ok(Recognized),
        (Recommended | Publicized, Return) => Ok(Creating),
        (Recognized | Warned, Review) => Ok(Recognized),
        (Recognized, Warn) => Ok(Warned),
        (s, Revoke) if s != Revoked => Ok(Revoked),
        (Revoked, _) => Err("该青年文明号已撤销，不能再办理；如需重新创建，请重新创建备案".into()),
        (_, Register) => Err("创建备案只在登记新的创建集体时办理".into()),
        (Warned, Warn) => Err("该青年文明号已被警告，复核通过后方可解除".into()),
        (s, Review | Warn) => Err(format!(
            "“{}”尚未认定为青年文明号，不能{}",
            s.label(),
            step.label()
        )),
        (Recognized | Warned, Recognize) => Err("已认定为青年文明号，不能重复认定".into()),
        (s, Recognize) => Err(format!(
            "目前状态为“{}”，须经推荐、公示后方可认定",
            s.label()
        )),
        (s, _) => Err(format!("目前状态为“{}”，不能{}", s.label(), step.label())),
    }
}

/// The steps that may be taken from `state`, in the order a page offers them.
pub fn steps_from(state: State) -> Vec<Step> {
    Step::ALL
        .into_iter()
        .filter(|s| next(state, *s).is_ok())
        .collect()
}

/// When a post recognised or reviewed on `on` is next due for review.
pub fn review_due(on: NaiveDate) -> NaiveDate {
    on.checked_add_months(Months::new(REVIEW_MONTHS))
        .unwrap_or(NaiveDate::MAX)
}

/// How a post's review stands on `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    Overdue,
    Soon,
}

impl Due {
    pub fn label(self) -> &'static str {
        match self {
            Due::Overdue => "复核已逾期",
            Due::Soon => "即将复核",
        }
    }

    pub fn tag(self) -> &'static str {
        match self {
            Due::Overdue => "tag-late",
            Due::Soon => "tag-warn",
        }
    }
}

/// Whether a post in `state` whose review falls on `due` is to be flagged on `today`: past
/// it, or within `DUE_WINDOW_DAYS` of it. Only posts that hold the title are reviewed.
pub fn due_flag(state: State, due: Option<NaiveDate>, today: NaiveDate) -> Option<Due> {
    let due = due.filter(|_| state.holds_title())?;
    if due < today {
        Some(Due::Overdue)
    } else if (due - today).num_days() <= DUE_WINDOW_DAYS {
        Some(Due::Soon)
    } else {
        None
    }
}

/// The last day a review due on or before it is flagged on `today`.
pub fn due_horizon(today: NaiveDate) -> NaiveDate {
    today + chrono::Duration::days(DUE_WINDOW_DAYS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::stored::assert_codes_round_trip;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn codes_round_trip() {
        assert_codes_round_trip(&State::ALL, State::code, State::from_code, "approved");
        assert_codes_round_trip(&Step::ALL, Step::code, Step::from_code, "approve");
        assert_codes_round_trip(&Level::ALL, Level::code, Level::from_code, "county");
        assert_codes_round_trip(
            &Collective::ALL,
            Collective::code,
            Collective::from_code,
            "factory",
        );
    }

    #[test]
    fn a_post_goes_from_registration_to_recognition_and_is_reviewed() {
        let mut state = State::Registered;
        for (step, after) in [
            (Step::Start, State::Creating),
            (Step::Recommend, State::Recommended),
            (Step::Publicize, State::Publicized),
            (Step::Recognize, State::Recognized),
            (Step::Warn, State::Warned),
            (Step::Review, State::Recognized),
            (Step::Review, State::Recognized),
            (Step::Revoke, State::Revoked),
        ] {
            state = next(state, step).unwrap();
            assert_eq!(state, after, "{step:?}");
        }
    }

    #[test]
    fn illegal_steps_are_refused_with_a_reason() {
        assert_eq!(
            next(State::Creating, Step::Recognize).unwrap_err(),
            "目前状态为“创建中”，须经推荐、公示后方可认定"
        );
        assert_eq!(
            next(State::Creating, Step::Review).unwrap_err(),
            "“创建中”尚未认定为青年文明号，不能复核通过"
        );
        assert!(
            next(State::Revoked, Step::Review)
                .unwrap_err()
                .contains("已撤销")
        );
        assert!(
            next(State::Warned, Step::Warn)
                .unwrap_err()
                .contains("已被警告")
        );
        assert!(next(State::Registered, Step::Register).is_err());
        assert_eq!(
            next(State::Registered, Step::Publicize).unwrap_err(),
            "目前状态为“已创建备案”，不能公示"
        );
        // A creation may be called off (撤销) at any stage; a revoked record stays revoked.
        assert_eq!(next(State::Creating, Step::Revoke), Ok(State::Revoked));
        assert!(next(State::Revoked, Step::Revoke).is_err());
        assert_eq!(next(State::Publicized, Step::Return), Ok(State::Creating));
        assert!(next(State::Creating, Step::Return).is_err());
    }

    #[test]
    fn each_state_offers_only_its_legal_steps() {
        assert_eq!(steps_from(State::Registered), [Step::Start, Step::Revoke]);
        assert_eq!(
            steps_from(State::Publicized),
            [Step::Recognize, Step::Revoke, Step::Return]
        );
        assert_eq!(
            steps_from(State::Recognized),
            [Step::Review, Step::Warn, Step::Revoke]
        );
        assert_eq!(steps_from(State::Warned), [Step::Review, Step::Revoke]);
        assert!(steps_from(State::Revoked).is_empty());
    }

    #[test]
    fn reviews_fall_due_two_years_on_and_are_flagged_sixty_days_ahead() {
        assert_eq!(review_due(day(2019, 10, 8)), day(2021, 10, 8));
        assert_eq!(review_due(day(2020, 2, 29)), day(2022, 2, 28));
        let due = Some(day(2021, 10, 8));
        assert_eq!(due_flag(State::Recognized, due, day(2021, 8, 8)), None);
        assert_eq!(
            due_flag(State::Recognized, due, day(2021, 8, 9)),
            Some(Due::Soon)
        );
        assert_eq!(
            due_flag(State::Warned, due, day(2021, 10, 8)),
            Some(Due::Soon)
        );
        assert_eq!(
            due_flag(State::Recognized, due, day(2021, 10, 9)),
            Some(Due::Overdue)
        );
        assert_eq!(due_flag(State::Revoked, due, day(2022, 1, 1)), None);
        assert_eq!(due_horizon(day(2021, 8, 9)), day(2021, 10, 8));
    }

    #[test]
    fn collectives_belong_to_their_kind_of_unit() {
        assert!(Collective::Office.fits(UnitKind::Department));
        assert!(Collective::Crew.fits(UnitKind::Enterprise));
        assert!(Collective::Section.fits(UnitKind::Enterprise));
        assert!(Collective::Team.fits(UnitKind::Community));
        assert!(!Collective::Office.fits(UnitKind::Enterprise));
        assert!(!Collective::Team.fits(UnitKind::Department));
    }
}
