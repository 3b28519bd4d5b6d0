//! `studysite.toml` and command-line flags, merged into one [`Config`].

use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::fsx;
use crate::source_map::LineIndex;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// What the command line says about a build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site folder (default `.`).
    pub path: PathBuf,
    /// Output folder (default `PATH/public`).
    pub out: Option<PathBuf>,
    pub base_url: Option<String>,
    pub strict: bool,
    pub drafts: bool,
    /// The folder of the persistent caches (highlighted code); `None` uses none. The
    /// command line passes [`user_cache_dir`] unless `--no-cache`.
    pub cache_dir: Option<PathBuf>,
}

/// studysite's folder in the user's cache folder (`$XDG_CACHE_HOME/studysite`, else
/// `~/.cache/studysite` on Linux), when there is one.
pub fn user_cache_dir() -> Option<PathBuf> {
    dirs::cache_dir().map(|d| d.join("studysite"))
}

/// How diagrams are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum DiagramMode {
    #[default]
    Text,
    Svg,
}

/// The keys `studysite.toml` accepts; each is documented in the README.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    title: Option<String>,
    base_url: Option<String>,
    description: Option<String>,
    edit_url: Option<String>,
    diagrams: Option<DiagramMode>,
    callout_prefixes: Option<Vec<String>>,
    scenario_columns: Option<Vec<String>>,
    answer_columns: Option<Vec<String>>,
    term_prefixes: Option<Vec<String>>,
    glossary: Option<bool>,
    hard_breaks: Option<bool>,
    follow_links: Option<bool>,
    #[serde(default)]
    lints: toml::Table,
    #[serde(default)]
    extra: toml::Table,
}

const KEYS: &[&str] = &[
    "title",
    "base_url",
    "description",
    "edit_url",
    "diagrams",
    "callout_prefixes",
    "scenario_columns",
    "answer_columns",
    "term_prefixes",
    "glossary",
    "hard_breaks",
    "follow_links",
    "lints",
    "extra",
];

/// Header words that mark the column of needs in a "when to use what" table.
pub(crate) const SCENARIO_COLUMNS: &[&str] = &[
    "Scenario",
    "When",
    "Use when",
    "Use for",
    "Used for",
    "I want to",
    "Use case",
    "Use cases",
    "Key use cases",
    "Common use cases",
    "Best for",
    "Ideal for",
    "Good for",
    "Great for",
    "Task",
    "Workload",
    "Situation",
    "Need",
    "If you need",
    "Requirement",
    "Problem",
    "Anti-pattern",
    "Symptom",
    "Pitfall",
    "Issue",
    "Goal",
    "Algorithm type",
];

/// Header words that mark the column of choices; without one, a row's first cell is its
/// choice.
pub(crate) const ANSWER_COLUMNS: &[&str] = &[
    "Service",
    "Services",
    "Primary service",
    "AI service",
    "Use",
    "Answer",
    "Pick",
    "Choose",
    "Choice",
    "Solution",
    "Fix",
    "Quick fix",
    "Tool",
    "Recommendation",
    "Recommended",
    "Built-in algorithms",
    "Algorithm",
    "Pattern",
    "Strategy",
    "Approach",
    "Instance type",
];

/// Vendor words a name is also known without ("Amazon Athena" is "Athena").
const TERM_PREFIXES: &[&str] = &[
    "AWS",
    "Amazon",
    "Azure",
    "Google Cloud",
    "Google",
    "GCP",
    "Apache",
    "Databricks",
    "Microsoft",
];

