//! The linguistic context of a phrase: ConText modifiers (who and when it is about, how sure),
//! word senses, and the spelling and typo mending done before phrases are matched.
//!
//! All of it is data (`context.toml`); this module turns the cue lists into one Aho-Corasick
//! automaton (built in well under a millisecond, linear in the text), never into regexes.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{LazyLock, OnceLock};

use regex_automata::meta::Regex;
use serde::{Deserialize, Serialize};

/// The context file, embedded so that the reader needs no file at run time.
pub const CONTEXT_TOML: &str = include_str!("../context.toml");

/// What a modifier says about the findings in its scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Negated: "no dark pee", "my pee isn't dark".
    Negated,
    /// A hedge: "maybe a bit dark?". Kept, for the runner to confirm.
    Possible,
    /// Doubt: the runner says they cannot tell ("might have a temperature, not sure"; "maybe
    /// limping? hard to tell"). Nothing is stated: the finding stays unknown, so the dialogue
    /// asks it.
    Uncertain,
    /// About the past, not now: "the pee problem last year cleared up".
    Historical,
    /// A question, worry or plan: "what if my pee turns dark".
    Hypothetical,
    /// About someone else: "my dad's sciatica".
    OtherExperiencer,
    /// Looks like a cue but is not ("over the last month" holds "last month"): found so that the
    /// longer phrase wins, and changes nothing.
    Pseudo,
    /// The writer speaking of themselves in a story written for someone else ("I've had a
    /// headache worrying about him"): about someone other than the patient there, and nothing
    /// anywhere else.
    Writer,
    /// A denial of a negative ("it's not like I can't put weight on it"): a phrase that holds
    /// its own negation ("can't put weight") states the opposite ("can").
    DoubleNegative,
}

/// Which way a cue's scope reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// The words after the cue.
    Forward,
    /// The words before the cue.
    Backward,
    /// Both.
    Both,
}

/// The context file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContextFile {
    /// ConText modifiers.
    #[serde(rename = "modifier")]
    pub modifiers: Vec<ModifierFile>,
    /// Word-sense rules.
    #[serde(rename = "sense")]
    pub senses: Vec<Sense>,
    /// Spelling variants: word to the vocabulary's form.
    pub spelling: BTreeMap<String, String>,
    /// Typo mending.
    pub typos: TyposFile,
    /// Words about now that deny, for the runner, what was said of someone else or the past.
    pub present: PresentFile,
    /// Stories written for someone else: who the patient is.
    pub proxy: ProxyFile,
    /// Emoji read as words ("🦵" = "leg"): one character each.
    #[serde(default)]
    pub emoji: BTreeMap<String, String>,
}

/// A story written for someone else (a parent for a child, a wife for her husband): that person
/// is the patient, their age and sex are the patient's, and the writer's own words are not.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProxyFile {
    /// Expressions (lowercase text) that say the story is written for someone else; a capture
    /// named `who` names them.
    pub framing: Vec<String>,
    /// Expressions that name someone who may be the patient ("my son is 13"): the story is
    /// theirs only when it goes on to speak of them (a `patient` pronoun after the words).
    pub implied: Vec<String>,
    /// Expressions that open a story by naming someone ("my husband is 50 and runs marathons"):
    /// the story is theirs when, after the words, the `patient` pronouns outnumber the writer's
    /// own `writer` words. A runner who opens with "my husband says I'm overdoing it" and goes on
    /// about themselves keeps their own story.
    #[serde(default)]
    pub opening: Vec<String>,
    /// Expressions that open a story by naming someone with their age ("My dad is 78, he slipped
    /// on the ice"): the story is theirs, running or not, when it goes on to speak of them and
    /// the writer says nothing of themselves after the words.
    #[serde(default)]
    pub opening_aged: Vec<String>,
    /// The writer's own words ("i", "me", "my"), counted against the patient's pronouns.
    #[serde(default)]
    pub writer: Vec<String>,
    /// Words about running: an opening counts only in a story that has one, so that "my mum
    /// had numbness after her back surgery" stays the mother's history.
    #[serde(default)]
    pub running: Vec<String>,
    /// The words for the patient, and the sex each one says.
    pub sex: BTreeMap<String, String>,
    /// Expressions for the patient's age (capture `n`, years).
    pub age: Vec<String>,
    /// Other-experiencer cues that, in such a story, speak of the patient (the pronouns); a cue
    /// that holds the framing's own word for them ("my son's") does too.
    pub patient: Vec<String>,
}

/// How a proxy expression says that the story is someone else's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Says {
    /// In so many words ("writing for my son").
    Framing,
    /// By naming them, when the story goes on to speak of them.
    Implied,
    /// By opening with them, when the story is about running and speaks more of them than of
    /// the writer.
    Opening,
    /// By opening with them and their age, when the story goes on to speak of them and never of
    /// the writer.
    OpeningAged,
}

/// A story written for someone else, as found.
#[derive(Debug, Clone)]
pub struct Proxy {
    /// The framing words' byte range.
    pub span: (usize, usize),
    /// The framing's word for the patient ("son"), if it has one.
    pub who: Option<String>,
    /// The patient's sex, when the words say it.
    pub sex: Option<String>,
    /// The patient's age and the words that gave it.
    pub age: Option<(u8, usize, usize)>,
}

/// Present-tense denials.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PresentFile {
    /// The phrases.
    pub denials: Vec<String>,
    /// Words that give the runner what was just said of someone else ("my little boy had a
    /// temperature last week, now I've got one too").
    #[serde(default)]
    pub also: Vec<String>,
    /// Answers that deny a sign the runner has just put as a question ("Chest pains? Nope.").
    #[serde(default)]
    pub answers_no: Vec<String>,
    /// Answers that say yes to someone else's question ("... asked if I was limping, and
    /// honestly I am").
    #[serde(default)]
    pub answers_yes: Vec<String>,
}

