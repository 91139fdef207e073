//! A light guess at a post's language among English, Spanish, Portuguese and
//! French.
//!
//! Archives often carry no language field, and scoring "no funciona" with
//! English modifiers would miss the negation. Short posts defeat statistical
//! detectors anyway, so this counts common function words of each language
//! (a word shared by several languages is split between them) and adds cues
//! from letters only some of them use (ñ, ã, è…). No evidence means English,
//! the language of most posts.

use std::cell::RefCell;
use std::sync::OnceLock;

use crate::lang::Lang;

use super::lexicon::{FastMap, Symbols, Table};
use super::memo::Memo;
use super::tokens::{self, Kind, Tok, Tokens, ELONG};

/// Longer than any word in `WORDS` (in bytes).
const MAX_COMMON_LEN: usize = 12;

/// The least evidence that makes a post not English.
const MIN_EVIDENCE: f32 = 0.8;

const EN: u8 = 1;
const ES: u8 = 2;
const PT: u8 = 4;
const FR: u8 = 8;

/// Frequent words of each language. Apostrophes are kept as typed, since
/// detection runs before the language's apostrophe rule is known.
const WORDS: &[(u8, &[&str])] = &[
    (
        EN,
        &[
            "the",
            "and",
            "is",
            "thank",
            "you're",
            "i'll",
            "i've",
            "lets",
            "let's",
            "yes",
            "ok",
            "well",
            "way",
            "into",
            "over",
            "after",
            "before",
            "because",
            "cause",
            "last",
            "first",
            "never",
            "every",
            "everyone",
            "home",
            "tv",
            "show",
            "movie",
            "guys",
            "man",
            "oh",
            "yeah",
            "right",
            "great",
            "best",
            "fun",
            "hope",
            "hate",
            "ever",
            "more",
            "which",
            "where",
            "him",
            "her",
            "his",
            "them",
            "us",
            "am",
            "bad",
            "better",
            "feel",
            "make",
            "made",
            "said",
            "say",
            "look",
            "come",
            "take",
            "give",
            "tell",
            "let",
            "keep",
            "try",
            "call",
            "tomorrow",
            "week",
            "year",
            "years",
            "life",
            "world",
            "down",
            "school",
            "game",
            "someone",
            "something",
            "nothing",
            "everything",
            "anything",
            "though",
            "sure",
            "u",
            "ur",
            "r",
            "are",
            "was",
            "were",
            "be",
            "been",
            "to",
            "of",
            "in",
            "it",
            "its",
            "it's",
            "i",
            "i'm",
            "im",
            "you",
            "your",
            "my",
            "me",
            "we",
            "they",
            "he",
            "she",
            "this",
            "that",
            "with",
            "for",
            "on",
            "at",
            "have",
            "has",
            "had",
            "do",
            "does",
            "did",
            "don't",
            "dont",
            "can't",
            "cant",
            "not",
            "but",
            "just",
            "so",
            "what",
            "why",
            "how",
            "when",
            "all",
            "get",
            "got",
            "will",
            "would",
            "could",
            "should",
            "about",
            "from",
            "out",
            "up",
            "if",
            "or",
            "an",
            "there",
            "their",
            "our",
            "than",
            "then",
            "now",
            "today",
            "tonight",
            "night",
            "watch",
            "watching",
            "going",
            "gonna",
            "know",
            "like",
            "love",
            "really",
            "still",
            "again",
            "off",
            "who",
            "time",
            "day",
            "down",
            "working",
            "work",
            "be",
            "being",
            "by",
            "as",
            "isn't",
            "doesn't",
            "won't",
            "wont",
            "you're",
            "that's",
            "thats",
            "lol",
            "omg",
            "please",
            "thanks",
            "christmas",
            "eve",
            "happy",
            "good",
            "people",
            "want",
            "need",
            "one",
            "some",
            "any",
            "too",
            "very",
            "much",
            "new",
            "see",
            "go",
            "make",
            "think",
            "here",
            "back",
            "only",
            "even",
        ],
    ),
    (
        ES,
        &[
            "el",
            "los",
            "las",
            "y",
            "es",
            "está",
            "esta",
            "están",
            "estan",
            "son",
            "fue",
            "del",
            "al",
            "lo",
            "un",
            "una",
            "unos",
            "por",
            "para",
            "con",
            "sin",
            "pero",
            "más",
            "muy",
            "mucho",
            "como",
            "cómo",
            "qué",
            "porque",
            "todo",
            "todos",
            "ya",
            "hoy",
            "noche",
            "nada",
            "nunca",
            "también",
            "tambien",
            "yo",
            "tú",
            "él",
            "ella",
            "nosotros",
            "ellos",
            "mi",
            "mis",
            "su",
            "sus",
            "nos",
            "le",
            "les",
            "eso",
            "esto",
            "este",
            "ese",
            "aquí",
            "aqui",
            "ahora",
            "cuando",
            "donde",
            "dónde",
            "hay",
            "tengo",
            "tiene",
            "tienen",
            "puedo",
            "puede",
            "quiero",
            "hacer",
            "ver",
            "funciona",
            "sirve",
            "navidad",
            "nochebuena",
            "feliz",
            "gracias",
            "bueno",
            "buena",
            "malo",
            "mala",
            "mierda",
            "ni",
            "tampoco",
            "así",
            "asi",
            "entonces",
            "otra",
            "otro",
            "vez",
            "siempre",
            "solo",
            "sólo",
            "ahorita",
            "pues",
            "bien",
            "estoy",
            "están",
            "será",
            "sera",
            "pelicula",
            "película",
            "hasta",
            "desde",
            "señal",
            "servicio",
            "alguien",
            "nadie",
            "mismo",
            "misma",
            "veces",
            "mientras",
            "voy",
            "todavía",
            "todavia",
            "cayó",
            "cayo",
            "pasa",
            "ayer",
            "hace",
            "porfa",
        ],
    ),
    (
        PT,
        &[
            "o", "os", "e", "é", "está", "tá", "ta", "estão", "estao", "são", "sao", "foi", "do",
            "da", "dos", "das", "no", "na", "nos", "nas", "um", "uma", "pra", "para", "com", "sem",
            "mas", "mais", "muito", "muita", "como", "porque", "tudo", "todo", "todos", "já", "ja",
            "hoje", "noite", "nada", "nunca", "também", "tambem", "eu", "você", "voce", "vc",
            "ele", "ela", "nós", "eles", "meu", "minha", "seu", "sua", "isso", "isto", "esse",
            "essa", "aqui", "agora", "quando", "onde", "tem", "tenho", "posso", "pode", "quero",
            "fazer", "ver", "funciona", "natal", "feliz", "obrigado", "obrigada", "bom", "boa",
            "ruim", "não", "nao", "nem", "então", "entao", "outra", "outro", "vez", "sempre", "só",
            "so", "assistir", "filme", "ao", "aos", "às", "pela", "pelo", "né", "aí", "ai", "vai",
            "vou", "estou", "cadê", "cade", "serviço", "servico", "sinal", "até", "ate", "desde",
            "dia", "ainda", "depois", "mesmo", "mesma", "ninguém", "ninguem", "alguém", "alguem",
            "qual", "vezes", "caiu", "chegou", "fica", "tava", "estava", "vão", "valeu", "pfvr",
            "vcs", "enquanto", "trabalho", "tô",
        ],
    ),
    (
        FR,
        &[
            "le",
            "les",
            "et",
            "est",
            "c'est",
            "n'est",
            "sont",
            "était",
            "etait",
            "du",
            "des",
            "au",
            "aux",
            "un",
            "une",
            "pour",
            "avec",
            "sans",
            "mais",
            "très",
            "trop",
            "comme",
            "pourquoi",
            "tout",
            "tous",
            "toute",
            "déjà",
            "aujourd'hui",
            "ce",
            "soir",
            "nuit",
            "rien",
            "jamais",
            "aussi",
            "je",
            "j'ai",
            "tu",
            "il",
            "elle",
            "nous",
            "vous",
            "ils",
            "elles",
            "mon",
            "ma",
            "mes",
            "ton",
            "ta",
            "son",
            "sa",
            "ses",
            "ça",
            "ca",
            "cela",
            "cette",
            "cet",
            "ici",
            "maintenant",
            "quand",
            "où",
            "ai",
            "as",
            "avons",
            "avez",
            "ont",
            "peux",
            "peut",
            "veux",
            "faire",
            "voir",
            "marche",
            "fonctionne",
            "noël",
            "noel",
            "joyeux",
            "merci",
            "bon",
            "bonne",
            "mauvais",
            "ne",
            "pas",
            "aucun",
            "aucune",
            "alors",
            "fois",
            "toujours",
            "seulement",
            "qui",
            "dans",
            "sur",
            "être",
            "etre",
            "avoir",
            "suis",
            "es",
            "vraiment",
            "regarder",
            "chez",
            "moi",
            "toi",
            "lui",
            "leur",
            "qu'il",
            "d'un",
            "d'une",
            "l'a",
            "m'a",
            "j'aime",
            "depuis",
            "jusqu'à",
            "jour",
            "même",
            "été",
            "après",
            "avant",
            "matin",
            "vu",
            "fait",
            "là",
            "y'a",
            "quoi",
            "chose",
            "c'était",
            "j'étais",
            "l'ai",
            "n'ai",
            "qu'on",
            "personne",
            "payé",
            "reçu",
            "voisins",
            "colis",
            "hier",
            "beaucoup",
            "moins",
            "chaque",
            "selon",
            "enfin",
            "quelqu'un",
            "stp",
            "panne",
            "nul",
            "nulle",
            "heures",
            "environ",
            "chui",
        ],
    ),
    // Shared words, split between the languages that use them.
    (ES | PT | FR, &["que", "de", "en"]),
    (EN | ES | PT | FR, &["a"]),
    (ES | FR, &["la", "se", "me", "te"]),
    (ES | PT, &["se", "me", "te", "si", "sí", "mi"]),
    // "tres" is Spanish "three" and French "très" typed without its accent;
    // "à" is French and Portuguese alike.
    (ES | FR, &["tres"]),
    // "deja" is French "déjà" typed without accents, and Spanish "no me
    // deja", "deja de".
    (ES | FR, &["deja"]),
    (ES | PT, &["hora", "toda", "pq"]),
    (PT | FR, &["à"]),
    (EN | ES | PT, &["no"]),
    // French words English writes the same way: alone they are no
    // evidence of French ("awful service", "customer service").
    (EN | FR, &["service", "film", "plus", "encore"]),
];

