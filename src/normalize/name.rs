//! Names: given names, surnames, and whole names in one cell.
//!
//! Folding (shared with address lines): Unicode NFKD, combining marks stripped, lower case,
//! and ß → ss, æ → ae, œ → oe, ø → o, ł → l, đ/ð → d, þ → th, ı → i; so "Zoë" is `zoe`,
//! "Siân" `sian`, "José" `jose`, "Strauß" `strauss`. Apostrophes (straight and curly),
//! hyphens and dashes join (they are removed without breaking the word); whitespace and other
//! punctuation separate words.
//!
//! - [`surname`]: only the letters are kept, so "O'Neill", "O Neill" and "ONEILL" are all
//!   `oneill`, and "Smith-Jones", "Smith Jones" and "SMITH-JONES" are all `smithjones`.
//!   Rejected: no letters, any digit (a name with digits is not a name), a lone initial, more
//!   than 60 letters.
//! - [`given_name`]: leading titles are dropped (mr, mrs, ms, miss, mx, dr, prof, rev, sir,
//!   dame, lady, lord, master, fr and a few spellings of them, any case, with or without a
//!   dot), then only the first word is kept ("John Paul" is `john`; middle names differ
//!   between systems). A lone initial ("J", "J.") is [`Reject::InitialOnly`]: it cannot
//!   identify anyone.
//! - [`full_name`]: one cell holding a whole name, split into candidate (given, surname)
//!   pairs, most likely first. See its documentation for the rules.
//!
//! A value that folds to a placeholder ("None", "Un-known") is [`Reject::Empty`], so every
//! output is itself accepted unchanged (normalisation is idempotent).

use super::{PLACEHOLDERS, Reject, clean, is_placeholder};
use std::cell::RefCell;
use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// Version of this normaliser's rules; bump it (and so [`super::NORMALIZE_VERSION`]) when an
/// output changes for any input.
pub const VERSION: u32 = 1;

/// Most letters in a given name or surname.
const MAX_CHARS: usize = 60;
/// Most words in a full-name cell.
const MAX_WORDS: usize = 10;
/// Longest input considered, in bytes.
const MAX_INPUT: usize = 512;

/// Titles dropped from the front of a given name or a full name.
const TITLES: [&str; 20] = [
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "prof",
    "professor",
    "rev",
    "revd",
    "reverend",
    "sir",
    "dame",
    "lady",
    "lord",
    "master",
    "mstr",
    "mister",
    "fr",
    "father",
];

/// Suffixes dropped from the end of a full name.
const SUFFIXES: [&str; 16] = [
    "jr", "junior", "sr", "snr", "senior", "jnr", "ii", "iii", "iv", "phd", "esq", "obe", "mbe",
    "cbe", "kbe", "dbe",
];

/// Whether `w` (folded) is a title dropped from the front of a name.
pub(super) fn is_title(w: &str) -> bool {
    TITLES.contains(&w)
}

/// Whether `w` (folded) is a suffix dropped from the end of a full name.
pub(super) fn is_suffix(w: &str) -> bool {
    SUFFIXES.contains(&w)
}

/// How one input character folded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Class {
    /// Letters or digits were appended: part of a word.
    Kept,
    /// Nothing appended and the word goes on: apostrophes, combining marks, invisible
    /// characters.
    Joiner,
    /// A hyphen or dash: joins a name ("Smith-Jones"), separates the words of an address.
    Hyphen,
    /// A word separator: whitespace and any other punctuation or symbol.
    Sep,
}

/// What folding appended so far.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Seen {
    /// A letter was appended.
    pub(super) letter: bool,
    /// A digit was appended.
    pub(super) digit: bool,
}

/// Letters NFKD does not take apart.
fn special(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' | 'ẞ' => "ss",
        'æ' | 'Æ' => "ae",
        'œ' | 'Œ' => "oe",
        'ø' | 'Ø' => "o",
        'ł' | 'Ł' => "l",
        'đ' | 'Đ' | 'ð' | 'Ð' => "d",
        'þ' | 'Þ' => "th",
        'ı' => "i",
        'ħ' | 'Ħ' => "h",
        'ŧ' | 'Ŧ' => "t",
        _ => return None,
    })
}

fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '`'
            | '\u{2018}'
            | '\u{2019}'
            | '\u{201B}'
            | '\u{2032}'
            | '\u{00B4}'
            | '\u{02B9}'
            | '\u{02BB}'
            | '\u{02BC}'
            | '\u{02BD}'
            | '\u{FF07}'
    )
}

fn is_hyphen(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}'
    )
}

fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{AD}' | '\u{034F}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}'
    )
}

/// Folds one character into `out`: letters lower case without accents, digits kept (and
/// noted in `seen`), nothing for joiners and separators. Pure ASCII never touches the Unicode
/// tables.
#[inline(always)]
pub(super) fn fold_char(c: char, out: &mut String, seen: &mut Seen) -> Class {
    match c {
        'a'..='z' => {
            out.push(c);
            seen.letter = true;
            Class::Kept
        }
        'A'..='Z' => {
            out.push(c.to_ascii_lowercase());
            seen.letter = true;
            Class::Kept
        }
        '0'..='9' => {
            out.push(c);
            seen.digit = true;
            Class::Kept
        }
        '\'' | '`' => Class::Joiner,
        '-' => Class::Hyphen,
        _ if c.is_ascii() => Class::Sep,
        _ => fold_non_ascii(c, out, seen),
    }
}

/// The non-ASCII part of [`fold_char`], kept out of line so the ASCII part inlines into the
/// loops that call it.
#[inline(never)]
fn fold_non_ascii(c: char, out: &mut String, seen: &mut Seen) -> Class {
    let mut acc = Acc::default();
    fold_unicode(c, out, seen, &mut acc, 0);
    if acc.kept {
        Class::Kept
    } else if acc.sep {
        Class::Sep
    } else if acc.hyphen {
        Class::Hyphen
    } else {
        Class::Joiner
    }
}

/// What the pieces of one decomposed character did.
#[derive(Default)]
struct Acc {
    kept: bool,
    sep: bool,
    hyphen: bool,
}

/// Folds a non-ASCII character: special letters, joiners, then NFKD (recursively, bounded)
/// with marks dropped, then lower case (re-folded, so the result is a fixed point).
fn fold_unicode(c: char, out: &mut String, seen: &mut Seen, acc: &mut Acc, depth: u8) {
    if c.is_ascii() {
        match fold_char(c, out, seen) {
            Class::Kept => acc.kept = true,
            Class::Sep => acc.sep = true,
            Class::Hyphen => acc.hyphen = true,
            Class::Joiner => {}
        }
        return;
    }
    if let Some(s) = special(c) {
        out.push_str(s);
        seen.letter = true;
        acc.kept = true;
        return;
    }
    if is_apostrophe(c) || is_invisible(c) || is_combining_mark(c) {
        return;
    }
    if is_hyphen(c) {
        acc.hyphen = true;
        return;
    }
    if depth < 4 {
        let mut base = false;
        decompose_compatible(c, |d| {
            if d == c {
                base = true;
            } else {
                fold_unicode(d, out, seen, acc, depth + 1);
            }
        });
        if !base {
            return;
        }
    }
    if c.is_alphabetic() {
        let mut lower = c.to_lowercase();
        if lower.len() == 1 && lower.next() == Some(c) || depth >= 4 {
            out.push(c);
            seen.letter = true;
            acc.kept = true;
        } else {
            for l in c.to_lowercase() {
                fold_unicode(l, out, seen, acc, depth + 1);
            }
        }
    } else if c.is_numeric() {
        out.push(c);
        seen.digit = true;
        acc.kept = true;
    } else {
        acc.sep = true;
    }
}

/// The words folded into the end of a buffer: their start offsets, one space between them.
#[derive(Debug, Clone, Copy)]
struct Words {
    /// Where the first word starts (no space before it).
    base: usize,
    starts: [usize; MAX_WORDS],
    n: usize,
}

impl Words {
    const fn new() -> Words {
        Words {
            base: 0,
            starts: [0; MAX_WORDS],
            n: 0,
        }
    }

    /// Where word `i` ends (the words run to the end of `buf`).
    fn end(&self, buf: &str, i: usize) -> usize {
        if i + 1 < self.n {
            self.starts[i + 1] - 1
        } else {
            buf.len()
        }
    }

