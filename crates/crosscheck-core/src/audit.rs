//! The audit trail's entries and their hash chain. Every entry carries the hash of the one
//! before it and its own hash over its content, so altering, removing or reordering an entry
//! breaks the chain where it happened. Truncating the tail leaves a shorter valid chain: the
//! `head` that `verify` reports is what an auditor keeps to detect that later.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The `prev` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One lookup or write: who, when, what was asked, what was returned, and the outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Position in the trail, from 1, without gaps.
    pub seq: u64,
    /// RFC 3339, UTC, microseconds.
    pub at: String,
    /// The caller: `bureau:FRA`, `operator:NAME`, `auditor:NAME`, `dev:FRA` or `dev:platform`.
    pub who: String,
    /// The gRPC method.
    pub call: String,
    /// The request as received (query fields; a record write names the record).
    pub asked: String,
    /// Ids of the records returned or written.
    pub returned: Vec<String>,
    /// `ok`, or `code: message`.
    pub outcome: String,
    /// `hash` of the entry before; GENESIS for the first.
    pub prev: String,
    /// SHA-256 (hex) over the entry's other fields, `prev` included.
    pub hash: String,
}

/// An entry before the trail has placed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub who: String,
    pub call: String,
    pub asked: String,
    pub returned: Vec<String>,
    pub outcome: String,
}

/// An entry's fields with `hash` empty, borrowed: what the hash is taken over. Serialises to
/// the same bytes as the `Entry` with an empty hash (same fields, same order).
#[derive(Serialize)]
struct Unhashed<'a> {
    seq: u64,
    at: &'a str,
    who: &'a str,
    call: &'a str,
    asked: &'a str,
    returned: &'a [String],
    outcome: &'a str,
    prev: &'a str,
    hash: &'static str,
}

/// The JSON of an entry with an empty hash ends with this; the hash goes between the quotes.
const EMPTY_HASH_TAIL: &str = "\"hash\":\"\"}";

impl Entry {
    /// Places `draft` after the entry `prev` (None for the first) at time `at`; returns the
    /// entry and its JSON line, made by one serialisation.
    pub fn chain(draft: Draft, prev: Option<&Entry>, at: String) -> (Entry, String) {
        let mut entry = Entry {
            seq: prev.map_or(1, |p| p.seq + 1),
            at,
            who: draft.who,
            call: draft.call,
            asked: draft.asked,
            returned: draft.returned,
            outcome: draft.outcome,
            prev: prev.map_or_else(|| GENESIS.to_owned(), |p| p.hash.clone()),
            hash: String::new(),
        };
        let unhashed = entry.unhashed_json();
        entry.hash = hex(&Sha256::digest(unhashed.as_bytes()));
        let mut line = unhashed;
        line.truncate(line.len() - EMPTY_HASH_TAIL.len());
        line.push_str("\"hash\":\"");
        line.push_str(&entry.hash);
        line.push_str("\"}");
        (entry, line)
    }

    fn unhashed_json(&self) -> String {
        let view = Unhashed {
            seq: self.seq,
            at: &self.at,
            who: &self.who,
            call: &self.call,
            asked: &self.asked,
            returned: &self.returned,
            outcome: &self.outcome,
            prev: &self.prev,
            hash: "",
        };
        // Serialising strings and numbers cannot fail.
        serde_json::to_string(&view).unwrap_or_default()
    }

    /// The hash the entry should carry: over its JSON with `hash` empty.
    pub fn content_hash(&self) -> String {
        hex(&Sha256::digest(self.unhashed_json().as_bytes()))
    }

    pub fn to_json_line(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn from_json_line(line: &str) -> Result<Entry, String> {
        serde_json::from_str(line).map_err(|e| e.to_string())
    }
}

/// A hit on a record made by another country than its owner, kept for the owner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    /// Increasing per owner: the audit entry's seq, then the hit's place in that answer.
    pub cursor: u64,
    pub record_id: String,
    pub kind: String,
    /// The country whose lookup hit the record.
    pub by: String,
    pub at: String,
    pub call: String,
    pub audit_seq: u64,
}

/// Hits of one answer that get a notice each; more are left to the audit trail.
pub const NOTICES_PER_ENTRY: u64 = 1 << 16;

impl Notice {
    pub fn cursor(audit_seq: u64, place: u64) -> u64 {
        audit_seq * NOTICES_PER_ENTRY + place
    }

    pub fn to_json_line(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 15)] as char);
    }
    s
}

/// Where a chain stops holding.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Break {
    #[error("line {line}: not an audit entry: {reason}")]
    Unreadable { line: u64, reason: String },
    #[error("entry {seq}: altered (its hash does not match its content)")]
    Altered { seq: u64 },
    #[error(
        "entry {expected} missing, or entries out of order: entry {found} follows entry {after}"
    )]
    Gap {
        expected: u64,
        found: u64,
        after: u64,
    },
    #[error(
        "entry {seq}: does not follow the entry before it (its prev is not that entry's hash): removed, reordered or altered entries"
    )]
    Unlinked { seq: u64 },
}

