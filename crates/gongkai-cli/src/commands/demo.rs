//! `gongkai demo` — reads and checks the bundled example report (a township's 2022 report).

use std::process::ExitCode;

use gongkai_diagnostics::{Style, render};
use gongkai_model::{CellKey, T3Col, T3Row};
use gongkai_pipeline::Counts;

use crate::commands::check::title;
use crate::ctx::Ctx;
use crate::pipeline::analyse_bytes;

/// The bundled example: 大张楼镇 2022 (one cell per line).
const SEED: &[u8] = include_bytes!("../../../../fixtures/corpus/dev/raw/dazhanglou-2022.txt");

pub(crate) fn run(ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let a = analyse_bytes("dazhanglou-2022.txt", SEED)?;
    outln!(
        "{}",
        ctx.t(
            "示例：读取并检查内置的《大张楼镇2022年政府信息公开工作年度报告》\n",
            "Demo: reading and checking the bundled 2022 report of 大张楼镇\n"
        )
    );
    let n = |row, col| {
        a.report.number(CellKey::t3(row, col)).map_or_else(|| "?".to_owned(), |d| d.to_string())
    };
    outln!(
        "{}",
        match ctx.lang {
            gongkai_model::Lang::Zh => format!(
                "{}：表二、表三、表四共 {} 个单元格；本年新收申请 {} 件，办结 {} 件，结转下年度 {} 件；识别出 {} 个部分。\n",
                title(&a, ctx),
                a.report.cells().count(),
                n(T3Row::NewReceived, T3Col::Total),
                n(T3Row::TotalProcessed, T3Col::Total),
                n(T3Row::CarriedForward, T3Col::Total),
                a.report.sections.len()
            ),
            gongkai_model::Lang::En => format!(
                "{}: {} cells in Tables 2–4; {} applications received, {} processed, {} carried forward; {} sections found.\n",
                title(&a, ctx),
                a.report.cells().count(),
                n(T3Row::NewReceived, T3Col::Total),
                n(T3Row::TotalProcessed, T3Col::Total),
                n(T3Row::CarriedForward, T3Col::Total),
                a.report.sections.len()
            ),
        }
    );
    let style = Style { color: false, lang: ctx.lang };
    for f in &a.findings {
        outln!("{}", render(&a.doc, f, style));
    }
    outln!("{}", Counts::of(&a.findings).describe(ctx.lang));
    outln!(
        "\n{}",
        ctx.t(
            "下一步：gongkai check 报告.pdf ｜ gongkai extract 报告.html --format tsv ｜ gongkai rules",
            "Next: gongkai check report.pdf | gongkai extract report.html --format tsv | gongkai rules"
        )
    );
    Ok(ExitCode::SUCCESS)
}
