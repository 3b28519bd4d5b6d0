//! Answers one HTTP request from the site held in memory: a URL can only name a file the
//! build produced, so nothing outside the site is ever read.

use super::{Site, State};
use crate::content::Content;
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};
use std::fmt::Write as _;
use std::hash::{Hash, Hasher};
use std::io::Write as _;
use tiny_http::{Method, Request, StatusCode};

/// The reload client, served at `__studysite/live.js` and added to every HTML response.
const LIVE_JS: &str = include_str!("live.js");
/// Where the server's own endpoints live, under the site's base path.
const PREFIX: &str = "__studysite/";
/// What a folder name must not carry raw in a `Location`: it would end the header, the
/// path segment or the URL.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'\\')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// Where a request path leads.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Route {
    /// A file of the site, by its key in the built files.
    File(String),
    /// A folder without its trailing slash: redirect to it (relative `Location`).
    Folder(String),
    /// `__studysite/...`
    Own(String),
    /// Outside the base path.
    Outside,
    /// An attempt at escaping the site, or a malformed path.
    Bad,
}

/// Maps a request target (`/sub/a/b.html?x`) to a route, under the base path `base`.
pub(crate) fn route(target: &str, base: &str) -> Route {
    let path = target.split(['?', '#']).next().unwrap_or("");
    if !path.starts_with('/') {
        return Route::Bad;
    }
    let lower = path.to_ascii_lowercase();
    // Encoded separators and NULs never name a file of the site.
    if path.contains('\\') || ["%2f", "%5c", "%00"].iter().any(|e| lower.contains(e)) {
        return Route::Bad;
    }
    let Ok(decoded) = percent_decode_str(path).decode_utf8() else {
        return Route::Bad;
    };
    if decoded.contains(['\\', '\0']) {
        return Route::Bad;
    }
    let base_without_slash = base.trim_end_matches('/');
    if !base_without_slash.is_empty() && decoded == base_without_slash {
        return Route::Folder(decoded.rsplit('/').next().unwrap_or("").to_string());
    }
    let Some(rel) = decoded.strip_prefix(base) else {
        return Route::Outside;
    };
    let segments: Vec<&str> = rel.split('/').collect();
    let escapes = |s: &&str| *s == ".." || *s == "." || s.ends_with(':');
    if rel.starts_with('/') || segments.iter().any(escapes) {
        return Route::Bad;
    }
    if let Some(own) = rel.strip_prefix(PREFIX) {
        return Route::Own(own.to_string());
    }
    if rel.is_empty() || rel.ends_with('/') {
        return Route::File(format!("{rel}index.html"));
    }
    Route::File(rel.to_string())
}

pub(crate) fn handle(request: Request, state: &State) {
    if !matches!(request.method(), Method::Get | Method::Head) {
        let body = b"only GET and HEAD are served\n";
        let headers = [("Allow", "GET, HEAD"), ("Content-Type", TEXT)];
        return respond(request, 405, &headers, body);
    }
    let site = state.site();
    let target = request.url().to_string();
    match route(&target, &site.base) {
        Route::File(key) => {
            let query = target.split_once('?').map(|(_, q)| q);
            if let Some(content) = site.files.get(&key) {
                let depth = key.matches('/').count();
                return file(request, &site, &key, content, depth, 200);
            }
            if site.files.contains_key(&format!("{key}/index.html")) {
                let name = key.rsplit('/').next().unwrap_or("");
                return redirect(request, name, query);
            }
            not_found(request, &site, key.matches('/').count())
        }
        Route::Folder(name) => redirect(request, &name, None),
        Route::Own(what) => own(request, state, &what),
        Route::Outside => not_found(request, &site, usize::MAX),
        Route::Bad => text(request, 400, "bad request path\n"),
    }
}

fn own(request: Request, state: &State, what: &str) {
    match what {
        "live.js" => {
            let body = LIVE_JS.as_bytes().to_vec();
            send(request, body, "text/javascript; charset=utf-8", 200);
        }
        "wait" => {
            let since = request
                .url()
                .split_once('?')
                .and_then(|(_, q)| q.split('&').find_map(|p| p.strip_prefix("v=")))
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            state.live.wait(request, since);
        }
        "status" => state.live.now(request),
        _ => text(request, 404, "not found\n"),
    }
}

