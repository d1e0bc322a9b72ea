//! File names as people upload them: only ever shown (and used to detect a format), never used as
//! paths.

/// The longest file name kept, in characters.
pub const MAX_FILE_NAME_CHARS: usize = 200;

/// A file name fit to show: its last path component (after `/` or `\`), without control
/// characters, trimmed, at most [`MAX_FILE_NAME_CHARS`] characters; `unnamed` when nothing is
/// left. It is only ever shown, never used as a path.
///
/// ```
/// use gongkai_model::file_name::sanitise_file_name;
/// assert_eq!(sanitise_file_name("../../etc/passwd"), "passwd");
/// assert_eq!(sanitise_file_name("..."), "unnamed");
/// ```
pub fn sanitise_file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = last.chars().filter(|c| !c.is_control()).collect();
    let clean = clean.trim().trim_start_matches('.').trim();
    let kept: String = clean.chars().take(MAX_FILE_NAME_CHARS).collect();
    if kept.is_empty() { "unnamed".to_owned() } else { kept }
}
