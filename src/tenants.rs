//! Reading the landlord's tenants file (CSV or Parquet) into rows of `(role, value)` cells.
//!
//! Columns are mapped by header synonyms ([`crate::roles::Role::from_header`]) unless a
//! `--map` TOML file says otherwise:
//! ```toml
//! [columns]
//! "Tenant ID" = "tenant_id"
//! "Forename" = "given_name"
//! "Home Tel" = "phone"
//! "Notes" = "other"
//! ```
//! A tenant id column is required and ids must be unique: results point back at tenants by id.

use crate::roles::Role;
use sha2::Digest;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Errors reading a tenants file or a column map.
#[derive(Debug, thiserror::Error)]
pub enum TenantsError {
    /// I/O failure.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        #[source]
        source: std::io::Error,
    },
    /// A CSV row could not be read.
    #[error("{path}, line {line}: {message}")]
    Csv {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// The file has a single column: usually the wrong delimiter.
    #[error(
        "{path}: found only one column ({header:?}); is it really comma-, semicolon-, tab- or pipe-separated?"
    )]
    OneColumn {
        /// The file.
        path: PathBuf,
        /// The header line.
        header: String,
    },
    /// No column holds the tenant id.
    #[error(
        "{path}: no tenant id column among {headers:?}; name it \"Tenant ID\" or map it in a --map file ([columns] \"Your Header\" = \"tenant_id\")"
    )]
    NoIdColumn {
        /// The file.
        path: PathBuf,
        /// The headers found.
        headers: Vec<String>,
    },
    /// No column can be matched on.
    #[error(
        "{path}: none of the columns {headers:?} is a name, date of birth, postcode, e-mail, phone, NI number, bank or tenancy field; map them in a --map file"
    )]
    NoIdentifyingColumn {
        /// The file.
        path: PathBuf,
        /// The headers found.
        headers: Vec<String>,
    },
    /// Two rows share a tenant id.
    #[error(
        "{path}, line {line}: tenant id {id:?} already used on line {first}; tenant ids must be unique"
    )]
    DuplicateId {
        /// The file.
        path: PathBuf,
        /// The id.
        id: String,
        /// Where it first appeared.
        first: u64,
        /// Where it appeared again.
        line: u64,
    },
    /// The column map file is wrong.
    #[error("column map {path}: {message}")]
    Map {
        /// The map file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The file is not CSV text (a workbook, UTF-16, compressed).
    #[error("{path}: this is {what}, not a CSV text file; {fix}")]
    NotCsv {
        /// The file.
        path: PathBuf,
        /// What it is.
        what: &'static str,
        /// What to do.
        fix: &'static str,
    },
    /// A Parquet file could not be read.
    #[error("{path}: cannot read Parquet: {message}")]
    Parquet {
        /// The file.
        path: PathBuf,
        /// The error.
        message: String,
    },
}

/// Header -> role overrides from a `--map` TOML file.
#[derive(Debug, Clone, Default)]
pub struct ColumnMap {
    overrides: BTreeMap<String, Role>,
}

