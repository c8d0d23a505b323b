//! The work summary in the official-document layout (GB/T 9704-2012, issue 17 item 5): the
//! .docx opens in LibreOffice, converts to a PDF and re-opens with every paragraph; the
//! leader prints the page from Chromium onto A4 pages numbered "— N —".

use std::path::{Path, PathBuf};
use std::process::Command;

use fantoccini::Locator;
use fantoccini::wd::{PrintConfiguration, PrintMargins, PrintSize};
use serde_json::Value;

use crate::browser::{browser, screenshot, sign_in, text_of, wait_for_path};
use crate::helpers::{PASSWORD, TestApp};
use crate::survey::import_sample;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tuanjian-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs LibreOffice headless on `file`, converting it to `to` (`pdf`, `txt:Text`) in
/// `dir`, with a profile of its own so that tests do not share one.
fn soffice(dir: &Path, file: &Path, to: &str) {
    let profile = format!("file://{}", dir.join("profile").display());
    let out = Command::new("soffice")
        .arg(format!("-env:UserInstallation={profile}"))
        .args(["--headless", "--norestore", "--convert-to", to, "--outdir"])
        .arg(dir)
        .arg(file)
        .output()
        .expect("LibreOffice (soffice) is installed by scripts/install-deps test");
    assert!(
        out.status.success(),
        "soffice: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn pdftotext(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by scripts/install-deps test");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

/// Every paragraph of the report as the API answers it: title, section headings, items.
fn paragraphs(report: &Value) -> Vec<String> {
    let mut all = vec![report["title"].as_str().unwrap().to_string()];
    for section in report["sections"].as_array().unwrap() {
        all.push(format!(
            "{}、{}",
            section["number"].as_str().unwrap(),
            section["heading"].as_str().unwrap()
        ));
        for item in section["items"].as_array().unwrap() {
            all.push(format!(
                "{}{}。{}",
                item["number"].as_str().unwrap(),
                item["heading"].as_str().unwrap(),
                item["text"].as_str().unwrap()
            ));
        }
    }
    all
}

/// Text without the spaces and line breaks a layout puts in.
fn squeezed(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{feff}')
        .collect()
}

#[tokio::test]
async fn the_docx_opens_in_libreoffice_as_a_pdf_and_reopens_with_every_paragraph() {
    let app = TestApp::spawn().await;
    import_sample(&app).await;
    let committee = app.signed_in("committee").await;
    let org = app.committee_org().await;
    committee
        .post_form(
            "/activities",
            &[
                ("organization_id", &org),
                ("kind", "volunteer"),
                ("title", "青年环保行，助力环塔赛"),
                ("starts_at", "2018-06-09T09:00"),
                ("ends_at", "2018-06-09T18:30"),
            ],
        )
        .await;
    let leader = app.signed_in("leader").await;
    let response = leader
        .get("/reports/work-summary.docx?period=2018H1&survey=")
        .await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("work-summary.docx")
    );
    let bytes = response.bytes().await.unwrap();
    let report: Value = leader
        .get("/api/v1/reports/work-summary?period=2018H1")
        .await
        .json()
        .await
        .unwrap();

    let dir = scratch("report-docx");
    let docx = dir.join("report.docx");
    std::fs::write(&docx, &bytes).unwrap();
    soffice(&dir, &docx, "pdf");
    let pdf = dir.join("report.pdf");
    let printed = squeezed(&pdftotext(&pdf));
    soffice(&dir, &docx, "txt:Text");
    let reopened = std::fs::read_to_string(dir.join("report.txt")).unwrap();
    let lines: Vec<String> = reopened.lines().map(squeezed).collect();
    for paragraph in paragraphs(&report) {
        let paragraph = squeezed(&paragraph);
        assert!(lines.contains(&paragraph), "not re-opened: {paragraph}");
        assert!(printed.contains(&paragraph), "not in the PDF: {paragraph}");
    }
    assert!(printed.contains("—1—"), "the first page's number");
    let info = Command::new("pdfinfo").arg(&pdf).output().unwrap();
    let info = String::from_utf8(info.stdout).unwrap();
    assert!(info.contains("595.") && info.contains("841."), "A4: {info}");
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_leader_prints_the_report_on_numbered_a4_pages() {
    let app = TestApp::spawn().await;
    import_sample(&app).await;
    let desk = browser(1280, 900, false).await;
    let c = &desk.client;
    sign_in(c, &app.base, "leader", PASSWORD).await;
    c.goto(&format!("{}/reports", app.base)).await.unwrap();
    c.execute(
        "document.getElementById('period').value = '2018H1';",
        vec![],
    )
    .await
    .unwrap();
    c.find(Locator::Css("[data-testid=choose-report] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_path(c, "/reports/work-summary").await;
    let shown = text_of(c, "[data-testid=work-summary]").await;
    assert!(shown.contains("一、2018年上半年工作开展情况"), "{shown}");
    assert!(shown.contains("实体运行企业399家"));
    screenshot(c, "report-leader").await;

    let a4 = PrintConfiguration::builder()
        .size(PrintSize::A4)
        .margins(PrintMargins {
            top: 0.0,
            bottom: 0.0,
            left: 0.0,
            right: 0.0,
        })
        .build()
        .unwrap();
    let pdf = c.print(a4).await.unwrap();
    let dir = scratch("report-print");
    let file = dir.join("report.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let text = pdftotext(&file);
    let flat = squeezed(&text);
    assert!(flat.contains("2018年上半年工作开展情况"));
    assert!(flat.contains("—1—"), "page numbers: {text}");
    assert!(
        !flat.contains("选择其他期间") && !flat.contains("打印"),
        "no controls"
    );
    let out = Command::new("pdftoppm")
        .args(["-png", "-r", "50", "-f", "1", "-l", "1"])
        .arg(&file)
        .arg(dir.join("page"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let shots = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "png") {
            std::fs::copy(&path, shots.join("report-print-page1.png")).unwrap();
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reply_prints_on_the_same_numbered_a4_page() {
    let app = TestApp::spawn().await;
    import_sample(&app).await;
    let unit = app.unit_id(tuanjian::demo::SECRETARY_UNIT).await;
    let id: i64 = sqlx::query_scalar(
        "insert into formation_application (unit_id, state, proposed_name, proposed_kind, member_count,
                                            youth_count, submitted_at, decided_at, approval_number, approved_on)
         values ($1, 'approved', '社会事业局团支部', '团支部', 13, 25, now(), now(), '开团工委〔2018〕12号', '2018-07-10')
         returning formation_application_id",
    )
    .bind(unit)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let desk = browser(1280, 900, false).await;
    let c = &desk.client;
    sign_in(c, &app.base, "committee", PASSWORD).await;
    c.goto(&format!("{}/applications/{id}/reply", app.base))
        .await
        .unwrap();
    let shown = text_of(c, "[data-testid=reply]").await;
    assert!(shown.contains("开团工委〔2018〕12号"), "{shown}");
    let pdf = c
        .print(
            PrintConfiguration::builder()
                .size(PrintSize::A4)
                .margins(PrintMargins {
                    top: 0.0,
                    bottom: 0.0,
                    left: 0.0,
                    right: 0.0,
                })
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    let dir = scratch("reply-print");
    let file = dir.join("reply.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let flat = squeezed(&pdftotext(&file));
    assert!(
        flat.contains("开团工委〔2018〕12号") && flat.contains("—1—"),
        "{flat}"
    );
    let info = Command::new("pdfinfo").arg(&file).output().unwrap();
    let info = String::from_utf8(info.stdout).unwrap();
    assert!(info.contains("595.") && info.contains("841."), "A4: {info}");
    let out = Command::new("pdftoppm")
        .args(["-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile"])
        .arg(&file)
        .arg(dir.join("page"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let shots = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    std::fs::copy(dir.join("page.png"), shots.join("reply-print-page1.png")).unwrap();
    std::fs::remove_dir_all(&dir).ok();
}
