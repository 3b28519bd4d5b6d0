//! The gate: the one thread that faces the clients, in front of tiny_http.
//!
//! tiny_http parses requests and hands them to the handlers, and stays the HTTP engine; but on
//! its own it gives every connection a thread of its pool for as long as the client keeps it
//! open (a thousand idle sockets are a thousand threads), has no time-out of any kind, ends
//! request lines only at CRLF (a request with bare LF line ends is never answered), and its
//! accept loop ends for good at the first accept error (out of descriptors, say). So the public
//! listener is the gate's, and tiny_http listens on a private loopback port:
//!
//! ```text
//! client ──► gate (one thread, mio) ──► 127.0.0.1:private ──► tiny_http ──► handlers
//!            buffers the request head,   one new connection   reads one head,
//!            then relays the answer      per request          and EOF: its thread ends
//! ```
//!
//! - The gate watches every client connection on one thread ([`mio`]), and takes at most
//!   [`Limits::connections`] of them at once; the next one is answered 503 with `Retry-After`.
//! - It buffers what a client sends until the request head is complete (an empty line, ended
//!   by CRLF or a bare LF), and the body the head announces, at most [`MAX_REQUEST`] bytes
//!   (a larger head is answered 431, a larger body 413), within [`Limits::request_time`]
//!   (then 408).
//! - It forwards the request to tiny_http on a new loopback connection with every line of the
//!   head ended by CRLF (nothing else changes: method, target, `Host`, `If-None-Match` arrive as
//!   sent) and shuts the connection's write half at once, so tiny_http's connection thread
//!   reads EOF where it would wait for a next request, and ends. Its threads live only while a
//!   complete head is being read from loopback, never while a client idles, reads slowly or
//!   waits on a long-poll (parked in [`super::reload::Live`], which holds only the writer).
//! - It relays tiny_http's answer back through a buffer of [`PIPE`] bytes, reading no more of
//!   it than the client takes, so a slow client holds back the handler writing to it (whose
//!   socket buffers fill), not the gate's memory. An answer a client takes none of for
//!   [`Limits::write_time`] is dropped.
//! - One request per connection: every handler answers with `Connection: close` (see
//!   [`super::http::respond`]), so the gate closes the connection when tiny_http's answer
//!   ends, and a connection never idles between requests. That is why the only idle time-outs
//!   are the request time-out (a connection that opens and never completes a request) and the
//!   write time-out (a client that stops reading).
//!
//! tiny_http sees every request come from 127.0.0.1; no handler looks at the remote address.
//! Other processes of the machine can reach the private port too, and get just what the public
//! port serves.

use mio::net::{TcpListener, TcpStream};
use mio::{Events, Interest, Poll, Registry, Token, Waker};
use std::collections::HashMap;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How many clients `serve` takes at once and how long it waits on them.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Client connections open at once; one more is answered 503 and closed. Lowered to what
    /// the process's open-file limit allows.
    pub connections: usize,
    /// How long a connection may take to send its request; then it is answered 408 and closed.
    pub request_time: Duration,
    /// How long an answer may wait on a client that takes none of it; then the connection is
    /// dropped.
    pub write_time: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            connections: CONNECTIONS,
            request_time: REQUEST_TIME,
            write_time: WRITE_TIME,
        }
    }
}

