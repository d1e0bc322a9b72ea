//! The README tells the truth: its sample output is what `gongkai` prints for that command.

mod common;

use common::{gongkai, root};

/// The README's sample: the arguments after `$ gongkai ` and the lines up to the closing fence.
fn sample() -> (Vec<String>, String) {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let block = readme
        .split("```text\n")
        .find(|b| b.starts_with("$ gongkai check "))
        .expect("a sample block in the README");
    let block = block.split("```").next().unwrap_or_default();
    let (command, output) = block.split_once('\n').expect("a command line");
    let args = command.trim_start_matches("$ gongkai ").split_whitespace().map(str::to_owned);
    (args.collect(), output.to_owned())
}

#[test]
fn the_sample_output_in_the_readme_is_the_real_output() {
    let (mut args, expected) = sample();
    args.extend(["--color".to_owned(), "never".to_owned()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (_, stdout, _) = gongkai(&args);
    assert_eq!(stdout, expected, "README.md's sample differs from the real output");
}
