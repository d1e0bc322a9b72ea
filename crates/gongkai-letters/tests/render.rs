//! Letters written as DOCX and PDF: the DOCX read back by gongkai's own DOCX reader and the PDF's
//! text (pdftotext, poppler-utils) hold the title, the recipient, every paragraph and the
//! signature — of the letter as edited, not as generated.
#![allow(clippy::unwrap_used, reason = "tests")]

mod support;

use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use gongkai_calendar::date;
use gongkai_cases::{CaseEvent, Outcome};
use gongkai_letters::{Letter, LetterKind, build, render};
use gongkai_model::Lang;
use gongkai_render::{FontSet, OutputFormat, RenderError, Renderer};
use support::{case, facts, personal};

/// The fonts of the Debian packages `fonts-noto-cjk` and `fonts-arphic-ukai`, as in
/// gongkai-render's tests.
const TEST_FONTS: &[&str] = &[
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/truetype/arphic/ukai.ttc",
];

fn renderer() -> &'static Renderer {
    static R: OnceLock<Renderer> = OnceLock::new();
    R.get_or_init(|| {
        let paths: Vec<PathBuf> = TEST_FONTS.iter().map(PathBuf::from).collect();
        Renderer::new(FontSet::from_paths(&paths))
    })
}

/// A reply, edited by the clerk: a number, another paragraph, a changed sentence.
fn edited(lang: Lang) -> Letter {
    let c = case(vec![CaseEvent::Replied { on: date(2025, 3, 25), outcome: Outcome::GRANTED }]);
    let p = personal();
    let mut l = build(LetterKind::Reply, &facts(&c, Some(&p), date(2025, 3, 25)), lang).unwrap();
    l.doc_number = "某自然资源公开〔2025〕12号".into();
    l.paragraphs.push("联系人：王五，联系电话：0000-0000000。".into());
    l
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn expected(l: &Letter) -> Vec<String> {
    let mut all = vec![l.title.clone(), l.doc_number.clone(), l.recipient.clone()];
    all.extend(l.paragraphs.iter().cloned());
    all.extend(l.signature.iter().cloned());
    all
}

#[test]
fn docx_reads_back_with_every_paragraph() {
    for lang in [Lang::Zh, Lang::En] {
        let l = edited(lang);
        let out = render(renderer(), &l, OutputFormat::Docx).unwrap();
        let doc =
            gongkai_read_docx::read("letter.docx", &out.bytes, &gongkai_doc::Limits::default())
                .unwrap();
        for want in expected(&l) {
            assert!(doc.text.contains(&want), "{want:?} not in\n{}", doc.text);
        }
    }
}

#[test]
fn pdf_text_holds_every_paragraph() {
    let l = edited(Lang::Zh);
    let out = render(renderer(), &l, OutputFormat::Pdf).unwrap();
    assert_eq!(out.pages, Some(1));
    let mut child = Command::new("pdftotext")
        .args(["-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("pdftotext (install poppler-utils)");
    child.stdin.take().unwrap().write_all(&out.bytes).unwrap();
    let text = String::from_utf8(child.wait_with_output().unwrap().stdout).unwrap();
    let text = squeeze(&text);
    for want in expected(&l) {
        assert!(text.contains(&squeeze(&want)), "{want:?} not in\n{text}");
    }
}

#[test]
fn other_formats_are_refused() {
    let l = edited(Lang::Zh);
    let e = render(renderer(), &l, OutputFormat::Xlsx).unwrap_err();
    assert!(matches!(e, RenderError::Unsupported(OutputFormat::Xlsx)), "{e}");
}
