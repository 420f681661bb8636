//! Billable users per product, site and day of last activity (`access_activity_days`), derived
//! from the mirror so the dashboard sums a few thousand rows instead of reading every access row.
//!
//! The summary records which `mirror_state` (generation and `synced_at`) it was built from. A full
//! sync stores it when it publishes, a partial sync rebuilds it when it touches the mirror, and an
//! incremental sync moves it by the counts of the users it rewrote, each in the same transaction;
//! readers never write, and never use a summary that does not match.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text, Timestamp};
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
    purge(conn, tenant_id)?;
    let day = day_of(conn);
    let mut sql = Sql::for_conn(conn);
    sql.push(&format!(
        "INSERT INTO access_activity_days (tenant_id, generation, site_id, product_key, day, users) \
         SELECT a.tenant_id, a.generation, a.site_id, a.product_key, {day}, COUNT(*)"
    ));
    billable_access(&mut sql, tenant_id, generation);
    sql.push(&format!(
        " GROUP BY a.tenant_id, a.generation, a.site_id, a.product_key, {day}"
    ));
    sql.execute(conn)?;
    record_state(conn, tenant_id, generation, synced_at)
}

/// ` FROM … WHERE …` of the generation's access rows of billable users (`a`, joined to `u`).
fn billable_access(sql: &mut Sql, tenant_id: &str, generation: i64) {
    sql.push(
        " FROM user_access a JOIN org_users u ON u.tenant_id = a.tenant_id AND u.generation = a.generation AND u.account_id = a.account_id \
         WHERE a.tenant_id = ",
    )
    .bind(Bind::Text(tenant_id.to_string()))
    .push(" AND a.generation = ")
    .bind(Bind::Int(generation))
    .push(" AND u.billable = ")
    .bind(Bind::Bool(true));
}

/// The day of an access row's last activity (its user's join date when never active).
fn day_of(conn: &DbConnection) -> String {
    let effective = "COALESCE(a.last_active, u.added_to_org)";
    match conn {
        DbConnection::Sqlite(_) => format!("datetime(date({effective}))"),
        DbConnection::Pg(_) => format!("date_trunc('day', {effective})"),
    }
}

/// One summary row's key: site, product and day.
type Cell = (String, String, Option<NaiveDateTime>);

#[derive(QueryableByName)]
struct CellCount {
    #[diesel(sql_type = Text)]
    site_id: String,
    #[diesel(sql_type = Text)]
    product_key: String,
    #[diesel(sql_type = Nullable<Timestamp>)]
    day: Option<NaiveDateTime>,
    #[diesel(sql_type = BigInt)]
    users: i64,
}

/// What the billable access rows of `account_ids` add to each summary row of `generation`.
pub(crate) fn counts(
    conn: &mut DbConnection,
    tenant_id: &str,
    generation: i64,
    account_ids: &[&str],
) -> Result<HashMap<Cell, i64>, StoreError> {
    let day = day_of(conn);
    let mut counts = HashMap::new();
    for chunk in account_ids.chunks(500) {
        let mut sql = Sql::for_conn(conn);
        sql.push(&format!(
            "SELECT a.site_id, a.product_key, {day} AS day, COUNT(*) AS users"
        ));
        billable_access(&mut sql, tenant_id, generation);
        sql.push(" AND a.account_id IN ")
            .bind_list(chunk.iter().copied())
            .push(&format!(" GROUP BY a.site_id, a.product_key, {day}"));
        for c in sql.load::<CellCount>(conn)? {
            *counts.entry((c.site_id, c.product_key, c.day)).or_default() += c.users;
        }
    }
    Ok(counts)
}