    fn word<'a>(&self, buf: &'a str, i: usize) -> &'a str {
        buf.get(self.starts[i]..self.end(buf, i)).unwrap_or("")
    }

    fn last<'a>(&self, buf: &'a str) -> Option<&'a str> {
        (self.n > 0).then(|| self.word(buf, self.n - 1))
    }

    /// Removes the last word (and the space before it).
    fn pop(&mut self, buf: &mut String) {
        if self.n == 0 {
            return;
        }
        self.n -= 1;
        let s = self.starts[self.n];
        buf.truncate(if s > self.base { s - 1 } else { s });
    }
}

/// Folds `s` onto the end of `buf` as words separated by single spaces, recording them in
/// `words`. Leading titles are dropped when `drop_titles`; folding stops after `limit` words
/// (the rest is only checked for digits). Returns whether a title was dropped.
fn fold_words(
    s: &str,
    buf: &mut String,
    words: &mut Words,
    drop_titles: bool,
    limit: usize,
) -> Result<bool, Reject> {
    *words = Words::new();
    words.base = buf.len();
    let mut seen = Seen::default();
    let mut in_word = false;
    let mut dropped = false;
    let mut chars = s.chars();
    loop {
        let c = chars.next();
        let boundary = match c {
            None => true,
            Some(c) => {
                let mark = buf.len();
                match fold_char(c, buf, &mut seen) {
                    Class::Kept => {
                        if !in_word {
                            if words.n == MAX_WORDS {
                                return Err(Reject::Shape("too many words for a name"));
                            }
                            let start = if mark > words.base {
                                buf.insert(mark, ' ');
                                mark + 1
                            } else {
                                mark
                            };
                            words.starts[words.n] = start;
                            words.n += 1;
                            in_word = true;
                        }
                        false
                    }
                    Class::Joiner | Class::Hyphen => false,
                    Class::Sep => true,
                }
            }
        };
        if boundary && in_word {
            in_word = false;
            if drop_titles && words.n == 1 && is_title(words.word(buf, 0)) {
                words.pop(buf);
                dropped = true;
            } else if words.n >= limit {
                break;
            }
        }
        if c.is_none() {
            break;
        }
    }
    if seen.digit || chars.any(char::is_numeric) {
        return Err(Reject::DigitsInName);
    }
    Ok(dropped)
}

/// Checks a folded given name (one word of letters).
fn check_given(g: &str) -> Result<(), Reject> {
    match g.chars().count() {
        0 => Err(Reject::NoLetters),
        1 => Err(Reject::InitialOnly),
        n if n > MAX_CHARS => Err(Reject::Length("a given name of more than 60 letters")),
        _ if is_placeholder(g) => Err(Reject::Empty),
        _ => Ok(()),
    }
}

/// Normalises a surname: letters only, lower case, without accents.
///
/// "O'Neill" → `oneill`; "Smith-Jones", "Smith Jones", "SMITH-JONES" → `smithjones`;
/// "Mc Donald" → `mcdonald`. Rejected: no letters ([`Reject::NoLetters`]), digits
/// ([`Reject::DigitsInName`]), a single letter ([`Reject::InitialOnly`]), more than 60 letters.
pub fn surname(input: &str, out: &mut String) -> Result<(), Reject> {
    out.clear();
    let t = clean(input)?;
    if t.len() > MAX_INPUT {
        return Err(Reject::Length("too long for a surname"));
    }
    let mut seen = Seen::default();
    for c in t.chars() {
        fold_char(c, out, &mut seen);
    }
    if !seen.letter {
        return Err(Reject::NoLetters);
    }
    if seen.digit {
        return Err(Reject::DigitsInName);
    }
    match out.chars().count() {
        1 => Err(Reject::InitialOnly),
        n if n > MAX_CHARS => Err(Reject::Length("a surname of more than 60 letters")),
        _ if is_placeholder(out) => Err(Reject::Empty),
        _ => Ok(()),
    }
}

