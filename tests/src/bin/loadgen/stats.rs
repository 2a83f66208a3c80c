//! The shared clock, and percentiles of measured times.

use std::{
    sync::LazyLock,
    time::{Duration, Instant},
};

use serde_json::{Value, json};

/// The shared clock: edits carry their send time in microseconds since this instant,
/// and receivers subtract it from their own reading of the same clock.
pub(crate) static EPOCH: LazyLock<Instant> = LazyLock::new(Instant::now);

pub(crate) fn now_us() -> u64 {
    u64::try_from(EPOCH.elapsed().as_micros()).unwrap_or(u64::MAX)
}

/// Percentiles of a set of durations, in milliseconds.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Dist {
    pub(crate) n: usize,
    pub(crate) p50: f64,
    pub(crate) p95: f64,
    pub(crate) p99: f64,
    pub(crate) max: f64,
}

impl Dist {
    pub(crate) fn from_micros(mut samples: Vec<u64>) -> Self {
        if samples.is_empty() {
            return Self::default();
        }
        samples.sort_unstable();
        // Nearest rank: the smallest sample with at least p% of samples at or below it.
        let rank = |p: f64| {
            let index = (p / 100.0 * samples.len() as f64).ceil() as usize;
            samples[index.clamp(1, samples.len()) - 1] as f64 / 1e3
        };
        Self {
            n: samples.len(),
            p50: rank(50.0),
            p95: rank(95.0),
            p99: rank(99.0),
            max: samples[samples.len() - 1] as f64 / 1e3,
        }
    }

    pub(crate) fn from_durations(samples: &[Duration]) -> Self {
        Self::from_micros(samples.iter().map(|d| d.as_micros() as u64).collect())
    }

    pub(crate) fn text(&self) -> String {
        if self.n == 0 {
            return "no samples".into();
        }
        format!(
            "p50 {} ms  p95 {} ms  p99 {} ms  max {} ms  (n={})",
            ms(self.p50),
            ms(self.p95),
            ms(self.p99),
            ms(self.max),
            self.n
        )
    }

    pub(crate) fn json(&self) -> Value {
        json!({
            "n": self.n,
            "p50_ms": self.p50,
            "p95_ms": self.p95,
            "p99_ms": self.p99,
            "max_ms": self.max,
        })
    }
}

/// Milliseconds with sensible precision.
pub(crate) fn ms(value: f64) -> String {
    if value < 10.0 {
        format!("{value:.2}")
    } else if value < 100.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.0}")
    }
}
