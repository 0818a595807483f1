//! Decoding one raw row (a CSV record, a JSON line, a combolist line) into `(role, text)` cells.

use super::sensitive::{Category, CategorySet, cell_category, password_category};
use super::sniff::{Format, Layout};
use crate::roles::Role;
use std::collections::HashMap;
use std::ops::Range;

/// Longest row accepted, in bytes; longer rows are rejected as oversized.
pub const MAX_ROW_BYTES: usize = 1 << 20;

/// Reusable `(role, text)` cells of one row.
#[derive(Debug, Default, Clone)]
pub struct Cells {
    text: String,
    cells: Vec<(Role, Range<usize>)>,
    /// Cells in this row that were not valid UTF-8 and were read as Windows-1252.
    pub non_utf8: u32,
    /// Sensitive categories present in the row (never their values), known while decoding.
    pub co: CategorySet,
    /// Cells of sensitive columns, classified only when the row matches a tenant
    /// ([`Cells::categories`]): most rows of a dump are strangers.
    sensitive: Vec<(Category, Range<usize>)>,
}

impl Cells {
    /// Empties the row.
    pub fn clear(&mut self) {
        self.text.clear();
        self.cells.clear();
        self.non_utf8 = 0;
        self.co = CategorySet::default();
        self.sensitive.clear();
    }
    /// Keeps the text of a cell of a sensitive column, for [`Cells::categories`].
    pub fn push_sensitive(&mut self, column: Category, value: &[u8]) {
        let start = self.text.len();
        match std::str::from_utf8(value) {
            Ok(s) => self.text.push_str(s),
            Err(_) => self.text.push_str(&String::from_utf8_lossy(value)),
        }
        self.sensitive.push((column, start..self.text.len()));
    }
    /// The sensitive categories present in the row: those known while decoding, and the
    /// sensitive cells classified now (a card cell must pass Luhn, a password is split by shape).
    pub fn categories(&self) -> CategorySet {
        let mut co = self.co;
        for (column, range) in &self.sensitive {
            if let Some(c) = cell_category(*column, &self.text[range.clone()]) {
                co.insert(c);
            }
        }
        co
    }
    /// Adds a cell.
    pub fn push(&mut self, role: Role, value: &str) {
        let start = self.text.len();
        self.text.push_str(value);
        self.cells.push((role, start..self.text.len()));
    }
    /// Adds a cell from raw bytes (UTF-8, else Windows-1252).
    pub fn push_bytes(&mut self, role: Role, value: &[u8]) {
        match std::str::from_utf8(value) {
            Ok(s) => self.push(role, s),
            Err(_) => {
                self.non_utf8 += 1;
                let s = crate::tenants::decode_cell(value);
                self.push(role, &s);
            }
        }
    }
    /// The cells.
    pub fn iter(&self) -> impl Iterator<Item = (Role, &str)> {
        self.cells
            .iter()
            .map(|(r, range)| (*r, &self.text[range.clone()]))
    }
    /// Number of cells.
    pub fn len(&self) -> usize {
        self.cells.len()
    }
    /// Whether there are no cells.
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }
}

/// Why a row could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowError {
    /// A different number of fields than the header.
    Ragged {
        /// Fields found.
        found: usize,
        /// Fields expected.
        expected: usize,
    },
    /// Longer than [`MAX_ROW_BYTES`].
    Oversized,
    /// Not valid JSON.
    Json,
    /// A combolist line without an e-mail.
    NoEmail,
}

impl RowError {
    /// The reason as counted in statistics (stable, snake_case).
    pub fn reason(&self) -> &'static str {
        match self {
            RowError::Ragged { .. } => "ragged",
            RowError::Oversized => "oversized",
            RowError::Json => "invalid_json",
            RowError::NoEmail => "no_email_in_combolist_line",
        }
    }
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RowError::Ragged { found, expected } => {
                write!(f, "row has {found} fields, expected {expected}")
            }
            RowError::Oversized => write!(f, "row longer than {MAX_ROW_BYTES} bytes"),
            RowError::Json => f.write_str("not a valid JSON object"),
            RowError::NoEmail => f.write_str("combolist line without an e-mail address"),
        }
    }
}

