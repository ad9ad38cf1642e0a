//! A sharded inverted index over folded name tokens: candidate generation by exact and phonetic
//! keys (never a scan of every entry), then a token alignment score with readable reasons.
//! Persons and artworks (titles, artists) both stand on it.

mod keys;
mod vocabulary;

use std::sync::Arc;

use ahash::{AHashMap, RandomState};
use hashbrown::HashTable;

use crate::names::{
    ARTICLE_JOINED, SAME_SKELETON, SIMILAR_SPELLING, Token, edit_distance, is_mistyped_article,
};
use crate::shard::{Sharded, shard_of, sharded};
use keys::Keys;
use vocabulary::Vocabulary;

mod snapshot;

pub(crate) use snapshot::SavedShard;

/// Posting lists of a shard longer than this are common keys (think `mohammed`, `wang`, a
/// consonant key of two letters): once a shard has [`ENOUGH_IN_SHARD`] candidates from rarer
/// keys, a common list only adds its weight to those (a binary search each) instead of being
/// walked.
const WALK_CAP: usize = 256;
/// Postings read through in the time of one step of a binary search (a step waits on a load
/// the prefetcher did not see coming).
const SEARCH_STEP_COST: usize = 4;
/// Candidates of one shard that make walking its common lists needless: the best
/// `max_candidates` of 64 shards are a few per shard.
const ENOUGH_IN_SHARD: usize = 32;
/// A query token whose best single match is below this may be two stored tokens written
/// together; only then are the stored pairs built.
const PAIR_WORTH: f64 = 0.95;
/// A token matched across a join (`xiaoming` / `xiao ming`) must be at least this alike.
const JOINED_MIN: f64 = 0.89;
/// What a connector (bin, ibn, bint) weighs against a name token in coverage.
const CONNECTOR_WEIGHT: f64 = 0.25;
/// An entry without a facet.
pub const NO_FACET: u16 = 0;
/// Candidate weight added for the query's facet, for one next to it (a birth year off by
/// one) and for none (not recorded). More than all keys of a name weigh: a person born in
/// another year falls below the default threshold once the date is weighed, so it is worth
/// scoring only when there is room. A record without a year keeps 0.9 of its name score, one
/// a year off 0.85: it is scored first, and is not crowded out by everyone born that year
/// who shares one common token of the name (`Daniel O'Brien` among the Daniels of 1973).
const FACET_BONUS: f64 = 1.0;
const NEAR_FACET_BONUS: f64 = 0.8;
const UNKNOWN_FACET_BONUS: f64 = 0.9;
/// What the exact key of an indexed token spelled like a query token weighs, or of one of two
/// that written together are a query token (see [`Vocabulary`]), against a key of its own.
const NEIGHBOUR_WEIGHT: f32 = 0.8;
/// Weights are summed in `f32` in another order than their bound: this much more is allowed.
const BOUND_SLACK: f64 = 1e-4;

/// One alternative spelling of an entry: its tokens in reading order.
pub type Variant = Box<[Box<str>]>;

#[derive(Debug, Clone)]
pub struct FuzzyMatch {
    pub id: Arc<str>,
    pub score: f64,
    pub reasons: Vec<String>,
    /// Whether every query token is matched by some stored one, however distantly.
    pub complete: bool,
}

struct Entry {
    id: Arc<str>,
    variants: Box<[Box<[Token]>]>,
}

#[derive(Default)]
struct Shard {
    slots: Vec<Option<Entry>>,
    free: Vec<u32>,
    by_id: AHashMap<Arc<str>, u32>,
    /// Beside `slots`: the facet of each entry, dense so that ranking reads it cheaply.
    facets: Vec<u16>,
    /// Beside `slots`: whether every caller may see the entry, so that a search need not
    /// ask (a lookup in the record map) for most candidates.
    open: Vec<bool>,
    /// By key number (see [`Keys`]).
    postings: AHashMap<u32, Vec<u32>>,
}

pub struct FuzzyIndex {
    /// Names the compared thing in reasons: `name`, `title`, `artist`.
    label: &'static str,
    shards: Sharded<Shard>,
    keys: Keys,
    vocabulary: Vocabulary,
}

