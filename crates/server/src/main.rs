//! The `clearance` command: screens files of names, measures quality, and serves the API and console.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};
use clearance_screening::{DEFAULT_THRESHOLD, Index};
use clearance_server::auth::Role;
use clearance_server::ratelimit::Limiter;
use clearance_server::validate::Mode;
use clearance_server::{app, batch, db, eval, lists};

#[derive(Parser)]
#[command(
    name = "clearance",
    version,
    about = "Sanctions screening and customer review"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Screen a CSV (with a header row) or JSON-lines file of names; one JSON object per input on stdout.
    Screen(ScreenArgs),
    /// Measure matching quality on the shared evaluation sets.
    Eval(EvalArgs),
    /// Write the compact binary index of the lists (what browsers download) to a file.
    Index(IndexArgs),
    /// Start the API and the review console on one port.
    Serve(ServeArgs),
    /// Manage API keys.
    #[command(subcommand)]
    Keys(KeysCommand),
}

#[derive(Subcommand)]
enum KeysCommand {
    /// Create a key and print it, and only it, on stdout. It is stored hashed and cannot be shown again.
    Create {
        /// The SQLite database; created and migrated when needed.
        #[arg(long, default_value = "data/clearance.db")]
        db: PathBuf,
        /// viewer reads; analyst also writes customers and decides reviews; admin also unmasks and deletes.
        #[arg(long, value_enum)]
        role: Role,
        /// Who or what holds the key; shown in the audit log.
        #[arg(long, default_value = "unnamed")]
        label: String,
    },
    /// Revoke a key by its id (key_...), as the audit log shows it.
    Revoke {
        #[arg(long, default_value = "data/clearance.db")]
        db: PathBuf,
        id: String,
    },
}

#[derive(clap::Args)]
struct ScreenArgs {
    /// A list directory; repeat for several.
    #[arg(long = "lists", required = true)]
    lists: Vec<PathBuf>,
    /// Report matches scoring at least this (0 to 1).
    #[arg(long, default_value_t = DEFAULT_THRESHOLD)]
    threshold: f64,
    /// At most this many matches per input.
    #[arg(long, default_value_t = 10)]
    top: usize,
    /// The input file, or - for standard input. Fields: name, and optional id, dob, country, type.
    input: PathBuf,
}

#[derive(clap::Args)]
struct IndexArgs {
    /// A list directory; repeat for several.
    #[arg(long = "lists", required = true)]
    lists: Vec<PathBuf>,
    /// Where to write the index.
    #[arg(long)]
    out: PathBuf,
}

#[derive(clap::Args)]
struct EvalArgs {
    /// The evaluation sets.
    #[arg(long, default_value = "../shared/eval")]
    eval: PathBuf,
    /// The list snapshots the sets refer to.
    #[arg(long, default_value = "../shared/data/lists")]
    lists: PathBuf,
    #[arg(long, default_value_t = DEFAULT_THRESHOLD)]
    threshold: f64,
    /// Print every table at a range of thresholds.
    #[arg(long)]
    sweep: bool,
    /// List the name pairs judged wrongly at the threshold.
    #[arg(long)]
    misses: bool,
    /// Run only these sets (repeatable).
    #[arg(long = "set", value_enum)]
    sets: Vec<eval::EvalSet>,
}

#[derive(clap::Args)]
struct ServeArgs {
    /// The SQLite database; created and migrated when needed.
    #[arg(long, default_value = "data/clearance.db")]
    db: PathBuf,
    /// A list directory; repeat for several. Default: the shared 2024 SDN snapshot with the 2026 aliases,
    /// else data/lists.
    #[arg(long = "lists", env = "CLEARANCE_LISTS", value_delimiter = ':')]
    lists: Vec<PathBuf>,
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: String,
    /// The built console (Trunk's dist directory); the API is served alone when it does not exist.
    #[arg(long, default_value = "dist")]
    console: PathBuf,
    /// Requests per second allowed per API key (0 turns limiting off). EasyOFAC's free tier allows 1.
    #[arg(long, env = "CLEARANCE_RATE_LIMIT", default_value_t = 50.0)]
    rate_limit: f64,
    /// Requests a key may make at once before the rate applies.
    #[arg(long, default_value_t = 100)]
    rate_burst: u32,
    /// Scores at or above this put a customer in review.
    #[arg(long, default_value_t = DEFAULT_THRESHOLD)]
    threshold: f64,
    /// Accept config.sandbox_outcome values other than `standard`, as Straddle's sandbox does.
    #[arg(long)]
    sandbox: bool,
}

fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    match Cli::parse().command {
        Command::Screen(args) => screen(args),
        Command::Eval(args) => eval::run(&eval::Options {
            eval_dir: &args.eval,
            lists_dir: &args.lists,
            threshold: args.threshold,
            sweep: args.sweep,
            misses: args.misses,
            sets: &args.sets,
        }),
        Command::Index(args) => write_index(args),
        Command::Serve(args) => serve(args),
        Command::Keys(KeysCommand::Create { db, role, label }) => {
            let conn = open_db(&db)?;
            println!("{}", db::keys::create(&conn, role, &label)?);
            Ok(())
        }
        Command::Keys(KeysCommand::Revoke { db, id }) => {
            let conn = open_db(&db)?;
            if !db::keys::revoke(&conn, &id)? {
                anyhow::bail!("no live key with id {id}");
            }
            eprintln!("revoked {id}");
            Ok(())
        }
    }
}

