//! Inference: intake to finding states, log-odds scores, probabilities, triage with red flags,
//! and the ranking of the questions still worth asking. No I/O, no clock, no randomness.

use runsore_model::{DerivedEvidence, DerivedFinding, Intake};

use crate::fields::{AnswerKind, Value, read_field};
use crate::kb::{KnowledgeBase, Literal, MAX_CONDITIONS, Rule, Triage};

/// What is known about one finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum State {
    Unknown,
    Present,
    Absent,
}

/// The finding states of one intake, with where each field's answer came from.
#[derive(Debug, Clone)]
pub(crate) struct Evidence {
    pub states: Vec<State>,
    /// Per field: answered, or settled by other answers (`FieldSpec::settled_when`).
    pub field_known: Vec<bool>,
    /// Per field: the derived finding that filled it, when the runner left it unknown.
    pub from_runs: Vec<Option<usize>>,
    pub used: Vec<DerivedFinding>,
}

pub(crate) fn read_evidence(
    kb: &KnowledgeBase,
    intake: &Intake,
    derived: &DerivedEvidence,
) -> Evidence {
    let (merged, used);
    let intake = if derived.findings.is_empty() {
        used = Vec::new();
        intake
    } else {
        (merged, used) = derived.merge_into(intake);
        &merged
    };
    let c = &kb.compiled;
    let mut states = vec![State::Unknown; kb.findings.len()];
    let mut field_known = vec![false; kb.fields.len()];
    let mut from_runs = vec![None; kb.fields.len()];
    for (fi, field) in kb.fields.iter().enumerate() {
        let Some(value) = read_field(intake, &field.path) else {
            continue;
        };
        field_known[fi] = true;
        from_runs[fi] = used.iter().position(|u| u.field == field.path);
        for &f in &c.field_findings[fi] {
            let finding = &kb.findings[f as usize];
            let present = match &value {
                Value::Bool(b) => *b,
                Value::Enum(s) => finding.values.iter().any(|v| v == s),
                Value::Many(list) => finding.value.as_deref().is_some_and(|v| list.contains(&v)),
                Value::Number(x) => finding.band_contains(*x),
            };
            states[f as usize] = if present {
                State::Present
            } else {
                State::Absent
            };
        }
    }
    // A field that other answers already settle ("not limping" settles "can you stand and walk
    // on it?") counts as answered: it is not asked, and it adds no evidence of its own.
    for (fi, rule) in c.field_settled.iter().enumerate() {
        if !field_known[fi] && holds(rule, &states) {
            field_known[fi] = true;
        }
    }
    Evidence {
        states,
        field_known,
        from_runs,
        used,
    }
}

pub(crate) type Scores = [f32; MAX_CONDITIONS];

/// The contribution of one finding's state to every condition's score.
fn contribution(kb: &KnowledgeBase, f: usize, state: State) -> Option<&Scores> {
    match state {
        State::Unknown => None,
        State::Present => Some(&kb.compiled.lp[f]),
        State::Absent => Some(&kb.compiled.la[f]),
    }
}

pub(crate) fn scores(kb: &KnowledgeBase, states: &[State]) -> Scores {
    let mut s = kb.compiled.log_prior;
    for (f, &state) in states.iter().enumerate() {
        if let Some(delta) = contribution(kb, f, state) {
            for c in 0..kb.compiled.nc {
                s[c] += delta[c];
            }
        }
    }
    for &(flag, c, lr) in &kb.compiled.points_to {
        if holds(&kb.compiled.red_flags[flag].0, states) {
            s[c] += lr;
        }
    }
    s
}

/// Softmax over the conditions, then a small even floor so nothing is ever certain.
pub(crate) fn posterior(kb: &KnowledgeBase, s: &Scores) -> Scores {
    posterior_entropy(kb, s).0
}

/// `e^x` for `x <= 0` (scores minus their maximum), to about 1e-6 relative error: an exp2 split
/// into an exponent and a degree-5 polynomial. Deterministic; the question loop evaluates it
/// thousands of times per assessment, where libm's `expf` dominated the profile.
#[inline]
fn exp_neg(x: f32) -> f32 {
    // Rounding by adding and taking away 1.5 x 2^23 (exact for |t| < 2^22).
    const ROUND: f32 = 12_582_912.0;
    // Added to a whole number in [1, 127], 2^23 leaves it in the low mantissa bits.
    const BITS: f32 = 8_388_608.0;
    let t = (x * std::f32::consts::LOG2_E).max(-126.0);
    // floor(t) in float arithmetic, without a libm call or a float-to-int conversion (Rust's
    // saturating `as i32` kept the loop over the conditions scalar): round to the nearest whole
    // number, then take one off where that rounded up. The same n as truncating and correcting.
    let r = (t + ROUND) - ROUND;
    let n = r - if r > t { 1.0 } else { 0.0 };
    let f = t - n;
    // 2^f on [0, 1): minimax-style coefficients.
    let poly = 1.0
        + f * (std::f32::consts::LN_2
            + f * (0.240_226_5 + f * (0.055_504_11 + f * (0.009_618_13 + f * 0.001_333_55))));
    // 2^n from its exponent bits: n + 127 is a whole number in [1, 127].
    let biased = (n + (127.0 + BITS)).to_bits() & 0x7f_ffff;
    f32::from_bits(biased << 23) * poly
}

/// The posterior and the entropy of the ranking before the floor, from one pass of `exp` and a
/// single `ln` (the question loop calls this for every answer it simulates).
fn posterior_entropy(kb: &KnowledgeBase, s: &Scores) -> (Scores, f32) {
    let (mut e, z, h) = softmax_terms(s);
    let floor = kb.tuning.floor as f32;
    let scale = (1.0 - floor) / z;
    let add = floor / kb.compiled.nc as f32;
    let active = &kb.compiled.active;
    for c in 0..MAX_CONDITIONS {
        e[c] = (e[c] * scale + add) * active[c];
    }
    (e, h)
}

/// The entropy of the ranking alone, as [`posterior_entropy`] gives it (the same arithmetic,
/// so the same value to the bit), without the posterior: what a checklist's item choice weighs
/// some 700 times per assessment.
fn entropy(s: &Scores) -> f32 {
    softmax_terms(s).2
}

/// `e^(s - max)` for every condition, their sum `z`, and the entropy of the softmax. Inlined
/// into both callers, so that [`entropy`] keeps its terms in registers instead of returning them.
#[inline(always)]
fn softmax_terms(s: &Scores) -> (Scores, f32, f32) {
    // Written as element-wise loops and four-lane reductions so that the compiler can
    // vectorise them (a plain float sum is sequential and cannot be reordered).
    let lanes = lane_max(s);
    let max = lanes[0].max(lanes[1]).max(lanes[2].max(lanes[3]));
    let mut x = [0f32; MAX_CONDITIONS];
    let mut e = [0f32; MAX_CONDITIONS];
    for c in 0..MAX_CONDITIONS {
        x[c] = s[c] - max;
        e[c] = exp_neg(x[c]);
    }
    let [zl, wl] = lane_sums(&e, &x);
    let z = (zl[0] + zl[1]) + (zl[2] + zl[3]);
    let weighted = (wl[0] + wl[1]) + (wl[2] + wl[3]);
    (e, z, z.ln() - weighted / z)
}

