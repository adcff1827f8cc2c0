//! The UN Security Council consolidated list (XML): INDIVIDUAL and ENTITY records with their aliases,
//! addresses, dates and places of birth, nationalities and documents.

use quick_xml::Reader;
use quick_xml::events::Event;

use super::{ListError, ListFile, LoadReport};
use crate::model::{
    Address, Alias, AliasStrength, AliasType, BirthDate, Entity, EntityKind, IdDocument, ListId,
};

/// A parsed element: small enough to hold the whole 2 MB list as a tree, which keeps the mapping below
/// readable.
#[derive(Default)]
struct Element {
    name: String,
    text: String,
    /// Byte offset where the element starts; turned into a line only for an error.
    at: u64,
    children: Vec<Element>,
}

impl Element {
    fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    fn children<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The trimmed text of a child, `None` when absent or empty.
    fn text_of(&self, name: &str) -> Option<String> {
        self.child(name)
            .map(|c| c.text.trim())
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
    }
}

/// Appends the file's entities and returns the date the UN generated the file, when it says.
pub(super) fn load(
    file: &ListFile<'_>,
    entities: &mut Vec<Entity>,
    report: &mut LoadReport,
) -> Result<Option<String>, ListError> {
    let root = parse(file)?;
    if root.name != "CONSOLIDATED_LIST" {
        return Err(ListError::at(
            file.name,
            line_at(file.bytes, root.at),
            "CONSOLIDATED_LIST",
            format!(
                "the root element is <{}>, not the UN consolidated list",
                root.name
            ),
        ));
    }
    let groups = [
        (
            "INDIVIDUALS",
            "INDIVIDUAL",
            EntityKind::Individual,
            "INDIVIDUAL_ALIAS",
            "INDIVIDUAL_ADDRESS",
        ),
        (
            "ENTITIES",
            "ENTITY",
            EntityKind::Organization,
            "ENTITY_ALIAS",
            "ENTITY_ADDRESS",
        ),
    ];
    for (group, item, kind, alias_tag, address_tag) in groups {
        for record in root.children(group).flat_map(|g| g.children(item)) {
            let id = record.text_of("DATAID").ok_or_else(|| {
                ListError::at(
                    file.name,
                    line_at(file.bytes, record.at),
                    "DATAID",
                    "missing",
                )
            })?;
            let name = ["FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"]
                .iter()
                .filter_map(|n| record.text_of(n))
                .collect::<Vec<_>>()
                .join(" ");
            if name.is_empty() {
                return Err(ListError::at(
                    file.name,
                    line_at(file.bytes, record.at),
                    "FIRST_NAME",
                    "no name",
                ));
            }
            let mut entity = Entity::new(ListId::UnConsolidated, id, kind, name);
            entity.programs.extend(record.text_of("UN_LIST_TYPE"));
            entity.remarks = record.text_of("COMMENTS1");
            if let Some(original) = record.text_of("NAME_ORIGINAL_SCRIPT") {
                entity.aliases.push(Alias {
                    name: original,
                    alias_type: AliasType::Aka,
                    strength: AliasStrength::Strong,
                });
            }
            for alias in record.children(alias_tag) {
                let Some(alias_name) = alias.text_of("ALIAS_NAME") else {
                    continue;
                };
                let quality = alias
                    .text_of("QUALITY")
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                entity.aliases.push(Alias {
                    name: alias_name,
                    alias_type: if quality == "f.k.a." {
                        AliasType::Fka
                    } else {
                        AliasType::Aka
                    },
                    strength: if quality == "low" {
                        AliasStrength::Weak
                    } else {
                        AliasStrength::Strong
                    },
                });
                report.aliases += 1;
            }
            for address in record.children(address_tag) {
                let address = Address {
                    street: address.text_of("STREET"),
                    city: address.text_of("CITY"),
                    country: address.text_of("COUNTRY"),
                };
                if address != Address::default() {
                    entity.addresses.push(address);
                    report.addresses += 1;
                }
            }
            for nationality in record
                .children("NATIONALITY")
                .flat_map(|n| n.children("VALUE"))
            {
                let value = nationality.text.trim();
                if !value.is_empty() {
                    entity.nationalities.push(value.to_owned());
                }
            }
            for dob in record.children("INDIVIDUAL_DATE_OF_BIRTH") {
                entity.birth_dates.extend(birth_date(dob));
            }
            for pob in record.children("INDIVIDUAL_PLACE_OF_BIRTH") {
                let place: Vec<String> = ["CITY", "STATE_PROVINCE", "COUNTRY"]
                    .iter()
                    .filter_map(|n| pob.text_of(n))
                    .collect();
                if !place.is_empty() {
                    entity.birth_places.push(place.join(", "));
                }
            }
            for document in record.children("INDIVIDUAL_DOCUMENT") {
                if let (Some(kind), Some(number)) = (
                    document.text_of("TYPE_OF_DOCUMENT"),
                    document.text_of("NUMBER"),
                ) {
                    entity.documents.push(IdDocument {
                        kind,
                        number,
                        country: document
                            .text_of("ISSUING_COUNTRY")
                            .or_else(|| document.text_of("COUNTRY_OF_ISSUE")),
                    });
                }
            }
            entities.push(entity);
        }
    }
    Ok(root_date(&root))
}

