//! The page and its vendored libraries, embedded in the binary at build
//! time: the server reads no file, so no path can reach the file system.

use include_dir::{Dir, include_dir};

static ASSETS: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/assets");

/// An embedded file and its media type, by its path under `assets/`.
pub fn get(path: &str) -> Option<(&'static [u8], &'static str)> {
    // Only plain relative names: never `..`, `.` or an absolute path,
    // even though the table has no such entries to find.
    if path.is_empty()
        || path.starts_with('/')
        || path
            .split('/')
            .any(|p| p.is_empty() || p == "." || p == "..")
        || path.contains('\\')
    {
        return None;
    }
    let file = ASSETS.get_file(path)?;
    Some((file.contents(), media_type(path)))
}

fn media_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("json") => "application/json",
        Some("woff2") => "font/woff2",
        _ => "text/plain; charset=utf-8",
    }
}
