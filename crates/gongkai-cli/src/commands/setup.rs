//! What the casework commands share: the calendar (built in, plus files given with `--calendar`
//! or `GONGKAI_CALENDAR`) and "today" (the system clock, unless `--today` is given).

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use gongkai_calendar::{Calendar, CalendarBuilder, Date};

use crate::ctx::Ctx;

/// Loads the official calendar plus every `.toml` file in `paths` (files, or directories read in
/// name order) and in `GONGKAI_CALENDAR`.
pub(crate) fn calendar(paths: &[PathBuf], ctx: &Ctx) -> anyhow::Result<Calendar> {
    let mut all: Vec<PathBuf> =
        std::env::var_os("GONGKAI_CALENDAR").map(PathBuf::from).into_iter().collect();
    all.extend(paths.iter().cloned());
    let mut builder = CalendarBuilder::official();
    for p in all {
        for file in toml_files(&p, ctx)? {
            let text = std::fs::read_to_string(&file).with_context(|| {
                let what = ctx.t("无法读取节假日数据文件", "cannot read the calendar file");
                format!("{what} {}", file.display())
            })?;
            builder = builder.add_toml(&file.display().to_string(), &text)?;
        }
    }
    Ok(builder.build()?)
}

fn toml_files(p: &Path, ctx: &Ctx) -> anyhow::Result<Vec<PathBuf>> {
    if p.is_dir() {
        let mut v: Vec<PathBuf> = std::fs::read_dir(p)
            .with_context(|| {
                format!("{} {}", ctx.t("无法读取目录", "cannot read the directory"), p.display())
            })?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|f| f.extension().is_some_and(|x| x == "toml"))
            .collect();
        v.sort();
        Ok(v)
    } else {
        Ok(vec![p.to_path_buf()])
    }
}

/// Today: `--today` when given (read like any date), else the system clock's local date (the only
/// clock read).
pub(crate) fn today(given: Option<&str>, ctx: &Ctx) -> anyhow::Result<Date> {
    match given {
        Some(s) => date(s, ctx),
        None => Ok(jiff::Zoned::now().date()),
    }
}

/// A date given on the command line, read by the register's one date parser (every spelling a
/// register accepts: `2024-09-27`, `2024/9/27`, `2024年9月27日`, full-width digits), its error in
/// our words and the chosen language.
pub(crate) fn date(s: &str, ctx: &Ctx) -> anyhow::Result<Date> {
    gongkai_register::parse::date_text(s).map_err(|why| anyhow::anyhow!("{}", why.get(ctx.lang)))
}

/// From November on, next year's holiday notice is due: warn when it is not loaded, since
/// 20-working-day deadlines soon run into the new year.
pub(crate) fn warn_if_next_year_missing(cal: &Calendar, today: Date, ctx: &Ctx) {
    if let Some(note) = cal.next_year_missing(today) {
        eprintln!("{}{}", ctx.t("提示：", "note: "), note.get(ctx.lang));
    }
}
