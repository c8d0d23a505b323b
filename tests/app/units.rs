//! The units list and pages: filter counts against direct SQL, keyset pages that visit
//! every unit once, the API, scope, and the committee's create, edit and close.

use std::collections::HashSet;

use crate::helpers::TestApp;
use crate::survey::import;
use crate::workbooks::SAMPLE_XLSX;

async fn sql_count(app: &TestApp, condition: &str) -> i64 {
    sqlx::query_scalar(&format!(
        "select count(*) from unit u
           left join survey_entry e on e.unit_id = u.unit_id
           left join organization o on o.unit_id = u.unit_id
          where u.closed_on is null and ({condition})"
    ))
    .fetch_one(&app.db)
    .await
    .unwrap()
}

fn matching(body: &str) -> i64 {
    let start = body
        .find("data-testid=\"matching\"")
        .expect("the matching count");
    let strong = &body[start..];
    let open = strong.find("<strong>").unwrap() + "<strong>".len();
    strong[open..open + strong[open..].find('<').unwrap()]
        .parse()
        .unwrap()
}

#[tokio::test]
async fn every_filter_counts_what_a_direct_sql_count_finds() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let committee = app.signed_in("committee").await;
    let cases = [
        ("", "true"),
        ("kind=enterprise", "u.kind = 'enterprise'"),
        ("kind=department", "u.kind = 'department'"),
        ("kind=community", "u.kind = 'community'"),
        ("kind=department_community", "u.kind <> 'enterprise'"),
        ("status=%E8%BF%90%E8%A1%8C", "e.status = '运行'"),
        ("status=%E5%81%9C%E4%BA%A7", "e.status = '停产'"),
        ("has_members=true", "e.members > 0"),
        ("has_members=false", "e.members = 0"),
        ("has_organization=true", "o.organization_id is not null"),
        ("has_organization=false", "o.organization_id is null"),
        (
            "eligible_missing=true",
            "e.members >= 3 and o.organization_id is null",
        ),
        (
            "kind=enterprise&has_members=true",
            "u.kind = 'enterprise' and e.members > 0",
        ),
        (
            "kind=department_community&has_organization=false&pending=true",
            "u.kind <> 'enterprise' and o.organization_id is null and exists (select 1 from formation_application a where a.unit_id = u.unit_id and a.state = 'submitted')",
        ),
        ("q=%E7%A4%BE%E5%8C%BA", "strpos(u.name, '社区') > 0"),
    ];
    for (query, condition) in cases {
        let (status, body) = committee.get_text(&format!("/units?{query}")).await;
        assert_eq!(status, 200, "{query}");
        assert_eq!(matching(&body), sql_count(&app, condition).await, "{query}");
    }
    // The dashboard's figures and the lists behind them agree.
    let (_, body) = committee.get_text("/units?eligible_missing=true").await;
    assert_eq!(matching(&body), 12);

    // Each choice's count, from the kept facets (the zone) and counted (a search).
    let choices = [
        ("部门（", "u.kind = 'department'"),
        ("社区（", "u.kind = 'community'"),
        ("企业（", "u.kind = 'enterprise'"),
        ("运行（", "coalesce(e.status, u.status) = '运行'"),
        ("停产（", "coalesce(e.status, u.status) = '停产'"),
        ("有团员（", "e.members > 0"),
        ("无团员（", "coalesce(e.members, 0) = 0"),
        ("已建立（", "o.organization_id is not null"),
        ("未建立（", "o.organization_id is null"),
        (
            "具备条件未建团（",
            "e.members >= 3 and o.organization_id is null",
        ),
    ];
    for (search, within) in [("", "true"), ("q=%E5%B1%80", "strpos(u.name, '局') > 0")] {
        let (_, body) = committee.get_text(&format!("/units?{search}")).await;
        for (label, condition) in choices {
            let start = body.find(label).expect(label) + label.len();
            let shown: i64 = body[start..start + body[start..].find('）').unwrap()]
                .parse()
                .unwrap();
            let counted = sql_count(&app, &format!("({within}) and ({condition})")).await;
            assert_eq!(shown, counted, "{label} with {search:?}");
        }
    }
}

