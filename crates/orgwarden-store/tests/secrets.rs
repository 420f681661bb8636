//! Secrets are bound to their row: a ciphertext copied into another tenant's row does not
//! decrypt, and `v1:` values written by earlier releases are upgraded to `v2:` at start. Both
//! backends.

use chrono::Utc;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use orgwarden_ids::OrgId;
use orgwarden_ids::TenantId;
use orgwarden_store::org_connections::{self, NewOrgConnection};
use orgwarden_store::tenants::{self, Installation};
use orgwarden_store::testing::{fresh_database, legacy_v1_ciphertext};
use orgwarden_store::Backend;
use orgwarden_store::{upgrade_secrets, Cipher, DbConnection, StoreError};

use orgwarden_store::on_both_backends;

on_both_backends!(
    sync:
    a_secret_copied_to_another_row_does_not_decrypt,
    v1_secrets_are_upgraded_once_and_still_read
);

fn install(conn: &mut DbConnection, cipher: &Cipher, client_key: &str, secret: &str) {
    let installation = Installation {
        client_key: client_key.into(),
        app_key: "io.orgwarden.app".into(),
        base_url: format!("https://{client_key}.atlassian.net"),
        shared_secret: secret.into(),
        ..Default::default()
    };
    tenants::install(conn, cipher, &installation, Utc::now().naive_utc()).unwrap();
}

fn save_key(conn: &mut DbConnection, cipher: &Cipher, tenant_id: &str, key: &str) {
    let new = NewOrgConnection {
        tenant_id: &TenantId::from(tenant_id),
        org_id: &OrgId::from("org-1"),
        org_name: "Acme",
        api_key: key,
        expires_on: "2030-01-01",
        updated_by: "557058:admin",
    };
    org_connections::save(conn, cipher, &new, Utc::now().naive_utc()).unwrap();
}

fn secret_of(
    conn: &mut DbConnection,
    cipher: &Cipher,
    client_key: &str,
) -> Result<String, StoreError> {
    tenants::find(conn, &TenantId::from(client_key))
        .unwrap()
        .unwrap()
        .shared_secret(cipher)
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn count(conn: &mut DbConnection, sql: &str) -> i64 {
    diesel::sql_query(sql).get_result::<Count>(conn).unwrap().n
}

fn a_secret_copied_to_another_row_does_not_decrypt(backend: Backend) {
    let cipher = Cipher::from_base64(&Cipher::generate_master_key()).unwrap();
    let test = fresh_database(backend);
    let mut conn = test.db.get().unwrap();
    install(&mut conn, &cipher, "victim", "victim-secret");
    install(&mut conn, &cipher, "attacker", "attacker-secret");
    save_key(&mut conn, &cipher, "victim", "victim-api-key");
    save_key(&mut conn, &cipher, "attacker", "attacker-api-key");

    // Someone with write access to the database moves the victim's values into the
    // attacker's rows (and a shared secret into the API key column).
    diesel::sql_query(
        "UPDATE tenants SET shared_secret_enc = (SELECT shared_secret_enc FROM tenants \
         WHERE client_key = 'victim') WHERE client_key = 'attacker'",
    )
    .execute(&mut conn)
    .unwrap();
    diesel::sql_query(
        "UPDATE org_connections SET api_key_enc = (SELECT shared_secret_enc FROM tenants \
         WHERE client_key = 'victim') WHERE tenant_id = 'victim'",
    )
    .execute(&mut conn)
    .unwrap();

    assert!(
        secret_of(&mut conn, &cipher, "attacker").is_err(),
        "{backend:?}"
    );
    assert_eq!(
        secret_of(&mut conn, &cipher, "victim").unwrap(),
        "victim-secret"
    );
    let moved = org_connections::find(&mut conn, &TenantId::from("victim"))
        .unwrap()
        .unwrap();
    assert!(moved.api_key(&cipher).is_err(), "{backend:?}");
    let untouched = org_connections::find(&mut conn, &TenantId::from("attacker"))
        .unwrap()
        .unwrap();
    assert_eq!(untouched.api_key(&cipher).unwrap(), "attacker-api-key");
}

fn v1_secrets_are_upgraded_once_and_still_read(backend: Backend) {
    let cipher = Cipher::from_base64(&Cipher::generate_master_key()).unwrap();
    let test = fresh_database(backend);
    let mut conn = test.db.get().unwrap();
    install(&mut conn, &cipher, "old", "placeholder");
    install(&mut conn, &cipher, "new", "new-secret");
    save_key(&mut conn, &cipher, "old", "placeholder");
    // What an earlier release stored: v1 values, bound to no row.
    let v1_secret = legacy_v1_ciphertext(&cipher, "old-secret");
    let v1_key = legacy_v1_ciphertext(&cipher, "old-api-key");
    diesel::sql_query(format!(
        "UPDATE tenants SET shared_secret_enc = '{v1_secret}' WHERE client_key = 'old'"
    ))
    .execute(&mut conn)
    .unwrap();
    diesel::sql_query(format!(
        "UPDATE org_connections SET api_key_enc = '{v1_key}' WHERE tenant_id = 'old'"
    ))
    .execute(&mut conn)
    .unwrap();
    // A v1 value that does not decrypt (another master key) is left alone.
    let other = Cipher::from_base64(&Cipher::generate_master_key()).unwrap();
    install(&mut conn, &cipher, "foreign", "x");
    let foreign = legacy_v1_ciphertext(&other, "foreign-secret");
    diesel::sql_query(format!(
        "UPDATE tenants SET shared_secret_enc = '{foreign}' WHERE client_key = 'foreign'"
    ))
    .execute(&mut conn)
    .unwrap();
    assert_eq!(secret_of(&mut conn, &cipher, "old").unwrap(), "old-secret");

    assert_eq!(
        upgrade_secrets(&test.db, &cipher).unwrap(),
        2,
        "{backend:?}"
    );
    assert_eq!(upgrade_secrets(&test.db, &cipher).unwrap(), 0, "idempotent");
    let v1_left = "SELECT COUNT(*) AS n FROM tenants WHERE shared_secret_enc LIKE 'v1:%'";
    assert_eq!(
        count(&mut conn, v1_left),
        1,
        "only the foreign value stays v1"
    );
    let v2_keys = "SELECT COUNT(*) AS n FROM org_connections WHERE api_key_enc LIKE 'v2:%'";
    assert_eq!(count(&mut conn, v2_keys), 1);
    assert_eq!(secret_of(&mut conn, &cipher, "old").unwrap(), "old-secret");
    assert_eq!(secret_of(&mut conn, &cipher, "new").unwrap(), "new-secret");
    let key = org_connections::find(&mut conn, &TenantId::from("old"))
        .unwrap()
        .unwrap();
    assert_eq!(key.api_key(&cipher).unwrap(), "old-api-key");

    // Upgraded values are bound: copied to another tenant they no longer decrypt.
    diesel::sql_query(
        "UPDATE tenants SET shared_secret_enc = (SELECT shared_secret_enc FROM tenants \
         WHERE client_key = 'old') WHERE client_key = 'new'",
    )
    .execute(&mut conn)
    .unwrap();
    assert!(secret_of(&mut conn, &cipher, "new").is_err());
}
