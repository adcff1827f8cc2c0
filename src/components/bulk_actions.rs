//! What an analyst does to several queue rows at once: assign them to themself or unassign them, or
//! dismiss one listed party that is a false positive for each of them, with the note every dismissal
//! needs. Each customer is one call of the API, so each gets the same checks as a single action; the
//! outcome counts what happened to each.

use std::collections::{BTreeMap, BTreeSet};

use clearance_api::{CustomerSummary, MatchDecision, MatchDecisionRequest};
use leptos::prelude::*;

use crate::infra::api::{ApiError, Client};
use crate::infra::session::use_session;

/// A listed party, as `list_name` and `entity_id`, with its name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Party {
    list_name: String,
    entity_id: String,
    name: String,
}

impl Party {
    fn key(&self) -> String {
        format!("{}\u{1f}{}", self.list_name, self.entity_id)
    }
}

/// What a bulk action asked for.
#[derive(Clone, Debug)]
enum Bulk {
    Assign(Option<String>),
    Dismiss { party: Party, note: String },
}

/// The party the menu shows for the key `chosen`: that one while it is offered, else the first.
fn shown_party(parties: &[(Party, usize)], chosen: &str) -> Option<Party> {
    parties
        .iter()
        .map(|(p, _)| p)
        .find(|p| p.key() == chosen)
        .or_else(|| parties.first().map(|(p, _)| p))
        .cloned()
}

/// Dismisses `party`'s open match on `id`'s review; `Ok(false)` when the review has none.
async fn dismiss(client: &Client, id: &str, party: &Party, note: &str) -> Result<bool, ApiError> {
    let review = client.review(id).await?;
    let found = review.identity_details.and_then(|d| {
        d.watch_list.matches.into_iter().find(|m| {
            m.list_name == party.list_name
                && m.entity_id == party.entity_id
                && m.decision.is_none()
                && m.previously_cleared.is_none()
        })
    });
    let Some(match_id) = found.and_then(|m| m.match_id) else {
        return Ok(false);
    };
    let body = MatchDecisionRequest {
        decision: MatchDecision::Dismissed,
        note: Some(note.to_owned()),
    };
    client.decide_match(id, &match_id, &body).await?;
    Ok(true)
}

/// Runs `bulk` on every id and words the outcome.
async fn run(client: Client, ids: Vec<String>, bulk: Bulk) -> String {
    let (mut done, mut skipped, mut failed) = (0, 0, Vec::new());
    for id in &ids {
        let result = match &bulk {
            Bulk::Assign(assignee) => client.assign(id, assignee.clone()).await.map(|_| true),
            Bulk::Dismiss { party, note } => dismiss(&client, id, party, note).await,
        };
        match result {
            Ok(true) => done += 1,
            Ok(false) => skipped += 1,
            Err(e) => failed.push(e.to_string()),
        }
    }
    let verb = match &bulk {
        Bulk::Assign(Some(_)) => "Assigned",
        Bulk::Assign(None) => "Unassigned",
        Bulk::Dismiss { .. } => "Dismissed the party for",
    };
    let mut text = format!("{verb} {done} of {} customers.", ids.len());
    if skipped > 0 {
        text.push_str(&format!(" {skipped} had no open match with that party."));
    }
    if let Some(first) = failed.first() {
        text.push_str(&format!(" {} failed: {first}", failed.len()));
    }
    text
}

#[component]
pub fn BulkActions(
    /// The rows on the page: the strongest matched parties of the selected ones are offered for
    /// dismissal, the most often selected first.
    customers: Signal<Vec<CustomerSummary>>,
    selected: RwSignal<BTreeSet<String>>,
    /// Called once an action has run, to read the page again.
    on_done: Callback<()>,
) -> impl IntoView {
    let session = use_session();
    let outcome = RwSignal::new(None::<String>);
    let note = RwSignal::new(String::new());
    let note_error = RwSignal::new(None::<&'static str>);
    let chosen = RwSignal::new(String::new());
    // The strongest matched parties of the selected rows, the most shared first.
    let parties = Memo::new(move |_| {
        let chosen_ids = selected.get();
        let mut counts: BTreeMap<Party, usize> = BTreeMap::new();
        customers.with(|rows| {
            for c in rows.iter().filter(|c| chosen_ids.contains(&c.id)) {
                if let Some(m) = &c.strongest_match {
                    let party = Party {
                        list_name: m.list_name.clone(),
                        entity_id: m.entity_id.clone(),
                        name: m.party.clone(),
                    };
                    *counts.entry(party).or_default() += 1;
                }
            }
        });
        let mut parties: Vec<(Party, usize)> = counts.into_iter().collect();
        parties.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        parties
    });
    let act = Action::new_local(move |bulk: &Bulk| {
        let client = session.client();
        let ids: Vec<String> = selected.get_untracked().into_iter().collect();
        let bulk = bulk.clone();
        async move {
            outcome.set(Some(run(client, ids, bulk).await));
            on_done.run(());
        }
    });
    let dismiss = move |_| {
        let text = note.get_untracked().trim().to_owned();
        if text.is_empty() {
            note_error.set(Some(
                "Write a note saying why the party is not these customers.",
            ));
            return;
        }
        let party = parties.with_untracked(|parties| shown_party(parties, &chosen.get_untracked()));
        let Some(party) = party else {
            note_error.set(Some("None of the selected customers has a matched party."));
            return;
        };
        note_error.set(None);
        act.dispatch(Bulk::Dismiss { party, note: text });
    };
    let idle = move || !selected.with(BTreeSet::is_empty) && !act.pending().get();
    view! {
        <section class="bulk-actions" aria-label="Bulk actions" data-testid="bulk-actions">
            <p role="status">{move || format!("{} selected", selected.with(BTreeSet::len))}</p>
            <button type="button" disabled=move || !idle()
                on:click=move |_| { act.dispatch(Bulk::Assign(Some("me".to_owned()))); }>
                "Assign to me"
            </button>
            <button type="button" disabled=move || !idle()
                on:click=move |_| { act.dispatch(Bulk::Assign(None)); }>
                "Unassign"
            </button>
            <label for="bulk-party">"False-positive party"</label>
            <select id="bulk-party" on:change=move |ev| chosen.set(event_target_value(&ev))>
                {move || {
                    let parties = parties.get();
                    let shown = shown_party(&parties, &chosen.get()).map(|p| p.key());
                    parties.into_iter().map(|(party, n)| {
                    let key = party.key();
                    let selected_now = shown.as_deref() == Some(key.as_str());
                    view! {
                        <option value=key selected=selected_now>
                            {format!("{} ({} {}) · {n} selected", party.name, party.list_name, party.entity_id)}
                        </option>
                    }
                }).collect_view()
                }}
            </select>
            <label for="bulk-note">"Note"</label>
            <input id="bulk-note" type="text" autocomplete="off" aria-describedby="bulk-note-error"
                prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev)) />
            <button type="button" on:click=dismiss
                disabled=move || !idle()>
                "Dismiss the party for the selected"
            </button>
            <p id="bulk-note-error" class="field-error" role="alert">{move || note_error.get()}</p>
            <p class="notice" role="status" data-testid="bulk-outcome">{move || outcome.get()}</p>
        </section>
    }
}