/// Moves the summary of `generation` from `before` to `after` (the [`counts`] of the users an
/// incremental sync rewrote, before and after it did) and records it as built for
/// `synced_at`. Should a row go below zero (a summary that was not exact), it is rebuilt from
/// the mirror instead.
pub(crate) fn adjust(
    conn: &mut DbConnection,
    (tenant_id, generation): (&str, i64),
    before: &HashMap<Cell, i64>,
    after: &HashMap<Cell, i64>,
    synced_at: NaiveDateTime,
) -> Result<(), StoreError> {
    let mut deltas: HashMap<&Cell, i64> = HashMap::new();
    for (cell, n) in after {
        *deltas.entry(cell).or_default() += n;
    }
    for (cell, n) in before {
        *deltas.entry(cell).or_default() -= n;
    }
    let mut new_days = Vec::new();
    for ((site, product, day), delta) in deltas.into_iter().filter(|(_, d)| *d != 0) {
        let mut sql = Sql::for_conn(conn);
        sql.push("UPDATE access_activity_days SET users = users + ")
            .bind(Bind::Int(delta))
            .push(" WHERE tenant_id = ")
            .bind(Bind::Text(tenant_id.to_string()))
            .push(" AND generation = ")
            .bind(Bind::Int(generation))
            .push(" AND site_id = ")
            .bind(Bind::Text(site.clone()))
            .push(" AND product_key = ")
            .bind(Bind::Text(product.clone()));
        match day {
            Some(day) => sql.push(" AND day = ").bind(Bind::Time(*day)),
            None => sql.push(" AND day IS NULL"),
        };
        if sql.execute(conn)? > 0 {
            continue;
        }
        if delta < 0 {
            return rebuild(conn, tenant_id, generation, synced_at);
        }
        new_days.push((site.as_str(), product.as_str(), *day, delta));
    }
    insert_days(conn, (tenant_id, generation), &new_days)?;
    let mut sql = Sql::for_conn(conn);
    sql.push("SELECT COUNT(*) AS n FROM access_activity_days WHERE tenant_id = ")
        .bind(Bind::Text(tenant_id.to_string()))
        .push(" AND users < 0");
    if sql.load::<Count>(conn)?.first().is_some_and(|c| c.n > 0) {
        return rebuild(conn, tenant_id, generation, synced_at);
    }
    let mut sql = Sql::for_conn(conn);
    sql.push("DELETE FROM access_activity_days WHERE tenant_id = ")
        .bind(Bind::Text(tenant_id.to_string()))
        .push(" AND users = 0");
    sql.execute(conn)?;
    let mut sql = Sql::for_conn(conn);
    sql.push("UPDATE access_activity_state SET synced_at = ")
        .bind(Bind::Time(synced_at))
        .push(" WHERE tenant_id = ")
        .bind(Bind::Text(tenant_id.to_string()));
    sql.execute(conn).map(|_| ())
}

/// Whether the stored summary of the published generation is current and equals one counted
/// afresh from the mirror (tests of the syncs that move it).
pub fn is_exact(conn: &mut DbConnection, tenant_id: &str) -> Result<bool, StoreError> {
    let Some(state) = super::current(conn, &tenant_id.into())? else {
        return Ok(false);
    };
    if !is_current(conn, tenant_id, state.generation)? {
        return Ok(false);
    }
    let mut sql = Sql::for_conn(conn);
    sql.push(
        "SELECT site_id, product_key, day, users FROM access_activity_days WHERE tenant_id = ",
    )
    .bind(Bind::Text(tenant_id.to_string()));
    let stored: HashMap<Cell, i64> = sql
        .load::<CellCount>(conn)?
        .into_iter()
        .map(|c| ((c.site_id, c.product_key, c.day), c.users))
        .collect();
    let accounts: Vec<String> = crate::schema::org_users::table
        .filter(crate::schema::org_users::tenant_id.eq(tenant_id))
        .filter(crate::schema::org_users::generation.eq(state.generation))
        .select(crate::schema::org_users::account_id)
        .load(conn)?;
    let accounts: Vec<&str> = accounts.iter().map(String::as_str).collect();
    Ok(stored == counts(conn, tenant_id, state.generation, &accounts)?)
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
    insert_days(conn, (tenant_id, generation), &days)?;
    record_state(conn, tenant_id, generation, synced_at)
}

/// Inserts summary rows (site, product, day, users) of `generation`.
fn insert_days(
    conn: &mut DbConnection,
    (tenant_id, generation): (&str, i64),
    days: &[(&str, &str, Option<NaiveDateTime>, i64)],
) -> Result<(), StoreError> {
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
    Ok(())
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
