//! Streaming a dump in batches of raw rows, with line numbers and byte offsets.
//!
//! One reader per file: the raw bytes pass through a hashing counter (SHA-256 of the file as
//! stored, and compressed bytes read for progress), then the decompressor, then the csv crate
//! (delimited files) or a line splitter (JSON lines, combolists). Batches are recycled, so a
//! steady scan allocates nothing per row. A read error (a truncated gzip, a disk error) ends the
//! file early: the rows before it are kept and the error is reported.

use super::chunk::{Boundaries, ChunkCounts, ChunkParser, Chunker, RawChunk};
use super::sniff::{Format, Layout, open_decompressed};
use sha2::{Digest, Sha256};
use std::io::{BufRead, Read};
use std::path::Path;
use std::sync::{Arc, Mutex};

/// Rows per batch sent to the matching workers (unless the batches supplied say otherwise:
/// [`RawBatch::with_rows`]). Small enough that the batches in flight (about three per matching
/// thread, ~30 KB each) stay in cache on their way from the reader to a matcher: measured
/// against 2,048-row batches, 2 threads took 1.068 s instead of 1.170 s on the bench dump, the
/// gz scan 1.244 s instead of 1.511 s.
pub const BATCH_ROWS: usize = 256;

/// Where a row is in its (decompressed) file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RowPos {
    /// 1-based line where the row starts.
    pub line: u64,
    /// Byte offset of the row start in the decompressed content.
    pub offset: u64,
}

/// A batch of raw rows. For line formats each record holds one field: the line.
#[derive(Debug)]
pub struct RawBatch {
    /// Records; only the first `len` are live.
    pub recs: Vec<csv::ByteRecord>,
    /// Positions of the live records.
    pub pos: Vec<RowPos>,
    /// Live records.
    pub len: usize,
    /// Which file (index in the scan's file list).
    pub file: usize,
    /// Rows it holds when full.
    pub rows: usize,
}

impl Default for RawBatch {
    /// An empty batch of [`BATCH_ROWS`] rows.
    fn default() -> RawBatch {
        RawBatch::with_rows(BATCH_ROWS)
    }
}

impl RawBatch {
    /// An empty batch that is sent on once it holds `rows` rows (at least 1): small batches
    /// keep the rows in cache between reading and matching when one thread does both.
    pub fn with_rows(rows: usize) -> RawBatch {
        RawBatch {
            recs: Vec::new(),
            pos: Vec::new(),
            len: 0,
            file: 0,
            rows: rows.max(1),
        }
    }
    pub(crate) fn is_full(&self) -> bool {
        self.len >= self.rows
    }
    /// A record to fill, counted as live.
    pub(crate) fn next_slot(&mut self) -> &mut csv::ByteRecord {
        if self.len == self.recs.len() {
            self.recs.push(csv::ByteRecord::new());
        }
        self.len += 1;
        &mut self.recs[self.len - 1]
    }
    /// Adds a record of one field (a line format's line, a JSON record) at `pos`.
    pub(crate) fn push_line(&mut self, text: &[u8], pos: RowPos) {
        let rec = self.next_slot();
        rec.clear();
        rec.push_field(text);
        self.pos.push(pos);
    }
    /// Empties the batch, keeping its buffers.
    pub fn reset(&mut self, file: usize) {
        self.len = 0;
        self.pos.clear();
        self.file = file;
    }
}

/// What reading one file found.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct ReadOutcome {
    /// Bytes of the file as stored.
    pub raw_bytes: u64,
    /// SHA-256 of the file as stored (hex).
    pub sha256: String,
    /// Decompressed bytes read.
    pub content_bytes: u64,
    /// Rows sent to matching.
    pub rows: u64,
    /// Blank lines skipped.
    pub blank_lines: u64,
    /// A read error that ended the file early (rows before it were scanned).
    pub error: Option<String>,
    /// Whether reading stopped because it was asked to (interrupt).
    pub stopped: bool,
    /// Whether the file's size or modification time changed while it was read.
    #[serde(default)]
    pub changed_while_read: bool,
    /// Records that ran on for [`super::chunk::FORCE_CUT_BYTES`] without ending (nearly always
    /// a quote never closed), so that those bytes were read line by line instead.
    #[serde(default)]
    pub overlong_records_cut: u64,
    /// Records over several lines without the file's number of fields (nearly always a stray
    /// quote that paired with a quote lines later), or holding a lone carriage return that
    /// joined two rows, read again line by line.
    #[serde(default)]
    pub records_read_as_lines: u64,
}

