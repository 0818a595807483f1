//! Leak trees: `sample --leak-tree`, then `run` over the tree against its ground truth
//! (people, files, fields, locations, files not searched, staff kept apart) and the effect of
//! the free-text window.

use crate::util::{Workdir, read_csv};
use std::collections::{BTreeMap, BTreeSet};

/// `(person, file relative to the tree)` -> fields, from hits.parquet (confirmed and probable).
type Found = BTreeMap<(String, String), BTreeSet<String>>;

struct Hits {
    found: Found,
    /// `(person, file, confidence, line, location)` for every hit.
    rows: Vec<(String, String, String, u64, String)>,
}

fn hits(results: &std::path::Path, tree: &str) -> Hits {
    let df = breachmatch::results::hits::read_parquet(&results.join("hits.parquet")).unwrap();
    let s = |n: &str| df.column(n).unwrap().str().unwrap().clone();
    let (tenant, source, fields, conf, loc) = (
        s("tenant_id"),
        s("source"),
        s("fields"),
        s("confidence"),
        s("location"),
    );
    let line = df.column("line").unwrap().u64().unwrap().clone();
    let mut found = Found::new();
    let mut rows = Vec::new();
    for i in 0..df.height() {
        let src = source.get(i).unwrap();
        let rel = src
            .split_once(tree)
            .map_or(src, |(_, r)| r.trim_start_matches('/'))
            .to_string();
        let id = tenant.get(i).unwrap().to_string();
        let c = conf.get(i).unwrap().to_string();
        rows.push((
            id.clone(),
            rel.clone(),
            c.clone(),
            line.get(i).unwrap(),
            loc.get(i).unwrap().to_string(),
        ));
        if c == "confirmed" || c == "probable" {
            found.entry((id, rel)).or_default().extend(
                fields
                    .get(i)
                    .unwrap()
                    .split('|')
                    .filter(|f| !f.is_empty())
                    .map(str::to_string),
            );
        }
    }
    Hits { found, rows }
}

/// A work directory with `sample --leak-tree` (600 tenants) in `s/`, a key `k.key` and the
/// people indexed into `i.bmx`.
fn indexed_leak_sample(name: &str) -> Workdir {
    let wd = Workdir::new(name);
    wd.ok(&[
        "sample",
        "--out",
        "s",
        "--leak-tree",
        "--tenants",
        "600",
        "--dump-rows",
        "50",
    ]);
    crate::util::keygen_and_index(&wd, "s/leak_tree/people.csv", "i.bmx");
    wd
}

/// `scan` of `dumps` with `i.bmx` and `k.key` into `out`, with more options.
fn scan(wd: &Workdir, dumps: &str, out: &str, more: &[&str]) {
    let mut args = vec![
        "scan",
        "--index",
        "i.bmx",
        "--key-file",
        "k.key",
        "--dumps",
        dumps,
        "--out",
        out,
    ];
    args.extend_from_slice(more);
    wd.ok(&args);
}

fn truth(wd: &Workdir) -> Found {
    let mut t = Found::new();
    for r in read_csv(&wd.path("s/leak_tree/leak_truth.csv")) {
        t.insert(
            (r["person_id"].clone(), r["source"].clone()),
            r["fields"].split('|').map(str::to_string).collect(),
        );
    }
    t
}

