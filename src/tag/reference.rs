//! The tokenizer and stream writer as they were before they were made
//! fast (per-word caches, ASCII fast paths, the stemmer skipped for words it
//! keeps), kept to check that the fast ones write exactly the same streams
//! for any text. Its stems are the stemmer's own, with our two corrections
//! (`Stemmer::stem_unskipped`), so that entries and posts keep meeting.

use crate::stemmer::Stemmer;

use super::lex::{Kind, Token};
use super::stream::push_hashtag;
use crate::lang::Lang;

const MAX_STEMMED_BYTES: usize = 48;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Apostrophes {
    English,
    Split,
}

/// The old normaliser: no cache, one stemmer each.
pub(super) struct Normalizer {
    stemmer: Option<Stemmer>,
    apostrophes: Apostrophes,
}

impl Normalizer {
    pub fn plain() -> Self {
        Normalizer {
            stemmer: None,
            apostrophes: Apostrophes::Split,
        }
    }

    pub fn stemmed(lang: Lang) -> Self {
        Normalizer {
            stemmer: Some(Stemmer::new(lang)),
            apostrophes: if lang == Lang::En {
                Apostrophes::English
            } else {
                Apostrophes::Split
            },
        }
    }

    /// Writes the stream for `tokens` (from `lex` over `lower`) into `out`.
    /// When `tags` is given, the byte range of each hashtag body in `out` is
    /// pushed to it. Diacritics are folded *before* stemming: the stemmers
    /// treat "não" and "nao" differently, and the point is that they meet.
    pub fn write(
        &self,
        lower: &str,
        tokens: &[Token],
        out: &mut String,
        word: &mut String,
        mut tags: Option<&mut Vec<(usize, usize)>>,
    ) {
        out.clear();
        out.push(' ');
        for t in tokens {
            let text = lower.get(t.start..t.end).unwrap_or("");
            match t.kind {
                Kind::Word => match self.apostrophes {
                    Apostrophes::English => match text.strip_suffix("'s") {
                        Some(stem) if !stem.is_empty() => {
                            self.push_word(stem, out, word);
                            self.push_word("s", out, word);
                        }
                        _ => self.push_word(text, out, word),
                    },
                    Apostrophes::Split => {
                        for piece in text.split('\'').filter(|p| !p.is_empty()) {
                            self.push_word(piece, out, word);
                        }
                    }
                },
                Kind::Hashtag => push_hashtag(text, out, tags.as_deref_mut()),
                Kind::Mention => {
                    out.push('@');
                    fold_into(text, out, false);
                    out.push(' ');
                }
                Kind::Break => {
                    if !out.ends_with("| ") {
                        out.push_str("| ");
                    }
                }
            }
        }
    }

    fn push_word(&self, text: &str, out: &mut String, word: &mut String) {
        word.clear();
        fold_into(text, word, false);
        if word.is_empty() {
            return;
        }
        if self.stemmer.is_some() {
            super::stream::unstretch(word);
        }
        match &self.stemmer {
            Some(stemmer) if word.len() <= MAX_STEMMED_BYTES => {
                out.push_str(&stemmer.stem_unskipped(word))
            }
            _ => out.push_str(word),
        }
        out.push(' ');
    }
}

fn is_mark(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36f}' | '\u{1ab0}'..='\u{1aff}' | '\u{1dc0}'..='\u{1dff}' | '\u{20d0}'..='\u{20ff}' | '\u{fe20}'..='\u{fe2f}')
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_mark(c)
}

fn is_tag_char(c: char) -> bool {
    is_word_char(c) || c == '_'
}

fn is_break(c: char) -> bool {
    matches!(
        c,
        '.' | '!'
            | '?'
            | ';'
            | ','
            | '…'
            | '¡'
            | '¿'
            | '\n'
            | '\r'
            | '|'
            | '•'
            | '。'
            | '！'
            | '？'
            | '，'
    )
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | 'ʼ' | '`' | '´' | '′')
}

fn starts_url(s: &str) -> bool {
    ["http://", "https://", "www.", "pic.twitter.com/"]
        .iter()
        .any(|p| s.starts_with(p))
}

fn char_at(s: &str, i: usize) -> Option<char> {
    s.get(i..).and_then(|rest| rest.chars().next())
}

