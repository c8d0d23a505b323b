//! Reading an activity's sign-in sheet (签到表): 姓名, 手机号, 单位, and the hours either
//! as 时长 or from 签到时间/签退时间 — times as text (`09:00`, `2018-06-09 09:00`) or
//! Excel time and date-time serials, a time without a date on the activity's first day.
//! Every row is checked here, so the service only matches names and writes.

use std::collections::HashMap;

use calamine::{Data, Range};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

use super::cell::{HEADER_ROWS, compact, header_title, text};
use super::moment::moment;
use super::{Fault, ImportError, workbook};
use crate::domain::participation::{Role, Tenths, parse_hours};
use crate::domain::phone::Phone;

/// The most people one sheet may list.
pub const MAX_ROWS: usize = 5_000;

/// The columns, with the other names organisers give them.
const COLUMNS: [(&str, &[&str]); 7] = [
    ("姓名", &["姓名"]),
    (
        "手机号",
        &["手机号", "手机号码", "联系电话", "手机", "电话"],
    ),
    ("单位", &["单位", "工作单位", "所在单位", "单位名称"]),
    ("签到时间", &["签到时间", "签到"]),
    ("签退时间", &["签退时间", "签退"]),
    ("时长", &["时长", "服务时长", "志愿服务时长", "时长小时"]),
    ("身份", &["身份", "角色"]),
];
const NAME: usize = 0;
const PHONE: usize = 1;
const UNIT: usize = 2;
const IN: usize = 3;
const OUT: usize = 4;
const HOURS: usize = 5;
const ROLE: usize = 6;

/// What the sheet is read against: the activity's first local day, its span in tenths,
/// and how a local time becomes an instant in the zone.
pub struct Activity<'a> {
    pub day: NaiveDate,
    pub span: Tenths,
    pub instant: &'a dyn Fn(NaiveDateTime) -> DateTime<Utc>,
}

/// One person signed in, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigninLine {
    pub row: u32,
    pub name: String,
    pub phone: Phone,
    pub unit: String,
    /// From a 身份 column, when there is one and the cell is filled.
    pub role: Option<Role>,
    pub hours: Option<Tenths>,
}

/// A sign-in sheet read: the people, the faults of the other rows, the worksheet read and
/// every visible worksheet with a sign-in header.
#[derive(Debug)]
pub struct SigninRead {
    pub lines: Vec<SigninLine>,
    pub faults: Vec<Fault>,
    pub sheet: String,
    pub candidates: Vec<String>,
}

/// The header: the first row naming both 姓名 and a phone column; its row index and the
/// column of each field.
fn header(range: &Range<Data>) -> Option<(usize, [Option<usize>; 7])> {
    (0..range.height().min(HEADER_ROWS)).find_map(|r| {
        let mut columns = [None; 7];
        for c in 0..range.width() {
            let t = header_title(range.get((r, c)).unwrap_or(&Data::Empty));
            if let Some(k) = COLUMNS
                .iter()
                .position(|(_, names)| names.contains(&t.as_str()))
            {
                columns[k] = columns[k].or(Some(c));
            }
        }
        (columns[NAME].is_some() && columns[PHONE].is_some()).then_some((r, columns))
    })
}

