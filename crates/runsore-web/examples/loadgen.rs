//! A small HTTP/1.1 load generator for `bench/web-load.sh`: open loop at a fixed rate, with every
//! request's latency measured from the moment it was meant to be sent (corrected for coordinated
//! omission), or closed loop for a fixed number of requests (to count the server's instructions
//! per request under callgrind).
//!
//! ```text
//! loadgen URL [--rate R] [--duration S] [--requests N] [--connections C] [--threads T]
//!             [--bodies FILE]
//! ```
//!
//! - `--rate R` (open loop): request `i` is due at `start + i / R`, whatever became of the ones
//!   before it. A due request waits for a free connection (HTTP/1.1 sends one request at a time
//!   on a connection) and its latency runs from when it was due, so a server that falls behind
//!   shows it in the percentiles instead of slowing the generator down (which is what a closed
//!   loop such as `wrk` does: it sends the next request only when an answer came back, so a
//!   stall delays the requests that would have measured it). The pacing runs on a thread of its
//!   own with the system's fine-grained sleep (steps of 200 µs), not tokio's millisecond timer.
//! - Without `--rate` (closed loop): each connection sends its next request as soon as the last
//!   answer is read, for `--duration` seconds or `--requests` requests in all.
//! - `--bodies FILE`: POST each line of FILE in turn as `application/json` (the 86 worked
//!   cases' intakes in the bench); without it, GET.
//!
//! Prints one line of `key=value` pairs: requests answered, the rate achieved, latency
//! percentiles in milliseconds from the due time (`p50`, `p99`, `p999`, `max`) and from the
//! actual send (`sent_p99`: what a closed-loop tool would report), and the failures (non-2xx
//! answers and connection errors). Exit 1 when any request failed.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1;
use hyper::{Method, Request};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tokio::sync::Semaphore;

struct Options {
    url: hyper::Uri,
    rate: Option<f64>,
    duration: Duration,
    requests: Option<u64>,
    connections: usize,
    threads: usize,
    bodies: Vec<Bytes>,
}

fn usage() -> ! {
    eprintln!(
        "usage: loadgen URL [--rate R] [--duration S] [--requests N] [--connections C] \
         [--threads T] [--bodies FILE]"
    );
    std::process::exit(2)
}

fn options() -> Options {
    let mut args = std::env::args().skip(1);
    let mut o = Options {
        url: hyper::Uri::from_static("http://127.0.0.1/"),
        rate: None,
        duration: Duration::from_secs(10),
        requests: None,
        connections: 32,
        threads: 1,
        bodies: Vec::new(),
    };
    let mut url = None;
    while let Some(arg) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| usage());
        match arg.as_str() {
            "--rate" => o.rate = Some(value().parse().unwrap_or_else(|_| usage())),
            "--duration" => {
                o.duration = Duration::from_secs_f64(value().parse().unwrap_or_else(|_| usage()))
            }
            "--requests" => o.requests = Some(value().parse().unwrap_or_else(|_| usage())),
            "--connections" => o.connections = value().parse().unwrap_or_else(|_| usage()),
            "--threads" => o.threads = value().parse().unwrap_or_else(|_| usage()),
            "--bodies" => {
                let text = std::fs::read_to_string(value()).unwrap_or_else(|e| {
                    eprintln!("loadgen: cannot read the bodies: {e}");
                    std::process::exit(2)
                });
                o.bodies = text
                    .lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(|l| Bytes::from(l.to_owned()))
                    .collect();
            }
            _ if url.is_none() && !arg.starts_with("--") => url = Some(arg),
            _ => usage(),
        }
    }
    o.url = url.and_then(|u| u.parse().ok()).unwrap_or_else(|| usage());
    if o.connections == 0 || o.threads == 0 || o.rate.is_some_and(|r| r <= 0.0) {
        usage();
    }
    o
}

/// What one connection measured.
struct Tally {
    /// Microseconds from when each request was due to its whole answer.
    due: Histogram<u64>,
    /// Microseconds from when each request was sent to its whole answer.
    sent: Histogram<u64>,
    failed: u64,
    last: Option<Instant>,
}

fn histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 60_000_000, 3).expect("valid bounds")
}

/// The shared plan: which request goes next, and until when.
struct Plan {
    next: AtomicU64,
    /// Requests in all (open loop: the rate times the duration).
    total: u64,
    start: Instant,
    end: Instant,
    rate: Option<f64>,
    /// Open loop: one permit per request that has fallen due.
    due: Semaphore,
}

