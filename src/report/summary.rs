//! `summary.md` and a self-contained `summary.html` (inline SVG charts, no external scripts,
//! fonts or CDN): what was scanned, who is exposed by field, risk and source, what was
//! rejected, what the result does and does not show, and the figures the ICO's breach report
//! form asks for.

use super::policy::{Policy, Risk};
use super::{Affected, ReportSummary, org::Org};
use crate::keys::Field;
use crate::results::manifest::Manifest;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// What the summary says besides the scan and the people affected.
pub struct Context<'a> {
    /// What the letters say each exposure could mean.
    pub text: &'a super::letters::LetterText,
    /// The organisation (`--org`), if given.
    pub org: Option<&'a Org>,
    /// The risk policy the decisions came from.
    pub policy: &'a Policy,
    /// When the summary was made (RFC 3339).
    pub generated: String,
    /// What the report wrote: letters, letters to check, people without a letter.
    pub report: &'a ReportSummary,
}

/// Escapes text for a Markdown table cell or list item: a file name from a leak may hold
/// `|`, HTML or line breaks.
pub fn md(s: &str) -> String {
    esc(s)
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
        .replace('`', "'")
}

/// Escapes text for HTML.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A horizontal bar chart as inline SVG.
pub fn bar_chart_svg(title: &str, items: &[(String, u64)]) -> String {
    let max = items.iter().map(|i| i.1).max().unwrap_or(0).max(1);
    let row = 24;
    let h = 30 + row * items.len().max(1);
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"620\" height=\"{h}\" role=\"img\" aria-label=\"{}\">\
<text x=\"0\" y=\"16\" font-size=\"14\" font-weight=\"bold\">{}</text>",
        esc(title),
        esc(title)
    );
    for (i, (label, n)) in items.iter().enumerate() {
        let y = 28 + i * row;
        let w = (*n as f64 / max as f64 * 380.0).round() as u64;
        let _ = write!(
            s,
            "<text x=\"0\" y=\"{}\" font-size=\"12\">{}</text><rect x=\"170\" y=\"{y}\" width=\"{w}\" height=\"16\" fill=\"#3b6ea5\"/><text x=\"{}\" y=\"{}\" font-size=\"12\">{n}</text>",
            y + 12,
            esc(label),
            175 + w,
            y + 12
        );
    }
    s.push_str("</svg>");
    s
}

/// The figures both renderings share.
struct Figures {
    by_field: Vec<(String, u64)>,
    by_co: Vec<(String, u64)>,
    by_risk: Vec<(String, u64)>,
    by_source: Vec<(String, u64)>,
    notified: usize,
    not_notified: BTreeMap<String, u64>,
    confirmed: usize,
    probable: usize,
}

/// People affected per group (`tenant`, `staff`...), with how many will be notified.
pub(crate) fn by_group(affected: &[Affected]) -> BTreeMap<String, (u64, u64)> {
    let mut m: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for a in affected {
        let e = m.entry(a.group.clone()).or_default();
        e.0 += 1;
        if a.decision.notify {
            e.1 += 1;
        }
    }
    m
}

/// "tenants", or "people" when the people file has other groups (staff) among the affected.
fn who(affected: &[Affected]) -> &'static str {
    if affected.iter().all(|a| a.group == "tenant") {
        "tenants"
    } else {
        "people"
    }
}

/// The sentence that keeps groups apart, when the people file has more than tenants.
fn group_sentence(affected: &[Affected]) -> Option<String> {
    let g = by_group(affected);
    if g.keys().all(|k| k == "tenant") {
        return None;
    }
    let parts: Vec<String> = g
        .iter()
        .map(|(k, (n, notify))| {
            format!(
                "{n} {} ({notify} to notify, listed in affected_{}.csv)",
                if k == "tenant" { "tenants" } else { k.as_str() },
                crate::report::group_stem(k)
            )
        })
        .collect();
    Some(format!(
        "By group: {}. Each group has its own list and letters.",
        parts.join("; ")
    ))
}

/// Files that were recognised but could not be searched: `(path, reason)`.
fn not_searched(m: &Manifest) -> Vec<(&str, &str)> {
    m.files
        .iter()
        .filter_map(|f| f.not_searched.as_deref().map(|r| (f.path.as_str(), r)))
        .collect()
}

