//! Delimited files cut into chunks of whole records, so that the matching threads parse them
//! and the reader thread only reads, hashes and cuts.
//!
//! Parsing CSV is the largest serial cost of a scan after decompression (0.3 s for the 2 M-row
//! bench dump against 0.43 s to gunzip it): on a machine with many cores, a reader that parses
//! caps the whole scan. Cutting is cheap but must be exact: a newline inside a quoted field
//! (common in address columns) is not the end of a record. [`Boundaries`] follows the csv
//! crate's own state machine (quotes open a field only at its start, `""` inside quotes is a
//! quote, any other byte after a closing quote goes on as an unquoted field), so a chunk always
//! starts where the csv crate, reading the whole file, would start a record; each chunk is then
//! parsed from there with the same csv settings ([`ChunkParser`]), lines and byte offsets counted from the chunk's
//! position in the file. The tests compare chunked and whole-file reading record by record,
//! cutting at every possible place.

use super::decode::has_width;
use super::reader::{RawBatch, ReadOutcome, RowPos};
use super::sniff::{Format, Layout};

/// Lines one record may span and still be kept whole: a cell typed with line breaks has a
/// few; more is a stray quote swallowing the rows after it (the sniffer doubts quoting at the
/// same count), and the record is read again line by line.
pub const MAX_RECORD_LINES: u64 = 100;

/// Bytes a chunk holds before it is cut at its last record end and sent (about 1,000 rows of
/// a typical dump). A chunk with no record end in it grows until it has one.
pub const CHUNK_BYTES: usize = 128 << 10;

/// Bytes a chunk may hold without a record end before it is cut at its last line end anyway,
/// and read on from there as from a record start. Such a record is nearly always a quote never
/// closed, swallowing the rows after it, so the chunk is read line by line instead (see
/// [`RawChunk::unclosed`]): the rows it swallowed are matched, and memory stays bounded
/// whatever the file.
pub const FORCE_CUT_BYTES: usize = 16 << 20;

/// The csv crate's settings for a delimited layout, shared by whole-file and chunked reading.
pub fn csv_builder(layout: &Layout) -> csv::ReaderBuilder {
    let mut b = csv::ReaderBuilder::new();
    // Records end at '\n' only (a '\r' before it is trimmed with the field): the csv crate's
    // own CRLF handling reports the line before the record.
    b.terminator(csv::Terminator::Any(terminator(layout)))
        .quoting(layout.quoting)
        .delimiter(delimiter(layout))
        .has_headers(false)
        .flexible(true);
    b
}

fn delimiter(layout: &Layout) -> u8 {
    match layout.format {
        Format::Delimited { delimiter, .. } => delimiter as u8,
        _ => b',',
    }
}

fn terminator(layout: &Layout) -> u8 {
    if layout.cr_only { b'\r' } else { b'\n' }
}

/// Where a record may start, as the csv crate decides it: inside or outside quotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// At the start of a record (where the csv crate skips line ends: blank lines).
    RecordStart,
    /// At the start of a field.
    FieldStart,
    /// Inside an unquoted field.
    InField,
    /// Inside a quoted field.
    Quoted,
    /// Just after a quote inside a quoted field: a second quote is a literal quote.
    QuoteInQuoted,
}

/// Finds the ends of records in a delimited byte stream, fed in pieces.
#[derive(Debug, Clone)]
pub struct Boundaries {
    quote: Option<u8>,
    delimiter: u8,
    term: u8,
    state: State,
    /// Records ended so far (blank lines not counted).
    records: u64,
    /// Line ends seen so far, inside quotes or not.
    lines: u64,
}

impl Boundaries {
    /// A scanner at the start of a file (or of any record) of this layout.
    pub fn new(layout: &Layout) -> Boundaries {
        Boundaries {
            quote: layout.quoting.then_some(b'"'),
            delimiter: delimiter(layout),
            term: terminator(layout),
            state: State::RecordStart,
            records: 0,
            lines: 0,
        }
    }

    /// Whether the bytes read so far end where a record may start (after a record's line end,
    /// or at the start).
    pub fn at_record_start(&self) -> bool {
        self.state == State::RecordStart
    }

    /// Goes on as if a record started here, after `lines` line ends.
    fn restart(&mut self, lines: u64) {
        self.state = State::RecordStart;
        self.lines = lines;
    }

    /// Line ends read so far, inside quotes or not.
    pub fn lines(&self) -> u64 {
        self.lines
    }

    /// The byte that ends records ('\n', or '\r' in a file of old Mac line ends).
    pub fn terminator(&self) -> u8 {
        self.term
    }

