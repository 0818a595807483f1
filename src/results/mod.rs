//! Results of a scan, as files: data only. Reports read these; never the reverse.
//!
//! A results directory holds `hits.parquet`, `exposures.csv` + `exposures.parquet`,
//! `review.csv`, `rejected_rows.csv` and, written last, `manifest.json`.

pub mod atomic;
pub mod csv_safe;
pub mod exposure;
pub mod hits;
pub mod manifest;
pub mod merge;
pub mod publish;

use crate::index::Index;
use crate::keys::Field;
use crate::scan::{Confidence, ScanResult};
use exposure::Exposure;
use manifest::{FileEntry, Manifest, Outcome};
use std::path::{Path, PathBuf};

/// Errors writing results.
#[derive(Debug, thiserror::Error)]
pub enum ResultsError {
    /// I/O.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        #[source]
        source: std::io::Error,
    },
    /// polars failed.
    #[error("building {what}: {message}")]
    Polars {
        /// Which table.
        what: &'static str,
        /// The error.
        message: String,
    },
    /// The output directory holds a finished result.
    #[error(
        "{path} already holds results (manifest.json); use --force to replace them, or choose another --out"
    )]
    Exists {
        /// The directory.
        path: PathBuf,
    },
}

/// Name of the manifest in a results directory.
pub const MANIFEST: &str = "manifest.json";

/// Prepares an output directory: creates it, refuses to overwrite a finished result unless
/// `force`, and removes an old manifest first so the directory never looks complete while
/// being rewritten.
pub fn prepare_out_dir(out: &Path, force: bool) -> Result<(), ResultsError> {
    let io = |source| ResultsError::Io {
        path: out.to_path_buf(),
        source,
    };
    let manifest = out.join(MANIFEST);
    if manifest.exists() {
        if !force {
            return Err(ResultsError::Exists {
                path: out.to_path_buf(),
            });
        }
        fs_err::remove_file(&manifest).map_err(io)?;
        remove_outputs(out, is_scan_output).map_err(io)?;
        publish::remove_listed(out).map_err(io)?;
    }
    fs_err::create_dir_all(out).map_err(io)
}

/// Whether a file name in a results folder is one that `scan` or `merge` writes.
fn is_scan_output(name: &str) -> bool {
    matches!(
        name,
        "hits.parquet"
            | "exposures.csv"
            | "exposures.parquet"
            | "review.csv"
            | "rejected_rows.csv"
            | "not_searched.csv"
            | "tenant_rejects.csv"
    )
}

/// Removes the files in `dir` whose names `is_ours` picks, so that results written there anew
/// never sit beside older ones that look current. Other files are left alone.
pub fn remove_outputs(dir: &Path, is_ours: impl Fn(&str) -> bool) -> std::io::Result<()> {
    let Ok(entries) = fs_err::read_dir(dir) else {
        return Ok(());
    };
    for e in entries {
        let e = e?;
        if e.file_type()?.is_file() && e.file_name().to_str().is_some_and(&is_ours) {
            fs_err::remove_file(e.path())?;
        }
    }
    Ok(())
}

/// What [`write_results`] needs besides the scan.
#[derive(Debug, Clone)]
pub struct RunInfo {
    /// Command line, key-free.
    pub arguments: Vec<String>,
    /// Where the key came from.
    pub key_source: String,
    /// Threads used.
    pub threads: usize,
    /// Start time.
    pub started: jiff::Timestamp,
    /// For `scan --shard K/N`: which part of the scan this is.
    pub shard: Option<manifest::Shard>,
    /// Parts known to be missing (a merge of some shards only): the result is not complete.
    pub missing: Vec<String>,
}

