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
        let mut kept: Vec<(u64, Vec<(u64, i16)>)> = Vec::new();
        for k in keys {
            let Some(row) = self.rows.get(&k) else {
                continue;
            };
            if self.updates.get(&k).copied().unwrap_or(0) < min_updates {
                continue;
            }
            let mut e: Vec<(u64, i16)> = row
                .iter()
                .map(|s| (s.class as u64, (avg(s) / scale).round() as i16))
                .filter(|&(_, q)| q != 0)
                .filter(|&(_, q)| (q as f64 * scale).abs() >= prune)
                .collect();
            e.sort_unstable();
            if !e.is_empty() {
                kept.push((k, e));
            }
        }
        write_sparse(w, self.n_classes as u32, scale as f32, &kept);
    }
}

/// Eight slots of an open-addressing table, one cache line: 16-bit fingerprints of the
/// keys (0 = empty slot), and for each slot a [`Cell`] that holds a run of one or two
/// (class, weight) pairs itself or says where a longer run is (see [`Weights`]). A key
/// goes to the first free slot of its home group or of the groups after it, so a lookup
/// compares the fingerprints of a whole group at once and stops at a group with a free
/// slot.
#[derive(Clone, Copy, Default)]
#[repr(C, align(64))]
struct Group {
    fp: [u16; SLOTS],
    slot: [Cell; SLOTS],
}

/// What a table slot holds: `classes` is two class bytes (low, high) and `w` their
/// weights; `NO_CLASS` in the high byte ends a run of one. `NO_CLASS` in the low byte
/// means a run stored elsewhere: the high byte is its length and `w` the two halves of
/// its start.
#[derive(Clone, Copy, Default)]
#[repr(C)]
struct Cell {
    classes: u16,
    w: [i16; 2],
}

/// The class byte that marks a [`Cell`] as not a class (so at most 255 classes).
const NO_CLASS: u16 = 0xff;

impl Cell {
    fn inline(row: &[Entry]) -> Cell {
        let (c0, w0) = row.first().map_or((NO_CLASS, 0), |e| (e.class as u16, e.w));
        let (c1, w1) = row.get(1).map_or((NO_CLASS, 0), |e| (e.class as u16, e.w));
        Cell {
            classes: c0 | c1 << 8,
            w: [w0, w1],
        }
    }

    /// A run of `len` weights starting at `start`.
    fn run(start: u32, len: u8) -> Cell {
        Cell {
            classes: NO_CLASS | (len as u16) << 8,
            w: [start as u16 as i16, (start >> 16) as u16 as i16],
        }
    }
}

/// Most dense rows a table can have (their offsets, in weights, fit a `u32`).
const MAX_DENSE_ROWS: usize = 1 << 20;

/// Four keys of the hot table and the offsets (in weights) of their dense rows, one
/// cache line. A key goes to the first free slot of its home bucket or of the buckets
/// after it. A free slot has key 0 and offset 0, the all-zero row that starts `dense`:
/// a lookup of key 0 that reaches a free slot adds nothing, which is right because a
/// model's key 0, if any, is always hot (see [`Weights::read`]) and so comes first.
/// Keys are compared whole, so an absent key never takes a dense row (with 16-bit
/// fingerprints and 12 more check bits, about once in 60 million lookups did).
#[derive(Clone, Copy, Default)]
#[repr(C, align(64))]
struct Bucket {
    keys: [u64; BUCKET],
    rows: [u32; BUCKET],
    /// Nonzero if some key whose probe passed this bucket lies further on (the bucket
    /// was full when it was put in): a lookup that misses here stops unless it is set.
    more: u32,
}

/// Slots per [`Bucket`].
const BUCKET: usize = 4;

/// Slots per [`Group`].
const SLOTS: usize = 8;

/// One (class, weight) pair of a sparse row.
#[derive(Clone, Copy, Default)]
#[repr(C)]
struct Entry {
    w: i16,
    class: u8,
    _pad: u8,
}

/// Values for which all-zero bytes are a valid value (so a zero-filled mapping is an
/// array of them).
///
/// # Safety
///
/// Implement only for plain-data types whose all-zero bit pattern is valid.
unsafe trait Zeroable: Copy + Default {}
// SAFETY: integers and arrays of them only.
unsafe impl Zeroable for Group {}
// SAFETY: integers and arrays of them only (and padding).
unsafe impl Zeroable for Bucket {}
// SAFETY: integers only.
unsafe impl Zeroable for Entry {}
// SAFETY: an integer.
unsafe impl Zeroable for i8 {}

/// A fixed-length array of plain values. Large ones are mapped on their own, 2 MiB
/// aligned, and marked for transparent huge pages on Linux: the weight tables are probed
/// at random, and with 4 KiB pages nearly every probe also misses the TLB.
struct Table<T: Zeroable> {
    #[cfg(target_os = "linux")]
    mapped: Option<Mapping>,
    heap: Box<[T]>,
    len: usize,
}

/// A private anonymous mapping (Linux only).
#[cfg(target_os = "linux")]
struct Mapping {
    ptr: std::ptr::NonNull<u8>,
    bytes: usize,
}

#[cfg(target_os = "linux")]
impl Mapping {
    const HUGE: usize = 2 << 20;

    /// Zero-filled, 2 MiB aligned memory of at least `bytes` bytes, or `None`.
    fn new(bytes: usize) -> Option<Mapping> {
        let bytes = bytes.div_ceil(Self::HUGE).checked_mul(Self::HUGE)?;
        let over = bytes.checked_add(Self::HUGE)?;
        // SAFETY: a fresh anonymous mapping; the parts outside the aligned window are
        // unmapped again, and the window is only ever accessed through `Table`.
        unsafe {
            let p = libc::mmap(
                std::ptr::null_mut(),
                over,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            );
            if p == libc::MAP_FAILED {
                return None;
            }
            let start = p as usize;
            let aligned = start.div_ceil(Self::HUGE) * Self::HUGE;
            let head = aligned - start;
            let tail = over - head - bytes;
            if head > 0 {
                libc::munmap(p, head);
            }
            if tail > 0 {
                libc::munmap((aligned + bytes) as *mut libc::c_void, tail);
            }
            // A hint only: without transparent huge pages this changes nothing.
            libc::madvise(aligned as *mut libc::c_void, bytes, libc::MADV_HUGEPAGE);
            Some(Mapping {
                ptr: std::ptr::NonNull::new(aligned as *mut u8)?,
                bytes,
            })
        }
    }
}

