//! The report: metadata, the six sections and the three tables.

use rust_decimal::Decimal;

use crate::catalogue::{Layout, TableLayout};
use crate::keys::{CellKey, T2Col, T2Row, T3Col, T3Row, T4Block, T4Col, TableId};
use crate::span::{Span, Spanned};
use crate::value::{Cell, Value};

/// One statistical table in the layout it was printed in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    layout: &'static TableLayout,
    cells: Vec<Cell>,
    /// Where the table was printed (from its first to its last recognised piece).
    pub span: Option<Span>,
}

impl Table {
    /// A table of `layout` with every cell blank.
    pub fn blank(table: TableId, layout: Layout) -> Self {
        Table::filled(table, layout, |_| Value::Blank)
    }

    /// A table of `layout` whose cells are given by `value`.
    pub fn filled(table: TableId, layout: Layout, mut value: impl FnMut(CellKey) -> Value) -> Self {
        let layout = TableLayout::get(table, layout);
        let cells = layout.keys().map(|k| Cell::new(k, value(k))).collect();
        Table { layout, cells, span: None }
    }

    /// Which table this is.
    pub fn id(&self) -> TableId {
        self.layout.table
    }

    /// The layout the table was printed in.
    pub fn layout(&self) -> Layout {
        self.layout.layout
    }

    /// The layout's shape.
    pub fn shape(&self) -> &'static TableLayout {
        self.layout
    }

    /// The cells in table order.
    pub fn cells(&self) -> &[Cell] {
        &self.cells
    }

    /// The cell named `key`, if the layout has it.
    pub fn cell(&self, key: CellKey) -> Option<&Cell> {
        self.layout.index_of(key).map(|i| &self.cells[i])
    }

    /// Mutable access to the cell named `key`, if the layout has it.
    pub fn cell_mut(&mut self, key: CellKey) -> Option<&mut Cell> {
        self.layout.index_of(key).map(|i| &mut self.cells[i])
    }

    /// The value of `key`; `None` when the layout has no such cell.
    pub fn value(&self, key: CellKey) -> Option<&Value> {
        self.cell(key).map(|c| &c.value)
    }

    /// The number in `key`, if the layout has the cell and it holds a number.
    pub fn number(&self, key: CellKey) -> Option<Decimal> {
        self.value(key).and_then(Value::number)
    }

    /// Sets the value of `key`. Returns `false` (and changes nothing) when the layout has no such
    /// cell.
    pub fn set(&mut self, key: CellKey, value: Value) -> bool {
        match self.cell_mut(key) {
            Some(c) => {
                c.value = value;
                true
            }
            None => false,
        }
    }
}

/// The six sections (spec §1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SectionId {
    /// 一、总体情况.
    Overview,
    /// 二、主动公开政府信息情况.
    Proactive,
    /// 三、收到和处理政府信息公开申请情况.
    Applications,
    /// 四、政府信息公开行政复议、行政诉讼情况.
    ReviewLitigation,
    /// 五、存在的主要问题及改进情况.
    Problems,
    /// 六、其他需要报告的事项.
    Other,
}

impl SectionId {
    /// All sections in order.
    pub const ALL: [SectionId; 6] = [
        SectionId::Overview,
        SectionId::Proactive,
        SectionId::Applications,
        SectionId::ReviewLitigation,
        SectionId::Problems,
        SectionId::Other,
    ];

    /// 1-based number.
    pub const fn number(self) -> u8 {
        self as u8 + 1
    }

    /// From a 1-based number.
    pub fn from_number(n: u8) -> Option<Self> {
        SectionId::ALL.get(usize::from(n).checked_sub(1)?).copied()
    }

    /// The Chinese ordinal (`一` … `六`).
    pub const fn numeral(self) -> &'static str {
        match self {
            SectionId::Overview => "一",
            SectionId::Proactive => "二",
            SectionId::Applications => "三",
            SectionId::ReviewLitigation => "四",
            SectionId::Problems => "五",
            SectionId::Other => "六",
        }
    }

    /// The official heading (`一、总体情况`).
    pub const fn heading(self) -> &'static str {
        match self {
            SectionId::Overview => "一、总体情况",
            SectionId::Proactive => "二、主动公开政府信息情况",
            SectionId::Applications => "三、收到和处理政府信息公开申请情况",
            SectionId::ReviewLitigation => "四、政府信息公开行政复议、行政诉讼情况",
            SectionId::Problems => "五、存在的主要问题及改进情况",
            SectionId::Other => "六、其他需要报告的事项",
        }
    }

    /// Stable key used in JSON (`overview`, `proactive`, …).
    pub const fn key(self) -> &'static str {
        match self {
            SectionId::Overview => "overview",
            SectionId::Proactive => "proactive",
            SectionId::Applications => "applications",
            SectionId::ReviewLitigation => "review_litigation",
            SectionId::Problems => "problems",
            SectionId::Other => "other",
        }
    }

    /// Parses [`SectionId::key`].
    pub fn from_key(s: &str) -> Option<Self> {
        SectionId::ALL.into_iter().find(|s2| s2.key() == s)
    }
}

