//! The Word report as a board receives it, read by a real word processor: LibreOffice
//! converts it to PDF, and the pages' text, their number, the marking on each, the
//! contents and every section are checked; the pages are kept as PNG images.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use board_tests::board as b;
use serde_json::json;

use super::{export, lead, take_id};
use crate::support::{Backend, TestServer, both_databases, server};

both_databases!(
    the_word_report_has_every_section_and_reads_in_a_word_processor,
    the_report_prints_to_pdf_with_the_marking_and_page_numbers,
);

/// A board as a review team leaves it after the analysis meetings.
async fn realistic_board(server: &TestServer) -> Result<crate::support::YClient> {
    let client = crate::support::YClient::connect(&server.ws_url("board")).await?;
    client.synced().await?;
    let doc = &client.doc;
    b::init_vocabularies(doc);
    let episodes = [
        (
            "e1",
            "a0",
            "Police referral screened",
            "2025-07-02",
            "The referral was screened within the hour.",
        ),
        (
            "e2",
            "a1",
            "Health visitor told the case was closed",
            "2025-07-03",
            "The call was not recorded.",
        ),
        (
            "e3",
            "a2",
            "Strategy discussion by telephone",
            "2025-08-12",
            "Health visiting were not invited.",
        ),
    ];
    for (id, order, title, date, appraisal) in episodes {
        b::add_episode(doc, id, order, title, appraisal);
        b::set_field(doc, "episodes", id, "dateStart", date);
        b::set_field(doc, "episodes", id, "status", "agreed");
    }
    b::add_factor(doc, "f1", "a0", "No shared record of calls");
    b::add_factor(doc, "f2", "a1", "Threshold document read differently");
    b::set_field(doc, "factors", "f2", "level", "local_strategic");
    b::add_link(doc, "l1", "f1", "e2", "contributed_to");
    b::add_link(doc, "l2", "f2", "e3", "contributed_to");
    b::add_finding(
        doc,
        "g1",
        "a0",
        "Agencies rely on memory of past concerns",
        "human_judgement_reasoning",
    );
    b::set_field(doc, "findings", "g1", "status", "agreed");
    b::add_link(doc, "l3", "e3", "g1", "evidence_for");
    b::add_link(doc, "l4", "e2", "g1", "evidence_for");
    b::append_root_text(
        doc,
        "report.executiveSummary",
        "The review found that agencies relied on memory of past concerns.",
    );
    b::append_root_text(
        doc,
        "report.familyContribution",
        "The mother met the lead reviewers twice and read the findings.",
    );
    // The server holds all of it (and has given the references) before the snapshot.
    let r = server.access.review.clone();
    board_tests::poll_until("the board stored", Duration::from_secs(20), || {
        let (server, r) = (server, r.clone());
        async move {
            let board = lead(server)
                .get(&format!("/api/reviews/{r}/board"))
                .await?
                .expect(200)?;
            let text = board.to_string();
            anyhow::ensure!(
                text.contains("read the findings")
                    && text.contains("\"ref\":\"E3\"")
                    && text.contains("\"ref\":\"F1\"")
                    && text.contains("\"l4\""),
                "not yet: {text}"
            );
            Ok(())
        }
    })
    .await?;
    Ok(client)
}

