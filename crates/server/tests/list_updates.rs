//! List updates against the real `clearance serve` process: a refresh while clients keep writing, a
//! malformed list, the default lists, and a restart on new lists. What each customer should end as is
//! predicted here from the list files themselves, with the screening crate, not written down by hand.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use clearance_screening::{DEFAULT_THRESHOLD, Entity, EntityKind, Index, Query};
use clearance_testkit::{
    CLEAN, Client, Options, Server, as_written, individual, put_lists, shared_list,
    shared_snapshot, undated,
};
use reqwest::StatusCode;
use serde_json::{Value, json};

const OLD: &str = "ofac-sdn-2021-07-07";
const NEW: &str = "ofac-sdn-2022-01-31";
/// The server log line that ends a list update job.
const JOB_DONE: &str = "list update re-screening done";

fn options() -> Options {
    Options::new(env!("CARGO_BIN_EXE_clearance"))
}

fn id(customer: &Value) -> String {
    customer["id"].as_str().unwrap().to_owned()
}

/// One snapshot, indexed, with its entities by the key screenings name them by.
struct Lists {
    index: Index,
    by_key: HashMap<String, Entity>,
}

impl Lists {
    fn of(dir: &str) -> Self {
        let entities = shared_snapshot(dir).entities;
        let by_key = entities.iter().map(|e| (key(e), e.clone())).collect();
        Self {
            index: Index::build(entities),
            by_key,
        }
    }

    /// The entries a fixture individual named `name` matches, as the server screens it.
    fn matches(&self, name: &str) -> BTreeSet<String> {
        let query = Query {
            name: name.to_owned(),
            date_of_birth: None,
            country: None,
            kind: Some(EntityKind::Individual),
        };
        self.index
            .search(&query, DEFAULT_THRESHOLD, 20)
            .iter()
            .map(|m| key(&self.index.entities()[m.entity as usize]))
            .collect()
    }
}

fn key(entity: &Entity) -> String {
    format!("{} {}", entity.list.name(), entity.source_id)
}

/// A customer's state before the update, and what the update should leave.
struct Expected {
    customer: Value,
    before: BTreeSet<String>,
    cleared: bool,
}

impl Expected {
    /// The status the customer had when the lists changed.
    fn status_before(&self) -> &'static str {
        if self.before.is_empty() || self.cleared {
            "verified"
        } else {
            "review"
        }
    }
}

/// The status the update should leave: a customer with no match keeps its status; one in review stays
/// there; a cleared customer stays cleared while its matches are parties it was cleared of, their entries
/// unchanged; anyone else with a match goes to review.
fn expected_status(
    e: &Expected,
    old: &Lists,
    new: &Lists,
    after: &BTreeSet<String>,
) -> &'static str {
    let status_before = e.status_before();
    if after.is_empty() || status_before == "review" {
        return status_before;
    }
    let unchanged = |k: &String| e.before.contains(k) && old.by_key.get(k) == new.by_key.get(k);
    if e.cleared && after.iter().all(unchanged) {
        "verified"
    } else {
        "review"
    }
}

/// Names of individuals that only one side lists, that match on that side alone: names of parties added
/// by the update (`added`) or removed by it.
fn one_sided(from: &Lists, to: &Lists, count: usize) -> Vec<String> {
    let mut names = Vec::new();
    let mut keys: Vec<&String> = to
        .by_key
        .keys()
        .filter(|k| !from.by_key.contains_key(*k))
        .collect();
    keys.sort();
    for k in keys {
        let entity = &to.by_key[k];
        if entity.kind != EntityKind::Individual {
            continue;
        }
        let name = as_written(&entity.name);
        if to.matches(&name).contains(k) && from.matches(&name).is_empty() {
            names.push(name);
        }
        if names.len() == count {
            break;
        }
    }
    assert_eq!(names.len(), count, "the snapshots hold enough such parties");
    names
}

