//! Transfers of a member's league relation (组织关系接转): which side started one, and what
//! the other side (or the starter) decides.

use super::stored::stored_as_code;

/// The side that started a transfer; the other side must agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The member's organisation sends the member.
    Sender,
    /// The receiving organisation asks for the member.
    Receiver,
}

impl Side {
    pub const ALL: [Side; 2] = [Side::Sender, Side::Receiver];

    /// The code stored in `member_transfer.started_by`.
    pub fn code(self) -> &'static str {
        match self {
            Side::Sender => "sender",
            Side::Receiver => "receiver",
        }
    }
}

stored_as_code!(Side);

/// Where a transfer stands (`member_transfer.state`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Waiting for the side that did not start it.
    Pending,
    /// Accepted (or out of the zone): the member moved.
    Done,
    Refused,
    /// Withdrawn by the side that started it.
    Cancelled,
}

impl State {
    pub const ALL: [State; 4] = [
        State::Pending,
        State::Done,
        State::Refused,
        State::Cancelled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            State::Pending => "pending",
            State::Done => "done",
            State::Refused => "refused",
            State::Cancelled => "cancelled",
        }
    }

    /// The label, which for an open transfer names the side it waits for.
    pub fn label(self, started_by: Side) -> &'static str {
        match (self, started_by) {
            (State::Pending, Side::Sender) => "待接收方同意",
            (State::Pending, Side::Receiver) => "待转出方同意",
            (State::Done, _) => "已完成",
            (State::Refused, _) => "已拒绝",
            (State::Cancelled, _) => "已撤回",
        }
    }
}

stored_as_code!(State);

/// What a secretary decides about an open transfer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// The side that must agree accepts: the member moves.
    Accept,
    /// The side that must agree refuses, with a reason.
    Refuse,
    /// The side that started withdraws it.
    Cancel,
}

impl Decision {
    pub const ALL: [Decision; 3] = [Decision::Accept, Decision::Refuse, Decision::Cancel];

    /// The form's value.
    pub fn code(self) -> &'static str {
        match self {
            Decision::Accept => "accept",
            Decision::Refuse => "refuse",
            Decision::Cancel => "cancel",
        }
    }

    /// The form's value: `accept`, `refuse` or `cancel`; anything else is none.
    pub fn parse(text: &str) -> Option<Decision> {
        Decision::ALL.into_iter().find(|d| d.code() == text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_parse_from_the_forms_values_only() {
        assert_eq!(Decision::parse("accept"), Some(Decision::Accept));
        assert_eq!(Decision::parse("refuse"), Some(Decision::Refuse));
        assert_eq!(Decision::parse("cancel"), Some(Decision::Cancel));
        assert_eq!(Decision::parse("Accept"), None);
        assert_eq!(Side::Receiver.code(), "receiver");
        crate::domain::stored::assert_codes_round_trip(
            &Decision::ALL,
            Decision::code,
            Decision::parse,
            "reject",
        );
    }

    #[test]
    fn sides_and_states_round_trip() {
        use crate::domain::stored::assert_codes_round_trip;
        assert_codes_round_trip(&Side::ALL, Side::code, Side::from_code, "both");
        assert_codes_round_trip(&State::ALL, State::code, State::from_code, "accepted");
        assert_eq!(State::Pending.label(Side::Receiver), "待转出方同意");
    }
}
