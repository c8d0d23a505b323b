//! The formation application's state machine (draft → submitted → returned → resubmitted
//! … → approved or rejected) and the league's rules shown as warnings (团章, 团支部工作条例).

use super::organization::Kind;
use super::stored::stored_as_code;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Draft,
    Submitted,
    Returned,
    Resubmitted,
    Approved,
    Rejected,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// The secretary saves changes without submitting.
    Save,
    /// The secretary submits (or resubmits after a return).
    Submit,
    /// The committee sends it back with a reason.
    Return,
    Approve,
    Reject,
}

impl State {
    pub const ALL: [State; 6] = [
        State::Draft,
        State::Submitted,
        State::Returned,
        State::Resubmitted,
        State::Approved,
        State::Rejected,
    ];

    pub fn code(self) -> &'static str {
        match self {
            State::Draft => "draft",
            State::Submitted => "submitted",
            State::Returned => "returned",
            State::Resubmitted => "resubmitted",
            State::Approved => "approved",
            State::Rejected => "rejected",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            State::Draft => "草稿",
            State::Submitted => "已提交，待批复",
            State::Returned => "已退回修改",
            State::Resubmitted => "已重新提交，待批复",
            State::Approved => "已批复",
            State::Rejected => "未予批复",
        }
    }

    /// Waiting for the committee.
    pub const PENDING: [State; 2] = [State::Submitted, State::Resubmitted];

    /// The secretary may still change it.
    pub const EDITABLE: [State; 2] = [State::Draft, State::Returned];

    /// Waiting for the committee.
    pub fn is_pending(self) -> bool {
        State::PENDING.contains(&self)
    }

    /// Decided for good (办结): approved or rejected.
    pub fn is_finished(self) -> bool {
        matches!(self, State::Approved | State::Rejected)
    }

    /// The secretary may still change it.
    pub fn is_editable(self) -> bool {
        State::EDITABLE.contains(&self)
    }
}

stored_as_code!(State);

impl Action {
    pub fn code(self) -> &'static str {
        match self {
            Action::Save => "save",
            Action::Submit => "submit",
            Action::Return => "return",
            Action::Approve => "approve",
            Action::Reject => "reject",
        }
    }

    /// Only the committee decides; only the unit's secretary writes the application.
    pub fn by_committee(self) -> bool {
        matches!(self, Action::Return | Action::Approve | Action::Reject)
    }
}

/// The state after `action`, or why the action is not allowed now.
pub fn next(state: State, action: Action) -> Result<State, &'static str> {
    use Action::*;
    use State::*;
    match (state, action) {
        (Draft, Save) => Ok(Draft),
        (Returned, Save) => Ok(Returned),
        (Draft, Submit) => Ok(Submitted),
        (Returned, Submit) => Ok(Resubmitted),
        (Submitted | Resubmitted, Return) => Ok(Returned),
        (Submitted | Resubmitted, Approve) => Ok(Approved),
        (Submitted | Resubmitted, Reject) => Ok(Rejected),
        (Draft, Return | Approve | Reject) => Err("该申请还是草稿，尚未提交，不能审批"),
        (Returned, Return | Approve | Reject) => {
            Err("该申请已退回修改，须由申请单位重新提交后才能审批")
        }
        (Submitted | Resubmitted, Save | Submit) => Err("该申请已提交，正在等待批复，不能修改"),
        (Approved | Rejected, _) => Err("该申请已办结，不能再修改或审批"),
    }
}

/// The league's rules for the proposed organisation, as warnings that do not block.
pub fn warnings(kind: Kind, members: i32) -> Vec<&'static str> {
    let mut out = Vec::new();
    if members < 3 {
        out.push("团员不足3人，按规定不单独建立团支部，建议与相邻单位联合建立联合团支部");
    }
    if kind == Kind::Branch && members > 50 {
        out.push("团支部一般不超过50人，人数较多时可考虑建立团总支");
    }
    if members >= 100 && kind != Kind::Basic {
        out.push("团员100人以上，可以建立基层团委");
    } else if members >= 30 && kind == Kind::Branch {
        out.push("团员30人以上，可以建立团总支");
    }
    if members >= 7 && matches!(kind, Kind::Branch | Kind::JointBranch) {
        out.push("团员7人以上的团支部应设立支部委员会，由3至5人组成（最多不超过7人）");
    }
    out
}

