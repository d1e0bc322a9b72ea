//! Prints a PDF's glyphs and rulings (development aid).
fn main() {
    let path = std::env::args().nth(1).unwrap_or_default();
    let bytes = std::fs::read(&path).unwrap_or_default();
    print!("{}", gongkai_read_pdf::debug_glyphs(&bytes));
}
