//! Derives a prefilter for each expression of `vocabulary.toml`: the literal words that any match
//! must start with and those it must end with, so that the reader compiles an expression only
//! when a story (or the clause it is tried on) holds one of each. Compiling all ~420 expressions
//! at start-up cost 130 ms; looking for their literals with Aho-Corasick costs well under one.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Hir, HirKind};

#[path = "src/pattern.rs"]
mod pattern;

/// Lowercases a pattern's ASCII letters, but not an escape's letter (`\S` is not `\s`): literals
/// are looked for in text matched case-insensitively, so the pattern is read lowercased.
fn lowercase(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    let mut escaped = false;
    for ch in src.chars() {
        out.push(if escaped { ch } else { ch.to_ascii_lowercase() });
        escaped = !escaped && ch == '\\';
    }
    out.replace("(?p<", "(?P<")
}

/// The literals that every match of `source` starts with, and those it ends with; `None` for a
/// side where no finite set exists. A source that the reader compiles with Unicode (it could
/// match part of a character without) gets no filter: its case folding is not ASCII's.
/// What an expression's matches hold: the words they start with, end with, and hold inside.
type Literals = (Option<Vec<String>>, Option<Vec<String>>, Vec<Vec<String>>);

fn literals(source: &str) -> Literals {
    // "(?i)" leads every source; read without it, the lowercased pattern's literals are the
    // lowercased forms of the matches' ("(?-i:F)" becomes "f": a superset, which a filter allows).
    let source = pattern::ascii_classes(source);
    let Some(body) = source.strip_prefix("(?i)") else {
        return (None, None, Vec::new());
    };
    let Ok(hir) = regex_syntax::ParserBuilder::new()
        .utf8(true)
        .unicode(false)
        .build()
        .parse(&lowercase(body))
    else {
        return (None, None, Vec::new());
    };
    let side = |kind: ExtractKind| {
        let mut ex = Extractor::new();
        let prefix = matches!(kind, ExtractKind::Prefix);
        ex.kind(kind).limit_total(300).limit_class(40);
        let seq = ex.extract(&hir);
        let lits = seq.literals()?;
        // Only a literal's first word (of those a match starts with) or last word (of those it
        // ends with) is kept: still where a match starts or ends, and "sit bone", "sit\tbone"
        // and the other spellings of `sit\s?bone` become one "sit" for the automaton.
        let mut words: Vec<String> = lits
            .iter()
            .map(|l| {
                let l = String::from_utf8_lossy(l.as_bytes()).to_ascii_lowercase();
                let mut words = l.split_whitespace();
                let word = if prefix {
                    words.next()
                } else {
                    words.next_back()
                };
                word.unwrap_or_default().to_string()
            })
            .collect();
        // An empty literal matches everywhere: no use as a filter.
        if words.is_empty() || words.iter().any(|w| w.is_empty()) {
            return None;
        }
        words.sort();
        words.dedup();
        Some(words)
    };
    (
        side(ExtractKind::Prefix),
        side(ExtractKind::Suffix),
        inner(&hir),
    )
}

/// How rare a set of words is in text, to choose between sets: longer words first (a three-letter
/// word is in most stories, a nine-letter one in few), then fewer of them.
fn rarity(set: &[String]) -> (usize, std::cmp::Reverse<usize>) {
    let shortest = set.iter().map(String::len).min().unwrap_or(0);
    (shortest, std::cmp::Reverse(set.len()))
}

/// Sets of words such that every match of `hir` holds a word of each set: the words inside a
/// pattern as well as at its ends ("(my|the) first ... (run|race)" holds "first"). Of an
/// alternation, each branch gives its rarest set and the alternation their union.
fn required(hir: &Hir) -> Vec<Vec<String>> {
    match hir.kind() {
        HirKind::Literal(lit) => String::from_utf8_lossy(&lit.0)
            .split_whitespace()
            .map(|w| vec![w.to_string()])
            .collect(),
        HirKind::Capture(c) => required(&c.sub),
        HirKind::Repetition(r) if r.min >= 1 => required(&r.sub),
        HirKind::Concat(subs) => subs.iter().flat_map(required).collect(),
        HirKind::Alternation(subs) => {
            let mut union = Vec::new();
            for sub in subs {
                let Some(best) = required(sub).into_iter().max_by_key(|s| rarity(s)) else {
                    // A branch with no word: the alternation requires none.
                    return Vec::new();
                };
                union.extend(best);
            }
            union.sort();
            union.dedup();
            vec![union]
        }
        _ => Vec::new(),
    }
}

