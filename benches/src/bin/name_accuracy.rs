//! Person matching accuracy and speed on generated data with ground truth (issue 3).
//!
//! Generates PERSONS persons with `synth` (seed 42), keeping what each name was written from
//! (`PersonTruth`), indexes them, and builds QUERIES queries per category from that truth:
//!
//! - `exact`: the primary name as recorded;
//! - `alias`: a name the record lists as an alias;
//! - `other_system`: the name in another romanisation or spelling, not stored as such;
//! - `native_as_latin`: a person recorded only in its own script, asked in Latin;
//! - `latin_as_native`: a person recorded only in Latin, asked in its own script;
//! - `typo`: one edit (two in 30%: substitute, delete, transpose, double letter);
//! - `reordered`: given and family name swapped;
//! - `partial`: a second given or family name dropped, else the given name as an initial;
//! - `namesake_dob`: a name other persons share, told apart by the full birth date;
//! - `negative`: a given name of one culture with a family name of another, not stored;
//! - `undated`: the name as recorded, of a person recorded without a birth date, asked with
//!   one (the traveller's passport has it).
//!
//! Other positive queries carry the subject's birth date as recorded (a border check reads it
//! from the document): at a million persons the generator's name pools give every name dozens
//! of namesakes, which no name alone can tell apart. Each query runs as the subject's owner
//! through `Index::persons`, the call behind `Engine::search_persons`, in-process.
//!
//! A baseline in the same run re-ranks the same candidate set (the matcher's candidates at
//! `min_score` 0) by Jaro-Winkler of the deunicoded, lower-cased full names, with the same
//! rule of birth date (0.5 when it does not fit) and the same threshold.
//!
//! "Top-1 missed to a namesake" counts the queries whose first hit is another person recorded
//! under the query's very spelling, with a birth date that fits the query's: top-1 misses no
//! rule of names or dates could avoid (the generator's pools repeat names at scale). "Top-1
//! of the rest" is top-1 over the queries not so lost.
//!
//!   name-accuracy [PERSONS] [QUERIES]      defaults: 1000000 1000
//!
//! `TIMED_RUNS=N` runs the timed queries N times (default 1) and reports each run's
//! throughput and the median's: the machines are shared, and one run may land in a busy spell.
//! Latencies are the last run's.
//!
//! `SHOW_MISSES=N` prints up to N misses per category (any other value: all), each with the
//! subject's rank and score among every candidate scored, and the reasons.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Instant;

// Linked for its global allocator, the one the `crosscheck` binary runs with.
use crosscheck_benches as _;
use crosscheck_core::CountryCode;
use crosscheck_core::index::Index;
use crosscheck_core::matcher::{DEFAULT_MIN_SCORE, PersonMatcher, TokenMatcher};
use crosscheck_core::names::{jaro_winkler, skeleton, tokens};
use crosscheck_core::query::PersonQuery;
use crosscheck_core::record::{Body, Name, PartialDate, Person, Record};
use crosscheck_core::synth::{GenConfig, NameForms, PersonSource, PersonTruth};
use rayon::prelude::*;

const CATEGORIES: [&str; 11] = [
    "exact",
    "alias",
    "other_system",
    "native_as_latin",
    "latin_as_native",
    "typo",
    "reordered",
    "partial",
    "namesake_dob",
    "negative",
    // Last: the draws of the categories before it stay those of earlier runs.
    "undated",
];
/// What the baseline re-ranks: every candidate the matcher scores, whatever its score.
const BASELINE_CANDIDATES: usize = 1000;

struct Stored {
    record: Record,
    truth: PersonTruth,
}

impl Stored {
    fn person(&self) -> &Person {
        match &self.record.body {
            Body::Person(p) => p,
            Body::Document(_) | Body::Object(_) => unreachable!("the source writes persons"),
        }
    }
}

struct Case {
    category: usize,
    query: PersonQuery,
    caller: CountryCode,
    /// The person to find; `None` for negatives.
    subject: Option<usize>,
}

/// SplitMix64: the bench's own draws, apart from the generator's.
struct Draw(u64);

impl Draw {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((u128::from(z ^ (z >> 31)) * n as u128) >> 64) as usize
    }

    fn percent(&mut self, p: usize) -> bool {
        self.below(100) < p
    }
}

