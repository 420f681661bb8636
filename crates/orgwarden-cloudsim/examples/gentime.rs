//! Times the generator: `cargo run --release --example gentime -- [USERS]`.

fn main() {
    let users = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let cfg = orgwarden_cloudsim::GenConfig {
        seed: 42,
        org_name: "Acme".into(),
        users,
        sites: 3,
        groups: 40,
        products_per_site: 3,
        inactive_share: 0.15,
        scim_group_share: 0.2,
        anchor: orgwarden_cloudsim::today_midnight(),
    };
    for _ in 0..3 {
        let start = std::time::Instant::now();
        let org = orgwarden_cloudsim::generate(&cfg);
        println!("{} users in {:?}", org.users.len(), start.elapsed());
    }
}
