//! What static hosts and crawlers look for beside the pages: `sitemap.xml` and `robots.txt`.

use crate::config::Config;
use crate::content::Content;
use crate::url::{base_path, full_base};
use std::collections::BTreeMap;

/// A line for the user when the base URL is a path: what is left out, and why.
pub fn base_url_notice(config: &Config) -> Option<String> {
    if config.base_url.is_empty() || full_base(&config.base_url).is_some() {
        return None;
    }
    Some(format!(
        "note: base_url `{}` is a path, not a full URL: sitemap.xml, canonical and Open Graph URLs are left out (give one like `https://example.org{}`)",
        config.base_url,
        base_path(&config.base_url)
    ))
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// `robots.txt` always; `sitemap.xml` (every page of `site` under the base URL) with a full
/// base URL. Either is left out when the site already has the user's own.
pub(crate) fn files(config: &Config, site: &BTreeMap<String, Content>) -> Vec<(String, Content)> {
    let base = full_base(&config.base_url);
    let mut robots = String::from("User-agent: *\nAllow: /\n");
    let mut out = Vec::new();
    if let Some(base) = &base {
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        let pages = site
            .keys()
            .filter(|p| p.ends_with(".html") && *p != "404.html");
        for page in pages {
            xml.push_str(&format!(
                "<url><loc>{}</loc></url>\n",
                xml_escape(&format!("{base}{page}"))
            ));
        }
        xml.push_str("</urlset>\n");
        out.push((
            "sitemap.xml".to_string(),
            Content::Bytes(xml.into_bytes().into()),
        ));
        robots.push_str(&format!("Sitemap: {base}sitemap.xml\n"));
    }
    out.push((
        "robots.txt".to_string(),
        Content::Bytes(robots.into_bytes().into()),
    ));
    out.retain(|(name, _)| !site.contains_key(name));
    out
}
