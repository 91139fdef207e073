//! The signals that are shapes of text rather than words: error codes,
//! durations, repeats, a failure that keeps on, "X down?", something other
//! than what was ordered and a fix timed in minutes. Kept as regular
//! expressions in one set, so a post is scanned once for all of them (and
//! again by a small set only when it holds a timed fix, see [`SLOW`], or
//! one of the cue words of the [`CUED`] shapes). Something overdue is
//! read by `late.rs`, which compares two moments.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use regex_syntax::hir::Hir;

use super::sets::{every_bit, parsed, ForwardSet, Set};
use super::stand_in::StandIns;

/// Error codes as services print them: "nw-2-5", "ui-113", "error 1011",
/// "código de erro 404", "0x80a40019".
const ERROR_CODES: &[&str] = &[
    r"(?i)\b[a-z]{1,3}-\d{1,3}-\d{1,4}\b",
    r"(?i)\b(?:ui|nw|tvq|s7|pl)-?\d{2,5}\b",
    r"(?i)\b[hm]-?\d{4,5}\b",
    r"(?i)\b(?:error|err|code|erro|c[oó]digo|erreur)\s*(?:code\s*)?[:#]?\s*[a-z]{0,4}-?\d{2,6}\b",
    r"(?i)\b0x[0-9a-f]{6,8}\b",
    r"\b\d{4}-\d{4}\b",
    // HTTP failures by number: "a 500 error", "giving 503s", "erreur 502".
    r"(?i)\b[45]\d\d\s*(?:errors?|erro|erreur|error page)\b",
    r"(?i)\b404\s*(?:page|not found)\b",
    r"(?i)\b(?:giving|getting|throwing|returning|returns|gives|shows)\s+(?:me\s+)?(?:an?\s+)?[45]\d\ds?\b",
];

/// How long the problem has lasted or the author has waited. A bare "in 10
/// min" is left out: that is how fast a fix came (see [`QUICK`]).
const DURATIONS: &[&str] = &[
    r"(?i)\bfor\s+(?:over\s+|almost\s+|nearly\s+|like\s+|about\s+|more than\s+)?(?:\d+|an?|one|two|three|four|five|six|several|many)\s*(?:(?:consecutive|straight|whole|full|entire)\s+)?(?:hours?|hrs?|minutes?|mins?|days?|weeks?|months?)\b",
    r"(?i)\b(?:\d+|two|three|four|five)\s*(?:hours?|hrs?|minutes?|mins?|days?|weeks?|months?)\s+(?:now|later|late|and counting|of waiting|on hold|waiting|in line|after|wait|delay|on the platform|at the stop|on the tarmac|at baggage claim|in (?:the )?queue|in the drive[- ]?thr(?:u|ough)|in the waiting room|at the gate|on the runway)\b",
    r"(?i)\b(?:been|waited|waiting|hold|stuck|sitting|spent)\s+(?:here\s+|on hold\s+|in line\s+)?(?:for\s+)?(?:over\s+|almost\s+|like\s+)?(?:\d+|an?|two|three|four|five)\s*(?:hours?|hrs?|minutes?|mins?|days?|weeks?)\b",
    r"(?i)\b(?:hour|day)\s+\d+\s+of\b",
    // The days counted out loud: "day 12 waiting for the card", "day 6
    // without power". ("Day 1: new gym routine" is a diary.)
    r"(?i)\bday\s+\d+\s+(?:waiting|without|with no|and still|still)\b",
    // How long it took a service to do its part: "took 2 hours on the
    // phone", "takes 3 weeks to ship". Not minutes or days, as often praise
    // as not, nor "took a week off" or "took me 3 months to learn it".
    r"(?i)\b(?:took|takes|taking)\s+(?:me\s+|us\s+|them\s+)?(?:over\s+|almost\s+|nearly\s+|like\s+|about\s+|more than\s+)?(?:\d+|an?|one|two|three|four|five|six|several)\s*(?:hours?|hrs?|weeks?|months?)\s+(?:on the phone|on hold|in line|to (?:get|fix|reach|hear|arrive|ship|deliver|refund|answer|respond|reply|connect|load|resolve|process|sort))\b",
    // How soon it failed: "peeling after 6 weeks", "broke after one wash".
    r"(?i)\bafter\s+(?:only\s+|just\s+|barely\s+)?(?:\d+|one|two|three|four|five|six|a|an)\s*(?:days?|weeks?|months?|years?|uses?|wash(?:es)?|wears?)\b",
    r"(?i)\b(?:desde el|since the|depuis le)\s+\d{1,2}(?:\s+de)?\b",
    r"(?i)\b\d+\s*(?:hours?|hrs?|minutes|mins)\s+ago\b",
    r"(?i)\bsince\s+\d{1,2}(?::\d\d)?\s*(?:am|pm)\b",
    r"(?i)\b(?:por|hace|desde hace|llevo|lleva|llevamos|ya van)\s+(?:m[aá]s de\s+)?(?:\d+|una?|dos|tres|media)\s*(?:horas?|hrs?|h|minutos?|mins?|d[ií]as?|semanas?|meses)\b",
    r"(?i)\b(?:h[aá]|faz|por|fiquei|estou|to|t[oô])\s+(?:mais de\s+)?(?:\d+|uma?|duas|dois|tr[eê]s|meia)\s*(?:horas?|h|minutos?|min|dias?|semanas?|meses)\b",
    r"(?i)\b(?:depuis|pendant|[çc]a fait)\s+(?:plus de\s+)?(?:\d+|une?|deux|trois)\s*(?:heures?|h|minutes?|min|jours?|semaines?|mois)\b",
    r"(?i)\b\d+\s*(?:minutos|horas|heures|minutes|min)\s+(?:esperando|en espera|de espera|d'attente|en attente|sur le quai|no telefone|na fila|en la fila)\b",
    // The clock's way, "1h12 d'attente", "1h30 de espera": only before a
    // word of waiting, since "à 18h sur le quai" is a time of day.
    r"(?i)\b\d+\s*h(?:\d\d)?(?:\s*min)?\s+(?:esperando|de espera|d'attente)\b",
];

