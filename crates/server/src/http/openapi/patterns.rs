//! The server's field rules as JSON Schema patterns, so that a value matches its pattern exactly when the
//! validators (`domain::validate` and the screening crate's `pii`) accept it. Written for both regex
//! dialects a client may use: ECMA-262, which JSON Schema names, and Python's, which fuzzers use. So no
//! `\d` or `\s` (Unicode-wide in Python), and every pattern allows what `str::trim` strips around the
//! value, which also covers Python's `$` matching before a final newline. No lookarounds either: fuzzers
//! generate from a pattern, and cannot generate through one. Length limits a pattern cannot count are
//! the schema's `maxLength`, and the server counts them the same way, before trimming.

use clearance_screening::pii::{EIN_PREFIXES, MAX_AGE, STATES};

/// `char::is_whitespace`, what `str::trim` strips.
const WS: &str = r"\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000";
/// `char::is_control`.
const CTRL: &str = r"\u0000-\u001f\u007f-\u009f";

/// `core`, with anything `str::trim` strips around it.
pub fn trimmed(core: &str) -> String {
    format!("^[{WS}]*(?:{core})[{WS}]*$")
}

/// Free text the server trims and then requires: 1 to `max` characters, none of them control characters.
pub fn required_text(max: usize) -> String {
    format!(
        "^[{WS}]*[^{WS}{CTRL}][^{CTRL}]{{0,{}}}[{WS}]*$",
        max.saturating_sub(1)
    )
}

/// Free text the server trims, which may then be empty: at most `max` characters, no control characters.
pub fn optional_text(max: usize) -> String {
    format!("^[{WS}]*[^{CTRL}]{{0,{max}}}[{WS}]*$")
}

/// A note: at most `max` characters counted whole (`maxLength` says so), no control characters but
/// newlines, and (when `required`) something other than blanks.
pub fn note(required: bool) -> String {
    let allowed = r"[^\u0000-\u0009\u000b-\u001f\u007f-\u009f]";
    if required {
        format!("^{allowed}*[^{WS}{CTRL}]{allowed}*$")
    } else {
        format!("^{allowed}*$")
    }
}

/// A Request-Id, Correlation-Id or Idempotency-Key: 1 to 255 visible ASCII characters, spaces inside.
pub const HEADER_ID: &str = "^[!-~](?:[ -~]{0,253}[!-~])?$";

/// `XXX-XX-XXXX` or nine digits, without the numbers the SSA never issues (area 000, 666 or 9xx, group
/// 00, serial 0000).
pub fn ssn() -> String {
    let area = "(?:00[1-9]|0[1-9][0-9]|[1-578][0-9]{2}|6[0-57-9][0-9]|66[0-57-9])";
    let group = "(?:0[1-9]|[1-9][0-9])";
    let serial = "(?:000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})";
    trimmed(&format!("{area}-{group}-{serial}|{area}{group}{serial}"))
}

/// `XX-XXXXXXX` or nine digits, with a prefix the IRS assigns.
pub fn ein() -> String {
    let prefixes: Vec<String> = EIN_PREFIXES.iter().map(|p| format!("{p:02}")).collect();
    trimmed(&format!("(?:{})-?[0-9]{{7}}", prefixes.join("|")))
}

/// E.164: `+`, a first digit other than 0, 2 to 15 digits in all.
pub fn phone() -> String {
    trimmed(r"\+[1-9][0-9]{1,14}")
}

/// The email rule of `pii::Email`: a local part of the characters RFC 5322 allows unquoted (dots only
/// between others), and a host name of two or more labels whose last is letters only. Its length limit
/// (254 characters, counted before trimming) is the schema's `maxLength`.
pub fn email() -> String {
    let atom = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
    let label = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    trimmed(&format!(
        "{atom}(?:\\.{atom})*@(?:{label}\\.)+[A-Za-z]{{2,63}}"
    ))
}

/// A two-letter US state or territory code.
pub fn state() -> String {
    trimmed(&STATES.join("|"))
}

/// `12345` or `12345-6789`.
pub fn zip() -> String {
    trimmed("[0-9]{5}(?:-[0-9]{4})?")
}

