//! Column roles: what a column of a tenants file or a dump holds.
//!
//! Roles come from header names first ([`Role::from_header`], a table of synonyms seen in real
//! exports), then, for columns whose header says nothing (or files with no header), from the
//! content of the first rows ([`ContentProfile`]). The dump readers and the tenants reader share
//! this table so both sides of a match read "E-mail", "email_address" and "Mail" the same way.

use crate::normalize::{self, FieldKind};
use serde::{Deserialize, Serialize};

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The landlord's tenant identifier (tenants file only).
    TenantId,
    /// A whole name in one cell ("Mr John A. Smith", "SMITH, John").
    FullName,
    /// Given name / forename.
    GivenName,
    /// Surname / family name.
    Surname,
    /// Title (Mr, Mrs...): read and ignored.
    Title,
    /// Date of birth.
    Dob,
    /// Day of birth, when the date is split over three columns.
    DobDay,
    /// Month of birth, when split.
    DobMonth,
    /// Year of birth, when split.
    DobYear,
    /// UK postcode.
    Postcode,
    /// E-mail address.
    Email,
    /// Telephone number.
    Phone,
    /// National Insurance number.
    Nino,
    /// Bank sort code.
    SortCode,
    /// Bank account number.
    AccountNumber,
    /// Tenancy reference.
    TenancyRef,
    /// First line of an address.
    AddressLine1,
    /// Second line of an address (district, or the street when line 1 is a flat).
    AddressLine2,
    /// A whole address in one cell, possibly ending with the postcode.
    AddressFull,
    /// Town or city: read and ignored for matching.
    Town,
    /// A login name (an e-mail when it contains '@').
    Username,
    /// A password (never stored or reported).
    Password,
    /// The group a person belongs to in the people file (`tenant`, `staff`): kept apart in
    /// reports, never matched on.
    Group,
    /// An IBAN: a UK one holds the sort code and account number.
    Iban,
    /// A date of birth written month-first (US): found from the values of a date-of-birth
    /// column, or named with `--roles`.
    DobMonthFirst,
    /// Anything else.
    Other,
}

impl Role {
    /// All roles, for help texts and parsing.
    pub const ALL: [Role; 26] = [
        Role::TenantId,
        Role::FullName,
        Role::GivenName,
        Role::Surname,
        Role::Title,
        Role::Dob,
        Role::DobDay,
        Role::DobMonth,
        Role::DobYear,
        Role::Postcode,
        Role::Email,
        Role::Phone,
        Role::Nino,
        Role::SortCode,
        Role::AccountNumber,
        Role::TenancyRef,
        Role::AddressLine1,
        Role::AddressLine2,
        Role::AddressFull,
        Role::Town,
        Role::Username,
        Role::Password,
        Role::Group,
        Role::Iban,
        Role::DobMonthFirst,
        Role::Other,
    ];

