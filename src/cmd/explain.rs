//! `breachmatch explain`: why a dump row did or did not match a tenant, or every hit of one
//! tenant with its evidence.
//!
//! With `--tenants --tenant-id --dump --line` it shows the tenant's normalised fields and keys
//! beside the row's (with the column roles the sniffer gave the file), each key met or not,
//! each field exposed / differs / absent, and the decision. Values are shown (this runs at the
//! landlord); `--redact` masks them for sharing. With `--results --tenant-id` it lists the
//! tenant's hits from a results folder.
//!
//! Examples:
//!   breachmatch explain --tenants sample_data/tenants.csv --tenant-id T000042 \
//!       --dump sample_data/dumps/crm_export.csv --line 812
//!   breachmatch explain --results results --tenant-id T000042

use super::{Exit, parse_roles, ui::Ui};
use anyhow::{Context, bail};
use breachmatch::dump::decode::{Cells, Decoder};
use breachmatch::dump::reader::read_file;
use breachmatch::explain::{explain, redact};
use breachmatch::tenants::{ColumnMap, read_tenants};
use std::fmt::Write as _;
use std::path::PathBuf;

/// Arguments of `explain`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The tenant id.
    #[arg(long, value_name = "ID")]
    pub tenant_id: String,
    /// The tenants file (with --dump and --line).
    #[arg(long, value_name = "FILE", requires_all = ["dump", "line"], conflicts_with = "results")]
    pub tenants: Option<PathBuf>,
    /// Column map for the tenants file.
    #[arg(long, value_name = "FILE")]
    pub map: Option<PathBuf>,
    /// The dump file holding the row.
    #[arg(long, value_name = "FILE")]
    pub dump: Option<PathBuf>,
    /// The row's line number (as in hits.parquet, review.csv).
    #[arg(long)]
    pub line: Option<u64>,
    /// Override the dump's column roles: FILE=column:role,...
    #[arg(long, value_name = "FILE=COL:ROLE,...")]
    pub roles: Vec<String>,
    /// A results folder: list this tenant's hits instead.
    #[arg(long, value_name = "DIR")]
    pub results: Option<PathBuf>,
    /// Mask values (first letter of each word kept) so the output can be shared.
    #[arg(long)]
    pub redact: bool,
}

/// Runs `explain`.
#[allow(clippy::print_stdout)]
pub fn run(args: Args, ui: &Ui) -> anyhow::Result<Exit> {
    let text = match (&args.results, &args.tenants) {
        (Some(dir), _) => {
            // A folder without a manifest is no finished result (a scan killed midway).
            let manifest = breachmatch::results::read_manifest(dir)?;
            super::warn_if_incomplete(&manifest, dir, ui);
            explain_results(dir, &args.tenant_id)?
        }
        (None, Some(t)) => explain_row(&args, t)?,
        (None, None) => bail!("give --results DIR, or --tenants FILE --dump FILE --line N"),
    };
    print!("{text}");
    Ok(Exit::Ok)
}

