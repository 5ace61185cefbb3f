//! Text plumbing: normalising typography with a byte map back to the original, clauses, quotes.

use crate::vocab::Lazy;

/// The story with curly quotes and dashes made plain, and a map from its bytes to the original's.
#[derive(Debug)]
pub struct Normalised {
    /// The plain text that patterns run on.
    pub text: String,
    /// `map[i]` is the original byte offset of plain byte `i` (one extra entry for the end).
    map: Vec<usize>,
}

impl Normalised {
    /// Normalises `original`, writing each emoji of `emoji` as its word ("🦵" as " leg "), so
    /// that a texted sign is read as the words would be; the emoji's joiners, variation
    /// selectors and skin tones are dropped.
    pub fn with_emoji(
        original: &str,
        emoji: &std::collections::HashMap<char, String>,
    ) -> Normalised {
        let mut text = String::with_capacity(original.len());
        let mut map = Vec::with_capacity(original.len() + 1);
        for (at, ch) in original.char_indices() {
            if let Some(word) = emoji.get(&ch) {
                for b in [" ", word.as_str(), " "] {
                    text.push_str(b);
                    map.extend(std::iter::repeat_n(at, b.len()));
                }
                continue;
            }
            if matches!(
                ch,
                '\u{FE0F}' | '\u{FE0E}' | '\u{200D}' | '\u{1F3FB}'..='\u{1F3FF}'
            ) && !emoji.is_empty()
            {
                continue;
            }
            let plain = match ch {
                '\u{2018}' | '\u{2019}' | '\u{02BC}' | '`' => '\'',
                '\u{201C}' | '\u{201D}' => '"',
                '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' => '-',
                '\u{00A0}' | '\n' | '\t' | '\r' => ' ',
                c => c,
            };
            for _ in 0..plain.len_utf8() {
                map.push(at);
            }
            text.push(plain);
        }
        map.push(original.len());
        Normalised { text, map }
    }

    /// Normalises `original`, then mends spelling variants and typos word by word (a mended word
    /// maps back to the whole original word).
    pub fn mended(original: &str, ctx: &crate::context::Context) -> Normalised {
        let plain = Normalised::with_emoji(original, &ctx.emoji);
        let mut text = String::with_capacity(plain.text.len());
        let mut map = Vec::with_capacity(plain.map.len());
        let mut at = 0;
        // A long story says the same words many times: each is mended once.
        let mut mended: std::collections::HashMap<String, Option<&str>> =
            std::collections::HashMap::new();
        for w in crate::context::words(&plain.text) {
            let fix = match mended.get(&w.lower) {
                Some(&fix) => fix,
                None => {
                    let fix = ctx.mend(&w.lower);
                    mended.insert(w.lower, fix);
                    fix
                }
            };
            let Some(fix) = fix else {
                continue;
            };
            text.push_str(&plain.text[at..w.start]);
            map.extend_from_slice(&plain.map[at..w.start]);
            text.push_str(fix);
            map.extend(std::iter::repeat_n(plain.map[w.start], fix.len()));
            at = w.end;
        }
        text.push_str(&plain.text[at..]);
        map.extend_from_slice(&plain.map[at..]);
        Normalised { text, map }
    }

    /// The original byte range of a plain range.
    pub fn original(&self, start: usize, end: usize) -> (usize, usize) {
        (self.map[start], self.map[end])
    }
}

/// A clause: the stretch between two breaks, with whether it opened after a comma.
#[derive(Debug, Clone, Copy)]
pub struct Clause {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// The break before it was a bare comma (a list may go on across it).
    pub after_comma: bool,
    /// The break before it was "and" (a list may end across it).
    pub after_and: bool,
}

/// Splits the text at the vocabulary's clause breaks.
pub fn clauses(text: &str, breaks: &Lazy) -> Vec<Clause> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut after_comma = false;
    let mut after_and = false;
    for caps in breaks.captures_iter(text) {
        // A break may name the part that is the cut (`cut`), leaving the rest to the clause.
        let m = caps
            .name("cut")
            .unwrap_or_else(|| caps.get(0).expect("group 0 always exists"));
        if inside_number(text, m.start(), m.end()) {
            continue;
        }
        if m.start() > start || out.is_empty() {
            out.push(Clause {
                start,
                end: m.start(),
                after_comma,
                after_and,
            });
        }
        start = m.end();
        after_comma = m.as_str().trim() == ",";
        after_and = m.as_str().trim().eq_ignore_ascii_case("and");
    }
    out.push(Clause {
        start,
        end: text.len(),
        after_comma,
        after_and,
    });
    out
}

/// The index of the clause holding byte `at` (clauses are in order: a binary search, so that a
/// long story costs linear time).
pub fn clause_of(clauses: &[Clause], at: usize) -> usize {
    clauses.partition_point(|c| c.start <= at).saturating_sub(1)
}

/// Byte ranges inside quotation marks: the runner's own labels ("my 'sciatica'").
pub fn quoted(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let q = bytes[i];
        let opens = (q == b'\'' || q == b'"')
            && (i == 0 || matches!(bytes[i - 1], b' ' | b'(' | b'\n' | b'\t'))
            && i + 1 < bytes.len()
            && bytes[i + 1].is_ascii_alphanumeric();
        if opens {
            // The closing mark follows a letter and precedes a space, punctuation or the end.
            let close = (i + 1..bytes.len()).find(|&j| {
                bytes[j] == q
                    && bytes[j - 1] != b' '
                    && (j + 1 == bytes.len() || !bytes[j + 1].is_ascii_alphanumeric())
            });
            if let Some(j) = close
                && j - i <= 60
            {
                out.push((i + 1, j));
                i = j + 1;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// Counts words in a stretch of text.
pub fn word_count(text: &str) -> usize {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .count()
}

/// Where sentences end: after each `.`, `!`, `?` or `;` (byte offsets of the marks).
pub fn sentences(text: &str) -> Vec<usize> {
    text.bytes()
        .enumerate()
        .filter(|&(i, b)| matches!(b, b'.' | b'!' | b'?' | b';') && !inside_number(text, i, i + 1))
        .map(|(i, _)| i)
        .collect()
}

/// Whether the mark at `start..end` is one `.`, `:` or `,` between two digits: part of a number
/// ("38.5", "1:55", "10,000"), not the end of a sentence or a clause.
fn inside_number(text: &str, start: usize, end: usize) -> bool {
    let bytes = text.as_bytes();
    end == start + 1
        && matches!(bytes[start], b'.' | b':' | b',')
        && start > 0
        && bytes[start - 1].is_ascii_digit()
        && bytes.get(end).is_some_and(u8::is_ascii_digit)
}

/// The byte range of the sentence around `at`, given the sentence ends from [`sentences`].
pub fn sentence_of(ends: &[usize], len: usize, at: usize) -> (usize, usize) {
    let i = ends.partition_point(|&e| e < at);
    let start = if i == 0 { 0 } else { ends[i - 1] + 1 };
    let end = ends.get(i).copied().unwrap_or(len);
    (start.min(end), end)
}
