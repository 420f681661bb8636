//! A user's detail: access across sites and products (and how it is granted), groups, roles.

use orgwarden_ids::{AccountId, TenantId};
use std::collections::HashMap;

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::pg::Pg;
use diesel::sql_types::{Bool, Nullable, Text, Timestamp};
use diesel::sqlite::Sqlite;
use diesel::QueryableByName;
use serde::Serialize;

use super::rows::UserRow;
use crate::access::Administered;
use crate::sql::{Bind, Sql};
use crate::{DbConnection, StoreError};

/// Access to one product on one site.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UserProduct {
    /// Cloud id.
    pub site_id: String,
    /// Product key.
    pub product_key: String,
    /// Last activity on it; `null` = never.
    pub last_active: Option<DateTime<Utc>>,
}

/// A group of a user.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UserGroup {
    /// Group id.
    pub id: String,
    /// Group name.
    pub name: String,
}

/// How one product access is granted.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AccessGrant {
    /// Cloud id.
    pub site_id: String,
    /// Product key.
    pub product_key: String,
    /// Last activity; `null` = never.
    pub last_active: Option<DateTime<Utc>>,
    /// Groups of the user that grant this product on this site.
    pub via_groups: Vec<GrantingGroup>,
    /// True when no group explains the access (granted directly to the user).
    pub direct: bool,
}

/// A group granting access, with whether orgwarden may change it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct GrantingGroup {
    /// Group id.
    pub id: String,
    /// Group name.
    pub name: String,
    /// Synced from an identity provider: read-only.
    pub idp_synced: bool,
}

/// Everything about one user.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UserDetail {
    /// The list row (status, roles, groups, products…).
    #[serde(flatten)]
    pub user: UserRow,
    /// Access across sites and products and how each is granted.
    pub access: Vec<AccessGrant>,
}

#[derive(QueryableByName)]
struct AccessRow {
    #[diesel(sql_type = Text)]
    account_id: String,
    #[diesel(sql_type = Text)]
    site_id: String,
    #[diesel(sql_type = Text)]
    product_key: String,
    #[diesel(sql_type = Nullable<Timestamp>)]
    last_active: Option<NaiveDateTime>,
}

#[derive(QueryableByName)]
struct GroupRow {
    #[diesel(sql_type = Text)]
    account_id: String,
    #[diesel(sql_type = Text)]
    group_id: String,
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct RoleRow {
    #[diesel(sql_type = Text)]
    account_id: String,
    #[diesel(sql_type = Text)]
    role: String,
}

#[derive(QueryableByName)]
struct GrantRow {
    #[diesel(sql_type = Text)]
    group_id: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Bool)]
    external_synced: bool,
    #[diesel(sql_type = Text)]
    site_id: String,
    #[diesel(sql_type = Text)]
    product_key: String,
}

/// Which users to hydrate: these ids, or every user whose id lies in an inclusive range (a dense
/// chunk of an export, read as one index range instead of a list of thousands of ids; rows of
/// users outside the chunk are ignored by the caller).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Who<'a> {
    /// Exactly these users.
    Ids(&'a [String]),
    /// Every user from the first id to the second, both included.
    Range(&'a str, &'a str),
    /// Every user of the generation.
    All,
}

impl Who<'_> {
    /// No user at all (an empty id list).
    pub(crate) fn is_empty(&self) -> bool {
        matches!(self, Who::Ids(ids) if ids.is_empty())
    }
}

/// The rows `select … FROM <table> <alias> …` (then `tail`) yields for these users of the
/// mirror; none for an empty id list, without asking the database.
pub(crate) fn load_for<T>(
    conn: &mut DbConnection,
    (select, alias, tail): (&str, &str, &str),
    (tenant_id, generation): (&str, i64),
    who: Who<'_>,
) -> Result<Vec<T>, StoreError>
where
    T: QueryableByName<Sqlite> + QueryableByName<Pg> + 'static,
{
    if who.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::for_conn(conn);
    sql.push(select);
    scoped(&mut sql, alias, tenant_id, generation, who);
    sql.push(tail);
    sql.load(conn)
}

fn scoped(sql: &mut Sql, alias: &str, tenant_id: &str, generation: i64, who: Who<'_>) {
    sql.push(&format!(" WHERE {alias}.tenant_id = "))
        .bind(Bind::Text(tenant_id.to_string()))
        .push(&format!(" AND {alias}.generation = "))
        .bind(Bind::Int(generation));
    match who {
        Who::Ids(ids) => {
            sql.push(&format!(" AND {alias}.account_id IN "))
                .bind_list(ids.iter().map(String::as_str));
        }
        Who::Range(first, last) => {
            sql.push(&format!(" AND {alias}.account_id >= "))
                .bind(Bind::Text(first.to_owned()))
                .push(&format!(" AND {alias}.account_id <= "))
                .bind(Bind::Text(last.to_owned()));
        }
        Who::All => {}
    }
}

