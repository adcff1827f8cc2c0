//! GET /v1/compliance/status/{customerId}. The checks Clearance can judge from its own data:
//!
//! | check | required | passes when | suggestedAction when not |
//! |---|---|---|---|
//! | `KYC_DATA_PRESENT` | yes | the compliance profile is complete and valid (KYC decision `accept`) | `UPDATE_PROFILE` |
//! | `KYC_STARTED` | yes | the customer has been screened | `START_KYC` |
//! | `KYC_STATUS` | yes | the customer is `verified` | `WAIT` (pending, review), `CONTACT_SUPPORT` (rejected, inactive) |
//! | `REGISTRATION_ADDRESS` | no | an address is on file and valid | `UPDATE_PROFILE` |

use clearance_api::{
    CheckType, ComplianceCheck, ComplianceStatus, ComplianceSummary, CustomerStatus, NextAction,
    OnboardingStatus,
};

use crate::domain::customer::Record;
use crate::domain::screening;
use crate::service::{DomainError, customers};
use crate::state::AppState;

/// The compliance status of the customer `id`.
pub async fn get(state: &AppState, id: String) -> Result<ComplianceStatus, DomainError> {
    Ok(status_of(&customers::get(state, id).await?))
}

fn status_of(record: &Record) -> ComplianceStatus {
    let kyc = screening::kyc(record);
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
