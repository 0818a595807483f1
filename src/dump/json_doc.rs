//! JSON documents that are not JSON lines: an array of records (`[{...}, {...}]`, as exports
//! and APIs write them, often pretty-printed over many lines), or a stream of pretty-printed
//! objects one after another. [`Splitter`] cuts such a stream into its records, each with the
//! line and byte offset where it starts, so that every record is matched and reported like a
//! JSON line. The records of a top-level value are:
//!
//! - the elements of a top-level array; when its first element is an array of column names
//!   (`[["name", "email"], ["Zoe", "z@x"]]`), each further array is read as the object of
//!   those names (without one, of `column 1`, `column 2`...);
//! - for an object, the elements of the array of objects that holds the records, as APIs
//!   wrap them (`{"count": 2, "results": [{...}, {...}]}`, `{"data": {"users": [...]}}`): the
//!   largest one reached through keys alone, unless a field outside it holds a person's data
//!   (a person's record with a list of orders is one record); the other fields are left out;
//! - for an object whose values are all objects with keys in common (`{"u1": {...}, "u2":
//!   {...}}`), each member, read as `{"(key)": key, "*": value}` (the paths
//!   [`super::decode::flatten_json`] gives a key that is data);
//! - else the value itself.
//!
//! Which applies to an object is decided from its first [`DECIDE_BYTES`] (all of it when
//! shorter), held back meanwhile. Otherwise only bytes are followed (strings, escapes,
//! brackets), not the values: a record is parsed later by the decoder, like a JSON line, and a
//! broken one is rejected by its line there. A record past [`MAX_RECORD_BYTES`] keeps only its
//! head (it is rejected as oversized), so memory stays bounded whatever the file.

use super::decode::{MAX_ROW_BYTES, is_data_key};
use super::sensitive::Category;
use crate::roles::Role;

/// Bytes of one record kept; a longer record is cut here and rejected as oversized.
pub const MAX_RECORD_BYTES: usize = MAX_ROW_BYTES + 1;

/// Bytes of a top-level object looked at to decide where its records are.
pub const DECIDE_BYTES: usize = 64 << 10;

/// Bytes of an object key kept to follow the way to the records (longer keys are compared by
/// their head).
const MAX_KEY_BYTES: usize = 256;

/// Objects followed from the top-level one to find the array of records.
const MAX_PATH_DEPTH: u32 = 16;

/// Keys of the first member value kept to compare the others with (keyed records).
const MAX_MEMBER_KEYS: usize = 64;

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

/// What one byte is to the structure of a JSON text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    /// `{` (false) or `[` (true).
    Open(bool),
    /// `}` or `]`.
    Close,
    /// The quote that opens a string.
    StrStart,
    /// A byte inside a string (escapes included).
    StrByte,
    /// The quote that closes a string.
    StrEnd,
    Colon,
    Comma,
    Space,
    /// Any other byte outside strings: part of a number, `true`, `false` or `null`.
    Other,
}

/// Follows strings and escapes, byte by byte.
#[derive(Debug, Default, Clone, Copy)]
struct Lex {
    in_string: bool,
    escape: bool,
}

impl Lex {
    fn step(&mut self, b: u8) -> Tok {
        if self.in_string {
            if self.escape {
                self.escape = false;
                return Tok::StrByte;
            }
            return match b {
                b'\\' => {
                    self.escape = true;
                    Tok::StrByte
                }
                b'"' => {
                    self.in_string = false;
                    Tok::StrEnd
                }
                _ => Tok::StrByte,
            };
        }
        match b {
            b'{' => Tok::Open(false),
            b'[' => Tok::Open(true),
            b'}' | b']' => Tok::Close,
            b'"' => {
                self.in_string = true;
                Tok::StrStart
            }
            b':' => Tok::Colon,
            b',' => Tok::Comma,
            _ if b.is_ascii_whitespace() => Tok::Space,
            _ => Tok::Other,
        }
    }
}

/// Where the records of one top-level value are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
enum Plan {
    /// The value is one record.
    #[default]
    Whole,
    /// The elements of the array reached from the top-level object by these keys (none: the
    /// value is the array).
    Array(Vec<Vec<u8>>),
    /// The members of the top-level object, each read as `{"(key)": key, "*": value}`.
    Keyed,
}

