//! UK postcodes: upper case, all whitespace removed, shape validated, output without the
//! space ("SW1A 1AA", "sw1a1aa" and " SW1A  1AA " all give `SW1A1AA`).
//!
//! Shape: an outward code A9, A99, AA9, AA99, A9A or AA9A, then an inward code 9AA, or the
//! special "GIR 0AA". Letter rules (kept simple): the first letter is not Q, V or X; a second
//! letter is not I, J or Z; the inward letters are not C, I, K, M, O or V.
//!
//! A full stop or comma after the postcode is ignored ("LS1 4AB." and "LS1 4AB," are
//! `LS14AB`: the end of a sentence or of an address typed on one line).
//!
//! Rejected: partial postcodes (an outward code alone: "AB12", "SW1A", "M1":
//! [`Reject::PartialPostcode`]) because they are not keys; anything else of the wrong shape
//! ("12345", US zip codes, "ABC 123", "SW1A 1AAA", "Q1 1AA").
//!
//! [`split_trailing`] finds a postcode at the end of a free-text address, also when a country
//! follows it ("..., BN2 1TL, United Kingdom").

use super::{Reject, clean};

/// Version of this normaliser's rules; bump it (and so [`super::NORMALIZE_VERSION`]) when an
/// output changes for any input.
pub const VERSION: u32 = 3;

/// Most letters and digits in a postcode ("SW1A1AA").
const MAX: usize = 7;

/// Letters never used in the inward code.
const INWARD_BAD: &[u8] = b"CIKMOV";

fn letter(b: u8) -> bool {
    b.is_ascii_uppercase()
}

fn digit(b: u8) -> bool {
    b.is_ascii_digit()
}

/// Whether `o` (upper case) is an outward code: A9, A99, AA9, AA99, A9A or AA9A.
fn is_outward(o: &[u8]) -> bool {
    let first_ok = |b: u8| letter(b) && !b"QVX".contains(&b);
    let second_ok = |b: u8| letter(b) && !b"IJZ".contains(&b);
    match *o {
        [a, b] => first_ok(a) && digit(b),
        [a, b, c] => {
            first_ok(a) && ((digit(b) && (digit(c) || letter(c))) || (second_ok(b) && digit(c)))
        }
        [a, b, c, d] => first_ok(a) && second_ok(b) && digit(c) && (digit(d) || letter(d)),
        _ => false,
    }
}

/// Whether `i` (upper case) is an inward code: 9AA.
fn is_inward(i: &[u8]) -> bool {
    match *i {
        [a, b, c] => {
            digit(a)
                && [b, c]
                    .iter()
                    .all(|&x| letter(x) && !INWARD_BAD.contains(&x))
        }
        _ => false,
    }
}

/// Whether `s` (upper case, no spaces) is a full postcode.
fn is_compact(s: &[u8]) -> bool {
    s == b"GIR0AA"
        || (s.len() >= 5 && {
            let (o, i) = s.split_at(s.len() - 3);
            is_outward(o) && is_inward(i)
        })
}

/// Copies the letters and digits of `t` into `buf` in upper case, skipping whitespace.
/// Returns how many there were.
fn compact(t: &str, buf: &mut [u8; MAX]) -> Result<usize, Reject> {
    let mut n = 0;
    for c in t.chars() {
        if c.is_whitespace() || super::is_invisible(c) {
            continue;
        }
        if !c.is_ascii_alphanumeric() {
            return Err(Reject::InvalidChar(c));
        }
        if n == MAX {
            return Err(Reject::Length(
                "a UK postcode has 5 to 7 letters and digits",
            ));
        }
        // ASCII, checked above.
        buf[n] = c.to_ascii_uppercase() as u8;
        n += 1;
    }
    Ok(n)
}

/// [`clean`], then trailing full stops and commas removed ("LS1 4AB." is "LS1 4AB").
fn clean_postcode(s: &str) -> Result<&str, Reject> {
    Ok(clean(s)?.trim_end_matches(['.', ',']))
}

