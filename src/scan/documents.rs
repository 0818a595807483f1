//! Scanning documents of a leak tree: tables (sheets, SQL tables) row by row like a dump, and
//! free text by finding values ([`crate::docs::candidates`]) and combining those that stand
//! close together into the same match keys as a table row. A document-level hit then records
//! every field of the tenant that appears anywhere in the document.
//!
//! Archive members and e-mail attachments are scanned in turn as documents of their own,
//! named `outer!/inner`; members that are plain dumps (CSV, JSON lines...) go through the
//! ordinary dump scan.

use super::matcher::{Matcher, fingerprint};
use super::{FileReport, Hit, ScanStats};
use crate::docs::candidates::{self, Candidate};
use crate::docs::{self, ContainerLimits, DocKind, Table};
use crate::dump::ColumnInfo;
use crate::dump::decode::Cells;
use crate::dump::reader::{ReadOutcome, RowPos};
use crate::index::Index;
use crate::keys::{FieldSlot, KeySet, Person};
use crate::roles::Role;
use crate::secret::{DerivedKeys, KeyHash};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// Default window, in tokens, within which values of free text are combined into one key
/// (a name and a date of birth, a name and a postcode). See the README for how it was chosen.
pub const DEFAULT_TEXT_WINDOW: usize = 12;

/// Rows of a table looked at before its column roles are decided.
const PROFILE_ROWS: usize = 200;

/// What was read in a document, for the manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocInfo {
    /// The kind of document.
    pub kind: DocKind,
    /// Its tables, with the role chosen for each column.
    pub tables: Vec<TableInfo>,
    /// Text blocks (pages, paragraphs, lines) searched as free text.
    pub text_blocks: u64,
    /// Notes for the reviewer (pages that are pictures, skipped statements...).
    pub notes: Vec<String>,
}

/// One table of a document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableInfo {
    /// `sheet 'Tenants'`, `table tenants`.
    pub name: String,
    /// Row number of the header in the sheet (0: none; SQL column names are not a row).
    pub header_row: u64,
    /// Data rows read.
    pub rows: u64,
    /// Columns and their roles.
    pub columns: Vec<ColumnInfo>,
}

/// Interned location strings ([`Hit::loc`]).
#[derive(Debug, Default)]
pub struct Locations {
    /// The strings; entry 0 is empty.
    pub list: Vec<String>,
    map: HashMap<String, u32>,
}

impl Locations {
    /// A table with the empty location at 0.
    pub fn new() -> Locations {
        Locations {
            list: vec![String::new()],
            map: HashMap::new(),
        }
    }
    /// The number of a location.
    pub fn id(&mut self, s: &str) -> u32 {
        if s.is_empty() {
            return 0;
        }
        if let Some(&i) = self.map.get(s) {
            return i;
        }
        self.list.push(s.to_string());
        let i = self.list.len() as u32 - 1;
        self.map.insert(s.to_string(), i);
        i
    }
}

/// One document's outcome: its report, and its hits with `file` 0 (the caller numbers them).
#[derive(Debug)]
pub struct DocOutput {
    /// The report (path `outer!/inner` for nested documents).
    pub report: FileReport,
    /// Hits.
    pub hits: Vec<Hit>,
}

impl DocOutput {
    /// A report with no hits (a file not searched, unreadable or past a limit).
    pub fn empty(report: FileReport) -> DocOutput {
        DocOutput {
            report,
            hits: Vec::new(),
        }
    }
}

/// Shared state of a document scan.
pub struct DocScanner<'a> {
    index: &'a Index,
    keys: &'a DerivedKeys,
    /// Matches table rows (sheets, SQL, CSV inside documents).
    matcher: Matcher<'a>,
    /// Matches values gathered from free text (see [`Matcher::for_free_text`]).
    text_matcher: Matcher<'a>,
    /// Token window for combining free-text values.
    pub window: usize,
    /// Container limits.
    pub limits: ContainerLimits,
    stop: &'a AtomicBool,
}

