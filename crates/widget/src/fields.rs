//! The onboarding form's fields, named by their Straddle field paths, each checked as the user types by
//! the screening crate's own validators (the server runs the same ones), and the create request they make.

use clearance_screening::pii::{DateOfBirth, Ein, Email, Phone, Ssn, validate_state, validate_zip};
use serde_json::{Map, Value};

use crate::options::CustomerType;

/// How a field is typed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Input {
    Text,
    Email,
    Tel,
    Url,
    /// SSN, EIN, date of birth: hidden as typed, shown only while the user holds the reveal toggle on.
    Secret,
}

/// One input of the form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    /// The Straddle field path, also the input's `name`.
    pub name: &'static str,
    pub label: &'static str,
    pub input: Input,
    pub required: bool,
    /// The browser's autofill hint; `off` for the secrets.
    pub autocomplete: &'static str,
    /// Shown under the input: the expected format.
    pub hint: &'static str,
}

const fn field(
    name: &'static str,
    label: &'static str,
    input: Input,
    required: bool,
    autocomplete: &'static str,
    hint: &'static str,
) -> Field {
    Field {
        name,
        label,
        input,
        required,
        autocomplete,
        hint,
    }
}

const CONTACT: [Field; 3] = [
    field("email", "Email", Input::Email, true, "email", ""),
    field(
        "phone",
        "Phone",
        Input::Tel,
        true,
        "tel",
        "With the country code: +12128675309",
    ),
    field(
        "address.address1",
        "Street address",
        Input::Text,
        true,
        "address-line1",
        "",
    ),
];

const ADDRESS: [Field; 4] = [
    field(
        "address.address2",
        "Apartment, suite (optional)",
        Input::Text,
        false,
        "address-line2",
        "",
    ),
    field(
        "address.city",
        "City",
        Input::Text,
        true,
        "address-level2",
        "",
    ),
    field(
        "address.state",
        "State",
        Input::Text,
        true,
        "address-level1",
        "Two letters: NY",
    ),
    field(
        "address.zip",
        "ZIP code",
        Input::Text,
        true,
        "postal-code",
        "12345 or 12345-6789",
    ),
];

/// The form for `customer_type`, in display order.
pub fn form(customer_type: CustomerType) -> Vec<Field> {
    let mut fields = Vec::new();
    match customer_type {
        CustomerType::Individual => {
            fields.push(field("name", "Full name", Input::Text, true, "name", ""));
            fields.extend(CONTACT);
            fields.extend(ADDRESS);
            fields.push(field(
                "compliance_profile.dob",
                "Date of birth",
                Input::Secret,
                true,
                "off",
                "YYYY-MM-DD",
            ));
            fields.push(field(
                "compliance_profile.ssn",
                "Social Security number",
                Input::Secret,
                true,
                "off",
                "XXX-XX-XXXX",
            ));
        }
        CustomerType::Business => {
            fields.push(field(
                "name",
                "Business name",
                Input::Text,
                true,
                "organization",
                "",
            ));
            fields.push(field(
                "compliance_profile.legal_business_name",
                "Legal business name",
                Input::Text,
                true,
                "organization",
                "As registered with the IRS",
            ));
            fields.extend(CONTACT);
            fields.extend(ADDRESS);
            fields.push(field(
                "compliance_profile.ein",
                "Employer Identification Number",
                Input::Secret,
                true,
                "off",
                "XX-XXXXXXX",
            ));
            fields.push(field(
                "compliance_profile.website",
                "Website (optional)",
                Input::Url,
                false,
                "url",
                "https://…",
            ));
            fields.push(field(
                "compliance_profile.representatives[0].name",
                "Representative's name (optional)",
                Input::Text,
                false,
                "name",
                "",
            ));
            fields.push(field(
                "compliance_profile.representatives[0].email",
                "Representative's email (optional)",
                Input::Email,
                false,
                "email",
                "",
            ));
        }
    }
    fields
}

impl Field {
    /// The `type` of the `<input>`. A secret is a text field whose characters are drawn as discs (see
    /// [`Field::text_security`]), not a password field: browsers offer to save a password field, and an
    /// SSN must never reach a password manager.
    pub fn input_type(&self) -> &'static str {
        match self.input {
            Input::Secret | Input::Text => "text",
            Input::Email => "email",
            Input::Tel => "tel",
            Input::Url => "url",
        }
    }

    /// The `-webkit-text-security` a secret's input shows with: discs until the user reveals it. `None`
    /// for the other fields.
    pub fn text_security(&self, revealed: bool) -> Option<&'static str> {
        match self.input {
            Input::Secret if revealed => Some("none"),
            Input::Secret => Some("disc"),
            _ => None,
        }
    }

    /// Whether the value is PII the form hides as it is typed.
    pub fn is_secret(&self) -> bool {
        self.input == Input::Secret
    }

    /// The problem with `value`, in words the user can act on; `today` is `YYYY-MM-DD`.
    pub fn check(&self, value: &str, today: &str) -> Result<(), String> {
        let value = value.trim();
        if value.is_empty() {
            return if self.required {
                Err(format!("{} is required", self.label))
            } else {
                Ok(())
            };
        }
        let outcome = match self.name {
            "email" | "compliance_profile.representatives[0].email" => {
                Email::parse(value).map(drop)
            }
            "phone" => Phone::parse(value).map(drop),
            "address.state" => validate_state(value),
            "address.zip" => validate_zip(value),
            "compliance_profile.dob" => DateOfBirth::parse(value, today).map(drop),
            "compliance_profile.ssn" => Ssn::parse(value).map(drop),
            "compliance_profile.ein" => Ein::parse(value).map(drop),
            "compliance_profile.website" => {
                return if value.starts_with("https://") || value.starts_with("http://") {
                    Ok(())
                } else {
                    Err("Website must start with https://".into())
                };
            }
            _ => {
                return if value.chars().count() > 500 || value.chars().any(char::is_control) {
                    Err(format!(
                        "{} is too long or has characters that are not allowed",
                        self.label
                    ))
                } else {
                    Ok(())
                };
            }
        };
        outcome.map_err(|invalid| format!("{}: {}", self.label, invalid.message))
    }
}