fn explain_row(args: &Args, tenants: &std::path::Path) -> anyhow::Result<String> {
    let dump = args
        .dump
        .as_ref()
        .context("--dump is required with --tenants")?;
    let line = args.line.context("--line is required with --tenants")?;
    let map = match &args.map {
        Some(p) => ColumnMap::from_file(p)?,
        None => ColumnMap::default(),
    };
    let table = read_tenants(tenants, &map)?;
    let tenant = table
        .rows
        .iter()
        .find(|r| r.id == args.tenant_id)
        .with_context(|| format!("no tenant {:?} in {}", args.tenant_id, tenants.display()))?;
    if let Some(kind) = breachmatch::scan::document_kind(dump) {
        anyhow::bail!(
            "{} is a {} (a document, not a dump): row-by-row explanation works on dumps; use `explain --results DIR --tenant-id {}` to see where in it the tenant matched (sheet and row, table and line, page or paragraph)",
            dump.display(),
            kind.as_str().replace('_', " "),
            args.tenant_id
        );
    }
    let mut layout = breachmatch::dump::sniff_file(dump)?;
    let name = dump.file_name().and_then(|n| n.to_str()).unwrap_or("");
    for (f, roles) in parse_roles(&args.roles)? {
        if f == name || std::path::Path::new(&f) == dump.as_path() {
            layout.apply_overrides(&roles).map_err(anyhow::Error::msg)?;
        }
    }
    let decoder = Decoder::new(&layout);
    let mut found: Option<Result<Vec<(breachmatch::roles::Role, String)>, String>> = None;
    let outcome = read_file(
        dump,
        0,
        &layout,
        || None,
        |batch| {
            for (rec, pos) in batch.recs[..batch.len].iter().zip(&batch.pos) {
                if pos.line == line {
                    let mut cells = Cells::default();
                    found = Some(
                        decoder
                            .decode(rec, &mut cells)
                            .map(|()| cells.iter().map(|(r, v)| (r, v.to_string())).collect())
                            .map_err(|e| e.to_string()),
                    );
                    return false;
                }
            }
            true
        },
        |_| {},
    );
    let cells = match found {
        Some(Ok(c)) => c,
        Some(Err(e)) => bail!(
            "{}, line {line}: the row could not be read: {e}",
            dump.display()
        ),
        None => bail!(
            "{}: no row starts at line {line} ({} rows read{})",
            dump.display(),
            outcome.rows,
            outcome.error.map(|e| format!("; {e}")).unwrap_or_default()
        ),
    };
    let show = |v: &str| {
        if args.redact {
            redact(v)
        } else {
            v.to_string()
        }
    };
    let e = explain(
        tenant.cells.iter().map(|(_, r, v)| (*r, v.as_str())),
        cells.iter().map(|(r, v)| (*r, v.as_str())),
    );
    let mut out = String::new();
    writeln!(
        out,
        "Tenant {} ({} line {}) against {} line {line}",
        tenant.id,
        tenants.display(),
        tenant.line,
        dump.display()
    )?;
    let roles: Vec<String> = layout
        .columns
        .iter()
        .map(|c| format!("{}={} ({})", c.name, c.role, c.evidence))
        .collect();
    writeln!(
        out,
        "Dump read as {}; columns: {}",
        layout.describe(),
        roles.join(", ")
    )?;
    writeln!(
        out,
        "\n{:<12} {:<34} {:<34} status",
        "field", "tenant (normalised)", "row (normalised)"
    )?;
    for (f, tv, rv, st) in &e.fields {
        let j = |v: &Vec<String>| {
            if v.is_empty() {
                "-".to_string()
            } else {
                v.iter().map(|x| show(x)).collect::<Vec<_>>().join(" / ")
            }
        };
        writeln!(
            out,
            "{:<12} {:<34} {:<34} {}",
            f.as_str(),
            j(tv),
            j(rv),
            st.as_str()
        )?;
    }
    writeln!(out, "\nkeys:")?;
    for (k, met) in &e.keys {
        writeln!(
            out,
            "  {:<22} {}",
            k.as_str(),
            if *met { "met" } else { "not met" }
        )?;
    }
    writeln!(out, "\nDecision: {}", e.sentence)?;
    Ok(out)
}

fn explain_results(dir: &std::path::Path, id: &str) -> anyhow::Result<String> {
    let df = breachmatch::results::hits::read_parquet(&dir.join("hits.parquet"))
        .with_context(|| format!("reading {}", dir.join("hits.parquet").display()))?;
    let s = |n: &str| -> anyhow::Result<_> { Ok(df.column(n)?.str()?.clone()) };
    let (tenant, source, keys, fields, conf) = (
        s("tenant_id")?,
        s("source")?,
        s("key_kinds")?,
        s("fields")?,
        s("confidence")?,
    );
    let line = df.column("line")?.u64()?.clone();
    let offset = df.column("byte_offset")?.u64()?.clone();
    // Results written before documents were scanned have no location column.
    let loc = df
        .column("location")
        .ok()
        .and_then(|c| c.str().ok().cloned());
    let mut out = String::new();
    let mut n = 0;
    for i in 0..df.height() {
        if tenant.get(i) != Some(id) {
            continue;
        }
        n += 1;
        let location = loc.as_ref().and_then(|l| l.get(i)).unwrap_or("");
        let place = if location.is_empty() {
            format!(
                "{} line {} (byte {})",
                source.get(i).unwrap_or(""),
                line.get(i).unwrap_or(0),
                offset.get(i).unwrap_or(0)
            )
        } else {
            breachmatch::results::hits::pointer(
                source.get(i).unwrap_or(""),
                line.get(i).unwrap_or(0),
                location,
            )
        };
        writeln!(
            out,
            "{place}: {}; keys {}; fields {}",
            conf.get(i).unwrap_or(""),
            keys.get(i).unwrap_or(""),
            fields.get(i).unwrap_or("")
        )?;
    }
    if n == 0 {
        writeln!(
            out,
            "No hits for tenant {id} in {}: not found in the data scanned (check the id's spelling: the results cannot tell an id that is not in the index).",
            dir.display()
        )?;
    } else {
        out.insert_str(
            0,
            &format!("{n} hits for tenant {id} in {}:\n", dir.display()),
        );
    }
    Ok(out)
}