/// The theme's 404 page, with status 404. `depth` is how deep the request was, for the
/// reload script's relative URL; `usize::MAX` when the request was outside the base path.
fn not_found(request: Request, site: &Site, depth: usize) {
    match site.files.get("404.html") {
        Some(content) => file(request, site, "404.html", content, depth, 404),
        None => send(request, b"page not found\n".to_vec(), TEXT, 404),
    }
}

/// To the folder `name` with a trailing slash, relative to where the request was; the
/// query (as the client sent it) goes along when it is plain ASCII.
fn redirect(request: Request, name: &str, query: Option<&str>) {
    let mut location = format!("{}/", utf8_percent_encode(name, SEGMENT));
    if let Some(q) = query.filter(|q| q.bytes().all(|b| b.is_ascii_graphic())) {
        let _ = write!(location, "?{q}");
    }
    respond(request, 301, &[("Location", &location)], b"")
}

fn file(request: Request, site: &Site, key: &str, content: &Content, depth: usize, status: u16) {
    let body = match content {
        Content::Bytes(b) => b.to_vec(),
        Content::Copy(path) => match read_copied(site, path) {
            Some(b) => b,
            None => return text(request, 403, "forbidden\n"),
        },
        // Only `studysite build` writes files as it goes; what `serve` holds is in memory.
        Content::Written { .. } => return text(request, 500, "not held in memory\n"),
    };
    let kind = content_type(key);
    let body = if kind.starts_with("text/html") {
        with_live_script(body, site, depth)
    } else {
        body
    };
    send(request, body, kind, status)
}

/// A file the build listed to be copied, read only if it really lies inside the notes or
/// static folder (a symlink pointing elsewhere is refused).
fn read_copied(site: &Site, path: &std::path::Path) -> Option<Vec<u8>> {
    let real = path.canonicalize().ok()?;
    if !site.readable.iter().any(|dir| real.starts_with(dir)) {
        return None;
    }
    std::fs::read(real).ok()
}

/// Adds the reload client before `</body>`, with a URL relative to the page so that it works
/// under any base path and behind a proxy that adds its own prefix.
fn with_live_script(mut body: Vec<u8>, site: &Site, depth: usize) -> Vec<u8> {
    let src = if depth == usize::MAX {
        format!("{}{PREFIX}live.js", site.base)
    } else {
        format!("{}{PREFIX}live.js", "../".repeat(depth))
    };
    let tag = format!(
        "<script src=\"{src}\" data-v=\"{}\"></script>\n",
        site.version
    );
    let at = find_last(&body, b"</body>").unwrap_or(body.len());
    body.splice(at..at, tag.into_bytes());
    body
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
}

fn send(request: Request, body: Vec<u8>, kind: &str, status: u16) {
    let etag = etag(&body);
    let fresh = request
        .headers()
        .iter()
        .filter(|h| h.field.equiv("If-None-Match"))
        .any(|h| none_match(h.value.as_str(), &etag));
    let headers = [
        ("Content-Type", kind),
        ("ETag", &etag),
        // Always revalidate: a page must never come from the cache after a rebuild.
        ("Cache-Control", "no-cache"),
        ("X-Content-Type-Options", "nosniff"),
    ];
    if fresh && status == 200 {
        respond(request, 304, &headers[1..], b"")
    } else {
        respond(request, status, &headers, &body)
    }
}

/// Does an `If-None-Match` value name `etag` (or `*`)? By weak comparison, as RFC 9110
/// (section 13.1.2) asks: a `W/` before a tag does not count. Browsers send back our ETags as
/// they got them, but a proxy that compresses a response makes its ETag weak.
fn none_match(value: &str, etag: &str) -> bool {
    value.split(',').map(str::trim).any(|tag| {
        let tag = tag.strip_prefix("W/").unwrap_or(tag);
        tag == "*" || tag == etag
    })
}

const TEXT: &str = "text/plain; charset=utf-8";

