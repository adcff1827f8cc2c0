//! OFAC puts much of what matters for matching into free-text remarks: `DOB 10 Dec 1948; POB Giza, Egypt;
//! nationality Egypt; Passport 1084010 (Egypt); a.k.a. 'ABU ALI'`. This pulls out the parts that raise or
//! lower a match and keeps the rest as text for the analyst.

use crate::model::{Alias, AliasStrength, AliasType, BirthDate, Entity, IdDocument};

/// Document kinds worth showing beside a customer's own identity numbers.
const DOCUMENT_KINDS: &[&str] = &[
    "Passport",
    "National ID No.",
    "Cedula No.",
    "Identification Number",
    "Personal ID Card",
    "Tax ID No.",
    "SSN",
    "Driver's License No.",
    "NIT #",
    "C.U.R.P.",
    "R.F.C.",
    "Residency Number",
];

/// Adds what the remarks say to `entity` and stores the remarks themselves.
pub(crate) fn apply(entity: &mut Entity, remarks: &str) {
    for part in remarks.split(';') {
        let part = part.trim().trim_end_matches('.').trim();
        let part = part.strip_prefix("alt. ").unwrap_or(part);
        if let Some(rest) = part.strip_prefix("DOB ") {
            if let Some(date) = parse_birth_date(rest) {
                entity.birth_dates.push(date);
            }
        } else if let Some(rest) = part.strip_prefix("POB ") {
            entity.birth_places.push(rest.trim().to_owned());
        } else if let Some(rest) = part
            .strip_prefix("nationality ")
            .or_else(|| part.strip_prefix("citizen "))
        {
            let country = rest.trim().to_owned();
            if !entity.nationalities.contains(&country) {
                entity.nationalities.push(country);
            }
        } else if let Some(alias) = quoted_alias(part) {
            entity.aliases.push(alias);
        } else if let Some(document) = document(part) {
            entity.documents.push(document);
        }
    }
    let trimmed = remarks.trim();
    if !trimmed.is_empty() {
        entity.remarks = Some(trimmed.to_owned());
    }
}

/// `a.k.a. 'BNC'`: OFAC quotes weak a.k.a.s in the remarks.
fn quoted_alias(part: &str) -> Option<Alias> {
    let (alias_type, rest) = [
        ("a.k.a. ", AliasType::Aka),
        ("f.k.a. ", AliasType::Fka),
        ("n.k.a. ", AliasType::Nka),
    ]
    .iter()
    .find_map(|(prefix, t)| part.strip_prefix(prefix).map(|rest| (*t, rest)))?;
    let name = rest.trim().trim_matches(|c| c == '\'' || c == '"').trim();
    (!name.is_empty() && name.chars().any(char::is_alphanumeric)).then(|| Alias {
        name: name.to_owned(),
        alias_type,
        strength: AliasStrength::Weak,
    })
}

fn document(part: &str) -> Option<IdDocument> {
    let kind = DOCUMENT_KINDS.iter().find(|k| part.starts_with(**k))?;
    let rest = part[kind.len()..].trim();
    let (number, country) = match rest.find('(') {
        Some(open) => (
            rest[..open].trim(),
            rest[open + 1..]
                .split(')')
                .next()
                .map(|c| c.trim().to_owned()),
        ),
        None => (rest, None),
    };
    let number = number.split_whitespace().next()?;
    Some(IdDocument {
        kind: kind.trim_end_matches(" No.").to_owned(),
        number: number.to_owned(),
        country,
    })
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// Reads `10 Dec 1948`, `1962`, `Dec 1960`, `circa 1960`, `1960 to 1965` and
/// `01 Jan 1960 to 31 Dec 1962`. "circa" widens the range by a year each way.
pub(crate) fn parse_birth_date(text: &str) -> Option<BirthDate> {
    let lower = text.to_ascii_lowercase();
    let circa = lower.contains("circa");
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || c == ',' || c == '.')
        .filter(|w| !w.is_empty())
        .collect();
    let years: Vec<u16> = words
        .iter()
        .filter(|w| w.len() == 4)
        .filter_map(|w| w.parse().ok())
        .filter(|y| (1800..=2100).contains(y))
        .collect();
    let (&first, &last) = (years.first()?, years.last()?);
    let month_day = if years.len() == 1 && words.len() == 3 {
        let day: u8 = words[0].parse().ok()?;
        let month = MONTHS.iter().position(|m| words[1].starts_with(m))?;
        (1..=31).contains(&day).then_some((month as u8 + 1, day))
    } else {
        None
    };
    let widen = u16::from(circa);
    Some(BirthDate {
        year_from: first.min(last) - widen,
        year_to: first.max(last) + widen,
        month_day,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EntityKind, ListId};

    #[test]
    fn reads_birth_dates() {
        let exact = parse_birth_date("10 Dec 1948").unwrap();
        assert_eq!(
            (exact.year_from, exact.year_to, exact.month_day),
            (1948, 1948, Some((12, 10)))
        );
        let range = parse_birth_date("1960 to 1965").unwrap();
        assert_eq!(
            (range.year_from, range.year_to, range.month_day),
            (1960, 1965, None)
        );
        let circa = parse_birth_date("circa 1960").unwrap();
        assert_eq!((circa.year_from, circa.year_to), (1959, 1961));
        assert!(parse_birth_date("unknown").is_none());
    }

    #[test]
    fn pulls_facts_out_of_remarks() {
        let mut entity = Entity::new(
            ListId::OfacSdn,
            "1".into(),
            EntityKind::Individual,
            "X".into(),
        );
        apply(
            &mut entity,
            "DOB 19 Jun 1951; alt. DOB 1952; POB Giza, Egypt; nationality Egypt; Passport 1084010 (Egypt); \
             a.k.a. 'ABU ALI'; Linked To: SOMETHING.",
        );
        assert_eq!(entity.birth_dates.len(), 2);
        assert_eq!(entity.birth_places, vec!["Giza, Egypt"]);
        assert_eq!(entity.nationalities, vec!["Egypt"]);
        assert_eq!(entity.documents[0].number, "1084010");
        assert_eq!(entity.documents[0].country.as_deref(), Some("Egypt"));
        assert_eq!(entity.aliases[0].name, "ABU ALI");
        assert_eq!(entity.aliases[0].strength, AliasStrength::Weak);
    }
}
