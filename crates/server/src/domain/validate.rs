//! Turns a create or update request into a customer that can be stored, or into every problem with it at
//! once, each naming its field as Straddle's error items do. Field rules come from the screening crate's
//! validators, the same ones the console runs as the analyst types.

use std::collections::BTreeMap;

use clearance_api::{
    Address, AddressRequest, ComplianceProfile, ComplianceProfileRequest, Config, CustomerRequest,
    CustomerStatus, CustomerType, Device, ErrorItem, SandboxOutcome,
};
use clearance_screening::pii::{
    DateOfBirth, Ein, Email, Invalid, Phone, Ssn, validate_ip, validate_state, validate_zip,
};

use crate::domain::customer::{Pii, Profile};

const MAX_NAME: usize = 500;
const MAX_ADDRESS_LINE: usize = 100;
const MAX_EXTERNAL_ID: usize = 255;
const MAX_METADATA: usize = 20;
const MAX_METADATA_KEY: usize = 100;
const MAX_METADATA_VALUE: usize = 1000;
const MAX_REPRESENTATIVES: usize = 50;
const MAX_WEBSITE: usize = 2048;

/// A request that passed every rule.
#[derive(Debug)]
pub struct Valid {
    pub customer_type: CustomerType,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub external_id: Option<String>,
    pub profile: Profile,
    pub status: Option<CustomerStatus>,
}

/// Collects problems so the caller sees all of them in one response.
#[derive(Default)]
struct Problems(Vec<ErrorItem>);

impl Problems {
    fn add(&mut self, reference: impl Into<String>, detail: impl Into<String>) {
        self.0.push(ErrorItem {
            reference: reference.into(),
            detail: detail.into(),
        });
    }

    fn invalid(&mut self, reference: &str, invalid: Invalid) {
        self.add(reference, invalid.message);
    }

    /// The trimmed value of a required text field, or a problem.
    fn required(&mut self, reference: &str, value: Option<&String>) -> Option<String> {
        match value.map(|v| v.trim()) {
            Some(v) if !v.is_empty() => Some(v.to_owned()),
            _ => {
                self.add(reference, "is required");
                None
            }
        }
    }

    fn text(&mut self, reference: &str, value: &str, max: usize) {
        if value.chars().count() > max {
            self.add(reference, format!("must be at most {max} characters"));
        }
        if value.chars().any(char::is_control) {
            self.add(reference, "must not contain control characters");
        }
    }
}

/// Whether a server accepts forced sandbox outcomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Production,
    Sandbox,
}

/// A POST body: `type`, `name`, `email`, `phone` and `device.ip_address` are required.
pub fn create(req: &CustomerRequest, mode: Mode) -> Result<Valid, Vec<ErrorItem>> {
    let mut problems = Problems::default();
    if req.status.is_some() {
        problems.add(
            "status",
            "is set by screening and review; it cannot be given on create",
        );
    }
    let customer_type = req.customer_type;
    if customer_type.is_none() {
        problems.add("type", "is required: individual or business");
    }
    let valid = common(req, customer_type, mode, &mut problems);
    match (valid, customer_type) {
        (Some(valid), Some(_)) if problems.0.is_empty() => Ok(valid),
        _ => Err(problems.0),
    }
}

/// A PUT body, already laid over the stored customer (`update::merged`), against a customer of `current`
/// type. `type` may be repeated but not changed. `status`: the current value changes nothing, `inactive`
/// deactivates, `pending` screens again; decisions go through PATCH /review, and a rejected customer
/// moves only by an admin's reopen.
pub fn update(
    req: &CustomerRequest,
    current_type: CustomerType,
    current_status: CustomerStatus,
    mode: Mode,
) -> Result<Valid, Vec<ErrorItem>> {
    let mut problems = Problems::default();
    if req.customer_type.is_some_and(|t| t != current_type) {
        problems.add("type", "cannot change; create a new customer instead");
    }
    match req.status {
        None => {}
        Some(s) if s == current_status => {}
        Some(_) if current_status == CustomerStatus::Rejected => problems.add(
            "status",
            "a rejected customer is final; an admin reopens it with POST /v1/customers/{id}/reopen",
        ),
        Some(CustomerStatus::Inactive | CustomerStatus::Pending) => {}
        Some(other) => problems.add(
            "status",
            format!(
                "cannot be set to {} here: decide a review with PATCH /v1/customers/{{id}}/review",
                other.as_str()
            ),
        ),
    }
    let valid = common(req, Some(current_type), mode, &mut problems);
    match valid {
        Some(valid) if problems.0.is_empty() => Ok(valid),
        _ => Err(problems.0),
    }
}

