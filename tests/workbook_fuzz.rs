//! Every reader against generated input (issue 15): workbooks of random cells around the
//! survey's and the roster's headers, workbooks with random bytes changed, and random cell
//! values through the cell parsers. No input may panic, abort or hold more than 150 MB, and
//! every refusal names a row and column or speaks of the whole file.
//!
//! `make test` runs 300 cases per property; `make fuzz` (which CI runs too) runs 4,000 per
//! property, 12,000 inputs in all (`PROPTEST_CASES`). A test binary of its own, so that the counting allocator sees these
//! reads alone.
// Builds its inputs with rust_xlsxwriter's raw writers: formula-like text is wanted here.
#![allow(clippy::disallowed_methods)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use calamine::Data;
use proptest::prelude::*;
use rust_xlsxwriter::Workbook;
use tuanjian::import::ImportError;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed to the system allocator unchanged; only sizes are counted.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The tests of this binary share the counter: one read at a time.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

const LIMIT: usize = 150 * 1024 * 1024;

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(300)
}

/// Header words both importers look for, and text that has broken importers before.
const WORDS: [&str; 24] = [
    "序号",
    "单位名称",
    "类别",
    "统一社会信用代码",
    "运行状态",
    "职工人数",
    "青年人数",
    "团员人数",
    "是否建立团组织",
    "团组织名称",
    "批复时间",
    "联系人",
    "联系电话",
    "姓名",
    "性别",
    "民族",
    "身份证号码",
    "入团年月",
    "学历",
    "政治面貌",
    "团内职务",
    "合计",
    "=1+1",
    "运行",
];

#[derive(Debug, Clone)]
enum Value {
    Text(String),
    Number(f64),
    Bool(bool),
}

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        proptest::sample::select(WORDS.to_vec()).prop_map(|w| Value::Text(w.to_string())),
        any::<String>().prop_map(Value::Text),
        "[0-9X\\-./年月日 ]{0,20}".prop_map(Value::Text),
        any::<f64>()
            .prop_filter("a number a sheet can hold", |f| f.is_finite())
            .prop_map(Value::Number),
        (0u32..80_000).prop_map(|n| Value::Number(f64::from(n))),
        any::<bool>().prop_map(Value::Bool),
    ]
}

/// A cell's place: mostly near the top left, now and then past the row caps or in any
/// column. (Rows down to 1,048,576 are tests/upload_memory.rs's: the writer takes a second
/// and a half to reach them.)
fn place() -> impl Strategy<Value = (u32, u16)> {
    prop_oneof![
        19 => (0u32..40, 0u16..20),
        1 => (0u32..30_000, 0u16..16_384),
    ]
}

fn workbook(cells: &[((u32, u16), Value)], hidden_first: bool) -> Vec<u8> {
    let mut book = Workbook::new();
    if hidden_first {
        let lists = book.add_worksheet();
        lists.write_string(0, 0, "下拉选项").unwrap();
        lists.set_hidden(true);
    }
    let sheet = book.add_worksheet();
    if hidden_first {
        sheet.set_active(true);
    }
    for ((row, column), value) in cells {
        let _ = match value {
            Value::Text(text) => sheet.write_string(*row, *column, text.as_str()),
            Value::Number(n) => sheet.write_number(*row, *column, *n),
            Value::Bool(b) => sheet.write_boolean(*row, *column, *b),
        };
    }
    book.save_to_buffer().unwrap()
}

/// Reads `bytes` with both importers and checks what they say and how much they hold.
fn read_both(bytes: &[u8]) -> Result<(), TestCaseError> {
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let roster = tuanjian::import::roster::read(bytes).err();
    let survey = tuanjian::import::survey::read(bytes).err();
    let peak = PEAK.load(Ordering::Relaxed).saturating_sub(before);
    prop_assert!(peak < LIMIT, "{} MB", peak >> 20);
    for refusal in [roster, survey].into_iter().flatten() {
        match refusal {
            ImportError::Unreadable(message) => prop_assert!(!message.is_empty()),
            ImportError::Faults(faults) => {
                prop_assert!(!faults.is_empty());
                for fault in faults {
                    prop_assert!(fault.row > 0 && !fault.column.is_empty(), "{fault:?}");
                    prop_assert!(!fault.reason.is_empty(), "{fault:?}");
                }
            }
            other => prop_assert!(false, "a reader answered {other:?}"),
        }
    }
    Ok(())
}

/// A small valid survey workbook whose bytes the mutations start from.
fn seed_workbook() -> Vec<u8> {
    let header = [
        "序号",
        "单位名称",
        "类别",
        "统一社会信用代码",
        "运行状态",
        "职工人数",
        "青年人数",
        "团员人数",
    ];
    let cells: Vec<((u32, u16), Value)> = header
        .iter()
        .enumerate()
        .map(|(c, w)| ((2, c as u16), Value::Text(w.to_string())))
        .chain([
            ((3, 0), Value::Number(1.0)),
            ((3, 1), Value::Text("某某公司".into())),
            ((3, 2), Value::Text("企业".into())),
            ((3, 6), Value::Number(12.0)),
            ((3, 7), Value::Number(3.0)),
        ])
        .collect();
    workbook(&cells, false)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn generated_workbooks_are_read_or_refused_with_a_place(
        cells in proptest::collection::vec((place(), value()), 0..60),
        hidden_first in any::<bool>(),
    ) {
        read_both(&workbook(&cells, hidden_first))?;
    }

    #[test]
    fn workbooks_with_changed_bytes_are_read_or_refused(
        changes in proptest::collection::vec((any::<proptest::sample::Index>(), any::<u8>()), 1..8),
    ) {
        let mut bytes = seed_workbook();
        for (at, byte) in changes {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        read_both(&bytes)?;
    }

    #[test]
    fn cell_parsers_answer_every_value(
        text in any::<String>(),
        number in any::<f64>(),
        int in any::<i64>(),
    ) {
        for cell in [Data::String(text), Data::Float(number), Data::Int(int), Data::Empty] {
            let _ = tuanjian::import::cell::text(&cell);
            let _ = tuanjian::import::cell::compact(&cell);
            if let Err(reason) = tuanjian::import::cell::count(&cell) {
                prop_assert!(!reason.is_empty());
            }
            if let Err(reason) = tuanjian::import::cell::date(&cell) {
                prop_assert!(!reason.is_empty());
            }
        }
    }
}
