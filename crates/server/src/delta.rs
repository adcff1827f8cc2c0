//! What changed between two list versions. Each listed entry is keyed as screenings name a matched party
//! (`OFAC SDN 12345`) and hashed by its content, so comparing two versions compares two maps of hashes, and
//! a customer's result can change only through the entries whose hash differs.

use std::collections::{HashMap, HashSet};

use clearance_api::DeltaCounts;
use clearance_screening::Entity;
use sha2::{Digest as _, Sha256};

/// SHA-256 of an entry's content.
pub type Digest = [u8; 32];

/// Each entry's key and content hash: what a list version is compared by.
pub type Digests = HashMap<String, Digest>;

/// The key of the entry `entity` belongs to, as `Screening::entities` names matched parties.
pub fn key(entity: &Entity) -> String {
    format!("{} {}", entity.list.name(), entity.source_id)
}

/// One entry of a list version: its key, the hash of its content (JSON), and that content packed for
/// storage, worked out before any transaction so recording a version holds the writer only to insert.
pub struct Entry {
    pub key: String,
    pub hash: Digest,
    pub packed: Vec<u8>,
}

/// Every entry of `entities`. Entities that share a key (a list that repeats an id) form one entry.
pub fn entries(entities: &[Entity]) -> Vec<Entry> {
    let mut grouped: Vec<(String, Vec<&Entity>)> = Vec::new();
    let mut position: HashMap<String, usize> = HashMap::new();
    for entity in entities {
        let key = key(entity);
        match position.get(&key) {
            Some(&at) => grouped[at].1.push(entity),
            None => {
                position.insert(key.clone(), grouped.len());
                grouped.push((key, vec![entity]));
            }
        }
    }
    grouped
        .into_iter()
        .map(|(key, group)| {
            let content = serde_json::to_string(&group).expect("an entity always serialises");
            Entry {
                key,
                hash: Sha256::digest(content.as_bytes()).into(),
                packed: pack(&content),
            }
        })
        .collect()
}

/// An entry's content deflated: list JSON shrinks to about a fifth.
fn pack(content: &str) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    encoder
        .write_all(content.as_bytes())
        .and_then(|()| encoder.finish())
        .expect("deflating into memory cannot fail")
}

/// An entry's content as [`pack`] stored it.
pub fn unpack(packed: &[u8]) -> std::io::Result<String> {
    use std::io::Read;
    let mut content = String::new();
    flate2::read::ZlibDecoder::new(packed).read_to_string(&mut content)?;
    Ok(content)
}

/// The entries one version has and another lacks, and the ones whose content differs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Delta {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<String>,
}

impl Delta {
    pub fn between(old: &Digests, new: &Digests) -> Self {
        let mut delta = Self::default();
        for (key, hash) in new {
            match old.get(key) {
                None => delta.added.push(key.clone()),
                Some(before) if before != hash => delta.changed.push(key.clone()),
                Some(_) => {}
            }
        }
        delta.removed = old
            .keys()
            .filter(|k| !new.contains_key(*k))
            .cloned()
            .collect();
        delta.added.sort();
        delta.removed.sort();
        delta.changed.sort();
        delta
    }

    pub fn counts(&self) -> DeltaCounts {
        DeltaCounts {
            added: self.added.len(),
            removed: self.removed.len(),
            changed: self.changed.len(),
        }
    }

    /// Every key the change touches: a match on one of these may come, go or read differently.
    pub fn touched(&self) -> HashSet<String> {
        self.added
            .iter()
            .chain(&self.removed)
            .chain(&self.changed)
            .cloned()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use clearance_screening::{EntityKind, ListId};

    use super::*;

    fn digests(entities: &[Entity]) -> Digests {
        entries(entities)
            .into_iter()
            .map(|e| (e.key, e.hash))
            .collect()
    }

    fn entity(id: &str, name: &str) -> Entity {
        Entity::new(
            ListId::OfacSdn,
            id.to_owned(),
            EntityKind::Individual,
            name.to_owned(),
        )
    }

    #[test]
    fn a_delta_names_added_removed_and_changed_entries() {
        let old = digests(&[entity("1", "A B"), entity("2", "C D"), entity("3", "E F")]);
        let mut changed = entity("2", "C D");
        changed.programs.push("SDGT".into());
        let new = digests(&[entity("1", "A B"), changed, entity("4", "G H")]);
        assert_eq!(
            Delta::between(&old, &new),
            Delta {
                added: vec!["OFAC SDN 4".into()],
                removed: vec!["OFAC SDN 3".into()],
                changed: vec!["OFAC SDN 2".into()],
            }
        );
        assert_eq!(Delta::between(&new, &new), Delta::default());
    }

    #[test]
    fn entries_that_share_an_id_are_one_entry() {
        let all = entries(&[entity("7", "A B"), entity("8", "C D"), entity("7", "E F")]);
        assert_eq!(all.len(), 2);
        let alone = digests(&[entity("7", "A B")]);
        assert_ne!(
            all[0].hash, alone["OFAC SDN 7"],
            "the repeat is part of the entry"
        );
    }
}