impl Plan {
    /// Depth of the container whose elements or members are the records (0: the value).
    fn depth(&self) -> u32 {
        match self {
            Plan::Whole => 0,
            Plan::Array(path) => u32::try_from(path.len())
                .unwrap_or(MAX_PATH_DEPTH)
                .saturating_add(1),
            Plan::Keyed => 1,
        }
    }
}

/// An array reached from the top-level object through keys alone, and what it holds.
#[derive(Debug, Clone, Default)]
struct Found {
    path: Vec<Vec<u8>>,
    objects: u64,
    arrays: u64,
    /// Whether a string in its records holds an '@' (an e-mail: people's records).
    at_sign: bool,
}

impl Found {
    /// Whether it is likelier to hold the people than `other`: e-mails first (`{"users": [one
    /// with an e-mail], "events": [two without]}`), then more records: objects, then arrays
    /// (table rows).
    fn more_than(&self, other: &Found) -> bool {
        (self.at_sign, self.objects, self.arrays) > (other.at_sign, other.objects, other.arrays)
    }
}

/// Looks at the head of a top-level object to decide its [`Plan`].
#[derive(Debug, Default)]
struct Look {
    lex: Lex,
    depth: u32,
    /// How many of the open containers, from the outermost, are reached through keys alone
    /// (objects, and maybe last an array); whether each is an array, and each one's last key.
    kp: u32,
    arrays: Vec<bool>,
    keys: Vec<Vec<u8>>,
    expect_key: bool,
    reading_key: bool,
    /// Whether the last key names a person's data (`email`, `dob`...).
    key_personal: bool,
    /// Whether a field outside the arrays holds a person's data: a scalar under a key that
    /// names it.
    personal: bool,
    /// Whether a string outside the arrays holds an '@': a person's e-mail under a key not
    /// known (`"owner": "j@example.com"`) when beside one sub-object, but the wrapper's own
    /// (`"exported_by": "admin@crm.example"`) beside two records or more.
    at_sign: bool,
    /// Whether a key of the top-level object is a column name ("user", "address"): its
    /// members are then parts of one record, not records keyed by id.
    named_members: bool,
    /// The array reached through keys that holds the most records so far, and the one open.
    best: Option<Found>,
    current: Option<Found>,
    /// Members of the top-level object whose value is an object; whether any value is not.
    members: u32,
    not_objects: bool,
    /// Keys of the first member's value; whether the current member's value has one of them,
    /// and whether some member's value had none.
    first_keys: Vec<Vec<u8>>,
    shares: bool,
    unlike: bool,
    /// Whether the object has ended.
    done: bool,
}

impl Look {
    /// Reads the next byte of the object (its first byte being its `{`).
    fn step(&mut self, b: u8) {
        let in_object = self.kp > 0 && self.depth == self.kp && self.arrays.last() == Some(&false);
        match self.lex.step(b) {
            Tok::StrByte => {
                if self.reading_key {
                    if let Some(k) = self.keys.last_mut()
                        && k.len() < MAX_KEY_BYTES
                    {
                        k.push(b);
                    }
                } else if b == b'@' && in_object {
                    self.at_sign = true;
                } else if b == b'@'
                    && self.depth > self.kp
                    && let Some(f) = &mut self.current
                {
                    f.at_sign = true;
                }
            }
            Tok::StrStart if in_object => {
                if self.expect_key {
                    self.reading_key = true;
                    if let Some(k) = self.keys.last_mut() {
                        k.clear();
                    }
                } else {
                    self.scalar();
                }
            }
            Tok::StrEnd if self.reading_key => {
                self.reading_key = false;
                self.key_read();
            }
            Tok::Other if in_object && !self.expect_key => self.scalar(),
            Tok::Colon if in_object => self.expect_key = false,
            Tok::Comma if in_object => self.expect_key = true,
            Tok::Open(array) => self.open(array),
            Tok::Close => self.close(),
            _ => {}
        }
    }

    /// A scalar value under the last key of an object reached through keys.
    fn scalar(&mut self) {
        if self.key_personal {
            self.personal = true;
        }
        if self.depth == 1 {
            self.not_objects = true;
        }
    }

