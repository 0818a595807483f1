//! `hits.parquet`: one row per (tenant, dump row). Evidence is a pointer (file, line, byte
//! offset) into the dump, which stays where it is; no dump value is copied.

use crate::index::Index;
use crate::scan::Hit;
use polars::prelude::*;
use std::path::Path;

/// Column names of the hits table.
pub const HIT_COLUMNS: [&str; 11] = [
    "tenant_id",
    "source",
    "line",
    "location",
    "byte_offset",
    "key_kinds",
    "strongest_key",
    "fields",
    "confidence",
    "co_exposed",
    "row_fingerprint",
];

/// Builds the hits table. `sources[i]` names file `i`; `locations[h.loc]` says where in a
/// document (sheet, table, page) the row is.
pub fn hits_frame(
    index: &Index,
    sources: &[String],
    locations: &[String],
    hits: &[Hit],
) -> PolarsResult<DataFrame> {
    let n = hits.len();
    let mut loc = Vec::with_capacity(n);
    let mut tenant = Vec::with_capacity(n);
    let mut source = Vec::with_capacity(n);
    let mut line = Vec::with_capacity(n);
    let mut offset = Vec::with_capacity(n);
    let mut keys = Vec::with_capacity(n);
    let mut strongest = Vec::with_capacity(n);
    let mut fields = Vec::with_capacity(n);
    let mut conf = Vec::with_capacity(n);
    let mut co = Vec::with_capacity(n);
    let mut fp = Vec::with_capacity(n);
    for h in hits {
        fp.push(h.row_fp);
        co.push(h.co.join());
        tenant.push(index.tenants[h.tenant as usize].id.clone());
        source.push(sources.get(h.file as usize).cloned().unwrap_or_default());
        line.push(h.line);
        loc.push(locations.get(h.loc as usize).cloned().unwrap_or_default());
        offset.push(h.offset);
        keys.push(h.keys.join());
        strongest.push(h.keys.strongest().map_or("", |k| k.as_str()).to_string());
        fields.push(h.fields.join());
        conf.push(h.confidence.as_str().to_string());
    }
    DataFrame::new(
        n,
        vec![
            Column::new("tenant_id".into(), tenant),
            Column::new("source".into(), source),
            Column::new("line".into(), line),
            Column::new("location".into(), loc),
            Column::new("byte_offset".into(), offset),
            Column::new("key_kinds".into(), keys),
            Column::new("strongest_key".into(), strongest),
            Column::new("fields".into(), fields),
            Column::new("confidence".into(), conf),
            Column::new("co_exposed".into(), co),
            Column::new("row_fingerprint".into(), fp),
        ],
    )
}

/// An evidence pointer a reviewer can follow: `file:line` for dumps; for documents the place
/// in their own terms (`file, sheet 'Arrears' row 5`, `file, table tenants line 21`,
/// `file, page 2`).
pub fn pointer(source: &str, line: u64, location: &str) -> String {
    if location.is_empty() {
        format!("{source}:{line}")
    } else if location.starts_with("sheet ") {
        format!("{source}, {location} row {line}")
    } else if location.starts_with("table ") && location.contains(", row ") {
        // "table t, row 3 of the INSERT on line 21".
        format!("{source}, {location} on line {line}")
    } else if location.starts_with("table ") {
        format!("{source}, {location} line {line}")
    } else {
        format!("{source}, {location}")
    }
}

/// Writes a frame as Parquet, atomically.
pub fn write_parquet(df: &mut DataFrame, path: &Path) -> std::io::Result<()> {
    super::atomic::write_with(path, |w| {
        ParquetWriter::new(w)
            .finish(df)
            .map(|_| ())
            .map_err(|e| std::io::Error::other(e.to_string()))
    })
}

/// Reads a Parquet file into a frame.
pub fn read_parquet(path: &Path) -> PolarsResult<DataFrame> {
    let f = fs_err::File::open(path)?;
    ParquetReader::new(f.into_parts().0).finish()
}

#[cfg(test)]
mod tests {
    use super::pointer;

    #[test]
    fn pointers_read_as_places() {
        assert_eq!(pointer("a.csv", 7, ""), "a.csv:7");
        assert_eq!(
            pointer("b.xlsx", 5, "sheet 'Arrears'"),
            "b.xlsx, sheet 'Arrears' row 5"
        );
        assert_eq!(pointer("c.sql", 9, "table t"), "c.sql, table t line 9");
        assert_eq!(
            pointer("d.sql", 21, "table t, row 4 of the INSERT"),
            "d.sql, table t, row 4 of the INSERT on line 21"
        );
        assert_eq!(pointer("e.pdf", 2, "page 2"), "e.pdf, page 2");
    }
}
