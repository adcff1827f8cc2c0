//! The customer list's state, all of it in the URL's query so back, forward, reload and a shared link
//! show the same page. The same string is the API's query: the console's URL parameters are Straddle's.

use clearance_api::{CustomerStatus, CustomerType};
use leptos_router::params::ParamsMap;

pub const PAGE_SIZES: [u32; 4] = [25, 50, 100, 250];
const DEFAULT_PAGE_SIZE: u32 = 50;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListQuery {
    pub status: Option<CustomerStatus>,
    pub customer_type: Option<CustomerType>,
    pub name: String,
    pub email: String,
    pub external_id: String,
    pub created_from: String,
    pub created_to: String,
    pub search_text: String,
    /// `me`, `none` or a key id; empty is anyone's.
    pub assignee: String,
    /// `name`, `created_at`, `score` or `review_age`; empty is the server's default (created_at).
    pub sort_by: String,
    /// `asc` or `desc`; empty is the server's default (desc).
    pub sort_order: String,
    pub page_number: u32,
    pub page_size: u32,
}

impl ListQuery {
    pub fn from_params(params: &ParamsMap) -> Self {
        let text = |key: &str| params.get(key).unwrap_or_default();
        Self {
            status: params.get("status").and_then(|s| CustomerStatus::parse(&s)),
            customer_type: params.get("types").and_then(|t| CustomerType::parse(&t)),
            name: text("name"),
            email: text("email"),
            external_id: text("external_id"),
            created_from: text("created_from"),
            created_to: text("created_to"),
            search_text: text("search_text"),
            assignee: text("assignee"),
            sort_by: text("sort_by"),
            sort_order: text("sort_order"),
            page_number: params
                .get("page_number")
                .and_then(|p| p.parse().ok())
                .filter(|p| *p >= 1)
                .unwrap_or(1),
            page_size: params
                .get("page_size")
                .and_then(|p| p.parse().ok())
                .filter(|p| PAGE_SIZES.contains(p))
                .unwrap_or(DEFAULT_PAGE_SIZE),
        }
    }

    /// The review queue: customers in review, strongest match first.
    pub fn queue() -> Self {
        Self {
            status: Some(CustomerStatus::Review),
            sort_by: "score".into(),
            sort_order: "desc".into(),
            ..Self::default()
        }
    }

    /// The query string, for both the console's URL and the API.
    pub fn to_query(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if let Some(status) = self.status {
            pairs.push(("status", status.as_str().to_owned()));
        }
        if let Some(t) = self.customer_type {
            pairs.push(("types", t.as_str().to_owned()));
        }
        for (key, value) in [
            ("name", &self.name),
            ("email", &self.email),
            ("external_id", &self.external_id),
            ("created_from", &self.created_from),
            ("created_to", &self.created_to),
            ("search_text", &self.search_text),
            ("assignee", &self.assignee),
            ("sort_by", &self.sort_by),
            ("sort_order", &self.sort_order),
        ] {
            if !value.trim().is_empty() {
                pairs.push((key, value.trim().to_owned()));
            }
        }
        if self.page_number > 1 {
            pairs.push(("page_number", self.page_number.to_string()));
        }
        let size = if self.page_size == 0 {
            DEFAULT_PAGE_SIZE
        } else {
            self.page_size
        };
        pairs.push(("page_size", size.to_string()));
        pairs
            .into_iter()
            .map(|(k, v)| format!("{k}={}", encode(&v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The same filters with the sort set, back on page 1. A second click on the sorted column reverses it.
    pub fn sorted_by(&self, column: &str) -> Self {
        let same_column = self.effective_sort() == column;
        let order = match (same_column, self.effective_order()) {
            (true, "asc") => "desc",
            (true, _) => "asc",
            // A new column starts in its natural order: names A to Z, dates newest first, the strongest
            // match and the longest wait first.
            (false, _) if column == "name" => "asc",
            (false, _) => "desc",
        };
        Self {
            sort_by: column.to_owned(),
            sort_order: order.to_owned(),
            page_number: 1,
            ..self.clone()
        }
    }

    pub fn effective_sort(&self) -> &str {
        if self.sort_by.is_empty() {
            "created_at"
        } else {
            &self.sort_by
        }
    }

    pub fn effective_order(&self) -> &str {
        if self.sort_order.is_empty() {
            "desc"
        } else {
            &self.sort_order
        }
    }

    /// `aria-sort` for a column header.
    pub fn aria_sort(&self, column: &str) -> &'static str {
        match (self.effective_sort() == column, self.effective_order()) {
            (false, _) => "none",
            (true, "asc") => "ascending",
            (true, _) => "descending",
        }
    }
}

/// Percent-encodes a query value (everything but unreserved characters, as UTF-8 bytes).
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_is_percent_encoded_straddle_parameters() {
        let query = ListQuery {
            status: Some(CustomerStatus::Review),
            name: "José & Co".into(),
            sort_by: "name".into(),
            sort_order: "asc".into(),
            page_number: 3,
            page_size: 25,
            ..ListQuery::default()
        };
        let text = query.to_query();
        assert_eq!(
            text,
            "status=review&name=Jos%C3%A9%20%26%20Co&sort_by=name&sort_order=asc&page_number=3&page_size=25"
        );
    }

    #[test]
    fn sorting_a_column_twice_reverses_it() {
        let by_name = ListQuery::default().sorted_by("name");
        assert_eq!(
            (by_name.sort_by.as_str(), by_name.sort_order.as_str()),
            ("name", "asc")
        );
        assert_eq!(by_name.aria_sort("name"), "ascending");
        assert_eq!(by_name.aria_sort("created_at"), "none");
        let reversed = by_name.sorted_by("name");
        assert_eq!(reversed.sort_order, "desc");
    }
}
