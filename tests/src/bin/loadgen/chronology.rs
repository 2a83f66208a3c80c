//! Scenario `chronology`: an agency's chronology as a CSV file of `--rows` rows (10 MB
//! at the defaults), sent through the API as the import dialog sends it: read for the
//! preview, checked row by row, imported, and the merged chronology listed. Each run
//! imports into a review of its own.

use std::{fmt::Write as _, time::Instant};

use anyhow::{Context, Result, bail};
use rand::{Rng, SeedableRng, rngs::StdRng};
use serde_json::json;

use crate::{cli::ChronologyArgs, meters::status_mb, report::Report, stats::Dist, target::Bench};

const WORDS: [&str; 16] = [
    "visit",
    "mother",
    "child",
    "referral",
    "school",
    "nursery",
    "concern",
    "bruise",
    "home",
    "call",
    "strategy",
    "assessment",
    "plan",
    "father",
    "meeting",
    "notes",
];

/// A chronology as an agency exports one: date, time, role, event, source.
fn file(rows: usize, event_chars: usize) -> Vec<u8> {
    let mut rng = StdRng::seed_from_u64(2025);
    let mut out = String::with_capacity(rows * (event_chars + 60));
    out.push_str("Date,Time,Practitioner,Event,Source\r\n");
    for i in 0..rows {
        let day = 1 + i % 28;
        let month = 1 + (i / 28) % 12;
        let year = 2020 + i / (28 * 12);
        let mut event = String::new();
        while event.len() < event_chars {
            event.push_str(WORDS[rng.random_range(0..WORDS.len())]);
            event.push(' ');
        }
        let _ = write!(
            out,
            "{day:02}/{month:02}/{year},{:02}:{:02},Health visitor,\"{}\",SystmOne {i}\r\n",
            rng.random_range(8..18),
            rng.random_range(0..60),
            event.trim_end()
        );
    }
    out.into_bytes()
}

pub(crate) async fn chronology(
    bench: &Bench,
    args: &ChronologyArgs,
    label: &str,
) -> Result<Report> {
    if args.rows == 0 || args.runs == 0 {
        bail!("--rows and --runs must be at least 1");
    }
    let target = bench.server(&[], label, 0).await?;
    let admin = target.admin().await?;
    let bytes = file(args.rows, args.event_chars);
    let megabytes = bytes.len() as f64 / 1_048_576.0;
    eprintln!(
        "{label}: {} rows, {megabytes:.1} MB, {} runs",
        args.rows, args.runs
    );
    let (mut preview, mut check, mut import, mut list) = (vec![], vec![], vec![], vec![]);
    let query = "name=chronology.csv&agency=Health%20visiting";
    let mapping = "&date=0&time=1&role=2&event=3&source=4";
    for run in 0..args.runs {
        let review = admin
            .post(
                "/api/reviews",
                json!({"title": format!("bench {} chronology {run}", bench.run_id)}),
            )
            .await?
            .expect(201)?["id"]
            .as_str()
            .context("a review id")?
            .to_string();
        let base = format!("/api/reviews/{review}/chronology");
        let started = Instant::now();
        admin
            .post_file(&format!("{base}/preview?{query}"), bytes.clone())
            .await?
            .expect(200)?;
        preview.push(started.elapsed());
        let started = Instant::now();
        let checked = admin
            .post_file(&format!("{base}/imports?{query}{mapping}"), bytes.clone())
            .await?
            .expect(200)?;
        check.push(started.elapsed());
        if checked["entryCount"] != args.rows {
            bail!(
                "the check read {} of {} rows",
                checked["entryCount"],
                args.rows
            );
        }
        let started = Instant::now();
        admin
            .post_file(
                &format!("{base}/imports?{query}{mapping}&confirm=true"),
                bytes.clone(),
            )
            .await?
            .expect(201)?;
        import.push(started.elapsed());
        let started = Instant::now();
        let listed = admin.get(&base).await?.expect(200)?;
        list.push(started.elapsed());
        if listed["entries"].as_array().map(Vec::len) != Some(args.rows) {
            bail!("the chronology lists a different number of entries");
        }
    }
    let rss = target.pid().and_then(|pid| status_mb(pid, "VmHWM"));
    let (preview, check, import, list) = (
        Dist::from_durations(&preview),
        Dist::from_durations(&check),
        Dist::from_durations(&import),
        Dist::from_durations(&list),
    );
    let mut text = format!(
        "{label}: {} rows ({megabytes:.1} MB CSV), {} runs, {}\n",
        args.rows,
        args.runs,
        bench.store_label()
    );
    for (what, dist) in [
        ("read for the preview", &preview),
        ("checked, every row", &check),
        ("imported (checked and stored)", &import),
        ("merged chronology listed", &list),
    ] {
        let _ = writeln!(text, "  {what:<32} {}", dist.text());
    }
    if let Some(rss) = rss {
        let _ = writeln!(text, "  server peak RSS {rss:.1} MB");
    }
    let json = json!({
        "scenario": label,
        "rows": args.rows,
        "file_mb": megabytes,
        "runs": args.runs,
        "preview": preview.json(),
        "check": check.json(),
        "import": import.json(),
        "list": list.json(),
        "server_peak_rss_mb": rss,
    });
    target.finish().await?;
    Ok(Report { text, json })
}
