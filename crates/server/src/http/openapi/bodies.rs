//! The request schemas, written from the validators' rules (`domain::validate`, `service::review`) rather
//! than derived from the Rust types, whose fields are all optional so that a missing one becomes a field
//! error. A body matches its schema exactly when the server accepts its shape: what is left to the
//! server is only what depends on stored state (409), such as a PUT's profile members against the stored
//! customer's type, or an email another customer has.

use serde_json::{Value, json};

use super::patterns;
use crate::domain::validate::{
    MAX_ADDRESS_LINE, MAX_EMAIL, MAX_EXTERNAL_ID, MAX_METADATA, MAX_METADATA_KEY,
    MAX_METADATA_VALUE, MAX_NAME, MAX_REPRESENTATIVES, MAX_WEBSITE, Mode,
};
use crate::routes::customers::{MAX_FILTER, MAX_PAGE_SIZE};
use crate::service::review::MAX_NOTE;
use crate::service::webhooks::MAX_URL;

const MASKED_SSN: &str = r"\*\*\*-\*\*-\*\*\*\*";
const MASKED_DOB: &str = r"\*\*\*\*-\*\*-\*\*";
const MASKED_EIN: &str = r"\*\*-\*\*\*\*\*\*\*";

pub fn apply(document: &mut Value, mode: Mode, today: (u16, u8, u8)) {
    let schemas = &mut document["components"]["schemas"];
    let dob = patterns::date_of_birth(today);
    schemas["CustomerCreate"] = json!({
        "description": "The body of POST /v1/customers. `type`, `name`, `email`, `phone` and \
            `device.ip_address` are required; text is trimmed; `compliance_profile` takes the members of \
            the customer's type. An email or external_id another customer has gets 409.",
        "type": "object",
        "oneOf": [create(&dob, "individual"), create(&dob, "business")],
    });
    schemas["CustomerUpdate"] = update(&dob);
    schemas["AddressInput"] = address();
    schemas["RepresentativeInput"] = representative();
    schemas["ConfigInput"] = config(mode);
    schemas["ReviewRequest"] = json!({
        "type": "object",
        "required": ["status"],
        "properties": {
            "status": {"type": "string", "enum": ["verified", "rejected"]},
            "note": {
                "type": ["string", "null"], "maxLength": MAX_NOTE, "pattern": patterns::note(false),
                "description": "The analyst's reason, kept in the audit log. No control characters but newlines.",
            },
            "review_id": {
                "type": ["string", "null"],
                "description": "The review being decided: when it is no longer current the decision gets 409, \
                    so nobody decides on evidence a refresh replaced.",
            },
        },
    });
    schemas["ReopenRequest"] = json!({
        "type": "object",
        "required": ["note"],
        "properties": {"note": {
            "type": "string", "maxLength": MAX_NOTE, "pattern": patterns::note(true),
            "description": "Why the rejected customer goes back to review, kept in the audit log. Not blank; \
                no control characters but newlines.",
        }},
    });
    schemas["MatchDecisionRequest"] = json!({
        "type": "object",
        "required": ["decision"],
        "properties": {
            "decision": {"type": "string", "enum": ["dismissed", "confirmed"]},
            "note": {
                "type": ["string", "null"], "maxLength": MAX_NOTE, "pattern": patterns::note(false),
                "description": "Why, kept in the audit log. No control characters but newlines.",
            },
        },
    });
    schemas["AssignRequest"] = json!({
        "type": "object",
        "properties": {
            "assignee": {
                "type": ["string", "null"], "pattern": "^(me|key_[0-9a-f]{12})$",
                "description": "me, the id of a live analyst or admin key (another key's id gets 409), or \
                    null to unassign.",
            },
        },
    });
    schemas["WebhookRequest"] = json!({
        "type": "object",
        "required": ["url", "events"],
        "properties": {
            "url": {
                "type": "string", "maxLength": MAX_URL, "pattern": "^\\s*[hH][tT][tT][pP][sS]?://[^\\s]+\\s*$",
                "description": "Where messages are POSTed: an http or https URL.",
            },
            "events": {
                "type": "array", "minItems": 1,
                "items": {"type": "string", "enum": ["customer.created.v1", "customer.event.v1"]},
            },
        },
    });
    schemas["EasyOfacUpdate"] = json!({
        "type": "object",
        "required": ["id", "status"],
        "properties": {
            "id": {"type": "string", "minLength": 1, "description": "Clearance's id, else the external_id."},
            "status": {"type": "string", "enum": ["safe", "unsafe", "exception"]},
        },
    });
    for (path, method, schema) in [
        ("/v1/customers", "post", "CustomerCreate"),
        ("/v1/customers/{id}", "put", "CustomerUpdate"),
    ] {
        document["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"] =
            json!({"$ref": format!("#/components/schemas/{schema}")});
    }
    for unused in [
        "CustomerRequest",
        "AddressRequest",
        "DeviceRequest",
        "ComplianceProfileRequest",
    ] {
        if let Some(schemas) = document["components"]["schemas"].as_object_mut() {
            schemas.remove(unused);
        }
    }
    list_parameters(document);
    audit_parameters(document);
    easyofac_parameters(document);
}

