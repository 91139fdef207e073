//! Something expected did not happen: "nobody showed up", "my stars didn't
//! post", "3 days without power", "no me llegan los mensajes", "ne se
//! connecte plus".
//!
//! Most complaints to a company are a plain account of what went wrong, and
//! what went wrong is very often an expected event denied. No list of
//! problem phrases can hold every such event, but the denial itself has a
//! small vocabulary per language. It is a weak signal alone (people deny
//! things all day), enough beside a company's handle or another sign of
//! trouble. Set phrases that deny nothing ("don't forget", "no problem",
//! "sin duda", "pas mal") are left out, and so are questions ("can you not
//! charge me twice?" asks; the complaint, if any, is elsewhere).

use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::OnceLock;

use aho_corasick::automaton::Automaton;
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, MatchKind};

use crate::chars;
use crate::lang::Lang;
use crate::tag::intern::{self, Span, UNNUMBERED};

use super::denials::{words_of, Words};

/// French "ne" elided into the verb that follows: "n'arrive", "n’ai".
const ELIDED: [&str; 2] = ["n'", "n’"];

/// The words that open a "why" question in any of our languages ("por"
/// for "por qué", "porque"). Found in the same pass as the negators, so
/// that the few posts holding one are the only ones looked at sentence by
/// sentence (`shape::asks_why`).
const WHY_WORDS: [&str; 6] = ["why", "how", "por", "pq", "xq", "pourquoi"];

/// Words without which none of the shapes asked of few posts
/// (`patterns::CUED`: something other than what was ordered, a fix tried
/// again; and `late.rs`: something overdue) can match in the language, at the start of
/// a word: found in the same pass, so that only the posts holding one are
/// asked of that set.
fn cue_words(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::En => &[
            "ordered",
            "bought",
            "asked",
            "paid",
            "requested",
            "instead",
            "placed",
            "booked",
            "due",
            "expected",
            "supposed",
            "promised",
            "estimated",
            "eta",
            "scheduled",
            // "arriving", and "should have arrived", "said it would arrive":
            // not "should" or "said", which half of all posts hold.
            "arriv",
            "delivery",
            "tried",
            "called",
            "phoned",
            "rang",
            "rung",
            "emailed",
            "messaged",
            "chased",
            "contacted",
            "reset",
            "restarted",
            "rebooted",
            "reinstalled",
            "reconnected",
            "unplugged",
        ],
        Lang::Es => &[
            "ped",
            "compr",
            "vez",
            "lugar",
            "tenía",
            "tenia",
            "debía",
            "debia",
            "prometi",
            "estimad",
            "programad",
            "previst",
            "lleg",
            "entrega",
        ],
        Lang::Pt => &[
            "ped",
            "compr",
            "vez",
            "lugar",
            "cheg",
            "deveria",
            "previst",
            "prometeram",
            "prometid",
            "marcad",
            "agendad",
            "entrega",
        ],
        Lang::Fr => &[
            "command",
            "achet",
            "lieu",
            "annonc",
            "prévu",
            "prevu",
            "promis",
            "livraison",
            "rdv",
            "rendez",
            "fois",
            "reprises",
        ],
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Negator,
    /// An elided "n'".
    Elided,
    Why,
    /// One of [`cue_words`].
    Cue,
}

/// Every post is asked, so the negators are found in one pass of an
/// automaton and only the few clauses holding one are looked at closely.
struct Finder {
    /// The Aho-Corasick DFA itself, walked by [`Finder::find_iter`]: the
    /// crate's own search loop, reached through `AhoCorasick`, cost two
    /// fifths more a byte, and every byte of every post is walked.
    automaton: DFA,
    /// Per pattern.
    kinds: Vec<Kind>,
    /// The language's words, for what follows a negator.
    words: &'static Words,
    /// Its set phrases, sorted for looking up.
    set_phrases: SetPhrases,
}

