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
//!   stall delays the requests that would have measured it).
//! - Without `--rate` (closed loop): each connection sends its next request as soon as the last
//!   answer is read, for `--duration` seconds or `--requests` requests in all.
//! - `--threads T` (default 1): T event loops, each with its share of the connections and every
//!   T-th request (the same due times).
//! - `--bodies FILE`: POST each line of FILE in turn as `application/json` (the 86 worked
//!   cases' intakes in the bench); without it, GET.
//!
//! Prints one line of `key=value` pairs: requests answered, the rate achieved, latency
//! percentiles in milliseconds from the due time (`p50`, `p99`, `p999`, `max`) and from the
//! actual send (`sent_p99`: what a closed-loop tool would report), and the failures (answers
//! other than 200, connection errors). Exit 1 when any request failed, the first failure named
//! on stderr.
//!
//! It shares the machine's cores with the server it measures, so it is built to cost little: one
//! thread waits on all its connections and on the next due time at once (`epoll_pwait2`, whose
//! timeout is in nanoseconds: tokio's timer and `epoll_wait` count whole milliseconds), every
//! request is written beforehand as the bytes sent, and an answer is read only as far as its
//! status and `Content-Length`, its body counted and not looked at. Built on tokio and hyper's
//! client it took some 45 µs of CPU a request at 10,000 a second; a blocking thread per
//! connection woke the server's own threads out of their batches (`docs/web.md` has the figures).

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::os::fd::OwnedFd;
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use rustix::event::{Timespec, epoll};

struct Options {
    host: String,
    port: u16,
    path: String,
    rate: Option<f64>,
    duration: Duration,
    requests: Option<u64>,
    connections: usize,
    threads: usize,
    bodies: Vec<String>,
}

fn usage() -> ! {
    eprintln!(
        "usage: loadgen URL [--rate R] [--duration S] [--requests N] [--connections C] \
         [--threads T] [--bodies FILE]"
    );
    std::process::exit(2)
}

/// `http://host[:port][/path]`: all a loopback benchmark needs (no TLS, no user info).
fn split_url(url: &str) -> Option<(String, u16, String)> {
    let rest = url.strip_prefix("http://")?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) => (h, p.parse().ok()?),
        None => (authority, 80),
    };
    (!host.is_empty()).then(|| (host.to_owned(), port, path.to_owned()))
}

fn options() -> Options {
    let mut args = std::env::args().skip(1);
    let mut o = Options {
        host: String::new(),
        port: 80,
        path: String::new(),
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
                    .map(str::to_owned)
                    .collect();
            }
            _ if url.is_none() && !arg.starts_with("--") => url = Some(arg),
            _ => usage(),
        }
    }
    (o.host, o.port, o.path) = url
        .as_deref()
        .and_then(split_url)
        .unwrap_or_else(|| usage());
    let bad_rate = o.rate.is_some_and(|r| r <= 0.0 || !r.is_finite());
    if o.connections == 0 || o.threads == 0 || o.threads > o.connections || bad_rate {
        usage();
    }
    o
}

/// Every request as the bytes sent: one per body in turn, or the one GET.
fn requests(o: &Options) -> Vec<Vec<u8>> {
    let host = format!("{}:{}", o.host, o.port);
    if o.bodies.is_empty() {
        return vec![format!("GET {} HTTP/1.1\r\nHost: {host}\r\n\r\n", o.path).into_bytes()];
    }
    o.bodies
        .iter()
        .map(|body| {
            format!(
                "POST {} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n\
                 Content-Length: {}\r\n\r\n{body}",
                o.path,
                body.len()
            )
            .into_bytes()
        })
        .collect()
}

/// An answer's status and the length of its body, from its head (`None`: not an HTTP/1.x head
/// with a `Content-Length`, which this generator does not read).
fn head(head: &[u8]) -> Option<(u16, usize)> {
    let status = head.get(9..12)?;
    if !head.starts_with(b"HTTP/1.") || !status.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let status = status
        .iter()
        .fold(0u16, |n, d| n * 10 + u16::from(d - b'0'));
    let length = head.split(|&b| b == b'\n').skip(1).find_map(|line| {
        let (name, value) = line.split_at(line.iter().position(|&b| b == b':')?);
        if !name.eq_ignore_ascii_case(b"content-length") {
            return None;
        }
        std::str::from_utf8(&value[1..]).ok()?.trim().parse().ok()
    })?;
    Some((status, length))
}

fn bad(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, what.to_owned())
}

