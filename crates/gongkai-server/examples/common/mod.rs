//! What the seeding and benchmark examples share: where their store is.

use std::path::Path;

use anyhow::Context as _;
use gongkai_store::Store;

/// Whether an argument names a database (`postgres://…`, `sqlite:…`) rather than a data directory
/// or a number.
pub fn is_database_url(arg: &str) -> bool {
    arg.contains("://") || arg.starts_with("sqlite:")
}

/// The leading database URL of `args`, if there is one, and the arguments after it.
#[allow(dead_code, reason = "not every example takes an optional URL")]
pub fn leading_url(args: &[String]) -> (Option<String>, &[String]) {
    match args.split_first() {
        Some((first, rest)) if is_database_url(first) => (Some(first.clone()), rest),
        _ => (None, args),
    }
}

/// Opens `target`: a database URL, else a data directory (created when missing).
#[allow(dead_code, reason = "not every example opens a named target")]
pub async fn open_target(target: &str) -> anyhow::Result<Store> {
    if is_database_url(target) {
        return Ok(Store::open(target).await?);
    }
    std::fs::create_dir_all(target).with_context(|| format!("creating {target}"))?;
    Ok(Store::open_data_dir(Path::new(target)).await?)
}
