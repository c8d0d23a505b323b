//! A contest's results as a workbook: the awards list (获奖名单, grouped by award, highest
//! first) and the full ranking with every judge's scores, both as text written through
//! `sheet`, so an entrant's or a title's leading `=` stays text.

use rust_xlsxwriter::{Format, XlsxError};

use super::sheet::{Book, Sheet};

/// One line of the ranking as the results page shows it.
pub struct RankLine<'a> {
    /// `第1名`, `并列第2名` or `—`.
    pub place: &'a str,
    pub entrant: &'a str,
    pub title: &'a str,
    /// The judges' scores as `张 90、李 87.5`.
    pub scores: &'a str,
    /// The result in points, or empty.
    pub result: &'a str,
    pub award: &'a str,
}

/// One award with its winners: (entrant, title).
pub struct AwardLines<'a> {
    pub award: &'a str,
    pub winners: Vec<(&'a str, &'a str)>,
}

/// The workbook of the contest titled `title`.
pub fn workbook(
    title: &str,
    awards: &[AwardLines<'_>],
    ranking: &[RankLine<'_>],
) -> Result<Vec<u8>, XlsxError> {
    let heading = Format::new().set_bold().set_font_size(14);
    let head = Format::new().set_bold().set_background_color("#F2F2F2");
    let mut list = Sheet::new("获奖名单")?;
    list.text_with(0, 0, &format!("《{title}》获奖名单"), &heading)?;
    for (c, label) in ["奖项", "序号", "获奖单位/个人", "作品名称"]
        .iter()
        .enumerate()
    {
        list.text_with(1, c as u16, label, &head)?;
    }
    let mut r = 2;
    for group in awards {
        for (i, (entrant, work)) in group.winners.iter().enumerate() {
            list.text(r, 0, group.award)?;
            list.number(r, 1, (i + 1) as f64)?;
            list.text(r, 2, entrant)?;
            list.text(r, 3, work)?;
            r += 1;
        }
    }
    list.column_width(2, 40.0)?;
    list.column_width(3, 36.0)?;
    list.freeze(2, 0)?;
    list.print_a4_landscape(None)?;
    let mut rank = Sheet::new("成绩排名")?;
    rank.text_with(0, 0, &format!("《{title}》成绩排名"), &heading)?;
    let labels = [
        "名次",
        "参赛单位/个人",
        "作品名称",
        "评委评分",
        "得分",
        "奖项",
    ];
    for (c, label) in labels.iter().enumerate() {
        rank.text_with(1, c as u16, label, &head)?;
    }
    for (i, line) in ranking.iter().enumerate() {
        let r = 2 + i as u32;
        rank.text(r, 0, line.place)?;
        rank.text(r, 1, line.entrant)?;
        rank.text(r, 2, line.title)?;
        rank.text(r, 3, line.scores)?;
        match line.result.parse::<f64>() {
            Ok(points) => rank.number(r, 4, points)?,
            Err(_) => rank.text(r, 4, line.result)?,
        }
        rank.text(r, 5, line.award)?;
    }
    rank.column_width(1, 40.0)?;
    rank.column_width(2, 30.0)?;
    rank.column_width(3, 40.0)?;
    rank.freeze(2, 0)?;
    rank.print_a4_landscape(None)?;
    let mut book = Book::new();
    book.add(list);
    book.add(rank);
    book.save()
}
