//! Spreadsheets (xlsx, xlsm, xlsb, xls, ods) with `calamine`: every sheet a table, located by
//! the sheet's own row numbers (as Excel shows them), so a header on row 4 is found and row
//! numbers stay those a reviewer sees.

use super::{DocError, Extracted, Table};
use calamine::{Data, Reader};

/// Rows looked at to find the header row.
pub const HEADER_SEARCH_ROWS: usize = 30;

/// Most columns read from a sheet; cells further right are left out (with a note).
pub const MAX_COLUMNS: usize = 1024;

/// Rows padded to the sheet's full width, for deciding the columns (later rows may be shorter:
/// a row ends at its last cell).
const PADDED_ROWS: usize = HEADER_SEARCH_ROWS + 200;

/// Reads every sheet. Excel workbooks (xlsx, xlsm, xlsb) are read cell by cell, so the cost
/// follows the cells present, not the sheet's bounding box (one stray cell in column XFD of
/// row 1,048,576 would otherwise mean a grid of 17 billion cells); xls and ods sheets come
/// from calamine's grid.
pub fn extract(bytes: &[u8]) -> Result<Extracted, DocError> {
    let mut wb = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| DocError::new("spreadsheet", e))?;
    let mut out = Extracted::default();
    for name in wb.sheet_names() {
        let cells = match &mut wb {
            calamine::Sheets::Xlsx(x) => x
                .worksheet_cells_reader(&name)
                .map_err(|e| e.to_string())
                .and_then(|mut r| stream(|| r.next_cell().map_err(|e| e.to_string()))),
            calamine::Sheets::Xlsb(x) => x
                .worksheet_cells_reader(&name)
                .map_err(|e| e.to_string())
                .and_then(|mut r| stream(|| r.next_cell().map_err(|e| e.to_string()))),
            other => other
                .worksheet_range(&name)
                .map_err(|e| e.to_string())
                .map(|range| {
                    let (r0, c0) = range.start().unwrap_or((0, 0));
                    range
                        .cells()
                        .filter(|(_, _, d)| !matches!(d, Data::Empty))
                        .map(|(r, c, d)| (r0 + r as u32, c0 + c as u32, cell(d)))
                        .collect()
                }),
        };
        let cells = match cells {
            Ok(c) => c,
            Err(e) => {
                out.notes
                    .push(format!("sheet '{name}' could not be read: {e}"));
                continue;
            }
        };
        let (rows, dropped) = rows_of(cells);
        if dropped > 0 {
            out.notes.push(format!(
                "sheet '{name}': {dropped} cells beyond column {MAX_COLUMNS} were not read"
            ));
        }
        out.tables.push(table(format!("sheet '{name}'"), rows));
    }
    Ok(out)
}

/// Collects a cell reader's non-empty cells as `(row, column, text)`.
fn stream<'a>(
    mut next: impl FnMut() -> Result<Option<calamine::Cell<calamine::DataRef<'a>>>, String>,
) -> Result<Vec<(u32, u32, String)>, String> {
    let mut cells = Vec::new();
    while let Some(c) = next()? {
        let (r, col) = c.get_position();
        let text = cell(&Data::from(c.get_value().clone()));
        if !text.is_empty() {
            cells.push((r, col, text));
        }
    }
    Ok(cells)
}

/// Rows of cells, located by the row number Excel shows, starting at the leftmost used column;
/// each row ends at its last cell, except the first rows, padded to the sheet's width so its
/// columns can be decided. Rows of blanks are skipped. Also returns how many cells lay beyond
/// [`MAX_COLUMNS`].
fn rows_of(mut cells: Vec<(u32, u32, String)>) -> (Vec<(u64, Vec<String>)>, usize) {
    cells.sort_unstable_by_key(|&(r, c, _)| (r, c));
    let col0 = cells.iter().map(|c| c.1).min().unwrap_or(0) as usize;
    let mut dropped = 0;
    let mut rows: Vec<(u64, Vec<String>)> = Vec::new();
    let mut width = 0;
    for (r, c, text) in cells {
        let j = c as usize - col0;
        if j >= MAX_COLUMNS {
            dropped += 1;
            continue;
        }
        let n = u64::from(r) + 1;
        if rows.last().is_none_or(|(last, _)| *last != n) {
            rows.push((n, Vec::new()));
        }
        if let Some((_, row)) = rows.last_mut() {
            if let Some(slot) = row.get_mut(j) {
                // The same cell twice (a damaged file): the last value stands.
                *slot = text;
            } else {
                row.resize(j, String::new());
                row.push(text);
            }
            width = width.max(row.len());
        }
    }
    rows.retain(|(_, r)| r.iter().any(|c| !c.trim().is_empty()));
    for (_, r) in rows.iter_mut().take(PADDED_ROWS) {
        r.resize(width.max(r.len()), String::new());
    }
    (rows, dropped)
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

    /// One stray cell in the last row and column of a sheet costs one cell, not a grid of
    /// 17 billion; cells past the column limit are left out with a note; a gap in a row keeps
    /// the columns in place; later rows end at their last cell.
    #[test]
    fn a_stray_cell_far_away_does_not_make_a_grid() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 1, "Surname").unwrap();
        ws.write_string(0, 2, "Email").unwrap();
        ws.write_string(0, 3, "Postcode").unwrap();
        ws.write_string(1, 1, "Smith").unwrap();
        ws.write_string(1, 3, "SW1A 1AA").unwrap();
        for r in 2..300u32 {
            ws.write_string(r, 1, format!("Name{r}")).unwrap();
        }
        ws.write_string(1_048_575, 16_383, "stray").unwrap();
        ws.write_string(5, 1100, "far right").unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let e = extract(&bytes).unwrap();
        let t = &e.tables[0];
        assert_eq!(t.header, ["Surname", "Email", "Postcode"]);
        assert_eq!(
            t.rows[0],
            (2, vec!["Smith".into(), String::new(), "SW1A 1AA".into()])
        );
        assert_eq!(t.rows.len(), 299, "the stray cell's row has nothing left");
        assert_eq!(t.rows.last().unwrap().1, ["Name299"]);
        assert!(
            e.notes
                .iter()
                .any(|n| n.contains("2 cells beyond column 1024")),
            "{:?}",
            e.notes
        );
    }
}
