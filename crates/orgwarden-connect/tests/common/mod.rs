//! Test vectors from `shared/docs/atlassian-connect.md` ("Test vectors"), shared by the suites.
#![allow(dead_code)] // shared helpers; each suite uses a subset

/// A request given as parts, with its expected canonical form and hash.
pub struct Case {
    pub id: &'static str,
    pub method: &'static str,
    pub path: &'static str,
    pub query: &'static str,
    pub base: &'static str,
    pub canonical: &'static str,
    /// `None` where the document gives no hash.
    pub qsh: Option<&'static str>,
}

/// An Atlassian Java interoperability vector: a raw GET request (`jwt` removed).
pub struct Vector {
    pub id: &'static str,
    pub name: &'static str,
    pub request: &'static str,
    pub canonical: &'static str,
    pub qsh: &'static str,
}

impl Vector {
    /// `(raw_path, raw_query)` of the request.
    pub fn parts(&self) -> (&'static str, &'static str) {
        self.request.split_once('?').unwrap_or((self.request, ""))
    }
}

const A_QUERY: &str =
    "zee_last=param&repeated=parameter 1&first=param&repeated=parameter 2&repeated=Parameter 2";
const A_CANONICAL: &str = "GET&/path/to/service&first=param&repeated=Parameter%202,parameter%201,parameter%202&zee_last=param";
const A3_QUERY: &str = "lic=none&tz=Australia%2FSydney&cp=%2Fjira&user_key=&loc=en-US&user_id=&jwt=eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln&xdm_e=http%3A%2F%2Fstorm%3A2990&xdm_c=channel-servlet-hello-world&xdm_p=1";
const A3_PARAMS: &str = "cp=%2Fjira&lic=none&loc=en-US&tz=Australia%2FSydney&user_id=&user_key=&xdm_c=channel-servlet-hello-world&xdm_e=http%3A%2F%2Fstorm%3A2990&xdm_p=1";

