//! The `.bmx` byte layout, and the checks made when opening one.
//!
//! All integers little-endian:
//! ```text
//! magic "BMXINDEX" | format u32 | normalize version u32 | key fingerprint 16 ASCII hex
//! tenants u32 | entries u64 | bits per key u32 | bloom K u32 | keys per kind 10 x u32
//! SHA-256 of the tenants file 32 bytes (format 2 on)
//! bloom blocks u64 | blocks x 64 bytes
//! entries x (key hash 16 | kind u8 | tenant u32), sorted by hash
//! tenants x (id len u16 | id | field count u16 | fields x (slot u8 | hash 16))
//! SHA-256 of everything above (32 bytes)
//! ```
//! A wrong magic, a newer format, a different normalisation version, a checksum mismatch, a
//! truncated file or the wrong key each give one clear error, never a panic or a silent result.

use super::{BlockedBloom, Index, TenantEntry};
use crate::keys::{FieldSlot, KeyKind};
use crate::secret::{DerivedKeys, HASH_LEN};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// File magic.
pub const MAGIC: &[u8; 8] = b"BMXINDEX";
/// The format this build writes (it reads this one and older ones).
///
/// 2: the SHA-256 of the tenants file follows the key counts.
pub const FORMAT_VERSION: u32 = 2;

/// What an index says about itself (shown by `inspect`, recorded in manifests).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexHeader {
    /// Format version.
    pub format_version: u32,
    /// Normalisation version of the normalisers that built it.
    pub normalize_version: u32,
    /// Fingerprint of the key it was built with.
    pub key_fingerprint: String,
    /// Number of tenants.
    pub tenants: u32,
    /// Number of exact-table entries.
    pub entries: u64,
    /// Bloom bits per key.
    pub bloom_bits_per_key: u32,
    /// Bloom bits set per key.
    pub bloom_k: u32,
    /// Bloom size in bits.
    pub bloom_bits: u64,
    /// Estimated Bloom false-positive rate from its fill.
    pub bloom_fpr: f64,
    /// Keys per kind, as `(kind, count)`.
    pub keys_per_kind: Vec<(KeyKind, u32)>,
    /// SHA-256 of the tenants file the index was built from (hex; empty for format 1).
    #[serde(default)]
    pub tenants_sha256: String,
}

/// Errors opening or writing an index.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// I/O failure.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        #[source]
        source: std::io::Error,
    },
    /// Not an index at all.
    #[error("{path} is not a breachmatch index (.bmx): wrong magic bytes")]
    NotAnIndex {
        /// The file.
        path: PathBuf,
    },
    /// Made by a newer breachmatch.
    #[error(
        "{path} was made by a newer breachmatch (index format {found}); this one reads format {FORMAT_VERSION}: upgrade breachmatch"
    )]
    NewerFormat {
        /// The file.
        path: PathBuf,
        /// Its format version.
        found: u32,
    },
    /// Made with other normalisation rules: its keys would silently not match.
    #[error(
        "{path} was built with normalisation version {found}, this breachmatch uses {expected}: rebuild the index with `breachmatch index`"
    )]
    NormalizeVersion {
        /// The file.
        path: PathBuf,
        /// In the file.
        found: u32,
        /// Ours.
        expected: u32,
    },
    /// Damaged.
    #[error("{path} is corrupted ({why}): rebuild it or copy it again")]
    Corrupted {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        why: String,
    },
    /// Built with a different key.
    #[error(
        "wrong key for {path}: the index was built with key fingerprint {index}, the key given has fingerprint {given}"
    )]
    WrongKey {
        /// The file.
        path: PathBuf,
        /// Fingerprint in the index.
        index: String,
        /// Fingerprint of the key given.
        given: String,
    },
}

