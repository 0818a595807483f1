//! The tenant as a letter addresses them: the name in letter case, the salutation, the address
//! lines and the postcode from the tenants file, and whether the letter can be posted as it is.

use super::letters::Addressee;
use crate::normalize::{FieldKind, normalize};
use crate::roles::Role;
use crate::tenants::TenantRow;

/// Words that stay in small letters inside a name written all in small letters ("van der berg"
/// gives "Van der Berg").
const PARTICLES: [&str; 12] = [
    "van", "der", "den", "de", "la", "le", "von", "du", "da", "di", "bin", "al",
];

/// A name as a letter writes it: words in capitals ("JOHNSON", "O'NEILL", "SMITH-JONES",
/// "MCDONALD") in title case ("Johnson", "O'Neill", "Smith-Jones", "McDonald"), and so is a
/// name written all in small letters ("mr robert khan"); words with a small letter in a name
/// that has capitals are kept as written ("van der Berg", "MacLeod").
pub fn name_case(name: &str) -> String {
    let all_small = !name.chars().any(char::is_uppercase);
    name.split(' ')
        .enumerate()
        .map(|(i, w)| {
            let shout = w.chars().any(char::is_uppercase) && !w.chars().any(char::is_lowercase);
            let small = all_small && w.chars().any(char::is_lowercase);
            if !(shout || small) || (small && i > 0 && PARTICLES.contains(&w)) {
                return w.to_string();
            }
            let mut out = String::with_capacity(w.len());
            let mut upper_next = true;
            // Where the current part of the word starts ("Appleby-McKay": after the hyphen).
            let mut part = 0;
            for c in w.chars() {
                if upper_next {
                    out.extend(c.to_uppercase());
                } else {
                    out.extend(c.to_lowercase());
                }
                if !c.is_alphabetic() {
                    part = out.len();
                }
                upper_next = !c.is_alphabetic() || &out[part..] == "Mc";
            }
            out
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A whole name as it reads in a letter: "O'BRIEN, Chidi" (surname first, as many systems
/// export it) gives "Chidi O'Brien".
fn full_name(raw: &str) -> String {
    let name = match raw.split_once(',') {
        Some((surname, given))
            if !surname.trim().is_empty()
                && !given.trim().is_empty()
                && !given.contains(',')
                && !raw.chars().any(|c| c.is_ascii_digit()) =>
        {
            format!("{} {}", given.trim(), surname.trim())
        }
        _ => raw.to_string(),
    };
    name_case(&name)
}

/// The postcode in its usual form ("LS1 4AB"), or `None` when it is not a full UK postcode.
fn full_postcode(raw: &str) -> Option<String> {
    normalize(FieldKind::Postcode, raw)
        .ok()
        .map(|pc| format!("{} {}", &pc[..pc.len() - 3], &pc[pc.len() - 3..]))
}

/// The full postcode at the end of `line` and what comes before it: "12 High St, Leeds LS1
/// 4AB" gives ("12 High St, Leeds", "LS1 4AB"); a line that is a postcode gives ("", it).
fn trailing_postcode(line: &str) -> Option<(&str, String)> {
    if let Some(pc) = full_postcode(line) {
        return Some(("", pc));
    }
    let mut cut = line.len();
    for _ in 0..2 {
        cut = line[..cut].trim_end_matches([' ', ',']).rfind([' ', ','])?;
        if let Some(pc) = full_postcode(&line[cut..]) {
            return Some((line[..cut].trim_end_matches([' ', ',']), pc));
        }
    }
    None
}

/// The tenant as addressed in letters.
pub fn addressee(t: &TenantRow) -> Addressee {
    let g = |r| t.get(r).unwrap_or("").trim().to_string();
    let n = |r| name_case(&g(r));
    let (title, given, surname) = (n(Role::Title), n(Role::GivenName), n(Role::Surname));
    let name = if !given.is_empty() || !surname.is_empty() {
        [title.as_str(), given.as_str(), surname.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        full_name(&g(Role::FullName))
    };
    let salutation = match (title.is_empty(), surname.is_empty()) {
        (false, false) => format!("Dear {title} {surname}"),
        _ if !name.is_empty() => format!("Dear {name}"),
        _ => "Dear tenant".to_string(),
    };
    let raw_pc = g(Role::Postcode);
    let mut postcode = full_postcode(&raw_pc).unwrap_or(raw_pc);
    // Lines of a cell written over several lines (or with semicolons) stay lines; a postcode
    // at the end of a whole address is the postcode's, not printed twice.
    let mut address_lines: Vec<String> = Vec::new();
    for r in [
        Role::AddressLine1,
        Role::AddressLine2,
        Role::Town,
        Role::AddressFull,
    ] {
        for line in g(r).split(['\n', ';']) {
            let line = line.trim().trim_end_matches(',').trim();
            if line.is_empty() {
                continue;
            }
            let line = match trailing_postcode(line) {
                Some((head, pc)) if pc == postcode => head,
                _ => line,
            };
            if !line.is_empty() && !address_lines.iter().any(|l| l == line) {
                address_lines.push(line.to_string());
            }
        }
    }
    // No postcode column: the one that ends the address.
    if postcode.is_empty()
        && let Some(last) = address_lines.pop()
    {
        match trailing_postcode(&last) {
            Some((head, pc)) => {
                postcode = pc;
                if !head.is_empty() {
                    address_lines.push(head.to_string());
                }
            }
            None => address_lines.push(last),
        }
    }
    Addressee {
        salutation,
        name,
        address_lines,
        postcode,
    }
}

/// Why a letter to this addressee cannot be posted as it is (checked before it goes in the
/// post), or `None`.
pub fn letter_check(a: &Addressee) -> Option<String> {
    match (a.address_lines.is_empty(), a.postcode.is_empty()) {
        (true, true) => Some("no postal address in the tenants file".into()),
        (true, false) => Some("no address lines in the tenants file, only a postcode".into()),
        (false, true) => Some("no postcode in the tenants file".into()),
        (false, false) if full_postcode(&a.postcode).is_none() => Some(format!(
            "the postcode {:?} in the tenants file is not a full UK postcode",
            a.postcode
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tenants::{ColumnMap, read_tenants};

    #[test]
    fn names_in_capitals_or_small_letters_are_written_in_title_case() {
        for (raw, want) in [
            ("JOHNSON", "Johnson"),
            ("MR", "Mr"),
            ("O'NEILL", "O'Neill"),
            ("SMITH-JONES", "Smith-Jones"),
            ("MCDONALD", "McDonald"),
            ("APPLEBY-MCKAY", "Appleby-McKay"),
            ("OSCAR BOATENG", "Oscar Boateng"),
            ("ŁUKASZ WIŚNIEWSKI", "Łukasz Wiśniewski"),
            ("van der Berg", "van der Berg"),
            ("MacLeod", "MacLeod"),
            ("Siân", "Siân"),
            ("mr robert khan", "Mr Robert Khan"),
            ("pieter van der berg", "Pieter van der Berg"),
            ("o'neill", "O'Neill"),
        ] {
            assert_eq!(name_case(raw), want, "{raw}");
        }
        assert_eq!(full_name("O'BRIEN, Chidi"), "Chidi O'Brien");
        assert_eq!(full_name("Mrs Jane Smith"), "Mrs Jane Smith");
    }

    fn tenant(header: &str, row: &str) -> Addressee {
        let dir = std::env::temp_dir().join(format!("bm-addressee-{}", std::process::id()));
        fs_err::create_dir_all(&dir).unwrap();
        let p = dir.join(format!("{}.csv", row.len()));
        fs_err::write(&p, format!("Tenant ID,{header}\nT1,{row}\n")).unwrap();
        let t = read_tenants(&p, &ColumnMap::default()).unwrap();
        addressee(&t.rows[0])
    }

    #[test]
    fn whole_addresses_keep_their_lines_and_give_the_postcode_once() {
        let a = tenant(
            "Full Name,Address,Postcode",
            "\"O'BRIEN, Chidi\",\"Flat 2\n12 High St, Leeds LS1 4AB\",ls14ab",
        );
        assert_eq!(a.name, "Chidi O'Brien");
        assert_eq!(a.salutation, "Dear Chidi O'Brien");
        assert_eq!(a.address_lines, ["Flat 2", "12 High St, Leeds"]);
        assert_eq!(a.postcode, "LS1 4AB");
        assert_eq!(letter_check(&a), None);
    }

    #[test]
    fn letters_that_cannot_be_posted_are_flagged() {
        let a = tenant(
            "Full Name,Address Line 1,Town,Postcode",
            "Jo Bloggs,99 Chapel Cres,Liverpool,L4",
        );
        let why = letter_check(&a).unwrap();
        assert!(
            why.contains("\"L4\"") && why.contains("not a full UK postcode"),
            "{why}"
        );
        let a = tenant(
            "Full Name,Address",
            "Jo Bloggs,\"1 Mill Lane, Hull HU1 1AA\"",
        );
        assert_eq!(
            (a.address_lines.as_slice(), a.postcode.as_str()),
            (&["1 Mill Lane, Hull".to_string()][..], "HU1 1AA")
        );
        assert_eq!(letter_check(&a), None);
        let a = tenant("Full Name,Email", "Jo Bloggs,jo@example.org");
        assert_eq!(
            letter_check(&a).as_deref(),
            Some("no postal address in the tenants file")
        );
    }
}
