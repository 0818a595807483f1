//! `breachmatch inspect`: what an index holds, without the key and without plaintext.
//!
//! Prints versions, counts, key kinds, Bloom filter size and false-positive rate, and the key
//! fingerprint, so a partner can check what they were given. The checksum is verified.
//!
//! Examples:
//!   breachmatch inspect tenants.bmx

use super::{Exit, ui::Ui};
use std::path::PathBuf;

/// Arguments of `inspect`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The index file.
    pub index: PathBuf,
}

/// Runs `inspect`.
#[allow(clippy::print_stdout)]
pub fn run(args: Args, _ui: &Ui) -> anyhow::Result<Exit> {
    let bytes = fs_err::read(&args.index)?;
    let idx = breachmatch::index::format::from_bytes(&bytes, &args.index)?;
    let h = &idx.header;
    println!("index:               {}", args.index.display());
    println!("format version:      {}", h.format_version);
    println!("normalise version:   {}", h.normalize_version);
    println!("key fingerprint:     {}", h.key_fingerprint);
    println!("tenants:             {}", h.tenants);
    if !h.tenants_sha256.is_empty() {
        println!("tenants file SHA-256: {}", h.tenants_sha256);
    }
    println!("exact-table entries: {}", h.entries);
    println!(
        "bloom filter:        {} bits ({} bits per key, {} bits set per key), estimated false-positive rate {:.2e}",
        h.bloom_bits, h.bloom_bits_per_key, h.bloom_k, h.bloom_fpr
    );
    println!("keys per kind:");
    for (k, n) in &h.keys_per_kind {
        println!("  {:<22} {n}", k.as_str());
    }
    println!("checksum:            ok ({} bytes)", bytes.len());
    Ok(Exit::Ok)
}
