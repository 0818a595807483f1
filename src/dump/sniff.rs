//! Sniffing a dump: compression (magic bytes), format, delimiter, header and column roles.
//!
//! Everything is decided from the first [`SNIFF_BYTES`] of decompressed content and recorded
//! in a [`Layout`], which the manifest keeps so a reviewer can see how each file was read.

use crate::dump::sensitive::{self, Category};
use crate::roles::{ContentProfile, Role, roles_from_content};
use serde::{Deserialize, Serialize};
use std::io::Read;
use std::path::{Path, PathBuf};

/// How much decompressed content sniffing looks at.
pub const SNIFF_BYTES: usize = 256 * 1024;
/// How many rows sniffing profiles.
pub const SNIFF_ROWS: usize = 500;

/// Compression of a file, from its magic bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Compression {
    /// Plain.
    None,
    /// gzip (multi-member files read whole).
    Gzip,
    /// Zstandard.
    Zstd,
}

impl Compression {
    /// The compression's name ("gzip", "zstd"), or `None` for a plain file.
    pub fn name(self) -> Option<&'static str> {
        match self {
            Compression::None => None,
            Compression::Gzip => Some("gzip"),
            Compression::Zstd => Some("zstd"),
        }
    }
}

/// The format of a dump.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Format {
    /// Delimited text (CSV, TSV, ...).
    Delimited {
        /// The delimiter as a character.
        delimiter: char,
        /// Whether the first row is a header.
        header: bool,
    },
    /// One JSON object per line (nested objects flattened to dotted paths).
    JsonLines,
    /// A JSON document: an array of records (`[{...}, {...}]`, often over many lines), the
    /// records of API responses (`{"count": 2, "results": [{...}, {...}]}`, maybe one a line),
    /// or objects over several lines one after another; each record is read like a JSON line
    /// (see [`crate::dump::json_doc`]).
    JsonDocument,
    /// `email:password`, `email;password`, `email|password`, `email<TAB>password`,
    /// `user:email:password` lines, maybe after a URL (`https://site.example/login:...`).
    Combolist,
}

/// A column and the role chosen for it, with the evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnInfo {
    /// Header name, JSON path, or `column N` (1-based) for headerless files.
    pub name: String,
    /// The role chosen.
    pub role: Role,
    /// Why: `header`, `content 0.93` (share of sampled values), `override` or `format`.
    pub evidence: String,
    /// Sensitive data the column holds (passwords, cards...), if any.
    #[serde(default)]
    pub sensitive: Option<Category>,
    /// Why it was classified so: the header word, or the share of values of that shape.
    #[serde(default)]
    pub sensitive_evidence: String,
}

/// How a dump is read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Layout {
    /// Compression.
    pub compression: Compression,
    /// Format.
    pub format: Format,
    /// Whether a UTF-8 byte-order mark was skipped.
    pub bom: bool,
    /// Whether lines end with a carriage return alone (old Mac exports).
    #[serde(default)]
    pub cr_only: bool,
    /// Whether double quotes are read as CSV quoting. Off when the sample reads better with
    /// quotes as text (a stray quote), so one cannot swallow the rest of the file into a
    /// single field; on for quoted fields over several lines.
    #[serde(default = "yes")]
    pub quoting: bool,
    /// Columns (for JSON lines: the paths seen while sniffing).
    pub columns: Vec<ColumnInfo>,
    /// Title lines above the header ("Acme Housing - Customer list"): the reader takes the
    /// first line as the header, so the lines after it up to the real header are passed over.
    #[serde(default)]
    pub title_lines: u32,
}

impl Layout {
    /// How the file is read, in words: "gzip, CSV separated by ';' with a header row",
    /// "JSON lines", "combolist (e-mail:password lines)".
    pub fn describe(&self) -> String {
        let format = match &self.format {
            Format::Delimited { delimiter, header } => format!(
                "{} {} a header row{}",
                match delimiter {
                    ',' => "CSV separated by commas".to_string(),
                    '\t' => "text separated by tabs".to_string(),
                    d => format!("CSV separated by '{d}'"),
                },
                if *header { "with" } else { "without" },
                if self.quoting {
                    ""
                } else {
                    ", quotes read as text"
                }
            ),
            Format::JsonLines => "JSON lines".into(),
            Format::JsonDocument => {
                "JSON document (an array of records, or objects over several lines)".into()
            }
            Format::Combolist => "combolist (e-mail:password lines)".into(),
        };
        match self.compression.name() {
            None => format,
            Some(c) => format!("{c}, {format}"),
        }
    }

    /// The role of each column, in order (delimited files).
    pub fn roles(&self) -> Vec<Role> {
        self.columns.iter().map(|c| c.role).collect()
    }

    /// Whether any column can be matched on.
    pub fn has_identifying(&self) -> bool {
        self.columns.iter().any(|c| c.role.is_identifying())
    }

    /// Applies `col:role` overrides; `col` is a header/path name or a 1-based column number.
    pub fn apply_overrides(&mut self, overrides: &[(String, Role)]) -> Result<(), String> {
        for (col, role) in overrides {
            let idx = match col.parse::<usize>() {
                Ok(n) if n >= 1 && n <= self.columns.len() => Some(n - 1),
                _ => self
                    .columns
                    .iter()
                    .position(|c| c.name.eq_ignore_ascii_case(col)),
            };
            match idx {
                Some(i) => {
                    self.columns[i].role = *role;
                    self.columns[i].evidence = "override".into();
                }
                None if matches!(self.format, Format::JsonLines | Format::JsonDocument) => {
                    self.columns.push(ColumnInfo {
                        name: col.clone(),
                        role: *role,
                        evidence: "override".into(),
                        sensitive: None,
                        sensitive_evidence: String::new(),
                    })
                }
                None => {
                    return Err(format!(
                        "no column {col:?}; columns are {}",
                        self.columns
                            .iter()
                            .map(|c| format!("{:?}", c.name))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
            }
        }
        Ok(())
    }
}

fn yes() -> bool {
    true
}

/// Errors sniffing a file.
#[derive(Debug, thiserror::Error)]
pub enum SniffError {
    /// I/O failure.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        #[source]
        source: std::io::Error,
    },
    /// Encoded as UTF-16.
    #[error(
        "{path}: the file is UTF-16 text; convert it to UTF-8 first (e.g. iconv -f UTF-16 -t UTF-8)"
    )]
    Utf16 {
        /// The file.
        path: PathBuf,
    },
    /// Binary content.
    #[error(
        "{path}: looks like binary data, not text (NUL or other control bytes in the first rows); not scanned"
    )]
    Binary {
        /// The file.
        path: PathBuf,
    },
    /// Nothing to read.
    #[error("{path}: the file is empty")]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// A compressed file that yields nothing: cut short or damaged.
    #[error(
        "{path}: the {compression} data is cut short or damaged, nothing could be read from it ({message})"
    )]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// "gzip" or "zstd".
        compression: &'static str,
        /// The decoder's error.
        message: String,
    },
    /// Not a regular file: a named pipe, socket or device.
    #[error("{path}: not a regular file ({what}); save the data to a file and scan that")]
    NotAFile {
        /// The path.
        path: PathBuf,
        /// What it is.
        what: &'static str,
    },
}

