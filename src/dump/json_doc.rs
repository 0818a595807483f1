//! JSON documents that are not JSON lines: an array of records (`[{...}, {...}]`, as exports
//! and APIs write them, often pretty-printed over many lines), or a stream of pretty-printed
//! objects one after another. [`Splitter`] cuts such a stream into its records (the elements
//! of a top-level array, or the top-level values), each with the line and byte offset where it
//! starts, so that every record is matched and reported like a JSON line.
//!
//! Only bytes are followed (strings, escapes, brackets), never the values: a record is parsed
//! later by the decoder, like a JSON line, and a broken one is rejected by its line there. A
//! record past [`MAX_RECORD_BYTES`] keeps only its head (it is rejected as oversized), so
//! memory stays bounded whatever the file.

use super::decode::MAX_ROW_BYTES;

/// Bytes of one record kept; a longer record is cut here and rejected as oversized.
pub const MAX_RECORD_BYTES: usize = MAX_ROW_BYTES + 1;

/// Returns false from the enclosing function when a callback said stop.
macro_rules! return_if_stopped {
    ($e:expr) => {
        if !$e {
            return false;
        }
    };
}

/// A record found: its bytes, and where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record<'a> {
    /// The record's bytes (cut at [`MAX_RECORD_BYTES`]).
    pub bytes: &'a [u8],
    /// 1-based line of its first byte.
    pub line: u64,
    /// Byte offset of its first byte.
    pub offset: u64,
}

/// Cuts a JSON document, fed in pieces, into records.
#[derive(Debug, Default)]
pub struct Splitter {
    /// Nesting depth (arrays and objects) before the next byte.
    depth: u32,
    /// Whether the document is a top-level array (records at depth 1) or values (depth 0).
    array: Option<bool>,
    in_string: bool,
    escape: bool,
    /// The record being gathered, and where it started.
    buf: Vec<u8>,
    in_record: bool,
    start: (u64, u64),
    /// Bytes and line ends read so far.
    offset: u64,
    lines: u64,
}

impl Splitter {
    /// A splitter for a document whose first byte is at `offset`, after `lines` line ends.
    pub fn new(offset: u64, lines: u64) -> Splitter {
        Splitter {
            offset,
            lines,
            ..Splitter::default()
        }
    }

    /// Bytes read so far, from the start of the file.
    pub fn position(&self) -> u64 {
        self.offset
    }

    fn record_depth(&self) -> u32 {
        u32::from(self.array == Some(true))
    }