fn text(pattern: String, nullable: bool) -> Value {
    if nullable {
        json!({"type": ["string", "null"], "pattern": pattern})
    } else {
        json!({"type": "string", "pattern": pattern})
    }
}

/// An email: the pattern, and the length the server counts before trimming.
fn email(nullable: bool) -> Value {
    let mut schema = text(patterns::email(), nullable);
    schema["maxLength"] = json!(MAX_EMAIL);
    schema
}

/// A business's website: the pattern, and the length the server counts before trimming.
fn website() -> Value {
    let mut schema = text(patterns::website(), true);
    schema["maxLength"] = json!(MAX_WEBSITE);
    schema
}

fn nothing() -> Value {
    json!({"type": "null"})
}

fn create(dob: &str, customer_type: &str) -> Value {
    let profile = if customer_type == "individual" {
        json!({
            "type": "object",
            "required": ["dob", "ssn"],
            "properties": {
                "dob": text(dob.to_owned(), false),
                "ssn": text(patterns::ssn(), false),
                "ein": nothing(), "legal_business_name": nothing(), "representatives": nothing(),
                "website": nothing(),
            },
        })
    } else {
        json!({
            "type": "object",
            "required": ["ein", "legal_business_name"],
            "properties": {
                "ein": text(patterns::ein(), false),
                "legal_business_name": text(patterns::required_text(MAX_NAME), false),
                "representatives": representatives(),
                "website": website(),
                "dob": nothing(), "ssn": nothing(),
            },
        })
    };
    let mut schema = common();
    schema["required"] = json!(["type", "name", "email", "phone", "device"]);
    schema["properties"]["type"] = json!({"type": "string", "enum": [customer_type]});
    schema["properties"]["status"] = json!({
        "type": "null",
        "description": "Set by screening and review; it cannot be given on create.",
    });
    schema["properties"]["compliance_profile"] = json!({"anyOf": [profile, nothing()]});
    schema
}

fn update(dob: &str) -> Value {
    let masked = |pattern: String, mask: &str| {
        let core = pattern
            .trim_start_matches('^')
            .trim_end_matches('$')
            .to_owned();
        format!("^(?:{core})$|{}", patterns::trimmed(mask))
    };
    let mut schema = common();
    schema["description"] = json!(
        "The body of PUT /v1/customers/{id}. A member left out keeps its stored value, `null` clears it \
         (`name`, `email`, `phone` and `device` cannot be cleared), and inside `compliance_profile` each \
         member follows the rule on its own. A masked value as reads return it (`***-**-****`, \
         `****-**-**`, `**-*******`) keeps the stored one, so a customer read and sent back changes \
         nothing. What depends on the stored customer (profile members of the other type, a member \
         missing from the merged profile, changing `type`, a status change other than `inactive` or \
         `pending`, moving a rejected customer) gets 409."
    );
    schema["properties"]["type"] = json!({
        "type": ["string", "null"], "enum": ["individual", "business", null],
        "description": "May repeat the stored type; it cannot change it (409).",
    });
    schema["properties"]["status"] = json!({
        "type": ["string", "null"],
        "enum": ["pending", "review", "verified", "inactive", "rejected", null],
        "description": "The customer's current status changes nothing, so a customer read and sent back \
            stays as it is; `inactive` deactivates; `pending` screens again. Any other change is a 409: \
            decisions go through PATCH /v1/customers/{id}/review, and a rejected customer moves only by \
            an admin's reopen.",
    });
    schema["properties"]["compliance_profile"] = json!({"anyOf": [{
        "type": "object",
        "description": "The members of the stored customer's type.",
        "properties": {
            "dob": text(masked(dob.to_owned(), MASKED_DOB), true),
            "ssn": text(masked(patterns::ssn(), MASKED_SSN), true),
            "ein": text(masked(patterns::ein(), MASKED_EIN), true),
            "legal_business_name": text(patterns::required_text(MAX_NAME), true),
            "representatives": representatives(),
            "website": website(),
        },
    }, nothing()]});
    schema
}

/// The members both bodies share, all optional here.
fn common() -> Value {
    json!({
        "type": "object",
        "properties": {
            "name": text(patterns::required_text(MAX_NAME), false),
            "email": email(false),
            "phone": text(patterns::phone(), false),
            "device": {
                "type": "object",
                "required": ["ip_address"],
                "properties": {"ip_address": text(patterns::ip_address(), false)},
            },
            "address": {"anyOf": [{"$ref": "#/components/schemas/AddressInput"}, nothing()]},
            "config": {"anyOf": [{"$ref": "#/components/schemas/ConfigInput"}, nothing()]},
            "external_id": {
                "type": ["string", "null"], "pattern": patterns::optional_text(MAX_EXTERNAL_ID),
                "description": "Your id for the customer, trimmed; unique among customers (409). Blank means none.",
            },
            "metadata": {
                "type": ["object", "null"],
                "maxProperties": MAX_METADATA,
                "propertyNames": {"minLength": 1, "maxLength": MAX_METADATA_KEY},
                "additionalProperties": {"type": "string", "maxLength": MAX_METADATA_VALUE},
            },
        },
    })
}

