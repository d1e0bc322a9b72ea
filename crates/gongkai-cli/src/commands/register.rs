//! `gongkai register`: the agency's register (登记台账).
//!
//! Persistence: `import` validates a spreadsheet and writes the normalized register file
//! (`gongkai-register.json` in the current directory, or `--store PATH`); `tables` and
//! `deadlines` read that file. Re-importing replaces the sheets the new file contains.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use gongkai_calendar::{Date, weekday_zh};
use gongkai_cases::tables::{Records, annual};
use gongkai_cases::{Env, Policy, Register};
use gongkai_model::json::{Location, ReportJson};
use gongkai_model::{Lang, TableId, TableLayout, catalogue};
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
    #[arg(long, global = true)]
    today: Option<Date>,
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
        /// 机关名称（首次导入时）/ the agency (first import).
        #[arg(long)]
        agency: Option<String>,
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
    },
    /// 未办结申请的期限（超期的在前）/ open applications by deadline, overdue first.
    Deadlines,
}

pub(crate) fn run(args: Args, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let policy =
        Policy { fee_pauses_reply_clock: args.fee_pauses_reply_clock, ..Policy::CONSERVATIVE };
    match args.command {
        Sub::Template { out, csv } => template(&out, csv, ctx),
        Sub::Import { file, agency, errors } => {
            let cal = setup::calendar(&args.calendar, ctx)?;
            let env = Env { calendar: &cal, policy: &policy };
            let bytes = std::fs::read(&file).with_context(|| {
                format!("{} {}", ctx.t("无法读取", "cannot read"), file.display())
            })?;
            let name =
                file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let imported = match gongkai_register::import(
                &name,
                &bytes,
                setup::today(args.today),
                env,
                &gongkai_doc::Limits::default(),
            ) {
                Ok(i) => i,
                Err(e) => {
                    eprintln!("{}", gongkai_model::Localized::message(&e, ctx.lang));
                    if let Some(p) = errors {
                        std::fs::write(&p, gongkai_register::all_errors(&e, ctx.lang))
                            .with_context(|| {
                                format!("{} {}", ctx.t("无法写入", "cannot write"), p.display())
                            })?;
                        eprintln!(
                            "{} {}",
                            ctx.t("完整的错误清单已写入", "every error is listed in"),
                            p.display()
                        );
                    } else if matches!(&e, gongkai_register::ImportError::Rows(r)
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
                    return Ok(ExitCode::from(1));
                }
            };
            let mut reg = if args.store.exists() {
                load(&args.store, ctx)?
            } else {
                Register::new(agency.clone().unwrap_or_else(|| "本机关".into()))
            };
            if let Some(a) = agency {
                reg.agency = a;
            }
            let sheets = imported.parsed.sheets.clone();
            imported.merge_into(&mut reg);
            save(&args.store, &reg, ctx)?;
            outln!("{} {}", ctx.t("已导入并保存到", "imported into"), args.store.display());
            for s in sheets {
                let n = match s {
                    Sheet::Applications => reg.cases.len(),
                    Sheet::Proactive => reg.proactive.len(),
                    Sheet::Documents => reg.documents.len(),
                    Sheet::Decisions => reg.decisions.len(),
                    Sheet::Fees => reg.fees_collected.len(),
                    Sheet::Disputes => reg.disputes.len(),
                };
                outln!("  {}：{n} 条", s.name());
            }
            Ok(ExitCode::SUCCESS)
        }
        Sub::Tables { year, json } => {
            let cal = setup::calendar(&args.calendar, ctx)?;
            let env = Env { calendar: &cal, policy: &policy };
            let reg = load(&args.store, ctx)?;
            let cases = replay(&reg, setup::today(args.today), env, ctx)?;
            let records = Records {
                agency: &reg.agency,
                cases: &cases,
                proactive: &reg.proactive,
                documents: &reg.documents,
                decisions: &reg.decisions,
                fees_collected: &reg.fees_collected,
                disputes: &reg.disputes,
            };
            let a = annual(&records, year, &cal);
            out!("{}", render_tables(&a.report));
            outln!(
                "\n{}",
                a.report
                    .section(gongkai_model::SectionId::Overview)
                    .map(|s| s.text.as_str())
                    .unwrap_or_default()
            );
            if let Some(path) = json {
                let j = ReportJson::from_report(&a.report, &|_| Location::default());
                std::fs::write(&path, serde_json::to_string_pretty(&j)?).with_context(|| {
                    format!("{} {}", ctx.t("无法写入", "cannot write"), path.display())
                })?;
                outln!("{} {}", ctx.t("已写出", "wrote"), path.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Sub::Deadlines => {
            let cal = setup::calendar(&args.calendar, ctx)?;
            let env = Env { calendar: &cal, policy: &policy };
            let reg = load(&args.store, ctx)?;
            let today = setup::today(args.today);
            setup::warn_if_next_year_missing(&cal, today, ctx);
            let cases = replay(&reg, today, env, ctx)?;
            let mut rows = Vec::new();
            for c in &cases {
                if let Some(s) = c.status(today, env)? {
                    rows.push((s, c));
                }
            }
            rows.sort_by(|(a, ca), (b, cb)| {
                (a.working_days_left, a.deadline, ca.id()).cmp(&(
                    b.working_days_left,
                    b.deadline,
                    cb.id(),
                ))
            });
            outln!(
                "{} {today}（{}），{} {} 件",
                ctx.t("今天", "today"),
                weekday_zh(today.weekday()),
                ctx.t("未办结申请", "open applications"),
                rows.len()
            );
            for (s, c) in rows {
                let left = if s.working_days_left < 0 {
                    format!("超期{}个工作日", -s.working_days_left)
                } else {
                    format!("剩余{}个工作日", s.working_days_left)
                };
                outln!(
                    "{}\t{}\t{} {}\t{}\t{}\t{}",
                    s.timeliness.zh(),
                    c.id(),
                    s.waiting.zh(),
                    s.deadline,
                    left,
                    c.phase().zh(),
                    c.received()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
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

fn save(path: &Path, reg: &Register, ctx: &Ctx) -> anyhow::Result<()> {
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, serde_json::to_string_pretty(reg)?)
        .with_context(|| format!("{} {}", ctx.t("无法写入", "cannot write"), tmp.display()))?;
    std::fs::rename(&tmp, path)
        .with_context(|| format!("{} {}", ctx.t("无法写入", "cannot write"), path.display()))?;
    Ok(())
}

fn replay(
    reg: &Register,
    today: Date,
    env: Env<'_>,
    ctx: &Ctx,
) -> anyhow::Result<Vec<gongkai_cases::Case>> {
    reg.replay(today, env).map_err(|errors| {
        let lines: Vec<String> =
            errors.iter().map(|e| gongkai_model::Localized::message(e, ctx.lang)).collect();
        let head = match ctx.lang {
            gongkai_model::Lang::Zh => format!("台账中有 {} 条记录不合法：", errors.len()),
            gongkai_model::Lang::En => {
                format!("{} invalid record(s) in the register:", errors.len())
            }
        };
        anyhow::anyhow!("{head}\n{}", lines.join("\n"))
    })
}

/// The three tables as text: one line per row, label then the cells in column order.
fn render_tables(r: &gongkai_model::Report) -> String {
    let mut out = String::new();
    for table in r.tables() {
        let layout: &TableLayout = table.shape();
        out.push_str(&format!("\n{}\n", catalogue::table_title(table.id())));
        if table.id() == TableId::T3 {
            let heads: Vec<&str> = catalogue::T3_COLUMNS.iter().map(|c| c.label).collect();
            out.push_str(&format!("{}\t{}\n", "项目", heads.join("\t")));
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
            let label = match (table.id(), row.group) {
                (TableId::T3, Some(group)) => format!("{group}{}{}", row.numbering, row.body),
                (TableId::T3, None) => {
                    format!("{}{}", row.numbering, row.body.split('（').next().unwrap_or(row.body))
                }
                _ => row.label(),
            };
            if table.id() == TableId::T3 {
                out.push_str(&format!("{label}\t{}\n", vals.join("\t")));
            } else {
                let heads: Vec<String> = row
                    .columns
                    .iter()
                    .zip(&vals)
                    .map(|(c, v)| format!("{}={v}", c.label))
                    .collect();
                out.push_str(&format!("{label}\t{}\n", heads.join("\t")));
            }
        }
    }
    out
}