/// The create request the filled form makes: each non-blank value at its field path, and the type.
pub fn request(customer_type: CustomerType, values: &[(&str, &str)]) -> Value {
    let mut body = Map::new();
    body.insert(
        "type".into(),
        Value::from(match customer_type {
            CustomerType::Individual => "individual",
            CustomerType::Business => "business",
        }),
    );
    for (path, value) in values {
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        insert(&mut body, path, Value::from(value));
    }
    Value::Object(body)
}

/// Puts `value` at a dotted path, where `name[0]` is the first element of the array `name`.
fn insert(object: &mut Map<String, Value>, path: &str, value: Value) {
    let (head, rest) = path
        .split_once('.')
        .map_or((path, None), |(h, r)| (h, Some(r)));
    let (key, index) = match head.split_once('[') {
        Some((key, index)) => (key, index.trim_end_matches(']').parse::<usize>().ok()),
        None => (head, None),
    };
    let slot = match index {
        None => object.entry(key).or_insert(Value::Null),
        Some(i) => {
            let array = object
                .entry(key)
                .or_insert_with(|| Value::Array(Vec::new()));
            let Value::Array(items) = array else {
                return;
            };
            while items.len() <= i {
                items.push(Value::Object(Map::new()));
            }
            &mut items[i]
        }
    };
    match rest {
        None => *slot = value,
        Some(rest) => {
            if !slot.is_object() {
                *slot = Value::Object(Map::new());
            }
            if let Value::Object(inner) = slot {
                insert(inner, rest, value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: &str = "2026-12-01";

    fn named(customer_type: CustomerType, name: &str) -> Field {
        form(customer_type)
            .into_iter()
            .find(|f| f.name == name)
            .unwrap()
    }

    #[test]
    fn every_field_is_checked_by_the_shared_validators() {
        let individual = CustomerType::Individual;
        let business = CustomerType::Business;
        let cases = [
            (individual, "name", "Ron Swanson", ""),
            (individual, "email", "ron@pawnee.gov", "ron@"),
            (individual, "phone", "+12128675309", "2128675309"),
            (individual, "address.address1", "123 Main St", ""),
            (individual, "address.city", "Pawnee", ""),
            (individual, "address.state", "IN", "XX"),
            (individual, "address.zip", "47998", "4799"),
            (
                individual,
                "compliance_profile.dob",
                "1972-05-06",
                "2099-01-01",
            ),
            (
                individual,
                "compliance_profile.ssn",
                "512-44-8890",
                "666-44-8890",
            ),
            (
                business,
                "compliance_profile.legal_business_name",
                "Pawnee Parks LLC",
                "",
            ),
            (
                business,
                "compliance_profile.ein",
                "12-3456789",
                "07-3456789",
            ),
            (
                business,
                "compliance_profile.website",
                "https://pawnee.gov",
                "pawnee.gov",
            ),
        ];
        for (kind, name, good, bad) in cases {
            let field = named(kind, name);
            assert_eq!(field.check(good, TODAY), Ok(()), "{name}");
            assert!(field.check(bad, TODAY).is_err(), "{name} accepted {bad:?}");
        }
        assert_eq!(
            named(individual, "address.address2").check("", TODAY),
            Ok(())
        );
    }

    #[test]
    fn secrets_are_hidden_until_revealed_and_never_autofilled() {
        for kind in [CustomerType::Individual, CustomerType::Business] {
            for field in form(kind).into_iter().filter(Field::is_secret) {
                assert_eq!(
                    field.input_type(),
                    "text",
                    "{}: never a password field",
                    field.name
                );
                assert_eq!(field.text_security(false), Some("disc"));
                assert_eq!(field.text_security(true), Some("none"));
                assert_eq!(field.autocomplete, "off");
            }
        }
        let secrets: Vec<_> = form(CustomerType::Individual)
            .into_iter()
            .filter(Field::is_secret)
            .map(|f| f.name)
            .collect();
        assert_eq!(
            secrets,
            ["compliance_profile.dob", "compliance_profile.ssn"]
        );
    }

    #[test]
    fn the_request_nests_values_by_their_paths() {
        let body = request(
            CustomerType::Business,
            &[
                ("name", " Pawnee Parks "),
                ("compliance_profile.ein", "12-3456789"),
                ("compliance_profile.representatives[0].name", "Leslie Knope"),
                ("address.address2", ""),
            ],
        );
        assert_eq!(
            body,
            serde_json::json!({
                "type": "business",
                "name": "Pawnee Parks",
                "compliance_profile": {
                    "ein": "12-3456789",
                    "representatives": [{"name": "Leslie Knope"}],
                },
            })
        );
    }
}
