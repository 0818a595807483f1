//! `breachmatch verify-claim`, and the whole partner workflow without plaintext.

use crate::util::{SCAN_OUTPUTS, Workdir, output_text, read_csv, sample_data};

#[test]
fn partner_workflow_then_claim_check_matches_expected_verdicts() {
    let wd = Workdir::new("claim-partner");
    let s = |p: &str| sample_data().join(p).to_str().unwrap().to_string();
    // Landlord: key and index.
    crate::util::keygen_and_index(&wd, &s("tenants.csv"), "tenants.bmx");
    // Partner: only the index, the key and the dumps.
    let partner = wd.path("partner");
    fs_err::create_dir_all(&partner).unwrap();
    fs_err::copy(wd.path("tenants.bmx"), partner.join("tenants.bmx")).unwrap();
    fs_err::copy(wd.path("k.key"), partner.join("k.key")).unwrap();
    let o = assert_cmd::Command::cargo_bin("breachmatch")
        .unwrap()
        .current_dir(&partner)
        .args([
            "scan",
            "--index",
            "tenants.bmx",
            "--key-file",
            "k.key",
            "--dumps",
            &s("dumps"),
            "--out",
            "results",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // What the partner holds has no plaintext of anyone.
    let text = output_text(&partner.join("results"), |n| SCAN_OUTPUTS.contains(&n));
    let mut checked = 0;
    for row in read_csv(&sample_data().join("tenants.csv")) {
        for (col, v) in &row {
            if col != "Tenant ID" && col != "Title" && col != "Town" && v.len() >= 6 {
                assert!(
                    !text.contains(v.as_str()),
                    "tenant {col} in partner results"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 5000);
    // The key is in no output of either side and in no message, in any encoding.
    let key = fs_err::read(wd.path("k.key")).unwrap();
    crate::util::assert_no_key(&key, &o.stderr, "the partner's stderr");
    crate::util::assert_no_key(&key, &o.stdout, "the partner's stdout");
    for e in fs_err::read_dir(partner.join("results")).unwrap() {
        let p = e.unwrap().path();
        crate::util::assert_no_key(&key, &fs_err::read(&p).unwrap(), &p.display().to_string());
    }
    crate::util::assert_no_key(
        &key,
        &fs_err::read(wd.path("tenants.bmx")).unwrap(),
        "the index",
    );
    // Back at the landlord: report and claim check.
    let results = partner.join("results");
    let r = results.to_str().unwrap();
    wd.ok(&[
        "report",
        "--results",
        r,
        "--tenants",
        &s("tenants.csv"),
        "--org",
        &s("org.toml"),
        "--out",
        "report",
    ]);
    assert!(wd.path("report/letters.html").exists());
    wd.ok(&[
        "verify-claim",
        "--claim",
        &s("claim.csv"),
        "--results",
        r,
        "--tenants",
        &s("tenants.csv"),
        "--out",
        "claim",
    ]);
    let got = read_csv(&wd.path("claim/claim_report.csv"));
    let want = read_csv(&sample_data().join("claim_expected.csv"));
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(g["claim_line"], w["line"]);
        assert_eq!(g["tenant_id"], w["tenant_id"], "line {}", w["line"]);
        assert_eq!(g["verdict"], w["verdict"], "line {}", w["line"]);
        assert_eq!(g["confirmed"], w["confirmed_fields"], "line {}", w["line"]);
        assert_eq!(g["not_found"], w["not_found_fields"], "line {}", w["line"]);
        if !g["confirmed"].is_empty() {
            assert!(
                g["evidence"].contains(".") && g["evidence"].contains(':'),
                "pointers: {}",
                g["evidence"]
            );
        }
    }
    // Non-tenants are reported by line only.
    let report = fs_err::read_to_string(wd.path("claim/claim_report.csv")).unwrap()
        + &fs_err::read_to_string(wd.path("claim/claim_report.html")).unwrap();
    for stranger in ["Quimby", "Fairweather", "Ellingsen", "Nowhere Lane"] {
        assert!(
            !report.contains(stranger),
            "{stranger} copied into the claim report"
        );
    }
    let md = fs_err::read_to_string(wd.path("claim/claim_report.md")).unwrap();
    assert!(md.contains("are not our tenants"), "{md}");
}

#[test]
fn fields_no_file_holds_cannot_be_in_the_data() {
    let wd = Workdir::new("claim-scope");
    let s = |p: &str| sample_data().join(p).to_str().unwrap().to_string();
    // Only the combolist is scanned: it holds e-mails, never dates of birth or addresses.
    wd.ok(&[
        "run",
        "--tenants",
        &s("tenants.csv"),
        "--dumps",
        &s("dumps/combo.txt.gz"),
        "--out",
        "r",
    ]);
    wd.ok(&[
        "verify-claim",
        "--claim",
        &s("claim.csv"),
        "--results",
        "r",
        "--tenants",
        &s("tenants.csv"),
        "--out",
        "c",
    ]);
    let got = read_csv(&wd.path("c/claim_report.csv"));
    let tenant_rows: Vec<_> = got.iter().filter(|r| r["match"] == "tenant").collect();
    assert!(!tenant_rows.is_empty());
    for r in tenant_rows {
        assert_eq!(r["cannot_be_in_scanned_data"], "name|dob|address", "{r:?}");
        assert_eq!(r["verdict"], "not_supported");
    }
    let md = fs_err::read_to_string(wd.path("c/claim_report.md")).unwrap();
    assert!(
        md.contains("no scanned file contains any date of birth"),
        "{md}"
    );
    // A word that is no tenant field does not stop the check: it is reported as not checked.
    wd.write(
        "claim2.csv",
        "Forename,Surname,Postcode,Data exposed\n\
         Mohammed,Jackson,,name\n\
         Mohammed,Jackson,PE3 0PU,\"name, postcode, passwords\"\n\
         Oscar,Wright,L18 9FD,\n",
    );
    let o = wd.run(&[
        "verify-claim",
        "--claim",
        "claim2.csv",
        "--fields",
        "name, shoe size",
        "--results",
        "r",
        "--tenants",
        &s("tenants.csv"),
        "--out",
        "c2",
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("\"shoe size\" is not a field this check can test"),
        "{err}"
    );
    let got = read_csv(&wd.path("c2/claim_report.csv"));
    // A name alone identifies nobody: never "not one of our tenants".
    assert_eq!(got[0]["verdict"], "cannot_identify", "{got:?}");
    assert!(got[0]["match"].starts_with("cannot identify"), "{got:?}");
    assert_eq!(got[1]["tenant_id"], "T000075", "{got:?}");
    assert_eq!(got[1]["claimed_fields"], "name|postcode");
    assert_eq!(got[1]["claimed_not_checked"], "passwords");
    assert_eq!(
        got[2]["claimed_not_checked"], "shoe size",
        "--fields for rows without a list"
    );
    let md = fs_err::read_to_string(wd.path("c2/claim_report.md")).unwrap();
    assert!(md.contains("could not be identified"), "{md}");
    assert!(
        md.contains("also names passwords, shoe size exposed"),
        "{md}"
    );
}

/// A claimed field found only in a probable match (awaiting review) is neither supported nor
/// refuted; a claim naming nothing this check can test says so.
#[test]
fn matches_awaiting_review_and_claims_with_nothing_to_check() {
    let wd = Workdir::new("claim-review");
    crate::util::run_sample(&wd, &[]);
    wd.write(
        "claim.csv",
        "Forename,Surname,Postcode,Data exposed\n\
         Morag,Begum,B28 8RQ,\"name, date of birth\"\n\
         Morag,Begum,B28 8RQ,shoe size\n",
    );
    wd.ok(&[
        "verify-claim",
        "--claim",
        "claim.csv",
        "--results",
        "r",
        "--tenants",
        sample_data().join("tenants.csv").to_str().unwrap(),
        "--out",
        "c",
    ]);
    let got = read_csv(&wd.path("c/claim_report.csv"));
    // T001269's name and date of birth are in contacts.tsv line 108, a probable match.
    assert_eq!(got[0]["tenant_id"], "T001269", "{got:?}");
    assert_eq!(got[0]["verdict"], "for_review", "{got:?}");
    assert_eq!(got[0]["for_review"], "name|dob");
    assert!(got[0]["evidence"].contains("contacts.tsv:108"), "{got:?}");
    assert_eq!(got[1]["verdict"], "nothing_to_check", "{got:?}");
    assert_eq!(got[1]["claimed_not_checked"], "shoe size");
    let md = fs_err::read_to_string(wd.path("c/claim_report.md")).unwrap();
    assert!(md.contains("found only in matches awaiting review"), "{md}");
}

/// A claim must be about the tenant, not merely near them: another first name or date of
/// birth beside the tenant's surname and address is a relative or a namesake
/// (`identity_differs`), a misspelt surname at the tenant's address is a `possible_tenant`
/// (never "not one of our tenants"), and the tenant's address under a stranger's name in the
/// dump (a household match) is for review, with its pointer.
#[test]
fn claims_about_someone_else_or_misspelt_are_not_answered_as_the_tenant() {
    let wd = Workdir::new("claim-identity");
    let s = |p: &str| sample_data().join(p).to_str().unwrap().to_string();
    wd.write(
        "dumps/d.csv",
        "Name,Address,Postcode\nJohn Stranger,60 Beech Gdns,E6 6TN\n",
    );
    wd.ok(&[
        "run",
        "--tenants",
        &s("tenants.csv"),
        "--dumps",
        "dumps/d.csv",
        "--out",
        "r",
    ]);
    wd.write(
        "claim.csv",
        "Forename,Surname,Address,Postcode,Date of birth,Data exposed\n\
         John,Patel,60 Beech Gdns,E6 6TN,03/03/2001,\"name, date of birth, address\"\n\
         Mary-Jane,Patel,60 Beech Gdns,E6 6TN,01/01/1999,\"name, dob\"\n\
         Mary-Jane,Patell,60 Beech Gdns,E6 6TN,,name\n\
         Mary-Jane,Patel,60 Beech Gdns,E6 6TN,,\"address, postcode\"\n",
    );
    wd.ok(&[
        "verify-claim",
        "--claim",
        "claim.csv",
        "--results",
        "r",
        "--tenants",
        &s("tenants.csv"),
        "--out",
        "c",
    ]);
    let got = read_csv(&wd.path("c/claim_report.csv"));
    let v = |i: usize| (got[i]["verdict"].as_str(), got[i]["tenant_id"].as_str());
    assert_eq!(v(0), ("identity_differs", "T000714"), "{got:?}");
    assert_eq!(got[0]["differs_from_tenant"], "name|dob");
    assert_eq!(v(1), ("identity_differs", "T000714"), "{got:?}");
    assert_eq!(got[1]["differs_from_tenant"], "dob");
    assert_eq!(v(2), ("possible_tenant", "T000714"), "{got:?}");
    assert!(got[2]["match"].starts_with("possibly one of our tenants"));
    assert_eq!(got[3]["tenant_id"], "T000714");
    assert!(
        got[3]["for_review"].contains("address") && got[3]["evidence"].contains("d.csv:2"),
        "{got:?}"
    );
    let md = fs_err::read_to_string(wd.path("c/claim_report.md")).unwrap();
    assert!(
        md.contains("a relative or a namesake") && md.contains("misspells"),
        "{md}"
    );
}
