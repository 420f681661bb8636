//! The published mirror of the organization (one generation per sync), the runs that wrote it and the dashboard's daily snapshots.

diesel::table! {
    mirror_state (tenant_id) {
        tenant_id -> Text,
        generation -> BigInt,
        org_id -> Text,
        directory_id -> Text,
        synced_at -> Timestamp,
        events_cursor -> Nullable<Text>,
        reconciled_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    sites (tenant_id, generation, site_id) {
        tenant_id -> Text,
        generation -> BigInt,
        site_id -> Text,
        name -> Text,
        host_url -> Nullable<Text>,
    }
}

diesel::table! {
    site_products (tenant_id, generation, site_id, product_key) {
        tenant_id -> Text,
        generation -> BigInt,
        site_id -> Text,
        product_key -> Text,
        workspace_id -> Text,
        name -> Text,
    }
}

diesel::table! {
    org_users (tenant_id, generation, account_id) {
        tenant_id -> Text,
        generation -> BigInt,
        account_id -> Text,
        name -> Text,
        email -> Nullable<Text>,
        email_domain -> Nullable<Text>,
        account_type -> Text,
        status -> Text,
        claim_status -> Nullable<Text>,
        billable -> Bool,
        org_admin -> Bool,
        site_admin -> Bool,
        user_access_admin -> Bool,
        platform_roles -> Text,
        management_source -> Nullable<Text>,
        added_to_org -> Nullable<Timestamp>,
        last_active -> Nullable<Timestamp>,
        products -> Text,
        search_text -> Text,
        content_hash -> BigInt,
    }
}

diesel::table! {
    user_access (tenant_id, generation, account_id, site_id, product_key) {
        tenant_id -> Text,
        generation -> BigInt,
        account_id -> Text,
        site_id -> Text,
        product_key -> Text,
        last_active -> Nullable<Timestamp>,
    }
}

diesel::table! {
    org_groups (tenant_id, generation, group_id) {
        tenant_id -> Text,
        generation -> BigInt,
        group_id -> Text,
        name -> Text,
        description -> Nullable<Text>,
        managed_by -> Nullable<Text>,
        external_synced -> Bool,
        modifiable -> Bool,
        deletable -> Bool,
        member_count -> BigInt,
    }
}

diesel::table! {
    group_members (tenant_id, generation, account_id, group_id) {
        tenant_id -> Text,
        generation -> BigInt,
        group_id -> Text,
        account_id -> Text,
    }
}

diesel::table! {
    group_grants (tenant_id, generation, group_id, site_id, product_key, role) {
        tenant_id -> Text,
        generation -> BigInt,
        group_id -> Text,
        site_id -> Text,
        product_key -> Text,
        role -> Text,
    }
}

diesel::table! {
    sync_runs (id) {
        id -> BigInt,
        tenant_id -> Text,
        kind -> Text,
        state -> Text,
        phase -> Text,
        users -> BigInt,
        groups -> BigInt,
        sites -> BigInt,
        requests -> BigInt,
        account_ids -> Nullable<Text>,
        generation -> BigInt,
        error -> Nullable<Text>,
        requested_by -> Nullable<Text>,
        created_at -> Timestamp,
        started_at -> Nullable<Timestamp>,
        finished_at -> Nullable<Timestamp>,
        heartbeat_at -> Nullable<Timestamp>,
        mode -> Text,
        rows_written -> BigInt,
    }
}

diesel::table! {
    dashboard_snapshots (tenant_id, day, site_id, product_key) {
        tenant_id -> Text,
        day -> Text,
        site_id -> Text,
        product_key -> Text,
        inactive_days -> BigInt,
        active -> BigInt,
        inactive -> BigInt,
        total -> BigInt,
    }
}
