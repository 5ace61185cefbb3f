//! The knowledge base: the TOML file's shape, its validation (every problem at once) and its
//! compilation into dense per-finding vectors that the engine reads without allocating.

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::fields::{AnswerKind, field_kind, intake_fields};
use crate::shared::{Shared, Text};

/// The most conditions the compiled vectors hold; the validator rejects more.
pub const MAX_CONDITIONS: usize = 20;

/// A triage level, least to most urgent.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum Triage {
    /// Look after it yourself.
    #[default]
    SelfCare,
    /// Book a clinician or physiotherapist in the coming days.
    SeeDoctor,
    /// See a clinician within 24 hours, stop running.
    Urgent,
    /// Emergency care now.
    Emergency,
}

impl Triage {
    /// All levels, least urgent first.
    pub const ALL: [Triage; 4] = [
        Triage::SelfCare,
        Triage::SeeDoctor,
        Triage::Urgent,
        Triage::Emergency,
    ];

    /// The contract's id of the level.
    pub fn id(self) -> &'static str {
        match self {
            Triage::SelfCare => "self_care",
            Triage::SeeDoctor => "see_doctor",
            Triage::Urgent => "urgent",
            Triage::Emergency => "emergency",
        }
    }
}

impl fmt::Display for Triage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// A reference behind a claim: who wrote it, what, where and when, and how to find that exact
/// work again (a DOI, a PubMed id, or the page itself; never a search or a home page).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Short id used by claims.
    pub id: String,
    /// The authors (Vancouver style, "Cheung K, Hume PA, Maxwell L"), or the organisation that
    /// wrote it.
    pub authors: String,
    /// The work's own title.
    pub title: String,
    /// The journal with volume and pages, or the publisher or website.
    pub published_in: String,
    /// Year of publication, or of the version read for an undated page; absent only when no date
    /// can be found, which the note then says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<u16>,
    /// The DOI, without the `https://doi.org/` prefix.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doi: Option<String>,
    /// The PubMed id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pmid: Option<String>,
    /// Where to read that exact work: its DOI or PubMed record, or the page itself.
    pub url: String,
    /// What was checked and how, and what could not be.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Source {
    /// The reference in one line: authors, title, where, year and identifiers. As in Vancouver
    /// style, more than six authors are cut to the first six and "et al.".
    pub fn citation(&self) -> String {
        let names: Vec<&str> = self.authors.split(", ").collect();
        let authors = if names.len() > 6 {
            format!("{}, et al", names[..6].join(", "))
        } else {
            self.authors.trim_end_matches('.').to_string()
        };
        let mut out = format!("{authors}. {}. {}", self.title, self.published_in);
        if let Some(year) = self.year {
            out.push_str(&format!(", {year}"));
        }
        if let Some(doi) = &self.doi {
            out.push_str(&format!(". doi:{doi}"));
        }
        if let Some(pmid) = &self.pmid {
            out.push_str(&format!(". PMID {pmid}"));
        }
        out
    }
}

/// Why a source's URL does not identify one work, if it does not: a search, a home page, or not
/// a web address at all. Sources must link the work itself so that a reader lands on what is
/// cited, not on a list to pick from.
pub fn url_problem(url: &str) -> Option<&'static str> {
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return Some("is not an http(s) address");
    };
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    if host.is_empty() || !host.contains('.') {
        return Some("has no host");
    }
    let lower = path.to_ascii_lowercase();
    let (page, query) = lower.split_once('?').unwrap_or((lower.as_str(), ""));
    let page = page.split('#').next().unwrap_or("");
    if page
        .split('/')
        .any(|seg| seg.starts_with("search") || seg == "results" || seg == "find")
        || query.split('&').any(|kv| {
            ["term=", "q=", "query=", "search="]
                .iter()
                .any(|k| kv.starts_with(k))
        })
    {
        return Some("is a search, not the work itself");
    }
    let trimmed = page.trim_matches('/');
    if trimmed.is_empty() || ["index.html", "index.htm", "home", "en", "en-us"].contains(&trimmed) {
        return Some("is a home page, not the work itself");
    }
    None
}

/// Problems with one source's record: missing authors, title, place or year, an identifier in
/// the wrong shape, or a URL that does not lead to the work.
fn source_problems(s: &Source) -> Vec<String> {
    let mut problems = Vec::new();
    let id = &s.id;
    for (name, value) in [
        ("authors", &s.authors),
        ("title", &s.title),
        ("published_in", &s.published_in),
        ("url", &s.url),
    ] {
        if value.trim().is_empty() {
            problems.push(format!("source {id} needs {name}"));
        }
    }
    let note = s.note.as_deref().unwrap_or("");
    match s.year {
        Some(y) if !(1900..=2100).contains(&y) => {
            problems.push(format!("source {id} year {y} is not a plausible year"))
        }
        Some(_) => {}
        None if !note.contains("year") => problems.push(format!(
            "source {id} needs a year, or a note saying why there is none"
        )),
        None => {}
    }
    if let Some(why) = url_problem(&s.url) {
        problems.push(format!("source {id} url {} {why}", s.url));
    }
    if let Some(doi) = &s.doi {
        let well_formed = doi
            .strip_prefix("10.")
            .and_then(|rest| rest.split_once('/'))
            .is_some_and(|(reg, suffix)| {
                reg.len() >= 4
                    && reg.bytes().all(|b| b.is_ascii_digit() || b == b'.')
                    && !suffix.is_empty()
            });
        if !well_formed {
            problems.push(format!("source {id} doi {doi} is not a DOI (10.NNNN/...)"));
        }
        if let Some(linked) = s.url.strip_prefix("https://doi.org/")
            && linked != doi
        {
            problems.push(format!(
                "source {id} url links doi {linked}, not its doi {doi}"
            ));
        }
    } else if s.url.starts_with("https://doi.org/") {
        problems.push(format!(
            "source {id} links a DOI but does not name it in doi"
        ));
    }
    if let Some(pmid) = &s.pmid {
        if pmid.is_empty() || pmid.len() > 9 || !pmid.bytes().all(|b| b.is_ascii_digit()) {
            problems.push(format!("source {id} pmid {pmid} is not a PubMed id"));
        }
        if let Some(linked) = s.url.strip_prefix("https://pubmed.ncbi.nlm.nih.gov/")
            && linked.trim_end_matches('/') != pmid
        {
            problems.push(format!(
                "source {id} url links PubMed {}, not its pmid {pmid}",
                linked.trim_end_matches('/')
            ));
        }
    }
    problems
}

/// Numbers that shape inference; see the comments in the knowledge file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tuning {
    /// Multiplier on every log likelihood ratio (below 1 tempers double counting).
    pub temperature: f64,
    /// Cap on the absolute log likelihood ratio of any one finding.
    pub max_abs_log_lr: f64,
    /// Share of probability spread evenly over the conditions.
    pub floor: f64,
    /// Minimum probability mass at or above a level for the condition-based triage to reach it.
    pub level_mass: LevelMass,
    /// Least probability of the leading condition for its own emergency level to count: an
    /// emergency comes from a red flag or from an emergency condition that specific findings
    /// point to, never from probability spread over a vague picture.
    pub emergency_lead_probability: f64,
    /// Least probability of a possible red flag's conditions for the result to say that its
    /// answer is still needed ("answer these before relying on this result"); a flag about no
    /// condition in particular needs only its picture.
    pub pending_note_mass: f64,
    /// Minimum probability of a red flag's conditions for its unknown answer to be asked first.
    pub red_flag_mass: f64,
    /// Minimum predicted chance that a red flag fires once asked for it to be asked first.
    pub red_flag_chance: f64,
    /// The stopping rule: a question is listed only when the chance that its answer changes the
    /// leading condition or the triage (the answers that would, weighted by their predictive
    /// probability) is at least this.
    pub question_min_change: f64,
    /// The stopping rule's second arm: a question is also listed when the chance that its answer
    /// raises the triage level is at least this.
    pub question_min_raise: f64,
    /// Most questions listed after the red-flag screen.
    pub max_questions: usize,
    /// A red flag below the picture's thresholds but above this share of them is remotely
    /// possible: it is asked after the best few questions.
    pub remote_red_flag_share: f64,
    /// How many of the best questions come before the remote red flags.
    pub remote_red_flags_after: usize,
    /// Least probability of a red flag's conditions for the flag to stay plausible while its
    /// `possible_when` picture is still open: its symptom then rides in the adaptive checklist.
    pub rider_mass: f64,
    /// Fields asked right after the safety screen whenever unknown, as part of it (an emergency
    /// sign whose alarming answer is a "no", which a checklist tick cannot give).
    #[serde(default)]
    pub always_ask: Vec<String>,
    /// Weight of the expected information gain (in nats) beside the chance that the answer
    /// changes the outcome, in a question's score.
    pub information_weight: f64,
}