/// Each of four lanes' maximum over the scores (lane `i` holds every fourth score from `i`).
///
/// Not inlined, on purpose, as [`lane_sums`]: inlined beside the lanes' final combination, the
/// compiler's vectoriser took the lanes apart into scalar operations and shuffles (a third of
/// [`posterior_entropy`]'s instructions); on their own each is a handful of four-lane
/// instructions. The same operations in the same order: the same bits.
#[inline(never)]
fn lane_max(s: &Scores) -> [f32; 4] {
    let mut lanes = [f32::NEG_INFINITY; 4];
    for chunk in s.chunks_exact(4) {
        for i in 0..4 {
            lanes[i] = lanes[i].max(chunk[i]);
        }
    }
    lanes
}

/// Four lanes' sums of `e` and of `e x` (lane `i` over every fourth condition from `i`, in the
/// conditions' order): [`softmax_terms`]'s `z` and weighted sum before their lanes are combined.
/// Not inlined: see [`lane_max`].
#[inline(never)]
fn lane_sums(e: &Scores, x: &Scores) -> [[f32; 4]; 2] {
    let mut zl = [0f32; 4];
    let mut wl = [0f32; 4];
    for (ec, xc) in e.chunks_exact(4).zip(x.chunks_exact(4)) {
        for i in 0..4 {
            zl[i] += ec[i];
            wl[i] += ec[i] * xc[i];
        }
    }
    [zl, wl]
}

pub(crate) fn top(nc: usize, p: &Scores) -> usize {
    let mut best = 0;
    for c in 1..nc {
        if p[c] > p[best] {
            best = c;
        }
    }
    best
}

/// Truth of one literal; `None` while its finding is unknown.
fn literal(states: &[State], l: &Literal) -> Option<bool> {
    match states[l.finding as usize] {
        State::Unknown if l.unknown => Some(true),
        _ if l.unknown => Some(false),
        State::Unknown => None,
        State::Present => Some(!l.negated),
        State::Absent => Some(l.negated),
    }
}

pub(crate) fn holds(rule: &Rule, states: &[State]) -> bool {
    !rule.is_empty()
        && rule
            .iter()
            .all(|clause| clause.iter().any(|l| literal(states, l) == Some(true)))
}

/// A rule that has not fired but could still fire once unknown answers are in.
pub(crate) fn open(rule: &Rule, states: &[State]) -> bool {
    rule.iter()
        .all(|clause| clause.iter().any(|l| literal(states, l) != Some(false)))
}

pub(crate) fn condition_levels(kb: &KnowledgeBase, states: &[State]) -> [Triage; MAX_CONDITIONS] {
    let mut levels = [Triage::SelfCare; MAX_CONDITIONS];
    for (c, cond) in kb.conditions.iter().enumerate() {
        levels[c] = cond.triage;
        for (level, rule) in &kb.compiled.severity[c] {
            if *level > levels[c] && holds(rule, states) {
                levels[c] = *level;
            }
        }
    }
    levels
}

/// The level the ranking asks for: the leading condition's own level, raised when enough
/// probability sits on more urgent conditions.
pub(crate) fn ranking_triage(
    kb: &KnowledgeBase,
    p: &Scores,
    levels: &[Triage; MAX_CONDITIONS],
) -> Triage {
    ranking_triage_led(kb, p, levels, top(kb.compiled.nc, p))
}