/// The people of the sign-in sheet in `bytes`, from the worksheet `wanted` when it has a
/// sign-in header (else the first that has one), with every row's faults.
pub fn read_sheet(
    bytes: &[u8],
    wanted: Option<&str>,
    activity: &Activity<'_>,
) -> Result<SigninRead, ImportError> {
    let super::sheet::Sheet {
        name: sheet,
        range,
        candidates,
    } = workbook::sheet(bytes, MAX_ROWS as u32, wanted, |range| {
        header(range).is_some()
    })?;
    let (header_row, columns) = header(&range).ok_or_else(|| {
        ImportError::Unreadable(
            "找不到表头（应有“姓名”“手机号”列，以及“时长”或“签到时间”“签退时间”列）".into(),
        )
    })?;
    let first_row = range.start().map_or(0, |s| s.0) + 1;
    let mut lines: Vec<SigninLine> = Vec::new();
    let mut faults = Vec::new();
    let mut phones: HashMap<String, u32> = HashMap::new();
    for (i, cells) in range.rows().enumerate().skip(header_row + 1) {
        let row = first_row + i as u32;
        let cell = |k: usize| {
            columns[k]
                .and_then(|c| cells.get(c))
                .unwrap_or(&Data::Empty)
        };
        let texts: Vec<String> = (0..COLUMNS.len()).map(|k| text(cell(k))).collect();
        if texts.iter().all(String::is_empty) {
            continue;
        }
        let mut mine: Vec<Fault> = Vec::new();
        let mut fault = |k: usize, reason: String| {
            mine.push(Fault {
                row,
                column: COLUMNS[k].0.to_string(),
                reason,
                value: if k == PHONE {
                    String::new()
                } else {
                    texts[k].clone()
                },
            })
        };
        let name = crate::domain::name::normalize_name(&texts[NAME]);
        if name.is_empty() || name.chars().count() > 40 {
            fault(NAME, "请填写姓名（不超过40个字）".into());
        }
        let phone = Phone::parse(&compact(cell(PHONE))).filter(Phone::is_mobile);
        match &phone {
            None if texts[PHONE].is_empty() => fault(PHONE, "请填写手机号".into()),
            None => fault(PHONE, "不是有效的11位手机号码".into()),
            Some(phone) => {
                if let Some(first) = phones.insert(phone.as_str().to_string(), row) {
                    fault(PHONE, format!("与第{first}行的手机号重复"));
                }
            }
        }
        let unit = texts[UNIT].split_whitespace().collect::<Vec<_>>().join(" ");
        if unit.chars().count() > 100 {
            fault(UNIT, "不能超过100个字".into());
        }
        let role = match texts[ROLE].as_str() {
            "" => None,
            label => match Role::ALL.into_iter().find(|r| r.label() == label) {
                Some(role) => Some(role),
                None => {
                    let labels: Vec<&str> = Role::ALL.iter().map(|r| r.label()).collect();
                    fault(ROLE, format!("应为{}之一", labels.join("、")));
                    None
                }
            },
        };
        let hours = if !texts[HOURS].is_empty() {
            match parse_hours(&texts[HOURS], activity.span) {
                Ok(hours) => hours,
                Err(reason) => {
                    fault(HOURS, reason);
                    None
                }
            }
        } else {
            let signed_in = moment(cell(IN), activity.day).map_err(|r| fault(IN, r.into()));
            let signed_out = moment(cell(OUT), activity.day).map_err(|r| fault(OUT, r.into()));
            match (signed_in, signed_out) {
                (Ok(Some(from)), Ok(Some(to))) => {
                    let minutes = ((activity.instant)(to) - (activity.instant)(from)).num_minutes();
                    if minutes < 0 {
                        fault(OUT, "签退时间早于签到时间".into());
                        None
                    } else {
                        // Rounded down to tenths, and no more than the activity lasted.
                        Some(
                            Tenths::try_from(minutes / 6)
                                .unwrap_or(Tenths::MAX)
                                .min(activity.span),
                        )
                    }
                }
                (Ok(Some(_)), Ok(None)) => {
                    fault(OUT, "有签到时间但缺少签退时间".into());
                    None
                }
                (Ok(None), Ok(Some(_))) => {
                    fault(IN, "有签退时间但缺少签到时间".into());
                    None
                }
                _ => None,
            }
        };
        let clean = mine.is_empty();
        faults.append(&mut mine);
        if let (true, Some(phone)) = (clean, phone) {
            lines.push(SigninLine {
                row,
                name,
                phone,
                unit,
                role,
                hours,
            });
        }
    }
    if lines.is_empty() && faults.is_empty() {
        return Err(ImportError::Unreadable(
            "签到表中没有人员：请在表头下方逐行填写".into(),
        ));
    }
    Ok(SigninRead {
        lines,
        faults,
        sheet,
        candidates,
    })
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)]
mod tests {
    use super::*;
    use rust_xlsxwriter::Workbook;

    fn book(rows: &[&[&str]]) -> Vec<u8> {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        for (r, cells) in rows.iter().enumerate() {
            for (c, value) in cells.iter().enumerate() {
                sheet.write_string(r as u32, c as u16, *value).unwrap();
            }
        }
        book.save_to_buffer().unwrap()
    }

    #[test]
    fn roles_are_read_and_times_beyond_the_span_credit_the_span() {
        let bytes = book(&[
            &["姓名", "联系电话", "签到", "签退", "身份"],
            &["张三", "138 0000 0001", "08:30", "2018-06-09 19:00", "评委"],
            &["李四", "13800000002", "09:00", "", ""],
            &["王五", "13800000003", "", "", "嘉宾"],
        ]);
        let instant = |local: NaiveDateTime| local.and_utc();
        let activity = Activity {
            day: day(),
            span: 95,
            instant: &instant,
        };
        let read = read_sheet(&bytes, None, &activity).unwrap();
        assert_eq!(read.lines.len(), 1);
        assert_eq!(read.lines[0].phone.as_str(), "13800000001");
        assert_eq!(read.lines[0].role, Some(Role::Judge));
        assert_eq!(read.lines[0].hours, Some(95));
        let faults: Vec<String> = read.faults.iter().map(ToString::to_string).collect();
        assert_eq!(faults.len(), 2, "{faults:?}");
        assert_eq!(faults[0], "第3行 签退时间：有签到时间但缺少签退时间");
        assert!(faults[1].starts_with("第4行 身份：应为"), "{}", faults[1]);
    }

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2018, 6, 9).unwrap()
    }

    #[test]
    fn the_header_is_found_by_its_titles() {
        let mut range = Range::new((0, 0), (2, 3));
        for (c, t) in ["序号", "姓名", "手机号码", "时长（小时）"]
            .iter()
            .enumerate()
        {
            range.set_value((1, c as u32), Data::String(t.to_string()));
        }
        let (row, columns) = header(&range).unwrap();
        assert_eq!(row, 1);
        assert_eq!(columns[NAME], Some(1));
        assert_eq!(columns[PHONE], Some(2));
        assert_eq!(columns[HOURS], Some(3));
        assert_eq!(columns[IN], None);
    }
}
