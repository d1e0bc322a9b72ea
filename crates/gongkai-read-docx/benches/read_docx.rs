//! Documents per second reading the filled official template, against a baseline measured in the
//! same run: opening the zip, inflating `word/document.xml` and pulling every quick-xml event from
//! it, and nothing else. The ratio is the reader's own cost (guards, tree, walk, layout, core
//! properties) on top of unzipping and tokenising.

// `criterion_group!` generates an undocumented public function.
#![allow(missing_docs)]

use std::io::{Cursor, Read};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gongkai_doc::Limits;

fn file() -> Vec<u8> {
    std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/template-filled.docx"))
        .expect("the fixture")
}

/// Unzip and tokenise: the work any DOCX reader must do.
fn baseline(bytes: &[u8]) -> usize {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut xml = Vec::new();
    zip.by_name("word/document.xml").expect("part").read_to_end(&mut xml).expect("inflate");
    let mut reader = quick_xml::Reader::from_reader(xml.as_slice());
    let mut buf = Vec::new();
    let mut events = 0;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(quick_xml::events::Event::Eof) | Err(_) => return events,
            Ok(_) => events += 1,
        }
        buf.clear();
    }
}

fn bench(c: &mut Criterion) {
    let bytes = file();
    let limits = Limits::default();
    let mut g = c.benchmark_group("template-filled.docx");
    g.throughput(Throughput::Elements(1));
    g.bench_function("baseline: unzip + quick-xml events", |b| {
        b.iter(|| baseline(std::hint::black_box(&bytes)))
    });
    g.bench_function("gongkai_read_docx::read", |b| {
        b.iter(|| {
            gongkai_read_docx::read("template-filled.docx", std::hint::black_box(&bytes), &limits)
        });
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
