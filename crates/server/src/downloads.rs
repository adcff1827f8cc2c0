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
    pub bytes: Bytes,
    pub gzipped: Bytes,
    /// Names the list version, the format and the contents, so a browser refetches exactly when any of
    /// them changes. The gzipped body is another representation, so it has its own tag.
    pub etag: String,
    pub gzipped_etag: String,
}

impl IndexFile {
    pub fn encode(index: &Index, identity: &Identity, contents: Contents) -> Self {
        let bytes = index.to_bytes(identity, contents);
        let mut gzip = GzEncoder::new(Vec::new(), Compression::best());
        gzip.write_all(&bytes)
            .and_then(|()| gzip.flush())
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

    /// Whether `tag`, from an `If-None-Match`, names this file in either encoding.
    pub fn is_current(&self, tag: &str) -> bool {
        tag == "*" || tag == self.etag || tag == self.gzipped_etag
    }
}