/// Opens a file with decompression chosen by its magic bytes.
pub fn open_decompressed(
    path: &Path,
    raw: impl Read + Send + 'static,
) -> std::io::Result<(Compression, Box<dyn Read + Send>)> {
    let mut raw = std::io::BufReader::with_capacity(1 << 16, raw);
    let head = {
        use std::io::BufRead;
        raw.fill_buf()?.to_vec()
    };
    let _ = path;
    if head.starts_with(&[0x1f, 0x8b]) {
        Ok((
            Compression::Gzip,
            Box::new(flate2::read::MultiGzDecoder::new(raw)),
        ))
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Ok((
            Compression::Zstd,
            Box::new(zstd::Decoder::with_buffer(raw)?),
        ))
    } else {
        Ok((Compression::None, Box::new(raw)))
    }
}

/// Reads the first [`SNIFF_BYTES`] of decompressed content and decides the layout.
pub fn sniff_file(path: &Path) -> Result<Layout, SniffError> {
    let io = |source| SniffError::Io {
        path: path.to_path_buf(),
        source,
    };
    // Opening a named pipe would wait for a writer, maybe for ever.
    if let Some(what) = not_a_file(path) {
        return Err(SniffError::NotAFile {
            path: path.to_path_buf(),
            what,
        });
    }
    let file = fs_err::File::open(path).map_err(io)?;
    let (compression, mut rdr) = open_decompressed(path, file).map_err(io)?;
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    // A truncated or corrupt stream still gets sniffed on what could be read.
    let read = rdr.by_ref().take(SNIFF_BYTES as u64).read_to_end(&mut head);
    // Not even one whole line came out before the error.
    let nothing = !head.iter().any(|&b| b == b'\n' || b == b'\r');
    if let (Err(e), true) = (&read, nothing) {
        let Some(compression) = compression.name() else {
            return Err(io(std::io::Error::new(e.kind(), e.to_string())));
        };
        return Err(SniffError::Corrupt {
            path: path.to_path_buf(),
            compression,
            message: e.to_string(),
        });
    }
    let ext = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    sniff_bytes(&head, &ext, compression).map_err(|e| match e {
        SniffKind::Utf16 => SniffError::Utf16 {
            path: path.to_path_buf(),
        },
        SniffKind::Binary => SniffError::Binary {
            path: path.to_path_buf(),
        },
        SniffKind::Empty => SniffError::Empty {
            path: path.to_path_buf(),
        },
    })
}

/// What a path that is not a regular file or folder is (`None` for a file, a folder, or a path
/// that cannot be looked at: opening it reports that).
pub fn not_a_file(path: &Path) -> Option<&'static str> {
    let t = fs_err::metadata(path).ok()?.file_type();
    if t.is_file() || t.is_dir() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("a named pipe");
        }
        if t.is_socket() {
            return Some("a socket");
        }
        if t.is_block_device() || t.is_char_device() {
            return Some("a device");
        }
    }
    Some("not a file")
}

/// Why sniffing refused content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SniffKind {
    /// UTF-16.
    Utf16,
    /// Binary.
    Binary,
    /// Empty.
    Empty,
}

