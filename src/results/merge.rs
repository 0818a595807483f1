//! Merging partial results (shards of one scan, run on several machines with the same index
//! and key) into one results directory: hits are unioned, per-file counts summed, inputs listed
//! once, and exposures, review and provenance computed again from the union.

use super::manifest::{FileEntry, Manifest};
use super::{ResultsError, RunInfo, hits::read_parquet, read_manifest};
use crate::dump::sensitive::{Category, CategorySet};
use crate::index::{Index, TenantEntry};
use crate::keys::{Field, FieldSet, KeyKind, KeySet};
use crate::scan::{Confidence, FileReport, Hit, ScanResult, ScanStats};
use std::collections::BTreeMap;
use std::path::Path;

fn bad(dir: &Path, why: String) -> ResultsError {
    ResultsError::Io {
        path: dir.to_path_buf(),
        source: std::io::Error::other(why),
    }
}

/// Checks that the parts make one scan: no folder given twice, no file read by two parts
/// that are not different shards of one scan (its rows would count twice), and every shard
/// K/N there for each N. Returns the missing shards ("part 3/4"); they are an error unless
/// `partial`.
pub fn check_parts(
    dirs: &[&Path],
    manifests: &[Manifest],
    partial: bool,
) -> Result<Vec<String>, ResultsError> {
    let mut seen = std::collections::HashMap::new();
    for d in dirs {
        let canon = fs_err::canonicalize(d).map_err(|e| bad(d, e.to_string()))?;
        if let Some(before) = seen.insert(canon, *d) {
            return Err(bad(
                d,
                format!(
                    "given twice (also as {}): its rows would count twice",
                    before.display()
                ),
            ));
        }
    }
    // One index: the same key with another tenants file would join other people's ids.
    if let Some(first) = manifests.first() {
        for (d, m) in dirs.iter().zip(manifests) {
            if m.index.tenants_sha256 != first.index.tenants_sha256
                || m.index.tenants != first.index.tenants
            {
                return Err(bad(
                    d,
                    format!(
                        "made with another index ({} tenants, tenants file SHA-256 {}) than {} ({} tenants, {}): parts of one scan use the same index",
                        m.index.tenants,
                        m.index.tenants_sha256,
                        dirs[0].display(),
                        first.index.tenants,
                        first.index.tenants_sha256
                    ),
                ));
            }
        }
    }
    // Shards of one scan were given the same files in the same order: otherwise a file can be
    // read twice, or by no part at all.
    let mut inputs_of: BTreeMap<u64, (usize, &Vec<String>)> = BTreeMap::new();
    for (i, m) in manifests.iter().enumerate() {
        let Some(sh) = m.shard.as_ref().filter(|s| !s.inputs.is_empty()) else {
            continue;
        };
        match inputs_of.get(&sh.of) {
            None => {
                inputs_of.insert(sh.of, (i, &sh.inputs));
            }
            Some(&(j, theirs)) if theirs != &sh.inputs => {
                let differs = sh
                    .inputs
                    .iter()
                    .zip(theirs.iter())
                    .position(|(a, b)| a != b)
                    .unwrap_or(sh.inputs.len().min(theirs.len()));
                return Err(bad(
                    dirs[i],
                    format!(
                        "scanned other files than {} ({} files against {}; they first differ at file {}: {} against {}): every part of a scan needs the same --dumps, in the same order",
                        dirs[j].display(),
                        sh.inputs.len(),
                        theirs.len(),
                        differs + 1,
                        sh.inputs.get(differs).map_or("none", String::as_str),
                        theirs.get(differs).map_or("none", String::as_str)
                    ),
                ));
            }
            Some(_) => {}
        }
    }
    // Which part read each file first.
    let mut reader_of: BTreeMap<&str, usize> = BTreeMap::new();
    let mut entry_of: BTreeMap<&str, &FileEntry> = BTreeMap::new();
    for (i, m) in manifests.iter().enumerate() {
        for f in &m.files {
            let Some(&j) = reader_of.get(f.path.as_str()) else {
                reader_of.insert(&f.path, i);
                entry_of.insert(&f.path, f);
                continue;
            };
            let before = entry_of[f.path.as_str()];
            if !f.read.sha256.is_empty()
                && !before.read.sha256.is_empty()
                && (f.read.sha256 != before.read.sha256
                    || f.read.raw_bytes != before.read.raw_bytes)
            {
                return Err(bad(
                    dirs[i],
                    format!(
                        "{} is not the file {} read (SHA-256 {} against {}): it changed between the parts, or the machines hold different copies",
                        f.path,
                        dirs[j].display(),
                        f.read.sha256,
                        before.read.sha256
                    ),
                ));
            }
            let (a, b) = (&manifests[j].shard, &m.shard);
            let shards_of_one_scan =
                matches!((a, b), (Some(a), Some(b)) if a.of == b.of && a.part != b.part);
            if !shards_of_one_scan {
                return Err(bad(
                    dirs[i],
                    format!(
                        "{} was also read by {}, and the two are not different shards of one scan (scan --shard K/N): its rows would count twice",
                        f.path,
                        dirs[j].display()
                    ),
                ));
            }
        }
    }
    let mut parts: BTreeMap<u64, std::collections::BTreeSet<u64>> = BTreeMap::new();
    for m in manifests {
        if let Some(sh) = &m.shard {
            parts.entry(sh.of).or_default().insert(sh.part);
        }
    }
    let missing: Vec<String> = parts
        .iter()
        .flat_map(|(&of, have)| {
            (1..=of)
                .filter(|k| !have.contains(k))
                .map(move |k| format!("part {k}/{of}"))
        })
        .collect();
    if !missing.is_empty() && !partial {
        return Err(bad(
            Path::new("merge"),
            format!(
                "{} missing: the merged result would lack the rows of {}; add {} results folder, or give --partial to merge what there is (the result is then marked incomplete)",
                missing.join(", "),
                if missing.len() == 1 {
                    "that part"
                } else {
                    "those parts"
                },
                if missing.len() == 1 { "its" } else { "their" }
            ),
        ));
    }
    Ok(missing)
}

