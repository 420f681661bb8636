//! Webhook subscriptions, their deliveries, each delivery's attempts and the notices sent about failing webhooks.

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
