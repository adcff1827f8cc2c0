//! EasyOFAC's vocabulary (safe, unsafe, inspect, exception) as a view over Clearance's customer state, for
//! integrations written against EasyOFAC. The mapping is in the README.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EasyOfacStatus {
    Safe,
    Unsafe,
    Inspect,
    Exception,
}

/// EasyOFAC's customer object.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EasyOfacCustomer {
    /// The id the caller refers to the customer by: its external_id when it has one, else Clearance's id.
    pub id: String,
    pub customer_datetime: String,
    pub customer_status: EasyOfacStatus,
    /// 1 when the customer's KYC data is complete and valid, else 0.
    pub customer_kyc: u8,
}

/// The body of POST /v1/easyofac/updateCustomerStatus.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EasyOfacUpdate {
    /// The external_id or Clearance id.
    pub id: String,
    /// `safe`, `unsafe` or `exception`.
    pub status: EasyOfacStatus,
}
