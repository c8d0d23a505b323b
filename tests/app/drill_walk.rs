//! The walk behind the drill-down tests: every figure a page shows, found in its HTML with
//! the link behind it, and every list reached from it read to its last page, so that a
//! figure and its list can be compared whatever they are.

use std::collections::HashMap;

use crate::helpers::Client;

/// A figure as a page shows it (`templates/dashboard/_figure.html`).
#[derive(Debug, Clone)]
pub struct Figure {
    pub key: String,
    pub value: String,
    pub link: Option<String>,
    /// The heading of the list's column the figure adds up.
    pub adds: Option<String>,
    /// For a percentage: the figure it is the share of, and of what.
    pub part: Option<String>,
    pub whole: Option<String>,
}

/// A list read to its end: its column headings, each row's cells as text, and the count
/// the page says it holds, if it says one.
#[derive(Debug, Clone, Default)]
pub struct Listed {
    pub headings: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub said: Option<i64>,
}

impl Listed {
    /// The sum of a column (whole numbers, or hours to one decimal), in tenths; none for a
    /// list without rows.
    pub fn total_tenths(&self, heading: &str) -> i64 {
        if self.rows.is_empty() {
            return 0;
        }
        let at = self
            .headings
            .iter()
            .position(|h| h == heading)
            .unwrap_or_else(|| panic!("no column {heading} in {:?}", self.headings));
        self.rows.iter().map(|row| tenths(&row[at])).sum()
    }

    /// The column under `heading`, added up (`—` is none).
    pub fn total(&self, heading: &str) -> i64 {
        let at = self
            .headings
            .iter()
            .position(|h| h == heading)
            .unwrap_or_else(|| panic!("no column {heading} in {:?}", self.headings));
        self.rows
            .iter()
            .map(|row| row[at].parse::<i64>().unwrap_or(0))
            .sum()
    }
}

/// A number as a page writes it (`12`, `2.5`), in tenths; anything else is 0.
pub fn tenths(text: &str) -> i64 {
    match text.split_once('.') {
        Some((whole, tenth)) => {
            whole.parse::<i64>().unwrap_or(0) * 10 + tenth.parse::<i64>().unwrap_or(0)
        }
        None => text.parse::<i64>().unwrap_or(0) * 10,
    }
}

/// A link as written in an attribute, made a path again.
pub fn unescape(text: &str) -> String {
    text.replace("&amp;", "&")
        .replace("&#38;", "&")
        .replace("&#x2b;", "+")
}

/// The value of attribute `name` in the tag `tag`.
pub fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let end = tag[start..].find('"')? + start;
    Some(unescape(&tag[start..end]))
}

/// The text of some HTML, tags taken out.
pub fn text(html: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in html.chars() {
        match c {
            '<' => inside = true,
            '>' => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out.trim().to_string()
}

/// Every figure on a page.
pub fn figures(page: &str) -> Vec<Figure> {
    page.match_indices("class=\"figure\"")
        .map(|(at, _)| {
            let open = page[..at].rfind('<').unwrap();
            let tag = &page[open..at + page[at..].find('>').unwrap()];
            let value = &page[at..];
            let value = &value[value.find("figure-value").unwrap()..];
            let value = &value[value.find('>').unwrap() + 1..];
            Figure {
                key: attr(tag, "data-key").expect("a figure's key"),
                value: value[..value.find('<').unwrap()].to_string(),
                link: attr(tag, "href"),
                adds: attr(tag, "data-adds"),
                part: attr(tag, "data-part"),
                whole: attr(tag, "data-whole"),
            }
        })
        .collect()
}

/// The count a list page says it holds: `共 <strong>N</strong>`.
fn said(page: &str) -> Option<i64> {
    ["data-testid=\"matching\"", "data-testid=\"reminder-count\""]
        .iter()
        .find_map(|marker| {
            let at = page.find(marker)?;
            let start = at + page[at..].find("<strong>")? + "<strong>".len();
            let end = start + page[start..].find("</strong>")?;
            Some(page[start..end].parse().expect("a number"))
        })
}

/// The first table of a page: headings and rows.
fn table(page: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let section = |open: &str, close: &str| {
        page.find(open)
            .map(|start| &page[start..start + page[start..].find(close).unwrap()])
    };
    let headings = section("<thead>", "</thead>")
        .map(|head| {
            // The first two pieces are before and in `<thead>` itself.
            head.split("<th")
                .skip(2)
                .map(|th| text(&format!("<th{th}")))
                .collect()
        })
        .unwrap_or_default();
    let rows = section("<tbody>", "</tbody>")
        .map(|body| {
            body.split("<tr")
                .skip(1)
                .map(|tr| {
                    tr.split("<td")
                        .skip(1)
                        .map(|td| text(&format!("<td{td}")))
                        .collect()
                })
                .collect()
        })
        .unwrap_or_default();
    (headings, rows)
}

/// The rows of the table marked `data-testid="{id}"`, each cell's text.
pub fn rows_of(page: &str, id: &str) -> Vec<Vec<String>> {
    let at = page
        .find(&format!("data-testid=\"{id}\""))
        .unwrap_or_else(|| panic!("the table {id}"));
    table(&page[at..]).1
}

/// The page's link to its next page, if any.
pub fn next_link(page: &str) -> Option<String> {
    let at = page.find(" rel=\"next\"")?;
    let open = page[..at].rfind('<')?;
    attr(&page[open..at + 1], "href")
}

/// Reads lists and remembers what it read, so that the same list is read once per walk.
pub struct Walker<'a> {
    pub client: &'a Client,
    read: HashMap<String, Listed>,
}

impl<'a> Walker<'a> {
    pub fn new(client: &'a Client) -> Walker<'a> {
        Walker {
            client,
            read: HashMap::new(),
        }
    }

    /// How many distinct lists this walk has read.
    pub fn lists(&self) -> usize {
        self.read.len()
    }

    /// A page that must answer 200.
    pub async fn page(&self, link: &str) -> String {
        let (status, body) = self.client.get_text(link).await;
        assert_eq!(status, 200, "{link}");
        body
    }

    /// The list at `link`, every page of it; the count it says it holds is the first
    /// page's, and each later page must say the same.
    pub async fn list(&mut self, link: &str) -> Listed {
        if let Some(listed) = self.read.get(link) {
            return listed.clone();
        }
        let mut listed = Listed::default();
        let mut next = Some(link.to_string());
        let mut seen = Vec::new();
        while let Some(page_link) = next {
            assert!(!seen.contains(&page_link), "{link}: the pages go round");
            let page = self.page(&page_link).await;
            let (headings, rows) = table(&page);
            if seen.is_empty() {
                listed.headings = headings;
                listed.said = said(&page);
            } else {
                assert_eq!(said(&page), listed.said, "{page_link}");
            }
            listed.rows.extend(rows);
            seen.push(page_link);
            next = next_link(&page);
        }
        self.read.insert(link.to_string(), listed.clone());
        listed
    }
}
