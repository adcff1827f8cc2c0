//! GET /v1/compliance/status/{customerId}. The checks Clearance can judge from its own data:
//!
//! | check | required | passes when | suggestedAction when not |
//! |---|---|---|---|
//! | `KYC_DATA_PRESENT` | yes | the compliance profile is complete and valid (KYC decision `accept`) | `UPDATE_PROFILE` |
//! | `KYC_STARTED` | yes | the customer has been screened | `START_KYC` |
//! | `KYC_STATUS` | yes | the customer is `verified` | `WAIT` (pending, review), `CONTACT_SUPPORT` (rejected, inactive) |
//! | `REGISTRATION_ADDRESS` | no | an address is on file and valid | `UPDATE_PROFILE` |

use std::sync::Arc;

use axum::extract::{Path, State};
use clearance_api::{
    CheckType, ComplianceCheck, ComplianceStatus, ComplianceStatusResponse, ComplianceSummary,
    CustomerStatus, NextAction, OnboardingStatus,
};

use crate::app::AppState;
use crate::auth::{Caller, Permission};
use crate::customer::Record;
use crate::error::ApiError;
use crate::request;
use crate::routes::customers::load;
use crate::screen;

pub fn status_of(record: &Record) -> ComplianceStatus {
    let kyc = screen::kyc(record);
    let address_ok = kyc.validations.address == Some(true)
        && kyc.validations.state == Some(true)
        && kyc.validations.zip == Some(true);
    let status_action = match record.status {
        CustomerStatus::Verified => NextAction::None,
        CustomerStatus::Pending | CustomerStatus::Review => NextAction::Wait,
        CustomerStatus::Rejected | CustomerStatus::Inactive => NextAction::ContactSupport,
    };
    let checks: Vec<ComplianceCheck> = [
        (
            CheckType::KycDataPresent,
            true,
            kyc.decision == clearance_api::Decision::Accept,
            NextAction::UpdateProfile,
        ),
        (
            CheckType::KycStarted,
            true,
            record.review_id.is_some(),
            NextAction::StartKyc,
        ),
        (
            CheckType::KycStatus,
            true,
            record.status == CustomerStatus::Verified,
            status_action,
        ),
        (
            CheckType::RegistrationAddress,
            false,
            address_ok,
            NextAction::UpdateProfile,
        ),
    ]
    .into_iter()
    .map(|(check_type, required, passed, action)| ComplianceCheck {
        check_type,
        passed,
        required,
        suggested_action: (!passed).then_some(action),
    })
    .collect();
    let required_failed: Vec<CheckType> = checks
        .iter()
        .filter(|c| c.required && !c.passed)
        .map(|c| c.check_type)
        .collect();
    let passed = checks.iter().filter(|c| c.passed).count() as u32;
    ComplianceStatus {
        is_compliant: required_failed.is_empty(),
        onboarding_status: Some(match record.status {
            CustomerStatus::Pending => OnboardingStatus::Pending,
            CustomerStatus::Review => OnboardingStatus::Processing,
            CustomerStatus::Verified => OnboardingStatus::Approved,
            CustomerStatus::Rejected => OnboardingStatus::DeniedCompliance,
            CustomerStatus::Inactive => OnboardingStatus::Expired,
        }),
        next_action: Some(
            checks
                .iter()
                .find(|c| c.required && !c.passed)
                .and_then(|c| c.suggested_action)
                .unwrap_or(NextAction::None),
        ),
        summary: ComplianceSummary {
            passed,
            failed: checks.len() as u32 - passed,
            required_failed,
        },
        checks,
    }
}

/// GET /v1/compliance/status/{customerId}
#[utoipa::path(get, path = "/v1/compliance/status/{customerId}", tag = "compliance",
    params(("customerId" = String, Path, description = "Customer id")),
    responses((status = 200, body = ComplianceStatusResponse), (status = 404, body = clearance_api::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn get(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<axum::Json<ComplianceStatusResponse>, ApiError> {
    caller.require(Permission::Read)?;
    let record = load(&state, id).await?;
    Ok(axum::Json(ComplianceStatusResponse {
        message: "Compliance status retrieved successfully".into(),
        data: status_of(&record),
        trace_id: request::current().api_request_id,
    }))
}