/// Limits that protect a scan from hostile files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReadLimits {
    /// Most decompressed bytes read from one compressed file; 0 means automatic: the larger
    /// of 1 GiB and [`BOMB_RATIO`] times the compressed size.
    pub max_decompressed: u64,
    /// Only the records that start in this byte range of a plain file (a shard), or all.
    pub range: Option<(u64, u64)>,
}

/// A shard's byte range `from..to` moved to record starts: the first record start at or after
/// each (the file size when there is none), with the line ends before the first. Delimited
/// files are followed from their first byte with the csv crate's quoting rules
/// ([`Boundaries`]), so a line break inside a quoted field (an address over three lines) is
/// never a shard boundary, and the line ends counted are those rows are numbered by ('\r' in a
/// file of old Mac line ends); other formats hold one record a line. Offset 0 is the start of
/// the first record, a byte-order mark included.
fn shard_bounds(
    path: &Path,
    layout: &Layout,
    from: u64,
    to: u64,
) -> std::io::Result<(u64, u64, u64)> {
    let mut lines_layout = layout.clone();
    if !matches!(layout.format, Format::Delimited { .. }) {
        lines_layout.quoting = false;
        lines_layout.cr_only = false;
    }
    let mut bounds = Boundaries::new(&lines_layout);
    let term = bounds.terminator();
    let mut r = std::io::BufReader::with_capacity(1 << 16, fs_err::File::open(path)?);
    let mut pos = 0u64;
    if layout.bom {
        let mut mark = [0u8; 3];
        r.read_exact(&mut mark)?;
        pos = 3;
    }
    let mut advance = |target: u64| -> std::io::Result<(u64, u64)> {
        loop {
            if pos >= target && bounds.at_record_start() {
                return Ok((pos, bounds.lines()));
            }
            let buf = r.fill_buf()?;
            if buf.is_empty() {
                return Ok((pos, bounds.lines()));
            }
            // Up to the target, then to each next line end until one ends a record.
            let take = if pos < target {
                buf.len()
                    .min(usize::try_from(target - pos).unwrap_or(usize::MAX))
            } else {
                memchr::memchr(term, buf).map_or(buf.len(), |j| j + 1)
            };
            bounds.scan(&buf[..take]);
            pos += take as u64;
            r.consume(take);
        }
    };
    let first = |at: u64| at == 0 || (layout.bom && at <= 3);
    let (start, lines) = if first(from) { (0, 0) } else { advance(from)? };
    let end = if first(to) {
        0
    } else {
        advance(to.max(from))?.0
    };
    Ok((start, end, lines))
}

/// SHA-256 and size of a whole file.
pub fn sha256_file(path: &Path) -> std::io::Result<(String, u64)> {
    let mut f = fs_err::File::open(path)?;
    let mut sha = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut n = 0u64;
    loop {
        let k = f.read(&mut buf)?;
        if k == 0 {
            return Ok((hex::encode(sha.finalize()), n));
        }
        sha.update(&buf[..k]);
        n += k as u64;
    }
}

/// Decompressed-to-compressed ratio above which a file is treated as a decompression bomb
/// (text compresses about 5 to 20 times; a bomb thousands of times).
pub const BOMB_RATIO: u64 = 250;

impl ReadLimits {
    /// Most decompressed bytes allowed from a file of `raw_size` bytes.
    pub fn limit_for(&self, raw_size: u64) -> u64 {
        if self.max_decompressed > 0 {
            self.max_decompressed
        } else {
            (1u64 << 30).max(raw_size.saturating_mul(BOMB_RATIO))
        }
    }
}

