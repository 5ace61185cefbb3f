//! Derives a prefilter for each expression of `vocabulary.toml`: the literal words that any match
//! must start with and those it must end with, so that the reader compiles an expression only
//! when a story (or the clause it is tried on) holds one of each. Compiling all ~420 expressions
//! at start-up cost 130 ms; looking for their literals with Aho-Corasick costs well under one.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use regex_syntax::ast::{self, Ast};
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

/// Whether a group adds nothing but grouping (`(?:...)`, no flags): its alternatives are the
/// enclosing alternation's own (`(?:a|(?:b|c))` is `a|b|c`, in the same order of preference).
fn plain_group(g: &ast::Group) -> bool {
    matches!(&g.kind, ast::GroupKind::NonCapturing(f) if f.items.is_empty())
}

/// Whether a flag directive (`(?-i)`) stands anywhere in `ast`: it reaches across the `|` after
/// it, so the alternatives of such an expression cannot be taken apart.
fn has_directive(ast: &Ast) -> bool {
    match ast {
        Ast::Flags(_) => true,
        Ast::Group(g) => has_directive(&g.ast),
        Ast::Repetition(r) => has_directive(&r.ast),
        Ast::Alternation(a) => a.asts.iter().any(has_directive),
        Ast::Concat(c) => c.asts.iter().any(has_directive),
        _ => false,
    }
}

/// A byte range of a source.
type Range = (usize, usize);

fn flatten(ast: &Ast, out: &mut Vec<Range>) {
    match ast {
        Ast::Alternation(a) => a.asts.iter().for_each(|x| flatten(x, out)),
        Ast::Group(g) if plain_group(g) => flatten(&g.ast, out),
        other => out.push((other.span().start.offset, other.span().end.offset)),
    }
}

