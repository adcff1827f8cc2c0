//! The names-only payload the onboarding widget downloads: what a name-only query scores against and
//! nothing else, laid out column by column so that gzip sees one long run of names rather than names
//! interleaved with ids and flags. For the default lists it is under half the size of the full index.

use serde::{Deserialize, Serialize};

use crate::model::{Alias, AliasStrength, AliasType, Entity, EntityKind, ListId};

use super::DecodeError;

/// Ends each name in [`NameColumns::names`]. A control character no list uses in a name; one that did
/// would be read as a space, which is what normalisation makes of it anyway.
const END: char = '\u{1f}';

/// An entity's id as its list publishes it. OFAC's are ascending numbers, so a step from the previous
/// numeric id takes a byte or two where the digits took five.
#[derive(Serialize, Deserialize)]
enum SourceId {
    Step(i64),
    Text(String),
}

#[derive(Serialize, Deserialize)]
pub(super) struct NameColumns {
    lists: Vec<ListId>,
    kinds: Vec<EntityKind>,
    source_ids: Vec<SourceId>,
    /// Per entity, each alias's type and strength; their count says how many of the names are its.
    aliases: Vec<Vec<(AliasType, AliasStrength)>>,
    /// Every entity's primary name then its aliases, entity after entity, each ended by [`END`].
    names: String,
}

fn missing() -> DecodeError {
    DecodeError::Corrupt("fewer names than the entities hold".into())
}

/// The id as a number, when reading it back gives the same text.
fn numeric(id: &str) -> Option<i64> {
    id.parse::<i64>().ok().filter(|n| n.to_string() == id)
}

impl NameColumns {
    pub(super) fn of(entities: &[Entity]) -> Self {
        let mut previous = 0;
        let mut names = String::new();
        for name in entities.iter().flat_map(Entity::names) {
            names.extend(name.chars().map(|c| if c == END { ' ' } else { c }));
            names.push(END);
        }
        Self {
            lists: entities.iter().map(|e| e.list).collect(),
            kinds: entities.iter().map(|e| e.kind).collect(),
            source_ids: entities
                .iter()
                .map(|e| match numeric(&e.source_id) {
                    Some(n) => {
                        let step = n.wrapping_sub(previous);
                        previous = n;
                        SourceId::Step(step)
                    }
                    None => SourceId::Text(e.source_id.clone()),
                })
                .collect(),
            aliases: entities
                .iter()
                .map(|e| {
                    e.aliases
                        .iter()
                        .map(|a| (a.alias_type, a.strength))
                        .collect()
                })
                .collect(),
            names,
        }
    }

    pub(super) fn into_entities(self) -> Result<Vec<Entity>, DecodeError> {
        let count = self.lists.len();
        if [self.kinds.len(), self.source_ids.len(), self.aliases.len()] != [count; 3] {
            return Err(DecodeError::Corrupt(
                "name columns of unequal length".into(),
            ));
        }
        let mut names = self.names.split_terminator(END);
        let mut previous: i64 = 0;
        let mut entities = Vec::with_capacity(count);
        for (((list, kind), id), aliases) in self
            .lists
            .into_iter()
            .zip(self.kinds)
            .zip(self.source_ids)
            .zip(self.aliases)
        {
            let source_id = match id {
                SourceId::Step(step) => {
                    previous = previous.wrapping_add(step);
                    previous.to_string()
                }
                SourceId::Text(text) => text,
            };
            let primary = names.next().ok_or_else(missing)?;
            let mut entity = Entity::new(list, source_id, kind, primary.to_owned());
            entity.aliases = aliases
                .into_iter()
                .map(|(alias_type, strength)| {
                    Ok(Alias {
                        name: names.next().ok_or_else(missing)?.to_owned(),
                        alias_type,
                        strength,
                    })
                })
                .collect::<Result<_, DecodeError>>()?;
            entities.push(entity);
        }
        if names.next().is_some() {
            return Err(DecodeError::Corrupt(
                "more names than the entities hold".into(),
            ));
        }
        Ok(entities)
    }
}
