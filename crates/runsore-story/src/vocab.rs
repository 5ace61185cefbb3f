//! The vocabulary: the words the reader knows, loaded from `vocabulary.toml` and compiled once.
//!
//! Everything the reader recognises is data in that file (phrases, classes of words, negation
//! cues, clause breaks, units, number words); this module only turns it into regular expressions.
//!
//! Start-up stays cheap. The build script derives the literal words every match of an expression
//! holds (those it starts with, ends with, holds inside), for the whole expression and for each
//! alternative of its top-level alternation, and writes all of them as one transducer. Reading a
//! story scans it once for every word ([`StoryScope`]); then an expression is tried only on a
//! text that holds its words, and compiled only with the alternatives whose words the story
//! holds (of the 255 alternatives the bench story's expressions hold, 20 can match there).

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, LazyLock, Mutex, OnceLock};

use fst::raw::{Fst, Output};
use regex_automata::util::captures as meta_captures;
use regex_automata::util::syntax;
use regex_automata::{Span, meta};
use serde::Deserialize;

mod generated {
    //! Each rule's literal words, from `vocabulary.toml` (see `build.rs`).
    include!(concat!(env!("OUT_DIR"), "/prefilter.rs"));
}

/// A compiled expression: `regex_automata`'s meta engine, configured as `regex::Regex` is but
/// without the literal prefilter that engine derives from every pattern. Deriving it was more than
/// half of what compiling cost (these patterns are long alternations of case-folded words), and
/// the reader already skips rules whose words a story lacks; matches are the same, as every
/// engine of the meta regex gives leftmost-first matches.
#[derive(Debug, Clone)]
pub struct Re {
    re: meta::Regex,
    /// Compiled from the lowercased pattern, to run on lowercased text (see [`lowered`]).
    lower: bool,
}

/// A match: its byte range in the searched text.
#[derive(Debug, Clone, Copy)]
pub struct Match<'h> {
    text: &'h str,
    start: usize,
    end: usize,
}

impl<'h> Match<'h> {
    fn new(text: &'h str, span: Span) -> Match<'h> {
        Match {
            text,
            start: span.start,
            end: span.end,
        }
    }

    /// First byte.
    pub fn start(&self) -> usize {
        self.start
    }

    /// One past the last byte.
    pub fn end(&self) -> usize {
        self.end
    }

    /// The matched text.
    pub fn as_str(&self) -> &'h str {
        &self.text[self.start..self.end]
    }
}

/// The groups of one match.
#[derive(Debug)]
pub struct Captures<'h> {
    text: &'h str,
    caps: meta_captures::Captures,
}

impl<'h> Captures<'h> {
    /// Group `i` (0 is the whole match).
    pub fn get(&self, i: usize) -> Option<Match<'h>> {
        self.caps.get_group(i).map(|s| Match::new(self.text, s))
    }

    /// The group called `name`.
    pub fn name(&self, name: &str) -> Option<Match<'h>> {
        self.caps
            .get_group_by_name(name)
            .map(|s| Match::new(self.text, s))
    }
}

/// The pattern of a case-insensitive (`(?i)`) source lowercased, to match case-sensitively on
/// ASCII-lowercased text: the same matches at the same places (lowercasing ASCII keeps every byte
/// offset), for well under the compile time (a case-insensitive letter is a class of two, a
/// lowercase one a plain byte, and parsing classes was most of compiling). `None` where that
/// sameness is not plain: a source that switches case sensitivity inside (`(?-i:R)`), names a
/// character by code (`\x52`) or a class by name (`[[:upper:]]`, `\pL`), or has a class range
/// between a letter and a non-letter (`[0-Z]` holds `[`, `[0-z]` does not).
fn lowered(src: &str) -> Option<String> {
    let body = src.strip_prefix("(?i)")?;
    let chars: Vec<char> = body.chars().collect();
    let mut out = String::with_capacity(body.len());
    let (mut escaped, mut in_name, mut in_class) = (false, false, false);
    for (i, &ch) in chars.iter().enumerate() {
        if escaped {
            if matches!(ch, 'x' | 'u' | 'U' | 'p' | 'P') {
                return None;
            }
            escaped = false;
            out.push(ch);
            continue;
        }
        let next = chars.get(i + 1).copied();
        match ch {
            '\\' => escaped = true,
            '(' if !in_class && next == Some('?') => {
                let rest: String = chars[i + 2..].iter().take(2).collect();
                if rest.starts_with("P<") || rest.starts_with('<') {
                    in_name = true;
                } else if !rest.starts_with(':') {
                    return None;
                }
            }
            '>' if in_name => in_name = false,
            '[' if next == Some(':') => return None,
            '[' => in_class = true,
            ']' => in_class = false,
            '-' if in_class => {
                let letter = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphabetic());
                let prev = i.checked_sub(1).map(|p| chars[p]);
                let ends = |c: Option<char>| c.is_some_and(|c| c != '[' && c != ']');
                if ends(prev) && ends(next) && letter(prev) != letter(next) {
                    return None;
                }
            }
            _ => {}
        }
        out.push(if in_name { ch } else { ch.to_ascii_lowercase() });
    }
    Some(out)
}

impl Re {
    /// Compiles `src` with ASCII classes and word boundaries, which compile about an order of
    /// magnitude faster than Unicode ones (the reader normalises the story's quotes and dashes
    /// first), and lowercased where that gives the same matches ([`lowered`]); a pattern that
    /// needs Unicode (one that could match part of a character, such as `.` or a negated class)
    /// falls back to it, as `regex::Regex::new` would read it.
    pub fn new(src: &str) -> Result<Re, String> {
        if let Some(lower) = lowered(src)
            && let Ok(re) = build(&lower, false)
        {
            return Ok(Re { re, lower: true });
        }
        Re::exact(src)
    }

    /// Compiles `src` as written (never lowercased): what [`Re::new`] must match the same as.
    pub fn exact(src: &str) -> Result<Re, String> {
        build(src, false)
            .or_else(|_| build(src, true))
            .map(|re| Re { re, lower: false })
    }

