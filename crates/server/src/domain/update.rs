//! How a PUT applies to a stored customer, as Straddle's client libraries send it: a field left out keeps
//! its stored value, an explicit `null` clears it, and a value equal to the masked form the API returned
//! (`***-**-****`) keeps the stored value, so a GET → modify → PUT round trip changes only what was
//! modified. `compliance_profile`'s members follow the rule one by one; every other field is replaced
//! whole when given.

use std::collections::BTreeSet;

use clearance_api::{AddressRequest, ComplianceProfile, ComplianceProfileRequest, CustomerRequest};
use serde_json::Value;

use crate::domain::customer::Record;

/// The fields a body set to `null`, as paths (`external_id`, `compliance_profile.ssn`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Nulls(BTreeSet<String>);

impl Nulls {
    /// The explicit nulls of a JSON body: its top-level members and `compliance_profile`'s.
    pub fn of(body: &Value) -> Self {
        let mut paths = BTreeSet::new();
        if let Value::Object(fields) = body {
            for (key, value) in fields {
                match value {
                    Value::Null => {
                        paths.insert(key.clone());
                    }
                    Value::Object(members) if key == "compliance_profile" => {
                        paths.extend(
                            members
                                .iter()
                                .filter(|(_, v)| v.is_null())
                                .map(|(member, _)| format!("{key}.{member}")),
                        );
                    }
                    _ => {}
                }
            }
        }
        Self(paths)
    }

    /// Whether the body set `path` to `null`.
    pub fn has(&self, path: &str) -> bool {
        self.0.contains(path)
    }

    /// The cleared paths, for the audit row's field list.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }
}

/// The given value, else nothing when the body cleared it, else the stored one.
fn pick<T: Clone>(given: &Option<T>, cleared: bool, stored: Option<T>) -> Option<T> {
    match given {
        Some(value) => Some(value.clone()),
        None if cleared => None,
        None => stored,
    }
}

/// [`pick`] for a masked field: its masked form stands for the stored value.
fn pick_masked(
    given: &Option<String>,
    cleared: bool,
    stored: Option<String>,
    masked: Option<String>,
) -> Option<String> {
    match given {
        Some(value) if masked.as_deref() == Some(value.trim()) => stored,
        _ => pick(given, cleared, stored),
    }
}

/// The stored customer in the shape of a request, raw values and all.
fn as_request(record: &Record) -> CustomerRequest {
    CustomerRequest {
        customer_type: Some(record.customer_type),
        name: Some(record.name.clone()),
        email: Some(record.email.clone()),
        phone: Some(record.phone.clone()),
        device: record
            .profile
            .device
            .as_ref()
            .map(|d| clearance_api::DeviceRequest {
                ip_address: Some(d.ip_address.clone()),
            }),
        address: record.profile.address.as_ref().map(|a| AddressRequest {
            address1: Some(a.address1.clone()),
            address2: a.address2.clone(),
            city: Some(a.city.clone()),
            state: Some(a.state.clone()),
            zip: Some(a.zip.clone()),
        }),
        compliance_profile: record
            .profile
            .compliance_profile
            .as_ref()
            .map(|p| profile_request(p.clear())),
        config: record.profile.config.clone(),
        external_id: record.external_id.clone(),
        metadata: record.profile.metadata.clone(),
        status: None,
    }
}

fn profile_request(profile: ComplianceProfile) -> ComplianceProfileRequest {
    match profile {
        ComplianceProfile::Individual { dob, ssn } => ComplianceProfileRequest {
            dob: Some(dob),
            ssn: Some(ssn),
            ..ComplianceProfileRequest::default()
        },
        ComplianceProfile::Business {
            ein,
            legal_business_name,
            representatives,
            website,
        } => ComplianceProfileRequest {
            ein: Some(ein),
            legal_business_name: Some(legal_business_name),
            representatives,
            website,
            ..ComplianceProfileRequest::default()
        },
    }
}

