//! Settings validation and the daily-sync claim (once per tenant per local day, in its hour).

use chrono::{TimeZone, Utc};
use orgwarden_ids::OrgId;
use orgwarden_ids::TenantId;
use orgwarden_store::org_connections::{self, NewOrgConnection};
use orgwarden_store::settings::{self, Settings};
use orgwarden_store::tenants::{self, Installation};
use orgwarden_store::testing::fresh_database;
use orgwarden_store::Backend;
use orgwarden_store::Cipher;

use orgwarden_store::on_both_backends;

on_both_backends!(sync: daily_sync_is_claimed_once_in_the_tenants_hour);

fn daily_sync_is_claimed_once_in_the_tenants_hour(backend: Backend) {
    let cipher = Cipher::from_base64(&Cipher::generate_master_key()).unwrap();
    let test = fresh_database(backend);
    let mut conn = test.db.get().unwrap();
    let now = Utc::now().naive_utc();
    let install = Installation {
        client_key: "t".into(),
        app_key: "a".into(),
        base_url: "https://x".into(),
        shared_secret: "s".into(),
        ..Default::default()
    };
    tenants::install(&mut conn, &cipher, &install, now).unwrap();
    let new = NewOrgConnection {
        tenant_id: &TenantId::from("t"),
        org_id: &OrgId::from("o"),
        org_name: "O",
        api_key: "k",
        expires_on: "2099-01-01",
        updated_by: "u",
    };
    org_connections::save(&mut conn, &cipher, &new, now).unwrap();
    let berlin = Settings {
        sync_hour: 3,
        time_zone: "Europe/Berlin".into(),
        ..Settings::default()
    };
    assert!(berlin.validate().is_ok());
    settings::save(&mut conn, &TenantId::from("t"), &berlin, "u", now).unwrap();
    // 02:10 UTC in January is 03:10 in Berlin: due once, then not again that day.
    let at = Utc.with_ymd_and_hms(2027, 1, 10, 2, 10, 0).unwrap();
    assert_eq!(
        settings::claim_daily_syncs(&mut conn, at).unwrap(),
        vec!["t".to_owned()],
        "{backend:?}"
    );
    assert!(
        settings::claim_daily_syncs(&mut conn, at + chrono::Duration::minutes(5))
            .unwrap()
            .is_empty()
    );
    // A claim given back (its sync could not start) is claimed again inside the hour.
    settings::unclaim_daily_sync(&mut conn, &TenantId::from("t")).unwrap();
    assert_eq!(
        settings::claim_daily_syncs(&mut conn, at + chrono::Duration::minutes(10)).unwrap(),
        vec!["t".to_owned()],
        "{backend:?}"
    );
    // Another hour: not due; the next day in the hour: due again.
    assert!(settings::claim_daily_syncs(
        &mut conn,
        Utc.with_ymd_and_hms(2027, 1, 11, 9, 0, 0).unwrap()
    )
    .unwrap()
    .is_empty());
    assert_eq!(
        settings::claim_daily_syncs(
            &mut conn,
            Utc.with_ymd_and_hms(2027, 1, 11, 2, 0, 0).unwrap()
        )
        .unwrap()
        .len(),
        1
    );
    // A tenant that disabled the app is left alone.
    tenants::disable(&mut conn, &TenantId::from("t"), now).unwrap();
    assert!(settings::claim_daily_syncs(
        &mut conn,
        Utc.with_ymd_and_hms(2027, 1, 12, 2, 0, 0).unwrap()
    )
    .unwrap()
    .is_empty());
}

#[test]
fn invalid_settings_name_the_field() {
    let bad = Settings {
        time_zone: "Mars/Olympus".into(),
        ..Settings::default()
    };
    assert_eq!(bad.validate().unwrap_err().0, "timeZone");
    let bad = Settings {
        sync_hour: 24,
        ..Settings::default()
    };
    assert_eq!(bad.validate().unwrap_err().0, "syncHour");
    for currency in ["usd", "EURO", "", "€"] {
        let bad = Settings {
            currency: currency.into(),
            ..Settings::default()
        };
        assert_eq!(bad.validate().unwrap_err().0, "currency", "{currency:?}");
    }
    assert_eq!(Settings::default().currency, "USD");
}
