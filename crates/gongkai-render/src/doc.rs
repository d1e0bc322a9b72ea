//! The report laid out once, independently of the output format: a sequence of [`Block`]s (title,
//! preamble, the six sections with their official headings, the tables in the template's shape,
//! the charts, the signature). Every renderer walks the same blocks, so the formats cannot drift
//! apart.

use gongkai_model::json::{Location, ReportJson};
use gongkai_model::{Layout, Msg, Report, SectionId, TableId};

use crate::RenderError;
use crate::charts::{self, Chart};
use crate::gate::Notice;
use crate::grid::PrintedTable;
use crate::text::{self, Para};

/// What to include.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// Draw charts (after the tables they illustrate; the year-on-year comparison ends section 一).
    pub charts: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { charts: true }
    }
}

/// One block of the laid-out report.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// The validation notice of a report written despite errors.
    Notice(Notice),
    /// The title.
    Title(String),
    /// A section heading (first level, 黑体).
    Heading(SectionId, String),
    /// A paragraph of text.
    Para(Para),
    /// A table in the template's shape.
    Table(PrintedTable),
    /// A chart (index into [`ReportDoc::charts`]) with its figure number.
    Chart(usize, usize),
    /// The closing signature: agency and date, right-aligned.
    Signature(Vec<String>),
}

/// A report laid out for rendering.
#[derive(Clone, Debug)]
pub struct ReportDoc {
    /// The report (spans removed: they belong to the input, not to this output).
    pub report: Report,
    /// The title.
    pub title: String,
    /// The blocks in order.
    pub blocks: Vec<Block>,
    /// The charts drawn.
    pub charts: Vec<Chart>,
    /// The notice, when the report is written despite errors.
    pub notice: Option<Notice>,
}

impl ReportDoc {
    /// Lays out `report`. `previous` reports (any order) feed the year-on-year chart; `notice`
    /// comes from [`crate::gate::gate`].
    ///
    /// # Errors
    /// [`RenderError::MissingTable`] when the report lacks one of Tables 2–4.
    pub fn new(
        report: &Report,
        previous: &[Report],
        notice: Option<Notice>,
        options: Options,
    ) -> Result<Self, RenderError> {
        for id in [TableId::T2, TableId::T3, TableId::T4] {
            if report.table(id).is_none() {
                return Err(RenderError::MissingTable(id));
            }
        }
        let report = without_spans(report);
        let title = text::title(&report);
        let mut charts_all: Vec<Chart> = Vec::new();
        if options.charts {
            let candidates = [
                charts::year_on_year(&report, previous),
                charts::proactive(&report),
                charts::applicants(&report),
                charts::outcomes(&report),
                charts::review_litigation(&report),
            ];
            charts_all.extend(candidates.into_iter().flatten().filter(Chart::has_data));
        }
        let mut blocks = Vec::new();
        if let Some(n) = &notice {
            blocks.push(Block::Notice(n.clone()));
        }
        blocks.push(Block::Title(title.clone()));
        for p in text::preamble(&report) {
            blocks.push(Block::Para(Para {
                level: text::Level::Body,
                lead: String::new(),
                rest: p,
            }));
        }
        let mut figure = 0;
        let mut push_charts = |blocks: &mut Vec<Block>, at: Option<TableId>| {
            for (i, c) in charts_all.iter().enumerate() {
                if charts::placement(c) == at {
                    figure += 1;
                    blocks.push(Block::Chart(i, figure));
                }
            }
        };
        for id in SectionId::ALL {
            blocks.push(Block::Heading(id, id.heading().to_owned()));
            blocks.extend(text::section_paragraphs(&report, id).into_iter().map(Block::Para));
            let table = match id {
                SectionId::Overview => {
                    push_charts(&mut blocks, None);
                    None
                }
                SectionId::Proactive => Some(TableId::T2),
                SectionId::Applications => Some(TableId::T3),
                SectionId::ReviewLitigation => Some(TableId::T4),
                SectionId::Problems | SectionId::Other => None,
            };
            if let Some(t) = table.and_then(|t| report.table(t)) {
                blocks.push(Block::Table(PrintedTable::new(t)));
                push_charts(&mut blocks, table);
            }
        }
        let sig: Vec<String> = [&report.meta.agency, &report.meta.published]
            .into_iter()
            .filter_map(|x| x.as_ref().map(|v| v.value.clone()))
            .collect();
        if !sig.is_empty() {
            blocks.push(Block::Signature(sig));
        }
        Ok(ReportDoc { report, title, blocks, charts: charts_all, notice })
    }

    /// The report in gongkai's JSON form (pretty-printed), for embedding and for `--format json`.
    pub fn json(&self) -> String {
        json(&self.report)
    }

    /// What the user should know about this output (said on stderr by the CLI): each table
    /// printed in the 2019 trial layout although the report is for 2021 or later — it is written
    /// in the layout it was read in, never converted.
    pub fn warnings(&self) -> Vec<Msg> {
        let Some(year) = text::year(&self.report).filter(|y| *y >= 2021) else {
            return Vec::new();
        };
        self.tables()
            .filter(|t| t.layout == Layout::Trial2019)
            .map(|t| {
                Msg::new(
                    format!(
                        "{}按读取时的 2019 年试行格式（国办公开办函〔2019〕60号）输出，而报告年度为 {year} 年，2021 年起应使用国办公开办函〔2021〕30号格式；未作转换",
                        table_zh(t.id)
                    ),
                    format!(
                        "Table {} is written in the 2019 trial layout it was read in, although the report is for {year} (the 2021 format applies from 2021); it was not converted",
                        table_number(t.id)
                    ),
                )
            })
            .collect()
    }

    /// The printed tables, in order.
    pub fn tables(&self) -> impl Iterator<Item = &PrintedTable> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
    }
}

fn table_number(t: TableId) -> u8 {
    match t {
        TableId::T2 => 2,
        TableId::T3 => 3,
        TableId::T4 => 4,
    }
}

fn table_zh(t: TableId) -> &'static str {
    match t {
        TableId::T2 => "表二",
        TableId::T3 => "表三",
        TableId::T4 => "表四",
    }
}

/// `report` in gongkai's JSON form, pretty-printed.
pub fn json(report: &Report) -> String {
    let j = ReportJson::from_report(report, &|_| Location::default());
    // Serialising these plain data types cannot fail (string keys, no non-finite floats).
    serde_json::to_string_pretty(&j).unwrap_or_default()
}

/// A copy of `report` without the spans of the document it was read from.
fn without_spans(report: &Report) -> Report {
    let mut r = report.clone();
    for id in [TableId::T2, TableId::T3, TableId::T4] {
        if let Some(t) = r.table_mut(id) {
            t.span = None;
            let keys: Vec<_> = t.cells().iter().map(|c| c.key).collect();
            for k in keys {
                if let Some(c) = t.cell_mut(k) {
                    c.span = None;
                }
            }
        }
    }
    for s in &mut r.sections {
        s.heading.span = None;
        s.text_start = None;
        s.text_is_verbatim = false;
    }
    let m = &mut r.meta;
    for f in [
        &mut m.agency,
        &mut m.title,
        &mut m.url,
        &mut m.published,
        &mut m.contact.address,
        &mut m.contact.phone,
        &mut m.contact.postcode,
        &mut m.contact.email,
    ]
    .into_iter()
    .flatten()
    {
        f.span = None;
    }
    if let Some(y) = &mut m.year {
        y.span = None;
    }
    r
}
