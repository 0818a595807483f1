//! A hit: one dump row matched to one tenant, with the evidence pointer.

use crate::keys::{FieldSet, KeySet};
use serde::Serialize;

/// How sure a hit is that the row is this tenant.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// A strong key matched, or a name key plus another agreeing field.
    Confirmed,
    /// A name key matched, but the row neither confirms nor rules out the tenant: nothing else
    /// agrees or conflicts; or a different first name with the same surname, date of birth and
    /// postcode; or the same address with a differing e-mail, phone, NI number or bank.
    /// Listed for review, never notified automatically.
    Probable,
    /// A name key matched but the row's date of birth differs, or a strong field (e-mail, phone,
    /// NI number, bank) differs and nothing else agrees: another person with the same name.
    Namesake,
    /// Only address + postcode matched: a household, not a person.
    Household,
}

impl Confidence {
    /// Every level, strongest first.
    pub const ALL: [Confidence; 4] = [
        Confidence::Confirmed,
        Confidence::Probable,
        Confidence::Namesake,
        Confidence::Household,
    ];
    /// The snake_case name used in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Confirmed => "confirmed",
            Confidence::Probable => "probable",
            Confidence::Namesake => "namesake",
            Confidence::Household => "household",
        }
    }
    /// Whether the hit counts as the tenant's exposure (confirmed or probable).
    pub fn is_exposure(self) -> bool {
        matches!(self, Confidence::Confirmed | Confidence::Probable)
    }
    /// Parses [`Confidence::as_str`].
    pub fn parse(s: &str) -> Option<Confidence> {
        Confidence::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// One dump row matched to one tenant. No dump plaintext: the evidence is a pointer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Tenant number in the index.
    pub tenant: u32,
    /// File number in the scan.
    pub file: u32,
    /// 1-based line of the row.
    pub line: u64,
    /// Byte offset of the row in the decompressed file.
    pub offset: u64,
    /// Key kinds that matched.
    pub keys: KeySet,
    /// The tenant's fields present in the row.
    pub fields: FieldSet,
    /// How sure.
    pub confidence: Confidence,
    /// Sensitive categories present in the row (passwords, cards...), never values.
    pub co: crate::dump::sensitive::CategorySet,
    /// Keyed fingerprint of the row's normalised values: equal for the same record seen in
    /// several files (a duplicate), meaningless without the key.
    pub row_fp: u64,
    /// Where in a document the row is, beyond `line` (`sheet 'Tenants'`, `table tenants`,
    /// `page 2`): an index into [`crate::scan::ScanResult::locations`]; 0 for plain dumps.
    pub loc: u32,
}
