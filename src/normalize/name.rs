//! Names: Unicode folded (NFKD, accents stripped, lower case), titles and suffixes dropped,
//! punctuation inside names removed.
//!
//! - [`surname`]: letters only, so "O'Neill", "ONeill" and "O Neill" are all `oneill`, and
//!   "Smith-Jones", "Smith Jones" and "SMITH-JONES" are all `smithjones`.
//! - [`given_name`]: the first forename only (middle names differ between systems); a lone
//!   initial is rejected because it cannot identify anyone.
//! - [`full_name`]: one cell holding a whole name, split into candidate (given, surname) pairs:
//!   "SMITH, John" by the comma; "John A. Smith" as (john, asmith) and (john, smith), because
//!   "Andrew Lloyd Webber" needs (andrew, lloydwebber). All candidates are tried; none of them
//!   matches on its own (name alone is never a key).

use super::{Reject, clean};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Version of this normaliser's rules; bump it (and so [`super::NORMALIZE_VERSION`]) when an
/// output changes for any input.
pub const VERSION: u32 = 1;

const TITLES: [&str; 18] = [
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
    "sir",
    "dame",
    "lady",
    "lord",
    "master",
    "fr",
    "mstr",
    "mister",
];
const SUFFIXES: [&str; 14] = [
    "jr", "junior", "sr", "snr", "senior", "jnr", "ii", "iii", "iv", "phd", "esq", "obe", "mbe",
    "cbe",
];

/// Folds one character into `out`: letters lower-cased without accents, digits kept, word
/// separators (space, dot, comma, slash) as one space, hyphens and apostrophes dropped.
fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        match c {
            'A'..='Z' => out.push(c.to_ascii_lowercase()),
            'a'..='z' | '0'..='9' => out.push(c),
            '-' | '\'' | '`' => {}
            _ => push_space(out),
        }
        return;
    }
    match c {
        'ß' => out.push_str("ss"),
        'æ' | 'Æ' => out.push_str("ae"),
        'œ' | 'Œ' => out.push_str("oe"),
        'ø' | 'Ø' => out.push('o'),
        'ł' | 'Ł' => out.push('l'),
        'đ' | 'Đ' | 'ð' | 'Ð' => out.push('d'),
        'þ' | 'Þ' => out.push_str("th"),
        'ı' => out.push('i'),
        '\u{2019}' | '\u{2018}' | '\u{2010}' | '\u{2011}' | '\u{2013}' => {}
        _ => {
            let mut any = false;
            for d in std::iter::once(c).nfkd() {
                if is_combining_mark(d) {
                    continue;
                }
                any = true;
                if d.is_ascii() {
                    fold_char(d, out);
                } else if d.is_alphabetic() {
                    for l in d.to_lowercase() {
                        out.push(l);
                    }
                } else if d.is_numeric() {
                    out.push(d);
                } else {
                    push_space(out);
                }
            }
            if !any {
                push_space(out);
            }
        }
    }
}

fn push_space(out: &mut String) {
    if !out.is_empty() && !out.ends_with(' ') {
        out.push(' ');
    }
}

/// Folds a whole string into space-separated lower-case words.
pub fn fold_words(input: &str, out: &mut String) {
    out.clear();
    for c in input.chars() {
        fold_char(c, out);
    }
    while out.ends_with(' ') {
        out.pop();
    }
}

fn check_word(w: &str) -> Result<(), Reject> {
    if w.chars().any(|c| c.is_numeric()) {
        return Err(Reject::DigitsInName);
    }
    Ok(())
}

/// Normalises a surname: letters only.
pub fn surname(input: &str, out: &mut String) -> Result<(), Reject> {
    let t = clean(input)?;
    let mut words = String::with_capacity(t.len());
    fold_words(t, &mut words);
    out.clear();
    for w in words.split(' ') {
        out.push_str(w);
    }
    if out.is_empty() || !out.chars().any(char::is_alphabetic) {
        return Err(Reject::Shape("no letters"));
    }
    check_word(out)?;
    if out.chars().count() > 60 {
        return Err(Reject::Length("a surname of more than 60 letters"));
    }
    Ok(())
}

fn is_title(w: &str) -> bool {
    TITLES.contains(&w)
}

/// Normalises a given name: titles dropped, first word only, letters only.
pub fn given_name(input: &str, out: &mut String) -> Result<(), Reject> {
    let t = clean(input)?;
    let mut words = String::with_capacity(t.len());
    fold_words(t, &mut words);
    let mut it = words
        .split(' ')
        .filter(|w| !w.is_empty())
        .skip_while(|w| is_title(w));
    let first = it.next().ok_or(Reject::Shape("no given name"))?;
    check_word(first)?;
    if first.chars().count() < 2 {
        return Err(Reject::InitialOnly);
    }
    out.clear();
    out.push_str(first);
    Ok(())
}

