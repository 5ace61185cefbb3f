//! The pages outside the check-in: home, result and history, runs and upload, training.

use axum::Extension;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{Markup, PreEscaped, html};
use runsore_model::paths;

use crate::AppState;
use crate::backend::{
    AssessmentView, BackendError, CheckinView, ConditionView, ImportOutcome, Level, RunPage,
    now_utc,
};
use crate::charts::{course_chart, datetime_label, followup_points, training_charts};
use crate::error::AppError;
use crate::form::FormData;
use crate::layout::{csrf_field, field_error, page, scale};
use crate::security::{CSRF_FIELD, CSRF_HEADER, Csrf, check_csrf};

/// "1 run", "2 runs".
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn internal(e: BackendError) -> AppError {
    e.into()
}

/// `GET /`.
pub async fn home(State(state): State<AppState>) -> Result<Html<String>, AppError> {
    let (runs, checkins) = state
        .blocking(|b| Ok((b.activity_counts()?, b.checkins()?)))
        .await?;
    let last = checkins.first();
    let body = html! {
        section.hero {
            h1 { "Sore hips or glutes from running?" }
            p.lead { "Point at where it hurts, answer a few questions, and see what it most likely is, how serious it is, and what to do, with the sources behind every piece of advice." }
            a.button.primary href="/checkin" { "Start a check-in" }
        }
        section.cards {
            div.card {
                h2 { "Your runs" }
                @let (runs, others, implausible) = runs;
                p {
                    (count(runs, "run", "runs")) " stored"
                    // Rides and the like add load but are not runs; a 0-minute "run" is neither.
                    @if others > 0 { ", and " (count(others, "other activity", "other activities")) }
                    @if implausible > 0 { " (" (count(implausible, "file", "files")) " left out as implausible)" }
                    ". Your watch files tell runsore how long, hard, hot and hilly your recent runs were."
                }
                a href="/runs" { "Upload or see your runs" }
            }
            @if let Some(c) = last {
                div.card {
                    h2 { "Last check-in" }
                    p { (datetime_label(c.at)) ": " (triage_badge(c.assessment.triage)) }
                    // An emergency is not followed up at home on a later day.
                    @if c.assessment.triage == Level::Emergency {
                        a href=(format!("/history/{}", c.id)) { "See it" }
                    } @else {
                        a href=(format!("/history/{}", c.id)) { "See it and record how it is going" }
                    }
                }
            }
        }
        p.disclaimer { "Educational, not a diagnosis. If you are worried, see a clinician." }
    };
    Ok(Html(page("Home", "", body).into_string()))
}

/// The triage level's icon and words, for badges.
fn level_words(level: Level) -> (&'static str, &'static str, &'static str) {
    match level {
        Level::SelfCare => ("self-care", "✓", "Look after it yourself"),
        Level::SeeDoctor => (
            "see-doctor",
            "i",
            "Book a clinician or physiotherapist in the coming days",
        ),
        Level::Urgent => (
            "urgent",
            "!",
            "Urgent: see a clinician within 24 hours and stop running",
        ),
        Level::Emergency => ("emergency", "!!", "Emergency: get emergency care now"),
    }
}

fn triage_badge(level: Level) -> Markup {
    let (class, icon, words) = level_words(level);
    html! { span class=(format!("badge {class}")) { span.icon aria-hidden="true" { (icon) } " " (words) } }
}

fn reasons(items: &[crate::backend::Reason]) -> Markup {
    html! {
        ul.reasons {
            @for r in items {
                li {
                    (r.text)
                    @if r.from_runs { " " span.from-runs title="from your recorded runs" { "⌚ from your runs" } }
                }
            }
        }
    }
}

