//! The index files browsers download, encoded once per list version and shared by every response: the
//! console's full index and the widget's names-only one, each also gzipped, because the widget's budget
//! is what crosses the network and the full index shrinks to a third.

use std::io::Write;

use bytes::Bytes;
use clearance_screening::Index;
use clearance_screening::codec::{Contents, FORMAT_VERSION, Identity};
use flate2::Compression;
use flate2::write::GzEncoder;

/// One index file in both encodings, and the tags a browser revalidates them by.
pub struct IndexFile {
    /// For clients that do not take gzip.
    pub bytes: Bytes,
    /// What most browsers get: the budget the widget is held to is what crosses the network.
    pub gzipped: Bytes,
    /// Names the list version, the format and the contents, so a browser refetches exactly when any of
    /// them changes. The gzipped body is another representation, so it has its own tag.
    pub etag: String,
    pub gzipped_etag: String,
}

impl IndexFile {
    /// Encodes and gzips once, at start-up, so no request pays for either.
    pub fn encode(index: &Index, identity: &Identity, contents: Contents) -> Self {
        let bytes = index.to_bytes(identity, contents);
        let mut gzip = GzEncoder::new(Vec::new(), Compression::best());
        gzip.write_all(&bytes)
            .expect("writing to memory cannot fail");
        let gzipped = gzip.finish().expect("writing to memory cannot fail");
        let which = match contents {
            Contents::Full => "full",
            Contents::Names => "names",
        };
        let tag = format!("{}-v{FORMAT_VERSION}-{which}", identity.content_hash);
        Self {
            bytes: bytes.into(),
            gzipped: gzipped.into(),
            etag: format!("\"{tag}\""),
            gzipped_etag: format!("\"{tag}-gzip\""),
        }
    }

    /// Whether `tag`, from an `If-None-Match`, names this file in either encoding. `If-None-Match`
    /// compares weakly, so a tag a proxy marked weak (`W/`) still matches.
    pub fn is_current(&self, tag: &str) -> bool {
        let tag = tag.strip_prefix("W/").unwrap_or(tag);
        tag == "*" || tag == self.etag || tag == self.gzipped_etag
    }
}
