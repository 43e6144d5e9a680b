//! The route handlers.

use std::collections::BTreeMap;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{MatchedPath, Path, Query, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use dyad_io::output::{Deduplicator, EventRecord, EventWriter as _, JsonlWriter};
use dyad_io::{Article, Location};
use dyad_ontology::QuadClass;
use dyad_store::{
    ArticleInput, DateRange, EventInput, EventQuery, IngestOutcome, Interval, Mention, RankBy,
    Reader, StoredEvent, MAX_LIMIT,
};
use dyad_types::Date;

use crate::error::ApiError;
use crate::metrics::ArticleStatus;
use crate::AppState;

/// The OpenAPI 3.0 description of the API.
pub(crate) const OPENAPI: &str = include_str!("openapi.json");

type ApiResult<T> = Result<T, ApiError>;

/// Counts every request and bounds its time: past the configured timeout the client gets
/// 503 with a JSON error (the work of a blocking store call finishes in the background).
pub(crate) async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |p| p.as_str().to_string());
    let timeout = state.inner.config.request_timeout;
    let response = match tokio::time::timeout(timeout, next.run(req)).await {
        Ok(r) => r,
        Err(_) => ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("request timed out after {} s", timeout.as_secs_f64()),
        )
        .into_response(),
    };
    state
        .inner
        .metrics
        .record_request(&route, response.status().as_u16(), started.elapsed());
    response
}

/// Runs blocking work (coding, SQLite) off the async threads.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> ApiResult<T> + Send + 'static,
) -> ApiResult<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::internal(format!("worker failed: {e}")))?
}

fn body_bytes(body: Result<Bytes, BytesRejection>) -> ApiResult<Bytes> {
    body.map_err(|r| {
        let status = r.status();
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(status, "request body is over the size limit".to_string())
        } else {
            ApiError::new(status, r.body_text())
        }
    })
}

fn parse_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> ApiResult<T> {
    serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("malformed JSON body: {e}")))
}

fn parse_date(field: &str, s: &str) -> ApiResult<Date> {
    Date::parse_iso(s).map_err(|e| ApiError::bad_request(format!("{field}: {e}")))
}

/// Query parameters, checked against the names a route accepts.
struct Params(BTreeMap<String, String>);

impl Params {
    fn new(
        query: Result<Query<Vec<(String, String)>>, QueryRejection>,
        allowed: &[&str],
    ) -> ApiResult<Params> {
        let Query(pairs) = query.map_err(|r| ApiError::bad_request(r.body_text()))?;
        let mut map = BTreeMap::new();
        for (k, v) in pairs {
            if !allowed.contains(&k.as_str()) {
                return Err(ApiError::bad_request(format!(
                    "unknown parameter {k:?} (accepted: {})",
                    allowed.join(", ")
                )));
            }
            if map.insert(k.clone(), v).is_some() {
                return Err(ApiError::bad_request(format!(
                    "parameter {k:?} given twice"
                )));
            }
        }
        Ok(Params(map))
    }

    fn text(&self, key: &str) -> ApiResult<Option<String>> {
        match self.0.get(key) {
            Some(v) if v.is_empty() => {
                Err(ApiError::bad_request(format!("parameter {key:?} is empty")))
            }
            v => Ok(v.cloned()),
        }
    }

    fn number<T>(&self, key: &str, min: T, max: T) -> ApiResult<Option<T>>
    where
        T: std::str::FromStr + PartialOrd + std::fmt::Display + Copy,
    {
        let Some(v) = self.0.get(key) else {
            return Ok(None);
        };
        match v.parse::<T>() {
            Ok(n) if n >= min && n <= max => Ok(Some(n)),
            _ => Err(ApiError::bad_request(format!(
                "parameter {key:?} must be an integer from {min} to {max}, not {v:?}"
            ))),
        }
    }

    /// `from` and `to`; a range that ends before it starts is a 422.
    fn dates(&self) -> ApiResult<DateRange> {
        let from = self
            .0
            .get("from")
            .map(|s| parse_date("from", s))
            .transpose()?;
        let to = self.0.get("to").map(|s| parse_date("to", s)).transpose()?;
        if let (Some(f), Some(t)) = (from, to) {
            if f > t {
                return Err(ApiError::unprocessable(format!(
                    "impossible date range: from {f} is after to {t}"
                )));
            }
        }
        Ok(DateRange { from, to })
    }
}

