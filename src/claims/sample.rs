//! A sample claim for `sample_data/`, modelled on the police letter in the Clarion case
//! ("your name, address and date of birth were in this data"): true, partly true and false
//! claims, residents who are not tenants, and one that fits two joint tenants, with the
//! verdicts a correct check gives (`claim_expected.csv`, derived from `ground_truth.csv`).

use crate::keys::Field;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn read(path: &Path) -> std::io::Result<Vec<BTreeMap<String, String>>> {
    let bytes = fs_err::read(path)?;
    let mut rdr = csv::Reader::from_reader(bytes.as_slice());
    let headers = rdr.headers()?.clone();
    let mut out = Vec::new();
    for r in rdr.records() {
        let r = r?;
        out.push(
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect(),
        );
    }
    Ok(out)
}

/// Writes `claim.csv` and `claim_expected.csv` into a sample directory that already holds
/// `tenants.csv` and `ground_truth.csv`.
pub fn write_sample_claim(dir: &Path, seed: u64) -> std::io::Result<()> {
    let tenants = read(&dir.join("tenants.csv"))?;
    let gt = read(&dir.join("ground_truth.csv"))?;
    let mut rng = StdRng::seed_from_u64(seed ^ 0xC1A1);
    // Confirmed exposures per tenant (union over dumps), and tenants with any exposure.
    let mut confirmed: BTreeMap<String, BTreeSet<Field>> = BTreeMap::new();
    let mut exposed: BTreeSet<String> = BTreeSet::new();
    for r in &gt {
        exposed.insert(r["tenant_id"].clone());
        if r["confidence"] == "confirmed"
            && r["exposed"] == "yes"
            && let Some(f) = Field::parse(&r["field"])
        {
            confirmed
                .entry(r["tenant_id"].clone())
                .or_default()
                .insert(f);
        }
    }
    let claim_fields = [Field::Name, Field::Dob, Field::Address];
    let texts = [
        "name, address, date of birth",
        "Name; Address; DOB",
        "name, address and date of birth",
    ];
    let mut rows: Vec<[String; 6]> = Vec::new();
    let mut expected: Vec<[String; 5]> = Vec::new();
    let push = |rows: &mut Vec<[String; 6]>,
                expected: &mut Vec<[String; 5]>,
                row: [String; 6],
                exp: [String; 4]| {
        let line = rows.len() as u64 + 2;
        rows.push(row);
        let [a, b, c, d] = exp;
        expected.push([line.to_string(), a, b, c, d]);
    };
    let claimed_cells = |t: &BTreeMap<String, String>, with_dob: bool, text: &str| -> [String; 6] {
        [
            t["Forename"].clone(),
            t["Surname"].clone(),
            t["Address Line 1"].clone(),
            t["Postcode"].clone(),
            if with_dob {
                t["Date of Birth"].clone()
            } else {
                String::new()
            },
            text.to_string(),
        ]
    };
    let by_id: BTreeMap<&str, &BTreeMap<String, String>> = tenants
        .iter()
        .map(|t| (t["Tenant ID"].as_str(), t))
        .collect();
    // 1. Exposed tenants: true or partly true claims.
    let ids: Vec<&String> = confirmed.keys().collect();
    let mut picked = BTreeSet::new();
    while picked.len() < 14.min(ids.len()) {
        picked.insert(ids[rng.random_range(0..ids.len())].clone());
    }
    for id in &picked {
        let t = by_id[id.as_str()];
        if t["Postcode"].len() < 5 {
            continue; // an invalid postcode in our records: the claim could not be matched by it
        }
        let got = &confirmed[id];
        let yes: Vec<&str> = claim_fields
            .iter()
            .filter(|f| got.contains(f))
            .map(|f| f.as_str())
            .collect();
        let no: Vec<&str> = claim_fields
            .iter()
            .filter(|f| !got.contains(f))
            .map(|f| f.as_str())
            .collect();
        let verdict = if no.is_empty() {
            "supported"
        } else if yes.is_empty() {
            "not_supported"
        } else {
            "partly_supported"
        };
        let text = texts[rng.random_range(0..texts.len())];
        push(
            &mut rows,
            &mut expected,
            claimed_cells(t, rng.random_range(0..2) == 0, text),
            [id.clone(), verdict.into(), yes.join("|"), no.join("|")],
        );
    }
    // 2. Tenants not in the dumps at all: false claims.
    let mut n = 0;
    for t in tenants.iter().skip(rng.random_range(0..50)) {
        let id = &t["Tenant ID"];
        if n == 5 {
            break;
        }
        if exposed.contains(id) || t["Postcode"].len() < 5 || t["Forename"].chars().count() < 2 {
            continue;
        }
        push(
            &mut rows,
            &mut expected,
            claimed_cells(t, true, texts[0]),
            [
                id.clone(),
                "not_supported".into(),
                String::new(),
                "name|dob|address".into(),
            ],
        );
        n += 1;
    }
    // 3. People who are not our tenants.
    for (g, s, a, pc) in [
        ("Harriet", "Quimby", "1 Nowhere Lane", "ZE1 0AA"),
        ("Tobias", "Fairweather", "22 Imaginary Road", "ZE2 9XY"),
        (
            "Ingrid",
            "Ellingsen",
            "Flat 9, 3 Fictional Street",
            "ZE3 4QT",
        ),
        ("Marcus", "Ashdown-Pryce", "47 Elsewhere Avenue", "ZE1 1AB"),
        ("Yusuf", "Karimi", "8 Unknown Close", "ZE2 2BD"),
    ] {
        push(
            &mut rows,
            &mut expected,
            [
                g.into(),
                s.into(),
                a.into(),
                pc.into(),
                String::new(),
                texts[1].into(),
            ],
            [
                String::new(),
                "not_a_tenant".into(),
                String::new(),
                String::new(),
            ],
        );
    }
    // 4. Joint tenants with one surname, named by surname and address only: ambiguous.
    for (i, a) in tenants.iter().enumerate() {
        let Some(b) = tenants.get(i + 1) else { break };
        if a["Tenancy Ref"] == b["Tenancy Ref"]
            && a["Surname"] == b["Surname"]
            && a["Postcode"].len() >= 5
        {
            let ids = format!("{}|{}", a["Tenant ID"], b["Tenant ID"]);
            push(
                &mut rows,
                &mut expected,
                [
                    String::new(),
                    a["Surname"].clone(),
                    a["Address Line 1"].clone(),
                    a["Postcode"].clone(),
                    String::new(),
                    texts[0].into(),
                ],
                [ids, "ambiguous".into(), String::new(), String::new()],
            );
            break;
        }
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "Forename",
        "Surname",
        "Address",
        "Postcode",
        "Date of Birth",
        "Data exposed",
    ])?;
    for r in &rows {
        w.write_record(r)?;
    }
    crate::results::atomic::write_bytes(
        &dir.join("claim.csv"),
        &w.into_inner().map_err(|e| e.into_error())?,
    )?;
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "line",
        "tenant_id",
        "verdict",
        "confirmed_fields",
        "not_found_fields",
    ])?;
    for r in &expected {
        w.write_record(r)?;
    }
    crate::results::atomic::write_bytes(
        &dir.join("claim_expected.csv"),
        &w.into_inner().map_err(|e| e.into_error())?,
    )?;
    Ok(())
}
