//! The question planner's inner computations as first written, one combination and one answer at
//! a time, kept to prove that the faster forms in `engine.rs` give the same results to the bit
//! on every worked and blind case (the choices must never change with how they are computed).

use super::*;
use crate::kb::AnswerOption;
use runsore_model::DerivedEvidence;

/// `joint_change` before the combinations shared their partial products and sums.
fn joint_change_reference(
    kb: &KnowledgeBase,
    ev: &Evidence,
    s: &Scores,
    p: &Scores,
    current: Triage,
    fields: &[u16],
) -> (f32, f32) {
    let c = &kb.compiled;
    let nc = c.nc;
    let lead = top(nc, p);
    let options: Vec<&[AnswerOption]> = fields
        .iter()
        .map(|&f| c.field_options[f as usize].as_slice())
        .filter(|o| o.len() == 2)
        .collect();
    let n = options.len().min(CHECKLIST_MAX);
    let options = &options[..n];
    let mut states = ev.states.clone();
    let mut change = 0.0;
    let mut raise = 0.0;
    for combo in 0u32..(1 << n) {
        let mut joint = *p;
        let mut s2 = *s;
        for (i, opts) in options.iter().enumerate() {
            let option = &opts[((combo >> i) & 1) as usize];
            for k in 0..MAX_CONDITIONS {
                joint[k] *= option.p[k];
                s2[k] += option.delta[k];
            }
            for &(f, state) in &option.sets {
                states[f as usize] = state;
            }
        }
        let w: f32 = joint.iter().sum();
        if w >= NEGLIGIBLE / 4.0 {
            let p2 = posterior(kb, &s2);
            // The whole triage, without `TriageAfter`'s split.
            let t2 = triage(kb, &states, &p2);
            if top(nc, &p2) != lead || t2 != current {
                change += w;
            }
            if t2 > current {
                raise += w;
            }
        }
        for opts in options {
            for &(f, _) in &opts[0].sets {
                states[f as usize] = ev.states[f as usize];
            }
        }
    }
    (change, raise)
}

/// `rank_questions` before its answers' weights were summed in lanes (and with the ranking's
/// triage as first written).
fn rank_questions_reference(
    kb: &KnowledgeBase,
    ev: &Evidence,
    s: &Scores,
    p: &Scores,
    current: Triage,
) -> Vec<Ranked> {
    let c = &kb.compiled;
    let nc = c.nc;
    let lead = top(nc, p);
    let (_, h0) = posterior_entropy(kb, s);
    let eig_weight = kb.tuning.information_weight as f32;
    // The triage of answers that touch no rule only moves with the ranking: reuse the levels.
    let levels = condition_levels(kb, &ev.states);
    let flag_level = red_flag_level(kb, &ev.states);
    let mut states = ev.states.clone();
    let mut out = Vec::new();
    for (field, options) in c.field_options.iter().enumerate() {
        if ev.field_known[field] || !c.field_live[field] {
            continue;
        }
        let mut weights = [0f32; 16];
        let mut total = 0.0;
        for (a, option) in options.iter().enumerate().take(16) {
            let mut w = 0.0;
            for k in 0..MAX_CONDITIONS {
                w += p[k] * option.p[k];
            }
            weights[a] = w;
            total += w;
        }
        if total <= 0.0 {
            continue;
        }
        let mut expected_h = 0.0;
        let mut change = 0.0;
        let mut raise = 0.0;
        for (a, option) in options.iter().enumerate().take(16) {
            let w = weights[a] / total;
            if w < NEGLIGIBLE {
                // Too unlikely to matter for the ranking or the stop rule; count it as no news.
                expected_h += w * h0;
                continue;
            }
            let mut s2 = *s;
            for k in 0..MAX_CONDITIONS {
                s2[k] += option.delta[k];
            }
            let (p2, h2) = posterior_entropy(kb, &s2);
            expected_h += w * h2;
            let t2 = if option.touches_rule {
                // An unknown answer becoming known can only make more rules hold, so start
                // from the current levels and re-check just the rules that read it.
                for &(f, state) in &option.sets {
                    states[f as usize] = state;
                }
                let mut levels2 = levels;
                for &(k, r) in &option.severity_rules {
                    let (level, rule) = &c.severity[k as usize][r as usize];
                    if *level > levels2[k as usize] && holds(rule, &states) {
                        levels2[k as usize] = *level;
                    }
                }
                let mut flag2 = flag_level;
                for &i in &option.flag_rules {
                    let level = kb.red_flags[i as usize].level;
                    if level > flag2 && holds(&c.red_flags[i as usize].0, &states) {
                        flag2 = level;
                    }
                }
                for &(f, _) in &option.sets {
                    states[f as usize] = ev.states[f as usize];
                }
                ranking_triage_reference(kb, &p2, &levels2).max(flag2)
            } else {
                ranking_triage_reference(kb, &p2, &levels).max(flag_level)
            };
            if top(nc, &p2) != lead || t2 != current {
                change += w;
            }
            if t2 > current {
                raise += w;
            }
        }
        let gain = (h0 - expected_h).max(0.0);
        out.push(Ranked {
            field: field as u16,
            gain,
            change,
            raise,
            utility: eig_weight * gain + change,
        });
    }
    out.sort_by(|a, b| b.utility.total_cmp(&a.utility).then(a.field.cmp(&b.field)));
    out
}

