//! National Insurance numbers: two prefix letters, six digits, an optional suffix A to D.
//!
//! Spaces (any whitespace), dashes (en and em dashes too) and dots are removed and letters upper-cased. The output is
//! the 8 characters WITHOUT the suffix, because the suffix is not part of the identity and
//! many systems drop it: "AB 12 34 57 C", "ab123457c" and "AB123457" all give `AB123457`.
//!
//! Prefixes that are never issued are rejected ([`Reject::InvalidNinoPrefix`]): a first letter
//! D, F, I, Q, U or V; a second letter D, F, I, Q, U, V or O; and BG, GB, KN, NK, NT, TN, ZZ
//! (so the common placeholder "QQ123456C" is rejected). Also rejected: a suffix other than A
//! to D, any other length (7 or 9 digits, a missing letter), and placeholders: six equal digits
//! ("AA000000A") and the example number forms print ("AB123456C").
//!
//! A label in front is dropped: known words ending with ':' or a space, perhaps with a dash
//! between spaces ("NINO JZ123456C", "NI: JZ 12 34 56 C", "NI No. JZ123456C", "N.I. number -
//! ...", "National Insurance No: ..."; the words of `LABEL_WORDS`), when what follows starts
//! with a letter. So is a note in round or square brackets before or after the number,
//! holding a letter and no digit ("JZ123456C (tenant)"), unless it puts the number in doubt
//! ("(old)", "(wrong)"). Other words stay ("Partner NI: ..." is rejected), and a cell holding
//! two numbers ("JZ123456C / JZ123457C") is still rejected.

use super::{Reject, clean};

/// Version of this normaliser's rules; bump it (and so [`super::NORMALIZE_VERSION`]) when an
/// output changes for any input.
pub const VERSION: u32 = 6;

/// Most letters and digits: 2 + 6 + suffix.
const MAX: usize = 9;

/// Prefixes never issued, besides the letter rules.
const BAD_PREFIXES: [&[u8; 2]; 7] = [b"BG", b"GB", b"KN", b"NK", b"NT", b"TN", b"ZZ"];

/// Words of a label in front of an NI number ("NINO", "NI No.", "N.I. number", "National
/// Insurance No"), compared ignoring ASCII case. None is the start of a number: a label word
/// is followed by ':' or a space, and "NI" and "NO" are never issued as prefixes.
const LABEL_WORDS: [&str; 12] = [
    "ni",
    "nino",
    "nin",
    "n.i",
    "n.i.n.o",
    "no",
    "num",
    "number",
    "nat",
    "ins",
    "national",
    "insurance",
];

/// `t` without a label in front and notes in brackets at either end; several in turn.
fn drop_notes(mut t: &str) -> &str {
    for _ in 0..4 {
        let rest = super::strip_bracket_note(t, true, super::is_note).unwrap_or_else(|| {
            let rest = super::strip_label(t, &LABEL_WORDS, 4);
            // A label is followed by the number's prefix letters ("NI 12 34 56 A" keeps its
            // NI, and is refused for it).
            if rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
                rest
            } else {
                t
            }
        });
        if rest.len() == t.len() {
            break;
        }
        t = rest;
    }
    t
}

