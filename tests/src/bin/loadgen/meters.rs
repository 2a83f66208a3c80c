//! What is read from the server while a scenario runs: its process's CPU time and memory
//! (`/proc`, and the load generator's own CPU), samples of its `/metrics` page, and lines
//! of its log.

use std::{sync::LazyLock, time::Instant};

use serde_json::{Value, json};

use crate::stats::ms;

/// Clock ticks per second, the unit of utime and stime in /proc/PID/stat.
pub(crate) static CLK_TCK: LazyLock<f64> = LazyLock::new(|| {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .and_then(|text| text.trim().parse().ok())
        .unwrap_or(100.0)
});

/// CPU time (user + system) a process has used, in seconds.
pub(crate) fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name is in parentheses and may hold spaces; fields follow the last ')'.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    // After the name: state (field 3), ..., utime (14), stime (15).
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) as f64 / *CLK_TCK)
}

/// A `/proc/PID/status` value in kB, as MB.
pub(crate) fn status_mb(pid: u32, key: &str) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// CPU use of one process over a window of wall time.
pub(crate) struct CpuMeter {
    pub(crate) pid: u32,
    pub(crate) cpu: f64,
    pub(crate) at: Instant,
}

impl CpuMeter {
    pub(crate) fn start(pid: Option<u32>) -> Option<Self> {
        let pid = pid?;
        Some(Self {
            pid,
            cpu: cpu_seconds(pid)?,
            at: Instant::now(),
        })
    }

    /// Percent of one core since `start`.
    pub(crate) fn percent(&self) -> Option<f64> {
        let used = self.used()?;
        Some(100.0 * used / self.at.elapsed().as_secs_f64().max(1e-9))
    }

    /// CPU seconds used since `start`.
    pub(crate) fn used(&self) -> Option<f64> {
        Some(cpu_seconds(self.pid)? - self.cpu)
    }
}

/// What the server process used during a scenario.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct ServerUsage {
    /// Percent of one core over the scenario's measured phase.
    pub(crate) cpu_percent: Option<f64>,
    /// CPU seconds over the same phase.
    pub(crate) cpu_seconds: Option<f64>,
    /// VmHWM: the most resident memory the process ever had.
    pub(crate) peak_rss_mb: Option<f64>,
    /// The loadgen's own CPU over the same phase, to show it was not the bottleneck.
    pub(crate) loadgen_cpu_percent: Option<f64>,
}

impl ServerUsage {
    pub(crate) fn text(&self) -> String {
        let opt = |v: Option<f64>, unit: &str| match v {
            Some(v) => format!("{v:.1}{unit}"),
            None => "n/a".into(),
        };
        format!(
            "server CPU {} of one core, server peak RSS {}; loadgen CPU {}",
            opt(self.cpu_percent, " %"),
            opt(self.peak_rss_mb, " MB"),
            opt(self.loadgen_cpu_percent, " %"),
        )
    }

    pub(crate) fn json(&self) -> Value {
        json!({
            "server_cpu_percent": self.cpu_percent,
            "server_peak_rss_mb": self.peak_rss_mb,
            "loadgen_cpu_percent": self.loadgen_cpu_percent,
        })
    }
}

/// Measures the server and the loadgen over one phase.
pub(crate) struct PhaseMeter {
    pub(crate) server: Option<CpuMeter>,
    pub(crate) own: Option<CpuMeter>,
    pub(crate) pid: Option<u32>,
}

impl PhaseMeter {
    pub(crate) fn start(server_pid: Option<u32>) -> Self {
        Self {
            server: CpuMeter::start(server_pid),
            own: CpuMeter::start(Some(std::process::id())),
            pid: server_pid,
        }
    }

    pub(crate) fn finish(&self) -> ServerUsage {
        ServerUsage {
            cpu_percent: self.server.as_ref().and_then(CpuMeter::percent),
            cpu_seconds: self.server.as_ref().and_then(CpuMeter::used),
            peak_rss_mb: self.pid.and_then(|pid| status_mb(pid, "VmHWM:")),
            loadgen_cpu_percent: self.own.as_ref().and_then(CpuMeter::percent),
        }
    }
}

/// One sample of a Prometheus text page.
pub(crate) fn sample(page: &str, name: &str) -> Option<f64> {
    page.lines()
        .filter_map(|line| line.rsplit_once(' '))
        .find(|(key, _)| *key == name)
        .and_then(|(_, value)| value.parse().ok())
}

/// The server's group-commit times, from its `board_store_append_seconds` histogram.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct CommitTimes {
    pub(crate) commits: f64,
    /// Upper bounds (in ms) of the buckets holding the 50th and 99th percentiles.
    pub(crate) p50_le_ms: Option<f64>,
    pub(crate) p99_le_ms: Option<f64>,
}

impl CommitTimes {
    pub(crate) fn from_page(page: &str) -> Self {
        let prefix = "board_store_append_seconds_bucket{le=\"";
        let buckets: Vec<(f64, f64)> = page
            .lines()
            .filter_map(|line| {
                let (le, count) = line.strip_prefix(prefix)?.split_once("\"}")?;
                let le = if le == "+Inf" {
                    f64::INFINITY
                } else {
                    le.parse().ok()?
                };
                Some((le * 1e3, count.trim().parse().ok()?))
            })
            .collect();
        let commits = buckets.last().map_or(0.0, |(_, count)| *count);
        let quantile = |q: f64| {
            buckets
                .iter()
                .find(|(_, count)| commits > 0.0 && *count >= q * commits)
                .map(|(le, _)| *le)
        };
        Self {
            commits,
            p50_le_ms: quantile(0.5),
            p99_le_ms: quantile(0.99),
        }
    }

    pub(crate) fn text(&self) -> String {
        let bound = |v: Option<f64>| v.map_or_else(|| "n/a".into(), ms);
        format!(
            "{} group commits; p50 <= {} ms, p99 <= {} ms (histogram bucket bounds)",
            self.commits,
            bound(self.p50_le_ms),
            bound(self.p99_le_ms)
        )
    }

    pub(crate) fn json(&self) -> Value {
        json!({
            "commits": self.commits,
            "p50_le_ms": self.p50_le_ms,
            "p99_le_ms": self.p99_le_ms,
        })
    }
}

/// The `room opened` line the server logs when it loads a board: (updates in the log
/// after the merged state, milliseconds).
pub(crate) fn room_opened(log: &str) -> Option<(u64, f64)> {
    let line = log.lines().rev().find(|l| l.contains("room opened"))?;
    let field = |key: &str| {
        line.split_whitespace()
            .find_map(|token| token.strip_prefix(key))
            .map(str::to_string)
    };
    Some((
        field("updates=")?.parse().ok()?,
        field("ms=")?.parse().ok()?,
    ))
}