/// Whether a delimited record has the file's number of fields (`expected`); fields past
/// them that are empty (a trailing delimiter) do not count.
pub fn has_width(rec: &csv::ByteRecord, expected: usize) -> bool {
    let found = rec.len();
    found == expected
        || (found > expected && rec.iter().skip(expected).all(|f| f.trim_ascii().is_empty()))
}

/// Turns raw rows of one file into cells, by the file's [`Layout`].
#[derive(Debug, Clone)]
pub struct Decoder {
    format: Format,
    roles: Vec<Role>,
    json_roles: HashMap<String, Role>,
    sensitive: Vec<Option<Category>>,
    json_sensitive: HashMap<String, Category>,
    header_row: Vec<Vec<u8>>,
}

impl Decoder {
    /// A decoder for a layout.
    pub fn new(layout: &Layout) -> Decoder {
        Decoder {
            format: layout.format.clone(),
            roles: layout.roles(),
            json_roles: layout
                .columns
                .iter()
                .map(|c| (c.name.clone(), c.role))
                .collect(),
            header_row: layout
                .columns
                .iter()
                .map(|c| c.name.as_bytes().to_vec())
                .collect(),
            sensitive: layout.columns.iter().map(|c| c.sensitive).collect(),
            json_sensitive: layout
                .columns
                .iter()
                .filter_map(|c| c.sensitive.map(|s| (c.name.clone(), s)))
                .collect(),
        }
    }

    /// Whether a record repeats the header (a header pasted mid-file): such rows are skipped
    /// and counted.
    pub fn is_header_repeat(&self, rec: &csv::ByteRecord) -> bool {
        matches!(self.format, Format::Delimited { header: true, .. })
            && rec.len() == self.header_row.len()
            // The first field first: almost every row differs there.
            && rec.get(0).map(<[u8]>::trim_ascii) == self.header_row.first().map(Vec::as_slice)
            && rec
                .iter()
                .zip(&self.header_row)
                .skip(1)
                .all(|(a, b)| a.trim_ascii() == b.as_slice())
    }

    /// Decodes one record (for line formats, a record of one field: the line).
    pub fn decode(&self, rec: &csv::ByteRecord, out: &mut Cells) -> Result<(), RowError> {
        out.clear();
        if rec.as_slice().len() > MAX_ROW_BYTES {
            return Err(RowError::Oversized);
        }
        match self.format {
            Format::Delimited { .. } => {
                let expected = self.roles.len();
                if !has_width(rec, expected) {
                    let found = rec.len();
                    return Err(RowError::Ragged { found, expected });
                }
                // One UTF-8 check for the whole record (the usual case) instead of one per
                // cell; a cell that does not start and end on character boundaries of a valid
                // record, or any cell of an invalid one, is checked on its own.
                let whole = std::str::from_utf8(rec.as_slice()).ok();
                for (i, ((field, role), sens)) in
                    rec.iter().zip(&self.roles).zip(&self.sensitive).enumerate()
                {
                    if field.trim_ascii().is_empty() {
                        continue;
                    }
                    if role.is_identifying() {
                        match whole.and_then(|w| rec.range(i).and_then(|r| w.get(r))) {
                            Some(text) => out.push(*role, text),
                            None => out.push_bytes(*role, field),
                        }
                    }
                    if let Some(cat) = sens {
                        out.push_sensitive(*cat, field);
                    }
                }
                Ok(())
            }
            Format::Combolist => decode_combo(rec.get(0).unwrap_or(b""), out),
            Format::JsonLines | Format::JsonDocument => {
                let line = rec.get(0).unwrap_or(b"");
                let v: serde_json::Value =
                    serde_json::from_slice(line).map_err(|_| RowError::Json)?;
                if !v.is_object() {
                    return Err(RowError::Json);
                }
                let mut path = String::new();
                let mut co = CategorySet::default();
                flatten_json(&v, &mut path, &mut |p, text| {
                    if let Some(cat) = self.json_sensitive.get(p)
                        && let Some(c) = cell_category(*cat, text)
                    {
                        co.insert(c);
                    }
                    let role = self
                        .json_roles
                        .get(p)
                        .copied()
                        .or_else(|| Role::from_header(p))
                        .unwrap_or(Role::Other);
                    if role.is_identifying() && !text.trim().is_empty() {
                        out.push(role, text);
                    }
                });
                out.co = co;
                Ok(())
            }
        }
    }
}

