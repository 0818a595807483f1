//! Fields, match keys and the normalised person they are built from.
//!
//! A [`Person`] is the normalised content of one tenant row or one dump row. From it come:
//! - match keys ([`KeyKind`]): one strong field (e-mail, phone, NI number, bank, tenancy
//!   reference) or a combination (name + date of birth, surname + date of birth + postcode,
//!   name + postcode, address + postcode). Name alone is never a key, and low-entropy fields
//!   (date of birth, postcode, sort code) only ever appear inside a combination.
//! - field hashes ([`FieldSlot`]): one keyed hash per field value, so that once a row matches a
//!   tenant by any key, every other field of the row can be compared with the tenant's own.
//!
//! Both sides are built by the same code, so a tenant and a dump row that hold the same person
//! produce byte-identical keys.

use crate::normalize::{self, Reject};
use crate::roles::Role;
use crate::secret::{DerivedKeys, KeyHash};
use serde::{Deserialize, Serialize};

/// A field of a tenant that a leak can expose (what the results report).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// Given name and surname together.
    Name,
    /// Date of birth.
    Dob,
    /// First line of the address.
    Address,
    /// Postcode.
    Postcode,
    /// E-mail address.
    Email,
    /// Telephone number.
    Phone,
    /// National Insurance number.
    Nino,
    /// Bank sort code and account number.
    Bank,
    /// Tenancy reference.
    TenancyRef,
}

impl Field {
    /// Every field, in report order.
    pub const ALL: [Field; 9] = [
        Field::Name,
        Field::Dob,
        Field::Address,
        Field::Postcode,
        Field::Email,
        Field::Phone,
        Field::Nino,
        Field::Bank,
        Field::TenancyRef,
    ];

    /// The snake_case name used in output files.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Dob => "dob",
            Field::Address => "address",
            Field::Postcode => "postcode",
            Field::Email => "email",
            Field::Phone => "phone",
            Field::Nino => "nino",
            Field::Bank => "bank",
            Field::TenancyRef => "tenancy_ref",
        }
    }

    /// Parses [`Field::as_str`] names.
    pub fn parse(s: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.as_str() == s.trim())
    }

    /// The field a column of this role holds a value of (or part of one: a day of birth, a
    /// sort code), if any.
    pub fn of_role(role: Role) -> Option<Field> {
        Some(match role {
            Role::FullName | Role::GivenName | Role::Surname => Field::Name,
            Role::Dob | Role::DobMonthFirst | Role::DobDay | Role::DobMonth | Role::DobYear => {
                Field::Dob
            }
            Role::AddressLine1 | Role::AddressLine2 | Role::AddressFull => Field::Address,
            Role::Postcode => Field::Postcode,
            Role::Email | Role::Username => Field::Email,
            Role::Phone => Field::Phone,
            Role::Nino => Field::Nino,
            Role::SortCode | Role::AccountNumber | Role::Iban => Field::Bank,
            Role::TenancyRef => Field::TenancyRef,
            Role::TenantId
            | Role::Title
            | Role::Town
            | Role::Password
            | Role::Group
            | Role::Other => return None,
        })
    }

    fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

/// A set of [`Field`]s as a bit mask.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct FieldSet(pub u16);

impl FieldSet {
    /// Adds a field.
    pub fn insert(&mut self, f: Field) {
        self.0 |= f.bit();
    }
    /// Removes a field.
    pub fn remove(&mut self, f: Field) {
        self.0 &= !f.bit();
    }
    /// Whether the set holds a field.
    pub fn contains(self, f: Field) -> bool {
        self.0 & f.bit() != 0
    }
    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
    /// The fields, in report order.
    pub fn iter(self) -> impl Iterator<Item = Field> {
        Field::ALL.into_iter().filter(move |f| self.contains(*f))
    }
    /// Names joined by `|`, e.g. `name|dob|email`.
    pub fn join(self) -> String {
        self.iter().map(Field::as_str).collect::<Vec<_>>().join("|")
    }
}

impl FromIterator<Field> for FieldSet {
    fn from_iter<I: IntoIterator<Item = Field>>(fields: I) -> FieldSet {
        let mut set = FieldSet::default();
        for f in fields {
            set.insert(f);
        }
        set
    }
}

/// The kinds of match key. The discriminant is written into the key bytes and the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(u8)]
pub enum KeyKind {
    /// E-mail, lower-cased.
    Email = 1,
    /// E-mail with Gmail-style dot and plus folding.
    EmailFolded = 2,
    /// Phone in E.164.
    Phone = 3,
    /// National Insurance number.
    Nino = 4,
    /// Sort code + account number.
    Bank = 5,
    /// Tenancy reference.
    TenancyRef = 6,
    /// Given name + surname + date of birth.
    NameDob = 7,
    /// Surname + date of birth + postcode.
    SurnameDobPostcode = 8,
    /// Given name + surname + postcode.
    NamePostcode = 9,
    /// Address line 1 + postcode: a household, not a person.
    AddressPostcode = 10,
}