/// Writes every result file, then the manifest. Returns the manifest and the exposures.
pub fn write_results(
    out: &Path,
    index: &Index,
    scan: &ScanResult,
    info: &RunInfo,
) -> Result<(Manifest, Vec<Exposure>), ResultsError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ResultsError::Io { path, source }
    };
    let polars = |what: &'static str| {
        move |e: polars::prelude::PolarsError| ResultsError::Polars {
            what,
            message: e.to_string(),
        }
    };
    let sources: Vec<String> = scan
        .files
        .iter()
        .map(|f| f.path.display().to_string())
        .collect();
    let mut outputs = Vec::new();

    let mut hits_df =
        hits::hits_frame(index, &sources, &scan.locations, &scan.hits).map_err(polars("hits"))?;
    let p = out.join("hits.parquet");
    hits::write_parquet(&mut hits_df, &p).map_err(io(&p))?;
    outputs.push("hits.parquet".to_string());

    let exps = exposure::exposures(index, &sources, &scan.hits).map_err(polars("exposures"))?;
    let p = out.join("exposures.csv");
    let cols = exposure::exposure_columns();
    let col_refs: Vec<&str> = cols.iter().map(String::as_str).collect();
    csv_safe::write_excel_csv(&p, &col_refs, exposure::exposure_rows(&exps)).map_err(io(&p))?;
    outputs.push("exposures.csv".to_string());
    let mut exp_df = exposure::exposure_frame(&exps).map_err(polars("exposures"))?;
    let p = out.join("exposures.parquet");
    hits::write_parquet(&mut exp_df, &p).map_err(io(&p))?;
    outputs.push("exposures.parquet".to_string());

    let review: Vec<Vec<String>> = scan
        .hits
        .iter()
        .filter(|h| h.confidence != Confidence::Confirmed)
        .map(|h| {
            vec![
                index.tenants[h.tenant as usize].id.clone(),
                h.confidence.as_str().to_string(),
                sources[h.file as usize].clone(),
                h.line.to_string(),
                scan.locations
                    .get(h.loc as usize)
                    .cloned()
                    .unwrap_or_default(),
                h.offset.to_string(),
                h.keys.join(),
                h.fields.join(),
                review_reason(h.confidence, h.keys).to_string(),
            ]
        })
        .collect();
    let p = out.join("review.csv");
    let review_rows = review.len() as u64;
    csv_safe::write_excel_csv(
        &p,
        &[
            "tenant_id",
            "confidence",
            "source",
            "line",
            "location",
            "byte_offset",
            "key_kinds",
            "fields",
            "why",
        ],
        review,
    )
    .map_err(io(&p))?;
    outputs.push("review.csv".to_string());

    let rejected = scan.files.iter().flat_map(|f| {
        let path = f.path.display().to_string();
        let file_level = f
            .error
            .iter()
            .chain(f.read.error.iter())
            .map(move |e| vec![f.path.display().to_string(), String::new(), e.clone()])
            .collect::<Vec<_>>();
        file_level.into_iter().chain(
            f.stats
                .rejected_examples
                .iter()
                .map(move |(line, why)| vec![path.clone(), line.to_string(), why.clone()]),
        )
    });
    let p = out.join("rejected_rows.csv");
    csv_safe::write_excel_csv(&p, &["source", "line", "reason"], rejected).map_err(io(&p))?;
    outputs.push("rejected_rows.csv".to_string());

    // Files (and archive members, attachments) that were recognised but could not be
    // searched: listed, never silently skipped.
    let unsearched = scan.files.iter().filter_map(|f| {
        f.not_searched.as_ref().map(|why| {
            let path = f.path.display().to_string();
            // The document's kind; for a file that could not even be opened (an encrypted
            // archive member), its name's extension.
            let kind = match &f.document {
                Some(d) => d.kind.as_str().to_string(),
                None => extension(&path),
            };
            vec![path, kind, why.clone()]
        })
    });
    let p = out.join("not_searched.csv");
    csv_safe::write_excel_csv(&p, &["source", "kind", "reason"], unsearched).map_err(io(&p))?;
    outputs.push("not_searched.csv".to_string());

    let mut files: Vec<FileEntry> = scan.files.iter().map(FileEntry::from).collect();
    add_provenance(&mut files, scan);
    let mut outcome = Outcome::default();
    for e in &exps {
        match e.confidence {
            Confidence::Confirmed => outcome.tenants_confirmed += 1,
            _ => outcome.tenants_probable += 1,
        }
        for f in &e.fields {
            *outcome
                .tenants_by_field
                .entry(f.as_str().to_string())
                .or_default() += 1;
        }
    }
    outcome.review_rows = review_rows;
    let finished = jiff::Timestamp::now();
    let manifest = Manifest {
        tool: "breachmatch".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        normalize_version: crate::normalize::NORMALIZE_VERSION,
        complete: scan.files.iter().all(|f| !f.read.stopped) && info.missing.is_empty(),
        shard: info.shard.clone(),
        missing: info.missing.clone(),
        started: info.started.to_string(),
        finished: finished.to_string(),
        elapsed_ms: finished.duration_since(info.started).as_millis().max(0) as u64,
        arguments: info.arguments.clone(),
        key_source: info.key_source.clone(),
        key_fingerprint: index.header.key_fingerprint.clone(),
        index: index.header.clone(),
        threads: info.threads,
        files,
        totals: scan.totals.clone(),
        outcome,
        outputs,
    };
    let p = out.join(MANIFEST);
    let json = serde_json::to_vec_pretty(&manifest).map_err(|e| ResultsError::Io {
        path: p.clone(),
        source: std::io::Error::other(e),
    })?;
    atomic::write_bytes(&p, &json).map_err(io(&p))?;
    Ok((manifest, exps))
}

