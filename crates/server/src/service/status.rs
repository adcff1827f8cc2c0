//! The customer status machine, in one place so every path that changes a status (create, update, refresh,
//! review decisions, EasyOFAC updates) follows the same rules:
//!
//! - screening with no match at or above the threshold makes a customer `verified`; any match puts it in
//!   `review`;
//! - only a person's decision moves a customer out of `review`, to `verified` or `rejected`: a re-screen
//!   that no longer finds a match leaves it in `review` for an analyst to clear;
//! - re-screening never overrides a human: a `rejected` or `inactive` customer keeps its status (the new
//!   screening is still recorded), and `rejected` is left only by an admin's audited reopen;
//! - a sandbox's forced outcome replaces the screening's (sandbox servers only).

use clearance_api::{Config, CustomerStatus, ProcessingMethod, SandboxOutcome};

use crate::domain::customer::Record;
use crate::domain::screening::Screening;

/// The status a screening leads to, before any human decision.
pub fn screened_status(screening: &Screening, config: Option<&Config>) -> CustomerStatus {
    match config.and_then(|c| c.sandbox_outcome) {
        Some(SandboxOutcome::Verified) => CustomerStatus::Verified,
        Some(SandboxOutcome::Rejected) => CustomerStatus::Rejected,
        Some(SandboxOutcome::Review) => CustomerStatus::Review,
        Some(SandboxOutcome::Standard) | None => {
            if screening.is_hit() {
                CustomerStatus::Review
            } else {
                CustomerStatus::Verified
            }
        }
    }
}

/// The status after re-screening a customer that already has one.
pub fn rescreened_status(
    current: CustomerStatus,
    screening: &Screening,
    config: Option<&Config>,
) -> CustomerStatus {
    match current {
        CustomerStatus::Rejected | CustomerStatus::Inactive | CustomerStatus::Review => current,
        CustomerStatus::Pending | CustomerStatus::Verified => screened_status(screening, config),
    }
}

/// How the customer asked to be screened; Straddle's default is now, before answering.
pub fn processing_method(config: Option<&Config>) -> ProcessingMethod {
    config.and_then(|c| c.processing_method).unwrap_or_default()
}

/// Points the record at a screening and sets the status `decide` picks. The caller stores both.
pub fn attach(
    record: &mut Record,
    screening: &Screening,
    decide: impl FnOnce(&Screening) -> CustomerStatus,
) {
    record.review_id = Some(screening.review_id.clone());
    record.top_score = screening.top_score();
    record.top_match = screening.strongest_match();
    record.status = decide(screening);
}

#[cfg(test)]
mod tests {
    use super::*;
    use clearance_api::{Decision, WatchList};

    fn screening(hit: bool) -> Screening {
        Screening {
            review_id: "r".into(),
            created_at: "t".into(),
            watch_list: WatchList {
                codes: vec![],
                decision: if hit {
                    Decision::Review
                } else {
                    Decision::Accept
                },
                matched: vec![],
                matches: vec![],
                list_version: "v".into(),
                threshold: 0.82,
                screened_names: vec![],
            },
        }
    }

    #[test]
    fn a_hit_goes_to_review_and_a_clear_result_verifies() {
        assert_eq!(
            screened_status(&screening(true), None),
            CustomerStatus::Review
        );
        assert_eq!(
            screened_status(&screening(false), None),
            CustomerStatus::Verified
        );
    }

    #[test]
    fn rescreening_never_overrides_a_rejection_a_deactivation_or_a_review() {
        for status in [
            CustomerStatus::Rejected,
            CustomerStatus::Inactive,
            CustomerStatus::Review,
        ] {
            assert_eq!(rescreened_status(status, &screening(false), None), status);
        }
        assert_eq!(
            rescreened_status(CustomerStatus::Verified, &screening(true), None),
            CustomerStatus::Review
        );
    }

    #[test]
    fn a_sandbox_outcome_wins() {
        let config = Config {
            processing_method: None,
            sandbox_outcome: Some(SandboxOutcome::Rejected),
        };
        assert_eq!(
            screened_status(&screening(false), Some(&config)),
            CustomerStatus::Rejected
        );
    }
}
