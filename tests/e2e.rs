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

fn start_server(db_dir: &Path) -> (Killed, String) {
    let bin = std::env::var_os("CLEARANCE_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| project_dir().join("target/debug/clearance"));
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
        .args(["serve", "--addr", "127.0.0.1:0", "--db"])
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
