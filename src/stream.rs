//! Where a command reads and writes: a named file, or standard input or
//! output for `-`, as in xsv and sqlite-utils. Decided here once, so every
//! command that takes a file takes `-` the same way and names it the same
//! way in its messages (`<stdin>`, `<stdout>`). A file literally named `-`
//! is reached as `./-`, as with `cat`.

use std::fmt;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// How messages name standard input.
pub const STDIN: &str = "<stdin>";
/// How messages name standard output.
pub const STDOUT: &str = "<stdout>";

/// The argument that stands for standard input or output.
const DASH: &str = "-";

/// A file to read, or standard input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Stdin,
    File(PathBuf),
}

impl Input {
    /// `-` is standard input; anything else a file path.
    pub fn from_arg(arg: impl AsRef<Path>) -> Input {
        let arg = arg.as_ref();
        if arg.as_os_str() == DASH {
            Input::Stdin
        } else {
            Input::File(arg.to_path_buf())
        }
    }

    /// The name errors and summaries give it.
    pub fn name(&self) -> String {
        self.to_string()
    }

    /// The file's path; `None` for standard input.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Input::Stdin => None,
            Input::File(p) => Some(p),
        }
    }

    /// The file's path, or an error saying why standard input will not do
    /// (`field` names the argument).
    pub fn file(&self, field: &str, why: &str) -> Result<&Path> {
        self.path().ok_or_else(|| {
            Error::invalid(
                field,
                DASH,
                format!("a file path, not standard input: {why}"),
            )
        })
    }

    /// Opens it for reading; `on_read` is told the number of bytes of each
    /// read, for a progress bar.
    pub fn open(&self, on_read: OnRead) -> Result<Box<dyn Read + Send>> {
        let inner: Box<dyn Read + Send> = match self {
            Input::Stdin => Box::new(io::stdin()),
            Input::File(p) => {
                Box::new(std::fs::File::open(p).map_err(|e| Error::io(p.display(), e))?)
            }
        };
        Ok(Box::new(Counted { inner, on_read }))
    }

    /// Its size in bytes when known: a file's, or standard input's when it
    /// is redirected from a file (`< data.csv`); not a pipe's.
    pub fn size(&self) -> Option<u64> {
        let meta = match self {
            Input::File(p) => std::fs::metadata(p).ok()?,
            Input::Stdin => stdin_metadata()?,
        };
        meta.is_file().then_some(meta.len())
    }
}

impl fmt::Display for Input {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Input::Stdin => f.write_str(STDIN),
            Input::File(p) => write!(f, "{}", p.display()),
        }
    }
}

#[cfg(unix)]
fn stdin_metadata() -> Option<std::fs::Metadata> {
    use std::os::fd::AsFd;
    let fd = io::stdin().as_fd().try_clone_to_owned().ok()?;
    std::fs::File::from(fd).metadata().ok()
}

#[cfg(not(unix))]
fn stdin_metadata() -> Option<std::fs::Metadata> {
    None
}

/// Told the number of bytes of each read (see [`Input::open`]).
pub type OnRead = Box<dyn FnMut(u64) + Send>;

/// No progress to report.
pub fn no_progress() -> OnRead {
    Box::new(|_| {})
}

/// A reader that reports what is read through it.
struct Counted<R> {
    inner: R,
    on_read: OnRead,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n > 0 {
            (self.on_read)(n as u64);
        }
        Ok(n)
    }
}

/// A file to write, or standard output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    Stdout,
    File(PathBuf),
}

impl Output {
    /// `-` is standard output; anything else a file path.
    pub fn from_arg(arg: impl AsRef<Path>) -> Output {
        let arg = arg.as_ref();
        if arg.as_os_str() == DASH {
            Output::Stdout
        } else {
            Output::File(arg.to_path_buf())
        }
    }

    /// The file's path; `None` for standard output.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Output::Stdout => None,
            Output::File(p) => Some(p),
        }
    }
}

