//! The route table's policies applied before anything else of a request is read: the caller is
//! authenticated and admitted here, ahead of body parsing, so a refused caller learns nothing
//! about what a route accepts. The admitted [`Caller`] waits in the request's extensions for
//! the handler's extractor, which checks its own policy again (by type).

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::HttpMessage;
use std::collections::HashMap;
use std::sync::LazyLock;

use super::caller::{admit, authenticate, Caller};
use super::Policy;
use crate::api::{RouteSpec, ROUTES};

/// The policy of the route `method path` serves (`path` under `/api/v1`), if it is one:
/// literal segments win over `{placeholders}`.
pub fn policy_of(method: &str, path: &str) -> Option<Policy> {
    let path = path.trim_end_matches('/');
    let index = &*ROUTE_INDEX;
    index
        .literal
        .get(&(method, path))
        .copied()
        .or_else(|| index.patterned(method, path))
}

/// [`ROUTES`] indexed once, so that a request costs a hash lookup (every literal route) or a
/// walk of the routes with placeholders, not a walk of the whole table.
struct RouteIndex {
    literal: HashMap<(&'static str, &'static str), Policy>,
    patterned: Vec<PatternedRoute>,
}

/// A route with `{placeholders}`, its path split into segments.
struct PatternedRoute {
    method: &'static str,
    segments: Vec<&'static str>,
    placeholders: usize,
    policy: Policy,
}

static ROUTE_INDEX: LazyLock<RouteIndex> = LazyLock::new(|| {
    let (patterned, literal): (Vec<&RouteSpec>, Vec<&RouteSpec>) =
        ROUTES.iter().partition(|route| route.path.contains('{'));
    RouteIndex {
        literal: literal
            .into_iter()
            .map(|route| ((route.method, route.path), route.policy))
            .collect(),
        patterned: patterned
            .into_iter()
            .map(|route| PatternedRoute {
                method: route.method,
                segments: route.path.split('/').collect(),
                placeholders: route.path.matches('{').count(),
                policy: route.policy,
            })
            .collect(),
    }
});

impl RouteIndex {
    fn patterned(&self, method: &str, path: &str) -> Option<Policy> {
        self.patterned
            .iter()
            .filter(|route| route.method == method && route.fits(path))
            .min_by_key(|route| route.placeholders)
            .map(|route| route.policy)
    }
}

impl PatternedRoute {
    /// True when `path` fits segment by segment (`{x}` takes any non-empty segment).
    fn fits(&self, path: &str) -> bool {
        let mut have = path.split('/');
        self.segments.iter().all(|want| {
            have.next()
                .is_some_and(|have| *want == have || (want.starts_with('{') && !have.is_empty()))
        }) && have.next().is_none()
    }
}

/// Middleware of `/api/v1`: authenticates and admits the caller of a known route. A refusal
/// is answered here as a response (not an error), so outer middleware still adds its headers.
pub async fn authorize<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
    // The path as the router matches it (percent-escapes decoded), so that an escaped route
    // meets its policy here too, not only in its handler's extractor.
    let routed = req.match_info().as_str();
    let policy = policy_of(
        req.method().as_str(),
        routed.strip_prefix("/api/v1").unwrap_or_default(),
    );
    if let Some(policy) = policy {
        let caller = match authenticate(req.request()).await {
            Ok(caller) => caller,
            Err(refusal) => return Ok(req.error_response(refusal).map_into_right_body()),
        };
        if let Err(refusal) = admit(&caller, policy) {
            if refusal.code() == crate::error_code::ErrorCode::AccessDenied {
                if let Some(state) = req.app_data::<actix_web::web::Data<crate::state::AppState>>()
                {
                    let method = req.method().as_str();
                    let reason = refusal.message().to_owned();
                    crate::audit_log::denied(&state.db, &caller, method, req.path(), &reason);
                }
            }
            return Ok(req.error_response(refusal).map_into_right_body());
        }
        req.extensions_mut().insert(caller.clone());
        let (method, path) = (req.method().as_str().to_owned(), req.path().to_owned());
        let state = req
            .app_data::<actix_web::web::Data<crate::state::AppState>>()
            .cloned();
        let response = next.call(req).await?;
        // A handler's own refusal (another admin's token, a filter tasks use) is recorded as
        // the gate's are.
        let refusal = response
            .response()
            .extensions()
            .get::<crate::error::AccessRefusal>()
            .map(|r| r.0.clone());
        if let (Some(reason), Some(state)) = (refusal, state) {
            crate::audit_log::denied(&state.db, &caller, &method, &path, &reason);
        }
        return Ok(response.map_into_left_body());
    }
    Ok(next.call(req).await?.map_into_left_body())
}

/// The caller the gate admitted for this request, if any (taken: the handler's one extractor
/// owns it from then on).
pub fn admitted(req: &actix_web::HttpRequest) -> Option<Caller> {
    req.extensions_mut().remove::<Caller>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_segments_win_and_unknown_routes_have_no_policy() {
        assert_eq!(policy_of("POST", "/operations/preview"), Some(Policy::Read));
        assert_eq!(policy_of("POST", "/operations"), Some(Policy::Write));
        assert_eq!(policy_of("GET", "/operations/12"), Some(Policy::Read));
        assert_eq!(
            policy_of("POST", "/operations/12/cancel"),
            Some(Policy::Write)
        );
        assert_eq!(policy_of("PUT", "/settings/access"), Some(Policy::OrgAdmin));
        assert_eq!(policy_of("GET", "/me"), Some(Policy::Anyone));
        assert_eq!(policy_of("GET", "/nope"), None);
        assert_eq!(policy_of("DELETE", "/operations/12"), None);
    }

    #[test]
    fn placeholders_take_exactly_one_non_empty_segment() {
        assert_eq!(policy_of("GET", "/operations/12/"), Some(Policy::Read));
        assert_eq!(policy_of("GET", "/me/"), Some(Policy::Anyone));
        assert_eq!(policy_of("POST", "/operations//cancel"), None);
        assert_eq!(policy_of("GET", "/operations/12/extra"), None);
        assert_eq!(policy_of("GET", "/tasks/3/runs/p-1/more"), None);
        assert_eq!(policy_of("GET", ""), None);
        assert_eq!(policy_of("get", "/me"), None);
    }

    #[test]
    fn every_route_resolves_to_its_own_policy() {
        for route in ROUTES {
            let concrete = route
                .path
                .replace("{id}", "7")
                .replace("{accountId}", "a:b");
            assert_eq!(
                policy_of(route.method, &concrete),
                Some(route.policy),
                "{route:?}"
            );
        }
    }
}
