//! Matching one decoded row against the index: normalise, probe the Bloom filter with a keyed
//! fast hash, confirm positives by HMAC in the exact table, then compare every field of the
//! row with each matched tenant's own field hashes and decide the confidence.

use super::hit::{Confidence, Hit};
use super::stats::ScanStats;
use crate::dump::decode::Cells;
use crate::dump::reader::RowPos;
use crate::index::{Index, TenantEntry};
use crate::keys::{Field, FieldSet, FieldSlot, KeyKind, KeySet, Person};
use crate::roles::Role;
use crate::secret::{DerivedKeys, KeyHash};

/// Fields whose disagreement marks a name match as a namesake.
const CONFLICT_FIELDS: [Field; 4] = [Field::Email, Field::Phone, Field::Nino, Field::Bank];

/// One row between the two stages of matching: its normalised values and its keys, each with
/// its keyed fast hash (whose Bloom block is being fetched).
#[derive(Default)]
struct Slot {
    person: Person,
    /// The row's keys: `(kind, range in keystore, fast hash)`.
    probes: Vec<(KeyKind, u32, u32, (u64, u64))>,
    keystore: Vec<u8>,
}

/// Per-thread matching state; reuses its buffers row after row.
///
/// Matching is split in two stages so that a caller can overlap rows: [`Matcher::prepare`]
/// normalises a row and hashes its keys, asking for their Bloom blocks to be fetched;
/// [`Matcher::resolve`] probes them and confirms. Preparing row `i + 1` before resolving row
/// `i` hides the memory latency of the Bloom filter (a random cache line per key, rarely in
/// cache while a dump streams through) behind a row's worth of work.
pub struct Matcher<'a> {
    index: &'a Index,
    keys: &'a DerivedKeys,
    slots: [Slot; 2],
    keybuf: Vec<u8>,
    /// `(tenant, key kind, whether another tenant holds the same key)`.
    cands: Vec<(u32, KeyKind, bool)>,
    /// Per hit of the row being resolved: whether a key of its own matched, and which of the
    /// row's field values it holds (a bit per `row_fields` entry).
    distinct: Vec<(bool, u64)>,
    row_fields: Vec<(FieldSlot, KeyHash)>,
    /// Values that did not normalise, by role index (folded into stats by [`Matcher::flush`]).
    invalid: [u64; Role::ALL.len()],
    /// Dates of birth read day-first that only make sense month-first ("12/25/1980").
    month_first_dates: u64,
    /// Rows are values gathered from free text: decided by [`decide_in_text`].
    free_text: bool,
}