/// Everyday words of a language that an English lexicon would misread
/// ("pain" is bread in French, "sin" is "without" in Spanish). They are too
/// rare, or too English, to count as evidence of the language.
const FALSE_FRIENDS: &[(u8, &[&str])] = &[
    (
        ES,
        &[
            "once",
            "pie",
            "red",
            "come",
            "dice",
            "sale",
            "real",
            "fin",
            "pan",
            "mire",
            "actual",
            "embarazada",
            "largo",
            "asistir",
            "molestar",
            "sensible",
            "constipado",
            "dime",
        ],
    ),
    (
        PT,
        &[
            "pena",
            "puxa",
            "sensible",
            "dime",
            "pretender",
            "parente",
            "fome",
        ],
    ),
    (
        FR,
        &[
            "pain", "dire", "sale", "car", "sort", "lame", "rage", "coin", "main", "chair", "four",
            "pour", "mine", "fade", "blesser", "blessé", "sensible", "crane", "rue", "bride",
            "chat", "lit", "met", "cent", "fin", "pile", "bras", "gens", "hate",
        ],
    ),
];

/// Words as the tokenizer writes them before the language is known (the
/// English apostrophe rule: "c'est" → "cest", "i'm" → "i").
fn build(lists: &[(u8, &[&'static str])]) -> FastMap<Box<str>, u8> {
    let mut map: FastMap<Box<str>, u8> = FastMap::default();
    for (mask, words) in lists {
        for w in *words {
            let key = tokens::normalize_word(w, Lang::En).into_boxed_str();
            *map.entry(key).or_insert(0) |= *mask;
        }
    }
    map
}

fn common_words() -> &'static FastMap<Box<str>, u8> {
    static TABLE: OnceLock<FastMap<Box<str>, u8>> = OnceLock::new();
    TABLE.get_or_init(|| build(WORDS))
}

fn false_friends() -> &'static FastMap<Box<str>, u8> {
    static TABLE: OnceLock<FastMap<Box<str>, u8>> = OnceLock::new();
    TABLE.get_or_init(|| build(FALSE_FRIENDS))
}

/// The frequent words of `lang` as typed (apostrophes kept).
pub(crate) fn common_words_of(lang: Lang) -> impl Iterator<Item = &'static str> {
    WORDS
        .iter()
        .filter(move |(mask, _)| mask & bit(lang) != 0)
        .flat_map(|(_, words)| words.iter().copied())
}