/// Per-level mass thresholds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelMass {
    /// For `see_doctor`.
    pub see_doctor: f64,
    /// For `urgent`.
    pub urgent: f64,
}

/// What to do now, per triage level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelTexts {
    /// Text for `self_care`.
    pub self_care: String,
    /// Text for `see_doctor`.
    pub see_doctor: String,
    /// Text for `urgent`.
    pub urgent: String,
    /// Text for `emergency`.
    pub emergency: String,
}

impl LevelTexts {
    /// The text for a level.
    pub fn get(&self, level: Triage) -> &str {
        match level {
            Triage::SelfCare => &self.self_care,
            Triage::SeeDoctor => &self.see_doctor,
            Triage::Urgent => &self.urgent,
            Triage::Emergency => &self.emergency,
        }
    }
}

/// The question asked for one intake field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    /// The intake field's dotted path.
    pub path: String,
    /// The question in plain words.
    pub question: String,
    /// How it is answered.
    pub answer: AnswerKind,
    /// Weight of "not named" evidence for multi-choice fields (1 = full).
    #[serde(default = "one")]
    pub absent_weight: f64,
    /// Answers that already settle this field (conjunctive normal form over finding ids, as in
    /// a rule): while it holds, the field is not asked and does not count as an unanswered
    /// safety question. No evidence is added for it: the answers that settle it already count.
    /// "Can you stand and walk on the leg?" is settled by "not limping or walking abnormally".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub settled_when: Vec<Vec<String>>,
    /// For a field of `always_ask`: the picture in which it is part of the safety screen
    /// (conjunctive normal form over finding ids; `?x` holds while x is unknown). Empty: always.
    /// Outside it the field is not asked with the screen nor counted unanswered in it; a red
    /// flag that reads it still asks it where that flag's picture or conditions make it possible.
    /// "Can you stand and walk on the leg?" after an injury at a moment, a fall, a limp...
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub screen_when: Vec<Vec<String>>,
}

fn one() -> f64 {
    1.0
}

/// What one answer means: a yes, an enum value, a value named in a list, or a band of a number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    /// Finding id, used by links and rules.
    pub id: String,
    /// The intake field's dotted path.
    pub field: String,
    /// For one-of fields: the values that make the finding present.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    /// For any-of fields: the value whose presence in the list makes the finding present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// For numbers: present when the value is at least this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// For numbers: present when the value is more than this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub above: Option<f64>,
    /// For numbers: present when the value is less than this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// For numbers: present when the value is at most this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub up_to: Option<f64>,
    /// Plain words when present.
    pub label: String,
    /// Plain words when absent (yes/no and any-of fields).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_absent: Option<String>,
    /// Share of runners with the other causes in whom it is present.
    pub base: f64,
    /// A threshold read only by rules (`pain` 8 or more, `age` 17 or under...): it takes no
    /// likelihood and stands outside the field's partition of bands.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub rule_only: bool,
}

impl Finding {
    /// Whether a number falls in this finding's band.
    pub fn band_contains(&self, x: f64) -> bool {
        self.min.is_none_or(|m| x >= m)
            && self.above.is_none_or(|m| x > m)
            && self.max.is_none_or(|m| x < m)
            && self.up_to.is_none_or(|m| x <= m)
    }
}

/// A (condition, finding) likelihood.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    /// The finding id.
    pub f: String,
    /// Share of runners with the condition in whom the finding is present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub p: Option<f64>,
    /// Likelihood ratio when present, when a paper reports it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lr_present: Option<f64>,
    /// Likelihood ratio when absent, when a paper reports it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lr_absent: Option<f64>,
    /// The source that describes the association.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// True when no source reports the figure itself: it is our estimate, and `source` (when
    /// given) only describes the association.
    #[serde(default)]
    pub estimate: bool,
}

/// The typical course of a condition, in hours from the run that set it off (or from when the
/// pain began, for gradual conditions). Follow-up compares a runner's course with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Course {
    /// When it usually starts, earliest and latest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub onset_hours: Option<[f64; 2]>,
    /// When it is usually worst.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peak_hours: Option<[f64; 2]>,
    /// When it usually resolves (or clearly improves with care).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution_hours: Option<[f64; 2]>,
    /// Past this it is off course and should be checked by a clinician.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_hours: Option<f64>,
    /// True when the figures are estimates from descriptions rather than measured.
    #[serde(default)]
    pub estimate: bool,
    /// The course in plain words.
    pub text: String,
    /// Sources.
    pub sources: Vec<String>,
}

/// One sourced statement: a care step, a thing to avoid, an escalation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// The statement in plain words.
    pub text: String,
    /// Sources.
    pub sources: Vec<String>,
    /// For an escalation: the level it tells the runner to seek (its wording must say that
    /// level, and the engine must give it for the picture described; a test holds both).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<Triage>,
    /// For a care step: clauses (as in red flags) that, when they hold, withhold this step
    /// for this runner (advice with a contraindication that the intake shows, such as a
    /// painkiller in pregnancy); `instead` is said in its place.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unless: Vec<Vec<String>>,
    /// What a withheld care step says instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instead: Option<String>,
}

/// Where the source article and newer evidence agree or differ.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceNote {
    /// What the article says.
    pub article: String,
    /// What newer evidence says.
    pub modern: String,
    /// Sources.
    pub sources: Vec<String>,
}

/// A severity rule within a condition: when it fires the condition's triage rises to `level`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Severity {
    /// The level it raises the condition to.
    pub level: Triage,
    /// Plain words.
    pub label: String,
    /// Clauses that must all hold; a clause holds when any of its findings holds (`!x`: known no).
    pub when: Vec<Vec<String>>,
    /// Sources.
    pub sources: Vec<String>,
}

/// A cause the engine ranks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// Contract id.
    pub id: String,
    /// Name in plain words.
    pub name: String,
    /// What it is in plain words.
    pub summary: String,
    /// Sources of the summary.
    pub summary_sources: Vec<String>,
    /// Prior probability among runners with sore hips or glutes.
    pub prior: f64,
    /// True when the prior is an estimate.
    #[serde(default)]
    pub prior_estimate: bool,
    /// Usual triage level.
    pub triage: Triage,
    /// Likelihoods.
    pub links: Vec<Link>,
    /// Typical course.
    pub course: Course,
    /// Care plan, in order.
    pub care: Vec<Step>,
    /// What not to do.
    pub avoid: Vec<Step>,
    /// When to get help.
    pub escalate: Vec<Step>,
    /// Severity rules.
    #[serde(default)]
    pub severity: Vec<Severity>,
    /// The source article against newer evidence.
    #[serde(default)]
    pub evidence: Vec<EvidenceNote>,
    /// True for causes of running soreness whose care plan includes pacing the next runs (the
    /// front ends add the runner's own pacing baseline to these).
    #[serde(default)]
    pub pacing: bool,
    /// True for the look-alikes that are not running injuries at all: the runner is told so
    /// plainly, with what to do and how fast, and never given a soreness care plan.
    #[serde(default)]
    pub not_running_soreness: bool,
}

/// One item of a checklist question: a yes/no field in plain words, and whom it applies to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistItem {
    /// The yes/no intake field a tick sets to true (unticked: false; "not sure": unknown).
    pub field: String,
    /// The plain-language item.
    pub text: String,
    /// Shown only to this sex (`female` or `male`), when the intake's sex is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sex: Option<String>,
    /// Shown only from this age, when the intake's age is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_age: Option<u8>,
    /// Shown only up to this age, when the intake's age is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_age: Option<u8>,
    /// For a safety screen item: the pictures that make its red flags possible (clauses that
    /// must all stay open, findings or `!findings`). Once known answers close it (the pain is
    /// only at the outside of the hip, so no belly or testicle cause), the item is not screened,
    /// unless a red flag reading it is still pending on probability. Empty: always screened.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub possible_when: Vec<Vec<String>>,
}

impl ChecklistItem {
    /// Whether the item applies to a runner of this sex and age (unknown: it applies).
    pub fn applies(&self, sex: Option<&str>, age: Option<u8>) -> bool {
        self.sex
            .as_deref()
            .is_none_or(|s| sex.is_none_or(|x| x == s))
            && self.min_age.is_none_or(|m| age.is_none_or(|a| a >= m))
            && self.max_age.is_none_or(|m| age.is_none_or(|a| a <= m))
    }
}