    /// The snake_case name used in manifests and `--roles` overrides.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::TenantId => "tenant_id",
            Role::FullName => "full_name",
            Role::GivenName => "given_name",
            Role::Surname => "surname",
            Role::Title => "title",
            Role::Dob => "dob",
            Role::DobDay => "dob_day",
            Role::DobMonth => "dob_month",
            Role::DobYear => "dob_year",
            Role::Postcode => "postcode",
            Role::Email => "email",
            Role::Phone => "phone",
            Role::Nino => "nino",
            Role::SortCode => "sort_code",
            Role::AccountNumber => "account_number",
            Role::TenancyRef => "tenancy_ref",
            Role::AddressLine1 => "address_line1",
            Role::AddressLine2 => "address_line2",
            Role::AddressFull => "address",
            Role::Town => "town",
            Role::Username => "username",
            Role::Password => "password",
            Role::Group => "group",
            Role::Iban => "iban",
            Role::DobMonthFirst => "dob_month_first",
            Role::Other => "other",
        }
    }

    /// Parses a role name as written by [`Role::as_str`] (also accepts header synonyms).
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL
            .iter()
            .copied()
            .find(|r| r.as_str().eq_ignore_ascii_case(s.trim()))
            .or_else(|| Role::from_header(s))
    }

    /// Whether this role feeds matching (as opposed to being ignored or only counted).
    pub fn is_identifying(self) -> bool {
        !matches!(
            self,
            Role::TenantId | Role::Title | Role::Town | Role::Password | Role::Group | Role::Other
        )
    }

    /// The role a header name means, if it is one of the known synonyms. Case, spaces and
    /// punctuation are ignored; for JSON paths ("user.contact.email") the last part counts.
    /// Words that only say the value is the tenant's ("Lead Tenant Name", "Customer DOB",
    /// "Tenant 1 DOB", "DOB1") or give a date format ("dob_ddmmyyyy") are looked past, unless
    /// the header is about another person of the row ("Tenant 2 Name", "Second Tenant DOB")
    /// or what is left says too little alone ("Customer Account"). A date of birth whose
    /// header gives a month-first format ("DOB (MM/DD/YYYY)", "dob_mmddyyyy") is
    /// [`Role::DobMonthFirst`].
    pub fn from_header(header: &str) -> Option<Role> {
        if about_someone_else(header) {
            return Some(Role::Other);
        }
        // A JSON path ("user.contact.email") is named by its last part; a header with dots
        // in it ("D.O.B.", "Tel.") by the whole.
        let last = header
            .rsplit(['.', '/'])
            .find(|p| p.trim().chars().filter(|c| c.is_alphanumeric()).count() >= 2);
        // Phrases ("Date of birth of lead tenant") only for a whole header: the part after a
        // '.' may be the end of a sentence ("... 9LN. Date of birth checked").
        let role = last
            .and_then(|p| Role::from_key(p, p.len() == header.len()))
            .or_else(|| Role::from_key(header, true));
        match role {
            Some(Role::Dob) if names_month_first(header) => Some(Role::DobMonthFirst),
            r => r,
        }
    }

    fn from_key(header: &str, phrases: bool) -> Option<Role> {
        let key = compact_key(header);
        if let Some(role) = Role::from_exact_key(&key) {
            return Some(role);
        }
        // "DOB (dd/mm/yyyy)", "First name(s)": without the note in brackets.
        let bare_header = match header.find(['(', '[']) {
            Some(i) if i > 0 => Some(&header[..i]),
            _ => None,
        };
        if phrases {
            let found = match bare_header {
                None => Role::from_words(header, &key),
                Some(b) => {
                    let bare = compact_key(b);
                    Role::from_exact_key(&bare).or_else(|| Role::from_words(b, &bare))
                }
            };
            if found.is_some() {
                return found;
            }
        }
        // "Lead Tenant Name (as on the tenancy)": the words before the note, unless the whole
        // header is about another person of the row ("Name (tenant 2)").
        Role::from_qualified(header).or_else(|| {
            bare_header
                .filter(|_| phrases && word_kinds(&header_words(header)).is_some())
                .and_then(Role::from_qualified)
        })
    }

    /// A header that is a known synonym once the words saying whose value it is are left out:
    /// "Lead Tenant Name", "Tenant 1 DOB", "Customer DOB", "Name of account holder",
    /// "Tenant's Mobile", "DOB1", "Name 2", "dob_ddmmyyyy", "Property Postcode". Left out are
    /// the words of [`LEAD_WORDS`] and [`PERSON_WORDS`] (the tenant, whatever the file calls
    /// them), [`PLACE_WORDS`] (before an address or postcode only: "Property Name" is no
    /// person's), a number that is not an address line's ("Tenant 1", "1st", "Phone 2"; not the
    /// 4 of "Address Line 4") and a date format ("(dd/mm/yyyy)"), and only from the start and
    /// the end of the header, so "First Tenant Name" is no first name. Not read this way: a
    /// header about another person of the row ("Tenant 2 Name", "Second Tenant DOB", "Other
    /// Occupant Name", see [`word_kinds`]), and what is too vague once alone ("Customer
    /// Account", "Member Login", see [`TOO_VAGUE_ALONE`]) or an identifier ("Client ID":
    /// tenant ids are named by the synonym table only).
    fn from_qualified(header: &str) -> Option<Role> {
        // A header is a few words, not a line of notes.
        if header.contains([':', '!', '?', '@']) {
            return None;
        }
        let words = header_words(header);
        if !(2..=8).contains(&words.len()) {
            return None;
        }
        let kinds = word_kinds(&words)?;
        let n = words.len();
        let left_out = |k: WordKind| {
            matches!(
                k,
                WordKind::Whose | WordKind::Place | WordKind::Number | WordKind::Format
            )
        };
        let max_start = kinds.iter().take_while(|&&k| left_out(k)).count();
        // Most words left out first: "Tenant Contact Number" is a "number" (nothing) before
        // it is a "contact number".
        for start in (0..=max_start).rev() {
            let mut min_end = n;
            loop {
                while min_end > start && left_out(kinds[min_end - 1]) {
                    min_end -= 1;
                }
                // "Name of (the) tenant": the linking word goes with the words it linked.
                if min_end < n
                    && min_end > start
                    && matches!(words[min_end - 1].as_str(), "of" | "for" | "the")
                {
                    min_end -= 1;
                    continue;
                }
                break;
            }
            for end in min_end.max(start + 1)..=n {
                if start == 0 && end == n {
                    continue;
                }
                let key = words[start..end].concat();
                let place = kinds[..start]
                    .iter()
                    .chain(&kinds[end..])
                    .any(|&k| k == WordKind::Place);
                if let Some(role) = Role::from_qualified_key(&key, place) {
                    return Some(role);
                }
            }
        }
        None
    }

    /// The role of what [`Role::from_qualified`] kept of a header, if it is a synonym that
    /// still says enough alone; `place` when a word of [`PLACE_WORDS`] was left out, which only
    /// an address or postcode may follow.
    fn from_qualified_key(key: &str, place: bool) -> Option<Role> {
        if TOO_VAGUE_ALONE.contains(&key) {
            return None;
        }
        let role = Role::from_exact_key(key)?;
        let is_place = matches!(
            role,
            Role::Postcode
                | Role::AddressLine1
                | Role::AddressLine2
                | Role::AddressFull
                | Role::Town
        );
        (role != Role::TenantId && (is_place || !place)).then_some(role)
    }

    /// A header that is no known synonym but holds an unmistakable phrase: "House No & Street",
    /// "Tenant Email Address", "Date of birth of lead tenant". A phrase that could name
    /// something else ("name", "address", "number") is not enough on its own.
    fn from_words(header: &str, key: &str) -> Option<Role> {
        // A header is a few words; a sentence ("Visited Jo Bloggs at 1 High St. Date of birth
        // checked: ...", a line of notes cut at a ':') is not one.
        if key.len() > 40
            || header.split_whitespace().count() > 6
            || header.contains(['.', ':', '!', '?', '@'])
        {
            return None;
        }
        const PHRASES: [(&str, Role); 19] = [
            ("dateofbirth", Role::Dob),
            ("birthdate", Role::Dob),
            ("firstname", Role::GivenName),
            ("forename", Role::GivenName),
            ("givenname", Role::GivenName),
            ("surname", Role::Surname),
            ("lastname", Role::Surname),
            ("familyname", Role::Surname),
            ("emailaddress", Role::Email),
            ("postcode", Role::Postcode),
            ("sortcode", Role::SortCode),
            ("accountnumber", Role::AccountNumber),
            ("nationalinsurance", Role::Nino),
            ("iban", Role::Iban),
            ("mobilenumber", Role::Phone),
            ("phonenumber", Role::Phone),
            ("telephone", Role::Phone),
            ("tenancyref", Role::TenancyRef),
            ("street", Role::AddressLine1),
        ];
        // Headers that carry a phrase but are about something else.
        const NOT: [&str; 6] = [
            "verified", "consent", "optin", "optout", "updated", "changed",
        ];
        if NOT.iter().any(|n| key.contains(n)) {
            return None;
        }
        PHRASES
            .iter()
            .find(|(p, _)| key.contains(p))
            .map(|&(_, r)| r)
    }

    fn from_exact_key(key: &str) -> Option<Role> {
        let role = match key {
            "tenantid" | "tenantref" | "tenantreference" | "tenantno" | "tenantnumber"
            | "personid" | "personref" | "customerid" | "residentid" | "id" => Role::TenantId,
            "name" | "fullname" | "customername" | "payername" | "payer" | "accountholder"
            | "accountname" | "displayname" | "contactname" | "residentname" | "tenantname"
            | "tenant" | "resident" | "person" | "nameofresident" | "employee" | "employeename"
            | "staffname" | "staffmember" | "colleague" | "colleaguename" => Role::FullName,
            "forename" | "forenames" | "firstname" | "givenname" | "givennames" | "first"
            | "fname" | "christianname" => Role::GivenName,
            "surname" | "lastname" | "familyname" | "last" | "lname" => Role::Surname,
            "title" | "salutation" | "honorific" => Role::Title,
            "dob" | "dateofbirth" | "birthdate" | "birthday" | "bday" | "born" | "dateborn"
            | "d_o_b" => Role::Dob,
            "dobday" | "dayofbirth" | "birthdayday" | "birthday_day" => Role::DobDay,
            "dobmonth" | "monthofbirth" | "birthmonth" => Role::DobMonth,
            "dobyear" | "yearofbirth" | "birthyear" | "yob" => Role::DobYear,
            "postcode" | "postalcode" | "zip" | "zipcode" | "pcode" | "postcodes" | "post" => {
                Role::Postcode
            }
            "email" | "emailaddress" | "mail" | "emailaddr" | "emails" | "contactemail"
            | "useremail" | "mailaddress" => Role::Email,
            "phone" | "telephone" | "tel" | "mobile" | "mobilenumber" | "phonenumber"
            | "mobilephone" | "cell" | "cellphone" | "homephone" | "contactnumber" | "landline"
            | "telno" | "telephonenumber" | "mobileno" | "phoneno" | "msisdn" | "phones"
            | "mobiles" | "telephones" => Role::Phone,
            "ni"
            | "nino"
            | "ninumber"
            | "nationalinsurance"
            | "nationalinsurancenumber"
            | "nationalinsuranceno"
            | "nino_number"
            | "nationalinsnumber"
            | "nino1" => Role::Nino,
            "sortcode" | "sort" | "banksortcode" => Role::SortCode,
            "accountnumber" | "accountno" | "acctno" | "bankaccount" | "accno" | "account"
            | "bankaccountnumber" | "acno" => Role::AccountNumber,
            "tenancyref" | "tenancyreference" | "tenancy" | "tenancyno" | "tenancynumber"
            | "tenancyid" | "rentaccount" | "rentref" | "rentreference" => Role::TenancyRef,
            "addressline1" | "address1" | "line1" | "addr1" | "street" | "streetaddress"
            | "houseaddress" | "addressline" | "firstline" => Role::AddressLine1,
            "addressline2" | "address2" | "line2" | "addr2" | "district" | "locality" => {
                Role::AddressLine2
            }
            "address" | "fulladdress" | "homeaddress" | "postaladdress" | "propertyaddress"
            | "addr" => Role::AddressFull,
            "town" | "city" | "county" | "posttown" | "addressline3" | "line3" => Role::Town,
            "username" | "user" | "login" | "userid" | "handle" | "screenname" | "nickname" => {
                Role::Username
            }
            "password" | "pass" | "pwd" | "passwd" | "passwordhash" | "hash" | "pw" => {
                Role::Password
            }
            "group" | "persongroup" | "persontype" | "peoplegroup" => Role::Group,
            "iban" | "ibannumber" | "bankiban" | "ibancode" => Role::Iban,
            _ => return None,
        };
        Some(role)
    }
}

