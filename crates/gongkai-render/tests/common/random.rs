//! Random valid reports for property tests: every table in a random layout, Table 3 balanced
//! (row totals, outcome sums and 勾稽 balance hold), Table 4 summed, Table 2 with counts and the
//! fee as a decimal; on request also blank and not-applicable cells in Table 2.

use gongkai_model::catalogue::t3_outcome_rows;
use gongkai_model::{
    CellKey, Decimal, Layout, Report, RowId, Section, SectionId, Spanned, T3Col, T3Row, T4Block,
    T4Col, Table, TableId, Value, ValueKind,
};
use proptest::prelude::*;

fn layout() -> impl Strategy<Value = Layout> {
    prop_oneof![3 => Just(Layout::Format2021), 1 => Just(Layout::Trial2019)]
}

/// A small count, often zero (real tables are sparse).
fn count() -> impl Strategy<Value = i64> {
    prop_oneof![3 => Just(0i64), 2 => 0i64..20, 1 => 0i64..5000]
}

fn t2(layout: Layout, odd_cells: bool) -> impl Strategy<Value = Table> {
    let n = gongkai_model::TableLayout::get(TableId::T2, layout).cell_count();
    (proptest::collection::vec((count(), 0u8..20), n), (0i64..10_000_000, 0u32..3)).prop_map(
        move |(vals, (fee, scale))| {
            let mut i = 0;
            Table::filled(TableId::T2, layout, |k| {
                let (v, odd) = vals[i];
                i += 1;
                let spec =
                    gongkai_model::TableLayout::get(TableId::T2, layout).column(k).map(|c| c.kind);
                match (spec, odd) {
                    (_, 0) if odd_cells => Value::Blank,
                    (_, 1) if odd_cells => Value::NotApplicable("/".into()),
                    (Some(ValueKind::Amount), _) => Value::Number(Decimal::new(fee, scale)),
                    (Some(ValueKind::SignedCount), _) => Value::int(v - 10),
                    _ => Value::int(v),
                }
            })
        },
    )
}

fn t3(layout: Layout) -> impl Strategy<Value = Table> {
    let outcomes: Vec<T3Row> = t3_outcome_rows(layout).collect();
    let n = outcomes.len();
    (
        proptest::collection::vec(proptest::collection::vec(count(), 6), n),
        proptest::collection::vec((0i64..30, 0i64..30), 6),
    )
        .prop_map(move |(cells, carry)| {
            let mut t = Table::blank(TableId::T3, layout);
            for (ci, &col) in T3Col::APPLICANTS.iter().enumerate() {
                let mut processed = 0;
                for (ri, &row) in outcomes.iter().enumerate() {
                    processed += cells[ri][ci];
                    t.set(CellKey::t3(row, col), Value::int(cells[ri][ci]));
                }
                let (over, forward) = carry[ci];
                let over = over.min(processed + forward);
                t.set(CellKey::t3(T3Row::TotalProcessed, col), Value::int(processed));
                t.set(CellKey::t3(T3Row::CarriedOver, col), Value::int(over));
                t.set(CellKey::t3(T3Row::CarriedForward, col), Value::int(forward));
                t.set(CellKey::t3(T3Row::NewReceived, col), Value::int(processed + forward - over));
            }
            let rows: Vec<RowId> = t.shape().rows.iter().map(|r| r.id).collect();
            for row in rows {
                let RowId::T3(r) = row else { continue };
                let sum: Decimal =
                    T3Col::APPLICANTS.iter().filter_map(|&c| t.number(CellKey::t3(r, c))).sum();
                t.set(CellKey::t3(r, T3Col::Total), Value::Number(sum));
            }
            t
        })
}

fn t4() -> impl Strategy<Value = Table> {
    proptest::collection::vec(count(), 12).prop_map(|v| {
        let mut t = Table::blank(TableId::T4, Layout::Format2021);
        for (bi, b) in [T4Block::Review, T4Block::LitigationDirect, T4Block::LitigationAfterReview]
            .into_iter()
            .enumerate()
        {
            let mut sum = 0;
            for (ci, &c) in T4Col::PARTS.iter().enumerate() {
                let x = v[bi * 4 + ci];
                sum += x;
                t.set(CellKey::t4(b, c), Value::int(x));
            }
            t.set(CellKey::t4(b, T4Col::Total), Value::int(sum));
        }
        t
    })
}

const PHRASES: &[&str] = &[
    "坚持以人民为中心，持续深化政务公开。",
    "全年主动公开政府信息{n}条。",
    "（一）主动公开。",
    "1.加强政策解读。",
    "收到申请{n}件，均已按期答复。",
    "（1）完善制度。",
    "一、",
];

fn text() -> impl Strategy<Value = String> {
    proptest::collection::vec((0..PHRASES.len(), 0u32..1000), 1..4).prop_map(|parts| {
        parts
            .iter()
            .map(|(i, n)| PHRASES[*i].replace("{n}", &n.to_string()))
            .collect::<Vec<_>>()
            .join("\n")
    })
}

/// A random valid report; with `odd_cells`, Table 2 also has blank and not-applicable (`/`)
/// cells now and then.
pub fn report_with(odd_cells: bool) -> impl Strategy<Value = Report> {
    (layout(), layout(), 2019i32..2027, proptest::collection::vec(text(), 6), 0u8..4)
        .prop_flat_map(move |(l2, l3, year, texts, agency)| {
            (t2(l2, odd_cells), t3(l3), t4(), Just((year, texts, agency)))
        })
        .prop_map(|(t2, t3, t4, (year, texts, agency))| {
            let mut r = Report::default();
            r.meta.year = Some(Spanned::bare(year));
            r.meta.agency = Some(Spanned::bare(
                ["示例县人民政府", "某市生态环境局", "某镇人民政府", "某区教育局"][agency as usize]
                    .to_owned(),
            ));
            r.sections =
                SectionId::ALL.iter().zip(texts).map(|(id, t)| Section::new(*id, t)).collect();
            r.t2 = Some(t2);
            r.t3 = Some(t3);
            r.t4 = Some(t4);
            r
        })
}