/// Whether `s` is a full UK postcode, in any case and spacing (surrounding quotes and a
/// trailing full stop or comma allowed).
pub fn is_postcode(s: &str) -> bool {
    let mut buf = [0u8; MAX];
    match clean_postcode(s).map(|t| compact(t, &mut buf)) {
        Ok(Ok(n)) => is_compact(&buf[..n]),
        _ => false,
    }
}

/// Normalises a UK postcode to upper case without spaces ("sw1a 1aa" → `SW1A1AA`).
pub fn normalize(input: &str, out: &mut String) -> Result<(), Reject> {
    out.clear();
    let t = clean_postcode(input)?;
    let mut buf = [0u8; MAX];
    let n = compact(t, &mut buf)?;
    let b = &buf[..n];
    if is_compact(b) {
        out.extend(b.iter().map(|&x| char::from(x)));
        return Ok(());
    }
    if is_outward(b) {
        return Err(Reject::PartialPostcode);
    }
    Err(Reject::Shape("not a UK postcode"))
}

/// Whether `c` separates the words of an address: whitespace (line breaks too), commas and
/// semicolons.
fn is_sep(c: char) -> bool {
    c.is_whitespace() || c == ',' || c == ';'
}

/// Where the last word of `s` starts (words split at whitespace, commas and semicolons).
fn last_word_start(s: &str) -> usize {
    s.char_indices()
        .rev()
        .find(|&(_, c)| is_sep(c))
        .map_or(0, |(i, c)| i + c.len_utf8())
}

fn trim_end_sep(s: &str) -> &str {
    s.trim_end_matches(is_sep)
}

/// Trims what may follow the last word of an address: separators and full stops.
fn trim_end_punct(s: &str) -> &str {
    s.trim_end_matches(|c: char| is_sep(c) || c == '.')
}

/// Countries that may follow the postcode at the end of an address, by their last letter
/// (compared ignoring ASCII case; "U.K." has lost its last full stop to [`trim_end_punct`]).
fn countries_ending(last: u8) -> &'static [&'static str] {
    match last.to_ascii_lowercase() {
        b'm' => &["united kingdom"],
        b'n' => &["great britain"],
        b'd' => &["england", "scotland", "northern ireland"],
        b's' => &["wales"],
        b'k' => &["uk", "u.k"],
        b'b' => &["gb"],
        _ => &[],
    }
}

/// If `t` (trimmed by [`trim_end_punct`]) ends with a country name as a whole word after some
/// other text, the text before the country, trimmed the same way.
fn strip_country(t: &str) -> Option<&str> {
    let b = t.as_bytes();
    for c in countries_ending(*b.last()?) {
        let Some(start) = b.len().checked_sub(c.len()).filter(|&s| s > 0) else {
            continue;
        };
        // An ASCII match, so `start` is a character boundary.
        if b[start..].eq_ignore_ascii_case(c.as_bytes())
            && t[..start].chars().next_back().is_some_and(is_sep)
        {
            return Some(trim_end_punct(&t[..start]));
        }
    }
    None
}

/// [`split_trailing`] without countries, on text trimmed by [`trim_end_punct`].
fn split_postcode(t: &str) -> Option<(&str, &str)> {
    let last = last_word_start(t);
    let tail = &t[last..];
    // Outward and inward code as two words: "LS1 4AB".
    if tail.len() == 3 && last > 0 && t[..last].ends_with(char::is_whitespace) {
        let before = t[..last].trim_end();
        let start = last_word_start(before);
        if start < before.len() {
            let candidate = &t[start..];
            if is_postcode(candidate) {
                return Some((trim_end_sep(&t[..start]), candidate));
            }
        }
    }
    if is_postcode(tail) {
        return Some((trim_end_sep(&t[..last]), tail));
    }
    None
}

