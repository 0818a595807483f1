//! Criterion micro-benchmarks of the hot path: normalisers, candidate keys per row, the keyed
//! prefilter (our blocked Bloom vs the bloomfilter crate), and the HMAC confirm.
//! Run: `cargo bench --bench micro`. Figures are for comparison within one run.

use breachmatch::index::bloom::{BlockedBloom, DEFAULT_BITS_PER_KEY};
use breachmatch::keys::Person;
use breachmatch::normalize::{FieldKind, normalize_into};
use breachmatch::roles::Role;
use breachmatch::secret::Secret;
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

fn normalisers(c: &mut Criterion) {
    let cases = [
        (FieldKind::Name, "Mrs Siân O'Neill-Smith"),
        (FieldKind::Dob, "12/03/1985"),
        (FieldKind::Postcode, "sw1a 1aa"),
        (FieldKind::Email, "John.Smith+shop@GoogleMail.com"),
        (FieldKind::EmailFolded, "John.Smith+shop@GoogleMail.com"),
        (FieldKind::Phone, "+44 (0)7700 900123"),
        (FieldKind::Nino, "AB 12 34 57 C"),
        (FieldKind::SortCode, "12-34-56"),
        (FieldKind::AccountNumber, "12345678"),
        (FieldKind::TenancyRef, "TEN-000123"),
        (FieldKind::AddressLine, "Flat 3, 12 High St"),
    ];
    let mut g = c.benchmark_group("normalise");
    let mut out = String::new();
    for (kind, v) in cases {
        g.bench_function(kind.as_str(), |b| {
            b.iter(|| normalize_into(kind, black_box(v), &mut out))
        });
    }
    g.finish();
}

fn keys_per_row(c: &mut Criterion) {
    let cells = [
        (Role::FullName, "Mrs Siân O'Neill"),
        (Role::Email, "SIAN.ONEILL@GMAIL.COM"),
        (Role::Dob, "1985-03-12"),
        (Role::Postcode, "ls14ab"),
        (Role::Phone, "+44 7700 900123"),
        (Role::AddressLine1, "Flat 3 12 High Street"),
    ];
    let mut p = Person::default();
    let mut buf = Vec::new();
    c.bench_function("row: normalise + build keys", |b| {
        b.iter(|| {
            p.clear();
            p.fill(cells.iter().copied(), |_| {});
            let mut n = 0;
            p.for_each_key(&mut buf, |_, k| n += k.len());
            black_box(n)
        })
    });
}

fn prefilter(c: &mut Criterion) {
    let keys = Secret::from_bytes(&[9u8; 32], "bench").unwrap().derive();
    let n = 1_500_000usize;
    let mut ours = BlockedBloom::with_capacity(n, DEFAULT_BITS_PER_KEY);
    let mut theirs = bloomfilter::Bloom::new_for_fp_rate(n, 1e-4).unwrap();
    for i in 0..n {
        let k = format!("\x01tenant{i}@example.com");
        ours.insert(keys.fast_hash(k.as_bytes()));
        theirs.set(&keys.key_mac.hash(k.as_bytes()));
    }
    let probe = b"\x01someone.else@example.com";
    let mut g = c.benchmark_group("prefilter (absent key)");
    g.bench_function("siphash13 + blocked bloom (ours)", |b| {
        b.iter(|| ours.contains(keys.fast_hash(black_box(probe))))
    });
    g.bench_function("hmac + bloomfilter crate", |b| {
        b.iter(|| theirs.check(&keys.key_mac.hash(black_box(probe))))
    });
    g.bench_function("siphash13 alone", |b| {
        b.iter(|| keys.fast_hash(black_box(probe)))
    });
    g.bench_function("hmac-sha256 confirm alone", |b| {
        b.iter(|| keys.key_mac.hash(black_box(probe)))
    });
    g.finish();
}

criterion_group!(benches, normalisers, keys_per_row, prefilter);
criterion_main!(benches);
