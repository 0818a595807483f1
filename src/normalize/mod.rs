//! Normalisation: turning the many ways one value is written into one canonical form.
//!
//! A tenant's details (from the landlord's housing system) and the fields of a leaked dump are
//! both passed through these functions before they are keyed with HMAC and compared, so the
//! same value written two ways ("SW1A 1AA" / "sw1a1aa", "07700 900123" / "+44 7700 900123")
//! becomes byte-identical and matches, while values that cannot identify anyone (placeholders,
//! partial postcodes, lone initials, impossible dates) are rejected with a [`Reject`] reason
//! rather than guessed.
//!
//! Every function here is pure: the output depends on the input alone, never on the pipeline
//! or on earlier calls (the one exception is the date-of-birth normaliser, which reads today's
//! date once per process to reject future dates and to pivot two-digit years). The index and
//! the scan call the same functions.
//!
//! Normalisation is versioned: [`NORMALIZE_VERSION`] is recorded in every index, and any change
//! to a rule that changes some output bumps it, so an index built under other rules is refused
//! instead of silently producing fewer matches.
//!
//! The functions are called millions of times per second by the scan: each writes into a
//! caller-owned `String` (cleared first), pure-ASCII input takes a fast path, and no regex or
//! per-call heap allocation is used beyond the output buffer.
//!
//! Common to every kind: surrounding whitespace (including no-break spaces), control and
//! invisible characters and quotes are trimmed, and an empty value or a placeholder ("null",
//! "N/A", "-", "none", "unknown", ...) is [`Reject::Empty`].
//!
//! Notes and labels written in a cell beside a value are dropped where a kind allows them, so
//! a correct value is still read: a note in brackets after or before it ("07700 900123 (mum)",
//! "(home) 029 2018 0555", "amy@x.com (personal)", "01/02/1985 (age 40)"), a known note word
//! after a phone number or e-mail ("07700 900123 mobile"), and a label of known words in front
//! ("NI No. ", "DOB: ", "E-mail - "). A note never hides a digit (a bracket holding one is not
//! a note, except an age after a date of birth), a note that puts the value in doubt ("(wrong
//! number)", "(old)", "(not in use)", "(approx)") keeps it rejected, and a label must be one of
//! the kind's own words, so "Partner DOB: ..." or "Fax 07700 ..." stay rejected. Each module
//! lists what it drops.

pub mod address;
pub mod bank;
pub mod dob;
pub mod email;
pub mod name;
pub mod nino;
pub mod phone;
pub mod postcode;
pub mod tenancy;

/// Bumped whenever any normaliser's output changes for some input; recorded in the index.
///
/// It is the version of all the normalisers together: it changes whenever any kind's own
/// `VERSION` (in its module) is bumped, so an index built under other rules is refused.
pub const NORMALIZE_VERSION: u32 = name::VERSION
    + dob::VERSION
    + postcode::VERSION
    + email::VERSION
    + phone::VERSION
    + nino::VERSION
    + bank::VERSION
    + tenancy::VERSION
    + address::VERSION
    - 8;

/// Every kind of field we normalise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FieldKind {
    /// A whole name in one cell ("Mr John A. Smith", "SMITH, John"); normalised to
    /// "given surname" (the first candidate of [`name::full_name`] with a given name).
    Name,
    /// A given name (the first forename only).
    GivenName,
    /// A surname.
    Surname,
    /// A date of birth, as ISO `YYYY-MM-DD`.
    Dob,
    /// A UK postcode, upper case without spaces.
    Postcode,
    /// An e-mail address.
    Email,
    /// An e-mail address with `+tag` and Gmail dots folded away.
    EmailFolded,
    /// A telephone number, as E.164.
    Phone,
    /// A National Insurance number, without its suffix letter.
    Nino,
    /// A bank sort code (6 digits).
    SortCode,
    /// A bank account number (8 digits).
    AccountNumber,
    /// A tenancy reference.
    TenancyRef,
    /// The first line of an address.
    AddressLine,
}

impl FieldKind {
    /// Every kind, in declaration order.
    pub const ALL: [FieldKind; 13] = [
        FieldKind::Name,
        FieldKind::GivenName,
        FieldKind::Surname,
        FieldKind::Dob,
        FieldKind::Postcode,
        FieldKind::Email,
        FieldKind::EmailFolded,
        FieldKind::Phone,
        FieldKind::Nino,
        FieldKind::SortCode,
        FieldKind::AccountNumber,
        FieldKind::TenancyRef,
        FieldKind::AddressLine,
    ];

