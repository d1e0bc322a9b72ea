//! Hostile and broken compound files: a clear error in bounded time, never a panic, a hang or
//! unbounded memory.

use std::io::{Cursor, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use gongkai_doc::Limits;
use gongkai_model::{Lang, Localized};
use gongkai_read_doc::{Error, Variant, read};
use proptest::prelude::*;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name))
        .expect("fixture")
}

/// A Word 97 FIB (csw 14, cslw 22, cbRgFcLcb 93) with `flags`, `ccp_text` and the piece table
/// at `clx` in the table stream.
fn fib(flags: u16, ccp_text: u32, clx: (u32, u32)) -> Vec<u8> {
    let mut b = vec![0u8; 32];
    b[0..2].copy_from_slice(&0xA5ECu16.to_le_bytes());
    b[2..4].copy_from_slice(&0x00C1u16.to_le_bytes());
    b[0x0A..0x0C].copy_from_slice(&flags.to_le_bytes());
    b.extend_from_slice(&14u16.to_le_bytes());
    b.extend_from_slice(&[0; 28]);
    b.extend_from_slice(&22u16.to_le_bytes());
    for i in 0..22u32 {
        b.extend_from_slice(&(if i == 3 { ccp_text } else { 0 }).to_le_bytes());
    }
    b.extend_from_slice(&93u16.to_le_bytes());
    for i in 0..93 {
        let (fc, lcb) = if i == 33 { clx } else { (0, 0) };
        b.extend_from_slice(&fc.to_le_bytes());
        b.extend_from_slice(&lcb.to_le_bytes());
    }
    b
}

/// A compound file holding the given streams.
fn compound(streams: &[(&str, &[u8])]) -> Vec<u8> {
    let mut cf = cfb::CompoundFile::create(Cursor::new(Vec::new())).expect("cfb");
    for (name, data) in streams {
        let mut s = cf.create_stream(format!("/{name}")).expect("stream");
        s.write_all(data).expect("write");
    }
    cf.flush().expect("flush");
    cf.into_inner().into_inner()
}

/// A minimal `.doc`: `text` as one UTF-16 piece stored at `piece_fc` (1024 when `None`).
fn synthetic(flags: u16, text: &str, piece_fc: Option<u32>) -> Vec<u8> {
    let units: Vec<u16> = text.encode_utf16().collect();
    let n = units.len() as u32;
    let mut clx = vec![2u8];
    clx.extend_from_slice(&16u32.to_le_bytes());
    clx.extend_from_slice(&0u32.to_le_bytes());
    clx.extend_from_slice(&n.to_le_bytes());
    clx.extend_from_slice(&0u16.to_le_bytes());
    clx.extend_from_slice(&piece_fc.unwrap_or(1024).to_le_bytes());
    clx.extend_from_slice(&0u16.to_le_bytes());
    let mut word = fib(flags | 0x0200, n, (0, clx.len() as u32));
    word.resize(1024, 0);
    word.extend(units.iter().flat_map(|u| u.to_le_bytes()));
    compound(&[("WordDocument", &word), ("1Table", &clx)])
}

/// Reads `bytes`, asserting it ends within `limit`.
fn timed(bytes: &[u8], limit: Duration) -> Result<gongkai_doc::Document, Error> {
    let start = Instant::now();
    let r = read("hostile.doc", bytes, &Limits::default());
    assert!(start.elapsed() < limit, "took {:?}", start.elapsed());
    r
}

#[test]
fn a_synthetic_document_reads() {
    let doc =
        timed(&synthetic(0, "一、总体情况\r本年度收到申请12件。\r", None), Duration::from_secs(2))
            .expect("readable");
    assert_eq!(doc.text, "一、总体情况\n本年度收到申请12件。\n");
}

#[test]
fn encrypted_and_obfuscated_flags_are_refused() {
    for flags in [0x0100, 0x8000, 0x8100] {
        let err =
            timed(&synthetic(flags, "秘密\r", None), Duration::from_secs(2)).expect_err("refused");
        assert!(matches!(err, Error::Encrypted), "{err}");
        assert!(err.message(Lang::Zh).contains("加密"), "{err}");
        assert!(err.message(Lang::En).contains("encrypted"), "{err}");
    }
    // An encrypted OOXML package is a compound file too.
    let ooxml = compound(&[("EncryptedPackage", b"\x00\x01"), ("EncryptionInfo", b"\x04\x00")]);
    assert!(matches!(timed(&ooxml, Duration::from_secs(2)), Err(Error::Encrypted)));
}

#[test]
fn other_compound_files_are_unsupported_variants() {
    for (stream, variant) in [
        ("Workbook", Variant::Excel),
        ("PowerPoint Document", Variant::PowerPoint),
        ("CONTENTS", Variant::Works),
        ("Something", Variant::OtherCompound),
    ] {
        let err = timed(&compound(&[(stream, b"x")]), Duration::from_secs(2)).expect_err("refused");
        assert!(matches!(err, Error::UnsupportedVariant(v) if v == variant), "{stream}: {err}");
        assert!(err.message(Lang::En).starts_with("unsupported variant"), "{err}");
    }
}

