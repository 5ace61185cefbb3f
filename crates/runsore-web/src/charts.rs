//! Server-side SVG charts: the training panels on one shared time axis, and the expected course
//! of recovery. Series differ by line style and marker as well as colour, so they read in grey.

use std::fmt::Write;

use maud::{Markup, PreEscaped, html};

use crate::backend::{CourseView, FollowUp, TrainingView};

/// Widths of the two renderings: phones get the narrow one, so the text stays readable.
const WIDE: f64 = 720.0;
const NARROW: f64 = 400.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 12.0;
const PANEL_H: f64 = 120.0;
const TOP: f64 = 22.0;
const BOTTOM: f64 = 22.0;

/// At most this many labelled ticks on an axis, whatever the data: the loops that write them are
/// bounded by count, not by the span (a check-in dated at `i64::MIN` once made one run for hours).
const MAX_TICKS: usize = 12;

/// The date of a day since the epoch; far-off days (which bounded input never gives) read as
/// the earliest date rather than wrapping around.
fn date_of(day: i64) -> time::Date {
    day.checked_add(2_440_588)
        .and_then(|j| i32::try_from(j).ok())
        .and_then(|j| time::Date::from_julian_day(j).ok())
        .unwrap_or(time::Date::MIN)
}

/// A day as "3 May".
pub fn day_label(day: i64) -> String {
    let date = date_of(day);
    format!("{} {}", date.day(), &month(date.month()))
}

/// A day as "3 May 2026".
pub fn day_label_year(day: i64) -> String {
    format!("{} {}", day_label(day), date_of(day).year())
}

/// Tick positions from `from` to `to`: the first of `steps` that gives at most `most` ticks, or a
/// rounder, larger step that does; never more than [`MAX_TICKS`] values, never a loop whose
/// length depends on the data.
fn tick_values(from: f64, to: f64, steps: &[f64], most: f64) -> Vec<f64> {
    if !(from.is_finite() && to.is_finite()) || to < from {
        return Vec::new();
    }
    let span = (to - from).max(1.0);
    let step = steps
        .iter()
        .copied()
        .find(|s| span / s <= most)
        .unwrap_or_else(|| nice_max(span / most));
    let first = (from / step).ceil() * step;
    (0..MAX_TICKS)
        .map(|i| first + step * i as f64)
        .take_while(|v| *v <= to + 1e-9)
        .collect()
}

/// A date and time as "3 May 2026 14:05" (UTC).
pub fn datetime_label(secs: i64) -> String {
    match time::OffsetDateTime::from_unix_timestamp(secs) {
        Ok(t) => format!(
            "{} {} {} {:02}:{:02}",
            t.day(),
            month(t.month()),
            t.year(),
            t.hour(),
            t.minute()
        ),
        Err(_) => "unknown date".into(),
    }
}

fn month(m: time::Month) -> String {
    let s = m.to_string();
    s[..3].to_string()
}

/// The shared horizontal scale: days since the epoch to SVG x.
#[derive(Clone, Copy)]
struct Axis {
    from: f64,
    to: f64,
    w: f64,
}

impl Axis {
    fn x(&self, day: f64) -> f64 {
        let span = (self.to - self.from).max(1.0);
        LEFT + (day - self.from) / span * (self.w - LEFT - RIGHT)
    }
    fn band_width(&self, days: f64) -> f64 {
        let span = (self.to - self.from).max(1.0);
        days / span * (self.w - LEFT - RIGHT)
    }
}

fn y_of(v: f64, lo: f64, hi: f64) -> f64 {
    let span = (hi - lo).max(1e-9);
    TOP + (1.0 - (v - lo) / span) * PANEL_H
}

fn nice_max(v: f64) -> f64 {
    if v <= 0.0 {
        return 1.0;
    }
    let mag = 10f64.powf(v.log10().floor());
    for step in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if v <= step * mag {
            return step * mag;
        }
    }
    10.0 * mag
}

/// A round step for about four gridlines up to `max` (1, 2 or 5 times a power of ten), and the
/// top of the axis as a whole number of steps: the labels read 0, 20, 40, 60, never 12 or 38.
fn round_axis(max: f64) -> (f64, f64) {
    let max = if max.is_finite() && max > 0.0 {
        max
    } else {
        1.0
    };
    let rough = max / 4.0;
    let mag = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= rough)
        .unwrap_or(10.0 * mag);
    (step, (max / step - 1e-9).ceil().max(1.0) * step)
}