impl Finder {
    /// The leftmost-longest matches in `text`, none overlapping another,
    /// as `AhoCorasick::find_iter` reports them: each search starts where
    /// the last match ended, remembers the last match state it passed and
    /// stops at the dead state or the text's end. Yields (start, end,
    /// pattern).
    fn find_iter<'t>(&'t self, text: &'t str) -> impl Iterator<Item = (usize, usize, usize)> + 't {
        let dfa = &self.automaton;
        let bytes = text.as_bytes();
        let mut at = 0;
        std::iter::from_fn(move || {
            // Every pattern is a word: no match is empty, so every search
            // that finds one moves on.
            let mut sid = dfa.start_state(Anchored::No).ok()?;
            let mut found = None;
            let mut i = at;
            while let Some(&byte) = bytes.get(i) {
                sid = dfa.next_state(Anchored::No, sid, byte);
                i += 1;
                if dfa.is_special(sid) {
                    if dfa.is_dead(sid) {
                        break;
                    }
                    if dfa.is_match(sid) {
                        let pattern = dfa.match_pattern(sid, 0);
                        found = Some((i - dfa.pattern_len(pattern), i, pattern.as_usize()));
                    }
                }
            }
            let (start, end, pattern) = found?;
            at = end;
            Some((start, end, pattern))
        })
    }

    /// Whether `scan` does anything with match `m` of `chunk`: a "why" word
    /// anywhere, a negator only as a whole word. The edges of a chunk are
    /// spaces or the text's ends, so this reads the same in the chunk as in
    /// the whole text.
    fn matters(&self, chunk: &str, (start, end, pattern): (usize, usize, usize)) -> bool {
        match self.kinds.get(pattern) {
            Some(Kind::Why) => true,
            Some(Kind::Cue) => word_edge(chunk, start),
            Some(Kind::Elided) => word_edge(chunk, start),
            _ => word_edge(chunk, start) && word_edge(chunk, end),
        }
    }
}

/// Per thread, what the finders found in each numbered chunk of a post
/// (`tag::intern`): no pattern holds a space, so a match lies inside one
/// chunk, and a chunk searched alone gives exactly the matches a search of
/// the whole text finds in it (after a space the walk is back at its start
/// state). Only the matches [`Finder::matters`] keeps are remembered as
/// found. Most chunks hold none, and a chunk seen before is then skipped
/// for the price of one look-up instead of a walk over its bytes.
#[derive(Default)]
struct Quiet {
    /// The numbering `flags` is indexed by.
    generation: u64,
    spans: Vec<Span>,
    /// Per chunk number, two bits per language (`Lang::index`): searched,
    /// and found something.
    flags: Vec<u8>,
    /// The matches of the text being scanned, in order.
    found: Vec<(usize, usize, usize)>,
}

thread_local! {
    static QUIET: RefCell<Quiet> = RefCell::new(Quiet::default());
}

impl Quiet {
    /// Every match of `finder` (`lang`'s) in `text` that
    /// [`Finder::matters`], in order, into `self.found`: what
    /// `finder.find_iter(text)` yields, less the matches `scan` ignores.
    fn search(&mut self, finder: &Finder, lang: Lang, text: &str) {
        if self.spans.capacity() > 1 << 12 || self.found.capacity() > 1 << 12 {
            // One huge post must not pin its spans and matches for the
            // thread's life, only until the next.
            self.spans = Vec::new();
            self.found = Vec::new();
        }
        self.found.clear();
        let generation = intern::split(text, &mut self.spans);
        if generation != self.generation {
            self.generation = generation;
            self.flags.clear();
        }
        let searched = 1u8 << (2 * lang.index());
        let hit = searched << 1;
        for span in &self.spans {
            let slot = (span.id != UNNUMBERED && generation != 0)
                .then_some(span.id as usize)
                .filter(|&i| i < MAX_QUIET_CHUNKS);
            let flags = slot.and_then(|i| self.flags.get(i)).copied().unwrap_or(0);
            if flags & searched != 0 && flags & hit == 0 {
                continue;
            }
            let before = self.found.len();
            let chunk = text.get(span.start..span.end).unwrap_or("");
            self.found.extend(
                finder
                    .find_iter(chunk)
                    .filter(|&m| finder.matters(chunk, m))
                    .map(|(start, end, p)| (span.start + start, span.start + end, p)),
            );
            if let Some(i) = slot {
                if i >= self.flags.len() {
                    self.flags.resize(i + 1, 0);
                }
                let any = if self.found.len() > before { hit } else { 0 };
                if let Some(f) = self.flags.get_mut(i) {
                    *f |= searched | any;
                }
            }
        }
    }
}

/// Chunk numbers past this get no flags: more than the numbering hands out.
const MAX_QUIET_CHUNKS: usize = 1 << 16;

