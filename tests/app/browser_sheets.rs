//! Choosing the worksheet in the browser (issue 15): a secretary at phone width uploads a
//! roster with a sheet per branch, is asked which to import and imports it; the committee
//! previews a survey workbook with two rounds' sheets and switches to the second.

use fantoccini::Locator;

use crate::browser::{browser, file_of, screenshot, sign_in, submit_file, text_of, wait_text};
use crate::helpers::{PASSWORD, TestApp};
use crate::workbook_bounds::{two_branch_roster, two_rounds_in_one_workbook};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secretary_chooses_the_roster_sheet_at_phone_width() {
    let app = TestApp::spawn().await;
    crate::survey::import(&app, crate::workbooks::SAMPLE_XLSX)
        .await
        .unwrap();
    let org = crate::members::secretary_org(&app).await;
    let file = file_of("two-branches.xlsx", two_branch_roster());
    let browser = browser(375, 812, true).await;
    let c = &browser.client;
    sign_in(c, &app.base, "secretary", PASSWORD).await;
    text_of(c, "[data-testid=current-user]").await;
    c.goto(&format!("{}/organizations/{org}/members/import", app.base))
        .await
        .unwrap();
    submit_file(c, "#import-form", &file).await;
    let said = text_of(c, "#import-error").await;
    assert!(said.contains("一支部、二支部"), "{said}");
    screenshot(c, "roster-choose-sheet-375").await;
    c.find(Locator::Css("#sheet option[value='二支部']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    submit_file(c, "#import-form", &file).await;
    wait_text(
        c,
        ".flash-ok",
        "已从名册导入 1 名团员。（读取的工作表：二支部）",
    )
    .await;
    browser.client.clone().close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_committee_switches_the_survey_preview_to_another_sheet() {
    let app = TestApp::spawn().await;
    let file = file_of("two-rounds.xlsx", two_rounds_in_one_workbook());
    let browser = browser(1280, 1000, false).await;
    let c = &browser.client;
    sign_in(c, &app.base, "committee", PASSWORD).await;
    text_of(c, "[data-testid=current-user]").await;
    c.goto(&format!("{}/surveys/upload", app.base))
        .await
        .unwrap();
    submit_file(c, "#upload-form", &file).await;
    let sheets = text_of(c, "[data-testid=sheets]").await;
    assert!(sheets.contains("当前读取“上半年”"), "{sheets}");
    c.find(Locator::LinkText("下半年"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_text(
        c,
        "[data-testid=clean]",
        "检查通过：工作表“下半年”，452 行，统计截止 2018-12-01。将新建该轮次。",
    )
    .await;
    screenshot(c, "survey-preview-other-sheet").await;
    browser.client.clone().close().await.unwrap();
}
