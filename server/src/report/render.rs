//! Markdown and printable HTML renderings of a report.

use super::{Block, Report};

/// `2026-11-22 14:02 UTC` from Unix milliseconds.
pub fn date_time(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        rem / 3600,
        rem % 3600 / 60
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A day as a report's title page gives it: "6 December 2026" (UTC).
pub fn long_date(ms: i64) -> String {
    let (y, m, d) = civil_from_days(ms.div_euclid(1000).div_euclid(86_400));
    format!(
        "{d} {} {y}",
        MONTH_NAMES[(m as usize).saturating_sub(1).min(11)]
    )
}

/// A time as ISO 8601 in UTC, to the second: "2026-12-06T23:04:05Z".
pub fn iso_time(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// `text` as literal Markdown: every character that could start markup (emphasis,
/// links, images, raw HTML, autolinks such as `<javascript:...>`, code) is escaped, and
/// so is what would start a heading, list, quote or code block at a line's start.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (n, line) in text.lines().enumerate() {
        if n > 0 {
            // A hard line break, so that a text's lines stay lines.
            out.push_str("\\\n");
        }
        let line = line.trim_start();
        let digits = line.chars().take_while(char::is_ascii_digit).count();
        for (i, c) in line.chars().enumerate() {
            let starts_block = i == 0 && matches!(c, '-' | '+' | '=');
            let ends_number = digits > 0 && i == digits && matches!(c, '.' | ')');
            if starts_block
                || ends_number
                || matches!(
                    c,
                    '\\' | '`'
                        | '*'
                        | '_'
                        | '{'
                        | '}'
                        | '['
                        | ']'
                        | '('
                        | ')'
                        | '<'
                        | '>'
                        | '#'
                        | '!'
                        | '|'
                        | '~'
                        | '&'
                        | ':'
                )
            {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

/// Markdown for other tools: every text is escaped, so nothing in the board's words
/// becomes HTML, a link or formatting.
/// The marking a report carries, with "DRAFT" until final.
fn marking(report: &Report) -> String {
    if report.cover.draft {
        format!("{} \u{2013} DRAFT", report.cover.marking)
    } else {
        report.cover.marking.clone()
    }
}

pub fn markdown(report: &Report) -> String {
    let mut out = format!(
        "**{}**\n\n# {}\n\n_{}_\n\n{}\n\n{}, {}\n\n{}\n",
        md(&marking(report)),
        md(&report.title),
        md(&report.subtitle),
        md(&report.cover.review_kind),
        md(&report.cover.partnership),
        md(&report.cover.date),
        md(&report.provenance)
    );
    for block in &report.blocks {
        match block {
            Block::Heading { level, text } => out.push_str(&format!(
                "\n{} {}\n",
                "#".repeat(usize::from(*level) + 1),
                md(text)
            )),
            Block::Paragraph { text } => out.push_str(&format!("\n{}\n", md(text))),
            Block::Field { label, text } if text.is_empty() => {
                out.push_str(&format!("\n**{}:**\n", md(label)))
            }
            Block::Field { label, text } => {
                out.push_str(&format!("\n**{}:** {}\n", md(label), md(text)))
            }
            Block::Bullets { items } => {
                out.push('\n');
                for item in items {
                    out.push_str(&format!("- {}\n", md(item)));
                }
            }
            Block::Table { header, rows } => {
                let row = |cells: &[String]| {
                    let cells: Vec<String> =
                        cells.iter().map(|c| md(c).replace("\\\n", " ")).collect();
                    format!("| {} |\n", cells.join(" | "))
                };
                out.push('\n');
                out.push_str(&row(header));
                out.push_str(&format!("|{}\n", " --- |".repeat(header.len())));
                for r in rows {
                    out.push_str(&row(r));
                }
            }
            Block::Figure(figure) => out.push_str(&format!(
                "\n_Figure: {}. It is drawn in the Word, PDF and printable versions of this report._\n",
                md(&figure.caption)
            )),
        }
    }
    out.push_str(&format!("\n**{}**\n", md(&marking(report))));
    out
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
    out
}

const PRINT_CSS: &str = "body{font:11pt/1.5 Georgia,'Times New Roman',serif;max-width:42em;\
margin:2em auto;padding:0 1em;color:#111}h1{font-size:1.8em;margin-bottom:.2em}\
h2{font-size:1.4em;margin-top:1.6em;border-bottom:1px solid #999}h3{font-size:1.15em;margin-top:1.2em}\
h4{font-size:1em;margin-top:1em}.subtitle{font-size:1.2em;font-style:italic;margin-top:0}\
.provenance{color:#444;font-size:.9em}dt{font-weight:bold;margin-top:.6em}dd{margin:0 0 0 1.2em}\
.marking{text-align:center;font:bold 10pt Arial,sans-serif;letter-spacing:.05em}\
.cover{margin-bottom:2em}figure.map{margin:1em 0;overflow-x:auto}figure.map svg{display:block;max-width:none;height:auto}\
figcaption{font-style:italic;font-size:.9em;margin-top:.4em}table{border-collapse:collapse;width:100%}th,td{border:1px solid #999;\
padding:.25em .5em;text-align:left;vertical-align:top}\
.watermark{position:fixed;top:40%;left:0;right:0;text-align:center;font:bold 120pt Arial,sans-serif;\
color:rgba(177,14,30,.12);transform:rotate(-30deg);pointer-events:none;z-index:-1}\
@media print{body{margin:0;max-width:none}h2,h3{page-break-after:avoid}figure{page-break-inside:avoid}figure.map svg{width:100%}.cover{page-break-after:always}\
.marking{display:none}}";

/// Printed pages carry the marking at the top and "Page N of M" at the bottom.
fn page_css(marking: &str) -> String {
    let quoted: String = marking
        .chars()
        .filter(|c| !c.is_control())
        .flat_map(|c| match c {
            '"' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    format!(
        "@page{{size:A4;margin:2.2cm 2cm;@top-center{{content:\"{quoted}\";font:bold 9pt Arial,sans-serif}}\
         @bottom-center{{content:\"Page \" counter(page) \" of \" counter(pages);font:9pt Arial,sans-serif}}}}"
    )
}

/// A printable HTML page (the browser's print prints it as the report).
pub fn html(report: &Report) -> String {
    let mut out = format!(
        "<!doctype html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>{}</title>\
         <style>{PRINT_CSS}{}</style></head><body>{}<p class=\"marking\">{}</p>\
         <section class=\"cover\"><h1>{}</h1><p class=\"subtitle\">{}</p><p>{}</p><p>{}, {}</p>\
         <p class=\"provenance\">{}</p></section>\n",
        escape(&report.title),
        // Inside a style element: no `<` can close it.
        page_css(&marking(report)).replace('<', ""),
        if report.cover.draft {
            "<div class=\"watermark\" aria-hidden=\"true\">DRAFT</div>"
        } else {
            ""
        },
        escape(&marking(report)),
        escape(&report.title),
        escape(&report.subtitle),
        escape(&report.cover.review_kind),
        escape(&report.cover.partnership),
        escape(&report.cover.date),
        escape(&report.provenance)
    );
    for block in &report.blocks {
        match block {
            Block::Heading { level, text } => {
                let h = (level + 1).min(6);
                out.push_str(&format!("<h{h}>{}</h{h}>\n", escape(text)));
            }
            Block::Paragraph { text } => out.push_str(&format!("<p>{}</p>\n", escape(text))),
            Block::Field { label, text } => out.push_str(&format!(
                "<dl><dt>{}</dt><dd>{}</dd></dl>\n",
                escape(label),
                escape(text)
            )),
            Block::Bullets { items } => {
                out.push_str("<ul>");
                for item in items {
                    out.push_str(&format!("<li>{}</li>", escape(item)));
                }
                out.push_str("</ul>\n");
            }
            Block::Table { header, rows } => {
                out.push_str("<table><thead><tr>");
                for cell in header {
                    out.push_str(&format!("<th scope=\"col\">{}</th>", escape(cell)));
                }
                out.push_str("</tr></thead><tbody>");
                for row in rows {
                    out.push_str("<tr>");
                    for cell in row {
                        out.push_str(&format!("<td>{}</td>", escape(cell)));
                    }
                    out.push_str("</tr>");
                }
                out.push_str("</tbody></table>\n");
            }
            Block::Figure(figure) => out.push_str(&format!(
                "<figure class=\"map\">{}<figcaption>Figure: {}</figcaption></figure>\n",
                super::figure::svg(figure),
                escape(&figure.caption)
            )),
        }
    }
    out.push_str(&format!(
        "<p class=\"marking\">{}</p></body></html>\n",
        escape(&marking(report))
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_calendar_dates() {
        assert_eq!(date_time(0), "1970-01-01 00:00 UTC");
        assert_eq!(date_time(1_795_356_120_000), "2026-11-22 14:02 UTC");
    }

    #[test]
    fn html_is_escaped() {
        let report = Report {
            title: "<script>".into(),
            subtitle: "a & b".into(),
            provenance: String::new(),
            cover: super::super::Cover::default(),
            blocks: vec![Block::Paragraph {
                text: "\"quoted\"".into(),
            }],
        };
        let page = html(&report);
        assert!(!page.contains("<script>"));
        assert!(
            page.contains("&lt;script&gt;")
                && page.contains("a &amp; b")
                && page.contains("&quot;quoted&quot;")
        );
    }

    #[test]
    fn markdown_is_literal_text() {
        let report = Report {
            title: "<script>alert(1)</script>".into(),
            subtitle: "a & b".into(),
            provenance: String::new(),
            cover: super::super::Cover::default(),
            blocks: vec![
                Block::Paragraph {
                    text: "[click](javascript:alert(1)) <javascript:alert(2)> ![x](http://e/x.png)"
                        .into(),
                },
                Block::Bullets {
                    items: vec!["# not a heading\n- not a list\n1. nor this".into()],
                },
                Block::Field {
                    label: "**bold**".into(),
                    text: "<img src=x onerror=alert(3)>".into(),
                },
            ],
        };
        let page = markdown(&report);
        // Every character that could open markup is escaped.
        let chars: Vec<char> = page.chars().collect();
        for (i, c) in chars.iter().enumerate() {
            if matches!(c, '<' | '>' | '[' | ']' | '(' | ')' | '!' | '&') {
                assert_eq!(
                    chars.get(i.wrapping_sub(1)),
                    Some(&'\\'),
                    "{c} at {i} in {page}"
                );
            }
        }
        for line in page.lines().skip(1) {
            assert!(
                !line.starts_with("# not") && !line.starts_with("- not") && !line.starts_with("1."),
                "{line}"
            );
        }
        assert!(!page.contains("**bold**"), "{page}");
        assert!(page.contains("\\<script\\>alert\\(1\\)"), "{page}");
        assert!(page.contains("javascript\\:alert"), "{page}");
    }
}