/// Everything a build needs to know, resolved.
#[derive(Debug, Clone)]
pub struct Config {
    /// The site folder.
    pub root: PathBuf,
    /// Where the notes are: `root/notes` when it exists, else the folder an mdBook's
    /// `book.toml` or a MkDocs `mkdocs.yml` in `root` names, else `root`.
    pub notes_dir: PathBuf,
    /// Set when the site is an mdBook or a MkDocs project: its title and reading order.
    pub project: Option<crate::project::Project>,
    pub out_dir: PathBuf,
    /// From studysite.toml only; the site title falls back later (root index, folder name).
    pub title: Option<String>,
    /// As given, `""` when unset. Either a full URL or a path.
    pub base_url: String,
    pub description: String,
    pub edit_url: Option<String>,
    pub diagrams: DiagramMode,
    pub callout_prefixes: Vec<String>,
    pub scenario_columns: Vec<String>,
    pub answer_columns: Vec<String>,
    pub term_prefixes: Vec<String>,
    pub glossary: bool,
    /// Is a line break inside a paragraph kept (as Obsidian shows it), not a space?
    pub hard_breaks: bool,
    /// Are symlinks that lead out of the site folder followed (and what they point to
    /// published)? Off by default: a link to `/etc` must not put it on the web.
    pub follow_links: bool,
    /// `[lints]`: what becomes of each kind of warning.
    pub lints: Vec<(crate::diagnostic::Lint, crate::diagnostic::Level)>,
    /// Problems found while loading that do not stop a build (a project file that does
    /// not parse); every build reports them.
    pub(crate) warnings: Vec<Diagnostic>,
    pub extra: serde_json::Value,
    pub drafts: bool,
    pub strict: bool,
    /// See [`BuildOptions::cache_dir`].
    pub cache_dir: Option<PathBuf>,
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

impl Config {
    /// Reads `studysite.toml` (if any) and applies the command-line flags.
    /// A bad config file gives diagnostics at its line, not a panic or a bare message.
    pub fn load(opts: &BuildOptions) -> Result<Config, Vec<Diagnostic>> {
        let root = if opts.path.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            opts.path.clone()
        };
        if root.is_file() {
            let d = Diagnostic::error(&root, 0, 0, "this is a file; PATH is the site folder")
                .with_help("give the folder that holds the notes (or `notes/` and `studysite.toml`), e.g. `studysite build .`");
            return Err(vec![d]);
        }
        if !root.is_dir() {
            let d = Diagnostic::error(&root, 0, 0, "no such folder")
                .with_help("give the site folder: the one that holds the notes (or `notes/` and `studysite.toml`)");
            return Err(vec![d]);
        }
        let file_path = root.join("studysite.toml");
        let file_text = if file_path.is_file() {
            fsx::read_to_string(&file_path)
                .map_err(|e| vec![Diagnostic::error(&file_path, 0, 0, format!("{e:#}"))])?
        } else {
            String::new()
        };
        let file = parse_file(&file_path, &file_text)?;
        let notes_dir = if root.join("notes").is_dir() {
            root.join("notes")
        } else {
            crate::project::notes_dir(&root)
                .filter(|src| src.is_dir())
                .unwrap_or_else(|| root.clone())
        };
        let mut warnings = Vec::new();
        let project = crate::project::load(&root, &notes_dir, &mut warnings);
        let hard_breaks = file
            .hard_breaks
            .unwrap_or_else(|| obsidian_breaks(&root, &notes_dir));
        let out_dir = opts.out.clone().unwrap_or_else(|| root.join("public"));
        let project_base = project.as_ref().and_then(|p| p.base_url.clone());
        let project_description = project.as_ref().and_then(|p| p.description.clone());
        let extra = serde_json::to_value(&file.extra).unwrap_or(serde_json::Value::Null);
        Ok(Config {
            notes_dir,
            out_dir,
            title: file
                .title
                .or_else(|| project.as_ref().and_then(|p| p.title.clone())),
            project,
            base_url: opts
                .base_url
                .clone()
                .or(file.base_url)
                .or(project_base)
                .unwrap_or_default(),
            description: file.description.or(project_description).unwrap_or_default(),
            edit_url: file.edit_url,
            diagrams: file.diagrams.unwrap_or_default(),
            callout_prefixes: file
                .callout_prefixes
                .unwrap_or_else(|| strings(&["Exam tip", "ELI5", "Exam trap", "Note", "Warning"])),
            scenario_columns: file
                .scenario_columns
                .unwrap_or_else(|| strings(SCENARIO_COLUMNS)),
            answer_columns: file
                .answer_columns
                .unwrap_or_else(|| strings(ANSWER_COLUMNS)),
            term_prefixes: file.term_prefixes.unwrap_or_else(|| strings(TERM_PREFIXES)),
            glossary: file.glossary.unwrap_or(true),
            hard_breaks,
            follow_links: file.follow_links.unwrap_or(false),
            lints: lints(&file_path, &file_text, &file.lints)?,
            warnings,
            extra,
            drafts: opts.drafts,
            strict: opts.strict,
            cache_dir: opts.cache_dir.clone(),
            root,
        })
    }

    /// A path as shown in diagnostics: relative to the site folder where possible.
    pub(crate) fn display_path(&self, path: &Path) -> PathBuf {
        path.strip_prefix(&self.root)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| path.to_path_buf())
    }
}

/// Obsidian shows a line break inside a paragraph as a break unless "Strict line breaks" is
/// on; a vault (a `.obsidian/` folder) is read as Obsidian shows it.
fn obsidian_breaks(root: &Path, notes: &Path) -> bool {
    let Some(dir) = [notes, root]
        .iter()
        .map(|d| d.join(".obsidian"))
        .find(|d| d.is_dir())
    else {
        return false;
    };
    let strict = std::fs::read_to_string(dir.join("app.json"))
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .and_then(|v| v.get("strictLineBreaks")?.as_bool())
        .unwrap_or(false);
    !strict
}

