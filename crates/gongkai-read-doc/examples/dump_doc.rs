//! Prints the blocks the `.doc` reader lays out: `cargo run -p gongkai-read-doc --example dump_doc FILE…`.
#![allow(clippy::print_stdout, clippy::print_stderr)]

fn main() {
    for path in std::env::args().skip(1) {
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{path}: {e}");
                continue;
            }
        };
        match gongkai_read_doc::read(&path, &bytes, &gongkai_doc::Limits::default()) {
            Ok(doc) => {
                println!("== {path}");
                print!("{}", gongkai_doc::dump(&doc));
                for n in &doc.notes {
                    println!("note {n:?}");
                }
                for (k, v) in &doc.properties {
                    println!("property {k} = {v}");
                }
            }
            Err(e) => println!("== {path}: {e}"),
        }
    }
}
