//! A scenario's report, and the suite's targets checked against the measurements.

use std::fmt::Write as _;

use serde_json::{Value, json};

/// A scenario's printable and machine-readable results.
pub(crate) struct Report {
    pub(crate) text: String,
    pub(crate) json: Value,
}

/// One target, measured.
pub(crate) struct Check {
    pub(crate) scenario: String,
    pub(crate) what: String,
    pub(crate) measured: f64,
    pub(crate) unit: &'static str,
    pub(crate) target: String,
    pub(crate) ok: bool,
}

impl Check {
    pub(crate) fn below(
        scenario: &str,
        what: &str,
        measured: Option<f64>,
        limit: f64,
        unit: &'static str,
    ) -> Self {
        let measured = measured.unwrap_or(f64::NAN);
        Self {
            scenario: scenario.into(),
            what: what.into(),
            measured,
            unit,
            target: format!("< {limit} {unit}").trim_end().to_string(),
            ok: measured < limit,
        }
    }

    pub(crate) fn at_least(
        scenario: &str,
        what: &str,
        measured: Option<f64>,
        limit: f64,
        unit: &'static str,
    ) -> Self {
        let measured = measured.unwrap_or(f64::NAN);
        Self {
            scenario: scenario.into(),
            what: what.into(),
            measured,
            unit,
            target: format!(">= {limit} {unit}").trim_end().to_string(),
            ok: measured >= limit,
        }
    }

    pub(crate) fn json(&self) -> Value {
        json!({
            "scenario": self.scenario,
            "what": self.what,
            "measured": self.measured,
            "unit": self.unit,
            "target": self.target,
            "ok": self.ok,
        })
    }
}

pub(crate) fn checks_table(checks: &[Check]) -> String {
    let mut text = String::from("targets\n");
    let _ = writeln!(
        text,
        "  {:<24} {:<26} {:>14} {:>14}  result",
        "scenario", "metric", "measured", "target"
    );
    for check in checks {
        let _ = writeln!(
            text,
            "  {:<24} {:<26} {:>14} {:>14}  {}",
            check.scenario,
            check.what,
            format!("{:.3} {}", check.measured, check.unit),
            check.target,
            if check.ok { "ok" } else { "MISSED" }
        );
    }
    text
}

pub(crate) fn number(value: &Value, path: &[&str]) -> Option<f64> {
    path.iter()
        .try_fold(value, |value, key| value.get(key))
        .and_then(Value::as_f64)
}
