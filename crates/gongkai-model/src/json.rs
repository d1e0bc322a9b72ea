//! The stable JSON form of a report (`gongkai-report`, version 1).
//!
//! These wire types are the only serialisable form of the model. They are versioned: a consumer
//! checks `format == "gongkai-report"` and `version == 1`. The JSON Schema in `schema/` is generated
//! from them (`schema()`), and a test keeps the committed file current.
//!
//! Cell values are strings in the cell-list form (`"12"`, `"7730.28"`, `""` blank, `"/"` not
//! applicable, `"?"` undetermined) so that decimals keep their printed scale. On input a cell may
//! also be a bare JSON number or string instead of an object.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::catalogue::{Layout, TableLayout};
use crate::finding::{Finding, Msg};
use crate::keys::{CellKey, TableId};
use crate::localized::Localized;
use crate::report::{Contact, Metadata, Report, Section, SectionId, Table};
use crate::span::{Span, Spanned};
use crate::value::Value;

/// The value of the `format` field.
pub const FORMAT: &str = "gongkai-report";
/// The current version.
pub const VERSION: u32 = 1;

/// Where a span is in the original input, for people (filled in by whoever has the document).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Location {
    /// 1-based line in the document text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// 1-based column (characters) in that line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// 1-based page (PDF).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// A description of the place in the input format (DOM path, DOCX table cell, PDF box).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
}

/// A report in its JSON form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportJson {
    /// Always `gongkai-report`.
    pub format: String,
    /// Always 1 for this version.
    pub version: u32,
    /// Metadata.
    #[serde(default)]
    pub meta: MetaJson,
    /// The preamble before section 一.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preamble: Option<String>,
    /// The sections, in printed order.
    #[serde(default)]
    pub sections: Vec<SectionJson>,
    /// The tables.
    #[serde(default)]
    pub tables: TablesJson,
    /// Findings, when the producer checked the report (ignored on input).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<FindingJson>,
}

/// Metadata.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MetaJson {
    /// The reporting agency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency: Option<String>,
    /// The report (statistics) year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// The title as printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Contact details.
    #[serde(default)]
    pub contact: ContactJson,
    /// Where the report is published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Publication date as printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
}

/// Contact details.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactJson {
    /// 地址.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// 电话.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// 邮编.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postcode: Option<String>,
    /// 电子邮箱.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// A section.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SectionJson {
    /// `overview`, `proactive`, `applications`, `review_litigation`, `problems` or `other`.
    pub id: String,
    /// The heading as printed (defaults to the official heading).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heading: Option<String>,
    /// The text, paragraphs separated by newlines.
    #[serde(default)]
    pub text: String,
    /// Where the heading was printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<Location>,
}

/// The three tables.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TablesJson {
    /// Table 2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub t2: Option<TableJson>,
    /// Table 3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub t3: Option<TableJson>,
    /// Table 4.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub t4: Option<TableJson>,
}

/// One table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TableJson {
    /// `2021` or `trial`.
    pub layout: String,
    /// Every cell of the layout, by canonical key. Written in table order.
    #[schemars(with = "BTreeMap<String, CellJson>")]
    pub cells: CellMap,
}

/// Cells by key, in insertion order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CellMap(pub Vec<(String, CellJson)>);

impl Serialize for CellMap {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

impl<'de> Deserialize<'de> for CellMap {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = CellMap;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object of cells by key")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<CellMap, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = a.next_entry::<String, CellJson>()? {
                    out.push((k, v));
                }
                Ok(CellMap(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// One cell: either the full object, or on input just the value (a number or a cell-list string).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum CellJson {
    /// The full form.
    Full(CellObject),
    /// A bare number.
    Number(serde_json::Number),
    /// A bare cell-list string (`"12"`, `""`, `"/"`, `"?"`).
    Text(String),
}

/// The full form of a cell.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CellObject {
    /// The value in cell-list form: digits, `""` blank, `"/"` not applicable, `"?"` undetermined.
    pub value: String,
    /// For a not-applicable cell, the mark printed (`/`, `—`, `无`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mark: Option<String>,
    /// Text printed with the value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotation: Option<String>,
    /// For an undetermined cell, the values the reading allows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<String>,
    /// Byte range in the document text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<[u32; 2]>,
    /// Where that is, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<Location>,
}

/// A finding in JSON.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FindingJson {
    /// Rule id.
    pub rule: String,
    /// `error`, `warning` or `info`.
    pub severity: String,
    /// The message.
    pub message: String,
    /// Cell keys involved.
    pub cells: Vec<String>,
    /// `source` or `extraction`.
    pub kind: String,
    /// The printed value, when the finding is about one value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub printed: Option<String>,
    /// What the arithmetic implies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub implied: Option<String>,
    /// Where (primary location).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<Location>,
}