/// End of the run of `accept` characters starting at `i`.
fn scan(s: &str, mut i: usize, accept: fn(char) -> bool) -> usize {
    while let Some(c) = char_at(s, i) {
        if !accept(c) {
            break;
        }
        i += c.len_utf8();
    }
    i
}

/// Lowercases `text` into `lower` (apostrophe variants become `'`, full-width
/// `＃`/`＠` their ASCII selves) and splits it into `tokens`. URLs are skipped:
/// a t.co code is random letters that could spell anything.
pub(super) fn lex(text: &str, lower: &mut String, tokens: &mut Vec<Token>) {
    lower.clear();
    tokens.clear();
    for c in text.chars() {
        match c {
            c if is_apostrophe(c) => lower.push('\''),
            '＃' => lower.push('#'),
            '＠' => lower.push('@'),
            c if c.is_ascii() => lower.push(c.to_ascii_lowercase()),
            c => lower.extend(c.to_lowercase()),
        }
    }
    let s = lower.as_str();
    let mut i = 0;
    // '#', '@' and URLs only start a token after a non-word character:
    // "C#", "me@netflix.com".
    let mut after_word = false;
    while let Some(c) = char_at(s, i) {
        let len = c.len_utf8();
        if (c == '#' || c == '@') && !after_word {
            let end = scan(s, i + len, is_tag_char);
            if end > i + len {
                let kind = if c == '#' {
                    Kind::Hashtag
                } else {
                    Kind::Mention
                };
                tokens.push(Token {
                    kind,
                    start: i + len,
                    end,
                });
                i = end;
                after_word = true;
                continue;
            }
        }
        if c == '@' && after_word {
            // The rest of an e-mail address is not a mention, nor words.
            i = scan(s, i + len, |c| is_tag_char(c) || c == '.' || c == '-');
            after_word = false;
            continue;
        }
        if is_word_char(c) {
            if !after_word && starts_url(&s[i..]) {
                i = scan(s, i, |c| !c.is_whitespace());
                continue;
            }
            let end = word_end(s, i);
            tokens.push(Token {
                kind: Kind::Word,
                start: i,
                end,
            });
            i = end;
            after_word = true;
            continue;
        }
        if is_break(c) && tokens.last().is_some_and(|t| t.kind != Kind::Break) {
            tokens.push(Token {
                kind: Kind::Break,
                start: i,
                end: i,
            });
        }
        after_word = c == '_';
        i += len;
    }
}

/// A word runs over word characters and over apostrophes that sit between
/// two of them ("won't"), not a leading or trailing one ("'cause", "fans'").
fn word_end(s: &str, start: usize) -> usize {
    let mut i = start;
    while let Some(c) = char_at(s, i) {
        if is_word_char(c) {
            i += c.len_utf8();
        } else if c == '\'' && i > start && char_at(s, i + 1).is_some_and(is_word_char) {
            i += 1;
        } else {
            break;
        }
    }
    i
}

/// Appends `s` to `out` without diacritics ("cayó" → "cayo", "não" → "nao",
/// "ça" → "ca"), skipping apostrophes and, when asked, underscores.
fn fold_into(s: &str, out: &mut String, drop_underscores: bool) {
    // Most tokens are plain ASCII letters and digits: nothing to fold.
    if s.bytes().all(|b| b.is_ascii_alphanumeric()) {
        out.push_str(s);
        return;
    }
    for c in s.chars() {
        let folded: &str = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' | 'ª' => "a",
            'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
            'ď' | 'đ' | 'ð' => "d",
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
            'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
            'ĥ' | 'ħ' => "h",
            'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
            'ĵ' => "j",
            'ķ' => "k",
            'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
            'ñ' | 'ń' | 'ņ' | 'ň' => "n",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' | 'º' => "o",
            'ŕ' | 'ŗ' | 'ř' => "r",
            'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => "s",
            'ţ' | 'ť' | 'ŧ' | 'ț' => "t",
            'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
            'ŵ' => "w",
            'ý' | 'ÿ' | 'ŷ' => "y",
            'ź' | 'ż' | 'ž' => "z",
            'æ' => "ae",
            'œ' => "oe",
            'ß' => "ss",
            'þ' => "th",
            '\'' => "",
            '_' if drop_underscores => "",
            c if is_mark(c) => "",
            c => {
                out.push(c);
                continue;
            }
        };
        out.push_str(folded);
    }
}
