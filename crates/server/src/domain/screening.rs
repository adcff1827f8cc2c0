//! Screens a customer against the loaded lists: each of its names (the customer name, a business's legal
//! name and each representative), merged per listed entity, strongest first, with the evidence the review
//! screen shows. Also the KYC field checks of the review.

use clearance_api::{
    CustomerType, Decision, Kyc, KycValidations, PreviouslyCleared, StrongestMatch, WatchList,
    WatchListMatch, evidence,
};
use clearance_screening::{EntityKind, Match, Query};

use crate::domain::customer::{Pii, Record};
use crate::lists::Lists;

/// At most this many matches are kept per screening; an analyst cannot weigh more, and the strongest come
/// first.
const MAX_MATCHES: usize = 20;

/// One screening of one customer.
#[derive(Clone, Debug, PartialEq)]
pub struct Screening {
    pub review_id: String,
    pub created_at: String,
    pub watch_list: WatchList,
}

impl Screening {
    /// The strongest score of a match that alerts, or none when none does.
    pub fn top_score(&self) -> Option<f64> {
        self.alerting().next().map(|m| m.score)
    }

    /// The listed party behind [`Self::top_score`], as the review queue lists it.
    pub fn strongest_match(&self) -> Option<StrongestMatch> {
        self.alerting().next().map(|m| StrongestMatch {
            party: m.entity.name.clone(),
            list_name: m.list_name.clone(),
            entity_id: m.entity_id.clone(),
            correlation: m.correlation,
        })
    }

    pub fn is_hit(&self) -> bool {
        self.watch_list.decision != Decision::Accept
    }

    /// The matches an earlier clearance does not suppress, strongest first.
    pub fn alerting(&self) -> impl Iterator<Item = &WatchListMatch> {
        alerting(&self.watch_list)
    }

    /// Marks a match as cleared before, and decides the screening again on the matches left: with none
    /// left it is clear.
    pub fn suppress(&mut self, index: usize, cleared: PreviouslyCleared) {
        self.watch_list.matches[index].previously_cleared = Some(cleared);
        settle(&mut self.watch_list);
    }

    /// The matched entities as the audit log names them (`OFAC SDN 12345`).
    pub fn entities(&self) -> Vec<String> {
        self.watch_list.matches.iter().map(entity_key).collect()
    }
}

/// A match's listed entry as the audit log and the list versions name it (`OFAC SDN 12345`).
pub fn entity_key(found: &WatchListMatch) -> String {
    format!("{} {}", found.list_name, found.entity_id)
}

/// Screens every name of the customer at `threshold`.
pub fn screen(lists: &Lists, customer: &Record, threshold: f64) -> Screening {
    let kind = match customer.customer_type {
        CustomerType::Individual => EntityKind::Individual,
        CustomerType::Business => EntityKind::Organization,
    };
    let dob = customer
        .profile
        .compliance_profile
        .as_ref()
        .and_then(|p| p.dob().map(|d| d.expose().to_owned()));
    let mut found: Vec<(Match, String, String)> = Vec::new();
    for (field, name) in customer.screened_names() {
        let is_representative = field.starts_with("representatives");
        let query = Query {
            name: name.clone(),
            date_of_birth: if is_representative { None } else { dob.clone() },
            country: None,
            kind: Some(if is_representative {
                EntityKind::Individual
            } else {
                kind
            }),
        };
        for m in lists.index.search(&query, threshold, MAX_MATCHES) {
            match found.iter_mut().find(|(f, _, _)| f.entity == m.entity) {
                Some(existing) if existing.0.score >= m.score => {}
                Some(existing) => *existing = (m, field.clone(), name.clone()),
                None => found.push((m, field.clone(), name.clone())),
            }
        }
    }
    found.sort_by(|a, b| b.0.score.total_cmp(&a.0.score));
    found.truncate(MAX_MATCHES);
    let matches: Vec<WatchListMatch> = found
        .into_iter()
        .map(|(m, field, name)| {
            let entity = &lists.index.entities()[m.entity as usize];
            let mut found = evidence::watch_list_match(entity, m, field, name);
            found.list_date = lists.date_of(entity.list);
            found.match_id = Some(uuid::Uuid::now_v7().to_string());
            found
        })
        .collect();
    let mut watch_list = WatchList {
        codes: Vec::new(),
        decision: Decision::Accept,
        matched: Vec::new(),
        matches,
        list_version: lists.watchlists.content_hash.clone(),
        threshold,
        screened_names: customer
            .screened_names()
            .into_iter()
            .map(|(_, name)| name)
            .collect(),
    };
    settle(&mut watch_list);
    Screening {
        review_id: uuid::Uuid::now_v7().to_string(),
        created_at: crate::clock::now(),
        watch_list,
    }
}

