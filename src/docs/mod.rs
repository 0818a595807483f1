//! Leak trees: spreadsheets, SQL dumps, documents, e-mails and archives, turned into tables
//! and text for the matcher. Ransomware gangs publish a copy of the victim's file shares, not
//! one tidy CSV; this stage reads what is in such a tree.
//!
//! This stage knows nothing of matching: [`detect`] names the kind of a file from its magic
//! bytes and name, [`extract`] turns one document into [`Unit`]s (tables with located rows,
//! or located text) and the documents inside it (archive members, e-mail attachments), which
//! the caller extracts in turn. SQL dumps are streamed by [`sql`], never held whole.

pub mod archive;
pub mod candidates;
pub mod mail;
pub mod office;
pub mod pdf;
pub mod sheet;
pub mod sql;
pub mod text;

use serde::{Deserialize, Serialize};

/// The kinds of document a leak tree holds, beyond the delimited and line formats of `dump`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    /// xlsx, xlsm, xlsb, xls or ods.
    Spreadsheet,
    /// `mysqldump` or `pg_dump` plain SQL.
    Sql,
    /// Word document (docx).
    Docx,
    /// OpenDocument text (odt).
    Odt,
    /// PDF (its text layer).
    Pdf,
    /// One e-mail (eml).
    Email,
    /// A mailbox of e-mails (mbox).
    Mbox,
    /// HTML page.
    Html,
    /// Plain text (letters, notes, logs).
    Text,
    /// zip archive.
    Zip,
    /// tar archive, plain or gzipped.
    Tar,
    /// 7-Zip archive.
    SevenZip,
    /// A kind that is recognised but cannot be searched (rar, images, old .doc).
    Unsearchable(Unsearchable),
}

/// Why a recognised file cannot be searched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unsearchable {
    /// A picture (png, jpeg, tiff...): needs OCR.
    Image,
    /// A rar archive.
    Rar,
    /// A Word 97-2003 .doc or other OLE document that is not a spreadsheet.
    OldOffice,
}

impl Unsearchable {
    /// The plain-English reason.
    pub fn reason(self) -> &'static str {
        match self {
            Unsearchable::Image => {
                "a picture with no text layer: it needs OCR (e.g. ocrmypdf or tesseract) before it can be searched"
            }
            Unsearchable::Rar => {
                "a RAR archive: unpack it (unrar x) and scan the folder; its contents were not searched"
            }
            Unsearchable::OldOffice => {
                "a Word 97-2003 (.doc) or other old Office file: save it as .docx or PDF and scan that"
            }
        }
    }
}

impl DocKind {
    /// A short name for outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Spreadsheet => "spreadsheet",
            DocKind::Sql => "sql_dump",
            DocKind::Docx => "docx",
            DocKind::Odt => "odt",
            DocKind::Pdf => "pdf",
            DocKind::Email => "email",
            DocKind::Mbox => "mbox",
            DocKind::Html => "html",
            DocKind::Text => "text",
            DocKind::Zip => "zip",
            DocKind::Tar => "tar",
            DocKind::SevenZip => "7z",
            DocKind::Unsearchable(Unsearchable::Image) => "picture",
            DocKind::Unsearchable(Unsearchable::Rar) => "rar_archive",
            DocKind::Unsearchable(Unsearchable::OldOffice) => "old_office_file",
        }
    }
}

/// Bytes needed by [`detect`].
pub const DETECT_BYTES: usize = 4096;

