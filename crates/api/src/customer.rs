//! Straddle's customer resource as it travels: what a client sends to create or update a customer, and the
//! masked record every read returns.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{Approval, Correlation};

/// Where a customer stands. Only screening moves a customer into `review`, and only an analyst's decision
/// moves it out to `verified` or `rejected`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CustomerStatus {
    Pending,
    Review,
    Verified,
    Inactive,
    Rejected,
}

impl CustomerStatus {
    pub const ALL: [Self; 5] = [
        Self::Pending,
        Self::Review,
        Self::Verified,
        Self::Inactive,
        Self::Rejected,
    ];

    /// The wire and storage spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Review => "review",
            Self::Verified => "verified",
            Self::Inactive => "inactive",
            Self::Rejected => "rejected",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CustomerType {
    Individual,
    Business,
}

impl CustomerType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Individual => "individual",
            Self::Business => "business",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Individual, Self::Business]
            .into_iter()
            .find(|t| t.as_str() == text)
    }
}

/// When screening runs: before the response (`inline`, the default), just after it (`background`), or not
/// at all (`skip`, leaving the customer `pending` until a refresh).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProcessingMethod {
    #[default]
    Inline,
    Background,
    Skip,
}

/// A sandbox's forced outcome. `standard` screens for real; the others fix the resulting status, and are
/// accepted only by a server started with `--sandbox`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SandboxOutcome {
    #[default]
    Standard,
    Verified,
    Rejected,
    Review,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Config {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub processing_method: Option<ProcessingMethod>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sandbox_outcome: Option<SandboxOutcome>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Device {
    pub ip_address: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Address {
    pub address1: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address2: Option<String>,
    pub city: String,
    pub state: String,
    pub zip: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Representative {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// The identity data an individual or a business gives. Masked on every read but `/unmasked`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum ComplianceProfile {
    Individual {
        dob: String,
        ssn: String,
    },
    Business {
        ein: String,
        legal_business_name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        representatives: Option<Vec<Representative>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        website: Option<String>,
    },
}

/// A customer as every read returns it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Customer {
    pub id: String,
    pub created_at: String,
    pub updated_at: String,
    pub email: String,
    pub name: String,
    pub phone: String,
    pub status: CustomerStatus,
    #[serde(rename = "type")]
    pub customer_type: CustomerType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compliance_profile: Option<ComplianceProfile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<Config>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<Device>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<BTreeMap<String, String>>,
}

/// A row of the customer list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerSummary {
    pub id: String,
    pub created_at: String,
    pub updated_at: String,
    pub email: String,
    pub name: String,
    pub phone: String,
    pub status: CustomerStatus,
    #[serde(rename = "type")]
    pub customer_type: CustomerType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// Clearance: the strongest score of the screening in force that alerts, for the review queue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// Clearance: the key id of the analyst working the review.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee: Option<String>,
    /// Clearance: when the customer entered `review`, while it is there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_since: Option<String>,
    /// Clearance: when the review passes the server's service level (`--review-sla`, 24 hours by
    /// default), while the customer is in `review`: the queue marks it overdue after this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_due_at: Option<String>,
    /// Clearance: the listed party behind `score`, so the queue shows whom the customer may be.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strongest_match: Option<StrongestMatch>,
    /// Clearance: under four-eyes approval, the first analyst's decision while a second is awaited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub awaiting_approval: Option<Approval>,
}

/// The strongest alerting match of a customer's screening in force, as the review queue lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StrongestMatch {
    /// The listed party's primary name.
    pub party: String,
    pub list_name: String,
    /// The id the list publishes for the party.
    pub entity_id: String,
    pub correlation: Correlation,
}

/// The body of POST and PUT /v1/customers. Every field is optional here so that a missing one comes back as
/// a field-level error item rather than a parse failure; the server says which are required.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerRequest {
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub customer_type: Option<CustomerType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<DeviceRequest>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<AddressRequest>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compliance_profile: Option<ComplianceProfileRequest>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<Config>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<BTreeMap<String, String>>,
    /// PUT only: `inactive` deactivates, `pending` reactivates (and re-screens); decisions go through
    /// PATCH /review.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<CustomerStatus>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeviceRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip_address: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AddressRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address1: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address2: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zip: Option<String>,
}

/// Either profile's fields; which are required depends on the customer's type.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ComplianceProfileRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dob: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ein: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_business_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub representatives: Option<Vec<Representative>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SortBy {
    Name,
    CreatedAt,
    /// Clearance: strongest match first, the review queue's order.
    Score,
    /// Clearance: by how long the customer has waited in review; `desc` puts the longest wait first, and
    /// customers not in review last.
    ReviewAge,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SortOrder {
    Asc,
    Desc,
}

/// The `meta` of a customer list page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PageMeta {
    pub api_request_id: String,
    pub api_request_timestamp: String,
    pub max_page_size: u32,
    pub page_number: u32,
    pub page_size: u32,
    pub sort_by: SortBy,
    pub sort_order: SortOrder,
    pub total_items: u64,
    pub total_pages: u64,
}