/// One modifier category as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModifierFile {
    /// What it says.
    pub category: Category,
    /// Which way its scope reaches.
    pub direction: Direction,
    /// At most this many words.
    pub max_scope: usize,
    /// Words that end its scope.
    #[serde(default)]
    pub terminated_by: Vec<String>,
    /// Words a cue may point back to instead ("my calves ache, they look the same": "they" is
    /// the calves, not other people): when one stands among the `anaphora_window` words before
    /// the cue, in its sentence or the one before, the cue is not a modifier.
    #[serde(default)]
    pub anaphora_of: Vec<String>,
    /// How many words back `anaphora_of` is looked for.
    #[serde(default)]
    pub anaphora_window: usize,
    /// Words for people: one standing nearer the cue than any `anaphora_of` word is what the
    /// cue points back to ("my legs ache and my mates say they fainted").
    #[serde(default)]
    pub anaphora_not_of: Vec<String>,
    /// The cue phrases.
    pub cues: Vec<String>,
    /// Words before a year that make it a cue when the year is before the check's ("back in
    /// 2019", "in 2021"): the past, told by its date.
    #[serde(default)]
    pub year_after: Vec<String>,
    /// Words before an age that make it a cue ("when I was 12", "when she was nine"): the past,
    /// told by how old someone was.
    #[serde(default)]
    pub age_after: Vec<String>,
    /// Words a standing-alone doubt's look-back may pass ("Mum thinks I've got a temperature but
    /// I haven't checked": the doubt is about what the "but" answers).
    #[serde(default)]
    pub reach_back_over: Vec<String>,
    /// The phrase rules (ids) the modifier may reach, when not all: a thermometer nobody used
    /// doubts a claimed temperature, not shivers seen under the duvet.
    #[serde(default)]
    pub only_rules: Vec<String>,
    /// Someone else's question that the runner may answer in the same sentence ("my physio asked
    /// if I was limping, and honestly I am"; "the doc asked if I'd had numbness - I haven't"):
    /// an answer there states the finding or denies it.
    #[serde(default)]
    pub answerable: bool,
    /// Words that make the sign the runner's own ("is the numbness in my bum something to
    /// worry about?"): one among the words the cue reaches voids the cue.
    #[serde(default)]
    pub voided_by: Vec<String>,
    /// A past time that opens its sentence is the whole sentence's, across "and" and commas
    /// ("When I was 15 I had a kidney infection and my wee was dark"), up to a word about now.
    #[serde(default)]
    pub sentence_wide: bool,
    /// Words for people ("son", "mates"): one after a `kin_determiners` word with at most two
    /// words between ("my asthmatic son", "my 8-year-old daughter", "the other kids") is a cue,
    /// as the listed phrases are.
    #[serde(default)]
    pub kin: Vec<String>,
    /// The words that open such a cue ("my", "our", "the").
    #[serde(default)]
    pub kin_determiners: Vec<String>,
    /// Words that open a clause after "and" with no subject of their own ("the kids have a
    /// tummy bug and have been sick"): the scope goes on into that clause, whose subject is
    /// the cue's.
    #[serde(default)]
    pub goes_on_after_and: Vec<String>,
    /// A firm hedge ("might", "maybe"), as against a softener ("a bit", "?"): a finding it
    /// reaches is left unknown when a `doubts_hedge` modifier reaches it too.
    #[serde(default)]
    pub firm: bool,
    /// Another explanation offered for a hedged sign ("might be a bit queasy, or it might just
    /// be the gels"; "calf might be puffier, or maybe I'm imagining it"): reaches back to the
    /// start of its sentence, and leaves unknown a finding a `firm` hedge reaches. A sign said
    /// plainly keeps its reading whatever cause is guessed for it ("bit queasy now, could be
    /// the gels").
    #[serde(default)]
    pub doubts_hedge: bool,
}

/// A word-sense rule: a trigger word beside these words is not the finding.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sense {
    /// The field whose phrase it disambiguates.
    pub field: String,
    /// The ambiguous words.
    pub trigger: Vec<String>,
    /// The word right after the trigger.
    #[serde(default)]
    pub next: Vec<String>,
    /// The word right before the trigger.
    #[serde(default)]
    pub prev: Vec<String>,
    /// Any word of the sentence.
    #[serde(default)]
    pub sentence: Vec<String>,
    /// Words of the sentence that keep the finding whatever else stands there.
    #[serde(default)]
    pub unless: Vec<String>,
}

/// Typo settings.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TyposFile {
    /// Words whose misspellings are mended.
    pub known: Vec<String>,
    /// Real words never mended.
    pub keep: Vec<String>,
}

/// One cue of a modifier.
#[derive(Debug)]
struct Cue {
    modifier: usize,
}

/// A compiled modifier category.
#[derive(Debug)]
pub struct Modifier {
    /// What it says.
    pub category: Category,
    /// Which way it reaches.
    pub direction: Direction,
    /// At most this many words.
    pub max_scope: usize,
    /// Words that end the scope.
    pub terminated_by: HashSet<String>,
    /// Words the cue may point back to (then it is not a modifier).
    pub anaphora_of: HashSet<String>,
    /// How many words back they are looked for.
    pub anaphora_window: usize,
    /// People words that the cue points back to instead.
    pub anaphora_not_of: HashSet<String>,
    /// Words before a past year that make it a cue.
    pub year_after: HashSet<String>,
    /// Phrases before an age that make it a cue, as words.
    pub age_after: Vec<Vec<String>>,
    /// Words a doubt's look-back may pass.
    pub reach_back_over: HashSet<String>,
    /// The rules it may reach (empty: all).
    pub only_rules: Vec<String>,
    /// Whether an answer in the same sentence settles what it reaches.
    pub answerable: bool,
    /// Opening its sentence, the past reaches the whole sentence.
    pub sentence_wide: bool,
    /// Words in reach that void the cue.
    pub voided_by: HashSet<String>,
    /// Words for people that make a cue after a determiner.
    pub kin: HashSet<String>,
    /// The determiners that open such a cue.
    pub kin_determiners: HashSet<String>,
    /// Clause openers after "and" that carry the scope on.
    pub goes_on_after_and: HashSet<String>,
    /// A firm hedge.
    pub firm: bool,
    /// Another explanation for a hedged sign.
    pub doubts_hedge: bool,
}

/// The compiled context.
#[derive(Debug)]
pub struct Context {
    /// Modifier categories.
    pub modifiers: Vec<Modifier>,
    cues: Vec<Cue>,
    /// Every cue, as a transducer from its words to its index in `cues` (see [`Context::cues_in`]).
    matcher: fst::Map<Cow<'static, [u8]>>,
    /// Word-sense rules.
    pub senses: Vec<Sense>,
    spelling: HashMap<String, String>,
    known: Vec<String>,
    known_set: HashSet<String>,
    keep: HashSet<String>,
    /// Present-tense denials, lowercase.
    pub denials: Vec<String>,
    /// "Me too", lowercase.
    pub also: Vec<String>,
    /// "Chest pains? Nope.": answers that deny the sign asked, lowercase.
    pub answers_no: Vec<String>,
    /// "... and honestly I am": answers that say yes, lowercase.
    pub answers_yes: Vec<String>,
    proxy_framing: Vec<(ProxyRe, Says)>,
    proxy_writer: HashSet<String>,
    proxy_running: HashSet<String>,
    proxy_sex: Vec<(String, String)>,
    proxy_age: Vec<ProxyRe>,
    proxy_patient: HashSet<String>,
    /// Emoji read as words.
    pub emoji: HashMap<char, String>,
}

/// A proxy expression, compiled on first use, for the text it is run on: with ASCII classes and
/// word boundaries on ASCII text, where they match exactly what Unicode's do (every `\w`, `\d`,
/// `\s` and `\b` of Unicode agrees with ASCII's on ASCII characters) and compile several times
/// faster; as written (Unicode) on any other text.
#[derive(Debug)]
struct ProxyRe {
    src: String,
    /// Sets of words every match holds, one of each (from the build script; none for an
    /// expression it did not see): a text without them is not searched, nor the expression
    /// compiled for it.
    needs: &'static [&'static [&'static str]],
    ascii: OnceLock<Option<Regex>>,
    unicode: OnceLock<Option<Regex>>,
}

impl ProxyRe {
    /// The expression; with `check`, its syntax is checked now, so that a bad file is named at
    /// once.
    fn new(src: &str, check: bool) -> Result<ProxyRe, String> {
        if check {
            regex_automata::util::syntax::parse(src).map_err(|e| e.to_string())?;
        }
        let needs = generated::PROXY_NEEDS
            .binary_search_by(|(s, _)| (*s).cmp(src))
            .map_or(&[][..], |at| generated::PROXY_NEEDS[at].1);
        Ok(ProxyRe {
            src: src.to_string(),
            needs,
            ascii: OnceLock::new(),
            unicode: OnceLock::new(),
        })
    }

