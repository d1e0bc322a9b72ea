//! The agency's disclosure guide (政府信息公开指南, 条例第十二条), for everyone:
//! `GET /agencies/{id}/guide` — how its information is classified and catalogued (the column's
//! 主题分类 and years, the 索引号), how to obtain what it discloses proactively (the column, its
//! search and feed, the publication channels, the published annual reports), how to apply for the
//! rest (第二十七条至第三十三条: the channels an application may come by, each with the contact it
//! needs and the day it counts as received, what an application contains, the reply deadline),
//! the disclosure office's name, address, hours, phone, fax, web and e-mail, and the remedies
//! (第五十一条).
//!
//! The contact details (and the catalogue code of the 索引号) are the agency's own:
//! `GET /agencies/{id}/guide/edit` and `POST /agencies/{id}/guide/edit` (CSRF-checked like every
//! form; staff allowed to edit the registers), stored by [`gongkai_store::Store::save_guide`].

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_register::vocab::{CHANNELS, ChannelKind, PUBLISH_CHANNELS};
use gongkai_store::{ColumnQuery, Guide, OrgId};

use super::column::{agency, public_chrome};
use super::{Access, Route};
use crate::auth::{self, Actor, CsrfToken, MaybeActor, Origin};
use crate::error::AppError;
use crate::i18n::{Lang, Ui, pick};
use crate::page::{self, Chrome, Nav};
use crate::policy::{self, Action};
use crate::state::AppState;
use crate::texts;

/// The routes.
pub fn routes() -> Vec<Route> {
    let edit = Access::Agency(Action::EditRegisters);
    vec![
        Route::get("/agencies/{id}/guide", Access::Public, guide),
        Route::get("/agencies/{id}/guide/edit", edit, form),
        Route::post("/agencies/{id}/guide/edit", edit, save),
    ]
}

/// No API paths.
#[derive(utoipa::OpenApi)]
pub struct Api;

