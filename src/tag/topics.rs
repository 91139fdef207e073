//! Reading `topics.toml` into the topic matchers.
//!
//! Every name, handle and hashtag is checked (one kind each, one topic each)
//! and reported with its line, using the spans the TOML parser keeps.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::Deserialize;
use toml::Spanned;

use super::lex::Kind;
use super::load::{file_label, line_of, normalize_entry, plain_normalizer, Lazy};
use super::stream::Normalizer;
use super::Topic;
use crate::lexicons::{LexiconError, Lexicons};
use crate::sentiment::{FastMap, FastSet};

pub(crate) const TOPICS_FILE: &str = "topics.toml";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TopicsFile {
    #[serde(default)]
    outage_hashtag_suffixes: Vec<Spanned<String>>,
    #[serde(default)]
    outage_after_topic: Vec<Spanned<String>>,
    #[serde(default, rename = "topic")]
    topics: Vec<TopicEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TopicEntry {
    name: Spanned<String>,
    display: Option<String>,
    #[serde(default)]
    names: Vec<Spanned<String>>,
    #[serde(default)]
    handles: Vec<Spanned<String>>,
    #[serde(default)]
    help_handles: Vec<Spanned<String>>,
    #[serde(default)]
    hashtags: Vec<Spanned<String>>,
}

/// What one topic-automaton pattern means.
#[derive(Debug, Clone)]
pub(crate) struct TopicPattern {
    pub topic: usize,
    pub help: bool,
    /// The name or handle followed by an outage word ("netflix down").
    pub problem: bool,
    /// As written in topics.toml, for `explain`.
    pub entry: String,
}

pub(crate) struct TopicMatchers {
    pub topics: Vec<Topic>,
    /// Over the plain (unstemmed) stream: names, handles and name+outage-word.
    pub automaton: Lazy,
    pub patterns: Vec<TopicPattern>,
    /// Folded hashtag body → topic, for exact hashtags.
    pub hashtags: FastMap<String, usize>,
    /// Folded name without spaces → topic: the stems of `#NetflixDown`.
    pub bases: FastMap<String, usize>,
    pub suffixes: Vec<String>,
    /// What each token that may open a mention tells (see
    /// [`MentionBits`]): the first token of every pattern, and the second
    /// token of every pattern whose first token is a common word that
    /// names nothing alone ("you" of "you tube"). A pattern matches only
    /// where its tokens stand, so a post whose tokens' bits do not
    /// [`MentionBits::may_mention`] mentions no topic. Later tokens would
    /// add the words of `outage_after_topic` ("is", "s", "down"), which
    /// half of all posts hold.
    vocabulary: FastMap<String, u64>,
    /// Tells these matchers' marks in the per-thread chunk memory apart from
    /// another tagger's.
    pub id: u64,
}

impl TopicMatchers {
    /// The topic whose name, spaces removed, is the hashtag body minus an
    /// outage suffix (`netflixdown` → netflix).
    pub fn outage_hashtag_topic(&self, body: &str) -> Option<usize> {
        self.suffixes.iter().find_map(|suffix| {
            let base = body.strip_suffix(suffix.as_str())?;
            self.bases.get(base).copied()
        })
    }

    /// What a token of the plain stream (`netflix`, `@hulu`, `#fail`, `you`)
    /// tells about the mentions a post may hold; 0 for most tokens.
    pub fn mention_bits(&self, token: &str) -> u64 {
        if let Some(body) = token.strip_prefix('#') {
            if self.hashtags.contains_key(body) || self.outage_hashtag_topic(body).is_some() {
                return MentionBits::ALONE;
            }
        }
        self.vocabulary.get(token).copied().unwrap_or(0)
    }
}

/// The bits a post's tokens carry about the topic patterns it may match,
/// or-ed over all its tokens; their order is not kept, so a post may hold
/// them and still match nothing, but a post that matches holds them.
///
/// Most first tokens of patterns are a name or a handle on their own
/// (`netflix`, `@hulu`): such a token sets [`MentionBits::ALONE`]. A few
/// begin only patterns of several tokens, and one of those is among the
/// commonest words there are ("you" of "you tube", then "prime" and
/// "amazon"): alone it would send an eighth of all posts to the topic pass.
/// Each such first token gets a group of its own: it sets the group's first
/// bit, and every second token of its patterns sets the group's second bit,
/// and the post may mention a topic only when both are set.
pub(crate) struct MentionBits;

impl MentionBits {
    /// A token that may open a mention by itself.
    pub const ALONE: u64 = 1;
    /// Groups of first tokens that open only longer patterns: group `g`
    /// has bit `1 + 2g` for its first token and `2 + 2g` for the second
    /// tokens. Past this many groups a first token counts as `ALONE`.
    const GROUPS: u32 = 31;
    /// The first bit of every group.
    const FIRSTS: u64 = 0x2aaa_aaaa_aaaa_aaaa;

    fn first(group: u32) -> u64 {
        1 << (1 + 2 * group)
    }

    fn second(group: u32) -> u64 {
        1 << (2 + 2 * group)
    }

    /// Whether a post whose tokens carry `bits` may hold a mention: a token
    /// that may open one alone, or a group's first token and one of its
    /// second tokens.
    pub fn may_mention(bits: u64) -> bool {
        bits & Self::ALONE != 0 || bits & Self::FIRSTS & (bits >> 1) != 0
    }

    /// The bits of every token that may open a mention, from the patterns
    /// (each its tokens one space apart, as the plain stream writes them).
    fn of_patterns(patterns: &[String]) -> FastMap<String, u64> {
        let patterns: Vec<Vec<&str>> = patterns
            .iter()
            .map(|p| p.split(' ').filter(|t| !t.is_empty()).collect())
            .collect();
        // A first token opens a mention alone when some pattern is that
        // token alone, or when a pattern's second token is a break, which
        // no part's bits record.
        let alone: FastSet<&str> = patterns
            .iter()
            .filter(|p| p.len() == 1 || p.get(1) == Some(&"|"))
            .filter_map(|p| p.first().copied())
            .collect();
        let mut bits: FastMap<String, u64> = FastMap::default();
        let mut groups: FastMap<&str, u32> = FastMap::default();
        for p in &patterns {
            let (Some(&first), second) = (p.first(), p.get(1)) else {
                continue;
            };
            let group = match groups.get(first) {
                _ if alone.contains(first) => None,
                Some(&g) => Some(g),
                None => u32::try_from(groups.len())
                    .ok()
                    .filter(|&g| g < Self::GROUPS)
                    .inspect(|&g| {
                        groups.insert(first, g);
                    }),
            };
            match (group, second) {
                (Some(g), Some(&second)) => {
                    *bits.entry(first.to_string()).or_default() |= Self::first(g);
                    *bits.entry(second.to_string()).or_default() |= Self::second(g);
                }
                _ => *bits.entry(first.to_string()).or_default() |= Self::ALONE,
            }
        }
        bits
    }
}

/// The folded body of a lexicon entry that is exactly one `#hashtag`, as a
/// stream would carry it (`#Netflix_Caído` → `netflixcaido`).
fn hashtag_body(entry: &str, plain: &Normalizer) -> Option<String> {
    let (pattern, tokens) = normalize_entry(entry, plain);
    let one_tag = tokens.len() == 1 && tokens[0].kind == Kind::Hashtag;
    let body = pattern.trim().strip_prefix('#')?;
    (one_tag && !body.is_empty()).then(|| body.to_string())
}

struct TopicBuilder<'a> {
    file: &'a str,
    text: &'a str,
    plain: Normalizer,
    topics: Vec<Topic>,
    patterns: Vec<TopicPattern>,
    hashtags: FastMap<String, usize>,
    bases: FastMap<String, usize>,
    pattern_texts: Vec<String>,
    /// Names and handles, as patterns, for the name+outage-word patterns.
    mention_patterns: Vec<(String, usize, String)>,
    owner: HashMap<String, usize>,
}

