//! A stored customer, and the only two ways it leaves the server: masked (every read) or unmasked (the
//! audited `/unmasked` read, and nowhere else).

use std::collections::BTreeMap;

use clearance_api::{
    Address, ComplianceProfile, Config, Customer, CustomerStatus, CustomerSummary, CustomerType,
    Device,
};
use clearance_screening::pii::{DOB_MASK, DateOfBirth, EIN_MASK, Ein, SSN_MASK, Sensitive, Ssn};
use serde::{Deserialize, Serialize};

/// The identity data as given: SSN, EIN and date of birth in the clear. Its `Debug` is masked and it has no
/// `Serialize` of its own outside storage, so it reaches a response only through [`Record::unmasked`].
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Pii(ComplianceProfile);

impl Pii {
    pub fn new(profile: ComplianceProfile) -> Self {
        Self(profile)
    }

    /// The raw values. Call only for screening (the date of birth) and the audited unmask.
    pub fn expose(&self) -> &ComplianceProfile {
        &self.0
    }

    /// Straddle's masked form: SSN, EIN and date of birth replaced whole.
    pub fn masked(&self) -> ComplianceProfile {
        match &self.0 {
            ComplianceProfile::Individual { .. } => ComplianceProfile::Individual {
                dob: masked_with(DateOfBirth::parse, DOB_MASK, self.dob()),
                ssn: masked_with(|t, _| Ssn::parse(t), SSN_MASK, self.ssn()),
            },
            ComplianceProfile::Business {
                ein,
                legal_business_name,
                representatives,
                website,
            } => ComplianceProfile::Business {
                ein: masked_with(|t, _| Ein::parse(t), EIN_MASK, Some(ein.as_str())),
                legal_business_name: legal_business_name.clone(),
                representatives: representatives.clone(),
                website: website.clone(),
            },
        }
    }

    pub fn dob(&self) -> Option<&str> {
        match &self.0 {
            ComplianceProfile::Individual { dob, .. } => Some(dob),
            ComplianceProfile::Business { .. } => None,
        }
    }

    fn ssn(&self) -> Option<&str> {
        match &self.0 {
            ComplianceProfile::Individual { ssn, .. } => Some(ssn),
            ComplianceProfile::Business { .. } => None,
        }
    }
}

/// Masks through the screening crate's type, so the masked form is the one its tests pin; a stored value
/// that no longer parses is masked whole all the same.
fn masked_with<T: Sensitive, E>(
    parse: impl Fn(&str, &str) -> Result<T, E>,
    fallback: &str,
    value: Option<&str>,
) -> String {
    value
        .and_then(|v| parse(v, &crate::clock::today()).ok())
        .map_or_else(|| fallback.to_owned(), |v| v.masked().as_str().to_owned())
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
    pub profile: Profile,
}

impl Record {
    /// What every read path returns.
    pub fn masked(&self) -> Customer {
        self.wire(self.profile.compliance_profile.as_ref().map(Pii::masked))
    }

    /// The clear form. Only the audited `/unmasked` handler calls this.
    pub fn unmasked(&self) -> Customer {
        self.wire(
            self.profile
                .compliance_profile
                .as_ref()
                .map(|p| p.expose().clone()),
        )
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

    pub fn summary(&self) -> CustomerSummary {
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
        }
    }

    /// The names screening compares with the lists, each with the request field it came from.
    pub fn screened_names(&self) -> Vec<(String, String)> {
        let mut names = vec![("name".to_owned(), self.name.clone())];
        if let Some(ComplianceProfile::Business {
            legal_business_name,
            representatives,
            ..
        }) = self.profile.compliance_profile.as_ref().map(Pii::expose)
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

    #[test]
    fn debug_and_masked_forms_hide_the_numbers() {
        let pii = Pii::new(ComplianceProfile::Individual {
            dob: "1980-02-29".into(),
            ssn: "123-45-6789".into(),
        });
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
    }
}