/// Sniffs decompressed head bytes. `name` is the lower-cased file name.
pub fn sniff_bytes(head: &[u8], name: &str, compression: Compression) -> Result<Layout, SniffKind> {
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return Err(SniffKind::Utf16);
    }
    let bom = head.starts_with(b"\xEF\xBB\xBF");
    let cr_only = !head.contains(&b'\n') && head.contains(&b'\r');
    let body = if bom { &head[3..] } else { head };
    // Drop a partial last line when the head was cut.
    let body = if head.len() >= SNIFF_BYTES {
        match memchr::memrchr(b'\n', body) {
            Some(i) => &body[..=i],
            None => body,
        }
    } else {
        body
    };
    let lines: Vec<&[u8]> = body
        .split(|&b| b == b'\n' || b == b'\r')
        .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
        .take(SNIFF_ROWS)
        .collect();
    if lines.is_empty() {
        return Err(SniffKind::Empty);
    }
    let nul_lines = lines.iter().filter(|l| l.contains(&0)).count();
    if nul_lines * 2 > lines.len() {
        return Err(SniffKind::Binary);
    }
    // Control bytes other than tab, form feed and line ends are rare in text in any 8-bit
    // encoding, and common in binary data (one byte in eight of random data).
    let control = body
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c)) || b == 0x7f)
        .count();
    if control * 20 > body.len() {
        return Err(SniffKind::Binary);
    }
    let json_ext = [
        ".jsonl",
        ".ndjson",
        ".json",
        ".jsonl.gz",
        ".jsonl.zst",
        ".ndjson.gz",
    ]
    .iter()
    .any(|e| name.ends_with(e));
    // A JSON document: its columns from the records sampled from its head.
    let document = || {
        let records = crate::dump::json_doc::sample_records(body, SNIFF_ROWS);
        let records: Vec<&[u8]> = records.iter().map(Vec::as_slice).collect();
        Layout {
            compression,
            format: Format::JsonDocument,
            bom,
            cr_only,
            quoting: true,
            columns: sniff_json_columns(&records),
            title_lines: 0,
        }
    };
    if crate::dump::json_doc::looks_like_document(body) {
        return Ok(document());
    }
    let json_lines = lines
        .iter()
        .filter(|l| l.trim_ascii_start().starts_with(b"{"))
        .count();
    if json_ext || json_lines * 10 >= lines.len() * 8 {
        // API responses one a line (`{"page": 1, "results": [{...}, {...}]}`) hold records
        // rather than being one: read as a document, so that each record is a row.
        let holders = lines
            .iter()
            .filter(|l| crate::dump::json_doc::holds_records(l))
            .count();
        if holders > 0 && holders * 2 >= json_lines {
            return Ok(document());
        }
        return Ok(Layout {
            compression,
            format: Format::JsonLines,
            bom,
            cr_only,
            quoting: true,
            columns: sniff_json_columns(&lines),
            title_lines: 0,
        });
    }
    let combo = lines.iter().filter(|l| is_combo_line(l)).count();
    if combo * 10 >= lines.len() * 7 && !has_table_header(&lines) {
        return Ok(Layout {
            compression,
            format: Format::Combolist,
            bom,
            cr_only,
            quoting: true,
            columns: vec![
                ColumnInfo {
                    name: "email".into(),
                    role: Role::Email,
                    evidence: "format".into(),
                    sensitive: None,
                    sensitive_evidence: String::new(),
                },
                ColumnInfo {
                    name: "password".into(),
                    role: Role::Password,
                    evidence: "format".into(),
                    sensitive: Some(Category::Password),
                    sensitive_evidence: String::new(),
                },
            ],
            title_lines: 0,
        });
    }
    let delimiter = choose_delimiter(body);
    let quoting = quotes_are_quoting(body, &lines, delimiter);
    let records = parse_records(body, delimiter, quoting);
    let (header, columns, title_lines) = sniff_columns(&records);
    Ok(Layout {
        compression,
        format: Format::Delimited {
            delimiter: delimiter as char,
            header,
        },
        bom,
        cr_only,
        quoting,
        columns,
        title_lines,
    })
}

/// Share of sampled values that must have a sensitive shape for content classification.
pub const SENSITIVE_SHARE: f64 = 0.6;

/// Classifies a column as sensitive by its header word (when the file has headers) or by the
/// shape of its sampled values, recording the evidence.
pub fn classify_sensitive(c: &mut ColumnInfo, by_header: bool, values: &[&str]) {
    let non_empty: Vec<&str> = values
        .iter()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .collect();
    let hash_note = |vals: &[&str]| {
        let mut kinds: Vec<&str> = vals
            .iter()
            .filter_map(|v| sensitive::hash_kind(v))
            .collect();
        kinds.sort_unstable();
        kinds.dedup();
        if kinds.is_empty() {
            String::new()
        } else {
            format!("; hash kinds: {}", kinds.join(", "))
        }
    };
    if by_header && let Some(cat) = Category::from_header(&c.name) {
        c.sensitive = Some(cat);
        c.sensitive_evidence = format!(
            "header {:?}{}",
            c.name,
            if matches!(cat, Category::Password | Category::PasswordHash) {
                hash_note(&non_empty)
            } else {
                String::new()
            }
        );
        return;
    }
    if non_empty.is_empty() || c.role.is_identifying() && c.role != Role::Username {
        return;
    }
    let mut counts: std::collections::BTreeMap<Category, usize> = Default::default();
    for v in &non_empty {
        if let Some(cat) = sensitive::value_category(v) {
            *counts.entry(cat).or_default() += 1;
        }
    }
    // Fast and slow hashes count together as a password-hash column.
    let hashes = counts.get(&Category::PasswordHash).copied().unwrap_or(0)
        + counts
            .get(&Category::PasswordHashStrong)
            .copied()
            .unwrap_or(0);
    let best = counts.iter().map(|(c, n)| (*c, *n)).max_by_key(|(_, n)| *n);
    let (cat, n) = match best {
        Some((Category::PasswordHash | Category::PasswordHashStrong, _)) => {
            (Category::PasswordHash, hashes)
        }
        Some(b) => b,
        None => return,
    };
    let share = n as f64 / non_empty.len() as f64;
    if share >= SENSITIVE_SHARE {
        c.sensitive = Some(cat);
        if cat == Category::Iban && c.role == Role::Other {
            // A UK IBAN holds the sort code and account number: match it as bank details.
            c.role = Role::Iban;
        }
        c.sensitive_evidence = format!(
            "{:.0}% of sampled values look like {}{}",
            share * 100.0,
            cat.as_str(),
            if cat == Category::PasswordHash {
                hash_note(&non_empty)
            } else {
                String::new()
            }
        );
    }
}

/// Whether a line looks like `email:pw`, `email;pw`, `email|pw`, `email<TAB>pw` or
/// `user:email:pw`, maybe after a URL (`https://site.example/login:email:pw`, as stealer logs
/// write them).
pub fn is_combo_line(line: &[u8]) -> bool {
    let mut line = line.trim_ascii();
    if let Some(rest) = crate::dump::decode::after_url(line) {
        line = rest.trim_ascii();
        if line.is_empty() {
            return false;
        }
    }
    let Some(at) = memchr::memchr(b'@', line) else {
        // `user:password` without an e-mail: common among the lines of a combolist.
        return line.iter().filter(|&&b| b == b':').count() == 1
            && !line
                .iter()
                .any(|&b| b.is_ascii_whitespace() || b == b',' || b == b'"');
    };
    let before = &line[..at];
    // Before the e-mail only a username (no spaces: "John Smith;j@x.com" is a table row).
    if before
        .iter()
        .any(|&b| matches!(b, b',' | b'\t' | b'|' | b'"') || b.is_ascii_whitespace())
    {
        return false;
    }
    let seps_before = before.iter().filter(|&&b| b == b':' || b == b';').count();
    if seps_before > 1 {
        return false;
    }
    let after = &line[at..];
    let Some(sep) = after
        .iter()
        .position(|&b| matches!(b, b':' | b';' | b',' | b'\t' | b'|'))
    else {
        return false;
    };
    let count = |c: u8| line.iter().filter(|&&b| b == c).count();
    match after[sep] {
        b':' | b';' => true,
        // `email|password`, with no other '|' (a pipe-separated table has more).
        b'|' => count(b'|') == 1,
        // `email<TAB>password`: one tab (a table has more), and a password after it, not a
        // name (`j@x.com<TAB>John Smith` is a table of two columns).
        b'\t' => {
            let pw = &after[sep + 1..];
            count(b'\t') == 1 && !pw.is_empty() && !pw.contains(&b' ')
        }
        _ => false,
    }
}