    /// Compiles the expression, Unicode's or (for ASCII text only, so without requiring UTF-8)
    /// ASCII's; without the literal prefilter the meta engine would derive, which was most of
    /// the compile time for the same matches.
    fn build(&self, unicode: bool) -> Option<Regex> {
        Regex::builder()
            .configure(Regex::config().auto_prefilter(false).dfa(false))
            .syntax(
                regex_automata::util::syntax::Config::new()
                    .unicode(unicode)
                    .utf8(unicode),
            )
            .build(&self.src)
            .ok()
    }

    /// The first match in `text` and its groups.
    fn captures(&self, text: &str) -> Option<regex_automata::util::captures::Captures> {
        if !self
            .needs
            .iter()
            .all(|set| set.iter().any(|w| text.contains(w)))
        {
            return None;
        }
        let re = if text.is_ascii() {
            // A pattern that needs Unicode (a named class) reads ASCII text the same as written.
            self.ascii
                .get_or_init(|| self.build(false).or_else(|| self.build(true)))
        } else {
            self.unicode.get_or_init(|| self.build(true))
        };
        let re = re.as_ref()?;
        let mut c = re.create_captures();
        re.captures(text, &mut c);
        c.is_match().then_some(c)
    }
}

/// A problem in the context file.
#[derive(Debug)]
pub struct ContextError(pub String);

impl std::fmt::Display for ContextError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The embedded context, compiled on first use.
pub static CONTEXT: LazyLock<Context> = LazyLock::new(|| {
    // The file is part of the crate and `tests` compile it, so a failure here is a build defect.
    // It is read from the JSON the build script wrote of it: the same document, parsed in a
    // fraction of the time TOML takes.
    let file = serde_json::from_str(CONTEXT_JSON)
        .unwrap_or_else(|e| panic!("embedded context.toml, as JSON: {e}"));
    compile_file(file, true).unwrap_or_else(|e| panic!("embedded context.toml: {e}"))
});

/// The embedded context's cues as a transducer (written by the build script from `context.toml`,
/// as [`compile_file`] builds it for any other file).
const EMBEDDED_CUES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/cues.fst"));

mod generated {
    //! The words every match of each proxy expression holds (see `build.rs`).
    include!(concat!(env!("OUT_DIR"), "/proxy_needs.rs"));
}

/// The embedded context file as JSON (written by the build script from `context.toml`).
#[doc(hidden)]
pub const CONTEXT_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/context.json"));

/// Parses and compiles a context file.
pub fn compile(text: &str) -> Result<Context, ContextError> {
    let file: ContextFile =
        toml::from_str(text).map_err(|e| ContextError(format!("context.toml: {e}")))?;
    compile_file(file, false)
}

/// Compiles a parsed context file. The `embedded` one (the crate's own) takes its cue transducer
/// from the build script, and its proxy expressions are not parsed until first used (`compile`
/// checks them all in the tests); any other file's are checked now, so that a bad one is named.
fn compile_file(file: ContextFile, embedded: bool) -> Result<Context, ContextError> {
    let mut patterns = Vec::new();
    let mut cues = Vec::new();
    let mut modifiers = Vec::new();
    for (i, m) in file.modifiers.iter().enumerate() {
        for c in &m.cues {
            let c = c.trim();
            if c.is_empty() || c != c.to_lowercase() {
                return Err(ContextError(format!(
                    "modifier {:?}: cue {c:?} must be lowercase words",
                    m.category
                )));
            }
            patterns.push(c.to_string());
            cues.push(Cue { modifier: i });
        }
        modifiers.push(Modifier {
            category: m.category,
            direction: m.direction,
            max_scope: m.max_scope,
            terminated_by: m.terminated_by.iter().cloned().collect(),
            anaphora_of: m.anaphora_of.iter().cloned().collect(),
            anaphora_window: m.anaphora_window,
            anaphora_not_of: m.anaphora_not_of.iter().cloned().collect(),
            year_after: m.year_after.iter().cloned().collect(),
            age_after: m
                .age_after
                .iter()
                .map(|p| p.split_whitespace().map(str::to_string).collect())
                .collect(),
            reach_back_over: m.reach_back_over.iter().cloned().collect(),
            only_rules: m.only_rules.clone(),
            answerable: m.answerable,
            sentence_wide: m.sentence_wide,
            voided_by: m.voided_by.iter().cloned().collect(),
            kin: m.kin.iter().cloned().collect(),
            kin_determiners: m.kin_determiners.iter().cloned().collect(),
            goes_on_after_and: m.goes_on_after_and.iter().cloned().collect(),
            firm: m.firm,
            doubts_hedge: m.doubts_hedge,
        });
    }
    // The cues as a transducer, walked from every byte of a story for the longest cue there:
    // leftmost-longest matches, as an Aho-Corasick automaton finds them, with nothing to build
    // at start-up (building that automaton was most of the context's start-up).
    let matcher = if embedded {
        fst::Map::new(Cow::Borrowed(EMBEDDED_CUES))
    } else {
        let mut sorted: Vec<(&str, usize)> = patterns
            .iter()
            .enumerate()
            .map(|(i, p)| (p.as_str(), i))
            .collect();
        sorted.sort();
        // A cue written twice is the first one's (as the automaton reported the lowest pattern).
        sorted.dedup_by(|b, a| a.0 == b.0);
        fst::Map::from_iter(sorted.into_iter().map(|(p, i)| (p, i as u64)))
            .map(|m| fst::Map::new(Cow::Owned(m.into_fst().into_inner())))
            .and_then(|m| m)
    }
    .map_err(|e| ContextError(format!("context cues: {e}")))?;
    for s in &file.senses {
        if s.trigger.is_empty() {
            return Err(ContextError(format!("sense {}: no trigger", s.field)));
        }
    }
    let compile_all = |what: &str, list: &[String]| {
        list.iter()
            .map(|p| {
                ProxyRe::new(p, !embedded)
                    .map_err(|e| ContextError(format!("context.toml: proxy {what} {p:?}: {e}")))
            })
            .collect::<Result<Vec<_>, _>>()
    };
    let proxy_framing = compile_all("framing", &file.proxy.framing)?
        .into_iter()
        .map(|re| (re, Says::Framing))
        .chain(
            compile_all("implied", &file.proxy.implied)?
                .into_iter()
                .map(|re| (re, Says::Implied)),
        )
        .chain(
            compile_all("opening", &file.proxy.opening)?
                .into_iter()
                .map(|re| (re, Says::Opening)),
        )
        .chain(
            compile_all("opening_aged", &file.proxy.opening_aged)?
                .into_iter()
                .map(|re| (re, Says::OpeningAged)),
        )
        .collect();
    let proxy_age = compile_all("age", &file.proxy.age)?;
    let mut emoji = HashMap::new();
    for (e, word) in &file.emoji {
        let mut chars = e.chars();
        let (Some(ch), None) = (chars.next(), chars.next()) else {
            return Err(ContextError(format!(
                "context.toml: emoji {e:?}: must be one character"
            )));
        };
        emoji.insert(ch, word.clone());
    }
    for (word, sex) in &file.proxy.sex {
        if sex != "male" && sex != "female" {
            return Err(ContextError(format!(
                "context.toml: proxy sex {word:?} = {sex:?}: must be \"male\" or \"female\""
            )));
        }
    }
    Ok(Context {
        modifiers,
        cues,
        matcher,
        senses: file.senses,
        spelling: file.spelling.into_iter().collect(),
        known_set: file.typos.known.iter().cloned().collect(),
        known: file.typos.known,
        keep: file.typos.keep.into_iter().collect(),
        denials: file.present.denials,
        also: file.present.also,
        answers_no: file.present.answers_no,
        answers_yes: file.present.answers_yes,
        proxy_framing,
        proxy_sex: file.proxy.sex.into_iter().collect(),
        proxy_age,
        proxy_patient: file.proxy.patient.into_iter().collect(),
        proxy_writer: file.proxy.writer.into_iter().collect(),
        proxy_running: file.proxy.running.into_iter().collect(),
        emoji,
    })
}

impl Context {
    /// The cues in `lower` (a story in ASCII lowercase), leftmost-longest and not overlapping,
    /// as (start, end, index in `cues`): the longest cue starting at the first byte that starts
    /// one, then the same from its end.
    fn cues_in(&self, lower: &[u8]) -> Vec<(usize, usize, usize)> {
        let fst = self.matcher.as_fst();
        let mut out = Vec::new();
        let mut start = 0;
        while start < lower.len() {
            let mut node = fst.root();
            let mut output = fst::raw::Output::zero();
            let mut longest = None;
            for (end, &b) in lower.iter().enumerate().skip(start) {
                let Some(i) = node.find_input(b) else {
                    break;
                };
                let t = node.transition(i);
                output = output.cat(t.out);
                node = fst.node(t.addr);
                if node.is_final() {
                    longest = Some((end + 1, output.cat(node.final_output()).value()));
                }
            }
            match longest.and_then(|(end, cue)| Some((end, usize::try_from(cue).ok()?))) {
                Some((end, cue)) => {
                    out.push((start, end, cue));
                    start = end;
                }
                None => start += 1,
            }
        }
        out
    }

