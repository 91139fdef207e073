//! Which topics a post is about, and whether it reports a problem.
//!
//! Both questions are answered from data, not code: the watched services,
//! their names, handles and hashtags come from `lexicons/topics.toml`, and the
//! outage phrases from `lexicons/outage/<lang>.txt`. Everything is read and
//! checked in [`Tagger::new`], and compiled into aho-corasick automata on
//! first use (`load::Lazy`), once; tagging a post is
//! then one pass to split it into tokens and one search per stream (see
//! `stream.rs` for why streams make word boundaries and stemming cheap),
//! shared by every phrase list that searches that stream (`shared.rs`).
//! Streams are put together from the post's space-separated chunks, whose
//! parts each thread remembers (`chunks.rs`, chunks numbered by
//! `intern.rs`), and a post is lexed once however many phrase lists look at
//! it (`scratch.rs`).

mod chunks;
pub(crate) mod intern;
mod lex;
mod load;
mod scratch;
mod shared;
pub(crate) mod stems;
mod stream;
mod topics;
mod walk;

use std::collections::HashMap;

use crate::lang::Lang;
use crate::lexicons::{LexiconError, Lexicons};

/// Accents folded and apostrophes dropped as the phrase lists fold them,
/// for the few rules that compare words outside a phrase list.
pub(crate) use lex::fold_into;
use load::OutageMatcher;
use scratch::{with_scratch, Scratch};
use stream::{push_listed_hashtags, Normalizer};
use topics::TopicMatchers;

/// One watched topic from `lexicons/topics.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    /// Stable key used in the store and on the command line (`netflix`).
    pub name: String,
    /// Every term, handle and hashtag that counts as a mention, for `outcry topics`:
    /// `names`, then `handles`, `help_handles` and `hashtags`.
    pub terms: Vec<String>,
    /// For people (`Netflix`, `HBO GO`); the `name` when the file gives none.
    pub display_name: String,
    /// Words that mention the topic (`netflix`, `hulu plus`), lowercase.
    pub names: Vec<String>,
    /// `@handles` whose mention counts, lowercase, help handles excluded.
    pub handles: Vec<String>,
    /// The service's own support `@handles` (`@netflixhelps`): they count as
    /// mentions too, and addressing one is reported by [`Tagger::tag_with_help`].
    pub help_handles: Vec<String>,
    /// `#hashtags` that mention the topic: the listed ones and each name
    /// without spaces (`#netflix`, `#huluplus`), folded and lowercase.
    pub hashtags: Vec<String>,
}

/// What tagging found in one post.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tags {
    /// Indexes into `Tagger::topics()`, ascending, no repeats.
    pub topics: Vec<usize>,
    /// An outage phrase or outage hashtag was found.
    pub problem: bool,
}

/// Why a post was tagged the way it was; see [`Tagger::explain`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HitKind {
    /// A topic name, handle or hashtag; `help` when it was a help handle.
    Topic { topic: usize, help: bool },
    /// A topic's hashtag with an outage suffix (`#NetflixDown`): a mention
    /// and a problem at once.
    OutageHashtag { topic: usize },
    /// A topic's name or handle directly followed by an outage word from
    /// `outage_after_topic` ("Netflix down?"): a mention and a problem.
    TopicThenOutage { topic: usize },
    /// A phrase from `outage/<lang>.txt`.
    Outage { lang: Lang },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub kind: HitKind,
    /// The lexicon entry as written in its file (`won't load`, `@netflixhelps`),
    /// or for an outage hashtag the hashtag as folded (`#netflixcaido`).
    pub entry: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Explanation {
    pub tags: Tags,
    /// Topics whose help handle the post addressed, ascending.
    pub help_addressed: Vec<usize>,
    /// Every match, in the order found: topics first, then outage phrases.
    pub hits: Vec<Hit>,
}

pub struct Tagger {
    topics: TopicMatchers,
    by_name: HashMap<String, usize>,
    plain: Normalizer,
    /// One per language, in `Lang::ALL` order.
    outage: Vec<OutageMatcher>,
}

/// How much of the tagging the caller needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Need {
    /// Topics, help handles and the problem flag, whatever the topics.
    Everything,
    /// Nothing at all for a post that mentions no topic: the outage phrases
    /// are not looked for then.
    Topics,
}

#[derive(Default)]
struct Found {
    tags: Tags,
    help: Vec<usize>,
}

/// The post's language first, then English ("error" and "#fail" cross
/// languages); every language when the source did not say.
fn languages(lang: Option<Lang>) -> impl Iterator<Item = Lang> {
    let (list, n) = match lang {
        None => (Lang::ALL, Lang::ALL.len()),
        Some(Lang::En) => ([Lang::En; 4], 1),
        Some(l) => ([l, Lang::En, Lang::En, Lang::En], 2),
    };
    list.into_iter().take(n)
}