fn figures(affected: &[Affected]) -> Figures {
    let by_field = Field::ALL
        .iter()
        .map(|f| {
            (
                f.as_str().replace('_', " "),
                affected.iter().filter(|a| a.fields.contains(f)).count() as u64,
            )
        })
        .filter(|(_, n)| *n > 0)
        .collect();
    let by_co = crate::dump::sensitive::Category::ALL
        .iter()
        .map(|c| {
            (
                c.as_str().replace('_', " "),
                affected.iter().filter(|a| a.co.contains(c)).count() as u64,
            )
        })
        .filter(|(_, n)| *n > 0)
        .collect();
    let by_risk = Risk::ALL
        .iter()
        .map(|r| {
            (
                r.as_str().to_string(),
                affected.iter().filter(|a| a.decision.risk == *r).count() as u64,
            )
        })
        .collect();
    let mut src: BTreeMap<String, u64> = BTreeMap::new();
    for a in affected {
        for s in &a.sources {
            *src.entry(s.clone()).or_default() += 1;
        }
    }
    let mut not_notified: BTreeMap<String, u64> = BTreeMap::new();
    for a in affected.iter().filter(|a| !a.decision.notify) {
        let why = format!(
            "{} risk, a level the policy does not notify ({})",
            a.decision.risk.as_str(),
            a.decision.reason
        );
        *not_notified.entry(why).or_default() += 1;
    }
    Figures {
        by_field,
        by_co,
        by_risk,
        by_source: src.into_iter().collect(),
        notified: affected.iter().filter(|a| a.decision.notify).count(),
        not_notified,
        confirmed: affected
            .iter()
            .filter(|a| a.confidence == "confirmed")
            .count(),
        probable: affected
            .iter()
            .filter(|a| a.confidence != "confirmed")
            .count(),
    }
}

const CAVEATS: [&str; 5] = [
    "The scan matches exactly after normalising formats: it finds reformatted values (\"+44 7700 900123\" and \"07700900123\", \"SMITH, John\" and \"Mr John Smith\") but not misspelt ones.",
    "Name alone never counts as a match. A name with a date of birth or postcode counts only when another field of the same row agrees; otherwise it is listed in review.csv as probable or as a namesake.",
    "A field counts as exposed only when the dump holds this tenant's own value for it; a stranger's details next to a tenant's e-mail are not reported as the tenant's.",
    "A tenant not listed was not found in the files scanned; files or rows that could not be read are listed below and in rejected_rows.csv, and they were not searched.",
    "Passwords, card numbers and other sensitive columns are found by header words and value shapes and reported by category only; special category data is found only where a column header names it (health, disability, benefit, religion, ethnicity...), and criminal offence data is not searched for.",
];

/// How a file was read: its dump format, or the kind of document and what it held.
fn file_format(file: &crate::results::manifest::FileEntry) -> String {
    match (&file.layout, &file.document) {
        (Some(l), _) => l.describe(),
        _ if file.not_searched.is_some() => "not searched".into(),
        (None, Some(d)) => {
            use crate::docs::DocKind;
            let mut parts = Vec::new();
            if !d.tables.is_empty() {
                parts.push(format!(
                    "{} {}",
                    d.tables.len(),
                    if d.kind == DocKind::Sql {
                        "tables"
                    } else {
                        "sheets"
                    }
                ));
            }
            if d.text_blocks > 0 {
                parts.push(format!("{} text blocks", d.text_blocks));
            }
            let kind = match d.kind {
                DocKind::Zip | DocKind::Tar | DocKind::SevenZip => {
                    format!("{} archive", d.kind.as_str())
                }
                k => k.as_str().replace('_', " "),
            };
            if parts.is_empty() {
                kind
            } else {
                format!("{kind} ({})", parts.join(", "))
            }
        }
        _ => "not readable".into(),
    }
}

