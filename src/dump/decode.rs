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
    /// The row had fewer values than the header has columns: read as the first columns (an
    /// export that leaves out empty cells at the end of a row).
    pub short: bool,
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
        self.short = false;
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

/// A record that is the header again ([`Decoder::header_again`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderAgain {
    /// The same names in the same order: a header pasted mid-file.
    Repeated,
    /// The same names in another order: another export joined on, whose rows after it do not
    /// follow the first header's columns.
    Reordered,
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
    /// Columns up to the last with a name: a row shorter than the header only because the
    /// header ends in empty names (`Name;Email;`) is not short.
    named_width: usize,
    /// The header's names, sorted: a row of the same names in another order is the header of
    /// another export joined on ([`Decoder::header_again`]).
    header_sorted: Vec<Vec<u8>>,
    /// Title lines above the header ([`Layout::title_lines`]).
    title_lines: u32,
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
            named_width: layout
                .columns
                .iter()
                .rposition(|c| !c.name.trim().is_empty())
                .map_or(0, |i| i + 1),
            title_lines: layout.title_lines,
            header_sorted: {
                let mut names: Vec<Vec<u8>> = layout
                    .columns
                    .iter()
                    .map(|c| c.name.trim().as_bytes().to_vec())
                    .collect();
                names.sort_unstable();
                names
            },
        }
    }

    /// Whether a record on `line` is a title line under the first (the reader took the first
    /// for the header) or the real header below them: passed over, not data.
    pub fn is_title(&self, line: u64) -> bool {
        self.title_lines > 0 && (2..=u64::from(self.title_lines) + 1).contains(&line)
    }

    /// Whether a record is the header again, as exports joined into one file have it: the
    /// same names in the same order ([`HeaderAgain::Repeated`], a header pasted mid-file), or
    /// in another order ([`HeaderAgain::Reordered`], another export's header, whose rows after
    /// it do not follow this header's columns). Such rows are skipped and counted.
    pub fn header_again(&self, rec: &csv::ByteRecord) -> Option<HeaderAgain> {
        if !matches!(self.format, Format::Delimited { header: true, .. })
            || rec.len() != self.header_row.len()
        {
            return None;
        }
        // The first field first: almost every row differs there.
        let first = rec.get(0).map(<[u8]>::trim_ascii).unwrap_or(b"");
        if self.header_row.first().map(Vec::as_slice) == Some(first)
            && rec
                .iter()
                .zip(&self.header_row)
                .skip(1)
                .all(|(a, b)| a.trim_ascii() == b.as_slice())
        {
            return Some(HeaderAgain::Repeated);
        }
        if first.is_empty()
            || self.header_sorted.len() < 2
            || self
                .header_sorted
                .binary_search_by(|n| n.as_slice().cmp(first))
                .is_err()
        {
            return None;
        }
        let mut fields: Vec<&[u8]> = rec.iter().map(<[u8]>::trim_ascii).collect();
        fields.sort_unstable();
        fields
            .iter()
            .zip(&self.header_sorted)
            .all(|(a, b)| *a == b.as_slice())
            .then_some(HeaderAgain::Reordered)
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
                let found = rec.len();
                // Too many values, or a lone value where there are columns (a line cut out
                // of a record by a stray quote): the columns cannot be told.
                if (found > expected && !has_width(rec, expected)) || (found == 1 && expected > 1) {
                    return Err(RowError::Ragged { found, expected });
                }
                // Fewer values than columns: the empty cells at the end left out.
                out.short = found < self.named_width;
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
                let (v, latin) = parse_json(line).ok_or(RowError::Json)?;
                out.non_utf8 += u32::from(latin);
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
    // Stealer logs put the site first: `https://site.example/login:email:password`.
    let line = after_url(line).unwrap_or(line);
    let Some((start, end)) = find_email(line) else {
        return Err(RowError::NoEmail);
    };
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

/// Whether a byte separates the fields of a combolist line: ':', ';', '|' or a tab.
fn is_combo_separator(b: u8) -> bool {
    matches!(b, b':' | b';' | b'|' | b'\t')
}

/// Where the e-mail of a combolist line is (`start..end`): the first field holding an '@'
/// and no '/' (the '@' of `android://token@com.app/` or of a password with a '/' is not an
/// e-mail), fields being cut at [`is_combo_separator`] bytes.
fn find_email(line: &[u8]) -> Option<(usize, usize)> {
    // Each field is looked at once, so a line of many '@' costs no more than its length.
    let mut from = 0;
    while let Some(i) = memchr::memchr(b'@', &line[from..]) {
        let at = from + i;
        let start = line[from..at]
            .iter()
            .rposition(|&b| is_combo_separator(b))
            .map_or(from, |j| from + j + 1);
        let end = line[at..]
            .iter()
            .position(|&b| is_combo_separator(b))
            .map_or(line.len(), |j| at + j);
        if !line[start..end].contains(&b'/') {
            return Some((start, end));
        }
        from = end;
    }
    None
}

/// The rest of a line that starts with a URL, as stealer logs write them
/// (`https://site.example:8080/login:email:password`, `android://token@com.app/:email:pw`):
/// what follows the URL and the separator that ends it (a ':', ';', '|', tab or space after
/// the host and path; a ':' before a port number is part of the URL). `None` when the line
/// does not start with `scheme://`.
pub fn after_url(line: &[u8]) -> Option<&[u8]> {
    let colon = memchr::memmem::find(line, b"://")?;
    let scheme = &line[..colon];
    let is_scheme = scheme.first().is_some_and(u8::is_ascii_alphabetic)
        && scheme.len() <= 32
        && scheme
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-'));
    if !is_scheme {
        return None;
    }
    let ends_url = |b: u8| is_combo_separator(b) || b == b' ';
    let mut path = false;
    let mut i = colon + 3;
    while i < line.len() {
        let b = line[i];
        if b == b'/' {
            path = true;
        } else if ends_url(b) {
            // `host:8080/`, `host:8080:` or `host:8080` at the end: a port.
            let digits = line[i + 1..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            let port = b == b':'
                && !path
                && (1..=5).contains(&digits)
                && line
                    .get(i + 1 + digits)
                    .is_none_or(|&n| n == b'/' || ends_url(n));
            if !port {
                return Some(&line[i + 1..]);
            }
            i += digits;
        }
        i += 1;
    }
    Some(&[])
}

/// Parses a JSON record; one that is not UTF-8 (an export in Windows-1252: "Zoë", "O’Brien")
/// is read as Windows-1252, as delimited cells are. Also says whether it was.
pub(crate) fn parse_json(bytes: &[u8]) -> Option<(serde_json::Value, bool)> {
    match serde_json::from_slice(bytes) {
        Ok(v) => Some((v, false)),
        Err(_) if std::str::from_utf8(bytes).is_err() => {
            let text = crate::tenants::decode_cell(bytes);
            serde_json::from_str(&text).ok().map(|v| (v, true))
        }
        Err(_) => None,
    }
}

/// Whether a JSON object key is data rather than a name: an e-mail, an id or a date
/// (`{"jack@x.com": {...}}`, `{"T000123": {...}}`). Such keys must not become column names:
/// they would put every stranger's e-mail into the manifest and the log.
pub(crate) fn is_data_key(k: &str) -> bool {
    k.contains('@') || k.bytes().filter(u8::is_ascii_digit).count() >= 4 || k.len() > 64
}

/// Walks a JSON value, calling `f(dotted path, text)` for every string or number leaf.
/// Array elements share their array's path. An object key that is data (see
/// [`is_data_key`]) is itself a value, at path `(key)`, and what it holds is under `*`.
pub fn flatten_json(v: &serde_json::Value, path: &mut String, f: &mut impl FnMut(&str, &str)) {
    use serde_json::Value;
    match v {
        Value::Object(map) => {
            // `{"system": "email", "value": "a@b.c"}`: the value under the name of its kind.
            let typed = typed_value(map);
            if let Some((kind, _, value)) = typed {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(kind);
                flatten_json(value, path, f);
                path.truncate(len);
            }
            for (k, child) in map {
                if typed.is_some_and(|(_, key, _)| key == k) {
                    continue;
                }
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

/// An object that says what kind of value it holds, as contact lists do (FHIR `telecom`,
/// CRM exports): `{"system": "email", "value": "a@b.c"}`, `{"type": "mobile", "number": "07700
/// 900123"}`. Gives the kind (a header word naming an identifying role), the key of the value
/// and the value, so the value is read under its kind rather than a bare "value" column that
/// mixes e-mails and phones.
fn typed_value(
    map: &serde_json::Map<String, serde_json::Value>,
) -> Option<(&str, &str, &serde_json::Value)> {
    let (key, value) = ["value", "number", "address", "detail"]
        .into_iter()
        .find_map(|k| map.get_key_value(k))?;
    let kind = ["system", "type", "kind", "channel", "label", "use"]
        .into_iter()
        .find_map(|k| map.get(k)?.as_str())?
        .trim();
    let named = kind.len() <= 32
        && Role::from_header(kind).is_some_and(|r| r.is_identifying() && r != Role::Other);
    named.then_some((kind, key.as_str(), value))
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

    /// Decodes one combolist line: its cells and the sensitive categories recorded.
    fn combo(line: &str) -> (Vec<(Role, String)>, CategorySet) {
        let mut c = Cells::default();
        decode_combo(line.as_bytes(), &mut c).unwrap();
        (
            c.iter().map(|(r, s)| (r, s.to_string())).collect(),
            c.categories(),
        )
    }

    #[test]
    fn combolist_lines_with_tabs_or_a_url_first() {
        for (line, email) in [
            ("zoe.dubois@example.com\thunter2", "zoe.dubois@example.com"),
            (
                "https://site1.com/login:user1@example.com:pw1",
                "user1@example.com",
            ),
            (
                "https://site.example:8080/login:j.o+x@example.com:pa:ss",
                "j.o+x@example.com",
            ),
            (
                "https://x.com:aisha.khan@example.net:pw",
                "aisha.khan@example.net",
            ),
            (
                "android://xyz==@com.bank/:aisha.khan@example.net:pw",
                "aisha.khan@example.net",
            ),
            ("https://site.example/login\tme@x.com\tpw", "me@x.com"),
            ("https://site.example/login|me@x.com|pw", "me@x.com"),
        ] {
            let (cells, co) = combo(line);
            assert_eq!(cells, vec![(Role::Email, email.to_string())], "{line}");
            assert!(co.contains(Category::Password), "{line}");
        }
        // A username before the e-mail is still one after a URL.
        let (cells, _) = combo("https://site.example/login:jsmith:j@x.com:pw");
        assert_eq!(
            cells,
            vec![
                (Role::Username, "jsmith".into()),
                (Role::Email, "j@x.com".into())
            ]
        );
        // No password: no category.
        let (_, co) = combo("me@x.com\t");
        assert!(!co.contains(Category::Password));
        // An '@' in the URL or in a field with a '/' is not an e-mail.
        let mut c = Cells::default();
        for line in ["android://tok@com.app/:jsmith:pw", "jsmith:p@ss/word"] {
            assert_eq!(
                decode_combo(line.as_bytes(), &mut c),
                Err(RowError::NoEmail),
                "{line}"
            );
        }
    }

    /// Reads a JSON document as a scan does: sniffed, cut into records, each decoded; the
    /// line and cells of each row.
    fn doc_rows(doc: &[u8], name: &str) -> Vec<(u64, Vec<(Role, String)>)> {
        let l = sniff_bytes(doc, name, Compression::None).unwrap();
        assert_eq!(l.format, Format::JsonDocument, "{name}");
        let d = Decoder::new(&l);
        let mut out = Vec::new();
        let mut c = Cells::default();
        let mut split = crate::dump::json_doc::Splitter::new(0, 0);
        let mut each = |r: crate::dump::json_doc::Record<'_>| {
            let rec = csv::ByteRecord::from(vec![r.bytes]);
            d.decode(&rec, &mut c).unwrap();
            out.push((
                r.line,
                c.iter().map(|(role, t)| (role, t.to_string())).collect(),
            ));
            true
        };
        split.push(doc, &mut each);
        split.end(&mut each);
        out
    }

    #[test]
    fn records_in_an_api_response_are_rows_of_their_own() {
        // Two people's fields must not be joined into one row.
        let doc = b"{\"status\": \"ok\",\n \"results\": [\n  {\"name\": \"John Smith\", \"dob\": \"1990-07-21\", \"postcode\": \"E1 6AN\"},\n  {\"name\": \"Oliver Brown\", \"dob\": \"1970-01-01\", \"postcode\": \"BS1 5TR\"}\n ]\n}\n";
        let rows = doc_rows(doc, "api.json");
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert_eq!((rows[0].0, rows[1].0), (3, 4));
        let john = &rows[0].1;
        assert!(
            john.contains(&(Role::FullName, "John Smith".into())),
            "{john:?}"
        );
        assert!(john.contains(&(Role::Dob, "1990-07-21".into())), "{john:?}");
        assert!(
            john.contains(&(Role::Postcode, "E1 6AN".into())),
            "{john:?}"
        );
        assert!(
            !john
                .iter()
                .any(|(_, v)| v == "1970-01-01" || v == "BS1 5TR"),
            "{john:?}"
        );
        // The same on one line of a JSON lines file.
        let line = b"{\"page\":1,\"results\":[{\"name\":\"John Smith\",\"dob\":\"1990-07-21\",\"postcode\":\"E1 6AN\"},{\"name\":\"Oliver Brown\",\"dob\":\"1970-01-01\",\"postcode\":\"BS1 5TR\"}]}\n";
        let rows = doc_rows(line, "api.jsonl");
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert_eq!((rows[0].0, rows[1].0), (1, 1));
        assert!(
            rows[1].1.contains(&(Role::Postcode, "BS1 5TR".into())),
            "{rows:?}"
        );
        assert!(
            !rows[1].1.iter().any(|(_, v)| v == "John Smith"),
            "{rows:?}"
        );
    }

    #[test]
    fn keyed_records_and_tables_in_json_are_rows_of_their_own() {
        let keyed = b"{\n \"mj.watson@example.co.uk\": {\"name\": \"Mary Watson\", \"phone\": \"029 2018 0555\"},\n \"zoe.dubois@example.com\": {\"name\": \"Zoe Dubois\"}\n}\n";
        let rows = doc_rows(keyed, "keyed.json");
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert_eq!((rows[0].0, rows[1].0), (2, 3));
        let (mary, zoe) = (&rows[0].1, &rows[1].1);
        assert!(
            mary.contains(&(Role::Email, "mj.watson@example.co.uk".into())),
            "{mary:?}"
        );
        assert!(
            mary.contains(&(Role::Phone, "029 2018 0555".into())),
            "{mary:?}"
        );
        assert!(
            zoe.contains(&(Role::Email, "zoe.dubois@example.com".into())),
            "{zoe:?}"
        );
        assert!(
            zoe.contains(&(Role::FullName, "Zoe Dubois".into())),
            "{zoe:?}"
        );
        assert!(!zoe.iter().any(|(r, _)| *r == Role::Phone), "{zoe:?}");
        let table = b"[[\"name\",\"email\",\"dob\"],\n [\"Oliver Brown\",\"ob@example.com\",\"1960-02-01\"],\n [\"Zoe Dubois\",\"zoe.dubois@example.com\",\"1985-03-14\"]]\n";
        let rows = doc_rows(table, "rows.json");
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert_eq!((rows[0].0, rows[1].0), (2, 3));
        let zoe = &rows[1].1;
        assert!(
            zoe.contains(&(Role::FullName, "Zoe Dubois".into())),
            "{zoe:?}"
        );
        assert!(
            zoe.contains(&(Role::Email, "zoe.dubois@example.com".into())),
            "{zoe:?}"
        );
        assert!(zoe.contains(&(Role::Dob, "1985-03-14".into())), "{zoe:?}");
        assert!(!zoe.iter().any(|(_, v)| v == "Oliver Brown"), "{zoe:?}");
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
        let again = |f: &[&[u8]]| d.header_again(&rec(f));
        assert_eq!(again(&[b"Name", b"Email"]), Some(HeaderAgain::Repeated));
        assert_eq!(again(&[b" Name ", b"Email "]), Some(HeaderAgain::Repeated));
        assert_eq!(again(&[b"John Smith", b"Email"]), None);
        assert_eq!(again(&[b"Name", b"j@x.com"]), None);
        assert_eq!(again(&[b"Name"]), None);
        // The same names in another order: another export's header.
        assert_eq!(again(&[b"Email", b" Name"]), Some(HeaderAgain::Reordered));
        assert_eq!(again(&[b"Email", b"John Smith"]), None);
    }

    #[test]
    fn json_contact_lists_are_read_under_their_kind() {
        let line = br#"{"name":"Aisha Khan","telecom":[{"system":"email","value":"a.k@example.net"},{"system":"phone","use":"home","value":"0161 496 0333"},{"system":"fax","value":"0161 496 0999"}],"contacts":[{"type":"Mobile","number":"07700 900123"}]}"#;
        let l = sniff_bytes(line, "x.jsonl", Compression::None).unwrap();
        let got = cells(&l, &[line]).unwrap();
        assert!(
            got.contains(&(Role::Email, "a.k@example.net".into())),
            "{got:?}"
        );
        assert!(
            got.contains(&(Role::Phone, "0161 496 0333".into())),
            "{got:?}"
        );
        assert!(
            got.contains(&(Role::Phone, "07700 900123".into())),
            "{got:?}"
        );
        // A kind that names no identifying value keeps its "value" path (read by content).
        assert!(
            l.columns.iter().any(|c| c.name == "telecom.value"),
            "{:?}",
            l.columns
        );
    }

    #[test]
    fn json_lines_in_windows_1252_are_read() {
        let l = sniff_bytes(
            b"{\"name\":\"Zo\xeb Dubois\"}\n",
            "x.jsonl",
            Compression::None,
        )
        .unwrap();
        assert_eq!(l.format, Format::JsonLines);
        let d = Decoder::new(&l);
        let mut c = Cells::default();
        let rec = csv::ByteRecord::from(vec![b"{\"name\":\"Se\xe1n O\x92Brien\"}".to_vec()]);
        d.decode(&rec, &mut c).unwrap();
        assert_eq!(c.non_utf8, 1);
        let got: Vec<(Role, String)> = c.iter().map(|(r, v)| (r, v.to_string())).collect();
        assert_eq!(
            got,
            vec![(Role::FullName, "Se\u{e1}n O\u{2019}Brien".to_string())]
        );
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