/// A checklist question: yes/no fields asked at once ("Do you have any of these?").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checklist {
    /// Id.
    pub id: String,
    /// The question.
    pub text: String,
    /// The items, in the order shown.
    pub items: Vec<ChecklistItem>,
    /// True for the safety screen that opens every dialogue.
    #[serde(default)]
    pub safety: bool,
    /// True for a checklist asked only when it is worth asking (the value-of-information
    /// stopping rule), as its most useful items; false for one asked right after the safety
    /// screen whenever it has unknown items.
    #[serde(default)]
    pub adaptive: bool,
    /// Sources.
    pub sources: Vec<String>,
}

/// A rule that sets a minimum triage level whatever the ranking says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedFlagRule {
    /// Rule id.
    pub id: String,
    /// The minimum level when it fires.
    pub level: Triage,
    /// Clauses that must all hold.
    pub when: Vec<Vec<String>>,
    /// Conditions whose probability makes the flag possible.
    pub conditions: Vec<String>,
    /// A picture that makes it possible whatever the ranking.
    #[serde(default)]
    pub possible_when: Vec<Vec<String>>,
    /// A risk-context floor: it holds only while some of the answers that decide a red flag are
    /// unknown (its rule reads `?x`), and sets how soon the runner is seen until they are in. It
    /// raises the triage reported, never the one the questions are weighed against: it is never
    /// a reason to ask (its fields are the other flags' to ask), so a dialogue asks what it would
    /// ask without it, and the answers that rule the danger out lift it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub floor: bool,
    /// Why it matters.
    pub why: String,
    /// What to do.
    pub action: String,
    /// Sources.
    pub sources: Vec<String>,
    /// When the flag's combination of findings is far more specific for one condition than its
    /// parts taken as independent: that condition's odds rise by `lr` while it fires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points_to: Option<PointsTo>,
}

/// The condition a fired red flag points to, and how strongly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PointsTo {
    /// Condition id.
    pub condition: String,
    /// Likelihood ratio of the fired combination for that condition.
    pub lr: f64,
    /// True when no source reports the figure.
    #[serde(default)]
    pub estimate: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKb {
    version: String,
    disclaimer: String,
    pending_note: String,
    safety_headline: String,
    safety_until: String,
    care_deferred: String,
    tuning: Tuning,
    levels: LevelTexts,
    #[serde(rename = "source")]
    sources: Vec<Source>,
    #[serde(rename = "field")]
    fields: Vec<FieldSpec>,
    #[serde(rename = "finding")]
    findings: Vec<Finding>,
    #[serde(rename = "condition")]
    conditions: Vec<Condition>,
    #[serde(rename = "red_flag")]
    red_flags: Vec<RedFlagRule>,
    #[serde(rename = "checklist", default)]
    checklists: Vec<Checklist>,
}

/// Why a knowledge file was rejected: every problem found, not just the first.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("invalid knowledge base:\n  {}", problems.join("\n  "))]
pub struct KnowledgeError {
    /// One line per problem.
    pub problems: Vec<String>,
}

/// A literal of a rule: a finding, or a finding known to be absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Literal {
    pub finding: u16,
    pub negated: bool,
    /// `?x`: holds while the finding is unknown (only in `possible_when`).
    pub unknown: bool,
}

/// Clauses in conjunctive normal form.
pub(crate) type Rule = Vec<Vec<Literal>>;

/// One way to answer a field, precompiled for question ranking.
#[derive(Debug, Clone)]
pub(crate) struct AnswerOption {
    /// The findings it sets and to what.
    pub sets: Vec<(u16, crate::engine::State)>,
    /// Change to each condition's score.
    pub delta: [f32; MAX_CONDITIONS],
    /// Probability of this answer under each condition (before normalising over options).
    pub p: [f32; MAX_CONDITIONS],
    /// Whether any finding it sets is read by a severity or red-flag rule.
    pub touches_rule: bool,
    /// The severity rules (condition, rule index) that read a finding it sets.
    pub severity_rules: Vec<(u16, u16)>,
    /// The red flags that read a finding it sets.
    pub flag_rules: Vec<u16>,
}

/// The dense form the engine reads.
#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    pub nc: usize,
    /// 1 for the slots that hold a condition, 0 for the unused ones.
    pub active: [f32; MAX_CONDITIONS],
    pub log_prior: [f32; MAX_CONDITIONS],
    /// Per finding: tempered, capped log LR when present.
    pub lp: Vec<[f32; MAX_CONDITIONS]>,
    /// Per finding: tempered, capped, weighted log LR when absent (0 for partition fields).
    pub la: Vec<[f32; MAX_CONDITIONS]>,
    /// Per finding: P(present | condition), normalised within partitions.
    pub p: Vec<[f32; MAX_CONDITIONS]>,
    /// Per finding: its field's index.
    pub finding_field: Vec<u16>,
    /// Per field: its findings.
    pub field_findings: Vec<Vec<u16>>,
    /// Per field: the ways to answer it.
    pub field_options: Vec<Vec<AnswerOption>>,
    /// Per field, per way to answer it: its score change shifted for the checklist planner's
    /// estimates (the same for every assessment: taken once here, not per candidate weighed).
    pub option_shifted: Vec<Vec<crate::engine::Shifted>>,
    /// Whether every answer's probability under every condition lies in [0, 1] (as it does,
    /// being one): then a combination's joint weight can only shrink as answers are added to
    /// it, which lets `joint_change` pass over the combinations of a negligible start whole.
    pub answer_p_within_one: bool,
    /// Per condition: base level and severity rules.
    pub severity: Vec<Vec<(Triage, Rule)>>,
    /// Per red flag: `when`, linked conditions, `possible_when`.
    pub red_flags: Vec<(Rule, Vec<u16>, Rule)>,
    /// Per condition: its care steps that a contraindication can withhold (step index, rule).
    pub care_unless: Vec<Vec<(usize, Rule)>>,
    /// Red flags that point to one condition: (flag, condition, tempered log LR).
    pub points_to: Vec<(usize, usize, f32)>,
    /// Per field: the answers that settle it without asking (`FieldSpec::settled_when`).
    pub field_settled: Vec<Rule>,
    /// Per field: the picture in which an `always_ask` field is screened (`FieldSpec::screen_when`;
    /// empty: always).
    pub field_screen: Vec<Rule>,
    /// Per field: whether any answer can move a score or a rule (others are never asked).
    pub field_live: Vec<bool>,
    /// Per checklist, per item: the index of the item's field (`None` for a path that is not
    /// a field), so that the question loop compares numbers, not dotted paths.
    pub checklist_fields: Vec<Vec<Option<usize>>>,
    /// Per checklist, per item: its `possible_when` picture (empty: always possible).
    pub checklist_pictures: Vec<Vec<Rule>>,
    /// Per finding and condition: untempered likelihood ratios (present, absent).
    pub lr_raw: Vec<[(f32, f32); MAX_CONDITIONS]>,
    /// Shared text for building assessments without copying strings.
    pub text: Texts,
    /// Per finding, condition and answer (`(finding x MAX_CONDITIONS + condition) x 2 +
    /// present`): the reason's JSON, written the first time an assessment lists it.
    pub reason_json: Vec<std::sync::OnceLock<Option<crate::info_json::KeptReason>>>,
    /// Per condition, probability in thousandths under 5 and level (`(condition x 5 +
    /// thousandths) x 4 + level`): an unexplained condition's JSON, written the first time an
    /// assessment lists it.
    pub condition_json: Vec<std::sync::OnceLock<Option<crate::info_json::KeptCondition>>>,
}

impl Compiled {
    /// The index of a field by dotted path.
    pub(crate) fn field_index(&self, path: &str) -> Option<usize> {
        self.text.field_path.iter().position(|p| p == path)
    }
}

/// Knowledge-base text as cheaply cloned handles.
#[derive(Debug, Clone)]
pub(crate) struct Texts {
    pub finding_id: Vec<Text>,
    pub finding_label: Vec<Text>,
    pub finding_label_absent: Vec<Text>,
    pub finding_field: Vec<Text>,
    pub field_path: Vec<Text>,
    pub field_question: Vec<Text>,
    pub condition_id: Vec<Text>,
    pub condition_name: Vec<Text>,
    pub condition_info: Vec<Shared<ConditionInfo>>,
    pub severity_label: Vec<Vec<Text>>,
    /// Per finding, per condition: the link's source and whether it is an estimate.
    pub link: Vec<Vec<(Option<Text>, bool)>>,
    pub flag_id: Vec<Text>,
    pub flag_why: Vec<Text>,
    pub flag_action: Vec<Text>,
    pub flag_sources: Vec<Shared<[String]>>,
    /// Per checklist: its question.
    pub checklist_text: Vec<Text>,
    /// Per checklist, per item: the item in plain words.
    pub checklist_item: Vec<Vec<Text>>,
    pub level_text: [Text; 4],
    pub disclaimer: Text,
    pub pending_note: Text,
    pub safety_headline: Text,
    pub care_deferred: Text,
    pub version: Text,
}

