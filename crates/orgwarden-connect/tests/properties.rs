//! Property tests of QSH canonicalization and of token parsing robustness.
// Helpers outside #[test] functions unwrap too; a panic is a test failure here.

use std::collections::BTreeMap;

use orgwarden_connect::{
    canonical_request, query_string_hash, unverified_issuer, verify_hs256, verify_install,
    QshPolicy,
};
use proptest::prelude::*;
use url::form_urlencoded::byte_serialize;

/// RFC 3986 unreserved-set encoding, written independently of the crate's.
fn rfc3986(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Every byte percent-encoded, lowercase hex: another valid wire form.
fn encode_all(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02x}")).collect()
}

fn form(s: &str) -> String {
    byte_serialize(s.as_bytes()).collect()
}

/// Encodes a pair with one of three wire styles.
fn wire((name, value, style): &(String, String, u8)) -> String {
    let encode = match style % 3 {
        0 => form,
        1 => rfc3986,
        _ => encode_all,
    };
    format!("{}={}", encode(name), encode(value))
}

fn params() -> impl Strategy<Value = Vec<(String, String, u8)>> {
    prop::collection::vec((".{0,8}", ".{0,12}", any::<u8>()), 0..8).prop_map(|pairs| {
        pairs
            .into_iter()
            .filter(|(name, _, _)| name != "jwt")
            .collect()
    })
}

fn canonical(query: &str) -> String {
    canonical_request("GET", "/p", query, "").unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn canonical_query_ignores_parameter_order(pairs in params().prop_flat_map(|p| (Just(p.clone()), Just(p).prop_shuffle()))) {
        let (original, shuffled) = pairs;
        let a: Vec<String> = original.iter().map(wire).collect();
        let b: Vec<String> = shuffled.iter().map(wire).collect();
        prop_assert_eq!(canonical(&a.join("&")), canonical(&b.join("&")));
    }

    #[test]
    fn canonical_query_ignores_wire_encoding_style(pairs in params(), restyle in any::<u8>()) {
        let a: Vec<String> = pairs.iter().map(wire).collect();
        let b: Vec<String> = pairs.iter().map(|(n, v, s)| wire(&(n.clone(), v.clone(), s.wrapping_add(restyle)))).collect();
        prop_assert_eq!(canonical(&a.join("&")), canonical(&b.join("&")));
    }

    #[test]
    fn jwt_parameter_never_affects_the_hash(pairs in params(), token in ".{0,64}", at in any::<prop::sample::Index>()) {
        let mut pieces: Vec<String> = pairs.iter().map(wire).collect();
        let before = query_string_hash("GET", "/p", &pieces.join("&"), "").unwrap();
        let index = at.index(pieces.len() + 1);
        pieces.insert(index, format!("jwt={}", form(&token)));
        prop_assert_eq!(query_string_hash("GET", "/p", &pieces.join("&"), "").unwrap(), before.clone());
        // Only the exact name is dropped.
        pieces[index] = format!("JWT={}", form(&token));
        prop_assert_ne!(query_string_hash("GET", "/p", &pieces.join("&"), "").unwrap(), before);
    }

    #[test]
    fn values_round_trip_through_form_decoding_and_rfc3986_encoding(value in ".{0,32}") {
        let expected = format!("GET&/&k={}", rfc3986(&value));
        prop_assert_eq!(canonical_request("GET", "/", &format!("k={}", form(&value)), "").unwrap(), expected.clone());
        prop_assert_eq!(canonical_request("GET", "/", &format!("k={}", encode_all(&value)), "").unwrap(), expected.clone());
        // The canonical form is itself a fixed point.
        prop_assert_eq!(canonical_request("GET", "/", &format!("k={}", rfc3986(&value)), "").unwrap(), expected);
    }

    #[test]
    fn canonical_query_matches_a_reference_model(pairs in params()) {
        // Model: group by decoded name, sort values by decoded value, sort by encoded name.
        let mut model: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (name, value, _) in &pairs {
            model.entry(rfc3986(name)).or_default().push(value.clone());
        }
        let expected: Vec<String> = model.into_iter().map(|(name, mut values)| {
            values.sort();
            format!("{name}={}", values.iter().map(|v| rfc3986(v)).collect::<Vec<_>>().join(","))
        }).collect();
        let query: Vec<String> = pairs.iter().map(wire).collect();
        prop_assert_eq!(canonical(&query.join("&")), format!("GET&/p&{}", expected.join("&")));
    }

    #[test]
    fn canonicalization_never_panics(method in ".{0,8}", path in ".{0,40}", query in ".{0,80}", base in ".{0,10}") {
        if let Ok(canonical) = canonical_request(&method, &path, &query, &base) {
            let prefix = format!("{}&/", method.to_uppercase());
            prop_assert!(canonical.starts_with(&prefix));
            let hash = query_string_hash(&method, &path, &query, &base).unwrap();
            prop_assert!(hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
        }
    }

    #[test]
    fn byte_soup_queries_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        let query: String = bytes.iter().map(|b| match b % 6 { 0 => '%', 1 => '&', 2 => '=', 3 => '+', _ => char::from(b'0' + b % 23) }).collect();
        let _ = query_string_hash("GET", "/", &query, "");
    }

    #[test]
    fn token_parsing_never_panics(token in "[A-Za-z0-9_=.-]{0,200}", raw in prop::collection::vec(any::<u8>(), 0..120)) {
        let _ = unverified_issuer(&token);
        let _ = verify_hs256(&token, "s", "q", QshPolicy::Request, 0);
        let soup = format!("{}.{}.{}", crate::common::b64(&raw), crate::common::b64(&raw[raw.len() / 2..]), crate::common::b64(&raw[..raw.len() / 3]));
        let _ = unverified_issuer(&soup);
        let _ = verify_hs256(&soup, "s", "q", QshPolicy::RequestOrContext, 0);
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let keys = crate::common::FakeKeys(vec![("k", crate::common::TEST_PUBLIC)]);
        let _ = runtime.block_on(verify_install(&soup, &keys, "https://a", "c", "q", 0));
        let _ = runtime.block_on(verify_install(&token, &keys, "https://a", "c", "q", 0));
    }
}
