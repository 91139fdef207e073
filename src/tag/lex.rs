//! Splitting text into tokens: words, #hashtags, @mentions and sentence breaks.
//!
//! Kept apart from stemming so the tokenizer runs once per post however many
//! languages are then tried on it.

use crate::chars;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Word,
    /// `start..end` is the body, without the `#`.
    Hashtag,
    /// `start..end` is the body, without the `@`.
    Mention,
    /// Sentence punctuation; `start == end`.
    Break,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Token {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

fn is_mark(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36f}' | '\u{1ab0}'..='\u{1aff}' | '\u{1dc0}'..='\u{1dff}' | '\u{20d0}'..='\u{20ff}' | '\u{fe20}'..='\u{fe2f}')
}

#[inline]
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    chars::is_alphanumeric(c) || is_mark(c)
}

pub(crate) fn is_tag_char(c: char) -> bool {
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
    matches!(s.as_bytes().first(), Some(b'h' | b'w' | b'p'))
        && ["http://", "https://", "www.", "pic.twitter.com/"]
            .iter()
            .any(|p| s.starts_with(p))
}

#[inline]
fn char_at(s: &str, i: usize) -> Option<char> {
    // Nearly every byte of a post is ASCII, and an ASCII byte is always a
    // whole character.
    let b = *s.as_bytes().get(i)?;
    if b < 0x80 {
        return Some(char::from(b));
    }
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

/// Appends `text` lowercased, apostrophe variants as `'` and full-width
/// `＃`/`＠` as their ASCII selves.
fn lowercase_into(text: &str, lower: &mut String) {
    lower.reserve(text.len());
    let bytes = text.as_bytes();
    if text.is_ascii() && !bytes.contains(&b'`') {
        let from = lower.len();
        lower.push_str(text);
        if let Some(added) = lower.get_mut(from..) {
            added.make_ascii_lowercase();
        }
        return;
    }
    let mut at = 0;
    while at < bytes.len() {
        // A run of ASCII (the backquote aside, an apostrophe) is copied and
        // lowercased whole.
        let run = bytes[at..]
            .iter()
            .position(|&b| b >= 0x80 || b == b'`')
            .map_or(bytes.len(), |n| at + n);
        if run > at {
            let from = lower.len();
            lower.push_str(text.get(at..run).unwrap_or(""));
            if let Some(added) = lower.get_mut(from..) {
                added.make_ascii_lowercase();
            }
            at = run;
        }
        let Some(c) = text.get(at..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        match c {
            c if is_apostrophe(c) => lower.push('\''),
            '＃' => lower.push('#'),
            '＠' => lower.push('@'),
            c if c.is_ascii() => lower.push(c.to_ascii_lowercase()),
            c => chars::push_lowercase(c, lower),
        }
        at += c.len_utf8();
    }
}

/// Lowercases `text` into `lower` (apostrophe variants become `'`, full-width
/// `＃`/`＠` their ASCII selves) and splits it into `tokens`. URLs are skipped:
/// a t.co code is random letters that could spell anything.
pub(crate) fn lex(text: &str, lower: &mut String, tokens: &mut Vec<Token>) {
    lex_after(text, true, lower, tokens);
}

/// As [`lex`], for a piece of text that follows others: `quiet` when no
/// token came before it or the last one was a break (so that a break mark
/// at its start adds no break).
pub(crate) fn lex_after(text: &str, quiet: bool, lower: &mut String, tokens: &mut Vec<Token>) {
    lower.clear();
    tokens.clear();
    lex_onto(text, quiet, lower, tokens);
}

/// As [`lex_after`], appending to `lower` and `tokens` instead of replacing
/// them (token ranges index the whole of `lower`): a post's chunks kept
/// lexed side by side. With `quiet` false, the tokens are those of `quiet`
/// true but for one more break at the start when the text opens with a
/// break mark.
pub(crate) fn lex_onto(text: &str, quiet: bool, lower: &mut String, tokens: &mut Vec<Token>) {
    let base = lower.len();
    let first = tokens.len();
    lowercase_into(text, lower);
    let s = lower.get(base..).unwrap_or("");
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
                    start: base + i + len,
                    end: base + end,
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
                start: base + i,
                end: base + end,
            });
            i = end;
            after_word = true;
            continue;
        }
        let last = if tokens.len() > first {
            tokens.last()
        } else {
            None
        };
        let breaks = match last {
            Some(t) => t.kind != Kind::Break,
            None => !quiet,
        };
        if breaks && is_break(c) {
            tokens.push(Token {
                kind: Kind::Break,
                start: base + i,
                end: base + i,
            });
        }
        after_word = c == '_';
        i += len;
    }
}

