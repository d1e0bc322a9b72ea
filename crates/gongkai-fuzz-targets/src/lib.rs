//! The bodies of gongkai's fuzz targets, with the resource bounds each one asserts.
//!
//! The cargo-fuzz project at the repository root (`fuzz/`, nightly, libFuzzer) has one binary per
//! [`Target`]: each only calls [`Target::check`] on the input. The same function replays the
//! committed corpus (`fuzz/corpus/<target>/`) on stable in this crate's test (`cargo test -p
//! gongkai-fuzz-targets`), so a normal test run is the cheap guard that no committed input — the
//! seeds, and every crash found — panics or exceeds its bounds.
//!
//! Bounds, not only "no panic": every input must finish within [`Target::seconds`] of wall time
//! and allocate at most [`Target::peak_bytes`] above what was allocated before it (measured by a
//! counting global allocator, [`PEAK`], declared here so that every binary linking this crate —
//! the fuzz targets and the replay test — counts). The readers run under [`limits`], the bounds
//! of [`Limits`] scaled to fuzzing; the memory bound of each target is derived from them.
//!
//! Bytes reach the readers, the JSON and cell-list inputs, register import, the calendar loader
//! and the upload pipeline directly. The recognizer ([`recognize`]) and the case state machine
//! ([`case_events`]) get structured input built with [`arbitrary`]: documents made of the
//! labels a report is made of, and event sequences that keep their dates in order.

use std::sync::OnceLock;
use std::time::Duration;

use arbitrary::{Arbitrary, Unstructured};
use gongkai_doc::{Document, DocumentBuilder, Format, Limits};
use gongkai_model::Lang;

mod cases;
mod recognize;

/// Counts every allocation of the process: current and peak bytes.
#[global_allocator]
pub static PEAK: peak_alloc::PeakAlloc = peak_alloc::PeakAlloc;

/// The limits every reader runs under while fuzzed: [`Limits::default`] scaled down to fuzzing
/// inputs (libFuzzer's inputs are a few KiB; the committed seeds at most 64 KiB), so that a
/// bound exceeded shows within the time and memory of one input.
pub fn limits() -> Limits {
    Limits {
        max_input_bytes: 1 << 20,
        max_text_bytes: 1 << 20,
        max_nesting: 64,
        max_zip_entries: 1_000,
        max_zip_uncompressed: 16 << 20,
        max_zip_ratio: 200,
        max_pages: 50,
        max_line_bytes: 256 << 10,
        // A fuzzed scan is read by OCR only within a small image and a few seconds.
        max_image_pixels: 4_000_000,
        max_ocr_seconds: 5,
    }
}

/// The memory bound of a reader of plain bytes (text, HTML, PDF, JSON, cell lists, CSV, TOML):
/// 64 MiB plus 64 times the text limit — a document's text held a few times over, with its
/// blocks, spans and the recognizer's work.
pub fn bytes_reader_peak(l: &Limits) -> u64 {
    (64 << 20) + 64 * (l.max_text_bytes as u64)
}

/// The memory bound of a reader of zip containers (DOCX, XLSX, uploads): the plain reader's bound
/// plus four times everything the zip guard lets it inflate.
pub fn zip_reader_peak(l: &Limits) -> u64 {
    bytes_reader_peak(l) + 4 * l.max_zip_uncompressed
}

/// One fuzz target: its name (the binary in `fuzz/`, the corpus directory), its body and its
/// bounds.
#[derive(Clone, Copy, Debug)]
pub struct Target {
    /// The name: `fuzz/fuzz_targets/<name>.rs`, `fuzz/corpus/<name>/`.
    pub name: &'static str,
    /// What it fuzzes.
    pub about: &'static str,
    /// The body: panics on any violated invariant.
    pub run: fn(&[u8]),
    /// Wall time allowed for one input (release build; the replay test allows debug builds 10
    /// times as much, sanitised fuzz builds 5 times).
    pub seconds: u64,
    /// Whether the memory bound is the zip readers' ([`zip_reader_peak`]) or the plain
    /// readers' ([`bytes_reader_peak`]).
    pub zip: bool,
}

