//! Columns in one byte buffer, read in place without parsing: the layout of
//! the bundled regions' index (`bundle`), which build.rs writes into OUT_DIR
//! and the binary embeds. Each column is a little-endian u32 count, then
//! that many u32s, f64s, or strings (their end offsets as u32s, then the
//! UTF-8 text). Free of the rest of the crate, so build.rs compiles it too.

/// Appends columns to a buffer that starts with a magic tag.
pub struct Writer {
    bytes: Vec<u8>,
}

impl Writer {
    pub fn new(magic: &[u8]) -> Writer {
        Writer {
            bytes: magic.to_vec(),
        }
    }

    fn count(&mut self, n: usize) -> Result<(), String> {
        let n = u32::try_from(n).map_err(|_| format!("{n} items: more than a u32 counts"))?;
        self.bytes.extend_from_slice(&n.to_le_bytes());
        Ok(())
    }

    pub fn u32s(&mut self, items: &[u32]) -> Result<(), String> {
        self.count(items.len())?;
        for v in items {
            self.bytes.extend_from_slice(&v.to_le_bytes());
        }
        Ok(())
    }

    pub fn f64s(&mut self, items: &[f64]) -> Result<(), String> {
        self.count(items.len())?;
        for v in items {
            self.bytes.extend_from_slice(&v.to_le_bytes());
        }
        Ok(())
    }

    pub fn strings<'s>(&mut self, items: impl IntoIterator<Item = &'s str>) -> Result<(), String> {
        let mut text = String::new();
        let mut ends = Vec::new();
        for s in items {
            text.push_str(s);
            ends.push(u32::try_from(text.len()).map_err(|_| "strings over 4 GB".to_string())?);
        }
        self.u32s(&ends)?;
        self.bytes.extend_from_slice(text.as_bytes());
        Ok(())
    }

    pub fn finish(self) -> Vec<u8> {
        self.bytes
    }
}

/// Reads the columns of a buffer in the order they were written.
pub struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8], magic: &[u8]) -> Result<Reader<'a>, String> {
        match bytes.strip_prefix(magic) {
            Some(bytes) => Ok(Reader { bytes }),
            None => Err("bad magic".into()),
        }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        if n > self.bytes.len() {
            return Err("truncated".into());
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }

    fn count(&mut self, width: usize) -> Result<&'a [u8], String> {
        let (n, _) = self.take(4)?.as_chunks::<4>();
        let n = n.first().map_or(0, |b| u32::from_le_bytes(*b)) as usize;
        self.take(n * width)
    }

    pub fn u32s(&mut self) -> Result<U32s<'a>, String> {
        Ok(U32s(self.count(4)?.as_chunks::<4>().0))
    }

    pub fn f64s(&mut self) -> Result<F64s<'a>, String> {
        Ok(F64s(self.count(8)?.as_chunks::<8>().0))
    }

    pub fn strings(&mut self) -> Result<Strings<'a>, String> {
        let ends = self.u32s()?;
        let text = self.take(ends.len().checked_sub(1).map_or(0, |i| ends.get(i)) as usize)?;
        Ok(Strings { ends, text })
    }

    /// Checks that every byte was read.
    pub fn finish(self) -> Result<(), String> {
        match self.bytes.len() {
            0 => Ok(()),
            n => Err(format!("{n} bytes after the last column")),
        }
    }
}

// Reads past the end give 0 and "": a column's length is checked once,
// where the buffer is opened, against the columns it goes with.

#[derive(Debug, Clone, Copy)]
pub struct U32s<'a>(&'a [[u8; 4]]);

impl<'a> U32s<'a> {
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn get(&self, i: usize) -> u32 {
        self.0.get(i).map_or(0, |b| u32::from_le_bytes(*b))
    }

    pub fn iter(&self) -> impl Iterator<Item = u32> + 'a {
        self.0.iter().map(|b| u32::from_le_bytes(*b))
    }
}

#[derive(Debug, Clone, Copy)]
pub struct F64s<'a>(&'a [[u8; 8]]);

impl F64s<'_> {
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn get(&self, i: usize) -> f64 {
        self.0.get(i).map_or(0.0, |b| f64::from_le_bytes(*b))
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Strings<'a> {
    ends: U32s<'a>,
    text: &'a [u8],
}

impl<'a> Strings<'a> {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn get(&self, i: usize) -> &'a str {
        let start = if i == 0 { 0 } else { self.ends.get(i - 1) };
        self.text
            .get(start as usize..self.ends.get(i) as usize)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or_default()
    }

    /// The position of `s` in a column sorted in byte order, or where it
    /// would go.
    pub fn search(&self, s: &str) -> Result<usize, usize> {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self.get(mid).cmp(s) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Ok(mid),
            }
        }
        Err(lo)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_read_back_as_written() {
        let mut w = Writer::new(b"TEST");
        w.u32s(&[7, 0, u32::MAX]).unwrap();
        w.strings(["", "Dar'a", "درعا"]).unwrap();
        w.f64s(&[32.625, -0.0]).unwrap();
        w.strings([]).unwrap();
        let bytes = w.finish();
        let mut r = Reader::new(&bytes, b"TEST").unwrap();
        assert_eq!(
            r.u32s().unwrap().iter().collect::<Vec<_>>(),
            [7, 0, u32::MAX]
        );
        let s = r.strings().unwrap();
        assert_eq!(
            (s.len(), s.get(0), s.get(1), s.get(2)),
            (3, "", "Dar'a", "درعا")
        );
        assert_eq!(s.search("Dar'a"), Ok(1));
        assert_eq!(s.search("Z"), Err(2));
        let f = r.f64s().unwrap();
        assert_eq!(
            (f.get(0), f.get(1).to_bits()),
            (32.625, (-0.0f64).to_bits())
        );
        assert_eq!(r.strings().unwrap().len(), 0);
        r.finish().unwrap();
        assert!(Reader::new(&bytes, b"BAD!").is_err());
        let mut short = Reader::new(&bytes[..bytes.len() - 3], b"TEST").unwrap();
        short.u32s().unwrap();
        short.strings().unwrap();
        short.f64s().unwrap();
        assert!(short.strings().is_err());
    }
}