/// The same failure again and again, whatever the count ("3rd time",
/// "declined 3 times today", "tercera vez", "4e fois"). "1st" is no repeat.
const REPEATS: &[&str] = &[
    r"(?i)\b(?:[2-9]|\d\d+)(?:st|nd|rd|th)\s+(?:day|night|week|month|bus|train|call|power cut|power outage|outage|cancell?ation|delay|missed delivery|failed delivery|replacement part)\b",
    r"(?i)\b(?:second|third|fourth|fifth)\s+(?:day|night|week|month|power cut|power outage|outage|cancell?ation|delay|missed delivery|failed delivery|replacement part)\b",
    // Passed from hand to hand: "4th different handler on my claim", "the
    // third agent to ask for my postcode".
    r"(?i)\b(?:(?:[3-9]|\d\d+)(?:rd|th)|third|fourth|fifth|sixth)\s+(?:different\s+|new\s+)?(?:agent|advisor|adviser|engineer|technician|handler|representative|case worker|refund request)\b",
    r"(?i)\b(?:segund[oa]|tercer[oa]?|cuart[oa]|terceir[oa]|quart[oa])\s+(?:corte|ca[ií]da|queda|apag[oó]n|apag[aã]o|falla|falha|cancelaci[oó]n|cancelamento|retraso|atraso)\b",
    r"(?i)\b(?:(?:[3-9]|\d\d+)(?:a|ª|º|o|ra|ro|ta|to)|tercer[oa]?|cuart[oa]|terceir[oa]|quart[oa])\s+(?:llamada|liga[cç][aã]o|reclamo|reclama[cç][aã]o|t[eé]cnico|agente|asesor|atendente)\b",
    r"(?i)\btwice\s+(?:today|tonight|already|in a row|this (?:week|month|morning))\b",
    // "reset it 3 times and it still says invalid": tried, and tried again.
    r"(?i)\b(?:\d+|two|three|four|five|six)\s+times\b[^.!?;]{0,24}\bstill\b",
    r"(?i)\b(?:\d+|two|three|four|five|six)\s+times\s+(?:today|tonight|now|already|this (?:week|month|year|morning)|in a row)\b",
    r"(?i)\b(?:\d+|dos|tres|cuatro|duas|tr[eê]s|quatro)\s+(?:veces|vezes)\b",
    r"(?i)\b(?:[2-9](?:e|[eè]me)|deuxi[eè]me|troisi[eè]me|quatri[eè]me)\s+(?:panne|coupure|carte aval[ée]e|colis perdu|retard|annulation|technicien)\b",
    r"(?i)\b(?:[3-9](?:e|[eè]me)|troisi[eè]me|quatri[eè]me|cinqui[eè]me)\s+(?:appel|relance|conseill[eè]re?|r[eé]clamation)\b",
    r"(?i)\b(?:van|llevo|llevamos|ya van)\s+(?:[3-9]|\d\d+|tres|cuatro|cinco)\s+(?:cambios|cancelaciones|llamadas|correos|reclamos|intentos)\b",
    r"(?i)\b(?:every|cada|toutes les)\s+\d+\s*(?:min|mins|minutes|minutos|seconds|secs|segundos|secondes|hours|horas|heures)\b",
    r"(?i)\b(?:\d+|deux|trois|quatre)\s+fois\s+(?:aujourd'hui|ce soir|cette semaine|de suite|d'affil[ée]e)\b",
    // "call dropped 5 times during my interview".
    r"(?i)\b(?:dropped|crashed|failed|declined|disconnected|froze|frozen|cut out|kicked me out|logged me out|restarted)\s+(?:[3-9]|\d\d+|three|four|five|six)\s+times\b",
    // "sent me the same faq link 5 times".
    r"(?i)\bsame\b[^.!?]{1,30}\b(?:[3-9]|\d\d+|three|four|five|six)\s+times\b",
];

/// The same thing done again, counted by its time: "3rd time", "tercera
/// vez", "4e fois". A repeat, unless [`LEISURE`] says what is done again is
/// done for pleasure.
const TIMES: &[&str] = &[
    r"(?i)\b(?:[2-9]|\d\d+)(?:st|nd|rd|th)\s+time\b",
    r"(?i)\b(?:second|third|fourth|fifth)\s+time\b",
    r"(?i)\b(?:[2-9](?:a|ª|º|o)?|segunda|tercera|terceira|cuarta|quarta|quinta)\s+vez\b",
    r"(?i)\b(?:[2-9](?:e|[eè]me)|deuxi[eè]me|troisi[eè]me|quatri[eè]me)\s+fois\b",
];

/// ...a show watched or a book read once more, which is no failure come
/// back: "rewatching the office for the third time", "3rd time watching
/// elf this week", "leyendo Harry Potter por quinta vez", "revendo Friends
/// pela terceira vez", "je regarde Love Actually pour la 4e fois". Asked
/// only of a post with one of [`TIMES`], and only the times such a match
/// holds are pleasures (`Leisure::covers_every_time`), unless the words
/// between name a failure ([`NOT_LEISURE`]): "watching the loading circle
/// for the third time", "was watching the game and the stream died for the
/// 4th time". "Playing", "seeing" and
/// the like are left out: "saw the error for the third time" is a failure
/// seen.
const LEISURE: &[&str] = &[
    r"(?i)\b(?:re-?watch(?:ing|ed)?|watch(?:ing|ed)|re-?read(?:ing)?|reading|read|re-?listen(?:ing|ed)?(?:\s+to)?|listening(?:\s+to)?|listened\s+to|binge-?watch(?:ing|ed)?|binging|bingeing)\b[^.!?]{0,60}\bfor\s+the\s+(?:(?:[2-9]|\d\d+)(?:st|nd|rd|th)|second|third|fourth|fifth)\s+time\b",
    r"(?i)\b(?:(?:[2-9]|\d\d+)(?:st|nd|rd|th)|second|third|fourth|fifth)\s+time\s+(?:(?:this|that)\s+(?:week|month|year)\s+)?(?:(?:i'?ve|i\s+have|i|we'?ve|we)\s+)?(?:re-?watch(?:ing|ed)|watch(?:ing|ed)|re-?read(?:ing)?|reading|read|listening|listened|binging|seen)\b",
    r"(?i)\b(?:viendo|mirando|vi|veo|volv[ií]\s+a\s+ver|releyendo|rele[ií]|leyendo|leo|le[ií]|escuchando|escuch[eé]|maratoneando)\b[^.!?]{0,60}\bpor\s+(?:la\s+)?(?:[2-9](?:a|ª)?|segunda|tercera|cuarta|quinta)\s+vez\b",
    r"(?i)\b(?:assistindo|assisti|vendo|vi|revendo|revi|reassistindo|relendo|reli|lendo|li|ouvindo|ouvi|maratonando)\b[^.!?]{0,60}\bpela\s+(?:[2-9](?:a|ª)?|segunda|terceira|quarta|quinta)\s+vez\b",
    r"(?i)\b(?:regard(?:e|es|er|ant|é)|revoi[rst]|revu|revoyant|vu|reli[st]?|relu|relisant|lisant|lu|[eé]cout(?:e|er|ant|é))\b[^.!?]{0,60}\bpour\s+la\s+(?:[2-9](?:e|[eè]me)|deuxi[eè]me|troisi[eè]me|quatri[eè]me)\s+fois\b",
];

/// Words that, between a verb of [`LEISURE`] and the time it counts, make
/// the time a failure's: what is watched is a failure ("the loading
/// circle", "the hold music", "the same ad"), or a failure is told after
/// it ("was watching the game and the stream died"). Conjunctions alone
/// are not among them: titles hold them ("parks and rec", "law and
/// order"). Lowercase, matched as whole words.
#[rustfmt::skip]
const NOT_LEISURE: &[&str] = &[
    "error", "errors", "code", "loading", "load", "buffering", "buffer", "spinning", "wheel",
    "circle", "screen", "crash", "crashed", "crashes", "crashing", "died", "dies", "froze",
    "freezes", "frozen", "stopped", "stops", "skipped", "skips", "failed", "fails", "down", "went",
    "cut", "dropped", "drops", "quit", "quits", "closed", "restarted", "rebooted", "disconnected",
    "glitched", "glitching", "pixelated", "broke", "broken", "lag", "lagging", "hold", "ad", "ads",
    "commercial", "commercials", "same", "message", "kicked", "logged", "cargando", "pantalla",
    "espera", "musiquita", "cayó", "cae", "falla", "falló", "anuncio", "anuncios", "congeló",
    "paró", "cortó", "erro", "carregando", "tela", "caiu", "travou", "parou", "falhou", "anúncio",
    "propaganda", "erreur", "chargement", "écran", "attente", "coupé", "planté", "plante", "bug",
    "pub", "publicité", "musique",
];