/// A browser opens at most six connections to a host and a page one long-poll, so even a
/// hundred open tabs need a few hundred; thousands leave room for tools and bursts, and still
/// fit the open-file limits of common systems at [`FILES_PER_CONNECTION`] descriptors each.
const CONNECTIONS: usize = 4096;
/// Browsers send heads of a few hundred bytes to a few KiB (cookies included); 16 KiB is
/// twice nginx's default for one header line. The body a head announces counts in too: only
/// GET and HEAD are served, so a body only ever meets a 405.
const MAX_REQUEST: usize = 16 * 1024;
/// Ample for a client on any network to send a head that fits in one packet; a socket that
/// opens and says nothing (a slow-loris client, a browser's speculative preconnect) is closed.
const REQUEST_TIME: Duration = Duration::from_secs(10);
/// A reader that takes nothing of its answer for this long has gone; the handler writing to
/// it is freed.
const WRITE_TIME: Duration = Duration::from_secs(30);
/// One answer in flight holds this much of the gate's memory, while it is being relayed.
const PIPE: usize = 32 * 1024;
/// After its own answer, or the end of a relayed one, the gate shuts its side and reads what
/// the client still sends until the client closes, for this long at most: closing on unread
/// data makes the kernel reset the connection, and a reset can destroy the answer before the
/// client has read it.
const LINGER: Duration = Duration::from_secs(2);
/// Connections refused at the cap that linger at once (see [`LINGER`]); beyond them, a
/// refused connection is closed without an answer.
const REFUSALS: usize = 64;
/// How often time-outs are checked and a paused accept is tried again.
const TICK: Duration = Duration::from_millis(100);
/// Each connection costs up to four descriptors: the client's, the gate's end of the loopback
/// connection, and tiny_http's end, which it clones into a read and a write half.
const FILES_PER_CONNECTION: u64 = 4;
/// Descriptors kept for the rest: listeners, the watcher, files being read, the poll itself.
const FILES_KEPT: u64 = 128;

const LISTENER: Token = Token(0);
const WAKE: Token = Token(1);

/// The running gate thread; [`Gate::stop`] ends it.
pub(crate) struct Gate {
    waker: Waker,
    thread: Option<JoinHandle<()>>,
}

impl Gate {
    /// Starts taking clients on `listener` and passing their requests to tiny_http at
    /// `backend`.
    pub(crate) fn start(
        listener: std::net::TcpListener,
        backend: SocketAddr,
        limits: Limits,
    ) -> io::Result<Gate> {
        listener.set_nonblocking(true)?;
        let mut listener = TcpListener::from_std(listener);
        let poll = Poll::new()?;
        poll.registry()
            .register(&mut listener, LISTENER, Interest::READABLE)?;
        let waker = Waker::new(poll.registry(), WAKE)?;
        let limits = Limits {
            connections: connections_that_fit(limits.connections),
            ..limits
        };
        let clients = Clients {
            poll,
            listener,
            backend,
            limits,
            conns: HashMap::new(),
            next_id: 1,
            serving: 0,
            paused: false,
            scratch: vec![0; MAX_REQUEST + 1],
        };
        let thread = std::thread::Builder::new()
            .name("studysite-gate".into())
            .spawn(move || clients.run())?;
        Ok(Gate {
            waker,
            thread: Some(thread),
        })
    }

    /// Ends the gate thread; the listener and every client connection close with it.
    pub(crate) fn stop(&mut self) {
        if let Some(thread) = self.thread.take() {
            let _ = self.waker.wake();
            let _ = thread.join();
        }
    }
}

impl Drop for Gate {
    fn drop(&mut self) {
        self.stop();
    }
}

/// `wanted`, or fewer if the process may not open enough descriptors for them (the soft limit
/// is raised first, as far as the hard one allows): run out, and accepting fails, tiny_http's
/// accept loop first of all, which then ends for good.
fn connections_that_fit(wanted: usize) -> usize {
    #[cfg(unix)]
    {
        use rustix::process::{getrlimit, setrlimit, Resource, Rlimit};
        let need = wanted as u64 * FILES_PER_CONNECTION + FILES_KEPT;
        let limit = getrlimit(Resource::Nofile);
        if limit.current.is_some_and(|now| now < need) {
            let raised = limit.maximum.map_or(need, |max| max.min(need));
            let _ = setrlimit(
                Resource::Nofile,
                Rlimit {
                    current: Some(raised),
                    maximum: limit.maximum,
                },
            );
        }
        match getrlimit(Resource::Nofile).current {
            Some(files) => {
                let fit = files.saturating_sub(FILES_KEPT) / FILES_PER_CONNECTION;
                wanted
                    .min(usize::try_from(fit).unwrap_or(usize::MAX))
                    .max(1)
            }
            None => wanted,
        }
    }
    #[cfg(not(unix))]
    wanted
}