/// Index keys of tokens: the folded token, its skeleton and its consonant keys. Consonant
/// keys of one letter are only kept for vowel-less tokens: on Latin tokens they are noise.
fn token_keys<'a>(tokens: impl Iterator<Item = &'a Token>) -> Vec<String> {
    let mut keys = Vec::new();
    for t in tokens.filter(|t| t.raw().len() > 1) {
        keys.push(format!("t:{}", t.raw()));
        if let Some(bare) = t.without_article() {
            keys.push(format!("t:{bare}"));
        }
        keys.push(format!("s:{}", t.skeleton()));
        for c in t.consonant_keys() {
            if c.len() > 1 || t.is_vowelless() {
                keys.push(format!("c:{c}"));
            }
        }
    }
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// An entry's keys: its tokens' keys, the initial of each, and the one consonant of a Latin
/// token that has only one (which a Latin query only weighs candidates by, see
/// [`QueryKey::weighs_only`], and a vowel-less one finds them by: العلوي for Alaoui).
fn entry_keys(variants: &[Box<[Token]>]) -> Vec<String> {
    let tokens = || variants.iter().flat_map(|v| v.iter());
    let mut keys = token_keys(tokens());
    keys.extend(tokens().filter_map(|t| initial_key(t.raw())));
    keys.extend(
        tokens()
            .filter(|t| t.raw().len() > 1 && !t.is_vowelless())
            .flat_map(|t| t.consonant_keys().filter(|c| c.len() == 1))
            .map(|c| format!("c:{c}")),
    );
    keys.sort_unstable();
    keys.dedup();
    keys
}

fn initial_key(token: &str) -> Option<String> {
    token.chars().next().map(|c| format!("i:{c}"))
}

/// Adjacent tokens read as one (`xiao ming` as `xiaoming`, نور الدين as `nwrdyn`).
fn joined_pairs(tokens: &[Token]) -> Vec<Token> {
    tokens
        .windows(2)
        .map(|w| Token::new(&format!("{}{}", w[0].raw(), w[1].raw())))
        .collect()
}

/// Heaviest first; ties in a fixed order.
fn by_weight(a: &(f64, usize, u32), b: &(f64, usize, u32)) -> std::cmp::Ordering {
    b.0.total_cmp(&a.0).then((a.1, a.2).cmp(&(b.1, b.2)))
}

/// Leaves the `n` heaviest (n > 0), in no order, the n-th heaviest last.
fn keep_best(ranked: &mut Vec<(f64, usize, u32)>, n: usize) {
    ranked.select_nth_unstable_by(n - 1, by_weight);
    ranked.truncate(n);
}

/// For each of a shard's `lists`, in the order they are read, the most an entry can weigh
/// from it and the lists after it: the heaviest of each group, as an entry counts one key of
/// each.
fn upper_bounds(lists: &[(&[u32], f32, u32, bool)], rest: &mut Vec<f32>) {
    let mut heaviest = [0.0f32; 32];
    let mut sum = 0.0;
    rest.clear();
    rest.resize(lists.len(), 0.0);
    for (at, &(_, w, group, _)) in lists.iter().enumerate().rev() {
        let best = &mut heaviest[group.trailing_zeros() as usize];
        if w > *best {
            sum += w - *best;
            *best = w;
        }
        rest[at] = sum;
    }
}

/// What an entry's facet adds to its weight for a query's.
fn facet_bonus(query: u16, entry: u16) -> f64 {
    if query == NO_FACET {
        0.0
    } else if entry == query {
        FACET_BONUS
    } else if entry == NO_FACET {
        UNKNOWN_FACET_BONUS
    } else if entry.abs_diff(query) == 1 {
        NEAR_FACET_BONUS
    } else {
        0.0
    }
}

fn weight(t: &Token) -> f64 {
    if t.is_connector() {
        CONNECTOR_WEIGHT
    } else {
        1.0
    }
}

/// A key a query looks up: a factor of its weight, and the query token (or pair) it is a key
/// of, as a bit. A candidate weighs the best key it has of each query token, so that a token
/// matched through several keys (its spelling, skeleton, consonants) counts once, and two
/// tokens matched outweigh one.
struct QueryKey {
    number: u32,
    factor: f32,
    group: u32,
    /// The key of an initial (`M.`), or the one consonant of a Latin token: it only adds to
    /// candidates other keys found. Its list is a letter's share of the whole index, and
    /// finds no one in particular.
    weighs_only: bool,
}

/// One aligned piece: `q_len` query tokens from `qi` against `s_len` stored tokens from `si`.
struct Piece {
    sim: f64,
    qi: usize,
    q_len: usize,
    si: usize,
    s_len: usize,
    how: &'static str,
}

impl FuzzyIndex {
    pub fn new(label: &'static str) -> Self {
        FuzzyIndex {
            label,
            shards: sharded(),
            keys: Keys::default(),
            vocabulary: Vocabulary::default(),
        }
    }

    pub fn len(&self) -> usize {
        self.shards.iter().map(|s| s.read().by_id.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Estimated heap bytes: slots, id map, facets, posting lists, the tokens' forms, the keys
    /// and the vocabulary.
    pub fn heap_bytes(&self) -> u64 {
        let mut total = self.keys.heap_bytes() + self.vocabulary.heap_bytes();
        for shard in self.shards.iter() {
            let shard = shard.read();
            total += shard.slots.capacity() * size_of::<Option<Entry>>()
                + shard.free.capacity() * size_of::<u32>()
                + shard.facets.capacity() * size_of::<u16>()
                + shard.open.capacity()
                + shard.by_id.capacity() * (size_of::<(Arc<str>, u32)>() + 1)
                + shard.postings.capacity() * (size_of::<(u32, Vec<u32>)>() + 1);
            for entry in shard.slots.iter().flatten() {
                total += entry.id.len() + 16;
                for variant in &entry.variants {
                    total += variant.len() * size_of::<Token>();
                    total += variant.iter().map(Token::heap_bytes).sum::<usize>();
                }
            }
            for list in shard.postings.values() {
                total += list.capacity() * size_of::<u32>();
            }
        }
        total as u64
    }

    pub fn insert(&self, id: &Arc<str>, variants: Vec<Variant>) {
        self.insert_with_facet(id, variants, NO_FACET, false);
    }

    /// [`insert`](Self::insert) with a facet: a small number (a person's birth year) that
    /// ranks candidates whose names weigh the same, so that namesakes of the right year are
    /// among the ones scored. [`NO_FACET`] when unknown. `open` when every caller may see the
    /// entry: a search then does not ask its `visible` (whoever returns a hit checks again).
    pub fn insert_with_facet(&self, id: &Arc<str>, variants: Vec<Variant>, facet: u16, open: bool) {
        self.remove(id);
        let variants: Box<[Box<[Token]>]> = variants
            .into_iter()
            .filter(|v| !v.is_empty())
            .map(|v| v.iter().map(|t| Token::new(t)).collect())
            .collect();
        if variants.is_empty() {
            return;
        }
        self.vocabulary
            .add(variants.iter().flat_map(|v| v.iter().map(Token::raw)));
        let unique = self.keys.number(&entry_keys(&variants));
        let mut shard = self.shards[shard_of(id.as_bytes())].write();
        let entry = Entry {
            id: id.clone(),
            variants,
        };
        let slot = match shard.free.pop() {
            Some(s) => {
                shard.slots[s as usize] = Some(entry);
                shard.facets[s as usize] = facet;
                shard.open[s as usize] = open;
                s
            }
            None => {
                shard.slots.push(Some(entry));
                shard.facets.push(facet);
                shard.open.push(open);
                (shard.slots.len() - 1) as u32
            }
        };
        shard.by_id.insert(id.clone(), slot);
        for k in unique {
            // Lists stay sorted (a reused slot may be lower), for the binary searches of
            // common keys.
            let list = shard.postings.entry(k).or_default();
            let at = list.partition_point(|s| *s < slot);
            list.insert(at, slot);
        }
    }

    pub fn remove(&self, id: &str) {
        let mut shard = self.shards[shard_of(id.as_bytes())].write();
        let Some(slot) = shard.by_id.remove(id) else {
            return;
        };
        let Some(entry) = shard.slots[slot as usize].take() else {
            return;
        };
        let keys = entry_keys(&entry.variants);
        for k in self
            .keys
            .find(keys.iter().map(String::as_str))
            .into_iter()
            .flatten()
        {
            if let Some(list) = shard.postings.get_mut(&k) {
                list.retain(|s| *s != slot);
                if list.is_empty() {
                    shard.postings.remove(&k);
                }
            }
        }
        shard.facets[slot as usize] = NO_FACET;
        shard.open[slot as usize] = false;
        shard.free.push(slot);
    }

    /// Entries whose best variant scores at least `floor` against `query`, best first, with
    /// reasons. At most `max_candidates` entries are scored, the ones sharing the most and
    /// rarest keys with the query; `visible` is asked before a candidate takes one of those
    /// places.
    pub fn search(
        &self,
        query: &[String],
        floor: f64,
        max_candidates: usize,
        visible: &dyn Fn(&str) -> bool,
    ) -> Vec<FuzzyMatch> {
        let mut found = self.scored(query, NO_FACET, floor, max_candidates, visible);
        self.explain(query, &mut found);
        found
    }

    /// [`search`](Self::search) without reasons, candidates with the query's `facet` (or one
    /// off) ranked first among those whose names weigh the same. Writing reasons for every
    /// entry above the floor was a tenth of a person search that returns a few of them: a
    /// caller asks [`explain`](Self::explain) for the ones it keeps.
    pub fn scored(
        &self,
        query: &[String],
        facet: u16,
        floor: f64,
        max_candidates: usize,
        visible: &dyn Fn(&str) -> bool,
    ) -> Vec<FuzzyMatch> {
        let query: Vec<Token> = query.iter().map(|t| Token::new(t)).collect();
        if query.is_empty() {
            return Vec::new();
        }
        let query_pairs = joined_pairs(&query);
        let qkeys = self.query_keys(&query, &query_pairs);
        // Phase 1: the best-weighted entries of every shard, then the best visible ones of
        // all shards. Visibility is asked in that order, so only about `max_candidates` times.
        // Per shard twice as many are kept, for the ones the caller may not see; of all
        // shards only the head is ranked unless the caller may not see enough of it.
        let per_shard = max_candidates.saturating_mul(2);
        let head = max_candidates.saturating_mul(4).max(1);
        let (mut ranked, mut cut) = self.rank(&qkeys, facet, per_shard, Some(head));
        let mut candidates: Vec<(usize, u32)> = Vec::with_capacity(max_candidates);
        let mut at = 0;
        while candidates.len() < max_candidates {
            if at == ranked.len() {
                if !cut {
                    break;
                }
                // The same order throughout, so the first `at` are the ones seen.
                (ranked, cut) = self.rank(&qkeys, facet, per_shard, None);
                continue;
            }
            let (_, shard_no, slot) = ranked[at];
            at += 1;
            let shard = self.shards[shard_no].read();
            if shard.slots[slot as usize]
                .as_ref()
                .is_some_and(|e| shard.open[slot as usize] || visible(&e.id))
            {
                candidates.push((shard_no, slot));
            }
        }
        // A write between two rankings may have moved an entry into the part seen again.
        candidates.sort_unstable();
        candidates.dedup();
        // Phase 2: score them, one lock per shard.
        let mut out = Vec::new();
        let mut scratch = Scratch::new(query.len(), query_pairs.len());
        for group in candidates.chunk_by(|a, b| a.0 == b.0) {
            let shard = self.shards[group[0].0].read();
            for &(_, slot) in group {
                let Some(entry) = shard.slots[slot as usize].as_ref() else {
                    continue;
                };
                if let Some((score, complete, _)) =
                    self.best_variant(&query, &query_pairs, entry, &mut scratch)
                    && score >= floor
                {
                    out.push(FuzzyMatch {
                        id: entry.id.clone(),
                        score,
                        reasons: Vec::new(),
                        complete,
                    });
                }
            }
        }
        out.sort_unstable_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
        out
    }

    /// The best score of an entry's variants, whether every query token is matched in that
    /// variant, and which it is.
    fn best_variant(
        &self,
        query: &[Token],
        query_pairs: &[Token],
        entry: &Entry,
        scratch: &mut Scratch,
    ) -> Option<(f64, bool, usize)> {
        entry
            .variants
            .iter()
            .enumerate()
            .map(|(at, v)| {
                let score = self.align(query, query_pairs, v, scratch, None);
                (score, scratch.q_used.iter().all(|u| *u), at)
            })
            .max_by(|a, b| a.0.total_cmp(&b.0))
    }

    /// The reasons of `matches` of [`scored`](Self::scored) for the same `query`, from each
    /// entry's best variant: as the entry is now, should a write have changed it since (one
    /// removed since has none).
    pub fn explain<'m>(
        &self,
        query: &[String],
        matches: impl IntoIterator<Item = &'m mut FuzzyMatch>,
    ) {
        let mut matches = matches.into_iter().peekable();
        if matches.peek().is_none() {
            return;
        }
        let query: Vec<Token> = query.iter().map(|t| Token::new(t)).collect();
        let query_pairs = joined_pairs(&query);
        let mut scratch = Scratch::new(query.len(), query_pairs.len());
        for m in matches {
            let shard = self.shards[shard_of(m.id.as_bytes())].read();
            let Some(entry) = shard
                .by_id
                .get(&m.id)
                .and_then(|slot| shard.slots[*slot as usize].as_ref())
            else {
                continue;
            };
            if let Some((_, _, at)) = self.best_variant(&query, &query_pairs, entry, &mut scratch) {
                m.reasons.clear();
                let variant = &entry.variants[at];
                self.align(
                    &query,
                    &query_pairs,
                    variant,
                    &mut scratch,
                    Some(&mut m.reasons),
                );
            }
        }
    }

    /// Phase 1: the `per_shard` best-weighted entries of every shard, best first. With `head`,
    /// only the `head` best of all shards: an entry is passed over once that many weigh more,
    /// and the flag says whether any was.
    fn rank(
        &self,
        qkeys: &[QueryKey],
        facet: u16,
        per_shard: usize,
        head: Option<usize>,
    ) -> (Vec<(f64, usize, u32)>, bool) {
        let mut ranked: Vec<(f64, usize, u32)> = Vec::new();
        let mut weights = Weights::default();
        let mut found: Vec<(f64, usize, u32)> = Vec::new();
        // Below this an entry is not among the head (the head-th best weight so far).
        let mut bar = f64::NEG_INFINITY;
        let mut cut = false;
        let mut rest = Vec::new();
        let max_bonus = facet_bonus(facet, facet);
        for (shard_no, shard) in self.shards.iter().enumerate() {
            let shard = shard.read();
            let mut lists: Vec<(&[u32], f32, u32, bool)> = qkeys
                .iter()
                .filter_map(|k| {
                    shard.postings.get(&k.number).map(|l| {
                        let w = k.factor / (1.0 + (l.len() as f32).ln());
                        (l.as_slice(), w, k.group, k.weighs_only)
                    })
                })
                .collect();
            // Heaviest (rarest) first: rare keys find the candidates, common ones weigh them,
            // and the first key of a query token that a candidate has is its best. Keys that
            // only weigh come last, when there is something to weigh.
            lists.sort_unstable_by(|a, b| {
                (a.3.cmp(&b.3))
                    .then(b.1.total_cmp(&a.1))
                    .then(a.0.len().cmp(&b.0.len()))
            });
            weights.start(shard.slots.len());
            upper_bounds(&lists, &mut rest);
            for ((list, w, group, weighs_only), rest) in lists.into_iter().zip(&rest) {
                // An entry met first here weighs `rest` at most, with its facet's bonus: once
                // that is below the head's last, it is passed over (as it would be once
                // weighed), but counted as seen, so that which lists are walked stays the
                // same. Once no bonus is enough, this list and the ones after it only add
                // to the entries touched.
                let need = bar - f64::from(*rest) - BOUND_SLACK;
                if !weighs_only
                    && need <= max_bonus
                    && (list.len() <= WALK_CAP || weights.seen() < ENOUGH_IN_SHARD)
                {
                    if need <= 0.0 {
                        for &slot in list {
                            weights.add(slot, w, group);
                        }
                    } else {
                        for &slot in list {
                            if weights.by_slot[slot as usize].1 == 0
                                && facet_bonus(facet, shard.facets[slot as usize]) < need
                            {
                                weights.pass(slot);
                            } else {
                                weights.add(slot, w, group);
                            }
                        }
                    }
                } else if list.len() <= weights.searched_steps(list.len()) * SEARCH_STEP_COST {
                    // Reading the list through is cheaper than searching it for each one.
                    for &slot in list {
                        weights.add_if_touched(slot, w, group);
                    }
                } else {
                    for &slot in &weights.touched {
                        let (sum, counted) = &mut weights.by_slot[slot as usize];
                        if *counted & group == 0 && list.binary_search(&slot).is_ok() {
                            *counted |= group;
                            *sum += w;
                        }
                    }
                }
            }
            found.clear();
            found.extend(weights.touched.iter().filter_map(|&slot| {
                let w = f64::from(weights.by_slot[slot as usize].0)
                    + facet_bonus(facet, shard.facets[slot as usize]);
                (w >= bar).then_some((w, shard_no, slot))
            }));
            cut |= found.len() < weights.seen();
            if found.len() > per_shard {
                found.select_nth_unstable_by(per_shard, by_weight);
                found.truncate(per_shard);
            }
            ranked.extend_from_slice(&found);
            if let Some(head) = head
                && ranked.len() >= head.saturating_mul(2)
            {
                keep_best(&mut ranked, head);
                bar = ranked[head - 1].0;
                cut = true;
            }
        }
        if let Some(head) = head
            && ranked.len() > head
        {
            keep_best(&mut ranked, head);
            cut = true;
        }
        ranked.sort_unstable_by(by_weight);
        (ranked, cut)
    }

    /// The keys a query looks up, per query token (and pair of adjacent tokens written
    /// together): the token's own, then at [`NEIGHBOUR_WEIGHT`] the exact keys of indexed
    /// tokens spelled like it, or that written together are it. Keys no entry has are left
    /// out.
    fn query_keys(&self, query: &[Token], query_pairs: &[Token]) -> Vec<QueryKey> {
        let mut keys: Vec<(String, f32, u32, bool)> = Vec::new();
        for (at, t) in query.iter().chain(query_pairs).enumerate() {
            let group = 1u32 << at.min(31);
            // An initial written together with a name is no name (`b yilmaz` as `byilmaz`),
            // and its rare keys would take the candidates' places from the name's own.
            let pair = at.checked_sub(query.len());
            if pair.is_some_and(|p| query[p].raw().len() == 1 || query[p + 1].raw().len() == 1) {
                continue;
            }
            let own = token_keys(std::iter::once(t));
            let mut near: Vec<String> = Vec::new();
            if at < query.len() {
                let neighbours = self.vocabulary.neighbours(t.raw());
                for n in &neighbours {
                    near.push(format!("t:{n}"));
                }
                for (left, right) in self.vocabulary.splits(t.raw(), &neighbours) {
                    near.push(format!("t:{left}"));
                    near.push(format!("t:{right}"));
                }
            }
            near.sort_unstable();
            near.dedup();
            near.retain(|k| own.binary_search(k).is_err());
            keys.extend(own.into_iter().map(|key| (key, 1.0, group, false)));
            keys.extend(
                near.into_iter()
                    .map(|key| (key, NEIGHBOUR_WEIGHT, group, false)),
            );
            if t.raw().len() == 1 {
                keys.extend(initial_key(t.raw()).map(|key| (key, 1.0, group, true)));
            } else if !t.is_vowelless() {
                // One consonant (Alaoui is `l`, as العلوي) is too common a key to find
                // anyone by, but it weighs the vowel-less spellings found by the other tokens.
                let single = t.consonant_keys().filter(|c| c.len() == 1);
                keys.extend(single.map(|c| (format!("c:{c}"), 1.0, group, true)));
            }
        }
        let numbers = self.keys.find(keys.iter().map(|k| k.0.as_str()));
        keys.into_iter()
            .zip(numbers)
            .filter_map(|((_, factor, group, weighs_only), number)| {
                number.map(|number| QueryKey {
                    number,
                    factor,
                    group,
                    weighs_only,
                })
            })
            .collect()
    }

    /// Order-independent greedy alignment of query tokens to stored tokens, where two
    /// adjacent tokens on one side may stand for one written together on the other. Reasons
    /// are written only when asked for; `scratch` keeps the buffers between calls.
    fn align(
        &self,
        query: &[Token],
        query_pairs: &[Token],
        stored: &[Token],
        scratch: &mut Scratch,
        reasons: Option<&mut Vec<String>>,
    ) -> f64 {
        let Scratch {
            pieces,
            best,
            similarities,
            rows,
            q_used,
            s_used,
            text,
        } = scratch;
        pieces.clear();
        best.clear();
        best.resize(query.len(), 0.0);
        rows.clear();
        rows.extend(stored.iter().map(|s| similarities.row(s.spelling())));
        for (qi, q) in query.iter().enumerate() {
            for (si, s) in stored.iter().enumerate() {
                let (sim, how) = similarities.get(qi, rows[si], || q.similarity(s));
                if sim > 0.0 {
                    best[qi] = best[qi].max(sim);
                    pieces.push(Piece {
                        sim,
                        qi,
                        q_len: 1,
                        si,
                        s_len: 1,
                        how,
                    });
                }
            }
        }
        for (qi, q) in query_pairs.iter().enumerate() {
            for (si, s) in stored.iter().enumerate() {
                let (sim, how) = similarities.get(query.len() + qi, rows[si], || q.similarity(s));
                // An article typed with the name's first letter (`alk hatib`) is the article
                // the stored name was written without, though `hatib` alone is as close.
                let alone = || {
                    how != ARTICLE_JOINED
                        && alone_as_close(similarities, [(qi, rows[si]), (qi + 1, rows[si])])
                };
                if joins(sim, how, || within_edits(q, s)) && !alone() {
                    pieces.push(Piece {
                        sim,
                        qi,
                        q_len: 2,
                        si,
                        s_len: 1,
                        how,
                    });
                }
            }
        }
        // Stored pairs are only worth building when the query may have joined them (it has
        // fewer tokens, and one of them has no close single match), or when two adjacent query
        // tokens may be them written apart otherwise: a typing error across a hyphen
        // (`ah-jun` for `ha-jun`, `junh-o` for `jun-ho`) leaves one of the two with no close
        // single match.
        let singles_to_pairs = query.len() < stored.len() && best.iter().any(|b| *b < PAIR_WORTH);
        let apart = |qi: usize| best[qi].min(best[qi + 1]) < PAIR_WORTH;
        let pairs_to_pairs = stored.len() > 1 && (0..query_pairs.len()).any(apart);
        if singles_to_pairs || pairs_to_pairs {
            let joined = &mut text[0];
            for (si, w) in stored.windows(2).enumerate() {
                joined.clear();
                joined.push_str(w[0].raw());
                joined.push_str(w[1].raw());
                // Built only if a query token has not met this spelling yet.
                let mut pair = None;
                let mut row = None;
                let singles = query.iter().enumerate().filter(|_| singles_to_pairs);
                let pairs = query_pairs.iter().enumerate().filter(|(qi, _)| apart(*qi));
                let pairs = pairs.filter(|_| pairs_to_pairs);
                for (q_len, (qi, q)) in singles.map(|q| (1, q)).chain(pairs.map(|q| (2, q))) {
                    // Cheap first: most pairs of pairs are far more than an edit apart.
                    if q_len == 2 && !one_typing_error(q.raw(), joined) {
                        continue;
                    }
                    let number = if q_len == 1 { qi } else { query.len() + qi };
                    let row = *row.get_or_insert_with(|| similarities.row(joined));
                    let (sim, how) = similarities.get(number, row, || {
                        q.similarity(pair.get_or_insert_with(|| Token::new(joined)))
                    });
                    let close = if q_len == 1 {
                        joins(sim, how, || {
                            within_edits(q, pair.get_or_insert_with(|| Token::new(joined)))
                        }) && !alone_as_close(similarities, [(qi, rows[si]), (qi, rows[si + 1])])
                    } else {
                        sim >= JOINED_MIN
                    };
                    if close {
                        pieces.push(Piece {
                            sim,
                            qi,
                            q_len,
                            si,
                            s_len: 2,
                            how,
                        });
                    }
                }
            }
        }
        // At equal similarity one token against one first: a join that takes two tokens for
        // what one of them matches as well leaves the other unmatched (the consonants of
        // `rachid haddad` are those of رشيد alone once the d's collapse).
        pieces.sort_unstable_by(|a, b| {
            b.sim
                .total_cmp(&a.sim)
                .then((a.q_len + a.s_len).cmp(&(b.q_len + b.s_len)))
                .then((a.qi, a.si).cmp(&(b.qi, b.si)))
        });
        // Taken greedily, a pair of pairs comes after the exact single it holds (`jun` of
        // `ah jun` / `ha jun`), and an article typed with the name after the name alone
        // (`hatib` of `alk hatib` / `khatib`), which leaves the other token alone: they are
        // also tried first.
        let pairs_first = pieces.iter().any(Piece::first_worth) && {
            let plain = take(pieces, false, query, stored, q_used, s_used, None);
            take(pieces, true, query, stored, q_used, s_used, None) > plain
        };
        let mut reasons = reasons;
        let (label, reasons_now) = (self.label, reasons.as_deref_mut());
        let aligned = take(
            pieces,
            pairs_first,
            query,
            stored,
            q_used,
            s_used,
            reasons_now.map(|r| (label, r)),
        );
        // Compounds of three or more parts written together, in either order: worth
        // comparing only while the alignment is below what a join can score.
        if query.len() != stored.len() && aligned < JOINED_WHOLE {
            let joined = joined_similarity(query, stored, text);
            if joined >= 0.93 && joined * JOINED_WHOLE > aligned {
                // Written together, the query explains all of itself.
                q_used.fill(true);
                if let Some(reasons) = reasons {
                    let shown: Vec<&str> = stored.iter().map(Token::raw).collect();
                    reasons.clear();
                    reasons.push(format!(
                        "{}: written together `{}` ~ `{}`",
                        self.label,
                        query.iter().map(Token::raw).collect::<String>(),
                        shown.join(" ")
                    ));
                }
                return joined * JOINED_WHOLE;
            }
        }
        if let Some(reasons) = reasons
            && q_used.iter().any(|u| !u)
        {
            reasons.push(format!("{}: part of the query not found", self.label));
        }
        aligned
    }
}

impl Piece {
    /// Whether taking it before the pieces sorted above it may explain more of the query.
    fn first_worth(&self) -> bool {
        self.q_len == 2 && (self.s_len == 2 || self.how == ARTICLE_JOINED)
    }
}

/// Takes `pieces` greedily in their order (those [first worth](Piece::first_worth) first if
/// asked), each where neither side is taken yet, writing reasons if asked; the alignment's
/// score: how much of the query is matched, how well, and how much of the stored name.
fn take(
    pieces: &[Piece],
    pairs_first: bool,
    query: &[Token],
    stored: &[Token],
    q_used: &mut Vec<bool>,
    s_used: &mut Vec<bool>,
    mut reasons: Option<(&str, &mut Vec<String>)>,
) -> f64 {
    q_used.clear();
    q_used.resize(query.len(), false);
    s_used.clear();
    s_used.resize(stored.len(), false);
    let first = |p: &&Piece| pairs_first && p.first_worth();
    let mut q_sum = 0.0;
    for p in pieces
        .iter()
        .filter(first)
        .chain(pieces.iter().filter(|p| !first(p)))
    {
        let (qr, sr) = (p.qi..p.qi + p.q_len, p.si..p.si + p.s_len);
        if q_used[qr.clone()].iter().any(|u| *u) || s_used[sr.clone()].iter().any(|u| *u) {
            continue;
        }
        q_used[qr.clone()].fill(true);
        s_used[sr.clone()].fill(true);
        q_sum += p.sim * query[qr.clone()].iter().map(weight).sum::<f64>();
        if let Some((label, reasons)) = reasons.as_mut() {
            let show =
                |tokens: &[Token]| tokens.iter().map(Token::raw).collect::<Vec<_>>().join(" ");
            let (q_text, s_text) = (show(&query[qr]), show(&stored[sr]));
            if p.how == "exact" {
                reasons.push(format!("{label}: exact `{s_text}`"));
            } else if p.q_len + p.s_len > 2 {
                reasons.push(format!(
                    "{label}: written together, {} `{q_text}` ~ `{s_text}`",
                    p.how
                ));
            } else {
                reasons.push(format!("{label}: {} `{q_text}` ~ `{s_text}`", p.how));
            }
        }
    }
    // An article mistyped apart (`huda la zahrani`) is the article the stored name was
    // written without: between two names, with a token more than the stored name has.
    let mut q_total = 0.0;
    for (qi, t) in query.iter().enumerate() {
        let between = qi > 0 && qi + 1 < query.len() && query.len() > stored.len();
        if !q_used[qi] && between && is_mistyped_article(t.raw()) {
            q_used[qi] = true;
            q_total += CONNECTOR_WEIGHT;
            if let Some((label, reasons)) = reasons.as_mut() {
                reasons.push(format!("{label}: `{}` read as a mistyped article", t.raw()));
            }
        } else {
            q_total += weight(t);
        }
    }
    let s_total: f64 = stored.iter().map(weight).sum();
    let s_done: f64 = stored
        .iter()
        .zip(s_used.iter())
        .filter(|(_, u)| **u)
        .map(|(t, _)| weight(t))
        .sum();
    0.85 * q_sum / q_total + 0.15 * s_done / s_total
}

/// Whether a similarity is enough for two tokens written together. By Jaro-Winkler or a
/// shared skeleton only if `within_edits` too: both reward the shared start that a join
/// always has with a longer name (`viktor wozniak` ~ `viktoriia` 0.9, `marie song` and
/// `marchenko` have the skeleton `mrsnk`), not the letters after it.
fn joins(sim: f64, how: &str, within_edits: impl FnOnce() -> bool) -> bool {
    sim >= JOINED_MIN && ((how != SIMILAR_SPELLING && how != SAME_SKELETON) || within_edits())
}

/// Whether the canonical forms are within an edit in [`JOINED_LETTERS_PER_LOOSE_EDIT`]
/// letters.
fn within_edits(a: &Token, b: &Token) -> bool {
    let (a, b) = (a.canonical(), b.canonical());
    let allowed = (a.len().min(b.len()) / JOINED_LETTERS_PER_LOOSE_EDIT).max(1);
    edit_distance(a, b, allowed) <= allowed
}

/// Whether the spellings are an edit apart at most: two tokens against two written apart
/// otherwise (`ah jun` / `ha jun`) are one typing error, not a distant spelling of each
/// (`megan nobinsn` / `megan robinson`), nor a variant and a typing error (`kristina rujs` /
/// `cristina ruis`, one edit apart in canonical form).
fn one_typing_error(a: &str, b: &str) -> bool {
    a.len().abs_diff(b.len()) <= 1 && edit_distance(a, b, 1) <= 1
}

/// Letters per edit a join alike by Jaro-Winkler or skeleton may have (`xuanchuong` ~
/// `xuan truong`, `abdlerahman` ~ `abd rahman`).
const JOINED_LETTERS_PER_LOOSE_EDIT: usize = 4;

/// Whether one of two single tokens is alone as close as a join needs: then the join of the
/// pair leaves the other unexplained (`rahul lee` joined is `raahul` with its vowels and a
/// doubled `l`). Each is a query token (by number) and a stored spelling's row; their similarity is
/// known, as every query token met every stored one first.
fn alone_as_close(similarities: &Similarities, singles: [(usize, usize); 2]) -> bool {
    singles.iter().any(|&(query, stored)| {
        similarities
            .known_at(query, stored)
            .is_some_and(|(sim, _)| sim >= JOINED_MIN)
    })
}

/// The candidates of one shard in phase 1: each slot's weight and the query tokens (groups)
/// whose best key it has counted, in an array by slot (a map was most of phase 1), and the
/// slots touched, so that the next shard starts from zeros without clearing it all.
#[derive(Default)]
struct Weights {
    by_slot: Vec<(f32, u32)>,
    touched: Vec<u32>,
    /// Slots met where they could not reach the head: every group counted, so that nothing
    /// adds to them, and not among the touched.
    passed: Vec<u32>,
}

impl Weights {
    fn start(&mut self, slots: usize) {
        for &slot in self.touched.iter().chain(&self.passed) {
            self.by_slot[slot as usize] = (0.0, 0);
        }
        self.touched.clear();
        self.passed.clear();
        if self.by_slot.len() < slots {
            self.by_slot.resize(slots, (0.0, 0));
        }
    }

    /// Steps of a binary search of a list this long for every touched slot.
    fn searched_steps(&self, list_len: usize) -> usize {
        self.touched.len() * (usize::BITS - list_len.leading_zeros()) as usize
    }

    /// Slots met in this shard, weighed or passed over.
    fn seen(&self) -> usize {
        self.touched.len() + self.passed.len()
    }

    /// Marks an untouched slot as passed over.
    fn pass(&mut self, slot: u32) {
        self.by_slot[slot as usize] = (0.0, u32::MAX);
        self.passed.push(slot);
    }

    /// [`add`](Self::add) for a slot touched already; others are left untouched.
    fn add_if_touched(&mut self, slot: u32, w: f32, group: u32) {
        let (sum, counted) = &mut self.by_slot[slot as usize];
        if *counted != 0 && *counted & group == 0 {
            *counted |= group;
            *sum += w;
        }
    }

    /// Counts `w` for the slot unless it has counted a key of this group already (a group is
    /// never 0, so a slot with no group yet is untouched).
    fn add(&mut self, slot: u32, w: f32, group: u32) {
        let (sum, counted) = &mut self.by_slot[slot as usize];
        if *counted == 0 {
            self.touched.push(slot);
        }
        if *counted & group == 0 {
            *counted |= group;
            *sum += w;
        }
    }
}

/// Buffers one search reuses for every alignment.
#[derive(Default)]
struct Scratch {
    pieces: Vec<Piece>,
    similarities: Similarities,
    /// The row in `similarities` of each stored token of the alignment.
    rows: Vec<usize>,
    /// Best single-token similarity of each query token.
    best: Vec<f64>,
    q_used: Vec<bool>,
    s_used: Vec<bool>,
    text: [String; 3],
}

impl Scratch {
    /// For a query of `tokens` tokens and `pairs` adjacent pairs.
    fn new(tokens: usize, pairs: usize) -> Self {
        Scratch {
            similarities: Similarities {
                width: tokens + pairs,
                ..Similarities::default()
            },
            ..Scratch::default()
        }
    }
}

/// The similarities of one search's query tokens (pairs numbered after them) to stored
/// spellings. The candidates of a search share tokens, having been found by them, and a
/// stored token's forms depend on its spelling alone: each pair is compared once. A spelling
/// is hashed once per alignment, for its row: a row holds what it compares as to each query
/// token.
#[derive(Default)]
struct Similarities {
    /// Each spelling met, with the start of its row in `known`.
    rows: HashTable<(Box<str>, usize)>,
    known: Vec<Option<(f64, &'static str)>>,
    /// Query tokens and pairs: the length of a row.
    width: usize,
    hasher: RandomState,
}

impl Similarities {
    /// The row of a stored spelling, new ones unknown throughout.
    fn row(&mut self, stored: &str) -> usize {
        let hash = self.hasher.hash_one(stored);
        if let Some(&(_, at)) = self.rows.find(hash, |(s, _)| **s == *stored) {
            return at;
        }
        let at = self.known.len();
        self.known.resize(at + self.width, None);
        let hasher = &self.hasher;
        self.rows
            .insert_unique(hash, (stored.into(), at), |(s, _)| hasher.hash_one(&**s));
        at
    }

    /// A similarity compared already in this search.
    fn known_at(&self, query: usize, row: usize) -> Option<(f64, &'static str)> {
        self.known[row + query]
    }

    fn get(
        &mut self,
        query: usize,
        row: usize,
        compare: impl FnOnce() -> (f64, &'static str),
    ) -> (f64, &'static str) {
        *self.known[row + query].get_or_insert_with(compare)
    }
}

/// The query's canonical forms written together against the stored ones written together,
/// forward or backward: 1 when equal, less by an edit (one in 8 letters, two in 16). Jaro-
/// Winkler was too lenient on strings this long (`williammartinssousa` ~ `williammartin`
/// 0.93: a name with a part added).
fn joined_similarity(query: &[Token], stored: &[Token], text: &mut [String; 3]) -> f64 {
    let [joined_q, forward, backward] = text;
    joined_q.clear();
    forward.clear();
    backward.clear();
    query.iter().for_each(|t| joined_q.push_str(t.canonical()));
    stored.iter().for_each(|t| forward.push_str(t.canonical()));
    stored
        .iter()
        .rev()
        .for_each(|t| backward.push_str(t.canonical()));
    let shorter = joined_q.len().min(forward.len());
    let allowed = shorter / JOINED_LETTERS_PER_EDIT;
    let edits =
        edit_distance(joined_q, forward, allowed).min(edit_distance(joined_q, backward, allowed));
    if edits > allowed {
        return 0.0;
    }
    1.0 - JOINED_EDIT_COST * edits as f64
}

/// Letters of names written together per edit allowed between them.
const JOINED_LETTERS_PER_EDIT: usize = 8;
/// What one edit costs two names written together.
const JOINED_EDIT_COST: f64 = 0.03;
/// What names written together score at most (with no edit): below an alignment that
/// explains each token.
const JOINED_WHOLE: f64 = 0.95;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::names::tokens;

    fn variant(s: &str) -> Variant {
        tokens(s).into_iter().map(Into::into).collect()
    }

    /// What a caller who may see every entry finds at the default threshold.
    fn hits(idx: &FuzzyIndex, query: &str) -> Vec<FuzzyMatch> {
        idx.search(&tokens(query), 0.8, 100, &|_: &str| true)
    }

    fn index(names: &[(&str, &[&str])]) -> FuzzyIndex {
        let idx = FuzzyIndex::new("name");
        for (id, variants) in names {
            idx.insert(
                &Arc::from(*id),
                variants.iter().map(|v| variant(v)).collect(),
            );
        }
        idx
    }

    #[test]
    fn a_similarity_is_compared_once_per_query_token_and_spelling() {
        let mut known = Scratch::new(1, 1).similarities;
        let anna = known.row("anna");
        let mut compared = 0;
        for _ in 0..3 {
            let sim = known.get(0, anna, || {
                compared += 1;
                (0.9, "typing error")
            });
            assert_eq!(sim, (0.9, "typing error"));
        }
        assert_eq!(compared, 1);
        assert_eq!(known.row("anna"), anna);
        assert_eq!(known.known_at(1, anna), None);
        assert_eq!(known.get(1, anna, || (0.5, "b")), (0.5, "b"));
        let anne = known.row("anne");
        assert_ne!(anne, anna);
        assert_eq!(known.get(0, anne, || (0.7, "c")), (0.7, "c"));
        assert_eq!(known.get(0, anna, || (0.0, "")), (0.9, "typing error"));
        assert_eq!(known.known_at(1, anna), Some((0.5, "b")));
    }

    /// Entries that cannot reach the head are passed over, and lists that can bring none are
    /// not walked: the head is still the best of the whole ranking, in its order.
    #[test]
    fn the_ranked_head_is_the_best_of_all() {
        let idx = FuzzyIndex::new("name");
        let given = ["anna", "ivan", "maria", "oleg", "mohammed", "li", "wei"];
        let family = [
            "petrova",
            "ivanov",
            "smirnova",
            "kuznetsov",
            "wang",
            "haddad",
        ];
        for i in 0..6_000usize {
            let name = format!(
                "{} {} {}",
                given[i % given.len()],
                given[i / 7 % given.len()],
                family[i / 49 % family.len()]
            );
            let year = 1950 + (i % 13) as u16;
            let facet = if i % 5 == 0 { NO_FACET } else { year };
            idx.insert_with_facet(
                &Arc::from(format!("p{i}")),
                vec![variant(&name)],
                facet,
                true,
            );
        }
        for query in [
            "anna ivanova",
            "maria smirnova",
            "wei wang",
            "oleg haddad kuznetsov",
        ] {
            let query: Vec<Token> = tokens(query).iter().map(|t| Token::new(t)).collect();
            let qkeys = idx.query_keys(&query, &joined_pairs(&query));
            for facet in [NO_FACET, 1950, 1957] {
                let (all, _) = idx.rank(&qkeys, facet, 16, None);
                let (head, cut) = idx.rank(&qkeys, facet, 16, Some(32));
                assert!(cut && all.len() > 32);
                assert_eq!(head, all[..32]);
            }
        }
    }

    #[test]
    fn finds_across_order_spelling_and_script() {
        let idx = index(&[
            ("a", &["Пётр Смирнов"]),
            ("b", &["Petra Smith"]),
            ("c", &["Wang Xiao Ming"]),
        ]);
        let hit = |q: &str| hits(&idx, q);
        assert_eq!(hit("SMIRNOW PETR")[0].id.as_ref(), "a");
        assert_eq!(hit("Xiaoming Wang")[0].id.as_ref(), "c");
        assert!(hit("Boris Johnson").is_empty());
        assert!(
            idx.search(&tokens("Petr Smirnov"), 0.8, 100, &|id| id != "a")
                .is_empty()
        );
    }

    #[test]
    fn namesakes_the_caller_may_see_are_found_past_the_ranked_head() {
        let idx = FuzzyIndex::new("name");
        for i in 0..150 {
            idx.insert(&Arc::from(format!("p{i}")), vec![variant("Anna Karenina")]);
        }
        // Four candidates scored: a head of 16 ranked first, of 150 that weigh the same (eight
        // kept per shard, more than a shard has).
        let wanted = ["p103", "p140", "p17"];
        let visible = |id: &str| wanted.contains(&id);
        let hits = idx.search(&tokens("Anna Karenina"), 0.8, 4, &visible);
        let mut ids: Vec<&str> = hits.iter().map(|h| h.id.as_ref()).collect();
        ids.sort_unstable();
        assert_eq!(ids, wanted);
        assert_eq!(
            idx.search(&tokens("Anna Karenina"), 0.8, 4, &|_| true)
                .len(),
            4
        );
    }

    #[test]
    fn only_entries_not_open_to_all_are_asked_about() {
        let idx = FuzzyIndex::new("name");
        idx.insert_with_facet(&Arc::from("open"), vec![variant("Anna Karenina")], 1, true);
        idx.insert_with_facet(&Arc::from("shut"), vec![variant("Anna Karenina")], 1, false);
        let asked = std::cell::RefCell::new(Vec::new());
        let visible = |id: &str| {
            asked.borrow_mut().push(id.to_string());
            false
        };
        let hits = idx.search(&tokens("Anna Karenina"), 0.8, 10, &visible);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].id.as_ref(), "open");
        assert_eq!(*asked.borrow(), ["shut"]);
        // Written again as not open, it is asked about like any other.
        idx.insert_with_facet(&Arc::from("open"), vec![variant("Anna Karenina")], 1, false);
        assert!(
            idx.search(&tokens("Anna Karenina"), 0.8, 10, &visible)
                .is_empty()
        );
    }

    #[test]
    fn tokens_no_key_leads_to_are_found_through_the_vocabulary() {
        let idx = index(&[("a", &["Nicolas Hnatiuk"]), ("b", &["Wen Bo"])]);
        let hit = |q: &str| hits(&idx, q);
        // Every key of both tokens differs by one consonant: a neighbour in spelling.
        assert_eq!(hit("Niconas Gnatiuk")[0].id.as_ref(), "a");
        // Two indexed tokens written together.
        assert_eq!(hit("Wenbo")[0].id.as_ref(), "b");
        assert!(hit("Boris Gnatenko").is_empty());
    }

    /// 40,000 namesakes in the index: `name` written with each of the `others` (ids
    /// `other-n`), born in 70 years in turn; more in each shard than a list is walked for
    /// (WALK_CAP). Returns how many of `others[0]` were born in `year`.
    fn crowd(idx: &FuzzyIndex, others: &[&str], name: impl Fn(&str) -> String, year: u16) -> usize {
        let mut born_then = 0;
        for i in 0..40_000u32 {
            let n = others.len() as u32;
            let (other, born) = (others[(i % n) as usize], 1940 + (i / n % 70) as u16);
            born_then += usize::from(other == others[0] && born == year);
            let id = Arc::from(format!("{other}-{i}"));
            idx.insert_with_facet(&id, vec![variant(&name(other))], born, true);
        }
        born_then
    }

    /// How many of the first that `query` finds, with `year`, have ids starting with `prefix`.
    fn leading(idx: &FuzzyIndex, query: &str, year: u16, prefix: &str) -> usize {
        let found = idx.scored(&tokens(query), year, 0.0, 128, &|_: &str| true);
        assert_eq!(found.len(), 128);
        found
            .iter()
            .take_while(|m| m.id.starts_with(prefix))
            .count()
    }

    #[test]
    fn an_initial_weighs_the_namesakes_of_a_common_family_name() {
        let idx = FuzzyIndex::new("name");
        let given = [
            "burak", "mehmet", "ahmet", "mustafa", "ali", "emre", "can", "hasan",
        ];
        let buraks = crowd(&idx, &given, |g| format!("{g} yilmaz"), 1959);
        // A rarer name with the skeleton of the initial written together with the family
        // name (`byilmaz` and `williams` are both `blms`) takes no candidate's place.
        for i in 0..2_000 {
            let id = Arc::from(format!("williams-{i}"));
            idx.insert_with_facet(&id, vec![variant("brian williams")], 1959, true);
        }
        assert_eq!(leading(&idx, "B. Yılmaz", 1959, "burak-"), buraks);
    }

    #[test]
    fn the_one_consonant_of_a_latin_name_weighs_vowel_less_namesakes() {
        let idx = FuzzyIndex::new("name");
        let families: Vec<&str> = "العلوي الشامي حداد المصري التازي الأحمد القحطاني الزهراني"
            .split(' ')
            .collect();
        let alaouis = crowd(&idx, &families, |f| format!("كريم {f}"), 1984);
        assert_eq!(leading(&idx, "Karim Alaoui", 1984, "العلوي-"), alaouis);
        // And the other way: a vowel-less query finds the Latin spellings by it.
        let idx = FuzzyIndex::new("name");
        let families: Vec<&str> = "alaoui shami haddad masri tazi ahmad qahtani zahrani"
            .split(' ')
            .collect();
        let alaouis = crowd(&idx, &families, |f| format!("karim al {f}"), 1984);
        // (Those born a year off weigh more than namesakes of another family born that year.)
        assert!(leading(&idx, "كريم العلوي", 1984, "alaoui-") >= alaouis);
    }

    #[test]
    fn reasons_are_written_for_the_matches_kept_only() {
        let idx = index(&[
            ("robinson", &["Megan Robinson"]),
            ("walker", &["Megan Walker"]),
        ]);
        let all = |_: &str| true;
        let q = tokens("Megan Nobinsn");
        let mut found = idx.scored(&q, NO_FACET, 0.4, 10, &all);
        let seen: Vec<(&str, bool)> = found.iter().map(|m| (&*m.id, m.complete)).collect();
        // A distant spelling matches the token, however little it adds.
        assert_eq!(seen, [("robinson", true), ("walker", false)]);
        assert!(found.iter().all(|m| m.reasons.is_empty()));
        idx.remove("walker");
        idx.explain(&q, &mut found);
        let reasons = found[0].reasons.join("; ");
        assert!(reasons.contains("exact `megan`"), "{reasons}");
        assert!(
            reasons.contains("distant spelling `nobinsn` ~ `robinson`"),
            "{reasons}"
        );
        // Removed since: nothing to explain it by.
        assert!(found[1].reasons.is_empty());
        // `search` explains all it returns.
        let searched = idx.search(&q, 0.4, 10, &all);
        assert_eq!(searched[0].reasons, found[0].reasons);
    }

    #[test]
    fn remove_and_replace_forget_old_keys() {
        let idx = index(&[("a", &["Anna Karenina"])]);
        idx.insert(&Arc::from("a"), vec![variant("Emma Bovary")]);
        let all = |_: &str| true;
        assert!(hits(&idx, "Anna Karenina").is_empty());
        assert_eq!(idx.search(&tokens("Emma Bovary"), 0.8, 100, &all).len(), 1);
        idx.remove("a");
        assert!(idx.is_empty());
        assert!(
            idx.search(&tokens("Emma Bovary"), 0.0, 100, &all)
                .is_empty()
        );
    }

    #[test]
    fn names_written_together_must_be_spelled_alike() {
        let idx = index(&[("a", &["Mariadelcarmen Lopez"]), ("b", &["William Martin"])]);
        let hit = |q: &str| hits(&idx, q);
        let joined = hit("Maria del Carmen Lopez");
        assert_eq!(joined[0].id.as_ref(), "a");
        assert!(joined[0].score >= 0.9, "{joined:?}");
        assert_eq!(hit("Maria del Carmen Lopes")[0].id.as_ref(), "a");
        // A part added is another name, however alike the long strings look.
        assert!(hit("William Martins Sousa").is_empty());
        assert!(hit("Andrea Ben Ali").is_empty());
    }

    #[test]
    fn a_join_explains_both_of_its_tokens() {
        let idx = index(&[
            ("a", &["Raahul Chauhan"]),
            ("b", &["Viktoriia Shevchuk"]),
            ("c", &["Xuan Truong Bui"]),
            ("d", &["Jun Jie Hu"]),
            ("e", &["Katerina Marchenko"]),
        ]);
        let hit = |q: &str| hits(&idx, q);
        // `rahul lee` written together has the skeleton of `raahul`; `rahul` alone matches it.
        let rahul = hit("Rahul Lee");
        assert!(rahul.is_empty(), "{rahul:?}");
        // Alike by Jaro-Winkler for the shared start only, or by skeleton (`mrsnk`) alone.
        let viktor = hit("Viktor Wozniak");
        assert!(viktor.is_empty(), "{viktor:?}");
        let song = hit("Catherine Marie Song");
        assert!(song.is_empty(), "{song:?}");
        // Joins that are the name: another spelling, or the same written together.
        assert_eq!(hit("Bui XuanChuong")[0].id.as_ref(), "c");
        let junjie = hit("Junjie Hu");
        assert_eq!(junjie[0].id.as_ref(), "d");
        assert!(junjie[0].score >= 0.9, "{junjie:?}");
    }

    #[test]
    fn a_typing_error_across_a_hyphen_is_one_in_the_pair() {
        let idx = index(&[
            ("a", &["Oh Ha-jun"]),
            ("b", &["Oh Min-jun"]),
            ("c", &["Mun Jun-ho"]),
            ("d", &["Mun Jun-hee"]),
        ]);
        let hit = |q: &str| hits(&idx, q);
        for (query, id) in [("Oh aH-jun", "a"), ("Moon Junh-o", "c")] {
            let hits = hit(query);
            assert_eq!(hits[0].id.as_ref(), id, "{query}: {hits:?}");
            assert!(hits[0].score >= 0.9, "{query}: {hits:?}");
            assert!(hits[0].complete, "{query}: {hits:?}");
        }
        let reasons = hit("Oh aH-jun")[0].reasons.join("; ");
        assert!(reasons.contains("written together"), "{reasons}");
        // Pairs that differ past a typing error stay apart.
        let other = hit("Oh Ji-woo");
        assert!(other.is_empty(), "{other:?}");
    }

    #[test]
    fn an_article_typed_with_the_first_letter_of_the_name_is_the_article() {
        let idx = index(&[("a", &["Khaled Al-Khatib"]), ("b", &["Khaled Hatib"])]);
        let found = hits(&idx, "Khaled AlK-hatib");
        assert_eq!(found[0].id.as_ref(), "a", "{found:?}");
        assert!(found[0].complete && found[0].score >= 0.9, "{found:?}");
        assert!(
            found[0].reasons.iter().any(|r| r.contains("article")),
            "{found:?}"
        );
        // Without the article's letters, the name alone: the stored Hatib is exact.
        let plain = hits(&idx, "Khaled Hatib");
        assert_eq!(plain[0].id.as_ref(), "b", "{plain:?}");
    }

    #[test]
    fn an_article_mistyped_apart_weighs_as_an_article() {
        let idx = index(&[("a", &["Huda Al-Zahrani"]), ("b", &["Sami Al-Shami"])]);
        let hit = |q: &str| hits(&idx, q);
        for (query, id) in [("Huda lA-Zahrani", "a"), ("Sami Am-Shami", "b")] {
            let hits = hit(query);
            assert_eq!(hits[0].id.as_ref(), id, "{query}: {hits:?}");
            assert!(
                hits[0].complete && hits[0].score >= 0.85,
                "{query}: {hits:?}"
            );
            assert!(
                hits[0]
                    .reasons
                    .iter()
                    .any(|r| r.contains("mistyped article")),
                "{hits:?}"
            );
        }
        // Not a name of its own: first or last, or another syllable, it stays unexplained.
        for query in ["La Huda Zahrani", "Huda Zahrani La", "Huda Mi Zahrani"] {
            let hits = hit(query);
            assert!(hits.iter().all(|h| !h.complete), "{query}: {hits:?}");
        }
    }

    #[test]
    fn joins_splits_and_vowelless_scripts() {
        let idx = index(&[
            ("a", &["نورالدين إسماعيل الربيعي"]),
            ("b", &["Omar Sharif", "عمر شريف بن علي"]),
            ("c", &["정재 권"]),
        ]);
        let hit = |q: &str| hits(&idx, q);
        assert_eq!(hit("Noureddine Esmail El Rubaie")[0].id.as_ref(), "a");
        assert_eq!(hit("Omar Sharif Ben Ali")[0].id.as_ref(), "b");
        assert!(hit("Karim Sharif Ben Ali").is_empty());
        // A join never takes two tokens for what one of them matches as well.
        let idx = index(&[("a", &["رشيد حداد"])]);
        let found = hits(&idx, "Rachid Haddad");
        assert!(found[0].score > 0.85, "{found:?}");
        assert!(
            found[0].reasons.iter().all(|r| !r.contains("together")),
            "{found:?}"
        );
    }
}