/// Everything the assessment shows about one condition besides its probability.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConditionInfo {
    /// Contract id.
    pub id: String,
    /// Name.
    pub name: String,
    /// What it is.
    pub summary: String,
    /// Typical course.
    pub course: Course,
    /// Care plan in order.
    pub care: Vec<Step>,
    /// What not to do.
    pub avoid: Vec<Step>,
    /// When to get help.
    pub escalate: Vec<Step>,
    /// The source article against newer evidence.
    pub evidence: Vec<EvidenceNote>,
    /// Every source cited above, resolved. Serialised without each source's `note` (how the
    /// reference was checked): that is the knowledge base's audit trail, which `runsore
    /// knowledge` lists; an assessment cites the work (it was a tenth of the answer's bytes).
    #[serde(serialize_with = "cited")]
    pub sources: Vec<Source>,
}

/// Sources as an assessment cites them: every field but the checking `note`.
fn cited<S: serde::Serializer>(sources: &[Source], serializer: S) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Cited<'a> {
        id: &'a str,
        authors: &'a str,
        title: &'a str,
        published_in: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        year: Option<u16>,
        #[serde(skip_serializing_if = "Option::is_none")]
        doi: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pmid: Option<&'a str>,
        url: &'a str,
    }
    serializer.collect_seq(sources.iter().map(|s| {
        // Destructured, so that a field added to `Source` must be decided on here.
        let Source {
            id,
            authors,
            title,
            published_in,
            year,
            doi,
            pmid,
            url,
            note: _,
        } = s;
        Cited {
            id,
            authors,
            title,
            published_in,
            year: *year,
            doi: doi.as_deref(),
            pmid: pmid.as_deref(),
            url,
        }
    }))
}

/// The knowledge base: the file's content plus its compiled form.
#[derive(Debug, Clone)]
pub struct KnowledgeBase {
    /// Version of the knowledge file.
    pub version: String,
    /// The "educational, not a diagnosis" line.
    pub disclaimer: String,
    /// The note shown when red-flag answers are still needed.
    pub pending_note: String,
    /// What a front end leads with while the safety questions are unanswered.
    pub safety_headline: String,
    /// What a front end says under that headline: what to do until a warning sign is ruled out.
    pub safety_until: String,
    /// Shown in place of a condition's care plan when a warning sign calls for more urgent care.
    pub care_deferred: String,
    /// Inference numbers.
    pub tuning: Tuning,
    /// What to do now, per level.
    pub levels: LevelTexts,
    /// References.
    pub sources: Vec<Source>,
    /// One question per intake field.
    pub fields: Vec<FieldSpec>,
    /// What answers mean.
    pub findings: Vec<Finding>,
    /// The causes ranked.
    pub conditions: Vec<Condition>,
    /// Minimum-level rules.
    pub red_flags: Vec<RedFlagRule>,
    /// Checklist questions; the one marked `safety` opens every dialogue.
    pub checklists: Vec<Checklist>,
    pub(crate) compiled: Compiled,
}

impl KnowledgeBase {
    /// Parses, validates and compiles a knowledge file; reports every problem at once.
    pub fn from_toml(text: &str) -> Result<KnowledgeBase, KnowledgeError> {
        let raw: RawKb = toml::from_str(text).map_err(|e| KnowledgeError {
            problems: vec![format!("not a valid knowledge file: {e}")],
        })?;
        KnowledgeBase::from_raw(raw)
    }

    /// Parses, validates and compiles a knowledge file written as JSON (the build script writes
    /// the embedded TOML file so: the same document, parsed in a fraction of the time).
    pub fn from_json(text: &str) -> Result<KnowledgeBase, KnowledgeError> {
        let raw: RawKb = serde_json::from_str(text).map_err(|e| KnowledgeError {
            problems: vec![format!("not a valid knowledge file (JSON): {e}")],
        })?;
        KnowledgeBase::from_raw(raw)
    }

    /// Validates and compiles a parsed knowledge file.
    fn from_raw(raw: RawKb) -> Result<KnowledgeBase, KnowledgeError> {
        let problems = validate_raw(&raw);
        if !problems.is_empty() {
            return Err(KnowledgeError { problems });
        }
        let compiled = compile(&raw);
        Ok(KnowledgeBase {
            version: raw.version,
            disclaimer: raw.disclaimer,
            pending_note: raw.pending_note,
            safety_headline: raw.safety_headline,
            safety_until: raw.safety_until,
            care_deferred: raw.care_deferred,
            tuning: raw.tuning,
            levels: raw.levels,
            sources: raw.sources,
            fields: raw.fields,
            findings: raw.findings,
            conditions: raw.conditions,
            red_flags: raw.red_flags,
            checklists: raw.checklists,
            compiled,
        })
    }

    /// A condition by id.
    pub fn condition(&self, id: &str) -> Option<&Condition> {
        self.conditions.iter().find(|c| c.id == id)
    }

    /// The typical course of a condition, for follow-up.
    pub fn course(&self, condition_id: &str) -> Option<&Course> {
        self.condition(condition_id).map(|c| &c.course)
    }

    /// The question for an intake field's dotted path.
    pub fn find_question(&self, field: &str) -> Option<&FieldSpec> {
        self.fields.iter().find(|f| f.path == field)
    }

    /// A source by id.
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }

    /// A finding by id.
    pub fn finding(&self, id: &str) -> Option<&Finding> {
        self.findings.iter().find(|f| f.id == id)
    }

    /// The likelihood ratios (present, absent) of a finding for a condition, as used before
    /// tempering; 1 and 1 when the condition does not link the finding.
    pub fn likelihood_ratios(&self, condition_id: &str, finding_id: &str) -> Option<(f64, f64)> {
        let c = self.conditions.iter().position(|c| c.id == condition_id)?;
        let f = self.findings.iter().position(|f| f.id == finding_id)?;
        Some(raw_lrs(self, c, f))
    }
}

/// Untempered likelihood ratios (present, absent) of finding `f` for condition `c`.
pub(crate) fn raw_lrs(kb: &KnowledgeBase, c: usize, f: usize) -> (f64, f64) {
    let (a, b) = kb.compiled.lr_raw[f][c];
    (f64::from(a), f64::from(b))
}

fn is_partition(kind: AnswerKind) -> bool {
    matches!(
        kind,
        AnswerKind::OneOf | AnswerKind::Integer | AnswerKind::Number
    )
}

fn partition_base(findings: &[Finding], members: &[u16], f: usize) -> f64 {
    let total: f64 = members.iter().map(|&g| findings[g as usize].base).sum();
    findings[f].base / total
}

fn parse_literal(s: &str) -> (&str, bool) {
    match s.strip_prefix('!') {
        Some(rest) => (rest, true),
        None => (s.strip_prefix('?').unwrap_or(s), false),
    }
}