/// The result of an assessment: triage first, then causes, care, course, help and sources.
pub fn result_body(a: &AssessmentView, checkin: Option<&CheckinView>, csrf: &Csrf) -> Markup {
    let (class, icon, words) = level_words(a.triage);
    // Safety questions unanswered: never lead with "look after it yourself" (intake contract).
    let thin = a.pending_note.is_some() && a.triage == Level::SelfCare;
    // The knowledge base's headline, the same the CLI leads with.
    let (class, icon, words) = if thin {
        (
            "not-enough",
            "?",
            runsore_triage::knowledge().safety_headline.as_str(),
        )
    } else {
        (class, icon, words)
    };
    html! {
        section class=(format!("triage {class}")) role="status" id="triage" data-level=(serde_json::to_value(a.triage).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()) {
            span.triage-icon aria-hidden="true" { (icon) }
            div {
                h1 { (words) }
                @if thin {
                    p { (runsore_triage::knowledge().safety_until) }
                } @else if !a.triage_text.is_empty() { p { (a.triage_text) } }
                @if a.triage == Level::Emergency {
                    // On a phone one tap calls: 112 reaches the local emergency service from any
                    // mobile phone in most countries; 999 and 911 where runners know those.
                    p.call {
                        a.call href="tel:112" { "Call 112" } " "
                        a.call href="tel:999" { "999 (UK)" } " "
                        a.call href="tel:911" { "911 (US, Canada)" }
                    }
                }
            }
        }
        // Not said twice: the headline above already is this note when it is the engine's.
        @if let Some(note) = a.pending_note.as_ref().filter(|n| !(thin && n.as_str() == words)) {
            p.pending role="note" {
                span aria-hidden="true" { "⚠ " } (note)
                @if checkin.is_some() && !a.questions.is_empty() { " " a href="#more" { "Answer them now" } }
            }
        }
        @if !a.red_flags.is_empty() {
            section.red-flags {
                h2 { "Danger signs found" }
                ul { @for f in &a.red_flags { li { (f) } } }
            }
        }
        @if !a.conditions.is_empty() {
            section {
                h2 { "What it most likely is" }
                @if !a.summary.is_empty() { p.summary { (a.summary) } }
                @let (shown, others) = split_conditions(&a.conditions);
                ol.conditions {
                    @for c in shown { (condition_item(c)) }
                }
                @if !others.is_empty() {
                    details.others {
                        summary { (others.len()) " other causes considered, each under 2% (the rest round to 0%)" }
                        ol.conditions { @for c in others { (condition_item(c)) } }
                    }
                }
            }
        }
        @if !a.from_runs.is_empty() {
            section.runs-evidence {
                h2 { "What your runs showed" }
                ul { @for line in &a.from_runs { li { span.from-runs aria-hidden="true" { "⌚" } " " (line) } } }
            }
        }
        @if !a.care_plan.is_empty() {
            section {
                h2 { "What to do" }
                ul.care { @for step in &a.care_plan { li { (step) } } }
                @if !a.avoid.is_empty() {
                    h3 { "What not to do" }
                    ul.avoid { @for step in &a.avoid { li { (step) } } }
                }
            }
        }
        @if let Some(course) = &a.course {
            section id="course" {
                h2 { "How it usually goes" }
                @let (start_pain, now, reports) = match checkin {
                    Some(c) => {
                        // Hours since the run at the check-in: as the runner said, else from the
                        // days since the pain began (its usual onset after the run added), else
                        // the usual peak.
                        let h = c.intake.hours_since_run.unwrap_or_else(|| {
                            c.intake
                                .days_since_onset
                                .map(|d| d * 24.0 + course.onset_hours)
                                .unwrap_or(course.peak_hours.min(24.0))
                        });
                        let now_h = h + now_utc().saturating_sub(c.at) as f64 / 3600.0;
                        let mut pts = vec![(h, c.intake.pain.unwrap_or(5))];
                        pts.extend(followup_points(c.at, h, &c.followups));
                        (c.intake.pain.map(f64::from).unwrap_or(5.0), Some(now_h), pts)
                    }
                    None => (5.0, None, Vec::new()),
                };
                (course_chart(course, start_pain, now, &reports))
            }
        }
        @if !a.get_help.is_empty() {
            section.get-help {
                h2 { "When to get help" }
                ul { @for h in &a.get_help { li { (h) } } }
            }
        }
        // An emergency is not followed up at home on a later day.
        @if let (Some(c), false) = (checkin, a.triage == Level::Emergency) {
            section.followup id="followup" {
                h2 { "How is it now?" }
                p { "Record how it is on a later day: runsore compares it with the usual course and tells you if recovery is off track." }
                @for f in &c.followups {
                    @if let (Some(message), Some(fid)) = (&f.message, f.checkin_id) {
                        p.recovery role="status" {
                            (datetime_label(f.at)) ": " (message) " "
                            a href=(format!("/history/{fid}")) { "the full result" }
                        }
                    }
                }
                form method="post" action=(format!("/history/{}/followup", c.id)) {
                    (csrf_field(csrf))
                    fieldset {
                        legend { "Since the last check, is it" }
                        @for c in trends() {
                            label.check { input type="radio" name=(paths::TREND) value=(c.id) required; " " (c.label) }
                        }
                    }
                    fieldset {
                        legend { "Pain now, 0 (none) to 10 (worst)" }
                        (scale(paths::PAIN, 0, 10, None, None))
                    }
                    (crate::checkin::danger_signs(&serde_json::Value::Object(Default::default())))
                    // The other red-flag questions, asked again as `runsore check --follow-up`
                    // asks them (a leg that no longer bears weight is never carried over).
                    @for q in runsore_app::asked_again() {
                        fieldset.asked-again {
                            legend { (q.question) }
                            label.check { input type="radio" name=(q.field) value="yes"; " Yes" }
                            label.check { input type="radio" name=(q.field) value="no"; " No" }
                        }
                    }
                    button type="submit" { "Save" }
                }
            }
        }
        @if let (Some(c), false) = (checkin, a.questions.is_empty()) {
            section.more id="more" {
                h2 { "Answers that would sharpen this" }
                ul { @for text in distinct_texts(&a.questions, 5) { li { (text) } } }
                form method="post" action="/checkin/answer" {
                    (csrf_field(csrf))
                    input type="hidden" name="intake" value=(serde_json::to_string(&c.intake).unwrap_or_default());
                    input type="hidden" name="skipped" value="";
                    button type="submit" name="action" value="continue" { "Answer them" }
                }
            }
        }
        @if !a.sources.is_empty() {
            section.sources {
                h2 { "Sources" }
                ol {
                    @for s in &a.sources {
                        li {
                            @match &s.url {
                                Some(url) => { a href=(url) rel="noopener noreferrer" target="_blank" { (s.title) } }
                                None => { (s.title) }
                            }
                        }
                    }
                }
            }
        }
        p.disclaimer {
            @if a.disclaimer.is_empty() { "This is educational, not a diagnosis." } @else { (a.disclaimer) }
        }
    }
}

