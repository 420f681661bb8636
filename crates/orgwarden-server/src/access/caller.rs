//! The authenticated caller and the extractors that admit them. A handler names what it needs
//! by the extractor it takes — [`Reader`], [`WholeReader`], [`Writer`], [`WholeWriter`],
//! [`KeyAdmin`], [`OrgAdmin`], [`Interactive`] — and none of them can be built for a caller who may not use the app, so a
//! forgotten check cannot compile. Only `GET /api/v1/me` takes the bare [`Caller`].

use orgwarden_ids::AccountId;
use std::ops::Deref;
use std::sync::Arc;

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest};
use futures::future::LocalBoxFuture;
use orgwarden_connect::QshPolicy;
use orgwarden_jobs::operations::Actor;
use orgwarden_store::access::{Administered, Standing};
use orgwarden_store::users::Filter;

use super::decide::Access;
use crate::auth::{app_state, verify_request};
use crate::error::ApiError;
use crate::error_code::ErrorCode;
use crate::tenant_cache::CachedTenant;

/// How the caller proved who they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// A Connect context JWT from the Jira page.
    Jwt,
    /// An API token (`Authorization: Bearer owt_…`).
    Token {
        /// Token id.
        id: i64,
        /// The token has the `write` scope.
        write: bool,
    },
}

/// An authenticated caller of `/api/v1`, allowed or not.
#[derive(Clone)]
pub struct Caller {
    /// The caller's tenant (from the verified token only).
    pub tenant: Arc<CachedTenant>,
    /// The caller's Atlassian account id (a token's creator for API tokens).
    pub account_id: AccountId,
    /// How they authenticated.
    pub via: Via,
    /// Whether and why they may use the app.
    pub access: Access,
}

impl Caller {
    /// The standing the caller acts with (`None` when refused).
    pub fn standing(&self) -> Option<Standing> {
        self.access.standing.filter(|_| self.access.allowed)
    }

    /// True for an organization admin.
    pub fn is_org_admin(&self) -> bool {
        self.standing() == Some(Standing::OrgAdmin)
    }

    /// Who an operation started by this caller acts for, with which rights.
    pub fn actor(&self) -> Actor {
        Actor {
            account_id: self.account_id.to_string(),
            standing: self.standing().unwrap_or(Standing::JiraAdmin),
            scope: self.access.scope.clone(),
        }
    }

    /// `filter` as this caller may apply it: limited to what they administer, when they are.
    pub fn limit(&self, mut filter: Filter) -> Filter {
        filter.within = self.access.scope.clone();
        filter
    }

    /// True when the caller may see `product` on `site`.
    pub fn sees(&self, site: &str, product: &str) -> bool {
        self.access
            .scope
            .as_deref()
            .is_none_or(|scope| Administered::any_covers(scope, site, product))
    }

    /// The caller's limited scope as stored with an operation (`None`: the organization).
    pub fn scope_json(&self) -> Result<Option<String>, ApiError> {
        self.access
            .scope
            .as_ref()
            .map(serde_json::to_string)
            .transpose()
            .map_err(ApiError::internal)
    }
}

/// What a route requires of its caller; the route table declares one per route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// Any authenticated caller (`GET /me` only).
    Anyone,
    /// An allowed caller; `read` tokens too (GETs and read-only POSTs).
    Read,
    /// As `Read`, for callers who see the whole organization: not an admin limited to what
    /// they administer (who reads only their own share, e.g. of the audit trail).
    ReadWhole,
    /// An allowed caller who has finished setup; tokens need `write`.
    Write,
    /// As `Write`, for callers who see the whole organization (organization-wide settings such
    /// as webhooks, which a limited admin neither reads nor triggers).
    WriteWhole,
    /// An organization admin, or before a key is saved a Jira admin (the API key routes).
    KeySetup,
    /// An organization admin; tokens need `write`.
    OrgAdmin,
    /// Like `Write`, but only from the Jira page (creating API tokens).
    Interactive,
}

fn denied(message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, ErrorCode::AccessDenied, message)
}