fn common(
    req: &CustomerRequest,
    customer_type: Option<CustomerType>,
    mode: Mode,
    problems: &mut Problems,
) -> Option<Valid> {
    let name = problems.required("name", req.name.as_ref());
    if let Some(name) = &name {
        problems.text("name", name, MAX_NAME);
    }
    let email = problems
        .required("email", req.email.as_ref())
        .and_then(|e| match Email::parse(&e) {
            Ok(_) => Some(e),
            Err(invalid) => {
                problems.invalid("email", invalid);
                None
            }
        });
    let phone = problems
        .required("phone", req.phone.as_ref())
        .and_then(|p| match Phone::parse(&p) {
            Ok(_) => Some(p),
            Err(invalid) => {
                problems.invalid("phone", invalid);
                None
            }
        });
    let device = device(req, problems);
    let address = req.address.as_ref().and_then(|a| address(a, problems));
    let compliance_profile = match (&req.compliance_profile, customer_type) {
        (Some(profile), Some(t)) => compliance_profile(profile, t, problems),
        _ => None,
    };
    if let Some(external_id) = &req.external_id {
        problems.text("external_id", external_id, MAX_EXTERNAL_ID);
    }
    if let Some(metadata) = &req.metadata {
        self::metadata(metadata, problems);
    }
    if let Some(Config {
        sandbox_outcome: Some(outcome),
        ..
    }) = &req.config
        && *outcome != SandboxOutcome::Standard
        && mode == Mode::Production
    {
        problems.add(
            "config.sandbox_outcome",
            "only `standard` is accepted: this server is not a sandbox (start it with --sandbox)",
        );
    }
    Some(Valid {
        customer_type: customer_type?,
        name: name?,
        email: email?,
        phone: phone?,
        external_id: req
            .external_id
            .as_ref()
            .map(|e| e.trim().to_owned())
            .filter(|e| !e.is_empty()),
        profile: Profile {
            address,
            compliance_profile,
            config: req.config.clone(),
            device: Some(device?),
            metadata: req.metadata.clone(),
        },
        status: req.status,
    })
}

fn device(req: &CustomerRequest, problems: &mut Problems) -> Option<Device> {
    let ip = problems.required(
        "device.ip_address",
        req.device.as_ref().and_then(|d| d.ip_address.as_ref()),
    )?;
    match validate_ip(&ip) {
        Ok(_) => Some(Device { ip_address: ip }),
        Err(invalid) => {
            problems.invalid("device.ip_address", invalid);
            None
        }
    }
}

fn address(req: &AddressRequest, problems: &mut Problems) -> Option<Address> {
    let address1 = problems.required("address.address1", req.address1.as_ref());
    let city = problems.required("address.city", req.city.as_ref());
    let state = problems.required("address.state", req.state.as_ref());
    let zip = problems.required("address.zip", req.zip.as_ref());
    for (reference, value) in [
        ("address.address1", &address1),
        ("address.city", &city),
        ("address.address2", &req.address2),
    ] {
        if let Some(value) = value {
            problems.text(reference, value, MAX_ADDRESS_LINE);
        }
    }
    if let Some(Err(invalid)) = state.as_deref().map(validate_state) {
        problems.invalid("address.state", invalid);
    }
    if let Some(Err(invalid)) = zip.as_deref().map(validate_zip) {
        problems.invalid("address.zip", invalid);
    }
    Some(Address {
        address1: address1?,
        address2: req
            .address2
            .as_ref()
            .map(|a| a.trim().to_owned())
            .filter(|a| !a.is_empty()),
        city: city?,
        state: state?,
        zip: zip?,
    })
}