impl FindingJson {
    /// The JSON form of `f`, its message in `lang`, located by `locate`.
    pub fn from_finding(f: &Finding, lang: crate::Lang, locate: &dyn Fn(Span) -> Location) -> Self {
        FindingJson {
            rule: f.rule.to_owned(),
            severity: f.severity.key().to_owned(),
            message: f.message.get(lang).to_owned(),
            cells: f.cells.iter().map(ToString::to_string).collect(),
            kind: f.kind.key().to_owned(),
            printed: f.printed.map(|d| d.to_string()),
            implied: f.implied.map(|d| d.to_string()),
            at: f.primary_span().map(locate),
        }
    }
}

/// Why a JSON report could not be turned into a report. `field` names the offending field as a path.
/// [`Localized::message`] says it in one language; the `Display` form gives both.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.bilingual())]
pub struct JsonError {
    /// Path of the offending field (`tables.t3.cells.t3.granted.total`); empty when the text is
    /// not JSON of the expected shape at all (the parser's words then say where).
    pub field: String,
    /// What is wrong, in our words.
    pub reason: Msg,
    /// The JSON parser's words (English, as it gives them), if it found the problem.
    pub detail: Option<String>,
}

impl Localized for JsonError {
    fn words(&self) -> (Msg, Option<String>) {
        let text = if self.field.is_empty() {
            self.reason.clone()
        } else {
            Msg::new(
                format!("字段 `{}`：{}", self.field, self.reason.zh),
                format!("field `{}`: {}", self.field, self.reason.en),
            )
        };
        (text, self.detail.clone())
    }
}

fn err(field: impl Into<String>, reason: Msg) -> JsonError {
    JsonError { field: field.into(), reason, detail: None }
}

impl ReportJson {
    /// The JSON form of `report`; spans are located for people by `locate`.
    pub fn from_report(report: &Report, locate: &dyn Fn(Span) -> Location) -> Self {
        let s = |x: &Option<Spanned<String>>| x.as_ref().map(|v| v.value.clone());
        let m = &report.meta;
        ReportJson {
            format: FORMAT.to_owned(),
            version: VERSION,
            meta: MetaJson {
                agency: s(&m.agency),
                year: m.year.as_ref().map(|y| y.value),
                title: s(&m.title),
                contact: ContactJson {
                    address: s(&m.contact.address),
                    phone: s(&m.contact.phone),
                    postcode: s(&m.contact.postcode),
                    email: s(&m.contact.email),
                },
                url: s(&m.url),
                published: s(&m.published),
            },
            preamble: report.preamble.clone(),
            sections: report
                .sections
                .iter()
                .map(|sec| SectionJson {
                    id: sec.id.key().to_owned(),
                    heading: Some(sec.heading.value.clone()),
                    text: sec.text.clone(),
                    at: sec.heading.span.map(locate),
                })
                .collect(),
            tables: TablesJson {
                t2: report.t2.as_ref().map(|t| table_json(t, locate)),
                t3: report.t3.as_ref().map(|t| table_json(t, locate)),
                t4: report.t4.as_ref().map(|t| table_json(t, locate)),
            },
            findings: Vec::new(),
        }
    }

    /// Parses JSON text into the wire form, with the error located at the offending field.
    pub fn parse(text: &str) -> Result<Self, JsonError> {
        if let Some(e) = not_an_object(text) {
            return Err(e);
        }
        if !text.contains("\"format\"") {
            return Err(err(
                "",
                Msg::new(
                    "不是 gongkai 报告（没有 format 字段）",
                    "not a gongkai report (no format field)",
                ),
            ));
        }
        let de = &mut serde_json::Deserializer::from_str(text);
        let parsed: Result<ReportJson, _> = serde_path_to_error(de);
        parsed
    }

