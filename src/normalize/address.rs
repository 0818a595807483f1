//! The first line of an address ("Flat 3, 12 High St").
//!
//! Rules, in order:
//! - a trailing UK postcode is removed, with a country after it ("12 High St, LS1 4AB" and
//!   "12 High St, LS1 4AB, United Kingdom" are `12 high street`);
//! - "3/12 High Street" (flat 3 at number 12) is read as "flat 3 12 high street";
//! - letters are folded as in names (NFKD, accents stripped, lower case); apostrophes are
//!   removed within the word ("St John's" and "St Johns" are both `saint johns`); commas,
//!   semicolons, line breaks, dots, hyphens, '#', '/' and other punctuation become spaces;
//!   whitespace is collapsed;
//! - a single letter after a house number joins it: "12 A" and "12a" are both `12a`;
//! - abbreviations are expanded word by word: rd road, ave/av avenue, ln lane, cl/clo close,
//!   ct court, cres/cresc crescent, pl place, sq square, gdns gardens, gdn garden,
//!   tce/ter/terr terrace, pk park, gr/grv grove, wy way, pde parade, mt mount, hts heights,
//!   grn green, cotts cottages, hse house, ho house (not as the first word), blvd boulevard,
//!   apt/apartment/flt flat;
//! - "st" and "dr" are street and drive when they end their part of the line (the line, or
//!   the text before a comma, semicolon or line break) or only compass words follow them there
//!   (north, south, east, west, n, s, e, w, ne, nw, se, sw, upper, lower, kept as written):
//!   "12 High St", "12 High St, Leeds", "12 Queen St W" and "12 High St North" are streets;
//!   otherwise they are saint and doctor ("12 St John's Rd" is `12 saint johns road`, "12 Dr
//!   Johnson Way" is `12 doctor johnson way`);
//! - "flat no 3", "flat no. 3" and "flat number 3" are `flat 3`.
//!
//! So "12 High Street" and "12, HIGH ST." are both `12 high street`, and "Flat 3, 12 High St"
//! and "Apartment 3 12 High Street" are both `flat 3 12 high street`.
//!
//! Rejected: a line with no letters ([`Reject::NoLetters`]), a postcode alone, a line with
//! no digits and fewer than two words (a town name alone is not an address line), and a flat
//! or unit number alone ("Flat 3": [`UNIT_ONLY`]; the building is on another line).

use super::name::{Class, Seen, fold_char};
use super::postcode::split_trailing;
use super::{Reject, clean, is_placeholder};

/// Version of this normaliser's rules; bump it (and so [`super::NORMALIZE_VERSION`]) when an
/// output changes for any input.
pub const VERSION: u32 = 3;

/// Longest input considered, in bytes.
const MAX_INPUT: usize = 300;

/// Expansions that do not depend on what follows.
fn expand(w: &str, first: bool) -> Option<&'static str> {
    Some(match w {
        "rd" => "road",
        "ave" | "av" => "avenue",
        "ln" => "lane",
        "cl" | "clo" => "close",
        "ct" => "court",
        "cres" | "cresc" => "crescent",
        "pl" => "place",
        "sq" => "square",
        "gdns" => "gardens",
        "gdn" => "garden",
        "tce" | "ter" | "terr" => "terrace",
        "pk" => "park",
        "gr" | "grv" => "grove",
        "wy" => "way",
        "pde" => "parade",
        "mt" => "mount",
        "hts" => "heights",
        "grn" => "green",
        "cotts" => "cottages",
        "hse" => "house",
        "ho" if !first => "house",
        "blvd" => "boulevard",
        "apt" | "apartment" | "flt" => "flat",
        _ => return None,
    })
}

/// Compass words: "st" or "dr" followed only by these is still a street or drive
/// ("12 Queen St W", "12 High St North").
fn is_compass(w: &str) -> bool {
    matches!(
        w,
        "north"
            | "south"
            | "east"
            | "west"
            | "n"
            | "s"
            | "e"
            | "w"
            | "ne"
            | "nw"
            | "se"
            | "sw"
            | "upper"
            | "lower"
    )
}

/// Whether `c` ends a part of the line: "st" or "dr" before it is a street or drive.
fn ends_part(c: char) -> bool {
    matches!(c, ',' | ';' | '\n' | '\r')
}

/// "st" and "dr", whose meaning depends on what follows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pending {
    St,
    Dr,
}

