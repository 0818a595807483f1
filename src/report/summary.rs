//! `summary.md` and a self-contained `summary.html` (inline SVG charts, no external scripts,
//! fonts or CDN): what was scanned, who is exposed by field, risk and source, what was
//! rejected, what the result does and does not show, and the figures the ICO's breach report
//! form asks for.

use super::Affected;
use super::policy::Risk;
use crate::keys::Field;
use crate::results::manifest::Manifest;
use std::collections::BTreeMap;
use std::fmt::Write as _;

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
        *not_notified.entry(a.decision.reason.clone()).or_default() += 1;
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

/// The categories of personal data for the ICO form: the tenants' fields, then what was found
/// beside them.
fn categories(f: &Figures) -> String {
    let fields: Vec<&str> = f.by_field.iter().map(|(k, _)| k.as_str()).collect();
    let co: Vec<&str> = f.by_co.iter().map(|(k, _)| k.as_str()).collect();
    if co.is_empty() {
        fields.join(", ")
    } else {
        format!(
            "{}; found beside them: {}",
            fields.join(", "),
            co.join(", ")
        )
    }
}

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

/// Renders the Markdown summary.
pub fn markdown(
    m: &Manifest,
    affected: &[Affected],
    (org_name, incident_date): (&str, &str),
    generated: &str,
) -> String {
    let f = figures(affected);
    let mut s = String::new();
    let _ = writeln!(s, "# Data breach exposure summary: {org_name}\n");
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
    let _ = writeln!(
        s,
        "- **{} {}** are at high risk and will be notified (UK GDPR Art. 34); {} are not notified, with reasons below.",
        f.notified,
        who(affected),
        affected.len() - f.notified
    );
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
            file.path,
            fmt,
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
            file.path,
            file.stats.rows_read,
            file_roles(file),
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
        let _ = writeln!(s, "| {k} | {n} |");
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
            file.path,
            file.error.as_deref().unwrap_or("stopped")
        );
    }
    let _ = writeln!(s, "\n## Files not searched\n");
    if ns.is_empty() {
        let _ = writeln!(s, "None.");
    }
    for (p, why) in &ns {
        let _ = writeln!(s, "- **{p}**: {why}");
    }
    let _ = writeln!(s, "\n## What this result does and does not show\n");
    for c in CAVEATS {
        let _ = writeln!(s, "- {c}");
    }
    let _ = writeln!(
        s,
        "\n## For the ICO personal data breach report (Art. 33)\n"
    );
    let _ = writeln!(s, "- Date of the incident (org.toml): {incident_date}.");
    let _ = writeln!(
        s,
        "- Approximate number of data subjects concerned: {} ({} confirmed, {} probable).",
        affected.len(),
        f.confirmed,
        f.probable
    );
    let _ = writeln!(
        s,
        "- Approximate number of personal data records concerned: {} rows holding a tenant's data ({} rows scanned).",
        records_concerned(m),
        m.totals.rows_scanned
    );
    let _ = writeln!(s, "- Categories of personal data: {}.", categories(&f));
    let _ = writeln!(
        s,
        "- Special category data: {} tenants (found by column headers only); criminal offence data: not searched for.",
        f.by_co
            .iter()
            .find(|(k, _)| k == "special category")
            .map_or(0, |(_, n)| *n)
    );
    let groups = by_group(affected);
    let _ = writeln!(
        s,
        "- Categories of data subjects: {}.",
        if groups.keys().all(|k| k == "tenant") {
            "tenants".to_string()
        } else {
            groups
                .iter()
                .map(|(k, (n, _))| format!("{} ({n})", if k == "tenant" { "tenants" } else { k }))
                .collect::<Vec<_>>()
                .join(", ")
        }
    );
    let _ = writeln!(s, "- Data subjects notified: {}.", f.notified);
    let _ = writeln!(s, "- Not notified: {}.", affected.len() - f.notified);
    for (reason, n) in &f.not_notified {
        let _ = writeln!(s, "  - {n}: {reason}");
    }
    s
}

/// Renders the self-contained HTML summary.
pub fn html(
    m: &Manifest,
    affected: &[Affected],
    (org_name, incident_date): (&str, &str),
    generated: &str,
) -> String {
    let f = figures(affected);
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
        "<h2>In short</h2><p class=\"big\"><strong>{}</strong> {} appear in the scanned data ({} confirmed, {} probable and to be checked). <strong>{}</strong> are at high risk and will be notified; {} are not notified.</p>",
        affected.len(),
        who(affected),
        f.confirmed,
        f.probable,
        f.notified,
        affected.len() - f.notified
    );
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
    let _ = write!(
        s,
        "</ul><h2>For the ICO personal data breach report (Art. 33)</h2><table>\
<tr><td>Date of the incident (org.toml)</td><td>{}</td></tr>\
<tr><td>Approximate number of data subjects</td><td>{} ({} confirmed, {} probable)</td></tr>\
<tr><td>Approximate number of records</td><td>{} rows holding a tenant's data ({} rows scanned)</td></tr>\
<tr><td>Categories of personal data</td><td>{}</td></tr>\
<tr><td>Special category data</td><td>{} tenants (found by column headers only); criminal offence data not searched for</td></tr>\
<tr><td>Categories of data subjects</td><td>tenants</td></tr>\
<tr><td>Notified</td><td>{}</td></tr><tr><td>Not notified</td><td>{}</td></tr></table><ul>",
        esc(incident_date),
        affected.len(),
        f.confirmed,
        f.probable,
        records_concerned(m),
        m.totals.rows_scanned,
        esc(&categories(&f)),
        f.by_co
            .iter()
            .find(|(k, _)| k == "special category")
            .map_or(0, |(_, n)| *n),
        f.notified,
        affected.len() - f.notified
    );
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
    fn chart_is_inline_svg_and_escaped() {
        let svg = bar_chart_svg("A <b>", &[("x&y".into(), 3), ("z".into(), 0)]);
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("A &lt;b&gt;") && svg.contains("x&amp;y"));
        assert_eq!(svg.matches("<rect").count(), 2);
    }
}