/// Whether the first line looks like the header of a table separated by ';' or ':' (three or
/// more columns) or by tabs (two or more): no e-mail in it, and as many separators as most
/// rows have. A combolist has no header.
fn has_table_header(lines: &[&[u8]]) -> bool {
    let Some((first, rest)) = lines.split_first() else {
        return false;
    };
    // Two separators or more for ':' and ';': `user:password` lines have one.
    !first.contains(&b'@')
        && [(b';', 2), (b':', 2), (b'\t', 1)]
            .into_iter()
            .any(|(d, least)| {
                let count = |l: &&[u8]| l.iter().filter(|&&b| b == d).count();
                let n = count(first);
                let (width, rows) = most_common(rest.iter().map(count));
                n >= least && rows > 0 && width == n
            })
}

/// A csv reader over the sampled text.
fn sample_csv(body: &[u8], delimiter: u8, quoting: bool) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .quoting(quoting)
        .has_headers(false)
        .flexible(true)
        .from_reader(body)
}

fn parse_records(body: &[u8], delimiter: u8, quoting: bool) -> Vec<Vec<String>> {
    let mut rdr = sample_csv(body, delimiter, quoting);
    let mut out = Vec::new();
    let mut rec = csv::ByteRecord::new();
    while out.len() < SNIFF_ROWS {
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => out.push(
                rec.iter()
                    .map(|f| crate::tenants::decode_cell(f).trim().to_string())
                    .collect(),
            ),
            Ok(false) | Err(_) => break,
        }
    }
    out
}

/// Whether double quotes in the sampled text are CSV quoting. When every line has an even
/// number of quotes, they are. Otherwise a line with an odd number is either half of a quoted
/// field over several lines (an address typed with line breaks in Excel, on every row of some
/// exports) or a stray quote (`"Flat 1, High St` never closed) that, read as quoting, would
/// swallow the rest of the file into one field. The sample is parsed both ways: quoting stays
/// on unless reading quotes as text gives rows of a more even width, or a quoted field runs
/// over more lines than any address has.
fn quotes_are_quoting(body: &[u8], lines: &[&[u8]], delimiter: u8) -> bool {
    let odd = lines
        .iter()
        .any(|l| l.iter().filter(|&&b| b == b'"').count() % 2 == 1);
    if !odd {
        return true;
    }
    /// Line breaks a quoted field may hold (an address, a long note): as many as a record may
    /// span before the reader reads it again line by line.
    const MAX_BREAKS: usize = crate::dump::chunk::MAX_RECORD_LINES as usize;
    let widths = |quoting: bool| {
        let mut rdr = sample_csv(body, delimiter, quoting);
        let (mut widths, mut longest) = (Vec::new(), 0);
        let mut rec = csv::ByteRecord::new();
        while widths.len() < SNIFF_ROWS && matches!(rdr.read_byte_record(&mut rec), Ok(true)) {
            if rec.len() == 1 && rec[0].trim_ascii().is_empty() {
                continue;
            }
            widths.push(rec.len());
            for f in &rec {
                longest = longest.max(memchr::memchr2_iter(b'\n', b'\r', f).count());
            }
        }
        (evenness(&widths), longest)
    };
    let (on, longest) = widths(true);
    let (off, _) = widths(false);
    on >= off && longest <= MAX_BREAKS
}

/// The most common of `widths` (the wider on a tie) and how many have it; `(1, 0)` for none.
fn most_common(widths: impl IntoIterator<Item = usize>) -> (usize, usize) {
    let mut counts = std::collections::BTreeMap::new();
    for w in widths {
        *counts.entry(w).or_insert(0usize) += 1;
    }
    counts
        .into_iter()
        .max_by_key(|&(width, n)| (n, width))
        .unwrap_or((1, 0))
}

/// The share of rows that have the most common width.
fn evenness(widths: &[usize]) -> f64 {
    most_common(widths.iter().copied()).1 as f64 / widths.len().max(1) as f64
}

/// Chooses the delimiter whose field count is most consistent (and more than one) over the
/// sampled lines.
fn choose_delimiter(body: &[u8]) -> u8 {
    let mut best = (b',', 0.0f64);
    for d in [b',', b'\t', b';', b'|', b':'] {
        let recs = parse_records(body, d, true);
        if recs.is_empty() {
            continue;
        }
        let (mode, n) = most_common(recs.iter().map(Vec::len));
        if mode < 2 {
            continue;
        }
        let score = n as f64 / recs.len() as f64 + (mode as f64).ln() * 0.01;
        if score > best.1 {
            best = (d, score);
        }
    }
    best.0
}