/// Product access of these users.
pub(crate) fn access_of(
    conn: &mut DbConnection,
    tenant_id: &str,
    generation: i64,
    who: Who<'_>,
) -> Result<HashMap<String, Vec<UserProduct>>, StoreError> {
    let mut out: HashMap<String, Vec<UserProduct>> = HashMap::new();
    let select = "SELECT a.account_id, a.site_id, a.product_key, a.last_active FROM user_access a";
    for row in load_for::<AccessRow>(conn, (select, "a", ""), (tenant_id, generation), who)? {
        out.entry(row.account_id).or_default().push(UserProduct {
            site_id: row.site_id,
            product_key: row.product_key,
            last_active: row.last_active.map(|t| t.and_utc()),
        });
    }
    // Each user's access by site and product, sorted here: a list of ids comes back from an
    // index in no useful order, and PostgreSQL would sort every row of the chunk.
    for products in out.values_mut() {
        products.sort_by(|a, b| (&a.site_id, &a.product_key).cmp(&(&b.site_id, &b.product_key)));
    }
    Ok(out)
}

/// Groups of these users.
pub(crate) fn groups_of(
    conn: &mut DbConnection,
    tenant_id: &str,
    generation: i64,
    who: Who<'_>,
) -> Result<HashMap<String, Vec<UserGroup>>, StoreError> {
    let mut out: HashMap<String, Vec<UserGroup>> = HashMap::new();
    let select = "SELECT m.account_id, m.group_id, g.name FROM group_members m JOIN org_groups g ON g.tenant_id = m.tenant_id AND g.generation = m.generation AND g.group_id = m.group_id";
    let query = (select, "m", " ORDER BY g.name");
    for row in load_for::<GroupRow>(conn, query, (tenant_id, generation), who)? {
        out.entry(row.account_id).or_default().push(UserGroup {
            id: row.group_id,
            name: row.name,
        });
    }
    Ok(out)
}

/// Roles these users hold through groups (`productAdmin`, `guest`).
pub(crate) fn granted_roles_of(
    conn: &mut DbConnection,
    tenant_id: &str,
    generation: i64,
    who: Who<'_>,
) -> Result<HashMap<String, Vec<String>>, StoreError> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    let select = "SELECT DISTINCT m.account_id, g.role FROM group_members m JOIN group_grants g ON g.tenant_id = m.tenant_id AND g.generation = m.generation AND g.group_id = m.group_id";
    let query = (
        select,
        "m",
        " AND g.site_id <> '' AND g.role IN ('atlassian/admin', 'atlassian/guest')",
    );
    for row in load_for::<RoleRow>(conn, query, (tenant_id, generation), who)? {
        let role = if row.role == "atlassian/admin" {
            "productAdmin"
        } else {
            "guest"
        };
        out.entry(row.account_id).or_default().push(role.to_owned());
    }
    Ok(out)
}

/// One user's detail, or `None` when the mirror has no such user.
pub fn user_detail(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    generation: i64,
    account_id: &AccountId,
    within: Option<&[Administered]>,
    now: NaiveDateTime,
) -> Result<Option<UserDetail>, StoreError> {
    let filter = super::Filter {
        within: within.map(<[Administered]>::to_vec),
        ..super::Filter::default()
    };
    let page = super::search::search_ids(
        conn,
        tenant_id,
        generation,
        &[account_id.to_string()],
        &filter,
        now,
    )?;
    let Some(user) = page.into_iter().next() else {
        return Ok(None);
    };
    let select = "SELECT m.group_id, g.name, g.external_synced, gr.site_id, gr.product_key FROM group_members m JOIN org_groups g ON g.tenant_id = m.tenant_id AND g.generation = m.generation AND g.group_id = m.group_id JOIN group_grants gr ON gr.tenant_id = m.tenant_id AND gr.generation = m.generation AND gr.group_id = m.group_id";
    let grants = load_for::<GrantRow>(
        conn,
        (select, "m", ""),
        (tenant_id, generation),
        Who::Ids(&[account_id.to_string()]),
    )?;
    let access = user
        .products
        .iter()
        .map(|p| {
            let mut via_groups: Vec<GrantingGroup> = grants
                .iter()
                .filter(|g| g.site_id == p.site_id && g.product_key == p.product_key)
                .map(|g| GrantingGroup {
                    id: g.group_id.clone(),
                    name: g.name.clone(),
                    idp_synced: g.external_synced,
                })
                .collect();
            via_groups.dedup_by(|a, b| a.id == b.id);
            AccessGrant {
                site_id: p.site_id.clone(),
                product_key: p.product_key.clone(),
                last_active: p.last_active,
                direct: via_groups.is_empty(),
                via_groups,
            }
        })
        .collect();
    Ok(Some(UserDetail { user, access }))
}
