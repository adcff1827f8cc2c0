//! Validation with a precise message for each failure, so the API can return field-level errors and the
//! onboarding form can say what to fix as the customer types. Messages never repeat the value.

use std::net::IpAddr;

/// A value that failed validation: which field, and why, in words a customer can act on.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Invalid {
    pub field: String,
    pub message: String,
}

impl Invalid {
    pub(crate) fn new(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_owned(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for Invalid {}

/// Nine digits, in `AAA-GG-SSSS` or run together.
pub(super) fn ssn(text: &str) -> Result<String, Invalid> {
    let fail = |m: &str| Err(Invalid::new("ssn", m));
    let digits = nine_digits(text.trim(), &[3, 5])
        .ok_or_else(|| Invalid::new("ssn", "must be nine digits, as XXX-XX-XXXX"))?;
    let (area, group, serial) = (&digits[..3], &digits[3..5], &digits[5..]);
    if area == "000" {
        return fail("the area number (first three digits) cannot be 000");
    }
    if area == "666" {
        return fail("the area number (first three digits) cannot be 666");
    }
    if area.starts_with('9') {
        return fail("the area number (first three digits) cannot be from 900 to 999");
    }
    if group == "00" {
        return fail("the group number (middle two digits) cannot be 00");
    }
    if serial == "0000" {
        return fail("the serial number (last four digits) cannot be 0000");
    }
    Ok(format!("{area}-{group}-{serial}"))
}

/// The two-digit prefixes the IRS assigns to EINs.
pub const EIN_PREFIXES: &[u8] = &[
    1, 2, 3, 4, 5, 6, 10, 11, 12, 13, 14, 15, 16, 20, 21, 22, 23, 24, 25, 26, 27, 30, 31, 32, 33,
    34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 50, 51, 52, 53, 54, 55, 56, 57, 58,
    59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 71, 72, 73, 74, 75, 76, 77, 80, 81, 82, 83, 84, 85, 86,
    87, 88, 90, 91, 92, 93, 94, 95, 98, 99,
];

/// Whether the IRS assigns EINs starting with this two-digit prefix.
pub fn is_valid_ein_prefix(prefix: u8) -> bool {
    EIN_PREFIXES.contains(&prefix)
}

pub(super) fn ein(text: &str) -> Result<String, Invalid> {
    let digits = nine_digits(text.trim(), &[2])
        .ok_or_else(|| Invalid::new("ein", "must be nine digits, as XX-XXXXXXX"))?;
    let prefix: u8 = digits[..2].parse().expect("two digits");
    if !is_valid_ein_prefix(prefix) {
        return Err(Invalid::new(
            "ein",
            format!("the IRS does not assign EINs starting with {prefix:02}"),
        ));
    }
    Ok(format!("{}-{}", &digits[..2], &digits[2..]))
}

/// `text` if it is nine digits hyphenated exactly at `dashes`, the form [`ssn`] and [`ein`] return; no
/// other rule. `form` names it in the message, which never repeats the value.
pub(super) fn stored_digits(
    field: &str,
    text: &str,
    dashes: &[usize],
    form: &str,
) -> Result<String, Invalid> {
    match nine_digits(text, dashes) {
        Some(_) if text.len() == 9 + dashes.len() => Ok(text.to_owned()),
        _ => Err(Invalid::new(
            field,
            format!("a stored value must be nine digits, as {form}"),
        )),
    }
}

/// Nine ASCII digits, either run together or with hyphens exactly at `dashes` (positions in the digits).
fn nine_digits(text: &str, dashes: &[usize]) -> Option<String> {
    let digits: String = text.chars().filter(|c| *c != '-').collect();
    if digits.len() != 9 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if text.contains('-') {
        let mut expected = String::new();
        for (i, c) in digits.chars().enumerate() {
            if dashes.contains(&i) {
                expected.push('-');
            }
            expected.push(c);
        }
        if expected != text {
            return None;
        }
    }
    Some(digits)
}

/// A calendar date, compared field by field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    pub(super) fn parse(text: &str) -> Option<Self> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let year: u16 = text[..4].parse().ok()?;
        let month: u8 = text[5..7].parse().ok()?;
        let day: u8 = text[8..].parse().ok()?;
        let leap =
            (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days)
            .contains(&day)
            .then_some(Self { year, month, day })
    }
}

/// The oldest age a customer can plausibly have.
pub const MAX_AGE: u16 = 125;

pub(super) fn date_of_birth(text: &str, today: Date) -> Result<String, Invalid> {
    let text = text.trim();
    let date = Date::parse(text)
        .ok_or_else(|| Invalid::new("dob", "must be a real date, as YYYY-MM-DD"))?;
    if date > today {
        return Err(Invalid::new("dob", "cannot be in the future"));
    }
    let oldest = Date {
        year: today.year.saturating_sub(MAX_AGE),
        ..today
    };
    if date < oldest {
        return Err(Invalid::new(
            "dob",
            format!("gives an age over {MAX_AGE} years"),
        ));
    }
    Ok(text.to_owned())
}

/// `text` if it is a real `YYYY-MM-DD` date, untrimmed as [`date_of_birth`] returns it; no age rule.
pub(super) fn stored_date(text: &str) -> Result<String, Invalid> {
    Date::parse(text)
        .map(|_| text.to_owned())
        .ok_or_else(|| Invalid::new("dob", "a stored value must be a real date, as YYYY-MM-DD"))
}

pub(super) fn phone(text: &str) -> Result<String, Invalid> {
    let text = text.trim();
    let Some(digits) = text.strip_prefix('+') else {
        return Err(Invalid::new(
            "phone",
            "must be in E.164 format, starting with + and the country code",
        ));
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Invalid::new(
            "phone",
            "after the +, only digits are allowed",
        ));
    }
    if digits.starts_with('0') {
        return Err(Invalid::new("phone", "a country code cannot start with 0"));
    }
    if !(2..=15).contains(&digits.len()) {
        return Err(Invalid::new(
            "phone",
            "must have between 2 and 15 digits after the +",
        ));
    }
    Ok(text.to_owned())
}

