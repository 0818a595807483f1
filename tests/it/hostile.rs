//! Hostile input: broken, huge, binary, wrongly encoded and bomb files. The scan keeps going,
//! says what it skipped (file and line), and its counts add up.

use crate::util::{Workdir, read_csv};
use std::io::Write;

const TENANTS: &str = "Tenant ID,Forename,Surname,Date of Birth,Postcode,Email\n\
T1,Zoë,Smith,12/03/1985,LS1 4AB,zoe.smith@example.org\n\
T2,John,Jones,1970-01-01,M1 1AE,john.jones@example.org\n";

fn setup(name: &str) -> Workdir {
    let wd = Workdir::new(name);
    wd.write("tenants.csv", TENANTS);
    crate::util::keygen_and_index(&wd, "tenants.csv", "t.bmx");
    wd
}

fn scan(wd: &Workdir, dumps: &[&str], extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "scan",
        "--index",
        "t.bmx",
        "--key-file",
        "k.key",
        "--out",
        "r",
        "--force",
        "--dumps",
    ];
    args.extend_from_slice(dumps);
    args.extend_from_slice(extra);
    wd.run(&args)
}

fn manifest(wd: &Workdir) -> serde_json::Value {
    crate::util::manifest(wd, "r")
}

fn counts_add_up(m: &serde_json::Value) {
    crate::util::assert_counts_add_up(m);
}

fn exposed(wd: &Workdir) -> Vec<String> {
    read_csv(&wd.path("r/exposures.csv"))
        .into_iter()
        .map(|r| r["tenant_id"].clone())
        .collect()
}

