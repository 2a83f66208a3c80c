//! The report as PDF: the printable HTML printed by headless Chromium, the way a person
//! would print it from their browser (the page's own print styles put the marking and
//! "Page N of M" on every page). Chromium runs as a separate process with a profile of
//! its own in a new temporary folder, no network use of its own, and a time limit; at
//! most two print at once. The page holds no script and loads nothing (every text in it
//! is escaped); Chromium's own print needs scripts left on.

use std::{path::PathBuf, time::Duration};

use tokio::{process::Command, sync::Semaphore};

/// Prints at once at most this many reports (each Chromium takes a core and memory).
static PRINTING: Semaphore = Semaphore::const_new(2);
/// The longest one print may take.
const PRINT_TIMEOUT: Duration = Duration::from_secs(60);

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error(
        "PDF export needs Chromium on the server (--chromium); print the printable page to PDF from a browser instead"
    )]
    NoChromium,
    #[error("Chromium did not print the report: {0}")]
    Failed(String),
    #[error("Chromium took longer than a minute to print the report")]
    TimedOut,
}

/// The first Chromium on the `PATH`, for a server told of none.
pub fn find_chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ]
    .iter()
    .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
    .find(|candidate| candidate.is_file())
}

/// Prints `html` (a whole page with no outside resources) to PDF with `chromium`.
pub async fn print(chromium: Option<&PathBuf>, html: &str) -> Result<Vec<u8>, PdfError> {
    let chromium = chromium
        .filter(|path| path.is_file())
        .ok_or(PdfError::NoChromium)?;
    let _turn = PRINTING
        .acquire()
        .await
        .map_err(|e| PdfError::Failed(e.to_string()))?;
    let dir = std::env::temp_dir().join(format!("board-pdf-{}", uuid::Uuid::new_v4()));
    let result = print_in(chromium, html, &dir).await;
    // The page and the PDF hold case data: never left behind.
    let _ = tokio::fs::remove_dir_all(&dir).await;
    result
}

async fn print_in(chromium: &PathBuf, html: &str, dir: &PathBuf) -> Result<Vec<u8>, PdfError> {
    let failed = |e: std::io::Error| PdfError::Failed(e.to_string());
    tokio::fs::create_dir_all(dir).await.map_err(failed)?;
    let page = dir.join("report.html");
    let pdf = dir.join("report.pdf");
    tokio::fs::write(&page, html).await.map_err(failed)?;
    let mut command = Command::new(chromium);
    command
        .arg("--headless")
        .arg("--no-sandbox")
        .arg("--disable-gpu")
        .arg("--no-first-run")
        .arg("--no-default-browser-check")
        .arg("--disable-extensions")
        .arg("--disable-background-networking")
        .arg("--disable-sync")
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg("--no-pdf-header-footer")
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", page.display()))
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true);
    let output = tokio::time::timeout(PRINT_TIMEOUT, command.output())
        .await
        .map_err(|_| PdfError::TimedOut)?
        .map_err(failed)?;
    let bytes = tokio::fs::read(&pdf).await.map_err(|_| {
        let said = String::from_utf8_lossy(&output.stderr);
        PdfError::Failed(
            said.lines()
                .last()
                .unwrap_or("no PDF was written")
                .to_string(),
        )
    })?;
    if !bytes.starts_with(b"%PDF") {
        return Err(PdfError::Failed("what it wrote is not a PDF".into()));
    }
    Ok(bytes)
}
