//! What the CLI tests share: the workspace root and running `gongkai` from it.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The workspace root (paths in the tests and their snapshots are relative to it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("workspace root")
}

/// Runs `gongkai args…` in the workspace root: exit code, stdout, stderr.
pub fn gongkai(args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("gongkai")
        .expect("binary")
        .current_dir(root())
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
