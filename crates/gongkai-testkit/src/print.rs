//! Printing a report as text in the flattening styles of real reports (spec §6).

use std::fmt::Write as _;

use gongkai_model::catalogue::{T3_BALANCE_NOTE, T3_COLUMNS, T4_COLUMNS, t4_block_label};
use gongkai_model::{Report, RowSpec, SectionId, Table, Value};

/// How tables are flattened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// One cell per line, tab-indented, header cells broken over lines, blank lines for spanned
    /// positions (the seed report).
    CellPerLine,
    /// Each row on one line, cells separated by `|` (no Markdown rule lines).
    Pipe,
    /// Markdown tables with header and rule rows.
    Markdown,
    /// Converter output: every Table 3 row its own mini-table with generic headers (`数据1…6`),
    /// Table 4 as three mini-tables.
    MarkdownMini,
    /// Crawler text: the whole report on one line, every row's digits glued together.
    Glued,
}

impl Style {
    /// All styles.
    pub const ALL: [Style; 5] =
        [Style::CellPerLine, Style::Pipe, Style::Markdown, Style::MarkdownMini, Style::Glued];
}

/// Cosmetic variation seen in real reports.
#[derive(Clone, Copy, Debug, Default)]
pub struct Cosmetics {
    /// Print digits full-width (`１２`).
    pub full_width_digits: bool,
    /// Number sub-rows `1、` instead of `1.`.
    pub ideographic_comma: bool,
    /// Indent value cells with U+3000 / U+00A0 as Word exports do.
    pub odd_spaces: bool,
}

fn value(v: &Value, c: Cosmetics) -> String {
    let s = match v {
        Value::Number(d) => d.to_string(),
        Value::Blank => String::new(),
        Value::NotApplicable(m) => m.clone(),
        Value::Unknown => "?".to_owned(),
    };
    if c.full_width_digits {
        s.chars()
            .map(|ch| {
                if ch.is_ascii_digit() {
                    char::from_u32(ch as u32 - '0' as u32 + '０' as u32).unwrap_or(ch)
                } else {
                    ch
                }
            })
            .collect()
    } else {
        s
    }
}

fn label(spec: &RowSpec, c: Cosmetics) -> String {
    let numbering = if c.ideographic_comma {
        spec.numbering.replace('.', "、")
    } else {
        spec.numbering.to_owned()
    };
    format!("{numbering}{}", spec.body)
}

/// Prints `report` in `style`.
pub fn print(report: &Report, style: Style, c: Cosmetics) -> String {
    let mut parts: Vec<String> = Vec::new();
    let year = report.meta.year.as_ref().map_or(2024, |y| y.value);
    let title = report
        .meta
        .title
        .as_ref()
        .map_or_else(|| "政府信息公开工作年度报告".to_owned(), |t| t.value.clone());
    parts.push(title.clone());
    parts.push(format!("本报告依据《中华人民共和国政府信息公开条例》编制。本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"));
    for id in SectionId::ALL {
        parts.push(id.heading().to_owned());
        if let Some(s) = report.section(id)
            && !s.text.is_empty()
        {
            parts.push(s.text.clone());
        }
        let table = match id {
            SectionId::Proactive => report.t2.as_ref().map(|t| t2(t, style, c)),
            SectionId::Applications => report.t3.as_ref().map(|t| t3(t, style, c)),
            SectionId::ReviewLitigation => report.t4.as_ref().map(|t| t4(t, style, c)),
            _ => None,
        };
        if let Some(t) = table {
            parts.push(t);
        }
    }
    match style {
        Style::Glued => {
            let body: String = parts[1..].iter().map(|p| p.replace('\n', "")).collect();
            format!(
                "标题: {title}\n发布时间: {}-01-20 10:00\n==================== 正文 ====================\n{body}\n",
                year + 1
            )
        }
        _ => parts.join("\n") + "\n",
    }
}

fn cells(t: &Table, spec: &RowSpec) -> Vec<Value> {
    spec.columns
        .iter()
        .map(|col| {
            t.value(gongkai_model::CellKey { row: spec.id, col: col.id })
                .cloned()
                .unwrap_or(Value::Blank)
        })
        .collect()
}