/// The causes worth showing (at least 2%, and never fewer than three) and the rest.
fn split_conditions(all: &[ConditionView]) -> (&[ConditionView], &[ConditionView]) {
    // The likely causes as cards (at least the first); the rest of those above 0.5 % (the
    // engine explains no cause below it) folded away; causes that round to 0 % are not listed.
    let n = all
        .iter()
        .take_while(|c| c.probability >= 0.02)
        .count()
        .max(1)
        .min(all.len());
    let listed = all
        .iter()
        .take_while(|c| c.probability >= runsore_triage::EXPLAINED_MIN_PROBABILITY)
        .count()
        .max(n);
    (&all[..n], &all[n..listed])
}

fn condition_item(c: &ConditionView) -> Markup {
    html! {
        li.condition {
            div.condition-head {
                span.name { (c.name) }
                span.prob { (format!("{:.0}%", c.probability * 100.0)) }
            }
            div.meter role="presentation" {
                svg viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true" {
                    rect.track width="100" height="6" {}
                    rect.fill width=(format!("{:.1}", (c.probability * 100.0).clamp(0.0, 100.0))) height="6" {}
                }
            }
            @if !c.reasons_for.is_empty() || !c.reasons_against.is_empty() {
                details {
                    summary { "Why" }
                    @if !c.reasons_for.is_empty() { h3 { "Points towards it" } (reasons(&c.reasons_for)) }
                    @if !c.reasons_against.is_empty() { h3 { "Points away from it" } (reasons(&c.reasons_against)) }
                }
            }
        }
    }
}

/// `GET /history/{id}`: a stored check-in's result.
pub async fn checkin_result(
    State(state): State<AppState>,
    Extension(csrf): Extension<Csrf>,
    Path(id): Path<String>,
) -> Result<Html<String>, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let c = state.blocking(move |b| b.checkin(id)).await?;
    let body = html! {
        p.meta { "Check-in of " (datetime_label(c.at)) " · " a href="/history" { "all check-ins" } }
        (result_body(&c.assessment, Some(&c), &csrf))
        @if let Some(story) = &c.story {
            section.story id="story" {
                h2 { "In your words" }
                blockquote { (story) }
            }
        }
    };
    Ok(Html(page("Your result", "checkin", body).into_string()))
}

/// The answers of a follow-up as the runner can give them.
/// The answers of `trend`, from the model's field table.
fn trends() -> &'static [runsore_model::Choice] {
    match crate::fields::kind(paths::TREND) {
        Some(crate::fields::Kind::One(choices)) => choices,
        _ => &[],
    }
}

