//! PostgreSQL's chain heads: the migration that brought them starts each trail's head from its
//! newest entry, or from its retention checkpoint when retention deleted the whole trail, so the
//! entries appended after it link on.
use chrono::Utc;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use orgwarden_ids::TenantId;
use orgwarden_store::audit::{self, Actor, Kind, NewEntry, Via};
use orgwarden_store::testing::{self, fresh_database};
use orgwarden_store::{Backend, Cipher, DbConnection};

const POSTGRES: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");

fn entry(n: usize) -> NewEntry {
    NewEntry {
        kind: Kind::SettingsUpdated,
        actor: Actor {
            account_id: "557058:a".into(),
            name: "Ann".into(),
            via: Via::Jwt,
        },
        summary: format!("entry {n}"),
        details: serde_json::json!({"n": n}),
    }
}

#[test]
fn trails_link_on_across_the_migration_that_brought_chain_heads() {
    let test = fresh_database(Backend::Postgres);
    let cipher = Cipher::from_base64(&Cipher::generate_master_key()).unwrap();
    let now = Utc::now().naive_utc();
    let (kept, cut) = (TenantId::from("kept"), TenantId::from("cut"));
    {
        let mut conn = test.db.get().unwrap();
        for tenant in [&kept, &cut] {
            let install = orgwarden_store::tenants::Installation {
                client_key: tenant.clone(),
                shared_secret: "s".into(),
                ..Default::default()
            };
            orgwarden_store::tenants::install(&mut conn, &cipher, &install, now).unwrap();
            for n in 0..3 {
                audit::record(&mut conn, tenant, &entry(n), now).unwrap();
            }
        }
        let later = now + chrono::Duration::seconds(1);
        let deleted = audit::delete_through(&mut conn, &cut, later, later, &testing::seal_key());
        assert_eq!(deleted.unwrap(), 3);
        let DbConnection::Pg(c) = &mut *conn else {
            unreachable!("a PostgreSQL database")
        };
        // Back to before the chain heads: the migrations since, then theirs.
        loop {
            let reverted = c.revert_last_migration(POSTGRES).unwrap().to_string();
            if reverted == "20261204000090" {
                break;
            }
            assert!(reverted.as_str() > "20261204000090", "{reverted}");
        }
    }
    test.db.run_migrations().unwrap();
    let mut conn = test.db.get().unwrap();
    for (tenant, expected) in [(&kept, 5), (&cut, 2)] {
        for n in 3..5 {
            audit::record(&mut conn, tenant, &entry(n), now).unwrap();
        }
        let v = audit::verify(&mut conn, tenant, &testing::seal_key(), None).unwrap();
        assert_eq!(
            (v.checked, v.first_broken_id),
            (expected, None),
            "{tenant:?}"
        );
    }
}
