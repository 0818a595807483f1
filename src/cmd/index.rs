//! `breachmatch index`: build a keyed tenant index that holds no plaintext.
//!
//! Reads the tenants file (CSV or Parquet), maps columns by header synonyms or a `--map` TOML,
//! normalises every field, and writes the `.bmx` index plus `<out>.rejects.csv` listing every
//! field that did not normalise (file line, tenant id, column, reason; never the value).
//!
//! Examples:
//!   breachmatch index --tenants sample_data/tenants.csv --key-file secret.key --out tenants.bmx
//!   breachmatch index --tenants tenants.parquet --map map.toml --key-file secret.key --out t.bmx

use super::{Exit, KeyArgs, ui::Ui};
use anyhow::Context;
use breachmatch::index::{self, BuildReport, Index};
use breachmatch::secret::DerivedKeys;
use breachmatch::tenants::{ColumnMap, read_tenants};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Arguments of `index`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The tenants file (CSV with a header, or Parquet).
    #[arg(long, value_name = "FILE")]
    pub tenants: PathBuf,
    /// A TOML file mapping headers to roles ([columns] "Header" = "role").
    #[arg(long, value_name = "FILE")]
    pub map: Option<PathBuf>,
    /// Key options.
    #[command(flatten)]
    pub key: KeyArgs,
    /// Where to write the index.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Bloom filter bits per key (24 gives about 1 false positive in 10,000).
    #[arg(long, default_value_t = breachmatch::index::bloom::DEFAULT_BITS_PER_KEY)]
    pub bloom_bits: u32,
    /// Replace an index already at --out.
    #[arg(long)]
    pub force: bool,
}

/// Runs `index`.
pub fn run(args: Args, ui: &Ui) -> anyhow::Result<Exit> {
    // An index handed to a partner, or built with another key, is not replaced by mistake.
    if args.out.exists() && !args.force {
        anyhow::bail!(
            "{} already exists; give --force to replace it, or choose another --out",
            args.out.display()
        );
    }
    let (secret, _) = args
        .key
        .load(ui)?
        .ok_or(breachmatch::secret::KeyError::Missing)?;
    let keys = secret.derive();
    let (idx, report, _) = build(
        &args.tenants,
        args.map.as_deref(),
        &keys,
        args.bloom_bits,
        ui,
    )?;
    index::format::write(&idx, &args.out)?;
    let rejects = rejects_path(&args.out);
    write_rejects(&rejects, &args.tenants, &report)?;
    ui.info(&format!(
        "wrote {} ({} tenants, {} keys, key fingerprint {}); field rejections in {}",
        args.out.display(),
        idx.header.tenants,
        idx.header.entries,
        idx.header.key_fingerprint,
        rejects.display()
    ));
    Ok(Exit::Ok)
}

/// Reads tenants and builds the index, printing counts.
pub fn build(
    tenants: &Path,
    map: Option<&Path>,
    keys: &DerivedKeys,
    bloom_bits: u32,
    ui: &Ui,
) -> anyhow::Result<(Index, BuildReport, breachmatch::tenants::TenantTable)> {
    let started = Instant::now();
    let map = match map {
        Some(p) => ColumnMap::from_file(p)?,
        None => ColumnMap::default(),
    };
    let table = read_tenants(tenants, &map)?;
    let mapped: Vec<String> = table
        .columns
        .iter()
        .filter(|(_, r)| *r != breachmatch::roles::Role::Other)
        .map(|(h, r)| format!("{h}={r}"))
        .collect();
    ui.info(&format!(
        "tenants file {}: columns {}",
        tenants.display(),
        mapped.join(", ")
    ));
    warn_unused_columns(&table, tenants, ui);
    let (idx, report) = index::build_index(&table, keys, bloom_bits);
    ui.info(&format!(
        "indexed {} tenants in {:.2}s: {} keys, Bloom {} bits (estimated false-positive rate {:.1e}); {} fields rejected, {} rows without tenant id, {} tenants with no usable key",
        report.tenants,
        started.elapsed().as_secs_f64(),
        idx.header.entries,
        idx.header.bloom_bits,
        idx.header.bloom_fpr,
        report.rejections.len(),
        report.rows_without_id.len(),
        report.tenants_without_keys.len()
    ));
    if !report.shared_identifiers.is_empty() {
        let examples: Vec<String> = report
            .shared_identifiers
            .iter()
            .take(5)
            .map(|v| format!("{} of {}", v.kind.as_str(), v.tenant_ids.join(" and ")))
            .collect();
        ui.warn(&format!(
            "{}: {} e-mail, phone, NI, bank or tenancy values are held by tenants of different homes (e.g. {}): a dump row matched by such a value alone is listed for review, not confirmed; check for placeholders typed in for several tenants (all listed in the rejects file)",
            tenants.display(),
            report.shared_identifiers.len(),
            examples.join("; ")
        ));
    }
    for line in &report.rows_without_id {
        ui.warn(&format!(
            "{}, line {line}: no tenant id; row skipped",
            tenants.display()
        ));
    }
    Ok((idx, report, table))
}

