//! Rebuilds the crate when a migration is added: `embed_migrations!` reads the folders at
//! compile time, and cargo does not see a new folder without this.

fn main() {
    println!("cargo:rerun-if-changed=../../migrations");
}
