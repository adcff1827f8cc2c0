//! The screening index in the browser, on the pre-screen worker's side: the server's compact index,
//! downloaded once per list version and kept in the Cache API, searched locally so the new-customer form
//! and ad-hoc search answer as the analyst types. Only the worker (`src/bin/clearance-prescreen.rs`) calls
//! it, so the screening engine stays out of the console's own wasm.

use clearance_api::{WatchListMatch, evidence};
use clearance_screening::{DEFAULT_THRESHOLD, Index, Query};
use js_sys::Uint8Array;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::infra::api::Client;

const CACHE: &str = "clearance-index";
/// At most this many matches are shown for one name.
const LIMIT: usize = 10;

/// The index and the list version it holds.
pub struct Loaded {
    pub index: Index,
    pub list_date: Option<String>,
    /// The server's tag for these bytes, to ask whether they are still current.
    pub etag: Option<String>,
}

/// A browser error's message, for the analyst to read.
pub fn js_error(e: JsValue) -> String {
    e.as_string()
        .or_else(|| {
            e.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .unwrap_or_else(|| "browser error".to_owned())
}

/// The Cache API of the page or the worker this runs in.
async fn open_cache() -> Option<web_sys::Cache> {
    let caches: web_sys::CacheStorage = js_sys::Reflect::get(&js_sys::global(), &"caches".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let cache = JsFuture::from(caches.open(CACHE)).await.ok()?;
    cache.dyn_into().ok()
}

/// The cached copy: its ETag and bytes.
async fn cached(cache: &web_sys::Cache, url: &str) -> Option<(String, Vec<u8>)> {
    let found = JsFuture::from(cache.match_with_str(url)).await.ok()?;
    let response: web_sys::Response = found.dyn_into().ok()?;
    let etag = response.headers().get("etag").ok()??;
    let buffer = JsFuture::from(response.array_buffer().ok()?).await.ok()?;
    Some((etag, Uint8Array::new(&buffer).to_vec()))
}

async fn store(cache: &web_sys::Cache, url: &str, etag: &str, bytes: &[u8]) -> Result<(), String> {
    let headers = web_sys::Headers::new().map_err(js_error)?;
    headers.set("etag", etag).map_err(js_error)?;
    let init = web_sys::ResponseInit::new();
    init.set_headers(&headers);
    let body = Uint8Array::from(bytes);
    let response = web_sys::Response::new_with_opt_buffer_source_and_init(Some(&body), &init)
        .map_err(js_error)?;
    JsFuture::from(cache.put_with_str(url, &response))
        .await
        .map_err(js_error)?;
    Ok(())
}

/// Loads the index, or `None` when the one in memory (tagged `in_memory`) is still current: the server is
/// asked whether it is (304), else it sends the new one, which is kept in the Cache API. Without an index
/// in memory the cached copy is asked about and decoded when current. Works without the Cache API too
/// (downloading on every page view).
pub async fn load(client: &Client, in_memory: Option<&str>) -> Result<Option<Loaded>, String> {
    let url = format!("{}/v1/watchlists/index", client.base_url());
    let cache = open_cache().await;
    let held = match (&cache, in_memory) {
        (Some(cache), None) => cached(cache, &url).await,
        _ => None,
    };
    let validator = in_memory.or(held.as_ref().map(|(etag, _)| etag.as_str()));
    let (bytes, etag) = match client
        .watchlist_index(validator)
        .await
        .map_err(|e| e.to_string())?
    {
        None if in_memory.is_some() => return Ok(None),
        None => held
            .map(|(etag, bytes)| (bytes, Some(etag)))
            .ok_or("the server sent 304 for an index this browser does not hold")?,
        Some(download) => {
            if let (Some(cache), Some(etag)) = (&cache, &download.etag) {
                store(cache, &url, etag, &download.bytes).await?;
            }
            (download.bytes, download.etag)
        }
    };
    let (index, identity) = Index::from_bytes(&bytes).map_err(|e| e.to_string())?;
    Ok(Some(Loaded {
        index,
        list_date: identity.date,
        etag,
    }))
}

/// Screens one name in the browser, with the same evidence the server's review shows.
pub fn screen(index: &Index, name: &str) -> Vec<WatchListMatch> {
    if name.trim().is_empty() {
        return Vec::new();
    }
    index
        .search(&Query::name(name), DEFAULT_THRESHOLD, LIMIT)
        .into_iter()
        .map(|m| {
            let entity = &index.entities()[m.entity as usize];
            evidence::watch_list_match(entity, m, "name".to_owned(), name.to_owned())
        })
        .collect()
}