impl Target {
    /// Bytes one input may allocate above what was allocated before it.
    pub fn peak_bytes(&self) -> u64 {
        let l = limits();
        if self.zip { zip_reader_peak(&l) } else { bytes_reader_peak(&l) }
    }

    /// Runs the target on `data` and asserts its bounds: CPU time at most `seconds × slack`,
    /// allocations at most [`Target::peak_bytes`] above the start. Returns the CPU time taken and
    /// the peak.
    ///
    /// The time is the process's CPU time, not the wall clock: a long fuzzing run at low priority
    /// on a busy machine waits for the CPU far longer than it computes, and a bound on the wall
    /// clock then fails inputs that are quick (libFuzzer's own `-timeout`, on the wall clock,
    /// stays the backstop for a hang). Threads the input starts (Tesseract's) are counted.
    ///
    /// # Panics
    /// When the body panics (a bug found) or a bound is exceeded.
    pub fn check(&self, data: &[u8], slack: u32) -> (Duration, u64) {
        let before = PEAK.current_usage();
        PEAK.reset_peak_usage();
        let start = cpu_time();
        (self.run)(data);
        let took = cpu_time().saturating_sub(start);
        let peak = (PEAK.peak_usage().saturating_sub(before)) as u64;
        let allowed = Duration::from_secs(self.seconds.saturating_mul(u64::from(slack)));
        assert!(took <= allowed, "{}: {took:?} for one input, bound {allowed:?}", self.name);
        assert!(
            peak <= self.peak_bytes(),
            "{}: {peak} bytes allocated for one input, bound {}",
            self.name,
            self.peak_bytes()
        );
        (took, peak)
    }
}

/// The CPU time the process has used so far (user and system, every thread).
fn cpu_time() -> Duration {
    use nix::time::{ClockId, clock_gettime};
    // Invariant: CLOCK_PROCESS_CPUTIME_ID is supported on every Linux; zero only if it is not,
    // which makes the bound vacuous rather than wrong.
    clock_gettime(ClockId::CLOCK_PROCESS_CPUTIME_ID).map(Duration::from).unwrap_or_default()
}

/// Every target.
pub const TARGETS: &[Target] = &[
    Target { name: "read_text", about: "the text reader", run: read_text, seconds: 2, zip: false },
    Target {
        name: "read_markdown",
        about: "the text reader on Markdown (named .md)",
        run: read_markdown,
        seconds: 2,
        zip: false,
    },
    Target { name: "read_html", about: "the HTML reader", run: read_html, seconds: 2, zip: false },
    Target { name: "read_docx", about: "the DOCX reader", run: read_docx, seconds: 3, zip: true },
    Target {
        name: "read_doc",
        about: "the legacy Word reader (.doc, .wps compound files)",
        run: read_doc,
        seconds: 3,
        zip: false,
    },
    Target { name: "read_pdf", about: "the PDF reader", run: read_pdf, seconds: 5, zip: false },
    Target { name: "read_xlsx", about: "the XLSX reader", run: read_xlsx, seconds: 3, zip: true },
    Target {
        name: "read_image",
        about: "the OCR reader: image files (JPEG, PNG, TIFF) and scanned PDF pages",
        run: read_image,
        seconds: 10,
        zip: false,
    },
    Target {
        name: "recognize",
        about: "the recognizer and the rules on structured documents (arbitrary)",
        run: recognize::run,
        seconds: 3,
        zip: false,
    },
    Target {
        name: "report_json",
        about: "gongkai-report JSON input, checked, written back as a cell list",
        run: report_json,
        seconds: 2,
        zip: false,
    },
    Target {
        name: "report_tsv",
        about: "cell-list (tsv) input, checked",
        run: report_tsv,
        seconds: 2,
        zip: false,
    },
    Target {
        name: "register_xlsx",
        about: "register import of an XLSX workbook",
        run: register_xlsx,
        seconds: 3,
        zip: true,
    },
    Target {
        name: "register_csv",
        about: "register import of a CSV file",
        run: register_csv,
        seconds: 3,
        zip: false,
    },
    Target {
        name: "calendar",
        about: "the calendar file loader (TOML), then working-day arithmetic on what it built",
        run: calendar,
        seconds: 2,
        zip: false,
    },
    Target {
        name: "upload",
        about: "the server's per-file upload pipeline: expand (zip) then read each file",
        run: upload,
        seconds: 5,
        zip: true,
    },
    Target {
        name: "case_events",
        about: "Case::apply on event sequences (arbitrary): never panics, replay equals incremental",
        run: cases::run,
        seconds: 2,
        zip: false,
    },
];