fn address() -> Value {
    json!({
        "type": "object",
        "required": ["address1", "city", "state", "zip"],
        "properties": {
            "address1": text(patterns::required_text(MAX_ADDRESS_LINE), false),
            "address2": text(patterns::optional_text(MAX_ADDRESS_LINE), true),
            "city": text(patterns::required_text(MAX_ADDRESS_LINE), false),
            "state": text(patterns::state(), false),
            "zip": text(patterns::zip(), false),
        },
    })
}

fn representative() -> Value {
    json!({
        "type": "object",
        "required": ["name"],
        "properties": {
            "name": text(patterns::required_text(MAX_NAME), false),
            "email": email(true),
            "phone": text(patterns::phone(), true),
        },
    })
}

fn representatives() -> Value {
    json!({
        "type": ["array", "null"],
        "maxItems": MAX_REPRESENTATIVES,
        "items": {"$ref": "#/components/schemas/RepresentativeInput"},
    })
}

fn config(mode: Mode) -> Value {
    let outcomes = match mode {
        Mode::Production => json!(["standard", null]),
        Mode::Sandbox => json!(["standard", "verified", "rejected", "review", null]),
    };
    json!({
        "type": "object",
        "properties": {
            "processing_method": {
                "type": ["string", "null"], "enum": ["inline", "background", "skip", null],
                "description": "When screening runs: before the answer (default), just after it, or not at all.",
            },
            "sandbox_outcome": {
                "type": ["string", "null"], "enum": outcomes,
                "description": "A forced outcome; other than `standard` only on a server started with --sandbox.",
            },
        },
    })
}

fn list_parameters(document: &mut Value) {
    let Some(parameters) = document
        .pointer_mut("/paths/~1v1~1customers/get/parameters")
        .and_then(Value::as_array_mut)
    else {
        return;
    };
    for parameter in parameters {
        let schema = match parameter["name"].as_str() {
            Some("name" | "email" | "external_id" | "search_text") => {
                json!({"type": "string", "maxLength": MAX_FILTER})
            }
            Some("created_from" | "created_to") => json!({"anyOf": [
                {"type": "string", "format": "date"},
                {"type": "string", "format": "date-time"},
            ]}),
            Some("page_number") => json!({"type": "integer", "minimum": 1, "maximum": u32::MAX}),
            Some("page_size") => json!({"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE}),
            Some("sort_by") => json!({
                "type": "string", "enum": ["name", "created_at", "score", "review_age"],
            }),
            Some("assignee") => {
                json!({"type": "string", "pattern": "^\\s*(me|none|key_[0-9a-f]{12})\\s*$"})
            }
            Some("sort_order") => json!({"type": "string", "enum": ["asc", "desc"]}),
            _ => continue,
        };
        parameter["schema"] = schema;
    }
}

fn audit_parameters(document: &mut Value) {
    let Some(parameters) = document
        .pointer_mut("/paths/~1v1~1audit~1export/get/parameters")
        .and_then(Value::as_array_mut)
    else {
        return;
    };
    for parameter in parameters {
        parameter["schema"] = match parameter["name"].as_str() {
            Some("from" | "to") => json!({"anyOf": [
                {"type": "string", "format": "date"},
                {"type": "string", "format": "date-time"},
            ]}),
            Some("format") => json!({"type": "string", "enum": ["ndjson", "csv"]}),
            _ => continue,
        };
    }
}

fn easyofac_parameters(document: &mut Value) {
    let parameters = json!({
        "api_key": {"type": "string", "minLength": 1, "description": "An analyst's or admin's API key"},
        "id": {"type": "string", "minLength": 1, "description": "Clearance's id, else the external_id"},
        "status": {"type": "string", "enum": ["safe", "unsafe", "exception"]},
    });
    if let Some(query) = document
        .pointer_mut("/paths/~1api~1updateCustomerStatus/get/parameters")
        .and_then(Value::as_array_mut)
    {
        for parameter in query.iter_mut().filter(|p| p["in"] == "query") {
            if let Some(schema) = parameter["name"].as_str().map(|n| parameters[n].clone()) {
                parameter["schema"] = schema;
                parameter["required"] = json!(true);
            }
        }
    }
    if let Some(form) = document.pointer_mut(
        "/paths/~1api~1updateCustomerStatus/post/requestBody/content/application~1x-www-form-urlencoded",
    ) {
        form["schema"] = json!({
            "type": "object",
            "required": ["api_key", "id", "status"],
            "properties": parameters,
        });
    }
}