fn record(hits: &mut Option<&mut Vec<Hit>>, kind: HitKind, entry: &str) {
    if let Some(hits) = hits.as_deref_mut() {
        hits.push(Hit {
            kind,
            entry: entry.to_string(),
        });
    }
}

fn sort_dedup(v: &mut Vec<usize>) {
    v.sort_unstable();
    v.dedup();
}

impl Tagger {
    /// Reads `topics.toml` and the four outage lists and compiles every
    /// matcher; errors name the file and, where it helps, the line.
    pub fn new(lexicons: &Lexicons) -> Result<Tagger, LexiconError> {
        let topics = topics::load_topics(lexicons)?;
        let outage = Lang::ALL
            .iter()
            .map(|&lang| load::load_outage(lexicons, lang))
            .collect::<Result<Vec<_>, _>>()?;
        let by_name = topics
            .topics
            .iter()
            .enumerate()
            .map(|(i, t)| (t.name.clone(), i))
            .collect();
        Ok(Tagger {
            topics,
            by_name,
            plain: load::plain_normalizer(),
            outage,
        })
    }

    pub fn topics(&self) -> &[Topic] {
        &self.topics.topics
    }

    /// The index of the topic whose `name` is `name`.
    pub fn topic_index(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).copied()
    }

    /// `hashtags` are the source's own list (without `#`); `lang` the post's
    /// language when known, else every language's phrases are tried.
    pub fn tag(&self, text: &str, hashtags: &[String], lang: Option<Lang>) -> Tags {
        self.scan(text, hashtags, lang, None, Need::Everything).tags
    }

    /// As [`Tagger::tag`], plus the topics (ascending) whose help handle the
    /// post addressed (`@netflixhelps`): a sign the author wants help.
    pub fn tag_with_help(
        &self,
        text: &str,
        hashtags: &[String],
        lang: Option<Lang>,
    ) -> (Tags, Vec<usize>) {
        let found = self.scan(text, hashtags, lang, None, Need::Everything);
        (found.tags, found.help)
    }

    /// As [`Tagger::tag_with_help`] for callers that drop a post that
    /// mentions no topic (import, the pollers): `None` for such a post, found
    /// without looking for outage phrases at all.
    pub fn tag_mentioned(
        &self,
        text: &str,
        hashtags: &[String],
        lang: Option<Lang>,
    ) -> Option<(Tags, Vec<usize>)> {
        let found = self.scan(text, hashtags, lang, None, Need::Topics);
        (!found.tags.topics.is_empty()).then_some((found.tags, found.help))
    }

    /// As [`Tagger::tag`], with every entry that matched: for `outcry tag`
    /// and for anyone tuning a lexicon. Slower: it lists all outage phrases
    /// in every language tried instead of stopping at the first.
    pub fn explain(&self, text: &str, hashtags: &[String], lang: Option<Lang>) -> Explanation {
        let mut hits = Vec::new();
        let found = self.scan(text, hashtags, lang, Some(&mut hits), Need::Everything);
        Explanation {
            tags: found.tags,
            help_addressed: found.help,
            hits,
        }
    }

    /// Finds the topics (and help handles, and outage hashtags) of the text
    /// set in `s`, with the source's `hashtags`.
    fn topic_pass(
        &self,
        s: &mut Scratch,
        hashtags: &[String],
        found: &mut Found,
        hits: &mut Option<&mut Vec<Hit>>,
    ) {
        let plain = s.stream_of(&self.plain);
        let (stream, tags) = if hashtags.is_empty() {
            (s.streams[plain].as_str(), s.plain_tags.as_slice())
        } else {
            s.stream.clear();
            s.stream.push_str(&s.streams[plain]);
            s.tags.clear();
            s.tags.extend_from_slice(&s.plain_tags);
            push_listed_hashtags(hashtags, &mut s.stream, &mut s.word, Some(&mut s.tags));
            (s.stream.as_str(), s.tags.as_slice())
        };

        let tm = &self.topics;
        let ac = tm.automaton.get();
        let each = |p: usize| {
            let Some(p) = tm.patterns.get(p) else {
                return;
            };
            found.tags.topics.push(p.topic);
            if p.help {
                found.help.push(p.topic);
            }
            found.tags.problem |= p.problem;
            let kind = if p.problem {
                HitKind::TopicThenOutage { topic: p.topic }
            } else {
                HitKind::Topic {
                    topic: p.topic,
                    help: p.help,
                }
            };
            record(hits, kind, &p.entry);
        };
        if let Some(ac) = ac {
            ac.for_each_match(stream, each);
        }
        for &(a, b) in tags {
            let body = stream.get(a..b).unwrap_or("");
            if let Some(&topic) = tm.hashtags.get(body) {
                found.tags.topics.push(topic);
                if hits.is_some() {
                    record(
                        hits,
                        HitKind::Topic { topic, help: false },
                        &format!("#{body}"),
                    );
                }
            }
            if let Some(topic) = tm.outage_hashtag_topic(body) {
                found.tags.topics.push(topic);
                found.tags.problem = true;
                if hits.is_some() {
                    record(hits, HitKind::OutageHashtag { topic }, &format!("#{body}"));
                }
            }
        }
    }

    fn scan(
        &self,
        text: &str,
        hashtags: &[String],
        lang: Option<Lang>,
        mut hits: Option<&mut Vec<Hit>>,
        need: Need,
    ) -> Found {
        let mut found = with_scratch(|s| {
            let mut found = Found::default();
            s.set_text(text);
            // Most posts mention nothing: when no word of the post can be
            // part of a mention, the topic stream is not even written.
            if !hashtags.is_empty() || s.may_mention(&self.plain, &self.topics) {
                self.topic_pass(s, hashtags, &mut found, &mut hits);
            }
            if need == Need::Topics && found.tags.topics.is_empty() {
                return found;
            }

            for l in languages(lang) {
                if found.tags.problem && hits.is_none() {
                    break;
                }
                let Some(o) = self.outage.iter().find(|o| o.lang == l) else {
                    continue;
                };
                let Some(lazy) = &o.automaton else { continue };
                if let (true, None, Some(list)) = (hashtags.is_empty(), &hits, o.list) {
                    if let Some(matches) = s.shared_matches(&o.normalizer, list) {
                        found.tags.problem |= matches.iter().any(|&(l, _)| l == list);
                        continue;
                    }
                }
                let Some(ac) = lazy.get() else { continue };
                let i = s.stream_of(&o.normalizer);
                let stream = if hashtags.is_empty() {
                    s.streams[i].as_str()
                } else {
                    s.stream.clear();
                    s.stream.push_str(&s.streams[i]);
                    push_listed_hashtags(hashtags, &mut s.stream, &mut s.word, None);
                    s.stream.as_str()
                };
                if hits.is_none() {
                    found.tags.problem |= ac.is_match(stream);
                    continue;
                }
                ac.for_each_match(stream, |p| {
                    found.tags.problem = true;
                    let phrase = o.phrases.get(p).map_or("", String::as_str);
                    record(&mut hits, HitKind::Outage { lang: l }, phrase);
                });
            }
            found
        });
        sort_dedup(&mut found.tags.topics);
        sort_dedup(&mut found.help);
        found
    }
}