    /// The text to search: lowercased when the expression was.
    fn haystack<'h>(&self, text: &'h str) -> Cow<'h, str> {
        if self.lower && text.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(text.to_ascii_lowercase())
        } else {
            Cow::Borrowed(text)
        }
    }

    /// Whether it matches somewhere in `text`.
    pub fn is_match(&self, text: &str) -> bool {
        self.re.is_match(self.haystack(text).as_ref())
    }

    /// The leftmost-first match in `text`.
    pub fn find<'h>(&self, text: &'h str) -> Option<Match<'h>> {
        let hay = self.haystack(text);
        self.re
            .find(hay.as_ref())
            .map(|m| Match::new(text, m.span()))
    }

    /// Successive non-overlapping matches in `text`.
    pub fn find_iter<'h>(&self, text: &'h str) -> impl Iterator<Item = Match<'h>> + use<'h> {
        let hay = self.haystack(text);
        let all: Vec<Match<'h>> = self
            .re
            .find_iter(hay.as_ref())
            .map(|m| Match::new(text, m.span()))
            .collect();
        all.into_iter()
    }

    /// Successive non-overlapping matches in `text`, with their groups.
    pub fn captures_iter<'h>(&self, text: &'h str) -> impl Iterator<Item = Captures<'h>> + use<'h> {
        let hay = self.haystack(text);
        let all: Vec<Captures<'h>> = self
            .re
            .captures_iter(hay.as_ref())
            .map(|caps| Captures { text, caps })
            .collect();
        all.into_iter()
    }
}

/// Compiles one source: ASCII classes and word boundaries unless `unicode`.
fn build(src: &str, unicode: bool) -> Result<meta::Regex, String> {
    let src = if unicode {
        Cow::Borrowed(src)
    } else {
        crate::pattern::ascii_classes(src)
    };
    meta::Builder::new()
        // No full DFA either: the meta engine builds one for a small enough pattern when the
        // `dfa-build` feature is on (another crate of the binary turns it on), and building
        // the 50-odd a story needs was a third of compiling them; the lazy DFA, which
        // determinises only the states a search visits, finds the same matches.
        .configure(meta::Config::new().auto_prefilter(false).dfa(false))
        .syntax(syntax::Config::new().unicode(unicode).utf8(true))
        .build(&src)
        .map_err(|e| match e.syntax_error() {
            // The parser's own message shows the pattern and points at the fault.
            Some(syntax) => syntax.to_string(),
            None => e.to_string(),
        })
}

/// Where a literal must stand for a match to hold it: anywhere, or (for an expression wrapped in
/// ASCII `\b{start-half}` ... `\b{end-half}`) after a non-word character (a literal the
/// matches start with) or before one (a literal they end with).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edge {
    Anywhere,
    Start,
    End,
}

impl Edge {
    /// Whether `text[start..end]` stands where this edge allows.
    fn holds(self, text: &[u8], start: usize, end: usize) -> bool {
        // ASCII word characters, as an ASCII `\b` reads them.
        let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
        match self {
            Edge::Anywhere => true,
            Edge::Start => start == 0 || !word(text[start - 1]),
            Edge::End => end == text.len() || !word(text[end]),
        }
    }
}

/// The literal words of a filter's sides: one list per side that has a finite set, each with
/// where its words must stand; a match holds a word of each side.
type Sides = Vec<(&'static [u16], Edge)>;

/// The sides of `literals`, with `edges` when the expression's matches start and end at word
/// edges.
fn sides(literals: &generated::Literals, edges: bool) -> Sides {
    let edge = |e: Edge| if edges { e } else { Edge::Anywhere };
    [
        literals.prefixes.map(|p| (p, edge(Edge::Start))),
        literals.suffixes.map(|s| (s, edge(Edge::End))),
    ]
    .into_iter()
    .flatten()
    .chain(literals.inner.iter().map(|&set| (set, Edge::Anywhere)))
    .collect()
}

/// The literals that every match of an expression starts with, those it ends with and those it
/// holds (from the build script).
#[derive(Debug)]
struct Filter {
    /// The sides; a match holds a word of each.
    sides: Sides,
}

/// The build script's entry for `src`, if it derived one.
fn entry(src: &str) -> Option<&'static generated::Entry> {
    // The build script writes the table sorted by source: a binary search compares a few
    // bytes where hashing a map's keys read every byte of 450 long sources at start-up.
    let at = generated::FILTERS
        .binary_search_by(|e| e.source.cmp(src))
        .ok()?;
    Some(&generated::FILTERS[at])
}

impl Filter {
    /// The build script's filter for an expression, if it derived one.
    fn of(entry: &generated::Entry) -> Option<Filter> {
        let sides = sides(&entry.literals, entry.edges);
        (!sides.is_empty()).then_some(Filter { sides })
    }

    /// Whether `text` holds a literal of each side where it may stand (if not, the expression
    /// cannot match). Inside the story in scope, its words were found when the scope opened.
    fn admits(&self, text: &str) -> bool {
        let in_scope = SCOPE.with(|scope| {
            let scope = scope.borrow();
            let scope = scope.as_ref().filter(|s| s.holds(text))?;
            let from = text.as_ptr() as usize - scope.at.0;
            let to = from + text.len();
            let (first, last) = (scope.first_at(from), scope.first_at(to));
            Some(self.holds_all(text, &scope.found[first..last], from))
        });
        in_scope.unwrap_or_else(|| match found(text) {
            Some(found) => self.holds_all(text, &found, 0),
            None => true,
        })
    }

    /// Whether the words `found` (at their offset less `base` in `text`) hold a word of each side
    /// where it may stand.
    fn holds_all(&self, text: &str, found: &[Found], base: usize) -> bool {
        let mut hit = vec![false; self.sides.len()];
        let mut left = self.sides.len();
        for f in found {
            let (start, end) = (f.start - base, f.end - base);
            if end > text.len() {
                continue;
            }
            for (side, &(words, edge)) in self.sides.iter().enumerate() {
                if !hit[side]
                    && words.binary_search(&f.word).is_ok()
                    && edge.holds(text.as_bytes(), start, end)
                {
                    hit[side] = true;
                    left -= 1;
                    if left == 0 {
                        return true;
                    }
                }
            }
        }
        false
    }
}

