//! Reads a runner's own words into the intake, and says which words each field came from.
//!
//! The reader is pure (no I/O, no clock) and never guesses: a field is set only when a phrase in
//! the vocabulary (`vocabulary.toml`, data, not code) states it; everything else stays unknown for
//! the dialogue to ask. Negation is scoped to its clause ("no swelling or bruising" makes both
//! false; "nothing hurt during the run" sets no onset), and a red flag that is stated is never
//! dropped, while a negated one is never set to true.
//!
//! How a story is read:
//! 1. Typography is made plain (curly quotes, dashes, line breaks) with a byte map back to the
//!    original, so every [`Span`] quotes the runner's exact words.
//! 2. The text is cut into clauses at punctuation and at "but", "though", "and I", ...; negation,
//!    context and "is fine" never cross a clause, except along a list ("no swelling, bruising or
//!    limping"; "peeing, pooing and the feeling between my legs are all normal").
//! 3. Every phrase rule and quantity rule runs; each hit is checked against its context
//!    (`requires`, `blocks`, what stands just before and after), then for questions and past
//!    history ("what if", "years ago": nothing stated now), then for negation (a cue before it in
//!    its clause, a cue inside it, or "is fine" after it).
//! 4. Conflicts are settled per field: a stated alarming value beats a reassuring one, the
//!    earliest onset wins, the latest trend wins, the first number wins, and weak readings (a
//!    plural "glutes" for both sides, an effort word for onset, the red-flag safety net) count
//!    only when nothing plainer set the field. Each value is checked against the intake type and
//!    its range before it is kept.
//!
//! The CLI puts [`Understood::intake`] in `--json` as `understood` (it is a valid intake, so the
//! dialogue can go on from it) and [`Understood::evidence`] beside it.

pub mod context;
mod dates;
mod pattern;
mod text;
pub mod vocab;

use std::collections::{BTreeMap, BTreeSet};

use runsore_model::Intake;
use serde::Serialize;
use serde_json::{Map, Value};

pub use context::Category;
use context::{CONTEXT, Context};
use text::{Clause, Normalised, clause_of, clauses, quoted, word_count};
use vocab::{Compute, VOCABULARY, Vocabulary};

/// How a story is read: the time of the check (to resolve "since Sunday") and which fields are
/// red flags (from the knowledge base: the reader holds no medical list of its own).
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The time of the check; without it, weekdays and relative dates are not resolved.
    pub now: Option<time::OffsetDateTime>,
    /// Intake fields (dotted paths) whose findings are red flags: marked on every [`Span`].
    pub red_flag_fields: BTreeSet<String>,
}

impl Options {
    /// Options for a check at `unix_s` (seconds since 1970, UTC) in a place `offset_s` seconds
    /// ahead of UTC (so that "since Sunday" counts the runner's days). Out-of-range values leave
    /// the clock unset.
    pub fn at(unix_s: i64, offset_s: i32) -> Options {
        let now = time::OffsetDateTime::from_unix_timestamp(unix_s)
            .ok()
            .zip(time::UtcOffset::from_whole_seconds(offset_s).ok())
            .map(|(t, o)| t.to_offset(o));
        Options {
            now,
            ..Options::default()
        }
    }
}

/// A modifier that reached a finding: what it says and the words that said it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Modifier {
    /// Negated, possible, historical, hypothetical or other experiencer.
    pub category: Category,
    /// Byte offset of the cue words in the story.
    pub start: usize,
    /// Byte offset one past them.
    pub end: usize,
    /// The cue words themselves.
    pub text: String,
}

/// One field the reader set, with the exact words it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Span {
    /// The intake field's dotted path (`where`, `run.hot`).
    pub field: String,
    /// The value read (for `where` and `feels`, one element of the list).
    pub value: Value,
    /// Byte offset of the words in the story.
    pub start: usize,
    /// Byte offset one past the words.
    pub end: usize,
    /// The words themselves.
    pub text: String,
    /// The lexicon entry that recognised them (a phrase rule's or quantity's id).
    pub rule: String,
    /// The modifiers that reached them. Only negation and hedges are left on a kept finding
    /// (someone else's, past and hypothetical findings are dropped): a `possible` red flag is
    /// one to confirm with the runner.
    pub modifiers: Vec<Modifier>,
    /// Whether the field is a red flag (per [`Options::red_flag_fields`]).
    pub red_flag: bool,
}

impl Span {
    /// Whether a hedge ("maybe", "I think", "a bit ... ?") reached the words.
    pub fn is_possible(&self) -> bool {
        self.modifiers
            .iter()
            .any(|m| m.category == Category::Possible)
    }
}

/// What the reader understood: the intake and the evidence for every field in it.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Understood {
    /// The intake read from the words; unknown fields are `None`.
    pub intake: Intake,
    /// The words behind each field, in story order.
    pub evidence: Vec<Span>,
}

/// A phrase found in the story, before merging.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    pub(crate) field: String,
    pub(crate) value: Value,
    /// Plain-text range of the words shown as evidence.
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) weak: bool,
    /// From a reading: readings settle the field among themselves.
    pub(crate) measured: bool,
    pub(crate) rule: String,
    /// Modifiers as (category, cue start, cue end) in plain-text bytes.
    pub(crate) modifiers: Vec<(Category, usize, usize)>,
}

