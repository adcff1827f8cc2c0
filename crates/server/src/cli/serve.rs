//! `clearance serve`, up to the router: loads and indexes the lists, opens the store, records the lists in
//! force, forgets expired idempotency keys, and re-screens customers screened on other lists, all before
//! the server accepts a request.

use anyhow::Context;

use crate::cli::{ServeArgs, create_db_dir};
use crate::domain::validate::Mode;
use crate::http::ratelimit::Limiter;
use crate::lists;
use crate::service::rescreen;
use crate::state::AppState;
use crate::store::{KeySource, Keyring, Store};

/// The state the server starts with, every customer screened on the loaded lists.
pub fn prepare(args: &ServeArgs) -> anyhow::Result<AppState> {
    let dirs = lists::resolve(&args.lists)?;
    // Parse and index now, so a malformed list stops the server before it accepts a customer.
    let (snapshot, described) = lists::load(&dirs)?;
    if !(0.0..=1.0).contains(&args.threshold) {
        anyhow::bail!(
            "--threshold must be between 0 and 1, not {}",
            args.threshold
        );
    }
    create_db_dir(&args.db)?;
    let source = match std::env::var("CLEARANCE_DATA_KEY") {
        Ok(text) => KeySource::Text(text),
        Err(_) => KeySource::File(args.data_key_file.clone()),
    };
    let keyring = Keyring::load(source).context(
        "loading the data key that encrypts PII at rest (create one with \
         `clearance keys create-data-key`)",
    )?;
    let store = Store::open(&args.db, keyring, args.synchronous)
        .with_context(|| format!("opening {}", args.db.display()))?;
    let expired = store.write_blocking(|conn| {
        for snapshot in &described {
            let directory = snapshot.directory.as_deref().unwrap_or_default();
            conn.record_list_load(directory, &snapshot.date)?;
            tracing::info!(list = %snapshot.name, directory, date = %snapshot.date, "list snapshot");
        }
        conn.expire_replies()
    })?;
    if expired > 0 {
        tracing::info!(expired, "idempotency keys older than 24 hours forgotten");
    }
    let lists = lists::serving_state(snapshot, described);
    tracing::info!(
        entities = lists.watchlists.load.entities,
        names = lists.watchlists.load.names,
        skipped_aliases = lists.watchlists.load.skipped_aliases,
        skipped_addresses = lists.watchlists.load.skipped_addresses,
        index_bytes = lists.full_index.bytes.len(),
        names_index_gzipped = lists.names_index.gzipped.len(),
        "lists indexed"
    );
    let state = AppState {
        lists,
        store,
        limiter: Limiter::new(args.rate_limit, args.rate_burst),
        auth_failures: Limiter::new(args.auth_failure_rate, args.auth_failure_burst),
        publishable_per_address: Limiter::new(args.publishable_rate, args.publishable_burst),
        mode: if args.sandbox {
            Mode::Sandbox
        } else {
            Mode::Production
        },
        threshold: args.threshold,
        screening_slots: std::sync::Arc::new(tokio::sync::Semaphore::new(
            std::thread::available_parallelism().map_or(1, usize::from),
        )),
    };
    let sweep = rescreen::rescreen_stale(&state)
        .map_err(|e| anyhow::anyhow!("re-screening for the loaded lists: {e}"))?;
    if sweep.rescreened > 0 {
        tracing::info!(
            rescreened = sweep.rescreened,
            now_in_review = sweep.now_in_review,
            "customers re-screened against the loaded lists"
        );
    }
    Ok(state)
}
