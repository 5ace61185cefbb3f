//! `runsore knowledge`: the conditions runsore knows, their usual triage, course and sources; with
//! `--json`, every claim the knowledge base makes (condition text, care plans, likelihoods, red
//! flags) with the sources it cites, so that each can be checked against what the source says.

use clap::Args;
use runsore_triage::{Condition, KnowledgeBase, Source};
use serde::Serialize;
use serde_json::json;

use crate::Ctx;

/// List the conditions in the knowledge base and the sources behind them.
#[derive(Debug, Args)]
pub struct Cmd {
    /// Show one condition in full: its care plan, what not to do, when to get help (e.g. doms).
    id: Option<String>,
}

/// One statement the knowledge base makes, with what it cites.
#[derive(Debug, Serialize)]
struct Claim<'a> {
    /// What part of the condition it is: summary, course, care, avoid, escalate, severity or
    /// evidence.
    kind: &'static str,
    /// The statement as the runner reads it.
    text: String,
    /// The ids of the sources it cites, each listed in full under `sources`.
    sources: &'a [String],
}

/// One likelihood: how much a finding counts for a condition, and where that comes from.
#[derive(Debug, Serialize)]
struct Likelihood<'a> {
    finding: &'a str,
    label: &'a str,
    /// Share of runners with the condition in whom the finding is present, when given that way.
    #[serde(skip_serializing_if = "Option::is_none")]
    p: Option<f64>,
    /// Share among runners with the other causes.
    base: f64,
    /// The likelihood ratios the engine uses (before tempering).
    lr_present: f64,
    lr_absent: f64,
    /// Where the association is described.
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    /// True when no source reports the figure itself.
    estimate: bool,
}

/// Every claim of one condition, in the order the runner meets them.
fn claims(c: &Condition) -> Vec<Claim<'_>> {
    let mut out = vec![
        Claim {
            kind: "summary",
            text: c.summary.clone(),
            sources: &c.summary_sources,
        },
        Claim {
            kind: "course",
            text: c.course.text.clone(),
            sources: &c.course.sources,
        },
    ];
    for (kind, steps) in [
        ("care", &c.care),
        ("avoid", &c.avoid),
        ("escalate", &c.escalate),
    ] {
        out.extend(steps.iter().map(|s| Claim {
            kind,
            text: s.text.clone(),
            sources: &s.sources,
        }));
    }
    out.extend(c.severity.iter().map(|s| Claim {
        kind: "severity",
        text: format!("{}: {}", s.label, s.level),
        sources: &s.sources,
    }));
    out.extend(c.evidence.iter().map(|e| Claim {
        kind: "evidence",
        text: format!("{} {}", e.article, e.modern),
        sources: &e.sources,
    }));
    out
}

fn likelihoods<'a>(kb: &'a KnowledgeBase, c: &'a Condition) -> Vec<Likelihood<'a>> {
    c.links
        .iter()
        .filter_map(|l| {
            let f = kb.finding(&l.f)?;
            let (lr_present, lr_absent) = kb.likelihood_ratios(&c.id, &l.f)?;
            Some(Likelihood {
                finding: &f.id,
                label: &f.label,
                p: l.p,
                base: f.base,
                lr_present,
                lr_absent,
                source: l.source.as_deref(),
                estimate: l.estimate,
            })
        })
        .collect()
}

/// Every source id a condition's claims cite, in first-cited order.
fn cited(c: &Condition) -> Vec<&str> {
    let mut ids: Vec<&str> = Vec::new();
    for claim in claims(c) {
        for id in claim.sources {
            if !ids.contains(&id.as_str()) {
                ids.push(id);
            }
        }
    }
    ids
}

fn source_line(kb: &KnowledgeBase, id: &str) -> String {
    match kb.source(id) {
        Some(s) => format!("[{}] {} <{}>", s.id, s.citation(), s.url),
        None => format!("[{id}]"),
    }
}

