//! A web origin (`https://shop.example`, with a port when it is not the scheme's default): where a
//! publishable key may be used from, compared with a browser's `Origin` header.

use std::fmt;

/// An origin as browsers serialise it: scheme, host and port only, lower case.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Origin(String);

impl Origin {
    /// Accepts an `http` or `https` URL with a host and nothing after it but an optional `/`; refuses
    /// paths, queries, fragments and credentials, which an origin never has.
    pub fn parse(text: &str) -> Result<Self, String> {
        let url = url::Url::parse(text.trim())
            .map_err(|_| format!("{text:?} is not a URL such as https://shop.example"))?;
        let plain = matches!(url.scheme(), "http" | "https")
            && url.host_str().is_some()
            && url.username().is_empty()
            && url.password().is_none()
            && url.path() == "/"
            && url.query().is_none()
            && url.fragment().is_none();
        if !plain {
            return Err(format!(
                "{text:?} is not an origin: give the scheme, host and port only, such as https://shop.example"
            ));
        }
        Ok(Self(url.origin().ascii_serialization()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_scheme_host_and_port_only() {
        assert_eq!(
            Origin::parse("https://Shop.Example/").unwrap().as_str(),
            "https://shop.example"
        );
        assert_eq!(
            Origin::parse("http://127.0.0.1:8081").unwrap().as_str(),
            "http://127.0.0.1:8081"
        );
        assert_eq!(
            Origin::parse("https://shop.example:443").unwrap().as_str(),
            "https://shop.example"
        );
        for bad in [
            "shop.example",
            "ftp://shop.example",
            "https://shop.example/signup",
            "https://shop.example/?a=1",
            "https://user@shop.example",
        ] {
            assert!(Origin::parse(bad).is_err(), "{bad}");
        }
    }
}