/// Reads a story and returns the intake it states, with the words behind each field. Without a
/// clock, weekdays ("since Sunday") are not resolved to a number of days.
pub fn read_story(story: &str) -> Understood {
    read_with(&VOCABULARY, story, &Options::default())
}

/// Reads a story as at the time of the check in `options`.
pub fn read_story_at(story: &str, options: &Options) -> Understood {
    read_with(&VOCABULARY, story, options)
}

/// Reads a story with a given vocabulary (tests use this to check vocabulary edits).
pub fn read_with(vocab: &Vocabulary, story: &str, options: &Options) -> Understood {
    read_full(vocab, &CONTEXT, story, options)
}

/// Reads a story with a given vocabulary and context.
pub fn read_full(vocab: &Vocabulary, ctx: &Context, story: &str, options: &Options) -> Understood {
    let norm = Normalised::mended(story, ctx);
    let text = norm.text.as_str();
    // Expressions run on this story compile only the alternatives whose words it holds.
    let _scope = vocab::StoryScope::new(text);
    let clauses = clauses(text, &vocab.breaks);
    let quotes = quoted(text);
    let words = context::words(text);
    let sentences = text::sentences(text);
    let sentence_of = |at: usize| text::sentence_of(&sentences, text.len(), at);
    // A sign put as a question is answered in the next sentence ("Breathless? Only when
    // sprinting"): a word sense reads the answer with it.
    let sense_sentence = |at: usize| {
        let (a, b) = sentence_of(at);
        let bytes = text.as_bytes();
        if bytes.get(b) != Some(&b'?') {
            return (a, b);
        }
        let mut next = b + 1;
        while bytes.get(next).is_some_and(|c| matches!(c, b'?' | b'!')) {
            next += 1;
        }
        if next >= text.len() {
            (a, b)
        } else {
            (a, sentence_of(next).1.max(b))
        }
    };
    let now_year = options.now.map(|n| n.year());
    let mods = context::modifiers(ctx, text, &words, now_year, |at| {
        let c = clauses[clause_of(&clauses, at)];
        (c.start, c.end)
    });
    // A story written for someone else ("writing for my 12-year-old son"): that person is the
    // patient, so "he" and "my son" speak of them, and the writer's "I" does not.
    let proxy = ctx.proxy(&text.to_ascii_lowercase());
    let reach = context::Reach::new(&mods);
    // Whether a phrase states something about the runner now (`Ok` with the modifiers kept on
    // it), or the modifier that puts it elsewhere (`Err`).
    let situate = |start: usize, end: usize, history_ok: bool, rule: &str| {
        let mut kept = Vec::new();
        // "Might be a bit queasy, or it might just be the gels": a firm hedge and another
        // explanation in one sentence state nothing.
        let mut firm = false;
        let mut other_cause = None;
        for m in reach.reaching(start, end) {
            let modifier = &ctx.modifiers[m.modifier];
            let only = &modifier.only_rules;
            if !only.is_empty() && !only.iter().any(|r| r == rule) {
                continue;
            }
            if modifier.doubts_hedge {
                other_cause.get_or_insert(m);
                continue;
            }
            firm |= modifier.firm;
            match m.category {
                Category::OtherExperiencer
                    if proxy
                        .as_ref()
                        .is_some_and(|p| ctx.names_patient(p, &text[m.cue.0..m.cue.1])) => {}
                // "My mates had to carry me back to the car": what others did to the runner,
                // told with the runner in the phrase itself.
                Category::OtherExperiencer
                    if proxy.is_none()
                        && text[start..end]
                            .split(|c: char| !c.is_alphanumeric())
                            .any(|w| {
                                w.eq_ignore_ascii_case("me") || w.eq_ignore_ascii_case("myself")
                            }) => {}
                Category::Writer if proxy.is_none() => {}
                Category::OtherExperiencer
                | Category::Hypothetical
                | Category::Writer
                | Category::Uncertain => {
                    return Err(m.clone());
                }
                Category::Historical if !history_ok => return Err(m.clone()),
                Category::Historical | Category::Negated | Category::Pseudo => {}
                Category::Possible | Category::DoubleNegative => {
                    kept.push((m.category, m.cue.0, m.cue.1))
                }
            }
        }
        // "Maybe a bit feverish, hard to tell when it's 35 degrees here": a doubt anywhere in
        // the sentence of a firmly hedged sign is another explanation too.
        let (ss, se) = sentence_of(start);
        let other_cause = other_cause.or_else(|| {
            // `mods` are in the order of their cues.
            let first = mods.partition_point(|m| m.cue.0 < ss);
            mods[first..].iter().take_while(|m| m.cue.0 < se).find(|m| {
                // Not a doubt about another question ("not sure how long it lasted").
                let next = text[m.cue.1..].split_whitespace().next().unwrap_or("");
                m.category == Category::Uncertain
                    && ctx.modifiers[m.modifier].only_rules.is_empty()
                    && !["how", "why", "what", "which", "where", "who", "whether"]
                        .contains(&next.to_ascii_lowercase().as_str())
                    // "Not sure, but maybe a bit numb down there?": the "but" leans to yes.
                    && !(m.cue.1 <= start
                        && text[m.cue.1..start]
                            .split(|c: char| !c.is_alphanumeric())
                            .any(|w| w.eq_ignore_ascii_case("but")))
            })
        });
        // The hedge may be inside the phrase's own words ("calf might be a bit puffier"). A sign
        // only put as a question keeps its reading ("Pee was a bit brown? Could have been the
        // beetroot"): the runner asks to be reassured, and the dialogue confirms it.
        if let Some(m) = other_cause
            && (firm
                || mods.iter().any(|h| {
                    ctx.modifiers[h.modifier].firm
                        && h.cue.0 < end
                        && start < h.cue.1.max(h.scope.1)
                        && h.scope.0 < end
                }))
        {
            return Err(m.clone());
        }
        Ok(kept)
    };
    let mut found = Vec::new();

    // First every raw match, so that negation can see which words of a clause are findings.
    // Only the rules whose literal words occur are compiled and run.
    let (rule_candidates, quantity_candidates) = vocab.candidates(text);
    let mut raw: Vec<(usize, usize, usize)> = Vec::new(); // (rule, start, end)
    for (i, rule) in vocab.rules.iter().enumerate() {
        if !rule_candidates[i] {
            continue;
        }
        let Some(pattern) = rule.pattern.for_text(text) else {
            continue;
        };
        for m in pattern.find_iter(text) {
            raw.push((i, m.start(), m.end()));
        }
    }
    let spans = merged(raw.iter().map(|&(_, s, e)| (s, e)).collect());

    // "Peeing, pooing and the feeling between my legs are all normal": a clause that is only a
    // list item reaches on to the clause that ends the list, where the predicate stands.
    let extended: Vec<Clause> = (0..clauses.len())
        .map(|ci| {
            let mut c = clauses[ci];
            let mut k = ci;
            while k + 1 < clauses.len()
                && (clauses[k + 1].after_comma || clauses[k + 1].after_and)
                && list_only(vocab, text, clauses[k], &spans)
            {
                k += 1;
                c.end = clauses[k].end;
            }
            c
        })
        .collect();

    for &(i, start, end) in &raw {
        let rule = &vocab.rules[i];
        let ci = clause_of(&clauses, start);
        let clause = extended[ci];
        let clause_text = &text[clause.start..clause.end.max(end)];
        if rule.skip_quoted && quotes.iter().any(|&(qs, qe)| qs <= start && end <= qe) {
            continue;
        }
        if rule.wide
            && rule.requires.as_ref().is_some_and(|r| {
                let (a, b) = sentence_of(start);
                !r.is_match(&text[a..b])
            })
        {
            continue;
        }
        if !context_ok(
            text,
            clause,
            start,
            end,
            clause_text,
            if rule.wide { &None } else { &rule.requires },
            &rule.blocks,
            &rule.before_not,
            &rule.after_not,
        ) {
            continue;
        }
        // Training history is history by nature ("upped my mileage last month").
        let history_ok = rule.history || rule.set.iter().all(|(f, _)| f.starts_with("training."));
        let modifiers = match situate(start, end, history_ok, &rule.id) {
            Ok(m) => m,
            Err(elsewhere) => {
                // "My little boy had a temperature last week, now I've got one too": the runner
                // has it as well (this sentence or the next).
                let (_, sentence_end) = sentence_of(start);
                let next_end = if sentence_end < text.len() {
                    sentence_of(sentence_end + 1).1.max(sentence_end)
                } else {
                    sentence_end
                };
                // "My physio asked if I was limping, and honestly I am": someone else's question,
                // answered in the same sentence.
                let answerable = elsewhere.category == Category::Hypothetical
                    && ctx.modifiers[elsewhere.modifier].answerable;
                let stated = if answerable {
                    context::answered_yes(ctx, text, end, sentence_end)
                } else if elsewhere.category == Category::OtherExperiencer {
                    context::also(ctx, text, end, next_end)
                } else {
                    None
                };
                if let Some((a, b)) = stated {
                    for (field, value) in &rule.set {
                        found.push(Found {
                            field: field.clone(),
                            value: value.clone(),
                            start: a,
                            end: b,
                            weak: rule.weak,
                            measured: rule.measured,
                            rule: rule.id.clone(),
                            modifiers: Vec::new(),
                        });
                    }
                    continue;
                }
                // "My friend's pee went dark, mine is fine": the runner's own is denied. A
                // semicolon joins the answer to its clause ("my urine was brown two years ago;
                // this time it's been fine"), so the denial may stand in the clause after it.
                let denial_end = if text.as_bytes().get(sentence_end) == Some(&b';') {
                    next_end
                } else {
                    sentence_end
                };
                if (elsewhere.category != Category::Hypothetical || answerable)
                    && elsewhere.category != Category::Writer
                    && elsewhere.category != Category::Uncertain
                    && let Some((ds, de)) = context::denial(ctx, text, end, denial_end)
                {
                    for (field, value) in &rule.set {
                        if *value == Value::Bool(true) {
                            found.push(Found {
                                field: field.clone(),
                                value: Value::Bool(false),
                                start: ds,
                                end: de,
                                weak: rule.weak,
                                measured: rule.measured,
                                rule: rule.id.clone(),
                                modifiers: vec![(Category::Negated, ds, de)],
                            });
                        }
                    }
                }
                continue;
            }
        };
        // "Light-headed when I stopped, gone in a couple of minutes": absent now.
        if let Some(passes) = &rule.passes {
            let (_, mut sentence_end) = sentence_of(start);
            // "I went dizzy and had to lie down; it passed within two minutes": a next sentence
            // that speaks of the same sign ("it", "that") says how it went.
            if sentence_end < text.len() {
                let (_, next_end) = sentence_of(sentence_end + 1);
                let next = text[sentence_end + 1..next_end]
                    .trim_start()
                    .to_ascii_lowercase();
                let anaphora = [
                    "it ", "it's ", "that ", "that's ", "this ", "which ", "but it ",
                ];
                if anaphora.iter().any(|a| next.starts_with(a)) {
                    sentence_end = next_end;
                }
            }
            // "Icy and it hasn't warmed up", "it never went away": a passing that is denied
            // is no passing; the sign is still there and is read as it was said.
            let passed = passes.find(&text[end..sentence_end.max(end)]).filter(|m| {
                let gap = &text[end..end + m.start()];
                last_cue(vocab, gap).is_none_or(|cue| word_count(&gap[cue.1..]) > 2)
            });
            if let Some(m) = passed {
                for (field, value) in &rule.set {
                    if *value == Value::Bool(true) {
                        found.push(Found {
                            field: field.clone(),
                            value: Value::Bool(false),
                            start,
                            end: end + m.end(),
                            weak: rule.weak,
                            measured: rule.measured,
                            rule: rule.id.clone(),
                            modifiers: modifiers.clone(),
                        });
                    }
                }
                continue;
            }
        }
        // A word-sense rule tells a finding's trigger from another sense; a denial ("got my
        // breath back within a minute" after a hill) is read whatever the sense, and so is a
        // sign that passed ("my bits were numb after the ride, back to normal within the hour").
        if rule.set.iter().any(|(f, v)| {
            *v != Value::Bool(false)
                && context::other_sense(ctx, &words, f, start, end, sense_sentence(start))
        }) {
            continue;
        }
        let negation = if rule.negatable {
            negated(vocab, text, &clauses, &extended, ci, start, end, &spans)
                .or_else(|| context::answered_no(ctx, text, end).map(|(a, _)| a))
        } else {
            None
        };
        // "It's not like I can't put weight on it": a denied negative phrase states the
        // opposite; the denial is kept on the finding.
        // Only a phrase that holds its own negation is turned ("can't put weight"), never
        // another field a plain phrase sets beside its own ("limping" and walking on it).
        let double_negative = modifiers
            .iter()
            .find(|m| m.0 == Category::DoubleNegative)
            .copied()
            .filter(|_| holds_negative(&text[start..end]));
        let modifiers: Vec<_> = modifiers
            .into_iter()
            .filter(|m| m.0 != Category::DoubleNegative)
            .collect();
        // "Probably not breathless, just unfit", "maybe no fever": a denial the runner is
        // unsure of states nothing, so the sign stays unknown and is asked (a firm hedge on a
        // sign that is there keeps it, marked possible: a red flag is never assumed away).
        let firm_hedge = reach
            .reaching(start, end)
            .any(|m| m.category == Category::Possible && ctx.modifiers[m.modifier].firm);
        for (field, value) in &rule.set {
            if let (Some(dn), Value::Bool(false)) = (double_negative, value) {
                let mut m = modifiers.clone();
                m.push(dn);
                found.push(Found {
                    field: field.clone(),
                    value: Value::Bool(true),
                    start: dn.1.min(start),
                    end,
                    weak: rule.weak,
                    measured: rule.measured,
                    rule: rule.id.clone(),
                    modifiers: m,
                });
                continue;
            }
            match (negation, value) {
                // Not where "no" is the alarm ("probably can't put weight on it").
                (None, Value::Bool(false)) | (Some(_), Value::Bool(true))
                    if firm_hedge && !vocab.prefer_false.iter().any(|f| f == field) => {}
                (None, _) => found.push(Found {
                    field: field.clone(),
                    value: value.clone(),
                    start,
                    end,
                    weak: rule.weak,
                    measured: rule.measured,
                    rule: rule.id.clone(),
                    modifiers: modifiers.clone(),
                }),
                (Some(cue), Value::Bool(true)) => found.push(Found {
                    field: field.clone(),
                    value: Value::Bool(false),
                    start: cue.min(start),
                    end,
                    weak: rule.weak,
                    measured: rule.measured,
                    rule: rule.id.clone(),
                    modifiers: {
                        let mut m = modifiers.clone();
                        m.push((
                            Category::Negated,
                            cue.min(start),
                            if cue < start { start } else { end },
                        ));
                        m
                    },
                }),
                // A negated list item, enum, number or `false` says nothing for sure.
                (Some(_), _) => {}
            }
        }
    }

    for (qi, q) in vocab.quantities.iter().enumerate() {
        if !quantity_candidates[qi] {
            continue;
        }
        let Some(pattern) = q.pattern.for_text(text) else {
            continue;
        };
        for caps in pattern.captures_iter(text) {
            let m = caps.get(0).expect("group 0 always exists");
            let (start, end) = (m.start(), m.end());
            let ci = clause_of(&clauses, start);
            let clause = extended[ci];
            let clause_text = &text[clause.start..clause.end.max(end)];
            if q.wide
                && q.requires.as_ref().is_some_and(|r| {
                    let (a, b) = sentence_of(start);
                    !r.is_match(&text[a..b])
                })
            {
                continue;
            }
            if !context_ok(
                text,
                clause,
                start,
                end,
                clause_text,
                if q.wide { &None } else { &q.requires },
                &q.blocks,
                &q.before_not,
                &q.after_not,
            ) || negated(vocab, text, &clauses, &extended, ci, start, end, &spans).is_some()
            {
                continue;
            }
            let Ok(mut modifiers) = situate(start, end, q.field.starts_with("training."), &q.id)
            else {
                continue;
            };
            modifiers.retain(|m| m.0 != Category::DoubleNegative);
            // A unit needs a factor only when the rule lists units (a temperature reads its own).
            let factor = match caps.name("u") {
                _ if q.units.is_empty() => Some(1.0),
                None => Some(1.0),
                Some(u) => q
                    .units
                    .iter()
                    .find(|(re, _)| re.is_match(u.as_str().trim()))
                    .map(|&(_, f)| f),
            };
            let Some(factor) = factor else { continue };
            let number = |name: &str| {
                caps.name(name)
                    .and_then(|n| parse_number(vocab, n.as_str()))
            };
            let value = match q.compute {
                // "An hour and a half": the half follows the unit.
                Compute::Value => number("n")
                    .map(|n| {
                        n + if caps.name("half").is_some() {
                            0.5
                        } else {
                            0.0
                        }
                    })
                    .or(q.fixed)
                    .map(|n| number_value(n * factor)),
                Compute::HoursMinutes => match (number("a"), number("b")) {
                    (Some(a), Some(b)) if b < 60.0 => Some(number_value(a * 60.0 + b)),
                    _ => None,
                },
                Compute::IncreasePct => match (number("a"), number("b")) {
                    (Some(a), Some(b)) if a > 0.0 => Some(number_value((b - a) / a * 100.0)),
                    _ => None,
                },
                Compute::HotFromDegrees => number("n").and_then(|n| {
                    // A bare "degrees" is Celsius when it could only be Celsius, else Fahrenheit.
                    let celsius = match caps.name("u").map(|u| u.as_str().to_lowercase()) {
                        Some(u) if u.contains('f') => (n - 32.0) * 5.0 / 9.0,
                        Some(u) if u.contains('c') => n,
                        _ if n <= 45.0 => n,
                        _ if n >= 60.0 => (n - 32.0) * 5.0 / 9.0,
                        _ => return None,
                    };
                    if celsius >= 24.0 {
                        Some(Value::Bool(true))
                    } else if celsius <= 15.0 {
                        Some(Value::Bool(false))
                    } else {
                        None
                    }
                }),
            };
            let Some(value) = value else { continue };
            if let Some(n) = value.as_f64()
                && (q.min.is_some_and(|min| n < min) || q.max.is_some_and(|max| n > max))
            {
                continue;
            }
            found.push(Found {
                field: q.field.clone(),
                value,
                start,
                end,
                weak: q.weak,
                measured: false,
                rule: q.id.clone(),
                modifiers,
            });
        }
    }

    if let Some(p) = &proxy {
        // The patient's sex and age, from the words that name them.
        if let Some(sex) = &p.sex {
            found.push(Found {
                field: "sex".into(),
                value: Value::from(sex.as_str()),
                start: p.span.0,
                end: p.span.1,
                weak: false,
                measured: false,
                rule: "proxy-sex".into(),
                modifiers: Vec::new(),
            });
        }
        if let Some((years, s, e)) = p.age {
            found.push(Found {
                field: "age".into(),
                value: Value::from(years),
                start: s,
                end: e,
                weak: false,
                measured: false,
                rule: "proxy-age".into(),
                modifiers: Vec::new(),
            });
        }
    }
    found.extend(weekday_onset(vocab, text, &clauses));
    if let Some(now) = options.now {
        found.extend(
            dates::relative(vocab, text, &clauses, now)
                .into_iter()
                .filter(|f| situate(f.start, f.end, false, &f.rule).is_ok()),
        );
    }
    found.sort_by_key(|f| (f.start, f.end));
    let (intake, kept) = merge(vocab, found);
    let evidence = kept
        .into_iter()
        .map(|f| {
            let (start, end) = norm.original(f.start, f.end);
            let modifiers = f
                .modifiers
                .iter()
                .map(|&(category, s, e)| {
                    let (s, e) = norm.original(s, e);
                    Modifier {
                        category,
                        start: s,
                        end: e,
                        text: story[s..e].to_string(),
                    }
                })
                .collect();
            Span {
                red_flag: options.red_flag_fields.contains(&f.field),
                field: f.field,
                value: f.value,
                start,
                end,
                text: story[start..end].to_string(),
                rule: f.rule,
                modifiers,
            }
        })
        .collect();
    Understood { intake, evidence }
}