    /// The snake_case name ("name", "given_name", ..., "address_line").
    pub fn as_str(self) -> &'static str {
        match self {
            FieldKind::Name => "name",
            FieldKind::GivenName => "given_name",
            FieldKind::Surname => "surname",
            FieldKind::Dob => "dob",
            FieldKind::Postcode => "postcode",
            FieldKind::Email => "email",
            FieldKind::EmailFolded => "email_folded",
            FieldKind::Phone => "phone",
            FieldKind::Nino => "nino",
            FieldKind::SortCode => "sort_code",
            FieldKind::AccountNumber => "account_number",
            FieldKind::TenancyRef => "tenancy_ref",
            FieldKind::AddressLine => "address_line",
        }
    }

    /// Inverse of [`FieldKind::as_str`] (surrounding whitespace ignored).
    pub fn parse(s: &str) -> Option<FieldKind> {
        let s = s.trim();
        FieldKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl std::fmt::Display for FieldKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a value was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reject {
    /// Empty, or a placeholder such as "null", "N/A", "-", "none" or "unknown".
    Empty,
    /// A character that cannot appear in this kind of value (a letter in a phone number).
    InvalidChar(char),
    /// Not the shape this kind of value has; the detail says how.
    Shape(&'static str),
    /// Too many or too few characters or digits; the detail says what was expected.
    Length(&'static str),
    /// An obvious placeholder: digits all the same or in a run, a default date, an e-mail
    /// such as `noemail@noemail.com`. Reported (in the tenants file too), never matched.
    Junk(&'static str),
    /// A name or address with no letters at all.
    NoLetters,
    /// A name with digits in it (a name with digits is not a name).
    DigitsInName,
    /// A name that is only an initial ("J", "J."): an initial cannot identify anyone.
    InitialOnly,
    /// One word where a full name (given name and surname) was expected.
    SingleWord,
    /// A date that does not exist (31 February, 29 February 1991, month 13, day 0).
    ImpossibleDate {
        /// Day of month as written.
        day: u8,
        /// Month as written.
        month: u8,
        /// Year (four digits, after pivoting a two-digit year).
        year: u16,
    },
    /// A date that only makes sense month-first (US style, "03/25/1985"): never guessed.
    UsDate {
        /// The first number (a day when read UK-style, a month when read US-style).
        first: u8,
        /// The second number, more than 12, so not a month.
        second: u8,
    },
    /// A date of birth before 1900 (the year is given).
    DateTooEarly(u16),
    /// A date of birth in the future.
    DateInFuture,
    /// Only part of a date ("1985", "03/1985", "Mar 1985").
    PartialDate,
    /// A partial postcode (an outward code such as "SW1A" or "M1" alone).
    PartialPostcode,
    /// An NI number whose two-letter prefix is never issued ("QQ", "GB", "D?").
    InvalidNinoPrefix(char, char),
}

/// English month names, for messages.
pub(crate) const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl std::fmt::Display for Reject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reject::Empty => f.write_str("empty or a placeholder"),
            Reject::InvalidChar(c) => write!(f, "invalid character {c:?}"),
            Reject::Shape(why) => write!(f, "wrong shape: {why}"),
            Reject::Length(why) => write!(f, "wrong length: {why}"),
            Reject::Junk(why) => write!(f, "a placeholder, not a real value: {why}"),
            Reject::NoLetters => f.write_str("no letters"),
            Reject::DigitsInName => f.write_str("a name with digits in it"),
            Reject::InitialOnly => f.write_str("only an initial, which cannot identify anyone"),
            Reject::SingleWord => {
                f.write_str("a single word: a full name needs a given name and a surname")
            }
            Reject::ImpossibleDate { day, month, year } => {
                let (d, m) = (*day, *month);
                match MONTH_NAMES.get(usize::from(m).wrapping_sub(1)) {
                    None => write!(f, "impossible date (month {m})"),
                    Some(_) if d == 0 || d > 31 => write!(f, "impossible date (day {d})"),
                    Some(_) if m == 2 && d == 29 => {
                        write!(f, "impossible date (29 February {year})")
                    }
                    Some(name) => write!(f, "impossible date ({d} {name})"),
                }
            }
            Reject::UsDate { first, second } => write!(
                f,
                "month-first (US) date {first:02}/{second:02}: {second} is not a month; not guessed"
            ),
            Reject::DateTooEarly(y) => write!(f, "date before 1900 (year {y})"),
            Reject::DateInFuture => f.write_str("date in the future"),
            Reject::PartialDate => f.write_str("partial date (day, month and year needed)"),
            Reject::PartialPostcode => f.write_str("partial postcode (outward code only)"),
            Reject::InvalidNinoPrefix(a, b) => {
                write!(f, "NI number prefix {a}{b} is never issued")
            }
        }
    }
}

impl std::error::Error for Reject {}

/// Characters trimmed from both ends of every value: whitespace (including no-break spaces),
/// control and invisible characters, and quotes (straight, curly and backticks).
fn is_trim_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_whitespace()
            || c.is_ascii_control()
            || matches!(c, '"' | '\'' | '`' | '\x0b');
    }
    c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '"' | '\''
                | '`'
                | '\u{201C}'
                | '\u{201D}'
                | '\u{2018}'
                | '\u{2019}'
                | '\u{200B}'
                | '\u{2060}'
                | '\u{FEFF}'
        )
}

/// Characters that cannot be seen and are pasted into values by web forms, chat apps and Excel
/// (zero-width spaces and joiners, left-to-right and right-to-left marks, the word joiner and
/// invisible operators, a byte-order mark, a soft hyphen, the combining grapheme joiner):
/// skipped inside names, e-mails, phone numbers, postcodes and NI numbers.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{AD}' | '\u{034F}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}'
    )
}

/// Placeholders that mean "no value" (compared ignoring ASCII case).
pub(crate) const PLACEHOLDERS: [&str; 10] = [
    "null",
    "\\n",
    "(null)",
    "n/a",
    "#n/a",
    "n.a.",
    "none",
    "unknown",
    "not known",
    "undefined",
];

/// Whether `s` is one of the placeholders that mean "no value" ("null", "N/A", "none",
/// "unknown", ...; ASCII case ignored). Normalisers whose output could spell one ("Un-known"
/// folds to "unknown") check their output too, so every output is accepted unchanged when
/// normalised again.
pub(crate) fn is_placeholder(s: &str) -> bool {
    // Every placeholder starts with one of these: a cheap filter for the common case.
    let first = s.as_bytes().first().map(u8::to_ascii_lowercase);
    matches!(first, Some(b'n' | b'u' | b'(' | b'#' | b'\\'))
        && s.len() <= 9
        && PLACEHOLDERS.iter().any(|p| s.eq_ignore_ascii_case(p))
}

/// Trims whitespace (including no-break spaces), control characters and surrounding quotes;
/// returns [`Reject::Empty`] for an empty value, a placeholder ("null", "NULL", "N/A", "n/a",
/// "none", "unknown", "not known", "undefined", "#N/A", "(null)", SQL dumps' `\N`) or a value
/// made only of the punctuation placeholders use (`-`, `--`, `.`, `?`, `*`, `_`, `/`, `#`).
pub(crate) fn clean(input: &str) -> Result<&str, Reject> {
    // Most values start and end with a letter or digit, which are never trimmed.
    let b = input.as_bytes();
    let t = match (b.first(), b.last()) {
        (Some(f), Some(l)) if f.is_ascii_alphanumeric() && l.is_ascii_alphanumeric() => input,
        _ => input.trim_matches(is_trim_char),
    };
    if t.is_empty() || is_placeholder(t) {
        return Err(Reject::Empty);
    }
    if t.bytes()
        .all(|b| matches!(b, b'-' | b'.' | b'?' | b'*' | b'_' | b'/' | b'#' | b' '))
    {
        return Err(Reject::Empty);
    }
    Ok(t)
}

