//! Links libtesseract (Debian's `libtesseract-dev`, installed by `scripts/install-deps`). The few
//! functions of its C API this crate calls are declared by hand in `src/tess.rs`: no bindgen, no
//! clang, nothing compiled here.

fn main() {
    println!("cargo:rustc-link-lib=tesseract");
    println!("cargo:rerun-if-changed=build.rs");
}
