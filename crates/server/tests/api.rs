//! End-to-end tests: a server on 127.0.0.1 (port 0) over a temporary store file, driven
//! by a small HTTP/1.1 client over `std::net::TcpStream`.

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::Duration;

use dyad_pipeline::Pipeline;
use dyad_server::{build_pipeline, AppState, PipelineOptions, ServerConfig};
use serde_json::{json, Value};

mod common;

const SENTENCE: &str = "China urged South Korea to resolve the situation.";

fn pipeline() -> Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| build_pipeline(&PipelineOptions::default()).unwrap().0)
        .clone()
}

/// A running server and its store file (removed on drop).
struct TestServer {
    addr: SocketAddr,
    db: PathBuf,
    _runtime: tokio::runtime::Runtime,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let mut p = self.db.clone().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(p);
        }
    }
}

fn start(config: ServerConfig) -> TestServer {
    static N: AtomicUsize = AtomicUsize::new(0);
    let db = std::env::temp_dir().join(format!(
        "dyad-server-test-{}-{}.db",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let store = dyad_store::Store::open(&db).unwrap();
    let state = AppState::new(store, pipeline(), config).unwrap();
    let (runtime, addr) = common::spawn_server(state);
    TestServer {
        addr,
        db,
        _runtime: runtime,
    }
}

struct Reply {
    status: u16,
    headers: String,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("body is not JSON ({e}): {}", self.body))
    }
}

/// Sends one request (`Connection: close`) and reads the whole reply.
fn request(addr: SocketAddr, method: &str, path: &str, body: &[u8]) -> Reply {
    let mut conn = TcpStream::connect(addr).unwrap();
    conn.set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    conn.write_all(head.as_bytes()).unwrap();
    // The server may answer (413) before reading a large body and close: write from
    // another thread and ignore its errors.
    let mut writer = conn.try_clone().unwrap();
    let body = body.to_vec();
    let sending = std::thread::spawn(move || {
        let _ = writer.write_all(&body);
    });
    let mut raw = Vec::new();
    let _ = conn.read_to_end(&mut raw);
    let _ = sending.join();
    let text = String::from_utf8(raw).unwrap();
    let (head, body) = text
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("no reply head: {text:?}"));
    let status: u16 = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad status line: {head}"));
    assert!(
        !head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked"),
        "this client reads only sized bodies"
    );
    Reply {
        status,
        headers: head.to_string(),
        body: body.to_string(),
    }
}

fn get(addr: SocketAddr, path: &str) -> Reply {
    request(addr, "GET", path, b"")
}

fn post(addr: SocketAddr, path: &str, body: &Value) -> Reply {
    request(addr, "POST", path, body.to_string().as_bytes())
}

fn assert_error(reply: &Reply, status: u16) {
    assert_eq!(reply.status, status, "{}", reply.body);
    assert!(reply.json()["error"].is_string(), "{}", reply.body);
    assert!(reply
        .headers
        .to_ascii_lowercase()
        .contains("content-type: application/json"));
}