    /// Reads the next bytes of the stream; returns the offset in `buf` just past the last
    /// record terminator in it, if there is one, with the line ends seen from the start of the
    /// stream up to there.
    pub fn scan(&mut self, buf: &[u8]) -> Option<(usize, u64)> {
        let mut last = None;
        let mut i = 0;
        let n = buf.len();
        // A quote byte that cannot be a quote (quoting off) is searched as the terminator.
        let quote = self.quote.unwrap_or(self.term);
        while i < n {
            match self.state {
                // Line ends inside quotes are counted, not record ends.
                State::Quoted => match memchr::memchr2(quote, self.term, &buf[i..]) {
                    None => i = n,
                    Some(j) => {
                        i += j + 1;
                        if buf[i - 1] == self.term && self.quote.is_some() {
                            self.lines += 1;
                        } else {
                            self.state = State::QuoteInQuoted;
                        }
                    }
                },
                State::QuoteInQuoted => {
                    let b = buf[i];
                    i += 1;
                    self.state = if Some(b) == self.quote {
                        State::Quoted
                    } else if b == self.delimiter {
                        State::FieldStart
                    } else if b == self.term {
                        self.lines += 1;
                        last = Some((i, self.lines));
                        self.records += 1;
                        State::RecordStart
                    } else {
                        State::InField
                    };
                }
                State::RecordStart | State::FieldStart | State::InField => {
                    // Outside quotes only terminators and quotes matter; a quote opens a quoted
                    // field only at the start of a field.
                    match memchr::memchr2(self.term, quote, &buf[i..]) {
                        None => {
                            self.state = if buf[n - 1] == self.delimiter {
                                State::FieldStart
                            } else {
                                State::InField
                            };
                            i = n;
                        }
                        Some(j) => {
                            let p = i + j;
                            let at_start = if j == 0 {
                                self.state != State::InField
                            } else {
                                buf[p - 1] == self.delimiter
                            };
                            i = p + 1;
                            if buf[p] == self.term {
                                self.lines += 1;
                                last = Some((i, self.lines));
                                if !(j == 0 && self.state == State::RecordStart) {
                                    self.records += 1;
                                }
                                self.state = State::RecordStart;
                            } else if at_start {
                                self.state = State::Quoted;
                            } else {
                                self.state = State::InField;
                            }
                        }
                    }
                }
            }
        }
        last
    }
}

/// A piece of a delimited file that starts where a record starts and holds whole records
/// (the last chunk of a file may end without a terminator).
#[derive(Debug, Default)]
pub struct RawChunk {
    /// The bytes, as decompressed.
    pub bytes: Vec<u8>,
    /// Which file (index in the scan's file list).
    pub file: usize,
    /// Byte offset of the chunk in the decompressed content.
    pub offset: u64,
    /// Line ends ('\n', or '\r' in a file of old Mac line ends) before the chunk in the file.
    pub lines_before: u64,
    /// Whether the chunk's first record is the file's header row (skipped).
    pub header: bool,
    /// Whether the chunk was cut without a record end ([`FORCE_CUT_BYTES`]): one record that
    /// never ended, nearly always because of a quote never closed. It is read one line at a
    /// time, each line a record, so a quote still open at a line's end closes there: the row
    /// with the stray quote is read (or rejected) on its own line, and the rows after it are
    /// read as they would have been without it.
    pub unclosed: bool,
}

/// Rows and blank lines found in chunks.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ChunkCounts {
    /// Rows passed on for matching.
    pub rows: u64,
    /// Blank lines skipped.
    pub blank_lines: u64,
    /// Records read again line by line (see [`ChunkParser`]).
    pub records_read_as_lines: u64,
}

impl ChunkCounts {
    /// Puts the counts of a whole file into what reading it found.
    pub fn fill(self, out: &mut ReadOutcome) {
        out.rows = self.rows;
        out.blank_lines = self.blank_lines;
        out.records_read_as_lines = self.records_read_as_lines;
    }
}

impl std::ops::AddAssign for ChunkCounts {
    fn add_assign(&mut self, o: ChunkCounts) {
        self.rows += o.rows;
        self.blank_lines += o.blank_lines;
        self.records_read_as_lines += o.records_read_as_lines;
    }
}

/// Cuts a delimited stream, fed in pieces, into [`RawChunk`]s of about `chunk_bytes`.
#[derive(Debug)]
pub struct Chunker {
    bounds: Boundaries,
    chunk_bytes: usize,
    chunk: RawChunk,
    /// End of the last whole record in `chunk.bytes`.
    cut: usize,
    /// Line ends in the stream before the chunk, and before the cut.
    lines_at_start: u64,
    lines_at_cut: u64,
    /// See [`FORCE_CUT_BYTES`].
    force_cut: usize,
    /// Chunks cut without a record end.
    forced: u64,
}

impl Chunker {
    /// A chunker for a stream whose first byte is at `offset` in the file, after
    /// `lines_before` newlines; `header` when its first record is the header row.
    pub fn new(layout: &Layout, chunk_bytes: usize, first: RawChunk) -> Chunker {
        Chunker {
            bounds: Boundaries::new(layout),
            chunk_bytes: chunk_bytes.max(1),
            chunk: first,
            cut: 0,
            lines_at_start: 0,
            lines_at_cut: 0,
            force_cut: FORCE_CUT_BYTES.max(chunk_bytes),
            forced: 0,
        }
    }

