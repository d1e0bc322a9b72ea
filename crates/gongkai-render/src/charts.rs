//! Charts for the parts of the report people would rather look at than read: proactive disclosure
//! by category, applications by applicant type, outcomes by category, review and litigation
//! results, and the year-on-year comparison when previous reports are given.
//!
//! A [`Chart`] is data (categories × series of numbers) taken from the tables without arithmetic
//! beyond plain sums; a category whose parts are not all numbers is shown as undetermined (`—`),
//! never as a guess. [`Chart::svg`] draws it as a small, deterministic SVG of horizontal bars with
//! direct value labels and black-and-white fills (solid greys and hatching), so that it reads in
//! print. HTML inlines the SVG, PDF embeds it, DOCX embeds it rasterised (`png.rs`), and XLSX
//! draws a native chart from the same data.

use std::fmt::Write as _;

use gongkai_model::catalogue::{T3_COLUMNS, T4_COLUMNS, t4_block_label};
use gongkai_model::{
    CellKey, Decimal, Layout, Report, T2Col, T2Row, T3Col, T3Row, T4Block, T4Col, TableId,
};

use crate::text;

/// One data series.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Series {
    /// Its name (the legend text).
    pub name: String,
    /// One value per category; `None` where the table does not determine it.
    pub values: Vec<Option<Decimal>>,
}

/// A chart: categories (drawn top to bottom) and one or more series.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chart {
    /// A stable id (`applicants`), used for file names and element ids.
    pub id: &'static str,
    /// The title, printed above the chart.
    pub title: String,
    /// The unit of the values (`件`).
    pub unit: &'static str,
    /// Category labels.
    pub categories: Vec<String>,
    /// The series.
    pub series: Vec<Series>,
}

/// The fills of the series, in order: dark grey, hatching, light grey, dots (all readable in
/// black-and-white print).
pub const FILLS: [&str; 4] = ["#404040", "url(#gk-hatch)", "#b0b0b0", "url(#gk-dots)"];

/// The font family list used for chart text.
pub const FONT_FAMILY: &str = "'Noto Sans CJK SC', 'Source Han Sans SC', 'WenQuanYi Zen Hei', 'Microsoft YaHei', SimHei, sans-serif";

impl Chart {
    /// Whether the chart has any non-zero value (an all-zero chart says nothing).
    pub fn has_data(&self) -> bool {
        self.series.iter().flat_map(|s| &s.values).any(|v| v.is_some_and(|d| !d.is_zero()))
    }

    fn max(&self) -> Decimal {
        self.series
            .iter()
            .flat_map(|s| &s.values)
            .filter_map(|v| *v)
            .max()
            .unwrap_or(Decimal::ONE)
            .max(Decimal::ONE)
    }

    /// The chart as a standalone SVG document (deterministic: same data, same bytes).
    pub fn svg(&self) -> String {
        self.svg_with(None)
    }

