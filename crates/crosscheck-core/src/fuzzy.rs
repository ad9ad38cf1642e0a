//! A sharded inverted index over folded name tokens: candidate generation by exact and phonetic
//! keys (never a scan of every entry), then a token alignment score with readable reasons.
//! Persons and artworks (titles, artists) both stand on it.

use std::sync::Arc;

use ahash::AHashMap;

use crate::names::{jaro_winkler, skeleton, token_similarity};
use crate::shard::{Sharded, shard_of, sharded};

/// Posting lists longer than this are too common to say anything (think `mohammed`, `wang`)
/// unless no rarer key of the query finds anything.
const COMMON_KEY: usize = 20_000;

/// One alternative spelling of an entry: its tokens in reading order.
pub type Variant = Box<[Box<str>]>;

#[derive(Debug, Clone)]
pub struct FuzzyMatch {
    pub id: Arc<str>,
    pub score: f64,
    pub reasons: Vec<String>,
}

struct Entry {
    id: Arc<str>,
    variants: Box<[Variant]>,
}

#[derive(Default)]
struct Shard {
    slots: Vec<Option<Entry>>,
    free: Vec<u32>,
    by_id: AHashMap<Arc<str>, u32>,
    postings: AHashMap<Box<str>, Vec<u32>>,
}

pub struct FuzzyIndex {
    /// Names the compared thing in reasons: `name`, `title`, `artist`.
    label: &'static str,
    shards: Sharded<Shard>,
}

fn keys(variants: &[Variant]) -> impl Iterator<Item = String> + '_ {
    variants
        .iter()
        .flat_map(|v| v.iter())
        .filter(|t| t.len() > 1)
        .flat_map(|t| [format!("t:{t}"), format!("s:{}", skeleton(t))])
}

impl FuzzyIndex {
    pub fn new(label: &'static str) -> Self {
        FuzzyIndex {
            label,
            shards: sharded(),
        }
    }

