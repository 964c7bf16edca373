//! A throwaway PostgreSQL cluster for the tests: made with the system's
//! `initdb` under `target/pg-test/<version>`, started on a free port of
//! 127.0.0.1 (and a unix socket in its data directory), and shared by every
//! test binary of a run and by later runs (it is left running; stop it with
//! `pg_ctl stop -D target/pg-test/<version>`). Each test gets a fresh
//! database cloned from `incidents_template`, which has PostGIS.

use std::fs::{self, File};
use std::io::Write;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The superuser every session's URL logs in as.
pub const ADMIN: &str = "postgres";
/// The one login that needs a password (scram-sha-256), for tests of wrong
/// passwords; every other login is trusted on 127.0.0.1.
pub const PASSWORD_USER: &str = "incidents_pw";
pub const PASSWORD: &str = "correct-horse";
/// The database every session's database is cloned from: empty but for PostGIS.
const TEMPLATE: &str = "incidents_template";

/// A running cluster.
pub struct Cluster {
    pub version: u32,
    pub port: u16,
    /// The data directory, which also holds the unix socket (if its path is
    /// short enough for one).
    pub data: PathBuf,
}

/// The cluster, started (or found running) on first use in this process.
/// `Err` says why PostgreSQL cannot be used here: the server or PostGIS is
/// not installed. Any other failure panics with the server's log.
pub fn cluster() -> Result<&'static Cluster, String> {
    static CLUSTER: OnceLock<Result<Cluster, String>> = OnceLock::new();
    CLUSTER.get_or_init(start).as_ref().map_err(Clone::clone)
}

/// The server binaries of the highest installed version: Debian's layout.
fn server_binaries() -> Result<(u32, PathBuf), String> {
    let versions = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version: u32 = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        });
    versions.max_by_key(|(v, _)| *v).ok_or_else(|| {
        "no PostgreSQL server: /usr/lib/postgresql/*/bin/initdb not found \
         (apt-get install postgresql)"
            .to_string()
    })
}

fn start() -> Result<Cluster, String> {
    let (version, bin) = server_binaries()?;
    let share = capture(Command::new(bin.join("pg_config")).arg("--sharedir"));
    if !Path::new(share.trim())
        .join("extension/postgis.control")
        .exists()
    {
        return Err(format!(
            "PostGIS is not installed for PostgreSQL {version} \
             (apt-get install postgresql-{version}-postgis-3)"
        ));
    }
    let server = Server::new(bin);
    let base = base_dir(&server);
    fs::create_dir_all(&base).expect("create the pg-test directory");
    // Test binaries run in parallel: one of them makes and starts the
    // cluster, the others wait here and then find it running.
    let lock = File::create(base.join(format!("{version}.lock"))).expect("create the lock file");
    lock.lock().expect("lock the cluster's start-up");
    let data = base.join(version.to_string());
    if !data.join("PG_VERSION").exists() {
        server.init(&data);
    }
    let port = match server.running_port(&data) {
        Some(port) => port,
        None => server.start(&data),
    };
    let cluster = Cluster {
        version,
        port,
        data,
    };
    prepare(&cluster);
    drop_orphans(&cluster);
    drop(lock);
    Ok(cluster)
}

/// Where the data directory goes: `target/pg-test`, unless the tests run
/// as root and the `postgres` user cannot reach it (a checkout under
/// /root), then a directory of the system's temp dir.
fn base_dir(server: &Server) -> PathBuf {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("CARGO_TARGET_TMPDIR is inside the target directory")
        .join("pg-test");
    if server.run_as.is_none() || reachable_by_postgres(target.parent().expect("target")) {
        return target;
    }
    let mut hasher = std::hash::DefaultHasher::new();
    std::hash::Hash::hash(&target, &mut hasher);
    std::env::temp_dir().join(format!(
        "incidents-pg-test-{:x}",
        std::hash::Hasher::finish(&hasher)
    ))
}

fn reachable_by_postgres(dir: &Path) -> bool {
    Command::new("runuser")
        .args(["-u", ADMIN, "--", "test", "-x"])
        .arg(dir)
        .current_dir("/")
        .status()
        .is_ok_and(|s| s.success())
}

/// The server binaries, run as the `postgres` user when the tests run as
/// root (PostgreSQL refuses to run as root).
struct Server {
    bin: PathBuf,
    run_as: Option<&'static str>,
}