/// Every match of `lang`'s finder in `text` that [`Finder::matters`], in
/// order, to `each` until it says stop (see [`Quiet`]); from a search of
/// the whole text when this thread's memory is busy or gone.
fn for_each_match(
    finder: &Finder,
    lang: Lang,
    text: &str,
    mut each: impl FnMut((usize, usize, usize)) -> bool,
) {
    let done = QUIET
        .try_with(|cell| {
            let mut quiet = cell.try_borrow_mut().ok()?;
            quiet.search(finder, lang, text);
            for &m in &quiet.found {
                if !each(m) {
                    break;
                }
            }
            Some(())
        })
        .ok()
        .flatten();
    if done.is_none() {
        for m in finder.find_iter(text).filter(|&m| finder.matters(text, m)) {
            if !each(m) {
                break;
            }
        }
    }
}

/// `text` with the word each negator denies blanked out (the first word
/// after it that is not a filler, in the same clause; for a negator that
/// denies on its own, as French "pas", also the word before it), or
/// `None` when it holds no negator. A phrase found in `text` but not here
/// was denied: "não voltou a funcionar", "no funciona de nuevo", "ça
/// remarche pas". Asked only of the posts that hold a counter phrase and
/// deny something.
pub fn without_denied(text: &str, lang: Lang) -> Option<String> {
    let words = words_of(lang);
    // Each word, lower-cased once, with whether a clause break
    // (punctuation) follows it.
    let mut spans: Vec<(usize, usize, bool)> = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        let in_word = chars::is_alphanumeric(c) || c == '\'' || c == '’';
        match (in_word, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                spans.push((s, i, false));
                start = None;
            }
            _ => {}
        }
        if !in_word && !c.is_whitespace() {
            if let Some(last) = spans.last_mut() {
                last.2 = true;
            }
        }
    }
    let lowered: Vec<String> = spans
        .iter()
        .map(|&(s, e, _)| {
            let mut w = String::new();
            text[s..e]
                .chars()
                .for_each(|c| chars::push_lowercase(c, &mut w));
            w.replace('’', "'")
        })
        .collect();
    let is = |list: &[&str], w: &str| list.contains(&w);
    let mut denied: Vec<usize> = Vec::new();
    let mut any_negator = false;
    for (k, w) in lowered.iter().enumerate() {
        if lang == Lang::Fr && ELIDED.iter().any(|e| w.starts_with(e) && w.len() > 2) {
            // "n'arrive": the negator and the word it denies are one.
            denied.push(k);
            continue;
        }
        if !is(words.negators, w) {
            continue;
        }
        any_negator = true;
        let ends_clause = spans[k].2 || k + 1 == spans.len();
        // "ça remarche pas", "funciona nada": a negator that ends its
        // clause denies the word before it; one that opens the next
        // ("problème résolu jamais je quitte") does not. French "pas"
        // follows what it denies wherever it stands ("ça remarche pas
        // depuis hier"), unless it opens "pas de souci".
        let pas = w == "pas"
            && lowered
                .get(k + 1)
                .is_none_or(|next| !(next == "de" || next == "du" || next.starts_with("d'")));
        let backwards = ends_clause || (lang == Lang::Fr && pas);
        if is(words.alone, w) && backwards && k > 0 && !spans[k - 1].2 {
            denied.push(k - 1);
        }
        // Otherwise the first word after it that is not a filler, in the
        // same clause and within a few words; another negator denies for
        // itself, so the look stops there (a post of endless "not"s costs
        // one look each).
        let mut j = k;
        while !spans[j].2 && j < k + LOOKAHEAD {
            j += 1;
            let Some(next) = lowered.get(j) else { break };
            if is(words.negators, next) {
                break;
            }
            if !is(words.fillers, next) {
                denied.push(j);
                break;
            }
        }
    }
    if !any_negator && denied.is_empty() {
        return None;
    }
    let mut out = text.to_string();
    for k in denied {
        let (s, e, _) = spans[k];
        out.replace_range(s..e, &" ".repeat(e - s));
    }
    Some(out)
}

/// `phrase` (as written in a phrase list) holds a negator of `lang` as a
/// word: "no questions asked", "didn't affect me", "ça change rien".
pub fn holds_negator(phrase: &str, lang: Lang) -> bool {
    let words = words_of(lang);
    phrase.split(' ').any(|w| {
        words.negators.contains(&w) || (lang == Lang::Fr && ELIDED.iter().any(|e| w.starts_with(e)))
    })
}

/// What one pass over a post found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Found {
    /// Outside its questions, the post denies that something happened.
    pub denies: bool,
    /// A word that may open a "why" question is somewhere in the post.
    pub why_word: bool,
    /// A cue word of the shapes asked of few posts is somewhere in the
    /// post.
    pub cue_word: bool,
}