impl Pending {
    /// The word as written (folded).
    fn raw(self) -> &'static str {
        match self {
            Pending::St => "st",
            Pending::Dr => "dr",
        }
    }

    /// The word it stands for, when it is the last of its part or not.
    fn resolve(self, last: bool) -> &'static str {
        match (self, last) {
            (Pending::St, true) => "street",
            (Pending::St, false) => "saint",
            (Pending::Dr, true) => "drive",
            (Pending::Dr, false) => "doctor",
        }
    }
}

/// Whether the line starts "3/12" or "3A / 12" (flat 3 at number 12).
fn slash_flat(t: &str) -> bool {
    let b = t.trim_start().as_bytes();
    let mut i = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if i == 0 {
        return false;
    }
    if b.get(i).is_some_and(u8::is_ascii_alphabetic) {
        i += 1;
    }
    while b.get(i) == Some(&b' ') {
        i += 1;
    }
    if b.get(i) != Some(&b'/') {
        return false;
    }
    i += 1;
    while b.get(i) == Some(&b' ') {
        i += 1;
    }
    b.get(i).is_some_and(u8::is_ascii_digit)
}

/// Words being written into the output, with what the rules need to know about the last one.
#[derive(Default)]
struct Line {
    /// Words kept so far.
    words: usize,
    /// Start of the word being folded.
    cur: Option<usize>,
    /// An "st" or "dr" at this offset, not yet resolved: only compass words follow it so far.
    pending: Option<(usize, Pending)>,
    /// The last "st" or "dr" read as saint or doctor because a word followed it, and where.
    last_not_last: Option<(usize, Pending)>,
    /// The last kept word is all digits.
    prev_digits: bool,
    /// The last kept word is "flat".
    prev_flat: bool,
}

impl Line {
    /// The part of the line ends: a pending "st"/"dr" is a street or drive.
    fn end_part(&mut self, out: &mut String) {
        if let Some((start, p)) = self.pending.take() {
            out.replace_range(start..start + 2, p.resolve(true));
        }
    }

    /// A word starts; its first folded characters are already in `out[mark..]`.
    fn begin(&mut self, out: &mut String, mark: usize) {
        let mut mark = mark;
        if mark > 0 {
            out.insert(mark, ' ');
            mark += 1;
        }
        self.cur = Some(mark);
    }

    /// The word at `out[start..]` is complete.
    fn end(&mut self, out: &mut String) {
        let Some(mut start) = self.cur.take() else {
            return;
        };
        if let Some((at, p)) = self.pending {
            if is_compass(&out[start..]) {
                // "12 Queen St W": the compass word is kept as written; "st" waits.
                self.words += 1;
                self.prev_digits = false;
                self.prev_flat = false;
                return;
            }
            // "12 St Johns": another word follows, so saint (or doctor).
            self.pending = None;
            let rep = p.resolve(false);
            out.replace_range(at..at + 2, rep);
            start += rep.len() - 2;
            self.last_not_last = Some((at, p));
        }
        let w = out.get(start..).unwrap_or("");
        if self.prev_flat && matches!(w, "no" | "number" | "nr" | "num") {
            out.truncate(start.saturating_sub(1));
            return;
        }
        if self.prev_digits && w.len() == 1 && w.as_bytes()[0].is_ascii_lowercase() {
            // "12 A" → "12a".
            if start > 0 {
                out.remove(start - 1);
            }
            self.prev_digits = false;
            return;
        }
        let pending = match w {
            "st" => Some(Pending::St),
            "dr" => Some(Pending::Dr),
            _ => None,
        };
        if let Some(p) = pending {
            self.pending = Some((start, p));
        } else if let Some(rep) = expand(w, self.words == 0) {
            out.truncate(start);
            out.push_str(rep);
        }
        self.words += 1;
        let w = out.get(start..).unwrap_or("");
        self.prev_digits = w.bytes().all(|b| b.is_ascii_digit());
        self.prev_flat = w == "flat";
    }
}

/// Normalises the first line of an address (see the module documentation).
pub fn normalize(input: &str, out: &mut String) -> Result<(), Reject> {
    normalize_line(input, out, true)
}