#[test]
fn leak_tree_finds_exactly_the_expected_people_fields_and_places() {
    let wd = Workdir::new("leak-tree");
    wd.ok(&["sample", "--out", "s", "--leak-tree"]);
    let out = wd.run(&[
        "run",
        "--tenants",
        "s/leak_tree/people.csv",
        "--dumps",
        "s/leak_tree/tree",
        "--org",
        "s/org.toml",
        "--out",
        "r",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Three files cannot be searched: the run says so and exits "partial" (1).
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("not searched"), "{stderr}");
    // Staff are among the people: the scan's line counts people, the report's each group.
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(" people exposed (") && !stdout.contains("tenants exposed"),
        "{stdout}"
    );
    assert!(stderr.contains("(6 staff, 24 tenants)"), "{stderr}");
    // Three files were not searched: the summary says the search is not complete and the
    // letters do not say that nothing else was found; the ICO items are all there.
    let summary = fs_err::read_to_string(wd.path("r/summary.md")).unwrap();
    for want in [
        "**The search is not complete**: 3 files could not be searched",
        "- Likely consequences, as the letters tell people",
        "- Contact for more information (the DPO, org.toml): Alex Example",
        "- Measures taken or proposed",
        "- Categories of data subjects: staff (6), tenants (24)",
        "letters cannot be posted as they are",
    ] {
        assert!(summary.contains(want), "{want}\n{summary}");
    }
    let html = fs_err::read_to_string(wd.path("r/summary.html")).unwrap();
    assert!(html.contains("<td>Categories of data subjects</td><td>staff (6), tenants (24)</td>"));
    let letters = fs_err::read_to_string(wd.path("r/letters.html")).unwrap();
    assert!(letters.contains("still checking them") && !letters.contains("not found any other"));
    // The staff list has no addresses: each staff letter is flagged.
    let staff: Vec<_> = read_csv(&wd.path("r/decisions.csv"))
        .into_iter()
        .filter(|r| r["group"] == "staff")
        .collect();
    assert!(!staff.is_empty());
    assert!(
        staff
            .iter()
            .all(|r| r["letter_check"] == "no postal address in the tenants file"),
        "{staff:?}"
    );

    let h = hits(&wd.path("r"), "s/leak_tree/tree");
    let expected = truth(&wd);
    let missing: Vec<_> = expected
        .iter()
        .filter(|(k, v)| h.found.get(*k) != Some(v))
        .collect();
    let extra: Vec<_> = h
        .found
        .iter()
        .filter(|(k, _)| !expected.contains_key(*k))
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing or different: {missing:#?}\nfound instead: {:#?}\nunexpected: {extra:#?}",
        missing
            .iter()
            .map(|(k, _)| (k, h.found.get(*k)))
            .collect::<Vec<_>>()
    );

    // Evidence: every hit says where, in the terms of its format.
    for (id, file, _, line, loc) in &h.rows {
        let ok = if file.ends_with(".xlsx") {
            (loc == "sheet 'Arrears'" && *line >= 5)
                || (loc == "sheet 'Contacts'" && *line >= 2)
                || (loc == "sheet 'Staff'" && *line >= 2)
        } else if file.ends_with(".sql") {
            loc.starts_with("table portal_users, row ")
                && loc.ends_with(" of the INSERT")
                && *line == 21
        } else if file.ends_with(".pdf") {
            loc.starts_with("page ") && *line >= 1
        } else if file.ends_with(".docx") {
            loc.starts_with("paragraph ") && *line >= 1
        } else if file.ends_with(".eml") {
            loc == "headers" || loc.starts_with("body line ")
        } else if file.ends_with(".txt") {
            loc == &format!("line {line}")
        } else if file.ends_with(".csv") {
            loc.is_empty() && *line >= 2
        } else {
            false
        };
        assert!(ok, "{id} in {file}: line {line}, location {loc:?}");
    }
    // The bank details of the statement are on page 2; the arrears header is on row 4.
    assert!(
        h.rows
            .iter()
            .any(|r| r.1.ends_with("arrears_2024.xlsx") && r.4 == "sheet 'Arrears'" && r.3 == 5)
    );

    // Files that cannot be searched are listed, with the reason.
    let rows = read_csv(&wd.path("r/not_searched.csv"));
    let listed: BTreeMap<String, String> = rows
        .iter()
        .map(|r| {
            let src = r["source"].clone();
            let rel = src
                .split_once("s/leak_tree/tree/")
                .map_or(src.clone(), |(_, x)| x.to_string());
            (rel, r["reason"].clone())
        })
        .collect();
    // Each says what kind of file it is; an encrypted member, never opened, by its name.
    let kinds: BTreeMap<&str, &str> = rows
        .iter()
        .map(|r| {
            let name = r["source"].rsplit('/').next().unwrap();
            (name, r["kind"].as_str())
        })
        .collect();
    assert_eq!(
        kinds,
        BTreeMap::from([
            ("estate_visit.jpg", "picture"),
            ("payroll.csv", "csv"),
            ("signed_tenancy_agreement.pdf", "pdf"),
        ])
    );
    let want = read_csv(&wd.path("s/leak_tree/leak_not_searched.csv"));
    assert_eq!(listed.len(), want.len(), "{listed:#?}");
    for w in want {
        let why = listed
            .get(&w["source"])
            .unwrap_or_else(|| panic!("{} not listed: {listed:#?}", w["source"]));
        assert!(why.contains(&w["reason_contains"]), "{why}");
    }
    let manifest = fs_err::read_to_string(wd.path("r/manifest.json")).unwrap();
    assert!(manifest.contains("\"not_searched\": \"a scanned-image PDF"));
    assert!(
        manifest.contains("\"header_row\": 4"),
        "the arrears header row"
    );
    let summary = fs_err::read_to_string(wd.path("r/summary.md")).unwrap();
    assert!(summary.contains("## Files not searched"));
    assert!(summary.contains("signed_tenancy_agreement.pdf"));
    // Staff among the affected: the headline counts people, not "tenants".
    assert!(
        summary.contains(" people** appear in the scanned data"),
        "{summary}"
    );

    // Staff are kept apart from tenants: their own list, letters and count.
    let staff: BTreeSet<String> = read_csv(&wd.path("r/affected_staff.csv"))
        .into_iter()
        .map(|r| r["tenant_id"].clone())
        .collect();
    let tenants: BTreeSet<String> = read_csv(&wd.path("r/affected_tenants.csv"))
        .into_iter()
        .map(|r| r["tenant_id"].clone())
        .collect();
    let want_staff: BTreeSet<String> = expected
        .keys()
        .filter(|(id, _)| id.starts_with('S'))
        .map(|(id, _)| id.clone())
        .collect();
    assert_eq!(staff, want_staff);
    assert!(tenants.iter().all(|t| t.starts_with('T')), "{tenants:?}");
    assert!(wd.path("r/letters/staff").is_dir());
    let staff_letter = fs_err::read_to_string(wd.path("r/letters/staff/S0001.html")).unwrap();
    assert!(staff_letter.contains("of our staff"));
    assert!(summary.contains("By group: "), "{summary}");
    assert!(summary.contains("6 staff"), "{summary}");

    // `explain` points into documents in their own terms, and says how to explain them.
    let (id, file, ..) = h
        .rows
        .iter()
        .find(|r| r.1 == "Finance/arrears_2024.xlsx")
        .unwrap()
        .clone();
    let out = wd.ok(&["explain", "--results", "r", "--tenant-id", &id]);
    assert!(out.contains(&format!("{file}, sheet '")), "{out}");
    let err = wd.fails(&[
        "explain",
        "--tenants",
        "s/leak_tree/people.csv",
        "--tenant-id",
        &id,
        "--dump",
        "s/leak_tree/tree/Finance/arrears_2024.xlsx",
        "--line",
        "5",
    ]);
    assert!(
        err.contains("is a spreadsheet") && err.contains("--results"),
        "{err}"
    );
}

