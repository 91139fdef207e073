//! Tagging against the shipped lexicons and against small ones written here.

use super::*;

pub(super) fn embedded() -> Tagger {
    match Tagger::new(&Lexicons::embedded()) {
        Ok(t) => t,
        Err(e) => panic!("embedded lexicons: {e}"),
    }
}

/// A lexicon folder holding the given topics.toml and outage lists.
fn folder(topics: &str, outage: [&str; 4]) -> (tempfile::TempDir, Lexicons) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("outage")).unwrap();
    std::fs::write(dir.path().join("topics.toml"), topics).unwrap();
    for (lang, text) in Lang::ALL.iter().zip(outage) {
        std::fs::write(dir.path().join(format!("outage/{}.txt", lang.code())), text).unwrap();
    }
    let lexicons = Lexicons::from_dir(dir.path());
    (dir, lexicons)
}

const SMALL_TOPICS: &str = r#"
outage_hashtag_suffixes = ["down"]
[[topic]]
name = "netflix"
names = ["netflix"]
[[topic]]
name = "hulu"
names = ["hulu"]
"#;

fn idx(t: &Tagger, name: &str) -> usize {
    t.topic_index(name).unwrap()
}

fn tag(t: &Tagger, text: &str, lang: Option<Lang>) -> Tags {
    t.tag(text, &[], lang)
}

/// The tagger writes a new word's stem from the thread's memory of stems,
/// the one the sentiment scorer fills just before: a stem planted there is
/// the one its stream holds ("netflix is down" is an outage phrase). The
/// word starts as "down" does, or it would not be stemmed at all (no
/// phrase stem starts as "zor" does, say), and ends as a suffix may: a
/// word ending in "x" is its own stem, known without asking.
#[test]
fn streams_take_their_stems_from_the_threads_memory() {
    let t = embedded();
    stems::plant(Lang::En, "downzorblingqs", "down");
    assert!(tag(&t, "netflix is downzorblingqs", Some(Lang::En)).problem);
    assert!(!tag(&t, "netflix is downzorblingqy", Some(Lang::En)).problem);
    stems::plant(Lang::En, "zorblingqs", "down");
    assert!(!tag(&t, "netflix is zorblingqs", Some(Lang::En)).problem);
}

#[test]
fn embedded_lexicons_load_with_the_expected_topics() {
    let t = embedded();
    let names: Vec<&str> = t.topics().iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["netflix", "hulu", "hbo", "prime_video", "youtube"]);
    let netflix = &t.topics()[idx(&t, "netflix")];
    assert_eq!(netflix.display_name, "Netflix");
    assert_eq!(netflix.help_handles, ["@netflixhelps"]);
    assert!(netflix.handles.contains(&"@netflix".to_string()));
    for term in [
        "netflix",
        "@netflix",
        "@netflixhelps",
        "#netflix",
        "#netflixdown",
        "#christmasisruined",
    ] {
        assert!(netflix.terms.contains(&term.to_string()), "{term}");
    }
    assert_eq!(t.topic_index("myspace"), None);
}

#[test]
fn english_phrases_with_and_without_apostrophes() {
    let t = embedded();
    let netflix = vec![idx(&t, "netflix")];
    for text in [
        "Netflix won't load",
        "netflix wont load",
        "Netflix won’t load!!",
        "netflix: can't stream",
        "netflix cant stream",
        "netflix is down",
    ] {
        let tags = tag(&t, text, Some(Lang::En));
        assert_eq!(
            tags,
            Tags {
                topics: netflix.clone(),
                problem: true
            },
            "{text}"
        );
    }
    assert!(tag(&t, "error 503 on my TV", Some(Lang::En)).problem);
    assert!(tag(&t, "total #fail tonight", Some(Lang::En)).problem);
}

#[test]
fn spanish_phrases_accented_and_not() {
    let t = embedded();
    for text in [
        "Netflix se cayó",
        "netflix se cayo",
        "netflix está caído",
        "netflix esta caido",
        "netflix no funciona",
        "Netflix NO FUNCIONA",
    ] {
        let tags = tag(&t, text, Some(Lang::Es));
        assert_eq!(
            tags,
            Tags {
                topics: vec![0],
                problem: true
            },
            "{text}"
        );
    }
}

