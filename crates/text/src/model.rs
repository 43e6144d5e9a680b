//! The bundled pipeline: tagger, lemmatizer and parser loaded from one model file.

use std::borrow::Cow;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use dyad_types::{CharSpan, Date, ParsedSentence, Token};

use crate::codec::{Reader, Writer};
use crate::lemma::{KnownWords, Lemmatizer};
use crate::parser::{pwords, Parser, Search};
use crate::tagger::Tagger;
use crate::{tokenize, Error, Result};

/// Magic bytes and format version at the start of every model file `dyad train` writes.
pub(crate) const MAGIC: &[u8; 8] = b"DYADTX03";

/// Format 2, still read: the same as 3 but for the parser's transition-system byte.
const MAGIC_V2: &[u8; 8] = b"DYADTX02";

/// Sentences annotated together by [`Model::analyze`] and [`Model::write_conllu`].
const BATCH: usize = 64;

/// The largest uncompressed model accepted: a bound on what a corrupt or hostile file can
/// make the loader allocate.
const MAX_MODEL_BYTES: usize = 256 << 20;

/// The model committed with the crate (trained by `dyad train` on UD English EWT), as
/// build.rs inflated it.
static EMBEDDED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/en_ewt.raw"));

struct Inner {
    tagger: Tagger,
    lemma: Lemmatizer,
    /// The lemmatizer's answers for the (form, tag) pairs seen in training.
    known: KnownWords,
    parser: Parser,
}

/// A loaded text model: part-of-speech tagger, lemmatizer and dependency parser.
///
/// Cloning is cheap (the weights are shared), and a `Model` can be used from many
/// threads at once.
#[derive(Clone)]
pub struct Model {
    inner: Arc<Inner>,
    search: Search,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model")
            .field("tags", &self.inner.tagger.tags.len())
            .field("labels", &self.inner.parser.labels.len())
            .field("parse_branches", &self.search.branches)
            .finish()
    }
}

impl Model {
    /// The model embedded in the binary, decoded on first use and shared afterwards.
    pub fn embedded() -> Result<Model> {
        static CELL: OnceLock<std::result::Result<Model, String>> = OnceLock::new();
        CELL.get_or_init(|| Model::from_bytes(EMBEDDED).map_err(|e| e.to_string()))
            .clone()
            .map_err(|e| Error::Model(format!("embedded model: {e}")))
    }

    /// Decode a model from the bytes `dyad train` writes (zlib-compressed; uncompressed
    /// model bytes are accepted too).
    pub fn from_bytes(bytes: &[u8]) -> Result<Model> {
        let (bytes, version) = unpack(bytes)?;
        let mut r = Reader::new(&bytes[MAGIC.len()..]);
        let tagger = Tagger::read(&mut r)?;
        let lemma = Lemmatizer::read(&mut r)?;
        let parser = Parser::read(&mut r, version)?;
        if !r.at_end() {
            return Err(Error::Model("corrupt model data: trailing bytes".into()));
        }
        Ok(Model {
            inner: Arc::new(Inner {
                known: lemma.known_words(&tagger.tags),
                tagger,
                lemma,
                parser,
            }),
            search: Search::GREEDY,
        })
    }

    /// The same model, parsing with at most `branches` alternative paths per sentence
    /// (0 = greedy, the default, for speed; 8 is the setting tuned on EWT dev).
    ///
    /// After its greedy pass the parser retries the sentence from its least certain
    /// steps (one per 4 words, at least 2, at most `branches`), taking there the best
    /// action of another kind, and keeps the most probable of the paths (selective
    /// branching, Choi and McCallum 2013). On UD English EWT dev 8 branches raise
    /// UAS/LAS by about 0.6 points each for about 1.8 times the work; 0 gives the greedy
    /// parser's output. The result depends only on the input and this setting.
    pub fn with_parse_branches(mut self, branches: usize) -> Model {
        self.search = Search::with_branches(branches);
        self
    }

    /// How many alternative paths per sentence the parser tries (see
    /// [`Model::with_parse_branches`]).
    pub fn parse_branches(&self) -> usize {
        self.search.branches
    }

