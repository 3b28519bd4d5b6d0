//! Site URLs: relative links between pages, the path and full form of the base URL, what
//! counts as external, and the escaping of copied files' names.

use percent_encoding::{AsciiSet, CONTROLS};

/// Characters escaped in the URLs of copied files, which keep their names.
pub(crate) const PATH_ESCAPES: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// The path from page `from` (a site-relative URL) to `to`.
pub(crate) fn relative(from: &str, to: &str) -> String {
    let from_dir: Vec<&str> = from.split('/').collect();
    let from_dir = &from_dir[..from_dir.len() - 1];
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dir
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count()
        .min(to_parts.len() - 1);
    let mut out = "../".repeat(from_dir.len() - common);
    out.push_str(&to_parts[common..].join("/"));
    out
}

/// From a page's URL back to the site root: `""`, `"../"`, `"../../"`...
pub(crate) fn root_prefix(url: &str) -> String {
    "../".repeat(url.matches('/').count())
}

/// `dir/file`, or `file` at the root.
pub(crate) fn join(dir: &str, file: &str) -> String {
    if dir.is_empty() {
        file.to_string()
    } else {
        format!("{dir}/{file}")
    }
}

/// The folder part of a `/`-separated path (`""` at the root).
pub(crate) fn parent_dir(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}

/// The path part of a base URL, always with a trailing `/`: `https://h/sub` -> `/sub/`.
pub(crate) fn base_path(base_url: &str) -> String {
    let after_scheme = base_url.split_once("://").map_or(base_url, |(_, rest)| {
        rest.find('/').map_or("", |i| &rest[i..])
    });
    let trimmed = after_scheme.trim_matches('/');
    if trimmed.is_empty() {
        "/".into()
    } else {
        format!("/{trimmed}/")
    }
}

/// The base URL with a trailing `/` when it is a full `http(s)://host/...` URL; `None` for a
/// path such as `/sub/` (or no base URL), with which absolute links cannot be made.
pub(crate) fn full_base(base_url: &str) -> Option<String> {
    let rest = base_url
        .strip_prefix("https://")
        .or_else(|| base_url.strip_prefix("http://"))?;
    if rest.is_empty() || rest.starts_with('/') {
        return None;
    }
    let mut url = base_url.to_string();
    if !url.ends_with('/') {
        url.push('/');
    }
    Some(url)
}

/// Is `dest` outside the site (a scheme such as `https:` or `mailto:`, or `//host`)?
pub(crate) fn is_external(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    match dest.split_once(':') {
        Some((scheme, _)) => {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && scheme
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
                && !scheme.contains('/')
                && scheme.len() > 1
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_urls() {
        assert_eq!(relative("index.html", "a/b.html"), "a/b.html");
        assert_eq!(relative("a/b.html", "a/c.html"), "c.html");
        assert_eq!(relative("a/b.html", "index.html"), "../index.html");
        assert_eq!(relative("a/x/b.html", "a/y/c.html"), "../y/c.html");
        assert_eq!(relative("a/b.html", "a/index.html"), "index.html");
    }

    #[test]
    fn base_paths() {
        assert_eq!(base_path(""), "/");
        assert_eq!(base_path("https://example.org/sub/"), "/sub/");
        assert_eq!(base_path("https://example.org"), "/");
        assert_eq!(base_path("/sub"), "/sub/");
    }

    #[test]
    fn full_base_urls_only() {
        assert_eq!(
            full_base("https://example.org/sub").as_deref(),
            Some("https://example.org/sub/")
        );
        assert_eq!(
            full_base("http://localhost:8080/").as_deref(),
            Some("http://localhost:8080/")
        );
        assert_eq!(full_base("/sub/"), None);
        assert_eq!(full_base(""), None);
        assert_eq!(full_base("https://"), None);
    }

    #[test]
    fn external_destinations() {
        for d in [
            "https://a.b/c",
            "mailto:me@x.org",
            "//cdn.example.org/x.js",
            "tel:+1",
        ] {
            assert!(is_external(d), "{d}");
        }
        for d in ["a.md", "../b/c.md#x", "#top", "C:/x", "a/b:c", ""] {
            assert!(!is_external(d), "{d}");
        }
        assert_eq!(root_prefix("a/b/c.html"), "../../");
        assert_eq!(parent_dir("a/b/c.md"), "a/b");
        assert_eq!(join("", "x.html"), "x.html");
    }
}