/// `POST /history/{id}/followup`: how it is now (better, same, worse or gone; the pain; the
/// danger signs again), compared with the expected course and saved against this check-in.
pub async fn followup(
    State(state): State<AppState>,
    Extension(csrf): Extension<Csrf>,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, AppError> {
    check_csrf(&csrf, form.get(CSRF_FIELD))?;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let pain = form
        .get(paths::PAIN)
        .and_then(|p| p.parse::<u8>().ok())
        .filter(|p| *p <= 10);
    let trend = form
        .get(paths::TREND)
        .filter(|t| trends().iter().any(|c| c.id == *t));
    let problem = match (trend, pain) {
        (None, _) => Some((
            paths::TREND,
            "say whether it is better, the same, worse or gone",
        )),
        (_, None) => Some((
            paths::PAIN,
            "enter your pain as a whole number from 0 to 10",
        )),
        _ => None,
    };
    if let Some((field, message)) = problem {
        let c = state.blocking(move |b| b.checkin(id)).await?;
        let body = html! {
            (result_body(&c.assessment, Some(&c), &csrf))
            (field_error(field, Some(message)))
        };
        return Ok((
            StatusCode::BAD_REQUEST,
            Html(page("Your result", "checkin", body).into_string()),
        )
            .into_response());
    }
    let mut answers = serde_json::json!({ (paths::TREND): trend, (paths::PAIN): pain });
    crate::checkin::apply_danger_signs(&mut answers, &form.all("flag"))?;
    for q in runsore_app::asked_again() {
        // Not answered stays unknown: the result then says a warning sign is not ruled out.
        match form.get(q.field) {
            Some("yes") => crate::fields::set(&mut answers, q.field, serde_json::Value::Bool(true)),
            Some("no") => crate::fields::set(&mut answers, q.field, serde_json::Value::Bool(false)),
            Some(other) => {
                return Err(AppError::field(
                    q.field,
                    format!("answer yes or no, not {other:?}"),
                ));
            }
            None => {}
        }
    }
    let given = state
        .backend()
        .parse_intake(&answers.to_string())
        .map_err(|(field, message)| AppError::BadInput { field, message })?;
    let done = state.blocking(move |b| b.follow_up(id, &given)).await?;
    // Back to the check-in followed, where the follow-up now shows against the usual course.
    let _ = done;
    Ok(Redirect::to(&format!("/history/{id}#followup")).into_response())
}

/// `GET /history`.
pub async fn history(State(state): State<AppState>) -> Result<Html<String>, AppError> {
    let checkins = state.blocking(|b| b.checkins()).await?;
    let body = html! {
        h1 { "Your check-ins" }
        @if checkins.is_empty() {
            p.empty { "No check-ins yet. " a href="/checkin" { "Start one" } "." }
        } @else {
            ul.history {
                @for c in checkins.iter() {
                    li {
                        a href=(format!("/history/{}", c.id)) {
                            span.when { (datetime_label(c.at)) }
                            " " (triage_badge(c.assessment.triage))
                            @if let Some(top) = c.assessment.conditions.first() {
                                " " span.top { (top.name) " (" (format!("{:.0}%", top.probability * 100.0)) ")" }
                            }
                        }
                        @if let Some(story) = &c.story {
                            p.small.story { "\u{201c}" (snippet(story, 90)) "\u{201d}" }
                        }
                        @if let Some(message) = c.followups.iter().rev().find_map(|f| f.message.as_ref()) { p.small { (message) } }
                    }
                }
            }
        }
    };
    Ok(Html(page("History", "history", body).into_string()))
}

/// The start of a text, cut at a word and marked when cut.
fn snippet(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}\u{2026}")
}

fn fmt_duration(s: f64) -> String {
    let m = (s / 60.0).round() as i64;
    if m >= 60 {
        format!("{}h {:02}m", m / 60, m % 60)
    } else {
        format!("{m} min")
    }
}

/// A pace as "5:42 /km".
fn fmt_pace(s_per_km: f64) -> String {
    let s = s_per_km.round() as i64;
    format!("{}:{:02} /km", s / 60, s % 60)
}

