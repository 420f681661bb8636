//! Throwaway databases for tests: a temp SQLite file, or a fresh database on the PostgreSQL
//! server named by `ORGWARDEN_TEST_POSTGRES_URL` (started by `make test`).

use std::sync::atomic::{AtomicU32, Ordering};

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};

use crate::{Backend, Cipher, Database};

/// A fresh, migrated database that lives as long as this value: a PostgreSQL database is
/// dropped with it (its connections closed first), a SQLite file goes with its temp folder.
pub struct TestDatabase {
    /// The pool.
    pub db: Database,
    /// Its URL (to hand to a server under test).
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    /// The PostgreSQL database's name, to drop.
    postgres_name: Option<String>,
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some(name) = &self.postgres_name else {
            return;
        };
        // `FORCE` ends the pool's connections and any a server under test still holds.
        let dropped = PgConnection::establish(&format!("{}/postgres", postgres_server_url()))
            .map_err(|e| e.to_string())
            .and_then(|mut admin| {
                admin
                    .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .map_err(|e| e.to_string())
            });
        if let Err(e) = dropped {
            eprintln!("test database {name} was not dropped: {e}");
        }
    }
}

/// Creates an empty database of `backend` and runs the migrations.
///
/// # Panics
/// When PostgreSQL is asked for and `ORGWARDEN_TEST_POSTGRES_URL` is not set: run the suite with
/// `make test`, which starts a throwaway server.
pub fn fresh_database(backend: Backend) -> TestDatabase {
    let db = empty_database(backend);
    db.db.run_migrations().expect("migrations apply");
    db
}

/// Creates an empty database of `backend` without running migrations.
pub fn empty_database(backend: Backend) -> TestDatabase {
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("temp dir");
            let url = format!("sqlite://{}/test.sqlite", dir.path().display());
            let db = Database::connect(&url).expect("sqlite opens");
            TestDatabase {
                db,
                url,
                _dir: Some(dir),
                postgres_name: None,
            }
        }
        Backend::Postgres => {
            let server = postgres_server_url();
            let name = unique_database_name();
            let mut admin = PgConnection::establish(&format!("{server}/postgres"))
                .expect("the test PostgreSQL server answers");
            admin
                .batch_execute(&format!("CREATE DATABASE {name}"))
                .expect("test database created");
            let url = format!("{server}/{name}");
            let db = Database::connect(&url).expect("postgres opens");
            TestDatabase {
                db,
                url,
                _dir: None,
                postgres_name: Some(name),
            }
        }
    }
}

/// `plain` in the legacy `v1:` stored form (bound to no row), as releases before `v2:` wrote it.
pub fn legacy_v1_ciphertext(cipher: &Cipher, plain: &str) -> String {
    cipher.encrypt_v1(plain).expect("encrypts")
}

/// A seal key under a fixed test master key (32 bytes of 7).
pub fn seal_key() -> crate::audit::SealKey {
    Cipher::from_base64("BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=")
        .expect("a valid key")
        .audit_seal_key()
        .clone()
}

/// The PostgreSQL server URL tests use.
pub fn postgres_server_url() -> String {
    std::env::var("ORGWARDEN_TEST_POSTGRES_URL").expect(
        "ORGWARDEN_TEST_POSTGRES_URL is not set: run `make test` (it starts a throwaway PostgreSQL) \
         or point it at a server where tests may create databases",
    )
}

fn unique_database_name() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    format!(
        "t{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        nanos
    )
}

/// One test per backend, so each runs (and fails) alone: `on_both_backends!(name, …)` makes
/// `sqlite::name` and `postgres::name`, each an `#[actix_web::test]` awaiting
/// `super::name(Backend::…)` (nextest's `-E 'test(/::postgres::/)'` then runs one backend's).
/// A leading attribute replaces `#[actix_web::test]`, e.g.
/// `on_both_backends!(#[tokio::test(flavor = "multi_thread", worker_threads = 2)] name)`;
/// `on_both_backends!(sync: name, …)` makes plain `#[test]`s calling a synchronous `name`.
#[macro_export]
macro_rules! on_both_backends {
    (sync: $($name:ident),+ $(,)?) => {
        mod sqlite {
            $(#[test]
            fn $name() {
                super::$name($crate::Backend::Sqlite);
            })+
        }
        mod postgres {
            $(#[test]
            fn $name() {
                super::$name($crate::Backend::Postgres);
            })+
        }
    };
    (#[$test:meta] $($name:ident),+ $(,)?) => {
        mod sqlite {
            $(#[$test]
            async fn $name() {
                super::$name($crate::Backend::Sqlite).await;
            })+
        }
        mod postgres {
            $(#[$test]
            async fn $name() {
                super::$name($crate::Backend::Postgres).await;
            })+
        }
    };
    ($($name:ident),+ $(,)?) => {
        $crate::on_both_backends!(#[actix_web::test] $($name),+);
    };
}

/// Installs the tenant `client_key` (a fresh master key, shared secret `s`); returns its id.
///
/// # Panics
/// When the store refuses it.
pub fn installed(conn: &mut crate::DbConnection, client_key: &str) -> orgwarden_ids::TenantId {
    let cipher =
        Cipher::from_base64(&Cipher::generate_master_key()).expect("a generated key decodes");
    let install = crate::tenants::Installation {
        client_key: client_key.into(),
        shared_secret: "s".into(),
        ..Default::default()
    };
    crate::tenants::install(conn, &cipher, &install, chrono::Utc::now().naive_utc())
        .expect("the tenant installs");
    orgwarden_ids::TenantId::from(client_key)
}

/// A step suspending `account_id`, planned as `outcome` with `reason` (for test ledgers).
pub fn suspend_step(
    account_id: String,
    outcome: crate::operations::Outcome,
    reason: String,
) -> crate::operations::PlannedItem {
    crate::operations::PlannedItem {
        account_id,
        action_index: 0,
        action: "suspend",
        step: crate::operations::Step {
            op: crate::operations::Op::Suspend,
            site_id: None,
            product_key: None,
            role: None,
            group_id: None,
        },
        outcome,
        reason,
        source_item_id: None,
    }
}

/// Records a suspending operation of the tenant's, requested by `requested_by`, whose ledger
/// holds `plan` (claimed by the worker `test`, syncing, nothing executed); returns its id.
///
/// # Panics
/// When the store refuses any of it.
pub fn planned_operation(
    conn: &mut crate::DbConnection,
    tenant_id: &orgwarden_ids::TenantId,
    requested_by: &str,
    plan: &[crate::operations::PlannedItem],
) -> i64 {
    use crate::operations::{self, NewOperation, RunState};
    let now = chrono::Utc::now().naive_utc();
    let new = NewOperation {
        tenant_id,
        actions: r#"[{"type":"suspend"}]"#,
        reason: None,
        selection: r#"{"accountIds":[]}"#,
        requested_by,
        revert_of: None,
        acting_as: crate::access::Standing::OrgAdmin,
        actor_scope: None,
    };
    let op = operations::create(conn, &new, now).expect("operation recorded");
    assert!(operations::claim(conn, op.id, "test", now, now).expect("claimed"));
    let queued = [RunState::Queued];
    let moved = operations::transition(conn, op.id, "test", &queued, RunState::Syncing, "");
    assert!(moved.expect("syncing"));
    let written = operations::write_ledger(
        conn,
        tenant_id,
        op.id,
        "test",
        plan,
        &Default::default(),
        now,
    );
    assert!(written.expect("ledger written"));
    op.id
}