fn write_index(args: IndexArgs) -> anyhow::Result<()> {
    let (snapshot, _) = lists::load(&args.lists)?;
    let identity = clearance_screening::codec::Identity::of(&snapshot);
    let index = Index::build(snapshot.entities);
    let bytes = index.to_bytes(&identity);
    std::fs::write(&args.out, &bytes).with_context(|| format!("writing {}", args.out.display()))?;
    eprintln!(
        "wrote {} ({} bytes, format {}): {} entities, {} names",
        args.out.display(),
        bytes.len(),
        clearance_screening::codec::FORMAT_VERSION,
        index.entities().len(),
        index.name_count()
    );
    Ok(())
}

fn screen(args: ScreenArgs) -> anyhow::Result<()> {
    if !(0.0..=1.0).contains(&args.threshold) {
        anyhow::bail!(
            "--threshold must be between 0 and 1, not {}",
            args.threshold
        );
    }
    let started = std::time::Instant::now();
    let (snapshot, _) = lists::load(&args.lists)?;
    let report = snapshot.report.clone();
    let index = Index::build(snapshot.entities);
    let loaded = started.elapsed();
    let source = args.input.display().to_string();
    let inputs = batch::read_inputs(&batch::read_source(&args.input)?, &source)?;
    let progress = indicatif::ProgressBar::new(inputs.len() as u64);
    let started = std::time::Instant::now();
    let (count, flagged, matches) = batch::screen(
        &index,
        &inputs,
        args.threshold,
        args.top,
        &mut std::io::stdout().lock(),
        &progress,
    )?;
    progress.finish_and_clear();
    eprintln!(
        "screened {count} inputs against {} entities ({} names) in {:.2?} (lists loaded and indexed in {:.2?}; \
         {} aliases and {} addresses for unknown entities skipped): {flagged} with matches at or above {}, \
         {matches} matches in all",
        index.entities().len(),
        index.name_count(),
        started.elapsed(),
        loaded,
        report.skipped_aliases,
        report.skipped_addresses,
        args.threshold,
    );
    Ok(())
}

/// Opens the database, creating its directory and migrating it when needed.
fn open_db(path: &std::path::Path) -> anyhow::Result<rusqlite::Connection> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating the database directory {}", parent.display()))?;
    }
    db::open(path).with_context(|| format!("opening {}", path.display()))
}

fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let dirs = lists::resolve(&args.lists)?;
    // Parse and index now, so a malformed list stops the server before it accepts a customer.
    let (snapshot, described) = lists::load(&dirs)?;
    if !(0.0..=1.0).contains(&args.threshold) {
        anyhow::bail!(
            "--threshold must be between 0 and 1, not {}",
            args.threshold
        );
    }
    let conn = open_db(&args.db)?;
    for snapshot in &described {
        db::record_list_load(&conn, &snapshot.directory, &snapshot.date)?;
        tracing::info!(directory = %snapshot.directory, date = %snapshot.date, "list snapshot");
    }
    let expired = db::idempotency::expire(&conn)?;
    if expired > 0 {
        tracing::info!(expired, "idempotency keys older than 24 hours forgotten");
    }
    drop(conn);
    let lists = lists::serving_state(snapshot, described);
    tracing::info!(
        entities = lists.watchlists.load.entities,
        names = lists.watchlists.load.names,
        skipped_aliases = lists.watchlists.load.skipped_aliases,
        skipped_addresses = lists.watchlists.load.skipped_addresses,
        index_bytes = lists.index_bytes.len(),
        "lists indexed"
    );
    let state = app::AppState {
        lists,
        db: db::Db::open(&args.db).with_context(|| format!("opening {}", args.db.display()))?,
        limiter: Limiter::new(args.rate_limit, args.rate_burst),
        mode: if args.sandbox {
            Mode::Sandbox
        } else {
            Mode::Production
        },
        threshold: args.threshold,
    };
    let sweep = clearance_server::workflow::rescreen_stale(&state)
        .map_err(|e| anyhow::anyhow!("re-screening for the loaded lists: {e:?}"))?;
    if sweep.rescreened > 0 {
        tracing::info!(
            rescreened = sweep.rescreened,
            now_in_review = sweep.now_in_review,
            "customers re-screened against the loaded lists"
        );
    }
    let console = args
        .console
        .join("index.html")
        .is_file()
        .then_some(args.console.as_path());
    if console.is_none() {
        tracing::warn!(dir = %args.console.display(), "no built console there; serving the API only");
    }
    let router = app::router(state, console);

    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(&args.addr)
            .await
            .with_context(|| format!("binding {}", args.addr))?;
        // Tests and `make run` read this line to learn the port; keep its shape.
        println!("Clearance listening on http://{}", listener.local_addr()?);
        axum::serve(listener, router)
            .with_graceful_shutdown(async {
                tokio::signal::ctrl_c().await.ok();
            })
            .await?;
        Ok(())
    })
}