    /// Converts the wire form into a report, checking the format, version, keys and values.
    pub fn into_report(self) -> Result<Report, JsonError> {
        if self.format != FORMAT {
            return Err(err(
                "format",
                Msg::new(
                    format!("应为 `{FORMAT}`，实为 `{}`", self.format),
                    format!("expected `{FORMAT}`, found `{}`", self.format),
                ),
            ));
        }
        if self.version != VERSION {
            return Err(err(
                "version",
                Msg::new(
                    format!("不支持的版本 {}（本程序读取版本 {VERSION}）", self.version),
                    format!("unsupported version {} (this gongkai reads {VERSION})", self.version),
                ),
            ));
        }
        let b = |x: Option<String>| x.map(Spanned::bare);
        let meta = Metadata {
            agency: b(self.meta.agency),
            year: self.meta.year.map(Spanned::bare),
            title: b(self.meta.title),
            contact: Contact {
                address: b(self.meta.contact.address),
                phone: b(self.meta.contact.phone),
                postcode: b(self.meta.contact.postcode),
                email: b(self.meta.contact.email),
            },
            url: b(self.meta.url),
            published: b(self.meta.published),
        };
        let mut sections = Vec::new();
        for (i, s) in self.sections.into_iter().enumerate() {
            let id = SectionId::from_key(&s.id).ok_or_else(|| {
                err(
                    format!("sections[{i}].id"),
                    Msg::new(
                        format!("未知的部分 `{}`（应为 overview、proactive、applications、review_litigation、problems、other 之一）", s.id),
                        format!("unknown section `{}` (expected one of overview, proactive, applications, review_litigation, problems, other)", s.id),
                    ),
                )
            })?;
            let mut sec = Section::new(id, s.text);
            if let Some(h) = s.heading {
                sec.heading = Spanned::bare(h);
            }
            sections.push(sec);
        }
        let mut report =
            Report { meta, preamble: self.preamble, sections, t2: None, t3: None, t4: None };
        for (id, t) in [
            (TableId::T2, self.tables.t2),
            (TableId::T3, self.tables.t3),
            (TableId::T4, self.tables.t4),
        ] {
            if let Some(t) = t {
                *report.table_mut(id) = Some(table_from_json(id, t)?);
            }
        }
        Ok(report)
    }
}

fn serde_path_to_error(
    de: &mut serde_json::Deserializer<serde_json::de::StrRead<'_>>,
) -> Result<ReportJson, JsonError> {
    ReportJson::deserialize(de).map_err(|e| syntax_error(&e))
}

/// A JSON text that is not an object (`null`, `[]`, a number) is not a gongkai report; said
/// before serde's "invalid type: null, expected struct ReportJson".
fn not_an_object(text: &str) -> Option<JsonError> {
    let first = text.trim_start_matches('\u{feff}').trim_start().chars().next();
    let (zh, en) = match first? {
        '{' => return None,
        '[' => ("数组", "an array"),
        '"' => ("字符串", "a string"),
        'n' => ("null", "null"),
        't' | 'f' => ("布尔值", "a boolean"),
        '-' | '0'..='9' => ("数字", "a number"),
        _ => return None,
    };
    Some(err(
        "",
        Msg::new(
            format!("不是 gongkai 报告：JSON 顶层应为对象（{{…}}），实为{zh}"),
            format!("not a gongkai report: the JSON is {en}, not an object ({{…}})"),
        ),
    ))
}

/// serde_json's error in our words, in both languages, with its line and column
/// (`第1行第5列：此处应为“:”` / `line 1, column 5: expected `:``).
pub fn syntax_error(e: &serde_json::Error) -> JsonError {
    let (line, column) = (e.line(), e.column());
    let words = e.to_string();
    let what = words.rsplit_once(" at line ").map_or(words.as_str(), |(w, _)| w);
    let (zh, en) = json_words(what);
    let reason = if line == 0 {
        Msg::new(zh, en)
    } else {
        Msg::new(
            format!("第{line}行第{column}列：{zh}"),
            format!("line {line}, column {column}: {en}"),
        )
    };
    JsonError { field: String::new(), reason, detail: None }
}

