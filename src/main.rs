//! The command line: one function declares each subcommand's arguments, one runs it.

use anyhow::Result;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use studysite::{BuildOptions, Config};

/// jemalloc instead of the system allocator: a build makes and drops millions of small
/// strings and event buffers across both cores, and glibc's malloc and free were some 13% of
/// its CPU (10,000 shared-generator notes: 6.9-8.2 s with glibc, 6.4-6.5 s with jemalloc).
#[global_allocator]
static ALLOC: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options, read at its start (the crate prefixes its symbols with `_rjem_`):
/// pages freed are handed back to the system after a second, not ten, so memory a stage is
/// done with does not count again in the next stage's peak (10,000 shared-generator notes:
/// 610 -> 509 MB peak, the same time).
#[export_name = "_rjem_malloc_conf"]
static MALLOC_CONF: &[u8; 37] = b"dirty_decay_ms:1000,muzzy_decay_ms:0\0";

#[derive(Parser)]
#[command(
    name = "studysite",
    version,
    about = "Build a study website from a folder of markdown notes"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into PATH/public (or -o OUT)
    Build(BuildArgs),
    /// Serve the site from memory with live reload, rebuilding as notes change
    Serve(ServeArgs),
    /// Check every link, anchor and image without writing anything; exit 1 if one is broken
    Check(CheckArgs),
    /// Start a new site in DIR that shows every feature (notes and a commented studysite.toml)
    Init(InitArgs),
}

#[derive(Args)]
struct InitArgs {
    /// The folder to create the site in (made if missing; must not hold notes/ or studysite.toml)
    #[arg(default_value = ".")]
    dir: PathBuf,
}

#[derive(Args)]
struct CheckArgs {
    /// The site folder, as for `build`
    #[arg(default_value = ".")]
    path: PathBuf,
    /// Fail on any warning too, not only on broken links
    #[arg(long)]
    strict: bool,
    /// Also request every external link (a few at a time, with a time limit)
    #[arg(long)]
    external: bool,
    #[command(flatten)]
    output: Output,
    /// Include notes marked `draft: true`
    #[arg(long)]
    drafts: bool,
    #[command(flatten)]
    cache: CacheArgs,
}

#[derive(Args)]
struct BuildArgs {
    /// The site folder: notes in PATH/notes/ (or PATH itself), studysite.toml beside them
    #[arg(default_value = ".")]
    path: PathBuf,
    /// Output folder [default: PATH/public]
    #[arg(short, long, value_name = "OUT")]
    out: Option<PathBuf>,
    /// Where the site will live: a full URL (https://host/sub/) or a path (/sub/)
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Treat every warning as an error
    #[arg(long)]
    strict: bool,
    /// Include notes marked `draft: true`
    #[arg(long)]
    drafts: bool,
    #[command(flatten)]
    output: Output,
    #[command(flatten)]
    cache: CacheArgs,
}

/// Whether to use the persistent cache of highlighted code.
#[derive(Args)]
struct CacheArgs {
    /// Neither read nor write the caches in the user's cache folder (highlighted code, drawn
    /// diagrams, parsed and rendered notes)
    #[arg(long)]
    no_cache: bool,
}

impl CacheArgs {
    fn dir(&self) -> Option<PathBuf> {
        if self.no_cache {
            None
        } else {
            studysite::config::user_cache_dir()
        }
    }
}

/// How much of the report to print.
#[derive(Args)]
struct Output {
    /// Print only errors and the summary of warnings
    #[arg(short, long, conflicts_with = "verbose")]
    quiet: bool,
    /// Print every warning (by default at most ten of each kind, then a count)
    #[arg(short, long)]
    verbose: bool,
}

impl Output {
    fn detail(&self) -> studysite::diagnostic::Detail {
        use studysite::diagnostic::Detail;
        match (self.quiet, self.verbose) {
            (true, _) => Detail::Quiet,
            (_, true) => Detail::Verbose,
            _ => Detail::Normal,
        }
    }
}

impl BuildArgs {
    fn options(&self) -> BuildOptions {
        BuildOptions {
            path: self.path.clone(),
            out: self.out.clone(),
            base_url: self.base_url.clone(),
            strict: self.strict,
            drafts: self.drafts,
            cache_dir: self.cache.dir(),
        }
    }
}

