//! The audit chain on both backends: concurrent appends of one tenant still form one chain,
//! tenants' chains are separate, ids keep increasing after retention deleted a whole trail (and a
//! tenant purged and installed again starts from the genesis), a
//! change recorded with `write_recorded` commits with its entry (any text intact) or not at all, and
//! filters and paging read it newest first, and an account's own entries are its actions and what
//! the system recorded for what it asked for.
use chrono::Utc;
use orgwarden_ids::TenantId;
use orgwarden_store::audit::{self, Actor, Filter, Kind, NewEntry, Via};
use orgwarden_store::tenants::{self, Installation};
use orgwarden_store::testing::{self, fresh_database};
use orgwarden_store::Backend;
use orgwarden_store::Cipher;
use serde_json::json;

use orgwarden_store::on_both_backends;

on_both_backends!(
    sync:
    concurrent_appends_form_one_chain_per_tenant,
    ids_increase_past_a_trail_retention_deleted_whole,
    a_tenant_installed_again_after_its_purge_starts_a_new_chain,
    a_recorded_change_commits_with_its_entry_exactly_as_written,
    filters_and_paging_read_newest_first,
    an_accounts_own_entries_are_its_actions_and_what_the_system_did_for_it
);

/// Installs tenant `client_key`.
pub(crate) fn install(conn: &mut orgwarden_store::DbConnection, client_key: &str) {
    let cipher = Cipher::from_base64(&Cipher::generate_master_key()).unwrap();
    let install = Installation {
        client_key: client_key.into(),
        shared_secret: "s".into(),
        ..Default::default()
    };
    tenants::install(conn, &cipher, &install, Utc::now().naive_utc()).unwrap();
}

fn entry(kind: Kind, who: &str, n: usize) -> NewEntry {
    NewEntry {
        kind,
        actor: Actor {
            account_id: who.into(),
            name: format!("Name of {who}"),
            via: Via::Token(7),
        },
        summary: format!("entry {n}"),
        details: json!({"n": n}),
    }
}

fn concurrent_appends_form_one_chain_per_tenant(backend: Backend) {
    let test = fresh_database(backend);
    {
        let mut conn = test.db.get().unwrap();
        install(&mut conn, "t1");
        install(&mut conn, "t2");
    }
    std::thread::scope(|scope| {
        for worker in 0..4 {
            let db = test.db.clone();
            scope.spawn(move || {
                let mut conn = db.get().unwrap();
                for n in 0..15 {
                    let tenant = if n % 2 == 0 { "t1" } else { "t2" };
                    let e = entry(Kind::SettingsUpdated, &format!("w{worker}"), n);
                    orgwarden_store::transaction(&mut conn, |conn| {
                        let id = audit::record(
                            conn,
                            &TenantId::from(tenant),
                            &e,
                            Utc::now().naive_utc(),
                        );
                        // Held open a moment, so the other workers' appends queue behind it.
                        std::thread::sleep(std::time::Duration::from_millis(2));
                        id
                    })
                    .unwrap();
                }
            });
        }
    });
    let mut conn = test.db.get().unwrap();
    for (tenant, expected) in [("t1", 32), ("t2", 28)] {
        let v = audit::verify(
            &mut conn,
            &TenantId::from(tenant),
            &testing::seal_key(),
            None,
        )
        .unwrap();
        assert_eq!(
            (v.checked, v.first_broken_id),
            (expected, None),
            "{backend:?} {tenant}"
        );
    }
    let t1 = audit::list(&mut conn, &TenantId::from("t1"), &Filter::default(), 1000).unwrap();
    assert_eq!(t1.last().unwrap().prev_hash, audit::GENESIS);
    assert_eq!(t1[0].token_id, Some(7));
    assert_eq!(t1[0].via, "token");
}