/// Serialises an index (with its checksum) to bytes.
pub fn to_bytes(index: &Index) -> Vec<u8> {
    let h = &index.header;
    let mut out = Vec::with_capacity(
        64 + index.bloom.blocks().len() * 64 + index.hashes.len() * 21 + index.tenants.len() * 64,
    );
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&h.format_version.to_le_bytes());
    out.extend_from_slice(&h.normalize_version.to_le_bytes());
    let mut fp = [b'0'; 16];
    for (d, s) in fp.iter_mut().zip(h.key_fingerprint.bytes()) {
        *d = s;
    }
    out.extend_from_slice(&fp);
    out.extend_from_slice(&h.tenants.to_le_bytes());
    out.extend_from_slice(&(index.hashes.len() as u64).to_le_bytes());
    out.extend_from_slice(&h.bloom_bits_per_key.to_le_bytes());
    out.extend_from_slice(&h.bloom_k.to_le_bytes());
    for kind in KeyKind::ALL {
        let n = h
            .keys_per_kind
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(0, |(_, n)| *n);
        out.extend_from_slice(&n.to_le_bytes());
    }
    let mut sha = [0u8; 32];
    if let Ok(b) = hex::decode(&h.tenants_sha256) {
        for (d, s) in sha.iter_mut().zip(b) {
            *d = s;
        }
    }
    out.extend_from_slice(&sha);
    out.extend_from_slice(&(index.bloom.blocks().len() as u64).to_le_bytes());
    for block in index.bloom.blocks() {
        for w in block {
            out.extend_from_slice(&w.to_le_bytes());
        }
    }
    for (hash, (kind, tenant)) in index.hashes.iter().zip(&index.postings) {
        out.extend_from_slice(hash);
        out.push(*kind as u8);
        out.extend_from_slice(&tenant.to_le_bytes());
    }
    for t in &index.tenants {
        let id = t.id.as_bytes();
        out.extend_from_slice(&(id.len().min(u16::MAX as usize) as u16).to_le_bytes());
        out.extend_from_slice(&id[..id.len().min(u16::MAX as usize)]);
        out.extend_from_slice(&(t.fields.len() as u16).to_le_bytes());
        for (slot, hash) in &t.fields {
            out.push(*slot as u8);
            out.extend_from_slice(hash);
        }
    }
    let sum = Sha256::digest(&out);
    out.extend_from_slice(&sum);
    out
}

/// Writes an index atomically (temp file, then rename).
pub fn write(index: &Index, path: &Path) -> Result<(), IndexError> {
    crate::results::atomic::write_bytes(path, &to_bytes(index)).map_err(|source| IndexError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Reads an index and checks it against the key. Errors say which check failed.
pub fn read(path: &Path, keys: &DerivedKeys) -> Result<Index, IndexError> {
    let bytes = fs_err::read(path).map_err(|source| IndexError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let index = from_bytes(&bytes, path)?;
    if index.header.key_fingerprint != keys.fingerprint {
        return Err(IndexError::WrongKey {
            path: path.to_path_buf(),
            index: index.header.key_fingerprint.clone(),
            given: keys.fingerprint.clone(),
        });
    }
    Ok(index)
}

struct Cursor<'a> {
    buf: &'a [u8],
    pos: usize,
    path: &'a Path,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], IndexError> {
        if self.buf.len() - self.pos < n {
            return Err(IndexError::Corrupted {
                path: self.path.to_path_buf(),
                why: format!("truncated at byte {}", self.pos),
            });
        }
        let s = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }
    fn u16(&mut self) -> Result<u16, IndexError> {
        Ok(u16::from_le_bytes(
            self.take(2)?.try_into().expect("2 bytes"),
        ))
    }
    fn u32(&mut self) -> Result<u32, IndexError> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }
    fn u64(&mut self) -> Result<u64, IndexError> {
        Ok(u64::from_le_bytes(
            self.take(8)?.try_into().expect("8 bytes"),
        ))
    }
    fn corrupted(&self, why: impl Into<String>) -> IndexError {
        IndexError::Corrupted {
            path: self.path.to_path_buf(),
            why: why.into(),
        }
    }
}