/// A number as JSON: whole numbers as integers, so that `age` and `pain` fit their integer types.
fn number_value(x: f64) -> Value {
    let r = (x * 10.0).round() / 10.0;
    if r.fract() == 0.0 && r.abs() < 1e12 {
        Value::from(r as i64)
    } else {
        Value::from(r)
    }
}

#[allow(clippy::too_many_arguments)] // one call site per rule kind; a struct would only rename them
fn context_ok(
    text: &str,
    clause: Clause,
    start: usize,
    end: usize,
    clause_text: &str,
    requires: &Option<vocab::Lazy>,
    blocks: &Option<vocab::Lazy>,
    before_not: &Option<vocab::Lazy>,
    after_not: &Option<vocab::Lazy>,
) -> bool {
    if requires.as_ref().is_some_and(|r| !r.is_match(clause_text)) {
        return false;
    }
    if blocks.as_ref().is_some_and(|b| b.is_match(clause_text)) {
        return false;
    }
    let before = &text[clause.start.min(start)..start];
    if before_not.as_ref().is_some_and(|b| b.is_match(before)) {
        return false;
    }
    let after = &text[end..clause.end.max(end)];
    !after_not.as_ref().is_some_and(|a| a.is_match(after))
}

/// "Did 30k on Sunday ... Monday morning my butt is stiff": the days between the run's weekday
/// and a later weekday with pain give the onset, as a weak reading (a plainer phrase wins).
fn weekday_onset(vocab: &Vocabulary, text: &str, clauses: &[Clause]) -> Vec<Found> {
    if vocab.weekdays.len() != 7 {
        return Vec::new();
    }
    // Every weekday mention, with its day number and clause.
    let mut days: Vec<(usize, usize, usize, usize)> = Vec::new(); // (day, start, end, clause)
    for (day, re) in vocab.weekdays.iter().enumerate() {
        for m in re.find_iter(text) {
            days.push((day, m.start(), m.end(), clause_of(clauses, m.start())));
        }
    }
    days.sort_by_key(|d| d.1);
    // Clause by clause: "I felt great on Saturday's 25 km run, but woke up on Sunday aching".
    let clause_has = |re: &vocab::Lazy, ci: usize| {
        let c = clauses[ci];
        re.is_match(&text[c.start..c.end])
    };
    let run = days
        .iter()
        .find(|d| clause_has(&vocab.weekday_run, d.3) && !clause_has(&vocab.weekday_pain, d.3));
    let Some(&(run_day, run_start, _, _)) = run else {
        return Vec::new();
    };
    let pain = days
        .iter()
        .find(|d| d.1 > run_start && d.0 != run_day && clause_has(&vocab.weekday_pain, d.3));
    let Some(&(pain_day, _, pain_end, _)) = pain else {
        return Vec::new();
    };
    let gap = (pain_day + 7 - run_day) % 7;
    let onset = if gap == 1 {
        "next_day"
    } else {
        "two_days_after"
    };
    vec![Found {
        field: "onset".into(),
        value: Value::from(onset),
        start: run_start,
        end: pain_end,
        weak: true,
        measured: false,
        rule: "weekday-onset".into(),
        modifiers: Vec::new(),
    }]
}

