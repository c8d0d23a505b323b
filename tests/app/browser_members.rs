//! The roster's workflows in Chromium at phone width: importing a workbook (a faulty one,
//! then a clean one), transferring a member to another unit's branch and accepting it
//! there, and the year's evaluation with the 30 % cap and registration.

use chrono::Datelike;
use fantoccini::Locator;

use crate::browser::{
    browser, file_of, screenshot, sign_in, sign_out, submit_file, text_of, wait_text,
};
use crate::helpers::{PASSWORD, TestApp};
use crate::members::id_born;
use crate::roster_import::roster;

async fn ids_in(app: &TestApp, org: i64) -> Vec<i64> {
    sqlx::query_scalar(
        "select member_id from member where organization_id = $1 and state = 'active' order by name",
    )
    .bind(org)
    .fetch_all(&app.db)
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_phone_width_a_roster_is_imported_a_member_transferred_and_the_year_graded() {
    let app = TestApp::spawn().await;
    crate::survey::import(&app, crate::workbooks::SAMPLE_XLSX)
        .await
        .unwrap();
    let a = crate::members::secretary_org(&app).await;
    crate::member_flows::secretary2_org(&app).await;
    let browser = browser(375, 812, true).await;
    let c = &browser.client;
    enter_as(c, &app, "secretary").await;

    // Import: a faulty file is refused with its rows, then a clean one goes in whole.
    let ids: Vec<String> = (0..4)
        .map(|i| id_born((2001, 2 + i, 3), 20 + i as u16))
        .collect();
    let mut wrong = ids[1].clone();
    wrong.replace_range(17.., if wrong.ends_with('0') { "1" } else { "0" });
    let faulty = file_of(
        "faulty.xlsx",
        roster(&[
            ["甲", "", "汉族", &ids[0], "", "2017-05", "", "", ""],
            ["乙", "", "汉族", &wrong, "", "2017-05", "", "", ""],
        ]),
    );
    let clean = file_of(
        "clean.xlsx",
        roster(&[
            [
                "甲",
                "",
                "汉族",
                &ids[0],
                "",
                "2017-05",
                "",
                "",
                "团支部书记",
            ],
            [
                "乙",
                "",
                "回族",
                &ids[1],
                "13900001111",
                "2016-09",
                "大学本科",
                "",
                "",
            ],
            ["丙", "", "汉族", &ids[2], "", "2018-01", "", "", ""],
            ["丁", "", "汉族", &ids[3], "", "2019-03", "", "", ""],
        ]),
    );
    c.goto(&format!("{}/organizations/{a}/members/import", app.base))
        .await
        .unwrap();
    submit_file(c, "#import-form", &faulty).await;
    let count = text_of(c, "[data-testid=fault-count]").await;
    assert!(count.contains("发现 1 处错误"), "{count}");
    assert!(
        text_of(c, "[data-testid=faults]")
            .await
            .contains("校验位错误")
    );
    screenshot(c, "roster-import-faults-375").await;
    submit_file(c, "#import-form", &clean).await;
    wait_text(
        c,
        ".flash-ok",
        "已从名册导入 4 名团员。（读取的工作表：Sheet1）",
    )
    .await;
    screenshot(c, "roster-imported-375").await;

    // Transfer 丁 to the other unit's branch.
    c.find(Locator::LinkText("丁"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let form = c
        .wait()
        .for_element(Locator::Id("transfer-form"))
        .await
        .unwrap();
    form.find(Locator::Id("organization"))
        .await
        .unwrap()
        .send_keys("生态环境局团支部")
        .await
        .unwrap();
    form.find(Locator::Css("button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.accept_alert().await.unwrap();
    let flash = text_of(c, ".flash-ok").await;
    assert!(
        flash.contains("已提出将 丁 转往 生态环境局团支部"),
        "{flash}"
    );
    assert!(text_of(c, "main").await.contains("待接收方同意"));
    screenshot(c, "member-transfer-requested-375").await;

    // Evaluation: two 优秀 of four is over 30 %; one is not.
    let members = ids_in(&app, a).await;
    c.goto(&format!("{}/organizations/{a}/evaluation", app.base))
        .await
        .unwrap();
    let choose = |grades: [&'static str; 4]| {
        let members = members.clone();
        async move {
            let script: String = members
                .iter()
                .zip(grades)
                .map(|(m, g)| {
                    format!("document.querySelector('select[name=grade_{m}]').value = '{g}';")
                })
                .collect();
            c.wait()
                .for_element(Locator::Id("evaluation-form"))
                .await
                .unwrap();
            c.execute(&script, vec![]).await.unwrap();
            c.find(Locator::Css("#evaluation-form button[type=submit]"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
        }
    };
    choose(["优秀", "优秀", "合格", "合格"]).await;
    let error = text_of(c, "#evaluation-errors").await;
    assert!(error.contains("优秀最多1名，现评了2名"), "{error}");
    screenshot(c, "evaluation-cap-375").await;
    choose(["优秀", "合格", "基本合格", "不合格"]).await;
    wait_text(
        c,
        ".flash-ok",
        &format!("已保存{}年度评议结果。", app.clock.today().format("%Y")),
    )
    .await;
    c.find(Locator::Id("register"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.accept_alert().await.unwrap();
    let flash = text_of(c, ".flash-ok").await;
    assert!(flash.contains("已为3名团员办理"), "{flash}");
    assert!(text_of(c, "#registered").await.contains("团籍注册已办理"));
    screenshot(c, "evaluation-registered-375").await;
    sign_out(c).await;

    // The receiving secretary accepts 丁.
    sign_in(c, &app.base, "secretary2", PASSWORD).await;
    text_of(c, "[data-testid=current-user]").await;
    c.goto(&format!("{}/members/transfers", app.base))
        .await
        .unwrap();
    assert!(text_of(c, "table.transfers").await.contains("丁"));
    screenshot(c, "transfers-to-accept-375").await;
    c.find(Locator::Css("table.transfers button.primary"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.accept_alert().await.unwrap();
    let flash = text_of(c, ".flash-ok").await;
    assert!(
        flash.contains("丁 的组织关系已转入生态环境局团支部"),
        "{flash}"
    );
    assert!(text_of(c, "table.transfers").await.contains("已完成"));
    screenshot(c, "transfers-accepted-375").await;
    browser.client.clone().close().await.unwrap();
    let _ = std::fs::remove_file(faulty);
    let _ = std::fs::remove_file(clean);
}

/// Members of the search and age lists, and 55 applications waiting: more than a page of
/// each list.
async fn long_lists(app: &TestApp) {
    use crate::members::{new_member, store};
    let own = crate::members::secretary_org(app).await;
    let other = crate::member_flows::secretary2_org(app).await;
    let today = app.clock.today();
    let born = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
    let mut members = vec![
        new_member(own, "王小明".into(), born, 1),
        new_member(other, "李小明".into(), born, 2),
    ];
    members.extend((0..60u16).map(|i| new_member(other, format!("赵试员{i:02}"), born, 10 + i)));
    members.extend((0..130u16).map(|i| {
        let born = today.with_year(today.year() - 29).unwrap() - chrono::Days::new(u64::from(i));
        new_member(own, format!("超龄{i:03}"), born, 100 + i)
    }));
    store(app, &members).await;
    sqlx::query(
        "insert into formation_application (unit_id, state, proposed_name, proposed_kind, member_count, youth_count, submitted_at)
         select unit_id, 'submitted', name || '团支部', '团支部', 3, 5, now() - make_interval(days => 100 - n::int)
           from (select unit_id, name, row_number() over (order by unit_id) n from unit
                  where not exists (select 1 from formation_application a where a.unit_id = unit.unit_id)
                    and not exists (select 1 from organization o where o.unit_id = unit.unit_id)
                  order by unit_id limit 55) u",
    )
    .execute(&app.db)
    .await
    .unwrap();
}

async fn search(c: &fantoccini::Client, q: &str) {
    let input = c.find(Locator::Id("q")).await.unwrap();
    input.clear().await.unwrap();
    input.send_keys(q).await.unwrap();
    c.find(Locator::Css("form.filters button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

async fn click(c: &fantoccini::Client, css: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_age_lists_and_the_queue_page_in_the_browser_for_each_role() {
    let app = TestApp::spawn().await;
    crate::survey::import(&app, crate::workbooks::SAMPLE_XLSX)
        .await
        .unwrap();
    long_lists(&app).await;
    let waiting: i64 = sqlx::query_scalar(
        "select count(*) from formation_application where state in ('submitted', 'resubmitted')",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let browser = browser(1280, 900, false).await;
    let c = &browser.client;

    // The committee: search by two characters, by a surname, and for nothing.
    enter_as(c, &app, "committee").await;
    c.goto(&format!("{}/members", app.base)).await.unwrap();
    search(c, "小明").await;
    wait_text(c, "[data-testid=member-count] strong", "2").await;
    let table = text_of(c, "table.members").await;
    assert!(
        table.contains("王小明") && table.contains("李小明"),
        "{table}"
    );
    screenshot(c, "members-search-two-characters").await;
    search(c, "王").await;
    wait_text(c, "[data-testid=member-count] strong", "1").await;
    assert!(!text_of(c, "table.members").await.contains("李小明"));
    search(c, "试员").await;
    wait_text(c, "[data-testid=member-count] strong", "60").await;
    click(c, "a[rel=next]").await;
    wait_text(c, "[data-testid=member-count] strong", "60").await;
    assert!(text_of(c, "table.members").await.contains("赵试员59"));
    search(c, "'; drop table member; --").await;
    wait_text(c, "[data-testid=member-count] strong", "0").await;
    assert_eq!(text_of(c, "p.empty").await, "没有符合条件的团员。");

    // The age list, a page at a time.
    c.goto(&format!("{}/members/age", app.base)).await.unwrap();
    assert!(text_of(c, "h2").await.contains("（130）"));
    click(c, "[data-testid=past-next]").await;
    text_of(c, "a[href='/members/age']").await;
    let second = text_of(c, "section.card table").await;
    assert!(
        second.contains("超龄029") && !second.contains("超龄030"),
        "{second}"
    );
    screenshot(c, "age-list-second-page").await;

    // The queue: counted, 50 oldest, then the rest; a broken cursor is the first page.
    c.goto(&format!("{}/applications", app.base)).await.unwrap();
    assert!(
        text_of(c, "section.card h2")
            .await
            .contains(&format!("（{waiting}）"))
    );
    assert_eq!(
        c.find_all(Locator::Css("[data-testid=queue-item]"))
            .await
            .unwrap()
            .len(),
        50
    );
    click(c, "[data-testid=queue-next]").await;
    text_of(c, "a[href='/applications?state=']").await;
    assert_eq!(
        c.find_all(Locator::Css("[data-testid=queue-item]"))
            .await
            .unwrap()
            .len() as i64,
        waiting - 50
    );
    screenshot(c, "applications-queue-second-page").await;
    c.goto(&format!(
        "{}/applications?queue_after=%25%25&before=x",
        app.base
    ))
    .await
    .unwrap();
    assert_eq!(
        c.find_all(Locator::Css("[data-testid=queue-item]"))
            .await
            .unwrap()
            .len(),
        50
    );
    sign_out(c).await;

    // The leader reads the age list without the button.
    enter_as(c, &app, "leader").await;
    c.goto(&format!("{}/members/age", app.base)).await.unwrap();
    assert!(text_of(c, "h2").await.contains("（130）"));
    assert!(
        c.find(Locator::Css("form[action$='/age-out']"))
            .await
            .is_err()
    );
    sign_out(c).await;
    browser.client.clone().close().await.unwrap();

    // The secretary, on a phone: the own organisation's members only, and the age list.
    let phone = crate::browser::browser(375, 812, true).await;
    let c = &phone.client;
    enter_as(c, &app, "secretary").await;
    c.goto(&format!("{}/members", app.base)).await.unwrap();
    search(c, "小明").await;
    wait_text(c, "[data-testid=member-count] strong", "1").await;
    assert!(!text_of(c, "table.members").await.contains("李小明"));
    screenshot(c, "members-search-secretary-375").await;
    c.goto(&format!("{}/members/age", app.base)).await.unwrap();
    assert!(text_of(c, "h2").await.contains("（130）"));
    text_of(c, "[data-testid=past-next]").await;
    screenshot(c, "age-list-secretary-375").await;
    phone.client.clone().close().await.unwrap();
}

/// Signs in and waits for the page that follows.
async fn enter_as(c: &fantoccini::Client, app: &TestApp, username: &str) {
    sign_in(c, &app.base, username, PASSWORD).await;
    text_of(c, "[data-testid=current-user]").await;
}

async fn rows(c: &fantoccini::Client, css: &str) -> usize {
    c.find_all(Locator::Css(css)).await.unwrap().len()
}

/// The reminder list a page of 50 at a time, reminding one unit from it; a broad search
/// counted to 1000; for the committee, the leader (reads only) and a secretary (refused).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reminder_pages_and_a_broad_search_in_the_browser_for_each_role() {
    let app = TestApp::spawn().await;
    crate::survey::import(&app, crate::workbooks::SAMPLE_XLSX)
        .await
        .unwrap();
    crate::applications::eligible_units(&app, 120).await;
    let org = crate::members::secretary_org(&app).await;
    crate::members::one_surname_many_members(&app, org).await;
    let listed: i64 = sqlx::query_scalar(
        "select count(*) from survey_entry e join unit u using (unit_id)
          where e.survey_id = (select survey_id from survey order by as_of desc limit 1)
            and e.members >= 3 and not u.has_organization and not u.application_pending",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert!(listed > 100, "more than two pages");
    let count = listed.to_string();
    let browser = browser(1280, 900, false).await;
    let c = &browser.client;

    // The committee reminds the first unit, then walks the pages.
    enter_as(c, &app, "committee").await;
    c.goto(&format!("{}/reminders", app.base)).await.unwrap();
    wait_text(c, "[data-testid=reminder-count] strong", &count).await;
    assert_eq!(rows(c, "tbody tr").await, 50);
    let first = text_of(c, "tbody tr td a").await;
    click(c, "tbody tr form button").await;
    assert_eq!(
        text_of(c, ".flash").await,
        "已督促1个单位（发出0条站内通知）。"
    );
    let row = text_of(c, "tbody tr").await;
    assert!(row.contains(&first) && row.contains("1次"), "{row}");
    let mut seen = 50;
    while c.find(Locator::Css("a[rel=next]")).await.is_ok() {
        click(c, "a[rel=next]").await;
        wait_text(c, "[data-testid=reminder-count] strong", &count).await;
        let on_page = rows(c, "tbody tr").await;
        assert!(on_page <= 50 && on_page > 0);
        seen += on_page;
        if seen == 100 {
            screenshot(c, "reminders-second-page").await;
        }
    }
    assert_eq!(seen as i64, listed);

    // A surname that 1001 members share is counted to 1000.
    c.goto(&format!("{}/members", app.base)).await.unwrap();
    search(c, "钱").await;
    wait_text(c, "[data-testid=member-count] strong", "1000+").await;
    assert_eq!(rows(c, "table.members tbody tr").await, 50);
    screenshot(c, "members-search-capped").await;
    sign_out(c).await;

    // The leader reads the list, without the buttons.
    enter_as(c, &app, "leader").await;
    c.goto(&format!("{}/reminders", app.base)).await.unwrap();
    wait_text(c, "[data-testid=reminder-count] strong", &count).await;
    assert_eq!(rows(c, "tbody tr").await, 50);
    assert_eq!(rows(c, "form[action='/reminders/remind']").await, 0);
    click(c, "a[rel=next]").await;
    wait_text(c, "[data-testid=reminder-count] strong", &count).await;
    assert_eq!(rows(c, "tbody tr").await, 50);
    sign_out(c).await;
    browser.client.clone().close().await.unwrap();

    // A secretary, on a phone, is refused the list and searches the own members.
    let phone = crate::browser::browser(375, 812, true).await;
    let c = &phone.client;
    enter_as(c, &app, "secretary").await;
    c.goto(&format!("{}/reminders", app.base)).await.unwrap();
    assert_eq!(text_of(c, "h1").await, "没有权限");
    c.goto(&format!("{}/members", app.base)).await.unwrap();
    search(c, "钱").await;
    wait_text(c, "[data-testid=member-count] strong", "1000+").await;
    screenshot(c, "members-search-capped-secretary-375").await;
    phone.client.clone().close().await.unwrap();
}