/// Scans a dump file the ordinary way (`dump` formats found inside archives or attached to
/// e-mails): `(path of a temporary copy, name to report)`.
pub type TabularScan<'s> = dyn FnMut(&Path, &str) -> DocOutput + 's;

impl<'a> DocScanner<'a> {
    /// A scanner over an index.
    pub fn new(index: &'a Index, keys: &'a DerivedKeys, stop: &'a AtomicBool) -> DocScanner<'a> {
        DocScanner {
            index,
            keys,
            matcher: Matcher::new(index, keys),
            text_matcher: Matcher::new(index, keys).for_free_text(),
            window: DEFAULT_TEXT_WINDOW,
            limits: ContainerLimits::default(),
            stop,
        }
    }

    /// Scans one document file on disk (and everything inside it).
    pub fn scan_file(
        &mut self,
        path: &Path,
        kind: DocKind,
        locs: &mut Locations,
        tabular: &mut TabularScan,
    ) -> Vec<DocOutput> {
        let name = path.display().to_string();
        if kind == DocKind::Sql {
            return vec![self.scan_sql_file(path, locs)];
        }
        let started = Instant::now();
        let size = fs_err::metadata(path).map(|m| m.len()).unwrap_or(0);
        if size > self.limits.max_member {
            let mut r = FileReport::new(path.to_path_buf());
            r.read = super::checksum_only(path);
            r.not_searched = Some(format!(
                "a {} of {size} bytes, more than the {} a document may have (raise --max-decompressed)",
                kind.as_str(),
                self.limits.max_member
            ));
            return vec![DocOutput::empty(r)];
        }
        let bytes = match fs_err::read(path) {
            Ok(b) => b,
            Err(e) => {
                let mut r = FileReport::new(path.to_path_buf());
                r.error = Some(e.to_string());
                return vec![DocOutput::empty(r)];
            }
        };
        let mut out = Vec::new();
        self.scan_bytes(&name, &bytes, Some(kind), 0, locs, tabular, &mut out);
        if let Some(first) = out.first_mut() {
            first.report.millis = started.elapsed().as_millis();
        }
        out
    }

    /// Scans a document held in memory, appending its output and its children's to `out`.
    #[allow(clippy::too_many_arguments)]
    pub fn scan_bytes(
        &mut self,
        name: &str,
        bytes: &[u8],
        kind: Option<DocKind>,
        depth: usize,
        locs: &mut Locations,
        tabular: &mut TabularScan,
        out: &mut Vec<DocOutput>,
    ) {
        let started = Instant::now();
        let base = name.rsplit("!/").next().unwrap_or(name);
        let kind =
            kind.or_else(|| docs::resolve_kind(base, bytes, || Some(std::io::Cursor::new(bytes))));
        let Some(kind) = kind else {
            out.push(self.tabular_member(name, bytes, tabular));
            return;
        };
        let mut report = FileReport::new(name.into());
        report.read = outcome_of(bytes);
        if kind == DocKind::Sql {
            let mut o = if bytes.starts_with(&[0x1f, 0x8b]) {
                let r = std::io::BufReader::new(flate2::read::MultiGzDecoder::new(bytes));
                self.sql_document(report, r, locs)
            } else {
                self.sql_document(report, bytes, locs)
            };
            o.report.millis = started.elapsed().as_millis();
            out.push(o);
            return;
        }
        let mut ex = docs::extract(kind, bytes, &self.limits);
        let mut hits = Vec::new();
        let mut stats = ScanStats::default();
        let mut tables = Vec::new();
        for t in std::mem::take(&mut ex.tables) {
            tables.push(self.scan_table(t, locs, &mut stats, &mut hits));
        }
        self.scan_text(&ex.text, locs, &mut stats, &mut hits);
        report.read.rows = stats.rows_read;
        report.stats = stats;
        report.not_searched = ex.not_searched.clone();
        report.document = Some(DocInfo {
            kind,
            tables,
            text_blocks: ex.text.len() as u64,
            notes: ex.notes.clone(),
        });
        report.millis = started.elapsed().as_millis();
        out.push(DocOutput { report, hits });
        for (child, why) in ex.unsearched_children {
            let mut r = FileReport::new(format!("{name}!/{child}").into());
            r.not_searched = Some(why);
            out.push(DocOutput::empty(r));
        }
        for (child, data) in ex.children {
            let child_name = format!("{name}!/{child}");
            if self.stop.load(Ordering::Relaxed) {
                let mut r = FileReport::new(child_name.into());
                r.error = Some("not scanned: interrupted".into());
                out.push(DocOutput::empty(r));
                continue;
            }
            if depth + 1 > self.limits.max_depth {
                let mut r = FileReport::new(child_name.into());
                r.read = outcome_of(&data);
                r.not_searched = Some(format!(
                    "nested more than {} containers deep",
                    self.limits.max_depth
                ));
                out.push(DocOutput::empty(r));
                continue;
            }
            self.scan_bytes(&child_name, &data, None, depth + 1, locs, tabular, out);
        }
    }

    /// A dump (CSV, JSON lines, combolist, gzip...) found inside a container: scanned the
    /// ordinary way from a temporary copy, reported under its `outer!/inner` name.
    fn tabular_member(&mut self, name: &str, bytes: &[u8], tabular: &mut TabularScan) -> DocOutput {
        let base = name.rsplit("!/").next().unwrap_or(name);
        let suffix: String = base
            .rsplit_once('.')
            .map(|(_, e)| format!(".{e}"))
            .unwrap_or_default()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
            .collect();
        let tmp = tempfile::Builder::new()
            .prefix("breachmatch-member-")
            .suffix(&suffix)
            .tempfile();
        let written = tmp.and_then(|mut t| {
            use std::io::Write;
            t.write_all(bytes)?;
            t.flush()?;
            Ok(t)
        });
        match written {
            Ok(t) => {
                let mut o = tabular(t.path(), name);
                o.report.path = name.into();
                o
            }
            Err(e) => {
                let mut r = FileReport::new(name.into());
                r.error = Some(format!("cannot write a temporary copy to scan: {e}"));
                DocOutput::empty(r)
            }
        }
    }

    fn scan_sql_file(&mut self, path: &Path, locs: &mut Locations) -> DocOutput {
        let started = Instant::now();
        let mut report = FileReport::new(path.to_path_buf());
        report.read = super::checksum_only(path);
        let opened = fs_err::File::open(path).and_then(|f| {
            crate::dump::sniff::open_decompressed(path, f.into_parts().0)
                .map(|(_, r)| std::io::BufReader::with_capacity(1 << 16, r))
        });
        let mut o = match opened {
            Ok(r) => self.sql_document(report, r, locs),
            Err(e) => {
                report.error = Some(e.to_string());
                DocOutput::empty(report)
            }
        };
        o.report.millis = started.elapsed().as_millis();
        o
    }

    /// A SQL dump's rows matched into `report` (on disk or in memory, plain or gzipped).
    fn sql_document<R: std::io::BufRead>(
        &mut self,
        mut report: FileReport,
        r: R,
        locs: &mut Locations,
    ) -> DocOutput {
        let mut hits = Vec::new();
        let mut notes = Vec::new();
        let (tables, stats) = self.scan_sql(r, locs, &mut hits, &mut notes);
        report.read.rows = stats.rows_read;
        report.stats = stats;
        report.document = Some(DocInfo {
            kind: DocKind::Sql,
            tables,
            text_blocks: 0,
            notes,
        });
        DocOutput { report, hits }
    }

    /// Streams a SQL dump: rows are buffered per table until its column roles are decided, then
    /// matched as they come.
    fn scan_sql<R: std::io::BufRead>(
        &mut self,
        r: R,
        locs: &mut Locations,
        hits: &mut Vec<Hit>,
        notes: &mut Vec<String>,
    ) -> (Vec<TableInfo>, ScanStats) {
        let mut stats = ScanStats::default();
        let mut tables: Vec<TableState> = Vec::new();
        let mut by_name: HashMap<String, usize> = HashMap::new();
        let stop = self.stop;
        let result = docs::sql::parse(r, |ev| {
            match ev {
                docs::sql::SqlEvent::Row {
                    table,
                    columns,
                    line,
                    nth,
                    values,
                } => {
                    let i = *by_name.entry(table.to_string()).or_insert_with(|| {
                        tables.push(TableState::new(
                            format!("table {table}"),
                            columns.to_vec(),
                            0,
                            locs,
                        ));
                        tables.len() - 1
                    });
                    // mysqldump writes an INSERT's rows on one line: the place in it tells
                    // them apart.
                    let loc = match nth {
                        0 => 0,
                        n => locs.id(&format!("table {table}, row {n} of the INSERT")),
                    };
                    tables[i].push(self, line, loc, values, &mut stats, hits);
                }
                docs::sql::SqlEvent::Bad { line, reason } => {
                    stats.reject(line, "bad_statement", format!("line {line}: {reason}"));
                }
            }
            !stop.load(Ordering::Relaxed)
        });
        if let Err(e) = result {
            notes.push(format!("stopped early: {e}"));
        }
        let infos = tables
            .into_iter()
            .map(|mut t| {
                t.finish(self, &mut stats, hits);
                t.info
            })
            .collect();
        self.matcher.flush(&mut stats);
        (infos, stats)
    }

    fn scan_table(
        &mut self,
        t: Table,
        locs: &mut Locations,
        stats: &mut ScanStats,
        hits: &mut Vec<Hit>,
    ) -> TableInfo {
        let mut state = TableState::new(t.name, t.header, t.header_row, locs);
        for (line, row) in t.rows {
            state.push(self, line, 0, row, stats, hits);
        }
        state.finish(self, stats, hits);
        self.matcher.flush(stats);
        state.info
    }

    /// Free text: per block, strong values alone, and each name window with the dates,
    /// postcodes and address lines within [`DocScanner::window`] tokens; then one hit per
    /// tenant for the whole document.
    fn scan_text(
        &mut self,
        blocks: &[docs::TextBlock],
        locs: &mut Locations,
        stats: &mut ScanStats,
        hits: &mut Vec<Hit>,
    ) {
        if blocks.is_empty() {
            return;
        }
        let mut raw: Vec<Hit> = Vec::new();
        let mut doc_values = DocValues::default();
        let mut cells = Cells::default();
        let mut tstats = ScanStats::default();
        let mut blocks_matched = std::collections::BTreeSet::new();
        let mut blocks_exposing = std::collections::BTreeSet::new();
        for (b, block) in blocks.iter().enumerate() {
            stats.rows_read += 1;
            stats.rows_scanned += 1;
            let loc = locs.id(&block.loc);
            let mut cands = candidates::find(&block.text);
            cands.sort_by(|a, b| (a.pos, a.role, &a.text).cmp(&(b.pos, b.role, &b.text)));
            cands.dedup();
            let pos = RowPos {
                line: block.number,
                offset: 0,
            };
            // The values a name combines with, by position (candidates are sorted by it).
            let comb: Vec<usize> = (0..cands.len())
                .filter(|&k| {
                    matches!(
                        cands[k].role,
                        Role::Dob | Role::Postcode | Role::AddressLine1
                    )
                })
                .collect();
            // Address spans by start, each with the furthest end of those up to it.
            let mut streets: Vec<(usize, usize)> = Vec::new();
            for c in cands.iter().filter(|c| c.role == Role::AddressLine1) {
                let end = c.pos + c.text.split_whitespace().count();
                let furthest = streets.last().map_or(end, |&(_, e)| e.max(end));
                streets.push((c.pos, furthest));
            }
            let in_street = |p: usize| {
                let i = streets.partition_point(|&(a, _)| a <= p);
                i > 0 && streets[i - 1].1 > p
            };
            // The names, by position; a value far from every name is said to be about the
            // nearest one (the one before it on a tie). Capitalised words inside an address
            // ("34 School Close") are a street, not a person, here.
            let names: Vec<usize> = (0..cands.len())
                .filter(|&k| cands[k].role == Role::FullName && !in_street(cands[k].pos))
                .collect();
            let nearest_name = |p: usize| -> Option<usize> {
                let i = names.partition_point(|&n| cands[n].pos <= p);
                let before = i.checked_sub(1).map(|i| names[i]);
                let after = names.get(i).copied();
                match (before, after) {
                    (Some(b), Some(a)) if cands[a].pos - p < p - cands[b].pos => Some(a),
                    (Some(b), _) => Some(b),
                    (None, a) => a,
                }
            };
            let before = raw.len();
            let mut run = |cells: &Cells, raw: &mut Vec<Hit>, m: &mut Matcher| {
                let start = raw.len();
                m.match_row(cells, pos, 0, &mut tstats, raw);
                for h in &mut raw[start..] {
                    h.loc = loc;
                }
            };
            for (j, c) in cands.iter().enumerate() {
                match c.role {
                    Role::Email | Role::Phone | Role::Nino | Role::TenancyRef => {
                        cells.clear();
                        cells.push(c.role, &c.text);
                        run(&cells, &mut raw, &mut self.text_matcher);
                    }
                    Role::SortCode => {
                        if let Some(a) = account_after(&cands, j) {
                            cells.clear();
                            cells.push(Role::SortCode, &c.text);
                            cells.push(Role::AccountNumber, &a.text);
                            run(&cells, &mut raw, &mut self.text_matcher);
                        }
                    }
                    Role::FullName => {
                        // Values within the window: one key set, decided like a table row.
                        let lo = comb.partition_point(|&k| cands[k].pos + self.window < c.pos);
                        let hi = comb.partition_point(|&k| cands[k].pos <= c.pos + self.window);
                        cells.clear();
                        cells.push(Role::FullName, &c.text);
                        for &k in &comb[lo..hi] {
                            cells.push(cands[k].role, &cands[k].text);
                        }
                        if hi > lo {
                            run(&cells, &mut raw, &mut self.text_matcher);
                        }
                        // Values further away in the same block: each alone with the name, and
                        // never more than probable (distance is weaker evidence), never a
                        // namesake (a far value may be about someone else). Only values nearer
                        // to this name than to any other, and the nearest few of those on each
                        // side: in a list every value is about its own entry, and pairing every
                        // name with every value made thousands of false probable matches in a
                        // 2,500-entry register (and grew with the square of the block).
                        // (A name's values are the run around it, so the walk stops at the
                        // first value that is another name's.)
                        let mine = |&&k: &&usize| nearest_name(cands[k].pos) == Some(j);
                        let left = comb[..lo].iter().rev().take_while(mine).take(FAR_VALUES);
                        let right = comb[hi..].iter().take_while(mine).take(FAR_VALUES);
                        for &k in left.chain(right) {
                            let o = &cands[k];
                            cells.clear();
                            cells.push(Role::FullName, &c.text);
                            cells.push(o.role, &o.text);
                            let start = raw.len();
                            run(&cells, &mut raw, &mut self.text_matcher);
                            let far: Vec<Hit> = raw
                                .drain(start..)
                                .filter(|h| h.confidence.is_exposure())
                                .map(|mut h| {
                                    h.confidence = super::Confidence::Probable;
                                    h
                                })
                                .collect();
                            raw.extend(far);
                        }
                    }
                    _ => {}
                }
            }
            if raw.len() > before {
                blocks_matched.insert(b);
                if raw[before..].iter().any(|h| h.confidence.is_exposure()) {
                    blocks_exposing.insert(b);
                }
            }
            doc_values.add_block(&cands, self.keys);
        }
        self.text_matcher.flush(stats);
        stats.keys_probed += tstats.keys_probed;
        stats.bloom_positives += tstats.bloom_positives;
        stats.bloom_false_positives += tstats.bloom_false_positives;
        if raw.is_empty() {
            return;
        }
        // The document's field values, to say which of a matched tenant's fields it holds.
        let doc_fields = doc_values.finish();
        let mut by_tenant: BTreeMap<u32, Vec<Hit>> = BTreeMap::new();
        for h in raw {
            by_tenant.entry(h.tenant).or_default().push(h);
        }
        stats.rows_matched += blocks_matched.len() as u64;
        stats.rows_exposing += blocks_exposing.len() as u64;
        for (tenant, hs) in by_tenant {
            let best = hs
                .iter()
                .map(|h| h.confidence)
                .min()
                .unwrap_or(super::Confidence::Probable);
            let first = hs
                .iter()
                .filter(|h| h.confidence == best)
                .min_by_key(|h| (h.line, h.loc))
                .copied()
                .unwrap_or(hs[0]);
            let mut keys = KeySet::default();
            let mut fields = crate::keys::FieldSet::default();
            for h in hs.iter().filter(|h| h.confidence == best) {
                for k in h.keys.iter() {
                    keys.insert(k);
                }
                for f in h.fields.iter() {
                    fields.insert(f);
                }
            }
            let entry = &self.index.tenants[tenant as usize];
            // The tenant's own values in this document: each of the tenant's few values looked
            // up in the document's (sorted), in the same order as a filter of the document's.
            let own: Vec<&(FieldSlot, KeyHash)> = entry
                .fields
                .iter()
                .filter(|f| doc_fields.binary_search(f).is_ok())
                .collect();
            if best.is_exposure() {
                fields = own.iter().map(|(slot, _)| slot.field()).collect();
            }
            let row_fp = fingerprint(self.keys, own.into_iter());
            *stats.hits.entry(best.as_str().to_string()).or_default() += 1;
            hits.push(Hit {
                tenant,
                file: 0,
                line: first.line,
                offset: 0,
                keys,
                fields,
                confidence: best,
                co: Default::default(),
                row_fp,
                loc: first.loc,
            });
        }
    }
}

/// The account number that goes with the sort code at `cands[j]`: the value right after it.
fn account_after(cands: &[Candidate], j: usize) -> Option<&Candidate> {
    cands.get(j + 1).filter(|a| a.role == Role::AccountNumber)
}

/// Far values (beyond the window) paired with a name, at most, on each side of it.
const FAR_VALUES: usize = 8;

/// The keyed hashes of every distinct field value found in a document's free text.
#[derive(Default)]
struct DocValues {
    seen: std::collections::HashSet<(Role, String)>,
    person: Person,
    hashes: Vec<(FieldSlot, KeyHash)>,
    scratch: Vec<(FieldSlot, KeyHash)>,
}

impl DocValues {
    /// Adds a block's candidates (sorted by position): each distinct value once; a sort code
    /// with the account number right after it ([`account_after`], as the matcher pairs them).
    fn add_block(&mut self, cands: &[Candidate], keys: &DerivedKeys) {
        for (j, c) in cands.iter().enumerate() {
            match c.role {
                Role::AccountNumber => {}
                Role::SortCode => {
                    if let Some(a) = account_after(cands, j) {
                        let pair = format!("{}\u{1f}{}", c.text, a.text);
                        if self.seen.insert((Role::SortCode, pair)) {
                            self.add(
                                &[(Role::SortCode, &c.text), (Role::AccountNumber, &a.text)],
                                keys,
                            );
                        }
                    }
                }
                role => {
                    if self.seen.insert((role, c.text.clone())) {
                        self.add(&[(role, &c.text)], keys);
                    }
                }
            }
        }
    }

