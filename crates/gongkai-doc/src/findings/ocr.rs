//! Findings of the OCR reader (`gongkai-read-image`): scanned PDF pages and image files.

use super::reader_finding;

reader_finding!(
    READ_OCR,
    "READ-OCR",
    Info / Warning,
    "页面内容由 OCR 识别",
    "Page read by OCR",
    "## 含义\n\n该页是扫描图像（或上传的是照片、扫描图片），其文字和表格由 OCR（Tesseract）识别：先去除红色印章、校正倾斜，按表格线找出单元格，逐格识别（数值格只识别数字）。没有把握的字符不作猜测：该单元格记为 `?`，由表格的算术关系（合计、分项）核对；仍不能确定的单元格保持 `?`。有单元格未能确定时本项为警告，请对照原件核对这些单元格。",
    "## Meaning\n\nThe page is a scanned image (or the file is a photo or scan) and its text and tables were read by OCR (Tesseract): red seals dropped, skew corrected, cells found from the table's ruling lines and read one by one (digits only in value cells). A character the engine is not sure of is never guessed: its cell is `?`, checked against the table's arithmetic (totals and parts); a cell still undetermined stays `?`. When some cells are undetermined this is a warning: check them against the original."
);

reader_finding!(
    READ_OCR_UNAVAILABLE,
    "READ-OCR-UNAVAILABLE",
    Warning,
    "无法进行 OCR（未安装 Tesseract 或中文模型）",
    "OCR unavailable (Tesseract or its Chinese model missing)",
    "## 含义\n\n文件中有扫描页，但本机没有可用的 Tesseract OCR 引擎或其简体中文模型（`tesseract-ocr-chi-sim`），扫描页未读取，相应单元格为 `?`。安装后重新检查即可。",
    "## Meaning\n\nThe file has scanned pages but this machine has no usable Tesseract engine or Simplified Chinese model (`tesseract-ocr-chi-sim`); the scanned pages were not read and their cells are `?`. Install them and check again."
);

reader_finding!(
    READ_OCR_LIMIT,
    "READ-OCR-LIMIT",
    Warning,
    "OCR 超出处理上限，部分页面或单元格未识别",
    "OCR limit reached: pages or cells not read",
    "## 含义\n\n扫描图像过大（像素数超过上限），或整份文件的 OCR 用时超过上限（防止恶意或异常文件耗尽时间），超出部分未识别：未识别的页面没有内容，未识别的单元格为 `?`。页面上的线条构成的格子过多（一张表超过 4096 格，如坐标纸、网纹底图）时，这些格子不按表格逐格识别，该处文字只按文字行识别。",
    "## Meaning\n\nA scanned image is too large (more pixels than the limit), or OCR of the file took longer than the time limit that protects against hostile or unusual files; what lies beyond was not read: pages without content, cells `?`. When the lines of a page form too many boxes (a grid of more than 4,096, such as graph paper or a screened background), they are not read cell by cell as a table; the text there is read as lines only."
);

reader_finding!(
    READ_OCR_IMAGE,
    "READ-OCR-IMAGE",
    Warning,
    "扫描页的图像无法解码或分辨率过低",
    "Scanned page image that cannot be decoded or is too coarse",
    "## 含义\n\n扫描页的图像采用 gongkai 不解码的编码（如 JBIG2、JPEG 2000、CCITT 传真编码）或已损坏，或分辨率过低（低于 72 dpi），该页未识别。",
    "## Meaning\n\nThe scanned page's image uses an encoding gongkai does not decode (JBIG2, JPEG 2000, CCITT fax) or is damaged, or its resolution is too low (below 72 dpi); the page was not read."
);
