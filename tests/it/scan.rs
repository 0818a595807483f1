//! `breachmatch scan`: formats, compression, headers, role overrides, bad files, partner use.

use crate::util::{Workdir, read_csv};
use std::io::Write;

const TENANTS: &str = "Tenant ID,Title,Forename,Surname,Date of Birth,Address Line 1,Postcode,Email,Phone,NI Number,Sort Code,Account Number,Tenancy Ref\n\
T1,Mrs,Siân,O'Neill,12/03/1985,\"Flat 3, 12 High St\",LS1 4AB,sian.oneill@gmail.com,07700 900123,AB 12 34 57 C,12-34-56,12345678,TEN-000101\n\
T2,Mr,John,Smith,1970-01-01,4 Church Rd,M1 1AE,john.smith@outlook.com,01632 960123,,,,TEN-000102\n\
T3,Ms,Zoë,Smith-Jones,01 Feb 1990,7 Mill Lane,B33 8TH,,,,,,TEN-000103\n";

/// Rows about T1 (email, phone), T2 (name + dob + postcode) and a stranger, in one layout.
fn rows_csv(delim: char, header: bool) -> String {
    let d = delim;
    let mut s = String::new();
    if header {
        s += &format!("Full Name{d}E-mail{d}Birth Date{d}Post Code{d}Mobile\n");
    }
    s += &format!(
        "Mrs Sian O'Neill{d}SIAN.ONEILL@GMAIL.COM{d}1985-03-12{d}ls14ab{d}+44 7700 900123\n"
    );
    s += &format!("\"SMITH, John\"{d}{d}01/01/1970{d}M1 1AE{d}\n");
    s += &format!("Peter Brown{d}peter.brown@example.com{d}02/02/1962{d}SW1A 1AA{d}07700 900999\n");
    s
}

fn setup(name: &str) -> Workdir {
    let wd = Workdir::new(name);
    wd.write("tenants.csv", TENANTS);
    crate::util::keygen_and_index(&wd, "tenants.csv", "t.bmx");
    wd
}

fn scan(wd: &Workdir, dumps: &[&str], out: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "scan",
        "--index",
        "t.bmx",
        "--key-file",
        "k.key",
        "--out",
        out,
        "--dumps",
    ];
    args.extend_from_slice(dumps);
    args.extend_from_slice(extra);
    wd.run(&args)
}

fn exposures(wd: &Workdir, out: &str) -> Vec<(String, String)> {
    read_csv(&wd.path(&format!("{out}/exposures.csv")))
        .into_iter()
        .map(|r| (r["tenant_id"].clone(), r["fields_exposed"].clone()))
        .collect()
}

fn expected() -> Vec<(String, String)> {
    vec![
        ("T1".into(), "name|dob|postcode|email|phone".into()),
        ("T2".into(), "name|dob|postcode".into()),
    ]
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

#[test]
fn every_format_gives_the_same_exposures() {
    let wd = setup("scan-formats");
    let csv = rows_csv(',', true);
    wd.write("a/x.csv", &csv);
    wd.write("b/x.tsv", rows_csv('\t', false));
    wd.write("c/x.psv", rows_csv('|', true));
    wd.write(
        "d/x.csv",
        format!("\u{feff}{}", rows_csv(';', true).replace('\n', "\r\n")),
    );
    wd.write("e/x.csv.gz", gzip(csv.as_bytes()));
    // Magic bytes, not the extension, decide: a gzip named .csv and a zstd named .dat.
    wd.write("f/x.csv", gzip(csv.as_bytes()));
    wd.write("g/x.dat", zstd::encode_all(csv.as_bytes(), 3).unwrap());
    let jsonl = "{\"user\":{\"name\":\"Mrs Sian O'Neill\",\"contact\":{\"email\":\"SIAN.ONEILL@GMAIL.COM\",\"mobile\":\"+44 7700 900123\"}},\"dob\":\"1985-03-12\",\"address\":{\"postcode\":\"ls14ab\"}}\n\
{\"name\":\"SMITH, John\",\"dob\":\"01/01/1970\",\"postcode\":\"M1 1AE\"}\n\
{\"name\":\"Peter Brown\",\"email\":\"peter.brown@example.com\"}\n";
    wd.write("h/x.jsonl", jsonl);
    for dir in ["a", "b", "c", "d", "e", "f", "g", "h"] {
        let out = format!("r-{dir}");
        let o = scan(&wd, &[dir], &out, &[]);
        assert!(
            o.status.success(),
            "{dir}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert_eq!(exposures(&wd, &out), expected(), "layout {dir}");
    }
}

#[test]
fn combolists_expose_emails_only() {
    let wd = setup("scan-combo");
    wd.write(
        "combo.txt",
        "sian.o.n.e.i.l.l+shop@gmail.com:hunter2\njohn.smith@outlook.com;pa:ss\nuser9:stranger@example.com:pw\nno email here\n",
    );
    let o = scan(&wd, &["combo.txt"], "r", &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        exposures(&wd, "r"),
        vec![("T1".into(), "email".into()), ("T2".into(), "email".into())]
    );
    let rejected = read_csv(&wd.path("r/rejected_rows.csv"));
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0]["line"], "4");
    let all = crate::util::all_output_text(&wd.path("r"));
    assert!(!all.contains("hunter2") && !all.contains("stranger@example.com"));
}