fn arg(n: usize, default: u64) -> u64 {
    std::env::args()
        .nth(n)
        .and_then(|a| a.parse().ok())
        .unwrap_or(default)
}

/// Resident set size of this process in bytes (Linux), 0 where unknown.
fn rss() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("VmRSS:"))?;
            let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(kb * 1024)
        })
        .unwrap_or(0)
}

/// The plain normalisation of the baseline: deunicode, lower case, words separated by one space.
fn plain(text: &str) -> String {
    deunicode::deunicode(text)
        .to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn name_text(name: &Name) -> String {
    name.parts().collect::<Vec<_>>().join(" ")
}

/// Whether `text` has a letter outside the Latin script.
fn has_other_script(text: &str) -> bool {
    text.chars().any(|c| c.is_alphabetic() && c > '\u{024F}')
}

/// Given and family of one form in the culture's order, joined as the culture writes it.
fn in_order(truth: &PersonTruth, form: fn(&NameForms) -> &str, swap: bool) -> String {
    let (given, family) = (form(&truth.given), form(&truth.family));
    let family_first = truth.family_first != swap;
    let native_joined = truth.joined && has_other_script(given);
    let sep = if native_joined { "" } else { " " };
    if family_first {
        format!("{family}{sep}{given}")
    } else {
        format!("{given}{sep}{family}")
    }
}

fn native(f: &NameForms) -> &str {
    &f.native
}
fn latin(f: &NameForms) -> &str {
    &f.latin
}
fn variant(f: &NameForms) -> &str {
    &f.variant
}

/// The form the primary name is written in, Latin for scripts written without spaces (the
/// edits and reorderings below work on words).
fn primary_form(stored: &Stored) -> fn(&NameForms) -> &str {
    let primary = name_text(&stored.person().names[0]).to_lowercase();
    let t = &stored.truth;
    if !t.joined && primary.contains(&t.family.native.to_lowercase()) {
        native
    } else if primary.contains(&t.family.variant.to_lowercase())
        && t.family.variant != t.family.latin
    {
        variant
    } else {
        latin
    }
}

/// One typing error in a word of at least four letters.
fn edit(word: &str, draw: &mut Draw) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    let at = draw.below(chars.len() - 1);
    match draw.below(4) {
        0 => {
            let other = chars[draw.below(chars.len())];
            chars[at] = if other == chars[at] {
                chars[at + 1]
            } else {
                other
            };
        }
        1 => {
            chars.remove(at);
        }
        2 => chars.swap(at, at + 1),
        _ => chars.insert(at, chars[at]),
    }
    chars.into_iter().collect()
}

fn typo(text: &str, draw: &mut Draw) -> Option<String> {
    let mut words: Vec<String> = text.split_whitespace().map(str::to_owned).collect();
    let long: Vec<usize> = (0..words.len())
        .filter(|&i| words[i].chars().count() >= 4)
        .collect();
    if long.is_empty() {
        return None;
    }
    let first = long[draw.below(long.len())];
    words[first] = edit(&words[first], draw);
    if draw.percent(30) {
        let second = long[draw.below(long.len())];
        if second != first || words[second].chars().count() >= 7 {
            words[second] = edit(&words[second], draw);
        }
    }
    let typed = words.join(" ");
    (plain(&typed) != plain(text)).then_some(typed)
}

fn partial(truth: &PersonTruth, form: fn(&NameForms) -> &str) -> String {
    let given: Vec<&str> = form(&truth.given).split_whitespace().collect();
    let family: Vec<&str> = form(&truth.family).split_whitespace().collect();
    let (given, family) = if given.len() > 1 {
        (given[0].to_owned(), family.join(" "))
    } else if family.len() > 1 {
        (given.join(" "), family[0].to_owned())
    } else {
        let initial: String = given.concat().chars().take(1).collect();
        (format!("{initial}."), family.join(" "))
    };
    if truth.family_first {
        format!("{family} {given}")
    } else {
        format!("{given} {family}")
    }
}

/// Sorted skeletons of a name's tokens: two names with the same key may well be one.
fn skeleton_key(text: &str) -> String {
    let mut keys: Vec<String> = tokens(text).iter().map(|t| skeleton(t)).collect();
    keys.sort_unstable();
    keys.join(" ")
}