/// Normalises a given name: leading titles dropped, the first word only, letters only.
///
/// "Mr. John Paul" → `john`; "Anne-Marie" → `annemarie`; "Zoë" → `zoe`. Rejected: a lone
/// initial ([`Reject::InitialOnly`]), digits anywhere ([`Reject::DigitsInName`]), a title
/// alone, no letters.
pub fn given_name(input: &str, out: &mut String) -> Result<(), Reject> {
    out.clear();
    let t = clean(input)?;
    if t.len() > MAX_INPUT {
        return Err(Reject::Length("too long for a given name"));
    }
    let mut words = Words::new();
    let dropped = fold_words(t, out, &mut words, true, 1)?;
    if words.n == 0 {
        return Err(if dropped {
            Reject::Shape("only a title")
        } else {
            Reject::NoLetters
        });
    }
    check_given(out)
}

/// Where the parts of a folded full name sit in the buffer: the given name is
/// `buf[..given_end]`, followed by one space; surname candidate `k` is everything from
/// `sur.starts[k]` to the end, spaces removed.
struct Layout {
    given_end: usize,
    sur: Words,
}

impl Layout {
    /// The start of surname candidate `k`, if it is a usable surname.
    fn candidate(&self, buf: &str, k: usize) -> Result<usize, Reject> {
        let start = self.sur.starts[k];
        let tail = buf.get(start..).unwrap_or("");
        match tail.chars().filter(|&c| c != ' ').count() {
            0 | 1 => Err(Reject::InitialOnly),
            n if n > MAX_CHARS => Err(Reject::Length("a surname of more than 60 letters")),
            _ if self.is_placeholder_pair(buf, tail) => Err(Reject::Empty),
            _ => Ok(start),
        }
    }

    /// Whether "given surname" spells a two-word placeholder ("Not Known").
    fn is_placeholder_pair(&self, buf: &str, surname_words: &str) -> bool {
        let given = buf.get(..self.given_end).unwrap_or("");
        // A two-word placeholder is `given`, one space, then the surname words run together.
        PLACEHOLDERS.iter().any(|p| {
            let p = p.as_bytes();
            p.get(given.len()) == Some(&b' ')
                && p.starts_with(given.as_bytes())
                && surname_words
                    .bytes()
                    .filter(|&b| b != b' ')
                    .eq(p[given.len() + 1..].iter().copied())
        })
    }
}

/// Folds a full name into `buf` and finds its parts.
fn layout(input: &str, buf: &mut String) -> Result<Layout, Reject> {
    buf.clear();
    let t = clean(input)?;
    if t.len() > MAX_INPUT {
        return Err(Reject::Length("too long for a name"));
    }
    let mut main = t;
    if let Some((before, after)) =
        memchr::memchr(b',', t.as_bytes()).map(|i| (&t[..i], &t[i + 1..]))
    {
        // "SMITH, John" / "Smith, Mr John A.": given name is the first word after the comma.
        let mut w = Words::new();
        fold_words(after, buf, &mut w, true, usize::MAX)?;
        let only_suffixes = (0..w.n).all(|i| is_suffix(w.word(buf, i)));
        if !only_suffixes {
            let given_end = w.end(buf, 0);
            buf.truncate(given_end);
            check_given(buf)?;
            buf.push(' ');
            let mut s = Words::new();
            fold_words(before, buf, &mut s, false, usize::MAX)?;
            while s.n > 1 && s.last(buf).is_some_and(is_suffix) {
                s.pop(buf);
            }
            if s.n == 0 {
                return Err(Reject::SingleWord);
            }
            // One candidate: every word before the comma.
            s.n = 1;
            return Ok(Layout { given_end, sur: s });
        }
        // Nothing but a suffix after the comma ("John Smith, Jr") or nothing at all.
        buf.clear();
        main = before;
    }
    let mut w = Words::new();
    let dropped = fold_words(main, buf, &mut w, true, usize::MAX)?;
    while w.n > 2 && w.last(buf).is_some_and(is_suffix) {
        w.pop(buf);
    }
    match w.n {
        0 if !dropped => return Err(Reject::NoLetters),
        0 | 1 => return Err(Reject::SingleWord),
        _ => {}
    }
    let given_end = w.end(buf, 0);
    check_given(buf.get(..given_end).unwrap_or(""))?;
    // Surname candidates start at words 2..=n.
    w.starts.copy_within(1..w.n, 0);
    w.n -= 1;
    w.base = w.starts[0];
    Ok(Layout { given_end, sur: w })
}