struct LimitReader<R> {
    inner: R,
    read: u64,
    limit: u64,
    raw_size: u64,
}

impl<R: Read> Read for LimitReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if self.read > self.limit {
            return Err(std::io::Error::other(format!(
                "decompressed data passed {} bytes from a {}-byte file: a decompression bomb? stopped here; raise the limit with --max-decompressed",
                self.limit, self.raw_size
            )));
        }
        Ok(n)
    }
}

fn stamp(path: &Path) -> Option<(u64, Option<std::time::SystemTime>)> {
    fs_err::metadata(path)
        .ok()
        .map(|m| (m.len(), m.modified().ok()))
}

#[derive(Default)]
struct HashState {
    sha: Sha256,
    bytes: u64,
}

struct HashingReader<R> {
    inner: R,
    state: Arc<Mutex<HashState>>,
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Ok(mut s) = self.state.lock() {
            s.sha.update(&buf[..n]);
            s.bytes += n as u64;
        }
        Ok(n)
    }
}

/// Reads a file as batches. `send` gets each full batch and returns false to stop early;
/// `recycle` hands back an empty batch to fill (or `None` for a new one); `progress` gets
/// compressed bytes read since its last call.
pub fn read_file(
    path: &Path,
    file_no: usize,
    layout: &Layout,
    recycle: impl FnMut() -> Option<RawBatch>,
    send: impl FnMut(RawBatch) -> bool,
    progress: impl FnMut(u64),
) -> ReadOutcome {
    read_file_with(
        path,
        file_no,
        layout,
        ReadLimits::default(),
        recycle,
        send,
        progress,
    )
}

/// [`read_file`] with explicit limits.
pub fn read_file_with(
    path: &Path,
    file_no: usize,
    layout: &Layout,
    limits: ReadLimits,
    mut recycle: impl FnMut() -> Option<RawBatch>,
    mut send: impl FnMut(RawBatch) -> bool,
    progress: impl FnMut(u64),
) -> ReadOutcome {
    let new_batch = |recycle: &mut dyn FnMut() -> Option<RawBatch>| {
        let mut b = recycle().unwrap_or_default();
        b.reset(file_no);
        b
    };
    read_stream(path, layout, limits, progress, |s, out, report| {
        let mut batch = new_batch(&mut recycle);
        let result = match layout.format {
            Format::Delimited { .. } => {
                // Cut into chunks of whole records and parsed at once, as matching threads
                // parse them ([`read_chunks_with`]): one way of reading delimited files.
                let spare = std::cell::RefCell::new(Vec::new());
                let mut parser = ChunkParser::new(layout);
                let mut counts = ChunkCounts::default();
                let result = cut_stream(
                    s,
                    layout,
                    file_no,
                    INLINE_CHUNK_BYTES,
                    || spare.borrow_mut().pop(),
                    |mut chunk| {
                        let (n, go) = parser.parse(&mut chunk, &mut batch, |b| {
                            let full = std::mem::replace(b, new_batch(&mut recycle));
                            send(full)
                        });
                        counts += n;
                        spare.borrow_mut().push(chunk);
                        go
                    },
                    report,
                    out,
                );
                counts.fill(out);
                result
            }
            Format::JsonLines | Format::Combolist => {
                let mut line_no = s.lines_before;
                let mut offset = s.offset;
                let mut buf = Vec::with_capacity(256);
                let mut res = Ok(());
                loop {
                    buf.clear();
                    match s.rdr.read_until(b'\n', &mut buf) {
                        Ok(0) => break,
                        Ok(n) => {
                            line_no += 1;
                            let start = offset;
                            offset += n as u64;
                            let line = buf.trim_ascii_end();
                            if line.is_empty() {
                                out.blank_lines += 1;
                                continue;
                            }
                            batch.push_line(
                                line,
                                RowPos {
                                    line: line_no,
                                    offset: start,
                                },
                            );
                            out.rows += 1;
                            if batch.is_full() {
                                report();
                                if !send(std::mem::replace(&mut batch, new_batch(&mut recycle))) {
                                    out.stopped = true;
                                    break;
                                }
                            }
                        }
                        Err(e) => {
                            res = Err(e.to_string());
                            break;
                        }
                    }
                }
                out.content_bytes = offset;
                res
            }
            Format::JsonDocument => {
                let mut split = super::json_doc::Splitter::new(s.offset, s.lines_before);
                let mut res = Ok(());
                {
                    let mut each = |r: super::json_doc::Record<'_>| {
                        batch.push_line(
                            r.bytes,
                            RowPos {
                                line: r.line,
                                offset: r.offset,
                            },
                        );
                        out.rows += 1;
                        if batch.is_full() {
                            report();
                            if !send(std::mem::replace(&mut batch, new_batch(&mut recycle))) {
                                out.stopped = true;
                                return false;
                            }
                        }
                        true
                    };
                    loop {
                        let data = match s.rdr.fill_buf() {
                            Ok(d) => d,
                            Err(e) => {
                                res = Err(e.to_string());
                                break;
                            }
                        };
                        if data.is_empty() {
                            split.end(&mut each);
                            break;
                        }
                        let n = data.len();
                        let go = split.push(data, &mut each);
                        s.rdr.consume(n);
                        if !go {
                            break;
                        }
                    }
                }
                out.content_bytes = split.position();
                res
            }
        };
        if batch.len > 0 && !out.stopped {
            send(batch);
        }
        result
    })
}

