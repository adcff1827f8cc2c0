//! Starting and stopping processes: the server, and anything else a test needs running (chromedriver).

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::client::Client;
use crate::fixtures::default_lists;

/// A child process killed (SIGKILL) when dropped, so a failing test leaves nothing running.
pub struct Killed(pub Child);

impl Killed {
    /// SIGKILL now: no shutdown, no flush.
    pub fn kill(&mut self) {
        self.0.kill().ok();
        self.0.wait().ok();
    }
}

impl Drop for Killed {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Spawns `command` with a piped stdout and reads it until a line contains `marker`; returns the process
/// and the rest of that line. The process is ready once it has printed the line, so nothing waits by time.
pub fn spawn_until(mut command: Command, marker: &str) -> (Killed, String) {
    let mut child = command
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("starting {command:?}: {e}"));
    let stdout = child.stdout.take().expect("stdout is piped");
    let child = Killed(child);
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("reading the process's output");
        if let Some(at) = line.find(marker) {
            return (child, line[at + marker.len()..].trim().to_owned());
        }
    }
    panic!("{command:?} exited before printing {marker:?}");
}

/// The debug server binary of this workspace, or `CLEARANCE_BIN`; for crates that cannot name the binary
/// with `env!("CARGO_BIN_EXE_clearance")` (only the server crate's own tests can).
pub fn workspace_binary() -> PathBuf {
    std::env::var_os("CLEARANCE_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/debug/clearance")
        })
}

/// How to start a server. [`Options::new`] gives the shared default lists, no rate limit, a fresh database
/// and a debug log in a file the test can read.
pub struct Options {
    pub bin: PathBuf,
    pub lists: Vec<PathBuf>,
    /// Further `serve` arguments.
    pub extra: Vec<String>,
    /// Reuse this database instead of a fresh one.
    pub db: Option<PathBuf>,
    /// A built console to serve; none by default.
    pub console: Option<PathBuf>,
    /// `RUST_LOG` for the server.
    pub log_level: &'static str,
}

impl Options {
    pub fn new(bin: impl Into<PathBuf>) -> Self {
        Self {
            bin: bin.into(),
            lists: default_lists(),
            extra: vec!["--rate-limit".into(), "0".into()],
            db: None,
            console: None,
            log_level: "debug",
        }
    }
}

/// A running `clearance serve`, killed when dropped. Its stderr (the log) goes to a file, line by line,
/// and to [`Server::wait_for_log`].
pub struct Server {
    process: Killed,
    pub url: String,
    pub db: PathBuf,
    pub log: PathBuf,
    bin: PathBuf,
    lines: Mutex<Receiver<String>>,
    copier: Option<JoinHandle<()>>,
    dir: tempfile::TempDir,
}

/// How long [`Server::wait_for_log`] waits before it fails the test: a guard against a hang, far above
/// any expected wait, never a synchronisation delay.
const LOG_GUARD: Duration = Duration::from_secs(60);

