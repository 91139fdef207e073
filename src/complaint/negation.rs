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

use crate::lang::Lang;

/// Words that deny what follows them.
struct Words {
    negators: &'static [&'static str],
    /// Negators that deny on their own, with nothing after them ("ça marche
    /// pas", "funciona nada").
    alone: &'static [&'static str],
    /// Words skipped between the negator and what it denies: clitics,
    /// articles, "even", "yet".
    fillers: &'static [&'static str],
    /// Beginnings of the words that make a set phrase with the negator.
    set_phrases: &'static [&'static str],
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
        "worr",
        "wait",
        "hesitat",
        "mind",
        "doubt",
        "problem",
        "idea",
        "clue",
        "cap",
        "spoiler",
        "kidding",
        "joke",
        "lie",
        "sure",
        "bad",
        "matter",
        "offen",
        "pressure",
        "rush",
        "judg",
        "panic",
        "stop",
        "know",
        "think",
        "care",
        "thank",
        "way",
        "only",
        "just",
        "but",
        "better",
        "beat",
        "compar",
        "wrong",
        "issue",
        "complain",
        "regret",
        "fee",
        "charge",
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
        "question",
        "fail",
        "disappoint",
        "change anything",
        "change a thing",
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
        "preocup",
        "olvid",
        "pierd",
        "import",
        "dud",
        "embargo",
        "problema",
        "mal",
        "cost",
        "coste",
        "cargo",
        "comisi",
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
        "nenhuma",
    ],
    alone: &["nada", "nunca"],
    fillers: &[
        "me", "te", "se", "lhe", "o", "a", "os", "as", "um", "uma", "meu", "minha", "tem", "tenho",
        "há", "ha", "foi", "ainda", "mesmo", "sequer",
    ],
    set_phrases: &[
        "sei",
        "preocup",
        "perc",
        "esquec",
        "vejo",
        "dúvida",
        "duvida",
        "import",
        "mal",
        "problema",
        "custo",
        "taxa",
        "juros",
        "glúten",
        "gluten",
        "açúcar",
        "acucar",
        "obrigad",
        "acredito",
        "tem de qu",
    ],
};

const FR: Words = Words {
    negators: &["ne", "pas", "jamais", "rien", "sans", "aucun", "aucune"],
    alone: &["pas", "jamais", "rien"],
    fillers: &[
        "se", "me", "te", "le", "la", "les", "lui", "y", "en", "nous", "vous", "de", "d", "du",
        "des", "un", "une", "mon", "ma", "mes", "même", "meme", "toujours", "encore", "a", "ai",
        "est", "été",
    ],
    set_phrases: &[
        "mal",
        "grave",
        "souci",
        "problème",
        "probleme",
        "doute",
        "sai",
        "oubli",
        "rat",
        "inquiét",
        "inquiet",
        "hésit",
        "hesit",
        "frais",
        "gluten",
        "sucre",
        "blague",
        "importe",
        "merci",
        "du tout",
        "que",
        "qu",
        "plus",
        "moins",
        "besoin",
    ],
};

fn words_of(lang: Lang) -> &'static Words {
    match lang {
        Lang::En => &EN,
        Lang::Es => &ES,
        Lang::Pt => &PT,
        Lang::Fr => &FR,
    }
}

/// The post, outside its questions, denies that something happened or
/// works.
pub fn denies(text: &str, lang: Lang) -> bool {
    let words = words_of(lang);
    let mut lower = String::new();
    statements(text).any(|clause| {
        lower.clear();
        lower.extend(
            clause
                .chars()
                .map(|c| if c == '’' { '\'' } else { c })
                .flat_map(char::to_lowercase),
        );
        let clause: Vec<&str> = lower
            .split(|c: char| !(c.is_alphanumeric() || c == '\''))
            .filter(|w| !w.is_empty() && !w.starts_with('\''))
            .collect();
        denial_in(&clause, words, lang)
    })
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
        let (clause, end, question) = match rest.char_indices().find(|(_, c)| is_clause_end(*c)) {
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

fn denial_in(clause: &[&str], words: &Words, lang: Lang) -> bool {
    (0..clause.len()).any(|i| {
        let w = clause[i];
        // French elides "ne" into the verb: "n'arrive", "n'ai".
        let (negator, rest) = match w.strip_prefix("n'") {
            Some(verb) if lang == Lang::Fr && !verb.is_empty() => (true, Some(verb)),
            _ => (words.negators.contains(&w), None),
        };
        if !negator {
            return false;
        }
        // "je ne sais pas": the "ne" before it spoke for the "pas".
        if lang == Lang::Fr
            && rest.is_none()
            && w != "ne"
            && clause[..i]
                .iter()
                .any(|p| *p == "ne" || p.starts_with("n'"))
        {
            return false;
        }
        let denied = match rest {
            Some(verb) => Some(verb),
            None => clause[i + 1..]
                .iter()
                .copied()
                .find(|next| !words.fillers.contains(next)),
        };
        match denied {
            None => words.alone.contains(&w),
            Some(next) => {
                let two = clause
                    .get(i + 2)
                    .map_or(String::new(), |n| format!("{next} {n}"));
                !words
                    .set_phrases
                    .iter()
                    .any(|p| next.starts_with(p) || (p.contains(' ') && two.starts_with(p)))
                    && !next.chars().all(|c| c.is_ascii_digit())
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