/// What the gate thread owns: the listener and every client connection.
struct Clients {
    poll: Poll,
    listener: TcpListener,
    backend: SocketAddr,
    limits: Limits,
    conns: HashMap<usize, Conn>,
    /// Ids are never reused, so an event for a closed connection finds nothing.
    next_id: usize,
    /// Connections taken (not refused) and still open.
    serving: usize,
    /// Accepting failed for want of descriptors or memory; try again at the next tick.
    paused: bool,
    /// Where reads land before they are kept or dropped.
    scratch: Vec<u8>,
}

impl Clients {
    fn run(mut self) {
        let mut events = Events::with_capacity(256);
        let mut ticked = Instant::now();
        loop {
            if let Err(e) = self.poll.poll(&mut events, Some(TICK)) {
                if e.kind() == ErrorKind::Interrupted {
                    continue;
                }
                eprintln!("error: the server cannot watch its connections any more: {e}");
                return;
            }
            for event in events.iter() {
                match event.token() {
                    WAKE => return,
                    LISTENER => self.accept(),
                    Token(token) => self.advance(token >> 1),
                }
            }
            if ticked.elapsed() >= TICK {
                ticked = Instant::now();
                self.expire();
                if self.paused {
                    self.accept();
                }
            }
        }
    }

    /// Takes every waiting connection. Unlike tiny_http's loop, an error only pauses it.
    fn accept(&mut self) {
        self.paused = false;
        loop {
            let mut client = match self.listener.accept() {
                Ok((client, _)) => client,
                Err(e) if e.kind() == ErrorKind::WouldBlock => return,
                Err(e)
                    if matches!(
                        e.kind(),
                        ErrorKind::Interrupted | ErrorKind::ConnectionAborted
                    ) =>
                {
                    continue
                }
                Err(_) => {
                    self.paused = true;
                    return;
                }
            };
            let counted = self.serving < self.limits.connections;
            if !counted && self.conns.len() - self.serving >= REFUSALS {
                continue;
            }
            let _ = client.set_nodelay(true);
            let id = self.next_id;
            let interest = Interest::READABLE | Interest::WRITABLE;
            if self
                .poll
                .registry()
                .register(&mut client, Token(id << 1), interest)
                .is_err()
            {
                continue;
            }
            self.next_id += 1;
            let mut conn = Conn {
                id,
                client,
                phase: Phase::Request(Request::default()),
                since: Instant::now(),
                counted,
            };
            if counted {
                self.serving += 1;
            } else {
                conn.answer(503);
            }
            self.conns.insert(id, conn);
        }
    }

    fn advance(&mut self, id: usize) {
        let Some(conn) = self.conns.get_mut(&id) else {
            return;
        };
        if !conn.advance(self.poll.registry(), self.backend, &mut self.scratch) {
            self.close(id);
        }
    }

    fn close(&mut self, id: usize) {
        if let Some(conn) = self.conns.remove(&id) {
            if conn.counted {
                self.serving -= 1;
            }
            conn.close(self.poll.registry());
        }
    }

    /// Answers 408 to requests that took too long, and drops stalled answers and lingering
    /// connections whose time is up.
    fn expire(&mut self) {
        let expired: Vec<usize> = self
            .conns
            .values()
            .filter(|conn| conn.expired(&self.limits))
            .map(|conn| conn.id)
            .collect();
        for id in expired {
            match self.conns.get_mut(&id) {
                Some(conn) if matches!(conn.phase, Phase::Request(_)) => conn.answer(408),
                _ => self.close(id),
            }
        }
    }
}

/// One client connection.
struct Conn {
    id: usize,
    client: TcpStream,
    phase: Phase,
    /// When the phase began or (relaying) last moved: what the time-outs count from.
    since: Instant,
    /// Counted against the cap (not refused).
    counted: bool,
}

enum Phase {
    /// Reading the request.
    Request(Request),
    /// Passing the request to tiny_http and its answer back.
    Relay(Relay),
    /// Answered, and our side shut: reading what the client still sends until it closes.
    Closing,
}

