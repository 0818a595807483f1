//! Telephone numbers, output in E.164 (`+` and digits).
//!
//! UK numbers in any common writing become `+44` and the national number without its leading
//! 0: "07700 900123", "07700900123", "+44 7700 900123", "+44 (0)7700 900123",
//! "+44(0)7700-900-123", "447700900123", "00447700900123", "0044 7700 900123" all give
//! `+447700900123`; "(01632) 960123" gives `+441632960123`; "020 7946 0123", "0207 946 0123"
//! and "+44 20 7946 0123" give `+442079460123`.
//!
//! Rules: a leading "tel:" is dropped; an extension ("ext 12", "x12", "#12") is ignored;
//! spaces, dots, dashes, slashes and parentheses are removed; a "(0)" after a country code is
//! not dialled and is dropped. A UK number has 9 or 10 digits after the 0 (or +44), the first
//! of them 1, 2, 3, 5, 7, 8 or 9; "44" without a + counts as the country code only for 11 or
//! 12 digits in all. Numbers given with `+` or `00` and another country code are kept as
//! `+digits` when 8 to 15 digits long (the E.164 limit).
//!
//! Rejected: letters and other symbols ([`Reject::InvalidChar`]), too few or too many digits
//! ([`Reject::Length`]), other numbers with neither a leading 0 nor a country code, and
//! placeholder numbers made of one repeated digit or a bare run of zeros ([`Reject::Junk`]).
//!
//! A label before the number is dropped: "Mob 07700 900123", "Tel: ...", "Home: ...", "M: ...".
//! So are notes: one in brackets after or before the number ("07700 900123 (mum)",
//! "0161 496 0333 (home)", "07700 900123 (M)", "(home) 029 2018 0555", "[work]") when it
//! holds a letter and no digit, and a note word after the number, following a space, comma or
//! dash ("07700 900123 mobile", "07700 900123 - home"; the words of `NOTES`: mobile, home,
//! work, mum, dad, personal, main, landline, ...; a single letter only in brackets). Several
//! notes in turn are dropped ("07700 900123 mobile (mum)"). Brackets holding a digit are read
//! as before: "(0)" in "+44 (0)20 ..." and "(020)" in "(020) 7946 ..." are part of the
//! number, and the 2 of "07700 900123 (2)" is a digit too many. A note that puts the number in
//! doubt ("(wrong number)", "(old)", "(not in use)") is kept, so the number stays rejected, and
//! a note between two parts of a number is never dropped. An extension ("ext 23") is ignored as
//! before, and a cell holding two numbers ("07700 900123 / 0113 496 0000") is still rejected
//! here: the scan splits such a cell and reads each number.
//!
//! Placeholders are refused: one repeated digit, a bare run of zeros, and a run of nine
//! ascending or descending digits ("01234 567890", "0123456789", "07123456789"), though
//! not a shorter one ("0800 123 4567" is a real number).
//!
//! A number written as a float ("7700900123.0", "7.700900123E9", a JSON `7700900123.0`) is read
//! as the whole number; scientific notation that lost digits ("7.7009E+09") is refused.
//!
//! A spreadsheet that stores a phone number as a number drops its leading 0: ten digits
//! starting 7 (a mobile) or 1 or 2 (a geographic number) are read as a UK number that lost its
//! 0 ("7700900123" gives `+447700900123`), since the dumps searched are a UK landlord's. Other
//! lengths and ranges without a 0 or country code are still refused: they cannot be told from a
//! foreign number.

use super::{Reject, clean};

/// Version of this normaliser's rules; bump it (and so [`super::NORMALIZE_VERSION`]) when an
/// output changes for any input.
pub const VERSION: u32 = 5;

/// Longest input considered, in bytes.
const MAX_INPUT: usize = 64;
/// Most digits kept (E.164 allows 15; a few more so "00" + 15 is still read).
const MAX_DIGITS: usize = 17;

