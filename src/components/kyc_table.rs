//! The review's KYC checks: each field the screening crate's validators checked, in words.

use clearance_api::Kyc;
use leptos::prelude::*;

#[component]
pub fn KycTable(kyc: Kyc) -> impl IntoView {
    let v = kyc.validations;
    let rows = [
        ("Name has first and last", v.first_name),
        ("Email", v.email),
        ("Phone", v.phone),
        ("Date of birth", v.dob),
        ("SSN", v.ssn),
        ("Address", v.address),
        ("City", v.city),
        ("State", v.state),
        ("ZIP", v.zip),
    ]
    .into_iter()
    .filter_map(|(label, value)| value.map(|ok| (label, ok)))
    .map(|(label, ok)| {
        view! {
            <tr>
                <th scope="row">{label}</th>
                <td>{if ok { "✓ valid" } else { "✕ invalid" }}</td>
            </tr>
        }
    })
    .collect_view();
    view! {
        <table class="kyc">
            <caption>{format!("KYC checks: {}", format!("{:?}", kyc.decision).to_lowercase())}</caption>
            <tbody>{rows}</tbody>
        </table>
        {(!kyc.codes.is_empty()).then(|| view! { <p class="kyc-codes">"Findings: " {kyc.codes.join(", ")}</p> })}
    }
}