fn fmt(v: f64) -> String {
    if v.abs() >= 10.0 || v.fract().abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// One panel's frame: title, y gridlines with labels every `step`, and the date ticks at the
/// bottom.
fn frame(
    title: &str,
    axis: Axis,
    (lo, hi, step): (f64, f64, f64),
    unit: &str,
    inner: String,
) -> Markup {
    #[allow(non_snake_case)] // the panel width reads like the constants beside it
    let W = axis.w;
    let mut grid = String::new();
    let step = if step > 0.0 { step } else { hi - lo };
    let first = (lo / step).ceil() as i64;
    for i in (first..).take(MAX_TICKS) {
        let v = i as f64 * step;
        if v > hi + 1e-9 {
            break;
        }
        let y = y_of(v, lo, hi);
        let _ = write!(
            grid,
            r#"<line class="grid" x1="{LEFT}" x2="{}" y1="{y:.1}" y2="{y:.1}"/><text class="tick" x="{}" y="{:.1}" text-anchor="end">{}</text>"#,
            W - RIGHT,
            LEFT - 4.0,
            y + 3.5,
            fmt(v)
        );
    }
    let steps = [7.0, 14.0, 28.0, 56.0, 91.0, 182.0, 364.0, 728.0];
    // On a phone, four or five dates four weeks apart: enough to place a bar, and room for each.
    let most = if W < 500.0 { 5.0 } else { 8.0 };
    let mut ticks = String::new();
    for (i, d) in tick_values(axis.from, axis.to, &steps, most)
        .into_iter()
        .enumerate()
    {
        let x = axis.x(d);
        // The first tick carries the year, so old data is not mistaken for this year's.
        let label = if i == 0 {
            day_label_year(d as i64)
        } else {
            day_label(d as i64)
        };
        let _ = write!(
            ticks,
            r#"<text class="tick" x="{x:.1}" y="{:.1}" text-anchor="middle">{label}</text>"#,
            TOP + PANEL_H + 15.0,
        );
    }
    let h = TOP + PANEL_H + BOTTOM;
    html! {
        figure.chart {
            svg viewBox=(format!("0 0 {W} {h}")) role="img" aria-label=(title) {
                text.chart-title x=(LEFT) y="14" { (title) " (" (unit) ")" }
                (PreEscaped(grid))
                (PreEscaped(ticks))
                (PreEscaped(inner))
            }
        }
    }
}

fn polyline(points: &[(f64, f64)], class: &str) -> String {
    if points.is_empty() {
        return String::new();
    }
    // A line of one or two points does not show: mark them.
    if points.len() < 3 {
        return points
            .iter()
            .map(|(x, y)| {
                format!(r#"<circle class="{class} mark" cx="{x:.1}" cy="{y:.1}" r="4"/>"#)
            })
            .collect();
    }
    let pts: Vec<String> = points
        .iter()
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect();
    format!(r#"<polyline class="{class}" points="{}"/>"#, pts.join(" "))
}

fn legend(items: &[(&str, &str)]) -> Markup {
    html! {
        ul.legend {
            @for (class, label) in items {
                li { svg.key viewBox="0 0 24 10" aria-hidden="true" { line class=(class) x1="0" x2="24" y1="5" y2="5" {} } " " (label) }
            }
        }
    }
}

/// The training panels, all on one time axis, with soreness check-ins at the bottom; rendered
/// at phone and desktop width, the stylesheet shows the one that fits.
pub fn training_charts(t: &TrainingView, checkins: &[(f64, u8)]) -> Markup {
    if t.days.is_empty() && t.weeks.is_empty() && checkins.is_empty() {
        return html! { p.empty { "No runs yet: upload a watch file to see your training here." } };
    }
    html! {
        div.chart-narrow { (training_at(t, checkins, NARROW)) }
        div.chart-wide { (training_at(t, checkins, WIDE)) }
    }
}

fn training_at(t: &TrainingView, checkins: &[(f64, u8)], w: f64) -> Markup {
    #[allow(non_snake_case)] // the panel width reads like the constants beside it
    let W = w;
    let mut days: Vec<f64> = t.days.iter().map(|d| d.day as f64).collect();
    days.extend(t.weeks.iter().map(|w| w.start_day as f64));
    days.extend(checkins.iter().map(|c| c.0));
    let (Some(from), Some(to)) = (
        days.iter().cloned().reduce(f64::min),
        days.iter().cloned().reduce(f64::max),
    ) else {
        return html! { p.empty { "No runs yet: upload a watch file to see your training here." } };
    };
    let axis = Axis {
        from: from - 1.0,
        to: (to + 7.0).max(from + 14.0),
        w,
    };

    let weekly = |values: Vec<(f64, f64)>, title: &str, unit: &str, class: &str| {
        let (step, hi) = round_axis(values.iter().map(|v| v.1).fold(0.0, f64::max));
        let mut bars = String::new();
        let bw = axis.band_width(7.0) * 0.8;
        for (day, v) in values {
            let y = y_of(v, 0.0, hi);
            let _ = write!(
                bars,
                r#"<rect class="{class}" x="{:.1}" y="{y:.1}" width="{bw:.1}" height="{:.1}"><title>week of {}: {} {unit}</title></rect>"#,
                axis.x(day) + axis.band_width(7.0) * 0.1,
                TOP + PANEL_H - y,
                day_label(day as i64),
                fmt(v)
            );
        }
        frame(title, axis, (0.0, hi, step), unit, bars)
    };
    let distance = weekly(
        t.weeks
            .iter()
            .map(|w| (w.start_day as f64, w.distance_km))
            .collect(),
        "Weekly distance",
        "km",
        "bar",
    );
    let load = weekly(
        t.weeks
            .iter()
            .map(|w| (w.start_day as f64, w.load))
            .collect(),
        "Weekly load",
        "load units",
        "bar alt",
    );

    let ratio_pts: Vec<(f64, f64)> = t
        .days
        .iter()
        .filter_map(|d| d.acwr.map(|r| (d.day as f64, r)))
        .collect();
    let ratio = if ratio_pts.is_empty() {
        html! {
            p.note {
                "The acute:chronic ratio is not shown: "
                (t.acwr_withheld.as_deref().unwrap_or("it needs 28 days of data"))
                "."
            }
        }
    } else {
        let top = ratio_pts
            .iter()
            .map(|p| p.1)
            .fold(t.acwr_band.1 + 0.2, f64::max);
        let step = if top <= 2.0 { 0.5 } else { round_axis(top).0 };
        let hi = (top / step).ceil() * step;
        let (blo, bhi) = t.acwr_band;
        // The band is named in the title, never inside the plot where the line runs.
        let band = format!(
            r#"<rect class="band" x="{LEFT}" width="{:.1}" y="{:.1}" height="{:.1}"><title>usual band {blo}–{bhi}</title></rect>"#,
            W - LEFT - RIGHT,
            y_of(bhi, 0.0, hi),
            y_of(blo, 0.0, hi) - y_of(bhi, 0.0, hi),
        );
        let pts: Vec<(f64, f64)> = ratio_pts
            .iter()
            .map(|(d, r)| (axis.x(*d), y_of(*r, 0.0, hi)))
            .collect();
        frame(
            "Acute:chronic load ratio",
            axis,
            (0.0, hi, step),
            &format!("shaded: the usual {blo}–{bhi}"),
            band + &polyline(&pts, "line s1"),
        )
    };

    let ffm = {
        let lo = t.days.iter().map(|d| d.tsb).fold(0.0, f64::min);
        let hi = t.days.iter().map(|d| d.ctl.max(d.atl)).fold(0.0, f64::max);
        // About four gridlines over the whole span, above and below zero.
        let (step, _) = round_axis(hi - lo);
        let hi = (hi / step - 1e-9).ceil().max(1.0) * step;
        let lo = -(-lo / step - 1e-9).ceil().max(0.0) * step;
        let series = |f: &dyn Fn(&runsore_app::DayView) -> f64, class: &str| {
            let pts: Vec<(f64, f64)> = t
                .days
                .iter()
                .map(|d| (axis.x(d.day as f64), y_of(f(d), lo, hi)))
                .collect();
            polyline(&pts, class)
        };
        let inner = series(&|d| d.ctl, "line s1")
            + &series(&|d| d.atl, "line s2")
            + &series(&|d| d.tsb, "line s3");
        frame(
            "Fitness, fatigue and form",
            axis,
            (lo, hi, step),
            "load units",
            inner,
        )
    };

    let soreness = {
        let mut dots = String::new();
        for (day, pain) in checkins {
            let x = axis.x(*day);
            let y = y_of(*pain as f64, 0.0, 10.0);
            let _ = write!(
                dots,
                r#"<line class="stem" x1="{x:.1}" x2="{x:.1}" y1="{:.1}" y2="{y:.1}"/><circle class="dot" cx="{x:.1}" cy="{y:.1}" r="5"><title>{}: pain {pain}/10</title></circle>"#,
                y_of(0.0, 0.0, 10.0),
                day_label(*day as i64)
            );
        }
        frame(
            "Soreness check-ins",
            axis,
            (0.0, 10.0, 2.0),
            "pain 0–10",
            dots,
        )
    };

    html! {
        div.charts {
            (distance)
            (load)
            (ratio)
            (ffm)
            (legend(&[("line s1", "fitness (42-day)"), ("line s2", "fatigue (7-day)"), ("line s3", "form = fitness − fatigue")]))
            (soreness)
        }
    }
}

/// The expected course as a small timeline: soreness rising to its peak and fading, the runner's
/// own pain reports on top, and where they are now.
pub fn course_chart(
    course: &CourseView,
    start_pain: f64,
    now_hours: Option<f64>,
    reports: &[(f64, u8)],
) -> Markup {
    html! {
        figure.chart.course {
            div.chart-narrow { (course_at(course, start_pain, now_hours, reports, NARROW)) }
            div.chart-wide { (course_at(course, start_pain, now_hours, reports, WIDE)) }
            figcaption {
                (legend(&[("line expected", "usual course"), ("line actual", "your reports")]))
                (course.text)
            }
        }
    }
}

fn course_at(
    course: &CourseView,
    start_pain: f64,
    now_hours: Option<f64>,
    reports: &[(f64, u8)],
    w: f64,
) -> Markup {
    #[allow(non_snake_case)] // the panel width reads like the constants beside it
    let W = w;
    let end = course
        .resolved_hours
        .max(now_hours.unwrap_or(0.0))
        .max(reports.iter().map(|r| r.0).fold(0.0, f64::max))
        * 1.15
        + 1.0;
    let to_days = end > 72.0;
    let unit = if to_days { "days" } else { "hours" };
    let scale = if to_days { 24.0 } else { 1.0 };
    let axis = Axis {
        from: 0.0,
        to: end / scale,
        w,
    };
    let peak = start_pain.clamp(1.0, 10.0);
    let curve: Vec<(f64, f64)> = [
        (0.0, 0.0),
        (course.onset_hours, peak * 0.15),
        (course.peak_hours, peak),
        (course.resolved_hours, 0.0),
        (end, 0.0),
    ]
    .iter()
    .map(|(h, v)| (axis.x(h / scale), y_of(*v, 0.0, 10.0)))
    .collect();
    let mut inner = polyline(&curve, "line expected");
    let mut ticks = String::new();
    // Round steps (1, 2, 6, 12 hours; 1, 2, 7 days...) so the ticks read as whole numbers.
    let most = if W < 500.0 { 4.0 } else { 7.0 };
    let steps: &[f64] = if to_days {
        &[0.5, 1.0, 2.0, 7.0, 14.0, 28.0, 56.0, 91.0, 182.0, 364.0]
    } else {
        &[1.0, 2.0, 3.0, 6.0, 12.0, 24.0, 48.0]
    };
    for v in tick_values(0.0, axis.to, steps, most) {
        let _ = write!(
            ticks,
            r#"<text class="tick" x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            axis.x(v),
            TOP + PANEL_H + 15.0,
            fmt(v)
        );
    }
    if let Some(now) = now_hours {
        let x = axis.x(now / scale);
        let _ = write!(
            inner,
            r#"<line class="now" x1="{x:.1}" x2="{x:.1}" y1="{TOP}" y2="{:.1}"/><text class="tick" x="{:.1}" y="{:.1}">now</text>"#,
            TOP + PANEL_H,
            x + 4.0,
            TOP + 12.0
        );
    }
    let pts: Vec<(f64, f64)> = reports
        .iter()
        .map(|(h, p)| (axis.x(h / scale), y_of(*p as f64, 0.0, 10.0)))
        .collect();
    inner.push_str(&polyline(&pts, "line actual"));
    for (x, y) in &pts {
        let _ = write!(
            inner,
            r#"<circle class="dot" cx="{x:.1}" cy="{y:.1}" r="5"/>"#
        );
    }
    let mut grid = String::new();
    for v in [0.0, 5.0, 10.0] {
        let y = y_of(v, 0.0, 10.0);
        let _ = write!(
            grid,
            r#"<line class="grid" x1="{LEFT}" x2="{}" y1="{y:.1}" y2="{y:.1}"/><text class="tick" x="{}" y="{:.1}" text-anchor="end">{}</text>"#,
            W - RIGHT,
            LEFT - 4.0,
            y + 3.5,
            fmt(v)
        );
    }
    let h = TOP + PANEL_H + BOTTOM + 8.0;
    html! {
        svg viewBox=(format!("0 0 {W} {h}")) role="img"
            aria-label=(format!("Expected course: {}", course.text)) {
            text.chart-title x=(LEFT) y="12" { "Expected pain (0–10), " (unit) " since the run" }
            (PreEscaped(grid))
            (PreEscaped(ticks))
            (PreEscaped(inner))
        }
    }
}

/// Follow-ups as (hours since the check-in's run, pain).
pub fn followup_points(at: i64, hours_at_checkin: f64, followups: &[FollowUp]) -> Vec<(f64, u8)> {
    followups
        .iter()
        .filter_map(|f| {
            let since = f.at.saturating_sub(at) as f64 / 3600.0;
            Some((hours_at_checkin + since, f.pain?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_scales() {
        assert_eq!(day_label(0), "1 Jan");
        assert_eq!(day_label(20_574), "1 May");
        assert_eq!(nice_max(7.3), 10.0);
        assert_eq!(nice_max(0.0), 1.0);
        assert_eq!(nice_max(230.0), 250.0);
        assert_eq!(datetime_label(0), "1 Jan 1970 00:00");
    }

    #[test]
    fn axes_have_round_steps() {
        assert_eq!(round_axis(50.0), (20.0, 60.0));
        assert_eq!(round_axis(9.0), (5.0, 10.0));
        assert_eq!(round_axis(110.0), (50.0, 150.0));
        assert_eq!(round_axis(0.0), (0.5, 1.0));
        assert_eq!(round_axis(200.0), (50.0, 200.0));
    }

    #[test]
    fn tick_loops_are_bounded_whatever_the_span() {
        // A check-in at `i64::MIN` or a run 1e300 hours ago once made these loops endless.
        for (from, to) in [
            (i64::MIN as f64 / 86_400.0, 20_000.0),
            (0.0, 1e300 / 24.0),
            (0.0, f64::INFINITY),
            (f64::NAN, 1.0),
            (0.0, 1e-3),
        ] {
            let ticks = tick_values(from, to, &[7.0, 14.0], 7.0);
            assert!(ticks.len() <= MAX_TICKS, "{from}..{to}: {}", ticks.len());
        }
        assert_eq!(
            tick_values(0.0, 28.0, &[7.0], 7.0),
            [0.0, 7.0, 14.0, 21.0, 28.0]
        );
        assert_eq!(day_label_year(i64::MIN / 86_400), day_label_year(i64::MIN));
    }

    #[test]
    fn a_course_far_beyond_its_end_draws_a_bounded_chart() {
        let course = CourseView {
            label: "soreness".into(),
            onset_hours: 12.0,
            peak_hours: 48.0,
            resolved_hours: 120.0,
            text: "eases in days".into(),
        };
        let reports = [(1e300, 4), (f64::MAX, 3)];
        let html = course_chart(&course, 4.0, Some(1e300), &reports).into_string();
        assert!(html.len() < 64 * 1024, "{} bytes", html.len());
    }

    #[test]
    fn a_check_in_at_the_minimum_timestamp_draws_a_bounded_training_chart() {
        let checkins = [(i64::MIN as f64 / 86_400.0, 4), (20_000.0, 2)];
        let html = training_charts(&TrainingView::default(), &checkins).into_string();
        assert!(html.len() < 64 * 1024, "{} bytes", html.len());
    }

    #[test]
    fn empty_training_says_so() {
        let html = training_charts(&TrainingView::default(), &[]).into_string();
        assert!(html.contains("No runs yet"));
    }
}
