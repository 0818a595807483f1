//! `scan --shard K/N` and `merge`: four shards merged equal one full scan, hit for hit.

use crate::util::{Workdir, read_csv, sample_data};

fn hits(dir: &std::path::Path) -> Vec<Vec<String>> {
    let df = breachmatch::results::hits::read_parquet(&dir.join("hits.parquet")).unwrap();
    let mut rows: Vec<Vec<String>> = (0..df.height())
        .map(|i| {
            df.columns()
                .iter()
                .map(|c| c.get(i).unwrap().to_string())
                .collect()
        })
        .collect();
    rows.sort();
    rows
}

#[test]
fn four_shards_merged_equal_one_full_scan() {
    let wd = Workdir::new("merge-shards");
    let s = |p: &str| sample_data().join(p).to_str().unwrap().to_string();
    crate::util::keygen_and_index(&wd, &s("tenants.csv"), "t.bmx");
    let scan = |out: &str, extra: &[&str]| {
        let dumps = s("dumps");
        let mut args = vec![
            "scan",
            "--index",
            "t.bmx",
            "--key-file",
            "k.key",
            "--dumps",
            dumps.as_str(),
            "--out",
            out,
        ];
        args.extend_from_slice(extra);
        wd.ok(&args);
    };
    scan("full", &[]);
    for k in 1..=4 {
        scan(&format!("part{k}"), &["--shard", &format!("{k}/4")]);
    }
    // Each shard really holds only part of the rows.
    let part1 = crate::util::manifest(&wd, "part1");
    let full = crate::util::manifest(&wd, "full");
    assert!(
        part1["totals"]["rows_read"].as_u64().unwrap()
            < full["totals"]["rows_read"].as_u64().unwrap()
    );
    wd.ok(&[
        "merge", "--out", "merged", "part1", "part2", "part3", "part4",
    ]);
    assert_eq!(
        hits(&wd.path("merged")),
        hits(&wd.path("full")),
        "hit for hit"
    );
    assert!(!hits(&wd.path("full")).is_empty());
    assert_eq!(
        read_csv(&wd.path("merged/exposures.csv")),
        read_csv(&wd.path("full/exposures.csv"))
    );
    let merged = crate::util::manifest(&wd, "merged");
    assert_eq!(merged["totals"]["rows_read"], full["totals"]["rows_read"]);
    assert_eq!(
        merged["totals"]["rows_scanned"],
        full["totals"]["rows_scanned"]
    );
    let files = |m: &serde_json::Value| -> Vec<(String, String, u64)> {
        let mut v: Vec<_> = m["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["path"].as_str().unwrap().to_string(),
                    f["read"]["sha256"].as_str().unwrap().to_string(),
                    f["stats"]["rows_read"].as_u64().unwrap(),
                )
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        files(&merged),
        files(&full),
        "inputs listed once, with their SHA-256 and summed counts"
    );
    crate::util::assert_counts_add_up(&merged);
    assert_eq!(merged["complete"], true);
    let bytes = |m: &serde_json::Value| -> Vec<u64> {
        let mut v: Vec<(String, u64)> = m["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let p = f["path"].as_str().unwrap().to_string();
                (p, f["read"]["content_bytes"].as_u64().unwrap())
            })
            .collect();
        v.sort();
        v.into_iter().map(|x| x.1).collect()
    };
    assert_eq!(bytes(&merged), bytes(&full), "bytes read, not summed ends");
    assert_eq!(
        read_csv(&wd.path("merged/rejected_rows.csv")),
        read_csv(&wd.path("full/rejected_rows.csv"))
    );
    assert_eq!(part1["shard"]["part"], 1);
    assert_eq!(part1["shard"]["of"], 4);

    // A shard missing: refused, naming it; with --partial merged but marked incomplete.
    let err = wd.fails(&["merge", "--out", "m3", "part1", "part2", "part4"]);
    assert!(err.contains("part 3/4 missing"), "{err}");
    assert!(!wd.path("m3/manifest.json").exists());
    let o = wd.run(&[
        "merge",
        "--out",
        "m3",
        "--partial",
        "part1",
        "part2",
        "part4",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("part 3/4 missing"));
    let m3 = crate::util::manifest(&wd, "m3");
    assert_eq!(m3["complete"], false);
    assert_eq!(m3["missing"][0], "part 3/4");
    // A part given twice, or the same file read by two scans that are not shards of one:
    // its rows would count twice.
    let err = wd.fails(&[
        "merge", "--out", "m5", "part1", "part2", "part3", "part4", "./part4",
    ]);
    assert!(err.contains("given twice"), "{err}");
    fs_err::create_dir(wd.path("copy")).unwrap();
    for f in fs_err::read_dir(wd.path("full")).unwrap() {
        let f = f.unwrap();
        if f.file_type().unwrap().is_file() {
            fs_err::copy(f.path(), wd.path("copy").join(f.file_name())).unwrap();
        }
    }
    let err = wd.fails(&["merge", "--out", "m6", "full", "copy"]);
    assert!(err.contains("would count twice"), "{err}");
    let err = wd.fails(&["merge", "--out", "m7", "full", "part1"]);
    assert!(err.contains("not different shards"), "{err}");

    // A part that scanned other files (or the same in another order): refused, and an
    // earlier result in --out (replaced with --force) stays until the parts are checked.
    let one = s("dumps/contacts.tsv");
    wd.ok(&[
        "scan",
        "--index",
        "t.bmx",
        "--key-file",
        "k.key",
        "--dumps",
        &one,
        "--out",
        "other2",
        "--shard",
        "2/4",
    ]);
    let err = wd.fails(&[
        "merge", "--force", "--out", "merged", "part1", "other2", "part3", "part4",
    ]);
    assert!(err.contains("scanned other files than"), "{err}");
    assert!(
        wd.path("merged/manifest.json").exists(),
        "the earlier merge is kept"
    );
    let err = wd.fails(&[
        "merge", "--force", "--out", "part1", "part1", "part2", "part3", "part4",
    ]);
    assert!(err.contains("is one of the parts"), "{err}");
    assert!(wd.path("part1/manifest.json").exists());
    // A part made with another index (same key, another tenants file): refused.
    let shifted = fs_err::read_to_string(sample_data().join("tenants.csv"))
        .unwrap()
        .replacen("T000001", "T900001", 1);
    wd.write("t2.csv", &shifted);
    wd.ok(&[
        "index",
        "--tenants",
        "t2.csv",
        "--key-file",
        "k.key",
        "--out",
        "t2.bmx",
    ]);
    let dumps = s("dumps");
    wd.ok(&[
        "scan",
        "--index",
        "t2.bmx",
        "--key-file",
        "k.key",
        "--dumps",
        &dumps,
        "--out",
        "idx2",
        "--shard",
        "2/4",
    ]);
    let err = wd.fails(&["merge", "--out", "m8", "part1", "idx2", "part3", "part4"]);
    assert!(err.contains("another index"), "{err}");

    let err = wd.fails(&[
        "scan",
        "--index",
        "t.bmx",
        "--key-file",
        "k.key",
        "--dumps",
        &s("dumps"),
        "--out",
        "x",
        "--shard",
        "5/4",
    ]);
    assert!(err.contains("K must be from 1 to N"), "{err}");
}