impl TopicBuilder<'_> {
    fn err(&self, at: &Spanned<String>, reason: impl Into<String>) -> LexiconError {
        LexiconError::at(self.file, line_of(self.text, at.span().start), reason)
    }

    /// A name, handle or hashtag may mean one topic only.
    fn claim(
        &mut self,
        key: String,
        topic: usize,
        at: &Spanned<String>,
    ) -> Result<(), LexiconError> {
        match self.owner.get(&key) {
            Some(&other) if other != topic => {
                let other = self.topics[other].name.clone();
                Err(self.err(
                    at,
                    format!("{:?} already belongs to topic {other:?}", at.get_ref()),
                ))
            }
            _ => {
                self.owner.insert(key, topic);
                Ok(())
            }
        }
    }

    fn add_pattern(&mut self, pattern: String, meaning: TopicPattern) {
        self.pattern_texts.push(pattern);
        self.patterns.push(meaning);
    }

    fn add_name(&mut self, topic: usize, name: &Spanned<String>) -> Result<(), LexiconError> {
        let (pattern, tokens) = normalize_entry(name.get_ref(), &self.plain);
        if tokens.is_empty() || tokens.iter().any(|t| t.kind != Kind::Word) {
            return Err(self.err(
                name,
                format!(
                    "name {:?} must be plain words (handles and hashtags have their own lists)",
                    name.get_ref()
                ),
            ));
        }
        self.claim(pattern.clone(), topic, name)?;
        let entry = name.get_ref().trim().to_lowercase();
        let tag: String = pattern.split_whitespace().collect();
        self.claim(format!("#{tag}"), topic, name)?;
        self.bases.insert(tag.clone(), topic);
        self.add_hashtag_body(topic, tag);
        self.topics[topic].names.push(entry.clone());
        self.mention_patterns
            .push((pattern.clone(), topic, entry.clone()));
        self.add_pattern(
            pattern,
            TopicPattern {
                topic,
                help: false,
                problem: false,
                entry,
            },
        );
        Ok(())
    }

    fn add_handle(
        &mut self,
        topic: usize,
        handle: &Spanned<String>,
        help: bool,
    ) -> Result<(), LexiconError> {
        let (pattern, tokens) = normalize_entry(handle.get_ref(), &self.plain);
        if tokens.len() != 1 || tokens[0].kind != Kind::Mention {
            return Err(self.err(
                handle,
                format!("handle {:?} must be one @name", handle.get_ref()),
            ));
        }
        self.claim(pattern.clone(), topic, handle)?;
        let entry = pattern.trim().to_string();
        let t = &mut self.topics[topic];
        if help {
            t.help_handles.push(entry.clone());
        } else {
            t.handles.push(entry.clone());
        }
        self.mention_patterns
            .push((pattern.clone(), topic, entry.clone()));
        self.add_pattern(
            pattern,
            TopicPattern {
                topic,
                help,
                problem: false,
                entry,
            },
        );
        Ok(())
    }

    fn add_hashtag(&mut self, topic: usize, tag: &Spanned<String>) -> Result<(), LexiconError> {
        let Some(body) = hashtag_body(tag.get_ref(), &self.plain) else {
            return Err(self.err(tag, format!("hashtag {:?} must be one #tag", tag.get_ref())));
        };
        self.claim(format!("#{body}"), topic, tag)?;
        self.add_hashtag_body(topic, body);
        Ok(())
    }

    /// Records a folded hashtag body for exact lookup, and as a mention that
    /// an outage word may follow ("#netflix down").
    fn add_hashtag_body(&mut self, topic: usize, body: String) {
        let entry = format!("#{body}");
        let t = &mut self.topics[topic];
        if t.hashtags.contains(&entry) {
            return;
        }
        t.hashtags.push(entry.clone());
        self.mention_patterns
            .push((format!(" {entry} "), topic, entry));
        self.hashtags.insert(body, topic);
    }
}

