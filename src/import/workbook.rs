//! Opening a workbook from bytes: .xlsx (a zip) or .xls (a compound file), refusing files
//! that are too large or decompress to far more than they weigh before any parsing.

use std::io::{Cursor, Read, Seek};

use calamine::{Data, Range};

use super::ImportError;
use super::sheet::Sheet;

/// The largest upload accepted.
pub const MAX_FILE_BYTES: usize = crate::config::MAX_UPLOAD_FILE_BYTES;
/// The most an .xlsx may unpack to, in all.
const MAX_UNPACKED_BYTES: u64 = 200 * 1024 * 1024;
/// No real workbook part compresses better than this.
const MAX_RATIO: u64 = 200;
const MAX_ENTRIES: usize = 10_000;

fn unreadable(message: impl Into<String>) -> ImportError {
    ImportError::Unreadable(message.into())
}

/// The worksheet to import from the workbook in `bytes`: `wanted`, or the first visible
/// one `accept` takes (see `sheet::read`), with at most `max_rows` rows of data. Refused with a message
/// for a file that is empty, too large, not a workbook, a zip bomb, or whose sheet reaches
/// beyond the bounds.
pub fn sheet(
    bytes: &[u8],
    max_rows: u32,
    wanted: Option<&str>,
    accept: impl Fn(&Range<Data>) -> bool,
) -> Result<Sheet, ImportError> {
    check(bytes)?;
    super::sheet::read(bytes, max_rows, wanted, accept)
}

/// The checks made before any parsing: size, kind of file, zip bombs.
fn check(bytes: &[u8]) -> Result<(), ImportError> {
    if bytes.is_empty() {
        return Err(unreadable("文件是空的"));
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(unreadable(format!(
            "文件过大（{:.1} MB），最大允许 {} MB",
            bytes.len() as f64 / 1048576.0,
            MAX_FILE_BYTES / 1048576
        )));
    }
    let is_zip = bytes.starts_with(b"PK\x03\x04");
    let is_cfb = bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    if !is_zip && !is_cfb {
        return Err(unreadable("文件不是Excel工作簿（应为 .xlsx 或 .xls 格式）"));
    }
    if is_zip {
        check_zip(Cursor::new(bytes))?;
    }
    Ok(())
}

/// Refuses zip bombs by the sizes the archive declares, and checks that the declared
/// sizes are not lies for the parts a workbook reader will inflate.
fn check_zip<R: Read + Seek>(reader: R) -> Result<(), ImportError> {
    let bomb = || unreadable("文件的压缩结构异常（解压后体积过大），疑似恶意文件，已拒绝");
    let mut archive = zip::ZipArchive::new(reader)
        .map_err(|_| unreadable("无法读取工作簿：文件已损坏或不完整"))?;
    if archive.len() > MAX_ENTRIES {
        return Err(bomb());
    }
    let mut total = 0u64;
    for i in 0..archive.len() {
        let entry = archive
            .by_index_raw(i)
            .map_err(|_| unreadable("无法读取工作簿：文件已损坏或不完整"))?;
        let (packed, unpacked) = (entry.compressed_size(), entry.size());
        total = total.saturating_add(unpacked);
        if total > MAX_UNPACKED_BYTES || unpacked > packed.max(1).saturating_mul(MAX_RATIO) {
            return Err(bomb());
        }
    }
    // Inflate each part with a cap, in case the directory understates the sizes.
    for i in 0..archive.len() {
        let mut entry = archive
            .by_index(i)
            .map_err(|_| unreadable("无法读取工作簿：文件已损坏或不完整"))?;
        let declared = entry.size();
        let mut sink = std::io::sink();
        let read = std::io::copy(&mut (&mut entry).take(declared + 1), &mut sink)
            .map_err(|_| unreadable("无法读取工作簿：文件已损坏或不完整"))?;
        if read > declared {
            return Err(bomb());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(name: &str, content: &[u8]) -> Vec<u8> {
        let mut buffer = Cursor::new(Vec::new());
        let mut writer = zip::ZipWriter::new(&mut buffer);
        writer
            .start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        writer.write_all(content).unwrap();
        writer.finish().unwrap();
        buffer.into_inner()
    }

    fn first_sheet(bytes: &[u8]) -> Result<Sheet, ImportError> {
        sheet(bytes, 100, None, |_| true)
    }

    fn message(result: Result<Sheet, ImportError>) -> String {
        match result {
            Err(ImportError::Unreadable(m)) => m,
            other => panic!("expected an unreadable file, got {other:?}"),
        }
    }

    #[test]
    fn a_zip_bomb_is_refused_before_parsing() {
        let bomb = zip_of("xl/worksheets/sheet1.xml", &vec![b'0'; 50 * 1024 * 1024]);
        assert!(bomb.len() < 200 * 1024);
        assert!(message(first_sheet(&bomb)).contains("疑似恶意文件"));
    }

    #[test]
    fn files_that_are_not_workbooks_get_clear_messages() {
        assert!(message(first_sheet(b"")).contains("空"));
        assert!(message(first_sheet(b"hello, world")).contains("不是Excel工作簿"));
        assert!(
            message(first_sheet(&zip_of("readme.txt", b"not a workbook"))).contains("无法读取")
        );
        let huge = vec![0u8; MAX_FILE_BYTES + 1];
        assert!(message(first_sheet(&huge)).contains("文件过大"));
    }
}