fn file_roles(file: &crate::results::manifest::FileEntry) -> String {
    let mut roles: Vec<String> = file
        .layout
        .iter()
        .flat_map(|l| l.columns.iter())
        .filter(|c| c.role != crate::roles::Role::Other)
        .map(|c| format!("{} = {}", c.name, c.role))
        .collect();
    for t in file.document.iter().flat_map(|d| d.tables.iter()) {
        roles.extend(
            t.columns
                .iter()
                .filter(|c| c.role != crate::roles::Role::Other)
                .map(|c| format!("{} {} = {}", t.name, c.name, c.role)),
        );
    }
    if file.document.as_ref().is_some_and(|d| d.text_blocks > 0) {
        roles.push("free text".into());
    }
    if roles.is_empty() {
        "none".into()
    } else {
        roles.join(", ")
    }
}

fn presence(file: &crate::results::manifest::FileEntry) -> String {
    let pres: Vec<String> = file
        .provenance
        .field_presence
        .iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect();
    if pres.is_empty() {
        String::new()
    } else {
        format!(" (with their: {})", pres.join(", "))
    }
}

fn elsewhere(file: &crate::results::manifest::FileEntry) -> String {
    let t = match file.provenance.tenants_also_elsewhere {
        0 => String::new(),
        n => format!("; {n} of them also in other files"),
    };
    match file.provenance.duplicate_rows_elsewhere {
        0 => t,
        1 => format!("{t}; 1 matching row is a duplicate of a row in another file"),
        n => format!("{t}; {n} matching rows are duplicates of rows in other files"),
    }
}

/// The ICO's "records concerned": rows holding a tenant's data (namesakes and households left
/// out). Results written before that was counted give every matching row.
fn records_concerned(m: &Manifest) -> u64 {
    if m.totals.rows_exposing > 0 || m.totals.rows_matched == 0 {
        m.totals.rows_exposing
    } else {
        m.totals.rows_matched
    }
}

/// Exposed fields in words, for people who are not programmers.
fn field_words(f: Field) -> &'static str {
    match f {
        Field::Name => "names",
        Field::Dob => "dates of birth",
        Field::Address => "home addresses",
        Field::Postcode => "postcodes",
        Field::Email => "e-mail addresses",
        Field::Phone => "phone numbers",
        Field::Nino => "National Insurance numbers",
        Field::Bank => "bank sort codes and account numbers",
        Field::TenancyRef => "tenancy reference numbers",
    }
}

/// Sensitive data found beside people's details, in words.
fn category_words(c: crate::dump::sensitive::Category) -> &'static str {
    use crate::dump::sensitive::Category as C;
    match c {
        C::Password => "passwords in plain text",
        C::PasswordHash => "password hashes of a fast kind (MD5, SHA-1), easily cracked",
        C::PasswordHashStrong => "password hashes of a slow kind (bcrypt, argon2)",
        C::PaymentCard => "payment card numbers",
        C::Iban => "IBAN bank account numbers",
        C::SecurityQa => "security questions and answers",
        C::IpAddress => "IP addresses",
        C::Username => "usernames",
        C::SpecialCategory => "special category data (health, disability, benefits...)",
        C::FreeText => "free-text notes about them",
    }
}

/// The notification sentence and the warnings a DPO must act on, in order.
fn notification_points(
    m: &Manifest,
    affected: &[Affected],
    f: &Figures,
    ctx: &Context<'_>,
) -> Vec<String> {
    let levels: Vec<&str> = ctx.policy.notify.iter().map(|r| r.as_str()).collect();
    let mut out = vec![format!(
        "**{} {}** will be notified (UK GDPR Art. 34; the policy notifies {} risk); {} not notified, with reasons below.",
        f.notified,
        who(affected),
        if levels.is_empty() {
            "no".to_string()
        } else {
            levels.join(" and ")
        },
        affected.len() - f.notified
    )];
    let high_not_told = affected
        .iter()
        .filter(|a| a.decision.risk == Risk::High && !a.decision.notify)
        .count();
    if high_not_told > 0 {
        out.push(format!(
            "**{high_not_told} at high risk are not notified under the policy in use.** Art. 34 requires telling people at high risk without undue delay unless an exception in Art. 34(3) applies: record which one in the breach log."
        ));
    }
    if !ctx.report.without_letter.is_empty() {
        out.push(format!(
            "**{} to notify have no letter**: they are not in the tenants file, so there is no name or address to write to ({}; see decisions.csv).",
            ctx.report.without_letter.len(),
            ctx.report.without_letter.iter().take(5).cloned().collect::<Vec<_>>().join(", ")
        ));
    }
    if ctx.report.letters_to_check > 0 {
        out.push(format!(
            "**{} letters cannot be posted as they are** (no address, or a postcode that is not a full UK postcode): see `letter_check` in decisions.csv and the mail merge.",
            ctx.report.letters_to_check
        ));
    }
    if !ctx.report.search_complete {
        out.push(incomplete_sentence(m));
    }
    out
}