/// Normalises a line; `retry` allows one more pass when a postcode shows up only once folded.
fn normalize_line(input: &str, out: &mut String, retry: bool) -> Result<(), Reject> {
    out.clear();
    let mut t = clean(input)?;
    if t.len() > MAX_INPUT {
        return Err(Reject::Length("longer than 300 characters"));
    }
    while let Some((before, _)) = split_trailing(t) {
        if before.is_empty() {
            return Err(Reject::Shape("a postcode, not an address line"));
        }
        t = before;
    }
    let mut line = Line::default();
    if slash_flat(t) {
        out.push_str("flat");
        line.words = 1;
        line.prev_flat = true;
    }
    let mut seen = Seen::default();
    for c in t.chars() {
        let mark = out.len();
        match fold_char(c, out, &mut seen) {
            Class::Kept => {
                if line.cur.is_none() {
                    line.begin(out, mark);
                }
            }
            Class::Joiner => {}
            Class::Hyphen | Class::Sep => {
                line.end(out);
                if ends_part(c) {
                    line.end_part(out);
                }
            }
        }
    }
    line.end(out);
    line.end_part(out);
    // A postcode written in a way the first pass missed ("LS1-4AB", "LS1, 4AB"): remove it and
    // apply the rules again, since "st" or "dr" before it may now be the last word.
    let mut stripped = false;
    while let Some((before, _)) = split_trailing(out.as_str()) {
        let keep = before.len();
        out.truncate(keep);
        stripped = true;
    }
    if stripped && retry {
        // Rare: the only allocation here.
        let mut again = out.clone();
        // "12 Long Dr M1, 1AE": the postcode made "dr" doctor; only the last such word can
        // have been followed by the postcode alone, so it is written back as "dr" for the
        // second pass to decide again (if a kept word followed it, it is doctor again).
        if let Some((at, p)) = line.last_not_last {
            let rep = p.resolve(false);
            if again.get(at..at + rep.len()) == Some(rep) {
                again.replace_range(at..at + rep.len(), p.raw());
            }
        }
        return normalize_line(&again, out, false);
    }
    if !seen.letter || !out.chars().any(char::is_alphabetic) {
        return Err(Reject::NoLetters);
    }
    if !out.bytes().any(|b| b.is_ascii_digit()) && !out.contains(' ') {
        return Err(Reject::Shape("one word and no number: not an address line"));
    }
    if is_placeholder(out) {
        return Err(Reject::Empty);
    }
    if is_unit_only(out) {
        return Err(UNIT_ONLY);
    }
    Ok(())
}

/// Why a line that is only a flat or unit number ("Flat 3", "Apt 2B") is not an address: the
/// building is on another line, and flat 3 of one building is not flat 3 of another.
pub const UNIT_ONLY: Reject = Reject::Shape("a flat number alone, without the building");

/// Where a normalised line's street ends, when words follow its street word (a town with no
/// comma before it): `12 high street leeds` gives the length of `12 high street`. Only after
/// a house number, so "Church Road Surgery" is left alone; the last such word, so "12 Street
/// Lane Leeds" ends after "lane".
pub fn street_end(line: &str) -> Option<usize> {
    const STREET: [&str; 22] = [
        "street", "road", "avenue", "lane", "close", "court", "crescent", "place", "square",
        "gardens", "terrace", "way", "drive", "grove", "walk", "row", "hill", "parade", "mews",
        "view", "rise", "green",
    ];
    // The last street word ("12 Street Lane Leeds" ends at "lane"), when a word follows it:
    // "12 Green Lane" ends at its end, not at "green".
    let mut at = 0;
    let mut number = false;
    let mut end = None;
    for w in line.split(' ') {
        at += w.len();
        number |= w.bytes().next().is_some_and(|b| b.is_ascii_digit());
        if number && STREET.contains(&w) {
            end = Some(at);
        }
        at += 1;
    }
    end.filter(|&e| e < line.len())
}

