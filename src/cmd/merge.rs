//! `breachmatch merge`: combine partial results (shards scanned on several machines with the
//! same index and key) into one results folder, as if one scan had read everything.
//!
//! Hits are unioned, per-file counts summed and inputs listed once; exposures, review and the
//! manifest are written again. Needs neither the key nor the index. The parts are plain
//! Parquet, so DuckDB can union them too:
//! `SELECT * FROM read_parquet('part*/hits.parquet')`.
//!
//! Examples:
//!   breachmatch scan --shard 1/4 --index t.bmx --key-file k --dumps leak.csv --out part1
//!   ... (parts 2 to 4 elsewhere) ...
//!   breachmatch merge --out results part1 part2 part3 part4

use super::{Exit, ui::Ui};
use anyhow::Context;
use breachmatch::results::{self, RunInfo};
use std::path::PathBuf;

/// Arguments of `merge`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Results folders to combine.
    #[arg(required = true, num_args = 1..)]
    pub parts: Vec<PathBuf>,
    /// The combined results folder.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Replace results already in --out.
    #[arg(long)]
    pub force: bool,
    /// Merge although some shards (`scan --shard K/N`) are missing; the result is marked
    /// incomplete and names them.
    #[arg(long)]
    pub partial: bool,
}

/// Runs `merge`.
#[allow(clippy::print_stdout)]
pub fn run(args: Args, ui: &Ui) -> anyhow::Result<Exit> {
    let started = jiff::Timestamp::now();
    let parts: Vec<&std::path::Path> = args.parts.iter().map(PathBuf::as_path).collect();
    let first = results::read_manifest(parts[0])?;
    let info = RunInfo {
        arguments: std::env::args().collect(),
        key_source: format!("merged from {} parts (key not needed)", parts.len()),
        threads: first.threads,
        started,
        shard: None,
        missing: Vec::new(),
    };
    let m = results::merge::merge(&parts, &args.out, &info, args.partial, args.force)
        .with_context(|| format!("merging into {}", args.out.display()))?;
    ui.info(&format!(
        "merged {} parts: {} files, {} rows read",
        parts.len(),
        m.files.len(),
        m.totals.rows_read
    ));
    println!(
        "{}",
        results::summary_line(&m, &args.out, results::Who::Tenants)
    );
    if !m.missing.is_empty() {
        ui.warn(&format!(
            "{} missing: these results lack their rows (manifest.json says complete: false)",
            m.missing.join(", ")
        ));
        return Ok(Exit::Partial);
    }
    Ok(if m.files.iter().all(|f| f.complete) {
        Exit::Ok
    } else {
        Exit::Partial
    })
}