fn validate_raw(raw: &RawKb) -> Vec<String> {
    let mut problems = Vec::new();

    let t = &raw.tuning;
    if !(t.temperature > 0.0 && t.temperature <= 1.0) {
        problems.push(format!(
            "tuning.temperature must be in (0, 1], got {}",
            t.temperature
        ));
    }
    if t.max_abs_log_lr.is_nan() || t.max_abs_log_lr <= 0.0 {
        problems.push("tuning.max_abs_log_lr must be more than 0".into());
    }
    if !(0.0..0.5).contains(&t.floor) {
        problems.push(format!("tuning.floor must be in [0, 0.5), got {}", t.floor));
    }
    for (name, v) in [
        ("level_mass.see_doctor", t.level_mass.see_doctor),
        ("level_mass.urgent", t.level_mass.urgent),
        ("emergency_lead_probability", t.emergency_lead_probability),
        ("pending_note_mass", t.pending_note_mass),
        ("red_flag_mass", t.red_flag_mass),
        ("red_flag_chance", t.red_flag_chance),
        ("question_min_raise", t.question_min_raise),
        ("remote_red_flag_share", t.remote_red_flag_share),
        ("question_min_change", t.question_min_change),
        ("rider_mass", t.rider_mass),
    ] {
        if !(v > 0.0 && v < 1.0) {
            problems.push(format!("tuning.{name} must be in (0, 1), got {v}"));
        }
    }

    // Sources.
    let mut source_ids = HashSet::new();
    for s in &raw.sources {
        if !source_ids.insert(s.id.as_str()) {
            problems.push(format!("source {} is defined twice", s.id));
        }
        problems.extend(source_problems(s));
    }
    let mut used_sources: HashSet<String> = HashSet::new();
    let mut check_sources = |what: &str, ids: &[String], problems: &mut Vec<String>| {
        if ids.is_empty() {
            problems.push(format!("{what} has no source"));
        }
        for id in ids {
            used_sources.insert(id.clone());
            if !source_ids.contains(id.as_str()) {
                problems.push(format!("{what} cites unknown source {id}"));
            }
        }
    };

    // Fields.
    let mut field_paths = HashMap::new();
    for (i, f) in raw.fields.iter().enumerate() {
        if field_paths.insert(f.path.as_str(), i).is_some() {
            problems.push(format!("field {} is defined twice", f.path));
        }
        match field_kind(&f.path) {
            None => problems.push(format!("field {} is not an intake field", f.path)),
            Some((kind, _)) if kind != f.answer => problems.push(format!(
                "field {} is answered {:?} in the intake, not {:?}",
                f.path, kind, f.answer
            )),
            _ => {}
        }
        if f.question.trim().is_empty() {
            problems.push(format!("field {} has no question", f.path));
        }
        if !(f.absent_weight > 0.0 && f.absent_weight <= 1.0) {
            problems.push(format!("field {} absent_weight must be in (0, 1]", f.path));
        }
    }
    for (path, _, _) in intake_fields() {
        if !field_paths.contains_key(path) {
            problems.push(format!("intake field {path} has no question"));
        }
    }

    // Findings.
    let mut finding_ids = HashMap::new();
    let mut by_field: HashMap<&str, Vec<&Finding>> = HashMap::new();
    for (i, f) in raw.findings.iter().enumerate() {
        if finding_ids.insert(f.id.as_str(), i).is_some() {
            problems.push(format!("finding {} is defined twice", f.id));
        }
        if !(f.base > 0.0 && f.base < 1.0) {
            problems.push(format!(
                "finding {} base must be in (0, 1), got {}",
                f.id, f.base
            ));
        }
        if f.label.trim().is_empty() {
            problems.push(format!("finding {} has no label", f.id));
        }
        let Some((kind, allowed)) = field_kind(&f.field) else {
            problems.push(format!(
                "finding {} maps to unknown field {}",
                f.id, f.field
            ));
            continue;
        };
        let band = f.min.is_some() || f.above.is_some() || f.max.is_some() || f.up_to.is_some();
        if f.rule_only {
            if !matches!(kind, AnswerKind::Integer | AnswerKind::Number) || !band {
                problems.push(format!(
                    "finding {} is rule_only, so it must be a band of a number field",
                    f.id
                ));
            }
            continue;
        }
        by_field.entry(f.field.as_str()).or_default().push(f);
        match kind {
            AnswerKind::YesNo => {
                if !f.values.is_empty() || f.value.is_some() || band {
                    problems.push(format!(
                        "finding {} on yes/no field {} takes no value",
                        f.id, f.field
                    ));
                }
                if f.label_absent.is_none() {
                    problems.push(format!("finding {} needs label_absent", f.id));
                }
            }
            AnswerKind::OneOf => {
                if f.values.is_empty() || f.value.is_some() || band {
                    problems.push(format!(
                        "finding {} on one-of field {} needs values",
                        f.id, f.field
                    ));
                }
                for v in &f.values {
                    if !allowed.contains(&v.as_str()) {
                        problems.push(format!(
                            "finding {} value {v} is not allowed in {}",
                            f.id, f.field
                        ));
                    }
                }
            }
            AnswerKind::AnyOf => {
                match &f.value {
                    Some(v) if allowed.contains(&v.as_str()) => {}
                    Some(v) => problems.push(format!(
                        "finding {} value {v} is not allowed in {}",
                        f.id, f.field
                    )),
                    None => problems.push(format!(
                        "finding {} on any-of field {} needs value",
                        f.id, f.field
                    )),
                }
                if f.label_absent.is_none() {
                    problems.push(format!("finding {} needs label_absent", f.id));
                }
            }
            AnswerKind::Integer | AnswerKind::Number => {
                if !band || !f.values.is_empty() || f.value.is_some() {
                    problems.push(format!(
                        "finding {} on number field {} needs a band",
                        f.id, f.field
                    ));
                }
                if f.min.is_some() && f.above.is_some() || f.max.is_some() && f.up_to.is_some() {
                    problems.push(format!(
                        "finding {} has two lower or two upper bounds",
                        f.id
                    ));
                }
            }
        }
    }
    for (path, kind, allowed) in intake_fields() {
        let members = by_field.get(path).map(Vec::as_slice).unwrap_or(&[]);
        if members.is_empty() {
            problems.push(format!("intake field {path} has no finding"));
            continue;
        }
        match kind {
            AnswerKind::YesNo if members.len() != 1 => {
                problems.push(format!("yes/no field {path} needs exactly one finding"))
            }
            AnswerKind::OneOf => {
                for v in *allowed {
                    let n = members
                        .iter()
                        .filter(|f| f.values.iter().any(|x| x == v))
                        .count();
                    if n != 1 {
                        problems.push(format!(
                            "value {v} of {path} is covered by {n} findings, not 1"
                        ));
                    }
                }
            }
            AnswerKind::AnyOf => {
                for v in *allowed {
                    let n = members
                        .iter()
                        .filter(|f| f.value.as_deref() == Some(v))
                        .count();
                    if n != 1 {
                        problems.push(format!(
                            "value {v} of {path} is covered by {n} findings, not 1"
                        ));
                    }
                }
            }
            AnswerKind::Integer | AnswerKind::Number => {
                // The bands must partition the number line: probe around every boundary.
                let mut probes = vec![-1e9, 1e9];
                for f in members.iter() {
                    for b in [f.min, f.above, f.max, f.up_to].into_iter().flatten() {
                        probes.extend([b - 1e-6, b, b + 1e-6]);
                    }
                }
                for x in probes {
                    let n = members.iter().filter(|f| f.band_contains(x)).count();
                    if n != 1 {
                        problems.push(format!("{path} = {x} falls in {n} bands, not 1"));
                    }
                }
            }
            AnswerKind::YesNo => {}
        }
    }

    let check_rule = |what: &str, rule: &[Vec<String>], problems: &mut Vec<String>| {
        if rule.is_empty() || rule.iter().any(|c| c.is_empty()) {
            problems.push(format!("{what} has an empty clause"));
        }
        for lit in rule.iter().flatten() {
            let (id, _) = parse_literal(lit);
            if !finding_ids.contains_key(id) {
                problems.push(format!("{what} names unknown finding {id}"));
            }
        }
    };

    for f in raw.fields.iter().filter(|f| !f.settled_when.is_empty()) {
        let what = format!("field {} settled_when", f.path);
        check_rule(&what, &f.settled_when, &mut problems);
        if f.settled_when.iter().flatten().any(|l| l.starts_with('?')) {
            problems.push(format!(
                "{what}: `?` (unknown) literals belong in possible_when only"
            ));
        }
        // Settled by its own answer would be circular.
        if f.settled_when.iter().flatten().any(|l| {
            raw.findings
                .iter()
                .any(|x| x.id == parse_literal(l).0 && x.field == f.path)
        }) {
            problems.push(format!("{what} reads the field itself"));
        }
    }

    for f in raw.fields.iter().filter(|f| !f.screen_when.is_empty()) {
        let what = format!("field {} screen_when", f.path);
        check_rule(&what, &f.screen_when, &mut problems);
        if !raw.tuning.always_ask.contains(&f.path) {
            problems.push(format!("{what}: only a field of always_ask is screened"));
        }
        if f.screen_when.iter().flatten().any(|l| {
            raw.findings
                .iter()
                .any(|x| x.id == parse_literal(l).0 && x.field == f.path)
        }) {
            problems.push(format!("{what} reads the field itself"));
        }
    }

    // Conditions.
    if raw.conditions.is_empty() || raw.conditions.len() > MAX_CONDITIONS {
        problems.push(format!(
            "there must be 1 to {MAX_CONDITIONS} conditions, got {}",
            raw.conditions.len()
        ));
    }
    let mut condition_ids = HashSet::new();
    for c in &raw.conditions {
        let what = format!("condition {}", c.id);
        if !condition_ids.insert(c.id.as_str()) {
            problems.push(format!("{what} is defined twice"));
        }
        if c.name.trim().is_empty() || c.summary.trim().is_empty() {
            problems.push(format!("{what} needs a name and a summary"));
        }
        check_sources(
            &format!("{what} summary"),
            &c.summary_sources,
            &mut problems,
        );
        if !(c.prior > 0.0 && c.prior < 1.0) {
            problems.push(format!("{what} prior must be in (0, 1), got {}", c.prior));
        }
        let mut linked = HashSet::new();
        for l in &c.links {
            let lw = format!("{what} link {}", l.f);
            if !linked.insert(l.f.as_str()) {
                problems.push(format!("{lw} is given twice"));
            }
            match finding_ids.get(l.f.as_str()) {
                None => problems.push(format!("{lw} names an unknown finding")),
                Some(&i) if raw.findings[i].rule_only => {
                    problems.push(format!("{lw}: a rule_only finding takes no likelihood"))
                }
                Some(_) => {}
            }
            match (l.p, l.lr_present, l.lr_absent) {
                (Some(pv), None, None) => {
                    if !(pv > 0.0 && pv < 1.0) {
                        problems.push(format!("{lw} p must be in (0, 1), got {pv}"));
                    }
                }
                (None, Some(lp), Some(la)) => {
                    if lp.is_nan() || la.is_nan() || lp <= 0.0 || la <= 0.0 {
                        problems.push(format!("{lw} likelihood ratios must be more than 0"));
                    }
                    if (lp - 1.0) * (la - 1.0) >= 0.0 && (lp != 1.0 || la != 1.0) {
                        problems.push(format!(
                            "{lw} likelihood ratios must lie on opposite sides of 1"
                        ));
                    }
                }
                _ => problems.push(format!(
                    "{lw} needs either p or both lr_present and lr_absent"
                )),
            }
            match &l.source {
                Some(s) => check_sources(&lw, std::slice::from_ref(s), &mut problems),
                None if !l.estimate => {
                    problems.push(format!("{lw} needs a source or estimate = true"))
                }
                None => {}
            }
        }
        // Partition sums.
        for (path, kind, _) in intake_fields() {
            if !is_partition(*kind) {
                continue;
            }
            let sum: f64 = c
                .links
                .iter()
                .filter(|l| raw.findings.iter().any(|f| f.id == l.f && f.field == *path))
                .filter_map(|l| l.p)
                .sum();
            if sum > 1.05 {
                problems.push(format!(
                    "{what}: p over the values of {path} sums to {sum:.2}"
                ));
            }
        }
        let course = &c.course;
        if course.text.trim().is_empty() {
            problems.push(format!("{what} course has no text"));
        }
        check_sources(&format!("{what} course"), &course.sources, &mut problems);
        for (name, range) in [
            ("onset_hours", course.onset_hours),
            ("peak_hours", course.peak_hours),
            ("resolution_hours", course.resolution_hours),
        ] {
            if let Some([lo, hi]) = range
                && !(lo >= 0.0 && lo <= hi)
            {
                problems.push(format!("{what} course {name} must be 0 <= low <= high"));
            }
        }
        if c.triage == Triage::SelfCare
            && (course.resolution_hours.is_none() || course.max_hours.is_none())
        {
            problems.push(format!(
                "{what} is self-care, so its course needs resolution_hours and max_hours"
            ));
        }
        for (name, steps) in [
            ("care", &c.care),
            ("avoid", &c.avoid),
            ("escalate", &c.escalate),
        ] {
            if steps.is_empty() {
                problems.push(format!("{what} has no {name} steps"));
            }
            for (i, s) in steps.iter().enumerate() {
                let sw = format!("{what} {name} step {}", i + 1);
                if s.text.trim().is_empty() {
                    problems.push(format!("{sw} is empty"));
                }
                // Escalations state their level (tested against their wording and the engine);
                // only care steps can be withheld for a contraindication.
                if (name == "escalate") != s.level.is_some() {
                    problems.push(format!(
                        "{sw}: `level` belongs to every escalation and only there"
                    ));
                }
                if !s.unless.is_empty() || s.instead.is_some() {
                    if name != "care" {
                        problems.push(format!("{sw}: `unless` and `instead` belong to care steps"));
                    }
                    if s.unless.is_empty()
                        || s.instead.as_deref().is_none_or(|t| t.trim().is_empty())
                    {
                        problems.push(format!("{sw}: `unless` needs `instead`, and the reverse"));
                    }
                    if !s.unless.is_empty() {
                        check_rule(&format!("{sw} unless"), &s.unless, &mut problems);
                    }
                }
                check_sources(
                    &format!("{what} {name} step {}", i + 1),
                    &s.sources,
                    &mut problems,
                );
            }
        }
        for s in &c.severity {
            let sw = format!("{what} severity '{}'", s.label);
            check_rule(&sw, &s.when, &mut problems);
            if s.when.iter().flatten().any(|l| l.starts_with('?')) {
                problems.push(format!(
                    "{sw}: `?` (unknown) literals belong in possible_when only"
                ));
            }
            check_sources(&sw, &s.sources, &mut problems);
            if s.level <= c.triage {
                problems.push(format!("{sw} does not raise the level above {}", c.triage));
            }
        }
        for (i, e) in c.evidence.iter().enumerate() {
            check_sources(
                &format!("{what} evidence note {}", i + 1),
                &e.sources,
                &mut problems,
            );
        }
    }

    // Red flags.
    let mut flag_ids = HashSet::new();
    for r in &raw.red_flags {
        let what = format!("red flag {}", r.id);
        if !flag_ids.insert(r.id.as_str()) {
            problems.push(format!("{what} is defined twice"));
        }
        // `?x` (x still unknown) is allowed here: the contract's "when unknown, use the next
        // figure" rules need it (the long-run rule of hyponatraemia).
        check_rule(&what, &r.when, &mut problems);
        if !r.possible_when.is_empty() {
            check_rule(
                &format!("{what} possible_when"),
                &r.possible_when,
                &mut problems,
            );
        }
        for c in &r.conditions {
            if !condition_ids.contains(c.as_str()) {
                problems.push(format!("{what} names unknown condition {c}"));
            }
        }
        if let Some(pt) = &r.points_to {
            if !condition_ids.contains(pt.condition.as_str()) {
                problems.push(format!(
                    "{what} points to unknown condition {}",
                    pt.condition
                ));
            }
            if !(pt.lr > 1.0 && pt.lr.is_finite() && pt.estimate) {
                problems.push(format!(
                    "{what} points_to needs lr above 1 and estimate = true"
                ));
            }
        }
        if r.floor {
            // Never a question of its own, and holding only while something is unknown.
            if !r.conditions.is_empty() || !r.possible_when.is_empty() || r.points_to.is_some() {
                problems.push(format!(
                    "{what} is a floor: it takes no conditions, possible_when or points_to"
                ));
            }
            if !r.when.iter().flatten().any(|l| l.starts_with('?')) {
                problems.push(format!("{what} is a floor but reads no unknown (`?x`)"));
            }
        } else if r.conditions.is_empty() && r.possible_when.is_empty() {
            problems.push(format!("{what} needs conditions or possible_when"));
        }
        if r.why.trim().is_empty() || r.action.trim().is_empty() {
            problems.push(format!("{what} needs why and action"));
        }
        if r.level < Triage::SeeDoctor {
            problems.push(format!("{what} must raise the level above self-care"));
        }
        check_sources(&what, &r.sources, &mut problems);
    }

    // Checklists.
    if raw.checklists.iter().filter(|c| c.safety).count() > 1 {
        problems.push("only one checklist may be the safety screen".into());
    }
    let mut in_list: HashMap<&str, &str> = HashMap::new();
    for c in &raw.checklists {
        let what = format!("checklist {}", c.id);
        if c.text.trim().is_empty() || c.items.is_empty() {
            problems.push(format!("{what} needs a text and items"));
        }
        if c.safety && c.adaptive {
            problems.push(format!("{what}: the safety screen is never adaptive"));
        }
        let mut seen = HashSet::new();
        for item in &c.items {
            if !seen.insert(item.field.as_str()) {
                problems.push(format!("{what} lists {} twice", item.field));
            }
            if field_kind(&item.field).map(|(k, _)| k) != Some(AnswerKind::YesNo) {
                problems.push(format!("{what}: {} is not a yes/no field", item.field));
            }
            if item.text.trim().is_empty() {
                problems.push(format!("{what}: item {} has no text", item.field));
            }
            // One field, one checklist: a field asked in two would be asked twice.
            if let Some(other) = in_list.insert(item.field.as_str(), c.id.as_str())
                && other != c.id
            {
                problems.push(format!(
                    "{what}: {} is already in checklist {other}",
                    item.field
                ));
            }
            if item
                .sex
                .as_deref()
                .is_some_and(|s| s != "female" && s != "male")
            {
                problems.push(format!("{what}: item {} has an unknown sex", item.field));
            }
            if !item.possible_when.is_empty() {
                let sw = format!("{what}: item {} possible_when", item.field);
                check_rule(&sw, &item.possible_when, &mut problems);
                // An item's picture leaves it out once answers close it: only the screen (whose
                // items are otherwise always shown) has a use for that, and `?` (unknown) would
                // mean nothing here, where an unknown finding already keeps the picture open.
                if !c.safety {
                    problems.push(format!("{sw}: only the safety screen's items have one"));
                }
                if item
                    .possible_when
                    .iter()
                    .flatten()
                    .any(|l| l.starts_with('?'))
                {
                    problems.push(format!(
                        "{sw}: `?` (unknown) literals belong in red flags' possible_when only"
                    ));
                }
            }
        }
        check_sources(&what, &c.sources, &mut problems);
    }

    for s in &raw.sources {
        if !used_sources.contains(&s.id) {
            problems.push(format!("source {} is never cited", s.id));
        }
    }
    problems
}