/// Why the search is not complete, when it is not.
fn incomplete_sentence(m: &Manifest) -> String {
    let why = m.gaps();
    format!(
        "**The search is not complete**: {}. These results may under-count; the letters say that some files are still being checked. Report again once they are searched.",
        why.join("; ")
    )
}

/// The items of the ICO's personal data breach report (Art. 33(3)), as (label, text).
fn ico_items(
    m: &Manifest,
    affected: &[Affected],
    f: &Figures,
    ctx: &Context<'_>,
) -> Vec<(String, String)> {
    let org = ctx.org;
    let not_given = "(not given: no --org)".to_string();
    let mut v: Vec<(String, String)> = Vec::new();
    let mut item = |k: &str, t: String| v.push((k.to_string(), t));
    item(
        "Date of the incident (org.toml)",
        org.map_or(not_given.clone(), |o| o.incident_date.clone()),
    );
    item(
        "What happened (org.toml)",
        org.map_or(not_given.clone(), |o| o.incident_summary.clone()),
    );
    item(
        "Approximate number of data subjects concerned",
        format!(
            "{} ({} confirmed, {} probable)",
            affected.len(),
            f.confirmed,
            f.probable
        ),
    );
    item(
        "Approximate number of personal data records concerned",
        format!(
            "{} rows holding a tenant's data ({} rows scanned)",
            records_concerned(m),
            m.totals.rows_scanned
        ),
    );
    if !ctx.report.search_complete {
        item("Completeness", incomplete_sentence(m).replace("**", ""));
    }
    let mut cats: Vec<String> = Field::ALL
        .iter()
        .filter_map(|x| {
            let n = affected.iter().filter(|a| a.fields.contains(x)).count();
            (n > 0).then(|| format!("{} ({n})", field_words(*x)))
        })
        .collect();
    let co: Vec<String> = crate::dump::sensitive::Category::ALL
        .iter()
        .filter_map(|c| {
            let n = affected.iter().filter(|a| a.co.contains(c)).count();
            (n > 0).then(|| format!("{} ({n})", category_words(*c)))
        })
        .collect();
    if !co.is_empty() {
        cats.push(format!("found beside them: {}", co.join(", ")));
    }
    item(
        "Categories of personal data (people with each)",
        if cats.is_empty() {
            "none".into()
        } else {
            cats.join("; ")
        },
    );
    item(
        "Special category data",
        format!(
            "{} people (found by column headers only); criminal offence data not searched for",
            affected
                .iter()
                .filter(|a| a
                    .co
                    .contains(&crate::dump::sensitive::Category::SpecialCategory))
                .count()
        ),
    );
    let groups = by_group(affected);
    item(
        "Categories of data subjects",
        if groups.is_empty() {
            "none".to_string()
        } else {
            groups
                .iter()
                .map(|(k, (n, _))| format!("{} ({n})", if k == "tenant" { "tenants" } else { k }))
                .collect::<Vec<_>>()
                .join(", ")
        },
    );
    // Likely consequences: those the letters give, with how many people each concerns.
    let mut cons: BTreeMap<String, u64> = BTreeMap::new();
    for a in affected.iter().filter(|a| a.confidence == "confirmed") {
        for c in ctx.text.consequences(&a.fields, &a.co) {
            *cons.entry(c).or_default() += 1;
        }
    }
    let mut cons: Vec<(String, u64)> = cons.into_iter().collect();
    cons.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    item(
        "Likely consequences, as the letters tell people (people each concerns)",
        if cons.is_empty() {
            "none found".into()
        } else {
            cons.iter()
                .map(|(c, n)| format!("{n}: {c}"))
                .collect::<Vec<_>>()
                .join(" ")
        },
    );
    item(
        "Measures taken or proposed (org.toml, and this report)",
        format!(
            "{} {}",
            org.map_or(not_given.clone(), |o| o.actions_taken.clone()),
            match org {
                Some(_) => format!(
                    "Letters to {} people at the notified risk levels, with advice for what was exposed.",
                    ctx.report.letters
                ),
                None => "No letters written yet (no --org).".into(),
            }
        ),
    );
    item(
        "Contact for more information (the DPO, org.toml)",
        org.map_or(not_given.clone(), |o| {
            format!("{}, {}, {}", o.dpo_name, o.dpo_email, o.dpo_phone)
        }),
    );
    item(
        "Data subjects notified",
        format!(
            "{} ({} letters written{})",
            f.notified,
            ctx.report.letters,
            if ctx.report.without_letter.is_empty() {
                String::new()
            } else {
                format!(
                    "; {} without a letter: not in the tenants file",
                    ctx.report.without_letter.len()
                )
            }
        ),
    );
    item("Not notified", format!("{}", affected.len() - f.notified));
    v
}

