//! A token bucket per API key: `rate` requests a second on average, bursts up to `burst`. In memory: a
//! restart refills every bucket, which errs towards letting a client through.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use crate::http::error::ApiError;

/// Whether a check spends a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Take {
    One,
    None,
}

pub struct Limiter {
    /// Requests per second; `None` turns limiting off.
    rate: Option<f64>,
    burst: f64,
    buckets: Mutex<HashMap<String, Bucket>>,
}

struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Limiter {
    pub fn new(rate: f64, burst: u32) -> Self {
        Self {
            rate: (rate > 0.0).then_some(rate),
            burst: f64::from(burst.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token from the key's bucket, or says how many whole seconds until one is there.
    pub fn check(&self, key_id: &str) -> Result<(), ApiError> {
        self.check_at(key_id, Instant::now(), Take::One)
    }

    /// Whether `key_id` has a token left, without taking it.
    pub fn allows(&self, key_id: &str) -> Result<(), ApiError> {
        self.check_at(key_id, Instant::now(), Take::None)
    }

    /// [`Limiter::check`] at a given moment, so the arithmetic is tested on a clock the test controls.
    fn check_at(&self, key_id: &str, now: Instant, take: Take) -> Result<(), ApiError> {
        let Some(rate) = self.rate else {
            return Ok(());
        };
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let bucket = buckets.entry(key_id.to_owned()).or_insert(Bucket {
            tokens: self.burst,
            at: now,
        });
        let refill = now.duration_since(bucket.at).as_secs_f64() * rate;
        bucket.tokens = (bucket.tokens + refill).min(self.burst);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            if take == Take::One {
                bucket.tokens -= 1.0;
            }
            Ok(())
        } else {
            let wait = (1.0 - bucket.tokens) / rate;
            Err(ApiError::RateLimited {
                retry_after_secs: wait.ceil().max(1.0) as u64,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn wait(result: Result<(), ApiError>) -> u64 {
        match result {
            Err(ApiError::RateLimited { retry_after_secs }) => retry_after_secs,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn a_burst_then_refusal_with_a_wait_then_a_refill() {
        let limiter = Limiter::new(0.5, 2);
        let start = Instant::now();
        let at = |ms: u64| start + Duration::from_millis(ms);
        assert!(limiter.check_at("a", at(0), Take::One).is_ok());
        assert!(limiter.check_at("a", at(0), Take::One).is_ok());
        assert_eq!(
            wait(limiter.check_at("a", at(0), Take::One)),
            2,
            "one token every 2 s"
        );
        assert_eq!(
            wait(limiter.check_at("a", at(1_500), Take::One)),
            1,
            "half a second left"
        );
        assert!(
            limiter.check_at("b", at(1_500), Take::One).is_ok(),
            "keys have their own buckets"
        );
        assert!(
            limiter.check_at("a", at(2_000), Take::One).is_ok(),
            "refilled after 2 s"
        );
        assert_eq!(wait(limiter.check_at("a", at(2_000), Take::One)), 2);
        assert!(limiter.check_at("a", at(60_000), Take::One).is_ok());
        assert!(limiter.check_at("a", at(60_000), Take::One).is_ok());
        assert!(
            limiter.check_at("a", at(60_000), Take::One).is_err(),
            "a long pause refills to the burst, not beyond"
        );
    }

    #[test]
    fn asking_takes_no_token() {
        let limiter = Limiter::new(0.001, 1);
        assert!(limiter.allows("a").is_ok());
        assert!(limiter.allows("a").is_ok(), "asking twice spends nothing");
        assert!(limiter.check("a").is_ok());
        assert!(limiter.allows("a").is_err(), "the one token is spent");
    }

    #[test]
    fn zero_turns_limiting_off() {
        let limiter = Limiter::new(0.0, 1);
        assert!((0..1000).all(|_| limiter.check("a").is_ok()));
    }
}
