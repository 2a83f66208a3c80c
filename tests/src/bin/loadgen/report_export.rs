//! Scenario `report`: a board the size of a long review (60 key practice episodes with
//! their texts, 30 contributory factors, 12 findings with their links and
//! recommendations), snapshotted, then its report exported again and again in each
//! format through the API, as a lead downloads it.

use std::{fmt::Write as _, time::Duration, time::Instant};

use anyhow::{Context, Result, bail};
use board_tests::{YClient, board as b};
use serde_json::json;

use crate::{
    cli::ReportArgs, cold_load::build_limits, meters::status_mb, report::Report, stats::Dist,
    target::Bench,
};

const PARAGRAPH: &str = "The health visitor called children's social care about the notification \
and was told the case was closed; the call was not recorded, and nobody asked what the school \
had seen the week before. ";

/// Writes the board: every episode agreed, with a few paragraphs in its texts.
fn build(client: &YClient, episodes: usize) {
    let doc = &client.doc;
    let text = PARAGRAPH.repeat(4);
    for i in 0..episodes {
        let id = format!("e{i}");
        b::add_episode(
            doc,
            &id,
            &format!("a{i:03}"),
            &format!("Episode {i}: a home visit"),
            &text,
        );
        b::append_text(doc, "episodes", &id, "whatHappened", &text);
        b::append_text(doc, "episodes", &id, "seenAtTheTime", &text);
        b::set_field(doc, "episodes", &id, "status", "agreed");
    }
    for i in 0..episodes / 2 {
        let id = format!("f{i}");
        b::add_factor(
            doc,
            &id,
            &format!("a{i:03}"),
            &format!("Factor {i}: caseloads"),
        );
        b::add_link(
            doc,
            &format!("lf{i}"),
            &id,
            &format!("e{}", i * 2),
            "contributed_to",
        );
    }
    for i in 0..episodes / 5 {
        let id = format!("g{i}");
        b::add_finding(
            doc,
            &id,
            &format!("a{i:03}"),
            &format!("Finding {i}: memory"),
            "human_judgement_reasoning",
        );
        b::set_field(doc, "findings", &id, "status", "agreed");
        for j in 0..3 {
            b::add_link(
                doc,
                &format!("lg{i}-{j}"),
                &format!("e{}", i * 5 + j),
                &id,
                "evidence_for",
            );
        }
    }
}

pub(crate) async fn report_export(bench: &Bench, args: &ReportArgs, label: &str) -> Result<Report> {
    if args.runs == 0 || args.episodes == 0 {
        bail!("--runs and --episodes must be at least 1");
    }
    let target = bench.server(&build_limits(), label, 1).await?;
    let admin = target.admin().await?;
    let client = YClient::connect(&target.board_url(0)?).await?;
    client.synced().await?;
    eprintln!("{label}: building a board of {} episodes...", args.episodes);
    build(&client, args.episodes);
    let review = target.review(0)?;
    // Wait until the server holds the whole board (the last finding's last link).
    let last = format!("lg{}-2", args.episodes / 5 - 1);
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let board = admin
            .get(&format!("/api/reviews/{review}/board"))
            .await?
            .expect(200)?;
        if board.to_string().contains(&format!("\"{last}\"")) {
            break;
        }
        if Instant::now() > deadline {
            bail!("the board was not stored within two minutes");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let snapshot = admin
        .post(
            &format!("/api/reviews/{review}/snapshots"),
            json!({"label": "For the board"}),
        )
        .await?
        .expect(201)?["id"]
        .as_str()
        .context("a snapshot id")?
        .to_string();
    let mut text = format!(
        "{label}: {} episodes, {} factors, {} findings; {} runs per format, {}\n",
        args.episodes,
        args.episodes / 2,
        args.episodes / 5,
        args.runs,
        bench.store_label()
    );
    let mut json = serde_json::Map::new();
    for format in ["docx", "pdf", "html", "md"] {
        let path = format!(
            "/api/reviews/{review}/snapshots/{snapshot}/export?format={format}&confirm=unreviewed"
        );
        let mut times = Vec::new();
        let mut size = 0;
        for _ in 0..args.runs {
            let started = Instant::now();
            let answer = admin.get(&path).await?;
            times.push(started.elapsed());
            if answer.status != 200 {
                bail!(
                    "exporting {format} answered {}: {}",
                    answer.status,
                    answer.body
                );
            }
            size = answer.body.to_string().len();
        }
        let dist = Dist::from_durations(&times);
        let _ = writeln!(
            text,
            "  {format:<5} {}  (about {} kB)",
            dist.text(),
            size / 1024
        );
        json.insert(format.to_string(), dist.json());
    }
    let rss = target.pid().and_then(|pid| status_mb(pid, "VmHWM"));
    if let Some(rss) = rss {
        let _ = writeln!(text, "  server peak RSS {rss:.1} MB");
    }
    json.insert("server_peak_rss_mb".into(), json!(rss));
    json.insert("episodes".into(), json!(args.episodes));
    json.insert("scenario".into(), json!(label));
    drop(client);
    target.finish().await?;
    Ok(Report {
        text,
        json: serde_json::Value::Object(json),
    })
}
