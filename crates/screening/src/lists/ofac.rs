//! OFAC's CSV exports: the primary file (sdn.csv or cons_prim.csv) plus aliases, addresses and the
//! remarks that overflowed into the comments file, all keyed by ent_num.

use std::collections::HashMap;

use super::csv::{Record, records};
use super::{ListError, ListFile, LoadReport, remarks};
use crate::model::{Address, Alias, AliasStrength, AliasType, Entity, EntityKind, ListId};

#[derive(Clone, Copy)]
pub(super) enum Role {
    Primary,
    Aliases,
    Addresses,
    Comments,
}

/// The files of one OFAC list. Any may be missing: aliases and addresses without a primary file are all
/// skipped (and counted), which is what a partial set must do.
#[derive(Default)]
pub(super) struct Files<'a> {
    primary: Option<ListFile<'a>>,
    aliases: Option<ListFile<'a>>,
    addresses: Option<ListFile<'a>>,
    comments: Option<ListFile<'a>>,
}

impl<'a> Files<'a> {
    pub(super) fn set(&mut self, role: Role, file: ListFile<'a>) -> Result<(), ListError> {
        let slot = match role {
            Role::Primary => &mut self.primary,
            Role::Aliases => &mut self.aliases,
            Role::Addresses => &mut self.addresses,
            Role::Comments => &mut self.comments,
        };
        if let Some(first) = slot {
            return Err(ListError::at(
                file.name,
                0,
                "file",
                format!(
                    "the same list file was given twice (first as {})",
                    first.name
                ),
            ));
        }
        *slot = Some(file);
        Ok(())
    }

    pub(super) fn load(
        &self,
        list: ListId,
        entities: &mut Vec<Entity>,
        report: &mut LoadReport,
    ) -> Result<(), ListError> {
        let first = entities.len();
        let mut by_num: HashMap<u64, usize> = HashMap::new();
        let mut remarks_by_num: HashMap<u64, String> = HashMap::new();
        if let Some(file) = self.primary {
            for record in records(file.name, file.bytes)? {
                let num = ent_num(file.name, &record)?;
                let name = field(file.name, &record, 1, "SDN_Name")?;
                if name.is_empty() {
                    return Err(ListError::at(
                        file.name,
                        record.line,
                        "SDN_Name",
                        "empty name",
                    ));
                }
                let kind = match field(file.name, &record, 2, "SDN_Type")?
                    .to_ascii_lowercase()
                    .as_str()
                {
                    "" => EntityKind::Organization,
                    "individual" => EntityKind::Individual,
                    "vessel" => EntityKind::Vessel,
                    "aircraft" => EntityKind::Aircraft,
                    other => {
                        return Err(ListError::at(
                            file.name,
                            record.line,
                            "SDN_Type",
                            format!("unknown type {other:?}"),
                        ));
                    }
                };
                let mut entity = Entity::new(list, num.to_string(), kind, name.to_owned());
                entity.programs = programs(field(file.name, &record, 3, "Program")?);
                // A repeated ent_num is the publisher's error; both entries stay listed (dropping one would
                // stop screening against it), and aliases and addresses attach to the first.
                if by_num.contains_key(&num) {
                    report.duplicate_ids += 1;
                    if let Some(text) = record.fields.get(11).filter(|t| !t.is_empty()) {
                        remarks::apply(&mut entity, text);
                    }
                    entities.push(entity);
                    continue;
                }
                by_num.insert(num, entities.len());
                if let Some(text) = record.fields.get(11).filter(|t| !t.is_empty()) {
                    remarks_by_num.insert(num, text.clone());
                }
                entities.push(entity);
            }
        }
        if let Some(file) = self.comments {
            for record in records(file.name, file.bytes)? {
                let num = ent_num(file.name, &record)?;
                let text = field(file.name, &record, 1, "remarks")?;
                if by_num.contains_key(&num) {
                    // The comments file continues remarks that were cut at the primary file's field limit.
                    remarks_by_num.entry(num).or_default().push_str(text);
                } else {
                    report.skipped_comments += 1;
                }
            }
        }
        for (num, text) in &remarks_by_num {
            remarks::apply(&mut entities[by_num[num]], text);
        }
        if let Some(file) = self.aliases {
            for record in records(file.name, file.bytes)? {
                let num = ent_num(file.name, &record)?;
                let Some(&at) = by_num.get(&num) else {
                    report.skipped_aliases += 1;
                    continue;
                };
                let alias_type = match field(file.name, &record, 2, "alt_type")?
                    .to_ascii_lowercase()
                    .replace('.', "")
                    .as_str()
                {
                    "aka" | "" => AliasType::Aka,
                    "fka" => AliasType::Fka,
                    "nka" => AliasType::Nka,
                    other => {
                        return Err(ListError::at(
                            file.name,
                            record.line,
                            "alt_type",
                            format!("unknown alias type {other:?}"),
                        ));
                    }
                };
                let name = field(file.name, &record, 3, "alt_name")?;
                if name.is_empty() {
                    return Err(ListError::at(
                        file.name,
                        record.line,
                        "alt_name",
                        "empty alias",
                    ));
                }
                let weak = record
                    .fields
                    .get(4)
                    .is_some_and(|r| r.to_ascii_lowercase().contains("weak"));
                entities[at].aliases.push(Alias {
                    name: name.to_owned(),
                    alias_type,
                    strength: if weak {
                        AliasStrength::Weak
                    } else {
                        AliasStrength::Strong
                    },
                });
                report.aliases += 1;
            }
        }
        if let Some(file) = self.addresses {
            for record in records(file.name, file.bytes)? {
                let num = ent_num(file.name, &record)?;
                let Some(&at) = by_num.get(&num) else {
                    report.skipped_addresses += 1;
                    continue;
                };
                let text = |i: usize| record.fields.get(i).filter(|t| !t.is_empty()).cloned();
                entities[at].addresses.push(Address {
                    street: text(2),
                    city: text(3),
                    country: text(4),
                });
                report.addresses += 1;
            }
        }
        // Weak a.k.a.s from the remarks count as aliases too.
        report.aliases += entities[first..]
            .iter()
            .flat_map(|e| &e.aliases)
            .filter(|a| a.strength == AliasStrength::Weak)
            .count();
        Ok(())
    }
}

fn field<'r>(
    file: &str,
    record: &'r Record,
    index: usize,
    name: &str,
) -> Result<&'r str, ListError> {
    record.fields.get(index).map(|f| f.trim()).ok_or_else(|| {
        ListError::at(
            file,
            record.line,
            name,
            format!("missing: the row has {} fields", record.fields.len()),
        )
    })
}

fn ent_num(file: &str, record: &Record) -> Result<u64, ListError> {
    let text = field(file, record, 0, "ent_num")?;
    text.parse().map_err(|_| {
        ListError::at(
            file,
            record.line,
            "ent_num",
            format!("{text:?} is not a whole number"),
        )
    })
}

/// `IRAN] [IRGC] [NPWMD` is how OFAC writes several programs in one field.
fn programs(text: &str) -> Vec<String> {
    text.split("] [")
        .map(|p| p.trim_matches(|c| c == '[' || c == ']' || c == ' '))
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}
