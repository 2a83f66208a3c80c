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
    LineSpacingType, NumPages, NumberFormat, Numbering, NumberingId, PageNum, Paragraph, Pic, Run,
    RunFonts, SpecialIndentType, Start, Style, StyleType, Tab, TabLeaderType, TabValueType, Table,
    TableCell, TableRow, WidthType,
};

use super::figure::{self, Figure};
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
        // "auto" said outright: LibreOffice reads a missing rule as exact, and cuts a
        // picture to one line's height.
        .default_line_spacing(
            LineSpacing::new()
                .after(120)
                .line(264)
                .line_rule(LineSpacingType::Auto),
        )
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
        .add_style(
            Style::new("Caption", StyleType::Paragraph)
                .name("caption")
                .based_on("Normal")
                .size(18)
                .italic(),
        )
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
            Block::Figure(figure) => add_figure(doc, figure),
        };
    }
    let mut out = Cursor::new(Vec::new());
    doc.build()
        .pack(&mut out)
        .map_err(|e| ReportError::Docx(e.to_string()))?;
    finish(&out.into_inner(), report)
}

/// The widest and tallest a picture may be: the page inside its margins (A4, docx-rs's
/// margins), less room for the heading and caption, in EMU (914,400 an inch).
const PICTURE_WIDTH: f64 = 5_400_000.0;
const PICTURE_HEIGHT: f64 = 6_900_000.0;

/// The factor map as a picture scaled to the page, with its caption under it; if it
/// cannot be drawn, a line saying so (its links are listed after it in any case).
fn add_figure(doc: Docx, figure: &Figure) -> Docx {
    let caption = Paragraph::new()
        .style("Caption")
        .add_run(text_run(&format!("Figure: {}", figure.caption)));
    match figure::png(figure) {
        Ok((png, width, height)) => {
            let scale = (PICTURE_WIDTH / f64::from(width)).min(PICTURE_HEIGHT / f64::from(height));
            let picture = Pic::new_with_dimensions(png, width, height).size(
                (f64::from(width) * scale) as u32,
                (f64::from(height) * scale) as u32,
            );
            doc.add_paragraph(
                Paragraph::new()
                    .keep_next(true)
                    .add_run(Run::new().add_image(picture)),
            )
            .add_paragraph(caption)
        }
        Err(e) => {
            tracing::warn!(error = %e, "the factor map could not be drawn for a Word report");
            doc.add_paragraph(caption).add_paragraph(Paragraph::new().add_run(Run::new().add_text(
                "The map could not be drawn in this document; the printable and PDF versions show it.",
            )))
        }
    }
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

/// Word's own watermark: "DRAFT" across every page, drawn from the header (a VML text
/// path, as Word writes it and LibreOffice reads it; docx-rs cannot write the shape).
const WATERMARK: &str = "<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr><w:r><w:rPr><w:noProof/></w:rPr><w:pict>\
<v:shapetype id=\"_x0000_t136\" coordsize=\"21600,21600\" o:spt=\"136\" adj=\"10800\" path=\"m@7,l@8,m@5,21600l@6,21600e\">\
<v:formulas><v:f eqn=\"sum #0 0 10800\"/><v:f eqn=\"prod #0 2 1\"/><v:f eqn=\"sum 21600 0 @1\"/>\
<v:f eqn=\"sum 0 0 @2\"/><v:f eqn=\"sum 21600 0 @3\"/><v:f eqn=\"if @0 @3 0\"/><v:f eqn=\"if @0 21600 @1\"/>\
<v:f eqn=\"if @0 0 @2\"/><v:f eqn=\"if @0 @4 21600\"/><v:f eqn=\"mid @5 @6\"/><v:f eqn=\"mid @8 @5\"/>\
<v:f eqn=\"mid @7 @8\"/><v:f eqn=\"mid @6 @7\"/><v:f eqn=\"sum @6 0 @5\"/></v:formulas>\
<v:path textpathok=\"t\" o:connecttype=\"custom\" o:connectlocs=\"@9,0;@10,10800;@11,21600;@12,10800\" o:connectangles=\"270,180,90,0\"/>\
<v:textpath on=\"t\" fitshape=\"t\"/><v:handles><v:h position=\"#0,bottomRight\" xrange=\"6629,14971\"/></v:handles>\
<o:lock v:ext=\"edit\" text=\"t\" shapetype=\"t\"/></v:shapetype>\
<v:shape id=\"PowerPlusWaterMarkObject1\" o:spid=\"_x0000_s2049\" type=\"#_x0000_t136\" \
style=\"position:absolute;margin-left:0;margin-top:0;width:400pt;height:133pt;rotation:315;z-index:-251657216;\
mso-position-horizontal:center;mso-position-horizontal-relative:margin;mso-position-vertical:center;\
mso-position-vertical-relative:margin\" o:allowincell=\"f\" fillcolor=\"#b10e1e\" stroked=\"f\">\
<v:fill opacity=\".15\"/><v:textpath style=\"font-family:&quot;Arial&quot;;font-size:1pt\" string=\"DRAFT\"/>\
<w10:wrap anchorx=\"margin\" anchory=\"margin\"/></v:shape></w:pict></w:r></w:p>";

/// The package finished with what `docx-rs` cannot write: the core properties (title,
/// author, created) as the report's, the figure's text alternative, and the DRAFT
/// watermark in the headers until final. Every other part is copied as it is.
fn finish(package: &[u8], report: &Report) -> Result<Vec<u8>, ReportError> {
    let failed = |e: zip::result::ZipError| ReportError::Docx(e.to_string());
    let io = |e: std::io::Error| ReportError::Docx(e.to_string());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let caption = report.blocks.iter().find_map(|b| match b {
        Block::Figure(figure) => Some(figure.caption.as_str()),
        _ => None,
    });
    let mut archive = zip::ZipArchive::new(Cursor::new(package)).map_err(failed)?;
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let name = archive
            .by_index_raw(i)
            .map_err(failed)?
            .name()
            .map_err(failed)?
            .to_string();
        let header = name.starts_with("word/header") && name.ends_with(".xml");
        let patched = match (name.as_str(), caption) {
            ("docProps/core.xml", _) => continue,
            ("word/document.xml", Some(caption)) => Some((
                "<wp:docPr id=\"1\" name=\"Figure\"",
                format!(
                    "<wp:docPr id=\"1\" name=\"Figure\" descr=\"{}\"",
                    xml_escape(caption)
                ),
            )),
            _ if header && report.cover.draft => Some(("</w:hdr>", format!("{WATERMARK}</w:hdr>"))),
            _ => None,
        };
        match patched {
            Some((at, with)) => {
                let mut xml = String::new();
                std::io::Read::read_to_string(&mut archive.by_index(i).map_err(failed)?, &mut xml)
                    .map_err(io)?;
                writer.start_file(name, options).map_err(failed)?;
                writer
                    .write_all(xml.replace(at, &with).as_bytes())
                    .map_err(io)?;
            }
            None => {
                let part = archive.by_index_raw(i).map_err(failed)?;
                writer.raw_copy_file(part).map_err(failed)?;
            }
        }
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
    writer
        .start_file("docProps/core.xml", options)
        .map_err(failed)?;
    writer.write_all(core.as_bytes()).map_err(io)?;
    Ok(writer.finish().map_err(failed)?.into_inner())
}
