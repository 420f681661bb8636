//! Connect tenants, keyed by `clientKey`. State changes are single conditional updates so that
//! lifecycle events arriving together or out of order always end the same way: `uninstalled`
//! wins over `enabled`/`disabled`, and only a (signed) install brings a tenant back.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use orgwarden_ids::TenantId;

use crate::connection::with_backend;
use crate::schema::tenants;
use crate::text_enum::text_enum;
use crate::{Cipher, DbConnection, SecretSlot, StoreError};

/// Where a tenant's shared secret is stored: its ciphertext is valid in that row only.
pub(crate) fn shared_secret_slot(client_key: &TenantId) -> SecretSlot<'_> {
    SecretSlot {
        column: "tenants.shared_secret",
        tenant_id: client_key,
    }
}

text_enum! {
    /// Where a tenant stands in the Connect lifecycle.
    pub enum TenantState {
        /// `installed` received, `enabled` not yet.
        Installed = "installed",
        /// Enabled: the app may be used.
        Enabled = "enabled",
        /// Disabled by an admin: no access until enabled again.
        Disabled = "disabled",
        /// Uninstalled: no access; data purged after the retention period.
        Uninstalled = "uninstalled",
    }
}

/// The stored states in which the app may be used (and background work may run).
pub const ACTIVE_STATES: [TenantState; 2] = [TenantState::Installed, TenantState::Enabled];

impl TenantState {
    /// Whether users of this tenant may use the app.
    pub fn allows_access(self) -> bool {
        matches!(self, Self::Installed | Self::Enabled)
    }
}

/// What an `installed` callback carries (the shared secret in clear; it is encrypted here).
#[derive(Clone, Default)]
pub struct Installation {
    /// Tenant id.
    pub client_key: TenantId,
    /// The app key the host installed.
    pub app_key: String,
    /// The product's base URL.
    pub base_url: String,
    /// The site's cloud id, when the callback sends it.
    pub cloud_id: Option<String>,
    /// The URL users see, when a custom domain exists.
    pub display_url: Option<String>,
    /// `jira` or `confluence`.
    pub product_type: Option<String>,
    /// Host description.
    pub description: Option<String>,
    /// Legacy license id.
    pub service_entitlement_number: Option<String>,
    /// Licence id on CCP billing.
    pub entitlement_id: Option<String>,
    /// Licence number on CCP billing.
    pub entitlement_number: Option<String>,
    /// OAuth client id for acting as a user.
    pub oauth_client_id: Option<String>,
    /// Connect version.
    pub plugins_version: Option<String>,
    /// Legacy server version.
    pub server_version: Option<String>,
    /// Connect-on-Forge installation id.
    pub installation_id: Option<String>,
    /// Account id of the installing user, when the token names one.
    pub installed_by: Option<String>,
    /// The HS256 secret of this installation.
    pub shared_secret: String,
}

impl std::fmt::Debug for Installation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Installation")
            .field("client_key", &self.client_key)
            .field("base_url", &self.base_url)
            .field("shared_secret", &"[redacted]")
            .finish_non_exhaustive()
    }
}

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = tenants, treat_none_as_null = true)]
struct TenantRow<'a> {
    client_key: &'a str,
    app_key: &'a str,
    base_url: &'a str,
    cloud_id: Option<&'a str>,
    display_url: Option<&'a str>,
    product_type: Option<&'a str>,
    description: Option<&'a str>,
    service_entitlement_number: Option<&'a str>,
    entitlement_id: Option<&'a str>,
    entitlement_number: Option<&'a str>,
    oauth_client_id: Option<&'a str>,
    plugins_version: Option<&'a str>,
    server_version: Option<&'a str>,
    installation_id: Option<&'a str>,
    installed_by: Option<&'a str>,
    shared_secret_enc: &'a str,
    state: TenantState,
    installed_at: NaiveDateTime,
    enabled_at: Option<NaiveDateTime>,
    disabled_at: Option<NaiveDateTime>,
    uninstalled_at: Option<NaiveDateTime>,
    purge_after: Option<NaiveDateTime>,
    updated_at: NaiveDateTime,
}

