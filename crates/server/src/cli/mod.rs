//! The `clearance` command's subcommands: screening files of names, measuring quality, writing the browser
//! index, managing keys, and preparing the server that `main` then serves.

pub mod batch;
pub mod eval;
pub mod lists_update;
pub mod serve;

use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};
use clearance_screening::{DEFAULT_THRESHOLD, Index};

use crate::domain::origin::Origin;
use crate::domain::roles::Role;
use crate::{lists, service};

#[derive(Parser)]
#[command(
    name = "clearance",
    version,
    about = "Sanctions screening and customer review"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
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
    /// Manage the lists in force.
    #[command(subcommand)]
    Lists(ListsCommand),
}

#[derive(Subcommand)]
pub enum ListsCommand {
    /// Bring the lists in the directories into force in the database and re-screen the customers the
    /// change can reach, with a progress bar; a server running on the same database and directories
    /// takes the new lists within seconds. A malformed file changes nothing and is named with its line.
    Update(ListsUpdateArgs),
}

#[derive(clap::Args)]
pub struct ListsUpdateArgs {
    /// The SQLite database, a file path or `sqlite://PATH`; created and migrated when needed.
    #[arg(long, default_value = "data/clearance.db", value_parser = database_path)]
    pub db: PathBuf,
    /// A list directory; repeat for several. Default: as `serve`.
    #[arg(long = "lists", env = "CLEARANCE_LISTS", value_delimiter = ':')]
    pub lists: Vec<PathBuf>,
    /// The data key file; the `CLEARANCE_DATA_KEY` environment variable takes its place when set.
    #[arg(
        long,
        env = "CLEARANCE_DATA_KEY_FILE",
        default_value = "data/clearance.key"
    )]
    pub data_key_file: PathBuf,
    /// Scores at or above this put a customer in review: the server's `--threshold`.
    #[arg(long, default_value_t = DEFAULT_THRESHOLD)]
    pub threshold: f64,
}

#[derive(Subcommand)]
pub enum KeysCommand {
    /// Create a key and print it, and only it, on stdout. It is stored hashed and cannot be shown again.
    Create {
        /// The SQLite database, a file path or `sqlite://PATH`; created and migrated when needed.
        #[arg(long, default_value = "data/clearance.db", value_parser = database_path)]
        db: PathBuf,
        /// viewer reads; analyst also writes customers and decides reviews; admin also unmasks and deletes;
        /// publishable (the onboarding widget's, `pk_...`) only creates customers, from its origins.
        #[arg(long, value_enum)]
        role: Role,
        /// Who or what holds the key; shown in the audit log.
        #[arg(long, default_value = "unnamed")]
        label: String,
        /// A web origin a publishable key may be used from, such as https://shop.example; repeat for more.
        #[arg(long = "origin", value_parser = Origin::parse)]
        origins: Vec<Origin>,
    },
    /// Write a new data key file (the key that encrypts SSN, EIN and date of birth at rest).
    CreateDataKey {
        /// Where to write it; an existing file is never overwritten.
        #[arg(long, default_value = "data/clearance.key")]
        out: PathBuf,
    },
    /// Add a new data key to the key file and re-encrypt every stored profile under it, in short
    /// transactions, while the server keeps serving.
    RotateDataKey {
        #[arg(long, default_value = "data/clearance.db", value_parser = database_path)]
        db: PathBuf,
        #[arg(long, default_value = "data/clearance.key")]
        data_key_file: PathBuf,
    },
    /// Revoke a key by its id (key_...), as the audit log shows it.
    Revoke {
        #[arg(long, default_value = "data/clearance.db", value_parser = database_path)]
        db: PathBuf,
        id: String,
    },
}

