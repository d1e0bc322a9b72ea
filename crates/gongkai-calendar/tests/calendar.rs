//! Calendar tests: the data against an independent source, every holiday boundary, year ends,
//! out-of-range errors, overrides, and properties of working-day arithmetic.

use gongkai_calendar::{Calendar, CalendarBuilder, CalendarError, Date, DayKind, date};
use proptest::prelude::*;

/// The independent source: `chinese_holiday` (data 2004-01-01…2026-12-25). It panics outside
/// that range, so every call is guarded and a panic is reported as `None`.
fn reference_is_working(d: Date) -> Option<bool> {
    let (y, m, day) =
        (u16::try_from(d.year()).ok()?, u8::try_from(d.month()).ok()?, u8::try_from(d.day()).ok()?);
    std::panic::catch_unwind(|| {
        chinese_holiday::chinese_holiday(chinese_holiday::Ymd::new(y, m, day)).is_workday()
    })
    .ok()
}

fn days(from: Date, to: Date) -> impl Iterator<Item = Date> {
    let mut d = Some(from);
    std::iter::from_fn(move || {
        let cur = d?;
        if cur > to {
            return None;
        }
        d = cur.tomorrow().ok();
        Some(cur)
    })
}

#[test]
fn every_day_2019_to_2026_agrees_with_chinese_holiday() {
    let cal = Calendar::official();
    let mut checked = 0;
    let mut disagreements = Vec::new();
    for d in days(date(2019, 1, 1), date(2026, 12, 31)) {
        let ours = cal.is_working_day(d).expect("covered");
        match reference_is_working(d) {
            Some(theirs) => {
                checked += 1;
                if ours != theirs {
                    disagreements.push(format!("{d}: ours {ours}, chinese_holiday {theirs}"));
                }
            }
            // chinese_holiday stops at 2026-12-25; only the last days of 2026 may lack a reference.
            None => assert!(d > date(2026, 12, 25), "reference panicked on {d}"),
        }
    }
    assert!(disagreements.is_empty(), "{disagreements:#?}");
    assert_eq!(checked, 2922 - 6, "days 2019-01-01..=2026-12-25");
    // And the reference guard really does catch the panic past its range.
    assert_eq!(reference_is_working(date(2026, 12, 28)), None);
}

/// Every transition between a working and a non-working day in 2019–2026, around each holiday,
/// as `(date, working)` pairs either side of the boundary: the first and last days off and the
/// make-up working days.
#[test]
fn holiday_boundaries() {
    let cal = Calendar::official();
    // (last working day before, first day off, last day off, first working day after)
    let periods: &[(&str, Date, Date, Date, Date)] = &[
        ("2019 春节", date(2019, 2, 3), date(2019, 2, 4), date(2019, 2, 10), date(2019, 2, 11)),
        ("2019 劳动节", date(2019, 4, 30), date(2019, 5, 1), date(2019, 5, 4), date(2019, 5, 5)),
        ("2019 国庆节", date(2019, 9, 30), date(2019, 10, 1), date(2019, 10, 7), date(2019, 10, 8)),
        (
            "2020 春节（延长）",
            date(2020, 1, 23),
            date(2020, 1, 24),
            date(2020, 2, 2),
            date(2020, 2, 3),
        ),
        ("2020 劳动节", date(2020, 4, 30), date(2020, 5, 1), date(2020, 5, 5), date(2020, 5, 6)),
        ("2020 端午节", date(2020, 6, 24), date(2020, 6, 25), date(2020, 6, 27), date(2020, 6, 28)),
        ("2020 国庆节", date(2020, 9, 30), date(2020, 10, 1), date(2020, 10, 8), date(2020, 10, 9)),
        ("2021 春节", date(2021, 2, 10), date(2021, 2, 11), date(2021, 2, 17), date(2021, 2, 18)),
        ("2021 中秋节", date(2021, 9, 18), date(2021, 9, 19), date(2021, 9, 21), date(2021, 9, 22)),
        ("2021 国庆节", date(2021, 9, 30), date(2021, 10, 1), date(2021, 10, 7), date(2021, 10, 8)),
        ("2022 春节", date(2022, 1, 30), date(2022, 1, 31), date(2022, 2, 6), date(2022, 2, 7)),
        ("2022 清明节", date(2022, 4, 2), date(2022, 4, 3), date(2022, 4, 5), date(2022, 4, 6)),
        ("2022 劳动节", date(2022, 4, 29), date(2022, 4, 30), date(2022, 5, 4), date(2022, 5, 5)),
        ("2022 国庆节", date(2022, 9, 30), date(2022, 10, 1), date(2022, 10, 7), date(2022, 10, 8)),
        ("2023 春节", date(2023, 1, 20), date(2023, 1, 21), date(2023, 1, 27), date(2023, 1, 28)),
        ("2023 端午节", date(2023, 6, 21), date(2023, 6, 22), date(2023, 6, 24), date(2023, 6, 25)),
        (
            "2023 中秋国庆",
            date(2023, 9, 28),
            date(2023, 9, 29),
            date(2023, 10, 6),
            date(2023, 10, 7),
        ),
        ("2024 春节", date(2024, 2, 9), date(2024, 2, 10), date(2024, 2, 17), date(2024, 2, 18)),
        ("2024 清明节", date(2024, 4, 3), date(2024, 4, 4), date(2024, 4, 6), date(2024, 4, 7)),
        ("2024 劳动节", date(2024, 4, 30), date(2024, 5, 1), date(2024, 5, 5), date(2024, 5, 6)),
        ("2024 中秋节", date(2024, 9, 14), date(2024, 9, 15), date(2024, 9, 17), date(2024, 9, 18)),
        ("2024 国庆节", date(2024, 9, 30), date(2024, 10, 1), date(2024, 10, 7), date(2024, 10, 8)),
        ("2025 春节", date(2025, 1, 27), date(2025, 1, 28), date(2025, 2, 4), date(2025, 2, 5)),
        ("2025 劳动节", date(2025, 4, 30), date(2025, 5, 1), date(2025, 5, 5), date(2025, 5, 6)),
        (
            "2025 国庆中秋",
            date(2025, 9, 30),
            date(2025, 10, 1),
            date(2025, 10, 8),
            date(2025, 10, 9),
        ),
        ("2026 元旦", date(2025, 12, 31), date(2026, 1, 1), date(2026, 1, 3), date(2026, 1, 4)),
        ("2026 春节", date(2026, 2, 14), date(2026, 2, 15), date(2026, 2, 23), date(2026, 2, 24)),
        ("2026 劳动节", date(2026, 4, 30), date(2026, 5, 1), date(2026, 5, 5), date(2026, 5, 6)),
        ("2026 国庆节", date(2026, 9, 30), date(2026, 10, 1), date(2026, 10, 7), date(2026, 10, 8)),
    ];
    for &(name, before, first_off, last_off, after) in periods {
        assert!(
            cal.is_working_day(before).expect("covered"),
            "{name}: {before} should be a working day"
        );
        assert!(
            cal.is_working_day(after).expect("covered"),
            "{name}: {after} should be a working day"
        );
        for d in days(first_off, last_off) {
            assert!(!cal.is_working_day(d).expect("covered"), "{name}: {d} should be off");
        }
        assert_eq!(cal.add_working_days(before, 1).expect("covered"), after, "{name}");
    }
}