/// Admits `caller` under `policy`, or says why not.
pub fn admit(caller: &Caller, policy: Policy) -> Result<(), ApiError> {
    if policy == Policy::Anyone {
        return Ok(());
    }
    if !caller.access.allowed || (caller.access.key_only && policy != Policy::KeySetup) {
        return Err(denied(caller.access.reason));
    }
    let standing = caller.standing();
    // A Jira admin is let in without a key only to save one: what an earlier key synced (kept
    // when that key was removed) is not theirs to read.
    if standing == Some(Standing::JiraAdmin)
        && matches!(
            policy,
            Policy::Read
                | Policy::ReadWhole
                | Policy::Write
                | Policy::WriteWhole
                | Policy::Interactive
        )
    {
        return Err(denied(
            "Save the Organization API key first (Settings); then organization admins decide who may use orgwarden.",
        ));
    }
    if matches!(policy, Policy::ReadWhole | Policy::WriteWhole) && caller.access.scope.is_some() {
        return Err(denied(
            "This is for admins who see the whole organization; you see only what you administer.",
        ));
    }
    if matches!(policy, Policy::Read | Policy::ReadWhole) {
        return Ok(());
    }
    if let Via::Token { write: false, .. } = caller.via {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            ErrorCode::InsufficientScope,
            "This API token has the read scope only: create a token with read and write scopes to change anything.",
        ));
    }
    match policy {
        Policy::Interactive if caller.via != Via::Jwt => Err(denied(
            "API tokens are created in orgwarden's Settings inside Jira, not with another token.",
        )),
        Policy::Anyone
        | Policy::Read
        | Policy::ReadWhole
        | Policy::Write
        | Policy::WriteWhole
        | Policy::Interactive => Ok(()),
        Policy::KeySetup
            if matches!(standing, Some(Standing::OrgAdmin | Standing::JiraAdmin)) =>
        {
            Ok(())
        }
        Policy::KeySetup | Policy::OrgAdmin if standing == Some(Standing::OrgAdmin) => Ok(()),
        Policy::KeySetup | Policy::OrgAdmin => Err(denied(
            "Only organization admins may change this. Ask an organization admin of your Atlassian organization.",
        )),
    }
}

/// The caller of this request: admitted by the gate already, or authenticated now.
pub(super) async fn authenticate(req: &HttpRequest) -> Result<Caller, ApiError> {
    if let Some(caller) = super::gate::admitted(req) {
        return Ok(caller);
    }
    let state = app_state(req)?;
    let header = req
        .headers()
        .get("Authorization")
        .ok_or_else(|| {
            ApiError::unauthorized(
                "Missing credentials: send `Authorization: JWT <context token>` or `Authorization: Bearer <API token>`.",
            )
        })?
        .to_str()
        .map_err(|_| ApiError::unauthorized("The Authorization header is not readable."))?;
    if let Some(token) = header.strip_prefix("Bearer ") {
        return super::bearer::token_caller(&state, token.trim()).await;
    }
    let Some(token) = header.strip_prefix("JWT ") else {
        return Err(ApiError::unauthorized(
            "Unsupported Authorization scheme: send `Authorization: JWT <token>` or `Authorization: Bearer <API token>`.",
        ));
    };
    let (tenant, account_id) =
        verify_request(&state, req, token.trim(), QshPolicy::RequestOrContext).await?;
    let account_id = account_id.map(AccountId::from).ok_or_else(|| {
        ApiError::unauthorized("The token names no user (`sub`); sign in to Jira and reload.")
    })?;
    let access = super::resolve::resolve(&state, &tenant, &account_id).await?;
    Ok(Caller {
        tenant,
        account_id,
        via: Via::Jwt,
        access,
    })
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { authenticate(&req).await })
    }
}

macro_rules! admitted {
    ($($(#[$doc:meta])* $name:ident => $policy:ident;)*) => {$(
        $(#[$doc])*
        pub struct $name(Caller);

        impl Deref for $name {
            type Target = Caller;
            fn deref(&self) -> &Caller {
                &self.0
            }
        }

        impl FromRequest for $name {
            type Error = ApiError;
            type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

            fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
                let req = req.clone();
                Box::pin(async move {
                    let caller = authenticate(&req).await?;
                    admit(&caller, Policy::$policy)?;
                    Ok(Self(caller))
                })
            }
        }
    )*};
}

admitted! {
    /// An allowed caller; read tokens too.
    Reader => Read;
    /// An allowed caller who sees the whole organization; read tokens too.
    WholeReader => ReadWhole;
    /// An allowed caller past setup; tokens need `write`.
    Writer => Write;
    /// An allowed caller past setup who sees the whole organization; tokens need `write`.
    WholeWriter => WriteWhole;
    /// An organization admin, or a Jira admin before a key is saved.
    KeyAdmin => KeySetup;
    /// An organization admin.
    OrgAdmin => OrgAdmin;
    /// An allowed caller past setup, from the Jira page only.
    Interactive => Interactive;
}