    /// The same with another [`FORCE_CUT_BYTES`] (at least the chunk size).
    pub fn with_force_cut(mut self, bytes: usize) -> Chunker {
        self.force_cut = bytes.max(self.chunk_bytes);
        self
    }

    /// Chunks cut without a record end (see [`FORCE_CUT_BYTES`]).
    pub fn forced_cuts(&self) -> u64 {
        self.forced
    }

    /// Adds the next bytes; returns a chunk of whole records once one is big enough. `fresh`
    /// supplies the (empty) chunk that takes over the bytes after the cut.
    pub fn push(&mut self, data: &[u8], fresh: impl FnOnce() -> RawChunk) -> Option<RawChunk> {
        let start = self.chunk.bytes.len();
        self.chunk.bytes.extend_from_slice(data);
        if let Some((end, lines)) = self.bounds.scan(data) {
            self.cut = start + end;
            self.lines_at_cut = lines;
        }
        if self.cut == 0 && self.chunk.bytes.len() >= self.force_cut {
            return Some(self.force_split(fresh()));
        }
        // The header row stays in the first chunk, which skips it, even after blank lines.
        if self.chunk.bytes.len() < self.chunk_bytes
            || self.cut == 0
            || (self.chunk.header && self.bounds.records == 0)
        {
            return None;
        }
        Some(self.split(fresh()))
    }

    /// The chunk up to the last whole record; `next` gets the bytes after it.
    fn split(&mut self, mut next: RawChunk) -> RawChunk {
        let cut = self.cut;
        next.bytes.clear();
        next.bytes.extend_from_slice(&self.chunk.bytes[cut..]);
        self.chunk.bytes.truncate(cut);
        next.file = self.chunk.file;
        next.offset = self.chunk.offset + cut as u64;
        next.lines_before = self.chunk.lines_before + (self.lines_at_cut - self.lines_at_start);
        self.lines_at_start = self.lines_at_cut;
        next.header = false;
        next.unclosed = false;
        self.cut = 0;
        std::mem::replace(&mut self.chunk, next)
    }

    /// The chunk cut at its last line end (or its end, when it has none) although no record
    /// ends there; what follows is read as from a record start.
    fn force_split(&mut self, next: RawChunk) -> RawChunk {
        let term = self.bounds.terminator();
        let bytes = &self.chunk.bytes;
        let cut = memchr::memrchr(term, bytes).map_or(bytes.len(), |j| j + 1);
        let after = memchr::memchr_iter(term, &bytes[cut..]).count() as u64;
        self.cut = cut;
        self.lines_at_cut = self.bounds.lines() - after;
        self.forced += 1;
        let mut full = self.split(next);
        full.unclosed = true;
        self.bounds.restart(self.lines_at_cut);
        if let Some((end, lines)) = self.bounds.scan(&self.chunk.bytes) {
            self.cut = end;
            self.lines_at_cut = lines;
        }
        full
    }

    /// The rest at the end of the stream (`None` when empty). After a read error, `complete`
    /// is false and a record cut short by the error is left out, as the csv crate would.
    pub fn finish(mut self, complete: bool) -> Option<RawChunk> {
        if !complete {
            self.chunk.bytes.truncate(self.cut);
        }
        (!self.chunk.bytes.is_empty()).then_some(self.chunk)
    }

    /// Bytes taken in so far, from the chunker's first chunk on.
    pub fn position(&self) -> u64 {
        self.chunk.offset + self.chunk.bytes.len() as u64
    }
}

/// A chunk's bytes as the csv reader's input; swapped in and out, never copied. The input
/// ends at `end` (the end of one line, when a chunk is read line by line).
#[derive(Debug, Default)]
struct Feed {
    bytes: Vec<u8>,
    at: usize,
    end: usize,
}

impl std::io::Read for Feed {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let end = self.end.min(self.bytes.len());
        let rest = self.bytes.get(self.at..end).unwrap_or_default();
        let n = rest.len().min(buf.len());
        buf[..n].copy_from_slice(&rest[..n]);
        self.at += n;
        Ok(n)
    }
}

impl std::io::Seek for Feed {
    fn seek(&mut self, pos: std::io::SeekFrom) -> std::io::Result<u64> {
        match pos {
            std::io::SeekFrom::Start(n) => self.at = usize::try_from(n).unwrap_or(usize::MAX),
            _ => return Err(std::io::Error::other("a chunk is only read from its start")),
        }
        Ok(self.at as u64)
    }
}

