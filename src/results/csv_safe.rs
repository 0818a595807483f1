//! CSV for Excel: UTF-8 with a byte-order mark (so Excel shows "Zoë" and "Siân" correctly),
//! CRLF line ends, and cells that Excel would run as formulas neutralised with a leading `'`.

use std::borrow::Cow;
use std::path::Path;

/// Neutralises a cell that Excel (or LibreOffice, Google Sheets) would treat as a formula:
/// one that begins with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`.
pub fn safe_cell(s: &str) -> Cow<'_, str> {
    match s.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => Cow::Owned(format!("'{s}")),
        _ => Cow::Borrowed(s),
    }
}

/// Writes a header and rows as an Excel-safe CSV, atomically.
pub fn write_excel_csv<I, R>(path: &Path, headers: &[&str], rows: I) -> std::io::Result<()>
where
    I: IntoIterator<Item = R>,
    R: IntoIterator,
    R::Item: AsRef<str>,
{
    super::atomic::write_with(path, |w| {
        use std::io::Write;
        w.write_all(b"\xEF\xBB\xBF")?;
        let mut csv = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(w);
        csv.write_record(headers)?;
        for row in rows {
            let cells: Vec<String> = row
                .into_iter()
                .map(|c| safe_cell(c.as_ref()).into_owned())
                .collect();
            csv.write_record(&cells)?;
        }
        csv.flush()?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        for (input, want) in [
            (
                "=HYPERLINK(\"http://x\",\"y\")",
                "'=HYPERLINK(\"http://x\",\"y\")",
            ),
            ("+447700900123", "'+447700900123"),
            ("-1+1", "'-1+1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("John Smith", "John Smith"),
            ("", ""),
            ("Zoë", "Zoë"),
        ] {
            assert_eq!(safe_cell(input), want);
        }
    }

    #[test]
    fn file_has_bom_and_crlf() {
        let dir = std::env::temp_dir().join(format!("bm-csvsafe-{}", std::process::id()));
        fs_err::create_dir_all(&dir).unwrap();
        let p = dir.join("x.csv");
        write_excel_csv(&p, &["a", "b"], vec![vec!["=1", "Siân"]]).unwrap();
        let bytes = fs_err::read(&p).unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBFa,b\r\n"));
        assert!(String::from_utf8(bytes).unwrap().contains("'=1,Siân\r\n"));
        fs_err::remove_dir_all(&dir).unwrap();
    }
}
