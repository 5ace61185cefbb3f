//! The body map: front and back views of the hips, buttocks and thighs, one shape per region of
//! the intake's `where` and per side of the body.
//!
//! Each shape is an SVG link, so it is focusable and works by click, tap and keyboard without
//! JavaScript (the link reloads the page with that spot toggled); the form submits a hidden
//! checkbox per spot (`spot=buttock:left`), so one buttock records one side, and the labelled
//! region checkboxes beside the map for a runner who prefers a list (side unknown). With
//! JavaScript, a click toggles the spot in place. On a phone the two views are cropped to the
//! body and drawn larger, with labels inside the shapes, so that every target is at least 24 by
//! 24 CSS pixels at 390 px wide (WCAG 2.2, 2.5.8).

use maud::{Markup, PreEscaped, html};

use crate::form::encode;
use runsore_model::paths;

/// A shape: an ellipse `(cx, cy, rx, ry)` or a rounded rectangle `(x, y, w, h)`.
#[derive(Clone, Copy)]
enum Shape {
    Ellipse(f64, f64, f64, f64),
    Rect(f64, f64, f64, f64),
}

/// Which side of the runner's body a shape is on; `None` for the middle (lower back).
type Side = Option<&'static str>;

/// Where each region sits on the front view (the runner faces us: their right is our left).
const FRONT: &[(&str, Side, Shape)] = &[
    (
        "front_of_hip",
        Some("right"),
        Shape::Ellipse(78.0, 95.0, 15.0, 13.0),
    ),
    (
        "front_of_hip",
        Some("left"),
        Shape::Ellipse(122.0, 95.0, 15.0, 13.0),
    ),
    (
        "groin",
        Some("right"),
        Shape::Ellipse(91.0, 128.0, 9.0, 12.0),
    ),
    (
        "groin",
        Some("left"),
        Shape::Ellipse(109.0, 128.0, 9.0, 12.0),
    ),
    (
        "side_of_hip",
        Some("right"),
        Shape::Ellipse(55.0, 108.0, 9.0, 18.0),
    ),
    (
        "side_of_hip",
        Some("left"),
        Shape::Ellipse(145.0, 108.0, 9.0, 18.0),
    ),
    (
        "below_knee",
        Some("right"),
        Shape::Rect(67.0, 250.0, 26.0, 58.0),
    ),
    (
        "below_knee",
        Some("left"),
        Shape::Rect(107.0, 250.0, 26.0, 58.0),
    ),
];

/// The back view (their left is our left).
const BACK: &[(&str, Side, Shape)] = &[
    ("lower_back", None, Shape::Rect(76.0, 24.0, 48.0, 32.0)),
    (
        "buttock",
        Some("left"),
        Shape::Ellipse(81.0, 90.0, 18.0, 19.0),
    ),
    (
        "buttock",
        Some("right"),
        Shape::Ellipse(119.0, 90.0, 18.0, 19.0),
    ),
    (
        "sit_bone",
        Some("left"),
        Shape::Ellipse(88.0, 121.0, 9.0, 9.0),
    ),
    (
        "sit_bone",
        Some("right"),
        Shape::Ellipse(112.0, 121.0, 9.0, 9.0),
    ),
    (
        "side_of_hip",
        Some("left"),
        Shape::Ellipse(55.0, 108.0, 9.0, 18.0),
    ),
    (
        "side_of_hip",
        Some("right"),
        Shape::Ellipse(145.0, 108.0, 9.0, 18.0),
    ),
    (
        "back_of_thigh",
        Some("left"),
        Shape::Rect(65.0, 138.0, 31.0, 96.0),
    ),
    (
        "back_of_thigh",
        Some("right"),
        Shape::Rect(104.0, 138.0, 31.0, 96.0),
    ),
    (
        "below_knee",
        Some("left"),
        Shape::Rect(67.0, 250.0, 26.0, 58.0),
    ),
    (
        "below_knee",
        Some("right"),
        Shape::Rect(107.0, 250.0, 26.0, 58.0),
    ),
];

/// Short labels drawn inside the shapes on a phone: `(region, text, x, y, rotated)`, on the
/// shape at our left in each view.
const FRONT_INSIDE: &[(&str, &str, f64, f64, bool)] = &[
    ("front_of_hip", "Front hip", 78.0, 97.0, false),
    ("groin", "Groin", 91.0, 130.0, true),
    ("side_of_hip", "Side", 55.0, 110.0, true),
    ("below_knee", "Below knee", 80.0, 281.0, true),
];
const BACK_INSIDE: &[(&str, &str, f64, f64, bool)] = &[
    ("lower_back", "Lower back", 100.0, 42.0, false),
    ("buttock", "Buttock", 81.0, 92.0, false),
    ("sit_bone", "Sit", 88.0, 123.0, false),
    ("side_of_hip", "Side", 55.0, 110.0, true),
    ("back_of_thigh", "Back of thigh", 80.5, 188.0, true),
    ("below_knee", "Below knee", 80.0, 281.0, true),
];

