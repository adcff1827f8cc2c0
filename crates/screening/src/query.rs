//! What a screening request says about the party, and how the fields beside the name move the score.
//! A field counts only when both the query and the listed entity have it: a missing date of birth is
//! not evidence either way.

use crate::index::{Field, FieldEvidence};
use crate::model::{Entity, EntityKind};

/// A screening request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    pub name: String,
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    pub date_of_birth: Option<String>,
    /// A country name or ISO 3166 alpha-2 code.
    pub country: Option<String>,
    pub kind: Option<EntityKind>,
}

impl Query {
    pub fn name(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            ..Self::default()
        }
    }
}

/// Score changes from the other fields. Raises are small (a shared birth year is common); lowering for a
/// clear disagreement is larger, because it is what clears most false positives.
const SAME_BIRTH_DATE: f64 = 0.03;
const SAME_BIRTH_YEAR: f64 = 0.01;
/// Born more than a year apart: most likely another person, enough to take an exact name under the
/// threshold (chosen on the tune half of the held-out sets).
const OTHER_BIRTH_YEAR: f64 = -0.20;
const SAME_COUNTRY: f64 = 0.02;
const OTHER_COUNTRY: f64 = -0.03;
const PERSON_VERSUS_NON_PERSON: f64 = -0.15;
/// The most the fields beside the name can raise a score, whatever a query states: a name-only search at
/// the threshold less this finds every entity a fuller query could match.
pub const MAX_RAISE: f64 = SAME_BIRTH_DATE + SAME_COUNTRY;
const OTHER_NON_PERSON_KIND: f64 = -0.05;

/// The query's fields, parsed once per search.
pub(crate) struct Context {
    birth: Option<(u16, Option<(u8, u8)>)>,
    country: Option<String>,
    kind: Option<EntityKind>,
}

impl Context {
    pub(crate) fn new(query: &Query) -> Self {
        Self {
            birth: query.date_of_birth.as_deref().and_then(parse_date),
            country: query
                .country
                .as_deref()
                .map(crate::countries::canonical)
                .filter(|c| !c.is_empty()),
            kind: query.kind,
        }
    }

    /// The most the fields can raise a score: a name this far under the threshold may still reach it.
    pub(crate) fn max_raise(&self) -> f64 {
        let birth = if self.birth.is_some() {
            SAME_BIRTH_DATE
        } else {
            0.0
        };
        let country = if self.country.is_some() {
            SAME_COUNTRY
        } else {
            0.0
        };
        birth + country
    }

    /// How the entity's fields compare with the query's, and the total change to the score.
    pub(crate) fn assess(&self, entity: &Entity) -> (Vec<FieldEvidence>, f64) {
        let mut fields = Vec::new();
        if let (Some((year, month_day)), false) = (self.birth, entity.birth_dates.is_empty()) {
            let exact = entity.birth_dates.iter().any(|d| {
                d.year_from == year
                    && d.year_to == year
                    && d.month_day.is_some()
                    && d.month_day == month_day
            });
            let within = entity
                .birth_dates
                .iter()
                .any(|d| d.year_from <= year && year <= d.year_to);
            let near = entity.birth_dates.iter().any(|d| {
                d.year_from.saturating_sub(1) <= year && year <= d.year_to.saturating_add(1)
            });
            let (matched, adjustment) = if exact {
                (true, SAME_BIRTH_DATE)
            } else if within {
                (true, SAME_BIRTH_YEAR)
            } else if near {
                (false, 0.0)
            } else {
                (false, OTHER_BIRTH_YEAR)
            };
            fields.push(FieldEvidence {
                field: Field::DateOfBirth,
                matched,
                adjustment,
            });
        }
        if let Some(country) = &self.country {
            let theirs: Vec<String> = entity
                .countries()
                .map(crate::countries::canonical)
                .collect();
            if !theirs.is_empty() {
                let matched = theirs.iter().any(|c| c == country);
                let adjustment = if matched { SAME_COUNTRY } else { OTHER_COUNTRY };
                fields.push(FieldEvidence {
                    field: Field::Country,
                    matched,
                    adjustment,
                });
            }
        }
        if let Some(kind) = self.kind {
            let matched = kind == entity.kind;
            let person = |k: EntityKind| k == EntityKind::Individual;
            let adjustment = if matched {
                0.0
            } else if person(kind) != person(entity.kind) {
                PERSON_VERSUS_NON_PERSON
            } else {
                OTHER_NON_PERSON_KIND
            };
            fields.push(FieldEvidence {
                field: Field::EntityType,
                matched,
                adjustment,
            });
        }
        let total = fields.iter().map(|f| f.adjustment).sum();
        (fields, total)
    }
}

/// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`; anything else is ignored rather than guessed at.
fn parse_date(text: &str) -> Option<(u16, Option<(u8, u8)>)> {
    let mut parts = text.trim().split('-');
    let year: u16 = parts.next()?.parse().ok()?;
    if !(1800..=2200).contains(&year) {
        return None;
    }
    let month: Option<u8> = parts.next().and_then(|m| m.parse().ok());
    let day: Option<u8> = parts.next().and_then(|d| d.parse().ok());
    Some((
        year,
        month
            .zip(day)
            .filter(|(m, d)| (1..=12).contains(m) && (1..=31).contains(d)),
    ))
}
