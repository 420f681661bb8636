//! The repository's `atlassian-connect.json` template and `render_descriptor`.
// Helpers outside #[test] functions unwrap too; a panic is a test failure here.

use orgwarden_connect::{render_descriptor, DescriptorError, DescriptorVars, DESCRIPTOR_TEMPLATE};
use serde_json::{json, Value};

fn vars(base_url: &str) -> DescriptorVars {
    DescriptorVars {
        base_url: base_url.into(),
        app_key: "io.orgwarden.app".into(),
    }
}

fn rendered() -> Value {
    render_descriptor(DESCRIPTOR_TEMPLATE, &vars("https://orgwarden.example.com/")).unwrap()
}

#[test]
fn template_renders_the_app_descriptor() {
    let d = rendered();
    assert_eq!(d["key"], "io.orgwarden.app");
    assert_eq!(d["name"], "orgwarden");
    assert_eq!(d["baseUrl"], "https://orgwarden.example.com");
    assert_eq!(
        d["links"]["self"],
        "https://orgwarden.example.com/atlassian-connect.json"
    );
    assert_eq!(d["authentication"], json!({"type": "jwt"}));
    assert_eq!(
        d["apiMigrations"],
        json!({"signed-install": true, "context-qsh": true})
    );
    assert_eq!(d["enableLicensing"], true);
    assert_eq!(d["scopes"], json!(["READ", "ADMIN"]));
    assert!(d["description"].as_str().is_some_and(|s| !s.is_empty()));
    assert!(d["vendor"]["name"].is_string());
    for event in ["installed", "uninstalled", "enabled", "disabled"] {
        assert_eq!(d["lifecycle"][event], format!("/lifecycle/{event}"));
    }
}

#[test]
fn template_modules() {
    let modules = &rendered()["modules"];
    let section = &modules["webSections"][0];
    assert_eq!(
        (&section["key"], &section["location"]),
        (&json!("orgwarden-section"), &json!("admin_plugins_menu"))
    );
    let admin = &modules["adminPages"][0];
    assert_eq!(admin["key"], "orgwarden-admin");
    assert_eq!(admin["url"], "/admin");
    assert_eq!(admin["location"], "admin_plugins_menu/orgwarden-section");
    assert_eq!(admin["conditions"], json!([{"condition": "user_is_admin"}]));
    let app = &modules["generalPages"][0];
    assert_eq!(
        (&app["key"], &app["url"]),
        (&json!("orgwarden-app"), &json!("/app"))
    );
    assert_eq!(app["location"], "system.top.navigation.bar");
    let configure = &modules["configurePage"];
    assert_eq!(
        (&configure["key"], &configure["url"]),
        (
            &json!("orgwarden-configure"),
            &json!("/admin?view=settings")
        )
    );
    // Every module key follows Connect's rules and every module has a name.
    let keyed = [section, admin, app, configure];
    for module in keyed {
        let key = module["key"].as_str().unwrap();
        assert!(
            key.len() <= 100 && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'),
            "{key}"
        );
        assert!(module["name"]["value"].is_string(), "{key}");
    }
}

#[test]
fn values_cannot_break_out_of_their_json_strings() {
    let hostile = DescriptorVars {
        base_url: r#"https://x", "authentication": {"type": "none"}, "y": "\"#.into(),
        app_key: "k\"\n".into(),
    };
    let d = render_descriptor(DESCRIPTOR_TEMPLATE, &hostile).unwrap();
    assert_eq!(d["baseUrl"], hostile.base_url.trim_end_matches('/'));
    assert_eq!(d["key"], "k\"\n");
    assert_eq!(d["authentication"]["type"], "jwt");
}

#[test]
fn templates_missing_required_settings_are_rejected() {
    let broken = |from: &str, to: &str| {
        let template = DESCRIPTOR_TEMPLATE.replacen(from, to, 1);
        assert_ne!(template, DESCRIPTOR_TEMPLATE, "{from}");
        render_descriptor(&template, &vars("https://a.example.com"))
    };
    let invalid = |field| Err(DescriptorError::InvalidField(field));
    assert_eq!(
        broken(r#""type": "jwt""#, r#""type": "none""#),
        invalid("authentication.type")
    );
    assert_eq!(
        broken(r#""signed-install": true"#, r#""signed-install": false"#),
        invalid("apiMigrations.signed-install")
    );
    assert_eq!(
        broken(r#""context-qsh": true"#, r#""context-qsh": "true""#),
        invalid("apiMigrations.context-qsh")
    );
    assert_eq!(
        broken(r#""installed": "/lifecycle/installed","#, ""),
        invalid("lifecycle.installed")
    );
    assert_eq!(
        broken(r#""key": "{{appKey}}""#, r#""key": """#),
        invalid("key")
    );
    assert_eq!(
        broken(r#""baseUrl": "{{baseUrl}}","#, ""),
        invalid("baseUrl")
    );
    assert_eq!(
        broken(r#""name": "orgwarden""#, r#""name": "{{appName}}""#),
        Err(DescriptorError::UnknownPlaceholder)
    );
    assert!(matches!(
        broken("{", "["),
        Err(DescriptorError::InvalidJson(_))
    ));
    assert!(matches!(
        render_descriptor("[]", &vars("https://a")),
        Err(DescriptorError::InvalidJson(_))
    ));
}
