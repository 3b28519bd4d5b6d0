//! The CommonMark spec examples through studysite's markdown entry point, extras off.

#[path = "support/shared.rs"]
mod support;

/// Decodes entities and collapses whitespace between tags, so equivalent HTML compares equal.
fn normalize(html: &str) -> String {
    let decoded = html_escape::decode_html_entities(html).into_owned();
    let mut out = String::with_capacity(decoded.len());
    let mut rest = decoded.as_str();
    while let Some(i) = rest.find('>') {
        out.push_str(&rest[..=i]);
        rest = &rest[i + 1..];
        let trimmed = rest.trim_start();
        if trimmed.starts_with('<') {
            rest = trimmed;
        }
    }
    out.push_str(rest);
    out.replace(">\n<", "><").trim().to_string()
}

#[test]
fn commonmark_spec_examples() {
    let Some(path) = support::shared("conformance/commonmark-0.31.2/spec.json") else {
        return;
    };
    let text = std::fs::read_to_string(&path).unwrap();
    let examples: Vec<serde_json::Value> = serde_json::from_str(&text).expect("spec.json parses");
    let mut failed = Vec::new();
    for ex in &examples {
        let md = ex["markdown"].as_str().unwrap();
        let want = ex["html"].as_str().unwrap();
        let got = studysite::markdown::commonmark_to_html(md);
        if normalize(&got) != normalize(want) {
            failed.push(format!(
                "example {}: {md:?}\n want {want:?}\n  got {got:?}",
                ex["example"]
            ));
        }
    }
    let passed = examples.len() - failed.len();
    eprintln!(
        "CommonMark 0.31.2: {passed}/{} examples pass",
        examples.len()
    );
    assert_eq!(examples.len(), 652);
    assert!(
        failed.is_empty(),
        "{} failed:\n{}",
        failed.len(),
        failed.join("\n")
    );
}
