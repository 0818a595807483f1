//! `breachmatch normalize`.

use crate::util::Workdir;

#[test]
fn normalize_values_and_stdin() {
    let wd = Workdir::new("normalize");
    let out = wd.ok(&["normalize", "--kind", "phone", "+44 (0)7700 900123", "0770"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "input,kind,normalised,status,reason");
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
