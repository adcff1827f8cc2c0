//! Turns a create or update request into a customer that can be stored, or into every problem with it at
//! once, each naming its field as Straddle's error items do. Field rules come from the screening crate's
//! validators, the same ones the console runs as the analyst types.

use std::collections::BTreeMap;

use clearance_api::{
    Address, AddressRequest, ComplianceProfileRequest, Config, CustomerRequest, CustomerStatus,
    CustomerType, Device, ErrorItem, Representative, SandboxOutcome,
};
use clearance_screening::pii::{
    DOB_MASK, DateOfBirth, EIN_MASK, Ein, Email, Invalid, Phone, SSN_MASK, Ssn, validate_ip,
    validate_state, validate_zip,
};

use crate::domain::customer::{Pii, Profile};
use crate::domain::update::Nulls;

pub const MAX_NAME: usize = 500;
pub const MAX_ADDRESS_LINE: usize = 100;
pub const MAX_EXTERNAL_ID: usize = 255;
pub const MAX_METADATA: usize = 20;
pub const MAX_METADATA_KEY: usize = 100;
pub const MAX_METADATA_VALUE: usize = 1000;
pub const MAX_REPRESENTATIVES: usize = 50;
pub const MAX_WEBSITE: usize = 2048;
pub use clearance_screening::pii::MAX_EMAIL;

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

/// Why an update was refused: its body breaks a rule on its own (422, what the OpenAPI schema says), or
/// only together with the stored customer (409).
#[derive(Debug)]
pub enum Refused {
    Invalid(Vec<ErrorItem>),
    Conflict(Vec<ErrorItem>),
}

/// Whether a body must hold a whole customer (a create, and a PUT laid over the stored customer) or may
/// hold part of one (a PUT's body on its own).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    Whole,
    Part,
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

    /// [`Problems::required`] for a whole body; a part may leave the field out.
    fn given(&mut self, shape: Shape, reference: &str, value: Option<&String>) -> Option<String> {
        match (shape, value) {
            (Shape::Part, None) => None,
            _ => self.required(reference, value),
        }
    }

    /// Bounds trimmed text: at most `max` characters, none of them control characters.
    fn text(&mut self, reference: &str, value: &str, max: usize) {
        if value.chars().count() > max {
            self.add(reference, format!("must be at most {max} characters"));
        }
        if value.chars().any(char::is_control) {
            self.add(reference, "must not contain control characters");
        }
    }

    /// A required, bounded text field, trimmed.
    fn required_text(
        &mut self,
        shape: Shape,
        reference: &str,
        value: Option<&String>,
        max: usize,
    ) -> Option<String> {
        let text = self.given(shape, reference, value)?;
        self.text(reference, &text, max);
        Some(text)
    }

    /// An optional, bounded text field, trimmed; blank is none.
    fn optional_text(
        &mut self,
        reference: &str,
        value: Option<&String>,
        max: usize,
    ) -> Option<String> {
        let text = value?.trim();
        self.text(reference, text, max);
        Some(text.to_owned()).filter(|t| !t.is_empty())
    }

    /// What `parse` makes of a value, else a problem.
    fn parsed<T>(
        &mut self,
        reference: &str,
        value: Option<String>,
        parse: impl FnOnce(&str) -> Result<T, Invalid>,
    ) -> Option<T> {
        match parse(&value?) {
            Ok(parsed) => Some(parsed),
            Err(invalid) => {
                self.invalid(reference, invalid);
                None
            }
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
    let valid = common(req, customer_type, mode, Shape::Whole, &mut problems);
    match (valid, customer_type) {
        (Some(valid), Some(_)) if problems.0.is_empty() => Ok(valid),
        _ => Err(problems.0),
    }
}

/// A PUT: `given` is its body, `merged` the body laid over the stored customer (`update::merged`) of
/// `current_type` and `current_status`; `cleared` are the fields the body set to `null`. The body is
/// checked on its own first (422), then the merged customer (409). `type` may be repeated but not
/// changed. `status`: the current value changes nothing, `inactive` deactivates, `pending` screens again;
/// decisions go through PATCH /review, and a rejected customer moves only by an admin's reopen.
pub fn update(
    given: &CustomerRequest,
    cleared: &Nulls,
    merged: &CustomerRequest,
    current_type: CustomerType,
    current_status: CustomerStatus,
    mode: Mode,
) -> Result<Valid, Refused> {
    let mut own = Problems::default();
    for field in ["name", "email", "phone", "device"] {
        if cleared.has(field) {
            own.add(field, "cannot be cleared");
        }
    }
    common(given, None, mode, Shape::Part, &mut own);
    if !own.0.is_empty() {
        return Err(Refused::Invalid(own.0));
    }
    let mut conflicts = Problems::default();
    if merged.customer_type.is_some_and(|t| t != current_type) {
        conflicts.add("type", "cannot change; create a new customer instead");
    }
    match merged.status {
        Some(status) if status == current_status => {}
        Some(_) if current_status == CustomerStatus::Rejected => conflicts.add(
            "status",
            "a rejected customer is final; an admin reopens it with POST /v1/customers/{id}/reopen",
        ),
        Some(CustomerStatus::Pending | CustomerStatus::Inactive) | None => {}
        Some(status) => conflicts.add(
            "status",
            format!(
                "cannot be set to {} here: decide a review with PATCH /v1/customers/{{id}}/review",
                status.as_str()
            ),
        ),
    }
    let valid = common(
        merged,
        Some(current_type),
        mode,
        Shape::Whole,
        &mut conflicts,
    );
    match valid {
        Some(valid) if conflicts.0.is_empty() => Ok(valid),
        _ => Err(Refused::Conflict(conflicts.0)),
    }
}

fn common(
    req: &CustomerRequest,
    customer_type: Option<CustomerType>,
    mode: Mode,
    shape: Shape,
    problems: &mut Problems,
) -> Option<Valid> {
    let name = problems.required_text(shape, "name", req.name.as_ref(), MAX_NAME);
    // `Email::parse` gets the value as sent: it counts its length before trimming, as the OpenAPI
    // document's maxLength does.
    let email = problems
        .given(shape, "email", req.email.as_ref())
        .and(req.email.clone());
    let email = problems.parsed("email", email, |e| {
        Email::parse(e).map(|e| e.expose().to_owned())
    });
    let phone = problems.given(shape, "phone", req.phone.as_ref());
    let phone = problems.parsed("phone", phone, |p| Phone::parse(p).map(|_| p.to_owned()));
    let device = match (shape, &req.device) {
        (Shape::Part, None) => None,
        _ => device(req, problems),
    };
    let address = req.address.as_ref().and_then(|a| address(a, problems));
    let compliance_profile = match (&req.compliance_profile, customer_type) {
        (Some(profile), Some(t)) => compliance_profile(profile, t, problems),
        (Some(profile), None) => {
            members(profile, problems);
            None
        }
        (None, _) => None,
    };
    let external_id =
        problems.optional_text("external_id", req.external_id.as_ref(), MAX_EXTERNAL_ID);
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
        external_id,
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
    );
    let ip = problems.parsed("device.ip_address", ip, |ip| {
        validate_ip(ip).map(|_| ip.to_owned())
    })?;
    Some(Device { ip_address: ip })
}