/// A1–A11 (npm `atlassian-jwt` unit tests) and the Atlassian docs' examples (D1–D3).
#[rustfmt::skip]
pub const A_CASES: &[Case] = &[
    Case { id: "A1", method: "get", path: "/path/to/service", query: A_QUERY, base: "", canonical: A_CANONICAL, qsh: Some("9ae6056cf66c00e76fa15e66fd26091fecd7356eec2f2c30629835b656799f66") },
    Case { id: "A2", method: "get", path: "/base/path/to/service", query: A_QUERY, base: "/base", canonical: A_CANONICAL, qsh: Some("9ae6056cf66c00e76fa15e66fd26091fecd7356eec2f2c30629835b656799f66") },
    Case { id: "A3", method: "get", path: "/hello-world", query: A3_QUERY, base: "", canonical: "GET&/hello-world&cp=%2Fjira&lic=none&loc=en-US&tz=Australia%2FSydney&user_id=&user_key=&xdm_c=channel-servlet-hello-world&xdm_e=http%3A%2F%2Fstorm%3A2990&xdm_p=1", qsh: Some("8063ff4ca1e41df7bc90c8ab6d0f6207d491cf6dad7c66ea797b4614b71922e9") },
    Case { id: "A4", method: "get", path: "/hello-world", query: "a&b=foo&c", base: "", canonical: "GET&/hello-world&a=&b=foo&c=", qsh: Some("05a07346264b590803b827ab297a7fcb7e250fe5fa8c66187a9131b0934496b2") },
    Case { id: "A5", method: "post", path: "/jira/rest/api/2/project/jira&a=b&c=d", query: "x=y", base: "/jira", canonical: "POST&/rest/api/2/project/jira%26a=b%26c=d&x=y", qsh: Some("70db3b47a62c471526b51481ee17407771df153801674a5002c164e87ce056ae") },
    Case { id: "A6", method: "get", path: "/jira/rest/api/2/project/jira", query: "x=y", base: "/jira", canonical: "GET&/rest/api/2/project/jira&x=y", qsh: Some("9584d4a30447c0235df4aabcca0512ae8b4a17a47c10cad8ba23a64b40cc6b4c") },
    Case { id: "A7", method: "post", path: "/rest/api/2/project&a=b", query: "x=y", base: "", canonical: "POST&/rest/api/2/project%26a=b&x=y", qsh: None },
    Case { id: "A8", method: "get", path: "/path", query: "", base: "", canonical: "GET&/path&", qsh: Some("799be84a7fa35570087163c0cd9af3abff7ac05c2c12ba0bb1d7eebc984b3ac2") },
    Case { id: "A9", method: "get", path: "", query: "", base: "", canonical: "GET&/&", qsh: Some("c88caad15a1c1a900b8ac08aa9686f4e8184539bea1deda36e2f649430df3239") },
    Case { id: "A9/", method: "get", path: "/", query: "", base: "", canonical: "GET&/&", qsh: Some("c88caad15a1c1a900b8ac08aa9686f4e8184539bea1deda36e2f649430df3239") },
    // A10: form-body parameters are hashed by passing the body as the query.
    Case { id: "A10", method: "post", path: "/hello-world", query: A3_PARAMS, base: "", canonical: "POST&/hello-world&cp=%2Fjira&lic=none&loc=en-US&tz=Australia%2FSydney&user_id=&user_key=&xdm_c=channel-servlet-hello-world&xdm_e=http%3A%2F%2Fstorm%3A2990&xdm_p=1", qsh: Some("d7e7f00660965fc15745b2c423a89b85d0853c4463faca362e0371d008eb0927") },
    Case { id: "A11", method: "post", path: "/hello-world", query: "", base: "", canonical: "POST&/hello-world&", qsh: Some("6f95f3738e1b037a3bebbe0ad237d80fdbc1d5ae452e98ce03a9c004c178ebb4") },
    Case { id: "D1", method: "GET", path: "/path/to/service", query: "zee_last=param&repeated=parameter 1&first=param&repeated=parameter 2", base: "", canonical: "GET&/path/to/service&first=param&repeated=parameter%201,parameter%202&zee_last=param", qsh: Some("e52bb281606c3bd9ca16cfe96fe2df78f5d9ffa126f06befd750dfa10fa1a897") },
    Case { id: "D2", method: "GET", path: "/", query: "param=foo", base: "", canonical: "GET&/&param=foo", qsh: Some("557b49d80f3f963f6bec47b74d9832d8d601d6ed0979476bdb35bae4abafb0a4") },
    Case { id: "D3", method: "POST", path: "/user", query: "", base: "", canonical: "POST&/user&", qsh: Some("18f9496a296abb418647d87857700529a1f4b2d18b4c1cfa77bbebdeeda6f068") },
];