    /// Reads the next bytes, calling `each` for every record completed in them; stops early
    /// (returning false) when `each` does.
    pub fn push(&mut self, data: &[u8], each: &mut impl FnMut(Record<'_>) -> bool) -> bool {
        for &b in data {
            let at = (self.lines + 1, self.offset);
            self.offset += 1;
            if b == b'\n' {
                self.lines += 1;
            }
            if self.in_string {
                self.keep(b);
                if self.escape {
                    self.escape = false;
                } else if b == b'\\' {
                    self.escape = true;
                } else if b == b'"' {
                    self.in_string = false;
                    // A string record ends with its quote.
                    if self.depth == self.record_depth() {
                        return_if_stopped!(self.finish(each));
                    }
                }
                continue;
            }
            if self.array.is_none() {
                if b.is_ascii_whitespace() {
                    continue;
                }
                self.array = Some(b == b'[');
                if b == b'[' {
                    self.depth = 1;
                    continue;
                }
            }
            let rd = self.record_depth();
            match b {
                b'{' | b'[' => {
                    if self.depth == rd {
                        self.begin(at);
                    }
                    self.depth += 1;
                    self.keep(b);
                }
                b'}' | b']' => {
                    if self.depth == rd && self.in_record {
                        // The end of a scalar record: `[1, 2]`.
                        return_if_stopped!(self.finish(each));
                    }
                    self.depth = self.depth.saturating_sub(1);
                    if self.depth >= rd && (self.depth > rd || self.in_record) {
                        self.keep(b);
                    }
                    if self.depth == rd && self.in_record {
                        return_if_stopped!(self.finish(each));
                    }
                }
                b'"' => {
                    if self.depth == rd && !self.in_record {
                        self.begin(at);
                    }
                    self.in_string = true;
                    self.keep(b);
                }
                b',' if self.depth == rd => {
                    if self.in_record {
                        return_if_stopped!(self.finish(each));
                    }
                }
                _ if b.is_ascii_whitespace() && self.depth == rd => {
                    if self.in_record {
                        return_if_stopped!(self.finish(each));
                    }
                }
                _ => {
                    if self.depth == rd && !self.in_record {
                        self.begin(at);
                    }
                    self.keep(b);
                }
            }
        }
        true
    }

    fn begin(&mut self, (line, offset): (u64, u64)) {
        self.in_record = true;
        self.start = (line, offset);
        self.buf.clear();
    }

    fn keep(&mut self, b: u8) {
        if self.in_record && self.buf.len() < MAX_RECORD_BYTES {
            self.buf.push(b);
        }
    }

    fn finish(&mut self, each: &mut impl FnMut(Record<'_>) -> bool) -> bool {
        self.in_record = false;
        each(Record {
            bytes: &self.buf,
            line: self.start.0,
            offset: self.start.1,
        })
    }

    /// The end of the stream: a record still open (cut short) is handed on as it is, to be
    /// rejected by its line. Returns false when `each` says stop.
    pub fn end(&mut self, each: &mut impl FnMut(Record<'_>) -> bool) -> bool {
        if self.in_record {
            return self.finish(each);
        }
        true
    }
}

/// Whether the head of a file is a JSON document that is not JSON lines: a top-level array,
/// or an object that does not end on its first line (pretty-printed).
pub fn looks_like_document(body: &[u8]) -> bool {
    let t = body.trim_ascii_start();
    match t.first() {
        Some(b'[') => true,
        Some(b'{') => {
            let first = t.split(|&b| b == b'\n').next().unwrap_or(t);
            serde_json::from_slice::<serde_json::Value>(first.trim_ascii()).is_err()
        }
        _ => false,
    }
}

/// The records of a head of a document (the last one, maybe cut short by the head, left out).
pub fn sample_records(body: &[u8], most: usize) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut s = Splitter::new(0, 0);
    s.push(body, &mut |r| {
        out.push(r.bytes.to_vec());
        out.len() < most
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(data: &[u8], piece: usize) -> Vec<(String, u64, u64)> {
        let mut out = Vec::new();
        let mut s = Splitter::new(0, 0);
        let mut each = |r: Record<'_>| {
            out.push((
                String::from_utf8_lossy(r.bytes).into_owned(),
                r.line,
                r.offset,
            ));
            true
        };
        for p in data.chunks(piece.max(1)) {
            s.push(p, &mut each);
        }
        s.end(&mut each);
        out
    }

    #[test]
    fn arrays_and_streams_of_objects_are_cut_into_records() {
        let doc = b"[\n  {\"name\": \"Jack\", \"tags\": [\"a\", \"]\"]},\n  {\"name\": \"Q\\\"}\"}\n, 7, \"x\", {}\n]\n";
        for piece in [1, 2, 5, 1000] {
            let got = split(doc, piece);
            assert_eq!(
                got,
                [
                    (r#"{"name": "Jack", "tags": ["a", "]"]}"#.to_string(), 2, 4),
                    (r#"{"name": "Q\"}"}"#.to_string(), 3, 44),
                    ("7".to_string(), 4, 63),
                    ("\"x\"".to_string(), 4, 66),
                    ("{}".to_string(), 4, 71),
                ],
                "pieces of {piece}"
            );
        }
        let stream = b"{\n \"a\": 1\n}\n{\n \"b\": {\"c\": [1,2]}\n}\n";
        let got = split(stream, 3);
        assert_eq!(got.len(), 2);
        assert_eq!((got[0].1, got[0].2), (1, 0));
        assert_eq!((got[1].1, got[1].2), (4, 12));
        assert_eq!(got[1].0, "{\n \"b\": {\"c\": [1,2]}\n}");
    }

    #[test]
    fn a_record_cut_short_is_handed_on_and_a_huge_one_is_bounded() {
        let got = split(b"[{\"a\": 1}, {\"b\": ", 4);
        assert_eq!(got.len(), 2);
        assert_eq!(got[1].0, "{\"b\": ");
        let mut big = b"[{\"a\": \"".to_vec();
        big.extend(std::iter::repeat_n(b'x', MAX_RECORD_BYTES * 2));
        big.extend(b"\"}, {\"z\": 1}]");
        let got = split(&big, 1 << 16);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].0.len(), MAX_RECORD_BYTES);
        assert_eq!(got[1].0, "{\"z\": 1}");
    }

    #[test]
    fn documents_are_told_from_json_lines() {
        assert!(looks_like_document(b"  [\n{\"a\":1}]"));
        assert!(looks_like_document(b"{\n  \"a\": 1\n}\n"));
        assert!(!looks_like_document(b"{\"a\": 1}\n{\"a\": 2}\n"));
        assert!(!looks_like_document(b"name,email\n"));
        assert_eq!(
            sample_records(b"[{\"a\":1},{\"b\":2},{\"c\":", 10),
            [b"{\"a\":1}".to_vec(), b"{\"b\":2}".to_vec()]
        );
    }
}