/// Where a word of [`generated::WORDS`] stands in a story: anywhere, after a non-word character,
/// before one (bits of [`WordSeen`]).
type WordSeen = u8;
const SEEN: WordSeen = 1;
const SEEN_AT_START: WordSeen = 2;
const SEEN_AT_END: WordSeen = 4;

/// Every literal word of every filter as a transducer from the word to its index in
/// [`generated::WORDS`], written by the build script: a story is scanned for all of them with
/// nothing to build at start-up (an Aho-Corasick automaton over these 3,600 words took 4 ms).
static WORD_FST: LazyLock<Option<Fst<&'static [u8]>>> =
    LazyLock::new(|| Fst::new(&include_bytes!(concat!(env!("OUT_DIR"), "/words.fst"))[..]).ok());

/// One occurrence of a literal word: its byte range and its index in [`generated::WORDS`].
#[derive(Debug, Clone, Copy)]
struct Found {
    start: usize,
    end: usize,
    word: u16,
}

/// Every occurrence of every literal word in `text` (ASCII case ignored), overlapping ones
/// included, by start then end; `None` if the transducer is unreadable (then every expression
/// is tried whole).
fn found(text: &str) -> Option<Vec<Found>> {
    let fst = WORD_FST.as_ref()?;
    let lower = text.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let root = fst.root();
    let mut out = Vec::new();
    for start in 0..bytes.len() {
        let mut node = root;
        let mut output = Output::zero();
        for (end, &b) in bytes.iter().enumerate().skip(start) {
            let Some(i) = node.find_input(b) else {
                break;
            };
            let t = node.transition(i);
            output = output.cat(t.out);
            node = fst.node(t.addr);
            if node.is_final()
                && let Ok(word) = u16::try_from(output.cat(node.final_output()).value())
            {
                out.push(Found {
                    start,
                    end: end + 1,
                    word,
                });
            }
        }
    }
    Some(out)
}

/// Where each literal word stands in `text`, given its words `found`.
fn words_seen(text: &str, found: &[Found]) -> Vec<WordSeen> {
    let mut seen = vec![0; generated::WORDS.len()];
    let bytes = text.as_bytes();
    for f in found {
        let s = &mut seen[usize::from(f.word)];
        *s |= SEEN;
        if Edge::Start.holds(bytes, f.start, f.end) {
            *s |= SEEN_AT_START;
        }
        if Edge::End.holds(bytes, f.start, f.end) {
            *s |= SEEN_AT_END;
        }
    }
    seen
}

/// The indices of the alternatives of `entry` whose literal words a story holds (`seen`),
/// anywhere: what is found in a part of the story is found in the story.
fn kept(entry: &generated::Entry, seen: &[WordSeen]) -> Vec<usize> {
    (0..entry.alternatives.len())
        .filter(|&i| all_seen(&sides(&entry.alternatives[i].2, false), seen))
        .collect()
}

/// Whether every side has a word seen where its edge allows.
fn all_seen(sides: &[(&'static [u16], Edge)], seen: &[WordSeen]) -> bool {
    sides.iter().all(|&(words, edge)| {
        let need = match edge {
            Edge::Anywhere => SEEN,
            Edge::Start => SEEN_AT_START,
            Edge::End => SEEN_AT_END,
        };
        words.iter().any(|&w| seen[usize::from(w)] & need != 0)
    })
}

/// Where each literal word stands in `text`: the scope's, scanned when it opened, when `text` is
/// the story in scope; else a scan of `text`. `None` when the scan finds nothing to go on.
fn seen_words(text: &str) -> Option<Vec<WordSeen>> {
    let at = text.as_ptr() as usize;
    SCOPE
        .with(|s| {
            s.borrow()
                .as_ref()
                .filter(|s| s.at == (at, at + text.len()))
                .map(|s| s.seen.clone())
        })
        .or_else(|| found(text).map(|f| words_seen(text, &f)))
}

/// The story being read on this thread, so that an expression compiles only the alternatives
/// that could match in it (see [`Lazy::for_text`]).
struct Scope {
    /// The story's address range: a text inside it is a part of it.
    at: (usize, usize),
    /// Where each literal word stands in the story.
    seen: Vec<WordSeen>,
    /// Every occurrence of a literal word in the story, by start.
    found: Vec<Found>,
    /// Per byte of the story (and its end), the index in `found` of the first word that starts
    /// there or later: a clause's words in two reads, where a binary search over a long story's
    /// words missed the cache at every step and made the reader superlinear.
    first_found: Vec<u32>,
    /// The expression each `Lazy` (by address) resolved to for this story.
    resolved: HashMap<usize, Option<Arc<Re>>>,
}

impl Scope {
    /// The index in `found` of the first word starting at byte `at` of the story or later.
    fn first_at(&self, at: usize) -> usize {
        self.first_found[at] as usize
    }

    /// Whether `text` lies inside the story (then it holds none of the words the story lacks).
    fn holds(&self, text: &str) -> bool {
        let at = text.as_ptr() as usize;
        self.at.0 <= at && at + text.len() <= self.at.1
    }
}

thread_local! {
    static SCOPE: RefCell<Option<Scope>> = const { RefCell::new(None) };
}

/// While it lives, the story it was made for is the one read on this thread: an expression run
/// on the story or any part of it compiles only the alternatives whose words the story holds.
/// Dropping it ends that (a text at the same address later is another story) and puts back the
/// scope it replaced, if any.
pub struct StoryScope {
    opened: bool,
    previous: Option<Scope>,
}

impl std::fmt::Debug for StoryScope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoryScope")
            .field("opened", &self.opened)
            .finish_non_exhaustive()
    }
}

