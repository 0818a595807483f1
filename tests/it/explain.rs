//! `breachmatch explain`.

use crate::util::{Workdir, read_csv, sample_data};

fn explain_line(wd: &Workdir, tenant: &str, dump: &str, line: &str) -> String {
    wd.ok(&[
        "explain",
        "--tenants",
        sample_data().join("tenants.csv").to_str().unwrap(),
        "--tenant-id",
        tenant,
        "--dump",
        sample_data().join("dumps").join(dump).to_str().unwrap(),
        "--line",
        line,
    ])
}

#[test]
fn explain_exposed_tenant_near_miss_and_stranger() {
    let wd = Workdir::new("explain");
    let rows = read_csv(&sample_data().join("tenant_rows.csv"));
    let gt = read_csv(&sample_data().join("ground_truth.csv"));
    // An exposed, confirmed tenant row in the CRM export.
    let r = rows
        .iter()
        .find(|r| {
            r["dump"] == "crm_export.csv"
                && gt.iter().any(|g| {
                    g["tenant_id"] == r["tenant_id"]
                        && g["dump"] == "crm_export.csv"
                        && g["confidence"] == "confirmed"
                })
        })
        .unwrap();
    let out = explain_line(&wd, &r["tenant_id"], "crm_export.csv", &r["line"]);
    assert!(out.contains("Decision: Confirmed"), "{out}");
    assert!(out.contains("exposed"), "{out}");

    // A near miss: same name, other date of birth.
    let near = read_csv(&sample_data().join("near_misses.csv"));
    let n = near
        .iter()
        .find(|n| n["kind"] == "same_name_other_dob")
        .unwrap();
    let out = explain_line(&wd, &n["tenant_id"], &n["dump"], &n["line"]);
    assert!(
        out.contains("Decision: No match") || out.contains("Decision: Namesake"),
        "{out}"
    );
    assert!(out.contains("differs"), "{out}");

    // A row of a stranger against the same tenant: no match, and redaction masks values.
    let stranger_line = (2..50u64)
        .find(|l| {
            !rows
                .iter()
                .any(|r| r["dump"] == "crm_export.csv" && r["line"] == l.to_string())
                && !near
                    .iter()
                    .any(|n| n["dump"] == "crm_export.csv" && n["line"] == l.to_string())
        })
        .unwrap();
    let out = wd.ok(&[
        "explain",
        "--tenants",
        sample_data().join("tenants.csv").to_str().unwrap(),
        "--tenant-id",
        &r["tenant_id"],
        "--dump",
        sample_data().join("dumps/crm_export.csv").to_str().unwrap(),
        "--line",
        &stranger_line.to_string(),
        "--redact",
    ]);
    assert!(out.contains("Decision: No match"), "{out}");
    assert!(out.contains("*"), "{out}");

    let err = wd.fails(&[
        "explain",
        "--tenants",
        sample_data().join("tenants.csv").to_str().unwrap(),
        "--tenant-id",
        "NOPE",
        "--dump",
        sample_data().join("dumps/crm_export.csv").to_str().unwrap(),
        "--line",
        "2",
    ]);
    assert!(err.contains("no tenant \"NOPE\""), "{err}");
}

#[test]
fn explain_lists_hits_from_results() {
    let wd = Workdir::new("explain-results");
    crate::util::run_sample(&wd, &[]);
    let exps = read_csv(&wd.path("r/exposures.csv"));
    let id = &exps[0]["tenant_id"];
    let out = wd.ok(&["explain", "--results", "r", "--tenant-id", id]);
    assert!(out.contains(&format!("hits for tenant {id}")), "{out}");
    assert!(out.contains(" line "), "{out}");
    let out = wd.ok(&["explain", "--results", "r", "--tenant-id", "T999999"]);
    assert!(out.contains("No hits"), "{out}");
}
