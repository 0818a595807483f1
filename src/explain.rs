//! Why a dump row did or did not match a tenant, in plain English.
//!
//! This runs at the landlord, with the tenants file: it normalises the tenant and the row with
//! the same code the index and the scan use, lists every key of each side (met or not), every
//! field (exposed, differs, absent) and the decision the scan would take.

use crate::index::TenantEntry;
use crate::keys::{Field, KeyKind, KeySet, Person};
use crate::roles::Role;
use crate::scan::Confidence;
use crate::scan::matcher::{decide, exposed_fields};
use crate::secret::Secret;

/// How one field compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldStatus {
    /// The row holds the tenant's value.
    Exposed,
    /// Both hold a value, and they differ.
    Differs,
    /// The row has no value for it.
    AbsentInRow,
    /// The tenant has no (valid) value for it.
    AbsentInTenant,
    /// The row holds a value for it that could not be read (see the row's values for why).
    RejectedInRow,
    /// The row holds the tenant's value, but no key met: not an exposure.
    SameWithoutMatch,
}

impl FieldStatus {
    /// Words for the report.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldStatus::Exposed => "exposed",
            FieldStatus::Differs => "differs",
            FieldStatus::AbsentInRow => "absent in row",
            FieldStatus::AbsentInTenant => "tenant has none",
            FieldStatus::RejectedInRow => "unreadable in row",
            FieldStatus::SameWithoutMatch => "same value, but no key met",
        }
    }
}

/// The full explanation.
#[derive(Debug, Clone)]
pub struct Explanation {
    /// `(field, tenant values, row values, status)`.
    pub fields: Vec<(Field, Vec<String>, Vec<String>, FieldStatus)>,
    /// `(key kind, met)` for every kind either side can form.
    pub keys: Vec<(KeyKind, bool)>,
    /// The scan's decision, or None when no key met.
    pub decision: Option<Confidence>,
    /// The decision in plain English.
    pub sentence: String,
}

fn values(p: &Person, field: Field) -> Vec<String> {
    let v = match field {
        Field::Name => &p.names,
        Field::Dob => &p.dob,
        Field::Address => &p.address,
        Field::Postcode => &p.postcode,
        Field::Email => &p.email,
        Field::Phone => &p.phone,
        Field::Nino => &p.nino,
        Field::Bank => &p.bank,
        Field::TenancyRef => &p.tenancy,
    };
    v.as_slice()
        .iter()
        .map(|s| s.replace('\u{1f}', " "))
        .collect()
}

/// The reported field a column role feeds, if any.
/// How a row value that could not be read is shown, before the reason.
const NOT_READ: &str = "(not read: ";

