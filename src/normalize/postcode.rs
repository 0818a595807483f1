//! UK postcodes: upper case, all whitespace removed, shape validated, output without the
//! space ("SW1A 1AA", "sw1a1aa" and " SW1A  1AA " all give `SW1A1AA`).
//!
//! Shape: an outward code A9, A99, AA9, AA99, A9A or AA9A, then an inward code 9AA, or the
//! special "GIR 0AA". Letter rules (kept simple): the first letter is not Q, V or X; a second
//! letter is not I, J or Z; the inward letters are not C, I, K, M, O or V.
//!
//! Rejected: partial postcodes (an outward code alone: "AB12", "SW1A", "M1":
//! [`Reject::PartialPostcode`]) because they are not keys; anything else of the wrong shape
//! ("12345", US zip codes, "ABC 123", "SW1A 1AAA", "Q1 1AA").
//!
//! [`split_trailing`] finds a postcode at the end of a free-text address.

use super::{Reject, clean};

/// Version of this normaliser's rules; bump it (and so [`super::NORMALIZE_VERSION`]) when an
/// output changes for any input.
pub const VERSION: u32 = 1;

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
        if c.is_whitespace() {
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

/// Whether `s` is a full UK postcode, in any case and spacing (surrounding quotes allowed).
pub fn is_postcode(s: &str) -> bool {
    let mut buf = [0u8; MAX];
    match clean(s).map(|t| compact(t, &mut buf)) {
        Ok(Ok(n)) => is_compact(&buf[..n]),
        _ => false,
    }
}

/// Normalises a UK postcode to upper case without spaces ("sw1a 1aa" → `SW1A1AA`).
pub fn normalize(input: &str, out: &mut String) -> Result<(), Reject> {
    out.clear();
    let t = clean(input)?;
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

/// Where the last word of `s` starts (words split at whitespace and commas).
fn last_word_start(s: &str) -> usize {
    s.char_indices()
        .rev()
        .find(|&(_, c)| c.is_whitespace() || c == ',')
        .map_or(0, |(i, c)| i + c.len_utf8())
}

fn trim_end_sep(s: &str) -> &str {
    s.trim_end_matches(|c: char| c.is_whitespace() || c == ',')
}

/// If a free-text address ends with a full UK postcode (with or without its space, possibly
/// after a comma, any case), returns the text before it with trailing commas and whitespace
/// trimmed, and the postcode as written: "12 High St, Leeds, LS1 4AB" →
/// `("12 High St, Leeds", "LS1 4AB")`. Trailing whitespace, commas and dots after the
/// postcode are ignored.
pub fn split_trailing(input: &str) -> Option<(&str, &str)> {
    let t = input.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ',' | '.' | ';'));
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
        assert_eq!(n("Leeds"), Err(Reject::Shape("not a UK postcode")));
        assert_eq!(n(""), Err(Reject::Empty));
        assert_eq!(n("n/a"), Err(Reject::Empty));
        assert!(!is_postcode("Leeds"));
        assert!(!is_postcode("SW1A"));
        assert!(is_postcode(" sw1a 1aa "));
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
        ] {
            assert_eq!(split_trailing(i), want, "{i}");
        }
    }
}
