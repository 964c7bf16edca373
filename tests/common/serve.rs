//! `incidents serve` as a test runs it: the real binary on a session's
//! database, on a port the system picks (`--port 0`), its URL read from the
//! one line it prints on stdout once it listens. The server is killed when
//! the [`Server`] is dropped, so a failing test leaves no process behind.
//! Shared by the API tests (`serve_api.rs`) and the browser tests
//! (`serve_browser.rs`); it speaks no HTTP itself.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use super::{DB_ENV, Output, Session};

/// How long a server may take to say it listens before the test gives up.
/// Not a measurement: only a guard so that a server that never listens
/// fails the test instead of hanging it (PostgreSQL's first connection and
/// loading the bundled boundaries take a moment on a busy machine).
const START_GUARD: Duration = Duration::from_secs(120);

/// A running `incidents serve`.
pub struct Server {
    child: Child,
    /// The base URL it printed, ending with `/`: `http://127.0.0.1:PORT/`.
    pub url: String,
    /// The whole line it printed when listening.
    pub banner: String,
    /// What it has written on stderr so far (its log), read by a thread so
    /// that a chatty server never blocks on a full pipe.
    stderr: Arc<Mutex<Vec<u8>>>,
}

impl Server {
    /// Runs `command` (an `incidents ... serve --port 0 ...` command line)
    /// and waits until it says where it listens; panics, with what it
    /// logged, if it exits or prints anything else first. `what` names it
    /// in messages.
    pub fn start(mut command: Command, what: &str) -> Server {
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{what}: cannot run: {e}"));
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let mut err_pipe = child.stderr.take().expect("piped stderr");
        let log = Arc::clone(&stderr);
        let err_thread = std::thread::spawn(move || {
            let mut buf = [0; 4096];
            while let Ok(n) = err_pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                log.lock()
                    .expect("stderr buffer")
                    .extend_from_slice(&buf[..n]);
            }
        });
        // The first line is read on a thread so that a server that never
        // prints it fails the test after START_GUARD instead of hanging it.
        let out_pipe = child.stdout.take().expect("piped stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut out = BufReader::new(out_pipe);
            let mut line = String::new();
            let first = out.read_line(&mut line).map(|_| line);
            let _ = tx.send(first);
            // Keep reading (and dropping) whatever else comes, so that the
            // server never blocks on a full stdout pipe.
            let _ = std::io::copy(&mut out, &mut std::io::sink());
        });
        let log = |stderr: &Arc<Mutex<Vec<u8>>>| {
            String::from_utf8_lossy(&stderr.lock().expect("stderr buffer")).into_owned()
        };
        let line = match rx.recv_timeout(START_GUARD) {
            Ok(Ok(line)) if !line.is_empty() => line,
            Ok(Ok(_)) => {
                let status = child.wait().expect("wait for incidents serve");
                // Its stderr is closed now: the thread has read all of it.
                let _ = err_thread.join();
                panic!(
                    "{what} exited ({status}) without saying where it listens:\n{}",
                    log(&stderr)
                );
            }
            Ok(Err(e)) => {
                let _ = child.kill();
                panic!("{what}: reading its stdout: {e}\n{}", log(&stderr))
            }
            Err(_) => {
                let _ = child.kill();
                panic!(
                    "{what} printed no line in {START_GUARD:?}:\n{}",
                    log(&stderr)
                );
            }
        };
        let banner = line.trim_end_matches('\n').to_string();
        let url = banner
            .strip_prefix("serving ")
            .and_then(|rest| rest.rsplit_once(" at "))
            .map(|(_, url)| url.to_string())
            .filter(|url| url.starts_with("http://") && url.ends_with('/'));
        let Some(url) = url else {
            let _ = child.kill();
            panic!("{what}: first line {banner:?} is not \"serving DB at http://HOST:PORT/\"");
        };
        Server {
            child,
            url,
            banner,
            stderr,
        }
    }

    /// The URL of `path` (which starts with `/`) on this server.
    pub fn at(&self, path: &str) -> String {
        format!("{}{}", self.url.trim_end_matches('/'), path)
    }

    /// `host:port`, for tests that speak raw HTTP over a socket.
    pub fn addr(&self) -> String {
        let rest = self
            .url
            .strip_prefix("http://")
            .unwrap_or_else(|| panic!("{}: not an http:// URL", self.url));
        rest.trim_end_matches('/').to_string()
    }

    /// What the server has logged on stderr so far.
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.stderr.lock().expect("stderr buffer")).into_owned()
    }

    /// Whether the process is still running (it has not exited or crashed).
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Session {
    /// The `serve` command line on this session's database, not yet run:
    /// `incidents --db DB serve --port 0 ARGS`.
    pub fn serve_command(&self, args: &[&str]) -> Command {
        self.serve_command_at(&self.db_arg(), args)
    }

    /// The same on the database `db` (e.g. this session's database as
    /// another login).
    pub fn serve_command_at(&self, db: &str, args: &[&str]) -> Command {
        let mut c = Command::new(assert_cmd::cargo::cargo_bin("incidents"));
        for var in DB_ENV {
            c.env_remove(var);
        }
        c.arg("--db")
            .arg(db)
            .arg("serve")
            .args(["--port", "0"])
            .args(args)
            .current_dir(self.dir.path());
        c
    }

    /// Starts `incidents serve --port 0 ARGS` on this session's database
    /// and waits until it says where it listens.
    pub fn serve(&self, args: &[&str]) -> Server {
        Server::start(self.serve_command(args), &format!("serve {args:?}"))
    }

    /// The same on the database `db`.
    pub fn serve_at(&self, db: &str, args: &[&str]) -> Server {
        Server::start(
            self.serve_command_at(db, args),
            &format!("serve {args:?} on {db}"),
        )
    }

    /// Runs `incidents serve --port 0 ARGS` expecting it to refuse to start:
    /// returns what it printed once it has exited. A server that starts
    /// instead never exits: it is killed after START_GUARD and the test
    /// fails.
    pub fn serve_refused(&self, args: &[&str]) -> Output {
        let mut child = self
            .serve_command(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run incidents serve");
        let started = Instant::now();
        // A refusal is a line or two: the pipes' buffers hold it until the
        // process has exited.
        while child
            .try_wait()
            .expect("wait for incidents serve")
            .is_none()
        {
            if started.elapsed() > START_GUARD {
                let _ = child.kill();
                let out = child.wait_with_output().expect("wait for incidents serve");
                panic!(
                    "incidents serve {args:?} should have refused to start, but ran:\n{}\n{}",
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let out = child.wait_with_output().expect("wait for incidents serve");
        Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}
