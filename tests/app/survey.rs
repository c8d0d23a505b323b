//! The survey import and the dashboard: the seed's figures computed from the sample
//! workbook (.xlsx and .xls), every fault of the errors sample, the workbook shapes offices
//! send, malformed files, all-or-nothing writes, and the summary API for each role.

use std::collections::{BTreeMap, BTreeSet};

use tuanjian::db::audit::Actor;
use tuanjian::db::survey::Summary;
use tuanjian::import::{Fault, ImportError};
use tuanjian::services::survey_import::{SurveyImport, import_survey};

use crate::helpers::TestApp;
use crate::workbooks::{self, Cell, ERRORS_EXPECTED, ERRORS_XLSX, SAMPLE_XLS, SAMPLE_XLSX};

pub fn actor() -> Actor {
    Actor::system("test", "local")
}

pub async fn import(app: &TestApp, bytes: &[u8]) -> Result<SurveyImport, ImportError> {
    import_survey(&app.db, bytes.to_vec(), None, &actor(), app.clock.now()).await
}

/// Imports the sample workbook and returns the id of its round, the seed's (as of
/// 2018-06-01).
pub async fn import_sample(app: &TestApp) -> i64 {
    let imported = import(app, SAMPLE_XLSX).await.unwrap();
    assert_eq!(imported.as_of.to_string(), "2018-06-01");
    imported.survey_id.0
}

/// The figures of the seed report (shared/seed), as the sample must reproduce them.
fn seed_figures(summary: &Summary) -> [i64; 11] {
    [
        summary.enterprises_operating,
        summary.enterprises_total,
        summary.departments,
        summary.communities,
        summary.members,
        summary.youth,
        summary.enterprises_with_members,
        summary.enterprises_with_organization,
        summary.departments_communities_approved,
        summary.departments_communities_pending,
        summary.eligible_without_organization,
    ]
}

const SEED: [i64; 11] = [399, 430, 16, 6, 1779, 12231, 26, 24, 11, 4, 12];

/// A digest of every table the import writes, to tell whether anything changed.
pub async fn fingerprint(app: &TestApp) -> String {
    let mut parts = Vec::new();
    for table in [
        "unit",
        "survey",
        "survey_entry",
        "organization",
        "formation_application",
        "formation_application_event",
    ] {
        let digest: String = sqlx::query_scalar(&format!(
            "select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) from {table} t"
        ))
        .fetch_one(&app.db)
        .await
        .unwrap();
        parts.push(format!("{table}:{digest}"));
    }
    parts.join(",")
}

fn faults(result: Result<SurveyImport, ImportError>) -> Vec<Fault> {
    match result {
        Err(ImportError::Faults(faults)) => faults,
        other => panic!("expected faults, got {other:?}"),
    }
}

fn unreadable(result: Result<SurveyImport, ImportError>) -> String {
    match result {
        Err(ImportError::Unreadable(message)) => message,
        other => panic!("expected an unreadable file, got {other:?}"),
    }
}

#[tokio::test]
async fn the_sample_gives_the_seed_figures_as_xlsx_and_as_xls() {
    for bytes in [SAMPLE_XLSX, SAMPLE_XLS] {
        let app = TestApp::spawn().await;
        let done = import(&app, bytes).await.unwrap();
        assert_eq!(done.rows, 452);
        assert_eq!(done.as_of.to_string(), "2018-06-01");
        assert_eq!(seed_figures(&done.summary), SEED);
    }
}

