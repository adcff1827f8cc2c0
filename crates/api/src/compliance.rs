//! GET /v1/compliance/status/{customerId}: an actionable summary of where a customer stands, in the shape
//! of the compliance-status reference (camelCase, its own `{message, data, traceId}` wrapper).

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ComplianceStatusResponse {
    pub message: String,
    pub data: ComplianceStatus,
    pub trace_id: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ComplianceStatus {
    pub is_compliant: bool,
    pub onboarding_status: Option<OnboardingStatus>,
    pub next_action: Option<NextAction>,
    pub checks: Vec<ComplianceCheck>,
    pub summary: ComplianceSummary,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum OnboardingStatus {
    Pending,
    Processing,
    Approved,
    DeniedCompliance,
    DeniedIdentityTheft,
    Expired,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum NextAction {
    None,
    StartKyc,
    CompleteSdkFlow,
    UploadDocument,
    UpdateProfile,
    RerunKyc,
    Wait,
    ContactSupport,
}

/// The check types Clearance can judge from its own data; the reference's document and SDK checks need
/// data Clearance does not collect, so they are never reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CheckType {
    KycDataPresent,
    KycStarted,
    KycStatus,
    RegistrationAddress,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ComplianceCheck {
    #[serde(rename = "type")]
    pub check_type: CheckType,
    pub passed: bool,
    pub required: bool,
    /// Present only when the check failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggested_action: Option<NextAction>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ComplianceSummary {
    pub passed: u32,
    pub failed: u32,
    pub required_failed: Vec<CheckType>,
}