/// A spot's id: `buttock:left`, or the region alone in the middle of the body.
pub fn spot_id(region: &str, side: Side) -> String {
    match side {
        Some(s) => format!("{region}:{s}"),
        None => region.to_string(),
    }
}

/// Reads a spot id back into its region and side; `None` when it is not one of the map's.
pub fn parse_spot(spot: &str) -> Option<(&'static str, Side)> {
    FRONT
        .iter()
        .chain(BACK.iter())
        .find(|(region, side, _)| spot_id(region, *side) == spot)
        .map(|(region, side, _)| (*region, *side))
}

/// The side of the body the spots say: one side, both, or unknown when no spot has a side.
pub fn sides_of(spots: &[String]) -> Option<&'static str> {
    let sides: Vec<&str> = spots
        .iter()
        .filter_map(|s| parse_spot(s).and_then(|(_, side)| side))
        .collect();
    let left = sides.contains(&"left");
    let right = sides.contains(&"right");
    match (left, right) {
        (true, true) => Some("both"),
        (true, false) => Some("left"),
        (false, true) => Some("right"),
        (false, false) => None,
    }
}

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
    crate::fields::region_label(region)
}

/// The link a shape follows without JavaScript: the same page with the spot toggled and the
/// regions ticked in the list kept. Tapping one side of a region ticked in the list (both sides
/// marked) unmarks that side only.
fn toggle_href(spots: &[String], regions: &[String], spot: &str) -> String {
    let region = parse_spot(spot).map_or(spot, |(r, _)| r);
    let listed_whole = regions.iter().any(|r| r == region)
        && !spots
            .iter()
            .any(|s| parse_spot(s).is_some_and(|(r, _)| r == region));
    let mut next_spots: Vec<String> = spots.iter().filter(|s| *s != spot).cloned().collect();
    let mut next_regions: Vec<&str> = regions.iter().map(String::as_str).collect();
    if listed_whole {
        next_regions.retain(|r| *r != region);
        for (r, side, _) in FRONT.iter().chain(BACK.iter()) {
            let other = spot_id(r, *side);
            if *r == region && other != spot && !next_spots.contains(&other) {
                next_spots.push(other);
            }
        }
    } else if !spots.iter().any(|s| s == spot) {
        next_spots.push(spot.to_string());
    }
    let query: Vec<String> = next_regions
        .iter()
        .map(|r| format!("where={}", encode(r)))
        .chain(next_spots.iter().map(|s| format!("spot={}", encode(s))))
        .collect();
    format!("/checkin?{}#map", query.join("&"))
}

/// Whether a spot is marked: chosen on the map, or its region ticked in the list (side unknown).
fn marked(spots: &[String], regions: &[String], region: &str, side: Side) -> bool {
    spots.iter().any(|s| *s == spot_id(region, side))
        || (regions.iter().any(|r| r == region)
            && !spots
                .iter()
                .any(|s| parse_spot(s).is_some_and(|(r, _)| r == region)))
}

#[allow(clippy::too_many_arguments)] // one call per view and width; a struct would only rename them
fn view(
    title: &str,
    dx: f64,
    shapes: &[(&str, Side, Shape)],
    labels: &[(&str, f64, f64, f64)],
    inside: &[(&str, &str, f64, f64, bool)],
    spots: &[String],
    regions: &[String],
    sides: (&str, &str, f64),
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
            text.side x=(100.0 - sides.2) y="66" text-anchor="middle" { (sides.0) }
            text.side x=(100.0 + sides.2) y="66" text-anchor="middle" { (sides.1) }
            @for (region, side, shape) in shapes {
                @let on = marked(spots, regions, region, *side);
                @let spot = spot_id(region, *side);
                @let side_words = side.map(|s| format!("{s}, ")).unwrap_or_default();
                a.region-link href=(toggle_href(spots, regions, &spot)) data-region=(region) data-spot=(spot)
                    aria-label=(format!("{} ({side_words}{})", label(region), title.to_lowercase()))
                    role="checkbox" aria-checked=(if on { "true" } else { "false" }) {
                    title { (label(region)) }
                    @match shape {
                        Shape::Ellipse(cx, cy, rx, ry) => {
                            ellipse class=(if on { "region on" } else { "region" }) data-region=(region)
                                data-spot=(spot) cx=(cx) cy=(cy) rx=(rx) ry=(ry) {}
                        }
                        Shape::Rect(x, y, w, h) => {
                            rect class=(if on { "region on" } else { "region" }) data-region=(region)
                                data-spot=(spot) x=(x) y=(y) width=(w) height=(h) rx="12" {}
                        }
                    }
                }
            }
            @for (region, text, x, y, rotated) in inside {
                @let transform = if *rotated { format!("rotate(-90 {x} {y})") } else { String::new() };
                text.inside-label x=(x) y=(y) text-anchor="middle" dominant-baseline="middle"
                    transform=[(!transform.is_empty()).then_some(transform)] data-region=(region)
                    aria-hidden="true" { (text) }
            }
        }
    }
}

