//! The words that deny, per language, for `negation.rs`: negators, the
//! fillers skipped after them, and the set phrases that deny nothing. Kept
//! apart because they are data, and long.

use crate::lang::Lang;

/// Words that deny what follows them.
pub(super) struct Words {
    pub negators: &'static [&'static str],
    /// Negators that deny on their own, with nothing after them ("ça marche
    /// pas", "funciona nada").
    pub alone: &'static [&'static str],
    /// Words skipped between the negator and what it denies: clitics,
    /// articles, "even", "yet".
    pub fillers: &'static [&'static str],
    /// Words (or a few words) that make a set phrase with the negator; an
    /// entry ending in '-' is a beginning ("worr-": worry, worries).
    pub set_phrases: &'static [&'static str],
}

const EN: Words = Words {
    negators: &[
        "not", "never", "didn't", "didnt", "doesn't", "doesnt", "don't", "dont", "isn't", "isnt",
        "wasn't", "wasnt", "weren't", "werent", "aren't", "arent", "won't", "wont", "haven't",
        "havent", "hasn't", "hasnt", "hadn't", "hadnt", "can't", "cant", "cannot", "couldn't",
        "couldnt", "wouldn't", "wouldnt", "no", "nobody", "nothing", "zero", "without", "neither",
    ],
    alone: &[],
    fillers: &[
        "even", "yet", "ever", "really", "actually", "always", "one", "longer", "any", "a", "an",
        "the", "my", "have", "has", "been", "be", "got", "get", "single", "at", "all",
    ],
    set_phrases: &[
        "forget",
        "miss",
        "worr-",
        "wait",
        "hesitat-",
        "mind",
        "doubt-",
        "problem-",
        "idea",
        "clue",
        "cap",
        "spoiler-",
        "kidding",
        "joke",
        "lie",
        "sure",
        "bad",
        "matter-",
        "offen-",
        "pressure",
        "rush",
        "judg-",
        "panic",
        "stop",
        "know",
        "think",
        "care",
        "thank-",
        "way",
        "only",
        "just",
        "but",
        "better",
        "beat-",
        "compar-",
        "wrong",
        "issue",
        "issues",
        "complain-",
        "regret-",
        "fee",
        "fees",
        "hassle",
        "shame",
        "wonder",
        "need",
        "more",
        "less",
        "much",
        "many",
        "else",
        "enough",
        "question-",
        "fail-",
        "disappoint-",
        "change anything",
        "change a thing",
        // How one feels, not what failed: "not even mad", "can't focus".
        "mad",
        "focus",
        // "never shopping anywhere else": loyalty.
        "shopping anywhere",
        "buying anywhere",
        // Spared by an outage: "didn't touch me", "wasn't affected",
        // "haven't noticed" (not "without notice").
        "touch me",
        "affect-",
        "noticed",
        "notice it",
        // "never lost a thing" (not "never lost files before this update").
        "lost a thing",
        "lost anything",
    ],
};

const ES: Words = Words {
    negators: &[
        "no", "nunca", "nadie", "nada", "ni", "sin", "tampoco", "jamás", "jamas", "ningún",
        "ningun", "ninguna",
    ],
    alone: &["nada"],
    fillers: &[
        "me", "te", "se", "le", "lo", "la", "nos", "les", "los", "las", "el", "un", "una", "mi",
        "mis", "hay", "tengo", "tiene", "tenemos", "ha", "han", "he", "ya", "aún", "aun",
        "todavía", "todavia", "siquiera",
    ],
    set_phrases: &[
        "sé",
        "preocup-",
        "olvid-",
        "pierd-",
        "import-",
        "dud-",
        "embargo",
        "problema-",
        "mal",
        "cost-",
        "coste",
        "cargo",
        "comisi-",
        "gluten",
        "azúcar",
        "azucar",
        "pasa nada",
        "puedo esperar",
        "gracias",
        "vale",
        "sabía",
        "sabia",
        "entiendo por",
    ],
};

const PT: Words = Words {
    negators: &[
        "não", "nao", "nunca", "ninguém", "ninguem", "nada", "nem", "sem", "jamais", "nenhum",
        "nenhuma", // "n apareceu", "n chegou": how "não" is typed in a hurry.
        "n",
    ],
    alone: &["nada", "nunca"],
    fillers: &[
        "me", "te", "se", "lhe", "o", "a", "os", "as", "um", "uma", "meu", "minha", "tem", "tenho",
        "há", "ha", "foi", "ainda", "mesmo", "sequer",
    ],
    set_phrases: &[
        "sei",
        "preocup-",
        "perc-",
        "esquec-",
        "vejo",
        "dúvida",
        "duvida",
        "import-",
        "mal",
        "problema-",
        "custo",
        "taxa",
        "juros",
        "glúten",
        "gluten",
        "açúcar",
        "acucar",
        "obrigad-",
        "acredito",
        "de qu-",
        // "chuva sem parar": without end, not without service.
        "parar",
        // The hurried "n" that is no "não": "n vezes", "rock n roll"; and
        // "(n)ão tenho do que reclamar", nothing to complain of.
        "vezes",
        "roll",
        "do que",
    ],
};

const FR: Words = Words {
    negators: &["ne", "pas", "jamais", "rien", "sans", "aucun", "aucune"],
    alone: &["pas", "jamais", "rien"],
    fillers: &[
        "se", "me", "te", "le", "la", "les", "lui", "y", "en", "nous", "vous", "de", "d", "du",
        "des", "un", "une", "mon", "ma", "mes", "même", "meme", "toujours", "encore", "a", "ai",
        "est", "été", "pas",
    ],
    set_phrases: &[
        "mal",
        "grave",
        "souci",
        "problème",
        "probleme",
        "doute",
        "sai-",
        "oubli-",
        "rat-",
        "inquiét-",
        "inquiet-",
        "hésit-",
        "hesit-",
        "frais",
        "gluten",
        "sucre",
        "blague",
        "importe-",
        "merci",
        "du tout",
        "que",
        "qu'-",
        "moins",
        "besoin",
        // "rien remarqué": spared by an outage.
        "remarqu-",
        // "rien à redire": nothing to fault.
        "à redire",
        "a redire",
    ],
};

pub(super) fn words_of(lang: Lang) -> &'static Words {
    match lang {
        Lang::En => &EN,
        Lang::Es => &ES,
        Lang::Pt => &PT,
        Lang::Fr => &FR,
    }
}
