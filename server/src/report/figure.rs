//! The factor map as a figure of the report: its nodes where the review team placed
//! them on the board (or where the board shows an unplaced one), in the map's five
//! bands, with its links. The figure is texts and positions, so pseudonymisation and
//! the check read its words like every other text; it is drawn only when the report
//! is rendered: as SVG for the printable page and the PDF, and as a PNG for Word.

use std::sync::{Arc, LazyLock};

use resvg::{tiny_skia, usvg};
use serde::Serialize;
use utoipa::ToSchema;

use crate::board::{Board, Episode, Finding};

// The board's own geometry (web/src/board/layout.ts), so the figure is the map people
// arranged.
const BAND_HEIGHT: i64 = 170;
const NODE_WIDTH: i64 = 210;
const NODE_HEIGHT: i64 = 112;
const GAP: i64 = 40;
const BAND_PADDING: i64 = 8;
/// Room at the left of every band for its name.
const LABEL_WIDTH: i64 = 200;
const MARGIN: i64 = 16;
const LEGEND_HEIGHT: i64 = 44;
/// How many characters of a node's title fit on one of its lines, and how many lines.
const LINE_CHARS: usize = 24;
const TITLE_LINES: usize = 3;
/// The Word figure's resolution: twice the map's size, never wider than this.
const MAX_PNG_WIDTH: f32 = 4800.0;
const FONTS: &str = "'DejaVu Sans', 'Liberation Sans', Arial, Helvetica, sans-serif";

/// The bands of the map, top to bottom.
pub const BANDS: [&str; 5] = [
    "National factors",
    "Local strategic factors",
    "Frontline factors",
    "Key practice episodes",
    "Findings",
];

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Figure {
    pub caption: String,
    /// The bands' names, top to bottom.
    pub bands: Vec<String>,
    pub nodes: Vec<FigureNode>,
    pub links: Vec<FigureLink>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    Factor,
    Episode,
    Finding,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct FigureNode {
    pub kind: NodeKind,
    /// Its kind and reference, as the map shows them: "Episode E3".
    pub label: String,
    pub title: String,
    /// A factor's level and influence: "Frontline · Hindering".
    pub detail: String,
    /// The index of its band in [`Figure::bands`].
    pub band: usize,
    /// Its top left corner on the board.
    pub x: i64,
    pub y: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct FigureLink {
    /// Indexes in [`Figure::nodes`].
    pub from: usize,
    pub to: usize,
    /// What the link says, in words: "contributed to".
    pub says: String,
    pub polarity: Polarity,
}

/// A link's effect on practice (any other value on the board reads as neutral).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Polarity {
    /// Supports practice.
    Positive,
    /// Hinders practice.
    Negative,
    Neutral,
}

impl Polarity {
    fn read(code: &str) -> Self {
        match code {
            "positive" => Polarity::Positive,
            "negative" => Polarity::Negative,
            _ => Polarity::Neutral,
        }
    }

    fn code(self) -> &'static str {
        match self {
            Polarity::Positive => "positive",
            Polarity::Negative => "negative",
            Polarity::Neutral => "neutral",
        }
    }

    pub fn words(self) -> &'static str {
        match self {
            Polarity::Positive => "supports practice",
            Polarity::Negative => "hinders practice",
            Polarity::Neutral => "neutral",
        }
    }
}

pub fn link_words(kind: &str) -> String {
    match kind {
        "contributed_to" => "contributed to".into(),
        "evidence_for" => "is evidence for".into(),
        other => other.replace('_', " "),
    }
}

fn factor_band(level: &str) -> usize {
    match level {
        "national" => 0,
        "local_strategic" => 1,
        _ => 2,
    }
}

