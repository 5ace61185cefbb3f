//! The check-in: body map and the runner's own words, the red-flag screen, then the engine's
//! questions one at a time, each skippable. The intake so far travels in a hidden field and is
//! parsed and validated again at every step, so nothing on the server holds a half-done check-in.

use axum::Extension;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde_json::Value;

use crate::AppState;
use crate::backend::QuestionView;
use crate::bodymap::{body_map, parse_spot, sides_of};
use crate::error::AppError;
use crate::fields::{self, Kind};
use crate::form::FormData;
use crate::layout::{csrf_field, field_error, page, scale};
use crate::security::{CSRF_FIELD, Csrf, check_csrf};
use runsore_model::paths;

/// The longest story accepted, in characters.
const STORY_MAX: usize = 4000;
/// After this many questions the result is shown whatever the engine would still ask.
const MAX_QUESTIONS: usize = 20;

/// `GET /checkin`: the body map (regions preselected from the query, for the no-JS map links).
pub async fn start(
    Extension(csrf): Extension<Csrf>,
    Query(query): Query<Vec<(String, String)>>,
) -> Html<String> {
    let selected: Vec<String> = query
        .iter()
        .filter(|(k, v)| k == paths::WHERE && fields::is_region(v))
        .map(|(_, v)| v.clone())
        .take(fields::regions().len())
        .collect();
    let spots: Vec<String> = query
        .iter()
        .filter(|(k, v)| k == "spot" && parse_spot(v).is_some())
        .map(|(_, v)| v.clone())
        .take(32)
        .collect();
    Html(start_page(&csrf, &spots, &selected, "", None).into_string())
}

fn start_page(
    csrf: &Csrf,
    spots: &[String],
    selected: &[String],
    story: &str,
    error: Option<(&str, &str)>,
) -> Markup {
    let error_for = |f: &str| error.filter(|(field, _)| *field == f).map(|(_, m)| m);
    let body = html! {
        h1 { "Where does it hurt?" }
        p.lead { "Pick the places on the map, then tell us in your own words if you like. Next come a few safety questions, then the questions that matter most for you. You can skip any of them." }
        form method="post" action="/checkin" id="checkin-form" {
            (csrf_field(csrf))
            (body_map(spots, selected))
            (field_error(paths::WHERE, error_for(paths::WHERE)))
            label for="story" { "In your own words (optional)" }
            textarea id="story" name="story" rows="4" maxlength=(STORY_MAX)
                placeholder="e.g. Ran my first 18 km yesterday, today both glutes are stiff and sore on the stairs"
                aria-describedby=[error_for("story").map(|_| "story-error")] { (story) }
            (field_error("story", error_for("story")))
            div.actions { button.primary type="submit" { "Next" } }
        }
    };
    page("Check in", "checkin", body)
}

/// `POST /checkin`: reads the map and the story, then shows the red-flag screen.
pub async fn begin(
    State(state): State<AppState>,
    Extension(csrf): Extension<Csrf>,
    form: FormData,
) -> Result<Response, AppError> {
    check_csrf(&csrf, form.get(CSRF_FIELD))?;
    let mut selected: Vec<String> = form
        .all(paths::WHERE)
        .into_iter()
        .map(str::to_owned)
        .collect();
    let spots: Vec<String> = form.all("spot").into_iter().map(str::to_owned).collect();
    let story = form.get("story").unwrap_or("");
    let bad_region = selected.iter().find(|r| !fields::is_region(r)).cloned();
    let bad_spot = spots.iter().find(|s| parse_spot(s).is_none()).cloned();
    // A spot on the map is its region too.
    for spot in &spots {
        if let Some((region, _)) = parse_spot(spot)
            && !selected.iter().any(|r| r == region)
        {
            selected.push(region.to_string());
        }
    }
    let error = if let Some(s) = bad_spot {
        Some((paths::WHERE, format!("`{s}` is not a place on the map")))
    } else if let Some(r) = bad_region {
        Some((paths::WHERE, format!("`{r}` is not a place on the map")))
    } else if story.chars().count() > STORY_MAX {
        Some(("story", format!("keep it under {STORY_MAX} characters")))
    } else if selected.is_empty() && story.is_empty() {
        Some((
            paths::WHERE,
            "choose at least one place on the map, or describe it in your own words".into(),
        ))
    } else {
        None
    };
    if let Some((field, message)) = error {
        let html = start_page(&csrf, &spots, &selected, story, Some((field, &message)));
        return Ok((
            axum::http::StatusCode::BAD_REQUEST,
            Html(html.into_string()),
        )
            .into_response());
    }
    let understood = if story.is_empty() {
        None
    } else {
        let story = story.to_string();
        Some(state.blocking(move |b| Ok(b.read_story(&story))).await?)
    };
    let mut intake = match &understood {
        Some(i) => serde_json::to_value(i).map_err(|e| AppError::Internal(e.to_string()))?,
        None => Value::Object(Default::default()),
    };
    if !selected.is_empty() {
        let mut regions: Vec<String> = fields::get(&intake, paths::WHERE)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        for r in &selected {
            if !regions.contains(r) {
                regions.push(r.clone());
            }
        }
        fields::set(&mut intake, paths::WHERE, Value::from(regions));
    }
    // One buttock tapped is one side; the runner's own words about the side win.
    if let Some(side) = sides_of(&spots)
        && fields::get(&intake, paths::SIDES).is_none()
    {
        fields::set(&mut intake, paths::SIDES, Value::from(side));
    }
    let understood_list = understood.map(|_| describe(&intake)).unwrap_or_default();
    Ok(Html(flags_page(&csrf, &intake, &understood_list).into_string()).into_response())
}

