//! `breachmatch run`: the main job in one command: index the tenants, scan the dumps, write
//! the results and the report (affected list, decisions, summary; letters with `--org`).
//!
//! With no key given it makes a fresh random key in memory for this run only (never written):
//! the results are complete in themselves. Give `--key-file` to reuse an index or share it.
//!
//! Examples:
//!   breachmatch run --tenants sample_data/tenants.csv --dumps sample_data/dumps \
//!       --org sample_data/org.toml --out results
//!   breachmatch run --tenants t.csv --map map.toml --dumps leak.csv.gz --out r --force

use super::{Exit, KeyArgs, scan::ScanArgs, ui::Ui};
use breachmatch::secret::Secret;
use std::path::PathBuf;

/// Arguments of `run`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The tenants file (CSV with a header, or Parquet).
    #[arg(long, value_name = "FILE")]
    pub tenants: PathBuf,
    /// A TOML file mapping tenant headers to roles.
    #[arg(long, value_name = "FILE")]
    pub map: Option<PathBuf>,
    /// Key options (optional here).
    #[command(flatten)]
    pub key: KeyArgs,
    /// Scan options.
    #[command(flatten)]
    pub scan: ScanArgs,
    /// Report options.
    #[command(flatten)]
    pub report: super::report::ReportArgs,
}

/// Runs `run`.
pub fn run(args: Args, ui: &Ui) -> anyhow::Result<Exit> {
    // A mistake in the report's inputs or a wrong --dumps path is found now, before anything
    // is written and not after a long scan.
    let report = args.report.load()?;
    breachmatch::dump::expand_inputs(&args.scan.dumps)
        .map_err(|(p, e)| anyhow::anyhow!("{}: {e}", p.display()))?;
    let (secret, key_source) = match args.key.load(ui)? {
        Some(k) => k,
        None => (
            Secret::random(),
            "generated for this run (not stored)".to_string(),
        ),
    };
    let keys = secret.derive();
    let (index, rejects, table) = super::index::build(
        &args.tenants,
        args.map.as_deref(),
        &keys,
        breachmatch::index::bloom::DEFAULT_BITS_PER_KEY,
        ui,
    )?;
    breachmatch::results::prepare_out_dir(&args.scan.out, args.scan.force)?;
    super::index::write_rejects(
        &args.scan.out.join("tenant_rejects.csv"),
        &args.tenants,
        &rejects,
    )?;
    let own = [args.tenants.as_path()]
        .into_iter()
        .chain(args.map.as_deref())
        .chain(args.key.key_file.as_deref())
        .chain(args.report.org.as_deref())
        .collect::<Vec<_>>();
    // With staff (or another group) in the people file, the scan's last line counts people;
    // the report's line then gives each group.
    let who = if table
        .rows
        .iter()
        .any(|r| breachmatch::report::group_of(Some(r)) != "tenant")
    {
        breachmatch::results::Who::People
    } else {
        breachmatch::results::Who::Tenants
    };
    let exit = super::scan::execute(index, &keys, key_source, &args.scan, &own, who, ui)?;
    if exit != Exit::Interrupted {
        super::report::execute(&args.scan.out, &table, &report, &args.scan.out, ui)?;
    }
    Ok(exit)
}
