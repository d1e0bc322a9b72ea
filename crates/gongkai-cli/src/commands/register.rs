//! `gongkai register`: the agency's register (登记台账).
//!
//! Persistence: `import` validates a spreadsheet and writes the normalized register file
//! (`gongkai-register.json` in the current directory, or `--store PATH`); `tables` and
//! `deadlines` read that file. Re-importing replaces the sheets the new file contains and says how
//! many records it replaced; `--append` adds to them instead. The file is written 0600.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use gongkai_calendar::{Date, weekday_name};
use gongkai_cases::{DeadlinesError, Env, Policy, Register};
use gongkai_model::json::{Location, ReportJson};
use gongkai_model::{Lang, Localized as _, SectionId, TableId, TableLayout, catalogue};
use gongkai_register::draft::{self, DraftError};
use gongkai_register::template::Sheet;

use crate::commands::setup;
use crate::ctx::Ctx;

/// 登记台账 / the register.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    #[command(subcommand)]
    command: Sub,
    /// 台账文件（默认当前目录下 gongkai-register.json）/ the register file.
    #[arg(long, global = true, value_name = "FILE", default_value = "gongkai-register.json")]
    store: PathBuf,
    /// 额外的节假日数据文件或目录 / extra calendar TOML file or directory.
    #[arg(long, global = true, value_name = "PATH")]
    calendar: Vec<PathBuf>,
    /// 今天的日期（默认取系统日期）/ today (default: the system date).
    #[arg(long, global = true, value_name = "DATE")]
    today: Option<String>,
    /// 缴费期间暂停答复期限（法律未明确，默认不暂停）/ the fee period stops the reply clock.
    #[arg(long, global = true)]
    fee_pauses_reply_clock: bool,
}

#[derive(clap::Subcommand, Debug)]
enum Sub {
    /// 生成台账模板 / write the register template.
    Template {
        /// 输出目录 / output directory.
        #[arg(long, default_value = ".")]
        out: PathBuf,
        /// 生成 CSV（每个工作表一个文件）而非 xlsx / write CSV files instead of xlsx.
        #[arg(long)]
        csv: bool,
    },
    /// 导入 xlsx 或 csv 台账 / import an xlsx or csv register.
    Import {
        /// 台账文件 / the spreadsheet.
        file: PathBuf,
        /// 机关名称（首次导入时必填）/ the agency (needed on the first import).
        #[arg(long)]
        agency: Option<String>,
        /// 追加到已导入的同类台账，而不是替换 / add to the records already imported instead of
        /// replacing them.
        #[arg(long)]
        append: bool,
        /// 把完整的错误清单写入文件（屏幕上每类错误只列前几行）/ write every error to a file (the
        /// screen lists the first rows of each kind).
        #[arg(long, value_name = "FILE")]
        errors: Option<PathBuf>,
    },
    /// 输出年度统计表 / the year's tables.
    Tables {
        /// 年度 / year.
        #[arg(long)]
        year: i16,
        /// 同时写出 gongkai JSON（供 gongkai render 使用）/ also write gongkai JSON.
        #[arg(long, value_name = "FILE")]
        json: Option<PathBuf>,
        /// 机关名称（覆盖台账中的名称）/ the agency (overrides the register's).
        #[arg(long)]
        agency: Option<String>,
        /// 从文件读取某一部分的正文，如 五=问题.txt（可多次；txt、docx 等）/ a section's text
        /// from a file, e.g. 五=problems.txt or 5=problems.docx (repeatable).
        #[arg(long, value_name = "N=FILE")]
        section: Vec<String>,
    },
    /// 未办结申请的期限（超期的在前）及本年逾期答复 / open applications by deadline, overdue
    /// first, and this year's late replies.
    Deadlines,
}

/// The agency name a register gets when none is given.
const NO_AGENCY: &str = "本机关";

pub(crate) fn run(args: Args, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let policy =
        Policy { fee_pauses_reply_clock: args.fee_pauses_reply_clock, ..Policy::CONSERVATIVE };
    let today = setup::today(args.today.as_deref(), ctx)?;
    match args.command {
        Sub::Template { out, csv } => template(&out, csv, ctx),
        Sub::Import { file, agency, append, errors } => {
            let cal = setup::calendar(&args.calendar, ctx)?;
            let env = Env { calendar: &cal, policy: &policy };
            import(
                &args.store,
                &file,
                agency,
                Import { append, errors: errors.as_deref() },
                today,
                env,
                ctx,
            )
        }
        Sub::Tables { year, json, agency, section } => {
            let cal = setup::calendar(&args.calendar, ctx)?;
            let env = Env { calendar: &cal, policy: &policy };
            let sections = section_files(&section, ctx)?;
            tables(&args.store, year, json, agency, &sections, today, env, ctx)
        }
        Sub::Deadlines => {
            let cal = setup::calendar(&args.calendar, ctx)?;
            let env = Env { calendar: &cal, policy: &policy };
            deadlines(&args.store, today, env, ctx)
        }
    }
}

