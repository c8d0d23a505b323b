//! The formation campaign over HTTP: the application's life from draft to 批复, illegal
//! transitions refused without change, concurrent approvals, 文号 uniqueness, scope,
//! the reminder list, notices, the reply, attachments and the organisation tree.

use reqwest::multipart::{Form, Part};

use crate::helpers::{Client, TestApp};
use crate::survey::import;
use crate::workbooks::SAMPLE_XLSX;

/// secretary2's unit (开发区生态环境局, 9 members in the sample) has not applied.
async fn draft(app: &TestApp, secretary: &Client, submit: bool) -> i64 {
    let unit = app.unit_id(tuanjian::demo::SECRETARY2_UNIT).await;
    let response = secretary
        .post_form(
            "/applications",
            &[
                ("unit", &unit.to_string()),
                ("proposed_name", "生态环境局团支部"),
                ("proposed_kind", "团支部"),
                ("member_count", "9"),
                ("youth_count", "37"),
                ("proposed_secretary", "黄英洋"),
                ("reasons", "本单位有团员9名，具备建立团支部的条件。"),
                ("action", if submit { "submit" } else { "save" }),
            ],
        )
        .await;
    assert_eq!(response.status(), 303, "creating an application");
    sqlx::query_scalar("select formation_application_id from formation_application where unit_id = $1 order by 1 desc limit 1")
        .bind(unit)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

async fn state_of(app: &TestApp, id: i64) -> String {
    sqlx::query_scalar(
        "select state from formation_application where formation_application_id = $1",
    )
    .bind(id)
    .fetch_one(&app.db)
    .await
    .unwrap()
}

async fn snapshot(app: &TestApp) -> String {
    crate::survey::fingerprint(app).await
}

#[tokio::test]
async fn an_application_goes_from_draft_to_approval_with_its_history_and_notices() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let secretary = app.signed_in("secretary2").await;
    let committee = app.signed_in("committee").await;
    let id = draft(&app, &secretary, false).await;
    assert_eq!(state_of(&app, id).await, "draft");

    let response = secretary
        .post_form(&format!("/applications/{id}/submit"), &[])
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(state_of(&app, id).await, "submitted");
    let (_, inbox) = committee.get_text("/inbox").await;
    assert!(inbox.contains("开发区生态环境局提交了建团申请"));

    let response = committee
        .post_form(
            &format!("/applications/{id}/return"),
            &[("reason", "请补充拟任书记的基本情况")],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(state_of(&app, id).await, "returned");
    let (_, inbox) = secretary.get_text("/inbox").await;
    assert!(inbox.contains("建团申请已退回修改") && inbox.contains("请补充拟任书记的基本情况"));

    let response = secretary
        .post_form(
            &format!("/applications/{id}"),
            &[
                ("proposed_name", "生态环境局团支部"),
                ("proposed_kind", "团支部"),
                ("member_count", "9"),
                ("youth_count", "37"),
                ("proposed_secretary", "黄英洋（1995年生，中共党员）"),
                ("action", "submit"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(state_of(&app, id).await, "resubmitted");

    let (_, dashboard) = committee.get_text("/dashboard").await;
    assert!(dashboard.contains("<span class=\"figure-value\">11</span><span class=\"figure-label\">已获批复的部门及社区</span>"));
    let response = committee
        .post_form(
            &format!("/applications/{id}/approve"),
            &[
                ("approval_number", "开团工委〔2018〕12号"),
                ("approved_on", "2018-07-10"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(state_of(&app, id).await, "approved");
    let (org, kind, number, ends): (String, String, String, chrono::NaiveDate) = sqlx::query_as(
        "select name, kind, approval_number, term_ends_on from organization where unit_id = $1",
    )
    .bind(app.unit_id(tuanjian::demo::SECRETARY2_UNIT).await)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(
        (org.as_str(), kind.as_str(), number.as_str()),
        ("生态环境局团支部", "团支部", "开团工委〔2018〕12号")
    );
    assert_eq!(
        ends.to_string(),
        "2021-07-10",
        "a three-year term from approval"
    );
    let (_, dashboard) = committee.get_text("/dashboard").await;
    assert!(dashboard.contains("<span class=\"figure-value\">12</span><span class=\"figure-label\">已获批复的部门及社区</span>"));

    let history: Vec<(Option<String>, String)> = sqlx::query_as(
        "select from_state, to_state from formation_application_event where formation_application_id = $1 order by formation_application_event_id",
    )
    .bind(id)
    .fetch_all(&app.db)
    .await
    .unwrap();
    let steps: Vec<String> = history
        .iter()
        .map(|(f, t)| format!("{}>{t}", f.as_deref().unwrap_or("-")))
        .collect();
    assert_eq!(
        steps,
        [
            "->draft",
            "draft>submitted",
            "submitted>returned",
            "returned>resubmitted",
            "resubmitted>approved"
        ]
    );
    let (_, inbox) = secretary.get_text("/inbox").await;
    assert!(inbox.contains("建团申请已批复"));

    let (status, reply) = secretary
        .get_text(&format!("/applications/{id}/reply"))
        .await;
    assert_eq!(status, 200);
    for part in [
        "关于同意成立生态环境局团支部的批复",
        "开团工委〔2018〕12号",
        "开发区生态环境局：",
        "2018年7月10日",
        "共青团开发区工作委员会",
    ] {
        assert!(reply.contains(part), "{part}");
    }
    let docx = secretary
        .get(&format!("/applications/{id}/reply.docx"))
        .await;
    assert_eq!(docx.status(), 200);
    let bytes = docx.bytes().await.unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut document = String::new();
    std::io::Read::read_to_string(
        &mut archive.by_name("word/document.xml").unwrap(),
        &mut document,
    )
    .unwrap();
    assert!(
        document.contains("开团工委〔2018〕12号")
            && document.contains("关于同意成立生态环境局团支部的批复")
    );
    // GB/T 9704: A4, 37/28/35/26 mm margins, 3号 body at 28 pt lines, a page number.
    assert!(document.contains("w:w=\"11906\"") && document.contains("w:h=\"16838\""));
    assert!(document.contains("w:top=\"2098\"") && document.contains("w:left=\"1587\""));
    assert!(document.contains("w:line=\"560\"") && document.contains("footerReference"));
}

#[tokio::test]
async fn illegal_transitions_are_refused_with_a_message_and_change_nothing() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let secretary = app.signed_in("secretary2").await;
    let committee = app.signed_in("committee").await;
    let id = draft(&app, &secretary, false).await;

    // Approving, returning or rejecting a draft.
    let before = snapshot(&app).await;
    for (path, fields) in [
        ("approve", vec![("approval_number", "开团工委〔2018〕99号")]),
        ("return", vec![("reason", "x")]),
        ("reject", vec![("reason", "x")]),
    ] {
        let response = committee
            .post_form(&format!("/applications/{id}/{path}"), &fields)
            .await;
        let (_, page) = committee.follow(response).await;
        assert!(
            page.contains("该申请还是草稿，尚未提交，不能审批"),
            "{path}"
        );
    }
    assert_eq!(snapshot(&app).await, before);

    // Submitted: the secretary can no longer edit or submit again.
    secretary
        .post_form(&format!("/applications/{id}/submit"), &[])
        .await;
    let before = snapshot(&app).await;
    let response = secretary
        .post_form(
            &format!("/applications/{id}"),
            &[
                ("proposed_name", "改名"),
                ("proposed_kind", "团支部"),
                ("member_count", "9"),
                ("youth_count", "37"),
                ("action", "save"),
            ],
        )
        .await;
    let (_, page) = secretary.follow(response).await;
    assert!(page.contains("该申请已提交，正在等待批复，不能修改"));
    let response = secretary
        .post_form(&format!("/applications/{id}/submit"), &[])
        .await;
    let (_, page) = secretary.follow(response).await;
    assert!(page.contains("该申请已提交，正在等待批复，不能修改"));
    let response = secretary.get(&format!("/applications/{id}/edit")).await;
    let (_, page) = secretary.follow(response).await;
    assert!(page.contains("不能修改"));
    assert_eq!(snapshot(&app).await, before);

    // The secretary may not decide; the committee may not write the application.
    assert_eq!(
        secretary
            .post_form(
                &format!("/applications/{id}/approve"),
                &[("approval_number", "x")]
            )
            .await
            .status(),
        403
    );
    assert_eq!(
        committee
            .post_form(&format!("/applications/{id}/submit"), &[])
            .await
            .status(),
        403
    );
    // A return needs a reason.
    let response = committee
        .post_form(&format!("/applications/{id}/return"), &[("reason", "  ")])
        .await;
    let (_, page) = committee.follow(response).await;
    assert!(page.contains("退回时请填写退回原因"));
    assert_eq!(state_of(&app, id).await, "submitted");

    // Rejected is final.
    committee
        .post_form(
            &format!("/applications/{id}/reject"),
            &[("reason", "该单位即将撤并")],
        )
        .await;
    assert_eq!(state_of(&app, id).await, "rejected");
    let before = snapshot(&app).await;
    let response = committee
        .post_form(
            &format!("/applications/{id}/approve"),
            &[("approval_number", "开团工委〔2018〕98号")],
        )
        .await;
    let (_, page) = committee.follow(response).await;
    assert!(page.contains("该申请已办结"));
    assert_eq!(snapshot(&app).await, before);

    // Bad input in the form: messages, nothing written.
    let count: i64 = sqlx::query_scalar("select count(*) from formation_application")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let unit = app
        .unit_id(tuanjian::demo::SECRETARY2_UNIT)
        .await
        .to_string();
    let response = secretary
        .post_form(
            "/applications",
            &[
                ("unit", &unit),
                ("proposed_name", ""),
                ("proposed_kind", "小组"),
                ("member_count", "九"),
                ("youth_count", "5"),
                ("action", "submit"),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    for message in [
        "团组织名称：不能为空",
        "组织类型：请选择",
        "团员人数：不是数字",
    ] {
        assert!(page.contains(message), "{message}");
    }
    let after: i64 = sqlx::query_scalar("select count(*) from formation_application")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(after, count);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_committee_members_approving_at_once_create_exactly_one_organisation() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let secretary = app.signed_in("secretary2").await;
    let id = draft(&app, &secretary, true).await;
    let first = app.signed_in("committee").await;
    let second = app.signed_in("committee").await;
    let (token1, token2) = (first.csrf().await, second.csrf().await);
    let approve = |client: Client, token: String, number: &'static str| async move {
        client
            .http
            .post(client.url(&format!("/applications/{id}/approve")))
            .form(&[("approval_number", number), ("csrf_token", &token)])
            .send()
            .await
            .unwrap()
    };
    let (a, b) = tokio::join!(
        approve(first.clone(), token1, "开团工委〔2018〕20号"),
        approve(second.clone(), token2, "开团工委〔2018〕21号")
    );
    assert_eq!(
        (a.status(), b.status()),
        (
            reqwest::StatusCode::SEE_OTHER,
            reqwest::StatusCode::SEE_OTHER
        )
    );
    let organizations: i64 =
        sqlx::query_scalar("select count(*) from organization where unit_id = $1")
            .bind(app.unit_id(tuanjian::demo::SECRETARY2_UNIT).await)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(organizations, 1);
    assert_eq!(app.audit_count("application.approved").await, 1);
}

#[tokio::test]
async fn an_approval_number_is_used_once() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let committee = app.signed_in("committee").await;
    // Two of the sample's pending applications.
    let ids: Vec<i64> = sqlx::query_scalar("select formation_application_id from formation_application where state = 'submitted' order by 1 limit 2")
        .fetch_all(&app.db)
        .await
        .unwrap();
    let response = committee
        .post_form(
            &format!("/applications/{}/approve", ids[0]),
            &[("approval_number", "开团工委〔2018〕30号")],
        )
        .await;
    assert_eq!(response.status(), 303);
    let response = committee
        .post_form(
            &format!("/applications/{}/approve", ids[1]),
            &[("approval_number", "开团工委〔2018〕30号")],
        )
        .await;
    let (_, page) = committee.follow(response).await;
    assert!(page.contains("该文号已被使用"));
    assert_eq!(state_of(&app, ids[1]).await, "submitted");
}

#[tokio::test]
async fn another_units_secretary_can_neither_see_nor_act_on_the_application() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let owner = app.signed_in("secretary2").await;
    let id = draft(&app, &owner, false).await;
    let other = app.signed_in("secretary").await;
    for path in [
        format!("/applications/{id}"),
        format!("/applications/{id}/edit"),
        format!("/applications/{id}/reply"),
    ] {
        assert_eq!(other.get(&path).await.status(), 404, "{path}");
    }
    let response = other
        .post_form(&format!("/applications/{id}/submit"), &[])
        .await;
    assert_eq!(response.status(), 404);
    let response = other
        .post_form(
            &format!("/applications/{id}"),
            &[
                ("proposed_name", "x"),
                ("proposed_kind", "团支部"),
                ("member_count", "3"),
                ("youth_count", "3"),
                ("action", "submit"),
            ],
        )
        .await;
    assert_eq!(response.status(), 404);
    assert_eq!(state_of(&app, id).await, "draft");
    let (_, list) = other.get_text("/applications").await;
    assert!(!list.contains("生态环境局团支部"));
    let api: serde_json::Value = other
        .get("/api/v1/applications")
        .await
        .json()
        .await
        .unwrap();
    assert!(
        api["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["unit_name"] != tuanjian::demo::SECRETARY2_UNIT)
    );
    // Nor may a secretary start an application for another unit.
    let unit = app.unit_id(tuanjian::demo::SECRETARY2_UNIT).await;
    assert_eq!(
        other
            .get(&format!("/applications/new?unit={unit}"))
            .await
            .status(),
        404
    );
    assert_eq!(other.get("/reminders/export").await.status(), 403);
    assert_eq!(other.get("/api/v1/reminders").await.status(), 403);
}

#[tokio::test]
async fn the_reminder_list_holds_the_eight_units_of_the_sample_and_reminders_are_recorded() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let committee = app.signed_in("committee").await;
    let (_, page) = committee.get_text("/reminders").await;
    assert!(page.contains("共 <strong>8</strong> 个单位"));
    let api: serde_json::Value = committee
        .get("/api/v1/reminders")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(api["items"].as_array().unwrap().len(), 8);
    assert!(
        api["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u["members"].as_i64().unwrap() >= 3)
    );
    let eligible: i64 = sqlx::query_scalar(
        "select count(*) from survey_entry e where e.members >= 3 and not exists (select 1 from organization o where o.unit_id = e.unit_id)",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(eligible, 12);

    let own = app.unit_id(tuanjian::demo::SECRETARY2_UNIT).await;
    let response = committee
        .post_form("/reminders/remind", &[("unit", &own.to_string())])
        .await;
    let (_, page) = committee.follow(response).await;
    assert!(page.contains("已督促1个单位（发出1条站内通知）"));
    let response = committee.post_form("/reminders/remind", &[]).await;
    let (_, page) = committee.follow(response).await;
    assert!(page.contains("已督促8个单位（发出1条站内通知）"));
    let (sender, count): (i64, i64) =
        sqlx::query_as("select max(sender_account_id), count(*) from formation_reminder")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!((sender, count), (app.account_id("committee").await, 9));
    let secretary2 = app.signed_in("secretary2").await;
    let (_, inbox) = secretary2.get_text("/inbox").await;
    assert_eq!(inbox.matches("团工委督促：请尽快提交建团申请").count(), 2);
    // A unit not on the list cannot be reminded.
    let formed = app.unit_id("开发区自然资源局").await;
    assert_eq!(
        committee
            .post_form("/reminders/remind", &[("unit", &formed.to_string())])
            .await
            .status(),
        404
    );

    let export = committee.get("/reminders/export").await;
    assert_eq!(export.status(), 200);
    let grid = crate::workbooks::grid(&export.bytes().await.unwrap());
    assert_eq!(grid.len(), 2 + 8);

    // Submitting takes the unit off the list.
    draft(&app, &secretary2, true).await;
    let (_, page) = committee.get_text("/reminders").await;
    assert!(page.contains("共 <strong>7</strong> 个单位"));
}

/// `n` more enterprises, 督促测试企业001 on, with 3 members in the latest round and no
/// organisation: on the reminder list.
pub async fn eligible_units(app: &TestApp, n: i32) {
    sqlx::query(
        "insert into unit (kind, name)
         select 'enterprise', '督促测试企业' || lpad(i::text, 3, '0') from generate_series(1, $1) i",
    )
    .bind(n)
    .execute(&app.db)
    .await
    .unwrap();
    sqlx::query(
        "insert into survey_entry (survey_id, unit_id, status, youth, members)
         select (select survey_id from survey order by as_of desc limit 1), unit_id, '运行', 5, 3
           from unit where name like '督促测试企业%'",
    )
    .execute(&app.db)
    .await
    .unwrap();
}

/// The reminder list's units and the cursor of its next page.
fn reminder_page(page: &str) -> (Vec<String>, Option<String>) {
    let names = page
        .split("<td><a href=\"/units/")
        .skip(1)
        .map(|cell| {
            let start = cell.find('>').unwrap() + 1;
            cell[start..start + cell[start..].find('<').unwrap()].to_string()
        })
        .collect();
    let next = page
        .split("<a href=\"/reminders?after=")
        .nth(1)
        .map(|rest| rest[..rest.find('"').unwrap()].to_string());
    (names, next)
}

#[tokio::test]
async fn the_reminder_list_is_paged_by_fifty_in_name_order_with_each_units_reminders() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    eligible_units(&app, 120).await;
    let committee = app.signed_in("committee").await;
    let unit = app.unit_id("督促测试企业007").await;
    for _ in 0..2 {
        let response = committee
            .post_form("/reminders/remind", &[("unit", &unit.to_string())])
            .await;
        assert!(response.status().is_redirection());
    }

    let mut listed = Vec::new();
    let mut sizes = Vec::new();
    let mut url = "/reminders".to_string();
    loop {
        let (status, page) = committee.get_text(&url).await;
        assert_eq!(status, 200);
        assert!(page.contains("共 <strong>128</strong> 个单位"), "{url}");
        assert!(page.contains("<title>督促建团 · 团工委工作平台</title>"));
        assert_eq!(
            page.matches("rel=\"next\"").count(),
            usize::from(sizes.len() < 2)
        );
        if url == "/reminders" {
            let row = page.split("督促测试企业007</a>").nth(1).unwrap();
            let row = &row[..row.find("</tr>").unwrap()];
            let today = app.clock.today().format("%m-%d").to_string();
            assert!(row.contains(&format!("2次（{today}）")), "{row}");
        }
        let (names, next) = reminder_page(&page);
        sizes.push(names.len());
        listed.extend(names);
        match next {
            Some(after) => url = format!("/reminders?after={after}"),
            None => break,
        }
    }
    assert_eq!(sizes, [50, 50, 28]);
    let expected: Vec<String> = sqlx::query_scalar(
        "select u.name from survey_entry e join unit u using (unit_id)
          where e.survey_id = (select survey_id from survey order by as_of desc limit 1)
            and e.members >= 3 and not u.has_organization and not u.application_pending
          order by u.name",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(listed, expected);
}

#[tokio::test]
async fn secretaries_get_one_notice_when_the_deadline_is_fourteen_days_away() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let today = app.clock.today();
    sqlx::query("update survey set formation_deadline = $1")
        .bind(today + chrono::Days::new(20))
        .execute(&app.db)
        .await
        .unwrap();
    let now = app.clock.now();
    assert_eq!(
        tuanjian::db::formation::deadline_notices(&app.db, today, now)
            .await
            .unwrap(),
        0,
        "20 days is too early"
    );
    let later = today + chrono::Days::new(7);
    assert_eq!(
        tuanjian::db::formation::deadline_notices(&app.db, later, now)
            .await
            .unwrap(),
        1,
        "secretary2's unit only"
    );
    assert_eq!(
        tuanjian::db::formation::deadline_notices(&app.db, later, now)
            .await
            .unwrap(),
        0,
        "once per deadline"
    );
    let secretary2 = app.signed_in("secretary2").await;
    let (_, inbox) = secretary2.get_text("/inbox").await;
    assert!(inbox.contains("还有13天"));
    let secretary = app.signed_in("secretary").await;
    let (_, inbox) = secretary.get_text("/inbox").await;
    assert!(
        !inbox.contains("建团截止日期"),
        "secretary's unit has a pending application"
    );
}

#[tokio::test]
async fn attachments_are_type_checked_and_served_only_in_scope() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let secretary = app.signed_in("secretary2").await;
    let id = draft(&app, &secretary, false).await;
    let upload = |name: &'static str, bytes: Vec<u8>| {
        let client = secretary.clone();
        async move {
            let token = client.csrf().await;
            let form = Form::new()
                .text("csrf_token", token)
                .part("file", Part::bytes(bytes).file_name(name));
            client
                .http
                .post(client.url(&format!("/applications/{id}/attachments")))
                .multipart(form)
                .send()
                .await
                .unwrap()
        }
    };
    let response = upload("evil.pdf", b"<script>alert(1)</script>".to_vec()).await;
    let (_, page) = secretary.follow(response).await;
    assert!(page.contains("只接受 PDF、JPG、PNG 或 Word 文件"));
    let response = upload(
        "big.pdf",
        [b"%PDF-1.4\n".as_slice(), &vec![b'0'; 6 * 1024 * 1024]].concat(),
    )
    .await;
    let (_, page) = secretary.follow(response).await;
    assert!(page.contains("附件不能超过 5 MB"));
    let response = upload("会议纪要.pdf", b"%PDF-1.4\n%%EOF\n".to_vec()).await;
    let (_, page) = secretary.follow(response).await;
    assert!(page.contains("附件已上传") && page.contains("会议纪要.pdf"));
    let attachment: i64 =
        sqlx::query_scalar("select application_attachment_id from application_attachment")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let path = format!("/applications/{id}/attachments/{attachment}");
    let download = secretary.get(&path).await;
    assert_eq!(download.status(), 200);
    assert_eq!(download.headers()["content-type"], "application/pdf");
    assert!(
        download.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment;")
    );
    assert_eq!(
        app.signed_in("secretary").await.get(&path).await.status(),
        404
    );
    assert_eq!(app.signed_in("leader").await.get(&path).await.status(), 200);

    // Security review F14: a ZIP that is no Word document is refused, and a PDF called
    // .html is served under a .pdf name.
    let zip = {
        let mut buffer = std::io::Cursor::new(Vec::new());
        let mut writer = zip::ZipWriter::new(&mut buffer);
        writer
            .start_file("index.html", zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut writer, b"<script>alert(1)</script>").unwrap();
        writer.finish().unwrap();
        buffer.into_inner()
    };
    let response = upload("方案.docx", zip).await;
    let (_, page) = secretary.follow(response).await;
    assert!(
        page.contains("只接受 PDF、JPG、PNG 或 Word 文件"),
        "any ZIP refused"
    );
    let response = upload("x.html", b"%PDF-1.4\n%%EOF\n".to_vec()).await;
    assert_eq!(response.status(), 303);
    let latest: i64 =
        sqlx::query_scalar("select max(application_attachment_id) from application_attachment")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let served = secretary
        .get(&format!("/applications/{id}/attachments/{latest}"))
        .await;
    let disposition = served.headers()["content-disposition"].to_str().unwrap();
    assert!(
        disposition.contains("x.pdf") && !disposition.contains("html"),
        "{disposition}"
    );
}

#[tokio::test]
async fn the_organisation_tree_pages_terms_and_api() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let committee = app.signed_in("committee").await;
    let (status, tree) = committee.get_text("/organizations").await;
    assert_eq!(status, 200);
    assert!(tree.contains("开发区团工委") && tree.contains("自然资源局团支部"));
    assert_eq!(tree.matches("class=\"depth-1\"").count(), 35);

    let org: i64 = sqlx::query_scalar(
        "select organization_id from organization where name = '自然资源局团支部'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let today = app.clock.today();
    let elected = today - chrono::Days::new(365 * 3 - 30);
    let response = committee
        .post_form(
            &format!("/organizations/{org}/term"),
            &[
                ("secretary_name", "郭芳霞"),
                ("elected_on", &elected.to_string()),
                ("term_years", "3"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    committee
        .post_form(
            &format!("/organizations/{org}/cadres"),
            &[("name", "郭芳霞"), ("post", "书记")],
        )
        .await;
    let response = committee
        .post_form(
            &format!("/organizations/{org}/cadres"),
            &[("name", ""), ("post", "书记")],
        )
        .await;
    let (_, page) = committee.follow(response).await;
    assert!(page.contains("请填写委员姓名"));
    let response = committee
        .post_form(
            &format!("/organizations/{org}/term"),
            &[("term_years", "5")],
        )
        .await;
    let (_, page) = committee.follow(response).await;
    assert!(page.contains("任期应为2年或3年"));
    let (_, page) = committee.get_text(&format!("/organizations/{org}")).await;
    assert!(
        page.contains("书记：郭芳霞") && page.contains("<dd>5</dd>"),
        "members from the latest round"
    );
    let (_, tree) = committee.get_text("/organizations").await;
    assert!(tree.contains("90天内任期届满（1）"));

    let api: serde_json::Value = committee
        .get("/api/v1/organizations")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(api["items"].as_array().unwrap().len(), 36);
    let secretary = app.signed_in("secretary").await;
    let api: serde_json::Value = secretary
        .get("/api/v1/organizations")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        api["items"].as_array().unwrap().len(),
        0,
        "secretary's unit has no organisation yet"
    );
    assert_eq!(
        secretary
            .get(&format!("/organizations/{org}"))
            .await
            .status(),
        404
    );
    assert_eq!(
        secretary
            .post_form(
                &format!("/organizations/{org}/term"),
                &[("term_years", "2")]
            )
            .await
            .status(),
        403
    );
}

#[tokio::test]
async fn a_joint_branch_spans_units_that_have_no_organisation_of_their_own() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let committee = app.signed_in("committee").await;
    // A small unit applies for a joint branch; approved, it is the branch's first unit.
    let small: (i64, String) = sqlx::query_as(
        "select u.unit_id, u.name from unit u join survey_entry e using (unit_id)
          where e.members between 1 and 2 and not exists (select 1 from organization o where o.unit_id = u.unit_id)
          order by u.name limit 1",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let id: i64 = sqlx::query_scalar(
        "insert into formation_application (unit_id, state, proposed_name, proposed_kind, member_count, youth_count, submitted_at)
         values ($1, 'submitted', '五彩湾联合团支部', '联合团支部', 2, 10, now()) returning formation_application_id",
    )
    .bind(small.0)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let (_, page) = committee.get_text(&format!("/applications/{id}")).await;
    assert!(
        page.contains("团员不足3人"),
        "the rule is shown as a warning"
    );
    committee
        .post_form(
            &format!("/applications/{id}/approve"),
            &[("approval_number", "开团工委〔2018〕40号")],
        )
        .await;
    let org: i64 = sqlx::query_scalar(
        "select organization_id from organization where name = '五彩湾联合团支部'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let response = committee
        .post_form(
            &format!("/organizations/{org}/units"),
            &[("unit", "开发区生态环境局")],
        )
        .await;
    let (_, page) = committee.follow(response).await;
    assert!(page.contains("已加入联合团支部") && page.contains("开发区生态环境局"));
    let response = committee
        .post_form(
            &format!("/organizations/{org}/units"),
            &[("unit", "开发区自然资源局")],
        )
        .await;
    let (_, page) = committee.follow(response).await;
    assert!(page.contains("该单位已有团组织"));
    // The joined unit leaves the reminder list: it is covered by the joint branch.
    let (_, reminders) = committee.get_text("/reminders").await;
    assert!(!reminders.contains("开发区生态环境局"));
}

#[tokio::test]
async fn the_queue_and_the_list_are_paged_oldest_and_newest_first() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    // 55 waiting applications, one a day, and every unit's own secretary out of the way.
    let waiting: Vec<i64> = sqlx::query_scalar(
        "insert into formation_application (unit_id, state, proposed_name, proposed_kind, member_count, youth_count, submitted_at)
         select unit_id, case when n % 2 = 0 then 'submitted' else 'resubmitted' end, name || '团支部', '团支部', 3, 5,
                now() - make_interval(days => 100 - n::int)
           from (select unit_id, name, row_number() over (order by unit_id) n from unit
                  where name <> $1 and not exists (select 1 from formation_application a where a.unit_id = unit.unit_id)
                  order by unit_id limit 55) u
         returning formation_application_id",
    )
    .bind(tuanjian::demo::SECRETARY2_UNIT)
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(waiting.len(), 55);
    let all: i64 = sqlx::query_scalar("select count(*) from formation_application")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let committee = app.signed_in("committee").await;
    let ids = |body: &str, from: &str, to: &str| -> Vec<i64> {
        let start = body.find(from).unwrap_or(body.len());
        let end = start + body[start..].find(to).unwrap_or(body.len() - start);
        body[start..end]
            .split("<a href=\"/applications/")
            .skip(1)
            .filter_map(|rest| rest.split('"').next()?.parse().ok())
            .collect()
    };
    let link = |body: &str, testid: &str| -> Option<String> {
        let at = body.find(&format!("data-testid=\"{testid}\""))?;
        let href = body[..at].rfind("href=\"")? + 6;
        Some(body[href..href + body[href..].find('"')?].replace("&amp;", "&"))
    };

    // The queue (with any the sample brought): counted, the 50 oldest, then the rest.
    let queue: Vec<i64> = sqlx::query_scalar(
        "select formation_application_id from formation_application
          where state in ('submitted', 'resubmitted') order by submitted_at, formation_application_id",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert!(queue.len() >= 55 && queue.len() < 100);
    let (_, first) = committee.get_text("/applications").await;
    assert!(first.contains(&format!("待批复（{}）", queue.len())));
    let queue_first = ids(&first, "<ul class=\"queue\">", "</ul>");
    assert_eq!(queue_first, queue[..50]);
    let (_, second) = committee
        .get_text(&link(&first, "queue-next").expect("a next page of the queue"))
        .await;
    assert_eq!(ids(&second, "<ul class=\"queue\">", "</ul>"), queue[50..]);
    assert!(link(&second, "queue-next").is_none());

    // The list: every application once, newest first, 50 a page.
    let mut listed = Vec::new();
    let mut body = first;
    loop {
        listed.extend(ids(&body, "<table>", "</table>"));
        match link(&body, "list-next") {
            Some(next) => body = committee.get_text(&next).await.1,
            None => break,
        }
    }
    assert_eq!(listed.len() as i64, all);
    assert!(
        listed.windows(2).all(|w| w[0] > w[1]),
        "newest first, none twice"
    );

    // One state, paged the same way; a broken cursor is the first page.
    let (_, resubmitted) = committee
        .get_text("/applications?state=resubmitted&before=x&queue_after=y")
        .await;
    let shown = ids(&resubmitted, "<table>", "</table>");
    let expected: Vec<i64> = sqlx::query_scalar(
        "select formation_application_id from formation_application
          where state = 'resubmitted' order by formation_application_id desc limit 50",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert!(expected.len() >= 27);
    assert_eq!(shown, expected);
    assert_eq!(
        ids(&resubmitted, "<ul class=\"queue\">", "</ul>"),
        queue[..50]
    );

    // A secretary has no queue and lists the own unit's applications only.
    let secretary = app.signed_in("secretary2").await;
    let (_, page) = secretary.get_text("/applications").await;
    assert!(!page.contains("<ul class=\"queue\">") && !page.contains("批复或退回"));
    assert!(ids(&page, "<table>", "</table>").is_empty());
}
