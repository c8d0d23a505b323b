//! The survey workbook's rows in the zone's shape, for the import benchmark and tests:
//! units with Chinese names, valid credit codes and phones, and head counts distributed
//! like the sample's (most enterprises without members, a few large ones).

use super::Rng;
use crate::demo::member::{GIVEN, SURNAMES, phone};
use crate::domain::credit_code::CreditCode;
use crate::domain::organization::Kind as OrganizationKind;
use crate::domain::unit::{Status, UnitKind};
use crate::import::survey::{Approval, SurveyRow};

const PLACES: [&str; 12] = [
    "准东",
    "五彩湾",
    "将军庙",
    "大井",
    "芨芨湖",
    "西部",
    "北塔山",
    "老君庙",
    "天山",
    "昌吉",
    "奇台",
    "吉木萨尔",
];
const TRADES: [&str; 14] = [
    "能源",
    "煤化工",
    "环保科技",
    "机械制造",
    "运输",
    "物流",
    "电力",
    "铝业",
    "新材料",
    "建材",
    "硅业",
    "燃气",
    "矿业",
    "化工",
];
const FORMS: [&str; 3] = ["有限公司", "股份有限公司", "有限责任公司"];

/// Unique by construction: the registration number carries the unit's index.
fn credit_code(index: usize, prefix: &str) -> String {
    let first17 = format!("{prefix}{index:09}");
    CreditCode::with_check(&first17)
        .expect("17 characters of the alphabet")
        .as_str()
        .to_string()
}

/// `units` survey rows: about 4 % departments and communities, the rest enterprises.
pub fn survey_rows(units: usize, seed: u64) -> Vec<SurveyRow> {
    let mut rng = Rng::new(seed);
    (0..units)
        .map(|i| {
            let kind = match i % 25 {
                0 => UnitKind::Department,
                1 => UnitKind::Community,
                _ => UnitKind::Enterprise,
            };
            let name = match kind {
                UnitKind::Department => format!("开发区第{}工作局", i + 1),
                UnitKind::Community => format!("{}第{}社区", rng.pick(&PLACES), i + 1),
                UnitKind::Enterprise => format!(
                    "{}{}{}{}",
                    rng.pick(&PLACES),
                    rng.pick(&TRADES),
                    i + 1,
                    rng.pick(&FORMS)
                ),
            };
            let staff = match rng.below(10) {
                0 => 300 + rng.below(2000),
                1..=3 => 60 + rng.below(240),
                _ => 5 + rng.below(55),
            } as i64;
            let youth = (staff * (20 + rng.below(45) as i64) / 100).max(1);
            let members = match (kind, rng.below(20)) {
                (UnitKind::Enterprise, 0..=17) => 0,
                _ => rng.below(youth.min(60) as u64 + 1) as i64,
            };
            let has_org = members >= 3 && rng.below(4) != 0;
            let organization = has_org.then(|| {
                let kind = if members >= 100 {
                    OrganizationKind::Basic
                } else if members >= 30 {
                    OrganizationKind::General
                } else {
                    OrganizationKind::Branch
                };
                (
                    format!(
                        "{name}团{}",
                        if kind == OrganizationKind::Branch {
                            "支部"
                        } else {
                            "委"
                        }
                    ),
                    kind,
                )
            });
            let approval = match (has_org, members >= 3, rng.below(3)) {
                (true, _, _) => Some(Approval::Approved),
                (false, true, 0) => Some(Approval::Applied),
                (false, true, _) => Some(Approval::NotApplied),
                _ => None,
            };
            let approved_on = has_org.then(|| {
                chrono::NaiveDate::from_ymd_opt(
                    2015 + rng.below(4) as i32,
                    1 + rng.below(12) as u32,
                    1 + rng.below(28) as u32,
                )
                .expect("a valid date")
            });
            SurveyRow {
                line: i as u32 + 5,
                credit_code: Some(credit_code(
                    i,
                    if kind == UnitKind::Enterprise {
                        "91652300"
                    } else {
                        "11652300"
                    },
                )),
                status: (kind == UnitKind::Enterprise).then(|| {
                    use Status::{Building, Operating, Stopped};
                    *rng.pick(&[
                        Operating, Operating, Operating, Operating, Operating, Operating,
                        Operating, Operating, Building, Stopped,
                    ])
                }),
                staff: Some(staff),
                youth,
                members,
                organization,
                approval,
                approved_on,
                contact: Some(format!(
                    "{}{}{}",
                    rng.pick(&SURNAMES),
                    rng.pick(&GIVEN),
                    rng.pick(&GIVEN)
                )),
                phone: Some(phone(&mut rng)),
                name,
                kind,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::phone::Phone;

    #[test]
    fn generated_rows_are_valid_unique_and_repeatable() {
        let rows = survey_rows(2000, 7);
        assert_eq!(rows, survey_rows(2000, 7));
        let names: std::collections::HashSet<_> = rows.iter().map(|r| &r.name).collect();
        assert_eq!(names.len(), rows.len());
        for row in &rows {
            assert!(CreditCode::parse(row.credit_code.as_deref().unwrap()).is_ok());
            assert!(Phone::parse(row.phone.as_deref().unwrap()).is_some());
            assert!(row.members <= row.youth && row.youth <= row.staff.unwrap());
        }
    }
}
