//! `breachmatch verify-claim`: is a third party's claim true, per resident and per field?
//!
//! Reads the claim (a CSV of residents with the fields said to be exposed, per row in a column
//! such as "Data exposed", or for all rows with --fields), matches each resident to a tenant,
//! and judges each claimed field against the scan's results: confirmed (with file:line
//! pointers), not found for this person, or cannot be in the scanned data (no scanned file has
//! such a column). Writes claim_report.csv (Excel-safe), claim_report.md and claim_report.html.
//! Residents who are not tenants appear by claim line only, never by name.
//!
//! Examples:
//!   breachmatch verify-claim --claim sample_data/claim.csv --results results \
//!       --tenants sample_data/tenants.csv --out claim-check
//!   breachmatch verify-claim --claim police.csv --fields "name, address, date of birth" \
//!       --results results --tenants tenants.csv --out claim-check

use super::{Exit, ui::Ui};
use anyhow::Context;
use breachmatch::claims::{self, FieldVerdict, Match, Verdict, verdict::Evidence};
use breachmatch::keys::Field;
use breachmatch::report::summary::esc;
use breachmatch::results::{self, csv_safe::write_excel_csv};
use breachmatch::roles::Role;
use breachmatch::tenants::{ColumnMap, read_tenants};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

/// Arguments of `verify-claim`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The claim file (CSV of residents).
    #[arg(long, value_name = "FILE")]
    pub claim: PathBuf,
    /// Fields claimed for every resident without their own list, e.g. "name, address, date of birth".
    #[arg(long)]
    pub fields: Option<String>,
    /// A results folder from `scan` or `run`.
    #[arg(long, value_name = "DIR")]
    pub results: PathBuf,
    /// The tenants file.
    #[arg(long, value_name = "FILE")]
    pub tenants: PathBuf,
    /// Column map for the tenants file.
    #[arg(long, value_name = "FILE")]
    pub map: Option<PathBuf>,
    /// Where to write the claim report.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Accept a tenants file that differs from the one the index was built from (updated
    /// addresses, corrections), as long as every tenant id still means the same person.
    #[arg(long)]
    pub tenants_changed: bool,
}

fn names(fields: &[Field]) -> String {
    fields
        .iter()
        .map(|f| f.as_str())
        .collect::<Vec<_>>()
        .join("|")
}

fn words(f: Field) -> &'static str {
    match f {
        Field::Name => "name",
        Field::Dob => "date of birth",
        Field::Address => "address",
        Field::Postcode => "postcode",
        Field::Email => "e-mail",
        Field::Phone => "phone number",
        Field::Nino => "NI number",
        Field::Bank => "bank details",
        Field::TenancyRef => "tenancy reference",
    }
}

/// "are" for a field named in the plural ("bank details"), else "is".
fn is_are(f: Field) -> &'static str {
    if f == Field::Bank { "are" } else { "is" }
}

