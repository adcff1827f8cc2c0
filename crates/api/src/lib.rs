//! Wire types of the Clearance API, shared by the server that writes them and the console and widget that
//! read them, so that a field renamed on one side fails to compile on the other.

mod compliance;
mod customer;
mod easyofac;
mod envelope;
mod error;
mod events;
#[cfg(feature = "screening")]
pub mod evidence;
mod health;
mod keys;
mod review;
mod watchlists;
mod webhooks;

pub use compliance::{
    CheckType, ComplianceCheck, ComplianceStatus, ComplianceStatusResponse, ComplianceSummary,
    NextAction, OnboardingStatus,
};
pub use customer::{
    Address, AddressRequest, ComplianceProfile, ComplianceProfileRequest, Config, Customer,
    CustomerRequest, CustomerStatus, CustomerSummary, CustomerType, Device, DeviceRequest,
    PageMeta, ProcessingMethod, Representative, SandboxOutcome, SortBy, SortOrder, StrongestMatch,
};
pub use easyofac::{EasyOfacCustomer, EasyOfacStatus, EasyOfacUpdate};
pub use envelope::{Envelope, ResponseMeta, ResponseType};
pub use error::{ErrorBody, ErrorEnvelope, ErrorItem};
pub use events::{AuditEvent, AuditRecord, EventAction, ListSnapshotRef};
pub use health::{Health, ListSnapshot};
pub use keys::ApiKeyInfo;
pub use review::{
    Approval, AssignRequest, Breakdown, Correlation, CustomerReview, Decision, FieldCheck,
    IdentityDetails, Kyc, KycValidations, ListUpdateMark, ListedEntity, MatchDecision,
    MatchDecisionRequest, MatchReview, PreviouslyCleared, ReopenRequest, ReviewDecision,
    ReviewRequest, TokenAlignment, WatchList, WatchListMatch,
};
pub use watchlists::{
    DeltaCounts, JobState, JobTrigger, ListEntry, ListJob, ListVersion, LoadCounts, RefreshOutcome,
    WatchlistCount, Watchlists,
};
pub use webhooks::{
    DeliveryState, Webhook, WebhookData, WebhookDelivery, WebhookEventType, WebhookMessage,
    WebhookRequest,
};
