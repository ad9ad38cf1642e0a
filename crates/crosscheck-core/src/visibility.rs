//! The rule that must never break: who may see a record.

use crate::country::CountryCode;
use crate::record::{Review, Visibility};

/// On whose behalf a call is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caller {
    /// A member country's bureau: sees its own records and the cleared ones shared with it.
    Country(CountryCode),
    /// The central platform loading or exporting its members' data (development servers and
    /// operator identities only): sees and writes every record, but never changes an owner.
    Platform,
}

impl Caller {
    pub fn may_see(self, v: &Visibility) -> bool {
        match self {
            Caller::Platform => true,
            Caller::Country(c) => may_see(v, c),
        }
    }
}

/// The owner always; anyone else only when the record is cleared and either unrestricted or
/// restricted to a list naming them.
pub fn may_see(v: &Visibility, caller: CountryCode) -> bool {
    if caller == v.owner {
        return true;
    }
    if v.review != Review::Cleared {
        return false;
    }
    match &v.restricted_to {
        Some(list) if !list.is_empty() => list.contains(&caller),
        _ => true,
    }
}

/// Whether every caller may see the record: cleared and restricted to no list.
pub fn open_to_all(v: &Visibility) -> bool {
    v.review == Review::Cleared && v.restricted_to.as_ref().is_none_or(|l| l.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn code(i: u8) -> CountryCode {
        CountryCode::parse(["FRA", "DEU", "ITA", "ESP", "GBR"][i as usize % 5]).unwrap()
    }

    proptest! {
        /// Against the rule spelled out as plainly as possible.
        #[test]
        fn matches_the_written_rule(owner in 0u8..5, review in 0usize..3,
                                    restricted in proptest::option::of(proptest::collection::vec(0u8..5, 0..4)),
                                    caller in 0u8..5) {
            let v = Visibility {
                owner: code(owner),
                review: Review::ALL[review],
                restricted_to: restricted.as_ref().map(|l| l.iter().map(|i| code(*i)).collect()),
            };
            let restricted_names_caller = restricted.as_ref()
                .is_none_or(|l| l.is_empty() || l.iter().any(|i| code(*i) == code(caller)));
            let expected = code(owner) == code(caller)
                || (Review::ALL[review] == Review::Cleared && restricted_names_caller);
            prop_assert_eq!(may_see(&v, code(caller)), expected);
            prop_assert!(Caller::Platform.may_see(&v));
            // Open to all is open to each: a search may spare it the question.
            let to_each = (0..5).all(|c| may_see(&v, code(c)));
            if open_to_all(&v) {
                prop_assert!(to_each);
            }
        }
    }
}
