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