/// Whether a phrase is negated; returns where the negating words begin.
#[allow(clippy::too_many_arguments)] // the clause views are computed once by the caller
fn negated(
    vocab: &Vocabulary,
    text: &str,
    clauses: &[Clause],
    extended: &[Clause],
    ci: usize,
    start: usize,
    end: usize,
    spans: &[(usize, usize)],
) -> Option<usize> {
    let clause = clauses[ci];
    let before = &text[clause.start.min(start)..start];
    if let Some(cue) = last_cue(vocab, before)
        && word_count(&before[cue.1..]) <= vocab.window_words
    {
        return Some(clause.start + cue.0);
    }
    // A cue inside the phrase but not at its head ("pee isn't dark"); a cue at the head is the
    // phrase's own wording ("can't put weight on it").
    let inside = &text[start..end];
    if vocab
        .neg_before
        .find_iter(inside)
        .any(|m| m.start() > 0 && !pseudo_at(vocab, inside, m.start()))
    {
        return Some(start);
    }
    let after = &text[end..extended[ci].end.max(end)];
    // "Hurts lying in bed not moving": a pseudo-negation after the phrase denies nothing.
    let pseudo_after = vocab
        .neg_before
        .find(after)
        .is_some_and(|m| pseudo_at(vocab, after, m.start()));
    if vocab.neg_after.is_match(after) && !vocab.self_evident.is_match(inside) && !pseudo_after {
        return Some(start);
    }
    // "no swelling, bruising or limping": the list goes on across commas.
    if before.trim().is_empty() || list_only(vocab, text, clauses[ci], spans) {
        let mut k = ci;
        while clauses[k].after_comma && k > 0 && list_chain_ok(vocab, text, clauses, k, spans) {
            k -= 1;
            let prev = clauses[k];
            if last_cue(vocab, &text[prev.start..prev.end]).is_some() {
                return Some(start);
            }
            if !list_only(vocab, text, prev, spans) {
                break;
            }
        }
    }
    None
}