/// `GET /runs/{id}`: one run's figures.
pub async fn run(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Html<String>, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let r = state.blocking(move |b| b.run(id)).await?;
    let dash = || "–".to_string();
    let when = r
        .start_utc
        .map(datetime_label)
        .unwrap_or_else(|| "unknown date".into());
    let rows: Vec<(&str, String)> = vec![
        ("Sport", r.sport.clone()),
        (
            "Distance",
            r.distance_km
                .map(|d| format!("{d:.2} km"))
                .unwrap_or_else(dash),
        ),
        ("Time", r.duration_s.map(fmt_duration).unwrap_or_else(dash)),
        ("Pace", r.pace_s_per_km.map(fmt_pace).unwrap_or_else(dash)),
        (
            "Average heart rate",
            r.avg_hr.map(|h| format!("{h:.0} bpm")).unwrap_or_else(dash),
        ),
        (
            "Highest heart rate",
            r.max_hr.map(|h| format!("{h:.0} bpm")).unwrap_or_else(dash),
        ),
        (
            "Climb",
            r.ascent_m.map(|m| format!("{m:.0} m")).unwrap_or_else(dash),
        ),
        (
            "Descent",
            r.descent_m
                .map(|m| format!("{m:.0} m"))
                .unwrap_or_else(dash),
        ),
        (
            "Temperature",
            r.avg_temp_c
                .map(|t| format!("{t:.0} °C"))
                .unwrap_or_else(dash),
        ),
        ("File", r.source.clone()),
    ];
    let body = html! {
        p.meta { a href="/runs" { "All runs" } " · " a href="/training" { "Training charts" } }
        h1 {
            (r.name.clone().unwrap_or_else(|| {
                let what = if r.sport == "running" { "Run".to_string() } else { capitalised(&r.sport) };
                format!("{what} on {when}")
            }))
        }
        @if r.name.is_some() { p.lead { (when) } }
        @if let Some(why) = &r.implausible {
            p.notice role="note" { "This activity is left out of your training figures: " (why) "." }
        }
        dl.figures {
            @for (k, v) in &rows {
                div { dt { (k) } dd { (v) } }
            }
        }
    };
    Ok(Html(page("Run", "runs", body).into_string()))
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// Runs shown on one page of the list.
const RUNS_PER_PAGE: usize = 50;

/// The page of the runs list asked for (`?page=`, from 1).
#[derive(Debug, Default, serde::Deserialize)]
pub struct RunsQuery {
    page: Option<usize>,
}

async fn runs_page(
    state: &AppState,
    csrf: &Csrf,
    message: Option<Markup>,
    error: Option<&str>,
    page_no: usize,
) -> Result<Markup, AppError> {
    let page_no = page_no.clamp(1, usize::MAX / RUNS_PER_PAGE);
    let offset = (page_no - 1) * RUNS_PER_PAGE;
    // A page kept at the current revision is answered on this worker: the hop to the blocking
    // pool and back cost more than the rest of the request (threads woken on two cores).
    let listing = match state.backend().runs_if_kept(offset, RUNS_PER_PAGE) {
        Some(listing) => listing,
        None => {
            state
                .blocking(move |b| b.runs_kept(offset, RUNS_PER_PAGE))
                .await?
        }
    };
    let table = state
        .inner
        .runs_tables
        .get_or_draw(&listing, |l| runs_table(l, page_no).into_string());
    let limit = state.inner.upload_limit;
    let body = html! {
        h1 { "Your runs" }
        @if let Some(m) = message { div.notice role="status" { (m) } }
        form.upload method="post" action="/runs/upload" enctype="multipart/form-data" id="upload-form" {
            (csrf_field(csrf))
            label for="file" { "Watch files (FIT, GPX, TCX, .gz) or a Strava or Garmin export (.zip), up to " (crate::error::size_words(limit)) }
            input id="file" type="file" name="file" multiple accept=".fit,.gpx,.tcx,.gz,.zip" aria-describedby=[error.map(|_| "file-error")];
            (field_error("file", error))
            progress id="upload-progress" max="100" value="0" hidden {}
            div.actions { button.primary type="submit" { "Upload" } }
        }
        (PreEscaped(&*table))
    };
    Ok(page("Runs", "runs", body))
}

/// The runs of one page of the list, as a table, and the links to the other pages (`page_no`
/// is the page `listing` holds).
fn runs_table(listing: &RunPage, page_no: usize) -> Markup {
    let pages = listing.total.div_ceil(RUNS_PER_PAGE).max(1);
    let runs = &listing.runs;
    html! {
        @if runs.is_empty() {
            p.empty { "No runs yet." }
        } @else {
            p { a href="/training" { "See your training charts" } }
            div.table-wrap {
                table.runs {
                    thead { tr { th { "Date" } th { "Sport" } th.num { "km" } th.num { "Time" } th.num { "Pace" } th.num.opt { "Avg HR" } th.num.opt { "Descent m" } th.opt { "File" } } }
                    tbody {
                        @for r in runs.iter() {
                            // The date is a link; the stylesheet stretches it over the row, so
                            // a tap anywhere on the row opens the run.
                            tr.linked {
                                td { a href=(format!("/runs/{}", r.id)) { (r.start_utc.map(datetime_label).unwrap_or_else(|| "unknown".into())) } }
                                td {
                                    (r.sport)
                                    // Marked so the runner knows why its figures are missing.
                                    @if let Some(why) = &r.implausible {
                                        br;
                                        small.implausible title=(why) { "Implausible: left out of your training figures" }
                                    }
                                }
                                td.num { (r.distance_km.map(|d| format!("{d:.2}")).unwrap_or_else(|| "–".into())) }
                                td.num { (r.duration_s.map(fmt_duration).unwrap_or_else(|| "–".into())) }
                                td.num { (r.pace_s_per_km.map(fmt_pace).unwrap_or_else(|| "–".into())) }
                                td.num.opt { (r.avg_hr.map(|h| format!("{h:.0}")).unwrap_or_else(|| "–".into())) }
                                td.num.opt { (r.descent_m.map(|h| format!("{h:.0}")).unwrap_or_else(|| "–".into())) }
                                td.file.opt { (r.source) }
                            }
                        }
                    }
                }
            }
            @if pages > 1 {
                nav.pager aria-label="Pages of runs" {
                    @if page_no > 1 { a rel="prev" href=(format!("/runs?page={}", page_no - 1)) { "Newer" } " " }
                    span { "page " (page_no) " of " (pages) " (" (listing.total) " runs)" }
                    @if page_no < pages { " " a rel="next" href=(format!("/runs?page={}", page_no + 1)) { "Older" } }
                }
            }
        }
    }
}

/// `GET /runs`.
pub async fn runs(
    State(state): State<AppState>,
    Extension(csrf): Extension<Csrf>,
    Query(query): Query<RunsQuery>,
) -> Result<Html<String>, AppError> {
    let page_no = query.page.unwrap_or(1);
    Ok(Html(
        runs_page(&state, &csrf, None, None, page_no)
            .await?
            .into_string(),
    ))
}

/// One uploaded file.
pub struct Upload {
    /// The name the browser gave.
    pub name: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// Reads a multipart upload: the CSRF field (when `csrf` is given) and every `file` part.
pub async fn read_uploads(
    state: &AppState,
    mut multipart: Multipart,
    csrf: Option<(&Csrf, Option<&str>)>,
) -> Result<Vec<Upload>, AppError> {
    let limit = state.inner.upload_limit;
    let too_large = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::TooLarge { limit }
        } else {
            AppError::bad("the upload could not be read; try again")
        }
    };
    let mut files = Vec::new();
    let mut token: Option<String> = csrf.and_then(|(_, header)| header.map(str::to_owned));
    while let Some(field) = multipart.next_field().await.map_err(too_large)? {
        match field.name() {
            Some(CSRF_FIELD) => token = Some(field.text().await.map_err(too_large)?),
            Some("file") => {
                let name = match field.file_name() {
                    Some(n) => upload_name("file", n)?,
                    None => "upload".into(),
                };
                let bytes = field.bytes().await.map_err(too_large)?;
                if !bytes.is_empty() {
                    files.push(Upload {
                        name,
                        bytes: bytes.to_vec(),
                    });
                }
            }
            _ => {}
        }
    }
    if let Some((expected, _)) = csrf {
        check_csrf(expected, token.as_deref())?;
    }
    if files.is_empty() {
        return Err(AppError::field(
            "file",
            "choose at least one file to upload",
        ));
    }
    Ok(files)
}