/// A full birth date between 1940 and 2009.
fn any_birth_date(draw: &mut Draw) -> PartialDate {
    PartialDate {
        year: 1940 + draw.below(70) as u16,
        month: Some(1 + draw.below(12) as u8),
        day: Some(1 + draw.below(28) as u8),
    }
}

fn query(name: String, birth_date: Option<PartialDate>) -> PersonQuery {
    PersonQuery {
        name: Some(name),
        birth_date,
        ..PersonQuery::default()
    }
}

/// A query of `category` about person `i`, if the person suits it.
fn positive(
    category: &str,
    i: usize,
    data: &[Stored],
    plain_names: &[Vec<String>],
    namesakes: &HashMap<String, u32>,
    draw: &mut Draw,
) -> Option<PersonQuery> {
    let stored = &data[i];
    let person = stored.person();
    if category == "undated" {
        return person
            .birth_date
            .is_none()
            .then(|| query(name_text(&person.names[0]), Some(any_birth_date(draw))));
    }
    let birth = person.birth_date?;
    let t = &stored.truth;
    let stored_plain = &plain_names[i];
    let not_stored = |text: &String| !stored_plain.contains(&plain(text));
    let name = match category {
        "exact" => name_text(&person.names[0]),
        "alias" => {
            if person.names.len() < 2 {
                return None;
            }
            name_text(&person.names[1 + draw.below(person.names.len() - 1)])
        }
        "other_system" => {
            let text = in_order(t, variant, false);
            (plain(&text) != plain(&in_order(t, latin, false)) && not_stored(&text))
                .then_some(text)?
        }
        "native_as_latin" => {
            let all_native = person.names.iter().all(|n| has_other_script(&name_text(n)));
            (t.own_script && all_native).then(|| in_order(t, latin, false))?
        }
        "latin_as_native" => {
            let text = in_order(t, native, false);
            let none_native = !person.names.iter().any(|n| has_other_script(&name_text(n)));
            (t.own_script && none_native && has_other_script(&text)).then_some(text)?
        }
        "typo" => typo(&in_order(t, primary_form(stored), false), draw)?,
        "reordered" => in_order(t, primary_form(stored), true),
        "partial" => partial(t, primary_form(stored)),
        "namesake_dob" => {
            let text = name_text(&person.names[0]);
            let full = birth.month.is_some() && birth.day.is_some();
            (full && namesakes.get(&plain(&text)).is_some_and(|n| *n > 1)).then_some(text)?
        }
        _ => return None,
    };
    Some(query(name, Some(birth)))
}

fn build_cases(
    data: &[Stored],
    plain_names: &[Vec<String>],
    per_category: usize,
) -> (Vec<Case>, usize) {
    let mut namesakes: HashMap<String, u32> = HashMap::new();
    for names in plain_names {
        if let Some(primary) = names.first() {
            *namesakes.entry(primary.clone()).or_default() += 1;
        }
    }
    let stored_keys: HashSet<String> = data
        .iter()
        .flat_map(|s| s.person().names.iter().map(|n| skeleton_key(&name_text(n))))
        .collect();
    let mut cases = Vec::new();
    let mut draw = Draw(42);
    let mut ambiguous_negatives = 0;
    let n = data.len();
    for (c, category) in CATEGORIES.iter().enumerate() {
        let mut made = 0;
        // Subjects in a scattered order, a different one per category.
        let stride = 1_000_003 % n.max(2);
        let stride = if stride == 0 || gcd(stride, n) != 1 {
            1
        } else {
            stride
        };
        let mut i = (c * 7919) % n.max(1);
        for _ in 0..n {
            if made == per_category {
                break;
            }
            i = (i + stride) % n;
            if *category == "negative" {
                let (a, b) = (&data[i], &data[draw.below(n)]);
                if a.truth.culture == b.truth.culture {
                    continue;
                }
                let form = if draw.percent(50) { latin } else { native };
                let mut text = format!("{} {}", form(&a.truth.given), form(&b.truth.family));
                if a.truth.family_first {
                    text = format!("{} {}", form(&b.truth.family), form(&a.truth.given));
                }
                if stored_keys.contains(&skeleton_key(&text)) {
                    ambiguous_negatives += 1;
                    continue;
                }
                cases.push(Case {
                    category: c,
                    query: query(text, Some(any_birth_date(&mut draw))),
                    caller: a.record.visibility.owner,
                    subject: None,
                });
                made += 1;
                continue;
            }
            if let Some(q) = positive(category, i, data, plain_names, &namesakes, &mut draw) {
                cases.push(Case {
                    category: c,
                    query: q,
                    caller: data[i].record.visibility.owner,
                    subject: Some(i),
                });
                made += 1;
            }
        }
    }
    (cases, ambiguous_negatives)
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 { a } else { gcd(b, a % b) }
}

