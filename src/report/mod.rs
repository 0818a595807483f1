//! Reports for the landlord: risk decisions, the affected-tenant list, the summary, letters and
//! a mail merge. Reads a results folder and the tenants file; runs at the landlord only, since
//! it joins tenant plaintext back to the exposures.

pub mod addressee;
pub mod letters;
pub mod org;
pub mod policy;
pub mod summary;

use crate::keys::Field;
use crate::results::{self, csv_safe::write_excel_csv, manifest::Manifest};
use crate::roles::Role;
use crate::tenants::{TenantRow, TenantTable};
pub use addressee::{addressee, letter_check, name_case};
use letters::Letters;
use org::Org;
use polars::prelude::*;
use policy::{Decision, Policy};
use std::path::{Path, PathBuf};

/// Errors making a report.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// I/O.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        #[source]
        source: std::io::Error,
    },
    /// Results folder problem.
    #[error(transparent)]
    Results(#[from] results::ResultsError),
    /// polars failed.
    #[error("{what}: {message}")]
    Table {
        /// Which table.
        what: String,
        /// The error.
        message: String,
    },
    /// A template failed.
    #[error("letter template: {0}")]
    Template(String),
}

/// One affected tenant with the decision.
#[derive(Debug, Clone)]
pub struct Affected {
    /// Tenant id.
    pub tenant_id: String,
    /// confirmed / probable.
    pub confidence: String,
    /// Exposed fields.
    pub fields: Vec<Field>,
    /// Dump files.
    pub sources: Vec<String>,
    /// Dump rows.
    pub records: u32,
    /// Sensitive data found beside the tenant's fields.
    pub co: Vec<crate::dump::sensitive::Category>,
    /// Risk and notification.
    pub decision: Decision,
    /// Tenant row, when the id is in the tenants file.
    pub tenant: Option<TenantRow>,
    /// The person's group from the people file's group column (`tenant` when there is none):
    /// lists, letters and the summary keep groups apart.
    pub group: String,
}

/// The group of a person: the people file's group value, lower-cased; `tenant` when empty.
pub fn group_of(t: Option<&TenantRow>) -> String {
    group_name(t.and_then(|t| t.get(Role::Group)).unwrap_or(""))
}

/// The group a people file's group value names: `tenant` (tenants, residents, former tenants),
/// `staff` (employees, staff members, former staff), or the value itself made safe for a
/// file name.
pub fn group_name(value: &str) -> String {
    let g = value.trim().to_lowercase();
    match g.as_str() {
        "" | "tenant" | "tenants" | "resident" | "residents" | "customer" | "customers"
        | "former tenant" | "former tenants" | "ex-tenant" | "ex tenant" => "tenant".into(),
        "staff" | "employee" | "employees" | "member of staff" | "members of staff"
        | "staff member" | "staff members" | "colleague" | "colleagues" | "former staff"
        | "ex-staff" | "ex staff" | "former employee" | "former employees" | "ex-employee"
        | "ex employee" => "staff".into(),
        _ => g
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect(),
    }
}

/// The file-name stem of a group's outputs: `tenants`, `staff`, or the group name.
pub fn group_stem(group: &str) -> String {
    if group == "tenant" {
        "tenants".into()
    } else {
        group.to_string()
    }
}

/// What the report wrote.
#[derive(Debug, Clone, Default)]
pub struct ReportSummary {
    /// Affected tenants.
    pub affected: usize,
    /// Tenants notified.
    pub notified: usize,
    /// Letters written.
    pub letters: usize,
    /// Exposed tenant ids not found in the tenants file.
    pub unknown_ids: Vec<String>,
    /// Affected people per group (`tenant`, `staff`...).
    pub by_group: std::collections::BTreeMap<String, usize>,
    /// Files written.
    pub files: Vec<String>,
    /// People to notify who get no letter: not in the tenants file.
    pub without_letter: Vec<String>,
    /// Letters that cannot be posted as they are (no address, a partial postcode): their
    /// `letter_check` in decisions.csv and the mail merge says why.
    pub letters_to_check: usize,
    /// Whether the scan searched everything: every file read in full, none left unsearched,
    /// no shard missing. Letters and the summary say so when it did not.
    pub search_complete: bool,
}