fn address(req: &AddressRequest, problems: &mut Problems) -> Option<Address> {
    let whole = Shape::Whole;
    let address1 = problems.required_text(
        whole,
        "address.address1",
        req.address1.as_ref(),
        MAX_ADDRESS_LINE,
    );
    let address2 =
        problems.optional_text("address.address2", req.address2.as_ref(), MAX_ADDRESS_LINE);
    let city = problems.required_text(whole, "address.city", req.city.as_ref(), MAX_ADDRESS_LINE);
    let state = problems.required("address.state", req.state.as_ref());
    let state = problems.parsed("address.state", state, |s| {
        validate_state(s).map(|()| s.to_owned())
    });
    let zip = problems.required("address.zip", req.zip.as_ref());
    let zip = problems.parsed("address.zip", zip, |z| {
        validate_zip(z).map(|()| z.to_owned())
    });
    Some(Address {
        address1: address1?,
        address2,
        city: city?,
        state: state?,
        zip: zip?,
    })
}

/// A value equal to its masked form (trimmed), which stands for the stored value.
fn is_mask(value: &str, mask: &str) -> bool {
    value.trim() == mask
}

/// A PUT's profile members on their own: each given one valid, a masked one standing for the stored
/// value. Which members the customer's type takes is checked on the merged customer.
fn members(req: &ComplianceProfileRequest, problems: &mut Problems) {
    let today = crate::clock::today();
    let at = |member: &str| format!("compliance_profile.{member}");
    if let Some(dob) = req.dob.as_ref().filter(|d| !is_mask(d, DOB_MASK)) {
        problems.parsed(&at("dob"), Some(dob.trim().to_owned()), |d| {
            DateOfBirth::parse(d, &today)
        });
    }
    if let Some(ssn) = req.ssn.as_ref().filter(|s| !is_mask(s, SSN_MASK)) {
        problems.parsed(&at("ssn"), Some(ssn.trim().to_owned()), Ssn::parse);
    }
    if let Some(ein) = req.ein.as_ref().filter(|e| !is_mask(e, EIN_MASK)) {
        problems.parsed(&at("ein"), Some(ein.trim().to_owned()), Ein::parse);
    }
    problems.required_text(
        Shape::Part,
        &at("legal_business_name"),
        req.legal_business_name.as_ref(),
        MAX_NAME,
    );
    website(req.website.as_ref(), problems);
    representatives(req.representatives.as_deref(), problems);
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
            let today = crate::clock::today();
            let dob = problems.required("compliance_profile.dob", req.dob.as_ref());
            let dob = problems.parsed("compliance_profile.dob", dob, |d| {
                DateOfBirth::parse(d, &today)
            });
            let ssn = problems.required("compliance_profile.ssn", req.ssn.as_ref());
            let ssn = problems.parsed("compliance_profile.ssn", ssn, Ssn::parse);
            Some(Pii::Individual {
                dob: dob?,
                ssn: ssn?,
            })
        }
        CustomerType::Business => {
            only_for(problems, "dob", req.dob.is_some(), "individual");
            only_for(problems, "ssn", req.ssn.is_some(), "individual");
            let ein = problems.required("compliance_profile.ein", req.ein.as_ref());
            let ein = problems.parsed("compliance_profile.ein", ein, Ein::parse);
            let legal_business_name = problems.required_text(
                Shape::Whole,
                "compliance_profile.legal_business_name",
                req.legal_business_name.as_ref(),
                MAX_NAME,
            );
            let website = website(req.website.as_ref(), problems);
            representatives(req.representatives.as_deref(), problems);
            Some(Pii::Business {
                ein: ein?,
                legal_business_name: legal_business_name?,
                representatives: req.representatives.clone(),
                website,
            })
        }
    }
}

