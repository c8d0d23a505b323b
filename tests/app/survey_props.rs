//! Property tests: random cell values in the survey layout never panic the reader, and an
//! import of them either writes everything or nothing.

use std::sync::LazyLock;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use tuanjian::import::{ImportError, survey};
use tuanjian::services::survey_import::import_survey;

use crate::helpers::TestApp;
use crate::survey::fingerprint;
use crate::workbooks::{self, Cell, SAMPLE_XLSX};

fn cell() -> impl Strategy<Value = Cell> {
    prop_oneof![
        Just(Cell::Empty),
        (-20i64..600).prop_map(|n| Cell::Number(n as f64)),
        any::<f64>().prop_map(Cell::Number),
        prop::sample::select(vec![
            "部门",
            "社区",
            "企业",
            "公司",
            "运行",
            "在建",
            "停产",
            "是",
            "否",
            "团支部",
            "团委",
            "已批复",
            "已申请",
            "未申请",
            "2018-03-24",
            "2018年6月1日",
            "１２",
            " 7 ",
            "-3",
            "十二",
            "13812345678",
            "1234",
            "11652300123842961H",
            "916523009843237760",
            "合计",
            "注：",
            "=SUM(A1:A3)",
            "\u{3000}",
            "",
        ])
        .prop_map(|s| Cell::Text(s.to_string())),
        "\\PC{0,12}".prop_map(Cell::Text),
    ]
}

/// The sample's title, date and header rows.
static HEADER: LazyLock<Vec<Vec<Cell>>> =
    LazyLock::new(|| workbooks::grid(SAMPLE_XLSX)[..4].to_vec());

/// The sample's title and header rows over random data rows, sometimes with a 合计 row.
fn workbook() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::collection::vec(prop::collection::vec(cell(), 16), 1..12),
        any::<bool>(),
    )
        .prop_map(|(rows, with_total)| {
            let mut grid: Vec<Vec<Cell>> = HEADER.clone();
            grid.extend(rows);
            if with_total {
                grid.push(vec![Cell::Text("合计".into()), Cell::Text("3家".into())]);
            }
            workbooks::xlsx(&grid)
        })
}

#[test]
fn random_cells_never_panic_the_reader() {
    let mut runner = TestRunner::new(Config {
        cases: 300,
        ..Config::default()
    });
    runner
        .run(&workbook(), |bytes| {
            let _ = survey::read(&bytes);
            Ok(())
        })
        .unwrap();
}

#[test]
fn random_cells_never_half_write() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let app = runtime.block_on(TestApp::spawn());
    let mut runner = TestRunner::new(Config {
        cases: 40,
        ..Config::default()
    });
    let actor = tuanjian::domain::actor::Actor::system("proptest", "local");
    runner
        .run(&workbook(), |bytes| {
            runtime.block_on(async {
                let before = fingerprint(&app).await;
                let result = import_survey(&app.db, bytes, None, &actor, app.clock.now()).await;
                let after = fingerprint(&app).await;
                match result {
                    Ok(done) => prop_assert_eq!(done.changed == 0, before == after),
                    Err(ImportError::Database(e)) => {
                        return Err(TestCaseError::fail(format!("a database error: {e}")));
                    }
                    Err(_) => prop_assert_eq!(before, after, "a refused workbook wrote something"),
                }
                Ok(())
            })
        })
        .unwrap();
}