    pub fn len(&self) -> usize {
        self.shards.iter().map(|s| s.read().by_id.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn insert(&self, id: &Arc<str>, variants: Vec<Variant>) {
        self.remove(id);
        let variants: Box<[Variant]> = variants.into_iter().filter(|v| !v.is_empty()).collect();
        if variants.is_empty() {
            return;
        }
        let mut shard = self.shards[shard_of(id.as_bytes())].write();
        let mut unique: Vec<String> = keys(&variants).collect();
        unique.sort_unstable();
        unique.dedup();
        let entry = Entry {
            id: id.clone(),
            variants,
        };
        let slot = match shard.free.pop() {
            Some(s) => {
                shard.slots[s as usize] = Some(entry);
                s
            }
            None => {
                shard.slots.push(Some(entry));
                (shard.slots.len() - 1) as u32
            }
        };
        shard.by_id.insert(id.clone(), slot);
        for k in unique {
            shard.postings.entry(k.into()).or_default().push(slot);
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
        for k in keys(&entry.variants) {
            if let Some(list) = shard.postings.get_mut(k.as_str()) {
                list.retain(|s| *s != slot);
                if list.is_empty() {
                    shard.postings.remove(k.as_str());
                }
            }
        }
        shard.free.push(slot);
    }

    /// Entries whose best variant scores at least `floor` against `query`, best first. At most
    /// `max_candidates` entries are scored, the ones sharing the most and rarest keys with the
    /// query; `visible` is asked before a candidate takes one of those places.
    pub fn search(
        &self,
        query: &[String],
        floor: f64,
        max_candidates: usize,
        visible: &dyn Fn(&str) -> bool,
    ) -> Vec<FuzzyMatch> {
        let query: Vec<&str> = query.iter().map(String::as_str).collect();
        if query.is_empty() {
            return Vec::new();
        }
        let qkeys: Vec<String> = query
            .iter()
            .filter(|t| t.len() > 1)
            .flat_map(|t| [format!("t:{t}"), format!("s:{}", skeleton(t))])
            .collect();
        // Phase 1: the best-weighted visible candidates of every shard, then of all shards.
        let mut candidates: Vec<(f64, usize, u32)> = Vec::new();
        for (shard_no, shard) in self.shards.iter().enumerate() {
            let shard = shard.read();
            let lists: Vec<&Vec<u32>> = qkeys
                .iter()
                .filter_map(|k| shard.postings.get(k.as_str()))
                .collect();
            let any_rare = lists.iter().any(|l| l.len() <= COMMON_KEY);
            let mut weight: AHashMap<u32, f64> = AHashMap::new();
            for list in lists {
                if any_rare && list.len() > COMMON_KEY {
                    continue;
                }
                let w = 1.0 / (1.0 + (list.len() as f64).ln());
                for &slot in list {
                    *weight.entry(slot).or_default() += w;
                }
            }
            let mut ranked: Vec<(u32, f64)> = weight.into_iter().collect();
            ranked.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            let visible_slots = ranked
                .into_iter()
                .filter(|(slot, _)| {
                    shard.slots[*slot as usize]
                        .as_ref()
                        .is_some_and(|e| visible(&e.id))
                })
                .take(max_candidates);
            candidates.extend(visible_slots.map(|(slot, w)| (w, shard_no, slot)));
        }
        candidates.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then((a.1, a.2).cmp(&(b.1, b.2))));
        candidates.truncate(max_candidates);
        candidates.sort_unstable_by_key(|c| (c.1, c.2));
        // Phase 2: score them, one lock per shard.
        let mut out = Vec::new();
        for group in candidates.chunk_by(|a, b| a.1 == b.1) {
            let shard = self.shards[group[0].1].read();
            for &(_, _, slot) in group {
                let Some(entry) = shard.slots[slot as usize].as_ref() else {
                    continue;
                };
                let best = entry
                    .variants
                    .iter()
                    .map(|v| self.align(&query, v))
                    .max_by(|a, b| a.0.total_cmp(&b.0));
                if let Some((score, reasons)) = best
                    && score >= floor
                {
                    out.push(FuzzyMatch {
                        id: entry.id.clone(),
                        score,
                        reasons,
                    });
                }
            }
        }
        out.sort_unstable_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
        out
    }

    /// Order-independent greedy alignment of query tokens to stored tokens.
    fn align(&self, query: &[&str], stored: &[Box<str>]) -> (f64, Vec<String>) {
        let mut pairs = Vec::with_capacity(query.len() * stored.len());
        for (qi, q) in query.iter().enumerate() {
            for (si, s) in stored.iter().enumerate() {
                let (sim, how) = token_similarity(q, s);
                if sim > 0.0 {
                    pairs.push((sim, qi, si, how));
                }
            }
        }
        pairs.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        let mut q_used = vec![false; query.len()];
        let mut s_used = vec![false; stored.len()];
        let (mut q_sum, mut reasons) = (0.0, Vec::new());
        for (sim, qi, si, how) in pairs {
            if q_used[qi] || s_used[si] {
                continue;
            }
            q_used[qi] = true;
            s_used[si] = true;
            q_sum += sim;
            if how == "exact" {
                reasons.push(format!("{}: exact `{}`", self.label, stored[si]));
            } else {
                reasons.push(format!(
                    "{}: {how} `{}` ~ `{}`",
                    self.label, query[qi], stored[si]
                ));
            }
        }
        let q_cov = q_sum / query.len() as f64;
        let s_cov = s_used.iter().filter(|u| **u).count() as f64 / stored.len() as f64;
        let aligned = 0.85 * q_cov + 0.15 * s_cov;
        // Compounds written joined or split ("xiaoming" / "xiao ming"), in either order.
        let joined_q: String = query.concat();
        let forward: String = stored.concat();
        let backward: String = stored.iter().rev().map(|s| &**s).collect();
        let joined = jaro_winkler(&joined_q, &forward).max(jaro_winkler(&joined_q, &backward));
        if joined >= 0.93 && joined * 0.95 > aligned {
            let reason = format!(
                "{}: written together `{joined_q}` ~ `{forward}`",
                self.label
            );
            return (joined * 0.95, vec![reason]);
        }
        if query.iter().zip(&q_used).any(|(_, u)| !u) {
            reasons.push(format!("{}: part of the query not found", self.label));
        }
        (aligned, reasons)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::names::tokens;

    fn variant(s: &str) -> Variant {
        tokens(s).into_iter().map(Into::into).collect()
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
    fn finds_across_order_spelling_and_script() {
        let idx = index(&[
            ("a", &["Пётр Смирнов"]),
            ("b", &["Petra Smith"]),
            ("c", &["Wang Xiao Ming"]),
        ]);
        let all = |_: &str| true;
        let hit = |q: &str| idx.search(&tokens(q), 0.8, 100, &all);
        assert_eq!(hit("SMIRNOW PETR")[0].id.as_ref(), "a");
        assert_eq!(hit("Xiaoming Wang")[0].id.as_ref(), "c");
        assert!(hit("Boris Johnson").is_empty());
        assert!(
            idx.search(&tokens("Petr Smirnov"), 0.8, 100, &|id| id != "a")
                .is_empty()
        );
    }

    #[test]
    fn remove_and_replace_forget_old_keys() {
        let idx = index(&[("a", &["Anna Karenina"])]);
        idx.insert(&Arc::from("a"), vec![variant("Emma Bovary")]);
        let all = |_: &str| true;
        assert!(
            idx.search(&tokens("Anna Karenina"), 0.8, 100, &all)
                .is_empty()
        );
        assert_eq!(idx.search(&tokens("Emma Bovary"), 0.8, 100, &all).len(), 1);
        idx.remove("a");
        assert!(idx.is_empty());
        assert!(
            idx.search(&tokens("Emma Bovary"), 0.0, 100, &all)
                .is_empty()
        );
    }
}
