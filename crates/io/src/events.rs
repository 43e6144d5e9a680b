//! PETRARCH-2 event lines (the layout is documented on [`format_event_line`]).

use dyad_types::{CharSpan, Event};

/// Which optional fields to write (PETRARCH's `write_actor_text`, `write_event_text`,
/// `write_actor_root`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EventLineOptions {
    /// Append the source and target actor texts.
    pub write_actor_text: bool,
    /// Append the verb text.
    pub write_event_text: bool,
    /// Append the source and target actor roots.
    pub write_actor_root: bool,
}

impl From<&crate::CodingOptions> for EventLineOptions {
    fn from(o: &crate::CodingOptions) -> Self {
        EventLineOptions {
            write_actor_text: o.write_actor_text,
            write_event_text: o.write_event_text,
            write_actor_root: o.write_actor_root,
        }
    }
}

/// What an event line needs beyond the [`Event`] itself.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LineContext<'a> {
    /// The sentence text the event's spans index (for actor and event text).
    pub text: Option<&'a str>,
    /// The story's `source` attribute (`AFP`); `NULL` is written when absent.
    pub story_source: Option<&'a str>,
    /// The story's URL, written only when present.
    pub url: Option<&'a str>,
    /// Dictionary root phrases of the source and target actors.
    pub actor_roots: Option<(&'a str, &'a str)>,
    /// Sentence ids to write instead of the event's own (when duplicates were merged).
    pub ids: Option<&'a [String]>,
}