#[derive(Args)]
struct ServeArgs {
    /// The site folder, as for `build`
    #[arg(default_value = ".")]
    path: PathBuf,
    /// Port [default: 3000, or the next free one]
    #[arg(short, long)]
    port: Option<u16>,
    /// Address to listen on; other machines can connect only if this is not loopback
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    bind: std::net::IpAddr,
    /// Open the site in the default browser
    #[arg(long)]
    open: bool,
    /// Include notes marked `draft: true`
    #[arg(long)]
    drafts: bool,
    /// On every change, open pages go to the page of the note that changed
    #[arg(long)]
    follow: bool,
    /// Serve under this path (/sub/) or the path of this URL, as the site will be published
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    #[command(flatten)]
    cache: CacheArgs,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build(args) => build(&args),
        Command::Serve(args) => serve(&args),
        Command::Check(args) => check(&args),
        Command::Init(args) => init(&args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Loads the config, printing its diagnostics when it is broken.
fn load(opts: &BuildOptions) -> Option<Config> {
    match Config::load(opts) {
        Ok(c) => Some(c),
        Err(diags) => {
            for d in &diags {
                eprintln!("{d}");
            }
            eprintln!("error: the build failed: fix studysite.toml");
            None
        }
    }
}

fn build(args: &BuildArgs) -> Result<ExitCode> {
    let started = std::time::Instant::now();
    let opts = args.options();
    let Some(config) = load(&opts) else {
        return Ok(ExitCode::FAILURE);
    };
    studysite::output::check_out_dir(&config)?;
    // The pages go to the new site's folder as they are made; a failed build drops it.
    let stage = studysite::output::Stage::open(&config)?;
    let built = studysite::build_into(&config, &stage)?;
    let report = &built.report;
    for line in report.lines(args.output.detail()) {
        eprintln!("{line}");
    }
    if report.failed(config.strict) {
        eprintln!(
            "error: the build failed with {} error(s) and {} warning(s){}; `{}` was left as it was",
            report.errors(),
            report.warnings(),
            if config.strict { " (--strict)" } else { "" },
            config.out_dir.display()
        );
        return Ok(ExitCode::FAILURE);
    }
    let mut timings = studysite::site::Timings::start();
    stage.commit(&built)?;
    timings.lap("write");
    if let Some(note) = studysite::publish::base_url_notice(&config) {
        eprintln!("{note}");
    }
    println!(
        "built {} pages in {} ms -> {}/",
        report.pages,
        started.elapsed().as_millis(),
        config.out_dir.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn serve(args: &ServeArgs) -> Result<ExitCode> {
    let options = BuildOptions {
        path: args.path.clone(),
        base_url: args.base_url.clone(),
        drafts: args.drafts,
        cache_dir: args.cache.dir(),
        ..BuildOptions::default()
    };
    let serve = studysite::serve::ServeOptions {
        port: args.port,
        bind: args.bind,
        follow: args.follow,
        verbose: true,
        ..Default::default()
    };
    studysite::serve::run(&options, &serve, args.open)?;
    Ok(ExitCode::SUCCESS)
}

fn init(args: &InitArgs) -> Result<ExitCode> {
    let written = studysite::init::init(&args.dir)?;
    for path in &written {
        println!("wrote {}", path.display());
    }
    println!(
        "a new site is in `{dir}`: `studysite serve {dir}` previews it, `studysite build {dir}` writes it",
        dir = args.dir.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn check(args: &CheckArgs) -> Result<ExitCode> {
    let opts = BuildOptions {
        path: args.path.clone(),
        strict: args.strict,
        drafts: args.drafts,
        cache_dir: args.cache.dir(),
        ..BuildOptions::default()
    };
    let Some(config) = load(&opts) else {
        return Ok(ExitCode::FAILURE);
    };
    let checked = studysite::check::check(&config, args.external)?;
    let report = &checked.report;
    for line in report.lines(args.output.detail()) {
        eprintln!("{line}");
    }
    for (link, why) in &checked.failed_external {
        eprintln!(
            "{}:{}:{}: warning: external link `{}`: {why}",
            link.file.display(),
            link.line,
            link.col,
            link.url
        );
    }
    if !checked.external.is_empty() && !args.external {
        println!(
            "{} external link(s), not fetched (--external fetches them):",
            checked.external.len()
        );
        for link in &checked.external {
            println!(
                "  {} ({}:{}:{})",
                link.url,
                link.file.display(),
                link.line,
                link.col
            );
        }
    }
    let failed =
        report.failed(config.strict) || (config.strict && !checked.failed_external.is_empty());
    if failed {
        eprintln!(
            "error: check failed with {} error(s) and {} warning(s){}",
            report.errors(),
            report.warnings() + checked.failed_external.len(),
            if config.strict { " (--strict)" } else { "" }
        );
        return Ok(ExitCode::FAILURE);
    }
    println!(
        "checked {} pages: no broken links, anchors or images ({} warning(s))",
        report.pages,
        report.warnings() + checked.failed_external.len()
    );
    Ok(ExitCode::SUCCESS)
}