/// Parses chunks of one layout, one after another, with one csv reader (its parser is built
/// once, not once a chunk).
///
/// A record over several lines that does not have the file's number of fields is nearly
/// always a stray quote (`"Flat 1, High St` never closed) that paired with the next quote in
/// the file, lines later, and swallowed the rows between: such a record is read again one line
/// at a time, each line on its own (a quote open at a line's end closes there), so the row
/// with the stray quote is rejected on its own line and the rows it swallowed are matched. A
/// record of the right width is kept whole over up to [`MAX_RECORD_LINES`] lines (an address
/// typed with line breaks); so is one holding a lone carriage return that may be inside quotes.
/// Rows joined by a lone carriage return are split, and a record longer in lines is read
/// again line by line too.
#[derive(Debug)]
pub struct ChunkParser {
    csv: csv::Reader<Feed>,
    term: u8,
    /// The file's number of fields (0: not known, no record is read again).
    width: usize,
}

impl ChunkParser {
    /// A parser for chunks of this layout.
    pub fn new(layout: &Layout) -> ChunkParser {
        ChunkParser {
            csv: csv_builder(layout).from_reader(Feed::default()),
            term: terminator(layout),
            width: layout.columns.len(),
        }
    }

    /// Parses a chunk's records into `batch` (emptied first), handing every full batch, and
    /// the last, to `each`, which may swap in an empty one and returns false to stop (then
    /// the second value returned is false). The
    /// header row and blank lines are left out. A row's line and offset are those of its first
    /// byte (the csv crate gives a row after blank lines the position of the first blank line,
    /// and counts only '\n' as a line end, which put every row of a file with old Mac line
    /// ends on line 1).
    pub fn parse(
        &mut self,
        chunk: &mut RawChunk,
        batch: &mut RawBatch,
        mut each: impl FnMut(&mut RawBatch) -> bool,
    ) -> (ChunkCounts, bool) {
        std::mem::swap(&mut self.csv.get_mut().bytes, &mut chunk.bytes);
        self.start_at(0, usize::MAX, 0);
        let counts = self.records(chunk, batch, &mut each);
        std::mem::swap(&mut self.csv.get_mut().bytes, &mut chunk.bytes);
        counts
    }

    /// Makes the csv reader read the input's bytes `start..end` from a record start, after
    /// `lines` line ends (a seek resets the parser and its end-of-input state; reading from
    /// memory cannot fail).
    fn start_at(&mut self, start: usize, end: usize, lines: u64) {
        self.csv.get_mut().end = end;
        let mut pos = csv::Position::new();
        pos.set_byte(start as u64).set_line(lines + 1);
        let _ = self
            .csv
            .seek_raw(std::io::SeekFrom::Start(start as u64), pos);
    }

    /// Reads the chunk's rows into batches: records as the csv crate reads them, or lines on
    /// their own for a chunk cut without a record end (see [`RawChunk::unclosed`]).
    fn records(
        &mut self,
        chunk: &RawChunk,
        batch: &mut RawBatch,
        each: &mut impl FnMut(&mut RawBatch) -> bool,
    ) -> (ChunkCounts, bool) {
        let mut counts = ChunkCounts::default();
        let mut skip_header = chunk.header;
        let mut at = Place {
            lines_until: if chunk.unclosed { usize::MAX } else { 0 },
            ..Place::default()
        };
        // A carriage return not followed by '\n' in a file of '\n' line ends: rows joined by a
        // line that ends in a lone CR (files pasted together from several systems).
        let lone_cr =
            self.width > 0 && self.term == b'\n' && has_lone_cr(&self.csv.get_ref().bytes);
        batch.reset(chunk.file);
        loop {
            let rec = batch.next_slot();
            let by_line = at.counted < at.lines_until;
            let next = if by_line {
                self.next_line(rec, &mut at)
            } else {
                self.next_record(rec, &mut at)
            };
            let pos = match next {
                Next::End => {
                    batch.len -= 1;
                    break;
                }
                Next::Empty => {
                    batch.len -= 1;
                    continue;
                }
                Next::Row(pos) => pos,
            };
            let rec = &batch.recs[batch.len - 1];
            if std::mem::take(&mut skip_header) {
                batch.len -= 1;
                continue;
            }
            if rec.len() == 1 && rec.get(0).is_some_and(|f| f.trim_ascii().is_empty()) {
                batch.len -= 1;
                counts.blank_lines += 1;
                continue;
            }
            let ragged = self.width > 0 && !has_width(rec, self.width);
            // Line ends the csv reader passed inside the record ('\n' files).
            let long = self.width > 0
                && self.term == b'\n'
                && self.csv.position().line().saturating_sub(pos.line) > MAX_RECORD_LINES;
            if !by_line && (ragged || lone_cr || long) {
                let (start, end) = (pos.offset as usize, self.csv.position().byte() as usize);
                let raw = &self.csv.get_ref().bytes[start..end];
                let lines_in = memchr::memchr(self.term, raw).is_some_and(|j| j + 1 < raw.len());
                let cr_in = lone_cr && has_lone_cr(raw);
                // A lone CR in a record of the right width is split on only where it cannot be
                // inside quotes (an old Mac line break typed into a cell). A record of the right
                // width over more than MAX_RECORD_LINES lines is a stray quote in its last
                // column (one that is too long to keep is rejected as such instead).
                let stray = long && raw.len() <= crate::dump::decode::MAX_ROW_BYTES;
                if (ragged && (lines_in || cr_in)) || (cr_in && !raw.contains(&b'"')) || stray {
                    batch.len -= 1;
                    counts.records_read_as_lines += 1;
                    (at.counted, at.lines, at.lines_until) = (start, pos.line - 1, end);
                    continue;
                }
            }
            batch.pos.push(RowPos {
                line: chunk.lines_before + pos.line,
                offset: chunk.offset + pos.offset,
            });
            counts.rows += 1;
            if batch.is_full() {
                if !each(batch) {
                    return (counts, false);
                }
                batch.reset(chunk.file);
            }
        }
        let go = batch.len == 0 || each(batch);
        batch.reset(chunk.file);
        (counts, go)
    }