#[test]
fn a_merge_lists_files_in_the_order_the_scan_was_given_them() {
    let wd = Workdir::new("merge-order");
    let s = |p: &str| sample_data().join(p).to_str().unwrap().to_string();
    crate::util::keygen_and_index(&wd, &s("tenants.csv"), "t.bmx");
    // Not in the order of their names.
    let (a, b) = (s("dumps/excel_export.csv"), s("dumps/contacts.tsv"));
    let scan = |out: &str, extra: &[&str]| {
        let mut args = vec![
            "scan",
            "--index",
            "t.bmx",
            "--key-file",
            "k.key",
            "--dumps",
            a.as_str(),
            b.as_str(),
            "--out",
            out,
        ];
        args.extend_from_slice(extra);
        wd.ok(&args);
    };
    scan("full", &[]);
    scan("p1", &["--shard", "1/2"]);
    scan("p2", &["--shard", "2/2"]);
    wd.ok(&["merge", "--out", "merged", "p2", "p1"]);
    let paths = |dir: &str| -> Vec<String> {
        crate::util::manifest(&wd, dir)["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["path"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(paths("full"), vec![a.clone(), b.clone()]);
    assert_eq!(paths("merged"), paths("full"));
    assert_eq!(
        read_csv(&wd.path("merged/exposures.csv")),
        read_csv(&wd.path("full/exposures.csv")),
        "sources listed in the same order"
    );
}
