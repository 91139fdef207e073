//! The per-post stages wired together: tag, then score and place what matters.
//!
//! Import and (later) the feed pollers must judge a post identically, or a
//! curve that mixes archive and live data would compare unlike counts. Both
//! go through `Pipeline::analyse`.

use crate::complaint::{ComplaintScorer, Evidence, Judgement};
use crate::lang::Lang;
use crate::lexicons::{LexiconError, Lexicons};
use crate::post::Post;
use crate::region::{Region, RegionResolver};
use crate::sentiment::{Sentiment, SentimentScorer};
use crate::store::keys::hour_of;
use crate::store::{Counter, PendingCommit, PostRecord};
use crate::tag::{Tagger, Tags, Topic};

pub struct Pipeline {
    pub tagger: Tagger,
    pub scorer: SentimentScorer,
    pub complaints: ComplaintScorer,
    pub regions: RegionResolver,
}

/// The judgement on a post's text, whatever it mentions: what `outcry score`
/// prints, and what import keeps for posts that mention a topic.
#[derive(Debug, Clone)]
pub struct Judged {
    pub tags: Tags,
    /// The language judged in: the post's own, else detected.
    pub lang: Lang,
    pub sentiment: Sentiment,
    pub complaint: Judgement,
}

/// What the stages concluded about a post that mentions at least one topic.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// Indexes into `Pipeline::topics()`.
    pub topics: Vec<usize>,
    pub problem: bool,
    pub sentiment: Sentiment,
    pub complaint: bool,
    pub region: Region,
}

impl Pipeline {
    pub fn new(lexicons: &Lexicons) -> Result<Pipeline, LexiconError> {
        Ok(Pipeline {
            tagger: Tagger::new(lexicons)?,
            scorer: SentimentScorer::new(lexicons)?,
            complaints: ComplaintScorer::new(lexicons)?,
            regions: RegionResolver::new(lexicons)?,
        })
    }

    pub fn topics(&self) -> &[Topic] {
        self.tagger.topics()
    }

    /// `None` for a post that mentions no topic: such posts are not scored,
    /// placed or remembered, which is most of any archive.
    pub fn analyse(&self, post: &Post) -> Option<Analysis> {
        crate::tag::intern::new_post();
        let lang = post.lang.as_deref().and_then(Lang::from_code);
        // A post that mentions no topic is dropped, so the tagger stops
        // before looking for outage phrases in every language.
        let (tags, help) = self
            .tagger
            .tag_mentioned(&post.text, &post.hashtags, lang)?;
        let (lang, sentiment) = self.sentiment(&post.text, lang);
        let judged = self.conclude(&post.text, lang, tags, !help.is_empty(), sentiment);
        Some(Analysis {
            complaint: judged.complaint.complaint,
            topics: judged.tags.topics,
            problem: judged.tags.problem,
            sentiment: judged.sentiment,
            region: self.regions.resolve(&post.region_hints),
        })
    }

    /// Tags, scores and judges any text (`lang` when the source gave one).
    pub fn judge(&self, text: &str, hashtags: &[String], lang: Option<Lang>) -> Judged {
        crate::tag::intern::new_post();
        // Outside an import nothing else needs every language's outage
        // phrases, so a post without a language is judged in the one the
        // detector picks (plus English, as the tagger always adds): half
        // the stemming of trying all four.
        let (lang, sentiment) = self.sentiment(text, lang);
        let (tags, help) = self.tagger.tag_with_help(text, hashtags, Some(lang));
        self.conclude(text, lang, tags, !help.is_empty(), sentiment)
    }

    /// The language judged in (the given one, else `detect_language`'s
    /// guess) and the sentiment in it.
    fn sentiment(&self, text: &str, lang: Option<Lang>) -> (Lang, Sentiment) {
        match lang {
            Some(lang) => (lang, self.scorer.score(text, Some(lang))),
            None => self.scorer.detect_and_score(text),
        }
    }

    fn conclude(
        &self,
        text: &str,
        lang: Lang,
        tags: Tags,
        help: bool,
        sentiment: Sentiment,
    ) -> Judged {
        let complaint = self.complaints.judge(&Evidence {
            text,
            lang,
            outage: tags.problem,
            help_addressed: help,
            sentiment: &sentiment,
        });
        Judged {
            tags,
            lang,
            sentiment: crate::complaint::lean(sentiment, &complaint),
            complaint,
        }
    }

    /// Adds an analysed post to the counters of a pending commit, and keeps
    /// its record (with its text when `keep_text`).
    pub fn count(
        &self,
        post: &Post,
        analysis: &Analysis,
        keep_text: bool,
        pending: &mut PendingCommit,
    ) {
        let delta = counter_for(analysis);
        let hour = hour_of(post.created_at);
        let record = PostRecord {
            source: post.source.as_str().to_string(),
            id: post.id.clone(),
            time: post.created_at.timestamp(),
            region: analysis.region.country.clone(),
            lang: post.lang.clone(),
            compound_micros: compound_micros(&analysis.sentiment) as i32,
            complaint: analysis.complaint,
            problem: analysis.problem,
            repost: post.is_repost,
            text: keep_text.then(|| post.text.clone()),
        };
        for &topic in &analysis.topics {
            if let Some(topic) = self.topics().get(topic) {
                pending.add_counter(&topic.name, hour, &analysis.region.country, &delta);
                pending.add_post(&topic.name, hour, &record);
            }
        }
    }
}

fn counter_for(analysis: &Analysis) -> Counter {
    use crate::sentiment::Label;
    let label = analysis.sentiment.label;
    Counter {
        posts: 1,
        complaints: analysis.complaint as u64,
        negative: (label == Label::Negative) as u64,
        neutral: (label == Label::Neutral) as u64,
        positive: (label == Label::Positive) as u64,
        sentiment_micros: compound_micros(&analysis.sentiment),
    }
}

/// The compound score in millionths: how counters and post records keep it,
/// so sums stay exact integers.
fn compound_micros(sentiment: &Sentiment) -> i64 {
    (sentiment.compound.clamp(-1.0, 1.0) * 1e6).round() as i64
}
