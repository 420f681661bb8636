//! A tiny HTTP/1.1 server for the Admin client tests: every request is recorded and answered by
//! a closure, which may also drop the connection or answer late.

#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use orgwarden_atlassian::{AdminClient, AdminClientConfig, ApiKey};
use parking_lot::Mutex;
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::Instant;

/// The key every test client uses; tests assert it never leaks.
pub const KEY: &str = "sEcReT-KeY-0123456789";

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    /// Raw path and query, exactly as sent (percent-encoding intact).
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub at: Instant,
}

impl Seen {
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or_default()
    }
    pub fn query(&self, name: &str) -> Option<String> {
        let (_, q) = self.target.split_once('?')?;
        form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
}

/// How to answer.
pub enum Reply {
    /// Status, JSON body, extra headers.
    Json(u16, Value, Vec<(&'static str, String)>),
    /// Status without body.
    Empty(u16),
    /// Close the socket without answering.
    Reset,
    /// Wait, then answer.
    Late(Duration, Box<Reply>),
}

impl Reply {
    pub fn ok(body: Value) -> Self {
        Reply::Json(200, body, vec![])
    }
    pub fn status(status: u16, body: Value) -> Self {
        Reply::Json(status, body, vec![])
    }
}

type Handler = dyn Fn(&Seen) -> Reply + Send + Sync;

/// A running fake server.
pub struct Fake {
    pub url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Fake {
    pub async fn start(handler: impl Fn(&Seen) -> Reply + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let log = seen.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(serve(socket, handler.clone(), log.clone()));
            }
        });
        Fake { url, seen }
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().clone()
    }

    pub fn client(&self) -> AdminClient {
        self.client_with(|_| {})
    }

    pub fn client_with(&self, tune: impl FnOnce(&mut AdminClientConfig)) -> AdminClient {
        let mut config = AdminClientConfig::new(self.url.clone());
        config.requests_per_second = 1000.0;
        config.burst = 100;
        config.max_retries = 4;
        config.timeout = Duration::from_secs(5);
        tune(&mut config);
        AdminClient::new(reqwest::Client::new(), config, ApiKey::new(KEY))
    }
}

async fn serve(socket: TcpStream, handler: Arc<Handler>, log: Arc<Mutex<Vec<Seen>>>) {
    let mut reader = BufReader::new(socket);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
            return;
        }
        let mut parts = line.split_whitespace();
        let method = parts.next().unwrap_or_default().to_owned();
        let target = parts.next().unwrap_or_default().to_owned();
        let mut headers = Vec::new();
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h).await.unwrap_or(0) == 0 {
                return;
            }
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                headers.push((k.trim().to_lowercase(), v.trim().to_owned()));
            }
        }
        let length: usize = headers
            .iter()
            .find(|(k, _)| k == "content-length")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).await.is_err() {
            return;
        }
        let seen = Seen {
            method,
            target,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
            at: Instant::now(),
        };
        log.lock().push(seen.clone());
        let mut reply = handler(&seen);
        while let Reply::Late(wait, inner) = reply {
            tokio::time::sleep(wait).await;
            reply = *inner;
        }
        let (status, body, extra) = match reply {
            Reply::Json(status, body, extra) => (status, body.to_string(), extra),
            Reply::Empty(status) => (status, String::new(), vec![]),
            Reply::Reset | Reply::Late(..) => return,
        };
        let mut head = format!(
            "HTTP/1.1 {status} Fake\r\ncontent-length: {}\r\n",
            body.len()
        );
        if !body.is_empty() {
            head.push_str("content-type: application/json\r\n");
        }
        for (k, v) in extra {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        let socket = reader.get_mut();
        if socket.write_all(head.as_bytes()).await.is_err()
            || socket.write_all(body.as_bytes()).await.is_err()
        {
            return;
        }
    }
}
