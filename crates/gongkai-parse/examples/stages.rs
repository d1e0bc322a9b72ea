//! Times the recognizer's stages on a file (development tool for profiling).

#![allow(clippy::print_stdout, reason = "a development tool")]

use std::time::Instant;

fn main() {
    let path = std::env::args().nth(1).unwrap_or_default();
    let bytes = std::fs::read(&path).unwrap_or_default();
    let limits = gongkai_doc::Limits::default();
    let n: u32 = std::env::var("N").ok().and_then(|v| v.parse().ok()).unwrap_or(300);
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(gongkai_read_text::read(&path, &bytes, &limits).ok());
    }
    let decode = t.elapsed() / n;
    let Ok(doc) = gongkai_read_text::read(&path, &bytes, &limits) else { return };
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(gongkai_parse::parse(&doc));
    }
    let parse = t.elapsed() / n;
    println!("decode {decode:?} parse {parse:?}");
    if std::env::var_os("PROFILE").is_none() {
        return;
    }
    for (name, d) in gongkai_parse::profile(&doc, n) {
        println!("  {name}: {d:?}");
    }
}
