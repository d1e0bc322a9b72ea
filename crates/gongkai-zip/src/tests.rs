use std::io::Write as _;

use proptest::prelude::*;

use super::*;

/// A zip with the given (name, content) entries, deflated.
fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    {
        let mut w = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, content) in entries {
            w.start_file(*name, opts).expect("entry");
            w.write_all(content).expect("write");
        }
        w.finish().expect("finish");
    }
    out.into_inner()
}

/// The same zip with every entry's declared uncompressed size replaced by `size` (local headers
/// and central directory): a container whose directory lies.
fn lying(mut zip: Vec<u8>, size: u32) -> Vec<u8> {
    let mut i = 0;
    while i + 30 <= zip.len() {
        let at = match &zip[i..i + 4] {
            b"PK\x03\x04" => Some(i + 22),
            b"PK\x01\x02" => Some(i + 24),
            _ => None,
        };
        if let Some(at) = at {
            zip[at..at + 4].copy_from_slice(&size.to_le_bytes());
        }
        i += 1;
    }
    zip
}

#[test]
fn small_entries_are_read_and_counted() {
    let limits = Limits::default();
    let bytes = zip_of(&[("a.txt", b"hello"), ("dir/b.txt", "政府信息公开".as_bytes())]);
    let mut zip = Archive::open(&bytes, &limits).expect("open");
    assert_eq!(zip.len(), 2);
    assert!(zip.contains("a.txt") && !zip.contains("c.txt"));
    assert_eq!(zip.read("a.txt").expect("read"), Some(b"hello".to_vec()));
    assert_eq!(zip.read("c.txt").expect("absent"), None);
    let b = zip.entry(1).expect("entry");
    assert_eq!((b.name.as_str(), b.is_dir), ("dir/b.txt", false));
    assert_eq!(b.data, "政府信息公开".as_bytes());
    assert_eq!(zip.inflated(), 5 + 18);
}

#[test]
fn not_a_zip_and_too_many_entries_are_refused_before_inflating() {
    let limits = Limits::default();
    assert!(matches!(Archive::open(b"not a zip", &limits), Err(ZipError::Open(_))));
    assert!(matches!(Archive::open(b"", &limits), Err(ZipError::Open(_))));
    let bytes = zip_of(&[("1", b"1"), ("2", b"2"), ("3", b"3")]);
    let few = Limits { max_zip_entries: 2, ..Limits::default() };
    assert_eq!(
        Archive::open(&bytes, &few).expect_err("refused"),
        ZipError::TooManyEntries { count: 3, limit: 2 }
    );
}

#[test]
fn a_bomb_is_refused_by_ratio() {
    // 8 MiB of zeros deflate to about 8 KiB: a ratio of 1000, beyond 200, above the floor.
    let zeros = vec![0u8; 8 << 20];
    let bytes = zip_of(&[("word/document.xml", &zeros)]);
    let limits = Limits::default();
    let mut zip = Archive::open(&bytes, &limits).expect("open");
    let err = zip.read("word/document.xml").expect_err("bomb");
    assert_eq!(err, ZipError::Ratio { entry: "word/document.xml".into(), limit: 200 });
    assert!(err.is_limit());
    assert_eq!(zip.inflated(), 0, "refused from its declared size, before inflating");
    let mut again = Archive::open(&bytes, &limits).expect("open");
    assert!(matches!(again.check_all(), Err(ZipError::Ratio { .. })));
}

#[test]
fn a_lying_directory_cannot_make_it_inflate_past_the_cap() {
    // Declares 100 bytes, holds 8 MiB of zeros: the counter stops one byte past the cap.
    let bytes = lying(zip_of(&[("x.xml", &vec![0u8; 8 << 20])]), 100);
    let limits = Limits::default();
    let mut zip = Archive::open(&bytes, &limits).expect("open");
    match zip.read("x.xml") {
        Err(ZipError::Ratio { .. } | ZipError::Corrupt { .. }) => {}
        other => panic!(
            "a bomb with a lying directory was read: {:?}",
            other.map(|d| d.map(|d| d.len()))
        ),
    }
    assert!(zip.inflated() <= RATIO_FLOOR.max(8 * 1024 * 200));
    let mut again = Archive::open(&bytes, &limits).expect("open");
    assert!(again.check_all().is_err());
}

#[test]
fn small_entries_are_exempt_from_the_ratio_under_the_floor() {
    // 512 KiB of zeros: a huge ratio, but below the floor.
    let bytes = zip_of(&[("z", &vec![0u8; 512 << 10])]);
    let limits = Limits::default();
    let mut zip = Archive::open(&bytes, &limits).expect("open");
    assert_eq!(zip.read("z").expect("read").map(|d| d.len()), Some(512 << 10));
}

#[test]
fn the_total_and_the_entry_limit_are_bounds_too() {
    let bytes = zip_of(&[("1.txt", &[b'a'; 600]), ("2.txt", &[b'b'; 600])]);
    let total = Limits { max_zip_uncompressed: 1000, ..Limits::default() };
    let mut zip = Archive::open(&bytes, &total).expect("open");
    assert_eq!(zip.entry(0).expect("first").data.len(), 600);
    assert_eq!(
        zip.entry(1).expect_err("second"),
        ZipError::Total { entry: "2.txt".into(), limit: 1000 }
    );
    let limits = Limits::default();
    let mut zip = Archive::open(&bytes, &limits).expect("open").with_max_entry(500);
    assert_eq!(
        zip.entry(0).expect_err("too large"),
        ZipError::EntryTooLarge { entry: "1.txt".into(), limit: 500 }
    );
}

#[test]
fn messages_are_said_in_each_language() {
    let all = [
        ZipError::Open("EOF".into()),
        ZipError::TooManyEntries { count: 3, limit: 2 },
        ZipError::Encrypted { entry: "a".into() },
        ZipError::Ratio { entry: "a".into(), limit: 200 },
        ZipError::Total { entry: "a".into(), limit: 10 },
        ZipError::EntryTooLarge { entry: "a".into(), limit: 10 },
        ZipError::Corrupt { entry: "a".into(), detail: "bad".into() },
    ];
    for e in all {
        let zh = e.message(gongkai_model::Lang::Zh);
        let en = e.message(gongkai_model::Lang::En);
        assert!(zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{zh}");
        assert!(!en.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{en}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Whatever the bytes, opening and inflating everything never panics and never inflates
    /// more than the total limit.
    #[test]
    fn arbitrary_bytes_never_inflate_past_the_total(
        bytes in proptest::collection::vec(any::<u8>(), 0..2048),
        total in 0u64..4096,
    ) {
        let limits = Limits { max_zip_uncompressed: total, ..Limits::default() };
        if let Ok(mut zip) = Archive::open(&bytes, &limits) {
            for i in 0..zip.len() {
                let _ = zip.entry(i);
            }
            prop_assert!(zip.inflated() <= total);
        }
    }

    /// Mutated real zips: the same.
    #[test]
    fn mutated_zips_never_inflate_past_the_total(
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
    ) {
        let mut bytes = zip_of(&[("a.xml", &[b'x'; 3000]), ("b.xml", b"<b/>")]);
        for (at, v) in flips {
            let i = at.index(bytes.len());
            bytes[i] = v;
        }
        let limits = Limits { max_zip_uncompressed: 2000, ..Limits::default() };
        if let Ok(mut zip) = Archive::open(&bytes, &limits) {
            let _ = zip.check_all();
            prop_assert!(zip.inflated() <= 2000);
        }
    }
}
