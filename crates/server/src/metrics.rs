//! Request counters and latency histograms, rendered in the Prometheus text format.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds of the latency histogram buckets, in seconds (`+Inf` is implied).
pub const LATENCY_BUCKETS: [f64; 10] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 5.0, 30.0];

#[derive(Default)]
struct Histogram {
    /// Observations per bucket (not cumulative); the last slot is `+Inf`.
    counts: [u64; LATENCY_BUCKETS.len() + 1],
    sum: f64,
    count: u64,
}

/// What the server counts. Shared by all requests; cheap to update.
#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, u16), u64>>,
    latency: Mutex<BTreeMap<String, Histogram>>,
    events_ingested: AtomicU64,
    articles: [AtomicU64; 4],
}

/// What happened to an article sent to `POST /v1/articles`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArticleStatus {
    /// Stored for the first time.
    Inserted,
    /// Stored with other text or another coder version: its events were replaced.
    Replaced,
    /// Already stored with the same text and coder version.
    Unchanged,
    /// Not stored (reason given in the response).
    Rejected,
}

impl ArticleStatus {
    const ALL: [ArticleStatus; 4] = [
        ArticleStatus::Inserted,
        ArticleStatus::Replaced,
        ArticleStatus::Unchanged,
        ArticleStatus::Rejected,
    ];

    /// The name used in responses and metric labels.
    pub fn name(self) -> &'static str {
        match self {
            ArticleStatus::Inserted => "inserted",
            ArticleStatus::Replaced => "replaced",
            ArticleStatus::Unchanged => "unchanged",
            ArticleStatus::Rejected => "rejected",
        }
    }
}

impl Metrics {
    /// Counts one finished request of `route` (the route pattern, not the raw path).
    pub fn record_request(&self, route: &str, status: u16, elapsed: Duration) {
        if let Ok(mut m) = self.requests.lock() {
            *m.entry((route.to_string(), status)).or_insert(0) += 1;
        }
        let secs = elapsed.as_secs_f64();
        if let Ok(mut m) = self.latency.lock() {
            let h = m.entry(route.to_string()).or_default();
            let slot = LATENCY_BUCKETS
                .iter()
                .position(|&le| secs <= le)
                .unwrap_or(LATENCY_BUCKETS.len());
            if let Some(c) = h.counts.get_mut(slot) {
                *c += 1;
            }
            h.sum += secs;
            h.count += 1;
        }
    }

    /// Counts an article sent for ingest, and the events stored with it.
    pub fn record_article(&self, status: ArticleStatus, events: u64) {
        if let Some(c) = self.articles.get(status as usize) {
            c.fetch_add(1, Ordering::Relaxed);
        }
        if matches!(status, ArticleStatus::Inserted | ArticleStatus::Replaced) {
            self.events_ingested.fetch_add(events, Ordering::Relaxed);
        }
    }

    /// Events stored so far by this process.
    pub fn events_ingested(&self) -> u64 {
        self.events_ingested.load(Ordering::Relaxed)
    }

    /// The Prometheus text exposition (format 0.0.4) of every metric.
    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str(
            "# HELP dyad_http_requests_total HTTP requests answered, by route and status.\n",
        );
        out.push_str("# TYPE dyad_http_requests_total counter\n");
        if let Ok(m) = self.requests.lock() {
            for ((route, status), n) in m.iter() {
                let _ = writeln!(
                    out,
                    "dyad_http_requests_total{{route=\"{}\",status=\"{status}\"}} {n}",
                    escape(route)
                );
            }
        }
        out.push_str(
            "# HELP dyad_http_request_duration_seconds Time to answer a request, by route.\n",
        );
        out.push_str("# TYPE dyad_http_request_duration_seconds histogram\n");
        if let Ok(m) = self.latency.lock() {
            for (route, h) in m.iter() {
                let route = escape(route);
                let mut cumulative = 0u64;
                for (i, n) in h.counts.iter().enumerate() {
                    cumulative += n;
                    let le = match LATENCY_BUCKETS.get(i) {
                        Some(b) => b.to_string(),
                        None => "+Inf".to_string(),
                    };
                    let _ = writeln!(
                        out,
                        "dyad_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{le}\"}} {cumulative}"
                    );
                }
                let _ = writeln!(
                    out,
                    "dyad_http_request_duration_seconds_sum{{route=\"{route}\"}} {}",
                    h.sum
                );
                let _ = writeln!(
                    out,
                    "dyad_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                    h.count
                );
            }
        }
        out.push_str("# HELP dyad_events_ingested_total Coded events stored with inserted or replaced articles.\n");
        out.push_str("# TYPE dyad_events_ingested_total counter\n");
        let _ = writeln!(out, "dyad_events_ingested_total {}", self.events_ingested());
        out.push_str("# HELP dyad_articles_ingested_total Articles sent for ingest, by outcome.\n");
        out.push_str("# TYPE dyad_articles_ingested_total counter\n");
        for status in ArticleStatus::ALL {
            let n = self
                .articles
                .get(status as usize)
                .map_or(0, |c| c.load(Ordering::Relaxed));
            let _ = writeln!(
                out,
                "dyad_articles_ingested_total{{status=\"{}\"}} {n}",
                status.name()
            );
        }
        out
    }
}

/// Escapes a label value (backslash, double quote, newline).
fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_is_cumulative_and_counts_match() {
        let m = Metrics::default();
        m.record_request("/healthz", 200, Duration::from_micros(500));
        m.record_request("/healthz", 200, Duration::from_millis(20));
        m.record_request("/healthz", 404, Duration::from_secs(100));
        let text = m.render();
        assert!(text.contains("dyad_http_requests_total{route=\"/healthz\",status=\"200\"} 2\n"));
        assert!(text.contains("dyad_http_requests_total{route=\"/healthz\",status=\"404\"} 1\n"));
        assert!(text.contains("_bucket{route=\"/healthz\",le=\"0.001\"} 1\n"));
        assert!(text.contains("_bucket{route=\"/healthz\",le=\"0.025\"} 2\n"));
        assert!(text.contains("_bucket{route=\"/healthz\",le=\"30\"} 2\n"));
        assert!(text.contains("_bucket{route=\"/healthz\",le=\"+Inf\"} 3\n"));
        assert!(text.contains("dyad_http_request_duration_seconds_count{route=\"/healthz\"} 3\n"));
    }

    #[test]
    fn only_stored_articles_add_events() {
        let m = Metrics::default();
        m.record_article(ArticleStatus::Inserted, 3);
        m.record_article(ArticleStatus::Unchanged, 5);
        m.record_article(ArticleStatus::Rejected, 0);
        assert_eq!(m.events_ingested(), 3);
        let text = m.render();
        assert!(text.contains("dyad_articles_ingested_total{status=\"unchanged\"} 1\n"));
        assert!(text.contains("dyad_events_ingested_total 3\n"));
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