/// A header as compared with the synonyms: letters and digits only, lower case.
fn compact_key(header: &str) -> String {
    header
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Words of a header that say the value is the tenant's own and can be left out before the
/// synonym it qualifies ("Lead Tenant Name", "Main Tenant DOB", "Personal Email").
const LEAD_WORDS: [&str; 5] = ["lead", "main", "primary", "principal", "personal"];

/// Words of a header naming the person a value belongs to, which is the tenant in a tenants
/// file or a leaked customer table: "Tenant DOB", "Customer DOB", "Applicant DOB", "Client
/// Mobile". A number beside one of them numbers people ("Tenant 2"). Someone else's words
/// (next of kin, emergency contact, joint tenant...) are in [`SOMEONE_ELSE`] and never get this
/// far; "staff" and "employee" are left as the synonym table has them.
const PERSON_WORDS: [&str; 25] = [
    "tenant",
    "tenants",
    "customer",
    "customers",
    "client",
    "clients",
    "applicant",
    "applicants",
    "member",
    "members",
    "resident",
    "residents",
    "occupant",
    "occupants",
    "occupier",
    "occupiers",
    "contact",
    "person",
    "user",
    "payer",
    "accountholder",
    "lessee",
    "licensee",
    "leaseholder",
    "householder",
];

/// Words of a header that name the home rather than the person, left out only before an
/// address or postcode: "Property Postcode", "Tenancy Address" (but "Property Name", "Property
/// Ref" are no tenant's).
const PLACE_WORDS: [&str; 2] = ["property", "tenancy"];

/// Words of a header that make it about another person of the row than the one it is on (a
/// second tenant, another occupant, a new or old tenant): such a header is not read past its
/// qualifiers, so a tenancy row's second person is not taken for the first. "Joint" is in
/// [`SOMEONE_ELSE`].
const ANOTHER_PERSON: [&str; 13] = [
    "second",
    "secondary",
    "third",
    "other",
    "others",
    "additional",
    "alternative",
    "alternate",
    "co",
    "new",
    "old",
    "outgoing",
    "incoming",
];

/// Words after which a number is an address line's, not a person's: "Address Line 2",
/// "Tenant Address 2".
const ADDRESS_WORDS: [&str; 7] = [
    "address",
    "addressline",
    "addr",
    "add",
    "line",
    "ln",
    "street",
];

/// Synonyms that say too little once the qualifiers are left out: "Customer Account" (an
/// account reference), "Customer Group" (a segment), "Member Login" (a time), "Last Contact",
/// "Client Post" (a job).
const TOO_VAGUE_ALONE: [&str; 13] = [
    "account", "post", "sort", "tenancy", "group", "mail", "first", "last", "login", "user",
    "pass", "pw", "hash",
];

/// How [`Role::from_qualified`] reads a word of a header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WordKind {
    /// Says whose the value is (the tenant's): [`LEAD_WORDS`], [`PERSON_WORDS`], "account
    /// holder", a possessive "s".
    Whose,
    /// Names the home: [`PLACE_WORDS`].
    Place,
    /// A person's or a value's number: "Tenant 1", "1st", "DOB1", "Phone 2".
    Number,
    /// Part of a date format: "dd", "mm", "yyyy", "ddmmyyyy".
    Format,
    /// Anything else, kept.
    Other,
}

