//! The scan: dumps x index -> hits and per-file statistics. The hot path; knows no terminal.
//!
//! Per file, one reader thread streams batches of raw rows over a bounded channel to a pool
//! of matching workers (rayon), each with its own [`matcher::Matcher`]; empty batches go back
//! to the reader, so memory stays flat whatever the dump size ([`batch`]). With one thread,
//! reading and matching take turns on the calling thread. Progress is pushed through the
//! small [`Progress`] trait; the CLI renders it.

pub mod batch;
pub mod documents;
pub mod hit;
pub mod matcher;
pub mod stats;

pub use hit::{Confidence, Hit};
pub use stats::ScanStats;

use crate::dump::reader::ReadOutcome;
use crate::dump::{Layout, sniff_file};
use crate::index::Index;
use crate::roles::Role;
use crate::secret::DerivedKeys;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// Receives progress from the scan. Every method has a no-op default.
pub trait Progress: Sync {
    /// A file starts; `bytes` is its size on disk.
    fn start_file(&self, _path: &Path, _bytes: u64, _layout: &Layout) {}
    /// More bytes (as stored, compressed or not) were read.
    fn advance(&self, _bytes: u64) {}
    /// More hits were found.
    fn hits(&self, _n: u64) {}
    /// A file could not be scanned (the scan goes on with the others).
    fn file_error(&self, _path: &Path, _message: &str) {}
    /// A warning about a file that was scanned.
    fn warn(&self, _path: &Path, _message: &str) {}
    /// A document (spreadsheet, SQL dump, PDF, archive...) starts.
    fn start_document(&self, _path: &Path, _bytes: u64, _kind: crate::docs::DocKind) {}
}

/// A [`Progress`] that shows nothing.
pub struct NoProgress;
impl Progress for NoProgress {}

/// Plain options for a scan.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Matching threads (at least 1); a reader thread runs beside them, except with 1, when
    /// the calling thread reads and matches in turn.
    pub threads: usize,
    /// Column role overrides: `(file name or path, [(column, role)])`.
    pub role_overrides: Vec<(String, Vec<(String, Role)>)>,
    /// Limits against hostile files (decompression bombs).
    pub limits: crate::dump::reader::ReadLimits,
    /// Scan only part `k` of `n` (1-based): plain files by byte range aligned to line starts,
    /// compressed files whole, file `i` going to part `i % n + 1`.
    pub shard: Option<(u64, u64)>,
    /// Free text: values within this many tokens of a name are combined with it into keys.
    pub text_window: usize,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            role_overrides: Vec::new(),
            limits: Default::default(),
            shard: None,
            text_window: documents::DEFAULT_TEXT_WINDOW,
        }
    }
}

impl ScanOptions {
    /// Sets the thread count (0 means all cores).
    pub fn with_threads(mut self, n: usize) -> Self {
        if n > 0 {
            self.threads = n;
        }
        self
    }
    /// Sets the most decompressed bytes read from one compressed file (0: automatic).
    pub fn with_max_decompressed(mut self, bytes: u64) -> Self {
        self.limits.max_decompressed = bytes;
        self
    }
    /// Scans only part `k` of `n` (1-based).
    pub fn with_shard(mut self, shard: Option<(u64, u64)>) -> Self {
        self.shard = shard;
        self
    }
    /// Sets the free-text window in tokens (0: the default).
    pub fn with_text_window(mut self, n: usize) -> Self {
        if n > 0 {
            self.text_window = n;
        }
        self
    }
    /// Adds role overrides for a file.
    pub fn with_roles(mut self, file: String, roles: Vec<(String, Role)>) -> Self {
        self.role_overrides.push((file, roles));
        self
    }
}

/// What happened to one file.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// The path as given.
    pub path: PathBuf,
    /// How it was read (None when it could not even be sniffed).
    pub layout: Option<Layout>,
    /// Reading outcome (size, SHA-256, early end).
    pub read: ReadOutcome,
    /// Counts.
    pub stats: ScanStats,
    /// Why it was not (fully) scanned, if so.
    pub error: Option<String>,
    /// Why a recognised file could not be searched at all (a scanned image, an encrypted
    /// archive): listed as "not searched", never silently skipped.
    pub not_searched: Option<String>,
    /// For documents (spreadsheets, SQL dumps, PDFs...): what was read in them.
    pub document: Option<documents::DocInfo>,
    /// Wall time in milliseconds.
    pub millis: u128,
}

impl FileReport {
    /// Whether the file was read to its end without error.
    pub fn complete(&self) -> bool {
        self.error.is_none()
            && self.not_searched.is_none()
            && self.read.error.is_none()
            && !self.read.stopped
    }

