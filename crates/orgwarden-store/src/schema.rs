// One portable schema for both backends: Text, BigInt, Integer, Bool, Timestamp only.

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
    tenant_leases (tenant_id) {
        tenant_id -> Text,
        owner -> Text,
        lease_until -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    mirror_state,
    sites,
    site_products,
    org_users,
    user_access,
    org_groups,
    group_members,
    group_grants,
);

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
    operations (id) {
        id -> BigInt,
        tenant_id -> Text,
        state -> Text,
        phase -> Text,
        actions -> Text,
        reason -> Nullable<Text>,
        selection -> Text,
        requested_by -> Text,
        revert_of -> Nullable<BigInt>,
        total -> BigInt,
        done -> BigInt,
        skipped -> BigInt,
        failed -> BigInt,
        error -> Nullable<Text>,
        created_at -> Timestamp,
        started_at -> Nullable<Timestamp>,
        finished_at -> Nullable<Timestamp>,
        heartbeat_at -> Nullable<Timestamp>,
        lease_owner -> Nullable<Text>,
        acting_as -> Text,
        actor_scope -> Nullable<Text>,
        task_id -> Nullable<BigInt>,
        process_id -> Nullable<Text>,
        dry_run -> Bool,
        late -> Bool,
    }
}

diesel::table! {
    operation_items (id) {
        id -> BigInt,
        operation_id -> BigInt,
        tenant_id -> Text,
        seq -> Integer,
        account_id -> Text,
        action_index -> Integer,
        action -> Text,
        op -> Text,
        site_id -> Nullable<Text>,
        product_key -> Nullable<Text>,
        role -> Nullable<Text>,
        group_id -> Nullable<Text>,
        state -> Text,
        reason -> Nullable<Text>,
        error -> Nullable<Text>,
        before_image -> Nullable<Text>,
        attempts -> Integer,
        source_item_id -> Nullable<BigInt>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    exemptions (tenant_id, kind, subject_id) {
        tenant_id -> Text,
        kind -> Text,
        subject_id -> Text,
        note -> Text,
        created_by -> Text,
        created_at -> Timestamp,
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
    saved_filters (id) {
        id -> BigInt,
        tenant_id -> Text,
        name -> Text,
        filter -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        updated_by -> Text,
        updated_at -> Timestamp,
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

diesel::allow_tables_to_appear_in_same_query!(tenants, org_connections);

diesel::table! {
    audit_entries (id) {
        id -> BigInt,
        tenant_id -> Text,
        at -> Timestamp,
        kind -> Text,
        actor_id -> Text,
        actor_name -> Text,
        via -> Text,
        token_id -> Nullable<BigInt>,
        summary -> Text,
        details -> Text,
        prev_hash -> Text,
        hash -> Text,
        form -> SmallInt,
    }
}

diesel::table! {
    audit_checkpoints (tenant_id) {
        tenant_id -> Text,
        entry_id -> BigInt,
        hash -> Text,
        deleted_at -> Timestamp,
    }
}

diesel::table! {
    webhooks (id) {
        id -> BigInt,
        tenant_id -> Text,
        name -> Text,
        url -> Text,
        events -> Text,
        secret_enc -> Text,
        notes -> Text,
        active -> Bool,
        disabled_reason -> Nullable<Text>,
        failing_since -> Nullable<Timestamp>,
        created_by -> Text,
        created_at -> Timestamp,
        updated_by -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> Text,
        tenant_id -> Text,
        webhook_id -> BigInt,
        event -> Text,
        payload -> Text,
        attempts -> Integer,
        state -> Text,
        next_attempt_at -> Nullable<Timestamp>,
        retry_until -> Timestamp,
        lease_owner -> Nullable<Text>,
        lease_until -> Nullable<Timestamp>,
        last_status_code -> Nullable<Integer>,
        last_duration_ms -> Nullable<BigInt>,
        last_attempt_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    webhook_attempts (id) {
        id -> BigInt,
        delivery_id -> Text,
        tenant_id -> Text,
        attempt -> Integer,
        at -> Timestamp,
        status_code -> Nullable<Integer>,
        duration_ms -> BigInt,
        response -> Nullable<Text>,
        error -> Nullable<Text>,
        next_attempt_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    webhook_notices (tenant_id, notice) {
        tenant_id -> Text,
        notice -> Text,
        sent_at -> Timestamp,
    }
}

diesel::joinable!(webhook_deliveries -> webhooks (webhook_id));
diesel::allow_tables_to_appear_in_same_query!(webhooks, webhook_deliveries, tenants);

diesel::table! {
    tasks (id) {
        id -> BigInt,
        tenant_id -> Text,
        name -> Text,
        saved_filter_id -> BigInt,
        actions -> Text,
        reason -> Nullable<Text>,
        schedule -> Text,
        time_zone -> Text,
        active -> Bool,
        dry_run_only -> Bool,
        next_run_at -> Nullable<Timestamp>,
        acting_admin -> Text,
        inactive_reason -> Nullable<Text>,
        created_by -> Text,
        created_at -> Timestamp,
        updated_by -> Text,
        updated_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    tasks,
    tenants,
    tenant_settings,
    saved_filters,
    operations
);