#[test]
fn leak_tree_is_byte_identical_for_a_seed() {
    let wd = Workdir::new("leak-tree-repeat");
    wd.ok(&[
        "sample",
        "--out",
        "a",
        "--leak-tree",
        "--tenants",
        "400",
        "--dump-rows",
        "50",
    ]);
    wd.ok(&[
        "sample",
        "--out",
        "b",
        "--leak-tree",
        "--tenants",
        "400",
        "--dump-rows",
        "50",
    ]);
    let files = |d: &str| -> BTreeMap<String, Vec<u8>> {
        let root = wd.path(d).join("leak_tree");
        let mut out = BTreeMap::new();
        let mut stack = vec![root.clone()];
        while let Some(p) = stack.pop() {
            for e in fs_err::read_dir(&p).unwrap() {
                let e = e.unwrap().path();
                if e.is_dir() {
                    stack.push(e);
                } else {
                    out.insert(
                        e.strip_prefix(&root).unwrap().display().to_string(),
                        fs_err::read(&e).unwrap(),
                    );
                }
            }
        }
        out
    };
    let (a, b) = (files("a"), files("b"));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (k, v) in &a {
        assert!(
            &b[k] == v,
            "{k} differs between two runs with the same seed"
        );
    }
    // Written again over it with another seed: exactly the other seed's tree, with no file
    // left from the first (letters named for other tenants).
    let other = ["--leak-tree", "--tenants", "400", "--dump-rows", "50"];
    let seed = ["--seed", "9"];
    wd.ok(&[&["sample", "--out", "a", "--force"][..], &other, &seed].concat());
    wd.ok(&[&["sample", "--out", "c"][..], &other, &seed].concat());
    let (a, c) = (files("a"), files("c"));
    assert_eq!(a.keys().collect::<Vec<_>>(), c.keys().collect::<Vec<_>>());
    assert_ne!(a, b);
}