/// The words of a header, lower case: split at anything not a letter or digit, at a
/// lower-to-upper case change ("leadTenantName") and between letters and digits ("DOB1",
/// "Tenant1"), an ordinal ("1st", "2nd") kept whole.
fn header_words(header: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut prev: Option<char> = None;
    for c in header.chars() {
        if !c.is_alphanumeric() {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            prev = None;
            continue;
        }
        if let Some(p) = prev {
            let split =
                (p.is_lowercase() && c.is_uppercase()) || (p.is_numeric() != c.is_numeric());
            if split && !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
        }
        word.extend(c.to_lowercase());
        prev = Some(c);
    }
    if !word.is_empty() {
        words.push(word);
    }
    let mut i = 0;
    while i + 1 < words.len() {
        if words[i].bytes().all(|b| b.is_ascii_digit())
            && matches!(words[i + 1].as_str(), "st" | "nd" | "rd" | "th")
        {
            let suffix = words.remove(i + 1);
            words[i].push_str(&suffix);
        }
        i += 1;
    }
    words
}

/// A word that is a small number ("1", "12") or an ordinal ("1st", "2nd"): the number, and
/// whether it was an ordinal.
fn word_number(w: &str) -> Option<(u32, bool)> {
    let digits = w.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 3 {
        return None;
    }
    let n: u32 = w[..digits].parse().ok()?;
    match &w[digits..] {
        "" => Some((n, false)),
        "st" | "nd" | "rd" | "th" => Some((n, true)),
        _ => None,
    }
}

/// Whether word `i` is part of "account holder" (the account's holder is the tenant).
fn is_account_holder(words: &[String], i: usize) -> bool {
    let holder = |w: &str| matches!(w, "holder" | "holders");
    (words[i] == "account" && words.get(i + 1).is_some_and(|w| holder(w.as_str())))
        || (holder(words[i].as_str()) && i > 0 && words[i - 1] == "account")
}

/// The [`WordKind`] of each word of a header; `None` when the header is about another person
/// of the row than the one it is on: a word of [`ANOTHER_PERSON`], an ordinal past the first
/// ("2nd Tenant DOB"), or a number other than 1 in a header naming a person ("Tenant 2 Name",
/// "Tenant Name 2"). A number after an address word is the line's ("Address Line 2") and
/// kept; one in a header naming no person is a value's ("Phone 2", "DOB1") and left out.
fn word_kinds(words: &[String]) -> Option<Vec<WordKind>> {
    if words.iter().any(|w| ANOTHER_PERSON.contains(&w.as_str())) {
        return None;
    }
    let person = (0..words.len())
        .any(|i| PERSON_WORDS.contains(&words[i].as_str()) || is_account_holder(words, i));
    let mut kinds = vec![WordKind::Other; words.len()];
    for (range, _) in date_formats(words) {
        kinds[range].fill(WordKind::Format);
    }
    for (i, w) in words.iter().enumerate() {
        if kinds[i] == WordKind::Format {
            continue;
        }
        let w = w.as_str();
        kinds[i] = if let Some((n, ordinal)) = word_number(w) {
            if i > 0 && ADDRESS_WORDS.contains(&words[i - 1].as_str()) {
                WordKind::Other
            } else if n == 1 {
                WordKind::Number
            } else if ordinal || person {
                return None;
            } else if n <= 9 {
                WordKind::Number
            } else {
                WordKind::Other
            }
        } else if LEAD_WORDS.contains(&w)
            || PERSON_WORDS.contains(&w)
            || is_account_holder(words, i)
        {
            WordKind::Whose
        } else if PLACE_WORDS.contains(&w) {
            WordKind::Place
        } else if w == "s" && i > 0 && matches!(kinds[i - 1], WordKind::Whose | WordKind::Place) {
            // "Tenant's DOB".
            WordKind::Whose
        } else {
            WordKind::Other
        };
    }
    Some(kinds)
}

