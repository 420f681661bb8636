//! The SSRF guard: a webhook target must be `https` and resolve only to public addresses
//! (not loopback, private, link-local — cloud metadata included —, shared, unspecified,
//! multicast or reserved, in IPv4 or IPv6, v4-mapped included), unless private targets are
//! allowed (`ORGWARDEN_WEBHOOKS_ALLOW_PRIVATE=true`, which also allows `http`). Deliveries
//! connect through [`GuardedResolver`], so the address checked is the address connected to.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::Url;

/// Why a target was refused; the message says what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GuardError {
    /// Not a URL.
    #[error("the URL is not valid: {0}")]
    Invalid(String),
    /// Not https (or http when private targets are allowed).
    #[error("the URL must start with https://")]
    Scheme,
    /// Has a user name or password in it.
    #[error("the URL must not contain a user name or password")]
    Credentials,
    /// Its host did not resolve.
    #[error("the host {0} could not be resolved")]
    Unresolvable(String),
    /// It resolves to an address webhooks may not reach. The message names the kind, never the
    /// address: an admin learns nothing about the network it would reveal.
    #[error("the host {host} resolves to a {kind} address webhooks may not reach (set ORGWARDEN_WEBHOOKS_ALLOW_PRIVATE=true to allow it)")]
    Forbidden {
        /// Host name.
        host: String,
        /// The refused address.
        addr: IpAddr,
        /// What kind of address it is.
        kind: &'static str,
    },
}

/// What kind of non-public address `ip` is, if it is one.
pub fn forbidden_kind(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => v4_kind(v4),
        IpAddr::V6(v6) => v6_kind(v6),
    }
}

fn v4_kind(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, c, _] = ip.octets();
    if ip.is_loopback() {
        Some("loopback")
    } else if ip.is_private() {
        Some("private")
    } else if ip.is_link_local() {
        Some("link-local (cloud metadata)")
    } else if ip.is_unspecified() || a == 0 {
        Some("unspecified")
    } else if ip.is_multicast() || ip.is_broadcast() {
        Some("multicast or broadcast")
    } else if a == 100 && (64..128).contains(&b) {
        Some("shared (carrier-grade NAT)")
    } else if (a == 192 && b == 0 && c == 0) || (a == 198 && (b & 0xfe) == 18) || a >= 240 {
        Some("reserved")
    } else {
        None
    }
}

fn v6_kind(ip: Ipv6Addr) -> Option<&'static str> {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return v4_kind(v4);
    }
    let seg = ip.segments();
    if ip.is_loopback() {
        Some("loopback")
    } else if ip.is_unspecified() {
        Some("unspecified")
    } else if ip.is_multicast() {
        Some("multicast or broadcast")
    } else if (seg[0] & 0xfe00) == 0xfc00 {
        Some("private")
    } else if (seg[0] & 0xffc0) == 0xfe80 || (seg[0] & 0xffc0) == 0xfec0 {
        Some("link-local (cloud metadata)")
    } else if seg[..6] == [0x64, 0xff9b, 0, 0, 0, 0]
        || seg[..6] == [0; 6]
        || seg[..6] == [0, 0, 0, 0, 0xffff, 0]
    {
        // NAT64, IPv4-compatible and IPv4-translated forms carry an IPv4 address in the last
        // 32 bits.
        v4_kind(embedded_v4(seg[6], seg[7]))
    } else if seg[0] == 0x2002 {
        // 6to4 carries it right after the prefix.
        v4_kind(embedded_v4(seg[1], seg[2]))
    } else if seg[..3] == [0x64, 0xff9b, 1] {
        Some("private (local-use NAT64)")
    } else if seg[..2] == [0x2001, 0] || seg[..2] == [0x2001, 0xdb8] || seg[..4] == [0x100, 0, 0, 0]
    {
        // Teredo tunnels, documentation, discard-only.
        Some("reserved")
    } else {
        None
    }
}

/// The IPv4 address an IPv6 address carries in two 16-bit segments.
fn embedded_v4(hi: u16, lo: u16) -> Ipv4Addr {
    Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo))
}

/// Checks a target's form: a URL, `https` (or `http` with `allow_private`), no credentials.
pub fn check_url(url: &str, allow_private: bool) -> Result<Url, GuardError> {
    let parsed = Url::parse(url.trim()).map_err(|e| GuardError::Invalid(e.to_string()))?;
    match parsed.scheme() {
        "https" => {}
        "http" if allow_private => {}
        _ => return Err(GuardError::Scheme),
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(GuardError::Credentials);
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(GuardError::Invalid("it has no host".into()));
    }
    Ok(parsed)
}

