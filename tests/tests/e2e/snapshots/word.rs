//! Reading an exported Word document back: every part well-formed XML holding only
//! characters XML allows, and the text of the document.

use std::io::Read;

use anyhow::{Context, Result};

/// Whether XML 1.0 allows `c` in a document.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// The text of the document in the .docx package `bytes`, checking that every part
/// is well-formed XML with only the characters XML 1.0 allows.
pub(super) fn docx_text(bytes: &[u8]) -> Result<String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).context("a zip package")?;
    for required in ["[Content_Types].xml", "_rels/.rels", "word/document.xml"] {
        archive
            .by_name(required)
            .with_context(|| format!("{required} is missing"))?;
    }
    let mut text = String::new();
    for i in 0..archive.len() {
        let mut part = archive.by_index(i)?;
        if !part.name().ends_with(".xml") && !part.name().ends_with(".rels") {
            continue;
        }
        let name = part.name().to_string();
        let mut xml = String::new();
        part.read_to_string(&mut xml)?;
        // Word refuses a part with a character XML 1.0 does not allow, raw or escaped.
        if let Some(bad) = xml.chars().find(|c| !xml_char(*c)) {
            anyhow::bail!("{name} holds the character {bad:?}, which XML does not allow");
        }
        // Every XML part is well-formed.
        let mut reader = quick_xml::Reader::from_str(&xml);
        let mut in_text = false;
        loop {
            match reader
                .read_event()
                .with_context(|| format!("{name} is not well-formed XML"))?
            {
                quick_xml::events::Event::Eof => break,
                quick_xml::events::Event::Start(e) if e.name().as_ref() == b"w:t" => in_text = true,
                quick_xml::events::Event::End(e) if e.name().as_ref() == b"w:t" => {
                    in_text = false;
                    text.push(' ');
                }
                quick_xml::events::Event::Text(t) if in_text && name == "word/document.xml" => {
                    text.push_str(&t.decode()?);
                }
                quick_xml::events::Event::GeneralRef(r) if in_text => {
                    let c = match r.resolve_char_ref()? {
                        Some(c) => c,
                        None => match &*r {
                            b"lt" => '<',
                            b"gt" => '>',
                            b"amp" => '&',
                            b"quot" => '"',
                            b"apos" => '\'',
                            other => anyhow::bail!(
                                "{name}: unknown entity {}",
                                String::from_utf8_lossy(other)
                            ),
                        },
                    };
                    if !xml_char(c) {
                        anyhow::bail!(
                            "{name} escapes the character {c:?}, which XML does not allow"
                        );
                    }
                    if name == "word/document.xml" {
                        text.push(c);
                    }
                }
                _ => {}
            }
        }
    }
    Ok(text)
}