/// [`ranking_triage`] with the leading condition already found (`top(nc, p)`): the question loop
/// compares it with the current leader too, and takes it once for both.
fn ranking_triage_led(
    kb: &KnowledgeBase,
    p: &Scores,
    levels: &[Triage; MAX_CONDITIONS],
    leader: usize,
) -> Triage {
    let nc = kb.compiled.nc;
    let mut lead = levels[leader];
    // An emergency from the ranking alone needs the findings to point at that condition
    // specifically (a concentrated posterior); otherwise the leader's level counts as urgent.
    if lead == Triage::Emergency && f64::from(p[leader]) < kb.tuning.emergency_lead_probability {
        lead = Triage::Urgent;
    }
    // Probability mass can raise the level to urgent at most: a leader at urgent or above is
    // the answer without it (the question loop asks this some 200 times per assessment).
    if lead >= Triage::Urgent {
        return lead;
    }
    // Probability mass at each level, then at-or-above by suffix sums. Each level's sum is taken
    // in the conditions' order, adding only the conditions at that level; self-care's own mass is
    // never read, so only the levels from "see a doctor" up are summed (lane `l` holds level
    // `l + 1`). A branch per condition: the levels repeat from call to call, so it is predicted,
    // and it takes a third of the instructions of adding a masked +0 to every lane.
    let mut lanes = [0f32; 3];
    for c in 0..nc {
        let at = levels[c] as usize;
        if at > 0 {
            lanes[at - 1] += p[c];
        }
    }
    let mut mass = [0f32, lanes[0], lanes[1], lanes[2]];
    for l in (1..3).rev() {
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

/// The level the red flags that are not floors demand: the one the questions are weighed against.
pub(crate) fn red_flag_level(kb: &KnowledgeBase, states: &[State]) -> Triage {
    flags_level(kb, states, false)
}

/// The level the risk-context floors that hold demand (`RedFlagRule::floor`): part of the triage
/// reported, never of the one the questions are weighed against.
pub(crate) fn floor_level(kb: &KnowledgeBase, states: &[State]) -> Triage {
    flags_level(kb, states, true)
}

/// The highest level of the holding red flags that are floors (`floors`) or are not.
fn flags_level(kb: &KnowledgeBase, states: &[State], floors: bool) -> Triage {
    let mut level = Triage::SelfCare;
    for (i, (rule, _, _)) in kb.compiled.red_flags.iter().enumerate() {
        let flag_level = kb.red_flags[i].level;
        if flag_level > level && kb.red_flags[i].floor == floors && holds(rule, states) {
            level = flag_level;
        }
    }
    level
}

pub(crate) fn triage(kb: &KnowledgeBase, states: &[State], p: &Scores) -> Triage {
    let levels = condition_levels(kb, states);
    ranking_triage(kb, p, &levels).max(red_flag_level(kb, states))
}

/// A red flag still unanswered where the picture makes it possible, and the fields to ask.
pub(crate) struct Pending {
    pub flag: usize,
    pub fields: Vec<u16>,
    /// True when the picture makes the flag possible (asked first, and the result says it is
    /// still needed); false when it is only remotely possible (asked after the best few
    /// questions, so a runner who cannot answer those still meets it).
    pub strong: bool,
    /// True when the flag is neither, but its picture is still open (its `possible_when` could
    /// come true once unknown context is answered): its yes/no fields ride in the adaptive
    /// checklist chosen by value, ahead of its other items, never a question of their own.
    pub rider: bool,
}

pub(crate) fn pending_red_flags(
    kb: &KnowledgeBase,
    ev: &Evidence,
    p: &Scores,
    current: Triage,
) -> Vec<Pending> {
    let states = &ev.states[..];
    let c = &kb.compiled;
    let mut out = Vec::new();
    for (i, (rule, conditions, possible_when)) in c.red_flags.iter().enumerate() {
        let level = kb.red_flags[i].level;
        if level <= current || kb.red_flags[i].floor || holds(rule, states) || !open(rule, states) {
            continue;
        }
        // How likely the flag is to fire once asked *because of the conditions it is about*:
        // under each linked condition, the chance that
        // every unsatisfied clause comes true (findings independent given the condition),
        // weighted by the condition's probability.
        // A flag about no condition in particular (heart, sodium, infection) is made possible
        // only by its picture.
        let mut chance = 0.0f32;
        for k in 0..c.nc {
            if !conditions.contains(&(k as u16)) {
                continue;
            }
            let mut given = p[k];
            for clause in rule {
                if clause.iter().any(|l| literal(states, l) == Some(true)) {
                    continue;
                }
                let mut none = 1.0f32;
                for l in clause {
                    if states[l.finding as usize] == State::Unknown {
                        let yes = c.p[l.finding as usize][k];
                        none *= if l.negated { yes } else { 1.0 - yes };
                    }
                }
                given *= 1.0 - none;
            }
            chance += given;
        }
        let mass: f32 = conditions.iter().map(|&k| p[k as usize]).sum();
        let (chance, mass) = (f64::from(chance), f64::from(mass));
        let t = &kb.tuning;
        let strong =
            chance >= t.red_flag_chance || mass >= t.red_flag_mass || holds(possible_when, states);
        let context = !possible_when.is_empty() && open(possible_when, states);
        let weak = chance >= t.red_flag_chance * t.remote_red_flag_share
            || mass >= t.red_flag_mass * t.remote_red_flag_share;
        // Possible once context still unknown comes true (cramps or a heavy sweat for a racing
        // heart), while its conditions are still plausible: its symptom rides in the adaptive
        // checklist. A sparse runner is rarely asked that context while other causes lead, so
        // without this the flag never became possible (a sweaty runner's cramps with a
        // fluttering heart ended at self-care in the dialogue).
        let rider = !strong && !weak && context && (conditions.is_empty() || mass >= t.rider_mass);
        if !strong && !weak && !rider {
            continue;
        }
        // Ask the first clause still open (rules list the symptom before its context); the
        // next clause is asked once this one is answered.
        let mut fields = Vec::new();
        if let Some(clause) = rule
            .iter()
            .find(|clause| !clause.iter().any(|l| literal(states, l) == Some(true)))
        {
            for l in clause {
                let field = c.finding_field[l.finding as usize];
                if states[l.finding as usize] == State::Unknown
                    && !ev.field_known[field as usize]
                    && !fields.contains(&field)
                {
                    fields.push(field);
                }
            }
        }
        // Only settled fields left to ask (standing and walking, when the runner is not
        // limping): the answers given rule the flag out.
        if fields.is_empty() {
            continue;
        }
        out.push(Pending {
            flag: i,
            fields,
            strong,
            rider,
        });
    }
    // The picture's flags first, emergencies before urgent ones, then in file order.
    out.sort_by(|a, b| {
        a.rider
            .cmp(&b.rider)
            .then(b.strong.cmp(&a.strong))
            .then(kb.red_flags[b.flag].level.cmp(&kb.red_flags[a.flag].level))
            .then(a.flag.cmp(&b.flag))
    });
    out
}

/// Answers less likely than this are not simulated (they barely move the expected gain and are
/// far below `question_min_weight`).
const NEGLIGIBLE: f32 = 0.01;

/// One unknown field's value as a question.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ranked {
    pub field: u16,
    /// Expected information gain over the ranking (nats).
    pub gain: f32,
    /// The chance that the answer changes the leading condition or the triage: the answers
    /// that would, weighted by their predictive probability.
    pub change: f32,
    /// The chance that the answer raises the triage level (part of `change`).
    pub raise: f32,
    /// `information_weight x gain + change`: the order among questions worth asking.
    pub utility: f32,
}

/// Values every unknown field that an answer could move (expected information gain over the
/// ranking, and the chance that the answer changes the leading condition or the triage), best
/// first. Whether a question is worth asking at all is the caller's stopping rule.
pub(crate) fn rank_questions(
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
        // Each answer's predictive weight, `sum over k of p[k] x option.p[k]` in the conditions'
        // order, two answers at a time (independent sums, each in the same order as one answer
        // at a time: the same bits, without waiting on one sum's additions for the other's).
        let mut weights = [0f32; 16];
        for (g, pair) in options[..options.len().min(16)].chunks(2).enumerate() {
            match pair {
                [a, b] => {
                    let (mut wa, mut wb) = (0f32, 0f32);
                    for k in 0..MAX_CONDITIONS {
                        wa += p[k] * a.p[k];
                        wb += p[k] * b.p[k];
                    }
                    weights[2 * g] = wa;
                    weights[2 * g + 1] = wb;
                }
                [a] => {
                    let mut w = 0f32;
                    for k in 0..MAX_CONDITIONS {
                        w += p[k] * a.p[k];
                    }
                    weights[2 * g] = w;
                }
                _ => {}
            }
        }
        let mut total = 0.0;
        for &w in &weights[..options.len().min(16)] {
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
            let lead2 = top(nc, &p2);
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
                ranking_triage_led(kb, &p2, &levels2, lead2).max(flag2)
            } else {
                ranking_triage_led(kb, &p2, &levels, lead2).max(flag_level)
            };
            if lead2 != lead || t2 != current {
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

/// The chance that the answers to several yes/no fields asked at once (a checklist) change the
/// leading condition or the triage, and the chance that they raise the triage: every combination
/// of answers, weighted by its predictive probability (answers independent given the condition,
/// as the ranking assumes).
pub(crate) fn joint_change(
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
    let options: Vec<&[crate::kb::AnswerOption]> = fields
        .iter()
        .map(|&f| c.field_options[f as usize].as_slice())
        .filter(|o| o.len() == 2)
        .collect();
    let n = options.len().min(CHECKLIST_MAX);
    let options = &options[..n];
    let after = TriageAfter::new(kb, &ev.states, options);
    let mut states = ev.states.clone();
    // A combination's joint weight and scores are the products and sums over its answers taken
    // in field order (`joint = p x a0.p x a1.p ...`, `s2 = s + a0.delta + a1.delta ...`). The
    // combinations are visited with the last field's answer changing fastest, so that the
    // partial products and sums of the fields before it are kept (prefix[i] holds them after i
    // fields) and only the levels whose answer changed are taken again: the same operations in
    // the same order, so the same bits, for a fraction of the work. Each combination's outcome
    // is kept by its index and added up in index order, as one at a time would.
    let mut joints = [[0f32; MAX_CONDITIONS]; CHECKLIST_MAX + 1];
    let mut sums = [[0f32; MAX_CONDITIONS]; CHECKLIST_MAX + 1];
    joints[0] = *p;
    sums[0] = *s;
    //
    // A combination's weight is under NEGLIGIBLE / 4 (its outcome not taken, so nothing) whenever
    // the weight of the answers to its first fields is: each further answer multiplies every
    // condition's joint weight by a probability in [0, 1], which in float arithmetic cannot raise
    // it (`x p <= x`, and rounding keeps the order), and the sums over the conditions are taken in
    // the same order, so cannot rise either. Those combinations are passed over together.
    let mut outcome = [(0f32, false, false); 1 << CHECKLIST_MAX];
    let mut r = 0u32;
    'combos: while r < 1 << n {
        // The answers of fields `from..n` changed since the last combination (all, at first).
        let from = if r == 0 {
            0
        } else {
            n - 1 - r.trailing_zeros() as usize
        };
        let mut combo = 0usize;
        for i in 0..n {
            combo |= (((r >> (n - 1 - i)) & 1) as usize) << i;
        }
        for (i, opts) in options.iter().enumerate().skip(from) {
            let option = &opts[(combo >> i) & 1];
            let (before, after_i) = joints.split_at_mut(i + 1);
            let (sb, sa) = sums.split_at_mut(i + 1);
            for k in 0..MAX_CONDITIONS {
                after_i[0][k] = before[i][k] * option.p[k];
                sa[0][k] = sb[i][k] + option.delta[k];
            }
            for &(f, state) in &option.sets {
                states[f as usize] = state;
            }
            if i + 1 < n
                && c.answer_p_within_one
                && after_i[0].iter().sum::<f32>() < NEGLIGIBLE / 4.0
            {
                // Every combination that starts with these answers: the next one changes the
                // answer to field `i` (or to one before it), and sets the fields from there on.
                let span = 1u32 << (n - 1 - i);
                r = (r | (span - 1)) + 1;
                continue 'combos;
            }
        }
        let w: f32 = joints[n].iter().sum();
        if w >= NEGLIGIBLE / 4.0 {
            let p2 = posterior(kb, &sums[n]);
            let lead2 = top(nc, &p2);
            let t2 = after.triage(kb, &states, &p2, lead2);
            outcome[combo] = (w, lead2 != lead || t2 != current, t2 > current);
        }
        r += 1;
    }
    let mut change = 0.0;
    let mut raise = 0.0;
    for &(w, changed, raised) in &outcome[..1 << n] {
        if changed {
            change += w;
        }
        if raised {
            raise += w;
        }
    }
    (change, raise)
}

/// [`triage`] after answers to some yes/no fields, from the states before them: a severity or
/// red-flag rule that reads none of their findings holds as it does before, so its level is
/// taken once, and only the rules that read them are checked for each combination of answers.
/// The same levels as [`triage`] over the whole states (a level is the highest of the rules that
/// hold, whatever the order they are checked in).
struct TriageAfter {
    /// Per condition: its own level raised by the severity rules that hold and read no field asked.
    levels: [Triage; MAX_CONDITIONS],
    /// The highest red-flag level among the flags that hold and read no field asked.
    flag: Triage,
    /// The severity rules (condition, rule) that read a field asked.
    severity: Vec<(u16, u16)>,
    /// The red flags that read a field asked.
    flags: Vec<u16>,
}

impl TriageAfter {
    fn new(kb: &KnowledgeBase, states: &[State], options: &[&[crate::kb::AnswerOption]]) -> Self {
        let c = &kb.compiled;
        let (mut severity, mut flags) = (Vec::new(), Vec::new());
        for option in options.iter().flat_map(|o| o.iter()) {
            for rule in &option.severity_rules {
                if !severity.contains(rule) {
                    severity.push(*rule);
                }
            }
            for flag in &option.flag_rules {
                if !flags.contains(flag) {
                    flags.push(*flag);
                }
            }
        }
        let mut levels = [Triage::SelfCare; MAX_CONDITIONS];
        for (k, cond) in kb.conditions.iter().enumerate() {
            levels[k] = cond.triage;
            for (r, (level, rule)) in c.severity[k].iter().enumerate() {
                if *level > levels[k]
                    && !severity.contains(&(k as u16, r as u16))
                    && holds(rule, states)
                {
                    levels[k] = *level;
                }
            }
        }
        let mut flag = Triage::SelfCare;
        for (i, (rule, _, _)) in c.red_flags.iter().enumerate() {
            let level = kb.red_flags[i].level;
            if level > flag
                && !kb.red_flags[i].floor
                && !flags.contains(&(i as u16))
                && holds(rule, states)
            {
                flag = level;
            }
        }
        TriageAfter {
            levels,
            flag,
            severity,
            flags,
        }
    }

    /// The triage over `states` (the states before, with the answers set) and `p`, whose leading
    /// condition is `leader`.
    fn triage(&self, kb: &KnowledgeBase, states: &[State], p: &Scores, leader: usize) -> Triage {
        let c = &kb.compiled;
        let mut levels = self.levels;
        for &(k, r) in &self.severity {
            let (level, rule) = &c.severity[k as usize][r as usize];
            if *level > levels[k as usize] && holds(rule, states) {
                levels[k as usize] = *level;
            }
        }
        let mut flag = self.flag;
        for &i in &self.flags {
            let level = kb.red_flags[i as usize].level;
            if level > flag && holds(&c.red_flags[i as usize].0, states) {
                flag = level;
            }
        }
        ranking_triage_led(kb, p, &levels, leader).max(flag)
    }
}

/// The combinations of answers so far extended by one more field's answers (`opts`), each
/// combination's joint weights and scores, the negligible ones dropped (`joint_pick`'s step,
/// and the reference implementation's).
fn extend(combos: &[(Scores, Scores)], opts: &[crate::kb::AnswerOption]) -> Vec<(Scores, Scores)> {
    let mut next = Vec::with_capacity(combos.len() * 2);
    for (joint, sc) in combos {
        for option in opts {
            let mut j = *joint;
            let mut s2 = *sc;
            for k in 0..MAX_CONDITIONS {
                j[k] *= option.p[k];
                s2[k] += option.delta[k];
            }
            if j.iter().sum::<f32>() >= NEGLIGIBLE / 16.0 {
                next.push((j, s2));
            }
        }
    }
    next
}

/// Chooses up to `size` items for a checklist: `fixed` first, then greedily the candidate whose
/// answer, beside the items already chosen, leaves the least expected entropy over the ranking
/// (answers independent given the condition). Items that tell the same causes apart are not
/// chosen twice: the second adds little once the first is asked.
pub(crate) fn joint_pick(
    kb: &KnowledgeBase,
    s: &Scores,
    p: &Scores,
    fixed: &[u16],
    candidates: &[u16],
    size: usize,
) -> Vec<u16> {
    let c = &kb.compiled;
    let binary = |f: u16| {
        let o = c.field_options[f as usize].as_slice();
        (o.len() == 2).then_some(o)
    };
    // Each combination of the chosen items' answers: the joint weight per condition, and scores.
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
    let mut weights: Vec<[f32; 2]> = Vec::with_capacity(combos.len());
    let mut bounds: Vec<Option<(f32, f32)>> = Vec::with_capacity(pool.len());
    while chosen.len() < size && !pool.is_empty() {
        let fours = by_fours(&combos);
        // First every candidate's expected entropy estimated, some five times cheaper than
        // taken (no `exp` per term: see [`Split`]), each with a proven bound on its distance from
        // the value taken below. A candidate whose lowest possible value is above another's
        // highest cannot be the one with the least entropy: only the others (usually one or
        // two of some twenty) are taken exactly, in the pool's order, as before. The one chosen
        // is the same: the least value, the first in the pool on a tie.
        let splits = splits(&combos);
        bounds.clear();
        let mut ceiling = f32::INFINITY;
        for &f in &pool {
            let bound = binary(f).and_then(|opts| {
                answer_weights(&fours, combos.len(), opts, &mut weights);
                estimate(&splits, &weights, &c.option_shifted[f as usize])
            });
            if let Some((_, high)) = bound {
                ceiling = ceiling.min(high);
            }
            bounds.push(bound);
        }
        // Above the ceiling: its exact value is above another candidate's (`low > ceiling` is
        // false for a NaN, which is then taken exactly).
        let ruled_out = |i: usize| bounds[i].is_some_and(|(low, _)| low > ceiling);
        let mut left = (0..pool.len()).filter(|&i| binary(pool[i]).is_some() && !ruled_out(i));
        if let (Some(only), None) = (left.next(), left.next()) {
            // One candidate left: the first taken exactly is always the best so far, so it is
            // the one chosen whatever its value, which is then not worth its entropies.
            chosen.push(pool.remove(only));
            if let Some(opts) = binary(chosen[chosen.len() - 1]) {
                combos = extend(&combos, opts);
            }
            continue;
        }
        let mut best: Option<(f32, usize)> = None;
        for (i, &f) in pool.iter().enumerate() {
            let Some(opts) = binary(f) else { continue };
            if ruled_out(i) {
                continue;
            }
            let bound = best.map_or(f32::INFINITY, |(e, _)| e);
            answer_weights(&fours, combos.len(), opts, &mut weights);
            let mut expected = 0.0f32;
            'sum: for ((_, sc), w) in combos.iter().zip(&weights) {
                for (option, &w) in opts.iter().zip(w) {
                    // Every term is w x h with w >= 0 and h >= 0 (z >= 1 since the leading
                    // term is exactly 1, and every x <= 0), so in float arithmetic the sum never
                    // falls: once it reaches the best so far this candidate cannot win
                    // (`expected < e` below), and its other terms are not worth an entropy each.
                    if expected >= bound {
                        break 'sum;
                    }
                    if w < NEGLIGIBLE / 16.0 {
                        continue;
                    }
                    let mut s2 = *sc;
                    for k in 0..MAX_CONDITIONS {
                        s2[k] += option.delta[k];
                    }
                    expected += w * entropy(&s2);
                }
            }
            if best.is_none_or(|(e, _)| expected < e) {
                best = Some((expected, i));
            }
        }
        let Some((_, i)) = best else { break };
        let f = pool.remove(i);
        chosen.push(f);
        if let Some(opts) = binary(f) {
            combos = extend(&combos, opts);
        }
    }
    chosen
}

/// The largest relative error of [`exp_neg`] for `-64 <= x <= 0` (measured: 8.8e-5, the
/// polynomial's; `exp_neg_error_is_bounded` holds it). Below -64 its values are under 1.7e-28 of
/// the leading term and weigh nothing in an entropy (under -87.3 it stops at 2^-126).
const EXP_NEG_ERROR: f32 = 9e-5;

/// `ln x` for a positive normal `x`, four at a time: `x = 2^k m` with `m` in [sqrt 1/2, sqrt 2),
/// `ln m = 2 atanh(t)` with `t = (m - 1) / (m + 1)`, `|t| < 0.172`, to the `t^7` term (the next
/// is under 4e-8 of it). Its error is under `4e-7 |ln x| + 1e-8` (`ln_approx_error_is_bounded`).
/// For [`estimate`]'s bound only, where a vectorised `ln` with a known error costs a fifth of
/// four calls of libm's.
#[inline(always)]
fn ln_approx(x: [f32; 4]) -> [f32; 4] {
    let mut out = [0f32; 4];
    for i in 0..4 {
        let bits = x[i].to_bits();
        // The exponent of x / sqrt(1/2): then m = x / 2^k lies in [sqrt 1/2, sqrt 2).
        let k = (bits.wrapping_sub(0x3f35_04f3) as i32) >> 23;
        let m = f32::from_bits(bits.wrapping_sub((k as u32) << 23));
        let t = (m - 1.0) / (m + 1.0);
        let t2 = t * t;
        let series = t * (2.0 + t2 * (2.0 / 3.0 + t2 * (0.4 + t2 * (2.0 / 7.0))));
        out[i] = k as f32 * std::f32::consts::LN_2 + series;
    }
    out
}

/// `e^x` for `x <= 0` to within [`EXP_ACC_ERROR`] (stopping at `e^-87`): `x = n ln 2 + r` with
/// `|r| <= ln 2 / 2` (`ln 2` in two parts, so that `n ln 2` is exact) and `e^r` to the `r^7` term
/// (the next is under 6e-9). For [`estimate`], where [`exp_neg`]'s 9e-5 would widen the bound.
#[inline(always)]
fn exp_acc(x: f32) -> f32 {
    const ROUND: f32 = 12_582_912.0;
    const BITS: f32 = 8_388_608.0;
    const LN2_HI: f32 = 0.693_145_75;
    const LN2_LO: f32 = 1.428_606_8e-6;
    let x = x.max(-87.0);
    let n = (x * std::f32::consts::LOG2_E + ROUND) - ROUND;
    let r = (x - n * LN2_HI) - n * LN2_LO;
    let poly = 1.0
        + r * (1.0
            + r * (0.5
                + r * (1.0 / 6.0
                    + r * (1.0 / 24.0 + r * (1.0 / 120.0 + r * (1.0 / 720.0 + r / 5040.0))))));
    let biased = (n + (127.0 + BITS)).to_bits() & 0x7f_ffff;
    f32::from_bits(biased << 23) * poly
}

/// The largest relative error of [`exp_acc`] on [-87, 0] (`exp_acc_error_is_bounded`).
const EXP_ACC_ERROR: f32 = 3e-7;

/// One score vector for [`estimate`]: shifted by its maximum (`l = s - max`, all <= 0), `e^l`
/// by [`exp_acc`], and its largest magnitude.
#[derive(Debug, Clone)]
pub(crate) struct Shifted {
    l: Scores,
    e: Scores,
    mag: f32,
}

impl Shifted {
    pub(crate) fn of(s: &Scores) -> Shifted {
        let mut top = [f32::NEG_INFINITY; 4];
        let mut mag = [0f32; 4];
        for chunk in s.chunks_exact(4) {
            for i in 0..4 {
                top[i] = top[i].max(chunk[i]);
                mag[i] = mag[i].max(chunk[i].abs());
            }
        }
        let max = top[0].max(top[1]).max(top[2].max(top[3]));
        let mut l = [0f32; MAX_CONDITIONS];
        let mut e = [0f32; MAX_CONDITIONS];
        for c in 0..MAX_CONDITIONS {
            l[c] = s[c] - max;
            e[c] = exp_acc(l[c]);
        }
        Shifted {
            l,
            e,
            mag: mag[0].max(mag[1]).max(mag[2].max(mag[3])),
        }
    }
}

/// Four combinations' [`Shifted`] scores, condition by condition (`[k][lane]`); lanes past the
/// last combination are zeros.
pub(crate) struct Split {
    l: [[f32; 4]; MAX_CONDITIONS],
    e: [[f32; 4]; MAX_CONDITIONS],
    mag: [f32; 4],
}

/// The combinations' scores as [`Split`]s, four to a group.
pub(crate) fn splits(combos: &[(Scores, Scores)]) -> Vec<Split> {
    combos
        .chunks(4)
        .map(|group| {
            let mut split = Split {
                l: [[0f32; 4]; MAX_CONDITIONS],
                e: [[0f32; 4]; MAX_CONDITIONS],
                mag: [0f32; 4],
            };
            for (lane, (_, sc)) in group.iter().enumerate() {
                let one = Shifted::of(sc);
                for k in 0..MAX_CONDITIONS {
                    split.l[k][lane] = one.l[k];
                    split.e[k][lane] = one.e[k];
                }
                split.mag[lane] = one.mag;
            }
            split
        })
        .collect()
}

/// A yes/no candidate's expected entropy beside the combinations (`joint_pick`'s sum: each
/// combination's two answers, `w x h` where `w` is at least `NEGLIGIBLE / 16`) estimated without
/// an `exp` per term, as `(low, high)`: the value `joint_pick` takes exactly is proven to lie
/// between them. `None` when a term is out of the bound's reach (then it is taken exactly).
///
/// How. The entropy of the softmax of `s + d` (a combination's scores and an answer's change) is
/// `ln z - sum(u l) / z` for weights `u = e^l`, `l = s + d` up to a constant: here `l = (s - max
/// s) + (d - max d)` and `u` the product of the two parts' exps, taken once per combination and
/// once per answer. A term's own work is then 20 products and sums and a quarter of a vectorised
/// [`ln_approx`], where the exact entropy takes 20 [`exp_neg`] and a libm `ln`.
///
/// Why the bound holds (`p` the term's softmax, `H` its entropy; to first order in the errors).
/// (1) The exact value is `ln z - sum(p x)` with `e = exp_neg(x)`, `x = fl(fl(s + d) - max)`:
/// the entropy of its own weights plus `sum(p rho_c)`, `rho_c` their relative errors, under
/// EXP_NEG_ERROR and zero for the leading one (`x = 0` exactly, `exp_neg(0) = 1`), so that mean
/// is under `EXP_NEG_ERROR (1 - p_max) <= 1.45 EXP_NEG_ERROR H`; and moving a weight by a factor
/// `1 + rho_c` moves the entropy by at most `2 p_c |rho_c| |ln p_c|`: `2 EXP_NEG_ERROR H` for
/// the exps. (2) The estimate's weights are `e^l` within two [`EXP_ACC_ERROR`] and a rounding,
/// a mean of at most `7e-7`. (3) Both computations' exponents are the float `s + d` up to
/// their own roundings, at most `2^-24` of `|s - max s| + |d - max d| + |l| + |s + d|`, under
/// `2^-24 (3 |ln p_c| + 2 |ln z| + 3 + mag s + mag d)`, weighted by `2 p_c |ln p_c|` with
/// `|ln p_c| <= 64` where `p_c` weighs at all: under `2^-24 (400 + 4 |ln z| + 2 mag) H`.
/// (4) Rounding of the sums (20 terms in four lanes), the division and libm's `ln`: under
/// `1e-6 (|ln z| + H + 3)`; [`ln_approx`]'s own error. Terms under exp_neg's floor or underflowing
/// weigh under 2^-65 of `z` (at least 2^-60 here, else `None`) and add under 1e-12. The
/// candidate's sum then differs by the weighted sum of those bounds plus the two sums' own
/// rounding (at most 128 terms: under 2e-5 of the sum), and the result is doubled for safety.
/// `exp_neg_error_is_bounded`, `exp_acc_error_is_bounded`, `ln_approx_error_is_bounded` and
/// `joint_pick_estimates_are_within_their_bounds` (every picture of the test data) hold the parts.
pub(crate) fn estimate(
    splits: &[Split],
    weights: &[[f32; 2]],
    shifted: &[Shifted],
) -> Option<(f32, f32)> {
    let (mut expected, mut error) = (0f32, 0f32);
    // Each answer's score change as [`Shifted::of`] gives it (`Compiled::option_shifted`).
    for (a, d) in shifted.iter().enumerate().take(2) {
        for (g, split) in splits.iter().enumerate() {
            let mut z = [0f32; 4];
            let mut sum_ul = [0f32; 4];
            for k in 0..MAX_CONDITIONS {
                for lane in 0..4 {
                    let u = split.e[k][lane] * d.e[k];
                    z[lane] += u;
                    sum_ul[lane] += u * (split.l[k][lane] + d.l[k]);
                }
            }
            let mut zsafe = [1f32; 4];
            for lane in 0..4 {
                // 2^-60 and up (false for a NaN); other lanes get 1, their terms unused.
                if z[lane] >= 8.673_617e-19 {
                    zsafe[lane] = z[lane];
                }
            }
            let ln_z = ln_approx(zsafe);
            let [h, unit_error, mag] = lane_terms(ln_z, sum_ul, z, split.mag, d.mag);
            for (lane, w) in weights.iter().skip(4 * g).take(4).enumerate() {
                let w = w[a];
                if w < NEGLIGIBLE / 16.0 {
                    continue;
                }
                if !(z[lane] >= 8.673_617e-19 && mag[lane] <= 1e4) {
                    return None;
                }
                expected += w * h[lane];
                error += w * unit_error[lane];
            }
        }
    }
    let margin = 2.0 * (error + 2e-5 * expected);
    Some((expected - margin, expected + margin))
}

/// [`estimate`]'s terms for four combinations beside one answer, lane by lane: the entropy `h`
/// (from `ln z` and the weighted sum), its error bound per unit of weight, and the scores'
/// magnitude. Taken for all four lanes at once, those whose weight is negligible or whose `z`
/// is out of reach included (their values are not used); not inlined, so that the compiler
/// keeps the lanes together ([`lane_max`] says why). The same operations on each lane as one
/// lane at a time: the same bits.
#[inline(never)]
fn lane_terms(
    ln_z: [f32; 4],
    sum_ul: [f32; 4],
    z: [f32; 4],
    split_mag: [f32; 4],
    d_mag: f32,
) -> [[f32; 4]; 3] {
    const ULP: f32 = 5.960_464_5e-8;
    let mut h = [0f32; 4];
    let mut unit_error = [0f32; 4];
    let mut mag = [0f32; 4];
    for lane in 0..4 {
        mag[lane] = split_mag[lane] + d_mag;
        h[lane] = (ln_z[lane] - sum_ul[lane] / z[lane]).max(0.0);
        let lz = ln_z[lane].abs();
        unit_error[lane] = h[lane]
            * (3.5 * EXP_NEG_ERROR + ULP * (400.0 + 4.0 * lz + 2.0 * mag[lane]))
            + 1e-6 * (lz + h[lane] + 3.0)
            + (2.0 * EXP_ACC_ERROR + ULP)
            + 4e-7 * lz
            + 1e-8;
    }
    [h, unit_error, mag]
}

/// The joint weights of the combinations, four at a time and condition by condition
/// (`[k][lane]`), zeros past the last one: the layout [`answer_weights`] reads.
fn by_fours(combos: &[(Scores, Scores)]) -> Vec<[[f32; 4]; MAX_CONDITIONS]> {
    combos
        .chunks(4)
        .map(|group| {
            let mut t = [[0f32; 4]; MAX_CONDITIONS];
            for (lane, (joint, _)) in group.iter().enumerate() {
                for k in 0..MAX_CONDITIONS {
                    t[k][lane] = joint[k];
                }
            }
            t
        })
        .collect()
}

/// The predictive weight of each of a yes/no field's two answers beside every combination of
/// answers: `sum over k of joint[k] x option.p[k]`, each sum taken in the order of the conditions
/// from 0.0, as one answer at a time would take it (so the same bits), but four combinations and
/// both answers at once, one combination a lane: eight independent sums, where one at a time
/// waited on each addition (a float sum is a chain the processor cannot overlap within itself).
fn answer_weights(
    fours: &[[[f32; 4]; MAX_CONDITIONS]],
    n: usize,
    opts: &[crate::kb::AnswerOption],
    out: &mut Vec<[f32; 2]>,
) {
    let (yes, no) = (&opts[0].p, &opts[1].p);
    out.clear();
    for (g, t) in fours.iter().enumerate() {
        let mut wy = [0f32; 4];
        let mut wn = [0f32; 4];
        for k in 0..MAX_CONDITIONS {
            for lane in 0..4 {
                wy[lane] += t[k][lane] * yes[k];
                wn[lane] += t[k][lane] * no[k];
            }
        }
        for lane in 0..(n - 4 * g).min(4) {
            out.push([wy[lane], wn[lane]]);
        }
    }
}

/// How many of the next most useful items `joint_pick` weighs for a checklist's last slot.
const JOINT_CANDIDATES: usize = 20;

/// Most fields in one checklist question (the contract counts up to 6 as one question).
pub(crate) const CHECKLIST_MAX: usize = 6;

/// A question to list: a plain question on one field, or a checklist of yes/no fields.
#[derive(Debug, Clone)]
pub(crate) struct Ask {
    pub fields: Vec<u16>,
    /// The checklist (index into `kb.checklists`) the fields come from; `None` for a plain one.
    pub checklist: Option<usize>,
    pub change: f32,
    pub red_flag: bool,
}

/// The questions after the safety screen, best first, under the value-of-information stopping
/// rule: a question is listed only when its answer changes the leading condition or the triage
/// with a predictive chance of at least `question_min_change`, or raises the triage with a chance
/// of at least `question_min_raise` (a missed urgent cause costs more than a missed name); red flags the picture makes
/// possible are listed whatever their value (red flags win over probabilities). Yes/no fields that
/// belong to a checklist are asked together, as that checklist's most useful items.
///
/// `askable(checklist, field)` says whether a field may be asked (not marked "not sure", and for
/// a checklist item, shown to this runner).
pub(crate) fn plan_questions(
    kb: &KnowledgeBase,
    ev: &Evidence,
    s: &Scores,
    p: &Scores,
    current: Triage,
    pending: &[Pending],
    askable: &dyn Fn(Option<usize>, usize) -> bool,
) -> Vec<Ask> {
    let c = &kb.compiled;
    let t = &kb.tuning;
    let min_change = t.question_min_change as f32;
    let min_raise = t.question_min_raise as f32;
    let ranked = rank_questions(kb, ev, s, p, current);
    // Each field's value by index (a field is ranked at most once), instead of a search of the
    // ranking for every item weighed.
    let mut by_field: Vec<Option<Ranked>> = vec![None; kb.fields.len()];
    for r in &ranked {
        by_field[r.field as usize].get_or_insert(*r);
    }
    let value = |field: u16| by_field[field as usize];
    // The adaptive checklist each yes/no field is asked in (the others come first, whole).
    let mut pool_of: Vec<Option<usize>> = vec![None; kb.fields.len()];
    for (li, list) in kb.checklists.iter().enumerate() {
        if !list.adaptive {
            continue;
        }
        for &fi in c.checklist_fields[li].iter().flatten() {
            if pool_of[fi].is_none() {
                pool_of[fi] = Some(li);
            }
        }
    }
    let mut used = vec![false; kb.fields.len()];
    // A checklist's items: the given ones first, then the symptoms of red flags whose picture is
    // still open (`Pending::rider`), then all its other unknown items that this runner may be
    // asked, most useful first, up to the checklist size. A checklist is asked
    // whole (each is packed to 6 items, one question in the contract's count): asked again, it
    // would show only the items left out the first time.
    let pool_items = |li: usize, must: &[u16], used: &[bool]| -> Vec<u16> {
        let mut items: Vec<u16> = must.to_vec();
        let mut riders: Vec<(f32, u16)> = Vec::new();
        for pend in pending.iter().filter(|p| p.rider) {
            for &f in &pend.fields {
                let fi = f as usize;
                if pool_of[fi] == Some(li)
                    && !used[fi]
                    && !items.contains(&f)
                    && !riders.iter().any(|r| r.1 == f)
                    && askable(Some(li), fi)
                {
                    riders.push((value(f).map_or(0.0, |r| r.utility), f));
                }
            }
        }
        riders.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        items.extend(riders.iter().map(|r| r.1));
        let mut rest: Vec<(f32, u16)> = c.checklist_fields[li]
            .iter()
            .flatten()
            .copied()
            .filter(|&fi| !used[fi] && !items.contains(&(fi as u16)) && askable(Some(li), fi))
            .map(|fi| (value(fi as u16).map_or(0.0, |r| r.utility), fi as u16))
            .collect();
        rest.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        // Up to 5 of its other items by value; a sixth slot left goes to the item that adds
        // most beside the others (the best items often tell the same causes apart, and a sparse
        // picture's rarer discriminating item was crowded out).
        let kept = CHECKLIST_MAX
            .saturating_sub(items.len())
            .min(CHECKLIST_MAX - 1)
            .min(rest.len());
        items.extend(rest.iter().take(kept).map(|r| r.1));
        let candidates: Vec<u16> = rest
            .iter()
            .skip(kept)
            .take(JOINT_CANDIDATES)
            .map(|r| r.1)
            .collect();
        joint_pick(kb, s, p, &items, &candidates, CHECKLIST_MAX)
    };
    let mut out: Vec<Ask> = Vec::new();
    let place = |ask: Ask, used: &mut Vec<bool>, out: &mut Vec<Ask>| {
        for &f in &ask.fields {
            used[f as usize] = true;
        }
        out.push(ask);
    };

    // Red flags the picture makes possible: asked first. Their yes/no fields that belong to an
    // adaptive checklist are gathered across the flags into that checklist (at most 6 at a time,
    // the rest of it filled with the most useful other items), placed where the first of them
    // came; the other fields are plain questions, in the flags' order.
    let flag_asks = |strong: bool, used: &mut Vec<bool>, out: &mut Vec<Ask>| {
        // Each slot: a plain field, or the index of a checklist's gathered fields.
        enum Slot {
            Plain(u16),
            List(usize),
        }
        let mut slots: Vec<Slot> = Vec::new();
        let mut gathered: Vec<(usize, Vec<u16>)> = Vec::new();
        let mut seen = vec![false; kb.fields.len()];
        for pend in pending.iter().filter(|p| p.strong == strong && !p.rider) {
            for &field in &pend.fields {
                let fi = field as usize;
                if used[fi] || seen[fi] || !askable(pool_of[fi], fi) {
                    continue;
                }
                seen[fi] = true;
                match pool_of[fi] {
                    Some(li) => match gathered.iter_mut().find(|(l, _)| *l == li) {
                        Some((_, fields)) => fields.push(field),
                        None => {
                            slots.push(Slot::List(gathered.len()));
                            gathered.push((li, vec![field]));
                        }
                    },
                    None => slots.push(Slot::Plain(field)),
                }
            }
        }
        for slot in slots {
            match slot {
                Slot::Plain(field) => place(
                    Ask {
                        fields: vec![field],
                        checklist: None,
                        change: value(field).map_or(0.0, |r| r.change),
                        red_flag: true,
                    },
                    used,
                    out,
                ),
                Slot::List(g) => {
                    let (li, must) = &gathered[g];
                    for chunk in must.chunks(CHECKLIST_MAX) {
                        let fields = chunk.to_vec();
                        let ask = Ask {
                            change: joint_change(kb, ev, s, p, current, &fields).0,
                            checklist: (fields.len() > 1).then_some(*li),
                            fields,
                            red_flag: true,
                        };
                        place(ask, used, out);
                    }
                }
            }
        }
    };
    flag_asks(true, &mut used, &mut out);

    // Every other question by value: plain fields, and each checklist as its best items.
    let mut candidates: Vec<(f32, Ask)> = Vec::new();
    for r in &ranked {
        let fi = r.field as usize;
        let worth = r.change >= min_change || r.raise >= min_raise;
        if used[fi] || pool_of[fi].is_some() || !worth || !askable(None, fi) {
            continue;
        }
        candidates.push((
            r.utility,
            Ask {
                fields: vec![r.field],
                checklist: None,
                change: r.change,
                red_flag: false,
            },
        ));
    }
    for li in 0..kb.checklists.len() {
        if !kb.checklists[li].adaptive {
            continue;
        }
        let fields = pool_items(li, &[], &used);
        if fields.is_empty() {
            continue;
        }
        let (change, raise) = joint_change(kb, ev, s, p, current, &fields);
        if change < min_change && raise < min_raise {
            continue;
        }
        let gain: f32 = fields
            .iter()
            .filter_map(|&f| value(f))
            .map(|r| r.gain)
            .sum();
        candidates.push((
            t.information_weight as f32 * gain + change,
            Ask {
                checklist: (fields.len() > 1).then_some(li),
                fields,
                change,
                red_flag: false,
            },
        ));
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.fields.cmp(&b.1.fields)));
    let mut candidates = candidates.into_iter().map(|(_, a)| a);
    // Remote red flags after the best few questions: a runner who cannot answer those still
    // meets the screen before the questions run out.
    for ask in candidates.by_ref().take(t.remote_red_flags_after) {
        if ask.fields.iter().all(|&f| !used[f as usize]) {
            place(ask, &mut used, &mut out);
        }
    }
    flag_asks(false, &mut used, &mut out);
    for ask in candidates.take(t.max_questions) {
        if ask.fields.iter().all(|&f| !used[f as usize]) {
            place(ask, &mut used, &mut out);
        }
    }
    out
}