/// If a free-text address ends with a full UK postcode (with or without its space, possibly
/// after a comma or semicolon, any case), returns the text before it with trailing commas,
/// semicolons and whitespace trimmed, and the postcode as written: "12 High St, Leeds, LS1 4AB"
/// → `("12 High St, Leeds", "LS1 4AB")`. Trailing whitespace, commas, semicolons and dots after
/// the postcode are ignored, and so is a country after it (United Kingdom, UK, Great Britain,
/// GB, England, Scotland, Wales, Northern Ireland; any case, with or without a comma before):
/// "12 High St, BN2 1TL, United Kingdom" → `("12 High St", "BN2 1TL")`.
pub fn split_trailing(input: &str) -> Option<(&str, &str)> {
    let mut t = trim_end_punct(input);
    if let Some(found) = split_postcode(t) {
        return Some(found);
    }
    // "..., BN2 1TL, England, UK": at most two countries.
    for _ in 0..2 {
        t = strip_country(t)?;
        if let Some(found) = split_postcode(t) {
            return Some(found);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Result<String, Reject> {
        let mut o = String::new();
        normalize(s, &mut o).map(|()| o)
    }

    #[test]
    fn valid_postcodes() {
        for (i, want) in [
            ("SW1A 1AA", "SW1A1AA"),
            ("sw1a1aa", "SW1A1AA"),
            ("SW1A\u{200b}1AA", "SW1A1AA"),
            (" SW1A  1AA ", "SW1A1AA"),
            ("M1 1AE", "M11AE"),
            (" M1 1AE ", "M11AE"),
            ("m11ae", "M11AE"),
            ("B33 8TH", "B338TH"),
            ("CR2 6XH", "CR26XH"),
            ("DN55 1PT", "DN551PT"),
            ("W1A 0AX", "W1A0AX"),
            ("EC1A 1BB", "EC1A1BB"),
            ("LS1 4AB", "LS14AB"),
            ("ls14ab", "LS14AB"),
            ("GIR 0AA", "GIR0AA"),
            ("gir0aa", "GIR0AA"),
            ("\"LS6 2QT\"", "LS62QT"),
            ("LS1 4AB.", "LS14AB"),
            ("LS1 4AB,", "LS14AB"),
            ("ls14ab .", "LS14AB"),
            ("\"LS1 4AB.\"", "LS14AB"),
            ("E1W 1AA", "E1W1AA"),
            ("SW1A\u{a0}1AA", "SW1A1AA"),
            ("CF10 1EP", "CF101EP"),
            ("BT1 5GS", "BT15GS"),
            ("s w 1 a 1 a a", "SW1A1AA"),
        ] {
            assert_eq!(n(i).as_deref(), Ok(want), "{i}");
        }
    }

    #[test]
    fn rejected_postcodes() {
        assert_eq!(n("AB12"), Err(Reject::PartialPostcode));
        assert_eq!(n("SW1A"), Err(Reject::PartialPostcode));
        assert_eq!(n("M1"), Err(Reject::PartialPostcode));
        assert_eq!(n("ls1"), Err(Reject::PartialPostcode));
        assert_eq!(n("12345"), Err(Reject::Shape("not a UK postcode")));
        assert_eq!(n("90210"), Err(Reject::Shape("not a UK postcode")));
        assert_eq!(n("90210-1234"), Err(Reject::InvalidChar('-')));
        assert_eq!(n("ABC 123"), Err(Reject::Shape("not a UK postcode")));
        assert!(matches!(n("SW1A 1AAA"), Err(Reject::Length(_))));
        assert_eq!(n("Q1 1AA"), Err(Reject::Shape("not a UK postcode")));
        assert_eq!(n("V1 1AA"), Err(Reject::Shape("not a UK postcode")));
        assert_eq!(n("AI1 1AA"), Err(Reject::Shape("not a UK postcode")));
        assert_eq!(n("LS1 4CB"), Err(Reject::Shape("not a UK postcode")));
        assert_eq!(n("LS1 AAB"), Err(Reject::Shape("not a UK postcode")));
        assert_eq!(n("LS1-4AB"), Err(Reject::InvalidChar('-')));
        assert_eq!(n("LS1. 4AB"), Err(Reject::InvalidChar('.')));
        assert_eq!(n("LS1 4AB;"), Err(Reject::InvalidChar(';')));
        assert_eq!(n("SW1A."), Err(Reject::PartialPostcode));
        assert_eq!(n(","), Err(Reject::Shape("not a UK postcode")));
        assert_eq!(n("Leeds"), Err(Reject::Shape("not a UK postcode")));
        assert_eq!(n(""), Err(Reject::Empty));
        assert_eq!(n("n/a"), Err(Reject::Empty));
        assert!(!is_postcode("Leeds"));
        assert!(!is_postcode("SW1A"));
        assert!(is_postcode(" sw1a 1aa "));
        assert!(is_postcode("SW1A 1AA."));
    }

    #[test]
    fn trailing_postcodes() {
        for (i, want) in [
            (
                "12 High St, Leeds, LS1 4AB",
                Some(("12 High St, Leeds", "LS1 4AB")),
            ),
            (
                "12 High St Leeds LS14AB.",
                Some(("12 High St Leeds", "LS14AB")),
            ),
            ("12 High St,LS1 4AB", Some(("12 High St", "LS1 4AB"))),
            ("12 High St, ls1 4ab ,", Some(("12 High St", "ls1 4ab"))),
            (
                "12 High Street,SW1A1AA",
                Some(("12 High Street", "SW1A1AA")),
            ),
            ("Flat 3, 12 High Street", None),
            ("12 High Street, Leeds, LS1", None),
            ("SW1A 1AA", Some(("", "SW1A 1AA"))),
            ("", None),
            ("1AA", None),
            (" 4AB", None),
            (
                "1 Marine Pde, Brighton, BN2 1TL, United Kingdom",
                Some(("1 Marine Pde, Brighton", "BN2 1TL")),
            ),
            ("1 Marine Pde BN2 1TL UK", Some(("1 Marine Pde", "BN2 1TL"))),
            ("1 Marine Pde BN21TL, uk.", Some(("1 Marine Pde", "BN21TL"))),
            (
                "1 Marine Pde, BN2 1TL, U.K.",
                Some(("1 Marine Pde", "BN2 1TL")),
            ),
            (
                "1 Marine Pde, BN2 1TL England",
                Some(("1 Marine Pde", "BN2 1TL")),
            ),
            (
                "12 Heol Fawr, CF10 1EP, WALES",
                Some(("12 Heol Fawr", "CF10 1EP")),
            ),
            (
                "1 High St, EH1 1YZ, Scotland",
                Some(("1 High St", "EH1 1YZ")),
            ),
            (
                "1 High St, BT1 5GS, Northern Ireland",
                Some(("1 High St", "BT1 5GS")),
            ),
            ("1 High St, BN2 1TL, GB", Some(("1 High St", "BN2 1TL"))),
            (
                "1 High St, BN2 1TL, Great Britain",
                Some(("1 High St", "BN2 1TL")),
            ),
            (
                "1 High St, BN2 1TL, England, United Kingdom",
                Some(("1 High St", "BN2 1TL")),
            ),
            ("BN2 1TL, UK", Some(("", "BN2 1TL"))),
            ("12 High St; LS1 4AB", Some(("12 High St", "LS1 4AB"))),
            ("12 High St\nLS1 4AB\n", Some(("12 High St", "LS1 4AB"))),
            ("12 High St;LS14AB;", Some(("12 High St", "LS14AB"))),
            // A country with no postcode before it, or not a whole word.
            ("12 High Street, Leeds, UK", None),
            ("12 High Street, Wales", None),
            ("12 High St, BN2 1TLUK", None),
            ("12 High St, BN2 1TL, France", None),
            ("UK", None),
            ("12 High St, BN2 1TL, Wales, England, UK", None),
        ] {
            assert_eq!(split_trailing(i), want, "{i}");
        }
    }
}