    /// Whether the story is written for someone else, and what it says of them. `lower` is the
    /// story in ASCII lowercase (byte offsets as in the story).
    pub fn proxy(&self, lower: &str) -> Option<Proxy> {
        // The story's words, read once for every count below.
        let all = words(lower);
        let count = |from: usize, list: &HashSet<String>| {
            all.iter()
                .filter(|w| w.start >= from && list.contains(&w.lower))
                .count()
        };
        let framed = self.proxy_framing.iter().find_map(|(re, says)| {
            let c = re.captures(lower)?;
            let m = c.get_match()?;
            let who = c.get_group_by_name("who").map(|w| &lower[w.start..w.end]);
            let theirs = match says {
                Says::Framing => true,
                Says::Implied => count(m.end(), &self.proxy_patient) > 0,
                Says::Opening => {
                    count(m.end(), &self.proxy_patient) > count(m.end(), &self.proxy_writer)
                        && count(0, &self.proxy_running) > 0
                }
                Says::OpeningAged => {
                    count(m.end(), &self.proxy_patient) > 0
                        && count(m.end(), &self.proxy_writer) == 0
                }
            };
            theirs.then_some((who, regex_automata::Span::from(m.start()..m.end())))
        });
        // "He's very drowsy and keeps asking the same questions": with no framing line and no
        // word of the writer's own (no "I", "my", "we"), the person spoken of is the patient.
        let (caps, m) = match framed {
            Some(f) => f,
            None => {
                // Only the pronouns: "my dad had chest pain before his heart attack" is the
                // runner's family history, however short the story.
                // The writer only as the object or among others ("he didn't recognise me",
                // "our street") is someone beside the patient, not the patient.
                if all.iter().any(|w| {
                    self.proxy_writer.contains(&w.lower)
                        && !matches!(w.lower.as_str(), "me" | "we" | "our" | "us")
                }) {
                    return None;
                }
                let first = all.iter().find(|w| self.proxy_patient.contains(&w.lower))?;
                (None, regex_automata::Span::from(first.start..first.end))
            }
        };
        let sex_of = |word: &str| {
            self.proxy_sex
                .iter()
                .find(|(w, _)| w == word)
                .map(|(_, s)| s.clone())
        };
        // The patient's word in the framing ("my son"), else the pronouns that follow it.
        let sex = caps.and_then(sex_of).or_else(|| {
            let count = |list: &[&str]| {
                all.iter()
                    .filter(|w| w.start >= m.start && list.contains(&w.lower.as_str()))
                    .count()
            };
            let he = count(&["he", "he's", "him", "his"]);
            let she = count(&["she", "she's", "her", "hers"]);
            match he.cmp(&she) {
                std::cmp::Ordering::Greater => Some("male".to_string()),
                std::cmp::Ordering::Less => Some("female".to_string()),
                std::cmp::Ordering::Equal => None,
            }
        });
        let age = self.proxy_age.iter().find_map(|re| {
            let c = re.captures(lower)?;
            let whole = c.get_match()?;
            let n = c.get_group_by_name("n")?;
            let years: u8 = lower[n.start..n.end].parse().ok()?;
            Some((years, whole.start(), whole.end()))
        });
        Some(Proxy {
            span: (m.start, m.end),
            who: caps.map(str::to_string),
            sex,
            age,
        })
    }

    /// Whether an other-experiencer cue speaks of the patient in a story written for them.
    pub fn names_patient(&self, proxy: &Proxy, cue: &str) -> bool {
        let cue = cue.to_ascii_lowercase();
        self.proxy_patient.contains(&cue)
            || proxy.who.as_ref().is_some_and(|who| {
                cue.split(' ')
                    .any(|w| w == who || w.strip_suffix("'s") == Some(who.as_str()))
            })
    }
}

/// A word of the text: its byte range, lowercase.
#[derive(Debug, Clone)]
pub struct Word {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// The word in lowercase.
    pub lower: String,
}

/// Splits text into words: letters and digits, with apostrophes inside a word ("can't", "dad's").
pub fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut start = None;
    let bytes = text.as_bytes();
    for (i, ch) in text.char_indices() {
        let inner_apostrophe = ch == '\''
            && start.is_some()
            && bytes
                .get(i + 1)
                .is_some_and(|b| (*b as char).is_ascii_alphanumeric());
        if ch.is_alphanumeric() || inner_apostrophe {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            out.push(Word {
                start: s,
                end: i,
                lower: text[s..i].to_lowercase(),
            });
        }
    }
    if let Some(s) = start {
        out.push(Word {
            start: s,
            end: text.len(),
            lower: text[s..].to_lowercase(),
        });
    }
    out
}

