//! Averaged perceptron over hashed sparse features, for training, and its frozen,
//! quantised form for prediction.

use crate::codec::{Reader, Writer};
use crate::hash::FxHashMap;
use crate::Error;

#[derive(Clone, Copy)]
struct Slot {
    class: u16,
    w: i32,
    total: i64,
    stamp: u32,
}

/// A multiclass averaged perceptron being trained.
pub(crate) struct Trainer {
    n_classes: usize,
    rows: FxHashMap<u64, Vec<Slot>>,
    /// How many mistakes updated each feature (rarely updated features are pruned).
    updates: FxHashMap<u64, u32>,
    now: u32,
}

impl Trainer {
    pub(crate) fn new(n_classes: usize) -> Trainer {
        Trainer {
            n_classes,
            rows: FxHashMap::default(),
            updates: FxHashMap::default(),
            now: 0,
        }
    }

    /// Scores of every class under the current (not averaged) weights.
    pub(crate) fn scores(&self, feats: &[u64], out: &mut [f32]) {
        out.iter_mut().for_each(|s| *s = 0.0);
        for f in feats {
            if let Some(row) = self.rows.get(f) {
                for s in row {
                    if let Some(o) = out.get_mut(s.class as usize) {
                        *o += s.w as f32;
                    }
                }
            }
        }
    }

    /// Count one training instance (for averaging).
    pub(crate) fn tick(&mut self) {
        self.now += 1;
    }

    /// Add `delta` to the weights of `class` for every feature.
    pub(crate) fn update(&mut self, feats: &[u64], class: usize, delta: i32) {
        let now = self.now;
        for &f in feats {
            if delta > 0 {
                // Count mistakes, not calls: each mistake updates the right class up once.
                *self.updates.entry(f).or_default() += 1;
            }
            let row = self.rows.entry(f).or_default();
            let slot = match row.iter().position(|s| s.class as usize == class) {
                Some(i) => &mut row[i],
                None => {
                    row.push(Slot {
                        class: class as u16,
                        w: 0,
                        total: 0,
                        stamp: now,
                    });
                    let last = row.len() - 1;
                    &mut row[last]
                }
            };
            slot.total += (now - slot.stamp) as i64 * slot.w as i64;
            slot.stamp = now;
            slot.w += delta;
        }
    }

    /// Averaged weights, quantised and serialised (keys sorted, so the bytes are deterministic).
    pub(crate) fn write_averaged(&self, w: &mut Writer, prune: f64, min_updates: u32) {
        let now = self.now.max(1);
        let mut keys: Vec<u64> = self.rows.keys().copied().collect();
        keys.sort_unstable();
        let avg = |s: &Slot| (s.total + (now - s.stamp) as i64 * s.w as i64) as f64 / now as f64;
        let mut max = 0f64;
        for row in self.rows.values() {
            for s in row {
                max = max.max(avg(s).abs());
            }
        }
        let scale = if max > 0.0 { max / 32767.0 } else { 1.0 };
        let mut kept: Vec<(u64, Vec<(u16, i16)>)> = Vec::new();
        for k in keys {
            let Some(row) = self.rows.get(&k) else {
                continue;
            };
            if self.updates.get(&k).copied().unwrap_or(0) < min_updates {
                continue;
            }
            let mut e: Vec<(u16, i16)> = row
                .iter()
                .map(|s| (s.class, (avg(s) / scale).round() as i16))
                .filter(|&(_, q)| q != 0)
                .filter(|&(_, q)| (q as f64 * scale).abs() >= prune)
                .collect();
            e.sort_unstable();
            if !e.is_empty() {
                kept.push((k, e));
            }
        }
        w.u32(self.n_classes as u32);
        w.f32(scale as f32);
        w.var(kept.len() as u64);
        let mut prev = 0u64;
        for (k, e) in &kept {
            w.var(k - prev);
            prev = *k;
            w.var(e.len() as u64);
            for &(c, q) in e {
                w.var(c as u64);
                w.i16(q);
            }
        }
    }
}

/// One slot of the open-addressing table (16 bytes): the key's high 32 bits as a
/// fingerprint (0 = empty), then `meta` = start << 8 | length. Runs of one or two weights
/// live in the slot itself (no second memory access); length 0 marks a dense row.
#[derive(Clone, Copy, Default)]
#[repr(C, align(16))]
struct Bucket {
    fp: u32,
    meta: u32,
    inline: [(u8, i16); 2],
}

