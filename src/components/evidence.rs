//! One watchlist match, shown so an analyst can judge it: both names with each aligned token pair marked
//! by a shared number (not colour alone), each pair's score and how it paired, the total, and what the
//! list says about the party. List text is rendered as text inside `<bdi>`, so markup stays inert and a
//! right-to-left override cannot reorder the page around it.

use clearance_api::{Correlation, WatchListMatch};
use leptos::prelude::*;

/// A name cut into runs: `Some(n)` marks the run as aligned pair number `n` (from 1).
pub fn segments(text: &str, spans: &[(usize, [u32; 2])]) -> Vec<(String, Option<usize>)> {
    let mut spans: Vec<(usize, usize, usize)> = spans
        .iter()
        .map(|(n, [a, b])| (*a as usize, *b as usize, *n))
        .filter(|(a, b, _)| a < b && text.get(*a..*b).is_some())
        .collect();
    spans.sort();
    let mut runs = Vec::new();
    let mut at = 0;
    for (start, end, n) in spans {
        if start < at {
            continue;
        }
        if start > at {
            runs.push((text[at..start].to_owned(), None));
        }
        runs.push((text[start..end].to_owned(), Some(n)));
        at = end;
    }
    if at < text.len() {
        runs.push((text[at..].to_owned(), None));
    }
    runs
}

pub fn correlation_label(c: Correlation) -> &'static str {
    match c {
        Correlation::LowConfidence => "Low confidence",
        Correlation::PotentialMatch => "Potential match",
        Correlation::LikelyMatch => "Likely match",
        Correlation::HighConfidence => "High confidence",
    }
}

fn score(value: f64) -> String {
    format!("{value:.2}")
}

#[component]
fn MarkedName(text: String, spans: Vec<(usize, [u32; 2])>, label: &'static str) -> impl IntoView {
    let runs = segments(&text, &spans)
        .into_iter()
        .map(|(run, pair)| match pair {
            Some(n) => view! {
                <mark class="aligned" data-pair=n>
                    {run}
                    <sup class="pair-number" aria-label=format!("pair {n}")>{n}</sup>
                </mark>
            }
            .into_any(),
            None => view! { <span>{run}</span> }.into_any(),
        })
        .collect_view();
    view! {
        <p class="marked-name">
            <span class="name-label">{label}</span>
            <bdi class="name" data-testid=label>{runs}</bdi>
        </p>
    }
}

/// Lists shown as comma-separated inert text, or "none given".
fn listing(items: &[String]) -> String {
    if items.is_empty() {
        "none given".to_owned()
    } else {
        items.join("; ")
    }
}