impl fmt::Display for Output {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Output::Stdout => f.write_str(STDOUT),
            Output::File(p) => write!(f, "{}", p.display()),
        }
    }
}

/// Reads up to `len` bytes, fewer only at the end of the input: a pipe
/// hands over what it has, so one read may return less than asked even
/// though more is coming.
pub fn read_head(r: &mut dyn Read, len: usize) -> io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(len);
    r.take(len as u64).read_to_end(&mut head)?;
    Ok(head)
}

/// A private directory for a file that must be written whole before it is
/// streamed (a database copy to standard output), removed when dropped.
pub struct ScratchDir {
    path: PathBuf,
}

impl ScratchDir {
    /// A new directory in the system's temporary directory.
    pub fn new(purpose: &str) -> Result<ScratchDir> {
        let base = std::env::temp_dir();
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let mut last = None;
        for attempt in 0..16u32 {
            let path = base.join(format!(
                "incidents-{purpose}-{}-{nanos}-{attempt}",
                std::process::id()
            ));
            match std::fs::create_dir(&path) {
                Ok(()) => return Ok(ScratchDir { path }),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
                Err(e) => return Err(Error::io(path.display(), e)),
            }
        }
        Err(Error::io(
            base.display(),
            last.unwrap_or_else(|| io::Error::other("no free name")),
        ))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// Copies the file at `path` to `out` and flushes it.
pub fn copy_file_to(path: &Path, out: &mut dyn Write, out_name: &str) -> Result<u64> {
    let mut f = std::fs::File::open(path).map_err(|e| Error::io(path.display(), e))?;
    let n = io::copy(&mut f, out).map_err(|e| Error::io(out_name, e))?;
    out.flush().map_err(|e| Error::io(out_name, e))?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dash_is_standard_input_and_output() {
        assert_eq!(Input::from_arg("-"), Input::Stdin);
        assert_eq!(Output::from_arg("-"), Output::Stdout);
        assert_eq!(Input::from_arg("./-"), Input::File("./-".into()));
        assert_eq!(Input::from_arg("-").name(), STDIN);
        assert_eq!(Output::from_arg("-").to_string(), STDOUT);
        assert_eq!(Input::from_arg("a.csv").name(), "a.csv");
    }

    #[test]
    fn a_file_only_argument_refuses_stdin_naming_it() {
        let e = Input::Stdin
            .file("FILE", "a database file is read in place")
            .unwrap_err()
            .to_string();
        assert!(e.contains("FILE") && e.contains("standard input"), "{e}");
    }

    #[test]
    fn the_head_of_a_trickling_reader_is_whole() {
        /// Hands over one byte per read, as a slow pipe may.
        struct Trickle(std::io::Cursor<Vec<u8>>);
        impl Read for Trickle {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = buf.len().min(1);
                self.0.read(&mut buf[..n])
            }
        }
        let data = b"uid,event_type,date_start\n".repeat(10);
        let head = read_head(&mut Trickle(std::io::Cursor::new(data.clone())), 100).unwrap();
        assert_eq!(head, data[..100]);
        let short = read_head(&mut Trickle(std::io::Cursor::new(b"ab".to_vec())), 100).unwrap();
        assert_eq!(short, b"ab");
    }

    #[test]
    fn counted_reads_are_reported() {
        let total = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let seen = total.clone();
        let dir = ScratchDir::new("test").unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, vec![7u8; 100_000]).unwrap();
        let input = Input::File(path.clone());
        assert_eq!(input.size(), Some(100_000));
        let mut r = input
            .open(Box::new(move |n| {
                seen.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
            }))
            .unwrap();
        io::copy(&mut r, &mut io::sink()).unwrap();
        assert_eq!(total.load(std::sync::atomic::Ordering::Relaxed), 100_000);
        let kept = dir.path().to_path_buf();
        drop(dir);
        assert!(!kept.exists(), "the scratch directory is removed");
    }
}
