//! Scenario `library`: the findings library at the size of a large partnership's
//! history: the demo partnership and `--more-reviews` generated published reviews of ten
//! findings or more each (500 reviews and 5,000 findings at the defaults), loaded with
//! `board demo`; then, as the partnership's analyst, searches (words the demo's
//! findings use, one to three at a time), facet counts (none chosen, a category, a
//! category and an effect), a matrix and a trend, each timed over the HTTP API.

use std::{fmt::Write as _, time::Instant};

use anyhow::{Result, bail};
use serde_json::{Value, json};

use crate::{cli::LibraryArgs, meters::status_mb, report::Report, stats::Dist, target::Bench};

/// What a reader types: words the demo's findings use, alone and together.
const SEARCHES: [&str; 12] = [
    "father",
    "assessment",
    "supervision",
    "information%20sharing",
    "strategy%20discussion",
    "referral",
    "men%20household",
    "caseload",
    "school",
    "health%20visitor",
    "neglect%20chronic",
    "mother%20partner%20risk",
];

const FACETS: [&str; 4] = [
    "",
    "category=family_professional_interaction",
    "category=human_judgement_reasoning&effect=hinders",
    "q=assessment&level=local_strategic",
];

async fn timed(
    analyst: &board_tests::api::ApiClient,
    path: &str,
    into: &mut Vec<std::time::Duration>,
) -> Result<Value> {
    let started = Instant::now();
    let body = analyst.get(path).await?.expect(200)?;
    into.push(started.elapsed());
    Ok(body)
}

pub(crate) async fn library(bench: &Bench, args: &LibraryArgs, label: &str) -> Result<Report> {
    if args.runs == 0 {
        bail!("--runs must be at least 1");
    }
    let loading = Instant::now();
    let target = bench.demo_server(args.more_reviews, label).await?;
    let loaded = loading.elapsed();
    let analyst = target.admin().await?;
    let info = analyst.get("/api/library").await?.expect(200)?;
    let reviews = info["reviews"]["reviews"].as_u64().unwrap_or(0);
    let found = analyst
        .get("/api/library/findings?limit=1")
        .await?
        .expect(200)?;
    eprintln!(
        "{label}: {reviews} reviews published (loaded in {:.1} s), {} runs",
        loaded.as_secs_f64(),
        args.runs
    );
    let _ = found;
    let (mut search, mut facets, mut matrix, mut trend) = (vec![], vec![], vec![], vec![]);
    let mut listed = 0usize;
    for run in 0..args.runs {
        for words in SEARCHES {
            let body = timed(
                &analyst,
                &format!("/api/library/findings?q={words}&limit=50"),
                &mut search,
            )
            .await?;
            if run == 0 {
                listed += body["findings"].as_array().map_or(0, Vec::len);
            }
        }
        for choices in FACETS {
            timed(
                &analyst,
                &format!("/api/library/facets?{choices}"),
                &mut facets,
            )
            .await?;
        }
        timed(
            &analyst,
            "/api/library/matrix?rows=category&columns=level",
            &mut matrix,
        )
        .await?;
        timed(
            &analyst,
            "/api/library/trend?category=family_professional_interaction",
            &mut trend,
        )
        .await?;
    }
    if listed == 0 {
        bail!("no search listed a finding: the library was not loaded");
    }
    // Findings in the library: the facet counts are of reviews, so count by searching
    // every finding's words would be slow; the export counts them.
    let exported = analyst
        .get("/api/library/export?format=json")
        .await?
        .expect(200)?;
    let findings = exported
        .as_array()
        .map(Vec::len)
        .or_else(|| exported["findings"].as_array().map(Vec::len))
        .unwrap_or(0);
    let rss = target.pid().and_then(|pid| status_mb(pid, "VmHWM"));
    let dists = [
        (
            "search (words, best first, 50 listed)",
            Dist::from_durations(&search),
        ),
        (
            "facet counts (every facet at once)",
            Dist::from_durations(&facets),
        ),
        (
            "matrix (category by factor level)",
            Dist::from_durations(&matrix),
        ),
        (
            "trend (a category over the periods)",
            Dist::from_durations(&trend),
        ),
    ];
    let mut text = format!(
        "{label}: {reviews} reviews, {findings} findings, {} runs, {}\n",
        args.runs,
        bench.store_label()
    );
    for (what, dist) in &dists {
        let _ = writeln!(text, "  {what:<40} {}", dist.text());
    }
    if let Some(rss) = rss {
        let _ = writeln!(text, "  server peak RSS {rss:.1} MB");
    }
    let json = json!({
        "scenario": label,
        "reviews": reviews,
        "findings": findings,
        "load_seconds": loaded.as_secs_f64(),
        "runs": args.runs,
        "search": dists[0].1.json(),
        "facets": dists[1].1.json(),
        "matrix": dists[2].1.json(),
        "trend": dists[3].1.json(),
        "server_peak_rss_mb": rss,
    });
    target.finish().await?;
    Ok(Report { text, json })
}
