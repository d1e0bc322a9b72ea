//! Format detection by content: magic bytes first, the extension only when the content is not
//! conclusive.

use gongkai_model::Lang;

/// Input formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputFormat {
    /// Plain text or Markdown.
    Text,
    /// An HTML page.
    Html,
    /// A DOCX (OOXML word-processing) file.
    Docx,
    /// An XLSX workbook.
    Xlsx,
    /// A PDF.
    Pdf,
    /// A Word 97–2003 binary document (`.doc`, or a WPS `.wps` in the same format): a compound
    /// (CFB/OLE) file with a `WordDocument` stream.
    Doc,
    /// Another compound (CFB/OLE) file: a legacy Excel or PowerPoint file, an encrypted OOXML
    /// package, a Works file.
    Cfb,
    /// A scan or photo (JPEG, PNG, TIFF), read by OCR.
    Image,
    /// A zip that is neither DOCX nor XLSX.
    Zip,
    /// Something else binary.
    Binary,
}

impl InputFormat {
    /// A short name for messages, in Chinese and English where the languages differ.
    pub fn name(self) -> &'static str {
        match self {
            InputFormat::Cfb => {
                "OLE/CFB (旧版 Office .xls/.ppt 或加密的 Office 文件 / legacy or encrypted Office file)"
            }
            InputFormat::Binary => "二进制 / binary",
            other => other.label(Lang::En),
        }
    }

    /// A short name for messages in `lang`.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (InputFormat::Text, Lang::Zh) => "文本",
            (InputFormat::Text, Lang::En) => "text",
            (InputFormat::Html, _) => "HTML",
            (InputFormat::Docx, _) => "DOCX",
            (InputFormat::Xlsx, _) => "XLSX",
            (InputFormat::Pdf, _) => "PDF",
            (InputFormat::Doc, Lang::Zh) => "Word 97–2003（.doc）",
            (InputFormat::Doc, Lang::En) => "Word 97-2003 (.doc)",
            (InputFormat::Cfb, Lang::Zh) => "OLE/CFB（旧版 Office .xls/.ppt 或加密的 Office 文件）",
            (InputFormat::Cfb, Lang::En) => "OLE/CFB (legacy or encrypted Office file)",
            (InputFormat::Image, Lang::Zh) => "图像（JPEG/PNG/TIFF）",
            (InputFormat::Image, Lang::En) => "image (JPEG/PNG/TIFF)",
            (InputFormat::Zip, _) => "ZIP",
            (InputFormat::Binary, Lang::Zh) => "二进制",
            (InputFormat::Binary, Lang::En) => "binary",
        }
    }
}

/// Detects the format of `bytes` (named `name`).
pub fn detect(name: &str, bytes: &[u8]) -> InputFormat {
    let head = &bytes[..bytes.len().min(4096)];
    if find(&head[..head.len().min(1024)], b"%PDF-").is_some() {
        return InputFormat::Pdf;
    }
    if gongkai_read_image::sniff(head) {
        return InputFormat::Image;
    }
    if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        // Directory entries hold stream names in UTF-16LE.
        let word: Vec<u8> = "WordDocument".encode_utf16().flat_map(u16::to_le_bytes).collect();
        return if find(bytes, &word).is_some() { InputFormat::Doc } else { InputFormat::Cfb };
    }
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        // Entry names are stored uncompressed in local headers and the central directory.
        let tail = &bytes[bytes.len().saturating_sub(1 << 20)..];
        if find(head, b"word/").is_some() || find(tail, b"word/document.xml").is_some() {
            return InputFormat::Docx;
        }
        if find(head, b"xl/").is_some() || find(tail, b"xl/workbook.xml").is_some() {
            return InputFormat::Xlsx;
        }
        return InputFormat::Zip;
    }
    if looks_like_html(head) {
        return InputFormat::Html;
    }
    let lower = name.to_ascii_lowercase();
    let binary = head.iter().filter(|&&b| b == 0).count() > head.len() / 16 && !utf16_bom(head);
    if binary {
        return InputFormat::Binary;
    }
    if lower.ends_with(".html") || lower.ends_with(".htm") || lower.ends_with(".shtml") {
        return InputFormat::Html;
    }
    InputFormat::Text
}

fn utf16_bom(b: &[u8]) -> bool {
    b.starts_with(&[0xFF, 0xFE]) || b.starts_with(&[0xFE, 0xFF])
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn looks_like_html(head: &[u8]) -> bool {
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace() && *b != 0xEF && *b != 0xBB && *b != 0xBF)
        .unwrap_or(0);
    let s: Vec<u8> = head[start..].iter().take(512).map(u8::to_ascii_lowercase).collect();
    s.starts_with(b"<!doctype html")
        || s.starts_with(b"<html")
        || s.starts_with(b"<head")
        || s.starts_with(b"<meta")
        || s.starts_with(b"<!--") && find(&s, b"<html").is_some()
        || (s.starts_with(b"<") && find(&s, b"<body").is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_content_not_name() {
        assert_eq!(detect("report.txt", b"%PDF-1.7\n..."), InputFormat::Pdf);
        assert_eq!(detect("x.pdf", "一、总体情况".as_bytes()), InputFormat::Text);
        assert_eq!(detect("x", b"  <!DOCTYPE html><html>"), InputFormat::Html);
        let ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0];
        assert_eq!(detect("x.doc", &ole), InputFormat::Cfb);
        let mut word = ole.to_vec();
        word.extend("WordDocument".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(detect("x.bin", &word), InputFormat::Doc);
        let mut zip = b"PK\x03\x04".to_vec();
        zip.extend_from_slice(b"....[Content_Types].xml....word/document.xml");
        assert_eq!(detect("x.bin", &zip), InputFormat::Docx);
        assert_eq!(detect("x", &[0u8; 64]), InputFormat::Binary);
        assert_eq!(detect("x.htm", "<p>正文</p>".as_bytes()), InputFormat::Html);
        assert_eq!(detect("scan.txt", &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]), InputFormat::Image);
        assert_eq!(detect("x", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), InputFormat::Image);
        assert_eq!(detect("x.tif", b"II*\0\x08\0\0\0"), InputFormat::Image);
        assert_eq!(detect("x.tif", b"MM\0*\0\0\0\x08"), InputFormat::Image);
        // A name alone does not make an image.
        assert_eq!(detect("x.jpg", "一、总体情况".as_bytes()), InputFormat::Text);
    }
}