fn run(command: &mut Command) -> Result<String> {
    let output = command
        .output()
        .with_context(|| format!("running {command:?} (scripts/test installs it)"))?;
    if !output.status.success() {
        bail!(
            "{command:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The number of pages of a PDF and its text (pages split by form feeds), and each
/// page as a PNG named `name-N.png` in `target/e2e-artifacts`.
fn read_pdf(pdf: &Path, name: &str) -> Result<(String, usize)> {
    let info = run(Command::new("pdfinfo").arg(pdf))?;
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .context("pdfinfo gives the number of pages")?;
    let text = run(Command::new("pdftotext")
        .args(["-layout"])
        .arg(pdf)
        .arg("-"))?;
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/e2e-artifacts");
    std::fs::create_dir_all(&shots)?;
    run(Command::new("pdftoppm")
        .args(["-png", "-r", "60"])
        .arg(pdf)
        .arg(shots.join(name)))?;
    Ok((text, pages))
}

async fn the_report_prints_to_pdf_with_the_marking_and_page_numbers(
    backend: Backend,
) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let _client = realistic_board(&server).await?;
    let id = take_id(&server, "For the board").await?;
    let (status, kind, pdf) = export(
        &server,
        &server.access.token,
        &id,
        "format=pdf&confirm=unreviewed",
    )
    .await?;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&pdf));
    assert_eq!(kind, "application/pdf");
    assert!(pdf.starts_with(b"%PDF"));
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("report.pdf");
    std::fs::write(&file, &pdf)?;
    let (text, pages) = read_pdf(&file, "report-pdf-page")?;
    assert!(pages >= 2, "{pages} pages: {text}");
    every_page_is_marked_and_numbered(&text, pages);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "Executive summary",
        "Key practice episodes",
        "Episode E1: Police referral screened",
        "The factor map",
        // The map is drawn: its legend, which only the figure has.
        "Supports practice",
        "Figure: The factor map",
        "Appendix B: Glossary",
    ] {
        assert!(flat.contains(expected), "{expected:?} missing from: {flat}");
    }

    // A server with no Chromium says so, and exports nothing.
    let (_db2, mut without) = server_without_chromium(backend).await?;
    let _client = realistic_board(&without).await?;
    let id = take_id(&without, "For the board").await?;
    let (status, _, body) = export(
        &without,
        &without.access.token,
        &id,
        "format=pdf&confirm=unreviewed",
    )
    .await?;
    assert_eq!(status, 503, "{}", String::from_utf8_lossy(&body));
    assert!(String::from_utf8_lossy(&body).contains("Chromium"));
    server.assert_healthy();
    without.assert_healthy();
    Ok(())
}

async fn server_without_chromium(backend: Backend) -> Result<(crate::support::TestDb, TestServer)> {
    server(backend, &["--chromium", "/nonexistent/chromium"]).await
}

/// Every page of a PDF's text (pages split by form feeds) carries the marking and
/// "Page N of M".
fn every_page_is_marked_and_numbered(text: &str, pages: usize) {
    let printed: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert_eq!(printed.len(), pages, "{text}");
    for (n, page) in printed.iter().enumerate() {
        assert!(
            page.contains("OFFICIAL-SENSITIVE"),
            "page {} has no marking",
            n + 1
        );
        assert!(
            page.contains(&format!("Page {} of {pages}", n + 1)),
            "page {} has no number: {page}",
            n + 1
        );
    }
}

