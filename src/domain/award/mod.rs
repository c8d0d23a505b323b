//! 青年文明号 (youth civilization post, DESIGN.md §2–§3, issue 17 item 2): where a post
//! stands and the steps that move it — 创建备案 → 创建中 → 推荐 → 公示 → 认定, then 复核 every
//! two years, with 警告 and 撤销 — as a state machine that refuses every other move with a
//! reason a person can act on. The collectives and levels are `kinds`, the review's due
//! date and flag `review`, the forms `input`.

mod input;
mod kinds;
mod review;

use super::stored::stored_as_code;

pub use input::{AwardFields, AwardInput, StepFields, StepInput};
pub use kinds::{Collective, Level};
pub use review::{DUE_WINDOW_DAYS, Due, REVIEW_MONTHS, due_flag, due_horizon, review_due};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::stored::assert_codes_round_trip;

    #[test]
    fn states_and_steps_round_trip() {
        assert_codes_round_trip(&State::ALL, State::code, State::from_code, "approved");
        assert_codes_round_trip(&Step::ALL, Step::code, Step::from_code, "approve");
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
}
