//! `GET /data`, the open-data page, for everyone (no login): the filters as a form, the
//! downloads of the filtered cells and findings in every format (the API of
//! [`super::data_api`]), the column dictionary (from [`crate::opendata`]'s one declaration) and
//! how to read the year-partitioned Parquet files with DuckDB.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use gongkai_store::OrgKind;

use super::{Access, Route};
use crate::auth::{CsrfToken, MaybeActor};
use crate::error::AppError;
use crate::i18n::Ui;
use crate::opendata::{self, Column, DataQuery, Dataset, Filter, Format};
use crate::page::{self, Chrome, Nav};
use crate::state::AppState;
use crate::texts;

/// The routes.
pub fn routes() -> Vec<Route> {
    vec![Route::get("/data", Access::Public, page)]
}

/// No API paths (the downloads are [`super::data_api`]'s).
#[derive(utoipa::OpenApi)]
#[openapi()]
pub struct Api;

texts! {
    /// The open-data page's texts.
    pub struct DataText {
        title: "开放数据" | "Open data",
        intro: "这里提供各机关已发布的政府信息公开工作年度报告的数据：每个机关每个年度的最新发布版本中的每个单元格，以及规则检查对这些报告得出的问题。草稿、收集的材料和审核意见不在其中。" | "The data of the annual reports on government information disclosure that agencies have published: every cell of the latest published version of each agency's report for each year, and the findings of the rules on those reports. Drafts, collected material and review notes are never included.",
        filters: "筛选" | "Filter",
        year: "年度" | "Year",
        from: "起始年度" | "From year",
        to: "截止年度" | "To year",
        office: "政务公开办（含所有下级单位）" | "Office (with everything below it)",
        any_office: "全部" | "All",
        region: "行政区划代码或其开头" | "Region code or its beginning",
        region_hint: "例如 33（浙江省）、3301（杭州市）、330106（西湖区）" | "e.g. 33 (Zhejiang), 3301 (Hangzhou), 330106 (Xihu district)",
        agency: "机关编号" | "Agency id",
        agency_hint: "机关编号见 /api/v1/agencies" | "Agency ids are listed at /api/v1/agencies",
        apply: "筛选" | "Apply",
        matched: "符合条件的报告：" | "Reports selected: ",
        reports_unit: "份" | "",
        too_many: "一次下载最多包含的报告数：" | "The most reports one download may hold: ",
        too_many_xlsx: "（XLSX 格式：" | " (XLSX: ",
        too_many_end: "）。请缩小范围后下载。" | "). Narrow the filter to download.",
        downloads: "下载" | "Downloads",
        dataset: "数据" | "Data",
        cells: "单元格（每个机关、年度、单元格一行）" | "Cells (one row per agency, year and cell)",
        findings: "检查发现的问题（每个问题一行）" | "Findings (one row per finding)",
        csv: "CSV" | "CSV",
        csv_bom: "CSV（Excel，带BOM）" | "CSV (Excel, with BOM)",
        xlsx: "Excel（XLSX）" | "Excel (XLSX)",
        json: "JSON" | "JSON",
        parquet: "Parquet" | "Parquet",
        zip: "按年度分区的 Parquet 文件（zip，单元格和问题）" | "Parquet files partitioned by year (zip, cells and findings)",
        api: "这些链接就是接口地址，可以直接用程序读取；参数：year、from、to、office、region、agency、bom=1。接口说明见" | "These links are the API: programs may read them directly; parameters: year, from, to, office, region, agency, bom=1. The API is described in",
        stop: "。" | ".",
        columns: "字段说明" | "Columns",
        columns_intro: "字段名称稳定不变，各种格式相同。" | "The column names are stable and the same in every format.",
        name: "字段名" | "Name",
        label: "中文名称" | "Chinese label",
        other_label: "英文说明" | "Description",
        ty: "类型" | "Type",
        duckdb: "用 DuckDB 读取" | "Reading it with DuckDB",
        duckdb_intro: "解压 zip 后，在解压得到的文件夹中运行（年度来自文件夹名 year=YYYY）：" | "Unzip the file, then run in the folder it makes (the year comes from the folder names year=YYYY):",
        spark: "Spark 和 Trino 也能按 Hive 分区直接读取这个文件夹。" | "Spark and Trino read the folder directly as Hive partitions too.",
    }
}

/// One office in the filter's list.
struct OfficeChoice {
    id: i64,
    name: String,
    selected: bool,
}

/// One download link.
struct Link {
    id: String,
    label: &'static str,
    href: String,
}

/// One dataset's row of links.
struct Downloads {
    label: &'static str,
    links: Vec<Link>,
}

/// One dataset's dictionary.
struct Dictionary {
    heading: &'static str,
    id: &'static str,
    columns: Vec<(&'static str, &'static str, &'static str, &'static str)>,
}

#[derive(Template)]
#[template(path = "data.html")]
struct DataPage {
    chrome: Chrome,
    t: DataText,
    q: DataQuery,
    offices: Vec<OfficeChoice>,
    error: Option<(String, String)>,
    matched: Option<usize>,
    over: bool,
    max: usize,
    max_xlsx: usize,
    downloads: Vec<Downloads>,
    zip: Option<String>,
    dictionaries: Vec<Dictionary>,
    duckdb: String,
}

