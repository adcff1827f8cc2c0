//! The HTTP edge: who is calling, request context and bodies, errors and envelopes, rate limits, and the
//! OpenAPI document. Routes use these; services never do.

pub mod auth;
pub mod cors;
pub mod error;
pub mod headers;
pub mod idempotency;
pub mod listener;
pub mod openapi;
pub mod ratelimit;
pub mod request;
pub mod response;
