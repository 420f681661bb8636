//! The exemption list (Settings): users and groups no operation touches.

use orgwarden_ids::TenantId;
use std::collections::HashSet;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::with_backend;
use crate::schema::exemptions;
use crate::text_enum::text_enum;
use crate::{DbConnection, StoreError};

text_enum! {
    /// What an exemption names.
    pub enum ExemptionKind {
        /// An account: the user is skipped.
        User = "user",
        /// A group: it is never changed and its members are skipped.
        Group = "group",
    }
}

/// One exemption.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = exemptions)]
pub struct Exemption {
    /// Tenant id.
    pub tenant_id: TenantId,
    /// A user or a group.
    pub kind: ExemptionKind,
    /// Account id or group id.
    pub subject_id: String,
    /// Why, as the admin wrote it.
    pub note: String,
    /// Who added it.
    pub created_by: String,
    /// When.
    pub created_at: NaiveDateTime,
}

/// Adds (or re-notes) an exemption; returns it as stored. Added again without a note, an
/// exemption keeps the note it has.
pub fn add(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    kind: ExemptionKind,
    subject_id: &str,
    note: &str,
    by: &str,
    now: NaiveDateTime,
) -> Result<Exemption, StoreError> {
    let row = (
        exemptions::tenant_id.eq(tenant_id),
        exemptions::kind.eq(kind),
        exemptions::subject_id.eq(subject_id),
        exemptions::note.eq(note),
        exemptions::created_by.eq(by),
        exemptions::created_at.eq(now),
    );
    let key = (
        exemptions::tenant_id,
        exemptions::kind,
        exemptions::subject_id,
    );
    if note.is_empty() {
        with_backend!(&mut *conn, |c| diesel::insert_into(exemptions::table)
            .values(row)
            .on_conflict(key)
            .do_nothing()
            .execute(c))?;
    } else {
        with_backend!(&mut *conn, |c| diesel::insert_into(exemptions::table)
            .values(row)
            .on_conflict(key)
            .do_update()
            .set(exemptions::note.eq(note))
            .execute(c))?;
    }
    Ok(exemptions::table
        .find((tenant_id, kind, subject_id))
        .select(Exemption::as_select())
        .first(conn)?)
}

/// Removes an exemption; false if there was none.
pub fn remove(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    kind: ExemptionKind,
    subject_id: &str,
) -> Result<bool, StoreError> {
    Ok(diesel::delete(exemptions::table.find((tenant_id, kind, subject_id))).execute(conn)? > 0)
}

/// The tenant's exemptions, users first, then groups.
pub fn list(conn: &mut DbConnection, tenant_id: &TenantId) -> Result<Vec<Exemption>, StoreError> {
    Ok(exemptions::table
        .filter(exemptions::tenant_id.eq(tenant_id))
        .order((exemptions::kind.desc(), exemptions::created_at.asc()))
        .select(Exemption::as_select())
        .load(conn)?)
}

/// Exempt account ids and group ids, as the planner checks them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExemptionSet {
    /// Exempt account ids.
    pub users: HashSet<String>,
    /// Exempt group ids.
    pub groups: HashSet<String>,
}

/// The tenant's exemptions as sets.
pub fn set(conn: &mut DbConnection, tenant_id: &TenantId) -> Result<ExemptionSet, StoreError> {
    let mut out = ExemptionSet::default();
    for e in list(conn, tenant_id)? {
        if e.kind == ExemptionKind::Group {
            out.groups.insert(e.subject_id);
        } else {
            out.users.insert(e.subject_id);
        }
    }
    Ok(out)
}

/// Deletes the tenant's exemptions (purge).
pub(crate) fn purge(conn: &mut DbConnection, tenant_id: &str) -> Result<(), StoreError> {
    diesel::delete(exemptions::table.filter(exemptions::tenant_id.eq(tenant_id))).execute(conn)?;
    Ok(())
}
