//! The watchlist endpoints, over HTTP against the real `clearance serve` process.

use clearance_api::{Envelope, Watchlists};
use clearance_screening::{DEFAULT_THRESHOLD, Index, Query};
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

/// The widget's names-only index, gzipped on the wire: the same entities and names as the full index,
/// the same matches for a name, at a fraction of the size.
#[tokio::test]
async fn the_names_index_matches_names_as_the_full_one_does_and_travels_gzipped() {
    let server = start();
    let client = reqwest::Client::new();
    let fetch = |path: &'static str| {
        client
            .get(format!("{}{path}", server.url))
            .header("Accept-Encoding", "br;q=1.0, gzip;q=0.8")
            .send()
    };
    let full = fetch("/v1/watchlists/index").await.unwrap();
    let names = fetch("/v1/watchlists/index/names").await.unwrap();
    for response in [&full, &names] {
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-encoding"], "gzip");
        let vary: Vec<_> = response.headers().get_all("vary").iter().collect();
        assert!(vary.iter().any(|v| *v == "accept-encoding"), "{vary:?}");
    }
    let names_etag = names.headers()["etag"].to_str().unwrap().to_owned();
    assert_ne!(names_etag, full.headers()["etag"].to_str().unwrap());
    let full = full.bytes().await.unwrap();
    let names = names.bytes().await.unwrap();
    assert!(
        names.len() * 2 < full.len(),
        "names-only {} bytes against full {} bytes, gzipped",
        names.len(),
        full.len()
    );
    let gunzip = |gzipped: &[u8]| {
        let mut plain = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(gzipped), &mut plain).unwrap();
        Index::from_bytes(&plain).unwrap().0
    };
    let (full, names) = (gunzip(&full), gunzip(&names));
    assert_eq!(full.entities().len(), names.entities().len());
    assert!(
        full.entities()
            .iter()
            .zip(names.entities())
            .all(|(f, n)| f.source_id == n.source_id && f.names().eq(n.names()))
    );
    for name in ["Vladimir Putin", "Banco Nacional de Cuba", "Kathryn Barr"] {
        let query = Query::name(name);
        assert_eq!(
            full.search(&query, DEFAULT_THRESHOLD, 10),
            names.search(&query, DEFAULT_THRESHOLD, 10),
            "{name}"
        );
    }

    let plain = client
        .get(format!("{}/v1/watchlists/index/names", server.url))
        .header("Accept-Encoding", "gzip;q=0")
        .header("If-None-Match", &names_etag)
        .send()
        .await
        .unwrap();
    assert_eq!(plain.status(), 304, "either encoding's tag is current");
    let plain = client
        .get(format!("{}/v1/watchlists/index/names", server.url))
        .header("Accept-Encoding", "identity")
        .send()
        .await
        .unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    Index::from_bytes(&plain.bytes().await.unwrap()).unwrap();
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