/// The longest file name accepted, in bytes (what file systems allow for one name).
const MAX_NAME_BYTES: usize = 255;

/// The last part of an uploaded file's name, checked: it only labels the file in messages, but
/// `..`, a NUL or 300 bytes once reached the file system and answered 500.
pub fn upload_name(field: &str, raw: &str) -> Result<String, AppError> {
    let name = raw.rsplit(['/', '\\']).next().unwrap_or(raw);
    let refuse = |why: &str| Err(AppError::field(field, format!("the file name {why}")));
    if name.len() > MAX_NAME_BYTES {
        return refuse(&format!(
            "is {} bytes long; rename the file to at most {MAX_NAME_BYTES}",
            name.len()
        ));
    }
    if name.chars().any(char::is_control) {
        return refuse("holds control characters; rename the file");
    }
    if name.is_empty() || name == "." || name == ".." {
        return refuse("is empty or a folder; give a file's name such as run.fit");
    }
    Ok(name.to_string())
}

/// Imports every upload on the blocking pool, collecting what each did; a file that cannot be
/// read is reported by name and the others still go in. Decoding is CPU work that once ran on the
/// async workers and made every other request wait seconds.
pub async fn import_all(
    state: &AppState,
    files: Vec<Upload>,
) -> Result<(ImportOutcome, Vec<String>), AppError> {
    let state = state.clone();
    tokio::task::spawn_blocking(move || import_all_now(&state, &files))
        .await
        .map_err(|e| AppError::Internal(format!("the import stopped: {e}")))?
}