/// A failure that will not stop ("keeps cutting out", "kept logging me
/// out", "sigue fallando", "não para de cair", "n'arrête pas de planter").
/// "keep" alone is left out: an order ("keep going") or a wish.
const KEEPS: &[&str] = &[
    r"(?i)\b(?:keeps|kept)\s+(?:on\s+)?[a-z]+ing\b",
    r"(?i)\b(?:sigue|siguen|sigo)\s+(?:sin\s+)?[a-záéíóú]+(?:ando|iendo)\b",
    r"(?i)\bn[aã]o\s+para\s+de\s+[a-zç]+(?:ar|er|ir)\b",
    // "atualizei, continua pedindo": the failures by name, since
    // "continua funcionando" is no complaint; falling only of a connection
    // ("a net continua a cair"), since prices and rain go on falling too.
    r"(?i)\b(?:continua|continuam|segue|seguem)\s+(?:a\s+)?(?:pedindo|pedir|travando|travar|carregando|dando erro|dar erro|cobrando|cobrar|desligando|desligar|reiniciando|reiniciar|falhando|falhar)\b",
    r"(?i)\b(?:net|internet|sinal|conex[aã]o|wi-?fi|liga[cç][aã]o|app|site|servidor)\s+(?:continua|continuam|segue|seguem)\s+(?:a\s+)?ca(?:indo|ir)\b",
    r"(?i)\bn'arr[eê]te\s+pas\s+de\s+[a-zéè]+(?:er|ir|re)\b",
];

/// Something other than what was ordered came: "ordered a blender, got a
/// box of cat litter", "mandaram o 38 quando eu pedi 36". Both sides are
/// things, with an article or a number ("ordered sunday, got it monday" is
/// praise), kept apart by punctuation or "and"/"but"; or one thing sent
/// "instead of" another (not "delivered today instead of tomorrow").
/// Asked only of a post holding a word of an order, found by the negators'
/// pass (`negation::cue_words`): these patterns' bounded gaps made the
/// lazy DFA of the set of every shape build many more states for every
/// post.
const WRONG_ITEMS: &[&str] = &[
    r"(?i)\b(?:ordered|bought|asked for|paid for|requested)\s+(?:a|an|the|some|my|one|two|\d+)\b[^.!?]{0,50}?(?:[,;.]\s*(?:and\s+|but\s+|then\s+|i\s+|we\s+|only\s+)?|\s+(?:and|but)\s+)(?:got|received|they sent|sent me|gave me)\s+(?:a|an|the|some|only|half|one|two|three|\d+)\b",
    r"(?i)\b(?:received|sent me|sent us|they sent|brought me)\s+(?:a|an|the|some|my|one|two|\d+)\b[^.!?]{0,40}\binstead of\b",
    r"(?i)\b(?:ped[ií]|compr[eé])\s+(?:una?|el|la|los|las|\d+)\b[^.!?]{0,50}?(?:[,;.]\s*|\s+(?:y|pero)\s+)(?:me\s+)?(?:lleg[oó]|trajeron|mandaron|enviaron|recib[ií])\s+(?:una?|el|la|los|las|otr[oa]|\d+)\b",
    r"(?i)\b(?:lleg[oó]|trajeron|mandaron|enviaron|recib[ií])\b[^.!?]{1,40}\b(?:en vez de|en lugar de|cuando ped[ií])\b",
    r"(?i)\b(?:pedi|comprei)\s+(?:uma?|o|a|os|as|\d+)\b[^.!?]{0,50}?(?:[,;.]\s*|\s+(?:e|mas)\s+)(?:me\s+)?(?:veio|recebi|chegou|mandaram|enviaram)\s+(?:uma?|o|a|os|as|outr[oa]|\d+)\b",
    r"(?i)\b(?:veio|recebi|chegou|mandaram|enviaram)\b[^.!?]{1,40}\b(?:em vez de|no lugar de|quando (?:eu )?pedi)\b",
    r"(?i)\b(?:command|achet)[ée]e?s?\s+(?:une?|le|la|les|\d+)\b[^.!?]{0,50}?(?:[,;.]\s*|\s+(?:et|mais)\s+)(?:j'ai\s+)?(?:re[çc]u|eu)\s+(?:une?|le|la|les|\d+)\b",
    r"(?i)\b(?:re[çc]u|envoy[ée])\b[^.!?]{1,40}\b(?:au lieu de|alors que j'avais command[ée])\b",
];

/// Tried, and tried again: "reset the router 3 times", "phoned them 4
/// times", "rebooted it twice". Other things done N times are habits ("gym
/// 3 times a week"), and "twice" goes only with fixes: "tried premium
/// twice" is a taste, "called it twice" a good guess. Asked only of a post
/// holding one of the verbs, or in French the word for "times"
/// (`negation::cue_words`).
const TRIED_AGAIN: &[&str] = &[
    r"(?i)\b(?:tried|called|phoned|rang|rung|emailed|messaged|chased|contacted|reset|restarted|rebooted|reinstalled|reconnected|unplugged)\b[^.!?]{0,25}?\b(?:[3-9]|\d\d+|three|four|five|six|seven|eight|nine|ten)\s+times\b",
    r"(?i)\b(?:reset|restarted|rebooted|reinstalled|reconnected|unplugged)\b[^.!?]{0,25}?\btwice\b",
    // The same in French: "j'ai appelé 6 fois", "redémarré à 4 reprises";
    // not "contacté", "écrit" or "essayé", which come before comparisons
    // ("une boutique 3 fois moins chère"). Spanish and Portuguese need no
    // verb: "3 veces", "tres veces", "duas vezes" are repeats already
    // (`REPEATS`), and in our read posts always complaints.
    r"(?i)\b(?:appel[eé]|rappel[eé]|relanc[eé]|red[eé]marr[eé]|r[eé]install[eé]|r[eé]initialis[eé]|d[eé]branch[eé])e?s?\b[^.!?]{0,25}?\b(?:(?:[3-9]|\d\d+|trois|quatre|cinq|six|sept|huit|neuf|dix)\s+(?:fois|reprises)\b|[aà]\s+(?:[3-9]|\d\d+|trois|quatre|cinq|six|sept|huit|neuf|dix)\s+reprises\b)",
    r"(?i)\b(?:red[eé]marr[eé]|r[eé]install[eé]|r[eé]initialis[eé]|d[eé]branch[eé])e?s?\b[^.!?]{0,25}?\b(?:deux|2)\s+fois\b",
];

/// The shortest status questions: "gmail down?", "¿se cayó?", "en panne?".
const DOWN_QUESTIONS: &[&str] = &[
    r"(?i)\b(?:down|offline)\s*(?:for\s+(?:anyone|anybody|everyone|you)\s*)?(?:\s+(?:again|too|rn|now)\s*)?\?",
    r"(?i)\b(?:ca[ií]do|caiu|se cay[oó]|fora do ar|en panne)\s*\?",
];

/// A fix timed in minutes: "fixed my internet in 20 min".
const QUICK: &[&str] = &[
    // Up to half an hour: "the next one is in 50 minutes" is a wait.
    r"(?i)\b(?:in|within|en|em)\s+(?:like\s+|about\s+|under\s+|less than\s+|menos de\s+|moins de\s+)?0*(?:[1-9]|[12]\d|30)\s*(?:min|mins|minutes?|minutos?)\b",
];

