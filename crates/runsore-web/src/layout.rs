//! The page frame: head, navigation, footer; and small shared pieces (CSRF field, errors).

use maud::{DOCTYPE, Markup, html};

use crate::security::{CSRF_FIELD, Csrf};

const NAV: &[(&str, &str, &str)] = &[
    ("checkin", "/checkin", "Check in"),
    ("runs", "/runs", "Runs"),
    ("training", "/training", "Training"),
    ("history", "/history", "History"),
];

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
            }
            body {
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