/// Splits a full-name cell into candidate `(given, surname)` pairs, most likely first.
pub fn full_name(input: &str, out: &mut Vec<(String, String)>) -> Result<(), Reject> {
    out.clear();
    let t = clean(input)?;
    if let Some((before, after)) = t.split_once(',') {
        // "SMITH, John" / "Smith, Mr John A."
        let mut s = String::new();
        surname(before, &mut s)?;
        let mut g = String::new();
        given_name(after, &mut g)?;
        out.push((g, s));
        return Ok(());
    }
    let mut folded = String::with_capacity(t.len());
    fold_words(t, &mut folded);
    let mut words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    while words.first().is_some_and(|w| is_title(w)) {
        words.remove(0);
    }
    while words.len() > 2 && words.last().is_some_and(|w| SUFFIXES.contains(w)) {
        words.pop();
    }
    for w in &words {
        check_word(w)?;
    }
    match words.len() {
        0 => return Err(Reject::Shape("no name")),
        1 => return Err(Reject::SingleWord),
        _ => {}
    }
    if words[0].chars().count() < 2 {
        return Err(Reject::InitialOnly);
    }
    for k in 1..words.len() {
        let s: String = words[k..].concat();
        if s.chars().count() < 2 {
            continue;
        }
        out.push((words[0].to_string(), s));
    }
    if out.is_empty() {
        return Err(Reject::InitialOnly);
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

    #[test]
    fn surnames() {
        for (i, want) in [
            ("O'Neill", "oneill"),
            ("ONeill", "oneill"),
            ("O Neill", "oneill"),
            ("O\u{2019}Neill", "oneill"),
            ("Smith-Jones", "smithjones"),
            ("SMITH-JONES", "smithjones"),
            ("Smith Jones", "smithjones"),
            ("McDonald", "mcdonald"),
            ("Mc Donald", "mcdonald"),
            ("Müller", "muller"),
            ("Łukasiewicz", "lukasiewicz"),
            ("Nowak ", "nowak"),
            ("  \"Brown\" ", "brown"),
            ("Lloyd Webber", "lloydwebber"),
            ("Strauß", "strauss"),
            ("Ødegaard", "odegaard"),
            ("de la Cruz", "delacruz"),
        ] {
            assert_eq!(sn(i).as_deref(), Ok(want), "{i}");
        }
        assert_eq!(sn("N/A"), Err(Reject::Empty));
        assert_eq!(sn(""), Err(Reject::Empty));
        assert_eq!(sn("Smith2"), Err(Reject::DigitsInName));
        assert!(sn("---").is_err());
        assert!(sn(&"a".repeat(61)).is_err());
    }

    #[test]
    fn given_names() {
        for (i, want) in [
            ("John", "john"),
            ("JOHN", "john"),
            ("Mr John", "john"),
            ("Mr. John", "john"),
            ("John Paul", "john"),
            ("Anne-Marie", "annemarie"),
            ("Zoë", "zoe"),
            ("Siân", "sian"),
            ("Seán", "sean"),
            ("Renée", "renee"),
            ("Chloé", "chloe"),
            ("dr aoife", "aoife"),
            ("Oluwaseun", "oluwaseun"),
            ("Ḿary", "mary"),
            (" Priya ", "priya"),
        ] {
            assert_eq!(gn(i).as_deref(), Ok(want), "{i}");
        }
        assert_eq!(gn("J"), Err(Reject::InitialOnly));
        assert_eq!(gn("J."), Err(Reject::InitialOnly));
        assert_eq!(gn("Mr J. Smith"), Err(Reject::InitialOnly));
        assert_eq!(gn("unknown"), Err(Reject::Empty));
        assert_eq!(gn("Jo3n"), Err(Reject::DigitsInName));
    }

    #[test]
    fn full_names() {
        let first = |s: &str| full(s).map(|v| v[0].clone());
        let p = |g: &str, s: &str| Ok((g.to_string(), s.to_string()));
        assert_eq!(first("Mr John Smith"), p("john", "smith"));
        assert_eq!(first("SMITH, John"), p("john", "smith"));
        assert_eq!(first("Smith, Mr John A."), p("john", "smith"));
        assert_eq!(first("john smith"), p("john", "smith"));
        assert_eq!(first("Zoe Smith-Jones"), p("zoe", "smithjones"));
        assert_eq!(first("Mrs Siân O'Neill"), p("sian", "oneill"));
        assert_eq!(first("Mary O Neill"), p("mary", "oneill"));
        assert_eq!(first("John Smith Jr"), p("john", "smith"));
        assert_eq!(first("Dr. Priya Patel PhD"), p("priya", "patel"));
        assert_eq!(
            full("John A. Smith").unwrap(),
            vec![
                ("john".into(), "asmith".into()),
                ("john".into(), "smith".into())
            ]
        );
        assert!(
            full("Andrew Lloyd Webber")
                .unwrap()
                .contains(&("andrew".into(), "lloydwebber".into()))
        );
        assert!(
            full("Andrew Lloyd Webber")
                .unwrap()
                .contains(&("andrew".into(), "webber".into()))
        );
        assert!(
            full("John Smith J")
                .unwrap()
                .iter()
                .all(|(_, s)| s.len() > 1)
        );
        assert_eq!(full("Smith"), Err(Reject::SingleWord));
        assert_eq!(full("Mr Smith"), Err(Reject::SingleWord));
        assert_eq!(full("J Smith"), Err(Reject::InitialOnly));
        assert_eq!(full("John 5mith"), Err(Reject::DigitsInName));
        assert_eq!(full("  "), Err(Reject::Empty));
    }
}