    /// The chart as SVG; with `Some(id)`, marked up for inline use in HTML: `role="img"` and a
    /// `<title id="{id}">` carrying [`Chart::description`].
    pub fn svg_with(&self, a11y_id: Option<&str>) -> String {
        const W: f64 = 640.0;
        const LABEL_W: f64 = 190.0;
        const BAR_H: f64 = 18.0;
        const GAP: f64 = 12.0;
        let n_series = self.series.len().max(1);
        let legend_h = if n_series > 1 { 30.0 } else { 0.0 };
        let top = 12.0 + legend_h;
        let group_h = BAR_H * n_series as f64 + GAP;
        let h = top + group_h * self.categories.len() as f64 + 16.0;
        let plot_w = W - LABEL_W - 70.0;
        let max = to_f64(self.max());
        let mut s = String::with_capacity(4096);
        let _ = write!(
            s,
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{h}" viewBox="0 0 {W} {h}" font-family="{FONT_FAMILY}" font-size="13"{}>"##,
            a11y_id.map_or(String::new(), |id| format!(r#" role="img" aria-labelledby="{id}""#))
        );
        if let Some(id) = a11y_id {
            let _ = write!(s, r#"<title id="{id}">{}</title>"#, esc(&self.description()));
        }
        s.push_str(r##"<defs><pattern id="gk-hatch" patternUnits="userSpaceOnUse" width="6" height="6"><rect width="6" height="6" fill="#ffffff"/><path d="M0,6 L6,0 M-1.5,1.5 L1.5,-1.5 M4.5,7.5 L7.5,4.5" stroke="#000000" stroke-width="1.4"/></pattern><pattern id="gk-dots" patternUnits="userSpaceOnUse" width="5" height="5"><rect width="5" height="5" fill="#ffffff"/><circle cx="2.5" cy="2.5" r="1.2" fill="#000000"/></pattern></defs>"##);
        let _ = write!(s, r##"<rect width="{W}" height="{h}" fill="#ffffff"/>"##);
        if n_series > 1 {
            let mut x = LABEL_W;
            for (i, se) in self.series.iter().enumerate() {
                let _ = write!(
                    s,
                    r##"<rect x="{x}" y="8" width="14" height="14" fill="{}" stroke="#000000" stroke-width="0.8"/><text x="{}" y="20">{}</text>"##,
                    FILLS[i % FILLS.len()],
                    x + 19.0,
                    esc(&se.name)
                );
                x += 19.0 + 14.0 * se.name.chars().count() as f64 + 24.0;
            }
        }
        let axis_x = LABEL_W;
        let _ = write!(
            s,
            r##"<line x1="{axis_x}" y1="{}" x2="{axis_x}" y2="{}" stroke="#000000" stroke-width="1"/>"##,
            top - 4.0,
            h - 12.0
        );
        for (ci, cat) in self.categories.iter().enumerate() {
            let y0 = top + group_h * ci as f64;
            let _ = write!(
                s,
                r##"<text x="{}" y="{}" text-anchor="end">{}</text>"##,
                LABEL_W - 8.0,
                y0 + BAR_H * n_series as f64 / 2.0 + 4.5,
                esc(cat)
            );
            for (si, se) in self.series.iter().enumerate() {
                let y = y0 + BAR_H * si as f64;
                match se.values.get(ci).copied().flatten() {
                    Some(v) => {
                        let w = (to_f64(v) / max * plot_w).max(0.0);
                        let _ = write!(
                            s,
                            r##"<rect x="{axis_x}" y="{y}" width="{w:.1}" height="{}" fill="{}" stroke="#000000" stroke-width="0.8"/><text x="{:.1}" y="{}">{v}</text>"##,
                            BAR_H - 2.0,
                            FILLS[si % FILLS.len()],
                            axis_x + w + 5.0,
                            y + BAR_H - 5.0
                        );
                    }
                    None => {
                        let _ = write!(
                            s,
                            r##"<text x="{}" y="{}">—</text>"##,
                            axis_x + 5.0,
                            y + BAR_H - 5.0
                        );
                    }
                }
            }
        }
        s.push_str("</svg>");
        s
    }

    /// A text description of the chart for screen readers and the HTML fallback.
    pub fn description(&self) -> String {
        let mut out = format!("{}：", self.title);
        let mut parts = Vec::new();
        for (ci, cat) in self.categories.iter().enumerate() {
            let vals: Vec<String> = self
                .series
                .iter()
                .map(|se| {
                    let v = se
                        .values
                        .get(ci)
                        .copied()
                        .flatten()
                        .map_or("—".to_owned(), |d| format!("{d}{}", self.unit));
                    if self.series.len() > 1 { format!("{}{v}", se.name) } else { v }
                })
                .collect();
            parts.push(format!("{cat}{}", vals.join("、")));
        }
        out.push_str(&parts.join("；"));
        out.push('。');
        out
    }
}

fn to_f64(d: Decimal) -> f64 {
    d.to_string().parse().unwrap_or(0.0)
}

/// Escapes text for XML.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

/// The sum of `keys`, when every one holds a number small enough to compute with
/// ([`gongkai_model::MAX_OPERAND`]); the addition is checked.
fn sum(report: &Report, keys: impl IntoIterator<Item = CellKey>) -> Option<Decimal> {
    keys.into_iter().try_fold(Decimal::ZERO, |acc, k| acc.checked_add(report.operand(k)?))
}

/// Proactive disclosure by category (Table 2 counts; the fee, in 万元, is left out).
pub fn proactive(report: &Report) -> Option<Chart> {
    let t2 = report.t2.as_ref()?;
    let (docs, decisions) = match t2.layout() {
        Layout::Format2021 => (T2Col::Issued, T2Col::Decisions),
        Layout::Trial2019 => (T2Col::Made, T2Col::Decisions),
    };
    let doc_label =
        if t2.layout() == Layout::Format2021 { "本年制发" } else { "本年新制作" };
    let mut categories = Vec::new();
    let mut values = Vec::new();
    for row in t2.shape().rows {
        let gongkai_model::RowId::T2(r) = row.id else { continue };
        let col = match r {
            T2Row::Regulations | T2Row::NormativeDocuments => docs,
            T2Row::Licensing | T2Row::OtherServices | T2Row::Penalty | T2Row::Coercion => decisions,
            T2Row::Fees | T2Row::Procurement => continue,
        };
        let what = if col == docs { doc_label } else { "处理决定" };
        categories.push(format!("{}（{what}）", row.body));
        values.push(t2.number(CellKey::t2(r, col)));
    }
    Some(Chart {
        id: "proactive",
        title: "主动公开政府信息情况".to_owned(),
        unit: "件",
        categories,
        series: vec![Series { name: "数量".to_owned(), values }],
    })
}

/// New applications by applicant type (Table 3, 一、本年新收).
pub fn applicants(report: &Report) -> Option<Chart> {
    let t3 = report.t3.as_ref()?;
    let cols = &T3_COLUMNS[..6];
    Some(Chart {
        id: "applicants",
        title: "本年新收政府信息公开申请（按申请人类型）".to_owned(),
        unit: "件",
        categories: cols.iter().map(|c| c.label.to_owned()).collect(),
        series: vec![Series {
            name: "申请数".to_owned(),
            values: T3Col::APPLICANTS
                .iter()
                .map(|&c| t3.number(CellKey::t3(T3Row::NewReceived, c)))
                .collect(),
        }],
    })
}

/// Outcomes by category (Table 3, column 总计): each of （一）…（六） with its sub-rows summed.
pub fn outcomes(report: &Report) -> Option<Chart> {
    let t3 = report.t3.as_ref()?;
    let mut categories: Vec<String> = Vec::new();
    let mut values = Vec::new();
    let rows = t3.shape().rows;
    let mut i = 0;
    while i < rows.len() {
        let r = &rows[i];
        let gongkai_model::RowId::T3(id) = r.id else {
            i += 1;
            continue;
        };
        if matches!(
            id,
            T3Row::NewReceived | T3Row::CarriedOver | T3Row::TotalProcessed | T3Row::CarriedForward
        ) {
            i += 1;
            continue;
        }
        match r.group {
            None => {
                // The label without its parenthetical note (`（二）部分公开`).
                categories.push(format!(
                    "{}{}",
                    r.numbering,
                    r.body.split('（').next().unwrap_or(r.body)
                ));
                values.push(t3.number(CellKey::t3(id, T3Col::Total)));
                i += 1;
            }
            Some(g) => {
                let members: Vec<CellKey> = rows[i..]
                    .iter()
                    .take_while(|x| x.group == Some(g))
                    .filter_map(|x| match x.id {
                        gongkai_model::RowId::T3(rr) => Some(CellKey::t3(rr, T3Col::Total)),
                        _ => None,
                    })
                    .collect();
                i += members.len();
                categories.push(g.to_owned());
                values.push(sum(report, members));
            }
        }
    }
    Some(Chart {
        id: "outcomes",
        title: "本年度办理结果（按类别）".to_owned(),
        unit: "件",
        categories,
        series: vec![Series { name: "件数".to_owned(), values }],
    })
}

/// Review and litigation results (Table 4): result columns × the three blocks.
pub fn review_litigation(report: &Report) -> Option<Chart> {
    let t4 = report.t4.as_ref()?;
    let parts = &T4_COLUMNS[..4];
    Some(Chart {
        id: "review",
        title: "行政复议、行政诉讼结果".to_owned(),
        unit: "件",
        categories: parts.iter().map(|c| c.label.to_owned()).collect(),
        series: [T4Block::Review, T4Block::LitigationDirect, T4Block::LitigationAfterReview]
            .into_iter()
            .map(|b| Series {
                name: t4_block_label(b).to_owned(),
                values: T4Col::PARTS.iter().map(|&c| t4.number(CellKey::t4(b, c))).collect(),
            })
            .collect(),
    })
}

/// Year-on-year comparison of the main totals, oldest year first, when previous reports are given.
pub fn year_on_year(report: &Report, previous: &[Report]) -> Option<Chart> {
    if previous.is_empty() {
        return None;
    }
    let mut all: Vec<&Report> = previous.iter().chain(std::iter::once(report)).collect();
    all.sort_by_key(|r| text::year(r));
    let total = |r: &Report, k| r.number(k);
    let series = vec![
        Series {
            name: "新收申请".to_owned(),
            values: all
                .iter()
                .map(|r| total(r, CellKey::t3(T3Row::NewReceived, T3Col::Total)))
                .collect(),
        },
        Series {
            name: "行政复议".to_owned(),
            values: all
                .iter()
                .map(|r| total(r, CellKey::t4(T4Block::Review, T4Col::Total)))
                .collect(),
        },
        Series {
            name: "行政诉讼".to_owned(),
            values: all
                .iter()
                .map(|r| {
                    sum(
                        r,
                        [
                            CellKey::t4(T4Block::LitigationDirect, T4Col::Total),
                            CellKey::t4(T4Block::LitigationAfterReview, T4Col::Total),
                        ],
                    )
                })
                .collect(),
        },
    ];
    Some(Chart {
        id: "years",
        title: "历年对比".to_owned(),
        unit: "件",
        categories: all
            .iter()
            .map(|r| text::year(r).map_or("年份不详".to_owned(), |y| format!("{y}年")))
            .collect(),
        series,
    })
}

/// Which table a chart illustrates (it is placed after that table), `None` for the comparison.
pub fn placement(chart: &Chart) -> Option<TableId> {
    match chart.id {
        "proactive" => Some(TableId::T2),
        "applicants" | "outcomes" => Some(TableId::T3),
        "review" => Some(TableId::T4),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use gongkai_model::{Table, Value};

    use super::*;

    #[test]
    fn undetermined_groups_are_not_summed() {
        let mut r = Report::default();
        let mut t3 = Table::filled(TableId::T3, Layout::Format2021, |_| Value::int(1));
        t3.set(CellKey::t3(T3Row::WithheldInquiry, T3Col::Total), Value::Blank);
        r.t3 = Some(t3);
        let c = outcomes(&r).expect("chart");
        let i = c.categories.iter().position(|x| x == "（三）不予公开").expect("category");
        assert_eq!(c.series[0].values[i], None);
        let j = c.categories.iter().position(|x| x == "（四）无法提供").expect("category");
        assert_eq!(c.series[0].values[j], Some(Decimal::from(3)));
        assert_eq!(c.categories.len(), 6);
        assert!(c.svg().contains("—"));
    }
}
