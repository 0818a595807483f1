//! Verdicts: which tenant each claimed resident is, and for each claimed field whether the
//! scan confirmed it (with pointers), found nothing for this person, or could not have found
//! it because no scanned file holds such a column.

use super::parse::ClaimRow;
use crate::keys::{Field, KeyKind, Person};
use crate::results::manifest::Manifest;
use crate::roles::Role;
use crate::tenants::TenantTable;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// How a claimed resident was matched to a tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Match {
    /// One tenant (tenant row index), and the key kinds that agreed.
    Tenant(usize, Vec<KeyKind>),
    /// Several tenants fit (their ids).
    Ambiguous(Vec<String>),
    /// No key agrees, but tenants share the claim's address and postcode, or its date of
    /// birth and postcode (a misspelt name, a claim naming "Mr Smith"): who it may be (ids).
    Possible(Vec<String>),
    /// Nobody in the tenants file.
    NotATenant,
    /// The claim gives too little to find anyone (a name alone): nobody can be ruled in or out.
    TooLittle,
}

/// A claimed field's verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldVerdict {
    /// In the dump for this person: `file:line` pointers.
    Confirmed(Vec<String>),
    /// Found only in matches awaiting review (probable: e.g. a name and date of birth with
    /// nothing else to confirm them): `file:line` pointers. Neither confirmed nor ruled out.
    ForReview(Vec<String>),
    /// The dump has such data, but not this person's.
    NotFound,
    /// No scanned file has a column for this field.
    CannotBeInDump,
}

impl FieldVerdict {
    /// Short words.
    pub fn as_str(&self) -> &'static str {
        match self {
            FieldVerdict::Confirmed(_) => "confirmed",
            FieldVerdict::ForReview(_) => "found in a match awaiting review",
            FieldVerdict::NotFound => "not found for this person",
            FieldVerdict::CannotBeInDump => "cannot be in the scanned data",
        }
    }
}

/// The overall verdict for one resident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    /// Every claimed field confirmed.
    Supported,
    /// Some claimed fields confirmed.
    PartlySupported,
    /// None confirmed, but some found in matches awaiting review (probable).
    ForReview,
    /// None confirmed or found for review.
    NotSupported,
    /// The claim names nothing this check can test for the resident ("contact details").
    NothingToCheck,
    /// A tenant's keys agree, but the claim's date of birth or first name is not the
    /// tenant's: a relative or a namesake, to be checked before answering.
    IdentityDiffers,
    /// Not matched by any key, but a tenant shares the address and postcode, or the date of
    /// birth and postcode: possibly ours under a misspelt name.
    PossibleTenant,
    /// Not one of our tenants.
    NotATenant,
    /// More than one tenant fits.
    Ambiguous,
    /// Too little given to identify anyone (a name alone).
    CannotIdentify,
}

impl Verdict {
    /// snake_case words.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Supported => "supported",
            Verdict::PartlySupported => "partly_supported",
            Verdict::ForReview => "for_review",
            Verdict::NotSupported => "not_supported",
            Verdict::NothingToCheck => "nothing_to_check",
            Verdict::IdentityDiffers => "identity_differs",
            Verdict::PossibleTenant => "possible_tenant",
            Verdict::NotATenant => "not_a_tenant",
            Verdict::Ambiguous => "ambiguous",
            Verdict::CannotIdentify => "cannot_identify",
        }
    }
}

/// The result for one claimed resident.
#[derive(Debug, Clone)]
pub struct ResidentVerdict {
    /// The claim line.
    pub line: u64,
    /// Who it is.
    pub matched: Match,
    /// Per claimed field.
    pub fields: Vec<(Field, FieldVerdict)>,
    /// Exposed fields the claim did not mention.
    pub unmentioned: Vec<Field>,
    /// Fields where the claim's value is not the tenant's (date of birth, name).
    pub differs: Vec<Field>,
    /// Overall.
    pub verdict: Verdict,
}

/// Fields some scanned file could hold, from the column roles in the manifest.
pub fn fields_in_scope(m: &Manifest) -> BTreeSet<Field> {
    let mut out = BTreeSet::new();
    for f in &m.files {
        let roles: BTreeSet<Role> = match (&f.layout, &f.document) {
            (Some(layout), _) => layout.columns.iter().map(|c| c.role).collect(),
            // Free text can hold any field; tables hold what their columns say.
            (None, Some(d)) if d.text_blocks > 0 => {
                out.extend(Field::ALL);
                continue;
            }
            (None, Some(d)) => d
                .tables
                .iter()
                .flat_map(|t| t.columns.iter().map(|c| c.role))
                .collect(),
            (None, None) => continue,
        };
        out.extend(fields_of_columns(&roles));
    }
    out
}