/// The map of `board` with the episodes and findings the report includes (every
/// factor: factors are never drafts), and the links between what it shows.
pub fn factor_map(
    board: &Board,
    episodes: &[&Episode],
    findings: &[&Finding],
    level_label: impl Fn(&str) -> String,
) -> Figure {
    let mut nodes = Vec::new();
    let mut ids = Vec::new();
    // The next default slot of each band, counted as the board counts them: over every
    // entity of the band, shown or not, so an unplaced node sits where the board shows it.
    let mut slots = [0i64; 5];
    let mut add = |id: &str,
                   kind: NodeKind,
                   label: String,
                   title: &str,
                   detail: String,
                   band: usize,
                   shown: bool| {
        let slot = slots[band];
        slots[band] += 1;
        if !shown {
            return;
        }
        let top = band as i64 * BAND_HEIGHT;
        let (x, y) = match board.layout.get(id) {
            Some(at) => (
                at.x,
                at.y.clamp(
                    top + BAND_PADDING,
                    top + BAND_HEIGHT - NODE_HEIGHT - BAND_PADDING,
                ),
            ),
            None => (
                slot * (NODE_WIDTH + GAP),
                top + (BAND_HEIGHT - NODE_HEIGHT) / 2,
            ),
        };
        ids.push(id.to_string());
        nodes.push(FigureNode {
            kind,
            label,
            title: title.trim().to_string(),
            detail,
            band,
            x,
            y,
        });
    };
    let polarity = |p: &str| match p {
        "supportive" => "Supportive",
        "hindering" => "Hindering",
        "mixed" => "Mixed",
        _ => "",
    };
    for f in &board.factors {
        let detail = [level_label(&f.level), polarity(&f.polarity).to_string()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" \u{b7} ");
        let band = factor_band(&f.level);
        add(
            &f.id,
            NodeKind::Factor,
            "Factor".into(),
            &f.title,
            detail,
            band,
            true,
        );
    }
    let with_reference = |word: &str, reference: &str| match reference {
        "" => word.to_string(),
        r => format!("{word} {r}"),
    };
    for e in &board.episodes {
        let shown = episodes.iter().any(|s| s.id == e.id);
        let label = with_reference("Episode", &e.reference);
        add(
            &e.id,
            NodeKind::Episode,
            label,
            &e.title,
            String::new(),
            3,
            shown,
        );
    }
    for f in &board.findings {
        let shown = findings.iter().any(|s| s.id == f.id);
        let label = with_reference("Finding", &f.reference);
        add(
            &f.id,
            NodeKind::Finding,
            label,
            &f.statement,
            String::new(),
            4,
            shown,
        );
    }
    let index = |id: &str| ids.iter().position(|i| i == id);
    let links = board
        .links
        .iter()
        .filter_map(|l| {
            Some(FigureLink {
                from: index(&l.from)?,
                to: index(&l.to)?,
                says: link_words(&l.kind),
                polarity: Polarity::read(&l.polarity),
            })
        })
        .filter(|l| l.from != l.to)
        .collect();
    Figure {
        caption: "The factor map: contributory factors by level, the key practice episodes and the findings, as the review team arranged them".into(),
        bands: BANDS.iter().map(|b| b.to_string()).collect(),
        nodes,
        links,
    }
}

impl Figure {
    /// The text alternative: every link as a row (from, link, to).
    pub fn link_rows(&self) -> Vec<Vec<String>> {
        let name = |i: usize| {
            let n = &self.nodes[i];
            match n.title.as_str() {
                "" => n.label.clone(),
                title => format!("{}: {title}", n.label),
            }
        };
        self.links
            .iter()
            .map(|l| {
                vec![
                    name(l.from),
                    format!("{} ({})", l.says, l.polarity.words()),
                    name(l.to),
                ]
            })
            .collect()
    }

    /// The figure's size in pixels at scale 1, and how far its nodes are moved.
    fn frame(&self) -> (i64, i64, i64) {
        let left = self.nodes.iter().map(|n| n.x).min().unwrap_or(0);
        let right = self.nodes.iter().map(|n| n.x).max().unwrap_or(0) + NODE_WIDTH;
        let shift = MARGIN + LABEL_WIDTH + MARGIN - left;
        let width = right + shift + MARGIN;
        let height = self.bands.len() as i64 * BAND_HEIGHT + LEGEND_HEIGHT;
        (width, height, shift)
    }
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
            c if super::xml_char(c) && !c.is_control() => out.push(c),
            _ => out.push(' '),
        }
    }
    out
}