    /// The next record as the csv crate reads it, with the line (from 1) and offset in the
    /// chunk of its first byte.
    fn next_record(&mut self, rec: &mut csv::ByteRecord, at: &mut Place) -> Next {
        if !matches!(self.csv.read_byte_record(rec), Ok(true)) {
            return Next::End;
        }
        let data = &self.csv.get_ref().bytes;
        let (start, csv_line) = rec
            .position()
            .map_or((0, 1), |p| (p.byte() as usize, p.line()));
        // Blank lines the parser skipped before the row.
        let skipped = data[start..]
            .iter()
            .take_while(|&&b| b == self.term)
            .count();
        let start = start + skipped;
        if self.term == b'\n' {
            // The csv crate counts '\n' up to where it started the row.
            at.lines = csv_line - 1 + skipped as u64;
        } else {
            at.lines += memchr::memchr_iter(self.term, &data[at.counted..start]).count() as u64;
            at.counted = start;
        }
        Next::Row(RowPos {
            line: at.lines + 1,
            offset: start as u64,
        })
    }

    /// The next line read on its own as a record (a quote open at its end closes there);
    /// after the last line to be read so, records are read as the csv crate reads them again.
    fn next_line(&mut self, rec: &mut csv::ByteRecord, at: &mut Place) -> Next {
        let data = &self.csv.get_ref().bytes;
        let (start, len) = (at.counted, data.len().min(at.lines_until));
        if start >= len {
            return Next::End;
        }
        let (text_end, end, counted) = line_end(&data[..len], start, self.term);
        let pos = RowPos {
            line: at.lines + 1,
            offset: start as u64,
        };
        (at.counted, at.lines) = (end, at.lines + u64::from(counted));
        self.start_at(start, text_end, 0);
        let read = matches!(self.csv.read_byte_record(rec), Ok(true));
        if at.counted >= at.lines_until {
            self.start_at(end, usize::MAX, at.lines);
        }
        if read {
            Next::Row(pos)
        } else {
            // An empty line is no record, as when the csv crate reads the whole file.
            Next::Empty
        }
    }
}

/// Whether `bytes` hold a carriage return that no '\n' follows.
fn has_lone_cr(bytes: &[u8]) -> bool {
    memchr::memchr_iter(b'\r', bytes).any(|i| bytes.get(i + 1) != Some(&b'\n'))
}

/// The line starting at `start`: where its text ends (its terminator included, for the csv
/// reader), where the next line starts, and whether its terminator counts as a line end. In a
/// file of '\n' line ends a lone CR also ends a line (a row pasted from an old Mac file), but
/// line numbers count '\n' only, and the CR is not part of the line's text.
fn line_end(data: &[u8], start: usize, term: u8) -> (usize, usize, bool) {
    if term != b'\n' {
        let end = memchr::memchr(term, &data[start..]).map_or(data.len(), |j| start + j + 1);
        return (end, end, true);
    }
    let mut i = start;
    while let Some(j) = memchr::memchr2(b'\n', b'\r', &data[i..]) {
        let p = i + j;
        if data[p] == b'\n' {
            return (p + 1, p + 1, true);
        }
        if data.get(p + 1) != Some(&b'\n') {
            return (p, p + 1, false);
        }
        i = p + 1;
    }
    (data.len(), data.len(), true)
}

/// How far [`ChunkParser`] has read a chunk: bytes whose line ends are counted, and how
/// many; up to where lines are read one at a time.
#[derive(Debug, Default)]
struct Place {
    counted: usize,
    lines: u64,
    lines_until: usize,
}

/// What [`ChunkParser`] read next.
enum Next {
    /// The end of the chunk.
    End,
    /// A line with no record.
    Empty,
    /// A record, at this line (from 1) and byte offset in the chunk.
    Row(RowPos),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dump::sniff::Compression;