impl Server {
    /// Starts the server and returns once it listens.
    pub fn start(options: Options) -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let db = options
            .db
            .clone()
            .unwrap_or_else(|| dir.path().join("clearance.db"));
        let log = dir.path().join("server.log");
        // The data key lives beside the database, so a restart on the same database opens its PII.
        let data_key = db.with_extension("key");
        if !data_key.exists() {
            let output = Command::new(&options.bin)
                .args(["keys", "create-data-key", "--out"])
                .arg(&data_key)
                .output()
                .expect("running clearance keys create-data-key");
            assert!(output.status.success(), "{output:?}");
        }
        let mut command = Command::new(&options.bin);
        command
            .env_remove("CLEARANCE_LISTS")
            .env_remove("CLEARANCE_DATA_KEY")
            .args(["serve", "--addr", "127.0.0.1:0", "--data-key-file"])
            .arg(&data_key)
            .arg("--db")
            .arg(&db)
            .arg("--console")
            .arg(
                options
                    .console
                    .clone()
                    .unwrap_or_else(|| dir.path().join("no-console")),
            );
        for list in &options.lists {
            command.arg("--lists").arg(list);
        }
        command
            .args(&options.extra)
            .env("RUST_LOG", options.log_level)
            .stderr(Stdio::piped());
        let (mut process, url) = spawn_until(command, "Clearance listening on ");
        let stderr = process.0.stderr.take().expect("stderr is piped");
        let mut file = std::fs::File::create(&log).expect("the log file");
        let (sender, lines) = channel();
        let copier = std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                writeln!(file, "{line}").expect("writing the log file");
                sender.send(line).ok();
            }
        });
        Self {
            process,
            url,
            db,
            log,
            bin: options.bin,
            lines: Mutex::new(lines),
            copier: Some(copier),
            dir,
        }
    }

    /// Blocks until the server logs a line containing `marker` (lines already waited past do not count
    /// again), and returns it. Reads the log pipe, so it wakes on the line, not on a timer.
    pub fn wait_for_log(&self, marker: &str) -> String {
        let lines = self.lines.lock().expect("the log lines");
        loop {
            match lines.recv_timeout(LOG_GUARD) {
                Ok(line) if line.contains(marker) => return line,
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout) => {
                    panic!("the server logged no {marker:?} within {LOG_GUARD:?}")
                }
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("the server exited before logging {marker:?}")
                }
            }
        }
    }

    /// A new key of `role`, made by the CLI.
    pub fn key(&self, role: &str) -> String {
        create_key(&self.bin, &self.db, role)
    }

    /// A new publishable key (the onboarding widget's) for `origins`, made by the CLI.
    pub fn publishable_key(&self, origins: &[&str]) -> String {
        let mut command = Command::new(&self.bin);
        command.args([
            "keys",
            "create",
            "--role",
            "publishable",
            "--label",
            "widget",
            "--db",
        ]);
        command.arg(&self.db);
        for origin in origins {
            command.args(["--origin", origin]);
        }
        let output = command.output().expect("running clearance keys create");
        assert!(output.status.success(), "{output:?}");
        String::from_utf8(output.stdout)
            .expect("the key is text")
            .trim_end()
            .to_owned()
    }

    /// A client holding a new key of `role`.
    pub fn client(&self, role: &str) -> Client {
        Client::new(&self.url, Some(self.key(role)))
    }

    /// A client without a key.
    pub fn anonymous(&self) -> Client {
        Client::new(&self.url, None)
    }

    /// Revokes a key by its id (`key_...`) with the CLI; panics when the CLI refuses.
    pub fn revoke(&self, key_id: &str) {
        let output = Command::new(&self.bin)
            .args(["keys", "revoke", "--db"])
            .arg(&self.db)
            .arg(key_id)
            .output()
            .expect("running clearance keys revoke");
        assert!(output.status.success(), "{output:?}");
    }

    /// SIGKILL: no shutdown, no flush. Returns once the log file holds everything the server wrote.
    pub fn kill(&mut self) {
        self.process.kill();
        if let Some(copier) = self.copier.take() {
            copier.join().expect("the log copier");
        }
    }

    /// The server's process id, for a benchmark that reads its memory from /proc.
    pub fn pid(&self) -> u32 {
        self.process.0.id()
    }

    /// Starts counting the server's peak memory again from what it holds now (Linux `clear_refs`).
    pub fn reset_peak_memory(&self) {
        std::fs::write(format!("/proc/{}/clear_refs", self.pid()), "5")
            .expect("resetting the server's peak memory");
    }

    /// The server's resident memory from /proc, in MiB: (the peak since the start or the last
    /// [`Server::reset_peak_memory`], now). Both count the database pages read through the memory map.
    pub fn memory_mib(&self) -> (f64, f64) {
        (self.status_mib("VmHWM:"), self.status_mib("VmRSS:"))
    }

    /// The server's resident anonymous memory (its heap and stacks, not the mapped database), in MiB.
    pub fn anonymous_mib(&self) -> f64 {
        self.status_mib("RssAnon:")
    }

    /// A `/proc/<pid>/status` field given in kB, in MiB.
    fn status_mib(&self, name: &str) -> f64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()))
            .expect("the server's /proc status");
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .unwrap_or(0.0)
            / 1024.0
    }

    /// The log so far; complete after [`Server::kill`].
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).expect("the server log")
    }

    /// The server's temporary directory (its database and log live here unless given).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

/// Makes a key of `role` with the CLI of `bin` and returns its secret.
pub fn create_key(bin: &Path, db: &Path, role: &str) -> String {
    let output = Command::new(bin)
        .args(["keys", "create", "--role", role, "--label", role, "--db"])
        .arg(db)
        .output()
        .expect("running clearance keys create");
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout)
        .expect("the key is text")
        .trim_end()
        .to_owned()
}