/// `text` in lines of at most `width` characters, at most `lines` of them, the last
/// ending in an ellipsis when the text goes on.
fn wrap(text: &str, width: usize, lines: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut words = text.split_whitespace().peekable();
    let mut cut = false;
    while let Some(word) = words.next() {
        let mut word: Vec<char> = word.chars().collect();
        loop {
            let room = width.saturating_sub(line.chars().count() + usize::from(!line.is_empty()));
            if word.len() <= room {
                if !line.is_empty() {
                    line.push(' ');
                }
                line.extend(word.iter());
                break;
            }
            if line.is_empty() {
                // A word longer than a line is broken.
                line.extend(word.drain(..width));
            }
            out.push(std::mem::take(&mut line));
            if out.len() == lines {
                cut = true;
                break;
            }
        }
        if cut {
            break;
        }
        if out.len() == lines {
            cut = words.peek().is_some();
            break;
        }
    }
    if !cut && !line.is_empty() && out.len() < lines {
        out.push(line);
    }
    if cut && let Some(last) = out.last_mut() {
        let kept: String = last.chars().take(width.saturating_sub(1)).collect();
        *last = format!("{}\u{2026}", kept.trim_end());
    }
    out
}

fn colour(polarity: Polarity) -> (&'static str, &'static str) {
    match polarity {
        Polarity::Negative => ("#942514", ""),
        Polarity::Positive => ("#005a30", " stroke-dasharray=\"8 4\""),
        Polarity::Neutral => ("#505a5f", ""),
    }
}

/// The figure as an SVG image (scale 1: one pixel per board unit), with its caption as
/// its accessible name.
pub fn svg(figure: &Figure) -> String {
    let (width, height, shift) = figure.frame();
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" \
         role=\"img\" aria-labelledby=\"factor-map-title\" font-family=\"{FONTS}\">\
         <title id=\"factor-map-title\">{}</title><defs>",
        escape(&figure.caption)
    );
    for polarity in [Polarity::Negative, Polarity::Positive, Polarity::Neutral] {
        out.push_str(&format!(
            "<marker id=\"arrow-{}\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto\">\
             <path d=\"M0,0 L10,5 L0,10 z\" fill=\"{}\"/></marker>",
            polarity.code(),
            colour(polarity).0
        ));
    }
    out.push_str("</defs><rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>");
    for (i, band) in figure.bands.iter().enumerate() {
        let top = i as i64 * BAND_HEIGHT;
        let fill = if i % 2 == 0 { "#f3f2f1" } else { "#ffffff" };
        out.push_str(&format!(
            "<rect x=\"0\" y=\"{top}\" width=\"{width}\" height=\"{BAND_HEIGHT}\" fill=\"{fill}\" stroke=\"#b1b4b6\"/>"
        ));
        for (n, line) in wrap(band, 18, 2).iter().enumerate() {
            out.push_str(&format!(
                "<text x=\"{MARGIN}\" y=\"{}\" font-size=\"17\" font-weight=\"bold\" fill=\"#0b0c0c\">{}</text>",
                top + BAND_HEIGHT / 2 + n as i64 * 22,
                escape(line)
            ));
        }
    }
    // Links under the nodes, from the bottom of one to the top of the other.
    for link in &figure.links {
        let (a, b) = (&figure.nodes[link.from], &figure.nodes[link.to]);
        let (sx, sy) = (a.x + shift + NODE_WIDTH / 2, a.y + NODE_HEIGHT);
        let (tx, ty) = (b.x + shift + NODE_WIDTH / 2, b.y);
        let bend = ((ty - sy).abs() / 2).max(40);
        let (stroke, dash) = colour(link.polarity);
        let polarity = link.polarity.code();
        out.push_str(&format!(
            "<path d=\"M{sx},{sy} C{sx},{} {tx},{} {tx},{ty}\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"2\"{dash} marker-end=\"url(#arrow-{polarity})\"/>",
            sy + bend,
            ty - bend
        ));
    }
    for node in &figure.nodes {
        let (x, y) = (node.x + shift, node.y);
        let accent = match node.kind {
            NodeKind::Factor => "#8a4c00",
            NodeKind::Episode => "#1d70b8",
            NodeKind::Finding => "#00703c",
        };
        out.push_str(&format!(
            "<g><rect x=\"{x}\" y=\"{y}\" width=\"{NODE_WIDTH}\" height=\"{NODE_HEIGHT}\" rx=\"4\" fill=\"#ffffff\" stroke=\"#505a5f\"/>\
             <rect x=\"{x}\" y=\"{y}\" width=\"8\" height=\"{NODE_HEIGHT}\" fill=\"{accent}\"/>\
             <text x=\"{}\" y=\"{}\" font-size=\"13\" font-weight=\"bold\" fill=\"#505a5f\">{}</text>",
            x + 16,
            y + 20,
            escape(&node.label)
        ));
        for (n, line) in wrap(&node.title, LINE_CHARS, TITLE_LINES)
            .iter()
            .enumerate()
        {
            out.push_str(&format!(
                "<text x=\"{}\" y=\"{}\" font-size=\"14\" fill=\"#0b0c0c\">{}</text>",
                x + 16,
                y + 40 + n as i64 * 18,
                escape(line)
            ));
        }
        if let Some(detail) = wrap(&node.detail, LINE_CHARS + 6, 1).first() {
            out.push_str(&format!(
                "<text x=\"{}\" y=\"{}\" font-size=\"12\" fill=\"#505a5f\">{}</text>",
                x + 16,
                y + NODE_HEIGHT - 10,
                escape(detail)
            ));
        }
        out.push_str("</g>");
    }
    // The legend: what the lines say.
    let top = figure.bands.len() as i64 * BAND_HEIGHT + LEGEND_HEIGHT / 2;
    for (i, (polarity, words)) in [
        (Polarity::Negative, "Hinders practice"),
        (Polarity::Positive, "Supports practice"),
        (Polarity::Neutral, "Neutral"),
    ]
    .iter()
    .enumerate()
    {
        let x = MARGIN + i as i64 * 240;
        let (stroke, dash) = colour(*polarity);
        let polarity = polarity.code();
        out.push_str(&format!(
            "<line x1=\"{x}\" y1=\"{top}\" x2=\"{}\" y2=\"{top}\" stroke=\"{stroke}\" stroke-width=\"2\"{dash} marker-end=\"url(#arrow-{polarity})\"/>\
             <text x=\"{}\" y=\"{}\" font-size=\"14\" fill=\"#0b0c0c\">{words}</text>",
            x + 48,
            x + 58,
            top + 5
        ));
    }
    out.push_str("</svg>");
    out
}

