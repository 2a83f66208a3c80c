//! The report as a Word document (Office Open XML), written with `docx-rs`.

use docx_rs::{Docx, Paragraph, Run, Style, StyleType};

use super::{Block, Report, ReportError, xml_char};

fn heading_style(id: &str, name: &str, half_points: usize) -> Style {
    Style::new(id, StyleType::Paragraph)
        .name(name)
        .based_on("Normal")
        .size(half_points)
        .bold()
}

fn text_run(text: &str) -> Run {
    // A character XML cannot hold makes Word refuse the whole file.
    let text: String = text.chars().filter(|c| xml_char(*c)).collect();
    // Line breaks inside a text become Word line breaks.
    let mut run = Run::new();
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            run = run.add_break(docx_rs::BreakType::TextWrapping);
        }
        run = run.add_text(line);
    }
    run
}

pub fn write(report: &Report) -> Result<Vec<u8>, ReportError> {
    let mut doc = Docx::new()
        .add_style(heading_style("Title", "Title", 48))
        .add_style(heading_style("Heading1", "heading 1", 32))
        .add_style(heading_style("Heading2", "heading 2", 26))
        .add_style(heading_style("Heading3", "heading 3", 23))
        .add_paragraph(
            Paragraph::new()
                .style("Title")
                .add_run(text_run(&report.title)),
        )
        .add_paragraph(Paragraph::new().add_run(text_run(&report.subtitle).italic()))
        .add_paragraph(Paragraph::new().add_run(text_run(&report.provenance).size(18)));
    for block in &report.blocks {
        doc = match block {
            Block::Heading { level, text } => doc.add_paragraph(
                Paragraph::new()
                    .style(&format!("Heading{}", level.clamp(&1, &3)))
                    .add_run(text_run(text)),
            ),
            Block::Paragraph { text } => {
                doc.add_paragraph(Paragraph::new().add_run(text_run(text)))
            }
            Block::Field { label, text } => doc.add_paragraph(
                Paragraph::new()
                    .add_run(text_run(&format!("{label}: ")).bold())
                    .add_run(text_run(text)),
            ),
            Block::Bullets { items } => items.iter().fold(doc, |doc, item| {
                doc.add_paragraph(Paragraph::new().add_run(text_run(&format!("\u{2022} {item}"))))
            }),
        };
    }
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut out)
        .map_err(|e| ReportError::Docx(e.to_string()))?;
    Ok(out.into_inner())
}