/// Resolves `host` once and returns its addresses, or refuses when any is forbidden.
pub async fn resolve(
    host: &str,
    port: u16,
    allow_private: bool,
) -> Result<Vec<SocketAddr>, GuardError> {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let addrs: Vec<SocketAddr> = match bare.parse::<IpAddr>() {
        Ok(ip) => vec![SocketAddr::new(ip, port)],
        Err(_) => tokio::net::lookup_host((bare, port))
            .await
            .map_err(|_| GuardError::Unresolvable(bare.to_owned()))?
            .collect(),
    };
    if addrs.is_empty() {
        return Err(GuardError::Unresolvable(bare.to_owned()));
    }
    if !allow_private {
        if let Some((addr, kind)) = addrs
            .iter()
            .find_map(|a| forbidden_kind(a.ip()).map(|k| (a.ip(), k)))
        {
            return Err(GuardError::Forbidden {
                host: bare.to_owned(),
                addr,
                kind,
            });
        }
    }
    Ok(addrs)
}

/// Checks a target completely: its form, then every address its host resolves to.
pub async fn check_target(url: &str, allow_private: bool) -> Result<Url, GuardError> {
    let parsed = check_url(url, allow_private)?;
    let host = parsed.host_str().unwrap_or_default().to_owned();
    let port = parsed.port_or_known_default().unwrap_or(443);
    resolve(&host, port, allow_private).await?;
    Ok(parsed)
}

/// reqwest's resolver for deliveries: names resolve through [`resolve`], so a connection only
/// ever goes to an address that passed the guard (no second lookup an attacker could change).
#[derive(Debug, Clone, Copy)]
pub struct GuardedResolver {
    /// Allow private targets.
    pub allow_private: bool,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let (host, allow_private) = (name.as_str().to_owned(), self.allow_private);
        Box::pin(async move {
            let addrs = resolve(&host, 0, allow_private).await?;
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

/// The shared HTTP client of deliveries: no redirects, 10 s per attempt, the guarded resolver,
/// and no proxy from the environment (a proxy would resolve the target again, past the guard).
pub fn client(allow_private: bool) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(10))
        .connect_timeout(std::time::Duration::from_secs(10))
        .dns_resolver(Arc::new(GuardedResolver { allow_private }))
        .user_agent(concat!("orgwarden-webhooks/", env!("CARGO_PKG_VERSION")))
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(ip: &str) -> Option<&'static str> {
        forbidden_kind(ip.parse().unwrap())
    }

    #[test]
    fn non_public_addresses_are_named() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "224.0.0.1",
            "100.64.0.1",
            "::1",
            "::",
            "fd00:ec2::254",
            "fe80::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "64:ff9b::10.0.0.1",
            "64:ff9b:1::a00:1",
            "::ffff:0:7f00:1",
            "2002:a00:1::1",
            "2002:7f00:1::",
            "2001:0:4136:e378::1",
            "2001:db8::1",
            "100::1",
        ] {
            assert!(kind(ip).is_some(), "{ip} should be refused");
        }
        for ip in [
            "93.184.216.34",
            "2606:2800:220:1::1",
            "::ffff:93.184.216.34",
            "2002:5db8:d822::1",
        ] {
            assert_eq!(kind(ip), None, "{ip} is public");
        }
    }

    #[test]
    fn urls_need_https_unless_private_targets_are_allowed() {
        assert_eq!(
            check_url("http://example.com/x", false),
            Err(GuardError::Scheme)
        );
        assert!(check_url("http://example.com/x", true).is_ok());
        assert!(check_url("https://example.com/x", false).is_ok());
        assert_eq!(
            check_url("https://u:p@example.com/", false),
            Err(GuardError::Credentials)
        );
        assert!(matches!(
            check_url("not a url", false),
            Err(GuardError::Invalid(_))
        ));
    }

    #[tokio::test]
    async fn literal_and_resolved_private_hosts_are_refused() {
        let refused = resolve("127.0.0.1", 443, false).await.unwrap_err();
        assert!(matches!(
            refused,
            GuardError::Forbidden {
                kind: "loopback",
                ..
            }
        ));
        assert!(resolve("[::1]", 443, false).await.is_err());
        let named = resolve("localhost", 443, false)
            .await
            .unwrap_err()
            .to_string();
        assert!(
            named.contains("localhost") && named.contains("loopback"),
            "{named}"
        );
        assert!(
            !named.contains("127.0.0.1") && !named.contains("::1"),
            "{named}"
        );
        assert!(resolve("localhost", 443, true).await.is_ok());
    }
}