/// How `register import` adds what it read.
struct Import<'a> {
    /// Add to the records already imported instead of replacing them.
    append: bool,
    /// Where to write every error (the screen lists the first rows of each kind).
    errors: Option<&'a Path>,
}

fn import(
    store: &Path,
    file: &Path,
    agency: Option<String>,
    how: Import<'_>,
    today: Date,
    env: Env<'_>,
    ctx: &Ctx,
) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(file)
        .with_context(|| format!("{} {}", ctx.t("无法读取", "cannot read"), file.display()))?;
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let limits = gongkai_doc::Limits::default();
    let imported = match gongkai_register::import(&name, &bytes, today, env, &limits) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("{}", gongkai_model::Localized::message(&e, ctx.lang));
            write_all_errors(&e, how.errors, ctx)?;
            return Ok(ExitCode::from(1));
        }
    };
    let append = how.append;
    let mut reg = if store.exists() {
        load(store, ctx)?
    } else {
        Register::new(agency.clone().unwrap_or_else(|| NO_AGENCY.into()))
    };
    if let Some(a) = agency {
        reg.agency = a;
    }
    warn_if_no_agency(&reg.agency, ctx);
    let changes = if append { imported.append_to(&mut reg) } else { imported.merge_into(&mut reg) };
    // Appended records must fit with those already there (register numbers stay unique).
    if let Err(errors) = reg.replay(today, env) {
        eprintln!("{}", record_errors(&errors, ctx));
        eprintln!("{}", ctx.t("未导入任何数据。", "nothing imported."));
        return Ok(ExitCode::from(1));
    }
    save(store, &reg, ctx)?;
    outln!("{} {}", ctx.t("已导入并保存到", "imported into"), store.display());
    let mut replaced_any = false;
    for c in changes {
        let replaced = if append { 0 } else { c.replaced() };
        replaced_any |= replaced > 0;
        match ctx.lang {
            Lang::Zh if replaced > 0 => outln!(
                "  {}：读入 {} 条，替换了原有的 {replaced} 条，现有 {} 条",
                c.sheet.name(),
                c.read,
                c.after
            ),
            Lang::Zh => outln!("  {}：读入 {} 条，现有 {} 条", c.sheet.name(), c.read, c.after),
            Lang::En if replaced > 0 => outln!(
                "  {}: {} read, replacing the {replaced} imported before; {} now",
                c.sheet.en(),
                c.read,
                c.after
            ),
            Lang::En => outln!("  {}: {} read, {} now", c.sheet.en(), c.read, c.after),
        }
    }
    if replaced_any {
        outln!(
            "{}",
            ctx.t(
                "提示：再次导入以文件中的工作表替换已导入的同类台账；如需追加，请加 --append。",
                "note: a new import replaces the records of the sheets it contains; add --append to add to them instead."
            )
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Warns when the register names no agency: the report would be titled 本机关….
fn warn_if_no_agency(agency: &str, ctx: &Ctx) {
    if agency.trim().is_empty() || agency == NO_AGENCY {
        eprintln!(
            "{}",
            ctx.t(
                "提示：台账未记录机关名称，年度报告将以「本机关」为题；请用 --agency 机关名称 给出。",
                "note: the register names no agency, so the report would be titled after \"this agency\"; give the name with --agency NAME."
            )
        );
    }
}

#[allow(clippy::too_many_arguments, reason = "one call site, every argument a command option")]
fn tables(
    store: &Path,
    year: i16,
    json: Option<PathBuf>,
    agency: Option<String>,
    sections: &[(SectionId, String)],
    today: Date,
    env: Env<'_>,
    ctx: &Ctx,
) -> anyhow::Result<ExitCode> {
    if !draft::YEARS.contains(&year) {
        anyhow::bail!("{}", DraftError::Year(year).message(ctx.lang));
    }
    let mut reg = load(store, ctx)?;
    if let Some(a) = agency {
        reg.agency = a;
    }
    warn_if_no_agency(&reg.agency, ctx);
    let a = match draft::report(&reg, year, None, sections, today, env) {
        Ok(a) => a,
        Err(DraftError::NoRecords(year)) => {
            eprintln!(
                "gongkai: {}",
                match ctx.lang {
                    Lang::Zh => format!(
                        "台账 {} 中没有 {year} 年的记录（没有当年收到、办结或结转的申请，也没有当年的其他台账记录），不生成全为零的统计表",
                        store.display()
                    ),
                    Lang::En => format!(
                        "the register {} has no records for {year} (no application received, closed or carried over, nor any other record in that year); no tables of zeros are printed",
                        store.display()
                    ),
                }
            );
            return Ok(ExitCode::from(1));
        }
        Err(e) => anyhow::bail!("{}", e.message(ctx.lang)),
    };
    out!("{}", render_tables(&a.report, ctx.lang));
    match ctx.lang {
        Lang::Zh => outln!(
            "\n{}",
            a.report.section(SectionId::Overview).map(|s| s.text.as_str()).unwrap_or_default()
        ),
        Lang::En => outln!("\n{}", figures_en(&a.figures)),
    }
    if let Some(path) = json {
        let j = ReportJson::from_report(&a.report, &|_| Location::default());
        std::fs::write(&path, serde_json::to_string_pretty(&j)?)
            .with_context(|| format!("{} {}", ctx.t("无法写入", "cannot write"), path.display()))?;
        outln!("{} {}", ctx.t("已写出", "wrote"), path.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads `--section N=FILE` options: the section (一…六, 1…6 or its key) and the file's text,
/// read like any report file (text in any encoding gongkai reads, DOCX, …).
fn section_files(specs: &[String], ctx: &Ctx) -> anyhow::Result<Vec<(SectionId, String)>> {
    let mut out = Vec::new();
    for spec in specs {
        let bad = || {
            anyhow::anyhow!(
                "{}",
                match ctx.lang {
                    Lang::Zh => format!(
                        "--section {spec}：应为 部分=文件，如 五=问题.txt（部分为 一 至 六 或 1 至 6）"
                    ),
                    Lang::En => format!(
                        "--section {spec}: expected SECTION=FILE, e.g. 5=problems.txt (SECTION is 1 to 6)"
                    ),
                }
            )
        };
        let (key, file) = spec.split_once('=').ok_or_else(bad)?;
        let key = key.trim();
        let id = SectionId::ALL
            .into_iter()
            .find(|s| s.numeral() == key || s.number().to_string() == key || s.key() == key)
            .ok_or_else(bad)?;
        let path = Path::new(file);
        let doc = gongkai_extract::read_path(path, &gongkai_doc::Limits::default())
            .with_context(|| format!("{} {}", ctx.t("无法读取", "cannot read"), path.display()))?;
        let text: Vec<&str> = doc.text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        out.push((id, text.join("\n")));
    }
    Ok(out)
}

/// The figures of section 一 in English.
fn figures_en(f: &gongkai_cases::Figures) -> String {
    let channels: Vec<String> = f
        .by_channel
        .iter()
        .map(|c| {
            let name = gongkai_register::vocab::PUBLISH_CHANNELS
                .parse(&gongkai_register::parse::Cell::Text(c.channel.clone()))
                .map_or_else(|_| c.channel.clone(), |ch| ch.en().to_owned());
            format!("{} on {name}", c.items)
        })
        .collect();
    format!(
        "Proactive disclosure: {} items published in {} ({}).\nApplications: {} received, {} carried over, {} closed, of which {} replied ({} on time); {} carried forward.",
        f.items_published,
        f.year,
        channels.join(", "),
        f.applications_received,
        f.applications_carried_over,
        f.applications_closed,
        f.replied,
        f.replied_on_time,
        f.applications_carried_forward,
    )
}

fn deadlines(store: &Path, today: Date, env: Env<'_>, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let lang = ctx.lang;
    setup::warn_if_next_year_missing(env.calendar, today, ctx);
    // The position on `today`: what had been received and recorded by the end of that day.
    let listing = match gongkai_cases::deadlines::listing(&load(store, ctx)?, today, env) {
        Ok(l) => l,
        Err(DeadlinesError::Records(errors)) => anyhow::bail!("{}", errors.message(lang)),
        Err(DeadlinesError::Calendar(e)) => return Err(e.into()),
    };
    let weekday = weekday_name(today.weekday(), lang);
    let open = listing.open.len() + listing.pending.len();
    match lang {
        Lang::Zh => outln!("今天 {today}（{weekday}），未办结申请 {open} 件"),
        Lang::En => outln!("today {today} ({weekday}), {open} open application(s)"),
    }
    for c in &listing.open {
        let s = &c.status;
        let (n, over) = (s.working_days_left.unsigned_abs(), s.working_days_left < 0);
        let left = match (lang, over) {
            (Lang::Zh, true) => format!("超期{n}个工作日"),
            (Lang::Zh, false) => format!("剩余{n}个工作日"),
            (Lang::En, true) => format!("{n} working day(s) overdue"),
            (Lang::En, false) => format!("{n} working day(s) left"),
        };
        let (timeliness, waiting, phase) = match lang {
            Lang::Zh => (s.timeliness.zh(), s.waiting.zh(), c.phase.zh()),
            Lang::En => (s.timeliness.en(), s.waiting.en(), c.phase.en()),
        };
        outln!("{timeliness}\t{}\t{waiting} {}\t{left}\t{phase}\t{}", c.id, s.deadline, c.received);
    }
    for c in &listing.pending {
        let next = i32::from(c.after.year()) + 1;
        let (id, after, received) = (&c.id, c.after, c.received);
        match lang {
            Lang::Zh => outln!(
                "期限待定\t{id}\t答复期限 {after} 之后（载入{next}年节假日安排后确定）\t{}\t{received}",
                c.phase.zh()
            ),
            Lang::En => outln!(
                "to be determined\t{id}\treply due after {after} (set once the {next} holiday notice is loaded)\t{}\t{received}",
                c.phase.en()
            ),
        }
    }
    let year = today.year();
    let late = &listing.late_replies;
    match lang {
        Lang::Zh => outln!("\n{year} 年逾期答复（答复晚于答复期限）{} 件", late.len()),
        Lang::En => outln!("\nlate replies in {year} (replied after the deadline): {}", late.len()),
    }
    for r in late {
        let (id, due, on, days, received) =
            (&r.id, r.due, r.replied, r.working_days_late, r.received);
        match lang {
            Lang::Zh => {
                outln!("逾期答复\t{id}\t答复期限 {due}\t{on} 答复，超期{days}个工作日\t{received}")
            }
            Lang::En => outln!(
                "late reply\t{id}\treply due {due}\treplied {on}, {days} working day(s) late\t{received}"
            ),
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn template(out: &Path, csv: bool, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    std::fs::create_dir_all(out).with_context(|| {
        format!("{} {}", ctx.t("无法创建目录", "cannot create the directory"), out.display())
    })?;
    if csv {
        for sheet in Sheet::ALL {
            let path = out.join(format!("{}.csv", sheet.name()));
            std::fs::write(
                &path,
                gongkai_register::csv_io::write(&[gongkai_register::export::header(sheet)])?,
            )?;
            outln!("{}", path.display());
        }
    } else {
        let path = out.join("登记台账模板.xlsx");
        std::fs::write(&path, gongkai_register::xlsx::template()?)?;
        outln!("{}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn load(path: &Path, ctx: &Ctx) -> anyhow::Result<Register> {
    let text = std::fs::read_to_string(path).with_context(|| {
        let p = path.display();
        match ctx.lang {
            Lang::Zh => format!("无法读取台账文件 {p}（请先用 gongkai register import 导入）"),
            Lang::En => format!(
                "cannot read the register file {p} (import one first with gongkai register import)"
            ),
        }
    })?;
    let reg: Register = serde_json::from_str(&text).with_context(|| {
        let p = path.display();
        match ctx.lang {
            Lang::Zh => format!("台账文件 {p} 格式有误"),
            Lang::En => format!("the register file {p} is malformed"),
        }
    })?;
    anyhow::ensure!(
        reg.format == gongkai_cases::register::FORMAT
            && reg.version == gongkai_cases::register::VERSION,
        "{}",
        match ctx.lang {
            Lang::Zh => format!("台账文件 {} 的格式或版本不受支持", path.display()),
            Lang::En =>
                format!("unsupported format or version of the register file {}", path.display()),
        }
    );
    Ok(reg)
}

/// Writes the register file, readable and writable by its owner only (0600 on Unix): it holds
/// applicants' names and contacts. Written beside the target and renamed over it, so a rewritten
/// file is 0600 too, whatever the old one was.
fn save(path: &Path, reg: &Register, ctx: &Ctx) -> anyhow::Result<()> {
    let tmp = path.with_extension("json.tmp");
    let cannot = |p: &Path| format!("{} {}", ctx.t("无法写入", "cannot write"), p.display());
    let _ = std::fs::remove_file(&tmp);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&tmp).with_context(|| cannot(&tmp))?;
    std::io::Write::write_all(&mut file, serde_json::to_string_pretty(reg)?.as_bytes())
        .with_context(|| cannot(&tmp))?;
    file.sync_all().with_context(|| cannot(&tmp))?;
    std::fs::rename(&tmp, path).with_context(|| cannot(path))?;
    Ok(())
}

/// Every invalid record, one per line, under a heading.
fn record_errors(errors: &[gongkai_cases::register::RecordError], ctx: &Ctx) -> String {
    gongkai_cases::register::RecordErrors(errors.to_vec()).message(ctx.lang)
}

/// The three tables as text: one line per row, label then the cells in column order. In
/// English, rows and columns are named by their cell keys (`new_received`, `natural_person`).
fn render_tables(r: &gongkai_model::Report, lang: Lang) -> String {
    let mut out = String::new();
    for table in r.tables() {
        let layout: &TableLayout = table.shape();
        let title = match lang {
            Lang::Zh => catalogue::table_title(table.id()),
            Lang::En => table_title_en(table.id()),
        };
        out.push_str(&format!("\n{title}\n"));
        if table.id() == TableId::T3 {
            let heads: Vec<&str> = match lang {
                Lang::Zh => catalogue::T3_COLUMNS.iter().map(|c| c.label).collect(),
                Lang::En => catalogue::T3_COLUMNS.iter().map(|c| c.id.key()).collect(),
            };
            out.push_str(&format!("{}\t{}\n", ctx_word(lang, "项目", "row"), heads.join("\t")));
        }
        for row in layout.rows {
            let vals: Vec<String> = row
                .columns
                .iter()
                .map(|c| {
                    table
                        .value(gongkai_model::CellKey { row: row.id, col: c.id })
                        .map(|v| v.tsv())
                        .unwrap_or_default()
                })
                .collect();
            // Table 3 rows print as in the template but without the long parenthesised note of
            // （二）, and with their group (`（三）不予公开`) where they have one.
            let label = match (lang, table.id(), row.group) {
                (Lang::En, _, _) => row.id.key().to_owned(),
                (Lang::Zh, TableId::T3, Some(group)) => {
                    format!("{group}{}{}", row.numbering, row.body)
                }
                (Lang::Zh, TableId::T3, None) => {
                    format!("{}{}", row.numbering, row.body.split('（').next().unwrap_or(row.body))
                }
                (Lang::Zh, _, _) => row.label(),
            };
            if table.id() == TableId::T3 {
                out.push_str(&format!("{label}\t{}\n", vals.join("\t")));
            } else {
                let heads: Vec<String> = row
                    .columns
                    .iter()
                    .zip(&vals)
                    .map(|(c, v)| match lang {
                        Lang::Zh => format!("{}={v}", c.label),
                        Lang::En => format!("{}={v}", c.id.key()),
                    })
                    .collect();
                out.push_str(&format!("{label}\t{}\n", heads.join("\t")));
            }
        }
    }
    out
}

fn ctx_word<'a>(lang: Lang, zh: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// The tables' titles in English.
const fn table_title_en(id: TableId) -> &'static str {
    match id {
        TableId::T2 => "Table 2: proactive disclosure",
        TableId::T3 => "Table 3: applications received and handled",
        TableId::T4 => "Table 4: administrative reconsideration and litigation",
    }
}

/// Writes every error of a refused import to `path`, or says how to get them when the screen
/// showed only the first rows of each kind.
fn write_all_errors(
    e: &gongkai_register::ImportError,
    path: Option<&Path>,
    ctx: &Ctx,
) -> anyhow::Result<()> {
    if let Some(p) = path {
        std::fs::write(p, gongkai_register::all_errors(e, ctx.lang))
            .with_context(|| format!("{} {}", ctx.t("无法写入", "cannot write"), p.display()))?;
        eprintln!("{} {}", ctx.t("完整的错误清单已写入", "every error is listed in"), p.display());
    } else if matches!(e, gongkai_register::ImportError::Rows(r)
        if r.len() > gongkai_register::ROWS_SHOWN_PER_PROBLEM)
    {
        eprintln!(
            "{}",
            ctx.t(
                "（--errors FILE 可写出完整的错误清单）",
                "(--errors FILE writes every error to a file)"
            )
        );
    }
    Ok(())
}