#[test]
fn make_up_working_days_are_weekends_that_count() {
    let cal = Calendar::official();
    for d in days(date(2019, 1, 1), date(2026, 12, 31)) {
        let day = cal.day(d).expect("covered");
        if let DayKind::MakeupWorkday(name) = &day.kind {
            assert!(
                matches!(
                    d.weekday(),
                    jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday
                ),
                "{d} {name}"
            );
            assert!(day.source.and_then(|s| s.notice).is_some(), "{d} cites no notice");
        }
    }
}

#[test]
fn the_example_from_the_brief() {
    let cal = Calendar::official();
    let e = cal.explain_add(date(2024, 9, 27), 20).expect("covered");
    assert_eq!(e.end, date(2024, 10, 30));
    let makeup: Vec<Date> = e.makeup_days().map(|d| d.date).collect();
    assert_eq!(makeup, [date(2024, 9, 29), date(2024, 10, 12)]);
    let holidays: Vec<Date> =
        e.skipped().filter(|d| matches!(d.kind, DayKind::Holiday(_))).map(|d| d.date).collect();
    assert_eq!(holidays, days(date(2024, 10, 1), date(2024, 10, 7)).collect::<Vec<_>>());
    insta::assert_snapshot!(e.to_string());
}

/// Counts `n` working days after `start` day by day with the independent reference.
fn reference_add(start: Date, n: u32) -> Option<Date> {
    let mut d = start;
    let mut left = n;
    while left > 0 {
        d = d.tomorrow().ok()?;
        if reference_is_working(d)? {
            left -= 1;
        }
    }
    Some(d)
}

/// Deadlines that cross a year end (7 and 20 working days from each of the last ten days of
/// each year), against the reference counted day by day; plus hand-checked examples.
#[test]
fn year_ends() {
    let cal = Calendar::official();
    for y in 2019..=2025 {
        for day in 22..=31 {
            let start = date(y, 12, day);
            for n in [7, 15, 20, 40] {
                let want = reference_add(start, n).expect("reference covers it");
                assert_eq!(cal.add_working_days(start, n), Ok(want), "{start} + {n}");
                assert_eq!(cal.working_days_between(start, want), Ok(n), "{start}..{want}");
            }
        }
    }
    // Hand-checked: 2022-12-31…2023-01-02 off (元旦), 春节 from 2023-01-21, and the 20th working
    // day is the make-up Saturday 2023-01-28.
    assert_eq!(cal.add_working_days(date(2022, 12, 23), 20), Ok(date(2023, 1, 28)));
    // 2026-01-01…03 off, 2026-01-04 (Sunday) a make-up working day.
    assert_eq!(cal.add_working_days(date(2025, 12, 31), 1), Ok(date(2026, 1, 4)));
}

