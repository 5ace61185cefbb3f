//! The vocabulary: the words the reader knows, loaded from `vocabulary.toml` and compiled once.
//!
//! Everything the reader recognises is data in that file (phrases, classes of words, negation
//! cues, clause breaks, units, number words); this module only turns it into regular expressions.
//!
//! Start-up stays cheap: the embedded vocabulary's phrase rules are compiled only when a story
//! holds one of their literal words (derived from the patterns by the build script and found
//! with one Aho-Corasick scan), and their context patterns only when the phrase matched.

use std::collections::BTreeMap;
use std::sync::{LazyLock, OnceLock};

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use regex::Regex;
use serde::Deserialize;

use crate::pattern::expand as expand_text;

mod generated {
    //! Each rule's literal words, from `vocabulary.toml` (see `build.rs`).
    include!(concat!(env!("OUT_DIR"), "/prefilter.rs"));
}

/// A regular expression compiled on first use.
#[derive(Debug)]
pub struct Lazy {
    src: String,
    cell: OnceLock<Result<Regex, String>>,
}

impl Lazy {
    fn new(src: String) -> Lazy {
        Lazy {
            src,
            cell: OnceLock::new(),
        }
    }

    fn compiled(&self) -> &Result<Regex, String> {
        self.cell.get_or_init(|| {
            // ASCII classes and word boundaries compile about an order of magnitude faster
            // than Unicode ones, and the reader normalises the story's quotes and dashes first;
            // a pattern that needs Unicode falls back to it.
            regex::RegexBuilder::new(&self.src)
                .unicode(false)
                .build()
                .or_else(|_| Regex::new(&self.src))
                .map_err(|e| e.to_string())
        })
    }

    /// The expression; a pattern that does not compile matches nothing (the vocabulary tests
    /// compile every pattern of the embedded file, so this is a build defect, never silent).
    pub fn get(&self) -> Option<&Regex> {
        self.compiled().as_ref().ok()
    }