/// ...unless negated: "train hasn't moved in 25 min" is how long a problem
/// has lasted; or an arrival foretold: "el 27 llega en 2 min desde hace 15
/// min" is a wait.
const SLOW: &[&str] = &[
    r"(?i)\b(?:\w+n['’]t|not|no|never|nothing|nobody|no one|nadie|nada|ninguém|nada|personne|rien|pas)\b[^.,!?;]*\b(?:in|within|en|em)\s+(?:like\s+|about\s+|under\s+)?\d+\s*(?:min|mins|minutes?|minutos?)\b",
    r"(?i)\b(?:arrives?|arriving|due|coming|comes|llega|llegar[aá]|viene|chega|chegar[aá]|vem)\s+(?:in|within|en|em)\s+(?:like\s+|about\s+|under\s+)?\d+\s*(?:min|mins|minutes?|minutos?)\b",
];

/// What [`Patterns::cued`] found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cued {
    pub wrong_item: bool,
    pub tried_again: bool,
}

/// The shapes asked only of posts holding one of their cue words, in the
/// order of the fields of [`Cued`].
const CUED: [&[&str]; 2] = [WRONG_ITEMS, TRIED_AGAIN];

/// Which shapes a post has.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Shapes {
    pub error_code: bool,
    pub duration: bool,
    pub repeat: bool,
    pub keeps: bool,
    pub down_question: bool,
    /// A timed fix that is not negated.
    pub quick: bool,
}

/// Patterns with Unicode word boundaries (`\b`), matched fast on any text.
///
/// The regex crate's lazy DFA cannot decide a Unicode `\b` beside a
/// character outside ASCII: on such a text a set falls back to its slowest
/// engine, which made one "¿quién ve el partido hoy? 😂" cost ten times an
/// English post, and Spanish and Portuguese posts are the bulk of a Latin
/// American outage. So beside the exact set we keep the same patterns with
/// every `\b` widened to "not inside an ASCII word" (`sets.rs`): they
/// match wherever the exact ones do and the DFA runs them on any text. On a
/// text that is not ASCII (once the first [`EXACT_FIRST`] have been
/// answered by the exact set alone), only the patterns the loose set finds
/// (a post in a hundred, on the synthetic stream) are confirmed one by one
/// with the exact pattern; the answer is the exact set's, by construction.
/// An ASCII text, nearly every post, is asked of the patterns narrowed to
/// ASCII (`ascii.rs`), which match it exactly where the exact set does.
struct WordSet {
    /// The patterns' syntax trees, parsed once for every set made of them.
    hirs: Vec<Hir>,
    /// The patterns as they read an ASCII text: asked of every ASCII text
    /// and of every stand-in.
    ascii: ForwardSet,
    /// The patterns as written, for a text beyond ASCII that is not stood
    /// in for: made the first time one is met, so a run in English alone
    /// never makes it. `None` if it could not be made, which the test
    /// `the_exact_sets_are_made` rules out.
    exact: OnceLock<Option<Set>>,
    /// The characters beyond ASCII the patterns name (`stand_in.rs`): a
    /// text with none of them is answered by the ASCII set on an ASCII
    /// stand-in. `None` if no text may be stood in for.
    stand_ins: Option<StandIns>,
    /// Made when the texts beyond ASCII outnumber `exact_first`: a run over
    /// English alone never needs it, and making it is most of the shapes'
    /// start-up cost. `None` if it could not be made (too big), when the exact set
    /// answers alone, slowly.
    loose: OnceLock<Option<Loose>>,
    /// Texts beyond ASCII the exact set is left to answer alone before the
    /// loose set is made ([`EXACT_FIRST`]; none in the tests of the loose
    /// set).
    exact_first: usize,
    /// Texts beyond ASCII met so far, counted up to `exact_first`.
    beyond_ascii: AtomicUsize,
}

struct Loose {
    set: ForwardSet,
    /// Each exact pattern alone, made when first confirmed; `None` if it
    /// could not be made, when the exact set confirms instead.
    each: Vec<OnceLock<Option<Set>>>,
}

/// Texts beyond ASCII the exact set answers alone, slowly, before the
/// loose set is made. The exact set is a PikeVM alone, cheaper to make
/// than the loose set (6.5M instructions against 9M) but dearer to ask
/// (0.33M a text against a few thousand once the loose set's DFA is warm),
/// and a loose set made early is then asked the stood-in texts too, cold.
/// Measured over 20,000 posts, against sixteen: none took 1,205
/// instructions a post off posts in four languages (l20k_M) but added 610
/// to English posts with five such texts; four takes 432 off the first and
/// adds 29 to the second.
const EXACT_FIRST: usize = 4;

/// At most this many patterns in a `WordSet`: what it found fits a `u128`.
const MAX_SET: usize = 128;

/// The loose set's lazy DFA cache, per thread, so up to this much for every
/// worker. Without its boundaries a pattern may start at any letter, so the
/// set is in many more states at once; in the default 2 MiB the cache filled
/// and was rebuilt over and over on posts mixing scripts and emoji (2.5 s
/// against 1.05 s for 100,000 such posts). It grows only as states are
/// made: one thread peaked at 47 MiB for the whole process on those posts,
/// against 45 MiB with the default.
const LOOSE_DFA_BYTES: usize = 16 << 20;

/// The ASCII DFA cache, per thread, of a set asked of few posts (a timed
/// fix, a cue word): regex-automata's default.
const FEW_DFA_BYTES: usize = 2 << 20;

/// The ASCII DFA cache, per thread, of the set of every shape, asked of
/// every post, and of the cued shapes, asked of one post in five. Text read
/// for the first time keeps leading a set into states it has not built (no
/// full DFA of every shape fits in a gigabyte), and a full cache is cleared
/// and built again from cold. In the default 2 MiB the set of every shape
/// was cleared every 20,000 or so posts of new text: on 200,000 ASCII
/// posts pieced together from halves of the rated tweets and our labelled
/// posts, it held about 3 MiB at the end with room to grow (the cued set
/// 3 MiB after 20,000 of its posts), and the whole run took a quarter fewer
/// instructions. The cache still grows as new text comes, and fills this
/// after about two million such posts; from there it is cleared and built
/// again as before. It takes memory only as states are made. With the
/// timed-fix set's 2 MiB and the three loose sets' 16 MiB (made only for
/// text beyond ASCII), a thread's shape caches may reach 82 MiB.
const MANY_DFA_BYTES: usize = 16 << 20;

