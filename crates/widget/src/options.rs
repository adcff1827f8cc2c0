//! What a host page passes to `mount` (or as the element's attributes), checked before anything is shown:
//! a wrong or misspelt option is a clear error naming it, never a silent default.

use serde::Deserialize;

/// The kind of customer the form onboards.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CustomerType {
    #[default]
    Individual,
    Business,
}

/// Colours, font and corner radius, as CSS values the frame sets as custom properties.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Theme {
    pub accent: Option<String>,
    pub background: Option<String>,
    pub text: Option<String>,
    pub font: Option<String>,
    pub radius: Option<String>,
}

/// The mount options, in the names the README documents. The callbacks (`onComplete`, `onError`) stay in
/// the loader script; everything else crosses into Rust here.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Options {
    /// The Clearance server, as an origin: `https://clearance.example`.
    pub endpoint: String,
    /// A `pk_` key made for the host page's origin.
    pub publishable_key: String,
    #[serde(default)]
    pub customer_type: CustomerType,
    #[serde(default)]
    pub theme: Theme,
}

/// Why options were refused, in words for the integrating developer.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("clearance-onboarding: {0}")]
pub struct OptionsError(pub String);

impl Theme {
    /// Each setting by its option name, so checking, passing on and applying the theme walk one list.
    pub fn values(&self) -> [(&'static str, Option<&str>); 5] {
        [
            ("accent", self.accent.as_deref()),
            ("background", self.background.as_deref()),
            ("text", self.text.as_deref()),
            ("font", self.font.as_deref()),
            ("radius", self.radius.as_deref()),
        ]
    }
}

/// Whether `text` is a web origin: `http` or `https`, a host and an optional port, nothing after.
pub fn is_origin(text: &str) -> bool {
    ["https://", "http://"]
        .iter()
        .find_map(|scheme| text.strip_prefix(scheme))
        .is_some_and(|rest| !rest.is_empty() && !rest.contains(['/', '?', '#', '@', ' ']))
}

impl Options {
    /// Checks what serde cannot: the endpoint is an http(s) origin, the key is publishable, and each theme
    /// value is a plain CSS value that cannot break out of its declaration.
    pub fn checked(mut self) -> Result<Self, OptionsError> {
        let endpoint = self.endpoint.trim().trim_end_matches('/').to_owned();
        if !is_origin(&endpoint) {
            return Err(OptionsError(format!(
                "endpoint must be the Clearance server's origin, such as https://clearance.example (got {endpoint:?})"
            )));
        }
        self.endpoint = endpoint;
        if !self.publishable_key.starts_with("pk_") {
            return Err(OptionsError(
                "publishable-key must be a publishable key (pk_...): never put a staff key in a web page"
                    .into(),
            ));
        }
        for (name, value) in self.theme.values() {
            if let Some(value) = value
                && (value.len() > 100
                    || value.chars().any(|c| {
                        matches!(c, ';' | '{' | '}' | '<' | '>' | '\\' | '"') || c.is_control()
                    }))
            {
                return Err(OptionsError(format!(
                    "theme.{name} must be a plain CSS value such as #0b5fff or 8px"
                )));
            }
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(json: serde_json::Value) -> Result<Options, String> {
        serde_json::from_value::<Options>(json)
            .map_err(|e| e.to_string())
            .and_then(|o| o.checked().map_err(|e| e.to_string()))
    }

    #[test]
    fn good_options_are_normalised() {
        let checked = options(serde_json::json!({
            "endpoint": "https://clearance.example/",
            "publishableKey": "pk_abc",
            "customerType": "business",
            "theme": {"accent": "#0b5fff", "radius": "8px"},
        }))
        .unwrap();
        assert_eq!(checked.endpoint, "https://clearance.example");
        assert_eq!(checked.customer_type, CustomerType::Business);
    }

    #[test]
    fn wrong_options_say_what_is_wrong() {
        let misspelt = options(serde_json::json!({
            "endpoint": "https://c.example", "publishableKey": "pk_a", "customer_type": "business",
        }))
        .unwrap_err();
        assert!(misspelt.contains("customer_type"), "{misspelt}");
        let staff = options(
            serde_json::json!({"endpoint": "https://c.example", "publishableKey": "clr_x"}),
        )
        .unwrap_err();
        assert!(staff.contains("pk_"), "{staff}");
        let path = options(
            serde_json::json!({"endpoint": "https://c.example/api", "publishableKey": "pk_a"}),
        )
        .unwrap_err();
        assert!(path.contains("origin"), "{path}");
        let css = options(serde_json::json!({
            "endpoint": "https://c.example", "publishableKey": "pk_a", "theme": {"accent": "red;}body{display:none"},
        }))
        .unwrap_err();
        assert!(css.contains("theme.accent"), "{css}");
        let kind = options(serde_json::json!({
            "endpoint": "https://c.example", "publishableKey": "pk_a", "customerType": "trust",
        }))
        .unwrap_err();
        assert!(kind.contains("trust") || kind.contains("variant"), "{kind}");
    }
}