fn import_all_now(
    state: &AppState,
    files: &[Upload],
) -> Result<(ImportOutcome, Vec<String>), AppError> {
    let mut total = ImportOutcome::default();
    let mut errors = Vec::new();
    for f in files {
        match state.backend().import(&f.name, &f.bytes) {
            Ok(o) => {
                total.imported += o.imported;
                total.duplicates += o.duplicates;
                total.skipped.extend(o.skipped);
            }
            Err(BackendError::Decode(m)) => errors.push(m),
            Err(e) => return Err(internal(e)),
        }
    }
    Ok((total, errors))
}

/// `POST /runs/upload`: multipart upload from the runs page (the script sends the same form with
/// `Accept: application/json` to show progress).
pub async fn upload_runs(
    State(state): State<AppState>,
    Extension(csrf): Extension<Csrf>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    let wants_json = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"));
    let header_token = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
    let result = match read_uploads(&state, multipart, Some((&csrf, header_token))).await {
        Ok(files) => import_all(&state, files).await,
        Err(e) => Err(e),
    };
    match result {
        Ok((outcome, errors)) if wants_json => {
            let status = if outcome.imported + outcome.duplicates == 0 && !errors.is_empty() {
                StatusCode::BAD_REQUEST
            } else {
                StatusCode::OK
            };
            (
                status,
                axum::Json(serde_json::json!({"outcome": outcome, "errors": errors})),
            )
                .into_response()
        }
        Ok((outcome, errors)) => {
            let failed = outcome.imported + outcome.duplicates == 0 && !errors.is_empty();
            let message = html! {
                p { (count(outcome.imported, "run", "runs")) " imported, " (outcome.duplicates) " already stored." }
                @if !outcome.skipped.is_empty() {
                    details { summary { (count(outcome.skipped.len(), "file", "files")) " skipped" }
                        ul { @for s in &outcome.skipped { li { (s.name) ": " (s.reason) } } } }
                }
            };
            let error = (!errors.is_empty()).then(|| errors.join("; "));
            // When nothing went in, the error beside the file field says it all.
            let message = (!failed).then_some(message);
            match runs_page(&state, &csrf, message, error.as_deref(), 1).await {
                Ok(p) => {
                    let status = if failed {
                        StatusCode::BAD_REQUEST
                    } else {
                        StatusCode::OK
                    };
                    (status, Html(p.into_string())).into_response()
                }
                Err(e) => e.page(),
            }
        }
        Err(e) if wants_json => e.json(),
        Err(e @ AppError::BadInput { .. }) | Err(e @ AppError::TooLarge { .. }) => {
            let status = e.status();
            let text = e.to_string();
            match runs_page(&state, &csrf, None, Some(&text), 1).await {
                Ok(p) => (status, Html(p.into_string())).into_response(),
                Err(e) => e.page(),
            }
        }
        Err(e) => e.page(),
    }
}

/// A soreness report on the chart: (days since the epoch, pain 0 to 10).
type PainPoint = (f64, u8);

/// The weeks the training page offers, and the words for them.
const RANGES: &[(i64, &str)] = &[
    (8, "8 weeks"),
    (16, "16 weeks"),
    (26, "6 months"),
    (52, "a year"),
    (104, "two years"),
];

/// Which weeks the training page shows: `?weeks=` (one of [`RANGES`]) ending on `?end=`
/// (a date, `2026-05-03`).
#[derive(Debug, Default, serde::Deserialize)]
pub struct TrainingQuery {
    weeks: Option<i64>,
    end: Option<String>,
}

/// Days since the epoch of a `YYYY-MM-DD` date.
fn day_of(date: &str) -> Option<i64> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let d = time::Date::parse(date, &format).ok()?;
    Some(i64::from(d.to_julian_day()) - 2_440_588)
}