fn filters_and_paging_read_newest_first(backend: Backend) {
    let test = fresh_database(backend);
    let mut conn = test.db.get().unwrap();
    install(&mut conn, "t1");
    let kinds = [
        Kind::OperationCreated,
        Kind::OperationFinished,
        Kind::TokenCreated,
    ];
    for n in 0..9 {
        let e = entry(kinds[n % 3], if n < 3 { "ada" } else { "bob" }, n);
        audit::record(&mut conn, &TenantId::from("t1"), &e, Utc::now().naive_utc()).unwrap();
    }
    let family = Filter {
        kind: Some("operation".into()),
        ..Filter::default()
    };
    let first = audit::list(&mut conn, &TenantId::from("t1"), &family, 4).unwrap();
    assert_eq!(first.len(), 4);
    assert!(first.windows(2).all(|w| w[0].id > w[1].id));
    let rest = audit::list(
        &mut conn,
        &TenantId::from("t1"),
        &Filter {
            before_id: Some(first[3].id),
            ..family.clone()
        },
        10,
    )
    .unwrap();
    assert_eq!(rest.len(), 2, "{backend:?}");
    let ada = Filter {
        actor: Some("ada".into()),
        kind: Some("token.created".into()),
        ..Filter::default()
    };
    assert_eq!(
        audit::list(&mut conn, &TenantId::from("t1"), &ada, 10)
            .unwrap()
            .len(),
        1
    );
}

fn ids_increase_past_a_trail_retention_deleted_whole(backend: Backend) {
    let test = fresh_database(backend);
    let mut conn = test.db.get().unwrap();
    install(&mut conn, "t1");
    let t1 = TenantId::from("t1");
    let now = Utc::now().naive_utc();
    let ids: Vec<i64> = (0..3)
        .map(|n| audit::record(&mut conn, &t1, &entry(Kind::SettingsUpdated, "a", n), now).unwrap())
        .collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "{backend:?} {ids:?}");
    let later = now + chrono::Duration::seconds(1);
    assert_eq!(
        audit::delete_through(&mut conn, &t1, later, later, &testing::seal_key()).unwrap(),
        3
    );
    let next = audit::record(&mut conn, &t1, &entry(Kind::TokenCreated, "a", 3), later).unwrap();
    assert!(next > ids[2], "{backend:?}: {next} after {ids:?}");
    let v = audit::verify(&mut conn, &t1, &testing::seal_key(), None).unwrap();
    assert_eq!((v.checked, v.first_broken_id), (1, None), "{backend:?}");
    let page = audit::list(&mut conn, &t1, &Filter::default(), 10).unwrap();
    assert_eq!(page.iter().map(|e| e.id).collect::<Vec<_>>(), vec![next]);
}

fn a_tenant_installed_again_after_its_purge_starts_a_new_chain(backend: Backend) {
    let test = fresh_database(backend);
    let mut conn = test.db.get().unwrap();
    let t1 = TenantId::from("t1");
    let now = Utc::now().naive_utc();
    install(&mut conn, "t1");
    for n in 0..2 {
        audit::record(&mut conn, &t1, &entry(Kind::SettingsUpdated, "a", n), now).unwrap();
    }
    assert!(tenants::uninstall(&mut conn, &t1, now, now).unwrap());
    assert!(tenants::purge(&mut conn, &t1).unwrap());
    install(&mut conn, "t1");
    audit::record(&mut conn, &t1, &entry(Kind::TokenCreated, "a", 2), now).unwrap();
    let page = audit::list(&mut conn, &t1, &Filter::default(), 10).unwrap();
    assert_eq!(page.len(), 1, "{backend:?}");
    assert_eq!(page[0].prev_hash, audit::GENESIS, "{backend:?}");
    let v = audit::verify(&mut conn, &t1, &testing::seal_key(), None).unwrap();
    assert_eq!((v.checked, v.first_broken_id), (1, None), "{backend:?}");
}