/// Share of rows under which a dump "does not look like our tenant data".
pub const LOW_OVERLAP: f64 = 0.0001;

fn add_provenance(files: &mut [FileEntry], scan: &ScanResult) {
    use std::collections::{BTreeMap, BTreeSet};
    let mut per_file: Vec<BTreeMap<u32, crate::keys::FieldSet>> =
        vec![BTreeMap::new(); files.len()];
    for h in scan.hits.iter().filter(|h| h.confidence.is_exposure()) {
        if let Some(m) = per_file.get_mut(h.file as usize) {
            let e = m.entry(h.tenant).or_default();
            e.0 |= h.fields.0;
        }
    }
    let mut fp_files: BTreeMap<u64, BTreeSet<u32>> = BTreeMap::new();
    // Distinct rows per file, by (line, fingerprint): one pass over the hits, not one per file.
    let mut rows_per_file: Vec<BTreeSet<(u64, u64)>> = vec![BTreeSet::new(); files.len()];
    for h in &scan.hits {
        fp_files.entry(h.row_fp).or_default().insert(h.file);
        if let Some(rows) = rows_per_file.get_mut(h.file as usize) {
            rows.insert((h.line, h.row_fp));
        }
    }
    let mut seen_in: BTreeMap<u32, BTreeSet<usize>> = BTreeMap::new();
    for (i, m) in per_file.iter().enumerate() {
        for t in m.keys() {
            seen_in.entry(*t).or_default().insert(i);
        }
    }
    for (i, f) in files.iter_mut().enumerate() {
        let m = &per_file[i];
        let p = &mut f.provenance;
        p.match_share = if f.stats.rows_scanned > 0 {
            f.stats.rows_matched as f64 / f.stats.rows_scanned as f64
        } else {
            0.0
        };
        p.tenants = m.len() as u64;
        for fields in m.values() {
            for field in fields.iter() {
                *p.field_presence
                    .entry(field.as_str().to_string())
                    .or_default() += 1;
            }
        }
        p.tenants_also_elsewhere = m.keys().filter(|t| seen_in[t].len() > 1).count() as u64;
        p.duplicate_rows_elsewhere = rows_per_file[i]
            .iter()
            .filter(|(_, fp)| fp_files.get(fp).is_some_and(|f| f.len() > 1))
            .count() as u64;
        p.finding = if f.stats.rows_scanned == 0 {
            "no rows could be scanned".into()
        } else if m.is_empty() {
            "no tenant found: this dump does not look like our tenant data".into()
        } else if p.match_share < LOW_OVERLAP {
            format!(
                "near-zero overlap ({:.4}% of rows match a tenant): this dump does not look like our tenant data",
                p.match_share * 100.0
            )
        } else {
            format!("{:.2}% of rows match a tenant", p.match_share * 100.0)
        };
    }
}