/// `ranking_triage` before the levels' masses were summed in lanes.
fn ranking_triage_reference(
    kb: &KnowledgeBase,
    p: &Scores,
    levels: &[Triage; MAX_CONDITIONS],
) -> Triage {
    let nc = kb.compiled.nc;
    let leader = top(nc, p);
    let mut lead = levels[leader];
    // An emergency from the ranking alone needs the findings to point at that condition
    // specifically (a concentrated posterior); otherwise the leader's level counts as urgent.
    if lead == Triage::Emergency && f64::from(p[leader]) < kb.tuning.emergency_lead_probability {
        lead = Triage::Urgent;
    }
    // Probability mass at each level, then at-or-above by suffix sums.
    let mut mass = [0f32; 4];
    for c in 0..nc {
        mass[levels[c] as usize] += p[c];
    }
    for l in (0..3).rev() {
        mass[l] += mass[l + 1];
    }
    let m = &kb.tuning.level_mass;
    // Probability mass can raise the level to urgent at most: never to emergency.
    for (level, threshold) in [
        (Triage::Urgent, m.urgent),
        (Triage::SeeDoctor, m.see_doctor),
    ] {
        if level <= lead {
            break;
        }
        if f64::from(mass[level as usize]) >= threshold {
            return level;
        }
    }
    lead
}

/// Checklist `li`'s fields still unknown in `ev`, in the list's order.
fn unknown_fields(kb: &KnowledgeBase, ev: &Evidence, li: usize) -> Vec<u16> {
    kb.compiled.checklist_fields[li]
        .iter()
        .flatten()
        .filter(|&&fi| !ev.field_known[fi])
        .map(|&fi| fi as u16)
        .collect()
}

/// `joint_pick` before the answers' weights were summed four combinations at a time; returns the
/// chosen items and each round's best expected entropy (to compare its bits too).
fn joint_pick_reference(
    kb: &KnowledgeBase,
    s: &Scores,
    p: &Scores,
    fixed: &[u16],
    candidates: &[u16],
    size: usize,
) -> (Vec<u16>, Vec<f32>) {
    let c = &kb.compiled;
    let binary = |f: u16| {
        let o = c.field_options[f as usize].as_slice();
        (o.len() == 2).then_some(o)
    };
    let mut combos: Vec<(Scores, Scores)> = vec![(*p, *s)];
    let mut chosen: Vec<u16> = Vec::new();
    for &f in fixed.iter().take(size) {
        chosen.push(f);
        if let Some(opts) = binary(f) {
            combos = extend(&combos, opts);
        }
    }
    let mut pool: Vec<u16> = candidates
        .iter()
        .copied()
        .filter(|f| !chosen.contains(f))
        .collect();
    let mut bests = Vec::new();
    while chosen.len() < size && !pool.is_empty() {
        let mut best: Option<(f32, usize)> = None;
        for (i, &f) in pool.iter().enumerate() {
            let Some(opts) = binary(f) else { continue };
            // No early stop: every candidate's whole sum.
            let mut expected = 0.0f32;
            for (joint, sc) in &combos {
                for option in opts {
                    let mut w = 0.0f32;
                    let mut s2 = *sc;
                    for k in 0..MAX_CONDITIONS {
                        w += joint[k] * option.p[k];
                        s2[k] += option.delta[k];
                    }
                    if w < NEGLIGIBLE / 16.0 {
                        continue;
                    }
                    expected += w * entropy(&s2);
                }
            }
            if best.is_none_or(|(e, _)| expected < e) {
                best = Some((expected, i));
            }
        }
        let Some((e, i)) = best else { break };
        bests.push(e);
        let f = pool.remove(i);
        chosen.push(f);
        if let Some(opts) = binary(f) {
            combos = extend(&combos, opts);
        }
    }
    (chosen, bests)
}

