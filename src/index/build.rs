//! Building an [`Index`] from a tenants table: normalise, key, hash, sort.

use super::{BlockedBloom, Index, IndexHeader, TenantEntry, format::FORMAT_VERSION};
use crate::keys::{FieldSlot, KeyKind, Person};
use crate::roles::Role;
use crate::secret::{DerivedKeys, KeyHash};
use crate::tenants::TenantTable;
use rayon::prelude::*;
use serde::Serialize;

/// A tenant field that did not normalise and so was left out of the index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldRejection {
    /// 1-based line in the tenants file.
    pub line: u64,
    /// The tenant id.
    pub tenant_id: String,
    /// The column header.
    pub column: String,
    /// Why it was rejected (never the value).
    pub reason: String,
}

/// What building the index found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct BuildReport {
    /// Tenants indexed.
    pub tenants: usize,
    /// Lines skipped for an empty tenant id.
    pub rows_without_id: Vec<u64>,
    /// Every rejected field.
    pub rejections: Vec<FieldRejection>,
    /// Tenants with no usable key at all (they can never be found).
    pub tenants_without_keys: Vec<String>,
    /// Identifying values (e-mail, phone, NI number, bank, tenancy reference) held by tenants
    /// of different homes: a placeholder typed in for several, or a mistake. A row matched by
    /// such a value alone cannot say whose it is, so it is not confirmed. (One home's shared
    /// phone or joint account is each tenant's own, and not listed.)
    pub shared_identifiers: Vec<SharedValue>,
}

/// One identifying value held by several tenants (the value itself is not kept).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SharedValue {
    /// The kind of value.
    pub kind: KeyKind,
    /// The tenants holding it.
    pub tenant_ids: Vec<String>,
}

struct Built {
    keys: Vec<(KeyHash, KeyKind, (u64, u64))>,
    fields: Vec<(FieldSlot, KeyHash)>,
    rejections: Vec<FieldRejection>,
}

/// Builds the index. `bits_per_key` sizes the Bloom filter.
pub fn build_index(
    table: &TenantTable,
    keys: &DerivedKeys,
    bits_per_key: u32,
) -> (Index, BuildReport) {
    let built: Vec<Built> = table
        .rows
        .par_iter()
        .map_init(
            || (Person::default(), Vec::with_capacity(128)),
            |(person, buf), row| {
                person.clear();
                let mut rejections = Vec::new();
                person.fill(
                    row.cells.iter().map(|(_, role, v)| (*role, v.as_str())),
                    |r| {
                        let column = column_of(table, row, r.role);
                        rejections.push(FieldRejection {
                            line: row.line,
                            tenant_id: row.id.clone(),
                            column,
                            reason: r.reason.to_string(),
                        });
                    },
                );
                let mut out = Vec::new();
                person.for_each_key(buf, |kind, bytes| {
                    out.push((keys.key_mac.hash(bytes), kind, keys.fast_hash(bytes)));
                });
                out.sort_unstable_by_key(|a| (a.0, a.1));
                out.dedup_by(|a, b| a.0 == b.0);
                let mut fields = Vec::new();
                person.field_hashes(keys, &mut fields);
                Built {
                    keys: out,
                    fields,
                    rejections,
                }
            },
        )
        .collect();

    let total: usize = built.iter().map(|b| b.keys.len()).sum();
    let mut bloom = BlockedBloom::with_capacity(total, bits_per_key);
    let mut entries: Vec<(KeyHash, KeyKind, u32)> = Vec::with_capacity(total);
    let mut per_kind = [0u32; KeyKind::ALL.len()];
    let mut report = BuildReport {
        tenants: table.rows.len(),
        rows_without_id: table.rows_without_id.clone(),
        ..BuildReport::default()
    };
    let mut tenants = Vec::with_capacity(table.rows.len());
    for (i, (b, row)) in built.into_iter().zip(&table.rows).enumerate() {
        if b.keys.is_empty() {
            report.tenants_without_keys.push(row.id.clone());
        }
        for (h, kind, fast) in b.keys {
            bloom.insert(fast);
            entries.push((h, kind, i as u32));
            per_kind[kind as usize - 1] += 1;
        }
        report.rejections.extend(b.rejections);
        tenants.push(TenantEntry {
            id: row.id.clone(),
            fields: b.fields,
        });
    }
    entries.par_sort_unstable();
    for run in entries.chunk_by(|a, b| a.0 == b.0 && a.1 == b.1) {
        // The folded e-mail repeats what the e-mail says.
        let kind = run[0].1;
        if run.len() < 2 || !kind.is_identifier() || kind == KeyKind::EmailFolded {
            continue;
        }
        // One home's phone, joint account or tenancy reference is each tenant's own.
        let home = &tenants[run[0].2 as usize];
        if run[1..]
            .iter()
            .any(|e| !home.same_home(&tenants[e.2 as usize]))
        {
            report.shared_identifiers.push(SharedValue {
                kind,
                tenant_ids: run
                    .iter()
                    .map(|e| tenants[e.2 as usize].id.clone())
                    .collect(),
            });
        }
    }
    let header = IndexHeader {
        format_version: FORMAT_VERSION,
        normalize_version: crate::normalize::NORMALIZE_VERSION,
        key_fingerprint: keys.fingerprint.clone(),
        tenants: tenants.len() as u32,
        entries: entries.len() as u64,
        bloom_bits_per_key: bits_per_key,
        bloom_k: super::bloom::K,
        bloom_bits: bloom.bits(),
        bloom_fpr: bloom.estimated_fpr(),
        keys_per_kind: KeyKind::ALL
            .into_iter()
            .map(|k| (k, per_kind[k as usize - 1]))
            .collect(),
        tenants_sha256: table.sha256.clone(),
    };
    let (hashes, postings) = entries.into_iter().map(|(h, k, t)| (h, (k, t))).unzip();
    (Index::new(header, bloom, hashes, postings, tenants), report)
}

fn column_of(table: &TenantTable, row: &crate::tenants::TenantRow, role: Role) -> String {
    row.cells
        .iter()
        .find(|(_, r, _)| *r == role)
        .and_then(|(i, _, _)| table.columns.get(*i))
        .map(|(h, _)| h.clone())
        .unwrap_or_else(|| role.as_str().to_string())
}
