//! Person matching behind one interface, so a better cross-script matcher can replace this first
//! one without touching the index or the engine.

use std::io;
use std::sync::Arc;

use ahash::AHashMap;
use rayon::prelude::*;

use crate::country::CountryCode;
use crate::error::FieldError;
use crate::fuzzy::{FuzzyIndex, FuzzyMatch, NO_FACET, SavedShard, Variant};
use crate::names::{Reading, readings, tokens, tokens_with_words};
use crate::query::PersonQuery;
use crate::record::{PartialDate, Person, Sex};
use crate::shard::{SHARDS, Sharded, shard_of, sharded};
use crate::snapshot::{Dec, Enc, bad};

/// Candidates scoring below this are not returned unless the query sets `min_score`.
pub const DEFAULT_MIN_SCORE: f64 = 0.8;
/// What a name found only as read in another romanisation (see [`readings`]) keeps of its
/// score: below the same name found as written.
const READING: f64 = 0.97;
/// Candidates scored per query: bounds the work of a query on common names.
const MAX_CANDIDATES: usize = 128;
/// A name that already reaches the default threshold and a birth date that agrees beyond the
/// year are two independent pieces of evidence: the remaining doubt about the name is cut to
/// this share when the full dates (day, month, year) are equal, and to [`MONTH_DOUBT`] when
/// the month is the finest part both give. So a transliteration with the right date ranks
/// above a namesake of the exact spelling whose date is not recorded, and a name matched
/// across scripts (0.9 for consonants alike) with the full date above an exact spelling whose
/// record has the year only (0.95: it fits a date in 365).
const CONFIRMED_DOUBT: f64 = 0.15;
/// The share of doubt left when the dates agree to the month (one in twelve of a year's
/// births), no day being given on one side: a name matched across scripts (0.915) with the
/// month ranks above an exact spelling whose record has the year only.
const MONTH_DOUBT: f64 = 0.4;
/// What a queried birth date the record does not have leaves of a name's score: with nothing
/// to confirm it, a name needs 0.94 to reach the default threshold, so one typing error in one
/// of two tokens is the most it may have. At 0.9, names a typing error in each token apart
/// and transliterations of other names were hits on records without a date, and those records
/// ranked above the person sought with the date recorded.
const DATE_NOT_RECORDED: f64 = 0.85;
/// The least name score that a full birth date equal to the record's can lift to the default
/// threshold, if every query token is matched: one of two by a typing error, the other by a
/// distant spelling (`majoj due` for `manoj dube`). A day in some 25,000 is strong evidence,
/// but not of a name with a token unexplained: at a million persons, the given names of
/// `Åberg Văn Hùng` alone have a namesake born on most days.
const CONFIRMABLE_NAME: f64 = 0.62;
/// The share of doubt a full birth date that equals leaves of a name below the threshold but
/// confirmable: lifted to 0.81–0.9, below a close name with a date that fits.
const CONFIRMED_DISTANT_DOUBT: f64 = 0.5;

#[derive(Debug, Clone)]
pub struct Candidate {
    pub id: Arc<str>,
    pub score: f64,
    pub reasons: Vec<String>,
}

pub trait PersonMatcher: Send + Sync {
    /// `open` when every caller may see the person: `search` then need not ask `visible`.
    fn insert(&self, id: &Arc<str>, person: &Person, open: bool);
    fn remove(&self, id: &str);
    /// Candidates the caller may see (`visible`), best first, scored in [0, 1], at least the
    /// query's `min_score` (or the default), at most its `limit`.
    fn search(
        &self,
        query: &PersonQuery,
        visible: &dyn Fn(&str) -> bool,
    ) -> Result<Vec<Candidate>, FieldError>;
    fn len(&self) -> usize;
    /// Estimated heap bytes of the matcher's index.
    fn heap_bytes(&self) -> u64;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Whether [`save_shard`](Self::save_shard) and [`restore`](Self::restore) keep the
    /// matcher's index; when not, its persons are rebuilt from the store at every start.
    fn saves(&self) -> bool {
        false
    }
    /// Appends shard `shard` of the matcher's index, as `restore` reads it back.
    fn save_shard(&self, _shard: usize, _out: &mut Vec<u8>) {}
    /// Replaces the matcher's index with the shards `save_shard` wrote (one per shard, in
    /// order), all or nothing: on an error it is left as it was.
    fn restore(&self, _shards: &[&[u8]]) -> io::Result<()> {
        Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "this matcher saves nothing",
        ))
    }
}

