//! The page frame: head, navigation, footer; and small shared pieces (CSRF field, errors).

use maud::{DOCTYPE, Markup, html};

use crate::security::{CSRF_FIELD, Csrf};

const NAV: &[(&str, &str, &str)] = &[
    ("checkin", "/checkin", "Check in"),
    ("runs", "/runs", "Runs"),
    ("training", "/training", "Training"),
    ("history", "/history", "History"),
];

/// The favicon: a runner's red sore spot on a blue disc, as an SVG data URL.
const FAVICON: &str = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' \
    viewBox='0 0 32 32'%3E%3Ccircle cx='16' cy='16' r='15' fill='%231f5fa8'/%3E%3Ccircle \
    cx='16' cy='17' r='7' fill='%23e4572e'/%3E%3C/svg%3E";

/// A whole page: `current` names the navigation entry to mark.
pub fn page(title: &str, current: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · runsore" }
                link rel="stylesheet" href=(crate::assets::css_url());
                script src=(crate::assets::js_url()) defer {}
                // An inline icon: no request, and the tab is recognisable among others.
                link rel="icon" href=(FAVICON);
            }
            body {
                a.skip href="#main" { "Skip to the content" }
                header.top {
                    a.brand href="/" { "runsore" }
                    nav aria-label="Main" {
                        @for (id, href, label) in NAV {
                            @if *id == current {
                                a href=(href) aria-current="page" { (label) }
                            } @else {
                                a href=(href) { (label) }
                            }
                        }
                    }
                }
                main id="main" { (body) }
                footer {
                    p { "runsore is educational, not a diagnosis. If you are worried, or it is getting worse, see a clinician." }
                    p { a href="/api/openapi.json" { "JSON API" } }
                }
            }
        }
    }
}

/// The hidden CSRF field every form carries.
pub fn csrf_field(csrf: &Csrf) -> Markup {
    html! { input type="hidden" name=(CSRF_FIELD) value=(csrf.0); }
}

/// A field's error message, placed beside the field and linked by `aria-describedby`.
pub fn field_error(id: &str, message: Option<&str>) -> Markup {
    html! {
        @if let Some(m) = message {
            p.field-error id=(format!("{id}-error")) role="alert" { (m) }
        }
    }
}

/// A short whole-number scale as a row of radio buttons, easy to tap on a phone; `checked` is
/// the value given before, when the runner came back to the question.
pub fn scale(
    name: &str,
    lo: i64,
    hi: i64,
    described: Option<&str>,
    checked: Option<&str>,
) -> Markup {
    html! {
        div.scale role="radiogroup" {
            @for n in lo..=hi {
                label.step { input type="radio" name=(name) value=(n) checked[checked == Some(n.to_string().as_str())] aria-describedby=[described]; span { (n) } }
            }
        }
    }
}