    /// A key of an object reached through keys has been read.
    fn key_read(&mut self) {
        let key = self.keys.last().map_or(&[][..], Vec::as_slice);
        self.key_personal = names_personal_data(key);
        if self.kp == 1
            && self.depth == 1
            && std::str::from_utf8(key).is_ok_and(|k| Role::from_header(k).is_some())
        {
            self.named_members = true;
        }
        // A key of a member's value, for keyed records.
        if self.kp == 2 && self.depth == 2 {
            if self.members == 1 {
                if self.first_keys.len() < MAX_MEMBER_KEYS {
                    self.first_keys.push(key.to_vec());
                }
            } else if self.first_keys.iter().any(|k| k == key) {
                self.shares = true;
            }
        }
    }

    fn open(&mut self, array: bool) {
        if self.kp > 0 && self.depth == self.kp && self.arrays.last() == Some(&true) {
            // An element of an array reached through keys.
            if let Some(f) = &mut self.current {
                if array {
                    f.arrays += 1;
                } else {
                    f.objects += 1;
                }
            }
        } else if self.depth == self.kp && self.kp < MAX_PATH_DEPTH {
            // The top-level object, or a value in an object reached through keys.
            if self.depth == 1 {
                if array {
                    self.not_objects = true;
                } else {
                    self.members += 1;
                    self.shares = false;
                }
            }
            if array && self.kp > 0 {
                self.current = Some(Found {
                    path: self.keys.clone(),
                    ..Found::default()
                });
            }
            self.arrays.push(array);
            self.keys.push(Vec::new());
            self.kp += 1;
            self.expect_key = !array;
        }
        self.depth = self.depth.saturating_add(1);
    }

    fn close(&mut self) {
        if self.kp > 0 && self.depth == self.kp {
            let array = self.arrays.pop().unwrap_or(false);
            self.keys.pop();
            self.kp -= 1;
            if array {
                if let Some(f) = self.current.take()
                    && self.best.as_ref().is_none_or(|b| f.more_than(b))
                {
                    self.best = Some(f);
                }
            } else if self.kp == 1 && self.members > 1 && !self.shares {
                self.unlike = true;
            }
        }
        self.depth = self.depth.saturating_sub(1);
        if self.kp > 0 && self.depth == self.kp {
            self.expect_key = false;
        }
        if self.depth == 0 {
            self.done = true;
        }
    }

    /// The plan for what has been seen.
    fn plan(&self) -> Plan {
        let best = match (&self.best, &self.current) {
            (Some(b), Some(o)) if o.more_than(b) => Some(o),
            (Some(b), _) => Some(b),
            (None, o) => o.as_ref(),
        };
        if let Some(f) = best
            && (f.objects > 0 || f.arrays >= 2)
            && !self.personal
            && !(self.at_sign && f.objects + f.arrays < 2)
        {
            return Plan::Array(f.path.clone());
        }
        if self.members >= 2 && !self.not_objects && !self.unlike && !self.named_members {
            return Plan::Keyed;
        }
        Plan::Whole
    }
}

/// Whether an object key names a person's data (`email`, `user.dob`), as a column would.
fn names_personal_data(key: &[u8]) -> bool {
    std::str::from_utf8(key)
        .ok()
        .and_then(Role::from_header)
        .is_some_and(Role::is_identifying)
}

/// Whether the records array reads as a table, and its column names.
#[derive(Debug, Default)]
enum Table {
    /// Not a table (or not known to be one yet: see [`Table::Unknown`]).
    #[default]
    Off,
    /// Decided by its first element.
    Unknown,
    /// Rows of these column names (none: `column 1`, `column 2`...).
    Rows(Vec<String>),
}

/// What [`Splitter::table_row`] made of a record.
enum Row {
    /// The header of a table: not a record.
    Skip,
    /// A table row, written as an object.
    Built,
    /// The record as it is.
    Raw,
}

/// How reading a piece of a stream ended.
enum Run {
    /// All of it was read.
    Done,
    /// A callback said stop.
    Stopped,
    /// A top-level object starts at this index: its plan must be decided first.
    Look(usize),
}

/// Cuts a JSON document, fed in pieces, into records.
#[derive(Debug, Default)]
pub struct Splitter {
    lex: Lex,
    /// Nesting depth (arrays and objects) before the next byte.
    depth: u32,
    /// How many of the open containers, from the outermost, lead to the records.
    on: u32,
    /// Where the records of the current top-level value are, and the depth of their container.
    plan: Plan,
    rd: u32,
    /// The plan decided for the top-level object about to be read.
    next: Option<Plan>,
    /// The top-level object being looked at before its plan is decided, and its bytes.
    look: Option<Look>,
    held: Vec<u8>,
    /// Whether the innermost container leading to the records (an object) expects a key
    /// next, and its last key.
    expect_key: bool,
    reading_key: bool,
    key: Vec<u8>,
    table: Table,
    /// The record being gathered, and where it started; a table row written as an object.
    buf: Vec<u8>,
    row: Vec<u8>,
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

