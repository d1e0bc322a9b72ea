//! Reads an annual report published as a legacy Word 97–2003 binary file (`.doc`), or a WPS
//! Office file in the same compound format (`.wps`), into the intermediate [`Document`] — the
//! same paragraphs, table grids and origins the DOCX reader produces for the same document.
//!
//! The compound file (OLE/CFB) is opened with the `cfb` crate, whose checks refuse FAT and
//! directory cycles; every stream is read only after its declared size is checked against the
//! file's. From the `WordDocument` stream's File Information Block (module `fib`) the reader
//! finds the table stream (`0Table` / `1Table`), the piece table (module `pieces`: runs of the
//! text stored as 8-bit or UTF-16 characters) and the character and paragraph property pages
//! (module `props`), and lays the main text out into blocks (module `body`): paragraphs, tables
//! from cell marks (0x07) and row ends with each row's cell boundaries, fields showing their
//! results, hidden and deleted text dropped.
//!
//! `Err` only when the file cannot be read at all: encrypted (`fEncrypted` / `fObfuscated`, or
//! an encrypted OOXML package), another kind of compound file (Excel, PowerPoint, Works, a WPS
//! file without a Word stream: [`Error::UnsupportedVariant`]), damaged, or beyond [`Limits`].
//! Anything merely odd is a note (`READ-DOC-…`, kind [`FindingKind::Extraction`]).

mod body;
mod bytes;
mod fib;
mod pieces;
mod props;
mod summary;

use std::io::{Cursor, Read};
use std::panic::{AssertUnwindSafe, catch_unwind};

use gongkai_doc::{Document, DocumentBuilder, Format, Limits, findings, word};
use gongkai_model::{Localized, Msg};

/// The signature of a compound file.
pub const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Kinds of compound or legacy file that are not a Word 97–2003 document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// A Word 6.0 / Word 95 document (`nFib` below Word 97's).
    Word6,
    /// An Excel 97–2003 workbook (`.xls`).
    Excel,
    /// A PowerPoint 97–2003 presentation (`.ppt`).
    PowerPoint,
    /// A Microsoft Works word-processor file (also named `.wps`).
    Works,
    /// A `.wps` file that is not a compound file (WPS's own older formats).
    WpsNative,
    /// A compound file without a `WordDocument` stream.
    OtherCompound,
}

/// What a count limit counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    /// Pieces of the piece table.
    Pieces,
    /// Character and paragraph property runs.
    PropertyRuns,
}

/// Why a file could not be read at all. [`Error::message`] says it in one language; the `Display`
/// form gives Chinese and English (`中文 / English`).
#[derive(Debug, thiserror::Error)]
#[error("{}", self.bilingual())]
pub enum Error {
    /// The input is larger than [`Limits::max_input_bytes`].
    TooLarge {
        /// The limit.
        limit: u64,
    },
    /// A password-protected or obfuscated file.
    Encrypted,
    /// A compound file that is not a Word 97–2003 document, or a `.wps` file in another format.
    UnsupportedVariant(Variant),
    /// Not a compound file at all.
    NotCompoundFile,
    /// The compound file is damaged, in the words of the `cfb` crate (English).
    Corrupt(String),
    /// The Word structures are damaged in a way the reader finds itself.
    Malformed {
        /// What is wrong, in Chinese.
        zh: String,
        /// What is wrong, in English.
        en: String,
    },
    /// The piece table puts text past the end of the `WordDocument` stream.
    PieceOutOfBounds {
        /// 0-based index of the piece.
        piece: usize,
        /// Its first byte.
        start: u64,
        /// Its length in bytes (within the main text).
        bytes: u64,
        /// The stream's length.
        stream: u64,
    },
    /// A stream declares more bytes than the whole file holds.
    StreamTooLarge {
        /// The stream.
        stream: String,
        /// Its declared size.
        size: u64,
        /// The file's size.
        limit: u64,
    },
    /// More pieces or property runs than the reader accepts.
    TooMany {
        /// What was counted.
        what: Counted,
        /// How many.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// The text would exceed [`Limits::max_text_bytes`].
    TextTooLarge {
        /// The limit.
        limit: usize,
    },
}

impl Error {
    pub(crate) fn malformed(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Error::Malformed { zh: zh.into(), en: en.into() }
    }