impl Context {
    /// The mended form of a word, if it needs mending: a spelling variant, or a slip of the keys
    /// in a word the reader knows.
    pub fn mend(&self, lower: &str) -> Option<&str> {
        if let Some(v) = self.spelling.get(lower) {
            return Some(v);
        }
        // The g dropped, as spoken: "thumpin'", "throbbin", "boakin'" (the apostrophe is not
        // part of the word).
        if lower.len() >= 5
            && lower.ends_with("in")
            && let Some(k) = self.known_set.get(format!("{lower}g").as_str())
        {
            return Some(k);
        }
        let n = lower.chars().count();
        if n < 5
            || self.known_set.contains(lower)
            || self.keep.contains(lower)
            || !lower.chars().all(|c| c.is_ascii_alphabetic())
        {
            return None;
        }
        let limit = if n >= 9 { 2 } else { 1 };
        let first = lower.as_bytes()[0];
        let mut best: Option<(&str, usize)> = None;
        let mut tie = false;
        // An inflection of a known word is a real word ("weights", "bruised"), never a slip.
        let inflection = |k: &str| {
            lower.strip_prefix(k).is_some_and(|rest| {
                ["s", "es", "d", "ed", "ing", "er", "ers", "ly", "y"].contains(&rest)
            })
        };
        for k in &self.known {
            if k.as_bytes()[0] != first || k.len().abs_diff(lower.len()) > limit || inflection(k) {
                continue;
            }
            let d = strsim::damerau_levenshtein(lower, k);
            if d == 0 || d > limit {
                continue;
            }
            match best {
                Some((_, bd)) if d > bd => {}
                Some((b, bd)) if d == bd && b != k => tie = true,
                _ => {
                    best = Some((k, d));
                    tie = false;
                }
            }
        }
        match best {
            Some((k, _)) if !tie => Some(k),
            _ => None,
        }
    }
}

/// Ages in words, for `age_after` ("when I was nine").
const AGE_WORDS: [&str; 26] = [
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
];

/// Words that may stand beside a trailing cue without making its clause more than the cue
/// ("once, years ago"; "but that was back in March").
const TRAILING_FILLER: [&str; 14] = [
    "once", "that", "was", "it", "back", "then", "about", "around", "roughly", "maybe", "and",
    "well", "at", "least",
];

/// Words that may stand beside a doubt in its own clause ("I honestly can't tell").
const DOUBT_FILLER: [&str; 12] = [
    "i", "i'm", "im", "honestly", "really", "just", "so", "though", "but", "to", "be", "tbh",
];

/// Words that may open what follows a doubt in its clause: an adjunct, not its object.
const DOUBT_ADJUNCT: [&str; 14] = [
    "in", "under", "with", "from", "by", "at", "tbh", "honestly", "though", "really", "yet", "you",
    "tbf", "either",
];

/// Words a doubt's look-back does not pass: the clause before them is another matter.
const DOUBT_STOP: [&str; 6] = ["but", "though", "although", "however", "except", "whereas"];

/// A modifier found in a story, with the stretch of text it reaches.
#[derive(Debug, Clone)]
pub struct Found {
    /// What it says.
    pub category: Category,
    /// The cue's byte range.
    pub cue: (usize, usize),
    /// The scope's byte range.
    pub scope: (usize, usize),
    /// Which of the context's modifiers it is (for [`Modifier::only_rules`]).
    pub modifier: usize,
}

