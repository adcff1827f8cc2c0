//! Every match of a review in one table: the party, its list, score and correlation, and where the
//! analyst stands on it (dismissed, confirmed, cleared before, or open), so a review with several
//! matches can be cleared one at a time. Choosing a row shows its evidence.

use clearance_api::{MatchDecision, WatchListMatch};
use leptos::prelude::*;

use crate::components::evidence::correlation_label;
use crate::components::text::local_time;

/// Where the analyst stands on a match, in words.
pub fn match_state(m: &WatchListMatch) -> String {
    if let Some(d) = &m.decision {
        let verb = match d.decision {
            MatchDecision::Dismissed => "Dismissed",
            MatchDecision::Confirmed => "Confirmed",
        };
        let note = d
            .note
            .as_deref()
            .map(|n| format!(": {n}"))
            .unwrap_or_default();
        return format!(
            "{verb} by {} at {}{note}",
            d.decided_by,
            local_time(&d.decided_at)
        );
    }
    if let Some(c) = &m.previously_cleared {
        let note = c
            .note
            .as_deref()
            .map(|n| format!(", note {n}"))
            .unwrap_or_default();
        return format!(
            "Previously cleared by {} on {}{note}",
            c.cleared_by,
            local_time(&c.cleared_at)
        );
    }
    "Open".to_owned()
}

#[component]
pub fn MatchList(matches: Vec<WatchListMatch>, selected: RwSignal<usize>) -> impl IntoView {
    let rows = matches
        .iter()
        .enumerate()
        .map(|(i, m)| {
            view! {
                <tr data-testid="match-row" aria-current=move || (selected.get() == i).then_some("true")>
                    <td class="num">{i + 1}</td>
                    <td>
                        <button type="button" class="link" on:click=move |_| selected.set(i)>
                            <bdi>{m.entity.name.clone()}</bdi>
                        </button>
                    </td>
                    <td>{m.list_name.clone()}</td>
                    <td class="num">{format!("{:.2}", m.score)}</td>
                    <td>{correlation_label(m.correlation)}</td>
                    <td data-testid="match-state"><bdi>{match_state(m)}</bdi></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="match-list">
            <caption>"Matches"</caption>
            <thead>
                <tr>
                    <th scope="col" class="num">"#"</th>
                    <th scope="col">"Listed party"</th>
                    <th scope="col">"List"</th>
                    <th scope="col" class="num">"Score"</th>
                    <th scope="col">"Correlation"</th>
                    <th scope="col">"Decision"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}