/// Reads partial results and rebuilds one scan from them, ready for [`super::write_results`];
/// also says which shards are missing (see [`check_parts`]).
pub fn merge_dirs(
    dirs: &[&Path],
    partial: bool,
) -> Result<(Index, ScanResult, Manifest, Vec<String>), ResultsError> {
    let mut manifests = Vec::new();
    for d in dirs {
        manifests.push(read_manifest(d)?);
    }
    let missing = check_parts(dirs, &manifests, partial)?;
    let first = manifests
        .first()
        .cloned()
        .ok_or_else(|| bad(Path::new("."), "no results to merge".into()))?;
    for (d, m) in dirs.iter().zip(&manifests) {
        if m.key_fingerprint != first.key_fingerprint
            || m.normalize_version != first.normalize_version
        {
            return Err(bad(
                d,
                format!(
                    "made with key {} / normalisation v{}, the first with key {} / v{}: results of different keys cannot be merged",
                    m.key_fingerprint,
                    m.normalize_version,
                    first.key_fingerprint,
                    first.normalize_version
                ),
            ));
        }
    }
    // Files: one entry per path, counts summed over the parts.
    let mut files: Vec<FileEntry> = Vec::new();
    let mut at: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for m in &manifests {
        for f in &m.files {
            match at.get(&f.path).and_then(|&i| files.get_mut(i)) {
                Some(x) => {
                    x.stats += &f.stats;
                    x.read.rows += f.read.rows;
                    x.read.blank_lines += f.read.blank_lines;
                    x.read.overlong_records_cut += f.read.overlong_records_cut;
                    x.read.records_read_as_lines += f.read.records_read_as_lines;
                    // Each shard of a plain file counts up to where its range ends.
                    x.read.content_bytes = x.read.content_bytes.max(f.read.content_bytes);
                    x.read.stopped |= f.read.stopped;
                    x.read.changed_while_read |= f.read.changed_while_read;
                    x.complete &= f.complete;
                    if x.error.is_none() {
                        x.error = f.error.clone();
                    }
                    x.millis = x.millis.max(f.millis);
                }
                None => {
                    at.insert(f.path.clone(), files.len());
                    files.push(f.clone());
                }
            }
        }
    }
    // In the order the scan was given its files, as a full scan lists them.
    let order: BTreeMap<&str, usize> = manifests
        .iter()
        .find_map(|m| m.shard.as_ref().filter(|s| !s.inputs.is_empty()))
        .map(|s| {
            s.inputs
                .iter()
                .enumerate()
                .map(|(i, p)| (p.as_str(), i))
                .collect()
        })
        .unwrap_or_default();
    if order.is_empty() {
        files.sort_by(|a, b| a.path.cmp(&b.path));
    } else {
        // Stable: an archive's members stay after it, in the order its part read them.
        files.sort_by_key(|f| {
            let outer = f.path.split("!/").next().unwrap_or(&f.path);
            order.get(outer).copied().unwrap_or(usize::MAX)
        });
    }
    let file_no: BTreeMap<&str, u32> = files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.path.as_str(), i as u32))
        .collect();
    // Hits, rebuilt from each part's hits.parquet.
    let mut tenant_no: BTreeMap<String, u32> = BTreeMap::new();
    let mut hits = Vec::new();
    let mut locations = crate::scan::documents::Locations::new();
    for d in dirs {
        let p = d.join("hits.parquet");
        let df = read_parquet(&p).map_err(|e| bad(&p, e.to_string()))?;
        let s = |n: &str| {
            df.column(n)
                .and_then(|c| c.str().cloned())
                .map_err(|e| bad(&p, e.to_string()))
        };
        let u = |n: &str| {
            df.column(n)
                .and_then(|c| c.u64().cloned())
                .map_err(|e| bad(&p, e.to_string()))
        };
        let (tid, src, keys, fields, conf, co) = (
            s("tenant_id")?,
            s("source")?,
            s("key_kinds")?,
            s("fields")?,
            s("confidence")?,
            s("co_exposed")?,
        );
        let (line, offset, fps) = (u("line")?, u("byte_offset")?, u("row_fingerprint")?);
        // Results written before documents were scanned have no location column.
        let loc = df
            .column("location")
            .ok()
            .and_then(|c| c.str().ok().cloned());
        for i in 0..df.height() {
            let id = tid.get(i).unwrap_or("").to_string();
            let next = tenant_no.len() as u32;
            let tenant = *tenant_no.entry(id).or_insert(next);
            let mut ks = KeySet::default();
            for k in keys.get(i).unwrap_or("").split('|') {
                if let Some(k) = KeyKind::ALL.into_iter().find(|x| x.as_str() == k) {
                    ks.insert(k);
                }
            }
            let mut fs = FieldSet::default();
            for f in fields
                .get(i)
                .unwrap_or("")
                .split('|')
                .filter_map(Field::parse)
            {
                fs.insert(f);
            }
            let mut cs = CategorySet::default();
            for c in co
                .get(i)
                .unwrap_or("")
                .split('|')
                .filter_map(Category::parse)
            {
                cs.insert(c);
            }
            let source = src.get(i).unwrap_or("");
            hits.push(Hit {
                tenant,
                file: *file_no
                    .get(source)
                    .ok_or_else(|| bad(&p, format!("hit in {source}, which no manifest lists")))?,
                line: line.get(i).unwrap_or(0),
                offset: offset.get(i).unwrap_or(0),
                keys: ks,
                fields: fs,
                confidence: Confidence::parse(conf.get(i).unwrap_or(""))
                    .unwrap_or(Confidence::Probable),
                co: cs,
                row_fp: fps.get(i).unwrap_or(0),
                loc: locations.id(loc.as_ref().and_then(|l| l.get(i)).unwrap_or("")),
            });
        }
    }
    hits.sort_unstable_by_key(|h| (h.file, h.line, h.loc, h.tenant));
    hits.dedup_by_key(|h| (h.file, h.line, h.loc, h.tenant));
    let mut tenants: Vec<(u32, String)> = tenant_no.into_iter().map(|(id, n)| (n, id)).collect();
    tenants.sort();
    let index = Index::results_only(
        first.index.clone(),
        tenants
            .into_iter()
            .map(|(_, id)| TenantEntry {
                id,
                fields: Vec::new(),
            })
            .collect(),
    );
    let mut totals = ScanStats::default();
    let reports: Vec<FileReport> = files
        .iter()
        .map(|f| {
            totals += &f.stats;
            FileReport {
                path: f.path.clone().into(),
                layout: f.layout.clone(),
                read: f.read.clone(),
                stats: f.stats.clone(),
                // The manifest's error already holds the read error; the report keeps them
                // apart, as a scan does, so that rejected_rows.csv lists it once.
                error: f.error.clone().filter(|e| Some(e) != f.read.error.as_ref()),
                not_searched: f.not_searched.clone(),
                document: f.document.clone(),
                millis: u128::from(f.millis),
            }
        })
        .collect();
    Ok((
        index,
        ScanResult {
            files: reports,
            hits,
            totals,
            locations: locations.list,
        },
        first,
        missing,
    ))
}

/// Merges the parts into `out` (written like a scan's results, manifest last). The parts are read and checked before anything in `out` is
/// touched (with `force`, an earlier result there is replaced only then); `out` may not be one
/// of the parts.
pub fn merge(
    dirs: &[&Path],
    out: &Path,
    info: &RunInfo,
    partial: bool,
    force: bool,
) -> Result<Manifest, ResultsError> {
    if let Ok(o) = fs_err::canonicalize(out) {
        for d in dirs {
            if fs_err::canonicalize(d).is_ok_and(|c| c == o) {
                return Err(bad(
                    out,
                    "is one of the parts: merging into it would replace that part's results; choose another --out".into(),
                ));
            }
        }
    }
    let (index, scan, _, missing) = merge_dirs(dirs, partial)?;
    super::prepare_out_dir(out, force)?;
    let info = RunInfo {
        missing,
        ..info.clone()
    };
    let (m, _) = super::write_results(out, &index, &scan, &info)?;
    Ok(m)
}
