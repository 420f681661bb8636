#![doc = include_str!("../README.md")]

mod edition;
mod enforce;
mod evaluate;
mod message;

pub use edition::{Edition, EditionParseError};
pub use enforce::{enforce, LicenseRefusal};
pub use evaluate::{evaluate, LicenseEvaluation, LicenseInput, LicenseState};