/// What `lang`'s finder looks for, and the kind of each.
fn patterns_of(lang: Lang) -> (Vec<String>, Vec<Kind>) {
    let mut patterns: Vec<String> = Vec::new();
    for w in words_of(lang).negators {
        patterns.push((*w).to_string());
        // "didn’t" is typed with a curly apostrophe as often as with a
        // straight one.
        if w.contains('\'') {
            patterns.push(w.replace('\'', "’"));
        }
        // The automaton folds ASCII case only: "NÃO" needs its own
        // pattern.
        if !w.is_ascii() {
            patterns.push(w.to_uppercase());
        }
    }
    let mut kinds = vec![Kind::Negator; patterns.len()];
    if lang == Lang::Fr {
        patterns.extend(ELIDED.iter().map(|e| e.to_string()));
        kinds.extend([Kind::Elided; ELIDED.len()]);
    }
    patterns.extend(WHY_WORDS.iter().map(|w| w.to_string()));
    kinds.extend([Kind::Why; WHY_WORDS.len()]);
    patterns.extend(cue_words(lang).iter().map(|w| w.to_string()));
    kinds.extend(vec![Kind::Cue; cue_words(lang).len()]);
    (patterns, kinds)
}

fn finder(lang: Lang) -> Option<&'static Finder> {
    static FINDERS: OnceLock<Vec<Option<Finder>>> = OnceLock::new();
    let finders = FINDERS.get_or_init(|| {
        Lang::ALL
            .iter()
            .map(|&lang| {
                let (patterns, kinds) = patterns_of(lang);
                let automaton = DFA::builder()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::LeftmostLongest)
                    .prefilter(false)
                    .build(&patterns)
                    .ok()?;
                let words = words_of(lang);
                Some(Finder {
                    automaton,
                    kinds,
                    words,
                    set_phrases: SetPhrases::of(words),
                })
            })
            .collect()
    });
    let i = Lang::ALL.iter().position(|&l| l == lang)?;
    finders.get(i)?.as_ref()
}

/// The post, outside its questions, denies that something happened or
/// works.
#[cfg(test)]
pub fn denies(text: &str, lang: Lang) -> bool {
    scan(text, lang).denies
}

/// Words looked at past a negator for what it denies: enough for "didn't
/// even get a single", few enough that a post of a million negators costs
/// no more than a million short looks.
const LOOKAHEAD: usize = 8;

/// Words before a negator standing alone that make it a set phrase: "de
/// nada", "de rien", "pourquoi pas", "no pasa nada".
const ALONE_AFTER: [&str; 4] = ["de", "por", "pasa", "pourquoi"];

/// Looks for denials and "why" words in one pass.
///
/// Each negator is looked at in time bounded by a few words: the clause it
/// sits in is found once for all the negators in it, the search for where
/// a clause starts resumes where the last one stopped, and the last French
/// "ne" is remembered rather than searched for.
pub fn scan(text: &str, lang: Lang) -> Found {
    let mut found = Found::default();
    let Some(finder) = finder(lang) else {
        return found;
    };
    // The current clause: where it starts, where it ends, whether it asks.
    let mut clause = (0, 0, false);
    let mut searched_to = 0;
    let mut last_ne: Option<usize> = None;
    for_each_match(finder, lang, text, |(start, end, pattern)| {
        let kind = finder.kinds.get(pattern).copied();
        match kind {
            Some(Kind::Why) => found.why_word = true,
            Some(Kind::Cue) => found.cue_word = true,
            _ => {}
        }
        if found.denies && found.why_word && found.cue_word {
            return false;
        }
        if found.denies || matches!(kind, Some(Kind::Why | Kind::Cue)) {
            return true;
        }
        let elided = kind == Some(Kind::Elided);
        if start >= clause.1 {
            let from = last_clause_end(text, searched_to, start).unwrap_or(clause.0);
            let (to, asks) = clause_end(text, end);
            clause = (from, to, asks);
        }
        searched_to = start;
        let negator = normalized(&text[start..end]);
        let french_ne = lang == Lang::Fr && (elided || negator == "ne");
        // "je ne sais pas": the "ne" before it spoke for the "pas".
        let spoken_for = lang == Lang::Fr && !french_ne && last_ne.is_some_and(|at| at >= clause.0);
        if french_ne {
            last_ne = Some(start);
        }
        if clause.2 || spoken_for {
            return true;
        }
        found.denies = denies_next(text, start, end, clause.1, elided, &negator, finder);
        true
    });
    found
}

