//! Tesseract through its C API (`tesseract/capi.h`, stable since 4.0): the two dozen functions
//! gongkai's OCR reader uses are declared by hand (no bindgen, no clang at build time), and
//! [`Engine`] wraps one `TessBaseAPI` handle safely. Linked against Debian's `libtesseract-dev`
//! (`scripts/install-deps`); the models come from `tesseract-ocr-chi-sim` and `tesseract-ocr-eng`.
//!
//! An engine is created per document and per language ([`Engine::new`]) and dropped with it; it is
//! not shared between threads (`TessBaseAPI` is not thread-safe, so [`Engine`] is `!Send`).

use std::ffi::{CStr, CString, c_char, c_float, c_int};
use std::ptr::NonNull;

#[repr(C)]
struct TessBaseApi {
    _private: [u8; 0],
}
#[repr(C)]
struct TessResultIterator {
    _private: [u8; 0],
}
#[repr(C)]
struct TessPageIterator {
    _private: [u8; 0],
}
#[repr(C)]
struct TessChoiceIterator {
    _private: [u8; 0],
}
#[repr(C)]
struct EtextDesc {
    _private: [u8; 0],
}

/// `TessPageIteratorLevel::RIL_TEXTLINE`.
const RIL_TEXTLINE: c_int = 2;
/// `TessPageIteratorLevel::RIL_SYMBOL`.
const RIL_SYMBOL: c_int = 4;

unsafe extern "C" {
    fn TessBaseAPICreate() -> *mut TessBaseApi;
    fn TessBaseAPIDelete(h: *mut TessBaseApi);
    fn TessBaseAPIInit3(h: *mut TessBaseApi, datapath: *const c_char, lang: *const c_char)
    -> c_int;
    fn TessBaseAPISetVariable(
        h: *mut TessBaseApi,
        name: *const c_char,
        value: *const c_char,
    ) -> c_int;
    fn TessBaseAPISetPageSegMode(h: *mut TessBaseApi, mode: c_int);
    fn TessBaseAPISetImage(
        h: *mut TessBaseApi,
        data: *const u8,
        width: c_int,
        height: c_int,
        bytes_per_pixel: c_int,
        bytes_per_line: c_int,
    );
    fn TessBaseAPISetSourceResolution(h: *mut TessBaseApi, ppi: c_int);
    fn TessBaseAPIRecognize(h: *mut TessBaseApi, monitor: *mut EtextDesc) -> c_int;
    fn TessBaseAPIGetIterator(h: *mut TessBaseApi) -> *mut TessResultIterator;
    fn TessBaseAPIClear(h: *mut TessBaseApi);
    fn TessDeleteText(text: *const c_char);
    fn TessResultIteratorDelete(it: *mut TessResultIterator);
    fn TessResultIteratorNext(it: *mut TessResultIterator, level: c_int) -> c_int;
    fn TessResultIteratorGetUTF8Text(it: *const TessResultIterator, level: c_int) -> *mut c_char;
    fn TessResultIteratorConfidence(it: *const TessResultIterator, level: c_int) -> c_float;
    fn TessResultIteratorGetPageIteratorConst(
        it: *const TessResultIterator,
    ) -> *const TessPageIterator;
    fn TessPageIteratorBoundingBox(
        it: *const TessPageIterator,
        level: c_int,
        left: *mut c_int,
        top: *mut c_int,
        right: *mut c_int,
        bottom: *mut c_int,
    ) -> c_int;
    fn TessPageIteratorIsAtBeginningOf(it: *const TessPageIterator, level: c_int) -> c_int;
    fn TessResultIteratorGetChoiceIterator(
        it: *const TessResultIterator,
    ) -> *mut TessChoiceIterator;
    fn TessChoiceIteratorDelete(it: *mut TessChoiceIterator);
    fn TessChoiceIteratorNext(it: *mut TessChoiceIterator) -> c_int;
    fn TessChoiceIteratorGetUTF8Text(it: *const TessChoiceIterator) -> *const c_char;
    fn TessChoiceIteratorConfidence(it: *const TessChoiceIterator) -> c_float;
    fn TessMonitorCreate() -> *mut EtextDesc;
    fn TessMonitorDelete(m: *mut EtextDesc);
    fn TessMonitorSetDeadlineMSecs(m: *mut EtextDesc, deadline: c_int);
}

