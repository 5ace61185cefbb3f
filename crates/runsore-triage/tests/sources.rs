//! The knowledge base's sources identify the work they cite (authors, title, place, year and a
//! DOI, a PubMed id or the page itself, never a search or a home page); every claim cites sources
//! that exist; and the errors the sources audit found stay fixed.

use std::collections::BTreeSet;

use runsore_triage::{KNOWLEDGE_TOML, knowledge, url_problem, validate};

/// (URL, the words its problem must contain, or None when it leads to one work).
#[test]
fn url_problem_names_searches_and_home_pages() {
    let cases: &[(&str, Option<&str>)] = &[
        (
            "https://pubmed.ncbi.nlm.nih.gov/?term=Cheung+Hume+Maxwell",
            Some("search"),
        ),
        ("https://www.google.com/search?q=doms", Some("search")),
        ("https://example.org/results?query=doms", Some("search")),
        ("https://duckduckgo.com/?q=doms", Some("search")),
        ("https://www.acsm.org/", Some("home page")),
        ("https://www.livestrong.com", Some("home page")),
        ("https://fdc.nal.usda.gov/", Some("home page")),
        ("https://www.nhs.uk/en/", Some("home page")),
        ("ftp://example.org/paper.pdf", Some("http")),
        ("pubmed 12345", Some("http")),
        ("https://pubmed.ncbi.nlm.nih.gov/27409551/", None),
        ("https://doi.org/10.1136/bjsports-2019-101253", None),
        ("https://www.nhs.uk/conditions/sciatica/", None),
        (
            "https://fdc.nal.usda.gov/fdc-app.html#/food-details/170093/nutrients",
            None,
        ),
        (
            "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC4461718/",
            None,
        ),
    ];
    for (url, want) in cases {
        let got = url_problem(url);
        match want {
            None => assert_eq!(got, None, "{url}"),
            Some(words) => assert!(
                got.is_some_and(|p| p.contains(words)),
                "{url}: {got:?} should mention {words:?}"
            ),
        }
    }
}

#[test]
fn every_source_identifies_its_work() {
    let kb = knowledge();
    assert!(kb.sources.len() >= 30, "{} sources", kb.sources.len());
    for s in &kb.sources {
        let id = &s.id;
        assert!(!s.authors.trim().is_empty(), "{id}: no authors");
        assert!(!s.title.trim().is_empty(), "{id}: no title");
        assert!(
            !s.published_in.trim().is_empty(),
            "{id}: no journal or publisher"
        );
        assert!(
            s.year.is_some() || s.note.as_deref().is_some_and(|n| n.contains("year")),
            "{id}: no year and no note saying why"
        );
        assert_eq!(url_problem(&s.url), None, "{id}: {}", s.url);
        // The title names the work, not the citation: authors and journal live in their fields.
        assert!(
            !s.title.contains(&s.authors) && !s.title.contains(" et al"),
            "{id}: title carries the authors: {}",
            s.title
        );
        if let Some(doi) = &s.doi {
            assert!(doi.starts_with("10."), "{id}: {doi}");
        }
        if let Some(pmid) = &s.pmid {
            assert!(pmid.bytes().all(|b| b.is_ascii_digit()), "{id}: {pmid}");
        }
        let citation = s.citation();
        let first_author = s.authors.split(", ").next().unwrap_or("");
        assert!(
            citation.starts_with(first_author) && citation.contains(&s.title),
            "{citation}"
        );
    }
}

/// Every source id cited anywhere (condition text, care plans, likelihoods, severity rules,
/// evidence notes, red flags) exists, and every source is cited somewhere.
#[test]
fn every_cited_source_exists_and_every_source_is_cited() {
    let kb = knowledge();
    let mut cited: BTreeSet<&str> = BTreeSet::new();
    for c in &kb.conditions {
        let steps = c.care.iter().chain(&c.avoid).chain(&c.escalate);
        cited.extend(
            c.summary_sources
                .iter()
                .chain(&c.course.sources)
                .chain(steps.flat_map(|s| &s.sources))
                .chain(c.severity.iter().flat_map(|s| &s.sources))
                .chain(c.evidence.iter().flat_map(|e| &e.sources))
                .map(String::as_str),
        );
        cited.extend(c.links.iter().filter_map(|l| l.source.as_deref()));
    }
    cited.extend(
        kb.red_flags
            .iter()
            .flat_map(|r| &r.sources)
            .map(String::as_str),
    );
    for id in &cited {
        assert!(kb.source(id).is_some(), "{id} is cited but not defined");
    }
    for s in &kb.sources {
        assert!(cited.contains(s.id.as_str()), "{} is never cited", s.id);
    }
}

