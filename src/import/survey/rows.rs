//! Reading the survey sheet's rows into checked units, every fault at once. (Just over 300
//! lines: `read` alone is 300, one pass whose checks share the row's state; it was moved
//! here whole: cutting it up is a refactor of its own, not part of this move.)

use std::collections::HashMap;

use calamine::Data;

use super::layout::{Field, layout};
use super::totals::{TotalRow, check_totals};
use super::{Approval, SurveyRow, SurveySheet};
use crate::domain::credit_code::CreditCode;
use crate::domain::organization::Kind as OrganizationKind;
use crate::domain::phone::Phone;
use crate::domain::unit::{Status, UnitKind};
use crate::import::cell::{compact, count, date, text};
use crate::import::{Fault, ImportError};

/// Reads and checks the workbook's first sheet with the survey's header; every fault is
/// reported at once.
pub fn read(bytes: &[u8]) -> Result<SurveySheet, ImportError> {
    read_sheet(bytes, None)
}

/// Reads and checks the sheet `wanted` (when it has the survey's header; else as `read`).
pub fn read_sheet(bytes: &[u8], wanted: Option<&str>) -> Result<SurveySheet, ImportError> {
    let crate::import::sheet::Sheet {
        name: sheet_name,
        range,
        candidates,
    } = super::layout::survey_sheet(bytes, wanted)?;
    let layout = layout(&range)?;
    let origin = range.start().map_or(0, |s| s.0);
    let line_of = |r: usize| origin + r as u32 + 1;
    let get = |r: usize, field: Field| -> &Data {
        layout
            .columns
            .get(&field)
            .and_then(|&c| range.get((r, c)))
            .unwrap_or(&Data::Empty)
    };

    let mut faults = Vec::new();
    let mut rows = Vec::new();
    let mut faulty_columns: Vec<Field> = Vec::new();
    let mut total_row = None;
    let mut names: HashMap<String, u32> = HashMap::new();
    let mut codes: HashMap<String, u32> = HashMap::new();
    // Column sums over every data row, faulty or not, for the 合计 row.
    let mut sums = [
        (Field::Staff, 0i64),
        (Field::Youth, 0i64),
        (Field::Members, 0i64),
    ];
    let mut data_rows = 0usize;

    for r in layout.first_data_row..range.height() {
        let cells: Vec<String> = (0..range.width())
            .map(|c| text(range.get((r, c)).unwrap_or(&Data::Empty)))
            .collect();
        let filled: Vec<&String> = cells.iter().filter(|t| !t.is_empty()).collect();
        let Some(lead) = filled.first() else {
            continue;
        };
        let is_total_label = |t: &&String| {
            let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
            t == "合计" || t == "总计"
        };
        if filled.iter().any(is_total_label) {
            total_row = Some(r);
            continue;
        }
        if filled.len() == 1 && (lead.starts_with("注：") || lead.starts_with("注:")) {
            break;
        }
        let line = line_of(r);
        data_rows += 1;
        for (field, sum) in sums.iter_mut() {
            *sum += count(get(r, *field)).ok().flatten().unwrap_or(0);
        }
        let mut row_faults: Vec<(Field, String)> = Vec::new();

        // The name as stored and matched (`domain::name`), so that two spellings of one
        // unit are one unit.
        let name = match crate::domain::unit::check_name(&text(get(r, Field::Name))) {
            Err(reason) => {
                row_faults.push((Field::Name, reason.into()));
                String::new()
            }
            Ok(name) => {
                if let Some(first) = names.get(&name) {
                    row_faults.push((Field::Name, format!("与第{first}行重复")));
                } else {
                    names.insert(name.clone(), line);
                }
                name
            }
        };

        let kind_text = text(get(r, Field::Kind));
        let kind = UnitKind::parse(&kind_text);
        if kind.is_none() {
            let reason = if kind_text.is_empty() {
                "不能为空，应为部门、社区或企业".to_string()
            } else {
                format!("未知的单位类型“{kind_text}”，应为部门、社区或企业")
            };
            row_faults.push((Field::Kind, reason));
        }

        let credit_code = match get(r, Field::CreditCode) {
            Data::Int(_) | Data::Float(_) => {
                row_faults.push((
                    Field::CreditCode,
                    "以数字格式保存会丢失末几位，请将该列设为文本后重新填写".into(),
                ));
                None
            }
            cell => {
                let raw = compact(cell);
                if raw.is_empty() {
                    None
                } else {
                    match CreditCode::parse(&raw) {
                        Ok(code) => {
                            let code = code.as_str().to_string();
                            if let Some(first) = codes.get(&code) {
                                row_faults.push((Field::CreditCode, format!("与第{first}行重复")));
                            } else {
                                codes.insert(code.clone(), line);
                            }
                            Some(code)
                        }
                        Err(e) => {
                            row_faults.push((Field::CreditCode, e.message().into()));
                            None
                        }
                    }
                }
            }
        };

        let status_text = compact(get(r, Field::Status));
        let status = match kind {
            Some(UnitKind::Enterprise) => match Status::parse(&status_text) {
                Some(status) => Some(status),
                None if status_text.is_empty() && !layout.columns.contains_key(&Field::Status) => {
                    Some(Status::Operating)
                }
                None => {
                    row_faults.push((
                        Field::Status,
                        format!("“{status_text}”不是有效的运行状态，应为运行、在建、停产或注销"),
                    ));
                    None
                }
            },
            _ => None,
        };

        let read_count =
            |field: Field, required: bool, row_faults: &mut Vec<(Field, String)>| match count(get(
                r, field,
            )) {
                Ok(Some(n)) => Some(n),
                Ok(None) if required => {
                    row_faults.push((field, "不能为空，没有请填0".into()));
                    None
                }
                Ok(None) => None,
                Err(reason) => {
                    row_faults.push((field, reason.into()));
                    None
                }
            };
        let staff_ok = count(get(r, Field::Staff)).is_ok();
        let staff = read_count(Field::Staff, false, &mut row_faults);
        let youth_raw = count(get(r, Field::Youth));
        let youth = read_count(Field::Youth, true, &mut row_faults);
        let members = read_count(Field::Members, true, &mut row_faults);
        // A negative youth count is also below the member count: say both.
        let youth_value = match (youth, youth_raw, get(r, Field::Youth)) {
            (Some(y), _, _) => Some(y),
            (None, Err("不能为负数"), Data::Int(i)) => Some(*i),
            (None, Err("不能为负数"), Data::Float(f)) => Some(*f as i64),
            (None, Err("不能为负数"), cell) => compact(cell).parse().ok(),
            _ => None,
        };
        if let (Some(y), Some(m)) = (youth_value, members)
            && m > y
        {
            row_faults.push((
                Field::Members,
                format!("团员数（{m}）多于青年职工数（{y}）"),
            ));
        }
        if let (Some(s), Some(y), true) = (staff, youth, staff_ok)
            && y > s
        {
            row_faults.push((
                Field::Youth,
                format!("青年职工数（{y}）多于职工总数（{s}）"),
            ));
        }

        let has_org_text = compact(get(r, Field::HasOrganization));
        let has_org = match has_org_text.as_str() {
            "是" | "已建" | "已建立" => true,
            "否" | "未建" | "未建立" | "" => false,
            other => {
                row_faults.push((
                    Field::HasOrganization,
                    format!("“{other}”无法识别，应填“是”或“否”"),
                ));
                false
            }
        };
        let org_name = crate::domain::name::normalize_name(&text(get(r, Field::OrganizationName)));
        let org_kind_text = compact(get(r, Field::OrganizationKind));
        let org_kind = if org_kind_text.is_empty() {
            Some(OrganizationKind::Branch)
        } else {
            let parsed = OrganizationKind::parse(&org_kind_text);
            if parsed.is_none() {
                row_faults.push((
                    Field::OrganizationKind,
                    format!(
                        "未知的组织类型“{org_kind_text}”，应为团委、团总支、团支部或联合团支部"
                    ),
                ));
            }
            parsed
        };
        let organization = if has_org {
            if org_name.is_empty() {
                row_faults.push((
                    Field::OrganizationName,
                    "已建立团组织（是否建立团组织为“是”）但未填写名称".into(),
                ));
                None
            } else {
                org_kind.map(|kind| (org_name.clone(), kind))
            }
        } else {
            None
        };

        let approval = match compact(get(r, Field::Approval)).as_str() {
            "已批复" => Some(Approval::Approved),
            "已申请" | "待批复" => Some(Approval::Applied),
            "未申请" => Some(Approval::NotApplied),
            "" => None,
            other => {
                row_faults.push((
                    Field::Approval,
                    format!("“{other}”无法识别，应为已批复、已申请或未申请"),
                ));
                None
            }
        };
        let approved_on = match date(get(r, Field::ApprovedOn)) {
            Ok(d) => d,
            Err(reason) => {
                row_faults.push((Field::ApprovedOn, reason.into()));
                None
            }
        };

        let contact = Some(text(get(r, Field::Contact))).filter(|c| !c.is_empty());
        let phone_text = text(get(r, Field::Phone));
        let phone = if phone_text.is_empty() {
            None
        } else {
            match Phone::parse(&phone_text) {
                Some(phone) => Some(phone.as_str().to_string()),
                None => {
                    // A leader's export masks phones (domain::disclosure): never store one.
                    let why = if phone_text.contains('*') {
                        format!("“{phone_text}”是脱敏后的号码，请填写完整号码或留空")
                    } else {
                        format!("“{phone_text}”不是有效的手机号或固定电话（固定电话请带区号）")
                    };
                    row_faults.push((Field::Phone, why));
                    None
                }
            }
        };

        let clean = row_faults.is_empty();
        for (field, reason) in row_faults {
            faulty_columns.push(field);
            faults.push(Fault {
                row: line,
                column: field.label().to_string(),
                reason,
                value: text(get(r, field)),
            });
        }
        if let (Some(kind), Some(youth), Some(members), true) = (kind, youth, members, clean) {
            rows.push(SurveyRow {
                line,
                name,
                kind,
                credit_code,
                status,
                staff,
                youth,
                members,
                organization,
                approval,
                approved_on,
                contact,
                phone,
            });
        }
    }

    if let Some(t) = total_row {
        let total = TotalRow {
            r: t,
            line: line_of(t),
            sums,
            data_rows,
        };
        check_totals(&range, &layout, &total, &faulty_columns, &mut faults);
    }
    if rows.is_empty() && faults.is_empty() {
        return Err(ImportError::Unreadable("工作表中没有数据行".into()));
    }
    if !faults.is_empty() {
        faults.sort_by_key(|f| f.row);
        return Err(ImportError::Faults(faults));
    }
    Ok(SurveySheet {
        sheet_name,
        candidates,
        title: layout.title,
        as_of: layout.as_of,
        rows,
    })
}