fn reader(state: &AppState) -> ApiResult<Reader> {
    state.inner.store.reader().map_err(ApiError::from)
}

/// `GET /v1`: the routes.
pub(crate) async fn index() -> Json<Value> {
    Json(json!({
        "service": "dyad",
        "version": env!("CARGO_PKG_VERSION"),
        "dashboard": "/",
        "routes": [
            "POST /v1/code",
            "POST /v1/articles",
            "GET /v1/events",
            "GET /v1/dyads",
            "GET /v1/dyads/{source}/{target}/series",
            "GET /v1/openapi.json",
            "GET /healthz",
            "GET /metrics"
        ]
    }))
}

/// `GET /healthz`: 200 when a reader can be opened on the store.
pub(crate) async fn healthz(State(state): State<AppState>) -> ApiResult<Json<Value>> {
    blocking(move || reader(&state).map(drop)).await?;
    Ok(Json(json!({ "status": "ok" })))
}

/// `GET /metrics`: Prometheus text.
pub(crate) async fn metrics(State(state): State<AppState>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.inner.metrics.render(),
    )
        .into_response()
}

/// `GET /v1/openapi.json`.
pub(crate) async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

/// Unknown route: 404.
pub(crate) async fn not_found(req: Request) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        format!("no route for {} {}", req.method(), req.uri().path()),
    )
}

/// Known route, wrong method: 405.
pub(crate) async fn method_not_allowed(req: Request) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        format!(
            "method {} is not allowed on {}",
            req.method(),
            req.uri().path()
        ),
    )
}

#[derive(Deserialize)]
struct CodeRequest {
    text: String,
    #[serde(default)]
    date: Option<String>,
}

/// `POST /v1/code`: codes a text; returns its events in the JSON Lines format's objects
/// (`{"events": [...]}`), storing nothing.
pub(crate) async fn code(
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    let body = body_bytes(body)?;
    let req: CodeRequest = parse_json(&body)?;
    if req.text.trim().is_empty() {
        return Err(ApiError::bad_request("text is empty"));
    }
    let date = req
        .date
        .as_deref()
        .map(|d| parse_date("date", d))
        .transpose()?;
    let json = blocking(move || {
        let mut article = Article::new("request", req.text, Location::new("request", 1));
        article.date = date;
        article.date_missing = date.is_none();
        code_to_jsonl(&state, &article)
    })
    .await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], json).into_response())
}

/// Codes `article` as `dyad code` does (one event per date, source, target and code) and
/// writes `{"events":[...]}` with the JSON Lines objects, byte for byte.
fn code_to_jsonl(state: &AppState, article: &Article) -> ApiResult<String> {
    let coding = state.inner.pipeline.code_text(&article.text, article.date);
    let mut writer = JsonlWriter::new(Vec::new());
    let mut dedup = Deduplicator::new(false);
    for s in &coding.sentences {
        for (n, event) in s.coding.events.iter().enumerate() {
            let mut record =
                EventRecord::new(article, s.index, &s.parsed.text, s.start_char, event, n);
            record.plover_mode = dyad_pipeline::auxiliary_mode(&s.parsed, event);
            if dedup.keep(&record) {
                writer
                    .write(&record)
                    .map_err(|e| ApiError::internal(format!("cannot write an event: {e}")))?;
            }
        }
    }
    writer
        .finish()
        .map_err(|e| ApiError::internal(format!("cannot write an event: {e}")))?;
    let lines = String::from_utf8(writer.into_inner())
        .map_err(|e| ApiError::internal(format!("event output is not UTF-8: {e}")))?;
    let mut out = String::with_capacity(lines.len() + 16);
    out.push_str("{\"events\":[");
    for (i, line) in lines.lines().filter(|l| !l.is_empty()).enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(line);
    }
    out.push_str("]}");
    Ok(out)
}

#[derive(Deserialize)]
struct ArticleRequest {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    title: Option<String>,
    text: String,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    source: Option<String>,
}

/// One article's line in the response of `POST /v1/articles`.
pub(crate) struct ArticleResult {
    id: Option<String>,
    status: ArticleStatus,
    events: usize,
    error: Option<String>,
}

impl ArticleResult {
    fn rejected(id: Option<String>, error: String) -> ArticleResult {
        ArticleResult {
            id,
            status: ArticleStatus::Rejected,
            events: 0,
            error: Some(error),
        }
    }