#[test]
fn portuguese_phrases_accented_and_not() {
    let t = embedded();
    for text in [
        "Netflix fora do ar",
        "netflix tá fora do ar",
        "netflix não funciona",
        "netflix nao funciona",
        "o netflix caiu",
        "NETFLIX CAIU",
    ] {
        assert!(tag(&t, text, Some(Lang::Pt)).problem, "{text}");
    }
    assert!(!tag(&t, "netflix funciona bem", Some(Lang::Pt)).problem);
}

#[test]
fn french_phrases_accented_and_not() {
    let t = embedded();
    for text in [
        "Netflix en panne",
        "netflix ne fonctionne pas",
        "ça marche pas netflix",
        "ca marche pas",
        "Netflix marche pu",
        "c'est down",
        "impossible d'accéder à netflix",
        "impossible d'acceder",
    ] {
        assert!(tag(&t, text, Some(Lang::Fr)).problem, "{text}");
    }
    assert!(!tag(&t, "netflix marche très bien", Some(Lang::Fr)).problem);
}

#[test]
fn stemming_meets_inflections_in_text() {
    let (_dir, lex) = folder(SMALL_TOPICS, ["crash", "", "", ""]);
    let t = Tagger::new(&lex).unwrap();
    for text in ["it crashed", "crashing again", "the app crashes", "CRASH"] {
        assert!(tag(&t, text, Some(Lang::En)).problem, "{text}");
    }
    assert!(!tag(&t, "crashpad", Some(Lang::En)).problem);

    let t = embedded();
    // Listed as "app crash" and "not working"; these forms are not listed.
    assert!(tag(&t, "the app crashes on my tv", Some(Lang::En)).problem);
    assert!(tag(&t, "netflix not works", Some(Lang::En)).problem);
    // Listed as "no funciona"; "funcionando" stems to the same "funcion".
    assert!(tag(&t, "netflix no funcionando", Some(Lang::Es)).problem);
    // Listed as "ne fonctionne pas"; the imperfect stems alike.
    assert!(tag(&t, "netflix ne fonctionnait pas", Some(Lang::Fr)).problem);
    // Listed as "travou"; the imperfect "travava" stems to "trav" too.
    assert!(tag(&t, "netflix travava", Some(Lang::Pt)).problem);
}

#[test]
fn hashtags_in_text_and_in_the_source_list() {
    let t = embedded();
    let (netflix, hulu) = (idx(&t, "netflix"), idx(&t, "hulu"));
    let both = |topics: Vec<usize>| Tags {
        topics,
        problem: true,
    };
    assert_eq!(tag(&t, "#NetflixDown", None), both(vec![netflix]));
    assert_eq!(tag(&t, "ugh #HuluFail", None), both(vec![hulu]));
    assert_eq!(tag(&t, "#netflixcaido", None), both(vec![netflix]));
    assert_eq!(tag(&t, "#NetflixCaído", None), both(vec![netflix]));
    assert_eq!(tag(&t, "#netflixforadoar", None), both(vec![netflix]));
    assert_eq!(tag(&t, "#Netflix_Fora_Do_Ar", None), both(vec![netflix]));
    assert_eq!(
        tag(&t, "#Netflix", None),
        Tags {
            topics: vec![netflix],
            problem: false
        }
    );
    assert_eq!(
        tag(&t, "#christmasisruined", None),
        Tags {
            topics: vec![netflix],
            problem: false
        }
    );
    assert_eq!(
        tag(&t, "watching tonight #netflix #fail", Some(Lang::En)),
        both(vec![netflix])
    );

    let listed = |tags: &[&str]| tags.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        t.tag("ugh", &listed(&["NetflixDown"]), Some(Lang::En)),
        both(vec![netflix])
    );
    assert_eq!(
        t.tag("ugh", &listed(&["Netflix"]), Some(Lang::En)),
        Tags {
            topics: vec![netflix],
            problem: false
        }
    );
    assert_eq!(
        t.tag("ugh", &listed(&["#fail"]), Some(Lang::En)),
        Tags {
            topics: vec![],
            problem: true
        }
    );
    assert_eq!(
        t.tag("ugh", &listed(&["caído"]), Some(Lang::Es)),
        Tags {
            topics: vec![],
            problem: true
        }
    );
    assert_eq!(
        t.tag("ugh", &listed(&["netflixandchill", ""]), None),
        Tags::default()
    );
}