texts! {
    /// The guide's texts.
    pub struct GuideText {
        title: "政府信息公开指南" | "Guide to government information disclosure",
        intro: "为便于公民、法人和其他组织获取本机关的政府信息，根据《中华人民共和国政府信息公开条例》第十二条编制本指南。" | "This guide helps citizens, legal persons and other organisations obtain this agency's government information; it is made under Article 12 of the Regulations on the Disclosure of Government Information.",
        s1: "一、政府信息的分类与编排体系" | "1. How the information is classified and catalogued",
        s1_text: "本机关主动公开的政府信息（条例第十九条、第二十条）编入政府信息公开目录，按主题分类和公开年份编排。目录列明每条信息的索引号、名称、主题分类、发布机构、成文日期、公开日期、文号和时效。索引号由机关代码、公开年份和顺序号组成，格式为" | "The information this agency discloses proactively (Articles 19 and 20) is listed in its catalogue, arranged by subject and by the year of publication. The catalogue gives each item's index number, title, subject, issuing body, date written, date published, document number and validity. An index number is made of the agency's code, the year of publication and a serial number:",
        s1_subjects: "目前的主题分类：" | "Subjects in the catalogue now: ",
        s1_none: "目录中尚无信息。" | "The catalogue holds no item yet.",
        s2: "二、主动公开政府信息的获取方式" | "2. How to obtain the information disclosed proactively",
        s2_column: "按主题分类、年份浏览，按关键词检索全文，查看和下载全文及附件。" | "browse by subject and year, search the full text, read and download texts and attachments.",
        s2_feed: "用阅读器订阅专栏的新信息。" | "follow new items with a feed reader.",
        colon: "：" | ": ",
        sep: "、" | ", ",
        missing: "（未提供）" | " (not given)",
        s2_channels: "本机关还通过以下渠道发布政府信息（条例第二十三条）：" | "The agency also publishes through these channels (Article 23): ",
        s2_reports: "政府信息公开工作年度报告：" | "Annual reports on government information disclosure: ",
        s2_no_reports: "尚未发布年度报告。" | "No annual report is published yet.",
        s3: "三、依申请公开" | "3. Applying for information",
        s3_who: "除主动公开的政府信息外，公民、法人或者其他组织可以向本机关申请获取相关政府信息（条例第二十七条）。申请应当向本机关的政府信息公开工作机构提出，采用包括信件、数据电文在内的书面形式；采用书面形式确有困难的，可以口头提出，由工作机构代为填写申请（第二十九条）。" | "Beyond what is disclosed proactively, citizens, legal persons and other organisations may apply to this agency for government information (Article 27). An application goes to the agency's disclosure office in writing, by letter or electronically; whoever cannot write may apply orally and the office fills in the application (Article 29).",
        s3_contents: "申请应当包括：申请人的姓名或者名称、身份证明、联系方式；申请公开的政府信息的名称、文号或者便于行政机关查询的其他特征性描述；申请公开的政府信息的形式要求，包括获取信息的方式、途径（第二十九条）。" | "An application gives: the applicant's name, proof of identity and contact details; the name, document number or another description of the information that lets the agency find it; the form wanted, including how and where to receive it (Article 29).",
        s3_channels: "提交申请的方式" | "Ways to apply",
        channel: "方式" | "Way",
        where_to: "提交至" | "Where",
        received: "收到申请之日" | "Received on",
        s3_deadline: "本机关收到申请，能够当场答复的，当场予以答复；不能当场答复的，自收到申请之日起20个工作日内予以答复；需要延长答复期限的，经政府信息公开工作机构负责人同意并告知申请人，延长的期限最长不得超过20个工作日（第三十三条）。申请公开政府信息原则上不收取费用；申请数量、频次明显超过合理范围的，可以收取信息处理费（第四十二条）。" | "The agency replies on the spot when it can, otherwise within 20 working days of receiving the application; the head of the disclosure office may extend this by at most 20 working days, telling the applicant (Article 33). Applications are free in principle; an information processing fee may be charged when their number or frequency clearly exceeds a reasonable range (Article 42).",
        s4: "四、政府信息公开工作机构" | "4. The disclosure office",
        office: "机构名称" | "Office",
        address: "办公地址" | "Address",
        hours: "办公时间" | "Office hours",
        phone: "联系电话" | "Telephone",
        fax: "传真号码" | "Fax",
        website: "网址" | "Website",
        email: "电子邮箱" | "E-mail",
        code: "机关代码（索引号前缀）" | "Agency code (index number prefix)",
        code_note: "如统一社会信用代码；不填则由系统按行政区划代码生成。修改后，已公开信息的索引号前缀随之改变，顺序号不变。" | "E.g. the unified social credit code; left empty, one is made from the region code. A change moves the prefix of every index number; the serials stay.",
        not_given: "（未提供）" | "(not given)",
        s5: "五、监督和救济" | "5. Supervision and remedies",
        s5_text: "公民、法人或者其他组织认为本机关在政府信息公开工作中侵犯其合法权益的，可以向上一级行政机关或者政府信息公开工作主管部门投诉、举报，也可以依法申请行政复议或者提起行政诉讼（条例第五十一条）。" | "Citizens, legal persons and other organisations who consider that this agency's disclosure work infringes their lawful rights may complain to the administrative body above it or to the authority in charge of disclosure work, or apply for administrative reconsideration or bring an administrative lawsuit (Article 51).",
        s5_office: "本机关政府信息公开工作的主管部门：" | "The authority in charge of this agency's disclosure work: ",
        column: "信息公开专栏" | "Disclosure column",
        feed: "订阅更新（Atom）" | "Updates (Atom)",
        edit: "编辑指南中的联系方式" | "Edit the guide's contact details",
        edit_title: "编辑政府信息公开指南" | "Edit the disclosure guide",
        edit_intro: "以下信息显示在本机关公开的政府信息公开指南中（条例第十二条）。" | "These details appear in the agency's public disclosure guide (Article 12).",
        save: "保存" | "Save",
        cancel: "取消" | "Cancel",
        errors: "请改正以下问题：" | "Please correct these problems:",
        on_the_spot: "提交之日" | "the day it is handed in",
        signed: "签收之日" | "the day it is signed for",
        confirmed: "双方确认之日" | "the day both sides confirm it",
        oral: "记录之日" | "the day it is written down",
        at_office: "政府信息公开工作机构办公地址" | "the disclosure office's address",
        by_fax: "传真号码" | "the fax number",
        online_at: "网址或电子邮箱" | "the website or e-mail address",
    }
}

/// A contact line: label and value (or “not given”).
#[derive(Debug)]
struct Contact {
    id: &'static str,
    label: &'static str,
    value: String,
    link: Option<String>,
}

/// A way to apply.
#[derive(Debug)]
struct Way {
    label: String,
    to: String,
    received: &'static str,
}

