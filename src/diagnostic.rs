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
    /// A link, anchor or image that points at nothing: an error under `check`.
    pub(crate) broken_link: bool,
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
            broken_link: false,
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