impl Conn {
    /// Moves the connection on as far as its sockets allow (mio's events are edge-triggered:
    /// each step goes on until it would block); false once it is done with.
    fn advance(&mut self, registry: &Registry, backend: SocketAddr, scratch: &mut [u8]) -> bool {
        loop {
            match &mut self.phase {
                Phase::Request(request) => match request.read(&mut self.client, scratch) {
                    Arrival::More => return true,
                    Arrival::Gone => return false,
                    Arrival::Refused(status) => self.answer(status),
                    Arrival::Complete(bytes) => {
                        let token = Token((self.id << 1) | 1);
                        match Relay::start(bytes, backend, registry, token) {
                            Ok(relay) => {
                                self.phase = Phase::Relay(relay);
                                self.since = Instant::now();
                            }
                            Err(_) => self.answer(503),
                        }
                    }
                },
                Phase::Relay(relay) => match relay.pump(&mut self.client, scratch, &mut self.since)
                {
                    Pump::Waiting => return true,
                    Pump::Broken => return false,
                    Pump::Unanswered(status) => {
                        let relay = std::mem::replace(&mut self.phase, Phase::Closing);
                        if let Phase::Relay(mut relay) = relay {
                            let _ = registry.deregister(&mut relay.backend);
                        }
                        self.answer(status);
                    }
                    Pump::Done => {
                        let _ = self.client.shutdown(Shutdown::Write);
                        self.phase = Phase::Closing;
                        self.since = Instant::now();
                    }
                },
                Phase::Closing => return drain(&mut self.client, scratch) == Drain::Open,
            }
        }
    }

    /// The gate's own answer, ending the connection. Nothing was written to the client yet,
    /// so its send buffer takes these few hundred bytes in one write.
    fn answer(&mut self, status: u16) {
        let message = match status {
            400 => "bad request\n",
            408 => "the request did not arrive in time\n",
            413 => "the request body is too large\n",
            431 => "the request head is too large\n",
            _ => "the server is busy; try again\n",
        };
        let reason = tiny_http::StatusCode(status).default_reason_phrase();
        let retry = if status == 503 {
            "Retry-After: 1\r\n"
        } else {
            ""
        };
        let answer = format!(
            "HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain; charset=utf-8\r\n\
             Content-Length: {}\r\n{retry}Connection: close\r\n\r\n{message}",
            message.len()
        );
        let _ = self.client.write(answer.as_bytes());
        let _ = self.client.shutdown(Shutdown::Write);
        self.phase = Phase::Closing;
        self.since = Instant::now();
    }

    fn expired(&self, limits: &Limits) -> bool {
        let waited = self.since.elapsed();
        match &self.phase {
            Phase::Request(_) => waited >= limits.request_time,
            Phase::Relay(relay) => relay.stalled() && waited >= limits.write_time,
            Phase::Closing => waited >= LINGER,
        }
    }

    fn close(mut self, registry: &Registry) {
        let _ = registry.deregister(&mut self.client);
        if let Phase::Relay(mut relay) = self.phase {
            let _ = registry.deregister(&mut relay.backend);
        }
    }
}

/// A request as it arrives.
#[derive(Default)]
struct Request {
    bytes: Vec<u8>,
    /// Where the next look for the end of the head starts: the start of an unfinished line.
    scanned: usize,
    /// Once the head is complete: where it ends, and the length of the body it announces.
    head: Option<(usize, usize)>,
}

enum Arrival {
    /// Not complete yet.
    More,
    /// The client closed or broke the connection first.
    Gone,
    /// To be answered with this status.
    Refused(u16),
    /// The request as tiny_http gets it.
    Complete(Vec<u8>),
}

impl Request {
    fn read(&mut self, client: &mut TcpStream, scratch: &mut [u8]) -> Arrival {
        loop {
            // One byte past the limit tells a request that is too large.
            let room = (MAX_REQUEST + 1).saturating_sub(self.bytes.len()).max(1);
            match client.read(&mut scratch[..room]) {
                Ok(0) => return Arrival::Gone,
                Ok(n) => self.bytes.extend_from_slice(&scratch[..n]),
                Err(e) if e.kind() == ErrorKind::WouldBlock => return Arrival::More,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(_) => return Arrival::Gone,
            }
            if let Some(arrival) = self.arrived() {
                return arrival;
            }
        }
    }