/// Every case's intake of the crate's test data: whole, and as the dialogue starts it (where
/// and onset only), and with each known field left out in turn of the first three cases of each set.
fn intakes() -> Vec<Intake> {
    let mut out = Vec::new();
    for text in crate::test_sets::SETS {
        let cases: serde_json::Value = serde_json::from_str(text).expect("JSON");
        let Some(cases) = cases.as_array() else {
            continue;
        };
        for (n, case) in cases.iter().enumerate() {
            let Some(full) = case.get("intake").and_then(|i| i.as_object()) else {
                continue;
            };
            let mut variants = vec![full.clone()];
            variants.push(
                full.iter()
                    .filter(|(k, _)| *k == "where" || *k == "onset")
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            );
            if n < 3 {
                for key in full.keys() {
                    let mut less = full.clone();
                    less.remove(key);
                    variants.push(less);
                }
            }
            for v in variants {
                if let Ok(intake) = crate::parse_intake(&serde_json::Value::Object(v).to_string()) {
                    out.push(intake);
                }
            }
        }
    }
    out
}

#[test]
fn both_answers_of_a_yes_no_field_set_the_same_findings() {
    let kb = crate::knowledge();
    for opts in &kb.compiled.field_options {
        if let [yes, no] = opts.as_slice() {
            let a: Vec<u16> = yes.sets.iter().map(|s| s.0).collect();
            let b: Vec<u16> = no.sets.iter().map(|s| s.0).collect();
            assert_eq!(a, b);
        }
    }
}

/// The planner's computations (each field's value, the ranking's triage, a checklist's joint
/// chances and its items chosen), old and new, on every checklist's items over thousands of
/// pictures: the same chance of a change and of a raise to the bit, and the same items chosen.
#[test]
fn the_planners_computations_are_the_reference_to_the_bit() {
    let kb = crate::knowledge();
    let c = &kb.compiled;
    let derived = DerivedEvidence::default();
    let intakes = intakes();
    assert!(intakes.len() > 2500, "{}", intakes.len());
    let (mut changes, mut picks, mut nonzero, mut ranks) = (0, 0, 0, 0);
    // Every picture in an optimised build (`cargo test --release`, a few seconds); every fourth
    // in a debug build, where the first forms run some fifty times slower.
    let stride = if cfg!(debug_assertions) { 4 } else { 1 };
    for intake in intakes.iter().step_by(stride) {
        let ev = read_evidence(kb, intake, &derived);
        let s = scores(kb, &ev.states);
        let p = posterior(kb, &s);
        let current = triage(kb, &ev.states, &p);
        let ranked = rank_questions(kb, &ev, &s, &p, current);
        let reference = rank_questions_reference(kb, &ev, &s, &p, current);
        let bits = |r: &[Ranked]| -> Vec<(u16, u32, u32, u32, u32)> {
            r.iter()
                .map(|q| {
                    let b = |x: f32| x.to_bits();
                    (q.field, b(q.gain), b(q.change), b(q.raise), b(q.utility))
                })
                .collect()
        };
        assert_eq!(bits(&ranked), bits(&reference));
        ranks += ranked.len();
        let levels = condition_levels(kb, &ev.states);
        for option in c.field_options.iter().flatten() {
            let mut s2 = s;
            for k in 0..MAX_CONDITIONS {
                s2[k] += option.delta[k];
            }
            let p2 = posterior(kb, &s2);
            assert_eq!(
                ranking_triage(kb, &p2, &levels),
                ranking_triage_reference(kb, &p2, &levels)
            );
        }
        for li in 0..kb.checklists.len() {
            let unknown = unknown_fields(kb, &ev, li);
            for start in [0, 3] {
                let fields: Vec<u16> = unknown.iter().skip(start).take(7).copied().collect();
                let new = joint_change(kb, &ev, &s, &p, current, &fields);
                let old = joint_change_reference(kb, &ev, &s, &p, current, &fields);
                assert_eq!(
                    (new.0.to_bits(), new.1.to_bits()),
                    (old.0.to_bits(), old.1.to_bits())
                );
                changes += 1;
                nonzero += usize::from(new.0 > 0.0);
            }
            for fixed in [0, 5] {
                let fixed_items: Vec<u16> = unknown.iter().take(fixed).copied().collect();
                let candidates: Vec<u16> = unknown.iter().skip(fixed).copied().collect();
                let new = joint_pick(kb, &s, &p, &fixed_items, &candidates, CHECKLIST_MAX);
                let (old, _) =
                    joint_pick_reference(kb, &s, &p, &fixed_items, &candidates, CHECKLIST_MAX);
                assert_eq!(new, old);
                picks += 1;
            }
        }
    }
    assert!(
        changes > 5_000 / stride
            && nonzero > 1000 / stride
            && picks > 5_000 / stride
            && ranks > 50_000 / stride,
        "{changes} {nonzero} {picks} {ranks}"
    );
}