pub(crate) fn bit(lang: Lang) -> u8 {
    match lang {
        Lang::En => EN,
        Lang::Es => ES,
        Lang::Pt => PT,
        Lang::Fr => FR,
    }
}

/// Whether `word` is a common word of `lang`: such words are never scored
/// through the English table ("pain" is bread in French).
pub(crate) fn is_common_word(word: &str, lang: Lang) -> bool {
    let has =
        |table: &FastMap<Box<str>, u8>| table.get(word).is_some_and(|mask| mask & bit(lang) != 0);
    has(common_words()) || has(false_friends())
}

/// The language of the tokens of one post.
pub(crate) fn detect_tokens(toks: &Tokens) -> Lang {
    let table = common_words();
    tally(toks, |t| {
        // Every listed word is short; longer ones need no lookup.
        if t.end - t.start > MAX_COMMON_LEN {
            return 0;
        }
        let word = toks.text(t);
        votes_of(table.get(word).copied(), word, t.flags, |w| {
            table.get(w).copied()
        })
    })
}

/// A word's language votes: `as_written` (the votes a table gives `word`
/// as written, looked up by the caller) or, when that gives none and the
/// word was typed elongated, the votes `table` gives the word with its
/// repeats squeezed to one letter: "NO FUNCIONAAAA" is as Spanish as "no
/// funciona". Every count of votes goes through here, so that detection
/// and the scorer's own lookups agree.
pub(crate) fn votes_of(
    as_written: Option<u8>,
    word: &str,
    flags: u8,
    table: impl Fn(&str) -> Option<u8>,
) -> u8 {
    let as_written = as_written.unwrap_or(0);
    if as_written != 0 || flags & ELONG == 0 {
        return as_written;
    }
    let mut squeezed = String::new();
    tokens::squeeze_to_one(word, &mut squeezed);
    table(&squeezed).unwrap_or(0)
}