#[test]
fn word_boundaries_decide_mentions() {
    let t = embedded();
    let netflix = Tags {
        topics: vec![idx(&t, "netflix")],
        problem: false,
    };
    for text in [
        "Netflix's new show",
        "netflix!",
        "(netflix)",
        "NETFLIX",
        "@Netflix hi",
        "#netflix",
        "＃Netflix",
        "love netflix.",
        "RT @NetflixHelps: hi",
    ] {
        assert_eq!(tag(&t, text, Some(Lang::En)), netflix, "{text}");
    }
    for text in [
        "netflixandchill",
        "#netflixandchill",
        "mynetflix",
        "@netflixfan hi",
        "me@netflix",
        "http://netflix.com/x",
    ] {
        assert_eq!(tag(&t, text, Some(Lang::En)), Tags::default(), "{text}");
    }
}

#[test]
fn multi_word_names() {
    let t = embedded();
    let prime = idx(&t, "prime_video");
    assert_eq!(
        tag(&t, "Amazon Prime Video is down", Some(Lang::En)),
        Tags {
            topics: vec![prime],
            problem: true
        }
    );
    assert_eq!(tag(&t, "#AmazonPrime", None).topics, [prime]);
    assert_eq!(tag(&t, "amazon prime", None).topics, [prime]);
    assert!(tag(&t, "ordered it on amazon, prime day", None)
        .topics
        .is_empty());
    assert!(tag(&t, "amazon #prime", None).topics.is_empty());
    assert_eq!(
        tag(&t, "HBO GO not working", Some(Lang::En)),
        Tags {
            topics: vec![idx(&t, "hbo")],
            problem: true
        }
    );
    assert_eq!(tag(&t, "hulu plus", None).topics, [idx(&t, "hulu")]);
}

#[test]
fn two_topics_come_back_ascending() {
    let t = embedded();
    let tags = tag(
        &t,
        "YouTube works but Netflix and hulu are not working",
        Some(Lang::En),
    );
    let mut expected = vec![idx(&t, "youtube"), idx(&t, "netflix"), idx(&t, "hulu")];
    expected.sort_unstable();
    assert_eq!(
        tags,
        Tags {
            topics: expected,
            problem: true
        }
    );
    assert_eq!(
        tag(&t, "netflix netflix @netflix #netflix", None).topics,
        [idx(&t, "netflix")]
    );
}

#[test]
fn a_problem_without_a_topic() {
    let t = embedded();
    assert_eq!(
        tag(&t, "my tv app won't load", Some(Lang::En)),
        Tags {
            topics: vec![],
            problem: true
        }
    );
    assert_eq!(tag(&t, "nothing at all", Some(Lang::En)), Tags::default());
}

#[test]
fn case_does_not_matter() {
    let t = embedded();
    let expected = Tags {
        topics: vec![idx(&t, "netflix")],
        problem: true,
    };
    for text in [
        "NETFLIX IS DOWN",
        "netflix is down",
        "NeTfLiX iS dOwN",
        "#NETFLIXDOWN",
    ] {
        assert_eq!(tag(&t, text, Some(Lang::En)), expected, "{text}");
    }
}

#[test]
fn ordinary_chatter_is_not_a_problem() {
    let t = embedded();
    for text in [
        "calm down netflix is fine",
        "crashed on the couch watching netflix",
        "watching Frozen on netflix",
        "Netflix no. Funciona bien",
        "http://t.co/error",
        "sit down, relax",
        "she's down to earth",
        "my heart is broken, sad movies on netflix",
        // The French "a planté" would stem to "a plant" and fire here.
        "I planted a plant today",
        "this show is unavailable in my country",
        "the pan is hot",
        "I fell asleep, it's fall",
        "no sirve de nada llorar",
        "falha nossa, desculpa",
    ] {
        assert!(!tag(&t, text, None).problem, "{text}");
    }
}