/// Runs `verify-claim`.
pub fn run(args: Args, ui: &Ui) -> anyhow::Result<Exit> {
    let all = args.fields.as_deref().map(claims::parse_fields);
    if let Some(l) = &all
        && !l.unchecked.is_empty()
    {
        ui.warn(&format!(
            "--fields: {} not a field this check can test (fields are name, date of birth, address, postcode, e-mail, phone, NI number, bank details, tenancy reference); reported as not checked",
            l.unchecked
                .iter()
                .map(|u| format!("{u:?}"))
                .collect::<Vec<_>>()
                .join(", ")
                + if l.unchecked.len() == 1 { " is" } else { " are" }
        ));
    }
    let rows = claims::read_claim(&args.claim, all.as_ref())?;
    let map = match &args.map {
        Some(p) => ColumnMap::from_file(p)?,
        None => ColumnMap::default(),
    };
    let tenants = read_tenants(&args.tenants, &map)?;
    let manifest = results::read_manifest(&args.results)?;
    super::check_same_tenants(&manifest, &tenants, args.tenants_changed, ui)?;
    super::warn_if_incomplete(&manifest, &args.results, ui);
    let scope = claims::verdict::fields_in_scope(&manifest);
    let hits = results::hits::read_parquet(&args.results.join("hits.parquet"))
        .with_context(|| format!("reading {}", args.results.join("hits.parquet").display()))?;
    let s = |n: &str| -> anyhow::Result<_> { Ok(hits.column(n)?.str()?.clone()) };
    let (tid, src, fields, conf) = (
        s("tenant_id")?,
        s("source")?,
        s("fields")?,
        s("confidence")?,
    );
    let line = hits.column("line")?.u64()?.clone();
    // Results written before documents were scanned have no location column.
    let loc = hits
        .column("location")
        .ok()
        .and_then(|c| c.str().ok().cloned());
    let mut evidence: Evidence = Default::default();
    let mut review: Evidence = Default::default();
    for i in 0..hits.height() {
        let e = match conf.get(i) {
            Some("confirmed") => &mut evidence,
            // Probable matches, and households (the tenant's address with someone else's
            // name): found, but not confirmed as the resident's.
            Some("probable") | Some("household") => &mut review,
            _ => continue,
        }
        .entry(tid.get(i).unwrap_or("").to_string())
        .or_default();
        for f in fields
            .get(i)
            .unwrap_or("")
            .split('|')
            .filter_map(Field::parse)
        {
            e.entry(f).or_default().push(results::hits::pointer(
                src.get(i).unwrap_or(""),
                line.get(i).unwrap_or(0),
                loc.as_ref().and_then(|l| l.get(i)).unwrap_or(""),
            ));
        }
    }
    let verdicts = claims::verify(&rows, &tenants, &evidence, &review, &scope);
    fs_err::create_dir_all(&args.out)?;

    let name_of = |t: usize| {
        let r = &tenants.rows[t];
        [Role::GivenName, Role::Surname, Role::FullName]
            .into_iter()
            .filter_map(|x| r.get(x))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut csv_rows = Vec::new();
    // The claim row behind each verdict, by line (a claim may list the whole tenant base).
    let claimed_at: std::collections::HashMap<u64, _> = rows.iter().map(|r| (r.line, r)).collect();
    for v in &verdicts {
        let pick = |want: fn(&FieldVerdict) -> bool| -> Vec<Field> {
            v.fields
                .iter()
                .filter(|(_, x)| want(x))
                .map(|(f, _)| *f)
                .collect()
        };
        let (m, id, name, by) = match &v.matched {
            Match::Tenant(t, kinds) => (
                "tenant".to_string(),
                tenants.rows[*t].id.clone(),
                name_of(*t),
                kinds
                    .iter()
                    .map(|k| k.as_str())
                    .collect::<Vec<_>>()
                    .join("|"),
            ),
            Match::Ambiguous(ids) => (
                format!("ambiguous: {} tenants", ids.len()),
                ids.join("|"),
                String::new(),
                String::new(),
            ),
            Match::Possible(ids) => (
                "possibly one of our tenants: no key agrees, but these share the address and postcode, or the date of birth and postcode (a misspelt name?)".to_string(),
                ids.join("|"),
                String::new(),
                String::new(),
            ),
            Match::NotATenant => (
                "not one of our tenants".to_string(),
                String::new(),
                String::new(),
                String::new(),
            ),
            Match::TooLittle => (
                "cannot identify: too little to find anyone by (a name alone, or no name, date of birth, postcode, address, e-mail, phone, NI number, bank details or tenancy reference in a form that can be read)"
                    .to_string(),
                String::new(),
                String::new(),
                String::new(),
            ),
        };
        let claimed: Vec<Field> = claimed_at
            .get(&v.line)
            .map(|r| r.claimed.clone())
            .unwrap_or_default();
        let unchecked = claimed_at
            .get(&v.line)
            .map(|r| r.unchecked.join("|"))
            .unwrap_or_default();
        let evidence: Vec<String> = v
            .fields
            .iter()
            .filter_map(|(f, x)| match x {
                FieldVerdict::Confirmed(p) => Some(format!("{}: {}", f.as_str(), p.join(" "))),
                FieldVerdict::ForReview(p) => Some(format!(
                    "{} (for review, not confirmed): {}",
                    f.as_str(),
                    p.join(" ")
                )),
                _ => None,
            })
            .collect();
        csv_rows.push(vec![
            v.line.to_string(),
            m,
            id,
            name,
            by,
            v.verdict.as_str().to_string(),
            names(&claimed),
            names(&pick(|x| matches!(x, FieldVerdict::Confirmed(_)))),
            names(&pick(|x| matches!(x, FieldVerdict::ForReview(_)))),
            names(&pick(|x| matches!(x, FieldVerdict::NotFound))),
            names(&pick(|x| matches!(x, FieldVerdict::CannotBeInDump))),
            names(&v.unmentioned),
            evidence.join("; "),
            unchecked,
            names(&v.differs),
        ]);
    }
    let headers = [
        "claim_line",
        "match",
        "tenant_id",
        "tenant_name",
        "matched_by",
        "verdict",
        "claimed_fields",
        "confirmed",
        "for_review",
        "not_found",
        "cannot_be_in_scanned_data",
        "exposed_but_not_claimed",
        "evidence",
        "claimed_not_checked",
        "differs_from_tenant",
    ];
    let p = args.out.join("claim_report.csv");
    write_excel_csv(&p, &headers, csv_rows.clone())?;

    // The overall verdict in plain English.
    let count = |x: Verdict| verdicts.iter().filter(|v| v.verdict == x).count();
    let tenants_n = verdicts
        .iter()
        .filter(|v| matches!(v.matched, Match::Tenant(..)))
        .count();
    let mut overall = format!(
        "The claim names {} residents. It is supported for {} of the {} who are our tenants, partly supported for {}, and not supported for {}. {} are not our tenants, and {} could not be told apart from another tenant.",
        verdicts.len(),
        count(Verdict::Supported),
        tenants_n,
        count(Verdict::PartlySupported),
        count(Verdict::NotSupported),
        count(Verdict::NotATenant),
        count(Verdict::Ambiguous)
    );
    // One sentence for each other verdict that occurs; {n} is its count.
    for (verdict, sentence) in [
        (
            Verdict::ForReview,
            "For {n} more, the claimed data was found only in matches awaiting review (probable: see review.csv in the scan's results); check those before answering.",
        ),
        (
            Verdict::NothingToCheck,
            "For {n}, the claim names no field this check can test (see claimed_not_checked).",
        ),
        (
            Verdict::IdentityDiffers,
            "For {n}, a tenant was found but the claim's date of birth or first name is not the tenant's (see differs_from_tenant): a relative or a namesake, so nothing is confirmed for them until checked.",
        ),
        (
            Verdict::PossibleTenant,
            "{n} match no tenant exactly but share an address and postcode, or a date of birth and postcode, with one (listed in tenant_id): check whether the claim misspells their name.",
        ),
        (
            Verdict::CannotIdentify,
            "{n} could not be identified from what the claim gives (a name alone), so they can be neither confirmed nor ruled out.",
        ),
    ] {
        let n = count(verdict);
        if n > 0 {
            let _ = write!(overall, " {}", sentence.replace("{n}", &n.to_string()));
        }
    }
    let mut unchecked: Vec<&str> = rows
        .iter()
        .flat_map(|r| r.unchecked.iter().map(String::as_str))
        .collect();
    unchecked.sort_unstable();
    unchecked.dedup();
    if !unchecked.is_empty() {
        let _ = write!(
            overall,
            " The claim also names {} exposed; that is not tenant data this check can test (see claimed_not_checked in claim_report.csv; co_exposed in the scan's exposures.csv says where passwords and other sensitive data were found beside a tenant).",
            unchecked.join(", ")
        );
    }
    let mut per_field: BTreeMap<Field, (usize, usize)> = BTreeMap::new();
    for v in &verdicts {
        for (f, x) in &v.fields {
            let e = per_field.entry(*f).or_default();
            e.0 += 1;
            if matches!(x, FieldVerdict::Confirmed(_)) {
                e.1 += 1;
            }
        }
    }
    for (f, (claimed, confirmed)) in &per_field {
        if scope.contains(f) {
            let _ = write!(
                overall,
                " Their {} {} claimed for {claimed} and confirmed for {confirmed}.",
                words(*f),
                is_are(*f)
            );
        } else {
            let _ = write!(
                overall,
                " Their {} {} claimed for {claimed}, but no scanned file contains any {}.",
                words(*f),
                is_are(*f),
                words(*f)
            );
        }
    }
    let mut md = format!(
        "# Claim check\n\nClaim: `{}`; results: `{}` (scan finished {}, key fingerprint `{}`).\n\n{overall}\n\n",
        args.claim.display(),
        args.results.display(),
        manifest.finished,
        manifest.key_fingerprint
    );
    md.push_str("| claim line | match | tenant | verdict | confirmed | for review | not found | cannot be in data | also exposed |\n|---:|---|---|---|---|---|---|---|---|\n");
    let mut html = format!(
        "<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>Claim check</title><style>body{{font-family:Arial,Helvetica,sans-serif;max-width:1100px;margin:2em auto}}table{{border-collapse:collapse}}td,th{{border:1px solid #bbb;padding:3px 6px;font-size:13px;text-align:left}}</style></head><body><h1>Claim check</h1><p>Claim: {}; results: {}.</p><p><strong>{}</strong></p><table><tr><th>claim line</th><th>match</th><th>tenant</th><th>verdict</th><th>confirmed</th><th>for review</th><th>not found</th><th>cannot be in data</th><th>also exposed</th></tr>",
        esc(&args.claim.display().to_string()),
        esc(&args.results.display().to_string()),
        esc(&overall)
    );
    for r in &csv_rows {
        let tenant = if r[3].is_empty() {
            r[2].clone()
        } else {
            format!("{} ({})", r[2], r[3])
        };
        // '|' ends a Markdown table cell.
        let cell = |x: &str| x.replace('|', ", ");
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            r[0],
            cell(&r[1]),
            cell(&tenant),
            r[5],
            cell(&r[7]),
            cell(&r[8]),
            cell(&r[9]),
            cell(&r[10]),
            cell(&r[11])
        );
        let _ = write!(
            html,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&r[0]),
            esc(&r[1]),
            esc(&tenant),
            esc(&r[5]),
            esc(&r[7]),
            esc(&r[8]),
            esc(&r[9]),
            esc(&r[10]),
            esc(&r[11])
        );
    }
    html.push_str("</table></body></html>\n");
    results::atomic::write_bytes(&args.out.join("claim_report.md"), md.as_bytes())?;
    results::atomic::write_bytes(&args.out.join("claim_report.html"), html.as_bytes())?;
    ui.info(&overall);
    ui.info(&format!("claim report in {}", args.out.display()));
    Ok(Exit::Ok)
}