/// Fields a table with columns of these roles can hold.
pub fn fields_of_columns(roles: &BTreeSet<Role>) -> BTreeSet<Field> {
    let mut out = BTreeSet::new();
    let bank_pair = roles.contains(&Role::SortCode) && roles.contains(&Role::AccountNumber);
    for &r in roles {
        match r {
            // A part that holds no field alone: the year stands for a split date of birth,
            // line 1 for an address.
            Role::DobDay | Role::DobMonth | Role::AddressLine2 => continue,
            // A sort code or an account number is bank details only with the other.
            Role::SortCode | Role::AccountNumber if !bank_pair => continue,
            // A whole address usually ends with its postcode.
            Role::AddressFull => {
                out.insert(Field::Postcode);
            }
            _ => {}
        }
        out.extend(Field::of_role(r));
    }
    out
}

/// Confirmed evidence per tenant: tenant id -> field -> pointers, from hits.
pub type Evidence = HashMap<String, BTreeMap<Field, Vec<String>>>;

fn keys_of(p: &Person) -> Vec<(KeyKind, Vec<u8>)> {
    let mut out = Vec::new();
    let mut buf = Vec::new();
    p.for_each_key(&mut buf, |k, b| out.push((k, b.to_vec())));
    out
}

/// Matches claim rows to tenants and judges every claimed field.
///
/// `evidence` holds the confirmed hits; `review` the probable ones (a claimed field found only
/// there is [`FieldVerdict::ForReview`]).
pub fn verify(
    rows: &[ClaimRow],
    tenants: &TenantTable,
    evidence: &Evidence,
    review: &Evidence,
    scope: &BTreeSet<Field>,
) -> Vec<ResidentVerdict> {
    // Plain keys of every tenant (this runs at the landlord, on its own data).
    let mut by_key: HashMap<Vec<u8>, Vec<usize>> = HashMap::new();
    // Date of birth + postcode, for claims whose name is misspelt.
    let mut by_dob_pc: HashMap<(String, String), Vec<usize>> = HashMap::new();
    let mut people: Vec<Identity> = Vec::with_capacity(tenants.rows.len());
    let mut p = Person::default();
    for (i, t) in tenants.rows.iter().enumerate() {
        p.clear();
        p.fill(t.cells.iter().map(|(_, r, v)| (*r, v.as_str())), |_| {});
        for (_, k) in keys_of(&p) {
            by_key.entry(k).or_default().push(i);
        }
        for d in p.dob.as_slice() {
            for pc in p.postcode.as_slice() {
                by_dob_pc
                    .entry((d.clone(), pc.clone()))
                    .or_default()
                    .push(i);
            }
        }
        people.push(Identity::of(&p));
    }
    rows.iter()
        .map(|row| {
            p.clear();
            p.fill(row.cells.iter().map(|(r, v)| (*r, v.as_str())), |_| {});
            let mut person: BTreeMap<usize, BTreeSet<KeyKind>> = BTreeMap::new();
            let mut household: BTreeSet<usize> = BTreeSet::new();
            let keys = keys_of(&p);
            let too_little = keys.is_empty();
            for (kind, k) in keys {
                for &t in by_key.get(&k).map(Vec::as_slice).unwrap_or(&[]) {
                    if kind == KeyKind::AddressPostcode {
                        household.insert(t);
                    } else {
                        person.entry(t).or_default().insert(kind);
                    }
                }
            }
            let mut possible: BTreeSet<usize> = BTreeSet::new();
            if person.is_empty() {
                // Address + postcode with the same surname (claims often give "Mr Smith").
                let sn = p.surnames.as_slice();
                for &t in &household {
                    if people[t].surnames.iter().any(|s| sn.contains(s)) {
                        person
                            .entry(t)
                            .or_default()
                            .insert(KeyKind::AddressPostcode);
                    }
                }
                // Otherwise someone at that address, or born that day in that postcode, may
                // be the resident under a misspelt name: for review, never a match.
                if person.is_empty() {
                    possible.extend(household);
                    for d in p.dob.as_slice() {
                        for pc in p.postcode.as_slice() {
                            if let Some(ts) = by_dob_pc.get(&(d.clone(), pc.clone())) {
                                possible.extend(ts);
                            }
                        }
                    }
                }
            }
            let matched = match person.len() {
                0 if !possible.is_empty() => Match::Possible(
                    possible
                        .iter()
                        .map(|t| tenants.rows[*t].id.clone())
                        .collect(),
                ),
                0 if too_little => Match::TooLittle,
                0 => Match::NotATenant,
                1 => {
                    let (t, kinds) = person.into_iter().next().expect("one");
                    Match::Tenant(t, kinds.into_iter().collect())
                }
                _ => Match::Ambiguous(person.keys().map(|t| tenants.rows[*t].id.clone()).collect()),
            };
            let mut differs = Vec::new();
            let (fields, unmentioned, verdict) = match &matched {
                Match::Tenant(t, _) => {
                    differs = differences(&p, &people[*t]);
                    let ev = evidence.get(&tenants.rows[*t].id);
                    let rev = review.get(&tenants.rows[*t].id);
                    let fields: Vec<(Field, FieldVerdict)> = row
                        .claimed
                        .iter()
                        .map(|f| {
                            let v = match (ev.and_then(|e| e.get(f)), rev.and_then(|e| e.get(f))) {
                                (Some(ptrs), _) => FieldVerdict::Confirmed(ptrs.clone()),
                                (None, Some(ptrs)) => FieldVerdict::ForReview(ptrs.clone()),
                                (None, None) if !scope.contains(f) => FieldVerdict::CannotBeInDump,
                                (None, None) => FieldVerdict::NotFound,
                            };
                            (*f, v)
                        })
                        .collect();
                    // About someone else until checked: what the dump holds for the tenant is
                    // evidence to review, not a confirmation of the claim.
                    let fields: Vec<(Field, FieldVerdict)> = if differs.is_empty() {
                        fields
                    } else {
                        fields
                            .into_iter()
                            .map(|(f, v)| match v {
                                FieldVerdict::Confirmed(p) => (f, FieldVerdict::ForReview(p)),
                                v => (f, v),
                            })
                            .collect()
                    };
                    let unmentioned = ev
                        .map(|e| {
                            e.keys()
                                .filter(|f| !row.claimed.contains(f))
                                .copied()
                                .collect()
                        })
                        .unwrap_or_default();
                    let confirmed = fields
                        .iter()
                        .filter(|(_, v)| matches!(v, FieldVerdict::Confirmed(_)))
                        .count();
                    let for_review = fields
                        .iter()
                        .filter(|(_, v)| matches!(v, FieldVerdict::ForReview(_)))
                        .count();
                    let verdict = if !differs.is_empty() {
                        Verdict::IdentityDiffers
                    } else if fields.is_empty() {
                        Verdict::NothingToCheck
                    } else if confirmed == fields.len() {
                        Verdict::Supported
                    } else if confirmed > 0 {
                        Verdict::PartlySupported
                    } else if for_review > 0 {
                        Verdict::ForReview
                    } else {
                        Verdict::NotSupported
                    };
                    (fields, unmentioned, verdict)
                }
                Match::Ambiguous(_) => (Vec::new(), Vec::new(), Verdict::Ambiguous),
                Match::Possible(_) => (Vec::new(), Vec::new(), Verdict::PossibleTenant),
                Match::NotATenant => (Vec::new(), Vec::new(), Verdict::NotATenant),
                Match::TooLittle => (Vec::new(), Vec::new(), Verdict::CannotIdentify),
            };
            ResidentVerdict {
                line: row.line,
                matched,
                fields,
                unmentioned,
                differs,
                verdict,
            }
        })
        .collect()
}

