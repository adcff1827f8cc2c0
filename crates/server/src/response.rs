//! Every response leaves in Straddle's envelope with a fresh request id, so a client can quote the id to
//! support and an operator can find the request in the logs.

use axum::Json;
use clearance_api::{Envelope, ResponseMeta, ResponseType};

pub fn object<T>(data: T) -> Json<Envelope<T>> {
    Json(Envelope {
        data,
        meta: ResponseMeta {
            api_request_id: uuid::Uuid::new_v4().to_string(),
            api_request_timestamp: chrono::Utc::now()
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        },
        response_type: ResponseType::Object,
    })
}
