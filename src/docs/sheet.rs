//! Spreadsheets (xlsx, xlsm, xlsb, xls, ods) with `calamine`: every sheet a table, located by
//! the sheet's own row numbers (as Excel shows them), so a header on row 4 is found and row
//! numbers stay those a reviewer sees.

use super::{DocError, Extracted, Table};
use calamine::{Data, Reader};

/// Rows looked at to find the header row.
pub const HEADER_SEARCH_ROWS: usize = 30;

/// Reads every sheet.
pub fn extract(bytes: &[u8]) -> Result<Extracted, DocError> {
    let mut wb = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| DocError::new("spreadsheet", e))?;
    let mut out = Extracted::default();
    for name in wb.sheet_names() {
        let range = match wb.worksheet_range(&name) {
            Ok(r) => r,
            Err(e) => {
                out.notes
                    .push(format!("sheet '{name}' could not be read: {e}"));
                continue;
            }
        };
        let Some((row0, _)) = range.start() else {
            continue;
        };
        let rows: Vec<(u64, Vec<String>)> = range
            .rows()
            .enumerate()
            .map(|(i, r)| (u64::from(row0) + i as u64 + 1, r.iter().map(cell).collect()))
            .filter(|(_, r): &(u64, Vec<String>)| r.iter().any(|c| !c.trim().is_empty()))
            .collect();
        out.tables.push(table(format!("sheet '{name}'"), rows));
    }
    Ok(out)
}

/// Makes a table of located rows, finding the header among the first rows: the row with the
/// most cells that name a known column (at least two), else no header.
pub fn table(name: String, mut rows: Vec<(u64, Vec<String>)>) -> Table {
    let mut best: Option<(usize, usize)> = None;
    for (i, (_, r)) in rows.iter().enumerate().take(HEADER_SEARCH_ROWS) {
        let hits = r
            .iter()
            .filter(|c| crate::roles::Role::from_header(c).is_some())
            .count();
        if hits >= 2 && best.is_none_or(|(_, h)| hits > h) {
            best = Some((i, hits));
        }
    }
    match best {
        Some((i, _)) => {
            let (header_row, header) = rows[i].clone();
            // Title rows above the header (a report name, a date) are not data.
            rows.drain(..=i);
            Table {
                name,
                header,
                header_row,
                rows,
            }
        }
        None => Table {
            name,
            header: Vec::new(),
            header_row: 0,
            rows,
        },
    }
}

/// A cell as text: whole numbers without ".0", Excel dates as ISO dates.
fn cell(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => excel_date(dt.as_f64()).unwrap_or_else(|| dt.to_string()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(_) => String::new(),
    }
}

/// An Excel serial date (days since 1899-12-30, the 1900 system) as `YYYY-MM-DD`.
pub fn excel_date(serial: f64) -> Option<String> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let base = jiff::civil::date(1899, 12, 30);
    let d = base
        .checked_add(jiff::Span::new().days(serial.floor() as i64))
        .ok()?;
    Some(d.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(v: &[(u64, &[&str])]) -> Vec<(u64, Vec<String>)> {
        v.iter()
            .map(|(n, r)| (*n, r.iter().map(|s| s.to_string()).collect()))
            .collect()
    }

    #[test]
    fn header_on_row_four_is_found() {
        let t = table(
            "sheet 'Arrears'".into(),
            rows(&[
                (1, &["Arrears report", ""]),
                (2, &["Run 01/03/2024", ""]),
                (4, &["Tenant Name", "Date of Birth"]),
                (5, &["Mary Smith", "01/02/1980"]),
            ]),
        );
        assert_eq!(t.header_row, 4);
        assert_eq!(t.header, ["Tenant Name", "Date of Birth"]);
        assert_eq!(t.rows, rows(&[(5, &["Mary Smith", "01/02/1980"])]));
    }

    #[test]
    fn no_header_keeps_every_row() {
        let t = table(
            "sheet 'x'".into(),
            rows(&[
                (1, &["Mary Smith", "a@b.com"]),
                (2, &["Jo Bloggs", "c@d.com"]),
            ]),
        );
        assert_eq!(t.header_row, 0);
        assert_eq!(t.rows.len(), 2);
    }

    #[test]
    fn excel_serial_dates() {
        assert_eq!(excel_date(29_252.0).as_deref(), Some("1980-02-01"));
        assert_eq!(excel_date(1.0).as_deref(), Some("1899-12-31"));
        assert_eq!(excel_date(-3.0), None);
    }

    #[test]
    fn reads_an_xlsx_written_by_rust_xlsxwriter() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name("Tenants").unwrap();
        ws.write_string(0, 0, "Rent arrears").unwrap();
        ws.write_string(3, 0, "Surname").unwrap();
        ws.write_string(3, 1, "Postcode").unwrap();
        ws.write_string(4, 0, "Smith").unwrap();
        ws.write_string(4, 1, "SW1A 1AA").unwrap();
        ws.write_number(4, 2, 7700900123.0).unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let e = extract(&bytes).unwrap();
        let t = &e.tables[0];
        assert_eq!(t.name, "sheet 'Tenants'");
        assert_eq!(t.header_row, 4);
        assert_eq!(t.rows[0].0, 5);
        assert_eq!(t.rows[0].1, ["Smith", "SW1A 1AA", "7700900123"]);
    }
}
