#!/usr/bin/env python3
"""Makes the reader-residue fixtures from the development corpus (run from this directory).

- `cms-export.txt`: 大张楼镇's 2022 report as a site crawler saves a CMS page: the crawler's
  header block (标题/发布时间/原文链接/本地目录/links.tsv/==== 正文 ====), the page's breadcrumb
  and widgets (当前位置, 来源, 时间, 字号, 打印), page numbers between sections (-1-, — 2 —,
  第3页 共3页) and the page footer (附件下载, 打印本页 关闭窗口, 扫一扫).
- `bordered.txt`: the same report as a PDF/DOCX-to-text converter lays out ruled tables: every
  table line boxed by `+----+` border lines, empty `| | |` rows, and a ruled contact table
  (not one of Tables 2–4) in the preamble.

The cells must read exactly as `fixtures/corpus/dev/expected/dazhanglou-2022.txt.tsv`.
"""
from pathlib import Path

RAW = Path("../../../../fixtures/corpus/dev/raw/dazhanglou-2022.txt")
lines = RAW.read_text(encoding="utf-8").split("\n")


def at(heading):
    return next(i for i, l in enumerate(lines) if l.startswith(heading))


def cms_export():
    body = list(lines)
    # Page numbers and footers, inserted from the end so indices stay valid.
    body.insert(at("六、"), "第3页 共3页")
    body.insert(at("五、") + 3, "— 2 —")
    body.insert(at("二、"), "-1-")
    head = [
        "标题: 大张楼镇2022年政府信息公开工作年度报告",
        "发布时间: 2023-01-18 09:12",
        "文号: ",
        "发布机构: 大张楼镇人民政府",
        "栏目: 政府信息公开年报",
        "原文链接: http://www.jiaxiang.gov.cn/art/2023/1/18/art_12345_67890.html",
        "本地目录: art/2023/1/18/67890_大张楼镇2022年政府信息公开工作年度报告",
        "页面链接与图片详见 links.tsv(同目录)",
        "==================== 正文 ====================",
        "当前位置：首页 > 政务公开 > 政府信息公开年报",
        "来源：大张楼镇人民政府 发布时间：2023-01-18 09:12 浏览次数：128 【字体：大 中 小】 打印本页",
    ]
    foot = ["附件下载", "打印本页 关闭窗口", "扫一扫在手机打开当前页"]
    return "\n".join(head + body + foot) + "\n"


def boxed(row_lines):
    """A converter's ruled table: border lines around every row, an empty row at the end."""
    rule = "+------+------+"
    out = [rule]
    for l in row_lines:
        out += [f"| {l} |", rule]
    out += ["|      |      |", rule]
    return out


def bordered():
    body = list(lines)
    contact = boxed(["联系地址 | 嘉祥县大张楼镇中心街1号", "联系电话 | 0537-6751301"])
    body[at("一、"):at("一、")] = contact
    rule = "┌──────┬──────┐"
    body.insert(at("三、"), rule)
    body.insert(at("三、"), "│      │      │")
    body.insert(at("四、"), "└──────┴──────┘")
    return "\n".join(body)


Path("cms-export.txt").write_text(cms_export(), encoding="utf-8")
Path("bordered.txt").write_text(bordered(), encoding="utf-8")