#[cfg(target_os = "linux")]
impl Drop for Mapping {
    fn drop(&mut self) {
        // SAFETY: `ptr..ptr + bytes` is exactly the window mapped in `Mapping::new`.
        unsafe {
            libc::munmap(self.ptr.as_ptr() as *mut libc::c_void, self.bytes);
        }
    }
}

// SAFETY: a `Table` owns its memory like a `Box<[T]>` does.
unsafe impl<T: Zeroable + Send> Send for Table<T> {}
// SAFETY: shared access is read-only.
unsafe impl<T: Zeroable + Sync> Sync for Table<T> {}

impl<T: Zeroable> Table<T> {
    /// Tables this large (bytes) get their own huge-page mapping.
    const MAP_MIN: usize = 1 << 20;

    /// `len` zero values.
    fn zeroed(len: usize) -> Table<T> {
        #[cfg(target_os = "linux")]
        {
            let bytes = len.saturating_mul(std::mem::size_of::<T>());
            if bytes >= Self::MAP_MIN {
                if let Some(m) = Mapping::new(bytes) {
                    return Table {
                        mapped: Some(m),
                        heap: Box::default(),
                        len,
                    };
                }
            }
        }
        Table {
            #[cfg(target_os = "linux")]
            mapped: None,
            heap: vec![T::default(); len].into_boxed_slice(),
            len,
        }
    }

    fn from_slice(v: &[T]) -> Table<T> {
        let mut t = Table::zeroed(v.len());
        t.as_mut_slice().copy_from_slice(v);
        t
    }

    #[inline(always)]
    fn as_slice(&self) -> &[T] {
        #[cfg(target_os = "linux")]
        if let Some(m) = &self.mapped {
            // SAFETY: the mapping holds `len` zero-initialised-or-written `T`s (`T` is
            // `Zeroable`), is aligned to 2 MiB and lives as long as `self`.
            return unsafe { std::slice::from_raw_parts(m.ptr.as_ptr() as *const T, self.len) };
        }
        &self.heap
    }

    fn as_mut_slice(&mut self) -> &mut [T] {
        #[cfg(target_os = "linux")]
        if let Some(m) = &self.mapped {
            // SAFETY: as in `as_slice`, and `&mut self` makes the access exclusive.
            return unsafe { std::slice::from_raw_parts_mut(m.ptr.as_ptr() as *mut T, self.len) };
        }
        &mut self.heap
    }
}

/// Frozen weights: open-addressing tables from feature key to a run of (class, weight).
///
/// Features with dense rows (the most frequent ones: a feature gains classes with each
/// update) live in a smaller `hot` table of whole keys (see [`Bucket`]); the rest in a
/// large `cold` table, probed only for keys the hot one lacks (and for hot keys with
/// weights their dense row cannot hold, see [`RESIDUAL`]). Runs of one or two
/// weights (three features in four) are stored in their table slot, so one cache line
/// brings them; longer runs are in `entries` (padded with zero weights to a multiple of
/// [`PAIR`]) and the longest are whole rows of `dense`.
///
/// Weights stay quantised (`i16`, or `i8` in units of 2^[`DENSE_SHIFT`] in dense rows)
/// and are added up exactly in integers; the common scale does not
/// change which class scores highest, so it is not applied. A feature absent from the
/// model takes a cold feature's run only if both share a home group and a 16-bit
/// fingerprint (about once in 14,000 lookups of absent features): a hashing-trick
/// collision, which makes the sums approximate but stays deterministic.
pub(crate) struct Weights {
    n_classes: usize,
    /// The size of one quantised unit in (averaged) perceptron score units.
    scale: f32,
    /// At least one bucket (so probes need not check).
    hot: Table<Bucket>,
    cold: Table<Group>,
    /// Sparse runs of 2 or more weights.
    entries: Table<Entry>,
    /// Rows with many classes, stored densely so that adding them up vectorises: whole
    /// 64-byte lines of `i8` weights in units of 2^[`DENSE_SHIFT`] (see [`dense_weight`]),
    /// zeros past `n_classes`; the first row is all zeros (see [`Bucket`]).
    dense: Table<i8>,
    /// Whether the CPU has AVX2 (only changes speed: the sums are exact integers).
    avx2: bool,
}

/// Dense rows are added up in blocks of this many classes.
const LANES: usize = 16;

/// Dense rows hold weights in units of 2^`DENSE_SHIFT` quantised units, as `i8`: half
/// the memory of `i16`, which is what adding them up waits on. 64 units are about 0.15
/// of a perceptron update in this project's models.
const DENSE_SHIFT: u32 = 6;

/// The low bit of a hot row offset: the feature also has weights in the cold table,
/// those its dense row cannot hold.
const RESIDUAL: u32 = 1;

/// The fewest weights a feature of a table with `n_classes` classes must have to get a
/// dense row. A dense row costs about one vector add per block of [`LANES`] classes, a
/// sparse run one scalar add per weight: runs longer than a row's blocks are cheaper
/// dense (measured: raising it to a quarter or half of the classes is slower).
fn dense_min(n_classes: usize) -> usize {
    (dense_blocks(n_classes) + 1).max(3)
}

/// Blocks of [`LANES`] classes that a dense row's classes take.
#[inline(always)]
fn dense_blocks(n_classes: usize) -> usize {
    n_classes.div_ceil(LANES).max(1)
}

/// `w` as a dense row weight (in units of 2^[`DENSE_SHIFT`]), if it is one exactly.
#[inline]
fn dense_weight(w: i16) -> Option<i8> {
    let unit = 1 << DENSE_SHIFT;
    if w % unit == 0 {
        i8::try_from(w / unit).ok()
    } else {
        None
    }
}

/// `w` rounded (half away from zero) to a weight a dense row holds exactly, or `w` if
/// that would overflow one (such weights stay exact, in the cold table).
fn round_dense(w: i16) -> i16 {
    let unit = 1i32 << DENSE_SHIFT;
    let w32 = w as i32;
    let q = (w32 + w32.signum() * unit / 2) / unit;
    if i8::try_from(q).is_ok() {
        (q * unit) as i16
    } else {
        w
    }
}

/// Sparse runs are padded to a multiple of this many entries.
const PAIR: usize = 2;

