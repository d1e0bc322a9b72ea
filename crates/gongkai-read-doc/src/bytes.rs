//! Little-endian reads that never panic: `None` past the end.

/// The byte at `at`.
pub(crate) fn u8_at(b: &[u8], at: usize) -> Option<u8> {
    b.get(at).copied()
}

/// The `u16` at `at`.
pub(crate) fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(u16::from_le_bytes([s[0], s[1]]))
}

/// The `i16` at `at`.
pub(crate) fn i16_at(b: &[u8], at: usize) -> Option<i16> {
    u16_at(b, at).map(|v| i16::from_le_bytes(v.to_le_bytes()))
}

/// The `u32` at `at`.
pub(crate) fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

/// `len` bytes from `at`.
pub(crate) fn slice(b: &[u8], at: usize, len: usize) -> Option<&[u8]> {
    b.get(at..at.checked_add(len)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_stop_at_the_end() {
        let b = [1, 2, 3, 4, 5];
        assert_eq!(u16_at(&b, 0), Some(0x0201));
        assert_eq!(u32_at(&b, 1), Some(0x0504_0302));
        assert_eq!(u32_at(&b, 2), None);
        assert_eq!(u16_at(&b, usize::MAX), None);
        assert_eq!(i16_at(&[0xFF, 0xFF], 0), Some(-1));
        assert_eq!(slice(&b, 3, 2), Some(&b[3..5]));
        assert_eq!(slice(&b, 4, 2), None);
        assert_eq!(u8_at(&b, 5), None);
    }
}
