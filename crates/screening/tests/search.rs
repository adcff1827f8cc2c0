//! Screening end to end on a small list in OFAC's format, natively and in headless Chromium: the browser
//! must find and explain exactly what the server does.

use clearance_screening::index::{Field, FieldEvidence, Match, NameSource};
use clearance_screening::score::PairKind;
use clearance_screening::{Correlation, EntityKind, Index, ListFile, Query, Snapshot};

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const SDN: &[u8] = b"2676,\"AL ZAWAHIRI, Dr. Ayman\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB 19 Jun 1951; POB Giza, Egypt; a.k.a. 'THE DOCTOR'.\"\r\n\
306,\"BANCO NACIONAL DE CUBA\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\x1a";
const ALT: &[u8] = b"306,220,\"aka\",\"NATIONAL BANK OF CUBA\",-0- \r\n";
const ADD: &[u8] = b"306,199,\"Zweierstrasse 35\",\"Zurich CH-8022\",\"Switzerland\",-0- \r\n\
306,200,\"Avenida de Concha Espina 8\",\"Madrid E-28036\",\"Spain\",-0- \r\n";

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
        ListFile {
            name: "add.csv",
            bytes: ADD,
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

/// The match for `query` with the entity `source_id`, at any score.
fn match_for(index: &Index, query: &Query, source_id: &str) -> Match {
    index
        .search(query, 0.0, usize::MAX)
        .into_iter()
        .find(|m| index.entities()[m.entity as usize].source_id == source_id)
        .unwrap_or_else(|| panic!("{query:?} does not find {source_id}"))
}

/// How `query` with one field set moves the score of a name that scores below 1.0 on its own, so that
/// neither a raise nor a cut can be hidden by the clamp at 1.0: checks that the score moves by exactly
/// the adjustment the evidence reports for that field, and returns it with whether the field agreed.
fn field_adjustment(query: &Query, source_id: &str, field: Field) -> (bool, f64) {
    let index = index();
    let name_only = Query::name(query.name.clone());
    let base = match_for(&index, &name_only, source_id).score;
    assert!(
        base < 0.95,
        "{:?} must score below 1.0 with room for any raise, not {base}",
        query.name
    );
    let with = match_for(&index, query, source_id);
    assert_eq!(with.evidence.name_score, base);
    let found: Vec<&FieldEvidence> = with
        .evidence
        .fields
        .iter()
        .filter(|f| f.field == field)
        .collect();
    assert_eq!(found.len(), 1, "{:?}", with.evidence.fields);
    let FieldEvidence {
        matched,
        adjustment,
        ..
    } = *found[0];
    assert!(
        (with.score - (base + adjustment)).abs() < 1e-12,
        "{query:?}: {base} moved to {}, not by {adjustment}",
        with.score
    );
    (matched, adjustment)
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn the_date_of_birth_raises_or_lowers_a_name_scoring_below_one() {
    // `Aymen` and `Zawahri` pair with `Ayman` and `Zawahiri` by sound and by spelling only, so the name
    // alone scores below 1.0.
    let born = |date: &str| Query {
        date_of_birth: Some(date.into()),
        ..Query::name("Aymen al-Zawahri")
    };
    let dob = |date: &str| field_adjustment(&born(date), "2676", Field::DateOfBirth);
    // The list gives 19 Jun 1951: the full date raises most, the year alone (or with another day) less.
    let (same_date, date_bonus) = dob("1951-06-19");
    let (same_year, year_bonus) = dob("1951");
    let (other_day, other_day_bonus) = dob("1951-02-03");
    assert!(same_date && same_year && other_day);
    assert!(
        date_bonus > year_bonus && year_bonus > 0.0,
        "{date_bonus} {year_bonus}"
    );
    assert_eq!(other_day_bonus, year_bonus);
    // A year off is no evidence either way; a date far off lowers the score.
    assert_eq!(dob("1952-06-19"), (false, 0.0));
    let (later, cut) = dob("1985-01-01");
    assert!(!later && cut < 0.0, "{cut}");
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn the_country_raises_or_lowers_a_name_scoring_below_one() {
    let from = |country: &str| Query {
        country: Some(country.into()),
        ..Query::name("Banko Nasional de Kuba")
    };
    let country = |name: &str| field_adjustment(&from(name), "306", Field::Country);
    // The bank has addresses in Switzerland and Spain; codes and names are one country.
    let (spain, raise) = country("Spain");
    assert!(spain && raise > 0.0, "{raise}");
    assert_eq!(country("CH"), (true, raise));
    let (iran, cut) = country("Iran");
    assert!(!iran && cut < 0.0, "{cut}");
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn the_entity_type_lowers_a_name_scoring_below_one() {
    let as_kind = |kind| Query {
        kind: Some(kind),
        ..Query::name("Banko Nasional de Kuba")
    };
    let kind = |k| field_adjustment(&as_kind(k), "306", Field::EntityType);
    assert_eq!(kind(EntityKind::Organization), (true, 0.0));
    let (vessel, other_kind) = kind(EntityKind::Vessel);
    let (person, not_a_person) = kind(EntityKind::Individual);
    assert!(!vessel && !person);
    // A person is further from a bank than a vessel is.
    assert!(
        not_a_person < other_kind && other_kind < 0.0,
        "{not_a_person} {other_kind}"
    );
    // And the same for a person's name screened as something else.
    let zawahiri = Query {
        kind: Some(EntityKind::Organization),
        ..Query::name("Aymen al-Zawahri")
    };
    assert_eq!(
        field_adjustment(&zawahiri, "2676", Field::EntityType),
        (false, not_a_person)
    );
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

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn a_glued_run_of_reordered_tokens_has_a_forward_span() {
    let sdn =
        b"9001,\"ABDULRAHMAN\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n";
    let files = [ListFile {
        name: "sdn.csv",
        bytes: sdn,
    }];
    let index = Index::build(Snapshot::load(&files, None).unwrap().entities);
    let query = "Rahman, Abdul";
    let matches = index.search(&Query::name(query), 0.5, 1);
    let best = matches.first().expect("the glued name matches");
    for token in &best.evidence.tokens {
        let (start, end) = token.query_span;
        assert!(start <= end, "{token:?}");
        assert!(
            query.get(start as usize..end as usize).is_some(),
            "{token:?}"
        );
        let (start, end) = token.list_span;
        assert!(start <= end, "{token:?}");
    }
}

/// Two spellings of one comparison key (`mustafa`, `mustapha`) keep their own consonant skeletons in the
/// index: a query without vowels written like the second finds it, as scoring every name does.
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn spellings_that_share_a_key_keep_their_own_skeletons() {
    let sdn =
        b"1,\"KAMAL, Mustafa\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\
2,\"ZAWAHIRI, Mustapha\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n";
    let files = [ListFile {
        name: "sdn.csv",
        bytes: sdn,
    }];
    let index = Index::build(Snapshot::load(&files, None).unwrap().entities);
    let query = Query::name("Mstph Zawahiri");
    let searched = index.search(&query, 0.82, 5);
    assert_eq!(searched, index.search_exhaustive(&query, 0.82, 5));
    assert_eq!(
        searched
            .iter()
            .map(|m| index.entities()[m.entity as usize].source_id.as_str())
            .collect::<Vec<_>>(),
        ["2"]
    );
}
