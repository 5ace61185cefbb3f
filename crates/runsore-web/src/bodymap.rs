//! The body map: front and back views of the hips, buttocks and thighs, one shape per region of
//! the intake's `where`.
//!
//! Each shape is an SVG link, so it is focusable and works by click, tap and keyboard without
//! JavaScript (the link reloads the page with that region toggled); the real checkboxes beside the
//! map are what the form submits. With JavaScript, a click toggles the checkbox in place.

use maud::{Markup, PreEscaped, html};

use crate::fields::REGIONS;
use crate::form::encode;

/// A shape: an ellipse `(cx, cy, rx, ry)` or a rounded rectangle `(x, y, w, h)`.
#[derive(Clone, Copy)]
enum Shape {
    Ellipse(f64, f64, f64, f64),
    Rect(f64, f64, f64, f64),
}

/// Where each region sits on the front view (the runner faces us: their right is our left).
const FRONT: &[(&str, Shape)] = &[
    ("front_of_hip", Shape::Ellipse(78.0, 95.0, 15.0, 13.0)),
    ("front_of_hip", Shape::Ellipse(122.0, 95.0, 15.0, 13.0)),
    ("groin", Shape::Ellipse(91.0, 128.0, 7.0, 11.0)),
    ("groin", Shape::Ellipse(109.0, 128.0, 7.0, 11.0)),
    ("side_of_hip", Shape::Ellipse(55.0, 108.0, 7.0, 18.0)),
    ("side_of_hip", Shape::Ellipse(145.0, 108.0, 7.0, 18.0)),
    ("below_knee", Shape::Rect(67.0, 250.0, 26.0, 58.0)),
    ("below_knee", Shape::Rect(107.0, 250.0, 26.0, 58.0)),
];

/// The back view (their left is our left).
const BACK: &[(&str, Shape)] = &[
    ("lower_back", Shape::Rect(76.0, 24.0, 48.0, 32.0)),
    ("buttock", Shape::Ellipse(81.0, 90.0, 18.0, 19.0)),
    ("buttock", Shape::Ellipse(119.0, 90.0, 18.0, 19.0)),
    ("sit_bone", Shape::Ellipse(88.0, 121.0, 8.0, 6.0)),
    ("sit_bone", Shape::Ellipse(112.0, 121.0, 8.0, 6.0)),
    ("side_of_hip", Shape::Ellipse(55.0, 108.0, 7.0, 18.0)),
    ("side_of_hip", Shape::Ellipse(145.0, 108.0, 7.0, 18.0)),
    ("back_of_thigh", Shape::Rect(65.0, 138.0, 31.0, 96.0)),
    ("back_of_thigh", Shape::Rect(104.0, 138.0, 31.0, 96.0)),
    ("below_knee", Shape::Rect(67.0, 250.0, 26.0, 58.0)),
    ("below_knee", Shape::Rect(107.0, 250.0, 26.0, 58.0)),
];

/// Labels beside each view: `(region, label y, leader end x, leader end y)`. The front view's
/// labels sit on its left, the back view's on its right, so they never cover a shape.
const FRONT_LABELS: &[(&str, f64, f64, f64)] = &[
    ("front_of_hip", 86.0, 64.0, 92.0),
    ("side_of_hip", 110.0, 48.0, 110.0),
    ("groin", 134.0, 84.0, 130.0),
    ("below_knee", 280.0, 67.0, 280.0),
];
const BACK_LABELS: &[(&str, f64, f64, f64)] = &[
    ("lower_back", 40.0, 124.0, 40.0),
    ("buttock", 82.0, 136.0, 86.0),
    ("side_of_hip", 106.0, 152.0, 106.0),
    ("sit_bone", 130.0, 119.0, 123.0),
    ("back_of_thigh", 185.0, 135.0, 185.0),
    ("below_knee", 280.0, 133.0, 280.0),
];

const SILHOUETTE: &str = "M70,18 L130,18 C140,50 153,80 153,105 C153,150 142,200 138,242 \
    L135,314 L105,314 L102,242 C101,200 101,160 100,146 C99,160 99,200 98,242 L95,314 L65,314 \
    L62,242 C58,200 47,150 47,105 C47,80 60,50 70,18 Z";

fn label(region: &str) -> &'static str {
    REGIONS
        .iter()
        .find(|(id, _)| *id == region)
        .map(|(_, l)| *l)
        .unwrap_or("")
}

/// The link a shape follows without JavaScript: the same page with the region toggled.
fn toggle_href(selected: &[String], region: &str) -> String {
    let mut next: Vec<&str> = selected
        .iter()
        .map(String::as_str)
        .filter(|r| *r != region)
        .collect();
    if !selected.iter().any(|r| r == region) {
        next.push(region);
    }
    let query: Vec<String> = next
        .iter()
        .map(|r| format!("where={}", encode(r)))
        .collect();
    format!("/checkin?{}#map", query.join("&"))
}

