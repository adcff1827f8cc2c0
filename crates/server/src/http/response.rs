//! Every response leaves in Straddle's envelope, with the current request's id, so a client can quote the
//! id to support and an operator can find the request in the logs.

use axum::Json;
use clearance_api::{Envelope, ResponseMeta, ResponseType};

use crate::http::request;

pub fn envelope<T>(data: T, meta: ResponseMeta) -> Envelope<T> {
    Envelope {
        data,
        meta,
        response_type: ResponseType::Object,
    }
}

pub fn object<T>(data: T) -> Json<Envelope<T>> {
    Json(envelope(data, request::meta()))
}

pub fn array<T>(data: Vec<T>) -> Json<Envelope<Vec<T>>> {
    Json(Envelope {
        data,
        meta: request::meta(),
        response_type: ResponseType::Array,
    })
}
