//! A stored customer, and the only two ways it leaves the server: masked (every read) or unmasked (the
//! audited `/unmasked` read, and nowhere else).

use std::collections::BTreeMap;

use clearance_api::{
    Address, Approval, ComplianceProfile, Config, Customer, CustomerStatus, CustomerSummary,
    CustomerType, Device, Representative, StrongestMatch,
};
use clearance_screening::pii::{DateOfBirth, Ein, Invalid, Sensitive, Ssn};
use serde::{Deserialize, Serialize};

/// The identity data, validated: SSN, EIN and date of birth stay the screening crate's types from
/// validation to storage, so a raw value is never a bare `String` that a log line or a response could pick
/// up. `Debug` is masked; the wire forms are [`Pii::masked`], for every read, and [`Pii::clear`], for the
/// audited unmask and the update merge. Its serde form is the stored one, in the clear, which only the
/// store writes, sealed.
#[derive(Clone, PartialEq, Eq)]
pub enum Pii {
    Individual {
        dob: DateOfBirth,
        ssn: Ssn,
    },
    Business {
        ein: Ein,
        legal_business_name: String,
        representatives: Option<Vec<Representative>>,
        website: Option<String>,
    },
}

impl Pii {
    /// Straddle's masked form: SSN, EIN and date of birth replaced whole, by each type's own mask.
    pub fn masked(&self) -> ComplianceProfile {
        let mask = |value: &dyn Sensitive| value.masked().as_str().to_owned();
        match self {
            Self::Individual { dob, ssn } => ComplianceProfile::Individual {
                dob: mask(dob),
                ssn: mask(ssn),
            },
            Self::Business {
                ein,
                legal_business_name,
                representatives,
                website,
            } => ComplianceProfile::Business {
                ein: mask(ein),
                legal_business_name: legal_business_name.clone(),
                representatives: representatives.clone(),
                website: website.clone(),
            },
        }
    }

    /// The raw values in the wire shape. Call only for the audited unmask ([`Record::unmasked`]), to lay
    /// an update over the stored customer, and to store it sealed: each call is a place raw PII leaves.
    pub fn clear(&self) -> ComplianceProfile {
        match self {
            Self::Individual { dob, ssn } => ComplianceProfile::Individual {
                dob: dob.expose().to_owned(),
                ssn: ssn.expose().to_owned(),
            },
            Self::Business {
                ein,
                legal_business_name,
                representatives,
                website,
            } => ComplianceProfile::Business {
                ein: ein.expose().to_owned(),
                legal_business_name: legal_business_name.clone(),
                representatives: representatives.clone(),
                website: website.clone(),
            },
        }
    }

    /// An individual's date of birth, which screening compares with the lists' dates.
    pub fn dob(&self) -> Option<&DateOfBirth> {
        match self {
            Self::Individual { dob, .. } => Some(dob),
            Self::Business { .. } => None,
        }
    }

    /// A profile read back from storage. The values passed validation when they were written, so only
    /// their stored shape is checked (see `DateOfBirth::from_stored`); a value that fails is named by its
    /// field, never quoted.
    fn from_stored(profile: ComplianceProfile) -> Result<Self, String> {
        let unreadable = |invalid: Invalid| {
            format!(
                "stored compliance_profile.{}: {}",
                invalid.field, invalid.message
            )
        };
        Ok(match profile {
            ComplianceProfile::Individual { dob, ssn } => Self::Individual {
                dob: DateOfBirth::from_stored(&dob).map_err(unreadable)?,
                ssn: Ssn::from_stored(&ssn).map_err(unreadable)?,
            },
            ComplianceProfile::Business {
                ein,
                legal_business_name,
                representatives,
                website,
            } => Self::Business {
                ein: Ein::from_stored(&ein).map_err(unreadable)?,
                legal_business_name,
                representatives,
                website,
            },
        })
    }
}

/// The stored form: [`Pii::clear`]'s JSON, the same text the store wrote before the values were typed.
impl Serialize for Pii {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.clear().serialize(serializer)
    }
}

/// Reads the stored form back into typed values; a malformed value is an error, never a panic.
impl<'de> Deserialize<'de> for Pii {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_stored(ComplianceProfile::deserialize(deserializer)?)
            .map_err(serde::de::Error::custom)
    }
}

impl std::fmt::Debug for Pii {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Pii({:?})", self.masked())
    }
}

/// The nested parts of a customer, stored together as JSON.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compliance_profile: Option<Pii>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<Config>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<Device>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<BTreeMap<String, String>>,
}

/// One row of `customers`.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    pub id: String,
    pub customer_type: CustomerType,
    pub status: CustomerStatus,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub external_id: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
    pub review_id: Option<String>,
    pub top_score: Option<f64>,
    /// The listed party behind `top_score`.
    pub top_match: Option<StrongestMatch>,
    pub profile: Profile,
    /// The key id of the analyst working the customer's review, if any; the store drops it when the
    /// customer leaves `review`.
    pub assignee: Option<String>,
    /// When the customer last entered `review`, while it is there: the store keeps it.
    pub review_since: Option<String>,
}

impl Record {
    /// What every read path returns.
    pub fn masked(&self) -> Customer {
        self.wire(self.profile.compliance_profile.as_ref().map(Pii::masked))
    }

    /// The clear form. Only the audited `/unmasked` handler calls this.
    pub fn unmasked(&self) -> Customer {
        self.wire(self.profile.compliance_profile.as_ref().map(Pii::clear))
    }

