//! The keyed tenant index (`.bmx`): built from tenants only, holding no plaintext.
//!
//! It contains a blocked Bloom filter over keyed fast hashes of every match key, a sorted exact
//! table of truncated HMAC-SHA256 key hashes pointing at tenant entries, and per tenant the
//! landlord's tenant id plus a keyed hash of every normalised field value. Everything that could
//! identify a person is under the secret key; see [`format`] for the byte layout.

pub mod bloom;
pub mod build;
pub mod format;

use crate::keys::{FieldSlot, KeyKind};
use crate::secret::KeyHash;
pub use bloom::BlockedBloom;
pub use build::{BuildReport, FieldRejection, build_index};
pub use format::{IndexError, IndexHeader};

/// One tenant's entry: the landlord's id and the keyed hashes of its field values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantEntry {
    /// The landlord's tenant id (an internal reference, meaningless without the tenants file).
    pub id: String,
    /// `(slot, keyed hash)` for every field value, sorted.
    pub fields: Vec<(FieldSlot, KeyHash)>,
}

impl TenantEntry {
    /// Whether the tenant holds a value in this slot.
    pub fn has_slot(&self, slot: FieldSlot) -> bool {
        self.fields.iter().any(|(s, _)| *s == slot)
    }
    /// Whether the tenant holds exactly this hashed value.
    pub fn has_hash(&self, slot: FieldSlot, h: &KeyHash) -> bool {
        self.fields.binary_search(&(slot, *h)).is_ok()
    }
}

/// A loaded (or freshly built) index.
#[derive(Debug, Clone, PartialEq)]
pub struct Index {
    /// Versions, counts and key fingerprint.
    pub header: IndexHeader,
    /// Prefilter.
    pub bloom: BlockedBloom,
    /// Sorted key hashes; `postings[i]` belongs to `hashes[i]`.
    pub hashes: Vec<KeyHash>,
    /// `(key kind, tenant number)` for each key hash.
    pub postings: Vec<(KeyKind, u32)>,
    /// Tenants, by number.
    pub tenants: Vec<TenantEntry>,
}

impl Index {
    /// The `(kind, tenant)` postings of an exact key hash (empty when absent).
    pub fn lookup(&self, h: &KeyHash) -> &[(KeyKind, u32)] {
        let start = self.hashes.partition_point(|x| x < h);
        let end = start + self.hashes[start..].partition_point(|x| x == h);
        &self.postings[start..end]
    }
}