    fn to_json(&self, index: usize) -> ResultOut<'_> {
        ResultOut {
            index,
            id: self.id.as_deref(),
            status: self.status.name(),
            events: self.events,
            error: self.error.as_deref(),
        }
    }
}

/// What became of one article given to [`AppState::ingest_articles`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IngestReport {
    /// The article's id (given, or `fnv-` + the hash of its text); `None` when the value
    /// was not an article and had no `id`.
    pub id: Option<String>,
    /// Inserted, replaced, unchanged or rejected.
    pub status: ArticleStatus,
    /// Events coded from it (0 when rejected).
    pub events: usize,
    /// Why it was rejected.
    pub error: Option<String>,
}

impl From<ArticleResult> for IngestReport {
    fn from(r: ArticleResult) -> IngestReport {
        IngestReport {
            id: r.id,
            status: r.status,
            events: r.events,
            error: r.error,
        }
    }
}

/// One line of the response of `POST /v1/articles` (keys in this order).
#[derive(Serialize)]
struct ResultOut<'a> {
    index: usize,
    id: Option<&'a str>,
    status: &'static str,
    events: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
}

/// Checks one article of the request; `Err` is the reason to reject it.
fn article_input(
    value: Value,
    coder_version: &str,
) -> Result<ArticleInput, (Option<String>, String)> {
    let id_hint = value.get("id").and_then(Value::as_str).map(str::to_string);
    let req: ArticleRequest = serde_json::from_value(value)
        .map_err(|e| (id_hint.clone(), format!("not an article: {e}")))?;
    if req.text.trim().is_empty() {
        return Err((req.id, "text is empty".into()));
    }
    let date = match req.date.as_deref() {
        Some(d) => Some(Date::parse_iso(d).map_err(|e| (req.id.clone(), format!("date: {e}")))?),
        None => None,
    };
    let id = match req.id {
        Some(id) if id.trim().is_empty() => return Err((Some(id), "id is empty".into())),
        Some(id) => id,
        // Without an id, the text names the article: sending it again changes nothing.
        None => format!("fnv-{:016x}", dyad_store::content_hash(&req.text)),
    };
    Ok(ArticleInput {
        id,
        date,
        title: req.title.unwrap_or_default(),
        url: req.url.unwrap_or_default(),
        source: req.source.unwrap_or_default(),
        text: req.text,
        sentences: Vec::new(),
        events: Vec::new(),
        coder_version: coder_version.to_string(),
    })
}

