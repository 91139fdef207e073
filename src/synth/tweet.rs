//! Tweets as the 2012 streaming API wrote them (API v1.1 JSON), shared by
//! every scenario.
//!
//! Field order follows Twitter's output, which is why these are structs and
//! not `json!` maps (those sort their keys). Details that readers trip on are
//! reproduced on purpose: ids as numbers *and* strings, HTML-escaped text with
//! entity indices counted in code points of the escaped text, retweets that
//! carry the full original and a possibly cut "RT @user: …" text.

use serde::Serialize;

/// Twitter's snowflake epoch (2010-11-04T01:42:54.657Z) in Unix milliseconds.
const SNOWFLAKE_EPOCH_MS: i64 = 1_288_834_974_657;

/// Most characters a tweet could hold in 2012.
pub(crate) const MAX_CHARS: usize = 140;

#[derive(Debug, Clone, Serialize)]
pub(crate) struct User {
    pub id: u64,
    pub id_str: String,
    pub name: String,
    pub screen_name: String,
    pub location: String,
    pub description: Option<String>,
    pub followers_count: u32,
    pub friends_count: u32,
    pub statuses_count: u32,
    pub created_at: String,
    pub utc_offset: Option<i32>,
    pub time_zone: Option<String>,
    pub lang: &'static str,
    pub geo_enabled: bool,
    pub verified: bool,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct PlaceJson {
    pub id: String,
    pub url: String,
    pub place_type: &'static str,
    pub name: &'static str,
    pub full_name: &'static str,
    pub country_code: &'static str,
    pub country: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Hashtag {
    pub text: String,
    pub indices: [usize; 2],
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct MentionJson {
    pub screen_name: String,
    pub name: String,
    pub id: u64,
    pub id_str: String,
    pub indices: [usize; 2],
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Entities {
    pub hashtags: Vec<Hashtag>,
    pub urls: Vec<serde_json::Value>,
    pub user_mentions: Vec<MentionJson>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct TweetJson<'a> {
    pub created_at: String,
    pub id: u64,
    pub id_str: String,
    pub text: String,
    pub source: &'static str,
    pub truncated: bool,
    pub in_reply_to_status_id: Option<u64>,
    pub in_reply_to_status_id_str: Option<String>,
    pub in_reply_to_user_id: Option<u64>,
    pub in_reply_to_user_id_str: Option<String>,
    pub in_reply_to_screen_name: Option<String>,
    pub user: &'a User,
    pub geo: Option<()>,
    pub coordinates: Option<()>,
    pub place: Option<PlaceJson>,
    pub contributors: Option<()>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retweeted_status: Option<Box<TweetJson<'a>>>,
    pub retweet_count: u32,
    pub entities: Entities,
    pub favorited: bool,
    pub retweeted: bool,
    pub filter_level: &'static str,
    pub lang: &'static str,
}

/// Someone a text may @mention, with what the entity needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Handle {
    pub screen_name: String,
    pub name: String,
    pub id: u64,
}

/// The parts of a tweet a scenario decides; `build` turns them into JSON.
/// `'s` is the spec's own data, `'u` the user the JSON borrows.
pub(crate) struct TweetSpec<'s, 'u> {
    pub ms: i64,
    pub id: u64,
    /// Unescaped, at most `MAX_CHARS` characters.
    pub text: &'s str,
    pub source: &'static str,
    pub user: &'u User,
    pub lang: &'static str,
    pub place: Option<PlaceJson>,
    /// Everyone the text may @mention.
    pub handles: &'s [Handle],
    /// `(status id, user)` being replied to.
    pub reply_to: Option<(u64, &'s Handle)>,
    pub retweet_count: u32,
}

pub(crate) fn build<'u>(spec: &TweetSpec<'_, 'u>) -> TweetJson<'u> {
    let text = escape_html(spec.text);
    let entities = entities(&text, spec.handles);
    TweetJson {
        created_at: twitter_date(spec.ms.div_euclid(1000)),
        id: spec.id,
        id_str: spec.id.to_string(),
        text,
        source: spec.source,
        truncated: false,
        in_reply_to_status_id: spec.reply_to.map(|(id, _)| id),
        in_reply_to_status_id_str: spec.reply_to.map(|(id, _)| id.to_string()),
        in_reply_to_user_id: spec.reply_to.map(|(_, h)| h.id),
        in_reply_to_user_id_str: spec.reply_to.map(|(_, h)| h.id.to_string()),
        in_reply_to_screen_name: spec.reply_to.map(|(_, h)| h.screen_name.clone()),
        user: spec.user,
        geo: None,
        coordinates: None,
        place: spec.place.clone(),
        contributors: None,
        retweeted_status: None,
        retweet_count: spec.retweet_count,
        entities,
        favorited: false,
        retweeted: false,
        filter_level: "medium",
        lang: spec.lang,
    }
}

/// A native retweet of `original` by `spec.user`: text "RT @author: …" cut to
/// 140 characters with an ellipsis, its own entities, and the original inside.
pub(crate) fn build_retweet<'u>(
    spec: &TweetSpec<'_, 'u>,
    original: TweetJson<'u>,
) -> TweetJson<'u> {
    let author = Handle {
        screen_name: original.user.screen_name.clone(),
        name: original.user.name.clone(),
        id: original.user.id,
    };
    let plain = unescape_html(&original.text);
    let full = format!("RT @{}: {}", author.screen_name, plain);
    let cut = full.chars().count() > MAX_CHARS;
    let kept: String = if cut {
        full.chars().take(MAX_CHARS - 1).collect()
    } else {
        full.clone()
    };
    let rt_text = if cut {
        format!("{kept}…")
    } else {
        kept.clone()
    };
    // Everyone the original mentions is mentioned again in the retweet.
    let mut handles = spec.handles.to_vec();
    handles.extend(original.entities.user_mentions.iter().map(|m| Handle {
        screen_name: m.screen_name.clone(),
        name: m.name.clone(),
        id: m.id,
    }));
    handles.push(author);
    let mut rt = build(&TweetSpec {
        text: &rt_text,
        handles: &handles,
        reply_to: None,
        place: None,
        retweet_count: original.retweet_count,
        lang: original.lang,
        ..*spec
    });
    if cut {
        // Entities of the whole text that survive the cut intact; a hashtag
        // sliced by the ellipsis is not one.
        let limit = escape_html(&kept).chars().count();
        let mut whole = entities(&escape_html(&full), &handles);
        whole.hashtags.retain(|h| h.indices[1] <= limit);
        whole.user_mentions.retain(|m| m.indices[1] <= limit);
        rt.entities = whole;
    }
    rt.truncated = cut;
    rt.retweeted_status = Some(Box::new(original));
    rt
}

/// Twitter's `created_at`: "Mon Dec 24 20:31:07 +0000 2012".
pub(crate) fn twitter_date(unix_secs: i64) -> String {
    match chrono::DateTime::from_timestamp(unix_secs, 0) {
        Some(t) => t.format("%a %b %d %H:%M:%S +0000 %Y").to_string(),
        None => String::new(),
    }
}

/// A snowflake id for a moment; `worker` (10 bits) and `seq` (12 bits) make
/// ids unique within a millisecond.
pub(crate) fn snowflake(unix_ms: i64, worker: u64, seq: u64) -> u64 {
    let since = (unix_ms - SNOWFLAKE_EPOCH_MS).max(0) as u64;
    (since << 22) | ((worker & 0x3FF) << 12) | (seq & 0xFFF)
}

/// Escapes what Twitter escaped in `text`: `&`, `<`, `>`.
pub(crate) fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

pub(crate) fn unescape_html(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn is_tag_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Hashtags and known @mentions of `text`, indices in code points of `text`.
pub(crate) fn entities(text: &str, handles: &[Handle]) -> Entities {
    let chars: Vec<char> = text.chars().collect();
    let mut hashtags = Vec::new();
    let mut user_mentions = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let boundary = i == 0 || !(is_tag_char(chars[i - 1]) || chars[i - 1] == '&');
        if (c == '#' || c == '@') && boundary {
            let start = i;
            let mut end = i + 1;
            while end < chars.len() && is_tag_char(chars[end]) {
                end += 1;
            }
            let word: String = chars[start + 1..end].iter().collect();
            if c == '#' && word.chars().any(char::is_alphabetic) {
                hashtags.push(Hashtag {
                    text: word,
                    indices: [start, end],
                });
            } else if c == '@' {
                if let Some(h) = handles
                    .iter()
                    .find(|h| h.screen_name.eq_ignore_ascii_case(&word))
                {
                    user_mentions.push(MentionJson {
                        screen_name: h.screen_name.clone(),
                        name: h.name.clone(),
                        id: h.id,
                        id_str: h.id.to_string(),
                        indices: [start, end],
                    });
                }
            }
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    Entities {
        hashtags,
        urls: Vec::new(),
        user_mentions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user() -> User {
        User {
            id: 123456,
            id_str: "123456".into(),
            name: "Ana Souza".into(),
            screen_name: "anasouza".into(),
            location: "São Paulo".into(),
            description: None,
            followers_count: 10,
            friends_count: 20,
            statuses_count: 30,
            created_at: twitter_date(1_262_304_000),
            utc_offset: Some(-7200),
            time_zone: Some("Brasilia".into()),
            lang: "pt",
            geo_enabled: false,
            verified: false,
        }
    }

    #[test]
    fn dates_and_ids_look_like_december_2012() {
        // 2012-12-24T20:31:07Z
        assert_eq!(
            twitter_date(1_356_381_067),
            "Mon Dec 24 20:31:07 +0000 2012"
        );
        let id = snowflake(1_356_381_067_000, 0, 0);
        assert_eq!(
            id,
            (1_356_381_067_000 - SNOWFLAKE_EPOCH_MS) as u64 * 4_194_304
        );
        assert!((2.8e17..2.9e17).contains(&(id as f64)));
        assert!(snowflake(1_356_381_067_001, 0, 0) > snowflake(1_356_381_067_000, 1023, 4095));
    }

    #[test]
    fn entities_count_code_points_of_the_escaped_text() {
        let handles = vec![Handle {
            screen_name: "Netflix".into(),
            name: "Netflix".into(),
            id: 42,
        }];
        let text = escape_html("ñ & <3 @netflix não #NetflixDown #1 a#b #fail");
        assert_eq!(text, "ñ &amp; &lt;3 @netflix não #NetflixDown #1 a#b #fail");
        let e = entities(&text, &handles);
        let tags: Vec<_> = e
            .hashtags
            .iter()
            .map(|h| (h.text.as_str(), h.indices))
            .collect();
        assert_eq!(tags, vec![("NetflixDown", [27, 39]), ("fail", [47, 52])]);
        assert_eq!(e.user_mentions.len(), 1);
        assert_eq!(e.user_mentions[0].indices, [14, 22]);
        assert_eq!(e.user_mentions[0].screen_name, "Netflix");
        let chars: Vec<char> = text.chars().collect();
        assert_eq!(chars[27..39].iter().collect::<String>(), "#NetflixDown");
    }

    #[test]
    fn retweets_cut_at_140_and_keep_the_original() {
        let u = user();
        let long = "a".repeat(120) + " #Netflix";
        let spec = TweetSpec {
            ms: 1_356_381_067_000,
            id: 1,
            text: &long,
            source: "web",
            user: &u,
            lang: "pt",
            place: None,
            handles: &[],
            reply_to: None,
            retweet_count: 3,
        };
        let original = build(&spec);
        assert_eq!(original.entities.hashtags[0].indices, [121, 129]);
        let rt = build_retweet(&TweetSpec { id: 2, ..spec }, original);
        assert_eq!(rt.text.chars().count(), 140);
        assert!(rt.text.starts_with("RT @anasouza: aaa") && rt.text.ends_with('…'));
        assert!(rt.truncated);
        assert!(rt.entities.hashtags.is_empty(), "the hashtag was cut off");
        assert_eq!(rt.entities.user_mentions[0].indices, [3, 12]);
        let json = serde_json::to_string(&rt).expect("serialises");
        assert!(json.starts_with(
            "{\"created_at\":\"Mon Dec 24 20:31:07 +0000 2012\",\"id\":2,\"id_str\":\"2\""
        ));
        assert!(json.contains("\"retweeted_status\":{\"created_at\""));
    }
}
