//! `manifest.json`: what was scanned, how, with which index and key fingerprint, and what came
//! out. Written last: a results directory without a manifest (or with `complete: false`) is not
//! a finished result. It never holds the key, nor any tenant or dump value.

use crate::dump::Layout;
use crate::dump::reader::ReadOutcome;
use crate::index::IndexHeader;
use crate::scan::{FileReport, ScanStats};
use serde::{Deserialize, Serialize};

/// One scanned file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FileEntry {
    /// Path as given.
    pub path: String,
    /// Size and SHA-256 of the file as stored, rows read, early end.
    pub read: ReadOutcome,
    /// Compression, format, columns and roles.
    pub layout: Option<Layout>,
    /// Counts.
    pub stats: ScanStats,
    /// Whether the whole file was read.
    pub complete: bool,
    /// Why not, if not.
    pub error: Option<String>,
    /// Why a recognised file could not be searched at all (scanned image, encrypted...).
    #[serde(default)]
    pub not_searched: Option<String>,
    /// For documents: kind, tables with their column roles, text blocks, notes.
    #[serde(default)]
    pub document: Option<crate::scan::documents::DocInfo>,
    /// Wall time.
    pub millis: u64,
    /// What the file says about itself as a leak of our data.
    #[serde(default)]
    pub provenance: Provenance,
}

/// How much a dump looks like our tenant data: rows that match, tenants found, and per field
/// how many of those tenants have that field in this file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Provenance {
    /// Share of scanned rows that matched a tenant (any confidence).
    pub match_share: f64,
    /// Tenants found in this file (confirmed or probable).
    pub tenants: u64,
    /// Per field: tenants found here whose value of that field is in this file.
    pub field_presence: std::collections::BTreeMap<String, u64>,
    /// Tenants found here and in at least one other scanned file.
    pub tenants_also_elsewhere: u64,
    /// Matching rows of this file whose record (same normalised values) is also in another file.
    #[serde(default)]
    pub duplicate_rows_elsewhere: u64,
    /// A plain-English finding, e.g. "does not look like our tenant data".
    pub finding: String,
}

impl From<&FileReport> for FileEntry {
    fn from(r: &FileReport) -> Self {
        FileEntry {
            path: r.path.display().to_string(),
            read: r.read.clone(),
            layout: r.layout.clone(),
            stats: r.stats.clone(),
            complete: r.complete(),
            error: r.error.clone().or_else(|| r.read.error.clone()),
            not_searched: r.not_searched.clone(),
            document: r.document.clone(),
            millis: r.millis as u64,
            provenance: Provenance::default(),
        }
    }
}

/// Counts of the outcome.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Outcome {
    /// Tenants with a confirmed exposure.
    pub tenants_confirmed: u64,
    /// Tenants with only probable exposures.
    pub tenants_probable: u64,
    /// Hits listed for review (probable, namesake, household).
    pub review_rows: u64,
    /// Tenants exposed per field (confirmed and probable).
    pub tenants_by_field: std::collections::BTreeMap<String, u64>,
}

/// The manifest.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    /// "breachmatch".
    pub tool: String,
    /// Tool version.
    pub version: String,
    /// Normalisation version.
    pub normalize_version: u32,
    /// Whether the scan finished (every file attempted, outputs written) and, for a merge,
    /// every part was there.
    pub complete: bool,
    /// Start time (RFC 3339, UTC).
    pub started: String,
    /// End time.
    pub finished: String,
    /// Wall time in milliseconds.
    pub elapsed_ms: u64,
    /// The command line (the key is never on it: only a key file path, or "environment").
    pub arguments: Vec<String>,
    /// Where the key came from (a path, the environment, or "generated for this run").
    pub key_source: String,
    /// Key fingerprint (not the key).
    pub key_fingerprint: String,
    /// The index used.
    pub index: IndexHeader,
    /// Matching threads.
    pub threads: usize,
    /// Every input file.
    pub files: Vec<FileEntry>,
    /// Sum over files.
    pub totals: ScanStats,
    /// What came out.
    pub outcome: Outcome,
    /// Output files written.
    pub outputs: Vec<String>,
    /// For a scan with `--shard K/N`: which part of the whole scan these results are.
    #[serde(default)]
    pub shard: Option<Shard>,
    /// For a merge of some shards only (`merge --partial`): the parts that are not in it.
    #[serde(default)]
    pub missing: Vec<String>,
}

impl Manifest {
    /// What these results do not cover, in words ("3 files could not be searched", "1 file
    /// not read in full", "part 2/3 missing"); empty when every file was searched in full.
    pub fn gaps(&self) -> Vec<String> {
        let mut why = Vec::new();
        let count = |n: usize| super::count(n as u64, "file");
        let unsearched = self
            .files
            .iter()
            .filter(|f| f.not_searched.is_some())
            .count();
        if unsearched > 0 {
            why.push(format!("{} could not be searched", count(unsearched)));
        }
        let partial = self
            .files
            .iter()
            .filter(|f| !f.complete && f.not_searched.is_none())
            .count();
        if partial > 0 {
            why.push(format!("{} not read in full", count(partial)));
        }
        if !self.missing.is_empty() {
            why.push(format!("{} of the scan missing", self.missing.join(", ")));
        }
        if !self.complete && why.is_empty() {
            why.push("the scan did not finish".into());
        }
        why
    }
}

/// Part K of N of one scan split over several machines (`scan --shard K/N`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// K, from 1.
    pub part: u64,
    /// N.
    pub of: u64,
    /// Every file of the whole scan, in order (each part reads its share of them): the parts
    /// of one scan list the same files in the same order.
    #[serde(default)]
    pub inputs: Vec<String>,
}