/// One section as printed: its heading and its text (tables excluded where they were recognised).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// Which section.
    pub id: SectionId,
    /// The heading as printed.
    pub heading: Spanned<String>,
    /// The section's text, paragraphs separated by `\n`.
    pub text: String,
    /// Where the text starts in the document: `text` byte `i` is at document byte
    /// `text_start + i` when `text_is_verbatim` holds.
    pub text_start: Option<u32>,
    /// Whether `text` is an exact slice of the document text (so offsets map back one to one).
    pub text_is_verbatim: bool,
}

impl Section {
    /// A section with the official heading and `text`, not tied to any document.
    pub fn new(id: SectionId, text: impl Into<String>) -> Self {
        Section {
            id,
            heading: Spanned::bare(id.heading().to_owned()),
            text: text.into(),
            text_start: None,
            text_is_verbatim: false,
        }
    }

    /// The document span of `range` within `text`, when the text is a verbatim slice.
    pub fn span_of(&self, range: std::ops::Range<usize>) -> Option<Span> {
        let start = self.text_start?;
        if !self.text_is_verbatim {
            return None;
        }
        let s = u32::try_from(range.start).ok()?;
        let e = u32::try_from(range.end).ok()?;
        Some(Span::new(start + s, start + e))
    }
}

/// How to reach the disclosure office, as printed in the preamble.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Contact {
    /// 地址.
    pub address: Option<Spanned<String>>,
    /// 电话 (and fax when printed together).
    pub phone: Option<Spanned<String>>,
    /// 邮编.
    pub postcode: Option<Spanned<String>>,
    /// 电子邮箱.
    pub email: Option<Spanned<String>>,
}

/// Who published the report, for which year, and where.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Metadata {
    /// The reporting agency (as printed; e.g. `大张楼镇人民政府`).
    pub agency: Option<Spanned<String>>,
    /// The report year (the statistics year, not the publication year).
    pub year: Option<Spanned<i32>>,
    /// The title as printed.
    pub title: Option<Spanned<String>>,
    /// Contact details from the preamble.
    pub contact: Contact,
    /// Where the report is published (a URL printed in the report or its page).
    pub url: Option<Spanned<String>>,
    /// Publication date as printed (`2022-02-08`, `2026年1月23日`).
    pub published: Option<Spanned<String>>,
}

/// A whole annual report.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Metadata.
    pub meta: Metadata,
    /// The preamble before section 一 (basis, parts, period, where published, contact).
    pub preamble: Option<String>,
    /// The sections found, in printed order.
    pub sections: Vec<Section>,
    /// Table 2, when found.
    pub t2: Option<Table>,
    /// Table 3, when found.
    pub t3: Option<Table>,
    /// Table 4, when found.
    pub t4: Option<Table>,
}

impl Report {
    /// The table `id`, when present.
    pub fn table(&self, id: TableId) -> Option<&Table> {
        match id {
            TableId::T2 => self.t2.as_ref(),
            TableId::T3 => self.t3.as_ref(),
            TableId::T4 => self.t4.as_ref(),
        }
    }

    /// Mutable access to table `id`.
    pub fn table_mut(&mut self, id: TableId) -> &mut Option<Table> {
        match id {
            TableId::T2 => &mut self.t2,
            TableId::T3 => &mut self.t3,
            TableId::T4 => &mut self.t4,
        }
    }

    /// The tables present, in order.
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        [self.t2.as_ref(), self.t3.as_ref(), self.t4.as_ref()].into_iter().flatten()
    }

    /// The cell named `key`, when its table is present in a layout that has it.
    pub fn cell(&self, key: CellKey) -> Option<&Cell> {
        self.table(key.table())?.cell(key)
    }

    /// The value of `key`.
    pub fn value(&self, key: CellKey) -> Option<&Value> {
        self.cell(key).map(|c| &c.value)
    }

    /// The number in `key`.
    pub fn number(&self, key: CellKey) -> Option<Decimal> {
        self.value(key).and_then(Value::number)
    }

    /// The number in `key` when arithmetic may use it (see [`Value::operand`]).
    pub fn operand(&self, key: CellKey) -> Option<Decimal> {
        self.value(key).and_then(Value::operand)
    }

    /// The section `id`, when found.
    pub fn section(&self, id: SectionId) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == id)
    }

    /// Shorthand for a Table 3 number.
    pub fn t3_number(&self, row: T3Row, col: T3Col) -> Option<Decimal> {
        self.number(CellKey::t3(row, col))
    }

    /// Shorthand for a Table 4 number.
    pub fn t4_number(&self, block: T4Block, col: T4Col) -> Option<Decimal> {
        self.number(CellKey::t4(block, col))
    }

    /// Shorthand for a Table 2 number.
    pub fn t2_number(&self, row: T2Row, col: T2Col) -> Option<Decimal> {
        self.number(CellKey::t2(row, col))
    }

    /// Every cell of every table present, in table order.
    pub fn cells(&self) -> impl Iterator<Item = &Cell> {
        self.tables().flat_map(|t| t.cells().iter())
    }
}