#[derive(Template)]
#[template(path = "guide.html")]
struct GuidePage {
    chrome: Chrome,
    t: GuideText,
    agency: String,
    column: String,
    feed: String,
    index_example: String,
    subjects: Vec<String>,
    channels: String,
    reports: Vec<(String, String)>,
    ways: Vec<Way>,
    contacts: Vec<Contact>,
    office: Option<String>,
    edit: Option<String>,
}

/// A guide field's label.
fn label(t: GuideText, key: &str) -> &'static str {
    match key {
        "code" => t.code,
        "office" => t.office,
        "address" => t.address,
        "hours" => t.hours,
        "phone" => t.phone,
        "fax" => t.fax,
        "website" => t.website,
        _ => t.email,
    }
}

/// Where an application by `kind` goes, from the guide's details, and the day it counts as
/// received (第三十一条).
fn way(t: GuideText, g: &Guide, kind: ChannelKind) -> (String, &'static str) {
    let or = |v: &str, what: &str| {
        if v.is_empty() { format!("{what}{}", t.missing) } else { v.to_owned() }
    };
    match kind {
        ChannelKind::InPerson => (or(&g.address, t.at_office), t.on_the_spot),
        ChannelKind::Oral => (or(&g.address, t.at_office), t.oral),
        ChannelKind::Post => (or(&g.address, t.at_office), t.signed),
        ChannelKind::Letter => (or(&g.address, t.at_office), t.confirmed),
        ChannelKind::Fax => (or(&g.fax, t.by_fax), t.confirmed),
        ChannelKind::Online => {
            let both: Vec<&str> =
                [g.website.as_str(), g.email.as_str()].into_iter().filter(|s| !s.is_empty()).collect();
            (or(&both.join("，"), t.online_at), t.confirmed)
        }
    }
}

async fn guide(
    State(state): State<AppState>,
    Ui(lang): Ui,
    csrf: CsrfToken,
    MaybeActor(actor): MaybeActor,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let org = agency(&state, id).await?;
    let t = GuideText::of(lang);
    let g = state.store.guide(org.id).await?;
    let code = state.store.column_code(org.id).await?;
    let column = state.store.column(org.id, &ColumnQuery { per_page: 1, ..ColumnQuery::default() }).await?;
    let mut years: Vec<i16> =
        state.store.report_versions(org.id).await?.iter().map(|v| v.year).collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    let office = match org.parent {
        Some(p) => state.store.org(p).await?.map(|o| o.name),
        None => None,
    };
    let contacts = g
        .fields()
        .into_iter()
        .filter(|(k, _)| *k != "code")
        .map(|(key, value)| Contact {
            id: key,
            label: label(t, key),
            value: if value.is_empty() { t.not_given.to_owned() } else { value.to_owned() },
            link: match key {
                "website" if !value.is_empty() => Some(value.to_owned()),
                "email" if !value.is_empty() => Some(format!("mailto:{value}")),
                _ => None,
            },
        })
        .collect();
    let ways = CHANNELS
        .choices
        .iter()
        .map(|(labels, en, kind)| {
            let (to, received) = way(t, &g, *kind);
            let zh = labels.first().copied().unwrap_or_default();
            Way { label: pick(lang, zh, en).to_owned(), to, received }
        })
        .collect();
    let channels = PUBLISH_CHANNELS
        .choices
        .iter()
        .map(|(labels, en, _)| pick(lang, labels.first().copied().unwrap_or_default(), en))
        .collect::<Vec<_>>()
        .join(pick(lang, "、", ", "));
    // The edit link for those who may edit.
    let edit = match &actor {
        Some(a) => policy::agency(&state, a, Action::EditRegisters, org.id)
            .await
            .ok()
            .map(|_| format!("/agencies/{id}/guide/edit")),
        None => None,
    };
    let title = format!("{} · {}", t.title, org.name);
    let path = format!("/agencies/{id}/guide");
    let chrome = public_chrome(&state, lang, &csrf, actor.as_ref(), &org, &title, &path).await?;
    let page = GuidePage {
        chrome,
        t,
        agency: org.name.clone(),
        column: format!("/agencies/{id}/column"),
        feed: format!("/agencies/{id}/column.atom"),
        index_example: gongkai_store::column::index_no(&code, 2025, 1),
        subjects: column.subjects.iter().map(|(s, _)| s.clone()).filter(|s| !s.is_empty()).collect(),
        channels,
        reports: years
            .into_iter()
            .map(|y| {
                let label = match lang {
                    Lang::Zh => format!("{y}年"),
                    Lang::En => y.to_string(),
                };
                (label, format!("/agencies/{id}/reports/{y}"))
            })
            .collect(),
        ways,
        contacts,
        office,
        edit,
    };
    Ok(page::render(&page)?.into_response())
}