/// C1–C11: this app's request shapes.
#[rustfmt::skip]
pub const C_CASES: &[Case] = &[
    Case { id: "C1", method: "POST", path: "/installed", query: "", base: "", canonical: "POST&/installed&", qsh: Some("4a2e1de8ca74e6cafe8862d332fa3ac7a8e51e692bc6d798ea4dfedc14948bf4") },
    Case { id: "C2", method: "POST", path: "/uninstalled", query: "", base: "", canonical: "POST&/uninstalled&", qsh: Some("8a8d06f040b246544d605b08aeb419e30b5cf0e200f512888486585ecce6a52e") },
    Case { id: "C3", method: "POST", path: "/connect/installed", query: "", base: "/connect", canonical: "POST&/installed&", qsh: Some("4a2e1de8ca74e6cafe8862d332fa3ac7a8e51e692bc6d798ea4dfedc14948bf4") },
    Case { id: "C4", method: "GET", path: "/admin", query: "lic=active&xdm_e=https%3A%2F%2Fexample.atlassian.net&xdm_c=channel-admin&cp=&cv=1001.0.0-SNAPSHOT", base: "", canonical: "GET&/admin&cp=&cv=1001.0.0-SNAPSHOT&lic=active&xdm_c=channel-admin&xdm_e=https%3A%2F%2Fexample.atlassian.net", qsh: Some("35eca405d68ce550dc441e14dcbb55487c435c3432e41574ce627a0bc9a66c64") },
    Case { id: "C5", method: "GET", path: "/rest/api/3/applicationrole", query: "", base: "", canonical: "GET&/rest/api/3/applicationrole&", qsh: Some("8a0677d96a8e7cc7c5036ad76c7d3b3605eccd9a5a93e515e10343f2de186974") },
    Case { id: "C6", method: "GET", path: "/rest/atlassian-connect/1/addons/com.example.app", query: "", base: "", canonical: "GET&/rest/atlassian-connect/1/addons/com.example.app&", qsh: Some("46da65eb1f7f7b2c7b0d9be145349570c1aa0cf47d97852fd3432c61961de65f") },
    Case { id: "C7", method: "GET", path: "/rest/api/3/search", query: "jql=project%20%3D%20TEST&maxResults=50&fields=summary,status", base: "", canonical: "GET&/rest/api/3/search&fields=summary%2Cstatus&jql=project%20%3D%20TEST&maxResults=50", qsh: Some("da2b195781b926d0ae1f87542bc5c769f9e741b4c37ce6b4544e5cb56999b1ef") },
    Case { id: "C8", method: "GET", path: "/test", query: "a=1&a=1&b", base: "", canonical: "GET&/test&a=1,1&b=", qsh: Some("a2d4cc3bee7540c9792e9ca1cbb70e1f2faf2c8f7e57202610b2679cc3f483f7") },
    Case { id: "C9", method: "GET", path: "/a%20b/c", query: "x=%C3%A9", base: "", canonical: "GET&/a%20b/c&x=%C3%A9", qsh: Some("164482ed80b346fe26aff065270d15bb35ea05443cf76b3ac536ea5628caea1a") },
    Case { id: "C10", method: "GET", path: "/test", query: "a.b=1&a:b=2", base: "", canonical: "GET&/test&a%3Ab=2&a.b=1", qsh: Some("d6e5f46eb49bdc5dc8d8800b10302ce945021f8121c99a8a78f774db5d677e5a") },
    Case { id: "C11", method: "GET", path: "/rest/atlassian-connect/latest/license", query: "", base: "", canonical: "GET&/rest/atlassian-connect/latest/license&", qsh: Some("e648e4eb6f6b80fa27c4d6c3fa02bc6ed5685b35be152578c38e00339897ae13") },
];

/// C10': the npm `atlassian-jwt` (decoded-name order) result for C10's request.
pub const C10_NPM_CANONICAL: &str = "GET&/test&a.b=1&a%3Ab=2";
/// Hash of [`C10_NPM_CANONICAL`].
pub const C10_NPM_QSH: &str = "ee4216c888736611381e97d298a0d3c4c03e2243877a0abfb2b19079bac385ce";

