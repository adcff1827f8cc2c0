//! End-to-end: the real `clearance` server process serving the release-built console, driven in headless
//! Chromium through chromedriver. Needs `trunk build --release` and the server binary first, so it is
//! ignored in a plain `cargo test`; `make test` builds both and runs it with `--ignored`.
#![cfg(not(target_arch = "wasm32"))]

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use fantoccini::{Client, ClientBuilder, Locator};

/// A child process that is killed when the test ends, pass or fail.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        self.0.kill().ok();
        self.0.wait().ok();
    }
}

fn project_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Spawns `command` and reads its stdout until a line starts with `marker`; returns the rest of that line.
/// The process is ready once it has printed the line, so no waiting by time is needed.
fn spawn_until(mut command: Command, marker: &str) -> (Killed, String) {
    let mut child = command
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("starting {command:?}: {e}"));
    let stdout = child.stdout.take().unwrap();
    let child = Killed(child);
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        if let Some(rest) = line.find(marker).map(|at| &line[at + marker.len()..]) {
            return (child, rest.trim().to_owned());
        }
    }
    panic!("{command:?} exited before printing {marker:?}");
}

fn server_binary() -> PathBuf {
    std::env::var_os("CLEARANCE_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| project_dir().join("target/debug/clearance"))
}

/// An API key made by the CLI, as an operator would.
fn create_key(db_dir: &Path, role: &str) -> String {
    let output = Command::new(server_binary())
        .args(["keys", "create", "--role", role, "--label", "e2e", "--db"])
        .arg(db_dir.join("clearance.db"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

/// Creates a customer through the API and returns its id.
async fn seed(url: &str, key: &str, name: &str, external_id: &str) -> String {
    let body = serde_json::json!({
        "type": "individual", "name": name, "email": "seed@example.com", "phone": "+12125550100",
        "device": {"ip_address": "192.0.2.1"}, "external_id": external_id,
        "compliance_profile": {"dob": "1952-10-07", "ssn": "512-44-8890"},
    });
    let response = reqwest::Client::new()
        .post(format!("{url}/v1/customers"))
        .bearer_auth(key)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let created: serde_json::Value = response.json().await.unwrap();
    created["data"]["id"].as_str().unwrap().to_owned()
}

fn start_server(db_dir: &Path) -> (Killed, String) {
    let bin = server_binary();
    let dist = std::env::var_os("CLEARANCE_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| project_dir().join("dist"));
    assert!(
        dist.join("index.html").is_file(),
        "no built console in {}: run `trunk build --release` (make test does)",
        dist.display()
    );
    let mut command = Command::new(&bin);
    command
        .current_dir(project_dir())
        .env_remove("CLEARANCE_LISTS")
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--rate-limit",
            "0",
            "--db",
        ])
        .arg(db_dir.join("clearance.db"))
        .arg("--console")
        .arg(&dist);
    spawn_until(command, "Clearance listening on ")
}

fn start_chromedriver() -> (Killed, String) {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut command = Command::new("/usr/bin/chromedriver");
    command.arg(format!("--port={port}"));
    let (child, _) = spawn_until(command, "started successfully");
    (child, format!("http://127.0.0.1:{port}"))
}

async fn browser(webdriver: &str, profile: &Path) -> Client {
    let capabilities = serde_json::json!({
        "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", format!("--user-data-dir={}", profile.display()),
            ]
        }
    });
    let serde_json::Value::Object(capabilities) = capabilities else {
        unreachable!()
    };
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(webdriver)
        .await
        .expect("connecting to chromedriver")
}

async fn texts(client: &Client, css: &str) -> Vec<String> {
    let mut out = Vec::new();
    for element in client.find_all(Locator::Css(css)).await.unwrap() {
        out.push(element.text().await.unwrap());
    }
    out
}

#[tokio::test]
#[ignore = "needs the release console and the server binary; run by `make test`"]
async fn console_shows_server_version_and_list_snapshot() {
    let scratch = tempfile::tempdir().unwrap();
    let (_server, url) = start_server(scratch.path());
    let (_driver, webdriver) = start_chromedriver();
    let client = browser(&webdriver, &scratch.path().join("profile")).await;

    client.goto(&url).await.unwrap();
    let version = client
        .wait()
        .for_element(Locator::Css("[data-testid=server-version]"))
        .await
        .expect("the shell shows the server version");
    assert_eq!(version.text().await.unwrap(), env!("CARGO_PKG_VERSION"));
    assert_eq!(
        texts(&client, "[data-testid=list-date]").await,
        vec!["2024-05-03", "2026-06-02"]
    );
    let dirs = texts(&client, "[data-testid=list-directory]").await;
    assert!(dirs[0].ends_with("ofac-sdn-2024-05-03"), "{dirs:?}");
    assert!(dirs[1].ends_with("ofac-alt-add-2026-06-02"), "{dirs:?}");
    assert_eq!(client.title().await.unwrap(), "Clearance");

    client.close().await.unwrap();
}

async fn click(client: &Client, locator: Locator<'_>) {
    client.find(locator).await.unwrap().click().await.unwrap();
}

async fn sign_in(client: &Client, url: &str, key: &str) {
    client.goto(url).await.unwrap();
    let field = client
        .wait()
        .for_element(Locator::Css("#api-key"))
        .await
        .expect("the console asks for a key");
    field.send_keys(key).await.unwrap();
    click(client, Locator::Css(".sign-in button[type=submit]")).await;
    client
        .wait()
        .for_element(Locator::Css("[data-testid=customer-row]"))
        .await
        .expect("signed in, the customer list shows");
}

#[tokio::test]
#[ignore = "needs the release console and the server binary; run by `make test`"]
async fn an_analyst_finds_a_customer_in_review_verifies_it_and_sees_the_audit_event() {
    let scratch = tempfile::tempdir().unwrap();
    let key = create_key(scratch.path(), "analyst");
    let (_server, url) = start_server(scratch.path());
    seed(&url, &key, "Ron Swanson", "e2e-clean").await;
    let listed = seed(&url, &key, "Vladimir Putin", "e2e-listed").await;
    let (_driver, webdriver) = start_chromedriver();
    let client = browser(&webdriver, &scratch.path().join("profile")).await;
    sign_in(&client, &url, &key).await;
    assert!(
        !client.current_url().await.unwrap().as_str().contains(&key),
        "the key never reaches the URL"
    );

    // Sorting keeps the keyboard focus on the header that was used.
    click(&client, Locator::Css("th a.sort")).await;
    client
        .wait()
        .for_element(Locator::Css("th[aria-sort=ascending] a.sort"))
        .await
        .expect("the list is sorted by name");
    let focused = client
        .execute(
            "return document.activeElement && document.activeElement.matches('th[aria-sort=ascending] a.sort');",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        focused,
        serde_json::json!(true),
        "focus stays on the sorted header"
    );
    assert!(
        client
            .current_url()
            .await
            .unwrap()
            .as_str()
            .contains("sort_by=name")
    );

    click(&client, Locator::LinkText("Review queue")).await;
    let row = client
        .wait()
        .for_element(Locator::XPath(
            "//tr[@data-testid='customer-row'][contains(., 'Vladimir Putin')]",
        ))
        .await
        .expect("the listed customer is in the queue");
    assert_eq!(texts(&client, "[data-testid=customer-row]").await.len(), 1);
    row.find(Locator::Css("a"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    client
        .wait()
        .for_element(Locator::LinkText("Review screening"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let evidence = client
        .wait()
        .for_element(Locator::Css("[data-testid=evidence]"))
        .await
        .expect("the review shows the match evidence");
    assert!(evidence.text().await.unwrap().contains("PUTIN"));
    let marked = texts(
        &client,
        "[data-testid=evidence] [data-testid=customer] mark",
    )
    .await;
    assert!(marked.iter().any(|m| m.starts_with("Putin")), "{marked:?}");

    client
        .find(Locator::Css("#decision-note"))
        .await
        .unwrap()
        .send_keys("Date of birth differs from the listed entry")
        .await
        .unwrap();
    click(
        &client,
        Locator::XPath("//button[starts-with(., 'Verify')]"),
    )
    .await;
    let outcome = client
        .wait()
        .for_element(Locator::XPath(
            "//*[@data-testid='outcome'][contains(., 'verified')]",
        ))
        .await
        .expect("the decision is confirmed");
    assert!(outcome.text().await.unwrap().contains("now verified"));

    client
        .goto(&format!("{url}/customers/{listed}"))
        .await
        .unwrap();
    client
        .wait()
        .for_element(Locator::XPath(
            "//td[@data-testid='event-action'][. = 'decided']",
        ))
        .await
        .expect("the decision is in the history");
    let status = client
        .find(Locator::Css("[data-testid=status]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(status.contains("verified"), "{status}");
    let unmask = client
        .find_all(Locator::XPath("//button[. = 'Unmask PII']"))
        .await
        .unwrap();
    assert!(unmask.is_empty(), "an analyst key is not offered Unmask");
    client.close().await.unwrap();
}

#[tokio::test]
#[ignore = "needs the release console and the server binary; run by `make test`"]
async fn the_new_customer_form_warns_of_a_listed_name_before_submit() {
    let scratch = tempfile::tempdir().unwrap();
    let key = create_key(scratch.path(), "analyst");
    let (_server, url) = start_server(scratch.path());
    seed(&url, &key, "Ron Swanson", "e2e-clean").await;
    let (_driver, webdriver) = start_chromedriver();
    let client = browser(&webdriver, &scratch.path().join("profile")).await;
    sign_in(&client, &url, &key).await;

    click(&client, Locator::LinkText("New customer")).await;
    client
        .wait()
        .for_element(Locator::Css("[data-testid=prescreen]"))
        .await
        .expect("the list index loads in the browser");
    client
        .find(Locator::Css("#name"))
        .await
        .unwrap()
        .send_keys("Vladimir Putin")
        .await
        .unwrap();
    let warning = client
        .wait()
        .for_element(Locator::Css(".prescreen-warning"))
        .await
        .expect("the pre-screen warns before submit");
    assert!(warning.text().await.unwrap().contains("PUTIN"));
    let customers = reqwest::Client::new()
        .get(format!("{url}/v1/customers?name=putin"))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .await
        .unwrap();
    assert_eq!(customers["meta"]["total_items"], 0, "nothing was submitted");
    let cached = client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             caches.open('clearance-index').then(c => c.keys()).then(k => done(k.map(r => r.url)));",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        cached,
        serde_json::json!([format!("{url}/v1/watchlists/index")]),
        "the index is kept in the Cache API"
    );
    client.close().await.unwrap();
}

/// `make bench`: how long after navigation the customer list is painted, loading the console from
/// scratch (release wasm, 200 customers stored, page of 50). Prints its figures; asserts no time.
#[tokio::test]
#[ignore = "a measurement; run by `make bench`"]
async fn bench_list_paint_time() {
    let scratch = tempfile::tempdir().unwrap();
    let key = create_key(scratch.path(), "analyst");
    let (_server, url) = start_server(scratch.path());
    for i in 0..200 {
        seed(
            &url,
            &key,
            &format!("Customer Number{i}"),
            &format!("paint-{i}"),
        )
        .await;
    }
    let (_driver, webdriver) = start_chromedriver();
    let client = browser(&webdriver, &scratch.path().join("profile")).await;
    sign_in(&client, &url, &key).await;
    let mut times = Vec::new();
    for _ in 0..10 {
        client.goto(&format!("{url}/customers")).await.unwrap();
        let painted = client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 const check = () => document.querySelector('[data-testid=customer-row]')
                     ? requestAnimationFrame(() => done(performance.now()))
                     : requestAnimationFrame(check);
                 check();",
                vec![],
            )
            .await
            .unwrap();
        times.push(painted.as_f64().unwrap());
    }
    times.sort_by(f64::total_cmp);
    println!(
        "console list painted after navigation: median {:.0} ms, slowest {:.0} ms (10 loads, 200 customers, page of 50)",
        times[times.len() / 2],
        times[times.len() - 1]
    );
    client.close().await.unwrap();
}