/// What besides the name is weighed.
struct Facts {
    birth_date: Option<PartialDate>,
    sex: Option<Sex>,
    nationalities: Box<[CountryCode]>,
}

/// Folded tokens and phonetic keys through [`FuzzyIndex`], then birth date, sex and
/// nationality as evidence for or against.
pub struct TokenMatcher {
    names: FuzzyIndex,
    facts: Sharded<AHashMap<Arc<str>, Facts>>,
}

impl Default for TokenMatcher {
    fn default() -> Self {
        TokenMatcher {
            names: FuzzyIndex::new("name"),
            facts: sharded(),
        }
    }
}

fn person_variants(person: &Person) -> Vec<Variant> {
    person
        .names
        .iter()
        // The parts joined, as a query's `given` and `family` are: token rules that look at
        // neighbours (an article before a name) then read a record as they read a query.
        .map(|n| {
            tokens_with_words(&n.parts().collect::<Vec<_>>().join(" "))
                .into_iter()
                .map(String::into_boxed_str)
                .collect()
        })
        .collect()
}

impl PersonMatcher for TokenMatcher {
    fn insert(&self, id: &Arc<str>, person: &Person, open: bool) {
        self.names.insert_with_facet(
            id,
            person_variants(person),
            birth_year(person.birth_date),
            open,
        );
        let facts = Facts {
            birth_date: person.birth_date,
            sex: person.sex,
            nationalities: person.nationalities.clone().unwrap_or_default().into(),
        };
        self.facts[shard_of(id.as_bytes())]
            .write()
            .insert(id.clone(), facts);
    }

    fn remove(&self, id: &str) {
        self.names.remove(id);
        self.facts[shard_of(id.as_bytes())].write().remove(id);
    }

