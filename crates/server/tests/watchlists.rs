//! The watchlist endpoints, over HTTP against the real `clearance serve` process.

use clearance_api::{Envelope, Watchlists};
use clearance_screening::Index;
use clearance_testkit::{Options, Server};

fn start() -> Server {
    Server::start(Options {
        lists: vec![clearance_testkit::shared_list("ofac-sdn-2022-01-31")],
        ..Options::new(env!("CARGO_BIN_EXE_clearance"))
    })
}

#[tokio::test]
async fn watchlists_reports_the_loaded_lists() {
    let server = start();
    let body: Envelope<Watchlists> = reqwest::get(format!("{}/v1/watchlists", server.url))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let lists = body.data;
    assert_eq!(lists.publisher, "OFAC");
    assert_eq!(lists.date.as_deref(), Some("2022-01-31"));
    assert_eq!(lists.content_hash.len(), 64);
    assert_eq!(lists.lists[0].list_name, "OFAC SDN");
    assert_eq!(lists.lists[0].entities, lists.load.entities);
    assert!(lists.load.entities > 9_000 && lists.load.names > lists.load.entities);
}

#[tokio::test]
async fn the_index_downloads_once_per_list_version() {
    let server = start();
    let client = reqwest::Client::new();
    let url = format!("{}/v1/watchlists/index", server.url);
    let first = client.get(&url).send().await.unwrap();
    assert_eq!(first.status(), 200);
    let etag = first.headers()["etag"].to_str().unwrap().to_owned();
    assert!(
        first.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("must-revalidate")
    );
    let bytes = first.bytes().await.unwrap();
    let (index, identity) = Index::from_bytes(&bytes).unwrap();
    assert!(etag.contains(&identity.content_hash));
    assert!(index.name_count() > 9_000);

    let again = client
        .get(&url)
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    assert!(again.bytes().await.unwrap().is_empty());

    let stale = client
        .get(&url)
        .header("If-None-Match", "\"old\"")
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 200);
}

#[tokio::test]
async fn health_names_the_lists_for_everyone_and_their_paths_for_admins() {
    let server = start();
    let anonymous = server.anonymous().get("/v1/health").await;
    let list = &anonymous.body["data"]["lists"][0];
    assert_eq!(list["name"], "OFAC SDN");
    assert_eq!(list["date"], "2022-01-31");
    assert!(list.get("directory").is_none(), "{list}");
    assert_eq!(
        anonymous.body["data"]["list_version"]
            .as_str()
            .map(str::len),
        Some(64)
    );
    let analyst = server.client("analyst").get("/v1/watchlists").await;
    assert!(
        analyst.body["data"]["directories"][0]
            .get("directory")
            .is_none()
    );

    let admin = server.client("admin").get("/v1/health").await;
    let directory = admin.body["data"]["lists"][0]["directory"]
        .as_str()
        .unwrap();
    assert!(directory.ends_with("ofac-sdn-2022-01-31"), "{directory}");

    let mut wrong = server.anonymous();
    wrong.key = Some("not-a-key".into());
    let refused = wrong.get("/v1/health").await;
    assert_eq!(refused.status, reqwest::StatusCode::UNAUTHORIZED);
}