impl ColumnMap {
    /// Reads a map file; unknown roles are errors naming the key.
    pub fn from_file(path: &Path) -> Result<ColumnMap, TenantsError> {
        let text = fs_err::read_to_string(path).map_err(|source| TenantsError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        ColumnMap::from_toml(&text).map_err(|message| TenantsError::Map {
            path: path.to_path_buf(),
            message,
        })
    }

    /// Parses the TOML text of a map.
    pub fn from_toml(text: &str) -> Result<ColumnMap, String> {
        let value: toml::Table = text.parse().map_err(|e: toml::de::Error| e.to_string())?;
        let mut overrides = BTreeMap::new();
        for (k, v) in &value {
            if k != "columns" {
                return Err(format!("unknown section [{k}]; expected [columns]"));
            }
            let table = v
                .as_table()
                .ok_or_else(|| "[columns] must be a table of \"Header\" = \"role\"".to_string())?;
            for (header, role) in table {
                let role_s = role
                    .as_str()
                    .ok_or_else(|| format!("columns.{header:?}: the role must be a string"))?;
                let role = Role::ALL
                    .into_iter()
                    .find(|r| r.as_str() == role_s)
                    .ok_or_else(|| {
                        format!(
                            "columns.{header:?}: unknown role {role_s:?}; roles are {}",
                            Role::ALL.map(Role::as_str).join(", ")
                        )
                    })?;
                overrides.insert(header.trim().to_lowercase(), role);
            }
        }
        Ok(ColumnMap { overrides })
    }

    /// The role of a header: the override, else the synonym table, else [`Role::Other`].
    pub fn role_of(&self, header: &str) -> Role {
        self.overrides
            .get(&header.trim().to_lowercase())
            .copied()
            .or_else(|| Role::from_header(header))
            .unwrap_or(Role::Other)
    }
}

/// One tenant row.
#[derive(Debug, Clone)]
pub struct TenantRow {
    /// 1-based line in the file (row number + 1 for Parquet).
    pub line: u64,
    /// The tenant id.
    pub id: String,
    /// `(column number, role, raw value)` for every non-empty mapped cell.
    pub cells: Vec<(usize, Role, String)>,
}

impl TenantRow {
    /// The first raw value of a role, if any.
    pub fn get(&self, role: Role) -> Option<&str> {
        self.cells
            .iter()
            .find(|(_, r, _)| *r == role)
            .map(|(_, _, v)| v.as_str())
    }
}

/// A whole tenants file.
#[derive(Debug, Clone)]
pub struct TenantTable {
    /// The file.
    pub path: PathBuf,
    /// SHA-256 of the file's bytes (hex): recorded in the index, so that a report made with
    /// another tenants file is noticed.
    pub sha256: String,
    /// `(header, role)` per column.
    pub columns: Vec<(String, Role)>,
    /// The rows with an id.
    pub rows: Vec<TenantRow>,
    /// Lines of rows skipped because the id was empty.
    pub rows_without_id: Vec<u64>,
}

impl TenantTable {
    /// Rows by tenant id.
    pub fn by_id(&self) -> HashMap<&str, &TenantRow> {
        self.rows.iter().map(|r| (r.id.as_str(), r)).collect()
    }
}

/// What a tenants file that is not CSV text (nor Parquet) is, by its first bytes, and how to
/// make it CSV.
fn not_csv(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    const SAVE_AS: &str = "in Excel use File > Save As > \"CSV UTF-8 (Comma delimited)\"";
    let head = &bytes[..bytes.len().min(512)];
    if bytes.starts_with(b"PK\x03\x04") {
        Some(("an Excel workbook (.xlsx) or another zip file", SAVE_AS))
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        Some(("an old-style Excel workbook (.xls)", SAVE_AS))
    } else if bytes.starts_with(&[0xFF, 0xFE])
        || bytes.starts_with(&[0xFE, 0xFF])
        || head.iter().filter(|&&b| b == 0).count() * 4 > head.len()
    {
        Some((
            "UTF-16 text (Excel's \"Unicode Text\")",
            "save it as \"CSV UTF-8 (Comma delimited)\" instead, or convert it (iconv -f UTF-16 -t UTF-8)",
        ))
    } else if bytes.starts_with(&[0x1F, 0x8B]) || bytes.starts_with(&[0x28, 0xB5, 0x2F, 0xFD]) {
        Some(("a compressed file (gzip or zstd)", "decompress it first"))
    } else {
        None
    }
}

/// Reads a tenants CSV (any of `, ; TAB |`, UTF-8 with or without BOM) or Parquet file.
pub fn read_tenants(path: &Path, map: &ColumnMap) -> Result<TenantTable, TenantsError> {
    let io = |source| TenantsError::Io {
        path: path.to_path_buf(),
        source,
    };
    let bytes = fs_err::read(path).map_err(io)?;
    if let Some((what, fix)) = not_csv(&bytes) {
        return Err(TenantsError::NotCsv {
            path: path.to_path_buf(),
            what,
            fix,
        });
    }
    let (headers, records) = if bytes.starts_with(b"PAR1") {
        read_parquet(path)?
    } else {
        read_csv(path, &bytes)?
    };
    let columns: Vec<(String, Role)> = headers
        .iter()
        .map(|h| (h.clone(), map.role_of(h)))
        .collect();
    let Some(id_col) = columns.iter().position(|(_, r)| *r == Role::TenantId) else {
        return Err(TenantsError::NoIdColumn {
            path: path.to_path_buf(),
            headers,
        });
    };
    if !columns.iter().any(|(_, r)| r.is_identifying()) {
        return Err(TenantsError::NoIdentifyingColumn {
            path: path.to_path_buf(),
            headers,
        });
    }
    let mut rows = Vec::with_capacity(records.len());
    let mut rows_without_id = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for (line, rec) in records {
        let id = rec.get(id_col).map(|s| s.trim()).unwrap_or("");
        if id.is_empty() {
            rows_without_id.push(line);
            continue;
        }
        if let Some(&first) = seen.get(id) {
            return Err(TenantsError::DuplicateId {
                path: path.to_path_buf(),
                id: id.to_string(),
                first,
                line,
            });
        }
        seen.insert(id.to_string(), line);
        let cells = rec
            .iter()
            .enumerate()
            .filter(|(i, v)| *i != id_col && !v.trim().is_empty())
            .filter_map(|(i, v)| {
                let role = columns.get(i)?.1;
                (role != Role::Other).then(|| (i, role, v.clone()))
            })
            .collect();
        rows.push(TenantRow {
            line,
            id: id.to_string(),
            cells,
        });
    }
    Ok(TenantTable {
        path: path.to_path_buf(),
        sha256: hex::encode(sha2::Sha256::digest(&bytes)),
        columns,
        rows,
        rows_without_id,
    })
}

type Records = Vec<(u64, Vec<String>)>;

fn read_csv(path: &Path, bytes: &[u8]) -> Result<(Vec<String>, Records), TenantsError> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first_line = body.split(|&b| b == b'\n').next().unwrap_or(b"");
    let delim = [b',', b';', b'\t', b'|']
        .into_iter()
        .max_by_key(|d| first_line.iter().filter(|b| *b == d).count())
        .unwrap_or(b',');
    if !first_line.contains(&delim) {
        return Err(TenantsError::OneColumn {
            path: path.to_path_buf(),
            header: String::from_utf8_lossy(first_line).trim().to_string(),
        });
    }
    let mut rdr = csv::ReaderBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .delimiter(delim)
        .flexible(true)
        .has_headers(false)
        .from_reader(body);
    let mut headers = Vec::new();
    let mut records = Vec::new();
    let mut rec = csv::ByteRecord::new();
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {
                let line = rec.position().map_or(0, |p| p.line());
                let fields: Vec<String> = rec
                    .iter()
                    .map(|f| decode_cell(f).trim().to_string())
                    .collect();
                if headers.is_empty() {
                    headers = fields;
                } else if fields.iter().any(|f| !f.is_empty()) {
                    check_row(&fields, headers.len(), delim).map_err(|message| {
                        TenantsError::Csv {
                            path: path.to_path_buf(),
                            line,
                            message,
                        }
                    })?;
                    records.push((line, fields));
                }
            }
            Err(e) => {
                return Err(TenantsError::Csv {
                    path: path.to_path_buf(),
                    line: e.position().map_or(0, |p| p.line()),
                    message: e.to_string(),
                });
            }
        }
    }
    Ok((headers, records))
}