/// The evidence for one match. `customer_facts` are the customer's own values to set beside the list's.
#[component]
pub fn EvidenceView(
    m: WatchListMatch,
    #[prop(optional)] customer_facts: Option<CustomerFacts>,
) -> impl IntoView {
    let customer_spans: Vec<(usize, [u32; 2])> = m
        .tokens
        .iter()
        .enumerate()
        .map(|(i, t)| (i + 1, t.customer_span))
        .collect();
    let list_spans: Vec<(usize, [u32; 2])> = m
        .tokens
        .iter()
        .enumerate()
        .map(|(i, t)| (i + 1, t.list_span))
        .collect();
    let pairs = m
        .tokens
        .iter()
        .enumerate()
        .map(|(i, t)| {
            view! {
                <tr>
                    <td class="num">{i + 1}</td>
                    <td><bdi>{t.customer_token.clone()}</bdi></td>
                    <td><bdi>{t.list_token.clone()}</bdi></td>
                    <td>{t.kind.clone()}</td>
                    <td class="num">{score(t.score)}</td>
                </tr>
            }
        })
        .collect_view();
    let unmatched = (!m.unmatched_customer_tokens.is_empty()
        || !m.unmatched_list_tokens.is_empty())
    .then(|| {
        view! {
            <p class="unmatched">
                "Not paired: customer " <bdi>{listing(&m.unmatched_customer_tokens)}</bdi>
                "; list " <bdi>{listing(&m.unmatched_list_tokens)}</bdi>
            </p>
        }
    });
    let checks = m
        .field_checks
        .iter()
        .map(|c| {
            let verdict = if c.matched { "agrees" } else { "differs" };
            view! { <li>{format!("{}: {verdict} ({:+.2})", c.field, c.adjustment)}</li> }
        })
        .collect_view();
    let entity = m.entity.clone();
    let facts = customer_facts.unwrap_or_else(|| CustomerFacts {
        kind: "—".into(),
        date_of_birth: "—".into(),
        address: "—".into(),
    });
    let urls = m
        .urls
        .iter()
        .map(|u| view! { <a href=u.clone() target="_blank" rel="noopener noreferrer">"Official entry"</a> })
        .collect_view();
    view! {
        <article class="evidence" data-testid="evidence">
            <header>
                <h3>
                    <bdi>{m.matched_name.clone()}</bdi>
                </h3>
                <p class="verdict">
                    <span class="correlation" data-correlation=format!("{:?}", m.correlation)>
                        {correlation_label(m.correlation)}
                    </span>
                    " · score "
                    <strong data-testid="total-score">{score(m.score)}</strong>
                    " · " {m.list_name.clone()} " entry " {m.entity_id.clone()}
                    " · matched the " {m.name_source.clone()} " name · " {urls}
                </p>
            </header>
            <MarkedName text=m.customer_name.clone() spans=customer_spans label="customer" />
            <MarkedName text=m.matched_name.clone() spans=list_spans label="list" />
            <table class="pairs">
                <caption>"Token alignment"</caption>
                <thead>
                    <tr>
                        <th scope="col" class="num">"Pair"</th>
                        <th scope="col">"Customer"</th>
                        <th scope="col">"List"</th>
                        <th scope="col">"How"</th>
                        <th scope="col" class="num">"Score"</th>
                    </tr>
                </thead>
                <tbody>{pairs}</tbody>
                <tfoot>
                    <tr>
                        <th scope="row" colspan="4">"Name score"</th>
                        <td class="num">{score(m.name_score)}</td>
                    </tr>
                </tfoot>
            </table>
            {unmatched}
            <ul class="field-checks">{checks}</ul>
            <table class="compare">
                <caption>"Customer beside the list entry"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Field"</th>
                        <th scope="col">"Customer"</th>
                        <th scope="col">"List entry"</th>
                    </tr>
                </thead>
                <tbody>
                    <tr>
                        <th scope="row">"Type"</th>
                        <td>{facts.kind.clone()}</td>
                        <td>{entity.kind.clone()}</td>
                    </tr>
                    <tr>
                        <th scope="row">"Date of birth"</th>
                        <td>{facts.date_of_birth.clone()}</td>
                        <td><bdi>{listing(&entity.dates_of_birth)}</bdi></td>
                    </tr>
                    <tr>
                        <th scope="row">"Nationality"</th>
                        <td>"not collected"</td>
                        <td><bdi>{listing(&entity.nationalities)}</bdi></td>
                    </tr>
                    <tr>
                        <th scope="row">"Address"</th>
                        <td><bdi>{facts.address.clone()}</bdi></td>
                        <td><bdi>{listing(&entity.addresses)}</bdi></td>
                    </tr>
                    <tr>
                        <th scope="row">"Programs"</th>
                        <td>"—"</td>
                        <td>{listing(&entity.programs)}</td>
                    </tr>
                </tbody>
            </table>
        </article>
    }
}

/// The customer's side of the comparison, already masked where it must be.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CustomerFacts {
    pub kind: String,
    pub date_of_birth: String,
    pub address: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_follow_the_spans_and_keep_the_rest() {
        let runs = segments("PUTIN, Vladimir", &[(1, [7, 15]), (2, [0, 5])]);
        assert_eq!(
            runs,
            [
                ("PUTIN".to_owned(), Some(2)),
                (", ".to_owned(), None),
                ("Vladimir".to_owned(), Some(1)),
            ]
        );
    }

    #[test]
    fn spans_off_a_character_boundary_are_ignored() {
        let runs = segments("Łukasz", &[(1, [1, 3])]);
        assert_eq!(runs, [("Łukasz".to_owned(), None)]);
    }
}