impl Server {
    fn new(bin: PathBuf) -> Server {
        let root = fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0);
        Server {
            bin,
            run_as: root.then_some(ADMIN),
        }
    }

    fn command(&self, program: &str) -> Command {
        let program = self.bin.join(program);
        let mut c = match self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(program);
                c
            }
            None => Command::new(program),
        };
        // The postgres user may not be allowed into the test's directory.
        c.current_dir("/");
        c
    }

    fn init(&self, data: &Path) {
        // A data directory left half-made by an interrupted initdb.
        if data.exists() {
            fs::remove_dir_all(data).expect("remove the half-made data directory");
        }
        fs::create_dir_all(data).expect("create the data directory");
        if let Some(user) = self.run_as {
            let uid: u32 = capture(Command::new("id").args(["-u", user]))
                .trim()
                .parse()
                .expect("the postgres user's uid");
            let gid: u32 = capture(Command::new("id").args(["-g", user]))
                .trim()
                .parse()
                .expect("the postgres user's gid");
            std::os::unix::fs::chown(data, Some(uid), Some(gid)).expect("chown the data directory");
        }
        capture(
            self.command("initdb")
                .arg("-D")
                .arg(data)
                .args(["-U", ADMIN, "--auth=trust", "--encoding=UTF8"])
                .args(["--locale=C.UTF-8", "--no-sync"]),
        );
        // Unix socket paths are limited to 107 bytes.
        let socket_dir = if data.as_os_str().len() < 90 {
            data.to_str().expect("a UTF-8 data directory")
        } else {
            ""
        };
        append(
            &data.join("postgresql.conf"),
            &format!(
                "\n# incidents tests: a throwaway cluster, speed over durability\n\
                 listen_addresses = '127.0.0.1'\n\
                 unix_socket_directories = '{socket_dir}'\n\
                 max_connections = 200\n\
                 fsync = off\n\
                 synchronous_commit = off\n\
                 full_page_writes = off\n"
            ),
        );
        fs::write(
            data.join("pg_hba.conf"),
            format!(
                "local all all trust\n\
                 host all {PASSWORD_USER} 127.0.0.1/32 scram-sha-256\n\
                 host all all 127.0.0.1/32 trust\n"
            ),
        )
        .expect("write pg_hba.conf");
    }

    /// The port of the server running on `data`, if one is.
    fn running_port(&self, data: &Path) -> Option<u16> {
        let running = self
            .command("pg_ctl")
            .arg("status")
            .arg("-D")
            .arg(data)
            .output()
            .is_ok_and(|o| o.status.success());
        if !running {
            return None;
        }
        // postmaster.pid: pid, data directory, start time, port, ...
        let pid_file = fs::read_to_string(data.join("postmaster.pid")).ok()?;
        pid_file.lines().nth(3)?.trim().parse().ok()
    }

    /// Starts the server on a free port and returns the port.
    fn start(&self, data: &Path) -> u16 {
        let port = free_port();
        let log = data.join("server.log");
        let out = self
            .command("pg_ctl")
            .arg("start")
            .arg("-D")
            .arg(data)
            .arg("-l")
            .arg(&log)
            .args(["-w", "-t", "60", "-o"])
            .arg(format!("-p {port}"))
            .output()
            .expect("run pg_ctl");
        if !out.status.success() {
            let log = fs::read_to_string(&log).unwrap_or_default();
            panic!(
                "pg_ctl start on {} failed:\n{}{}\n{log}",
                data.display(),
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        port
    }
}

/// The password user and the template, made once per cluster.
fn prepare(cluster: &Cluster) {
    let mut admin = cluster.connect("postgres");
    let has_role = admin
        .query_opt(
            "SELECT 1 FROM pg_roles WHERE rolname = $1",
            &[&PASSWORD_USER],
        )
        .expect("look up the password user")
        .is_some();
    if !has_role {
        admin
            .batch_execute(&format!(
                "CREATE ROLE {PASSWORD_USER} LOGIN PASSWORD '{PASSWORD}'"
            ))
            .expect("create the password user");
    }
    // The template is complete once connections to it are closed: that is
    // its last step.
    let template = admin
        .query_opt(
            "SELECT datallowconn FROM pg_database WHERE datname = $1",
            &[&TEMPLATE],
        )
        .expect("look up the template")
        .map(|row| row.get::<_, bool>(0));
    if template == Some(false) {
        return;
    }
    if template.is_some() {
        admin
            .batch_execute(&format!("DROP DATABASE {TEMPLATE} WITH (FORCE)"))
            .expect("drop the half-made template");
    }
    admin
        .batch_execute(&format!("CREATE DATABASE {TEMPLATE}"))
        .expect("create the template");
    cluster
        .connect(TEMPLATE)
        .batch_execute("CREATE EXTENSION postgis")
        .expect("CREATE EXTENSION postgis in the template");
    admin
        .batch_execute(&format!(
            "ALTER DATABASE {TEMPLATE} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false"
        ))
        .expect("seal the template");
}

/// Drops the databases of test processes that ended without dropping
/// theirs (killed, or their database was a static).
fn drop_orphans(cluster: &Cluster) {
    let mut admin = cluster.connect("postgres");
    let names: Vec<String> = admin
        .query(
            "SELECT datname FROM pg_database WHERE datname LIKE 't\\_%\\_%'",
            &[],
        )
        .expect("list test databases")
        .iter()
        .map(|r| r.get(0))
        .collect();
    for name in names {
        let pid = name.split('_').nth(1).unwrap_or_default();
        if !pid.is_empty() && !Path::new("/proc").join(pid).exists() {
            admin
                .batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                .expect("drop an orphaned test database");
        }
    }
}

impl Cluster {
    /// An admin (superuser) connection to a database of the cluster.
    pub fn connect(&self, dbname: &str) -> postgres::Client {
        postgres::Config::new()
            .host("127.0.0.1")
            .port(self.port)
            .user(ADMIN)
            .dbname(dbname)
            .connect(postgres::NoTls)
            .unwrap_or_else(|e| panic!("connect to {dbname} on 127.0.0.1:{}: {e}", self.port))
    }

    /// The URL of a database for a login.
    pub fn url(&self, login: &str, dbname: &str) -> String {
        format!("postgresql://{login}@127.0.0.1:{}/{dbname}", self.port)
    }

    /// A fresh database cloned from `source` (`incidents_template`, which has
    /// PostGIS, or another test database with no open connection).
    pub fn create_database(&'static self, source: Option<&str>) -> Database {
        let name = database_name();
        self.connect("postgres")
            .batch_execute(&format!(
                "CREATE DATABASE \"{name}\" TEMPLATE \"{}\" STRATEGY FILE_COPY",
                source.unwrap_or(TEMPLATE)
            ))
            .unwrap_or_else(|e| panic!("CREATE DATABASE {name}: {e}"));
        Database {
            cluster: self,
            name,
        }
    }

    /// A fresh database with PostGIS whose default collation is ICU's
    /// `icu_locale` (e.g. `en-US`), as on a server initialised in a
    /// language's locale rather than the cluster's C.UTF-8: text sorts
    /// and compares there as most production servers do.
    pub fn create_collated_database(&'static self, icu_locale: &str) -> Database {
        let name = database_name();
        self.connect("postgres")
            .batch_execute(&format!(
                "CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' \
                 LOCALE 'C.UTF-8' LOCALE_PROVIDER icu ICU_LOCALE '{icu_locale}'"
            ))
            .unwrap_or_else(|e| panic!("CREATE DATABASE {name} (ICU {icu_locale}): {e}"));
        let database = Database {
            cluster: self,
            name,
        };
        self.connect(&database.name)
            .batch_execute("CREATE EXTENSION postgis")
            .unwrap_or_else(|e| panic!("CREATE EXTENSION postgis in {}: {e}", database.name));
        database
    }
}

/// A new test database's name: `t_<pid>_<n>`, so that `drop_orphans`
/// knows whose it is.
fn database_name() -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    format!(
        "t_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// A test's database, dropped with it.
pub struct Database {
    pub cluster: &'static Cluster,
    pub name: String,
}

impl Drop for Database {
    fn drop(&mut self) {
        // FORCE: a command a failed test left running still holds a connection.
        let dropped = self
            .cluster
            .connect("postgres")
            .batch_execute(&format!("DROP DATABASE \"{}\" WITH (FORCE)", self.name));
        if let Err(e) = dropped {
            eprintln!("could not drop test database {}: {e}", self.name);
        }
    }
}

/// A free TCP port of 127.0.0.1, as the kernel hands them out.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// Runs a command that must succeed and returns its stdout.
fn capture(c: &mut Command) -> String {
    let out = c
        .output()
        .unwrap_or_else(|e| panic!("run {:?}: {e}", c.get_program()));
    assert!(
        out.status.success(),
        "{c:?} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn append(path: &Path, text: &str) {
    fs::OpenOptions::new()
        .append(true)
        .open(path)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .unwrap_or_else(|e| panic!("append to {}: {e}", path.display()));
}