impl WordSet {
    /// A set with the default cache, as the tests make theirs.
    #[cfg(test)]
    fn new<'a>(patterns: impl IntoIterator<Item = &'a str>) -> Result<WordSet, String> {
        Self::with_cache(patterns, FEW_DFA_BYTES)
    }

    /// The set of `patterns`, its ASCII set's DFA cache growing to
    /// `dfa_bytes` per thread.
    fn with_cache<'a>(
        patterns: impl IntoIterator<Item = &'a str>,
        dfa_bytes: usize,
    ) -> Result<WordSet, String> {
        let patterns: Vec<String> = patterns.into_iter().map(str::to_string).collect();
        Self::check(&patterns)?;
        let hirs = parsed(&patterns)?;
        let ascii = ForwardSet::ascii(&hirs, dfa_bytes)?;
        Ok(WordSet {
            stand_ins: StandIns::of(&patterns),
            hirs,
            ascii,
            exact: OnceLock::new(),
            loose: OnceLock::new(),
            exact_first: EXACT_FIRST,
            beyond_ascii: AtomicUsize::new(0),
        })
    }

    /// What [`WordSet::with_cache`] refuses before compiling anything: too many
    /// patterns, or word assertions the loose set cannot loosen.
    fn check(patterns: &[String]) -> Result<(), String> {
        if patterns.len() > MAX_SET {
            return Err(format!(
                "{} patterns in one set; at most {MAX_SET}",
                patterns.len()
            ));
        }
        // Only `\b` is loosened (`sets.rs`): with any other Unicode word
        // assertion (`\B`, `\b{...}`, `\<`, `\>`) the loose set's lazy DFA
        // could not be made, and every text beyond ASCII would go to the
        // slow exact set. Read as text, so an escaped backslash before such
        // a letter is refused too.
        if let Some(p) = patterns
            .iter()
            .find(|p| [r"\B", r"\b{", r"\<", r"\>"].iter().any(|a| p.contains(a)))
        {
            return Err(format!(
                "{p}: a word-boundary pattern may not hold \\B, \\b{{...}}, \\< or \\>"
            ));
        }
        Ok(())
    }

    /// Bit `i` set when pattern `i` matches `text`, as the exact set finds.
    fn exact_matches(&self, text: &str) -> u128 {
        self.exact
            .get_or_init(|| Set::beyond_ascii(&self.hirs).ok())
            .as_ref()
            .map_or(0, |exact| exact.matches(text))
    }

    fn loose(&self) -> Option<&Loose> {
        self.loose
            .get_or_init(|| {
                let set = ForwardSet::loose(&self.hirs, LOOSE_DFA_BYTES).ok()?;
                let each = self.hirs.iter().map(|_| OnceLock::new()).collect();
                Some(Loose { set, each })
            })
            .as_ref()
    }

    /// The loose set, once `exact_first` texts beyond ASCII have been
    /// answered without it.
    fn loose_after_the_first_few(&self) -> Option<&Loose> {
        if self.loose.get().is_none() {
            // The count stops at the threshold: no overflow, however long
            // the run, and no count lost between threads.
            let counted =
                self.beyond_ascii
                    .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |met| {
                        (met < self.exact_first).then_some(met + 1)
                    });
            if counted.is_ok() {
                return None;
            }
        }
        self.loose()
    }

    /// Bit `i` set when pattern `i` matches `text`.
    fn matches(&self, text: &str) -> u128 {
        self.matches_of(text, u128::MAX)
    }

    /// As [`WordSet::matches_of`], for an ASCII `text`: the ASCII set's
    /// DFA decides its boundaries.
    fn ascii_matches_of(&self, text: &str, mask: u128) -> u128 {
        // Nearly no post has a shape: asking whether any matches stops at
        // the first one and builds no list of them.
        if !self.ascii.is_match(text) {
            return 0;
        }
        // Were the DFA to give up, the exact set answers.
        let found = self.ascii.matches(text);
        found.unwrap_or_else(|| self.exact_matches(text)) & mask
    }

    /// Bit `i` set when pattern `i` matches `text` and bit `i` of `mask` is
    /// set: only those patterns are confirmed one by one.
    fn matches_of(&self, text: &str, mask: u128) -> u128 {
        if text.is_ascii() {
            return self.ascii_matches_of(text, mask);
        }
        // Until the loose set is made, a text it would have been left to
        // the exact set's slow engine for; once it is, the loose set's DFA
        // has seen texts of every kind, and a second DFA learning the
        // stood-in ones cost more than it saved (on posts in four
        // languages).
        if self.loose.get().is_none() {
            if let Some(ascii) = self.stand_ins.as_ref().and_then(|s| s.stand_in(text)) {
                return self.ascii_matches_of(&ascii, mask);
            }
        }
        let Some(loose) = self.loose_after_the_first_few() else {
            return self.exact_matches(text) & mask;
        };
        // As for ASCII: most texts match nothing, which a search that may
        // stop at the first match says for less than one that lists them.
        if !loose.set.is_match(text) {
            return 0;
        }
        // Were the DFA to give up, every pattern is confirmed.
        let found = loose
            .set
            .matches(text)
            .unwrap_or_else(|| every_bit(loose.set.pattern_len()))
            & mask;
        let confirmed = |i: usize| {
            let exact = loose.each.get(i).and_then(|one| {
                one.get_or_init(|| Set::one_beyond_ascii(self.hirs.get(i)?).ok())
                    .as_ref()
            });
            match exact {
                Some(one) => one.is_match(text),
                None => self.exact_matches(text) & 1 << i != 0,
            }
        };
        (0..self.hirs.len())
            .filter(|&i| found & 1 << i != 0 && confirmed(i))
            .fold(0, |bits, i| bits | 1 << i)
    }
}

/// Every group scanned at once, in the order of the fields of [`Shapes`].
/// [`SLOW`] is not among them: it is asked only of the few posts with a
/// timed fix, and in the one set it made the scan dearer for every post
/// (after any "no" or "n't" its thread stays alive to the clause's end, and
/// the lazy DFA built states for every such clause beside the others').
const GROUPS: [&[&str]; 7] = [
    ERROR_CODES,
    DURATIONS,
    REPEATS,
    KEEPS,
    DOWN_QUESTIONS,
    QUICK,
    TIMES,
];

pub struct Patterns {
    all: WordSet,
    /// The bits of each group's patterns in what `all` finds, in the order
    /// of the fields of [`Shapes`].
    masks: [u128; 7],
    /// The [`SLOW`] set, made the first time a post holds a timed fix:
    /// nearly no post does, and making it was a tenth of the shapes'
    /// start-up. Its patterns are checked by [`Patterns::new`] as the
    /// others are; that they compile is the test `each_compiles`'s, so
    /// `None` (not made) is a state the tests rule out.
    slow: OnceLock<Option<WordSet>>,
    /// The [`TIMES`] and [`LEISURE`] patterns to tell which times a post
    /// counts are pleasures, made the first time a post counts a time.
    /// `None` if they could not be made, which the test
    /// `a_time_counted_for_pleasure_is_no_repeat` rules out.
    leisure: OnceLock<Option<Leisure>>,
    /// The set of the [`CUED`] shapes, made the first time a post holds
    /// one of their cue words, checked by [`Patterns::new`] likewise.
    cued: OnceLock<Option<WordSet>>,
}

impl Patterns {
    pub fn new() -> Result<Patterns, String> {
        let all = WordSet::with_cache(GROUPS.concat(), MANY_DFA_BYTES)?;
        let masks = masks_of(GROUPS);
        for later in [SLOW, &CUED.concat()] {
            WordSet::check(&later.iter().map(|p| p.to_string()).collect::<Vec<_>>())?;
        }
        Ok(Patterns {
            all,
            masks,
            slow: OnceLock::new(),
            leisure: OnceLock::new(),
            cued: OnceLock::new(),
        })
    }

