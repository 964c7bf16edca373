//! The test harness itself: sessions on either backend start empty, are
//! separate and copy whole; the shared PostgreSQL cluster hands out fresh
//! databases with PostGIS and lets only the right password in.
mod common;

use common::{Backend, Session, both, pg};

both!(sessions_start_empty_are_separate_and_copy_whole);
fn sessions_start_empty_are_separate_and_copy_whole() {
    let a = Session::new();
    let b = Session::new();
    assert_ne!(a.db_arg(), b.db_arg());
    assert_eq!(a.snapshot(), "");
    a.exec_sql(
        "CREATE TABLE t (id integer PRIMARY KEY, name text); \
         INSERT INTO t VALUES (2, 'b'), (1, NULL)",
    );
    assert_eq!(
        a.query_sql("SELECT id, name FROM t ORDER BY id"),
        [["1", "NULL"], ["2", "b"]]
    );
    assert_eq!(b.snapshot(), "", "b does not see a's table");
    let copy = a.copy();
    assert_ne!(copy.db_arg(), a.db_arg());
    assert_eq!(copy.snapshot(), a.snapshot());
    copy.exec_sql("DELETE FROM t");
    assert_eq!(a.query_sql("SELECT count(*) FROM t"), [["2"]]);
}

#[test]
fn postgres_databases_have_postgis_and_check_the_password_user() {
    common::run_on(
        Backend::Postgres,
        "pg_harness::postgres_databases_have_postgis_and_check_the_password_user",
        || {
            let s = Session::new();
            let port = pg::cluster().expect("a cluster").port;
            assert_eq!(
                s.db_arg(),
                s.url_as(pg::ADMIN),
                "sessions log in as the superuser"
            );
            assert!(
                s.db_arg()
                    .starts_with(&format!("postgresql://postgres@127.0.0.1:{port}/t_")),
                "{}",
                s.db_arg()
            );
            let version = s.pg_query("SELECT postgis_version()");
            assert!(version[0][0].starts_with("3."), "{version:?}");
            // PostGIS's own spatial_ref_sys is not the session's data.
            assert_eq!(s.snapshot(), "");
            s.pg_exec("CREATE TABLE t (id integer PRIMARY KEY, name text); INSERT INTO t VALUES (1, NULL)");
            assert_eq!(s.snapshot(), "public.t:(1,)\n");

            let login = |password: &str| {
                postgres::Client::connect(
                    &s.url_with_password(pg::PASSWORD_USER, password),
                    postgres::NoTls,
                )
            };
            let wrong = login("wrong").err().expect("a wrong password is refused");
            assert_eq!(
                wrong.code(),
                Some(&postgres::error::SqlState::INVALID_PASSWORD),
                "{wrong:?}"
            );
            login(pg::PASSWORD).expect("the right password logs in");
        },
    );
}
