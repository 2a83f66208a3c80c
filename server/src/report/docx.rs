//! The report as a Word document (Office Open XML), written with `docx-rs`: styles Word
//! knows by name (Title, Subtitle, Heading 1-3 with outline levels, so the navigation
//! pane and the table of contents find them; List Bullet with real list numbering; a
//! table style), a title page, a table of contents, the protective marking at the top
//! and bottom of every page, page numbers, and the document's properties (title,
//! author = the partnership, created = the export time).

use std::io::{Cursor, Write};

use docx_rs::{
    AbstractNumbering, AlignmentType, BreakType, Docx, FieldCharType, Footer, Header, Hyperlink,
    HyperlinkType, IndentLevel, InstrPAGEREF, InstrText, Level, LevelJc, LevelText, LineSpacing,
    NumPages, NumberFormat, Numbering, NumberingId, PageNum, Paragraph, Run, RunFonts,
    SpecialIndentType, Start, Style, StyleType, Tab, TabLeaderType, TabValueType, Table, TableCell,
    TableRow, WidthType,
};

use super::{Block, Report, ReportError, xml_char};

/// The list numbering of every bullet.
const BULLETS: usize = 2;

fn heading_style(id: &str, name: &str, half_points: usize, outline: usize) -> Style {
    Style::new(id, StyleType::Paragraph)
        .name(name)
        .based_on("Normal")
        .next("Normal")
        .size(half_points)
        .bold()
        .color("1D4E89")
        .line_spacing(LineSpacing::new().before(240).after(120))
        .outline_lvl(outline)
}

fn clean(text: &str) -> String {
    // A character XML cannot hold makes Word refuse the whole file.
    text.chars().filter(|c| xml_char(*c)).collect()
}

fn text_run(text: &str) -> Run {
    // Line breaks inside a text become Word line breaks.
    let mut run = Run::new();
    for (i, line) in clean(text).split('\n').enumerate() {
        if i > 0 {
            run = run.add_break(BreakType::TextWrapping);
        }
        run = run.add_text(line);
    }
    run
}

fn centred(run: Run) -> Paragraph {
    Paragraph::new().align(AlignmentType::Center).add_run(run)
}

/// The marking every page carries at its top, and "DRAFT" beside it until final.
fn marking_line(report: &Report) -> String {
    if report.cover.draft {
        format!("{} \u{2013} DRAFT", report.cover.marking)
    } else {
        report.cover.marking.clone()
    }
}

fn table(header: &[String], rows: &[Vec<String>]) -> Table {
    let cell = |text: &str, bold: bool| {
        let run = text_run(text);
        TableCell::new().add_paragraph(Paragraph::new().add_run(if bold {
            run.bold()
        } else {
            run
        }))
    };
    let mut all = vec![TableRow::new(
        header.iter().map(|h| cell(h, true)).collect(),
    )];
    all.extend(
        rows.iter()
            .map(|r| TableRow::new(r.iter().map(|c| cell(c, false)).collect())),
    );
    Table::new(all)
        .style("ReportTable")
        .width(5000, WidthType::Pct)
}

pub fn write(report: &Report) -> Result<Vec<u8>, ReportError> {
    let bullet = Level::new(
        0,
        Start::new(1),
        NumberFormat::new("bullet"),
        LevelText::new("\u{2022}"),
        LevelJc::new("left"),
    )
    .indent(Some(720), Some(SpecialIndentType::Hanging(360)), None, None);
    let marking = marking_line(report);
    let mut doc = Docx::new()
        .default_fonts(RunFonts::new().ascii("Arial").hi_ansi("Arial").cs("Arial"))
        .default_size(22)
        .default_line_spacing(LineSpacing::new().after(120).line(264))
        .add_style(heading_style("Title", "Title", 56, 0).outline_lvl(9))
        .add_style(
            Style::new("Subtitle", StyleType::Paragraph)
                .name("Subtitle")
                .based_on("Normal")
                .size(32),
        )
        .add_style(
            Style::new("ContentsHeading", StyleType::Paragraph)
                .name("TOC Heading")
                .based_on("Normal")
                .size(32)
                .bold()
                .color("1D4E89"),
        )
        .add_style(
            Style::new("TOC1", StyleType::Paragraph)
                .name("toc 1")
                .based_on("Normal"),
        )
        .add_style(heading_style("Heading1", "heading 1", 32, 0))
        .add_style(heading_style("Heading2", "heading 2", 26, 1))
        .add_style(heading_style("Heading3", "heading 3", 23, 2))
        .add_style(
            Style::new("ListBullet", StyleType::Paragraph)
                .name("List Bullet")
                .based_on("Normal"),
        )
        .add_style(Style::new("ReportTable", StyleType::Table).name("Table Grid"))
        .add_abstract_numbering(AbstractNumbering::new(BULLETS).add_level(bullet))
        .add_numbering(Numbering::new(BULLETS, BULLETS))
        .header(Header::new().add_paragraph(centred(Run::new().add_text(clean(&marking)).bold())))
        .footer(
            Footer::new()
                .add_paragraph(centred(Run::new().add_text(clean(&marking)).bold()))
                .add_paragraph(
                    Paragraph::new()
                        .align(AlignmentType::Center)
                        .add_run(Run::new().add_text("Page "))
                        .add_page_num(PageNum::new())
                        .add_run(Run::new().add_text(" of "))
                        .add_num_pages(NumPages::new()),
                ),
        );

    // The title page.
    doc = doc
        .add_paragraph(
            Paragraph::new()
                .style("Title")
                .add_run(text_run(&report.title)),
        )
        .add_paragraph(
            Paragraph::new()
                .style("Subtitle")
                .add_run(text_run(&report.subtitle)),
        )
        .add_paragraph(Paragraph::new().add_run(text_run(&report.cover.review_kind)))
        .add_paragraph(Paragraph::new().add_run(text_run(&format!(
            "{}, {}",
            report.cover.partnership, report.cover.date
        ))))
        .add_paragraph(Paragraph::new().add_run(text_run(&report.cover.marking).bold()));
    if report.cover.draft {
        doc = doc.add_paragraph(
            Paragraph::new().add_run(Run::new().add_text("DRAFT").bold().size(72).color("B10E1E")),
        );
    }
    doc = doc.add_paragraph(Paragraph::new().add_run(text_run(&report.provenance).size(18)));

    // The contents, on a page of their own.
    // The contents list the chapters (fixed words, never the board's).
    let chapters: Vec<&str> = report
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading { level: 1, text } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    doc = doc.add_paragraph(
        Paragraph::new()
            .style("ContentsHeading")
            .page_break_before(true)
            .add_run(Run::new().add_text("Contents")),
    );
    for paragraph in contents(&chapters) {
        doc = doc.add_paragraph(paragraph);
    }

    let mut chapter = 0;
    for block in &report.blocks {
        doc = match block {
            Block::Heading { level: 1, text } => {
                // Each chapter starts a page, and is where its line in the contents leads.
                chapter += 1;
                doc.add_paragraph(
                    Paragraph::new()
                        .style("Heading1")
                        .keep_next(true)
                        .page_break_before(true)
                        .add_bookmark_start(chapter, chapter_key(chapter - 1))
                        .add_run(text_run(text))
                        .add_bookmark_end(chapter),
                )
            }
            Block::Heading { level, text } => doc.add_paragraph(
                Paragraph::new()
                    .style(&format!("Heading{}", level.clamp(&2, &3)))
                    .keep_next(true)
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
                doc.add_paragraph(
                    Paragraph::new()
                        .style("ListBullet")
                        .numbering(NumberingId::new(BULLETS), IndentLevel::new(0))
                        .add_run(text_run(item)),
                )
            }),
            Block::Table { header, rows } => doc
                .add_table(table(header, rows))
                .add_paragraph(Paragraph::new()),
        };
    }
    let mut out = Cursor::new(Vec::new());
    doc.build()
        .pack(&mut out)
        .map_err(|e| ReportError::Docx(e.to_string()))?;
    with_properties(&out.into_inner(), report)
}

