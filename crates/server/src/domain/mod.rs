//! What the server is about, free of HTTP and SQL: the stored customer and its masking, who may act and
//! who did, screening a customer, and the rules a customer request must meet.

pub mod actor;
pub mod customer;
pub mod origin;
pub mod roles;
pub mod screening;
pub mod update;
pub mod validate;