#[tokio::test]
async fn the_errors_sample_has_faults_on_exactly_its_nine_rows_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let before = fingerprint(&app).await;
    let found = faults(import(&app, ERRORS_XLSX).await);
    // The expected fault, in the file's English, and the words our message must use.
    let words = |fault: &str| -> &'static str {
        match fault {
            "check character wrong" => "校验位错误",
            "more league members than youth" => "多于青年职工数",
            "negative" => "不能为负数",
            "not a number" => "不是数字",
            "organisation marked present but unnamed" => "未填写名称",
            "unknown unit kind" => "未知的单位类型",
            "empty" => "不能为空",
            "not a phone number" => "不是有效的手机号或固定电话",
            f if f.starts_with("duplicate of row ") => "重复",
            other => panic!("unexpected fault in the .tsv: {other}"),
        }
    };
    let mut expected = BTreeMap::new();
    for line in ERRORS_EXPECTED.lines().filter(|l| !l.trim().is_empty()) {
        let parts: Vec<&str> = line.split('\t').collect();
        let row: u32 = parts[0].trim_start_matches("row ").parse().unwrap();
        expected.insert(row, (parts[1].to_string(), parts[2].to_string()));
    }
    assert_eq!(expected.len(), 9);
    let rows: BTreeSet<u32> = found.iter().map(|f| f.row).collect();
    assert_eq!(
        rows,
        expected.keys().copied().collect(),
        "faults on exactly the nine rows"
    );
    for (row, (column, fault)) in &expected {
        let matching = found
            .iter()
            .filter(|f| f.row == *row && &f.column == column && f.reason.contains(words(fault)))
            .count();
        assert_eq!(matching, 1, "row {row}: {column} {fault} in {found:#?}");
        if let Some(first) = fault.strip_prefix("duplicate of row ") {
            assert!(
                found
                    .iter()
                    .any(|f| f.row == *row && f.reason.contains(&format!("第{first}行")))
            );
        }
    }
    for fault in &found {
        let text = fault.to_string();
        assert!(
            text.starts_with(&format!("第{}行 {}：", fault.row, fault.column)),
            "{text}"
        );
    }
    assert_eq!(fingerprint(&app).await, before, "nothing written");
}

#[tokio::test]
async fn columns_in_another_order_and_extra_columns_import_the_same() {
    let app = TestApp::spawn().await;
    let done = import(&app, &workbooks::reordered_with_extra_column())
        .await
        .unwrap();
    assert_eq!(seed_figures(&done.summary), SEED);
}

