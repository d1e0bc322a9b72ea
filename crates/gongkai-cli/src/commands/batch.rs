//! `gongkai batch DIR_OR_FILES… --out DIR` — a whole collection in parallel: `reports.csv`,
//! `reports.parquet`, `findings.csv`, `cells.csv` and a summary, with the cross-year rules run
//! over each agency's consecutive years.

use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::process::ExitCode;

use gongkai_batch::csv::CsvStyle;
use gongkai_batch::{Listed, Options, list, run_to};
use gongkai_doc::Limits;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::ctx::Ctx;

/// Arguments of `batch`.
#[derive(clap::Args, Debug)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub(crate) struct Args {
    #[command(subcommand)]
    command: Option<Sub>,
    /// 报告文件或目录（目录递归读取）/ report files or directories (read recursively).
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// 输出目录（写入 reports.csv、reports.parquet、findings.csv、cells.csv）/ output directory.
    #[arg(long, short, required = true)]
    out: Option<PathBuf>,
    /// 并行线程数（默认每个处理器核一个）/ worker threads (default: one per core).
    #[arg(long, short, value_parser = clap::value_parser!(u16).range(1..))]
    jobs: Option<u16>,
    /// 单个文件大小上限（MB），超过的记为无法读取 / largest file read, in MB; larger files are
    /// recorded as unreadable.
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u64).range(1..))]
    max_input_mb: u64,
    /// 不显示进度条（进度条仅在标准错误输出为终端时显示）/ no progress bar (it is shown on
    /// stderr only when stderr is a terminal).
    #[arg(long)]
    no_progress: bool,
    /// 供 Excel 打开：findings.csv、cells.csv 加 UTF-8 BOM 并用中文列名 / for Excel:
    /// findings.csv and cells.csv with a UTF-8 BOM and Chinese column labels.
    #[arg(long)]
    excel: bool,
    /// 只读取第 K 个分片（共 N 个；按文件相对路径的散列划分，与输入顺序无关）/ read only shard
    /// K of N (by a hash of each file's relative path, whatever the order of the inputs).
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    shard: Option<gongkai_batch::shard::Shard>,
}

#[derive(clap::Subcommand, Debug)]
enum Sub {
    /// 合并各分片（--shard K/N）的输出，结果与一次读取全部文件逐字节相同 / merge the outputs of
    /// every shard (--shard K/N): byte for byte the outputs of one run over all the files.
    Merge(MergeArgs),
}

/// Arguments of `batch merge`.
#[derive(clap::Args, Debug)]
struct MergeArgs {
    /// 各分片的输出目录（顺序不限）/ the shards' output directories (in any order).
    #[arg(required = true)]
    shards: Vec<PathBuf>,
    /// 合并结果的输出目录 / output directory of the merged outputs.
    #[arg(long, short)]
    out: PathBuf,
    /// 并行线程数（默认每个处理器核一个）/ worker threads (default: one per core).
    #[arg(long, short, value_parser = clap::value_parser!(u16).range(1..))]
    jobs: Option<u16>,
}

fn parse_shard(s: &str) -> Result<gongkai_batch::shard::Shard, String> {
    s.parse::<gongkai_batch::shard::Shard>().map_err(|m| format!("{} / {}", m.zh, m.en))
}

pub(crate) fn run(args: Args, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    if let Some(Sub::Merge(m)) = args.command {
        return merge(m, ctx);
    }
    let out = args.out.unwrap_or_default();
    let (Listed { files, empty_dirs }, archive) = match args.shard {
        Some(shard) => {
            let (listed, archive) = shard.list(&args.inputs)?;
            (listed, Some((shard, archive)))
        }
        None => (list(&args.inputs)?, None),
    };
    for dir in &empty_dirs {
        eprintln!("{}", super::check::no_reports(dir, ctx));
    }
    // A shard may hold no file; its (empty) outputs are still written for the merge.
    if files.is_empty() && archive.as_ref().is_none_or(|(_, a)| a.files == 0) {
        return Ok(ExitCode::from(2));
    }
    let limits = Limits {
        max_input_bytes: args.max_input_mb.saturating_mul(1024 * 1024),
        ..Limits::default()
    };
    let options = Options { jobs: args.jobs.map(usize::from), limits };

    let show = !args.no_progress && std::io::stderr().is_terminal();
    let bar = ProgressBar::with_draw_target(
        Some(files.len() as u64),
        if show { ProgressDrawTarget::stderr() } else { ProgressDrawTarget::hidden() },
    );
    let template = match ctx.lang {
        gongkai_model::Lang::Zh => "{bar:30} {pos}/{len} 份 用时 {elapsed} 剩余 {eta} {wide_msg}",
        gongkai_model::Lang::En => "{bar:30} {pos}/{len} elapsed {elapsed} eta {eta} {wide_msg}",
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    let style = if args.excel { CsvStyle::Excel } else { CsvStyle::Plain };
    let progress = |path: &std::path::Path| {
        bar.set_message(
            path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        );
        bar.inc(1);
    };
    let done = match &archive {
        Some((shard, archive)) => gongkai_batch::run_shard_to(
            files, *shard, archive, &options, &out, ctx.lang, style, &progress,
        )?,
        None => run_to(files, &options, &out, ctx.lang, style, &progress)?,
    };
    bar.finish_and_clear();
    out!("{}", done.render(ctx.lang));
    wrote(&done.written, &out, ctx);
    // Nothing readable, or a directory with nothing to read, is an error, not an empty survey.
    Ok(if done.summary.read == 0 || !empty_dirs.is_empty() {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// `gongkai: 已写入 reports.csv、…（在 DIR）` on stderr.
fn wrote(written: &[PathBuf], dir: &std::path::Path, ctx: &Ctx) {
    let names: Vec<String> = written
        .iter()
        .filter_map(|p| {
            let name = p.file_name()?.to_string_lossy().into_owned();
            Some(if p.is_dir() { format!("{name}/") } else { name })
        })
        .collect();
    eprintln!(
        "gongkai: {}{}{}",
        ctx.t("已写入 ", "wrote "),
        names.join(ctx.t("、", ", ")),
        match ctx.lang {
            gongkai_model::Lang::Zh => format!("（在 {}）", dir.display()),
            gongkai_model::Lang::En => format!(" in {}", dir.display()),
        }
    );
}

/// `gongkai batch merge SHARD_OUT… --out DIR`.
fn merge(args: MergeArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let options = Options { jobs: args.jobs.map(usize::from), limits: Limits::default() };
    let merged = gongkai_batch::merge(&args.shards, &options, &args.out)?;
    out!("{}", merged.streamed.render(ctx.lang));
    wrote(&merged.streamed.written, &args.out, ctx);
    Ok(if merged.streamed.summary.read == 0 { ExitCode::from(2) } else { ExitCode::SUCCESS })
}