    /// A report for a file not yet read.
    pub fn new(path: PathBuf) -> FileReport {
        FileReport {
            path,
            layout: None,
            read: ReadOutcome::default(),
            stats: ScanStats::default(),
            error: None,
            not_searched: None,
            document: None,
            millis: 0,
        }
    }
}

/// Everything a scan found.
#[derive(Debug, Clone, Default)]
pub struct ScanResult {
    /// One report per input file, in input order.
    pub files: Vec<FileReport>,
    /// Every hit, sorted by file, line and tenant.
    pub hits: Vec<Hit>,
    /// Locations inside documents that hits point to ([`Hit::loc`]); entry 0 is empty.
    pub locations: Vec<String>,
    /// Sum of the file statistics.
    pub totals: ScanStats,
}

/// Scans files against the index. A file that cannot be read is reported and skipped.
///
/// Dumps (delimited, JSON lines, combolists, compressed or not) are streamed in parallel;
/// documents of a leak tree (spreadsheets, SQL dumps, Word, PDF, e-mails, archives) are read
/// by [`documents`], each archive member or attachment becoming a file entry of its own.
pub fn scan_files(
    index: &Index,
    keys: &DerivedKeys,
    files: &[PathBuf],
    opts: &ScanOptions,
    progress: &dyn Progress,
    stop: &AtomicBool,
) -> ScanResult {
    let mut result = ScanResult::default();
    let mut locs = documents::Locations::new();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads.max(1))
        .thread_name(|i| format!("breachmatch-docs-{i}"))
        .build()
        .ok();
    // Telling each file's kind reads its head (and sniffs text files): in parallel too.
    let kinds: Vec<Option<crate::docs::DocKind>> = match &pool {
        Some(pool) if files.len() > 1 => {
            use rayon::prelude::*;
            pool.install(|| files.par_iter().map(|p| document_kind(p)).collect())
        }
        _ => files.iter().map(|p| document_kind(p)).collect(),
    };
    let mut i = 0;
    while i < files.len() {
        let path = &files[i];
        if stop.load(Ordering::Relaxed) {
            let mut report = FileReport::new(path.clone());
            report.error = Some("not scanned: interrupted".into());
            result.files.push(report);
            i += 1;
            continue;
        }
        if kinds[i].is_some() {
            // A run of documents: scanned in parallel, one document per task (leak trees hold
            // thousands of small files), results kept in input order.
            let j = (i..files.len())
                .find(|&j| kinds[j].is_none())
                .unwrap_or(files.len());
            let batch: Vec<(usize, crate::docs::DocKind)> = (i..j)
                .filter(|&k| opts.shard.is_none_or(|(s, n)| k as u64 % n == s - 1))
                .filter_map(|k| kinds[k].map(|kind| (k, kind)))
                .collect();
            let scan_doc = |scanner: &mut documents::DocScanner,
                            (k, kind): &(usize, crate::docs::DocKind)| {
                let path = &files[*k];
                let size = fs_err::metadata(path).map(|m| m.len()).unwrap_or(0);
                progress.start_document(path, size, *kind);
                let mut local = documents::Locations::new();
                let outputs = scanner.scan_file(path, *kind, &mut local, &mut |tmp, name| {
                    // Without a shard, every file is scanned.
                    let (report, hits) = scan_dump_file(
                        index,
                        keys,
                        tmp,
                        Path::new(name),
                        (0, 0),
                        &ScanOptions {
                            shard: None,
                            threads: 1,
                            ..opts.clone()
                        },
                        &NoProgress,
                        stop,
                    )
                    .unwrap_or_else(|| (FileReport::new(name.into()), Vec::new()));
                    documents::DocOutput { report, hits }
                });
                progress.advance(size);
                (outputs, local.list)
            };
            let new_scanner = || {
                let mut d = documents::DocScanner::new(index, keys, stop);
                d.window = opts.text_window;
                d.limits.max_member = opts.limits.limit_for(0);
                d
            };
            let outs: Vec<(Vec<documents::DocOutput>, Vec<String>)> = match &pool {
                Some(pool) if batch.len() > 1 => {
                    use rayon::prelude::*;
                    pool.install(|| batch.par_iter().map_init(new_scanner, scan_doc).collect())
                }
                _ => {
                    let mut scanner = new_scanner();
                    batch.iter().map(|b| scan_doc(&mut scanner, b)).collect()
                }
            };
            for (outputs, local) in outs {
                let remap: Vec<u32> = local.iter().map(|l| locs.id(l)).collect();
                let base = result.files.len() as u32;
                for (n, o) in outputs.into_iter().enumerate() {
                    if let Some(e) = &o.report.error {
                        progress.file_error(&o.report.path, e);
                    }
                    progress.hits(o.hits.len() as u64);
                    result.hits.extend(o.hits.into_iter().map(|mut h| {
                        h.file = base + n as u32;
                        h.loc = remap.get(h.loc as usize).copied().unwrap_or(0);
                        h
                    }));
                    result.totals += &o.report.stats;
                    result.files.push(o.report);
                }
            }
            i = j;
            continue;
        }
        let Some((report, hits)) = scan_dump_file(
            index,
            keys,
            path,
            path,
            (result.files.len() as u32, i),
            opts,
            progress,
            stop,
        ) else {
            // Another shard's file.
            i += 1;
            continue;
        };
        result.hits.extend(hits);
        result.totals += &report.stats;
        result.files.push(report);
        i += 1;
    }
    result
        .hits
        .sort_unstable_by_key(|h| (h.file, h.line, h.loc, h.tenant));
    result.locations = locs.list;
    result
}

