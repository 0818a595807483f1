//! SQL dumps (`mysqldump`, `pg_dump` plain format) parsed as rows without a database:
//! `CREATE TABLE` gives column names, `INSERT INTO ... VALUES (...),(...)` and
//! `COPY ... FROM stdin` blocks give rows, each located by the line its tuple starts on.
//! Streamed statement by statement, so a dump of many GB needs no more memory than its longest
//! statement (mysqldump cuts extended inserts at about 1 MB).

use super::{DocError, Extracted, Table};
use std::collections::HashMap;
use std::io::BufRead;

/// Longest statement accepted; a longer one is skipped and reported.
pub const MAX_STATEMENT: usize = 256 << 20;

/// What the parser found.
#[derive(Debug)]
pub enum SqlEvent<'a> {
    /// A row of a table.
    Row {
        /// Table name as written (quotes dropped).
        table: &'a str,
        /// Column names (from the INSERT's list, the COPY's list, or the CREATE TABLE).
        columns: &'a [String],
        /// 1-based line where the row starts.
        line: u64,
        /// The row's place (from 1) in an INSERT of several rows, which mysqldump writes on one
        /// line: the line alone does not tell its rows apart. 0 for a COPY row or an INSERT of
        /// one row.
        nth: u32,
        /// Values (NULL as empty).
        values: Vec<String>,
    },
    /// A statement that could not be parsed (skipped).
    Bad {
        /// Line where it starts.
        line: u64,
        /// Why.
        reason: String,
    },
}

/// Parses a dump, calling `on` for every row; `on` returns false to stop.
pub fn parse<R: BufRead>(mut r: R, mut on: impl FnMut(SqlEvent) -> bool) -> Result<u64, DocError> {
    let mut tables: HashMap<String, Vec<String>> = HashMap::new();
    let mut line_no = 0u64;
    let mut buf = Vec::new();
    let mut stmt = String::new();
    let mut stmt_line = 0u64;
    let mut quote: Option<char> = None;
    // COPY mode: (table, columns).
    let mut copy: Option<(String, Vec<String>)> = None;
    loop {
        buf.clear();
        let n = r
            .read_until(b'\n', &mut buf)
            .map_err(|e| DocError::new(&format!("line {}", line_no + 1), e))?;
        if n == 0 {
            break;
        }
        line_no += 1;
        let line = match std::str::from_utf8(&buf) {
            Ok(s) => std::borrow::Cow::Borrowed(s),
            Err(_) => std::borrow::Cow::Owned(crate::tenants::decode_cell(&buf).into_owned()),
        };
        let line = line.trim_end_matches(['\n', '\r']);
        if let Some((table, cols)) = &copy {
            if line == "\\." {
                copy = None;
                continue;
            }
            let values = line.split('\t').map(copy_unescape).collect();
            if !on(SqlEvent::Row {
                table,
                columns: cols,
                line: line_no,
                nth: 0,
                values,
            }) {
                return Ok(line_no);
            }
            continue;
        }
        if stmt.is_empty() {
            let t = line.trim_start();
            if t.is_empty() || t.starts_with("--") || t.starts_with('#') {
                continue;
            }
            stmt_line = line_no;
        } else {
            stmt.push('\n');
        }
        // Track quotes to find the `;` that ends the statement.
        let mut prev_backslash = false;
        let mut end = None;
        for (i, c) in line.char_indices() {
            match quote {
                Some(q) => {
                    if prev_backslash {
                        prev_backslash = false;
                    } else if c == '\\' && q == '\'' {
                        prev_backslash = true;
                    } else if c == q {
                        quote = None;
                    }
                }
                None => match c {
                    '\'' | '"' | '`' => quote = Some(c),
                    ';' => end = Some(i),
                    _ => {}
                },
            }
        }
        stmt.push_str(line);
        if stmt.len() > MAX_STATEMENT {
            on(SqlEvent::Bad {
                line: stmt_line,
                reason: format!("statement longer than {MAX_STATEMENT} bytes: skipped"),
            });
            stmt.clear();
            quote = None;
            continue;
        }
        if end.is_none() || quote.is_some() {
            continue;
        }
        let s = std::mem::take(&mut stmt);
        let s = s.trim();
        let upper: String = s.chars().take(40).collect::<String>().to_ascii_uppercase();
        if upper.starts_with("CREATE TABLE") {
            if let Some((name, cols)) = create_table(s) {
                tables.insert(name, cols);
            }
        } else if upper.starts_with("INSERT INTO") || upper.starts_with("REPLACE INTO") {
            match insert(s, stmt_line, &tables) {
                Ok((table, cols, rows)) => {
                    let several = rows.len() > 1;
                    for (i, (line, values)) in rows.into_iter().enumerate() {
                        if !on(SqlEvent::Row {
                            table: &table,
                            columns: &cols,
                            line,
                            nth: if several { i as u32 + 1 } else { 0 },
                            values,
                        }) {
                            return Ok(line_no);
                        }
                    }
                }
                Err(reason) => {
                    on(SqlEvent::Bad {
                        line: stmt_line,
                        reason,
                    });
                }
            }
        } else if upper.starts_with("COPY ") && s.to_ascii_lowercase().contains("from stdin") {
            let (name, rest) = ident(&s[5..]);
            let cols = match rest.trim_start().strip_prefix('(') {
                Some(r) => r
                    .split(')')
                    .next()
                    .unwrap_or("")
                    .split(',')
                    .map(|c| unquote(c.trim()))
                    .collect(),
                None => tables.get(&name).cloned().unwrap_or_default(),
            };
            copy = Some((name, cols));
        }
    }
    Ok(line_no)
}

