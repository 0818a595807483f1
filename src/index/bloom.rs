//! A blocked Bloom filter over precomputed keyed hashes.
//!
//! Each key sets [`K`] bits inside one 512-bit block (one cache line), chosen by a 128-bit
//! keyed hash computed by the caller ([`crate::secret::DerivedKeys::fast_hash`]). A probe touches
//! one cache line, and the filter stores no hash keys: without the secret its bits say nothing
//! about who is in it. The `bloomfilter` crate is the measured baseline in `benches/micro.rs`;
//! it hashes with SipHash twice per probe and stores its own keys, so it would have to be fed
//! values already keyed by the secret.

/// Bits set per key.
pub const K: u32 = 7;
/// Bits per block.
const BLOCK_BITS: u64 = 512;
/// Default bits per key: about 1e-4 false positives for a blocked filter with K = 7.
pub const DEFAULT_BITS_PER_KEY: u32 = 24;

/// A blocked Bloom filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockedBloom {
    blocks: Vec<[u64; 8]>,
}

impl BlockedBloom {
    /// An empty filter sized for `keys` keys at `bits_per_key` bits each (at least one block).
    pub fn with_capacity(keys: usize, bits_per_key: u32) -> BlockedBloom {
        let bits = (keys as u64).saturating_mul(u64::from(bits_per_key));
        let n = bits.div_ceil(BLOCK_BITS).max(1) as usize;
        BlockedBloom {
            blocks: vec![[0u64; 8]; n],
        }
    }

    /// Rebuilds a filter from its blocks (as read from an index file).
    pub fn from_blocks(blocks: Vec<[u64; 8]>) -> Option<BlockedBloom> {
        (!blocks.is_empty()).then_some(BlockedBloom { blocks })
    }

    /// The raw blocks, for writing.
    pub fn blocks(&self) -> &[[u64; 8]] {
        &self.blocks
    }

    /// Size in bits.
    pub fn bits(&self) -> u64 {
        self.blocks.len() as u64 * BLOCK_BITS
    }

    #[inline]
    fn block_of(&self, h1: u64) -> usize {
        ((u128::from(h1) * self.blocks.len() as u128) >> 64) as usize
    }

    /// Adds a key by its two 64-bit hashes.
    pub fn insert(&mut self, (h1, h2): (u64, u64)) {
        let b = self.block_of(h1);
        let block = &mut self.blocks[b];
        for i in 0..K {
            let bit = (h2 >> (i * 9)) & 511;
            block[(bit >> 6) as usize] |= 1 << (bit & 63);
        }
    }

    /// Asks for the block a key falls in to be fetched into cache, without waiting for it:
    /// issued for a row's keys before the previous row is checked, the fetch overlaps with
    /// that work (a plain load would stall). A no-op on targets other than x86-64.
    #[inline]
    pub fn prefetch(&self, h1: u64) {
        #[cfg(target_arch = "x86_64")]
        safe_arch::prefetch_t0(&self.blocks[self.block_of(h1)]);
        #[cfg(not(target_arch = "x86_64"))]
        let _ = h1;
    }

    /// Whether a key may be present (false positives possible, false negatives not).
    #[inline]
    pub fn contains(&self, (h1, h2): (u64, u64)) -> bool {
        let block = &self.blocks[self.block_of(h1)];
        (0..K).all(|i| {
            let bit = (h2 >> (i * 9)) & 511;
            block[(bit >> 6) as usize] & (1 << (bit & 63)) != 0
        })
    }

    /// The expected false-positive rate for a random absent key, from the actual fill of each
    /// block: the mean over blocks of (share of bits set)^K.
    pub fn estimated_fpr(&self) -> f64 {
        let sum: f64 = self
            .blocks
            .iter()
            .map(|b| {
                let set: u32 = b.iter().map(|w| w.count_ones()).sum();
                (f64::from(set) / BLOCK_BITS as f64).powi(K as i32)
            })
            .sum();
        sum / self.blocks.len() as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(i: u64) -> (u64, u64) {
        let a = i.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xDEAD_BEEF;
        let b = a.rotate_left(29).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        (a, b)
    }

    #[test]
    fn no_false_negatives_and_low_false_positives() {
        let n = 100_000;
        let mut bloom = BlockedBloom::with_capacity(n, DEFAULT_BITS_PER_KEY);
        for i in 0..n as u64 {
            bloom.insert(h(i));
        }
        assert!((0..n as u64).all(|i| bloom.contains(h(i))));
        let fp = (n as u64..n as u64 + 200_000)
            .filter(|&i| bloom.contains(h(i)))
            .count();
        let rate = fp as f64 / 200_000.0;
        assert!(rate < 1e-3, "false-positive rate {rate}");
        let est = bloom.estimated_fpr();
        assert!(est > 0.0 && est < 1e-3, "estimate {est}");
    }

    #[test]
    fn empty_filter_has_one_block() {
        let b = BlockedBloom::with_capacity(0, 24);
        assert_eq!(b.bits(), 512);
        assert!(!b.contains(h(1)));
        assert!(BlockedBloom::from_blocks(vec![]).is_none());
    }
}