/// What `std::net::IpAddr` parses: dotted-quad IPv4 without leading zeros, and IPv6 with at most one
/// `::` standing for one or more zero groups, optionally ending in an IPv4 address.
pub fn ip_address() -> String {
    let octet = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])";
    let v4 = format!("{octet}\\.{octet}\\.{octet}\\.{octet}");
    let hex = "[0-9A-Fa-f]{1,4}";
    let mut forms = vec![
        v4.clone(),
        format!("(?:{hex}:){{7}}{hex}"),
        format!("(?:{hex}:){{6}}{v4}"),
    ];
    // `head` groups before the `::`, then at most 7 - head after it (the `::` stands for at least one).
    for head in 0..=7usize {
        let before = match head {
            0 => String::new(),
            n => format!("(?:{hex}:){{{}}}{hex}", n - 1),
        };
        let room = 7 - head;
        let mut tails = vec![String::new()];
        if room >= 1 {
            tails.push(format!("{hex}(?::{hex}){{0,{}}}", room - 1));
        }
        if room >= 2 {
            tails.push(format!("(?:{hex}:){{0,{}}}{v4}", room - 2));
        }
        forms.push(format!("{before}::(?:{})", tails.join("|")));
    }
    trimmed(&forms.join("|"))
}

/// An absolute http or https URL with a host name whose last label starts with a letter, an optional
/// port, and then any visible ASCII. Its length limit is the schema's `maxLength`, counted before trimming.
pub fn website() -> String {
    let label = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    let top = "[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    let port =
        "(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[0-9]{1,4}))?";
    trimmed(&format!(
        "[Hh][Tt][Tt][Pp][Ss]?://(?:{label}\\.)*{top}{port}(?:[/?#][!-~]*)?"
    ))
}

/// A real `YYYY-MM-DD` date from `MAX_AGE` years before `today` up to `today`: the date-of-birth rule,
/// which moves with the calendar, so the document is built per request.
pub fn date_of_birth(today: (u16, u8, u8)) -> String {
    let (year, month, day) = today;
    let oldest = (year.saturating_sub(MAX_AGE), month, day);
    let mut forms = Vec::new();
    if oldest.0 == year {
        forms.push(months_of(year, (month, day), (month, day)));
    } else {
        forms.push(months_of(oldest.0, (oldest.1, oldest.2), (12, 31)));
        let (leap, common): (Vec<u16>, Vec<u16>) = (oldest.0 + 1..year).partition(|y| is_leap(*y));
        for (years, sample) in [(common, 2001), (leap, 2000)] {
            if !years.is_empty() {
                let names: Vec<String> = years.iter().map(u16::to_string).collect();
                forms.push(format!(
                    "(?:{})-(?:{})",
                    names.join("|"),
                    month_days(sample, (1, 1), (12, 31))
                ));
            }
        }
        forms.push(months_of(year, (1, 1), (month, day)));
    }
    trimmed(&forms.join("|"))
}

