//! GET /v1/customers/{id}/review: Straddle's review shape, holding only what Clearance computes (KYC field
//! validation and watchlist screening), plus the evidence the console puts beside each match.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{Customer, CustomerStatus};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerReview {
    pub customer_details: Customer,
    /// Absent until the customer has been screened (`processing_method: skip`, or a background screening
    /// still running).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_details: Option<IdentityDetails>,
}

/// Straddle's per-module verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Accept,
    Reject,
    Review,
}

/// Straddle's four correlation levels; Clearance's score bands are documented on the screening crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Correlation {
    LowConfidence,
    PotentialMatch,
    LikelyMatch,
    HighConfidence,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IdentityDetails {
    /// One screening: a refresh makes a new one.
    pub review_id: String,
    pub created_at: String,
    pub updated_at: String,
    pub decision: Decision,
    pub breakdown: Breakdown,
    pub kyc: Kyc,
    pub watch_list: WatchList,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub messages: BTreeMap<String, String>,
    /// Clearance: the analyst's decision on this review, once made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_decision: Option<ReviewDecision>,
    /// Clearance: set when a list update made this screening, so the queue can mark reviews it created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_update: Option<ListUpdateMark>,
    /// Clearance: with four-eyes approval on, the first analyst's decision on a review whose strongest
    /// match needs two; the customer stays in `review` until a second analyst makes the same one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub awaiting_approval: Option<Approval>,
}

/// One analyst's decision in a four-eyes approval.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Approval {
    /// `verified` or `rejected`.
    pub status: CustomerStatus,
    pub decided_by: String,
    pub decided_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Which list update made a screening.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ListUpdateMark {
    pub job_id: String,
    /// The new lists' date: the review's reason reads "list update <date>".
    pub list_date: Option<String>,
}

/// Straddle's fraud, reputation and risk modules. Clearance computes none of them and never invents them,
/// so this is always `{}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Breakdown {}

/// Who decided a review, and how.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewDecision {
    pub status: CustomerStatus,
    pub decided_at: String,
    pub decided_by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Clearance: under four-eyes approval, the first of the two analysts; `decided_by` is the second.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_approval: Option<Approval>,
}

/// Each field's validation by the screening crate's validators: `true` valid, absent when not given.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KycValidations {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dob: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssn: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zip: Option<bool>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Kyc {
    pub validations: KycValidations,
    /// One code per finding, such as `ssn_missing` or `name_single_token`; documented in the README.
    pub codes: Vec<String>,
    pub decision: Decision,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WatchList {
    /// `watchlist_hit` when any match reached the threshold, else `watchlist_clear`.
    pub codes: Vec<String>,
    pub decision: Decision,
    /// The names of the lists with a match.
    pub matched: Vec<String>,
    /// Strongest first.
    pub matches: Vec<WatchListMatch>,
    /// Clearance: the list version screened against (SHA-256 of the list files) and the threshold used.
    pub list_version: String,
    pub threshold: f64,
    /// Clearance: the customer's names as screened (the name, a business's legal name, each
    /// representative's); absent on screenings stored before they were recorded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub screened_names: Vec<String>,
}