fn fits(q: Option<PartialDate>, r: Option<PartialDate>) -> bool {
    let same = |a: Option<u8>, b: Option<u8>| a.is_none() || b.is_none() || a == b;
    match (q, r) {
        (Some(q), Some(r)) => q.year == r.year && same(q.month, r.month) && same(q.day, r.day),
        _ => true,
    }
}

/// The baseline's ranking of the matcher's candidates: ids (indexes) by score, above the
/// default threshold.
fn baseline(
    case: &Case,
    candidates: &[usize],
    data: &[Stored],
    plain_names: &[Vec<String>],
) -> Vec<usize> {
    let Ok(full) = case.query.full_name() else {
        return Vec::new();
    };
    let q = plain(&full);
    let mut scored: Vec<(f64, usize)> = candidates
        .iter()
        .map(|&i| {
            let name = plain_names[i]
                .iter()
                .map(|s| jaro_winkler(&q, s))
                .fold(0.0, f64::max);
            let date = if fits(case.query.birth_date, data[i].person().birth_date) {
                1.0
            } else {
                0.5
            };
            (name * date, i)
        })
        .filter(|(s, _)| *s >= DEFAULT_MIN_SCORE)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().map(|(_, i)| i).collect()
}

/// Whether person `other` is recorded under the query's very spelling with a birth date that
/// fits the query's: a namesake that neither name nor date can tell from the subject.
fn namesake(case: &Case, other: usize, data: &[Stored], plain_names: &[Vec<String>]) -> bool {
    let Ok(full) = case.query.full_name() else {
        return false;
    };
    plain_names[other].contains(&plain(&full))
        && fits(case.query.birth_date, data[other].person().birth_date)
}

fn index_of(id: &str) -> usize {
    id.trim_start_matches("P-").parse().unwrap_or(usize::MAX)
}

#[derive(Default, Clone)]
struct Tally {
    queries: usize,
    in_top10: usize,
    top1: usize,
    empty: usize,
}

impl Tally {
    fn add(&mut self, subject: Option<usize>, ranked: &[usize]) {
        self.queries += 1;
        match subject {
            Some(s) => {
                self.in_top10 += usize::from(ranked.iter().take(10).any(|i| *i == s));
                self.top1 += usize::from(ranked.first() == Some(&s));
            }
            None => self.empty += usize::from(ranked.is_empty()),
        }
    }

