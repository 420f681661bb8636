#![doc = include_str!("../README.md")]

mod jira;

pub use jira::{AddonLicense, ApplicationRole, JiraClient, JiraError, JiraTenant};