#[test]
fn role_overrides_fix_unknown_headers() {
    let wd = setup("scan-roles");
    wd.write("x.csv", "col_a,col_b\nTEN 000103,Zoe Smith-Jones\n");
    let o = scan(&wd, &["x.csv"], "r1", &[]);
    assert!(o.status.success());
    assert!(exposures(&wd, "r1").is_empty());
    let m: serde_json::Value =
        serde_json::from_slice(&fs_err::read(wd.path("r1/manifest.json")).unwrap()).unwrap();
    let finding = m["files"][0]["provenance"]["finding"].as_str().unwrap();
    assert!(
        finding.contains("does not look like our tenant data"),
        "{finding}"
    );
    let o = scan(
        &wd,
        &["x.csv"],
        "r2",
        &["--roles", "x.csv=col_a:tenancy_ref,2:full_name"],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        exposures(&wd, "r2"),
        vec![("T3".into(), "name|tenancy_ref".into())]
    );
    let m: serde_json::Value =
        serde_json::from_slice(&fs_err::read(wd.path("r2/manifest.json")).unwrap()).unwrap();
    let cols = &m["files"][0]["layout"]["columns"];
    assert_eq!(cols[0]["role"], "tenancy_ref");
    assert_eq!(cols[0]["evidence"], "override");
}

#[test]
fn bad_rows_and_files_are_reported_and_the_rest_scanned() {
    let wd = setup("scan-bad");
    let mut csv = rows_csv(',', true);
    csv += "one,two,three,four,five,six,seven\n";
    csv += "Full Name,E-mail,Birth Date,Post Code,Mobile\n";
    wd.write("d/good.csv", &csv);
    wd.write("d/empty.csv", "");
    wd.write(
        "d/binary.csv",
        [0u8, 1, 2, 0, 0, 5, 0, 0, 10, 0, 0].repeat(20),
    );
    let mut truncated = gzip(rows_csv(',', true).repeat(50).as_bytes());
    truncated.truncate(truncated.len() - 40);
    wd.write("d/trunc.csv.gz", truncated);
    let o = scan(&wd, &["d"], "r", &[]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "partial run: {stderr}");
    assert!(
        stderr.contains("empty.csv") && stderr.contains("binary.csv"),
        "{stderr}"
    );
    assert!(stderr.contains("trunc.csv.gz"), "{stderr}");
    assert_eq!(exposures(&wd, "r"), expected());
    let rejected = read_csv(&wd.path("r/rejected_rows.csv"));
    assert!(rejected.iter().any(|r| r["source"].ends_with("good.csv")
        && r["line"] == "5"
        && r["reason"].contains("7 fields")));
    assert!(rejected.iter().any(|r| r["source"].ends_with("good.csv")
        && r["line"] == "6"
        && r["reason"].contains("header")));
    let m: serde_json::Value =
        serde_json::from_slice(&fs_err::read(wd.path("r/manifest.json")).unwrap()).unwrap();
    let files = m["files"].as_array().unwrap();
    assert_eq!(files.len(), 4);
    let trunc = files
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with("trunc.csv.gz"))
        .unwrap();
    assert_eq!(trunc["complete"], false);
    assert!(
        trunc["read"]["rows"].as_u64().unwrap() > 0,
        "rows before the cut are kept"
    );
    crate::util::assert_counts_add_up(&m);
}