/// `POST /v1/articles`: codes and stores one article (an object) or several (an array).
/// Answers 200 with a status per article when at least one was stored (or the list is
/// empty), 422 when every article was rejected.
pub(crate) async fn articles(
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    let body = body_bytes(body)?;
    let value: Value = parse_json(&body)?;
    let items = match value {
        Value::Array(items) => items,
        Value::Object(_) => vec![value],
        _ => {
            return Err(ApiError::bad_request(
                "the body must be an article object or an array of them",
            ))
        }
    };
    let results = blocking(move || ingest(&state, items)).await?;
    let all_rejected =
        !results.is_empty() && results.iter().all(|r| r.status == ArticleStatus::Rejected);
    let status = if all_rejected {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    #[derive(Serialize)]
    struct IngestOut<'a> {
        #[serde(skip_serializing_if = "Option::is_none")]
        error: Option<&'static str>,
        results: Vec<ResultOut<'a>>,
    }
    let out = IngestOut {
        error: all_rejected.then_some("no article could be stored"),
        results: results
            .iter()
            .enumerate()
            .map(|(i, r)| r.to_json(i))
            .collect(),
    };
    let body = serde_json::to_vec(&out).map_err(|e| ApiError::internal(e.to_string()))?;
    Ok((status, [(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// Codes the articles and stores them in one transaction; when that fails on an article,
/// stores them one by one so that each gets its own status.
pub(crate) fn ingest(state: &AppState, items: Vec<Value>) -> ApiResult<Vec<ArticleResult>> {
    let inner = &state.inner;
    let mut results: Vec<Option<ArticleResult>> = Vec::with_capacity(items.len());
    let mut inputs: Vec<(usize, ArticleInput)> = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        match article_input(item, &inner.config.coder_version) {
            Ok(mut input) => {
                let coding = inner.pipeline.code_text(&input.text, input.date);
                for s in coding.sentences {
                    for event in s.coding.events {
                        input.events.push(EventInput {
                            sentence: input.sentences.len(),
                            event,
                        });
                    }
                    input.sentences.push(s.parsed.text);
                }
                results.push(None);
                inputs.push((i, input));
            }
            Err((id, reason)) => results.push(Some(ArticleResult::rejected(id, reason))),
        }
    }
    if !inputs.is_empty() {
        let mut writer = inner
            .writer
            .lock()
            .map_err(|_| ApiError::internal("the store writer is unusable after a failure"))?;
        let batch: Vec<ArticleInput> = inputs.iter().map(|(_, a)| a.clone()).collect();
        let outcomes: Vec<Result<IngestOutcome, dyad_store::Error>> =
            match writer.ingest_batch(&batch) {
                Ok(outcomes) => outcomes.into_iter().map(Ok).collect(),
                Err(_) => batch.iter().map(|a| writer.ingest(a)).collect(),
            };
        // Whatever was committed, cached aggregates may now be out of date.
        inner.cache.invalidate();
        for ((i, input), outcome) in inputs.iter().zip(outcomes) {
            let result = match outcome {
                Ok(o) => ArticleResult {
                    id: Some(input.id.clone()),
                    status: match o {
                        IngestOutcome::Inserted => ArticleStatus::Inserted,
                        IngestOutcome::Replaced => ArticleStatus::Replaced,
                        IngestOutcome::Unchanged => ArticleStatus::Unchanged,
                    },
                    events: input.events.len(),
                    error: None,
                },
                Err(e) => {
                    let api = ApiError::from(e);
                    if api.status == StatusCode::INTERNAL_SERVER_ERROR {
                        return Err(api);
                    }
                    ArticleResult::rejected(Some(input.id.clone()), api.message)
                }
            };
            if let Some(slot) = results.get_mut(*i) {
                *slot = Some(result);
            }
        }
    }
    let results: Vec<ArticleResult> = results
        .into_iter()
        .map(|r| r.unwrap_or_else(|| ArticleResult::rejected(None, "not processed".into())))
        .collect();
    for r in &results {
        inner.metrics.record_article(r.status, r.events as u64);
    }
    Ok(results)
}

/// A stored event as the API writes it (keys in this order).
#[derive(Serialize)]
struct EventOut<'a> {
    id: i64,
    /// Null for an event stored without a date.
    date: Option<String>,
    source: &'a str,
    target: &'a str,
    code: &'a str,
    root: Option<u8>,
    quad_class: Option<u8>,
    goldstein: Option<f64>,
    mentions: u64,
    sources: u64,
    articles: u64,
    /// Only with `evidence=true`: the first mention, or null when there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    evidence: Option<Option<EvidenceOut<'a>>>,
}

/// Largest page `GET /v1/events` returns with `evidence=true` (one more query per event).
const MAX_EVIDENCE_LIMIT: usize = 500;

/// The words of a sentence that named an actor or the verb.
#[derive(Serialize)]
struct SpanOut {
    text: Option<String>,
    span: Option<[usize; 2]>,
}

/// The first mention of an event: where it was read and what the coder saw.
#[derive(Serialize)]
struct EvidenceOut<'a> {
    article: &'a str,
    title: &'a str,
    url: &'a str,
    outlet: &'a str,
    sentence: usize,
    text: &'a str,
    source: SpanOut,
    verb: SpanOut,
    target: SpanOut,
    pattern: &'a str,
    pattern_entry: Option<String>,
}

/// The characters `span` covers in `text` (spans count Unicode scalar values); `None`
/// when the span is unknown or does not fit in the text.
fn span_out(text: &str, span: Option<dyad_types::CharSpan>) -> SpanOut {
    let Some(span) = span else {
        return SpanOut {
            text: None,
            span: None,
        };
    };
    let words: Option<String> = (span.start <= span.end)
        .then(|| {
            text.chars()
                .skip(span.start)
                .take(span.end - span.start)
                .collect()
        })
        .filter(|w: &String| w.chars().count() == span.end - span.start);
    SpanOut {
        span: words.is_some().then_some([span.start, span.end]),
        text: words,
    }
}

fn evidence_json(m: &Mention) -> EvidenceOut<'_> {
    let text = m.sentence_text.as_str();
    EvidenceOut {
        article: &m.article,
        title: &m.title,
        url: &m.url,
        outlet: &m.outlet,
        sentence: m.sentence,
        text,
        source: span_out(text, m.event.source.span),
        verb: span_out(text, m.event.verb_span),
        target: span_out(text, m.event.target.span),
        pattern: &m.event.pattern,
        pattern_entry: m.event.pattern_entry.as_ref().map(ToString::to_string),
    }
}

fn event_json(e: &StoredEvent) -> EventOut<'_> {
    EventOut {
        id: e.id.0,
        date: e.date.get().map(|d| d.to_string()),
        source: &e.source,
        target: &e.target,
        code: &e.code,
        root: e.root,
        quad_class: e.quad.map(QuadClass::number),
        goldstein: e.goldstein,
        mentions: e.mentions,
        sources: e.sources,
        articles: e.articles,
        evidence: None,
    }
}

