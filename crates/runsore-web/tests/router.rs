//! Router tests: every route through `app(state).oneshot(..)`, with good and bad input.

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use runsore_testkit::Session;
use runsore_web::{AppState, Backend, Options, app};
use serde_json::Value;
use tower::ServiceExt;

const FIT: &[u8] = include_bytes!("data/activity-small-fenix2-run.fit");

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

fn state_with(options: Options) -> AppState {
    AppState::new(Backend::in_memory().expect("in-memory store"), options)
}

async fn send(app: &Router, req: Request<Body>) -> Reply {
    let res = app.clone().oneshot(req).await.expect("the router answers");
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = to_bytes(res.into_body(), usize::MAX).await.expect("body");
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// Sends a check-in form as a browser does: a redirect to the next step of the check-in (a page
/// read with GET, post/redirect/get) is followed with the same cookie; any other answer is
/// returned as it is.
async fn submit(app: &Router, req: Request<Body>) -> Reply {
    let cookie = req.headers().get(header::COOKIE).cloned();
    let r = send(app, req).await;
    let next = r
        .headers
        .get(header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .filter(|l| r.status == StatusCode::SEE_OTHER && l.starts_with("/checkin"))
        .map(str::to_owned);
    match next {
        Some(location) => {
            let mut get = Request::get(location);
            if let Some(c) = cookie {
                get = get.header(header::COOKIE, c);
            }
            send(app, get.body(Body::empty()).unwrap()).await
        }
        None => r,
    }
}

async fn get(app: &Router, uri: &str) -> Reply {
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

fn json_post(uri: &str, body: &str) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_owned()))
        .unwrap()
}

async fn session(app: &Router) -> Session {
    let reply = get(app, "/checkin").await;
    let cookies = reply
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok());
    Session::from_page(cookies, &reply.body)
}

fn form_post(s: &Session, uri: &str, body: &str) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, &s.cookie)
        .body(Body::from(format!("csrf={}&{body}", s.token)))
        .unwrap()
}

/// Saves a check-in through the API; its id.
async fn saved(app: &Router, intake: &str) -> i64 {
    let r = send(app, json_post("/api/checkins", intake)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.json()["id"].as_i64().expect("the check-in's id")
}

/// Check-in `id` of the list `GET /api/checkins` answers.
fn listed(list: &Value, id: i64) -> Value {
    list["checkins"]
        .as_array()
        .expect("a list of check-ins")
        .iter()
        .find(|c| c["id"].as_i64() == Some(id))
        .cloned()
        .unwrap_or_else(|| panic!("check-in {id} not listed"))
}

/// Sends the web's follow-up form of check-in `id`.
async fn follow_up_form(app: &Router, s: &Session, id: i64, body: &str) -> Reply {
    send(app, form_post(s, &format!("/history/{id}/followup"), body)).await
}

fn multipart(boundary: &str, parts: &[(&str, Option<&str>, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, filename, bytes) in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match filename {
            Some(f) => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
            ),
            None => body.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes()),
        }
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    body
}

fn multipart_post(uri: &str, cookie: Option<&str>, body: Vec<u8>) -> Request<Body> {
    let mut req = Request::post(uri).header(
        header::CONTENT_TYPE,
        "multipart/form-data; boundary=XBOUNDARYX",
    );
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    req.body(Body::from(body)).unwrap()
}

#[tokio::test]
async fn every_page_and_read_route_answers_with_security_headers() {
    let app = app(AppState::in_memory().unwrap());
    let cases: &[(&str, StatusCode, &str)] = &[
        ("/", StatusCode::OK, "text/html"),
        ("/checkin", StatusCode::OK, "text/html"),
        (
            "/checkin?where=buttock&where=nonsense",
            StatusCode::OK,
            "text/html",
        ),
        ("/history", StatusCode::OK, "text/html"),
        ("/runs", StatusCode::OK, "text/html"),
        ("/training", StatusCode::OK, "text/html"),
        ("/assets/app.css", StatusCode::OK, "text/css"),
        ("/assets/app.js", StatusCode::OK, "text/javascript"),
        ("/api/runs", StatusCode::OK, "application/json"),
        ("/api/training", StatusCode::OK, "application/json"),
        ("/api/checkins", StatusCode::OK, "application/json"),
        ("/api/openapi.json", StatusCode::OK, "application/json"),
        ("/history/999", StatusCode::NOT_FOUND, "text/html"),
        ("/history/abc", StatusCode::NOT_FOUND, "text/html"),
        ("/nowhere", StatusCode::NOT_FOUND, "text/html"),
        ("/api/nowhere", StatusCode::NOT_FOUND, "application/json"),
    ];
    for (uri, status, content_type) in cases {
        let r = get(&app, uri).await;
        assert_eq!(r.status, *status, "{uri}: {}", r.body);
        let ct = r
            .headers
            .get(header::CONTENT_TYPE)
            .unwrap()
            .to_str()
            .unwrap();
        assert!(ct.starts_with(content_type), "{uri}: content type {ct}");
        for h in [
            "content-security-policy",
            "x-content-type-options",
            "x-frame-options",
            "referrer-policy",
        ] {
            assert!(r.headers.contains_key(h), "{uri}: missing {h}");
        }
        let csp = r.headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(
            !r.body.contains("/work/") && !r.body.contains("panicked"),
            "{uri} leaks: {}",
            r.body
        );
    }
}