async fn connection(o: Arc<Options>, plan: Arc<Plan>, stream: TcpStream) -> Tally {
    let mut tally = Tally {
        due: histogram(),
        sent: histogram(),
        failed: 0,
        last: None,
    };
    let Ok((mut sender, conn)) = http1::handshake(TokioIo::new(stream)).await else {
        tally.failed += 1;
        return tally;
    };
    tokio::spawn(conn);
    let authority = o.url.authority().map_or("127.0.0.1", |a| a.as_str());
    loop {
        if plan.rate.is_some() {
            match plan.due.acquire().await {
                Ok(permit) => permit.forget(),
                Err(_) => break,
            }
        }
        let i = plan.next.fetch_add(1, Ordering::Relaxed);
        if i >= plan.total {
            break;
        }
        let now = Instant::now();
        let due = match plan.rate {
            Some(rate) => plan.start + Duration::from_secs_f64(i as f64 / rate),
            None if now >= plan.end => break,
            None => now,
        };
        let builder = Request::builder()
            .uri(o.url.path_and_query().map_or("/", |p| p.as_str()))
            .header(hyper::header::HOST, authority);
        let request = if o.bodies.is_empty() {
            builder.method(Method::GET).body(Full::new(Bytes::new()))
        } else {
            let body = o.bodies[(i % o.bodies.len() as u64) as usize].clone();
            builder
                .method(Method::POST)
                .header(hyper::header::CONTENT_TYPE, "application/json")
                .body(Full::new(body))
        }
        .expect("a valid request");
        if sender.ready().await.is_err() {
            tally.failed += 1;
            break;
        }
        let ok = match sender.send_request(request).await {
            Ok(answer) => {
                let status = answer.status();
                answer.into_body().collect().await.is_ok() && status.is_success()
            }
            Err(_) => false,
        };
        let done = Instant::now();
        if !ok {
            tally.failed += 1;
            continue;
        }
        let micros = |d: Duration| (d.as_micros() as u64).clamp(1, 60_000_000);
        let _ = tally.due.record(micros(done - due));
        let _ = tally.sent.record(micros(done - now));
        tally.last = Some(done);
    }
    tally
}

fn main() {
    let o = Arc::new(options());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(o.threads)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let host = o.url.host().unwrap_or("127.0.0.1").to_owned();
    let port = o.url.port_u16().unwrap_or(80);
    let (tally, start) = runtime.block_on(async move {
        // Every connection opened before the clock starts.
        let mut streams = Vec::new();
        for _ in 0..o.connections {
            match TcpStream::connect((host.as_str(), port)).await {
                Ok(s) => {
                    let _ = s.set_nodelay(true);
                    streams.push(s);
                }
                Err(e) => {
                    eprintln!("loadgen: cannot connect to {host}:{port}: {e}");
                    std::process::exit(1)
                }
            }
        }
        let start = Instant::now();
        let total = match (o.rate, o.requests) {
            (Some(rate), _) => (rate * o.duration.as_secs_f64()) as u64,
            (None, Some(n)) => n,
            (None, None) => u64::MAX,
        };
        let plan = Arc::new(Plan {
            next: AtomicU64::new(0),
            total,
            start,
            // A count of requests ends a closed loop; a duration ends the others.
            end: match (o.rate, o.requests) {
                (None, Some(_)) => start + Duration::from_secs(86_400),
                _ => start + o.duration,
            },
            rate: o.rate,
            due: Semaphore::new(0),
        });
        if let Some(rate) = o.rate {
            // Releases each request when it falls due, in steps of at most 200 µs (each step
            // wakes the runtime: finer steps cost the generator more CPU, taken from the server
            // on a small machine, and a release up to 200 µs late counts in the latency).
            let plan = Arc::clone(&plan);
            let extra = o.connections;
            std::thread::spawn(move || {
                let mut released = 0u64;
                while released < plan.total {
                    let now = Instant::now();
                    let due = ((now - plan.start).as_secs_f64() * rate) as u64 + 1;
                    let due = due.min(plan.total);
                    if due > released {
                        plan.due.add_permits((due - released) as usize);
                        released = due;
                    }
                    let next = plan.start + Duration::from_secs_f64(released as f64 / rate);
                    let wait = next
                        .saturating_duration_since(Instant::now())
                        .min(Duration::from_micros(200));
                    std::thread::sleep(wait);
                }
                // Wakes every connection so that each sees the plan done.
                plan.due.add_permits(extra);
            });
        }
        let tasks: Vec<_> = streams
            .into_iter()
            .map(|s| tokio::spawn(connection(Arc::clone(&o), Arc::clone(&plan), s)))
            .collect();
        let mut all = Tally {
            due: histogram(),
            sent: histogram(),
            failed: 0,
            last: None,
        };
        for t in tasks {
            if let Ok(t) = t.await {
                let _ = all.due.add(&t.due);
                let _ = all.sent.add(&t.sent);
                all.failed += t.failed;
                all.last = all.last.max(t.last);
            }
        }
        (all, start)
    });
    let n = tally.due.len();
    let elapsed = tally.last.map_or(0.0, |l| (l - start).as_secs_f64());
    let ms = |h: &Histogram<u64>, q: f64| h.value_at_quantile(q) as f64 / 1000.0;
    println!(
        "requests={n} rate={:.0} p50={:.3} p99={:.3} p999={:.3} max={:.3} sent_p99={:.3} failed={}",
        if elapsed > 0.0 {
            n as f64 / elapsed
        } else {
            0.0
        },
        ms(&tally.due, 0.50),
        ms(&tally.due, 0.99),
        ms(&tally.due, 0.999),
        tally.due.max() as f64 / 1000.0,
        ms(&tally.sent, 0.99),
        tally.failed,
    );
    if tally.failed > 0 {
        std::process::exit(1);
    }
}