/// The 16 bits of `key` a slot keeps (never 0, which marks a free slot): its low bits,
/// which [`home`] (the high part of a product) hardly depends on. Keys are well-mixed
/// hashes.
#[inline(always)]
fn fingerprint(key: u64) -> u16 {
    match key as u16 {
        0 => 1,
        f => f,
    }
}

/// The home group of `key` in a table of `groups` groups: the high part of `key × groups`
/// (Lemire's multiply-shift range reduction), so that tables need not be a power of two
/// in size and can be filled to the load that probes best.
#[inline(always)]
fn home(key: u64, groups: usize) -> usize {
    ((key as u128 * groups as u128) >> 64) as usize
}

/// The group after `g` in a table of `groups` groups (wrapping around).
#[inline(always)]
fn next_group(g: usize, groups: usize) -> usize {
    if g + 1 >= groups {
        0
    } else {
        g + 1
    }
}

/// The slot of `key`, whose home group is `g`, in `table`, if present.
#[inline(always)]
fn probe(table: &[Group], key: u64, mut g: usize) -> Option<Cell> {
    let fp = fingerprint(key);
    while let Some(group) = table.get(g) {
        let hit = matches(&group.fp, fp);
        if hit != 0 {
            return group.slot.get(hit.trailing_zeros() as usize / 2).copied();
        }
        if matches(&group.fp, 0) != 0 {
            return None;
        }
        g = next_group(g, table.len());
    }
    None
}

/// The start (in weights) of the dense row of `key` in the hot `table`, if present, with
/// [`RESIDUAL`] set when `key` has weights in the cold table too.
///
/// # Safety
///
/// `table` must not be empty, and `at` must be `key`'s home bucket in it.
#[inline(always)]
unsafe fn probe_hot(table: &[Bucket], key: u64, at: usize) -> Option<u32> {
    // Walking a pointer rather than an index saves the address arithmetic per bucket.
    let end = table.as_ptr_range().end;
    // SAFETY: `at`, a home, is below `table.len()`, so `p` points at a bucket of `table`.
    let mut p = unsafe { table.as_ptr().add(at) };
    loop {
        // SAFETY: `p` points at a bucket of `table` (it starts at one, and wraps to the
        // first, which exists as `table` is not empty, when it reaches the end).
        let bucket = unsafe { &*p };
        let hit = bucket_matches(&bucket.keys, key);
        if hit != 0 {
            // `hit` has bits for slots 0..BUCKET only.
            return Some(bucket.rows[hit.trailing_zeros() as usize & (BUCKET - 1)]);
        }
        if bucket.more == 0 {
            return None;
        }
        // SAFETY: `p` is in `table`, so one past it is at most its end.
        p = unsafe { p.add(1) };
        if p == end {
            p = table.as_ptr();
        }
    }
}

/// Bit mask of the slots of `keys` holding `key` (slot `i` at bit `i`).
#[inline(always)]
fn bucket_matches(keys: &[u64; BUCKET], key: u64) -> u32 {
    let mut m = 0u32;
    for (i, &k) in keys.iter().enumerate() {
        m |= ((k == key) as u32) << i;
    }
    m
}