    fn text(&self) -> (Msg, Option<&str>) {
        let text = match self {
            Error::TooLarge { limit } => gongkai_doc::errors::too_large(limit),
            Error::Encrypted => Msg::new(
                "文件已加密（设有打开密码或经过混淆），无法读取；请提供未加密的文件",
                "the file is encrypted (password-protected or obfuscated) and cannot be read; provide an unencrypted copy",
            ),
            Error::UnsupportedVariant(v) => match v {
                Variant::Word6 => Msg::new(
                    "不支持的变体：Word 6.0/95 格式的 .doc 文件；请用 Word 或 WPS 另存为 .docx",
                    "unsupported variant: a Word 6.0/95 .doc file; save it as .docx with Word or WPS",
                ),
                Variant::Excel => Msg::new(
                    "不支持的变体：这是旧版 Excel 工作簿（.xls）；请另存为 .xlsx",
                    "unsupported variant: this is a legacy Excel workbook (.xls); save it as .xlsx",
                ),
                Variant::PowerPoint => Msg::new(
                    "不支持的变体：这是 PowerPoint 演示文稿（.ppt）",
                    "unsupported variant: this is a PowerPoint presentation (.ppt)",
                ),
                Variant::Works => Msg::new(
                    "不支持的变体：这是微软 Works 文字处理文件；请另存为 .docx",
                    "unsupported variant: this is a Microsoft Works word-processor file; save it as .docx",
                ),
                Variant::WpsNative => Msg::new(
                    "不支持的变体：这是 WPS 文字的旧版专有格式（不是复合文档）；请用 WPS 另存为 .docx 或 .doc",
                    "unsupported variant: this is an older proprietary WPS format (not a compound file); save it as .docx or .doc with WPS",
                ),
                Variant::OtherCompound => Msg::new(
                    "不支持的变体：复合文档（OLE）中没有 Word 正文（WordDocument 流）",
                    "unsupported variant: the compound (OLE) file holds no Word document (WordDocument stream)",
                ),
            },
            Error::NotCompoundFile => Msg::new(
                "不是 Word 97–2003 文件：内容不是复合文档（OLE）",
                "not a Word 97-2003 file: the content is not a compound (OLE) file",
            ),
            Error::Corrupt(detail) => {
                return (gongkai_doc::errors::damaged(), Some(detail));
            }
            Error::Malformed { zh, en } => gongkai_doc::errors::damaged_because(zh, en),
            Error::PieceOutOfBounds { piece, start, bytes, stream } => {
                gongkai_doc::errors::damaged_because(
                    format_args!(
                        "片段表第 {piece} 项指向 WordDocument 流之外（从第 {start} 字节起 {bytes} 字节，流长 {stream} 字节）"
                    ),
                    format_args!(
                        "piece {piece} points past the WordDocument stream ({bytes} bytes from byte {start}, stream of {stream} bytes)"
                    ),
                )
            }
            Error::StreamTooLarge { stream, size, limit } => gongkai_doc::errors::damaged_because(
                format_args!("流 {stream} 声称 {size} 字节，超过整个文件的 {limit} 字节"),
                format_args!(
                    "stream {stream} claims {size} bytes, more than the whole file's {limit}"
                ),
            ),
            Error::TooMany { what, count, limit } => {
                let (zh, en) = match what {
                    Counted::Pieces => ("片段表项", "piece table entries"),
                    Counted::PropertyRuns => ("格式属性段", "property runs"),
                };
                Msg::new(
                    format!("{zh}过多：{count} 个，上限 {limit} 个"),
                    format!("too many {en}: {count}, limit {limit}"),
                )
            }
            Error::TextTooLarge { limit } => gongkai_doc::errors::text_too_large(limit),
        };
        (text, None)
    }
}

impl Localized for Error {
    fn words(&self) -> (Msg, Option<String>) {
        let (text, detail) = self.text();
        (text, detail.map(str::to_owned))
    }
}

/// Whether `name` ends in `.wps` (case-insensitive).
pub fn is_wps_name(name: &str) -> bool {
    name.rsplit_once('.').is_some_and(|(_, ext)| ext.eq_ignore_ascii_case("wps"))
}

/// The findings this reader reports its tally with (text boxes are not read: READ-DOC-TEXTBOX
/// says so on its own).
const TALLY_FINDINGS: word::TallyFindings = word::TallyFindings {
    tracked: &findings::READ_DOC_TRACKED,
    hidden: &findings::READ_DOC_HIDDEN,
    nested_table: &findings::READ_DOC_NESTED_TABLE,
    merge: &findings::READ_DOC_MERGE,
    text_boxes: None,
    rows_cut: Some(&findings::READ_DOC_ROWS_CUT),
};

/// Reads the `.doc` / `.wps` `bytes` (named `name` for display).
pub fn read(name: &str, bytes: &[u8], limits: &Limits) -> Result<Document, Error> {
    if bytes.len() as u64 > limits.max_input_bytes {
        return Err(Error::TooLarge { limit: limits.max_input_bytes });
    }
    if !bytes.starts_with(&CFB_MAGIC) {
        return Err(if is_wps_name(name) {
            Error::UnsupportedVariant(Variant::WpsNative)
        } else {
            Error::NotCompoundFile
        });
    }
    let mut streams = Streams::open(bytes)?;
    let word = streams.read("WordDocument")?;
    let fib = fib::parse(&word)?;
    if fib.ccp_text as usize > limits.max_text_bytes {
        return Err(Error::TextTooLarge { limit: limits.max_text_bytes });
    }
    let table = streams.read(fib.table_stream)?;
    let data = streams.read_optional("Data")?.unwrap_or_default();
    let pieces = pieces::parse(&table, fib.clx, word.len(), fib.ccp_text)?;
    let chp = props::chpx(&table, fib.bte_chpx, &word)?;
    let pap = props::papx(&table, fib.bte_papx, &word, &data)?;
    let mut body = body::Body::new(&chp, &pap);
    pieces::for_each_char(&word, &pieces, fib.ccp_text, |ch, fc| {
        body.push(ch, fc);
        Ok(())
    })?;
    body.finish();

    let mut b = DocumentBuilder::new(name, Format::Doc);
    if let Ok(Some(info)) = streams.read_optional("\u{5}SummaryInformation") {
        for (k, v) in summary::properties(&info) {
            b.property(k, v);
        }
    }
    word::lay_out(&mut b, &body.blocks, limits.max_text_bytes)
        .map_err(|e| Error::TextTooLarge { limit: e.limit })?;
    word::note(&mut b, &body.tally, &TALLY_FINDINGS);
    if fib.ccp_txbx > 1 {
        b.note(findings::READ_DOC_TEXTBOX.finding(Msg::new(
                format!("文本框中的文字（{} 个字符）未读入；如表格或数字在文本框中，请另存为 .docx 后再读取", fib.ccp_txbx),
                format!(
                    "text in text boxes ({} characters) was not read; if tables or numbers are in text boxes, save the file as .docx and read that",
                    fib.ccp_txbx
                ),
            ),
        ));
    }
    Ok(b.finish())
}

/// Reads a `.doc` from a stream, reading at most [`Limits::max_input_bytes`] + 1 bytes.
pub fn read_from(name: &str, input: impl Read, limits: &Limits) -> Result<Document, Error> {
    let mut bytes = Vec::new();
    input
        .take(limits.max_input_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Error::Corrupt(e.to_string()))?;
    read(name, &bytes, limits)
}

/// The compound file. The `cfb` crate refuses FAT chains that meet twice, loops in the
/// directory tree and sector numbers past the file; its calls still run under `catch_unwind`,
/// so a panic inside it is a damaged file, not a crash.
struct Streams<'a> {
    cf: cfb::CompoundFile<Cursor<&'a [u8]>>,
    size: u64,
}