/// The map with the given spots (`buttock:left`) and list regions marked, followed by the
/// spots' hidden checkboxes and the labelled region checkboxes.
pub fn body_map(spots: &[String], regions: &[String]) -> Markup {
    let all: Vec<(&str, Side)> = {
        let mut v: Vec<(&str, Side)> = Vec::new();
        for (region, side, _) in FRONT.iter().chain(BACK.iter()) {
            if !v.contains(&(*region, *side)) {
                v.push((*region, *side));
            }
        }
        v
    };
    html! {
        // Nineteen shapes are nineteen Tab presses: a keyboard user can go straight to the list.
        a.skip href="#regions" { "Skip the map: choose from a list" }
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
            // Wide screens get labels beside the views; phones get the two views cropped to
            // the body, larger, with short labels inside the shapes.
            svg.map-wide viewBox="0 0 640 322" role="group" aria-label="Body map: choose where it hurts" {
                (view("Front", 120.0, FRONT, FRONT_LABELS, &[], spots, regions, ("R", "L", 70.0)))
                (view("Back", 320.0, BACK, BACK_LABELS, &[], spots, regions, ("L", "R", 70.0)))
            }
            svg.map-narrow viewBox="44 0 230 322" role="group" aria-label="Body map: choose where it hurts" {
                (view("Front", 0.0, FRONT, &[], FRONT_INSIDE, spots, regions, ("R", "L", 40.0)))
                (view("Back", 118.0, BACK, &[], BACK_INSIDE, spots, regions, ("L", "R", 40.0)))
            }
            div.spots hidden {
                @for (region, side) in &all {
                    @let spot = spot_id(region, *side);
                    input.spot type="checkbox" name="spot" value=(spot) data-region=(region)
                        id=(format!("spot-{}", spot.replace(':', "-")))
                        checked[spots.contains(&spot)] tabindex="-1";
                }
            }
            fieldset.regions id="regions" tabindex="-1" {
                legend { "Where does it hurt? Tap the map (each side on its own) or tick the boxes." }
                @for region in crate::fields::regions() {
                    @let (id, text) = (region.id, region.label);
                    @let on = regions.iter().any(|r| r == id)
                        || spots.iter().any(|s| parse_spot(s).is_some_and(|(r, _)| r == id));
                    label.check for=(format!("where-{id}")) {
                        input type="checkbox" name=(paths::WHERE) value=(id) id=(format!("where-{id}"))
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
    fn every_region_has_a_checkbox_and_every_shape_is_a_region() {
        let html = body_map(&[], &["buttock".into()]).into_string();
        // Every region of the intake can be ticked, drawn on the map or not (knee, calf and
        // front of the thigh are boxes only, until the map draws them).
        for region in crate::fields::regions() {
            let id = region.id;
            assert!(
                html.contains(&format!("id=\"where-{id}\"")),
                "{id} has no checkbox"
            );
        }
        for drawn in html.split("data-region=\"").skip(1) {
            let id = drawn.split('"').next().unwrap();
            assert!(
                crate::fields::is_region(id),
                "{id} is drawn but is no region"
            );
        }
        assert!(html.contains("data-region=\"buttock\""));
        assert!(html.contains("class=\"region on\" data-region=\"buttock\""));
    }

    #[test]
    fn links_toggle_the_spot() {
        let sel = vec!["buttock:left".to_string(), "groin:right".to_string()];
        let listed = vec!["lower_back".to_string()];
        assert_eq!(
            toggle_href(&sel, &listed, "groin:right"),
            "/checkin?where=lower_back&spot=buttock%3Aleft#map"
        );
        assert_eq!(
            toggle_href(&sel, &[], "sit_bone:left"),
            "/checkin?spot=buttock%3Aleft&spot=groin%3Aright&spot=sit_bone%3Aleft#map"
        );
        // A region ticked in the list shows both sides; tapping one unmarks that side only.
        assert_eq!(
            toggle_href(&[], &["buttock".into()], "buttock:left"),
            "/checkin?spot=buttock%3Aright#map"
        );
    }

    #[test]
    fn one_buttock_is_one_side_and_the_other_marks_only_itself() {
        let spots = vec!["buttock:left".to_string()];
        assert_eq!(sides_of(&spots), Some("left"));
        assert_eq!(
            sides_of(&["buttock:left".into(), "sit_bone:right".into()]),
            Some("both")
        );
        assert_eq!(sides_of(&["lower_back".into()]), None);
        assert_eq!(parse_spot("buttock:up"), None);
        let html = body_map(&spots, &[]).into_string();
        assert_eq!(
            html.matches("class=\"region on\"").count(),
            2,
            "one per rendering"
        );
        assert!(
            html.contains("class=\"region on\" data-region=\"buttock\" data-spot=\"buttock:left\"")
        );
    }
}