/// What the claim check keeps of each tenant besides the keys: the normalised names, surnames
/// and dates of birth (not the whole reusable [`Person`], whose buffers hold earlier rows).
#[derive(Debug, Clone, Default)]
pub struct Identity {
    /// Name candidates (`given SEP surname`).
    pub names: Vec<String>,
    /// Surnames.
    pub surnames: Vec<String>,
    /// ISO dates of birth.
    pub dob: Vec<String>,
}

impl Identity {
    /// The identity part of a normalised person.
    pub fn of(p: &Person) -> Identity {
        Identity {
            names: p.names.as_slice().to_vec(),
            surnames: p.surnames.as_slice().to_vec(),
            dob: p.dob.as_slice().to_vec(),
        }
    }
}

/// Fields where a claimed resident's value is not the tenant's, although a key agreed: a date
/// of birth both give that differs, or a first name (not a bare initial) that differs beside
/// the same surname. Either makes the resident another person until checked.
pub fn differences(claim: &Person, tenant: &Identity) -> Vec<Field> {
    let disjoint = |a: &[String], b: &[String]| {
        !a.is_empty() && !b.is_empty() && !a.iter().any(|x| b.contains(x))
    };
    let mut out = Vec::new();
    if !claim.initial_given && disjoint(claim.names.as_slice(), &tenant.names) {
        out.push(Field::Name);
    }
    if disjoint(claim.dob.as_slice(), &tenant.dob) {
        out.push(Field::Dob);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(roles: &[Role]) -> Vec<Field> {
        fields_of_columns(&roles.iter().copied().collect())
            .into_iter()
            .collect()
    }

    #[test]
    fn an_iban_column_holds_bank_details() {
        assert_eq!(
            fields(&[Role::Email, Role::Iban]),
            [Field::Email, Field::Bank]
        );
    }

    #[test]
    fn a_sort_code_or_account_number_alone_is_not_bank_details() {
        assert_eq!(fields(&[Role::SortCode]), []);
        assert_eq!(fields(&[Role::AccountNumber, Role::Phone]), [Field::Phone]);
        assert_eq!(
            fields(&[Role::SortCode, Role::AccountNumber]),
            [Field::Bank]
        );
    }

    #[test]
    fn parts_and_whole_addresses_and_dates() {
        assert_eq!(
            fields(&[Role::AddressFull]),
            [Field::Address, Field::Postcode]
        );
        assert_eq!(fields(&[Role::AddressLine2, Role::DobDay]), []);
        assert_eq!(
            fields(&[
                Role::DobDay,
                Role::DobMonth,
                Role::DobYear,
                Role::DobMonthFirst
            ]),
            [Field::Dob]
        );
        assert_eq!(
            fields(&[
                Role::Username,
                Role::Password,
                Role::TenancyRef,
                Role::Other
            ]),
            [Field::Email, Field::TenancyRef]
        );
    }
}
