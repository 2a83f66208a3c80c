//! `loadgen`: measures the board server under load, through real websockets.
//!
//! Scenarios (results and method in `docs/benchmarks.md`):
//! - `fanout`: clients spread over documents; some of them edit at a steady rate, and
//!   every client of a document times each edit's arrival (the writer too: the server
//!   echoes every update to everyone in the room).
//! - `cold-load`: a board built from many small updates is opened by a fresh client while
//!   its room is cold, i.e. loaded from the store.
//! - `storm`: many clients connecting at the same moment.
//! - `library`: searches and facet counts on a library of 500 reviews and 5,000 findings
//!   (the demo partnership and generated reviews).
//! - `chronology`: an agency's chronology of 10,000 rows read, checked, imported and
//!   listed through the API.
//! - `report`: the report of a 60-episode board exported in each format.
//! - `cluster`: three nodes on one PostgreSQL database: what relaying to the owner
//!   adds, how long a failover takes, and many clients over many boards.
//! - `suite`: the standard set, checked against the targets.
//!
//! By default every scenario starts its own `board serve` on a fresh SQLite database and
//! reads that process's CPU time and peak memory from `/proc`. `--url` targets a server
//! that is already running instead.
//!
//! The modules: the command line ([`cli`]), the server under test ([`target`]), the
//! websocket client ([`sync`]), the clock and percentiles ([`stats`]), what is read from
//! the server process and its `/metrics` ([`meters`]), one module per scenario, and the
//! targets and report ([`report`]).

mod chronology;
mod cli;
mod cluster;
mod cold_load;
mod fanout;
mod fanout_client;
mod library;
mod meters;
mod report;
mod report_export;
mod stats;
mod storm;
mod suite;
mod sync;
mod target;

use std::{process::ExitCode, sync::LazyLock};

use anyhow::Result;
use clap::Parser;
use serde_json::json;

use crate::{
    chronology::chronology,
    cli::{Cli, Scenario},
    cluster::cluster,
    cold_load::cold_load,
    fanout::fanout,
    library::library,
    report::{Check, checks_table},
    report_export::report_export,
    stats::EPOCH,
    storm::storm,
    suite::suite,
    target::Bench,
};

fn main() -> ExitCode {
    LazyLock::force(&EPOCH);
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("loadgen: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("loadgen: {err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<ExitCode> {
    raise_fd_limit();
    let bench = Bench::new(cli.target)?;
    let json = cli.json;
    let (reports, checks, exit_on_miss) = match cli.scenario {
        Scenario::Fanout(args) => (vec![fanout(&bench, &args, "fanout").await?], vec![], false),
        Scenario::ColdLoad(args) => (
            vec![cold_load(&bench, &args, "cold-load").await?],
            vec![],
            false,
        ),
        Scenario::Storm(args) => (vec![storm(&bench, &args, "storm").await?], vec![], false),
        Scenario::Report(args) => (
            vec![report_export(&bench, &args, "report").await?],
            vec![],
            false,
        ),
        Scenario::Chronology(args) => (
            vec![chronology(&bench, &args, "chronology").await?],
            vec![],
            false,
        ),
        Scenario::Library(args) => (
            vec![library(&bench, &args, "library").await?],
            vec![],
            false,
        ),
        Scenario::Cluster(args) => (
            vec![cluster(&bench, &args, "cluster").await?],
            vec![],
            false,
        ),
        Scenario::Suite(args) => {
            let (reports, checks) = suite(&bench, &args).await?;
            (reports, checks, args.check)
        }
    };
    if json {
        let doc = json!({
            "scenarios": reports.iter().map(|r| r.json.clone()).collect::<Vec<_>>(),
            "checks": checks.iter().map(Check::json).collect::<Vec<_>>(),
        });
        println!("{}", serde_json::to_string_pretty(&doc)?);
    } else {
        for report in &reports {
            println!("{}", report.text);
        }
        if !checks.is_empty() {
            println!("{}", checks_table(&checks));
        }
    }
    Ok(if exit_on_miss && checks.iter().any(|c| !c.ok) {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// Raises the soft open-files limit: a storm holds a thousand sockets, and the started
/// server inherits the limit.
fn raise_fd_limit() {
    match rlimit::increase_nofile_limit(65_536) {
        Ok(limit) if limit < 4096 => eprintln!(
            "loadgen: warning: only {limit} open files allowed; big scenarios may fail \
             (raise the hard limit: ulimit -Hn)"
        ),
        Ok(_) => {}
        Err(err) => eprintln!("loadgen: warning: cannot raise the open-files limit: {err}"),
    }
}
