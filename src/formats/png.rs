//! PNG pictures: an SVG drawn by resvg with the built-in fonts only (no
//! system fonts), so a map renders the same on every machine.

use resvg::{tiny_skia, usvg};

use crate::error::{Error, Result};
use crate::formats::svg::{BOLD_TTF, REGULAR_TTF};

/// Rasterises `svg` at its own size times `scale` (2 for print).
pub fn render(svg: &str, scale: f32) -> Result<Vec<u8>> {
    let mut opt = usvg::Options::default();
    {
        let fonts = opt.fontdb_mut();
        fonts.load_font_data(REGULAR_TTF.to_vec());
        fonts.load_font_data(BOLD_TTF.to_vec());
        // The SVG names its embedded family, which resvg cannot read from
        // CSS; its fallback, sans-serif, is the same built-in font.
        let family = fonts
            .faces()
            .next()
            .and_then(|f| f.families.first())
            .map(|f| f.0.clone());
        if let Some(family) = family {
            fonts.set_sans_serif_family(family);
        }
    }
    let tree = usvg::Tree::from_str(svg, &opt)
        .map_err(|e| Error::invalid("picture", "SVG", format!("an SVG resvg reads ({e})")))?;
    let size = tree.size().to_int_size().scale_by(scale).ok_or_else(|| {
        Error::invalid(
            "scale",
            scale,
            "a scale that keeps the picture a few thousand pixels wide",
        )
    })?;
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height()).ok_or_else(|| {
        Error::invalid(
            "size",
            format!("{}x{}", size.width(), size.height()),
            "a picture of at least 1x1 pixel",
        )
    })?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| Error::invalid("picture", "PNG", format!("an encodable image ({e})")))
}