impl StoryScope {
    /// Opens the scope of `story`, scanning it once for every filter's literal words.
    pub fn new(story: &str) -> StoryScope {
        let Some(found) = found(story) else {
            return StoryScope {
                opened: false,
                previous: None,
            };
        };
        // The table indexes `found` in u32: a story with more words than that (over 4 GB) is
        // read without a scope, every expression whole.
        let Ok(words) = u32::try_from(found.len()) else {
            return StoryScope {
                opened: false,
                previous: None,
            };
        };
        let mut first_found = Vec::with_capacity(story.len() + 1);
        let mut next = 0;
        for byte in 0..=story.len() {
            while next < found.len() && found[next].start < byte {
                next += 1;
            }
            first_found.push(u32::try_from(next).unwrap_or(words));
        }
        let at = story.as_ptr() as usize;
        let scope = Scope {
            at: (at, at + story.len()),
            seen: words_seen(story, &found),
            found,
            first_found,
            resolved: HashMap::new(),
        };
        StoryScope {
            opened: true,
            previous: SCOPE.with(|s| s.borrow_mut().replace(scope)),
        }
    }
}

impl Drop for StoryScope {
    fn drop(&mut self) {
        if self.opened {
            let previous = self.previous.take();
            SCOPE.with(|s| *s.borrow_mut() = previous);
        }
    }
}

/// How many alternations of alternatives one expression keeps compiled besides the whole: a
/// server reading many stories settles on the whole expression.
const KEPT_PARTS: usize = 4;

/// An expression compiled on first use: whole, or (for the story in scope) only the
/// alternatives that could match in it.
#[derive(Debug)]
pub struct Lazy {
    src: String,
    cell: OnceLock<Result<Arc<Re>, String>>,
    /// Set on the embedded vocabulary only: what compiled at once (`compile`) gives is the
    /// reference the filters are tested against. Unset there, and on an expression the build
    /// script derived no filter for (`Some(None)`), every text may match.
    filter: OnceLock<Option<Filter>>,
    /// The build script's alternatives of the expression, each with its literal words (set with
    /// `filter`; `None` when it is not taken apart).
    parts: OnceLock<Option<&'static generated::Entry>>,
    /// Alternations of some alternatives, compiled, by which alternatives they hold.
    compiled_parts: Mutex<Vec<(Vec<usize>, Arc<Re>)>>,
}

impl Lazy {
    fn new(src: String) -> Lazy {
        Lazy {
            src,
            cell: OnceLock::new(),
            filter: OnceLock::new(),
            parts: OnceLock::new(),
            compiled_parts: Mutex::new(Vec::new()),
        }
    }

    fn compiled(&self) -> &Result<Arc<Re>, String> {
        self.cell.get_or_init(|| Re::new(&self.src).map(Arc::new))
    }

    fn whole(&self) -> Option<Arc<Re>> {
        self.compiled().as_ref().ok().cloned()
    }

    /// The expression; a pattern that does not compile matches nothing (the vocabulary tests
    /// compile every pattern of the embedded file, so this is a build defect, never silent).
    pub fn get(&self) -> Option<&Re> {
        self.compiled().as_ref().ok().map(|r| &**r)
    }

    /// The expression to run on `text`. Inside the story in scope ([`StoryScope`]), that is the
    /// alternation of only those alternatives whose literal words the story holds: an
    /// alternative that matches nowhere in the story changes no match of the whole in it or in
    /// any part of it (leftmost-first, every alternative keeps its place), so the matches and
    /// their groups are the same, for a fraction of the compile time. `None` when no
    /// alternative could match (nothing is compiled) or the pattern does not compile.
    pub fn for_text(&self, text: &str) -> Option<Arc<Re>> {
        if let Some(whole) = self.cell.get() {
            return whole.as_ref().ok().cloned();
        }
        let Some(entry) = self.parts.get().copied().flatten() else {
            return self.whole();
        };
        let key = std::ptr::from_ref(self) as usize;
        SCOPE.with(|scope| {
            let mut scope = scope.borrow_mut();
            let Some(scope) = scope.as_mut().filter(|s| s.holds(text)) else {
                return self.whole();
            };
            if let Some(re) = scope.resolved.get(&key) {
                return re.clone();
            }
            let kept = kept(entry, &scope.seen);
            let re = if kept.is_empty() {
                None
            } else if kept.len() == entry.alternatives.len() {
                self.whole()
            } else {
                self.part(entry, kept)
            };
            scope.resolved.insert(key, re.clone());
            re
        })
    }

    /// The alternation of the alternatives `kept` (indices, in order), compiled once.
    fn part(&self, entry: &generated::Entry, kept: Vec<usize>) -> Option<Arc<Re>> {
        let mut parts = self
            .compiled_parts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((_, re)) = parts.iter().find(|(k, _)| *k == kept) {
            return Some(re.clone());
        }
        if parts.len() >= KEPT_PARTS {
            drop(parts);
            return self.whole();
        }
        match Re::new(&self.part_source(entry, &kept)) {
            Ok(re) => {
                let re = Arc::new(re);
                parts.push((kept, re.clone()));
                Some(re)
            }
            Err(_) => {
                drop(parts);
                self.whole()
            }
        }
    }

    /// The source of the alternation of the alternatives `kept` (indices, in order): the
    /// expression's own source with only those alternatives in its body.
    fn part_source(&self, entry: &generated::Entry, kept: &[usize]) -> String {
        let (open, close) = entry.body;
        let body: Vec<&str> = kept
            .iter()
            .map(|&i| {
                let (a, b, _) = entry.alternatives[i];
                &self.src[a..b]
            })
            .collect();
        format!(
            "{}{}{}",
            &self.src[..open],
            body.join("|"),
            &self.src[close..]
        )
    }

    /// The source this expression compiles to for `story` (what [`Lazy::for_text`] compiles in
    /// the story's scope, which it uses if open, before any cache): `None` when it is not taken apart, `Some(None)` when
    /// none of its alternatives could match there. For tests.
    #[doc(hidden)]
    pub fn alternation_for(&self, story: &str) -> Option<Option<String>> {
        let entry = self.parts.get().copied().flatten()?;
        let kept = kept(entry, &seen_words(story)?);
        Some((!kept.is_empty()).then(|| self.part_source(entry, &kept)))
    }

    /// Whether `text` could hold a match: false when it lacks the literals every match holds
    /// (then the expression need not be compiled).
    pub fn may_match(&self, text: &str) -> bool {
        self.filter
            .get()
            .and_then(Option::as_ref)
            .is_none_or(|f| f.admits(text))
    }