    fn layout(quoting: bool, cr_only: bool, header: bool) -> Layout {
        Layout {
            compression: Compression::None,
            format: Format::Delimited {
                delimiter: ',',
                header,
            },
            bom: false,
            cr_only,
            quoting,
            columns: Vec::new(),
            title_lines: 0,
        }
    }

    /// Columns of these names (no roles): gives a parser the file's number of fields.
    fn columns(names: &[&str]) -> Vec<crate::dump::sniff::ColumnInfo> {
        names
            .iter()
            .map(|n| crate::dump::sniff::ColumnInfo {
                name: (*n).into(),
                role: crate::roles::Role::Other,
                evidence: String::new(),
                sensitive: None,
                sensitive_evidence: String::new(),
            })
            .collect()
    }

    /// Records (fields) of a whole stream read at once by the csv crate, each with the line
    /// and offset of its first byte; without the header row and blank rows.
    fn whole(data: &[u8], layout: &Layout) -> Vec<(RowPos, Vec<Vec<u8>>)> {
        let term = terminator(layout);
        let mut csv = csv_builder(layout).from_reader(data);
        let mut out = Vec::new();
        let mut rec = csv::ByteRecord::new();
        let mut first = matches!(layout.format, Format::Delimited { header: true, .. });
        while csv.read_byte_record(&mut rec).unwrap() {
            if std::mem::take(&mut first) || (rec.len() == 1 && rec[0].trim_ascii().is_empty()) {
                continue;
            }
            let mut start = rec.position().unwrap().byte() as usize;
            while data.get(start) == Some(&term) {
                start += 1;
            }
            let line = 1 + data[..start].iter().filter(|&&b| b == term).count() as u64;
            let pos = RowPos {
                line,
                offset: start as u64,
            };
            out.push((pos, rec.iter().map(<[u8]>::to_vec).collect()));
        }
        out
    }

    fn records(chunks: &mut [RawChunk], layout: &Layout) -> Vec<(RowPos, Vec<Vec<u8>>)> {
        let mut out = Vec::new();
        let mut batch = RawBatch::with_rows(3);
        // One parser for all the chunks, as a matching thread has.
        let mut parser = ChunkParser::new(layout);
        for c in chunks {
            parser.parse(c, &mut batch, |b| {
                for (rec, pos) in b.recs[..b.len].iter().zip(&b.pos) {
                    out.push((*pos, rec.iter().map(<[u8]>::to_vec).collect()));
                }
                true
            });
        }
        out
    }

    /// The stream fed `piece` bytes at a time to a chunker cutting at `chunk_bytes`.
    fn chunked(data: &[u8], layout: &Layout, piece: usize, chunk_bytes: usize) -> Vec<RawChunk> {
        let first = RawChunk {
            header: matches!(layout.format, Format::Delimited { header: true, .. }),
            ..RawChunk::default()
        };
        let mut ch = Chunker::new(layout, chunk_bytes, first);
        let mut out = Vec::new();
        for p in data.chunks(piece.max(1)) {
            if let Some(c) = ch.push(p, RawChunk::default) {
                out.push(c);
            }
        }
        assert_eq!(ch.position(), data.len() as u64);
        out.extend(ch.finish(true));
        out
    }

    fn same_as_whole(data: &[u8], layout: &Layout) {
        let want = whole(data, layout);
        for chunk_bytes in [1, 2, 5, 1 << 20] {
            for piece in [1, 3, 7] {
                let mut chunks = chunked(data, layout, piece, chunk_bytes);
                let joined: Vec<u8> = chunks.iter().flat_map(|c| c.bytes.clone()).collect();
                assert_eq!(joined, data, "no byte lost or repeated");
                for c in &chunks[..chunks.len().saturating_sub(1)] {
                    assert_eq!(c.bytes.last(), Some(&terminator(layout)));
                }
                assert_eq!(
                    records(&mut chunks, layout),
                    want,
                    "{:?} in chunks of {chunk_bytes}, pieces of {piece}",
                    String::from_utf8_lossy(data)
                );
            }
        }
    }

    #[test]
    fn chunks_read_like_the_whole_file() {
        let cases: &[&[u8]] = &[
            b"name,dob\nJohn,1970\nMary,1980\n",
            b"name,address\n\"Smith, John\",\"1 High St\nLeeds\nLS1 1AA\"\nMary,\"2 Low St\"\n",
            // A stray quote inside an unquoted field is a literal quote.
            b"a,b\nO\"Brien,x\"\ny,\"z\n\"\n",
            // Doubled quotes inside quotes, a closing quote followed by more text.
            b"a,b\n\"say \"\"hi\"\"\nthere\",1\n\"ab\"cd\n,e\n",
            // Blank lines, spaces-only lines, no final newline.
            b"a,b\n\n\n  \nx,y\n\nlast,row",
            // An unterminated quote swallows the rest of the file, as the csv crate does.
            b"a,b\nx,\"open\nmore\nrows,here\n",
            // CRLF line ends (the '\r' stays in the last field, trimmed later).
            b"a,b\r\nx,y\r\n\"q\r\nq\",z\r\n",
            // The header row after blank lines is still the header row.
            b"\n\n\nname,dob\nx,y\n",
            b"",
            b"\n",
            b"\"",
        ];
        for data in cases {
            same_as_whole(data, &layout(true, false, true));
            same_as_whole(data, &layout(true, false, false));
            same_as_whole(data, &layout(false, false, true));
        }
        same_as_whole(b"a,b\rx,\"y\rz\"\rw,v\r", &layout(true, true, true));
    }