/// Inputs of a report.
pub struct ReportInput<'a> {
    /// The results folder of a scan.
    pub results: &'a Path,
    /// The tenants file, read.
    pub tenants: &'a TenantTable,
    /// The risk policy.
    pub policy: &'a Policy,
    /// The organisation (letters need it).
    pub org: Option<&'a Org>,
    /// Template folder overriding the default letter.
    pub templates: Option<&'a Path>,
}

fn table_err(what: &str) -> impl Fn(PolarsError) -> ReportError + '_ {
    move |e| ReportError::Table {
        what: what.to_string(),
        message: e.to_string(),
    }
}

/// Reads exposures and joins them with the tenants file (polars inner and anti joins).
pub fn affected(input: &ReportInput<'_>) -> Result<(Vec<Affected>, Vec<String>), ReportError> {
    let path = input.results.join("exposures.parquet");
    let exps = results::hits::read_parquet(&path).map_err(table_err("exposures.parquet"))?;
    let ids: Vec<String> = input.tenants.rows.iter().map(|r| r.id.clone()).collect();
    let row_no: Vec<u32> = (0..ids.len() as u32).collect();
    let tdf = DataFrame::new(
        ids.len(),
        vec![
            Column::new("tenant_id".into(), ids),
            Column::new("row_no".into(), row_no),
        ],
    )
    .map_err(table_err("tenants"))?;
    let joined = exps
        .clone()
        .lazy()
        .join(
            tdf.clone().lazy(),
            [col("tenant_id")],
            [col("tenant_id")],
            JoinArgs::new(JoinType::Left),
        )
        .sort(["tenant_id"], SortMultipleOptions::default())
        .collect()
        .map_err(table_err("joining exposures with tenants"))?;
    let unknown = exps
        .lazy()
        .join(
            tdf.lazy(),
            [col("tenant_id")],
            [col("tenant_id")],
            JoinArgs::new(JoinType::Anti),
        )
        .collect()
        .map_err(table_err("finding unknown tenant ids"))?;
    let unknown_ids: Vec<String> = unknown
        .column("tenant_id")
        .and_then(|c| {
            c.str()
                .map(|s| s.iter().flatten().map(str::to_string).collect())
        })
        .map_err(table_err("unknown ids"))?;
    let s = |n: &str| -> Result<StringChunked, ReportError> {
        joined
            .column(n)
            .and_then(|c| c.str().cloned())
            .map_err(table_err(n))
    };
    let co_col = s("co_exposed")?;
    let (id, conf, fields, sources) = (
        s("tenant_id")?,
        s("confidence")?,
        s("fields_exposed")?,
        s("sources")?,
    );
    let records = joined
        .column("records")
        .and_then(|c| c.u32().cloned())
        .map_err(table_err("records"))?;
    let row_no = joined
        .column("row_no")
        .and_then(|c| c.u32().cloned())
        .map_err(table_err("row_no"))?;
    let mut out = Vec::with_capacity(joined.height());
    for i in 0..joined.height() {
        let fields: Vec<Field> = fields
            .get(i)
            .unwrap_or("")
            .split('|')
            .filter_map(Field::parse)
            .collect();
        let confidence = conf.get(i).unwrap_or("").to_string();
        let co: Vec<crate::dump::sensitive::Category> = co_col
            .get(i)
            .unwrap_or("")
            .split('|')
            .filter_map(crate::dump::sensitive::Category::parse)
            .collect();
        let decision = if confidence == "confirmed" {
            input.policy.decide(&fields, &co)
        } else {
            let d = input.policy.decide(&fields, &co);
            Decision {
                risk: d.risk,
                notify: false,
                reason: "probable match only (name with date of birth or postcode, nothing else agrees): check review.csv before notifying".into(),
            }
        };
        let tenant = row_no
            .get(i)
            .and_then(|r| input.tenants.rows.get(r as usize))
            .cloned();
        out.push(Affected {
            tenant_id: id.get(i).unwrap_or("").to_string(),
            confidence,
            fields,
            sources: sources
                .get(i)
                .unwrap_or("")
                .split('|')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            records: records.get(i).unwrap_or(0),
            co,
            decision,
            group: group_of(tenant.as_ref()),
            tenant,
        });
    }
    Ok((out, unknown_ids))
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> ReportError + '_ {
    move |source| ReportError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes every report file into `out`, as a whole: into a staging folder first, then moved
/// into place, replacing the files of the earlier report there (listed in its `report.json`;
/// letters to tenants this one may not notify go too). If anything fails, the earlier report is
/// left as it was.
pub fn write_report(input: &ReportInput<'_>, out: &Path) -> Result<ReportSummary, ReportError> {
    fs_err::create_dir_all(out).map_err(io(out))?;
    let staging = results::publish::staging_dir(out).map_err(io(out))?;
    match write_report_files(input, &staging) {
        Ok(mut summary) => {
            results::publish::publish(&staging, out).map_err(io(out))?;
            summary.files.push(results::publish::REPORT_LIST.into());
            Ok(summary)
        }
        Err(e) => {
            results::publish::discard(&staging);
            Err(e)
        }
    }
}

/// Writes every report file into `out` (a fresh staging folder).
fn write_report_files(input: &ReportInput<'_>, out: &Path) -> Result<ReportSummary, ReportError> {
    let manifest: Manifest = results::read_manifest(input.results)?;
    let (affected, unknown_ids) = affected(input)?;
    let mut summary = ReportSummary {
        affected: affected.len(),
        notified: affected.iter().filter(|a| a.decision.notify).count(),
        unknown_ids,
        search_complete: manifest.gaps().is_empty(),
        ..ReportSummary::default()
    };
    summary.by_group = summary::by_group(&affected)
        .into_iter()
        .map(|(g, (n, _))| (g, n as usize))
        .collect();
    let yes = |b: bool| if b { "yes" } else { "no" }.to_string();
    let join = |f: &[Field]| f.iter().map(|x| x.as_str()).collect::<Vec<_>>().join("|");

    // Affected tenants, with plaintext joined back (CSV for Excel, Parquet for tools).
    let headers = [
        "tenant_id",
        "title",
        "forename",
        "surname",
        "full_name",
        "address_line1",
        "address_line2",
        "town",
        "postcode",
        "email",
        "phone",
        "confidence",
        "fields_exposed",
        "co_exposed",
        "exposure_sentence",
        "sources",
        "records",
        "risk",
        "notify",
        "reason",
        "group",
    ];
    let rows: Vec<Vec<String>> = affected
        .iter()
        .map(|a| {
            let g = |r| {
                a.tenant
                    .as_ref()
                    .and_then(|t| t.get(r))
                    .unwrap_or("")
                    .to_string()
            };
            vec![
                a.tenant_id.clone(),
                g(Role::Title),
                g(Role::GivenName),
                g(Role::Surname),
                g(Role::FullName),
                g(Role::AddressLine1),
                g(Role::AddressLine2),
                g(Role::Town),
                g(Role::Postcode),
                g(Role::Email),
                g(Role::Phone),
                a.confidence.clone(),
                join(&a.fields),
                co_names(&a.co),
                letters::exposure_sentence_all(&a.fields, &a.co),
                a.sources.join("|"),
                a.records.to_string(),
                a.decision.risk.as_str().to_string(),
                yes(a.decision.notify),
                a.decision.reason.clone(),
                a.group.clone(),
            ]
        })
        .collect();
    // One list per group (tenants, staff...): people are told, and counted, apart.
    let mut groups: Vec<String> = summary.by_group.keys().cloned().collect();
    if !summary.by_group.contains_key("tenant") {
        groups.insert(0, "tenant".into());
    }
    let mut rows_of: std::collections::BTreeMap<&str, Vec<Vec<String>>> = Default::default();
    for (r, a) in rows.iter().zip(&affected) {
        rows_of.entry(a.group.as_str()).or_default().push(r.clone());
    }
    for g in &groups {
        let name = format!("affected_{}.csv", group_stem(g));
        let p = out.join(&name);
        let mine = rows_of.remove(g.as_str()).unwrap_or_default();
        write_excel_csv(&p, &headers, mine).map_err(io(&p))?;
        summary.files.push(name);
    }
    let mut df = DataFrame::new(
        rows.len(),
        headers
            .iter()
            .enumerate()
            .map(|(j, h)| {
                Column::new(
                    (*h).into(),
                    rows.iter().map(|r| r[j].clone()).collect::<Vec<String>>(),
                )
            })
            .collect(),
    )
    .map_err(table_err("affected tenants"))?;
    let p = out.join("affected_tenants.parquet");
    results::hits::write_parquet(&mut df, &p).map_err(io(&p))?;
    summary.files.push("affected_tenants.parquet".into());

    // Letters.
    let mut letter_of: std::collections::HashMap<String, String> = Default::default();
    let mut checks: std::collections::HashMap<String, String> = Default::default();
    // Loaded once: the letters and the summary's likely consequences share advice.toml.
    let letters = Letters::new(input.templates).map_err(ReportError::Template)?;
    if let Some(org) = input.org {
        let date = jiff::ZonedDateTime::now().strftime("%-d %B %Y").to_string();
        for g in &groups {
            let sub = if g == "tenant" {
                "letters".to_string()
            } else {
                format!("letters/{g}")
            };
            let dir = out.join(&sub);
            fs_err::create_dir_all(&dir).map_err(io(&dir))?;
            let mut bodies = Vec::new();
            let mut merge = Vec::new();
            let mut used = std::collections::HashSet::new();
            for a in affected
                .iter()
                .filter(|a| a.decision.notify && &a.group == g)
            {
                let Some(t) = &a.tenant else {
                    summary.without_letter.push(a.tenant_id.clone());
                    continue;
                };
                let who = addressee(t);
                let check = letter_check(&who);
                if let Some(why) = &check {
                    summary.letters_to_check += 1;
                    checks.insert(a.tenant_id.clone(), why.clone());
                }
                let body = letters
                    .body(
                        org,
                        &date,
                        &who,
                        &a.fields,
                        &a.co,
                        &a.group,
                        summary.search_complete,
                    )
                    .map_err(|e| {
                        ReportError::Template(format!("the letter to {}: {e}", a.tenant_id))
                    })?;
                let page = letters
                    .page(
                        &format!("Letter to {}", who.name),
                        std::slice::from_ref(&body),
                    )
                    .map_err(ReportError::Template)?;
                let name = format!("{}.html", letter_name(&a.tenant_id, &mut used));
                let p = dir.join(&name);
                results::atomic::write_bytes(&p, page.as_bytes()).map_err(io(&p))?;
                letter_of.insert(a.tenant_id.clone(), format!("{sub}/{name}"));
                bodies.push(body);
                let advice: Vec<String> = letters
                    .text()
                    .advice(&a.fields, &a.co, &org.name)
                    .into_iter()
                    .map(|x| format!("{} {}", x.heading, x.text))
                    .collect();
                merge.push(vec![
                    a.tenant_id.clone(),
                    who.salutation.clone(),
                    who.name.clone(),
                    who.address_lines.first().cloned().unwrap_or_default(),
                    who.address_lines.get(1).cloned().unwrap_or_default(),
                    who.address_lines.get(2).cloned().unwrap_or_default(),
                    who.postcode.clone(),
                    t.get(Role::Email).unwrap_or("").to_string(),
                    format!(
                        "The published data contains {}.",
                        letters::exposure_sentence_all(&a.fields, &a.co)
                    ),
                    letters.text().consequences(&a.fields, &a.co).join(" "),
                    advice.join(" "),
                    a.decision.risk.as_str().to_string(),
                    check.unwrap_or_default(),
                ]);
            }
            let combined = letters
                .page(&format!("Letters from {}", org.name), &bodies)
                .map_err(ReportError::Template)?;
            let suffix = if g == "tenant" {
                String::new()
            } else {
                format!("_{g}")
            };
            let combined_name = format!("letters{suffix}.html");
            let p = out.join(&combined_name);
            results::atomic::write_bytes(&p, combined.as_bytes()).map_err(io(&p))?;
            summary.letters += bodies.len();
            summary.files.push(combined_name);
            summary.files.push(format!("{sub}/"));
            let merge_name = format!("mailmerge{suffix}.csv");
            let p = out.join(&merge_name);
            write_excel_csv(
                &p,
                &[
                    "tenant_id",
                    "salutation",
                    "name",
                    "address_line1",
                    "address_line2",
                    "address_line3",
                    "postcode",
                    "email",
                    "exposure_sentence",
                    "consequences",
                    "advice",
                    "risk",
                    "letter_check",
                ],
                merge,
            )
            .map_err(io(&p))?;
            summary.files.push(merge_name);
        }
    }

    // Decisions: every exposed tenant, notified or not, with the reason (the record the ICO expects).
    let p = out.join("decisions.csv");
    write_excel_csv(
        &p,
        &[
            "tenant_id",
            "confidence",
            "fields_exposed",
            "co_exposed",
            "risk",
            "notify",
            "reason",
            "letter",
            "group",
            "letter_check",
        ],
        affected.iter().map(|a| {
            vec![
                a.tenant_id.clone(),
                a.confidence.clone(),
                join(&a.fields),
                co_names(&a.co),
                a.decision.risk.as_str().to_string(),
                yes(a.decision.notify),
                a.decision.reason.clone(),
                letter_of.get(&a.tenant_id).cloned().unwrap_or_default(),
                a.group.clone(),
                match (a.decision.notify, &a.tenant) {
                    (true, None) => {
                        "no letter: not in the tenants file, so no name or address".to_string()
                    }
                    _ => checks.get(&a.tenant_id).cloned().unwrap_or_default(),
                },
            ]
        }),
    )
    .map_err(io(&p))?;
    summary.files.push("decisions.csv".into());

    let ctx = summary::Context {
        text: letters.text(),
        org: input.org,
        policy: input.policy,
        generated: jiff::Timestamp::now().to_string(),
        report: &summary,
    };
    let (md, html) = (
        summary::markdown(&manifest, &affected, &ctx),
        summary::html(&manifest, &affected, &ctx),
    );
    let p = out.join("summary.md");
    results::atomic::write_bytes(&p, md.as_bytes()).map_err(io(&p))?;
    let p = out.join("summary.html");
    results::atomic::write_bytes(&p, html.as_bytes()).map_err(io(&p))?;
    summary.files.push("summary.md".into());
    summary.files.push("summary.html".into());
    Ok(summary)
}

fn co_names(co: &[crate::dump::sensitive::Category]) -> String {
    co.iter().map(|c| c.as_str()).collect::<Vec<_>>().join("|")
}

/// A letter's file name (without `.html`) for a tenant id, unique among `used` (lower-cased,
/// for file systems that ignore case): the id with characters a file name cannot safely hold
/// made `_`, and, when that changed the id or clashes with a name already used
/// (`HA/001` and `HA:001`, `A_1` and `a_1`), a short hash of the id appended.
fn letter_name(id: &str, used: &mut std::collections::HashSet<String>) -> String {
    use sha2::Digest;
    let safe: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let name = if safe != id || safe.is_empty() || used.contains(&safe.to_lowercase()) {
        let hash = sha2::Sha256::digest(id.as_bytes());
        format!("{safe}-{}", hex::encode(&hash[..4]))
    } else {
        safe
    };
    used.insert(name.to_lowercase());
    name
}

#[cfg(test)]
mod tests {
    #[test]
    fn group_values_as_people_write_them() {
        for (value, want) in [
            ("", "tenant"),
            ("Resident", "tenant"),
            ("Former tenant", "tenant"),
            ("Staff member", "staff"),
            ("former staff", "staff"),
            ("Ex-Employee", "staff"),
            ("Contractor / agency", "contractor___agency"),
        ] {
            assert_eq!(super::group_name(value), want, "{value}");
        }
    }

    #[test]
    fn letter_names_never_clash() {
        let mut used = std::collections::HashSet::new();
        let ids = ["T000001", "A/1", "A:1", "A_1", "a_1", "", "../x"];
        let names: Vec<String> = ids
            .iter()
            .map(|id| super::letter_name(id, &mut used))
            .collect();
        assert_eq!(names[0], "T000001");
        assert_eq!(names[3], "A_1");
        let lower: std::collections::HashSet<_> = names.iter().map(|n| n.to_lowercase()).collect();
        assert_eq!(lower.len(), ids.len(), "{names:?}");
        assert!(names.iter().all(|n| !n.is_empty() && !n.contains('/')));
    }
}
