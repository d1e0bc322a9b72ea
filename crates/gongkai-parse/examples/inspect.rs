//! Prints what the recognizer reads from a text file: the cell list and the findings.
//! `cargo run -p gongkai-parse --example inspect -- FILE`

#![allow(clippy::print_stdout, reason = "a development tool")]

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        println!("usage: inspect FILE");
        return;
    };
    let bytes = std::fs::read(&path).unwrap_or_default();
    match gongkai_read_text::read(&path, &bytes, &gongkai_doc::Limits::default()) {
        Ok(doc) => {
            let p = gongkai_parse::parse(&doc);
            print!("{}", gongkai_model::tsv::to_tsv(&p.report));
            for f in &p.findings {
                println!("# {} {:?}: {}", f.rule, f.severity, f.message.zh);
            }
            for s in &p.report.sections {
                println!(
                    "# section {} [{}] {} chars: {}",
                    s.id.number(),
                    s.heading.value,
                    s.text.chars().count(),
                    s.text.chars().take(80).collect::<String>()
                );
            }
        }
        Err(e) => println!("error: {e}"),
    }
}