fn chapter_key(index: usize) -> String {
    format!("_TocChapter{index}")
}

/// The table of contents: a line per chapter, each a link to the chapter with a PAGEREF
/// field for its page (every part of the field in a run of its own, as Word writes
/// them). Word and LibreOffice work the page out as they lay the pages; until then it
/// reads as if each chapter took one page after the title page and the contents.
fn contents(chapters: &[&str]) -> Vec<Paragraph> {
    let field = |kind, dirty| Run::new().add_field_char(kind, dirty);
    let mut out = Vec::new();
    for (i, chapter) in chapters.iter().enumerate() {
        let key = chapter_key(i);
        let mut line = Paragraph::new().style("TOC1").add_tab(
            Tab::new()
                .val(TabValueType::Right)
                .leader(TabLeaderType::Dot)
                .pos(8400),
        );
        line = line.add_hyperlink(
            Hyperlink::new(&key, HyperlinkType::Anchor)
                .add_run(Run::new().add_text(clean(chapter)))
                .add_run(Run::new().add_tab())
                .add_run(field(FieldCharType::Begin, false))
                .add_run(
                    Run::new()
                        .add_instr_text(InstrText::PAGEREF(InstrPAGEREF::new(&key).hyperlink())),
                )
                .add_run(field(FieldCharType::Separate, false))
                .add_run(Run::new().add_text((i + 3).to_string()))
                .add_run(field(FieldCharType::End, false)),
        );
        out.push(line);
    }
    out
}

fn xml_escape(text: &str) -> String {
    clean(text)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The package with its core properties (title, author, created) as the report's,
/// which `docx-rs` cannot set: every other part is copied as it is.
fn with_properties(package: &[u8], report: &Report) -> Result<Vec<u8>, ReportError> {
    let failed = |e: zip::result::ZipError| ReportError::Docx(e.to_string());
    let mut archive = zip::ZipArchive::new(Cursor::new(package)).map_err(failed)?;
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let name = archive
            .by_index_raw(i)
            .map_err(failed)?
            .name()
            .map_err(failed)?
            .to_string();
        if name == "docProps/core.xml" {
            continue;
        }
        let part = archive.by_index_raw(i).map_err(failed)?;
        writer.raw_copy_file(part).map_err(failed)?;
    }
    let core = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
         <dc:title>{title}</dc:title><dc:subject>{subject}</dc:subject><dc:creator>{author}</dc:creator>\
         <cp:keywords>{marking}</cp:keywords><cp:lastModifiedBy>{author}</cp:lastModifiedBy>\
         <cp:category>{marking}</cp:category>\
         <dcterms:created xsi:type=\"dcterms:W3CDTF\">{created}</dcterms:created>\
         <dcterms:modified xsi:type=\"dcterms:W3CDTF\">{created}</dcterms:modified>\
         </cp:coreProperties>",
        title = xml_escape(&report.title),
        subject = xml_escape(&report.cover.review_kind),
        author = xml_escape(&report.cover.partnership),
        marking = xml_escape(&report.cover.marking),
        created = report.cover.created,
    );
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    writer
        .start_file("docProps/core.xml", options)
        .map_err(failed)?;
    writer
        .write_all(core.as_bytes())
        .map_err(|e| ReportError::Docx(e.to_string()))?;
    Ok(writer.finish().map_err(failed)?.into_inner())
}