    fn wire(&self, compliance_profile: Option<ComplianceProfile>) -> Customer {
        Customer {
            id: self.id.clone(),
            created_at: self.created_at.clone(),
            updated_at: self.updated_at.clone(),
            email: self.email.clone(),
            name: self.name.clone(),
            phone: self.phone.clone(),
            status: self.status,
            customer_type: self.customer_type,
            address: self.profile.address.clone(),
            compliance_profile,
            config: self.profile.config.clone(),
            device: self.profile.device.clone(),
            external_id: self.external_id.clone(),
            metadata: self.profile.metadata.clone(),
        }
    }

    /// The list's row: `review_sla` is how long a review may wait before the queue marks it overdue, and
    /// `awaiting_approval` the first of a four-eyes approval's decisions, while the second is awaited.
    pub fn summary(
        &self,
        review_sla: std::time::Duration,
        awaiting_approval: Option<Approval>,
    ) -> CustomerSummary {
        let review_due_at = self.review_since.as_deref().and_then(|since| {
            let since = chrono::DateTime::parse_from_rfc3339(since).ok()?;
            let due = since.checked_add_signed(chrono::Duration::from_std(review_sla).ok()?)?;
            Some(crate::clock::format(due.with_timezone(&chrono::Utc)))
        });
        CustomerSummary {
            id: self.id.clone(),
            created_at: self.created_at.clone(),
            updated_at: self.updated_at.clone(),
            email: self.email.clone(),
            name: self.name.clone(),
            phone: self.phone.clone(),
            status: self.status,
            customer_type: self.customer_type,
            external_id: self.external_id.clone(),
            score: self.top_score,
            assignee: self.assignee.clone(),
            review_since: self.review_since.clone(),
            review_due_at,
            strongest_match: self.top_match.clone(),
            awaiting_approval,
        }
    }

    /// Whether `other` is screened as the same person: the same names and date of birth. Analysts'
    /// clearances hold only while it is.
    pub fn same_identity(&self, other: &Record) -> bool {
        let dob = |r: &Record| {
            r.profile
                .compliance_profile
                .as_ref()
                .and_then(|p| p.dob().map(|d| d.expose().to_owned()))
        };
        self.screened_names() == other.screened_names() && dob(self) == dob(other)
    }

    /// The names screening compares with the lists, each with the request field it came from.
    pub fn screened_names(&self) -> Vec<(String, String)> {
        let mut names = vec![("name".to_owned(), self.name.clone())];
        if let Some(Pii::Business {
            legal_business_name,
            representatives,
            ..
        }) = &self.profile.compliance_profile
        {
            if legal_business_name.trim() != self.name.trim() {
                names.push((
                    "legal_business_name".to_owned(),
                    legal_business_name.clone(),
                ));
            }
            for (i, rep) in representatives.iter().flatten().enumerate() {
                names.push((format!("representatives[{i}].name"), rep.name.clone()));
            }
        }
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const INDIVIDUAL: &str = r#"{"dob":"1980-02-29","ssn":"123-45-6789"}"#;
    const BUSINESS: &str = r#"{"ein":"12-3456789","legal_business_name":"Very Good Building Company LLC","representatives":[{"name":"Ron Swanson","email":"ron@pawnee.com"},{"name":"April Ludgate"}],"website":"https://verygood.example"}"#;
    const BARE_BUSINESS: &str = r#"{"ein":"98-7654321","legal_business_name":"Pawnee Parks"}"#;

    fn individual() -> Pii {
        serde_json::from_str(INDIVIDUAL).unwrap()
    }

    #[test]
    fn debug_and_masked_forms_hide_the_numbers() {
        let pii = individual();
        let debug = format!("{pii:?}");
        assert!(
            !debug.contains("6789") && !debug.contains("1980"),
            "{debug}"
        );
        assert_eq!(
            pii.masked(),
            ComplianceProfile::Individual {
                dob: "****-**-**".into(),
                ssn: "***-**-****".into()
            }
        );
        let business: Pii = serde_json::from_str(BUSINESS).unwrap();
        assert!(!format!("{business:?}").contains("3456789"));
        let ComplianceProfile::Business { ein, .. } = business.masked() else {
            panic!("a business stays a business");
        };
        assert_eq!(ein, "**-*******");
    }

    #[test]
    fn the_stored_json_round_trips_unchanged() {
        for stored in [INDIVIDUAL, BUSINESS, BARE_BUSINESS] {
            let wire: ComplianceProfile = serde_json::from_str(stored).unwrap();
            assert_eq!(
                serde_json::to_string(&wire).unwrap(),
                stored,
                "the text is the wire shape's"
            );
            let pii: Pii = serde_json::from_str(stored).unwrap();
            assert_eq!(serde_json::to_string(&pii).unwrap(), stored);
            assert_eq!(pii.clear(), wire);
        }
        assert_eq!(
            individual().dob().map(DateOfBirth::expose),
            Some("1980-02-29")
        );
    }

    #[test]
    fn a_stored_date_is_read_without_the_age_rule() {
        let pii: Pii = serde_json::from_str(r#"{"dob":"1890-01-01","ssn":"123-45-6789"}"#).unwrap();
        assert_eq!(pii.dob().map(DateOfBirth::expose), Some("1890-01-01"));
    }

    #[test]
    fn a_malformed_stored_value_is_an_error_that_does_not_quote_it() {
        for (stored, field) in [
            (r#"{"dob":"1980-02-30","ssn":"123-45-6789"}"#, "dob"),
            (r#"{"dob":"1980-02-29","ssn":"123456789"}"#, "ssn"),
            (
                r#"{"ein":"123-456789","legal_business_name":"Pawnee Parks"}"#,
                "ein",
            ),
        ] {
            let message = serde_json::from_str::<Pii>(stored).unwrap_err().to_string();
            assert!(
                message.contains(&format!("compliance_profile.{field}")),
                "{message}"
            );
            for digits in ["1980", "02-30", "6789", "456789"] {
                assert!(!message.contains(digits), "{message}");
            }
        }
    }
}
