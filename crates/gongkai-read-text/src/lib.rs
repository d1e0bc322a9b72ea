//! Reads reports published as plain text or Markdown (crawler text, OCR and converter output)
//! into a [`Document`].
//!
//! - [`decode`] turns bytes into text: UTF-8 (a few invalid bytes replaced and noted), UTF-16 with
//!   or without BOM, or GBK/GB18030 detected;
//! - [`read`] lays the text out as blocks: every line is a paragraph, except that consecutive
//!   Markdown/`|`-separated lines become a [`Grid`](gongkai_doc::Grid) (the `|---|` rule dropped).
//!
//! The text is kept verbatim (only line breaks are normalised to `\n`), so spans point at what was
//! printed. Table recognition happens later, in `gongkai-parse`.

mod decode;
mod markdown;

pub use decode::{Decoded, decode};

use gongkai_doc::{Block, Document, Format, Limits, Para};
use gongkai_model::{Localized, Msg, Span};

/// Why a text input cannot be read at all. [`Error::message`] says it in one language; the
/// `Display` form gives Chinese and English (`中文 / English`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.bilingual())]
pub enum Error {
    /// The input is larger than [`Limits::max_input_bytes`].
    TooLarge {
        /// Input size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// A line is longer than [`Limits::max_line_bytes`].
    LineTooLong {
        /// 1-based line number.
        line: usize,
        /// Its length.
        len: usize,
        /// The limit.
        limit: usize,
    },
    /// The bytes are not text (binary data).
    Binary {
        /// Why it looks binary, in Chinese.
        zh: &'static str,
        /// Why it looks binary, in English.
        en: &'static str,
    },
    /// The input is empty.
    Empty,
    /// The decoded text is larger than [`Limits::max_text_bytes`].
    TextTooLarge {
        /// Decoded size.
        size: usize,
        /// The limit.
        limit: usize,
    },
}

impl Error {
    /// The message in both languages.
    fn text(&self) -> Msg {
        match self {
            Error::TooLarge { size, limit } => Msg::new(
                format!("文件过大：{size} 字节，上限 {limit} 字节"),
                format!("file too large: {size} bytes (limit {limit})"),
            ),
            Error::LineTooLong { line, len, limit } => Msg::new(
                format!("第 {line} 行过长：{len} 字节，上限 {limit} 字节"),
                format!("line {line} too long: {len} bytes (limit {limit})"),
            ),
            Error::Binary { zh, en } => {
                Msg::new(format!("不是文本文件（{zh}）"), format!("not a text file ({en})"))
            }
            Error::Empty => Msg::new("文件为空", "empty file"),
            Error::TextTooLarge { size, limit } => Msg::new(
                format!("文本过大：{size} 字节，上限 {limit} 字节"),
                format!("text too large: {size} bytes (limit {limit})"),
            ),
        }
    }
}

impl Localized for Error {
    fn words(&self) -> (Msg, Option<String>) {
        (self.text(), None)
    }
}

/// Reads text or Markdown bytes into a document. `name` is the display name (usually the path).
///
/// # Errors
/// When the input is too large, binary, empty, or has a line longer than the limit.
pub fn read(name: &str, bytes: &[u8], limits: &Limits) -> Result<Document, Error> {
    if bytes.len() as u64 > limits.max_input_bytes {
        return Err(Error::TooLarge { size: bytes.len() as u64, limit: limits.max_input_bytes });
    }
    // Line lengths are checked on the raw bytes, before anything is decoded or copied (a 100 MB
    // line is refused at once). UTF-16 doubles byte lengths; the limit is generous for that.
    check_raw_lines(bytes, limits)?;
    let decoded = decode(bytes)?;
    if decoded.text.trim().is_empty() {
        return Err(Error::Empty);
    }
    if decoded.text.len() > limits.max_text_bytes {
        return Err(Error::TextTooLarge { size: decoded.text.len(), limit: limits.max_text_bytes });
    }
    let text = normalise_newlines(decoded.text);
    let markdown = name.ends_with(".md")
        || name.ends_with(".markdown")
        || markdown::looks_like_markdown(&text);
    let blocks = layout(&text);
    let mut doc =
        Document::new(name, if markdown { Format::Markdown } else { Format::Text }, text, blocks);
    if let Some(note) = decoded.note {
        doc.notes.push(note);
    }
    Ok(doc)
}

fn normalise_newlines(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

fn check_raw_lines(bytes: &[u8], limits: &Limits) -> Result<(), Error> {
    let utf16 = bytes.starts_with(&[0xFF, 0xFE])
        || bytes.starts_with(&[0xFE, 0xFF])
        || decode::utf16_without_bom(bytes).is_some();
    let limit = if utf16 { limits.max_line_bytes * 2 } else { limits.max_line_bytes };
    let mut start = 0;
    for (line, end) in
        memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len())).enumerate()
    {
        let len = end - start;
        if len > limit {
            return Err(Error::LineTooLong { line: line + 1, len, limit });
        }
        start = end + 1;
    }
    Ok(())
}

