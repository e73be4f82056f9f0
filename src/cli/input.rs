//! The one reader of every file the CLI reads (scenario TOML, answers file, HPA manifest,
//! load CSV): bounded in size, UTF-8 checked, and every refusal names the file.
//!
//! ```text
//!   path ──read (≤ MAX_INPUT_BYTES)──▶ bytes ──UTF-8?──▶ text (not blank) ──▶ the file's parser
//!          missing / too big            └─ PATH:LINE: invalid UTF-8 at byte N
//! ```

use std::io::Read as _;

/// Most bytes an input file may hold [bytes] (64 MiB): a million-row load curve is about
/// 15 MB, a scenario or a manifest a few kB; past this the file is not one of ours.
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// Reads `path` as UTF-8 text for a parser. `expected` says in a few words what the file should
/// hold ("an HPA manifest (YAML or JSON)"); refusals name the file and say it:
/// - `the file name is empty ("…"); expected the path of …` (an empty argument)
/// - `PATH: no such file; expected …`
/// - `PATH: N bytes; an input file may hold at most 64 MiB`
/// - `PATH:LINE: invalid UTF-8 at byte offset OFFSET (0-based) (byte COL of the line); save the file as UTF-8`
/// - `PATH: the file is empty; expected …` (nothing but white space or a byte-order mark).
pub fn read_text(path: &str, expected: &str) -> Result<String, String> {
    if path.trim().is_empty() {
        return Err(format!(
            "the file name is empty (\"{path}\"); expected the path of {expected}"
        ));
    }
    let file = std::fs::File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => format!("{path}: no such file; expected {expected}"),
        _ => format!("{path}: cannot read: {e}"),
    })?;
    let mut bytes = Vec::new();
    file.take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{path}: cannot read: {e}"))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(format!(
            "{path}: more than {} MiB; an input file may hold at most {} MiB",
            MAX_INPUT_BYTES >> 20,
            MAX_INPUT_BYTES >> 20
        ));
    }
    text_of(path, bytes, expected)
}

/// The text of `bytes` read from `path`, checked as [`read_text`] does (UTF-8, not blank).
pub fn text_of(path: &str, bytes: Vec<u8>, expected: &str) -> Result<String, String> {
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let before = &e.as_bytes()[..at];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        format!(
            "{path}:{line}: invalid UTF-8 at byte offset {at} (byte {} of the line); save the file as UTF-8",
            at - line_start + 1
        )
    })?;
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        return Err(format!("{path}: the file is empty; expected {expected}"));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_file_name_says_so() {
        let e = read_text("", "an HPA manifest (YAML or JSON)").unwrap_err();
        assert!(e.starts_with("the file name is empty"), "{e}");
        assert!(e.contains("an HPA manifest"), "{e}");
    }

    #[test]
    fn invalid_utf8_gives_line_and_byte() {
        let e = text_of("f.csv", b"t_s,cpu_m\n0,1\n1,\xff2\n".to_vec(), "x").unwrap_err();
        assert_eq!(
            e,
            "f.csv:3: invalid UTF-8 at byte offset 16 (byte 3 of the line); save the file as UTF-8"
        );
    }

    #[test]
    fn blank_and_missing_files_name_the_file_and_what_was_expected() {
        let e = text_of("a.toml", b"\xef\xbb\xbf \n\n".to_vec(), "answers").unwrap_err();
        assert_eq!(e, "a.toml: the file is empty; expected answers");
        let e = read_text("/no/such/file.yaml", "an HPA manifest").unwrap_err();
        assert_eq!(
            e,
            "/no/such/file.yaml: no such file; expected an HPA manifest"
        );
    }
}
