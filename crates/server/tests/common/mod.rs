//! Starts the real `clearance serve` process on a free port with a temporary SQLite file and the shared list
//! snapshots, and talks to it over HTTP.

#![allow(dead_code)] // Each test binary uses a different part of the harness.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use reqwest::{Method, StatusCode};
use serde_json::Value;

const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/lists/");

/// The lists `make run` uses: the 2024 SDN list with the 2026 aliases and addresses.
pub fn default_lists() -> Vec<PathBuf> {
    ["ofac-sdn-2024-05-03", "ofac-alt-add-2026-06-02"]
        .iter()
        .map(|d| PathBuf::from(SHARED).join(d))
        .collect()
}

pub fn shared_list(dir: &str) -> PathBuf {
    PathBuf::from(SHARED).join(dir)
}

/// The server process, killed when dropped. Its stderr (the log) goes to a file the test can read.
pub struct Server {
    child: Child,
    pub url: String,
    pub db: PathBuf,
    pub log: PathBuf,
    dir: tempfile::TempDir,
}

/// How to start a server.
pub struct Options {
    pub lists: Vec<PathBuf>,
    pub extra: Vec<String>,
    /// Reuse this database instead of a fresh one.
    pub db: Option<PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            lists: default_lists(),
            extra: vec!["--rate-limit".into(), "0".into()],
            db: None,
        }
    }
}

pub fn start() -> Server {
    start_with(Options::default())
}

pub fn start_with(options: Options) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let db = options
        .db
        .clone()
        .unwrap_or_else(|| dir.path().join("clearance.db"));
    let log = dir.path().join("server.log");
    let mut command = Command::new(env!("CARGO_BIN_EXE_clearance"));
    command
        .args(["serve", "--addr", "127.0.0.1:0", "--db"])
        .arg(&db)
        .arg("--console")
        .arg(dir.path().join("no-console"));
    for list in &options.lists {
        command.arg("--lists").arg(list);
    }
    let mut child = command
        .args(&options.extra)
        .env("RUST_LOG", "debug")
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let line = BufReader::new(stdout)
        .lines()
        .map(Result::unwrap)
        .find(|line| line.starts_with("Clearance listening on "))
        .expect("the server prints where it listens");
    Server {
        child,
        url: line
            .trim_start_matches("Clearance listening on ")
            .to_owned(),
        db,
        log,
        dir,
    }
}

impl Server {
    /// A new key of `role`, made by the CLI as an operator would.
    pub fn key(&self, role: &str) -> String {
        create_key(&self.db, role)
    }

    pub fn client(&self, role: &str) -> Client {
        Client {
            http: reqwest::Client::new(),
            url: self.url.clone(),
            key: Some(self.key(role)),
        }
    }

    pub fn anonymous(&self) -> Client {
        Client {
            http: reqwest::Client::new(),
            url: self.url.clone(),
            key: None,
        }
    }

    /// SIGKILL: no shutdown, no flush.
    pub fn kill(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap()
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

pub fn create_key(db: &Path, role: &str) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_clearance"))
        .args(["keys", "create", "--role", role, "--label", role, "--db"])
        .arg(db)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout)
        .unwrap()
        .trim_end()
        .to_owned()
}

/// A caller with one API key.
#[derive(Clone)]
pub struct Client {
    pub http: reqwest::Client,
    pub url: String,
    pub key: Option<String>,
}

/// A response: status, headers and JSON body.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Reply {
    /// The references of a Straddle error's items.
    pub fn references(&self) -> Vec<String> {
        self.body["error"]["items"]
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .map(|i| i["reference"].as_str().unwrap().to_owned())
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn error_type(&self) -> &str {
        self.body["error"]["type"].as_str().unwrap_or("")
    }
}

impl Client {
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut request = self.http.request(method, format!("{}{path}", self.url));
        if let Some(key) = &self.key {
            request = request.bearer_auth(key);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            body,
            text,
        }
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(Method::GET, path, None, &[]).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Reply {
        self.send(Method::POST, path, Some(body), &[]).await
    }

    pub async fn put(&self, path: &str, body: &Value) -> Reply {
        self.send(Method::PUT, path, Some(body), &[]).await
    }

    pub async fn patch(&self, path: &str, body: &Value) -> Reply {
        self.send(Method::PATCH, path, Some(body), &[]).await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        self.send(Method::DELETE, path, None, &[]).await
    }

    /// Creates a customer and returns its data, asserting success.
    pub async fn create(&self, body: &Value) -> Value {
        let reply = self.post("/v1/customers", body).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
        reply.body["data"].clone()
    }
}

/// A valid individual; `name` decides whether screening finds a match.
pub fn individual(name: &str) -> Value {
    serde_json::json!({
        "type": "individual",
        "name": name,
        "email": "ron.swanson@pawnee.com",
        "phone": "+12128675309",
        "device": {"ip_address": "192.168.1.1"},
        "address": {"address1": "123 Main St", "city": "Pawnee", "state": "IN", "zip": "47998"},
        "compliance_profile": {"dob": "1972-05-06", "ssn": "512-44-8890"},
        "external_id": "ext-ron",
    })
}

/// A name the 2024 SDN list holds, so screening puts its customer in review.
pub const LISTED: &str = "Vladimir Putin";
pub const CLEAN: &str = "Ron Swanson";
pub const SSN: &str = "512-44-8890";
pub const DOB: &str = "1972-05-06";