/// A day since the epoch as `YYYY-MM-DD`.
fn iso_day(day: i64) -> String {
    let j = i32::try_from(day + 2_440_588).unwrap_or(2_440_588);
    let d = time::Date::from_julian_day(j).unwrap_or(time::Date::MIN);
    format!("{}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// `GET /training`.
pub async fn training(
    State(state): State<AppState>,
    Query(query): Query<TrainingQuery>,
) -> Result<Html<axum::body::Bytes>, AppError> {
    let weeks = query
        .weeks
        .filter(|w| RANGES.iter().any(|(n, _)| n == w))
        .unwrap_or(runsore_app::CHART_WEEKS);
    let end = match query.end.as_deref().filter(|e| !e.is_empty()) {
        Some(e) => Some(day_of(e).ok_or_else(|| {
            AppError::field("end", format!("`{e}` is not a date such as 2026-05-03"))
        })?),
        None => None,
    };
    let (t, list) = state.blocking(move |b| b.training_page(end, weeks)).await?;
    if let Some(page) = state.inner.training_pages.get(&t, &list) {
        return Ok(Html(page));
    }
    let checkins: Vec<(f64, u8)> = list
        .iter()
        .flat_map(|c| {
            let mut pts: Vec<(f64, u8)> = c
                .intake
                .pain
                .map(|p| (c.at as f64 / 86_400.0, p))
                .into_iter()
                .collect();
            pts.extend(
                c.followups
                    .iter()
                    .filter_map(|f| Some((f.at as f64 / 86_400.0, f.pain?))),
            );
            pts
        })
        .collect();
    // Check-ins are drawn on the training's own dates; those outside them are only counted.
    let window = t
        .weeks
        .iter()
        .map(|w| w.start_day as f64)
        .reduce(f64::min)
        .zip(t.days.iter().map(|d| d.day as f64).reduce(f64::max));
    let (checkins, outside): (Vec<PainPoint>, Vec<PainPoint>) = match window {
        Some((from, to)) => checkins
            .into_iter()
            .partition(|(d, _)| *d >= from && *d < to + 8.0),
        None => (checkins, Vec::new()),
    };
    let body = html! {
        h1 { "Your training" }
        p.lead { "Weekly distance and load, the acute:chronic ratio, fitness, fatigue and form, and your soreness check-ins on the same dates, so you can see what came before the pain." }
        @if let Some(last) = t.end_day {
            @let first = last - t.weeks_shown * 7 + 1;
            form.range method="get" action="/training" {
                label for="weeks" { "Show" }
                select id="weeks" name="weeks" {
                    @for (n, words) in RANGES {
                        option value=(n) selected[*n == t.weeks_shown] { (words) }
                    }
                }
                label for="end" { "ending" }
                input id="end" type="date" name="end" value=(iso_day(last));
                button type="submit" { "Update" }
            }
            nav.pager aria-label="Earlier and later weeks" {
                @if t.first_run_day.is_some_and(|d| d < first) {
                    a rel="prev" href=(format!("/training?weeks={}&end={}", t.weeks_shown, iso_day(first - 1))) { "← Earlier" }
                }
                span { (crate::charts::day_label_year(first)) " to " (crate::charts::day_label_year(last)) }
                @if t.latest_day.is_some_and(|d| d > last) {
                    a rel="next" href=(format!("/training?weeks={}&end={}", t.weeks_shown, iso_day((last + t.weeks_shown * 7).min(t.latest_day.unwrap_or(last))))) { "Later →" }
                }
            }
        }
        (training_charts(&t, &checkins))
        p.small.load-units {
            "Load is counted in TRIMP units (Banister's training impulse): every minute weighted by how hard your heart was working, so an hour of hard running counts two to three times an easy hour, or more. A run without heart rate is estimated from the effort you gave or from its pace. Rides and other sports add load, not distance."
        }
        @if let Some(day) = t.ends_at_latest_run {
            p.note { "Your latest run was on " (crate::charts::day_label_year(day)) "; the charts show the weeks up to it." }
        }
        @if !outside.is_empty() {
            p.note { (outside.len()) " soreness reports fall outside these weeks; upload the runs from around them to see what came before." }
        }
        @if !t.notes.is_empty() {
            section.notes { h2 { "Notes" } ul { @for n in &t.notes { li { (n) } } } }
        }
        @if !t.notes.iter().any(|n| n.contains("disputed")) {
            p.small { "The acute:chronic ratio is disputed as an injury predictor: read it as a trend, not a verdict." }
        }
    };
    let drawn = axum::body::Bytes::from(page("Training", "training", body).into_string());
    state.inner.training_pages.put(t, list, drawn.clone());
    Ok(Html(drawn))
}

/// The first `n` distinct wordings of `questions`: the safety screen's pages share one.
fn distinct_texts(questions: &[crate::backend::QuestionView], n: usize) -> Vec<&str> {
    let mut texts: Vec<&str> = Vec::new();
    for q in questions {
        if texts.len() == n {
            break;
        }
        if !texts.contains(&q.text.as_str()) {
            texts.push(&q.text);
        }
    }
    texts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::QuestionView;

    #[test]
    fn the_screens_pages_are_one_line_of_the_list() {
        let q = |text: &str| QuestionView {
            field: "fever".into(),
            text: text.into(),
            red_flag: true,
            fields: Vec::new(),
            items: Vec::new(),
        };
        let qs = [
            q("Any of these?"),
            q("Any of these?"),
            q("Pain?"),
            q("Age?"),
        ];
        assert_eq!(distinct_texts(&qs, 5), ["Any of these?", "Pain?", "Age?"]);
        assert_eq!(distinct_texts(&qs, 2), ["Any of these?", "Pain?"]);
    }
}