    /// Load a model file.
    pub fn load(path: &Path) -> Result<Model> {
        let bytes = std::fs::read(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Model::from_bytes(&bytes).map_err(|e| Error::Model(format!("{}: {e}", path.display())))
    }

    /// Tag, lemmatize and parse one already tokenized sentence.
    ///
    /// The tokens come back in the same order, with `span` unset and `head` 1-based
    /// (0 for the root).
    pub fn annotate_tokens(&self, forms: &[&str]) -> Vec<Token> {
        let inner = &*self.inner;
        if forms.is_empty() {
            return Vec::new();
        }
        let tags = inner.tagger.tag(forms);
        let words = pwords(forms, &tags, &inner.tagger.tags, &inner.tagger.clusters);
        let arcs = inner.parser.parse(&words, &self.search);
        self.tokens(forms, &tags, &arcs)
    }

    /// [`Model::annotate_tokens`] for many sentences at once, with the same result. Each
    /// tagger pass and then the parser run over all the sentences while their weights are
    /// in cache, which pays when the cache is shared: with 64 sentences at a time, 10-15%
    /// faster on a busy machine and with two threads, about the same on one idle thread.
    pub fn annotate_batch(&self, sentences: &[&[&str]]) -> Vec<Vec<Token>> {
        let inner = &*self.inner;
        let tags = inner.tagger.tag_batch(sentences);
        let arcs: Vec<Vec<crate::parser::Arc>> = sentences
            .iter()
            .zip(&tags)
            .map(|(f, t)| {
                inner.parser.parse(
                    &pwords(f, t, &inner.tagger.tags, &inner.tagger.clusters),
                    &self.search,
                )
            })
            .collect();
        sentences
            .iter()
            .zip(tags.iter().zip(&arcs))
            .map(|(f, (t, a))| self.tokens(f, t, a))
            .collect()
    }

    /// Annotate segmented sentences, [`BATCH`] at a time.
    fn annotate_sentences(&self, sentences: &[tokenize::RawSentence]) -> Vec<Vec<Token>> {
        let forms: Vec<Vec<&str>> = sentences
            .iter()
            .map(|s| s.tokens.iter().map(|t| t.form.as_str()).collect())
            .collect();
        let mut out = Vec::with_capacity(forms.len());
        for chunk in forms.chunks(BATCH) {
            let refs: Vec<&[&str]> = chunk.iter().map(Vec::as_slice).collect();
            out.extend(self.annotate_batch(&refs));
        }
        out
    }

    /// Tokens from tags and arcs, with lemmas, features and the post-parse fixes.
    fn tokens(&self, forms: &[&str], tags: &[usize], arcs: &[crate::parser::Arc]) -> Vec<Token> {
        let inner = &*self.inner;
        if forms.is_empty() {
            return Vec::new();
        }
        // All the sentence's known-word slots are loaded at once, then read.
        let keys: Vec<u64> = forms
            .iter()
            .zip(tags)
            .map(|(f, &t)| KnownWords::key(f, t))
            .collect();
        for &key in &keys {
            inner.known.prefetch(key);
        }
        let mut out: Vec<Token> = forms
            .iter()
            .zip(tags)
            .zip(arcs)
            .zip(&keys)
            .map(|(((f, &t), &(head, label)), &key)| {
                let (upos, xpos) = inner.tagger.tags.get(t).cloned().unwrap_or_default();
                let (lemma, feats) = match inner.known.get(key) {
                    Some((lemma, feats)) => (lemma.to_string(), feats.to_string()),
                    None => (
                        inner.lemma.lemma(f, &xpos),
                        inner.lemma.feats(f, &upos, &xpos),
                    ),
                };
                Token {
                    form: f.to_string(),
                    lemma,
                    feats,
                    upos,
                    xpos,
                    head,
                    deprel: inner
                        .parser
                        .labels
                        .get(label)
                        .cloned()
                        .unwrap_or_else(|| "dep".into()),
                    span: None,
                }
            })
            .collect();
        fix_participles(&mut out, &inner.lemma);
        refine_voice(&mut out);
        out
    }

    /// Split `text` into sentences and analyse each one. Token spans are character
    /// offsets into the sentence's own `text`.
    pub fn analyze(&self, text: &str, date: Option<Date>) -> Vec<ParsedSentence> {
        let sentences = tokenize::segment(text);
        let annotated = self.annotate_sentences(&sentences);
        sentences
            .into_iter()
            .zip(annotated)
            .enumerate()
            .map(|(i, (s, mut tokens))| {
                for (tok, raw) in tokens.iter_mut().zip(&s.tokens) {
                    tok.span = Some(CharSpan::new(
                        raw.start_char.saturating_sub(s.start_char),
                        raw.end_char.saturating_sub(s.start_char),
                    ));
                }
                ParsedSentence {
                    id: (i + 1).to_string(),
                    date,
                    text: text
                        .get(s.start_byte..s.end_byte)
                        .unwrap_or_default()
                        .to_string(),
                    tokens,
                    tree: None,
                }
            })
            .collect()
    }

    /// Analyse `text` and write it to `out` as CoNLL-U: a `# newdoc id = {doc_id}`
    /// line, then per sentence `# sent_id = {doc_id}-{n}` and `# text`, and per word
    /// `TokenRange=start:end` (character offsets into `text`) and `SpaceAfter=No` in MISC.
    /// Sentences are annotated and written a batch (64) at a time, so memory beyond the
    /// text's tokens stays bounded however long it is.
    pub fn write_conllu<W: std::fmt::Write>(
        &self,
        text: &str,
        doc_id: &str,
        out: &mut W,
    ) -> std::fmt::Result {
        use std::fmt::Write as _;
        let clean = |s: &str| -> String {
            s.chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect()
        };
        let doc_id = clean(doc_id);
        writeln!(out, "# newdoc id = {doc_id}")?;
        let sentences = tokenize::segment(text);
        let mut buf = String::new();
        for (b, batch) in sentences.chunks(BATCH).enumerate() {
            buf.clear();
            let annotated = self.annotate_sentences(batch);
            for (i, (s, tokens)) in batch.iter().zip(annotated).enumerate() {
                let _ = writeln!(buf, "# sent_id = {doc_id}-{}", b * BATCH + i + 1);
                let _ = writeln!(
                    buf,
                    "# text = {}",
                    clean(text.get(s.start_byte..s.end_byte).unwrap_or_default())
                );
                let mut sent = crate::conllu::Sentence::default();
                for (t, raw) in tokens.into_iter().zip(&s.tokens) {
                    let mut misc = String::with_capacity(32);
                    if !raw.space_after {
                        misc.push_str("SpaceAfter=No|");
                    }
                    misc.push_str("TokenRange=");
                    crate::conllu::push_number(&mut misc, raw.start_char);
                    misc.push(':');
                    crate::conllu::push_number(&mut misc, raw.end_char);
                    sent.words.push(crate::conllu::Word::from_token(t, misc));
                }
                crate::conllu::write_sentence(&mut buf, &sent);
            }
            out.write_str(&buf)?;
        }
        Ok(())
    }

    /// Shrink model bytes by dropping quantised weights below `tagger_min` (tagger) and
    /// `parser_min` (parser) in absolute value; the result is again a (compressed) model file.
    pub fn prune_bytes(bytes: &[u8], tagger_min: i16, parser_min: i16) -> Result<Vec<u8>> {
        let (bytes, version) = unpack(bytes)?;
        let mut r = Reader::new(&bytes[MAGIC.len()..]);
        let mut w = Writer::default();
        w.buf.extend_from_slice(MAGIC);
        Tagger::copy_pruned(&mut r, &mut w, tagger_min)?;
        Lemmatizer::read(&mut r)?.write(&mut w);
        Parser::copy_pruned(&mut r, version, &mut w, parser_min)?;
        if !r.at_end() {
            return Err(Error::Model("corrupt model data: trailing bytes".into()));
        }
        Ok(miniz_oxide::deflate::compress_to_vec_zlib(&w.buf, 9))
    }

    /// Uncompressed model bytes whose tagger and parser score with the mean of the
    /// weights of those of `models` (model files trained on the same data with different
    /// seeds, see [`crate::TrainOptions::members`]), with the first one's lemmatizer.
    pub(crate) fn average_members(models: &[&[u8]]) -> Result<Vec<u8>> {
        let mut taggers = Vec::new();
        let mut parsers = Vec::new();
        let mut first: Option<(Vec<u8>, Vec<String>, bool)> = None;
        for m in models {
            let (bytes, version) = unpack(m)?;
            let mut r = Reader::new(&bytes[MAGIC.len()..]);
            taggers.push(Tagger::read_weights(&mut r)?);
            let lemma_start = r.offset();
            Lemmatizer::read(&mut r)?;
            let lemma = r.read_since(lemma_start);
            let labels = r.strs()?;
            let repair = Parser::read_repair(&mut r, version)?;
            parsers.push(crate::perceptron::read_sparse(&mut r)?);
            match &first {
                None => first = Some((lemma.to_vec(), labels, repair)),
                Some((_, l, rep)) if *l == labels && *rep == repair => {}
                Some(_) => return Err(Error::Model("parsers to average differ in labels".into())),
            }
        }
        let Some((lemma, labels, repair)) = first else {
            return Err(Error::Model("no models to average".into()));
        };
        let mut w = Writer::default();
        w.buf.extend_from_slice(MAGIC);
        Tagger::write_mean_of(taggers, &mut w)?;
        w.buf.extend_from_slice(&lemma);
        let mut weights = Writer::default();
        crate::perceptron::write_mean(&parsers, &mut weights)?;
        Parser::write(&labels, repair, &mut w, &weights.buf);
        Ok(w.buf)
    }

    /// Serialise the parts into the model file format.
    pub(crate) fn write_parts(tagger: &[u8], lemma: &Lemmatizer, parser: &[u8]) -> Vec<u8> {
        let mut w = Writer::default();
        w.buf.extend_from_slice(MAGIC);
        w.buf.extend_from_slice(tagger);
        lemma.write(&mut w);
        w.buf.extend_from_slice(parser);
        w.buf
    }
}

/// The uncompressed model bytes of a model file (inflated from zlib, or passed through when
/// they already start with a magic) and their format version.
fn unpack(bytes: &[u8]) -> Result<(Cow<'_, [u8]>, u8)> {
    let magic = |b: &[u8]| b.starts_with(MAGIC) || b.starts_with(MAGIC_V2);
    let raw = if magic(bytes) {
        Cow::Borrowed(bytes)
    } else {
        let inflated =
            miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(bytes, MAX_MODEL_BYTES)
                .map_err(|e| Error::Model(format!("not a dyad text model ({:?})", e.status)))?;
        Cow::Owned(inflated)
    };
    if !magic(&raw) {
        return Err(Error::Model(
            "not a dyad text model (bad magic or version)".into(),
        ));
    }
    let version = if raw.starts_with(MAGIC) { 3 } else { 2 };
    Ok((raw, version))
}

/// A past participle (`VBN`) with an active subject and no auxiliary is a simple past
/// (`VBD`) the tagger got wrong ("Rebels attacked the town"): the parse corrects the tag.
fn fix_participles(tokens: &mut [Token], lemma: &Lemmatizer) {
    let n = tokens.len();
    let mut subj = vec![false; n];
    let mut aux = vec![false; n];
    for t in tokens.iter() {
        if t.head >= 1 && t.head <= n {
            match t.deprel.as_str() {
                "nsubj" => subj[t.head - 1] = true,
                "aux" | "aux:pass" | "cop" => aux[t.head - 1] = true,
                _ => {}
            }
        }
    }
    for (i, t) in tokens.iter_mut().enumerate() {
        if t.xpos == "VBN" && t.upos == "VERB" && subj[i] && !aux[i] {
            t.xpos = "VBD".into();
            t.feats = lemma.feats(&t.form, "VERB", "VBD");
        }
    }
}

/// Past participles are passive (`Voice=Pass`) unless a perfect `have` auxiliary governs
/// them, as UD English marks them.
fn refine_voice(tokens: &mut [Token]) {
    let n = tokens.len();
    let mut perfect = vec![false; n];
    for t in tokens.iter() {
        if t.deprel == "aux" && t.lemma == "have" && t.head >= 1 && t.head <= n {
            perfect[t.head - 1] = true;
        }
    }
    for (t, perf) in tokens.iter_mut().zip(perfect) {
        if t.xpos != "VBN" {
            continue;
        }
        let mut parts: Vec<&str> = t
            .feats
            .split('|')
            .filter(|f| *f != "Voice=Pass" && *f != "_")
            .collect();
        if !perf {
            parts.push("Voice=Pass");
        }
        parts.sort_unstable();
        t.feats = if parts.is_empty() {
            "_".into()
        } else {
            parts.join("|")
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_foreign_and_truncated_bytes() {
        assert!(Model::from_bytes(b"").is_err());
        assert!(Model::from_bytes(b"not a model at all").is_err());
        assert!(Model::from_bytes(MAGIC).is_err());
    }

    #[test]
    fn batches_annotate_as_single_sentences_do() {
        let model = Model::embedded().unwrap();
        let text = "Rebels attacked the town on Monday. \"We will not leave,\" the mayor said. \
                    Police arrested two men in Baghdad after the blast, officials said. Ok";
        let sentences = tokenize::segment(text);
        let mut forms: Vec<Vec<&str>> = sentences
            .iter()
            .map(|s| s.tokens.iter().map(|t| t.form.as_str()).collect())
            .collect();
        forms.insert(1, Vec::new());
        let refs: Vec<&[&str]> = forms.iter().map(Vec::as_slice).collect();
        let batch = model.annotate_batch(&refs);
        assert_eq!(batch.len(), forms.len());
        for (f, b) in forms.iter().zip(&batch) {
            assert_eq!(&model.annotate_tokens(f), b);
        }
        assert!(batch[1].is_empty());
        assert_eq!(batch[0][1].lemma, "attack");
    }

    #[test]
    fn model_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<Model>();
    }
}