fn review_reason(c: Confidence, keys: crate::keys::KeySet) -> &'static str {
    match c {
        Confidence::Probable if keys.has_identifier() => {
            "matched by a value another tenant also holds (a shared or placeholder e-mail, phone, NI number or bank account), and the row holds nothing else that tells them apart: check whose it is before notifying"
        }
        Confidence::Probable => {
            "a name key matched, but the row neither confirms nor rules out the tenant (nothing else agrees; or a different first name with the same surname, date of birth and postcode; or the same address with a different e-mail or phone; or another tenant matches the row as well, such as a father and son of one name at one address): check before notifying"
        }
        Confidence::Namesake => {
            "same name (and date of birth or postcode) but the row's date of birth, or a strong field (e-mail, phone, NI number, bank) with nothing else agreeing, differs: probably another person"
        }
        Confidence::Household => "only address and postcode matched: a household, not a person",
        Confidence::Confirmed => "",
    }
}

/// Reads a finished manifest.
pub fn read_manifest(dir: &Path) -> Result<Manifest, ResultsError> {
    let p = dir.join(MANIFEST);
    let bytes = fs_err::read(&p).map_err(|source| ResultsError::Io {
        path: p.clone(),
        source,
    })?;
    serde_json::from_slice(&bytes).map_err(|e| ResultsError::Io {
        path: p,
        source: std::io::Error::other(e),
    })
}

/// The lower-cased extension of the last name in a path (an archive member's path too:
/// `a.zip!/payroll.CSV` gives `csv`), or `file` when it has none.
fn extension(path: &str) -> String {
    let name = path.rsplit(['/', '\\', '!']).next().unwrap_or(path);
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && !ext.is_empty() && ext.len() <= 8 => {
            ext.to_ascii_lowercase()
        }
        _ => "file".to_string(),
    }
}

/// A count and its noun, plural unless the count is 1: "1 row", "3 rows".
pub fn count(n: impl Into<u64>, noun: &str) -> String {
    let n = n.into();
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Whom the index holds, for the summary line: tenants only, or people of several groups
/// (tenants and staff), who are then counted as people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Who {
    /// Tenants (or an index whose groups are not known here, as in `scan`).
    #[default]
    Tenants,
    /// Several groups: the report counts each apart.
    People,
}

/// One plain-English line: who is exposed, which fields, where the results are.
pub fn summary_line(manifest: &Manifest, out: &Path, who: Who) -> String {
    let o = &manifest.outcome;
    let dumps = manifest.files.len();
    let dumps_with_hits = manifest
        .files
        .iter()
        .filter(|f| f.stats.rows_matched > 0)
        .count();
    let fields: Vec<String> = Field::ALL
        .iter()
        .filter_map(|f| {
            o.tenants_by_field
                .get(f.as_str())
                .map(|n| format!("{} {n}", f.as_str()))
        })
        .collect();
    format!(
        "{} exposed ({} confirmed, {} probable for review) in {dumps_with_hits} of {}; fields: {}; {} for review. Results in {}",
        match (who, o.tenants_confirmed + o.tenants_probable) {
            (Who::Tenants, n) => count(n, "tenant"),
            (Who::People, 1) => "1 person".to_string(),
            (Who::People, n) => format!("{n} people"),
        },
        o.tenants_confirmed,
        o.tenants_probable,
        count(dumps as u64, "file"),
        if fields.is_empty() {
            "none".to_string()
        } else {
            fields.join(", ")
        },
        count(o.review_rows, "row"),
        out.display()
    )
}
