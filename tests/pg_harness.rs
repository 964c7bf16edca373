//! The PostgreSQL test harness itself: the shared cluster starts (or is
//! found running), hands out fresh databases with PostGIS, and reads them back.
mod common;

use std::time::Instant;

use common::{Backend, Session, both};

both!(fresh_databases_have_postgis_and_nothing_else);
fn fresh_databases_have_postgis_and_nothing_else() {
    let started = Instant::now();
    let a = Session::new();
    let first = started.elapsed();
    let started = Instant::now();
    let b = Session::new();
    eprintln!(
        "first session (cluster start or reuse + database) {first:?}, second {:?}",
        started.elapsed()
    );
    if a.backend() == Backend::Sqlite {
        assert_eq!(a.snapshot(), "");
        return;
    }
    assert_ne!(a.db_arg(), b.db_arg());
    assert!(a.db_arg().starts_with("postgresql://postgres@127.0.0.1:"));
    for s in [&a, &b] {
        let version = s.pg_query("SELECT postgis_version()");
        assert!(version[0][0].starts_with("3."), "{version:?}");
    }
    // Empty: PostGIS's own table is not the session's data.
    assert_eq!(a.snapshot(), "");
    a.pg_exec(
        "CREATE TABLE t (id int PRIMARY KEY, name text); INSERT INTO t VALUES (2, 'b'), (1, NULL)",
    );
    assert_eq!(a.snapshot(), "public.t:(1,)\n(2,b)\n");
    assert_eq!(b.snapshot(), "", "databases are separate");
    let copy = a.copy();
    assert_eq!(copy.snapshot(), a.snapshot());
    assert_eq!(
        a.pg_query("SELECT name FROM t ORDER BY id"),
        [["NULL"], ["b"]]
    );
}