#[test]
fn piece_table_out_of_bounds() {
    let err =
        timed(&synthetic(0, "正文\r", Some(1 << 29)), Duration::from_secs(2)).expect_err("refused");
    assert!(matches!(err, Error::PieceOutOfBounds { piece: 0, .. }), "{err}");
    let err = timed(&synthetic(0, "正文\r", Some(u32::MAX)), Duration::from_secs(2))
        .expect_err("refused");
    assert!(matches!(err, Error::PieceOutOfBounds { .. }), "{err}");
}

#[test]
fn main_text_longer_than_the_limit() {
    let bytes = synthetic(0, "正文\r", None);
    let small = Limits { max_text_bytes: 2, ..Limits::default() };
    assert!(matches!(read("x.doc", &bytes, &small), Err(Error::TextTooLarge { limit: 2 })));
}

/// The sector size and the FAT of a version-3 compound file (512-byte sectors).
fn fat_sectors(bytes: &[u8]) -> Vec<usize> {
    let n = u32::from_le_bytes(bytes[0x2C..0x30].try_into().expect("4 bytes")) as usize;
    (0..n.min(109))
        .map(|i| {
            let at = 0x4C + 4 * i;
            u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes")) as usize
        })
        .collect()
}

#[test]
fn fat_cycles_are_errors_in_bounded_time() {
    let bytes = fixture("template-filled.doc");
    let fat = fat_sectors(&bytes);
    assert!(!fat.is_empty());
    let base = (fat[0] + 1) * 512;
    let entries = 128;
    let mut cycles = 0;
    for i in 0..entries {
        let at = base + 4 * i;
        let next = u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
        if next >= 0xFFFF_FFFA {
            continue; // free, end of chain, FAT or DIFAT sector
        }
        // A chain that comes back on itself: the sector points to itself, or to the first
        // sector of the file.
        for target in [i as u32, 0] {
            let mut hostile = bytes.clone();
            hostile[at..at + 4].copy_from_slice(&target.to_le_bytes());
            let r = timed(&hostile, Duration::from_secs(2));
            assert!(r.is_err(), "FAT[{i}] = {target} read without error");
            cycles += 1;
        }
    }
    assert!(cycles > 10, "only {cycles} chains changed");
}

#[test]
fn huge_sector_counts_are_errors_in_bounded_time() {
    let bytes = fixture("template-filled.doc");
    let good = read("x.doc", &bytes, &Limits::default()).expect("readable").text;
    // Sector numbers far past the file (first directory sector, first DIFAT sector, first FAT
    // sector): errors.
    for (at, value) in [(0x30, 0xFFFF_FFF0u32), (0x44, 0x0FFF_FFFF), (0x4C, 0x0FFF_FFFF)] {
        let mut hostile = bytes.clone();
        hostile[at..at + 4].copy_from_slice(&value.to_le_bytes());
        let r = timed(&hostile, Duration::from_secs(2));
        assert!(r.is_err(), "header field {at:#x} = {value:#x} read without error");
    }
    // Huge sector counts (FAT, mini-FAT, DIFAT sectors): the counts are not trusted — the chains
    // are followed within the file — so the document reads as before, as fast.
    for at in [0x2C, 0x40, 0x48] {
        let mut hostile = bytes.clone();
        hostile[at..at + 4].copy_from_slice(&0x7FFF_FFFFu32.to_le_bytes());
        let r = timed(&hostile, Duration::from_secs(2));
        assert_eq!(r.map(|d| d.text).ok().as_deref(), Some(good.as_str()), "{at:#x}");
    }
    // A directory entry declaring a stream far larger than the file.
    let word: Vec<u8> = "WordDocument".encode_utf16().flat_map(u16::to_le_bytes).collect();
    let entry = bytes.windows(word.len()).position(|w| w == word.as_slice()).expect("entry");
    let mut hostile = bytes.clone();
    hostile[entry + 0x78..entry + 0x7C].copy_from_slice(&0xFFFF_FF00u32.to_le_bytes());
    let err = timed(&hostile, Duration::from_secs(2)).expect_err("refused");
    assert!(matches!(err, Error::StreamTooLarge { .. } | Error::Corrupt(_)), "{err}");
}

#[test]
fn truncated_files_are_errors_not_panics() {
    let bytes = fixture("template-filled.doc");
    for cut in [8, 100, 511, 512, 1024, bytes.len() / 3, bytes.len() / 2, bytes.len() - 1] {
        assert!(timed(&bytes[..cut], Duration::from_secs(2)).is_err(), "cut at {cut}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Arbitrary bytes behind a valid compound-file header never panic.
    #[test]
    fn arbitrary_bytes_behind_a_valid_header_never_panic(tail in proptest::collection::vec(any::<u8>(), 0..6000)) {
        let mut bytes = fixture("split-runs.doc")[..512].to_vec();
        bytes.extend_from_slice(&tail);
        let _ = read("fuzz.doc", &bytes, &Limits::default());
    }

    /// Bytes of a real `.doc` overwritten at random places never panic.
    #[test]
    fn damaged_documents_never_panic(edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..40)) {
        let mut bytes = fixture("split-runs.doc");
        let n = bytes.len();
        for (i, b) in edits {
            bytes[i.index(n)] = b;
        }
        let _ = read("fuzz.doc", &bytes, &Limits::default());
    }
}