    /// The leftmost-first match in `text`.
    pub fn find<'h>(&self, text: &'h str) -> Option<Match<'h>> {
        if !self.may_match(text) {
            return None;
        }
        self.for_text(text).and_then(|r| r.find(text))
    }

    /// Successive non-overlapping matches in `text` (none, without compiling, when `text` lacks
    /// the expression's literals).
    pub fn find_iter<'h>(&self, text: &'h str) -> impl Iterator<Item = Match<'h>> + use<'h> {
        let all: Vec<Match<'h>> = if self.may_match(text) {
            self.for_text(text)
                .map(|r| r.find_iter(text).collect())
                .unwrap_or_default()
        } else {
            Vec::new()
        };
        all.into_iter()
    }

    /// Successive non-overlapping matches in `text`, with their groups.
    pub fn captures_iter<'h>(&self, text: &'h str) -> impl Iterator<Item = Captures<'h>> + use<'h> {
        let all: Vec<Captures<'h>> = if self.may_match(text) {
            self.for_text(text)
                .map(|r| r.captures_iter(text).collect())
                .unwrap_or_default()
        } else {
            Vec::new()
        };
        all.into_iter()
    }

    /// Whether it has been compiled, whole or in part (a story that lacks its words never
    /// compiles it).
    pub fn is_compiled(&self) -> bool {
        self.cell.get().is_some()
            || !self
                .compiled_parts
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .is_empty()
    }

    /// The expression's source.
    pub fn source(&self) -> &str {
        &self.src
    }

    /// Whether it matches `text`.
    pub fn is_match(&self, text: &str) -> bool {
        self.may_match(text) && self.for_text(text).is_some_and(|r| r.is_match(text))
    }
}

/// The vocabulary file, embedded so that the reader needs no file at run time.
pub const VOCABULARY_TOML: &str = include_str!("../vocabulary.toml");

/// The vocabulary as written in the file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VocabularyFile {
    /// Named alternations, usable in any pattern as `{name}`.
    pub classes: BTreeMap<String, String>,
    /// Number words and their values.
    pub numbers: BTreeMap<String, f64>,
    /// How negation is found.
    pub negation: NegationFile,
    /// Where clauses break (negation and context never cross a break).
    pub clause_breaks: Vec<String>,
    /// How conflicting values of one field are settled.
    pub merge: MergeFile,
    /// Phrases that set fields to fixed values.
    #[serde(rename = "rule")]
    pub rules: Vec<RuleFile>,
    /// Phrases that carry a number with a unit.
    #[serde(rename = "quantity")]
    pub quantities: Vec<QuantityFile>,
    /// Days of the week, for "ran on Sunday ... Monday morning my glutes ached".
    pub weekdays: WeekdaysFile,
}

/// Weekday settings.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeekdaysFile {
    /// The seven names in order, Monday first, each a pattern.
    pub names: Vec<String>,
    /// A clause naming a day and one of these is the run's day.
    pub run: Vec<String>,
    /// A later clause naming a day and one of these is when the pain began.
    pub pain: Vec<String>,
}

/// Negation settings.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NegationFile {
    /// Cues that negate what follows them in the same clause.
    pub before: Vec<String>,
    /// Phrases that look like cues but are not ("not sure", "no idea").
    pub pseudo: Vec<String>,
    /// How many words before a phrase a cue may stand.
    pub window_words: usize,
    /// Patterns tested on the clause text right after a phrase that negate it ("is fine").
    pub after: Vec<String>,
    /// Words that may stand between findings in a negated list ("no swelling, bruising or").
    pub list_words: Vec<String>,
    /// A phrase holding one of these already says how it is ("walking is fine"); what follows it
    /// ("and the leg is strong") is about something else and does not negate it.
    pub self_evident: Vec<String>,
}

/// Merge settings.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MergeFile {
    /// For enum fields: when several values are stated, the first in this order wins.
    pub order: BTreeMap<String, Vec<String>>,
    /// Boolean fields where a stated `false` beats a stated `true` (the red-flag value is false).
    pub prefer_false: Vec<String>,
    /// Fields that hold a list of values.
    pub lists: Vec<String>,
    /// A reading (`field=value`) that another stated finding accounts for, so that it is not
    /// kept: "stand still a minute and the cramp's gone" is claudication's cramping ache going
    /// on rest, not a muscle cramp nor the episode over.
    #[serde(default)]
    pub explained_by: BTreeMap<String, Vec<String>>,
}

/// One phrase rule as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    /// A short name for the rule, shown nowhere but in tests and debugging.
    pub id: String,
    /// Fields (dotted paths) and the values the phrase sets.
    pub set: BTreeMap<String, toml::Value>,
    /// The phrases.
    pub patterns: Vec<String>,
    /// At least one of these must appear in the same clause.
    #[serde(default)]
    pub requires: Vec<String>,
    /// None of these may appear in the same clause.
    #[serde(default)]
    pub blocks: Vec<String>,
    /// Must not match the clause text before the phrase (anchor with `$`).
    #[serde(default)]
    pub before_not: Option<String>,
    /// Must not match the clause text after the phrase (anchor with `^`).
    #[serde(default)]
    pub after_not: Option<String>,
    /// Whether negation applies (default true).
    #[serde(default = "yes")]
    pub negatable: bool,
    /// A weak rule only counts when no ordinary rule set the field.
    #[serde(default)]
    pub weak: bool,
    /// Ignore the phrase inside quotation marks (the runner's own label, not a finding).
    #[serde(default)]
    pub skip_quoted: bool,
    /// Look for `requires` in the whole sentence, not just the clause ("a pinching pain when I
    /// pull my knee up, sit low in the car, or ...").
    #[serde(default)]
    pub wide: bool,
    /// The phrase is about the past by nature ("a stress fracture last year"): history cues do
    /// not silence it.
    #[serde(default)]
    pub history: bool,
    /// Words after the phrase, in its sentence, saying it came and went within minutes ("felt
    /// light-headed when I stopped, gone in a couple of minutes"): the sign is then read as
    /// absent now. Only for signs whose passing moment is benign (never a faint or chest pain).
    #[serde(default)]
    pub passes: Vec<String>,
    /// The phrase is a reading ("a temp of 37.2", "thermometer says 38.5"): where one is
    /// stated, the field is what the readings say, and words without a number ("running a
    /// temp", "Mum thinks I've got a temperature") do not outvote it.
    #[serde(default)]
    pub measured: bool,
}