#[test]
fn beyond_the_data_is_an_error_never_a_guess() {
    let cal = Calendar::official();
    assert_eq!(cal.years(), (2019, 2026));
    assert!(matches!(cal.is_working_day(date(2027, 1, 4)), Err(CalendarError::OutOfRange { .. })));
    assert!(matches!(
        cal.is_working_day(date(2018, 12, 28)),
        Err(CalendarError::OutOfRange { .. })
    ));
    // A deadline counted from mid-December 2026 runs into 2027, for which no notice is loaded.
    let e = cal.add_working_days(date(2026, 12, 15), 20).expect_err("runs past 2026");
    insta::assert_snapshot!(e.to_string());
    // Still fine when the result stays inside 2026.
    assert_eq!(cal.add_working_days(date(2026, 12, 15), 5), Ok(date(2026, 12, 22)));
}

#[test]
fn next_years_notice_loads_at_run_time_and_years_must_be_contiguous() {
    let y2027 = r#"
year = 2027
[[notice]]
number = "测试"
title = "测试用2027年安排"
issued = "2026-11-01"
url = "https://example.invalid/2027"
[[holiday]]
name = "元旦"
from = "2027-01-01"
notice = "测试"
"#;
    let cal = CalendarBuilder::official()
        .add_toml("2027.toml", y2027)
        .and_then(|b| b.build())
        .expect("valid");
    assert_eq!(cal.years(), (2019, 2027));
    assert_eq!(cal.add_working_days(date(2026, 12, 31), 1), Ok(date(2027, 1, 4)));
    let y2028 = y2027.replace("2027", "2028");
    let gap = CalendarBuilder::official().add_toml("2028.toml", &y2028).and_then(|b| b.build());
    assert!(matches!(gap, Err(CalendarError::Gap { missing: 2027, .. })), "{gap:?}");
}

#[test]
fn a_later_year_table_replaces_the_earlier_one_and_local_days_apply_on_top() {
    // A corrected 2024 table without 国庆节 make-up days.
    let corrected = r#"
year = 2024
[[notice]]
number = "X"
title = "X"
issued = "2023-10-25"
url = "https://example.invalid"
[[holiday]]
name = "国庆节"
from = "2024-10-01"
to = "2024-10-07"
notice = "X"
"#;
    let local = "[[workday]]\nname = \"本地\"\ndates = [\"2024-10-13\"]\n";
    let cal = CalendarBuilder::official()
        .add_toml("fix.toml", corrected)
        .and_then(|b| b.add_toml("local.toml", local))
        .and_then(|b| b.build())
        .expect("valid");
    assert_eq!(cal.is_working_day(date(2024, 9, 29)), Ok(false));
    assert_eq!(cal.is_working_day(date(2024, 2, 12)), Ok(true)); // a Monday of 春节, gone with the replaced table
    assert_eq!(cal.is_working_day(date(2024, 10, 13)), Ok(true));
    assert_eq!(
        cal.day(date(2024, 10, 13)).expect("covered").source.map(|s| s.file),
        Some("local.toml".to_owned())
    );
}

fn covered_date() -> impl Strategy<Value = Date> {
    (0i32..2900)
        .prop_map(|k| date(2019, 1, 1).checked_add(jiff::Span::new().days(k)).expect("in range"))
}

proptest! {
    #[test]
    fn adding_n_then_m_is_adding_n_plus_m(start in covered_date(), n in 0u32..60, m in 0u32..60) {
        let cal = Calendar::official();
        let two = cal.add_working_days(start, n).and_then(|d| cal.add_working_days(d, m));
        let one = cal.add_working_days(start, n + m);
        prop_assert_eq!(two, one);
    }

    #[test]
    fn a_result_is_never_a_day_off(start in covered_date(), n in 1u32..80) {
        let cal = Calendar::official();
        if let Ok(end) = cal.add_working_days(start, n) {
            prop_assert!(cal.is_working_day(end)?);
            prop_assert!(end > start);
            prop_assert_eq!(cal.working_days_between(start, end)?, n);
            // The explanation counts exactly n working days and ends on the result.
            let e = cal.explain_add(start, n)?;
            prop_assert_eq!(e.steps.iter().filter(|s| s.counted.is_some()).count(), n as usize);
            prop_assert_eq!(e.steps.last().map(|s| s.day.date), Some(end));
        }
    }

    #[test]
    fn agrees_with_a_day_by_day_count(start in covered_date(), n in 0u32..40) {
        let cal = Calendar::official();
        if let Ok(end) = cal.add_working_days(start, n) {
            let mut d = start;
            let mut left = n;
            while left > 0 {
                d = d.tomorrow().expect("in range");
                if cal.is_working_day(d)? { left -= 1; }
            }
            prop_assert_eq!(d, end);
        }
    }
}
