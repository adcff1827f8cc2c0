//! The index as bytes, for the browser: downloaded once per list version, kept in the Cache API, and
//! checked before use. Layout, all integers little-endian:
//!
//! | bytes | field |
//! |---|---|
//! | 8 | magic `CLRINDEX` |
//! | 2 | format version ([`FORMAT_VERSION`]) |
//! | 4 | CRC-32 of the payload |
//! | 8 | payload length |
//! | n | payload: postcard-encoded snapshot identity and entities, as [`Contents`] says, and the matching tables |
//!
//! The token vocabulary is derived from the names, so it is rebuilt on load rather than shipped: the file
//! stays small and can never disagree with the names it indexes. The matching tables (transliteration, word
//! weights, name equivalents) travel in the file because the browser builds leave them out of their code
//! to stay within their size budgets; decoding installs them ([`crate::tables::install`]).

mod names;

use serde::{Deserialize, Serialize};

use crate::index::Index;
use crate::lists::Snapshot;
use crate::model::{Entity, ListId};
use crate::tables::{Tables, install, tables};

const MAGIC: &[u8; 8] = b"CLRINDEX";

/// Bump when the payload's shape changes; a reader refuses other versions rather than misread them.
pub const FORMAT_VERSION: u16 = 3;

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

/// How much of each entity a file carries. The console shows the evidence behind a match (addresses,
/// programs, documents, birth dates), so it needs everything but the remarks. The onboarding widget only
/// answers whether a name matches, and a name-only query scores the same against the names alone, so it
/// downloads a file a third of the size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Contents {
    /// Every field but the remarks: what the console shows as evidence.
    Full,
    /// List, kind, id and names with their alias types: what a name-only query scores against.
    Names,
}

#[derive(Serialize, Deserialize)]
struct Payload {
    body: Body,
    tables: Tables,
}

#[derive(Serialize, Deserialize)]
enum Body {
    Full {
        identity: Identity,
        entities: Vec<Entity>,
    },
    Names {
        identity: Identity,
        columns: names::NameColumns,
    },
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
    pub fn to_bytes(&self, identity: &Identity, contents: Contents) -> Vec<u8> {
        let identity = identity.clone();
        let body = match contents {
            Contents::Full => Body::Full {
                identity,
                entities: self
                    .entities()
                    .iter()
                    .map(|e| Entity {
                        remarks: None,
                        ..e.clone()
                    })
                    .collect(),
            },
            Contents::Names => Body::Names {
                identity,
                columns: names::NameColumns::of(self.entities()),
            },
        };
        let payload = Payload {
            body,
            tables: tables().clone(),
        };
        let payload = postcard::to_allocvec(&payload).expect("entities always serialise");
        let mut out = Vec::with_capacity(HEADER + payload.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&crc32fast::hash(&payload).to_le_bytes());
        out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
        out.extend_from_slice(&payload);
        out
    }

    /// Reads bytes written by [`Index::to_bytes`], whichever [`Contents`], checking magic, version, length
    /// and checksum first.
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
        install(payload.tables);
        let (entities, identity) = match payload.body {
            Body::Full { identity, entities } => (entities, identity),
            Body::Names { identity, columns } => (columns.into_entities()?, identity),
        };
        Ok((Index::build(entities), identity))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Alias, AliasStrength, AliasType, EntityKind};
    use crate::query::Query;

    fn sample() -> (Index, Identity) {
        let mut entity = Entity::new(
            ListId::OfacSdn,
            "306".into(),
            EntityKind::Organization,
            "BANCO NACIONAL DE CUBA".into(),
        );
        entity.remarks = Some("a.k.a. 'BNC'.".into());
        entity.programs.push("CUBA".into());
        entity.aliases.push(Alias {
            name: "BNC".into(),
            alias_type: AliasType::Aka,
            strength: AliasStrength::Strong,
        });
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
        let (back, read_identity) =
            Index::from_bytes(&index.to_bytes(&identity, Contents::Full)).unwrap();
        assert_eq!(read_identity, identity);
        assert_eq!(back.entities()[0].remarks, None);
        assert_eq!(back.entities()[0].programs, ["CUBA"]);
        let found = back.search(&Query::name("Banco Nacional de Cuba"), 0.82, 1);
        assert_eq!(found[0].score, 1.0);
    }

    #[test]
    fn the_names_only_file_keeps_ids_names_and_aliases_and_drops_the_rest() {
        let (index, identity) = sample();
        let mut entities = index.entities().to_vec();
        let mut un = Entity::new(
            ListId::UnConsolidated,
            "QDi.001".into(),
            EntityKind::Individual,
            "First \u{1f} Person".into(),
        );
        un.aliases.push(Alias {
            name: String::new(),
            alias_type: AliasType::Aka,
            strength: AliasStrength::Weak,
        });
        entities.extend([
            un,
            Entity::new(
                ListId::OfacSdn,
                "0042".into(),
                EntityKind::Vessel,
                "X".into(),
            ),
        ]);
        entities.push(Entity::new(
            ListId::OfacSdn,
            "12".into(),
            EntityKind::Vessel,
            "Y".into(),
        ));
        let index = Index::build(entities);
        let (back, read_identity) =
            Index::from_bytes(&index.to_bytes(&identity, Contents::Names)).unwrap();
        assert_eq!(read_identity, identity);
        let read: Vec<_> = back
            .entities()
            .iter()
            .map(|e| {
                (
                    e.list,
                    e.source_id.as_str(),
                    e.kind,
                    e.names().collect::<Vec<_>>(),
                )
            })
            .collect();
        assert_eq!(
            read,
            [
                (
                    ListId::OfacSdn,
                    "306",
                    EntityKind::Organization,
                    vec!["BANCO NACIONAL DE CUBA", "BNC"]
                ),
                (
                    ListId::UnConsolidated,
                    "QDi.001",
                    EntityKind::Individual,
                    vec!["First   Person", ""]
                ),
                (ListId::OfacSdn, "0042", EntityKind::Vessel, vec!["X"]),
                (ListId::OfacSdn, "12", EntityKind::Vessel, vec!["Y"]),
            ]
        );
        assert!(back.entities()[0].programs.is_empty());
        assert_eq!(
            back.entities()[0].aliases[0].strength,
            AliasStrength::Strong
        );
        assert_eq!(back.entities()[1].aliases[0].strength, AliasStrength::Weak);
    }

    #[test]
    fn damage_is_detected() {
        let (index, identity) = sample();
        let bytes = index.to_bytes(&identity, Contents::Full);
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
