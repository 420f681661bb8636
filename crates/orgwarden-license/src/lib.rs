#![doc = include_str!("../README.md")]

mod edition;
mod enforce;
mod evaluate;
mod gate;
mod message;

pub use edition::{Edition, EditionParseError};
pub use enforce::{enforce, LicenseRefusal, RefusalReason};
pub use evaluate::{evaluate, LicenseEvaluation, LicenseInput, LicenseState};
pub use gate::{gate, GateInput, UNEVALUATED_DAYS};
