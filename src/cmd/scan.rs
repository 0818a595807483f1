//! `breachmatch scan`: scan dumps against an index, writing hits, exposures and a manifest.
//!
//! Needs only the index and the key, never the tenants file, so a partner who holds the dump
//! can run it. Inputs are files or directories (walked recursively, sorted), CSV/TSV/
//! pipe/semicolon text with or without header, JSON lines and combolists, plain, .gz or .zst.
//! A file that cannot be read is reported and the others are still scanned.
//!
//! Examples:
//!   breachmatch scan --index tenants.bmx --key-file secret.key --dumps leak/ --out results
//!   breachmatch scan --index t.bmx --key-file k --dumps a.csv --roles a.csv=3:email --out r

use super::{Exit, KeyArgs, parse_roles, ui::Ui};
use anyhow::Context;
use breachmatch::index::Index;
use breachmatch::results::{self, RunInfo};
use breachmatch::scan::{ScanOptions, scan_files};
use breachmatch::secret::DerivedKeys;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

/// Set by Ctrl-C: the scan stops at the next batch and says so.
pub static STOP: AtomicBool = AtomicBool::new(false);

/// Arguments of `scan`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The tenant index made by `breachmatch index`.
    #[arg(long, value_name = "FILE")]
    pub index: PathBuf,
    /// Key options.
    #[command(flatten)]
    pub key: KeyArgs,
    /// Scan options.
    #[command(flatten)]
    pub scan: ScanArgs,
}

/// Options shared by `scan` and `run`.
#[derive(Debug, Clone, clap::Args)]
pub struct ScanArgs {
    /// Dump files or directories.
    #[arg(long, value_name = "PATH", num_args = 1.., required = true)]
    pub dumps: Vec<PathBuf>,
    /// The results directory.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Matching threads (default: all cores). A reader thread runs beside them; with 1, one
    /// thread reads and matches in turn (one core in all)
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Override column roles: FILE=column:role,... (column = header name or 1-based number).
    #[arg(long, value_name = "FILE=COL:ROLE,...")]
    pub roles: Vec<String>,
    /// Replace results already in --out.
    #[arg(long)]
    pub force: bool,
    /// Most bytes to decompress from one .gz/.zst file (default: the larger of 1 GiB and 250
    /// times its compressed size, which stops decompression bombs).
    #[arg(long, value_name = "BYTES", default_value_t = 0)]
    pub max_decompressed: u64,
    /// Scan only part K of N (e.g. 2/4): plain files by byte range aligned to line starts,
    /// compressed files whole (file i goes to part i mod N + 1). Combine with `merge`.
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    pub shard: Option<(u64, u64)>,
    /// Documents (Word, PDF, e-mail, text): a date of birth, postcode or address within this
    /// many words of a name is combined with it into one match; values further apart in the
    /// same paragraph or page count as probable at most.
    #[arg(long, value_name = "WORDS", default_value_t = breachmatch::scan::documents::DEFAULT_TEXT_WINDOW)]
    pub text_window: usize,
}

fn parse_shard(s: &str) -> Result<(u64, u64), String> {
    let (k, n) = s.split_once('/').ok_or("expected K/N, e.g. 2/4")?;
    let k: u64 = k.trim().parse().map_err(|_| "K must be a number")?;
    let n: u64 = n.trim().parse().map_err(|_| "N must be a number")?;
    if n == 0 || k == 0 || k > n {
        return Err(format!("shard {k}/{n}: K must be from 1 to N"));
    }
    Ok((k, n))
}

/// Runs `scan`.
pub fn run(args: Args, ui: &Ui) -> anyhow::Result<Exit> {
    let (secret, key_source) = args
        .key
        .load(ui)?
        .ok_or(breachmatch::secret::KeyError::Missing)?;
    let keys = secret.derive();
    let started = std::time::Instant::now();
    let index = breachmatch::index::format::read(&args.index, &keys)?;
    ui.info(&format!(
        "loaded index {} ({} tenants) in {:.2}s",
        args.index.display(),
        index.header.tenants,
        started.elapsed().as_secs_f64()
    ));
    let own = [args.index.as_path()]
        .into_iter()
        .chain(args.key.key_file.as_deref())
        .collect::<Vec<_>>();
    execute(
        index,
        &keys,
        key_source,
        &args.scan,
        &own,
        results::Who::Tenants,
        ui,
    )
}

