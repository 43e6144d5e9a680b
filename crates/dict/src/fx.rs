//! A fast, non-cryptographic hasher for the dictionaries' word-keyed lookup tables, after
//! the "Fx" hash of rustc and Firefox: each machine word of input is mixed in with one
//! rotate, one xor and one multiply.
//!
//! The tables are keyed by dictionary words and looked up with sentence words, never data
//! an attacker chooses to collide, so the standard library's DoS-resistant SipHash buys
//! nothing here and costs most of a short-word lookup. The hasher has no random seed, so a
//! table's layout is the same run to run (no lookup result depends on it either way). The
//! coder keys its own word tables with it too.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// `HashMap` with [`FxHasher`].
pub type FxHashMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;
/// `HashSet` with [`FxHasher`].
pub type FxHashSet<T> = HashSet<T, BuildHasherDefault<FxHasher>>;

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

/// The Fx hasher (deterministic: no random seed).
#[derive(Clone, Copy, Default)]
pub struct FxHasher {
    hash: u64,
}

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            // The tail as a little-endian word, zero-padded, assembled byte by byte: a
            // `copy_from_slice` of a variable length is a call to `memcpy`.
            self.add(read_le(rest));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

/// Up to 8 bytes as a little-endian word, zero-padded, without a call to `memcpy`: two
/// overlapping loads whose shared bytes agree, so or-ing them is exact.
#[inline]
fn read_le(b: &[u8]) -> u64 {
    let n = b.len();
    let u32_at = |k: usize| {
        b.get(k..k + 4)
            .and_then(|s| <[u8; 4]>::try_from(s).ok())
            .map_or(0, |a| u64::from(u32::from_le_bytes(a)))
    };
    let byte = |k: usize| b.get(k).map_or(0, |&x| u64::from(x));
    match n {
        0 => 0,
        1..=3 => byte(0) | byte(n / 2) << (8 * (n / 2)) | byte(n - 1) << (8 * (n - 1)),
        4..=8 => u32_at(0) | u32_at(n - 4) << (8 * (n - 4)),
        _ => 0,
    }
}

/// A set of words that answers "certainly not here" without hashing the word: it looks
/// at the length and the first, second and last bytes only, so most sentence words that
/// no dictionary phrase starts with are turned away in a few instructions, before a hash
/// table is consulted. It may say "maybe" for a word never inserted (then the table
/// answers), never "no" for one that was.
#[derive(Clone, Debug)]
pub struct WordFilter {
    bits: Box<[u64]>,
}

impl Default for WordFilter {
    fn default() -> WordFilter {
        WordFilter {
            bits: vec![0u64; WordFilter::SLOTS / 64].into_boxed_slice(),
        }
    }
}

impl WordFilter {
    /// 2^16 bits (8 KiB).
    const SLOTS: usize = 1 << 16;

    fn slot(word: &[u8]) -> usize {
        let (Some(&first), Some(&last)) = (word.first(), word.last()) else {
            return 0;
        };
        let second = word.get(1).copied().unwrap_or(0);
        let key = u64::from(first)
            | u64::from(second) << 8
            | u64::from(last) << 16
            | (word.len() as u64) << 24;
        // The top 16 bits of a multiplicative hash.
        (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 48) as usize
    }

    /// Adds a word.
    pub fn insert(&mut self, word: &str) {
        let k = WordFilter::slot(word.as_bytes());
        if let Some(b) = self.bits.get_mut(k / 64) {
            *b |= 1 << (k % 64);
        }
    }

    /// False when `word` was certainly never inserted.
    #[inline]
    pub fn may_contain(&self, word: &str) -> bool {
        let k = WordFilter::slot(word.as_bytes());
        self.bits
            .get(k / 64)
            .is_some_and(|b| b & (1 << (k % 64)) != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_find_keys_and_hashing_is_deterministic() {
        let mut m: FxHashMap<Box<str>, u32> = FxHashMap::default();
        for (i, w) in ["ITHILIEN", "RHUN", "A", "", "MINAS MORGUL", "ÉOWYN"]
            .iter()
            .enumerate()
        {
            m.insert((*w).into(), i as u32);
        }
        assert_eq!(m.get("MINAS MORGUL"), Some(&4));
        assert_eq!(m.get(""), Some(&3));
        assert_eq!(m.get("ÉOWYN"), Some(&5));
        assert_eq!(m.get("MINAS"), None);
        let h = |s: &str| {
            let mut h = FxHasher::default();
            h.write(s.as_bytes());
            h.finish()
        };
        assert_eq!(h("RHUN"), h("RHUN"));
        assert_ne!(h("RHUN"), h("RHUD"));
        // Words that differ only after the first 8 bytes still hash apart.
        assert_ne!(h("ABCDEFGHX"), h("ABCDEFGHY"));
        // The tail is read as a zero-padded little-endian word.
        let mut manual = FxHasher::default();
        manual.add(u64::from_le_bytes(*b"ABCDEFGH"));
        manual.add(u64::from_le_bytes([b'X', b'Y', b'Z', 0, 0, 0, 0, 0]));
        assert_eq!(h("ABCDEFGHXYZ"), manual.finish());
        for n in 0..=8 {
            let bytes = &b"ABCDEFGH"[..n];
            let mut w = [0u8; 8];
            w[..n].copy_from_slice(bytes);
            assert_eq!(read_le(bytes), u64::from_le_bytes(w), "{n} bytes");
        }
    }

    #[test]
    fn the_word_filter_never_turns_away_a_word_it_holds() {
        let mut f = WordFilter::default();
        let words = ["ITHILIEN", "RHUN", "A", "", "MINAS", "ÉOWYN", "GONDOR'S"];
        for w in words {
            f.insert(w);
        }
        for w in words {
            assert!(f.may_contain(w), "{w}");
        }
        let others = ["THE", "SAID", "ON", "ARNOR", "MORDOR", "SHIRE", "BREE"];
        assert!(others.iter().any(|w| !f.may_contain(w)));
    }
}
