//! Command-line argument errors in the chosen language: clap's error kinds and context said in our
//! words (Chinese by default, English with `--lang en`), never clap's English template alone.
//! Help and version output are clap's own.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use gongkai_model::Lang;

/// The language asked for on the command line (`--lang en`, `--lang=en`), read before clap parses
/// it, so that an argument error can be said in it.
pub(crate) fn lang_of(args: &[std::ffi::OsString]) -> Lang {
    let mut it = args.iter().filter_map(|a| a.to_str());
    while let Some(a) = it.next() {
        if let Some(v) = a.strip_prefix("--lang=") {
            return Lang::from_tag(v).unwrap_or_default();
        }
        if a == "--lang" {
            return it.next().and_then(Lang::from_tag).unwrap_or_default();
        }
    }
    Lang::default()
}

/// The message for an argument error, or `None` for help and version output (printed as clap
/// prints them).
pub(crate) fn message(e: &clap::Error, lang: Lang) -> Option<String> {
    let get = |k| match e.get(k) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        Some(ContextValue::StyledStrs(v)) => {
            v.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
        }
        Some(ContextValue::Number(n)) => n.to_string(),
        Some(ContextValue::Bool(b)) => b.to_string(),
        _ => String::new(),
    };
    let zh = lang == Lang::Zh;
    let arg = get(ContextKind::InvalidArg);
    let value = get(ContextKind::InvalidValue);
    let text = match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => return None,
        ErrorKind::UnknownArgument if zh => format!("不认识的参数 {arg}"),
        ErrorKind::UnknownArgument => format!("unknown argument {arg}"),
        ErrorKind::InvalidSubcommand if zh => {
            format!("没有子命令 {}", get(ContextKind::InvalidSubcommand))
        }
        ErrorKind::InvalidSubcommand => {
            format!("no subcommand {}", get(ContextKind::InvalidSubcommand))
        }
        ErrorKind::MissingSubcommand if zh => "缺少子命令".to_owned(),
        ErrorKind::MissingSubcommand => "a subcommand is required".to_owned(),
        ErrorKind::MissingRequiredArgument if zh => format!("缺少必需的参数 {arg}"),
        ErrorKind::MissingRequiredArgument => format!("missing required argument {arg}"),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let valid = get(ContextKind::ValidValue);
            match (zh, valid.is_empty()) {
                (true, true) => format!("参数 {arg} 的值「{value}」无效"),
                (true, false) => format!("参数 {arg} 的值「{value}」无效（可选：{valid}）"),
                (false, true) => format!("invalid value `{value}` for {arg}"),
                (false, false) => {
                    format!("invalid value `{value}` for {arg} (possible values: {valid})")
                }
            }
        }
        ErrorKind::ArgumentConflict if zh => {
            format!("参数 {arg} 不能与 {} 同用", get(ContextKind::PriorArg))
        }
        ErrorKind::ArgumentConflict => {
            format!("{arg} cannot be used with {}", get(ContextKind::PriorArg))
        }
        ErrorKind::NoEquals if zh => format!("参数 {arg} 须以“=”给出值"),
        ErrorKind::NoEquals => format!("{arg} needs its value after `=`"),
        ErrorKind::TooManyValues | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues
            if zh =>
        {
            format!("参数 {arg} 的值个数不对")
        }
        ErrorKind::TooManyValues | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("wrong number of values for {arg}")
        }
        _ if zh => "命令行参数有误".to_owned(),
        _ => "invalid command-line arguments".to_owned(),
    };
    let hint = if zh { "（gongkai --help 查看用法）" } else { " (see gongkai --help)" };
    Some(format!("gongkai: {text}{hint}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser as _;

    #[derive(clap::Parser, Debug)]
    struct T {
        #[arg(long, value_parser = ["zh", "en"])]
        lang: Option<String>,
        #[arg(long)]
        year: Option<i16>,
        file: String,
    }

    fn error(args: &[&str], lang: Lang) -> Option<String> {
        let e = T::try_parse_from(std::iter::once("t").chain(args.iter().copied()))
            .expect_err("an argument error");
        message(&e, lang)
    }

    #[test]
    fn errors_are_said_in_our_words() {
        insta::assert_snapshot!(
            error(&["a", "--nope"], Lang::Zh).unwrap_or_default(),
            @"gongkai: 不认识的参数 --nope（gongkai --help 查看用法）"
        );
        insta::assert_snapshot!(
            error(&[], Lang::Zh).unwrap_or_default(),
            @"gongkai: 缺少必需的参数 <FILE>（gongkai --help 查看用法）"
        );
        insta::assert_snapshot!(
            error(&["a", "--lang", "fr"], Lang::Zh).unwrap_or_default(),
            @"gongkai: 参数 --lang <LANG> 的值「fr」无效（可选：zh, en）（gongkai --help 查看用法）"
        );
        insta::assert_snapshot!(
            error(&["a", "--year", "x"], Lang::En).unwrap_or_default(),
            @"gongkai: invalid value `x` for --year <YEAR> (see gongkai --help)"
        );
        assert_eq!(error(&["--help"], Lang::Zh), None);
    }

    #[test]
    fn the_language_is_read_before_parsing() {
        let os = |v: &[&str]| v.iter().map(std::ffi::OsString::from).collect::<Vec<_>>();
        assert_eq!(lang_of(&os(&["gongkai", "check", "--lang", "en", "--x"])), Lang::En);
        assert_eq!(lang_of(&os(&["gongkai", "--lang=en"])), Lang::En);
        assert_eq!(lang_of(&os(&["gongkai", "check"])), Lang::Zh);
    }
}