/// What a verified chain holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verified {
    pub entries: u64,
    pub first: Option<u64>,
    /// Hash of the last entry: record it to detect a truncated tail later.
    pub head: Option<String>,
}

/// Checks entries in order. A chain that starts after seq 1 (an export with `--since`) is
/// checked from its first entry on; one that starts at 1 must start from GENESIS.
#[derive(Debug, Default)]
pub struct Verifier {
    last: Option<Entry>,
    verified: Verified,
}

impl Verifier {
    pub fn push(&mut self, entry: Entry) -> Result<(), Break> {
        if entry.content_hash() != entry.hash {
            return Err(Break::Altered { seq: entry.seq });
        }
        match &self.last {
            Some(last) if entry.seq != last.seq + 1 => {
                return Err(Break::Gap {
                    expected: last.seq + 1,
                    found: entry.seq,
                    after: last.seq,
                });
            }
            Some(last) if entry.prev != last.hash => {
                return Err(Break::Unlinked { seq: entry.seq });
            }
            None if entry.seq == 1 && entry.prev != GENESIS => {
                return Err(Break::Unlinked { seq: 1 });
            }
            Some(_) | None => {}
        }
        self.verified.entries += 1;
        self.verified.first.get_or_insert(entry.seq);
        self.verified.head = Some(entry.hash.clone());
        self.last = Some(entry);
        Ok(())
    }

    /// Reads one NDJSON line (`line` is its number, for the report).
    pub fn push_line(&mut self, line: u64, text: &str) -> Result<(), Break> {
        let entry =
            Entry::from_json_line(text).map_err(|reason| Break::Unreadable { line, reason })?;
        self.push(entry)
    }

    pub fn finish(self) -> Verified {
        self.verified
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(n: u64) -> Draft {
        Draft {
            who: "bureau:FRA".into(),
            call: "LookupDocument".into(),
            asked: format!("number: X{n}"),
            returned: vec![format!("D-{n}")],
            outcome: "ok".into(),
        }
    }

    fn trail(n: u64) -> Vec<Entry> {
        let mut entries: Vec<Entry> = Vec::new();
        for i in 1..=n {
            let (e, line) = Entry::chain(
                draft(i),
                entries.last(),
                format!("2026-11-23T10:00:{i:02}Z"),
            );
            // The line made with the hash is the entry's own serialisation.
            assert_eq!(line, e.to_json_line());
            assert_eq!(Entry::from_json_line(&line).as_ref(), Ok(&e));
            entries.push(e);
        }
        entries
    }

    fn verify(entries: &[Entry]) -> Result<Verified, Break> {
        let mut v = Verifier::default();
        for e in entries {
            v.push(e.clone())?;
        }
        Ok(v.finish())
    }

    #[test]
    fn an_untouched_chain_verifies_and_reports_its_head() {
        let entries = trail(5);
        let v = verify(&entries).expect("valid");
        assert_eq!(v.entries, 5);
        assert_eq!(v.head.as_deref(), Some(entries[4].hash.as_str()));
        assert_eq!(entries[0].prev, GENESIS);
        // A slice from the middle (an export with --since) verifies on its own.
        assert_eq!(verify(&entries[2..]).expect("valid").first, Some(3));
    }

    #[test]
    fn a_changed_field_is_found_at_its_entry() {
        let mut entries = trail(5);
        entries[2].returned.clear();
        assert_eq!(verify(&entries), Err(Break::Altered { seq: 3 }));
        // Rehashing the altered entry moves the break to the next one.
        entries[2].hash = entries[2].content_hash();
        assert_eq!(verify(&entries), Err(Break::Unlinked { seq: 4 }));
    }

    #[test]
    fn removed_and_reordered_entries_are_found() {
        let mut entries = trail(5);
        entries.remove(1);
        assert_eq!(
            verify(&entries),
            Err(Break::Gap {
                expected: 2,
                found: 3,
                after: 1
            })
        );
        let mut entries = trail(5);
        entries.swap(1, 2);
        assert!(matches!(verify(&entries), Err(Break::Gap { .. })));
        // Renumbering a removal away still breaks the links.
        let mut entries = trail(5);
        entries.remove(1);
        for e in &mut entries[1..] {
            e.seq -= 1;
            e.hash = e.content_hash();
        }
        assert_eq!(verify(&entries), Err(Break::Unlinked { seq: 2 }));
    }

    #[test]
    fn a_line_that_is_not_an_entry_is_named() {
        let mut v = Verifier::default();
        assert!(matches!(
            v.push_line(7, "{\"seq\":1}"),
            Err(Break::Unreadable { line: 7, .. })
        ));
    }
}