impl<'a> Matcher<'a> {
    /// A matcher over an index.
    pub fn new(index: &'a Index, keys: &'a DerivedKeys) -> Matcher<'a> {
        Matcher {
            index,
            keys,
            slots: Default::default(),
            keybuf: Vec::with_capacity(128),
            cands: Vec::new(),
            distinct: Vec::new(),
            row_fields: Vec::new(),
            invalid: [0; Role::ALL.len()],
            month_first_dates: 0,
            free_text: false,
        }
    }

    /// A matcher for values gathered from free text (documents): a date near a name may not be
    /// a date of birth, so a differing one does not make a namesake (see [`decide_in_text`]).
    pub fn for_free_text(mut self) -> Matcher<'a> {
        self.free_text = true;
        self
    }

    /// The person of the last row matched by [`Matcher::match_row`] (for `explain`).
    pub fn person(&self) -> &Person {
        &self.slots[0].person
    }

    /// Matches one row, pushing one [`Hit`] per matched tenant.
    pub fn match_row(
        &mut self,
        cells: &Cells,
        pos: RowPos,
        file: u32,
        stats: &mut ScanStats,
        out: &mut Vec<Hit>,
    ) {
        self.prepare(0, cells);
        self.resolve(0, cells, pos, file, stats, out);
    }

    /// Stage one: normalises a row into slot `slot` (0 or 1), computes its keys and their fast
    /// hashes, and prefetches their Bloom blocks.
    pub fn prepare(&mut self, slot: usize, cells: &Cells) {
        let Matcher {
            index,
            keys,
            slots,
            keybuf,
            invalid,
            month_first_dates,
            ..
        } = self;
        let Slot {
            person,
            probes,
            keystore,
        } = &mut slots[slot & 1];
        person.clear();
        person.fill(cells.iter(), |r| {
            if let Some(i) = Role::ALL.iter().position(|x| *x == r.role) {
                invalid[i] += 1;
            }
            if r.role == Role::Dob && matches!(r.reason, crate::normalize::Reject::UsDate { .. }) {
                *month_first_dates += 1;
            }
        });
        probes.clear();
        keystore.clear();
        person.for_each_key(keybuf, |kind, bytes| {
            let start = keystore.len() as u32;
            keystore.extend_from_slice(bytes);
            let h = keys.fast_hash(bytes);
            index.bloom.prefetch(h.0);
            probes.push((kind, start, keystore.len() as u32, h));
        });
    }

    /// Stage two: probes the keys of the row prepared in `slot` (whose cells are `cells`),
    /// confirms Bloom positives by HMAC in the exact table, and pushes one [`Hit`] per matched
    /// tenant.
    pub fn resolve(
        &mut self,
        slot: usize,
        cells: &Cells,
        pos: RowPos,
        file: u32,
        stats: &mut ScanStats,
        out: &mut Vec<Hit>,
    ) {
        let Matcher {
            index,
            keys,
            slots,
            cands,
            distinct,
            row_fields,
            free_text,
            ..
        } = self;
        let decide = if *free_text { decide_in_text } else { decide };
        let Slot {
            person,
            probes,
            keystore,
        } = &slots[slot & 1];
        cands.clear();
        stats.keys_probed += probes.len() as u64;
        for &(kind, start, end, h) in probes.iter() {
            if !index.bloom.contains(h) {
                continue;
            }
            stats.bloom_positives += 1;
            let bytes = &keystore[start as usize..end as usize];
            let postings = index.lookup(&keys.key_mac.hash(bytes));
            if postings.is_empty() {
                stats.bloom_false_positives += 1;
            }
            let shared = postings.iter().filter(|(k, _)| *k == kind).nth(1).is_some();
            for &(k, t) in postings {
                if k == kind {
                    cands.push((t, kind, shared));
                }
            }
        }
        if cands.is_empty() {
            return;
        }
        let co = cells.categories();
        cands.sort_unstable();
        person.field_hashes(keys, row_fields);
        let row_fp = fingerprint(keys, row_fields.iter());
        let start = out.len();
        distinct.clear();
        let mut i = 0;
        while i < cands.len() {
            let tenant = cands[i].0;
            let mut ks = KeySet::default();
            let mut own_key = false;
            while i < cands.len() && cands[i].0 == tenant {
                ks.insert(cands[i].1);
                own_key |= !cands[i].2;
                i += 1;
            }
            let entry = &index.tenants[tenant as usize];
            let fields = exposed_fields(entry, row_fields);
            let confidence = decide(ks, fields, entry, person);
            distinct.push((own_key, held_mask(entry, row_fields)));
            out.push(Hit {
                tenant,
                file,
                line: pos.line,
                offset: pos.offset,
                keys: ks,
                fields,
                confidence,
                co,
                row_fp,
                loc: 0,
            });
        }
        lower_indistinct(&mut out[start..], distinct, &index.tenants);
        // A household match only matters when no person in the row was matched.
        let row = &mut out[start..];
        if row.iter().any(|h| h.confidence != Confidence::Household) {
            let kept: Vec<Hit> = row
                .iter()
                .copied()
                .filter(|h| h.confidence != Confidence::Household)
                .collect();
            out.truncate(start);
            out.extend(kept);
        }
        if out.len() > start {
            stats.rows_matched += 1;
            if out[start..].iter().any(|h| h.confidence.is_exposure()) {
                stats.rows_exposing += 1;
            }
            for h in &out[start..] {
                *stats
                    .hits
                    .entry(h.confidence.as_str().to_string())
                    .or_default() += 1;
            }
        }
    }
}