#[derive(clap::Args)]
pub struct ScreenArgs {
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
pub struct IndexArgs {
    /// A list directory; repeat for several.
    #[arg(long = "lists", required = true)]
    lists: Vec<PathBuf>,
    /// Where to write the index.
    #[arg(long)]
    out: PathBuf,
    /// Only the names, as the onboarding widget downloads it, rather than the console's full index.
    #[arg(long)]
    names_only: bool,
}

#[derive(clap::Args)]
pub struct EvalArgs {
    /// The evaluation sets.
    #[arg(long, default_value = "../shared/eval")]
    eval: PathBuf,
    /// Clearance's held-out sets.
    #[arg(long, default_value = "eval/heldout")]
    heldout: PathBuf,
    /// Which half of the held-out sets to score: tune matching changes on one, report the other.
    #[arg(long, value_enum, default_value = "report")]
    half: eval::Half,
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

/// The correlation from which four-eyes approval applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum FourEyes {
    LikelyMatch,
    HighConfidence,
}

impl FourEyes {
    pub fn correlation(self) -> clearance_api::Correlation {
        match self {
            Self::LikelyMatch => clearance_api::Correlation::LikelyMatch,
            Self::HighConfidence => clearance_api::Correlation::HighConfidence,
        }
    }
}

#[derive(clap::Args)]
pub struct ServeArgs {
    /// The SQLite database, a file path or `sqlite://PATH`; created and migrated when needed.
    #[arg(long, default_value = "data/clearance.db", value_parser = database_path)]
    pub db: PathBuf,
    /// A list directory; repeat for several. Default: the shared 2024 SDN snapshot with the 2026 aliases,
    /// else data/lists.
    #[arg(long = "lists", env = "CLEARANCE_LISTS", value_delimiter = ':')]
    pub lists: Vec<PathBuf>,
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// The built console (Trunk's dist directory); the API is served alone when it does not exist.
    #[arg(long, default_value = "dist")]
    pub console: PathBuf,
    /// The onboarding widget's wasm-pack build (`make widget`), served under /widget/pkg/.
    #[arg(long, default_value = "crates/widget/pkg")]
    pub widget: PathBuf,
    /// Requests per second allowed per API key (0 turns limiting off). EasyOFAC's free tier allows 1.
    #[arg(long, env = "CLEARANCE_RATE_LIMIT", default_value_t = 50.0)]
    pub rate_limit: f64,
    /// Requests a key may make at once before the rate applies.
    #[arg(long, default_value_t = 100)]
    pub rate_burst: u32,
    /// Scores at or above this put a customer in review.
    #[arg(long, default_value_t = DEFAULT_THRESHOLD)]
    pub threshold: f64,
    /// The data key file (`clearance keys create-data-key`); the `CLEARANCE_DATA_KEY` environment variable,
    /// holding the same lines, takes its place when set.
    #[arg(
        long,
        env = "CLEARANCE_DATA_KEY_FILE",
        default_value = "data/clearance.key"
    )]
    pub data_key_file: PathBuf,
    /// How far each commit is flushed before a write is acknowledged: `full` survives a power cut.
    #[arg(long, value_enum, default_value = "full")]
    pub synchronous: crate::store::Durability,
    /// Re-read the list directories this often (`12h`, `30m`, `1d`) and bring new lists into force,
    /// re-screening the customers they reach; `scripts/fetch-lists` (from cron, say) refreshes the files.
    #[arg(long, value_parser = refresh_interval)]
    pub refresh_every: Option<std::time::Duration>,
    /// Accept config.sandbox_outcome values other than `standard`, as Straddle's sandbox does.
    #[arg(long)]
    pub sandbox: bool,
    /// Four-eyes approval: a decision on a review whose strongest match is at or above this correlation
    /// needs two different analysts. Off by default.
    #[arg(long, value_enum)]
    pub four_eyes: Option<FourEyes>,
    /// How long a review may wait (`24h`, `90m`, `2d`) before the queue marks it overdue.
    #[arg(long, value_parser = review_sla, default_value = "24h")]
    pub review_sla: std::time::Duration,
    /// Failed authentications allowed per client IP a second, on average (0 turns limiting off).
    #[arg(long, default_value_t = 1.0)]
    pub auth_failure_rate: f64,
    /// Failed authentications a client IP may make at once before that rate applies.
    #[arg(long, default_value_t = 20)]
    pub auth_failure_burst: u32,
    /// Requests with a publishable key allowed per client IP a second, on average (0 turns limiting off).
    #[arg(long, default_value_t = 0.2)]
    pub publishable_rate: f64,
    /// Requests with a publishable key a client IP may make at once before that rate applies.
    #[arg(long, default_value_t = 10)]
    pub publishable_burst: u32,
    /// Seconds a client has to send its request headers before the connection is closed.
    #[arg(long, default_value_t = 10)]
    pub header_read_timeout: u64,
    /// Seconds a request may take before it is answered 408.
    #[arg(long, default_value_t = 60)]
    pub request_timeout: u64,
    /// Connections served at once; further ones wait to be accepted.
    #[arg(long, default_value_t = 1024)]
    pub max_connections: usize,
}

