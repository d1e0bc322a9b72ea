#!/usr/bin/env python3
"""Generates the hostile suite: files of every class a new user can throw at gongkai.

    python3 crates/gongkai-cli/tests/hostile/make_hostile.py      (from the workspace root)

Writes `files/` (given to `gongkai check`) and `registers/` (given to `gongkai register import`)
beside this script. Seeds are the development corpus (`fixtures/corpus/dev/raw/`); everything is
deterministic (no randomness without a fixed seed), stdlib only, each file < 200 KB.
"""

import io
import random
import re
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[3]
RAW = ROOT / "fixtures/corpus/dev/raw"
FILES = HERE / "files"
REGISTERS = HERE / "registers"


def write(dir_: Path, name: str, data):
    dir_.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    assert len(data) < 200 * 1024, (name, len(data))
    (dir_ / name).write_bytes(data)


def seed(name: str) -> str:
    return (RAW / name).read_text(encoding="utf-8")


# --- workbooks (no openpyxl: the parts are written by hand, as Excel would) -------------------

def col_name(c: int) -> str:
    s = ""
    c += 1
    while c:
        c, r = divmod(c - 1, 26)
        s = chr(65 + r) + s
    return s


def xlsx(sheets, dimension_lie=None) -> bytes:
    """sheets: [(name, [(row, col, text)])], 0-based positions, inline strings."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(len(sheets)))
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" '
                   'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   f'{overrides}</Types>')
        z.writestr("_rels/.rels",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                   '</Relationships>')
        sheet_xml = "".join(f'<sheet name="{n}" sheetId="{i + 1}" r:id="rId{i + 1}"/>'
                            for i, (n, _) in enumerate(sheets))
        z.writestr("xl/workbook.xml",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                   f'<sheets>{sheet_xml}</sheets></workbook>')
        rels = "".join(
            f'<Relationship Id="rId{i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i + 1}.xml"/>'
            for i in range(len(sheets)))
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   f'{rels}</Relationships>')
        for i, (_, cells) in enumerate(sheets):
            rows = {}
            for r, c, t in cells:
                rows.setdefault(r, []).append((c, t))
            body = []
            for r in sorted(rows):
                cs = "".join(
                    f'<c r="{col_name(c)}{r + 1}" t="inlineStr"><is><t>{esc(t)}</t></is></c>'
                    for c, t in sorted(rows[r]))
                body.append(f'<row r="{r + 1}">{cs}</row>')
            last = max(((r, c) for r, c, _ in cells), default=(0, 0))
            dim = dimension_lie or f"A1:{col_name(last[1])}{last[0] + 1}"
            z.writestr(f"xl/worksheets/sheet{i + 1}.xml",
                       '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                       '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                       f'<dimension ref="{dim}"/><sheetData>{"".join(body)}</sheetData></worksheet>')
    return out.getvalue()


def esc(t: str) -> str:
    return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def report_cells(text: str):
    """A report laid out one line per row, tab-separated cells in columns."""
    cells = []
    for r, line in enumerate(text.splitlines()):
        for c, part in enumerate(line.split("\t")):
            if part.strip():
                cells.append((r, c, part.strip()))
    return cells


# --- the classes ------------------------------------------------------------------------------

def non_reports():
    write(FILES, "meeting-notice.txt",
          "关于召开2024年政府信息公开工作会议的通知\n\n各乡镇人民政府、各街道办事处：\n"
          "定于2024年3月5日上午9:00在县政府三楼会议室召开全县政府信息公开工作会议，请各单位分管负责同志参加。\n"
          "联系人：张三，电话：0527-12345678。\n\n县政府办公室\n2024年2月28日\n")
    write(FILES, "empty.txt", b"")
    write(FILES, "whitespace.txt", " \n\t\n\u3000\n")
    write(FILES, "null.json", "null\n")
    write(FILES, "array.json", "[]\n")
    write(FILES, "object.json", '{"name": "not a report", "items": [1, 2, 3]}\n')
    write(FILES, "syntax-error.json", '{"format" "gongkai-report"}\n')
    write(FILES, "wrong-cell.json",
          '{"format":"gongkai-report","version":1,"tables":{"t4":{"layout":"2021","cells":{"t4.review.upheld":[7]}}}}\n')
    blank = "\n".join(line for line in seed("dazhanglou-2022.txt").splitlines()
                      if not re.search(r"\d", line)) + "\n（文字描述）\n"
    write(FILES, "blank-template.txt", blank)
    rnd = random.Random(8)
    write(FILES, "binary-junk.txt", bytes(rnd.randrange(256) for _ in range(4096)))


def hostile_numbers():
    base = seed("dazhanglou-2022.txt")
    digits = "1234567890" * 7
    write(FILES, "digits64-everywhere.txt", re.sub(r"\d+", lambda m: digits[:64], base))
    write(FILES, "digits64-everywhere.md",
          re.sub(r"\d+", lambda m: digits[:64], seed("shuyang-2025-ocr.txt")))
    glued = re.sub(r"\d+", lambda m: digits[:64], seed("pingtan-2021.txt"))
    write(FILES, "digits64-glued.txt", glued)
    for n in (25, 26, 27, 28, 29, 40):
        # Every number of the report becomes an n-digit number (fee cell included).
        write(FILES, f"digits{n}-cells.txt", re.sub(r"\b\d+\b", lambda m: digits[:n], base))


def stray_bytes():
    base = seed("dazhanglou-2022.txt").encode("utf-8")
    at = base.index("本年新收".encode("utf-8")) if "本年新收".encode("utf-8") in base else len(base) // 2
    write(FILES, "stray-byte-utf8.txt", base[:at] + b"\xff" + base[at:])
    write(FILES, "stray-bytes-utf8.txt", base[:100] + b"\xc3\x28" + base[100:at] + b"\x80\x80" + base[at:])
    text = seed("dazhanglou-2022.txt")
    write(FILES, "utf16le-no-bom.txt", text.encode("utf-16-le"))
    write(FILES, "utf16be-no-bom.txt", text.encode("utf-16-be"))
    write(FILES, "utf16le-bom.txt", b"\xff\xfe" + text.encode("utf-16-le"))
    write(FILES, "gbk.txt", text.encode("gbk", errors="replace"))
    html = ("<html><head><meta charset=\"utf-8\"><title>年度报告</title></head><body>"
            + "".join(f"<p>{esc(line)}</p>" for line in text.splitlines()) + "</body></html>")
    hb = html.encode("utf-8")
    write(FILES, "stray-byte.html", hb[:at] + b"\xff" + hb[at:])
    undeclared = hb.replace(b'<meta charset="utf-8">', b"")
    write(FILES, "stray-byte-undeclared.html", undeclared[:at] + b"\xfe" + undeclared[at:])
    write(FILES, "deep-nesting.html", "<html><body>" + "<div>" * 30000 + "一、总体情况" + "</div>" * 10 + "</body></html>")


def cms_chrome():
    body = seed("pingtan-2021.txt")
    chrome_head = ("首页 > 政务公开 > 政府信息公开年报 > 正文\n"
                   "发布时间：2022-01-20 10:31  来源：区政府办  浏览次数：1234  字号：[ 大 中 小 ]\n"
                   "索引号：FJ-00123-0200-2022-00001  发布机构：平潭综合实验区管委会\n"
                   "【打印本页】 【关闭窗口】\n")
    chrome_tail = ("\n附件下载：\n1. 2021年政府信息公开工作年度报告.pdf\n"
                   "原文链接：http://www.pingtan.gov.cn/zwgk/xxgkzl/ndbg/202201/t20220120_1.htm\n"
                   "本地目录：/mnt/crawl/pingtan/2022/01/20/\nlinks.tsv\n"
                   "扫一扫在手机打开当前页\n主办单位：平潭综合实验区管理委员会  网站标识码：3501280001\n"
                   "闽ICP备12345678号  闽公网安备 35012802000001号\n")
    write(FILES, "cms-export-with-chrome.txt", chrome_head + body + chrome_tail)
    write(FILES, "cms-export-chrome-only.txt", chrome_head + chrome_tail)


def containers():
    pdf = (RAW / "hongze-2024.pdf").read_bytes()
    write(FILES, "truncated-half.pdf", pdf[: len(pdf) // 2][: 190 * 1024])
    write(FILES, "truncated-head.pdf", pdf[:4096])
    rnd = random.Random(17)
    write(FILES, "garbage.pdf", b"%PDF-1.7\n" + bytes(rnd.randrange(256) for _ in range(20000)))
    write(FILES, "header-only.pdf", b"%PDF-1.4\n%%EOF\n")
    docx = (RAW / "template-2021-blank.docx").read_bytes()
    write(FILES, "truncated.docx", docx[: len(docx) // 2])
    write(FILES, "garbage.docx", b"PK\x03\x04" + bytes(rnd.randrange(256) for _ in range(8000)))
    write(FILES, "text-named.docx", "一、总体情况\n这不是 DOCX 文件。\n")
    not_docx = io.BytesIO()
    with zipfile.ZipFile(not_docx, "w") as z:
        z.writestr("readme.txt", "just a zip")
    write(FILES, "plain-zip.docx", not_docx.getvalue())
    report = xlsx([("Sheet1", report_cells(seed("dazhanglou-2022.txt")))])
    write(FILES, "report.xlsx", report)
    write(FILES, "truncated.xlsx", report[: len(report) // 2])
    stray = report_cells(seed("dazhanglou-2022.txt")) + [(1048575, 16383, "1")]
    write(FILES, "sparse-XFD1048576.xlsx", xlsx([("Sheet1", stray)]))
    write(FILES, "sparse-ZZ100000.xlsx",
          xlsx([("Sheet1", report_cells(seed("dazhanglou-2022.txt")) + [(99999, 701, "x")])]))
    write(FILES, "dimension-lie.xlsx",
          xlsx([("Sheet1", [(0, 0, "一、总体情况")])], dimension_lie="A1:XFD1048576"))


REGISTER_HEADER = ["登记编号", "申请人类型", "提交方式", "到达日期", "确认日期", "办理结果", "办结日期"]


def registers():
    head = [(0, c, h) for c, h in enumerate(REGISTER_HEADER)]
    row = [(1, c, v) for c, v in enumerate(["2024-001", "自然人", "当面", "2024-03-01", "", "予以公开", "2024-03-05"])]
    write(REGISTERS, "sparse-XFD1048576.xlsx",
          xlsx([("依申请公开", head + row + [(1048575, 16383, "stray")])]))
    write(REGISTERS, "sparse-ZZ100000.xlsx",
          xlsx([("依申请公开", head + row + [(99999, 701, "stray")])]))
    write(REGISTERS, "stray-header-XFD1.xlsx",
          xlsx([("依申请公开", head + [(0, 16383, "备注")] + row + [(5000, 16383, "x")])]))
    write(REGISTERS, "dimension-lie.xlsx",
          xlsx([("依申请公开", head + row)], dimension_lie="A1:XFD1048576"))
    csv_head = ",".join(REGISTER_HEADER)
    write(REGISTERS, "date-cut-in-a-character.csv",
          csv_head + "\n2024-001,自然人,当面,未知ab,,予以公开,2024-03-05\n"
          + "2024-002,自然人,当面,ab未知,,予以公开,未知ab\n")
    bad = "".join(f"2024-{i:05},外星人,飞碟,未知{i},,,\n" for i in range(4000))
    write(REGISTERS, "many-bad-rows.csv", csv_head + "\n" + bad)
    write(REGISTERS, "truncated.xlsx", xlsx([("依申请公开", head + row)])[:300])
    write(REGISTERS, "not-a-register.csv", "a,b,c\n1,2,3\n")


if __name__ == "__main__":
    non_reports()
    hostile_numbers()
    stray_bytes()
    cms_chrome()
    containers()
    registers()