/// A word runs over word characters and over apostrophes that sit between
/// two of them ("won't"), not a leading or trailing one ("'cause", "fans'").
fn word_end(s: &str, start: usize) -> usize {
    let bytes = s.as_bytes();
    let mut i = start;
    while bytes.get(i).is_some_and(u8::is_ascii_alphanumeric) {
        i += 1;
    }
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
pub(crate) fn fold_into(s: &str, out: &mut String, drop_underscores: bool) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Kind, String)> {
        let (mut lower, mut tokens) = (String::new(), Vec::new());
        lex(text, &mut lower, &mut tokens);
        tokens
            .iter()
            .map(|t| (t.kind, lower[t.start..t.end].to_string()))
            .collect()
    }

    #[test]
    fn tokens_carry_their_kind_and_lowercased_body() {
        use Kind::*;
        let w = |s: &str| s.to_string();
        assert_eq!(
            kinds("Won’t LOAD!! @Hulu_Support ＃Caído x#y"),
            vec![
                (Word, w("won't")),
                (Word, w("load")),
                (Break, w("")),
                (Mention, w("hulu_support")),
                (Hashtag, w("caído")),
                (Word, w("x")),
                (Word, w("y"))
            ]
        );
        assert_eq!(kinds("... hi"), vec![(Word, w("hi"))]);
    }

    #[test]
    fn lexing_onto_appends_after_what_was_there() {
        let (mut lower, mut tokens) = (String::new(), Vec::new());
        lex_onto("Down", true, &mut lower, &mut tokens);
        lex_onto("!!Netflix", false, &mut lower, &mut tokens);
        lex_onto("?#Fail", true, &mut lower, &mut tokens);
        assert_eq!(lower, "down!!netflix?#fail");
        let got: Vec<(Kind, &str)> = tokens
            .iter()
            .map(|t| (t.kind, &lower[t.start..t.end]))
            .collect();
        use Kind::*;
        // Not quiet, "!!" is one break; quiet, "?" none.
        assert_eq!(
            got,
            [
                (Word, "down"),
                (Break, ""),
                (Word, "netflix"),
                (Hashtag, "fail")
            ]
        );
        assert_eq!((tokens[1].start, tokens[1].end), (4, 4));
    }

    proptest::proptest! {
        /// Quiet or not, the tokens differ only by a break at the start.
        #[test]
        fn quiet_drops_only_an_opening_break(text in "[a .!#@'’]{0,12}|\\PC{0,8}") {
            let (mut lower, mut loud) = (String::new(), Vec::new());
            lex_after(&text, false, &mut lower, &mut loud);
            let (mut lower2, mut quiet) = (String::new(), Vec::new());
            lex_after(&text, true, &mut lower2, &mut quiet);
            let skip = usize::from(loud.first().is_some_and(|t| t.kind == Kind::Break));
            let loud: Vec<_> = loud[skip..].iter().map(|t| (t.kind, t.start, t.end)).collect();
            let quiet: Vec<_> = quiet.iter().map(|t| (t.kind, t.start, t.end)).collect();
            proptest::prop_assert_eq!(loud, quiet);
        }
    }

    #[test]
    fn folding_drops_accents_marks_and_apostrophes() {
        let mut out = String::new();
        fold_into("ça_marché n'est cayo\u{301} œ", &mut out, true);
        assert_eq!(out, "camarche nest cayo oe");
    }
}