fn dependency_panic(p: Box<dyn std::any::Any + Send>) -> Error {
    let what = p
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    Error::Corrupt(format!("compound file reader failed: {what}"))
}

impl<'a> Streams<'a> {
    fn open(bytes: &'a [u8]) -> Result<Self, Error> {
        let cf = catch_unwind(|| cfb::CompoundFile::open(Cursor::new(bytes)))
            .map_err(dependency_panic)?
            .map_err(|e| Error::Corrupt(e.to_string()))?;
        let streams = Streams { cf, size: bytes.len() as u64 };
        if !streams.exists("WordDocument") {
            return Err(streams.variant());
        }
        Ok(streams)
    }

    fn exists(&self, name: &str) -> bool {
        self.cf.is_stream(format!("/{name}"))
    }

    /// Why a compound file without a `WordDocument` stream is not read.
    fn variant(&self) -> Error {
        if self.exists("EncryptedPackage") {
            Error::Encrypted
        } else if self.exists("Workbook") || self.exists("Book") {
            Error::UnsupportedVariant(Variant::Excel)
        } else if self.exists("PowerPoint Document") {
            Error::UnsupportedVariant(Variant::PowerPoint)
        } else if self.exists("CONTENTS") || self.exists("MatOST") {
            Error::UnsupportedVariant(Variant::Works)
        } else {
            Error::UnsupportedVariant(Variant::OtherCompound)
        }
    }

