//! Billable users per product, site and day of last activity (`access_activity_days`), derived
//! from the mirror so the dashboard sums a few thousand rows instead of reading every access row.
//!
//! The summary records which `mirror_state` (generation and `synced_at`) it was built from. A full
//! sync rebuilds it when it publishes and a partial sync when it touches the mirror, in the same
//! transaction; readers never write, and never use a summary that does not match.

use chrono::NaiveDateTime;
use diesel::sql_types::BigInt;
use diesel::QueryableByName;

use super::ActivityTally;
use crate::sql::{Bind, Sql};
use crate::{DbConnection, StoreError};

/// Summary rows per statement (6 binds each).
const ROWS_PER_INSERT: usize = 500;

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Whether the summary matches the published mirror and `generation` is the published one
/// (callers count exactly otherwise, e.g. before the first sync after an upgrade).
pub(crate) fn is_current(
    conn: &mut DbConnection,
    tenant_id: &str,
    generation: i64,
) -> Result<bool, StoreError> {
    let mut sql = Sql::for_conn(conn);
    sql.push("SELECT COUNT(*) AS n FROM access_activity_state s JOIN mirror_state m ON m.tenant_id = s.tenant_id AND m.generation = s.generation AND m.synced_at = s.synced_at WHERE s.tenant_id = ")
        .bind(Bind::Text(tenant_id.to_string()))
        .push(" AND s.generation = ")
        .bind(Bind::Int(generation));
    Ok(sql.load::<Count>(conn)?.first().is_some_and(|c| c.n > 0))
}

/// Rebuilds the summary of `generation` from the mirror and records it as built for
/// `synced_at` (inside the transaction that publishes or touches the mirror).
pub(crate) fn rebuild(
    conn: &mut DbConnection,
    tenant_id: &str,
    generation: i64,
    synced_at: NaiveDateTime,
) -> Result<(), StoreError> {
    let tenant = || Bind::Text(tenant_id.to_string());
    purge(conn, tenant_id)?;
    let effective = "COALESCE(a.last_active, u.added_to_org)";
    let day = match conn {
        DbConnection::Sqlite(_) => format!("datetime(date({effective}))"),
        DbConnection::Pg(_) => format!("date_trunc('day', {effective})"),
    };
    let mut sql = Sql::for_conn(conn);
    sql.push(&format!(
        "INSERT INTO access_activity_days (tenant_id, generation, site_id, product_key, day, users) \
         SELECT a.tenant_id, a.generation, a.site_id, a.product_key, {day}, COUNT(*) \
         FROM user_access a JOIN org_users u ON u.tenant_id = a.tenant_id AND u.generation = a.generation AND u.account_id = a.account_id \
         WHERE a.tenant_id = "
    ))
    .bind(tenant())
    .push(" AND a.generation = ")
    .bind(Bind::Int(generation))
    .push(" AND u.billable = ")
    .bind(Bind::Bool(true))
    .push(&format!(
        " GROUP BY a.tenant_id, a.generation, a.site_id, a.product_key, {day}"
    ));
    sql.execute(conn)?;
    record_state(conn, tenant_id, generation, synced_at)
}

fn record_state(
    conn: &mut DbConnection,
    tenant_id: &str,
    generation: i64,
    synced_at: NaiveDateTime,
) -> Result<(), StoreError> {
    let mut sql = Sql::for_conn(conn);
    sql.push("INSERT INTO access_activity_state (tenant_id, generation, synced_at) VALUES (")
        .bind(Bind::Text(tenant_id.to_string()))
        .push(", ")
        .bind(Bind::Int(generation))
        .push(", ")
        .bind(Bind::Time(synced_at))
        .push(")");
    sql.execute(conn).map(|_| ())
}

/// Stores the summary a full sync counted while writing `generation` (see
/// [`crate::mirror::ActivityTally`]) and records it as built for `synced_at`.
pub(crate) fn store(
    conn: &mut DbConnection,
    tenant_id: &str,
    generation: i64,
    synced_at: NaiveDateTime,
    tally: &ActivityTally,
) -> Result<(), StoreError> {
    purge(conn, tenant_id)?;
    let days: Vec<_> = tally.days().collect();
    for chunk in days.chunks(ROWS_PER_INSERT) {
        let mut sql = Sql::for_conn(conn);
        sql.push("INSERT INTO access_activity_days (tenant_id, generation, site_id, product_key, day, users) VALUES ");
        for (i, (site, product, day, users)) in chunk.iter().enumerate() {
            sql.push(if i == 0 { "(" } else { ", (" })
                .bind(Bind::Text(tenant_id.to_string()))
                .push(", ")
                .bind(Bind::Int(generation))
                .push(", ")
                .bind(Bind::Text((*site).to_owned()))
                .push(", ")
                .bind(Bind::Text((*product).to_owned()))
                .push(", ");
            match day {
                Some(day) => sql.bind(Bind::Time(*day)),
                None => sql.push("NULL"),
            };
            sql.push(", ").bind(Bind::Int(*users)).push(")");
        }
        sql.execute(conn)?;
    }
    record_state(conn, tenant_id, generation, synced_at)
}

/// Deletes the tenant's summary.
pub(crate) fn purge(conn: &mut DbConnection, tenant_id: &str) -> Result<(), StoreError> {
    for table in ["access_activity_days", "access_activity_state"] {
        let mut sql = Sql::for_conn(conn);
        sql.push(&format!("DELETE FROM {table} WHERE tenant_id = "))
            .bind(Bind::Text(tenant_id.to_string()));
        sql.execute(conn)?;
    }
    Ok(())
}