/// The request the update amounts to: `given` laid over the stored customer. Validating it validates the
/// customer as it will be stored.
pub fn merged(stored: &Record, given: &CustomerRequest, nulls: &Nulls) -> CustomerRequest {
    let base = as_request(stored);
    let masked = stored
        .profile
        .compliance_profile
        .as_ref()
        .map(|p| profile_request(p.masked()))
        .unwrap_or_default();
    let compliance_profile = if nulls.has("compliance_profile") {
        None
    } else {
        match (&given.compliance_profile, base.compliance_profile) {
            (None, stored) => stored,
            (Some(given), stored) => {
                let stored = stored.unwrap_or_default();
                let cleared = |member: &str| nulls.has(&format!("compliance_profile.{member}"));
                Some(ComplianceProfileRequest {
                    dob: pick_masked(&given.dob, cleared("dob"), stored.dob, masked.dob),
                    ssn: pick_masked(&given.ssn, cleared("ssn"), stored.ssn, masked.ssn),
                    ein: pick_masked(&given.ein, cleared("ein"), stored.ein, masked.ein),
                    legal_business_name: pick(
                        &given.legal_business_name,
                        cleared("legal_business_name"),
                        stored.legal_business_name,
                    ),
                    representatives: pick(
                        &given.representatives,
                        cleared("representatives"),
                        stored.representatives,
                    ),
                    website: pick(&given.website, cleared("website"), stored.website),
                })
            }
        }
    };
    CustomerRequest {
        customer_type: given.customer_type.or(base.customer_type),
        name: pick(&given.name, nulls.has("name"), base.name),
        email: pick(&given.email, nulls.has("email"), base.email),
        phone: pick(&given.phone, nulls.has("phone"), base.phone),
        device: pick(&given.device, nulls.has("device"), base.device),
        address: pick(&given.address, nulls.has("address"), base.address),
        compliance_profile,
        config: pick(&given.config, nulls.has("config"), base.config),
        external_id: pick(
            &given.external_id,
            nulls.has("external_id"),
            base.external_id,
        ),
        metadata: pick(&given.metadata, nulls.has("metadata"), base.metadata),
        status: given.status,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::customer::{Pii, Profile};
    use clearance_api::{Address, Config, CustomerStatus, CustomerType, Device, ProcessingMethod};
    use clearance_screening::pii::{DateOfBirth, Ssn};

    fn stored() -> Record {
        Record {
            id: "c".into(),
            customer_type: CustomerType::Individual,
            status: CustomerStatus::Verified,
            name: "Ron Swanson".into(),
            email: "ron@pawnee.com".into(),
            phone: "+12128675309".into(),
            external_id: Some("ext-ron".into()),
            created_at: "t".into(),
            updated_at: "t".into(),
            version: 1,
            review_id: None,
            top_score: None,
            top_match: None,
            assignee: None,
            review_since: None,
            profile: Profile {
                address: Some(Address {
                    address1: "123 Main St".into(),
                    address2: None,
                    city: "Pawnee".into(),
                    state: "IN".into(),
                    zip: "47998".into(),
                }),
                compliance_profile: Some(Pii::Individual {
                    dob: DateOfBirth::parse("1972-05-06", "2026-11-21").unwrap(),
                    ssn: Ssn::parse("512-44-8890").unwrap(),
                }),
                config: Some(Config {
                    processing_method: Some(ProcessingMethod::Skip),
                    sandbox_outcome: None,
                }),
                device: Some(Device {
                    ip_address: "192.0.2.1".into(),
                }),
                metadata: Some([("tier".to_owned(), "gold".to_owned())].into()),
            },
        }
    }

    fn body(json: Value) -> (CustomerRequest, Nulls) {
        (
            serde_json::from_value(json.clone()).unwrap(),
            Nulls::of(&json),
        )
    }

    #[test]
    fn a_name_alone_keeps_everything_else() {
        let (given, nulls) = body(serde_json::json!({"name": "Ronald Swanson"}));
        let merged = merged(&stored(), &given, &nulls);
        let mut expected = as_request(&stored());
        expected.name = Some("Ronald Swanson".into());
        assert_eq!(merged, expected);
    }

    #[test]
    fn null_clears_and_masked_values_keep() {
        let (given, nulls) = body(serde_json::json!({
            "external_id": null,
            "metadata": null,
            "compliance_profile": {"ssn": "***-**-****", "dob": "1980-01-02"},
        }));
        let merged = merged(&stored(), &given, &nulls);
        assert_eq!(merged.external_id, None);
        assert_eq!(merged.metadata, None);
        let profile = merged.compliance_profile.unwrap();
        assert_eq!(profile.ssn.as_deref(), Some("512-44-8890"));
        assert_eq!(profile.dob.as_deref(), Some("1980-01-02"));
        assert!(merged.config.is_some(), "config left out is kept");
    }

    #[test]
    fn a_masked_round_trip_is_the_stored_customer() {
        let customer = serde_json::to_value(stored().masked()).unwrap();
        let (given, nulls) = body(customer);
        let merged = merged(&stored(), &given, &nulls);
        let expected = CustomerRequest {
            status: Some(CustomerStatus::Verified),
            ..as_request(&stored())
        };
        assert_eq!(merged, expected);
    }
}
