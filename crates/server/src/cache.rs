//! A small cache of serialized answers to the aggregate queries (dyad series, top dyads).
//!
//! A dashboard asks the same few series over and over, and a daily series of a busy dyad
//! reads thousands of summary rows. An entry is reused while it is younger than the
//! configured time to live **and** no ingest through this server has committed since the
//! query started (a generation counter); writes by other processes on the same file show
//! once the entry expires.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::body::Bytes;

/// Entries kept at most; past that, expired entries go, then all of them.
const MAX_ENTRIES: usize = 4096;

/// Bytes of answers kept at most (same rule as [`MAX_ENTRIES`]).
const MAX_BYTES: usize = 64 * 1024 * 1024;

struct Entry {
    made: Instant,
    generation: u64,
    body: Bytes,
}

#[derive(Default)]
struct Map {
    entries: HashMap<String, Entry>,
    bytes: usize,
}

/// Serialized answers by query key.
pub(crate) struct ResponseCache {
    ttl: Duration,
    generation: AtomicU64,
    map: Mutex<Map>,
}

impl ResponseCache {
    /// A cache whose entries live `ttl` at most; a zero `ttl` keeps nothing.
    pub(crate) fn new(ttl: Duration) -> ResponseCache {
        ResponseCache {
            ttl,
            generation: AtomicU64::new(0),
            map: Mutex::new(Map::default()),
        }
    }

    /// The current generation: read it before running a query, give it to [`put`].
    ///
    /// [`put`]: ResponseCache::put
    pub(crate) fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Forgets every answer: call after a write to the store has committed.
    pub(crate) fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    /// The answer stored under `key`, if still valid.
    pub(crate) fn get(&self, key: &str) -> Option<Bytes> {
        if self.ttl.is_zero() {
            return None;
        }
        let generation = self.generation();
        let map = self.map.lock().ok()?;
        let entry = map.entries.get(key)?;
        (entry.generation == generation && entry.made.elapsed() < self.ttl)
            .then(|| entry.body.clone())
    }

    /// Keeps `body` under `key`, computed from a snapshot taken at `generation`.
    pub(crate) fn put(&self, key: String, generation: u64, made: Instant, body: Bytes) {
        if self.ttl.is_zero() || generation != self.generation() || body.len() > MAX_BYTES / 8 {
            return;
        }
        let Ok(mut map) = self.map.lock() else {
            return;
        };
        if map.entries.len() >= MAX_ENTRIES || map.bytes + body.len() > MAX_BYTES {
            let (ttl, current) = (self.ttl, self.generation());
            map.entries
                .retain(|_, e| e.generation == current && e.made.elapsed() < ttl);
            map.bytes = map.entries.values().map(|e| e.body.len()).sum();
            if map.entries.len() >= MAX_ENTRIES || map.bytes + body.len() > MAX_BYTES {
                map.entries.clear();
                map.bytes = 0;
            }
        }
        map.bytes += body.len();
        let entry = Entry {
            made,
            generation,
            body,
        };
        if let Some(old) = map.entries.insert(key, entry) {
            map.bytes -= old.body.len();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_and_writes_invalidate_them() {
        let cache = ResponseCache::new(Duration::from_secs(60));
        let g = cache.generation();
        cache.put("a".into(), g, Instant::now(), Bytes::from_static(b"one"));
        assert_eq!(cache.get("a").as_deref(), Some(&b"one"[..]));
        assert_eq!(cache.get("b"), None);
        cache.invalidate();
        assert_eq!(cache.get("a"), None);
        // An answer computed before the write is not kept.
        cache.put("a".into(), g, Instant::now(), Bytes::from_static(b"old"));
        assert_eq!(cache.get("a"), None);

        let old = Instant::now() - Duration::from_secs(61);
        cache.put(
            "c".into(),
            cache.generation(),
            old,
            Bytes::from_static(b"x"),
        );
        assert_eq!(cache.get("c"), None, "expired");
    }

    #[test]
    fn a_zero_ttl_keeps_nothing_and_the_size_is_bounded() {
        let off = ResponseCache::new(Duration::ZERO);
        off.put("a".into(), 0, Instant::now(), Bytes::from_static(b"x"));
        assert_eq!(off.get("a"), None);

        let cache = ResponseCache::new(Duration::from_secs(60));
        for i in 0..MAX_ENTRIES + 10 {
            cache.put(format!("k{i}"), 0, Instant::now(), Bytes::from_static(b"x"));
        }
        let map = cache.map.lock().unwrap();
        assert!(map.entries.len() <= MAX_ENTRIES);
        assert_eq!(map.bytes, map.entries.len());
    }
}
