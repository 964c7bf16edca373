//! SVG documents, the drawing surface of maps and charts. Text is set in
//! fonts built into the binary and embedded in every SVG, so a picture
//! reads the same on every machine; widths are measured with the same font,
//! so labels and legends are laid out without a browser.

use std::fmt::Write;

use base64::Engine;

/// DejaVu Sans Condensed, cut to Latin (data/fonts/subset.sh makes them).
pub const REGULAR_TTF: &[u8] = include_bytes!("../../data/fonts/DejaVuSansCondensed.ttf");
pub const BOLD_TTF: &[u8] = include_bytes!("../../data/fonts/DejaVuSansCondensed-Bold.ttf");
const REGULAR_WOFF2: &[u8] = include_bytes!("../../data/fonts/DejaVuSansCondensed.woff2");
const BOLD_WOFF2: &[u8] = include_bytes!("../../data/fonts/DejaVuSansCondensed-Bold.woff2");

/// The family name the SVG's `@font-face` rules declare. A renderer that
/// ignores them (resvg) falls back to `sans-serif`, which the PNG renderer
/// maps to the same built-in font.
pub const FONT_FAMILY: &str = "incidents-sans";

/// How a text is anchored at its point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

/// The look of a text.
#[derive(Debug, Clone, Copy)]
pub struct TextStyle<'a> {
    pub size: f64,
    pub bold: bool,
    pub anchor: Anchor,
    pub fill: &'a str,
}

impl TextStyle<'_> {
    pub const fn plain(size: f64) -> TextStyle<'static> {
        TextStyle {
            size,
            bold: false,
            anchor: Anchor::Start,
            fill: "#222",
        }
    }
}

/// The styles of a legend: its headings, its entries and its notes.
pub const LEGEND_HEAD: TextStyle<'static> = TextStyle {
    size: 13.0,
    bold: true,
    anchor: Anchor::Start,
    fill: "#222",
};
pub const LEGEND_TEXT: TextStyle<'static> = TextStyle::plain(11.5);
pub const LEGEND_NOTE: TextStyle<'static> = TextStyle {
    size: 10.5,
    bold: false,
    anchor: Anchor::Start,
    fill: "#444",
};

/// The width of `text` in pixels at `size`, in the built-in font.
pub fn text_width(text: &str, size: f64, bold: bool) -> f64 {
    use skrifa::MetadataProvider;
    use skrifa::instance::{LocationRef, Size};
    let data = if bold { BOLD_TTF } else { REGULAR_TTF };
    let average = size * 0.55;
    // The font is ours and read in the tests; a failure would mean a broken
    // build, so fall back to an average glyph width rather than panic.
    let Ok(font) = skrifa::FontRef::new(data) else {
        return text.chars().count() as f64 * average;
    };
    let charmap = font.charmap();
    let metrics = font.glyph_metrics(Size::new(size as f32), LocationRef::default());
    text.chars()
        .map(|c| {
            charmap
                .map(c)
                .and_then(|g| metrics.advance_width(g))
                .map_or(average, f64::from)
        })
        .sum()
}