/// Renders the Markdown summary.
pub fn markdown(m: &Manifest, affected: &[Affected], ctx: &Context<'_>) -> String {
    let f = figures(affected);
    let org_name = ctx
        .org
        .map_or("(organisation not given)", |o| o.name.as_str());
    let generated = &ctx.generated;
    let mut s = String::new();
    let _ = writeln!(s, "# Data breach exposure summary: {}\n", md(org_name));
    let _ = writeln!(
        s,
        "Generated {generated} by breachmatch {} (normalisation v{}), from a scan finished {}. Key fingerprint `{}`.\n",
        m.version, m.normalize_version, m.finished, m.key_fingerprint
    );
    let _ = writeln!(s, "## In short\n");
    let _ = writeln!(
        s,
        "- **{} {}** appear in the scanned data ({} confirmed, {} probable and to be checked).",
        affected.len(),
        who(affected),
        f.confirmed,
        f.probable
    );
    for p in notification_points(m, affected, &f, ctx) {
        let _ = writeln!(s, "- {p}");
    }
    if let Some(g) = group_sentence(affected) {
        let _ = writeln!(s, "- {g}");
    }
    let ns = not_searched(m);
    if !ns.is_empty() {
        let _ = writeln!(
            s,
            "- **{} files could not be searched** (pictures, encrypted archives...): listed below and in not_searched.csv.",
            ns.len()
        );
    }
    let _ = writeln!(
        s,
        "- {} scanned, {} read, {} rejected.\n",
        crate::results::count(m.files.len() as u64, "file"),
        crate::results::count(m.totals.rows_read, "row"),
        crate::results::count(m.totals.rejected_total(), "row")
    );
    let _ = writeln!(
        s,
        "## What was scanned\n\n| file | format | rows read | rejected | read in full | size (bytes) | SHA-256 |\n|---|---|---:|---:|---|---:|---|"
    );
    for file in &m.files {
        let fmt = file_format(file);
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | `{}` |",
            md(&file.path),
            md(&fmt),
            file.stats.rows_read,
            file.stats.rejected_total(),
            if file.complete { "yes" } else { "**no**" },
            file.read.raw_bytes,
            file.read.sha256
        );
    }
    let _ = writeln!(s, "\n## What each file looks like\n");
    for file in &m.files {
        let _ = writeln!(
            s,
            "- **{}**: {} rows; columns used: {}. {}; {} tenants found{}{}.",
            md(&file.path),
            file.stats.rows_read,
            md(&file_roles(file)),
            file.provenance.finding,
            file.provenance.tenants,
            presence(file),
            elsewhere(file)
        );
    }
    let _ = writeln!(
        s,
        "\n## Tenants exposed, by field\n\n| field | tenants |\n|---|---:|"
    );
    for (k, n) in &f.by_field {
        let _ = writeln!(s, "| {k} | {n} |");
    }
    let _ = writeln!(
        s,
        "\n## Sensitive data found beside tenants' details\n\n| category | tenants |\n|---|---:|"
    );
    if f.by_co.is_empty() {
        let _ = writeln!(s, "| none | 0 |");
    }
    for (k, n) in &f.by_co {
        let _ = writeln!(s, "| {k} | {n} |");
    }
    let _ = writeln!(s, "\n## By risk level\n\n| risk | tenants |\n|---|---:|");
    for (k, n) in &f.by_risk {
        let _ = writeln!(s, "| {k} | {n} |");
    }
    let _ = writeln!(s, "\n## By source\n\n| file | tenants |\n|---|---:|");
    for (k, n) in &f.by_source {
        let _ = writeln!(s, "| {} | {n} |", md(k));
    }
    let _ = writeln!(s, "\n## Rows rejected\n");
    if m.totals.rows_rejected.is_empty() {
        let _ = writeln!(s, "None.");
    }
    for (k, n) in &m.totals.rows_rejected {
        let _ = writeln!(s, "- {k}: {n}");
    }
    for file in m
        .files
        .iter()
        .filter(|f| !f.complete && f.not_searched.is_none())
    {
        let _ = writeln!(
            s,
            "- **{} was not read in full**: {}",
            md(&file.path),
            md(file.error.as_deref().unwrap_or("stopped"))
        );
    }
    let _ = writeln!(s, "\n## Files not searched\n");
    if ns.is_empty() {
        let _ = writeln!(s, "None.");
    }
    for (p, why) in &ns {
        let _ = writeln!(s, "- **{}**: {}", md(p), md(why));
    }
    let _ = writeln!(s, "\n## What this result does and does not show\n");
    for c in CAVEATS {
        let _ = writeln!(s, "- {c}");
    }
    let _ = writeln!(
        s,
        "\n## For the ICO personal data breach report (Art. 33)\n"
    );
    for (k, t) in ico_items(m, affected, &f, ctx) {
        let _ = writeln!(s, "- {k}: {}", md(&t));
    }
    for (reason, n) in &f.not_notified {
        let _ = writeln!(s, "  - {n}: {}", md(reason));
    }
    s
}