/// The target named `name`.
pub fn target(name: &str) -> Option<&'static Target> {
    TARGETS.iter().find(|t| t.name == name)
}

/// What every reader's document must satisfy: text within the limit, blocks' spans inside the
/// text on character boundaries.
fn check_document(doc: &Document, l: &Limits) {
    assert!(doc.text.len() <= l.max_text_bytes, "text of {} bytes past the limit", doc.text.len());
    for b in &doc.blocks {
        let span = b.span();
        let (s, e) = (span.start as usize, span.end as usize);
        assert!(s <= e && e <= doc.text.len(), "block span {s}..{e} outside {}", doc.text.len());
        assert!(doc.text.is_char_boundary(s) && doc.text.is_char_boundary(e), "span {s}..{e}");
    }
    let _ = gongkai_doc::dump(doc);
}

fn read_text(data: &[u8]) {
    let l = limits();
    if let Ok(doc) = gongkai_read_text::read("fuzz.txt", data, &l) {
        check_document(&doc, &l);
    }
}

fn read_markdown(data: &[u8]) {
    let l = limits();
    if let Ok(doc) = gongkai_read_text::read("fuzz.md", data, &l) {
        assert_eq!(doc.format, Some(Format::Markdown));
        check_document(&doc, &l);
    }
}

fn read_html(data: &[u8]) {
    let l = limits();
    if let Ok(doc) = gongkai_read_html::read("fuzz.html", data, &l) {
        check_document(&doc, &l);
    }
}

fn read_docx(data: &[u8]) {
    let l = limits();
    if let Ok(doc) = gongkai_read_docx::read("fuzz.docx", data, &l) {
        check_document(&doc, &l);
    }
}

fn read_doc(data: &[u8]) {
    let l = limits();
    if let Ok(doc) = gongkai_read_doc::read("fuzz.doc", data, &l) {
        check_document(&doc, &l);
    }
}

fn read_pdf(data: &[u8]) {
    let l = limits();
    if let Ok(doc) = gongkai_read_pdf::read("fuzz.pdf", data, &l) {
        check_document(&doc, &l);
    }
}

/// An image file, or a PDF whose pages without text are read by OCR.
fn read_image(data: &[u8]) {
    let l = limits();
    let doc = if gongkai_read_image::sniff(data) {
        gongkai_read_image::read_image("fuzz.png", data, &l).ok()
    } else {
        gongkai_read_image::read_pdf("fuzz.pdf", data, &l).ok()
    };
    if let Some(doc) = doc {
        check_document(&doc, &l);
    }
}

fn read_xlsx(data: &[u8]) {
    let l = limits();
    if let Ok(doc) = gongkai_read_xlsx::read("fuzz.xlsx", data, &l) {
        check_document(&doc, &l);
    }
}

/// A report read from JSON is checked, and gongkai's own cell list of it reads back.
fn report_json(data: &[u8]) {
    if let Some(Ok(report)) = gongkai_pipeline::report_json(data) {
        let _ = gongkai_rules::check(&report);
        let tsv = gongkai_model::tsv::to_tsv(&report);
        let list = gongkai_model::tsv::parse_tsv(&tsv)
            .unwrap_or_else(|e| panic!("gongkai's own cell list does not read back: {e}\n{tsv}"));
        let _ = gongkai_model::tsv::report_from_cells(&list);
    }
}