/// Warns about tenant columns that are not recognised (so neither matched on nor used in
/// letters), and about a file without names or addresses (letters would be blank there).
fn warn_unused_columns(table: &breachmatch::tenants::TenantTable, tenants: &Path, ui: &Ui) {
    use breachmatch::roles::Role;
    let unused: Vec<String> = table
        .columns
        .iter()
        .filter(|(h, r)| *r == Role::Other && !h.trim().is_empty())
        .map(|(h, _)| format!("{h:?}"))
        .collect();
    if !unused.is_empty() {
        ui.warn(&format!(
            "{}: column(s) {} not recognised, so not matched on nor used in letters; if one holds a tenant detail, say which in a --map file, e.g. [columns] {} = \"given_name\" (roles: title, given_name, surname, full_name, dob, address_line1, address_line2, town, postcode, email, phone, nino, sort_code, account_number, tenancy_ref)",
            tenants.display(),
            unused.join(", "),
            unused[0]
        ));
    }
    let has = |roles: &[Role]| table.columns.iter().any(|(_, r)| roles.contains(r));
    if !has(&[Role::FullName, Role::GivenName, Role::Surname]) {
        ui.warn(&format!(
            "{}: no name column recognised: tenants cannot be matched by name, and letters will have no name; map it in a --map file",
            tenants.display()
        ));
    }
    if !has(&[Role::AddressLine1, Role::AddressFull, Role::Postcode]) {
        ui.warn(&format!(
            "{}: no address or postcode column recognised: letters will have no postal address; map them in a --map file",
            tenants.display()
        ));
    }
}

/// `<index>.rejects.csv` beside the index.
pub fn rejects_path(out: &Path) -> PathBuf {
    let mut name = out
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".rejects.csv");
    out.with_file_name(name)
}

/// Writes the field rejections report.
pub fn write_rejects(path: &Path, tenants: &Path, report: &BuildReport) -> anyhow::Result<()> {
    let file = tenants.display().to_string();
    let rows = report
        .rejections
        .iter()
        .map(|r| {
            vec![
                file.clone(),
                r.line.to_string(),
                r.tenant_id.clone(),
                r.column.clone(),
                r.reason.clone(),
            ]
        })
        .chain(report.rows_without_id.iter().map(|l| {
            vec![
                file.clone(),
                l.to_string(),
                String::new(),
                String::new(),
                "no tenant id: row skipped".to_string(),
            ]
        }))
        .chain(report.shared_identifiers.iter().flat_map(|v| {
            let file = file.clone();
            v.tenant_ids.iter().map(move |id| {
                vec![
                    file.clone(),
                    String::new(),
                    id.clone(),
                    v.kind.as_str().to_string(),
                    format!(
                        "{} shared with {} other tenant(s): a match on it alone is for review",
                        v.kind.as_str(),
                        v.tenant_ids.len() - 1
                    ),
                ]
            })
        }))
        .chain(report.tenants_without_keys.iter().map(|id| {
            vec![
                file.clone(),
                String::new(),
                id.clone(),
                String::new(),
                "no usable match key: this tenant can never be found".to_string(),
            ]
        }));
    breachmatch::results::csv_safe::write_excel_csv(
        path,
        &["file", "line", "tenant_id", "column", "reason"],
        rows,
    )
    .with_context(|| format!("writing {}", path.display()))
}
