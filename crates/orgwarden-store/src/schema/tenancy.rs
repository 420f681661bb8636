//! Installed tenants and what each one configures: its connection to the organization, settings, access control, API tokens, license state and the lease that serialises its jobs.

diesel::table! {
    tenants (client_key) {
        client_key -> Text,
        app_key -> Text,
        base_url -> Text,
        display_url -> Nullable<Text>,
        product_type -> Nullable<Text>,
        description -> Nullable<Text>,
        service_entitlement_number -> Nullable<Text>,
        entitlement_id -> Nullable<Text>,
        entitlement_number -> Nullable<Text>,
        oauth_client_id -> Nullable<Text>,
        plugins_version -> Nullable<Text>,
        server_version -> Nullable<Text>,
        installation_id -> Nullable<Text>,
        installed_by -> Nullable<Text>,
        shared_secret_enc -> Text,
        state -> Text,
        installed_at -> Timestamp,
        enabled_at -> Nullable<Timestamp>,
        disabled_at -> Nullable<Timestamp>,
        uninstalled_at -> Nullable<Timestamp>,
        purge_after -> Nullable<Timestamp>,
        updated_at -> Timestamp,
        first_installed_at -> Timestamp,
        cloud_id -> Nullable<Text>,
    }
}

diesel::table! {
    org_connections (tenant_id) {
        tenant_id -> Text,
        org_id -> Text,
        org_name -> Text,
        api_key_enc -> Text,
        key_hint -> Text,
        expires_on -> Text,
        updated_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    tenant_settings (tenant_id) {
        tenant_id -> Text,
        inactive_days -> BigInt,
        sync_hour -> Integer,
        time_zone -> Text,
        seat_prices -> Text,
        last_daily_sync_on -> Nullable<Text>,
        updated_by -> Text,
        updated_at -> Timestamp,
        currency -> Text,
    }
}

diesel::table! {
    access_control (tenant_id) {
        tenant_id -> Text,
        product_admins -> Bool,
        user_access_admins -> Bool,
        scope -> Text,
        updated_by -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> BigInt,
        tenant_id -> Text,
        name -> Text,
        prefix -> Text,
        token_hash -> Text,
        scopes -> Text,
        created_by -> Text,
        created_by_name -> Text,
        created_at -> Timestamp,
        expires_at -> Nullable<Timestamp>,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    license_states (tenant_id) {
        tenant_id -> Text,
        edition -> Text,
        install_site_billable_users -> BigInt,
        managed_users -> BigInt,
        grace_started_at -> Nullable<Timestamp>,
        marketplace_active -> Nullable<Bool>,
        marketplace_type -> Nullable<Text>,
        evaluated_at -> Timestamp,
        marketplace_evaluation -> Nullable<Bool>,
    }
}

diesel::table! {
    tenant_leases (tenant_id) {
        tenant_id -> Text,
        owner -> Text,
        lease_until -> Timestamp,
    }
}
