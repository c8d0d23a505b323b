//! Headless Chromium (Debian's chromium with chromedriver, driven by fantoccini): sign-in
//! and sign-out as each demo role, a failed sign-in with its Chinese message, and the
//! phone width. Screenshots go to target/screenshots/.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::helpers::{PASSWORD, TestApp};

pub(crate) struct Browser {
    pub(crate) client: Client,
    driver: Child,
    profile: PathBuf,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

fn chromium() -> &'static str {
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .into_iter()
    .find(|p| std::path::Path::new(p).exists())
    .expect("Chromium is not installed: `make test` installs chromium and chromium-driver")
}

/// A desktop window of this size, or with `phone` a 375 px wide phone screen (Chrome's
/// mobile emulation: a desktop window cannot be made that narrow).
pub(crate) async fn browser(width: u32, height: u32, phone: bool) -> Browser {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let driver = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver is not installed: `make test` installs chromium-driver");
    let profile = std::env::temp_dir().join(format!("tj-chromium-{}-{port}", std::process::id()));
    let mut options = json!({
            "binary": chromium(),
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--lang=zh-CN",
                format!("--window-size={width},{height}"),
                format!("--user-data-dir={}", profile.display()),
            ]
    });
    if phone {
        options["mobileEmulation"] =
            json!({"deviceMetrics": {"width": width, "height": height, "pixelRatio": 1.0}});
    }
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("goog:chromeOptions".into(), options);
    let deadline = Instant::now() + Duration::from_secs(30);
    let client = loop {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector)
            .capabilities(capabilities.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(client) => break client,
            Err(e) if Instant::now() < deadline => {
                let _ = e;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(e) => panic!("cannot start Chromium through chromedriver: {e}"),
        }
    };
    Browser {
        client,
        driver,
        profile,
    }
}

pub(crate) async fn screenshot(client: &Client, name: &str) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let png = client.screenshot().await.unwrap();
    std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
}