/// Lists the answers in an intake in plain words, for "from your words we understood".
fn describe(intake: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut walk = |prefix: &str, map: &serde_json::Map<String, Value>| {
        for (k, v) in map {
            if v.is_object() {
                continue;
            }
            let field = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            out.push(format!(
                "{}: {}",
                field.replace(['_', '.'], " "),
                answer_words(&field, v)
            ));
        }
    };
    if let Some(map) = intake.as_object() {
        walk("", map);
        for sub in ["run", "training"] {
            if let Some(m) = map.get(sub).and_then(Value::as_object) {
                walk(sub, m);
            }
        }
    }
    out
}

/// An answer in words, using the choices' labels where the field has them.
fn answer_words(field: &str, v: &Value) -> String {
    let choices = match fields::kind(field) {
        Some(Kind::One(c)) | Some(Kind::Many(c)) => c,
        _ => &[],
    };
    let one = |v: &Value| -> String {
        match v {
            Value::Bool(true) => "yes".into(),
            Value::Bool(false) => "no".into(),
            Value::String(s) => choices
                .iter()
                .find(|c| c.id == s)
                .map(|c| c.label.to_lowercase())
                .unwrap_or_else(|| s.replace('_', " ")),
            other => other.to_string(),
        }
    };
    match v {
        Value::Array(items) => items.iter().map(one).collect::<Vec<_>>().join(", "),
        other => one(other),
    }
}

fn hidden_state(csrf: &Csrf, intake: &Value, skipped: &[String]) -> Markup {
    html! {
        (csrf_field(csrf))
        input type="hidden" name="intake" value=(intake.to_string());
        input type="hidden" name="skipped" value=(skipped.join(","));
    }
}

/// The knowledge base's safety checklist for the runner the intake describes (an item for the
/// other sex or another age left out).
fn screen_for(intake: &Value) -> Vec<runsore_app::SafetySign> {
    let sex = fields::get(intake, paths::SEX).and_then(Value::as_str);
    let age = fields::get(intake, paths::AGE)
        .and_then(Value::as_u64)
        .and_then(|a| u8::try_from(a).ok());
    runsore_app::safety_screen(sex, age)
}

/// The danger-sign checkboxes: asked at the first screen and again at every follow-up.
pub(crate) fn danger_signs(intake: &Value) -> Markup {
    html! {
    fieldset.flags {
        legend { "Danger signs" }
        @for sign in screen_for(intake) {
            @let field = sign.field;
            label.check for=(format!("flag-{field}")) {
                // A sign the runner's own words already state is ticked: leaving the
                // box as it is keeps it, so the screen can never silently undo it.
                input type="checkbox" name="flag" value=(field) id=(format!("flag-{field}"))
                    checked[fields::get(intake, field) == Some(&Value::Bool(true))];
                " " (sign.words)
            }
        }
    }
    }
}

/// Sets every danger sign from the ticked boxes: the runner has read the whole list, so an
/// unticked sign is a real "no", not an unknown.
pub(crate) fn apply_danger_signs(intake: &mut Value, ticked: &[&str]) -> Result<(), AppError> {
    let screen = screen_for(intake);
    if let Some(bad) = ticked
        .iter()
        .find(|t| !screen.iter().any(|s| s.field == **t))
    {
        return Err(AppError::field(
            "flag",
            format!("`{bad}` is not one of the signs"),
        ));
    }
    for sign in screen {
        fields::set(
            intake,
            sign.field,
            Value::Bool(ticked.contains(&sign.field)),
        );
    }
    Ok(())
}