/// Each breakage of a source record is reported, all at once, naming the source.
#[test]
fn broken_source_records_are_reported() {
    let breakages = [
        (
            r#"url = "https://doi.org/10.2165/00007256-200333020-00005""#,
            r#"url = "https://pubmed.ncbi.nlm.nih.gov/?term=Cheung+Hume+Maxwell""#,
            "source cheung2003 url https://pubmed.ncbi.nlm.nih.gov/?term=Cheung+Hume+Maxwell is a search",
        ),
        (
            r#"url = "https://www.nhs.uk/conditions/sciatica/""#,
            r#"url = "https://www.nhs.uk/""#,
            "source nhs_sciatica url https://www.nhs.uk/ is a home page",
        ),
        (
            r#"authors = "Rushall BS""#,
            r#"authors = " ""#,
            "source rushall needs authors",
        ),
        ("year = 1994\n", "", "source rushall needs a year"),
        (
            r#"doi = "10.1080/00913847.1983.11708485""#,
            r#"doi = "doi:00913847""#,
            "source schwane1983 doi doi:00913847 is not a DOI",
        ),
        (
            r#"pmid = "12937441""#,
            r#"pmid = "12937442""#,
            "source cleary2002 url links PubMed 12937441, not its pmid 12937442",
        ),
    ];
    let mut text = KNOWLEDGE_TOML.to_string();
    for (from, to, _) in &breakages {
        assert!(
            text.contains(from),
            "test setup: {from} not in the knowledge file"
        );
        text = text.replacen(from, to, 1);
    }
    let problems = validate(&text);
    for (_, _, words) in &breakages {
        assert!(
            problems.iter().any(|p| p.contains(words)),
            "no problem says {words:?}: {problems:#?}"
        );
    }
}

/// The specific errors the sources audit found (issue 12, point 4) stay fixed.
#[test]
fn sources_audit_findings_stay_fixed() {
    let kb = knowledge();
    let source = |id: &str| kb.source(id).unwrap_or_else(|| panic!("no source {id}"));

    // A title that did not exist: the paper is Lara et al.
    let jissn = source("jissn2016");
    assert_eq!(
        jissn.title,
        "Interindividual variability in sweat electrolyte concentration in marathoners"
    );
    assert!(jissn.authors.starts_with("Lara B"), "{}", jissn.authors);

    // An NHS page labelled as the American Heart Association's.
    for s in &kb.sources {
        let nhs_page = s.url.contains("nhs.uk/");
        assert_eq!(s.id.starts_with("nhs_"), nhs_page, "{}: {}", s.id, s.url);
        assert!(
            !s.id.starts_with("aha_") || s.url.contains("heart.org"),
            "{}",
            s.id
        );
    }

    // A source with no authors or year.
    let pelvic = source("pelvic_sf");
    assert!(pelvic.authors.starts_with("Yoder K") && pelvic.year == Some(2015));

    // Figures cited to sources that give none: every likelihood citing them is an estimate, and
    // none cites the IOM report or the Garmin-RUNSAFE study (Frandsen 2025 found no weekly link).
    for c in &kb.conditions {
        for l in &c.links {
            match l.source.as_deref() {
                Some("robertson2017" | "warwick2016" | "pelvic_sf") => {
                    assert!(l.estimate, "{} {} is cited as a figure", c.id, l.f)
                }
                Some(id @ ("iom2005" | "frandsen2025")) => {
                    panic!("{} {} cites {id}, which makes no such link", c.id, l.f)
                }
                _ => {}
            }
        }
    }

    // The HARM mnemonic is not in Dubois 2020; the Turkish case report cites no series; the
    // potato has one figure from one source.
    for c in &kb.conditions {
        let steps = c.care.iter().chain(&c.avoid).chain(&c.escalate);
        for s in steps {
            assert!(
                !(s.text.contains("HARM") && s.sources.iter().any(|id| id == "dubois2020")),
                "{}: {}",
                c.id,
                s.text
            );
            if s.text.contains("potato") && s.text.contains(" mg") {
                assert!(s.text.contains("926 mg"), "{}", s.text);
                assert!(
                    !s.text.contains("610") && !s.text.contains("900 mg"),
                    "{}",
                    s.text
                );
                assert!(s.sources.iter().any(|id| id == "usda_fdc"), "{}", s.text);
            }
        }
        for e in &c.evidence {
            if e.sources.iter().any(|id| id == "turk2015") {
                assert!(!e.article.contains("cites a case"), "{}", e.article);
                assert!(!e.modern.contains("inherited"), "{}", e.modern);
            }
        }
    }
}

/// A citation lists up to six authors, then "et al.", and ends with its identifiers.
#[test]
fn citation_shortens_long_author_lists() {
    let kb = knowledge();
    let hew = kb
        .source("hew_butler2015")
        .expect("hew_butler2015")
        .citation();
    assert!(
        hew.starts_with("Hew-Butler T, Rosner MH, Fowkes-Godek S, Dugas JP, Hoffman MD, Lewis DP, et al. Statement"),
        "{hew}"
    );
    assert!(hew.ends_with("doi:10.1097/JSM.0000000000000221"), "{hew}");
    let cheung = kb.source("cheung2003").expect("cheung2003").citation();
    assert_eq!(
        cheung,
        "Cheung K, Hume PA, Maxwell L. Delayed onset muscle soreness: treatment strategies and \
         performance factors. Sports Medicine 33(2):145-164, 2003. \
         doi:10.2165/00007256-200333020-00005"
    );
}