fn is_leap(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

fn days_in(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `YYYY-` and [`month_days`] for one year.
fn months_of(year: u16, from: (u8, u8), to: (u8, u8)) -> String {
    format!("{year:04}-(?:{})", month_days(year, from, to))
}

/// The `MM-DD` of `year` from `from` to `to`, both included: whole months as day ranges, the first and
/// last month cut to their days.
fn month_days(year: u16, from: (u8, u8), to: (u8, u8)) -> String {
    let mut months = Vec::new();
    for month in from.0..=to.0 {
        let first = if month == from.0 { from.1 } else { 1 };
        let last = if month == to.0 {
            to.1.min(days_in(year, month))
        } else {
            days_in(year, month)
        };
        if first <= last {
            let days: Vec<String> = (first..=last).map(|d| format!("{d:02}")).collect();
            months.push(format!("{month:02}-(?:{})", days.join("|")));
        }
    }
    months.join("|")
}

#[cfg(test)]
mod tests {
    use super::*;
    use clearance_screening::pii::{DateOfBirth, Ein, Email, Phone, Ssn, validate_ip};
    use fancy_regex::Regex;

    fn matches(pattern: &str, text: &str) -> bool {
        Regex::new(pattern).unwrap().is_match(text).unwrap()
    }

    /// Every sample is matched by the pattern exactly when the validator accepts it.
    fn agree(pattern: &str, accepts: impl Fn(&str) -> bool, samples: &[&str]) {
        for sample in samples {
            assert_eq!(
                matches(pattern, sample),
                accepts(sample),
                "{sample:?} against {pattern}"
            );
        }
    }

    #[test]
    fn identifiers_match_their_validators() {
        agree(
            &ssn(),
            |s| Ssn::parse(s).is_ok(),
            &[
                "123-45-6789",
                "123456789",
                " 123-45-6789\n",
                "000-12-3456",
                "666-12-3456",
                "665-12-3456",
                "667-12-3456",
                "900-12-3456",
                "899-12-3456",
                "123-00-4567",
                "123-45-0000",
                "123-45-0001",
                "12-345-6789",
                "123-456789",
                "12345678",
                "١٢٣-٤٥-٦٧٨٩",
            ],
        );
        agree(
            &ein(),
            |s| Ein::parse(s).is_ok(),
            &[
                "12-3456789",
                "123456789",
                "07-3456789",
                "1-23456789",
                "98-7654321",
                "99-76543210",
            ],
        );
        agree(
            &phone(),
            |s| Phone::parse(s).is_ok(),
            &[
                "+12128675309",
                "+1",
                "+12",
                "+0212",
                "12128675309",
                "+1234567890123456",
                "+123456789012345",
            ],
        );
        agree(
            &email(),
            |s| Email::parse(s).is_ok(),
            &[
                "ron.swanson@pawnee.com",
                " a@b.co ",
                "a@b.c",
                "a@b",
                ".a@b.co",
                "a.@b.co",
                "a..b@c.co",
                "a@-b.co",
                "a@b-.co",
                "a@b.c0",
                "a@@b.co",
                "a b@c.co",
                &format!("{}@b.co", "a".repeat(65)),
                &format!("a@{}.co", "b".repeat(63)),
                &format!("a@{}.co", "b".repeat(64)),
            ],
        );
        agree(
            &ip_address(),
            |s| validate_ip(s).is_ok(),
            &[
                "192.168.1.1",
                "0.0.0.0",
                "255.255.255.255",
                "256.1.1.1",
                "01.1.1.1",
                "1.1.1",
                "::",
                "::1",
                "1::",
                "1:2:3:4:5:6:7:8",
                "1:2:3:4:5:6:7::",
                "1:2:3:4:5:6:7:8:9",
                "1::2::3",
                "::ffff:1.2.3.4",
                "1:2:3:4:5:6:1.2.3.4",
                "1:2:3:4:5:6:7:1.2.3.4",
                "1:2:3:4:5::1.2.3.4",
                "1:2:3:4:5:6::1.2.3.4",
                "12345::",
                "fe80::1%eth0",
                "ABCD::ef",
            ],
        );
    }

    #[test]
    fn dates_of_birth_run_from_the_oldest_age_to_today() {
        let pattern = date_of_birth((2024, 2, 29));
        let accepts = |s: &str| DateOfBirth::parse(s, "2024-02-29").is_ok();
        agree(
            &pattern,
            accepts,
            &[
                "2024-02-29",
                "2024-03-01",
                "2024-01-31",
                "1899-02-28",
                "1899-03-01",
                "1899-12-31",
                "1900-02-29",
                "2000-02-29",
                "2001-02-29",
                "1999-04-31",
                "1999-04-30",
                "2023-13-01",
                "2023-00-10",
                "1980-1-5",
                " 1980-01-05 ",
            ],
        );
    }

    #[test]
    fn text_rules_count_what_trim_leaves() {
        let name = required_text(5);
        assert!(matches(&name, "  ab  "));
        assert!(matches(&name, "a b c"));
        assert!(matches(&name, &format!(" {} ", "é".repeat(5))));
        assert!(!matches(&name, "abcdef"));
        assert!(!matches(&name, "   "));
        assert!(!matches(&name, "a\u{7}b"));
        let optional = optional_text(3);
        assert!(matches(&optional, ""));
        assert!(matches(&optional, " abc "));
        assert!(!matches(&optional, "abcd"));
        assert!(matches(&note(true), "a\nb"));
        assert!(!matches(&note(true), " \n "));
        assert!(!matches(&note(false), "a\tb"));
        assert!(matches(HEADER_ID, "a b"));
        assert!(!matches(HEADER_ID, " a"));
        assert!(!matches(HEADER_ID, ""));
        let site = website();
        assert!(matches(&site, "https://pawnee.gov/parks?x=1"));
        assert!(matches(&site, "http://a.co:8080"));
        assert!(!matches(&site, "http://a.co:65536"));
        assert!(!matches(&site, "ftp://a.co"));
        assert!(!matches(&site, "http://1.2.3"));
    }
}
