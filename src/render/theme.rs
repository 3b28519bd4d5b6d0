//! The theme in force for a site: the default templates and static files compiled in, and
//! a site's own `templates/` and `static/` files replacing them file by file.

use crate::config::Config;
use crate::content::{hash_of, Content};
use crate::diagnostic::Diagnostic;
use crate::fsx;
use include_dir::{include_dir, Dir};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

static DEFAULT_TEMPLATES: Dir = include_dir!("$CARGO_MANIFEST_DIR/templates");
static DEFAULT_STATIC: Dir = include_dir!("$CARGO_MANIFEST_DIR/static");

/// The templates and static files in force for a site.
pub(crate) struct Theme {
    tera: tera::Tera,
    /// Template name -> the path shown in diagnostics.
    sources: HashMap<String, PathBuf>,
    pub(super) statics: BTreeMap<String, Content>,
    /// Changes whenever any template does, so cached pages are rendered again.
    pub(crate) fingerprint: u64,
    /// A template did not parse (and was reported once): nothing can be rendered.
    pub(super) broken: bool,
}

fn embedded_files(dir: &'static Dir<'static>) -> Vec<(String, &'static [u8])> {
    let mut out = Vec::new();
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for f in d.files() {
            out.push((f.path().to_string_lossy().replace('\\', "/"), f.contents()));
        }
        stack.extend(d.dirs());
    }
    out.sort();
    out
}

/// Files under `dir`, relative and `/`-separated, sorted.
fn site_files(dir: &Path) -> Vec<(String, PathBuf)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut out: Vec<(String, PathBuf)> = WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            Some((rel, e.path().to_path_buf()))
        })
        .collect();
    out.sort();
    out
}

impl Theme {
    pub(crate) fn load(config: &Config, diags: &mut Vec<Diagnostic>) -> anyhow::Result<Theme> {
        let mut templates: BTreeMap<String, (String, PathBuf)> = BTreeMap::new();
        for (name, bytes) in embedded_files(&DEFAULT_TEMPLATES) {
            let text = String::from_utf8_lossy(bytes).into_owned();
            templates.insert(
                name.clone(),
                (text, PathBuf::from(format!("templates/{name} (built-in)"))),
            );
        }
        let site_templates = config.root.join("templates");
        // Only markup files are templates: a vault's `templates/` folder of note templates
        // (Obsidian's) must not be parsed as tera.
        let markup = |name: &str| name.ends_with(".html") || name.ends_with(".xml");
        for (name, path) in site_files(&site_templates)
            .into_iter()
            .filter(|(n, _)| markup(n))
        {
            let text = fsx::read_to_string(&path)?;
            templates.insert(name, (text, config.display_path(&path)));
        }
        let fingerprint = hash_of(
            templates
                .iter()
                .map(|(name, (text, _))| (name, text))
                .collect::<Vec<_>>(),
        );
        let mut tera = tera::Tera::default();
        let mut sources = HashMap::new();
        for (name, (_, path)) in &templates {
            sources.insert(name.clone(), path.clone());
        }
        // All at once: templates extend each other, so they must be loaded together.
        let batch = templates.iter().map(|(name, (text, _))| (name, text));
        let broken = match tera.add_raw_templates(batch) {
            Ok(()) => false,
            Err(e) => {
                diags.push(template_error(&e, &sources));
                true
            }
        };
        let mut statics = BTreeMap::new();
        for (name, bytes) in embedded_files(&DEFAULT_STATIC) {
            statics.insert(format!("static/{name}"), Content::Bytes(bytes.into()));
        }
        for (name, path) in site_files(&config.root.join("static")) {
            statics.insert(format!("static/{name}"), Content::Copy(path));
        }
        Ok(Theme {
            tera,
            sources,
            statics,
            fingerprint,
            broken,
        })
    }

    pub(super) fn render(&self, name: &str, ctx: &tera::Context) -> Result<String, Diagnostic> {
        self.tera
            .render(name, ctx)
            .map_err(|e| template_error(&e, &self.sources))
    }
}

/// A tera error as a diagnostic at the template's file:line:col.
fn template_error(err: &tera::Error, sources: &HashMap<String, PathBuf>) -> Diagnostic {
    use tera::ErrorKind;
    let (file, line, col, message) = match err.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
            let span = r.span();
            (
                r.filename().to_string(),
                span.start_line,
                span.start_col + 1,
                r.message().to_string(),
            )
        }
        other => (String::new(), 0, 0, other.to_string()),
    };
    let path = sources.get(&file).cloned().unwrap_or_else(|| {
        PathBuf::from(if file.is_empty() {
            "templates".into()
        } else {
            format!("templates/{file}")
        })
    });
    let mut message = format!("template error: {message}");
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        message.push_str(&format!(": {s}"));
        source = s.source();
    }
    Diagnostic::error(&path, line, col, message)
        .with_help("fix the template; the built-in theme's templates are in the studysite repository's templates/ folder")
}