    fn add(&mut self, cells: &[(Role, &str)], keys: &DerivedKeys) {
        self.person.clear();
        self.person.fill(cells.iter().copied(), |_| {});
        self.person.field_hashes(keys, &mut self.scratch);
        self.hashes.extend_from_slice(&self.scratch);
    }

    /// The hashes, sorted and without repeats.
    fn finish(mut self) -> Vec<(FieldSlot, KeyHash)> {
        self.hashes.sort_unstable();
        self.hashes.dedup();
        self.hashes
    }
}

/// A table being scanned: rows wait until the column roles are decided.
struct TableState {
    header: Vec<String>,
    /// Rows read before the column roles are decided (`info.columns` is then set), with
    /// their line and their own location (0: the table's).
    pending: Vec<(u64, u32, Vec<String>)>,
    decided: bool,
    loc: u32,
    info: TableInfo,
    cells: Cells,
}

impl TableState {
    fn new(name: String, header: Vec<String>, header_row: u64, locs: &mut Locations) -> Self {
        TableState {
            loc: locs.id(&name),
            info: TableInfo {
                name,
                header_row,
                rows: 0,
                columns: Vec::new(),
            },
            header,
            pending: Vec::new(),
            decided: false,
            cells: Cells::default(),
        }
    }

    /// Adds a row at `line`; `loc` is its own location, or 0 for the table's.
    fn push(
        &mut self,
        s: &mut DocScanner,
        line: u64,
        loc: u32,
        row: Vec<String>,
        stats: &mut ScanStats,
        hits: &mut Vec<Hit>,
    ) {
        self.info.rows += 1;
        if !self.decided {
            self.pending.push((line, loc, row));
            if self.pending.len() >= PROFILE_ROWS {
                self.decide();
                for (l, c, r) in std::mem::take(&mut self.pending) {
                    self.match_row(s, l, c, &r, stats, hits);
                }
            }
            return;
        }
        self.match_row(s, line, loc, &row, stats, hits);
    }