#[tokio::test]
async fn pages_visit_every_unit_exactly_once_in_the_pages_and_the_api() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let leader = app.signed_in("leader").await;

    let mut seen = Vec::new();
    let mut path = "/units".to_string();
    for _ in 0..20 {
        let (status, body) = leader.get_text(&path).await;
        assert_eq!(status, 200);
        for part in body.split("<td><a href=\"/units/").skip(1) {
            seen.push(part.split('"').next().unwrap().to_string());
        }
        let Some(next) = body
            .split("rel=\"next\"")
            .next()
            .and_then(|b| b.rsplit("href=\"").next())
        else {
            break;
        };
        if !body.contains("rel=\"next\"") {
            break;
        }
        path = next
            .split('"')
            .next()
            .unwrap()
            .replace("&amp;", "&")
            .replace("&#38;", "&");
    }
    assert_eq!(seen.len(), 452);
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 452);

    let mut ids = Vec::new();
    let mut url = "/api/v1/units".to_string();
    loop {
        let page: serde_json::Value = leader.get(&url).await.json().await.unwrap();
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 50);
        for item in items {
            for key in [
                "id",
                "name",
                "kind",
                "status",
                "credit_code",
                "youth",
                "members",
                "has_organization",
            ] {
                assert!(item.get(key).is_some(), "{key}");
            }
            ids.push(item["id"].as_i64().unwrap());
        }
        match page["next"].as_str() {
            Some(next) => url = format!("/api/v1/units?after={next}"),
            None => break,
        }
    }
    assert_eq!(ids.len(), 452);
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 452);

    let filtered: serde_json::Value = leader
        .get("/api/v1/units?eligible_missing=true")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(filtered["items"].as_array().unwrap().len(), 12);
    assert!(filtered["next"].is_null());
}

