//! The settings save as one statement of fixed text: diesel keeps it prepared on each connection
//! (it never caches its own upserts, whose `DO UPDATE` it marks unsafe to cache), on both
//! backends, with or without the audit entry it carries.

use chrono::NaiveDateTime;
use diesel::backend::Backend;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::serialize::ToSql;
use diesel::sql_types::{BigInt, HasSqlType, Integer, Text, Timestamp};
use orgwarden_ids::TenantId;

use super::Settings;

/// `INSERT INTO tenant_settings … ON CONFLICT (tenant_id) DO UPDATE SET …` of `settings`.
pub(super) struct Upsert<'a> {
    pub tenant_id: &'a TenantId,
    pub settings: &'a Settings,
    /// `seat_prices` as JSON text.
    pub prices: &'a str,
    pub by: &'a str,
    pub now: NaiveDateTime,
}

impl QueryId for Upsert<'_> {
    type QueryId = Upsert<'static>;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl<DB> QueryFragment<DB> for Upsert<'_>
where
    DB: Backend + HasSqlType<Text> + HasSqlType<BigInt> + HasSqlType<Integer>,
    DB: HasSqlType<Timestamp>,
    TenantId: ToSql<Text, DB>,
    str: ToSql<Text, DB>,
    String: ToSql<Text, DB>,
    i64: ToSql<BigInt, DB>,
    i32: ToSql<Integer, DB>,
    NaiveDateTime: ToSql<Timestamp, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        let s = self.settings;
        out.push_sql(
            "INSERT INTO tenant_settings (tenant_id, inactive_days, sync_hour, time_zone, \
             seat_prices, currency, updated_by, updated_at) VALUES (",
        );
        out.push_bind_param::<Text, _>(self.tenant_id)?;
        out.push_sql(", ");
        out.push_bind_param::<BigInt, _>(&s.inactive_days)?;
        out.push_sql(", ");
        out.push_bind_param::<Integer, _>(&s.sync_hour)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(&s.time_zone)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(self.prices)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(&s.currency)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(self.by)?;
        out.push_sql(", ");
        out.push_bind_param::<Timestamp, _>(&self.now)?;
        out.push_sql(
            ") ON CONFLICT (tenant_id) DO UPDATE SET inactive_days = excluded.inactive_days, \
             sync_hour = excluded.sync_hour, time_zone = excluded.time_zone, \
             seat_prices = excluded.seat_prices, currency = excluded.currency, \
             updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        );
        Ok(())
    }
}

impl<Conn> RunQueryDsl<Conn> for Upsert<'_> {}
