//! Content hash of article text.

/// FNV-1a, 64-bit, over the UTF-8 bytes of `text`.
///
/// Stable across platforms and releases: it is stored in the database and compared on
/// re-ingest, so changing it would make every article look changed.
pub fn content_hash(text: &str) -> u64 {
    const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    text.bytes()
        .fold(OFFSET_BASIS, |h, b| (h ^ u64::from(b)).wrapping_mul(PRIME))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_published_fnv1a_vectors() {
        assert_eq!(content_hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(content_hash("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(content_hash("foobar"), 0x8594_4171_f739_67e8);
        assert_ne!(content_hash("ab"), content_hash("ba"));
    }
}