fn t2(t: &Table, style: Style, c: Cosmetics) -> String {
    let mut out = String::new();
    let rows = t.shape().rows;
    let mut i = 0;
    while i < rows.len() {
        let caption = rows[i].group.unwrap_or("");
        let group: Vec<&RowSpec> =
            rows[i..].iter().take_while(|r| r.group.unwrap_or("") == caption).collect();
        i += group.len();
        let headers: Vec<&str> = std::iter::once("信息内容")
            .chain(group[0].columns.iter().map(|col| col.label))
            .collect();
        let body: Vec<(String, Vec<String>)> = group
            .iter()
            .map(|r| (label(r, c), cells(t, r).iter().map(|v| value(v, c)).collect()))
            .collect();
        write_group(&mut out, caption, &headers, &body, style, c);
    }
    out
}

fn write_group(
    out: &mut String,
    caption: &str,
    headers: &[&str],
    body: &[(String, Vec<String>)],
    style: Style,
    c: Cosmetics,
) {
    let sp = if c.odd_spaces { "\u{3000}" } else { " " };
    match style {
        Style::CellPerLine => {
            let _ = writeln!(out, "\t{caption}\n");
            for h in headers {
                let _ = writeln!(out, "\t{h}");
            }
            out.push('\n');
            for (l, vals) in body {
                let _ = writeln!(out, "\t{l}");
                for v in vals {
                    let _ = writeln!(out, "\t{sp}{v}");
                }
                out.push('\n');
            }
        }
        Style::Pipe => {
            let _ = writeln!(out, "{caption}");
            let _ = writeln!(out, "{}", headers.join("|"));
            for (l, vals) in body {
                let _ = writeln!(out, "{l}|{}", vals.join("|"));
            }
        }
        Style::Markdown | Style::MarkdownMini => {
            let _ = writeln!(out, "### {caption}");
            let _ = writeln!(out, "| {} |", headers.join(" | "));
            let _ = writeln!(out, "|{}", "---|".repeat(headers.len()));
            for (l, vals) in body {
                let _ = writeln!(out, "| {l} | {} |", vals.join(" | "));
            }
            out.push('\n');
        }
        Style::Glued => {
            let _ = write!(out, "{caption}{}", headers.concat());
            for (l, vals) in body {
                let _ = write!(out, "{l}{}", vals.concat());
            }
        }
    }
}

fn t3(t: &Table, style: Style, c: Cosmetics) -> String {
    let mut out = String::new();
    let sp = if c.odd_spaces { "\u{a0}" } else { " " };
    let applicant: Vec<&str> = T3_COLUMNS.iter().map(|col| col.label).collect();
    // Header.
    match style {
        Style::CellPerLine => {
            let _ = writeln!(
                out,
                "\t{T3_BALANCE_NOTE}\n\t申请人情况\n\n\t\n\t自然人\n\t法人或其他组织\n\t总计\n\n\t\n\t\n\t商业\n企业\n\t科研\n机构\n\t社会公益组织\n\t法律服务机构\n\t其他\n\t\n"
            );
        }
        Style::Pipe => {
            let _ = writeln!(
                out,
                "{T3_BALANCE_NOTE}|申请人情况\n自然人|法人或其他组织|总计\n{}",
                applicant.join("|")
            );
        }
        Style::Markdown => {
            let _ =
                writeln!(out, "| {T3_BALANCE_NOTE} | 自然人 | {} |", applicant[1..].join(" | "));
            let _ = writeln!(out, "|{}", "---|".repeat(applicant.len() + 1));
        }
        Style::MarkdownMini => {
            let _ = writeln!(
                out,
                "{T3_BALANCE_NOTE}\n\n### 申请人情况 (自然人)\n| (数据项目) | 数量 |\n|---|---|\n| - | - |\n"
            );
        }
        Style::Glued => {
            let _ = write!(
                out,
                "{T3_BALANCE_NOTE}申请人情况自然人法人或其他组织总计 {}",
                applicant[1..6].concat()
            );
        }
    }
    let mut last_group: Option<&str> = None;
    let mut results_header_done = false;
    for spec in t.shape().rows {
        let vals: Vec<String> = cells(t, spec).iter().map(|v| value(v, c)).collect();
        let is_outcome = !matches!(spec.numbering, "一、" | "二、" | "四、");
        let mut prefix: Vec<String> = Vec::new();
        if is_outcome && !results_header_done {
            prefix.push("三、本年度办理结果".to_owned());
            results_header_done = true;
        }
        if spec.group != last_group {
            if let Some(g) = spec.group {
                prefix.push(g.to_owned());
            }
            last_group = spec.group;
        }
        let l = label(spec, c);
        match style {
            Style::CellPerLine => {
                for p in &prefix {
                    let _ = writeln!(out, "\t{p}");
                }
                let _ = writeln!(out, "\t{l}");
                for v in &vals {
                    let _ = writeln!(out, "\t{sp}{v}");
                }
                out.push_str("\n\t\n");
            }
            Style::Pipe => {
                let _ = writeln!(
                    out,
                    "{}|{}",
                    prefix.iter().chain(std::iter::once(&l)).cloned().collect::<Vec<_>>().join("|"),
                    vals.join("|")
                );
            }
            Style::Markdown => {
                let _ = writeln!(
                    out,
                    "| {} | {} |",
                    prefix.iter().chain(std::iter::once(&l)).cloned().collect::<Vec<_>>().join(" "),
                    vals.join(" | ")
                );
            }
            Style::MarkdownMini => {
                for p in &prefix {
                    let _ = writeln!(out, "### {p}");
                }
                let _ = writeln!(
                    out,
                    "| 类别 | 数据1 | 数据2 | 数据3 | 数据4 | 数据5 | 数据6 | 总计 |\n|---|---|---|---|---|---|---|---|\n| {l} | {} |\n",
                    vals.join(" | ")
                );
            }
            Style::Glued => {
                let _ = write!(out, "{}{l}{}", prefix.concat(), vals.concat());
            }
        }
    }
    out
}