fn a_recorded_change_commits_with_its_entry_exactly_as_written(backend: Backend) {
    use orgwarden_store::{settings, StoreError};
    let test = fresh_database(backend);
    let mut conn = test.db.get().unwrap();
    install(&mut conn, "t1");
    let t1 = TenantId::from("t1");
    let save = |days: i64| settings::Settings {
        inactive_days: days,
        ..settings::Settings::default()
    };
    let mut tricky = entry(Kind::SettingsUpdated, "557058:o'brien\\", 1);
    tricky.summary = "Zoë's ✓ '); DROP TABLE audit_entries; -- \\x00".into();
    tricky.details = json!({"changes": {"name": {"old": "a'b", "new": "c\\d\u{0}"}}});
    tricky.actor.name = "O'Brien\u{0}, E'\\".into();
    let now = Utc::now().naive_utc();
    let kept = audit::write_recorded(&mut conn, &t1, now, |conn| {
        settings::save(conn, &t1, &save(45), "a", now)?;
        Ok::<_, StoreError>((7, Some(tricky.clone())))
    })
    .unwrap();
    assert_eq!(kept, 7);
    let failed = audit::write_recorded(&mut conn, &t1, now, |conn| {
        settings::save(conn, &t1, &save(60), "a", now)?;
        Err::<((), Option<NewEntry>), _>(StoreError::Corrupt("refused".into()))
    });
    assert!(failed.is_err());
    // The connection is out of both transactions: a plain one works.
    orgwarden_store::transaction(&mut conn, |conn| settings::get(conn, &t1)).unwrap();
    assert_eq!(settings::get(&mut conn, &t1).unwrap().inactive_days, 45);
    let trail = audit::list(&mut conn, &t1, &Filter::default(), 10).unwrap();
    assert_eq!(
        trail.len(),
        1,
        "{backend:?}: only the committed change's entry"
    );
    assert_eq!(trail[0].summary, tricky.summary);
    assert_eq!(trail[0].actor_id, tricky.actor.account_id);
    assert_eq!(trail[0].details, tricky.details.to_string());
    assert_eq!(
        trail[0].actor_name, "O'Brien\u{FFFD}, E'\\",
        "a NUL is replaced"
    );
    let v = audit::verify(&mut conn, &t1, &testing::seal_key(), None).unwrap();
    assert_eq!((v.checked, v.first_broken_id), (1, None), "{backend:?}");
}

fn an_accounts_own_entries_are_its_actions_and_what_the_system_did_for_it(backend: Backend) {
    let test = fresh_database(backend);
    let mut conn = test.db.get().unwrap();
    install(&mut conn, "t1");
    let system = |n: usize, details: serde_json::Value| NewEntry {
        kind: Kind::SyncSucceeded,
        actor: Actor::system("orgwarden sync"),
        summary: format!("system {n}"),
        details,
    };
    let entries = [
        entry(Kind::TokenCreated, "557058:ada", 0),
        entry(Kind::TokenCreated, "557058:bob", 1),
        system(2, json!({"runId": 2, "requestedBy": "557058:ada"})),
        system(3, json!({"runId": 3, "requestedBy": "557058:bob"})),
        system(4, json!({"runId": 4, "requestedBy": null})),
        // Neither another case of the id nor the text inside a value names ada.
        system(5, json!({"requestedBy": "557058:ADA"})),
        system(6, json!({"error": r#"{"requestedBy":"557058:ada"}"#})),
        // Only the system acts for someone.
        NewEntry {
            details: json!({"requestedBy": "557058:ada"}),
            ..entry(Kind::TokenCreated, "557058:bob", 7)
        },
    ];
    for e in &entries {
        audit::record(&mut conn, &TenantId::from("t1"), e, Utc::now().naive_utc()).unwrap();
    }
    let read = |conn: &mut orgwarden_store::DbConnection, filter: Filter| -> Vec<String> {
        audit::list(conn, &TenantId::from("t1"), &filter, 50)
            .unwrap()
            .into_iter()
            .map(|e| e.summary)
            .collect()
    };
    let own = Filter {
        own: Some("557058:ada".into()),
        ..Filter::default()
    };
    assert_eq!(
        read(&mut conn, own.clone()),
        ["system 2", "entry 0"],
        "{backend:?}"
    );
    let actions = Filter {
        actor: Some("557058:ada".into()),
        ..own
    };
    assert_eq!(read(&mut conn, actions), ["entry 0"], "{backend:?}");
}