#[test]
fn giant_lines_and_fields_are_rejected_by_line_and_the_rest_scanned() {
    let wd = setup("hostile-giant");
    let mut s = String::from("Name,Email\n");
    s += &format!("A B,{}\n", "x".repeat(2 << 20)); // a 2 MB line
    s += &format!("\"{}\",y@example.org\n", "z\n".repeat(5 << 20)); // a 10 MB quoted field
    s += "Zoe Smith,zoe.smith@example.org\nNUL\0name,\0\n";
    wd.write("giant.csv", &s);
    let o = scan(&wd, &["giant.csv"], &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(exposed(&wd), vec!["T1"]);
    let m = manifest(&wd);
    counts_add_up(&m);
    assert_eq!(m["files"][0]["stats"]["rows_rejected"]["oversized"], 2);
    let rej = read_csv(&wd.path("r/rejected_rows.csv"));
    assert!(
        rej.iter()
            .any(|r| r["line"] == "2" && r["reason"].contains("longer than"))
    );
    assert!(
        rej.iter()
            .any(|r| r["line"] == "3" && r["reason"].contains("longer than"))
    );
}

#[test]
fn encodings_line_ends_and_empty_files() {
    let wd = setup("hostile-encodings");
    wd.write(
        "latin1.csv",
        b"Name,Email\r\nZo\xEB Smith,\r\nJohn Jones,john.jones@example.org\r\n".as_slice(),
    );
    wd.write(
        "cr.csv",
        "Name,Date of Birth,Post Code\rZoe Smith,1985-03-12,LS1 4AB\r",
    );
    wd.write("header_only.csv", "Name,Email\n");
    wd.write("empty.csv", "");
    let mut utf16 = vec![0xFF, 0xFE];
    for c in "Name,Email\n".encode_utf16() {
        utf16.extend_from_slice(&c.to_le_bytes());
    }
    wd.write("utf16.csv", utf16);
    let o = scan(
        &wd,
        &[
            "latin1.csv",
            "cr.csv",
            "header_only.csv",
            "empty.csv",
            "utf16.csv",
        ],
        &[],
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("utf16.csv") && err.contains("UTF-16"), "{err}");
    assert!(err.contains("empty.csv") && err.contains("empty"), "{err}");
    assert_eq!(exposed(&wd), vec!["T1", "T2"]);
    let m = manifest(&wd);
    counts_add_up(&m);
    let latin = &m["files"][0]["stats"];
    assert!(latin["non_utf8_cells"].as_u64().unwrap() >= 1);
    let cr = &m["files"][1];
    assert_eq!(cr["layout"]["cr_only"], true);
    assert_eq!(m["files"][2]["stats"]["rows_read"], 0);
}

#[test]
fn truncated_zstd_and_bombs_stop_with_a_message_and_keep_earlier_rows() {
    let wd = setup("hostile-compressed");
    let mut rows = String::from("Name,Email\nZoe Smith,zoe.smith@example.org\n");
    for i in 0..40_000u64 {
        rows += &format!(
            "Someone {},n{}@example.net\n",
            i.wrapping_mul(2_654_435_761) % 1_000_003,
            i * 7919 % 100_003
        );
    }
    let mut z = zstd::encode_all(rows.as_bytes(), 3).unwrap();
    z.truncate(z.len() / 2);
    wd.write("cut.csv.zst", z);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(b"Name,Email\nJohn Jones,john.jones@example.org\n")
        .unwrap();
    for _ in 0..200 {
        gz.write_all(&[b'\n'; 100_000]).unwrap();
    }
    wd.write("bomb.csv.gz", gz.finish().unwrap());
    let o = scan(
        &wd,
        &["cut.csv.zst", "bomb.csv.gz"],
        &["--max-decompressed", "1000000"],
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("bomb.csv.gz") && err.contains("decompression bomb"),
        "{err}"
    );
    assert!(err.contains("cut.csv.zst"), "{err}");
    assert_eq!(
        exposed(&wd),
        vec!["T1", "T2"],
        "rows before the cut and the limit are kept"
    );
    let m = manifest(&wd);
    counts_add_up(&m);
    for f in m["files"].as_array().unwrap() {
        assert_eq!(f["complete"], false, "{}", f["path"]);
    }
    let md_rows = read_csv(&wd.path("r/rejected_rows.csv"));
    assert!(md_rows.iter().any(
        |r| r["source"].ends_with("bomb.csv.gz") && r["reason"].contains("--max-decompressed")
    ));
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_walked_once() {
    let wd = setup("hostile-symlink");
    wd.write("d/a.csv", "Name,Email\nZoe Smith,zoe.smith@example.org\n");
    std::os::unix::fs::symlink(wd.path("d"), wd.path("d/loop")).unwrap();
    let o = scan(&wd, &["d"], &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(manifest(&wd)["files"].as_array().unwrap().len(), 1);
    assert_eq!(exposed(&wd), vec!["T1"]);
}

#[cfg(unix)]
#[test]
fn a_killed_scan_leaves_nothing_that_looks_complete() {
    let wd = setup("hostile-kill");
    let mut child = crate::util::spawn_long_scan(&wd, "big.csv", 600_000);
    std::thread::sleep(std::time::Duration::from_millis(150));
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert!(
        !wd.path("r/manifest.json").exists(),
        "a killed scan must not leave a manifest"
    );
    // Nothing blocks a rerun, and it completes.
    let o = wd.run(&[
        "scan",
        "--index",
        "t.bmx",
        "--key-file",
        "k.key",
        "--dumps",
        "big.csv",
        "--out",
        "r",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(manifest(&wd)["complete"], true);
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_cleanly_with_partial_results_marked_incomplete() {
    let wd = setup("hostile-sigint");
    let child = crate::util::spawn_long_scan(&wd, "big.csv", 1_500_000);
    std::thread::sleep(std::time::Duration::from_millis(400));
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{err}");
    assert!(err.contains("interrupted"), "{err}");
    let m = manifest(&wd);
    assert_eq!(m["complete"], false);
    assert_eq!(m["files"][0]["complete"], false);
    counts_add_up(&m);
}

#[test]
fn a_stray_quote_does_not_swallow_the_file_and_bad_entries_do_not_stop_the_scan() {
    let wd = setup("hostile-quote");
    wd.write("d/q.csv", "Name,Email\n\"Zoe Smith,zoe.smith@example.org\nJohn Jones,john.jones@example.org\nA B,c@example.net\n");
    #[cfg(unix)]
    std::os::unix::fs::symlink(wd.path("nowhere.csv"), wd.path("d/dangling.csv")).unwrap();
    let o = scan(&wd, &["d"], &[]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        exposed(&wd).contains(&"T2".to_string()),
        "rows after the stray quote are scanned: {err}"
    );
    let m = manifest(&wd);
    counts_add_up(&m);
    let q = m["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with("q.csv"))
        .unwrap();
    assert_eq!(q["layout"]["quoting"], false);
    #[cfg(unix)]
    {
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(err.contains("dangling.csv"), "{err}");
    }
}

#[test]
fn keys_of_the_wrong_length_or_readable_by_others() {
    let wd = setup("hostile-keys");
    wd.write("short.key", [7u8; 31]);
    let err = wd.fails(&[
        "index",
        "--tenants",
        "tenants.csv",
        "--key-file",
        "short.key",
        "--out",
        "x.bmx",
    ]);
    assert!(
        err.contains("31 bytes") && err.contains("exactly 32"),
        "{err}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs_err::set_permissions(wd.path("k.key"), std::fs::Permissions::from_mode(0o644)).unwrap();
        let o = wd.run(&[
            "index",
            "--tenants",
            "tenants.csv",
            "--key-file",
            "k.key",
            "--out",
            "y.bmx",
        ]);
        assert!(o.status.success());
        assert!(String::from_utf8_lossy(&o.stderr).contains("can be read by other users"));
    }
}

#[test]
fn a_file_that_grows_while_scanned_is_warned_about() {
    let wd = setup("hostile-growing");
    let child = crate::util::spawn_long_scan(&wd, "growing.csv", 1_500_000);
    std::thread::sleep(std::time::Duration::from_millis(300));
    let mut f = fs_err::OpenOptions::new()
        .append(true)
        .open(wd.path("growing.csv"))
        .unwrap();
    f.write_all(b"Late Row,late@example.net\n").unwrap();
    drop(f);
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("changed while it was being read"), "{err}");
    assert_eq!(
        manifest(&wd)["files"][0]["read"]["changed_while_read"],
        true
    );
}

fn zip_one(name: &str, body: &[u8]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    w.start_file(name, zip::write::SimpleFileOptions::default())
        .unwrap();
    w.write_all(body).unwrap();
    w.finish().unwrap().into_inner()
}

/// Archives in archives: followed 8 levels deep, deeper ones listed as not searched; a damaged
/// document and a member past the size limit are listed too, and the rest is still scanned.
#[test]
fn nested_archives_damaged_documents_and_oversized_members() {
    let wd = setup("hostile-nested");
    let csv = b"email\nzoe.smith@example.org\n";
    // Depth 3: found. Depth 10: too deep.
    let mut shallow = zip_one("contacts.csv", csv);
    for i in 0..2 {
        shallow = zip_one(&format!("level{i}.zip"), &shallow);
    }
    let mut deep = zip_one("deep.csv", b"email\njohn.jones@example.org\n");
    for i in 0..10 {
        deep = zip_one(&format!("level{i}.zip"), &deep);
    }
    wd.write("tree/shallow.zip", &shallow);
    wd.write("tree/deep.zip", &deep);
    wd.write(
        "tree/broken.docx",
        b"PK\x03\x04 this is not really a Word file",
    );
    wd.write("tree/big.zip", zip_one("big.txt", &vec![b'a'; 300_000]));
    let out = scan(&wd, &["tree"], &["--max-decompressed", "200000"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(exposed(&wd), ["T1"]);
    let ns = read_csv(&wd.path("r/not_searched.csv"));
    let why = |part: &str| {
        ns.iter()
            .find(|r| r["source"].contains(part))
            .map(|r| r["reason"].clone())
            .unwrap_or_else(|| panic!("{part} not listed: {ns:?}"))
    };
    assert!(why("deep.zip!/level9.zip!/level8.zip").contains("nested more than 8"));
    assert!(why("broken.docx").contains("could not be read as docx"));
    assert!(why("big.zip!/big.txt").contains("zip bomb"));
    let m = manifest(&wd);
    counts_add_up(&m);
}

/// A quote never closed, past the part of the file the sniffer reads, would swallow the rows
/// after it into one record; after 16 MiB without a record end that stretch is read line by
/// line instead: the row with the stray quote is rejected on its own line, and the rows it
/// swallowed are matched.
#[test]
fn an_unclosed_quote_deep_in_a_file_is_read_line_by_line() {
    let wd = setup("hostile-unclosed");
    let mut s = String::from("Name,Email\n");
    for i in 0..12_000 {
        s += &format!("Person {i},p{i}@example.net\n");
    }
    s += "\"Unclosed,u@example.net\n";
    for i in 0..720_000 {
        s += &format!("Filler {i},f{i}@example.net\n");
        if i == 999 {
            // Inside the swallowed stretch (no quote in it, or the stray one pairs with it).
            s += "Zoe Smith,zoe.smith@example.org\n";
        }
    }
    s += "John Jones,john.jones@example.org\n";
    assert!(s.len() > 17 << 20);
    wd.write("d/unclosed.csv", &s);
    let o = scan(&wd, &["d"], &[]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("never closed"), "{err}");
    assert_eq!(exposed(&wd), vec!["T1", "T2"]);
    let df = breachmatch::results::hits::read_parquet(&wd.path("r/hits.parquet")).unwrap();
    let (id, line) = (df.column("tenant_id").unwrap(), df.column("line").unwrap());
    let (id, line) = (id.str().unwrap(), line.u64().unwrap());
    let t1: Vec<_> = (0..df.height())
        .filter(|&i| id.get(i) == Some("T1"))
        .map(|i| line.get(i))
        .collect();
    assert_eq!(t1, vec![Some(13_003)]);
    let m = manifest(&wd);
    counts_add_up(&m);
    assert_eq!(m["files"][0]["layout"]["quoting"], true);
    assert_eq!(m["files"][0]["read"]["overlong_records_cut"], 1);
    assert_eq!(m["files"][0]["read"]["rows"], 12_000 + 1 + 720_000 + 2);
    let rej = read_csv(&wd.path("r/rejected_rows.csv"));
    assert_eq!(rej.len(), 1, "{rej:?}");
    assert_eq!(rej[0]["line"], "12002");
    assert!(rej[0]["reason"].contains("1 fields, expected 2"), "{rej:?}");
}

/// A stray quote past the part of the file the sniffer reads that pairs with a quote lines
/// later makes one record of the wrong width: its lines are read again one by one.
#[test]
fn a_stray_quote_that_pairs_with_a_later_one_swallows_no_rows() {
    let wd = setup("hostile-stray-pair");
    let mut s = String::from("Name,Email\n");
    for i in 0..12_000 {
        s += &format!("Person {i},p{i}@example.net\n");
    }
    s += "\"Unclosed,u@example.net\n";
    for i in 0..500 {
        s += &format!("Filler {i},f{i}@example.net\n");
    }
    s += "Zoe Smith,zoe.smith@example.org\n";
    s += "\"Jones, John\",john.jones@example.org\n";
    wd.write("d/stray.csv", &s);
    for threads in ["1", "2"] {
        let o = scan(&wd, &["d"], &["--threads", threads]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success(), "{err}");
        assert!(err.contains("stray double quote"), "{err}");
        assert_eq!(exposed(&wd), vec!["T1", "T2"]);
        let m = manifest(&wd);
        counts_add_up(&m);
        assert_eq!(m["files"][0]["layout"]["quoting"], true);
        assert_eq!(m["files"][0]["read"]["records_read_as_lines"], 1);
        let rej = read_csv(&wd.path("r/rejected_rows.csv"));
        assert_eq!(rej.len(), 1, "{rej:?}");
        assert_eq!(rej[0]["line"], "12002");
    }
}

/// A named pipe, random bytes named .csv and a gzip cut short are each reported for what they
/// are (the pipe without waiting for a writer), and a semicolon table with the e-mail in its
/// second column is read as a table, not as an `email;password` combolist.
#[test]
fn pipes_random_bytes_and_cut_gzip_are_reported_and_tables_are_not_combolists() {
    let wd = setup("hostile-odd-files");
    wd.write(
        "d/semi.csv",
        "Name;Email;Postcode\nZoe Smith;zoe.smith@example.org;LS1 4AB\nA B;a@example.net;M1 1AA\nC D;c@example.net;M2 2BB\n",
    );
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let random: Vec<u8> = (0..5000)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 24) as u8
        })
        .collect();
    wd.write("d/random.csv", random);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(b"Name,Email\nJohn Jones,john.jones@example.org\n")
        .unwrap();
    let gz = gz.finish().unwrap();
    wd.write("d/cut.csv.gz", &gz[..gz.len() - 8]);
    wd.write("d/cut2.csv.gz", &gz[..12]);
    let fifo = wd.path("d/pipe.csv");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let o = scan(&wd, &["d"], &[]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("pipe.csv: not a regular file (a named pipe)"),
        "{err}"
    );
    assert!(err.contains("random.csv: looks like binary data"), "{err}");
    assert!(
        err.contains("cut2.csv.gz: the gzip data is cut short or damaged, nothing could be read"),
        "{err}"
    );
    assert!(
        err.contains("cut.csv.gz: not read in full: the gzip data is cut short"),
        "{err}"
    );
    assert!(
        err.contains("semi.csv (CSV separated by ';' with a header row)"),
        "{err}"
    );
    // The rows before the cut are kept.
    let rows = read_csv(&wd.path("r/exposures.csv"));
    assert_eq!(exposed(&wd), vec!["T1", "T2"]);
    assert_eq!(rows[0]["fields_exposed"], "name|postcode|email");
    assert_eq!(rows[0]["co_exposed"], "", "no password invented");
    let rej = read_csv(&wd.path("r/rejected_rows.csv"));
    for f in ["pipe.csv", "random.csv", "cut.csv.gz", "cut2.csv.gz"] {
        assert!(rej.iter().any(|r| r["source"].ends_with(f)), "{f}: {rej:?}");
    }
}

/// JSON that is not JSON lines (an array of records, pretty-printed or on one line; objects
/// over several lines one after another) is read record by record, each at its first line;
/// keys that are data (e-mails) never become column names.
#[test]
fn json_arrays_and_pretty_printed_objects_are_read_record_by_record() {
    let wd = setup("hostile-json-docs");
    let mut records: Vec<serde_json::Value> = (0..30)
        .map(|i| serde_json::json!({"name": format!("Person {i}"), "email": format!("p{i}@example.net")}))
        .collect();
    records.insert(
        10,
        serde_json::json!({"user": {"name": "Zoe Smith", "email": "zoe.smith@example.org"}}),
    );
    let pretty = serde_json::to_string_pretty(&records).unwrap();
    wd.write("d/array.json", &pretty);
    wd.write("d/line.json", serde_json::to_string(&records).unwrap());
    let stream: Vec<String> = records
        .iter()
        .map(|r| serde_json::to_string_pretty(r).unwrap())
        .collect();
    wd.write("d/stream.json", stream.join("\n"));
    wd.write(
        "d/keyed.jsonl",
        "{\"john.jones@example.org\": {\"name\": \"John Jones\"}}\n{\"x9@example.net\": {\"name\": \"A B\"}}\n",
    );
    for threads in ["1", "2"] {
        let o = scan(&wd, &["d"], &["--threads", threads]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success(), "{err}");
        assert!(!err.contains("x9@example.net"), "{err}");
        let rows = read_csv(&wd.path("r/exposures.csv"));
        assert_eq!(exposed(&wd), vec!["T1", "T2"]);
        assert_eq!(rows[0]["n_sources"], "3", "{rows:?}");
        let m = manifest(&wd);
        counts_add_up(&m);
        let manifest_text = fs_err::read_to_string(wd.path("r/manifest.json")).unwrap();
        assert!(!manifest_text.contains("x9@example.net"));
        for f in m["files"].as_array().unwrap() {
            assert_eq!(
                f["stats"]["rows_rejected"]
                    .as_object()
                    .map_or(0, |r| r.len()),
                0,
                "{f}"
            );
        }
    }
    // Zoe's record starts on the line of its '{' in the pretty-printed array.
    let want = 1 + pretty[..pretty.find("\"user\"").unwrap()]
        .matches('\n')
        .count() as u64
        - 1;
    let df = breachmatch::results::hits::read_parquet(&wd.path("r/hits.parquet")).unwrap();
    let (src, line) = (df.column("source").unwrap(), df.column("line").unwrap());
    let (src, line) = (src.str().unwrap(), line.u64().unwrap());
    let at: Vec<_> = (0..df.height())
        .filter(|&i| src.get(i).is_some_and(|s| s.ends_with("array.json")))
        .map(|i| line.get(i))
        .collect();
    assert_eq!(at, vec![Some(want)]);
}

/// Rows joined by a line that ends in a lone carriage return (files pasted together from
/// systems with different line ends) are read as the rows they are.
#[test]
fn rows_joined_by_a_lone_carriage_return_are_split() {
    let wd = setup("hostile-lone-cr");
    wd.write(
        "d/one.csv",
        "Email\nrandom@example.com\nzoe.smith@example.org\rjohn.jones@example.org\nother@example.com\n",
    );
    wd.write(
        "d/mixed.csv",
        "Name,Email\r\nZoe Smith,zoe.smith@example.org\rJohn Jones,john.jones@example.org\nA B,a@example.net\r\n",
    );
    for threads in ["1", "2"] {
        let o = scan(&wd, &["d"], &["--threads", threads]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success(), "{err}");
        assert!(err.contains("lone carriage return"), "{err}");
        let rows = read_csv(&wd.path("r/exposures.csv"));
        assert_eq!(exposed(&wd), vec!["T1", "T2"]);
        assert!(rows.iter().all(|r| r["n_sources"] == "2"), "{rows:?}");
        let m = manifest(&wd);
        counts_add_up(&m);
        assert!(read_csv(&wd.path("r/rejected_rows.csv")).is_empty());
    }
}

/// A stray quote in the last column keeps the row's width, so it is not caught as a ragged row:
/// once it runs over 100 lines its lines are read again one by one, and the rows it swallowed
/// are matched.
#[test]
fn a_stray_quote_in_the_last_column_swallows_no_rows() {
    let wd = setup("hostile-stray-last-column");
    let mut s = String::from("Name,Email,Note\n");
    for i in 0..12_000 {
        s += &format!("Person {i},p{i}@example.net,nothing\n");
    }
    s += "Bad Row,bad@example.net,\"unclosed\n";
    s += "Zoe Smith,zoe.smith@example.org,x\n";
    for i in 0..500 {
        s += &format!("Filler {i},f{i}@example.net,y\n");
    }
    s += "John Jones,john.jones@example.org,z\n";
    wd.write("d/last.csv", &s);
    let o = scan(&wd, &["d"], &[]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert_eq!(exposed(&wd), vec!["T1", "T2"]);
    let m = manifest(&wd);
    counts_add_up(&m);
    assert_eq!(m["files"][0]["read"]["records_read_as_lines"], 1);
}
