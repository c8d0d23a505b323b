//! A member's data exported for them on request (PIPL art. 45, issue 18 item 7): one
//! workbook of everything held about the member — the roster record with the full
//! resident ID and phone, its history, evaluations, transfers and volunteer record. Only
//! those who may see the full ID (the committee, the member's own secretary for an adult)
//! may export it, and every export is audited. Once the numbers are erased after the
//! retention period, the file says so in their place.

use axum::extract::State;
use axum::response::Response;
use serde_json::json;

use super::member_to_change;
use crate::auth::extract::{ClientAddr, Reporter, Require};
use crate::db::{self, audit::Event};
use crate::domain::audit::Action as AuditAction;
use crate::domain::ids::MemberId;
use crate::error::{AppError, Result};
use crate::export::personal::{Table, workbook};
use crate::state::AppState;
use crate::web::PathOr404;
use crate::web::respond::{XLSX, download};

pub async fn export_personal_data(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    address: ClientAddr,
    PathOr404(id): PathOr404<MemberId>,
) -> Result<Response> {
    let m = member_to_change(&state, &user, id).await?;
    if !super::may_see_whole(user.reader(true), &m, state.clock.today()) {
        return Err(AppError::Forbidden);
    }
    // Numbers erased after the retention period are no longer held: the file says when.
    let (resident_id, phone) = match m.erased_at {
        Some(at) => {
            let erased = format!(
                "已于{}按保存期限删除",
                state.clock.local(at).format("%Y-%m-%d")
            );
            (erased.clone(), Some(erased))
        }
        None => db::member::reveal(&state.db, &state.keys, m.member_id).await?,
    };
    let local = |at: chrono::DateTime<chrono::Utc>| {
        state.clock.local(at).format("%Y-%m-%d %H:%M").to_string()
    };
    let or_blank = |v: Option<&str>| v.unwrap_or("").to_string();
    let record = vec![
        vec!["姓名".into(), m.name.clone()],
        vec!["性别".into(), m.sex.clone()],
        vec!["民族".into(), m.ethnicity.clone()],
        vec!["出生日期".into(), m.birth_date.to_string()],
        vec!["公民身份号码".into(), resident_id],
        vec!["手机号码".into(), or_blank(phone.as_deref())],
        vec!["入团年月".into(), m.joined_on.format("%Y-%m").to_string()],
        vec!["学历".into(), or_blank(m.education.as_deref())],
        vec!["政治面貌".into(), m.political_status.clone()],
        vec!["团内职务".into(), or_blank(m.league_post.as_deref())],
        vec!["所在团组织".into(), m.organization_name.clone()],
        vec!["状态".into(), m.state_label().into()],
    ];
    let history = db::member::events(&state.db, m.member_id)
        .await?
        .into_iter()
        .map(|e| {
            vec![
                local(e.occurred_at),
                e.from_state.map_or(String::new(), |s| s.label().into()),
                e.to_state.label().into(),
                e.actor_name,
                e.note.unwrap_or_default(),
            ]
        })
        .collect();
    let evaluations = db::member::personal::evaluations(&state.db, m.member_id)
        .await?
        .into_iter()
        .map(|(year, grade, registered)| {
            vec![
                year.to_string(),
                grade,
                registered.map_or("未注册".into(), |at| format!("已注册（{}）", local(at))),
            ]
        })
        .collect();
    let transfers = db::member::personal::transfers(&state.db, m.member_id)
        .await?
        .into_iter()
        .map(|t| {
            vec![
                local(t.requested_at),
                t.from_organization,
                t.to_organization.or(t.destination).unwrap_or_default(),
                t.state,
                t.reason.unwrap_or_default(),
            ]
        })
        .collect();
    let activities = db::participation::record_of_member(&state.db, m.member_id)
        .await?
        .into_iter()
        .map(|a| {
            vec![
                local(a.starts_at),
                a.title,
                a.organizer,
                a.role.label().into(),
                a.hours_tenths.map_or(String::new(), |h| {
                    crate::domain::participation::hours_text(i64::from(h))
                }),
            ]
        })
        .collect();
    let tables = [
        Table {
            name: "基本信息",
            header: &["项目", "内容"],
            rows: record,
        },
        Table {
            name: "变动记录",
            header: &["时间", "原状态", "新状态", "经办人", "说明"],
            rows: history,
        },
        Table {
            name: "团员评议",
            header: &["年度", "等次", "团籍注册"],
            rows: evaluations,
        },
        Table {
            name: "组织关系转接",
            header: &["申请时间", "转出组织", "转入组织或去向", "状态", "原因"],
            rows: transfers,
        },
        Table {
            name: "志愿服务",
            header: &["开始时间", "活动", "主办", "角色", "服务时长（小时）"],
            rows: activities,
        },
    ];
    let bytes = workbook(&tables).map_err(|e| anyhow::anyhow!("writing a person's data: {e}"))?;
    db::audit::record(
        &state.db,
        state.clock.now(),
        &user.actor(&address),
        Event::new(AuditAction::MemberDataExported, "member", m.member_id)
            .after(json!({ "resident_id": m.resident_id_masked })),
    )
    .await?;
    Ok(download(
        &format!("个人信息-{}.xlsx", m.name),
        "personal-data.xlsx",
        XLSX,
        bytes,
    ))
}