/// Reads a whole dump held in memory into tables (one per table name, in order of first row).
pub fn extract(bytes: &[u8]) -> Result<Extracted, DocError> {
    let mut out = Extracted::default();
    let mut order: HashMap<String, usize> = HashMap::new();
    parse(bytes, |ev| {
        match ev {
            SqlEvent::Row {
                table,
                columns,
                line,
                values,
                ..
            } => {
                let i = *order.entry(table.to_string()).or_insert_with(|| {
                    out.tables.push(Table {
                        name: format!("table {table}"),
                        header: columns.to_vec(),
                        header_row: 0,
                        rows: Vec::new(),
                    });
                    out.tables.len() - 1
                });
                out.tables[i].rows.push((line, values));
            }
            SqlEvent::Bad { line, reason } => out.notes.push(format!("line {line}: {reason}")),
        }
        true
    })?;
    Ok(out)
}

/// An identifier (quoted with backticks or double quotes, or bare, schema-qualified) and the
/// rest of the text.
fn ident(s: &str) -> (String, &str) {
    let s = s.trim_start();
    let mut name = String::new();
    let mut rest = s;
    loop {
        let (part, r) = match rest.chars().next() {
            Some(q @ ('`' | '"')) => match rest[1..].find(q) {
                Some(e) => (&rest[1..=e], &rest[e + 2..]),
                None => (&rest[1..], ""),
            },
            _ => {
                let e = rest
                    .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
                    .unwrap_or(rest.len());
                (&rest[..e], &rest[e..])
            }
        };
        name.push_str(part);
        rest = r;
        if let Some(r2) = rest.strip_prefix('.') {
            name.push('.');
            rest = r2;
        } else {
            break;
        }
    }
    (name, rest)
}

fn unquote(s: &str) -> String {
    ident(s).0
}

