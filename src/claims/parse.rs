//! Reading a third party's claim: a CSV of residents (name, address and/or postcode, sometimes
//! date of birth or e-mail) and the fields said to be exposed, either per row (a column such
//! as "Data exposed") or one list for all ("name, address, date of birth").

use crate::keys::Field;
use crate::roles::Role;
use std::path::{Path, PathBuf};

/// Errors reading a claim file.
#[derive(Debug, thiserror::Error)]
pub enum ClaimError {
    /// I/O.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        #[source]
        source: std::io::Error,
    },
    /// A row or header is wrong.
    #[error("{path}, line {line}: {message}")]
    Bad {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// What is wrong.
        message: String,
    },
}

/// One resident named in the claim.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimRow {
    /// 1-based line in the claim file.
    pub line: u64,
    /// `(role, value)` cells that identify the resident.
    pub cells: Vec<(Role, String)>,
    /// Fields claimed exposed for this resident.
    pub claimed: Vec<Field>,
    /// Other things claimed that this check cannot test (not tenant fields: "passwords").
    pub unchecked: Vec<String>,
}

/// A list of claimed fields: the tenant fields it names, and the other words in it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldList {
    /// Tenant fields, sorted, each once.
    pub fields: Vec<Field>,
    /// Words that are not tenant fields ("passwords", "medical records"), as written.
    pub unchecked: Vec<String>,
}

/// Parses a list of field words: "name, address and date of birth", "Name; DOB; E-mail".
/// Words that name no tenant field are kept apart, to be reported as not checked.
pub fn parse_fields(text: &str) -> FieldList {
    let mut out = Vec::new();
    let mut unchecked: Vec<String> = Vec::new();
    let lower = text.to_lowercase().replace(" and ", ",").replace('&', ",");
    for word in lower.split([',', ';', '/', '|', '+']) {
        let w: String = word.split_whitespace().collect::<Vec<_>>().join(" ");
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        if w.is_empty() {
            continue;
        }
        let f = match field_word(w) {
            Some(Words::Field(f)) => f,
            Some(Words::Contact) => {
                // The usual meaning: how to reach someone.
                for f in [Field::Address, Field::Email, Field::Phone] {
                    if !out.contains(&f) {
                        out.push(f);
                    }
                }
                continue;
            }
            None => {
                if !unchecked.iter().any(|u| u == w) {
                    unchecked.push(w.to_string());
                }
                continue;
            }
        };
        if !out.contains(&f) {
            out.push(f);
        }
    }
    out.sort();
    FieldList {
        fields: out,
        unchecked,
    }
}

/// What a word of a claimed-fields list names.
enum Words {
    /// One field.
    Field(Field),
    /// "Contact details": address, e-mail and phone.
    Contact,
}

/// The field a word or phrase names, however it is written: plurals ("phone numbers", "NI
/// numbers", "tenancy refs"), hyphens ("Date-of-Birth"), and "details", "info" or "data"
/// after it ("bank info", "bank account details").
fn field_word(w: &str) -> Option<Words> {
    let k: String = w
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    let lookup = |k: &str| -> Option<Words> {
        Some(Words::Field(match k {
            "name" | "fullname" | "residentname" | "tenantname" | "firstname" | "forename"
            | "surname" | "lastname" | "familyname" => Field::Name,
            "dob" | "dateofbirth" | "datesofbirth" | "birthdate" | "birthday" | "age" => Field::Dob,
            "address" | "addresse" | "homeaddress" | "postaladdress" | "streetaddress" => {
                Field::Address
            }
            "postcode" | "zip" | "zipcode" => Field::Postcode,
            "email" | "mail" | "emailaddress" | "emailaddresse" => Field::Email,
            "phone" | "telephone" | "tel" | "mobile" | "phonenumber" | "telephonenumber"
            | "mobilenumber" => Field::Phone,
            "ni"
            | "nin"
            | "nino"
            | "ninumber"
            | "nationalinsurance"
            | "nationalinsurancenumber" => Field::Nino,
            "bank"
            | "bankaccount"
            | "banksortcode"
            | "sortcode"
            | "accountnumber"
            | "iban"
            | "sortcodeandaccountnumber"
            | "bankaccountnumber" => Field::Bank,
            "tenancy" | "tenancyreference" | "tenancyref" | "tenancynumber" | "tenancyid" => {
                Field::TenancyRef
            }
            "contact" | "contactdetail" | "contactinformation" | "contactinfo" => {
                return Some(Words::Contact);
            }
            _ => return None,
        }))
    };
    let plural = |k: &str| lookup(k).or_else(|| k.strip_suffix('s').and_then(lookup));
    plural(&k).or_else(|| {
        [
            "details",
            "detail",
            "information",
            "info",
            "data",
            "records",
            "record",
        ]
        .iter()
        .find_map(|suffix| k.strip_suffix(suffix).filter(|b| !b.is_empty()))
        .and_then(plural)
    })
}