fn is_separator(c: char) -> bool {
    matches!(c, ' ' | '-' | '.' | '(' | ')' | '/' | '\t')
        || c.is_whitespace()
        || matches!(c, '\u{2010}'..='\u{2015}' | '\u{2212}')
        || super::is_invisible(c)
}

/// Placeholder digit strings: one digit repeated, or a first digit followed only by zeros.
fn is_junk(d: &[u8]) -> bool {
    match d.split_first() {
        Some((&first, rest)) => rest.iter().all(|&x| x == first) || rest.iter().all(|&x| x == b'0'),
        None => true,
    }
}

/// Words that label a number in a cell ("Mob 07700 900123", "Home: 0113 ..."), compared
/// ignoring ASCII case.
const LABELS: [&str; 17] = [
    "mob",
    "mobile",
    "tel",
    "telephone",
    "phone",
    "home",
    "work",
    "office",
    "landline",
    "day",
    "eve",
    "evening",
    "m",
    "h",
    "w",
    "t",
    "ph",
];

/// Words that note whose or what a number is when written after it ("07700 900123 mobile",
/// "0161 496 0333 - home"), compared ignoring ASCII case. A single letter is a note only in
/// brackets ("(M)").
const NOTES: [&str; 24] = [
    "mob",
    "mobile",
    "cell",
    "tel",
    "telephone",
    "phone",
    "number",
    "home",
    "work",
    "office",
    "business",
    "landline",
    "day",
    "daytime",
    "eve",
    "evening",
    "evenings",
    "main",
    "personal",
    "private",
    "mum",
    "dad",
    "mother",
    "father",
];

/// `t` without notes: in brackets at either end ("(mum)", "(home) ...", "[work]") or a word of
/// [`NOTES`] after the number; several in turn ("07700 900123 mobile (mum)").
fn drop_notes(mut t: &str) -> &str {
    for _ in 0..4 {
        match super::strip_bracket_note(t, true, super::is_note)
            .or_else(|| super::strip_trailing_word(t, &NOTES))
        {
            Some(rest) => t = rest,
            None => break,
        }
    }
    t
}

/// `t` without a leading label word and the ':' or '.' after it.
fn drop_label(t: &str) -> &str {
    if !t.as_bytes().first().is_some_and(u8::is_ascii_alphabetic) {
        return t;
    }
    let end = t
        .bytes()
        .position(|b| !b.is_ascii_alphabetic())
        .unwrap_or(t.len());
    let (word, rest) = t.split_at(end);
    let labelled = LABELS.iter().any(|l| word.eq_ignore_ascii_case(l))
        && rest.starts_with([':', '.', ' ', '\t', '\u{a0}']);
    if labelled {
        rest.trim_start_matches(|c: char| c == ':' || c == '.' || c.is_whitespace())
    } else {
        t
    }
}

/// A run of nine ascending or descending digits ("123456789"): a made-up number.
fn is_sequence(d: &[u8]) -> bool {
    d.windows(9)
        .any(|w| w.windows(2).all(|p| p[1] == p[0] + 1) || w.windows(2).all(|p| p[0] == p[1] + 1))
}

/// Writes `+44` and a UK national number (without its leading 0).
fn uk(national: &[u8], out: &mut String) -> Result<(), Reject> {
    // "+44 07700 ..." and "+44 (0)7700 ...": the 0 after the country code is not dialled.
    let national = national.strip_prefix(b"0").unwrap_or(national);
    if !(9..=10).contains(&national.len()) {
        return Err(Reject::Length(
            "a UK number has 10 or 11 digits with its leading 0",
        ));
    }
    if !matches!(national[0], b'1' | b'2' | b'3' | b'5' | b'7' | b'8' | b'9') {
        return Err(Reject::Shape("not a UK number range"));
    }
    if is_junk(national) || is_sequence(national) {
        return Err(Reject::Junk("a placeholder number"));
    }
    out.clear();
    out.push_str("+44");
    out.extend(national.iter().map(|&b| char::from(b)));
    Ok(())
}

