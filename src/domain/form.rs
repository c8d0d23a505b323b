//! The one shape of a form's faults: each names its field by the label the page shows and
//! says why in Chinese, and the page lists them as `字段：原因`. Forms convert into their
//! checked type with `TryFrom`, giving every fault at once.

/// A form's faults as (field label, reason), in the order they were found.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FieldErrors(Vec<(&'static str, String)>);

impl FieldErrors {
    pub fn new() -> FieldErrors {
        FieldErrors::default()
    }

    /// Notes that `field` is wrong, and why.
    pub fn push(&mut self, field: &'static str, reason: impl Into<String>) {
        self.0.push((field, reason.into()));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether a fault names `field`.
    pub fn names(&self, field: &str) -> bool {
        self.0.iter().any(|(f, _)| *f == field)
    }

    /// The faults as the pages list them: `字段：原因`.
    pub fn messages(&self) -> Vec<String> {
        self.0
            .iter()
            .map(|(field, reason)| format!("{field}：{reason}"))
            .collect()
    }
}

impl IntoIterator for FieldErrors {
    type Item = (&'static str, String);
    type IntoIter = std::vec::IntoIter<(&'static str, String)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// A one-line text field: controls removed, spaces trimmed, at most `max` characters; a
/// fault pushed under `field` when it is required and empty or too long.
pub fn line(
    errors: &mut FieldErrors,
    field: &'static str,
    text: &str,
    max: usize,
    required: bool,
) -> String {
    let text: String = super::text::strip_controls(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if required && text.is_empty() {
        errors.push(field, "请填写");
    } else if text.chars().count() > max {
        errors.push(field, format!("不能超过{max}个字"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::FieldErrors;

    #[test]
    fn faults_read_field_then_reason_in_order() {
        let mut errors = FieldErrors::new();
        errors.push("标题", "不能为空");
        errors.push("团员数", String::from("数值过大"));

        assert!(errors.names("标题") && !errors.names("姓名"));
        assert_eq!(errors.messages(), ["标题：不能为空", "团员数：数值过大"]);
    }
}
