//! `breachmatch normalize`.

use crate::util::Workdir;

#[test]
fn normalize_values_and_stdin() {
    let wd = Workdir::new("normalize");
    let out = wd.ok(&["normalize", "--kind", "phone", "+44 (0)7700 900123", "0770"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "input,kind,normalised,status,reason,other_candidates"
    );
    assert!(
        lines[1].starts_with("+44 (0)7700 900123,phone,+447700900123,ok,"),
        "{out}"
    );
    assert!(
        lines[2].starts_with("0770,phone,,rejected,") && lines[2].len() > 25,
        "{out}"
    );
    let o = assert_cmd::Command::cargo_bin("breachmatch")
        .unwrap()
        .args(["normalize", "--kind", "postcode"])
        .write_stdin("sw1a 1aa\nAB12\n")
        .output()
        .unwrap();
    let s = String::from_utf8_lossy(&o.stdout);
    assert!(s.contains("sw1a 1aa,postcode,SW1A1AA,ok,"), "{s}");
    assert!(s.contains("AB12,postcode,,rejected,"), "{s}");
    let err = wd.fails(&["normalize", "--kind", "shoe", "x"]);
    assert!(err.contains("unknown kind"), "{err}");
}

#[test]
fn every_kind_through_the_command() {
    let wd = Workdir::new("normalize-kinds");
    let cases = [
        ("name", "SMITH, Mr John", "john smith", "Smith"),
        ("given_name", "Mrs Siân", "sian", "J."),
        ("surname", "O'Neill", "oneill", "Sm1th"),
        ("dob", "12 Mar 1985", "1985-03-12", "31/02/1990"),
        ("postcode", "sw1a 1aa", "SW1A1AA", "AB12"),
        (
            "email",
            "John.Smith@Example.COM",
            "john.smith@example.com",
            "john.smith@",
        ),
        (
            "email_folded",
            "John.Smith+x@GoogleMail.com",
            "johnsmith@gmail.com",
            "@gmail.com",
        ),
        ("phone", "+44 (0)7700 900123", "+447700900123", "0770"),
        ("nino", "ab 12 34 57 c", "AB123457", "QQ123456C"),
        ("sort_code", "12-34-56", "123456", "12-34-5"),
        ("account_number", "1234567", "01234567", "123456789"),
        ("tenancy_ref", "ten-001234", "TEN001234", "TEN"),
        (
            "address_line",
            "Flat 3, 12 High St",
            "flat 3 12 high street",
            "Leeds",
        ),
    ];
    for (kind, good, want, bad) in cases {
        let out = wd.ok(&["normalize", "--kind", kind, good, bad]);
        let rows: Vec<Vec<String>> = csv::Reader::from_reader(out.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect();
        assert_eq!(rows.len(), 2, "{kind}: {out}");
        assert_eq!(rows[0][..5], [good, kind, want, "ok", ""], "{kind}");
        assert_eq!(&rows[1][..4], &[bad, kind, "", "rejected"], "{kind}");
        assert!(!rows[1][4].is_empty(), "{kind}: a rejection says why");
    }
    // Every reading of a whole name the scan tries, not only the first.
    let out = wd.ok(&["normalize", "--kind", "name", "John Paul Smith"]);
    assert!(
        out.contains("john paulsmith,ok,,john smith; johnpaul smith"),
        "{out}"
    );
    // A whole column on standard input (speed is measured in benches, not asserted here).
    let input: String = (0..20_000)
        .map(|i| format!("0{}\n", 7_700_000_000u64 + i))
        .collect();
    let o = assert_cmd::Command::cargo_bin("breachmatch")
        .unwrap()
        .args(["normalize", "--kind", "phone"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert!(o.status.success());
    assert_eq!(String::from_utf8_lossy(&o.stdout).lines().count(), 20_001);
}

#[test]
fn lists_notes_and_labels_read_as_the_scan_reads_them() {
    let wd = Workdir::new("normalize-lists");
    let out = wd.ok(&[
        "normalize",
        "--kind",
        "phone",
        "07700 900123 / 0113 496 0000",
        "07700 900102 (mum)",
        "(home) 029 2018 0555",
    ]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[1],
        "07700 900123 / 0113 496 0000,phone,+447700900123,ok,read as a list: 2 values,+441134960000"
    );
    assert!(
        lines[2].starts_with("07700 900102 (mum),phone,+447700900102,ok,"),
        "{out}"
    );
    assert!(
        lines[3].starts_with("(home) 029 2018 0555,phone,+442920180555,ok,"),
        "{out}"
    );
    for (kind, input, want) in [
        ("email", "Email: bob.lee@outlook.com", "bob.lee@outlook.com"),
        (
            "email",
            "amy.khan@gmail.com (personal)",
            "amy.khan@gmail.com",
        ),
        ("nino", "NINO JZ123458C", "JZ123458"),
        ("dob", "DOB: 01/02/1985", "1985-02-01"),
    ] {
        let out = wd.ok(&["normalize", "--kind", kind, input]);
        assert!(
            out.contains(&format!(",{kind},{want},ok,")),
            "{kind} {input}: {out}"
        );
    }
    // A note of doubt is not dropped.
    let out = wd.ok(&[
        "normalize",
        "--kind",
        "phone",
        "07700 900102 (wrong number)",
    ]);
    assert!(out.contains(",rejected,"), "{out}");
}