fn alerting(watch_list: &WatchList) -> impl Iterator<Item = &WatchListMatch> {
    watch_list
        .matches
        .iter()
        .filter(|m| m.previously_cleared.is_none())
}

/// Decides a watch list on its matches that alert (those no earlier clearance suppresses): the lists
/// they come from, the code, and `review` when there is one.
fn settle(watch_list: &mut WatchList) {
    let mut matched: Vec<String> = alerting(watch_list).map(|m| m.list_name.clone()).collect();
    matched.sort();
    matched.dedup();
    let hit = !matched.is_empty();
    watch_list.matched = matched;
    watch_list.codes = vec![
        if hit {
            "watchlist_hit"
        } else {
            "watchlist_clear"
        }
        .to_owned(),
    ];
    watch_list.decision = if hit {
        Decision::Review
    } else {
        Decision::Accept
    };
}

/// The KYC section: each given field checked by the screening crate's validators, and what is missing.
/// Every stored field already passed validation on write, so a `false` arises only from a rule that
/// tightened since (a newly unassigned EIN prefix, an age that passed 125) or a name that does not split.
pub fn kyc(customer: &Record) -> Kyc {
    use clearance_screening::pii::{DateOfBirth, Ein, Email, Phone, Ssn};
    let mut validations = KycValidations {
        email: Some(Email::parse(&customer.email).is_ok()),
        phone: Some(Phone::parse(&customer.phone).is_ok()),
        ..KycValidations::default()
    };
    let mut codes = Vec::new();
    let mut complete = true;
    if customer.customer_type == CustomerType::Individual {
        let tokens: Vec<&str> = customer.name.split_whitespace().collect();
        validations.first_name = Some(tokens.len() >= 2);
        validations.last_name = Some(tokens.len() >= 2);
        if tokens.len() < 2 {
            codes.push("name_single_token".to_owned());
        }
    }
    if let Some(address) = &customer.profile.address {
        validations.address = Some(!address.address1.trim().is_empty());
        validations.city = Some(!address.city.trim().is_empty());
        validations.state = Some(clearance_screening::pii::validate_state(&address.state).is_ok());
        validations.zip = Some(clearance_screening::pii::validate_zip(&address.zip).is_ok());
    } else {
        codes.push("address_missing".to_owned());
    }
    match &customer.profile.compliance_profile {
        Some(Pii::Individual { dob, ssn }) => {
            validations.dob =
                Some(DateOfBirth::parse(dob.expose(), &crate::clock::today()).is_ok());
            validations.ssn = Some(Ssn::parse(ssn.expose()).is_ok());
        }
        Some(Pii::Business { ein, .. }) => {
            if Ein::parse(ein.expose()).is_err() {
                codes.push("ein_invalid".to_owned());
            }
        }
        None => {
            complete = false;
            codes.push(
                match customer.customer_type {
                    CustomerType::Individual => "identity_missing",
                    CustomerType::Business => "business_identity_missing",
                }
                .to_owned(),
            );
        }
    }
    let all_valid = [
        validations.address,
        validations.city,
        validations.dob,
        validations.email,
        validations.first_name,
        validations.phone,
        validations.ssn,
        validations.state,
        validations.zip,
    ]
    .into_iter()
    .flatten()
    .all(|ok| ok)
        && !codes.iter().any(|c| c == "ein_invalid");
    for (field, ok) in [
        ("email", validations.email),
        ("phone", validations.phone),
        ("dob", validations.dob),
        ("ssn", validations.ssn),
        ("state", validations.state),
        ("zip", validations.zip),
    ] {
        if ok == Some(false) {
            codes.push(format!("{field}_invalid"));
        }
    }
    Kyc {
        validations,
        codes,
        decision: if complete && all_valid {
            Decision::Accept
        } else {
            Decision::Review
        },
    }
}

/// Whether the customer's identity data is complete and valid: EasyOFAC's `customer_kyc` and the compliance
/// status's KYC_DATA_PRESENT.
pub fn kyc_complete(customer: &Record) -> bool {
    kyc(customer).decision == Decision::Accept
}