/// How much a key on its own says about identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Strength {
    /// Identifies one person.
    Strong,
    /// A person unless a namesake: other fields of the row decide.
    Namesake,
    /// A household, not a person.
    Household,
}

impl KeyKind {
    /// Every key kind.
    pub const ALL: [KeyKind; 10] = [
        KeyKind::Email,
        KeyKind::EmailFolded,
        KeyKind::Phone,
        KeyKind::Nino,
        KeyKind::Bank,
        KeyKind::TenancyRef,
        KeyKind::NameDob,
        KeyKind::SurnameDobPostcode,
        KeyKind::NamePostcode,
        KeyKind::AddressPostcode,
    ];

    /// The snake_case name used in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyKind::Email => "email",
            KeyKind::EmailFolded => "email_folded",
            KeyKind::Phone => "phone",
            KeyKind::Nino => "nino",
            KeyKind::Bank => "bank",
            KeyKind::TenancyRef => "tenancy_ref",
            KeyKind::NameDob => "name_dob",
            KeyKind::SurnameDobPostcode => "surname_dob_postcode",
            KeyKind::NamePostcode => "name_postcode",
            KeyKind::AddressPostcode => "address_postcode",
        }
    }

    /// From the byte stored in the index.
    pub fn from_u8(b: u8) -> Option<KeyKind> {
        KeyKind::ALL.into_iter().find(|k| *k as u8 == b)
    }

    /// Whether the key is one field that identifies a person on its own (e-mail, phone, NI
    /// number, bank, tenancy reference), as opposed to a combination.
    pub fn is_identifier(self) -> bool {
        matches!(
            self,
            KeyKind::Email
                | KeyKind::EmailFolded
                | KeyKind::Phone
                | KeyKind::Nino
                | KeyKind::Bank
                | KeyKind::TenancyRef
        )
    }

    /// How much this key says on its own.
    pub fn strength(self) -> Strength {
        match self {
            KeyKind::NameDob | KeyKind::NamePostcode => Strength::Namesake,
            KeyKind::AddressPostcode => Strength::Household,
            _ => Strength::Strong,
        }
    }

    /// Rank for "strongest key" (lower is stronger).
    pub fn rank(self) -> u8 {
        self as u8
    }

    fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

/// A set of [`KeyKind`]s as a bit mask.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct KeySet(pub u16);

impl KeySet {
    /// Adds a kind.
    pub fn insert(&mut self, k: KeyKind) {
        self.0 |= k.bit();
    }
    /// Whether the set holds a kind.
    pub fn contains(self, k: KeyKind) -> bool {
        self.0 & k.bit() != 0
    }
    /// The kinds, strongest first.
    pub fn iter(self) -> impl Iterator<Item = KeyKind> {
        KeyKind::ALL.into_iter().filter(move |k| self.contains(*k))
    }
    /// The strongest kind in the set.
    pub fn strongest(self) -> Option<KeyKind> {
        self.iter().next()
    }
    /// Names joined by `|`.
    pub fn join(self) -> String {
        self.iter()
            .map(KeyKind::as_str)
            .collect::<Vec<_>>()
            .join("|")
    }
    /// Whether any kind in the set identifies a person on its own.
    pub fn has_strong(self) -> bool {
        self.iter().any(|k| k.strength() == Strength::Strong)
    }
    /// Whether any kind in the set is one field that identifies a person on its own (e-mail,
    /// phone, NI number, bank, tenancy reference), as opposed to a combination.
    pub fn has_identifier(self) -> bool {
        self.iter().any(KeyKind::is_identifier)
    }
    /// Whether any kind in the set is a person key (strong or namesake-prone).
    pub fn has_person(self) -> bool {
        self.iter().any(|k| k.strength() != Strength::Household)
    }
}

/// The kind of a stored per-field hash. The discriminant is part of the hashed message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum FieldSlot {
    /// given + surname.
    Name = 1,
    /// ISO date of birth.
    Dob = 2,
    /// Normalised address line.
    Address = 3,
    /// Postcode.
    Postcode = 4,
    /// Lower-cased e-mail.
    Email = 5,
    /// Folded e-mail.
    EmailFolded = 6,
    /// E.164 phone.
    Phone = 7,
    /// NI number.
    Nino = 8,
    /// Sort code + account.
    Bank = 9,
    /// Tenancy reference.
    TenancyRef = 10,
}