/// How Tesseract segments the image it is given (`TessPageSegMode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seg {
    /// `PSM_AUTO`: a page region with lines of running text.
    Auto = 3,
    /// `PSM_SINGLE_BLOCK`: a cell of a few lines.
    Block = 6,
    /// `PSM_SINGLE_LINE`: a cell of one line (a number).
    Line = 7,
}

/// One recognised character with Tesseract's confidence (0–100) and its other choices.
#[derive(Clone, Debug, PartialEq)]
pub struct Symbol {
    /// The best reading.
    pub text: String,
    /// Its confidence, 0–100.
    pub conf: f32,
    /// Every choice Tesseract offered (the best first), with confidences.
    pub choices: Vec<(String, f32)>,
    /// Whether a word starts here (a space precedes it in Tesseract's text).
    pub word_start: bool,
}

/// One recognised text line: its symbols and box (pixels of the image given).
#[derive(Clone, Debug, PartialEq)]
pub struct TextLine {
    /// The symbols in reading order.
    pub symbols: Vec<Symbol>,
    /// `[left, top, right, bottom]` in pixels.
    pub bbox: [i32; 4],
}

/// Why an engine could not be made.
#[derive(Debug, thiserror::Error)]
#[error("Tesseract could not load the language model {0} (is tesseract-ocr-chi-sim installed?)")]
pub struct InitError(pub String);

/// One Tesseract engine for one language set.
pub struct Engine {
    handle: NonNull<TessBaseApi>,
}

impl Engine {
    /// An engine for `lang` (`chi_sim`, `eng`), with `whitelist` as the only characters it may
    /// read when given. The model is loaded from Tesseract's default data directory (or
    /// `TESSDATA_PREFIX`).
    pub fn new(lang: &str, whitelist: Option<&str>) -> Result<Engine, InitError> {
        let c_lang = CString::new(lang).map_err(|_| InitError(lang.to_owned()))?;
        // SAFETY: TessBaseAPICreate has no preconditions; a null return is handled.
        let raw = unsafe { TessBaseAPICreate() };
        let handle = NonNull::new(raw).ok_or_else(|| InitError(lang.to_owned()))?;
        let engine = Engine { handle };
        // SAFETY: the handle is valid; a null data path means the library's default.
        let rc =
            unsafe { TessBaseAPIInit3(engine.handle.as_ptr(), std::ptr::null(), c_lang.as_ptr()) };
        if rc != 0 {
            return Err(InitError(lang.to_owned()));
        }
        // Tesseract's diagnostics ("Empty page!!", resolution warnings) are not ours to print.
        engine.set("debug_file", "/dev/null");
        // Every LSTM choice per character (not only the best), for the alternatives.
        engine.set("lstm_choice_mode", "2");
        // No dictionary correction: numbers and labels are not words of a language model.
        engine.set("load_system_dawg", "0");
        engine.set("load_freq_dawg", "0");
        engine.set("preserve_interword_spaces", "1");
        if let Some(w) = whitelist {
            engine.set("tessedit_char_whitelist", w);
        }
        Ok(engine)
    }

    fn set(&self, name: &str, value: &str) {
        let (Ok(n), Ok(v)) = (CString::new(name), CString::new(value)) else { return };
        // SAFETY: valid handle and NUL-terminated strings that outlive the call.
        unsafe { TessBaseAPISetVariable(self.handle.as_ptr(), n.as_ptr(), v.as_ptr()) };
    }