    /// Random streams of the bytes that matter (quote, delimiter, both line ends, text),
    /// against the csv crate reading them whole, cut everywhere.
    #[test]
    fn random_streams_cut_anywhere_read_like_the_whole_file() {
        let alphabet = b"\",\n\ra ";
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..20000 {
            let len = (next() % 24) as usize;
            let data: Vec<u8> = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            let quoting = next() % 4 != 0;
            let header = next() % 2 == 0;
            let want = whole(&data, &layout(quoting, false, header));
            let mut chunks = chunked(&data, &layout(quoting, false, header), 1, 1);
            assert_eq!(
                records(&mut chunks, &layout(quoting, false, header)),
                want,
                "{:?} quoting {quoting}",
                String::from_utf8_lossy(&data)
            );
        }
    }

    #[test]
    fn a_record_that_never_ends_is_read_line_by_line() {
        let l = layout(true, false, true);
        let mut data = b"name,email\nx,\"open\n".to_vec();
        for i in 0..50 {
            data.extend(format!("r{i},s\n").as_bytes());
        }
        let first = RawChunk {
            header: true,
            ..RawChunk::default()
        };
        let mut ch = Chunker::new(&l, 16, first).with_force_cut(64);
        let mut chunks = Vec::new();
        for p in data.chunks(7) {
            chunks.extend(ch.push(p, RawChunk::default));
        }
        assert_eq!(ch.forced_cuts(), 1);
        chunks.extend(ch.finish(true));
        let joined: Vec<u8> = chunks.iter().flat_map(|c| c.bytes.clone()).collect();
        assert_eq!(joined, data, "no byte lost or repeated");
        assert!(chunks.iter().all(|c| c.bytes.len() < 64 + 7));
        let rows = records(&mut chunks, &l);
        // The unclosed quote's row ends with its line; every row it swallowed is read.
        assert_eq!(rows[0].0.line, 2);
        assert_eq!(rows[0].1, vec![b"x".to_vec(), b"open\n".to_vec()]);
        assert_eq!(rows.len(), 51);
        for (pos, f) in &rows[1..] {
            let i: u64 = std::str::from_utf8(&f[0][1..]).unwrap().parse().unwrap();
            assert_eq!(pos.line, i + 3);
            assert!(data[pos.offset as usize..].starts_with(&f[0]));
        }
    }

    /// A stray quote in the last column keeps the row's width: once the record runs over
    /// MAX_RECORD_LINES lines it is read again line by line; a cell over a few lines stays whole.
    #[test]
    fn a_record_of_the_right_width_over_too_many_lines_is_read_line_by_line() {
        let mut l = layout(true, false, true);
        l.columns = columns(&["a", "b"]);
        let mut data = b"a,b\nx,\"cell\nover\nlines\"\ny,\"open\n".to_vec();
        for i in 0..150 {
            data.extend(format!("r{i},s\n").as_bytes());
        }
        for chunk_bytes in [7, 1 << 20] {
            let mut chunks = chunked(&data, &l, 5, chunk_bytes);
            let rows = records(&mut chunks, &l);
            assert_eq!(rows.len(), 2 + 150, "chunks of {chunk_bytes}");
            assert_eq!(rows[0].1[1], b"cell\nover\nlines");
            assert_eq!(
                (rows[1].0.line, rows[1].1[1].as_slice()),
                (5, &b"open\n"[..])
            );
            assert_eq!((rows[2].0.line, rows[2].1[0].as_slice()), (6, &b"r0"[..]));
            assert_eq!(rows[151].0.line, 155);
        }
    }

