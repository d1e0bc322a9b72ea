//! Reads a scanned PDF or image file by OCR and prints the document laid out (blocks and notes),
//! the readings offered for `?` cells, with the seconds taken: `cargo run --release -p gongkai-read-image --example ocr_dump -- FILE`.
#![allow(clippy::print_stdout, missing_docs)]

fn main() -> anyhow::Result<()> {
    let path = std::env::args().nth(1).ok_or_else(|| anyhow::anyhow!("usage: ocr_dump FILE"))?;
    let bytes = std::fs::read(&path)?;
    let limits = gongkai_doc::Limits::default();
    let start = std::time::Instant::now();
    let doc = if gongkai_read_image::sniff(&bytes) {
        gongkai_read_image::read_image(&path, &bytes, &limits)?
    } else {
        gongkai_read_image::read_pdf(&path, &bytes, &limits)?
    };
    let secs = start.elapsed().as_secs_f64();
    print!("{}", gongkai_doc::dump(&doc));
    for c in &doc.choices {
        let (line, col) = doc.line_col(c.span.start);
        println!("choices at {line}:{col}: {}", c.values.join(" / "));
    }
    for n in &doc.notes {
        println!("note {}: {}", n.rule, n.message.en);
    }
    println!("seconds: {secs:.2}");
    Ok(())
}