/// Reads a delimited file as [`RawChunk`]s of whole records, for matching threads that parse
/// them ([`super::chunk::ChunkParser`]); `chunk_bytes` is the size a chunk is cut at
/// ([`super::chunk::CHUNK_BYTES`]). Rows and blank lines are counted by whoever parses the
/// chunks; the outcome counts bytes, the checksum and any read error (a record cut short by
/// it is left out).
#[allow(clippy::too_many_arguments)]
pub fn read_chunks_with(
    path: &Path,
    file_no: usize,
    layout: &Layout,
    limits: ReadLimits,
    chunk_bytes: usize,
    mut recycle: impl FnMut() -> Option<RawChunk>,
    mut send: impl FnMut(RawChunk) -> bool,
    progress: impl FnMut(u64),
) -> ReadOutcome {
    read_stream(path, layout, limits, progress, |s, out, report| {
        cut_stream(
            s,
            layout,
            file_no,
            chunk_bytes,
            &mut recycle,
            &mut send,
            report,
            out,
        )
    })
}

/// Bytes a chunk is cut at when one thread reads and parses: small enough to stay in cache
/// between cutting and parsing (each 64 KiB read is then one chunk, cut at its last record
/// end).
const INLINE_CHUNK_BYTES: usize = 16 << 10;

/// Cuts a delimited stream into chunks of whole records for `send` (false stops); returns how
/// reading ended, and fills in `out` the bytes read, whether it was stopped and the records
/// cut short ([`super::chunk::FORCE_CUT_BYTES`]).
#[allow(clippy::too_many_arguments)]
fn cut_stream(
    s: Stream<'_>,
    layout: &Layout,
    file_no: usize,
    chunk_bytes: usize,
    mut recycle: impl FnMut() -> Option<RawChunk>,
    mut send: impl FnMut(RawChunk) -> bool,
    report: &mut dyn FnMut(),
    out: &mut ReadOutcome,
) -> Result<(), String> {
    let header = matches!(layout.format, Format::Delimited { header: true, .. });
    let mut fresh = || {
        let mut c = recycle().unwrap_or_default();
        c.bytes.clear();
        c.file = file_no;
        c
    };
    let mut first = fresh();
    first.offset = s.offset;
    first.lines_before = s.lines_before;
    first.header = header && s.first;
    let mut chunker = Chunker::new(layout, chunk_bytes, first);
    let mut stopped = false;
    let result = loop {
        let data = match s.rdr.fill_buf() {
            Ok([]) => break Ok(()),
            Ok(data) => data,
            Err(e) => break Err(e.to_string()),
        };
        let n = data.len();
        let full = chunker.push(data, &mut fresh);
        s.rdr.consume(n);
        if let Some(chunk) = full {
            report();
            if !send(chunk) {
                stopped = true;
                break Ok(());
            }
        }
    };
    out.content_bytes = chunker.position();
    out.overlong_records_cut = chunker.forced_cuts();
    if !stopped && let Some(rest) = chunker.finish(result.is_ok()) {
        stopped = !send(rest);
    }
    out.stopped = stopped;
    result
}