/// The date formats a header spells ("dd/mm/yyyy", "DDMMYYYY", "yyyy-mm-dd", "m/d/y",
/// "dd-mmm-yy"): the range of their words, and whether the month comes first (US, month then
/// day then year).
fn date_formats(words: &[String]) -> Vec<(std::ops::Range<usize>, bool)> {
    let piece = |w: &str| w.bytes().all(|b| matches!(b, b'd' | b'm' | b'y'));
    let mut found = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if !piece(words[i].as_str()) {
            i += 1;
            continue;
        }
        let start = i;
        while i < words.len() && piece(words[i].as_str()) {
            i += 1;
        }
        if let Some(month_first) = date_format_order(&words[start..i].concat()) {
            found.push((start..i, month_first));
        }
    }
    found
}

/// Whether `spelt` (the letters d, m and y only) is a date format, one run each of d (1 or 2
/// letters), m (1 to 4) and y (1, 2 or 4): `Some(true)` when its order is month, day, year.
fn date_format_order(spelt: &str) -> Option<bool> {
    let b = spelt.as_bytes();
    let mut order: Vec<u8> = Vec::with_capacity(3);
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let run = b[i..].iter().take_while(|&&x| x == c).count();
        let ok = match c {
            b'd' => run <= 2,
            b'm' => run <= 4,
            _ => matches!(run, 1 | 2 | 4),
        };
        if !ok || order.contains(&c) {
            return None;
        }
        order.push(c);
        i += run;
    }
    (order.len() == 3).then_some(order.as_slice() == b"mdy")
}

/// Whether a header gives a month-first date format ("DOB (MM/DD/YYYY)", "dob_mmddyyyy"):
/// its dates of birth are then read month-first. A day-first or year-first one
/// ("dd/mm/yyyy", "yyyy-mm-dd") is read as any date of birth.
fn names_month_first(header: &str) -> bool {
    date_formats(&header_words(header))
        .first()
        .is_some_and(|&(_, month_first)| month_first)
}

/// Words of a header (or a JSON path) that make its column someone else's: a child's date of
/// birth, a next of kin's phone, a previous surname. Such a column is never the tenant's, even
/// when its values look like a date of birth or a phone (one beside the tenant's name would
/// make the tenant a namesake, or confirm a relative).
const SOMEONE_ELSE: [&str; 40] = [
    "child",
    "childs",
    "children",
    "kin",
    "nok",
    "emergency",
    "parent",
    "parents",
    "guardian",
    "carer",
    "carers",
    "mother",
    "mothers",
    "father",
    "fathers",
    "partner",
    "partners",
    "spouse",
    "spouses",
    "joint",
    "landlord",
    "landlords",
    "employer",
    "employers",
    "agent",
    "agents",
    "referee",
    "guarantor",
    "previous",
    "former",
    "prev",
    "dependant",
    "dependent",
    "dependants",
    "dependents",
    "son",
    "daughter",
    "relative",
    "witness",
    "solicitor",
];

/// Whether a header names another person's data (see [`SOMEONE_ELSE`]); words are split at
/// anything not a letter or digit and at a lower-to-upper case change ("nextOfKin").
fn about_someone_else(header: &str) -> bool {
    let mut word = String::new();
    let mut prev_lower = false;
    let mut hit = false;
    let mut flush = |w: &mut String| {
        hit |= SOMEONE_ELSE.contains(&w.as_str());
        w.clear();
    };
    for c in header.chars() {
        if !c.is_alphanumeric() || (prev_lower && c.is_uppercase()) {
            flush(&mut word);
        }
        if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        }
        prev_lower = c.is_lowercase();
    }
    flush(&mut word);
    hit
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Share of non-empty sampled values that must parse as a kind for content detection.
pub const CONTENT_SHARE: f64 = 0.6;

/// Tallies of what the sampled values of one column look like.
#[derive(Debug, Default, Clone)]
pub struct ContentProfile {
    /// Non-empty values seen.
    pub non_empty: u32,
    email: u32,
    postcode: u32,
    date: u32,
    phone: u32,
    nino: u32,
    sort_code: u32,
    account: u32,
    one_word: u32,
    multi_word: u32,
    address_like: u32,
    title: u32,
}