/// Finds every modifier cue in `text` and its scope. `clause_bounds(at)` gives the clause around
/// byte `at`: a scope never leaves it.
pub fn modifiers(
    ctx: &Context,
    text: &str,
    words: &[Word],
    now_year: Option<i32>,
    clause_bounds: impl Fn(usize) -> (usize, usize),
) -> Vec<Found> {
    let lower = text.to_ascii_lowercase();
    let mut out = Vec::new();
    // Every cue as (start, end, modifier): the listed phrases, then the past years.
    let mut candidates: Vec<(usize, usize, usize)> = Vec::new();
    for (cs, ce, cue) in ctx.cues_in(lower.as_bytes()) {
        // Whole words only: "he" is not the "he" in "headache".
        let word_char = |b: u8| b.is_ascii_alphanumeric() || b == b'\'';
        let bytes = lower.as_bytes();
        let starts_word = !word_char(bytes[cs]) || cs == 0 || !word_char(bytes[cs - 1]);
        let ends_word = !word_char(bytes[ce - 1]) || ce == bytes.len() || !word_char(bytes[ce]);
        if !starts_word || !ends_word {
            continue;
        }
        candidates.push((cs, ce, ctx.cues[cue].modifier));
    }
    for (mi, modifier) in ctx.modifiers.iter().enumerate() {
        if let Some(now) = now_year
            && !modifier.year_after.is_empty()
        {
            for (i, w) in words.iter().enumerate().skip(1) {
                // "Had a tumble back in 2019": a year before this one, told as when.
                let year = (w.lower.len() == 4)
                    .then(|| w.lower.parse::<i32>().ok())
                    .flatten()
                    .filter(|y| (1900..now).contains(y));
                if year.is_some() && modifier.year_after.contains(&words[i - 1].lower) {
                    candidates.push((words[i - 1].start, w.end, mi));
                }
            }
        }
    }
    for (mi, modifier) in ctx.modifiers.iter().enumerate() {
        if modifier.kin.is_empty() {
            continue;
        }
        // "My asthmatic son", "our 8-year-old", "the other kids": a word for a person after
        // a determiner, with at most two words between and no break among them.
        for (i, w) in words.iter().enumerate() {
            let bare = w.lower.strip_suffix("'s").unwrap_or(&w.lower);
            if !modifier.kin.contains(bare) {
                continue;
            }
            for j in (i.saturating_sub(4)..i).rev() {
                let gap = &lower[words[j].end..w.start];
                if gap
                    .contains(|c: char| !(c.is_alphanumeric() || c == ' ' || c == '-' || c == '\''))
                    || words[j + 1..i].iter().any(|b| {
                        matches!(
                            b.lower.as_str(),
                            "and" | "or" | "but" | "with" | "to" | "of" | "i" | "me"
                        )
                    })
                {
                    break;
                }
                if modifier.kin_determiners.contains(&words[j].lower) {
                    candidates.push((words[j].start, w.end, mi));
                    break;
                }
            }
        }
    }
    for (mi, modifier) in ctx.modifiers.iter().enumerate() {
        for phrase in &modifier.age_after {
            let n = phrase.len();
            for (i, w) in words.iter().enumerate().skip(n) {
                let age = w.lower.len() <= 2 && w.lower.bytes().all(|b| b.is_ascii_digit())
                    || AGE_WORDS.contains(&w.lower.as_str());
                if age
                    && words[i - n..i]
                        .iter()
                        .zip(phrase)
                        .all(|(a, b)| a.lower == *b)
                {
                    candidates.push((words[i - n].start, w.end, mi));
                }
            }
        }
    }
    candidates.sort_unstable();
    candidates.dedup();
    for (cs, ce, mi) in candidates {
        let modifier = &ctx.modifiers[mi];
        let first_at = words.partition_point(|w| w.start < cs);
        // "My glutes swelled up, they feel weak": the pronoun is the body part just named. The
        // look-back stops at a second full stop (this sentence and the one before).
        if !modifier.anaphora_of.is_empty() {
            let mut stops = 0;
            let mut prev_end = cs;
            let mut points_back = false;
            for w in words[..first_at]
                .iter()
                .rev()
                .take(modifier.anaphora_window)
            {
                stops += text[w.end..prev_end].matches(['.', '!', '?']).count();
                if stops > 1 {
                    break;
                }
                if modifier.anaphora_not_of.contains(&w.lower) {
                    break;
                }
                if modifier.anaphora_of.contains(&w.lower) {
                    points_back = true;
                    break;
                }
                prev_end = w.start;
            }
            if points_back {
                continue;
            }
        }
        let (cls, cle) = clause_bounds(cs);
        // Words of the clause after and before the cue.
        let first_after = words.partition_point(|w| w.start < ce);
        let mut fwd_end = ce;
        if modifier.direction != Direction::Backward {
            fwd_end = cle.max(ce);
            for (n, w) in words[first_after..].iter().enumerate() {
                if w.start >= cle {
                    break;
                }
                if n >= modifier.max_scope || modifier.terminated_by.contains(&w.lower) {
                    fwd_end = w.start;
                    break;
                }
            }
        }
        // "The kids have a tummy bug and have been sick all week": a clause after "and" that
        // opens with a verb has the cue's subject, so the scope goes on into it.
        if !modifier.goes_on_after_and.is_empty() && fwd_end == cle.max(ce) {
            let mut next = words.partition_point(|w| w.start < cle);
            if words.get(next).is_some_and(|w| w.lower == "and") {
                next += 1;
            }
            if let Some(w) = words.get(next)
                && lower[cle..w.start].trim() == "and"
                && modifier.goes_on_after_and.contains(&w.lower)
            {
                let (_, ne) = clause_bounds(w.start);
                fwd_end = ne.max(w.end);
                for x in &words[next + 1..] {
                    if x.start >= ne {
                        break;
                    }
                    if modifier.terminated_by.contains(&x.lower) {
                        fwd_end = x.start;
                        break;
                    }
                }
            }
        }
        // "Years ago, after my disc went, I had numbness down there": a time that opens its
        // sentence and stands alone before a comma is the whole sentence's, so the past reaches
        // on across commas (never across a full stop, "but" or any other break).
        if modifier.category == Category::Historical
            && modifier.direction != Direction::Backward
            && fwd_end == cle.max(ce)
        {
            let clause_words = || {
                words[words.partition_point(|w| w.start < cls)..]
                    .iter()
                    .take_while(|w| w.start < cle)
            };
            let alone = clause_words().all(|w| {
                (w.start >= cs && w.end <= ce) || TRAILING_FILLER.contains(&w.lower.as_str())
            });
            let opens = text[..cls]
                .trim_end()
                .chars()
                .next_back()
                .is_none_or(|c| matches!(c, '.' | '!' | '?' | ';' | ':'));
            let leads = clause_words()
                .take_while(|w| w.start < cs)
                .all(|w| TRAILING_FILLER.contains(&w.lower.as_str()));
            if opens && (alone || (modifier.sentence_wide && leads)) {
                let mut n = 0;
                let mut edge = cle;
                'clauses: while edge < text.len() {
                    let mut at = words.partition_point(|w| w.start < edge);
                    // The "and" that breaks the clauses is in neither.
                    if modifier.sentence_wide && words.get(at).is_some_and(|w| w.lower == "and") {
                        at += 1;
                    }
                    let Some(next) = words.get(at) else {
                        break;
                    };
                    let (ns, ne) = clause_bounds(next.start);
                    let gap = &text[edge.min(ns)..ns.max(edge)];
                    let joined = if modifier.sentence_wide {
                        let g = gap.trim_matches(|c: char| c == ',' || c.is_whitespace());
                        g.is_empty() || g.eq_ignore_ascii_case("and")
                    } else {
                        gap.contains(',') && gap.chars().all(|c| c == ',' || c.is_whitespace())
                    };
                    if ns < edge || ne <= ns || !joined {
                        break;
                    }
                    for w in words[words.partition_point(|w| w.start < ns)..]
                        .iter()
                        .take_while(|w| w.start < ne)
                    {
                        if n >= modifier.max_scope || modifier.terminated_by.contains(&w.lower) {
                            fwd_end = w.start;
                            break 'clauses;
                        }
                        n += 1;
                    }
                    fwd_end = ne;
                    edge = ne;
                }
            }
        }
        let mut back_start = cs;
        if modifier.direction != Direction::Forward {
            back_start = cls.min(cs);
            for (n, w) in words[..first_at].iter().rev().enumerate() {
                if w.end <= cls {
                    break;
                }
                if n >= modifier.max_scope || modifier.terminated_by.contains(&w.lower) {
                    back_start = w.end;
                    break;
                }
            }
            // "My heart skipped a few beats once, years ago": a cue that stands alone after a
            // comma is a trailing adverbial of the clause before it, so its scope reaches back
            // across that comma (never across a full stop, "but" or any other break).
            // "Might be a bit swollen? Hard to tell"; "maybe limping a little? my wife thinks
            // so, I'm not sure": a doubt that stands alone reaches back across commas and
            // question marks to what it doubts (never across a full stop, ";" or "but").
            if modifier.category == Category::Uncertain && (back_start == cls || cls == 0) {
                // Filler may stand before the doubt, and after it only an adjunct ("hard to
                // tell in this light", "couldn't tell you"), never what the doubt is about
                // ("not sure what's going on").
                let clause_words: Vec<&Word> = words[words.partition_point(|w| w.start < cls)..]
                    .iter()
                    .take_while(|w| w.start < cle)
                    .collect();
                let before_ok = clause_words.iter().filter(|w| w.end <= cs).all(|w| {
                    DOUBT_FILLER.contains(&w.lower.as_str())
                        || TRAILING_FILLER.contains(&w.lower.as_str())
                });
                let after_ok = clause_words
                    .iter()
                    .find(|w| w.start >= ce)
                    .is_none_or(|w| DOUBT_ADJUNCT.contains(&w.lower.as_str()));
                let alone = before_ok && after_ok;
                if !after_ok {
                    // "Not sure why my glutes hurt": the doubt is about what follows.
                    back_start = cs;
                } else if alone {
                    let mut edge = cls;
                    let mut prev_start = cs;
                    for (n, w) in words[..first_at].iter().rev().enumerate() {
                        let gap = &text[w.end..prev_start];
                        if n >= modifier.max_scope
                            || gap.contains(['.', '!', ';', ':'])
                            || (DOUBT_STOP.contains(&w.lower.as_str())
                                && !modifier.reach_back_over.contains(&w.lower))
                        {
                            break;
                        }
                        edge = w.start;
                        prev_start = w.start;
                    }
                    back_start = edge.min(cls);
                }
            }
            if back_start == cls && cls > 0 {
                let alone = words[words.partition_point(|w| w.start < cls)..]
                    .iter()
                    .take_while(|w| w.start < cle)
                    .all(|w| {
                        (w.start >= cs && w.end <= ce)
                            || TRAILING_FILLER.contains(&w.lower.as_str())
                    });
                let (ps, pe) = clause_bounds(cls - 1);
                let comma_only = pe <= cls
                    && text[pe..cls].contains(',')
                    && text[pe..cls].chars().all(|c| c == ',' || c.is_whitespace());
                if alone && comma_only && ps < cls {
                    back_start = ps;
                    for (n, w) in words[..first_at].iter().rev().enumerate() {
                        if w.end <= ps {
                            break;
                        }
                        if n >= modifier.max_scope || modifier.terminated_by.contains(&w.lower) {
                            back_start = w.end;
                            break;
                        }
                    }
                }
            }
        }
        // "Is the numbness in my bum something to worry about?": the runner's own sign.
        if !modifier.voided_by.is_empty()
            && words[words.partition_point(|w| w.start < back_start)..]
                .iter()
                .take_while(|w| w.start < fwd_end)
                .filter(|w| w.end <= cs || w.start >= ce)
                .any(|w| modifier.voided_by.contains(&w.lower))
        {
            continue;
        }
        // Another explanation for a hedged sign doubts what its sentence hedged, before it.
        if modifier.doubts_hedge {
            back_start = text[..cs].rfind(['.', '!', '?', ';']).map_or(0, |i| i + 1);
            // "Maybe a skipped beat? Might be the coffee": a sign put as a question, then
            // another cause for it.
            if text[..back_start].ends_with('?') {
                back_start = text[..back_start - 1]
                    .rfind(['.', '!', '?', ';'])
                    .map_or(0, |i| i + 1);
            }
            fwd_end = ce;
        }
        out.push(Found {
            category: modifier.category,
            cue: (cs, ce),
            scope: (back_start, fwd_end),
            modifier: mi,
        });
    }
    out
}