fn compliance_profile(
    req: &ComplianceProfileRequest,
    customer_type: CustomerType,
    problems: &mut Problems,
) -> Option<Pii> {
    let only_for = |problems: &mut Problems, field: &str, present: bool, kind: &str| {
        if present {
            problems.add(
                format!("compliance_profile.{field}"),
                format!("is only for {kind} customers"),
            );
        }
    };
    match customer_type {
        CustomerType::Individual => {
            only_for(problems, "ein", req.ein.is_some(), "business");
            only_for(
                problems,
                "legal_business_name",
                req.legal_business_name.is_some(),
                "business",
            );
            only_for(
                problems,
                "representatives",
                req.representatives.is_some(),
                "business",
            );
            only_for(problems, "website", req.website.is_some(), "business");
            let dob = problems
                .required("compliance_profile.dob", req.dob.as_ref())
                .and_then(|d| match DateOfBirth::parse(&d, &crate::clock::today()) {
                    Ok(dob) => Some(dob.expose().to_owned()),
                    Err(invalid) => {
                        problems.invalid("compliance_profile.dob", invalid);
                        None
                    }
                });
            let ssn = problems
                .required("compliance_profile.ssn", req.ssn.as_ref())
                .and_then(|s| match Ssn::parse(&s) {
                    Ok(ssn) => Some(ssn.expose().to_owned()),
                    Err(invalid) => {
                        problems.invalid("compliance_profile.ssn", invalid);
                        None
                    }
                });
            Some(Pii::new(ComplianceProfile::Individual {
                dob: dob?,
                ssn: ssn?,
            }))
        }
        CustomerType::Business => {
            only_for(problems, "dob", req.dob.is_some(), "individual");
            only_for(problems, "ssn", req.ssn.is_some(), "individual");
            let ein = problems
                .required("compliance_profile.ein", req.ein.as_ref())
                .and_then(|e| match Ein::parse(&e) {
                    Ok(ein) => Some(ein.expose().to_owned()),
                    Err(invalid) => {
                        problems.invalid("compliance_profile.ein", invalid);
                        None
                    }
                });
            let legal_business_name = problems.required(
                "compliance_profile.legal_business_name",
                req.legal_business_name.as_ref(),
            );
            if let Some(name) = &legal_business_name {
                problems.text("compliance_profile.legal_business_name", name, MAX_NAME);
            }
            if let Some(website) = &req.website {
                website_problems(website, problems);
            }
            let representatives = req.representatives.as_ref();
            if representatives.is_some_and(|r| r.len() > MAX_REPRESENTATIVES) {
                problems.add(
                    "compliance_profile.representatives",
                    format!("at most {MAX_REPRESENTATIVES} representatives"),
                );
            }
            for (i, rep) in representatives.into_iter().flatten().enumerate() {
                let at = |field: &str| format!("compliance_profile.representatives[{i}].{field}");
                if rep.name.trim().is_empty() {
                    problems.add(at("name"), "is required");
                }
                problems.text(&at("name"), &rep.name, MAX_NAME);
                if let Some(Err(invalid)) = rep.email.as_deref().map(Email::parse) {
                    problems.invalid(&at("email"), invalid);
                }
                if let Some(Err(invalid)) = rep.phone.as_deref().map(Phone::parse) {
                    problems.invalid(&at("phone"), invalid);
                }
            }
            Some(Pii::new(ComplianceProfile::Business {
                ein: ein?,
                legal_business_name: legal_business_name?,
                representatives: req.representatives.clone(),
                website: req.website.clone(),
            }))
        }
    }
}

/// A business's website: an absolute http or https URL with a host, parsed by the `url` crate (the WHATWG
/// rules browsers use), and no longer than [`MAX_WEBSITE`].
fn website_problems(website: &str, problems: &mut Problems) {
    let reference = "compliance_profile.website";
    if website.chars().count() > MAX_WEBSITE {
        problems.add(
            reference,
            format!("must be at most {MAX_WEBSITE} characters"),
        );
        return;
    }
    let parsed = url::Url::parse(website);
    let web = parsed
        .as_ref()
        .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some());
    if !web || website.chars().any(char::is_whitespace) {
        problems.add(reference, "must be an http:// or https:// URL");
    }
}

