//! Every value the template documents imports: for each enumerated column of each sheet, a row
//! that is valid except for that column, with each documented value in turn, is imported.

use gongkai_calendar::{Calendar, date};
use gongkai_cases::{Env, Policy};
use gongkai_doc::Limits;
use gongkai_register::template::{Column, Sheet};
use gongkai_register::{csv_io, export, import};
use proptest::prelude::*;

/// A row of `sheet` valid on its own, as (column, value) pairs; `column`/`value` is the cell under
/// test, with the cells its value needs to be a valid history.
fn row(sheet: Sheet, column: &str, value: &str) -> Vec<(&'static str, String)> {
    let base: &[(&str, &str)] = match sheet {
        Sheet::Applications => &[
            ("登记编号", "A1"),
            ("申请人类型", "自然人"),
            ("提交方式", "平常信函"),
            ("到达日期", "2024-03-01"),
            ("确认日期", "2024-03-01"),
        ],
        Sheet::Proactive => &[
            ("编号", "P1"),
            ("标题", "通知"),
            ("类别", "20.1"),
            ("形成日期", "2024-03-01"),
            ("保密审查日期", "2024-03-02"),
            ("审查人", "张三"),
            ("发布日期", "2024-03-04"),
            ("发布渠道", "政府门户网站"),
        ],
        Sheet::Documents => {
            &[("编号", "D1"), ("类型", "规章"), ("标题", "办法"), ("印发日期", "2024-03-01")]
        }
        Sheet::Decisions => &[("类型", "行政许可"), ("日期", "2024-03-31"), ("数量", "3")],
        Sheet::Fees => &[("日期", "2024-03-01"), ("收费项目", "工本费"), ("金额（元）", "10")],
        Sheet::Disputes => &[
            ("编号", "F1"),
            ("类型", "行政复议"),
            ("受理日期", "2024-03-01"),
            ("审结日期", "2024-04-01"),
            ("结果", "维持"),
        ],
    };
    // What a value needs before it: the step of the procedure it answers or ends.
    let context: &[(&str, &str)] = match (column, value) {
        ("征求意见对象类型", _) => &[
            ("征求意见日期", "2024-03-04"),
            ("意见答复日期", "2024-03-06"),
            ("答复意见", "同意公开"),
        ],
        // Late enough for 逾期未答复 (the consulted party's 15 working days have run out).
        ("答复意见", _) => &[
            ("征求意见对象类型", "第三方"),
            ("征求意见日期", "2024-03-04"),
            ("意见答复日期", "2024-04-30"),
        ],
        ("收费方式", _) => {
            &[("收费通知日期", "2024-03-04"), ("收费金额（元）", "100"), ("缴费日期", "2024-03-06")]
        }
        ("办理结果", "逾期不补正") => &[
            ("补正告知日期", "2024-03-04"),
            ("补正期限", "2024-03-11"),
            ("办结日期", "2024-03-20"),
        ],
        ("办理结果", "补正后申请内容仍不明确") => &[
            ("补正告知日期", "2024-03-04"),
            ("补正期限", "2024-03-11"),
            ("补正收到日期", "2024-03-08"),
            ("办结日期", "2024-03-20"),
        ],
        ("办理结果", "逾期未缴费") => &[
            ("收费通知日期", "2024-03-04"),
            ("收费金额（元）", "100"),
            ("收费方式", "按量计收"),
            ("办结日期", "2024-06-28"),
        ],
        ("办理结果", "无正当理由大量反复申请") => {
            &[("要求说明理由日期", "2024-03-04"), ("办结日期", "2024-03-20")]
        }
        ("办理结果", _) => &[("办结日期", "2024-03-20")],
        _ => &[],
    };
    let mut cells: Vec<(&'static str, String)> = Vec::new();
    for (k, v) in base.iter().chain(context).chain(&[(column, value)]) {
        let name = sheet.columns().iter().find(|c| c.name == *k).map(|c| c.name);
        let name = name.unwrap_or_else(|| panic!("no column {k} in {}", sheet.name()));
        cells.retain(|(n, _)| *n != name);
        cells.push((name, (*v).to_owned()));
    }
    cells
}

fn imports(sheet: Sheet, column: &Column, value: &str) -> Result<(), String> {
    let cells = row(sheet, column.name, value);
    let line: Vec<String> = sheet
        .columns()
        .iter()
        .map(|c| {
            cells.iter().find(|(n, _)| *n == c.name).map(|(_, v)| v.clone()).unwrap_or_default()
        })
        .collect();
    let bytes = csv_io::write(&[export::header(sheet), line]).map_err(|e| e.to_string())?;
    let cal = Calendar::official();
    let policy = Policy::CONSERVATIVE;
    let env = Env { calendar: &cal, policy: &policy };
    import("x.csv", &bytes, date(2025, 1, 10), env, &Limits::default())
        .map(|_| ())
        .map_err(|e| e.to_string())
}

fn enumerated() -> Vec<(Sheet, &'static Column, String)> {
    let mut all = Vec::new();
    for sheet in Sheet::ALL {
        for col in sheet.columns() {
            for v in col.values().map(|v| v.documented()).unwrap_or_default() {
                all.push((sheet, col, v));
            }
        }
    }
    all
}

#[test]
fn every_documented_value_imports() {
    let all = enumerated();
    assert!(all.len() > 80, "the enumerated columns are found: {}", all.len());
    for (sheet, col, v) in &all {
        if let Err(e) = imports(*sheet, col, v) {
            panic!(
                "「{}」「{}」 documents `{v}` but import refuses it:\n{e}",
                sheet.name(),
                col.name
            );
        }
    }
}

#[test]
fn every_value_the_instructions_show_is_documented() {
    for sheet in Sheet::ALL {
        for col in sheet.columns() {
            let Some(values) = col.values() else { continue };
            let documented = values.documented();
            for v in values.shown() {
                assert!(documented.contains(&v), "{}: shown `{v}` not documented", col.name);
                assert!(col.instructions().contains(&v), "{}: `{v}` not in the note", col.name);
            }
        }
    }
}

proptest! {
    /// However a clerk spaces it or types it in full width, a documented value is accepted.
    #[test]
    fn documented_values_are_accepted_as_typed(
        pick in any::<prop::sample::Index>(),
        wide in any::<bool>(),
        pad in "[ \u{3000}]{0,2}",
    ) {
        let all = enumerated();
        let (_, col, v) = &all[pick.index(all.len())];
        let typed: String = v
            .chars()
            .map(|c| match c {
                '0'..='9' | '.' if wide => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
                c => c,
            })
            .collect();
        let typed = format!("{pad}{typed}{pad}");
        let values = col.values().expect("enumerated");
        prop_assert!(values.accepts(&typed).is_ok(), "{}: `{typed}` refused", col.name);
    }
}