impl FieldSlot {
    /// Every slot.
    pub const ALL: [FieldSlot; 10] = [
        FieldSlot::Name,
        FieldSlot::Dob,
        FieldSlot::Address,
        FieldSlot::Postcode,
        FieldSlot::Email,
        FieldSlot::EmailFolded,
        FieldSlot::Phone,
        FieldSlot::Nino,
        FieldSlot::Bank,
        FieldSlot::TenancyRef,
    ];

    /// The reported field this slot evidences.
    pub fn field(self) -> Field {
        match self {
            FieldSlot::Name => Field::Name,
            FieldSlot::Dob => Field::Dob,
            FieldSlot::Address => Field::Address,
            FieldSlot::Postcode => Field::Postcode,
            FieldSlot::Email | FieldSlot::EmailFolded => Field::Email,
            FieldSlot::Phone => Field::Phone,
            FieldSlot::Nino => Field::Nino,
            FieldSlot::Bank => Field::Bank,
            FieldSlot::TenancyRef => Field::TenancyRef,
        }
    }

    /// From the byte stored in the index.
    pub fn from_u8(b: u8) -> Option<FieldSlot> {
        FieldSlot::ALL.into_iter().find(|k| *k as u8 == b)
    }
}

/// Separator between the parts of a composite key or name (ASCII unit separator).
pub const SEP: char = '\u{1f}';

/// A small reusable list of normalised values for one field (a row may hold two phones).
#[derive(Debug, Default, Clone)]
pub struct Values {
    bufs: Vec<String>,
    len: usize,
}

impl Values {
    /// Empties the list, keeping its buffers.
    pub fn clear(&mut self) {
        self.len = 0;
    }
    /// The values.
    pub fn as_slice(&self) -> &[String] {
        &self.bufs[..self.len]
    }
    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
    /// Runs a normaliser into the next buffer and keeps its output if it succeeds and is new.
    pub fn push_with(
        &mut self,
        f: impl FnOnce(&mut String) -> Result<(), Reject>,
    ) -> Result<(), Reject> {
        if self.len == self.bufs.len() {
            self.bufs.push(String::new());
        }
        let buf = &mut self.bufs[self.len];
        buf.clear();
        f(buf)?;
        let new = &self.bufs[self.len];
        if !new.is_empty() && !self.bufs[..self.len].iter().any(|v| v == new) {
            self.len += 1;
        }
        Ok(())
    }
    /// Pushes an already normalised value.
    pub fn push_str(&mut self, s: &str) {
        let _ = self.push_with(|b| {
            b.push_str(s);
            Ok(())
        });
    }
}

/// One person's normalised fields, reused row after row in the scan.
#[derive(Debug, Default, Clone)]
pub struct Person {
    /// Name candidates as `given SEP surname`.
    pub names: Values,
    /// Surnames (from the name candidates and surname-only columns).
    pub surnames: Values,
    /// ISO dates of birth.
    pub dob: Values,
    /// Postcodes without space.
    pub postcode: Values,
    /// Lower-cased e-mails.
    pub email: Values,
    /// Folded e-mails.
    pub email_folded: Values,
    /// E.164 phones.
    pub phone: Values,
    /// NI numbers (8 characters, no suffix).
    pub nino: Values,
    /// Sort code + account number (14 digits).
    pub bank: Values,
    /// Tenancy references.
    pub tenancy: Values,
    /// Address line candidates.
    pub address: Values,
    /// The row names someone by an initial only ("MR O ADEYEMI", a given-name cell "O"): its
    /// surname keys cannot tell the tenant from a relative with another first name.
    pub initial_given: bool,
    /// A name cell names more than one person ("John & Jane Smith"): a date of birth beside it
    /// may be either's, so one that differs from a tenant's does not rule the tenant out.
    pub joint: bool,
    scratch: Scratch,
}

#[derive(Debug, Default, Clone)]
struct Scratch {
    given: Values,
    surname: Values,
    sort: Values,
    account: Values,
    dob_parts: [String; 3],
    /// Raw address lines 1 and 2 (a JSON record may hold several addresses: paired in order).
    line1: Values,
    line2: Values,
    pairs: Vec<(String, String)>,
    tmp: String,
}

/// A value that did not normalise: its role and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    /// The column role.
    pub role: Role,
    /// Why.
    pub reason: Reject,
}

impl Person {
    /// Empties every field, keeping buffers.
    pub fn clear(&mut self) {
        for v in [
            &mut self.names,
            &mut self.surnames,
            &mut self.dob,
            &mut self.postcode,
            &mut self.email,
            &mut self.email_folded,
            &mut self.phone,
            &mut self.nino,
            &mut self.bank,
            &mut self.tenancy,
            &mut self.address,
        ] {
            v.clear();
        }
        self.initial_given = false;
        self.joint = false;
        let s = &mut self.scratch;
        s.given.clear();
        s.surname.clear();
        s.sort.clear();
        s.account.clear();
        for p in &mut s.dob_parts {
            p.clear();
        }
        s.line1.clear();
        s.line2.clear();
    }

