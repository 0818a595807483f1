//! `breachmatch index` and `breachmatch inspect`.

use crate::util::{Workdir, read_csv, sample_data};
use breachmatch::normalize::{FieldKind, normalize};

fn index_sample(wd: &Workdir) {
    wd.ok(&["keygen", "--out", "k.key"]);
    let tenants = sample_data().join("tenants.csv");
    wd.ok(&[
        "index",
        "--tenants",
        tenants.to_str().unwrap(),
        "--key-file",
        "k.key",
        "--out",
        "t.bmx",
    ]);
}

#[test]
fn index_holds_no_plaintext() {
    let wd = Workdir::new("index-noplain");
    index_sample(&wd);
    // The same tenants under a second key: a 4-byte value turns up by chance in a megabyte of
    // keyed hashes about once in 4,000 tries (the test checked ~100 such values against one
    // index and failed now and then); plaintext would be in both indexes, chance in one.
    wd.ok(&["keygen", "--out", "k2.key"]);
    let tenants = sample_data().join("tenants.csv");
    wd.ok(&[
        "index",
        "--tenants",
        tenants.to_str().unwrap(),
        "--key-file",
        "k2.key",
        "--out",
        "t2.bmx",
    ]);
    let indexes = [
        fs_err::read(wd.path("t.bmx")).unwrap(),
        fs_err::read(wd.path("t2.bmx")).unwrap(),
    ];
    // Every 4-byte window of each index, so each value is checked in O(1) and confirmed by a
    // full search only when its first 4 bytes occur at all.
    let windows: Vec<std::collections::HashSet<&[u8]>> =
        indexes.iter().map(|b| b.windows(4).collect()).collect();
    let find = |needle: &[u8]| {
        indexes
            .iter()
            .zip(&windows)
            .all(|(bmx, w)| w.contains(&needle[..4]) && memchr::memmem::find(bmx, needle).is_some())
    };
    let mut checked = 0;
    for row in read_csv(&sample_data().join("tenants.csv")) {
        for (col, v) in &row {
            if col == "Tenant ID" || col == "Title" || v.len() < 4 {
                continue;
            }
            assert!(!find(v.as_bytes()), "{col} value found in the index");
            for kind in FieldKind::ALL {
                if let Ok(n) = normalize(kind, v)
                    && n.len() >= 4
                {
                    assert!(
                        !find(n.as_bytes()),
                        "normalised {col} ({kind:?}) found in the index"
                    );
                }
            }
            checked += 1;
        }
    }
    assert!(checked > 10_000, "only {checked} values checked");
}

