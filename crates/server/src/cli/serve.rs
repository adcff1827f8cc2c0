//! `clearance serve`, up to the router: loads and indexes the lists, opens the store, records the lists in
//! force and forgets expired idempotency keys before the server accepts a request. Re-screening customers
//! screened on other lists is a list update job, which runs while the server serves.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use clearance_api::JobTrigger;

use crate::cli::{ServeArgs, create_db_dir};
use crate::domain::validate::Mode;
use crate::http::ratelimit::Limiter;
use crate::lists;
use crate::service::list_update;
use crate::state::AppState;
use crate::store::{Durability, KeySource, Keyring, Store};

/// What the server and `clearance lists update` both start from.
pub struct Setup<'a> {
    pub db: &'a Path,
    pub lists: &'a [PathBuf],
    pub data_key_file: &'a Path,
    pub threshold: f64,
    pub synchronous: Durability,
    /// What a list update job started now is recorded as.
    pub trigger: JobTrigger,
}

/// The state the server starts with, and the list update job to run once it serves: the one a stop
/// interrupted, or a new one when the lists changed.
pub fn prepare(args: &ServeArgs) -> anyhow::Result<(AppState, Option<String>)> {
    let (mut state, job) = open(&Setup {
        db: &args.db,
        lists: &args.lists,
        data_key_file: &args.data_key_file,
        threshold: args.threshold,
        synchronous: args.synchronous,
        trigger: JobTrigger::Start,
    })?;
    state.limiter = Limiter::new(args.rate_limit, args.rate_burst);
    state.auth_failures = Limiter::new(args.auth_failure_rate, args.auth_failure_burst);
    state.publishable_per_address = Limiter::new(args.publishable_rate, args.publishable_burst);
    state.mode = if args.sandbox {
        Mode::Sandbox
    } else {
        Mode::Production
    };
    state.refresh_every = args.refresh_every;
    state.four_eyes = args.four_eyes.map(crate::cli::FourEyes::correlation);
    state.review_sla = args.review_sla;
    Ok((state, job))
}

/// Loads and indexes the lists, opens the store, records the lists and forgets expired idempotency keys;
/// returns the state (with no request limits, in production mode) and the list update job the lists call
/// for.
pub fn open(setup: &Setup<'_>) -> anyhow::Result<(AppState, Option<String>)> {
    let dirs = lists::resolve(setup.lists)?;
    // Parse and index now, so a malformed list stops the server before it accepts a customer.
    let (snapshot, described) = lists::load(&dirs)?;
    if !(0.0..=1.0).contains(&setup.threshold) {
        anyhow::bail!(
            "--threshold must be between 0 and 1, not {}",
            setup.threshold
        );
    }
    create_db_dir(setup.db)?;
    let source = match std::env::var("CLEARANCE_DATA_KEY") {
        Ok(text) => KeySource::Text(text),
        Err(_) => KeySource::File(setup.data_key_file.to_path_buf()),
    };
    let keyring = Keyring::load(source).context(
        "loading the data key that encrypts PII at rest (create one with \
         `clearance keys create-data-key`)",
    )?;
    let store = Store::open(setup.db, keyring, setup.synchronous)
        .with_context(|| format!("opening {}", setup.db.display()))?;
    let (lists, entries) = lists::serving_state(snapshot, described);
    let (expired, job) = store.write_blocking(|conn| {
        for snapshot in &lists.watchlists.directories {
            let directory = snapshot.directory.as_deref().unwrap_or_default();
            tracing::info!(list = %snapshot.name, directory, date = %snapshot.date, "list snapshot");
        }
        let before = conn.last_load()?.map(|(_, version)| version);
        list_update::record_in(conn, &lists, &entries)?;
        let job = list_update::resume_or_start(conn, &lists, before.as_deref(), setup.trigger)?;
        Ok::<_, crate::service::DomainError>((conn.expire_replies()?, job))
    })?;
    if expired > 0 {
        tracing::info!(expired, "idempotency keys older than 24 hours forgotten");
    }
    tracing::info!(
        entities = lists.watchlists.load.entities,
        names = lists.watchlists.load.names,
        skipped_aliases = lists.watchlists.load.skipped_aliases,
        skipped_addresses = lists.watchlists.load.skipped_addresses,
        index_bytes = lists.full_index.bytes.len(),
        names_index_gzipped = lists.names_index.gzipped.len(),
        "lists indexed"
    );
    let unlimited = || Limiter::new(0.0, 1);
    let state = AppState {
        lists: arc_swap::ArcSwap::from_pointee(lists),
        sources: dirs,
        jobs: list_update::Jobs::default(),
        refresh_every: None,
        store,
        limiter: unlimited(),
        auth_failures: unlimited(),
        publishable_per_address: unlimited(),
        mode: Mode::Production,
        threshold: setup.threshold,
        four_eyes: None,
        review_sla: crate::cli::DEFAULT_REVIEW_SLA,
        screening_slots: Arc::new(tokio::sync::Semaphore::new(
            std::thread::available_parallelism().map_or(1, usize::from),
        )),
    };
    Ok((state, job))
}

/// Starts what runs beside the server: the list update job `job`, the screening of `background`
/// customers a stop interrupted, and the watch that refreshes the lists on schedule and when another
/// process (`clearance lists update`) brought new ones into force.
pub fn start_background(state: &Arc<AppState>, job: Option<String>) {
    if let Some(job) = job {
        list_update::start(Arc::clone(state), job);
    }
    list_update::watch(Arc::clone(state));
    crate::service::webhooks::start(Arc::clone(state));
    let state = Arc::clone(state);
    let spawned = std::thread::Builder::new()
        .name("interrupted-screenings".into())
        .spawn(move || match list_update::screen_interrupted(&state) {
            Ok(0) => {}
            Ok(screened) => {
                tracing::info!(screened, "background screenings a stop interrupted done")
            }
            Err(error) => {
                tracing::error!(%error, "background screenings a stop interrupted failed")
            }
        });
    if let Err(error) = spawned {
        tracing::error!(%error, "no thread for the interrupted background screenings");
    }
}
