//! `breachmatch report` (and `run --org`): decisions, affected list, letters, summary, and a
//! real browser check of the printed letters.

use crate::util::{Workdir, read_csv, sample_data};
use std::collections::BTreeSet;
use std::process::Command;

const PHRASES: [(&str, &str); 9] = [
    ("name", "Your name"),
    ("dob", "Your date of birth"),
    ("address", "Your address"),
    ("postcode", "Your postcode"),
    ("email", "Your email address"),
    ("phone", "Your phone number"),
    ("nino", "Your National Insurance number"),
    ("bank", "Your bank sort code and account number"),
    ("tenancy_ref", "Your tenancy reference number"),
];

fn run_with_report(wd: &Workdir) {
    crate::util::run_sample(
        wd,
        &["--org", sample_data().join("org.toml").to_str().unwrap()],
    );
}

fn have(cmd: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {cmd}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn decisions_letters_and_affected_list_follow_ground_truth_and_policy() {
    let wd = Workdir::new("report-sample");
    run_with_report(&wd);
    let gt = read_csv(&sample_data().join("ground_truth.csv"));
    let gt_tenants: BTreeSet<String> = gt.iter().map(|r| r["tenant_id"].clone()).collect();
    let affected = read_csv(&wd.path("r/affected_tenants.csv"));
    let decisions = read_csv(&wd.path("r/decisions.csv"));
    let got: BTreeSet<String> = affected.iter().map(|r| r["tenant_id"].clone()).collect();
    assert_eq!(got, gt_tenants);
    assert_eq!(decisions.len(), affected.len());
    let policy = breachmatch::report::policy::Policy::default();
    let mut notified = 0;
    for d in &decisions {
        assert!(!d["reason"].is_empty(), "{d:?}");
        let fields: Vec<_> = d["fields_exposed"]
            .split('|')
            .filter_map(breachmatch::keys::Field::parse)
            .collect();
        let co: Vec<_> = d["co_exposed"]
            .split('|')
            .filter_map(breachmatch::dump::sensitive::Category::parse)
            .collect();
        let want = policy.decide(&fields, &co);
        assert_eq!(d["risk"], want.risk.as_str(), "{d:?}");
        let should = want.notify && d["confidence"] == "confirmed";
        assert_eq!(d["notify"], if should { "yes" } else { "no" }, "{d:?}");
        let letter = wd.path(&format!("r/letters/{}.html", d["tenant_id"]));
        assert_eq!(letter.exists(), should, "{d:?}");
        if should {
            notified += 1;
            let html = fs_err::read_to_string(&letter).unwrap();
            for (f, phrase) in PHRASES {
                let exposed = d["fields_exposed"].split('|').any(|x| x == f);
                assert_eq!(
                    html.contains(&format!("<li>{phrase}</li>")),
                    exposed,
                    "{} {f}",
                    d["tenant_id"]
                );
            }
            assert!(html.contains("Report Fraud") && !html.contains("Action Fraud"));
        }
    }
    assert!(notified > 10, "only {notified} notified");
    assert!(
        decisions.iter().any(|d| d["notify"] == "no"),
        "some tenants are not notified"
    );
    let combined = fs_err::read_to_string(wd.path("r/letters.html")).unwrap();
    assert_eq!(
        combined.matches("<section class=\"letter\">").count(),
        notified
    );
    let merge = read_csv(&wd.path("r/mailmerge.csv"));
    assert_eq!(merge.len(), notified);
    let summary = fs_err::read_to_string(wd.path("r/summary.html")).unwrap();
    assert!(summary.contains("<svg") && !summary.contains("<script"));
    for external in ["src=\"http", "href=\"http", "<link", "@import", "url(http"] {
        assert!(!summary.contains(external), "summary.html loads {external}");
    }
    let md = fs_err::read_to_string(wd.path("r/summary.md")).unwrap();
    assert!(md.contains("ICO personal data breach report") && md.contains("Not notified"));
    // The ICO figure is the manifest's rows that hold a tenant's data, as the terminal says:
    // namesake rows (other people with a tenant's name) are not the tenants' records.
    let m = crate::util::manifest(&wd, "r");
    let matched = m["totals"]["rows_matched"].as_u64().unwrap();
    let exposing = m["totals"]["rows_exposing"].as_u64().unwrap();
    assert!(
        0 < exposing && exposing < matched,
        "{exposing} of {matched}"
    );
    assert!(
        md.contains(&format!(
            "records concerned: {exposing} rows holding a tenant's data"
        )),
        "{md}"
    );
    assert!(md.contains(" tenants** appear in the scanned data"), "{md}");
    assert!(
        md.contains("What each file looks like") && md.contains("of rows match a tenant"),
        "{md}"
    );
}

#[test]
fn browser_prints_one_page_per_letter() {
    let in_ci = std::env::var("CI").is_ok();
    if !(have("chromium") && have("pdftotext") && have("pdfinfo")) {
        assert!(
            !in_ci,
            "CI must install chromium and poppler-utils (see .ci/run)"
        );
        eprintln!("skipping browser check: chromium or poppler-utils not installed");
        return;
    }
    let wd = Workdir::new("report-browser");
    run_with_report(&wd);
    let decisions = read_csv(&wd.path("r/decisions.csv"));
    let affected = read_csv(&wd.path("r/affected_tenants.csv"));
    let notified: Vec<_> = decisions.iter().filter(|d| d["notify"] == "yes").collect();
    let chromium = |args: &[&str]| {
        let o = Command::new("chromium")
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ])
            .arg(format!(
                "--user-data-dir={}",
                wd.path("chrome-profile").display()
            ))
            .args(args)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "chromium failed: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    };
    let pdf = wd.path("letters.pdf");
    chromium(&[
        "--no-pdf-header-footer",
        &format!("--print-to-pdf={}", pdf.display()),
        &format!("file://{}", wd.path("r/letters.html").display()),
    ]);
    let info =
        String::from_utf8(Command::new("pdfinfo").arg(&pdf).output().unwrap().stdout).unwrap();
    let pages: usize = info
        .lines()
        .find(|l| l.starts_with("Pages:"))
        .unwrap()
        .split_whitespace()
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(pages, notified.len(), "one A4 page per letter");
    for (i, d) in notified.iter().enumerate() {
        let page = (i + 1).to_string();
        let text = String::from_utf8(
            Command::new("pdftotext")
                .args(["-f", &page, "-l", &page, pdf.to_str().unwrap(), "-"])
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap();
        let a = affected
            .iter()
            .find(|a| a["tenant_id"] == d["tenant_id"])
            .unwrap();
        // Letters write a name in capitals in title case ("NOWAK" as "Nowak").
        let surname = breachmatch::report::name_case(a["surname"].trim().trim_start_matches('\''));
        assert!(
            text.contains(&surname),
            "page {page} lacks {surname}:\n{text}"
        );
    }
    // The summary rendered to a PNG for a person to look at (kept out of git).
    let png = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("summary.png");
    fs_err::create_dir_all(png.parent().unwrap()).unwrap();
    chromium(&[
        "--window-size=1100,2200",
        &format!("--screenshot={}", png.display()),
        &format!("file://{}", wd.path("r/summary.html").display()),
    ]);
    assert!(fs_err::metadata(&png).unwrap().len() > 10_000);
}

#[test]
fn formula_injection_is_neutralised_in_every_csv() {
    let wd = Workdir::new("report-formula");
    wd.write(
        "t.csv",
        "Tenant ID,Forename,Surname,Date of Birth,Postcode,Email,Address Line 1\n\
         T1,\"=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",+Smith,1980-01-01,LS1 4AB,evil@example.com,@1 High Street\n",
    );
    wd.write("leak.csv", "Email,Name\nevil@example.com,Someone\n");
    wd.write("org.toml", breachmatch::report::org::Org::sample_toml());
    wd.ok(&[
        "run",
        "--tenants",
        "t.csv",
        "--dumps",
        "leak.csv",
        "--org",
        "org.toml",
        "--out",
        "r",
    ]);
    let mut seen = 0;
    for e in fs_err::read_dir(wd.path("r")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "csv") {
            for row in read_csv(&p) {
                for v in row.values() {
                    assert!(
                        !v.starts_with('=')
                            && !v.starts_with('+')
                            && !v.starts_with('@')
                            && !v.starts_with('-'),
                        "{} has {v}",
                        p.display()
                    );
                    if v.contains("HYPERLINK") {
                        seen += 1;
                    }
                }
            }
        }
    }
    assert!(
        seen >= 1,
        "the tenant's name should be in affected_tenants.csv, neutralised"
    );
}

