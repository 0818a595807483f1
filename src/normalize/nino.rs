//! National Insurance numbers: two prefix letters, six digits, an optional suffix A to D.
//! Output is the 8 characters without the suffix (the suffix is not part of the identity and
//! many systems drop it): "AB 12 34 56 C", "ab123456c" and "AB123456" all give `AB123456`.
//! Prefixes that are never issued are rejected: first letter D F I Q U V, second letter
//! D F I Q U V O, and BG GB KN NK NT TN ZZ (so the placeholder "QQ123456C" is rejected).

use super::{Reject, clean};

/// Version of this normaliser's rules; bump it (and so [`super::NORMALIZE_VERSION`]) when an
/// output changes for any input.
pub const VERSION: u32 = 1;

/// Normalises an NI number.
pub fn normalize(input: &str, out: &mut String) -> Result<(), Reject> {
    let t = clean(input)?;
    out.clear();
    for c in t.chars() {
        match c {
            ' ' | '-' | '.' | '\u{a0}' => {}
            c if c.is_ascii_alphanumeric() && out.len() < 9 => out.push(c.to_ascii_uppercase()),
            _ => return Err(Reject::Shape("not an NI number")),
        }
    }
    let b = out.as_bytes();
    if b.len() != 8 && b.len() != 9 {
        return Err(Reject::Length(
            "an NI number has 2 letters, 6 digits and a letter",
        ));
    }
    if !b[0].is_ascii_uppercase()
        || !b[1].is_ascii_uppercase()
        || !b[2..8].iter().all(u8::is_ascii_digit)
    {
        return Err(Reject::Shape("an NI number has 2 letters then 6 digits"));
    }
    if b.len() == 9 && !b"ABCD".contains(&b[8]) {
        return Err(Reject::Shape("NI number suffix must be A, B, C or D"));
    }
    if b"DFIQUV".contains(&b[0])
        || b"DFIQUVO".contains(&b[1])
        || ["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"].contains(&&out[..2])
    {
        return Err(Reject::InvalidNinoPrefix);
    }
    out.truncate(8);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Result<String, Reject> {
        let mut o = String::new();
        normalize(s, &mut o).map(|()| o)
    }

    #[test]
    fn ni_numbers() {
        for i in [
            "AB 12 34 56 C",
            "ab123456c",
            "AB123456",
            "AB123456C",
            "AB-12-34-56-C",
            " ab 123456 c ",
            "AB.12.34.56.D",
            "AB 123 456 A",
            "ab123456 b",
        ] {
            assert_eq!(n(i).as_deref(), Ok("AB123456"), "{i}");
        }
        assert_eq!(n("JG103759A").as_deref(), Ok("JG103759"));
        assert_eq!(n("QQ123456C"), Err(Reject::InvalidNinoPrefix));
        assert_eq!(n("DA123456A"), Err(Reject::InvalidNinoPrefix));
        assert_eq!(n("AO123456A"), Err(Reject::InvalidNinoPrefix));
        assert_eq!(n("GB123456A"), Err(Reject::InvalidNinoPrefix));
        assert_eq!(n("TN123456A"), Err(Reject::InvalidNinoPrefix));
        for bad in [
            "AB12345C",
            "AB1234567C",
            "AB123456E",
            "A1234567C",
            "12345678",
            "AB12345",
            "AB 12 34 56 C D",
            "AB12345X",
        ] {
            assert!(n(bad).is_err(), "{bad}");
        }
        assert_eq!(n("unknown"), Err(Reject::Empty));
    }
}