/// A weighted phrase list in one language, matched the way outage phrases
/// are (folded, stemmed, on token boundaries), for stages that keep word
/// lists of their own, such as the complaint signals.
pub struct PhraseSet {
    matcher: OutageMatcher,
}

impl PhraseSet {
    /// Reads `name` (a file under `lexicons/`; lines `phrase` or
    /// `phrase<TAB>weight`) with `lang`'s stemmer.
    pub fn load(lexicons: &Lexicons, name: &str, lang: Lang) -> Result<PhraseSet, LexiconError> {
        Ok(PhraseSet {
            matcher: load::load_phrases(lexicons, name, lang)?,
        })
    }

    pub fn lang(&self) -> Lang {
        self.matcher.lang
    }

    pub fn len(&self) -> usize {
        self.matcher.phrases.len()
    }

    pub fn is_empty(&self) -> bool {
        self.matcher.phrases.is_empty()
    }

    /// The phrase as written in the file, and its weight.
    pub fn entry(&self, i: usize) -> Option<(&str, f32)> {
        Some((self.matcher.phrases.get(i)?, *self.matcher.weights.get(i)?))
    }

    /// Appends the indexes of the phrases `text` contains (each once, in
    /// ascending order) to `out`.
    pub fn find(&self, text: &str, out: &mut Vec<usize>) {
        let Some(lazy) = &self.matcher.automaton else {
            return;
        };
        let from = out.len();
        with_scratch(|s| {
            s.set_text(text);
            if let Some(list) = self.matcher.list {
                if let Some(found) = s.shared_matches(&self.matcher.normalizer, list) {
                    let mine = found.iter().filter(|&&(l, _)| l == list);
                    out.extend(mine.map(|&(_, i)| i as usize));
                    return;
                }
            }
            let Some(ac) = lazy.get() else { return };
            let i = s.stream_of(&self.matcher.normalizer);
            ac.for_each_match(s.streams[i].as_str(), |p| out.push(p));
        });
        out[from..].sort_unstable();
        let mut kept = from;
        for i in from..out.len() {
            if i == from || out[i] != out[kept - 1] {
                out[kept] = out[i];
                kept += 1;
            }
        }
        out.truncate(kept);
    }
}

#[cfg(test)]
mod equivalence;
#[cfg(test)]
mod reference;
#[cfg(test)]
mod tests;
