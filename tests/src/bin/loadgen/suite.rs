//! The standard suite: the scenarios of docs/benchmarks.md, checked against the targets.

use std::time::Duration;

use anyhow::Result;

use crate::{
    cli::{
        ColdBy, ColdLoadArgs, DbKind, FanoutArgs, MissedTicks, Pattern, SqliteSync, StormArgs,
        SuiteArgs,
    },
    cold_load::cold_load,
    fanout::fanout,
    report::{Check, Report, number},
    storm::storm,
    target::Bench,
};

pub(crate) async fn suite(bench: &Bench, args: &SuiteArgs) -> Result<(Vec<Report>, Vec<Check>)> {
    let mut reports = Vec::new();
    let mut checks = Vec::new();
    let small = FanoutArgs {
        clients: 50,
        docs: 1,
        writers: 10,
        rate: 10.0,
        duration: args.duration,
        missed_ticks: MissedTicks::Skip,
        connect_concurrency: 100,
        drain_timeout: Duration::from_secs(10),
    };
    let report = fanout(bench, &small, "fanout-50x1").await?;
    checks.push(Check::below(
        "fanout-50x1",
        "fan-out latency p99",
        number(&report.json, &["latency", "p99_ms"]),
        3.0,
        "ms",
    ));
    checks.push(Check::at_least(
        "fanout-50x1",
        "delivery ratio",
        number(&report.json, &["delivery_ratio"]),
        1.0,
        "",
    ));
    reports.push(report);

    if !args.no_sync_comparison && bench.external.is_none() && bench.args.backend == DbKind::Sqlite
    {
        let mut normal_args = bench.args.clone();
        normal_args.sqlite_sync = SqliteSync::Normal;
        let normal = Bench {
            args: normal_args,
            run_id: bench.run_id.clone(),
            external: None,
        };
        reports.push(fanout(&normal, &small, "fanout-50x1-normal").await?);
    }

    let large = FanoutArgs {
        clients: 1000,
        docs: 200,
        writers: 200,
        rate: 1.0,
        ..small
    };
    let report = fanout(bench, &large, "fanout-1000x200").await?;
    checks.push(Check::below(
        "fanout-1000x200",
        "server peak RSS",
        number(&report.json, &["usage", "server_peak_rss_mb"]),
        40.0,
        "MB",
    ));
    checks.push(Check::at_least(
        "fanout-1000x200",
        "delivery ratio",
        number(&report.json, &["delivery_ratio"]),
        1.0,
        "",
    ));
    reports.push(report);

    let cold = ColdLoadArgs {
        updates: 20_000,
        pattern: Pattern::Append,
        runs: args.cold_runs,
        cold_by: if bench.external.is_some() {
            ColdBy::Idle
        } else {
            ColdBy::Restart
        },
        window: 256,
        no_settle: false,
        build_rate: if bench.external.is_some() { 190.0 } else { 0.0 },
    };
    let report = cold_load(bench, &cold, "cold-load").await?;
    checks.push(Check::below(
        "cold-load",
        "connect->loaded p50",
        number(&report.json, &["connect_to_loaded", "p50_ms"]),
        25.0,
        "ms",
    ));
    reports.push(report);
    // The same number of inserts at random positions: a fragmented document, ~20x the
    // size. Reported for comparison; the target is set for the typing case above.
    let random = ColdLoadArgs {
        pattern: Pattern::Random,
        ..cold
    };
    reports.push(cold_load(bench, &random, "cold-load-random").await?);

    let storm_args = StormArgs {
        clients: 1000,
        docs: 100,
        timeout: Duration::from_secs(30),
    };
    let report = storm(bench, &storm_args, "storm").await?;
    checks.push(Check::below(
        "storm",
        "all synced",
        number(&report.json, &["all_synced_ms"]),
        600.0,
        "ms",
    ));
    checks.push(Check::below(
        "storm",
        "failures",
        number(&report.json, &["failures"]),
        1.0,
        "",
    ));
    reports.push(report);
    Ok((reports, checks))
}
