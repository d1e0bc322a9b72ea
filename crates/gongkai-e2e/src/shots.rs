//! Screenshots of the pages a person sees.
//!
//! Every browser test saves its screenshots; they are written to `docs/images/` of the
//! repository when `GONGKAI_SCREENSHOTS=update` is set (the README shows them), and to a
//! temporary directory otherwise, so that taking them is exercised on every run without
//! changing the working tree.

use std::path::PathBuf;
use std::sync::OnceLock;

use anyhow::Context as _;

use crate::Browser;

/// Where screenshots go in this run.
fn dir() -> anyhow::Result<&'static PathBuf> {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    if let Some(d) = DIR.get() {
        return Ok(d);
    }
    let d = if std::env::var("GONGKAI_SCREENSHOTS").as_deref() == Ok("update") {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/images")
    } else {
        std::env::temp_dir().join("gongkai-e2e-screenshots")
    };
    std::fs::create_dir_all(&d).with_context(|| format!("creating {}", d.display()))?;
    Ok(DIR.get_or_init(|| d))
}

/// Saves the current page of `browser` as `<name>.png` and checks it is a PNG.
///
/// # Errors
/// When the screenshot cannot be taken or written, or is not a PNG.
pub async fn save(browser: &Browser, name: &str) -> anyhow::Result<()> {
    let path = dir()?.join(format!("{name}.png"));
    browser.screenshot(&path).await?;
    let bytes = std::fs::read(&path)?;
    anyhow::ensure!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "{} is not a PNG", path.display());
    Ok(())
}