/// Words that, in a note beside a value, say the value is wrong, no longer used or a guess
/// ("(wrong number)", "(old)", "(not in use)", "(approx)"): a note holding one is not dropped,
/// so the value stays rejected. Compared ignoring ASCII case.
const DOUBT_WORDS: [&str; 34] = [
    "wrong",
    "incorrect",
    "invalid",
    "not",
    "old",
    "previous",
    "former",
    "ex",
    "longer",
    "unused",
    "disused",
    "disconnected",
    "dead",
    "ceased",
    "bounced",
    "bounces",
    "undeliverable",
    "fake",
    "dummy",
    "test",
    "unknown",
    "unverified",
    "unconfirmed",
    "check",
    "query",
    "maybe",
    "possibly",
    "approx",
    "approximate",
    "approximately",
    "estimated",
    "est",
    "circa",
    "guess",
];

/// Whether the text inside a pair of brackets beside a value is a note about it ("mum",
/// "work", "M", "personal", "mum's mobile"): it holds a letter, no digit (a digit could be
/// part of the value), no '@', '?', '<', '>' or bracket, and none of the [`DOUBT_WORDS`].
pub(crate) fn is_note(note: &str) -> bool {
    note.chars().any(char::is_alphabetic)
        && !note
            .chars()
            .any(|c| c.is_numeric() || matches!(c, '@' | '?' | '<' | '>' | '(' | ')' | '[' | ']'))
        && !note
            .split(|c: char| !c.is_alphabetic())
            .any(|w| DOUBT_WORDS.iter().any(|d| w.eq_ignore_ascii_case(d)))
}

/// Whether what is left beside a note or label can be a value: it holds a letter or digit.
fn has_value(rest: &str) -> bool {
    rest.chars().any(char::is_alphanumeric)
}

/// A hyphen, en dash or em dash.
fn is_dash(c: char) -> bool {
    matches!(c, '-' | '\u{2013}' | '\u{2014}')
}

/// `s` without trailing whitespace and one separator before it: a ',', ';' or ':', or a dash
/// written after a space ("07700 900123 - " gives "07700 900123"; "x.co-" keeps its dash).
fn trim_end_sep(s: &str) -> &str {
    let s = s.trim_end();
    let Some(c) = s.chars().next_back() else {
        return s;
    };
    let r = &s[..s.len() - c.len_utf8()];
    if matches!(c, ',' | ';' | ':') || (is_dash(c) && r.ends_with(char::is_whitespace)) {
        r.trim_end()
    } else {
        s
    }
}

/// `s` without leading whitespace and one separator after it: a ',', ';' or ':', or a dash
/// followed by a space.
fn trim_start_sep(s: &str) -> &str {
    let s = s.trim_start();
    let Some(c) = s.chars().next() else {
        return s;
    };
    let r = &s[c.len_utf8()..];
    if matches!(c, ',' | ';' | ':') || (is_dash(c) && r.starts_with(char::is_whitespace)) {
        r.trim_start()
    } else {
        s
    }
}

/// `t` without a note in round brackets (and square ones when `square`) at its end or, failing
/// that, at its start, with the space, comma or dash between: "07700 900123 (mum)" and
/// "(home) 029 2018 0555" lose their note. `accept` is given the text inside the brackets and
/// says whether it is a note ([`is_note`] for most kinds). `None` when there is no such note,
/// or no letter or digit would be left ("(mum)" alone is not a value with a note).
pub(crate) fn strip_bracket_note(
    t: &str,
    square: bool,
    accept: impl Fn(&str) -> bool,
) -> Option<&str> {
    let b = t.as_bytes();
    let open_of = |close: u8| match close {
        b')' => Some(b'('),
        b']' if square => Some(b'['),
        _ => None,
    };
    let close_of = |open: u8| match open {
        b'(' => Some(b')'),
        b'[' if square => Some(b']'),
        _ => None,
    };
    // At the end: the last opening bracket (a note holds no bracket of its own).
    if let Some(&close) = b.last()
        && let Some(open) = open_of(close)
        && let Some(i) = memchr::memrchr(open, b)
    {
        let rest = trim_end_sep(&t[..i]);
        if has_value(rest) && accept(&t[i + 1..t.len() - 1]) {
            return Some(rest);
        }
    }
    // At the start: up to the first closing bracket.
    if let Some(&open) = b.first()
        && let Some(close) = close_of(open)
        && let Some(j) = memchr::memchr(close, b)
    {
        let rest = trim_start_sep(&t[j + 1..]);
        if has_value(rest) && accept(&t[1..j]) {
            return Some(rest);
        }
    }
    None
}

/// `t` without its last word when that word is one of `words` (ASCII case ignored) and is
/// written after a space, with the comma or dash before it: "07700 900123 mobile" and
/// "07700 900123 - home" give "07700 900123". `None` when the last word is not one of them, is
/// joined to the value ("900123mobile"), or no letter or digit would be left ("mobile").
pub(crate) fn strip_trailing_word<'a>(t: &'a str, words: &[&str]) -> Option<&'a str> {
    let b = t.as_bytes();
    if !b.last().is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    // Every byte after `start` is an ASCII letter, so `start` is a character boundary.
    let start = b.iter().rposition(|c| !c.is_ascii_alphabetic())? + 1;
    let (before, word) = t.split_at(start);
    if !before.ends_with(char::is_whitespace) || !words.iter().any(|w| word.eq_ignore_ascii_case(w))
    {
        return None;
    }
    let rest = trim_end_sep(before);
    has_value(rest).then_some(rest)
}