#[test]
fn a_topic_followed_by_an_outage_word() {
    let t = embedded();
    let netflix = Tags {
        topics: vec![idx(&t, "netflix")],
        problem: true,
    };
    for text in [
        "Netflix down?",
        "is netflix down",
        "netflix's down",
        "@netflix down again",
        "#netflix down",
        "netflix crashed",
    ] {
        assert_eq!(tag(&t, text, Some(Lang::En)), netflix, "{text}");
    }
    assert!(!tag(&t, "netflix, down the hall", Some(Lang::En)).problem);
}

#[test]
fn languages_tried_follow_the_post() {
    let t = embedded();
    assert!(!tag(&t, "no funciona", Some(Lang::En)).problem);
    assert!(tag(&t, "no funciona", Some(Lang::Es)).problem);
    assert!(tag(&t, "no funciona", None).problem);
    assert!(!tag(&t, "en panne", Some(Lang::Pt)).problem);
    // English is always tried: "error" crosses languages.
    assert!(tag(&t, "netflix me da un error raro", Some(Lang::Pt)).problem);
}

#[test]
fn help_handles_are_reported() {
    let t = embedded();
    let netflix = idx(&t, "netflix");
    let (tags, help) = t.tag_with_help("@NetflixHelps it won't load", &[], Some(Lang::En));
    assert_eq!(
        tags,
        Tags {
            topics: vec![netflix],
            problem: true
        }
    );
    assert_eq!(help, [netflix]);
    let (_, help) = t.tag_with_help("@netflix it won't load", &[], Some(Lang::En));
    assert!(help.is_empty());
}

#[test]
fn explain_lists_every_entry_that_matched() {
    let t = embedded();
    let netflix = idx(&t, "netflix");
    let e = t.explain(
        "@netflixhelps Netflix se cayó #NetflixDown",
        &[],
        Some(Lang::Es),
    );
    assert_eq!(
        e.tags,
        Tags {
            topics: vec![netflix],
            problem: true
        }
    );
    assert_eq!(e.help_addressed, [netflix]);
    let expected = [
        Hit {
            kind: HitKind::Topic {
                topic: netflix,
                help: true,
            },
            entry: "@netflixhelps".into(),
        },
        Hit {
            kind: HitKind::Topic {
                topic: netflix,
                help: false,
            },
            entry: "netflix".into(),
        },
        Hit {
            kind: HitKind::Topic {
                topic: netflix,
                help: false,
            },
            entry: "#netflixdown".into(),
        },
        Hit {
            kind: HitKind::OutageHashtag { topic: netflix },
            entry: "#netflixdown".into(),
        },
        // "se cayo" normalises like "se cayó": one pattern, named by the first line.
        Hit {
            kind: HitKind::Outage { lang: Lang::Es },
            entry: "se cayó".into(),
        },
    ];
    assert_eq!(e.hits, expected);
}

#[test]
fn bad_toml_is_reported_with_file_and_line() {
    let (dir, lex) = folder(
        "[[topic]]\nname = netflix\nnames = [\"netflix\"]\n",
        ["", "", "", ""],
    );
    let err = Tagger::new(&lex).err().unwrap();
    assert_eq!(
        err.file,
        dir.path().join("topics.toml").display().to_string()
    );
    assert_eq!(err.line, Some(2));
    assert!(err.to_string().starts_with("lexicon "), "{err}");
    assert!(err.to_string().contains("topics.toml:2: "), "{err}");
}

#[test]
fn bad_entries_are_reported_with_file_and_line() {
    let clash = "[[topic]]\nname = \"a\"\nnames = [\"netflix\"]\n[[topic]]\nname = \"b\"\nnames = [\"NETFLIX\"]\n";
    let (_dir, lex) = folder(clash, ["", "", "", ""]);
    let err = Tagger::new(&lex).err().unwrap();
    assert_eq!(err.line, Some(6));
    assert!(
        err.reason.contains("already belongs to topic \"a\""),
        "{err}"
    );

    let bad_handle = "[[topic]]\nname = \"a\"\nhandles = [\"netflix\"]\n";
    let (_dir, lex) = folder(bad_handle, ["", "", "", ""]);
    assert_eq!(Tagger::new(&lex).err().unwrap().line, Some(3));

    let unknown_key = "[[topic]]\nname = \"a\"\nnames = [\"x\"]\nterms = [\"y\"]\n";
    let (_dir, lex) = folder(unknown_key, ["", "", "", ""]);
    assert_eq!(Tagger::new(&lex).err().unwrap().line, Some(4));

    let (dir, lex) = folder(SMALL_TOPICS, ["is down", "# comment\n\n!!!\n", "", ""]);
    let err = Tagger::new(&lex).err().unwrap();
    assert_eq!(
        err.file,
        dir.path().join("outage/es.txt").display().to_string()
    );
    assert_eq!(err.line, Some(3));

    let (_dir, lex) = folder("", ["", "", "", ""]);
    assert!(Tagger::new(&lex)
        .err()
        .unwrap()
        .reason
        .contains("no [[topic]]"));
}

