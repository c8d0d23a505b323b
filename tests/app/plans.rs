//! Work-plan items (issue 17 item 1): the committee enters and changes a year's items,
//! owners record dated progress that moves an item's state, secretaries see their
//! organisations' items only, the year's list exports as a workbook, and the demo holds the
//! seed's five 2019 items once. Flags and notices are in `plans_notices`.

use chrono::{TimeZone, Utc};
use tuanjian::demo::SECRETARY_UNIT;

use crate::drill_walk::rows_of;
use crate::helpers::TestApp;
use crate::members::secretary_org;
use crate::participation::flashed;

/// The name `secretary_org` gives the secretary's branch.
pub(crate) const BRANCH: &str = "社会事业局团支部";

/// An item's form: `owner` the owner organisation's name.
pub(crate) fn item(
    number: &str,
    heading: &str,
    owner: &str,
    due: &str,
) -> Vec<(&'static str, String)> {
    vec![
        ("year", "2019".into()),
        ("number", number.into()),
        ("heading", heading.into()),
        ("text", format!("{heading}的具体内容。")),
        ("owner_organization", owner.into()),
        ("owner_name", String::new()),
        ("owner_username", String::new()),
        ("due_on", due.into()),
    ]
}

pub(crate) fn pairs<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// Sets the test clock to noon of the day in Beijing.
pub(crate) fn on(app: &TestApp, (y, m, d): (i32, u32, u32)) {
    app.clock
        .set(Utc.with_ymd_and_hms(y, m, d, 4, 0, 0).unwrap());
}