    fn search(
        &self,
        query: &PersonQuery,
        visible: &dyn Fn(&str) -> bool,
    ) -> Result<Vec<Candidate>, FieldError> {
        query.validate()?;
        let min_score = query.min_score.unwrap_or(DEFAULT_MIN_SCORE);
        let limit = query.limit.unwrap_or(crate::query::DEFAULT_LIMIT);
        let full_name = query.full_name()?;
        let name_tokens = tokens_with_words(&full_name);
        if name_tokens.is_empty() {
            return Err(FieldError::new("name", "has no letters"));
        }
        let read: Vec<(Reading, Vec<String>)> = readings(&full_name)
            .into_iter()
            .map(|r| {
                let t = tokens(&r.name);
                (r, t)
            })
            .filter(|(_, t)| !t.is_empty() && *t != name_tokens)
            .collect();
        // Evidence only lowers a name score, so the name alone must reach the threshold,
        // unless a full birth date may confirm it (see [`CONFIRMABLE_NAME`]). Among
        // namesakes, the ones born that year (or the next to it) are scored first.
        let floor = if query.birth_date.is_some_and(is_full) {
            min_score.min(CONFIRMABLE_NAME)
        } else {
            min_score
        };
        let by_name = |tokens: &[String]| {
            self.names.scored(
                tokens,
                birth_year(query.birth_date),
                floor,
                MAX_CANDIDATES,
                visible,
            )
        };
        // Each match with what it was found as: 0 the name as written, k + 1 reading k.
        let mut found: Vec<(FuzzyMatch, usize)> =
            by_name(&name_tokens).into_iter().map(|m| (m, 0)).collect();
        if !read.is_empty() {
            let mut at: AHashMap<Arc<str>, usize> = found
                .iter()
                .enumerate()
                .map(|(i, (m, _))| (m.id.clone(), i))
                .collect();
            for (k, (_, tokens)) in read.iter().enumerate() {
                for mut m in by_name(tokens) {
                    m.score *= READING;
                    match at.get(&m.id) {
                        Some(&i) if found[i].0.score < m.score => found[i] = (m, k + 1),
                        Some(_) => {}
                        None => {
                            at.insert(m.id.clone(), found.len());
                            found.push((m, k + 1));
                        }
                    }
                }
            }
        }
        // Scored first, explained only once ranked and cut to the limit.
        let mut kept: Vec<(FuzzyMatch, f64, bool, usize)> = found
            .into_iter()
            .filter_map(|(m, from)| {
                let facts = self.facts[shard_of(m.id.as_bytes())].read();
                let f = facts.get(&m.id);
                let (name, confirmed) = match f {
                    Some(f) if m.score >= DEFAULT_MIN_SCORE => {
                        let doubt = doubt_left(query.birth_date, f.birth_date);
                        (1.0 - (1.0 - m.score) * doubt, false)
                    }
                    Some(f)
                        if m.complete
                            && m.score >= CONFIRMABLE_NAME
                            && query.birth_date.is_some_and(is_full)
                            && query.birth_date == f.birth_date =>
                    {
                        (1.0 - (1.0 - m.score) * CONFIRMED_DISTANT_DOUBT, true)
                    }
                    _ => (m.score, false),
                };
                let factor = f.map_or(1.0, |f| evidence(query, f, None));
                let score = (name * factor).clamp(0.0, 1.0);
                drop(facts);
                (score >= min_score).then_some((m, score, confirmed, from))
            })
            .collect();
        kept.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.id.cmp(&b.0.id)));
        kept.truncate(limit);
        let (mut matches, scores): (Vec<FuzzyMatch>, Vec<(f64, bool, usize)>) =
            kept.into_iter().map(|(m, s, c, f)| (m, (s, c, f))).unzip();
        // Each explained by the tokens it was found as.
        let found_as = std::iter::once(&name_tokens).chain(read.iter().map(|(_, t)| t));
        for (from, tokens) in found_as.enumerate() {
            let group = matches.iter_mut().zip(&scores).filter(|(_, s)| s.2 == from);
            self.names.explain(tokens, group.map(|(m, _)| m));
        }
        let out = matches
            .into_iter()
            .zip(scores)
            .map(|(m, (score, confirmed, from))| {
                let mut reasons = m.reasons;
                if let Some((reading, _)) = from.checked_sub(1).map(|k| &read[k]) {
                    let why = format!("name: read as {}: `{}`", reading.system, reading.name);
                    reasons.insert(0, why);
                }
                if confirmed {
                    reasons.push("name: below the threshold, confirmed by the birth date".into());
                }
                if let Some(f) = self.facts[shard_of(m.id.as_bytes())].read().get(&m.id) {
                    evidence(query, f, Some(&mut reasons));
                }
                Candidate {
                    id: m.id,
                    score,
                    reasons,
                }
            })
            .collect();
        Ok(out)
    }

    fn len(&self) -> usize {
        self.names.len()
    }

    fn saves(&self) -> bool {
        true
    }

    fn save_shard(&self, shard: usize, out: &mut Vec<u8>) {
        let mut e = Enc(std::mem::take(out));
        self.names.encode_shard(shard, &mut e);
        let facts = self.facts[shard].read();
        e.len(facts.len());
        for (id, f) in facts.iter() {
            e.bytes(id.as_bytes());
            match f.birth_date {
                None => e.u8(0),
                Some(d) => {
                    e.u8(1);
                    e.u16(d.year);
                    e.u8(d.month.unwrap_or(0));
                    e.u8(d.day.unwrap_or(0));
                }
            }
            e.u8(f.sex.map_or(0, |s| s as u8 + 1));
            e.countries(Some(&f.nationalities));
        }
        *out = e.0;
    }

    fn restore(&self, shards: &[&[u8]]) -> io::Result<()> {
        if shards.len() != SHARDS {
            return Err(bad("not one part per shard"));
        }
        let parts: Vec<(SavedShard, AHashMap<Arc<str>, Facts>)> = shards
            .par_iter()
            .enumerate()
            .map(|(i, bytes)| {
                let mut d = Dec(bytes);
                let names = FuzzyIndex::decode_shard(&mut d, i)?;
                let n = d.len()?;
                let mut facts = AHashMap::with_capacity(n);
                for _ in 0..n {
                    let id: Arc<str> = d.str()?.into();
                    if shard_of(id.as_bytes()) != i {
                        return Err(bad("person in another shard's part"));
                    }
                    let birth_date = match d.u8()? {
                        0 => None,
                        _ => Some(PartialDate {
                            year: d.u16()?,
                            month: Some(d.u8()?).filter(|m| *m != 0),
                            day: Some(d.u8()?).filter(|m| *m != 0),
                        }),
                    };
                    let sex = match d.u8()? {
                        0 => None,
                        n => Some(*Sex::ALL.get(usize::from(n) - 1).ok_or_else(|| bad("sex"))?),
                    };
                    let nationalities = d.countries()?.unwrap_or_default().into();
                    let f = Facts {
                        birth_date,
                        sex,
                        nationalities,
                    };
                    facts.insert(id, f);
                }
                d.end()?;
                Ok((names, facts))
            })
            .collect::<io::Result<_>>()?;
        let (names, facts): (Vec<_>, Vec<_>) = parts.into_iter().unzip();
        self.names.install(names);
        for (lock, f) in self.facts.iter().zip(facts) {
            *lock.write() = f;
        }
        Ok(())
    }

    fn heap_bytes(&self) -> u64 {
        let facts: usize = self
            .facts
            .iter()
            .map(|shard| {
                let shard = shard.read();
                shard.capacity() * (size_of::<(Arc<str>, Facts)>() + 1)
                    + shard
                        .values()
                        .map(|f| f.nationalities.len() * size_of::<CountryCode>())
                        .sum::<usize>()
            })
            .sum();
        self.names.heap_bytes() + facts as u64
    }
}