/// `t` without a label in front of its value: up to `max` words, each one of `words` (ASCII
/// case ignored, a final '.' ignored: "NI No.", "D.O.B."), then a ':' or a space, with
/// perhaps a dash between spaces ("NI: ", "NI No. ", "E-mail - ", "Date of birth: "). The
/// longest such label is dropped. A dash or dot joined to the value is never taken for a
/// separator ("email.jo@x.com", "Email -jo@x.com" keep theirs). `t` is returned unchanged
/// when there is no label or no letter or digit would be left.
pub(crate) fn strip_label<'a>(t: &'a str, words: &[&str], max: usize) -> &'a str {
    let mut best = t;
    let mut i = 0;
    for _ in 0..max {
        let len = t.as_bytes()[i..]
            .iter()
            .take_while(|&&c| c.is_ascii_alphabetic() || matches!(c, b'.' | b'-' | b'\''))
            .count();
        // ASCII only, so `i + len` is a character boundary.
        let word = t[i..i + len].trim_end_matches('.');
        if word.is_empty() || !words.iter().any(|w| word.eq_ignore_ascii_case(w)) {
            break;
        }
        let after = &t[i + len..];
        let rest = after.trim_start_matches(|c: char| c.is_whitespace() || c == ':' || is_dash(c));
        let sep = &after[..after.len() - rest.len()];
        if has_value(rest)
            && sep
                .chars()
                .next_back()
                .is_some_and(|c| c.is_whitespace() || c == ':')
        {
            best = rest;
        }
        // The next word follows after spaces only ("NI: No" is a label and a value).
        let next = after.trim_start();
        if next.len() == after.len() {
            break;
        }
        i = t.len() - next.len();
    }
    best
}