/// Splits the text into blocks: pipe-table runs become grids, every other line a paragraph.
fn layout(text: &str) -> Vec<Block> {
    let mut lines: Vec<Span> = Vec::new();
    let mut offset = 0usize;
    for line in text.split('\n') {
        lines.push(Span::from_range(offset..offset + line.len()));
        offset += line.len() + 1;
    }
    let mut blocks = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        let run = markdown::table_run(text, &lines[i..]);
        if run >= 2 {
            blocks.push(Block::Grid(markdown::grid(text, &lines[i..i + run])));
            i += run;
        } else {
            blocks.push(Block::Para(Para { span: lines[i] }));
            i += 1;
        }
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_model::Lang;

    fn read_str(s: &str) -> Document {
        read("t.txt", s.as_bytes(), &Limits::default()).expect("readable")
    }

    #[test]
    fn lines_become_paragraphs_verbatim() {
        let doc = read_str("一、总体情况\r\n\t 0\n\n");
        insta::assert_snapshot!(gongkai_doc::dump(&doc), @r"
        P 一、总体情况
        P 	 0
        P 
        P 
        ");
    }

    #[test]
    fn pipe_tables_become_grids() {
        let doc = read_str(
            "### 第二十条第（一）项\n| 信息内容 | 本年制发件数 |\n|---|---|\n| 规章 | 0 |\n\n正文",
        );
        insta::assert_snapshot!(gongkai_doc::dump(&doc), @r"
        P ### 第二十条第（一）项
        T 2 rows × 2 cols
          | @0 信息内容 | @1 本年制发件数
          | @0 规章 | @1 0
        P 
        P 正文
        ");
        assert_eq!(doc.format, Some(Format::Markdown));
    }

    #[test]
    fn refuses_long_lines_and_binary() {
        let limits = Limits { max_line_bytes: 10, ..Limits::default() };
        assert!(matches!(
            read("x", b"short\nthis line is too long\n", &limits),
            Err(Error::LineTooLong { line: 2, .. })
        ));
        assert!(matches!(
            read("x", b"\x00\x01\x02\x03binary\x00\x00\x00junk\x00", &Limits::default()),
            Err(Error::Binary { .. })
        ));
        assert!(matches!(read("x", b"  \n ", &Limits::default()), Err(Error::Empty)));
    }

    #[test]
    fn messages_are_in_one_language() {
        let all = [
            Error::TooLarge { size: 20, limit: 10 },
            Error::LineTooLong { line: 3, len: 20, limit: 10 },
            Error::Binary { zh: "含有 NUL 字节", en: "contains NUL bytes" },
            Error::Empty,
            Error::TextTooLarge { size: 20, limit: 10 },
        ];
        for e in &all {
            gongkai_testkit::lang::assert_chinese(&e.message(Lang::Zh));
            gongkai_testkit::lang::assert_english(&e.message(Lang::En));
            assert_eq!(e.to_string(), format!("{} / {}", e.message(Lang::Zh), e.message(Lang::En)));
        }
        assert_eq!(all[2].message(Lang::En), "not a text file (contains NUL bytes)");
        assert_eq!(all[3].to_string(), "文件为空 / empty file");
    }
}