#[test]
fn bad_indexes_give_one_clear_error() {
    let wd = Workdir::new("index-bad");
    index_sample(&wd);
    wd.ok(&["keygen", "--out", "other.key"]);
    let dumps = sample_data().join("dumps");
    let scan = |wd: &Workdir, idx: &str, key: &str| {
        wd.fails(&[
            "scan",
            "--index",
            idx,
            "--key-file",
            key,
            "--dumps",
            dumps.to_str().unwrap(),
            "--out",
            "r",
        ])
    };
    let err = scan(&wd, "t.bmx", "other.key");
    assert!(err.contains("wrong key"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");

    let good = fs_err::read(wd.path("t.bmx")).unwrap();
    let mut corrupt = good.clone();
    let mid = corrupt.len() / 2;
    corrupt[mid] ^= 0x55;
    wd.write("corrupt.bmx", &corrupt);
    let err = scan(&wd, "corrupt.bmx", "k.key");
    assert!(err.contains("corrupted"), "{err}");

    let mut newer = good.clone();
    newer[8..12].copy_from_slice(&99u32.to_le_bytes());
    wd.write("newer.bmx", &newer);
    let err = scan(&wd, "newer.bmx", "k.key");
    assert!(err.contains("newer breachmatch"), "{err}");

    wd.write("trunc.bmx", &good[..good.len() / 3]);
    let err = scan(&wd, "trunc.bmx", "k.key");
    assert!(err.contains("corrupted"), "{err}");

    wd.write("notidx.bmx", b"Tenant ID,Name\n");
    let err = scan(&wd, "notidx.bmx", "k.key");
    assert!(err.contains("not a breachmatch index"), "{err}");
    assert!(!std::path::Path::new(&wd.path("r/manifest.json")).exists());
}

#[test]
fn rejected_fields_are_reported_by_line_and_column() {
    let wd = Workdir::new("index-rejects");
    wd.ok(&["keygen", "--out", "k.key"]);
    wd.write(
        "t.csv",
        "Tenant ID,Forename,Surname,Date of Birth,Postcode,Email\n\
         T1,John,Smith,31/02/1990,LS1 4AB,john@example.com\n\
         T2,Mary,Jones,1980-01-01,AB12,not-an-email\n\
         ,No,Id,1980-01-01,LS1 4AB,x@example.com\n",
    );
    let out = wd.run(&[
        "index",
        "--tenants",
        "t.csv",
        "--key-file",
        "k.key",
        "--out",
        "t.bmx",
    ]);
    assert!(out.status.success());
    let rejects = read_csv(&wd.path("t.bmx.rejects.csv"));
    let has = |line: &str, col: &str| {
        rejects
            .iter()
            .any(|r| r["line"] == line && r["column"] == col && !r["reason"].is_empty())
    };
    assert!(has("2", "Date of Birth"), "{rejects:?}");
    assert!(has("3", "Postcode"), "{rejects:?}");
    assert!(has("3", "Email"), "{rejects:?}");
    assert!(
        rejects
            .iter()
            .any(|r| r["line"] == "4" && r["reason"].contains("no tenant id"))
    );
    let all = fs_err::read_to_string(wd.path("t.bmx.rejects.csv")).unwrap();
    assert!(
        !all.contains("31/02/1990") && !all.contains("not-an-email"),
        "values leaked"
    );
}

#[test]
fn tenants_file_errors_name_the_problem() {
    let wd = Workdir::new("index-tenant-errors");
    wd.ok(&["keygen", "--out", "k.key"]);
    wd.write(
        "dup.csv",
        "Tenant ID,Email\nT1,a@example.com\nT1,b@example.com\n",
    );
    let err = wd.fails(&[
        "index",
        "--tenants",
        "dup.csv",
        "--key-file",
        "k.key",
        "--out",
        "x.bmx",
    ]);
    assert!(
        err.contains("dup.csv, line 3") && err.contains("T1"),
        "{err}"
    );
    wd.write("noid.csv", "Name,Email\nJohn Smith,a@example.com\n");
    let err = wd.fails(&[
        "index",
        "--tenants",
        "noid.csv",
        "--key-file",
        "k.key",
        "--out",
        "x.bmx",
    ]);
    assert!(err.contains("no tenant id column"), "{err}");
    wd.write("delim.csv", "Tenant ID:Email\nT1:a@example.com\n");
    let err = wd.fails(&[
        "index",
        "--tenants",
        "delim.csv",
        "--key-file",
        "k.key",
        "--out",
        "x.bmx",
    ]);
    assert!(err.contains("only one column"), "{err}");
    let err = wd.fails(&["index", "--tenants", "dup.csv", "--out", "x.bmx"]);
    assert!(err.contains("no key given"), "{err}");
}

#[test]
fn inspect_shows_counts_without_key() {
    let wd = Workdir::new("inspect");
    index_sample(&wd);
    let out = wd.ok(&["inspect", "t.bmx"]);
    assert!(out.contains("tenants:"), "{out}");
    assert!(out.contains("false-positive rate"), "{out}");
    assert!(out.contains("name_dob"), "{out}");
    assert!(out.contains("checksum:            ok"), "{out}");
}

#[test]
fn parquet_tenants_give_the_same_results_as_csv() {
    use polars::prelude::*;
    let wd = Workdir::new("index-parquet");
    let rows = read_csv(&sample_data().join("tenants.csv"));
    let headers: Vec<String> = rows[0].keys().cloned().collect();
    let cols: Vec<Column> = headers
        .iter()
        .map(|h| {
            Column::new(
                h.as_str().into(),
                rows.iter().map(|r| r[h].clone()).collect::<Vec<String>>(),
            )
        })
        .collect();
    let mut df = DataFrame::new(rows.len(), cols).unwrap();
    breachmatch::results::hits::write_parquet(&mut df, &wd.path("tenants.parquet")).unwrap();
    let dumps = sample_data().join("dumps");
    for (tenants, out) in [
        (sample_data().join("tenants.csv"), "csv"),
        (wd.path("tenants.parquet"), "pq"),
    ] {
        wd.ok(&[
            "run",
            "--tenants",
            tenants.to_str().unwrap(),
            "--dumps",
            dumps.to_str().unwrap(),
            "--out",
            out,
        ]);
    }
    let a = read_csv(&wd.path("csv/exposures.csv"));
    let b = read_csv(&wd.path("pq/exposures.csv"));
    assert!(a.len() > 100);
    assert_eq!(a, b);
}

/// Tenant columns that are not recognised are named in a warning, as is a file without names
/// or addresses (its letters would be blank).
#[test]
fn unrecognised_tenant_columns_are_warned_about() {
    let wd = Workdir::new("index-unused-columns");
    wd.write(
        "odd.csv",
        "Tenant ID,Given,Family,PC,Email,Home Tel\nX1,Ann,Lee,LS1 4AB,a@b.com,01632 960123\n",
    );
    wd.ok(&["keygen", "--out", "k.key"]);
    let o = wd.run(&[
        "index",
        "--tenants",
        "odd.csv",
        "--key-file",
        "k.key",
        "--out",
        "t.bmx",
    ]);
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("\"Given\", \"Family\", \"PC\", \"Home Tel\" not recognised"),
        "{err}"
    );
    assert!(err.contains("no name column recognised"), "{err}");
    assert!(
        err.contains("no address or postcode column recognised"),
        "{err}"
    );
}
