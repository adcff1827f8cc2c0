//! The data keys that encrypt PII at rest (SSN, EIN, date of birth) with AES-256-GCM from RustCrypto's
//! `aes-gcm`, a reviewed AEAD implementation, rather than anything hand-made.
//!
//! Keys live outside the database: in a key file (`--data-key-file`) or the `CLEARANCE_DATA_KEY`
//! environment variable, one key a line as `ID BASE64` (32 random bytes); the last line is the key new
//! writes use, and the earlier ones still decrypt. Every row names its key, so a rotation appends a key
//! and re-encrypts row by row while the server runs. The server re-reads the file when it meets a key it
//! does not hold, and at most once a second before it encrypts, so it picks up a rotation within a second.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{PoisonError, RwLock};
use std::time::{Duration, Instant, SystemTime};

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;

use super::StoreError;

const NONCE: usize = 12;
/// How often, at most, the server looks at the key file for a new key.
pub const RECHECK: Duration = Duration::from_secs(1);

/// Where the keys come from.
#[derive(Clone, Debug)]
pub enum KeySource {
    File(PathBuf),
    /// The key lines themselves, from the environment.
    Text(String),
    /// No keys: for commands that never touch a customer's PII.
    None,
}

/// The loaded keys.
pub struct Keyring {
    source: KeySource,
    keys: RwLock<Keys>,
}

#[derive(Default)]
struct Keys {
    current: Option<String>,
    ciphers: HashMap<String, Aes256Gcm>,
    modified: Option<SystemTime>,
    checked: Option<Instant>,
}

/// A new key line (`ID BASE64`), from the operating system's randomness.
pub fn new_key_line() -> Result<String, StoreError> {
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).map_err(StoreError::Randomness)?;
    let mut id = [0u8; 4];
    getrandom::fill(&mut id).map_err(StoreError::Randomness)?;
    let id: String = id.iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!(
        "dk_{id} {}",
        base64::engine::general_purpose::STANDARD.encode(key)
    ))
}

fn parse(text: &str, origin: &str) -> Result<Keys, StoreError> {
    let mut keys = Keys::default();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = |why: &str| StoreError::DataKey(format!("{origin} line {}: {why}", number + 1));
        let (id, material) = line
            .split_once(char::is_whitespace)
            .ok_or_else(|| bad("expected `ID BASE64`"))?;
        let material = base64::engine::general_purpose::STANDARD
            .decode(material.trim())
            .map_err(|_| bad("the key is not base64"))?;
        let cipher =
            Aes256Gcm::new_from_slice(&material).map_err(|_| bad("the key is not 32 bytes"))?;
        keys.ciphers.insert(id.to_owned(), cipher);
        keys.current = Some(id.to_owned());
    }
    Ok(keys)
}

impl Keyring {
    /// Loads the keys; a file or text without a key is an error.
    pub fn load(source: KeySource) -> Result<Self, StoreError> {
        let keyring = Self {
            source,
            keys: RwLock::new(Keys::default()),
        };
        if !matches!(keyring.source, KeySource::None) {
            keyring.reload()?;
            if keyring.read().current.is_none() {
                return Err(StoreError::DataKey(format!(
                    "{} holds no key",
                    keyring.origin()
                )));
            }
        }
        Ok(keyring)
    }

