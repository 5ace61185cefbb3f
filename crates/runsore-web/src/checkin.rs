//! The check-in: body map and the runner's own words, the red-flag screen, then the engine's
//! questions one at a time, each skippable, with a way back at every step.
//!
//! Every form is answered with a redirect to a page read with GET (post/redirect/get): the back
//! button re-reads a step instead of asking to resubmit a form. The check-in so far (a [`Flow`])
//! travels in the page's form and in the address of each step, and is parsed and validated again
//! at every step, so nothing on the server holds a half-done check-in. The flow's key is stored
//! with the check-in it ends in, so the same flow sent again (after the back button, or a double
//! click) shows that check-in instead of storing a second one.

use axum::Extension;
use axum::extract::{Query, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde_json::Value;

use crate::AppState;
use crate::backend::QuestionView;
use crate::bodymap::{body_map, parse_spot, sides_of};
use crate::error::AppError;
use crate::fields::{self, Kind};
use crate::form::{FormData, encode};
use crate::layout::{csrf_field, field_error, page, scale};
use crate::security::{CSRF_FIELD, Csrf, check_csrf};
use runsore_app::dialogue::{self, MAX_QUESTIONS};
use runsore_model::paths;

/// The longest story accepted, in characters.
const STORY_MAX: usize = 4000;
/// The most spots a map can carry (19 on the map; the rest is slack for repeats).
const MAX_SPOTS: usize = 32;
/// The most items a checklist page can carry (the engine's longest list is the 12-sign screen).
const MAX_LIST: usize = 12;
/// The longest words quoted back for a warning sign read from the story.
const WORDS_MAX: usize = 300;

/// A check-in under way: what the next page needs, carried in each step's form and address.
#[derive(Debug, Clone, Default)]
struct Flow {
    /// The flow's key: 32 hex digits, new for every check-in started.
    key: String,
    /// The runner's own words.
    story: String,
    /// The regions ticked on the map.
    regions: Vec<String>,
    /// The spots (region and side) tapped on the map.
    spots: Vec<String>,
    /// Warning signs read from the words, asked back on the safety screen: (field, words).
    mentioned: Vec<(String, String)>,
    /// The intake as the safety screen showed it; `Some` once past the screen.
    before: Option<Value>,
    /// The answers so far.
    intake: Value,
    /// Questions skipped.
    skipped: Vec<String>,
    /// The questions answered (`a:field`) or skipped (`s:field`), in order: "Previous" undoes
    /// the last. A checklist's step names all its fields, joined by `+`.
    trail: Vec<String>,
}

fn new_key() -> String {
    crate::security::random_bytes()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn csv(form: &FormData, name: &str) -> Vec<String> {
    form.get(name)
        .unwrap_or("")
        .split(',')
        .filter(|f| !f.is_empty())
        .map(str::to_owned)
        .collect()
}

impl Flow {
    /// Reads and checks a flow from a form or a query string; an old form without a key gets
    /// a new one.
    fn read(state: &AppState, form: &FormData) -> Result<Flow, AppError> {
        let key = form
            .get("key")
            .filter(|k| k.len() == 32 && k.bytes().all(|b| b.is_ascii_hexdigit()))
            .map(str::to_ascii_lowercase)
            .unwrap_or_else(new_key);
        let story = form.get("story").unwrap_or("").to_string();
        if story.chars().count() > STORY_MAX {
            return Err(AppError::field(
                "story",
                format!("keep it under {STORY_MAX} characters"),
            ));
        }
        let regions: Vec<String> = form
            .all(paths::WHERE)
            .into_iter()
            .filter(|r| fields::is_region(r))
            .take(fields::regions().len())
            .map(str::to_owned)
            .collect();
        let spots: Vec<String> = form
            .all("spot")
            .into_iter()
            .filter(|s| parse_spot(s).is_some())
            .take(MAX_SPOTS)
            .map(str::to_owned)
            .collect();
        let signs = runsore_app::safety_fields();
        let mentioned: Vec<(String, String)> = match form.get("mentioned") {
            None => Vec::new(),
            Some(raw) => serde_json::from_str::<Vec<(String, String)>>(raw)
                .ok()
                .filter(|m| {
                    m.len() <= signs.len() + 8
                        && m.iter().all(|(f, w)| {
                            fields::kind(f) == Some(Kind::Bool) && w.chars().count() <= WORDS_MAX
                        })
                })
                .ok_or_else(|| AppError::field("mentioned", "the signs to confirm are damaged"))?,
        };
        let before = match form.get("before") {
            Some(raw) => Some(parsed_intake(state, raw)?),
            None => None,
        };
        let intake = parsed_intake(state, form.get("intake").unwrap_or("{}"))?;
        let skipped: Vec<String> = csv(form, "skipped")
            .into_iter()
            .filter(|f| fields::kind(f).is_some())
            .collect();
        let trail: Vec<String> = csv(form, "trail")
            .into_iter()
            .filter(|t| {
                t.split_once(':').is_some_and(|(a, f)| {
                    matches!(a, "a" | "s") && f.split('+').all(|f| fields::kind(f).is_some())
                })
            })
            .take(MAX_QUESTIONS + 1)
            .collect();
        Ok(Flow {
            key,
            story,
            regions,
            spots,
            mentioned,
            before,
            intake,
            skipped,
            trail,
        })
    }

    /// The pairs that carry the flow, in form and query order.
    fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = vec![("key", self.key.clone())];
        if !self.story.is_empty() {
            out.push(("story", self.story.clone()));
        }
        out.extend(self.regions.iter().map(|r| (paths::WHERE, r.clone())));
        out.extend(self.spots.iter().map(|s| ("spot", s.clone())));
        if !self.mentioned.is_empty() {
            out.push((
                "mentioned",
                serde_json::to_string(&self.mentioned).unwrap_or_default(),
            ));
        }
        if let Some(b) = &self.before {
            out.push(("before", b.to_string()));
        }
        out.push(("intake", self.intake.to_string()));
        out.push(("skipped", self.skipped.join(",")));
        if !self.trail.is_empty() {
            out.push(("trail", self.trail.join(",")));
        }
        out
    }

    /// The flow as a query string.
    fn query(&self) -> String {
        self.pairs()
            .iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The flow as hidden fields, with the CSRF token.
    fn hidden(&self, csrf: &Csrf) -> Markup {
        html! {
            (csrf_field(csrf))
            @for (k, v) in self.pairs() {
                input type="hidden" name=(k) value=(v);
            }
        }
    }

    /// How many questions were answered or skipped.
    fn asked(&self) -> usize {
        self.trail.len()
    }

    /// The step before this one: the question before, the safety screen, or the map.
    fn previous(&self) -> Option<String> {
        let mut back = self.clone();
        match back.trail.pop() {
            Some(step) => {
                let (how, list) = step.split_once(':')?;
                // The answer given, shown again (a plain question's only).
                let was = fields::get(&back.intake, list)
                    .map(|v| format!("&was={}", encode(&v.to_string())))
                    .unwrap_or_default();
                for field in list.split('+') {
                    if how == "a" {
                        runsore_app::remove_path(&mut back.intake, field);
                        unmark_not_sure(&mut back.intake, field);
                    } else {
                        back.skipped.retain(|f| f != field);
                    }
                }
                Some(format!("/checkin/question?{}{was}", back.query()))
            }
            None => {
                let before = back.before.take()?;
                back.intake = before;
                back.skipped.clear();
                Some(format!("/checkin/flags?{}", back.query()))
            }
        }
    }

    /// The address of the map with this flow's places and words, for "Previous" from the screen.
    fn start_url(&self) -> String {
        let mut q = vec![format!("key={}", self.key)];
        q.extend(self.regions.iter().map(|r| format!("where={}", encode(r))));
        q.extend(self.spots.iter().map(|s| format!("spot={}", encode(s))));
        if !self.story.is_empty() {
            q.push(format!("story={}", encode(&self.story)));
        }
        if let Some(onset) = fields::get(&self.intake, paths::ONSET).and_then(Value::as_str) {
            q.push(format!("{}={}", paths::ONSET, encode(onset)));
        }
        format!("/checkin?{}", q.join("&"))
    }
}

/// The intake's `not_sure` list: the checklist items answered "not sure", which the engine
/// then leaves for other words instead of asking again.
fn not_sure(intake: &Value) -> Vec<&str> {
    intake
        .get(paths::NOT_SURE)
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

fn mark_not_sure(intake: &mut Value, field: &str) {
    if not_sure(intake).contains(&field) {
        return;
    }
    let mut list: Vec<Value> = not_sure(intake).into_iter().map(Value::from).collect();
    list.push(field.into());
    fields::set(intake, paths::NOT_SURE, Value::Array(list));
}

fn unmark_not_sure(intake: &mut Value, field: &str) {
    if let Some(list) = intake
        .get_mut(paths::NOT_SURE)
        .and_then(Value::as_array_mut)
    {
        list.retain(|v| v.as_str() != Some(field));
    }
}

fn parsed_intake(state: &AppState, raw: &str) -> Result<Value, AppError> {
    let intake = state
        .backend()
        .parse_intake(raw)
        .map_err(|(field, message)| AppError::BadInput { field, message })?;
    serde_json::to_value(intake).map_err(|e| AppError::Internal(e.to_string()))
}

/// A redirect to a step read with GET (303: the browser asks with GET whatever the form did).
fn see_other(url: &str) -> Response {
    Redirect::to(url).into_response()
}

fn query_form(query: Option<String>) -> FormData {
    FormData::parse(query.as_deref().unwrap_or(""))
}

/// `GET /checkin`: the body map (regions preselected from the query, for the no-JS map links
/// and for "Previous" from the safety screen, which also brings back the words).
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
        .take(MAX_SPOTS)
        .collect();
    let story: String = query
        .iter()
        .find(|(k, _)| k == "story")
        .map(|(_, v)| v.chars().take(STORY_MAX).collect())
        .unwrap_or_default();
    let key = query
        .iter()
        .find(|(k, v)| k == "key" && v.len() == 32 && v.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(|(_, v)| v.to_ascii_lowercase())
        .unwrap_or_else(new_key);
    let onset = query
        .iter()
        .find(|(k, v)| k == paths::ONSET && fields::parse_answer(paths::ONSET, &[v]).is_ok())
        .map(|(_, v)| v.clone());
    let start = Start {
        key: &key,
        spots: &spots,
        selected: &selected,
        story: &story,
        onset: onset.as_deref(),
    };
    Html(start_page(&csrf, &start, None).into_string())
}

/// What the map page shows again: the places, the words and when it started.
struct Start<'a> {
    key: &'a str,
    spots: &'a [String],
    selected: &'a [String],
    story: &'a str,
    onset: Option<&'a str>,
}

fn start_page(csrf: &Csrf, start: &Start<'_>, error: Option<(&str, &str)>) -> Markup {
    let Start {
        key,
        spots,
        selected,
        story,
        onset,
    } = *start;
    let error_for = |f: &str| error.filter(|(field, _)| *field == f).map(|(_, m)| m);
    // Where and when come first, as `runsore check` asks them (runsore_app::dialogue): the
    // safety screen that follows is the one for this place and this start.
    let onset_meta = runsore_model::field(paths::ONSET);
    let when = onset_meta.map(|m| m.label);
    let choices = onset_meta.map_or(&[][..], |m| m.choices);
    let body = html! {
        h1 { "Where does it hurt?" }
        p.lead { "Pick the places on the map, then tell us in your own words if you like. Next come a few safety questions, then the questions that matter most for you. You can skip any of them." }
        form method="post" action="/checkin" id="checkin-form" {
            (csrf_field(csrf))
            input type="hidden" name="key" value=(key);
            (body_map(spots, selected))
            (field_error(paths::WHERE, error_for(paths::WHERE)))
            label for="story" { "In your own words (optional)" }
            textarea id="story" name="story" rows="4" maxlength=(STORY_MAX)
                placeholder="e.g. Ran my first 18 km yesterday, today both glutes are stiff and sore on the stairs"
                aria-describedby=[error_for("story").map(|_| "story-error")] { (story) }
            (field_error("story", error_for("story")))
            @if let Some(when) = when {
                fieldset.when id="when" {
                    legend { (when) " (optional)" }
                    div.choices {
                        @for c in choices {
                            label.choice { input type="radio" name=(paths::ONSET) value=(c.id) checked[onset == Some(c.id)]; " " (c.label) }
                        }
                    }
                    (field_error(paths::ONSET, error_for(paths::ONSET)))
                }
            }
            div.actions { button.primary type="submit" { "Next" } }
        }
    };
    page("Check in", "checkin", body)
}

/// `POST /checkin`: reads the map and the story, then goes to the red-flag screen.
pub async fn begin(
    State(state): State<AppState>,
    Extension(csrf): Extension<Csrf>,
    form: FormData,
) -> Result<Response, AppError> {
    check_csrf(&csrf, form.get(CSRF_FIELD))?;
    let key = form
        .get("key")
        .filter(|k| k.len() == 32 && k.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(str::to_ascii_lowercase)
        .unwrap_or_else(new_key);
    let mut selected: Vec<String> = form
        .all(paths::WHERE)
        .into_iter()
        .map(str::to_owned)
        .collect();
    let spots: Vec<String> = form.all("spot").into_iter().map(str::to_owned).collect();
    let story = form.get("story").unwrap_or("").to_string();
    let onset = form.get(paths::ONSET).filter(|o| !o.is_empty());
    let onset_value = onset.map(|o| fields::parse_answer(paths::ONSET, &[o]));
    let bad_region = selected.iter().find(|r| !fields::is_region(r)).cloned();
    let bad_spot = spots.iter().find(|s| parse_spot(s).is_none()).cloned();
    let error = if let Some(s) = bad_spot {
        Some((paths::WHERE, format!("`{s}` is not a place on the map")))
    } else if let Some(r) = bad_region {
        Some((paths::WHERE, format!("`{r}` is not a place on the map")))
    } else if spots.len() > MAX_SPOTS {
        Some((paths::WHERE, format!("pick at most {MAX_SPOTS} places")))
    } else if story.chars().count() > STORY_MAX {
        Some(("story", format!("keep it under {STORY_MAX} characters")))
    } else if let Some(Err(message)) = &onset_value {
        Some((paths::ONSET, message.clone()))
    } else if selected.is_empty() && spots.is_empty() && story.is_empty() {
        Some((
            paths::WHERE,
            "choose at least one place on the map, or describe it in your own words".into(),
        ))
    } else {
        None
    };
    if let Some((field, message)) = error {
        let start = Start {
            key: &key,
            spots: &spots,
            selected: &selected,
            story: &story,
            onset: onset.filter(|_| matches!(onset_value, Some(Ok(_)))),
        };
        let html = start_page(&csrf, &start, Some((field, &message)));
        return Ok((StatusCode::BAD_REQUEST, Html(html.into_string())).into_response());
    }
    selected.dedup();
    let regions_ticked = selected.clone();
    // A spot on the map is its region too.
    for spot in &spots {
        if let Some((region, _)) = parse_spot(spot)
            && !selected.iter().any(|r| r == region)
        {
            selected.push(region.to_string());
        }
    }
    let (understood, mentioned) = if story.is_empty() {
        (None, Vec::new())
    } else {
        let text = story.clone();
        let (intake, mentioned) = state
            .blocking(move |b| b.read_story_to_confirm(&text))
            .await?;
        (Some(intake), mentioned)
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
    // The start the runner chose wins over one read from their words.
    if let Some(Ok(value)) = onset_value {
        fields::set(&mut intake, paths::ONSET, value);
    }
    // One buttock tapped is one side; the runner's own words about the side win.
    if let Some(side) = sides_of(&spots)
        && fields::get(&intake, paths::SIDES).is_none()
    {
        fields::set(&mut intake, paths::SIDES, Value::from(side));
    }
    let flow = Flow {
        key,
        story,
        regions: regions_ticked,
        spots,
        mentioned: mentioned
            .into_iter()
            .map(|m| (m.field, m.words.chars().take(WORDS_MAX).collect()))
            .collect(),
        before: None,
        intake,
        skipped: Vec::new(),
        trail: Vec::new(),
    };
    // The whole flow is checked as every later step will read it.
    let flow = Flow::read(&state, &FormData::parse(&flow.query()))?;
    Ok(see_other(&format!("/checkin/flags?{}", flow.query())))
}

/// `GET /checkin/flags`: what was understood from the words, the signs they mention, and the
/// red-flag screen.
pub async fn flags_page_get(
    State(state): State<AppState>,
    Extension(csrf): Extension<Csrf>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let flow = Flow::read(&state, &query_form(query))?;
    let saved = saved_as(&state, &flow).await?;
    let signs = page_signs(&state, &flow).await?;
    Ok(Html(flags_page(&csrf, &flow, &signs, saved).into_string()).into_response())
}

/// The check-in this flow was already saved as, if it was.
async fn saved_as(state: &AppState, flow: &Flow) -> Result<Option<i64>, AppError> {
    let key = flow.key.clone();
    Ok(state.blocking(move |b| b.checkin_of_flow(&key)).await?)
}

/// Said at the top of a step whose check-in was saved already (the runner came back to it).
fn saved_notice(saved: Option<i64>) -> Markup {
    html! {
        @if let Some(id) = saved {
            div.notice role="status" id="already-saved" {
                p {
                    "You have already seen the result of this check-in. "
                    a href=(format!("/history/{id}")) { "See its result" }
                    ", or " a href="/checkin" { "start a new check-in" } " to answer differently."
                }
            }
        }
    }
}

/// The answers in an intake, each as its field and a line in plain words ("Run distance: 18
/// km"), for "from your words we understood".
fn describe(intake: &Value) -> Vec<(String, String)> {
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
            let line = format!(
                "{}: {}",
                runsore_model::field_name(&field),
                runsore_model::answer_words(&field, v)
            );
            out.push((field, line));
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

/// The knowledge base's safety checklist for the runner the intake describes (an item for the
/// other sex or another age left out).
fn screen_for(intake: &Value) -> Vec<runsore_app::SafetySign> {
    let sex = fields::get(intake, paths::SEX).and_then(Value::as_str);
    let age = fields::get(intake, paths::AGE)
        .and_then(Value::as_u64)
        .and_then(|a| u8::try_from(a).ok());
    runsore_app::safety_screen(sex, age)
}

/// The danger-sign checkboxes of the knowledge base's whole screen: asked again at every
/// follow-up.
pub(crate) fn danger_signs(intake: &Value) -> Markup {
    sign_boxes(intake, &whole_screen(intake))
}

/// A sign of a safety page: its field and its words.
type Sign = (String, String);

/// The knowledge base's whole safety screen for the runner the intake describes.
fn whole_screen(intake: &Value) -> Vec<Sign> {
    screen_for(intake)
        .into_iter()
        .map(|s| (s.field.to_string(), s.words.to_string()))
        .collect()
}

/// The check-in's safety page: the engine's own safety checklist for what is known so far (the
/// place and the start), its open items only, as `runsore check` asks it
/// (runsore_app::dialogue); the whole screen when the engine has none to ask. Where the engine
/// asks the screen in pages of 6 (likeliest signs first), this is its first page, and the next
/// comes as a question page, as `runsore check` asks it.
async fn screen_signs(state: &AppState, flow: &Flow) -> Result<Vec<Sign>, AppError> {
    let parsed = to_intake(state, &flow.intake)?;
    let checked = state.blocking(move |b| b.checked(parsed)).await?;
    let progress = dialogue::Progress {
        skipped: &[],
        asked: 0,
        red_flags_only: false,
    };
    let engine = dialogue::open_questions(&checked.assessment, &checked.intake, &progress)
        .find(|q| q.safety)
        .map(|q| {
            q.fields
                .iter()
                .zip(&q.items)
                .map(|(f, i)| (f.to_string(), i.to_string()))
                .collect()
        });
    Ok(engine.unwrap_or_else(|| whole_screen(&flow.intake)))
}

/// The safety page's checkboxes: [`screen_signs`] but the signs the runner's words mention
/// (confirmed one by one above the list).
async fn page_signs(state: &AppState, flow: &Flow) -> Result<Vec<Sign>, AppError> {
    let mut signs = screen_signs(state, flow).await?;
    signs.retain(|(f, _)| !flow.mentioned.iter().any(|(m, _)| m == f));
    Ok(signs)
}

/// The checkboxes of `signs`.
fn sign_boxes(intake: &Value, signs: &[Sign]) -> Markup {
    html! {
    fieldset.flags {
        legend { "Danger signs" }
        @for (field, words) in signs {
            label.check for=(format!("flag-{field}")) {
                // A sign the runner's own words already state is ticked: leaving the
                // box as it is keeps it, so the screen can never silently undo it.
                input type="checkbox" name="flag" value=(field) id=(format!("flag-{field}"))
                    checked[fields::get(intake, field) == Some(&Value::Bool(true))];
                " " (words)
            }
        }
    }
    }
}

/// Sets every danger sign of the whole screen from the ticked boxes (a follow-up's page).
pub(crate) fn apply_danger_signs(intake: &mut Value, ticked: &[&str]) -> Result<(), AppError> {
    let signs = whole_screen(intake);
    apply_signs(intake, ticked, &signs)
}

/// Sets every sign of `signs` from the ticked boxes: the runner has read the whole list, so an
/// unticked sign is a real "no", not an unknown.
fn apply_signs(intake: &mut Value, ticked: &[&str], signs: &[Sign]) -> Result<(), AppError> {
    // A sign of the whole screen that the page did not show (the engine's screen comes in pages,
    // the rest asked next) is still taken when ticked: a sign is never dropped.
    let whole = whole_screen(intake);
    let known = |t: &str| signs.iter().chain(&whole).any(|(f, _)| f == t);
    if let Some(bad) = ticked.iter().find(|t| !known(t)) {
        return Err(AppError::field(
            "flag",
            format!("`{bad}` is not one of the signs"),
        ));
    }
    for (field, _) in signs {
        fields::set(intake, field, Value::Bool(ticked.contains(&field.as_str())));
    }
    for t in ticked {
        fields::set(intake, t, Value::Bool(true));
    }
    Ok(())
}

fn flags_page(csrf: &Csrf, flow: &Flow, signs: &[Sign], saved: Option<i64>) -> Markup {
    let understood = if flow.story.is_empty() {
        Vec::new()
    } else {
        describe(&flow.intake)
    };
    let body = html! {
        (saved_notice(saved))
        h1 { "First, any of these?" }
        form method="post" action="/checkin/flags" id="flags-form" {
            (flow.hidden(csrf))
            @if !understood.is_empty() {
                fieldset.understood {
                    legend { h2 { "From your words we understood" } }
                    p.small { "Untick anything that is wrong: it is left out, and the questions after this page ask about it where it matters." }
                    input type="hidden" name="understood" value="1";
                    @for (field, line) in &understood {
                        label.check for=(format!("keep-{field}")) {
                            input type="checkbox" name="keep" value=(field) id=(format!("keep-{field}")) checked;
                            " " (line)
                        }
                    }
                }
            }
            @if !flow.mentioned.is_empty() {
                fieldset.mentioned id="mentioned" {
                    legend { h2 { "You mentioned these warning signs. Is each one right?" } }
                    p.small { "Nothing is ticked for you: a sign you leave unanswered is asked again later." }
                    @for (field, words) in &flow.mentioned {
                        @let question = runsore_triage::find_question(field)
                            .map_or_else(|| runsore_model::field_name(field), |q| q.question.clone());
                        div.confirm role="radiogroup" aria-labelledby=(format!("confirm-{field}-q")) {
                            p id=(format!("confirm-{field}-q")) { "You wrote \u{201c}" (words) "\u{201d}. " strong { (question) } }
                            div.choices {
                                label.choice { input type="radio" name=(format!("confirm-{field}")) value="yes"; " Yes" }
                                label.choice { input type="radio" name=(format!("confirm-{field}")) value="no"; " No" }
                                label.choice { input type="radio" name=(format!("confirm-{field}")) value="unsure"; " Not sure" }
                            }
                        }
                    }
                }
            }
            p.lead { "These signs need a clinician quickly, whatever else is going on. Tick any that apply now." }
            (sign_boxes(&flow.intake, signs))
            div.actions {
                button.primary type="submit" { "Continue" }
                a.button href=(flow.start_url()) rel="prev" id="previous" { "Previous" }
            }
        }
    };
    page("Safety questions", "checkin", body)
}

/// `POST /checkin/flags`: records the screen's answers (the understood items kept, the signs
/// from the words confirmed), then asks or finishes.
pub async fn flags(
    State(state): State<AppState>,
    Extension(csrf): Extension<Csrf>,
    form: FormData,
) -> Result<Response, AppError> {
    check_csrf(&csrf, form.get(CSRF_FIELD))?;
    let mut flow = Flow::read(&state, &form)?;
    // The signs the page showed: worked out again from the flow it carried.
    let signs = page_signs(&state, &flow).await?;
    flow.before = Some(flow.intake.clone());
    flow.trail.clear();
    flow.skipped.clear();
    let mut intake = flow.intake.clone();
    if form.get("understood").is_some() && !flow.story.is_empty() {
        let keep = form.all("keep");
        for (field, _) in describe(&flow.intake) {
            if !keep.contains(&field.as_str()) {
                runsore_app::remove_path(&mut intake, &field);
            }
        }
    }
    let mentioned: Vec<&str> = flow.mentioned.iter().map(|(f, _)| f.as_str()).collect();
    for field in &mentioned {
        // Not sure, or no answer, stays unknown: the engine asks a red flag it cannot rule out.
        match form.get(&format!("confirm-{field}")) {
            Some("yes") => fields::set(&mut intake, field, Value::Bool(true)),
            Some("no") => fields::set(&mut intake, field, Value::Bool(false)),
            _ => runsore_app::remove_path(&mut intake, field),
        }
    }
    apply_signs(&mut intake, &form.all("flag"), &signs)?;
    flow.intake = parsed_intake(&state, &intake.to_string())?;
    advance(&state, flow).await
}

/// `GET /checkin/question`: the engine's next question for the flow.
pub async fn question_get(
    State(state): State<AppState>,
    Extension(csrf): Extension<Csrf>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let form = query_form(query);
    let flow = Flow::read(&state, &form)?;
    let was = form
        .get("was")
        .and_then(|w| serde_json::from_str::<Value>(w).ok());
    let saved = saved_as(&state, &flow).await?;
    let (next, total) = next_question(&state, &flow).await?;
    let html = match next {
        Some(q) => question_page(&csrf, &flow, total, &q, None, was.as_ref(), saved),
        None => no_more_questions(&csrf, &flow, saved),
    };
    Ok(Html(html.into_string()).into_response())
}

/// `POST /checkin/answer`: answers or skips the current question, or finishes early.
pub async fn answer(
    State(state): State<AppState>,
    Extension(csrf): Extension<Csrf>,
    form: FormData,
) -> Result<Response, AppError> {
    check_csrf(&csrf, form.get(CSRF_FIELD))?;
    let mut flow = Flow::read(&state, &form)?;
    let field = form.get("field").unwrap_or("").to_string();
    if let Some(list) = form.get("list") {
        let list = checklist_fields(list)?;
        match form.get("action").unwrap_or("answer") {
            "finish" => return finish_with(&state, flow).await,
            "skip" => {
                for f in &list {
                    if !flow.skipped.contains(f) {
                        flow.skipped.push(f.clone());
                    }
                }
                flow.trail.push(format!("s:{}", list.join("+")));
            }
            _ => {
                flow.intake = answered_checklist(
                    &state,
                    &flow.intake,
                    &list,
                    &form.all("tick"),
                    &form.all("unsure"),
                )?;
                flow.trail.push(format!("a:{}", list.join("+")));
            }
        }
        return advance(&state, flow).await;
    }
    match form.get("action").unwrap_or("answer") {
        "finish" => return finish_with(&state, flow).await,
        // Going on from a saved result is a new check-in, with its own key.
        "continue" => {
            flow.key = new_key();
            flow.trail.clear();
            return advance(&state, flow).await;
        }
        "skip" => {
            if fields::kind(&field).is_some() && !flow.skipped.contains(&field) {
                flow.skipped.push(field.clone());
                flow.trail.push(format!("s:{field}"));
            }
        }
        _ => {
            let values = form.all("value");
            match fields::parse_answer(&field, &values) {
                Ok(v) => {
                    let mut candidate = flow.intake.clone();
                    fields::set(&mut candidate, &field, v);
                    match state.backend().parse_intake(&candidate.to_string()) {
                        Ok(_) => {
                            flow.intake = candidate;
                            flow.trail.push(format!("a:{field}"));
                        }
                        Err((_, message)) => {
                            return question_again(&state, &csrf, flow, &field, &message).await;
                        }
                    }
                }
                Err(message) => {
                    return question_again(&state, &csrf, flow, &field, &message).await;
                }
            }
        }
    }
    advance(&state, flow).await
}

/// A checklist page's fields (`list`, comma-separated): each a yes/no field of the intake.
fn checklist_fields(list: &str) -> Result<Vec<String>, AppError> {
    let fields: Vec<String> = list
        .split(',')
        .filter(|f| !f.is_empty())
        .map(str::to_owned)
        .collect();
    if fields.is_empty() || fields.len() > MAX_LIST {
        return Err(AppError::field("list", "the checklist's items are damaged"));
    }
    if let Some(bad) = fields.iter().find(|f| fields::kind(f) != Some(Kind::Bool)) {
        return Err(AppError::field(
            "list",
            format!("`{bad}` is not a yes/no question"),
        ));
    }
    Ok(fields)
}

/// A checklist's answers, as the contract reads them: a ticked item is true, an item marked
/// "not sure" goes to the intake's `not_sure` list (left for other words), and every other
/// item is false (the runner has read the whole list).
fn answered_checklist(
    state: &AppState,
    intake: &Value,
    list: &[String],
    ticked: &[&str],
    unsure: &[&str],
) -> Result<Value, AppError> {
    if let Some(bad) = ticked
        .iter()
        .chain(unsure)
        .find(|t| !list.iter().any(|f| f == *t))
    {
        return Err(AppError::field(
            "tick",
            format!("`{bad}` is not one of this checklist's items"),
        ));
    }
    let mut intake = intake.clone();
    for field in list {
        if ticked.contains(&field.as_str()) {
            fields::set(&mut intake, field, Value::Bool(true));
            unmark_not_sure(&mut intake, field);
        } else if unsure.contains(&field.as_str()) {
            runsore_app::remove_path(&mut intake, field);
            mark_not_sure(&mut intake, field);
        } else {
            fields::set(&mut intake, field, Value::Bool(false));
            unmark_not_sure(&mut intake, field);
        }
    }
    parsed_intake(state, &intake.to_string())
}

/// `POST /checkin/finish`: shows the result with the answers so far.
pub async fn finish(
    State(state): State<AppState>,
    Extension(csrf): Extension<Csrf>,
    form: FormData,
) -> Result<Response, AppError> {
    check_csrf(&csrf, form.get(CSRF_FIELD))?;
    let flow = Flow::read(&state, &form)?;
    finish_with(&state, flow).await
}

fn to_intake(state: &AppState, intake: &Value) -> Result<runsore_model::Intake, AppError> {
    state
        .backend()
        .parse_intake(&intake.to_string())
        .map_err(|(field, message)| AppError::BadInput { field, message })
}

/// Saves the flow's check-in (once: the same flow again gives the same check-in) and goes to
/// its result.
async fn finish_with(state: &AppState, flow: Flow) -> Result<Response, AppError> {
    let intake = to_intake(state, &flow.intake)?;
    let origin = runsore_app::Origin {
        story: (!flow.story.is_empty()).then(|| flow.story.clone()),
        flow: Some(flow.key.clone()),
    };
    let (id, _) = state
        .blocking(move |b| b.check_and_save_from(intake, &origin))
        .await?;
    Ok(see_other(&format!("/history/{id}")))
}

/// The flow's next question, by the one rule every front end follows
/// ([`runsore_app::dialogue`]), and about how many there are in all; `None` when the result is
/// due (nothing left worth asking, the most questions asked, or an emergency).
async fn next_question(
    state: &AppState,
    flow: &Flow,
) -> Result<(Option<QuestionView>, usize), AppError> {
    let parsed = to_intake(state, &flow.intake)?;
    let checked = state.blocking(move |b| b.checked(parsed)).await?;
    let asked = flow.asked();
    let progress = dialogue::Progress {
        skipped: &flow.skipped,
        asked,
        red_flags_only: false,
    };
    let next = dialogue::next_question(&checked.assessment, &checked.intake, &progress);
    // "Question 4 of about 7": the engine's list of questions still worth asking, as it stands;
    // an answer can shorten or lengthen it, hence "about".
    let left = dialogue::open_questions(&checked.assessment, &checked.intake, &progress).count();
    let total = (asked + left.max(usize::from(next.is_some()))).min(MAX_QUESTIONS);
    Ok((next.as_ref().map(crate::view::question), total))
}

/// After a step: the next question's page (by redirect), or the result.
async fn advance(state: &AppState, flow: Flow) -> Result<Response, AppError> {
    match next_question(state, &flow).await?.0 {
        Some(_) => Ok(see_other(&format!("/checkin/question?{}", flow.query()))),
        None => finish_with(state, flow).await,
    }
}

async fn question_again(
    state: &AppState,
    csrf: &Csrf,
    flow: Flow,
    field: &str,
    message: &str,
) -> Result<Response, AppError> {
    if fields::kind(field).is_none() {
        return Err(AppError::field(
            "field",
            format!("unknown question `{field}`"),
        ));
    }
    let parsed = to_intake(state, &flow.intake)?;
    let view = state.blocking(move |b| b.assess(parsed)).await?;
    let question = view
        .questions
        .iter()
        .find(|q| q.field == field)
        .cloned()
        .unwrap_or_else(|| QuestionView {
            field: field.to_string(),
            text: runsore_model::field_name(field),
            red_flag: false,
            fields: Vec::new(),
            items: Vec::new(),
        });
    let remaining = view
        .questions
        .iter()
        .filter(|q| !flow.skipped.contains(&q.field) && fields::kind(&q.field).is_some())
        .count()
        .max(1);
    let total = (flow.asked() + remaining).min(MAX_QUESTIONS);
    let html = question_page(csrf, &flow, total, &question, Some(message), None, None);
    Ok((StatusCode::BAD_REQUEST, Html(html.into_string())).into_response())
}

/// Whether `value` is the answer given before (shown ticked after "Previous").
fn was_given(was: Option<&Value>, value: &str) -> bool {
    match was {
        Some(Value::Bool(b)) => value == if *b { "yes" } else { "no" },
        Some(Value::String(s)) => s == value,
        Some(Value::Array(a)) => a.iter().any(|v| v.as_str() == Some(value)),
        Some(Value::Number(n)) => n.to_string() == value,
        _ => false,
    }
}

fn question_page(
    csrf: &Csrf,
    flow: &Flow,
    total: usize,
    question: &QuestionView,
    error: Option<&str>,
    was: Option<&Value>,
    saved: Option<i64>,
) -> Markup {
    let (field, text) = (question.field.as_str(), question.text.as_str());
    let kind = fields::kind(field).unwrap_or(Kind::Bool);
    let described = error.map(|_| "value-error");
    let asked = flow.asked();
    let was_number = match was {
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let body = html! {
        (saved_notice(saved))
        p.progress {
            "Question " (asked + 1)
            @if total > asked + 1 { " of about " (total) }
            @if question.red_flag { " · " span.safety { "a safety question" } }
        }
        form method="post" action="/checkin/answer" id="question-form" {
            (flow.hidden(csrf))
            input type="hidden" name="field" value=(field);
            @if !question.fields.is_empty() {
                (checklist(question))
            } @else {
            fieldset.question {
                legend { h1 { (text) } }
                @match kind {
                    Kind::Bool => {
                        div.choices {
                            label.choice { input type="radio" name="value" value="yes" checked[was_given(was, "yes")] aria-describedby=[described]; " Yes" }
                            label.choice { input type="radio" name="value" value="no" checked[was_given(was, "no")] aria-describedby=[described]; " No" }
                        }
                    }
                    Kind::One(choices) => {
                        div.choices {
                            @for c in choices {
                                label.choice { input type="radio" name="value" value=(c.id) checked[was_given(was, c.id)] aria-describedby=[described]; " " (c.label) }
                            }
                        }
                    }
                    Kind::Many(choices, none) => {
                        div.choices {
                            @for c in choices {
                                label.choice { input type="checkbox" name="value" value=(c.id) checked[was_given(was, c.id)] aria-describedby=[described]; " " (c.label) }
                            }
                            @if let Some(none) = none {
                                label.choice { input type="checkbox" name="value" value=(fields::NONE) checked[matches!(was, Some(Value::Array(a)) if a.is_empty())] aria-describedby=[described]; " " (none) }
                            }
                        }
                    }
                    // A short scale (pain 0 to 10) is a row of buttons, easy to tap on a phone.
                    Kind::Int(lo, hi) if hi - lo <= 10 => {
                        (scale("value", lo, hi, described, was_number.as_deref()))
                        p.small { (lo) " is none, " (hi) " the worst imaginable." }
                    }
                    Kind::Int(lo, hi) => {
                        label for="value" { "A whole number from " (lo) " to " (hi) }
                        input id="value" type="number" name="value" min=(lo) max=(hi) step="1" inputmode="numeric" value=[was_number.as_deref()] aria-describedby=[described];
                    }
                    Kind::Number(bound) => {
                        label for="value" { "Number of " (bound.unit) }
                        input id="value" type="text" name="value" inputmode="decimal" value=[was_number.as_deref()] aria-describedby=[described];
                    }
                }
                (field_error("value", error))
            }
            }
            div.actions {
                button.primary type="submit" name="action" value="answer" { "Answer" }
                button type="submit" name="action" value="skip" { "Skip" }
                @if let Some(url) = flow.previous() {
                    a.button href=(url) rel="prev" id="previous" { "Previous" }
                }
                button.link type="submit" name="action" value="finish" formnovalidate { "See the result now" }
            }
        }
    };
    page("A question", "checkin", body)
}

/// A checklist question: one tick box a yes/no item, each with its own "not sure" (the contract:
/// ticked is yes, unticked is no, "not sure" stays unknown).
fn checklist(question: &QuestionView) -> Markup {
    html! {
        input type="hidden" name="list" value=(question.fields.join(","));
        fieldset.question.checklist {
            legend { h1 { (question.text) } }
            @for (field, item) in question.fields.iter().zip(&question.items) {
                div.check-row {
                    label.check for=(format!("tick-{field}")) {
                        input type="checkbox" name="tick" value=(field) id=(format!("tick-{field}"));
                        " " (item)
                    }
                    label.unsure for=(format!("unsure-{field}")) {
                        input type="checkbox" name="unsure" value=(field) id=(format!("unsure-{field}"));
                        " not sure"
                    }
                }
            }
        }
    }
}

/// A step with nothing left to ask (reached by going back and forth): the result is one click.
fn no_more_questions(csrf: &Csrf, flow: &Flow, saved: Option<i64>) -> Markup {
    let body = html! {
        (saved_notice(saved))
        h1 { "That is all the questions" }
        form method="post" action="/checkin/finish" id="question-form" {
            (flow.hidden(csrf))
            div.actions {
                button.primary type="submit" name="action" value="finish" { "See the result" }
                @if let Some(url) = flow.previous() {
                    a.button href=(url) rel="prev" id="previous" { "Previous" }
                }
            }
        }
    };
    page("The result is ready", "checkin", body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_of_a_unit_is_singular() {
        let v = serde_json::json!({"days_since_onset": 1.0, "run": {"distance_km": 1.0}});
        let lines: Vec<String> = describe(&v).into_iter().map(|(_, l)| l).collect();
        assert!(lines.iter().any(|l| l.ends_with(": 1 day")), "{lines:?}");
        assert!(lines.iter().any(|l| l.ends_with(": 1 km")), "{lines:?}");
        let v = serde_json::json!({"days_since_onset": 3.0});
        assert!(
            describe(&v)[0].1.ends_with(": 3 days"),
            "{:?}",
            describe(&v)
        );
    }

    #[test]
    fn describe_uses_plain_words() {
        let v = serde_json::json!({
            "where": ["buttock", "sit_bone"], "onset": "next_day",
            "run": {"hot": true, "distance_km": 18.0},
            "training": {"weekly_increase_pct": 40.0}
        });
        let lines: Vec<String> = describe(&v).into_iter().map(|(_, l)| l).collect();
        assert_eq!(
            lines,
            [
                "When it started: about a day after",
                "Where it hurts: buttock, sit bone",
                "Run distance: 18 km",
                "Hot or humid: yes",
                "Weekly running increase: 40%",
            ]
        );
    }
}