/// Normalises an NI number to its 8 characters without the suffix.
pub fn normalize(input: &str, out: &mut String) -> Result<(), Reject> {
    out.clear();
    let mut t = clean(input)?;
    // A number written without spaces ("JZ123456C") has no label or note: the common case
    // skips the search.
    if t.len() > MAX {
        t = drop_notes(t);
    }
    let mut b = [0u8; MAX];
    let mut n = 0;
    for c in t.chars() {
        match c {
            '-' | '.' | '\u{2010}'..='\u{2015}' | '\u{2212}' => {}
            c if c.is_whitespace() || super::is_invisible(c) => {}
            c if c.is_ascii_alphanumeric() => {
                if n == MAX {
                    return Err(Reject::Length(
                        "an NI number has 2 letters, 6 digits and a letter",
                    ));
                }
                // ASCII, checked above.
                b[n] = c.to_ascii_uppercase() as u8;
                n += 1;
            }
            c => return Err(Reject::InvalidChar(c)),
        }
    }
    let b = &b[..n];
    if b.len() < 2 || !b[0].is_ascii_uppercase() || !b[1].is_ascii_uppercase() {
        return Err(Reject::Shape("an NI number starts with 2 letters"));
    }
    if b[2..].iter().take_while(|x| x.is_ascii_digit()).count() != 6 {
        return Err(Reject::Length(
            "an NI number has 6 digits after its 2 letters",
        ));
    }
    // The prefix first: a temporary number ("TN 01 01 80 M") is refused for its prefix.
    let (p0, p1) = (b[0], b[1]);
    if b"DFIQUV".contains(&p0)
        || b"DFIQUVO".contains(&p1)
        || BAD_PREFIXES.iter().any(|p| **p == [p0, p1])
    {
        return Err(Reject::InvalidNinoPrefix(char::from(p0), char::from(p1)));
    }
    match b.get(8) {
        None => {}
        Some(s) if b"ABCD".contains(s) && b.len() == 9 => {}
        Some(s) if s.is_ascii_digit() => {
            return Err(Reject::Length(
                "an NI number has 6 digits after its 2 letters",
            ));
        }
        Some(_) => return Err(Reject::Shape("an NI number's last letter is A, B, C or D")),
    }
    // Placeholders typed in for "unknown": six equal digits ("AA000000A", "JZ999999"), and
    // the example number that forms and guidance print ("AB123456C").
    if b[3..8].iter().all(|&d| d == b[2]) || &b[..8] == b"AB123456" {
        return Err(Reject::Junk("a placeholder NI number"));
    }
    out.extend(b[..8].iter().map(|&x| char::from(x)));
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
    fn six_equal_digits_are_a_placeholder() {
        for p in ["AA000000A", "jz 99 99 99 d", "AB111111", "AB 12 34 56 C"] {
            assert!(matches!(n(p), Err(Reject::Junk(_))), "{p}");
        }
        assert_eq!(n("AB100000C").as_deref(), Ok("AB100000"));
    }

    #[test]
    fn accepted() {
        for i in [
            "AB 12 34 57 C",
            "ab123457c",
            "AB123457",
            "AB123457C",
            "AB-12-34-57-C",
            " ab 123457 c ",
            "AB.12.34.57.D",
            "AB 123 457 A",
            "ab123457 b",
            "\"AB123457C\"",
            "AB\u{a0}12\u{a0}34\u{a0}57\u{a0}C",
            "Ab 12 34 57 c",
            "AB\u{2013}12\u{2013}34\u{2013}57\u{2013}C",
            "AB12\u{200b}3457C",
            "AB12 3457C",
        ] {
            assert_eq!(n(i).as_deref(), Ok("AB123457"), "{i}");
        }
        assert_eq!(n("JG103759A").as_deref(), Ok("JG103759"));
        assert_eq!(n("ce 00 00 01 d").as_deref(), Ok("CE000001"));
        assert_eq!(n("ZA123456").as_deref(), Ok("ZA123456"));
    }

    #[test]
    fn labels_and_notes_are_dropped() {
        for i in [
            "NINO JZ123458C",
            "NI: JZ 12 34 58 C",
            "NI No. JZ123458C",
            "NI No: JZ123458C",
            "ni no jz123458c",
            "NINO:JZ123458C",
            "N.I. No. JZ 12 34 58 C",
            "NI number - JZ123458C",
            "National Insurance No: JZ123458C",
            "National Insurance Number JZ-12-34-58-C",
            "\"NI: JZ123458C\"",
            "JZ123458C (tenant)",
            "JZ 12 34 58 C [verified]",
            "(Lead tenant) JZ123458C",
            "NINO JZ123458C (tenant)",
        ] {
            assert_eq!(n(i).as_deref(), Ok("JZ123458"), "{i}");
        }
        for (bad, why) in [
            // Two numbers in one cell stay rejected.
            ("JZ123458C / JZ123459C", Reject::InvalidChar('/')),
            ("NI JZ123458C / JZ123459C", Reject::InvalidChar('/')),
            // The label does not change what is read after it.
            ("NINO QQ123456C", Reject::InvalidNinoPrefix('Q', 'Q')),
            (
                "NI: JZ12345",
                Reject::Length("an NI number has 6 digits after its 2 letters"),
            ),
            // A label word that is not followed by a letter is read as the number.
            ("NI 12 34 56 A", Reject::InvalidNinoPrefix('N', 'I')),
            ("NO 12 34 56 A", Reject::InvalidNinoPrefix('N', 'O')),
            // Joined to the number, not a known word, or a doubtful or digit-holding note.
            (
                "NINOJZ123458C",
                Reject::Length("an NI number has 2 letters, 6 digits and a letter"),
            ),
            ("Partner NI: JZ123458C", Reject::InvalidChar(':')),
            ("JZ123458C (old)", Reject::InvalidChar('(')),
            ("JZ123458C (2)", Reject::InvalidChar('(')),
            ("(tenant)", Reject::InvalidChar('(')),
            ("NI:", Reject::InvalidChar(':')),
        ] {
            assert_eq!(n(bad), Err(why), "{bad}");
        }
    }

    #[test]
    fn rejected() {
        assert_eq!(n("QQ123456C"), Err(Reject::InvalidNinoPrefix('Q', 'Q')));
        assert_eq!(n("QQ 12 34 56 C"), Err(Reject::InvalidNinoPrefix('Q', 'Q')));
        assert_eq!(n("DA123456A"), Err(Reject::InvalidNinoPrefix('D', 'A')));
        assert_eq!(n("AO123456A"), Err(Reject::InvalidNinoPrefix('A', 'O')));
        assert_eq!(n("AV123456A"), Err(Reject::InvalidNinoPrefix('A', 'V')));
        assert_eq!(n("GB123456A"), Err(Reject::InvalidNinoPrefix('G', 'B')));
        assert_eq!(n("BG123456A"), Err(Reject::InvalidNinoPrefix('B', 'G')));
        assert_eq!(n("TN123456A"), Err(Reject::InvalidNinoPrefix('T', 'N')));
        // A temporary number (TN, date of birth, M or F) is refused for its prefix.
        assert_eq!(n("TN 01 01 80 M"), Err(Reject::InvalidNinoPrefix('T', 'N')));
        assert_eq!(n("ZZ123456A"), Err(Reject::InvalidNinoPrefix('Z', 'Z')));
        let suffix = Reject::Shape("an NI number's last letter is A, B, C or D");
        assert_eq!(n("AB123457E"), Err(suffix.clone()));
        assert_eq!(n("AB123457-X"), Err(suffix));
        assert_eq!(
            n("A1234567C"),
            Err(Reject::Shape("an NI number starts with 2 letters"))
        );
        assert_eq!(
            n("A"),
            Err(Reject::Shape("an NI number starts with 2 letters"))
        );
        for bad in [
            "AB12345C",
            "AB1234577C",
            "AB1234577",
            "AB12345",
            "AB12345CD",
            "AB 12 34 57 C D",
            "AB123457789",
        ] {
            assert!(
                matches!(n(bad), Err(Reject::Length(_))),
                "{bad}: {:?}",
                n(bad)
            );
        }
        assert_eq!(n("AB/12/34/57"), Err(Reject::InvalidChar('/')));
        assert_eq!(n("unknown"), Err(Reject::Empty));
    }
}