#[derive(Debug, thiserror::Error)]
pub enum FigureError {
    #[error("the figure could not be read: {0}")]
    Svg(String),
    #[error("the figure is too large to draw")]
    TooLarge,
    #[error("the figure could not be written as PNG: {0}")]
    Png(String),
}

/// The fonts the figure's words are drawn in, read once from the machine's fonts.
static FONT_DATABASE: LazyLock<Arc<usvg::fontdb::Database>> = LazyLock::new(|| {
    let mut fonts = usvg::fontdb::Database::new();
    fonts.load_system_fonts();
    if fonts.is_empty() {
        tracing::warn!(
            "no fonts found on this machine: the factor map in Word reports will have no words (install fonts-dejavu-core)"
        );
    }
    Arc::new(fonts)
});

/// A raster picture of the figure for Word, which takes PNG: its bytes and its size in
/// pixels (at twice the board's scale, as far as [`MAX_PNG_WIDTH`] allows).
pub fn png(figure: &Figure) -> Result<(Vec<u8>, u32, u32), FigureError> {
    let options = usvg::Options {
        fontdb: FONT_DATABASE.clone(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(&svg(figure), &options)
        .map_err(|e| FigureError::Svg(e.to_string()))?;
    let size = tree.size();
    let scale = (MAX_PNG_WIDTH / size.width()).min(2.0);
    let (width, height) = (
        (size.width() * scale).ceil() as u32,
        (size.height() * scale).ceil() as u32,
    );
    let mut pixmap = tiny_skia::Pixmap::new(width, height).ok_or(FigureError::TooLarge)?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    let bytes = pixmap
        .encode_png()
        .map_err(|e| FigureError::Png(e.to_string()))?;
    Ok((bytes, width, height))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::board::{Factor, Link, Position};

    fn board() -> Board {
        let mut board = Board::default();
        board.factors.push(Factor {
            id: "f1".into(),
            title: "Thresholds unclear".into(),
            level: "local_strategic".into(),
            polarity: "hindering".into(),
            ..Factor::default()
        });
        for (id, reference) in [("e1", "E1"), ("e2", "E2")] {
            board.episodes.push(Episode {
                id: id.into(),
                reference: reference.into(),
                title: format!("Home visit {reference}"),
                ..Episode::default()
            });
        }
        board.findings.push(Finding {
            id: "g1".into(),
            reference: "F1".into(),
            statement: "Referrals lose detail".into(),
            ..Finding::default()
        });
        board.layout.insert("f1".into(), Position { x: -300, y: 0 });
        for (id, from, to) in [("l1", "f1", "e2"), ("l2", "e2", "g1"), ("l3", "f1", "e1")] {
            board.links.push(Link {
                id: id.into(),
                from: from.into(),
                to: to.into(),
                kind: if to == "g1" {
                    "evidence_for"
                } else {
                    "contributed_to"
                }
                .into(),
                polarity: "negative".into(),
            });
        }
        board
    }

    #[test]
    fn nodes_sit_where_the_board_shows_them_and_only_included_work_is_drawn() {
        let board = board();
        let shown = [&board.episodes[1]];
        let findings: Vec<&Finding> = board.findings.iter().collect();
        let figure = factor_map(&board, &shown, &findings, |l| l.replace('_', " "));
        let labels: Vec<&str> = figure.nodes.iter().map(|n| n.label.as_str()).collect();
        assert_eq!(labels, ["Factor", "Episode E2", "Finding F1"]);
        // A stored place is kept, clamped into its band; an unplaced node takes the slot
        // the board gives it (the second episode's, though the first is left out).
        assert_eq!((figure.nodes[0].x, figure.nodes[0].y), (-300, 178));
        assert_eq!((figure.nodes[1].x, figure.nodes[1].y), (250, 539));
        assert_eq!(figure.nodes[0].detail, "local strategic \u{b7} Hindering");
        // The link to the left-out episode is not drawn.
        assert_eq!(figure.links.len(), 2);
        assert_eq!(
            figure.link_rows()[0],
            [
                "Factor: Thresholds unclear",
                "contributed to (hinders practice)",
                "Episode E2: Home visit E2"
            ]
        );
    }

    #[test]
    fn words_are_escaped_and_wrapped() {
        let mut board = board();
        board.findings[0].statement = "<script>'x'</script> & \u{1}".into();
        let findings: Vec<&Finding> = board.findings.iter().collect();
        let figure = factor_map(&board, &[], &findings, str::to_string);
        let drawn = svg(&figure);
        assert!(!drawn.contains("<script>"), "{drawn}");
        assert!(
            drawn.contains("&lt;script&gt;&#39;x&#39;&lt;/script&gt; &amp;"),
            "{drawn}"
        );
        assert!(!drawn.contains('\u{1}'));
        assert!(roxmltree_parses(&drawn));
        assert_eq!(
            wrap("one two three four five six", 9, 2),
            ["one two", "three\u{2026}"]
        );
        assert_eq!(wrap("abcdefghijkl", 5, 3), ["abcde", "fghij", "kl"]);
        assert_eq!(wrap("", 5, 3), Vec::<String>::new());
        assert_eq!(wrap("a b", 5, 3), ["a b"]);
    }

    fn roxmltree_parses(svg: &str) -> bool {
        usvg::Tree::from_str(svg, &usvg::Options::default()).is_ok()
    }

    #[test]
    fn the_word_picture_is_a_png_of_the_figure() {
        let board = board();
        let episodes: Vec<&Episode> = board.episodes.iter().collect();
        let figure = factor_map(&board, &episodes, &[], str::to_string);
        let (bytes, width, height) = png(&figure).expect("drawn");
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
        let (w, h, _) = figure.frame();
        assert_eq!((width, height), (w as u32 * 2, h as u32 * 2));
        // Its words are drawn (the machine has fonts): a title changes the picture.
        let mut untitled = figure.clone();
        untitled.nodes[0].title.clear();
        assert_ne!(png(&untitled).expect("drawn").0, bytes, "no words drawn");
        // A map far wider than a page is drawn no wider than the limit.
        let mut wide = figure.clone();
        wide.nodes[0].x = 40_000;
        let (_, width, _) = png(&wide).expect("drawn");
        assert!(width <= MAX_PNG_WIDTH as u32 + 1, "{width}");
    }
}