fn sniff_columns(records: &[Vec<String>]) -> (bool, Vec<ColumnInfo>, u32) {
    // A title line above the header ("Acme Housing - Customer list"): the header is the
    // next line. The reader skips the title as the header, and the real header line is then
    // rejected as a repeated header, so every data row is read under its column names.
    if let Some(n) = title_lines(records) {
        let (header, mut columns, _) = sniff_columns(&records[n..]);
        if header {
            for c in &mut columns {
                c.evidence = format!("{}; header under {n} title line(s)", c.evidence);
            }
            return (true, columns, n as u32);
        }
    }
    let first = records.first().cloned().unwrap_or_default();
    let header_hits = first
        .iter()
        .filter(|h| Role::from_header(h).is_some())
        .count();
    let mut first_profile = ContentProfile::default();
    for v in &first {
        first_profile.add(v);
    }
    let first_has_data = first_profile.strong_role().is_some()
        || first.iter().any(|v| {
            let mut p = ContentProfile::default();
            p.add(v);
            p.headerless_role().is_some_and(|(r, _)| {
                matches!(
                    r,
                    Role::Email | Role::Postcode | Role::Dob | Role::Phone | Role::Nino
                )
            })
        });
    // A header: known column names, or text-only names above columns whose values have digits.
    let digits = |s: &str| s.chars().any(|c| c.is_ascii_digit());
    let names_only = !first.is_empty()
        && first.iter().all(|h| !h.is_empty() && !digits(h))
        && (0..first.len()).any(|i| {
            let vals: Vec<&String> = records[1..]
                .iter()
                .filter_map(|r| r.get(i))
                .filter(|v| !v.is_empty())
                .collect();
            !vals.is_empty() && vals.iter().filter(|v| digits(v)).count() * 10 >= vals.len() * 6
        });
    // Without a known column name, a first row shaped like the names below it is a person, not
    // a header ("Jane Smith,Rose Cottage,Leeds" above "John Brown,12 High St,York"): read as a
    // header, it would be missed and its values would become column names in the outputs.
    let header = !first_has_data
        && (header_hits > 0 || (names_only && !names_like_body(&first, &records[1..])));
    let columns = if header {
        columns_for(Some(&first), &records[1..])
    } else {
        columns_for(None, records)
    };
    (header, columns, 0)
}

/// How many records (one to three) are title lines above a table: each with one or two values,
/// above a record of three or more that most of the records below it match in width.
fn title_lines(records: &[Vec<String>]) -> Option<usize> {
    let filled = |r: &Vec<String>| r.iter().filter(|v| !v.trim().is_empty()).count();
    let n = records
        .iter()
        .take(4)
        .take_while(|r| filled(r) <= 2)
        .count();
    let (header, rest) = (records.get(n)?, records.get(n + 1..)?);
    if !(1..=3).contains(&n) || filled(header) < 3 || rest.is_empty() {
        return None;
    }
    let width = header.len();
    (rest.iter().filter(|r| r.len() == width).count() * 10 >= rest.len() * 8).then_some(n)
}

/// Whether a cell of `first` reads as a name by itself, above a column whose values read as
/// names (a full name, or one of a given name and surname pair).
fn names_like_body(first: &[String], body: &[Vec<String>]) -> bool {
    let profiles: Vec<ContentProfile> = (0..first.len())
        .map(|i| {
            let mut p = ContentProfile::default();
            for v in body.iter().filter_map(|r| r.get(i)) {
                p.add(v);
            }
            p
        })
        .collect();
    let shape = |role: Role| match role {
        Role::FullName => Some(Role::FullName),
        Role::GivenName | Role::Surname => Some(Role::GivenName),
        _ => None,
    };
    roles_from_content(&profiles)
        .into_iter()
        .zip(first)
        .any(|((role, _), cell)| {
            let mut own = ContentProfile::default();
            own.add(cell);
            shape(role).is_some() && shape(role) == own.headerless_role().map(|(r, _)| r)
        })
}

/// Column roles for a table: by header name first, then by content, for each column; without
/// a header, from content alone (the most common row length giving the column count); then
/// each column's sensitive category ([`classify_sensitive`]). Used for delimited files and for
/// the tables of documents (sheets, SQL tables).
pub fn columns_for(header: Option<&[String]>, body: &[Vec<String>]) -> Vec<ColumnInfo> {
    let mut columns = column_roles(header, body);
    for (i, c) in columns.iter_mut().enumerate() {
        let values: Vec<&str> = body
            .iter()
            .filter_map(|r| r.get(i))
            .map(String::as_str)
            .collect();
        classify_sensitive(c, header.is_some(), &values);
        if c.role == Role::Dob
            && let Some(why) = month_first(&values)
        {
            c.role = Role::DobMonthFirst;
            c.evidence = format!("{}; {why}", c.evidence);
        }
    }
    columns
}

/// Whether a date-of-birth column is written month-first (US): none of the sampled values only
/// makes sense day-first ("19/07/1962"), and two only make sense month-first ("07/19/1962"),
/// or one among ten dates or more. Says why, for the manifest.
fn month_first(values: &[&str]) -> Option<String> {
    use crate::normalize::{Reject, dob};
    let (mut us, mut uk, mut n) = (0, 0, 0);
    let mut buf = String::new();
    for v in values.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
        n += 1;
        match dob::normalize(v, &mut buf) {
            Err(Reject::UsDate { .. }) => us += 1,
            Ok(()) => {
                let lead = v.bytes().take_while(u8::is_ascii_digit).count();
                if (1..=2).contains(&lead) && v[..lead].parse::<u8>().is_ok_and(|d| d > 12) {
                    uk += 1;
                }
            }
            Err(_) => {}
        }
    }
    // One such date is enough among ten or more with none day-first: a day-first column of
    // ten dates has one past the 12th nearly always (all ten by the 12th: 1 in 10,000).
    (uk == 0 && (us >= 2 || (us == 1 && n >= 10))).then(|| {
        format!("month-first: {us} of {n} sampled dates only make sense month-first (07/19/1962), none only day-first")
    })
}

fn column_roles(header: Option<&[String]>, body: &[Vec<String>]) -> Vec<ColumnInfo> {
    // The header says how many columns there are; without one, the most common row length
    // (ragged rows are rejected later, not allowed to widen the table).
    let ncols = match header {
        Some(h) => h.len(),
        None => {
            let mut counts = std::collections::BTreeMap::new();
            for r in body {
                *counts.entry(r.len()).or_insert(0usize) += 1;
            }
            counts
                .into_iter()
                .max_by_key(|(len, n)| (*n, *len))
                .map_or(0, |(l, _)| l)
        }
    };
    let mut profiles = vec![ContentProfile::default(); ncols];
    for r in body {
        for (i, v) in r.iter().enumerate().take(ncols) {
            profiles[i].add(v);
        }
    }
    match header {
        Some(first) => (0..ncols)
            .map(|i| {
                let name = first
                    .get(i)
                    .cloned()
                    .unwrap_or_else(|| format!("column {}", i + 1));
                match Role::from_header(&name) {
                    Some(role) => ColumnInfo {
                        name,
                        role,
                        evidence: "header".into(),
                        sensitive: None,
                        sensitive_evidence: String::new(),
                    },
                    None => match profiles[i].strong_role() {
                        Some((role, share)) => ColumnInfo {
                            name,
                            role,
                            evidence: format!("content {share:.2}"),
                            sensitive: None,
                            sensitive_evidence: String::new(),
                        },
                        None => ColumnInfo {
                            name,
                            role: Role::Other,
                            evidence: "header".into(),
                            sensitive: None,
                            sensitive_evidence: String::new(),
                        },
                    },
                }
            })
            .collect(),
        None => roles_from_content(&profiles)
            .into_iter()
            .enumerate()
            .map(|(i, (role, share))| ColumnInfo {
                name: format!("column {}", i + 1),
                role,
                evidence: if role == Role::Other {
                    "content".into()
                } else {
                    format!("content {share:.2}")
                },
                sensitive: None,
                sensitive_evidence: String::new(),
            })
            .collect(),
    }
}

