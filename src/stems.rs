//! The stems of the words stemmed lately on this thread, shared by the
//! stages that stem.
//!
//! A word outcry has not met before (a name, a typo, a new hashtag) is
//! stemmed twice for one post: the sentiment scorer looks it up through its
//! stem, then the tagger writes the same stem into the stream its phrase
//! lists run over. On a stream of real posts, where about one word in five
//! is new, stemming was a fifth of all the work of `outcry score`, and
//! about a quarter of it was the second time. A stem depends on nothing but
//! the language's algorithm and the word, so an answer from here is the
//! stemmer's own. Words met again in later posts are remembered by the
//! stages themselves (they number a chunk once seen twice), so this only
//! has to carry a word from one stage of a post to the next: it is small,
//! and starts afresh when full.

use std::borrow::Cow;
use std::cell::RefCell;

use rust_stemmers::Stemmer;

use crate::lang::Lang;
use crate::sentiment::FastMap;

/// Words remembered per language before that language's memory starts
/// afresh: some hundred posts' worth of new words, a few tens of KiB.
const CAPACITY: usize = 1 << 10;

/// Longer words are stemmed but not remembered: keyboard mashes and links
/// missed, rarely asked twice, and they would make the memory large.
const MAX_REMEMBERED_BYTES: usize = 48;

struct Recent {
    stemmers: [Stemmer; 4],
    words: [FastMap<Box<str>, Box<str>>; 4],
}

impl Recent {
    fn new() -> Recent {
        Recent {
            stemmers: Lang::ALL.map(|l| Stemmer::create(l.stemmer_algorithm())),
            words: Default::default(),
        }
    }
}

thread_local! {
    static RECENT: RefCell<Recent> = RefCell::new(Recent::new());
}

/// `f` of `word`'s stem in `lang` (as `lang`'s Snowball stemmer gives it),
/// from memory when the word was stemmed lately on this thread. `f` must
/// not stem (the memory is held while it runs).
pub(crate) fn with_stem<R>(lang: Lang, word: &str, f: impl FnOnce(&str) -> R) -> R {
    RECENT.with(|recent| {
        let mut recent = recent.borrow_mut();
        let i = lang.index();
        if let Some(stem) = recent.words[i].get(word) {
            return f(stem);
        }
        let stem = recent.stemmers[i].stem(word);
        if word.len() > MAX_REMEMBERED_BYTES {
            return f(&stem);
        }
        let stem: Box<str> = match stem {
            Cow::Borrowed(s) => s.into(),
            Cow::Owned(s) => s.into_boxed_str(),
        };
        let answer = f(&stem);
        let words = &mut recent.words[i];
        if words.len() >= CAPACITY {
            words.clear();
        }
        words.insert(word.into(), stem);
        answer
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stem(lang: Lang, word: &str) -> String {
        with_stem(lang, word, str::to_string)
    }

    #[test]
    fn stems_are_each_languages_own() {
        // Worked out from the Snowball algorithms: English drops "-ing" and
        // writes a final y as i; Spanish and Portuguese drop the verb
        // endings; French drops "-ation" and the like.
        assert_eq!(stem(Lang::En, "buffering"), "buffer");
        assert_eq!(stem(Lang::En, "happy"), "happi");
        assert_eq!(stem(Lang::Es, "funcionando"), "funcion");
        assert_eq!(stem(Lang::Pt, "funcionando"), "funcion");
        assert_eq!(stem(Lang::Fr, "connexion"), "connexion");
        // The same word asked again in another language is not the first
        // language's answer from memory.
        assert_eq!(stem(Lang::En, "gatos"), "gato");
        assert_eq!(stem(Lang::Es, "gatos"), "gat");
    }

    #[test]
    fn answers_from_memory_are_the_stemmers_own() {
        let words: Vec<String> = (0..3 * CAPACITY)
            .map(|n| format!("crash{}ing", n % (CAPACITY + 7)))
            .chain(["runnings".into(), "x".repeat(MAX_REMEMBERED_BYTES + 5)])
            .collect();
        for lang in Lang::ALL {
            let stemmer = Stemmer::create(lang.stemmer_algorithm());
            // Twice over, so that the second pass is answered from memory
            // where the memory kept the word, and across its fresh starts.
            for word in words.iter().chain(&words) {
                assert_eq!(stem(lang, word), stemmer.stem(word), "{lang:?} {word}");
            }
            assert!(RECENT.with(|r| r.borrow().words[lang.index()].len()) <= CAPACITY);
        }
    }
}
