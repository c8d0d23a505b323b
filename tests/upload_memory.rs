//! No upload can hold the server's memory (issue 15): a sheet with one value in A1 and one
//! in XFD1048576, and a workbook of a million short rows, are refused by both importers
//! while the memory allocated during the read stays under 150 MB. A test binary of its own,
//! so that the counting allocator sees this test alone.
// It builds its input workbooks with rust_xlsxwriter directly (see clippy.toml).
#![allow(clippy::disallowed_methods)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use rust_xlsxwriter::Workbook;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let live = LIVE.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

// SAFETY: every call is passed to the system allocator unchanged; only sizes are counted.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            grew(new_size);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const LIMIT: usize = 150 * 1024 * 1024;

/// The most memory allocated at once while `read` runs, above what was live before, and
/// the message it refused the file with.
fn peak_while<T: std::fmt::Debug>(read: impl FnOnce() -> T) -> (usize, String) {
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let result = read();
    let peak = PEAK.load(Ordering::Relaxed) - before;
    (peak, format!("{result:?}"))
}

fn far_cell() -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "姓名").unwrap();
    sheet.write_string(1_048_575, 16_383, "远").unwrap();
    book.save_to_buffer().unwrap()
}

fn million_rows() -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "姓名").unwrap();
    sheet.write_string(0, 1, "身份证号码").unwrap();
    for r in 1..=1_000_000u32 {
        sheet.write_number(r, 0, f64::from(r % 97)).unwrap();
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn no_workbook_makes_either_importer_hold_more_than_150_mb() {
    let far = far_cell();
    assert!(far.len() < 10 * 1024, "{} bytes", far.len());
    let many = million_rows();
    assert!(
        many.len() <= tuanjian::import::workbook::MAX_FILE_BYTES,
        "{} bytes",
        many.len()
    );
    for (what, bytes, roster, survey) in [
        ("far cell", &far, "单元格 XFD1048576", "单元格 XFD1048576"),
        (
            "a million rows",
            &many,
            "最多导入 10000 行",
            "最多导入 20000 行",
        ),
    ] {
        let (peak, refused) = peak_while(|| tuanjian::import::roster::read(bytes));
        assert!(refused.contains(roster), "roster, {what}: {refused}");
        assert!(peak < LIMIT, "roster, {what}: {} MB", peak >> 20);
        let (peak, refused) = peak_while(|| tuanjian::import::survey::read(bytes));
        assert!(refused.contains(survey), "survey, {what}: {refused}");
        assert!(peak < LIMIT, "survey, {what}: {} MB", peak >> 20);
        println!(
            "{what}: {} bytes, survey read peak {} KB",
            bytes.len(),
            peak >> 10
        );
    }
}