    fn finish(&mut self, s: &mut DocScanner, stats: &mut ScanStats, hits: &mut Vec<Hit>) {
        if !self.decided {
            self.decide();
        }
        for (l, c, r) in std::mem::take(&mut self.pending) {
            self.match_row(s, l, c, &r, stats, hits);
        }
    }

    fn decide(&mut self) {
        let body: Vec<Vec<String>> = self.pending.iter().map(|(_, _, r)| r.clone()).collect();
        let header = (!self.header.is_empty()).then_some(self.header.as_slice());
        self.info.columns = crate::dump::sniff::columns_for(header, &body);
        self.decided = true;
    }

    fn match_row(
        &mut self,
        s: &mut DocScanner,
        line: u64,
        loc: u32,
        row: &[String],
        stats: &mut ScanStats,
        hits: &mut Vec<Hit>,
    ) {
        self.cells.clear();
        for (v, c) in row.iter().zip(&self.info.columns) {
            if v.trim().is_empty() {
                continue;
            }
            if c.role.is_identifying() {
                self.cells.push(c.role, v);
            }
            // Classified only if the row matches, as for dumps.
            if let Some(cat) = c.sensitive {
                self.cells.push_sensitive(cat, v.as_bytes());
            }
        }
        stats.rows_read += 1;
        stats.rows_scanned += 1;
        let start = hits.len();
        s.matcher
            .match_row(&self.cells, RowPos { line, offset: 0 }, 0, stats, hits);
        for h in &mut hits[start..] {
            h.loc = if loc == 0 { self.loc } else { loc };
        }
    }
}

fn outcome_of(bytes: &[u8]) -> ReadOutcome {
    use sha2::{Digest, Sha256};
    ReadOutcome {
        raw_bytes: bytes.len() as u64,
        content_bytes: bytes.len() as u64,
        sha256: hex::encode(Sha256::digest(bytes)),
        ..ReadOutcome::default()
    }
}
