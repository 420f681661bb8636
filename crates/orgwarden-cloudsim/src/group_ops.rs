//! Group mutations (G3, G5–G7, G9/G10): IdP-synced groups refuse membership changes, and
//! default access, admin-granting and synced groups cannot be deleted.

use chrono::Utc;

use crate::events::{action, EventObject};
use crate::model::{parse_site_ari, Group, RoleGrant, GROUP_ROLES, MANAGED_BY_ADMINS};
use crate::ops::{check_role_on_owner, OrgError};
use crate::org::Org;

impl Org {
    /// G3: creates a group managed by admins; returns its id.
    pub fn create_group(
        &mut self,
        actor: &str,
        id: String,
        name: &str,
        description: Option<String>,
    ) -> Result<String, OrgError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(OrgError::BadRequest("name is required".into()));
        }
        if self.group_by_name(name).is_some() {
            return Err(OrgError::DuplicateGroupName);
        }
        self.groups.push(Group {
            id: id.clone(),
            name: name.to_string(),
            description,
            managed_by: MANAGED_BY_ADMINS.into(),
            default_for: None,
            roles: Vec::new(),
            member_ids: Default::default(),
            created_at: Utc::now(),
        });
        self.reindex_groups();
        let subject = self.group_object(&id, name);
        self.record(
            action::GROUP_CREATED,
            actor,
            vec![subject],
            format!("Created group {name}"),
        );
        Ok(id)
    }

    /// G5: deletes a group; members lose the access it granted.
    pub fn delete_group(&mut self, actor: &str, group_id: &str) -> Result<(), OrgError> {
        let group = self.group(group_id).ok_or(OrgError::GroupNotFound)?;
        if group.is_external() {
            return Err(OrgError::GroupSyncedDelete);
        }
        if group.default_for.is_some() {
            return Err(OrgError::GroupDefault);
        }
        if group.grants_admin() {
            return Err(OrgError::GroupAdmin);
        }
        let name = group.name.clone();
        let members: Vec<String> = group.member_ids.iter().cloned().collect();
        for m in members {
            if let Some(u) = self.user_mut(&m) {
                u.group_ids.remove(group_id);
            }
        }
        self.groups.retain(|g| g.id != group_id);
        self.reindex_groups();
        let subject = self.group_object(group_id, &name);
        self.record(
            action::GROUP_DELETED,
            actor,
            vec![subject],
            format!("Deleted group {name}"),
        );
        Ok(())
    }

    /// G6/G7: adds or removes a member; refused on IdP-synced groups.
    pub fn set_membership(
        &mut self,
        actor: &str,
        group_id: &str,
        account_id: &str,
        member: bool,
    ) -> Result<(), OrgError> {
        let group = self.group(group_id).ok_or(OrgError::GroupNotFound)?;
        if group.is_external() {
            return Err(OrgError::GroupSynced);
        }
        let name = group.name.clone();
        if member {
            self.member_user(account_id)?;
        } else {
            self.user(account_id).ok_or(OrgError::UserNotFound)?;
        }
        if let Some(g) = self.group_mut(group_id) {
            if member {
                g.member_ids.insert(account_id.to_string());
            } else {
                g.member_ids.remove(account_id);
            }
        }
        if let Some(u) = self.user_mut(account_id) {
            if member {
                u.group_ids.insert(group_id.to_string());
            } else {
                u.group_ids.remove(group_id);
            }
        }
        let subjects: Vec<EventObject> = vec![
            self.user_object(account_id),
            self.group_object(group_id, &name),
        ];
        let (act, msg) = if member {
            (
                action::ADDED_TO_GROUP,
                format!("Added user to group {name}"),
            )
        } else {
            (
                action::REMOVED_FROM_GROUP,
                format!("Removed user from group {name}"),
            )
        };
        self.record(act, actor, subjects, msg);
        Ok(())
    }

    /// G9/G10: grants or revokes a role of a group on a resource.
    pub fn set_group_role(
        &mut self,
        actor: &str,
        group_id: &str,
        role: &str,
        resource: &str,
        grant: bool,
    ) -> Result<(), OrgError> {
        let group = self.group(group_id).ok_or(OrgError::GroupNotFound)?;
        let name = group.name.clone();
        if !GROUP_ROLES.contains(&role) {
            return Err(OrgError::InvalidRole(role.to_string()));
        }
        if !self.resource_exists(resource) {
            return Err(OrgError::UnknownResource(resource.to_string()));
        }
        if let Some((owner, _)) = parse_site_ari(resource) {
            check_role_on_owner(role, owner)?;
        }
        let entry = RoleGrant {
            resource: resource.to_string(),
            role: role.to_string(),
        };
        if let Some(g) = self.group_mut(group_id) {
            if grant && !g.roles.contains(&entry) {
                g.roles.push(entry);
                g.roles.sort();
            } else if !grant {
                g.roles.retain(|r| r != &entry);
            }
        }
        let subject = self.group_object(group_id, &name);
        let act = if grant {
            action::GROUP_ROLE_GRANTED
        } else {
            action::GROUP_ROLE_REVOKED
        };
        self.record(
            act,
            actor,
            vec![subject],
            format!("{act}: {role} on {resource}"),
        );
        Ok(())
    }
}