fn text(request: Request, status: u16, message: &str) {
    respond(
        request,
        status,
        &[("Content-Type", TEXT)],
        message.as_bytes(),
    )
}

/// Writes the whole response on the request's raw stream, ending with `Connection: close`.
///
/// Every connection carries one request: the gate ([`super::gate`]) passes tiny_http one
/// request per connection and closes the connection when the response ends, so the response
/// must say so, and no connection idles between requests (a browser opens a new one, within
/// its six per host, for the next request). tiny_http's `Response` drops a `Connection`
/// header, hence the raw stream ([`Request::into_writer`]). `headers` must be plain ASCII
/// without line breaks.
pub(crate) fn respond(request: Request, status: u16, headers: &[(&str, &str)], body: &[u8]) {
    let reason = StatusCode(status).default_reason_phrase();
    let mut head = format!("HTTP/1.1 {status} {reason}\r\n");
    for (name, value) in headers {
        let _ = write!(head, "{name}: {value}\r\n");
    }
    // A 304 carries no body; HEAD is told the length GET would get, and no body.
    if status != 304 {
        let _ = write!(head, "Content-Length: {}\r\n", body.len());
    }
    head.push_str("Connection: close\r\n\r\n");
    let body = if status == 304 || *request.method() == Method::Head {
        &[][..]
    } else {
        body
    };
    let mut writer = request.into_writer();
    // The client may have gone away; nothing to do then.
    let _ = writer
        .write_all(head.as_bytes())
        .and_then(|()| writer.write_all(body))
        .and_then(|()| writer.flush());
}

fn etag(body: &[u8]) -> String {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    body.hash(&mut hasher);
    format!("\"{:016x}\"", hasher.finish())
}

fn content_type(key: &str) -> &'static str {
    let ext = key
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "txt" | "md" => "text/plain; charset=utf-8",
        "xml" => "application/xml",
        "wasm" => "application/wasm",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_files_folders_and_own_endpoints() {
        assert_eq!(route("/", "/"), Route::File("index.html".into()));
        assert_eq!(route("/a/b.html?x=1", "/"), Route::File("a/b.html".into()));
        assert_eq!(route("/a/", "/"), Route::File("a/index.html".into()));
        assert_eq!(route("/a%20b.png", "/"), Route::File("a b.png".into()));
        assert_eq!(
            route("/sub/a/", "/sub/"),
            Route::File("a/index.html".into())
        );
        assert_eq!(route("/sub", "/sub/"), Route::Folder("sub".into()));
        assert_eq!(route("/other/", "/sub/"), Route::Outside);
        assert_eq!(
            route("/__studysite/wait?v=3", "/"),
            Route::Own("wait".into())
        );
    }

    #[test]
    fn refuses_every_escape() {
        for bad in [
            "/../etc/passwd",
            "/a/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/..%2fetc",
            "/..%5cetc",
            "/..\\etc",
            "//etc/passwd",
            "/C:/Windows/win.ini",
            "/a/./b",
            "/%00",
            "/%ff",
            "etc/passwd",
        ] {
            assert_eq!(route(bad, "/"), Route::Bad, "{bad}");
        }
    }

    #[test]
    fn if_none_match_compares_weakly() {
        let etag = "\"0123456789abcdef\"";
        for value in [
            "\"0123456789abcdef\"",
            "W/\"0123456789abcdef\"",
            "\"other\", W/\"0123456789abcdef\"",
            "*",
        ] {
            assert!(none_match(value, etag), "{value}");
        }
        for value in [
            "\"other\"",
            "W/\"other\"",
            "0123456789abcdef",
            "w/\"0123456789abcdef\"",
        ] {
            assert!(!none_match(value, etag), "{value}");
        }
    }

    #[test]
    fn live_script_goes_before_body_end() {
        let site = Site {
            files: Default::default(),
            base: "/".into(),
            version: 7,
            readable: Vec::new(),
        };
        let out = with_live_script(b"<p>x</p></body></html>".to_vec(), &site, 2);
        let out = String::from_utf8(out).unwrap();
        assert_eq!(
            out,
            "<p>x</p><script src=\"../../__studysite/live.js\" data-v=\"7\"></script>\n</body></html>"
        );
    }
}