/// Signs in through the form and waits until the next page has loaded: another page on
/// success, the sign-in page with its message on failure.
pub(crate) async fn sign_in(client: &Client, base: &str, username: &str, password: &str) {
    client.goto(&format!("{base}/login")).await.unwrap();
    client
        .find(Locator::Id("username"))
        .await
        .unwrap()
        .send_keys(username)
        .await
        .unwrap();
    client
        .find(Locator::Id("password"))
        .await
        .unwrap()
        .send_keys(password)
        .await
        .unwrap();
    client
        .find(Locator::Id("login-submit"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let away = client
            .current_url()
            .await
            .is_ok_and(|u| u.path() != "/login");
        let refused = client.find(Locator::Id("login-error")).await.is_ok();
        if away || refused {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "signing in as {username} did not finish"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The element's text, waiting for it to appear; a page that replaces it meanwhile is
/// read again.
pub(crate) async fn text_of(client: &Client, css: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let element = client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"));
        match element.text().await {
            Ok(text) => return text,
            Err(e) if Instant::now() < deadline => {
                let _ = e;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => panic!("{css}: {e}"),
        }
    }
}

/// `bytes` in a temporary file for a file input, named `name` after this process and a
/// counter so that tests running side by side never share one.
pub(crate) fn file_of(name: &str, bytes: Vec<u8>) -> String {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let path = std::env::temp_dir().join(format!("tj-{}-{n}-{name}", std::process::id()));
    std::fs::write(&path, bytes).unwrap();
    path.to_str().unwrap().to_string()
}

/// Chooses `file` in the page's file input and submits the form `form` (a CSS selector).
pub(crate) async fn submit_file(c: &Client, form: &str, file: &str) {
    c.find(Locator::Id("file"))
        .await
        .unwrap()
        .send_keys(file)
        .await
        .unwrap();
    c.find(Locator::Css(&format!("{form} button[type=submit]")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_role_signs_in_and_out_in_chromium() {
    let app = TestApp::spawn().await;
    let browser = browser(1280, 900, false).await;
    let c = &browser.client;
    let homes = [
        ("committee", "/dashboard", "工作台 · 团员青年摸排"),
        ("leader", "/dashboard", "工作台 · 团员青年摸排"),
        ("secretary", "/units/", tuanjian::demo::SECRETARY_UNIT),
        ("secretary2", "/units/", tuanjian::demo::SECRETARY2_UNIT),
        ("admin", "/admin/accounts", "账户管理"),
    ];
    for (username, path, heading) in homes {
        sign_in(c, &app.base, username, PASSWORD).await;
        let who = text_of(c, "[data-testid=current-user]").await;
        assert!(!who.is_empty(), "{username} sees their name");
        let url = c.current_url().await.unwrap();
        assert!(url.path().starts_with(path), "{username} landed on {url}");
        assert_eq!(text_of(c, "main h1").await, heading, "{username}");
        let htmx: serde_json::Value = c
            .execute("return typeof window.htmx;", vec![])
            .await
            .unwrap();
        assert_eq!(htmx, "object", "htmx loads under the CSP");
        screenshot(c, &format!("home-{username}")).await;

        c.find(Locator::Id("logout"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let flash = text_of(c, ".flash-ok").await;
        assert_eq!(flash, "您已安全退出。");
        assert_eq!(c.current_url().await.unwrap().path(), "/login");
    }
    browser.client.clone().close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_sign_in_shows_the_chinese_message_at_phone_width() {
    let app = TestApp::spawn().await;
    let browser = browser(375, 812, true).await;
    let c = &browser.client;
    sign_in(c, &app.base, "secretary", "not-the-password").await;
    let message = text_of(c, "#login-error").await;
    assert_eq!(
        message,
        "用户名或密码错误。连续失败5次后账户将被锁定15分钟。"
    );
    let value = c
        .find(Locator::Id("username"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(value.as_deref(), Some("secretary"), "the username is kept");
    screenshot(c, "login-failed-375").await;

    sign_in(c, &app.base, "secretary", PASSWORD).await;
    text_of(c, "[data-testid=current-user]").await;
    let fits: serde_json::Value = c
        .execute(
            "return [window.innerWidth, document.documentElement.scrollWidth];",
            vec![],
        )
        .await
        .unwrap();
    let (inner, scroll) = (fits[0].as_i64().unwrap(), fits[1].as_i64().unwrap());
    assert!(inner <= 400, "a phone-sized viewport, got {inner}");
    assert!(
        scroll <= inner,
        "no sideways scrolling at phone width: {scroll} > {inner}"
    );
    screenshot(c, "secretary-home-375").await;

    // The menu folds away on a phone and opens on a tap.
    let nav_visible = c
        .find(Locator::Css("details.menu nav a"))
        .await
        .unwrap()
        .is_displayed()
        .await
        .unwrap();
    assert!(!nav_visible, "the menu starts folded at 375 px");
    c.find(Locator::Css("details.menu summary"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let nav_visible = c
        .find(Locator::Css("details.menu nav a"))
        .await
        .unwrap()
        .is_displayed()
        .await
        .unwrap();
    assert!(nav_visible);
    screenshot(c, "secretary-menu-375").await;
    browser.client.clone().close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_leader_sees_the_survey_figures_on_the_dashboard() {
    let app = TestApp::spawn().await;
    let done = crate::survey::import(&app, crate::workbooks::SAMPLE_XLSX)
        .await
        .unwrap();
    for (phone, name) in [(false, "dashboard-leader"), (true, "dashboard-leader-375")] {
        let browser = if phone {
            browser(375, 812, true).await
        } else {
            browser(1280, 1000, false).await
        };
        let c = &browser.client;
        sign_in(c, &app.base, "leader", PASSWORD).await;
        text_of(c, "[data-testid=figures]").await;
        assert_eq!(c.current_url().await.unwrap().path(), "/dashboard");
        for (key, label, value) in done.summary.figures() {
            let shown = text_of(c, &format!("[data-key={key}] .figure-value")).await;
            assert_eq!(shown, value.to_string(), "{label}");
            let caption = text_of(c, &format!("[data-key={key}] .figure-label")).await;
            assert_eq!(caption, label);
        }
        assert_eq!(
            text_of(c, "[data-key=member_ratio] .figure-value").await,
            "14.5%"
        );
        if phone {
            let widths: serde_json::Value = c
                .execute(
                    "return [window.innerWidth, document.documentElement.scrollWidth];",
                    vec![],
                )
                .await
                .unwrap();
            assert!(
                widths[1].as_i64() <= widths[0].as_i64(),
                "no sideways scrolling: {widths}"
            );
        }
        screenshot(c, name).await;
        browser.client.clone().close().await.unwrap();
    }
}

#[tokio::test]
async fn an_open_rounds_dashboard_shows_its_progress_and_carried_figures() {
    let app = TestApp::spawn().await;
    crate::survey::import(&app, crate::workbooks::SAMPLE_XLSX)
        .await
        .unwrap();
    crate::rounds::open_2019(&app).await;
    let browser = browser(1280, 1000, false).await;
    let c = &browser.client;
    sign_in(c, &app.base, "leader", PASSWORD).await;
    assert_eq!(
        text_of(c, "[data-testid=progress]").await,
        "已填报 0 / 共 452 个单位；其余 452 个单位尚未填报，标有沿用上轮数据的数字含其上一轮的数据。\
         本轮尚未锁定，建团、申请和单位情况按当前数据统计；锁定后按统计截止日期计算，不再变动。"
    );
    assert_eq!(
        text_of(c, "[data-key=members] .figure-carried").await,
        "沿用上轮数据"
    );
    screenshot(c, "dashboard-open-round").await;
    browser.client.clone().close().await.unwrap();
}

pub(crate) async fn wait_for_path(c: &Client, path: &str) {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let url = c.current_url().await.unwrap();
        if url.path() == path {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "still at {url}, waiting for {path}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_committee_uploads_a_faulty_then_a_clean_workbook_and_drills_down_from_the_dashboard() {
    let app = TestApp::spawn().await;
    let browser = browser(1280, 1000, false).await;
    let c = &browser.client;
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    sign_in(c, &app.base, "committee", PASSWORD).await;
    text_of(c, "[data-testid=current-user]").await;

    c.goto(&format!("{}/surveys/upload", app.base))
        .await
        .unwrap();
    let errors = data.join("tests/data/survey-2018-errors.xlsx");
    submit_file(c, "#upload-form", errors.to_str().unwrap()).await;
    let count = text_of(c, "[data-testid=fault-count]").await;
    assert!(count.contains("发现 10 处错误"), "{count}");
    let rows = c
        .find_all(Locator::Css("[data-testid=faults] tbody tr td:first-child"))
        .await
        .unwrap();
    let mut lines = Vec::new();
    for row in rows {
        lines.push(row.text().await.unwrap());
    }
    lines.dedup();
    assert_eq!(
        lines,
        ["30", "37", "49", "60", "62", "70", "82", "91", "113"]
    );
    screenshot(c, "upload-faults").await;

    c.goto(&format!("{}/surveys/upload", app.base))
        .await
        .unwrap();
    let sample = data.join("demo/survey-2018.xlsx");
    submit_file(c, "#upload-form", sample.to_str().unwrap()).await;
    let clean = text_of(c, "[data-testid=clean]").await;
    assert!(
        clean.contains("检查通过：工作表“摸排统计”，452 行"),
        "{clean}"
    );
    screenshot(c, "upload-preview").await;
    c.find(Locator::Id("commit"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.accept_alert().await.unwrap();
    wait_for_path(c, "/dashboard").await;
    let flash = text_of(c, ".flash-ok").await;
    assert!(flash.contains("已导入截止2018-06-01的摸排数据"), "{flash}");
    assert_eq!(text_of(c, "[data-key=members] .figure-value").await, "1779");
    c.wait()
        .at_most(Duration::from_secs(15))
        .for_element(Locator::Css("[data-charts][data-ready=true]"))
        .await
        .expect("the charts render");
    let canvases = c.find_all(Locator::Css(".chart canvas")).await.unwrap();
    assert!(canvases.len() >= 4, "four charts drawn");
    c.execute(
        "document.querySelector('.charts').scrollIntoView();",
        vec![],
    )
    .await
    .unwrap();
    screenshot(c, "dashboard-committee-charts").await;

    c.find(Locator::Css("a[data-key=eligible_without_organization]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_path(c, "/units").await;
    let matching = text_of(c, "[data-testid=matching] strong").await;
    assert_eq!(matching, "12");
    let listed = c
        .find_all(Locator::Css("table.units tbody tr"))
        .await
        .unwrap();
    assert_eq!(listed.len(), 12);
    screenshot(c, "units-eligible-missing").await;
    browser.client.clone().close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secretary_reports_figures_from_a_phone() {
    let app = TestApp::spawn().await;
    crate::survey::import(&app, crate::workbooks::SAMPLE_XLSX)
        .await
        .unwrap();
    let today = app.clock.today();
    sqlx::query("insert into survey (title, as_of, opens_on, closes_on) values ('2019年团员青年摸排', '2019-06-01', $1, $2)")
        .bind(today - chrono::Days::new(1))
        .bind(today + chrono::Days::new(10))
        .execute(&app.db)
        .await
        .unwrap();
    let browser = browser(375, 812, true).await;
    let c = &browser.client;
    sign_in(c, &app.base, "secretary", PASSWORD).await;
    c.find(Locator::LinkText("填报本单位摸排数据"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let form = c
        .wait()
        .for_element(Locator::Id("report-form"))
        .await
        .unwrap();
    for (field, value) in [("staff", "45"), ("youth", "20"), ("members", "25")] {
        let input = form.find(Locator::Id(field)).await.unwrap();
        input.clear().await.unwrap();
        input.send_keys(value).await.unwrap();
    }
    c.find(Locator::Css("#report-form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let error = text_of(c, ".flash-error").await;
    assert!(
        error.contains("团员数（25）多于青年职工数（20）"),
        "{error}"
    );
    screenshot(c, "secretary-report-error-375").await;
    let members = c.find(Locator::Id("members")).await.unwrap();
    members.clear().await.unwrap();
    members.send_keys("14").await.unwrap();
    screenshot(c, "secretary-report-375").await;
    c.find(Locator::Css("#report-form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let saved = text_of(c, ".flash-ok").await;
    assert_eq!(saved, "已保存本单位摸排数据，谢谢！");
    let widths: serde_json::Value = c
        .execute(
            "return [window.innerWidth, document.documentElement.scrollWidth];",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        widths[1].as_i64() <= widths[0].as_i64(),
        "no sideways scrolling: {widths}"
    );
    screenshot(c, "secretary-unit-375").await;
    browser.client.clone().close().await.unwrap();
}

/// Waits until the element shows `expected` (the page may still be navigating).
pub(crate) async fn wait_text(c: &Client, css: &str, expected: &str) {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Ok(element) = c.find(Locator::Css(css)).await
            && element.text().await.is_ok_and(|t| t == expected)
        {
            return;
        }
        assert!(Instant::now() < deadline, "{css} never showed {expected}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub(crate) async fn sign_out(c: &Client) {
    // At phone width the sign-out button sits in the header, outside the folded menu.
    c.find(Locator::Id("logout"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    text_of(c, ".flash-ok").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_phone_width_an_application_is_drafted_returned_resubmitted_and_approved() {
    let app = TestApp::spawn().await;
    crate::survey::import(&app, crate::workbooks::SAMPLE_XLSX)
        .await
        .unwrap();
    let browser = browser(375, 812, true).await;
    let c = &browser.client;
    let approved = "[data-key=departments_communities_approved] .figure-value";

    sign_in(c, &app.base, "committee", PASSWORD).await;
    let before: i64 = text_of(c, approved).await.parse().unwrap();
    sign_out(c).await;

    sign_in(c, &app.base, "secretary2", PASSWORD).await;
    text_of(c, "[data-testid=current-user]").await;
    c.find(Locator::LinkText("提交建团申请"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let name = c
        .wait()
        .for_element(Locator::Id("proposed_name"))
        .await
        .unwrap();
    assert_eq!(
        name.prop("value").await.unwrap().as_deref(),
        Some("生态环境局团支部")
    );
    c.find(Locator::Id("proposed_secretary"))
        .await
        .unwrap()
        .send_keys("黄英洋")
        .await
        .unwrap();
    screenshot(c, "application-form-375").await;
    c.find(Locator::Id("submit"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_text(c, ".flash-ok", "建团申请已提交，请等待团工委批复。").await;
    let page = c.current_url().await.unwrap();
    wait_text(c, "[data-testid=state]", "已提交，待批复").await;
    sign_out(c).await;

    sign_in(c, &app.base, "committee", PASSWORD).await;
    text_of(c, "[data-testid=current-user]").await;
    c.goto(page.as_str()).await.unwrap();
    c.wait()
        .for_element(Locator::Id("reason"))
        .await
        .unwrap()
        .send_keys("请补充拟任书记的政治面貌")
        .await
        .unwrap();
    c.find(Locator::Id("return"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_text(c, "[data-testid=state]", "已退回修改").await;
    sign_out(c).await;

    sign_in(c, &app.base, "secretary2", PASSWORD).await;
    text_of(c, "[data-testid=current-user]").await;
    c.goto(page.as_str()).await.unwrap();
    assert!(
        text_of(c, "dl.facts")
            .await
            .contains("请补充拟任书记的政治面貌")
    );
    screenshot(c, "application-returned-375").await;
    c.find(Locator::Id("submit"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_text(c, "[data-testid=state]", "已重新提交，待批复").await;
    sign_out(c).await;

    sign_in(c, &app.base, "committee", PASSWORD).await;
    text_of(c, "[data-testid=current-user]").await;
    c.goto(page.as_str()).await.unwrap();
    c.wait()
        .for_element(Locator::Id("approval_number"))
        .await
        .unwrap()
        .send_keys("开团工委〔2018〕15号")
        .await
        .unwrap();
    c.find(Locator::Id("approve"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.accept_alert().await.unwrap();
    wait_text(c, "[data-testid=state]", "已批复").await;
    screenshot(c, "application-approved-375").await;
    c.goto(&format!("{}/dashboard", app.base)).await.unwrap();
    let after: i64 = text_of(c, approved).await.parse().unwrap();
    assert_eq!(
        after,
        before + 1,
        "the dashboard's approved count rises by one"
    );

    c.goto(&format!("{}{}/reply", app.base, page.path()))
        .await
        .unwrap();
    assert!(
        text_of(c, "[data-testid=reply]")
            .await
            .contains("开团工委〔2018〕15号")
    );
    screenshot(c, "reply-375").await;
    browser.client.clone().close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_phone_width_a_secretary_adds_a_member_after_a_wrong_id() {
    let app = TestApp::spawn().await;
    crate::survey::import(&app, crate::workbooks::SAMPLE_XLSX)
        .await
        .unwrap();
    let org = crate::members::secretary_org(&app).await;
    let browser = browser(375, 812, true).await;
    let c = &browser.client;
    sign_in(c, &app.base, "secretary", PASSWORD).await;
    text_of(c, "[data-testid=current-user]").await;
    c.goto(&format!("{}/organizations/{org}/members/new", app.base))
        .await
        .unwrap();
    let fill = |id: &'static str| async move {
        let form = c
            .wait()
            .for_element(Locator::Id("member-form"))
            .await
            .unwrap();
        for (field, value) in [("name", "阿依古丽·买买提"), ("resident_id", id)] {
            let input = form.find(Locator::Id(field)).await.unwrap();
            input.clear().await.unwrap();
            input.send_keys(value).await.unwrap();
        }
        c.execute(
            "document.getElementById('sex').value = '女'; document.getElementById('joined_on').value = '2016-05';",
            vec![],
        )
        .await
        .unwrap();
        c.find(Locator::Id("save-member"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
    };
    fill("652301200103150121").await;
    let error = text_of(c, "#member-errors").await;
    assert!(error.contains("身份证号码：校验位错误"), "{error}");
    screenshot(c, "member-wrong-id-375").await;
    let right = tuanjian::domain::resident_id::ResidentId::compose(
        "652301",
        chrono::NaiveDate::from_ymd_opt(2001, 3, 15).unwrap(),
        122,
    )
    .unwrap();
    let right: &'static str = Box::leak(right.as_str().to_string().into_boxed_str());
    fill(right).await;
    wait_text(c, ".flash-ok", "已登记团员 阿依古丽·买买提。").await;
    let masked = text_of(c, "table.members code").await;
    assert_eq!(masked, format!("652301********{}", &right[14..]));
    screenshot(c, "member-roster-375").await;
    browser.client.clone().close().await.unwrap();
}