/// Refuses a row that would put tenants' values in the wrong place or lose tenants: more cells
/// than the header has columns (an unquoted delimiter inside a value shifts every later
/// column), or a quote that is never closed, which reads the following rows into one value
/// (found as a value over several lines of which one holds a whole row's delimiters). A row
/// with fewer cells is read with the missing ones empty.
pub(crate) fn check_row(fields: &[String], columns: usize, delim: u8) -> Result<(), String> {
    let delim = char::from(delim);
    for f in fields {
        let lines = f.split('\n').count() as u64;
        if lines > 1
            && columns >= 3
            && f.split('\n')
                .skip(1)
                .any(|l| l.matches(delim).count() + 1 >= columns)
        {
            return Err(format!(
                "a quote (\") opened in this row is not closed where the value should end, so the next {} lines were read into one value (tenants would be lost); close the quote, or double a quote meant as text (\"\")",
                lines - 1
            ));
        }
    }
    if fields.len() > columns {
        return Err(format!(
            "{} values, but the header has {columns} columns: a value holds the separator '{delim}' without quotes, which would move every later value into the wrong column; put that value in double quotes",
            fields.len()
        ));
    }
    Ok(())
}

/// Decodes a cell: UTF-8, or Windows-1252 when it is not valid UTF-8 (legacy exports).
pub fn decode_cell(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => {
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
        }
    }
}