/// Whether a file is a document of a leak tree (not a dump `dump` streams), and which kind.
/// Text files that are really tables or combolists stay dumps.
pub fn document_kind(path: &Path) -> Option<crate::docs::DocKind> {
    use std::io::Read;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    // A named pipe would block the open; the dump path reports it.
    if crate::dump::sniff::not_a_file(path).is_some() {
        return None;
    }
    let read_head = |n: usize| {
        let mut head = Vec::with_capacity(n);
        let f = fs_err::File::open(path).ok()?;
        f.take(n as u64).read_to_end(&mut head).ok()?;
        Some(head)
    };
    let mut head = read_head(crate::docs::DETECT_BYTES)?;
    // Text is sniffed as a table on a longer head; other kinds need only the magic bytes.
    if crate::docs::detect(name, &head) == Some(crate::docs::DocKind::Text) {
        head = read_head(crate::dump::sniff::SNIFF_BYTES)?;
    }
    crate::docs::resolve_kind(name, &head, || {
        fs_err::File::open(path)
            .ok()
            .map(|f| std::io::BufReader::new(f.into_parts().0))
    })
}

/// Scans one dump file (`path`), reporting it as `name`; `(file_no, input_no)` are its number
/// among the reports (for hits) and among the inputs (for sharding). With `opts.shard`, plain
/// files are scanned by byte range and compressed ones whole by one part: `None` when this
/// file belongs to another part.
#[allow(clippy::too_many_arguments)]
fn scan_dump_file(
    index: &Index,
    keys: &DerivedKeys,
    path: &Path,
    name: &Path,
    (file_no, input_no): (u32, usize),
    opts: &ScanOptions,
    progress: &dyn Progress,
    stop: &AtomicBool,
) -> Option<(FileReport, Vec<Hit>)> {
    let started = Instant::now();
    let mut report = FileReport::new(name.to_path_buf());
    let mut hits = Vec::new();
    let sniffed = sniff_file(path);
    let mut file_opts;
    let mut opts = opts;
    if let Some((k, n)) = opts.shard {
        match &sniffed {
            // A compressed file or a JSON document cannot be cut by byte ranges.
            Ok(l)
                if l.compression != crate::dump::Compression::None
                    || l.format == crate::dump::Format::JsonDocument =>
            {
                if input_no as u64 % n != k - 1 {
                    return None;
                }
            }
            _ => {
                let size = fs_err::metadata(path).map(|m| m.len()).unwrap_or(0);
                file_opts = opts.clone();
                file_opts.limits.range = Some((size * (k - 1) / n, size * k / n));
                opts = &file_opts;
            }
        }
    }
    match sniffed {
        Err(e) => {
            let msg = e
                .to_string()
                .replace(&path.display().to_string(), &name.display().to_string());
            progress.file_error(name, &msg);
            report.error = Some(msg);
            // Still record size and checksum, so the manifest lists the file exactly (not
            // for a pipe: reading it would wait for a writer).
            if crate::dump::sniff::not_a_file(path).is_none() {
                report.read = checksum_only(path);
            }
        }
        Ok(mut layout) => {
            let base = name.file_name().and_then(|n| n.to_str()).unwrap_or("");
            for (f, roles) in &opts.role_overrides {
                if (f == base || Path::new(f) == name)
                    && let Err(e) = layout.apply_overrides(roles)
                {
                    progress.warn(name, &format!("--roles: {e}"));
                }
            }
            let size = fs_err::metadata(path).map(|m| m.len()).unwrap_or(0);
            progress.start_file(name, size, &layout);
            if !layout.has_identifying() {
                progress.warn(
                    name,
                    "no column could be matched on (no name, date of birth, postcode, e-mail, phone, NI, bank or tenancy column found); use --roles to say which column is which",
                );
            }
            let (read, stats, found) =
                batch::scan_rows(index, keys, path, file_no, &layout, opts, progress, stop);
            if read.overlong_records_cut > 0 {
                progress.warn(
                    name,
                    &format!(
                        "{} time(s) a record ran on for {} MiB without ending, nearly always a double quote that is never closed: those bytes were read again line by line, each line a row of its own (the row with the stray quote is read, or rejected, on its own line)",
                        read.overlong_records_cut,
                        crate::dump::chunk::FORCE_CUT_BYTES >> 20
                    ),
                );
            }
            if read.records_read_as_lines > 0 {
                progress.warn(
                    name,
                    &format!(
                        "{} row(s) were read again line by line: a row over several lines without the file's number of fields (nearly always a stray double quote that paired with one lines later; the line with the quote is in rejected_rows.csv), or rows joined by a line that ends in a lone carriage return; the rows in between are matched",
                        read.records_read_as_lines
                    ),
                );
            }
            if read.changed_while_read {
                progress.warn(name, "the file changed while it was being read (size or modification time differs): the results may not match its SHA-256; scan it again once it is complete");
            }
            if let Some(e) = &read.error {
                progress.warn(
                    name,
                    &format!("stopped early after {} rows: {e}", read.rows),
                );
            }
            if stats.short_rows > 0 {
                progress.warn(
                    name,
                    &format!(
                        "{} row(s) had fewer values than the header's {} columns and were read as its first columns (an export that leaves out empty cells at the end of a row); if values are missing in the middle of rows instead, check those columns",
                        stats.short_rows,
                        layout.columns.len()
                    ),
                );
            }
            if stats.month_first_dates > 0 {
                let column = layout
                    .columns
                    .iter()
                    .find(|c| c.role == Role::Dob)
                    .map(|c| c.name.as_str());
                let col =
                    column.map_or("the date of birth column".to_string(), |c| format!("{c:?}"));
                progress.warn(
                    name,
                    &format!(
                        "{} date(s) of birth in {col} only make sense month-first (like 12/25/1980), though the column was read day-first from the rows sampled: if the file is American, dates like 03/04/1980 were read as 3 April and tenants missed; scan again with --roles \"{}={}:dob_month_first\"",
                        stats.month_first_dates,
                        name.display(),
                        column.unwrap_or("COLUMN")
                    ),
                );
            }
            if stats.rows_rejected.contains_key(batch::REORDERED_HEADER) {
                let line = stats
                    .rejected_examples
                    .iter()
                    .find(|(_, d)| d.contains(batch::REORDERED_HEADER_DETAIL))
                    .map_or(String::new(), |(l, _)| format!(" (line {l})"));
                let why = format!(
                    "the header appears again with its columns in another order{line}: exports joined into one file; the rows after it were read under the first header's columns, so their values may be in the wrong fields; split the file there and scan the parts"
                );
                progress.warn(name, &why);
                report.error = Some(why);
            }
            if let Some(why) = mostly_rejected(&stats) {
                progress.warn(name, &why);
                if stats.rows_scanned == 0 {
                    // Nothing was searched: not a complete file, whatever the reader says.
                    report.error = Some(why);
                }
            }
            report.read = read;
            report.stats = stats;
            report.layout = Some(layout);
            hits = found;
        }
    }
    report.millis = started.elapsed().as_millis();
    Some((report, hits))
}