/// Converts a .docx with LibreOffice; the PDF's text (pages split by form feeds) and
/// its number of pages, and each page as a PNG in `target/e2e-artifacts`.
fn read_with_libreoffice(docx: &[u8], dir: &Path) -> Result<(String, usize)> {
    let input = dir.join("report.docx");
    std::fs::write(&input, docx)?;
    // A profile of its own, so parallel tests never share LibreOffice's lock.
    let profile = format!(
        "-env:UserInstallation=file://{}",
        dir.join("profile").display()
    );
    run(Command::new("soffice")
        .args([&profile, "--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir)
        .arg(&input))?;
    let pdf = dir.join("report.pdf");
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/e2e-artifacts");
    std::fs::create_dir_all(&shots)?;
    std::fs::write(shots.join("report.docx"), docx)?;
    let (text, pages) = read_pdf(&pdf, "report-page")?;
    Ok((text, pages))
}

async fn the_word_report_has_every_section_and_reads_in_a_word_processor(
    backend: Backend,
) -> Result<()> {
    let (_db, mut server) = server(
        backend,
        &[
            "--partnership",
            "Oakfield Safeguarding Children Partnership",
        ],
    )
    .await?;
    let r = server.access.review.clone();
    lead(&server)
        .patch(
            &format!("/api/reviews/{r}"),
            json!({"title": "Child D", "case_ref": "LCSPR 2026/03",
                   "questions": "Why was the referral closed?\nWho knew about the earlier concerns?"}),
        )
        .await?
        .expect(200)?;
    let _client = realistic_board(&server).await?;
    let id = take_id(&server, "After the analysis meetings").await?;
    let (status, _, docx) = export(
        &server,
        &server.access.token,
        &id,
        "format=docx&confirm=unreviewed",
    )
    .await?;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&docx));

    // The package: properties, styles Word knows, lists, the header and footer.
    let part = |name: &str| -> Result<String> {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&docx))?;
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut archive.by_name(name)?, &mut xml)?;
        Ok(xml)
    };
    let core = part("docProps/core.xml")?;
    assert!(core.contains("<dc:title>Child D</dc:title>"), "{core}");
    assert!(
        core.contains("<dc:creator>Oakfield Safeguarding Children Partnership</dc:creator>"),
        "{core}"
    );
    assert!(
        core.contains("<dcterms:created xsi:type=\"dcterms:W3CDTF\">20"),
        "{core}"
    );
    let styles = part("word/styles.xml")?;
    for name in ["heading 1", "heading 2", "Title", "List Bullet"] {
        assert!(
            styles.contains(&format!("w:val=\"{name}\"")),
            "{name} in {styles}"
        );
    }
    assert!(
        styles.contains("w:outlineLvl"),
        "headings carry outline levels"
    );
    assert!(part("word/numbering.xml")?.contains("w:numFmt w:val=\"bullet\""));
    let header = (1..4)
        .filter_map(|n| part(&format!("word/header{n}.xml")).ok())
        .collect::<String>();
    assert!(
        header.contains("OFFICIAL-SENSITIVE \u{2013} DRAFT"),
        "{header}"
    );
    // Word's own watermark across every page until the review is final.
    assert!(
        header.contains("PowerPlusWaterMarkObject") && header.contains("string=\"DRAFT\""),
        "{header}"
    );

    // The factor map is a picture in the package, with the figure's words for those
    // who cannot see it.
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&docx))?;
    let pictures: Vec<String> = archive
        .file_names()
        .filter(|n| n.starts_with("word/media/") && n.ends_with(".png"))
        .map(str::to_string)
        .collect();
    assert_eq!(pictures.len(), 1, "{pictures:?}");
    let mut png = Vec::new();
    std::io::Read::read_to_end(&mut archive.by_name(&pictures[0])?, &mut png)?;
    assert!(png.starts_with(b"\x89PNG"), "{}", pictures[0]);
    let body = part("word/document.xml")?;
    assert!(
        body.contains("descr=\"The factor map"),
        "no text alternative"
    );

    let dir = tempfile::tempdir()?;
    let (text, pages) = read_with_libreoffice(&docx, dir.path())?;
    // LibreOffice lays the picture out on a page.
    let pdf_pictures = run(Command::new("pdfimages")
        .arg("-list")
        .arg(dir.path().join("report.pdf")))?;
    assert!(
        pdf_pictures.lines().skip(2).any(|l| l.contains("image")),
        "no picture in the printed pages: {pdf_pictures}"
    );
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!((5..=20).contains(&pages), "{pages} pages: {text}");
    // Every page carries the marking and its number.
    every_page_is_marked_and_numbered(&text, pages);
    for expected in [
        "Child D",
        "Local child safeguarding practice review",
        "Oakfield Safeguarding Children Partnership",
        "DRAFT",
        "Contents",
        "Executive summary",
        "The review found that agencies relied on memory of past concerns.",
        "concerning Child D (LCSPR 2026/03)",
        "Review questions",
        "Who knew about the earlier concerns?",
        "Methodology",
        "The family’s contribution",
        "The mother met the lead reviewers twice",
        "Key practice episodes",
        "Episode E1: Police referral screened",
        "When: 2 Jul 2025",
        "Practice was mixed: The referral was screened within the hour.",
        "No shared record of calls (Frontline)",
        "Threshold document read differently (Local strategic)",
        "The factor map",
        "Figure: The factor map",
        "The map’s links",
        // Its links as a table (a line of each of its cells).
        "Factor: No shared record",
        "contributed to (hinders",
        "Episode E2: Health visitor",
        "Finding F1: Agencies rely on memory of past concerns",
        "Category of underlying pattern: Patterns in human judgement and reasoning",
        "E2: Health visitor told the case was closed",
        "Questions for the board: How will the board know?",
        "Recommendations: Clear-cut and locally solvable",
        "Agree one record of visits.",
        "Appendix A: Timeline of the review",
        "Analysis meeting",
        "Appendix B: Glossary",
        "Local rationality",
        "Patterns in human–tool operation: How assessment forms",
    ] {
        assert!(flat.contains(expected), "{expected:?} missing from: {flat}");
    }
    // The contents give each chapter's page: the glossary is the last page.
    let glossary_line = text
        .lines()
        .find(|l| l.starts_with("Appendix B: Glossary."))
        .context("the contents list the glossary")?;
    assert!(
        glossary_line.ends_with(&pages.to_string()),
        "{glossary_line}"
    );
    // The episodes that show a finding come in the table's order: E2 before E3.
    let shows = flat.find("E2: Health visitor").unwrap_or(usize::MAX);
    let then = flat.rfind("E3: Strategy discussion").unwrap_or(0);
    assert!(shows < then, "{flat}");
    server.assert_healthy();
    Ok(())
}
