//! The index as bytes, for the browser: downloaded once per list version, kept in the Cache API, and
//! checked before use. Layout, all integers little-endian:
//!
//! | bytes | field |
//! |---|---|
//! | 8 | magic `CLRINDEX` |
//! | 2 | format version ([`FORMAT_VERSION`]) |
//! | 4 | CRC-32 of the payload |
//! | 8 | payload length |
//! | n | payload: postcard-encoded snapshot identity and entities, remarks left out |
//!
//! The token vocabulary is derived from the names, so it is rebuilt on load rather than shipped: the file
//! stays small and can never disagree with the names it indexes.

use serde::{Deserialize, Serialize};

use crate::index::Index;
use crate::lists::Snapshot;
use crate::model::{Entity, ListId};

const MAGIC: &[u8; 8] = b"CLRINDEX";

/// Bump when the payload's shape changes; a reader refuses other versions rather than misread them.
pub const FORMAT_VERSION: u16 = 1;

const HEADER: usize = 8 + 2 + 4 + 8;

/// Which lists an index was built from: shown beside every in-browser result, and the ETag of the file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    pub lists: Vec<ListId>,
    pub publisher: String,
    pub date: Option<String>,
    pub content_hash: String,
}

impl Identity {
    pub fn of(snapshot: &Snapshot) -> Self {
        Self {
            lists: snapshot.lists.clone(),
            publisher: snapshot.publisher.clone(),
            date: snapshot.date.clone(),
            content_hash: snapshot.content_hash.clone(),
        }
    }
}

#[derive(Serialize, Deserialize)]
struct Payload {
    identity: Identity,
    entities: Vec<Entity>,
}

/// Why bytes are not a usable index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    NotAnIndex,
    UnsupportedVersion(u16),
    Truncated { expected: u64, found: u64 },
    ChecksumMismatch,
    Corrupt(String),
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotAnIndex => write!(f, "not a Clearance index (bad magic bytes)"),
            Self::UnsupportedVersion(v) => {
                write!(
                    f,
                    "index format version {v}; this build reads version {FORMAT_VERSION}"
                )
            }
            Self::Truncated { expected, found } => {
                write!(f, "index truncated: {found} payload bytes of {expected}")
            }
            Self::ChecksumMismatch => write!(f, "index checksum mismatch: the file is damaged"),
            Self::Corrupt(why) => write!(f, "index payload unreadable: {why}"),
        }
    }
}

impl std::error::Error for DecodeError {}

impl Index {
    /// The index as bytes, with the identity of the lists it was built from.
    pub fn to_bytes(&self, identity: &Identity) -> Vec<u8> {
        let entities = self
            .entities()
            .iter()
            .map(|e| Entity {
                remarks: None,
                ..e.clone()
            })
            .collect();
        let payload = postcard::to_allocvec(&Payload {
            identity: identity.clone(),
            entities,
        })
        .expect("entities always serialise");
        let mut out = Vec::with_capacity(HEADER + payload.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&crc32fast::hash(&payload).to_le_bytes());
        out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
        out.extend_from_slice(&payload);
        out
    }

    /// Reads bytes written by [`Index::to_bytes`], checking magic, version, length and checksum first.
    pub fn from_bytes(bytes: &[u8]) -> Result<(Index, Identity), DecodeError> {
        if bytes.len() < HEADER || &bytes[..8] != MAGIC {
            return Err(DecodeError::NotAnIndex);
        }
        let version = u16::from_le_bytes([bytes[8], bytes[9]]);
        if version != FORMAT_VERSION {
            return Err(DecodeError::UnsupportedVersion(version));
        }
        let crc = u32::from_le_bytes(bytes[10..14].try_into().expect("four bytes"));
        let expected = u64::from_le_bytes(bytes[14..22].try_into().expect("eight bytes"));
        let payload = &bytes[HEADER..];
        if payload.len() as u64 != expected {
            return Err(DecodeError::Truncated {
                expected,
                found: payload.len() as u64,
            });
        }
        if crc32fast::hash(payload) != crc {
            return Err(DecodeError::ChecksumMismatch);
        }
        let payload: Payload =
            postcard::from_bytes(payload).map_err(|e| DecodeError::Corrupt(e.to_string()))?;
        Ok((Index::build(payload.entities), payload.identity))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EntityKind;
    use crate::query::Query;

    fn sample() -> (Index, Identity) {
        let mut entity = Entity::new(
            ListId::OfacSdn,
            "306".into(),
            EntityKind::Organization,
            "BANCO NACIONAL DE CUBA".into(),
        );
        entity.remarks = Some("a.k.a. 'BNC'.".into());
        let identity = Identity {
            lists: vec![ListId::OfacSdn],
            publisher: "OFAC".into(),
            date: Some("2024-05-03".into()),
            content_hash: "ab".repeat(32),
        };
        (Index::build(vec![entity]), identity)
    }

    #[test]
    fn round_trips_and_still_searches() {
        let (index, identity) = sample();
        let (back, read_identity) = Index::from_bytes(&index.to_bytes(&identity)).unwrap();
        assert_eq!(read_identity, identity);
        assert_eq!(back.entities()[0].remarks, None);
        let found = back.search(&Query::name("Banco Nacional de Cuba"), 0.82, 1);
        assert_eq!(found[0].score, 1.0);
    }

    #[test]
    fn damage_is_detected() {
        let (index, identity) = sample();
        let bytes = index.to_bytes(&identity);
        let mut flipped = bytes.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        assert_eq!(
            Index::from_bytes(&flipped).err(),
            Some(DecodeError::ChecksumMismatch)
        );
        assert!(matches!(
            Index::from_bytes(&bytes[..bytes.len() - 3]),
            Err(DecodeError::Truncated { .. })
        ));
        let mut newer = bytes.clone();
        newer[8] = 9;
        assert_eq!(
            Index::from_bytes(&newer).err(),
            Some(DecodeError::UnsupportedVersion(9))
        );
        assert_eq!(
            Index::from_bytes(b"hello").err(),
            Some(DecodeError::NotAnIndex)
        );
    }
}