/// Every office, by name.
async fn offices(state: &AppState) -> Result<Vec<gongkai_store::Org>, AppError> {
    let mut out = Vec::new();
    for top in state.store.children(None).await? {
        let below = state.store.subtree(top.id).await?;
        if top.kind == OrgKind::Office {
            out.push(top);
        }
        out.extend(below.into_iter().filter(|o| o.kind == OrgKind::Office));
    }
    out.sort_by(|a, b| (&a.name, a.id).cmp(&(&b.name, b.id)));
    Ok(out)
}

/// The dictionary of a dataset.
fn dictionary(heading: &'static str, dataset: Dataset) -> Dictionary {
    Dictionary {
        heading,
        id: dataset.key(),
        columns: dataset.columns().iter().map(|c: &Column| (c.name, c.zh, c.en, c.ty.key())).collect(),
    }
}

/// The links of a filter's downloads.
fn downloads(t: DataText, filter: &Filter) -> (Vec<Downloads>, String) {
    let q = filter.query();
    let with = |extra: &str| match (q.is_empty(), extra.is_empty()) {
        (true, true) => String::new(),
        (true, false) => format!("?{extra}"),
        (false, true) => format!("?{q}"),
        (false, false) => format!("?{q}&{extra}"),
    };
    let rows = [(Dataset::Cells, t.cells), (Dataset::Findings, t.findings)]
        .into_iter()
        .map(|(d, label)| {
            let mut links = Vec::new();
            for f in Format::ALL {
                let label_of = match f {
                    Format::Csv => t.csv,
                    Format::Xlsx => t.xlsx,
                    Format::Json => t.json,
                    Format::Parquet => t.parquet,
                };
                let href = format!("/api/v1/data/{}.{}{}", d.key(), f.extension(), with(""));
                links.push(Link { id: format!("{}-{}", d.key(), f.extension()), label: label_of, href });
                if f == Format::Csv {
                    links.push(Link {
                        id: format!("{}-csv-bom", d.key()),
                        label: t.csv_bom,
                        href: format!("/api/v1/data/{}.csv{}", d.key(), with("bom=1")),
                    });
                }
            }
            Downloads { label, links }
        })
        .collect();
    (rows, format!("/api/v1/data/cells-parquet.zip{}", with("")))
}

/// The open-data page.
async fn page(
    State(state): State<AppState>,
    Ui(lang): Ui,
    csrf: CsrfToken,
    MaybeActor(actor): MaybeActor,
    Query(q): Query<DataQuery>,
) -> Result<Response, AppError> {
    let t = DataText::of(lang);
    let parsed = Filter::parse(&q);
    let (error, filter) = match parsed {
        Ok(f) => (None, Some(f)),
        Err(AppError::Invalid { field, msg }) => {
            (Some((field.unwrap_or("year").to_owned(), msg.get(lang).to_owned())), None)
        }
        Err(e) => return Err(e),
    };
    let (matched, error) = match &filter {
        Some(f) => match opendata::select(&state, f).await {
            Ok(s) => (Some(s.versions.len()), error),
            Err(AppError::Invalid { field, msg }) => (
                None,
                Some((field.unwrap_or("office").to_owned(), msg.get(lang).to_owned())),
            ),
            Err(e) => return Err(e),
        },
        None => (None, error),
    };
    let selected_office = filter.as_ref().and_then(|f| f.office).map(|o| o.0);
    let offices = offices(&state)
        .await?
        .into_iter()
        .map(|o| OfficeChoice { id: o.id.0, selected: Some(o.id.0) == selected_office, name: o.name })
        .collect();
    let (downloads, zip) = match (&filter, error.is_none()) {
        (Some(f), true) => {
            let (d, z) = downloads(t, f);
            (d, Some(z))
        }
        _ => (Vec::new(), None),
    };
    let path = match filter.as_ref().map(Filter::query).filter(|q| !q.is_empty()) {
        Some(q) => format!("/data?{q}"),
        None => "/data".to_owned(),
    };
    let signed_in = page::signed_in(&state, actor.as_ref()).await?;
    let chrome = Chrome::new(
        lang,
        t.title,
        &csrf,
        &path,
        signed_in.as_ref().map(|(a, o)| (*a, o.as_slice())),
        None,
        Nav::None,
    );
    let page = DataPage {
        chrome,
        t,
        q,
        offices,
        over: matched.is_some_and(|n| n > opendata::MAX_REPORTS),
        matched,
        error,
        max: opendata::MAX_REPORTS,
        max_xlsx: opendata::MAX_XLSX_REPORTS,
        downloads,
        zip,
        dictionaries: vec![
            dictionary(t.cells, Dataset::Cells),
            dictionary(t.findings, Dataset::Findings),
        ],
        duckdb: format!("unzip gongkai-parquet.zip -d gongkai && cd gongkai\nduckdb -c \"{}\"", opendata::DUCKDB.replace('\n', " ")),
    };
    Ok(page::render(&page)?.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_text_is_empty() {
        assert!(DataText::ALL.iter().all(|(zh, en)| !zh.is_empty() && (!en.is_empty() || *zh == "份")));
    }
}