impl ContentProfile {
    /// Adds one sampled value.
    pub fn add(&mut self, value: &str) {
        let v = value.trim();
        if v.is_empty() {
            return;
        }
        self.non_empty += 1;
        let mut buf = String::new();
        let ok =
            |kind: FieldKind, buf: &mut String| normalize::normalize_into(kind, v, buf).is_ok();
        if v.contains('@') && ok(FieldKind::Email, &mut buf) {
            self.email += 1;
            return;
        }
        if ok(FieldKind::Postcode, &mut buf) {
            self.postcode += 1;
            return;
        }
        if ok(FieldKind::Nino, &mut buf) {
            self.nino += 1;
            return;
        }
        // Dates first: "12-03-85" is also sort-code shaped, but a real sort code column has few
        // values that are valid dates (month <= 12), so it still wins there.
        if ok(FieldKind::Dob, &mut buf) {
            self.date += 1;
            return;
        }
        let digits = v.chars().filter(|c| c.is_ascii_digit()).count();
        let seps_only = v
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '-' | ' ' | '.'));
        if digits == 6 && seps_only && v.len() == 8 && ok(FieldKind::SortCode, &mut buf) {
            self.sort_code += 1;
            return;
        }
        if ok(FieldKind::Phone, &mut buf) {
            self.phone += 1;
            return;
        }
        if digits == v.len() && (7..=8).contains(&digits) {
            self.account += 1;
            return;
        }
        let words: Vec<&str> = v.split_whitespace().collect();
        let first_digit = v.chars().next().is_some_and(|c| c.is_ascii_digit());
        let lower = v.to_lowercase();
        if (first_digit || lower.starts_with("flat") || lower.starts_with("apartment"))
            && words.len() >= 2
            && v.chars().any(|c| c.is_alphabetic())
        {
            self.address_like += 1;
            return;
        }
        let name_chars = v
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, ' ' | '\'' | '-' | '.' | ','));
        if words.len() == 1 && is_title_word(v) {
            self.title += 1;
        } else if name_chars && words.len() == 1 {
            self.one_word += 1;
        } else if name_chars && (2..=5).contains(&words.len()) {
            self.multi_word += 1;
        }
    }

    fn share(&self, n: u32) -> f64 {
        if self.non_empty == 0 {
            0.0
        } else {
            f64::from(n) / f64::from(self.non_empty)
        }
    }

    /// The distinctive role the content shows (e-mail, postcode, NI number, sort code, phone),
    /// with the share of values that matched. Safe for columns with unknown headers.
    pub fn strong_role(&self) -> Option<(Role, f64)> {
        [
            (Role::Email, self.email),
            (Role::Postcode, self.postcode),
            (Role::Nino, self.nino),
            (Role::SortCode, self.sort_code),
            (Role::Phone, self.phone),
        ]
        .into_iter()
        .map(|(r, n)| (r, self.share(n)))
        .filter(|&(_, s)| s >= CONTENT_SHARE)
        .max_by(|a, b| a.1.total_cmp(&b.1))
    }

    /// A weaker guess for files with no header at all: dates, account numbers, addresses and
    /// name-like words too.
    pub fn headerless_role(&self) -> Option<(Role, f64)> {
        if let Some(r) = self.strong_role() {
            return Some(r);
        }
        [
            (Role::Dob, self.date),
            (Role::AccountNumber, self.account),
            (Role::AddressLine1, self.address_like),
            (Role::Title, self.title),
            (Role::GivenName, self.one_word),
            (Role::FullName, self.multi_word),
        ]
        .into_iter()
        .map(|(r, n)| (r, self.share(n)))
        .filter(|&(_, s)| s >= CONTENT_SHARE)
        .max_by(|a, b| a.1.total_cmp(&b.1))
    }
}

/// Whether a word is a courtesy title ("Mrs", "Dr.", "MISS"): a column of them, in a file
/// without a header, is a title column, not the given names.
fn is_title_word(v: &str) -> bool {
    const TITLES: [&str; 14] = [
        "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "rev", "revd", "sir", "dame", "lady",
        "lord", "master",
    ];
    let w = v.trim_end_matches('.');
    TITLES.iter().any(|t| t.eq_ignore_ascii_case(w))
}