/// Parses index bytes (checks magic, versions and checksum; not the key).
pub fn from_bytes(bytes: &[u8], path: &Path) -> Result<Index, IndexError> {
    if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
        return Err(IndexError::NotAnIndex {
            path: path.to_path_buf(),
        });
    }
    let mut c = Cursor {
        buf: bytes,
        pos: MAGIC.len(),
        path,
    };
    let format_version = c.u32()?;
    if format_version > FORMAT_VERSION {
        return Err(IndexError::NewerFormat {
            path: path.to_path_buf(),
            found: format_version,
        });
    }
    if bytes.len() < 32 + c.pos {
        return Err(c.corrupted("truncated"));
    }
    let (body, sum) = bytes.split_at(bytes.len() - 32);
    if Sha256::digest(body).as_slice() != sum {
        return Err(c.corrupted("checksum mismatch"));
    }
    c.buf = body;
    let normalize_version = c.u32()?;
    if normalize_version != crate::normalize::NORMALIZE_VERSION {
        return Err(IndexError::NormalizeVersion {
            path: path.to_path_buf(),
            found: normalize_version,
            expected: crate::normalize::NORMALIZE_VERSION,
        });
    }
    let key_fingerprint = String::from_utf8_lossy(c.take(16)?).into_owned();
    let tenants_n = c.u32()?;
    let entries = c.u64()?;
    let bloom_bits_per_key = c.u32()?;
    let bloom_k = c.u32()?;
    let mut keys_per_kind = Vec::new();
    for kind in KeyKind::ALL {
        keys_per_kind.push((kind, c.u32()?));
    }
    let tenants_sha256 = if format_version >= 2 {
        hex::encode(c.take(32)?)
    } else {
        String::new()
    };
    let nblocks = c.u64()?;
    if nblocks == 0 || nblocks.saturating_mul(64) > (c.buf.len() - c.pos) as u64 {
        return Err(c.corrupted("bloom filter size out of range"));
    }
    let raw = c.take(nblocks as usize * 64)?;
    let blocks: Vec<[u64; 8]> = raw
        .chunks_exact(64)
        .map(|ch| {
            let mut b = [0u64; 8];
            for (i, w) in ch.chunks_exact(8).enumerate() {
                b[i] = u64::from_le_bytes(w.try_into().expect("8 bytes"));
            }
            b
        })
        .collect();
    let bloom = BlockedBloom::from_blocks(blocks).ok_or_else(|| c.corrupted("empty bloom"))?;
    if entries.saturating_mul(21) > (c.buf.len() - c.pos) as u64 {
        return Err(c.corrupted("entry count out of range"));
    }
    let mut hashes = Vec::with_capacity(entries as usize);
    let mut postings = Vec::with_capacity(entries as usize);
    for _ in 0..entries {
        let e = c.take(HASH_LEN + 5)?;
        let mut h = [0u8; HASH_LEN];
        h.copy_from_slice(&e[..HASH_LEN]);
        let kind = KeyKind::from_u8(e[HASH_LEN]).ok_or_else(|| c.corrupted("unknown key kind"))?;
        let tenant = u32::from_le_bytes(e[HASH_LEN + 1..].try_into().expect("4 bytes"));
        if tenant >= tenants_n {
            return Err(c.corrupted("entry points past the tenant table"));
        }
        hashes.push(h);
        postings.push((kind, tenant));
    }
    if hashes.windows(2).any(|w| w[0] > w[1]) {
        return Err(c.corrupted("exact table not sorted"));
    }
    let mut tenants = Vec::with_capacity(tenants_n.min(10_000_000) as usize);
    for _ in 0..tenants_n {
        let n = c.u16()? as usize;
        let id = String::from_utf8_lossy(c.take(n)?).into_owned();
        let nf = c.u16()? as usize;
        let mut fields = Vec::with_capacity(nf);
        for _ in 0..nf {
            let e = c.take(HASH_LEN + 1)?;
            let slot = FieldSlot::from_u8(e[0]).ok_or_else(|| c.corrupted("unknown field slot"))?;
            let mut h = [0u8; HASH_LEN];
            h.copy_from_slice(&e[1..]);
            fields.push((slot, h));
        }
        tenants.push(TenantEntry { id, fields });
    }
    if c.pos != c.buf.len() {
        return Err(c.corrupted("trailing bytes"));
    }
    let bloom_fpr = bloom.estimated_fpr();
    let header = IndexHeader {
        format_version,
        normalize_version,
        key_fingerprint,
        tenants: tenants_n,
        entries,
        bloom_bits_per_key,
        bloom_k,
        bloom_bits: bloom.bits(),
        bloom_fpr,
        keys_per_kind,
        tenants_sha256,
    };
    Ok(Index::new(header, bloom, hashes, postings, tenants))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(tail in proptest::collection::vec(any::<u8>(), 0..400), version in 0u32..3) {
            let mut bytes = MAGIC.to_vec();
            bytes.extend_from_slice(&version.to_le_bytes());
            if version == FORMAT_VERSION {
                // Get past the version checks, so the counts and tables are parsed too.
                bytes.extend_from_slice(&crate::normalize::NORMALIZE_VERSION.to_le_bytes());
                bytes.extend_from_slice(b"0123456789abcdef");
            }
            bytes.extend_from_slice(&tail);
            let _ = from_bytes(&bytes, Path::new("x.bmx"));
            // With a valid checksum the body is parsed: it must still fail cleanly.
            let sum = Sha256::digest(&bytes);
            bytes.extend_from_slice(&sum);
            let _ = from_bytes(&bytes, Path::new("x.bmx"));
        }
    }
}