/// The issuer of every reply: the zone's league work committee.
pub const ISSUER: &str = "共青团开发区工作委员会";

/// What an approval decided, as the reply states it.
pub struct Approval<'a> {
    pub unit_name: &'a str,
    /// The organisation's name and kind as proposed and approved.
    pub name: &'a str,
    pub kind: &'a str,
    pub secretary: Option<&'a str>,
    /// The document number (文号).
    pub number: &'a str,
    pub on: chrono::NaiveDate,
}

/// The text of an official reply (批复), shared by the printable page and the .docx.
pub struct Reply {
    pub issuer: &'static str,
    pub title: String,
    pub number: String,
    pub addressee: String,
    pub paragraphs: Vec<String>,
    /// The date in Chinese form, as the reply prints it (2018年6月1日).
    pub date: String,
}

impl Reply {
    /// The reply in the usual wording of a 批复: receipt, consent, the secretary if one was
    /// proposed, the duties under the 团章 and the 团支部工作条例（试行）, and 此复.
    pub fn new(approval: &Approval<'_>) -> Reply {
        let mut body = format!(
            "你单位关于成立{}的申请收悉。经研究，同意成立{}（{}）",
            approval.name, approval.name, approval.kind
        );
        if let Some(secretary) = approval.secretary {
            body.push_str(&format!("，{secretary}同志任书记"));
        }
        body.push('。');
        Reply {
            issuer: ISSUER,
            title: format!("关于同意成立{}的批复", approval.name),
            number: approval.number.to_string(),
            addressee: format!("{}：", approval.unit_name),
            paragraphs: vec![
                body,
                "请按照《中国共产主义青年团章程》和《团支部工作条例（试行）》的要求，健全组织生活，按期换届，做好团员发展、教育、管理和服务工作，充分发挥团组织联系和服务青年的作用。".into(),
                "此复。".into(),
            ],
            date: approval.on.format("%Y年%-m月%-d日").to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_legal_transition() {
        use Action::*;
        use State::*;
        let legal = [
            (Draft, Save, Draft),
            (Draft, Submit, Submitted),
            (Submitted, Return, Returned),
            (Submitted, Approve, Approved),
            (Submitted, Reject, Rejected),
            (Returned, Save, Returned),
            (Returned, Submit, Resubmitted),
            (Resubmitted, Return, Returned),
            (Resubmitted, Approve, Approved),
            (Resubmitted, Reject, Rejected),
        ];
        for (from, action, to) in legal {
            assert_eq!(next(from, action), Ok(to), "{from:?} {action:?}");
        }
        let actions = [Save, Submit, Return, Approve, Reject];
        let mut illegal = 0;
        for from in State::ALL {
            for action in actions {
                if !legal.iter().any(|(f, a, _)| *f == from && *a == action) {
                    assert!(
                        next(from, action).is_err(),
                        "{from:?} {action:?} must be refused"
                    );
                    illegal += 1;
                }
            }
        }
        assert_eq!(illegal, 30 - legal.len());
    }

    #[test]
    fn states_round_trip_and_know_who_may_change_them() {
        crate::domain::stored::assert_codes_round_trip(
            &State::ALL,
            State::code,
            State::from_code,
            "archived",
        );
        assert!(State::Returned.is_editable() && !State::Submitted.is_editable());
        assert!(State::Resubmitted.is_pending() && !State::Approved.is_pending());
        assert!(State::Rejected.is_finished() && !State::Returned.is_finished());
        assert!(Action::Approve.by_committee() && !Action::Submit.by_committee());
    }

    #[test]
    fn the_rules_warn_by_size() {
        assert_eq!(warnings(Kind::Branch, 2).len(), 1);
        assert!(warnings(Kind::Branch, 2)[0].contains("联合团支部"));
        assert!(warnings(Kind::Branch, 5).is_empty());
        let seven = warnings(Kind::Branch, 7);
        assert!(seven.len() == 1 && seven[0].contains("支部委员会"));
        assert!(
            warnings(Kind::Branch, 35)
                .iter()
                .any(|w| w.contains("团总支"))
        );
        let big = warnings(Kind::Branch, 120);
        assert!(big.iter().any(|w| w.contains("不超过50人")));
        assert!(big.iter().any(|w| w.contains("基层团委")));
        assert!(warnings(Kind::Basic, 120).is_empty());
    }
}