    fn origin(&self) -> String {
        match &self.source {
            KeySource::File(path) => path.display().to_string(),
            KeySource::Text(_) => "CLEARANCE_DATA_KEY".to_owned(),
            KeySource::None => "no data key".to_owned(),
        }
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Keys> {
        self.keys.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn reload(&self) -> Result<(), StoreError> {
        let (text, modified) = match &self.source {
            KeySource::File(path) => {
                let unreadable =
                    |e: std::io::Error| StoreError::DataKey(format!("{}: {e}", path.display()));
                let modified = std::fs::metadata(path)
                    .and_then(|m| m.modified())
                    .map_err(unreadable)?;
                (
                    std::fs::read_to_string(path).map_err(unreadable)?,
                    Some(modified),
                )
            }
            KeySource::Text(text) => (text.clone(), None),
            KeySource::None => return Ok(()),
        };
        let mut keys = parse(&text, &self.origin())?;
        keys.modified = modified;
        keys.checked = Some(Instant::now());
        *self.keys.write().unwrap_or_else(PoisonError::into_inner) = keys;
        Ok(())
    }

    /// Re-reads a key file that changed since it was read, at most once a [`RECHECK`].
    fn refresh(&self) -> Result<(), StoreError> {
        let KeySource::File(path) = &self.source else {
            return Ok(());
        };
        let (due, known) = {
            let keys = self.read();
            (
                keys.checked.is_none_or(|at| at.elapsed() >= RECHECK),
                keys.modified,
            )
        };
        if !due {
            return Ok(());
        }
        let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok();
        if modified.is_some() && modified != known {
            return self.reload();
        }
        self.keys
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .checked = Some(Instant::now());
        Ok(())
    }

    /// The id of the key new writes use.
    pub fn current(&self) -> Result<String, StoreError> {
        self.refresh()?;
        self.read()
            .current
            .clone()
            .ok_or_else(|| StoreError::DataKey("no data key is configured".into()))
    }

    /// Encrypts `plaintext` under the current key, bound to `context` (the customer's id), so a sealed
    /// value copied to another row does not open. Returns the key id and nonce followed by ciphertext.
    pub fn seal(&self, context: &str, plaintext: &[u8]) -> Result<(String, Vec<u8>), StoreError> {
        let id = self.current()?;
        let mut nonce = [0u8; NONCE];
        getrandom::fill(&mut nonce).map_err(StoreError::Randomness)?;
        let keys = self.read();
        let cipher = keys
            .ciphers
            .get(&id)
            .ok_or_else(|| StoreError::DataKey(format!("key {id} vanished")))?;
        let sealed = cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: plaintext,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| StoreError::DataKey("encryption failed".into()))?;
        Ok((id, [nonce.as_slice(), &sealed].concat()))
    }

    /// Decrypts what [`Keyring::seal`] made under key `id` for `context`.
    pub fn open(&self, id: &str, context: &str, sealed: &[u8]) -> Result<Vec<u8>, StoreError> {
        if !self.read().ciphers.contains_key(id) {
            self.reload()?;
        }
        let keys = self.read();
        let cipher = keys.ciphers.get(id).ok_or_else(|| {
            StoreError::DataKey(format!("no key {id} in {}: was it removed?", self.origin()))
        })?;
        let (nonce, ciphertext) = sealed
            .split_at_checked(NONCE)
            .ok_or_else(|| StoreError::DataKey("a sealed value is too short".into()))?;
        cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| StoreError::DataKey(format!("a value under key {id} does not open")))
    }
}

/// Writes a new key file at `path` with one key; refuses to overwrite one.
pub fn create_file(path: &Path) -> Result<(), StoreError> {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| StoreError::DataKey(format!("{}: {e}", path.display())))?;
    writeln!(file, "{}", new_key_line()?)
        .map_err(|e| StoreError::DataKey(format!("{}: {e}", path.display())))
}

/// Appends a new key to the file at `path`; it becomes the key new writes use.
pub fn append_key(path: &Path) -> Result<String, StoreError> {
    use std::io::Write;
    let line = new_key_line()?;
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .map_err(|e| StoreError::DataKey(format!("{}: {e}", path.display())))?;
    writeln!(file, "{line}")
        .map_err(|e| StoreError::DataKey(format!("{}: {e}", path.display())))?;
    Ok(line
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring() -> Keyring {
        let text = format!("{}\n{}\n", new_key_line().unwrap(), new_key_line().unwrap());
        Keyring::load(KeySource::Text(text)).unwrap()
    }

    #[test]
    fn sealed_values_open_only_with_their_key_and_row() {
        let keyring = ring();
        let (id, sealed) = keyring.seal("customer-1", b"512-44-8890").unwrap();
        assert!(!sealed.windows(11).any(|w| w == b"512-44-8890"));
        assert_eq!(
            keyring.open(&id, "customer-1", &sealed).unwrap(),
            b"512-44-8890"
        );
        assert!(
            keyring.open(&id, "customer-2", &sealed).is_err(),
            "bound to its row"
        );
        let mut tampered = sealed.clone();
        *tampered.last_mut().unwrap() ^= 1;
        assert!(keyring.open(&id, "customer-1", &tampered).is_err());
        assert!(keyring.open("dk_none", "customer-1", &sealed).is_err());
    }

    #[test]
    fn the_last_key_writes_and_every_key_reads() {
        let first = new_key_line().unwrap();
        let old = Keyring::load(KeySource::Text(first.clone())).unwrap();
        let (old_id, sealed) = old.seal("c", b"1972-05-06").unwrap();
        let second = new_key_line().unwrap();
        let both = Keyring::load(KeySource::Text(format!("{first}\n{second}"))).unwrap();
        assert_ne!(both.current().unwrap(), old_id);
        assert_eq!(both.open(&old_id, "c", &sealed).unwrap(), b"1972-05-06");
    }

    #[test]
    fn a_bad_key_line_names_its_line() {
        let error = Keyring::load(KeySource::Text("# keys\ndk_1 not-base64!".into()))
            .err()
            .unwrap()
            .to_string();
        assert!(error.contains("line 2"), "{error}");
    }
}