/// Bit mask of the slots holding `fp`: two bits per slot, slot `i` at bits `2i, 2i + 1`.
#[inline(always)]
fn matches(fps: &[u16; SLOTS], fp: u16) -> u32 {
    #[cfg(target_arch = "x86_64")]
    {
        use core::arch::x86_64::*;
        // SAFETY: SSE2 is part of x86_64; the load reads the 16 bytes of `fps`.
        unsafe {
            let v = _mm_loadu_si128(fps.as_ptr() as *const __m128i);
            _mm_movemask_epi8(_mm_cmpeq_epi16(v, _mm_set1_epi16(fp as i16))) as u32
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let mut m = 0u32;
        for (i, &f) in fps.iter().enumerate() {
            m |= ((f == fp) as u32 * 3) << (2 * i);
        }
        m
    }
}

/// An empty open-addressing table for `n` keys, filled to at most `load` percent.
fn new_table(n: usize, load: usize) -> Table<Group> {
    Table::<Group>::zeroed((n * 100).div_ceil(SLOTS * load).max(1))
}

/// Put `key` with its `slot` in the first free slot from its home group on.
fn insert(table: &mut [Group], key: u64, slot: Cell) {
    let groups = table.len();
    let mut g = home(key, groups);
    // The table is never full (see `new_table`), so this ends.
    while let Some(group) = table.get_mut(g) {
        if let Some(i) = group.fp.iter().position(|&f| f == 0) {
            group.fp[i] = fingerprint(key);
            group.slot[i] = slot;
            return;
        }
        g = next_group(g, groups);
    }
}

/// Put `key` with its dense row offset `at` in the first free slot from its home bucket
/// on.
fn insert_hot(table: &mut [Bucket], key: u64, at: u32) {
    let buckets = table.len();
    let mut g = home(key, buckets);
    // The table is never full, so this ends.
    while let Some(bucket) = table.get_mut(g) {
        // A free slot has row 0 (real rows start after the zero row).
        if let Some(i) = bucket.rows.iter().position(|&r| r == 0) {
            bucket.keys[i] = key;
            bucket.rows[i] = at;
            return;
        }
        bucket.more = 1;
        g = next_group(g, buckets);
    }
}

impl Weights {
    pub(crate) fn n_classes(&self) -> usize {
        self.n_classes
    }

    /// The size of one quantised weight unit in perceptron score units (the largest
    /// averaged weight is 32767 units).
    pub(crate) fn scale(&self) -> f32 {
        self.scale
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Weights, Error> {
        let corrupt = |m: &str| Error::Model(format!("corrupt model data: {m}"));
        let n_classes = r.u32()? as usize;
        let scale = r.f32()?;
        if n_classes >= NO_CLASS as usize {
            return Err(corrupt("too many classes"));
        }
        let n = r.len(3)?;
        // Whole cache lines per row.
        let stride = (dense_blocks(n_classes) * LANES).div_ceil(64) * 64;
        let dense_min = dense_min(n_classes);
        let mut entries = Vec::with_capacity(n * 2);
        // The all-zero row that free hot slots point to.
        let mut dense = vec![0i8; stride];
        let mut residual = Vec::new();
        // Dense rows are few: their keys are put in the hot table once all are known.
        let mut hot_keys = Vec::new();
        let mut cold = new_table(n, COLD_LOAD);
        let mut row = Vec::with_capacity(n_classes);
        let mut key = 0u64;
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
                row.push(Entry {
                    w: q,
                    class: class as u8,
                    _pad: 0,
                });
            }
            // Key 0 is always hot, so that a lookup of it that reaches a free hot slot
            // (key 0 too) is right to add nothing.
            let run: &[Entry] = if len >= dense_min || key == 0 {
                let at = dense.len();
                if hot_keys.len() >= MAX_DENSE_ROWS {
                    return Err(corrupt("too many dense rows"));
                }
                dense.resize(at + stride, 0i8);
                residual.clear();
                for e in &row {
                    match dense_weight(e.w) {
                        Some(d) => dense[at + e.class as usize] = d,
                        None => residual.push(*e),
                    }
                }
                // The weights a dense row cannot hold are a run of the cold table under
                // the same key, flagged in the row offset's low bit (rows start at
                // multiples of 64).
                if residual.is_empty() {
                    hot_keys.push((key, at as u32));
                    continue;
                }
                hot_keys.push((key, at as u32 | RESIDUAL));
                &residual
            } else {
                &row
            };
            let len = run.len();
            let slot = if len <= 2 {
                Cell::inline(run)
            } else {
                let at = entries.len();
                if at >= 1 << 24 {
                    return Err(corrupt("too many weights"));
                }
                entries.extend_from_slice(run);
                entries.resize(at + len.div_ceil(PAIR) * PAIR, Entry::default());
                Cell::run(at as u32, len as u8)
            };
            insert(cold.as_mut_slice(), key, slot);
        }
        // The hot table is small: keep it sparse, for short probes.
        let mut hot =
            Table::<Bucket>::zeroed((hot_keys.len() * 100).div_ceil(BUCKET * HOT_LOAD).max(1));
        for &(key, at) in &hot_keys {
            insert_hot(hot.as_mut_slice(), key, at);
        }
        #[cfg(target_arch = "x86_64")]
        let avx2 = std::arch::is_x86_feature_detected!("avx2");
        #[cfg(not(target_arch = "x86_64"))]
        let avx2 = false;
        Ok(Weights {
            n_classes,
            scale,
            hot,
            cold,
            entries: Table::from_slice(&entries),
            dense: Table::from_slice(&dense),
            avx2,
        })
    }

    /// Add the weights of each feature to `out` (which must have `n_classes` slots).
    #[inline]
    pub(crate) fn scores(&self, feats: &[u64], out: &mut [f32]) {
        #[cfg(target_arch = "x86_64")]
        if self.avx2 {
            // SAFETY: the CPU supports AVX2 (checked when the weights were loaded).
            unsafe { self.scores_avx2(feats, out) };
            return;
        }
        self.scores_impl(feats, out);
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn scores_avx2(&self, feats: &[u64], out: &mut [f32]) {
        self.scores_impl(feats, out);
    }

    #[inline(always)]
    fn scores_impl(&self, feats: &[u64], out: &mut [f32]) {
        let mut acc = [0i32; ACC];
        self.accumulate(feats, &mut acc);
        for (o, &a) in out.iter_mut().zip(acc.iter()) {
            *o = a as f32;
        }
    }

    /// The exact integer sums of the weights of `feats`, one per class, into `out`
    /// (`n_classes` slots); [`Weights::scores_from`] adds more features to them later.
    /// Integer sums do not depend on the order of their terms, so splitting a feature
    /// set in two gives the same scores as scoring it whole.
    pub(crate) fn partial(&self, feats: &[u64], out: &mut [i32]) {
        let mut acc = [0i32; ACC];
        #[cfg(target_arch = "x86_64")]
        if self.avx2 {
            // SAFETY: the CPU supports AVX2 (checked when the weights were loaded).
            unsafe { self.accumulate_avx2(feats, &mut acc) };
        } else {
            self.accumulate(feats, &mut acc);
        }
        #[cfg(not(target_arch = "x86_64"))]
        self.accumulate(feats, &mut acc);
        for (o, &a) in out.iter_mut().zip(acc.iter()) {
            *o = a;
        }
    }

    /// As [`Weights::scores`], for `feats` plus the features whose [`Weights::partial`]
    /// sums are `base`.
    #[inline]
    pub(crate) fn scores_from(&self, base: &[i32], feats: &[u64], out: &mut [f32]) {
        #[cfg(target_arch = "x86_64")]
        if self.avx2 {
            // SAFETY: the CPU supports AVX2 (checked when the weights were loaded).
            unsafe { self.scores_from_avx2(base, feats, out) };
            return;
        }
        self.scores_from_impl(base, feats, out);
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn scores_from_avx2(&self, base: &[i32], feats: &[u64], out: &mut [f32]) {
        self.scores_from_impl(base, feats, out);
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn accumulate_avx2(&self, feats: &[u64], acc: &mut [i32; ACC]) {
        self.accumulate(feats, acc);
    }

    #[inline(always)]
    fn scores_from_impl(&self, base: &[i32], feats: &[u64], out: &mut [f32]) {
        let mut acc = [0i32; ACC];
        for (a, &b) in acc.iter_mut().zip(base) {
            *a = b;
        }
        self.accumulate(feats, &mut acc);
        for (o, &a) in out.iter_mut().zip(acc.iter()) {
            *o = a as f32;
        }
    }

    /// Add the weights of `feats` to `acc`, in passes, so that the memory loads of all
    /// features overlap: probe the hot table (prefetching the cold groups of keys it
    /// lacks); probe the cold table; add the dense rows block by block, the block's sums
    /// in registers; then add the sparse runs. Runs of one weight are added as soon as
    /// they are found.
    #[inline(always)]
    fn accumulate(&self, feats: &[u64], acc: &mut [i32; ACC]) {
        let mut later = Later {
            sparse: Stack::new(),
        };
        // Offsets of dense rows (in weights).
        let mut rows = Stack::<u32, CHUNK>::new();
        // Keys the hot table lacks (or holds only in part), with their cold home groups.
        let mut missed = Stack::<(u64, usize), CHUNK>::new();
        // Each key's home bucket, worked out once for the prefetch and the probe.
        let mut homes = Stack::<usize, CHUNK>::new();
        let hot = self.hot.as_slice();
        let cold = self.cold.as_slice();
        let entries = self.entries.as_slice();
        let dense = self.dense.as_slice();
        for chunk in feats.chunks(CHUNK) {
            later.sparse.clear();
            rows.clear();
            missed.clear();
            homes.clear();
            let mut at = homes.writer();
            for &f in chunk {
                let h = home(f, hot.len());
                prefetch(hot, h);
                at.push(h);
            }
            at.finish();
            let (mut hits, mut misses) = (rows.writer(), missed.writer());
            for (&f, &h) in chunk.iter().zip(homes.as_slice()) {
                // SAFETY: the hot table has at least one bucket (see `Weights::read`), and
                // `h` is `f`'s home in it.
                match unsafe { probe_hot(hot, f, h) } {
                    Some(start) => {
                        let row = start & !RESIDUAL;
                        prefetch(dense, row as usize);
                        prefetch(dense, row as usize + 64);
                        hits.push(row);
                        if start & RESIDUAL != 0 {
                            let g = home(f, cold.len());
                            prefetch(cold, g);
                            misses.push((f, g));
                        }
                    }
                    None => {
                        let g = home(f, cold.len());
                        prefetch(cold, g);
                        misses.push((f, g));
                    }
                }
            }
            hits.finish();
            misses.finish();
            for &(f, g) in missed.as_slice() {
                if let Some(slot) = probe(cold, f, g) {
                    later.found(slot, acc, entries);
                }
            }
            // Dense rows first: most are in cache, and adding them up gives the sparse
            // runs (more often cold) time to arrive.
            add_dense(dense, dense_blocks(self.n_classes), rows.as_slice(), acc);
            for &meta in later.sparse.as_slice() {
                let s = (meta >> 8) as usize;
                let len = ((meta & 0xff) as usize).div_ceil(PAIR) * PAIR;
                for pair in entries
                    .get(s..s + len)
                    .unwrap_or_default()
                    .chunks_exact(PAIR)
                {
                    for e in pair {
                        acc[e.class as usize] += e.w as i32;
                    }
                }
            }
        }
    }
}

/// Length of the score accumulators: any class count up to 256, plus room for a whole
/// block of [`LANES`] past the last class.
const ACC: usize = 256 + LANES;

/// The cold table is filled to this percentage (denser tables probe further; sparser
/// ones are larger than the cache).
const COLD_LOAD: usize = 60;

/// The hot table is filled to this percentage (it is small: keep it sparse, for short
/// probes).
const HOT_LOAD: usize = 25;

/// Features are scored in chunks of this many.
const CHUNK: usize = 128;

/// Runs found in a chunk, to be added up once all its buckets are probed.
struct Later {
    /// Sparse runs, as `start << 8 | length`.
    sparse: Stack<u32, CHUNK>,
}

/// A vector of at most `N` plain values on the stack that, unlike an array, is not
/// zeroed when made: it is made for every scoring call, and zeroing it cost more than
/// the pushes.
struct Stack<T: Copy, const N: usize> {
    items: [std::mem::MaybeUninit<T>; N],
    len: usize,
}

impl<T: Copy, const N: usize> Stack<T, N> {
    #[inline(always)]
    fn new() -> Self {
        Stack {
            items: [const { std::mem::MaybeUninit::uninit() }; N],
            len: 0,
        }
    }

    #[inline(always)]
    fn clear(&mut self) {
        self.len = 0;
    }

    /// Appends `v`; past `N` items it overwrites the first ones (callers push at most
    /// `N`). Wrapping the index, unlike a bounds check, is branch-free and tells the
    /// compiler that the write stays in `items`, so `len` can stay in a register.
    #[inline(always)]
    fn push(&mut self, v: T) {
        self.items[self.len % N].write(v);
        self.len += 1;
    }

    /// A [`Pusher`] that appends to this stack.
    #[inline(always)]
    fn writer(&mut self) -> Pusher<'_, T, N> {
        let len = self.len;
        Pusher { stack: self, len }
    }

    #[inline(always)]
    fn as_slice(&self) -> &[T] {
        // SAFETY: `push` wrote items `0..len` (modulo `N`), so the first
        // `min(len, N)` items are all written.
        unsafe { std::slice::from_raw_parts(self.items.as_ptr() as *const T, self.len.min(N)) }
    }
}

/// Appends to a [`Stack`] whose length it keeps apart, in a register, until
/// [`Pusher::finish`] (the compiler keeps a length beside the items in memory, as it
/// cannot tell that writes to the items leave it alone).
struct Pusher<'a, T: Copy, const N: usize> {
    stack: &'a mut Stack<T, N>,
    len: usize,
}

impl<T: Copy, const N: usize> Pusher<'_, T, N> {
    /// As [`Stack::push`].
    #[inline(always)]
    fn push(&mut self, v: T) {
        self.stack.items[self.len % N].write(v);
        self.len += 1;
    }

    /// Sets the stack's length to include the pushed items.
    #[inline(always)]
    fn finish(self) {
        self.stack.len = self.len;
    }
}