/// One input of the edit form.
#[derive(Debug)]
struct Input {
    name: &'static str,
    label: &'static str,
    value: String,
    kind: &'static str,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "guide_edit.html")]
struct EditPage {
    chrome: Chrome,
    t: GuideText,
    action: String,
    back: String,
    inputs: Vec<Input>,
    errors: Vec<String>,
}

async fn edit_page(
    state: &AppState,
    lang: Lang,
    csrf: &CsrfToken,
    actor: &Actor,
    id: OrgId,
    g: &Guide,
    problems: &[(&'static str, gongkai_model::Msg)],
) -> Result<EditPage, AppError> {
    let scope = policy::agency(state, actor, Action::EditRegisters, id).await?;
    let t = GuideText::of(lang);
    let orgs = page::orgs_of(state, actor).await?;
    let path = format!("/agencies/{}/guide/edit", id.0);
    let chrome = Chrome::new(
        lang,
        format!("{} · {}", t.edit_title, scope.org().name),
        csrf,
        &path,
        Some((actor, &orgs)),
        Some(scope.org()),
        Nav::Registers,
    );
    let inputs = g
        .fields()
        .into_iter()
        .map(|(name, value)| Input {
            name,
            label: label(t, name),
            value: value.to_owned(),
            kind: match name {
                "phone" | "fax" => "tel",
                "website" => "url",
                "email" => "email",
                _ => "text",
            },
            error: problems
                .iter()
                .filter(|(k, _)| *k == name)
                .map(|(_, m)| m.get(lang).to_owned())
                .reduce(|a, b| format!("{a}；{b}")),
        })
        .collect();
    Ok(EditPage {
        chrome,
        t,
        action: path,
        back: format!("/agencies/{}/guide", id.0),
        inputs,
        errors: problems.iter().map(|(k, m)| format!("{}：{}", label(t, k), m.get(lang))).collect(),
    })
}

async fn form(
    State(state): State<AppState>,
    Ui(lang): Ui,
    csrf: CsrfToken,
    actor: Actor,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let scope = policy::agency(&state, &actor, Action::EditRegisters, OrgId(id)).await?;
    let g = state.store.guide(scope.id()).await?;
    let page = edit_page(&state, lang, &csrf, &actor, scope.id(), &g, &[]).await?;
    Ok(page::render(&page)?.into_response())
}

async fn save(
    State(state): State<AppState>,
    Ui(lang): Ui,
    csrf: CsrfToken,
    actor: Actor,
    origin: Origin,
    Path(id): Path<i64>,
    Form(values): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let scope = policy::agency(&state, &actor, Action::EditRegisters, OrgId(id)).await?;
    let get = |k: &str| {
        values.iter().find(|(n, _)| n == k).map(|(_, v)| v.trim().to_owned()).unwrap_or_default()
    };
    let g = Guide {
        code: get("code").to_ascii_uppercase(),
        office: get("office"),
        address: get("address"),
        hours: get("hours"),
        phone: get("phone"),
        fax: get("fax"),
        website: get("website"),
        email: get("email"),
    };
    let problems = g.problems();
    if !problems.is_empty() {
        let page = edit_page(&state, lang, &csrf, &actor, scope.id(), &g, &problems).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page::render(&page)?).into_response());
    }
    let ctx = auth::ctx(&state, Some(actor.user.id), &origin);
    state.store.save_guide(&ctx, scope.id(), &g).await?;
    Ok(Redirect::to(&format!("/agencies/{id}/guide")).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_text_is_empty() {
        assert!(GuideText::ALL.iter().all(|(zh, en)| !zh.is_empty() && !en.is_empty()));
    }

    #[test]
    fn every_way_to_apply_names_where_and_when() {
        let t = GuideText::of(Lang::Zh);
        let g = Guide { fax: "0571-7654321".into(), email: "gk@example.gov.cn".into(), ..Guide::default() };
        assert_eq!(way(t, &g, ChannelKind::Fax), ("0571-7654321".to_owned(), "双方确认之日"));
        assert_eq!(way(t, &g, ChannelKind::Online).0, "gk@example.gov.cn");
        assert_eq!(way(t, &g, ChannelKind::Post).0, "政府信息公开工作机构办公地址（未提供）");
    }
}
