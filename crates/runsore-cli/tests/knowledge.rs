//! `runsore knowledge --json` as a reviewer uses it: every claim (condition text, care items,
//! likelihoods, red flags) is listed with its sources, every cited source is listed in full, and
//! no source's address is a search or a home page.

mod common;

use serde_json::Value;

fn knowledge_json(args: &[&str]) -> Value {
    let out = common::runsore()
        .args(["--json", "knowledge"])
        .args(args)
        .output()
        .expect("runsore runs");
    common::ok_json(&out)
}

fn strs(v: &Value) -> Vec<&str> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// Why a URL does not lead to one work, checked here independently of the validator: a search
/// (a search path or a query term) or a bare home page.
fn not_a_work(url: &str) -> Option<&'static str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let (_, path) = rest.split_once('/').unwrap_or((rest, ""));
    let lower = path.to_ascii_lowercase();
    if lower.contains("search")
        || ["?term=", "?q=", "&q=", "?query=", "&term="]
            .iter()
            .any(|k| lower.contains(k))
    {
        return Some("a search");
    }
    if lower.trim_matches('/').is_empty() {
        return Some("a home page");
    }
    None
}

#[test]
fn knowledge_json_lists_every_claim_with_its_sources_and_no_search_or_home_page() {
    let v = knowledge_json(&[]);
    let sources = v["sources"].as_array().expect("sources");
    let listed: Vec<&str> = sources.iter().filter_map(|s| s["id"].as_str()).collect();
    assert!(listed.len() >= 30, "{} sources listed", listed.len());

    for s in sources {
        let id = s["id"].as_str().unwrap_or("?");
        let url = s["url"].as_str().unwrap_or("");
        assert!(
            url.starts_with("https://") || url.starts_with("http://"),
            "{id}: {url}"
        );
        assert_eq!(not_a_work(url), None, "{id}: {url}");
        for field in ["authors", "title", "published_in", "citation"] {
            let text = s[field].as_str().unwrap_or("");
            assert!(!text.trim().is_empty(), "{id} has no {field}");
        }
        assert!(
            s["year"].is_u64() || s["note"].as_str().is_some_and(|n| n.contains("year")),
            "{id}: no year and no note saying why"
        );
    }

    let conditions = v["conditions"].as_array().expect("conditions");
    assert!(conditions.len() >= 12, "{} conditions", conditions.len());
    let mut claims = 0;
    let mut likelihoods = 0;
    for c in conditions {
        let cid = c["id"].as_str().unwrap_or("?");
        let kinds: Vec<&str> = c["claims"]
            .as_array()
            .expect("claims")
            .iter()
            .filter_map(|cl| cl["kind"].as_str())
            .collect();
        for kind in ["summary", "course", "care", "avoid", "escalate"] {
            assert!(kinds.contains(&kind), "{cid} lists no {kind} claim");
        }
        for claim in c["claims"].as_array().unwrap() {
            claims += 1;
            let cited = strs(&claim["sources"]);
            assert!(!cited.is_empty(), "{cid}: a claim cites nothing: {claim}");
            assert!(
                !claim["text"].as_str().unwrap_or("").is_empty(),
                "{cid}: {claim}"
            );
            for id in cited {
                assert!(listed.contains(&id), "{cid}: {id} is cited but not listed");
            }
        }
        for l in c["likelihoods"].as_array().expect("likelihoods") {
            likelihoods += 1;
            assert!(
                l["lr_present"].as_f64().is_some_and(|x| x > 0.0)
                    && l["lr_absent"].as_f64().is_some_and(|x| x > 0.0),
                "{cid}: {l}"
            );
            match l["source"].as_str() {
                Some(id) => assert!(listed.contains(&id), "{cid}: {id} not listed"),
                None => assert_eq!(
                    l["estimate"], true,
                    "{cid}: unsourced and not an estimate: {l}"
                ),
            }
        }
    }
    assert!(
        claims > 100 && likelihoods > 300,
        "{claims} claims, {likelihoods} likelihoods"
    );

    let flags = v["red_flags"].as_array().expect("red flags");
    assert!(flags.len() >= 10, "{} red flags", flags.len());
    for r in flags {
        assert!(!r["why"].as_str().unwrap_or("").is_empty(), "{r}");
        let cited = strs(&r["sources"]);
        assert!(!cited.is_empty(), "{r}");
        for id in cited {
            assert!(
                listed.contains(&id),
                "red flag {}: {id} not listed",
                r["id"]
            );
        }
    }
}

/// One condition: only its claims, the red flags that concern it, and only the sources they cite.
#[test]
fn knowledge_json_for_one_condition_lists_only_what_it_cites() {
    let all = knowledge_json(&[]);
    let v = knowledge_json(&["stress_fracture"]);
    let conditions = v["conditions"].as_array().unwrap();
    assert_eq!(conditions.len(), 1);
    assert_eq!(conditions[0]["id"], "stress_fracture");
    let listed: Vec<&str> = v["sources"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["id"].as_str())
        .collect();
    assert!(listed.contains(&"robertson2017"), "{listed:?}");
    assert!(
        listed.len() < all["sources"].as_array().unwrap().len(),
        "{listed:?}"
    );
    for r in v["red_flags"].as_array().unwrap() {
        assert!(strs(&r["conditions"]).contains(&"stress_fracture"), "{r}");
    }
}