/// What follows the negator at `start..end` (up to `clause_end`) is a thing
/// denied, not a set phrase.
fn denies_next(
    text: &str,
    start: usize,
    end: usize,
    clause_end: usize,
    elided: bool,
    negator: &str,
    finder: &Finder,
) -> bool {
    let words = finder.words;
    let mut next = text[end..clause_end]
        .split(is_separator)
        .filter(|w| !w.is_empty())
        .take(LOOKAHEAD)
        .map(normalized)
        .skip_while(|w| words.fillers.contains(&w.as_ref()));
    match next.next() {
        None => {
            let before = text[..start].trim_end();
            let previous = before.rsplit(is_separator).next().unwrap_or("");
            !elided
                && words.alone.contains(&negator)
                && !ALONE_AFTER.iter().any(|w| previous.eq_ignore_ascii_case(w))
        }
        Some(word) => {
            if word.chars().all(|c| c.is_ascii_digit()) {
                return false;
            }
            !finder.set_phrases.follow(&word, &mut next)
        }
    }
}

/// A language's set phrases (see [`Words::set_phrases`]) sorted by how
/// they are matched, so that the word after a negator is looked up rather
/// than compared with every entry: it is asked of nearly every post with a
/// negator in it.
struct SetPhrases {
    /// Whole words ("forget", "idea"), sorted.
    words: Vec<&'static str>,
    /// Beginnings of a word ("worr-" as "worr").
    beginnings: Vec<&'static str>,
    /// Entries of several words ("change a thing"), as written.
    several: Vec<&'static str>,
}

impl SetPhrases {
    fn of(words: &Words) -> SetPhrases {
        let mut sets = SetPhrases {
            words: Vec::new(),
            beginnings: Vec::new(),
            several: Vec::new(),
        };
        for &entry in words.set_phrases {
            match set_phrase(entry) {
                _ if entry.contains(' ') => sets.several.push(entry),
                (phrase, true) => sets.beginnings.push(phrase),
                (phrase, false) => sets.words.push(phrase),
            }
        }
        sets.words.sort_unstable();
        sets
    }

    /// Whether `word`, and the words after it (`next`, read only as far as
    /// an entry of several words needs), make a set phrase with the
    /// negator before them.
    fn follow<'t>(&self, word: &str, next: &mut impl Iterator<Item = Cow<'t, str>>) -> bool {
        // A word holds no space, so an entry of one word matches it alone
        // and an entry with a space never does.
        if self.words.binary_search(&word).is_ok()
            || self.beginnings.iter().any(|b| word.starts_with(b))
        {
            return true;
        }
        // An entry of several words can match only when its first word is
        // this one, and then the next words are joined, as many as it has
        // ("change a thing").
        let mut joined = String::new();
        let mut joined_words = 0;
        self.several.iter().any(|entry| {
            let (phrase, beginning) = set_phrase(entry);
            let of_several =
                phrase.as_bytes().get(word.len()) == Some(&b' ') && phrase.starts_with(word);
            if !of_several {
                return false;
            }
            let wanted = phrase.split(' ').count();
            if joined_words == 0 {
                joined.push_str(word);
                joined_words = 1;
            }
            while joined_words < wanted {
                let Some(w) = next.next() else { break };
                joined.push(' ');
                joined.push_str(&w);
                joined_words += 1;
            }
            if joined_words < wanted {
                return false;
            }
            let target = first_words(&joined, wanted);
            if beginning {
                target.starts_with(phrase)
            } else {
                target == phrase
            }
        })
    }
}

/// The first `n` space-separated words of `words`.
fn first_words(words: &str, n: usize) -> &str {
    match words.match_indices(' ').nth(n.saturating_sub(1)) {
        Some((at, _)) => &words[..at],
        None => words,
    }
}

/// The phrase of `entry` (see [`Words::set_phrases`]), and whether it is
/// a beginning ("worr-") rather than whole words.
fn set_phrase(entry: &str) -> (&str, bool) {
    match entry.strip_suffix('-') {
        Some(p) => (p, true),
        None => (entry, false),
    }
}

fn is_separator(c: char) -> bool {
    !(chars::is_alphanumeric(c) || c == '\'' || c == '’')
}

/// `i` is not inside a word.
fn word_edge(text: &str, i: usize) -> bool {
    let before = text[..i].chars().next_back();
    let after = text[i..].chars().next();
    !(before.is_some_and(|c| !is_separator(c)) && after.is_some_and(|c| !is_separator(c)))
}