/// The kind of a file from its first bytes and its lower-cased name, or `None` for the
/// delimited, JSON-lines and combolist dumps that `dump` reads (and for text files that look
/// like such a table: the caller decides with [`text_is_table`]).
pub fn detect(name: &str, head: &[u8]) -> Option<DocKind> {
    let name = name.to_ascii_lowercase();
    let ext = |e: &[&str]| e.iter().any(|x| name.ends_with(x));
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        return Some(if ext(&[".xlsx", ".xlsm", ".xlsb", ".ods"]) {
            DocKind::Spreadsheet
        } else if ext(&[".docx", ".docm"]) {
            DocKind::Docx
        } else if ext(&[".odt"]) {
            DocKind::Odt
        } else {
            // Office files renamed, or a plain zip: [`archive::zip_kind`] looks inside.
            DocKind::Zip
        });
    }
    if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Some(if ext(&[".doc", ".ppt", ".msg"]) {
            DocKind::Unsearchable(Unsearchable::OldOffice)
        } else {
            DocKind::Spreadsheet
        });
    }
    if head.starts_with(b"%PDF") {
        return Some(DocKind::Pdf);
    }
    if head.starts_with(&[0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C]) {
        return Some(DocKind::SevenZip);
    }
    if head.starts_with(b"Rar!\x1a\x07") {
        return Some(DocKind::Unsearchable(Unsearchable::Rar));
    }
    let image = head.starts_with(&[0x89, b'P', b'N', b'G'])
        || head.starts_with(&[0xFF, 0xD8, 0xFF])
        || head.starts_with(b"GIF8")
        || head.starts_with(b"II*\0")
        || head.starts_with(b"MM\0*")
        || (head.starts_with(b"BM") && ext(&[".bmp"]))
        || (head.len() > 12 && &head[8..12] == b"WEBP");
    if image {
        return Some(DocKind::Unsearchable(Unsearchable::Image));
    }
    if head.starts_with(&[0x1f, 0x8b]) && ext(&[".tar.gz", ".tgz"]) {
        return Some(DocKind::Tar);
    }
    if head.len() > 262 && &head[257..262] == b"ustar" {
        return Some(DocKind::Tar);
    }
    if head.starts_with(&[0x1f, 0x8b]) && ext(&[".sql.gz"]) {
        return Some(DocKind::Sql);
    }
    if head.starts_with(&[0x1f, 0x8b]) || head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        // A compressed dump: `dump` reads it.
        return None;
    }
    let text = String::from_utf8_lossy(&head[..head.len().min(DETECT_BYTES)]);
    let start = text.trim_start_matches('\u{feff}').trim_start();
    let lower = start.to_ascii_lowercase();
    if ext(&[".sql"])
        || lower.starts_with("-- mysql dump")
        || lower.starts_with("-- mariadb dump")
        || lower.contains("postgresql database dump")
        || lower.starts_with("create table")
        || lower.starts_with("insert into")
    {
        return Some(DocKind::Sql);
    }
    if ext(&[".mbox"]) || (start.starts_with("From ") && lower.contains("\nsubject:")) {
        return Some(DocKind::Mbox);
    }
    let header_start = [
        "return-path:",
        "received:",
        "from:",
        "mime-version:",
        "message-id:",
        "delivered-to:",
        "date:",
        "to:",
        "subject:",
    ]
    .iter()
    .any(|h| lower.starts_with(h));
    if ext(&[".eml"]) || (header_start && lower.contains("subject:") && lower.contains("from:")) {
        return Some(DocKind::Email);
    }
    if ext(&[".html", ".htm", ".xhtml"])
        || lower.starts_with("<!doctype html")
        || lower.starts_with("<html")
    {
        return Some(DocKind::Html);
    }
    if ext(&[".txt", ".text", ".log", ".md", ".rtf", ".letter"]) || name.rsplit_once('.').is_none()
    {
        return Some(DocKind::Text);
    }
    None
}

/// The kind of a document as it will be read, or `None` for a dump that `dump` streams (and
/// for text that is empty, binary or UTF-16, which the dump path reports). `head` is the start
/// of the content (the whole of it, or at least [`crate::dump::sniff::SNIFF_BYTES`]); `zip`
/// opens the whole content when it is a zip, to tell an Office file from an archive. Used
/// for files on disk and for archive members alike, so both are read the same way.
pub fn resolve_kind<R: std::io::Read + std::io::Seek>(
    name: &str,
    head: &[u8],
    zip: impl FnOnce() -> Option<R>,
) -> Option<DocKind> {
    use crate::dump::sniff::{SNIFF_BYTES, sniff_bytes};
    match detect(name, head)? {
        DocKind::Text => {
            let lower = name.to_ascii_lowercase();
            let head = &head[..head.len().min(SNIFF_BYTES)];
            match sniff_bytes(head, &lower, crate::dump::Compression::None) {
                Ok(layout) if !text_is_table(&layout) => Some(DocKind::Text),
                _ => None,
            }
        }
        DocKind::Zip => Some(zip().and_then(archive::zip_kind).unwrap_or(DocKind::Zip)),
        k => Some(k),
    }
}

/// Whether a text file is really a table or a combolist (a `.txt` export), judged from how
/// `dump` sniffed it: several columns, at least one of them identifying.
pub fn text_is_table(layout: &crate::dump::Layout) -> bool {
    match layout.format {
        crate::dump::Format::Combolist
        | crate::dump::Format::JsonLines
        | crate::dump::Format::JsonDocument => true,
        crate::dump::Format::Delimited { delimiter, header } => {
            layout.columns.len() >= 2
                && delimiter != ' '
                && layout.has_identifying()
                && (header
                    || layout
                        .columns
                        .iter()
                        .filter(|c| c.role.is_identifying())
                        .count()
                        >= 2)
        }
    }
}

