//! Tidy checks of the catalogue: every id is documented, unique, and documented fully.

use std::path::Path;

use gongkai_rules::{Scope, catalogue, lookup};

fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push((p.display().to_string(), std::fs::read_to_string(&p).unwrap_or_default()));
        }
    }
}

#[test]
fn every_reader_id_used_in_the_code_is_documented() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&crates).expect("crates dir").flatten() {
        sources(&entry.path().join("src"), &mut files);
    }
    let re = regex::Regex::new(r#""(READ-[A-Z0-9-]*[A-Z0-9])""#).expect("pattern");
    let mut missing = Vec::new();
    for (path, text) in &files {
        for c in re.captures_iter(text) {
            let id = &c[1];
            if lookup(id).is_none() {
                missing.push(format!("{id} ({path})"));
            }
        }
    }
    assert!(missing.is_empty(), "undocumented finding ids: {missing:?}");
}

/// Reader findings are made only from their declaration in `gongkai_doc::findings`
/// (`ReaderFinding::finding`), which fixes their severity: no code builds one by hand.
#[test]
fn reader_findings_are_built_from_their_declaration() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&crates).expect("crates dir").flatten() {
        sources(&entry.path().join("src"), &mut files);
    }
    let re = regex::Regex::new(r#"Finding::new\(\s*"READ-"#).expect("pattern");
    let by_hand: Vec<&str> =
        files.iter().filter(|(_, text)| re.is_match(text)).map(|(p, _)| p.as_str()).collect();
    assert!(by_hand.is_empty(), "reader findings built by hand in {by_hand:?}");
    assert!(files.len() > 100, "the sources were not found");
}

#[test]
fn ids_are_unique_and_documented_fully() {
    let all = catalogue();
    for (i, r) in all.iter().enumerate() {
        assert!(all[i + 1..].iter().all(|o| o.id != r.id), "{} twice", r.id);
        assert!(
            r.id.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-'),
            "{}",
            r.id
        );
        let (zh, en): (&[&str], &[&str]) = match r.scope {
            Scope::Reader => (&["## 含义"], &["## Meaning"]),
            _ => (
                &["## 检查内容", "## 原因", "## 示例"],
                &["## What it checks", "## Why it matters", "## Example"],
            ),
        };
        for h in zh {
            assert!(r.doc_zh.contains(h), "{} lacks `{h}`", r.id);
        }
        for h in en {
            assert!(r.doc_en.contains(h), "{} lacks `{h}`", r.id);
        }
        assert!(!r.title_zh.is_empty() && !r.title_en.is_empty(), "{}", r.id);
    }
}
