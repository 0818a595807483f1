//! The secret key and everything derived from it.
//!
//! One 32-byte secret drives the whole tool. Each purpose gets its own sub-key, derived as
//! `HMAC-SHA256(secret, "breachmatch/v1/" + label)` (HKDF-expand style, one block), so that a
//! value hashed for one purpose can never be confused with another. The secret is never printed:
//! [`Secret`]'s `Debug` is redacted, and it is read only from a file or an environment variable.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use siphasher::sip128::{Hasher128, SipHasher13};
use std::hash::Hasher;
use std::path::{Path, PathBuf};

/// Length of the secret in bytes.
pub const SECRET_LEN: usize = 32;

/// The environment variable that may hold the key as 64 hex digits.
pub const KEY_ENV: &str = "BREACHMATCH_KEY";

/// Length of the truncated HMAC values stored in the index (128 bits).
pub const HASH_LEN: usize = 16;

/// A truncated keyed hash as stored in the index.
pub type KeyHash = [u8; HASH_LEN];

type HmacSha256 = Hmac<Sha256>;

/// Errors reading or checking a key.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The key file could not be read.
    #[error("cannot read key file {path}: {source}")]
    Read {
        /// The key file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The key has the wrong length.
    #[error(
        "key {origin} has {len} bytes; a breachmatch key has exactly 32 (make one with `breachmatch keygen`)"
    )]
    Length {
        /// Where the key came from.
        origin: String,
        /// Bytes found.
        len: usize,
    },
    /// The environment variable did not hold hex.
    #[error("{KEY_ENV} must hold 64 hexadecimal digits")]
    BadHex,
    /// No key was given.
    #[error("no key given: pass --key-file FILE or set {KEY_ENV}")]
    Missing,
}

/// The 32-byte secret. Its `Debug` output never shows the bytes.
#[derive(Clone)]
pub struct Secret([u8; SECRET_LEN]);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl Secret {
    /// A fresh random secret from the operating system's generator.
    pub fn random() -> Secret {
        let mut bytes = [0u8; SECRET_LEN];
        rand::fill(&mut bytes);
        Secret(bytes)
    }

    /// Wraps raw bytes; errors unless there are exactly 32.
    pub fn from_bytes(bytes: &[u8], origin: &str) -> Result<Secret, KeyError> {
        let arr: [u8; SECRET_LEN] = bytes.try_into().map_err(|_| KeyError::Length {
            origin: origin.to_string(),
            len: bytes.len(),
        })?;
        Ok(Secret(arr))
    }

    /// Reads a key file: 32 raw bytes, or 64 hex digits (whitespace ignored).
    pub fn from_file(path: &Path) -> Result<Secret, KeyError> {
        let bytes = fs_err::read(path).map_err(|e| KeyError::Read {
            path: path.to_path_buf(),
            source: std::io::Error::new(e.kind(), e.to_string()),
        })?;
        let origin = format!("file {}", path.display());
        if bytes.len() == SECRET_LEN {
            return Secret::from_bytes(&bytes, &origin);
        }
        let text: String = String::from_utf8_lossy(&bytes)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        match hex::decode(&text) {
            Ok(raw) => Secret::from_bytes(&raw, &origin),
            Err(_) => Err(KeyError::Length {
                origin,
                len: bytes.len(),
            }),
        }
    }

    /// Reads the key from [`KEY_ENV`] if set.
    pub fn from_env() -> Result<Option<Secret>, KeyError> {
        match std::env::var(KEY_ENV) {
            Ok(v) => {
                let raw = hex::decode(v.trim()).map_err(|_| KeyError::BadHex)?;
                Secret::from_bytes(&raw, KEY_ENV).map(Some)
            }
            Err(_) => Ok(None),
        }
    }

    /// The raw bytes, for writing a key file. Never log them.
    pub fn expose_bytes(&self) -> &[u8; SECRET_LEN] {
        &self.0
    }

