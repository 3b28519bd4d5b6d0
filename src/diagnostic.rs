//! Problems found in the user's files, reported rustc-style and all together.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    /// Something the user should know that is not wrong (`--strict` lets it pass).
    Note,
}

/// One problem at `file:line:col`, with an optional `help` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub(crate) severity: Severity,
    /// Path as shown to the user (relative to the site folder where possible).
    pub(crate) file: PathBuf,
    pub(crate) line: usize,
    pub(crate) col: usize,
    pub(crate) message: String,
    pub(crate) help: Option<String>,
    /// The kind of warning, which `[lints]` in studysite.toml can turn off or make an error.
    pub(crate) lint: Option<Lint>,
    /// Warnings of one kind and group are reported once, as one (the blocks of one unknown
    /// language).
    pub(crate) group: Option<String>,
}

/// The kinds of warning, by the name `[lints]` knows them by.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Lint {
    /// A link, anchor or image that points at nothing: an error under `check`.
    BrokenLink,
    UnknownLanguage,
    BoxDrawing,
    UndefinedAnswer,
    Liquid,
    Symlink,
    /// A quiz whose answer names a letter none of its options has.
    QuizAnswer,
    /// A ```mermaid block that does not parse.
    Mermaid,
}

impl Lint {
    pub(crate) const ALL: [Lint; 8] = [
        Lint::BrokenLink,
        Lint::UnknownLanguage,
        Lint::BoxDrawing,
        Lint::UndefinedAnswer,
        Lint::Liquid,
        Lint::Symlink,
        Lint::QuizAnswer,
        Lint::Mermaid,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Lint::BrokenLink => "broken-link",
            Lint::UnknownLanguage => "unknown-language",
            Lint::BoxDrawing => "box-drawing",
            Lint::UndefinedAnswer => "undefined-answer",
            Lint::Liquid => "liquid",
            Lint::Symlink => "symlink",
            Lint::QuizAnswer => "quiz-answer",
            Lint::Mermaid => "mermaid",
        }
    }

    /// How the summary counts them.
    fn plural(self) -> &'static str {
        match self {
            Lint::BrokenLink => "broken links, anchors or images",
            Lint::UnknownLanguage => "unknown code languages",
            Lint::BoxDrawing => "diagrams with box lines that do not meet",
            Lint::UndefinedAnswer => "scenario answers no note defines",
            Lint::Liquid => "kinds of Liquid shown as written",
            Lint::Symlink => "symlinks out of the site folder",
            Lint::QuizAnswer => "quiz answers naming a letter no option has",
            Lint::Mermaid => "Mermaid diagrams that do not parse",
        }
    }

    pub(crate) fn named(name: &str) -> Option<Lint> {
        Lint::ALL.into_iter().find(|l| l.name() == name)
    }
}

/// What `[lints]` makes of a kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Allow,
    Warn,
    Error,
}

impl Diagnostic {
    pub(crate) fn warning(
        file: &Path,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            file: file.to_path_buf(),
            line,
            col,
            message: message.into(),
            help: None,
            lint: None,
            group: None,
        }
    }

    pub(crate) fn note(file: &Path, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Note,
            ..Diagnostic::warning(file, 0, 0, message)
        }
    }

    pub(crate) fn error(file: &Path, line: usize, col: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            ..Diagnostic::warning(file, line, col, message)
        }
    }

    pub(crate) fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub(crate) fn with_lint(mut self, lint: Lint) -> Self {
        self.lint = Some(lint);
        self
    }

    pub(crate) fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        write!(f, "{}", self.file.display())?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.col)?;
        }
        write!(f, ": {kind}: {}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  = help: {help}")?;
        }
        Ok(())
    }
}

/// A link to outside the site, where it was written (`check` lists or fetches them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalLink {
    pub url: String,
    pub file: PathBuf,
    pub line: usize,
    pub col: usize,
}

/// What a build found and how long it took.
#[derive(Debug, Default)]
pub struct Report {
    pub pages: usize,
    pub elapsed: std::time::Duration,
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// Every link to outside the site, where it is written.
    pub(crate) external: Vec<ExternalLink>,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        let warning = |d: &&Diagnostic| d.severity == Severity::Warning;
        self.diagnostics.iter().filter(warning).count()
    }

    /// Every diagnostic, rustc-style, sorted by file and line.
    pub fn diagnostics(&self) -> Vec<String> {
        self.diagnostics.iter().map(ToString::to_string).collect()
    }

    /// Did the build fail (an error, or any warning under `--strict`)?
    pub fn failed(&self, strict: bool) -> bool {
        self.errors() > 0 || (strict && self.warnings() > 0)
    }
}

/// Applies `[lints]`: an allowed kind is dropped, one made an error is one.
pub(crate) fn apply_levels(diags: &mut Vec<Diagnostic>, levels: &[(Lint, Level)]) {
    let level = |d: &Diagnostic| {
        let lint = d.lint?;
        levels.iter().find(|(l, _)| *l == lint).map(|(_, v)| *v)
    };
    diags.retain(|d| level(d) != Some(Level::Allow));
    for d in diags.iter_mut() {
        if level(d) == Some(Level::Error) && d.severity == Severity::Warning {
            d.severity = Severity::Error;
        }
    }
}