#[tokio::test]
async fn numbers_as_text_full_width_digits_and_stray_spaces_mean_the_same() {
    let app = TestApp::spawn().await;
    let done = import(&app, &workbooks::numbers_as_text()).await.unwrap();
    assert_eq!(seed_figures(&done.summary), SEED);
    let code: Option<String> =
        sqlx::query_scalar("select credit_code from unit where name = '开发区自然资源局'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(code.as_deref(), Some("11652300123842961H"));
    let phone: Option<String> =
        sqlx::query_scalar("select contact_phone from unit where name = '开发区自然资源局'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(phone.as_deref(), Some("17646661608"));
}

#[tokio::test]
async fn importing_the_same_workbook_again_changes_nothing() {
    let app = TestApp::spawn().await;
    let first = import(&app, SAMPLE_XLSX).await.unwrap();
    assert!(first.changed > 0);
    let after_first = fingerprint(&app).await;
    let again = import(&app, SAMPLE_XLSX).await.unwrap();
    assert_eq!(again.changed, 0);
    let as_xls = import(&app, SAMPLE_XLS).await.unwrap();
    assert_eq!(as_xls.changed, 0, "the .xls holds the same data");
    assert_eq!(fingerprint(&app).await, after_first);
    assert_eq!(app.audit_count("survey.imported").await, 1);
}

#[tokio::test]
async fn the_import_creates_units_entries_organisations_and_applications() {
    let app = TestApp::spawn().await;
    let before_units: i64 = sqlx::query_scalar("select count(*) from unit")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let secretary_unit = app.unit_id(tuanjian::demo::SECRETARY_UNIT).await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let counts: (i64, i64, i64, i64) = sqlx::query_as(
        "select (select count(*) from unit), (select count(*) from survey_entry),
                (select count(*) from organization where unit_id is not null),
                (select count(*) from formation_application where state = 'submitted')",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    // The demo's two units existed by name and were matched, not duplicated.
    assert_eq!(before_units, 2);
    assert_eq!(counts, (452, 452, 35, 4));
    assert_eq!(
        app.unit_id(tuanjian::demo::SECRETARY_UNIT).await,
        secretary_unit
    );
    let (kind, name, approved): (String, String, Option<chrono::NaiveDate>) = sqlx::query_as(
        "select o.kind, o.name, o.approved_on from organization o join unit u using (unit_id)
          where u.name = '开发区自然资源局'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(
        (kind.as_str(), name.as_str()),
        ("团支部", "自然资源局团支部")
    );
    assert_eq!(approved.unwrap().to_string(), "2018-03-24");
    let history: i64 = sqlx::query_scalar(
        "select count(*) from formation_application_event where to_state = 'submitted'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(history, 4);
}

#[tokio::test]
async fn malformed_files_get_a_clear_chinese_message_and_no_panic() {
    let app = TestApp::spawn().await;
    let before = fingerprint(&app).await;
    assert!(
        unreadable(import(&app, b"this is not a workbook at all").await)
            .contains("不是Excel工作簿")
    );
    let truncated = &SAMPLE_XLSX[..SAMPLE_XLSX.len() / 2];
    assert!(unreadable(import(&app, truncated).await).contains("无法读取"));
    let truncated_xls = &SAMPLE_XLS[..SAMPLE_XLS.len() / 3];
    assert!(unreadable(import(&app, truncated_xls).await).contains("无法读取"));
    let empty_sheet = workbooks::xlsx(&[]);
    assert!(unreadable(import(&app, &empty_sheet).await).contains("空"));
    let mut random = vec![0u8; 40_000];
    let mut seed = 0x2545F4914F6CDD1Du64;
    for byte in random.iter_mut() {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        *byte = seed as u8;
    }
    assert!(unreadable(import(&app, &random).await).contains("不是Excel工作簿"));
    let mut random_zip = b"PK\x03\x04".to_vec();
    random_zip.extend_from_slice(&random);
    assert!(unreadable(import(&app, &random_zip).await).contains("无法读取"));
    let no_header = workbooks::xlsx(&[
        vec![Cell::Number(1.0), Cell::Number(2.0)],
        vec![Cell::Text("开发区财政局".into()), Cell::Number(3.0)],
    ]);
    assert!(unreadable(import(&app, &no_header).await).contains("找不到表头"));
    let missing_column = workbooks::xlsx(&[vec![
        Cell::Text("单位名称".into()),
        Cell::Text("单位类型".into()),
    ]]);
    assert!(unreadable(import(&app, &missing_column).await).contains("缺少必需的列"));
    let bomb = {
        use std::io::Write;
        let mut buffer = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut buffer);
        zip.start_file(
            "xl/worksheets/sheet1.xml",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        zip.write_all(&vec![b' '; 50 * 1024 * 1024]).unwrap();
        zip.finish().unwrap();
        buffer.into_inner()
    };
    assert!(bomb.len() < 2 * 1024 * 1024);
    assert!(unreadable(import(&app, &bomb).await).contains("疑似恶意文件"));
    assert_eq!(fingerprint(&app).await, before);
}

#[tokio::test]
async fn without_an_as_of_date_the_import_asks_for_one_and_as_of_overrides() {
    let app = TestApp::spawn().await;
    let mut sample = workbooks::grid(SAMPLE_XLSX);
    sample[1] = vec![Cell::Text("填报单位：开发区团工委".into())];
    let bytes = workbooks::xlsx(&sample);
    assert!(unreadable(import(&app, &bytes).await).contains("统计截止日期"));
    let day = chrono::NaiveDate::from_ymd_opt(2018, 12, 31).unwrap();
    let done = import_survey(&app.db, bytes, Some(day), &actor(), app.clock.now())
        .await
        .unwrap();
    assert_eq!(done.as_of, day);
}

#[tokio::test]
async fn a_failure_at_the_last_step_leaves_nothing_half_written() {
    let app = TestApp::spawn().await;
    let before = fingerprint(&app).await;
    // Make the very last write of the import fail, after every other table was written.
    sqlx::raw_sql(
        "create function fail_now() returns trigger language plpgsql as
           $$ begin raise exception 'simulated crash'; end; $$;
         create trigger fail_last before insert on formation_application_event
           for each row execute function fail_now();",
    )
    .execute(&app.db)
    .await
    .unwrap();
    let result = import(&app, SAMPLE_XLSX).await;
    assert!(
        matches!(result, Err(ImportError::Database(_))),
        "{result:?}"
    );
    assert_eq!(fingerprint(&app).await, before);
    assert_eq!(app.audit_count("survey.imported").await, 0);
}

#[tokio::test]
async fn a_locked_round_refuses_the_import() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    sqlx::query("update survey set locked = true")
        .execute(&app.db)
        .await
        .unwrap();
    let before = fingerprint(&app).await;
    let mut changed = workbooks::grid(SAMPLE_XLSX);
    changed[4][7] = Cell::Number(6.0);
    changed[456][7] = Cell::Number(1780.0);
    let result = import(&app, &workbooks::xlsx(&changed)).await;
    assert!(matches!(result, Err(ImportError::Locked(_))), "{result:?}");
    assert!(result.unwrap_err().to_string().contains("已锁定"));
    assert_eq!(fingerprint(&app).await, before);
    let direct = sqlx::query("update survey_entry set members = members + 1")
        .execute(&app.db)
        .await;
    assert!(
        direct.is_err(),
        "the database itself refuses changes to a locked round"
    );
}

#[tokio::test]
async fn a_wrong_total_row_is_one_more_fault_on_the_total_row() {
    let app = TestApp::spawn().await;
    let mut sample = workbooks::grid(SAMPLE_XLSX);
    let total = sample.len() - 2;
    sample[total][6] = Cell::Number(12000.0);
    let found = faults(import(&app, &workbooks::xlsx(&sample)).await);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].row as usize, total + 1);
    assert_eq!(found[0].column, "青年职工数");
    assert!(found[0].reason.contains("合计为12000"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_prints_each_fault_and_exits_1_then_imports_and_prints_totals() {
    let app = TestApp::spawn().await;
    let url = crate::cluster::url_of(&app.db);
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = |file: std::path::PathBuf, extra: Vec<&'static str>| {
        let url = url.clone();
        async move {
            tokio::task::spawn_blocking(move || {
                crate::cluster::binary()
                    .env("DATABASE_URL", url)
                    .args(["survey", "import"])
                    .arg(file)
                    .args(extra)
                    .output()
                    .unwrap()
            })
            .await
            .unwrap()
        }
    };
    let before = fingerprint(&app).await;
    let errors = run(data.join("tests/data/survey-2018-errors.xlsx"), vec![]).await;
    assert_eq!(errors.status.code(), Some(1));
    let stdout = String::from_utf8(errors.stdout).unwrap();
    let rows: BTreeSet<&str> = stdout
        .lines()
        .map(|l| l.split('行').next().unwrap().trim_start_matches('第'))
        .collect();
    assert_eq!(
        rows,
        BTreeSet::from(["30", "37", "49", "60", "62", "70", "82", "91", "113"])
    );
    assert!(
        stdout
            .lines()
            .all(|l| l.starts_with('第') && l.contains("：")),
        "{stdout}"
    );
    assert_eq!(fingerprint(&app).await, before);

    let ok = run(
        data.join("tests/data/survey-2018.xls"),
        vec!["--as-of", "2018-06-01"],
    )
    .await;
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let stdout = String::from_utf8(ok.stdout).unwrap();
    assert!(stdout.contains("实体运行企业\t399"), "{stdout}");
    assert!(stdout.contains("团员人数\t1779"));

    let missing = run(data.join("tests/data/no-such-file.xlsx"), vec![]).await;
    assert_eq!(missing.status.code(), Some(1));
}

#[test]
fn a_written_round_reads_back_as_the_same_rows() {
    let rows = tuanjian::generate::survey_rows(300, 11);
    let as_of = chrono::NaiveDate::from_ymd_opt(2019, 6, 1).unwrap();
    let bytes =
        tuanjian::export::survey::workbook("测试摸排统计表", "开发区团工委", as_of, &rows).unwrap();
    let sheet = tuanjian::import::survey::read(&bytes).unwrap();
    assert_eq!(sheet.as_of, Some(as_of));
    assert_eq!(sheet.title, "测试摸排统计表");
    assert_eq!(sheet.rows, rows);
}

#[test]
fn formula_like_text_is_guarded_in_the_export_and_read_back_unchanged() {
    let mut rows = tuanjian::generate::survey_rows(3, 5);
    rows[0].name = "=HYPERLINK(\"http://evil.example\")有限公司".into();
    rows[1].contact = Some("@管理员".into());
    rows[2].name = "-测试+公司".into();
    let as_of = chrono::NaiveDate::from_ymd_opt(2019, 6, 1).unwrap();
    let bytes = tuanjian::export::survey::workbook("测试", "开发区团工委", as_of, &rows).unwrap();
    let grid = workbooks::grid(&bytes);
    assert_eq!(
        grid[4][1],
        Cell::Text("'=HYPERLINK(\"http://evil.example\")有限公司".into())
    );
    assert_eq!(grid[5][13], Cell::Text("'@管理员".into()));
    let sheet = tuanjian::import::survey::read(&bytes).unwrap();
    assert_eq!(sheet.rows, rows);
}