/// Scans and writes results; shared by `scan` and `run`. The index's lookup tables are freed
/// once the scan is done, so writing results does not add to the scan's memory. Files in
/// `own` (the tool's own inputs: tenants, key, index) and in the results folder are not
/// scanned, with a warning. `who` words the last line (tenants, or people of several groups).
pub fn execute(
    index: Index,
    keys: &DerivedKeys,
    key_source: String,
    args: &ScanArgs,
    own: &[&Path],
    who: results::Who,
    ui: &Ui,
) -> anyhow::Result<Exit> {
    let started = jiff::Timestamp::now();
    let mut opts = ScanOptions::default()
        .with_threads(args.threads)
        .with_max_decompressed(args.max_decompressed)
        .with_shard(args.shard)
        .with_text_window(args.text_window);
    let overrides = parse_roles(&args.roles)?;
    for (file, roles) in overrides.iter().cloned() {
        opts = opts.with_roles(file, roles);
    }
    // A wrong --dumps path fails before anything is written.
    let files = breachmatch::dump::expand_inputs(&args.dumps)
        .map_err(|(p, e)| anyhow::anyhow!("{}: {e}", p.display()))?;
    results::prepare_out_dir(&args.out, args.force)?;
    let own: Vec<&Path> = own.iter().copied().chain([args.out.as_path()]).collect();
    let (files, left_out) = breachmatch::dump::leave_out_own(files, &own);
    for f in left_out.iter().take(5) {
        ui.warn(&format!(
            "{}: not scanned: it is this run's own tenants, key or index file, or inside the results folder (--out)",
            f.display()
        ));
    }
    if left_out.len() > 5 {
        ui.warn(&format!(
            "{} more of this run's own files not scanned (see above)",
            left_out.len() - 5
        ));
    }
    // The same file given twice (or inside a folder also given) would count twice.
    let mut seen = std::collections::HashSet::new();
    let files: Vec<PathBuf> = files
        .into_iter()
        .filter(|f| {
            let first = seen.insert(fs_err::canonicalize(f).unwrap_or_else(|_| f.clone()));
            if !first {
                ui.warn(&format!(
                    "{}: given more than once; scanned once",
                    f.display()
                ));
            }
            first
        })
        .collect();
    if files.is_empty() {
        anyhow::bail!("no dump files found in {:?}", args.dumps);
    }
    for (file, _) in &overrides {
        let named =
            |f: &PathBuf| f.file_name().is_some_and(|n| n == file.as_str()) || f == Path::new(file);
        // Members of archives and e-mails are named inside them: not known yet.
        let holders = files.iter().any(|f| {
            let n = f.to_string_lossy().to_ascii_lowercase();
            [
                ".zip", ".7z", ".tar", ".tgz", ".tar.gz", ".eml", ".msg", ".mbox",
            ]
            .iter()
            .any(|e| n.ends_with(e))
        });
        if !holders && !files.iter().any(named) {
            ui.warn(&format!(
                "--roles {file}: no dump of that name among the files scanned; those roles are not used"
            ));
        }
    }
    let total: u64 = files
        .iter()
        .map(|f| fs_err::metadata(f).map(|m| m.len()).unwrap_or(0))
        .sum();
    let bar = ui.scan_progress(total);
    let scan = scan_files(&index, keys, &files, &opts, &bar, &STOP);
    bar.finish();
    let index = index.into_results_only();
    let info = RunInfo {
        arguments: std::env::args().collect(),
        key_source,
        threads: opts.threads,
        started,
        shard: args
            .shard
            .map(|(part, of)| breachmatch::results::manifest::Shard {
                part,
                of,
                inputs: files.iter().map(|f| f.display().to_string()).collect(),
            }),
        missing: Vec::new(),
    };
    let (manifest, _) = results::write_results(&args.out, &index, &scan, &info)
        .with_context(|| format!("writing results to {}", args.out.display()))?;
    print_summary(&manifest, &args.out, who, ui);
    let interrupted = manifest.files.iter().any(|f| f.read.stopped)
        || STOP.load(std::sync::atomic::Ordering::Relaxed);
    Ok(if interrupted {
        ui.warn("interrupted: the results cover only what was read before the stop (manifest.json says complete: false)");
        Exit::Interrupted
    } else if manifest.files.iter().any(|f| !f.complete) || ui.errored() {
        Exit::Partial
    } else {
        Exit::Ok
    })
}

#[allow(clippy::print_stdout)]
fn print_summary(m: &results::manifest::Manifest, out: &Path, who: results::Who, ui: &Ui) {
    let t = &m.totals;
    ui.info(&format!(
        "read {} in {}: {} scanned, {} rejected; {} matched a tenant, {} of them holding a tenant's data (the others: namesakes, households); Bloom: {} positives, {} false",
        results::count(t.rows_read, "row"),
        results::count(m.files.len() as u64, "file"),
        t.rows_scanned,
        t.rejected_total(),
        results::count(t.rows_matched, "row"),
        t.rows_exposing,
        t.bloom_positives,
        t.bloom_false_positives
    ));
    for f in m.files.iter().filter(|f| f.not_searched.is_some()) {
        ui.warn(&format!(
            "{}: not searched: {}",
            f.path,
            f.not_searched.as_deref().unwrap_or("")
        ));
    }
    for f in m
        .files
        .iter()
        .filter(|f| !f.complete && f.not_searched.is_none())
    {
        ui.warn(&format!(
            "{}: not read in full: {}",
            f.path,
            f.error.as_deref().unwrap_or("stopped")
        ));
    }
    println!("{}", results::summary_line(m, out, who));
}
