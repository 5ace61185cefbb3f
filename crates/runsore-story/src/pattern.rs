//! Pattern text: `{class}` expansion and whitespace, shared by the crate and its build script
//! (which derives each rule's prefilter literals from the same expanded text).

use std::collections::BTreeMap;

/// Replaces `{name}` with the class's alternation, repeatedly (classes may use classes), then
/// lets a written space match any run of whitespace. A `{` not followed by a lowercase name and
/// `}` is left alone (a repetition such as `{0,3}`).
pub fn expand(pattern: &str, classes: &BTreeMap<String, String>) -> Result<String, String> {
    let mut out = pattern.to_string();
    for _ in 0..8 {
        let mut next = String::with_capacity(out.len());
        let mut rest = out.as_str();
        let mut changed = false;
        while let Some(open) = rest.find('{') {
            next.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let name_len = after
                .bytes()
                .take_while(|b| b.is_ascii_lowercase() || *b == b'_')
                .count();
            if name_len > 0 && after.as_bytes().get(name_len) == Some(&b'}') {
                let name = &after[..name_len];
                let alt = classes
                    .get(name)
                    .ok_or_else(|| format!("unknown class {{{name}}} in pattern {pattern:?}"))?;
                next.push_str("(?:");
                next.push_str(alt);
                next.push(')');
                rest = &after[name_len + 1..];
                changed = true;
            } else {
                next.push('{');
                rest = after;
            }
        }
        next.push_str(rest);
        if !changed {
            return Ok(spaces(&next));
        }
        out = next;
    }
    Err(format!("classes nest too deep in {pattern:?}"))
}

/// Lets a written space match any run of whitespace, except inside a character class.
fn spaces(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut in_class = false;
    let mut escaped = false;
    let chars: Vec<char> = pattern.chars().collect();
    for (i, &ch) in chars.iter().enumerate() {
        match ch {
            _ if escaped => {
                escaped = false;
                out.push(ch);
                continue;
            }
            '\\' => escaped = true,
            '[' => in_class = true,
            ']' => in_class = false,
            ' ' if !in_class => {
                // "heart ?beat": a quantified space stays a single optional whitespace.
                let quantified = matches!(chars.get(i + 1), Some('?' | '*' | '{'));
                out.push_str(if quantified { r"\s" } else { r"\s+" });
                continue;
            }
            _ => {}
        }
        out.push(ch);
    }
    out
}

/// The alternation of several expanded phrases.
pub fn body(patterns: &[String], classes: &BTreeMap<String, String>) -> Result<String, String> {
    let mut parts = Vec::with_capacity(patterns.len());
    for p in patterns {
        parts.push(format!("(?:{})", expand(p, classes)?));
    }
    Ok(parts.join("|"))
}

/// The source of one case-insensitive expression for several phrases, matching whole words only
/// when `whole_words` (the build script derives each source's prefilter from this same text).
pub fn phrase_source(
    patterns: &[String],
    classes: &BTreeMap<String, String>,
    whole_words: bool,
) -> Result<String, String> {
    let body = body(patterns, classes)?;
    Ok(if whole_words {
        format!(r"(?i)\b{{start-half}}(?:{body})\b{{end-half}}")
    } else {
        format!("(?i)(?:{body})")
    })
}

/// The source of a number word's expression: the whole word, as written (no classes).
pub fn number_source(word: &str) -> String {
    format!("(?i)^(?:{word})$")
}

/// The source of a unit's expression: the whole captured unit.
pub fn unit_source(unit: &str, classes: &BTreeMap<String, String>) -> Result<String, String> {
    Ok(format!("(?i)^(?:{})$", expand(unit, classes)?))
}