    /// In a file of '\n' line ends, a lone CR that joins two rows splits them again (with
    /// the line of the '\n' before), unless it can be inside quotes in a row of the right width.
    #[test]
    fn a_lone_carriage_return_between_rows_splits_them() {
        type Want<'a> = Vec<(u64, u64, Vec<&'a [u8]>)>;
        let cases: [(&[&str], &[u8], Want<'_>); 3] = [
            (
                &["email"],
                b"email\nx@y.com\nj@x.com\re@x.com\nlast\n",
                vec![
                    (2, 6, vec![b"x@y.com"]),
                    (3, 14, vec![b"j@x.com"]),
                    (3, 22, vec![b"e@x.com"]),
                    (4, 30, vec![b"last"]),
                ],
            ),
            (
                &["a", "b"],
                b"a,b\r\n1,2\r3,4\r\n5,6\r\n",
                vec![
                    (2, 5, vec![b"1", b"2"]),
                    (2, 9, vec![b"3", b"4\r"]),
                    (3, 14, vec![b"5", b"6\r"]),
                ],
            ),
            (
                &["a", "b"],
                b"a,b\n\"x\ry\",2\n",
                vec![(2, 4, vec![b"x\ry", b"2"])],
            ),
        ];
        for (cols, data, want) in cases {
            let mut l = layout(true, false, true);
            l.columns = columns(cols);
            for chunk_bytes in [1, 3, 1 << 20] {
                let mut chunks = chunked(data, &l, 2, chunk_bytes);
                let got: Vec<_> = records(&mut chunks, &l)
                    .into_iter()
                    .map(|(p, f)| (p.line, p.offset, f))
                    .collect();
                let want: Vec<_> = want
                    .iter()
                    .map(|(line, off, f)| {
                        (
                            *line,
                            *off,
                            f.iter().map(|x| x.to_vec()).collect::<Vec<_>>(),
                        )
                    })
                    .collect();
                assert_eq!(
                    got,
                    want,
                    "{:?} in chunks of {chunk_bytes}",
                    String::from_utf8_lossy(data)
                );
            }
        }
    }

    /// A stray quote that pairs with a quote lines later makes one record of the wrong width:
    /// it is read again line by line, wherever the chunks were cut; a multi-line record of the
    /// right width stays whole.
    #[test]
    fn a_record_of_the_wrong_width_over_several_lines_is_read_line_by_line() {
        let data: &[u8] =
            b"a,b\nx,\"stray\nr1,s\n\nr2,s\n\"q\",z\n\"Flat 1\nHigh St\",ok\nlast,row";
        let want: Vec<(u64, Vec<&[u8]>)> = vec![
            (2, vec![b"x", b"stray\n"]),
            (3, vec![b"r1", b"s"]),
            (5, vec![b"r2", b"s"]),
            (6, vec![b"q", b"z"]),
            (7, vec![b"Flat 1\nHigh St", b"ok"]),
            (9, vec![b"last", b"row"]),
        ];
        for cr in [false, true] {
            let mut l = layout(true, cr, true);
            l.columns = columns(&["a", "b"]);
            let data = if cr {
                data.iter()
                    .map(|&b| if b == b'\n' { b'\r' } else { b })
                    .collect()
            } else {
                data.to_vec()
            };
            let want: Vec<(u64, Vec<Vec<u8>>)> = want
                .iter()
                .map(|(line, f)| {
                    let f = f.iter().map(|f| {
                        f.iter()
                            .map(|&b| if cr && b == b'\n' { b'\r' } else { b })
                            .collect()
                    });
                    (*line, f.collect())
                })
                .collect();
            for chunk_bytes in [1, 2, 5, 1 << 20] {
                for piece in [1, 3, 7] {
                    let mut chunks = chunked(&data, &l, piece, chunk_bytes);
                    let got = records(&mut chunks, &l);
                    for (pos, f) in &got {
                        let at = &data[pos.offset as usize..];
                        assert!(at.starts_with(&f[0]) || at[1..].starts_with(&f[0]));
                    }
                    let got: Vec<_> = got.into_iter().map(|(p, f)| (p.line, f)).collect();
                    assert_eq!(
                        got, want,
                        "cr {cr}, chunks of {chunk_bytes}, pieces of {piece}"
                    );
                }
            }
            let mut chunks = chunked(&data, &l, 1 << 20, 1 << 20);
            let mut parser = ChunkParser::new(&l);
            let (counts, _) = parser.parse(&mut chunks[0], &mut RawBatch::with_rows(2), |_| true);
            assert_eq!((counts.rows, counts.records_read_as_lines), (6, 1));
        }
    }

    #[test]
    fn a_chunk_is_cut_at_its_last_record_end() {
        let l = layout(true, false, false);
        let mut ch = Chunker::new(&l, 10, RawChunk::default());
        assert!(ch.push(b"abc,\"d\ne\"", RawChunk::default).is_none());
        let c = ch.push(b"\nfg,h\nij", RawChunk::default).unwrap();
        assert_eq!(c.bytes, b"abc,\"d\ne\"\nfg,h\n");
        assert_eq!((c.offset, c.lines_before), (0, 0));
        let rest = ch.finish(true).unwrap();
        assert_eq!(rest.bytes, b"ij");
        assert_eq!(
            (rest.offset, rest.lines_before, rest.header),
            (15, 3, false)
        );
        // After a read error the record cut short is left out.
        let mut ch = Chunker::new(&l, 1 << 20, RawChunk::default());
        assert!(ch.push(b"a,b\nc,\"d", RawChunk::default).is_none());
        assert_eq!(ch.finish(false).unwrap().bytes, b"a,b\n");
    }
}
