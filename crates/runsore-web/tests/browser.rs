//! End-to-end tests in headless Chromium through chromedriver, as a new runner would use the app:
//! pick a region on the body map, answer the questions, read the result; upload a watch file and
//! find it in the runs list and the charts. Screenshots of the main pages at phone and desktop
//! width go to `$CARGO_TARGET_TMPDIR/screenshots`.
//!
//! Needs Debian's `chromium` and `chromium-driver`; without them the test prints a note and
//! returns (CI installs them).

use std::net::TcpListener as StdListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use runsore_web::{AppState, app};
use serde_json::json;

const WAIT: Duration = Duration::from_secs(15);

/// Kills chromedriver (and so its browsers) when the test ends, however it ends.
struct Driver {
    child: Child,
    port: u16,
    profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(name))
            .find(|p| p.is_file())
    })
}

fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

async fn start_driver() -> Option<Driver> {
    let driver = which("chromedriver")?;
    let port = free_port();
    let child = Command::new(driver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let d = Driver {
        child,
        port,
        profile: tempfile::tempdir().expect("a temp dir"),
    };
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return Some(d);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not start on port {port}");
}

/// A fresh Chromium session; `javascript: false` turns scripts off, as some runners' browsers do.
async fn browser(driver: &Driver, javascript: bool) -> Client {
    let profile = driver
        .profile
        .path()
        .join(if javascript { "js" } else { "nojs" });
    let binary = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|n| which(n))
        .expect("a chromium binary next to chromedriver");
    let caps = json!({
        "goog:chromeOptions": {
            "binary": binary,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--hide-scrollbars",
                format!("--user-data-dir={}", profile.display()),
            ],
            "prefs": { "profile.managed_default_content_settings.javascript": if javascript { 1 } else { 2 } }
        }
    });
    let serde_json::Value::Object(caps) = caps else {
        unreachable!()
    };
    // chromedriver listens on loopback over plain HTTP: no TLS stack is needed or linked. Its
    // port accepts connections before it can serve them: on a machine where Chromium has just
    // been installed (as `.ci/run` does), the first session request was once reset. A session
    // that fails to start is asked for again, a few times, before the test fails.
    let mut attempt = 0;
    loop {
        match ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{}", driver.port))
            .await
        {
            Ok(client) => return client,
            Err(e) if attempt < 4 => {
                eprintln!("a chromium session, attempt {}: {e}; again", attempt + 1);
                attempt += 1;
                tokio::time::sleep(Duration::from_millis(500 << attempt)).await;
            }
            Err(e) => panic!("a chromium session: {e:?}"),
        }
    }
}

async fn start_app() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let state = AppState::in_memory().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, app(state)).await.unwrap();
    });
    format!("http://{addr}")
}

fn shots_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Saves the page at phone (390 px) and desktop (1280 px) width, full height.
async fn screenshots(c: &Client, name: &str) {
    let _ = c
        .execute(
            "document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)",
            vec![],
        )
        .await;
    for (label, width) in [("phone", 390u32), ("desktop", 1280u32)] {
        c.set_window_size(width, 900).await.unwrap();
        let height = c
            .execute("return document.documentElement.scrollHeight", vec![])
            .await
            .ok()
            .and_then(|v| v.as_u64())
            .unwrap_or(900)
            .clamp(600, 4000) as u32;
        c.set_window_size(width, height + 120).await.unwrap();
        let png = c.screenshot().await.unwrap();
        std::fs::write(shots_dir().join(format!("{name}-{label}.png")), png).unwrap();
    }
    c.set_window_size(1280, 900).await.unwrap();
}