/// The free-text window: case notes scanned with several windows. Every window finds the five
/// people; a wide one turns one of them into a "namesake" (a relative's date of birth nearby
/// is taken for a conflicting one), a narrow one leaves more of them only "probable".
#[test]
fn text_window_trades_confirmed_matches_against_namesake_errors() {
    let wd = indexed_leak_sample("leak-window");
    let truth: Vec<(String, BTreeSet<String>)> =
        read_csv(&wd.path("s/leak_tree/case_notes_truth.csv"))
            .into_iter()
            .map(|r| {
                (
                    r["person_id"].clone(),
                    r["fields"].split('|').map(str::to_string).collect(),
                )
            })
            .collect();
    let mut table = String::from(
        "window | exact | confirmed | probable | namesake | missed | fields found | fields right\n",
    );
    let mut by_window = BTreeMap::new();
    for w in [3usize, 6, 12, 20, 40] {
        let out = format!("r{w}");
        scan(
            &wd,
            "s/leak_tree/tree/Housing/case_notes.txt",
            &out,
            &["--text-window", &w.to_string()],
        );
        let h = hits(&wd.path(&out), "s/leak_tree/tree");
        let conf: BTreeMap<&str, &str> = h
            .rows
            .iter()
            .map(|r| (r.0.as_str(), r.2.as_str()))
            .collect();
        let (mut exact, mut confirmed, mut probable, mut namesake, mut missed) = (0, 0, 0, 0, 0);
        let (mut found_fields, mut right_fields) = (0, 0);
        for (id, fields) in &truth {
            match conf.get(id.as_str()) {
                Some(&"confirmed") => confirmed += 1,
                Some(&"probable") => probable += 1,
                Some(&"namesake") => namesake += 1,
                _ => missed += 1,
            }
            let got = h
                .found
                .get(&(id.clone(), "Housing/case_notes.txt".to_string()))
                .cloned()
                .unwrap_or_default();
            if &got == fields {
                exact += 1;
            }
            found_fields += got.len();
            right_fields += got.intersection(fields).count();
        }
        // No person outside the truth is ever found.
        assert!(
            h.rows
                .iter()
                .all(|r| truth.iter().any(|(id, _)| *id == r.0)),
            "{:?}",
            h.rows
        );
        table.push_str(&format!(
            "{w} | {exact} | {confirmed} | {probable} | {namesake} | {missed} | {found_fields} | {right_fields}\n"
        ));
        by_window.insert(w, (exact, confirmed, namesake));
    }
    println!("{table}");
    let default = breachmatch::scan::documents::DEFAULT_TEXT_WINDOW;
    let (exact, confirmed, namesake) = by_window[&default];
    assert_eq!((exact, namesake), (truth.len(), 0), "{table}");
    // The default confirms at least as many as any window without namesake errors.
    for (w, (_, c, n)) in &by_window {
        if *n == 0 {
            assert!(confirmed >= *c, "window {w} confirms more: {table}");
        }
    }
    // A wide window makes a namesake error; a narrow one confirms fewer.
    assert!(by_window[&40].2 > 0, "{table}");
    assert!(by_window[&3].1 < confirmed, "{table}");
}