/// A table found in a document: a spreadsheet sheet or a database table.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Where: `sheet 'Tenants'`, `table tenants`.
    pub name: String,
    /// Column names (empty names are `column N`).
    pub header: Vec<String>,
    /// Row number of the header in the sheet (1-based), 0 when there is none.
    pub header_row: u64,
    /// Rows: `(row number in the sheet, or line in the file; values)`.
    pub rows: Vec<(u64, Vec<String>)>,
}

/// Text found in a document, with where it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TextBlock {
    /// Where: `page 2`, `paragraph 14`, `line 30`, `headers`.
    pub loc: String,
    /// The number in `loc` (page, paragraph or line), for the evidence's line column.
    pub number: u64,
    /// The text.
    pub text: String,
}

/// What one document holds.
#[derive(Debug, Default)]
pub struct Extracted {
    /// Tables.
    pub tables: Vec<Table>,
    /// Text blocks, in document order.
    pub text: Vec<TextBlock>,
    /// Documents inside this one: `(name, bytes)` (archive members, e-mail attachments).
    pub children: Vec<(String, Vec<u8>)>,
    /// Members that could not be searched: `(name, reason)` (encrypted, over the limit).
    pub unsearched_children: Vec<(String, String)>,
    /// Why the document itself could not be searched, when it could not (a scanned image PDF,
    /// an encrypted file); tables and text are then empty.
    pub not_searched: Option<String>,
    /// Notes for the reviewer (pages without text in a PDF that has text elsewhere...).
    pub notes: Vec<String>,
}

/// Errors reading a document.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct DocError(pub String);

impl DocError {
    /// An error from any displayable cause, with context.
    pub fn new(what: &str, e: impl std::fmt::Display) -> DocError {
        DocError(format!("{what}: {e}"))
    }
}

/// Limits for containers (zip bombs, deep nesting).
#[derive(Debug, Clone, Copy)]
pub struct ContainerLimits {
    /// Most bytes one member may decompress to.
    pub max_member: u64,
    /// Most bytes all members of one archive may decompress to.
    pub max_total: u64,
    /// Deepest nesting of containers.
    pub max_depth: usize,
    /// Most members read from one archive.
    pub max_members: usize,
}

impl Default for ContainerLimits {
    fn default() -> Self {
        ContainerLimits {
            max_member: 1 << 30,
            max_total: 4 << 30,
            max_depth: 8,
            max_members: 100_000,
        }
    }
}

/// Extracts one document held in memory. SQL dumps are better streamed with [`sql::parse`];
/// given here (an archive member), they are parsed from memory.
pub fn extract(kind: DocKind, bytes: &[u8], limits: &ContainerLimits) -> Extracted {
    // The format crates read hostile files; a panic in one of them must cost this file only.
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        extract_inner(kind, bytes, limits)
    }));
    caught.unwrap_or_else(|_| Extracted {
        not_searched: Some(format!(
            "the {} reader failed on this file (damaged or deliberately malformed?)",
            kind.as_str()
        )),
        ..Extracted::default()
    })
}

fn extract_inner(kind: DocKind, bytes: &[u8], limits: &ContainerLimits) -> Extracted {
    let result = match kind {
        DocKind::Spreadsheet => sheet::extract(bytes),
        DocKind::Sql => sql::extract(bytes),
        DocKind::Docx => office::docx(bytes),
        DocKind::Odt => office::odt(bytes),
        DocKind::Pdf => pdf::extract(bytes),
        DocKind::Email => mail::eml(bytes),
        DocKind::Mbox => mail::mbox(bytes),
        DocKind::Html => Ok(text::html(&decode_text(bytes))),
        DocKind::Text => Ok(text::plain(&decode_text(bytes))),
        DocKind::Zip => archive::zip(bytes, limits),
        DocKind::Tar => archive::tar(bytes, limits),
        DocKind::SevenZip => archive::seven_zip(bytes, limits),
        DocKind::Unsearchable(u) => Ok(Extracted {
            not_searched: Some(u.reason().to_string()),
            ..Extracted::default()
        }),
    };
    result.unwrap_or_else(|e| Extracted {
        not_searched: Some(format!("could not be read as {}: {e}", kind.as_str())),
        ..Extracted::default()
    })
}

