//! Settings → App access control: whether product admins and user access admins may use the
//! app, and whether they see the whole organization or only what they administer.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use orgwarden_ids::TenantId;

use crate::connection::with_backend;
use crate::schema::access_control;
use crate::{DbConnection, StoreError};

/// What limited admins see and touch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The whole organization (the seed product's behaviour).
    Organization,
    /// Only the sites and products they administer.
    Administered,
}

impl Scope {
    /// The stored and published spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Organization => "organization",
            Self::Administered => "administered",
        }
    }

    /// Parses the stored spelling (unknown values read as the narrower `Administered`).
    pub fn parse(value: &str) -> Self {
        if value == "organization" {
            Self::Organization
        } else {
            Self::Administered
        }
    }
}

/// A tenant's access-control settings. The default lets only organization admins in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccessControl {
    /// Product admins may use the app.
    pub product_admins: bool,
    /// User access admins may use the app.
    pub user_access_admins: bool,
    /// What product admins and user access admins see.
    pub scope: Scope,
}

impl Default for AccessControl {
    fn default() -> Self {
        Self {
            product_admins: false,
            user_access_admins: false,
            scope: Scope::Organization,
        }
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = access_control)]
struct Row {
    product_admins: bool,
    user_access_admins: bool,
    scope: String,
}

/// The tenant's access control (the default when never saved).
pub fn get(conn: &mut DbConnection, tenant_id: &TenantId) -> Result<AccessControl, StoreError> {
    let row = access_control::table
        .find(tenant_id)
        .select(Row::as_select())
        .first(conn)
        .optional()?;
    Ok(row.map_or_else(AccessControl::default, |r| AccessControl {
        product_admins: r.product_admins,
        user_access_admins: r.user_access_admins,
        scope: Scope::parse(&r.scope),
    }))
}

/// Saves the tenant's access control.
pub fn save(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    control: AccessControl,
    by: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let values = (
        access_control::product_admins.eq(control.product_admins),
        access_control::user_access_admins.eq(control.user_access_admins),
        access_control::scope.eq(control.scope.as_str()),
        access_control::updated_by.eq(by),
        access_control::updated_at.eq(now),
    );
    with_backend!(&mut *conn, |c| diesel::insert_into(access_control::table)
        .values((access_control::tenant_id.eq(tenant_id), values))
        .on_conflict(access_control::tenant_id)
        .do_update()
        .set(values)
        .execute(c))?;
    Ok(())
}

/// Deletes the tenant's row (purge).
pub(crate) fn purge(conn: &mut DbConnection, tenant_id: &str) -> Result<(), StoreError> {
    diesel::delete(access_control::table.find(tenant_id)).execute(conn)?;
    Ok(())
}