/// One paragraph listing 2,000 people (name, date of birth, postcode), four of them tenants:
/// the four are found, confirmed, with the three fields, and nobody else; a block this long
/// is matched name by name within the window (plus a few far values), not every name with
/// every value.
#[test]
fn a_long_list_in_one_paragraph_finds_exactly_its_tenants() {
    let wd = indexed_leak_sample("leak-long-list");
    let people = read_csv(&wd.path("s/leak_tree/people.csv"));
    let mut names: BTreeMap<(String, String), usize> = BTreeMap::new();
    for p in &people {
        *names
            .entry((p["Forename"].clone(), p["Surname"].clone()))
            .or_default() += 1;
    }
    let chosen: Vec<_> = people
        .iter()
        .filter(|p| {
            p["Group"] == "tenant"
                && names[&(p["Forename"].clone(), p["Surname"].clone())] == 1
                && !p["Date of Birth"].is_empty()
                && !p["Postcode"].is_empty()
        })
        .step_by(37)
        .take(4)
        .collect();
    assert_eq!(chosen.len(), 4);
    let forenames = [
        "Aldous",
        "Brunhilde",
        "Casimir",
        "Delphine",
        "Evander",
        "Fenella",
    ];
    let surnames = [
        "Quillfeather",
        "Ravensworth",
        "Thistlewood",
        "Winterbourne",
        "Yarrowby",
    ];
    let mut entries = Vec::new();
    for i in 0..2000usize {
        if i % 500 == 250 {
            let p = chosen[i / 500];
            let (y, m, d) = (
                &p["Date of Birth"][..4],
                &p["Date of Birth"][5..7],
                &p["Date of Birth"][8..10],
            );
            entries.push(format!(
                "{} {}, born {d}/{m}/{y}, {}",
                p["Forename"], p["Surname"], p["Postcode"]
            ));
        } else {
            entries.push(format!(
                "{} {}, born {:02}/{:02}/{}, LS{} {}AB",
                forenames[i % 6],
                surnames[i / 6 % 5],
                i % 28 + 1,
                i % 12 + 1,
                1940 + i % 60,
                i % 20 + 1,
                i % 9 + 1
            ));
        }
    }
    wd.write(
        "list/register.html",
        format!(
            "<html><body><h1>Register</h1><p>{}</p></body></html>",
            entries.join("; ")
        ),
    );
    scan(&wd, "list", "r", &[]);
    let h = hits(&wd.path("r"), "list");
    let want: BTreeSet<String> = chosen.iter().map(|p| p["Person ID"].clone()).collect();
    let got: BTreeSet<String> = h.rows.iter().map(|r| r.0.clone()).collect();
    assert_eq!(got, want, "exactly the four tenants in the list");
    for r in &h.rows {
        assert_eq!(r.2, "confirmed", "{r:?}");
    }
    for id in &want {
        let fields = &h.found[&(id.clone(), "register.html".to_string())];
        for f in ["name", "dob", "postcode"] {
            assert!(fields.contains(f), "{id}: {fields:?}");
        }
    }
}

/// A date of birth far from every name is about the nearest name: with a tenant's name early in
/// a paragraph and her date of birth later, next to nobody else's name, she is a probable match;
/// when another person's name stands right before that date, the date is theirs and the tenant
/// is not matched on it. Words of an address ("34 School Close") are a street, not a name.
#[test]
fn a_far_date_of_birth_belongs_to_the_nearest_name() {
    let wd = Workdir::new("leak-nearest-name");
    wd.write(
        "people.csv",
        "Person ID,Forename,Surname,Date of Birth,Postcode\n\
         T1,Annabel,Fairweather,1980-02-01,LS1 4AB\n\
         T2,Desmond,Okonkwo,1975-06-30,M1 1AA\n",
    );
    crate::util::keygen_and_index(&wd, "people.csv", "i.bmx");
    let filler = "the tenant asked about the repairs to the kitchen and the boiler again and \
                  we agreed to arrange a visit from the contractor next week";
    wd.write(
        "d/alone.txt",
        format!("Annabel Fairweather called. {filler}. Her date of birth is 01/02/1980.\n"),
    );
    wd.write(
        "d/other.txt",
        format!(
            "Annabel Fairweather called. {filler}. Her neighbour Bartholomew Quince, born \
             01/02/1980, also called.\n"
        ),
    );
    wd.write(
        "d/street.txt",
        format!(
            "Desmond Okonkwo called. {filler}. He lives at 34 School Close since he was \
             born on 30/06/1975.\n"
        ),
    );
    scan(&wd, "d", "r", &[]);
    let h = hits(&wd.path("r"), "d");
    let conf = |id: &str, file: &str| {
        h.rows
            .iter()
            .find(|r| r.0 == id && r.1 == file)
            .map(|r| r.2.clone())
    };
    assert_eq!(
        conf("T1", "alone.txt").as_deref(),
        Some("probable"),
        "{:?}",
        h.rows
    );
    assert_eq!(conf("T1", "other.txt"), None, "{:?}", h.rows);
    assert_eq!(
        conf("T2", "street.txt").as_deref(),
        Some("probable"),
        "{:?}",
        h.rows
    );
}