/// Renders the self-contained HTML summary.
pub fn html(m: &Manifest, affected: &[Affected], ctx: &Context<'_>) -> String {
    let f = figures(affected);
    let org_name = ctx
        .org
        .map_or("(organisation not given)", |o| o.name.as_str());
    let generated = &ctx.generated;
    let mut s = String::new();
    let _ = write!(
        s,
        "<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>Exposure summary: {}</title><style>body{{font-family:Arial,Helvetica,sans-serif;max-width:960px;margin:2em auto;color:#111}}table{{border-collapse:collapse;margin:.5em 0}}td,th{{border:1px solid #bbb;padding:3px 8px;text-align:left;font-size:13px}}td.n{{text-align:right}}code{{font-size:11px;word-break:break-all}}.big{{font-size:1.3em}}</style></head><body>",
        esc(org_name)
    );
    let _ = write!(
        s,
        "<h1>Data breach exposure summary: {}</h1>",
        esc(org_name)
    );
    let _ = write!(
        s,
        "<p>Generated {} by breachmatch {} (normalisation v{}), from a scan finished {}. Key fingerprint <code>{}</code>.</p>",
        esc(generated),
        esc(&m.version),
        m.normalize_version,
        esc(&m.finished),
        esc(&m.key_fingerprint)
    );
    let _ = write!(
        s,
        "<h2>In short</h2><p class=\"big\"><strong>{}</strong> {} appear in the scanned data ({} confirmed, {} probable and to be checked).</p><ul>",
        affected.len(),
        who(affected),
        f.confirmed,
        f.probable
    );
    for p in notification_points(m, affected, &f, ctx) {
        // Bold in the Markdown points: <strong> here, the rest escaped.
        let parts: Vec<String> = p.split("**").map(esc).collect();
        let mut li = String::new();
        for (i, part) in parts.iter().enumerate() {
            if i % 2 == 1 {
                let _ = write!(li, "<strong>{part}</strong>");
            } else {
                li.push_str(part);
            }
        }
        let _ = write!(s, "<li>{}</li>", li.replace('`', ""));
    }
    s.push_str("</ul>");
    if let Some(g) = group_sentence(affected) {
        let _ = write!(s, "<p>{}</p>", esc(&g));
    }
    let ns = not_searched(m);
    if !ns.is_empty() {
        let _ = write!(
            s,
            "<h2>Files not searched</h2><p>These files were recognised but could not be searched; check them by hand or convert them (OCR, unpack) and scan again.</p><ul>"
        );
        for (p, why) in &ns {
            let _ = write!(s, "<li><strong>{}</strong>: {}</li>", esc(p), esc(why));
        }
        let _ = write!(s, "</ul>");
    }
    let _ = write!(
        s,
        "<p>{} scanned, {} read, {} rejected.</p>",
        crate::results::count(m.files.len() as u64, "file"),
        crate::results::count(m.totals.rows_read, "row"),
        crate::results::count(m.totals.rejected_total(), "row")
    );
    s.push_str(&bar_chart_svg("Tenants exposed, by field", &f.by_field));
    s.push_str(&bar_chart_svg("Tenants by risk level", &f.by_risk));
    if !f.by_co.is_empty() {
        s.push_str(&bar_chart_svg(
            "Sensitive data found beside tenants' details",
            &f.by_co,
        ));
    }
    let _ = write!(
        s,
        "<h2>What was scanned</h2><table><tr><th>file</th><th>rows read</th><th>rejected</th><th>read in full</th><th>bytes</th><th>SHA-256</th></tr>"
    );
    for file in &m.files {
        let _ = write!(
            s,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td><td class=\"n\">{}</td><td><code>{}</code></td></tr>",
            esc(&file.path),
            file.stats.rows_read,
            file.stats.rejected_total(),
            if file.complete {
                "yes"
            } else {
                "<strong>no</strong>"
            },
            file.read.raw_bytes,
            esc(&file.read.sha256)
        );
    }
    s.push_str("</table><h2>What each file looks like</h2><table><tr><th>file</th><th>columns used</th><th>finding</th><th>tenants found</th><th>their fields in the file</th></tr>");
    for file in &m.files {
        let _ = write!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td>{}{}</td></tr>",
            esc(&file.path),
            esc(&file_roles(file)),
            esc(&file.provenance.finding),
            file.provenance.tenants,
            esc(&presence(file)),
            esc(&elsewhere(file))
        );
    }
    s.push_str("</table><h2>By source</h2><table><tr><th>file</th><th>tenants</th></tr>");
    for (k, n) in &f.by_source {
        let _ = write!(s, "<tr><td>{}</td><td class=\"n\">{n}</td></tr>", esc(k));
    }
    s.push_str("</table><h2>Rows rejected</h2><ul>");
    if m.totals.rows_rejected.is_empty() {
        s.push_str("<li>None.</li>");
    }
    for (k, n) in &m.totals.rows_rejected {
        let _ = write!(s, "<li>{}: {n}</li>", esc(k));
    }
    for file in m.files.iter().filter(|f| !f.complete) {
        let _ = write!(
            s,
            "<li><strong>{} was not read in full</strong>: {}</li>",
            esc(&file.path),
            esc(file.error.as_deref().unwrap_or("stopped"))
        );
    }
    s.push_str("</ul><h2>What this result does and does not show</h2><ul>");
    for c in CAVEATS {
        let _ = write!(s, "<li>{}</li>", esc(c));
    }
    s.push_str("</ul><h2>For the ICO personal data breach report (Art. 33)</h2><table>");
    for (k, t) in ico_items(m, affected, &f, ctx) {
        let _ = write!(s, "<tr><td>{}</td><td>{}</td></tr>", esc(&k), esc(&t));
    }
    s.push_str("</table><ul>");
    for (reason, n) in &f.not_notified {
        let _ = write!(s, "<li>{n} not notified: {}</li>", esc(reason));
    }
    s.push_str("</ul></body></html>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_from_a_leak_cannot_break_the_markdown() {
        assert_eq!(
            md("a|b <img src=x onerror=alert(1)>.csv\n`x`"),
            "a\\|b &lt;img src=x onerror=alert(1)&gt;.csv 'x'"
        );
    }

    #[test]
    fn chart_is_inline_svg_and_escaped() {
        let svg = bar_chart_svg("A <b>", &[("x&y".into(), 3), ("z".into(), 0)]);
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("A &lt;b&gt;") && svg.contains("x&amp;y"));
        assert_eq!(svg.matches("<rect").count(), 2);
    }
}