/// Normalises a telephone number to E.164 (see the module documentation).
pub fn normalize(input: &str, out: &mut String) -> Result<(), Reject> {
    out.clear();
    let mut t = clean(input)?;
    if t.len() > MAX_INPUT {
        return Err(Reject::Length("too long for a phone number"));
    }
    t = drop_notes(t);
    if t.len() >= 4 && t.as_bytes()[..4].eq_ignore_ascii_case(b"tel:") {
        t = t[4..].trim_start();
    }
    t = drop_label(t);
    // A note after the label: "Mob (mum) 07700 900123".
    t = drop_notes(t);
    let float = super::whole_number(t)?;
    let t = float.as_deref().unwrap_or(t);
    let mut digits = [0u8; MAX_DIGITS];
    let mut n = 0;
    let mut plus = false;
    let mut iter = t.char_indices();
    while let Some((i, c)) = iter.next() {
        match c {
            '0'..='9' => {
                if n == MAX_DIGITS {
                    return Err(Reject::Length("too many digits for a phone number"));
                }
                digits[n] = c as u8;
                n += 1;
            }
            '+' if n == 0 && !plus => plus = true,
            '(' if t[i..].starts_with("(0)")
                && (plus || digits[..n].starts_with(b"00") || digits[..n] == *b"44") =>
            {
                // "+44 (0)7700 ...": skip the "0)".
                iter.next();
                iter.next();
            }
            'x' | 'X' | '#' if n > 0 => break,
            'e' | 'E'
                if n > 0
                    && t.get(i..i + 3)
                        .is_some_and(|w| w.eq_ignore_ascii_case("ext")) =>
            {
                break;
            }
            c if is_separator(c) => {}
            c => return Err(Reject::InvalidChar(c)),
        }
    }
    let d = &digits[..n];
    if n == 0 {
        return Err(Reject::Shape("no digits"));
    }
    if n >= 6 && is_junk(d) {
        return Err(Reject::Junk("a placeholder number"));
    }
    let international = if plus { Some(d) } else { d.strip_prefix(b"00") };
    if let Some(intl) = international {
        if let Some(national) = intl.strip_prefix(b"44") {
            return uk(national, out);
        }
        if intl.first().is_none_or(|&b| b == b'0') {
            return Err(Reject::Shape("a country code cannot start with 0"));
        }
        if !(8..=15).contains(&intl.len()) {
            return Err(Reject::Length("an international number has 8 to 15 digits"));
        }
        if is_junk(intl) {
            return Err(Reject::Junk("a placeholder number"));
        }
        out.push('+');
        out.extend(intl.iter().map(|&b| char::from(b)));
        return Ok(());
    }
    if let Some(national) = d.strip_prefix(b"0") {
        return uk(national, out);
    }
    if (11..=12).contains(&n)
        && let Some(national) = d.strip_prefix(b"44")
    {
        return uk(national, out);
    }
    // A spreadsheet drops the leading 0 of a number stored as a number: "7700900123".
    if n == 10 && matches!(d[0], b'1' | b'2' | b'7') {
        return uk(d, out);
    }
    Err(Reject::Shape("no leading 0 or country code"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Result<String, Reject> {
        let mut o = String::new();
        normalize(s, &mut o).map(|()| o)
    }

    #[test]
    fn uk_mobiles() {
        for i in [
            "07700 900123",
            "07700900123",
            "+44 7700 900123",
            "+44 (0)7700 900123",
            "+44(0)7700-900-123",
            "447700900123",
            "00447700900123",
            "0044 7700 900123",
            "0044 (0)7700 900123",
            "+44 07700 900123",
            "tel:+447700900123",
            "TEL: 07700 900123",
            "07700 900 123",
            "(07700) 900123",
            "07700.900.123",
            "07700-900-123",
            "07700/900123",
            "+44 7700 900123 ext 12",
            "+44 7700 900123 ext. 12",
            "07700 900123 x12",
            "07700 900123 #4",
            "\"07700 900123\"",
            "'07700900123",
            // Excel stored it as a number and dropped the 0.
            "7700900123",
            "7700 900123",
            "07700\u{a0}900123",
            // Labels, and floats from spreadsheets and JSON.
            "Mob 07700 900123",
            "Mobile: 07700 900123",
            "M: 07700900123",
            "7700900123.0",
            "447700900123.0",
            "7.700900123E9",
            "4.47700900123E+11",
            "07700\u{200b}900123",
            "+44\u{2013}7700\u{2013}900123",
        ] {
            assert_eq!(n(i).as_deref(), Ok("+447700900123"), "{i}");
        }
    }

    #[test]
    fn uk_landlines_and_international() {
        for (i, want) in [
            ("(01632) 960123", "+441632960123"),
            ("01632 960 123", "+441632960123"),
            ("01632 960123", "+441632960123"),
            ("020 7946 0123", "+442079460123"),
            ("0207 946 0123", "+442079460123"),
            ("+44 20 7946 0123", "+442079460123"),
            ("+44 (0)20 7946 0123", "+442079460123"),
            ("0113 496 0000", "+441134960000"),
            ("0800 123 4567", "+448001234567"),
            ("01697 73456", "+44169773456"),
            ("+1 (212) 555-0123", "+12125550123"),
            ("001 212 555 0123", "+12125550123"),
            ("00353 1 234 5678", "+35312345678"),
            ("+353 (0)1 234 5678", "+35312345678"),
            ("+33 6 12 34 56 78", "+33612345678"),
        ] {
            assert_eq!(n(i).as_deref(), Ok(want), "{i}");
        }
    }

    #[test]
    fn notes_beside_a_number_are_dropped() {
        for (i, want) in [
            ("07700 900102 (mum)", "+447700900102"),
            ("07700 900107 (work)", "+447700900107"),
            ("07700 900105 - mobile", "+447700900105"),
            ("07700 900111 mobile", "+447700900111"),
            ("07700 900444 (M)", "+447700900444"),
            ("0161 496 0333 (home)", "+441614960333"),
            ("(home) 029 2018 0555", "+442920180555"),
            ("(home): 029 2018 0555", "+442920180555"),
            ("(H) 029 2018 0555", "+442920180555"),
            ("07700 900102 [mum]", "+447700900102"),
            ("07700 900102 (Mum's mobile)", "+447700900102"),
            ("07700 900102 mobile (mum)", "+447700900102"),
            ("07700 900102 (mum) mobile", "+447700900102"),
            ("07700 900102, home", "+447700900102"),
            ("07700 900102 \u{2013} WORK", "+447700900102"),
            ("07700 900102 home number", "+447700900102"),
            ("07700 900102\u{a0}(mum)", "+447700900102"),
            ("Mob 07700 900102 (mum)", "+447700900102"),
            ("Mob (mum) 07700 900102", "+447700900102"),
            ("\"07700 900102 (mum)\"", "+447700900102"),
            ("+44 (0)20 7946 0000 (work)", "+442079460000"),
            ("(020) 7946 0000 (home)", "+442079460000"),
            ("(020) 7946 0000", "+442079460000"),
            ("+44 (0)20 7946 0000", "+442079460000"),
            ("07700 900102 ext 23 (work)", "+447700900102"),
            ("07700 900102 x23", "+447700900102"),
            // As before: an extension is ignored.
            ("07700 900102 ext 5", "+447700900102"),
        ] {
            assert_eq!(n(i).as_deref(), Ok(want), "{i}");
        }
    }

    #[test]
    fn notes_that_hide_digits_or_doubt_the_number_are_kept() {
        for (bad, why) in [
            // Two numbers in one cell stay one rejected value here (the scan splits them).
            (
                "07700 900102 / 07700 900103",
                Reject::Length("too many digits for a phone number"),
            ),
            (
                "07700 900102 (mum) / 07700 900103 (dad)",
                Reject::InvalidChar('m'),
            ),
            (
                "07700 900102 or 07700 900103 mobile",
                Reject::InvalidChar('o'),
            ),
            // A bracket with a digit is not a note.
            (
                "07700 900102 (2)",
                Reject::Length("a UK number has 10 or 11 digits with its leading 0"),
            ),
            ("07700 900102 (2nd)", Reject::InvalidChar('n')),
            // Notes that say the number is wrong or old.
            ("07700 900102 (wrong number)", Reject::InvalidChar('w')),
            ("07700 900102 (old)", Reject::InvalidChar('o')),
            ("07700 900102 (not in use)", Reject::InvalidChar('n')),
            ("07700 900102 (mum?)", Reject::InvalidChar('m')),
            // A note inside the number, joined to it, or alone.
            ("07700 (mum) 900102", Reject::InvalidChar('m')),
            ("07700 900102 (mum) 3", Reject::InvalidChar('m')),
            ("07700 900102mobile", Reject::InvalidChar('m')),
            ("(mum)", Reject::InvalidChar('m')),
            ("mobile", Reject::InvalidChar('m')),
            ("(mum) (dad)", Reject::InvalidChar('m')),
            // Words that are not notes, and single letters outside brackets.
            ("07700 900102 fax", Reject::InvalidChar('f')),
            ("07700 900102 call after 6", Reject::InvalidChar('c')),
            ("07700 900102 M", Reject::InvalidChar('M')),
            ("07700 900102 (mum", Reject::InvalidChar('m')),
        ] {
            assert_eq!(n(bad), Err(why), "{bad}");
        }
    }

    #[test]
    fn rejected_numbers() {
        for (bad, why) in [
            (
                "0770",
                Reject::Length("a UK number has 10 or 11 digits with its leading 0"),
            ),
            (
                "077009001234",
                Reject::Length("a UK number has 10 or 11 digits with its leading 0"),
            ),
            ("07700 9001AB", Reject::InvalidChar('A')),
            ("call me", Reject::InvalidChar('c')),
            ("07700 900123 or 07700 900124", Reject::InvalidChar('o')),
            ("00000000000", Reject::Junk("a placeholder number")),
            ("07777777777", Reject::Junk("a placeholder number")),
            ("07000000000", Reject::Junk("a placeholder number")),
            ("01234 567890", Reject::Junk("a placeholder number")),
            ("0123456789", Reject::Junk("a placeholder number")),
            ("07123456789", Reject::Junk("a placeholder number")),
            ("07987654321", Reject::Junk("a placeholder number")),
            ("Fax 07700 900123", Reject::InvalidChar('F')),
            (
                "7.7009E+09",
                Reject::Shape(
                    "a number in scientific notation that lost digits (format the column as text)",
                ),
            ),
            ("12345678", Reject::Shape("no leading 0 or country code")),
            ("770090012", Reject::Shape("no leading 0 or country code")),
            ("4155550123", Reject::Shape("no leading 0 or country code")),
            ("0400 123456", Reject::Shape("not a UK number range")),
            (
                "+44 0",
                Reject::Length("a UK number has 10 or 11 digits with its leading 0"),
            ),
            (
                "+1 23",
                Reject::Length("an international number has 8 to 15 digits"),
            ),
            (
                "+1234567890123456",
                Reject::Length("an international number has 8 to 15 digits"),
            ),
            (
                "+0 7700 900123",
                Reject::Shape("a country code cannot start with 0"),
            ),
            ("07700+900123", Reject::InvalidChar('+')),
            ("-", Reject::Empty),
            ("n/a", Reject::Empty),
            ("()", Reject::Shape("no digits")),
        ] {
            assert_eq!(n(bad), Err(why), "{bad}");
        }
        assert!(matches!(
            n("0770090012345678901234"),
            Err(Reject::Length(_))
        ));
    }
}