impl Later {
    /// Add a run of the cold table held in its slot now, or note (and prefetch) a
    /// longer one.
    #[inline(always)]
    fn found(&mut self, slot: Cell, acc: &mut [i32; ACC], entries: &[Entry]) {
        let c0 = (slot.classes & NO_CLASS) as usize;
        let c1 = (slot.classes >> 8) as usize;
        if c0 != NO_CLASS as usize {
            // A class byte is below `NO_CLASS`, so both indices are in `acc` (`ACC` > 255).
            acc[c0] += slot.w[0] as i32;
            acc[c1] += slot.w[1] as i32;
            return;
        }
        // Only the hot table holds dense rows: this is a sparse run.
        let start = slot.w[0] as u16 as u32 | (slot.w[1] as u16 as u32) << 16;
        prefetch(entries, start as usize);
        self.sparse.push(start << 8 | c1 as u32);
    }
}

/// Add the dense rows starting at `rows` (offsets into `dense`, at most [`CHUNK`]) to
/// `acc`.
#[inline(always)]
fn add_dense(dense: &[i8], blocks: usize, rows: &[u32], acc: &mut [i32]) {
    // With the number of blocks known at compile time, all the block sums stay in
    // registers while the rows stream by.
    macro_rules! blocks {
        ($($b:literal)*) => {
            match blocks {
                $($b => add_dense_blocks::<$b>(dense, rows, acc),)*
                _ => {}
            }
        };
    }
    blocks!(1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16);
}

/// Sums of up to [`CHUNK`] `i8` weights fit an `i16` lane, twice as many per vector
/// as `i32` lanes.
const _: () = assert!(CHUNK * 128 <= i16::MAX as usize + 1);