fn parse_file(path: &Path, text: &str) -> Result<FileConfig, Vec<Diagnostic>> {
    toml::from_str::<FileConfig>(text).map_err(|err| {
        let offset = err.span().map_or(0, |s| s.start);
        let (line, col) = LineIndex::new(text).line_col(text, offset);
        let message = err.message().trim().to_string();
        let mut diag = Diagnostic::error(path, line, col, format!("in studysite.toml: {message}"));
        if let Some(unknown) = unknown_field(&message) {
            diag.message = format!("unknown key `{unknown}` in studysite.toml");
            diag = match did_you_mean(unknown, KEYS.iter().copied()) {
                Some(close) => diag.with_help(format!("did you mean `{close}`?")),
                None => diag.with_help(format!(
                    "known keys: {}; put your own keys under [extra]",
                    KEYS.join(", ")
                )),
            };
        }
        vec![diag]
    })
}

/// `[lints]`: each key a kind of warning, each value `"allow"`, `"warn"` or `"error"`;
/// anything else is an error at its line.
fn lints(
    path: &Path,
    text: &str,
    table: &toml::Table,
) -> Result<Vec<(crate::diagnostic::Lint, crate::diagnostic::Level)>, Vec<Diagnostic>> {
    use crate::diagnostic::{Level, Lint};
    let names: Vec<&str> = Lint::ALL.iter().map(|l| l.name()).collect();
    let at = |key: &str| {
        let offset = text
            .find(&format!("{key} "))
            .or_else(|| text.find(key))
            .unwrap_or(0);
        LineIndex::new(text).line_col(text, offset)
    };
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (key, value) in table {
        let (line, col) = at(key);
        let Some(lint) = Lint::named(key) else {
            let help = match did_you_mean(key, names.iter().copied()) {
                Some(close) => format!("did you mean `{close}`?"),
                None => format!("the kinds are: {}", names.join(", ")),
            };
            errors.push(
                Diagnostic::error(
                    path,
                    line,
                    col,
                    format!("unknown kind of warning `{key}` in [lints]"),
                )
                .with_help(help),
            );
            continue;
        };
        let level = match value.as_str() {
            Some("allow") => Level::Allow,
            Some("warn") => Level::Warn,
            Some("error") => Level::Error,
            _ => {
                errors.push(
                    Diagnostic::error(
                        path,
                        line,
                        col,
                        format!("`{key}` in [lints] must be \"allow\", \"warn\" or \"error\""),
                    )
                    .with_help("for example `box-drawing = \"allow\"`"),
                );
                continue;
            }
        };
        out.push((lint, level));
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn unknown_field(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("unknown field `")?;
    rest.split('`').next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_suggests_the_close_one() {
        let diags = parse_file(
            Path::new("studysite.toml"),
            "title = \"x\"\ntitel = \"y\"\n",
        )
        .unwrap_err();
        let text = diags[0].to_string();
        assert!(
            text.starts_with("studysite.toml:2:1: error: unknown key `titel`"),
            "{text}"
        );
        assert!(text.contains("did you mean `title`?"), "{text}");
    }

    #[test]
    fn wrong_type_is_an_error_at_its_line() {
        let diags = parse_file(Path::new("s.toml"), "\n\nglossary = \"yes\"\n").unwrap_err();
        assert_eq!(diags[0].line, 3);
        assert!(diags[0].message.contains("bool"), "{}", diags[0].message);
    }

    #[test]
    fn lints_by_name_and_level() {
        let text = "[lints]\nbox-drawing = \"allow\"\nbroken-link = \"error\"\n";
        let file = parse_file(Path::new("s.toml"), text).unwrap();
        let levels = lints(Path::new("s.toml"), text, &file.lints).unwrap();
        assert_eq!(levels.len(), 2);
        let text = "[lints]\nbox-drawings = \"allow\"\nliquid = \"off\"\n";
        let file = parse_file(Path::new("s.toml"), text).unwrap();
        let errors = lints(Path::new("s.toml"), text, &file.lints).unwrap_err();
        assert_eq!(errors.len(), 2);
        assert!(
            errors[0]
                .to_string()
                .contains("did you mean `box-drawing`?"),
            "{}",
            errors[0]
        );
        assert_eq!(errors[1].line, 3);
    }

    #[test]
    fn extra_takes_free_keys() {
        let cfg = parse_file(Path::new("s.toml"), "[extra]\nauthor = \"me\"\n").unwrap();
        assert_eq!(cfg.extra["author"].as_str(), Some("me"));
    }
}