/// [`detect_tokens`] of tokens pasted by `memo`, from what it remembers:
/// a word's English lookup carries its vote (the English table holds every
/// common word with its mask, see [`common_word_masks`]), and a word not
/// looked up yet asks the English table `en`.
pub(crate) fn detect_remembered(en: &Table, toks: &Tokens, memo: &Memo) -> Lang {
    tally(toks, |t| match memo.known(t.kept, Lang::En) {
        Some(lookup) => lookup.langs,
        None => {
            let votes = |w: &str| en.entries.get(w).map(|e| e.langs);
            let word = toks.text(t);
            votes_of(votes(word), word, t.flags, votes)
        }
    })
}

/// The language the votes of the post's words point to, `mask_of` giving
/// each word's (0 for none), with the cues its tokens carry.
fn tally(toks: &Tokens, mask_of: impl Fn(&Tok) -> u8) -> Lang {
    let mut score = toks.stats.cues;
    for t in toks.toks.iter().filter(|t| t.kind == Kind::Word) {
        let mask = mask_of(t);
        if mask != 0 {
            add_evidence(&mut score, mask, t.end - t.start);
        }
    }
    decide(&score)
}

/// Adds one common word's vote, split between the languages in `mask`.
pub(crate) fn add_evidence(score: &mut [f32; 4], mask: u8, word_len: usize) {
    let share = SHARES[usize::from(mask)][usize::from(word_len == 1)];
    // `bit(lang)` is bit `lang.index()`.
    for (k, s) in score.iter_mut().enumerate() {
        if mask & (1 << k) != 0 {
            *s += share;
        }
    }
}

/// Each language's share of one vote, by mask and by whether the word is a
/// single letter: made once here, since every common word of every post
/// votes.
static SHARES: [[f32; 2]; 256] = shares();

const fn shares() -> [[f32; 2]; 256] {
    let mut t = [[0.0; 2]; 256];
    let mut mask = 0;
    while mask < 256 {
        let n = (mask as u8).count_ones();
        let n = if n == 0 { 1 } else { n };
        // Single letters ("e", "o", "y") are also initials and spelled-out
        // words in any language: half a vote.
        t[mask] = [1.0 / n as f32, 0.5 / n as f32];
        mask += 1;
    }
    t
}

/// The language the evidence points to.
pub(crate) fn decide(score: &[f32; 4]) -> Lang {
    // Another language must beat English and show some evidence of its own;
    // one stray "le" or "e" in an English post is not enough.
    let mut best = Lang::En;
    let mut best_score = MIN_EVIDENCE;
    for lang in [Lang::Es, Lang::Pt, Lang::Fr] {
        let s = score[lang.index()];
        if s >= best_score
            && s > score[Lang::En.index()]
            && (best == Lang::En || s > score[best.index()])
        {
            best = lang;
            best_score = s;
        }
    }
    best
}

/// The common-word lists as `(word as the English rule writes it, mask)`,
/// for the scorer's English table, which then yields detection evidence
/// with the lookups it makes anyway.
pub(crate) fn common_word_masks() -> impl Iterator<Item = (&'static str, u8)> {
    common_words().iter().map(|(w, &m)| (&**w, m))
}

/// Guesses the language of `text` among the four outcry knows; English when
/// nothing points elsewhere.
pub fn detect_language(text: &str) -> Lang {
    thread_local! {
        static TOKENS: RefCell<Tokens> = RefCell::new(Tokens::default());
    }
    let empty = Symbols::default();
    TOKENS.with(|cell| match cell.try_borrow_mut() {
        Ok(mut toks) => {
            tokens::tokenize(text, &empty, Lang::En, &mut toks);
            detect_tokens(&toks)
        }
        Err(_) => {
            let mut toks = Tokens::default();
            tokens::tokenize(text, &empty, Lang::En, &mut toks);
            detect_tokens(&toks)
        }
    })
}