/// A number as an SVG coordinate: at most one decimal, no trailing zeros
/// (a map of thousands of vertices stays small).
pub fn num(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// Escapes text for an XML text node or attribute value.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 forbids (a control character in a title).
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// An SVG document being drawn, element by element.
pub struct Svg {
    pub width: f64,
    pub height: f64,
    body: String,
}

impl Svg {
    pub fn new(width: f64, height: f64) -> Svg {
        Svg {
            width,
            height,
            body: String::new(),
        }
    }

    fn attrs(&mut self, attrs: &[(&str, &str)]) {
        for (k, v) in attrs {
            // Writing to a String cannot fail.
            let _ = write!(self.body, " {k}=\"{}\"", escape(v));
        }
    }

    /// An element without children.
    pub fn empty(&mut self, tag: &str, attrs: &[(&str, &str)]) {
        self.body.push('<');
        self.body.push_str(tag);
        self.attrs(attrs);
        self.body.push_str("/>\n");
    }

    /// Opens an element (a group, a clip path); [`Svg::close`] ends it.
    pub fn open(&mut self, tag: &str, attrs: &[(&str, &str)]) {
        self.body.push('<');
        self.body.push_str(tag);
        self.attrs(attrs);
        self.body.push_str(">\n");
    }

    pub fn close(&mut self, tag: &str) {
        let _ = writeln!(self.body, "</{tag}>");
    }

    /// An element holding text, such as `<title>`.
    pub fn element(&mut self, tag: &str, attrs: &[(&str, &str)], text: &str) {
        self.body.push('<');
        self.body.push_str(tag);
        self.attrs(attrs);
        let _ = writeln!(self.body, ">{}</{tag}>", escape(text));
    }

    pub fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, attrs: &[(&str, &str)]) {
        let (x, y, w, h) = (num(x), num(y), num(w.max(0.0)), num(h.max(0.0)));
        let mut all = vec![
            ("x", &x[..]),
            ("y", &y[..]),
            ("width", &w[..]),
            ("height", &h[..]),
        ];
        all.extend_from_slice(attrs);
        self.empty("rect", &all);
    }

    pub fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, attrs: &[(&str, &str)]) {
        let (a, b, c, d) = (num(x1), num(y1), num(x2), num(y2));
        let mut all = vec![
            ("x1", &a[..]),
            ("y1", &b[..]),
            ("x2", &c[..]),
            ("y2", &d[..]),
        ];
        all.extend_from_slice(attrs);
        self.empty("line", &all);
    }

    pub fn circle(&mut self, cx: f64, cy: f64, r: f64, attrs: &[(&str, &str)]) {
        let (a, b, c) = (num(cx), num(cy), num(r));
        let mut all = vec![("cx", &a[..]), ("cy", &b[..]), ("r", &c[..])];
        all.extend_from_slice(attrs);
        self.empty("circle", &all);
    }

    /// A text at (x, y), its baseline at y.
    pub fn text(
        &mut self,
        x: f64,
        y: f64,
        style: TextStyle,
        content: &str,
        attrs: &[(&str, &str)],
    ) {
        let (a, b, size) = (num(x), num(y), num(style.size));
        let anchor = match style.anchor {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        };
        let mut all = vec![
            ("x", &a[..]),
            ("y", &b[..]),
            ("font-size", &size[..]),
            ("fill", style.fill),
        ];
        if style.anchor != Anchor::Start {
            all.push(("text-anchor", anchor));
        }
        if style.bold {
            all.push(("font-weight", "bold"));
        }
        all.extend_from_slice(attrs);
        self.element("text", &all, content);
    }

    /// Text wrapped to `width`, one line every `1.3 * size`; returns the y
    /// below the last line.
    pub fn paragraph(
        &mut self,
        x: f64,
        y: f64,
        width: f64,
        style: TextStyle,
        content: &str,
    ) -> f64 {
        let mut y = y;
        for line in wrap(content, width, style.size, style.bold) {
            self.text(x, y, style, &line, &[]);
            y += style.size * 1.3;
        }
        y
    }

    /// The finished document: XML declaration, root element with the
    /// embedded fonts, then everything drawn.
    pub fn finish(self, title: &str) -> String {
        let (w, h) = (num(self.width), num(self.height));
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" \
             viewBox=\"0 0 {w} {h}\" font-family=\"{FONT_FAMILY}, sans-serif\">\n\
             <title>{}</title>\n<style>{}</style>\n\
             <rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n{}</svg>\n",
            escape(title),
            font_faces(),
            self.body
        )
    }
}

/// The CSS `@font-face` rules of the built-in fonts (WOFF2 inline), for an
/// SVG or a page that must look the same everywhere.
pub fn font_faces() -> String {
    let b64 = base64::engine::general_purpose::STANDARD;
    let face = |data: &[u8], weight: &str| {
        format!(
            "@font-face{{font-family:\"{FONT_FAMILY}\";font-weight:{weight};\
             src:url(data:font/woff2;base64,{}) format(\"woff2\")}}",
            b64.encode(data)
        )
    };
    face(REGULAR_WOFF2, "normal") + &face(BOLD_WOFF2, "bold")
}

/// Splits `text` into lines no wider than `width` (a word longer than the
/// line stands alone).
pub fn wrap(text: &str, width: f64, size: f64, bold: bool) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if !line.is_empty() && text_width(&candidate, size, bold) > width {
            lines.push(std::mem::take(&mut line));
            line = word.to_string();
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fonts_parse_and_measure() {
        use skrifa::MetadataProvider;
        for data in [REGULAR_TTF, BOLD_TTF] {
            let charmap = skrifa::FontRef::new(data).unwrap().charmap();
            for c in "Daraa Ḩawsh – 2025 é".chars() {
                assert!(charmap.map(c).is_some(), "no glyph for {c:?}");
            }
        }
        let narrow = text_width("iii", 12.0, false);
        let wide = text_width("WWW", 12.0, false);
        assert!(narrow > 0.0 && wide > 2.0 * narrow);
        assert!(text_width("Daraa", 12.0, true) > text_width("Daraa", 12.0, false));
    }

    #[test]
    fn text_is_escaped_and_wrapped() {
        assert_eq!(escape("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot; ");
        let lines = wrap("one two three four five six", 60.0, 12.0, false);
        assert!(lines.len() > 1);
        assert_eq!(lines.join(" "), "one two three four five six");
        assert_eq!(num(1.25), "1.3");
        assert_eq!(num(-0.04), "0");
        assert_eq!(num(3.0), "3");
    }
}
