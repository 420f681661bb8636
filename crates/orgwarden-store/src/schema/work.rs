//! What admins ask for and what runs for them: saved filters, exemptions, bulk operations with their items, and automated tasks.

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
