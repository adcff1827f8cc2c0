//! How values read on screen: times, addresses, counts and waits, the same on every page.

use clearance_api::Address;

/// `2026-11-21T10:00:43.379Z` as `2026-11-21 10:00 UTC`.
pub fn local_time(stamp: &str) -> String {
    match (stamp.get(..10), stamp.get(11..16)) {
        (Some(date), Some(time)) => format!("{date} {time} UTC"),
        _ => stamp.to_owned(),
    }
}

/// An address on one line, or "not given".
pub fn address_line(address: Option<&Address>) -> String {
    address
        .map(|a| format!("{}, {}, {} {}", a.address1, a.city, a.state, a.zip))
        .unwrap_or_else(|| "not given".to_owned())
}

/// A count with thousands separators, as the tables show numbers.
pub fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A wait of `seconds` as an analyst reads it: `45 min`, `5 h 20 min`, `3 d 4 h`.
pub fn wait(seconds: i64) -> String {
    let minutes = seconds.max(0) / 60;
    let (days, hours, minutes) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
    match (days, hours) {
        (0, 0) => format!("{minutes} min"),
        (0, _) => format!("{hours} h {minutes} min"),
        _ => format!("{days} d {hours} h"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_read_in_the_largest_units_that_matter() {
        assert_eq!(wait(-5), "0 min");
        assert_eq!(wait(45 * 60 + 59), "45 min");
        assert_eq!(wait(5 * 3600 + 20 * 60), "5 h 20 min");
        assert_eq!(wait(3 * 86_400 + 4 * 3600 + 59 * 60), "3 d 4 h");
    }

    #[test]
    fn counts_group_thousands() {
        assert_eq!(count(7), "7");
        assert_eq!(count(1_000), "1,000");
        assert_eq!(count(1_234_567), "1,234,567");
    }
}
