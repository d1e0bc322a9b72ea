//! Random consistent reports.

use gongkai_model::catalogue::t3_outcome_rows;
use gongkai_model::{
    CellKey, Decimal, Layout, Report, Section, SectionId, Spanned, T3Col, T3Row, T4Block, T4Col,
    Table, TableId, TableLayout, Value, ValueKind,
};
use proptest::prelude::*;

/// Parameters drawn for one report.
#[derive(Clone, Debug)]
pub struct Seeds {
    t2_layout: Layout,
    t3_layout: Layout,
    year: i32,
    agency: usize,
    /// Raw numbers consumed in order by the builders.
    numbers: Vec<u32>,
}

const AGENCIES: &[&str] =
    &["大张楼镇", "某某县人民政府", "某某市生态环境局", "某某区人民政府办公室", "某某街道办事处"];

/// A small count: mostly 0, sometimes larger (real tables are mostly zeros).
fn count(raw: u32) -> i64 {
    match raw % 10 {
        0..=4 => 0,
        5..=6 => i64::from(raw % 4),
        7..=8 => i64::from(raw % 40),
        _ => i64::from(raw % 900),
    }
}

/// A consistent report built from `seeds` (deterministic).
pub fn consistent_report(seeds: &Seeds) -> Report {
    let mut it = seeds.numbers.iter().copied().cycle();
    let mut next = move || it.next().unwrap_or(0);
    let mut r = Report::default();
    let agency = AGENCIES[seeds.agency % AGENCIES.len()];
    r.meta.agency = Some(Spanned::bare(agency.to_owned()));
    r.meta.year = Some(Spanned::bare(seeds.year));
    r.meta.title = Some(Spanned::bare(format!("{agency}{}年政府信息公开工作年度报告", seeds.year)));

    // Table 2: independent values.
    let shape2 = TableLayout::get(TableId::T2, seeds.t2_layout);
    r.t2 = Some(Table::filled(TableId::T2, seeds.t2_layout, |k| {
        let raw = next();
        match raw % 23 {
            0 => return Value::Blank,
            1 => return Value::NotApplicable("/".to_owned()),
            _ => {}
        }
        match shape2.column(k).map(|c| c.kind) {
            Some(ValueKind::Amount) => {
                Value::Number(Decimal::new(i64::from(raw % 5_000_000), raw % 5))
            }
            Some(ValueKind::SignedCount) => Value::int(count(raw) - i64::from(raw % 3)),
            _ => Value::int(count(raw)),
        }
    }));

    // Table 3: outcomes per applicant column, then the totals that make every rule hold.
    let mut t3 = Table::filled(TableId::T3, seeds.t3_layout, |_| Value::int(0));
    let outcomes: Vec<T3Row> = t3_outcome_rows(seeds.t3_layout).collect();
    for &c in T3Col::APPLICANTS {
        let mut processed = 0i64;
        for &row in &outcomes {
            let v = count(next());
            processed += v;
            t3.set(CellKey::t3(row, c), Value::int(v));
        }
        let forward = count(next()) % 20;
        let over = if processed + forward == 0 {
            0
        } else {
            i64::from(next()) % (processed + forward + 1)
        };
        let new = processed + forward - over;
        for (row, v) in [
            (T3Row::TotalProcessed, processed),
            (T3Row::CarriedForward, forward),
            (T3Row::CarriedOver, over),
            (T3Row::NewReceived, new),
        ] {
            t3.set(CellKey::t3(row, c), Value::int(v));
        }
    }
    for spec in t3.shape().rows {
        let gongkai_model::RowId::T3(row) = spec.id else { continue };
        let total: i64 = T3Col::APPLICANTS.iter().map(|&c| int(&t3, CellKey::t3(row, c))).sum();
        t3.set(CellKey::t3(row, T3Col::Total), Value::int(total));
    }
    r.t3 = Some(t3);

    // Table 4.
    let mut t4 = Table::filled(TableId::T4, Layout::Format2021, |_| Value::int(0));
    for &b in T4Block::ALL {
        let mut total = 0;
        for &c in T4Col::PARTS {
            let v = count(next()) % 30;
            total += v;
            t4.set(CellKey::t4(b, c), Value::int(v));
        }
        t4.set(CellKey::t4(b, T4Col::Total), Value::int(total));
    }
    r.t4 = Some(t4);

    let n = |row, col| r.number(CellKey::t3(row, col)).unwrap_or_default();
    let (new, tp, fwd) = (
        n(T3Row::NewReceived, T3Col::Total),
        n(T3Row::TotalProcessed, T3Col::Total),
        n(T3Row::CarriedForward, T3Col::Total),
    );
    let review = r.number(CellKey::t4(T4Block::Review, T4Col::Total)).unwrap_or_default();
    let overview = if new.is_zero() {
        format!(
            "{}年，本机关认真贯彻《条例》，主动公开政府信息。本年度未收到政府信息公开申请。",
            seeds.year
        )
    } else {
        format!(
            "{}年，本机关认真贯彻《条例》，主动公开政府信息。全年共收到政府信息公开申请{new}件，办结{tp}件，{fwd}件结转下年度继续办理。本年度发生行政复议{review}件。",
            seeds.year
        )
    };
    r.sections = vec![
        Section::new(SectionId::Overview, overview),
        Section::new(SectionId::Proactive, ""),
        Section::new(SectionId::Applications, ""),
        Section::new(SectionId::ReviewLitigation, ""),
        Section::new(
            SectionId::Problems,
            "（一）存在问题：政策解读形式较为单一。\n（二）改进措施：丰富解读形式，提升公开质效。",
        ),
        Section::new(SectionId::Other, "本年度未收取信息处理费。"),
    ];
    r
}

fn int(t: &Table, k: CellKey) -> i64 {
    t.number(k).and_then(|d| i64::try_from(d).ok()).unwrap_or(0)
}

/// Random consistent reports.
pub fn arb_report() -> impl Strategy<Value = Report> {
    (
        prop_oneof![Just(Layout::Format2021), Just(Layout::Trial2019)],
        prop_oneof![3 => Just(Layout::Format2021), 1 => Just(Layout::Trial2019)],
        2019i32..2026,
        0usize..AGENCIES.len(),
        proptest::collection::vec(any::<u32>(), 64..256),
    )
        .prop_map(|(t2_layout, t3_layout, year, agency, numbers)| {
            consistent_report(&Seeds { t2_layout, t3_layout, year, agency, numbers })
        })
}