    /// Reads the next bytes, calling `each` for every record completed in them; stops early
    /// (returning false) when `each` does.
    pub fn push(&mut self, mut data: &[u8], each: &mut impl FnMut(Record<'_>) -> bool) -> bool {
        loop {
            if self.look.is_some() {
                let n = self.hold(data);
                data = &data[n..];
                if !self.ready() {
                    return true;
                }
                return_if_stopped!(self.decide(each));
            }
            match self.run(data, each) {
                Run::Done => return true,
                Run::Stopped => return false,
                Run::Look(i) => {
                    self.look = Some(Look::default());
                    data = &data[i..];
                }
            }
        }
    }

    /// Holds back bytes of the object being looked at, up to its end or [`DECIDE_BYTES`];
    /// returns how many were taken.
    fn hold(&mut self, data: &[u8]) -> usize {
        let Some(look) = self.look.as_mut() else {
            return 0;
        };
        for (i, &b) in data.iter().enumerate() {
            self.held.push(b);
            look.step(b);
            if look.done || self.held.len() >= DECIDE_BYTES {
                return i + 1;
            }
        }
        data.len()
    }

    /// Whether the plan of the object being looked at can be decided.
    fn ready(&self) -> bool {
        self.look.as_ref().is_some_and(|l| l.done) || self.held.len() >= DECIDE_BYTES
    }

    /// Decides the plan of the object looked at, and reads the bytes held back with it.
    fn decide(&mut self, each: &mut impl FnMut(Record<'_>) -> bool) -> bool {
        let Some(look) = self.look.take() else {
            return true;
        };
        self.next = Some(look.plan());
        let held = std::mem::take(&mut self.held);
        let go = !matches!(self.run(&held, each), Run::Stopped);
        self.held = held;
        self.held.clear();
        go
    }

    /// Reads bytes until a top-level object whose plan is not decided yet.
    fn run(&mut self, data: &[u8], each: &mut impl FnMut(Record<'_>) -> bool) -> Run {
        let mut i = 0;
        while i < data.len() {
            // Most bytes are inside a record, below its top level: taken in one go.
            let n = self.skim(&data[i..]);
            if n > 0 {
                i += n;
                continue;
            }
            let b = data[i];
            if b == b'{' && self.depth == 0 && !self.lex.in_string && self.next.is_none() {
                return Run::Look(i);
            }
            let at = (self.lines + 1, self.offset);
            self.offset += 1;
            if b == b'\n' {
                self.lines += 1;
            }
            if !self.step(b, at, each) {
                return Run::Stopped;
            }
            i += 1;
        }
        Run::Done
    }

    /// Inside a record, below its top level, bytes are only kept: follows strings and nesting
    /// over them up to the byte that closes the record's own container (left to
    /// [`Splitter::step`]), keeps them, and returns how many there were.
    fn skim(&mut self, data: &[u8]) -> usize {
        if !self.in_record || self.depth <= self.rd || self.reading_key {
            return 0;
        }
        let Lex {
            mut in_string,
            mut escape,
        } = self.lex;
        let mut depth = self.depth;
        let mut lines = 0;
        let mut i = 0;
        while i < data.len() {
            let b = data[i];
            if in_string {
                if escape {
                    escape = false;
                } else if b == b'\\' {
                    escape = true;
                } else if b == b'"' {
                    in_string = false;
                }
            } else {
                match b {
                    b'"' => in_string = true,
                    b'{' | b'[' => depth = depth.saturating_add(1),
                    b'}' | b']' if depth == self.rd + 1 => break,
                    b'}' | b']' => depth -= 1,
                    _ => {}
                }
            }
            lines += u64::from(b == b'\n');
            i += 1;
        }
        self.keep_all(&data[..i]);
        self.lex = Lex { in_string, escape };
        self.depth = depth;
        self.offset += i as u64;
        self.lines += lines;
        i
    }

    /// Whether the next byte is at the level of the records (between them, or starting one).
    fn at_level(&self) -> bool {
        self.depth == self.rd && self.on == self.depth
    }

    /// Whether the innermost container is an object on the way to the records array.
    fn in_path_object(&self) -> bool {
        self.depth == self.on && self.on >= 1 && self.on < self.rd
    }

    /// Whether a container opening now is on the way to the records (or holds them).
    fn leads_on(&self, array: bool) -> bool {
        match &self.plan {
            Plan::Whole => false,
            Plan::Keyed => self.depth == 0 && !array,
            Plan::Array(path) => {
                array == (self.depth + 1 == self.rd)
                    && (self.depth == 0
                        || path
                            .get((self.depth - 1) as usize)
                            .is_some_and(|k| *k == self.key))
            }
        }
    }

    /// A top-level value starts with `b`: its plan.
    fn start_value(&mut self, b: u8) {
        self.plan = match b {
            b'{' => self.next.take().unwrap_or_default(),
            b'[' => Plan::Array(Vec::new()),
            _ => Plan::Whole,
        };
        self.rd = self.plan.depth();
        self.on = 0;
        self.expect_key = false;
        self.reading_key = false;
        self.table = Table::Off;
    }

    /// Reads one byte (at `at`: line and offset).
    fn step(&mut self, b: u8, at: (u64, u64), each: &mut impl FnMut(Record<'_>) -> bool) -> bool {
        match self.lex.step(b) {
            Tok::StrByte => {
                if self.reading_key && self.key.len() < MAX_KEY_BYTES {
                    self.key.push(b);
                }
                self.keep(b);
            }
            Tok::StrEnd => {
                self.keep(b);
                if self.reading_key {
                    self.reading_key = false;
                } else if self.at_level() && self.in_record && self.plan != Plan::Keyed {
                    // A string record ends with its quote.
                    return self.finish(each);
                }
            }
            Tok::StrStart => {
                if self.depth == 0 && !self.in_record {
                    self.start_value(b);
                }
                if self.at_level() && !self.in_record {
                    // A string record, or the key of a keyed record.
                    self.begin(at);
                } else if self.expect_key && self.in_path_object() {
                    self.reading_key = true;
                    self.key.clear();
                }
                self.keep(b);
            }
            Tok::Open(array) => {
                if self.depth == 0 {
                    // The end of a scalar record: `7{`.
                    if self.in_record {
                        return_if_stopped!(self.finish(each));
                    }
                    self.start_value(b);
                }
                if self.at_level() && !self.in_record {
                    self.begin(at);
                }
                if self.depth == self.on && self.depth < self.rd && self.leads_on(array) {
                    self.on += 1;
                    self.expect_key = !array;
                    self.key.clear();
                    if array && self.on == self.rd {
                        self.table = Table::Unknown;
                    }
                }
                self.depth = self.depth.saturating_add(1);
                self.keep(b);
            }
            Tok::Close => {
                if self.at_level() && self.in_record {
                    // The end of a scalar record: `[1, 2]`.
                    return_if_stopped!(self.finish(each));
                }
                self.depth = self.depth.saturating_sub(1);
                self.on = self.on.min(self.depth);
                self.keep(b);
                if self.on > 0 && self.depth == self.on {
                    self.expect_key = false;
                }
                if self.at_level() && self.in_record {
                    return self.finish(each);
                }
            }
            Tok::Colon => {
                if self.on > 0 && self.depth == self.on {
                    self.expect_key = false;
                }
                if self.at_level() && self.in_record && self.plan == Plan::Keyed {
                    self.keep_all(b",\"*\":");
                } else {
                    self.keep(b);
                }
            }
            Tok::Comma => {
                if self.on > 0 && self.depth == self.on {
                    self.expect_key = true;
                }
                if !self.at_level() {
                    self.keep(b);
                } else if self.in_record {
                    return self.finish(each);
                }
            }
            Tok::Space => {
                if !self.at_level() {
                    self.keep(b);
                } else if self.in_record && self.plan != Plan::Keyed {
                    return self.finish(each);
                }
            }
            Tok::Other => {
                if self.depth == 0 && !self.in_record {
                    self.start_value(b);
                }
                if self.at_level() && !self.in_record {
                    self.begin(at);
                }
                self.keep(b);
            }
        }
        true
    }

    fn begin(&mut self, (line, offset): (u64, u64)) {
        self.in_record = true;
        self.start = (line, offset);
        self.buf.clear();
        if self.plan == Plan::Keyed {
            self.buf.extend_from_slice(b"{\"(key)\":");
        }
    }

    fn keep(&mut self, b: u8) {
        if self.in_record && self.buf.len() < MAX_RECORD_BYTES {
            self.buf.push(b);
        }
    }

    fn keep_all(&mut self, bytes: &[u8]) {
        if self.in_record {
            let room = MAX_RECORD_BYTES.saturating_sub(self.buf.len());
            self.buf.extend_from_slice(&bytes[..bytes.len().min(room)]);
        }
    }

    fn finish(&mut self, each: &mut impl FnMut(Record<'_>) -> bool) -> bool {
        if self.plan == Plan::Keyed {
            self.keep(b'}');
        }
        self.in_record = false;
        let (line, offset) = self.start;
        let bytes: &[u8] = match self.table_row() {
            Row::Skip => return true,
            Row::Built => &self.row,
            Row::Raw => &self.buf,
        };
        each(Record {
            bytes,
            line,
            offset,
        })
    }

    /// A record of a table (an array in an array of records whose first element is an
    /// array): its header, or the row written as an object in `row`.
    fn table_row(&mut self) -> Row {
        if matches!(self.table, Table::Off) {
            return Row::Raw;
        }
        let cells = match self.buf.first() {
            Some(b'[') => serde_json::from_slice::<Vec<serde_json::Value>>(&self.buf).ok(),
            _ => None,
        };
        let Some(cells) = cells else {
            if matches!(self.table, Table::Unknown) {
                self.table = Table::Off;
            }
            return Row::Raw;
        };
        if matches!(self.table, Table::Unknown) {
            if let Some(names) = header_names(&cells) {
                self.table = Table::Rows(names);
                return Row::Skip;
            }
            self.table = Table::Rows(Vec::new());
        }
        let names: &[String] = match &self.table {
            Table::Rows(names) => names.as_slice(),
            _ => &[],
        };
        self.row.clear();
        table_object(names, cells, &mut self.row);
        Row::Built
    }

    /// Decides the plan of an object cut short by the end of the bytes seen, and reads what
    /// was held back; a record still open stays open. Returns false when `each` says stop.
    fn settle(&mut self, each: &mut impl FnMut(Record<'_>) -> bool) -> bool {
        if self.look.is_some() {
            return self.decide(each);
        }
        true
    }

    /// The end of the stream: a record still open (cut short) is handed on as it is, to be
    /// rejected by its line. Returns false when `each` says stop.
    pub fn end(&mut self, each: &mut impl FnMut(Record<'_>) -> bool) -> bool {
        return_if_stopped!(self.settle(each));
        if self.in_record {
            return self.finish(each);
        }
        true
    }
}

/// The column names of a table's first row: strings, none empty, none twice, none data (an
/// e-mail, a date), one at least a known column name. `None` when the row is data.
fn header_names(cells: &[serde_json::Value]) -> Option<Vec<String>> {
    let names: Vec<String> = cells
        .iter()
        .map(|c| c.as_str().map(|s| s.trim().to_string()))
        .collect::<Option<_>>()?;
    let plain = names.iter().all(|n| !n.is_empty() && !is_data_key(n));
    let distinct = names
        .iter()
        .enumerate()
        .all(|(i, n)| !names[..i].contains(n));
    let known = names
        .iter()
        .any(|n| Role::from_header(n).is_some() || Category::from_header(n).is_some());
    (plain && distinct && known).then_some(names)
}

/// Writes a table row as the object of its column names (`column N` past them) into `out`.
fn table_object(names: &[String], cells: Vec<serde_json::Value>, out: &mut Vec<u8>) {
    let map: serde_json::Map<String, serde_json::Value> = cells
        .into_iter()
        .enumerate()
        .map(|(i, v)| {
            let name = names
                .get(i)
                .cloned()
                .unwrap_or_else(|| format!("column {}", i + 1));
            (name, v)
        })
        .collect();
    // Writing into a Vec cannot fail.
    let _ = serde_json::to_writer(out, &serde_json::Value::Object(map));
}

/// Whether a JSON object (a line of a JSON lines file) holds records rather than being one:
/// an API response (`{"page": 1, "results": [{...}, {...}]}`) or an object of keyed records.
pub fn holds_records(value: &[u8]) -> bool {
    let t = value.trim_ascii();
    if t.first() != Some(&b'{') {
        return false;
    }
    let mut look = Look::default();
    for &b in t.iter().take(DECIDE_BYTES) {
        look.step(b);
        if look.done {
            break;
        }
    }
    look.plan() != Plan::Whole
}

/// Whether the head of a file is a JSON document that is not JSON lines: a top-level array,
/// or an object that does not end on its first line (pretty-printed).
pub fn looks_like_document(body: &[u8]) -> bool {
    let t = body.trim_ascii_start();
    match t.first() {
        Some(b'[') => true,
        Some(b'{') => {
            let first = t.split(|&b| b == b'\n').next().unwrap_or(t);
            crate::dump::decode::parse_json(first.trim_ascii()).is_none()
        }
        _ => false,
    }
}

/// The records of a head of a document (the last one, maybe cut short by the head, left out).
pub fn sample_records(body: &[u8], most: usize) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut s = Splitter::new(0, 0);
    let mut each = |r: Record<'_>| {
        out.push(r.bytes.to_vec());
        out.len() < most
    };
    if s.push(body, &mut each) {
        s.settle(&mut each);
    }
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

    /// Offset of the first `needle` in `doc`.
    fn at(doc: &[u8], needle: &str) -> u64 {
        doc.windows(needle.len())
            .position(|w| w == needle.as_bytes())
            .unwrap() as u64
    }

    #[test]
    fn records_wrapped_in_an_api_response_are_its_array_elements() {
        let doc = b"{\"status\": \"ok\",\n \"results\": [\n  {\"name\": \"John Smith\", \"dob\": \"1990-07-21\"},\n  {\"name\": \"Oliver Brown\", \"dob\": \"1970-01-01\"}\n ]\n}\n";
        let a = r#"{"name": "John Smith", "dob": "1990-07-21"}"#;
        let b = r#"{"name": "Oliver Brown", "dob": "1970-01-01"}"#;
        for piece in [1, 2, 5, 1000] {
            assert_eq!(
                split(doc, piece),
                [
                    (a.to_string(), 3, at(doc, a)),
                    (b.to_string(), 4, at(doc, b))
                ],
                "pieces of {piece}"
            );
        }
        assert!(holds_records(doc));
        // Deeper, on one line, with fields on both sides; responses one after another.
        let doc = b"{\"count\":2,\"data\":{\"users\":[{\"name\":\"A B\"},{\"name\":\"C D\"}]},\"page\":1}\n{\"page\":2,\"data\":{\"users\":[{\"name\":\"E F\"}]}}\n";
        let got = split(doc, 7);
        let got: Vec<(&str, u64)> = got.iter().map(|(r, line, _)| (r.as_str(), *line)).collect();
        assert_eq!(
            got,
            [
                (r#"{"name":"A B"}"#, 1),
                (r#"{"name":"C D"}"#, 1),
                (r#"{"name":"E F"}"#, 2)
            ]
        );
        // The largest array of objects holds the records.
        let doc = br#"{"links":[{"rel":"next"}],"meta":{"tags":[{"t":1},{"t":2}]},"results":[{"a":1},{"a":2},{"a":3}]}"#;
        let got = split(doc, 1000);
        let got: Vec<&str> = got.iter().map(|r| r.0.as_str()).collect();
        assert_eq!(got, [r#"{"a":1}"#, r#"{"a":2}"#, r#"{"a":3}"#]);
    }

    #[test]
    fn of_several_arrays_the_one_with_e_mails_holds_the_people() {
        let doc = br#"{"users": [{"name": "John Smith", "email": "js@example.com"}], "events": [{"t": 1}, {"t": 2}]}"#;
        let got = split(doc, 1000);
        let got: Vec<&str> = got.iter().map(|r| r.0.as_str()).collect();
        assert_eq!(
            got,
            [r#"{"name": "John Smith", "email": "js@example.com"}"#]
        );
    }

    #[test]
    fn the_wrapper_s_own_e_mail_and_parts_of_one_record_are_told_apart() {
        // The exporter's address beside two records: still two records.
        let doc = br#"{"exported_by": "admin@crm.example", "results": [{"a":1},{"a":2}]}"#;
        let got = split(doc, 1000);
        let got: Vec<&str> = got.iter().map(|r| r.0.as_str()).collect();
        assert_eq!(got, [r#"{"a":1}"#, r#"{"a":2}"#]);
        // Members named like columns, sharing a key: parts of one person, not keyed records.
        let doc = r#"{"user": {"id": 5, "name": "John Smith"}, "address": {"id": 9, "postcode": "LS1 4AB"}}"#;
        assert_eq!(split(doc.as_bytes(), 1000), [(doc.to_string(), 1, 0)]);
    }

    #[test]
    fn a_record_holding_a_list_of_objects_stays_one_record() {
        for doc in [
            r#"{"name": "John Smith", "orders": [{"id": 1}, {"id": 2}]}"#,
            r#"{"owner": "j@example.com", "items": [{"id": 1}]}"#,
            r#"{"user": {"dob": "1980-01-01"}, "logins": [{"ip": "1.2.3.4"}]}"#,
            // Values that are objects of different kinds are parts of one record.
            r#"{"name": {"first": "A"}, "address": {"postcode": "LS1 4AB"}}"#,
            r#"{"count": 0, "results": []}"#,
        ] {
            assert_eq!(split(doc.as_bytes(), 3), [(doc.to_string(), 1, 0)], "{doc}");
            assert!(!holds_records(doc.as_bytes()), "{doc}");
        }
    }

    #[test]
    fn an_object_of_keyed_records_gives_a_record_a_member() {
        let doc = b"{\n \"mj@example.co.uk\": {\"name\": \"Mary Watson\", \"phone\": \"029 2018 0555\"},\n \"zoe@example.com\": {\"name\": \"Zoe Dubois\"}\n}\n";
        for piece in [1, 4, 1000] {
            assert_eq!(
                split(doc, piece),
                [
                    (
                        r#"{"(key)":"mj@example.co.uk","*":{"name": "Mary Watson", "phone": "029 2018 0555"}}"#
                            .to_string(),
                        2,
                        at(doc, "\"mj@")
                    ),
                    (
                        r#"{"(key)":"zoe@example.com","*":{"name": "Zoe Dubois"}}"#.to_string(),
                        3,
                        at(doc, "\"zoe@")
                    ),
                ],
                "pieces of {piece}"
            );
        }
        for got in split(doc, 1000) {
            assert!(
                serde_json::from_str::<serde_json::Value>(&got.0).is_ok(),
                "{got:?}"
            );
        }
    }

    #[test]
    fn an_array_of_arrays_is_a_table_under_its_header_row() {
        let doc = b"[[\"name\",\"email\"],\n [\"Zoe Dubois\",\"z@example.com\"],\n [\"Al Bee\",null,\"x\"]]\n";
        for piece in [1, 3, 1000] {
            let rows: Vec<(serde_json::Value, u64)> = split(doc, piece)
                .iter()
                .map(|(r, line, _)| (serde_json::from_str(r).unwrap(), *line))
                .collect();
            assert_eq!(
                rows,
                [
                    (
                        serde_json::json!({"name": "Zoe Dubois", "email": "z@example.com"}),
                        2
                    ),
                    (
                        serde_json::json!({"name": "Al Bee", "email": null, "column 3": "x"}),
                        3
                    ),
                ],
                "pieces of {piece}"
            );
        }
        // Without a header row every row is data, under `column N`.
        let got = split(
            b"[[\"Zoe Dubois\",\"z@example.com\"],[\"Al Bee\",\"a@example.com\"]]",
            1000,
        );
        assert_eq!(got.len(), 2);
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&got[0].0).unwrap(),
            serde_json::json!({"column 1": "Zoe Dubois", "column 2": "z@example.com"})
        );
    }

    #[test]
    fn a_long_response_is_decided_from_its_head() {
        let mut doc = String::from("{\"count\": 3000, \"results\": [\n");
        for i in 0..3000 {
            doc += &format!("{{\"name\": \"Person {i}\", \"email\": \"p{i}@example.com\"}},\n");
        }
        doc += "{\"name\": \"Last\"}]}\n";
        assert!(doc.len() > DECIDE_BYTES);
        let got = split(doc.as_bytes(), 4096);
        assert_eq!(got.len(), 3001);
        assert_eq!(got[0].1, 2);
        let last = r#"{"name": "Last"}"#;
        assert_eq!(
            got[3000],
            (last.to_string(), 3002, at(doc.as_bytes(), last))
        );
        // A head cut short (as sniffing sees it) is decided alike.
        let head = sample_records(&doc.as_bytes()[..1000], 5);
        assert_eq!(head.len(), 5);
        assert_eq!(head[0], got[0].0.as_bytes());
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