#[inline(always)]
fn add_dense_blocks<const B: usize>(dense: &[i8], rows: &[u32], acc: &mut [i32]) {
    // Offsets in `rows` start whole rows of `dense`; clamping them (rather than testing
    // each against the end) lets the compiler drop the bounds check.
    let Some(last) = dense.len().checked_sub(B * LANES) else {
        return;
    };
    let mut sum = [[0i16; LANES]; B];
    for &s in rows.iter().take(CHUNK) {
        let at = (s as usize).min(last);
        let row = &dense[at..at + B * LANES];
        for (block, w) in sum.iter_mut().zip(row.chunks_exact(LANES)) {
            for (x, &y) in block.iter_mut().zip(w) {
                // No overflow: see the assertion above.
                *x = x.wrapping_add(y as i16);
            }
        }
    }
    for (a, block) in acc.chunks_exact_mut(LANES).zip(&sum) {
        for (x, &y) in a.iter_mut().zip(block) {
            *x += (y as i32) << DENSE_SHIFT;
        }
    }
}

/// Copy serialised weights from `r` to `w`, dropping quantised weights smaller than
/// `min_q` in absolute value (and features left with none), and rounding the weights of
/// features that get dense rows to what those rows hold (see [`round_dense`]).
pub(crate) fn copy_pruned(r: &mut Reader<'_>, w: &mut Writer, min_q: i16) -> Result<(), Error> {
    let (n_classes, scale, mut rows) = read_sparse(r)?;
    let dense_min = dense_min(n_classes as usize);
    for (_, e) in &mut rows {
        e.retain(|&(_, q)| q.unsigned_abs() >= min_q.unsigned_abs());
        if e.len() >= dense_min {
            for (_, q) in e.iter_mut() {
                *q = round_dense(*q);
            }
            e.retain(|&(_, q)| q != 0);
        }
    }
    rows.retain(|(_, e)| !e.is_empty());
    write_sparse(w, n_classes, scale, &rows);
    Ok(())
}

/// Serialised weights: (class count, scale, (key, its (class, quantised weight) pairs)
/// in key order).
pub(crate) type SparseWeights = (u32, f32, Vec<(u64, Vec<(u64, i16)>)>);

/// Read serialised weights whole.
pub(crate) fn read_sparse(r: &mut Reader<'_>) -> Result<SparseWeights, Error> {
    let n_classes = r.u32()?;
    let scale = r.f32()?;
    let n = r.len(3)?;
    let mut rows = Vec::with_capacity(n);
    let mut key = 0u64;
    for _ in 0..n {
        key = key.wrapping_add(r.var()?);
        let len = r.len(3)?;
        let mut e = Vec::with_capacity(len);
        for _ in 0..len {
            e.push((r.var()?, r.i16()?));
        }
        rows.push((key, e));
    }
    Ok((n_classes, scale, rows))
}

/// Serialise weights (rows in key order), as [`Weights::read`] reads them.
fn write_sparse(w: &mut Writer, n_classes: u32, scale: f32, rows: &[(u64, Vec<(u64, i16)>)]) {
    w.u32(n_classes);
    w.f32(scale);
    w.var(rows.len() as u64);
    let mut prev = 0u64;
    for (k, e) in rows {
        w.var(k.wrapping_sub(prev));
        prev = *k;
        w.var(e.len() as u64);
        for &(c, q) in e {
            w.var(c);
            w.i16(q);
        }
    }
}

/// Serialise the mean of weight sets with the same classes, quantised anew. Scores are
/// linear in the weights, so the mean's scores are the mean of the sets' scores (up to
/// quantisation): an ensemble that costs one model's lookups.
pub(crate) fn write_mean(sets: &[SparseWeights], w: &mut Writer) -> Result<(), Error> {
    let Some(&(n_classes, _, _)) = sets.first() else {
        return Err(Error::Model("no weights to average".into()));
    };
    if sets.iter().any(|s| s.0 != n_classes) {
        return Err(Error::Model("weights to average differ in classes".into()));
    }
    // Summed in the order of `sets`, so the result does not depend on anything else.
    let mut sum: std::collections::BTreeMap<u64, std::collections::BTreeMap<u64, f64>> =
        Default::default();
    let share = 1.0 / sets.len() as f64;
    for (_, scale, rows) in sets {
        for (k, e) in rows {
            let row = sum.entry(*k).or_default();
            for &(c, q) in e {
                *row.entry(c).or_default() += q as f64 * *scale as f64 * share;
            }
        }
    }
    let max = sum
        .values()
        .flat_map(|r| r.values())
        .fold(0f64, |m, v| m.max(v.abs()));
    let scale = if max > 0.0 { max / 32767.0 } else { 1.0 };
    let rows: Vec<(u64, Vec<(u64, i16)>)> = sum
        .into_iter()
        .map(|(k, r)| {
            let e: Vec<(u64, i16)> = r
                .into_iter()
                .map(|(c, v)| (c, (v / scale).round() as i16))
                .filter(|&(_, q)| q != 0)
                .collect();
            (k, e)
        })
        .filter(|(_, e)| !e.is_empty())
        .collect();
    write_sparse(w, n_classes, scale as f32, &rows);
    Ok(())
}