/// Writes the first candidate of [`full_name`] into `out` as "given surname" (one space).
pub(crate) fn first_candidate(input: &str, out: &mut String) -> Result<(), Reject> {
    let l = layout(input, out)?;
    let mut first_err = None;
    for k in 0..l.sur.n {
        match l.candidate(out, k) {
            Ok(start) => {
                out.replace_range(l.given_end + 1..start, "");
                let mut spaces = 0;
                out.retain(|c| {
                    if c == ' ' {
                        spaces += 1;
                        spaces == 1
                    } else {
                        true
                    }
                });
                return Ok(());
            }
            Err(e) => {
                first_err.get_or_insert(e);
            }
        }
    }
    Err(first_err.unwrap_or(Reject::SingleWord))
}

thread_local! {
    /// Scratch buffer for [`full_name`], so a call allocates only its output strings.
    static SCRATCH: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Splits a full-name cell into candidate `(given, surname)` pairs, both normalised as by
/// [`given_name`] and [`surname`]. `out` is cleared first (its strings are reused); on `Ok`
/// it holds at least one candidate, on `Err` none.
///
/// Rules:
/// - leading titles and trailing suffixes (jr, junior, sr, snr, jnr, ii, iii, phd, esq, obe,
///   mbe, ...) are dropped (a suffix only while more than two words remain);
/// - with a comma ("SMITH, John", "Smith, Mr John A."): the surname is everything before the
///   comma, the given name the first word after it (titles dropped); one candidate. A comma
///   followed only by a suffix ("John Smith, Jr") is ignored;
/// - otherwise, words t1..tn (n >= 2): the given name is t1, and there is one candidate per
///   possible surname start k in 2..=n, surname = tk..tn concatenated, **in order of k
///   ascending** (the longest surname first): "John A. Smith" → (john, asmith), (john, smith);
///   "Andrew Lloyd Webber" → (andrew, lloydwebber), (andrew, webber). A candidate whose
///   surname would be a single initial is never produced.
///
/// Rejected: one word ([`Reject::SingleWord`]), a given name that is an initial ("J Smith":
/// [`Reject::InitialOnly`]), digits anywhere ([`Reject::DigitsInName`]), more than 10 words.
pub fn full_name(input: &str, out: &mut Vec<(String, String)>) -> Result<(), Reject> {
    let r = SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut buf) => fill_pairs(input, &mut buf, out),
        Err(_) => fill_pairs(input, &mut String::new(), out),
    });
    if r.is_err() {
        out.clear();
    }
    r
}

