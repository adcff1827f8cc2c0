use serde::{Deserialize, Serialize};

/// Straddle wraps every response in `{data, meta, response_type}`; Clearance does the same so that
/// Straddle's client libraries read our responses unchanged.
/// A paged list carries its paging in `meta`, hence the meta type parameter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Envelope<T, M = ResponseMeta> {
    pub data: T,
    pub meta: M,
    pub response_type: ResponseType,
}

/// Identifies the request in logs and support tickets without carrying any customer data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResponseMeta {
    pub api_request_id: String,
    /// RFC 3339, UTC.
    pub api_request_timestamp: String,
}

/// Straddle's discriminator: clients branch on it before they look at `data`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ResponseType {
    Object,
    Array,
    Error,
    None,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_in_straddle_shape() {
        let envelope = Envelope {
            data: 7,
            meta: ResponseMeta {
                api_request_id: "req-1".into(),
                api_request_timestamp: "2026-11-21T00:00:00Z".into(),
            },
            response_type: ResponseType::Object,
        };
        let json = serde_json::to_value(&envelope).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "data": 7,
                "meta": {"api_request_id": "req-1", "api_request_timestamp": "2026-11-21T00:00:00Z"},
                "response_type": "object"
            })
        );
    }
}