/// A stored tenant. The shared secret stays encrypted until [`Tenant::shared_secret`] is called.
#[derive(Clone, Queryable, Selectable)]
#[diesel(table_name = tenants)]
pub struct Tenant {
    /// Tenant id.
    pub client_key: TenantId,
    /// The app key the host installed.
    pub app_key: String,
    /// The product's base URL.
    pub base_url: String,
    /// The URL users see.
    pub display_url: Option<String>,
    /// `jira` or `confluence`.
    pub product_type: Option<String>,
    /// Host description.
    pub description: Option<String>,
    /// Legacy license id.
    pub service_entitlement_number: Option<String>,
    /// Licence id on CCP billing.
    pub entitlement_id: Option<String>,
    /// Licence number on CCP billing.
    pub entitlement_number: Option<String>,
    /// OAuth client id.
    pub oauth_client_id: Option<String>,
    /// Connect version.
    pub plugins_version: Option<String>,
    /// Legacy server version.
    pub server_version: Option<String>,
    /// Connect-on-Forge installation id.
    pub installation_id: Option<String>,
    /// Account id of the installing user.
    pub installed_by: Option<String>,
    shared_secret_enc: String,
    state: TenantState,
    /// When the last install happened.
    pub installed_at: NaiveDateTime,
    /// When it was last enabled.
    pub enabled_at: Option<NaiveDateTime>,
    /// When it was last disabled.
    pub disabled_at: Option<NaiveDateTime>,
    /// When it was uninstalled.
    pub uninstalled_at: Option<NaiveDateTime>,
    /// When its data will be purged.
    pub purge_after: Option<NaiveDateTime>,
    /// Last change.
    pub updated_at: NaiveDateTime,
    /// When the first install happened (a reinstall keeps it).
    pub first_installed_at: NaiveDateTime,
    /// The site's cloud id (`None` for installs before it was kept, or when the callback did
    /// not send it).
    pub cloud_id: Option<String>,
}

impl std::fmt::Debug for Tenant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tenant")
            .field("client_key", &self.client_key)
            .field("base_url", &self.base_url)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

impl Tenant {
    /// The lifecycle state.
    pub fn state(&self) -> TenantState {
        self.state
    }

    /// The shared secret in clear, for verifying and signing tokens.
    pub fn shared_secret(&self, cipher: &Cipher) -> Result<String, StoreError> {
        Ok(cipher.decrypt(
            &self.shared_secret_enc,
            shared_secret_slot(&self.client_key),
        )?)
    }
}

/// Records an install or reinstall: every field but the first install's time is overwritten (a
/// new secret replaces the old), the state becomes `installed` and any uninstall and scheduled
/// purge are cleared. A disabled app stays disabled (Atlassian sends `installed` again to an
/// installation it rotates the secret of, or moves): only `enabled` switches it back on.
pub fn install(
    conn: &mut DbConnection,
    cipher: &Cipher,
    install: &Installation,
    now: NaiveDateTime,
) -> Result<Tenant, StoreError> {
    let secret = cipher.encrypt(
        &install.shared_secret,
        shared_secret_slot(&install.client_key),
    )?;
    crate::transaction(conn, |conn| {
        let disabled_at = find(conn, &install.client_key)?
            .filter(|t| t.state == TenantState::Disabled)
            .map(|t| t.disabled_at.unwrap_or(now));
        upsert(conn, install, &secret, disabled_at, now)
    })
}