impl Matcher<'_> {
    /// Adds the counts kept per row (values that did not normalise) to `stats`.
    pub fn flush(&mut self, stats: &mut ScanStats) {
        stats.month_first_dates += std::mem::take(&mut self.month_first_dates);
        for (i, n) in self.invalid.iter_mut().enumerate() {
            if *n > 0 {
                *stats
                    .invalid_values
                    .entry(Role::ALL[i].as_str().to_string())
                    .or_default() += *n;
                *n = 0;
            }
        }
    }
}

/// A keyed fingerprint of normalised field values (their hashes, in order): equal for the same
/// record wherever it stands, meaningless without the key.
pub fn fingerprint<'f>(
    keys: &DerivedKeys,
    fields: impl Iterator<Item = &'f (FieldSlot, KeyHash)>,
) -> u64 {
    let mut all = Vec::with_capacity(17 * 16);
    for (slot, h) in fields {
        all.push(*slot as u8);
        all.extend_from_slice(h);
    }
    keys.fast_hash(&all).0
}

/// The tenant's fields present in the row: every row field hash the tenant also holds.
///
/// An address line counts only where the postcode does not say otherwise: "12 High Street"
/// in a row whose postcode is not the tenant's is another town's High Street, not the
/// tenant's address.
pub fn exposed_fields(entry: &TenantEntry, row_fields: &[(FieldSlot, KeyHash)]) -> FieldSet {
    let mut set: FieldSet = row_fields
        .iter()
        .filter(|(slot, h)| entry.has_hash(*slot, h))
        .map(|(slot, _)| slot.field())
        .collect();
    let row_postcode = row_fields
        .iter()
        .any(|(slot, _)| slot.field() == Field::Postcode);
    if set.contains(Field::Address)
        && !set.contains(Field::Postcode)
        && row_postcode
        && tenant_has(entry, Field::Postcode)
    {
        set.remove(Field::Address);
    }
    set
}

/// Which of the row's field values (a bit per `row_fields` entry, the first 64) the tenant
/// holds.
fn held_mask(entry: &TenantEntry, row_fields: &[(FieldSlot, KeyHash)]) -> u64 {
    row_fields
        .iter()
        .take(64)
        .enumerate()
        .filter(|(_, (slot, h))| entry.has_hash(*slot, h))
        .fold(0, |m, (i, _)| m | 1 << i)
}

/// Lowers to probable a confirmed hit that the row cannot tell from another tenant's: every
/// key it matched is held by another tenant too, and every value of the row it holds, another
/// tenant matched on the row holds as well. That is:
/// - a person key (name, date of birth, postcode) two tenants share: twins' surname + date of
///   birth + postcode, a father and son of one name at one address;
/// - an e-mail, phone, NI number, bank account or tenancy reference held by tenants of
///   different homes: a placeholder typed in for several, or a mistake. One home's shared
///   phone, joint account or tenancy reference is each tenant's own, and stays confirmed.
///
/// Joint tenants named in one row stay confirmed: each holds a name the other does not.
/// `distinct[i]` is hit `i`'s `(matched a key of its own, held_mask)`.
pub fn lower_indistinct(hits: &mut [Hit], distinct: &[(bool, u64)], tenants: &[TenantEntry]) {
    if hits.len() < 2 {
        return;
    }
    for i in 0..hits.len() {
        let (own_key, mine) = distinct[i];
        if own_key || hits[i].confidence != Confidence::Confirmed {
            continue;
        }
        let me = &tenants[hits[i].tenant as usize];
        let by_identifier = hits[i].keys.has_identifier();
        let covered = distinct.iter().enumerate().any(|(j, &(_, theirs))| {
            j != i
                && mine & !theirs == 0
                && !(by_identifier && me.same_home(&tenants[hits[j].tenant as usize]))
        });
        if covered {
            hits[i].confidence = Confidence::Probable;
        }
    }
}

fn tenant_has(entry: &TenantEntry, field: Field) -> bool {
    FieldSlot::ALL
        .into_iter()
        .filter(|s| s.field() == field)
        .any(|s| entry.has_slot(s))
}