/// One listed party the customer may be. The first four fields are Straddle's; the rest are the evidence
/// an analyst needs to decide.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WatchListMatch {
    pub correlation: Correlation,
    pub list_name: String,
    /// Clearance: the date of the list the match comes from, `YYYY-MM-DD`, so an analyst sees how current
    /// the listing was; absent on screenings stored before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_date: Option<String>,
    /// Which of the customer's fields agreed: `name`, and `dob` or `type` when they did.
    pub match_fields: Vec<String>,
    pub urls: Vec<String>,
    pub score: f64,
    /// The id the list publishes (OFAC's ent_num, the UN's DATAID).
    pub entity_id: String,
    /// The list's own spelling of the name that matched: the primary name or an alias.
    pub matched_name: String,
    /// `primary`, or the alias type (`aka`, `fka`, `nka`) with `weak` when OFAC calls it a weak alias.
    pub name_source: String,
    /// Which of the customer's names matched: `name`, `legal_business_name` or `representatives[i].name`.
    pub customer_field: String,
    /// The customer's name as screened (the field's value).
    pub customer_name: String,
    pub name_score: f64,
    pub tokens: Vec<TokenAlignment>,
    pub unmatched_customer_tokens: Vec<String>,
    pub unmatched_list_tokens: Vec<String>,
    /// How the customer's date of birth and type moved the score.
    pub field_checks: Vec<FieldCheck>,
    pub entity: ListedEntity,
    /// Clearance: this match's id, for PATCH /v1/customers/{id}/review/matches/{match_id}; absent on
    /// screenings stored before matches had ids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub match_id: Option<String>,
    /// Clearance: the analyst's decision on this match, once made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<MatchReview>,
    /// Clearance: set when an analyst cleared this listed entry for this customer before, and neither the
    /// entry nor the customer's names or date of birth changed since: the match is shown but does not
    /// alert.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previously_cleared: Option<PreviouslyCleared>,
}

/// An analyst's verdict on one match.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MatchDecision {
    /// Not the customer: a false positive, remembered for later screenings.
    Dismissed,
    /// The customer is the listed party: the review can only be rejected.
    Confirmed,
}

impl MatchDecision {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Dismissed => "dismissed",
            Self::Confirmed => "confirmed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Dismissed, Self::Confirmed]
            .into_iter()
            .find(|d| d.as_str() == text)
    }
}

/// Who decided a match, how and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MatchReview {
    pub decision: MatchDecision,
    pub decided_by: String,
    pub decided_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The earlier clearance that keeps a match from alerting: "previously cleared by X on D, note N".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PreviouslyCleared {
    pub cleared_by: String,
    pub cleared_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The match that was dismissed.
    pub match_id: String,
}

/// One customer token paired with one list token.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenAlignment {
    pub customer_token: String,
    pub list_token: String,
    /// Byte range in `customer_name`.
    pub customer_span: [u32; 2],
    /// Byte range in `matched_name`.
    pub list_span: [u32; 2],
    pub score: f64,
    /// `exact`, `fuzzy`, `phonetic`, `skeleton`, `initial`, `prefix`, `glued` or `equivalent`.
    pub kind: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldCheck {
    /// `dob`, `country` or `type`.
    pub field: String,
    pub matched: bool,
    pub adjustment: f64,
}

/// What the list says about the matched party, for the side-by-side comparison.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ListedEntity {
    /// `individual`, `organization`, `vessel` or `aircraft`.
    pub kind: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub programs: Vec<String>,
    /// As the list gives them: a date, a year or a range of years.
    pub dates_of_birth: Vec<String>,
    pub nationalities: Vec<String>,
    pub addresses: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
}

/// The body of POST /v1/customers/{id}/reopen: why a rejected customer goes back to review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReopenRequest {
    /// Required; kept in the audit log. At most 4,000 characters, no control characters but newlines.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 4000))]
    pub note: String,
}

/// The body of PATCH /v1/customers/{id}/review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewRequest {
    /// `verified` or `rejected`.
    pub status: CustomerStatus,
    /// Clearance: the analyst's reason, kept in the audit log. At most 4,000 characters, no control
    /// characters but newlines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub note: Option<String>,
    /// Clearance: the review being decided. When given and no longer current, the decision is refused with
    /// 409, so an analyst never decides on evidence a refresh replaced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_id: Option<String>,
}

/// The body of PATCH /v1/customers/{id}/review/matches/{match_id}.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MatchDecisionRequest {
    pub decision: MatchDecision,
    /// Kept in the audit log and shown wherever the match is. At most 4,000 characters, no control
    /// characters but newlines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub note: Option<String>,
}

/// The body of POST /v1/customers/{id}/review/assign.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssignRequest {
    /// `me`, an analyst's or admin's key id, or `null` to unassign.
    pub assignee: Option<String>,
}