/// The answer kind of a field (for the question's options).
pub(crate) fn answer_kind(kb: &KnowledgeBase, field: usize) -> AnswerKind {
    kb.fields[field].answer
}

#[cfg(test)]
#[path = "engine_reference.rs"]
mod reference;

#[cfg(test)]
mod tests {
    use super::*;

    /// `exp_neg` as first written (floor by a saturating `as i32`, which kept the loop scalar).
    fn exp_neg_by_int(x: f32) -> f32 {
        let t = (x * std::f32::consts::LOG2_E).max(-126.0);
        let n = t as i32;
        let n = n - i32::from(n as f32 > t);
        let f = t - n as f32;
        let poly = 1.0
            + f * (std::f32::consts::LN_2
                + f * (0.240_226_5 + f * (0.055_504_11 + f * (0.009_618_13 + f * 0.001_333_55))));
        f32::from_bits(((n + 127) as u32) << 23) * poly
    }

    /// The largest relative error of `exp` on [-`to`, 0] against f64's, every float there taken
    /// 1 in 61.
    fn worst_exp_error(exp: fn(f32) -> f32, to: f32) -> f64 {
        let mut worst = 0f64;
        for bits in (0u32..=to.to_bits()).step_by(61) {
            let x = -f32::from_bits(bits);
            let exact = f64::from(x).exp();
            worst = worst.max(((f64::from(exp(x)) - exact) / exact).abs());
        }
        worst
    }