fn upsert(
    conn: &mut DbConnection,
    install: &Installation,
    secret: &str,
    disabled_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> Result<Tenant, StoreError> {
    let row = TenantRow {
        client_key: &install.client_key,
        app_key: &install.app_key,
        base_url: &install.base_url,
        cloud_id: install.cloud_id.as_deref(),
        display_url: install.display_url.as_deref(),
        product_type: install.product_type.as_deref(),
        description: install.description.as_deref(),
        service_entitlement_number: install.service_entitlement_number.as_deref(),
        entitlement_id: install.entitlement_id.as_deref(),
        entitlement_number: install.entitlement_number.as_deref(),
        oauth_client_id: install.oauth_client_id.as_deref(),
        plugins_version: install.plugins_version.as_deref(),
        server_version: install.server_version.as_deref(),
        installation_id: install.installation_id.as_deref(),
        installed_by: install.installed_by.as_deref(),
        shared_secret_enc: secret,
        state: if disabled_at.is_some() {
            TenantState::Disabled
        } else {
            TenantState::Installed
        },
        installed_at: now,
        enabled_at: None,
        disabled_at,
        uninstalled_at: None,
        purge_after: None,
        updated_at: now,
    };
    // The first install's time goes in with the row and is never updated.
    with_backend!(&mut *conn, |c| diesel::insert_into(tenants::table)
        .values((&row, tenants::first_installed_at.eq(now)))
        .on_conflict(tenants::client_key)
        .do_update()
        .set(&row)
        .execute(c))?;
    find(conn, &install.client_key)?.ok_or(StoreError::Query(diesel::result::Error::NotFound))
}

/// The tenant with this `clientKey`, whatever its state.
pub fn find(conn: &mut DbConnection, client_key: &TenantId) -> Result<Option<Tenant>, StoreError> {
    Ok(tenants::table
        .find(client_key)
        .select(Tenant::as_select())
        .first(conn)
        .optional()?)
}

/// Marks a tenant enabled unless it is uninstalled. Returns whether a row changed.
pub fn enable(
    conn: &mut DbConnection,
    client_key: &TenantId,
    now: NaiveDateTime,
) -> Result<bool, StoreError> {
    let changed = diesel::update(tenants::table)
        .filter(tenants::client_key.eq(client_key))
        .filter(tenants::state.ne(TenantState::Uninstalled))
        .set((
            tenants::state.eq(TenantState::Enabled),
            tenants::enabled_at.eq(now),
            tenants::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(changed > 0)
}

/// Marks a tenant disabled unless it is uninstalled. Returns whether a row changed.
pub fn disable(
    conn: &mut DbConnection,
    client_key: &TenantId,
    now: NaiveDateTime,
) -> Result<bool, StoreError> {
    let changed = diesel::update(tenants::table)
        .filter(tenants::client_key.eq(client_key))
        .filter(tenants::state.ne(TenantState::Uninstalled))
        .set((
            tenants::state.eq(TenantState::Disabled),
            tenants::disabled_at.eq(now),
            tenants::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(changed > 0)
}

/// Marks a tenant uninstalled and schedules the purge of its data. Returns whether a row changed.
pub fn uninstall(
    conn: &mut DbConnection,
    client_key: &TenantId,
    now: NaiveDateTime,
    purge_after: NaiveDateTime,
) -> Result<bool, StoreError> {
    let changed = diesel::update(tenants::table)
        .filter(tenants::client_key.eq(client_key))
        .set((
            tenants::state.eq(TenantState::Uninstalled),
            tenants::uninstalled_at.eq(now),
            tenants::purge_after.eq(purge_after),
            tenants::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(changed > 0)
}

/// Uninstalled tenants whose retention has ended.
pub fn due_for_purge(
    conn: &mut DbConnection,
    now: NaiveDateTime,
) -> Result<Vec<TenantId>, StoreError> {
    Ok(tenants::table
        .filter(tenants::state.eq(TenantState::Uninstalled))
        .filter(tenants::purge_after.le(now))
        .select(tenants::client_key)
        .load(conn)?)
}

/// Deletes every row of a tenant, in one transaction, if it is still uninstalled.
/// Returns whether the tenant was purged.
pub fn purge(conn: &mut DbConnection, client_key: &TenantId) -> Result<bool, StoreError> {
    let uninstalled = || {
        tenants::table
            .find(client_key)
            .filter(tenants::state.eq(TenantState::Uninstalled))
    };
    crate::transaction(conn, |conn| {
        // A no-op update holds the tenant's row until the purge commits: a reinstall meanwhile
        // waits for it, then installs afresh, instead of being deleted with the old rows.
        let still_uninstalled = diesel::update(uninstalled())
            .set(tenants::state.eq(TenantState::Uninstalled))
            .execute(conn)?
            > 0;
        if !still_uninstalled {
            return Ok(false);
        }
        crate::purge::delete_tenant_rows(conn, client_key)?;
        diesel::delete(uninstalled()).execute(conn)?;
        Ok(true)
    })
}
