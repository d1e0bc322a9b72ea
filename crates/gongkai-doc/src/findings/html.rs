//! Findings of the HTML reader (`gongkai-read-html`).

use super::reader_finding;

reader_finding!(
    READ_HTML_ENCODING,
    "READ-HTML-ENCODING",
    Info / Warning,
    "网页编码的判定",
    "How the page's encoding was decided",
    "## 含义\n\n说明网页按何种编码解码：BOM、`<meta charset>` 声明，或（无声明时）检测结果。声明与实际字节不符而被纠正、或有无法解码的字节时为警告。",
    "## Meaning\n\nHow the page was decoded: BOM, `<meta charset>`, or detection when undeclared. A warning when a wrong declaration was overruled or bytes could not be decoded."
);

reader_finding!(
    READ_HTML_CONTENT_ROOT,
    "READ-HTML-CONTENT-ROOT",
    Info,
    "网页正文所在位置",
    "Where the report sits in the page",
    "## 含义\n\n政府网站页面常带完整的导航、页眉页脚。读取器只读入容纳报告的元素（绝不越过数据表格、报告正文或章节标题），并说明该元素的路径与未读入的文字量。",
    "## Meaning\n\nGovernment CMS pages carry full site navigation. The reader keeps the element holding the report (never cutting a data table, report text or a section heading) and says where it is and how much text was left out."
);

reader_finding!(
    READ_HTML_HIDDEN_KEPT,
    "READ-HTML-HIDDEN-KEPT",
    Warning,
    "导航或隐藏元素中含有表格或正文，已保留",
    "Navigation or hidden element kept",
    "## 含义\n\n某个看似导航或隐藏的元素含有表格或较多正文，为免丢失报告内容而保留。",
    "## Meaning\n\nAn element that looks like navigation or is hidden holds a table or much text and was kept so that no report content is lost."
);

reader_finding!(
    READ_HTML_LAYOUT_TABLE,
    "READ-HTML-LAYOUT-TABLE",
    Info,
    "用于排版的嵌套表格",
    "Layout tables",
    "## 含义\n\n表格中又嵌套表格时，外层视为页面排版，内层按数据表格读取。",
    "## Meaning\n\nA table holding other tables is treated as page layout; the inner tables are read as data tables."
);

reader_finding!(
    READ_HTML_DEEP,
    "READ-HTML-DEEP",
    Warning,
    "网页嵌套过深，已展平",
    "Deep nesting flattened",
    "## 含义\n\n元素嵌套层数超过上限，更深的内容并入所在段落（防止恶意页面耗尽资源）。",
    "## Meaning\n\nElements nested beyond the limit were flattened into their paragraph (protection against hostile pages)."
);

reader_finding!(
    READ_HTML_SPAN_CLAMPED,
    "READ-HTML-SPAN-CLAMPED",
    Warning,
    "表格合并单元格的跨度被修正",
    "Table spans clamped",
    "## 含义\n\n`rowspan`/`colspan` 超出表格或相互重叠，已按浏览器的方式修正。",
    "## Meaning\n\nA `rowspan`/`colspan` ran past the table or overlapped; it was clamped as browsers do."
);

reader_finding!(
    READ_HTML_EMPTY,
    "READ-HTML-EMPTY",
    Warning,
    "网页没有正文文字",
    "Page without text",
    "## 含义\n\n网页中没有可读的正文（常见于由脚本动态加载内容的页面）。",
    "## Meaning\n\nThe page has no readable text (often a page whose content is loaded by scripts)."
);