/// Text bytes as a string: UTF-8 (BOM dropped), else Windows-1252.
pub fn decode_text(bytes: &[u8]) -> String {
    let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(b) {
        Ok(s) => s.to_string(),
        Err(_) => crate::tenants::decode_cell(b).into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A note of one line with a ':' in it is text, not a table whose header holds a name,
    /// an address and "Date of birth" (its values would become column names in the log).
    #[test]
    fn a_note_with_a_colon_is_text_not_a_table() {
        let note = "Visited  Seán Davies at 38 Vicarage Gardens, PE5 9LN. Date of birth checked: 16 March 1943. The tenant raised the damp in the back bedroom again.\n";
        let none = || None::<std::io::Cursor<&[u8]>>;
        assert_eq!(
            resolve_kind("notes_15.txt", note.as_bytes(), none),
            Some(DocKind::Text)
        );
        let note3 = "Spoke to Jo Bloggs, IP10 1NG. Date of birth checked: 6 May 1955. The tenant raised the damp, again.\n";
        assert_eq!(
            resolve_kind("notes_3.txt", note3.as_bytes(), none),
            Some(DocKind::Text)
        );
    }

    #[test]
    fn detects_kinds_by_magic_and_name() {
        assert_eq!(
            detect("a.xlsx", b"PK\x03\x04rest"),
            Some(DocKind::Spreadsheet)
        );
        assert_eq!(detect("a.docx", b"PK\x03\x04"), Some(DocKind::Docx));
        assert_eq!(detect("a.zip", b"PK\x03\x04"), Some(DocKind::Zip));
        assert_eq!(detect("x.pdf", b"%PDF-1.5\n"), Some(DocKind::Pdf));
        assert_eq!(
            detect("scan.jpg", &[0xFF, 0xD8, 0xFF, 0xE0]),
            Some(DocKind::Unsearchable(Unsearchable::Image))
        );
        assert_eq!(
            detect("a.7z", &[0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C, 0, 4]),
            Some(DocKind::SevenZip)
        );
        assert_eq!(detect("backup.sql", b"-- x"), Some(DocKind::Sql));
        assert_eq!(
            detect("dump", b"-- MySQL dump 10.13  Distrib 8.0.36\n"),
            Some(DocKind::Sql)
        );
        assert_eq!(
            detect(
                "msg",
                b"From: A <a@b.com>\nTo: c@d.com\nSubject: rent\n\nhi"
            ),
            Some(DocKind::Email)
        );
        assert_eq!(detect("p.HTM", b"<html>"), Some(DocKind::Html));
        assert_eq!(
            detect("notes.txt", b"Spoke to Mrs Smith"),
            Some(DocKind::Text)
        );
        // Dumps stay with `dump`.
        assert_eq!(detect("users.csv", b"email,name\n"), None);
        assert_eq!(detect("users.csv.gz", &[0x1f, 0x8b, 8, 0]), None);
        assert_eq!(detect("a.tar.gz", &[0x1f, 0x8b, 8, 0]), Some(DocKind::Tar));
        let mut tar = vec![0u8; 300];
        tar[257..262].copy_from_slice(b"ustar");
        assert_eq!(detect("t", &tar), Some(DocKind::Tar));
    }

    #[test]
    fn unsearchable_kinds_say_why() {
        let e = extract(
            DocKind::Unsearchable(Unsearchable::Image),
            b"",
            &ContainerLimits::default(),
        );
        assert!(e.not_searched.unwrap().contains("OCR"));
    }

    #[test]
    fn truncated_documents_never_crash_the_scan() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let _ = wb.add_worksheet().write_string(0, 0, "Surname");
        let xlsx = wb.save_to_buffer().unwrap();
        let pdf = pdf::write_simple(&[Some(vec!["Mary Smith".into()])]);
        let eml = mail::write_simple(
            "a@b.example",
            "c@d.example",
            "s",
            "body",
            &[("x.pdf", "application/pdf", &pdf)],
        );
        for (kind, doc) in [
            (DocKind::Spreadsheet, &xlsx),
            (DocKind::Pdf, &pdf),
            (DocKind::Email, &eml),
            (DocKind::Zip, &xlsx),
            (DocKind::Docx, &xlsx),
        ] {
            for cut in (0..doc.len()).step_by(doc.len() / 40 + 1) {
                let e = extract(kind, &doc[..cut], &ContainerLimits::default());
                // Either read (partly) or named as not searched, never a panic.
                let _ = (e.text.len(), e.not_searched);
            }
        }
    }

    #[test]
    fn a_broken_document_is_not_searched_with_the_reason() {
        let e = extract(
            DocKind::Docx,
            b"PK\x03\x04 broken",
            &ContainerLimits::default(),
        );
        assert!(
            e.not_searched
                .unwrap()
                .contains("could not be read as docx")
        );
    }
}