fn birth_year(date: Option<PartialDate>) -> u16 {
    date.map_or(NO_FACET, |d| d.year)
}

fn is_full(date: PartialDate) -> bool {
    date.month.is_some() && date.day.is_some()
}

/// The share of a name's doubt that the birth dates leave: cut when they agree beyond the
/// year (see [`CONFIRMED_DOUBT`]), whole otherwise.
fn doubt_left(query: Option<PartialDate>, record: Option<PartialDate>) -> f64 {
    let (Some(q), Some(r)) = (query, record) else {
        return 1.0;
    };
    if q.year != r.year || q.month.is_none() || q.month != r.month {
        return 1.0;
    }
    match (q.day, r.day) {
        (Some(a), Some(b)) if a == b => CONFIRMED_DOUBT,
        (Some(_), Some(_)) => 1.0,
        _ => MONTH_DOUBT,
    }
}

/// A factor in (0, 1] from birth date, sex and nationality, with reasons if asked for.
fn evidence(query: &PersonQuery, facts: &Facts, mut reasons: Option<&mut Vec<String>>) -> f64 {
    let mut say = |reason: std::fmt::Arguments| {
        if let Some(reasons) = reasons.as_deref_mut() {
            reasons.push(reason.to_string());
        }
    };
    let mut factor = 1.0;
    match (query.birth_date, facts.birth_date) {
        (Some(q), Some(r)) => {
            let (f, why) = birth_date_fit(q, r);
            factor *= f;
            say(format_args!("birth_date: {q} {why} {r}"));
        }
        (Some(_), None) => {
            factor *= DATE_NOT_RECORDED;
            say(format_args!("birth_date: not recorded"));
        }
        (None, _) => {}
    }
    if let (Some(q), Some(r)) = (query.sex, facts.sex)
        && q != r
        && q != Sex::X
        && r != Sex::X
    {
        factor *= 0.85;
        say(format_args!(
            "sex: {} differs from {}",
            q.as_str(),
            r.as_str()
        ));
    }
    if let Some(n) = query.nationality
        && !facts.nationalities.is_empty()
    {
        if facts.nationalities.contains(&n) {
            say(format_args!("nationality: {n}"));
        } else {
            factor *= 0.95;
            say(format_args!("nationality: {n} not recorded"));
        }
    }
    factor
}