pub(crate) fn load_topics(lexicons: &Lexicons) -> Result<TopicMatchers, LexiconError> {
    let file = file_label(lexicons, TOPICS_FILE);
    let text = lexicons.read(TOPICS_FILE)?;
    let parsed: TopicsFile = toml::from_str(&text).map_err(|e| LexiconError {
        file: file.clone(),
        line: e.span().map(|s| line_of(&text, s.start)),
        reason: e.message().to_string(),
    })?;
    if parsed.topics.is_empty() {
        return Err(LexiconError {
            file,
            line: None,
            reason: "no [[topic]] is defined".into(),
        });
    }
    let mut b = TopicBuilder {
        file: &file,
        text: &text,
        plain: plain_normalizer(),
        topics: Vec::new(),
        patterns: Vec::new(),
        hashtags: FastMap::default(),
        bases: FastMap::default(),
        pattern_texts: Vec::new(),
        mention_patterns: Vec::new(),
        owner: HashMap::new(),
    };
    for entry in &parsed.topics {
        let name = entry.name.get_ref().trim();
        let valid = !name.is_empty()
            && name
                .bytes()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_' || c == b'-');
        if !valid {
            return Err(b.err(
                &entry.name,
                format!("topic name {name:?} must be lowercase letters, digits, '_' or '-'"),
            ));
        }
        if b.topics.iter().any(|t| t.name == name) {
            return Err(b.err(&entry.name, format!("topic {name:?} is defined twice")));
        }
        if entry.names.is_empty()
            && entry.handles.is_empty()
            && entry.help_handles.is_empty()
            && entry.hashtags.is_empty()
        {
            return Err(b.err(
                &entry.name,
                format!("topic {name:?} lists no names, handles or hashtags"),
            ));
        }
        let index = b.topics.len();
        b.topics.push(Topic {
            name: name.to_string(),
            terms: Vec::new(),
            display_name: entry.display.clone().unwrap_or_else(|| name.to_string()),
            names: Vec::new(),
            handles: Vec::new(),
            help_handles: Vec::new(),
            hashtags: Vec::new(),
        });
        for n in &entry.names {
            b.add_name(index, n)?;
        }
        for h in &entry.handles {
            b.add_handle(index, h, false)?;
        }
        for h in &entry.help_handles {
            b.add_handle(index, h, true)?;
        }
        for h in &entry.hashtags {
            b.add_hashtag(index, h)?;
        }
        let t = &mut b.topics[index];
        t.terms = t
            .names
            .iter()
            .chain(&t.handles)
            .chain(&t.help_handles)
            .chain(&t.hashtags)
            .cloned()
            .collect();
    }
    let mut suffixes: Vec<String> = Vec::new();
    for suffix in &parsed.outage_hashtag_suffixes {
        let tag = format!("#{}", suffix.get_ref().trim().trim_start_matches('#'));
        let Some(body) = hashtag_body(&tag, &b.plain) else {
            return Err(b.err(
                suffix,
                format!("hashtag suffix {:?} must be one word", suffix.get_ref()),
            ));
        };
        if !suffixes.contains(&body) {
            suffixes.push(body);
        }
    }
    let mentions = std::mem::take(&mut b.mention_patterns);
    for word in &parsed.outage_after_topic {
        let (pattern, tokens) = normalize_entry(word.get_ref(), &b.plain);
        if tokens.is_empty() || tokens.iter().any(|t| t.kind != Kind::Word) {
            return Err(b.err(
                word,
                format!("outage word {:?} must be plain words", word.get_ref()),
            ));
        }
        for (mention, topic, entry) in &mentions {
            b.add_pattern(
                format!("{mention}{}", pattern.trim_start()),
                TopicPattern {
                    topic: *topic,
                    help: false,
                    problem: true,
                    entry: format!("{entry} {}", word.get_ref().trim()),
                },
            );
        }
    }
    let vocabulary = MentionBits::of_patterns(&b.pattern_texts);
    static NEXT_ID: AtomicU64 = AtomicU64::new(1);
    Ok(TopicMatchers {
        vocabulary,
        id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
        automaton: Lazy::new(&file, b.pattern_texts)?,
        topics: b.topics,
        patterns: b.patterns,
        hashtags: b.hashtags,
        bases: b.bases,
        suffixes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashtag_entries_fold_like_post_hashtags() {
        let plain = plain_normalizer();
        assert_eq!(
            hashtag_body("#Netflix_Caído!", &plain).as_deref(),
            Some("netflixcaido")
        );
        assert_eq!(
            hashtag_body("#Forá_do_Ar", &plain).as_deref(),
            Some("foradoar")
        );
        assert_eq!(hashtag_body("netflix", &plain), None);
        assert_eq!(hashtag_body("#a #b", &plain), None);
        assert_eq!(hashtag_body("#_", &plain), None);
    }

    #[test]
    fn mention_bits_pair_a_common_first_word_with_its_second_words() {
        let patterns: Vec<String> = [
            " netflix ",
            " you tube ",
            " you tube down ",
            " amazon prime ",
        ]
        .iter()
        .chain([" prime video ", " hbo ", " hbo go ", " odd | x "].iter())
        .map(|p| p.to_string())
        .collect();
        let bits = MentionBits::of_patterns(&patterns);
        let of = |t: &str| bits.get(t).copied().unwrap_or(0);
        let may =
            |tokens: &[&str]| MentionBits::may_mention(tokens.iter().fold(0, |b, t| b | of(t)));
        // Names alone, and a first word whose pattern breaks after it.
        for t in ["netflix", "hbo", "odd"] {
            assert_eq!(of(t), MentionBits::ALONE, "{t}");
        }
        // Second words of a pattern whose first word names something alone
        // tell nothing ("go" of "hbo go"), nor do later words.
        for t in ["go", "down", "x", "the"] {
            assert_eq!(of(t), 0, "{t}");
        }
        assert!(!may(&["you"]) && !may(&["tube"]) && !may(&["video"]));
        assert!(may(&["you", "tube"]) && may(&["tube", "you"]));
        assert!(may(&["amazon", "prime"]) && may(&["prime", "video"]));
        // "prime" is both amazon's second word and a first word of its own.
        assert!(!may(&["prime"]) && !may(&["amazon", "video"]) && !may(&["you", "video"]));
    }

    #[test]
    fn first_words_past_the_groups_open_a_mention_alone() {
        let patterns: Vec<String> = (0..40).map(|i| format!(" w{i} second ")).collect();
        let bits = MentionBits::of_patterns(&patterns);
        let alone = (0..40)
            .filter(|i| bits.get(&format!("w{i}")).copied().unwrap_or(0) & MentionBits::ALONE != 0)
            .count();
        assert_eq!(alone, 40 - MentionBits::GROUPS as usize);
        assert!(MentionBits::may_mention(bits["w0"] | bits["second"]));
        assert!(!MentionBits::may_mention(bits["w0"]));
        assert!(MentionBits::may_mention(bits["w39"]));
    }
}