/// Enters an item as the committee; its page's path.
pub(crate) async fn enter(app: &TestApp, fields: &[(&'static str, String)]) -> String {
    let committee = app.signed_in("committee").await;
    let response = committee.post_form("/plans", &pairs(fields)).await;
    assert_eq!(response.status(), 303, "{fields:?}");
    response.headers()["location"].to_str().unwrap().to_string()
}

async fn count(app: &TestApp, table: &str) -> i64 {
    sqlx::query_scalar(&format!("select count(*) from {table}"))
        .fetch_one(&app.db)
        .await
        .unwrap()
}

async fn state_of(app: &TestApp, page: &str) -> String {
    let id: i64 = page.trim_start_matches("/plans/").parse().unwrap();
    sqlx::query_scalar("select state from work_plan_item where work_plan_item_id = $1")
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_committee_enters_and_changes_items_and_the_years_list_shows_them_in_order() {
    let app = TestApp::spawn().await;
    on(&app, (2019, 3, 1));
    let committee = app.signed_in("committee").await;
    let (status, form) = committee.get_text("/plans/new?year=2019").await;
    assert_eq!(status, 200);
    for proposed in [
        "value=\"一\"",
        "value=\"2019-12-31\"",
        "value=\"开发区团工委\"",
    ] {
        assert!(form.contains(proposed), "{proposed}");
    }
    let first = enter(
        &app,
        &item("一", "加强组织领导", "开发区团工委", "2019-12-31"),
    )
    .await;
    let (_, form) = committee.get_text("/plans/new?year=2019").await;
    assert!(form.contains("value=\"二\""), "the next number is proposed");
    let third = enter(
        &app,
        &item("3", "创建青年文明号", "开发区团工委", "2019-10-31"),
    )
    .await;

    let (_, page) = committee.get_text(&first).await;
    assert!(page.contains("一、加强组织领导"));
    assert!(page.contains("data-testid=\"state\">未开始"));
    assert!(page.contains("加强组织领导的具体内容。"));

    // The first moves to 二 with a person beside the committee.
    let mut changed = item(
        "二",
        "加强组织领导，落实专人负责",
        "开发区团工委",
        "2019-11-30",
    );
    changed[5].1 = "王芳".into();
    changed[6].1 = "committee".into();
    let said = flashed(&committee, &first, &pairs(&changed)).await;
    assert!(said.contains("已保存工作安排。"), "{said}");
    assert!(said.contains("开发区团工委（王芳）"), "{said}");
    assert!(said.contains("（账户 committee）"));

    let (_, list) = committee.get_text("/plans?year=2019").await;
    let rows = rows_of(&list, "plans");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0][0], "二");
    assert!(
        rows[0][1].starts_with("加强组织领导，落实专人负责"),
        "{:?}",
        rows[0]
    );
    assert_eq!(rows[1][0], "三");
    assert!(rows[1][1].starts_with("创建青年文明号"));
    assert!(rows[1][3].starts_with("2019-10-31"));
    assert!(list.contains("共<strong>2</strong>项"));
    assert!(list.contains("data-print"), "a print button");
    assert!(
        list.contains("class=\"plan-text prewrap\">创建青年文明号的具体内容。"),
        "the paragraph for paper"
    );
    assert_eq!(app.audit_count("work_plan.created").await, 2);
    assert_eq!(app.audit_count("work_plan.updated").await, 1);

    // Leaders read the list and the items, without the committee's forms.
    let leader = app.signed_in("leader").await;
    let (_, list) = leader.get_text("/plans").await;
    assert!(
        list.contains("2019年工作安排"),
        "the year with items is shown"
    );
    assert!(!list.contains("新增工作安排"));
    let (status, page) = leader.get_text(&third).await;
    assert_eq!(status, 200);
    assert!(!page.contains("id=\"plan-note\"") && !page.contains("/edit\""));
}

#[tokio::test]
async fn bad_items_and_notes_are_refused_with_a_message_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    on(&app, (2019, 3, 1));
    let committee = app.signed_in("committee").await;
    let bad = [
        ("year", "19"),
        ("number", "一百"),
        ("heading", " "),
        ("owner_organization", ""),
        ("due_on", "2019-02-30"),
    ];
    let response = committee.post_form("/plans", &bad).await;
    assert_eq!(response.status(), 422);
    let body = response.text().await.unwrap();
    for message in [
        "年度：请填写2000至2100之间的年份",
        "序号：请填写1至99之间的序号",
        "标题：请填写",
        "负责组织：请填写负责的团组织或负责人（至少一项）",
        "完成时限：不是有效的日期",
    ] {
        assert!(body.contains(message), "{message}");
    }
    let refused = [
        (
            "owner_organization",
            "没有这个团组织",
            "负责组织：没有名为“没有这个团组织”的团组织",
        ),
        (
            "owner_username",
            "nobody",
            "负责人账户：没有用户名为“nobody”的账户",
        ),
        (
            "owner_username",
            "leader",
            "负责人账户：“leader”不是在用的团工委或团支部书记账户",
        ),
        ("due_on", "2018-12-31", "完成时限：不能早于2019年"),
    ];
    for (field, value, message) in refused {
        let mut fields = item("一", "加强组织领导", "开发区团工委", "2019-12-31");
        fields.iter_mut().find(|(k, _)| *k == field).unwrap().1 = value.into();
        let response = committee.post_form("/plans", &pairs(&fields)).await;
        assert_eq!(response.status(), 422, "{field}");
        assert!(
            response.text().await.unwrap().contains(message),
            "{message}"
        );
    }
    assert_eq!(count(&app, "work_plan_item").await, 0);
    assert_eq!(app.audit_count("work_plan.created").await, 0);

    let page = enter(
        &app,
        &item("一", "加强组织领导", "开发区团工委", "2019-12-31"),
    )
    .await;
    let again = item("１", "另一项", "开发区团工委", "2019-12-31");
    let response = committee.post_form("/plans", &pairs(&again)).await;
    assert_eq!(response.status(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("序号：2019年工作安排已有第一项")
    );
    let emptied = item("一", "", "开发区团工委", "2019-12-31");
    let response = committee.post_form(&page, &pairs(&emptied)).await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("标题：请填写"));
    let response = committee
        .post_form(
            &page,
            &pairs(&item("一", "新标题", "没有这个团组织", "2019-12-31")),
        )
        .await;
    assert_eq!(response.status(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("负责组织：没有名为“没有这个团组织”的团组织")
    );
    let (_, kept) = committee.get_text(&page).await;
    assert!(kept.contains("一、加强组织领导") && !kept.contains("新标题"));
    assert_eq!(count(&app, "work_plan_item").await, 1);
    assert_eq!(app.audit_count("work_plan.updated").await, 0);

    let notes = format!("{page}/notes");
    for (fields, message) in [
        (
            vec![("text", " "), ("state", "ongoing")],
            "进展情况：请填写",
        ),
        (
            vec![("text", "开会"), ("noted_on", "2019-03-02")],
            "日期：不能晚于今天",
        ),
        (
            vec![("text", "开会"), ("state", "paused")],
            "状态：请选择状态",
        ),
    ] {
        let said = flashed(&committee, &notes, &fields).await;
        assert!(said.contains(message), "{message}: {said}");
    }
    assert_eq!(count(&app, "work_plan_note").await, 0);
    assert_eq!(state_of(&app, &page).await, "planned");
    assert_eq!(app.audit_count("work_plan.note_added").await, 0);
}

#[tokio::test]
async fn owners_record_dated_progress_that_moves_the_state_within_their_right() {
    let app = TestApp::spawn().await;
    on(&app, (2019, 6, 1));
    secretary_org(&app).await;
    let own = enter(
        &app,
        &item("一", "持续推进基层团组织建设", BRANCH, "2019-12-31"),
    )
    .await;
    let zone = enter(
        &app,
        &item("二", "创建青年文明号", "开发区团工委", "2019-12-31"),
    )
    .await;
    let mut named = item("三", "组建志愿者队伍", "", "2019-12-31");
    named[5].1 = "黄英洋".into();
    named[6].1 = "secretary2".into();
    let theirs = enter(&app, &named).await;

    // Each secretary reads the items of their organisation or naming their account.
    let secretary = app.signed_in("secretary").await;
    let (_, list) = secretary.get_text("/plans?year=2019").await;
    let rows = rows_of(&list, "plans");
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(rows[0][2].contains(BRANCH));
    assert_eq!(secretary.get(&zone).await.status(), 404);
    let other = app.signed_in("secretary2").await;
    assert_eq!(other.get(&own).await.status(), 404);
    assert_eq!(other.get(&theirs).await.status(), 200);
    let response = other
        .post_form(&format!("{own}/notes"), &[("text", "越权")])
        .await;
    assert_eq!(response.status(), 404);
    let leader = app.signed_in("leader").await;
    let response = leader
        .post_form(&format!("{own}/notes"), &[("text", "越权")])
        .await;
    assert_eq!(response.status(), 403);

    let notes = format!("{own}/notes");
    let said = flashed(
        &secretary,
        &notes,
        &[
            ("text", "召开团支部委员会，明确分工"),
            ("noted_on", "2019-05-20"),
            ("state", "ongoing"),
        ],
    )
    .await;
    assert!(said.contains("已记录进展，状态改为“推进中”。"), "{said}");
    assert_eq!(state_of(&app, &own).await, "ongoing");
    // Cancelling is the committee's decision.
    let said = flashed(
        &secretary,
        &notes,
        &[("text", "不做了"), ("state", "cancelled")],
    )
    .await;
    assert!(said.contains("须由团工委决定"), "{said}");
    assert_eq!(state_of(&app, &own).await, "ongoing");
    let said = flashed(&secretary, &notes, &[("text", "发展新团员3名")]).await;
    assert!(said.contains("已记录进展。"));
    let said = flashed(
        &other,
        &format!("{theirs}/notes"),
        &[("text", "已组建队伍"), ("state", "done")],
    )
    .await;
    assert!(said.contains("状态改为“已完成”"), "{said}");

    let committee = app.signed_in("committee").await;
    let said = flashed(
        &committee,
        &notes,
        &[("text", "并入二项统筹推进"), ("state", "cancelled")],
    )
    .await;
    assert!(said.contains("状态改为“已取消”"));
    let said = flashed(
        &secretary,
        &notes,
        &[("text", "恢复"), ("state", "ongoing")],
    )
    .await;
    assert!(said.contains("须由团工委决定"));
    let (_, page) = secretary.get_text(&own).await;
    assert!(
        !page.contains("id=\"note-state\""),
        "no state to choose on a cancelled item"
    );
    let said = flashed(
        &committee,
        &notes,
        &[("text", "恢复推进"), ("state", "ongoing")],
    )
    .await;
    assert!(said.contains("状态改为“推进中”"));

    // The history, latest day first, with who wrote it and what it moved.
    let (_, page) = committee.get_text(&own).await;
    let history = &page[page.find("data-testid=\"plan-notes\"").unwrap()..];
    let order: Vec<usize> = [
        "恢复推进",
        "并入二项统筹推进",
        "发展新团员3名",
        "召开团支部委员会",
    ]
    .iter()
    .map(|t| history.find(t).unwrap())
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert!(history.contains("2019年5月20日") && history.contains("梁明辉"));
    assert!(history.contains("未开始 → 推进中") && history.contains("推进中 → 已取消"));
    assert_eq!(count(&app, "work_plan_note").await, 5);
    assert_eq!(app.audit_count("work_plan.note_added").await, 5);
    let (_, list) = committee.get_text("/plans?year=2019").await;
    let rows = rows_of(&list, "plans");
    assert!(rows[0][5].contains("恢复推进"), "{:?}", rows[0]);
    assert!(rows[2][4].contains("已完成"));
}

#[tokio::test]
async fn the_years_list_exports_as_a_workbook_within_the_readers_scope() {
    let app = TestApp::spawn().await;
    on(&app, (2019, 12, 15));
    secretary_org(&app).await;
    let first = enter(
        &app,
        &item("一", "=加强组织领导", "开发区团工委", "2019-12-31"),
    )
    .await;
    enter(
        &app,
        &item("二", "持续推进基层团组织建设", BRANCH, "2020-06-30"),
    )
    .await;
    let committee = app.signed_in("committee").await;
    flashed(
        &committee,
        &format!("{first}/notes"),
        &[("text", "已配备专人"), ("state", "ongoing")],
    )
    .await;

    let leader = app.signed_in("leader").await;
    let response = leader.get("/plans/export?year=2019").await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("work-plan.xlsx")
    );
    let sheet: Vec<Vec<String>> = crate::workbooks::grid(&response.bytes().await.unwrap())
        .into_iter()
        .map(|row| {
            row.into_iter()
                .map(|c| match c {
                    crate::workbooks::Cell::Text(t) => t,
                    _ => String::new(),
                })
                .collect()
        })
        .collect();
    assert!(sheet[0][0].starts_with("2019年工作安排"));
    assert_eq!(sheet[1][..4], ["序号", "标题", "内容", "负责"]);
    assert_eq!(sheet.len(), 4);
    assert_eq!(sheet[2][0], "一");
    assert_eq!(
        sheet[2][1], "'=加强组织领导",
        "a formula-like heading is escaped"
    );
    assert_eq!(sheet[2][3], "开发区团工委");
    assert_eq!(sheet[2][4..7], ["2019-12-31", "推进中", "即将到期"]);
    assert_eq!(sheet[2][7], "2019年12月15日：已配备专人");
    assert_eq!(sheet[3][3], BRANCH);
    assert_eq!(app.audit_count("work_plan.exported").await, 1);

    let secretary = app.signed_in("secretary2").await;
    let response = secretary.get("/plans/export?year=2019").await;
    assert_eq!(response.status(), 200);
    let sheet = crate::workbooks::grid(&response.bytes().await.unwrap());
    assert_eq!(sheet.len(), 2, "only the title and the headings");
}