/// Whether a modifier reaches a phrase at `start..end`: its scope overlaps the phrase and its cue
/// is not part of the phrase itself.
fn reaches(m: &Found, start: usize, end: usize) -> bool {
    let overlaps_scope = m.scope.0 < end && start < m.scope.1;
    let in_cue = m.cue.0 < end && start < m.cue.1;
    // "If I couldn't walk on it": the finding shares words with the conditional that frames
    // it, and is still inside it.
    let framed = m.category == Category::Hypothetical && m.cue.0 < start;
    overlaps_scope && (!in_cue || framed)
}

/// A story's modifiers indexed by where their scopes start. Asking every modifier of the story
/// about every phrase made the reader quadratic (a 1 MB story has tens of thousands of each);
/// a scope that reaches a phrase starts at most the longest scope's length before it.
pub struct Reach<'a> {
    found: &'a [Found],
    /// `(scope start, index in found)`, sorted.
    by_start: Vec<(usize, usize)>,
    longest: usize,
}

impl<'a> Reach<'a> {
    /// Indexes the modifiers found in one story.
    pub fn new(found: &'a [Found]) -> Self {
        let mut by_start: Vec<(usize, usize)> = found
            .iter()
            .enumerate()
            .map(|(i, m)| (m.scope.0, i))
            .collect();
        by_start.sort_unstable();
        let longest = found
            .iter()
            .map(|m| m.scope.1.saturating_sub(m.scope.0))
            .max()
            .unwrap_or(0);
        Self {
            found,
            by_start,
            longest,
        }
    }

    /// The modifiers that reach a phrase at `start..end`, in the order they were found (the
    /// first that puts the phrase elsewhere is the one reported).
    pub fn reaching(&self, start: usize, end: usize) -> impl Iterator<Item = &'a Found> + use<'a> {
        // A scope ending at or before `start` cannot overlap: it started `longest` bytes or
        // more before it.
        let lo = self
            .by_start
            .partition_point(|&(s, _)| s.saturating_add(self.longest) <= start);
        let hi = self.by_start.partition_point(|&(s, _)| s < end);
        let mut near: Vec<usize> = self.by_start[lo..hi.max(lo)]
            .iter()
            .map(|&(_, i)| i)
            .collect();
        near.sort_unstable();
        let found = self.found;
        near.into_iter()
            .map(move |i| &found[i])
            .filter(move |m| reaches(m, start, end))
    }
}

/// Whether a word-sense rule says the phrase at `start..end`, setting `field`, means something
/// else. `sentence` is the byte range of its sentence.
pub fn other_sense(
    ctx: &Context,
    words: &[Word],
    field: &str,
    start: usize,
    end: usize,
    sentence: (usize, usize),
) -> bool {
    // Most fields have no sense rule: the story's words are looked up only for those that do
    // (each lookup is a binary search over every word of the story, which for a long story
    // missed the cache at every step).
    if !ctx.senses.iter().any(|s| s.field == field) {
        return false;
    }
    let first = words.partition_point(|w| w.end <= start);
    let last = words.partition_point(|w| w.start < end);
    let sentence_words = std::cell::OnceCell::new();
    let in_sentence = |list: &[String]| {
        let &(sent_first, sent_last) = sentence_words.get_or_init(|| {
            (
                words.partition_point(|w| w.end <= sentence.0),
                words.partition_point(|w| w.start < sentence.1),
            )
        });
        words[sent_first..sent_last]
            .iter()
            .any(|w| list.contains(&w.lower))
    };
    for sense in ctx.senses.iter().filter(|s| s.field == field) {
        for i in first..last {
            if !sense.trigger.iter().any(|t| *t == words[i].lower) {
                continue;
            }
            if in_sentence(&sense.unless) {
                continue;
            }
            let next = words.get(i + 1).map(|w| w.lower.as_str());
            let prev = i.checked_sub(1).map(|p| words[p].lower.as_str());
            let other = next.is_some_and(|n| sense.next.iter().any(|x| x == n))
                || prev.is_some_and(|p| sense.prev.iter().any(|x| x == p))
                || in_sentence(&sense.sentence);
            if other {
                return true;
            }
        }
    }
    false
}

/// Where in `text[from..to]` a present-tense denial stands, if any ("mine is fine").
pub fn denial(ctx: &Context, text: &str, from: usize, to: usize) -> Option<(usize, usize)> {
    let lower = text[from..to].to_ascii_lowercase();
    ctx.denials
        .iter()
        .filter_map(|d| {
            lower
                .find(d.as_str())
                .map(|i| (from + i, from + i + d.len()))
        })
        .min()
}

/// Words that may follow a "no" answer without making it part of something else ("Nah mate";
/// "No I haven't"; not "no idea").
const ANSWER_FOLLOW: [&str; 9] = [
    "mate",
    "thankfully",
    "luckily",
    "thank",
    "at",
    "i",
    "none",
    "nothing",
    "never",
];

/// Where a denying answer stands when the phrase ending at `end` is put as a question and
/// answered at once: "Chest pains? Nope."; "Feverish? Nah mate, 36.9". Not "No idea".
pub fn answered_no(ctx: &Context, text: &str, end: usize) -> Option<(usize, usize)> {
    let rest = &text[end..];
    let gap = rest.len() - rest.trim_start().len();
    let after = rest[gap..].strip_prefix('?')?;
    let skip = after.len()
        - after
            .trim_start_matches(|c: char| c.is_whitespace() || c == '?' || c == '-')
            .len();
    let from = end + gap + 1 + skip;
    let head: String = text[from..].chars().take(40).collect::<String>();
    let lower = head.to_ascii_lowercase();
    ctx.answers_no.iter().find_map(|a| {
        let tail = lower.strip_prefix(a.as_str())?;
        let ok = match tail.chars().next() {
            None => true,
            Some(c) if c.is_whitespace() => {
                let next = tail
                    .trim_start()
                    .split(|c: char| !(c.is_alphanumeric() || c == '\''))
                    .next()
                    .unwrap_or("");
                next.is_empty() || ANSWER_FOLLOW.contains(&next)
            }
            Some(c) => !c.is_alphanumeric() && c != '\'',
        };
        ok.then_some((from, from + a.len()))
    })
}