    /// What the bytes so far come to; `None` while more are needed.
    fn arrived(&mut self) -> Option<Arrival> {
        if self.scanned == 0 {
            // Empty lines before the request line are to be ignored (RFC 9112, section 2.2).
            let blank = self.bytes.iter().take_while(|b| matches!(b, b'\r' | b'\n'));
            let blank = blank.count();
            self.bytes.drain(..blank);
        }
        let (end, body) = match self.head {
            Some(head) => head,
            None => match head_end(&self.bytes, self.scanned) {
                Ok(end) if end > MAX_REQUEST => return Some(Arrival::Refused(431)),
                Ok(end) => *self.head.insert((end, content_length(&self.bytes[..end]))),
                Err(scanned) => {
                    self.scanned = scanned;
                    return (self.bytes.len() > MAX_REQUEST).then_some(Arrival::Refused(431));
                }
            },
        };
        if end.saturating_add(body) > MAX_REQUEST {
            return Some(Arrival::Refused(413));
        }
        if self.bytes.len() < end + body {
            return None;
        }
        // What follows the head goes as it came: the body, or the start of a chunked one
        // (which tiny_http reads only if a handler asks, and none does).
        let mut forward = crlf_lines(&self.bytes[..end]);
        forward.extend_from_slice(&self.bytes[end..]);
        Some(Arrival::Complete(forward))
    }
}

/// Where the head in `bytes` ends: just after its first empty line, ended by CRLF or by a
/// bare LF. Looks from `from`, the start of a line; `Err` tells where the next look starts.
fn head_end(bytes: &[u8], mut from: usize) -> Result<usize, usize> {
    while let Some(at) = bytes[from..].iter().position(|&b| b == b'\n') {
        let line = &bytes[from..from + at];
        from += at + 1;
        if line.is_empty() || line == b"\r" {
            return Ok(from);
        }
    }
    Err(from)
}