/// A request in flight on a connection.
struct InFlight {
    i: u64,
    due: Instant,
    sent: Instant,
    /// Bytes of the request written so far (a short write waits for the socket to drain).
    written: usize,
    /// The answer's head so far, when it came in pieces (usually it comes in one read and is
    /// parsed where it was read).
    head: Vec<u8>,
    /// Once the head is read: the status and the body bytes still to come.
    body: Option<(u16, usize)>,
}

/// One connection: its socket, and the request it carries, if any.
struct Conn {
    stream: TcpStream,
    flight: Option<InFlight>,
    /// Whether the connection also waits to write (a request not yet written whole).
    wants_write: bool,
}

/// What a thread measured.
struct Tally {
    /// Microseconds from when each request was due to its whole answer.
    due: Histogram<u64>,
    /// Microseconds from when each request was sent to its whole answer.
    sent: Histogram<u64>,
    failed: u64,
    first_failure: Option<String>,
    last: Option<Instant>,
}

impl Tally {
    fn new() -> Tally {
        let histogram = || Histogram::new_with_bounds(1, 60_000_000, 3).expect("valid bounds");
        Tally {
            due: histogram(),
            sent: histogram(),
            failed: 0,
            first_failure: None,
            last: None,
        }
    }

    fn fail(&mut self, why: String) {
        self.failed += 1;
        self.first_failure.get_or_insert(why);
    }

    fn add(&mut self, other: Tally) {
        let _ = self.due.add(&other.due);
        let _ = self.sent.add(&other.sent);
        self.failed += other.failed;
        if self.first_failure.is_none() {
            self.first_failure = other.first_failure;
        }
        self.last = self.last.max(other.last);
    }
}

/// The whole run's plan, shared by the threads.
struct Plan {
    /// Requests in all (open loop: the rate times the duration).
    total: u64,
    start: Instant,
    /// Closed loop: no request starts after it.
    end: Instant,
    rate: Option<f64>,
    requests: Vec<Vec<u8>>,
    host: String,
    port: u16,
    threads: u64,
}

impl Plan {
    /// When request `i` is due (open loop); `None` in a closed loop.
    fn due(&self, i: u64) -> Option<Instant> {
        self.rate
            .map(|rate| self.start + Duration::from_secs_f64(i as f64 / rate))
    }
}

fn connect(host: &str, port: u16) -> io::Result<TcpStream> {
    let s = TcpStream::connect((host, port))?;
    s.set_nodelay(true)?;
    s.set_nonblocking(true)?;
    Ok(s)
}

/// One thread's event loop over its connections: requests `first`, `first + threads`, ... in
/// turn, each sent when due (open loop) or as soon as a connection is free (closed loop).
struct Loop<'p> {
    plan: &'p Plan,
    epoll: OwnedFd,
    conns: Vec<Conn>,
    /// Connections with no request in flight.
    idle: Vec<usize>,
    /// This thread's next request.
    next: u64,
    /// Requests sent and not yet answered.
    in_flight: usize,
    tally: Tally,
    /// The answers' bodies are read into this and dropped.
    scratch: Vec<u8>,
}

