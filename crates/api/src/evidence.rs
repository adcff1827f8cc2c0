//! A screening match as the API sends it: the server's review and the browser's pre-screen show the same
//! evidence because both build it here.

use clearance_screening::index::{Field, NameSource};
use clearance_screening::model::{AliasStrength, AliasType, BirthDate, Entity, ListId};
use clearance_screening::score::PairKind;
use clearance_screening::{EntityKind, Match};

use crate::{Correlation, FieldCheck, ListedEntity, TokenAlignment, WatchListMatch};

/// Scores to four places: more is noise to an analyst and makes 0.9 print as 0.8999999999999999.
fn round(score: f64) -> f64 {
    (score * 10_000.0).round() / 10_000.0
}

/// One match with its evidence; `field` and `name` say which of the customer's names matched.
pub fn watch_list_match(entity: &Entity, m: Match, field: String, name: String) -> WatchListMatch {
    let evidence = m.evidence;
    let mut match_fields = vec!["name".to_owned()];
    let field_checks = evidence
        .fields
        .iter()
        .filter(|f| f.field != Field::Name)
        .map(|f| {
            let label = match f.field {
                Field::DateOfBirth => "dob",
                Field::Country => "country",
                Field::EntityType | Field::Name => "type",
            };
            if f.matched {
                match_fields.push(label.to_owned());
            }
            FieldCheck {
                field: label.to_owned(),
                matched: f.matched,
                adjustment: round(f.adjustment),
            }
        })
        .collect();
    WatchListMatch {
        correlation: correlation(m.correlation),
        list_name: entity.list.name().to_owned(),
        list_date: None,
        match_fields,
        urls: urls(entity),
        score: round(m.score),
        entity_id: entity.source_id.clone(),
        matched_name: evidence.matched_name,
        name_source: name_source(&evidence.name_source),
        customer_field: field,
        customer_name: name,
        name_score: round(evidence.name_score),
        tokens: evidence
            .tokens
            .into_iter()
            .map(|t| TokenAlignment {
                customer_token: t.query_token,
                list_token: t.list_token,
                customer_span: [t.query_span.0, t.query_span.1],
                list_span: [t.list_span.0, t.list_span.1],
                score: round(t.score),
                kind: pair_kind(t.kind).to_owned(),
            })
            .collect(),
        unmatched_customer_tokens: evidence.unmatched_query_tokens,
        unmatched_list_tokens: evidence.unmatched_list_tokens,
        field_checks,
        entity: listed_entity(entity),
        match_id: None,
        decision: None,
        previously_cleared: None,
    }
}

fn correlation(c: clearance_screening::Correlation) -> Correlation {
    use clearance_screening::Correlation as C;
    match c {
        C::LowConfidence => Correlation::LowConfidence,
        C::PotentialMatch => Correlation::PotentialMatch,
        C::LikelyMatch => Correlation::LikelyMatch,
        C::HighConfidence => Correlation::HighConfidence,
    }
}

fn name_source(source: &NameSource) -> String {
    match source {
        NameSource::Primary => "primary".to_owned(),
        NameSource::Alias {
            alias_type,
            strength,
            ..
        } => {
            let kind = match alias_type {
                AliasType::Aka => "aka",
                AliasType::Fka => "fka",
                AliasType::Nka => "nka",
            };
            match strength {
                AliasStrength::Strong => kind.to_owned(),
                AliasStrength::Weak => format!("{kind} (weak)"),
            }
        }
    }
}

fn pair_kind(kind: PairKind) -> &'static str {
    match kind {
        PairKind::Exact => "exact",
        PairKind::Fuzzy => "fuzzy",
        PairKind::Phonetic => "phonetic",
        PairKind::Skeleton => "skeleton",
        PairKind::Initial => "initial",
        PairKind::Prefix => "prefix",
        PairKind::Glued => "glued",
        PairKind::Equivalent => "equivalent",
    }
}

/// Where an analyst reads the official entry.
fn urls(entity: &Entity) -> Vec<String> {
    match entity.list {
        ListId::OfacSdn | ListId::OfacConsolidated => vec![format!(
            "https://sanctionssearch.ofac.treas.gov/Details.aspx?id={}",
            entity.source_id
        )],
        ListId::UnConsolidated => {
            vec![
                "https://main.un.org/securitycouncil/en/content/un-sc-consolidated-list".to_owned(),
            ]
        }
    }
}

/// An entity as the review shows it beside a match, and as a list version's entry is read back.
pub fn listed_entity(entity: &Entity) -> ListedEntity {
    ListedEntity {
        kind: match entity.kind {
            EntityKind::Individual => "individual",
            EntityKind::Organization => "organization",
            EntityKind::Vessel => "vessel",
            EntityKind::Aircraft => "aircraft",
        }
        .to_owned(),
        name: entity.name.clone(),
        aliases: entity.aliases.iter().map(|a| a.name.clone()).collect(),
        programs: entity.programs.clone(),
        dates_of_birth: entity.birth_dates.iter().map(birth_date).collect(),
        nationalities: entity.nationalities.clone(),
        addresses: entity
            .addresses
            .iter()
            .map(|a| {
                [&a.street, &a.city, &a.country]
                    .into_iter()
                    .flatten()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .filter(|a| !a.is_empty())
            .collect(),
        remarks: entity.remarks.clone(),
    }
}

fn birth_date(date: &BirthDate) -> String {
    match (date.month_day, date.year_from == date.year_to) {
        (Some((month, day)), true) => format!("{:04}-{month:02}-{day:02}", date.year_from),
        (_, true) => format!("{:04}", date.year_from),
        _ => format!("{:04} to {:04}", date.year_from, date.year_to),
    }
}
