//! The modules of `src/` depend one way: no circle of imports, between the top-level modules
//! (`crate::markdown` using `crate::crossref` using `crate::markdown`), nor between the files
//! of one folder (`markdown/facts.rs` and `markdown/scenarios.rs` using each other). Read from
//! every `crate::` and `super::` path in the code, not only `use` lines; test modules (from
//! `#[cfg(test)]` on) are left out. A folder's own `mod.rs` may use its files and they it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A file's module path (`markdown::tags`), from its path under `src/`.
fn module_of(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" && stem != "main" {
        parts.push(stem.to_string());
    }
    parts
}

/// The code of a file without comments, string literals or its test module.
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]") {
        Some(i) => &text[..i],
        None => text,
    };
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        if text[i..].starts_with("//") {
            i += text[i..].find('\n').unwrap_or(text.len() - i);
        } else if text[i..].starts_with("/*") {
            i += text[i..].find("*/").map_or(text.len() - i, |e| e + 2);
        } else if b[i] == b'"' {
            let mut j = i + 1;
            while j < b.len() && b[j] != b'"' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            out.push_str("\"\"");
            i = j + 1;
        } else {
            let c = text[i..].chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

fn ident_at(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

/// Every module path the code names with `crate::` or `super::` (the segments after it,
/// first items of a `{...}` group included), resolved against `here`.
fn named_paths(code: &str, here: &[String]) -> Vec<(Vec<String>, usize)> {
    let mut out = Vec::new();
    let line_of = |at: usize| code[..at].matches('\n').count() + 1;
    for (at, _) in code.match_indices("crate::") {
        if at > 0 && code[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        let rest = &code[at + "crate::".len()..];
        for path in segments(rest) {
            out.push((path, line_of(at)));
        }
    }
    for (at, _) in code.match_indices("super::") {
        if at > 0 && code[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        let mut base = here.to_vec();
        let mut rest = &code[at..];
        while let Some(r) = rest.strip_prefix("super::") {
            base.pop();
            rest = r;
        }
        for path in segments(rest) {
            let mut full = base.clone();
            full.extend(path);
            out.push((full, line_of(at)));
        }
    }
    out
}

/// The path segments at the start of `rest`: `a::b::C` gives one path, `{a::X, b}` two.
fn segments(rest: &str) -> Vec<Vec<String>> {
    if let Some(group) = rest.strip_prefix('{') {
        let inner = &group[..group.find('}').unwrap_or(group.len())];
        return inner
            .split(',')
            .map(|item| segments(item.trim()).into_iter().flatten().collect())
            .collect();
    }
    let mut path = Vec::new();
    let mut s = rest;
    loop {
        let id = ident_at(s);
        if id.is_empty() {
            break;
        }
        path.push(id.to_string());
        match s[id.len()..].strip_prefix("::") {
            Some(next) if !next.starts_with('{') => s = next,
            Some(next) => {
                let tails = segments(next);
                return tails
                    .into_iter()
                    .map(|t| path.iter().cloned().chain(t).collect())
                    .collect();
            }
            None => break,
        }
    }
    vec![path]
}

/// The longest prefix of `path` that is a module.
fn resolve(path: &[String], modules: &BTreeSet<Vec<String>>) -> Option<Vec<String>> {
    (1..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|p| modules.contains(p))
}

type Graph = BTreeMap<String, BTreeMap<String, Vec<String>>>;

/// A circle in `graph`, as the nodes in order, if there is one.
fn circle(graph: &Graph) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &Graph,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(node.to_string(), 1);
        stack.push(node.to_string());
        for next in graph.get(node).into_iter().flat_map(|m| m.keys()) {
            match state.get(next.as_str()) {
                Some(1) => {
                    let from = stack.iter().position(|n| n == next).unwrap();
                    let mut c = stack[from..].to_vec();
                    c.push(next.clone());
                    return Some(c);
                }
                Some(_) => {}
                None => {
                    if let Some(c) = visit(next, graph, state, stack) {
                        return Some(c);
                    }
                }
            }
        }
        stack.pop();
        state.insert(node.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for node in graph.keys() {
        if !state.contains_key(node.as_str()) {
            if let Some(c) = visit(node, graph, &mut state, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}

#[test]
fn no_import_circle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files: Vec<(Vec<String>, String, String)> = walkdir::WalkDir::new(&src)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| {
            let rel = e.path().strip_prefix(&src).unwrap().to_path_buf();
            let text = std::fs::read_to_string(e.path()).unwrap();
            (module_of(&rel), rel.display().to_string(), code_of(&text))
        })
        .collect();
    let modules: BTreeSet<Vec<String>> = files.iter().map(|f| f.0.clone()).collect();
    // Level 1: top-level modules. Level 2: the files of one folder, its mod.rs left out.
    let mut top: Graph = BTreeMap::new();
    let mut siblings: BTreeMap<Vec<String>, Graph> = BTreeMap::new();
    for (module, file, code) in &files {
        for (path, line) in named_paths(code, module) {
            let Some(target) = resolve(&path, &modules) else {
                continue;
            };
            let why = format!("{file}:{line} uses {}", path.join("::"));
            if let (Some(a), Some(b)) = (module.first(), target.first()) {
                if a != b {
                    top.entry(a.clone())
                        .or_default()
                        .entry(b.clone())
                        .or_default()
                        .push(why.clone());
                }
            }
            // Two files of one folder: the first segment past their common parent differs.
            let common = module
                .iter()
                .zip(&target)
                .take_while(|(a, b)| a == b)
                .count();
            if common > 0 && common < module.len() && common < target.len() {
                let parent = module[..common].to_vec();
                siblings
                    .entry(parent)
                    .or_default()
                    .entry(module[common].clone())
                    .or_default()
                    .entry(target[common].clone())
                    .or_default()
                    .push(why);
            }
        }
    }
    let mut problems = Vec::new();
    let graphs =
        std::iter::once((Vec::new(), &top)).chain(siblings.iter().map(|(p, g)| (p.clone(), g)));
    for (parent, graph) in graphs {
        if let Some(c) = circle(graph) {
            let place = match parent.is_empty() {
                true => "between the top-level modules".to_string(),
                false => format!("between the files of crate::{}", parent.join("::")),
            };
            let mut text = format!("a circle {place}: {}\n", c.join(" -> "));
            for pair in c.windows(2) {
                for why in graph[&pair[0]][&pair[1]].iter().take(3) {
                    text.push_str(&format!("    {why}\n"));
                }
            }
            problems.push(text);
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_reader_follows_paths_and_groups() {
    let here = vec!["markdown".to_string(), "tags".to_string()];
    let code = code_of(
        "use crate::{config::Config, url};\nuse super::adapter::Step;\n// crate::site::x\nlet s = \"crate::render\"; crate::index::Index::build();\n#[cfg(test)]\nuse crate::site;",
    );
    let paths: Vec<String> = named_paths(&code, &here)
        .into_iter()
        .map(|(p, _)| p.join("::"))
        .collect();
    assert_eq!(
        paths,
        [
            "config::Config",
            "url",
            "index::Index::build",
            "markdown::adapter::Step"
        ]
    );
}