fn t4(t: &Table, style: Style, c: Cosmetics) -> String {
    let mut out = String::new();
    let heads: Vec<&str> = T4_COLUMNS.iter().map(|col| col.label).collect();
    let vals: Vec<Vec<String>> = t
        .shape()
        .rows
        .iter()
        .map(|spec| cells(t, spec).iter().map(|v| value(v, c)).collect())
        .collect();
    match style {
        Style::CellPerLine => {
            out.push_str("\t行政复议\n\t行政诉讼\n\n");
            for h in &heads {
                let _ = writeln!(
                    out,
                    "\t{}",
                    h.replacen("结果", "结果\n", 1).replace("尚未", "尚未\n")
                );
            }
            out.push_str("\t未经复议直接起诉\n\t复议后起诉\n\n");
            for _ in 0..2 {
                for h in &heads {
                    let _ = writeln!(out, "\t{h}");
                }
            }
            out.push('\n');
            for v in vals.iter().flatten() {
                let _ = writeln!(out, "\t{v}");
            }
        }
        Style::Pipe => {
            let _ = writeln!(
                out,
                "行政复议|行政诉讼\n{}|未经复议直接起诉|复议后起诉\n{}",
                heads.join("|"),
                [heads.join("|"), heads.join("|")].join("|")
            );
            let _ =
                writeln!(out, "{}", vals.iter().flatten().cloned().collect::<Vec<_>>().join("|"));
        }
        Style::Markdown => {
            let _ = writeln!(out, "| 行政复议 | | | | | 行政诉讼 | | | | | | | | | |");
            let _ = writeln!(out, "|{}", "---|".repeat(15));
            let _ = writeln!(
                out,
                "| {} |",
                [heads.join(" | "), heads.join(" | "), heads.join(" | ")].join(" | ")
            );
            let _ = writeln!(
                out,
                "| {} |",
                vals.iter().flatten().cloned().collect::<Vec<_>>().join(" | ")
            );
        }
        Style::MarkdownMini => {
            for (i, b) in gongkai_model::T4Block::ALL.iter().enumerate() {
                let name = match i {
                    0 => t4_block_label(*b).to_owned(),
                    _ => format!("行政诉讼（{}）", t4_block_label(*b)),
                };
                let _ = writeln!(
                    out,
                    "### {name}\n| {} |\n|---|---|---|---|---|\n| {} |\n",
                    heads.join(" | "),
                    vals[i].join(" | ")
                );
            }
        }
        Style::Glued => {
            let _ = write!(
                out,
                "行政复议行政诉讼{}未经复议直接起诉复议后起诉{}{}",
                heads.concat(),
                heads.concat(),
                heads.concat()
            );
            let _ = write!(out, "{}", vals.iter().flatten().cloned().collect::<String>());
        }
    }
    out
}
