//! Masked forms. Straddle's API masks SSN, date of birth and EIN completely; the console shows the last
//! four digits so an analyst can tell two customers apart without seeing the number.

use super::{DateOfBirth, Ein, Email, Phone, Sensitive, Ssn};

/// A masked value: safe to log, display and send.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Masked(String);

impl Masked {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Masked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The API's masked SSN, which a client may send back to keep the stored value.
pub const SSN_MASK: &str = "***-**-****";
/// The API's masked EIN.
pub const EIN_MASK: &str = "**-*******";
/// The API's masked date of birth.
pub const DOB_MASK: &str = "****-**-**";

/// Every digit but the last `keep` replaced by `*`, everything else kept.
fn keep_last_digits(value: &str, keep: usize) -> Masked {
    let digits = value.chars().filter(char::is_ascii_digit).count();
    let mut seen = 0;
    Masked(
        value
            .chars()
            .map(|c| {
                if c.is_ascii_digit() {
                    seen += 1;
                    if seen > digits.saturating_sub(keep) {
                        c
                    } else {
                        '*'
                    }
                } else {
                    c
                }
            })
            .collect(),
    )
}

impl Sensitive for Ssn {
    fn masked(&self) -> Masked {
        Masked(SSN_MASK.into())
    }
    fn masked_for_display(&self) -> Masked {
        keep_last_digits(&self.0, 4)
    }
}

impl Sensitive for Ein {
    fn masked(&self) -> Masked {
        Masked(EIN_MASK.into())
    }
    fn masked_for_display(&self) -> Masked {
        keep_last_digits(&self.0, 4)
    }
}

impl Sensitive for DateOfBirth {
    fn masked(&self) -> Masked {
        Masked(DOB_MASK.into())
    }
    /// The last four digits of a date are the month and day; the year, which says most, stays hidden.
    fn masked_for_display(&self) -> Masked {
        keep_last_digits(&self.0, 4)
    }
}

impl Sensitive for Email {
    fn masked(&self) -> Masked {
        Masked("***@***".into())
    }
    /// The first character of the mailbox and the domain: `r***@pawnee.com`.
    fn masked_for_display(&self) -> Masked {
        let (local, domain) = self.0.split_once('@').unwrap_or((&self.0, ""));
        let first: String = local.chars().take(1).collect();
        Masked(format!("{first}***@{domain}"))
    }
}

impl Sensitive for Phone {
    fn masked(&self) -> Masked {
        keep_last_digits(&self.0, 0)
    }
    fn masked_for_display(&self) -> Masked {
        keep_last_digits(&self.0, 4)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_forms_match_straddle() {
        let ssn = Ssn::parse("123-45-6789").unwrap();
        assert_eq!(ssn.masked().as_str(), "***-**-****");
        assert_eq!(ssn.masked_for_display().as_str(), "***-**-6789");
        let ein = Ein::parse("12-3456789").unwrap();
        assert_eq!(ein.masked().as_str(), "**-*******");
        assert_eq!(ein.masked_for_display().as_str(), "**-***6789");
        let dob = DateOfBirth::parse("1980-07-04", "2026-11-21").unwrap();
        assert_eq!(dob.masked().as_str(), "****-**-**");
        let phone = Phone::parse("+12128675309").unwrap();
        assert_eq!(phone.masked().as_str(), "+***********");
        assert_eq!(phone.masked_for_display().as_str(), "+*******5309");
        let email = Email::parse("ron.swanson@pawnee.com").unwrap();
        assert_eq!(email.masked_for_display().as_str(), "r***@pawnee.com");
    }

    #[test]
    fn debug_never_shows_the_raw_value() {
        let ssn = Ssn::parse("123-45-6789").unwrap();
        let printed = format!("{ssn:?} {:?}", Some(&ssn));
        assert!(
            !printed.contains("6789") && !printed.contains("123"),
            "{printed}"
        );
        let email = Email::parse("ron.swanson@pawnee.com").unwrap();
        assert!(!format!("{email:?}").contains("swanson"));
    }
}
