//! Compiling an expression lowercased (to run on lowercased text) finds exactly what the
//! expression as written finds: every expression of the vocabulary, on every story of the test
//! corpora as written, in capitals and in mixed case, gives the same matches and groups both ways.

mod corpus;

use runsore_story::vocab::{Re, VOCABULARY};

/// Every story of the corpora, joined into one text (matches never need to cross stories).
fn joined() -> String {
    corpus::stories().join("\n")
}

/// The spans of every match and of each of its groups.
fn spans(re: &Re, text: &str, groups: bool) -> Vec<Vec<Option<(usize, usize)>>> {
    if groups {
        re.captures_iter(text)
            .map(|c| {
                (0..16)
                    .map(|i| c.get(i).map(|m| (m.start(), m.end())))
                    .collect()
            })
            .collect()
    } else {
        re.find_iter(text)
            .map(|m| vec![Some((m.start(), m.end()))])
            .collect()
    }
}

#[test]
fn lowercased_expressions_match_as_written() {
    let text = joined();
    assert!(text.len() > 100_000, "{} bytes of stories", text.len());
    // Capitals, and every other letter a capital, so that case folding is exercised both ways.
    let mixed: String = text
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if i % 2 == 0 {
                c.to_ascii_uppercase()
            } else {
                c
            }
        })
        .collect();
    let texts = [text.clone(), text.to_ascii_uppercase(), mixed];
    let lazies = VOCABULARY.lazies();
    assert!(lazies.len() > 300, "{} expressions", lazies.len());
    for l in lazies {
        let src = l.source();
        let fast = Re::new(src).expect("compiles");
        let exact = Re::exact(src).expect("compiles");
        let groups = src.contains("(?P<");
        for t in &texts {
            assert_eq!(spans(&fast, t, groups), spans(&exact, t, groups), "{src}");
            // Clause-sized pieces too: anchors and edges at the start and end of a search.
            for piece in t.split(['.', ',', '\n']).take(400) {
                assert_eq!(
                    fast.is_match(piece),
                    exact.is_match(piece),
                    "{src} on {piece:?}"
                );
            }
        }
    }
}