fn root_date(root: &Element) -> Option<String> {
    // Stored as a pseudo-child by `parse`: the dateGenerated attribute.
    root.text_of("@dateGenerated")
        .and_then(|d| d.get(..10).map(str::to_owned))
}

fn birth_date(dob: &Element) -> Option<BirthDate> {
    if let Some(date) = dob.text_of("DATE") {
        let mut parts = date.split('-').map(|p| p.parse::<u16>().ok());
        let (year, month, day) = (parts.next()??, parts.next()??, parts.next()??);
        return Some(BirthDate {
            year_from: year,
            year_to: year,
            month_day: Some((u8::try_from(month).ok()?, u8::try_from(day).ok()?)),
        });
    }
    let year = |n: &str| dob.text_of(n).and_then(|y| y.parse::<u16>().ok());
    let (from, to) = match (year("YEAR"), year("FROM_YEAR"), year("TO_YEAR")) {
        (Some(y), _, _) => (y, y),
        (None, Some(f), Some(t)) => (f.min(t), f.max(t)),
        _ => return None,
    };
    let approximate = dob.text_of("TYPE_OF_DATE").as_deref() == Some("APPROXIMATELY");
    let widen = u16::from(approximate);
    Some(BirthDate {
        year_from: from.saturating_sub(widen),
        year_to: to.saturating_add(widen),
        month_day: None,
    })
}

/// The 1-based line of a byte offset.
fn line_at(bytes: &[u8], pos: u64) -> usize {
    let end = usize::try_from(pos).unwrap_or(usize::MAX).min(bytes.len());
    1 + bytes[..end].iter().filter(|&&b| b == b'\n').count()
}

fn parse(file: &ListFile<'_>) -> Result<Element, ListError> {
    let mut reader = Reader::from_reader(file.bytes);
    let mut stack: Vec<Element> = vec![Element::default()];
    let mut buf = Vec::new();
    let line_at = |pos: u64| {
        let end = usize::try_from(pos)
            .unwrap_or(usize::MAX)
            .min(file.bytes.len());
        1 + file.bytes[..end].iter().filter(|&&b| b == b'\n').count()
    };
    let error = |pos: u64, message: String| ListError::at(file.name, line_at(pos), "xml", message);
    loop {
        let position = reader.buffer_position();
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| error(reader.error_position(), e.to_string()))?;
        match event {
            Event::Start(ref start) | Event::Empty(ref start) => {
                let mut element = Element {
                    name: String::from_utf8_lossy(start.name().as_ref()).into_owned(),
                    at: position,
                    ..Element::default()
                };
                for attribute in start.attributes().flatten() {
                    if attribute.key.as_ref() == b"dateGenerated" {
                        element.children.push(Element {
                            name: "@dateGenerated".into(),
                            text: String::from_utf8_lossy(&attribute.value).into_owned(),
                            ..Element::default()
                        });
                    }
                }
                if matches!(event, Event::Empty(_)) {
                    stack
                        .last_mut()
                        .expect("the document node")
                        .children
                        .push(element);
                } else {
                    stack.push(element);
                }
            }
            Event::End(_) => {
                if stack.len() < 2 {
                    return Err(error(
                        position,
                        "a closing tag without its opening tag".into(),
                    ));
                }
                let done = stack.pop().expect("checked above");
                stack.last_mut().expect("checked above").children.push(done);
            }
            Event::Text(text) => {
                let decoded = text
                    .xml_content()
                    .map_err(|e| error(position, e.to_string()))?;
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&decoded);
                }
            }
            Event::CData(data) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&String::from_utf8_lossy(&data));
                }
            }
            Event::GeneralRef(reference) => {
                let name = String::from_utf8_lossy(&reference).into_owned();
                let resolved = match name.as_str() {
                    "amp" => "&".to_owned(),
                    "lt" => "<".to_owned(),
                    "gt" => ">".to_owned(),
                    "quot" => "\"".to_owned(),
                    "apos" => "'".to_owned(),
                    _ => reference
                        .resolve_char_ref()
                        .ok()
                        .flatten()
                        .map(String::from)
                        .unwrap_or_default(),
                };
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&resolved);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if stack.len() != 1 {
        return Err(error(
            reader.buffer_position(),
            format!(
                "the file ends inside <{}>",
                stack.last().map_or("", |e| e.name.as_str())
            ),
        ));
    }
    let document = stack.pop().expect("checked above");
    document
        .children
        .into_iter()
        .next()
        .ok_or_else(|| ListError::at(file.name, 1, "xml", "no root element"))
}
