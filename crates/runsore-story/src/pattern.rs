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

/// A list of phrases as one string, with how it is wrapped: the key under which the build script
/// writes its source for the embedded vocabulary.
pub fn phrase_key(patterns: &[String], whole_words: bool) -> String {
    let mut key = String::from(if whole_words { "w" } else { "a" });
    for p in patterns {
        key.push('\u{1f}');
        key.push_str(p);
    }
    key
}

/// The source of a number word's expression: the whole word, as written (no classes).
pub fn number_source(word: &str) -> String {
    format!("(?i)^(?:{word})$")
}

/// The source of a unit's expression: the whole captured unit.
pub fn unit_source(unit: &str, classes: &BTreeMap<String, String>) -> Result<String, String> {
    Ok(format!("(?i)^(?:{})$", expand(unit, classes)?))
}

/// Rewrites each bracket class that holds a non-ASCII character without case (`[ .,…-]`,
/// `[x×]`) as an alternation of its ASCII part and those characters (`(?:[ .,-]|…)`), which
/// matches the same characters but compiles without Unicode: in a class such a character needs
/// Unicode, and Unicode turns every `\w`, `\s` and `\b` of the expression into Unicode's, ten
/// times the compile time of ASCII's (one `…` cost a rule 20 ms). A class that is negated, nests,
/// names a class (`[[:alpha:]]`), escapes, or ranges to or from such a character is left alone.
pub fn ascii_classes(src: &str) -> std::borrow::Cow<'_, str> {
    if src.is_ascii() {
        return std::borrow::Cow::Borrowed(src);
    }
    let chars: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len() + 16);
    let mut i = 0;
    let mut escaped = false;
    while i < chars.len() {
        let ch = chars[i];
        if escaped {
            escaped = false;
        } else if ch == '\\' {
            escaped = true;
        } else if ch == '['
            && let Some((end, rewritten)) = split_class(&chars, i)
        {
            out.push_str(&rewritten);
            i = end;
            continue;
        }
        out.push(ch);
        i += 1;
    }
    std::borrow::Cow::Owned(out)
}

/// The class opening at `chars[open]` rewritten by [`ascii_classes`], with the index past its
/// `]`; `None` to leave it as written.
fn split_class(chars: &[char], open: usize) -> Option<(usize, String)> {
    // A `]` right after `[` is a literal, not the end.
    let first = open + 1;
    if chars.get(first) == Some(&'^') {
        return None;
    }
    let close = (first + 1..chars.len()).find(|&j| chars[j] == ']')?;
    let inner = &chars[first..close];
    if inner.iter().any(|&c| c == '[' || c == '\\') {
        return None;
    }
    let caseless = |c: char| {
        c.to_lowercase().eq(std::iter::once(c)) && c.to_uppercase().eq(std::iter::once(c))
    };
    let mut ascii = String::new();
    let mut other = Vec::new();
    for (k, &c) in inner.iter().enumerate() {
        if c.is_ascii() {
            ascii.push(c);
            continue;
        }
        // A `-` beside it that is not the class's first or last character makes a range.
        let range_before = k >= 2 && inner[k - 1] == '-';
        let range_after = k + 2 < inner.len() && inner[k + 1] == '-';
        if !caseless(c) || range_before || range_after {
            return None;
        }
        other.push(c);
    }
    // Nor may removing one join two characters into a set operation ("[&…&]" to "[&&]").
    if other.is_empty() || ["&&", "--", "~~"].iter().any(|op| ascii.contains(op)) {
        return None;
    }
    let mut alt = String::from("(?:");
    if !ascii.is_empty() {
        alt.push('[');
        alt.push_str(&ascii);
        alt.push(']');
    }
    for c in other {
        if alt.len() > 3 {
            alt.push('|');
        }
        alt.push(c);
    }
    alt.push(')');
    Some((close + 1, alt))
}

#[cfg(test)]
mod tests {
    use super::ascii_classes;
    use regex_automata::meta;
    use regex_automata::util::syntax;

    #[test]
    fn caseless_characters_leave_their_class() {
        assert_eq!(ascii_classes(r"a[ .,…-]+b"), r"a(?:[ .,-]|…)+b");
        assert_eq!(ascii_classes(r"[x×]"), r"(?:[x]|×)");
        assert_eq!(ascii_classes(r"[…]"), r"(?:…)");
        // Negated, ranged, escaped, cased and nested classes stay as written.
        for kept in [
            r"[^…]",
            r"[a-…]",
            r"[…-z]",
            r"\[…]",
            r"[é]",
            r"[[:alpha:]…]",
            r"[\s…]",
        ] {
            assert_eq!(ascii_classes(kept), kept);
        }
    }

    #[test]
    fn a_rewritten_class_matches_the_same_characters() {
        let build = |src: &str, unicode: bool| {
            meta::Builder::new()
                .syntax(syntax::Config::new().unicode(unicode).utf8(true))
                .build(src)
                .expect("compiles")
        };
        let text = "thud … pause…thud, 3×4 reps, 3 x 4, x×x, -…- (…)";
        for src in [r"[ .,…-]+", r"[0-9]\s?[x×]\s?[0-9]", r"[…x×]"] {
            let asis = build(src, true);
            let fast = build(&ascii_classes(src), false);
            let spans =
                |re: &meta::Regex| re.find_iter(text).map(|m| m.range()).collect::<Vec<_>>();
            assert_eq!(spans(&fast), spans(&asis), "{src}");
        }
    }
}