fn yes() -> bool {
    true
}

/// How a quantity becomes a field value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Compute {
    /// The number times the unit's factor.
    Value,
    /// Percent rise from `a` to `b`.
    IncreasePct,
    /// A clock time, `a` hours and `b` minutes ("a half marathon in 1:50"), in minutes.
    HoursMinutes,
    /// A temperature; sets `true` when hot, `false` when cool, nothing in between.
    HotFromDegrees,
}

/// One quantity rule as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuantityFile {
    /// A short name for the rule.
    pub id: String,
    /// The field (dotted path) it sets.
    pub field: String,
    /// The phrase, with a capture `n` (or `a` and `b`) for the number and `u` for the unit.
    pub pattern: String,
    /// Unit patterns and their factors; the captured unit must match one whole.
    #[serde(default)]
    pub units: BTreeMap<String, f64>,
    /// How to turn the number into a value.
    #[serde(default = "value")]
    pub compute: Compute,
    /// The value when the phrase itself is the number ("yesterday" is 1 day).
    #[serde(default)]
    pub fixed: Option<f64>,
    /// Smallest accepted value (after the factor).
    #[serde(default)]
    pub min: Option<f64>,
    /// Largest accepted value (after the factor).
    #[serde(default)]
    pub max: Option<f64>,
    /// At least one of these must appear in the same clause.
    #[serde(default)]
    pub requires: Vec<String>,
    /// None of these may appear in the same clause.
    #[serde(default)]
    pub blocks: Vec<String>,
    /// Must not match the clause text before the phrase.
    #[serde(default)]
    pub before_not: Option<String>,
    /// Must not match the clause text after the phrase.
    #[serde(default)]
    pub after_not: Option<String>,
    /// A weak rule only counts when no ordinary rule set the field.
    #[serde(default)]
    pub weak: bool,
    /// Look for `requires` in the whole sentence.
    #[serde(default)]
    pub wide: bool,
}

fn value() -> Compute {
    Compute::Value
}

/// A compiled phrase rule.
#[derive(Debug)]
pub struct Rule {
    /// The rule's name.
    pub id: String,
    /// Fields and values, as JSON.
    pub set: Vec<(String, serde_json::Value)>,
    /// The phrases, as one expression.
    pub pattern: Lazy,
    /// Clause context that must be present.
    pub requires: Option<Lazy>,
    /// Clause context that must be absent.
    pub blocks: Option<Lazy>,
    /// Must not match the text before.
    pub before_not: Option<Lazy>,
    /// Must not match the text after.
    pub after_not: Option<Lazy>,
    /// Whether negation applies.
    pub negatable: bool,
    /// Weak rule.
    pub weak: bool,
    /// Skip inside quotes.
    pub skip_quoted: bool,
    /// Requirements are looked for in the sentence.
    pub wide: bool,
    /// History cues do not silence it.
    pub history: bool,
    /// Came and went within minutes (see [`RuleFile::passes`]).
    pub passes: Option<Lazy>,
    /// A reading (see [`RuleFile::measured`]).
    pub measured: bool,
}

/// A compiled quantity rule.
#[derive(Debug)]
pub struct Quantity {
    /// The rule's name.
    pub id: String,
    /// The field it sets.
    pub field: String,
    /// The phrase.
    pub pattern: Lazy,
    /// Units and factors.
    pub units: Vec<(Lazy, f64)>,
    /// How to compute the value.
    pub compute: Compute,
    /// A fixed value.
    pub fixed: Option<f64>,
    /// Bounds.
    pub min: Option<f64>,
    /// Bounds.
    pub max: Option<f64>,
    /// Clause context that must be present.
    pub requires: Option<Lazy>,
    /// Clause context that must be absent.
    pub blocks: Option<Lazy>,
    /// Must not match the text before.
    pub before_not: Option<Lazy>,
    /// Must not match the text after.
    pub after_not: Option<Lazy>,
    /// Weak rule.
    pub weak: bool,
    /// Requirements are looked for in the sentence.
    pub wide: bool,
}

/// The compiled vocabulary.
#[derive(Debug)]
pub struct Vocabulary {
    /// Number words.
    pub numbers: Vec<(Lazy, f64)>,
    /// Negation cues.
    pub neg_before: Lazy,
    /// Pseudo-negation to ignore.
    pub neg_pseudo: Lazy,
    /// Window for cues.
    pub window_words: usize,
    /// Post-negation.
    pub neg_after: Lazy,
    /// Words allowed in a negated list.
    pub list_words: Vec<String>,
    /// Phrases that carry their own predicate.
    pub self_evident: Lazy,
    /// Clause breaks.
    pub breaks: Lazy,
    /// Enum orders.
    pub order: BTreeMap<String, Vec<String>>,
    /// Fields where false wins.
    pub prefer_false: Vec<String>,
    /// List fields.
    pub lists: Vec<String>,
    /// Readings another stated finding accounts for (see [`MergeFile::explained_by`]).
    pub explained_by: BTreeMap<String, Vec<String>>,
    /// Phrase rules.
    pub rules: Vec<Rule>,
    /// Quantity rules.
    pub quantities: Vec<Quantity>,
    /// Weekday names, Monday first.
    pub weekdays: Vec<Lazy>,
    /// Run context for a weekday.
    pub weekday_run: Lazy,
    /// Pain context for a weekday.
    pub weekday_pain: Lazy,
    /// Literal words that a story must hold for a rule (or quantity) to be tried.
    prefilter: Option<Prefilter>,
}

/// Which rules a story's words could fire: per rule, then per quantity, the sides of its
/// phrases' and its `requires`' filters, each of which the story must hold a word of.
#[derive(Debug)]
struct Prefilter {
    slots: Vec<Sides>,
}