/// Every JSON route of the router is in the generated OpenAPI document with exactly the methods
/// the router answers, and nothing else is: the paths are read from the router's source, then
/// each path is asked with every method, and only the documented ones may be routed.
#[tokio::test]
async fn openapi_documents_every_api_route_and_method() {
    use runsore_web::openapi::API_ROUTES;
    let app = app(AppState::in_memory().unwrap());
    let doc = get(&app, "/api/openapi.json").await.json();
    assert_eq!(doc["openapi"], "3.1.0");
    let router = include_str!("../src/lib.rs");
    let mut in_router: Vec<&str> = router
        .split(".route(\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|path| path.starts_with("/api/"))
        .collect();
    in_router.sort();
    in_router.dedup();
    let mut documented: Vec<&str> = API_ROUTES.iter().map(|(p, _)| *p).collect();
    documented.dedup();
    documented.sort();
    assert_eq!(
        in_router, documented,
        "the router's API paths and the document's"
    );
    let documented_paths: Vec<&String> = doc["paths"].as_object().unwrap().keys().collect();
    assert_eq!(
        documented_paths.len(),
        documented.len(),
        "{documented_paths:?}"
    );
    // A check-in to follow up, so the follow-up route answers for itself, not the fallback.
    let created = send(&app, json_post("/api/checkins", r#"{"where":["buttock"]}"#)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.json()["id"].as_i64().unwrap();
    for path in documented {
        let uri = path.replace("{id}", &id.to_string());
        for method in ["get", "post", "put", "patch", "delete"] {
            let in_doc = API_ROUTES.contains(&(path, method));
            assert_eq!(
                doc["paths"][path].get(method).is_some(),
                in_doc,
                "{method} {path}: the document and API_ROUTES disagree"
            );
            let req = Request::builder()
                .method(method.to_uppercase().as_str())
                .uri(&uri)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{}"))
                .unwrap();
            let reply = send(&app, req).await;
            let routed = !matches!(
                reply.status,
                StatusCode::METHOD_NOT_ALLOWED | StatusCode::NOT_FOUND
            );
            assert_eq!(
                routed, in_doc,
                "{method} {uri}: answered {} ({}) but documented: {in_doc}",
                reply.status, reply.body
            );
        }
    }
}

fn repo_file(path: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

/// The committed `schema/openapi.json` is the generated document, and its `Intake` is the
/// committed intake schema (plus `not_sure`). Regenerate it with
/// `UPDATE_SCHEMA=1 cargo test -p runsore-web --test router`.
#[test]
fn committed_openapi_is_fresh() {
    let path = repo_file(runsore_web::openapi::OPENAPI_PATH);
    let generated = runsore_web::openapi::document_text();
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{} is stale: regenerate it with UPDATE_SCHEMA=1 cargo test -p runsore-web --test router",
        path.display()
    );
    let doc: Value = serde_json::from_str(&generated).unwrap();
    let intake: Value = serde_json::from_str(
        &std::fs::read_to_string(repo_file(runsore_model::schema::SCHEMA_PATH)).unwrap(),
    )
    .unwrap();
    let mut props = doc["components"]["schemas"]["Intake"]["properties"].clone();
    props.as_object_mut().unwrap().remove("not_sure");
    let rebased = intake["properties"]
        .to_string()
        .replace("#/$defs/", "#/components/schemas/");
    assert_eq!(props, serde_json::from_str::<Value>(&rebased).unwrap());
    assert_eq!(
        doc["components"]["schemas"]["Intake"]["additionalProperties"],
        false
    );
}

/// The document's answers name every key the real answers carry, and the keys it requires are
/// there: a field added to an assessment, a run or a follow-up shows here.
#[tokio::test]
async fn openapi_answers_match_the_real_answers() {
    let app = app(AppState::in_memory().unwrap());
    let doc = get(&app, "/api/openapi.json").await.json();
    let schemas = &doc["components"]["schemas"];
    // A schema's properties and required keys, through `allOf` and `$ref`.
    fn flatten(
        schemas: &Value,
        schema: &Value,
        props: &mut Vec<String>,
        required: &mut Vec<String>,
    ) {
        if let Some(target) = schema["$ref"].as_str() {
            let name = target.rsplit('/').next().unwrap();
            return flatten(schemas, &schemas[name], props, required);
        }
        for part in schema["allOf"].as_array().into_iter().flatten() {
            flatten(schemas, part, props, required);
        }
        props.extend(
            schema["properties"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(k, _)| k.clone()),
        );
        required.extend(
            schema["required"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|k| k.as_str().unwrap().to_string()),
        );
    }
    let check_schema = |what: &str, schema: &Value, value: &Value| {
        let (mut props, mut required) = (Vec::new(), Vec::new());
        flatten(schemas, schema, &mut props, &mut required);
        for key in value
            .as_object()
            .unwrap_or_else(|| panic!("{what}: {value}"))
            .keys()
        {
            assert!(props.contains(key), "{what}: `{key}` is not documented");
        }
        for key in required {
            assert!(
                value.get(&key).is_some(),
                "{what}: required `{key}` missing"
            );
        }
    };
    let check = |name: &str, value: &Value| check_schema(name, &schemas[name], value);
    let assessed = send(
        &app,
        json_post("/api/assess", r#"{"where":["buttock"],"fever":true}"#),
    )
    .await
    .json();
    check("Report", &assessed);
    let created = send(
        &app,
        json_post(
            "/api/checkins",
            r#"{"where":["buttock"],"onset":"next_day","days_since_onset":1}"#,
        ),
    )
    .await
    .json();
    check_schema(
        "POST /api/checkins",
        &doc["paths"]["/api/checkins"]["post"]["responses"]["201"]["content"]["application/json"]["schema"],
        &created,
    );
    let id = created["id"].as_i64().unwrap();
    let followed = send(
        &app,
        json_post(
            &format!("/api/checkins/{id}/followups"),
            r#"{"trend":"better","pain":2}"#,
        ),
    )
    .await
    .json();
    check("FollowUp", &followed);
    let list = get(&app, "/api/checkins").await.json();
    for entry in list["checkins"].as_array().unwrap() {
        check("Checkin", entry);
        check_schema(
            "a stored result",
            &schemas["Checkin"]["properties"]["result"],
            &entry["result"],
        );
    }
    let training = get(&app, "/api/training").await.json();
    check("Training", &training);
    let imported = send(
        &app,
        Request::post("/api/import?name=run.fit")
            .header(header::CONTENT_TYPE, "application/octet-stream")
            .body(Body::from(FIT))
            .unwrap(),
    )
    .await;
    assert_eq!(imported.status, StatusCode::OK, "{}", imported.body);
    check("ImportResult", &imported.json());
    let runs = get(&app, "/api/runs").await.json();
    check("RunPage", &runs);
    check("Run", &runs["runs"][0]);
}

/// One case of `POST /api/assess`: content type, body, expected status, and a fragment of the
/// error and the field it must name (for errors).
struct AssessCase {
    content_type: &'static str,
    body: String,
    status: StatusCode,
    error: Option<(&'static str, Option<&'static str>)>,
}

#[tokio::test]
async fn assess_answers_json_and_names_what_is_wrong() {
    let app = app(AppState::in_memory().unwrap());
    let json = "application/json";
    let cases = [
        AssessCase {
            content_type: json,
            body: r#"{"where":["buttock"],"onset":"next_day","run":{"unaccustomed":true}}"#.into(),
            status: StatusCode::OK,
            error: None,
        },
        AssessCase {
            content_type: json,
            body: "{}".into(),
            status: StatusCode::OK,
            error: None,
        },
        AssessCase {
            content_type: json,
            body: r#"{"where":["buttock"],"#.into(),
            status: StatusCode::BAD_REQUEST,
            error: Some(("", None)),
        },
        AssessCase {
            content_type: json,
            body: r#"{"wher":["buttock"]}"#.into(),
            status: StatusCode::BAD_REQUEST,
            error: Some(("wher", Some("wher"))),
        },
        AssessCase {
            content_type: json,
            body: r#"{"run":{"hott":true}}"#.into(),
            status: StatusCode::BAD_REQUEST,
            error: Some(("hott", None)),
        },
        AssessCase {
            content_type: json,
            body: r#"{"pain":11}"#.into(),
            status: StatusCode::BAD_REQUEST,
            error: Some(("0 to 10", Some("pain"))),
        },
        AssessCase {
            content_type: json,
            body: r#"{"onset":"last_week"}"#.into(),
            status: StatusCode::BAD_REQUEST,
            error: Some(("last_week", None)),
        },
        AssessCase {
            content_type: "text/plain",
            body: "{}".into(),
            status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
            error: Some(("JSON", None)),
        },
        AssessCase {
            content_type: json,
            body: format!(r#"{{"where":["buttock"],"x":"{}"}}"#, "a".repeat(100_000)),
            status: StatusCode::PAYLOAD_TOO_LARGE,
            error: None,
        },
    ];
    for case in cases {
        let req = Request::post("/api/assess")
            .header(header::CONTENT_TYPE, case.content_type)
            .body(Body::from(case.body.clone()))
            .unwrap();
        let r = send(&app, req).await;
        let shown = &case.body[..case.body.len().min(60)];
        assert_eq!(r.status, case.status, "{shown}: {}", r.body);
        if r.status == StatusCode::OK {
            let v = r.json();
            assert!(v["triage"].is_string(), "{shown}: {v}");
            assert!(v["conditions"].is_array(), "{shown}: {v}");
            assert!(v["questions"].is_array(), "{shown}: {v}");
        } else if let Some((fragment, field)) = case.error {
            let v = r.json();
            let error = v["error"].as_str().unwrap_or_default();
            assert!(
                error.contains(fragment),
                "{shown}: error {error:?} lacks {fragment:?}"
            );
            if let Some(field) = field {
                assert_eq!(v["field"].as_str(), Some(field), "{shown}: {v}");
            }
            assert!(
                !error.contains("/work/") && !error.contains("src/"),
                "{error}"
            );
        }
    }
}

#[tokio::test]
async fn checkins_api_stores_and_lists() {
    let app = app(AppState::in_memory().unwrap());
    let r = send(
        &app,
        json_post("/api/checkins", r#"{"where":["buttock"],"pain":4}"#),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().expect("an id");
    let list = get(&app, "/api/checkins").await.json();
    assert_eq!(list["checkins"][0]["id"].as_i64(), Some(id));
    assert_eq!(
        get(&app, &format!("/history/{id}")).await.status,
        StatusCode::OK
    );
    let bad = send(&app, json_post("/api/checkins", r#"{"pains":4}"#)).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.json()["error"].as_str().unwrap().contains("pains"));
}

#[tokio::test]
async fn forms_need_the_csrf_token() {
    let app = app(AppState::in_memory().unwrap());
    let s = session(&app).await;
    let no_token = Request::post("/checkin")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, &s.cookie)
        .body(Body::from("where=buttock"))
        .unwrap();
    assert_eq!(send(&app, no_token).await.status, StatusCode::FORBIDDEN);
    let wrong_token = Request::post("/checkin")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, &s.cookie)
        .body(Body::from("csrf=00&where=buttock"))
        .unwrap();
    assert_eq!(send(&app, wrong_token).await.status, StatusCode::FORBIDDEN);
    let no_cookie = Request::post("/checkin")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("csrf={}&where=buttock", s.token)))
        .unwrap();
    assert_eq!(send(&app, no_cookie).await.status, StatusCode::FORBIDDEN);
    let ok = submit(&app, form_post(&s, "/checkin", "where=buttock")).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
}

#[tokio::test]
async fn cross_site_writes_are_refused() {
    let app = app(AppState::in_memory().unwrap());
    let req = Request::post("/api/assess")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::HOST, "127.0.0.1:7878")
        .header(header::ORIGIN, "https://evil.example")
        .body(Body::from("{}"))
        .unwrap();
    let r = send(&app, req).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.json()["error"].as_str().unwrap().contains("other sites"));
    let same = Request::post("/api/assess")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::HOST, "127.0.0.1:7878")
        .header(header::ORIGIN, "http://127.0.0.1:7878")
        .body(Body::from("{}"))
        .unwrap();
    assert_eq!(send(&app, same).await.status, StatusCode::OK);
}

/// The start of the check-in: each form and the message it must show beside the field.
#[tokio::test]
async fn checkin_start_validates_each_field() {
    let app = app(AppState::in_memory().unwrap());
    let s = session(&app).await;
    let long_story = format!("story={}", "a".repeat(4001));
    let cases: &[(&str, StatusCode, &str)] = &[
        ("", StatusCode::BAD_REQUEST, "choose at least one place"),
        (
            "where=elbow",
            StatusCode::BAD_REQUEST,
            "`elbow` is not a place on the map",
        ),
        (
            &long_story,
            StatusCode::BAD_REQUEST,
            "under 4000 characters",
        ),
        (
            "where=buttock&onset=yesterday",
            StatusCode::BAD_REQUEST,
            "choose one of the answers",
        ),
        (
            "where=buttock&where=sit_bone",
            StatusCode::OK,
            "First, any of these?",
        ),
        (
            "where=buttock&onset=next_day",
            StatusCode::OK,
            "First, any of these?",
        ),
    ];
    for (body, status, fragment) in cases {
        let r = submit(&app, form_post(&s, "/checkin", body)).await;
        assert_eq!(r.status, *status, "{body:.40}: {}", r.body);
        assert!(r.body.contains(fragment), "{body:.40}: no {fragment:?}");
        if *status == StatusCode::BAD_REQUEST {
            assert!(
                r.body.contains("class=\"field-error\""),
                "{body:.40}: message not beside the field"
            );
        }
    }
}

fn hidden(body: &str, name: &str) -> String {
    hidden_opt(body, name).unwrap_or_else(|| panic!("no hidden {name} in {body}"))
}

fn hidden_opt(body: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let raw = body.split(&marker).nth(1)?.split('"').next()?;
    Some(raw.replace("&quot;", "\"").replace("&amp;", "&"))
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn checkin_walks_from_map_to_result() {
    let app = app(AppState::in_memory().unwrap());
    let s = session(&app).await;
    let flags = submit(&app, form_post(&s, "/checkin", "where=buttock&story=")).await;
    assert_eq!(flags.status, StatusCode::OK);
    let intake = hidden(&flags.body, "intake");
    assert!(intake.contains("buttock"), "{intake}");
    let mut r = submit(
        &app,
        form_post(&s, "/checkin/flags", &format!("intake={}", enc(&intake))),
    )
    .await;
    // Answer every question the engine asks by skipping it, until the result.
    let mut steps = 0;
    while r.status == StatusCode::OK && steps < 25 {
        let intake = hidden(&r.body, "intake");
        let field = hidden(&r.body, "field");
        let skipped = hidden(&r.body, "skipped");
        // A checklist page skips all its items at once.
        let list = hidden_opt(&r.body, "list")
            .map(|l| format!("&list={}", enc(&l)))
            .unwrap_or_default();
        r = submit(
            &app,
            form_post(
                &s,
                "/checkin/answer",
                &format!(
                    "intake={}&skipped={}&field={}{list}&action=skip",
                    enc(&intake),
                    enc(&skipped),
                    enc(&field)
                ),
            ),
        )
        .await;
        steps += 1;
    }
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let location = r.headers[header::LOCATION].to_str().unwrap().to_string();
    assert!(location.starts_with("/history/"), "{location}");
    let result = get(&app, &location).await;
    assert_eq!(result.status, StatusCode::OK);
    assert!(result.body.contains("id=\"triage\""), "{}", result.body);
    assert!(result.body.contains("not a diagnosis"));
}

#[tokio::test]
async fn a_red_flag_goes_straight_to_an_emergency_result() {
    let app = app(AppState::in_memory().unwrap());
    let s = session(&app).await;
    let intake = enc(r#"{"where":["buttock"]}"#);
    let r = submit(
        &app,
        form_post(
            &s,
            "/checkin/flags",
            &format!("intake={intake}&flag=saddle_numbness"),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let result = get(&app, r.headers[header::LOCATION].to_str().unwrap()).await;
    assert!(
        result.body.contains("data-level=\"emergency\""),
        "{}",
        result.body
    );
}

#[tokio::test]
async fn a_bad_answer_is_shown_beside_the_question() {
    let app = app(AppState::in_memory().unwrap());
    let s = session(&app).await;
    let intake = enc(r#"{"where":["buttock"]}"#);
    let cases: &[(&str, &str)] = &[
        ("field=pain&value=12", "whole number from 0 to 10"),
        ("field=swelling", "choose yes or no"),
        ("field=onset&value=yesterday", "choose one of the answers"),
    ];
    for (answer, fragment) in cases {
        let r = submit(
            &app,
            form_post(
                &s,
                "/checkin/answer",
                &format!("intake={intake}&skipped=&{answer}&action=answer"),
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{answer}");
        assert!(r.body.contains(fragment), "{answer}: no {fragment:?}");
        assert!(r.body.contains("class=\"field-error\""), "{answer}");
    }
    let tampered = submit(
        &app,
        form_post(
            &s,
            "/checkin/answer",
            "intake=%7B%22wher%22%3A1%7D&field=pain&value=3",
        ),
    )
    .await;
    assert_eq!(tampered.status, StatusCode::BAD_REQUEST);
}

/// "None of these" answers the medicines question with an empty list, so that a runner on no
/// medicines is not left with an open safety question; beside a medicine it is an error.
#[tokio::test]
async fn none_of_these_medicines_is_an_answer() {
    let app = app(AppState::in_memory().unwrap());
    let s = session(&app).await;
    let intake = enc(r#"{"where":["side_of_hip"],"onset":"gradual_weeks"}"#);
    let answer =
        |value: &str| format!("intake={intake}&skipped=&field=medications&{value}&action=answer");
    let r = submit(
        &app,
        form_post(&s, "/checkin/answer", &answer("value=none")),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let next = hidden(&r.body, "intake");
    assert!(next.contains(r#""medications":[]"#), "{next}");
    assert_ne!(hidden(&r.body, "field"), "medications", "asked again");
    let both = submit(
        &app,
        form_post(&s, "/checkin/answer", &answer("value=none&value=statin")),
    )
    .await;
    assert_eq!(both.status, StatusCode::BAD_REQUEST);
    assert!(both.body.contains("cannot go with"), "{}", both.body);
}

/// A red-flag tick the engine asks in a checklist is asked on the web one at a time: pain that
/// crept up over weeks at the outside of the hip asks the limp in place of "can you stand and walk
/// on the leg?" (issue 13), and a limp brings that question next.
#[tokio::test]
async fn the_limp_that_stands_in_for_standing_is_asked_on_the_web() {
    let app = app(AppState::in_memory().unwrap());
    let s = session(&app).await;
    // As after the safety page: every sign of the screen answered.
    let intake = enc(&after_the_safety_page(
        r#""where":["side_of_hip"],"onset":"gradual_weeks""#,
    ));
    let r = submit(
        &app,
        form_post(
            &s,
            "/checkin/answer",
            &format!("intake={intake}&skipped=&field=medications&value=none&action=answer"),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // The limp is an item of the next checklist page.
    let list = hidden(&r.body, "list");
    assert!(list.split(',').any(|f| f == "limping"), "{}", r.body);
    let r = answer_checklist(&app, &s, &hidden(&r.body, "intake"), &list, "tick=limping").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(hidden(&r.body, "field"), "can_bear_weight", "{}", r.body);
}

/// An intake of `known` (JSON members) with every sign of the safety page answered no, as the
/// web's safety page leaves it.
fn after_the_safety_page(known: &str) -> String {
    let screen: Vec<String> = runsore_app::safety_fields()
        .iter()
        .map(|f| format!(r#""{f}":false"#))
        .collect();
    format!("{{{known},{}}}", screen.join(","))
}

/// Posts a checklist page's answers (`answers`: its `tick=` and `unsure=` pairs) for the flow at
/// `intake`, as the page's form does.
async fn answer_checklist(
    app: &Router,
    s: &Session,
    intake: &str,
    list: &str,
    answers: &str,
) -> Reply {
    let field = list.split(',').next().unwrap_or_default();
    submit(
        app,
        form_post(
            s,
            "/checkin/answer",
            &format!(
                "intake={}&skipped=&field={field}&list={}&{answers}&action=answer",
                enc(intake),
                enc(list)
            ),
        ),
    )
    .await
}

/// A checklist question is one page of ticks on the web, as in the CLI: each item ticked is a
/// yes, each marked "not sure" goes to the intake's `not_sure` list, every other item is a no;
/// "Previous" undoes the whole page; an item that is not on the page is refused.
#[tokio::test]
async fn a_checklist_is_one_page_of_ticks() {
    let app = app(AppState::in_memory().unwrap());
    let s = session(&app).await;
    let start = after_the_safety_page(r#""where":["buttock"],"onset":"next_day""#);
    let page = get(
        &app,
        &format!("/checkin/question?intake={}&skipped=", enc(&start)),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let list = hidden(&page.body, "list");
    let items: Vec<&str> = list.split(',').collect();
    assert!(items.len() >= 2, "{list}");
    for item in &items {
        assert!(
            page.body.contains(&format!("id=\"tick-{item}\"")),
            "{}",
            page.body
        );
        assert!(
            page.body.contains(&format!("id=\"unsure-{item}\"")),
            "{}",
            page.body
        );
    }
    let (yes, unsure) = (items[0], items[1]);
    let r = answer_checklist(
        &app,
        &s,
        &start,
        &list,
        &format!("tick={yes}&unsure={unsure}"),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let answered: serde_json::Value = serde_json::from_str(&hidden(&r.body, "intake")).unwrap();
    assert_eq!(answered.pointer(&format!("/{yes}")), Some(&true.into()));
    assert_eq!(answered.get(unsure), None, "{answered}");
    assert_eq!(answered["not_sure"], serde_json::json!([unsure]));
    for no in &items[2..] {
        assert_eq!(
            answered.pointer(&format!("/{}", no.replace('.', "/"))),
            Some(&false.into()),
            "{no}"
        );
    }
    // The page is not asked again, and "Previous" brings all of it back.
    assert_ne!(hidden_opt(&r.body, "list").as_deref(), Some(list.as_str()));
    let previous = r
        .body
        .split("id=\"previous\"")
        .next()
        .and_then(|b| b.rsplit("href=\"").next())
        .and_then(|h| h.split('"').next())
        .expect("a Previous link")
        .replace("&amp;", "&");
    let back = get(&app, &previous).await;
    assert_eq!(hidden(&back.body, "list"), list, "{}", back.body);
    let again: serde_json::Value = serde_json::from_str(&hidden(&back.body, "intake")).unwrap();
    assert_eq!(again.get(yes), None);
    assert!(
        again["not_sure"].as_array().is_none_or(|a| a.is_empty()),
        "{again}"
    );
    // An item not on the page is refused, naming it.
    let r = answer_checklist(&app, &s, &start, &list, "tick=saddle_numbness").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert!(r.body.contains("saddle_numbness"), "{}", r.body);
}

/// The web's follow-up asks again every red flag that is not on the checklist, as
/// `runsore check --follow-up` does: "can you stand and walk on the leg?" answered no at a
/// follow-up makes it at least urgent, and left unanswered stays unknown (never carried over
/// from the first check-in's yes).
#[tokio::test]
async fn followup_asks_can_bear_weight_again() {
    let app = app(AppState::in_memory().unwrap());
    let id = saved(
        &app,
        r#"{"where":["buttock"],"pain":4,"onset":"next_day","hours_since_run":24,"can_bear_weight":true}"#,
    )
    .await;
    let again = runsore_app::asked_again();
    let bears = again
        .iter()
        .find(|a| a.field == "can_bear_weight")
        .expect("asked again");
    let page = get(&app, &format!("/history/{id}")).await;
    assert!(page.body.contains(bears.question), "{}", page.body);
    assert!(
        page.body.contains("name=\"can_bear_weight\" value=\"no\""),
        "{}",
        page.body
    );
    let s = session(&app).await;
    let bad = follow_up_form(&app, &s, id, "trend=same&pain=4&can_bear_weight=maybe").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.body);
    let unanswered = follow_up_form(&app, &s, id, "trend=same&pain=4").await;
    assert_eq!(
        unanswered.status,
        StatusCode::SEE_OTHER,
        "{}",
        unanswered.body
    );
    let cannot = follow_up_form(&app, &s, id, "trend=same&pain=4&can_bear_weight=no").await;
    assert_eq!(cannot.status, StatusCode::SEE_OTHER, "{}", cannot.body);
    let list = get(&app, "/api/checkins").await.json();
    let followups: Vec<Value> = list["checkins"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "follow_up")
        .cloned()
        .collect();
    assert_eq!(followups.len(), 2, "{list}");
    // Newest first: the follow-up that could not bear weight, then the unanswered one.
    assert!(
        ["urgent", "emergency"].contains(&followups[0]["result"]["triage"].as_str().unwrap()),
        "{}",
        followups[0]["result"]
    );
    assert_eq!(followups[0]["intake"]["can_bear_weight"], false);
    assert!(
        followups[1]["intake"].get("can_bear_weight").is_none(),
        "never carried: {}",
        followups[1]["intake"]
    );
}

#[tokio::test]
async fn followup_is_validated_and_recorded() {
    let app = app(AppState::in_memory().unwrap());
    let id = saved(
        &app,
        r#"{"where":["buttock"],"pain":5,"onset":"next_day","hours_since_run":24}"#,
    )
    .await;
    // A second check-in in the same episode: a follow-up of the first must still be saved on
    // the first, not on the latest.
    let second_id = saved(&app, r#"{"where":["buttock"],"pain":4}"#).await;
    assert_ne!(id, second_id);
    let s = session(&app).await;
    let bad = follow_up_form(&app, &s, id, "trend=better&pain=eleven").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("whole number from 0 to 10"));
    let no_trend = follow_up_form(&app, &s, id, "pain=3").await;
    assert_eq!(no_trend.status, StatusCode::BAD_REQUEST);
    let ok = follow_up_form(&app, &s, id, "trend=better&pain=3").await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let list = get(&app, "/api/checkins").await.json();
    let followed = listed(&list, id);
    assert_eq!(followed["followups"][0]["pain"].as_u64(), Some(3), "{list}");
    assert_eq!(followed["followups"][0]["status"], "on_course", "{list}");
    assert!(
        listed(&list, second_id)["followups"]
            .as_array()
            .unwrap()
            .is_empty(),
        "{list}"
    );
    let page = get(&app, &format!("/history/{id}")).await;
    assert!(page.body.contains("class=\"recovery\""), "{}", page.body);
    let missing = send(
        &app,
        form_post(&s, "/history/999/followup", "trend=same&pain=3"),
    )
    .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);

    // The same through the API.
    let cases: &[(&str, StatusCode, Option<&str>)] = &[
        (r#"{"trend":"same","pain":2}"#, StatusCode::CREATED, None),
        (r#"{"pain":2}"#, StatusCode::BAD_REQUEST, Some("trend")),
        (
            r#"{"trend":"same","pain":11}"#,
            StatusCode::BAD_REQUEST,
            Some("pain"),
        ),
        (r#"{"pian":2}"#, StatusCode::BAD_REQUEST, Some("pian")),
        (r#"{"pain":"2"#, StatusCode::BAD_REQUEST, None),
    ];
    for (body, status, field) in cases {
        let r = send(
            &app,
            json_post(&format!("/api/checkins/{second_id}/followups"), body),
        )
        .await;
        assert_eq!(r.status, *status, "{body}: {}", r.body);
        if let Some(field) = field {
            assert_eq!(
                r.json()["field"].as_str(),
                Some(*field),
                "{body}: {}",
                r.body
            );
        }
    }
    let r = send(
        &app,
        json_post("/api/checkins/999/followups", r#"{"trend":"same"}"#),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let list = get(&app, "/api/checkins").await.json();
    assert_eq!(
        listed(&list, second_id)["followups"][0]["pain"].as_u64(),
        Some(2),
        "{list}"
    );
    // A danger sign at a follow-up wins over any course.
    let flag = send(
        &app,
        json_post(
            &format!("/api/checkins/{id}/followups"),
            r#"{"trend":"better","pain":2,"can_bear_weight":false}"#,
        ),
    )
    .await;
    assert_eq!(flag.status, StatusCode::CREATED, "{}", flag.body);
    let level = flag.json()["triage"].as_str().unwrap().to_string();
    assert!(
        ["urgent", "emergency"].contains(&level.as_str()),
        "{}",
        flag.body
    );
    // Gone: the episode closes, and a later follow-up of it is refused.
    let gone = send(
        &app,
        json_post(
            &format!("/api/checkins/{id}/followups"),
            r#"{"trend":"gone","pain":0,"can_bear_weight":true}"#,
        ),
    )
    .await;
    assert_eq!(gone.status, StatusCode::CREATED, "{}", gone.body);
    assert_eq!(
        gone.json()["follow_up"]["status"],
        "resolved",
        "{}",
        gone.body
    );
    let after = send(
        &app,
        json_post(
            &format!("/api/checkins/{id}/followups"),
            r#"{"trend":"same","pain":1}"#,
        ),
    )
    .await;
    assert_eq!(after.status, StatusCode::BAD_REQUEST, "{}", after.body);
}

#[tokio::test]
async fn uploads_are_limited_checked_and_imported() {
    let app = app(state_with(Options {
        upload_limit: 1024 * 1024,
        ..Options::default()
    }));
    let s = session(&app).await;

    // Too large: 413 with a message, as JSON from the API and as a page from the form.
    let big = vec![0u8; 2 * 1024 * 1024];
    let r = send(
        &app,
        multipart_post(
            "/api/import",
            None,
            multipart("XBOUNDARYX", &[("file", Some("big.fit"), &big)]),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.body);
    assert!(
        r.json()["error"]
            .as_str()
            .unwrap()
            .contains("larger than the limit")
    );
    let r = send(
        &app,
        Request::post("/api/import?name=big.fit")
            .header(header::CONTENT_TYPE, "application/octet-stream")
            .body(Body::from(big.clone()))
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.body);
    let r = send(
        &app,
        multipart_post(
            "/runs/upload",
            Some(&s.cookie),
            multipart(
                "XBOUNDARYX",
                &[
                    ("csrf", None, s.token.as_bytes()),
                    ("file", Some("big.fit"), &big),
                ],
            ),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.body.contains("larger than the limit"));

    // Corrupt: 400 naming the file.
    let r = send(
        &app,
        multipart_post(
            "/api/import",
            None,
            multipart(
                "XBOUNDARYX",
                &[("file", Some("broken.fit"), b"this is not a FIT file at all")],
            ),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    let v = r.json();
    assert!(v["error"].as_str().unwrap().contains("broken.fit"), "{v}");
    assert_eq!(v["field"].as_str(), Some("file"));

    // The same through the page's form: the message sits beside the file field.
    let r = send(
        &app,
        multipart_post(
            "/runs/upload",
            Some(&s.cookie),
            multipart(
                "XBOUNDARYX",
                &[
                    ("csrf", None, s.token.as_bytes()),
                    ("file", Some("broken.fit"), b"this is not a FIT file at all"),
                ],
            ),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body.contains("id=\"file-error\"") && r.body.contains("broken.fit"),
        "{}",
        r.body
    );
    assert!(!r.body.contains("imported"), "no empty summary: {}", r.body);

    // No CSRF token on the form upload: refused.
    let r = send(
        &app,
        multipart_post(
            "/runs/upload",
            Some(&s.cookie),
            multipart("XBOUNDARYX", &[("file", Some("run.fit"), FIT)]),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // Nothing chosen: the message sits beside the file field.
    let r = send(
        &app,
        multipart_post(
            "/runs/upload",
            Some(&s.cookie),
            multipart("XBOUNDARYX", &[("csrf", None, s.token.as_bytes())]),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("choose at least one file"));

    // A real FIT file goes in once, then is a duplicate.
    let r = send(
        &app,
        multipart_post(
            "/runs/upload",
            Some(&s.cookie),
            multipart(
                "XBOUNDARYX",
                &[
                    ("csrf", None, s.token.as_bytes()),
                    ("file", Some("run.fit"), FIT),
                ],
            ),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("1 run imported"), "{}", r.body);
    let r = send(
        &app,
        Request::post("/api/import?name=run.fit")
            .header(header::CONTENT_TYPE, "application/octet-stream")
            .body(Body::from(FIT))
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["outcome"]["duplicates"].as_u64(), Some(1));
    let runs = get(&app, "/api/runs").await.json();
    assert_eq!(runs["runs"].as_array().map(Vec::len), Some(1), "{runs}");
    assert_eq!(runs["total"].as_u64(), Some(1), "{runs}");
    assert!(
        runs["runs"][0]["distance_km"].as_f64().unwrap_or_default() > 0.5,
        "{runs}"
    );
    let page = get(&app, "/runs").await;
    assert!(page.body.contains("<table"), "runs page lists the run");
    let api = get(&app, "/api/training").await.json();
    assert!(
        api["weeks"]
            .as_array()
            .is_some_and(|w| w.iter().any(|w| w["distance_km"].as_f64() > Some(5.0))),
        "{api}"
    );
    assert_eq!(api["report"]["activities"].as_u64(), Some(1), "{api}");
    let training = get(&app, "/training").await;
    assert!(
        training.body.contains("Weekly distance"),
        "{}",
        training.body
    );
}

#[tokio::test]
async fn an_access_token_guards_every_request() {
    let token = "correct-horse-battery-staple";
    let app = app(state_with(Options {
        access_token: Some(token.into()),
        ..Options::default()
    }));
    assert_eq!(get(&app, "/").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        get(&app, "/api/runs").await.json()["error"]
            .as_str()
            .map(|e| e.contains("token")),
        Some(true)
    );
    assert_eq!(
        get(&app, "/?token=wrong").await.status,
        StatusCode::UNAUTHORIZED
    );
    let r = get(&app, &format!("/?token={token}")).await;
    assert_eq!(r.status, StatusCode::OK);
    let cookie = r
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("rs_token="))
        .expect("token cookie")
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let with_cookie = Request::get("/runs")
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&app, with_cookie).await.status, StatusCode::OK);
    let bearer = Request::get("/api/runs")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&app, bearer).await.status, StatusCode::OK);
}

#[tokio::test]
async fn serve_refuses_a_public_address_without_flag_and_token() {
    let cases = [
        (false, None, "explicit flag"),
        (true, None, "access token"),
        (true, Some("short"), "access token"),
    ];
    for (allow_remote, token, fragment) in cases {
        let config = runsore_web::Config {
            addr: "0.0.0.0".parse().unwrap(),
            port: 0,
            allow_remote,
            access_token: token.map(str::to_owned),
            ..runsore_web::Config::default()
        };
        let err = runsore_web::serve(config).await.expect_err("must refuse");
        assert!(err.to_string().contains(fragment), "{err}");
    }
}

#[tokio::test]
async fn an_export_archive_imports_its_good_files_and_names_the_bad() {
    use std::io::Write;
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default();
        zip.start_file("export/activities/run.fit", opts).unwrap();
        zip.write_all(FIT).unwrap();
        zip.start_file("export/activities/bad.fit", opts).unwrap();
        zip.write_all(b"not a fit file").unwrap();
        zip.finish().unwrap();
    }
    let app = app(AppState::in_memory().unwrap());
    let body = multipart("XBOUNDARYX", &[("file", Some("export.zip"), buf.get_ref())]);
    let r = send(&app, multipart_post("/api/import", None, body)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = r.json();
    assert_eq!(v["outcome"]["imported"].as_u64(), Some(1), "{v}");
    let skipped = v["outcome"]["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1, "{v}");
    assert!(
        skipped[0]["name"].as_str().unwrap().contains("bad.fit"),
        "{v}"
    );
    assert!(
        !r.body.contains("/tmp"),
        "no temporary path leaks: {}",
        r.body
    );

    let r = send(
        &app,
        Request::post("/api/import?name=broken.zip")
            .header(header::CONTENT_TYPE, "application/octet-stream")
            .body(Body::from(b"PK\x03\x04 truncated".to_vec()))
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert!(
        r.json()["error"].as_str().unwrap().contains("broken.zip"),
        "{}",
        r.body
    );
    assert!(!r.body.contains("/tmp"), "{}", r.body);
}

#[tokio::test]
async fn the_body_map_works_without_javascript() {
    let app = app(AppState::in_memory().unwrap());
    let r = get(&app, "/checkin?where=buttock&where=sit_bone").await;
    for region in ["buttock", "sit_bone"] {
        assert!(
            r.body.contains(&format!("id=\"where-{region}\" checked")),
            "{region} not ticked"
        );
    }
    assert!(!r.body.contains("id=\"where-groin\" checked"));
    // Each shape is a link that toggles its spot, so it works by keyboard and without script;
    // tapping one marked buttock unmarks that side only (issue 15: one buttock, one side).
    assert!(
        r.body
            .contains("href=\"/checkin?where=sit_bone&amp;spot=buttock%3Aright#map\""),
        "clicking the left buttock again unticks that side: {}",
        r.body
    );
}

#[tokio::test]
async fn an_oversized_form_is_refused_with_its_limit() {
    let app = app(AppState::in_memory().unwrap());
    let s = session(&app).await;
    let body = format!("where=buttock&story={}", "a".repeat(70 * 1024));
    let r = submit(&app, form_post(&s, "/checkin", &body)).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.body.contains("limit of 64 KB"), "{}", r.body);
}

#[tokio::test]
async fn the_result_can_be_asked_for_early_and_the_questions_resumed() {
    let app = app(AppState::in_memory().unwrap());
    let s = session(&app).await;
    let intake = enc(r#"{"where":["buttock"],"onset":"next_day"}"#);
    for (uri, extra) in [
        ("/checkin/finish", ""),
        ("/checkin/answer", "&action=finish&field=pain"),
    ] {
        let r = send(&app, form_post(&s, uri, &format!("intake={intake}{extra}"))).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{uri}: {}", r.body);
        let result = get(&app, r.headers[header::LOCATION].to_str().unwrap()).await;
        assert!(result.body.contains("id=\"triage\""), "{uri}");
        // The engine still has questions for so little: the result offers to go on.
        assert!(
            result.body.contains("value=\"continue\""),
            "{uri}: no way to answer more"
        );
    }
    let r = submit(
        &app,
        form_post(
            &s,
            "/checkin/answer",
            &format!("intake={intake}&skipped=&action=continue"),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("id=\"question-form\""), "{}", r.body);
}

/// Issue 13 item 2: a danger sign read from the runner's words is asked back ("You mentioned
/// ..."), never ticked for them nor taken as an answer; confirmed, it wins.
#[tokio::test]
async fn a_danger_sign_in_the_runners_words_is_asked_back_not_ticked() {
    let app = app(AppState::in_memory().unwrap());
    let s = session(&app).await;
    let story = enc("Sore buttock after my long run. Numbness in the saddle area.");
    let r = submit(
        &app,
        form_post(&s, "/checkin", &format!("where=buttock&story={story}")),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body.contains("You mentioned these warning signs"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("name=\"confirm-saddle_numbness\""),
        "{}",
        r.body
    );
    assert!(!r.body.contains("checked") || !r.body.contains("value=\"yes\" checked"));
    // Not taken as an answer, and not in the general list a second time.
    let intake = hidden(&r.body, "intake");
    assert!(!intake.contains("saddle_numbness"), "{intake}");
    assert!(!r.body.contains("id=\"flag-saddle_numbness\""));
    let carried = |body: &str| -> String {
        ["key", "story", "mentioned", "intake"]
            .iter()
            .map(|k| format!("{k}={}", enc(&hidden(body, k))))
            .collect::<Vec<_>>()
            .join("&")
    };
    // Confirmed: the emergency result.
    let yes = send(
        &app,
        form_post(
            &s,
            "/checkin/flags",
            &format!("{}&confirm-saddle_numbness=yes", carried(&r.body)),
        ),
    )
    .await;
    assert_eq!(yes.status, StatusCode::SEE_OTHER, "{}", yes.body);
    let result = get(&app, yes.headers[header::LOCATION].to_str().unwrap()).await;
    assert!(result.body.contains("data-level=\"emergency\""));
    // The story is stored with the check-in and shown with it.
    assert!(
        result.body.contains("Numbness in the saddle area."),
        "{}",
        result.body
    );
    // Denied: no emergency from the words alone.
    let fresh = submit(
        &app,
        form_post(&s, "/checkin", &format!("where=buttock&story={story}")),
    )
    .await;
    let no = send(
        &app,
        form_post(
            &s,
            "/checkin/flags",
            &format!("{}&confirm-saddle_numbness=no", carried(&fresh.body)),
        ),
    )
    .await;
    let location = no.headers[header::LOCATION].to_str().unwrap().to_string();
    assert!(location.starts_with("/checkin/question"), "{location}");
}

/// Issue 15: the understood box is in plain words, and an item unticked there is taken out of
/// the answers (the questions ask it instead).
#[tokio::test]
async fn the_understood_box_reads_plainly_and_corrects() {
    let app = app(AppState::in_memory().unwrap());
    let s = session(&app).await;
    let story = enc("Ran 18 km yesterday, my glutes are stiff today. It was hot.");
    let r = submit(&app, form_post(&s, "/checkin", &format!("story={story}"))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Run distance: 18 km"), "{}", r.body);
    assert!(!r.body.contains("run distance km"), "{}", r.body);
    let intake = hidden(&r.body, "intake");
    assert!(intake.contains("distance_km"), "{intake}");
    let key = hidden(&r.body, "key");
    // Keep everything but the distance.
    let keep: Vec<String> = r
        .body
        .split("name=\"keep\" value=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|f| *f != "run.distance_km")
        .map(|f| format!("keep={}", enc(f)))
        .collect();
    assert!(!keep.is_empty());
    let next = send(
        &app,
        form_post(
            &s,
            "/checkin/flags",
            &format!(
                "key={key}&story={story}&intake={}&understood=1&{}",
                enc(&intake),
                keep.join("&")
            ),
        ),
    )
    .await;
    assert_eq!(next.status, StatusCode::SEE_OTHER, "{}", next.body);
    let location = next.headers[header::LOCATION].to_str().unwrap().to_string();
    let page = get(&app, &location).await;
    let carried = hidden(&page.body, "intake");
    assert!(!carried.contains("distance_km"), "{carried}");
    assert!(carried.contains("where"), "{carried}");
}

/// Issue 15: every step of the check-in is a page read with GET (the back button never asks to
/// resubmit a form), "Previous" undoes the last answer, and the same check-in sent twice is
/// stored once.
#[tokio::test]
async fn checkin_steps_redirect_go_back_and_are_stored_once() {
    let app = app(AppState::in_memory().unwrap());
    let s = session(&app).await;
    let first = send(&app, form_post(&s, "/checkin", "where=buttock")).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.body);
    let flags_url = first.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string();
    assert!(flags_url.starts_with("/checkin/flags?"), "{flags_url}");
    let flags = submit(&app, form_post(&s, "/checkin", "where=buttock")).await;
    let carried = |body: &str, keys: &[&str]| -> String {
        keys.iter()
            .filter(|k| body.contains(&format!("name=\"{k}\" value=\"")))
            .map(|k| format!("{k}={}", enc(&hidden(body, k))))
            .collect::<Vec<_>>()
            .join("&")
    };
    let all = ["key", "where", "intake", "before", "skipped", "trail"];
    let q1 = submit(
        &app,
        form_post(&s, "/checkin/flags", &carried(&flags.body, &all)),
    )
    .await;
    assert_eq!(q1.status, StatusCode::OK, "{}", q1.body);
    assert!(q1.body.contains("Question 1"), "{}", q1.body);
    // Previous from question 1 is the safety screen; from the screen, the map.
    let prev = q1.body.split("id=\"previous\"").next().unwrap();
    assert!(prev.contains("href=\"/checkin/flags?"), "{}", q1.body);
    let field = hidden(&q1.body, "field");
    let q2 = submit(
        &app,
        form_post(
            &s,
            "/checkin/answer",
            &format!("{}&field={field}&action=skip", carried(&q1.body, &all)),
        ),
    )
    .await;
    assert!(q2.body.contains("Question 2"), "{}", q2.body);
    let back = q2
        .body
        .split("rel=\"prev\"")
        .next()
        .and_then(|b| b.rsplit("href=\"").next())
        .and_then(|h| h.split('"').next())
        .unwrap()
        .replace("&amp;", "&");
    let again = get(&app, &back).await;
    assert!(again.body.contains("Question 1"), "{}", again.body);
    assert_eq!(hidden(&again.body, "field"), field);
    // The same flow finished twice: one check-in, the same result.
    let finish = format!("{}&action=finish", carried(&q2.body, &all));
    let a = send(&app, form_post(&s, "/checkin/answer", &finish)).await;
    let b = send(&app, form_post(&s, "/checkin/answer", &finish)).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(a.headers[header::LOCATION], b.headers[header::LOCATION]);
    let list = get(&app, "/api/checkins").await.json();
    assert_eq!(list["checkins"].as_array().unwrap().len(), 1, "{list}");
    // Back on a step of a saved check-in, the page says so.
    let revisit = get(&app, &back).await;
    assert!(
        revisit.body.contains("id=\"already-saved\""),
        "{}",
        revisit.body
    );
}

/// Issue 15: an emergency result offers a call, not a follow-up on a later day; a saved
/// follow-up lands on the follow-up section; pages carry a skip link and an icon; the question
/// page says how many questions there are, about.
#[tokio::test]
async fn issue_15_emergency_calls_followups_stay_in_view_skip_links_and_progress() {
    let app = app(AppState::in_memory().unwrap());
    let id = saved(
        &app,
        r#"{"where":["buttock"],"dark_urine":true,"onset":"next_day"}"#,
    )
    .await;
    let page = get(&app, &format!("/history/{id}")).await.body;
    assert!(page.contains("href=\"tel:112\""), "{page}");
    assert!(!page.contains("Record your pain on a later day"), "{page}");
    assert!(!page.contains("Record how it is on a later day"), "{page}");
    let home = get(&app, "/").await.body;
    assert!(!home.contains("record how it is going"), "{home}");
    assert!(!page.contains(&format!("/history/{id}/followup")), "{page}");

    let id = saved(&app, r#"{"where":["buttock"],"pain":5}"#).await;
    let page = get(&app, &format!("/history/{id}")).await.body;
    assert!(!page.contains("href=\"tel:112\""));
    assert!(page.contains("id=\"followup\""), "{page}");
    // Causes that round to 0 % are not listed.
    assert!(page.contains("class=\"prob\""), "{page}");
    assert!(!page.contains("<span class=\"prob\">0%</span>"), "{page}");
    let s = session(&app).await;
    let ok = follow_up_form(&app, &s, id, "trend=better&pain=3").await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert_eq!(
        ok.headers.get("location").unwrap(),
        &format!("/history/{id}#followup")
    );

    let start = get(&app, "/checkin").await.body;
    assert!(start.contains("class=\"skip\" href=\"#main\""), "{start}");
    assert!(start.contains("href=\"#regions\""), "{start}");
    assert!(start.contains("rel=\"icon\""), "{start}");

    let s = session(&app).await;
    let first = submit(&app, form_post(&s, "/checkin", "where=buttock")).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert!(first.body.contains("id=\"flags-form\""), "{}", first.body);
    // Only the place known: several questions are still worth asking (with the onset too, the
    // engine's stopping rule leaves a single one, and there is no "of about" to show).
    let intake = r#"{"where":["buttock"]}"#;
    let body = format!("intake={}&skipped=", urlencode(intake));
    let q = submit(&app, form_post(&s, "/checkin/flags", &body)).await;
    assert_eq!(q.status, StatusCode::OK, "{}", q.body);
    assert!(q.body.contains("Question 1 of about "), "{}", q.body);
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Issue 15: the course chart's "now" follows the days since the pain began when the hours since
/// the run are not given (day 3 was drawn at day 1).
#[tokio::test]
async fn course_chart_now_uses_days_since_onset() {
    let app = app(AppState::in_memory().unwrap());
    let now_x = |body: &str| -> f64 {
        let at = body.find("<line class=\"now\" x1=\"").expect("a now line") + 22;
        body[at..].split('"').next().unwrap().parse().unwrap()
    };
    let mut xs = Vec::new();
    for days in [0, 3] {
        let intake = format!(
            r#"{{"where":["buttock"],"onset":"next_day","pain":4,"days_since_onset":{days}}}"#
        );
        let id = saved(&app, &intake).await;
        let page = get(&app, &format!("/history/{id}")).await.body;
        xs.push(now_x(&page));
    }
    assert!(
        xs[1] > xs[0] + 20.0,
        "day 3 is drawn later than day 0: {xs:?}"
    );
}

/// Issue 15 and the intake contract: a result resting on unanswered safety questions leads with
/// "not enough to go on yet", never with "look after it yourself".
#[tokio::test]
async fn a_result_with_safety_questions_unanswered_is_not_reassurance() {
    let app = app(AppState::in_memory().unwrap());
    let id = saved(&app, r#"{"where":["buttock"]}"#).await;
    let page = get(&app, &format!("/history/{id}")).await.body;
    assert!(page.contains("Not enough to go on yet"), "{page}");
    assert!(!page.contains("Look after it yourself"), "{page}");
    // The knowledge base's words, the same the CLI shows, and the headline said once.
    let kb = runsore_triage::knowledge();
    assert!(page.contains(&kb.safety_until), "{page}");
    assert_eq!(
        page.matches(kb.safety_headline.as_str()).count(),
        1,
        "{page}"
    );
}

/// Fever ticked on the safety screen ends at least urgent (contract version 2): the web form
/// passes the knowledge base's red flags through.
#[tokio::test]
async fn fever_on_the_safety_screen_is_at_least_urgent() {
    let app = app(AppState::in_memory().unwrap());
    let s = session(&app).await;
    let intake = enc(r#"{"where":["buttock"]}"#);
    let r = submit(
        &app,
        form_post(&s, "/checkin/flags", &format!("intake={intake}&flag=fever")),
    )
    .await;
    let location = if r.status == StatusCode::SEE_OTHER {
        r.headers[header::LOCATION].to_str().unwrap().to_string()
    } else {
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let carried = enc(&hidden(&r.body, "intake"));
        let done = submit(
            &app,
            form_post(
                &s,
                "/checkin/answer",
                &format!("intake={carried}&skipped=&action=finish"),
            ),
        )
        .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        done.headers[header::LOCATION].to_str().unwrap().to_string()
    };
    let result = get(&app, &location).await;
    assert!(
        result.body.contains("data-level=\"urgent\"")
            || result.body.contains("data-level=\"emergency\""),
        "{}",
        result.body
    );
    let api = send(
        &app,
        json_post("/api/assess", r#"{"where":["buttock"],"fever":true}"#),
    )
    .await;
    let level = api.json()["triage"].as_str().unwrap().to_string();
    assert!(["urgent", "emergency"].contains(&level.as_str()), "{level}");
}

/// A GPX run of `km` km at 5:00 /km starting at `start` (an RFC 3339 time), on a straight line.
fn gpx_run(start: &str, km: f64) -> Vec<u8> {
    let t0 =
        time::OffsetDateTime::parse(start, &time::format_description::well_known::Rfc3339).unwrap();
    let points = (km * 10.0) as usize;
    let mut trk = String::new();
    for i in 0..=points {
        // 100 m north per point, every 30 s.
        let lat = 51.0 + i as f64 * 0.000_899;
        let t = t0 + time::Duration::seconds(30 * i as i64);
        let t = t
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap();
        trk.push_str(&format!(
            r#"<trkpt lat="{lat:.6}" lon="0.0"><ele>10</ele><time>{t}</time></trkpt>"#
        ));
    }
    format!(
        r#"<?xml version="1.0"?><gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1"><trk><type>running</type><trkseg>{trk}</trkseg></trk></gpx>"#
    )
    .into_bytes()
}

/// Issue 15: the training page follows the data (weeks before those shown are a link away, and
/// a range can be chosen), its axes step in round values, load units are explained; each run has
/// a page with its pace, and the runs list links to it.
#[tokio::test]
async fn training_pages_back_through_the_runs_and_each_run_has_a_page() {
    let app = app(AppState::in_memory().unwrap());
    for (name, start, km) in [
        ("old.gpx", "2025-01-05T08:00:00Z", 8.0),
        ("new.gpx", "2025-12-20T08:00:00Z", 10.0),
    ] {
        let r = send(
            &app,
            multipart_post(
                "/api/import",
                None,
                multipart("XBOUNDARYX", &[("file", Some(name), &gpx_run(start, km))]),
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{name}: {}", r.body);
    }
    // A ride, and a 10 m "run" of no time at all: neither counts as a run.
    let ride = String::from_utf8(gpx_run("2025-12-21T08:00:00Z", 30.0))
        .unwrap()
        .replace("<type>running</type>", "<type>cycling</type>")
        .into_bytes();
    let blip = br#"<?xml version="1.0"?><gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1"><trk><type>running</type><trkseg><trkpt lat="51.0" lon="0.0"><time>2025-12-22T08:00:00Z</time></trkpt><trkpt lat="51.00009" lon="0.0"><time>2025-12-22T08:00:00Z</time></trkpt></trkseg></trk></gpx>"#;
    for (name, bytes) in [("ride.gpx", ride), ("blip.gpx", blip.to_vec())] {
        let r = send(
            &app,
            multipart_post(
                "/api/import",
                None,
                multipart("XBOUNDARYX", &[("file", Some(name), &bytes)]),
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{name}: {}", r.body);
    }
    let home = get(&app, "/").await.body;
    assert!(
        home.contains("2 runs stored, and 2 other activities"),
        "{home}"
    );
    let page = get(&app, "/training").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("TRIMP units"), "{}", page.body);
    // The default 16 weeks do not reach back to January 2025: "Earlier" does.
    let earlier = page
        .body
        .split("rel=\"prev\" href=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or_else(|| panic!("no Earlier link: {}", page.body))
        .replace("&amp;", "&");
    assert!(earlier.starts_with("/training?weeks=16&end="), "{earlier}");
    let year = get(&app, "/training?weeks=52&end=2025-03-01").await;
    assert_eq!(year.status, StatusCode::OK);
    assert!(year.body.contains("week of 5 Jan: 8"), "{}", year.body);
    assert!(
        year.body.contains("rel=\"next\""),
        "a way back to the later weeks"
    );
    // Gridlines at round values only.
    for label in ["12</text>", "38</text>", "37.5</text>"] {
        assert!(!page.body.contains(label), "{label}");
    }
    let bad = get(&app, "/training?end=yesterday").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    // The runs list links every row to the run's page, which shows its pace.
    let runs = get(&app, "/runs").await.body;
    assert!(runs.contains("5:00 /km"), "{runs}");
    let links: Vec<&str> = runs
        .split("<a href=\"/runs/")
        .skip(1)
        .filter_map(|r| r.split('"').next())
        .collect();
    assert_eq!(links.len(), 4, "every row links to its run: {runs}");
    let mut paced = 0;
    for link in links {
        let one = get(&app, &format!("/runs/{link}")).await;
        assert_eq!(one.status, StatusCode::OK);
        assert!(one.body.contains("Distance"), "{}", one.body);
        paced += usize::from(one.body.contains("5:00 /km"));
    }
    assert_eq!(paced, 2, "the two runs show their pace; a ride has none");
    assert_eq!(get(&app, "/runs/99999").await.status, StatusCode::NOT_FOUND);
    assert_eq!(get(&app, "/runs/x").await.status, StatusCode::NOT_FOUND);
}

/// The longest story allowed, in letters that take several bytes, travels through every step's
/// address and comes back whole on the result.
#[tokio::test]
async fn the_longest_story_survives_the_redirects() {
    let app = app(AppState::in_memory().unwrap());
    let s = session(&app).await;
    let story: String = "Fessier très raide après la côte. "
        .chars()
        .cycle()
        .take(4000)
        .collect();
    let flags = submit(
        &app,
        form_post(
            &s,
            "/checkin",
            &format!("where=buttock&story={}", enc(&story)),
        ),
    )
    .await;
    assert_eq!(flags.status, StatusCode::OK, "{}", flags.body);
    assert_eq!(hidden(&flags.body, "story"), story);
    let done = send(
        &app,
        form_post(
            &s,
            "/checkin/finish",
            &format!(
                "key={}&story={}&intake={}",
                hidden(&flags.body, "key"),
                enc(&story),
                enc(&hidden(&flags.body, "intake"))
            ),
        ),
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let result = get(&app, done.headers[header::LOCATION].to_str().unwrap()).await;
    let start: String = story.chars().take(120).collect();
    assert!(result.body.contains(&start), "the story is shown");
}

/// The hidden inputs of a page's form (the flow it carries), the CSRF token left to `form_post`.
fn hidden_inputs(body: &str) -> Vec<(String, String)> {
    body.split("<input type=\"hidden\" name=\"")
        .skip(1)
        .filter_map(|rest| {
            let (name, rest) = rest.split_once('"')?;
            let value = rest.strip_prefix(" value=\"")?.split('"').next()?;
            let value = value
                .replace("&quot;", "\"")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&");
            (name != "csrf").then(|| (name.to_string(), value))
        })
        .collect()
}

/// Sends a page's form to `uri` as a browser does: the flow it carries (its hidden inputs) and
/// the runner's `answers` (`&name=value` pairs).
async fn send_page(app: &Router, s: &Session, uri: &str, page: &str, answers: &str) -> Reply {
    let carried: Vec<String> = hidden_inputs(page)
        .iter()
        .map(|(k, v)| format!("{k}={}", enc(v)))
        .collect();
    submit(
        app,
        form_post(s, uri, &format!("{}{answers}", carried.join("&"))),
    )
    .await
}

/// A field of a worked case by its dotted path.
fn case_value<'a>(case: &'a Value, field: &str) -> Option<&'a Value> {
    case.pointer(&format!("/{}", field.replace('.', "/")))
}

/// The simulated runner's answer to one item of a checklist: yes or no as the case says; an
/// item of the safety screen the case does not state is a no (a runner reading a list of danger
/// signs they do not have, as the web's safety page takes it); any other unstated item "not
/// sure".
fn tick_of(case: &Value, field: &str, safety_screen: bool) -> Option<bool> {
    match case_value(case, field) {
        Some(Value::Bool(b)) => Some(*b),
        _ if safety_screen => Some(false),
        _ => None,
    }
}

/// One worked case walked through the web's pages as a browser would, answering from the case:
/// the map (its places and when it started), the safety page (its signs), then one question a
/// page. The fields
/// asked, page by page, and the check-in's id.
async fn web_dialogue(app: &Router, s: &Session, case: &Value) -> (Vec<Vec<String>>, i64) {
    let places: Vec<String> = case["where"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(|p| format!("where={p}"))
                .collect()
        })
        .unwrap_or_default();
    // When it started is on the map's page, as `runsore check` asks it before the screen.
    let onset = case["onset"]
        .as_str()
        .map(|o| format!("&onset={o}"))
        .unwrap_or_default();
    let mut page = submit(
        app,
        form_post(
            s,
            "/checkin",
            &format!("{}&story={onset}", places.join("&")),
        ),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let signs: Vec<String> = page
        .body
        .split("id=\"flag-")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect();
    let ticked: String = signs
        .iter()
        .filter(|f| tick_of(case, f, true) == Some(true))
        .map(|f| format!("&flag={f}"))
        .collect();
    // The map's page asks when it started (left blank when the case does not say).
    let mut asked = vec![vec!["onset".to_string()]];
    asked.push(signs.clone());
    page = send_page(app, s, "/checkin/flags", &page.body, &ticked).await;
    while page.status == StatusCode::OK {
        assert!(asked.len() < 30, "no end: {asked:?}");
        let field = hidden(&page.body, "field");
        let answers = match hidden_opt(&page.body, "list") {
            Some(list) => {
                let items: Vec<String> = list.split(',').map(str::to_owned).collect();
                // The engine's safety screen in pages: the safety page is its first, the rest
                // comes as a question page with the screen's own question, answered as the safety
                // page is (a sign the case does not give is a "no", as the rule answers it).
                let safety = page
                    .body
                    .contains(runsore_triage::safety_checklist().text.as_str());
                let answers: String = items
                    .iter()
                    .map(|f| match tick_of(case, f, safety) {
                        Some(true) => format!("&tick={f}"),
                        Some(false) => String::new(),
                        None => format!("&unsure={f}"),
                    })
                    .collect();
                asked.push(items);
                format!("{answers}&action=answer")
            }
            None => {
                asked.push(vec![field.clone()]);
                match case_value(case, &field) {
                    None => "&action=skip".to_string(),
                    Some(Value::Bool(b)) => {
                        format!("&value={}&action=answer", if *b { "yes" } else { "no" })
                    }
                    Some(Value::Array(a)) if a.is_empty() => "&value=none&action=answer".into(),
                    Some(Value::Array(a)) => {
                        let values: String = a
                            .iter()
                            .filter_map(Value::as_str)
                            .map(|v| format!("&value={v}"))
                            .collect();
                        format!("{values}&action=answer")
                    }
                    Some(Value::String(v)) => format!("&value={v}&action=answer"),
                    Some(v) => format!("&value={v}&action=answer"),
                }
            }
        };
        page = send_page(app, s, "/checkin/answer", &page.body, &answers).await;
    }
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let location = page.headers[header::LOCATION].to_str().unwrap();
    let id = location
        .strip_prefix("/history/")
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("not a result: {location}"));
    (asked, id)
}

/// Writes `value` at a dotted path of an intake.
fn put(intake: &mut Value, field: &str, value: Value) {
    let mut node = intake;
    let mut parts = field.split('.').peekable();
    while let Some(part) = parts.next() {
        if parts.peek().is_none() {
            node[part] = value;
            return;
        }
        node = node
            .as_object_mut()
            .unwrap()
            .entry(part)
            .or_insert_with(|| serde_json::json!({}));
    }
}

/// The same case through `runsore_app::dialogue`, the rule `runsore check`'s prompts follow,
/// with the same answers: the places first (the web's map), then the rule's questions. The
/// fields asked, question by question, and the intake at the end.
fn rule_dialogue(case: &Value) -> (Vec<Vec<String>>, runsore_model::Intake) {
    use runsore_app::dialogue::{Progress, next_question};
    let mut intake = serde_json::json!({ "where": case["where"] });
    let (mut skipped, mut asked): (Vec<String>, Vec<Vec<String>>) = (Vec::new(), Vec::new());
    loop {
        let typed = runsore_triage::parse_intake(&intake.to_string())
            .unwrap_or_else(|e| panic!("{}: {e}: {intake}", case["id"]));
        let checked = runsore_app::checked(typed, runsore_model::DerivedEvidence::default());
        let progress = Progress {
            skipped: &skipped,
            asked: asked.len(),
            red_flags_only: false,
        };
        let Some(q) = next_question(&checked.assessment, &checked.intake, &progress) else {
            return (asked, checked.intake);
        };
        if q.fields.is_empty() {
            match case_value(case, &q.field) {
                Some(v) => put(&mut intake, &q.field, v.clone()),
                None => skipped.push(q.field.to_string()),
            }
            asked.push(vec![q.field.to_string()]);
        } else {
            for f in &q.fields {
                match tick_of(case, f, q.safety) {
                    Some(b) => put(&mut intake, f, b.into()),
                    None => {
                        let list = intake
                            .as_object_mut()
                            .unwrap()
                            .entry("not_sure")
                            .or_insert(serde_json::json!([]));
                        list.as_array_mut().unwrap().push(f.as_str().into());
                    }
                }
            }
            asked.push(q.fields.iter().map(ToString::to_string).collect());
        }
    }
}

/// The web's check-in dialogue is the CLI's (issue 11): each of the 86 worked cases, walked
/// through the web's pages answering from the case, asks the same fields as the one rule of
/// `runsore_app::dialogue` that `runsore check` asks by, and ends at the same intake and the
/// same result.
#[tokio::test]
async fn the_webs_dialogue_is_the_clis_on_every_worked_case() {
    let path = repo_file("crates/runsore-triage/tests/data/vignettes.json");
    let cases: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let app = app(AppState::in_memory().unwrap());
    let s = session(&app).await;
    let (mut compared, mut web_pages, mut rule_questions) = (0, 0, 0);
    for case in &cases {
        let id = &case["id"];
        let full = &case["intake"];
        if full.get("where").is_none() {
            continue; // the web starts from a place on the map or the runner's words
        }
        let (web_asked, checkin) = web_dialogue(&app, &s, full).await;
        let (rule_asked, rule_intake) = rule_dialogue(full);
        let sorted = |asked: &[Vec<String>]| {
            let mut all: Vec<String> = asked.iter().flatten().cloned().collect();
            all.sort();
            all.dedup();
            all
        };
        assert_eq!(
            sorted(&web_asked),
            sorted(&rule_asked),
            "{id}: the fields asked: web {web_asked:?}, rule {rule_asked:?}"
        );
        let entry = listed(&get(&app, "/api/checkins").await.json(), checkin);
        let normal = |i: &runsore_model::Intake| {
            let mut i = i.clone();
            i.not_sure.sort();
            serde_json::to_value(i).unwrap()
        };
        let web_intake: runsore_model::Intake =
            serde_json::from_value(entry["intake"].clone()).unwrap();
        assert_eq!(
            normal(&web_intake),
            normal(&rule_intake),
            "{id}: the intake"
        );
        let rule_result =
            runsore_app::checked(rule_intake, runsore_model::DerivedEvidence::default()).assessment;
        let rule_result = serde_json::to_value(&rule_result).unwrap();
        assert_eq!(
            entry["result"]["triage"], rule_result["triage"],
            "{id}: triage"
        );
        let ids = |v: &Value| -> Vec<Value> {
            v["conditions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["id"].clone())
                .collect()
        };
        assert_eq!(
            ids(&entry["result"]),
            ids(&rule_result),
            "{id}: the ranking"
        );
        compared += 1;
        web_pages += web_asked.len();
        rule_questions += rule_asked.len();
    }
    assert!(compared >= 80, "only {compared} cases compared");
    eprintln!("{compared} cases: {web_pages} web pages, {rule_questions} questions by the rule");
}