/// Where the clause holding `from` ends, and whether it ends in a question
/// mark.
fn clause_end(text: &str, from: usize) -> (usize, bool) {
    match text[from..]
        .char_indices()
        .find(|&(i, c)| ends_clause(text, from + i, c))
    {
        Some((i, c)) => (from + i, matches!(c, '?' | '？')),
        None => (text.len(), false),
    }
}

/// Just past the last clause end in `text[from..to]`, if any.
fn last_clause_end(text: &str, from: usize, to: usize) -> Option<usize> {
    text[from..to]
        .char_indices()
        .rev()
        .find(|&(i, c)| ends_clause(text, from + i, c))
        .map(|(i, c)| from + i + c.len_utf8())
}

/// The character `c` at byte `at` ends a clause: a '.' or ',' inside a
/// number or a name ("$5.99", "v2.1", "t.co") does not.
fn ends_clause(text: &str, at: usize, c: char) -> bool {
    if matches!(c, '.' | ',') {
        let before = text[..at].chars().next_back();
        let after = text[at + 1..].chars().next();
        if before.is_some_and(chars::is_alphanumeric) && after.is_some_and(chars::is_alphanumeric) {
            return false;
        }
    }
    is_clause_end(c)
}

/// A word in lower case, its curly apostrophes straightened: borrowed when
/// it is so already, as nearly every word is (a string made for every word
/// looked at past a negator was a tenth of the complaint stage).
fn normalized(word: &str) -> Cow<'_, str> {
    if word
        .bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
    {
        return Cow::Borrowed(word);
    }
    Cow::Owned(
        word.chars()
            .map(|c| if c == '’' { '\'' } else { c })
            .flat_map(char::to_lowercase)
            .collect(),
    )
}

/// The clauses of `text` that do not end in a question mark.
pub(super) fn statements(text: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    let mut done = false;
    std::iter::from_fn(move || loop {
        if done {
            return None;
        }
        let rest = &text[start..];
        let (clause, end, question) = match rest
            .char_indices()
            .find(|&(i, c)| ends_clause(text, start + i, c))
        {
            Some((i, c)) => (
                &rest[..i],
                start + i + c.len_utf8(),
                matches!(c, '?' | '？'),
            ),
            None => {
                done = true;
                (rest, text.len(), false)
            }
        };
        start = end;
        if !question {
            return Some(clause);
        }
    })
}