fn view(
    title: &str,
    dx: f64,
    shapes: &[(&str, Shape)],
    labels: &[(&str, f64, f64, f64)],
    selected: &[String],
    sides: (&str, &str),
) -> Markup {
    let left = labels.first().is_some_and(|l| l.2 < 100.0);
    html! {
        g transform=(format!("translate({dx},0)")) {
            @for (region, y, tx, ty) in labels {
                @let (x, anchor, lx) = if left { (-4.0, "end", -2.0) } else { (204.0, "start", 202.0) };
                line.leader x1=(lx) y1=(y - 4.0) x2=(tx) y2=(ty) {}
                text.map-label x=(x) y=(y) text-anchor=(anchor) data-region=(region) { (label(region)) }
            }
            text.view-title x="100" y="12" text-anchor="middle" { (title) }
            path.silhouette d=(SILHOUETTE) {}
            text.side x="30" y="60" text-anchor="middle" { (sides.0) }
            text.side x="170" y="60" text-anchor="middle" { (sides.1) }
            @for (region, shape) in shapes {
                @let on = selected.iter().any(|r| r == region);
                a.region-link href=(toggle_href(selected, region)) data-region=(region)
                    aria-label=(format!("{} ({})", label(region), title.to_lowercase()))
                    role="checkbox" aria-checked=(if on { "true" } else { "false" }) {
                    title { (label(region)) }
                    @match shape {
                        Shape::Ellipse(cx, cy, rx, ry) => {
                            ellipse class=(if on { "region on" } else { "region" }) data-region=(region)
                                cx=(cx) cy=(cy) rx=(rx) ry=(ry) {}
                        }
                        Shape::Rect(x, y, w, h) => {
                            rect class=(if on { "region on" } else { "region" }) data-region=(region)
                                x=(x) y=(y) width=(w) height=(h) rx="12" {}
                        }
                    }
                }
            }
        }
    }
}

/// The map with the given regions marked, followed by its checkboxes.
pub fn body_map(selected: &[String]) -> Markup {
    html! {
        div.bodymap id="map" {
            // One pattern for both renderings, outside them: a pattern inside a hidden SVG
            // would not paint.
            svg.defs width="0" height="0" aria-hidden="true" focusable="false" {
                defs {
                    pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse"
                        patternTransform="rotate(45)" {
                        rect width="6" height="6" fill="#e4572e" {}
                        line x1="0" y1="0" x2="0" y2="6" stroke="#7a1d05" stroke-width="2.5" {}
                    }
                }
            }
            // Wide screens get labels beside the views; phones get the bare views, larger, with
            // the labelled boxes right below.
            svg.map-wide viewBox="0 0 640 322" role="group" aria-label="Body map: choose where it hurts" {
                (view("Front", 120.0, FRONT, FRONT_LABELS, selected, ("R", "L")))
                (view("Back", 320.0, BACK, BACK_LABELS, selected, ("L", "R")))
            }
            svg.map-narrow viewBox="0 0 420 322" role="group" aria-label="Body map: choose where it hurts" {
                (view("Front", 0.0, FRONT, &[], selected, ("R", "L")))
                (view("Back", 220.0, BACK, &[], selected, ("L", "R")))
            }
            fieldset.regions {
                legend { "Where does it hurt? Tap the map or tick the boxes." }
                @for (id, text) in REGIONS {
                    @let on = selected.iter().any(|r| r == id);
                    label.check for=(format!("where-{id}")) {
                        input type="checkbox" name="where" value=(id) id=(format!("where-{id}"))
                            checked[on];
                        (PreEscaped("&nbsp;")) (text)
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_region_is_on_the_map_and_has_a_checkbox() {
        let html = body_map(&["buttock".into()]).into_string();
        for (id, _) in REGIONS {
            assert!(
                html.contains(&format!("data-region=\"{id}\"")),
                "{id} not drawn"
            );
            assert!(
                html.contains(&format!("id=\"where-{id}\"")),
                "{id} has no checkbox"
            );
        }
        assert!(html.contains("class=\"region on\" data-region=\"buttock\""));
    }

    #[test]
    fn links_toggle_the_region() {
        let sel = vec!["buttock".to_string(), "groin".to_string()];
        assert_eq!(toggle_href(&sel, "groin"), "/checkin?where=buttock#map");
        assert_eq!(
            toggle_href(&sel, "sit_bone"),
            "/checkin?where=buttock&where=groin&where=sit_bone#map"
        );
    }
}