/// Warnings of one kind and group become one, at the first (in file order), saying how many
/// there were and where else: `unknown code language `cypher` (820 blocks in 12 notes...)`.
/// Run after [`sort`].
pub(crate) fn consolidate(diags: &mut Vec<Diagnostic>) {
    let mut first: std::collections::HashMap<(Lint, String), usize> = Default::default();
    let mut counts: Vec<(usize, Vec<PathBuf>)> = vec![(0, Vec::new()); diags.len()];
    let mut keep = vec![true; diags.len()];
    for (i, d) in diags.iter().enumerate() {
        let (Some(lint), Some(group)) = (d.lint, &d.group) else {
            continue;
        };
        let at = *first.entry((lint, group.clone())).or_insert(i);
        keep[i] = at == i;
        counts[at].0 += 1;
        if !counts[at].1.contains(&d.file) {
            counts[at].1.push(d.file.clone());
        }
    }
    for (i, d) in diags.iter_mut().enumerate() {
        let (n, files) = &counts[i];
        if keep[i] && *n > 1 {
            let others: Vec<String> = files
                .iter()
                .skip(1)
                .take(3)
                .map(|f| format!("`{}`", f.display()))
                .collect();
            let more = if files.len() > 4 { ", ..." } else { "" };
            let also = if others.is_empty() {
                String::new()
            } else {
                format!("; also in {}{more}", others.join(", "))
            };
            d.message = format!("{} ({n} times in {} file(s){also})", d.message, files.len());
        }
    }
    let mut i = 0;
    diags.retain(|_| {
        i += 1;
        keep[i - 1]
    });
}

/// How much of a report to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Errors and the summary.
    Quiet,
    /// Errors and broken links in full, up to [`SHOWN_PER_KIND`] of each other kind.
    Normal,
    /// Everything.
    Verbose,
}

/// How many warnings of one kind are printed before they are only counted.
pub const SHOWN_PER_KIND: usize = 10;

impl Report {
    /// The report as a person reads it: what is broken first (errors, then broken links),
    /// then the other warnings grouped by kind, then notes, then a summary by kind with the
    /// way to turn each off.
    pub fn lines(&self, detail: Detail) -> Vec<String> {
        let mut out = Vec::new();
        let d = &self.diagnostics;
        let errors = d.iter().filter(|x| x.is_error());
        out.extend(errors.map(ToString::to_string));
        if detail == Detail::Quiet {
            out.extend(self.summary());
            return out;
        }
        let warning = |x: &&Diagnostic| x.severity == Severity::Warning;
        let broken = d
            .iter()
            .filter(warning)
            .filter(|x| x.lint == Some(Lint::BrokenLink));
        out.extend(broken.map(ToString::to_string));
        let untyped = d.iter().filter(warning).filter(|x| x.lint.is_none());
        out.extend(untyped.map(ToString::to_string));
        for lint in Lint::ALL.into_iter().filter(|l| *l != Lint::BrokenLink) {
            let of_kind: Vec<&Diagnostic> = d
                .iter()
                .filter(warning)
                .filter(|x| x.lint == Some(lint))
                .collect();
            let shown = match detail {
                Detail::Verbose => of_kind.len(),
                _ => of_kind.len().min(SHOWN_PER_KIND),
            };
            out.extend(of_kind[..shown].iter().map(|x| x.to_string()));
            if shown < of_kind.len() {
                out.push(format!(
                    "... and {} more `{}` warnings (--verbose prints them all)",
                    of_kind.len() - shown,
                    lint.name()
                ));
            }
        }
        let notes = d.iter().filter(|x| x.severity == Severity::Note);
        out.extend(notes.map(ToString::to_string));
        out.extend(self.summary());
        out
    }

    /// One line counting the warnings of each kind, and how to turn a kind off.
    fn summary(&self) -> Option<String> {
        let warning = |x: &&Diagnostic| x.severity == Severity::Warning;
        let mut parts = Vec::new();
        let mut first_kind = None;
        for lint in Lint::ALL {
            let n = self
                .diagnostics
                .iter()
                .filter(warning)
                .filter(|x| x.lint == Some(lint))
                .count();
            if n > 0 {
                parts.push(format!("{n} {}", lint.plural()));
                first_kind.get_or_insert(lint);
            }
        }
        let other = self
            .diagnostics
            .iter()
            .filter(warning)
            .filter(|x| x.lint.is_none())
            .count();
        if other > 0 {
            parts.push(format!("{other} other"));
        }
        if parts.is_empty() {
            return None;
        }
        let mut line = format!("warnings: {}", parts.join(", "));
        if let Some(kind) = first_kind {
            line.push_str(&format!(
                "\n  = help: studysite.toml can turn a kind off or make it an error: `[lints]` then `{} = \"allow\"` (or \"error\")",
                kind.name()
            ));
        }
        Some(line)
    }
}

/// Sorts by file, line and column so output is stable and reads top to bottom.
pub(crate) fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (&a.file, a.line, a.col, &a.message).cmp(&(&b.file, b.line, b.col, &b.message))
    });
}

/// The closest candidate to `wanted` by edit distance, if close enough to suggest.
pub(crate) fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let wanted_l = wanted.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&wanted_l, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}