/// Whether a raw line may be only a flat or unit ("Flat 3", "APT 2B"): a cheap test before
/// normalising it to see ([`UNIT_ONLY`]).
pub fn maybe_unit(raw: &str) -> bool {
    let t = raw.trim_start();
    let word = t
        .split(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or("");
    // Also as written before normalising: "flt", "apt" and "apartment" become "flat".
    UNIT_WORDS
        .iter()
        .chain(&["flt", "apt", "apartment"])
        .any(|w| w.eq_ignore_ascii_case(word))
        && t.split_whitespace().count() <= 3
}

/// Words of a normalised line that name a flat or unit in a building.
const UNIT_WORDS: [&str; 6] = ["flat", "unit", "room", "suite", "studio", "maisonette"];

/// Whether a normalised line is only a flat or unit and its number: `flat 3`, `unit 4b`.
fn is_unit_only(line: &str) -> bool {
    let mut w = line.split(' ');
    match (w.next(), w.next(), w.next()) {
        (Some(unit), Some(n), None) => {
            UNIT_WORDS.contains(&unit) && (n.bytes().any(|b| b.is_ascii_digit()) || n.len() == 1)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Result<String, Reject> {
        let mut o = String::new();
        normalize(s, &mut o).map(|()| o)
    }

    #[test]
    fn a_flat_alone_is_not_a_line_and_a_town_after_the_street_is_found() {
        for f in ["Flat 3", "APT 2B", "Unit 4", "flat A"] {
            assert_eq!(n(f), Err(UNIT_ONLY), "{f}");
        }
        assert_eq!(n("Flat 3 Oak House").as_deref(), Ok("flat 3 oak house"));
        let end = |s: &str| street_end(&n(s).unwrap()).map(|e| n(s).unwrap()[..e].to_string());
        assert_eq!(
            end("12 High Street Leeds").as_deref(),
            Some("12 high street")
        );
        assert_eq!(
            end("12 Street Lane Leeds").as_deref(),
            Some("12 street lane")
        );
        assert_eq!(end("12 High Street"), None, "nothing after the street");
        assert_eq!(
            end("12 Green Lane"),
            None,
            "a street word before the street word"
        );
        assert_eq!(end("12 Hill View"), None);
        assert_eq!(end("12 Green Road Leeds").as_deref(), Some("12 green road"));
        assert_eq!(end("Church Road Surgery"), None, "no house number");
    }

    #[test]
    fn address_lines() {
        for (i, want) in [
            ("12 High Street", "12 high street"),
            ("12, HIGH ST.", "12 high street"),
            ("12 High St", "12 high street"),
            ("12 high st.", "12 high street"),
            ("Flat 3, 12 High St", "flat 3 12 high street"),
            ("Flat 3 12 High Street", "flat 3 12 high street"),
            ("FLAT 3, 12 HIGH STREET", "flat 3 12 high street"),
            ("Apartment 3 12 High Street", "flat 3 12 high street"),
            ("Apt. 3, 12 High St", "flat 3 12 high street"),
            ("Flt 3 12 High St", "flat 3 12 high street"),
            ("Flat No. 3, 12 High St", "flat 3 12 high street"),
            ("flat no 3 12 high st", "flat 3 12 high street"),
            ("Flat Number 3, 12 High St", "flat 3 12 high street"),
            ("3/12 High Street", "flat 3 12 high street"),
            ("3 / 12 High St", "flat 3 12 high street"),
            ("#3, 12 High St", "3 12 high street"),
            ("4 Church Rd", "4 church road"),
            ("4 Church Road", "4 church road"),
            ("27a Station Road", "27a station road"),
            ("27A Station Rd", "27a station road"),
            ("27 A Station Road", "27a station road"),
            ("27-A Station Road", "27a station road"),
            ("12 St John's Rd", "12 saint johns road"),
            ("12 St. Johns Road", "12 saint johns road"),
            ("12 St Mary St", "12 saint mary street"),
            ("12 High St, Leeds", "12 high street leeds"),
            ("7 Mill Ln", "7 mill lane"),
            ("9 Park Ave", "9 park avenue"),
            ("9 Park Av.", "9 park avenue"),
            ("1 Rose Gdns", "1 rose gardens"),
            ("2 Oak Cl", "2 oak close"),
            ("5 Elm Ct", "5 elm court"),
            ("8 Moor Cres", "8 moor crescent"),
            ("3 Kings Pl", "3 kings place"),
            ("6 Queens Sq", "6 queens square"),
            ("10 Bank Tce", "10 bank terrace"),
            ("11 Hill Pk", "11 hill park"),
            ("14 Ash Gr", "14 ash grove"),
            ("16 Green Wy", "16 green way"),
            ("1 Ivy Hse, 2 Lane End", "1 ivy house 2 lane end"),
            ("Ivy Ho", "ivy house"),
            ("Ho Chi Minh Blvd 3", "ho chi minh boulevard 3"),
            ("12 Long Dr", "12 long drive"),
            ("12 Dr Johnson Way", "12 doctor johnson way"),
            ("Flat 2B, 7 Mill Lane", "flat 2b 7 mill lane"),
            ("12 Heol-y-Nant", "12 heol y nant"),
            ("12-14 High Street", "12 14 high street"),
            ("12 High Street, LS1 4AB", "12 high street"),
            ("12 High Street LS14AB", "12 high street"),
            ("12 High St, M1-1AE", "12 high street"),
            ("12 Long Dr M1, 1AE", "12 long drive"),
            ("Rose Cottage, Church Lane", "rose cottage church lane"),
            ("Rose Cottage", "rose cottage"),
            ("5 Ffordd Glyndŵr", "5 ffordd glyndwr"),
            ("12 Rue de l'Église", "12 rue de leglise"),
            ("\"12 High St\"", "12 high street"),
            ("12\u{a0}High\u{a0}St", "12 high street"),
        ] {
            assert_eq!(n(i).as_deref(), Ok(want), "{i}");
        }
    }

    #[test]
    fn street_or_saint() {
        for (i, want) in [
            ("12 High St North", "12 high street north"),
            ("12 Queen St W", "12 queen street w"),
            ("12 Queen St. W.", "12 queen street w"),
            ("12 High St, North", "12 high street north"),
            ("12 High St , Leeds", "12 high street leeds"),
            ("12 High St North, Leeds", "12 high street north leeds"),
            ("12 King St NE", "12 king street ne"),
            ("12 King St Upper", "12 king street upper"),
            ("12 King St South East", "12 king street south east"),
            ("12 St Johns Road", "12 saint johns road"),
            ("St Marys Close", "saint marys close"),
            ("12 St Johns Road North", "12 saint johns road north"),
            ("12 High St North Leeds", "12 high saint north leeds"),
            ("12 Long Dr", "12 long drive"),
            ("12 Long Dr E", "12 long drive e"),
            ("12 Long Dr, Leeds", "12 long drive leeds"),
            ("12 Dr Johnson Way", "12 doctor johnson way"),
            ("12 High St North LS1-4AB", "12 high street north"),
            ("12 High St M1, 1AE", "12 high street"),
            ("12 St Johns Rd M1, 1AE", "12 saint johns road"),
            ("12 High St; Leeds", "12 high street leeds"),
            ("12 High St\nLeeds", "12 high street leeds"),
            ("12 High St\r\nLeeds", "12 high street leeds"),
        ] {
            assert_eq!(n(i).as_deref(), Ok(want), "{i}");
        }
    }

    #[test]
    fn more_abbreviations() {
        for (i, want) in [
            ("1 Marine Pde", "1 marine parade"),
            ("2 Bank Ter", "2 bank terrace"),
            ("2 Bank Terr.", "2 bank terrace"),
            ("3 Mt Pleasant", "3 mount pleasant"),
            ("4 Park Hts", "4 park heights"),
            ("5 Village Grn", "5 village green"),
            ("6 Mill Cotts", "6 mill cottages"),
            ("7 Oak Clo", "7 oak close"),
            ("8 Rose Gdn", "8 rose garden"),
            ("8 Rose Gdns", "8 rose gardens"),
            ("9 Green Wy", "9 green way"),
            ("10 Kings Sq", "10 kings square"),
            ("11 Moor Cres", "11 moor crescent"),
            ("12 Park Av", "12 park avenue"),
        ] {
            assert_eq!(n(i).as_deref(), Ok(want), "{i}");
        }
    }

    #[test]
    fn lines_with_separators_and_countries() {
        for (i, want) in [
            ("Flat 3\n12 High St", "flat 3 12 high street"),
            ("Flat 3;12 High St", "flat 3 12 high street"),
            ("Flat 3; 12 High St;", "flat 3 12 high street"),
            ("12 High St\nLeeds\nLS1 4AB", "12 high street leeds"),
            ("12 High St; Leeds; LS1 4AB", "12 high street leeds"),
            ("12 High St, LS1 4AB, United Kingdom", "12 high street"),
            ("1 Marine Pde BN2 1TL UK", "1 marine parade"),
            ("1 Marine Pde, BN2 1TL, england", "1 marine parade"),
            ("12 High St, Leeds, UK", "12 high street leeds uk"),
        ] {
            assert_eq!(n(i).as_deref(), Ok(want), "{i}");
        }
        assert_eq!(
            n("LS1 4AB, UK"),
            Err(Reject::Shape("a postcode, not an address line"))
        );
    }

    #[test]
    fn rejected_lines() {
        let one_word = Reject::Shape("one word and no number: not an address line");
        for (bad, why) in [
            ("12", Reject::NoLetters),
            ("12 14", Reject::NoLetters),
            ("3/12", Reject::NoLetters),
            ("!!!", Reject::NoLetters),
            ("Leeds", one_word.clone()),
            ("LEEDS.", one_word),
            ("SW1A 1AA", Reject::Shape("a postcode, not an address line")),
            ("", Reject::Empty),
            ("n/a", Reject::Empty),
            ("---", Reject::Empty),
            ("Not-Known", Reject::Empty),
        ] {
            assert_eq!(n(bad), Err(why), "{bad}");
        }
        assert!(matches!(
            n(&"12 High Street ".repeat(30)),
            Err(Reject::Length(_))
        ));
    }
}