fn metadata(metadata: &BTreeMap<String, String>, problems: &mut Problems) {
    if metadata.len() > MAX_METADATA {
        problems.add(
            "metadata",
            format!("at most {MAX_METADATA} key-value pairs"),
        );
    }
    for (key, value) in metadata {
        if key.is_empty() || key.chars().count() > MAX_METADATA_KEY {
            problems.add(
                "metadata",
                format!("keys must have 1 to {MAX_METADATA_KEY} characters"),
            );
        }
        if value.chars().count() > MAX_METADATA_VALUE {
            problems.add(
                format!("metadata.{key}"),
                format!("must be at most {MAX_METADATA_VALUE} characters"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clearance_api::{DeviceRequest, Representative};

    fn request() -> CustomerRequest {
        CustomerRequest {
            customer_type: Some(CustomerType::Individual),
            name: Some("Ron Swanson".into()),
            email: Some("ron.swanson@pawnee.com".into()),
            phone: Some("+12128675309".into()),
            device: Some(DeviceRequest {
                ip_address: Some("192.168.1.1".into()),
            }),
            ..CustomerRequest::default()
        }
    }

    fn references(result: Result<Valid, Vec<ErrorItem>>) -> Vec<String> {
        result
            .unwrap_err()
            .into_iter()
            .map(|i| i.reference)
            .collect()
    }

    #[test]
    fn a_minimal_individual_is_valid() {
        let valid = create(&request(), Mode::Production).unwrap();
        assert_eq!(valid.name, "Ron Swanson");
    }

    #[test]
    fn every_problem_is_reported_at_once_by_field() {
        let req = CustomerRequest {
            customer_type: None,
            email: Some("not-an-email".into()),
            phone: Some("2128675309".into()),
            device: None,
            address: Some(AddressRequest {
                address1: Some("123 Main St".into()),
                state: Some("XX".into()),
                zip: Some("1234".into()),
                ..AddressRequest::default()
            }),
            ..request()
        };
        assert_eq!(
            references(create(&req, Mode::Production)),
            [
                "type",
                "email",
                "phone",
                "device.ip_address",
                "address.city",
                "address.state",
                "address.zip"
            ]
        );
    }

    #[test]
    fn profiles_are_checked_against_the_type() {
        let req = CustomerRequest {
            compliance_profile: Some(ComplianceProfileRequest {
                dob: Some("1980-13-01".into()),
                ssn: Some("666-12-3456".into()),
                ein: Some("12-3456789".into()),
                ..ComplianceProfileRequest::default()
            }),
            ..request()
        };
        assert_eq!(
            references(create(&req, Mode::Production)),
            [
                "compliance_profile.ein",
                "compliance_profile.dob",
                "compliance_profile.ssn"
            ]
        );
        let business = CustomerRequest {
            customer_type: Some(CustomerType::Business),
            compliance_profile: Some(ComplianceProfileRequest {
                ein: Some("12-3456789".into()),
                legal_business_name: Some("Pawnee Parks LLC".into()),
                representatives: Some(vec![Representative {
                    name: " ".into(),
                    email: Some("x".into()),
                    phone: None,
                }]),
                ..ComplianceProfileRequest::default()
            }),
            ..request()
        };
        assert_eq!(
            references(create(&business, Mode::Production)),
            [
                "compliance_profile.representatives[0].name",
                "compliance_profile.representatives[0].email"
            ]
        );
    }

    #[test]
    fn forced_outcomes_need_a_sandbox() {
        let req = CustomerRequest {
            config: Some(Config {
                processing_method: None,
                sandbox_outcome: Some(SandboxOutcome::Review),
            }),
            ..request()
        };
        assert_eq!(
            references(create(&req, Mode::Production)),
            ["config.sandbox_outcome"]
        );
        assert!(create(&req, Mode::Sandbox).is_ok());
    }

    #[test]
    fn updates_cannot_decide_or_change_type() {
        let req = CustomerRequest {
            customer_type: Some(CustomerType::Business),
            status: Some(CustomerStatus::Verified),
            ..request()
        };
        assert_eq!(
            references(update(
                &req,
                CustomerType::Individual,
                CustomerStatus::Review,
                Mode::Production
            )),
            ["type", "status"]
        );
    }
}
