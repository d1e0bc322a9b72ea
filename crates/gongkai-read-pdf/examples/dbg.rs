//! Prints the document dump of a PDF (development aid).
fn main() {
    let path = std::env::args().nth(1).unwrap_or_default();
    let bytes = std::fs::read(&path).unwrap_or_default();
    match gongkai_read_pdf::read(&path, &bytes, &gongkai_doc::Limits::default()) {
        Ok(doc) => {
            print!("{}", gongkai_doc::dump(&doc));
            for n in &doc.notes {
                println!("NOTE {} {}", n.rule, n.message.en);
            }
        }
        Err(e) => println!("ERROR {e}"),
    }
}