/// Assigns roles to the columns of a headerless table from content profiles: distinctive kinds
/// first, then one date column as date of birth, then two adjacent one-word name columns as
/// given name and surname (or a multi-word column as a full name). Returns the role and the
/// evidence (share of values) per column.
pub fn roles_from_content(profiles: &[ContentProfile]) -> Vec<(Role, f64)> {
    let mut roles: Vec<(Role, f64)> = profiles
        .iter()
        .map(|p| p.headerless_role().unwrap_or((Role::Other, 0.0)))
        .collect();
    // Only the first date column is a date of birth; later ones are other dates.
    let mut seen_dob = false;
    for r in roles.iter_mut() {
        if r.0 == Role::Dob {
            if seen_dob {
                r.0 = Role::Other;
            }
            seen_dob = true;
        }
    }
    // One-word name columns: the first of an adjacent pair is the given name, the second the
    // surname. A lone one-word column stays a surname candidate only if nothing else names.
    let mut i = 0;
    while i < roles.len() {
        if roles[i].0 == Role::GivenName {
            if i + 1 < roles.len() && roles[i + 1].0 == Role::GivenName {
                roles[i + 1].0 = Role::Surname;
                i += 2;
                continue;
            }
            roles[i].0 = Role::Other;
        }
        i += 1;
    }
    roles
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_synonyms() {
        let cases = [
            ("E-mail", Role::Email),
            ("Email Address", Role::Email),
            ("MAIL", Role::Email),
            ("Birth Date", Role::Dob),
            ("date_of_birth", Role::Dob),
            ("D.O.B.", Role::Dob),
            ("Post Code", Role::Postcode),
            ("post_code", Role::Postcode),
            ("Mobile", Role::Phone),
            ("Full Name", Role::FullName),
            ("Payer Name", Role::FullName),
            ("Forename", Role::GivenName),
            ("user.first_name", Role::GivenName),
            ("user.contact.email", Role::Email),
            ("address.line1", Role::AddressLine1),
            ("user.name", Role::FullName),
            ("user.username", Role::Username),
            ("Tel.", Role::Phone),
            ("NI Number", Role::Nino),
            ("Sort Code", Role::SortCode),
            ("Account No", Role::AccountNumber),
            ("Tenancy Ref", Role::TenancyRef),
            ("Tenant ID", Role::TenantId),
        ];
        for (h, want) in cases {
            assert_eq!(Role::from_header(h), Some(want), "{h}");
        }
        assert_eq!(Role::from_header("Last Login"), None);
        assert_eq!(Role::from_header("Amount"), None);
    }

    #[test]
    fn headers_with_notes_or_longer_phrases() {
        for (h, want) in [
            ("DOB (dd/mm/yyyy)", Role::Dob),
            ("First name(s)", Role::GivenName),
            ("Family name", Role::Surname),
            ("House No & Street", Role::AddressLine1),
            ("Tenant Email Address", Role::Email),
            ("Date of birth of lead tenant", Role::Dob),
            ("Customer IBAN", Role::Iban),
            ("IBAN", Role::Iban),
            ("Home telephone", Role::Phone),
        ] {
            assert_eq!(Role::from_header(h), Some(want), "{h}");
        }
        // A phrase about something else is no role.
        assert_eq!(Role::from_header("Email verified"), None);
        assert_eq!(Role::from_header("Marketing opt-in (email)"), None);
        assert_eq!(Role::from_header("Postcode updated"), None);
        // Someone else's data is no column of the tenant's, whatever its values look like.
        for h in [
            "Emergency contact phone number",
            "Next of kin telephone",
            "Previous surname",
            "Child's date of birth",
            "Date of birth (child)",
            "Mother's date of birth",
            "NOK Telephone",
            "Parent/Guardian Email Address",
            "Carer telephone",
            "Joint tenant email address",
            "Landlord phone number",
            "emergency_contact.phone",
            "next_of_kin.dob",
            "nextOfKin.email",
        ] {
            assert_eq!(Role::from_header(h), Some(Role::Other), "{h}");
        }
        // Words are whole words: "booking" and "banking" hold no "kin".
        assert_eq!(
            Role::from_header("Booking email address"),
            Some(Role::Email)
        );
        assert_eq!(Role::from_header("Banking sort code"), Some(Role::SortCode));
        // A line of notes cut at a ':' is no header.
        assert_eq!(
            Role::from_header(
                "Visited  Seán Davies at 38 Vicarage Gardens, PE5 9LN. Date of birth checked"
            ),
            None
        );
        assert_eq!(
            Role::from_header("Date of birth checked by the officer on the day"),
            None
        );
    }

    #[test]
    fn headers_that_say_whose_value_it_is() {
        for (h, want) in [
            // Missed before.
            ("Lead Tenant Name", Role::FullName),
            ("Main Tenant Name", Role::FullName),
            ("Tenant 1 Name", Role::FullName),
            ("Tenant DOB", Role::Dob),
            ("Customer DOB", Role::Dob),
            ("Applicant DOB", Role::Dob),
            ("Member DOB", Role::Dob),
            ("Client DOB", Role::Dob),
            ("Tenant 1 DOB", Role::Dob),
            ("DOB1", Role::Dob),
            ("dob_ddmmyyyy", Role::Dob),
            ("Property Postcode", Role::Postcode),
            // Already read so, and still.
            ("Tenant Date of Birth", Role::Dob),
            ("Date of birth - Tenant 1", Role::Dob),
            ("Tenant 1 Email", Role::Email),
            ("Tenant First Name", Role::GivenName),
            // The same rule in other spellings.
            ("leadTenantName", Role::FullName),
            ("lead_tenant_dob", Role::Dob),
            ("Tenant's DOB", Role::Dob),
            ("Tenant D.O.B.", Role::Dob),
            ("1st Tenant DOB", Role::Dob),
            ("Primary Applicant Name", Role::FullName),
            ("Resident Mobile", Role::Phone),
            ("Occupant Name", Role::FullName),
            ("Personal Email", Role::Email),
            ("Account Holder DOB", Role::Dob),
            ("Name of account holder", Role::FullName),
            ("DOB of lead tenant", Role::Dob),
            ("Tenant Contact Number", Role::Phone),
            ("Contact DOB", Role::Dob),
            ("user_dob", Role::Dob),
            ("Lead Tenant", Role::FullName),
            ("Tenant Address", Role::AddressFull),
            ("Tenancy Address", Role::AddressFull),
            ("Tenant 1 Address Line 2", Role::AddressLine2),
            ("Name 2", Role::FullName),
            ("Phone 2", Role::Phone),
            ("DOB2", Role::Dob),
            ("Lead Tenant Name (as on the tenancy)", Role::FullName),
        ] {
            assert_eq!(Role::from_header(h), Some(want), "{h}");
        }
    }

    #[test]
    fn date_of_birth_headers_with_a_format() {
        for (h, want) in [
            ("dob_ddmmyyyy", Role::Dob),
            ("DOB (DD/MM/YYYY)", Role::Dob),
            ("DOB (dd/mm/yyyy)", Role::Dob),
            ("Tenant DOB (dd/mm/yyyy)", Role::Dob),
            ("Tenant DOB dd-mm-yy", Role::Dob),
            ("Date of birth (yyyy-mm-dd)", Role::Dob),
            ("birth_date_yyyymmdd", Role::Dob),
            ("DOB (DD-MMM-YYYY)", Role::Dob),
            // Month-first (US) formats say how to read the dates.
            ("dob_mmddyyyy", Role::DobMonthFirst),
            ("DOB (MM/DD/YYYY)", Role::DobMonthFirst),
            ("Date of Birth (mm/dd/yy)", Role::DobMonthFirst),
            ("Customer DOB m/d/yyyy", Role::DobMonthFirst),
            ("user.dob_mmddyyyy", Role::DobMonthFirst),
        ] {
            assert_eq!(Role::from_header(h), Some(want), "{h}");
        }
        // A format is no role by itself.
        assert_eq!(Role::from_header("dd/mm/yyyy"), None);
        assert_eq!(Role::from_header("Start date (dd/mm/yyyy)"), None);
    }

    #[test]
    fn qualifier_words_make_no_new_roles() {
        // Identifiers and names as the synonym table has them.
        for (h, want) in [
            ("Customer ID", Some(Role::TenantId)),
            ("Tenant ID", Some(Role::TenantId)),
            ("Customer Ref", None),
            ("Client ID", None),
            ("Member ID", None),
            ("Tenant 1 ID", None),
            ("Property ID", None),
            ("Contact Name", Some(Role::FullName)),
            ("Address 2", Some(Role::AddressLine2)),
            ("Address Line 1", Some(Role::AddressLine1)),
            ("Home Tel", None),
        ] {
            assert_eq!(Role::from_header(h), want, "{h}");
        }
        // No date of birth, nor any other role.
        for h in [
            "Member Since",
            "Customer Since",
            "Tenant Since",
            "Tenancy Start Date",
            "Tenant Start Date",
            "Last Login",
            "Customer Login",
            "Last Contact",
            "Customer Account",
            "Customer Group",
            "Customer Number",
            "Property Ref",
            "Property Name",
            "First Tenant Name",
            "Second Name",
            "Address Line 4",
            "Address 4",
            "Staff DOB",
            "Tenant Status",
        ] {
            assert_eq!(Role::from_header(h), None, "{h}");
        }
        // Another person of the row: not read as the row's tenant.
        for h in [
            "Tenant 2 Name",
            "Tenant 2 DOB",
            "Tenant Name 2",
            "2nd Tenant DOB",
            "Second Tenant Name",
            "Secondary Applicant DOB",
            "Other Occupant Name",
            "New Tenant DOB",
            "Lead Tenant Name (tenant 2)",
        ] {
            assert_eq!(Role::from_header(h), None, "{h}");
        }
        // Someone else's data stays someone else's, with or without the tenant's words.
        for h in [
            "Emergency Contact Name",
            "Emergency Contact DOB",
            "Tenant Emergency Contact Number",
            "Next of Kin Name",
            "Next of Kin Contact Number",
            "Lead Tenant Next of Kin DOB",
            "Landlord Name",
            "Agent Name",
            "Guarantor DOB",
            "Joint Tenant Name",
            "Joint Tenant DOB",
            "Tenant's Child DOB",
            "Previous Tenant Name",
        ] {
            assert_eq!(Role::from_header(h), Some(Role::Other), "{h}");
        }
    }

    #[test]
    fn role_names_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
    }

    fn profile(values: &[&str]) -> ContentProfile {
        let mut p = ContentProfile::default();
        for v in values {
            p.add(v);
        }
        p
    }

    #[test]
    fn content_detects_kinds() {
        let email = profile(&["a@b.com", "x.y@gmail.com", "", "JOHN@OUTLOOK.COM"]);
        assert_eq!(email.strong_role().unwrap().0, Role::Email);
        let pc = profile(&["LS1 4AB", "m11ae", "SW1A 1AA"]);
        assert_eq!(pc.strong_role().unwrap().0, Role::Postcode);
        let phone = profile(&["07700 900123", "+44 7700 900456", "01632 960123"]);
        assert_eq!(phone.strong_role().unwrap().0, Role::Phone);
        let dates = profile(&["1985-03-12", "12/03/1985", "01-02-90", "12-03-85"]);
        assert_eq!(
            dates.strong_role(),
            None,
            "dates are not safe under unknown headers"
        );
        assert_eq!(dates.headerless_role().unwrap().0, Role::Dob);
        let sort = profile(&["12-34-56", "40-47-84", "20-00-00", "30-96-26", "01-02-03"]);
        assert_eq!(sort.strong_role().unwrap().0, Role::SortCode);
    }

    #[test]
    fn headerless_names_and_addresses() {
        let cols = vec![
            profile(&["John", "Mary", "Zoë"]),
            profile(&["Smith", "O'Neill", "Smith-Jones"]),
            profile(&["1985-03-12", "1990-01-01", "1970-12-31"]),
            profile(&["12 High Street", "Flat 3, 4 Mill Lane", "7 Church Rd"]),
            profile(&["LS1 4AB", "M1 1AE", "B33 8TH"]),
            profile(&["2024-01-01", "2024-02-02", "2024-03-03"]),
        ];
        let roles: Vec<Role> = roles_from_content(&cols).into_iter().map(|r| r.0).collect();
        assert_eq!(
            roles,
            vec![
                Role::GivenName,
                Role::Surname,
                Role::Dob,
                Role::AddressLine1,
                Role::Postcode,
                Role::Other
            ]
        );
        // A column of titles first: the names are the two after it.
        let cols = vec![
            profile(&["Mrs", "Mr", "MISS", "Dr."]),
            profile(&["Zoe", "Sean", "Aisha", "Ravi"]),
            profile(&["Dubois", "O'Brien", "Khan", "Patel"]),
        ];
        let roles: Vec<Role> = roles_from_content(&cols).into_iter().map(|r| r.0).collect();
        assert_eq!(roles, vec![Role::Title, Role::GivenName, Role::Surname]);
    }
}