fn fill_pairs(
    input: &str,
    buf: &mut String,
    out: &mut Vec<(String, String)>,
) -> Result<(), Reject> {
    let l = layout(input, buf)?;
    let given = buf.get(..l.given_end).unwrap_or("");
    let mut used = 0;
    let mut first_err = None;
    for k in 0..l.sur.n {
        match l.candidate(buf, k) {
            Ok(start) => {
                if used == out.len() {
                    out.push((String::new(), String::new()));
                }
                if let Some((g, s)) = out.get_mut(used) {
                    g.clear();
                    g.push_str(given);
                    s.clear();
                    s.extend(buf.get(start..).unwrap_or("").chars().filter(|&c| c != ' '));
                }
                used += 1;
            }
            Err(e) => {
                first_err.get_or_insert(e);
            }
        }
    }
    out.truncate(used);
    if used == 0 {
        return Err(first_err.unwrap_or(Reject::SingleWord));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sn(s: &str) -> Result<String, Reject> {
        let mut o = String::new();
        surname(s, &mut o).map(|()| o)
    }
    fn gn(s: &str) -> Result<String, Reject> {
        let mut o = String::new();
        given_name(s, &mut o).map(|()| o)
    }
    fn full(s: &str) -> Result<Vec<(String, String)>, Reject> {
        let mut o = Vec::new();
        full_name(s, &mut o).map(|()| o)
    }
    fn first(s: &str) -> Result<String, Reject> {
        let mut o = String::new();
        first_candidate(s, &mut o).map(|()| o)
    }
    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(g, s)| (g.to_string(), s.to_string()))
            .collect()
    }

    #[test]
    fn surnames() {
        for (i, want) in [
            ("O'Neill", "oneill"),
            ("ONeill", "oneill"),
            ("O Neill", "oneill"),
            ("O\u{2019}Neill", "oneill"),
            ("O`NEILL", "oneill"),
            ("Smith-Jones", "smithjones"),
            ("SMITH-JONES", "smithjones"),
            ("Smith Jones", "smithjones"),
            ("Smith\u{2013}Jones", "smithjones"),
            ("McDonald", "mcdonald"),
            ("Mc Donald", "mcdonald"),
            ("St. John", "stjohn"),
            ("Müller", "muller"),
            ("MÜLLER", "muller"),
            ("Łukasiewicz", "lukasiewicz"),
            ("Nowak\u{a0}", "nowak"),
            ("  \"Brown\" ", "brown"),
            ("Strauß", "strauss"),
            ("Ødegaard", "odegaard"),
            ("Ærø", "aero"),
            ("Đoković", "dokovic"),
            ("de la Cruz", "delacruz"),
            ("Gonza\u{301}lez", "gonzalez"),
            ("ＳＭＩＴＨ", "smith"),
            ("Smith\u{ad}Jones", "smithjones"),
            ("Иванов", "иванов"),
        ] {
            assert_eq!(sn(i).as_deref(), Ok(want), "{i}");
        }
        assert_eq!(sn("N/A"), Err(Reject::Empty));
        assert_eq!(sn(""), Err(Reject::Empty));
        assert_eq!(sn("none"), Err(Reject::Empty));
        assert_eq!(sn("Un-known"), Err(Reject::Empty));
        assert_eq!(sn("Smith2"), Err(Reject::DigitsInName));
        assert_eq!(sn("12345"), Err(Reject::NoLetters));
        assert_eq!(sn("!!!"), Err(Reject::NoLetters));
        assert_eq!(sn("S."), Err(Reject::InitialOnly));
        assert!(matches!(sn(&"a".repeat(61)), Err(Reject::Length(_))));
        assert_eq!(sn(&"a".repeat(60)).map(|s| s.len()), Ok(60));
    }

    #[test]
    fn given_names() {
        for (i, want) in [
            ("John", "john"),
            ("JOHN", "john"),
            ("Mr John", "john"),
            ("Mr. John", "john"),
            ("MR.JOHN", "john"),
            ("mrs   jane", "jane"),
            ("Dr Prof John", "john"),
            ("Sir Elton", "elton"),
            ("John Paul", "john"),
            ("Anne-Marie", "annemarie"),
            ("Anne Marie", "anne"),
            ("Zoë", "zoe"),
            ("ZOË", "zoe"),
            ("Siân", "sian"),
            ("Seán", "sean"),
            ("José", "jose"),
            ("Chloé", "chloe"),
            ("dr aoife", "aoife"),
            ("Oluwaseun", "oluwaseun"),
            (" Priya ", "priya"),
            ("'Jo'", "jo"),
            ("Jo", "jo"),
            ("Rev. Fr. Michael", "michael"),
        ] {
            assert_eq!(gn(i).as_deref(), Ok(want), "{i}");
        }
        assert_eq!(gn("J"), Err(Reject::InitialOnly));
        assert_eq!(gn("J."), Err(Reject::InitialOnly));
        assert_eq!(gn("Mr J. Smith"), Err(Reject::InitialOnly));
        assert_eq!(gn("unknown"), Err(Reject::Empty));
        assert_eq!(gn("Mr None"), Err(Reject::Empty));
        assert_eq!(gn("Jo3n"), Err(Reject::DigitsInName));
        assert_eq!(gn("John 2"), Err(Reject::DigitsInName));
        assert_eq!(gn("Mr"), Err(Reject::Shape("only a title")));
        assert_eq!(gn("..."), Err(Reject::Empty));
        assert_eq!(gn("&&"), Err(Reject::NoLetters));
    }

    #[test]
    fn full_names() {
        let p = |g: &str, s: &str| Ok((g.to_string(), s.to_string()));
        let f = |s: &str| full(s).map(|v| v[0].clone());
        assert_eq!(f("Mr John Smith"), p("john", "smith"));
        assert_eq!(f("SMITH, John"), p("john", "smith"));
        assert_eq!(f("Smith, Mr John A."), p("john", "smith"));
        assert_eq!(f("Smith-Jones, Mrs Zoë"), p("zoe", "smithjones"));
        assert_eq!(f("john smith"), p("john", "smith"));
        assert_eq!(f("Zoe Smith-Jones"), p("zoe", "smithjones"));
        assert_eq!(f("Mrs Siân O'Neill"), p("sian", "oneill"));
        assert_eq!(f("Mary O'Neill"), p("mary", "oneill"));
        assert_eq!(f("John Smith Jr"), p("john", "smith"));
        assert_eq!(f("John Smith, Jr."), p("john", "smith"));
        assert_eq!(f("Dr. Priya Patel PhD"), p("priya", "patel"));
        assert_eq!(f("LORD, John"), p("john", "lord"));
        assert_eq!(f("José Müller"), p("jose", "muller"));
        assert_eq!(
            full("John A. Smith"),
            Ok(pairs(&[("john", "asmith"), ("john", "smith")]))
        );
        assert_eq!(
            full("Andrew Lloyd Webber"),
            Ok(pairs(&[("andrew", "lloydwebber"), ("andrew", "webber")]))
        );
        assert_eq!(
            full("Mary Anne Van Der Berg"),
            Ok(pairs(&[
                ("mary", "annevanderberg"),
                ("mary", "vanderberg"),
                ("mary", "derberg"),
                ("mary", "berg"),
            ]))
        );
        assert_eq!(full("John Smith J"), Ok(pairs(&[("john", "smithj")])));
        assert_eq!(full("Smith"), Err(Reject::SingleWord));
        assert_eq!(full("Mr Smith"), Err(Reject::SingleWord));
        assert_eq!(full("Smith,"), Err(Reject::SingleWord));
        assert_eq!(full("J Smith"), Err(Reject::InitialOnly));
        assert_eq!(full("Smith, J."), Err(Reject::InitialOnly));
        assert_eq!(full("John S"), Err(Reject::InitialOnly));
        assert_eq!(full("John 5mith"), Err(Reject::DigitsInName));
        assert_eq!(full("  "), Err(Reject::Empty));
        assert_eq!(full("Not Known"), Err(Reject::Empty));
        assert_eq!(full("Known, Not"), Err(Reject::Empty));
        assert_eq!(full("Not Kno Wn"), Ok(pairs(&[("not", "wn")])));
        assert_eq!(
            full("Ann Bea Cat Dee Eve Fay Gus Hal Ian Jo Kay"),
            Err(Reject::Shape("too many words for a name"))
        );
        assert_eq!(full("Mary O'Neill"), Ok(pairs(&[("mary", "oneill")])));
    }

    #[test]
    fn full_name_reuses_and_clears_output() {
        let mut v = pairs(&[("x", "y"), ("p", "q"), ("r", "s")]);
        assert_eq!(full_name("Mary O Neill", &mut v), Ok(()));
        assert_eq!(v, pairs(&[("mary", "oneill"), ("mary", "neill")]));
        assert!(full_name("Smith", &mut v).is_err());
        assert!(v.is_empty());
    }

    #[test]
    fn first_candidate_matches_full_name() {
        for i in [
            "Mr John A. Smith",
            "SMITH, John",
            "Andrew Lloyd Webber",
            "Mary O'Neill",
            "Dr. Priya Patel PhD",
            "John Smith, Jr",
            "Łukasz Żółć",
        ] {
            let v = full(i).unwrap();
            assert_eq!(first(i), Ok(format!("{} {}", v[0].0, v[0].1)), "{i}");
        }
        assert_eq!(first("Mr John A. Smith").as_deref(), Ok("john asmith"));
        assert_eq!(first("J Smith"), Err(Reject::InitialOnly));
    }

    #[test]
    fn folding_is_a_fixed_point() {
        for s in ["ǅ", "İstanbul", "ﬁona", "Ǆemal", "ŉ", "Ⅻ", "ǽsc", "ẞ"] {
            if let Ok(once) = sn(s) {
                assert_eq!(sn(&once), Ok(once.clone()), "{s}");
            }
        }
    }
}