fn texts(raw: &RawKb) -> Texts {
    let t = |s: &str| Text::from(s);
    let condition_info = raw
        .conditions
        .iter()
        .map(|c| {
            let mut ids: Vec<&String> = Vec::new();
            let lists = std::iter::once(&c.summary_sources)
                .chain(std::iter::once(&c.course.sources))
                .chain(
                    c.care
                        .iter()
                        .chain(&c.avoid)
                        .chain(&c.escalate)
                        .map(|s| &s.sources),
                )
                .chain(c.evidence.iter().map(|e| &e.sources));
            for id in lists.flatten() {
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            Shared(std::sync::Arc::new(ConditionInfo {
                id: c.id.clone(),
                name: c.name.clone(),
                summary: c.summary.clone(),
                course: c.course.clone(),
                care: c.care.clone(),
                avoid: c.avoid.clone(),
                escalate: c.escalate.clone(),
                evidence: c.evidence.clone(),
                sources: ids
                    .iter()
                    .filter_map(|id| raw.sources.iter().find(|s| &s.id == *id))
                    .cloned()
                    .collect(),
            }))
        })
        .collect();
    let link = raw
        .findings
        .iter()
        .map(|f| {
            raw.conditions
                .iter()
                .map(|c| match c.links.iter().find(|l| l.f == f.id) {
                    Some(l) => (l.source.as_deref().map(t), l.estimate),
                    None => (None, true),
                })
                .collect()
        })
        .collect();
    Texts {
        finding_id: raw.findings.iter().map(|f| t(&f.id)).collect(),
        finding_label: raw.findings.iter().map(|f| t(&f.label)).collect(),
        finding_label_absent: raw
            .findings
            .iter()
            .map(|f| match &f.label_absent {
                Some(l) => t(l),
                None => t(&format!("not {}", f.label)),
            })
            .collect(),
        finding_field: raw.findings.iter().map(|f| t(&f.field)).collect(),
        field_path: raw.fields.iter().map(|f| t(&f.path)).collect(),
        field_question: raw.fields.iter().map(|f| t(&f.question)).collect(),
        condition_id: raw.conditions.iter().map(|c| t(&c.id)).collect(),
        condition_name: raw.conditions.iter().map(|c| t(&c.name)).collect(),
        condition_info,
        severity_label: raw
            .conditions
            .iter()
            .map(|c| c.severity.iter().map(|s| t(&s.label)).collect())
            .collect(),
        link,
        flag_id: raw.red_flags.iter().map(|r| t(&r.id)).collect(),
        flag_why: raw.red_flags.iter().map(|r| t(&r.why)).collect(),
        flag_action: raw.red_flags.iter().map(|r| t(&r.action)).collect(),
        flag_sources: raw
            .red_flags
            .iter()
            .map(|r| Shared(std::sync::Arc::from(r.sources.clone())))
            .collect(),
        checklist_text: raw.checklists.iter().map(|l| t(&l.text)).collect(),
        checklist_item: raw
            .checklists
            .iter()
            .map(|l| l.items.iter().map(|i| t(&i.text)).collect())
            .collect(),
        level_text: Triage::ALL.map(|l| t(raw.levels.get(l))),
        disclaimer: t(&raw.disclaimer),
        pending_note: t(&raw.pending_note),
        safety_headline: t(&raw.safety_headline),
        care_deferred: t(&raw.care_deferred),
        version: t(&raw.version),
    }
}

fn compile_rule(ids: &HashMap<&str, usize>, rule: &[Vec<String>]) -> Rule {
    rule.iter()
        .map(|clause| {
            clause
                .iter()
                .map(|lit| {
                    let (id, negated) = parse_literal(lit);
                    Literal {
                        finding: ids[id] as u16,
                        negated,
                        unknown: lit.starts_with('?'),
                    }
                })
                .collect()
        })
        .collect()
}

fn compile(raw: &RawKb) -> Compiled {
    let nc = raw.conditions.len();
    let nf = raw.findings.len();
    let t = &raw.tuning;
    let finding_ids: HashMap<&str, usize> = raw
        .findings
        .iter()
        .enumerate()
        .map(|(i, f)| (f.id.as_str(), i))
        .collect();
    let field_ids: HashMap<&str, usize> = raw
        .fields
        .iter()
        .enumerate()
        .map(|(i, f)| (f.path.as_str(), i))
        .collect();
    let finding_field: Vec<u16> = raw
        .findings
        .iter()
        .map(|f| field_ids[f.field.as_str()] as u16)
        .collect();
    let mut field_findings = vec![Vec::new(); raw.fields.len()];
    // The findings that take likelihoods and answer options: all but the rule-only thresholds.
    let mut members_of = vec![Vec::new(); raw.fields.len()];
    for (i, &field) in finding_field.iter().enumerate() {
        field_findings[field as usize].push(i as u16);
        if !raw.findings[i].rule_only {
            members_of[field as usize].push(i as u16);
        }
    }

    let prior_sum: f64 = raw.conditions.iter().map(|c| c.prior).sum();
    // Unused slots get a score so low that they take no probability, so the hot loops can run
    // over all MAX_CONDITIONS slots (fixed length, vectorised) instead of `nc`.
    let mut log_prior = [-80f32; MAX_CONDITIONS];
    for (c, cond) in raw.conditions.iter().enumerate() {
        log_prior[c] = (cond.prior / prior_sum).ln() as f32;
    }

    // P(present | condition): links, else the base; partitions normalised per condition.
    let mut p = vec![[0f32; MAX_CONDITIONS]; nf];
    let mut lr_override: HashMap<(usize, usize), (f64, f64)> = HashMap::new();
    for (c, cond) in raw.conditions.iter().enumerate() {
        let mut pc: Vec<f64> = raw.findings.iter().map(|f| f.base).collect();
        let mut given = vec![false; nf];
        for l in &cond.links {
            let f = finding_ids[l.f.as_str()];
            given[f] = true;
            pc[f] = match (l.p, l.lr_present, l.lr_absent) {
                (Some(v), _, _) => v,
                (None, Some(lp), Some(la)) => {
                    lr_override.insert((c, f), (lp, la));
                    // Sensitivity implied by the two ratios.
                    (lp * (1.0 - la) / (lp - la)).clamp(0.001, 0.999)
                }
                _ => raw.findings[f].base,
            };
        }
        for (field, members) in members_of.iter().enumerate() {
            if !is_partition(raw.fields[field].answer) {
                continue;
            }
            let given_sum: f64 = members
                .iter()
                .filter(|&&f| given[f as usize])
                .map(|&f| pc[f as usize])
                .sum();
            let free_base: f64 = members
                .iter()
                .filter(|&&f| !given[f as usize])
                .map(|&f| raw.findings[f as usize].base)
                .sum();
            let base_sum: f64 = members.iter().map(|&f| raw.findings[f as usize].base).sum();
            for &f in members {
                let f = f as usize;
                if !given[f] {
                    pc[f] = if given_sum == 0.0 {
                        raw.findings[f].base / base_sum
                    } else {
                        raw.findings[f].base * (1.0 - given_sum).max(0.0) / free_base.max(1e-9)
                    };
                }
            }
            let total: f64 = members.iter().map(|&f| pc[f as usize]).sum();
            for &f in members {
                pc[f as usize] = (pc[f as usize] / total).max(1e-4);
            }
        }
        for f in 0..nf {
            p[f][c] = pc[f] as f32;
        }
    }

    let cap = t.max_abs_log_lr;
    let temper = |lr: f64| (lr.ln().clamp(-cap, cap) * t.temperature) as f32;
    let mut lp = vec![[0f32; MAX_CONDITIONS]; nf];
    let mut la = vec![[0f32; MAX_CONDITIONS]; nf];
    for f in 0..nf {
        if raw.findings[f].rule_only {
            continue;
        }
        let field = finding_field[f] as usize;
        let partition = is_partition(raw.fields[field].answer);
        let base = if partition {
            partition_base(&raw.findings, &members_of[field], f)
        } else {
            raw.findings[f].base
        };
        for c in 0..nc {
            let (lrp, lra) = lr_override.get(&(c, f)).copied().unwrap_or_else(|| {
                let pv = f64::from(p[f][c]);
                (pv / base, (1.0 - pv) / (1.0 - base))
            });
            lp[f][c] = temper(lrp);
            la[f][c] = if partition {
                0.0
            } else {
                temper(lra) * raw.fields[field].absent_weight as f32
            };
        }
    }

    use crate::engine::State;
    let mut field_options: Vec<Vec<AnswerOption>> = members_of
        .iter()
        .enumerate()
        .map(|(field, members)| {
            let kind = raw.fields[field].answer;
            match kind {
                AnswerKind::YesNo => {
                    let f = members[0];
                    let fi = f as usize;
                    let yes = AnswerOption {
                        sets: vec![(f, State::Present)],
                        delta: lp[fi],
                        p: p[fi],
                        touches_rule: false,
                        severity_rules: Vec::new(),
                        flag_rules: Vec::new(),
                    };
                    let mut no = AnswerOption {
                        sets: vec![(f, State::Absent)],
                        delta: la[fi],
                        p: [0.0; MAX_CONDITIONS],
                        touches_rule: false,
                        severity_rules: Vec::new(),
                        flag_rules: Vec::new(),
                    };
                    for c in 0..nc {
                        no.p[c] = 1.0 - p[fi][c];
                    }
                    vec![yes, no]
                }
                _ => members
                    .iter()
                    .map(|&f| {
                        let mut option = AnswerOption {
                            sets: members
                                .iter()
                                .map(|&g| {
                                    (
                                        g,
                                        if g == f {
                                            State::Present
                                        } else {
                                            State::Absent
                                        },
                                    )
                                })
                                .collect(),
                            delta: [0.0; MAX_CONDITIONS],
                            p: p[f as usize],
                            touches_rule: false,
                            severity_rules: Vec::new(),
                            flag_rules: Vec::new(),
                        };
                        for c in 0..nc {
                            option.delta[c] = members
                                .iter()
                                .map(|&g| {
                                    if g == f {
                                        lp[g as usize][c]
                                    } else {
                                        la[g as usize][c]
                                    }
                                })
                                .sum();
                        }
                        option
                    })
                    .collect(),
            }
        })
        .collect();

    // A simulated number answer also settles a rule-only threshold when its band lies wholly
    // inside or wholly outside it (probed at every boundary of the field's bands).
    for (field, options) in field_options.iter_mut().enumerate() {
        let rule_only: Vec<u16> = field_findings[field]
            .iter()
            .copied()
            .filter(|&f| raw.findings[f as usize].rule_only)
            .collect();
        if rule_only.is_empty() {
            continue;
        }
        let mut probes = vec![-1e9, 1e9];
        for &f in &field_findings[field] {
            let b = &raw.findings[f as usize];
            for x in [b.min, b.above, b.max, b.up_to].into_iter().flatten() {
                probes.extend([x - 1e-6, x, x + 1e-6]);
            }
        }
        for option in options.iter_mut() {
            let Some(&(own, _)) = option.sets.iter().find(|(_, s)| *s == State::Present) else {
                continue;
            };
            let inside: Vec<f64> = probes
                .iter()
                .copied()
                .filter(|&x| raw.findings[own as usize].band_contains(x))
                .collect();
            for &r in &rule_only {
                let hits = inside
                    .iter()
                    .filter(|&&x| raw.findings[r as usize].band_contains(x))
                    .count();
                if hits == inside.len() && hits > 0 {
                    option.sets.push((r, State::Present));
                } else if hits == 0 {
                    option.sets.push((r, State::Absent));
                }
            }
        }
    }

    let severity: Vec<Vec<(Triage, Rule)>> = raw
        .conditions
        .iter()
        .map(|c| {
            c.severity
                .iter()
                .map(|s| (s.level, compile_rule(&finding_ids, &s.when)))
                .collect()
        })
        .collect();
    let condition_index: HashMap<&str, u16> = raw
        .conditions
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i as u16))
        .collect();
    let red_flags: Vec<(Rule, Vec<u16>, Rule)> = raw
        .red_flags
        .iter()
        .map(|r| {
            (
                compile_rule(&finding_ids, &r.when),
                r.conditions
                    .iter()
                    .map(|c| condition_index[c.as_str()])
                    .collect(),
                compile_rule(&finding_ids, &r.possible_when),
            )
        })
        .collect();

    // Only rules that set a level matter for a simulated answer's triage.
    let mut in_rule = vec![false; nf];
    for rule in severity
        .iter()
        .flatten()
        .map(|(_, r)| r)
        .chain(red_flags.iter().map(|(when, _, _)| when))
    {
        for l in rule.iter().flatten() {
            in_rule[l.finding as usize] = true;
        }
    }
    let mut lr_raw = vec![[(1f32, 1f32); MAX_CONDITIONS]; nf];
    for f in 0..nf {
        if raw.findings[f].rule_only {
            continue;
        }
        let field = finding_field[f] as usize;
        let base = if is_partition(raw.fields[field].answer) {
            partition_base(&raw.findings, &members_of[field], f)
        } else {
            raw.findings[f].base
        };
        for c in 0..nc {
            let (a, b) = lr_override.get(&(c, f)).copied().unwrap_or_else(|| {
                let pv = f64::from(p[f][c]);
                (pv / base, (1.0 - pv) / (1.0 - base))
            });
            lr_raw[f][c] = (a as f32, b as f32);
        }
    }
    let reads = |rule: &Rule, f: u16| rule.iter().flatten().any(|l| l.finding == f);
    for options in field_options.iter_mut() {
        for option in options.iter_mut() {
            option.touches_rule = option.sets.iter().any(|&(f, _)| in_rule[f as usize]);
            for (c, rules) in severity.iter().enumerate() {
                for (r, (_, rule)) in rules.iter().enumerate() {
                    if option.sets.iter().any(|&(f, _)| reads(rule, f)) {
                        option.severity_rules.push((c as u16, r as u16));
                    }
                }
            }
            // A floor is never weighed by the questions (`RedFlagRule::floor`).
            for (i, (when, _, _)) in red_flags.iter().enumerate() {
                if !raw.red_flags[i].floor && option.sets.iter().any(|&(f, _)| reads(when, f)) {
                    option.flag_rules.push(i as u16);
                }
            }
        }
    }
    let field_live = field_options
        .iter()
        .map(|options| {
            options
                .iter()
                .any(|o| o.touches_rule || o.delta.iter().any(|d| d.abs() > 1e-6))
        })
        .collect();
    let text = texts(raw);

    let mut active = [0f32; MAX_CONDITIONS];
    for a in active.iter_mut().take(nc) {
        *a = 1.0;
    }
    let points_to = raw
        .red_flags
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let pt = r.points_to.as_ref()?;
            let c = raw.conditions.iter().position(|c| c.id == pt.condition)?;
            Some((i, c, temper(pt.lr)))
        })
        .collect();
    let care_unless = raw
        .conditions
        .iter()
        .map(|c| {
            c.care
                .iter()
                .enumerate()
                .filter(|(_, step)| !step.unless.is_empty())
                .map(|(i, step)| (i, compile_rule(&finding_ids, &step.unless)))
                .collect()
        })
        .collect();
    let field_settled = raw
        .fields
        .iter()
        .map(|f| compile_rule(&finding_ids, &f.settled_when))
        .collect();
    let field_screen = raw
        .fields
        .iter()
        .map(|f| compile_rule(&finding_ids, &f.screen_when))
        .collect();
    let checklist_fields = raw
        .checklists
        .iter()
        .map(|list| {
            list.items
                .iter()
                .map(|item| raw.fields.iter().position(|f| f.path == item.field))
                .collect()
        })
        .collect();
    let checklist_pictures = raw
        .checklists
        .iter()
        .map(|list| {
            list.items
                .iter()
                .map(|item| compile_rule(&finding_ids, &item.possible_when))
                .collect()
        })
        .collect();
    let option_shifted = field_options
        .iter()
        .map(|options| {
            options
                .iter()
                .map(|o| crate::engine::Shifted::of(&o.delta))
                .collect()
        })
        .collect();
    let answer_p_within_one = field_options
        .iter()
        .flatten()
        .all(|o| o.p.iter().all(|p| (0.0..=1.0).contains(p)));
    let reason_json = (0..lp.len() * MAX_CONDITIONS * 2)
        .map(|_| std::sync::OnceLock::new())
        .collect();
    let condition_json = (0..MAX_CONDITIONS * 5 * 4)
        .map(|_| std::sync::OnceLock::new())
        .collect();
    Compiled {
        reason_json,
        condition_json,
        option_shifted,
        answer_p_within_one,
        checklist_fields,
        checklist_pictures,
        field_settled,
        field_screen,
        care_unless,
        points_to,
        active,
        field_live,
        lr_raw,
        text,
        nc,
        log_prior,
        lp,
        la,
        p,
        finding_field,
        field_findings,
        field_options,
        severity,
        red_flags,
    }
}