/// The longest email address, in characters (RFC 5321's path limit less its angle brackets).
pub const MAX_EMAIL: usize = 254;

pub(super) fn email(text: &str) -> Result<String, Invalid> {
    let fail = |m: &str| Err(Invalid::new("email", m));
    // Counted as given, before trimming, so the OpenAPI document's maxLength states the rule exactly.
    if text.chars().count() > MAX_EMAIL {
        return fail("is longer than 254 characters");
    }
    let text = text.trim();
    let Some((local, domain)) = text.rsplit_once('@') else {
        return fail("must contain an @");
    };
    if local.is_empty() {
        return fail("the part before the @ is empty");
    }
    let local_ok = local
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
    if !local_ok || local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return fail("the part before the @ has a character or dot that is not allowed");
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return fail("the domain must contain a dot");
    }
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    if !labels.iter().all(label_ok) {
        return fail("the domain is not a valid host name");
    }
    let top = labels[labels.len() - 1];
    if top.len() < 2 || !top.chars().all(|c| c.is_ascii_alphabetic()) {
        return fail("the domain must end in a top-level domain of letters");
    }
    Ok(text.to_owned())
}

/// US states, the District of Columbia, the territories and the military post codes.
pub const STATES: &[&str] = &[
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS",
    "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY",
    "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV",
    "WI", "WY", "DC", "AS", "GU", "MP", "PR", "VI", "UM", "FM", "MH", "PW", "AA", "AE", "AP",
];

/// A two-letter US state or territory code, upper case.
pub fn validate_state(text: &str) -> Result<(), Invalid> {
    if STATES.contains(&text.trim()) {
        Ok(())
    } else {
        Err(Invalid::new(
            "state",
            "must be a two-letter US state or territory code, such as NY",
        ))
    }
}

/// `12345` or `12345-6789`.
pub fn validate_zip(text: &str) -> Result<(), Invalid> {
    let text = text.trim();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let ok = match text.split_once('-') {
        None => digits(text, 5),
        Some((five, four)) => digits(five, 5) && digits(four, 4),
    };
    if ok {
        Ok(())
    } else {
        Err(Invalid::new(
            "zip",
            "must be a 5-digit ZIP code or ZIP+4, as 12345 or 12345-6789",
        ))
    }
}