/// Hint the CPU to load `v[i]` into cache (no effect on results).
#[inline(always)]
pub(crate) fn prefetch<T>(v: &[T], i: usize) {
    #[cfg(target_arch = "x86_64")]
    {
        // A prefetch never faults, so the address need not be checked (and callers
        // pass in-bounds indices anyway).
        let p = v.as_ptr().wrapping_add(i);
        // SAFETY: prefetching is a hint that does not access memory architecturally.
        #[allow(unused_unsafe)]
        unsafe {
            core::arch::x86_64::_mm_prefetch(p as *const i8, core::arch::x86_64::_MM_HINT_T0);
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (v, i);
}

/// Index of the highest score above minus infinity (ties: lowest index), as
/// `argmax(scores, |i| scores[i] > f32::NEG_INFINITY)` but vectorised: this runs at every
/// tagging and parsing step. Scores are never NaN (they are sums of integers).
#[inline]
pub(crate) fn argmax_finite(scores: &[f32]) -> Option<usize> {
    // The maximum, eight lanes at a time (no loop-carried branch), then its first index.
    let mut lanes = [f32::NEG_INFINITY; 8];
    let chunks = scores.chunks_exact(8);
    let rest = chunks.remainder();
    for chunk in chunks {
        for (m, &x) in lanes.iter_mut().zip(chunk) {
            *m = if x > *m { x } else { *m };
        }
    }
    let best = lanes
        .iter()
        .chain(rest)
        .fold(f32::NEG_INFINITY, |m, &x| if x > m { x } else { m });
    if best == f32::NEG_INFINITY {
        return None;
    }
    scores.iter().position(|&s| s == best)
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
    use crate::hash::Rng;

    /// Frozen scores equal the plain sums of the serialised weights, over runs of every
    /// length (stored in a slot, sparse, dense; hot and cold) and absent features.
    #[test]
    fn frozen_scores_are_exact_sums() {
        for n_classes in [3usize, 40, 104] {
            let mut rng = Rng::new(n_classes as u64);
            let mut rows: Vec<(u64, Vec<(u64, i16)>)> = (0..3000)
                .map(|_| {
                    let len = 1 + rng.below(n_classes);
                    let mut classes: Vec<u64> = (0..n_classes as u64).collect();
                    rng.shuffle(&mut classes);
                    let mut row: Vec<(u64, i16)> = classes[..len]
                        .iter()
                        .map(|&c| {
                            let w = (rng.below(65535) as i32 - 32767) as i16;
                            // Weights a dense row holds, as in a pruned model, and others
                            // (kept exactly in the cold table).
                            (c, if rng.below(2) == 0 { round_dense(w) } else { w })
                        })
                        .collect();
                    row.sort_unstable();
                    (rng.next_u64(), row)
                })
                .collect();
            // Stored features with distinct fingerprints, which never take each other's
            // weights (the cold table holds the ones dense rows cannot hold too).
            let mut fps = std::collections::HashSet::new();
            rows.retain(|r| fps.insert(fingerprint(r.0)));
            rows.sort_unstable_by_key(|r| r.0);
            let mut w = Writer::default();
            w.u32(n_classes as u32);
            w.f32(1.0);
            w.var(rows.len() as u64);
            let mut prev = 0u64;
            for (k, row) in &rows {
                w.var(k - prev);
                prev = *k;
                w.var(row.len() as u64);
                for &(c, q) in row {
                    w.var(c);
                    w.i16(q);
                }
            }
            let frozen = Weights::read(&mut Reader::new(&w.buf)).unwrap();
            // Absent features whose fingerprint no stored feature has, so that the sums
            // are exact (collisions are measured in `absent_features_rarely_collide`).
            let stored: std::collections::HashSet<u16> =
                rows.iter().map(|r| fingerprint(r.0)).collect();
            let mut absent_rng = Rng::new(7 + n_classes as u64);
            let mut absent = || loop {
                let k = absent_rng.next_u64();
                if !stored.contains(&fingerprint(k)) {
                    return k;
                }
            };
            let mut got = vec![0f32; n_classes];
            for (k, row) in &rows {
                frozen.scores(&[*k], &mut got);
                let mut want = vec![0f32; n_classes];
                for &(c, q) in row {
                    want[c as usize] += q as f32;
                }
                assert_eq!(got, want, "{n_classes} classes, key {k}");
            }
            for _ in 0..300 {
                let n_feats = rng.below(200);
                let feats: Vec<u64> = (0..n_feats)
                    .map(|_| match rng.below(3) {
                        0 => absent(),
                        _ => rows[rng.below(rows.len())].0,
                    })
                    .collect();
                let mut want = vec![0i64; n_classes];
                for f in &feats {
                    if let Ok(i) = rows.binary_search_by_key(f, |r| r.0) {
                        for &(c, q) in &rows[i].1 {
                            want[c as usize] += q as i64;
                        }
                    }
                }
                let want: Vec<f32> = want.iter().map(|&x| x as f32).collect();
                frozen.scores(&feats, &mut got);
                assert_eq!(got, want, "{n_classes} classes");
                // The portable path too (`scores` takes the AVX2 one where it can).
                frozen.scores_impl(&feats, &mut got);
                assert_eq!(got, want, "{n_classes} classes, portable");
                // Scoring in two parts adds up to the same.
                let cut = rng.below(feats.len() + 1);
                let mut base = vec![0i32; n_classes];
                frozen.partial(&feats[..cut], &mut base);
                frozen.scores_from(&base, &feats[cut..], &mut got);
                assert_eq!(got, want, "{n_classes} classes, split at {cut}");
            }
        }
    }

    /// Dense rows add up in 16-bit lanes, a chunk of features at a time: the extreme
    /// dense weights, many times over, still sum exactly.
    #[test]
    fn extreme_dense_sums_are_exact() {
        let n_classes = 20u64;
        let extremes = [i8::MIN, i8::MAX].map(|q| (q as i16) << DENSE_SHIFT);
        let mut w = Writer::default();
        w.u32(n_classes as u32);
        w.f32(1.0);
        w.var(2);
        for (key, &q) in extremes.iter().enumerate() {
            w.var(if key == 0 { 1 } else { 2 });
            w.var(n_classes);
            for class in 0..n_classes {
                w.var(class);
                w.i16(q);
            }
        }
        let frozen = Weights::read(&mut Reader::new(&w.buf)).unwrap();
        let mut got = vec![0f32; n_classes as usize];
        for (key, &q) in [1u64, 3].iter().zip(&extremes) {
            frozen.scores(&vec![*key; 3 * CHUNK], &mut got);
            assert!(got
                .iter()
                .all(|&x| x == (q as i32 * 3 * CHUNK as i32) as f32));
        }
    }

    /// An absent feature takes a stored feature's weights about as often as the
    /// fingerprint width predicts (a full group holds 8 of 65,535 fingerprints).
    #[test]
    fn absent_features_rarely_collide() {
        let (keys, frozen) = random_model(3, 1);
        let hits = absent_hits(&keys, &frozen, 3);
        let rate = hits as f64 / 1e6;
        assert!(rate < 2e-4, "collision rate {rate}");
    }

    /// The hot table compares whole keys, so absent features never take a dense row
    /// (with a 16-bit fingerprint alone, about 60 of these million lookups would).
    #[test]
    fn absent_features_do_not_take_dense_rows() {
        let (keys, frozen) = random_model(5, 4);
        assert_eq!(absent_hits(&keys, &frozen, 5), 0);
    }

    /// Key 0, which free hot slots hold too, scores its own weights whether its run is
    /// short or long, and nothing when the model lacks it.
    #[test]
    fn key_zero_scores_exactly() {
        for len in [0u64, 1, 2, 4] {
            let mut w = Writer::default();
            w.u32(4);
            w.f32(1.0);
            w.var(2 + (len > 0) as u64);
            let mut prev = 0u64;
            let keys = [0u64, 5, u64::MAX];
            for &k in &keys[(len == 0) as usize..] {
                w.var(k - prev);
                prev = k;
                let n = if k == 0 { len } else { 4 };
                w.var(n);
                for class in 0..n {
                    w.var(class);
                    w.i16(1 + class as i16);
                }
            }
            let frozen = Weights::read(&mut Reader::new(&w.buf)).unwrap();
            let mut got = [0f32; 4];
            frozen.scores(&[0], &mut got);
            let want: Vec<f32> = (0..4)
                .map(|c| if c < len { 1.0 + c as f32 } else { 0.0 })
                .collect();
            assert_eq!(got.to_vec(), want, "run of {len}");
            frozen.scores(&[0, 5, 0], &mut got);
            let want: Vec<f32> = (0..4).map(|c| 1.0 + c as f32 + 2.0 * want[c]).collect();
            assert_eq!(got.to_vec(), want, "run of {len}, twice with another");
        }
    }

    /// A model of 200,000 random keys with a weight of one dense unit for each of the
    /// first `len` of its 4 classes (`len` 4: every row dense, with nothing left in the
    /// cold table).
    fn random_model(seed: u64, len: u64) -> (Vec<u64>, Weights) {
        let mut rng = Rng::new(seed);
        let mut keys: Vec<u64> = (0..200_000).map(|_| rng.next_u64()).collect();
        keys.sort_unstable();
        keys.dedup();
        let mut w = Writer::default();
        w.u32(4);
        w.f32(1.0);
        w.var(keys.len() as u64);
        let mut prev = 0u64;
        for &k in &keys {
            w.var(k - prev);
            prev = k;
            w.var(len);
            for class in 0..len {
                w.var(class);
                w.i16(1 << DENSE_SHIFT);
            }
        }
        (keys, Weights::read(&mut Reader::new(&w.buf)).unwrap())
    }

    /// How many of a million random keys absent from `keys` get a weight for class 0.
    fn absent_hits(keys: &[u64], frozen: &Weights, seed: u64) -> usize {
        let mut rng = Rng::new(seed ^ 0xabcd);
        let mut hits = 0;
        let mut got = [0f32; 4];
        for _ in 0..1_000_000 {
            let k = rng.next_u64();
            if keys.binary_search(&k).is_err() {
                frozen.scores(&[k], &mut got);
                hits += (got[0] != 0.0) as usize;
            }
        }
        hits
    }

    #[test]
    fn argmax_finite_is_argmax_over_finite_scores() {
        let mut rng = Rng::new(5);
        for _ in 0..2000 {
            let n = rng.below(12);
            let v: Vec<f32> = (0..n)
                .map(|_| match rng.below(4) {
                    0 => f32::NEG_INFINITY,
                    _ => rng.below(5) as f32,
                })
                .collect();
            assert_eq!(
                argmax_finite(&v),
                argmax(&v, |i| v[i] > f32::NEG_INFINITY),
                "{v:?}"
            );
        }
    }

    /// A trained model of `n_classes` classes on random sparse data (seeded).
    fn trained(seed: u64, n_classes: usize) -> Vec<u8> {
        let mut rng = Rng::new(seed);
        let mut t = Trainer::new(n_classes);
        let mut sc = vec![0f32; n_classes];
        for _ in 0..400 {
            let f: Vec<u64> = (0..5).map(|_| rng.below(60) as u64 + 1).collect();
            let y = (f[0] as usize + f[1] as usize) % n_classes;
            t.tick();
            t.scores(&f, &mut sc);
            let p = argmax(&sc, |_| true).unwrap();
            if p != y {
                t.update(&f, y, 1);
                t.update(&f, p, -1);
            }
        }
        let mut w = Writer::default();
        t.write_averaged(&mut w, 0.0, 0);
        w.buf
    }

    #[test]
    fn mean_weights_score_the_mean() {
        let n_classes = 7;
        let models: Vec<Vec<u8>> = (1..=3).map(|seed| trained(seed, n_classes)).collect();
        let sets: Vec<SparseWeights> = models
            .iter()
            .map(|m| read_sparse(&mut Reader::new(m)).unwrap())
            .collect();
        let frozen: Vec<Weights> = models
            .iter()
            .map(|m| Weights::read(&mut Reader::new(m)).unwrap())
            .collect();
        let mut w = Writer::default();
        write_mean(&sets, &mut w).unwrap();
        let mean = Weights::read(&mut Reader::new(&w.buf)).unwrap();
        // The mean of one set is that set.
        let mut one = Writer::default();
        write_mean(&sets[..1], &mut one).unwrap();
        let one = Weights::read(&mut Reader::new(&one.buf)).unwrap();
        let mut rng = Rng::new(9);
        let (mut got, mut each) = (vec![0f32; n_classes], vec![0f32; n_classes]);
        let mut first = vec![0f32; n_classes];
        for _ in 0..200 {
            let feats: Vec<u64> = (0..5).map(|_| rng.below(70) as u64 + 1).collect();
            let mut want = vec![0f64; n_classes];
            for m in &frozen {
                m.scores(&feats, &mut each);
                for (x, &e) in want.iter_mut().zip(&each) {
                    *x += e as f64 * m.scale() as f64 / frozen.len() as f64;
                }
            }
            mean.scores(&feats, &mut got);
            // Each weight is rounded to the nearest unit of the mean's scale.
            let tolerance = feats.len() as f64 * 0.5 * mean.scale() as f64 + 1e-6;
            for (g, x) in got.iter().zip(&want) {
                assert!((*g as f64 * mean.scale() as f64 - x).abs() <= tolerance);
            }
            frozen[0].scores(&feats, &mut first);
            one.scores(&feats, &mut got);
            assert_eq!(got, first);
        }
        let other = read_sparse(&mut Reader::new(&trained(4, n_classes + 1))).unwrap();
        let mismatched = [sets[0].clone(), other];
        assert!(write_mean(&mismatched, &mut Writer::default()).is_err());
        assert!(write_mean(&[], &mut Writer::default()).is_err());
    }

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