/// `joint_pick`'s estimates with their bounds, on every checklist of every picture of the test
/// data (its first five unknown items chosen, the rest candidates for the sixth, as the planner
/// weighs them; and with none chosen): each candidate's exact sum, taken as `joint_pick_reference`
/// takes it, lies within half of its bound's width of the estimate (the bound is doubled for
/// safety, and this holds the undoubled one), and the bounds leave most candidates out.
#[test]
fn joint_pick_estimates_are_within_their_bounds() {
    let kb = crate::knowledge();
    let c = &kb.compiled;
    let derived = DerivedEvidence::default();
    let binary = |f: u16| {
        let o = c.field_options[f as usize].as_slice();
        (o.len() == 2).then_some(o)
    };
    let stride = if cfg!(debug_assertions) { 4 } else { 1 };
    let (mut candidates_weighed, mut taken, mut worst) = (0usize, 0usize, 0f32);
    for intake in intakes().iter().step_by(stride) {
        let ev = read_evidence(kb, intake, &derived);
        let s = scores(kb, &ev.states);
        let p = posterior(kb, &s);
        for li in 0..kb.checklists.len() {
            let unknown = unknown_fields(kb, &ev, li);
            for fixed in [0, 5] {
                let mut combos: Vec<(Scores, Scores)> = vec![(p, s)];
                for &f in unknown.iter().take(fixed) {
                    let Some(opts) = binary(f) else { continue };
                    combos = extend(&combos, opts);
                }
                let fours = by_fours(&combos);
                let splits = splits(&combos);
                let mut weights = Vec::new();
                let mut rows = Vec::new();
                for &f in unknown.iter().skip(fixed) {
                    let Some(opts) = binary(f) else { continue };
                    answer_weights(&fours, combos.len(), opts, &mut weights);
                    let mut exact = 0f32;
                    for ((_, sc), w) in combos.iter().zip(&weights) {
                        for (option, &w) in opts.iter().zip(w) {
                            if w < NEGLIGIBLE / 16.0 {
                                continue;
                            }
                            let mut s2 = *sc;
                            for k in 0..MAX_CONDITIONS {
                                s2[k] += option.delta[k];
                            }
                            exact += w * entropy(&s2);
                        }
                    }
                    let (low, high) =
                        estimate(&splits, &weights, &kb.compiled.option_shifted[f as usize])
                            .expect("an estimate");
                    let (mid, half) = ((low + high) / 2.0, (high - low) / 2.0);
                    assert!(
                        (exact - mid).abs() <= half / 2.0,
                        "{exact} {low} {high} (checklist {li}, field {f})"
                    );
                    worst = worst.max((exact - mid).abs() / half);
                    rows.push((low, high));
                }
                let ceiling = rows.iter().map(|r| r.1).fold(f32::INFINITY, f32::min);
                candidates_weighed += rows.len();
                taken += rows.iter().filter(|r| r.0 <= ceiling).count();
            }
        }
    }
    eprintln!(
        "{taken} of {candidates_weighed} candidates taken exactly; worst error {worst} of the bound"
    );
    assert!(candidates_weighed > 10_000 / stride, "{candidates_weighed}");
    assert!(
        taken * 3 < candidates_weighed,
        "{taken} of {candidates_weighed}"
    );
}