fn decode_combo(line: &[u8], out: &mut Cells) -> Result<(), RowError> {
    let Some(at) = memchr::memchr(b'@', line) else {
        return Err(RowError::NoEmail);
    };
    let is_sep = |b: &u8| matches!(b, b':' | b';' | b'|');
    let start = line[..at].iter().rposition(is_sep).map_or(0, |i| i + 1);
    let end = line[at..]
        .iter()
        .position(is_sep)
        .map_or(line.len(), |i| at + i);
    if start > 0 {
        out.push_bytes(Role::Username, &line[..start - 1]);
        out.co.insert(Category::Username);
    }
    out.push_bytes(Role::Email, &line[start..end]);
    if end + 1 < line.len() {
        let pw = String::from_utf8_lossy(&line[end + 1..]);
        if !pw.trim().is_empty() {
            out.co.insert(password_category(&pw));
        }
    }
    Ok(())
}

/// Whether a JSON object key is data rather than a name: an e-mail, an id or a date
/// (`{"jack@x.com": {...}}`, `{"T000123": {...}}`). Such keys must not become column names:
/// they would put every stranger's e-mail into the manifest and the log.
fn is_data_key(k: &str) -> bool {
    k.contains('@') || k.bytes().filter(u8::is_ascii_digit).count() >= 4 || k.len() > 64
}

