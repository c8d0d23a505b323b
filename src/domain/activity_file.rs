//! Photos and documents of an activity (issue 16 item 1): which files are accepted —
//! recognised by their content, never by their names — how large they may be, and the
//! thumbnail a photo keeps for the activity page's grid.

use std::io::Cursor;

use image::{ImageFormat, ImageReader, Limits};

use super::stored::stored_as_code;

/// The largest photo, in bytes (10 MiB).
pub const PHOTO_LIMIT: usize = 10 * 1024 * 1024;
/// The largest document, in bytes (20 MiB, `config::MAX_UPLOAD_FILE_BYTES`).
pub const DOCUMENT_LIMIT: usize = 20 * 1024 * 1024;
/// A thumbnail's longest side, in pixels.
pub const THUMB_SIDE: u32 = 320;
/// The widest or tallest photo decoded, in pixels; larger ones are refused.
pub const MAX_SIDE: u32 = 12_000;
/// The most memory one decode may take, in bytes (256 MiB): a small file that unpacks to
/// an enormous picture (a decompression bomb) is refused instead of exhausting memory.
pub const MAX_DECODE_BYTES: u64 = 256 * 1024 * 1024;

/// A Word document's content type.
pub const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
/// An Excel workbook's content type.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The refusal of a file whose content is none of the accepted types.
pub const WRONG_TYPE: &str = "只能上传 JPG、PNG 图片或 PDF、Word、Excel 文件";
/// The refusal of a picture that cannot be decoded within the limits.
pub const UNREADABLE_PHOTO: &str = "这张图片无法读取或尺寸过大，请换一张照片";

/// A photo or a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Photo,
    Document,
}

impl Kind {
    pub const ALL: [Kind; 2] = [Kind::Photo, Kind::Document];

    pub fn code(self) -> &'static str {
        match self {
            Kind::Photo => "photo",
            Kind::Document => "document",
        }
    }

    /// The largest file of this kind, in bytes.
    pub fn limit(self) -> usize {
        match self {
            Kind::Photo => PHOTO_LIMIT,
            Kind::Document => DOCUMENT_LIMIT,
        }
    }

    /// The refusal of a file over `limit()`: “照片不能超过 10 MB”.
    pub fn too_large(self) -> String {
        let noun = match self {
            Kind::Photo => "照片",
            Kind::Document => "文件",
        };
        format!("{noun}不能超过 {} MB", self.limit() / (1024 * 1024))
    }
}

stored_as_code!(Kind);

/// An accepted file's kind and content type, from its first bytes (and, for the Office
/// formats, which are ZIP archives, the part that names them); `None` for anything else.
pub fn recognise(bytes: &[u8]) -> Option<(Kind, &'static str)> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some((Kind::Photo, "image/png"))
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some((Kind::Photo, "image/jpeg"))
    } else if bytes.starts_with(b"%PDF-") {
        Some((Kind::Document, "application/pdf"))
    } else if bytes.starts_with(b"PK\x03\x04") {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
        if zip.by_name("word/document.xml").is_ok() {
            Some((Kind::Document, DOCX))
        } else if zip.by_name("xl/workbook.xml").is_ok() {
            Some((Kind::Document, XLSX))
        } else {
            None
        }
    } else {
        None
    }
}

/// A photo's thumbnail: a JPEG whose longest side is at most `THUMB_SIDE` pixels, the
/// aspect kept. `None` when the picture cannot be decoded, or is larger than `MAX_SIDE`
/// or `MAX_DECODE_BYTES` allow.
pub fn thumbnail(bytes: &[u8], content_type: &str) -> Option<Vec<u8>> {
    let format = match content_type {
        "image/png" => ImageFormat::Png,
        "image/jpeg" => ImageFormat::Jpeg,
        _ => return None,
    };
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits);
    let picture = reader.decode().ok()?;
    let small = picture.thumbnail(THUMB_SIDE, THUMB_SIDE).to_rgb8();
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80)
        .encode_image(&small)
        .ok()?;
    Some(out)
}

/// A size as the page shows it: “356 KB”, “2.4 MB”.
pub fn size_text(bytes: i64) -> String {
    if bytes < 1024 * 1024 {
        format!("{} KB", (bytes + 1023) / 1024)
    } else {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let mut out = Vec::new();
        image::RgbImage::from_pixel(width, height, image::Rgb([200, 30, 30]))
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn files_are_recognised_by_content() {
        assert_eq!(recognise(&png(2, 2)), Some((Kind::Photo, "image/png")));
        assert_eq!(
            recognise(b"%PDF-1.7\n"),
            Some((Kind::Document, "application/pdf"))
        );
        assert_eq!(recognise(b"hello, this is text"), None);
        assert_eq!(recognise(b"PK\x03\x04not a zip"), None);
        let mut book = rust_xlsxwriter::Workbook::new();
        book.add_worksheet();
        let xlsx = book.save_to_buffer().unwrap();
        assert_eq!(recognise(&xlsx), Some((Kind::Document, XLSX)));
    }

    #[test]
    fn thumbnails_keep_the_aspect_within_the_side() {
        let thumb = thumbnail(&png(800, 400), "image/png").unwrap();
        let small = image::load_from_memory(&thumb).unwrap();
        assert_eq!(
            (small.width(), small.height()),
            (THUMB_SIDE, THUMB_SIDE / 2)
        );
        assert!(thumbnail(b"\x89PNG\r\n\x1a\nbroken", "image/png").is_none());
        // Wider than MAX_SIDE: refused before the pixels are allocated.
        assert!(thumbnail(&png(MAX_SIDE + 1, 1), "image/png").is_none());
    }

    #[test]
    fn sizes_read_as_people_say_them() {
        assert_eq!(size_text(2000), "2 KB");
        assert_eq!(size_text(2_621_440), "2.5 MB");
        assert_eq!(Kind::Photo.too_large(), "照片不能超过 10 MB");
    }
}