    fn read(&mut self, name: &str) -> Result<Vec<u8>, Error> {
        self.read_optional(name)?.ok_or_else(|| {
            Error::malformed(format!("缺少 {name} 流"), format!("the {name} stream is missing"))
        })
    }

    /// Reads stream `name`, refusing one that declares more bytes than the file holds.
    fn read_optional(&mut self, name: &str) -> Result<Option<Vec<u8>>, Error> {
        let path = format!("/{name}");
        if !self.exists(name) {
            return Ok(None);
        }
        let size = self.cf.entry(&path).map_err(|e| Error::Corrupt(e.to_string()))?.len();
        if size > self.size {
            return Err(Error::StreamTooLarge { stream: name.to_owned(), size, limit: self.size });
        }
        let cf = &mut self.cf;
        let read = catch_unwind(AssertUnwindSafe(|| -> std::io::Result<Vec<u8>> {
            let stream = cf.open_stream(&path)?;
            let mut out = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
            stream.take(size).read_to_end(&mut out)?;
            Ok(out)
        }))
        .map_err(dependency_panic)?
        .map_err(|e| Error::Corrupt(format!("{name}: {e}")))?;
        Ok(Some(read))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_model::Lang;

    #[test]
    fn messages_are_in_one_language() {
        let mut all = vec![
            Error::TooLarge { limit: 10 },
            Error::Encrypted,
            Error::NotCompoundFile,
            Error::Corrupt("EOF".to_owned()),
            Error::malformed("缺少 1Table 流", "the 1Table stream is missing"),
            Error::PieceOutOfBounds { piece: 2, start: 4096, bytes: 100, stream: 1024 },
            Error::StreamTooLarge { stream: "WordDocument".to_owned(), size: 1 << 40, limit: 4096 },
            Error::TooMany { what: Counted::Pieces, count: 20, limit: 10 },
            Error::TooMany { what: Counted::PropertyRuns, count: 20, limit: 10 },
            Error::TextTooLarge { limit: 10 },
        ];
        for v in [
            Variant::Word6,
            Variant::Excel,
            Variant::PowerPoint,
            Variant::Works,
            Variant::WpsNative,
            Variant::OtherCompound,
        ] {
            all.push(Error::UnsupportedVariant(v));
        }
        for e in &all {
            gongkai_testkit::lang::assert_chinese(&e.message(Lang::Zh));
            gongkai_testkit::lang::assert_english(&e.message(Lang::En));
            assert!(e.to_string().starts_with(&e.text().0.zh), "{e}");
        }
        assert_eq!(all[3].to_string(), "文件已损坏 / the file is damaged: EOF");
    }

    #[test]
    fn non_compound_input() {
        let limits = Limits::default();
        assert!(matches!(read("a.doc", b"{\\rtf1 hello}", &limits), Err(Error::NotCompoundFile)));
        assert!(matches!(
            read("a.WPS", b"\x00\x01WPS old", &limits),
            Err(Error::UnsupportedVariant(Variant::WpsNative))
        ));
        let small = Limits { max_input_bytes: 4, ..Limits::default() };
        assert!(matches!(read("a.doc", &CFB_MAGIC, &small), Err(Error::TooLarge { limit: 4 })));
        assert!(matches!(read("a.doc", &CFB_MAGIC, &limits), Err(Error::Corrupt(_))));
    }
}