impl Vocabulary {
    /// Which rules and quantities could match `text`: `(rules, quantities)`, one flag each.
    pub fn candidates(&self, text: &str) -> (Vec<bool>, Vec<bool>) {
        let n = self.rules.len();
        let all = || (vec![true; n], vec![true; self.quantities.len()]);
        let Some(p) = &self.prefilter else {
            return all();
        };
        let Some(seen) = seen_words(text) else {
            return all();
        };
        let mut rules: Vec<bool> = p.slots.iter().map(|s| all_seen(s, &seen)).collect();
        let quantities = rules.split_off(n);
        (rules, quantities)
    }

    /// Every expression compiled on first use, with the rule or quantity it belongs to (`None`
    /// for the shared ones: numbers, weekdays, negation's own phrases).
    fn owned(&self) -> Vec<(Option<Owner<'_>>, &Lazy)> {
        let mut out: Vec<(Option<Owner<'_>>, &Lazy)> =
            self.numbers.iter().map(|(l, _)| (None, l)).collect();
        out.extend(self.weekdays.iter().map(|l| (None, l)));
        out.extend(
            [
                &self.neg_before,
                &self.neg_pseudo,
                &self.neg_after,
                &self.breaks,
                &self.self_evident,
                &self.weekday_run,
                &self.weekday_pain,
            ]
            .map(|l| (None, l)),
        );
        for r in &self.rules {
            let all = [
                Some(&r.pattern),
                r.requires.as_ref(),
                r.blocks.as_ref(),
                r.before_not.as_ref(),
                r.after_not.as_ref(),
                r.passes.as_ref(),
            ];
            out.extend(
                all.into_iter()
                    .flatten()
                    .map(|l| (Some(Owner::Rule(&r.id)), l)),
            );
        }
        for q in &self.quantities {
            let all = [
                Some(&q.pattern),
                q.requires.as_ref(),
                q.blocks.as_ref(),
                q.before_not.as_ref(),
                q.after_not.as_ref(),
            ];
            let units = q.units.iter().map(|(l, _)| l);
            let owner = Some(Owner::Quantity(&q.id));
            out.extend(all.into_iter().flatten().chain(units).map(|l| (owner, l)));
        }
        out
    }

    /// Every expression compiled on first use.
    pub fn lazies(&self) -> Vec<&Lazy> {
        self.owned().into_iter().map(|(_, l)| l).collect()
    }

    /// Gives each expression the build script's filter for its source, and the story its
    /// prefilter over all rules.
    fn filtered(mut self) -> Vocabulary {
        for l in self.lazies() {
            // Set once, here, before the vocabulary is shared: a second set cannot happen.
            let entry = entry(&l.src);
            let _ = l.filter.set(entry.and_then(Filter::of));
            let _ = l.parts.set(entry.filter(|e| !e.alternatives.is_empty()));
        }
        self.prefilter = prefilter(&self);
        self
    }

    /// Compiles every expression now, and names the first that does not compile.
    pub fn compile_all(&self) -> Result<(), VocabError> {
        for (owner, l) in self.owned() {
            if let Err(e) = l.compiled() {
                return Err(VocabError(match owner {
                    None => format!("pattern {:?}: {e}", l.src),
                    Some(Owner::Rule(id)) => format!("rule {id}: {e}"),
                    Some(Owner::Quantity(id)) => format!("quantity {id}: {e}"),
                }));
            }
        }
        Ok(())
    }
}

/// What an expression belongs to, to name it in an error.
#[derive(Debug, Clone, Copy)]
enum Owner<'a> {
    Rule(&'a str),
    Quantity(&'a str),
}

/// A problem in the vocabulary file, naming the rule and the pattern.
#[derive(Debug)]
pub struct VocabError(pub String);

impl std::fmt::Display for VocabError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The embedded vocabulary, compiled on first use.
pub static VOCABULARY: LazyLock<Vocabulary> = LazyLock::new(|| {
    // The file is part of the crate and `tests` compile it, so a failure here is a build defect.
    // It is read from the JSON the build script wrote of it: the same document, parsed in a
    // fraction of the time TOML took.
    let file = serde_json::from_str(VOCABULARY_JSON)
        .unwrap_or_else(|e| panic!("embedded vocabulary.toml, as JSON: {e}"));
    build_vocabulary(file, true)
        .unwrap_or_else(|e| panic!("embedded vocabulary.toml: {e}"))
        .filtered()
});

/// The embedded vocabulary file as JSON (written by the build script from `vocabulary.toml`).
#[doc(hidden)]
pub const VOCABULARY_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/vocabulary.json"));

/// How a file's phrases become sources: its classes, and whether it is the embedded file (whose
/// sources the build script expanded already).
struct Classes<'a> {
    map: &'a BTreeMap<String, String>,
    embedded: bool,
}

fn phrase_source(
    patterns: &[String],
    classes: &Classes<'_>,
    whole_words: bool,
) -> Result<String, VocabError> {
    if classes.embedded {
        let key = crate::pattern::phrase_key(patterns, whole_words);
        if let Ok(at) = generated::EXPANDED.binary_search_by(|(k, _)| (*k).cmp(key.as_str())) {
            return Ok(generated::EXPANDED[at].1.to_string());
        }
    }
    crate::pattern::phrase_source(patterns, classes.map, whole_words).map_err(VocabError)
}

fn lazy(patterns: &[String], classes: &Classes<'_>, whole_words: bool) -> Result<Lazy, VocabError> {
    phrase_source(patterns, classes, whole_words).map(Lazy::new)
}

fn optional(patterns: &[String], classes: &Classes<'_>) -> Result<Option<Lazy>, VocabError> {
    if patterns.is_empty() {
        Ok(None)
    } else {
        lazy(patterns, classes, true).map(Some)
    }
}

fn anchored(pattern: &Option<String>, classes: &Classes<'_>) -> Result<Option<Lazy>, VocabError> {
    match pattern {
        None => Ok(None),
        Some(p) => lazy(std::slice::from_ref(p), classes, false).map(Some),
    }
}

/// The story-wide prefilter: a rule is tried only when the story holds a literal of each side of
/// both its phrases and its `requires` (a `wide` rule's `requires` is looked for in the sentence,
/// a plain one's in the clause: either way in the story).
fn prefilter(v: &Vocabulary) -> Option<Prefilter> {
    let exprs = v
        .rules
        .iter()
        .map(|r| [Some(&r.pattern), r.requires.as_ref()])
        .chain(
            v.quantities
                .iter()
                .map(|q| [Some(&q.pattern), q.requires.as_ref()]),
        );
    let slots = exprs
        .map(|exprs| {
            exprs
                .into_iter()
                .flatten()
                .filter_map(|l| l.filter.get().and_then(Option::as_ref))
                .flat_map(|f| f.sides.iter().copied())
                .collect()
        })
        .collect();
    WORD_FST.as_ref()?;
    Some(Prefilter { slots })
}

fn to_json(value: &toml::Value) -> serde_json::Value {
    match value {
        toml::Value::String(s) => serde_json::Value::String(s.clone()),
        toml::Value::Integer(i) => serde_json::Value::from(*i),
        toml::Value::Float(f) => serde_json::Value::from(*f),
        toml::Value::Boolean(b) => serde_json::Value::Bool(*b),
        other => serde_json::Value::String(other.to_string()),
    }
}

/// Parses and compiles a vocabulary file, every expression now (so that a bad pattern is named).
pub fn compile(text: &str) -> Result<Vocabulary, VocabError> {
    let v = parse(text)?;
    v.compile_all()?;
    Ok(v)
}

/// Parses a vocabulary file, leaving phrase rules to compile on first use.
fn parse(text: &str) -> Result<Vocabulary, VocabError> {
    let file: VocabularyFile =
        toml::from_str(text).map_err(|e| VocabError(format!("vocabulary.toml: {e}")))?;
    build_vocabulary(file, false)
}

/// Builds the vocabulary of a parsed file, leaving phrase rules to compile on first use;
/// `embedded` when it is the crate's own file, whose phrases the build script expanded.
fn build_vocabulary(file: VocabularyFile, embedded: bool) -> Result<Vocabulary, VocabError> {
    let classes = &Classes {
        map: &file.classes,
        embedded,
    };
    let mut numbers = Vec::new();
    for (word, value) in &file.numbers {
        numbers.push((Lazy::new(crate::pattern::number_source(word)), *value));
    }
    let mut rules = Vec::new();
    for r in &file.rules {
        let ctx = |e: VocabError| VocabError(format!("rule {}: {}", r.id, e.0));
        rules.push(Rule {
            id: r.id.clone(),
            set: r.set.iter().map(|(k, v)| (k.clone(), to_json(v))).collect(),
            pattern: lazy(&r.patterns, classes, true).map_err(ctx)?,
            requires: optional(&r.requires, classes).map_err(ctx)?,
            blocks: optional(&r.blocks, classes).map_err(ctx)?,
            before_not: anchored(&r.before_not, classes).map_err(ctx)?,
            after_not: anchored(&r.after_not, classes).map_err(ctx)?,
            negatable: r.negatable,
            weak: r.weak,
            skip_quoted: r.skip_quoted,
            wide: r.wide,
            history: r.history,
            passes: optional(&r.passes, classes).map_err(ctx)?,
            measured: r.measured,
        });
    }
    let mut quantities = Vec::new();
    for q in &file.quantities {
        let ctx = |e: VocabError| VocabError(format!("quantity {}: {}", q.id, e.0));
        let mut units = Vec::new();
        for (unit, factor) in &q.units {
            let re = Lazy::new(
                crate::pattern::unit_source(unit, classes.map)
                    .map_err(VocabError)
                    .map_err(ctx)?,
            );
            units.push((re, *factor));
        }
        quantities.push(Quantity {
            id: q.id.clone(),
            field: q.field.clone(),
            pattern: lazy(std::slice::from_ref(&q.pattern), classes, true).map_err(ctx)?,
            units,
            compute: q.compute,
            fixed: q.fixed,
            min: q.min,
            max: q.max,
            requires: optional(&q.requires, classes).map_err(ctx)?,
            blocks: optional(&q.blocks, classes).map_err(ctx)?,
            before_not: anchored(&q.before_not, classes).map_err(ctx)?,
            after_not: anchored(&q.after_not, classes).map_err(ctx)?,
            weak: q.weak,
            wide: q.wide,
        });
    }
    let n = &file.negation;
    Ok(Vocabulary {
        numbers,
        neg_before: lazy(&n.before, classes, true)?,
        neg_pseudo: lazy(&n.pseudo, classes, true)?,
        window_words: n.window_words,
        neg_after: lazy(&n.after, classes, false)?,
        list_words: n.list_words.clone(),
        self_evident: lazy(&n.self_evident, classes, true)?,
        breaks: lazy(&file.clause_breaks, classes, false)?,
        order: file.merge.order,
        prefer_false: file.merge.prefer_false,
        lists: file.merge.lists,
        explained_by: file.merge.explained_by,
        rules,
        quantities,
        weekdays: file
            .weekdays
            .names
            .iter()
            .map(|n| lazy(std::slice::from_ref(n), classes, true))
            .collect::<Result<_, _>>()?,
        weekday_run: lazy(&file.weekdays.run, classes, true)?,
        weekday_pain: lazy(&file.weekdays.pain, classes, true)?,
        prefilter: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The embedded vocabulary takes each expression's source from the build script: the same
    /// sources expanding the file's classes at start-up gives.
    #[test]
    fn embedded_sources_are_the_expanded_files() {
        let file = || -> VocabularyFile {
            serde_json::from_str(VOCABULARY_JSON).expect("embedded vocabulary parses")
        };
        let embedded = build_vocabulary(file(), true).expect("builds");
        let expanded = build_vocabulary(file(), false).expect("builds");
        let sources = |v: &Vocabulary| -> Vec<String> {
            v.lazies().iter().map(|l| l.source().to_string()).collect()
        };
        assert_eq!(sources(&embedded), sources(&expanded));
        assert!(generated::EXPANDED.len() > 400);
    }
}