fn clean(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

fn slice(text: &str, span: CharSpan) -> Option<String> {
    if span.start >= span.end {
        return None;
    }
    let s: String = text
        .chars()
        .skip(span.start)
        .take(span.end - span.start)
        .collect();
    (s.chars().count() == span.end - span.start).then_some(s)
}

fn code_or_null(code: &str) -> &str {
    if code.is_empty() {
        "---"
    } else {
        code
    }
}

/// Formats one event as a PETRARCH-2 event line.
///
/// PETRARCH-2 writes one tab-separated line per event (`PETRwriter.write_events`):
///
/// | # | field | dyad source |
/// |---|---|---|
/// | 1 | date, `YYYYMMDD` | [`Event::date`] (empty when unknown) |
/// | 2 | source actor code | [`Event::source`]`.code`, `---` when null |
/// | 3 | target actor code | [`Event::target`]`.code`, `---` when null |
/// | 4 | CAMEO event code | [`Event::code`] |
/// | 5 | issues, `CODE,count;CODE,count`, empty when none | [`Event::issues`] |
/// | 6 | sentence ids that gave the event, `;`-joined | [`Event::sentence_id`] |
/// | (7) | story URL, only when the story has one | [`LineContext::url`] |
/// | 7 | story source (`AFP`), `NULL` when unknown | [`LineContext::story_source`] |
/// | +2 | source and target actor text, with `write_actor_text` | the actors' spans in the text, `---` when unknown |
/// | +1 | event (verb) text, with `write_event_text` | the verb span in the text, `---` when unknown |
/// | +2 | source and target actor roots, with `write_actor_root` | [`LineContext::actor_roots`], `---` when unknown |
///
/// Tabs and line breaks inside fields are written as spaces. Lines carry no trailing
/// newline; callers join them with `\n`. PETRARCH-2's own writer has no actor-root
/// columns; its manual puts them after the event text, as here.
///
/// ```
/// use dyad_io::{format_event_line, LineContext, EventLineOptions};
/// use dyad_types::{ActorMention, Date, Event};
/// let ev = Event {
///     sentence_id: "DEMO-01".into(),
///     date: Some(Date::new(1995, 1, 1)?),
///     source: ActorMention { code: "ARN".into(), ..Default::default() },
///     target: ActorMention { code: "GON".into(), ..Default::default() },
///     code: "064".into(),
///     ..Default::default()
/// };
/// let line = format_event_line(&ev, &LineContext::default(), &EventLineOptions::default());
/// assert_eq!(line, "19950101\tARN\tGON\t064\t\tDEMO-01\tNULL");
/// # Ok::<(), dyad_types::DateError>(())
/// ```
pub fn format_event_line(event: &Event, ctx: &LineContext<'_>, opts: &EventLineOptions) -> String {
    let mut f: Vec<String> = Vec::with_capacity(12);
    f.push(event.date.map(|d| d.to_yyyymmdd()).unwrap_or_default());
    f.push(clean(code_or_null(&event.source.code)));
    f.push(clean(code_or_null(&event.target.code)));
    f.push(clean(&event.code));
    f.push(clean(
        &event
            .issues
            .iter()
            .map(|(c, n)| format!("{c},{n}"))
            .collect::<Vec<_>>()
            .join(";"),
    ));
    f.push(clean(&match ctx.ids {
        Some(ids) => ids.join(";"),
        None => event.sentence_id.clone(),
    }));
    if let Some(url) = ctx.url.filter(|u| !u.is_empty()) {
        f.push(clean(url));
    }
    f.push(clean(
        ctx.story_source.filter(|s| !s.is_empty()).unwrap_or("NULL"),
    ));
    let text_of = |span: Option<CharSpan>| -> String {
        match (ctx.text, span) {
            (Some(t), Some(s)) => slice(t, s).map_or_else(|| "---".to_string(), |x| clean(&x)),
            _ => "---".to_string(),
        }
    };
    if opts.write_actor_text {
        f.push(text_of(event.source.span));
        f.push(text_of(event.target.span));
    }
    if opts.write_event_text {
        f.push(text_of(event.verb_span));
    }
    if opts.write_actor_root {
        let (a, b) = ctx.actor_roots.unwrap_or(("---", "---"));
        f.push(clean(code_or_null(a)));
        f.push(clean(code_or_null(b)));
    }
    f.join("\t")
}

/// Groups a story's events the way PETRARCH-2 does before writing: events with the same
/// date, source, target and code are one line, listing every sentence id that gave it.
/// Returns, in order of first appearance, the index of the first event of each group and
/// the sentence ids of the group (duplicates removed, in order).
///
/// ```
/// use dyad_types::Event;
/// let e = |id: &str, code: &str| Event { sentence_id: id.into(), code: code.into(), ..Default::default() };
/// let groups = dyad_io::merge_story_events(&[e("s1", "010"), e("s2", "020"), e("s3", "010")]);
/// assert_eq!(groups, vec![(0, vec!["s1".to_string(), "s3".to_string()]), (1, vec!["s2".to_string()])]);
/// ```
pub fn merge_story_events(events: &[Event]) -> Vec<(usize, Vec<String>)> {
    let mut groups: Vec<(usize, Vec<String>)> = Vec::new();
    for (i, e) in events.iter().enumerate() {
        let same = groups.iter_mut().find(|(k, _)| {
            let f = &events[*k];
            f.date == e.date
                && f.source.code == e.source.code
                && f.target.code == e.target.code
                && f.code == e.code
        });
        match same {
            Some((_, ids)) => {
                if !ids.contains(&e.sentence_id) {
                    ids.push(e.sentence_id.clone());
                }
            }
            None => groups.push((i, vec![e.sentence_id.clone()])),
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use dyad_types::{ActorMention, Date};

    use super::*;

    fn event() -> Event {
        Event {
            sentence_id: "AFP-1".into(),
            date: Date::new(2008, 8, 4).ok(),
            source: ActorMention {
                code: "USAGOV".into(),
                span: Some(CharSpan::new(0, 6)),
                ..Default::default()
            },
            target: ActorMention::default(),
            code: "0431".into(),
            verb_span: Some(CharSpan::new(6, 13)),
            issues: vec![("NUCLEAR".into(), 2), ("AID".into(), 1)],
            ..Default::default()
        }
    }

    #[test]
    fn writes_all_optional_fields_in_petrarch_order() {
        let text = "Obama visited\tBeijing";
        let ctx = LineContext {
            text: Some(text),
            story_source: Some("AFP"),
            url: Some("http://x"),
            ..Default::default()
        };
        let opts = EventLineOptions {
            write_actor_text: true,
            write_event_text: true,
            write_actor_root: true,
        };
        let line = format_event_line(&event(), &ctx, &opts);
        let fields: Vec<&str> = line.split('\t').collect();
        assert_eq!(
            fields,
            [
                "20080804",
                "USAGOV",
                "---",
                "0431",
                "NUCLEAR,2;AID,1",
                "AFP-1",
                "http://x",
                "AFP",
                "Obama ",
                "---",
                "visited",
                "---",
                "---"
            ]
        );
    }

    #[test]
    fn spans_outside_the_text_give_placeholders() {
        let ctx = LineContext {
            text: Some("short"),
            ..Default::default()
        };
        let opts = EventLineOptions {
            write_actor_text: true,
            write_event_text: true,
            write_actor_root: false,
        };
        let line = format_event_line(&event(), &ctx, &opts);
        assert!(line.ends_with("\tNULL\t---\t---\t---"), "{line}");
    }
}