fn is_claimed_header(h: &str) -> bool {
    let k: String = h
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    matches!(
        k.as_str(),
        "claimed"
            | "claimedfields"
            | "fields"
            | "fieldsexposed"
            | "exposed"
            | "dataexposed"
            | "data"
            | "datafound"
            | "exposeddata"
            | "whatwasexposed"
            | "claimeddata"
            | "details"
            | "detailsexposed"
    )
}

/// Reads a claim file. `all_fields` (e.g. from `--fields`) applies to rows with no list of
/// their own; without it, a claimed-fields column is required.
pub fn read_claim(
    path: &Path,
    all_fields: Option<&FieldList>,
) -> Result<Vec<ClaimRow>, ClaimError> {
    let bytes = fs_err::read(path).map_err(|source| ClaimError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let first = body.split(|&b| b == b'\n').next().unwrap_or(b"");
    let delim = [b',', b';', b'\t', b'|']
        .into_iter()
        .max_by_key(|d| first.iter().filter(|b| *b == d).count())
        .unwrap_or(b',');
    let bad = |line: u64, message: String| ClaimError::Bad {
        path: path.to_path_buf(),
        line,
        message,
    };
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delim)
        .flexible(true)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_reader(body);
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| bad(1, e.to_string()))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let claimed_col = headers.iter().position(|h| is_claimed_header(h));
    let roles: Vec<Option<Role>> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            (Some(i) != claimed_col)
                .then(|| Role::from_header(h))
                .flatten()
                .filter(|r| r.is_identifying())
        })
        .collect();
    if !roles.iter().any(Option::is_some) {
        return Err(bad(
            1,
            format!(
                "no column names the residents (name, address, postcode, date of birth, e-mail); headers are {headers:?}"
            ),
        ));
    }
    if claimed_col.is_none() && all_fields.is_none() {
        return Err(bad(1, "no column lists the exposed fields (e.g. \"Data exposed\"); add one, or give --fields \"name, address, date of birth\"".into()));
    }
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| bad(e.position().map_or(0, |p| p.line()), e.to_string()))?;
        let line = rec.position().map_or(0, |p| p.line());
        let values: Vec<String> = rec.iter().map(str::to_string).collect();
        crate::tenants::check_row(&values, headers.len(), delim).map_err(|m| bad(line, m))?;
        if values.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        if values.len() < headers.len() && claimed_col.is_some_and(|c| c >= values.len()) {
            return Err(bad(
                line,
                format!(
                    "{} values, but the header has {} columns: the exposed fields are missing (a value split over two lines, or a separator missing?)",
                    values.len(),
                    headers.len()
                ),
            ));
        }
        let cells: Vec<(Role, String)> = rec
            .iter()
            .zip(&roles)
            .filter_map(|(v, r)| r.map(|r| (r, v.trim().to_string())))
            .filter(|(_, v)| !v.is_empty())
            .collect();
        if cells.is_empty() {
            continue;
        }
        let own = claimed_col
            .and_then(|i| rec.get(i))
            .map(str::trim)
            .filter(|s| !s.is_empty());
        let list = match (own, all_fields) {
            (Some(text), _) => parse_fields(text),
            (None, Some(all)) => all.clone(),
            (None, None) => {
                return Err(bad(
                    line,
                    "no exposed fields listed for this resident".into(),
                ));
            }
        };
        out.push(ClaimRow {
            line,
            cells,
            claimed: list.fields,
            unchecked: list.unchecked,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_lists() {
        assert_eq!(
            parse_fields("name, address and date of birth").fields,
            vec![Field::Name, Field::Dob, Field::Address]
        );
        assert_eq!(
            parse_fields("Name; DOB; E-mail").fields,
            vec![Field::Name, Field::Dob, Field::Email]
        );
        assert_eq!(
            parse_fields("Bank details & NI number").fields,
            vec![Field::Nino, Field::Bank]
        );
        // What is not a tenant field is kept apart, not an error.
        let l = parse_fields("name, address, passwords and Medical records");
        assert_eq!(l.fields, vec![Field::Name, Field::Address]);
        assert_eq!(l.unchecked, ["passwords", "medical records"]);
        // However they are written.
        assert_eq!(
            parse_fields(
                "bank info, phone numbers, email addresses, NI numbers, tenancy refs, Date-of-Birth"
            )
            .fields,
            vec![
                Field::Dob,
                Field::Email,
                Field::Phone,
                Field::Nino,
                Field::Bank,
                Field::TenancyRef
            ]
        );
        assert_eq!(
            parse_fields("bank account details; bank sort code; IBAN").fields,
            vec![Field::Bank]
        );
        // "Contact details" are the ways to reach someone.
        assert_eq!(
            parse_fields("name and contact details").fields,
            vec![Field::Name, Field::Address, Field::Email, Field::Phone]
        );
    }

    #[test]
    fn claim_files() {
        let dir = std::env::temp_dir().join(format!("bm-claim-{}", std::process::id()));
        fs_err::create_dir_all(&dir).unwrap();
        let p = dir.join("c.csv");
        fs_err::write(&p, "Resident,Address,Postcode,Data exposed\nJohn Smith,4 Church Rd,M1 1AE,\"name, address\"\nMary Jones,,LS1 4AB,\n").unwrap();
        let e = read_claim(&p, None).unwrap_err();
        assert!(e.to_string().contains("line 3"), "{e}");
        let rows = read_claim(&p, Some(&parse_fields("name"))).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].claimed, vec![Field::Name, Field::Address]);
        assert_eq!(rows[1].claimed, vec![Field::Name]);
        assert!(
            rows[0]
                .cells
                .contains(&(Role::FullName, "John Smith".into()))
        );
        // A quote never closed, a comma without quotes, a row cut short: errors with the line.
        for (text, line, want) in [
            (
                "Resident,Postcode,Data exposed\nJo Bloggs,M1 1AE,\"name, address\nAl Smith,LS1 4AB,name\n",
                2,
                "not closed",
            ),
            (
                "Resident,Address,Postcode,Data exposed\nJo Bloggs,4 Mill Lane, Hull,M1 1AE,name\n",
                2,
                "5 values",
            ),
            (
                "Resident,Postcode,Data exposed\nJo Bloggs,M1 1AE,name\nAl Smith,LS1 4AB\n",
                3,
                "2 values",
            ),
        ] {
            fs_err::write(&p, text).unwrap();
            let e = read_claim(&p, None).unwrap_err().to_string();
            assert!(
                e.contains(&format!("line {line}")) && e.contains(want),
                "{e}"
            );
        }
        fs_err::remove_dir_all(&dir).unwrap();
    }
}
