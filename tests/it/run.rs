//! `breachmatch run` on sample_data/ against its ground truth.

use crate::util::{Workdir, all_output_text, read_csv, sample_data};
use std::collections::{BTreeMap, BTreeSet};

type Key = (String, String); // (tenant id, dump file name)

fn file_name(p: &str) -> String {
    std::path::Path::new(p)
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

/// (tenant, dump) -> (fields, best confidence) from hits.parquet, person-level hits only.
fn hits_by_tenant_dump(dir: &std::path::Path) -> BTreeMap<Key, (BTreeSet<String>, String)> {
    let df = breachmatch::results::hits::read_parquet(&dir.join("hits.parquet")).unwrap();
    let col = |n: &str| df.column(n).unwrap().str().unwrap().clone();
    let (tenant, source, fields, conf) = (
        col("tenant_id"),
        col("source"),
        col("fields"),
        col("confidence"),
    );
    let mut best: BTreeMap<Key, String> = BTreeMap::new();
    for i in 0..df.height() {
        let c = conf.get(i).unwrap().to_string();
        if c != "confirmed" && c != "probable" {
            continue;
        }
        let k = (
            tenant.get(i).unwrap().to_string(),
            file_name(source.get(i).unwrap()),
        );
        let e = best.entry(k).or_insert(c.clone());
        if c == "confirmed" {
            *e = c;
        }
    }
    let mut out: BTreeMap<Key, (BTreeSet<String>, String)> = BTreeMap::new();
    for i in 0..df.height() {
        let k = (
            tenant.get(i).unwrap().to_string(),
            file_name(source.get(i).unwrap()),
        );
        let Some(b) = best.get(&k) else { continue };
        if conf.get(i).unwrap() != b {
            continue;
        }
        let e = out.entry(k).or_insert((BTreeSet::new(), b.clone()));
        e.0.extend(
            fields
                .get(i)
                .unwrap()
                .split('|')
                .filter(|s| !s.is_empty())
                .map(str::to_string),
        );
    }
    out
}

fn ground_truth() -> BTreeMap<Key, (BTreeSet<String>, String)> {
    let mut gt: BTreeMap<Key, (BTreeSet<String>, String)> = BTreeMap::new();
    for r in read_csv(&sample_data().join("ground_truth.csv")) {
        let e = gt
            .entry((r["tenant_id"].clone(), r["dump"].clone()))
            .or_insert((BTreeSet::new(), r["confidence"].clone()));
        if r["exposed"] == "yes" {
            e.0.insert(r["field"].clone());
        }
    }
    gt
}

fn run_sample(wd: &Workdir) -> String {
    crate::util::run_sample(wd, &[])
}

#[test]
fn run_finds_exactly_the_ground_truth() {
    let wd = Workdir::new("run-gt");
    let stdout = run_sample(&wd);
    assert!(stdout.contains("tenants exposed"), "{stdout}");
    let got = hits_by_tenant_dump(&wd.path("r"));
    let want = ground_truth();
    assert!(want.len() > 100, "ground truth too small: {}", want.len());
    let mut problems = Vec::new();
    for (k, w) in &want {
        match got.get(k) {
            None => problems.push(format!("missed {k:?}: {w:?}")),
            Some(g) if g != w => problems.push(format!("{k:?}: got {g:?}, want {w:?}")),
            _ => {}
        }
    }
    for k in got.keys().filter(|k| !want.contains_key(*k)) {
        problems.push(format!("false exposure {k:?}: {:?}", got[k]));
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );

    // exposures.csv: one row per exposed tenant, the same tenants as the ground truth.
    let exps = read_csv(&wd.path("r/exposures.csv"));
    let want_tenants: BTreeSet<&String> = want.keys().map(|k| &k.0).collect();
    let got_tenants: BTreeSet<&String> = exps.iter().map(|r| &r["tenant_id"]).collect();
    assert_eq!(got_tenants, want_tenants);
    for r in &exps {
        let id = &r["tenant_id"];
        let conf = if want.iter().any(|(k, v)| &k.0 == id && v.1 == "confirmed") {
            "confirmed"
        } else {
            "probable"
        };
        assert_eq!(r["confidence"], conf, "{id}");
        let fields: BTreeSet<String> = want
            .iter()
            .filter(|(k, v)| &k.0 == id && v.1 == conf)
            .flat_map(|(_, v)| v.0.iter().cloned())
            .collect();
        let got: BTreeSet<String> = r["fields_exposed"].split('|').map(str::to_string).collect();
        assert_eq!(got, fields, "{id}");
        for f in [
            "name",
            "dob",
            "address",
            "postcode",
            "email",
            "phone",
            "nino",
            "bank",
            "tenancy_ref",
        ] {
            let yes = if fields.contains(f) { "yes" } else { "no" };
            assert_eq!(r[&format!("exposed_{f}")], yes, "{id} {f}");
        }
    }
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs_err::read(wd.path("r/manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["complete"], true);
    assert!(manifest["files"].as_array().unwrap().len() >= 6);
    for f in manifest["files"].as_array().unwrap() {
        assert_eq!(f["read"]["sha256"].as_str().unwrap().len(), 64);
    }
    crate::util::assert_counts_add_up(&manifest);
}

#[test]
fn near_misses_do_not_match() {
    let wd = Workdir::new("run-nearmiss");
    run_sample(&wd);
    let df = breachmatch::results::hits::read_parquet(&wd.path("r/hits.parquet")).unwrap();
    let col = |n: &str| df.column(n).unwrap().clone();
    let source = col("source");
    let source = source.str().unwrap();
    let line = col("line");
    let line = line.u64().unwrap();
    let conf = col("confidence");
    let conf = conf.str().unwrap();
    let fields = col("fields");
    let fields = fields.str().unwrap();
    let near = read_csv(&sample_data().join("near_misses.csv"));
    assert!(near.len() >= 20, "{}", near.len());
    for nm in &near {
        for i in 0..df.height() {
            if file_name(source.get(i).unwrap()) != nm["dump"]
                || line.get(i).unwrap().to_string() != nm["line"]
            {
                continue;
            }
            let c = conf.get(i).unwrap();
            match nm["kind"].as_str() {
                "tenant_email_stranger_name" => {
                    assert_eq!(fields.get(i).unwrap(), "email", "{nm:?}");
                }
                _ => assert!(c != "confirmed" && c != "probable", "{nm:?} matched as {c}"),
            }
        }
    }
}

/// Whether `v` stands in `text` as a whole value: not inside a longer run of letters and digits.
/// (A 6-digit sort code can be found by chance inside a timestamp's nanoseconds, a SHA-256 or
/// a key fingerprint, which hold no dump value.)
fn contains_token(text: &str, v: &str) -> bool {
    text.contains(v)
        && text.match_indices(v).any(|(i, _)| {
            let before = text[..i].chars().next_back();
            let after = text[i + v.len()..].chars().next();
            !before.is_some_and(|c| c.is_ascii_alphanumeric())
                && !after.is_some_and(|c| c.is_ascii_alphanumeric())
        })
}

#[test]
fn contains_token_needs_whole_values() {
    assert!(contains_token("a,909343,b", "909343"));
    assert!(contains_token("909343", "909343"));
    assert!(!contains_token("10:02:43.737909343593Z", "909343"));
    assert!(!contains_token("\"sha256\": \"ab909343cd\"", "909343"));
}

#[test]
fn outputs_hold_no_non_tenant_value() {
    use breachmatch::dump::{
        decode::{Cells, Decoder},
        reader::read_file,
        sniff_file,
    };
    let wd = Workdir::new("run-privacy");
    run_sample(&wd);
    use crate::util::{SCAN_OUTPUTS, output_text};
    let scan_text = output_text(&wd.path("r"), |n| SCAN_OUTPUTS.contains(&n));
    let report_text = all_output_text(&wd.path("r"));
    let tenants_lower = fs_err::read_to_string(sample_data().join("tenants.csv"))
        .unwrap()
        .to_lowercase();
    let tenant_rows: BTreeSet<(String, u64)> = read_csv(&sample_data().join("tenant_rows.csv"))
        .into_iter()
        .map(|r| (r["dump"].clone(), r["line"].parse().unwrap()))
        .collect();
    let mut checked = 0;
    let dumps = breachmatch::dump::expand_inputs(&[sample_data().join("dumps")]).unwrap();
    for path in dumps {
        let layout = sniff_file(&path).unwrap();
        let decoder = Decoder::new(&layout);
        let name = file_name(path.to_str().unwrap());
        let mut cells = Cells::default();
        read_file(
            &path,
            0,
            &layout,
            || None,
            |batch| {
                for (rec, pos) in batch.recs[..batch.len].iter().zip(&batch.pos) {
                    if tenant_rows.contains(&(name.clone(), pos.line))
                        || decoder.decode(rec, &mut cells).is_err()
                    {
                        continue;
                    }
                    for (_, v) in cells.iter() {
                        let v = v.trim();
                        if v.len() >= 6 {
                            assert!(
                                !contains_token(&scan_text, v),
                                "non-tenant value from {name} line {} in scan outputs",
                                pos.line
                            );
                            // The report holds tenant plaintext: a stranger's value may appear there
                            // only where a tenant has the very same value (a common street name).
                            // (The report composes names and addresses, so each word is looked up.)
                            let tenant_words = v
                                .split(|c: char| c.is_whitespace() || c == ',')
                                .filter(|w| !w.is_empty())
                                .all(|w| tenants_lower.contains(&w.to_lowercase()));
                            assert!(
                                !contains_token(&report_text, v) || tenant_words,
                                "non-tenant value from {name} line {} in the report",
                                pos.line
                            );
                            checked += 1;
                        }
                    }
                }
                true
            },
            |_| {},
        );
    }
    assert!(checked > 10_000, "only {checked} values checked");
}

#[test]
fn co_exposed_categories_follow_ground_truth_and_never_leak_values() {
    let wd = Workdir::new("run-co");
    crate::util::run_sample(
        &wd,
        &["--org", sample_data().join("org.toml").to_str().unwrap()],
    );
    // Per (tenant, dump): categories of the rows at the best confidence.
    let df = breachmatch::results::hits::read_parquet(&wd.path("r/hits.parquet")).unwrap();
    let col = |n: &str| df.column(n).unwrap().str().unwrap().clone();
    let (tenant, source, conf, co) = (
        col("tenant_id"),
        col("source"),
        col("confidence"),
        col("co_exposed"),
    );
    let best = hits_by_tenant_dump(&wd.path("r"));
    let mut got: BTreeMap<Key, BTreeSet<String>> = BTreeMap::new();
    for i in 0..df.height() {
        let k = (
            tenant.get(i).unwrap().to_string(),
            file_name(source.get(i).unwrap()),
        );
        if best.get(&k).is_some_and(|b| b.1 == conf.get(i).unwrap()) {
            got.entry(k).or_default().extend(
                co.get(i)
                    .unwrap()
                    .split('|')
                    .filter(|s| !s.is_empty())
                    .map(str::to_string),
            );
        }
    }
    let mut n_cards = 0;
    for r in read_csv(&sample_data().join("ground_truth_co.csv")) {
        let k = (r["tenant_id"].clone(), r["dump"].clone());
        let want: BTreeSet<String> = r["co_exposed"]
            .split('|')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        n_cards += usize::from(want.contains("payment_card"));
        assert_eq!(got.get(&k).cloned().unwrap_or_default(), want, "{k:?}");
    }
    assert!(n_cards > 0, "the sample has cards");
    // No password, hash, card number, IP or note from any dump appears in any output.
    let text = crate::util::all_output_text(&wd.path("r"));
    let crm = fs_err::read_to_string(sample_data().join("dumps/crm_export.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(crm.as_bytes());
    let mut checked = 0;
    for rec in rdr.records() {
        let rec = rec.unwrap();
        let pw = rec.get(6).unwrap();
        if !pw.is_empty() {
            assert!(
                !text.contains(pw),
                "a password or hash from crm_export.csv is in the outputs"
            );
            checked += 1;
        }
    }
    let excel = fs_err::read_to_string(sample_data().join("dumps/excel_export.csv")).unwrap();
    for line in excel.lines().skip(1) {
        let card = line.split(';').nth(10).unwrap_or("");
        if !card.is_empty() {
            assert!(
                !text.contains(card) && !text.contains(&card.replace(' ', "")),
                "a card number is in the outputs"
            );
            // Luhn-invalid digit runs are never called cards.
            let is_card = breachmatch::dump::sensitive::is_card(card);
            checked += usize::from(!is_card);
        }
    }
    assert!(checked > 100, "{checked}");
    // Risk and letters follow: a password beside the tenant's e-mail makes the risk high.
    let decisions = read_csv(&wd.path("r/decisions.csv"));
    let pw = decisions
        .iter()
        .find(|d| {
            d["confidence"] == "confirmed"
                && d["co_exposed"].split('|').any(|c| c == "password")
                && d["fields_exposed"].contains("email")
        })
        .expect("a tenant with a plaintext password beside their e-mail");
    assert_eq!(
        (pw["risk"].as_str(), pw["notify"].as_str()),
        ("high", "yes"),
        "{pw:?}"
    );
    assert!(pw["reason"].contains("plain text"), "{pw:?}");
    let letter =
        fs_err::read_to_string(wd.path(&format!("r/letters/{}.html", pw["tenant_id"]))).unwrap();
    assert!(
        letter.contains("A password linked to your email address")
            && letter.contains("Change this password now")
    );
    if let Some(card) = decisions
        .iter()
        .find(|d| d["co_exposed"].contains("payment_card") && d["notify"] == "yes")
    {
        let letter =
            fs_err::read_to_string(wd.path(&format!("r/letters/{}.html", card["tenant_id"])))
                .unwrap();
        assert!(
            letter.contains("A payment card number") && letter.contains("Call your card provider")
        );
    }
}

/// The tenants file and the results folder inside the dumps folder are not scanned (the
/// tenants would all look exposed, earlier results would be found again), with a warning.
#[test]
fn the_tools_own_files_in_the_dumps_folder_are_not_scanned() {
    let wd = Workdir::new("run-own-files");
    wd.write(
        "leak/tenants.csv",
        fs_err::read(sample_data().join("tenants.csv")).unwrap(),
    );
    wd.write(
        "leak/contacts.tsv",
        fs_err::read(sample_data().join("dumps/contacts.tsv")).unwrap(),
    );
    let org = sample_data().join("org.toml");
    let args = [
        "run",
        "--tenants",
        "leak/tenants.csv",
        "--dumps",
        "leak",
        "--out",
        "leak/results",
        "--org",
        org.to_str().unwrap(),
    ];
    let first = wd.run(&args);
    assert!(first.status.success());
    let err = String::from_utf8_lossy(&first.stderr);
    assert!(err.contains("leak/tenants.csv: not scanned"), "{err}");
    let exposed = read_csv(&wd.path("leak/results/exposures.csv"));
    // Twice, into the same folder: its own results are not scanned either.
    let mut again = args.to_vec();
    again.push("--force");
    let second = wd.run(&again);
    let err = String::from_utf8_lossy(&second.stderr);
    assert!(err.contains("not scanned"), "{err}");
    assert_eq!(read_csv(&wd.path("leak/results/exposures.csv")), exposed);
    let m = crate::util::manifest(&wd, "leak/results");
    let files: Vec<_> = m["files"].as_array().unwrap().iter().collect();
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(exposed.len() < 100, "{}", exposed.len());
}

/// Makes a key and runs the main job on `tenants.csv` and `dumps/` into `r`.
fn keygen_and_run(wd: &Workdir) -> std::process::Output {
    wd.ok(&["keygen", "--out", "k.key"]);
    wd.run(&[
        "run",
        "--tenants",
        "tenants.csv",
        "--key-file",
        "k.key",
        "--dumps",
        "dumps",
        "--out",
        "r",
    ])
}

/// Rows from a review with real-world data: a son with his father's name at the same address,
/// placeholder e-mails and phones shared by tenants, a reference pandas wrote as a float, an
/// IBAN, and headers with notes in them. Each is decided as a DPO would want.
#[test]
fn real_world_rows_are_decided_as_a_dpo_would() {
    let wd = Workdir::new("run-real-world");
    wd.write(
        "tenants.csv",
        "Tenant ID,Forename,Surname,Date of Birth,Address Line 1,Postcode,Email,Phone,Tenancy Ref,Sort Code,Account Number\n\
         T1,Robert,Johnson,03/08/1981,51 Lark Street,SE1 5SD,rob.johnson@example.com,07700 900555,,,\n\
         T2,Amy,Clarke,01/02/1990,1 Oak Road,LS1 4AB,noemail@noemail.com,01234 567890,,,\n\
         T3,Ben,Hart,05/06/1975,2 Elm Road,LS2 7AA,noemail@noemail.com,01234 567890,,,\n\
         T4,Peter,Wright,07/07/1960,3 Ash Road,M1 1AE,,,123456,,\n\
         T5,Paula,Stone,08/08/1961,4 Ash Road,M1 1AE,,,1234560,,\n\
         T6,Alan,Evans,09/09/1972,5 Birch Road,B1 1AA,,,,60-16-13,31926819\n",
    );
    wd.write(
        "dumps/leak.csv",
        "Full Name,DOB (dd/mm/yyyy),House No & Street,Post code,E-mail,Mobile,Rent Ref,Customer IBAN\n\
         Robert Johnson,03/08/2001,51 Lark Street,SE1 5SD,rob.johnson.jr@gmail.com,,,\n\
         Fiona Clarke,,,,noemail@noemail.com,01234 567890,,\n\
         Peter Wright,,,,,,123456.0,\n\
         Alan Evans,,,,,,,GB29 NWBK 6016 1331 9268 19\n",
    );
    let out = keygen_and_run(&wd);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let exposed: BTreeMap<String, String> = read_csv(&wd.path("r/exposures.csv"))
        .into_iter()
        .map(|r| (r["tenant_id"].clone(), r["fields_exposed"].clone()))
        .collect();
    // The placeholders confirm nobody; the float is 123456, not 1234560; the IBAN is bank
    // details; the son is not his father.
    assert_eq!(
        exposed.keys().map(String::as_str).collect::<Vec<_>>(),
        ["T4", "T6"],
        "{exposed:?}\n{err}"
    );
    assert!(exposed["T4"].contains("tenancy_ref"), "{exposed:?}");
    assert!(exposed["T6"].contains("bank"), "{exposed:?}");
    let review = read_csv(&wd.path("r/review.csv"));
    assert!(
        review
            .iter()
            .any(|r| r["tenant_id"] == "T1" && r["confidence"] == "namesake" && r["line"] == "2"),
        "{review:?}"
    );
    // Headers with notes were read, and the columns left unused are named.
    assert!(err.contains("DOB (dd/mm/yyyy)=dob"), "{err}");
    assert!(err.contains("House No & Street=address_line1"), "{err}");
    assert!(err.contains("Customer IBAN=iban"), "{err}");
    // The ICO figure leaves the son's row out.
    let m = crate::util::manifest(&wd, "r");
    assert_eq!(m["totals"]["rows_exposing"], 2, "{m}");
    // The placeholders in the tenants file are listed, so the DPO knows those tenants have no
    // e-mail or phone to match.
    let rejects = read_csv(&wd.path("r/tenant_rejects.csv"));
    for id in ["T2", "T3"] {
        for col in ["Email", "Phone"] {
            assert!(
                rejects.iter().any(|r| r["tenant_id"] == id
                    && r["column"] == col
                    && r["reason"].contains("placeholder")),
                "{id} {col}: {rejects:?}"
            );
        }
    }
}

/// Names and dates of birth as other systems write them: two forenames without the hyphen,
/// an initial, a councillor's title, a note in brackets, joint names, surname first in
/// capitals, an Excel serial date and a UTC midnight. Each tenant is found with the fields a
/// DPO would expect.
#[test]
fn names_and_dates_written_by_other_systems_are_found() {
    let wd = Workdir::new("run-names-dates");
    wd.write(
        "tenants.csv",
        "Tenant ID,Forename,Surname,Date of Birth,Postcode\n\
         T1,Mary-Jane,Okafor,02/04/1999,DN4 5TW\n\
         T2,Olu,Adeyemi,06/03/1935,S27 4XF\n\
         T3,Alan,Evans,11/11/1961,CF10 1AA\n\
         T4,Joan,Kelly,20/11/1958,L4 0TH\n\
         T5,Jane,Smith,15/08/1985,M1 1AE\n\
         T6,Dafydd,Evans,26/02/1975,SA1 1AA\n",
    );
    wd.write(
        "dumps/people.csv",
        "Name,Born,Postcode\n\
         Mary Jane Okafor,02/04/1999,DN4 5TW\n\
         MR O ADEYEMI,06/03/1935,S27 4XF\n\
         Cllr Alan Evans,11/11/1961,CF10 1AA\n\
         Mrs Joan Kelly (deceased),21509,L4 0TH\n\
         John & Jane Smith,1985-08-14T23:00:00.000Z,M1 1AE\n\
         EVANS Dafydd,26/02/1975,SA1 1AA\n",
    );
    let out = keygen_and_run(&wd);
    assert!(out.status.success(), "{out:?}");
    let exposed: BTreeMap<String, (String, String)> = read_csv(&wd.path("r/exposures.csv"))
        .into_iter()
        .map(|r| {
            (
                r["tenant_id"].clone(),
                (r["confidence"].clone(), r["fields_exposed"].clone()),
            )
        })
        .collect();
    let want = |id: &str, fields: &str| {
        assert_eq!(
            exposed.get(id),
            Some(&("confirmed".to_string(), fields.to_string())),
            "{id}: {exposed:?}"
        );
    };
    want("T1", "name|dob|postcode");
    // An initial: surname, date of birth and postcode match, but an initial cannot tell him
    // from a relative, so it is for review; the name is not reported as his.
    assert_eq!(
        exposed.get("T2"),
        Some(&("probable".to_string(), "dob|postcode".to_string())),
        "{exposed:?}"
    );
    want("T3", "name|dob|postcode");
    want("T4", "name|dob|postcode");
    want("T5", "name|dob|postcode");
    want("T6", "name|dob|postcode");
}