/// Where in `text[from..to]` the runner answers someone else's question yes ("and honestly I
/// am."): whole words, standing at the end of the sentence or before a comma.
pub fn answered_yes(ctx: &Context, text: &str, from: usize, to: usize) -> Option<(usize, usize)> {
    let lower = text[from..to].to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let word = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'\'');
    ctx.answers_yes
        .iter()
        .filter_map(|a| {
            lower.match_indices(a.as_str()).find_map(|(i, _)| {
                let starts = !word(i.checked_sub(1).and_then(|p| bytes.get(p)));
                let rest = lower[i + a.len()..].trim_start();
                let ends = rest.is_empty() || rest.starts_with(['.', '!', ',', ';', ')']);
                (starts && ends).then_some((from + i, from + i + a.len()))
            })
        })
        .min()
}

/// Where in `text[from..to]` the runner says they have it too ("now I've got one too"), if
/// anywhere: whole words only.
pub fn also(ctx: &Context, text: &str, from: usize, to: usize) -> Option<(usize, usize)> {
    let lower = text[from..to].to_ascii_lowercase();
    let word = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'\'');
    ctx.also
        .iter()
        .filter_map(|a| {
            lower.match_indices(a.as_str()).find_map(|(i, _)| {
                let bytes = lower.as_bytes();
                let whole = !word(i.checked_sub(1).and_then(|p| bytes.get(p)))
                    && !word(bytes.get(i + a.len()));
                whole.then_some((from + i, from + i + a.len()))
            })
        })
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The spans of a match and of each of its groups.
    fn spans(c: Option<regex_automata::util::captures::Captures>) -> Vec<Option<(usize, usize)>> {
        c.map(|c| {
            (0..c.group_len())
                .map(|i| c.get_group(i).map(|s| (s.start, s.end)))
                .collect()
        })
        .unwrap_or_default()
    }

    /// On ASCII text the proxy expressions compiled with ASCII classes find what they find as
    /// written (with Unicode's): the same match and groups, on every story and sentence of the
    /// test data and on stories written for someone else.
    #[test]
    fn ascii_proxy_expressions_read_ascii_text_as_written() {
        let file: ContextFile = toml::from_str(CONTEXT_TOML).expect("context.toml parses");
        let p = &file.proxy;
        let mut texts: Vec<String> = [
            "writing for my 12 year old son, he's sore after football",
            "hi, my husband is 50 and runs marathons. he says his bum is numb",
            "this is my daughter (14), she runs cross country",
            "i'm his mum. parent here: my 16-year-old lad's hip hurts",
            "my son is 12. he has a limp",
            "hello!! ok so my wife, aged 41, ran 30k",
        ]
        .map(str::to_string)
        .to_vec();
        texts.extend(lowered_texts());
        let texts: Vec<String> = texts
            .iter()
            .map(|t| t.to_ascii_lowercase())
            .filter(|t| t.is_ascii())
            .collect();
        assert!(texts.len() > 500);
        let mut matched = 0;
        for src in p
            .framing
            .iter()
            .chain(&p.implied)
            .chain(&p.opening)
            .chain(&p.opening_aged)
            .chain(&p.age)
        {
            let re = ProxyRe::new(src, true).expect("compiles");
            let ascii = re.build(false).or_else(|| re.build(true)).expect("builds");
            let unicode = re.build(true).expect("builds");
            let run = |re: &Regex, t: &str| {
                let mut c = re.create_captures();
                re.captures(t, &mut c);
                spans(c.is_match().then_some(c))
            };
            for t in &texts {
                let a = run(&ascii, t);
                assert_eq!(a, run(&unicode, t), "{src:?} on {t:?}");
                assert_eq!(spans(re.captures(t)), a);
                matched += usize::from(!a.is_empty());
            }
        }
        assert!(matched >= 6, "the proxy stories match: {matched}");
    }

    /// The test data's stories and sentences, lowercased, with a few of every modifier's kind.
    fn lowered_texts() -> Vec<String> {
        let mut texts: Vec<String> = vec![
            "my dad's sciatica; he had it years ago. what if my pee goes dark? no numbness".into(),
            "not sure if i fainted, maybe, my friend said i did last year".into(),
        ];
        for data in [
            include_str!("../tests/data/vignettes.json"),
            include_str!("../tests/data/extra_stories.json"),
            include_str!("../tests/data/blind_phrases.json"),
            include_str!("../tests/data/blind7_phrases.json"),
        ] {
            let rows: Vec<serde_json::Value> = serde_json::from_str(data).expect("test data");
            texts.extend(rows.iter().filter_map(|r| {
                r.get("story")
                    .or_else(|| r.get("text"))
                    .and_then(|s| s.as_str())
                    .map(str::to_ascii_lowercase)
            }));
        }
        texts
    }

    /// The cue transducer finds the cues an Aho-Corasick automaton over them finds, leftmost-
    /// longest and not overlapping (what the reader used before), on every test text: for the
    /// embedded context (the build script's transducer) and for the file compiled here.
    #[test]
    fn cue_transducer_finds_what_leftmost_longest_aho_corasick_finds() {
        let file: ContextFile = toml::from_str(CONTEXT_TOML).expect("context.toml parses");
        let cues: Vec<String> = file
            .modifiers
            .iter()
            .flat_map(|m| m.cues.iter().map(|c| c.trim().to_string()))
            .collect();
        let ac = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .build(&cues)
            .expect("builds");
        let compiled = compile(CONTEXT_TOML).expect("compiles");
        let mut found = 0;
        for t in lowered_texts() {
            let want: Vec<(usize, usize, usize)> = ac
                .find_iter(&t)
                .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
                .collect();
            assert_eq!(CONTEXT.cues_in(t.as_bytes()), want, "{t:?}");
            assert_eq!(compiled.cues_in(t.as_bytes()), want, "{t:?}");
            found += want.len();
        }
        assert!(found > 500, "cues found: {found}");
    }

    /// The embedded context's transducer is the one compiling its file builds, and every proxy
    /// expression of the file parses (the embedded context leaves that to first use).
    #[test]
    fn embedded_cues_and_proxy_expressions_are_the_files() {
        let compiled = compile(CONTEXT_TOML).expect("every expression parses");
        assert_eq!(
            CONTEXT.matcher.as_fst().as_bytes(),
            compiled.matcher.as_fst().as_bytes()
        );
    }

    /// A proxy expression is skipped on a text without one word of each set its matches hold:
    /// the sets are right (every match in the test data holds them) and cut the work (most
    /// stories lack them).
    #[test]
    fn proxy_needs_hold_in_every_match() {
        let ctx = compile(CONTEXT_TOML).expect("compiles");
        let exprs = || {
            ctx.proxy_framing
                .iter()
                .map(|(re, _)| re)
                .chain(&ctx.proxy_age)
        };
        assert!(
            exprs().all(|re| !re.needs.is_empty()),
            "every expression has its words"
        );
        let mut skipped = 0;
        for t in lowered_texts() {
            for re in exprs() {
                let holds = re.needs.iter().all(|set| set.iter().any(|w| t.contains(w)));
                let unfiltered = ProxyRe {
                    needs: &[],
                    ..ProxyRe::new(&re.src, true).expect("parses")
                };
                let m = spans(unfiltered.captures(&t));
                assert_eq!(spans(re.captures(&t)), m, "{:?} on {t:?}", re.src);
                skipped += usize::from(!holds);
            }
        }
        assert!(skipped > 1000, "skipped: {skipped}");
    }
}