/// The head with every line ended by CRLF, the only line end tiny_http knows; a bare LF is
/// one a server may accept (RFC 9112, section 2.2).
fn crlf_lines(head: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(head.len() + 32);
    for line in head.split_inclusive(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\n").unwrap_or(line);
        out.extend_from_slice(line.strip_suffix(b"\r").unwrap_or(line));
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// The body length a head announces; 0 without one, or when it does not parse, as tiny_http
/// reads it.
fn content_length(head: &[u8]) -> usize {
    head.split(|&b| b == b'\n')
        .skip(1)
        .find_map(|line| {
            let (name, value) = std::str::from_utf8(line).ok()?.split_once(':')?;
            let named = name.trim().eq_ignore_ascii_case("content-length");
            named.then(|| value.trim().parse().unwrap_or(0))
        })
        .unwrap_or(0)
}

/// A request on its way to tiny_http, and the answer on its way back.
struct Relay {
    backend: TcpStream,
    connected: bool,
    request: Vec<u8>,
    sent: usize,
    /// The answer's bytes `start..end` are read from tiny_http and not yet written to the
    /// client; allocated when the first of them comes (a parked long-poll has none).
    pipe: Vec<u8>,
    start: usize,
    end: usize,
    /// Some of the answer came.
    answered: bool,
    /// tiny_http closed its side: the answer is complete.
    ended: bool,
    /// The client shut its side; it may still read.
    client_ended: bool,
}

enum Pump {
    Waiting,
    /// The whole answer reached the client.
    Done,
    /// tiny_http closed without an answer (a head it cannot parse, as non-ASCII bytes) or
    /// could not be reached: the gate answers with this status.
    Unanswered(u16),
    /// The client broke the connection.
    Broken,
}

impl Relay {
    fn start(
        request: Vec<u8>,
        backend: SocketAddr,
        registry: &Registry,
        token: Token,
    ) -> io::Result<Relay> {
        let mut stream = TcpStream::connect(backend)?;
        registry.register(&mut stream, token, Interest::READABLE | Interest::WRITABLE)?;
        let _ = stream.set_nodelay(true);
        Ok(Relay {
            backend: stream,
            connected: false,
            request,
            sent: 0,
            pipe: Vec::new(),
            start: 0,
            end: 0,
            answered: false,
            ended: false,
            client_ended: false,
        })
    }

    /// Moves bytes until every socket would block; `since` is set whenever some moved.
    fn pump(&mut self, client: &mut TcpStream, scratch: &mut [u8], since: &mut Instant) -> Pump {
        if !self.client_ended {
            match drain(client, scratch) {
                Drain::Open => {}
                Drain::Ended => self.client_ended = true,
                Drain::Broken => return Pump::Broken,
            }
        }
        if !self.connected {
            match connected(&self.backend) {
                Ok(true) => self.connected = true,
                Ok(false) => return Pump::Waiting,
                Err(_) => return Pump::Unanswered(503),
            }
        }
        loop {
            let mut moved = false;
            if self.sent < self.request.len() {
                match step(self.backend.write(&self.request[self.sent..])) {
                    Step::Moved(n) => {
                        self.sent += n;
                        moved = true;
                        if self.sent == self.request.len() {
                            // tiny_http's connection thread would wait for a next request
                            // until the client closes; EOF ends it now.
                            let _ = self.backend.shutdown(Shutdown::Write);
                        }
                    }
                    Step::Blocked => {}
                    Step::Ended | Step::Broken => return Pump::Unanswered(503),
                }
            }
            if !self.ended && self.end < PIPE {
                if self.pipe.is_empty() {
                    self.pipe = vec![0; PIPE];
                }
                match step(self.backend.read(&mut self.pipe[self.end..])) {
                    Step::Moved(n) => {
                        self.end += n;
                        self.answered |= n > 0;
                        moved = true;
                    }
                    Step::Blocked => {}
                    Step::Ended => self.ended = true,
                    // After part of an answer, the client gets that part and the close.
                    Step::Broken if self.answered => self.ended = true,
                    Step::Broken => return Pump::Unanswered(503),
                }
            }
            if self.start < self.end {
                match step(client.write(&self.pipe[self.start..self.end])) {
                    Step::Moved(n) => {
                        self.start += n;
                        moved = true;
                        if self.start == self.end {
                            (self.start, self.end) = (0, 0);
                        }
                    }
                    Step::Blocked => {}
                    Step::Ended | Step::Broken => return Pump::Broken,
                }
            }
            if !moved {
                break;
            }
            *since = Instant::now();
        }
        match (self.ended, self.start == self.end, self.answered) {
            (true, true, true) => Pump::Done,
            (true, true, false) => Pump::Unanswered(400),
            _ => Pump::Waiting,
        }
    }

    /// Bytes wait on a socket that does not take them.
    fn stalled(&self) -> bool {
        self.sent < self.request.len() || self.start < self.end
    }
}

/// Has a non-blocking connect completed? (the steps mio's `TcpStream::connect` describes)
fn connected(stream: &TcpStream) -> io::Result<bool> {
    if let Some(e) = stream.take_error()? {
        return Err(e);
    }
    match stream.peer_addr() {
        Ok(_) => Ok(true),
        Err(e) if e.kind() == ErrorKind::NotConnected => Ok(false),
        Err(e) => Err(e),
    }
}

/// What one non-blocking read or write came to.
enum Step {
    /// This many bytes (0 after an interruption: try again).
    Moved(usize),
    Blocked,
    /// A read found the end of the stream (or a write took nothing).
    Ended,
    Broken,
}

fn step(result: io::Result<usize>) -> Step {
    match result {
        Ok(0) => Step::Ended,
        Ok(n) => Step::Moved(n),
        Err(e) if e.kind() == ErrorKind::WouldBlock => Step::Blocked,
        Err(e) if e.kind() == ErrorKind::Interrupted => Step::Moved(0),
        Err(_) => Step::Broken,
    }
}

#[derive(PartialEq, Eq)]
enum Drain {
    Open,
    Ended,
    Broken,
}

/// Reads and drops what the client sends once its request is in (a pipelined request gets no
/// answer: every answer closes the connection). A few reads at most per event, so a client
/// that floods cannot hold the gate thread.
fn drain(client: &mut TcpStream, scratch: &mut [u8]) -> Drain {
    for _ in 0..4 {
        match step(client.read(scratch)) {
            Step::Moved(_) => {}
            Step::Blocked => return Drain::Open,
            Step::Ended => return Drain::Ended,
            Step::Broken => return Drain::Broken,
        }
    }
    Drain::Open
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arrive(chunks: &[&[u8]]) -> Option<Arrival> {
        let mut request = Request::default();
        let mut last = None;
        for chunk in chunks {
            request.bytes.extend_from_slice(chunk);
            last = request.arrived();
        }
        last
    }

    fn complete(chunks: &[&[u8]]) -> String {
        match arrive(chunks) {
            Some(Arrival::Complete(bytes)) => String::from_utf8(bytes).unwrap(),
            _ => panic!("not complete: {chunks:?}"),
        }
    }

    fn refused(chunks: &[&[u8]]) -> Option<u16> {
        match arrive(chunks) {
            Some(Arrival::Refused(status)) => Some(status),
            _ => None,
        }
    }

    #[test]
    fn a_head_ends_at_an_empty_line_of_either_line_end() {
        assert_eq!(
            head_end(b"GET / HTTP/1.1\r\nHost: x\r\n\r\nrest", 0),
            Ok(27)
        );
        assert_eq!(head_end(b"GET / HTTP/1.1\nHost: x\n\nrest", 0), Ok(24));
        assert_eq!(head_end(b"GET / HTTP/1.1\nHost: x\r\n\n", 0), Ok(25));
        assert_eq!(head_end(b"GET / HTTP/1.1\r\nHost: x\r\n", 0), Err(25));
        assert_eq!(head_end(b"GET / HTTP/1.1\r\nHo", 0), Err(16));
    }

    #[test]
    fn line_ends_become_crlf_and_nothing_else_changes() {
        let sent = b"HEAD /a%20b.html?x=1 HTTP/1.1\nHost: Example:3000\nIf-None-Match: W/\"1\"\n\n";
        assert_eq!(
            complete(&[sent]),
            "HEAD /a%20b.html?x=1 HTTP/1.1\r\nHost: Example:3000\r\nIf-None-Match: W/\"1\"\r\n\r\n"
        );
        let crlf = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
        assert_eq!(complete(&[crlf.as_bytes()]), crlf);
        // Blank lines before the request line are dropped; a head may come in pieces.
        assert_eq!(
            complete(&[b"\r\n\nGET / HT", b"TP/1.1\nHo", b"st: x\n", b"\n"]),
            "GET / HTTP/1.1\r\nHost: x\r\n\r\n"
        );
        assert!(arrive(&[b"GET / HTTP/1.1\r\nHost: x\r\n"]).is_none());
    }

    #[test]
    fn a_body_the_head_announces_is_waited_for_and_passed_on() {
        let head = b"POST / HTTP/1.1\nContent-Length: 5\n\n";
        assert!(arrive(&[head, b"abc"]).is_none());
        assert_eq!(
            complete(&[head, b"abc", b"de"]),
            "POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nabcde"
        );
        assert_eq!(
            content_length(b"GET / HTTP/1.1\r\ncontent-length:  12 \r\n\r\n"),
            12
        );
        assert_eq!(
            content_length(b"GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n"),
            0
        );
    }

    #[test]
    fn too_large_requests_are_refused() {
        let long = vec![b'a'; MAX_REQUEST];
        assert_eq!(refused(&[b"GET / HTTP/1.1\r\nX: ", &long]), Some(431));
        assert_eq!(
            refused(&[b"GET / HTTP/1.1\r\nX: ", &long, b"\r\n\r\n"]),
            Some(431)
        );
        let big = format!("POST / HTTP/1.1\r\nContent-Length: {MAX_REQUEST}\r\n\r\n");
        assert_eq!(refused(&[big.as_bytes()]), Some(413));
        let mut fits = b"GET / HTTP/1.1\r\nX: ".to_vec();
        fits.resize(MAX_REQUEST - 4, b'a');
        fits.extend_from_slice(b"\r\n\r\n");
        assert_eq!(complete(&[&fits]).len(), MAX_REQUEST);
    }
}