#[test]
fn bad_org_and_policy_files_name_the_problem() {
    let wd = Workdir::new("report-bad-config");
    wd.ok(&[
        "run",
        "--tenants",
        sample_data().join("tenants.csv").to_str().unwrap(),
        "--dumps",
        sample_data().join("dumps/combo.txt.gz").to_str().unwrap(),
        "--out",
        "r",
    ]);
    wd.write(
        "org.toml",
        breachmatch::report::org::Org::sample_toml().replace("dpo_phone = \"0113 496 0000\"\n", ""),
    );
    let t = sample_data().join("tenants.csv");
    let err = wd.fails(&[
        "report",
        "--results",
        "r",
        "--tenants",
        t.to_str().unwrap(),
        "--org",
        "org.toml",
        "--out",
        "rep",
    ]);
    assert!(err.contains("dpo_phone"), "{err}");
    wd.write(
        "risk.toml",
        "[[rule]]\nlevel = \"high\"\nall = [\"shoe_size\"]\nreason = \"x\"\n",
    );
    let err = wd.fails(&[
        "report",
        "--results",
        "r",
        "--tenants",
        t.to_str().unwrap(),
        "--policy",
        "risk.toml",
        "--out",
        "rep",
    ]);
    assert!(err.contains("shoe_size"), "{err}");
    // The advice is the DPO's to edit: advice.toml in --template replaces it, and a name it
    // does not know is an error naming the file.
    wd.write(
        "tpl/advice.toml",
        "[[advice]]\nheading = \"Call {org}.\"\ntext = \"Our helpline is open 24 hours.\"\n",
    );
    let org = sample_data().join("org.toml");
    wd.ok(&[
        "report",
        "--results",
        "r",
        "--tenants",
        t.to_str().unwrap(),
        "--org",
        org.to_str().unwrap(),
        "--template",
        "tpl",
        "--out",
        "rep",
    ]);
    let letters = fs_err::read_to_string(wd.path("rep/letters.html")).unwrap();
    assert!(letters.contains("Our helpline is open 24 hours."));
    assert!(
        !letters.contains("reportfraud.police.uk"),
        "only the DPO's advice"
    );
    wd.write(
        "tpl/advice.toml",
        "[[advice]]\nwhen = [[\"shoe\"]]\ntext = \"x\"\n",
    );
    let err = wd.fails(&[
        "report",
        "--results",
        "r",
        "--tenants",
        t.to_str().unwrap(),
        "--org",
        org.to_str().unwrap(),
        "--template",
        "tpl",
        "--out",
        "rep",
    ]);
    assert!(
        err.contains("advice.toml") && err.contains("\"shoe\""),
        "{err}"
    );
}