/// Names of individuals both sides list and match, whose entries are unchanged (`same`) or changed.
fn on_both(old: &Lists, new: &Lists, same: bool, count: usize) -> Vec<String> {
    let mut keys: Vec<&String> = new
        .by_key
        .keys()
        .filter(|k| old.by_key.contains_key(*k))
        .collect();
    keys.sort();
    let mut names = Vec::new();
    for k in keys {
        let (before, after) = (&old.by_key[k], &new.by_key[k]);
        if after.kind != EntityKind::Individual || (before == after) != same {
            continue;
        }
        let name = as_written(&after.name);
        let (a, b) = (old.matches(&name), new.matches(&name));
        if a.contains(k) && a == b {
            names.push(name);
        }
        if names.len() == count {
            break;
        }
    }
    assert_eq!(names.len(), count, "the snapshots hold enough such parties");
    names
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refresh_while_clients_create_moves_exactly_the_expected_customers() {
    let (old, new) = (Lists::of(OLD), Lists::of(NEW));
    let sources = tempfile::tempdir().unwrap();
    let lists_dir = sources.path().join("lists");
    put_lists(&lists_dir, OLD);
    let server = Server::start(Options {
        lists: vec![lists_dir.clone()],
        ..options()
    });
    let analyst = server.client("analyst");
    let admin = server.client("admin");

    // Before: clean customers, parties the update adds, parties it removes, and matches an analyst
    // cleared whose entries the update keeps or changes.
    let added = one_sided(&old, &new, 5);
    let removed = one_sided(&new, &old, 5);
    let kept = on_both(&old, &new, true, 3);
    let changed = on_both(&old, &new, false, 2);
    let mut customers: Vec<Expected> = Vec::new();
    let clean: Vec<String> = (0..20).map(|i| format!("{CLEAN} {i}")).collect();
    for name in clean.iter().chain(&added).chain(&removed) {
        let customer = analyst.create(&undated(name)).await;
        customers.push(Expected {
            before: old.matches(name),
            customer,
            cleared: false,
        });
    }
    for name in kept.iter().chain(&changed) {
        let customer = analyst.create(&undated(name)).await;
        assert_eq!(customer["status"], "review", "{name}");
        let decided = analyst
            .patch(
                &format!("/v1/customers/{}/review", id(&customer)),
                &json!({"status": "verified", "note": "a different person"}),
            )
            .await;
        assert_eq!(decided.status, StatusCode::OK, "{}", decided.text);
        customers.push(Expected {
            before: old.matches(name),
            customer,
            cleared: true,
        });
    }

    // A client keeps creating customers, listed and not, while the lists change under it.
    let creating = Arc::new(AtomicBool::new(true));
    let creator = {
        let analyst = analyst.clone();
        let creating = Arc::clone(&creating);
        let names: Vec<String> = [&clean[..3], &added[..], &removed[..]].concat();
        tokio::spawn(async move {
            let mut created = Vec::new();
            for name in names.iter().cycle() {
                if !creating.load(Ordering::Relaxed) && created.len() >= names.len() {
                    break;
                }
                let reply = analyst.post("/v1/customers", &undated(name)).await;
                assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
                created.push((name.clone(), reply.body["data"].clone()));
            }
            created
        })
    };
    put_lists(&lists_dir, NEW);
    let refreshed = admin.post("/v1/watchlists/refresh", &json!({})).await;
    assert_eq!(refreshed.status, StatusCode::ACCEPTED, "{}", refreshed.text);
    let outcome = &refreshed.body["data"];
    assert_eq!(outcome["changed"], true);
    let job_id = outcome["job"]["id"].as_str().unwrap().to_owned();
    let new_version = outcome["version"]["content_hash"]
        .as_str()
        .unwrap()
        .to_owned();
    tokio::task::block_in_place(|| server.wait_for_log(JOB_DONE));
    creating.store(false, Ordering::Relaxed);
    let created = creator.await.unwrap();

    // Every customer ends as predicted, screened on the new lists wherever the change could reach it.
    let review_of = |customer: &Value| {
        let analyst = analyst.clone();
        let path = format!("/v1/customers/{}/review", id(customer));
        async move { analyst.get(&path).await.body["data"].clone() }
    };
    let mut moved = 0;
    let mut marked = 0;
    for e in &customers {
        let name = e.customer["name"].as_str().unwrap();
        let after = new.matches(name);
        let review = review_of(&e.customer).await;
        let status = review["customer_details"]["status"].as_str().unwrap();
        let expected = expected_status(e, &old, &new, &after);
        assert_eq!(
            status, expected,
            "{name}: matches {:?} then {after:?}",
            e.before
        );
        let details = &review["identity_details"];
        if details["list_update"]["job_id"] == job_id.as_str() {
            marked += 1;
            assert_eq!(details["watch_list"]["list_version"], new_version.as_str());
        }
        let matched: BTreeSet<String> = details["watch_list"]["matches"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                format!(
                    "{} {}",
                    m["list_name"].as_str().unwrap(),
                    m["entity_id"].as_str().unwrap()
                )
            })
            .collect();
        // False-positive memory: a re-screen of a cleared customer does not alert on an entry it was
        // cleared of while the entry is unchanged, and alerts again once the update changed it.
        if e.cleared && details["list_update"]["job_id"] == job_id.as_str() {
            for m in details["watch_list"]["matches"].as_array().unwrap() {
                let key = format!(
                    "{} {}",
                    m["list_name"].as_str().unwrap(),
                    m["entity_id"].as_str().unwrap()
                );
                let unchanged =
                    e.before.contains(&key) && old.by_key.get(&key) == new.by_key.get(&key);
                assert_eq!(
                    m["previously_cleared"].is_object(),
                    unchanged,
                    "{name}: {key} {m}"
                );
            }
        }
        if after != e.before {
            assert_eq!(matched, after, "{name} is screened on the new lists");
            assert_eq!(details["list_update"]["job_id"], job_id.as_str(), "{name}");
        }
        if expected == "review" && e.status_before() == "verified" {
            moved += 1;
            let events = analyst
                .get(&format!("/v1/customers/{}/events", id(&e.customer)))
                .await;
            let last = events.last_item();
            assert_eq!(last["action"], "refreshed");
            assert_eq!(last["actor"], "system (list update)");
            assert!(
                last["note"].as_str().unwrap().starts_with("list update "),
                "{last}"
            );
            assert_eq!(last["review_id"], details["review_id"]);
            assert_eq!(
                (last["status_before"].clone(), last["status_after"].clone()),
                (json!("verified"), json!("review"))
            );
        }
    }
    assert!(moved >= added.len() + changed.len(), "{moved} moved");

    // Customers created during the refresh end on the new lists too, whichever side of the swap they
    // were written on.
    for (name, customer) in &created {
        let review = review_of(customer).await;
        let details = &review["identity_details"];
        let after = new.matches(name);
        let status = review["customer_details"]["status"].as_str().unwrap();
        if details["watch_list"]["list_version"] != new_version.as_str() {
            assert!(
                after.is_empty() && old.matches(name).is_empty(),
                "{name} left on the old lists"
            );
            continue;
        }
        if details["list_update"]["job_id"] == job_id.as_str() {
            marked += 1;
        }
        if !after.is_empty() {
            assert_eq!(status, "review", "{name}");
        } else if customer["status"] == "verified" {
            assert_eq!(status, "verified", "{name}");
        }
        if customer["status"] == "verified" && status == "review" {
            moved += 1;
        }
    }

    // The job's counts add up, and it re-screened only what the change reaches.
    let job = admin.get(&format!("/v1/watchlists/jobs/{job_id}")).await;
    assert_eq!(job.status, StatusCode::OK, "{}", job.text);
    let job = &job.body["data"];
    assert_eq!(job["state"], "done");
    assert_eq!(job["errors"], 0);
    assert_eq!(job["scanned"], true);
    assert_eq!(job["to_rescreen"], job["done"]);
    assert_eq!(
        job["done"], marked,
        "every re-screen is marked with the job"
    );
    assert_eq!(job["moved_to_review"], moved);
    let delta = |from: &Lists, to: &Lists| {
        to.by_key
            .keys()
            .filter(|k| !from.by_key.contains_key(*k))
            .count()
    };
    let changed_entries = new
        .by_key
        .iter()
        .filter(|(k, e)| old.by_key.get(*k).is_some_and(|o| o != *e))
        .count();
    assert_eq!(job["delta"]["added"], delta(&old, &new));
    assert_eq!(job["delta"]["removed"], delta(&new, &old));
    assert_eq!(job["delta"]["changed"], changed_entries);
    let total = customers.len() + created.len();
    assert!(
        job["to_rescreen"].as_u64().unwrap() < total as u64 - clean.len() as u64 + 1,
        "the clean customers were not re-screened: {job}"
    );

    // The versions endpoint lists both, the new one in force.
    let versions = analyst.get("/v1/watchlists/versions").await;
    let versions = versions.body["data"].as_array().unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0]["content_hash"], new_version.as_str());
    assert_eq!(versions[0]["in_force"], true);
    assert_eq!(versions[1]["in_force"], false);

    // Each version keeps what its entries said: a removed party reads back from the old version alone.
    let old_version = versions[1]["content_hash"].as_str().unwrap();
    let mut gone: Vec<&String> = old
        .by_key
        .keys()
        .filter(|k| !new.by_key.contains_key(*k))
        .collect();
    gone.sort();
    let path = |version: &str| {
        format!(
            "/v1/watchlists/versions/{version}/entries/{}",
            gone[0].replace(' ', "%20")
        )
    };
    let then = analyst.get(&path(old_version)).await;
    assert_eq!(then.status, StatusCode::OK, "{}", then.text);
    assert_eq!(
        then.body["data"]["entities"][0]["name"],
        old.by_key[gone[0]].name.as_str()
    );
    assert_eq!(
        analyst.get(&path(&new_version)).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_malformed_list_leaves_the_lists_in_force_and_names_its_file_and_line() {
    let sources = tempfile::tempdir().unwrap();
    let lists_dir = sources.path().join("lists");
    put_lists(&lists_dir, NEW);
    let server = Server::start(Options {
        lists: vec![lists_dir.clone()],
        ..options()
    });
    let admin = server.client("admin");
    let before = admin.get("/v1/watchlists").await.body["data"]["content_hash"].clone();
    let unchanged = admin.post("/v1/watchlists/refresh", &json!({})).await;
    assert_eq!(unchanged.status, StatusCode::OK, "{}", unchanged.text);
    assert_eq!(unchanged.body["data"]["changed"], false);

    let sdn = lists_dir.join("sdn.csv");
    let mut text = std::fs::read_to_string(&sdn).unwrap();
    let line = text.lines().count() + 1;
    text.push_str("99999999,\"\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n");
    std::fs::write(&sdn, text).unwrap();
    let refused = admin.post("/v1/watchlists/refresh", &json!({})).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.text
    );
    let item = &refused.body["error"]["items"][0];
    assert!(
        item["reference"]
            .as_str()
            .unwrap()
            .ends_with(&format!("sdn.csv line {line}")),
        "{item}"
    );
    assert!(
        item["detail"].as_str().unwrap().contains("SDN_Name"),
        "{item}"
    );
    assert_eq!(
        admin.get("/v1/watchlists").await.body["data"]["content_hash"],
        before
    );

    let analyst = server.client("analyst");
    let forbidden = analyst.post("/v1/watchlists/refresh", &json!({})).await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_default_lists_are_the_sdn_consolidated_and_un_lists() {
    let server = Server::start(options());
    let lists = server.anonymous().get("/v1/watchlists").await.body["data"]["lists"].clone();
    let names: Vec<&str> = lists
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["list_name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "OFAC SDN",
            "OFAC Consolidated (non-SDN)",
            "UN Security Council Consolidated"
        ]
    );
    assert!(
        lists
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["date"].is_string() && l["entities"].as_u64() > Some(0))
    );

    // A party only the UN lists, named as the UN list writes it, goes to review, and the match names its
    // list and the list's date.
    let un = shared_snapshot("un-consolidated-2026-02-27");
    let sdn = Lists::of("ofac-sdn-2024-05-03");
    let only_un = un
        .entities
        .iter()
        .filter(|e| e.kind == EntityKind::Individual)
        .map(|e| e.name.clone())
        .find(|name| sdn.matches(name).is_empty())
        .expect("a party only the UN lists");
    let analyst = server.client("analyst");
    let customer = analyst.create(&undated(&only_un)).await;
    assert_eq!(customer["status"], "review", "{only_un}");
    let review = analyst
        .get(&format!("/v1/customers/{}/review", id(&customer)))
        .await;
    let first = &review.body["data"]["identity_details"]["watch_list"]["matches"][0];
    assert_eq!(
        first["list_name"], "UN Security Council Consolidated",
        "{first}"
    );
    assert_eq!(first["list_date"], "2026-02-27");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_on_new_lists_serves_at_once_and_resumes_an_interrupted_job() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clearance.db");
    let old = Server::start(Options {
        lists: vec![shared_list(NEW)],
        db: Some(db.clone()),
        ..options()
    });
    let analyst = old.client("analyst");
    let designated_later = analyst.create(&individual("Vladimir Putin")).await;
    assert_eq!(
        designated_later["status"], "verified",
        "not on the 2022 list"
    );
    let clean = analyst.create(&individual(CLEAN)).await;
    drop(old);

    // The default lists add Putin: the restarted server answers at once, and its job moves him to review.
    let new = Server::start(Options {
        db: Some(db.clone()),
        ..options()
    });
    let analyst = Client {
        url: new.url.clone(),
        ..analyst
    };
    assert_eq!(analyst.get("/v1/health").await.status, StatusCode::OK);
    tokio::task::block_in_place(|| new.wait_for_log(JOB_DONE));
    let status = |customer: &Value| {
        let analyst = analyst.clone();
        let path = format!("/v1/customers/{}", id(customer));
        async move { analyst.get(&path).await.body["data"]["status"].clone() }
    };
    assert_eq!(status(&designated_later).await, "review", "newly listed");
    assert_eq!(status(&clean).await, "verified");
    let job = analyst.get("/v1/watchlists").await.body["data"]["job"].clone();
    assert_eq!(job["trigger"], "start");
    assert_eq!(job["state"], "done");
    assert_eq!(job["moved_to_review"], 1);
    let events = analyst
        .get(&format!("/v1/customers/{}/events", id(&clean)))
        .await;
    let count = events.body["data"].as_array().unwrap().len();
    drop(new);

    // A stop in the middle of the job leaves it running, with the clean customer still on lists the
    // server never recorded: the next start resumes the job for it alone.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute(
        "UPDATE screenings SET list_version = 'interrupted'
         WHERE id = (SELECT review_id FROM customers WHERE id = ?1)",
        [id(&clean)],
    )
    .unwrap();
    conn.execute(
        "UPDATE list_jobs SET state = 'running', finished_at = NULL",
        [],
    )
    .unwrap();
    drop(conn);
    let again = Server::start(Options {
        db: Some(db),
        ..options()
    });
    tokio::task::block_in_place(|| again.wait_for_log(JOB_DONE));
    let analyst = Client {
        url: again.url.clone(),
        ..analyst
    };
    let events = analyst
        .get(&format!("/v1/customers/{}/events", id(&clean)))
        .await;
    assert_eq!(events.body["data"].as_array().unwrap().len(), count + 1);
    assert_eq!(events.last_item()["action"], "refreshed");
    let job = analyst.get("/v1/watchlists").await.body["data"]["job"].clone();
    assert_eq!(job["state"], "done");
    assert_eq!(job["done"], 2, "one more customer than the first run");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_updates_the_lists_and_a_running_server_takes_them() {
    let sources = tempfile::tempdir().unwrap();
    let lists_dir = sources.path().join("lists");
    put_lists(&lists_dir, OLD);
    let server = Server::start(Options {
        lists: vec![lists_dir.clone()],
        log_level: "info",
        ..options()
    });
    let analyst = server.client("analyst");
    let (old, new) = (Lists::of(OLD), Lists::of(NEW));
    let added = one_sided(&old, &new, 2);
    let customers = [
        analyst.create(&undated(&added[0])).await,
        analyst.create(&undated(&added[1])).await,
    ];
    let cli = |lists: &Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_clearance"))
            .args(["lists", "update", "--db"])
            .arg(&server.db)
            .arg("--data-key-file")
            .arg(server.db.with_extension("key"))
            .arg("--lists")
            .arg(lists)
            .env_remove("CLEARANCE_LISTS")
            .env_remove("CLEARANCE_DATA_KEY")
            .output()
            .unwrap()
    };

    // A malformed file: the CLI names it and its line, and changes nothing.
    let broken = sources.path().join("broken");
    put_lists(&broken, NEW);
    let sdn = broken.join("sdn.csv");
    let mut text = std::fs::read_to_string(&sdn).unwrap();
    let line = text.lines().count() + 1;
    text.push_str("99999999,\"\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n");
    std::fs::write(&sdn, text).unwrap();
    let refused = cli(&broken);
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains(&format!("sdn.csv line {line}")), "{stderr}");

    put_lists(&lists_dir, NEW);
    let updated = cli(&lists_dir);
    let stderr = String::from_utf8_lossy(&updated.stderr);
    assert!(updated.status.success(), "{stderr}");
    assert!(stderr.contains("2 moved to review"), "{stderr}");
    for customer in &customers {
        let reply = analyst
            .get(&format!("/v1/customers/{}", id(customer)))
            .await;
        assert_eq!(reply.body["data"]["status"], "review", "{}", reply.text);
    }

    // The running server sees the version the CLI recorded and takes the lists from its directories.
    let version = tokio::task::block_in_place(|| server.wait_for_log("lists refreshed"));
    assert!(
        version.contains("trigger=\"cli\"") || version.contains("trigger=cli"),
        "{version}"
    );
    let watchlists = analyst.get("/v1/watchlists").await.body["data"].clone();
    let versions = analyst.get("/v1/watchlists/versions").await.body["data"].clone();
    assert_eq!(watchlists["content_hash"], versions[0]["content_hash"]);
    assert_eq!(versions[0]["in_force"], true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_refreshes_its_lists_on_schedule() {
    let sources = tempfile::tempdir().unwrap();
    let lists_dir = sources.path().join("lists");
    put_lists(&lists_dir, OLD);
    let mut extra = options().extra;
    extra.extend(["--refresh-every".into(), "1s".into()]);
    let server = Server::start(Options {
        lists: vec![lists_dir.clone()],
        log_level: "info",
        extra,
        ..options()
    });
    let analyst = server.client("analyst");
    let before = analyst.get("/v1/watchlists").await.body["data"]["content_hash"].clone();
    put_lists(&lists_dir, NEW);
    tokio::task::block_in_place(|| server.wait_for_log(JOB_DONE));
    let after = analyst.get("/v1/watchlists").await.body["data"].clone();
    assert_ne!(after["content_hash"], before);
    assert_eq!(after["job"]["trigger"], "schedule");
    assert_eq!(after["job"]["state"], "done");
}
