//! A tiny little-endian binary codec for the model file.

use crate::hash::FxHashMap;
use crate::Error;

/// Appends values to a byte buffer.
#[derive(Default)]
pub(crate) struct Writer {
    pub(crate) buf: Vec<u8>,
}

impl Writer {
    pub(crate) fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }
    pub(crate) fn u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub(crate) fn u64(&mut self, v: u64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub(crate) fn f32(&mut self, v: f32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub(crate) fn i16(&mut self, v: i16) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub(crate) fn var(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.buf.push((v as u8 & 0x7f) | 0x80);
            v >>= 7;
        }
        self.buf.push(v as u8);
    }
    pub(crate) fn str(&mut self, s: &str) {
        self.var(s.len() as u64);
        self.buf.extend_from_slice(s.as_bytes());
    }
    /// A map from 64-bit keys to values written by `put`, sorted by key (so the bytes do
    /// not depend on the map's order).
    pub(crate) fn map<V: Copy + Ord>(
        &mut self,
        map: &FxHashMap<u64, V>,
        put: impl Fn(&mut Writer, V),
    ) {
        let mut v: Vec<(u64, V)> = map.iter().map(|(a, b)| (*a, *b)).collect();
        v.sort_unstable();
        self.var(v.len() as u64);
        for (a, b) in v {
            self.u64(a);
            put(self, b);
        }
    }
    pub(crate) fn strs(&mut self, v: &[String]) {
        self.var(v.len() as u64);
        for s in v {
            self.str(s);
        }
    }
}

/// Reads values back, failing cleanly on truncated or corrupt data.
pub(crate) struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

fn corrupt(what: &str) -> Error {
    Error::Model(format!("corrupt model data: {what}"))
}

impl<'a> Reader<'a> {
    pub(crate) fn new(data: &'a [u8]) -> Reader<'a> {
        Reader { data, pos: 0 }
    }

    /// How many bytes have been read.
    pub(crate) fn offset(&self) -> usize {
        self.pos
    }

    /// The bytes read since offset `start`.
    pub(crate) fn read_since(&self, start: usize) -> &'a [u8] {
        self.data.get(start..self.pos).unwrap_or_default()
    }

    pub(crate) fn bytes(&mut self, n: usize) -> Result<&'a [u8], Error> {
        let end = self
            .pos
            .checked_add(n)
            .ok_or_else(|| corrupt("length overflow"))?;
        let s = self
            .data
            .get(self.pos..end)
            .ok_or_else(|| corrupt("truncated"))?;
        self.pos = end;
        Ok(s)
    }
    fn arr<const N: usize>(&mut self) -> Result<[u8; N], Error> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.bytes(N)?);
        Ok(a)
    }
    pub(crate) fn u8(&mut self) -> Result<u8, Error> {
        Ok(self.arr::<1>()?[0])
    }
    pub(crate) fn u32(&mut self) -> Result<u32, Error> {
        Ok(u32::from_le_bytes(self.arr()?))
    }
    pub(crate) fn u64(&mut self) -> Result<u64, Error> {
        Ok(u64::from_le_bytes(self.arr()?))
    }
    pub(crate) fn f32(&mut self) -> Result<f32, Error> {
        Ok(f32::from_le_bytes(self.arr()?))
    }
    pub(crate) fn i16(&mut self) -> Result<i16, Error> {
        Ok(i16::from_le_bytes(self.arr()?))
    }
    pub(crate) fn var(&mut self) -> Result<u64, Error> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            v |= ((b & 0x7f) as u64) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(corrupt("varint too long"))
    }
    /// A length that must fit in what is left of the data (each element at least `min` bytes).
    pub(crate) fn len(&mut self, min: usize) -> Result<usize, Error> {
        let n = self.var()? as usize;
        if n.saturating_mul(min.max(1)) > self.data.len() - self.pos {
            return Err(corrupt("length beyond end of data"));
        }
        Ok(n)
    }
    pub(crate) fn str(&mut self) -> Result<String, Error> {
        let n = self.len(1)?;
        let b = self.bytes(n)?;
        String::from_utf8(b.to_vec()).map_err(|_| corrupt("string is not UTF-8"))
    }
    /// A map written by [`Writer::map`], whose values `get` reads (each at least
    /// `value_bytes` bytes).
    pub(crate) fn map<V>(
        &mut self,
        value_bytes: usize,
        get: impl Fn(&mut Reader<'a>) -> Result<V, Error>,
    ) -> Result<FxHashMap<u64, V>, Error> {
        let n = self.len(8 + value_bytes)?;
        let mut map = FxHashMap::default();
        map.reserve(n);
        for _ in 0..n {
            let a = self.u64()?;
            map.insert(a, get(self)?);
        }
        Ok(map)
    }
    pub(crate) fn strs(&mut self) -> Result<Vec<String>, Error> {
        let n = self.len(1)?;
        (0..n).map(|_| self.str()).collect()
    }
    pub(crate) fn at_end(&self) -> bool {
        self.pos == self.data.len()
    }
}