/// `run` checks --org, --policy and --template before it scans: a mistake there fails at once,
/// naming the option and the file, and leaves no results folder that looks finished.
#[test]
fn run_checks_the_report_inputs_before_scanning() {
    let wd = Workdir::new("report-run-checks-first");
    let t = sample_data().join("tenants.csv");
    let d = sample_data().join("dumps");
    for (opt, path, want) in [
        (
            "--org",
            "missing.toml",
            "organisation file (--org) missing.toml: no such file",
        ),
        ("--org", ".", "organisation file (--org) .: is a folder"),
        (
            "--policy",
            "missing.toml",
            "risk policy (--policy) missing.toml: no such file",
        ),
    ] {
        let err = wd.fails(&[
            "run",
            "--tenants",
            t.to_str().unwrap(),
            "--dumps",
            d.to_str().unwrap(),
            "--out",
            "r",
            opt,
            path,
        ]);
        assert!(err.contains(want), "{err}");
        assert!(!err.contains("tenants exposed"), "no scan: {err}");
        assert!(!wd.path("r").exists(), "no results folder");
    }
    // A wrong --dumps path too.
    let err = wd.fails(&[
        "run",
        "--tenants",
        t.to_str().unwrap(),
        "--dumps",
        "no-such-folder",
        "--out",
        "r",
    ]);
    assert!(err.contains("no-such-folder"), "{err}");
    assert!(!wd.path("r").exists(), "no results folder");
}