/// Walks a JSON value, calling `f(dotted path, text)` for every string or number leaf.
/// Array elements share their array's path. An object key that is data (see
/// [`is_data_key`]) is itself a value, at path `(key)`, and what it holds is under `*`.
pub fn flatten_json(v: &serde_json::Value, path: &mut String, f: &mut impl FnMut(&str, &str)) {
    use serde_json::Value;
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                if is_data_key(k) {
                    let dot = path.len();
                    path.push_str("(key)");
                    f(path, k);
                    path.truncate(dot);
                    path.push('*');
                } else {
                    path.push_str(k);
                }
                flatten_json(child, path, f);
                path.truncate(len);
            }
        }
        Value::Array(items) => {
            for item in items {
                flatten_json(item, path, f);
            }
        }
        Value::String(s) => f(path, s),
        Value::Number(n) => f(path, &n.to_string()),
        Value::Bool(_) | Value::Null => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dump::sniff::{Compression, sniff_bytes};

    fn cells(layout: &Layout, raw: &[&[u8]]) -> Result<Vec<(Role, String)>, RowError> {
        let d = Decoder::new(layout);
        let rec = csv::ByteRecord::from(raw.to_vec());
        let mut c = Cells::default();
        d.decode(&rec, &mut c)?;
        Ok(c.iter().map(|(r, s)| (r, s.to_string())).collect())
    }

    #[test]
    fn json_keys_that_are_data_are_values_not_column_names() {
        let lines: String = (0..20)
            .map(|i| format!("{{\"person{i}@example.com\": {{\"name\": \"P Q{i}\", \"dob\": \"01/01/1980\"}}}}\n"))
            .collect();
        let l = sniff_bytes(lines.as_bytes(), "k.jsonl", Compression::None).unwrap();
        assert!(
            l.columns.iter().all(|c| !c.name.contains('@')),
            "{:?}",
            l.columns
        );
        let role = |n: &str| l.columns.iter().find(|c| c.name == n).map(|c| c.role);
        assert_eq!(role("(key)"), Some(Role::Email));
        assert_eq!(role("*.name"), Some(Role::FullName));
        let got = cells(
            &l,
            &[br#"{"jack.edwards5@icloud.com": {"name": "Jack Edwards", "dob": "16/04/1952"}}"#],
        )
        .unwrap();
        assert!(
            got.contains(&(Role::Email, "jack.edwards5@icloud.com".into())),
            "{got:?}"
        );
        assert!(
            got.contains(&(Role::FullName, "Jack Edwards".into())),
            "{got:?}"
        );
    }

    #[test]
    fn combolist_variants() {
        let l = sniff_bytes(b"a@b.com:x\nc@d.com:y\n", "c.txt", Compression::None).unwrap();
        assert_eq!(
            cells(&l, &[b"user1:Me@X.com:pw:with:colons"]).unwrap(),
            vec![
                (Role::Username, "user1".into()),
                (Role::Email, "Me@X.com".into())
            ]
        );
        assert_eq!(
            cells(&l, &[b"me@x.com;pw"]).unwrap(),
            vec![(Role::Email, "me@x.com".into())]
        );
        assert_eq!(cells(&l, &[b"nobody here"]).unwrap_err(), RowError::NoEmail);
    }

    #[test]
    fn ragged_and_latin1() {
        let l = sniff_bytes(
            b"Name,Email\nJohn Smith,j@x.com\n",
            "a.csv",
            Compression::None,
        )
        .unwrap();
        assert!(matches!(
            cells(&l, &[b"a", b"b", b"c"]).unwrap_err(),
            RowError::Ragged {
                found: 3,
                expected: 2
            }
        ));
        assert_eq!(cells(&l, &[b"a", b"b", b""]).unwrap().len(), 2);
        assert_eq!(
            cells(&l, &[b"Zo\xEB Smith", b""]).unwrap(),
            vec![(Role::FullName, "Zoë Smith".into())]
        );
    }

    #[test]
    fn cells_are_decoded_alike_whether_the_record_is_valid_utf8_or_not() {
        let l = sniff_bytes(
            b"Name,Email,Notes\nJohn Smith,j@x.com,a\n",
            "a.csv",
            Compression::None,
        )
        .unwrap();
        // Valid record: cells come from the one check of the whole record.
        assert_eq!(
            cells(&l, &[b"Zo\xC3\xAB Smith", b"z@x.com", b"ok"]).unwrap(),
            vec![
                (Role::FullName, "Zoë Smith".into()),
                (Role::Email, "z@x.com".into())
            ]
        );
        // An invalid byte in a column that is not read still leaves the others UTF-8.
        assert_eq!(
            cells(&l, &[b"Zo\xC3\xAB Smith", b"z@x.com", b"\xFF"]).unwrap(),
            vec![
                (Role::FullName, "Zoë Smith".into()),
                (Role::Email, "z@x.com".into())
            ]
        );
        // A character split across two cells: each cell is invalid alone, read as 1252.
        assert_eq!(
            cells(&l, &[b"Zo\xC3", b"\xAB@x.com", b""]).unwrap(),
            vec![
                (Role::FullName, "ZoÃ".into()),
                (Role::Email, "«@x.com".into())
            ]
        );
    }

    #[test]
    fn a_header_pasted_mid_file_is_recognised() {
        let l = sniff_bytes(
            b"Name,Email\nJohn Smith,j@x.com\n",
            "a.csv",
            Compression::None,
        )
        .unwrap();
        let d = Decoder::new(&l);
        let rec = |f: &[&[u8]]| csv::ByteRecord::from(f.to_vec());
        assert!(d.is_header_repeat(&rec(&[b"Name", b"Email"])));
        assert!(d.is_header_repeat(&rec(&[b" Name ", b"Email "])));
        assert!(!d.is_header_repeat(&rec(&[b"John Smith", b"Email"])));
        assert!(!d.is_header_repeat(&rec(&[b"Name", b"j@x.com"])));
        assert!(!d.is_header_repeat(&rec(&[b"Name"])));
    }

    #[test]
    fn json_nested_and_bad() {
        let l = sniff_bytes(br#"{"a":1}"#, "x.jsonl", Compression::None).unwrap();
        let got = cells(
            &l,
            &[br#"{"user":{"last_name":"Smith","phones":["07700 900123"]},"dob":19850312}"#],
        )
        .unwrap();
        assert!(got.contains(&(Role::Surname, "Smith".into())));
        assert!(got.contains(&(Role::Phone, "07700 900123".into())));
        assert!(got.contains(&(Role::Dob, "19850312".into())));
        assert_eq!(cells(&l, &[b"{not json"]).unwrap_err(), RowError::Json);
        assert_eq!(cells(&l, &[b"[1,2]"]).unwrap_err(), RowError::Json);
    }
}