fn report_tsv(data: &[u8]) {
    if let Some(Ok(report)) = gongkai_pipeline::report_cells("fuzz.tsv", data) {
        let _ = gongkai_rules::check(&report);
        let _ = gongkai_model::tsv::to_tsv(&report);
    }
}

/// The calendar and the policy the casework targets run under (the official tables).
fn env() -> gongkai_cases::case::Env<'static> {
    static CALENDAR: OnceLock<gongkai_calendar::Calendar> = OnceLock::new();
    let calendar = CALENDAR.get_or_init(gongkai_calendar::Calendar::official);
    gongkai_cases::case::Env { calendar, policy: &gongkai_cases::case::Policy::CONSERVATIVE }
}

fn today() -> jiff::civil::Date {
    jiff::civil::date(2025, 1, 10)
}

fn register_import(name: &str, data: &[u8]) {
    let l = limits();
    if let Err(e) = gongkai_register::import(name, data, today(), env(), &l) {
        // Every refusal can be said in both languages.
        let _ = gongkai_register::all_errors(&e, Lang::Zh);
        let _ = gongkai_register::all_errors(&e, Lang::En);
    }
}

fn register_xlsx(data: &[u8]) {
    register_import("register.xlsx", data);
}

fn register_csv(data: &[u8]) {
    register_import("register.csv", data);
}

/// A calendar file on its own and added to the official tables; what builds answers working-day
/// questions consistently.
fn calendar(data: &[u8]) {
    use gongkai_calendar::CalendarBuilder;
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = CalendarBuilder::new().add_toml("fuzz.toml", text).and_then(CalendarBuilder::build);
    let Ok(cal) =
        CalendarBuilder::official().add_toml("fuzz.toml", text).and_then(CalendarBuilder::build)
    else {
        return;
    };
    let (first, _) = cal.years();
    let start = jiff::civil::date(first.max(2019), 1, 1);
    for n in [0u32, 1, 20, 40] {
        if let Ok(due) = cal.add_working_days(start, n) {
            assert!(due >= start, "{n} working days from {start} is {due}");
            if let Ok(between) = cal.working_days_between(start, due) {
                assert!(between <= n.saturating_add(1), "{between} working days, added {n}");
            }
        }
        if let Ok(explanation) = cal.explain_add(start, n) {
            let _ = (explanation.text(Lang::Zh), explanation.text(Lang::En));
        }
    }
    let _ = cal.year_sources();
}

/// The server's upload path: [`gongkai_pipeline::collect::expand`] then
/// [`gongkai_pipeline::collect::read`] on every file, exactly as `routes/collect.rs` and the
/// background reader call them.
fn upload(data: &[u8]) {
    let l = limits();
    for file in gongkai_pipeline::collect::expand("upload.zip", data.to_vec(), &l) {
        if let Ok(bytes) = &file.bytes {
            assert!(bytes.len() as u64 <= l.max_input_bytes.max(data.len() as u64));
            let _ = gongkai_pipeline::collect::format_of(&file.file_name);
            let _ = gongkai_pipeline::collect::read(&file.file_name, bytes, &l);
        }
    }
}

/// A document built from parts: what [`recognize`] feeds the recognizer.
fn build(parts: &[recognize::Part]) -> Document {
    let mut b = DocumentBuilder::new("fuzz.txt", Format::Text);
    recognize::lay_out(&mut b, parts);
    b.finish()
}

/// Structured input from raw bytes (the fuzz targets call the bodies with raw bytes).
fn structured<'a, T: Arbitrary<'a>>(data: &'a [u8]) -> Option<T> {
    T::arbitrary_take_rest(Unstructured::new(data)).ok()
}