/// The confidence rule (DESIGN.md, made stricter where it confirmed other people):
/// - a single-field identifier (e-mail, phone, NI number, bank, tenancy reference) confirms;
/// - a date of birth in the row that differs from the tenant's makes a name match a namesake
///   (a date of birth never changes; a son with his father's name at the same address is
///   another person), unless the row names two people ("John & Jane Smith"), whose one date
///   of birth may be the other's;
/// - surname + date of birth + postcode confirms, unless the row's name differs from the
///   tenant's (a twin, a sibling, or a nickname) or gives only an initial: then it is
///   probable, for review;
/// - name + date of birth confirms with the postcode or address agreeing;
/// - otherwise a name key is confirmed by another agreeing field only if no strong field of
///   the row (e-mail, phone, NI number, bank) differs: agreement of the address or postcode
///   alone says "same household", not "same person", so a differing strong field then makes
///   it probable. With nothing agreeing, a differing strong field makes it a namesake, and
///   nothing either way leaves it probable;
/// - address + postcode alone is a household.
pub fn decide(keys: KeySet, fields: FieldSet, entry: &TenantEntry, row: &Person) -> Confidence {
    if keys.has_identifier() {
        return Confidence::Confirmed;
    }
    let differs = |f: Field| row.has(f) && tenant_has(entry, f) && !fields.contains(f);
    let name_dob = keys.contains(KeyKind::NameDob);
    let name_pc = keys.contains(KeyKind::NamePostcode);
    if keys.contains(KeyKind::SurnameDobPostcode) {
        // Another first name, or only an initial ("MR P ADEYEMI"): a twin, a sibling, a
        // parent? For review.
        let unsure = differs(Field::Name) || (!row.has(Field::Name) && row.initial_given);
        return if unsure {
            Confidence::Probable
        } else {
            Confidence::Confirmed
        };
    }
    if !name_dob && !name_pc {
        return Confidence::Household;
    }
    // A joint row's one date of birth may be the other person's.
    if differs(Field::Dob) && !row.joint {
        return Confidence::Namesake;
    }
    let household =
        fields.contains(Field::Address) || (name_dob && fields.contains(Field::Postcode));
    if name_dob && household {
        return Confidence::Confirmed;
    }
    // Only the address can agree here: a tenancy reference, e-mail, phone, NI number or bank
    // that agrees is a matched identifier (returned above), and a date of birth that agrees
    // beside a matched name makes name + date of birth match (with the address, returned
    // above; without it, the date is the key's own field).
    let agreeing = fields.contains(Field::Address);
    let conflict = CONFLICT_FIELDS.into_iter().any(differs);
    match (agreeing, conflict) {
        (true, false) => Confidence::Confirmed,
        (true, true) | (false, false) => Confidence::Probable,
        (false, true) => Confidence::Namesake,
    }
}

/// The rule for values found near a name in free text (documents), where a date is not always
/// the date of birth (a visit date, a letter's date) and an e-mail or phone may be someone
/// else's: an agreeing address or postcode confirms, and a differing field makes a namesake only
/// when nothing agrees.
fn decide_in_text(keys: KeySet, fields: FieldSet, entry: &TenantEntry, row: &Person) -> Confidence {
    if keys.has_strong() {
        return Confidence::Confirmed;
    }
    let name_dob = keys.contains(KeyKind::NameDob);
    let name_pc = keys.contains(KeyKind::NamePostcode);
    if !name_dob && !name_pc {
        return Confidence::Household;
    }
    let agreeing = [
        Field::Dob,
        Field::Postcode,
        Field::Address,
        Field::Email,
        Field::Phone,
        Field::Nino,
        Field::Bank,
        Field::TenancyRef,
    ]
    .into_iter()
    .filter(|f| {
        // The fields the matched key itself is made of do not count as other evidence.
        let own_dob = name_dob && !name_pc && *f == Field::Dob;
        let own_postcode = name_pc && !name_dob && *f == Field::Postcode;
        !own_dob && !own_postcode
    })
    .any(|f| fields.contains(f));
    if agreeing {
        return Confidence::Confirmed;
    }
    let mut conflict_fields: Vec<Field> = CONFLICT_FIELDS.to_vec();
    if !name_dob {
        conflict_fields.push(Field::Dob);
    }
    let conflict = conflict_fields
        .into_iter()
        .any(|f| row.has(f) && tenant_has(entry, f) && !fields.contains(f));
    if conflict {
        Confidence::Namesake
    } else {
        Confidence::Probable
    }
}