fn is_clause_end(c: char) -> bool {
    matches!(c, '.' | ',' | '!' | '?' | '？' | ';' | '\n' | '…' | '¿')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `AhoCorasick::find_iter` reports for `lang`'s patterns.
    fn crate_matches(lang: Lang, text: &str) -> Vec<(usize, usize, usize)> {
        let automaton = aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(patterns_of(lang).0)
            .unwrap();
        automaton
            .find_iter(text)
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect()
    }

    fn our_matches(lang: Lang, text: &str) -> Vec<(usize, usize, usize)> {
        finder(lang).unwrap().find_iter(text).collect()
    }

    #[test]
    fn no_pattern_is_empty_and_the_kinds_line_up() {
        for lang in Lang::ALL {
            let (patterns, kinds) = patterns_of(lang);
            assert!(patterns.iter().all(|p| !p.is_empty()), "{lang:?}");
            assert_eq!(kinds.len(), patterns.len(), "{lang:?}");
        }
    }

    #[test]
    fn the_walk_finds_the_leftmost_longest_matches_by_hand() {
        // "nothing" over "not" and "no"; "know" holds a "no"; "cannot" over
        // "can't"-less "no"; a match ends where the next search starts.
        let text = "I know NOTHING, cannot why-not";
        let found: Vec<&str> = our_matches(Lang::En, text)
            .into_iter()
            .map(|(start, end, _)| &text[start..end])
            .collect();
        assert_eq!(found, ["no", "NOTHING", "cannot", "why", "not"]);
        assert_eq!(our_matches(Lang::En, ""), []);
        assert_eq!(
            our_matches(Lang::Fr, "n’arrive n'est"),
            crate_matches(Lang::Fr, "n’arrive n'est")
        );
    }

    /// Negators, "why" words and their pieces, in odd cases, with what sits
    /// between words.
    const PIECES: &[&str] = &[
        " ", "  ", ".", ",", "?", "'", "’", "-", "n", "no", "NO", "not", "Not", "nothing", "n't",
        "n’t", "didn't", "DIDN’T", "cant", "can't", "cannot", "know", "snow", "why", "How", "por",
        "POURQUOI", "pq", "xq", "zero", "neither", "without", "não", "NÃO", "nao", "nunca",
        "nadie", "ninguém", "NINGUÉM", "sem", "sin", "jamás", "ne", "pas", "n'", "rien", "aucune",
        "sans", "é", "😂", "x", "\t", "\u{a0}", "\n",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 500,
            ..proptest::prelude::ProptestConfig::default()
        })]

        /// The walk finds what the crate's search finds; chunk by chunk,
        /// and again once the chunks are numbered and flagged (a chunk is
        /// numbered on its second sighting), it finds what the crate's
        /// search of the whole text finds that the scan acts on.
        #[test]
        fn the_walk_finds_what_the_crates_search_finds(
            picks in proptest::collection::vec(0..PIECES.len(), 0..24),
            lang in 0..Lang::ALL.len(),
        ) {
            let text: String = picks.iter().map(|&i| PIECES[i]).collect();
            let lang = Lang::ALL[lang];
            proptest::prop_assert_eq!(our_matches(lang, &text), crate_matches(lang, &text), "{}", text);
            let f = finder(lang).unwrap();
            let mut expected = crate_matches(lang, &text);
            expected.retain(|&m| f.matters(&text, m));
            for _ in 0..3 {
                for_each_match(finder(lang).unwrap(), lang, "zqxw", |_| true);
                let mut found = Vec::new();
                for_each_match(finder(lang).unwrap(), lang, &text, |m| {
                    found.push(m);
                    true
                });
                proptest::prop_assert_eq!(&found, &expected, "{}", text);
            }
        }
    }

    #[test]
    fn a_chunk_known_to_hold_nothing_is_skipped_and_one_with_a_negator_is_not() {
        let text = "zqxv nothing zqxv not";
        let finder = finder(Lang::En).unwrap();
        for _ in 0..3 {
            // Another text between: a chunk is numbered when seen again in
            // another post (the same text twice is split once).
            for_each_match(finder, Lang::En, "zqxw", |_| true);
            let mut found = Vec::new();
            for_each_match(finder, Lang::En, text, |m| {
                found.push(&text[m.0..m.1]);
                true
            });
            assert_eq!(found, ["nothing", "not"]);
        }
        QUIET.with(|q| {
            let q = q.borrow();
            let id = q.spans[0].id as usize;
            assert_ne!(q.spans[0].id, UNNUMBERED);
            // Searched in English, nothing found; "nothing" was found.
            assert_eq!(q.flags[id] & 0b11, 0b01);
            assert_eq!(q.flags[q.spans[1].id as usize] & 0b11, 0b11);
        });
    }

    #[test]
    fn denied_events_in_english() {
        for text in [
            "@Starbucks my stars from yesterday's purchase didn't post to my account",
            "nobody showed up, took the day off for this",
            "3 days without power in this heat",
            "whatsapp not sending messages",
            "they haven't even started it",
            "Three technicians scheduled, zero showed up.",
            "order said delivered. nothing at my door",
        ] {
            assert!(denies(text, Lang::En), "{text}");
        }
    }

    #[test]
    fn set_phrases_and_questions_deny_nothing() {
        for text in [
            "don't forget to vote",
            "no problem at all, thanks",
            "can't wait for the weekend",
            "I don't know, maybe",
            "not bad for a monday",
            "can you not charge me twice?",
            "zero issues since the update",
            "no",
        ] {
            assert!(!denies(text, Lang::En), "{text}");
        }
    }

    #[test]
    fn denied_events_in_other_languages() {
        assert!(denies(
            "No me llegan los mensajes desde hace media hora",
            Lang::Es
        ));
        assert!(denies("Cuarto día sin agua caliente", Lang::Es));
        assert!(!denies("no te preocupes, sin duda mañana", Lang::Es));
        assert!(denies("Nem ligação completa", Lang::Pt));
        assert!(denies("Ninguém tocou à campainha", Lang::Pt));
        assert!(!denies("não sei, sem dúvida", Lang::Pt));
        assert!(denies("ma manette ne se connecte plus", Lang::Fr));
        assert!(denies("le colis n'arrive toujours pas", Lang::Fr));
        assert!(denies("ça marche pas", Lang::Fr));
        assert!(!denies("pas mal du tout, je ne sais pas", Lang::Fr));
        assert!(!denies("plus de films ce mois-ci", Lang::Fr));
        assert!(denies("il n'y a plus d'eau chaude depuis lundi", Lang::Fr));
        assert!(!denies("de rien, pourquoi pas", Lang::Fr));
        assert!(!denies("@anonymous de nada", Lang::Es));
        assert!(!denies("no pasa nada", Lang::Es));
        assert!(denies("tres días sin maleta en el hotel", Lang::Es));
        assert!(!denies("não tem de quê", Lang::Pt));
    }

    #[test]
    fn set_phrases_of_several_words_need_them_all() {
        assert!(!denies("it did not change anything", Lang::En));
        assert!(!denies("i wouldn't change a thing", Lang::En));
        assert!(!denies("Would not change a thing.", Lang::En));
        assert!(denies("would not change a tire", Lang::En));
        assert!(denies("would not change a", Lang::En));
        assert!(denies("would not change my plan", Lang::En));
        assert!(denies("did not change", Lang::En));
        assert!(!denies("no pasa nada", Lang::Es));
        assert!(denies("no pasa el tren", Lang::Es));
        assert!(!denies("não tem de quê", Lang::Pt));
        assert!(denies("não tem dedo", Lang::Pt));
    }

    /// The rule `SetPhrases` sorts: every entry compared in turn, the next
    /// words joined for one of several words.
    fn follows_by_comparing_every_entry(lang: Lang, word: &str, rest: &[&str]) -> bool {
        words_of(lang).set_phrases.iter().any(|entry| {
            let (phrase, beginning) = set_phrase(entry);
            let wanted = phrase.split(' ').count();
            let target = if wanted > 1 && phrase.starts_with(&format!("{word} ")) {
                if rest.len() + 1 < wanted {
                    return false;
                }
                std::iter::once(word)
                    .chain(rest.iter().copied())
                    .take(wanted)
                    .collect::<Vec<_>>()
                    .join(" ")
            } else {
                word.to_string()
            };
            if beginning {
                target.starts_with(phrase)
            } else {
                target == phrase
            }
        })
    }

    #[test]
    fn sorted_set_phrases_match_what_comparing_every_entry_matches() {
        for &lang in Lang::ALL.iter() {
            let sets = &finder(lang).unwrap().set_phrases;
            let entries = words_of(lang).set_phrases;
            assert_eq!(
                sets.words.len() + sets.beginnings.len() + sets.several.len(),
                entries.len()
            );
            let (mut checked, mut set) = (0, 0);
            for entry in entries {
                let words: Vec<&str> = set_phrase(entry).0.split(' ').collect();
                for ending in ["", "s", "ing", "x"] {
                    let first = format!("{}{ending}", words[0]);
                    // The entry's own words, its last word lengthened (which
                    // only a beginning still matches), too few words, others.
                    let mut longer: Vec<String> =
                        words[1..].iter().map(|w| w.to_string()).collect();
                    if let Some(last) = longer.last_mut() {
                        last.push('e');
                    }
                    let longer: Vec<&str> = longer.iter().map(String::as_str).collect();
                    let rests: [&[&str]; 5] = [&words[1..], &longer, &[], &["a", "tire"], &["a"]];
                    for rest in rests {
                        let mut next = rest.iter().map(|w| Cow::Borrowed(*w));
                        let follows = sets.follow(&first, &mut next);
                        assert_eq!(
                            follows,
                            follows_by_comparing_every_entry(lang, &first, rest),
                            "{lang:?} {first} {rest:?}"
                        );
                        checked += 1;
                        set += usize::from(follows);
                    }
                }
            }
            assert_eq!(checked, 20 * entries.len());
            // Every entry is met at least once as written, and some words
            // made from them are not set phrases.
            assert!(set >= entries.len() && set < checked, "{set} of {checked}");
        }
    }

    #[test]
    fn curly_apostrophes_whole_words_and_dotted_numbers() {
        assert!(denies("my order didn’t ship", Lang::En));
        assert!(denies("my phone will not charge", Lang::En));
        assert!(denies("still no feedback from support", Lang::En));
        assert!(denies("they haven't issued my refund", Lang::En));
        // the '.' in "v2.1" does not end the question it is in
        assert!(!denies(
            "is it normal that netflix doesnt load on v2.1?",
            Lang::En
        ));
    }

    #[test]
    fn a_line_of_a_million_negators_is_looked_at_word_by_word() {
        // Each negator costs a few words of looking, whatever the length:
        // before, every one scanned to the end of its clause and back.
        let line = "no problem ".repeat(50_000);
        assert!(!denies(&line, Lang::En));
        let line = format!("{}1", "pas ".repeat(50_000));
        assert!(denies(&line, Lang::Fr));
        let line = format!("{}?", "no ".repeat(50_000));
        assert!(!denies(&line, Lang::En));
    }
}