/// An IPv4 or IPv6 address.
pub fn validate_ip(text: &str) -> Result<IpAddr, Invalid> {
    text.trim()
        .parse()
        .map_err(|_| Invalid::new("ip_address", "must be an IPv4 or IPv6 address"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pii::{DateOfBirth, Ein, Email, Phone, Ssn};

    fn message(result: Result<impl std::fmt::Debug, Invalid>) -> String {
        result.unwrap_err().message
    }

    #[test]
    fn ssn_rules() {
        assert!(Ssn::parse("123-45-6789").is_ok());
        assert!(Ssn::parse("123456789").is_ok());
        assert!(message(Ssn::parse("000-12-3456")).contains("000"));
        assert!(message(Ssn::parse("666-12-3456")).contains("666"));
        assert!(message(Ssn::parse("912-12-3456")).contains("900 to 999"));
        assert!(message(Ssn::parse("123-00-4567")).contains("group"));
        assert!(message(Ssn::parse("123-45-0000")).contains("serial"));
        assert!(message(Ssn::parse("12-345-6789")).contains("XXX-XX-XXXX"));
        assert!(message(Ssn::parse("12345678")).contains("nine digits"));
    }

    #[test]
    fn ein_rules() {
        assert!(Ein::parse("12-3456789").is_ok());
        assert!(message(Ein::parse("07-3456789")).contains("07"));
        assert!(message(Ein::parse("1-23456789")).contains("XX-XXXXXXX"));
    }

    #[test]
    fn date_of_birth_rules() {
        let today = "2026-11-21";
        assert!(DateOfBirth::parse("2000-02-29", today).is_ok());
        assert!(message(DateOfBirth::parse("2001-02-29", today)).contains("real date"));
        assert!(message(DateOfBirth::parse("2027-01-01", today)).contains("future"));
        assert!(message(DateOfBirth::parse("1890-01-01", today)).contains("over 125"));
        assert!(message(DateOfBirth::parse("04/07/1980", today)).contains("YYYY-MM-DD"));
    }

    #[test]
    fn stored_forms_check_the_shape_and_no_rule_that_can_change() {
        let today = "2026-11-21";
        assert!(DateOfBirth::parse("1890-01-01", today).is_err());
        assert_eq!(
            DateOfBirth::from_stored("1890-01-01").unwrap().expose(),
            "1890-01-01",
            "an age over 125 does not make a stored date unreadable"
        );
        assert_eq!(
            DateOfBirth::from_stored("2999-12-31").unwrap().expose(),
            "2999-12-31",
            "no clock is read"
        );
        assert_eq!(
            DateOfBirth::from_stored("1972-05-06").unwrap(),
            DateOfBirth::parse("1972-05-06", today).unwrap()
        );
        for bad in ["1972-02-30", "1972-5-6", " 1972-05-06", "06/05/1972", ""] {
            assert!(
                message(DateOfBirth::from_stored(bad)).contains("YYYY-MM-DD"),
                "{bad:?}"
            );
        }
        assert_eq!(
            Ssn::from_stored("512-44-8890").unwrap(),
            Ssn::parse("512448890").unwrap()
        );
        assert!(Ssn::from_stored("666-44-8890").is_ok(), "no issuance rule");
        for bad in ["512448890", "51-244-8890", "512-44-889x", " 512-44-8890"] {
            assert!(
                message(Ssn::from_stored(bad)).contains("XXX-XX-XXXX"),
                "{bad:?}"
            );
        }
        assert_eq!(
            Ein::from_stored("12-3456789").unwrap(),
            Ein::parse("123456789").unwrap()
        );
        assert!(Ein::from_stored("07-3456789").is_ok(), "no prefix rule");
        let refused = message(Ein::from_stored("123-456789"));
        assert!(
            refused.contains("XX-XXXXXXX") && !refused.contains("456789"),
            "{refused}"
        );
    }

    #[test]
    fn phone_and_email_rules() {
        assert!(Phone::parse("+12128675309").is_ok());
        assert!(message(Phone::parse("2128675309")).contains("E.164"));
        assert!(message(Phone::parse("+0128675309")).contains("cannot start with 0"));
        assert!(message(Phone::parse("+1234567890123456")).contains("15"));
        assert!(Email::parse("ron.swanson@pawnee.com").is_ok());
        assert!(message(Email::parse("ron.swanson")).contains("@"));
        assert!(message(Email::parse("ron@pawnee")).contains("dot"));
        assert!(message(Email::parse("ron..s@pawnee.com")).contains("before the @"));
    }

    #[test]
    fn address_and_network_rules() {
        assert!(validate_state("NY").is_ok() && validate_state("PR").is_ok());
        assert!(validate_state("XX").is_err());
        assert!(validate_zip("12345").is_ok() && validate_zip("12345-6789").is_ok());
        assert!(validate_zip("1234").is_err() && validate_zip("12345-678").is_err());
        assert!(validate_ip("192.168.1.1").is_ok() && validate_ip("::1").is_ok());
        assert!(validate_ip("300.1.1.1").is_err());
    }
}