#[tokio::test]
async fn a_secretary_lists_and_reads_only_their_own_unit() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let secretary = app.signed_in("secretary").await;
    let (status, body) = secretary.get_text("/units").await;
    assert_eq!(status, 200);
    assert_eq!(matching(&body), 1);
    assert!(body.contains(tuanjian::demo::SECRETARY_UNIT));
    let api: serde_json::Value = secretary
        .get("/api/v1/units?q=%E5%BC%80%E5%8F%91%E5%8C%BA")
        .await
        .json()
        .await
        .unwrap();
    let items = api["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["name"], tuanjian::demo::SECRETARY_UNIT);
    let other = app.unit_id("开发区财政局").await;
    assert_eq!(
        secretary.get(&format!("/units/{other}")).await.status(),
        404
    );
    assert_eq!(
        secretary
            .get(&format!("/api/v1/units/{other}"))
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn the_unit_page_shows_its_history_organisation_and_masks_the_phone_for_leaders() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let id = app.unit_id("开发区自然资源局").await;
    let committee = app.signed_in("committee").await;
    let (status, body) = committee.get_text(&format!("/units/{id}")).await;
    assert_eq!(status, 200);
    assert!(body.contains("自然资源局团支部") && body.contains("2018-03-24"));
    assert!(body.contains("17646661608"));
    let leader = app.signed_in("leader").await;
    let (_, body) = leader.get_text(&format!("/units/{id}")).await;
    assert!(body.contains("176****1608") && !body.contains("17646661608"));
    assert!(!body.contains("/edit"), "leaders read only");
}

#[tokio::test]
async fn the_committee_creates_edits_and_closes_a_unit_with_an_audit_trail() {
    let app = TestApp::spawn().await;
    let committee = app.signed_in("committee").await;
    let response = committee
        .post_form(
            "/units",
            &[
                ("name", "准东测试能源有限公司"),
                ("kind", "enterprise"),
                ("credit_code", "91652300889812993c"),
                ("status", "在建"),
                ("staff", "１２０"),
                ("contact_person", "王强"),
                ("contact_phone", "+86 138 1234 5678"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let id = app.unit_id("准东测试能源有限公司").await;
    let stored: (Option<String>, Option<String>, Option<i32>) =
        sqlx::query_as("select credit_code, contact_phone, staff from unit where unit_id = $1")
            .bind(id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(
        stored,
        (
            Some("91652300889812993C".into()),
            Some("13812345678".into()),
            Some(120)
        )
    );

    let response = committee
        .post_form(
            &format!("/units/{id}"),
            &[
                ("name", "准东测试能源股份有限公司"),
                ("kind", "enterprise"),
                ("status", "运行"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(app.unit_id("准东测试能源股份有限公司").await, id);

    let response = committee
        .post_form(&format!("/units/{id}/close"), &[])
        .await;
    assert_eq!(response.status(), 303);
    let (_, body) = committee.get_text("/units?q=%E6%B5%8B%E8%AF%95").await;
    assert_eq!(matching(&body), 0, "closed units leave the list");
    let (_, body) = committee
        .get_text("/units?q=%E6%B5%8B%E8%AF%95&closed=true")
        .await;
    assert_eq!(matching(&body), 1);
    for action in ["unit.created", "unit.updated", "unit.closed"] {
        assert_eq!(app.audit_count(action).await, 1, "{action}");
    }
}

#[tokio::test]
async fn bad_unit_forms_get_clear_messages_and_write_nothing() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let committee = app.signed_in("committee").await;
    let before: i64 = sqlx::query_scalar("select count(*) from unit")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let cases: [(&[(&str, &str)], &str); 7] = [
        (
            &[("name", ""), ("kind", "department")],
            "单位名称：不能为空",
        ),
        (
            &[("name", "新单位"), ("kind", "公司")],
            "单位类型：请选择部门、社区或企业",
        ),
        (
            &[
                ("name", "新单位"),
                ("kind", "department"),
                ("credit_code", "916523009843237760"),
            ],
            "校验位错误",
        ),
        (
            &[
                ("name", "新单位"),
                ("kind", "enterprise"),
                ("status", "倒闭"),
            ],
            "运行状态",
        ),
        (
            &[("name", "新单位"), ("kind", "department"), ("staff", "-3")],
            "职工总数：不能为负数",
        ),
        (
            &[
                ("name", "新单位"),
                ("kind", "department"),
                ("contact_phone", "1234"),
            ],
            "联系电话",
        ),
        (
            &[("name", "开发区财政局"), ("kind", "department")],
            "已有同名单位",
        ),
    ];
    for (fields, message) in cases {
        let response = committee.post_form("/units", fields).await;
        assert_eq!(response.status(), 422, "{message}");
        assert!(
            response.text().await.unwrap().contains(message),
            "{message}"
        );
    }
    let after: i64 = sqlx::query_scalar("select count(*) from unit")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(after, before);
    assert_eq!(app.audit_count("unit.created").await, 0);
}

/// Search boxes take anything typed or pasted: a NUL, a tab, full-width digits. Each list
/// answers with its page, never a database error.
#[tokio::test]
async fn search_boxes_take_control_characters_and_full_width_text() {
    let app = TestApp::spawn().await;
    crate::survey::import(&app, crate::workbooks::SAMPLE_XLSX)
        .await
        .unwrap();
    let committee = app.signed_in("committee").await;
    let (status, page) = committee.get_text("/units?q=%00").await;
    assert_eq!(status, 200);
    assert_eq!(
        matching(&page),
        sql_count(&app, "true").await,
        "a NUL alone is no search"
    );
    let (status, page) = committee.get_text("/units?q=%E7%A4%BE%00%E4%BC%9A").await;
    assert_eq!(status, 200);
    let social = sql_count(&app, "strpos(u.name, '社会') > 0").await;
    assert!(social > 0);
    assert_eq!(matching(&page), social, "社\\0会 searches 社会");
    for path in [
        "/members?q=a%00b",
        "/members?q=%09%E7%8E%8B%0A",
        "/api/v1/members?q=%00",
        "/admin/accounts?q=%00",
    ] {
        let user = if path.starts_with("/admin") {
            "admin"
        } else {
            "committee"
        };
        let response = app.signed_in(user).await.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
    }
}