fn flags_page(csrf: &Csrf, intake: &Value, understood: &[String]) -> Markup {
    let body = html! {
        @if !understood.is_empty() {
            section.understood {
                h2 { "From your words we understood" }
                ul { @for line in understood { li { (line) } } }
                p.small { "If something is wrong, the next questions let you correct it, or " a href="/checkin" { "start again" } "." }
            }
        }
        h1 { "First, any of these?" }
        p.lead { "These signs need a clinician quickly, whatever else is going on. Tick any that apply now." }
        form method="post" action="/checkin/flags" id="flags-form" {
            (hidden_state(csrf, intake, &[]))
            (danger_signs(intake))
            div.actions {
                button.primary type="submit" { "Continue" }
            }
        }
    };
    page("Safety questions", "checkin", body)
}

/// Reads and validates the intake carried by a form.
fn carried_intake(state: &AppState, form: &FormData) -> Result<Value, AppError> {
    let raw = form.get("intake").unwrap_or("{}");
    let intake = state
        .backend()
        .parse_intake(raw)
        .map_err(|(field, message)| AppError::BadInput { field, message })?;
    serde_json::to_value(intake).map_err(|e| AppError::Internal(e.to_string()))
}

fn carried_skipped(form: &FormData) -> Vec<String> {
    form.get("skipped")
        .unwrap_or("")
        .split(',')
        .filter(|f| fields::kind(f).is_some())
        .map(str::to_owned)
        .collect()
}

/// `POST /checkin/flags`: records the screen's answers, then asks or finishes.
pub async fn flags(
    State(state): State<AppState>,
    Extension(csrf): Extension<Csrf>,
    form: FormData,
) -> Result<Response, AppError> {
    check_csrf(&csrf, form.get(CSRF_FIELD))?;
    let mut intake = carried_intake(&state, &form)?;
    apply_danger_signs(&mut intake, &form.all("flag"))?;
    next_step(&state, &csrf, intake, Vec::new(), 0).await
}

/// `POST /checkin/answer`: answers or skips the current question, or finishes early.
pub async fn answer(
    State(state): State<AppState>,
    Extension(csrf): Extension<Csrf>,
    form: FormData,
) -> Result<Response, AppError> {
    check_csrf(&csrf, form.get(CSRF_FIELD))?;
    let mut intake = carried_intake(&state, &form)?;
    let mut skipped = carried_skipped(&form);
    let asked: usize = form.get("asked").and_then(|n| n.parse().ok()).unwrap_or(0);
    let field = form.get("field").unwrap_or("").to_string();
    match form.get("action").unwrap_or("answer") {
        "finish" => return finish_with(&state, intake).await,
        "continue" => return next_step(&state, &csrf, intake, skipped, 0).await,
        "skip" => {
            if fields::kind(&field).is_some() && !skipped.contains(&field) {
                skipped.push(field);
            }
        }
        _ => {
            let values = form.all("value");
            match fields::parse_answer(&field, &values) {
                Ok(v) => {
                    let mut candidate = intake.clone();
                    fields::set(&mut candidate, &field, v);
                    match state.backend().parse_intake(&candidate.to_string()) {
                        Ok(_) => intake = candidate,
                        Err((_, message)) => {
                            return question_again(
                                &state, &csrf, intake, skipped, asked, &field, &message,
                            )
                            .await;
                        }
                    }
                }
                Err(message) => {
                    return question_again(&state, &csrf, intake, skipped, asked, &field, &message)
                        .await;
                }
            }
        }
    }
    next_step(&state, &csrf, intake, skipped, asked + 1).await
}

/// `POST /checkin/finish`: shows the result with the answers so far.
pub async fn finish(
    State(state): State<AppState>,
    Extension(csrf): Extension<Csrf>,
    form: FormData,
) -> Result<Response, AppError> {
    check_csrf(&csrf, form.get(CSRF_FIELD))?;
    let intake = carried_intake(&state, &form)?;
    finish_with(&state, intake).await
}

fn to_intake(state: &AppState, intake: &Value) -> Result<runsore_model::Intake, AppError> {
    state
        .backend()
        .parse_intake(&intake.to_string())
        .map_err(|(field, message)| AppError::BadInput { field, message })
}

async fn finish_with(state: &AppState, intake: Value) -> Result<Response, AppError> {
    let intake = to_intake(state, &intake)?;
    let (id, _) = state.blocking(move |b| b.check_and_save(intake)).await?;
    Ok(Redirect::to(&format!("/history/{id}")).into_response())
}

async fn next_step(
    state: &AppState,
    csrf: &Csrf,
    intake: Value,
    skipped: Vec<String>,
    asked: usize,
) -> Result<Response, AppError> {
    let parsed = to_intake(state, &intake)?;
    let view = state.blocking(move |b| b.assess(parsed)).await?;
    // Red flags win: once the engine says emergency, no further question delays the answer.
    if view.triage == crate::backend::Level::Emergency || asked >= MAX_QUESTIONS {
        return finish_with(state, intake).await;
    }
    let eligible: Vec<&QuestionView> = view
        .questions
        .iter()
        .filter(|q| {
            !skipped.contains(&q.field)
                && fields::kind(&q.field).is_some()
                && fields::get(&intake, &q.field).is_none()
        })
        .collect();
    // "Question 4 of about 7": the engine's list of questions still worth asking, as it stands;
    // an answer can shorten or lengthen it, hence "about".
    let total = (asked + eligible.len()).min(MAX_QUESTIONS);
    match eligible.first() {
        None => finish_with(state, intake).await,
        Some(q) => {
            let html = question_page(csrf, &intake, &skipped, asked, total, q, None);
            Ok(Html(html.into_string()).into_response())
        }
    }
}