    /// Fills the person from `(role, raw value)` pairs; values that do not normalise are passed
    /// to `rejected` (empty cells are not). Call [`Person::clear`] first.
    pub fn fill<'a>(
        &mut self,
        cells: impl IntoIterator<Item = (Role, &'a str)>,
        mut rejected: impl FnMut(Rejected),
    ) {
        let mut reject = |role: Role, r: Result<(), Reject>| {
            if let Err(reason) = r
                && reason != Reject::Empty
            {
                rejected(Rejected { role, reason });
            }
        };
        for (role, raw) in cells {
            if raw.trim().is_empty() {
                continue;
            }
            match role {
                Role::FullName => {
                    let s = &mut self.scratch;
                    let r = normalize::name::full_name_people(raw, &mut s.pairs).map(|people| {
                        self.joint |= people > 1;
                    });
                    if r.is_ok() {
                        self.initial_given |= s.pairs.iter().all(|(g, _)| g.is_empty());
                        for (g, sn) in &s.pairs {
                            // An initial for a given name ("MR O ADEYEMI"): the surname only.
                            if g.is_empty() {
                                self.surnames.push_str(sn);
                                continue;
                            }
                            let _ = self.names.push_with(|b| {
                                b.push_str(g);
                                b.push(SEP);
                                b.push_str(sn);
                                Ok(())
                            });
                            self.surnames.push_str(sn);
                        }
                    }
                    reject(role, r);
                }
                Role::GivenName => {
                    let r = self
                        .scratch
                        .given
                        .push_with(|b| normalize::name::given_name(raw, b));
                    self.initial_given |= r == Err(Reject::InitialOnly);
                    if r.is_ok() {
                        // "Mary Jane" is also "maryjane", which meets "Mary-Jane".
                        let _ = self
                            .scratch
                            .given
                            .push_with(|b| normalize::name::given_name_joined(raw, b));
                    }
                    reject(role, r);
                }
                Role::Surname => {
                    let r = self
                        .scratch
                        .surname
                        .push_with(|b| normalize::name::surname(raw, b));
                    if r.is_ok() {
                        // "Okafor-Adeyemi" is also "adeyemi", as a full name reads it.
                        let _ = self
                            .scratch
                            .surname
                            .push_with(|b| normalize::name::surname_last_part(raw, b));
                    }
                    reject(role, r);
                }
                Role::Dob => reject(
                    role,
                    self.dob.push_with(|b| normalize::dob::normalize(raw, b)),
                ),
                Role::DobMonthFirst => reject(
                    Role::Dob,
                    self.dob
                        .push_with(|b| normalize::dob::normalize_month_first(raw, b)),
                ),
                Role::DobDay => set(&mut self.scratch.dob_parts[0], raw),
                Role::DobMonth => set(&mut self.scratch.dob_parts[1], raw),
                Role::DobYear => set(&mut self.scratch.dob_parts[2], raw),
                Role::Postcode => reject(
                    role,
                    self.postcode
                        .push_with(|b| normalize::postcode::normalize(raw, b)),
                ),
                Role::Email => {
                    // Normalised once, folded from the result.
                    let (tmp, email, folded) = (
                        &mut self.scratch.tmp,
                        &mut self.email,
                        &mut self.email_folded,
                    );
                    let r = each_value(raw, true, |v| {
                        normalize::email::normalize(v, tmp)?;
                        email.push_str(tmp);
                        let _ = folded.push_with(|b| normalize::email::fold(tmp, b));
                        Ok(())
                    });
                    reject(role, r);
                }
                Role::Username => {
                    if raw.contains('@')
                        && self
                            .email
                            .push_with(|b| normalize::email::normalize(raw, b))
                            .is_ok()
                    {
                        let _ = self
                            .email_folded
                            .push_with(|b| normalize::email::folded(raw, b));
                    }
                }
                Role::Phone => {
                    let phone = &mut self.phone;
                    let r = each_value(raw, false, |v| {
                        phone.push_with(|b| normalize::phone::normalize(v, b))
                    });
                    reject(role, r);
                }
                Role::Iban => reject(
                    role,
                    self.bank.push_with(|b| normalize::bank::uk_iban(raw, b)),
                ),
                Role::Nino => reject(
                    role,
                    self.nino.push_with(|b| normalize::nino::normalize(raw, b)),
                ),
                Role::SortCode => reject(
                    role,
                    self.scratch
                        .sort
                        .push_with(|b| normalize::bank::sort_code(raw, b)),
                ),
                Role::AccountNumber => reject(
                    role,
                    self.scratch
                        .account
                        .push_with(|b| normalize::bank::account_number(raw, b)),
                ),
                Role::TenancyRef => reject(
                    role,
                    self.tenancy
                        .push_with(|b| normalize::tenancy::normalize(raw, b)),
                ),
                Role::AddressLine1 => self.scratch.line1.push_str(raw.trim()),
                Role::AddressLine2 => self.scratch.line2.push_str(raw.trim()),
                Role::AddressFull => {
                    let r = self.fill_full_address(raw);
                    reject(role, r);
                }
                Role::TenantId
                | Role::Title
                | Role::Town
                | Role::Password
                | Role::Group
                | Role::Other => {}
            }
        }
        self.finish(&mut reject);
    }