/// Runs a subcommand; `serve` is `main`'s, because only `main` builds the router.
pub fn run(
    command: Command,
    serve: impl FnOnce(ServeArgs) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    match command {
        Command::Screen(args) => screen(args),
        Command::Eval(args) => eval::run(&eval::Options {
            eval_dir: &args.eval,
            heldout_dir: &args.heldout,
            half: args.half,
            lists_dir: &args.lists,
            threshold: args.threshold,
            sweep: args.sweep,
            misses: args.misses,
            sets: &args.sets,
        }),
        Command::Index(args) => write_index(args),
        Command::Serve(args) => serve(args),
        Command::Keys(KeysCommand::Create {
            db,
            role,
            label,
            origins,
        }) => {
            create_db_dir(&db)?;
            println!("{}", service::keys::create(&db, role, &label, &origins)?);
            Ok(())
        }
        Command::Keys(KeysCommand::CreateDataKey { out }) => {
            create_db_dir(&out)?;
            crate::store::keyring::create_file(&out)?;
            eprintln!("wrote a new data key to {}", out.display());
            Ok(())
        }
        Command::Keys(KeysCommand::RotateDataKey { db, data_key_file }) => {
            let (id, resealed) = service::keys::rotate_data_key(&db, &data_key_file)?;
            eprintln!(
                "data key {id} is current; {} profiles and {} webhook signing secrets re-encrypted under it",
                resealed.profiles, resealed.webhook_secrets
            );
            Ok(())
        }
        Command::Lists(ListsCommand::Update(args)) => lists_update::run(&args),
        Command::Keys(KeysCommand::Revoke { db, id }) => {
            create_db_dir(&db)?;
            if !service::keys::revoke(&db, &id)? {
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
    let contents = if args.names_only {
        clearance_screening::codec::Contents::Names
    } else {
        clearance_screening::codec::Contents::Full
    };
    let bytes = index.to_bytes(&identity, contents);
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

/// A `--db`: a file path, or `sqlite://PATH` (also `sqlite:PATH`). Any other URL is refused, so a
/// PostgreSQL URL never becomes a local file in a folder named `postgres:`.
fn database_path(text: &str) -> Result<PathBuf, String> {
    let lower = text.to_ascii_lowercase();
    if let Some(path) = ["sqlite://", "sqlite:"]
        .iter()
        .find_map(|prefix| lower.starts_with(prefix).then(|| &text[prefix.len()..]))
    {
        if path.is_empty() {
            return Err("sqlite:// needs a file path after it".into());
        }
        // A URL's options (`?mode=rwc`) would become part of the file name, and an in-memory database
        // would be a different empty one on every connection of the pool.
        if path.contains(['?', '#']) || path.trim_start_matches('/') == ":memory:" {
            return Err(
                "give sqlite:// a plain file path: no ?options, #fragment or :memory:".into(),
            );
        }
        return Ok(PathBuf::from(path));
    }
    if let Some((scheme, _)) = text.split_once("://")
        && !scheme.is_empty()
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        return Err(match scheme.to_ascii_lowercase().as_str() {
            "postgres" | "postgresql" => "PostgreSQL is not supported by this build yet; give a \
                SQLite file path or sqlite://PATH"
                .to_owned(),
            other => format!(
                "{other}:// is not a database this server speaks; give a SQLite file path or \
                 sqlite://PATH"
            ),
        });
    }
    Ok(PathBuf::from(text))
}

/// `--review-sla` when not given (its `default_value`, which a test holds to this).
pub const DEFAULT_REVIEW_SLA: std::time::Duration = std::time::Duration::from_secs(24 * 60 * 60);

/// The longest `--review-sla`: a year, so a due time always fits the calendar.
const LONGEST_REVIEW_SLA: std::time::Duration = std::time::Duration::from_secs(366 * 24 * 60 * 60);

/// A `--review-sla`: a duration of at least a minute and at most a year.
fn review_sla(text: &str) -> Result<std::time::Duration, String> {
    let sla = humantime::parse_duration(text).map_err(|e| e.to_string())?;
    if !(std::time::Duration::from_secs(60)..=LONGEST_REVIEW_SLA).contains(&sla) {
        return Err("must be between 1m and 366d".into());
    }
    Ok(sla)
}

/// A `--refresh-every` interval: a duration of at least a second, since each refresh parses every list.
fn refresh_interval(text: &str) -> Result<std::time::Duration, String> {
    let every = humantime::parse_duration(text).map_err(|e| e.to_string())?;
    if every < std::time::Duration::from_secs(1) {
        return Err("must be at least 1s".into());
    }
    Ok(every)
}

/// Creates the database's directory when it is missing; the store creates and migrates the file.
pub fn create_db_dir(path: &std::path::Path) -> anyhow::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating the database directory {}", parent.display()))?;
    }
    Ok(())
}

impl ServeArgs {
    /// The connection limits the listener enforces.
    pub fn limits(&self) -> crate::http::listener::Limits {
        crate::http::listener::Limits {
            header_read: std::time::Duration::from_secs(self.header_read_timeout),
            request: std::time::Duration::from_secs(self.request_timeout),
            max_connections: self.max_connections.max(1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_is_a_file_path_or_a_sqlite_url_and_any_other_url_is_refused() {
        assert_eq!(
            database_path("data/clearance.db"),
            Ok(PathBuf::from("data/clearance.db"))
        );
        assert_eq!(
            database_path("sqlite:///var/lib/clearance.db"),
            Ok(PathBuf::from("/var/lib/clearance.db"))
        );
        assert_eq!(database_path("SQLite:c.db"), Ok(PathBuf::from("c.db")));
        for url in [
            "postgres://u@db/clearance",
            "postgresql://db",
            "mysql://db/x",
        ] {
            let refused = database_path(url).unwrap_err();
            assert!(refused.contains("SQLite file path"), "{url}: {refused}");
        }
        assert!(
            database_path("postgres://db")
                .unwrap_err()
                .starts_with("PostgreSQL")
        );
        assert!(database_path("sqlite://").is_err());
        for odd in [
            "sqlite://data.db?mode=rwc",
            "sqlite::memory:",
            "sqlite://x.db#y",
        ] {
            assert!(database_path(odd).is_err(), "{odd}");
        }
    }

    #[test]
    fn the_review_sla_default_is_a_day_and_its_bounds_hold() {
        assert_eq!(review_sla("24h"), Ok(DEFAULT_REVIEW_SLA));
        assert_eq!(
            review_sla("90m"),
            Ok(std::time::Duration::from_secs(90 * 60))
        );
        assert!(review_sla("30s").is_err());
        assert!(review_sla("300000years").is_err());
        assert!(review_sla("soon").is_err());
    }
}
