//! Straddle's four correlation levels, each a fixed band of the match score, and the alert threshold.

use serde::{Deserialize, Serialize};

/// How strongly a result correlates with a listed party. The bands (inclusive lower bounds):
///
/// | level | score |
/// |---|---|
/// | `low_confidence` | below 0.82 |
/// | `potential_match` | 0.82 to below 0.90 |
/// | `likely_match` | 0.90 to below 0.97 |
/// | `high_confidence` | 0.97 and above |
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Correlation {
    LowConfidence,
    PotentialMatch,
    LikelyMatch,
    HighConfidence,
}

impl Correlation {
    pub const POTENTIAL_MATCH_FROM: f64 = 0.82;
    pub const LIKELY_MATCH_FROM: f64 = 0.90;
    pub const HIGH_CONFIDENCE_FROM: f64 = 0.97;

    pub fn from_score(score: f64) -> Self {
        if score >= Self::HIGH_CONFIDENCE_FROM {
            Self::HighConfidence
        } else if score >= Self::LIKELY_MATCH_FROM {
            Self::LikelyMatch
        } else if score >= Self::POTENTIAL_MATCH_FROM {
            Self::PotentialMatch
        } else {
            Self::LowConfidence
        }
    }

    /// Straddle's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::LowConfidence => "low_confidence",
            Self::PotentialMatch => "potential_match",
            Self::LikelyMatch => "likely_match",
            Self::HighConfidence => "high_confidence",
        }
    }
}

/// The default alert threshold: a result at or above it is a potential match that an analyst must review.
/// It is the lower bound of `potential_match`, and every evaluation figure in the README is taken at it.
pub const DEFAULT_THRESHOLD: f64 = Correlation::POTENTIAL_MATCH_FROM;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_are_contiguous() {
        assert_eq!(Correlation::from_score(0.0), Correlation::LowConfidence);
        assert_eq!(Correlation::from_score(0.8199), Correlation::LowConfidence);
        assert_eq!(Correlation::from_score(0.82), Correlation::PotentialMatch);
        assert_eq!(Correlation::from_score(0.90), Correlation::LikelyMatch);
        assert_eq!(Correlation::from_score(0.97), Correlation::HighConfidence);
        assert_eq!(Correlation::from_score(1.0), Correlation::HighConfidence);
    }
}