/// Waits for an element, tolerating the errors of a page that is still navigating.
async fn wait_for(c: &Client, css: &str) -> fantoccini::elements::Element {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        match c.find(Locator::Css(css)).await {
            Ok(e) => return e,
            Err(e) if tokio::time::Instant::now() > deadline => {
                panic!("no `{css}` within {WAIT:?}: {e}")
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}

/// Clicks a submit button and waits until its page has been replaced.
async fn submit(c: &Client, css: &str) {
    let button = wait_for(c, css).await;
    let html = c.find(Locator::Css("html")).await.unwrap();
    button.click().await.unwrap();
    let deadline = tokio::time::Instant::now() + WAIT;
    // The old document's root goes stale once the next page has loaded.
    while html.tag_name().await.is_ok() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "`{css}` did not lead to a new page"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn checkin_as_a_new_runner(c: &Client, base: &str) {
    c.goto(base).await.unwrap();
    screenshots(c, "home").await;
    c.find(Locator::LinkText("Start a check-in"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // Pick the buttock on the back view of the map: the shape, not the checkbox.
    let shape = c
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(
            "svg.map-wide a.region-link[data-region=\"buttock\"]",
        ))
        .await
        .unwrap();
    shape.click().await.unwrap();
    let box_checked = c
        .find(Locator::Id("where-buttock"))
        .await
        .unwrap()
        .is_selected()
        .await
        .unwrap();
    assert!(box_checked, "clicking the map shape ticks the buttock box");
    // The keyboard works too: Enter on a focused region toggles it, and again untoggles it.
    let sit = c
        .find(Locator::Css(
            "svg.map-wide a.region-link[data-region=\"sit_bone\"]",
        ))
        .await
        .unwrap();
    for expected in [true, false] {
        sit.send_keys(&fantoccini::key::Key::Enter.to_string())
            .await
            .unwrap();
        let ticked = c
            .find(Locator::Id("where-sit_bone"))
            .await
            .unwrap()
            .is_selected()
            .await
            .unwrap();
        assert_eq!(ticked, expected, "Enter on the sit-bone region");
    }
    c.find(Locator::Id("story"))
        .await
        .unwrap()
        .send_keys("Ran my first 18 km yesterday, much longer than usual. Today both glutes are stiff and sore on the stairs.")
        .await
        .unwrap();
    screenshots(c, "checkin").await;
    submit(c, "#checkin-form button[type=submit]").await;
    // The red-flag screen: none apply.
    wait_for(c, "#flags-form").await;
    screenshots(c, "flags").await;
    submit(c, "#flags-form button[type=submit]").await;
    // Answer the engine's questions one at a time: the first choice, or a middle number.
    let mut first_question = true;
    for _ in 0..25 {
        wait_for(c, "main").await;
        if c.find(Locator::Id("question-form")).await.is_err() {
            break;
        }
        if first_question {
            screenshots(c, "question").await;
            first_question = false;
        }
        // Tap the labels, as a runner would: "no" to yes/no questions (a plain sore glute) but
        // "yes" to standing and walking on the leg (the screen's second question), 3 on the pain
        // scale, else the first choice; or type a number.
        let walks = c
            .find(Locator::Css(
                "#question-form input[name=field][value=can_bear_weight]",
            ))
            .await
            .is_ok();
        let yes_no = if walks {
            "#question-form label:has(input[value=yes])"
        } else {
            "#question-form label:has(input[value=no])"
        };
        let preferred = [
            yes_no,
            "#question-form label.step:has(input[value=\"3\"])",
            "#question-form label.choice, #question-form label.step",
        ];
        let mut answered = false;
        for css in preferred {
            if let Ok(label) = c.find(Locator::Css(css)).await {
                label.click().await.unwrap();
                answered = true;
                break;
            }
        }
        if !answered && let Ok(number) = c.find(Locator::Css("#question-form input#value")).await {
            number.send_keys("3").await.unwrap();
        }
        submit(c, "#question-form button[value=answer]").await;
    }
    let triage = wait_for(c, "#triage").await;
    let level = triage.attr("data-level").await.unwrap().unwrap_or_default();
    assert!(
        ["self_care", "see_doctor", "urgent", "emergency"].contains(&level.as_str()),
        "triage level {level:?}"
    );
    let words = triage.text().await.unwrap();
    assert!(!words.trim().is_empty(), "the triage level is in words");
    let page = c.source().await.unwrap();
    assert!(
        page.contains("not a diagnosis"),
        "the result says it is not a diagnosis"
    );
    screenshots(c, "result").await;
    // A day later: record how it is, and see it set against the usual course.
    wait_for(c, ".followup input[name=trend][value=better]")
        .await
        .click()
        .await
        .unwrap();
    wait_for(c, ".followup label.step:has(input[value=\"2\"])")
        .await
        .click()
        .await
        .unwrap();
    submit(c, ".followup button[type=submit]").await;
    let note = wait_for(c, ".recovery").await.text().await.unwrap();
    assert!(!note.is_empty(), "a follow-up gets a note on the course");
}

/// Without JavaScript the map's shapes are links that reload the page with the region ticked.
async fn body_map_without_javascript(c: &Client, base: &str) {
    c.goto(&format!("{base}/checkin")).await.unwrap();
    let shape = wait_for(
        c,
        "svg.map-wide a.region-link[data-region=\"back_of_thigh\"]",
    )
    .await;
    shape.click().await.unwrap();
    let deadline = tokio::time::Instant::now() + WAIT;
    while !c
        .current_url()
        .await
        .unwrap()
        .as_str()
        .contains("spot=back_of_thigh")
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the shape's link was not followed"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let ticked = wait_for(c, "#where-back_of_thigh")
        .await
        .is_selected()
        .await
        .unwrap();
    assert!(ticked, "the reloaded page has the back of the thigh ticked");
    submit(c, "#checkin-form button[type=submit]").await;
    wait_for(c, "#flags-form").await;
}

async fn upload_a_watch_file(c: &Client, base: &str) {
    c.goto(&format!("{base}/runs")).await.unwrap();
    let fit =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/activity-small-fenix2-run.fit");
    c.find(Locator::Id("file"))
        .await
        .unwrap()
        .send_keys(&fit.display().to_string())
        .await
        .unwrap();
    c.find(Locator::Css("#upload-form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // The script uploads with progress, then reloads the list.
    let row = wait_for(c, "table.runs tbody tr").await;
    let text = row.text().await.unwrap();
    assert!(text.contains("running"), "row: {text}");
    assert!(
        text.contains("activity-small-fenix2-run.fit"),
        "row: {text}"
    );
    // Issue 15: the upload's summary is still on screen after the reload that shows the run.
    let summary = wait_for(c, "#upload-summary").await.text().await.unwrap();
    assert!(
        summary.contains("1 run imported, 0 already stored."),
        "summary: {summary}"
    );
    screenshots(c, "runs").await;
    // A tap anywhere on the row, not only on its date, lands on the run's link.
    let hit = c
        .execute(
            "const r = document.querySelector('table.runs tbody tr td.num').getBoundingClientRect(); \
             const e = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2); \
             return e && e.closest('a') ? e.closest('a').getAttribute('href') : null",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        hit.as_str().is_some_and(|h| h.starts_with("/runs/")),
        "the row's middle is not its link: {hit}"
    );
    wait_for(c, "table.runs tbody tr a")
        .await
        .click()
        .await
        .unwrap();
    wait_for(c, "dl.figures").await;
    assert!(c.current_url().await.unwrap().path().starts_with("/runs/"));
    screenshots(c, "run").await;
    c.back().await.unwrap();
    c.find(Locator::LinkText("See your training charts"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let bars = wait_for(c, ".chart-wide figure.chart rect.bar").await;
    assert!(bars.attr("height").await.unwrap().is_some());
    screenshots(c, "training").await;
    c.goto(&format!("{base}/history")).await.unwrap();
    screenshots(c, "history").await;
}

/// The chromedriver the browser tests drive; its absence fails the test (they are ignored on a
/// plain `cargo test` and run by `.ci/run`).
async fn chromedriver() -> Driver {
    start_driver()
        .await
        .expect("chromedriver on PATH (apt-get install chromium chromium-driver)")
}

/// Opens a browser (with or without JavaScript) and runs `steps` in it, within three minutes;
/// the browser is closed however the steps end, and a failed step fails the test with its own
/// message.
async fn in_browser<S, F>(driver: &Driver, javascript: bool, steps: S)
where
    S: FnOnce(Client) -> F,
    F: std::future::Future<Output = ()> + Send + 'static,
{
    let c = browser(driver, javascript).await;
    let run = steps(c.clone());
    let outcome = tokio::spawn(tokio::time::timeout(Duration::from_secs(180), run)).await;
    let _ = c.close().await;
    match outcome {
        Ok(finished) => finished.expect("the browser steps finished within 3 minutes"),
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(e) => panic!("the browser steps did not finish: {e}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs chromium and chromedriver"]
async fn a_new_runner_checks_in_and_uploads_a_run() {
    let driver = chromedriver().await;
    let base = start_app().await;
    let url = base.clone();
    in_browser(&driver, true, |steps| async move {
        checkin_as_a_new_runner(&steps, &url).await;
        upload_a_watch_file(&steps, &url).await;
    })
    .await;
    in_browser(&driver, false, |steps| async move {
        body_map_without_javascript(&steps, &base).await;
    })
    .await;
    drop(driver);
    eprintln!("screenshots in {}", shots_dir().display());
}

/// Issue 15: on a phone (390 px wide) every body-map target is at least 24 by 24 CSS pixels
/// (WCAG 2.2, 2.5.8) and labelled; one buttock tapped records one side, with and without
/// JavaScript.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs chromium and chromedriver"]
async fn phone_map_targets_are_large_and_one_buttock_is_one_side() {
    let driver = chromedriver().await;
    let base = start_app().await;
    let url = base.clone();
    in_browser(&driver, true, |steps| async move {
        steps.set_window_size(390, 900).await.unwrap();
        steps.goto(&format!("{url}/checkin")).await.unwrap();
        wait_for(&steps, "svg.map-narrow").await;
        // The window's inner width is what a 390 px phone lays out.
        let inner = steps
            .execute("return window.innerWidth", vec![])
            .await
            .unwrap();
        assert!(inner.as_u64().unwrap() <= 390, "{inner}");
        let sizes = steps
            .execute(
                "return Array.from(document.querySelectorAll('svg.map-narrow a.region-link'))\
                 .map(a => { const r = a.getBoundingClientRect(); \
                 return [a.getAttribute('data-spot'), r.width, r.height]; })",
                vec![],
            )
            .await
            .unwrap();
        let sizes = sizes.as_array().unwrap();
        assert_eq!(sizes.len(), 19, "{sizes:?}");
        for s in sizes {
            let (w, h) = (s[1].as_f64().unwrap(), s[2].as_f64().unwrap());
            assert!(w >= 24.0 && h >= 24.0, "{} is {w:.1} x {h:.1} px", s[0]);
        }
        // Every region is named inside the phone map.
        let labels = steps
            .execute(
                "return Array.from(document.querySelectorAll('svg.map-narrow .inside-label'))\
                 .filter(t => t.getBoundingClientRect().width > 0).map(t => t.getAttribute('data-region'))",
                vec![],
            )
            .await
            .unwrap();
        for (id, _) in [
            ("buttock", ()),
            ("side_of_hip", ()),
            ("groin", ()),
            ("front_of_hip", ()),
            ("sit_bone", ()),
            ("lower_back", ()),
            ("back_of_thigh", ()),
            ("below_knee", ()),
        ] {
            assert!(labels.to_string().contains(id), "{id} unlabelled: {labels}");
        }
        // Tap the left buttock: that side only.
        wait_for(&steps, "svg.map-narrow a[data-spot='buttock:left']")
            .await
            .click()
            .await
            .unwrap();
        let state = steps
            .execute(
                "return [document.getElementById('spot-buttock-left').checked, \
                 document.getElementById('spot-buttock-right').checked, \
                 document.getElementById('where-buttock').checked, \
                 document.querySelector(\"svg.map-narrow ellipse[data-spot='buttock:right']\").classList.contains('on'), \
                 document.querySelector(\"svg.map-narrow ellipse[data-spot='buttock:left']\").classList.contains('on')]",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(state, json!([true, false, true, false, true]));
        screenshots(&steps, "checkin-left-buttock").await;
        steps.set_window_size(390, 900).await.unwrap();
        submit(&steps, "#checkin-form button.primary").await;
        let intake = wait_for(&steps, "input[name='intake']")
            .await
            .attr("value")
            .await
            .unwrap()
            .unwrap();
        let intake: serde_json::Value = serde_json::from_str(&intake).unwrap();
        assert_eq!(intake["where"], json!(["buttock"]), "{intake}");
        assert_eq!(intake["sides"], json!("left"), "{intake}");
    })
    .await;
    // Without JavaScript the shapes are links that carry the spot.
    in_browser(&driver, false, |steps| async move {
        steps.set_window_size(390, 900).await.unwrap();
        steps.goto(&format!("{base}/checkin")).await.unwrap();
        wait_for(&steps, "svg.map-narrow a[data-spot='buttock:right']")
            .await
            .click()
            .await
            .unwrap();
        wait_for(&steps, "#spot-buttock-right:checked").await;
        let left = steps
            .execute(
                "return document.getElementById('spot-buttock-left').checked",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(left, json!(false));
        submit(&steps, "#checkin-form button.primary").await;
        let intake = wait_for(&steps, "input[name='intake']")
            .await
            .attr("value")
            .await
            .unwrap()
            .unwrap();
        let intake: serde_json::Value = serde_json::from_str(&intake).unwrap();
        assert_eq!(intake["sides"], json!("right"), "{intake}");
    })
    .await;
    drop(driver);
}

/// The page's address without the host.
async fn path_of(c: &Client) -> String {
    let url = c.current_url().await.unwrap();
    match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    }
}

/// Waits until the address's path starts with `prefix` (a navigation has finished).
async fn wait_path(c: &Client, prefix: &str) -> String {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let path = path_of(c).await;
        if path.starts_with(prefix) {
            return path;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "still at {path}, not {prefix}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Presses the browser's back (or forward) button and checks that a real page came back: a
/// step read with GET, not Chrome's "Confirm Form Resubmission" (ERR_CACHE_MISS) page.
async fn history_step(c: &Client, back: bool, expect_css: &str) {
    let html = c.find(Locator::Css("html")).await.unwrap();
    if back {
        c.back().await.unwrap();
    } else {
        c.forward().await.unwrap();
    }
    let deadline = tokio::time::Instant::now() + WAIT;
    while html.tag_name().await.is_ok() {
        assert!(tokio::time::Instant::now() < deadline, "no navigation");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let source = c.source().await.unwrap();
    assert!(
        !source.contains("ERR_CACHE_MISS") && !source.contains("Confirm Form Resubmission"),
        "the browser asked to resubmit a form: {source:.400}"
    );
    wait_for(c, expect_css).await;
}

async fn progress(c: &Client) -> String {
    wait_for(c, "p.progress").await.text().await.unwrap()
}

/// Answers the question on screen by tapping its first choice (or typing a number).
async fn answer_first_choice(c: &Client) {
    if let Ok(label) = c
        .find(Locator::Css(
            "#question-form label.choice, #question-form label.step",
        ))
        .await
    {
        label.click().await.unwrap();
    } else {
        wait_for(c, "#question-form input#value")
            .await
            .send_keys("3")
            .await
            .unwrap();
    }
    submit(c, "#question-form button[value=answer]").await;
}

async fn checkin_count(c: &Client, base: &str) -> usize {
    let list = c
        .execute(
            "return fetch(arguments[0]).then(r => r.json())",
            vec![json!(format!("{base}/api/checkins"))],
        )
        .await
        .unwrap();
    list["checkins"].as_array().map_or(0, Vec::len)
}

/// Issue 15: the back button in the middle of a check-in and after its result re-reads pages
/// (no "Confirm Form Resubmission"); "Previous" steps back through the questions, the screen
/// and the map with the answers kept; finishing again after going back stores no second
/// check-in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs chromium and chromedriver"]
async fn back_and_previous_never_resubmit_nor_store_twice() {
    let driver = chromedriver().await;
    let base = start_app().await;
    in_browser(&driver, true, |steps| async move {
        let c = &steps;
        c.set_window_size(1280, 900).await.unwrap();
        c.goto(&format!("{base}/checkin")).await.unwrap();
        wait_for(c, "svg.map-wide a.region-link[data-region=\"buttock\"]")
            .await
            .click()
            .await
            .unwrap();
        let story = "Sore glutes since yesterday's long run.";
        c.find(Locator::Id("story"))
            .await
            .unwrap()
            .send_keys(story)
            .await
            .unwrap();
        submit(c, "#checkin-form button[type=submit]").await;
        wait_for(c, "#flags-form").await;
        wait_path(c, "/checkin/flags?").await;
        submit(c, "#flags-form button[type=submit]").await;
        assert!(progress(c).await.starts_with("Question 1"));
        let first_field = wait_for(c, "#question-form input[name=field]")
            .await
            .attr("value")
            .await
            .unwrap();
        answer_first_choice(c).await;
        assert!(progress(c).await.starts_with("Question 2"));
        // The back button mid-flow: question 1 again, read with GET; forward: question 2.
        history_step(c, true, "#question-form").await;
        assert!(progress(c).await.starts_with("Question 1"));
        history_step(c, false, "#question-form").await;
        assert!(progress(c).await.starts_with("Question 2"));
        // "Previous": question 1 with its answer still chosen, then the screen, then the map.
        submit(c, "#previous").await;
        assert!(progress(c).await.starts_with("Question 1"));
        let field = wait_for(c, "#question-form input[name=field]")
            .await
            .attr("value")
            .await
            .unwrap();
        assert_eq!(field, first_field);
        wait_for(
            c,
            "#question-form input[name=value]:checked, #question-form input#value[value]",
        )
        .await;
        submit(c, "#previous").await;
        wait_for(c, "#flags-form").await;
        submit(c, "#previous").await;
        wait_for(c, "#checkin-form").await;
        let kept = c
            .find(Locator::Id("story"))
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap();
        assert_eq!(kept.as_deref(), Some(story));
        assert!(
            c.find(Locator::Id("where-buttock"))
                .await
                .unwrap()
                .is_selected()
                .await
                .unwrap(),
            "the buttock is still ticked"
        );
        // On to the result.
        submit(c, "#checkin-form button[type=submit]").await;
        submit(c, "#flags-form button[type=submit]").await;
        answer_first_choice(c).await;
        submit(c, "#question-form button[value=finish]").await;
        wait_for(c, "#triage").await;
        let result = wait_path(c, "/history/").await;
        assert_eq!(checkin_count(c, &base).await, 1);
        // The back button after the result: the last question, read again, saying it is saved.
        history_step(c, true, "#question-form").await;
        wait_for(c, "#already-saved").await;
        screenshots(c, "back-after-result").await;
        // Finishing it again goes to the same result and stores nothing new.
        submit(c, "#question-form button[value=finish]").await;
        wait_for(c, "#triage").await;
        assert_eq!(wait_path(c, "/history/").await, result);
        assert_eq!(checkin_count(c, &base).await, 1);
    })
    .await;
    drop(driver);
}

/// Issue 15: a follow-up saved from an older check-in's page (not the latest) is saved on that
/// check-in and the page comes back with its confirmation in view, on a phone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs chromium and chromedriver"]
async fn a_followup_lands_on_its_own_checkin_with_its_confirmation_in_view() {
    let driver = chromedriver().await;
    let base = start_app().await;
    in_browser(&driver, true, |steps| async move {
        let c = &steps;
        c.set_window_size(390, 800).await.unwrap();
        c.goto(&base).await.unwrap();
        let mut ids = Vec::new();
        for pain in [4, 5, 6] {
            let made = c
                .execute(
                    "return fetch(arguments[0], {method: 'POST', headers: {'content-type': 'application/json'}, \
                     body: arguments[1]}).then(r => r.json())",
                    vec![
                        json!(format!("{base}/api/checkins")),
                        json!(format!(r#"{{"where":["buttock"],"onset":"next_day","pain":{pain}}}"#)),
                    ],
                )
                .await
                .unwrap();
            ids.push(made["id"].as_i64().unwrap_or_else(|| panic!("{made}")));
        }
        let middle = ids[1];
        c.goto(&format!("{base}/history/{middle}")).await.unwrap();
        wait_for(c, ".followup input[name=trend][value=better]")
            .await
            .click()
            .await
            .unwrap();
        wait_for(c, ".followup label.step:has(input[value=\"3\"])")
            .await
            .click()
            .await
            .unwrap();
        submit(c, ".followup button[type=submit]").await;
        let note = wait_for(c, ".recovery").await;
        let url = c.current_url().await.unwrap();
        assert_eq!(url.path(), format!("/history/{middle}"), "{url}");
        let rect = c
            .execute(
                "const r = document.querySelector('.recovery').getBoundingClientRect(); \
                 return [r.top, r.bottom, window.innerHeight]",
                vec![],
            )
            .await
            .unwrap();
        let (top, bottom, height) = (
            rect[0].as_f64().unwrap(),
            rect[1].as_f64().unwrap(),
            rect[2].as_f64().unwrap(),
        );
        assert!(
            top >= 0.0 && bottom <= height,
            "the confirmation is at {top:.0}..{bottom:.0} px of a {height:.0} px window"
        );
        assert!(!note.text().await.unwrap().is_empty());
        screenshots(c, "followup-saved").await;
        // The other check-ins have no follow-up.
        for other in [ids[0], ids[2]] {
            c.goto(&format!("{base}/history/{other}")).await.unwrap();
            wait_for(c, "#triage").await;
            assert!(
                c.find(Locator::Css(".recovery")).await.is_err(),
                "check-in {other} shows a follow-up it was not given"
            );
        }
    })
    .await;
    drop(driver);
}