    /// Recognises an 8-bit grey image (`width` × `height`, rows of `width` bytes) at `ppi`, in
    /// `seg` mode, within `deadline_ms`. Returns its text lines.
    pub fn recognise(
        &mut self,
        grey: &[u8],
        width: u32,
        height: u32,
        ppi: u32,
        seg: Seg,
        deadline_ms: u32,
    ) -> Vec<TextLine> {
        let (Ok(w), Ok(h), Ok(p)) =
            (c_int::try_from(width), c_int::try_from(height), c_int::try_from(ppi))
        else {
            return Vec::new();
        };
        let needed = (width as usize).checked_mul(height as usize);
        if w < 3 || h < 3 || needed != Some(grey.len()) {
            return Vec::new();
        }
        let api = self.handle.as_ptr();
        let mut out = Vec::new();
        // SAFETY: `grey` holds exactly width × height bytes and outlives recognition (the image is
        // cleared before returning); every pointer Tesseract returns is checked for null and
        // freed with its matching function.
        unsafe {
            TessBaseAPISetPageSegMode(api, seg as c_int);
            TessBaseAPISetImage(api, grey.as_ptr(), w, h, 1, w);
            TessBaseAPISetSourceResolution(api, p);
            let monitor = TessMonitorCreate();
            if !monitor.is_null() {
                TessMonitorSetDeadlineMSecs(
                    monitor,
                    c_int::try_from(deadline_ms).unwrap_or(c_int::MAX),
                );
            }
            let rc = TessBaseAPIRecognize(api, monitor);
            if !monitor.is_null() {
                TessMonitorDelete(monitor);
            }
            if rc == 0 {
                let it = TessBaseAPIGetIterator(api);
                if !it.is_null() {
                    collect(it, &mut out);
                    TessResultIteratorDelete(it);
                }
            }
            TessBaseAPIClear(api);
        }
        out
    }
}

/// Walks a result iterator symbol by symbol, grouping symbols into lines.
///
/// # Safety
/// `it` must be a valid result iterator of a recognised image.
unsafe fn collect(it: *mut TessResultIterator, out: &mut Vec<TextLine>) {
    const RIL_WORD: c_int = 3;
    loop {
        // SAFETY: `it` is valid (caller); returned strings are freed below.
        unsafe {
            let page = TessResultIteratorGetPageIteratorConst(it);
            if !page.is_null() && TessPageIteratorIsAtBeginningOf(page, RIL_TEXTLINE) != 0 {
                let mut b = [0 as c_int; 4];
                TessPageIteratorBoundingBox(
                    page,
                    RIL_TEXTLINE,
                    &mut b[0],
                    &mut b[1],
                    &mut b[2],
                    &mut b[3],
                );
                out.push(TextLine { symbols: Vec::new(), bbox: b });
            }
            let word_start =
                !page.is_null() && TessPageIteratorIsAtBeginningOf(page, RIL_WORD) != 0;
            let raw = TessResultIteratorGetUTF8Text(it, RIL_SYMBOL);
            if !raw.is_null() {
                let text = CStr::from_ptr(raw).to_string_lossy().into_owned();
                TessDeleteText(raw);
                let conf = TessResultIteratorConfidence(it, RIL_SYMBOL);
                let mut choices = Vec::new();
                let ci = TessResultIteratorGetChoiceIterator(it);
                if !ci.is_null() {
                    loop {
                        let t = TessChoiceIteratorGetUTF8Text(ci);
                        if !t.is_null() {
                            choices.push((
                                CStr::from_ptr(t).to_string_lossy().into_owned(),
                                TessChoiceIteratorConfidence(ci),
                            ));
                        }
                        if choices.len() >= 8 || TessChoiceIteratorNext(ci) == 0 {
                            break;
                        }
                    }
                    TessChoiceIteratorDelete(ci);
                }
                if out.is_empty() {
                    out.push(TextLine { symbols: Vec::new(), bbox: [0; 4] });
                }
                if let Some(line) = out.last_mut() {
                    line.symbols.push(Symbol { text, conf, choices, word_start });
                }
            }
            if TessResultIteratorNext(it, RIL_SYMBOL) == 0 {
                break;
            }
        }
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        // SAFETY: the handle was created by TessBaseAPICreate and is deleted once.
        unsafe { TessBaseAPIDelete(self.handle.as_ptr()) };
    }
}