/// A source as listed in the JSON: its record plus the one-line citation.
fn source_json(s: &Source) -> serde_json::Value {
    let mut v = serde_json::to_value(s).unwrap_or_default();
    if let Some(map) = v.as_object_mut() {
        map.insert("citation".into(), s.citation().into());
    }
    v
}

impl Cmd {
    /// Prints the listing.
    pub fn run(self, ctx: &Ctx) -> anyhow::Result<()> {
        let kb = runsore_triage::knowledge();
        let conditions: Vec<&Condition> = kb
            .conditions
            .iter()
            .filter(|c| self.id.as_deref().is_none_or(|id| c.id == id))
            .collect();
        if conditions.is_empty() {
            let ids: Vec<_> = kb.conditions.iter().map(|c| c.id.as_str()).collect();
            return Err(crate::ctx::bad_input(format!(
                "no condition {:?}; known: {}",
                self.id.unwrap_or_default(),
                ids.join(", ")
            )));
        }
        if ctx.json {
            return self.print_json(kb, &conditions);
        }
        outln!("runsore knowledge base, version {}\n", kb.version);
        for c in conditions {
            outln!(
                "{} ({}): usually {}",
                c.name,
                c.id,
                crate::result::level_phrase(c.triage)
            );
            outln!("  {}", c.summary);
            outln!("  course: {}", c.course.text);
            if self.id.is_some() {
                for (title, steps) in [
                    ("care plan", &c.care),
                    ("what not to do", &c.avoid),
                    ("when to get help", &c.escalate),
                ] {
                    outln!("  {title}:");
                    for (i, s) in steps.iter().enumerate() {
                        outln!("    {}. {}", i + 1, s.text);
                    }
                }
                for e in &c.evidence {
                    outln!(
                        "  the source article: {}\n  newer evidence: {}",
                        e.article,
                        e.modern
                    );
                }
            }
            outln!("  sources:");
            for id in cited(c) {
                outln!("    {}", source_line(kb, id));
            }
            outln!();
        }
        outln!("{}", kb.disclaimer);
        Ok(())
    }

    /// Every claim with its sources: the conditions asked for, the red flags that concern them
    /// (all of them when no condition is named), and each cited source once, in full.
    fn print_json(&self, kb: &KnowledgeBase, conditions: &[&Condition]) -> anyhow::Result<()> {
        let red_flags: Vec<_> = kb
            .red_flags
            .iter()
            .filter(|r| {
                self.id
                    .as_deref()
                    .is_none_or(|id| r.conditions.iter().any(|c| c == id))
            })
            .collect();
        // Which sources the listing cites, so that each is listed once, in full.
        let mut used: std::collections::HashSet<&str> = std::collections::HashSet::new();
        let out: Vec<_> = conditions
            .iter()
            .map(|c| {
                let claims = claims(c);
                let likelihoods = likelihoods(kb, c);
                used.extend(
                    claims
                        .iter()
                        .flat_map(|cl| cl.sources.iter().map(String::as_str)),
                );
                used.extend(likelihoods.iter().filter_map(|l| l.source));
                json!({
                    "id": c.id, "name": c.name, "usual_triage": c.triage,
                    "prior": c.prior, "prior_estimate": c.prior_estimate,
                    "course": c.course,
                    "claims": claims,
                    "likelihoods": likelihoods,
                })
            })
            .collect();
        let flags: Vec<_> = red_flags
            .iter()
            .map(|r| {
                used.extend(r.sources.iter().map(String::as_str));
                json!({
                    "id": r.id, "level": r.level, "why": r.why, "action": r.action,
                    "conditions": r.conditions, "sources": r.sources,
                })
            })
            .collect();
        // Sources in the knowledge file's order, so the listing is stable from run to run.
        let sources: Vec<_> = kb
            .sources
            .iter()
            .filter(|s| used.contains(&s.id.as_str()))
            .map(source_json)
            .collect();
        outln!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "version": kb.version,
                "disclaimer": kb.disclaimer,
                "conditions": out,
                "red_flags": flags,
                "sources": sources,
            }))?
        );
        Ok(())
    }
}