/// How well a queried birth date fits a recorded one, partial dates fitting what they cover.
fn birth_date_fit(q: PartialDate, r: PartialDate) -> (f64, &'static str) {
    let same = |a: Option<u8>, b: Option<u8>| a.is_none() || b.is_none() || a == b;
    if q == r {
        return (1.0, "equals");
    }
    if q.year == r.year && same(q.month, r.month) && same(q.day, r.day) {
        // One side is less precise and fits more people: below a date that equals, by how
        // much the other side says that it cannot confirm (a day of 30, a month of 12).
        return if q.month.is_some() && r.month.is_some() {
            (0.97, "fits")
        } else {
            (0.95, "fits")
        };
    }
    if q.year == r.year && q.month.is_some() && q.month == r.day && q.day == r.month {
        return (0.9, "has day and month swapped against");
    }
    if q.year.abs_diff(r.year) == 1 && same(q.month, r.month) && same(q.day, r.day) {
        return (0.85, "is a year off");
    }
    if q.year == r.year {
        return (0.7, "differs in month or day from");
    }
    (0.5, "differs from")
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::record::Name;

    fn person(given: &str, family: &str, dob: Option<&str>) -> Person {
        Person {
            names: vec![Name {
                given: Some(given.into()),
                family: Some(family.into()),
                full: None,
            }],
            birth_date: dob.map(|d| PartialDate::parse("d", d).unwrap()),
            sex: None,
            nationalities: None,
            notices: None,
        }
    }

    fn query(name: &str, dob: Option<&str>) -> PersonQuery {
        PersonQuery {
            name: Some(name.into()),
            birth_date: dob.map(|d| PartialDate::parse("d", d).unwrap()),
            ..PersonQuery::default()
        }
    }

    fn matcher_of(people: &[(&str, Person)]) -> TokenMatcher {
        let m = TokenMatcher::default();
        for (id, p) in people {
            m.insert(&Arc::from(*id), p, false);
        }
        m
    }

    /// The candidates found for a name and birth date by a caller who may see all, best first.
    fn found(m: &TokenMatcher, name: &str, dob: Option<&str>) -> Vec<Candidate> {
        m.search(&query(name, dob), &|_: &str| true).unwrap()
    }

    /// Their ids.
    fn ranked(m: &TokenMatcher, name: &str, dob: Option<&str>) -> Vec<String> {
        let hits = found(m, name, dob);
        hits.iter().map(|h| h.id.to_string()).collect()
    }

    #[test]
    fn birth_date_tells_namesakes_apart() {
        let m = matcher_of(&[
            ("a", person("Maria", "Garcia", Some("1980-05-04"))),
            ("b", person("Maria", "Garcia", Some("1962-11-30"))),
        ]);
        let hits = found(&m, "GARCIA MARIA", Some("1980-05"));
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert_eq!(hits[0].id.as_ref(), "a");
        assert!(hits[0].reasons.iter().any(|r| r.contains("fits")));
        let swapped = found(&m, "Maria Garcia", Some("1980-04-05"));
        assert_eq!(swapped[0].id.as_ref(), "a");
        assert!(swapped[0].score < 1.0);
    }

    #[test]
    fn a_full_birth_date_that_equals_confirms_a_distant_spelling() {
        let m = matcher_of(&[
            ("megan", person("Megan", "Robinson", Some("1972-11-06"))),
            ("li", person("Li", "Chen", Some("2003-01-12"))),
            ("luca", person("Nicolo", "De Luca", Some("1974-03-01"))),
        ]);
        let hits = found(&m, "Megan Nobinsn", Some("1972-11-06"));
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert_eq!(hits[0].id.as_ref(), "megan");
        assert!(hits[0].score >= DEFAULT_MIN_SCORE && hits[0].score < 0.95);
        let reasons = hits[0].reasons.join("; ");
        assert!(
            reasons.contains("distant spelling `nobinsn` ~ `robinson`"),
            "{reasons}"
        );
        assert!(reasons.contains("confirmed by the birth date"), "{reasons}");
        assert_eq!(ranked(&m, "Chn Li", Some("2003-01-12")), ["li"]);
        // Only a full date confirms, and only one that equals.
        for dob in [None, Some("1972-11"), Some("1972"), Some("1972-11-07")] {
            assert!(ranked(&m, "Megan Nobinsn", dob).is_empty(), "{dob:?}");
        }
        // A query token matched by nothing is not confirmed: many namesakes of the rest of
        // the name are born on any given day.
        assert!(ranked(&m, "Suresh De Luca", Some("1974-03-01")).is_empty());
        // Nor one of two tokens matched, the other not even distantly.
        assert!(ranked(&m, "Megan Walker", Some("1972-11-06")).is_empty());
        // With a lower `min_score`, the name's own score comes back for any other date.
        let low = PersonQuery {
            min_score: Some(0.3),
            ..query("Megan Nobinsn", Some("1980-01-01"))
        };
        let hits = m.search(&low, &|_: &str| true).unwrap();
        assert!(hits[0].score < 0.5, "{hits:?}");
    }

    #[test]
    fn a_full_birth_date_that_equals_outweighs_an_exact_spelling_without_one() {
        let m = matcher_of(&[
            ("native", person("Пётр", "Смирнов", Some("1975-03-04"))),
            ("namesake", person("Pyotr", "Smirnov", None)),
            ("other", person("Pyotr", "Smirnov", Some("1980-01-01"))),
        ]);
        let hits = ranked(&m, "Pyotr Smirnov", Some("1975-03-04"));
        assert_eq!(hits[..2], ["native", "namesake"], "{hits:?}");
        // Consonants alike across scripts and the full date: above the exact spelling of a
        // record that has the year only.
        let m = matcher_of(&[
            ("native", person("سميرة", "سليمان", Some("1976-08-26"))),
            ("year", person("Samira", "Suleiman", Some("1976"))),
        ]);
        let hits = ranked(&m, "Samira Suleiman", Some("1976-08-26"));
        assert_eq!(hits, ["native", "year"]);
        // A date alone never lifts a name below the threshold above it.
        assert!(ranked(&m, "Olga Ivanova", Some("1975-03-04")).is_empty());
    }

    #[test]
    fn a_birth_month_that_agrees_outweighs_an_exact_spelling_with_the_year_only() {
        let m = matcher_of(&[
            ("latin", person("Golnaz", "Rahimi", Some("1998-08"))),
            ("year", person("گلناز", "رحیمی", Some("1998"))),
        ]);
        assert_eq!(
            ranked(&m, "گلناز رحیمی", Some("1998-08")),
            ["latin", "year"]
        );
        let date = |d: &str| Some(PartialDate::parse("d", d).unwrap());
        // The month both give, whichever side has the day; days that differ confirm nothing.
        let (month, full) = (date("1998-08"), date("1998-08-12"));
        assert_eq!(doubt_left(month, full), MONTH_DOUBT);
        assert_eq!(doubt_left(full, month), MONTH_DOUBT);
        assert_eq!(doubt_left(full, full), CONFIRMED_DOUBT);
        assert_eq!(doubt_left(full, date("1998-08-13")), 1.0);
        assert_eq!(doubt_left(date("1998"), date("1998")), 1.0);
        assert_eq!(doubt_left(month, None), 1.0);
    }

    #[test]
    fn limit_and_threshold_apply() {
        let m = TokenMatcher::default();
        for i in 0..5 {
            m.insert(
                &Arc::from(format!("p{i}")),
                &person("Ivan", "Petrov", None),
                false,
            );
        }
        let all = |_: &str| true;
        let q = PersonQuery {
            limit: Some(3),
            ..query("Ivan Petrov", None)
        };
        assert_eq!(m.search(&q, &all).unwrap().len(), 3);
        assert!(
            m.search(&query("Olga Sidorova", None), &all)
                .unwrap()
                .is_empty()
        );
        assert!(m.search(&query("", None), &all).is_err());
    }

    #[test]
    fn a_full_date_that_equals_ranks_above_a_partial_fit() {
        let full = PartialDate::parse("d", "1975-03-04").unwrap();
        let year = PartialDate::parse("d", "1975").unwrap();
        let month = PartialDate::parse("d", "1975-03").unwrap();
        let (equal, fit_month, fit_year) = (
            birth_date_fit(full, full).0,
            birth_date_fit(full, month).0,
            birth_date_fit(full, year).0,
        );
        assert!(equal > fit_month && fit_month > fit_year && fit_year > 0.9);
        // The same fit whichever side is partial.
        assert_eq!(birth_date_fit(year, full), birth_date_fit(full, year));
    }

    #[test]
    fn namesakes_of_the_right_year_are_scored_first() {
        let m = TokenMatcher::default();
        // More namesakes than are scored per query: only the birth year tells them apart.
        for i in 0..(MAX_CANDIDATES * 3) {
            let year = 1940 + (i % 50);
            m.insert(
                &Arc::from(format!("p{i:04}")),
                &person("Wei", "Wang", Some(&format!("{year}-01-01"))),
                false,
            );
        }
        m.insert(
            &Arc::from("z"),
            &person("Wei", "Wang", Some("2010-06-07")),
            false,
        );
        let all = |_: &str| true;
        let hits = m
            .search(&query("WANG Wei", Some("2010-06-07")), &all)
            .unwrap();
        assert_eq!(hits[0].id.as_ref(), "z", "{hits:?}");
    }

    #[test]
    fn a_namesake_without_a_birth_date_is_scored_before_ones_a_year_off() {
        let m = TokenMatcher::default();
        for i in 0..(MAX_CANDIDATES * 3) {
            let year = if i % 2 == 0 { 2009 } else { 2011 };
            m.insert(
                &Arc::from(format!("p{i:04}")),
                &person("Wei", "Wang", Some(&format!("{year}-01-01"))),
                false,
            );
        }
        // In one of the last shards: ties of phase 1 go to the first ones.
        let undated = (0..)
            .map(|n| format!("u{n}"))
            .find(|id| shard_of(id.as_bytes()) >= SHARDS - 8)
            .unwrap();
        m.insert(
            &Arc::from(undated.as_str()),
            &person("Wei", "Wang", None),
            false,
        );
        let hits = ranked(&m, "WANG Wei", Some("2010-06-07"));
        assert_eq!(hits[0], undated, "{hits:?}");
    }

    #[test]
    fn a_record_without_a_birth_date_needs_a_close_name_against_a_dated_query() {
        let m = matcher_of(&[
            ("hadad", person("Yosef", "Hadad", None)),
            ("ruis", person("Cristina", "Ruis", None)),
            ("gita", person("Giitaa", "Chauhaan", None)),
            ("kavita", person("Kavitaa", "Chauhaan", Some("2005-05-15"))),
        ]);
        // One typing error in one of two tokens is the most an undated record allows.
        assert_eq!(ranked(&m, "Joseph Hadad", Some("1995-01-06")), ["hadad"]);
        assert!(ranked(&m, "Kristina Rujs", Some("1941-02-28")).is_empty());
        // The date is what the record cannot confirm: without one queried, the name is a hit.
        assert_eq!(ranked(&m, "Kristina Rujs", None), ["ruis"]);
        // A distant spelling confirmed by the full date ranks above a spelling variant of
        // another given name whose record has no date.
        assert_eq!(
            ranked(&m, "Kitaa Chauhaan", Some("2005-05-15")),
            ["kavita", "gita"]
        );
    }

    #[test]
    fn a_typing_error_in_the_script_of_the_record_is_one() {
        let m = matcher_of(&[
            (
                "nadezhda",
                person("Надежда", "Николаева", Some("1996-06-18")),
            ),
            ("vikas", person("विकास", "राठौर", Some("1973-05-02"))),
            ("latin", person("Nadezhda", "Nikolaeva", Some("1996-06-18"))),
        ]);
        // Two Cyrillic letters are three Latin edits, one Devanagari letter two.
        let hits = found(&m, "Надада Николаева", Some("1996-06-18"));
        assert_eq!(hits[0].id.as_ref(), "nadezhda", "{hits:?}");
        assert!(hits[0].reasons.iter().any(|r| r.contains("typing errors")));
        assert!(!hits.iter().any(|h| h.id.as_ref() == "latin"), "{hits:?}");
        assert_eq!(ranked(&m, "वककास राठौर", Some("1973-05-02")), ["vikas"]);
    }

    #[test]
    fn names_in_syllable_romanisations_are_read_as_written_in_the_record() {
        let m = matcher_of(&[
            ("dieu", person("Diệu Linh", "Đỗ", Some("1945-06-24"))),
            ("zixuan", person("Zixuan", "Yang", Some("1976-05-01"))),
            ("zo", person("Zieulinh", "Zo", None)),
        ]);
        let hits = found(&m, "Zo ZieuLinh", Some("1945-06-24"));
        assert_eq!(hits[0].id.as_ref(), "dieu", "{hits:?}");
        assert_eq!(
            hits[0].reasons[0],
            "name: read as Vietnamese by ear: `do dieu linh`"
        );
        // The name as written is searched too: its own spelling scores as it did.
        let zo = hits.iter().find(|h| h.id.as_ref() == "zo").unwrap();
        assert!(!zo.reasons[0].contains("read as"), "{zo:?}");
        let hits = found(&m, "Yang Tsihsuan", Some("1976"));
        assert_eq!(hits[0].id.as_ref(), "zixuan", "{hits:?}");
        assert!(hits[0].reasons[0].contains("Wade-Giles"), "{hits:?}");
        // A reading stays below the same name written in the record's own spelling.
        assert!(hits[0].score < found(&m, "Yang Zixuan", Some("1976"))[0].score);
    }

    fn any_date() -> impl Strategy<Value = Option<String>> {
        proptest::option::of(
            (
                1900u16..2020,
                proptest::option::of((1u8..13, proptest::option::of(1u8..29))),
            )
                .prop_map(|(y, md)| match md {
                    None => format!("{y}"),
                    Some((m, None)) => format!("{y}-{m:02}"),
                    Some((m, Some(d))) => format!("{y}-{m:02}-{d:02}"),
                }),
        )
    }

    proptest! {
        #[test]
        fn scores_are_in_range_and_a_name_finds_itself_best(
            names in proptest::collection::vec(("[A-Z][a-z]{1,8}", "[A-Z][a-z]{1,10}", any_date()), 1..12),
            pick in 0usize..12,
        ) {
            let m = TokenMatcher::default();
            for (i, (given, family, date)) in names.iter().enumerate() {
                m.insert(&Arc::from(format!("p{i:02}")), &person(given, family, date.as_deref()), false);
            }
            let (given, family, date) = &names[pick % names.len()];
            let q = PersonQuery {
                min_score: Some(0.0),
                ..query(&format!("{given} {family}"), date.as_deref())
            };
            let hits = m.search(&q, &|_: &str| true).unwrap();
            prop_assert!(hits.iter().all(|h| (0.0..=1.0).contains(&h.score)));
            // The person asked for scores 1.0: nobody can rank above it.
            let own = format!("p{:02}", pick % names.len());
            let own_score = hits.iter().find(|h| h.id.as_ref() == own).map(|h| h.score);
            prop_assert_eq!(own_score, Some(1.0));
            prop_assert_eq!(hits[0].score, 1.0);
        }
    }
}