/// Explains one tenant against one row, both as `(role, raw value)` cells.
pub fn explain<'a>(
    tenant: impl IntoIterator<Item = (Role, &'a str)>,
    row: impl IntoIterator<Item = (Role, &'a str)>,
) -> Explanation {
    let mut t = Person::default();
    t.fill(tenant, |_| {});
    let mut r = Person::default();
    let mut rejected: Vec<(Field, String)> = Vec::new();
    r.fill(row, |x| {
        if let Some(f) = Field::of_role(x.role) {
            rejected.push((f, format!("{NOT_READ}{})", x.reason)));
        }
    });
    // A throwaway key: both sides are hashed the way the index and the scan hash them.
    let keys = Secret::random().derive();
    let mut tf = Vec::new();
    t.field_hashes(&keys, &mut tf);
    let entry = TenantEntry {
        id: String::new(),
        fields: tf,
    };
    let mut rf = Vec::new();
    r.field_hashes(&keys, &mut rf);
    let exposed = exposed_fields(&entry, &rf);

    let mut buf = Vec::new();
    let mut tkeys: Vec<(KeyKind, Vec<u8>)> = Vec::new();
    t.for_each_key(&mut buf, |k, b| tkeys.push((k, b.to_vec())));
    let mut rkeys: Vec<(KeyKind, Vec<u8>)> = Vec::new();
    r.for_each_key(&mut buf, |k, b| rkeys.push((k, b.to_vec())));
    let mut met = KeySet::default();
    let mut keys_out = Vec::new();
    for kind in KeyKind::ALL {
        let tk: Vec<_> = tkeys.iter().filter(|(k, _)| *k == kind).collect();
        let rk: Vec<_> = rkeys.iter().filter(|(k, _)| *k == kind).collect();
        if tk.is_empty() && rk.is_empty() {
            continue;
        }
        let m = tk.iter().any(|a| rk.iter().any(|b| a.1 == b.1));
        if m {
            met.insert(kind);
        }
        keys_out.push((kind, m));
    }
    let fields: Vec<(Field, Vec<String>, Vec<String>, FieldStatus)> = Field::ALL
        .into_iter()
        .map(|f| {
            let tv = values(&t, f);
            let mut rv = values(&r, f);
            let unread: Vec<String> = rejected
                .iter()
                .filter(|(x, _)| *x == f)
                .map(|(_, why)| why.clone())
                .collect();
            let status = if exposed.contains(f) {
                if met.0 == 0 {
                    FieldStatus::SameWithoutMatch
                } else {
                    FieldStatus::Exposed
                }
            } else if tv.is_empty() {
                FieldStatus::AbsentInTenant
            } else if rv.is_empty() && !unread.is_empty() {
                FieldStatus::RejectedInRow
            } else if rv.is_empty() {
                FieldStatus::AbsentInRow
            } else {
                FieldStatus::Differs
            };
            rv.extend(unread);
            (f, tv, rv, status)
        })
        .collect();
    let decision = (met.0 != 0).then(|| decide(met, exposed, &entry, &r));
    let exposed_list = exposed.join().replace('|', ", ");
    let differing: Vec<&str> = fields
        .iter()
        .filter(|(_, _, _, s)| *s == FieldStatus::Differs)
        .map(|(f, _, _, _)| f.as_str())
        .collect();
    let differing = if differing.is_empty() {
        "none".to_string()
    } else {
        differing.join(", ")
    };
    let sentence = match decision {
        None => "No match: no key of the row equals a key of the tenant (name alone, or date of birth or postcode alone, never matches).".to_string(),
        Some(Confidence::Confirmed) => format!(
            "Confirmed: the row is this tenant (keys met: {}); the tenant's fields in the row: {exposed_list}.",
            met.join().replace('|', ", ")
        ),
        Some(Confidence::Probable) => format!(
            "Probable, for review: {} met, but the row neither confirms nor rules out the tenant (fields that differ: {differing}); not notified automatically.",
            met.join().replace('|', ", ")
        ),
        Some(Confidence::Namesake) => format!(
            "Namesake, not an exposure: {} met, but the row's {differing} {} from the tenant's, so it is probably another person with the same name.",
            met.join().replace('|', ", "),
            if differing.contains(',') { "differ" } else { "differs" }
        ),
        Some(Confidence::Household) => "Household only: address and postcode met, but nothing identifies the person; listed for review.".to_string(),
    };
    Explanation {
        fields,
        keys: keys_out,
        decision,
        sentence,
    }
}

/// Masks a value for sharing: keeps the first character of each word and digits' count. The
/// reason a value was not read ("(not read: ...)", which holds no value) is kept.
pub fn redact(v: &str) -> String {
    if v.starts_with(NOT_READ) && v.ends_with(')') {
        return v.to_string();
    }
    v.split(' ')
        .map(|w| {
            let mut cs = w.chars();
            match cs.next() {
                Some(c) => std::iter::once(c)
                    .chain(cs.map(|_| '*'))
                    .collect::<String>(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const TENANT: [(Role, &str); 6] = [
        (Role::GivenName, "John"),
        (Role::Surname, "Smith"),
        (Role::Dob, "12/03/1985"),
        (Role::Postcode, "LS1 4AB"),
        (Role::Email, "john.smith@example.com"),
        (Role::Phone, "07700 900123"),
    ];

    #[test]
    fn exposed_tenant_is_confirmed() {
        let e = explain(
            TENANT,
            [
                (Role::FullName, "SMITH, John"),
                (Role::Email, "JOHN.SMITH@example.com"),
            ],
        );
        assert_eq!(e.decision, Some(Confidence::Confirmed));
        assert!(e.sentence.contains("name, email"), "{}", e.sentence);
        let name = e.fields.iter().find(|f| f.0 == Field::Name).unwrap();
        assert_eq!(name.3, FieldStatus::Exposed);
    }

    #[test]
    fn near_miss_other_dob_does_not_match() {
        let e = explain(
            TENANT,
            [(Role::FullName, "John Smith"), (Role::Dob, "13/03/1985")],
        );
        assert_eq!(e.decision, None);
        assert!(e.sentence.starts_with("No match"));
        let dob = e.fields.iter().find(|f| f.0 == Field::Dob).unwrap();
        assert_eq!(dob.3, FieldStatus::Differs);
        assert!(e.keys.iter().any(|(k, m)| *k == KeyKind::NameDob && !m));
    }

    #[test]
    fn namesake_is_called_so() {
        let e = explain(
            TENANT,
            [
                (Role::FullName, "John Smith"),
                (Role::Dob, "1985-03-12"),
                (Role::Email, "jsmith99@other.org"),
            ],
        );
        assert_eq!(e.decision, Some(Confidence::Namesake));
    }

    /// Rows from a review with real-world cases: each decided as a DPO would.
    #[test]
    fn people_who_share_a_name_or_a_home_are_not_confirmed_as_the_tenant() {
        const HOME: [(Role, &str); 7] = [
            (Role::GivenName, "Robert"),
            (Role::Surname, "Johnson"),
            (Role::Dob, "03/08/1981"),
            (Role::AddressLine1, "51 Lark Street"),
            (Role::Postcode, "SE1 5SD"),
            (Role::Email, "rob.johnson@example.com"),
            (Role::Phone, "07700 900555"),
        ];
        // His son: same name and home, another date of birth.
        let son = explain(
            HOME,
            [
                (Role::FullName, "Robert Johnson"),
                (Role::Dob, "03/08/2001"),
                (Role::AddressFull, "51 Lark Street, SE1 5SD"),
                (Role::Email, "rob.johnson.jr@gmail.com"),
            ],
        );
        assert_eq!(son.decision, Some(Confidence::Namesake), "{}", son.sentence);
        assert!(son.sentence.contains("dob, email"), "{}", son.sentence);
        // A twin: same surname, date of birth and postcode, another first name.
        let twin = explain(
            HOME,
            [
                (Role::FullName, "Siobhan Johnson"),
                (Role::Dob, "1981-08-03"),
                (Role::Postcode, "SE15SD"),
            ],
        );
        assert_eq!(
            twin.decision,
            Some(Confidence::Probable),
            "{}",
            twin.sentence
        );
        // Same name at the same address, no date of birth, another e-mail: for review.
        let other_email = explain(
            HOME,
            [
                (Role::FullName, "Robert Johnson"),
                (Role::AddressFull, "51 Lark Street, SE1 5SD"),
                (Role::Email, "bob@elsewhere.org"),
            ],
        );
        assert_eq!(other_email.decision, Some(Confidence::Probable));
        // The tenant himself, with an e-mail he no longer uses: confirmed (name, date of
        // birth and address agree).
        let moved_on = explain(
            HOME,
            [
                (Role::FullName, "Robert Johnson"),
                (Role::Dob, "1981-08-03"),
                (Role::AddressFull, "51 Lark Street, SE1 5SD"),
                (Role::Email, "bob@elsewhere.org"),
            ],
        );
        assert_eq!(moved_on.decision, Some(Confidence::Confirmed));
        // Same name at the same address and nothing else: confirmed, as before.
        let plain = explain(
            HOME,
            [
                (Role::FullName, "Robert Johnson"),
                (Role::AddressFull, "51 Lark Street, SE1 5SD"),
            ],
        );
        assert_eq!(plain.decision, Some(Confidence::Confirmed));
    }

    #[test]
    fn an_initial_cannot_confirm_a_surname_match() {
        let tenant = [
            (Role::GivenName, "Olu"),
            (Role::Surname, "Adeyemi"),
            (Role::Dob, "06/03/1935"),
            (Role::Postcode, "S27 4XF"),
        ];
        for cells in [
            [
                (Role::FullName, "MR P ADEYEMI"),
                (Role::Dob, "06/03/1935"),
                (Role::Postcode, "S27 4XF"),
            ],
            [
                (Role::GivenName, "P"),
                (Role::Surname, "Adeyemi"),
                (Role::Dob, "1935-03-06"),
            ],
        ] {
            let e = explain(
                tenant,
                cells.into_iter().chain([(Role::Postcode, "S274XF")]),
            );
            assert_eq!(
                e.decision,
                Some(Confidence::Probable),
                "{cells:?}: {}",
                e.sentence
            );
        }
        // The full name confirms, as before.
        let e = explain(
            tenant,
            [
                (Role::FullName, "Olu Adeyemi"),
                (Role::Dob, "06/03/1935"),
                (Role::Postcode, "S27 4XF"),
            ],
        );
        assert_eq!(e.decision, Some(Confidence::Confirmed));
    }

    #[test]
    fn a_value_that_matches_without_any_key_is_not_called_exposed() {
        let e = explain(
            TENANT,
            [(Role::Dob, "12/03/1985"), (Role::Postcode, "LS1 4AB")],
        );
        assert_eq!(e.decision, None);
        let dob = e.fields.iter().find(|f| f.0 == Field::Dob).unwrap();
        assert_eq!(dob.3, FieldStatus::SameWithoutMatch);
        // A phone the row holds but that cannot be read is said so, with why.
        let e = explain(TENANT, [(Role::Phone, "07700 9001AB")]);
        let phone = e.fields.iter().find(|f| f.0 == Field::Phone).unwrap();
        assert_eq!(phone.3, FieldStatus::RejectedInRow);
        assert!(phone.2[0].contains("not read"), "{:?}", phone.2);
    }

    #[test]
    fn redaction_masks() {
        assert_eq!(redact("john smith"), "j*** s****");
        let why = format!("{NOT_READ}too short for a phone number)");
        assert_eq!(redact(&why), why);
        assert_eq!(redact("+447700900123"), "+************");
    }
}