#[tokio::test]
async fn the_demo_holds_the_seeds_five_items_once_and_the_report_reads_them_in_order() {
    let app = TestApp::spawn().await;
    tuanjian::demo::plans::load(&app.state).await.unwrap();
    tuanjian::demo::plans::load(&app.state).await.unwrap();
    let lines = tuanjian::db::work_plan::of_year(&app.db, 2019)
        .await
        .unwrap();
    assert_eq!(lines.len(), 5);
    for ((n, line), (heading, text)) in (1..).zip(&lines).zip(tuanjian::demo::plans::ITEMS) {
        assert_eq!(line.number, n);
        assert_eq!((line.heading.as_str(), line.text.as_str()), (heading, text));
        assert_eq!(line.owner, "开发区团工委");
        assert_eq!(line.state, tuanjian::domain::work_plan::State::Planned);
    }
    assert_eq!(lines[0].heading, "加强组织领导,明确职责分工,落实专人负责");
    assert!(lines[4].text.starts_with("以书法、国画、古书今读等形式"));
    assert!(
        tuanjian::db::work_plan::of_year(&app.db, 2020)
            .await
            .unwrap()
            .is_empty()
    );
    // A secretary whose organisation owns none of them sees none.
    let secretary = app.signed_in("secretary").await;
    let (_, list) = secretary.get_text("/plans?year=2019").await;
    assert!(
        list.contains("2019年尚无工作安排"),
        "{SECRETARY_UNIT} owns none"
    );
}