/// Results written again into the same folder (`run --force`, `report --out` the results
/// folder) replace the earlier report whole: no letter is left to a tenant the new results do
/// not notify.
#[test]
fn a_new_report_leaves_no_letter_from_an_earlier_one() {
    let wd = Workdir::new("report-no-stale-letters");
    run_with_report(&wd);
    let letters = |wd: &Workdir| fs_err::read_dir(wd.path("r/letters")).map_or(0, |d| d.count());
    let notified = |wd: &Workdir| {
        read_csv(&wd.path("r/decisions.csv"))
            .iter()
            .filter(|r| r["notify"] == "yes")
            .count()
    };
    let all = letters(&wd);
    assert!(all > 100, "{all}");
    let t = sample_data().join("tenants.csv");
    let org = sample_data().join("org.toml");
    // The user's own files in the letters folder are theirs, even named like the report's.
    wd.write("r/letters/cover_note.txt", "mine");
    wd.write("r/letters/mine/a.txt", "mine too");
    wd.write("r/letters/rent_increase_2024.html", "mine");
    wd.write("r/mailmerge_christmas.csv", "mine");
    wd.write("r/affected_boiler_survey.csv", "mine");
    let list = fs_err::read_to_string(wd.path("r/report.json")).unwrap();
    assert!(
        list.contains("\"decisions.csv\"") && list.contains("letters/"),
        "{list}"
    );
    // One dump only: fewer tenants to notify.
    wd.ok(&[
        "run",
        "--tenants",
        t.to_str().unwrap(),
        "--dumps",
        sample_data().join("dumps/contacts.tsv").to_str().unwrap(),
        "--org",
        org.to_str().unwrap(),
        "--out",
        "r",
        "--force",
    ]);
    let html = |wd: &Workdir| {
        fs_err::read_dir(wd.path("r/letters")).map_or(0, |d| {
            d.filter(|e| {
                e.as_ref()
                    .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "html"))
            })
            .count()
        })
    };
    let fewer = html(&wd);
    assert!(fewer < all, "{fewer} < {all}");
    assert_eq!(fewer, notified(&wd) + 1, "the user's own letter stays");
    assert_eq!(letters(&wd), fewer + 2, "the user's own two entries stay");
    // The same results without --org: no letters, no mail merge.
    wd.ok(&[
        "report",
        "--results",
        "r",
        "--tenants",
        t.to_str().unwrap(),
        "--out",
        "r",
    ]);
    for gone in ["letters.html", "mailmerge.csv"] {
        assert!(!wd.path("r").join(gone).exists(), "{gone} left behind");
    }
    assert_eq!(html(&wd), 1, "no letter left behind but the user's own");
    for mine in [
        "letters/cover_note.txt",
        "letters/mine/a.txt",
        "letters/rent_increase_2024.html",
        "mailmerge_christmas.csv",
        "affected_boiler_survey.csv",
    ] {
        assert!(wd.path("r").join(mine).exists(), "{mine} was removed");
    }
    assert!(!wd.path("r/.report-in-progress").exists());
    assert!(wd.path("r/decisions.csv").exists());
    assert!(wd.path("r/manifest.json").exists(), "scan results kept");
}

/// A report (or claim check) made with another tenants file than the index was built from is
/// refused: ids shifted by one row would send each letter to the wrong tenant.
/// `--tenants-changed` accepts an updated file whose ids still mean the same people.
#[test]
fn a_different_tenants_file_is_refused_unless_said_changed() {
    let wd = Workdir::new("report-other-tenants");
    run_with_report(&wd);
    let text = fs_err::read_to_string(sample_data().join("tenants.csv")).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    // Shift the ids down one row.
    let ids: Vec<String> = lines[1..]
        .iter()
        .map(|l| l.split(',').next().unwrap().to_string())
        .collect();
    for (i, l) in lines[1..].iter_mut().enumerate() {
        let rest = l.split_once(',').unwrap().1.to_string();
        *l = format!("{},{rest}", ids[(i + 1) % ids.len()]);
    }
    wd.write("shifted.csv", lines.join("\n") + "\n");
    let org = sample_data().join("org.toml");
    let args = [
        "report",
        "--results",
        "r",
        "--tenants",
        "shifted.csv",
        "--org",
        org.to_str().unwrap(),
        "--out",
        "rep",
    ];
    let err = wd.fails(&args);
    assert!(
        err.contains(
            "shifted.csv is not the tenants file the index behind these results was built from"
        ),
        "{err}"
    );
    assert!(!wd.path("rep/letters").exists());
    let claim = sample_data().join("claim.csv");
    let err = wd.fails(&[
        "verify-claim",
        "--claim",
        claim.to_str().unwrap(),
        "--results",
        "r",
        "--tenants",
        "shifted.csv",
        "--out",
        "c",
    ]);
    assert!(err.contains("--tenants-changed"), "{err}");
    let mut changed = args.to_vec();
    changed.push("--tenants-changed");
    let o = wd.run(&changed);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("going on because of --tenants-changed"));
    let m = crate::util::manifest(&wd, "r");
    assert_eq!(m["index"]["tenants_sha256"].as_str().unwrap().len(), 64);
}
