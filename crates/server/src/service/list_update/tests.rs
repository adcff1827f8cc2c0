//! The job against a full re-screen, on OFAC's real 2021-07-07 → 2022-01-31 update.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::sync::atomic::AtomicUsize;

use clearance_api::{CustomerStatus, CustomerType};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestRunner};

use super::job::{Ended, Plan, run};
use super::*;
use crate::domain::actor::Actor;
use crate::domain::customer::{Profile, Record};
use crate::domain::screening;
use crate::domain::validate::Mode;
use crate::http::ratelimit::Limiter;
use crate::service::rescreen::{Refresh, refresh};
use crate::service::status::{attach, screened_status};
use crate::store::{Durability, KeySource, Keyring, Store};

const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/lists/");

fn lists_of(dir: &str) -> Arc<Lists> {
    let (snapshot, described) = lists::load(&[PathBuf::from(SHARED).join(dir)]).unwrap();
    Arc::new(lists::serving_state(snapshot, described).0)
}

/// OFAC's real 2021-07-07 → 2022-01-31 update, and names to draw customers from: the parties of
/// either list as a customer writes them, and clean names.
struct Update {
    old: Arc<Lists>,
    new: Arc<Lists>,
    parties: Vec<String>,
}

static UPDATE: LazyLock<Update> = LazyLock::new(|| {
    let (old, new) = (
        lists_of("ofac-sdn-2021-07-07"),
        lists_of("ofac-sdn-2022-01-31"),
    );
    let mut parties: Vec<String> = [&old, &new]
        .iter()
        .flat_map(|l| clearance_testkit::individuals_as_written(l.index.entities()))
        .collect();
    parties.sort();
    parties.dedup();
    Update { old, new, parties }
});

const CLEAN: [&str; 6] = [
    "Ron Swanson",
    "Leslie Knope",
    "Ann Perkins",
    "Tom Haverford",
    "April Ludgate",
    "Andy Dwyer",
];

fn state(dir: &Path, lists: &Arc<Lists>) -> AppState {
    AppState {
        lists: arc_swap::ArcSwap::new(Arc::clone(lists)),
        sources: Vec::new(),
        jobs: Jobs::default(),
        refresh_every: None,
        store: Store::open(
            &dir.join("clearance.db"),
            Keyring::load(KeySource::None).unwrap(),
            Durability::Normal,
        )
        .unwrap(),
        limiter: Limiter::new(0.0, 1),
        auth_failures: Limiter::new(0.0, 1),
        publishable_per_address: Limiter::new(0.0, 1),
        mode: Mode::Production,
        threshold: clearance_screening::DEFAULT_THRESHOLD,
        four_eyes: None,
        review_sla: crate::cli::DEFAULT_REVIEW_SLA,
        screening_slots: Arc::new(tokio::sync::Semaphore::new(1)),
    }
}

/// One customer to create: a name, and whether an analyst clears it if it goes to review.
#[derive(Clone, Debug)]
struct Customer {
    name: String,
    cleared: bool,
}

/// A name drawn from the parties (as listed, or with one letter dropped, as a typo) or the clean ones.
fn customer() -> impl Strategy<Value = Customer> {
    (0..3usize, any::<prop::sample::Index>(), any::<bool>()).prop_map(|(kind, at, cleared)| {
        let parties = &UPDATE.parties;
        let name = match kind {
            0 => parties[at.index(parties.len())].clone(),
            1 => {
                let mut name: Vec<char> = parties[at.index(parties.len())].chars().collect();
                name.remove(name.len() / 2);
                name.into_iter().collect()
            }
            _ => CLEAN[at.index(CLEAN.len())].to_owned(),
        };
        Customer { name, cleared }
    })
}