impl<'p> Loop<'p> {
    fn new(plan: &'p Plan, first: u64, streams: Vec<TcpStream>) -> io::Result<Loop<'p>> {
        let epoll = epoll::create(epoll::CreateFlags::CLOEXEC)?;
        for (k, s) in streams.iter().enumerate() {
            epoll::add(
                &epoll,
                s,
                epoll::EventData::new_u64(k as u64),
                epoll::EventFlags::IN,
            )?;
        }
        let conns: Vec<Conn> = streams
            .into_iter()
            .map(|stream| Conn {
                stream,
                flight: None,
                wants_write: false,
            })
            .collect();
        Ok(Loop {
            plan,
            epoll,
            idle: (0..conns.len()).rev().collect(),
            conns,
            next: first,
            in_flight: 0,
            tally: Tally::new(),
            scratch: vec![0u8; 256 * 1024],
        })
    }

    fn run(mut self) -> Tally {
        let mut events: Vec<epoll::Event> = Vec::with_capacity(self.conns.len().max(1));
        loop {
            let now = Instant::now();
            // Every request due by now goes out on a free connection.
            while self.next < self.plan.total && !self.idle.is_empty() {
                let due = match self.plan.due(self.next) {
                    Some(due) if due > now => break,
                    Some(due) => due,
                    None if now >= self.plan.end => {
                        // Closed loop over: no more requests.
                        self.next = self.plan.total;
                        break;
                    }
                    None => now,
                };
                let k = self.idle.pop().expect("a free connection");
                let i = self.next;
                self.next += self.plan.threads;
                self.send(k, i, due, now);
            }
            let busy = self.in_flight > 0;
            let waiting = self.next < self.plan.total;
            if !busy && (!waiting || self.idle.is_empty()) {
                // Nothing in flight and nothing left (every connection having failed to
                // reconnect also ends here).
                break;
            }
            // Sleep until the next request is due (when a connection is free for it) or a
            // socket is ready, whichever is first.
            let timeout = match self.plan.due(self.next) {
                Some(due) if waiting && !self.idle.is_empty() => {
                    let wait = due.saturating_duration_since(Instant::now());
                    Some(Timespec {
                        tv_sec: wait.as_secs() as _,
                        tv_nsec: wait.subsec_nanos() as _,
                    })
                }
                _ => None,
            };
            events.clear();
            match epoll::wait(
                &self.epoll,
                rustix::buffer::spare_capacity(&mut events),
                timeout.as_ref(),
            ) {
                Ok(_) => {}
                Err(rustix::io::Errno::INTR) => continue,
                Err(e) => {
                    self.tally.fail(format!("waiting on the sockets: {e}"));
                    break;
                }
            }
            for event in &events {
                let k = event.data.u64() as usize;
                let flags = event.flags;
                if self.conns[k].wants_write && flags.contains(epoll::EventFlags::OUT) {
                    self.write(k);
                }
                if self.conns[k].flight.is_some()
                    && flags.intersects(
                        epoll::EventFlags::IN | epoll::EventFlags::HUP | epoll::EventFlags::ERR,
                    )
                {
                    self.read(k);
                }
            }
        }
        self.tally
    }

    /// Sends request `i` on connection `k`.
    fn send(&mut self, k: usize, i: u64, due: Instant, now: Instant) {
        self.in_flight += 1;
        self.conns[k].flight = Some(InFlight {
            i,
            due,
            sent: now,
            written: 0,
            head: Vec::new(),
            body: None,
        });
        self.write(k);
    }

    /// Writes what is left of connection `k`'s request; waits for the socket to drain when it
    /// is full.
    fn write(&mut self, k: usize) {
        let plan = self.plan;
        let conn = &mut self.conns[k];
        let Some(flight) = conn.flight.as_mut() else {
            return;
        };
        let request = &plan.requests[(flight.i % plan.requests.len() as u64) as usize];
        while flight.written < request.len() {
            match conn.stream.write(&request[flight.written..]) {
                Ok(0) => return self.broken(k, bad("the connection took no bytes")),
                Ok(n) => flight.written += n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    if !conn.wants_write {
                        conn.wants_write = true;
                        let interest = epoll::EventFlags::IN | epoll::EventFlags::OUT;
                        if let Err(e) = epoll::modify(
                            &self.epoll,
                            &conn.stream,
                            epoll::EventData::new_u64(k as u64),
                            interest,
                        ) {
                            return self.broken(k, e.into());
                        }
                    }
                    return;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return self.broken(k, e),
            }
        }
        if conn.wants_write {
            conn.wants_write = false;
            if let Err(e) = epoll::modify(
                &self.epoll,
                &conn.stream,
                epoll::EventData::new_u64(k as u64),
                epoll::EventFlags::IN,
            ) {
                self.broken(k, e.into());
            }
        }
    }

    /// Reads what connection `k` has of its answer; counts the answer once it is whole.
    fn read(&mut self, k: usize) {
        loop {
            let conn = &mut self.conns[k];
            let Some(flight) = conn.flight.as_mut() else {
                return;
            };
            let n = match conn.stream.read(&mut self.scratch) {
                Ok(0) => return self.broken(k, io::ErrorKind::UnexpectedEof.into()),
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return self.broken(k, e),
            };
            let mut got = &self.scratch[..n];
            if flight.body.is_none() {
                // The head's end: in this read alone, or across the pieces kept so far.
                let (bytes, from) = if flight.head.is_empty() {
                    (got, 0)
                } else {
                    let from = flight.head.len().saturating_sub(3);
                    flight.head.extend_from_slice(got);
                    (&flight.head[..], from)
                };
                match bytes[from..].windows(4).position(|w| w == b"\r\n\r\n") {
                    Some(at) => {
                        let end = from + at + 4;
                        let Some((status, length)) = head(&bytes[..end]) else {
                            return self.broken(k, bad("an answer without Content-Length"));
                        };
                        let in_head = if flight.head.is_empty() {
                            end
                        } else {
                            // What this read added before the head's end.
                            end - (flight.head.len() - n)
                        };
                        got = &got[in_head..];
                        flight.body = Some((status, length));
                    }
                    None => {
                        if flight.head.is_empty() {
                            flight.head.extend_from_slice(got);
                        }
                        if flight.head.len() > 64 * 1024 {
                            return self.broken(k, bad("an answer's head over 64 KB"));
                        }
                        continue;
                    }
                }
            }
            let Some((status, rest)) = flight.body.as_mut() else {
                continue;
            };
            if got.len() > *rest {
                return self.broken(k, bad("more bytes than the answer's Content-Length"));
            }
            *rest -= got.len();
            if *rest == 0 {
                let status = *status;
                let flight = conn.flight.take().expect("a request in flight");
                self.done(k, flight, status);
                return;
            }
        }
    }

    /// Counts a whole answer; its connection is free again.
    fn done(&mut self, k: usize, flight: InFlight, status: u16) {
        let done = Instant::now();
        self.in_flight -= 1;
        if status == 200 {
            let micros = |d: Duration| (d.as_micros() as u64).clamp(1, 60_000_000);
            let _ = self.tally.due.record(micros(done - flight.due));
            let _ = self.tally.sent.record(micros(done - flight.sent));
            self.tally.last = Some(done);
        } else {
            self.tally
                .fail(format!("request {}: status {status}", flight.i));
        }
        self.idle.push(k);
    }

    /// Connection `k` failed: its request counts as failed, and a new connection takes its place
    /// (none, when the server cannot be reached: the loop then ends once nothing is in flight).
    fn broken(&mut self, k: usize, e: io::Error) {
        let i = match self.conns[k].flight.take() {
            Some(f) => {
                self.in_flight -= 1;
                f.i
            }
            None => self.next,
        };
        self.tally.fail(format!("request {i}: {e}"));
        let _ = epoll::delete(&self.epoll, &self.conns[k].stream);
        let fresh = connect(&self.plan.host, self.plan.port).and_then(|s| {
            epoll::add(
                &self.epoll,
                &s,
                epoll::EventData::new_u64(k as u64),
                epoll::EventFlags::IN,
            )?;
            Ok(s)
        });
        match fresh {
            Ok(s) => {
                self.conns[k] = Conn {
                    stream: s,
                    flight: None,
                    wants_write: false,
                };
                self.idle.push(k);
            }
            Err(e) => self.tally.fail(format!("cannot connect again: {e}")),
        }
    }
}

fn main() {
    let o = options();
    // Every connection opened before the clock starts, dealt out to the threads in turn.
    let mut streams: Vec<Vec<TcpStream>> = (0..o.threads).map(|_| Vec::new()).collect();
    for c in 0..o.connections {
        let s = connect(&o.host, o.port).unwrap_or_else(|e| {
            eprintln!("loadgen: cannot connect to {}:{}: {e}", o.host, o.port);
            std::process::exit(1)
        });
        streams[c % o.threads].push(s);
    }
    let start = Instant::now();
    let plan = Plan {
        total: match (o.rate, o.requests) {
            (Some(rate), _) => (rate * o.duration.as_secs_f64()) as u64,
            (None, Some(n)) => n,
            (None, None) => u64::MAX,
        },
        start,
        // A count of requests ends a closed loop; a duration ends the others.
        end: match (o.rate, o.requests) {
            (None, Some(_)) => start + Duration::from_secs(86_400),
            _ => start + o.duration,
        },
        rate: o.rate,
        requests: requests(&o),
        host: o.host.clone(),
        port: o.port,
        threads: o.threads as u64,
    };
    let mut all = Tally::new();
    std::thread::scope(|scope| {
        let loops: Vec<_> = streams
            .into_iter()
            .enumerate()
            .map(|(t, s)| {
                let plan = &plan;
                scope.spawn(move || match Loop::new(plan, t as u64, s) {
                    Ok(l) => l.run(),
                    Err(e) => {
                        let mut tally = Tally::new();
                        tally.fail(format!("cannot wait on the sockets: {e}"));
                        tally
                    }
                })
            })
            .collect();
        for l in loops {
            all.add(l.join().expect("an event loop does not panic"));
        }
    });
    let n = all.due.len();
    let elapsed = all.last.map_or(0.0, |l| (l - start).as_secs_f64());
    let ms = |h: &Histogram<u64>, q: f64| h.value_at_quantile(q) as f64 / 1000.0;
    println!(
        "requests={n} rate={:.0} p50={:.3} p99={:.3} p999={:.3} max={:.3} sent_p99={:.3} failed={}",
        if elapsed > 0.0 {
            n as f64 / elapsed
        } else {
            0.0
        },
        ms(&all.due, 0.50),
        ms(&all.due, 0.99),
        ms(&all.due, 0.999),
        all.due.max() as f64 / 1000.0,
        ms(&all.sent, 0.99),
        all.failed,
    );
    if let Some(why) = all.first_failure {
        eprintln!("loadgen: {} failed; the first: {why}", all.failed);
        std::process::exit(1);
    }
}