    fn pct(n: usize, of: usize) -> f64 {
        100.0 * n as f64 / of.max(1) as f64
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() -> std::io::Result<()> {
    let persons = arg(1, 1_000_000);
    let per_category = arg(2, 1000) as usize;
    let runs: usize = match std::env::var("TIMED_RUNS") {
        Err(_) => 1,
        Ok(v) => v.parse().ok().filter(|n| *n > 0).ok_or_else(|| {
            std::io::Error::other(format!("TIMED_RUNS: `{v}` is not a whole number above 0"))
        })?,
    };
    let config = GenConfig {
        persons,
        documents: 0,
        objects: 0,
        seed: 42,
    };
    let started = Instant::now();
    let mut source = PersonSource::new(&config);
    let mut lines = Vec::with_capacity(persons as usize);
    for i in 0..persons {
        let (line, truth) = source.person(i);
        lines.push((line.to_owned(), truth));
    }
    let data: Vec<Stored> = lines
        .into_par_iter()
        .map(|(line, truth)| Stored {
            record: Record::from_json_line(line.trim_end())
                .expect("the generator writes valid records"),
            truth,
        })
        .collect();
    let plain_names: Vec<Vec<String>> = data
        .par_iter()
        .map(|s| {
            s.person()
                .names
                .iter()
                .map(|n| plain(&name_text(n)))
                .collect()
        })
        .collect();
    println!(
        "generated and parsed {persons} persons in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let before = rss();
    let started = Instant::now();
    let index = Index::new(Box::new(TokenMatcher::default()));
    data.par_iter()
        .try_for_each(|s| index.insert(&s.record))
        .map_err(std::io::Error::other)?;
    let index_bytes = rss().saturating_sub(before);
    println!(
        "indexed in {:.1} s; RSS +{} MB = {} bytes/person (whole index: records, visibility, names, facts)",
        started.elapsed().as_secs_f64(),
        index_bytes >> 20,
        index_bytes / persons.max(1)
    );
    let before = rss();
    let names_only = TokenMatcher::default();
    data.par_iter().for_each(|s| {
        names_only.insert(&Arc::from(s.record.id.as_str()), s.person(), true);
    });
    let matcher_bytes = rss().saturating_sub(before);
    println!(
        "person matcher alone (name index + birth date, sex, nationalities): RSS +{} MB = {} bytes/person",
        matcher_bytes >> 20,
        matcher_bytes / persons.max(1)
    );
    drop(names_only);

    let (cases, ambiguous) = build_cases(&data, &plain_names, per_category);
    println!(
        "{} queries ({ambiguous} candidate negatives skipped: a stored name has the same skeletons)",
        cases.len()
    );

    // Timed runs: every query once each, on the rayon pool (one thread per core). The answers
    // are the same every run; the throughput reported is the median run's.
    let mut walls = Vec::with_capacity(runs);
    let mut answers: Vec<(Vec<usize>, f64)> = Vec::new();
    for _ in 0..runs {
        let started = Instant::now();
        answers = cases
            .par_iter()
            .map(|case| {
                let t = Instant::now();
                let hits = index
                    .persons(case.caller, &case.query)
                    .expect("generated queries are valid");
                let micros = t.elapsed().as_secs_f64() * 1e6;
                (hits.iter().map(|h| index_of(&h.id)).collect(), micros)
            })
            .collect();
        walls.push(started.elapsed().as_secs_f64());
    }
    let per_run: Vec<String> = walls
        .iter()
        .map(|w| format!("{:.0}", cases.len() as f64 / w))
        .collect();
    walls.sort_by(f64::total_cmp);
    let wall = walls[walls.len() / 2];

    // Baseline: the same candidates, re-ranked by plain Jaro-Winkler.
    let baseline_ranked: Vec<Vec<usize>> = cases
        .par_iter()
        .map(|case| {
            let all = PersonQuery {
                min_score: Some(0.0),
                limit: Some(BASELINE_CANDIDATES),
                ..case.query.clone()
            };
            let candidates: Vec<usize> = index
                .persons(case.caller, &all)
                .expect("generated queries are valid")
                .iter()
                .map(|h| index_of(&h.id))
                .collect();
            baseline(case, &candidates, &data, &plain_names)
        })
        .collect();

    let mut tallies = vec![(Tally::default(), Tally::default()); CATEGORIES.len()];
    let mut namesake_first = vec![0usize; CATEGORIES.len()];
    for ((case, (ranked, _)), base) in cases.iter().zip(&answers).zip(&baseline_ranked) {
        tallies[case.category].0.add(case.subject, ranked);
        tallies[case.category].1.add(case.subject, base);
        if let (Some(s), Some(&first)) = (case.subject, ranked.first()) {
            namesake_first[case.category] +=
                usize::from(first != s && namesake(case, first, &data, &plain_names));
        }
    }
    println!();
    println!(
        "| category | queries | recall@10 | top-1 | top-1 missed to a namesake | top-1 of the rest | baseline recall@10 | baseline top-1 |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for (c, (m, b)) in tallies.iter().enumerate() {
        if CATEGORIES[c] == "negative" {
            println!(
                "| negative (no hit above {DEFAULT_MIN_SCORE}) | {} | {:.1}% | | | | {:.1}% | |",
                m.queries,
                Tally::pct(m.empty, m.queries),
                Tally::pct(b.empty, b.queries)
            );
        } else {
            println!(
                "| {} | {} | {:.1}% | {:.1}% | {:.1}% | {:.1}% | {:.1}% | {:.1}% |",
                CATEGORIES[c],
                m.queries,
                Tally::pct(m.in_top10, m.queries),
                Tally::pct(m.top1, m.queries),
                Tally::pct(namesake_first[c], m.queries),
                Tally::pct(m.top1, m.queries - namesake_first[c]),
                Tally::pct(b.in_top10, b.queries),
                Tally::pct(b.top1, b.queries)
            );
        }
    }
    let mut micros: Vec<f64> = answers.iter().map(|(_, us)| *us).collect();
    micros.sort_by(f64::total_cmp);
    println!();
    println!(
        "latency per query (in-process, {} threads): p50 {:.0} µs, p99 {:.0} µs, max {:.0} µs; {:.0} queries/s",
        rayon::current_num_threads(),
        percentile(&micros, 0.5),
        percentile(&micros, 0.99),
        micros.last().copied().unwrap_or(0.0),
        cases.len() as f64 / wall
    );
    if runs > 1 {
        println!(
            "queries/s of each of {runs} timed runs: {}",
            per_run.join(", ")
        );
    }
    // Where the tail is: the slowest queries by category.
    println!();
    println!("| category | p50 µs | p99 µs | max µs |");
    println!("|---|---|---|---|");
    for (c, name) in CATEGORIES.iter().enumerate() {
        let mut micros: Vec<f64> = cases
            .iter()
            .zip(&answers)
            .filter(|(case, _)| case.category == c)
            .map(|(_, (_, us))| *us)
            .collect();
        micros.sort_by(f64::total_cmp);
        println!(
            "| {name} | {:.0} | {:.0} | {:.0} |",
            percentile(&micros, 0.5),
            percentile(&micros, 0.99),
            micros.last().copied().unwrap_or(0.0)
        );
    }
    if let Some(limit) = std::env::var_os("SHOW_MISSES") {
        show_misses(&index, &cases, &answers, &data, &plain_names, &limit);
    }
    Ok(())
}

/// With `SHOW_MISSES=N` (a number, or anything for all): up to N misses per category, each with
/// where the subject ranks among every candidate the matcher scores (at `min_score` 0) and the
/// reasons of the subject and of the hit ranked first.
fn show_misses(
    index: &Index,
    cases: &[Case],
    answers: &[(Vec<usize>, f64)],
    data: &[Stored],
    plain_names: &[Vec<String>],
    limit: &std::ffi::OsStr,
) {
    let limit: usize = limit
        .to_str()
        .and_then(|l| l.parse().ok())
        .unwrap_or(usize::MAX);
    let mut shown_per_category = vec![0usize; CATEGORIES.len()];
    let shown = |i: usize| {
        format!("{:?}", plain_names[i]).replace('"', "")
            + &format!(" {:?}", data[i].person().birth_date.map(|d| d.to_string()))
    };
    for (case, (ranked, _)) in cases.iter().zip(answers) {
        let miss = match case.subject {
            Some(s) => ranked.first() != Some(&s),
            None => !ranked.is_empty(),
        };
        if !miss || shown_per_category[case.category] >= limit {
            continue;
        }
        shown_per_category[case.category] += 1;
        let all = PersonQuery {
            min_score: Some(0.0),
            limit: Some(BASELINE_CANDIDATES),
            ..case.query.clone()
        };
        let scored = index
            .persons(case.caller, &all)
            .expect("generated queries are valid");
        println!(
            "miss {}: {:?} {:?}",
            CATEGORIES[case.category],
            case.query.name.as_deref().unwrap_or(""),
            case.query.birth_date.map(|d| d.to_string()),
        );
        if let Some(s) = case.subject {
            match scored.iter().position(|h| index_of(&h.id) == s) {
                Some(rank) => println!(
                    "  want #{} {:.3} {} {:?}",
                    rank + 1,
                    scored[rank].score,
                    shown(s),
                    scored[rank].reasons
                ),
                None => println!("  want (not a candidate) {}", shown(s)),
            }
        }
        if let Some(top) = scored.first() {
            println!(
                "  got #1 {:.3} {} {:?}",
                top.score,
                shown(index_of(&top.id)),
                top.reasons
            );
        }
    }
}