    /// Scans `text` once for every shape, and again for [`SLOW`] only when
    /// it holds a timed fix.
    pub fn scan(&self, text: &str) -> Shapes {
        let found = self.all.matches(text);
        let any = |group: usize| found & self.masks[group] != 0;
        Shapes {
            error_code: any(0),
            duration: any(1),
            repeat: any(2)
                || any(6)
                    && !self
                        .leisure()
                        .is_some_and(|leisure| leisure.covers_every_time(text)),
            keeps: any(3),
            down_question: any(4),
            quick: any(5) && self.slow().is_none_or(|slow| slow.matches(text) == 0),
        }
    }

    /// Whether something other than what was ordered came
    /// ([`WRONG_ITEMS`]) or a fix was tried again and again
    /// ([`TRIED_AGAIN`]). Asked only of a post that holds one of their cue
    /// words.
    pub fn cued(&self, text: &str) -> Cued {
        let found =
            made_on_first_use(&self.cued, &CUED, MANY_DFA_BYTES).map_or(0, |set| set.matches(text));
        let [wrong_item, tried_again] = masks_of(CUED).map(|mask| found & mask != 0);
        Cued {
            wrong_item,
            tried_again,
        }
    }

    fn slow(&self) -> Option<&WordSet> {
        made_on_first_use(&self.slow, &[SLOW], FEW_DFA_BYTES)
    }

    fn leisure(&self) -> Option<&Leisure> {
        self.leisure.get_or_init(Leisure::new).as_ref()
    }

    /// `text` (one question) is a bare "X down?". Asked of the set of
    /// every shape, which reports each pattern as if alone: a set of its
    /// own was another set to build at start-up for a question in a few
    /// posts.
    pub fn down_question(&self, text: &str) -> bool {
        let group = self.masks[4];
        self.all.matches_of(text, group) != 0
    }
}

/// The counted times of a post and the pleasures that may hold them, as
/// plain regular expressions: asked of the few posts that count a time,
/// they need the matches' places, which a set does not give.
struct Leisure {
    times: regex::Regex,
    pleasures: regex::Regex,
}

impl Leisure {
    fn new() -> Option<Leisure> {
        let either = |patterns: &[&str]| {
            let alternatives: Vec<String> = patterns.iter().map(|p| format!("(?:{p})")).collect();
            regex::Regex::new(&alternatives.join("|")).ok()
        };
        Some(Leisure {
            times: either(TIMES)?,
            pleasures: either(LEISURE)?,
        })
    }

    /// Whether every time `text` counts lies inside a pleasure whose words
    /// name no failure: then the post counts no failure come back.
    fn covers_every_time(&self, text: &str) -> bool {
        let pleasures: Vec<std::ops::Range<usize>> = self
            .pleasures
            .find_iter(text)
            .filter(|m| !names_a_failure(m.as_str()))
            .map(|m| m.range())
            .collect();
        !pleasures.is_empty()
            && self.times.find_iter(text).all(|time| {
                pleasures
                    .iter()
                    .any(|p| p.start <= time.start() && time.end() <= p.end)
            })
    }
}

/// Whether `span` holds one of [`NOT_LEISURE`] as a word.
fn names_a_failure(span: &str) -> bool {
    span.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .any(|w| NOT_LEISURE.contains(&w.to_lowercase().as_str()))
}

/// The bits of each group's patterns in what a set of the groups, one
/// after another, finds. At most `MAX_SET` patterns in all, as
/// `WordSet::with_cache` checks.
fn masks_of<const N: usize>(groups: [&[&str]; N]) -> [u128; N] {
    let mut start = 0;
    groups.map(|group| {
        let mask = (start..start + group.len()).fold(0, |m, i| m | 1 << i);
        start += group.len();
        mask
    })
}

/// A set asked of few posts, made the first time one needs it (its
/// patterns were checked by [`Patterns::new`]).
fn made_on_first_use<'a>(
    set: &'a OnceLock<Option<WordSet>>,
    groups: &[&[&str]],
    dfa_bytes: usize,
) -> Option<&'a WordSet> {
    set.get_or_init(|| {
        WordSet::with_cache(groups.iter().flat_map(|g| g.iter().copied()), dfa_bytes).ok()
    })
    .as_ref()
}