/// Chinese (and, where serde's words are not a user's, English) for serde_json's messages.
fn json_words(what: &str) -> (String, String) {
    let quoted = |s: &str| s.split('`').nth(1).unwrap_or_default().to_owned();
    let fixed: &[(&str, &str, &str)] = &[
        (
            "EOF while parsing",
            "文件在 JSON 结束之前就结束了（内容被截断？）",
            "the file ends before the JSON does (truncated?)",
        ),
        ("expected value", "此处应为一个 JSON 值", "expected a JSON value"),
        (
            "expected ident",
            "无法识别的词（应为 true、false 或 null）",
            "unrecognised word (expected true, false or null)",
        ),
        ("expected `:`", "此处应为“:”", "expected `:`"),
        ("expected `,` or `]`", "此处应为“,”或“]”", "expected `,` or `]`"),
        ("expected `,` or `}`", "此处应为“,”或“}”", "expected `,` or `}`"),
        ("expected `\"`", "此处应为“\"”", "expected `\"`"),
        ("invalid escape", "字符串中有无效的转义序列", "invalid escape in a string"),
        ("invalid number", "无效的数字", "invalid number"),
        ("number out of range", "数字超出范围", "number out of range"),
        ("invalid unicode code point", "无效的 Unicode 码点", "invalid Unicode code point"),
        ("control character", "字符串中有控制字符", "control character in a string"),
        ("key must be a string", "对象的键必须是字符串", "object keys must be strings"),
        ("trailing comma", "多余的逗号", "trailing comma"),
        ("trailing characters", "JSON 结束之后还有多余的内容", "text after the end of the JSON"),
        ("recursion limit exceeded", "嵌套过深", "nested too deeply"),
        (
            "data did not match any variant of untagged enum CellJson",
            "单元格应为数字、字符串（如 \"12\"、\"\"、\"/\"、\"?\"）或含 value 字段的对象",
            "a cell must be a number, a string (\"12\", \"\", \"/\", \"?\") or an object with a value field",
        ),
    ];
    if let Some((_, zh, en)) = fixed.iter().find(|(k, _, _)| what.starts_with(k)) {
        return ((*zh).to_owned(), (*en).to_owned());
    }
    if what.starts_with("missing field `format`") {
        return (
            "不是 gongkai 报告（缺少 format 字段）".to_owned(),
            "not a gongkai report (no format field)".to_owned(),
        );
    }
    if what.starts_with("missing field") {
        let f = quoted(what);
        return (format!("缺少字段 `{f}`"), format!("missing field `{f}`"));
    }
    if what.starts_with("unknown field") {
        let f = quoted(what);
        return (format!("未知字段 `{f}`"), format!("unknown field `{f}`"));
    }
    if let Some(rest) = what.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return (
            format!("类型不符：实为 {found}，应为 {expected}"),
            format!("wrong type: {found}, expected {expected}"),
        );
    }
    ("JSON 内容不符合 gongkai 报告格式".to_owned(), format!("not a gongkai JSON report: {what}"))
}

fn table_json(t: &Table, locate: &dyn Fn(Span) -> Location) -> TableJson {
    let cells = t
        .cells()
        .iter()
        .map(|c| {
            let mark = match &c.value {
                Value::NotApplicable(m) if m != "/" => Some(m.clone()),
                _ => None,
            };
            let obj = CellObject {
                value: c.value.tsv(),
                mark,
                annotation: c.annotation.clone(),
                alternatives: c.alternatives.iter().map(ToString::to_string).collect(),
                span: c.span.map(|s| [s.start, s.end]),
                at: c.span.map(locate),
            };
            (c.key.to_string(), CellJson::Full(obj))
        })
        .collect();
    TableJson { layout: t.layout().key().to_owned(), cells: CellMap(cells) }
}

/// "not a cell value", in both languages.
pub(crate) fn not_a_value(v: &str) -> Msg {
    Msg::new(format!("不是单元格取值：`{v}`"), format!("not a cell value: `{v}`"))
}

