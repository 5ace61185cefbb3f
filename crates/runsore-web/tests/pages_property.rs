//! The `pages` fuzz target's property, run in the normal test suite over generated intakes: an
//! intake posted to `/api/checkins` is refused with a client error or stored, and once stored
//! every page that shows it answers 200 within a time and a size limit (one stored check-in with
//! `hours_since_run` 1e300 once took the server down). The intakes are built from the model's
//! own field list, with values at, inside and far beyond each declared bound.

use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use runsore_model::fields::{AnswerKind, FIELDS};
use serde_json::{Map, Value, json};
use tower::ServiceExt;

/// A page slower or larger than this counts as a server taken down (the fuzz target allows 2 s
/// in a release build; a debug build on a shared machine gets more).
const PAGE_TIME: Duration = Duration::from_secs(5);
const PAGE_BYTES: usize = 2 * 1024 * 1024;

async fn fetch(app: &Router, req: Request<Body>) -> Result<(StatusCode, Vec<u8>), TestCaseError> {
    let started = Instant::now();
    let res = app.clone().oneshot(req).await.expect("the router answers");
    let status = res.status();
    let body = to_bytes(res.into_body(), PAGE_BYTES)
        .await
        .map_err(|e| TestCaseError::fail(format!("a body over the size limit: {e}")))?;
    prop_assert!(
        started.elapsed() < PAGE_TIME,
        "took {:?}",
        started.elapsed()
    );
    Ok((status, body.to_vec()))
}

/// One value for a field of `kind` whose bound (if any) is `min..=max`.
fn value(
    kind: AnswerKind,
    bound: Option<(f64, f64)>,
    choices: Vec<&'static str>,
) -> BoxedStrategy<Value> {
    let numbers = |integer: bool| {
        let (min, max) = bound.unwrap_or((0.0, 100.0));
        // Mostly values that pass (so a check-in is stored and its pages are drawn), with the
        // edges of the bound; now and then one far beyond, which must be refused.
        let edge = prop_oneof![
            3 => Just(min),
            3 => Just(max),
            6 => min..=max,
            1 => Just(min - 1.0),
            1 => Just(max + 1.0),
            1 => Just(max * 10.0),
            1 => Just(1e10),
            1 => Just(1e300),
            1 => Just(-1e300),
            1 => Just(f64::MAX),
            1 => Just(f64::MIN_POSITIVE),
        ];
        edge.prop_map(move |v| if integer { json!(v.round()) } else { json!(v) })
            .boxed()
    };
    match kind {
        AnswerKind::YesNo => any::<bool>().prop_map(Value::Bool).boxed(),
        AnswerKind::Integer => numbers(true),
        AnswerKind::Number => numbers(false),
        AnswerKind::OneOf => prop_oneof![
            12 => prop::sample::select(choices).prop_map(|c| json!(c)),
            1 => Just(json!("not_a_choice")),
        ]
        .boxed(),
        AnswerKind::AnyOf => prop::sample::subsequence(choices.clone(), 0..=choices.len())
            .prop_map(|c| json!(c))
            .boxed(),
    }
}

/// An intake: a random subset of the model's fields, nested by their dotted paths.
fn intake() -> impl Strategy<Value = Value> {
    let per_field: Vec<BoxedStrategy<Option<(&'static str, Value)>>> = FIELDS
        .iter()
        .map(|f| {
            let bound = f.bound.map(|b| (b.min, b.max));
            let choices: Vec<&'static str> = f.values().collect();
            let path = f.path;
            prop::option::weighted(
                0.15,
                value(f.kind, bound, choices).prop_map(move |v| (path, v)),
            )
            .boxed()
        })
        .collect();
    per_field.prop_map(|chosen| {
        let mut root = Map::new();
        for (path, v) in chosen.into_iter().flatten() {
            match path.split_once('.') {
                Some((outer, inner)) => {
                    let slot = root.entry(outer).or_insert_with(|| json!({}));
                    if let Some(obj) = slot.as_object_mut() {
                        obj.insert(inner.to_owned(), v);
                    }
                }
                None => {
                    root.insert(path.to_owned(), v);
                }
            }
        }
        Value::Object(root)
    })
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn a_stored_check_in_renders_every_page_within_limits(intake in intake()) {
        runtime().block_on(async {
            // A fresh store each time: one stored check-in, every page that shows it.
            let app = runsore_web::app(runsore_web::AppState::in_memory().expect("a store"));
            let post = Request::post("/api/checkins")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(intake.to_string()))
                .unwrap();
            let (status, body) = fetch(&app, post).await?;
            if status != StatusCode::CREATED {
                prop_assert!(
                    status.is_client_error(),
                    "{status}: {}",
                    String::from_utf8_lossy(&body)
                );
                return Ok(());
            }
            let id: Value = serde_json::from_slice(&body).expect("JSON");
            let id = id["id"].as_i64().expect("an id");
            let own = format!("/history/{id}");
            for page in ["/", "/history", "/training", "/runs", "/api/checkins", "/api/training", &own] {
                let req = Request::get(page).body(Body::empty()).unwrap();
                let (status, _) = fetch(&app, req).await?;
                prop_assert_eq!(status, StatusCode::OK, "{}", page);
            }
            Ok(())
        })?;
    }
}

#[test]
fn the_generated_intakes_are_stored_often_enough_to_test_the_pages() {
    // The property above says nothing if every intake is refused: count the ones stored.
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = intake();
    let rt = runtime();
    let app = runsore_web::app(runsore_web::AppState::in_memory().expect("a store"));
    let mut stored = 0;
    for _ in 0..64 {
        let intake = strategy.new_tree(&mut runner).expect("a value").current();
        let post = Request::post("/api/checkins")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(intake.to_string()))
            .unwrap();
        let status =
            rt.block_on(async { app.clone().oneshot(post).await.expect("answers").status() });
        if status == StatusCode::CREATED {
            stored += 1;
        }
    }
    assert!(
        stored >= 8,
        "only {stored} of 64 generated intakes were stored"
    );
}