/// A whole number that a spreadsheet or a JSON writer turned into a float: "123456.0",
/// "7700900123.00", "7.700900123E9", "4.47700900123e+11". Returns `Ok(Some(digits))` when `s`
/// is such a number written in full, `Ok(None)` when `s` is not float-shaped (the caller reads
/// it as usual), and an error when it is scientific notation that dropped digits ("7.7009E+09"
/// could be any of 100,000 numbers: never guessed).
pub(crate) fn whole_number(s: &str) -> Result<Option<String>, Reject> {
    let b = s.as_bytes();
    // The cheap tests first: a float starts and ends with a digit and holds no space, and
    // almost every value has neither a '.' nor an 'e'.
    if !b.first().is_some_and(u8::is_ascii_digit)
        || !b.last().is_some_and(u8::is_ascii_digit)
        || !b.iter().any(|&c| matches!(c, b'.' | b'e' | b'E'))
    {
        return Ok(None);
    }
    let (mantissa, exp) = match s.find(['e', 'E']) {
        Some(i) => {
            let e = s[i + 1..].strip_prefix('+').unwrap_or(&s[i + 1..]);
            if e.is_empty() || e.len() > 2 || !e.bytes().all(|c| c.is_ascii_digit()) {
                return Ok(None);
            }
            (&s[..i], e.parse::<usize>().unwrap_or(0))
        }
        None => (s, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int.is_empty()
        || !int.bytes().all(|c| c.is_ascii_digit())
        || !frac.bytes().all(|c| c.is_ascii_digit())
    {
        return Ok(None);
    }
    if exp == 0 {
        // "123456.0": only zeros after the point.
        return Ok(frac.bytes().all(|c| c == b'0').then(|| int.to_string()));
    }
    if int.len() != 1 {
        return Ok(None);
    }
    let frac = frac.trim_end_matches('0');
    if frac.len() > exp {
        return Ok(None);
    }
    if frac.len() < exp {
        return Err(Reject::Shape(
            "a number in scientific notation that lost digits (format the column as text)",
        ));
    }
    Ok(Some(format!("{int}{frac}")))
}

/// Normalise `input` as `kind` into `out` (cleared first). On Err, `out` content is unspecified.
///
/// [`FieldKind::Name`] writes the first candidate of [`name::full_name`] as "given surname"
/// (one space); the other kinds call their module's normaliser.
pub fn normalize_into(kind: FieldKind, input: &str, out: &mut String) -> Result<(), Reject> {
    match kind {
        FieldKind::Name => name::first_candidate(input, out),
        FieldKind::GivenName => name::given_name(input, out),
        FieldKind::Surname => name::surname(input, out),
        FieldKind::Dob => dob::normalize(input, out),
        FieldKind::Postcode => postcode::normalize(input, out),
        FieldKind::Email => email::normalize(input, out),
        FieldKind::EmailFolded => email::folded(input, out),
        FieldKind::Phone => phone::normalize(input, out),
        FieldKind::Nino => nino::normalize(input, out),
        FieldKind::SortCode => bank::sort_code(input, out),
        FieldKind::AccountNumber => bank::account_number(input, out),
        FieldKind::TenancyRef => tenancy::normalize(input, out),
        FieldKind::AddressLine => address::normalize(input, out),
    }
}

/// Convenience: normalise `input` as `kind` into a newly allocated string.
pub fn normalize(kind: FieldKind, input: &str) -> Result<String, Reject> {
    let mut out = String::new();
    normalize_into(kind, input, &mut out)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip() {
        for k in FieldKind::ALL {
            assert_eq!(FieldKind::parse(k.as_str()), Some(k));
            assert_eq!(k.to_string(), k.as_str());
        }
        assert_eq!(FieldKind::parse("nope"), None);
        let mut sorted = FieldKind::ALL;
        sorted.sort();
        assert_eq!(sorted, FieldKind::ALL);
    }

    #[test]
    fn placeholders_are_empty_for_every_kind() {
        for p in [
            "",
            "   ",
            "\u{a0}",
            "null",
            "NULL",
            "N/A",
            "n/a",
            "-",
            "none",
            "None",
            "unknown",
            "UNKNOWN",
            "\"\"",
            "' '",
            "--",
            "?",
            "#N/A",
            "(null)",
            " \"N/A\" ",
            "not known",
            "\u{feff}null\r\n",
            "\\N",
        ] {
            for k in FieldKind::ALL {
                assert_eq!(normalize(k, p), Err(Reject::Empty), "{k:?} {p:?}");
            }
        }
    }

    #[test]
    fn whole_numbers_written_as_floats() {
        for (s, want) in [
            ("123456.0", Some("123456")),
            ("7700900123.00", Some("7700900123")),
            ("7.700900123E9", Some("7700900123")),
            ("4.47700900123e+11", Some("447700900123")),
            ("1.2345E4", Some("12345")),
            ("123456", None),
            ("12.5", None),
            ("1.5.0", None),
            ("TEN.001", None),
            (".5", None),
            ("12-34-56", None),
            ("0.0", Some("0")),
        ] {
            assert_eq!(whole_number(s).unwrap().as_deref(), want, "{s}");
        }
        assert!(whole_number("7.7009E+09").is_err());
        assert!(whole_number("1.2E5").is_err());
    }

    #[test]
    fn notes_in_brackets() {
        for note in ["mum", "M", "work", "Mum's mobile", "mère", "lead tenant"] {
            assert!(is_note(note), "{note}");
        }
        for not in [
            "",
            " ",
            "-",
            "0",
            "ext 23",
            "2nd",
            "wrong number",
            "OLD",
            "not in use",
            "ex-partner",
            "approx",
            "amy@x.com",
            "mum?",
            "(mum)",
            "a<b",
            "\u{663}",
        ] {
            assert!(!is_note(not), "{not:?}");
        }
        for (t, want) in [
            ("07700 900123 (mum)", "07700 900123"),
            ("07700 900123 - (mum)", "07700 900123"),
            ("07700 900123, (mum)", "07700 900123"),
            ("07700 900123(mum)", "07700 900123"),
            ("07700 900123 [work]", "07700 900123"),
            ("(home) 029 2018 0555", "029 2018 0555"),
            ("(home): 029 2018 0555", "029 2018 0555"),
            ("(home) - 029 2018 0555", "029 2018 0555"),
            ("(mum) (dad)", "(mum)"),
        ] {
            assert_eq!(strip_bracket_note(t, true, is_note), Some(want), "{t}");
        }
        assert_eq!(
            strip_bracket_note("07700 900123 [work]", false, is_note),
            None
        );
        for t in [
            "(mum)",
            "()",
            ")",
            "(",
            "(020) 7946 0000",
            "+44 (0)20 7946 0000",
            "07700 900123 (2)",
            "07700 (mum) 900123",
            "07700 900123 (mum",
            "07700 900123 mum)",
            "x (a (b))",
            "- (mum)",
            "(mum) -",
        ] {
            assert_eq!(strip_bracket_note(t, true, is_note), None, "{t}");
        }
        // A dash joined to the value stays: only the note and a separator after a space go.
        for t in ["x.co-(work)", "x.co- (work)"] {
            assert_eq!(strip_bracket_note(t, true, is_note), Some("x.co-"), "{t}");
        }
    }

    #[test]
    fn note_words_after_a_value() {
        let words = ["mobile", "home"];
        for t in [
            "07700 900123 mobile",
            "07700 900123 MOBILE",
            "07700 900123 - home",
            "07700 900123 \u{2013} home",
            "07700 900123, mobile",
            "07700 900123\u{a0}mobile",
        ] {
            assert_eq!(strip_trailing_word(t, &words), Some("07700 900123"), "{t}");
        }
        for t in [
            "mobile",
            " mobile",
            "- mobile",
            "07700 900123mobile",
            "07700 900123-mobile",
            "07700 900123 mob",
            "07700 900123 x",
            "07700 900123",
            "07700 900123 mobile.",
            "",
        ] {
            assert_eq!(strip_trailing_word(t, &words), None, "{t}");
        }
    }

    #[test]
    fn labels_in_front_of_a_value() {
        let words = ["ni", "no", "nino", "e-mail", "d.o.b", "date", "of", "birth"];
        for (t, want) in [
            ("NI No. JZ123458C", "JZ123458C"),
            ("NI: JZ 12 34 58 C", "JZ 12 34 58 C"),
            ("NINO JZ123458C", "JZ123458C"),
            ("nino:JZ123458C", "JZ123458C"),
            ("NI No: JZ123458C", "JZ123458C"),
            ("NI - JZ123458C", "JZ123458C"),
            ("NI \u{2014} JZ123458C", "JZ123458C"),
            ("NI\u{a0}JZ123458C", "JZ123458C"),
            ("E-mail - x@y.com", "x@y.com"),
            ("D.O.B. 01/02/1985", "01/02/1985"),
            ("Date of Birth: 01/02/1985", "01/02/1985"),
            // The longest label is dropped, and the value's own words are kept.
            ("Date of death: 01/02/1985", "death: 01/02/1985"),
            // No label, or nothing after it, or a separator joined to the value.
            ("E-mail -x@y.com", "E-mail -x@y.com"),
            ("e-mail.x@y.com", "e-mail.x@y.com"),
            ("e-mail@y.com", "e-mail@y.com"),
            ("NIJZ123458C", "NIJZ123458C"),
            ("NI", "NI"),
            ("NI: ", "NI: "),
            ("Partner NI: JZ123458C", "Partner NI: JZ123458C"),
            ("JZ123458C", "JZ123458C"),
            ("", ""),
        ] {
            assert_eq!(strip_label(t, &words, 3), want, "{t}");
        }
        // At most `max` words.
        assert_eq!(strip_label("NI No. JZ123458C", &words, 1), "No. JZ123458C");
    }

    #[test]
    fn placeholder_filter_covers_every_placeholder() {
        for p in PLACEHOLDERS {
            assert!(is_placeholder(p), "{p}");
            assert!(is_placeholder(&p.to_uppercase()), "{p}");
        }
        assert!(!is_placeholder("nonesuch"));
        assert!(!is_placeholder("Smith"));
    }

    #[test]
    fn dispatch() {
        let cases: [(FieldKind, &str, &str); 13] = [
            (FieldKind::Name, "Mr John A. Smith", "john asmith"),
            (FieldKind::GivenName, "Mrs Siân", "sian"),
            (FieldKind::Surname, "O'Neill", "oneill"),
            (FieldKind::Dob, "12/03/1985", "1985-03-12"),
            (FieldKind::Postcode, "sw1a 1aa", "SW1A1AA"),
            (FieldKind::Email, "John <J@X.com>", "j@x.com"),
            (
                FieldKind::EmailFolded,
                "J.S+x@googlemail.com",
                "js@gmail.com",
            ),
            (FieldKind::Phone, "07700 900123", "+447700900123"),
            (FieldKind::Nino, "ab 12 34 57 c", "AB123457"),
            (FieldKind::SortCode, "12-34-56", "123456"),
            (FieldKind::AccountNumber, "1234567", "01234567"),
            (FieldKind::TenancyRef, "ten-001234", "TEN001234"),
            (
                FieldKind::AddressLine,
                "Flat 3, 12 High St",
                "flat 3 12 high street",
            ),
        ];
        let mut buf = String::from("stale");
        for (k, i, want) in cases {
            assert_eq!(normalize(k, i).as_deref(), Ok(want), "{k:?} {i:?}");
            assert_eq!(normalize_into(k, i, &mut buf), Ok(()));
            assert_eq!(buf, want);
        }
    }

    #[test]
    fn reject_messages() {
        let d = |day, month, year| Reject::ImpossibleDate { day, month, year };
        assert_eq!(d(31, 2, 1990).to_string(), "impossible date (31 February)");
        assert_eq!(
            d(29, 2, 1991).to_string(),
            "impossible date (29 February 1991)"
        );
        assert_eq!(d(12, 13, 1990).to_string(), "impossible date (month 13)");
        assert_eq!(d(0, 1, 1990).to_string(), "impossible date (day 0)");
        assert_eq!(d(5, 0, 1990).to_string(), "impossible date (month 0)");
        assert_eq!(
            Reject::InvalidNinoPrefix('Q', 'Q').to_string(),
            "NI number prefix QQ is never issued"
        );
        for r in [
            Reject::Empty,
            Reject::InvalidChar('x'),
            Reject::Shape("s"),
            Reject::Length("l"),
            Reject::Junk("j"),
            Reject::NoLetters,
            Reject::DigitsInName,
            Reject::InitialOnly,
            Reject::SingleWord,
            Reject::UsDate {
                first: 3,
                second: 25,
            },
            Reject::DateTooEarly(1899),
            Reject::DateInFuture,
            Reject::PartialDate,
            Reject::PartialPostcode,
        ] {
            assert!(!r.to_string().is_empty());
        }
    }
}

#[cfg(test)]
mod proptests {
    use super::*;
    use proptest::prelude::*;

    const MONTHS3: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];

    /// Checks `normalize(kind, normalize(kind, x)) == normalize(kind, x)` when the first is Ok.
    fn check_idempotent(kind: FieldKind, x: &str) -> Result<(), TestCaseError> {
        if let Ok(once) = normalize(kind, x) {
            prop_assert_eq!(
                normalize(kind, &once),
                Ok(once.clone()),
                "{:?} {:?}",
                kind,
                x
            );
            if kind == FieldKind::Name {
                // The "given surname" form re-splits to the same first candidate.
                let mut pairs = Vec::new();
                prop_assert!(name::full_name(&once, &mut pairs).is_ok());
                let (g, s) = once.split_once(' ').unwrap_or_default();
                prop_assert_eq!(&pairs[0], &(g.to_string(), s.to_string()));
            }
        }
        Ok(())
    }

    fn ascii_messy() -> impl Strategy<Value = String> {
        "[A-Za-z0-9 ,.@+'/()#_:-]{0,40}"
    }

    fn name_like() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                "(Mr|Mrs|Dr|Ms|MISS|mr\\.|Rev)",
                "[A-Z][a-z]{1,9}",
                "[A-Z]\\.?",
                "O'[A-Z][a-z]{2,6}",
                "[A-Z][a-z]{2,6}-[A-Z][a-z]{2,6}",
                "(Zoë|Siân|José|Łukasz|Müller|Strauß|Ødegaard|Æthel|Đorđe)",
                "(Jr|PhD|III|OBE|,)",
            ],
            1..5,
        )
        .prop_map(|w| w.join(" "))
    }

    fn address_like() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                "[0-9]{1,3}[A-Za-z]?",
                "(Flat|Apt|Apartment|flat no\\.?|Flt) [0-9]{1,2}",
                "[A-Z][a-z]{2,9}",
                "(St|Rd|Ave|Ln|Dr|Cl|Ct|Cres|Pl|Sq|Gdns|Tce|Pk|Gr|Wy|Hse|Ho|Blvd|Street)\\.?",
                "(,|-|/|#|')",
                "[A-Z]",
            ],
            1..7,
        )
        .prop_map(|w| w.join(" "))
    }

    proptest! {
        #[test]
        fn never_panics(s in any::<String>()) {
            let mut out = String::new();
            let mut pairs = Vec::new();
            for kind in FieldKind::ALL {
                let _ = normalize_into(kind, &s, &mut out);
            }
            let _ = name::full_name(&s, &mut pairs);
            let _ = postcode::split_trailing(&s);
            let _ = postcode::is_postcode(&s);
        }

        #[test]
        fn idempotent_on_arbitrary_strings(s in any::<String>()) {
            for kind in FieldKind::ALL {
                check_idempotent(kind, &s)?;
            }
        }

        #[test]
        fn idempotent_on_messy_ascii(s in ascii_messy()) {
            for kind in FieldKind::ALL {
                check_idempotent(kind, &s)?;
            }
        }

        #[test]
        fn idempotent_on_names(s in name_like()) {
            for kind in [FieldKind::Name, FieldKind::GivenName, FieldKind::Surname] {
                check_idempotent(kind, &s)?;
            }
            let mut pairs = Vec::new();
            if name::full_name(&s, &mut pairs).is_ok() {
                prop_assert!(!pairs.is_empty());
                let first = normalize(FieldKind::Name, &s);
                if pairs[0].0.is_empty() {
                    // Only surname-only candidates (an initial for a given name).
                    prop_assert_eq!(first, Err(Reject::InitialOnly));
                } else {
                    prop_assert_eq!(first, Ok(format!("{} {}", pairs[0].0, pairs[0].1)));
                }
            }
        }

        #[test]
        fn idempotent_on_addresses(
            s in address_like(),
            pc in prop::option::of("[A-PR-UWYZ][A-HK-Y]?[0-9]{1,2} [0-9][ABD-HJLNP-UW-Z]{2}"),
        ) {
            let line = match pc {
                Some(pc) => format!("{s}, {pc}"),
                None => s,
            };
            check_idempotent(FieldKind::AddressLine, &line)?;
        }

        #[test]
        fn idempotent_on_contact_details(
            local in "[A-Za-z0-9._+-]{1,12}",
            dom in "(gmail\\.com|GoogleMail\\.com|example\\.co\\.uk|x\\.org)",
            phone in "(\\+44|0044|0|44|\\+)? ?[0-9 ()-]{8,14}",
        ) {
            let email = format!("{local}@{dom}");
            check_idempotent(FieldKind::Email, &email)?;
            check_idempotent(FieldKind::EmailFolded, &email)?;
            check_idempotent(FieldKind::Phone, &phone)?;
        }

        #[test]
        fn date_formats_agree(y in 1900i32..2020, m in 1usize..=12, d in 1u32..=31) {
            prop_assume!(jiff::civil::Date::new(y as i16, m as i8, d as i8).is_ok());
            // 1 January 1900 and 1901 are "unknown" placeholders, refused in every format.
            prop_assume!(!(m == 1 && d == 1 && (y == 1900 || y == 1901)));
            let iso = format!("{y:04}-{m:02}-{d:02}");
            let mon = MONTHS3[m - 1];
            let full = MONTH_NAMES[m - 1];
            let yy = y % 100;
            let pivot = i32::from(jiff::ZonedDateTime::now().date().year()) % 100;
            let two_digit_ok = if yy <= pivot { 2000 + yy == y } else { 1900 + yy == y };
            let ord = match d {
                1 | 21 | 31 => "st",
                2 | 22 => "nd",
                3 | 23 => "rd",
                _ => "th",
            };
            let up = mon.to_uppercase();
            let mut variants = vec![
                format!("{d:02}/{m:02}/{y}"),
                format!("{d:02}-{m:02}-{y}"),
                format!("{d:02}.{m:02}.{y}"),
                format!("{d}/{m}/{y}"),
                format!("{d} {mon} {y}"),
                format!("{d} {full} {y}"),
                format!("{d}{ord} {full} {y}"),
                format!("{d:02}-{mon}-{y}"),
                format!("{d:02}-{up}-{y}"),
                format!("{full} {d}, {y}"),
                format!("{mon} {d} {y}"),
                iso.clone(),
                format!("{y}/{m:02}/{d:02}"),
                format!("{y:04}{m:02}{d:02}"),
                format!("{d:02}{m:02}{y:04}"),
                format!("{iso}T00:00:00"),
                format!("{iso}T00:00:00Z"),
                format!("{iso} 00:00:00"),
                format!("{iso}T00:00:00.000+01:00"),
                format!("{d:02}/{m:02}/{y} 00:00"),
                format!(" \"{d:02}/{m:02}/{y}\" "),
                format!("DOB: {d:02}/{m:02}/{y}"),
                format!("D.O.B. {d} {mon} {y}"),
                format!("Born {d}{ord} {full} {y}"),
                format!("Date of birth: {iso}"),
                format!("{d:02}/{m:02}/{y} (age 40)"),
            ];
            if two_digit_ok {
                variants.push(format!("{d:02}/{m:02}/{yy:02}"));
                variants.push(format!("{d:02}-{m:02}-{yy:02}"));
                variants.push(format!("{d:02}-{up}-{yy:02}"));
            }
            for v in variants {
                prop_assert_eq!(normalize(FieldKind::Dob, &v), Ok(iso.clone()), "{}", v);
            }
        }

        #[test]
        fn mobile_formats_agree(n in 0u32..1_000_000_000) {
            let digits = format!("7{n:09}");
            prop_assume!(!digits.bytes().all(|b| b == b'7'));
            let want = format!("+44{digits}");
            let (a, b) = digits.split_at(4);
            let (b1, b2) = b.split_at(3);
            for v in [
                format!("0{digits}"),
                format!("0{a} {b}"),
                format!("0{a} {b1} {b2}"),
                format!("+44 {a} {b}"),
                format!("+44 (0){a} {b}"),
                format!("+44(0){a}-{b1}-{b2}"),
                format!("44{digits}"),
                format!("0044{digits}"),
                format!("0044 {a} {b}"),
                format!("+44{digits}"),
                format!("tel:+44{digits}"),
                format!("(0{a}) {b}"),
                format!("0{a}.{b1}.{b2}"),
                format!("0{a} {b} ext 12"),
                format!("+44-{a}-{b}"),
                format!("0{a} {b} (mum)"),
                format!("0{a} {b} - mobile"),
                format!("(home) 0{a} {b}"),
                format!("+44 (0){a} {b} (M)"),
                format!("Mob: 0{a} {b} (work)"),
            ] {
                prop_assert_eq!(normalize(FieldKind::Phone, &v), Ok(want.clone()), "{}", v);
            }
        }

        #[test]
        fn postcode_variants_agree(
            out in "([A-PR-UWYZ][0-9]{1,2}|[A-PR-UWYZ][A-HK-Y][0-9]{1,2}|[A-PR-UWYZ][0-9][A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])",
            inw in "[0-9][ABD-HJLNP-UW-Z]{2}",
        ) {
            let want = format!("{out}{inw}");
            for v in [
                format!("{out} {inw}"),
                format!("{out}{inw}"),
                format!("{out} {inw}").to_lowercase(),
                format!("{out}{inw}").to_lowercase(),
                format!("  {out}  {inw} "),
                format!("\"{out} {inw}\""),
                format!("{out}\u{a0}{inw}"),
            ] {
                prop_assert_eq!(normalize(FieldKind::Postcode, &v), Ok(want.clone()), "{}", v);
                prop_assert!(postcode::is_postcode(&v));
            }
            prop_assert_eq!(normalize(FieldKind::Postcode, &out), Err(Reject::PartialPostcode));
            let addr = format!("12 High St, {out} {inw}");
            prop_assert_eq!(postcode::split_trailing(&addr), Some(("12 High St", &addr[12..])));
        }

        #[test]
        fn nino_variants_agree(
            p1 in "[ABCEGHJKLMNPRSTWXYZ]",
            p2 in "[ABCEGHJKLMNPRSTWXYZ]",
            n in 0u32..1_000_000,
            suffix in "[ABCD]?",
        ) {
            let prefix = format!("{p1}{p2}");
            prop_assume!(!["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"].contains(&prefix.as_str()));
            let d = format!("{n:06}");
            let want = format!("{prefix}{d}");
            let (a, b, c) = (&d[..2], &d[2..4], &d[4..]);
            for v in [
                format!("{prefix}{d}{suffix}"),
                format!("{prefix}{d}"),
                format!("{prefix} {a} {b} {c} {suffix}"),
                format!("{prefix}{d}{suffix}").to_lowercase(),
                format!("{prefix}-{a}-{b}-{c}-{suffix}"),
                format!("{prefix}.{a}.{b}.{c}{suffix}"),
                format!(" {prefix} {d} {suffix} "),
                format!("NINO {prefix}{d}{suffix}"),
                format!("NI No. {prefix} {a} {b} {c} {suffix}"),
                format!("NI: {prefix}{d}{suffix} (tenant)"),
            ] {
                prop_assert_eq!(normalize(FieldKind::Nino, &v), Ok(want.clone()), "{}", v);
            }
        }

        #[test]
        fn bank_variants_agree(s in 1u32..1_000_000, acc in 1u32..100_000_000) {
            let sc = format!("{s:06}");
            let (a, b, c) = (&sc[..2], &sc[2..4], &sc[4..]);
            for v in [
                sc.clone(),
                format!("{a}-{b}-{c}"),
                format!("{a} {b} {c}"),
                format!("{a}.{b}.{c}"),
                format!(" '{a}-{b}-{c}' "),
            ] {
                prop_assert_eq!(normalize(FieldKind::SortCode, &v), Ok(sc.clone()), "{}", v);
            }
            let full = format!("{acc:08}");
            let (h, t) = full.split_at(4);
            let mut variants = vec![full.clone(), format!("{h} {t}"), format!("{h}-{t}"), format!(" {full} ")];
            // The same account written without its leading zeros (6 or 7 digits).
            if (100_000..10_000_000).contains(&acc) {
                variants.push(acc.to_string());
            }
            for v in variants {
                prop_assert_eq!(normalize(FieldKind::AccountNumber, &v), Ok(full.clone()), "{}", v);
            }
        }

        #[test]
        fn tenancy_variants_agree(p in "[A-Z]{1,4}", n in 1000u32..99_999_999) {
            let want = format!("{p}{n}");
            for v in [
                want.clone(),
                format!("{p}-{n}"),
                format!("{} {n}", p.to_lowercase()),
                format!("{p}/{n}"),
                format!("{p}_{n}"),
                format!("{p}.{n}"),
            ] {
                prop_assert_eq!(normalize(FieldKind::TenancyRef, &v), Ok(want.clone()), "{}", v);
            }
        }

        #[test]
        fn name_variants_agree(g in "[A-Z][a-z]{2,8}", s in "[A-Z][a-z]{2,8}", t in "[A-Z][a-z]{2,8}") {
            for w in [&g, &s, &t] {
                let w = w.to_lowercase();
                prop_assume!(
                    !name::is_title(&w)
                        && !name::is_suffix(&w)
                        && !name::is_maiden_marker(&w)
                        && !is_placeholder(&w)
                );
            }
            let sl = format!("{}{}", s.to_lowercase(), t.to_lowercase());
            let want = format!("{} {sl}", g.to_lowercase());
            let upper = format!("{s}-{t}").to_uppercase();
            for v in [
                format!("{g} {s}-{t}"),
                format!("{g} {s}{t}"),
                format!("Mr {g} {s}-{t}"),
                format!("{upper}, {g}"),
                format!("{s}-{t}, Mrs {g} A."),
                format!("DR. {} {s}-{t} PhD", g.to_uppercase()),
            ] {
                prop_assert_eq!(normalize(FieldKind::Name, &v), Ok(want.clone()), "{}", v);
            }
            for v in [format!("{s}-{t}"), format!("{s} {t}"), upper] {
                prop_assert_eq!(normalize(FieldKind::Surname, &v), Ok(sl.clone()), "{}", v);
            }
        }

        #[test]
        fn address_variants_agree(n in 1u32..400, f in 1u32..40, w in "[A-Z][a-z]{4,9}") {
            let want = format!("flat {f} {n} {} street", w.to_lowercase());
            let up = w.to_uppercase();
            for v in [
                format!("Flat {f}, {n} {w} Street"),
                format!("Flat {f} {n} {w} St"),
                format!("FLAT {f}, {n} {up} ST."),
                format!("Apartment {f} {n} {w} Street"),
                format!("Apt {f}, {n} {w} St"),
                format!("{f}/{n} {w} Street"),
                format!("Flat No. {f}, {n} {w} St"),
                format!("Flat {f}, {n} {w} St, SW1A 1AA"),
            ] {
                prop_assert_eq!(normalize(FieldKind::AddressLine, &v), Ok(want.clone()), "{}", v);
            }
        }
    }
}