/// The decompressed content of a file (or of a shard's byte range), as [`read_stream`] hands
/// it to the code that reads it.
struct Stream<'a> {
    rdr: &'a mut dyn BufRead,
    /// Byte offset of the stream's first byte in the decompressed content.
    offset: u64,
    /// Newlines before it.
    lines_before: u64,
    /// Whether it starts at the start of the file (where a header would be).
    first: bool,
}

/// Opens a file (or a shard's byte range) through hashing, decompression, the bomb limit and
/// the byte-order mark, hands the stream to `body` with the outcome to fill and a callback that
/// reports progress, then hashes the rest of the file and fills in checksum and size.
fn read_stream(
    path: &Path,
    layout: &Layout,
    limits: ReadLimits,
    mut progress: impl FnMut(u64),
    body: impl FnOnce(Stream<'_>, &mut ReadOutcome, &mut dyn FnMut()) -> Result<(), String>,
) -> ReadOutcome {
    let mut out = ReadOutcome::default();
    let before = stamp(path);
    let state = Arc::new(Mutex::new(HashState::default()));
    // A shard reads the records that start in its byte range; lines and offsets stay those of
    // the whole file.
    let (start, end, base_line) = match limits.range {
        None => (0, u64::MAX, 0),
        Some((s, e)) => match shard_bounds(path, layout, s, e) {
            Ok(bounds) => bounds,
            Err(err) => {
                out.error = Some(err.to_string());
                return out;
            }
        },
    };
    let file = match fs_err::File::open(path).and_then(|mut f| {
        use std::io::Seek;
        f.seek(std::io::SeekFrom::Start(start))?;
        Ok(f)
    }) {
        Ok(f) => f,
        Err(e) => {
            out.error = Some(e.to_string());
            return out;
        }
    };
    let hashing = HashingReader {
        inner: file.take(end.saturating_sub(start)),
        state: Arc::clone(&state),
    };
    let mut reported = 0u64;
    let mut report = || {
        let now = state.lock().map(|s| s.bytes).unwrap_or(reported);
        if now > reported {
            progress(now - reported);
            reported = now;
        }
    };
    match open_decompressed(path, hashing) {
        Err(e) => out.error = Some(e.to_string()),
        Ok((compression, rdr)) => {
            let raw_size = before.map_or(0, |b| b.0);
            let limit = if compression == super::sniff::Compression::None {
                u64::MAX
            } else {
                limits.limit_for(raw_size)
            };
            let rdr = LimitReader {
                inner: rdr,
                read: 0,
                limit,
                raw_size,
            };
            let mut rdr = std::io::BufReader::with_capacity(1 << 16, rdr);
            let mut offset = start;
            if layout.bom && start == 0 {
                let mut mark = [0u8; 3];
                if rdr.read_exact(&mut mark).is_ok() {
                    offset = 3;
                }
            }
            let stream = Stream {
                rdr: &mut rdr,
                offset,
                lines_before: base_line,
                first: start == 0,
            };
            if let Err(e) = body(stream, &mut out, &mut report) {
                // A decoder's own words ("incomplete deflate stream") say little to a reader.
                out.error = Some(match compression.name() {
                    Some(c) if !e.contains("bomb") => {
                        format!("the {c} data is cut short or damaged ({e})")
                    }
                    _ => e,
                });
            }
        }
    }
    if limits.range.is_some() {
        // A shard hashed only its bytes: the manifest names the whole file.
        report();
        out.changed_while_read = before != stamp(path);
        if let Ok((sha, size)) = sha256_file(path) {
            out.sha256 = sha;
            out.raw_bytes = size;
        }
        return out;
    }
    // Hash whatever the decoder did not read (a truncated stream stops early).
    let consumed = state.lock().map(|s| s.bytes).unwrap_or(0);
    if let Ok(mut f) = fs_err::File::open(path) {
        use std::io::Seek;
        if f.seek(std::io::SeekFrom::Start(consumed)).is_ok() {
            let mut h = HashingReader {
                inner: f,
                state: Arc::clone(&state),
            };
            let _ = std::io::copy(&mut h, &mut std::io::sink());
        }
    }
    report();
    out.changed_while_read = before != stamp(path);
    if let Ok(mut s) = state.lock() {
        out.raw_bytes = s.bytes;
        out.sha256 = hex::encode(std::mem::take(&mut s.sha).finalize());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    type Row = (RowPos, Vec<Vec<u8>>);

    fn rows(path: &Path, layout: &Layout, range: Option<(u64, u64)>) -> (Vec<Row>, u64) {
        let mut out = Vec::new();
        let limits = ReadLimits {
            max_decompressed: 0,
            range,
        };
        let o = read_file_with(
            path,
            0,
            layout,
            limits,
            || None,
            |b| {
                for (rec, pos) in b.recs[..b.len].iter().zip(&b.pos) {
                    out.push((*pos, rec.iter().map(<[u8]>::to_vec).collect()));
                }
                true
            },
            |_| {},
        );
        assert!(o.error.is_none(), "{:?}", o.error);
        (out, o.blank_lines)
    }

    /// Shards cut anywhere read the same rows at the same lines and offsets as one whole
    /// read: multi-line quoted fields, blank lines, CRLF and CR-only line ends, a byte-order
    /// mark, JSON lines.
    #[test]
    fn shards_together_read_what_the_whole_file_reads() {
        let dir = std::env::temp_dir().join(format!("bm-shards-{}", std::process::id()));
        fs_err::create_dir_all(&dir).unwrap();
        let mut csv = String::from("name,address,email\n");
        let mut jsonl = String::new();
        for i in 0..300 {
            let address = if i % 40 == 3 {
                format!("\"{i} High St\nLeeds\nLS1 1AA\"")
            } else {
                format!("{i} Mill Lane")
            };
            csv += &format!("Person {i},{address},p{i}@example.com\n");
            jsonl += &format!("{{\"name\":\"Person {i}\",\"email\":\"p{i}@example.com\"}}\n");
            if i % 11 == 0 {
                csv += "\n";
                jsonl += "\n";
            }
        }
        let files = [
            ("lf.csv", csv.clone()),
            ("crlf.csv", csv.replace('\n', "\r\n")),
            ("cr.csv", csv.replace('\n', "\r")),
            ("bom.csv", format!("\u{feff}{csv}")),
            ("lines.jsonl", jsonl),
        ];
        for (name, text) in files {
            let path = dir.join(name);
            fs_err::write(&path, &text).unwrap();
            let mut layout = crate::dump::sniff_file(&path).unwrap();
            if name.ends_with(".csv") {
                layout.quoting = true;
            }
            let whole = rows(&path, &layout, None);
            assert_eq!(whole.0.len(), 300, "{name}");
            let size = text.len() as u64;
            for n in 1..=9 {
                let (mut got, mut blank) = (Vec::new(), 0);
                for k in 1..=n {
                    let (r, b) = rows(&path, &layout, Some((size * (k - 1) / n, size * k / n)));
                    got.extend(r);
                    blank += b;
                }
                assert_eq!((got, blank), whole, "{name} in {n} shards");
            }
        }
        let _ = fs_err::remove_dir_all(&dir);
    }
}