    /// Derives the per-purpose keys used by index and scan.
    pub fn derive(&self) -> DerivedKeys {
        let sub = |label: &str| -> [u8; 32] {
            let mut mac = <HmacSha256 as KeyInit>::new_from_slice(&self.0)
                .expect("HMAC takes keys of any length");
            mac.update(b"breachmatch/v1/");
            mac.update(label.as_bytes());
            mac.finalize().into_bytes().into()
        };
        let bloom = sub("bloom-siphash");
        let fp = sub("fingerprint");
        DerivedKeys {
            key_mac: Keyed::new(&sub("match-key")),
            field_mac: Keyed::new(&sub("tenant-field")),
            bloom_k0: u64::from_le_bytes(bloom[0..8].try_into().expect("8 bytes")),
            bloom_k1: u64::from_le_bytes(bloom[8..16].try_into().expect("8 bytes")),
            fingerprint: hex::encode(&fp[..8]),
        }
    }
}

/// A pre-keyed HMAC-SHA256 state, cloned for each message (cheaper than re-keying).
#[derive(Clone)]
pub struct Keyed(HmacSha256);

impl Keyed {
    fn new(key: &[u8; 32]) -> Keyed {
        Keyed(<HmacSha256 as KeyInit>::new_from_slice(key).expect("HMAC takes keys of any length"))
    }

    /// HMAC of `msg`, truncated to [`HASH_LEN`] bytes.
    pub fn hash(&self, msg: &[u8]) -> KeyHash {
        let mut mac = self.0.clone();
        mac.update(msg);
        let full = mac.finalize().into_bytes();
        let mut out = [0u8; HASH_LEN];
        out.copy_from_slice(&full[..HASH_LEN]);
        out
    }
}

/// The per-purpose keys derived from one [`Secret`].
#[derive(Clone)]
pub struct DerivedKeys {
    /// HMAC for match keys (the exact table).
    pub key_mac: Keyed,
    /// HMAC for per-tenant field hashes.
    pub field_mac: Keyed,
    bloom_k0: u64,
    bloom_k1: u64,
    /// Public fingerprint of the key (16 hex digits): tells whether two parties hold the same key
    /// without revealing it.
    pub fingerprint: String,
}

impl std::fmt::Debug for DerivedKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DerivedKeys(fingerprint {})", self.fingerprint)
    }
}

impl DerivedKeys {
    /// The keyed fast hash (SipHash-1-3, 128 bits) that feeds the Bloom filter. Its keys derive
    /// from the secret and are never stored, so the Bloom filter is no membership oracle without it.
    #[inline]
    pub fn fast_hash(&self, msg: &[u8]) -> (u64, u64) {
        let mut h = SipHasher13::new_with_keys(self.bloom_k0, self.bloom_k1);
        h.write(msg);
        let r = h.finish128();
        (r.h1, r.h2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        let s = Secret::from_bytes(&[7u8; 32], "test").unwrap();
        assert_eq!(format!("{s:?}"), "Secret(<redacted>)");
        assert!(!format!("{:?}", s.derive()).contains("07070707"));
    }

    #[test]
    fn wrong_length_is_an_error() {
        let err = Secret::from_bytes(&[1u8; 31], "file k").unwrap_err();
        assert!(err.to_string().contains("31 bytes"), "{err}");
    }

    #[test]
    fn derived_keys_differ_by_purpose_and_secret() {
        let a = Secret::from_bytes(&[1u8; 32], "a").unwrap().derive();
        let b = Secret::from_bytes(&[2u8; 32], "b").unwrap().derive();
        assert_ne!(a.key_mac.hash(b"x"), a.field_mac.hash(b"x"));
        assert_ne!(a.key_mac.hash(b"x"), b.key_mac.hash(b"x"));
        assert_ne!(a.fast_hash(b"x"), b.fast_hash(b"x"));
        assert_ne!(a.fingerprint, b.fingerprint);
        assert_eq!(a.fingerprint.len(), 16);
    }

    #[test]
    fn hex_key_file_is_accepted() {
        let dir = std::env::temp_dir().join(format!("bm-secret-{}", std::process::id()));
        fs_err::create_dir_all(&dir).unwrap();
        let p = dir.join("k.hex");
        fs_err::write(&p, format!("{}\n", "ab".repeat(32))).unwrap();
        let s = Secret::from_file(&p).unwrap();
        assert_eq!(s.expose_bytes(), &[0xab; 32]);
        fs_err::write(&p, "abc").unwrap();
        assert!(Secret::from_file(&p).is_err());
        fs_err::remove_dir_all(&dir).unwrap();
    }
}