#[test]
fn code_returns_the_jsonl_event_and_stores_nothing() {
    let server = start(ServerConfig::default());
    let reply = post(
        server.addr,
        "/v1/code",
        &json!({"text": SENTENCE, "date": "2024-03-05"}),
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    let v = reply.json();
    let events = v["events"].as_array().unwrap();
    assert_eq!(events.len(), 1, "{}", reply.body);
    let e = &events[0];
    assert_eq!(e["source"]["code"], "CHN");
    assert_eq!(e["target"]["code"], "KOR");
    assert_eq!(e["cameo"]["code"], "020");
    assert_eq!(e["date"], "2024-03-05");
    assert_eq!(e["text"], SENTENCE);
    // Keys in the JSON Lines order.
    assert!(
        reply.body.starts_with(r#"{"events":[{"event_id":"#),
        "{}",
        reply.body
    );
    // Nothing stored.
    let page = get(server.addr, "/v1/events").json();
    assert_eq!(page["events"].as_array().map(Vec::len), Some(0));
    // Same input, same bytes.
    let again = post(
        server.addr,
        "/v1/code",
        &json!({"text": SENTENCE, "date": "2024-03-05"}),
    );
    assert_eq!(again.body, reply.body);
}

#[test]
fn ingested_articles_come_back_from_events_dyads_and_series() {
    let server = start(ServerConfig::default());
    let article =
        json!({"id": "a1", "date": "2024-03-05", "title": "T", "source": "Wire", "text": SENTENCE});
    let reply = post(server.addr, "/v1/articles", &article);
    assert_eq!(reply.status, 200, "{}", reply.body);
    let r = reply.json();
    assert_eq!(r["results"][0]["status"], "inserted", "{}", reply.body);
    assert_eq!(r["results"][0]["id"], "a1");
    assert_eq!(r["results"][0]["events"], 1);

    // A list: the same article again, a new one and a bad one.
    let list = json!([
        article,
        {"id": "a2", "date": "2024-03-20", "text": SENTENCE},
        {"id": "bad", "text": ""},
        {"id": "undated", "text": SENTENCE}
    ]);
    let reply = post(server.addr, "/v1/articles", &list);
    assert_eq!(reply.status, 200, "{}", reply.body);
    let results = reply.json();
    let statuses: Vec<&str> = results["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_str().unwrap_or(""))
        .collect();
    // An undated article is stored; its event has no date, so no series counts it.
    assert_eq!(statuses, ["unchanged", "inserted", "rejected", "inserted"]);
    let undated = get(server.addr, "/v1/events?source=CHN").json();
    let dates: Vec<&Value> = undated["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["date"])
        .collect();
    assert!(dates.contains(&&Value::Null), "{undated}");

    let page = get(
        server.addr,
        "/v1/events?actor=chn&from=2024-03-01&to=2024-03-31",
    )
    .json();
    let events = page["events"].as_array().unwrap();
    assert_eq!(events.len(), 2, "{page}");
    assert_eq!(events[0]["source"], "CHN");
    assert_eq!(events[0]["target"], "KOR");
    assert_eq!(events[0]["date"], "2024-03-05");
    assert_eq!(events[0]["quad_class"], 1);
    assert!(page["next_cursor"].is_null());

    // Pagination: one per page (dated events only).
    let first = get(server.addr, "/v1/events?source=CHN&from=2024-01-01&limit=1").json();
    assert_eq!(first["events"][0]["date"], "2024-03-05");
    let cursor = first["next_cursor"].as_str().unwrap().to_string();
    let second = get(
        server.addr,
        &format!("/v1/events?source=CHN&from=2024-01-01&limit=1&cursor={cursor}"),
    )
    .json();
    assert_eq!(second["events"][0]["date"], "2024-03-20");
    let third = get(
        server.addr,
        &format!(
            "/v1/events?source=CHN&from=2024-01-01&limit=1&cursor={}",
            second["next_cursor"].as_str().unwrap_or("")
        ),
    );
    // The last page either has no cursor or an empty next page.
    if third.status == 200 {
        assert_eq!(third.json()["events"].as_array().map(Vec::len), Some(0));
    } else {
        assert_error(&third, 400);
    }
    assert_eq!(
        get(server.addr, "/v1/events?target=USA").json()["events"],
        json!([])
    );

    let series = get(server.addr, "/v1/dyads/CHN/KOR/series?interval=month").json();
    assert_eq!(
        series["buckets"].as_array().map(Vec::len),
        Some(1),
        "{series}"
    );
    assert_eq!(series["buckets"][0]["start"], "2024-03-01");
    assert_eq!(series["buckets"][0]["events"], 2);
    let daily = get(
        server.addr,
        "/v1/dyads/CHN/KOR/series?interval=day&from=2024-03-10",
    )
    .json();
    assert_eq!(
        daily["buckets"].as_array().map(Vec::len),
        Some(1),
        "{daily}"
    );
    assert_eq!(daily["buckets"][0]["start"], "2024-03-20");

    let top = get(
        server.addr,
        "/v1/dyads?from=2024-01-01&to=2024-12-31&by=mentions&limit=5",
    )
    .json();
    assert_eq!(top["dyads"][0]["source"], "CHN", "{top}");
    assert_eq!(top["dyads"][0]["mentions"], 2);

    let metrics = get(server.addr, "/metrics").body;
    assert!(
        metrics.contains("dyad_events_ingested_total 3\n"),
        "{metrics}"
    );
    assert!(
        metrics.contains("dyad_articles_ingested_total{status=\"unchanged\"} 1\n"),
        "{metrics}"
    );
    assert!(
        metrics.contains("dyad_articles_ingested_total{status=\"rejected\"} 1\n"),
        "{metrics}"
    );
}

#[test]
fn bad_requests_get_json_errors_with_the_right_status() {
    let server = start(ServerConfig::default());
    let addr = server.addr;
    assert_error(&request(addr, "POST", "/v1/code", b"{\"text\": "), 400);
    assert_error(&request(addr, "POST", "/v1/articles", b"[{]"), 400);
    assert_error(&post(addr, "/v1/code", &json!({"date": "2024-01-01"})), 400);
    assert_error(
        &post(
            addr,
            "/v1/code",
            &json!({"text": SENTENCE, "date": "2023-02-30"}),
        ),
        400,
    );
    assert_error(&post(addr, "/v1/articles", &json!("text")), 400);
    assert_error(
        &post(addr, "/v1/articles", &json!({"id": "x", "text": " "})),
        422,
    );
    assert_error(&get(addr, "/v1/events?from=2024-02-01&to=2024-01-01"), 422);
    assert_error(&get(addr, "/v1/dyads?from=2024-02-01&to=2024-01-01"), 422);
    assert_error(
        &get(
            addr,
            "/v1/dyads/CHN/KOR/series?from=2024-02-01&to=2024-01-01",
        ),
        422,
    );
    assert_error(&get(addr, "/v1/dyads/CHN/KOR/series?interval=year"), 422);
    assert_error(&get(addr, "/v1/events?root=21"), 400);
    assert_error(&get(addr, "/v1/events?limit=0"), 400);
    assert_error(&get(addr, "/v1/events?cursor=nope"), 400);
    assert_error(&get(addr, "/v1/events?colour=red"), 400);
    assert_error(&get(addr, "/v1/events?from=March"), 400);
    assert_error(&get(addr, "/v1/nothing"), 404);
    assert_error(&get(addr, "/v1/code"), 405);
}

#[test]
fn bodies_over_the_limit_get_413() {
    let server = start(ServerConfig::default());
    let mut big = Vec::with_capacity(dyad_server::DEFAULT_BODY_LIMIT + 64);
    big.extend_from_slice(b"{\"text\":\"");
    big.resize(dyad_server::DEFAULT_BODY_LIMIT + 16, b'a');
    big.extend_from_slice(b"\"}");
    assert_error(&request(server.addr, "POST", "/v1/code", &big), 413);
    // The limit itself is configurable.
    let small = start(ServerConfig {
        body_limit: 100,
        ..ServerConfig::default()
    });
    let text = "x".repeat(200);
    assert_error(
        &post(small.addr, "/v1/articles", &json!({"text": text})),
        413,
    );
    assert_eq!(
        post(small.addr, "/v1/code", &json!({"text": SENTENCE})).status,
        200
    );
}

#[test]
fn health_metrics_index_and_openapi() {
    let server = start(ServerConfig::default());
    let health = get(server.addr, "/healthz");
    assert_eq!(health.status, 200);
    assert_eq!(health.json()["status"], "ok");
    let _ = get(server.addr, "/nowhere");
    let metrics = get(server.addr, "/metrics");
    assert_eq!(metrics.status, 200);
    assert!(metrics.headers.contains("text/plain"));
    assert!(metrics
        .body
        .contains("# TYPE dyad_http_requests_total counter"));
    assert!(
        metrics
            .body
            .contains("dyad_http_requests_total{route=\"/healthz\",status=\"200\"} 1\n"),
        "{}",
        metrics.body
    );
    assert!(metrics
        .body
        .contains("dyad_http_requests_total{route=\"unmatched\",status=\"404\"} 1\n"));
    assert!(metrics
        .body
        .contains("dyad_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"+Inf\"} 1\n"));

    let index = get(server.addr, "/v1").json();
    assert!(index["routes"].as_array().is_some_and(|r| r.len() >= 8));

    let doc = get(server.addr, "/v1/openapi.json");
    assert_eq!(doc.status, 200);
    let doc = doc.json();
    assert!(doc["openapi"]
        .as_str()
        .is_some_and(|v| v.starts_with("3.0")));
    for route in [
        "/v1/code",
        "/v1/articles",
        "/v1/events",
        "/v1/dyads",
        "/v1/dyads/{source}/{target}/series",
        "/healthz",
        "/metrics",
        "/v1/openapi.json",
    ] {
        assert!(
            doc["paths"][route].is_object(),
            "openapi.json lacks {route}"
        );
    }
}

#[test]
fn slow_requests_time_out_with_503() {
    // A timeout shorter than any coding call: the client gets 503, not a hang.
    let server = start(ServerConfig {
        request_timeout: Duration::from_nanos(1),
        ..ServerConfig::default()
    });
    let long = SENTENCE.repeat(200);
    assert_error(&post(server.addr, "/v1/code", &json!({"text": long})), 503);
}

#[test]
fn events_carry_their_evidence_and_series_follow_ingests() {
    let server = start(ServerConfig::default());
    let article = json!({"id": "e1", "date": "2024-03-05", "title": "T", "url": "http://x/1",
                         "source": "Wire", "text": SENTENCE});
    assert_eq!(post(server.addr, "/v1/articles", &article).status, 200);
    let series = get(server.addr, "/v1/dyads/CHN/KOR/series").json();
    assert_eq!(series["buckets"][0]["events"], 1, "{series}");

    let page = get(server.addr, "/v1/events?source=CHN&evidence=true").json();
    let ev = &page["events"][0]["evidence"];
    assert_eq!(ev["article"], "e1", "{page}");
    assert_eq!(ev["title"], "T");
    assert_eq!(ev["outlet"], "Wire");
    assert_eq!(ev["text"], SENTENCE);
    // Each span is the character range of its words in the sentence.
    let text: Vec<char> = SENTENCE.chars().collect();
    for (role, words) in [
        ("source", "China"),
        ("verb", "urged"),
        ("target", "South Korea"),
    ] {
        assert_eq!(ev[role]["text"], words, "{role}: {ev}");
        let span = ev[role]["span"].as_array().unwrap();
        let (s, e) = (
            span[0].as_u64().unwrap() as usize,
            span[1].as_u64().unwrap() as usize,
        );
        assert_eq!(text[s..e].iter().collect::<String>(), words, "{role}");
    }
    // Without the flag, no evidence key.
    let plain = get(server.addr, "/v1/events?source=CHN").json();
    assert!(plain["events"][0].get("evidence").is_none(), "{plain}");
    assert_error(&get(server.addr, "/v1/events?evidence=yes"), 400);
    assert_error(&get(server.addr, "/v1/events?evidence=true&limit=501"), 400);

    // A second article the same month: the (cached) series answer follows at once.
    let more = json!({"id": "e2", "date": "2024-03-09", "text": SENTENCE});
    assert_eq!(post(server.addr, "/v1/articles", &more).status, 200);
    let series = get(server.addr, "/v1/dyads/CHN/KOR/series").json();
    assert_eq!(series["buckets"][0]["events"], 2, "{series}");
    let top = get(server.addr, "/v1/dyads").json();
    assert_eq!(top["dyads"][0]["events"], 2, "{top}");
}

#[test]
fn the_dashboard_and_its_assets_are_served() {
    let server = start(ServerConfig::default());
    let page = get(server.addr, "/");
    assert_eq!(page.status, 200);
    assert!(page
        .headers
        .to_ascii_lowercase()
        .contains("content-type: text/html"));
    assert!(page
        .headers
        .to_ascii_lowercase()
        .contains("content-security-policy: default-src 'none'"));
    assert!(page.body.contains(r#"<script src="/assets/dashboard.js""#));
    let js = get(server.addr, "/assets/dashboard.js");
    assert_eq!(js.status, 200);
    assert!(js.headers.contains("text/javascript"));
    assert!(js.body.contains("/v1/dyads"));
    let css = get(server.addr, "/assets/dashboard.css");
    assert_eq!(css.status, 200);
    assert!(css.headers.contains("text/css"));
    assert_error(&get(server.addr, "/assets/nothing.js"), 404);
}

#[test]
fn the_demo_sample_is_stored_whole_and_gives_series() {
    let server = start(ServerConfig::default());
    let articles: Vec<Value> = dyad_server::DEMO_ARTICLES
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let reply = post(server.addr, "/v1/articles", &Value::Array(articles.clone()));
    assert_eq!(reply.status, 200, "{}", reply.body);
    let results = reply.json();
    let results = results["results"].as_array().unwrap();
    assert_eq!(results.len(), articles.len());
    assert!(
        results.iter().all(|r| r["status"] == "inserted"),
        "{results:?}"
    );
    let events: u64 = results.iter().filter_map(|r| r["events"].as_u64()).sum();
    assert!(
        events >= 2 * articles.len() as u64 - 10,
        "only {events} events"
    );
    // The busiest dyad is active in several months, so its chart has several points.
    let top = get(server.addr, "/v1/dyads?limit=1").json();
    let (s, t) = (
        top["dyads"][0]["source"].as_str().unwrap(),
        top["dyads"][0]["target"].as_str().unwrap(),
    );
    let series = get(
        server.addr,
        &format!("/v1/dyads/{s}/{t}/series?interval=month"),
    )
    .json();
    assert!(
        series["buckets"].as_array().is_some_and(|b| b.len() >= 3),
        "{series}"
    );
}
