//! UK postcodes: upper case, no spaces, validated shape (outward code A9, A99, AA9, AA99, A9A
//! or AA9A, then inward code 9AA). "SW1A 1AA", "sw1a1aa" and " SW1A  1AA " all give `SW1A1AA`.
//! Partial postcodes ("LS1", "SW1A") are rejected: they are not keys.

use super::{Reject, clean};

/// Version of this normaliser's rules; bump it (and so [`super::NORMALIZE_VERSION`]) when an
/// output changes for any input.
pub const VERSION: u32 = 1;

const INWARD_BAD: &[u8] = b"CIKMOV";

fn letter(b: u8) -> bool {
    b.is_ascii_uppercase()
}
fn digit(b: u8) -> bool {
    b.is_ascii_digit()
}

/// Whether `s` (upper case, no spaces) is a full UK postcode.
pub fn is_compact_postcode(s: &[u8]) -> bool {
    if s == b"GIR0AA" {
        return true;
    }
    if !(5..=7).contains(&s.len()) {
        return false;
    }
    let (out, inw) = s.split_at(s.len() - 3);
    let inward_ok = digit(inw[0])
        && letter(inw[1])
        && letter(inw[2])
        && !INWARD_BAD.contains(&inw[1])
        && !INWARD_BAD.contains(&inw[2]);
    if !inward_ok || !letter(out[0]) || b"QVX".contains(&out[0]) {
        return false;
    }
    match out {
        [_, b] => digit(*b),
        [_, b, c] => {
            (digit(*b) && (digit(*c) || letter(*c)))
                || (letter(*b) && !b"IJZ".contains(b) && digit(*c))
        }
        [_, b, c, d] => letter(*b) && !b"IJZ".contains(b) && digit(*c) && (digit(*d) || letter(*d)),
        _ => false,
    }
}

/// Whether a string is a full UK postcode in any spacing or case.
pub fn is_postcode(s: &str) -> bool {
    let mut out = String::new();
    normalize(s, &mut out).is_ok()
}

/// Normalises a postcode to upper case without spaces.
pub fn normalize(input: &str, out: &mut String) -> Result<(), Reject> {
    let t = clean(input)?;
    out.clear();
    for c in t.chars() {
        if c.is_whitespace() {
            continue;
        }
        if !c.is_ascii_alphanumeric() || out.len() >= 8 {
            return Err(Reject::Shape("not a UK postcode"));
        }
        out.push(c.to_ascii_uppercase());
    }
    if is_compact_postcode(out.as_bytes()) {
        return Ok(());
    }
    let b = out.as_bytes();
    let looks_outward = (2..=4).contains(&b.len()) && letter(b[0]) && b.iter().any(|c| digit(*c));
    Err(if looks_outward {
        Reject::PartialPostcode
    } else {
        Reject::Shape("not a UK postcode")
    })
}

/// If a free-text address ends with a postcode (with or without its space, maybe after a
/// comma), returns the text before it (trailing commas and spaces trimmed) and the postcode.
pub fn split_trailing(input: &str) -> Option<(&str, &str)> {
    let t = input.trim_end_matches(|c: char| c.is_whitespace() || c == ',' || c == '.');
    // Try the last two words (outward + inward), then the last word alone.
    let words: Vec<(usize, &str)> = t
        .char_indices()
        .filter(|(i, c)| {
            !c.is_whitespace()
                && (*i == 0 || t[..*i].ends_with(|p: char| p.is_whitespace() || p == ','))
        })
        .map(|(i, _)| (i, &t[i..]))
        .collect();
    for back in [2usize, 1] {
        if words.len() < back {
            continue;
        }
        let (start, tail) = words[words.len() - back];
        if is_postcode(tail) {
            let before = t[..start].trim_end_matches(|c: char| c.is_whitespace() || c == ',');
            return Some((before, tail));
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
            (" SW1A  1AA ", "SW1A1AA"),
            ("M1 1AE", "M11AE"),
            ("m11ae", "M11AE"),
            ("B33 8TH", "B338TH"),
            ("CR2 6XH", "CR26XH"),
            ("DN55 1PT", "DN551PT"),
            ("W1A 0AX", "W1A0AX"),
            ("EC1A 1BB", "EC1A1BB"),
            ("LS1 4AB", "LS14AB"),
            ("ls14ab", "LS14AB"),
            ("GIR 0AA", "GIR0AA"),
            ("\"LS6 2QT\"", "LS62QT"),
            ("E1W 1AA", "E1W1AA"),
        ] {
            assert_eq!(n(i).as_deref(), Ok(want), "{i}");
        }
    }

    #[test]
    fn rejected_postcodes() {
        assert_eq!(n("AB12"), Err(Reject::PartialPostcode));
        assert_eq!(n("SW1A"), Err(Reject::PartialPostcode));
        assert_eq!(n("M1"), Err(Reject::PartialPostcode));
        assert!(n("12345").is_err());
        assert!(n("90210").is_err());
        assert!(n("ABC 123").is_err());
        assert!(n("SW1A 1AAA").is_err());
        assert!(n("Q1 1AA").is_err());
        assert!(n("LS1 4CB").is_err(), "C never in the inward code");
        assert!(n("LS1-4AB").is_err());
        assert_eq!(n(""), Err(Reject::Empty));
        assert!(!is_postcode("Leeds"));
    }

    #[test]
    fn trailing_postcodes() {
        assert_eq!(
            split_trailing("12 High St, Leeds, LS1 4AB"),
            Some(("12 High St, Leeds", "LS1 4AB"))
        );
        assert_eq!(
            split_trailing("12 High St Leeds LS14AB."),
            Some(("12 High St Leeds", "LS14AB"))
        );
        assert_eq!(split_trailing("Flat 3, 12 High Street"), None);
        assert_eq!(split_trailing("SW1A 1AA"), Some(("", "SW1A 1AA")));
    }
}