fn table_from_json(id: TableId, t: TableJson) -> Result<Table, JsonError> {
    let base = format!("tables.{id}");
    let layout = Layout::from_key(&t.layout).ok_or_else(|| {
        err(
            format!("{base}.layout"),
            Msg::new(
                format!("未知的格式 `{}`（应为 `2021` 或 `trial`）", t.layout),
                format!("unknown layout `{}` (expected `2021` or `trial`)", t.layout),
            ),
        )
    })?;
    let shape = TableLayout::get(id, layout);
    let mut table = Table::blank(id, layout);
    let mut seen = vec![false; shape.cell_count()];
    for (k, v) in t.cells.0 {
        let field = format!("{base}.cells.{k}");
        let key: CellKey =
            k.parse().map_err(|e: crate::keys::ParseKeyError| err(&field, e.words().0))?;
        let idx = shape.index_of(key).ok_or_else(|| {
            err(
                &field,
                Msg::new(
                    format!("{id} 的 {} 格式没有单元格 `{k}`", layout.key()),
                    format!("the {} layout of {id} has no cell `{k}`", layout.key()),
                ),
            )
        })?;
        if seen[idx] {
            return Err(err(&field, Msg::new("单元格重复给出", "cell given twice")));
        }
        seen[idx] = true;
        let cell = table
            .cell_mut(key)
            .ok_or_else(|| err(&field, Msg::new("没有此单元格", "no such cell")))?;
        match v {
            CellJson::Number(n) => {
                cell.value = Value::Number(n.to_string().parse::<Decimal>().map_err(|_| {
                    err(
                        &field,
                        Msg::new(format!("数值超出范围：{n}"), format!("number out of range: {n}")),
                    )
                })?);
            }
            CellJson::Text(s) => {
                cell.value = Value::from_tsv(&s).ok_or_else(|| err(&field, not_a_value(&s)))?;
            }
            CellJson::Full(o) => {
                let mut value = Value::from_tsv(&o.value)
                    .ok_or_else(|| err(format!("{field}.value"), not_a_value(&o.value)))?;
                if let (Value::NotApplicable(_), Some(m)) = (&value, o.mark) {
                    value = Value::NotApplicable(m);
                }
                cell.value = value;
                cell.annotation = o.annotation;
                cell.span = o.span.map(|[s, e]| Span::new(s, e));
                for (i, a) in o.alternatives.iter().enumerate() {
                    cell.alternatives.push(a.parse().map_err(|_| {
                        err(
                            format!("{field}.alternatives[{i}]"),
                            Msg::new(format!("不是数字：`{a}`"), format!("not a number: `{a}`")),
                        )
                    })?);
                }
            }
        }
    }
    let missing: Vec<String> =
        shape.keys().zip(&seen).filter(|(_, s)| !**s).map(|(k, _)| k.to_string()).collect();
    if let Some(first) = missing.first() {
        return Err(err(
            format!("{base}.cells"),
            Msg::new(
                format!(
                    "缺少 {} 格式的 {} 个单元格，第一个为 `{first}`（每个单元格都须给出；空白单元格写 \"\"）",
                    layout.key(),
                    missing.len()
                ),
                format!(
                    "{} cell(s) of the {} layout missing, first `{first}` (give every cell; use \"\" for a blank cell)",
                    missing.len(),
                    layout.key()
                ),
            ),
        ));
    }
    Ok(table)
}