fn read_parquet(path: &Path) -> Result<(Vec<String>, Records), TenantsError> {
    use polars::prelude::*;
    let err = |e: PolarsError| TenantsError::Parquet {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    let file = fs_err::File::open(path).map_err(|source| TenantsError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let df = ParquetReader::new(file.into_parts().0)
        .finish()
        .map_err(err)?;
    let headers: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|s| s.to_string())
        .collect();
    let mut cols = Vec::new();
    for c in df.columns() {
        let s = c.cast(&DataType::String).map_err(err)?;
        let ca = s.str().map_err(err)?.clone();
        cols.push(ca);
    }
    let mut records = Vec::with_capacity(df.height());
    for i in 0..df.height() {
        let row = cols
            .iter()
            .map(|ca| ca.get(i).unwrap_or("").to_string())
            .collect();
        records.push((i as u64 + 1, row));
    }
    Ok((headers, records))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(name: &str, text: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("bm-tenants-{}", std::process::id()));
        fs_err::create_dir_all(&dir).unwrap();
        let p = dir.join(name);
        fs_err::write(&p, text).unwrap();
        p
    }

    #[test]
    fn an_unclosed_quote_or_a_shifted_row_is_an_error_with_its_line() {
        let p = write(
            "q.csv",
            "Tenant ID,Full Name,Postcode\nT1,\"Jane Smith,LS1 4AB\nT2,John Brown,M1 1AE\nT3,Al Patel,B33 8TH\n",
        );
        let e = read_tenants(&p, &ColumnMap::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 2") && e.contains("not closed"), "{e}");
        let p = write(
            "w.csv",
            "Tenant ID,Full Name,Postcode\nT1,Jane Smith,LS1 4AB\nT2,Brown, John,M1 1AE\n",
        );
        let e = read_tenants(&p, &ColumnMap::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 3") && e.contains("4 values"), "{e}");
        // A quoted address over two lines, and a short row, are fine.
        let p = write(
            "ok.csv",
            "Tenant ID,Full Name,Address,Postcode\nT1,Jane Smith,\"Flat 1\n12 High St, Leeds\",LS1 4AB\nT2,John Brown\n",
        );
        let t = read_tenants(&p, &ColumnMap::default()).unwrap();
        assert_eq!(t.rows.len(), 2);
    }

    #[test]
    fn reads_semicolon_bom_file_with_synonyms() {
        let p = write(
            "a.csv",
            "\u{feff}Tenant ID;Forename;Surname;E-mail\r\nT1;John;Smith;j@x.com\r\n;No;Id;\r\n",
        );
        let t = read_tenants(&p, &ColumnMap::default()).unwrap();
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.rows[0].get(Role::Email), Some("j@x.com"));
        assert_eq!(t.rows_without_id, vec![3]);
    }

    #[test]
    fn workbooks_utf16_and_compressed_files_are_named_for_what_they_are() {
        let dir = std::env::temp_dir().join(format!("bm-tenants-nc-{}", std::process::id()));
        fs_err::create_dir_all(&dir).unwrap();
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(
                "Tenant ID,Email\r\n"
                    .encode_utf16()
                    .flat_map(u16::to_le_bytes),
            )
            .collect();
        let no_bom: Vec<u8> = "Tenant ID,Email\r\nT1,a@b.com\r\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        for (name, bytes, want) in [
            (
                "a.xlsx",
                b"PK\x03\x04\x14\0\x06\0[Content_Types].xml".to_vec(),
                "Excel workbook",
            ),
            (
                "a.xls",
                vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1],
                "old-style Excel",
            ),
            ("u16.csv", utf16, "UTF-16"),
            ("u16-nobom.txt", no_bom, "UTF-16"),
            ("a.csv.gz", vec![0x1F, 0x8B, 8, 0], "compressed"),
        ] {
            let p = dir.join(name);
            fs_err::write(&p, bytes).unwrap();
            let e = read_tenants(&p, &ColumnMap::default())
                .unwrap_err()
                .to_string();
            assert!(e.contains(want) && e.contains(name), "{e}");
        }
    }

    #[test]
    fn duplicate_ids_and_missing_id_column_are_errors() {
        let p = write("dup.csv", "Tenant ID,Email\nT1,a@b.com\nT1,c@d.com\n");
        let e = read_tenants(&p, &ColumnMap::default()).unwrap_err();
        assert!(e.to_string().contains("line 3"), "{e}");
        let p = write("noid.csv", "Name,Email\nJohn Smith,a@b.com\n");
        let e = read_tenants(&p, &ColumnMap::default()).unwrap_err();
        assert!(e.to_string().contains("no tenant id column"), "{e}");
        let p = write("one.csv", "Tenant ID:Email\nT1:a@b.com\n");
        let e = read_tenants(&p, &ColumnMap::default()).unwrap_err();
        assert!(e.to_string().contains("only one column"), "{e}");
    }

    #[test]
    fn column_map_overrides_and_errors() {
        let m = ColumnMap::from_toml("[columns]\n\"Ref\" = \"tenant_id\"\n\"Tel\" = \"phone\"\n")
            .unwrap();
        assert_eq!(m.role_of("ref"), Role::TenantId);
        assert_eq!(m.role_of("E-mail"), Role::Email);
        let e = ColumnMap::from_toml("[columns]\n\"Ref\" = \"tenantid\"\n").unwrap_err();
        assert!(e.contains("\"Ref\"") && e.contains("unknown role"), "{e}");
    }

    #[test]
    fn latin1_cells_are_decoded() {
        assert_eq!(decode_cell(b"Zo\xEB"), "Zoë");
        assert_eq!(decode_cell("Siân".as_bytes()), "Siân");
    }
}