fn representatives(representatives: Option<&[Representative]>, problems: &mut Problems) {
    let Some(representatives) = representatives else {
        return;
    };
    if representatives.len() > MAX_REPRESENTATIVES {
        problems.add(
            "compliance_profile.representatives",
            format!("at most {MAX_REPRESENTATIVES} representatives"),
        );
    }
    for (i, rep) in representatives.iter().enumerate() {
        let at = |field: &str| format!("compliance_profile.representatives[{i}].{field}");
        problems.required_text(Shape::Whole, &at("name"), Some(&rep.name), MAX_NAME);
        if let Some(Err(invalid)) = rep.email.as_deref().map(Email::parse) {
            problems.invalid(&at("email"), invalid);
        }
        if let Some(Err(invalid)) = rep.phone.as_deref().map(Phone::parse) {
            problems.invalid(&at("phone"), invalid);
        }
    }
}

/// A business's website, trimmed: an absolute http or https URL, a host name whose last label starts
/// with a letter, an optional port, then only visible ASCII; at most [`MAX_WEBSITE`] characters counted
/// before trimming, as the OpenAPI document's `maxLength` counts them.
fn website(website: Option<&String>, problems: &mut Problems) -> Option<String> {
    let website = website?;
    if website.chars().count() > MAX_WEBSITE {
        problems.add(
            "compliance_profile.website",
            format!("must be at most {MAX_WEBSITE} characters"),
        );
        return None;
    }
    let website = website.trim();
    if !is_web_url(website) {
        problems.add(
            "compliance_profile.website",
            "must be an http:// or https:// URL",
        );
        return None;
    }
    Some(website.to_owned())
}

fn is_web_url(url: &str) -> bool {
    let scheme_end = url.find("://").unwrap_or(0);
    if !matches!(
        url[..scheme_end].to_ascii_lowercase().as_str(),
        "http" | "https"
    ) {
        return false;
    }
    let rest = &url[scheme_end + 3..];
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    if !tail.chars().all(|c| c.is_ascii_graphic()) {
        return false;
    }
    let (host, port) = match authority.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    };
    let port_ok = port.is_none_or(|p| {
        p.bytes().all(|b| b.is_ascii_digit())
            && match p.len() {
                1..=4 => true,
                5 => !p.starts_with('0') && p.parse::<u32>().is_ok_and(|n| n <= 65_535),
                _ => false,
            }
    });
    let labels: Vec<&str> = host.split('.').collect();
    let label_ok = |l: &&str| {
        (1..=63).contains(&l.len())
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    port_ok
        && labels.iter().all(label_ok)
        && labels
            .last()
            .is_some_and(|l| l.starts_with(|c: char| c.is_ascii_alphabetic()))
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

    fn conflicts(result: Result<Valid, Refused>) -> Vec<String> {
        match result {
            Err(Refused::Conflict(items)) => items.into_iter().map(|i| i.reference).collect(),
            other => panic!("expected a conflict, got {other:?}"),
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
    fn updates_cannot_decide_change_type_or_clear_what_is_required() {
        let req = CustomerRequest {
            customer_type: Some(CustomerType::Business),
            status: Some(CustomerStatus::Verified),
            ..request()
        };
        let none = Nulls::default();
        assert_eq!(
            conflicts(update(
                &req,
                &none,
                &req,
                CustomerType::Individual,
                CustomerStatus::Review,
                Mode::Production
            )),
            ["type", "status"]
        );
        assert!(
            update(
                &req,
                &none,
                &req,
                CustomerType::Business,
                CustomerStatus::Verified,
                Mode::Production
            )
            .is_ok(),
            "the current status sent back changes nothing"
        );
        let cleared = Nulls::of(&serde_json::json!({"name": null, "device": null}));
        let Err(Refused::Invalid(items)) = update(
            &CustomerRequest::default(),
            &cleared,
            &request(),
            CustomerType::Individual,
            CustomerStatus::Verified,
            Mode::Production,
        ) else {
            panic!("clearing a required field is the body's own fault");
        };
        let references: Vec<_> = items.iter().map(|i| i.reference.as_str()).collect();
        assert_eq!(references, ["name", "device"]);
    }
}