#[test]
fn existing_results_need_force() {
    let wd = setup("scan-force");
    wd.write("x.csv", rows_csv(',', true));
    assert!(scan(&wd, &["x.csv"], "r", &[]).status.success());
    let o = scan(&wd, &["x.csv"], "r", &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--force"));
    assert!(scan(&wd, &["x.csv"], "r", &["--force"]).status.success());
}

#[test]
fn partner_scans_without_the_tenants_file_and_sees_no_plaintext() {
    let wd = setup("scan-partner");
    // The partner's directory has the index, the key and the dump; no tenants file.
    let partner = wd.path("partner");
    fs_err::create_dir_all(&partner).unwrap();
    fs_err::copy(wd.path("t.bmx"), partner.join("t.bmx")).unwrap();
    fs_err::copy(wd.path("k.key"), partner.join("k.key")).unwrap();
    fs_err::write(partner.join("leak.csv"), rows_csv(',', true)).unwrap();
    let o = assert_cmd::Command::cargo_bin("breachmatch")
        .unwrap()
        .current_dir(&partner)
        .args([
            "scan",
            "--index",
            "t.bmx",
            "--key-file",
            "k.key",
            "--dumps",
            "leak.csv",
            "--out",
            "r",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = crate::util::all_output_text(&partner.join("r"));
    for v in [
        "Siân",
        "Sian",
        "O'Neill",
        "oneill",
        "SIAN.ONEILL@GMAIL.COM",
        "sian.oneill@gmail.com",
        "+447700900123",
        "LS1 4AB",
        "LS14AB",
        "1985-03-12",
        "Peter Brown",
        "peter.brown@example.com",
        "Smith",
    ] {
        assert!(!text.contains(v), "{v} in partner output");
    }
    let key = fs_err::read(wd.path("k.key")).unwrap();
    assert!(!text.contains(&hex::encode(&key)));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!stderr.contains(&hex::encode(&key)));
}

#[test]
fn the_same_records_in_two_files_are_reported_as_duplicates() {
    let wd = setup("scan-duplicates");
    wd.write("d/a.csv", rows_csv(',', true));
    wd.write("d/b.tsv", rows_csv('\t', true));
    wd.write(
        "d/c.csv",
        "Full Name,E-mail\nMrs Sian O'Neill,sian.oneill@gmail.com\n",
    );
    let o = scan(&wd, &["d"], "r", &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let m = crate::util::manifest(&wd, "r");
    let dup = |i: usize| {
        m["files"][i]["provenance"]["duplicate_rows_elsewhere"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(
        (dup(0), dup(1)),
        (2, 2),
        "the two rows of a.csv are the same records as in b.tsv"
    );
    assert_eq!(dup(2), 0, "fewer columns: not the same record");
    let hits = breachmatch::results::hits::read_parquet(&wd.path("r/hits.parquet")).unwrap();
    assert!(hits.column("row_fingerprint").is_ok());
}

/// A row's line is the line its first byte is on, whatever came before it (blank lines, a
/// quoted field over two lines) and whatever ends its lines, on one thread or several.
#[test]
fn rejected_rows_are_reported_on_their_own_line() {
    let wd = setup("scan-lines");
    let rows = rows_csv(',', true);
    let mut lines: Vec<&str> = rows.lines().collect();
    // Line 2 blank, 3 spaces only, the rows on lines 4-6, a quoted field over lines 7-8, a
    // bad row on line 9, two blank lines, another bad row on line 12.
    lines.insert(1, "");
    lines.insert(2, "   ");
    lines.push("\"Flat 1\nHigh St\",x,y,z,w");
    lines.push("one,two,three,four,five,six,seven");
    lines.push("");
    lines.push("");
    lines.push("just one");
    for (name, end) in [("lf.csv", "\n"), ("crlf.csv", "\r\n"), ("cr.csv", "\r")] {
        let text = lines.join(end).replace('\n', end) + end;
        wd.write(&format!("d/{name}"), text.replace("\r\r\n", "\r\n"));
    }
    for threads in ["1", "2"] {
        let out = format!("r{threads}");
        let o = scan(&wd, &["d"], &out, &["--threads", threads]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let rejected = read_csv(&wd.path(&format!("{out}/rejected_rows.csv")));
        for name in ["lf.csv", "crlf.csv", "cr.csv"] {
            let mut got: Vec<&str> = rejected
                .iter()
                .filter(|r| r["source"] == format!("d/{name}"))
                .map(|r| r["line"].as_str())
                .collect();
            got.sort_unstable();
            assert_eq!(
                got,
                ["12", "9"],
                "{name} on {threads} threads: {rejected:?}"
            );
        }
        let mut want = expected();
        want.sort();
        assert_eq!(exposures(&wd, &out), want, "{threads} threads");
    }
}

/// A dump given twice (or inside a folder also given) is scanned once; --roles for a file
/// that is not among the dumps is warned about; an existing index is replaced only with
/// --force; an error names its cause once.
#[test]
fn duplicate_inputs_unused_roles_and_index_overwrite_are_caught() {
    let wd = setup("scan-duplicates");
    wd.write("d/a.csv", rows_csv(',', true));
    let o = scan(
        &wd,
        &["d/a.csv", "d", "./d/a.csv"],
        "r",
        &["--roles", "other.csv=Email:email"],
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("given more than once; scanned once"), "{err}");
    assert!(
        err.contains("--roles other.csv: no dump of that name"),
        "{err}"
    );
    let m = crate::util::manifest(&wd, "r");
    assert_eq!(m["files"].as_array().unwrap().len(), 1);
    // Results inside the dumps folder, replaced with --force: their old files are not read.
    for _ in 0..2 {
        let o = scan(&wd, &["d"], "d/out", &["--force"]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success(), "{err}");
        assert!(!err.contains("not read in full"), "{err}");
        let m = crate::util::manifest(&wd, "d/out");
        assert_eq!(m["files"].as_array().unwrap().len(), 1, "{m}");
    }
    let err = wd.fails(&[
        "index",
        "--tenants",
        "tenants.csv",
        "--key-file",
        "k.key",
        "--out",
        "t.bmx",
    ]);
    assert!(err.contains("t.bmx already exists; give --force"), "{err}");
    wd.ok(&[
        "index",
        "--tenants",
        "tenants.csv",
        "--key-file",
        "k.key",
        "--out",
        "t.bmx",
        "--force",
    ]);
    let err = wd.fails(&[
        "index",
        "--tenants",
        "missing.csv",
        "--key-file",
        "k.key",
        "--out",
        "t2.bmx",
    ]);
    assert_eq!(err.matches("No such file").count(), 1, "{err}");
}

/// Runs index + scan of `tenants` against `dump` in a fresh folder; returns exposures.csv as
/// (tenant_id, confidence, fields_exposed) and the index command's stderr.
fn rules_case(name: &str, tenants: &str, dump: &str) -> (Vec<(String, String, String)>, String) {
    let wd = Workdir::new(name);
    wd.write("t.csv", tenants);
    wd.write("d.csv", dump);
    wd.ok(&["keygen", "--out", "k.key"]);
    let o = wd.run(&[
        "index",
        "--tenants",
        "t.csv",
        "--key-file",
        "k.key",
        "--out",
        "t.bmx",
    ]);
    assert!(o.status.success());
    let index_err = String::from_utf8_lossy(&o.stderr).to_string();
    wd.ok(&[
        "scan",
        "--index",
        "t.bmx",
        "--key-file",
        "k.key",
        "--dumps",
        "d.csv",
        "--out",
        "o",
    ]);
    let rows = read_csv(&wd.path("o/exposures.csv"))
        .into_iter()
        .map(|r| {
            (
                r["tenant_id"].clone(),
                r["confidence"].clone(),
                r["fields_exposed"].clone(),
            )
        })
        .collect();
    (rows, index_err)
}

fn row(id: &str, confidence: &str, fields: &str) -> (String, String, String) {
    (id.into(), confidence.into(), fields.into())
}

#[test]
fn a_row_that_cannot_tell_tenants_apart_is_for_review() {
    // Twins: one surname, date of birth and postcode; the row has no first name.
    let twins = "Tenant ID,Forename,Surname,Date of Birth,Address Line 1,Postcode,Email\n\
        T1,Amy,Smith,01/02/1995,12 High Street,LS1 4AB,amy.smith@gmail.com\n\
        T2,Beth,Smith,01/02/1995,12 High Street,LS1 4AB,beth.smith@gmail.com\n";
    let (got, _) = rules_case(
        "rules-twins",
        twins,
        "Surname,Date of Birth,Postcode\nSmith,1995-02-01,LS1 4AB\n",
    );
    assert_eq!(
        got,
        vec![
            row("T1", "probable", "dob|postcode"),
            row("T2", "probable", "dob|postcode")
        ]
    );
    // Beth's e-mail in the row tells them apart.
    let (got, _) = rules_case(
        "rules-twins-email",
        twins,
        "Surname,Date of Birth,Postcode,Email\nSmith,1995-02-01,LS1 4AB,beth.smith@gmail.com\n",
    );
    assert_eq!(
        got,
        vec![
            row("T1", "probable", "dob|postcode"),
            row("T2", "confirmed", "dob|postcode|email")
        ]
    );
    // Father and son of one name at one address; the row has no date of birth.
    let (got, _) = rules_case(
        "rules-father-son",
        "Tenant ID,Forename,Surname,Date of Birth,Address Line 1,Postcode\n\
         T1,John,Smith,01/02/1955,12 High Street,LS1 4AB\n\
         T2,John,Smith,03/04/1985,12 High Street,LS1 4AB\n",
        "Full Name,Address,Postcode,Balance\nJohn Smith Jnr,12 High Street,LS1 4AB,300\n",
    );
    assert!(got.iter().all(|r| r.1 == "probable"), "{got:?}");
    // Values typed in for tenants of different homes confirm nobody; the index warns.
    let (got, warn) = rules_case(
        "rules-shared",
        "Tenant ID,Forename,Surname,Date of Birth,Address Line 1,Postcode,Email,Phone\n\
         T1,Amy,Khan,01/02/1975,1 Oak Road,LS1 4AB,email@example.org,0113 496 0000\n\
         T2,Bob,Lee,02/03/1980,2 Elm Road,LS2 4AB,bob.lee@example.org,0113 496 0000\n\
         T3,Cat,Ng,03/04/1985,3 Ash Road,LS3 4AB,email@example.org,07700 900333\n",
        "Full Name,Date of Birth,Email,Phone\n\
         Zed Stranger,05/05/1966,email@example.org,\n\
         Una Other,10/10/1971,,0113 496 0000\n\
         Bob Lee,,,0113 496 0000\n",
    );
    assert_eq!(
        got,
        vec![
            row("T1", "probable", "email|phone"),
            row("T2", "confirmed", "name|phone"),
            row("T3", "probable", "email"),
        ]
    );
    assert!(
        warn.contains(
            "2 e-mail, phone, NI, bank or tenancy values are held by tenants of different homes"
        ),
        "{warn}"
    );
    // One home's shared phone is each tenant's own.
    let (got, _) = rules_case(
        "rules-one-home",
        "Tenant ID,Forename,Surname,Address Line 1,Postcode,Phone\n\
         T1,John,Smith,12 High Street,LS1 4AB,0113 496 0001\n\
         T2,Jane,Smith,12 High Street,LS1 4AB,0113 496 0001\n",
        "Name,Phone\nJ Smith,0113 496 0001\n",
    );
    assert!(got.iter().all(|r| r.1 == "confirmed"), "{got:?}");
}

#[test]
fn addresses_are_read_with_their_flat_and_checked_against_the_postcode() {
    let tenants = "Tenant ID,Forename,Surname,Date of Birth,Address Line 1,Address Line 2,Postcode,Email\n\
        T1,John,Smith,01/02/1985,12 High Street,Flat 3,LS1 4AB,john.smith@gmail.com\n\
        T2,Ann,Brown,03/04/1970,Flat 7,20 Mill Lane,LS2 4AB,ann.brown@gmail.com\n\
        T3,Cat,Ng,05/06/1971,3 Mill Lane,,LS6 3AB,cat.ng@gmail.com\n\
        T4,Dan,Cole,07/08/1960,9 Park Road,,LS7 1AA,dan.cole@gmail.com\n";
    let dump = "Full Name,Email,Address Line 1,Address Line 2,Postcode\n\
        Paul Green,paul.green@example.org,12 High Street,Flat 5,LS1 4AB\n\
        Ann Brown,ann.brown@gmail.com,20 Mill Lane,Flat 7,LS2 4AB\n\
        Cat Ng,cat.ng@gmail.com,3 Mill Lane Leeds LS6 3AB,,\n\
        Dan Cole,dan.cole@gmail.com,9 Park Road,,SW1A 1AA\n";
    let (got, _) = rules_case("rules-address", tenants, dump);
    assert_eq!(
        got,
        vec![
            // Flat 5 of the same building is not T1's home: no household match.
            row("T2", "confirmed", "name|address|postcode|email"),
            // The postcode inside the address line is not read as the row's postcode.
            row("T3", "confirmed", "name|address|email"),
            // 9 Park Road in another postcode is not T4's address.
            row("T4", "confirmed", "name|email"),
        ]
    );
    // A joint row's one date of birth does not make the other person a namesake.
    let (got, _) = rules_case(
        "rules-joint",
        "Tenant ID,Forename,Surname,Date of Birth,Address Line 1,Postcode\n\
         T1,John,Smith,01/02/1985,12 High Street,LS1 4AB\n\
         T2,Jane,Smith,03/04/1987,12 High Street,LS1 4AB\n",
        "Full Name,DOB,Address,Postcode\nJohn & Jane Smith,01/02/1985,12 High Street,LS1 4AB\n",
    );
    assert_eq!(
        got,
        vec![
            row("T1", "confirmed", "name|dob|address|postcode"),
            row("T2", "confirmed", "name|address|postcode"),
        ]
    );
}

#[test]
fn api_responses_stealer_logs_and_landlord_headers_are_read_record_by_record() {
    let wd = Workdir::new("scan-shapes");
    wd.write(
        "t.csv",
        "Tenant ID,Forename,Surname,Date of Birth,Postcode,Email\n\
         T1,Zoe,Dubois,14/03/1985,SW1A 1AA,zoe.dubois@example.com\n\
         T2,John,Smith,01/02/1970,LS1 4AB,john.smith70@example.com\n\
         T3,Aisha,Khan,05/06/1990,M1 1AE,aisha.khan@example.net\n",
    );
    crate::util::keygen_and_index(&wd, "t.csv", "t.bmx");
    // Two records under a wrapper key: John Smith's date of birth and postcode are another
    // person's (Oliver Brown has T2's), so nobody is confirmed.
    wd.write(
        "dumps/api.json",
        "{\"count\": 2,\n \"results\": [\n\
         {\"name\": \"John Smith\", \"dob\": \"1990-07-21\", \"postcode\": \"E1 6AN\"},\n\
         {\"name\": \"Oliver Brown\", \"dob\": \"1970-02-01\", \"postcode\": \"LS1 4AB\"}\n]}\n",
    );
    // A stealer log: the site first, then e-mail and password; and a tab-separated list.
    wd.write(
        "dumps/ulp.txt",
        "https://portal.example:8443/login:zoe.dubois@example.com:hunter2\n\
         android://tok@com.bank/:someone@example.org:pw\n",
    );
    let tabs: String = (0..30)
        .map(|i| format!("user{i}@example.org\tpass{i}\n"))
        .chain(["aisha.khan@example.net\tletmein\n".to_string()])
        .collect();
    wd.write("dumps/tabs.txt", &tabs);
    // Headers that say whose the value is.
    wd.write(
        "dumps/landlord.csv",
        "Tenancy No,Lead Tenant Name,Tenant DOB,Property Postcode\n\
         TN1,John Smith,01/02/1970,LS1 4AB\n",
    );
    wd.ok(&[
        "scan",
        "--index",
        "t.bmx",
        "--key-file",
        "k.key",
        "--dumps",
        "dumps",
        "--out",
        "o",
    ]);
    let rows = read_csv(&wd.path("o/exposures.csv"));
    let get = |id: &str| rows.iter().find(|r| r["tenant_id"] == id).cloned();
    let t1 = get("T1").expect("T1 in the stealer log");
    assert_eq!(
        (t1["sources"].as_str(), t1["co_exposed"].as_str()),
        ("dumps/ulp.txt", "password")
    );
    let t3 = get("T3").expect("T3 in the tab list");
    assert_eq!(t3["co_exposed"], "password");
    let t2 = get("T2").expect("T2 in the landlord export");
    assert_eq!(
        (t2["confidence"].as_str(), t2["fields_exposed"].as_str()),
        ("confirmed", "name|dob|postcode")
    );
    assert_eq!(t2["sources"], "dumps/landlord.csv", "not from api.json");
    // The records of api.json are rows of their own, on their own lines.
    let m = crate::util::manifest(&wd, "o");
    let api = m["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "dumps/api.json")
        .unwrap();
    assert_eq!(api["stats"]["rows_scanned"], 2);
    // Read as one row, John Smith took Oliver Brown's date of birth and postcode: T2's.
    let review = read_csv(&wd.path("o/review.csv"));
    assert!(
        !review.iter().any(|r| r["source"] == "dumps/api.json"),
        "{review:?}"
    );
}

#[test]
fn short_rows_title_lines_us_dates_and_unreadable_files_are_told() {
    let wd = Workdir::new("scan-told");
    wd.write(
        "t.csv",
        "Tenant ID,Forename,Surname,Date of Birth,Postcode,Email\n\
         T1,Zoe,Dubois,14/03/1985,SW1A 1AA,zoe.dubois@example.com\n\
         T2,John,Smith,04/03/1970,LS1 4AB,john.smith70@example.com\n",
    );
    crate::util::keygen_and_index(&wd, "t.csv", "t.bmx");
    // Empty cells at the end left out; a title line above the header.
    wd.write(
        "d/short.csv",
        "Name,Email,Postcode,Phone,Notes\nOliver Brown,ob@example.com,E1 6AN,07700 900999,hi\n\
         Zoe Dubois,zoe.dubois@example.com\n",
    );
    let mut titled = String::from("Acme Housing - Customer list\nRef,Full Name,DOB,Postcode\n");
    for i in 0..8 {
        titled += &format!("C{i}00,Person Filler,0{}/02/1960,E1 6AN\n", i + 1);
    }
    titled += "C900,John Smith,04/03/1970,LS1 4AB\n";
    wd.write("d/titled.csv", &titled);
    let o = wd.run(&[
        "scan",
        "--index",
        "t.bmx",
        "--key-file",
        "k.key",
        "--dumps",
        "d",
        "--out",
        "o",
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("1 row(s) had fewer values than the header's 5 columns"),
        "{err}"
    );
    let rows = read_csv(&wd.path("o/exposures.csv"));
    let ids: Vec<&str> = rows.iter().map(|r| r["tenant_id"].as_str()).collect();
    assert_eq!(ids, ["T1", "T2"]);
    assert_eq!(rows[1]["sources"], "d/titled.csv");
    let m = crate::util::manifest(&wd, "o");
    assert_eq!(m["totals"]["short_rows"], 1);

    // Every row rejected: told, and the file is not complete (exit 1).
    wd.write(
        "e/bad.csv",
        "Name,Email\nAl Bee,a@example.org,c,d\nEd Eff,e@example.org,g,h\n",
    );
    // A month-first date past the rows sampled, in a column sampled as day-first.
    let mut us = String::from("Name,DOB\n");
    for d in 1..=2000 {
        us += &format!("Person Filler,{:02}/{:02}/1960\n", d % 12 + 1, d % 11 + 1);
    }
    us += "John Smith,12/25/1970\n";
    wd.write("e/us.csv", &us);
    let o = wd.run(&[
        "scan",
        "--index",
        "t.bmx",
        "--key-file",
        "k.key",
        "--dumps",
        "e",
        "--out",
        "o2",
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("all 2 of 2 rows were rejected"), "{err}");
    assert!(
        err.contains("1 date(s) of birth in \"DOB\" only make sense month-first")
            && err.contains("=DOB:dob_month_first"),
        "{err}"
    );
    let m = crate::util::manifest(&wd, "o2");
    let bad = &m["files"][0];
    assert_eq!(bad["path"], "e/bad.csv");
    assert_eq!(bad["complete"], false);
}