/// The JSON Schema of [`ReportJson`], pretty-printed.
pub fn schema() -> String {
    let schema = schemars::schema_for!(ReportJson);
    serde_json::to_string_pretty(&schema).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Report {
        let mut r = Report::default();
        r.meta.agency = Some(Spanned::bare("某县人民政府".to_owned()));
        r.meta.year = Some(Spanned::bare(2024));
        r.sections.push(Section::new(SectionId::Overview, "正文"));
        r.t2 = Some(Table::filled(TableId::T2, Layout::Format2021, |k| {
            if k.to_string().ends_with("amount_wan_yuan") {
                Value::Number("7730.280".parse().unwrap_or_default())
            } else {
                Value::int(1)
            }
        }));
        r.t3 = Some(Table::filled(TableId::T3, Layout::Trial2019, |_| {
            Value::NotApplicable("—".into())
        }));
        r.t4 = Some(Table::filled(TableId::T4, Layout::Format2021, |_| Value::Unknown));
        r
    }

    #[test]
    fn round_trips_through_json() {
        let r = sample();
        let json = serde_json::to_string(&ReportJson::from_report(&r, &|_| Location::default()))
            .unwrap_or_default();
        let back = ReportJson::parse(&json).and_then(ReportJson::into_report);
        assert_eq!(back, Ok(r));
    }

    #[test]
    fn bare_values_are_accepted() {
        let mut cells = String::new();
        for (i, k) in TableLayout::get(TableId::T4, Layout::Format2021).keys().enumerate() {
            cells.push_str(&format!(
                "{}\"{k}\": {}",
                if i == 0 { "" } else { "," },
                if i % 2 == 0 { "3" } else { "\"\"" }
            ));
        }
        let json = format!(
            r#"{{"format":"gongkai-report","version":1,"tables":{{"t4":{{"layout":"2021","cells":{{{cells}}}}}}}}}"#
        );
        let r = ReportJson::parse(&json).and_then(ReportJson::into_report).expect("valid");
        let t4 = r.t4.expect("t4");
        assert_eq!(t4.cells()[0].value, Value::int(3));
        assert_eq!(t4.cells()[1].value, Value::Blank);
    }

    #[test]
    fn errors_name_the_field() {
        let json = r#"{"format":"gongkai-report","version":1,"tables":{"t4":{"layout":"2021","cells":{"t4.review.upheld":"abc"}}}}"#;
        let e = ReportJson::parse(json).and_then(ReportJson::into_report).unwrap_err();
        assert_eq!(e.field, "tables.t4.cells.t4.review.upheld");
        let json = r#"{"format":"gongkai-report","version":1,"tables":{"t4":{"layout":"2021","cells":{"t4.review.upheld":"1"}}}}"#;
        let e = ReportJson::parse(json).and_then(ReportJson::into_report).unwrap_err();
        assert_eq!(e.field, "tables.t4.cells");
        assert!(e.reason.en.contains("14 cell(s)"), "{}", e.reason.en);
        let e = ReportJson::parse(r#"{"format":"x","version":1}"#)
            .and_then(ReportJson::into_report)
            .unwrap_err();
        assert_eq!(e.field, "format");
    }

    #[test]
    fn errors_are_said_in_one_language() {
        use crate::Lang;
        let bad = [
            r#"{"format":"x","version":1}"#,
            r#"{"format":"gongkai-report","version":9}"#,
            r#"{"format":"gongkai-report","version":1,"sections":[{"id":"x","text":""}]}"#,
            r#"{"format":"gongkai-report","version":1,"tables":{"t4":{"layout":"x","cells":{}}}}"#,
            r#"{"format":"gongkai-report","version":1,"tables":{"t4":{"layout":"2021","cells":{"t4.x":"1"}}}}"#,
            r#"{"format":"gongkai-report","version":1,"tables":{"t4":{"layout":"2021","cells":{"t4.review.upheld":"abc"}}}}"#,
            r#"{"format":"gongkai-report","version":1,"tables":{"t4":{"layout":"2021","cells":{"t4.review.upheld":{"value":"abc"}}}}}"#,
            r#"{"format":"gongkai-report","version":1,"tables":{"t4":{"layout":"2021","cells":{"t4.review.upheld":{"value":"1","alternatives":["x"]}}}}}"#,
            r#"{"format":"gongkai-report","version":1,"tables":{"t4":{"layout":"2021","cells":{"t4.review.upheld":"1"}}}}"#,
        ];
        for json in bad {
            let e = ReportJson::parse(json).and_then(ReportJson::into_report).unwrap_err();
            assert!(e.detail.is_none(), "{json}");
            gongkai_testkit::lang::assert_chinese(&e.message(Lang::Zh));
            gongkai_testkit::lang::assert_english(&e.message(Lang::En));
            assert!(e.to_string().contains(" / "), "{e}");
        }
        let e = ReportJson::parse(r#"{"format":"#).unwrap_err();
        assert_eq!(
            e.message(Lang::Zh),
            "第1行第10列：文件在 JSON 结束之前就结束了（内容被截断？）"
        );
        gongkai_testkit::lang::assert_english(&e.message(Lang::En));
    }

    #[test]
    fn json_errors_say_where_and_what_in_one_language() {
        use crate::Lang;
        let cases = [
            (r#"{"format" "x"}"#, "第1行第11列：此处应为“:”", "line 1, column 11: expected `:`"),
            (
                "null",
                "不是 gongkai 报告：JSON 顶层应为对象（{…}），实为null",
                "not a gongkai report: the JSON is null, not an object ({…})",
            ),
            (
                "[]",
                "不是 gongkai 报告：JSON 顶层应为对象（{…}），实为数组",
                "not a gongkai report: the JSON is an array, not an object ({…})",
            ),
            (
                "{}",
                "不是 gongkai 报告（没有 format 字段）",
                "not a gongkai report (no format field)",
            ),
            (
                r#"{"name": "x"}"#,
                "不是 gongkai 报告（没有 format 字段）",
                "not a gongkai report (no format field)",
            ),
            (
                r#"{"format":"gongkai-report","version":1,"tables":{"t4":{"layout":"2021","cells":{"t4.review.upheld":[7]}}}}"#,
                "第1行第103列：单元格应为数字、字符串（如 \"12\"、\"\"、\"/\"、\"?\"）或含 value 字段的对象",
                "line 1, column 103: a cell must be a number, a string (\"12\", \"\", \"/\", \"?\") or an object with a value field",
            ),
        ];
        for (json, zh, en) in cases {
            let e = ReportJson::parse(json).unwrap_err();
            assert_eq!(e.message(Lang::Zh), zh, "{json}");
            assert_eq!(e.message(Lang::En), en, "{json}");
            assert!(!e.message(Lang::Zh).contains("untagged"), "{json}");
        }
    }
}
