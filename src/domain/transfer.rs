//! Transfers of a member's league relation (组织关系接转): which side started one, and what
//! the other side (or the starter) decides.

/// The side that started a transfer; the other side must agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The member's organisation sends the member.
    Sender,
    /// The receiving organisation asks for the member.
    Receiver,
}

impl Side {
    /// The code stored in `member_transfer.started_by`.
    pub fn code(self) -> &'static str {
        match self {
            Side::Sender => "sender",
            Side::Receiver => "receiver",
        }
    }
}

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
    /// The form's value: `accept`, `refuse` or `cancel`; anything else is none.
    pub fn parse(text: &str) -> Option<Decision> {
        match text {
            "accept" => Some(Decision::Accept),
            "refuse" => Some(Decision::Refuse),
            "cancel" => Some(Decision::Cancel),
            _ => None,
        }
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
    }
}