async fn question_again(
    state: &AppState,
    csrf: &Csrf,
    intake: Value,
    skipped: Vec<String>,
    asked: usize,
    field: &str,
    message: &str,
) -> Result<Response, AppError> {
    if fields::kind(field).is_none() {
        return Err(AppError::field(
            "field",
            format!("unknown question `{field}`"),
        ));
    }
    let parsed = to_intake(state, &intake)?;
    let view = state.blocking(move |b| b.assess(parsed)).await?;
    let question = view
        .questions
        .iter()
        .find(|q| q.field == field)
        .cloned()
        .unwrap_or_else(|| QuestionView {
            field: field.to_string(),
            text: field.replace(['_', '.'], " "),
            red_flag: false,
        });
    let remaining = view
        .questions
        .iter()
        .filter(|q| !skipped.contains(&q.field) && fields::kind(&q.field).is_some())
        .count()
        .max(1);
    let total = (asked + remaining).min(MAX_QUESTIONS);
    let html = question_page(
        csrf,
        &intake,
        &skipped,
        asked,
        total,
        &question,
        Some(message),
    );
    Ok((
        axum::http::StatusCode::BAD_REQUEST,
        Html(html.into_string()),
    )
        .into_response())
}

fn question_page(
    csrf: &Csrf,
    intake: &Value,
    skipped: &[String],
    asked: usize,
    total: usize,
    question: &QuestionView,
    error: Option<&str>,
) -> Markup {
    let (field, text) = (question.field.as_str(), question.text.as_str());
    let kind = fields::kind(field).unwrap_or(Kind::Bool);
    let described = error.map(|_| "value-error");
    let body = html! {
        p.progress {
            "Question " (asked + 1)
            @if total > asked + 1 { " of about " (total) }
            @if question.red_flag { " · " span.safety { "a safety question" } }
        }
        form method="post" action="/checkin/answer" id="question-form" {
            (hidden_state(csrf, intake, skipped))
            input type="hidden" name="field" value=(field);
            input type="hidden" name="asked" value=(asked);
            fieldset.question {
                legend { h1 { (text) } }
                @match kind {
                    Kind::Bool => {
                        div.choices {
                            label.choice { input type="radio" name="value" value="yes" aria-describedby=[described]; " Yes" }
                            label.choice { input type="radio" name="value" value="no" aria-describedby=[described]; " No" }
                        }
                    }
                    Kind::One(choices) => {
                        div.choices {
                            @for c in choices {
                                label.choice { input type="radio" name="value" value=(c.id) aria-describedby=[described]; " " (c.label) }
                            }
                        }
                    }
                    Kind::Many(choices) => {
                        div.choices {
                            @for c in choices {
                                label.choice { input type="checkbox" name="value" value=(c.id) aria-describedby=[described]; " " (c.label) }
                            }
                        }
                    }
                    // A short scale (pain 0 to 10) is a row of buttons, easy to tap on a phone.
                    Kind::Int(lo, hi) if hi - lo <= 10 => {
                        (scale("value", lo, hi, described))
                        p.small { (lo) " is none, " (hi) " the worst imaginable." }
                    }
                    Kind::Int(lo, hi) => {
                        label for="value" { "A whole number from " (lo) " to " (hi) }
                        input id="value" type="number" name="value" min=(lo) max=(hi) step="1" inputmode="numeric" aria-describedby=[described];
                    }
                    Kind::Number(bound) => {
                        label for="value" { "Number of " (bound.unit) }
                        input id="value" type="text" name="value" inputmode="decimal" aria-describedby=[described];
                    }
                }
                (field_error("value", error))
            }
            div.actions {
                button.primary type="submit" name="action" value="answer" { "Answer" }
                button type="submit" name="action" value="skip" { "Skip" }
                button.link type="submit" name="action" value="finish" formnovalidate { "See the result now" }
            }
        }
    };
    page("A question", "checkin", body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describe_uses_plain_words() {
        let v = serde_json::json!({"where": ["buttock", "sit_bone"], "onset": "next_day", "run": {"hot": true}});
        assert_eq!(
            describe(&v),
            [
                "onset: about a day after",
                "where: buttock, sit bone",
                "run hot: yes"
            ]
        );
    }
}