/// I1–I39: Atlassian Connect (Java) signing interoperability vectors.
#[rustfmt::skip]
pub const I_VECTORS: &[Vector] = &[
    Vector { id: "I1", name: "Simple", request: r#"/test?param=value"#, canonical: r#"GET&/test&param=value"#, qsh: "be16910858a41fd19ea5c1b4e9decca9a784d1024cb00b2158defe2f29dc86dd" },
    Vector { id: "I2", name: "Spaces", request: r#"/test?param=some+spaces+in+this+parameter"#, canonical: r#"GET&/test&param=some%20spaces%20in%20this%20parameter"#, qsh: "ef4097d05395eaf1a133956f140116a9c411afad768d4f06daac9e305764265d" },
    Vector { id: "I3", name: "Asterisk", request: r#"/test?query=connect*"#, canonical: r#"GET&/test&query=connect%2A"#, qsh: "0d28bc10d1972d9cab59e123ce17976eb32aad6957a13cfb8b97ced6d3fc8a29" },
    Vector { id: "I4", name: "Unicode", request: r#"/test?director=%E5%AE%AE%E5%B4%8E+%E9%A7%BF"#, canonical: r#"GET&/test&director=%E5%AE%AE%E5%B4%8E%20%E9%A7%BF"#, qsh: "44d6354ffe8f963972a7fc59e98b2c3dfe4b493295c5b89edd974a339e61ac89" },
    Vector { id: "I5", name: "Comma-delimited", request: r#"/test?ids=10%2C2%2C20%2C1"#, canonical: r#"GET&/test&ids=10%2C2%2C20%2C1"#, qsh: "2e617b65f966650789990e5cac8ff295ee5b453834d04798f466ff6035bd8829" },
    Vector { id: "I6", name: "Multi-value Comma-delimited", request: r#"/test?tuples=1%2C2%2C3&tuples=6%2C5%2C4&tuples=7%2C9%2C8"#, canonical: r#"GET&/test&tuples=1%2C2%2C3,6%2C5%2C4,7%2C9%2C8"#, qsh: "f9f62bb61191dff1b219e9ade8ac38fcfa46272ea76d9545410db6559fd8e7bd" },
    Vector { id: "I7", name: "Plus", request: r#"/test?title=1+%2B+1+equals+3"#, canonical: r#"GET&/test&title=1%20%2B%201%20equals%203"#, qsh: "ce0a866ce0c34cbde70deb63f6915192f58500d2b49b12e1ffc8cdf91edabc91" },
    Vector { id: "I8", name: "JSON Object", request: r#"/test?json=%7B%22key%22%3A%22value%22%7D"#, canonical: r#"GET&/test&json=%7B%22key%22%3A%22value%22%7D"#, qsh: "1d74c5a1f0a6c72a3ce285570cbfd8fe736910123e6ada203d4c7ba9a6128a6f" },
    Vector { id: "I9", name: "JSON Array", request: r#"/test?json=%5B%22val1%22%2C%22val2%22%5D"#, canonical: r#"GET&/test&json=%5B%22val1%22%2C%22val2%22%5D"#, qsh: "5a69d35f16534290a4ed2f9e53a45e6872cf0c3a1163295c42947d42931a1f73" },
    Vector { id: "I10", name: "Single Quotes", request: r#"/test?quote=%27quoted%27"#, canonical: r#"GET&/test&quote=%27quoted%27"#, qsh: "207a30376c594d5cde7b6e873b943f84798371d3293b7eac27e2c2a2a5d111d5" },
    Vector { id: "I11", name: "Brackets", request: r#"/test?param=%28%29"#, canonical: r#"GET&/test&param=%28%29"#, qsh: "46b9787a8983560f446f82d6143122d99e153affd5688fa45343074a091573eb" },
    Vector { id: "I12", name: "Tilde", request: r#"/test?eta=in+%7E3+days"#, canonical: r#"GET&/test&eta=in%20~3%20days"#, qsh: "5c5f97cdfe3abd8feb48f6f0240a71ef5c111289a5bf77ddf645250b3951ec63" },
    Vector { id: "I13", name: "RFC-1738 Unsafe", request: r#"/test?rfc=+%3C%3E%22%23%25%7B%7D%7C%5C%5E%7E%5B%5D%60"#, canonical: r#"GET&/test&rfc=%20%3C%3E%22%23%25%7B%7D%7C%5C%5E~%5B%5D%60"#, qsh: "36ba39c5379d752bbef1349ba58df98ecaa456b78c7c2e3245e2f33eac712a49" },
    Vector { id: "I14", name: "RFC-1738 Reserved", request: r#"/test?rfc=%3B%2F%3F%3A%40%3D%26"#, canonical: r#"GET&/test&rfc=%3B%2F%3F%3A%40%3D%26"#, qsh: "639330bc92d79373b198da697873b2f03f1a3a0c5af78cf8eea517f14960b150" },
    Vector { id: "I15", name: "RFC-1738 Special", request: r#"/test?rfc=%24-_.%2B%21*%27%28%29%2C"#, canonical: r#"GET&/test&rfc=%24-_.%2B%21%2A%27%28%29%2C"#, qsh: "0e36229cc459ff8ccb4845c11433cfbbe25bfa45e8c1ea14d2a124231cb0a2e9" },
    Vector { id: "I16", name: "RFC-3986 Unreserved", request: r#"/test?rfc=-._%7E"#, canonical: r#"GET&/test&rfc=-._~"#, qsh: "0ddf7e631c3b11e7975814ee84fec26804dc72b0a0e997871d8415cee6b78b31" },
    Vector { id: "I17", name: "RFC-3986 gen-delims", request: r#"/test?rfc=%3A%2F%3F%23%5B%5D%40"#, canonical: r#"GET&/test&rfc=%3A%2F%3F%23%5B%5D%40"#, qsh: "96041ee45ad4b8ea29bce42f3e2835490591f55e84bddbbab82151d4a1ac1a11" },
    Vector { id: "I18", name: "RFC-3986 sub-delims", request: r#"/test?rfc=%21%24%26%27%28%29*%2B%2C%3B%3D"#, canonical: r#"GET&/test&rfc=%21%24%26%27%28%29%2A%2B%2C%3B%3D"#, qsh: "b8d049874f1fe5abe274d20bdecebee8daada453191a827738eebcd759efd4e1" },
    Vector { id: "I19", name: "Empty", request: r#"/test?notmuch="#, canonical: r#"GET&/test&notmuch="#, qsh: "20fecded9951516a3447b1b556d0eb350de29770505253a30dc739502e05ddc7" },
    Vector { id: "I20", name: "Encoded", request: r#"/test?referrer=http%3A%2F%2Ffrom.net%2Fp%3Fx%3DA%2B%252B%2BB%26y%3D%2524-_.%252B%2521*%2527%2528%2529%252C"#, canonical: r#"GET&/test&referrer=http%3A%2F%2Ffrom.net%2Fp%3Fx%3DA%2B%252B%2BB%26y%3D%2524-_.%252B%2521%2A%2527%2528%2529%252C"#, qsh: "7ca81b8e4e83c2375eea7b8b50bd3786ba8b43261193a3bd3ccdfca06120ee33" },
    Vector { id: "I21", name: "Multi-value", request: r#"/test?ids=-1&ids=1&ids=10&ids=2&ids=20"#, canonical: r#"GET&/test&ids=-1,1,10,2,20"#, qsh: "a646c48741faaeb649f9ca7888ae029ead432e3806f56c4a57b80b3e2ac628a9" },
    Vector { id: "I22", name: "Multi-value II", request: r#"/test?ids=.1&ids=.2&ids=%3A1&ids=%3A2"#, canonical: r#"GET&/test&ids=.1,.2,%3A1,%3A2"#, qsh: "f0524d42e0f8661862e1f1e9add8757972a0043bb7136d641735d21874c5a056" },
    Vector { id: "I23", name: "Multi-value Unicode", request: r#"/test?chars=%E5%AE%AE&chars=%E5%B4%8E&chars=%E9%A7%BF"#, canonical: r#"GET&/test&chars=%E5%AE%AE,%E5%B4%8E,%E9%A7%BF"#, qsh: "72a7f7ce9f93157f296b86338315423d6f3b6aba5081f04bbdb6bb18218b65ee" },
    Vector { id: "I24", name: "Multi-value Empty", request: r#"/test?c=&c=+&c=%2520&c=%2B"#, canonical: r#"GET&/test&c=,%20,%2520,%2B"#, qsh: "cbbcac9a6a02f3ad96c5ab5bf876dd9f79b2c61ceec5660a1c9d73a3b102ec2c" },
    Vector { id: "I25", name: "Key RFC-1738 Unsafe", request: r#"/test?%231=value"#, canonical: r#"GET&/test&%231=value"#, qsh: "eccb4a232d50ca41ac40398675b6487a711d9e972917d8a61cbc120f9fbda597" },
    Vector { id: "I26", name: "Key RFC-1738 Reserved", request: r#"/test?%3A1=value"#, canonical: r#"GET&/test&%3A1=value"#, qsh: "6d823181a68a4952c75e4b51ad0b8d59e879859cdf977e7254545201bca8465d" },
    Vector { id: "I27", name: "Key RFC-1738 Special", request: r#"/test?%241=value"#, canonical: r#"GET&/test&%241=value"#, qsh: "a9f61f1c8250ebfb9234654e71dec233c93c16a54fe30a649dfd65badf3c0171" },
    Vector { id: "I28", name: "Multiple Parameters Simple", request: r#"/test?a=x&b=y"#, canonical: r#"GET&/test&a=x&b=y"#, qsh: "abd5de604b9d3cda44d3c7a9dd698a21259655394658a6642f87b9d825869460" },
    Vector { id: "I29", name: "Multiple Multi-value Parameters", request: r#"/test?a=x1&a=x10&b=y1&b=y10"#, canonical: r#"GET&/test&a=x1,x10&b=y1,y10"#, qsh: "310ba3ff7e1e9a8cacd33dd6172501304bf325096d81ccad449465427e58a9c4" },
    Vector { id: "I30", name: "Multiple Parameters Spaces", request: r#"/test?a=another+one&a=one+string&b=and+yet+more&b=more+here"#, canonical: r#"GET&/test&a=another%20one,one%20string&b=and%20yet%20more,more%20here"#, qsh: "700721e65385781fc1fa248220c75400f1e8a197c838ef1779f00b69bfa4a6ff" },
    Vector { id: "I31", name: "Multiple Parameters Comma-delimited", request: r#"/test?a=1%2C2%2C3&a=4%2C5%2C6&b=a%2Cb%2Cc&b=d%2Ce%2Cf"#, canonical: r#"GET&/test&a=1%2C2%2C3,4%2C5%2C6&b=a%2Cb%2Cc,d%2Ce%2Cf"#, qsh: "06b76eb63acccce2356cdfc66f4abd1e3a061c0305c9fc76b616ae71fe3b6ab5" },
    Vector { id: "I32", name: "Parameter Order", request: r#"/test?a10=1&a1=2&b1=3&b10=4"#, canonical: r#"GET&/test&a1=2&a10=1&b1=3&b10=4"#, qsh: "159cc3d3003f067c3ae263d19ded42dedd28221cce4d4757b13fc7722a24408f" },
    Vector { id: "I33", name: "Upper- and Lower-case Parameters", request: r#"/test?A=A&a=a&b=b&B=B"#, canonical: r#"GET&/test&A=A&B=B&a=a&b=b"#, qsh: "539adc2b0aef2ec8659825893b8b92e6a53c9483e2150b8185b08490d8b6de60" },
    Vector { id: "I34", name: "Search Request View", request: r#"/search-view?link=http%3A%2F%2Fion%3A2990%2Fjira%2Fsecure%2FIssueNavigator.jspa%3Freset%3Dtrue%26jqlQuery%3Dissuetype%2B%253D%2BBug&startIssue=0&totalIssues=2&endIssue=2&issues=issues%3DTEST-2%2CTEST-1&tz=Australia%2FSydney&loc=en-US&user_id=admin&user_key=admin&xdm_e=http%3A%2F%2Fion.local%3A2990&xdm_c=channel-acmodule-1564427223927602208&cp=jira&lic=none"#, canonical: r#"GET&/search-view&cp=jira&endIssue=2&issues=issues%3DTEST-2%2CTEST-1&lic=none&link=http%3A%2F%2Fion%3A2990%2Fjira%2Fsecure%2FIssueNavigator.jspa%3Freset%3Dtrue%26jqlQuery%3Dissuetype%2B%253D%2BBug&loc=en-US&startIssue=0&totalIssues=2&tz=Australia%2FSydney&user_id=admin&user_key=admin&xdm_c=channel-acmodule-1564427223927602208&xdm_e=http%3A%2F%2Fion.local%3A2990"#, qsh: "0cb74b80dd7f7793849867298ca2d889e4d8b66111b6896227bdbb490dc44ae1" },
    Vector { id: "I35", name: "BasePath only", request: r#"/test"#, canonical: r#"GET&/test&"#, qsh: "bad328fac990349a8c88393c1755bc4f984a9c387202229b8ed52e04ff7e9fec" },
    Vector { id: "I36", name: "BasePath with Delimiter", request: r#"/endsWithDelimiter/?a=b"#, canonical: r#"GET&/endsWithDelimiter&a=b"#, qsh: "8f77c6a0e6bf25041121ee44480d3c97ae9cca4b7a007ea6e1d648d9a26e5d1d" },
    Vector { id: "I37", name: "BasePath with Delimiter Only", request: r#"/endsWithDelimiter/"#, canonical: r#"GET&/endsWithDelimiter&"#, qsh: "4c799e91fc8e1be9b1f034f2191ae80cb2080b54a85e9a2464ad2f2115f8d987" },
    Vector { id: "I38", name: "BasePath RFC3986 Unreserved", request: r#"/path-._~?a=b"#, canonical: r#"GET&/path-._~&a=b"#, qsh: "5d1574ea0fd8974fa4326d87b3efec74004bf13d35395599de425327178c173b" },
    Vector { id: "I39", name: "BasePath RFC3986 Subdelimiters", request: r#"/path!$&'()*+,;=?a=b"#, canonical: r#"GET&/path!$%26'()*+,;=&a=b"#, qsh: "9ef803f9cb8dea4f7f875caff8d31e95962c6e8bd44d64a848d6ebb055b2144b" },
];

/// Secret, issuer and times of the I-vector tokens.
pub const I_SECRET: &str = "7512836e-9137-48ac-baaf-a1935b96e17a";
pub const I_ISS: &str = "jira:1234-5678-9000";
pub const I_IAT: i64 = 1466731075;
pub const I_EXP: i64 = 1466731255;
/// Complete signed URLs of I1 and I2 (app baseUrl `https://example.com`).
pub const I1_SIGNED_URL: &str = "https://example.com/test?param=value&jwt=eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJxc2giOiJiZTE2OTEwODU4YTQxZmQxOWVhNWMxYjRlOWRlY2NhOWE3ODRkMTAyNGNiMDBiMjE1OGRlZmUyZjI5ZGM4NmRkIiwiY29udGV4dCI6e30sImlzcyI6ImppcmE6MTIzNC01Njc4LTkwMDAiLCJleHAiOjE0NjY3MzEyNTUsImlhdCI6MTQ2NjczMTA3NX0.ssbmLUBemh6nQW3MH5o2fSdnOFTIKf2w0KASnnH8aXo";
pub const I2_SIGNED_URL: &str = "https://example.com/test?param=some+spaces+in+this+parameter&jwt=eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJxc2giOiJlZjQwOTdkMDUzOTVlYWYxYTEzMzk1NmYxNDAxMTZhOWM0MTFhZmFkNzY4ZDRmMDZkYWFjOWUzMDU3NjQyNjVkIiwiY29udGV4dCI6e30sImlzcyI6ImppcmE6MTIzNC01Njc4LTkwMDAiLCJleHAiOjE0NjY3MzEyNTUsImlhdCI6MTQ2NjczMTA3NX0.JGTIXMHEtxAmLlTjIUFR21IEs9b8-3QIt3VwyRB816M";

/// H1–H3 and R1.
pub const H_SECRET: &str = "test-shared-secret-0123456789abcdef";
pub const H_CLIENT_KEY: &str = "clientKey-test-0001";
pub const H_SUB: &str = "557058:test-account";
pub const H_IAT: i64 = 1700000000;
pub const H1: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJjbGllbnRLZXktdGVzdC0wMDAxIiwic3ViIjoiNTU3MDU4OnRlc3QtYWNjb3VudCIsInFzaCI6IjM1ZWNhNDA1ZDY4Y2U1NTBkYzQ0MWUxNGRjYmI1NTQ4N2M0MzVjMzQzMmU0MTU3NGNlNjI3YTBiYzlhNjZjNjQiLCJpYXQiOjE3MDAwMDAwMDAsImV4cCI6MTcwMDAwMDE4MCwiY29udGV4dCI6e319.-GqID62g4CQlxnpRdNU9LpPJPFUH_6vsKHNCiK2_aE0";
pub const H1_PATH: &str = "/admin";
pub const H1_QUERY: &str = "lic=active&xdm_e=https%3A%2F%2Fexample.atlassian.net&xdm_c=channel-admin&cp=&cv=1001.0.0-SNAPSHOT";
pub const H1_QSH: &str = "35eca405d68ce550dc441e14dcbb55487c435c3432e41574ce627a0bc9a66c64";
pub const H2: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJjbGllbnRLZXktdGVzdC0wMDAxIiwic3ViIjoiNTU3MDU4OnRlc3QtYWNjb3VudCIsInFzaCI6ImNvbnRleHQtcXNoIiwiaWF0IjoxNzAwMDAwMDAwLCJleHAiOjE3MDAwMDA5MDB9.R_moWCquK6TRIFYuBaAmOgqXYAntbFswHz5TpcwgawE";
pub const H3: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJjb20uZXhhbXBsZS5hZG1pbi1hcHAiLCJpYXQiOjE3MDAwMDAwMDAsImV4cCI6MTcwMDAwMDE4MCwicXNoIjoiOGEwNjc3ZDk2YThlN2NjN2M1MDM2YWQ3NmM3ZDNiMzYwNWVjY2Q5YTVhOTNlNTE1ZTEwMzQzZjJkZTE4Njk3NCIsImF1ZCI6WyJjbGllbnRLZXktdGVzdC0wMDAxIl19.goU26OxeyAJ3SE03v_8pWvehgR748YaUhZzJaQlTIIg";
pub const H3_APP_KEY: &str = "com.example.admin-app";
pub const H3_QSH: &str = "8a0677d96a8e7cc7c5036ad76c7d3b3605eccd9a5a93e515e10343f2de186974";
pub const R1: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiIsImtpZCI6InRlc3Qta2lkLTAwMDEifQ.eyJpc3MiOiJjbGllbnRLZXktdGVzdC0wMDAxIiwic3ViIjoiNTU3MDU4OnRlc3QtYWNjb3VudCIsImF1ZCI6Imh0dHBzOi8vYXBwLmV4YW1wbGUuY29tIiwicXNoIjoiNGEyZTFkZThjYTc0ZTZjYWZlODg2MmQzMzJmYTNhYzdhOGU1MWU2OTJiYzZkNzk4ZWE0ZGZlZGMxNDk0OGJmNCIsImlhdCI6MTcwMDAwMDAwMCwiZXhwIjoxNzAwMDAwOTAwLCJjb250ZXh0Ijp7fX0.Fffvnupa2ro7XuRn_xEBA501JTVuDGdoLfdQBrTIcQQXhxMXzK1RkAhnTJnUDoQ8_cXHF49JoGOS2LQtUcP8UHehVsgLMZDmO4te_QBnWYYA3_Df2KYilgDOn4n28fVEww8NEkWctBNROdQk1iORqe_3ZT0Oztg_meA1BIIaACHPCWmEZGtTTR3jyISLlrSOBRmjdXTDQH5kJCzqoQdvtnStKeM0WMYu6mSTDD42pskGtWDPjhjcfmhY7zahgilHAwkQI1G1_NbY6A3bF3Dg3FxBPjiO29vCCm0RjEW_50phAzxIG0MK3jVsYDD8ZwNsxuomTvDmYfQy9B1Skhr35w";
pub const R1_KID: &str = "test-kid-0001";
pub const R1_APP_BASE_URL: &str = "https://app.example.com";
pub const R1_QSH: &str = "4a2e1de8ca74e6cafe8862d332fa3ac7a8e51e692bc6d798ea4dfedc14948bf4";
pub const R1_PUBLIC_PEM: &str = include_str!("../fixtures/r1-public.pem");

/// Throwaway test keys (see `tests/fixtures/README.md`).
pub const TEST_PRIVATE_PKCS8: &str = include_str!("../fixtures/test-rsa-private-pkcs8.pem");
pub const TEST_PRIVATE_PKCS1: &str = include_str!("../fixtures/test-rsa-private-pkcs1.pem");
pub const TEST_PUBLIC: &str = include_str!("../fixtures/test-rsa-public.pem");
pub const OTHER_PUBLIC: &str = include_str!("../fixtures/other-rsa-public.pem");

/// An in-memory key server: `kid` → PEM; unknown ids answer like a 404.
pub struct FakeKeys(pub Vec<(&'static str, &'static str)>);

#[async_trait::async_trait]
impl orgwarden_connect::InstallKeys for FakeKeys {
    async fn public_key_pem(&self, kid: &str) -> Result<String, orgwarden_connect::JwtError> {
        self.0
            .iter()
            .find(|(id, _)| *id == kid)
            .map(|(_, pem)| (*pem).to_owned())
            .ok_or_else(|| {
                orgwarden_connect::JwtError::KeyUnavailable("key server answered 404".into())
            })
    }
}

/// Base64url without padding, for hand-made tokens.
pub fn b64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Decoded JSON of a token's claims part (no verification).
pub fn claims_json(token: &str) -> serde_json::Value {
    use base64::Engine as _;
    let part = token.split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

/// A hand-made HS256 token over arbitrary header and claims JSON.
pub fn hs(header: &str, claims: &serde_json::Value, secret: &str) -> String {
    use hmac::{Hmac, Mac};
    let input = format!(
        "{}.{}",
        b64(header.as_bytes()),
        b64(claims.to_string().as_bytes())
    );
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(input.as_bytes());
    format!("{input}.{}", b64(&mac.finalize().into_bytes()))
}