    /// Whether it matches `text`.
    pub fn is_match(&self, text: &str) -> bool {
        self.get().is_some_and(|r| r.is_match(text))
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
    pub neg_before: Regex,
    /// Pseudo-negation to ignore.
    pub neg_pseudo: Regex,
    /// Window for cues.
    pub window_words: usize,
    /// Post-negation.
    pub neg_after: Regex,
    /// Words allowed in a negated list.
    pub list_words: Vec<String>,
    /// Phrases that carry their own predicate.
    pub self_evident: Lazy,
    /// Clause breaks.
    pub breaks: Regex,
    /// Enum orders.
    pub order: BTreeMap<String, Vec<String>>,
    /// Fields where false wins.
    pub prefer_false: Vec<String>,
    /// List fields.
    pub lists: Vec<String>,
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

/// Which rules a story's words could fire.
#[derive(Debug)]
struct Prefilter {
    matcher: AhoCorasick,
    /// Per literal: the rules (then quantities, offset by the rule count) whose phrases hold it,
    /// and, offset again by the number of both, those whose `requires` hold it.
    owners: Vec<Vec<usize>>,
    /// Rules and quantities that need one of their `requires` literals too.
    needs_requires: Vec<usize>,
    /// Rules and quantities with no literal set: always tried.
    always: Vec<usize>,
}

impl Vocabulary {
    /// Which rules and quantities could match `text`: `(rules, quantities)`, one flag each.
    pub fn candidates(&self, text: &str) -> (Vec<bool>, Vec<bool>) {
        let n = self.rules.len();
        let Some(p) = &self.prefilter else {
            return (vec![true; n], vec![true; self.quantities.len()]);
        };
        let total = n + self.quantities.len();
        let mut hit = vec![false; 2 * total];
        for &i in &p.always {
            hit[i] = true;
        }
        let lower = text.to_ascii_lowercase();
        for m in p.matcher.find_overlapping_iter(&lower) {
            for &owner in &p.owners[m.pattern().as_usize()] {
                hit[owner] = true;
            }
        }
        let required = hit.split_off(total);
        for &i in &p.needs_requires {
            hit[i] &= required[i];
        }
        let quantities = hit.split_off(n);
        (hit, quantities)
    }

    /// Compiles every expression now, and names the first that does not compile.
    pub fn compile_all(&self) -> Result<(), VocabError> {
        let shared = self
            .numbers
            .iter()
            .map(|(l, _)| l)
            .chain(self.weekdays.iter())
            .chain([&self.self_evident, &self.weekday_run, &self.weekday_pain]);
        for l in shared {
            if let Err(e) = l.compiled() {
                return Err(VocabError(format!("pattern {:?}: {e}", l.src)));
            }
        }
        for r in &self.rules {
            let all = [
                Some(&r.pattern),
                r.requires.as_ref(),
                r.blocks.as_ref(),
                r.before_not.as_ref(),
                r.after_not.as_ref(),
                r.passes.as_ref(),
            ];
            for l in all.into_iter().flatten() {
                if let Err(e) = l.compiled() {
                    return Err(VocabError(format!("rule {}: {e}", r.id)));
                }
            }
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
            for l in all.into_iter().flatten().chain(units) {
                if let Err(e) = l.compiled() {
                    return Err(VocabError(format!("quantity {}: {e}", q.id)));
                }
            }
        }
        Ok(())
    }
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
    let mut v = parse(VOCABULARY_TOML).unwrap_or_else(|e| panic!("embedded vocabulary.toml: {e}"));
    v.prefilter = prefilter(&v);
    v
});

fn expand(pattern: &str, classes: &BTreeMap<String, String>) -> Result<String, VocabError> {
    expand_text(pattern, classes).map_err(VocabError)
}

/// The source of one case-insensitive expression for several phrases, matching whole words only.
fn phrase_source(
    patterns: &[String],
    classes: &BTreeMap<String, String>,
    whole_words: bool,
) -> Result<String, VocabError> {
    let body = crate::pattern::body(patterns, classes).map_err(VocabError)?;
    Ok(if whole_words {
        format!(r"(?i)\b{{start-half}}(?:{body})\b{{end-half}}")
    } else {
        format!("(?i)(?:{body})")
    })
}

/// Compiles phrases now (the patterns every story needs: negation, clause breaks).
fn phrase_regex(
    patterns: &[String],
    classes: &BTreeMap<String, String>,
    whole_words: bool,
) -> Result<Regex, VocabError> {
    let lazy = Lazy::new(phrase_source(patterns, classes, whole_words)?);
    lazy.compiled()
        .clone()
        .map_err(|e| VocabError(format!("pattern {patterns:?}: {e}")))
}

fn lazy(
    patterns: &[String],
    classes: &BTreeMap<String, String>,
    whole_words: bool,
) -> Result<Lazy, VocabError> {
    phrase_source(patterns, classes, whole_words).map(Lazy::new)
}

fn optional(
    patterns: &[String],
    classes: &BTreeMap<String, String>,
) -> Result<Option<Lazy>, VocabError> {
    if patterns.is_empty() {
        Ok(None)
    } else {
        lazy(patterns, classes, true).map(Some)
    }
}

fn anchored(
    pattern: &Option<String>,
    classes: &BTreeMap<String, String>,
) -> Result<Option<Lazy>, VocabError> {
    match pattern {
        None => Ok(None),
        Some(p) => lazy(std::slice::from_ref(p), classes, false).map(Some),
    }
}

/// The prefilter of the embedded vocabulary, when the build script's literal table fits it
/// (same rules in the same order); otherwise every rule is tried.
fn prefilter(v: &Vocabulary) -> Option<Prefilter> {
    let table = generated::RULE_LITERALS
        .iter()
        .chain(generated::QUANTITY_LITERALS.iter());
    let total = v.rules.len() + v.quantities.len();
    let ids = v
        .rules
        .iter()
        .map(|r| r.id.as_str())
        .chain(v.quantities.iter().map(|q| q.id.as_str()));
    let mut literals: Vec<&str> = Vec::new();
    let mut owners: Vec<Vec<usize>> = Vec::new();
    let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut always = Vec::new();
    let mut needs_requires = Vec::new();
    let mut count = 0;
    for (i, ((id, lits, requires), want)) in table.zip(ids).enumerate() {
        if *id != want {
            return None;
        }
        count += 1;
        // A `wide` rule's `requires` is looked for in the sentence, a plain one in the clause:
        // either way in the story, so one of its literals must occur.
        let mut add = |lits: &[&'static str], owner: usize| {
            for l in lits {
                match index.get(l) {
                    Some(&k) => owners[k].push(owner),
                    None => {
                        index.insert(l, literals.len());
                        literals.push(l);
                        owners.push(vec![owner]);
                    }
                }
            }
        };
        match lits {
            None => always.push(i),
            Some(lits) => add(lits, i),
        }
        if let Some(req) = requires {
            add(req, total + i);
            needs_requires.push(i);
        }
    }
    if count != total {
        return None;
    }
    let matcher = AhoCorasick::builder()
        .match_kind(MatchKind::Standard)
        .kind(Some(AhoCorasickKind::NoncontiguousNFA))
        .build(&literals)
        .ok()?;
    Some(Prefilter {
        matcher,
        owners,
        needs_requires,
        always,
    })
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
    let classes = &file.classes;
    let mut numbers = Vec::new();
    for (word, value) in &file.numbers {
        numbers.push((Lazy::new(format!("(?i)^(?:{word})$")), *value));
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
        });
    }
    let mut quantities = Vec::new();
    for q in &file.quantities {
        let ctx = |e: VocabError| VocabError(format!("quantity {}: {}", q.id, e.0));
        let mut units = Vec::new();
        for (unit, factor) in &q.units {
            let re = Lazy::new(format!("(?i)^(?:{})$", expand(unit, classes).map_err(ctx)?));
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
        neg_before: phrase_regex(&n.before, classes, true)?,
        neg_pseudo: phrase_regex(&n.pseudo, classes, true)?,
        window_words: n.window_words,
        neg_after: phrase_regex(&n.after, classes, false)?,
        list_words: n.list_words.clone(),
        self_evident: lazy(&n.self_evident, classes, true)?,
        breaks: phrase_regex(&file.clause_breaks, classes, false)?,
        order: file.merge.order,
        prefer_false: file.merge.prefer_false,
        lists: file.merge.lists,
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
