//! The links under a keyset-paged list, one shape for every list and one partial
//! (`templates/_pager.html`): back to the first page on a later one, and on to the next
//! page when there is one; and a count as a list shows it, capped.

use askama::filters::HtmlSafe;
use percent_encoding::{AsciiSet, CONTROLS, NON_ALPHANUMERIC, utf8_percent_encode};

/// What a link may hold unescaped: the separators of a query stay; anything that could end
/// the attribute, and anything not ASCII, is percent-encoded.
const IN_LINK: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'\'')
    .add(b'<')
    .add(b'>')
    .add(b'`');

/// A cursor as a query value: RFC 3986 unreserved characters stay.
const CURSOR: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// A link's target, made safe for an HTML attribute when built, so that the page writes it
/// as it is: `&` between the query's pairs, as the lists have always written it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Href(String);

impl Href {
    pub fn new(url: &str) -> Href {
        Href(utf8_percent_encode(url, IN_LINK).to_string())
    }
}

impl std::fmt::Display for Href {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Nothing in an `Href` needs escaping (see `IN_LINK`).
impl HtmlSafe for Href {}

/// The pager of one list, as `_pager.html` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pager {
    /// The list without a cursor: the first page.
    pub list: Href,
    pub next: Option<Href>,
    /// Whether this is a later page, which links back to the first.
    pub paged: bool,
    pub first_text: &'static str,
    pub next_text: &'static str,
    /// The navigation's accessible name.
    pub label: String,
    /// The next link's `data-testid`, on a page with several lists.
    pub test_id: Option<&'static str>,
}

impl Pager {
    /// The pager of the list at `path` with its filters `query` (encoded, may be empty);
    /// the next page is the list with `param` set to the cursor `next`.
    pub fn new(path: &str, query: &str, param: &str, next: Option<&str>) -> Pager {
        let list = if query.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{query}")
        };
        let separator = if list.contains('?') { '&' } else { '?' };
        Pager {
            next: next.map(|cursor| {
                let cursor = utf8_percent_encode(cursor, CURSOR);
                Href::new(&format!("{list}{separator}{param}={cursor}"))
            }),
            list: Href::new(&list),
            paged: false,
            first_text: "回到第一页",
            next_text: "下一页 →",
            label: "分页".into(),
            test_id: None,
        }
    }

    /// On a later page, the link back to the first.
    pub fn paged(self, paged: bool) -> Pager {
        Pager { paged, ..self }
    }

    /// What the links read, where the list says more than 第一页 and 下一页.
    pub fn texts(self, first_text: &'static str, next_text: &'static str) -> Pager {
        Pager {
            first_text,
            next_text,
            ..self
        }
    }

    /// The name and test id of one of several lists on a page.
    pub fn labelled(self, label: impl Into<String>, test_id: &'static str) -> Pager {
        Pager {
            label: label.into(),
            test_id: Some(test_id),
            ..self
        }
    }

    /// Whether there is a link to show.
    pub fn shown(&self) -> bool {
        self.paged || self.next.is_some()
    }
}

/// A count as a page shows it, counted up to `cap`.
pub fn count_text(count: i64, cap: i64) -> String {
    if count > cap {
        format!("{cap}+")
    } else {
        count.to_string()
    }
}

/// How many a list holds: a first page that holds every match (`fetched` rows, asked for
/// one more than `size`) is its own count; otherwise `count` counts them, up to the cap.
pub async fn counted(
    first_page: bool,
    fetched: usize,
    size: i64,
    count: impl std::future::Future<Output = sqlx::Result<i64>>,
) -> sqlx::Result<i64> {
    if first_page && fetched as i64 <= size {
        Ok(fetched as i64)
    } else {
        count.await
    }
}

#[cfg(test)]
mod tests {
    use super::Pager;

    #[test]
    fn the_next_link_adds_the_encoded_cursor_to_the_filters() {
        let pager = Pager::new("/admin/accounts", "q=", "after", Some("张 三&x"));

        assert_eq!(
            pager.next.unwrap().to_string(),
            "/admin/accounts?q=&after=%E5%BC%A0%20%E4%B8%89%26x"
        );
        assert_eq!(pager.list.to_string(), "/admin/accounts?q=");
        assert!(!pager.paged);
    }

    #[test]
    fn a_list_without_filters_starts_its_query_with_the_cursor() {
        let pager = Pager::new("/reminders", "", "after", Some("甲")).paged(true);

        assert_eq!(
            pager.next.unwrap().to_string(),
            "/reminders?after=%E7%94%B2"
        );
        assert_eq!(pager.list.to_string(), "/reminders");
        assert!(
            Pager::new("/reminders", "", "after", None)
                .paged(true)
                .shown()
        );
        assert!(!Pager::new("/reminders", "", "after", None).shown());
    }

    #[test]
    fn nothing_in_a_link_can_end_its_attribute() {
        let pager = Pager::new("/units", "q=\"><script>", "after", None);

        assert_eq!(pager.list.to_string(), "/units?q=%22%3E%3Cscript%3E");
    }
}