/// Whether a phrase holds its own negative ("can't put weight", "unable to stand").
fn holds_negative(phrase: &str) -> bool {
    phrase
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .map(str::to_ascii_lowercase)
        .any(|w| {
            w.ends_with("n't")
                || w.ends_with("nt")
                    && ["cant", "couldnt", "wont", "dont", "didnt"].contains(&w.as_str())
                || [
                    "not", "no", "never", "cannot", "unable", "barely", "hardly", "without",
                ]
                .contains(&w.as_str())
        })
}

/// The last negation cue in `text` that is not part of a pseudo-negation ("not sure").
fn last_cue(vocab: &Vocabulary, text: &str) -> Option<(usize, usize)> {
    vocab
        .neg_before
        .find_iter(text)
        .filter(|m| !pseudo_over(vocab, text, m.start(), m.end()))
        .map(|m| (m.start(), m.end()))
        .last()
}

/// Whether a pseudo-negation covers a cue at `start..end`: one that starts it and is shorter ("no
/// feeling" in "no feeling of numbness") leaves the longer cue standing.
fn pseudo_over(vocab: &Vocabulary, text: &str, start: usize, end: usize) -> bool {
    vocab
        .neg_pseudo
        .find_iter(text)
        .any(|p| p.start() <= start && start < p.end() && (p.start() < start || p.end() >= end))
}

