//! The review screen: the customer beside each watchlist match with the evidence, the KYC checks, each
//! match's decision, the four-eyes state, and the customer's decision. Keys, while the review panel has
//! focus (and not while typing the note): j / k next and previous match, d dismiss and c confirm the
//! match shown, v verify, r reject. Each has a button too.

use clearance_api::{
    ComplianceProfile, CustomerReview, CustomerStatus, MatchDecision, MatchDecisionRequest,
    ReviewRequest,
};
use leptos::ev::KeyboardEvent;
use leptos::html;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::error_notice::ErrorNotice;
use crate::components::evidence::{CustomerFacts, EvidenceView};
use crate::components::keys::typed;
use crate::components::kyc_table::KycTable;
use crate::components::match_list::{MatchList, match_state};
use crate::components::status::StatusBadge;
use crate::components::text::{address_line, local_time};
use crate::infra::session::use_session;
use crate::pages::use_customer_id;

/// What the analyst asked for.
#[derive(Clone, Debug, PartialEq)]
pub enum ReviewAction {
    Decide {
        status: CustomerStatus,
        note: String,
    },
    /// One match dismissed or confirmed.
    Match {
        match_id: String,
        decision: MatchDecision,
        note: String,
    },
    Refresh,
}

/// The review of one customer, with its actions. Pure over its input, so tests drive it with data.
#[component]
pub fn ReviewPanel(
    review: CustomerReview,
    on_action: Callback<ReviewAction>,
    /// Which match is shown: the page keeps it, so the analyst stays on it when the review is read again
    /// after a decision.
    #[prop(optional)]
    selected: Option<RwSignal<usize>>,
    /// Whether the panel takes the keyboard focus when it appears: after a decision, the panel read again
    /// replaces the one that had it.
    #[prop(optional)]
    focus: bool,
) -> impl IntoView {
    let customer = review.customer_details;
    let details = review.identity_details;
    let matches = details
        .as_ref()
        .map(|d| d.watch_list.matches.clone())
        .unwrap_or_default();
    let count = matches.len();
    let selected = selected.unwrap_or_else(|| RwSignal::new(0));
    if selected.get_untracked() >= count {
        selected.set(0);
    }
    let panel = NodeRef::<html::Section>::new();
    Effect::new(move || {
        if let Some(el) = panel.get()
            && focus
        {
            el.focus().ok();
        }
    });
    let note = RwSignal::new(String::new());
    let note_error = RwSignal::new(None::<&'static str>);
    let note_ref = NodeRef::<html::Textarea>::new();
    let in_review = customer.status == CustomerStatus::Review;
    let awaiting = details.as_ref().and_then(|d| d.awaiting_approval.clone());
    // Match decisions freeze while a four-eyes approval is half made.
    let matches_open = in_review && awaiting.is_none();
    let facts = CustomerFacts {
        kind: customer.customer_type.as_str().to_owned(),
        date_of_birth: match &customer.compliance_profile {
            Some(ComplianceProfile::Individual { dob, .. }) => dob.clone(),
            _ => "not given".to_owned(),
        },
        address: address_line(customer.address.as_ref()),
    };
    // Every decision needs a note: the audit log and an examiner read why.
    let with_note = move |act: &dyn Fn(String)| {
        let text = note.get_untracked();
        if text.trim().is_empty() {
            note_error.set(Some("Write a note saying why before you decide."));
            if let Some(el) = note_ref.get_untracked() {
                el.focus().ok();
            }
            return;
        }
        note_error.set(None);
        act(text.trim().to_owned());
    };
    let decide = move |status: CustomerStatus| {
        with_note(&|note| on_action.run(ReviewAction::Decide { status, note }));
    };
    let ids: Vec<Option<String>> = matches.iter().map(|m| m.match_id.clone()).collect();
    let open: Vec<bool> = matches
        .iter()
        .map(|m| m.decision.is_none() && m.previously_cleared.is_none())
        .collect();
    let ids = StoredValue::new(ids);
    let open = StoredValue::new(open);
    let open_at =
        move |i: usize| matches_open && open.with_value(|o| o.get(i).copied().unwrap_or(false));
    let current_open = move || open_at(selected.get());
    let decide_match = move |decision: MatchDecision| {
        let at = selected.get_untracked();
        let Some(match_id) = ids.with_value(|ids| ids.get(at).cloned().flatten()) else {
            return;
        };
        if !open_at(at) {
            return;
        }
        with_note(&|note| {
            on_action.run(ReviewAction::Match {
                match_id: match_id.clone(),
                decision,
                note,
            })
        });
    };
    let keydown = move |ev: KeyboardEvent| {
        if typed(&ev) {
            return;
        }
        match ev.key().as_str() {
            "j" if count > 0 => selected.update(|i| *i = (*i + 1).min(count - 1)),
            "k" => selected.update(|i| *i = i.saturating_sub(1)),
            "d" if count > 0 => decide_match(MatchDecision::Dismissed),
            "c" if count > 0 => decide_match(MatchDecision::Confirmed),
            "v" if in_review => decide(CustomerStatus::Verified),
            "r" if in_review => decide(CustomerStatus::Rejected),
            _ => return,
        }
        ev.prevent_default();
    };
    let shown = matches.clone();
    let facts_for_view = facts.clone();
    let current = move || {
        let i = selected.get();
        shown.get(i).cloned().map(|m| {
            let state = match_state(&m);
            view! {
                <p class="match-state" data-testid="current-match-state"><bdi>{state}</bdi></p>
                <EvidenceView m customer_facts=facts_for_view.clone() />
            }
        })
    };
    let kyc = details.as_ref().map(|d| d.kyc.clone());
    let decision = details.as_ref().and_then(|d| d.review_decision.clone());
    let list_update = details.as_ref().and_then(|d| {
        d.list_update.as_ref().map(|mark| {
            let date = mark
                .list_date
                .clone()
                .unwrap_or_else(|| "undated".to_owned());
            let message = d.messages.get("list_update").cloned().unwrap_or_default();
            (date, message)
        })
    });
    view! {
        <section
            class="review-panel"
            tabindex="0"
            aria-label="Review panel: j and k move between matches, d dismisses and c confirms the match shown, v verifies, r rejects"
            data-testid="review-panel"
            node_ref=panel
            on:keydown=keydown
        >
            <div class="review-head">
                <h2><bdi>{customer.name.clone()}</bdi></h2>
                <StatusBadge status=customer.status />
                <A href=format!("/customers/{}", customer.id)>"Customer and history"</A>
            </div>
            {list_update.map(|(date, message)| view! {
                <p class="list-update" data-testid="list-update-mark" title=message>
                    {format!("List update {date}")}
                </p>
            })}
            {awaiting.map(|a| view! {
                <p class="four-eyes" role="status" data-testid="four-eyes">
                    <strong>"Awaiting second approval: "</strong>
                    {format!("{} by {} at {}", a.status.as_str(), a.decided_by, local_time(&a.decided_at))}
                    {a.note.map(|n| format!(": {n}"))}
                    ". A second analyst making the same decision completes it; a different one sends it back."
                </p>
            })}
            {decision.map(|d| view! {
                <p class="decided" role="status">
                    {format!("Decided {} by {} at {}", d.status.as_str(), d.decided_by, local_time(&d.decided_at))}
                    {d.note.map(|n| format!(": {n}"))}
                    {d.first_approval.map(|f| format!(" (first approval: {} by {})", f.status.as_str(), f.decided_by))}
                </p>
            })}
            {kyc.map(|kyc| view! { <KycTable kyc /> })}
            {if count == 0 {
                view! { <p class="empty">"No watchlist match at or above the threshold."</p> }.into_any()
            } else {
                view! {
                    <MatchList matches=matches.clone() selected />
                    <nav class="match-nav" aria-label="Matches">
                        <button type="button" on:click=move |_| selected.update(|i| *i = i.saturating_sub(1))
                            disabled=move || { selected.get() == 0 }>"← Previous match (k)"</button>
                        <span data-testid="match-position" aria-live="polite">
                            {move || format!("Match {} of {count}", selected.get() + 1)}
                        </span>
                        <button type="button" on:click=move |_| selected.update(|i| *i = (*i + 1).min(count - 1))
                            disabled=move || { selected.get() + 1 >= count }>"Next match (j) →"</button>
                    </nav>
                    {current}
                }.into_any()
            }}
            <div class="actions">
                <label for="decision-note">"Note (required to decide)"</label>
                <textarea
                    id="decision-note"
                    node_ref=note_ref
                    aria-describedby="decision-note-error"
                    prop:value=move || note.get()
                    on:input=move |ev| note.set(event_target_value(&ev))
                ></textarea>
                <p id="decision-note-error" class="field-error" role="alert">{move || note_error.get()}</p>
                {(count > 0).then(|| view! {
                    <button type="button" disabled=move || !current_open() on:click=move |_| decide_match(MatchDecision::Dismissed)>
                        "Dismiss this match (d)"
                    </button>
                    <button type="button" disabled=move || !current_open() on:click=move |_| decide_match(MatchDecision::Confirmed)>
                        "Confirm this match (c)"
                    </button>
                })}
                <button type="button" disabled=!in_review on:click=move |_| decide(CustomerStatus::Verified)>
                    "Verify (v)"
                </button>
                <button type="button" disabled=!in_review on:click=move |_| decide(CustomerStatus::Rejected)>
                    "Reject (r)"
                </button>
                <button type="button" on:click=move |_| on_action.run(ReviewAction::Refresh)>
                    "Refresh review"
                </button>
            </div>
        </section>
    }
}

#[component]
pub fn ReviewPage() -> impl IntoView {
    let session = use_session();
    let id = use_customer_id();
    let reload = RwSignal::new(0u32);
    let review = LocalResource::new(move || {
        let client = session.client();
        let id = id.get();
        reload.track();
        async move { client.review(&id).await }
    });
    let selected = RwSignal::new(0usize);
    // Another customer's review starts at its first match.
    Effect::new(move |_| {
        id.track();
        selected.set(0);
    });
    let outcome = RwSignal::new(None::<Result<String, String>>);
    let act = Action::new_local(
        move |(action, review_id): &(ReviewAction, Option<String>)| {
            let client = session.client();
            let id = id.get_untracked();
            let (action, review_id) = (action.clone(), review_id.clone());
            async move {
                let result = match action {
                    ReviewAction::Decide { status, note } => client
                        .decide(
                            &id,
                            &ReviewRequest {
                                status,
                                note: Some(note),
                                review_id,
                            },
                        )
                        .await
                        .map(|c| match c.status {
                            CustomerStatus::Review => {
                                "Recorded: the decision is awaiting a second analyst's approval."
                                    .to_owned()
                            }
                            status => format!("Saved: the customer is now {}.", status.as_str()),
                        }),
                    ReviewAction::Match {
                        match_id,
                        decision,
                        note,
                    } => client
                        .decide_match(
                            &id,
                            &match_id,
                            &MatchDecisionRequest {
                                decision,
                                note: Some(note),
                            },
                        )
                        .await
                        .map(|_| format!("Saved: the match is {}.", decision.as_str())),
                    ReviewAction::Refresh => client
                        .refresh_review(&id)
                        .await
                        .map(|c| format!("Re-screened: the customer is {}.", c.status.as_str())),
                };
                outcome.set(Some(result.map_err(|e| e.to_string())));
                reload.update(|n| *n += 1);
            }
        },
    );
    view! {
        <section class="review-page">
            {move || outcome.get().map(|o| match o {
                Ok(message) => view! { <p class="notice" role="status" data-testid="outcome">{message}</p> }.into_any(),
                Err(message) => view! { <p class="error" role="alert" data-testid="outcome">{message}</p> }.into_any(),
            })}
            <Transition fallback=|| view! { <p class="loading" role="status">"Loading the review…"</p> }>
                <ErrorBoundary fallback=|errors| view! { <ErrorNotice errors /> }>
                    {move || Suspend::new(async move {
                        review.await.map(|review| {
                            let review_id = review.identity_details.as_ref().map(|d| d.review_id.clone());
                            let on_action = Callback::new(move |action: ReviewAction| {
                                act.dispatch((action, review_id.clone()));
                            });
                            let focus = reload.get_untracked() > 0;
                            view! { <ReviewPanel review on_action selected focus /> }
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}
