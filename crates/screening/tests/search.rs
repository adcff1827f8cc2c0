//! Screening end to end on a small list in OFAC's format, natively and in headless Chromium: the browser
//! must find and explain exactly what the server does.

use clearance_screening::index::NameSource;
use clearance_screening::score::PairKind;
use clearance_screening::{Correlation, Index, ListFile, Query, Snapshot};

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const SDN: &[u8] = b"2676,\"AL ZAWAHIRI, Dr. Ayman\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB 19 Jun 1951; POB Giza, Egypt; a.k.a. 'THE DOCTOR'.\"\r\n\
306,\"BANCO NACIONAL DE CUBA\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\x1a";
const ALT: &[u8] = b"306,220,\"aka\",\"NATIONAL BANK OF CUBA\",-0- \r\n";

fn index() -> Index {
    let files = [
        ListFile {
            name: "sdn.csv",
            bytes: SDN,
        },
        ListFile {
            name: "alt.csv",
            bytes: ALT,
        },
    ];
    Index::build(Snapshot::load(&files, Some("2024-05-03")).unwrap().entities)
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn a_misspelt_listed_name_matches_with_token_evidence() {
    let index = index();
    let query = "Aymen al-Zawahiri";
    let matches = index.search(&Query::name(query), 0.82, 5);
    assert_eq!(matches.len(), 1);
    let best = &matches[0];
    assert_eq!(index.entities()[best.entity as usize].source_id, "2676");
    assert_eq!(best.evidence.name_source, NameSource::Primary);
    let aymen = best
        .evidence
        .tokens
        .iter()
        .find(|t| t.query_token == "aymen")
        .unwrap();
    assert_eq!(aymen.list_token, "ayman");
    assert_eq!(aymen.kind, PairKind::Phonetic);
    let (start, end) = aymen.query_span;
    assert_eq!(&query[start as usize..end as usize], "Aymen");
    let (start, end) = aymen.list_span;
    assert_eq!(
        &best.evidence.matched_name[start as usize..end as usize],
        "Ayman"
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn an_alias_match_says_which_alias() {
    let matches = index().search(&Query::name("National Bank of Cuba"), 0.82, 5);
    assert_eq!(matches[0].correlation, Correlation::HighConfidence);
    assert!(matches!(
        matches[0].evidence.name_source,
        NameSource::Alias { index: 0, .. }
    ));
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn a_different_birth_year_lowers_the_score() {
    let index = index();
    let name = Query::name("Ayman al Zawahiri");
    let born_then = Query {
        date_of_birth: Some("1951-06-19".into()),
        ..name.clone()
    };
    let born_later = Query {
        date_of_birth: Some("1985-01-01".into()),
        ..name.clone()
    };
    let score = |q: &Query| index.search(q, 0.0, 1)[0].score;
    assert!(score(&born_later) < score(&name));
    assert!(score(&born_then) >= score(&name));
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn an_unrelated_name_finds_nothing() {
    assert!(
        index()
            .search(&Query::name("Kathryn Barr"), 0.82, 5)
            .is_empty()
    );
}