/// Creates the customers on the old lists, as the server does; returns their ids.
fn create(state: &AppState, customers: &[Customer]) -> Vec<String> {
    let entries = delta::entries(UPDATE.old.index.entities());
    state
        .store
        .write_blocking(|conn| {
            record_in(conn, &UPDATE.old, &entries)?;
            let mut ids = Vec::new();
            for (i, c) in customers.iter().enumerate() {
                let mut record = Record {
                    id: format!("customer-{i}"),
                    customer_type: CustomerType::Individual,
                    status: CustomerStatus::Pending,
                    name: c.name.clone(),
                    email: format!("c{i}@example.com"),
                    phone: "+12128675309".into(),
                    external_id: None,
                    created_at: crate::clock::now(),
                    updated_at: crate::clock::now(),
                    version: 1,
                    review_id: None,
                    top_score: None,
                    top_match: None,
                    assignee: None,
                    review_since: None,
                    profile: Profile::default(),
                };
                let screening = screening::screen(&UPDATE.old, &record, state.threshold);
                attach(&mut record, &screening, |s| screened_status(s, None));
                let clear = c.cleared && record.status == CustomerStatus::Review;
                if clear {
                    record.status = CustomerStatus::Verified;
                }
                conn.insert_customer(&record)?;
                conn.insert_screening(&record.id, &screening, None)?;
                if clear {
                    let now = crate::clock::now();
                    conn.decide_screening(
                        &screening.review_id,
                        CustomerStatus::Verified,
                        "analyst",
                        &now,
                        None,
                    )?;
                }
                ids.push(record.id);
            }
            Ok::<_, DomainError>(ids)
        })
        .unwrap()
}

/// Each customer's status and matched entries.
fn outcome(state: &AppState, ids: &[String]) -> Vec<(CustomerStatus, Vec<String>)> {
    state
        .store
        .read_blocking(|conn| {
            ids.iter()
                .map(|id| {
                    let record = conn.customer(id)?.expect("the customer exists");
                    let review = record.review_id.as_deref().expect("screened");
                    let stored = conn.screening(review)?.expect("its screening exists");
                    Ok((record.status, stored.screening.entities()))
                })
                .collect::<Result<Vec<_>, StoreError>>()
        })
        .unwrap()
}

/// For random customers and OFAC's real 2021-07-07 → 2022-01-31 update, the job ends with exactly the
/// statuses and matches that re-screening every customer for the update gives, and re-screens far
/// fewer of them.
#[test]
fn the_job_ends_as_a_full_rescreen_does() {
    let config = Config {
        cases: 6,
        rng_seed: RngSeed::Fixed(0x5EED_1DE7),
        failure_persistence: None,
        ..Config::default()
    };
    let (rescreened, customers_seen) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let result =
        TestRunner::new(config).run(&prop::collection::vec(customer(), 40..80), |customers| {
            let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
            let (delta, full) = (state(a.path(), &UPDATE.old), state(b.path(), &UPDATE.old));
            let ids = create(&delta, &customers);
            create(&full, &customers);

            let entries = delta::entries(UPDATE.new.index.entities());
            for side in [&delta, &full] {
                side.store
                    .write_blocking(|conn| record_version_in(conn, &UPDATE.new, &entries))
                    .unwrap();
            }
            let id = swap_in(&delta, Arc::clone(&UPDATE.new), JobTrigger::Refresh).unwrap();
            let ended = run(&delta, &id, &AtomicBool::new(false), &|_, _| {}).unwrap();
            let Ended::Done(progress) = ended else {
                panic!("the job stopped");
            };

            // The same update, with every customer re-screened.
            let id = swap_in(&full, Arc::clone(&UPDATE.new), JobTrigger::Refresh).unwrap();
            let actor = Actor::system("list update", id.clone());
            let plan = full
                .store
                .read_blocking(|conn| Plan::new(conn, UPDATE.old.version(), &UPDATE.new, &id))
                .unwrap();
            for customer in &ids {
                full.store
                    .write_blocking(|tx| {
                        refresh(
                            &full,
                            tx,
                            customer,
                            &actor,
                            Refresh::ListsChanged(&plan.update),
                            None,
                        )
                    })
                    .unwrap();
            }
            prop_assert_eq!(outcome(&delta, &ids), outcome(&full, &ids));
            rescreened.fetch_add(progress.done, Ordering::Relaxed);
            customers_seen.fetch_add(ids.len(), Ordering::Relaxed);
            Ok(())
        });
    if let Err(failure) = result {
        panic!("{failure}");
    }
    let (rescreened, customers_seen) = (rescreened.into_inner(), customers_seen.into_inner());
    assert!(
        rescreened * 2 < customers_seen,
        "the job re-screened {rescreened} of {customers_seen} customers"
    );
}
