//! How the benchmarks state a latency: a percentile of sorted durations, in milliseconds.

use std::time::Duration;

/// The `p` quantile (0 to 1) of `sorted`, by the nearest-rank rule.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    assert!(!sorted.is_empty(), "a percentile of no durations");
    let rank = ((sorted.len() as f64) * p).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// `d` as a table cell: `1.23 ms`.
pub fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}
