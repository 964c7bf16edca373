//! The output flags of the commands that draw (map, chart): where to
//! write, SVG or PNG, the size and the title.

use std::io::Write;
use std::path::PathBuf;

use incidents::stream::Output;
use incidents::{Error, Result};

/// A picture's file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PictureFormat {
    Svg,
    Png,
}

#[derive(Debug, Clone, clap::Args)]
pub struct PictureArgs {
    /// Output file, FILE.svg or FILE.png (`-`: standard output, SVG unless --format png).
    #[arg(short, long)]
    pub output: PathBuf,
    /// svg or png (default: from the output file's extension).
    #[arg(long, value_enum)]
    pub format: Option<PictureFormat>,
    /// Width in pixels.
    #[arg(long)]
    pub width: Option<u32>,
    /// Height in pixels.
    #[arg(long)]
    pub height: Option<u32>,
    /// A title instead of the one made from the region, period and measure.
    #[arg(long)]
    pub title: Option<String>,
}

impl PictureArgs {
    /// The size asked for, or `default`; checked so that a picture is
    /// neither empty nor too big to draw.
    pub fn size(&self, default: (u32, u32)) -> Result<(f64, f64)> {
        let check = |flag: &str, v: u32| {
            if (200..=8000).contains(&v) {
                Ok(f64::from(v))
            } else {
                Err(Error::invalid(flag, v, "a size from 200 to 8000 pixels"))
            }
        };
        Ok((
            check("--width", self.width.unwrap_or(default.0))?,
            check("--height", self.height.unwrap_or(default.1))?,
        ))
    }

    fn picture_format(&self) -> Result<PictureFormat> {
        if let Some(f) = self.format {
            return Ok(f);
        }
        let Some(path) = Output::from_arg(&self.output)
            .path()
            .map(|p| p.to_path_buf())
        else {
            return Ok(PictureFormat::Svg);
        };
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("svg") => Ok(PictureFormat::Svg),
            Some("png") => Ok(PictureFormat::Png),
            _ => Err(Error::invalid(
                "-o",
                self.output.display(),
                "a file ending in .svg or .png (or --format svg|png)",
            )),
        }
    }

    /// Writes the drawing as asked: the file appears only complete.
    pub fn write(&self, svg: String) -> Result<()> {
        let bytes = match self.picture_format()? {
            PictureFormat::Svg => svg.into_bytes(),
            PictureFormat::Png => incidents::formats::png::render(&svg, 1.0)?,
        };
        write_bytes(&Output::from_arg(&self.output), &bytes)
    }
}

/// Writes a whole document (a picture, a page) to a file, which appears
/// only complete, or to standard output.
pub fn write_bytes(output: &Output, bytes: &[u8]) -> Result<()> {
    match output.path() {
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(bytes)
                .and_then(|()| out.flush())
                .map_err(|e| Error::io(output, e))
        }
        Some(path) => {
            incidents::export::write_complete(path, bytes)?;
            super::note(&format!("wrote {}", path.display()));
            Ok(())
        }
    }
}