fn create_table(s: &str) -> Option<(String, Vec<String>)> {
    let mut rest = s["CREATE TABLE".len()..].trim_start();
    if rest.to_ascii_uppercase().starts_with("IF NOT EXISTS") {
        rest = &rest["IF NOT EXISTS".len()..];
    }
    let (name, rest) = ident(rest);
    let body = rest.trim_start().strip_prefix('(')?;
    let mut cols = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    let mut items = Vec::new();
    for (i, c) in body.char_indices() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => {
                items.push(&body[start..i]);
                break;
            }
            ')' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&body[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    for item in items {
        let t = item.trim();
        let first = t
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        if [
            "PRIMARY",
            "KEY",
            "UNIQUE",
            "CONSTRAINT",
            "INDEX",
            "FOREIGN",
            "CHECK",
            "FULLTEXT",
            "SPATIAL",
            "EXCLUDE",
        ]
        .contains(&first.as_str())
            || t.is_empty()
        {
            continue;
        }
        cols.push(ident(t).0);
    }
    Some((name, cols))
}

type Rows = Vec<(u64, Vec<String>)>;

fn insert(
    s: &str,
    line: u64,
    tables: &HashMap<String, Vec<String>>,
) -> Result<(String, Vec<String>, Rows), String> {
    let head_len = if s
        .get(.."INSERT INTO".len())
        .is_some_and(|h| h.eq_ignore_ascii_case("INSERT INTO"))
    {
        "INSERT INTO".len()
    } else {
        "REPLACE INTO".len()
    };
    let (table, rest) = ident(&s[head_len..]);
    let mut rest = rest.trim_start();
    let cols: Vec<String> = if let Some(r) = rest.strip_prefix('(') {
        let e = r.find(')').ok_or("unclosed column list")?;
        let c = r[..e].split(',').map(|c| unquote(c.trim())).collect();
        rest = r[e + 1..].trim_start();
        c
    } else {
        tables.get(&table).cloned().unwrap_or_default()
    };
    let upper = rest.get(..6).unwrap_or("").to_ascii_uppercase();
    if !upper.starts_with("VALUES") {
        return Err("INSERT without VALUES (e.g. INSERT ... SELECT): skipped".into());
    }
    let body = &rest[6..];
    let offset = s.len() - body.len();
    let mut rows = Vec::new();
    let mut cur: Option<(u64, Vec<String>)> = None;
    let mut val = String::new();
    let mut quoted = false;
    let mut chars = body.char_indices().peekable();
    let mut newlines = s[..offset].matches('\n').count() as u64;
    while let Some((i, c)) = chars.next() {
        if c == '\n' {
            newlines += 1;
        }
        match (&mut cur, c) {
            (None, '(') => {
                cur = Some((line + newlines, Vec::new()));
                val.clear();
                quoted = false;
            }
            (None, _) => {}
            (Some(_), '\'') => {
                quoted = true;
                // A quoted string: '' and backslash escapes.
                loop {
                    match chars.next() {
                        None => return Err(format!("unterminated string at byte {i}")),
                        Some((_, '\\')) => match chars.next() {
                            Some((_, 'n')) => val.push('\n'),
                            Some((_, 't')) => val.push('\t'),
                            Some((_, 'r')) => val.push('\r'),
                            Some((_, '0')) => {}
                            Some((_, c)) => val.push(c),
                            None => {}
                        },
                        Some((_, '\'')) => {
                            if chars.peek().is_some_and(|(_, c)| *c == '\'') {
                                chars.next();
                                val.push('\'');
                            } else {
                                break;
                            }
                        }
                        Some((_, c)) => {
                            if c == '\n' {
                                newlines += 1;
                            }
                            val.push(c);
                        }
                    }
                }
            }
            (Some((_, vals)), ',') => {
                vals.push(finish(&val, quoted));
                val.clear();
                quoted = false;
            }
            (Some(_), ')') => {
                if let Some((l, mut vals)) = cur.take() {
                    vals.push(finish(&val, quoted));
                    rows.push((l, vals));
                }
                val.clear();
            }
            (Some(_), c) => {
                if !quoted {
                    val.push(c);
                }
            }
        }
    }
    Ok((table, cols, rows))
}

fn finish(v: &str, quoted: bool) -> String {
    if quoted {
        return v.to_string();
    }
    let t = v.trim();
    if t.eq_ignore_ascii_case("NULL") {
        String::new()
    } else {
        t.to_string()
    }
}

fn copy_unescape(v: &str) -> String {
    if v == "\\N" {
        return String::new();
    }
    if !v.contains('\\') {
        return v.to_string();
    }
    let mut out = String::with_capacity(v.len());
    let mut it = v.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.next() {
                Some('t') => out.push('\t'),
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some(c) => out.push(c),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const MYSQL: &str = "-- MySQL dump 10.13\n\
/*!40101 SET NAMES utf8mb4 */;\n\
DROP TABLE IF EXISTS `tenants`;\n\
CREATE TABLE `tenants` (\n\
  `id` int NOT NULL AUTO_INCREMENT,\n\
  `full_name` varchar(100) DEFAULT NULL,\n\
  `dob` date DEFAULT NULL,\n\
  `notes` text,\n\
  PRIMARY KEY (`id`),\n\
  KEY `idx_name` (`full_name`)\n\
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n\
INSERT INTO `tenants` VALUES (1,'Mary O\\'Brien','1970-05-01','said \"hi\"; left'),(2,'Jo Bloggs',NULL,'it''s, fine');\n\
INSERT INTO `tenants` (`full_name`, `dob`) VALUES\n\
('Ann Lee','1980-02-01'),\n\
('Bob (Robert) Ray','1990-03-04');\n";

    /// Table, columns, line, values.
    type Row = (String, Vec<String>, u64, Vec<String>);

    fn rows(src: &str) -> Vec<Row> {
        rows_nth(src).into_iter().map(|(r, _)| r).collect()
    }

    fn rows_nth(src: &str) -> Vec<(Row, u32)> {
        let mut out = Vec::new();
        parse(src.as_bytes(), |ev| {
            if let SqlEvent::Row {
                table,
                columns,
                line,
                nth,
                values,
            } = ev
            {
                out.push(((table.to_string(), columns.to_vec(), line, values), nth));
            }
            true
        })
        .unwrap();
        out
    }

    #[test]
    fn mysqldump_inserts_with_escapes_and_line_numbers() {
        let r = rows(MYSQL);
        assert_eq!(r.len(), 4);
        assert_eq!(r[0].0, "tenants");
        assert_eq!(r[0].1, ["id", "full_name", "dob", "notes"]);
        assert_eq!(r[0].2, 12);
        assert_eq!(
            r[0].3,
            ["1", "Mary O'Brien", "1970-05-01", "said \"hi\"; left"]
        );
        assert_eq!(r[1].3, ["2", "Jo Bloggs", "", "it's, fine"]);
        assert_eq!(r[2].1, ["full_name", "dob"]);
        assert_eq!((r[2].2, r[3].2), (14, 15));
        assert_eq!(r[3].3, ["Bob (Robert) Ray", "1990-03-04"]);
        // Each row of an INSERT of several rows says its place in it.
        let nth: Vec<u32> = rows_nth(MYSQL).into_iter().map(|(_, n)| n).collect();
        assert_eq!(nth, [1, 2, 1, 2]);
        let one = rows_nth("INSERT INTO t (a) VALUES ('x');\n");
        assert_eq!(one[0].1, 0);
    }

    #[test]
    fn pg_dump_copy_blocks() {
        let src = "--\n-- PostgreSQL database dump\n--\nCREATE TABLE public.residents (\n    id integer NOT NULL,\n    email text\n);\n\
COPY public.residents (id, email, phone) FROM stdin;\n1\tann@example.com\t\\N\n2\tbob\\tx@example.com\t07700 900123\n\\.\n\
INSERT INTO public.residents VALUES (3, 'c@example.com');\n";
        let r = rows(src);
        assert_eq!(r.len(), 3);
        assert_eq!(r[0].0, "public.residents");
        assert_eq!(r[0].1, ["id", "email", "phone"]);
        assert_eq!(r[0].2, 9);
        assert_eq!(r[0].3, ["1", "ann@example.com", ""]);
        assert_eq!(r[1].3[1], "bob\tx@example.com");
        assert_eq!(r[2].1, ["id", "email"]);
    }

    #[test]
    fn bad_statements_are_reported_not_fatal() {
        let mut bad = Vec::new();
        let mut n = 0;
        parse(
            "INSERT INTO t SELECT * FROM u;\nINSERT INTO t VALUES ('a');\n".as_bytes(),
            |ev| {
                match ev {
                    SqlEvent::Bad { line, .. } => bad.push(line),
                    SqlEvent::Row { .. } => n += 1,
                }
                true
            },
        )
        .unwrap();
        assert_eq!((bad, n), (vec![1], 1));
    }

    #[test]
    fn extract_groups_rows_by_table() {
        let e = extract(MYSQL.as_bytes()).unwrap();
        assert_eq!(e.tables.len(), 1);
        assert_eq!(e.tables[0].name, "table tenants");
        assert_eq!(e.tables[0].rows.len(), 4);
    }

    proptest::proptest! {
        /// Any bytes parse without a panic (rows or bad statements, never a crash).
        #[test]
        fn any_dump_parses_without_panic(src in "(INSERT INTO t VALUES |CREATE TABLE t \\(|COPY t FROM stdin;\n|[(),'\"`;\\\\\n\t]|\\PC){0,120}") {
            let _ = parse(src.as_bytes(), |_| true);
        }
    }
}