/// `GET /v1/events`: filtered events, one page at a time.
pub(crate) async fn events(
    State(state): State<AppState>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> ApiResult<Json<Value>> {
    let p = Params::new(
        query,
        &[
            "actor", "source", "target", "country", "code", "root", "quad", "from", "to", "limit",
            "cursor", "evidence",
        ],
    )?;
    let q = EventQuery {
        actor: p.text("actor")?,
        source: p.text("source")?,
        target: p.text("target")?,
        country: p.text("country")?,
        code: p.text("code")?,
        root: p.number::<u8>("root", 1, 20)?,
        quad: p
            .number::<u8>("quad", 1, 4)?
            .and_then(QuadClass::from_number),
        dates: p.dates()?,
        limit: p.number::<usize>("limit", 1, MAX_LIMIT)?.unwrap_or(100),
        after: p
            .text("cursor")?
            .map(|c| c.parse().map_err(ApiError::from))
            .transpose()?,
    };
    let with_evidence = match p.text("evidence")?.as_deref() {
        None | Some("false") => false,
        Some("true") => true,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "parameter \"evidence\" must be true or false, not {other:?}"
            )))
        }
    };
    if with_evidence && q.limit > MAX_EVIDENCE_LIMIT {
        return Err(ApiError::bad_request(format!(
            "with evidence=true, limit must be at most {MAX_EVIDENCE_LIMIT}"
        )));
    }
    let (page, evidence) = state
        .read(move |r| {
            let page = r.events(&q)?;
            let mut evidence = Vec::new();
            if with_evidence {
                for e in &page.events {
                    let first = r.mentions(e.id)?.into_iter().next();
                    evidence.push(first);
                }
            }
            Ok((page, evidence))
        })
        .await?;
    #[derive(Serialize)]
    struct PageOut<'a> {
        events: Vec<EventOut<'a>>,
        next_cursor: Option<String>,
    }
    let out = PageOut {
        events: page
            .events
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let mut out = event_json(e);
                if with_evidence {
                    out.evidence =
                        Some(evidence.get(i).and_then(Option::as_ref).map(evidence_json));
                }
                out
            })
            .collect(),
        next_cursor: page.next.map(|c| c.to_string()),
    };
    Ok(Json(
        serde_json::to_value(&out).map_err(|e| ApiError::internal(e.to_string()))?,
    ))
}