/// A warning when every row of a file, or most of ten or more, were rejected: the file's
/// layout was most likely misread (a title line above the header taken for it, another
/// separator), so a "no tenant found" there would mean nothing.
fn mostly_rejected(stats: &ScanStats) -> Option<String> {
    let rejected = stats.rejected_total();
    let all = stats.rows_scanned == 0 && rejected > 0;
    if !(all || (stats.rows_read >= 10 && rejected * 2 > stats.rows_read)) {
        return None;
    }
    let (reason, n) = stats
        .rows_rejected
        .iter()
        .max_by_key(|(_, n)| **n)
        .map(|(r, n)| (r.as_str(), *n))
        .unwrap_or(("", 0));
    let example = stats
        .rejected_examples
        .first()
        .map(|(_, d)| format!(", e.g. {d}"))
        .unwrap_or_default();
    Some(format!(
        "{} {rejected} of {} rows were rejected ({n} {reason}{example}): the file's layout was probably misread (a title line above the header, another separator); nothing in the rejected rows was searched, so say which column is which with --roles, or fix the file and scan it again",
        if all { "all" } else { "most:" },
        stats.rows_read
    ))
}

/// Size and SHA-256 of a file that is not read as rows (unreadable, not searched, streamed as
/// SQL), so the manifest still lists it exactly.
pub(crate) fn checksum_only(path: &Path) -> ReadOutcome {
    match crate::dump::reader::sha256_file(path) {
        Ok((sha256, raw_bytes)) => ReadOutcome {
            raw_bytes,
            sha256,
            ..ReadOutcome::default()
        },
        Err(_) => ReadOutcome::default(),
    }
}