/// Frozen weights: an open-addressing table from feature key to a run of (class, weight).
///
/// Weights stay quantised (`i16`); the common scale does not change which class scores
/// highest, so it is not applied.
pub(crate) struct Weights {
    n_classes: usize,
    mask: usize,
    buckets: Vec<Bucket>,
    entries: Vec<(u8, i16)>,
    /// Rows with many classes, stored densely (`n_classes` weights each) so that adding
    /// them up vectorises; their buckets have length 0 and index this by row.
    dense: Vec<i16>,
}

#[inline(always)]
fn fingerprint(key: u64) -> u32 {
    match (key >> 32) as u32 {
        0 => 1,
        f => f,
    }
}

impl Weights {
    pub(crate) fn n_classes(&self) -> usize {
        self.n_classes
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Weights, Error> {
        let corrupt = |m: &str| Error::Model(format!("corrupt model data: {m}"));
        let n_classes = r.u32()? as usize;
        let _scale = r.f32()?;
        if n_classes > 256 {
            return Err(corrupt("too many classes"));
        }
        let n = r.len(3)?;
        let cap = (n + n / 2).next_power_of_two().max(16);
        let mask = cap - 1;
        let mut buckets = vec![Bucket::default(); cap];
        let mut entries = Vec::with_capacity(n * 2);
        let mut dense = Vec::new();
        let dense_min = (n_classes / 4).max(8);
        let mut key = 0u64;
        let mut row = Vec::new();
        for _ in 0..n {
            key = key.wrapping_add(r.var()?);
            let len = r.len(3)?;
            if len == 0 || len > 255 {
                return Err(corrupt("bad weight run length"));
            }
            row.clear();
            for _ in 0..len {
                let class = r.var()? as usize;
                let q = r.i16()?;
                if class >= n_classes {
                    return Err(corrupt("class out of range"));
                }
                row.push((class as u8, q));
            }
            let mut bucket = Bucket {
                fp: fingerprint(key),
                ..Bucket::default()
            };
            if len <= 2 {
                bucket.inline[..len].copy_from_slice(&row);
                bucket.meta = len as u32;
            } else if len >= dense_min {
                let start = dense.len() / n_classes.max(1);
                dense.resize(dense.len() + n_classes, 0i16);
                let base = start * n_classes;
                for &(c, q) in &row {
                    dense[base + c as usize] = q;
                }
                bucket.meta = (start as u32) << 8;
                if start >= 1 << 24 {
                    return Err(corrupt("too many weights"));
                }
            } else {
                let start = entries.len();
                entries.extend_from_slice(&row);
                bucket.meta = ((start as u32) << 8) | len as u32;
                if start >= 1 << 24 {
                    return Err(corrupt("too many weights"));
                }
            }
            let mut b = (key as usize) & mask;
            while buckets[b].fp != 0 {
                b = (b + 1) & mask;
            }
            buckets[b] = bucket;
        }
        Ok(Weights {
            n_classes,
            mask,
            buckets,
            entries,
            dense,
        })
    }

    /// Add the weights of each feature to `out` (which must have `n_classes` slots).
    ///
    /// Three passes so that the memory loads of all features overlap: prefetch the
    /// buckets, probe them (adding short runs, prefetching longer ones), then add the
    /// longer runs up.
    #[inline]
    pub(crate) fn scores(&self, feats: &[u64], out: &mut [f32]) {
        let mut acc = [0i32; 256];
        let mut found = [0u32; 128];
        let nc = self.n_classes;
        for chunk in feats.chunks(128) {
            for &f in chunk {
                prefetch(&self.buckets, (f as usize) & self.mask);
            }
            let mut nf = 0;
            for &f in chunk {
                let fp = fingerprint(f);
                let mut b = (f as usize) & self.mask;
                loop {
                    let bucket = &self.buckets[b];
                    if bucket.fp == fp {
                        let len = bucket.meta & 0xff;
                        if len == 1 || len == 2 {
                            for &(c, w) in &bucket.inline[..len as usize] {
                                acc[c as usize] += w as i32;
                            }
                        } else {
                            let start = (bucket.meta >> 8) as usize;
                            if len == 0 {
                                prefetch(&self.dense, start * nc);
                            } else {
                                prefetch(&self.entries, start);
                            }
                            found[nf] = bucket.meta;
                            nf += 1;
                        }
                        break;
                    }
                    if bucket.fp == 0 {
                        break;
                    }
                    b = (b + 1) & self.mask;
                }
            }
            for &meta in &found[..nf] {
                let s = (meta >> 8) as usize;
                let len = (meta & 0xff) as usize;
                if len == 0 {
                    let row = self.dense.get(s * nc..(s + 1) * nc).unwrap_or_default();
                    for (a, &w) in acc[..nc].iter_mut().zip(row) {
                        *a += w as i32;
                    }
                } else {
                    for &(c, w) in self.entries.get(s..s + len).unwrap_or_default() {
                        acc[c as usize] += w as i32;
                    }
                }
            }
        }
        for (o, a) in out.iter_mut().zip(acc) {
            *o = a as f32;
        }
    }
}

/// Copy serialised weights from `r` to `w`, dropping quantised weights smaller than
/// `min_q` in absolute value (and features left with none).
pub(crate) fn copy_pruned(r: &mut Reader<'_>, w: &mut Writer, min_q: i16) -> Result<(), Error> {
    let n_classes = r.u32()?;
    let scale = r.f32()?;
    let n = r.len(3)?;
    let mut kept: Vec<(u64, Vec<(u64, i16)>)> = Vec::with_capacity(n);
    let mut key = 0u64;
    for _ in 0..n {
        key = key.wrapping_add(r.var()?);
        let len = r.len(3)?;
        let mut e = Vec::with_capacity(len);
        for _ in 0..len {
            let c = r.var()?;
            let q = r.i16()?;
            if q.unsigned_abs() >= min_q.unsigned_abs() {
                e.push((c, q));
            }
        }
        if !e.is_empty() {
            kept.push((key, e));
        }
    }
    w.u32(n_classes);
    w.f32(scale);
    w.var(kept.len() as u64);
    let mut prev = 0u64;
    for (k, e) in &kept {
        w.var(k.wrapping_sub(prev));
        prev = *k;
        w.var(e.len() as u64);
        for &(c, q) in e {
            w.var(c);
            w.i16(q);
        }
    }
    Ok(())
}

/// Hint the CPU to load `v[i]` into cache (no effect on results).
#[inline(always)]
fn prefetch<T>(v: &[T], i: usize) {
    #[cfg(target_arch = "x86_64")]
    if let Some(x) = v.get(i) {
        // SAFETY: prefetching is a hint; the pointer is valid for reads.
        #[allow(unused_unsafe)]
        unsafe {
            core::arch::x86_64::_mm_prefetch(
                x as *const T as *const i8,
                core::arch::x86_64::_MM_HINT_T0,
            );
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (v, i);
}

/// Index of the highest score among the allowed classes (ties: lowest index).
pub(crate) fn argmax(scores: &[f32], allowed: impl Fn(usize) -> bool) -> Option<usize> {
    let mut best: Option<(usize, f32)> = None;
    for (i, &s) in scores.iter().enumerate() {
        if allowed(i) && !matches!(best, Some((_, b)) if b >= s) {
            best = Some((i, s));
        }
    }
    best.map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_a_separable_problem_and_round_trips() {
        let mut t = Trainer::new(2);
        let data = [(vec![1u64, 10], 0usize), (vec![2u64, 10], 1usize)];
        let mut sc = [0f32; 2];
        for _ in 0..5 {
            for (f, y) in &data {
                t.tick();
                t.scores(f, &mut sc);
                let p = argmax(&sc, |_| true).unwrap();
                if p != *y {
                    t.update(f, *y, 1);
                    t.update(f, p, -1);
                }
            }
        }
        let mut w = Writer::default();
        t.write_averaged(&mut w, 0.0, 0);
        let frozen = Weights::read(&mut Reader::new(&w.buf)).unwrap();
        for (f, y) in &data {
            frozen.scores(f, &mut sc);
            assert_eq!(argmax(&sc, |_| true), Some(*y));
        }
        assert!(Weights::read(&mut Reader::new(&w.buf[..w.buf.len() - 1])).is_err());
    }
}