    /// [`EXP_NEG_ERROR`] bounds exp_neg's relative error on [-64, 0]: every float there taken
    /// 1 in 61 (some 18 million), against f64's `exp`.
    #[test]
    fn exp_neg_error_is_bounded() {
        let worst = worst_exp_error(exp_neg, 64.0);
        assert!(worst < f64::from(EXP_NEG_ERROR), "{worst}");
        assert!(worst > 1e-5, "{worst}: the bound is far from the error");
    }

    /// [`EXP_ACC_ERROR`] bounds exp_acc's relative error on [-87, 0]: every float there taken 1
    /// in 61, against f64's `exp`.
    #[test]
    fn exp_acc_error_is_bounded() {
        let worst = worst_exp_error(exp_acc, 87.0);
        assert!(worst < f64::from(EXP_ACC_ERROR), "{worst}");
    }

    /// ln_approx's error is under `4e-7 |ln x| + 1e-8` from 2^-60 to 64: every float there
    /// taken 1 in 61, against f64's `ln`.
    #[test]
    fn ln_approx_error_is_bounded() {
        let mut worst = 0f64;
        for bits in (8.673_617e-19f32.to_bits()..=64f32.to_bits()).step_by(61 * 4) {
            let mut x = [0f32; 4];
            for (i, x) in x.iter_mut().enumerate() {
                *x = f32::from_bits(bits + 61 * i as u32);
            }
            for (x, y) in x.iter().zip(ln_approx(x)) {
                let exact = f64::from(*x).ln();
                worst = worst.max((f64::from(y) - exact).abs() / (4e-7 * exact.abs() + 1e-8));
            }
        }
        assert!(worst < 1.0, "{worst}");
    }

    /// The float-only floor gives the same bits as the integer one for every float from -200 to
    /// 0 taken 1 in 64 (some 16 million, whole numbers and both sides of them included), so the
    /// posteriors, entropies and the questions chosen from them cannot change.
    #[test]
    fn exp_neg_is_the_same_to_the_bit() {
        let mut checked = 0u64;
        for bits in (0u32..=200f32.to_bits()).step_by(64) {
            let x = -f32::from_bits(bits);
            assert_eq!(exp_neg(x).to_bits(), exp_neg_by_int(x).to_bits(), "x = {x}");
            checked += 1;
        }
        for k in 0..=200 * 64 {
            let x = -(k as f32) / 64.0;
            for x in [
                x,
                f32::from_bits(x.to_bits() + 1),
                f32::from_bits(x.to_bits().saturating_sub(1)),
            ] {
                assert_eq!(exp_neg(x).to_bits(), exp_neg_by_int(x).to_bits(), "x = {x}");
            }
        }
        assert!(checked > 10_000_000, "{checked}");
        assert_eq!(exp_neg(0.0), 1.0);
        assert_eq!(exp_neg(-1e30), exp_neg_by_int(-1e30));
    }
}