/// The alternatives of an expression: the byte range of its body (what its one top-level plain
/// group holds, beside flags such as `(?i)` and assertions such as `\b{start-half}`), and the
/// byte range of each alternative of that body, nested plain groups taken apart, in order.
/// An expression whose matches cannot be any alternative's but its own (one alternative, a flag
/// directive inside, anything else at the top level) gives `None`.
fn alternatives(source: &str) -> Option<(Range, Vec<Range>)> {
    let ast = ast::parse::Parser::new().parse(source).ok()?;
    let top: Vec<&Ast> = match &ast {
        Ast::Concat(c) => c.asts.iter().collect(),
        other => vec![other],
    };
    let mut body = None;
    for item in top {
        match item {
            Ast::Flags(_) | Ast::Assertion(_) => {}
            Ast::Group(g) if body.is_none() && plain_group(g) => body = Some(g),
            _ => return None,
        }
    }
    let group = body?;
    if has_directive(&group.ast) {
        return None;
    }
    let mut alts = Vec::new();
    flatten(&group.ast, &mut alts);
    let inner = group.ast.span();
    (alts.len() > 1).then_some(((inner.start.offset, inner.end.offset), alts))
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
    println!("cargo::rerun-if-changed=context.toml");
    // The context file too is parsed from JSON at start-up; one that does not parse is left for
    // the crate's tests to name with its line (an empty document here).
    let context = std::fs::read_to_string("context.toml").expect("context.toml is readable");
    let context_table = toml::from_str::<toml::Table>(&context).unwrap_or_default();
    let context = serde_json::to_string(&context_table).expect("a TOML table is written as JSON");
    let (cues, proxy_needs) = context_tables(&context_table);
    println!("cargo::rerun-if-changed=src/pattern.rs");
    let text = std::fs::read_to_string("vocabulary.toml").expect("vocabulary.toml is readable");
    let file: toml::Table = toml::from_str(&text).expect("vocabulary.toml parses");
    // The reader parses the embedded file from JSON, in a quarter of the time TOML takes.
    let json = serde_json::to_string(&file).expect("a TOML table is written as JSON");
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
    // Each list of phrases with its expanded source, for the embedded vocabulary to take at
    // start-up instead of expanding classes (a tenth of the reader's start-up).
    let mut expanded = Vec::new();
    let mut phrases = |list: Vec<String>, whole_words: bool| {
        if !list.is_empty()
            && let Ok(s) = pattern::phrase_source(&list, &classes, whole_words)
        {
            expanded.push((pattern::phrase_key(&list, whole_words), s.clone()));
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
    phrases(section("negation", "before"), true);
    phrases(section("negation", "pseudo"), true);
    phrases(section("negation", "after"), false);
    phrases(strings(file.get("clause_breaks")), false);
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
    expanded.sort();
    expanded.dedup();
    // Every literal word of every filter, once: the reader finds them all in one scan of a
    // story, and each filter names its words by their index here.
    let mut derived = Vec::new();
    let mut words: BTreeMap<String, usize> = BTreeMap::new();
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
        // An expression compiled with Unicode is never taken apart: without the alternative that
        // needed Unicode the rest would compile with ASCII's `\b` and `\w`, another meaning.
        let split = alternatives(&s).filter(|_| ascii).map(|(body, alts)| {
            let alts: Vec<_> = alts
                .into_iter()
                .map(|(a, b)| {
                    let alone = format!("{}{}{}", &s[..body.0], &s[a..b], &s[body.1..]);
                    (a, b, literals(&alone))
                })
                .collect();
            (body, alts)
        });
        let mut note = |set: &[String]| {
            for w in set {
                let next = words.len();
                words.entry(w.clone()).or_insert(next);
            }
        };
        let mut note_all = |l: &Literals| {
            l.0.iter().chain(l.1.iter()).for_each(|set| note(set));
            l.2.iter().for_each(|set| note(set));
        };
        let whole = (prefixes, suffixes, inner);
        note_all(&whole);
        if let Some((_, alts)) = &split {
            alts.iter().for_each(|(_, _, l)| note_all(l));
        }
        derived.push((s, whole, edges, split));
    }
    // Indices in the order of the sorted words.
    let order: BTreeMap<String, usize> = words
        .keys()
        .enumerate()
        .map(|(i, w)| (w.clone(), i))
        .collect();
    let ids = |set: &[String]| {
        let mut v: Vec<usize> = set.iter().map(|w| order[w]).collect();
        v.sort_unstable();
        v.dedup();
        format!("&{v:?}")
    };
    let side = |l: &Option<Vec<String>>| match l {
        Some(l) => format!("Some({})", ids(l)),
        None => "None".to_string(),
    };
    let sets = |l: &[Vec<String>]| {
        format!(
            "&[{}]",
            l.iter().map(|set| ids(set)).collect::<Vec<_>>().join(", ")
        )
    };
    let mut out = String::from(
        "// Generated by build.rs from vocabulary.toml: do not edit.\n\
         /// Every literal word of the filters below, sorted; a filter names a word by its index.\n\
         pub const WORDS: &[&str] = &[\n",
    );
    for w in order.keys() {
        writeln!(out, "    {w:?},").unwrap();
    }
    out.push_str(
        "];\n\
         /// Literal words that every match of an expression holds: one of those its matches start\n\
         /// with, one of those they end with (`None`: no finite set), and one of each inner set.\n\
         #[derive(Debug)]\n\
         pub struct Literals {\n\
             pub prefixes: Option<&'static [u16]>,\n\
             pub suffixes: Option<&'static [u16]>,\n\
             pub inner: &'static [&'static [u16]],\n\
         }\n\
         /// An expression's source and literals, whether its matches start and end at word edges\n\
         /// (ASCII `\\b{start-half}` and `\\b{end-half}` around the whole expression), and, when it\n\
         /// is an alternation that may be taken apart, the byte range of its body in the source and\n\
         /// each alternative's byte range there with the literals of its matches.\n\
         #[derive(Debug)]\n\
         pub struct Entry {\n\
             pub source: &'static str,\n\
             pub literals: Literals,\n\
             pub edges: bool,\n\
             pub body: (usize, usize),\n\
             pub alternatives: &'static [(usize, usize, Literals)],\n\
         }\n\
         pub const FILTERS: &[Entry] = &[\n",
    );
    let lits = |l: &Literals| {
        format!(
            "Literals {{ prefixes: {}, suffixes: {}, inner: {} }}",
            side(&l.0),
            side(&l.1),
            sets(&l.2)
        )
    };
    for (s, whole, edges, split) in &derived {
        let (body, alts) = match split {
            Some((body, alts)) => (
                *body,
                alts.iter()
                    .map(|(a, b, l)| format!("({a}, {b}, {})", lits(l)))
                    .collect::<Vec<_>>(),
            ),
            None => ((0, 0), Vec::new()),
        };
        writeln!(
            out,
            "    Entry {{ source: {s:?}, literals: {}, edges: {edges}, body: {body:?}, \
             alternatives: &[{}] }},",
            lits(whole),
            alts.join(", "),
        )
        .unwrap();
    }
    out.push_str("];\n");
    out.push_str(
        "/// Each list of phrases of the file (by `pattern::phrase_key`) and its source, sorted.\n\
         pub const EXPANDED: &[(&str, &str)] = &[\n",
    );
    for (key, source) in &expanded {
        writeln!(out, "    ({key:?}, {source:?}),").unwrap();
    }
    out.push_str("];\n");
    assert!(
        order.len() <= usize::from(u16::MAX),
        "too many literal words"
    );
    // The same words as a transducer from each to its index, which the reader walks from every
    // byte of a story: nothing to build at start-up (an Aho-Corasick automaton over these
    // words took 4 ms to build there).
    let mut fst = fst::MapBuilder::memory();
    for (w, i) in &order {
        fst.insert(w, *i as u64)
            .expect("words are sorted and distinct");
    }
    let fst = fst.into_inner().expect("an in-memory FST is written");
    let dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(format!("{dir}/prefilter.rs"), out).expect("OUT_DIR is writable");
    std::fs::write(format!("{dir}/words.fst"), fst).expect("OUT_DIR is writable");
    std::fs::write(format!("{dir}/vocabulary.json"), json).expect("OUT_DIR is writable");
    std::fs::write(format!("{dir}/context.json"), context).expect("OUT_DIR is writable");
    std::fs::write(format!("{dir}/cues.fst"), cues).expect("OUT_DIR is writable");
    std::fs::write(format!("{dir}/proxy_needs.rs"), proxy_needs).expect("OUT_DIR is writable");
}

/// What the context needs at start-up, built here: its modifier cues as a transducer from each
/// cue to its index among them all (in the file's order; a cue written twice keeps its first
/// index), and for each proxy expression the sets of words its every match holds (Rust source:
/// `PROXY_NEEDS`, sorted by expression), so that one is compiled only for a story with a word of
/// each set. A file that does not parse gets none (its tests name the fault).
fn context_tables(table: &toml::Table) -> (Vec<u8>, String) {
    let mut cues: Vec<(String, usize)> = Vec::new();
    if let Some(mods) = table.get("modifier").and_then(|m| m.as_array()) {
        for m in mods {
            for c in strings(m.get("cues")) {
                cues.push((c.trim().to_string(), cues.len()));
            }
        }
    }
    cues.sort();
    cues.dedup_by(|b, a| a.0 == b.0);
    let mut map = fst::MapBuilder::memory();
    for (c, i) in &cues {
        // A cue the context refuses (empty, or not lowercase) is left for `compile_file` to name.
        let _ = map.insert(c, *i as u64);
    }
    let fst = map.into_inner().expect("an in-memory FST is written");
    let proxy = table.get("proxy").and_then(|p| p.as_table());
    let mut needs = Vec::new();
    for key in ["framing", "implied", "opening", "opening_aged", "age"] {
        for src in strings(proxy.and_then(|p| p.get(key))) {
            let Ok(hir) = regex_syntax::ParserBuilder::new()
                .unicode(false)
                .utf8(false)
                .build()
                .parse(&src)
            else {
                continue;
            };
            let mut sets: Vec<Vec<String>> = required(&hir)
                .into_iter()
                .filter(|s| !s.is_empty() && s.iter().all(|w| !w.is_empty()))
                .collect();
            sets.sort_by_key(|s| std::cmp::Reverse(rarity(s)));
            sets.dedup();
            sets.truncate(4);
            needs.push((src, sets));
        }
    }
    needs.sort();
    needs.dedup_by(|b, a| a.0 == b.0);
    let mut out = String::from(
        "// Generated by build.rs from context.toml: do not edit.\n\
         /// Each proxy expression and the sets of words its every match holds, sorted.\n\
         pub const PROXY_NEEDS: &[(&str, &[&[&str]])] = &[\n",
    );
    for (src, sets) in &needs {
        let sets: Vec<String> = sets.iter().map(|set| format!("&{set:?}")).collect();
        writeln!(out, "    ({src:?}, &[{}]),", sets.join(", ")).unwrap();
    }
    out.push_str("];\n");
    (fst, out)
}