/// `GET /v1/dyads`: the busiest dyads of a period.
pub(crate) async fn dyads(
    State(state): State<AppState>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> ApiResult<Response> {
    let p = Params::new(query, &["from", "to", "by", "limit"])?;
    let dates = p.dates()?;
    let by = match p.text("by")?.as_deref() {
        None | Some("events") => RankBy::Events,
        Some("mentions") => RankBy::Mentions,
        Some(other) => {
            return Err(ApiError::unprocessable(format!(
                "unknown ranking {other:?}: use events or mentions"
            )))
        }
    };
    let limit = p.number::<usize>("limit", 1, MAX_LIMIT)?.unwrap_or(20);
    let key = format!("dyads\t{by:?}\t{limit}\t{:?}\t{:?}", dates.from, dates.to);
    let body = cached(&state, key, move |r| {
        let top = r.top_dyads(dates, by, limit)?;
        let list: Vec<Value> = top
            .iter()
            .map(|d| json!({ "source": d.source, "target": d.target, "events": d.events, "mentions": d.mentions }))
            .collect();
        let out = json!({
            "by": if by == RankBy::Events { "events" } else { "mentions" },
            "dyads": list,
        });
        serde_json::to_vec(&out).map_err(|e| ApiError::internal(e.to_string()))
    })
    .await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// `GET /v1/dyads/{source}/{target}/series`: a dyad's time series.
pub(crate) async fn series(
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> ApiResult<Response> {
    let Path((source, target)) = path.map_err(|r| ApiError::bad_request(r.body_text()))?;
    let p = Params::new(query, &["interval", "from", "to"])?;
    let (interval, name) = match p.text("interval")?.as_deref() {
        None | Some("month") => (Interval::Month, "month"),
        Some("week") => (Interval::Week, "week"),
        Some("day") => (Interval::Day, "day"),
        Some(other) => {
            return Err(ApiError::unprocessable(format!(
                "unknown interval {other:?}: use day, week or month"
            )))
        }
    };
    let dates = p.dates()?;
    let (s, t) = (source.to_ascii_uppercase(), target.to_ascii_uppercase());
    let key = format!("series\t{s}\t{t}\t{name}\t{:?}\t{:?}", dates.from, dates.to);
    let body = cached(&state, key, move |r| {
        series_json(&s, &t, name, &r.dyad_series(&s, &t, interval, dates)?)
    })
    .await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// The answer under `key` from the cache, or computed by `query` on a pooled reader (on a
/// blocking thread) and cached.
async fn cached(
    state: &AppState,
    key: String,
    query: impl FnOnce(&Reader) -> ApiResult<Vec<u8>> + Send + 'static,
) -> ApiResult<Bytes> {
    let cache = &state.inner.cache;
    if let Some(body) = cache.get(&key) {
        return Ok(body);
    }
    let (generation, started) = (cache.generation(), Instant::now());
    let body = Bytes::from(state.read(query).await?);
    cache.put(key, generation, started, body.clone());
    Ok(body)
}

/// The body of a series response, serialized straight from the buckets (a daily series
/// of a busy dyad has thousands of them).
fn series_json(
    source: &str,
    target: &str,
    interval: &str,
    buckets: &[dyad_store::SeriesBucket],
) -> ApiResult<Vec<u8>> {
    #[derive(Serialize)]
    struct BucketOut<'a> {
        start: String,
        events: u64,
        mentions: u64,
        quad: &'a [u64; 4],
        goldstein_sum: f64,
        goldstein_mean: Option<f64>,
    }
    #[derive(Serialize)]
    struct SeriesOut<'a> {
        source: &'a str,
        target: &'a str,
        interval: &'a str,
        buckets: Vec<BucketOut<'a>>,
    }
    let out = SeriesOut {
        source,
        target,
        interval,
        buckets: buckets
            .iter()
            .map(|b| BucketOut {
                start: b.start.to_string(),
                events: b.events,
                mentions: b.mentions,
                quad: &b.quad,
                goldstein_sum: b.goldstein_sum,
                goldstein_mean: b.goldstein_mean,
            })
            .collect(),
    };
    let mut body = Vec::with_capacity(64 + 120 * buckets.len());
    serde_json::to_writer(&mut body, &out).map_err(|e| ApiError::internal(e.to_string()))?;
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn articles_are_checked_before_coding() {
        let ok = article_input(json!({"text": "Some text.", "date": "2024-03-05"}), "v1").unwrap();
        assert!(ok.id.starts_with("fnv-"));
        assert_eq!(ok.date, Some(Date::new(2024, 3, 5).unwrap()));
        let (_, reason) = article_input(json!({"id": "a", "text": ""}), "v1").unwrap_err();
        assert_eq!(reason, "text is empty");
        let (id, reason) =
            article_input(json!({"id": "b", "text": "x", "date": "2023-02-30"}), "v1").unwrap_err();
        assert_eq!(id.as_deref(), Some("b"));
        assert!(reason.starts_with("date:"), "{reason}");
        let (_, reason) = article_input(json!({"id": "c"}), "v1").unwrap_err();
        assert!(reason.contains("text"), "{reason}");
    }

    #[test]
    fn the_openapi_document_is_json() {
        let v: Value = serde_json::from_str(OPENAPI).unwrap();
        assert_eq!(
            v["openapi"].as_str().map(|s| s.starts_with("3.0")),
            Some(true)
        );
    }
}