fn sniff_json_columns(lines: &[&[u8]]) -> Vec<ColumnInfo> {
    let mut paths: Vec<String> = Vec::new();
    let mut path_no: std::collections::HashMap<String, usize> = Default::default();
    let mut profiles: Vec<ContentProfile> = Vec::new();
    let mut samples: Vec<Vec<String>> = Vec::new();
    for l in lines {
        let Some((v, _)) = crate::dump::decode::parse_json(l) else {
            continue;
        };
        crate::dump::decode::flatten_json(&v, &mut String::new(), &mut |path, text| {
            let i = match path_no.get(path) {
                Some(&i) => i,
                None => {
                    path_no.insert(path.to_string(), paths.len());
                    paths.push(path.to_string());
                    profiles.push(ContentProfile::default());
                    samples.push(Vec::new());
                    paths.len() - 1
                }
            };
            profiles[i].add(text);
            if samples[i].len() < SNIFF_ROWS {
                samples[i].push(text.to_string());
            }
        });
    }
    let mut cols: Vec<ColumnInfo> = paths
        .into_iter()
        .zip(profiles)
        .map(|(name, p)| match Role::from_header(&name) {
            Some(role) => ColumnInfo {
                name,
                role,
                evidence: "header".into(),
                sensitive: None,
                sensitive_evidence: String::new(),
            },
            None => match p.strong_role() {
                Some((role, share)) => ColumnInfo {
                    name,
                    role,
                    evidence: format!("content {share:.2}"),
                    sensitive: None,
                    sensitive_evidence: String::new(),
                },
                None => ColumnInfo {
                    name,
                    role: Role::Other,
                    evidence: "header".into(),
                    sensitive: None,
                    sensitive_evidence: String::new(),
                },
            },
        })
        .collect();
    for (c, vals) in cols.iter_mut().zip(&samples) {
        let v: Vec<&str> = vals.iter().map(String::as_str).collect();
        classify_sensitive(c, true, &v);
    }
    cols
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roles(l: &Layout) -> Vec<Role> {
        l.roles()
    }

    #[test]
    fn csv_with_header_synonyms() {
        let s = b"Customer Ref,Full Name,E-mail,Birth Date,Post Code,Mobile,Last Login\n\
C1,Mr John Smith,j@x.com,12/03/1985,LS1 4AB,07700 900123,2024-01-01\n";
        let l = sniff_bytes(s, "crm.csv", Compression::None).unwrap();
        assert_eq!(
            l.format,
            Format::Delimited {
                delimiter: ',',
                header: true
            }
        );
        assert_eq!(
            roles(&l),
            vec![
                Role::Other,
                Role::FullName,
                Role::Email,
                Role::Dob,
                Role::Postcode,
                Role::Phone,
                Role::Other
            ]
        );
    }

    #[test]
    fn a_month_first_date_column_is_found_from_its_values() {
        let us = b"Name,DOB\nJo Bloggs,07/19/1962\nAl Smith,03/04/1990\nBo Jones,12/25/1985\n";
        let l = sniff_bytes(us, "us.csv", Compression::None).unwrap();
        assert_eq!(roles(&l), vec![Role::FullName, Role::DobMonthFirst]);
        assert!(
            l.columns[1].evidence.contains("month-first"),
            "{:?}",
            l.columns[1]
        );
        // One day-first date that cannot be month-first keeps the column day-first.
        let mixed = b"Name,DOB\nJo Bloggs,07/19/1962\nAl Smith,12/25/1985\nBo Jones,19/07/1962\n";
        let l = sniff_bytes(mixed, "mixed.csv", Compression::None).unwrap();
        assert_eq!(roles(&l), vec![Role::FullName, Role::Dob]);
        // One month-first date among ten or more, none day-first: month-first.
        let mut one = String::from("Name,DOB\n");
        for d in 1..=12 {
            one += &format!("Jo Bloggs,{d:02}/{:02}/1962\n", 13 - d);
        }
        one += "Al Smith,12/25/1985\n";
        let l = sniff_bytes(one.as_bytes(), "one.csv", Compression::None).unwrap();
        assert_eq!(roles(&l), vec![Role::FullName, Role::DobMonthFirst]);
        // Among three, one could be a typo: day-first stays.
        let few = b"Name,DOB\nJo Bloggs,07/09/1962\nAl Smith,12/25/1985\nBo Jones,01/02/1962\n";
        let l = sniff_bytes(few, "few.csv", Compression::None).unwrap();
        assert_eq!(roles(&l), vec![Role::FullName, Role::Dob]);
    }

    #[test]
    fn title_lines_above_the_header_are_passed_over() {
        for title in [
            "Acme Housing - Customer list\n",
            "Tenant export - Acme Housing\nGenerated 2024-01-01,,,,\n",
        ] {
            let mut s = format!("{title}Customer Ref,Full Name,Email,Date of Birth,Postcode\n");
            for i in 0..10 {
                s += &format!("C90057{i},Oliver Brown,p{i}@example.com,01/02/1960,E1 6AN\n");
            }
            let l = sniff_bytes(s.as_bytes(), "t.csv", Compression::None).unwrap();
            assert!(
                matches!(l.format, Format::Delimited { header: true, .. }),
                "{title}"
            );
            assert_eq!(
                roles(&l)[1..],
                [Role::FullName, Role::Email, Role::Dob, Role::Postcode],
                "{title}"
            );
            assert!(
                l.columns[1].evidence.contains("title line"),
                "{:?}",
                l.columns[1]
            );
        }
    }

    #[test]
    fn a_first_row_of_names_without_digits_is_data_not_a_header() {
        let s = "Jane Smith,Rose Cottage,Leeds\nJohn Brown,12 High St,York\n\
Mary Jones,4 Mill Lane,Hull\nAl Patel,7 Church Rd,Derby\n";
        let l = sniff_bytes(s.as_bytes(), "people.csv", Compression::None).unwrap();
        assert_eq!(
            l.format,
            Format::Delimited {
                delimiter: ',',
                header: false
            }
        );
        assert!(
            l.columns.iter().all(|c| !c.name.contains("Jane")),
            "{:?}",
            l.columns
        );
        assert_eq!(l.columns[0].role, Role::FullName);
        // Given name and surname in two columns.
        let s = "Jane,Smith,Rose Cottage\nJohn,Brown,12 High St\nMary,Jones,4 Mill Lane\n";
        let l = sniff_bytes(s.as_bytes(), "pair.csv", Compression::None).unwrap();
        assert_eq!(roles(&l)[..2], [Role::GivenName, Role::Surname]);
        assert!(
            l.columns.iter().all(|c| !c.name.contains("Jane")),
            "{:?}",
            l.columns
        );
        // Unknown column names over those values are still a header.
        let s = "Kunde,Strasse,Ort\nJohn Brown,12 High St,York\nMary Jones,4 Mill Lane,Hull\n";
        let l = sniff_bytes(s.as_bytes(), "kunden.csv", Compression::None).unwrap();
        assert_eq!(
            l.format,
            Format::Delimited {
                delimiter: ',',
                header: true
            }
        );
        assert_eq!(l.columns[0].name, "Kunde");
    }

    #[test]
    fn headerless_tsv_by_content() {
        let s = "John\tSmith\t1985-03-12\t12 High St\tLS1 4AB\t07700 900123\n\
Mary\tO'Neill\t12-03-85\tFlat 3, 4 Mill Lane\tM1 1AE\t\n\
Zoë\tSmith-Jones\t1970-01-01\t7 Church Rd\tB33 8TH\t+44 7700 900456\n";
        let l = sniff_bytes(s.as_bytes(), "contacts.tsv", Compression::None).unwrap();
        assert_eq!(
            l.format,
            Format::Delimited {
                delimiter: '\t',
                header: false
            }
        );
        assert_eq!(
            roles(&l),
            vec![
                Role::GivenName,
                Role::Surname,
                Role::Dob,
                Role::AddressLine1,
                Role::Postcode,
                Role::Phone
            ]
        );
    }

    #[test]
    fn quotes_are_read_as_quoting_unless_one_would_swallow_the_file() {
        let quoting = |s: &str| {
            sniff_bytes(s.as_bytes(), "x.csv", Compression::None)
                .unwrap()
                .quoting
        };
        // An Excel export with a line break in every address (each row over three lines).
        let mut multi = String::from("Name,Address,Email\n");
        for i in 0..50 {
            multi += &format!("Person {i},\"{i} High St\r\nLeeds\r\nLS1 1AA\",p{i}@example.com\n");
        }
        assert!(quoting(&multi));
        // A quote inside an unquoted field is text either way; quoted commas need quoting.
        assert!(quoting(
            "Name,Email\nMary O\"Brien,m@example.com\n\"Smith, John\",j@example.com\n"
        ));
        // A quote that opens a field and is never closed.
        assert!(!quoting(
            "Name,Email\n\"Zoe Smith,z@example.org\nJohn Jones,j@example.org\nA B,c@example.net\n"
        ));
        // Never closed near the end of a long sample: the rows read unevenly with quoting.
        let mut late = String::from("Name,Email\n");
        for i in 0..100 {
            late += &format!("Person {i},p{i}@example.com\n");
        }
        late += "\"Zoe Smith,z@example.org\nJohn Jones,j@example.org\n";
        assert!(!quoting(&late));
        assert!(quoting("Name,Email\nA B,a@example.com\n"));
    }

    #[test]
    fn semicolon_bom_crlf() {
        let s = "\u{feff}Title;Forename;Surname;Date of Birth\r\nMr;John;Smith;12/03/1985\r\n";
        let l = sniff_bytes(s.as_bytes(), "x.csv", Compression::None).unwrap();
        assert!(l.bom);
        assert_eq!(
            l.format,
            Format::Delimited {
                delimiter: ';',
                header: true
            }
        );
        assert_eq!(roles(&l)[1], Role::GivenName);
    }

    #[test]
    fn combolists_and_json() {
        let s = b"a@b.com:pass1\nc.d@e.co.uk;pw:with:colons\nuser1:f@g.com:secret\n";
        let l = sniff_bytes(s, "combo.txt", Compression::None).unwrap();
        assert_eq!(l.format, Format::Combolist);
        // `email|password`, and many `user:password` lines without an e-mail among them.
        let piped: String = (0..50)
            .map(|i| format!("s{i}@example.com|pw{i}\n"))
            .collect();
        let mixed: String = (0..30)
            .map(|i| format!("u{i}:p{i}\n"))
            .chain((0..50).map(|i| format!("s{i}@example.com:pw\n")))
            .collect();
        for s in [piped, mixed] {
            let l = sniff_bytes(s.as_bytes(), "c.txt", Compression::None).unwrap();
            assert_eq!(l.format, Format::Combolist, "{s}");
        }
        // Semicolon tables with the e-mail in the first columns are tables, not combolists.
        for s in [
            "Name;Email;Postcode\nWilliam Lloyd Webber;w@icloud.com;E18 5XJ\nEleri Hill;e@icloud.com;SE18 0BL\nJack Edwards;j@icloud.com;DN25 6GB\n",
            "Email;Name;Postcode\nw@icloud.com;William;E18 5XJ\ne@icloud.com;Eleri;SE18 0BL\nj@icloud.com;Jack;DN25 6GB\n",
            "Forename;Email;Surname\nJack;j@icloud.com;Edwards\nEleri;e@icloud.com;Hill\nAnn;a@icloud.com;Lee\n",
        ] {
            let l = sniff_bytes(s.as_bytes(), "t.csv", Compression::None).unwrap();
            assert_eq!(
                l.format,
                Format::Delimited {
                    delimiter: ';',
                    header: true
                },
                "{s}"
            );
        }
        let s = br#"{"user":{"first_name":"John","contact":{"email":"j@x.com"}},"dob":"1985-03-12"}
{"name":"Mary Smith","email":"m@x.com"}
"#;
        let l = sniff_bytes(s, "u.jsonl", Compression::None).unwrap();
        assert_eq!(l.format, Format::JsonLines);
        let email = l
            .columns
            .iter()
            .find(|c| c.name == "user.contact.email")
            .unwrap();
        assert_eq!(email.role, Role::Email);
    }

    #[test]
    fn combolists_with_tabs_or_urls_first() {
        let tabs: String = (1..=30)
            .map(|i| format!("user{i}@example.com\tPass{i}!\n"))
            .collect();
        for name in ["tabs30.txt", "tabs30.tsv"] {
            let l = sniff_bytes(tabs.as_bytes(), name, Compression::None).unwrap();
            assert_eq!(l.format, Format::Combolist, "{name}");
        }
        // Stealer logs: the site first, its ':' and port included.
        let ulp: String = (1..=40)
            .map(|i| format!("https://site{i}.com/login:user{i}@example.com:pw{i}\n"))
            .chain(
                (1..=50).map(|i| format!("android://tok{i}@com.app{i}/:u{i}@example.com:pw{i}\n")),
            )
            .collect();
        let l = sniff_bytes(ulp.as_bytes(), "ulp.txt", Compression::None).unwrap();
        assert_eq!(l.format, Format::Combolist);
        for line in [
            "sean.obrien@example.org\tqwerty",
            "https://site.example:8080/login:me@x.com:pw",
            "android://xyz@com.bank/:aisha.khan@example.net:pw",
            "https://x.com:aisha.khan@example.net:pw",
        ] {
            assert!(is_combo_line(line.as_bytes()), "{line}");
        }
        for line in [
            "https://site.example/page",
            "j@example.com\tJohn Smith",
            "Name\tj@example.com\tLS1 4AB",
        ] {
            assert!(!is_combo_line(line.as_bytes()), "{line}");
        }
        // E-mails beside names, or under a header, are a table.
        let names = "j@example.com\tJohn Smith\nm@example.com\tMary Jones\na@example.com\tAl Bee\n";
        let l = sniff_bytes(names.as_bytes(), "n.txt", Compression::None).unwrap();
        assert_ne!(l.format, Format::Combolist);
        let headed: String = std::iter::once("email\tpassword\n".to_string())
            .chain((0..20).map(|i| format!("u{i}@example.com\tpw{i}\n")))
            .collect();
        let l = sniff_bytes(headed.as_bytes(), "h.tsv", Compression::None).unwrap();
        assert_eq!(
            l.format,
            Format::Delimited {
                delimiter: '\t',
                header: true
            }
        );
    }

    #[test]
    fn json_records_wrapped_in_a_response_are_sniffed_from_the_records() {
        let doc = b"{\"status\": \"ok\",\n \"results\": [\n  {\"name\": \"John Smith\", \"dob\": \"1990-07-21\"}\n ]\n}\n";
        let l = sniff_bytes(doc, "api.json", Compression::None).unwrap();
        assert_eq!(l.format, Format::JsonDocument);
        let names: Vec<&str> = l.columns.iter().map(|c| c.name.as_str()).collect();
        assert!(
            names.contains(&"name") && names.contains(&"dob"),
            "{names:?}"
        );
        assert!(
            !names
                .iter()
                .any(|n| n.contains("status") || n.contains("results")),
            "{names:?}"
        );
        // One response a line is read as a document; plain JSON lines stay JSON lines.
        let pages = "{\"page\":1,\"results\":[{\"name\":\"A B\"},{\"name\":\"C D\"}]}\n{\"page\":2,\"results\":[{\"name\":\"E F\"}]}\n";
        let l = sniff_bytes(pages.as_bytes(), "api.jsonl", Compression::None).unwrap();
        assert_eq!(l.format, Format::JsonDocument);
        let people =
            "{\"name\":\"A B\",\"orders\":[{\"id\":1}]}\n{\"name\":\"C D\",\"orders\":[]}\n";
        let l = sniff_bytes(people.as_bytes(), "p.jsonl", Compression::None).unwrap();
        assert_eq!(l.format, Format::JsonLines);
    }

    #[test]
    fn refusals() {
        assert_eq!(
            sniff_bytes(b"\xFF\xFEa\0b\0", "x.csv", Compression::None).unwrap_err(),
            SniffKind::Utf16
        );
        assert_eq!(
            sniff_bytes(b"", "x.csv", Compression::None).unwrap_err(),
            SniffKind::Empty
        );
        assert_eq!(
            sniff_bytes(b"\0\0\x01\n\0\x02\0\n", "x.csv", Compression::None).unwrap_err(),
            SniffKind::Binary
        );
    }

    #[test]
    fn overrides() {
        let s = b"a,b\n1,2\n";
        let mut l = sniff_bytes(s, "x.csv", Compression::None).unwrap();
        l.apply_overrides(&[("2".into(), Role::Phone)]).unwrap();
        assert_eq!(l.columns[1].role, Role::Phone);
        assert!(l.apply_overrides(&[("zz".into(), Role::Phone)]).is_err());
    }
}

#[cfg(test)]
mod proptests {
    use super::*;
    use crate::dump::decode::{Cells, Decoder};
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn sniffing_and_decoding_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600), name in "[a-z.]{0,12}") {
            if let Ok(layout) = sniff_bytes(&bytes, &name, Compression::None) {
                let d = Decoder::new(&layout);
                let mut cells = Cells::default();
                for line in bytes.split(|b| *b == b'\n') {
                    let rec = csv::ByteRecord::from(vec![line]);
                    let _ = d.decode(&rec, &mut cells);
                    let fields: Vec<&[u8]> = line.split(|b| *b == b',').collect();
                    let _ = d.decode(&csv::ByteRecord::from(fields), &mut cells);
                }
            }
        }
    }
}