fn pseudo_at(vocab: &Vocabulary, text: &str, at: usize) -> bool {
    vocab
        .neg_pseudo
        .find_iter(text)
        .any(|p| p.start() <= at && at < p.end())
}

/// Sorts byte ranges and merges overlapping ones, so that coverage is a binary search.
fn merged(mut spans: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    spans.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
    for (s, e) in spans {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// Whether a clause holds only findings and list words.
fn list_only(vocab: &Vocabulary, text: &str, clause: Clause, spans: &[(usize, usize)]) -> bool {
    let body = &text[clause.start..clause.end];
    for word in body.split(|c: char| !(c.is_alphanumeric() || c == '\'')) {
        if word.is_empty() {
            continue;
        }
        // The word's own offset, exact whatever the width of the separators before it.
        let offset = clause.start + (word.as_ptr() as usize - body.as_ptr() as usize);
        // `spans` are disjoint and sorted: the one that could hold `offset` is the last to
        // start at or before it.
        let i = spans.partition_point(|&(s, _)| s <= offset);
        let covered = i > 0 && offset < spans[i - 1].1;
        if !covered
            && !vocab
                .list_words
                .iter()
                .any(|w| w.eq_ignore_ascii_case(word))
        {
            return false;
        }
    }
    true
}

/// A negated list carries across commas only when the chain ends in "or"/"nor" somewhere.
fn list_chain_ok(
    vocab: &Vocabulary,
    text: &str,
    clauses: &[Clause],
    ci: usize,
    spans: &[(usize, usize)],
) -> bool {
    for c in &clauses[ci..] {
        if c.start != clauses[ci].start && !c.after_comma {
            break;
        }
        if !list_only(vocab, text, *c, spans) {
            break;
        }
        let body = text[c.start..c.end].to_lowercase();
        if body
            .split(|ch: char| !ch.is_alphanumeric())
            .any(|w| w == "or" || w == "nor")
        {
            return true;
        }
    }
    false
}

/// Parses a number in digits or words ("18", "two", "three and a half", "a couple of").
fn parse_number(vocab: &Vocabulary, words: &str) -> Option<f64> {
    let w = words.trim().to_lowercase().replace('-', " ");
    if let Ok(n) = w.parse::<f64>() {
        return Some(n);
    }
    if let Some(head) = w.strip_suffix(" and a half") {
        return parse_number(vocab, head).map(|n| n + 0.5);
    }
    if let Some(head) = w.strip_suffix(" and half") {
        return parse_number(vocab, head).map(|n| n + 0.5);
    }
    let word = |w: &str| {
        vocab
            .numbers
            .iter()
            .find(|(re, _)| re.is_match(w))
            .map(|&(_, v)| v)
    };
    // "Forty-eight": a ten and a unit.
    if let Some((tens, unit)) = w.split_once(' ')
        && let (Some(t), Some(u)) = (word(tens), word(unit))
        && t >= 20.0
        && u < 10.0
    {
        return Some(t + u);
    }
    word(&w)
}

/// The value a phrase gives a list field to say the list is empty ("no regular meds at all").
const EMPTY_LIST: &str = "none";

/// Settles conflicts between phrases and builds the intake. Returns the phrases kept as evidence.
fn merge(vocab: &Vocabulary, found: Vec<Found>) -> (Intake, Vec<Found>) {
    // A reading that another stated finding accounts for is not kept.
    let key = |f: &Found| match f.value.as_str() {
        Some(v) => format!("{}={v}", f.field),
        None => format!("{}={}", f.field, f.value),
    };
    let stated: BTreeSet<String> = found.iter().map(key).collect();
    let found: Vec<Found> = found
        .into_iter()
        .filter(|f| {
            vocab
                .explained_by
                .get(&key(f))
                .is_none_or(|by| !by.iter().any(|b| stated.contains(b)))
        })
        .collect();
    let mut by_field: BTreeMap<String, Vec<Found>> = BTreeMap::new();
    for f in found {
        by_field.entry(f.field.clone()).or_default().push(f);
    }
    let mut map = Map::new();
    let mut kept = Vec::new();
    let mut none_said: BTreeMap<String, Vec<Found>> = BTreeMap::new();
    for (field, all) in by_field.iter_mut() {
        if vocab.lists.contains(field) {
            let (none, rest): (Vec<Found>, Vec<Found>) = std::mem::take(all)
                .into_iter()
                .partition(|f| f.value.as_str() == Some(EMPTY_LIST));
            *all = rest;
            if !none.is_empty() {
                none_said.insert(field.clone(), none.into_iter().take(1).collect());
            }
        }
    }
    by_field.retain(|field, all| !all.is_empty() || none_said.contains_key(field));
    for (field, mut all) in by_field {
        // A reading settles the field: "running a temp of 37.2" is no fever.
        if all.iter().any(|f| f.measured) {
            all.retain(|f| f.measured);
        }
        // Weak phrases count only when no ordinary phrase set the field.
        if all.iter().any(|f| !f.weak) {
            all.retain(|f| !f.weak);
        }
        let mut winner = None;
        let chosen: Vec<Found> = if vocab.lists.contains(&field) {
            let mut seen: Vec<Value> = Vec::new();
            all.into_iter()
                .filter(|f| {
                    let new = !seen.contains(&f.value);
                    if new {
                        seen.push(f.value.clone());
                    }
                    new
                })
                .collect()
        } else {
            let w = pick(vocab, &field, &all);
            // A winner can be inferred without being stated ("left" and "right" make "both"):
            // then every phrase behind it is the evidence.
            let stated = all.iter().any(|f| f.value == w);
            winner = Some(w.clone());
            if stated {
                all.into_iter().filter(|f| f.value == w).collect()
            } else {
                all
            }
        };
        // A list keeps the elements the intake knows, each on its own (a region of a newer
        // contract does not drop the others).
        let chosen: Vec<Found> = if winner.is_none() {
            chosen
                .into_iter()
                .filter(|f| {
                    let mut one = Map::new();
                    put(&mut one, &field, Value::Array(vec![f.value.clone()]));
                    serde_json::from_value::<Intake>(Value::Object(one)).is_ok()
                })
                .collect()
        } else {
            chosen
        };
        // "No regular meds at all": a list said to be empty is empty ("none" in the vocabulary),
        // unless an element of it is named too.
        let chosen = if winner.is_none() && chosen.is_empty() {
            none_said.remove(&field).unwrap_or_default()
        } else {
            chosen
        };
        if winner.is_none() && chosen.is_empty() {
            continue;
        }
        let value = match winner {
            Some(w) => w,
            None => Value::Array(
                chosen
                    .iter()
                    .filter(|f| f.value.as_str() != Some(EMPTY_LIST))
                    .map(|f| f.value.clone())
                    .collect(),
            ),
        };
        // Each field is checked against the intake type on its own so that one bad value (say an
        // age out of range) drops only itself.
        let mut trial = map.clone();
        put(&mut trial, &field, value);
        if let Ok(intake) = serde_json::from_value::<Intake>(Value::Object(trial.clone()))
            && intake.validate().is_empty()
        {
            map = trial;
            kept.extend(chosen);
        }
    }
    let intake = serde_json::from_value(Value::Object(map)).unwrap_or_default();
    kept.sort_by_key(|f| (f.start, f.end));
    (intake, kept)
}

/// The value that wins among several stated for one field.
fn pick(vocab: &Vocabulary, field: &str, all: &[Found]) -> Value {
    let values: Vec<&Value> = all.iter().map(|f| &f.value).collect();
    if values.iter().all(|v| v.is_boolean()) {
        let wanted = !vocab.prefer_false.iter().any(|f| f == field);
        // A stated red flag is never outvoted: the value that raises concern wins a conflict.
        return if values.iter().any(|v| v.as_bool() == Some(wanted)) {
            Value::Bool(wanted)
        } else {
            Value::Bool(!wanted)
        };
    }
    if field == "sides" {
        let has = |s: &str| values.iter().any(|v| v.as_str() == Some(s));
        if has("both") || (has("left") && has("right")) {
            return Value::from("both");
        }
    }
    if let Some(order) = vocab.order.get(field) {
        for o in order {
            if values.iter().any(|v| v.as_str() == Some(o.as_str())) {
                return Value::from(o.as_str());
            }
        }
    }
    if values.iter().all(|v| v.is_number()) {
        // Numbers: the first stated.
        return values[0].clone();
    }
    // Other enums (trend): the last stated is the latest news.
    values[values.len() - 1].clone()
}

fn put(map: &mut Map<String, Value>, path: &str, value: Value) {
    match path.split_once('.') {
        None => {
            map.insert(path.to_string(), value);
        }
        Some((head, rest)) => {
            let node = map
                .entry(head.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(inner) = node {
                put(inner, rest, value);
            }
        }
    }
}

/// Shows what was understood and from which words, for the runner to confirm or correct.
///
/// One line per field and value, in the order the story first mentions them, with every phrase
/// that said it.
pub fn render_understood(understood: &Understood) -> String {
    let mut out = String::from("What I understood from your words (please confirm or correct):\n");
    if understood.evidence.is_empty() {
        out.push_str("  nothing I could be sure of; I will ask instead\n");
        return out;
    }
    let mut lines: Vec<(String, Vec<&str>)> = Vec::new();
    for span in &understood.evidence {
        let left = format!("{} = {}", span.field, value_text(&span.value));
        match lines.iter_mut().find(|(l, _)| *l == left) {
            Some((_, words)) => {
                if !words.contains(&span.text.as_str()) {
                    words.push(&span.text);
                }
            }
            None => lines.push((left, vec![&span.text])),
        }
    }
    let width = lines
        .iter()
        .map(|(l, _)| l.chars().count())
        .max()
        .unwrap_or(0);
    for (left, words) in lines {
        let quoted: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
        out.push_str(&format!("  {left:<width$}  from {}\n", quoted.join(", ")));
    }
    out.push_str("Anything not listed is unknown: I will ask rather than guess.\n");
    out
}

fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.replace('_', " "),
        Value::Bool(true) => "yes".into(),
        Value::Bool(false) => "no".into(),
        other => other.to_string(),
    }
}