/// The rarest few of an expression's required sets worth looking for: words of three letters
/// or more, at most 200 of them a set.
fn inner(hir: &Hir) -> Vec<Vec<String>> {
    let mut sets: Vec<Vec<String>> = required(hir)
        .into_iter()
        .filter(|s| !s.is_empty() && s.len() <= 200 && s.iter().all(|w| w.len() >= 3))
        .collect();
    for s in &mut sets {
        s.sort();
        s.dedup();
    }
    sets.sort_by_key(|s| std::cmp::Reverse(rarity(s)));
    sets.dedup();
    sets.truncate(4);
    sets
}

fn strings(v: Option<&toml::Value>) -> Vec<String> {
    match v {
        Some(toml::Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        Some(toml::Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

fn main() {
    println!("cargo::rerun-if-changed=vocabulary.toml");
    println!("cargo::rerun-if-changed=src/pattern.rs");
    let text = std::fs::read_to_string("vocabulary.toml").expect("vocabulary.toml is readable");
    let file: toml::Table = toml::from_str(&text).expect("vocabulary.toml parses");
    let classes: BTreeMap<String, String> = file
        .get("classes")
        .and_then(|c| c.as_table())
        .map(|t| {
            t.iter()
                .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                .collect()
        })
        .unwrap_or_default();
    // Every expression the reader compiles on first use, built by the same functions as in the
    // crate (a source the crate builds differently is simply not found, and gets no filter).
    let mut sources = Vec::new();
    let mut phrases = |list: Vec<String>, whole_words: bool| {
        if !list.is_empty()
            && let Ok(s) = pattern::phrase_source(&list, &classes, whole_words)
        {
            sources.push(s);
        }
    };
    let entries = |table: &str| {
        file.get(table)
            .and_then(|r| r.as_array())
            .cloned()
            .unwrap_or_default()
    };
    for r in entries("rule").iter().chain(entries("quantity").iter()) {
        for key in ["patterns", "pattern", "requires", "blocks", "passes"] {
            phrases(strings(r.get(key)), true);
        }
        for key in ["before_not", "after_not"] {
            phrases(strings(r.get(key)), false);
        }
    }
    let section = |name: &str, key: &str| {
        strings(
            file.get(name)
                .and_then(|t| t.as_table())
                .and_then(|t| t.get(key)),
        )
    };
    phrases(section("negation", "self_evident"), true);
    for name in section("weekdays", "names") {
        phrases(vec![name], true);
    }
    phrases(section("weekdays", "run"), true);
    phrases(section("weekdays", "pain"), true);
    for q in entries("quantity") {
        if let Some(units) = q.get("units").and_then(|u| u.as_table()) {
            for unit in units.keys() {
                if let Ok(s) = pattern::unit_source(unit, &classes) {
                    sources.push(s);
                }
            }
        }
    }
    if let Some(numbers) = file.get("numbers").and_then(|n| n.as_table()) {
        sources.extend(numbers.keys().map(|w| pattern::number_source(w)));
    }
    sources.sort();
    sources.dedup();
    let mut out = String::from(
        "// Generated by build.rs from vocabulary.toml: do not edit.\n\
         /// An expression's source, the literals its matches start with and those they end with,\n\
         /// and whether its matches start and end at word edges (ASCII `\\b{start-half}` and\n\
         /// `\\b{end-half}` around the whole expression).\n\
         /// Last, sets of words every match holds one of each (anywhere in it).\n\
         pub type Entry = (&'static str, Option<&'static [&'static str]>, Option<&'static [&'static str]>, bool, &'static [&'static [&'static str]]);\n\
         pub const FILTERS: &[Entry] = &[\n",
    );
    let show = |l: Option<Vec<String>>| match l {
        Some(l) => format!("Some(&{l:?})"),
        None => "None".to_string(),
    };
    for s in sources {
        let (prefixes, suffixes, inner) = literals(&s);
        // The edges hold only where the crate compiles the source with ASCII word boundaries,
        // that is where it parses without Unicode (else it falls back to Unicode's).
        let ascii = regex_syntax::ParserBuilder::new()
            .utf8(true)
            .unicode(false)
            .build()
            .parse(&pattern::ascii_classes(&s))
            .is_ok();
        let edges =
            ascii && s.starts_with(r"(?i)\b{start-half}(?:") && s.ends_with(r")\b{end-half}");
        writeln!(
            out,
            "    ({s:?}, {}, {}, {edges}, &[{}]),",
            show(prefixes),
            show(suffixes),
            inner
                .iter()
                .map(|set| format!("&{set:?}"))
                .collect::<Vec<_>>()
                .join(", "),
        )
        .unwrap();
    }
    out.push_str("];\n");
    let dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(format!("{dir}/prefilter.rs"), out).expect("OUT_DIR is writable");
}
