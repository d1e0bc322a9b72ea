//! Findings of the text and Markdown reader (shared by every reader that decodes bytes as text).

use super::reader_finding;

reader_finding!(
    READ_ENCODING,
    "READ-ENCODING",
    Info / Warning,
    "文件编码为检测所得或含有无法解码的字节",
    "Encoding detected, or bytes that could not be decoded",
    "## 含义\n\n文件未声明编码（例如无 BOM、无 `<meta charset>` 的 GBK 文本或网页，或无 BOM 的 UTF-16），按检测结果解码；或者文件中有按该编码无效的字节，已替换为 U+FFFD。后者为警告，并列出无效字节所在的行与字节位置：相关内容可能缺失，涉及的单元格可能无法确定。基本为 UTF-8 的文件中个别无效字节不会改变整个文件的解码。`gongkai extract` 也在标准错误输出中给出此警告。",
    "## Meaning\n\nThe file declared no encoding and was decoded with the detected one (info; GBK text, UTF-16 without a byte-order mark), or contained bytes invalid in its encoding that were replaced by U+FFFD (warning, naming the lines and byte offsets: some content may be lost). A few invalid bytes in a file that is otherwise UTF-8 do not change the decoding of the whole file. `gongkai extract` prints the warning on stderr too."
);
