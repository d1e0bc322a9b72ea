//! The rows of the open row group, held column by column and compressed, so that a row group
//! can be large while the memory it takes stays small.
//!
//! A Parquet file is written a column chunk at a time, so a writer given rows must hold a row
//! group's rows until the group is complete, and every row group adds its metadata (≈ 460 KB
//! for the 470 column chunks of `reports.parquet`) to the footer the writer keeps until the file
//! is closed. Rows held as rows (≈ 1.9 KB each) made the two pull apart: small groups cost
//! footer per row, large ones a large buffer. [`HeldColumns`] takes the rows a batch at a time
//! as each column's [`Values`], encodes each column's values compactly and compresses them with
//! Snappy (one block per column per batch), and gives a column back over all its batches when
//! the group is written: a row then costs its compressed size (≈ 270 bytes on the generated
//! corpus of `docs/batch.md`).
//!
//! (Encoding into 470 Parquet column writers at once was measured too and rejected: each keeps
//! a dictionary hash table and a Snappy encoder, ≈ 60 MB before the first row.)
//!
//! The encoding of a block: a type byte (`0` text, `1` INT32, `2` INT64), then per value a
//! LEB128 number — for text `0` for null, else the length + 1 followed by the UTF-8 bytes; for
//! integers `0` for null, else `1` followed by the zigzag LEB128 of the value.

use super::Values;
use crate::WriteError;

/// The rows of one row group, column by column, in compressed batches.
#[derive(Default)]
pub(super) struct HeldColumns {
    batches: Vec<Batch>,
    rows: usize,
    bytes: usize,
}

/// One batch of rows: each column's block, compressed, back to back.
struct Batch {
    rows: usize,
    blocks: Vec<u8>,
    /// Where each column's block ends in `blocks`.
    ends: Box<[usize]>,
}

impl HeldColumns {
    /// Rows held.
    pub(super) fn rows(&self) -> usize {
        self.rows
    }

    /// Compressed bytes held.
    pub(super) fn bytes(&self) -> usize {
        self.bytes
    }

    /// Adds a batch of `rows` rows given as each column's values, in column order.
    ///
    /// # Errors
    /// When compression fails.
    pub(super) fn push(
        &mut self,
        rows: usize,
        columns: impl IntoIterator<Item = Values>,
    ) -> Result<(), WriteError> {
        let mut encoder = snap::raw::Encoder::new();
        let mut block = Vec::new();
        let mut blocks = Vec::new();
        let mut ends = Vec::new();
        for values in columns {
            block.clear();
            encode(&values, &mut block);
            let start = blocks.len();
            blocks.resize(start + snap::raw::max_compress_len(block.len()), 0);
            let n = encoder.compress(&block, &mut blocks[start..]).map_err(held_error)?;
            blocks.truncate(start + n);
            ends.push(blocks.len());
        }
        blocks.shrink_to_fit();
        self.rows += rows;
        self.bytes += blocks.len() + ends.len() * size_of::<usize>();
        self.batches.push(Batch { rows, blocks, ends: ends.into_boxed_slice() });
        Ok(())
    }

    /// Column `index`'s values over every row held, in order.
    ///
    /// # Errors
    /// When a block does not decompress or decode (a bug: they were written here).
    pub(super) fn column(&self, index: usize) -> Result<Values, WriteError> {
        let mut decoder = snap::raw::Decoder::new();
        let mut out: Option<Values> = None;
        for batch in &self.batches {
            let start = index.checked_sub(1).and_then(|p| batch.ends.get(p)).copied().unwrap_or(0);
            let end = batch.ends.get(index).copied().ok_or_else(|| missing(index))?;
            let compressed = batch.blocks.get(start..end).ok_or_else(|| missing(index))?;
            let block = decoder.decompress_vec(compressed).map_err(held_error)?;
            let values = decode(&block, batch.rows).ok_or_else(|| missing(index))?;
            out = Some(match (out, values) {
                (None, v) => v,
                (Some(Values::Text(mut a)), Values::Text(b)) => {
                    a.extend(b);
                    Values::Text(a)
                }
                (Some(Values::Int32(mut a)), Values::Int32(b)) => {
                    a.extend(b);
                    Values::Int32(a)
                }
                (Some(Values::Int64(mut a)), Values::Int64(b)) => {
                    a.extend(b);
                    Values::Int64(a)
                }
                _ => return Err(missing(index)),
            });
        }
        Ok(out.unwrap_or(Values::Text(Vec::new())))
    }

    /// Forgets every row.
    pub(super) fn clear(&mut self) {
        *self = HeldColumns::default();
    }
}

fn held_error(e: impl std::fmt::Display) -> WriteError {
    ::parquet::errors::ParquetError::General(format!("held rows: {e}")).into()
}

fn missing(index: usize) -> WriteError {
    held_error(format!("column {index} does not read back"))
}