/// Every pattern compiles on its own too, so a broken one is named.
#[cfg(test)]
pub fn each_compiles() -> Result<(), String> {
    for p in GROUPS
        .concat()
        .into_iter()
        .chain(SLOW.iter().copied())
        .chain(LEISURE.iter().copied())
        .chain(CUED.concat())
    {
        regex::Regex::new(p).map_err(|e| format!("{p}: {e}"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use regex::RegexSet;

    use super::*;

    /// Built once: compiling the sets for every case would dominate the
    /// run.
    fn word_set() -> &'static WordSet {
        static SET: std::sync::OnceLock<WordSet> = std::sync::OnceLock::new();
        SET.get_or_init(|| WordSet {
            exact_first: 0,
            ..WordSet::new(every_pattern()).unwrap()
        })
    }

    fn every_pattern() -> Vec<&'static str> {
        let mut all = GROUPS.concat();
        all.extend(SLOW);
        all.extend(CUED.concat());
        all
    }

    /// The plain set of every pattern, as the regex crate makes it: what
    /// every way of asking a `WordSet` must answer.
    fn plain_set() -> &'static RegexSet {
        static SET: std::sync::OnceLock<RegexSet> = std::sync::OnceLock::new();
        SET.get_or_init(|| RegexSet::new(every_pattern()).unwrap())
    }

    fn bits(found: &regex::SetMatches) -> u128 {
        found.iter().fold(0, |bits, i| bits | 1 << i)
    }

    /// What the plain set finds, as `WordSet::matches` reports it.
    fn exact_bits(text: &str) -> u128 {
        bits(&plain_set().matches(text))
    }

    #[test]
    fn the_exact_sets_are_made() {
        for patterns in [GROUPS.concat(), SLOW.to_vec(), CUED.concat()] {
            let patterns: Vec<String> = patterns.iter().map(|p| p.to_string()).collect();
            assert!(Set::beyond_ascii(&parsed(&patterns).unwrap()).is_ok());
        }
    }

    #[test]
    fn a_time_counted_for_pleasure_is_no_repeat() {
        let patterns = Patterns::new().unwrap();
        assert!(Leisure::new().is_some());
        let cases = [
            ("rewatching the office on netflix for the third time", false),
            (
                "rewatching parks and rec on netflix for the third time",
                false,
            ),
            ("3rd time watching elf this week", false),
            ("third time i've watched elf", false),
            ("listened to the new album for the 5th time", false),
            ("leyendo Harry Potter por quinta vez", false),
            ("vi la película por tercera vez", false),
            ("revendo Friends pela terceira vez", false),
            ("je regarde Love Actually pour la 4e fois", false),
            ("j'ai vu le film pour la 3e fois", false),
            ("netflix crashed for the third time tonight", true),
            ("saw the error for the 2nd time today", true),
            ("se cayó por tercera vez", true),
            ("4e fois que l'appli plante", true),
            // What is watched fails, or another clause tells the failure.
            (
                "watching the loading circle for the third time tonight",
                true,
            ),
            (
                "was watching the game and the stream died for the 4th time",
                true,
            ),
            (
                "listening to the hold music for the 4th time today @Comcast",
                true,
            ),
            ("ouvindo spotify e parou pela segunda vez", true),
            (
                "en regardant le match le stream a coupé pour la troisième fois",
                true,
            ),
            ("vi el error por tercera vez", true),
            // A time no pleasure holds still counts.
            (
                "rewatching lost for the 2nd time and netflix crashed for the 3rd time tonight",
                true,
            ),
            (
                "rewatching lost for the third time, app crashed 3 times today",
                true,
            ),
        ];
        for (text, repeat) in cases {
            assert_eq!(patterns.scan(text).repeat, repeat, "{text}");
        }
    }

    #[test]
    fn ascii_texts_do_not_make_the_exact_set() {
        let set = WordSet::new(every_pattern()).unwrap();
        assert_ne!(set.matches("error 404 for 2 hours"), 0);
        assert_eq!(set.matches("nothing to see here"), 0);
        // Stood in for: answered by the ASCII set too.
        assert_ne!(set.matches("error 404 😂"), 0);
        assert!(set.exact.get().is_none());
        assert_ne!(set.matches("código de erro 404"), 0);
        assert!(set.exact.get().is_some_and(Option::is_some));
    }

    #[test]
    fn ascii_texts_with_and_without_shapes_match_as_the_exact_set_does() {
        let set = word_set();
        for text in [
            "nothing to see here",
            "error 404 for 2 hours",
            "gmail down?",
            "",
        ] {
            assert_eq!(set.matches(text), exact_bits(text), "{text}");
        }
        assert_eq!(set.matches("nothing to see here"), 0);
        // An error code, a duration and a bare "X down?".
        assert_eq!(set.matches("error 404 for 2 hours").count_ones(), 2);
        assert_ne!(set.matches("gmail down?"), 0);
    }

    #[test]
    fn each_group_has_the_bits_of_its_own_patterns() {
        let patterns = Patterns::new().unwrap();
        let mut seen = 0u128;
        for (mask, group) in patterns.masks.iter().zip(GROUPS) {
            assert_eq!(mask.count_ones() as usize, group.len());
            assert_eq!(seen & mask, 0);
            // Groups follow each other: this one starts where the last ended.
            assert_eq!(mask.trailing_zeros(), seen.count_ones());
            seen |= mask;
        }
        assert_eq!(seen.count_ones() as usize, GROUPS.concat().len());
    }

    #[test]
    fn a_bare_down_question_is_found_by_the_set_of_every_shape_as_alone() {
        let alone = RegexSet::new(DOWN_QUESTIONS).unwrap();
        let eager = Patterns::new().unwrap();
        // The loose set from the first text beyond ASCII on.
        let loose = Patterns {
            all: WordSet {
                exact_first: 0,
                ..WordSet::new(GROUPS.concat()).unwrap()
            },
            ..Patterns::new().unwrap()
        };
        for text in [
            "gmail down?",
            "is psn down for anyone?",
            "error 404 for 2 hours?",
            "down for 2 hours?",
            "keeps crashing, down?",
            "¿netflix caído?",
            "¿se cayó? 😡",
            "ça fait 2 heures, en panne ?",
            "en panne?",
            "éoffline?",
            "offline.",
            "3rd time today?",
        ] {
            let expected = alone.is_match(text);
            assert_eq!(eager.down_question(text), expected, "{text}");
            assert_eq!(loose.down_question(text), expected, "{text}");
        }
        assert!(eager.down_question("gmail down?"));
        assert!(!eager.down_question("error 404 for 2 hours?"));
        assert!(!loose.down_question("éoffline?"));
    }

    #[test]
    fn the_slow_set_is_made_only_for_a_timed_fix_and_is_made() {
        let patterns = Patterns::new().unwrap();
        assert!(!patterns.scan("netflix down for 2 hours").quick);
        assert!(patterns.slow.get().is_none());
        assert!(patterns.scan("they fixed my internet in 20 min").quick);
        assert!(patterns.slow.get().is_some_and(Option::is_some));
    }

    #[test]
    fn a_timed_fix_takes_half_an_hour_at_most() {
        let patterns = Patterns::new().unwrap();
        assert!(patterns.scan("sorted in 30 mins").quick);
        assert!(patterns.scan("fixed in 05 min").quick);
        assert!(!patterns.scan("the next one is in 50 minutes").quick);
        assert!(!patterns.scan("arriving in 45 min").quick);
        assert!(!patterns.scan("fixed in 31 min").quick);
        assert!(!patterns.scan("fixed in 300 min").quick);
    }

    #[test]
    fn a_negated_timed_fix_is_no_quick_fix_whichever_the_apostrophe() {
        let patterns = Patterns::new().unwrap();
        assert!(patterns.scan("they fixed my internet in 20 min").quick);
        for text in [
            "the train hasn't moved in 25 min",
            "the train hasn’t moved in 25 min",
            "the train HASN’T moved in 25 min",
            "nothing has moved in 25 min",
        ] {
            assert!(!patterns.scan(text).quick, "{text}");
        }
    }

    #[test]
    fn the_loose_set_is_made_only_after_the_first_texts_beyond_ascii() {
        let set = WordSet {
            exact_first: 2,
            ..WordSet::new(every_pattern()).unwrap()
        };
        let text = "código de erro 404 🙄";
        let expected = exact_bits(text);
        assert_ne!(expected, 0);
        // ASCII texts do not count.
        assert_eq!(set.matches("error 404"), exact_bits("error 404"));
        for _ in 0..2 {
            assert_eq!(set.matches(text), expected);
            assert!(set.loose.get().is_none());
        }
        assert_eq!(set.matches(text), expected);
        assert!(set.loose.get().is_some_and(Option::is_some));
    }

    #[test]
    fn word_assertions_the_loose_set_cannot_loosen_are_refused() {
        for p in [
            r"\Bfoo",
            r"\b{start}foo",
            r"x\b{end-half}",
            r"\<foo",
            r"foo\>",
        ] {
            let err = WordSet::new([p]).err().expect(p);
            assert!(err.starts_with(p) && err.contains("may not hold"), "{err}");
        }
        assert!(WordSet::new([r"(?i)\bfor\s+\d+\b"]).is_ok());
        let many = vec!["x"; MAX_SET + 1];
        assert_eq!(
            WordSet::new(many).err(),
            Some(format!(
                "{} patterns in one set; at most {MAX_SET}",
                MAX_SET + 1
            ))
        );
        // An escaped backslash before a 'b' is no boundary: the syntax
        // tree, not the text, is loosened.
        let set = WordSet {
            exact_first: 0,
            ..WordSet::new([r"\\b\d", r"c:\\bin\b"]).unwrap()
        };
        // Made first, so texts beyond ASCII are not stood in for.
        assert!(set.loose().is_some());
        for text in [
            r"\b2",
            r"é \b2",
            r"c:\bin",
            r"ñc:\bin",
            r"c:\bin é",
            r"c:\bins é",
        ] {
            assert_eq!(set.matches(text), set.exact_matches(text), "{text}");
        }
        assert_eq!(set.matches(r"ñc:\bin"), 0b10);
        assert_eq!(set.matches(r"c:\bins é"), 0);
    }

    #[test]
    fn boundaries_beside_accents_and_emoji_are_decided_exactly() {
        let set = word_set();
        let patterns = Patterns::new().unwrap();
        // (text, error code, duration, repeat, keeps, down question),
        // worked out by reading the patterns.
        let cases = [
            // A boundary before "ç": a word character to Unicode, not to
            // ASCII.
            (
                "ça fait 2 heures que j'attends",
                false,
                true,
                false,
                false,
                false,
            ),
            // No boundary between "é" and "u": the loose set finds
            // "ui-113", the exact pattern does not.
            ("éui-113 😂", false, false, false, false, false),
            ("código de erro 404 🙄", true, false, false, false, false),
            ("esperando há 2 horas 😡", false, true, false, false, false),
            ("terceira vez hoje 😤", false, false, true, false, false),
            ("¿netflix caído?", false, false, false, false, true),
            ("não para de travar 😭", false, false, false, true, false),
            (
                "sigue cargando… ¡qué lío!",
                false,
                false,
                false,
                true,
                false,
            ),
            ("ñfor 2 hours", false, false, false, false, false),
        ];
        for (text, error_code, duration, repeat, keeps, down_question) in cases {
            assert_eq!(set.matches(text), exact_bits(text), "{text}");
            let shapes = patterns.scan(text);
            let found = (
                shapes.error_code,
                shapes.duration,
                shapes.repeat,
                shapes.keeps,
                shapes.down_question,
            );
            assert_eq!(
                found,
                (error_code, duration, repeat, keeps, down_question),
                "{text}"
            );
        }
        // The loose set did find the code the exact one refused.
        let loose = set.loose().expect("the loose set is made");
        assert_ne!(loose.set.matches("éui-113 😂"), Some(0));
    }

    #[test]
    fn the_loose_set_finds_every_pattern_the_exact_set_finds() {
        let set = word_set();
        let loose = set.loose().expect("the loose set is made");
        for text in [
            "ça fait 2 heures que j'attends",
            "et ça fait 2 heures",
            "xça fait 2 heures",
            "código de erro 404 🙄",
            "é404 error",
            "error 404é",
            "٢٣ hours ago",
            "for ٢ hours",
            "sigue cargando… ¡qué lío!",
            "não para de travar 😭",
            "¿netflix caído?",
            "the train hasn’t moved in 25 min",
            "4e fois aujourd'hui",
        ] {
            let exact = exact_bits(text);
            let found = loose.set.matches(text).unwrap();
            assert_eq!(exact & found, exact, "{text}");
        }
    }

    /// Words and marks that sit on both sides of the patterns' boundaries.
    const PIECES: &[&str] = &[
        " ", "  ", "é", "ç", "ñ", "ão", "😂", "…", "¿", "?", "-", ":", "'", "2", "404", "113",
        "3rd", "ui", "nw", "error", "código", "erro", "for", "hours", "horas", "heures", "ça",
        "fait", "há", "vez", "fois", "times", "still", "keeps", "crashing", "sigue", "cargando",
        "down", "caído", "in", "20", "min", "not", "n't", "x", "de", "2e",
        // Spaces, marks and digits that are not ASCII, and letters that
        // fold into ASCII ones.
        "\u{a0}", "\u{2009}", "\u{3000}", "\u{85}", "\u{301}", "\u{200d}", "\u{fe0f}", "٢", "２",
        "\u{212a}", "ſ", "İ", "日本",
    ];

    /// The pieces of [`PIECES`] in ASCII, and the shapes' words in odd
    /// cases and beside what ends them.
    const ASCII_PIECES: &[&str] = &[
        " ",
        "  ",
        "\t",
        "\n",
        "?",
        "-",
        ":",
        "#",
        ";",
        ".",
        "'",
        "_",
        "0",
        "2",
        "45",
        "404",
        "113",
        "2024",
        "0x80a40019",
        "3rd",
        "2nd",
        "ui",
        "NW",
        "tvq",
        "s7",
        "h",
        "M",
        "error",
        "ERR",
        "Code",
        "codigo",
        "erro",
        "erreur",
        "for",
        "over",
        "an",
        "one",
        "hours",
        "Hrs",
        "min",
        "days",
        "weeks",
        "now",
        "on hold",
        "been",
        "Waited",
        "after",
        "since",
        "the",
        "am",
        "por",
        "hace",
        "una",
        "horas",
        "dias",
        "ha",
        "to",
        "faz",
        "meia",
        "depuis",
        "ca fait",
        "heures",
        "ago",
        "time",
        "second",
        "twice",
        "today",
        "times",
        "still",
        "vez",
        "veces",
        "2e",
        "fois",
        "every",
        "cada",
        "keeps",
        "KEPT",
        "crashing",
        "sigue",
        "cargando",
        "nao",
        "para de",
        "travar",
        "n'arrete pas de",
        "planter",
        "down",
        "Offline",
        "caido",
        "caiu",
        "en panne",
        "in",
        "within",
        "x",
        "giving",
        "503s",
        "page",
    ];

    /// The set that never makes its loose set: a text beyond ASCII is
    /// stood in for when it can be, else left to the exact set.
    fn stood_in_set() -> &'static WordSet {
        static SET: std::sync::OnceLock<WordSet> = std::sync::OnceLock::new();
        SET.get_or_init(|| WordSet {
            exact_first: usize::MAX,
            ..WordSet::new(every_pattern()).unwrap()
        })
    }

    /// Characters the patterns do not name, beside the shapes.
    const STOOD_IN: &[&str] = &[
        "ñ", "ß", "ø", "Ω", "日本", "😂", "🙄", "\u{fe0f}", "\u{200d}", "£", "¿", "¡", "…", "’",
        "“", "—", "€", "«", "µ", "ª", "º", "\u{ad}",
    ];

    #[test]
    fn stood_in_texts_match_as_the_exact_set_does() {
        let set = stood_in_set();
        for text in [
            "ñerror 404ñ",
            "error 404 😂",
            "for 2 hoursø",
            "øfor 2 hours",
            "¿gmail down?",
            "keeps crashing…",
            "3 times today »",
            "3 times “and” still",
            "£65 for 2 hours",
        ] {
            assert!(
                set.stand_ins.as_ref().unwrap().stand_in(text).is_some(),
                "{text}"
            );
            assert_eq!(set.matches(text), exact_bits(text), "{text}");
        }
        assert_eq!(set.matches("ñerror 404ñ"), 0);
        assert_ne!(set.matches("error 404 😂"), 0);
        assert!(set.loose.get().is_none());
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

        #[test]
        fn any_text_stood_in_or_not_matches_as_the_exact_set_does(
            picks in prop::collection::vec(0..PIECES.len() + STOOD_IN.len(), 1..16)
        ) {
            let set = stood_in_set();
            let text: String = picks
                .iter()
                .map(|&i| PIECES.get(i).copied().unwrap_or_else(|| STOOD_IN[i - PIECES.len()]))
                .collect();
            prop_assert_eq!(set.matches(&text), exact_bits(&text), "{}", text);
        }

        #[test]
        fn any_ascii_text_matches_as_the_plain_set_does(
            picks in prop::collection::vec(
                prop_oneof![
                    (0..ASCII_PIECES.len()).prop_map(|i| ASCII_PIECES[i].to_string()),
                    "[\\x00-\\x7f]{1,3}",
                ],
                1..16,
            )
        ) {
            let set = word_set();
            let text: String = picks.concat();
            prop_assert!(text.is_ascii());
            prop_assert_eq!(set.matches(&text), exact_bits(&text), "{}", text);
        }

        #[test]
        fn any_text_matches_as_the_exact_set_does(
            picks in prop::collection::vec(0..PIECES.len(), 1..16)
        ) {
            let set = word_set();
            let text: String = picks.iter().map(|&i| PIECES[i]).collect();
            prop_assert_eq!(set.matches(&text), exact_bits(&text), "{}", text);
        }
    }
}
