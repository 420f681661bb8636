//! Pages of the audit trail on both backends: details longer than the page's cap are left out
//! (their length kept), the rest come whole, and one entry is read whole by its id.
use chrono::Utc;
use orgwarden_ids::TenantId;
use orgwarden_store::audit::{self, Actor, Filter, Kind, NewEntry};
use orgwarden_store::testing::{fresh_database, installed};
use orgwarden_store::Backend;
use serde_json::json;

use orgwarden_store::on_both_backends;

on_both_backends!(sync: pages_leave_out_long_details_and_an_entry_reads_whole_by_id);

fn pages_leave_out_long_details_and_an_entry_reads_whole_by_id(backend: Backend) {
    let test = fresh_database(backend);
    let mut conn = test.db.get().unwrap();
    let tenant = installed(&mut conn, "t1");
    // Non-ASCII, so that a length in bytes would differ from the length in characters.
    let many: Vec<String> = (0..500).map(|n| format!("557058:ü{n:05}")).collect();
    let details = [
        json!({"n": 1}),
        json!({"selection": {"accountIds": many}}),
        json!({"n": 3}),
    ];
    for d in &details {
        let e = NewEntry {
            kind: Kind::OperationCreated,
            actor: Actor::system("test"),
            summary: "s".into(),
            details: d.clone(),
        };
        audit::record(&mut conn, &tenant, &e, Utc::now().naive_utc()).unwrap();
    }
    let long = details[1].to_string().chars().count() as i64;
    let page = audit::page(&mut conn, &tenant, &Filter::default(), 10, long - 1).unwrap();
    let lens: Vec<i64> = page.iter().map(|l| l.details_len).collect();
    assert_eq!(lens, [7, long, 7], "{backend:?}");
    assert!(page[1].details_left_out());
    assert_eq!(page[1].entry.details, "");
    assert_eq!(page[0].entry.details, details[2].to_string());
    assert!(!page[0].details_left_out() && !page[2].details_left_out());
    let all = audit::page(&mut conn, &tenant, &Filter::default(), 10, long).unwrap();
    assert!(all.iter().all(|l| !l.details_left_out()));

    let id = page[1].entry.id;
    let whole = audit::entry(&mut conn, &tenant, id).unwrap().unwrap();
    assert_eq!(whole.details, details[1].to_string());
    assert_eq!(whole.hash, page[1].entry.hash);
    assert!(audit::entry(&mut conn, &TenantId::from("t2"), id)
        .unwrap()
        .is_none());
    let only = Filter {
        id: Some(id),
        ..Filter::default()
    };
    let paged = audit::page(&mut conn, &tenant, &only, 10, long - 1).unwrap();
    assert_eq!(paged.len(), 1);
    assert_eq!(paged[0].entry.id, id);
}
