//! `runsore knowledge`: the conditions runsore knows, their usual triage, course and sources.

use clap::Args;
use runsore_triage::{Condition, KnowledgeBase};
use serde_json::json;

use crate::Ctx;

/// List the conditions in the knowledge base and the sources behind them.
#[derive(Debug, Args)]
pub struct Cmd {
    /// Show one condition in full: its care plan, what not to do, when to get help (e.g. doms).
    id: Option<String>,
}

/// Every source id a condition's claims cite, in first-cited order.
fn cited(c: &Condition) -> Vec<&str> {
    let mut ids: Vec<&str> = Vec::new();
    let steps = c.care.iter().chain(&c.avoid).chain(&c.escalate);
    for id in c
        .summary_sources
        .iter()
        .chain(&c.course.sources)
        .chain(steps.flat_map(|s| &s.sources))
        .chain(c.evidence.iter().flat_map(|e| &e.sources))
    {
        if !ids.contains(&id.as_str()) {
            ids.push(id);
        }
    }
    ids
}

fn source_line(kb: &KnowledgeBase, id: &str) -> String {
    match kb.sources.iter().find(|s| s.id == id) {
        Some(s) => format!("[{}] {} <{}>", s.id, s.title, s.url),
        None => format!("[{id}]"),
    }
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
            let out: Vec<_> = conditions
                .iter()
                .map(|c| {
                    json!({
                        "id": c.id, "name": c.name, "summary": c.summary, "usual_triage": c.triage,
                        "course": c.course, "care": c.care, "avoid": c.avoid, "escalate": c.escalate,
                        "source_article_and_newer_evidence": c.evidence,
                        "sources": cited(c).iter().map(|id| kb.sources.iter().find(|s| s.id == *id)).collect::<Vec<_>>(),
                    })
                })
                .collect();
            outln!(
                "{}",
                serde_json::to_string_pretty(&json!({"version": kb.version, "conditions": out}))?
            );
            return Ok(());
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
}