fn put(out: &mut Vec<u8>, mut n: u64) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn get(bytes: &mut &[u8]) -> Option<u64> {
    let mut n = 0u64;
    for shift in (0..64).step_by(7) {
        let (&byte, rest) = bytes.split_first()?;
        *bytes = rest;
        n |= u64::from(byte & 0x7f).checked_shl(shift)?;
        if byte & 0x80 == 0 {
            return Some(n);
        }
    }
    None
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(n: u64) -> i64 {
    ((n >> 1) as i64) ^ -((n & 1) as i64)
}

fn put_int(out: &mut Vec<u8>, v: Option<i64>) {
    match v {
        None => out.push(0),
        Some(v) => {
            out.push(1);
            put(out, zigzag(v));
        }
    }
}

fn get_int(bytes: &mut &[u8]) -> Option<Option<i64>> {
    let (&tag, rest) = bytes.split_first()?;
    *bytes = rest;
    match tag {
        0 => Some(None),
        1 => get(bytes).map(|n| Some(unzigzag(n))),
        _ => None,
    }
}

fn encode(values: &Values, out: &mut Vec<u8>) {
    match values {
        Values::Text(v) => {
            out.push(0);
            for x in v {
                match x {
                    None => put(out, 0),
                    Some(s) => {
                        put(out, s.len() as u64 + 1);
                        out.extend_from_slice(s.as_bytes());
                    }
                }
            }
        }
        Values::Int32(v) => {
            out.push(1);
            v.iter().for_each(|x| put_int(out, x.map(i64::from)));
        }
        Values::Int64(v) => {
            out.push(2);
            v.iter().for_each(|x| put_int(out, *x));
        }
    }
}

/// The `rows` values of a block, or `None` if it is not one.
fn decode(block: &[u8], rows: usize) -> Option<Values> {
    let (&ty, mut rest) = block.split_first()?;
    let values = match ty {
        0 => {
            let mut v = Vec::with_capacity(rows);
            for _ in 0..rows {
                let n = usize::try_from(get(&mut rest)?).ok()?;
                v.push(match n.checked_sub(1) {
                    None => None,
                    Some(len) => {
                        let (text, after) = rest.split_at_checked(len)?;
                        rest = after;
                        Some(String::from_utf8(text.to_vec()).ok()?)
                    }
                });
            }
            Values::Text(v)
        }
        1 => Values::Int32(
            (0..rows)
                .map(|_| get_int(&mut rest)?.map(i32::try_from).transpose().ok())
                .collect::<Option<_>>()?,
        ),
        2 => Values::Int64((0..rows).map(|_| get_int(&mut rest)).collect::<Option<_>>()?),
        _ => return None,
    };
    rest.is_empty().then_some(values)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn values() -> impl Strategy<Value = Vec<Values>> {
        (1usize..40).prop_flat_map(|rows| {
            proptest::collection::vec(
                prop_oneof![
                    proptest::collection::vec(proptest::option::of(".{0,12}"), rows)
                        .prop_map(Values::Text),
                    proptest::collection::vec(proptest::option::of(any::<i32>()), rows)
                        .prop_map(Values::Int32),
                    proptest::collection::vec(proptest::option::of(any::<i64>()), rows)
                        .prop_map(Values::Int64),
                ],
                1..6,
            )
        })
    }

    proptest::proptest! {
        /// Batches of columns (any text, any integer, nulls) come back column by column, in
        /// order, over every batch.
        #[test]
        fn columns_come_back_as_they_were_held(
            batches in proptest::collection::vec(values(), 1..4),
        ) {
            // Every batch has the columns (and types) of the first.
            let first = batches[0].clone();
            let rows_of = |b: &[Values]| match &b[0] {
                Values::Text(v) => v.len(),
                Values::Int32(v) => v.len(),
                Values::Int64(v) => v.len(),
            };
            let batches: Vec<Vec<Values>> = batches
                .into_iter()
                .filter(|b| b.len() == first.len()
                    && b.iter().zip(&first).all(|(x, y)| std::mem::discriminant(x) == std::mem::discriminant(y))
                    && b.iter().all(|v| match v {
                        Values::Text(v) => v.len(),
                        Values::Int32(v) => v.len(),
                        Values::Int64(v) => v.len(),
                    } == rows_of(b)))
                .collect();
            let mut held = HeldColumns::default();
            for b in &batches {
                held.push(rows_of(b), b.iter().cloned()).map_err(|e| TestCaseError::fail(e.to_string()))?;
            }
            prop_assert_eq!(held.rows(), batches.iter().map(|b| rows_of(b)).sum::<usize>());
            for i in 0..first.len() {
                let mut expected: Option<Values> = None;
                for b in &batches {
                    expected = Some(match (expected, b[i].clone()) {
                        (None, v) => v,
                        (Some(Values::Text(mut a)), Values::Text(x)) => { a.extend(x); Values::Text(a) }
                        (Some(Values::Int32(mut a)), Values::Int32(x)) => { a.extend(x); Values::Int32(a) }
                        (Some(Values::Int64(mut a)), Values::Int64(x)) => { a.extend(x); Values::Int64(a) }
                        _ => unreachable!("filtered above"),
                    });
                }
                let got = held.column(i).map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert_eq!(Some(got), expected);
            }
        }
    }

    #[test]
    fn a_block_that_is_not_one_does_not_decode() {
        assert_eq!(decode(&[], 1), None);
        assert_eq!(decode(&[9], 0), None);
        // Text of length 5 with 2 bytes.
        assert_eq!(decode(&[0, 6, b'a', b'b'], 1), None);
        // Trailing bytes.
        assert_eq!(decode(&[2, 0, 0], 1), None);
        // An INT32 out of range.
        let mut block = vec![1];
        put_int(&mut block, Some(i64::from(i32::MAX) + 1));
        assert_eq!(decode(&block, 1), None);
        // An unterminated LEB128.
        assert_eq!(decode(&[2, 1, 0x80, 0x80], 1), None);
    }
}
