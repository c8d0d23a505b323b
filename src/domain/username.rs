//! Usernames: 2–32 characters of lowercase letters, digits, dot, dash and underscore.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    /// Trims, lowercases and checks; the error is the Chinese message for the form.
    pub fn parse(input: &str) -> Result<Username, &'static str> {
        let name = crate::domain::normalize_width(input.trim()).to_lowercase();
        let mut chars = name.chars();
        let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphanumeric());
        let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
        if !(2..=32).contains(&name.len()) || !first_ok || !rest_ok {
            return Err("用户名须为2至32位小写字母、数字、点、下划线或连字符，并以字母或数字开头");
        }
        Ok(Username(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_normalised_and_checked() {
        assert_eq!(
            Username::parse(" Zhang.San ").unwrap().as_str(),
            "zhang.san"
        );
        assert_eq!(Username::parse("ｓｅｃ２").unwrap().as_str(), "sec2");
        assert!(Username::parse("张三").is_err());
        assert!(Username::parse("a").is_err());
        assert!(Username::parse("-ab").is_err());
    }
}
