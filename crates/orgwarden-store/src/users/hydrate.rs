//! What an export reads once instead of once per chunk: group names and who holds a role
//! through a group (a few thousand rows at most), so a chunk's memberships are read without
//! joining the groups and its roles without a query.

use std::collections::HashMap;

use diesel::sql_types::Text;
use diesel::QueryableByName;

use super::detail::{granted_roles_of, load_for, UserGroup, Who};
use crate::{DbConnection, StoreError};

#[derive(QueryableByName)]
struct NameRow {
    #[diesel(sql_type = Text)]
    group_id: String,
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct MemberRow {
    #[diesel(sql_type = Text)]
    account_id: String,
    #[diesel(sql_type = Text)]
    group_id: String,
}

/// Group names and granted roles of one generation.
pub(crate) struct Catalog {
    names: HashMap<String, String>,
    granted: HashMap<String, Vec<String>>,
}

impl Catalog {
    /// Reads the generation's group names and role holders.
    pub(crate) fn load(
        conn: &mut DbConnection,
        tenant_id: &str,
        generation: i64,
    ) -> Result<Self, StoreError> {
        let mirror = (tenant_id, generation);
        let select = ("SELECT g.group_id, g.name FROM org_groups g", "g", "");
        let names = load_for::<NameRow>(conn, select, mirror, Who::All)?
            .into_iter()
            .map(|r| (r.group_id, r.name))
            .collect();
        let granted = granted_roles_of(conn, tenant_id, generation, Who::All)?;
        Ok(Self { names, granted })
    }

    /// Roles a user holds through groups (`productAdmin`, `guest`).
    pub(crate) fn granted(&self, account_id: &str) -> &[String] {
        self.granted.get(account_id).map_or(&[], Vec::as_slice)
    }

    /// Groups of these users, each user's by name.
    pub(crate) fn groups_of(
        &self,
        conn: &mut DbConnection,
        tenant_id: &str,
        generation: i64,
        who: Who<'_>,
    ) -> Result<HashMap<String, Vec<UserGroup>>, StoreError> {
        let mut out: HashMap<String, Vec<UserGroup>> = HashMap::new();
        let select = (
            "SELECT m.account_id, m.group_id FROM group_members m",
            "m",
            "",
        );
        for row in load_for::<MemberRow>(conn, select, (tenant_id, generation), who)? {
            let Some(name) = self.names.get(&row.group_id) else {
                continue;
            };
            out.entry(row.account_id).or_default().push(UserGroup {
                name: name.clone(),
                id: row.group_id,
            });
        }
        for groups in out.values_mut() {
            groups.sort_by(|a, b| a.name.cmp(&b.name));
        }
        Ok(out)
    }
}