    /// A whole address in one cell: the trailing postcode becomes a postcode, and each of the
    /// first one to three parts (separated by commas, semicolons or line breaks) an
    /// address-line candidate.
    fn fill_full_address(&mut self, raw: &str) -> Result<(), Reject> {
        let mut rest = raw;
        if let Some((before, pc)) = normalize::postcode::split_trailing(raw) {
            let _ = self
                .postcode
                .push_with(|b| normalize::postcode::normalize(pc, b));
            rest = before;
        }
        // Lines joined by commas, semicolons, or line breaks inside the cell.
        let mut parts: Vec<&str> = rest
            .split([',', ';', '\n', '\r'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        // "12 High Street, Flat 3, Leeds": the flat before its building.
        let tmp = &mut self.scratch.tmp;
        if parts.len() >= 2
            && normalize::address::maybe_unit(parts[1])
            && normalize::address::normalize(parts[1], tmp) == Err(normalize::address::UNIT_ONLY)
        {
            parts.swap(0, 1);
        }
        let mut any = Err(Reject::Empty);
        // The first part alone, also without a town after its street ("12 High Street Leeds").
        if let Some(first) = parts.first()
            && normalize::address::normalize(first, tmp).is_ok()
        {
            push_line(&mut self.address, tmp);
            any = Ok(());
        }
        for n in 2..=parts.len().min(3) {
            let line = parts[..n].join(", ");
            if self
                .address
                .push_with(|b| normalize::address::normalize(&line, b))
                .is_ok()
            {
                any = Ok(());
            }
        }
        any
    }

    /// Combines columns that only mean something together: given + surname, sort + account,
    /// day + month + year, line 1 + line 2.
    fn finish(&mut self, reject: &mut impl FnMut(Role, Result<(), Reject>)) {
        let s = &mut self.scratch;
        for sn in s.surname.as_slice() {
            self.surnames.push_str(sn);
            for g in s.given.as_slice() {
                s.tmp.clear();
                s.tmp.push_str(g);
                s.tmp.push(SEP);
                s.tmp.push_str(sn);
                self.names.push_str(&s.tmp);
            }
        }
        for sc in s.sort.as_slice() {
            for acc in s.account.as_slice() {
                s.tmp.clear();
                s.tmp.push_str(sc);
                s.tmp.push_str(acc);
                self.bank.push_str(&s.tmp);
            }
        }
        if s.dob_parts.iter().all(|p| !p.is_empty()) {
            s.tmp.clear();
            s.tmp.push_str(&format!(
                "{}/{}/{}",
                s.dob_parts[0], s.dob_parts[1], s.dob_parts[2]
            ));
            let tmp = std::mem::take(&mut s.tmp);
            let r = self.dob.push_with(|b| normalize::dob::normalize(&tmp, b));
            s.tmp = tmp;
            reject(Role::Dob, r);
        }
        for (i, line1) in s.line1.as_slice().iter().enumerate() {
            let line2 = s.line2.as_slice().get(i).map_or("", String::as_str);
            let r = lines_into(&mut self.address, line1, line2, &mut s.tmp);
            reject(Role::AddressLine1, r);
        }
    }

    /// Calls `f(kind, key bytes)` for every match key this person yields. `buf` is scratch.
    pub fn for_each_key(&self, buf: &mut Vec<u8>, mut f: impl FnMut(KeyKind, &[u8])) {
        let mut emit = |kind: KeyKind, parts: &[&str], buf: &mut Vec<u8>| {
            buf.clear();
            buf.push(kind as u8);
            for (i, p) in parts.iter().enumerate() {
                if i > 0 {
                    buf.push(SEP as u8);
                }
                buf.extend_from_slice(p.as_bytes());
            }
            f(kind, buf);
        };
        for (kind, vals) in [
            (KeyKind::Email, &self.email),
            (KeyKind::EmailFolded, &self.email_folded),
            (KeyKind::Phone, &self.phone),
            (KeyKind::Nino, &self.nino),
            (KeyKind::Bank, &self.bank),
            (KeyKind::TenancyRef, &self.tenancy),
        ] {
            for v in vals.as_slice() {
                emit(kind, &[v], buf);
            }
        }
        for n in self.names.as_slice() {
            for d in self.dob.as_slice() {
                emit(KeyKind::NameDob, &[n, d], buf);
            }
            for p in self.postcode.as_slice() {
                emit(KeyKind::NamePostcode, &[n, p], buf);
            }
        }
        for s in self.surnames.as_slice() {
            for d in self.dob.as_slice() {
                for p in self.postcode.as_slice() {
                    emit(KeyKind::SurnameDobPostcode, &[s, d, p], buf);
                }
            }
        }
        for a in self.address.as_slice() {
            for p in self.postcode.as_slice() {
                emit(KeyKind::AddressPostcode, &[a, p], buf);
            }
        }
    }

    /// Calls `f(slot, value)` for every field value this person holds.
    pub fn for_each_field(&self, mut f: impl FnMut(FieldSlot, &str)) {
        for (slot, vals) in [
            (FieldSlot::Name, &self.names),
            (FieldSlot::Dob, &self.dob),
            (FieldSlot::Address, &self.address),
            (FieldSlot::Postcode, &self.postcode),
            (FieldSlot::Email, &self.email),
            (FieldSlot::EmailFolded, &self.email_folded),
            (FieldSlot::Phone, &self.phone),
            (FieldSlot::Nino, &self.nino),
            (FieldSlot::Bank, &self.bank),
            (FieldSlot::TenancyRef, &self.tenancy),
        ] {
            for v in vals.as_slice() {
                f(slot, v);
            }
        }
    }

    /// Whether the person holds any value for a reported field.
    pub fn has(&self, field: Field) -> bool {
        !match field {
            Field::Name => &self.names,
            Field::Dob => &self.dob,
            Field::Address => &self.address,
            Field::Postcode => &self.postcode,
            Field::Email => &self.email,
            Field::Phone => &self.phone,
            Field::Nino => &self.nino,
            Field::Bank => &self.bank,
            Field::TenancyRef => &self.tenancy,
        }
        .is_empty()
    }

    /// Keyed hashes of every field value: `(slot, hash)`, sorted and deduplicated.
    pub fn field_hashes(&self, keys: &DerivedKeys, out: &mut Vec<(FieldSlot, KeyHash)>) {
        out.clear();
        let mut msg = Vec::with_capacity(64);
        self.for_each_field(|slot, v| {
            msg.clear();
            msg.push(slot as u8);
            msg.extend_from_slice(v.as_bytes());
            out.push((slot, keys.field_mac.hash(&msg)));
        });
        out.sort_unstable();
        out.dedup();
    }
}

/// Runs `push` on a whole cell; when that fails and the cell holds a list of values
/// ("07700 900123 / 020 7946 0000", "a@x.com; b@y.com", "07700 900123 or 0113 496 0000"),
/// runs it on each part instead. The whole cell's error stands if no part is read. With
/// `spaces`, a space separates values too when the cell holds two or more '@' (e-mails hold
/// no space; phone numbers do).
fn each_value(
    raw: &str,
    spaces: bool,
    mut push: impl FnMut(&str) -> Result<(), Reject>,
) -> Result<(), Reject> {
    let whole = push(raw);
    if whole.is_ok() || whole == Err(Reject::Empty) {
        return whole;
    }
    let list = raw
        .to_ascii_lowercase()
        .replace(" or ", ";")
        .replace(" and ", ";")
        .replace('&', ";");
    // A space separates values only in a cell that holds two or more of them: in
    // "john smith@x.com" it is part of a display name, not a list.
    let spaces = spaces && raw.bytes().filter(|&b| b == b'@').count() >= 2;
    let parts: Vec<&str> = list
        .split(|c: char| matches!(c, ';' | ',' | '/' | '|' | '\n') || (spaces && c.is_whitespace()))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() < 2 {
        return whole;
    }
    let mut any = false;
    for p in parts {
        any |= push(p).is_ok();
    }
    if any { Ok(()) } else { whole }
}

/// Address-line candidates of a row's line 1 and line 2 (which may be empty):
/// - line 2 only a flat ("12 High Street" + "Flat 3"): the two together, `flat 3 12 high
///   street`, and not the building alone (flat 5 there is another household);
/// - otherwise line 1 alone (unless it is only a flat: "Flat 3" + "12 High Street"), also
///   without a town written after its street ("3 Mill Lane Leeds"), and the two joined.
///
/// Line 1's own error is returned when no candidate comes out.
fn lines_into(
    address: &mut Values,
    line1: &str,
    line2: &str,
    tmp: &mut String,
) -> Result<(), Reject> {
    use normalize::address::{UNIT_ONLY, normalize as line};
    let unit2 = normalize::address::maybe_unit(line2) && line(line2, tmp) == Err(UNIT_ONLY);
    let alone = if unit2 {
        Err(UNIT_ONLY)
    } else {
        line(line1, tmp).map(|()| push_line(address, tmp))
    };
    if line2.is_empty() {
        return alone;
    }
    tmp.clear();
    let (first, second) = if unit2 {
        (line2, line1)
    } else {
        (line1, line2)
    };
    tmp.push_str(first);
    tmp.push_str(", ");
    tmp.push_str(second);
    let both = address.push_with(|b| line(tmp, b));
    match (alone, both) {
        (Ok(()), _) | (_, Ok(())) => Ok(()),
        (Err(e), _) if !unit2 => Err(e),
        (_, Err(e)) => Err(e),
    }
}

/// Adds a normalised address line, and the line without a town written after its street
/// ("3 mill lane leeds" gives `3 mill lane` too).
fn push_line(address: &mut Values, line: &str) {
    address.push_str(line);
    if let Some(end) = normalize::address::street_end(line) {
        address.push_str(&line[..end]);
    }
}

fn set(dst: &mut String, raw: &str) {
    dst.clear();
    dst.push_str(raw.trim());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(cells: &[(Role, &str)]) -> (Person, Vec<Rejected>) {
        let mut p = Person::default();
        let mut rej = Vec::new();
        p.fill(cells.iter().copied(), |r| rej.push(r));
        (p, rej)
    }

    fn keys(p: &Person) -> Vec<(KeyKind, Vec<u8>)> {
        let mut out = Vec::new();
        let mut buf = Vec::new();
        p.for_each_key(&mut buf, |k, b| out.push((k, b.to_vec())));
        out.sort();
        out
    }

    #[test]
    fn tenant_and_dump_layouts_give_the_same_keys() {
        let (tenant, rej) = person(&[
            (Role::Title, "Mrs"),
            (Role::GivenName, "Siân"),
            (Role::Surname, "O'Neill"),
            (Role::Dob, "12/03/1985"),
            (Role::AddressLine1, "Flat 3, 12 High St"),
            (Role::Postcode, "ls1 4ab"),
        ]);
        assert!(rej.is_empty(), "{rej:?}");
        let (row, _) = person(&[
            (Role::FullName, "O'NEILL, Sian"),
            (Role::Dob, "1985-03-12"),
            (Role::AddressFull, "Flat 3 12 High Street, Leeds, LS1 4AB"),
        ]);
        let tk = keys(&tenant);
        let rk = keys(&row);
        for kind in [
            KeyKind::NameDob,
            KeyKind::SurnameDobPostcode,
            KeyKind::NamePostcode,
            KeyKind::AddressPostcode,
        ] {
            let t: Vec<_> = tk.iter().filter(|k| k.0 == kind).collect();
            assert!(!t.is_empty(), "{kind:?}");
            assert!(t.iter().all(|k| rk.contains(k)), "{kind:?} differs");
        }
    }

    #[test]
    fn a_flat_is_read_with_its_building_whichever_line_holds_it() {
        let addr = |cells: &[(Role, &str)]| -> Vec<String> {
            let (p, rej) = person(cells);
            assert!(rej.is_empty(), "{cells:?}: {rej:?}");
            p.address.as_slice().to_vec()
        };
        let want = vec!["flat 3 12 high street".to_string()];
        assert_eq!(
            addr(&[
                (Role::AddressLine1, "Flat 3"),
                (Role::AddressLine2, "12 High St")
            ]),
            want
        );
        // The building alone is not the tenant's home: flat 5 there is another household.
        assert_eq!(
            addr(&[
                (Role::AddressLine1, "12 High Street"),
                (Role::AddressLine2, "Flat 3")
            ]),
            want
        );
        assert_eq!(
            addr(&[(Role::AddressFull, "12 High Street, Flat 3, Leeds, LS1 4AB")])[..1],
            want[..]
        );
        // A line 2 that is a district: line 1 alone, and the two joined.
        assert_eq!(
            addr(&[
                (Role::AddressLine1, "3 Mill Lane"),
                (Role::AddressLine2, "Headingley")
            ]),
            vec!["3 mill lane", "3 mill lane headingley"]
        );
        // No commas: the street without the town after it is a candidate too.
        assert!(
            addr(&[(Role::AddressFull, "12 High Street Leeds LS1 4AB")])
                .contains(&"12 high street".to_string())
        );
        assert!(
            addr(&[(Role::AddressLine1, "3 Mill Lane Leeds")]).contains(&"3 mill lane".to_string())
        );
        // Several addresses in one record (a JSON list): each is a candidate.
        let a = addr(&[
            (Role::AddressLine1, "1 Old Road"),
            (Role::AddressLine1, "12 High Street"),
        ]);
        assert!(a.contains(&"1 old road".to_string()) && a.contains(&"12 high street".to_string()));
        // A flat alone, with no building anywhere, is not an address.
        let (p, rej) = person(&[(Role::AddressLine1, "Flat 3")]);
        assert!(p.address.is_empty());
        assert_eq!(rej.len(), 1);
    }

    #[test]
    fn name_alone_is_never_a_key() {
        let (p, _) = person(&[(Role::FullName, "John Smith")]);
        assert!(keys(&p).is_empty());
        let (p, _) = person(&[(Role::Postcode, "LS1 4AB"), (Role::Dob, "1985-03-12")]);
        assert!(keys(&p).is_empty(), "dob and postcode alone are no key");
    }

    #[test]
    fn invalid_values_are_reported_not_keyed() {
        let (p, rej) = person(&[
            (Role::Email, "john.smith@"),
            (Role::Dob, "31/02/1990"),
            (Role::Phone, "07700 900123"),
        ]);
        assert_eq!(rej.len(), 2);
        assert_eq!(rej[0].role, Role::Email);
        assert_eq!(rej[1].role, Role::Dob);
        assert_eq!(keys(&p).len(), 1);
    }

    #[test]
    fn bank_needs_both_parts_and_split_dob_is_joined() {
        let (p, _) = person(&[(Role::SortCode, "12-34-56")]);
        assert!(p.bank.is_empty());
        let (p, _) = person(&[
            (Role::SortCode, "12 34 56"),
            (Role::AccountNumber, "12345678"),
            (Role::DobDay, "12"),
            (Role::DobMonth, "3"),
            (Role::DobYear, "1985"),
        ]);
        assert_eq!(p.bank.as_slice(), ["12345612345678"]);
        assert_eq!(p.dob.as_slice(), ["1985-03-12"]);
    }

    #[test]
    fn an_initial_for_a_given_name_still_gives_the_surname_keys() {
        for cell in ["MR O ADEYEMI", "ADEYEMI O", "O. Adeyemi", "Adeyemi, O"] {
            let (p, rej) = person(&[
                (Role::FullName, cell),
                (Role::Dob, "06/03/1935"),
                (Role::Postcode, "S27 4XF"),
            ]);
            assert!(rej.is_empty(), "{cell}: {rej:?}");
            assert!(p.names.is_empty(), "{cell}: {:?}", p.names);
            let k = keys(&p);
            assert!(
                k.iter()
                    .any(|(kind, _)| *kind == KeyKind::SurnameDobPostcode),
                "{cell}"
            );
            assert!(
                k.iter().all(|(kind, _)| *kind != KeyKind::NameDob),
                "{cell}"
            );
        }
    }

    #[test]
    fn lists_in_a_cell_ibans_and_multi_line_addresses() {
        let (p, rej) = person(&[
            (Role::Phone, "07700 900123 / 0113 496 0000"),
            (Role::Email, "a.b@example.org; c.d@example.net"),
            (Role::Iban, "GB29 NWBK 6016 1331 9268 19"),
            (Role::AddressFull, "22 Bridge Street\nLeeds\nLS9 8DE"),
        ]);
        assert!(rej.is_empty(), "{rej:?}");
        assert_eq!(p.phone.as_slice(), ["+447700900123", "+441134960000"]);
        assert_eq!(p.email.as_slice(), ["a.b@example.org", "c.d@example.net"]);
        assert_eq!(p.bank.as_slice(), ["60161331926819"]);
        assert_eq!(p.postcode.as_slice(), ["LS98DE"]);
        assert_eq!(p.address.as_slice()[0], "22 bridge street");
        // A display name is no list: "john smith@x.com" is not smith@x.com.
        let (p, _) = person(&[(Role::Email, "john smith@btinternet.com")]);
        assert!(p.email.is_empty(), "{:?}", p.email);
        let (p, _) = person(&[(Role::Email, "a.b@example.org c.d@example.net")]);
        assert_eq!(p.email.as_slice().len(), 2);
        // A cell that is no list keeps its own error.
        let (_, rej) = person(&[(Role::Phone, "07700 9001AB")]);
        assert_eq!(rej.len(), 1);
        // An IBAN of another country is no UK bank detail, and nothing wrong either.
        let (p, rej) = person(&[(Role::Iban, "DE89 3704 0044 0532 0130 00")]);
        assert!(p.bank.is_empty() && rej.is_empty());
    }

    #[test]
    fn field_sets_and_key_sets() {
        let mut f = FieldSet::default();
        f.insert(Field::Email);
        f.insert(Field::Name);
        assert_eq!(f.join(), "name|email");
        let mut k = KeySet::default();
        k.insert(KeyKind::NameDob);
        assert!(!k.has_strong());
        k.insert(KeyKind::Phone);
        assert_eq!(k.strongest(), Some(KeyKind::Phone));
        assert_eq!(k.join(), "phone|name_dob");
    }
}