#[test]
fn an_empty_outage_list_tags_topics_only() {
    let (_dir, lex) = folder(SMALL_TOPICS, ["", "", "", ""]);
    let t = Tagger::new(&lex).unwrap();
    assert_eq!(
        tag(&t, "hulu and netflix are down", None),
        Tags {
            topics: vec![0, 1],
            problem: false
        }
    );
    assert_eq!(
        tag(&t, "#HuluDown", None),
        Tags {
            topics: vec![1],
            problem: true
        }
    );
}

/// Loading checks every list but builds no automaton: a search builds the
/// topics' one, and tagging reads the outage phrases out of the one search
/// per style that all lists share (`shared.rs`), so a list's own automaton
/// is built only for `explain`, and only in the languages it tries.
#[test]
fn automata_are_built_on_first_use() {
    let t = embedded();
    let built = |t: &Tagger| -> Vec<bool> {
        t.outage
            .iter()
            .map(|o| o.automaton.as_ref().is_some_and(load::Lazy::is_built))
            .collect()
    };
    assert!(!t.topics.automaton.is_built());
    assert_eq!(built(&t), [false; 4]);
    assert!(tag(&t, "la app de netflix no funciona", Some(Lang::Es)).problem);
    assert!(!tag(&t, "la app de netflix marcha bien", Some(Lang::Es)).problem);
    assert!(t.topics.automaton.is_built());
    assert_eq!(built(&t), [false; 4]);
    let explained = t.explain("la app de netflix marcha bien", &[], Some(Lang::Es));
    assert!(!explained.tags.problem);
    let langs: Vec<Lang> = t.outage.iter().map(|o| o.lang).collect();
    let expected: Vec<bool> = langs
        .iter()
        .map(|&l| l == Lang::Es || l == Lang::En)
        .collect();
    assert_eq!(built(&t), expected, "{langs:?}");
}

#[test]
fn odd_text_never_panics() {
    let t = embedded();
    let long = "a".repeat(10_000);
    let texts = [
        "",
        "#",
        "@",
        "'s",
        "''''",
        "#'s @'s",
        "İstanbul ǅ ß ﬁ ŉ",
        "cayo\u{301} e\u{301}e\u{301}",
        "\u{301}\u{301}#\u{301}",
        "😡😡 netflix 😡 #😡",
        "مرحبا netflix שלום",
        "日本語のnetflix。壊れた！",
        "\u{0}\u{feff}\r\n\t",
        long.as_str(),
        "http://",
        "https://t.co/",
        "www.",
    ];
    for text in texts {
        let _ = t.explain(text, &[text.to_string()], None);
        let _ = t.tag(text, &[text.to_string()], Some(Lang::Fr));
    }
}

#[test]
fn scrambled_text_never_panics() {
    // A fixed linear congruential sequence over characters that stress the
    // tokenizer, folding and the four stemmers.
    let pool: Vec<char> =
        "aeiouyçãõéèêëíóúüñœßı İ'’`#＃@＠_.,!?¿¡|-\u{301}\u{308}😡日ل\n\tsnrtlxz0"
            .chars()
            .collect();
    let mut state: u64 = 0x5eed;
    let t = embedded();
    for _ in 0..3000 {
        let mut text = String::new();
        for _ in 0..(state % 40) {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            text.push(pool[(state >> 33) as usize % pool.len()]);
        }
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let _ = t.explain(&text, &[text.clone()], None);
    }
}

#[test]
fn the_tagger_can_be_shared_between_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Tagger>();
}
