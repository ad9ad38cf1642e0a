//! Seeded synthetic data for `crosscheck gen` (and demo stores): persons, documents and objects
//! in the NDJSON format of `records.md`, canonical form, streamed line by line.
//!
//! Memory stays constant whatever the counts: every record draws its randomness from
//! `(seed, kind, index)` alone, and links are index arithmetic (see [`LinkPlan`]), never stored
//! lists. Only integer arithmetic is used, so a configuration gives the same bytes on every
//! platform. Record `i` of a kind does not depend on the counts of the other kinds, except for
//! the links into them.

use std::io::{self, Write};

use crate::identifier;

/// How many records of each kind to generate, and the seed that fixes their content.
#[derive(Debug, Clone)]
pub struct GenConfig {
    pub persons: u64,
    pub documents: u64,
    pub objects: u64,
    pub seed: u64,
}

/// Writes `config.persons` persons, then the documents, then the objects, one record per line.
/// Every record is one `write_all`: pass a buffered writer.
pub fn generate(config: &GenConfig, out: &mut impl Write) -> io::Result<()> {
    let mut generator = Generator::new(config);
    for index in 0..config.persons {
        generator.person(index);
        out.write_all(generator.line.as_bytes())?;
    }
    for index in 0..config.documents {
        generator.document(index);
        out.write_all(generator.line.as_bytes())?;
    }
    for index in 0..config.objects {
        generator.object(index);
        out.write_all(generator.line.as_bytes())?;
    }
    Ok(())
}

/// One name part as the generator writes it: in the culture's own form, in the Latin form a
/// travel document prints, and in another spelling (a second romanisation system or a common
/// misspelling; see `Culture::variant`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NameForms {
    pub native: String,
    pub latin: String,
    pub variant: String,
}

/// What a generated person's names were written from: ground truth for accuracy benchmarks.
#[derive(Debug, Clone)]
pub struct PersonTruth {
    /// The first home country of the culture the names come from (ISO alpha-3).
    pub culture: &'static str,
    /// The culture has its own script: `latin` is a transliteration of `native`.
    pub own_script: bool,
    /// The culture writes the family name first.
    pub family_first: bool,
    /// The native full name is written without a space (Han, kana, Hangul).
    pub joined: bool,
    pub given: NameForms,
    pub family: NameForms,
}

/// Persons one at a time with their [`PersonTruth`]; each line is the one [`generate`] writes
/// for the same configuration.
pub struct PersonSource {
    generator: Generator,
}

impl PersonSource {
    pub fn new(config: &GenConfig) -> PersonSource {
        PersonSource {
            generator: Generator::new(config),
        }
    }

    /// Person `index`: its record line (with the newline) and what its names were made from.
    pub fn person(&mut self, index: u64) -> (&str, PersonTruth) {
        let generator = &mut self.generator;
        generator.person(index);
        let culture = person_core(generator.seed, index).0;
        let parts = &generator.names;
        let scratch = &mut generator.scratch;
        let forms = |native: &str, latin: &str, scratch: &mut String| {
            let mut variant = String::new();
            render(
                &mut variant,
                scratch,
                native,
                latin,
                culture,
                Script::Variant,
                false,
            );
            NameForms {
                native: native.to_owned(),
                latin: latin.to_owned(),
                variant,
            }
        };
        let truth = PersonTruth {
            culture: culture.homes.first().copied().unwrap_or(""),
            own_script: culture.native_script,
            family_first: culture.family_first,
            joined: culture.joined,
            given: forms(&parts.given_native, &parts.given_latin, scratch),
            family: forms(&parts.family_native, &parts.family_latin, scratch),
        };
        (&generator.line, truth)
    }
}

// --- randomness -------------------------------------------------------------------------------

/// Independent random streams: one per kind, plus the facts about a person that documents
/// need too (so a document can agree with its holder without generating the whole person).
const STREAM_PERSON: u64 = 1;
const STREAM_DOCUMENT: u64 = 2;
const STREAM_OBJECT: u64 = 3;
const STREAM_PERSON_CORE: u64 = 4;
const STREAM_PERSON_LINKS: u64 = 5;
const STREAM_LINK_PLAN: u64 = 6;
const STREAM_NUMBERS: u64 = 7;

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// SplitMix64's finaliser: a bijective mix of all 64 bits.
const fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// xoshiro256**, seeded through SplitMix64: small, fast, and fully specified, so the output
/// never changes with a dependency's version (the `rand` crate makes no such promise).
struct Rng {
    s: [u64; 4],
}

impl Rng {
    fn new(seed: u64, stream: u64, index: u64) -> Rng {
        let mut state = mix64(mix64(seed ^ stream.wrapping_mul(GOLDEN)) ^ index);
        let mut next = || {
            state = state.wrapping_add(GOLDEN);
            mix64(state)
        };
        Rng {
            s: [next(), next(), next(), next()],
        }
    }

    fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// Uniform in `0..n` (Lemire's multiply-shift; the bias is below 2^-40 for our `n`).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    fn index(&mut self, len: usize) -> usize {
        self.below(len as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.index(items.len())]
    }

    fn word(&mut self, words: &[&'static str]) -> &'static str {
        words[self.index(words.len())]
    }

    fn percent(&mut self, p: u64) -> bool {
        self.below(100) < p
    }

    /// An index into `weights`, chosen in proportion to the weights.
    fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
        let mut r = self.below(total);
        for (i, &w) in weights.iter().enumerate() {
            if r < u64::from(w) {
                return i;
            }
            r -= u64::from(w);
        }
        weights.len().saturating_sub(1)
    }

    /// Inclusive range.
    fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.below(high - low + 1)
    }
}

/// A keyed permutation of `0..capacity`: a 4-round Feistel network on the smallest even number
/// of bits that covers `capacity`, cycle-walking until the value falls inside. Distinct inputs
/// give distinct outputs, which is what keeps generated numbers unique at any scale without
/// remembering which were handed out.
fn permute(x: u64, capacity: u64, key: u64) -> u64 {
    if capacity <= 1 {
        return 0;
    }
    let bits = (64 - (capacity - 1).leading_zeros() + 1) & !1;
    let half = bits / 2;
    let mask = (1u64 << half) - 1;
    let mut y = x % capacity;
    loop {
        let (mut left, mut right) = (y >> half, y & mask);
        for round in 0..4u64 {
            let f = mix64(right ^ key.wrapping_add(round.wrapping_mul(GOLDEN))) & mask;
            (left, right) = (right, left ^ f);
        }
        y = (left << half) | right;
        if y < capacity {
            return y;
        }
    }
}

// --- links ------------------------------------------------------------------------------------

/// Which documents a person holds, by arithmetic so that nothing is stored: document `d`
/// belongs to person `(mul * (d mod P) + add) mod P` as that person's document number `d / P`,
/// and a person holds their first 0 to 3 (see [`documents_held`]). `mul` is coprime with `P`,
/// so the map is invertible both ways and scatters a person's documents over the file.
struct LinkPlan {
    persons: u64,
    documents: u64,
    mul: u64,
    mul_inverse: u64,
    add: u64,
}

impl LinkPlan {
    fn new(config: &GenConfig) -> LinkPlan {
        let persons = config.persons;
        let (mut mul, add) = if persons == 0 {
            (0, 0)
        } else {
            let mut rng = Rng::new(config.seed, STREAM_LINK_PLAN, 0);
            (rng.below(persons), rng.below(persons))
        };
        while persons > 1 && gcd(mul, persons) != 1 {
            mul = (mul + 1) % persons;
        }
        LinkPlan {
            persons,
            documents: config.documents,
            mul,
            mul_inverse: mod_inverse(mul, persons),
            add,
        }
    }

    /// The person a document belongs to and its rank among that person's documents.
    fn holder_of(&self, document: u64) -> Option<(u64, u64)> {
        if self.persons == 0 {
            return None;
        }
        let p = u128::from(self.persons);
        let r = u128::from(document % self.persons);
        let person = (u128::from(self.mul) * r + u128::from(self.add)) % p;
        Some((person as u64, document / self.persons))
    }

    /// The index of a person's document of the given rank, if that many documents exist.
    fn document_of(&self, person: u64, rank: u64) -> Option<u64> {
        if self.persons == 0 {
            return None;
        }
        let p = u128::from(self.persons);
        let shifted = (u128::from(person) + p - u128::from(self.add) % p) % p;
        let r = (shifted * u128::from(self.mul_inverse)) % p;
        let document = u128::from(rank) * p + r;
        (document < u128::from(self.documents)).then_some(document as u64)
    }
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// `a^-1 mod m` for `a` coprime with `m` (extended Euclid); 0 when `m <= 1`.
fn mod_inverse(a: u64, m: u64) -> u64 {
    if m <= 1 {
        return 0;
    }
    let (mut old_r, mut r) = (i128::from(a), i128::from(m));
    let (mut old_s, mut s) = (1i128, 0i128);
    while r != 0 {
        let q = old_r / r;
        (old_r, r) = (r, old_r - q * r);
        (old_s, s) = (s, old_s - q * s);
    }
    old_s.rem_euclid(i128::from(m)) as u64
}

/// How many documents person `p` holds (0 to 3), drawn from its own stream so that documents
/// can ask without generating the person.
fn documents_held(seed: u64, person: u64) -> u64 {
    Rng::new(seed, STREAM_PERSON_LINKS, person).weighted(&[40, 35, 17, 8]) as u64
}

/// The culture a person's names come from and their first nationality: documents held by the
/// person are issued by that country.
fn person_core(seed: u64, person: u64) -> (&'static Culture, &'static str) {
    let mut rng = Rng::new(seed, STREAM_PERSON_CORE, person);
    let culture = &CULTURES[rng.weighted(&CULTURE_WEIGHTS)];
    // Some people hold the nationality of the country they live in, not of their names.
    let nationality = if rng.percent(10) {
        *rng.pick(COUNTRIES)
    } else {
        *rng.pick(culture.homes)
    };
    (culture, nationality)
}

// --- dates ------------------------------------------------------------------------------------

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
const fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = if month > 2 { month - 3 } else { month + 9 };
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(days: i64) -> (i64, u64, u64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u64;
    let month = (if mp < 10 { mp + 3 } else { mp - 9 }) as u64;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_in_month(year: u64, month: u64) -> u64 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

const REPORTED_FROM: i64 = days_from_civil(2005, 1, 1);
const UPDATED_FROM: i64 = days_from_civil(2015, 1, 1);
const LAST_DAY: i64 = days_from_civil(2025, 12, 31);

// --- JSON output ------------------------------------------------------------------------------

/// A JSON string literal, escaped as serde_json escapes it, so a generated line is
/// byte-identical to its canonical re-serialisation.
fn push_json_str(out: &mut String, s: &str) {
    out.push('"');
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.push_str(s);
    } else {
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                '\u{8}' => out.push_str("\\b"),
                '\u{c}' => out.push_str("\\f"),
                c if u32::from(c) < 0x20 => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    let b = u32::from(c) as usize;
                    out.push_str("\\u00");
                    out.push(char::from(HEX[b >> 4]));
                    out.push(char::from(HEX[b & 0xf]));
                }
                c => out.push(c),
            }
        }
    }
    out.push('"');
}

/// Decimal, left-padded with zeros to `width`.
fn push_num(out: &mut String, mut n: u64, width: usize) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for _ in (digits.len() - start)..width {
        out.push('0');
    }
    for &d in &digits[start..] {
        out.push(char::from(d));
    }
}

/// `,"key":` (every field but `kind` follows another).
fn push_key(out: &mut String, key: &str) {
    out.push_str(",\"");
    out.push_str(key);
    out.push_str("\":");
}

fn push_field(out: &mut String, key: &str, value: &str) {
    push_key(out, key);
    push_json_str(out, value);
}

fn push_id(out: &mut String, prefix: char, index: u64) {
    out.push(prefix);
    out.push('-');
    push_num(out, index, 9);
}

fn push_date(out: &mut String, days: i64) {
    let (year, month, day) = civil_from_days(days);
    push_num(out, year as u64, 4);
    out.push('-');
    push_num(out, month, 2);
    out.push('-');
    push_num(out, day, 2);
}

/// Appends `s` with the first matching rule applied at each position: a cheap way to spell a
/// name differently (another transliteration, a dropped diacritic) without allocating.
fn apply_rules(out: &mut String, s: &str, rules: &[(&str, &str)]) {
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        match rules.iter().find(|(from, _)| rest.starts_with(from)) {
            Some((from, to)) => {
                out.push_str(to);
                rest = &rest[from.len()..];
            }
            None => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
}

fn push_upper(out: &mut String, s: &str) {
    for c in s.chars() {
        out.extend(c.to_uppercase());
    }
}

// --- printed number formats -------------------------------------------------------------------

/// A printed number: `template` characters are literal except the classes below, `alphabet`
/// is the class `^` of this format.
///
/// `#` digit, `@` letter, `*` letter or digit, `%` the 27 characters of German document
/// numbers, `~` a VIN character (no I, O, Q), `^` one of `alphabet`, `!` the check letter of a
/// Spanish DNI (of the digits so far), `$` the issuing country's code.
struct Format {
    template: &'static str,
    alphabet: &'static str,
}

const fn fmt(template: &'static str) -> Format {
    Format {
        template,
        alphabet: "",
    }
}

const fn fmt_with(template: &'static str, alphabet: &'static str) -> Format {
    Format { template, alphabet }
}

const DIGITS: &str = "0123456789";
const LETTERS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const ALNUM: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const GERMAN_DOC: &str = "0123456789CFGHJKLMNPRTVWXYZ";
const VIN_CHARS: &str = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ";
const DNI_LETTERS: &[u8; 23] = b"TRWAGMYFPDXBNJZSQVHLCKE";
/// Model year in the 10th VIN position, 2000 to 2025.
const VIN_YEARS: &[u8; 26] = b"Y123456789ABCDEFGHJKLMNPRS";

impl Format {
    fn class(&self, c: char) -> Option<&'static str> {
        match c {
            '#' => Some(DIGITS),
            '@' => Some(LETTERS),
            '*' => Some(ALNUM),
            '%' => Some(GERMAN_DOC),
            '~' => Some(VIN_CHARS),
            '^' => Some(self.alphabet),
            _ => None,
        }
    }

    /// How many distinct values the format prints; `None` if it does not fit in a u64.
    fn capacity(&self) -> Option<u64> {
        self.template
            .chars()
            .try_fold(1u64, |acc, c| match self.class(c) {
                Some(alphabet) => acc.checked_mul(alphabet.chars().count() as u64),
                None => Some(acc),
            })
    }

    /// Identifies what the format prints once normalised (classes and alphabet, no literal
    /// separators), so formats that differ only in spaces or dashes share one permutation and
    /// cannot print the same number for two documents.
    fn key(&self) -> u64 {
        let classes = self.template.chars().filter(|&c| {
            self.class(c).is_some() || matches!(c, '!' | '$') || c.is_ascii_alphanumeric()
        });
        let mut hash = 0xCBF2_9CE4_8422_2325u64;
        for c in classes.chain(['|']).chain(self.alphabet.chars()) {
            hash = (hash ^ u64::from(c)).wrapping_mul(0x0000_0100_0000_01B3);
        }
        hash
    }

    /// Prints `value` (taken modulo the capacity) in mixed radix, most significant first.
    fn write(&self, out: &mut String, value: u64, country: &str) {
        let capacity = self.capacity().unwrap_or(u64::MAX);
        let mut divisor = capacity;
        let value = value % capacity.max(1);
        let mut number = 0u64;
        for c in self.template.chars() {
            match self.class(c) {
                Some(alphabet) => {
                    let radix = alphabet.chars().count() as u64;
                    divisor /= radix.max(1);
                    let digit = (value / divisor.max(1)) % radix.max(1);
                    let printed = if alphabet.is_ascii() {
                        char::from(alphabet.as_bytes()[digit as usize])
                    } else {
                        alphabet.chars().nth(digit as usize).unwrap_or('0')
                    };
                    if c == '#' {
                        number = number.wrapping_mul(10).wrapping_add(digit);
                    }
                    out.push(printed);
                }
                None => match c {
                    '!' => out.push(char::from(DNI_LETTERS[(number % 23) as usize])),
                    '$' => out.push_str(country),
                    literal => out.push(literal),
                },
            }
        }
    }

    fn write_random(&self, out: &mut String, rng: &mut Rng, country: &str) {
        let value = rng.below(self.capacity().unwrap_or(u64::MAX));
        self.write(out, value, country);
    }

    /// Prints the `index`-th value of a seeded permutation: unique for every index below the
    /// capacity.
    fn write_unique(&self, out: &mut String, seed: u64, index: u64, country: &str) {
        let capacity = self.capacity().unwrap_or(u64::MAX);
        let key = mix64(seed ^ mix64(STREAM_NUMBERS) ^ self.key());
        self.write(out, permute(index, capacity, key), country);
    }
}

// --- the generator ----------------------------------------------------------------------------

/// The parts of one person's name, native script and Latin, reused from record to record.
#[derive(Default)]
struct NameParts {
    given_native: String,
    given_latin: String,
    family_native: String,
    family_latin: String,
    other_native: String,
    other_latin: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Script {
    /// As the culture writes it (diacritics kept for Latin-script cultures).
    Native,
    /// The transliteration or the ASCII form a travel document prints.
    Latin,
    /// Another spelling: a second transliteration system or a common misspelling.
    Variant,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// `given` and `family`.
    Split,
    /// One `full` string in the culture's order.
    Full,
    /// `full` with the family name in capitals, as on a notice.
    FullUpperFamily,
}

#[derive(Clone, Copy, PartialEq, Eq)]
struct NameForm {
    script: Script,
    shape: Shape,
    /// Use the other family name (a maiden name or an alias surname).
    other_family: bool,
}

struct Generator {
    seed: u64,
    persons: u64,
    plan: LinkPlan,
    /// The line being built; written out whole.
    line: String,
    /// One value being assembled before it is escaped into `line`.
    value: String,
    /// Scratch for transformations of a value's parts.
    scratch: String,
    names: NameParts,
}

impl Generator {
    fn new(config: &GenConfig) -> Generator {
        Generator {
            seed: config.seed,
            persons: config.persons,
            plan: LinkPlan::new(config),
            line: String::with_capacity(1024),
            value: String::with_capacity(256),
            scratch: String::with_capacity(256),
            names: NameParts::default(),
        }
    }

    /// `{"kind":…,"id":…,"owner":…,"review":…` and `restricted_to` when drawn.
    fn begin(&mut self, rng: &mut Rng, kind: &str, prefix: char, index: u64, owner: &str) {
        let line = &mut self.line;
        line.clear();
        line.push_str("{\"kind\":\"");
        line.push_str(kind);
        line.push_str("\",\"id\":\"");
        push_id(line, prefix, index);
        line.push_str("\",\"owner\":\"");
        line.push_str(owner);
        line.push_str("\",\"review\":\"");
        line.push_str(match rng.below(100) {
            0..8 => "pending",
            8..10 => "refused",
            _ => "cleared",
        });
        line.push('"');
        if rng.percent(7) {
            // 1 to 3 other countries, distinct and sorted (COUNTRIES is sorted).
            let wanted = rng.between(1, 3) as usize;
            let mut picked = [0usize; 3];
            let mut count = 0;
            while count < wanted {
                let candidate = rng.index(COUNTRIES.len());
                if COUNTRIES[candidate] != owner && !picked[..count].contains(&candidate) {
                    picked[count] = candidate;
                    count += 1;
                }
            }
            picked[..count].sort_unstable();
            push_key(line, "restricted_to");
            line.push('[');
            for (i, &c) in picked[..count].iter().enumerate() {
                if i > 0 {
                    line.push(',');
                }
                push_json_str(line, COUNTRIES[c]);
            }
            line.push(']');
        }
    }

    /// `updated_at` on about half the records, never before `earliest` (days), then `}\n`.
    fn finish(&mut self, rng: &mut Rng, earliest: i64) {
        if rng.percent(50) {
            let from = earliest.clamp(UPDATED_FROM, LAST_DAY);
            let day = from + rng.below((LAST_DAY - from + 1) as u64) as i64;
            let seconds = rng.below(86_400);
            push_key(&mut self.line, "updated_at");
            self.line.push('"');
            push_date(&mut self.line, day);
            self.line.push('T');
            push_num(&mut self.line, seconds / 3600, 2);
            self.line.push(':');
            push_num(&mut self.line, seconds / 60 % 60, 2);
            self.line.push(':');
            push_num(&mut self.line, seconds % 60, 2);
            self.line.push_str("Z\"");
        }
        self.line.push_str("}\n");
    }

    fn person(&mut self, index: u64) {
        let (culture, nationality) = person_core(self.seed, index);
        let mut rng = Rng::new(self.seed, STREAM_PERSON, index);
        let owner = if rng.percent(55) {
            nationality
        } else {
            *rng.pick(COUNTRIES)
        };
        self.begin(&mut rng, "person", 'P', index, owner);

        let held = documents_held(self.seed, index);
        let mut first = true;
        for rank in 0..held {
            let Some(document) = self.plan.document_of(index, rank) else {
                break;
            };
            if first {
                push_key(&mut self.line, "links");
                self.line.push('[');
                first = false;
            } else {
                self.line.push(',');
            }
            self.line.push('"');
            push_id(&mut self.line, 'D', document);
            self.line.push('"');
        }
        if !first {
            self.line.push(']');
        }

        let sex = match rng.below(1000) {
            0..610 => Some("M"),
            610..970 => Some("F"),
            970..975 => Some("X"),
            _ => None,
        };
        // Names for X or unrecorded sex come from either pool.
        let female = if sex == Some("F") {
            true
        } else if sex == Some("M") {
            false
        } else {
            rng.percent(50)
        };
        self.names(&mut rng, culture, female);

        // Birth date: full 60%, year-month 20%, year 15%, absent 5%.
        let precision = rng.weighted(&[60, 20, 15, 5]);
        if precision < 3 {
            // Two uniform draws: most people recorded are between 25 and 60.
            let year = 1940 + rng.below(37) + rng.below(37);
            let month = rng.between(1, 12);
            let day = rng.between(1, days_in_month(year, month));
            push_key(&mut self.line, "birth_date");
            self.line.push('"');
            push_num(&mut self.line, year, 4);
            if precision < 2 {
                self.line.push('-');
                push_num(&mut self.line, month, 2);
            }
            if precision < 1 {
                self.line.push('-');
                push_num(&mut self.line, day, 2);
            }
            self.line.push('"');
        }
        if let Some(sex) = sex {
            push_field(&mut self.line, "sex", sex);
        }
        if rng.percent(97) {
            push_key(&mut self.line, "nationalities");
            self.line.push('[');
            push_json_str(&mut self.line, nationality);
            if rng.percent(12) {
                let second = *rng.pick(COUNTRIES);
                if second != nationality {
                    self.line.push(',');
                    push_json_str(&mut self.line, second);
                }
            }
            self.line.push(']');
        }
        if rng.percent(97) {
            let first = NOTICES[rng.weighted(&NOTICE_WEIGHTS)];
            let second = NOTICES[rng.weighted(&NOTICE_WEIGHTS)];
            push_key(&mut self.line, "notices");
            self.line.push('[');
            if rng.percent(12) && first != second {
                let (a, b) = if first < second {
                    (first, second)
                } else {
                    (second, first)
                };
                push_json_str(&mut self.line, a);
                self.line.push(',');
                push_json_str(&mut self.line, b);
            } else {
                push_json_str(&mut self.line, first);
            }
            self.line.push(']');
        }
        self.finish(&mut rng, UPDATED_FROM);
    }

    /// Draws the name parts, then writes `"names":[primary, aliases…]`.
    fn names(&mut self, rng: &mut Rng, culture: &Culture, female: bool) {
        let parts = &mut self.names;
        parts.given_native.clear();
        parts.given_latin.clear();
        let pool = if female { culture.female } else { culture.male };
        let given = *rng.pick(pool);
        parts.given_native.push_str(given.0);
        parts.given_latin.push_str(latin(given));
        if culture.two_given && rng.percent(12) {
            let second = *rng.pick(pool);
            if second != given {
                parts.given_native.push(' ');
                parts.given_native.push_str(second.0);
                parts.given_latin.push(' ');
                parts.given_latin.push_str(latin(second));
            }
        }
        let double = culture.double_family && rng.percent(50);
        draw_family(
            rng,
            culture,
            female,
            double,
            &mut parts.family_native,
            &mut parts.family_latin,
        );
        draw_family(
            rng,
            culture,
            female,
            double,
            &mut parts.other_native,
            &mut parts.other_latin,
        );

        let script = if culture.native_script {
            if rng.percent(75) {
                Script::Native
            } else {
                Script::Latin
            }
        } else if rng.percent(85) {
            Script::Native
        } else {
            Script::Latin
        };
        let shape = match rng.weighted(&[75, 20, 5]) {
            0 => Shape::Split,
            1 => Shape::Full,
            // Capitals mean nothing in Han, kana, Hangul or the scripts without case.
            _ if script == Script::Native && culture.native_script => Shape::Full,
            _ => Shape::FullUpperFamily,
        };
        let primary = NameForm {
            script,
            shape,
            other_family: false,
        };
        let split_or_full = |rng: &mut Rng| {
            if rng.percent(60) {
                Shape::Split
            } else {
                Shape::Full
            }
        };
        let mut candidates = [
            NameForm {
                script: Script::Latin,
                shape: split_or_full(rng),
                other_family: false,
            },
            NameForm {
                script: Script::Native,
                shape: Shape::Split,
                other_family: false,
            },
            NameForm {
                script: Script::Variant,
                shape: split_or_full(rng),
                other_family: false,
            },
            NameForm {
                script: Script::Latin,
                shape: Shape::FullUpperFamily,
                other_family: false,
            },
            NameForm {
                other_family: true,
                ..primary
            },
        ];
        let aliases = rng.weighted(&[45, 38, 17]);

        push_key(&mut self.line, "names");
        self.line.push('[');
        let mut written = [(0usize, 0usize); 3];
        let start = self.line.len();
        write_name(
            &mut self.line,
            &mut self.value,
            &mut self.scratch,
            &self.names,
            culture,
            primary,
        );
        written[0] = (start, self.line.len());
        let mut count = 1;
        let mut remaining = candidates.len();
        while count <= aliases && remaining > 0 {
            let pick = rng.index(remaining);
            let form = candidates[pick];
            candidates.swap(pick, remaining - 1);
            remaining -= 1;
            let before = self.line.len();
            self.line.push(',');
            let start = self.line.len();
            write_name(
                &mut self.line,
                &mut self.value,
                &mut self.scratch,
                &self.names,
                culture,
                form,
            );
            let end = self.line.len();
            let bytes = self.line.as_bytes();
            let duplicate = written[..count]
                .iter()
                .any(|&(s, e)| bytes[s..e] == bytes[start..end]);
            if duplicate {
                self.line.truncate(before);
            } else {
                written[count] = (start, end);
                count += 1;
            }
        }
        self.line.push(']');
    }

    fn document(&mut self, index: u64) {
        let mut rng = Rng::new(self.seed, STREAM_DOCUMENT, index);
        let holder = self
            .plan
            .holder_of(index)
            .filter(|&(person, rank)| rank < documents_held(self.seed, person))
            .map(|(person, _)| person);
        let issuing = match holder {
            Some(person) if rng.percent(90) => person_core(self.seed, person).1,
            Some(_) | None => *rng.pick(COUNTRIES),
        };
        let owner = if rng.percent(80) {
            issuing
        } else {
            *rng.pick(COUNTRIES)
        };
        self.begin(&mut rng, "document", 'D', index, owner);
        // A document points back at its holder only sometimes: links are one-way as written.
        if let Some(person) = holder
            && rng.percent(60)
        {
            push_key(&mut self.line, "links");
            self.line.push_str("[\"");
            push_id(&mut self.line, 'P', person);
            self.line.push_str("\"]");
        }

        let doc_type = DOC_TYPES[rng.weighted(&DOC_TYPE_WEIGHTS)];
        let status = DOC_STATUSES[rng.weighted(&DOC_STATUS_WEIGHTS)];
        let formats = document_formats(issuing, doc_type);
        let format = rng.pick(formats);
        self.value.clear();
        format.write_unique(&mut self.value, self.seed, index, issuing);
        push_field(&mut self.line, "number", &self.value);
        push_field(&mut self.line, "issuing_country", issuing);
        push_field(&mut self.line, "doc_type", doc_type);
        push_field(&mut self.line, "status", status);
        let mut earliest = UPDATED_FROM;
        if rng.percent(92) {
            let day = REPORTED_FROM + rng.below((LAST_DAY - REPORTED_FROM + 1) as u64) as i64;
            push_key(&mut self.line, "reported_on");
            self.line.push('"');
            push_date(&mut self.line, day);
            self.line.push('"');
            earliest = day;
        }
        self.finish(&mut rng, earliest);
    }

    fn object(&mut self, index: u64) {
        let mut rng = Rng::new(self.seed, STREAM_OBJECT, index);
        let owner = *rng.pick(COUNTRIES);
        self.begin(&mut rng, "object", 'O', index, owner);
        let object_type = OBJECT_TYPES[rng.weighted(&OBJECT_TYPE_WEIGHTS)];
        // A keeper or a suspect, for the kinds of objects people are linked to.
        if self.persons > 0
            && matches!(object_type, "vehicle" | "vessel" | "firearm" | "other")
            && rng.percent(12)
        {
            push_key(&mut self.line, "links");
            self.line.push_str("[\"");
            push_id(&mut self.line, 'P', rng.below(self.persons));
            self.line.push_str("\"]");
        }
        push_field(&mut self.line, "object_type", object_type);
        push_key(&mut self.line, "identifiers");
        self.line.push('{');
        self.value.clear();
        let mut ids = Identifiers {
            line: &mut self.line,
            value: &mut self.value,
            first: true,
        };
        let description = &mut self.scratch;
        description.clear();
        let with_description = match object_type {
            "vehicle" => vehicle(&mut ids, &mut rng, owner, description),
            "firearm" => firearm(&mut ids, &mut rng, description),
            "artwork" => artwork(&mut ids, &mut rng, description),
            "vessel" => vessel(&mut ids, &mut rng, description),
            "container" => container(&mut ids, &mut rng, self.seed, index, description),
            "phone" => phone(&mut ids, &mut rng, self.seed, index, description),
            "chemical" => chemical(&mut ids, &mut rng, description),
            _ => other_object(&mut ids, &mut rng, description),
        };
        self.line.push('}');
        let statuses = if object_type == "chemical" {
            &CHEMICAL_STATUS_WEIGHTS
        } else {
            &OBJECT_STATUS_WEIGHTS
        };
        push_field(
            &mut self.line,
            "status",
            OBJECT_STATUSES[rng.weighted(statuses)],
        );
        if with_description {
            push_field(&mut self.line, "description", &self.scratch);
        }
        self.finish(&mut rng, UPDATED_FROM);
    }
}

fn latin(pair: (&'static str, &'static str)) -> &'static str {
    if pair.1.is_empty() { pair.0 } else { pair.1 }
}

/// One family name (or two, Spanish style) into `native` and `latin`, in the female form
/// where the language has one.
fn draw_family(
    rng: &mut Rng,
    culture: &Culture,
    female: bool,
    double: bool,
    native: &mut String,
    latin_out: &mut String,
) {
    native.clear();
    latin_out.clear();
    let first = *rng.pick(culture.family);
    push_family(native, first.0, female, culture.feminine);
    push_family(latin_out, latin(first), female, culture.feminine);
    if double {
        let second = *rng.pick(culture.family);
        if second != first {
            native.push(' ');
            push_family(native, second.0, female, culture.feminine);
            latin_out.push(' ');
            push_family(latin_out, latin(second), female, culture.feminine);
        }
    }
}

fn push_family(out: &mut String, family: &str, female: bool, feminine: &[(&str, &str)]) {
    if female {
        for (ending, replacement) in feminine {
            if let Some(stem) = family.strip_suffix(ending) {
                out.push_str(stem);
                out.push_str(replacement);
                return;
            }
        }
    }
    out.push_str(family);
}

/// One name part in the requested script; `upper` for a family name in capitals.
fn render(
    out: &mut String,
    scratch: &mut String,
    native: &str,
    latin_form: &str,
    culture: &Culture,
    script: Script,
    upper: bool,
) {
    let text = match script {
        Script::Native => native,
        Script::Latin => latin_form,
        Script::Variant => {
            scratch.clear();
            let source = if culture.native_script {
                latin_form
            } else {
                native
            };
            apply_rules(scratch, source, culture.variant);
            scratch.as_str()
        }
    };
    if upper {
        push_upper(out, text);
    } else {
        out.push_str(text);
    }
}

/// One `{"given":…,"family":…}` or `{"full":…}` entry.
fn write_name(
    line: &mut String,
    value: &mut String,
    scratch: &mut String,
    parts: &NameParts,
    culture: &Culture,
    form: NameForm,
) {
    let (family_native, family_latin) = if form.other_family {
        (&parts.other_native, &parts.other_latin)
    } else {
        (&parts.family_native, &parts.family_latin)
    };
    let given = |value: &mut String, scratch: &mut String| {
        let (native, latin_form) = (&parts.given_native, &parts.given_latin);
        render(
            value,
            scratch,
            native,
            latin_form,
            culture,
            form.script,
            false,
        );
    };
    let family = |value: &mut String, scratch: &mut String, upper: bool| {
        render(
            value,
            scratch,
            family_native,
            family_latin,
            culture,
            form.script,
            upper,
        );
    };
    line.push('{');
    match form.shape {
        Shape::Split => {
            value.clear();
            given(value, scratch);
            line.push_str("\"given\":");
            push_json_str(line, value);
            value.clear();
            family(value, scratch, false);
            push_field(line, "family", value);
        }
        Shape::Full | Shape::FullUpperFamily => {
            let upper = form.shape == Shape::FullUpperFamily;
            let separator = if culture.joined && form.script == Script::Native {
                ""
            } else {
                " "
            };
            value.clear();
            if culture.family_first {
                family(value, scratch, upper);
                value.push_str(separator);
                given(value, scratch);
            } else {
                given(value, scratch);
                value.push_str(separator);
                family(value, scratch, upper);
            }
            line.push_str("\"full\":");
            push_json_str(line, value);
        }
    }
    line.push('}');
}

// --- objects ----------------------------------------------------------------------------------

/// Writes the members of the `identifiers` object.
struct Identifiers<'a> {
    line: &'a mut String,
    /// The value being built; `put` writes it out.
    value: &'a mut String,
    first: bool,
}

impl Identifiers<'_> {
    fn put(&mut self, key: &str) {
        if !self.first {
            self.line.push(',');
        }
        self.first = false;
        push_json_str(self.line, key);
        self.line.push(':');
        push_json_str(self.line, self.value);
        self.value.clear();
    }

    fn put_str(&mut self, key: &str, value: &str) {
        self.value.push_str(value);
        self.put(key);
    }
}

/// Each object writer fills `identifiers`, puts a description into `description` and says
/// whether to write it.
fn vehicle(ids: &mut Identifiers, rng: &mut Rng, owner: &str, description: &mut String) -> bool {
    let make = rng.pick(VEHICLE_MAKES);
    let model = rng.pick(make.models);
    let year = rng.between(2000, 2025);
    let with_plate = rng.percent(70);
    if !with_plate || rng.percent(92) {
        // WMI, five VDS characters, check digit, model year, plant, six-digit serial.
        let vin = &mut *ids.value;
        let random_char =
            |rng: &mut Rng| char::from(VIN_CHARS.as_bytes()[rng.index(VIN_CHARS.len())]);
        vin.push_str(make.wmi);
        for _ in 0..6 {
            vin.push(random_char(rng));
        }
        vin.push(char::from(VIN_YEARS[(year - 2000) as usize]));
        vin.push(random_char(rng));
        push_num(vin, rng.below(1_000_000), 6);
        if matches!(make.wmi.as_bytes().first(), Some(b'1'..=b'5')) {
            // North-American VINs must carry their check digit. The input is 17 valid VIN
            // characters by construction, so the fallback is never taken.
            let check = identifier::vin_check_digit(vin).unwrap_or('0');
            let mut buf = [0u8; 4];
            vin.replace_range(8..9, check.encode_utf8(&mut buf));
        }
        ids.put("vin");
    }
    if with_plate {
        let country = if rng.percent(75) {
            owner
        } else {
            *rng.pick(COUNTRIES)
        };
        plate_format(country).write_random(ids.value, rng, country);
        ids.put("plate");
        if rng.percent(90) {
            ids.put_str("plate_country", country);
        }
    }
    description.push_str(rng.word(COLOURS));
    description.push(' ');
    description.push_str(make.make);
    description.push(' ');
    description.push_str(model);
    description.push_str(" (");
    push_num(description, year, 4);
    description.push(')');
    rng.percent(60)
}

fn firearm(ids: &mut Identifiers, rng: &mut Rng, description: &mut String) -> bool {
    let gun = rng.pick(FIREARMS);
    fmt(gun.serial).write_random(ids.value, rng, "");
    ids.put("serial");
    if rng.percent(95) {
        ids.put_str("make", gun.make);
        if rng.percent(90) {
            ids.put_str("model", gun.model);
        }
    }
    if rng.percent(75) {
        ids.put_str("caliber", gun.caliber);
    }
    description.push_str(gun.kind);
    rng.percent(40)
}

fn artwork(ids: &mut Identifiers, rng: &mut Rng, description: &mut String) -> bool {
    let title = &mut *ids.value;
    match rng.weighted(&[30, 20, 12, 10, 10, 8, 10]) {
        0 => {
            title.push_str(rng.word(ART_ADJECTIVES));
            title.push(' ');
            title.push_str(rng.word(ART_NOUNS));
        }
        1 => {
            title.push_str(rng.word(ART_NOUNS));
            title.push_str(rng.word(&[" at ", " near ", " in "]));
            title.push_str(rng.word(ART_PLACES));
        }
        2 => {
            title.push_str("Portrait of ");
            title.push_str(rng.word(ART_SITTERS));
        }
        3 => {
            title.push_str("Still Life with ");
            title.push_str(rng.word(ART_THINGS));
        }
        4 => {
            title.push_str("View of ");
            title.push_str(rng.word(ART_PLACES));
        }
        5 => {
            title.push_str(rng.word(&["Composition No. ", "Study No. ", "Untitled No. "]));
            push_num(title, rng.between(1, 40), 1);
        }
        _ => title.push_str(rng.word(ART_RELIGIOUS)),
    }
    ids.put("title");
    if rng.percent(85) {
        if rng.percent(35) {
            ids.value.push_str(rng.word(ART_ATTRIBUTIONS));
        }
        ids.value.push_str(rng.word(ARTISTS));
        ids.put("artist");
    }
    if rng.percent(55) {
        rng.pick(INVENTORY_FORMATS).write_random(ids.value, rng, "");
        ids.put("inventory");
    }
    description.push_str(rng.word(ART_MEDIA));
    description.push_str(", ");
    push_num(description, rng.between(12, 180), 1);
    description.push_str(" x ");
    push_num(description, rng.between(12, 180), 1);
    description.push_str(" cm");
    rng.percent(70)
}

fn vessel(ids: &mut Identifiers, rng: &mut Rng, description: &mut String) -> bool {
    if rng.percent(55) {
        // A ship: IMO number, six digits and a check digit, mostly printed with its prefix.
        let imo = &mut *ids.value;
        if rng.percent(85) {
            imo.push_str("IMO ");
        }
        let digits_at = imo.len();
        let lead = match rng.weighted(&[70, 18, 12]) {
            0 => 9,
            1 => 8,
            _ => 7,
        };
        push_num(imo, lead * 100_000 + rng.below(100_000), 6);
        let check = identifier::imo_check_digit(&imo[digits_at..]).unwrap_or('0');
        imo.push(check);
        ids.put("imo");
        if rng.percent(15) {
            HULL_ID.write_random(ids.value, rng, "");
            ids.put("hull_id");
        }
        description.push_str(rng.word(SHIP_TYPES));
    } else {
        // Small craft carry a hull identification number instead.
        HULL_ID.write_random(ids.value, rng, "");
        ids.put("hull_id");
        description.push_str(rng.word(SMALL_CRAFT));
    }
    rng.percent(60)
}

fn container(
    ids: &mut Identifiers,
    rng: &mut Rng,
    seed: u64,
    index: u64,
    description: &mut String,
) -> bool {
    // Owner code and serial from a permutation of the object index: unique while there are
    // fewer objects than owners times a million.
    let capacity = CONTAINER_OWNERS.len() as u64 * 1_000_000;
    let value = permute(index, capacity, mix64(seed ^ mix64(STREAM_OBJECT ^ 0xC0)));
    let number = &mut *ids.value;
    number.push_str(CONTAINER_OWNERS[(value / 1_000_000) as usize]);
    push_num(number, value % 1_000_000, 6);
    let check = identifier::iso6346_check_digit(number).unwrap_or('0');
    match rng.weighted(&[60, 25, 15]) {
        0 => number.push(check),
        printed => {
            // As painted on the box: `MSCU 123456-5` or `MSCU 123456 5`.
            number.insert(4, ' ');
            number.push(if printed == 1 { '-' } else { ' ' });
            number.push(check);
        }
    }
    ids.put("container_number");
    description.push_str(rng.word(CARGO));
    rng.percent(45)
}

fn phone(
    ids: &mut Identifiers,
    rng: &mut Rng,
    seed: u64,
    index: u64,
    description: &mut String,
) -> bool {
    let handset = rng.pick(PHONES);
    // Reporting body prefix, then 12 digits from a permutation keyed by the prefix: IMEIs are
    // unique for the first 10^12 objects.
    let prefix_key = handset
        .prefix
        .bytes()
        .fold(0u64, |acc, b| acc << 8 | u64::from(b));
    let key = mix64(seed ^ mix64(STREAM_OBJECT ^ 0x1E) ^ prefix_key);
    let imei = &mut *ids.value;
    imei.push_str(handset.prefix);
    push_num(imei, permute(index, 1_000_000_000_000, key), 12);
    let check = identifier::luhn_check_digit(imei).unwrap_or('0');
    imei.push(check);
    if rng.percent(10) {
        // As printed on some boxes: AA-BBBBBB-CCCCCC-D.
        imei.insert(14, '-');
        imei.insert(8, '-');
        imei.insert(2, '-');
    }
    ids.put("imei");
    description.push_str(handset.make);
    description.push(' ');
    description.push_str(handset.model);
    rng.percent(60)
}

fn chemical(ids: &mut Identifiers, rng: &mut Rng, description: &mut String) -> bool {
    let (name, cas) = *rng.pick(CHEMICALS);
    ids.put_str("cas", cas);
    if rng.percent(70) {
        rng.pick(LOT_FORMATS).write_random(ids.value, rng, "");
        ids.put("lot");
    }
    if rng.percent(60) {
        rng.pick(CONSIGNMENT_FORMATS)
            .write_random(ids.value, rng, "");
        ids.put("consignment");
    }
    description.push_str(name);
    description.push_str(", ");
    push_num(description, rng.between(1, 80) * 25, 1);
    description.push_str(rng.word(&[" kg", " L"]));
    rng.percent(75)
}

fn other_object(ids: &mut Identifiers, rng: &mut Rng, description: &mut String) -> bool {
    rng.pick(SERIAL_FORMATS).write_random(ids.value, rng, "");
    ids.put("serial");
    description.push_str(rng.word(OTHER_ITEMS));
    rng.percent(80)
}
// --- tables -----------------------------------------------------------------------------------

/// Owners, nationalities, plate and issuing countries: real ISO 3166-1 alpha-3 codes, sorted
/// (so sorted indices give sorted codes).
const COUNTRIES: &[&str] = &[
    "AFG", "ALB", "ARE", "ARG", "ARM", "AUS", "AUT", "AZE", "BEL", "BGD", "BGR", "BIH", "BLR",
    "BRA", "CAN", "CHE", "CHL", "CHN", "COL", "CYP", "CZE", "DEU", "DNK", "DZA", "ECU", "EGY",
    "ESP", "EST", "ETH", "FIN", "FRA", "GBR", "GEO", "GHA", "GRC", "HKG", "HRV", "HUN", "IDN",
    "IND", "IRL", "IRN", "IRQ", "ISR", "ITA", "JOR", "JPN", "KAZ", "KEN", "KOR", "LBN", "LBY",
    "LKA", "LTU", "LUX", "LVA", "MAR", "MDA", "MEX", "MKD", "MNE", "MYS", "NGA", "NLD", "NOR",
    "NPL", "NZL", "PAK", "PER", "PHL", "POL", "PRT", "QAT", "ROU", "RUS", "SAU", "SEN", "SGP",
    "SRB", "SVK", "SVN", "SWE", "SYR", "THA", "TUN", "TUR", "TWN", "UKR", "USA", "UZB", "VEN",
    "VNM", "ZAF",
];

const NOTICES: [&str; 8] = [
    "red", "yellow", "blue", "black", "green", "orange", "purple", "un",
];
const NOTICE_WEIGHTS: [u32; 8] = [45, 25, 15, 3, 5, 2, 2, 3];

const DOC_TYPES: [&str; 5] = ["passport", "id_card", "visa", "residence_permit", "other"];
const DOC_TYPE_WEIGHTS: [u32; 5] = [55, 30, 4, 6, 5];
const DOC_STATUSES: [&str; 5] = ["stolen", "lost", "revoked", "invalidated", "stolen_blank"];
const DOC_STATUS_WEIGHTS: [u32; 5] = [40, 45, 5, 6, 4];

const OBJECT_TYPES: [&str; 8] = [
    "vehicle",
    "firearm",
    "artwork",
    "vessel",
    "container",
    "phone",
    "chemical",
    "other",
];
const OBJECT_TYPE_WEIGHTS: [u32; 8] = [35, 12, 8, 5, 8, 15, 5, 12];
const OBJECT_STATUSES: [&str; 4] = ["stolen", "lost", "seized", "wanted"];
const OBJECT_STATUS_WEIGHTS: [u32; 4] = [60, 10, 15, 15];
const CHEMICAL_STATUS_WEIGHTS: [u32; 4] = [40, 5, 45, 10];

/// Document number formats by issuing country and type, shaped like the real ones.
fn document_formats(country: &str, doc_type: &str) -> &'static [Format] {
    match doc_type {
        "passport" => match country {
            "DEU" => const { &[fmt_with("^%%%%%%%%", "CFGHJK")] },
            "FRA" => const { &[fmt("##@@#####")] },
            "GBR" | "USA" | "IRL" => const { &[fmt("#########")] },
            "ITA" | "JPN" | "POL" | "AUS" => const { &[fmt("@@#######")] },
            "ESP" => const { &[fmt("@@@######")] },
            "RUS" | "BLR" | "KAZ" => const { &[fmt("## #######")] },
            "UKR" | "CAN" | "BRA" => const { &[fmt("@@######")] },
            "CHN" => const { &[fmt_with("^########", "EG")] },
            "KOR" => const { &[fmt_with("^########", "MS")] },
            "IND" => const { &[fmt("@#######")] },
            "TUR" => const { &[fmt_with("^########", "USZ")] },
            "NLD" => const { &[fmt("@@******#")] },
            _ => const { &[fmt("@########"), fmt("@@#######"), fmt("@@ #######")] },
        },
        "id_card" => match country {
            "DEU" => const { &[fmt_with("^%%%%%%%%", "LMNPRT")] },
            "FRA" => const { &[fmt("*********"), fmt("############")] },
            "ESP" => const { &[fmt("########!"), fmt("########-!")] },
            "ITA" => const { &[fmt("@@ ##### @@"), fmt("@@#####@@")] },
            "BEL" => const { &[fmt("###-#######-##")] },
            "POL" => const { &[fmt("@@@######")] },
            "NLD" => const { &[fmt("@@******#")] },
            "ROU" => const { &[fmt("@@ ######")] },
            "PRT" => const { &[fmt("######## # @@#")] },
            _ => const { &[fmt("@@#######"), fmt("#########"), fmt("@-########")] },
        },
        "visa" => const { &[fmt("$#########"), fmt("@#######")] },
        "residence_permit" => const { &[fmt("@@#######"), fmt("@########")] },
        _ => const { &[fmt("@@@######"), fmt("*********"), fmt("##-@@-#####")] },
    }
}

/// Registration plate formats by country (random, not unique: plates are reissued).
fn plate_format(country: &str) -> Format {
    match country {
        "FRA" => fmt("@@-###-@@"),
        "DEU" => fmt_with("^-@@ ####", "BMKFHSDNLW"),
        "GBR" => fmt("@@## @@@"),
        "ITA" | "ARG" => fmt("@@ ### @@"),
        "ESP" => fmt_with("#### ^^^", "BCDFGHJKLMNPRSTVWXYZ"),
        "NLD" => fmt("##-@@@-#"),
        "BEL" => fmt("#-@@@-###"),
        "POL" => fmt("@@ #####"),
        "CHE" => fmt("@@ ######"),
        "AUT" => fmt_with("^-#####@", "WGLSK"),
        "USA" => fmt("#@@@###"),
        // The 12 Cyrillic plate letters, written with their Latin look-alikes.
        "RUS" => fmt_with("^###^^ ##", "ABEKMHOPCTYX"),
        "TUR" => fmt("## @@@ ###"),
        "UKR" | "BGR" => fmt("@@ #### @@"),
        "GRC" => fmt("@@@-####"),
        "SWE" => fmt("@@@ ##@"),
        "ROU" => fmt("@-##-@@@"),
        "BRA" => fmt("@@@#@##"),
        "MEX" => fmt("@@@-###-@"),
        "CHN" => fmt_with("^@·#####", "京沪粤苏浙鲁川渝津冀"),
        "IND" => fmt("@@ ## @@ ####"),
        "CZE" => fmt("#@# ####"),
        "HUN" => fmt("@@@-###"),
        "PRT" => fmt("@@-##-@@"),
        _ => fmt("@@@ ####"),
    }
}

struct VehicleMake {
    /// World manufacturer identifier: the first three VIN characters.
    wmi: &'static str,
    make: &'static str,
    models: &'static [&'static str],
}

const fn make(
    wmi: &'static str,
    make: &'static str,
    models: &'static [&'static str],
) -> VehicleMake {
    VehicleMake { wmi, make, models }
}

const VEHICLE_MAKES: &[VehicleMake] = &[
    make("1FA", "Ford", &["Mustang", "Fusion", "Taurus"]),
    make("1FT", "Ford", &["F-150", "F-250", "Ranger"]),
    make("1G1", "Chevrolet", &["Malibu", "Camaro", "Impala"]),
    make("1GC", "Chevrolet", &["Silverado 1500", "Colorado"]),
    make("1HG", "Honda", &["Accord", "Civic"]),
    make("2HG", "Honda", &["Civic"]),
    make("2T1", "Toyota", &["Corolla", "Matrix"]),
    make("4T1", "Toyota", &["Camry", "Avalon"]),
    make("5YJ", "Tesla", &["Model 3", "Model Y", "Model S"]),
    make("1C4", "Jeep", &["Grand Cherokee", "Wrangler", "Cherokee"]),
    make("3VW", "Volkswagen", &["Jetta", "Beetle"]),
    make("1N4", "Nissan", &["Altima", "Sentra"]),
    make("5NM", "Hyundai", &["Santa Fe", "Tucson"]),
    make("2C3", "Dodge", &["Charger", "Challenger"]),
    make(
        "WBA",
        "BMW",
        &["320d", "520i", "X3 xDrive20d", "X5 xDrive30d"],
    ),
    make(
        "WDD",
        "Mercedes-Benz",
        &["C 220 d", "E 350", "A 180", "S 500"],
    ),
    make("WDB", "Mercedes-Benz", &["ML 350", "Sprinter 316 CDI"]),
    make("WVW", "Volkswagen", &["Golf", "Passat", "Polo"]),
    make("WV2", "Volkswagen", &["Transporter", "Multivan"]),
    make("WAU", "Audi", &["A4", "A6", "Q5", "Q7"]),
    make("WP0", "Porsche", &["911 Carrera", "Cayenne", "Macan"]),
    make("WF0", "Ford", &["Focus", "Fiesta", "Kuga", "Transit"]),
    make("W0L", "Opel", &["Astra", "Corsa", "Insignia"]),
    make("VF1", "Renault", &["Clio", "Mégane", "Captur", "Master"]),
    make("VF3", "Peugeot", &["208", "308", "508", "Partner"]),
    make("VF7", "Citroën", &["C3", "C4 Picasso", "Berlingo"]),
    make("ZFA", "Fiat", &["500", "Panda", "Tipo", "Ducato"]),
    make("ZAR", "Alfa Romeo", &["Giulia", "Stelvio", "Giulietta"]),
    make("ZFF", "Ferrari", &["488 GTB", "Portofino"]),
    make(
        "SAL",
        "Land Rover",
        &["Range Rover Sport", "Discovery", "Range Rover Evoque"],
    ),
    make("YV1", "Volvo", &["XC60", "XC90", "V60"]),
    make("TMB", "Škoda", &["Octavia", "Superb", "Kodiaq"]),
    make("VSS", "SEAT", &["Ibiza", "León", "Ateca"]),
    make("JTD", "Toyota", &["Yaris", "Prius", "Auris"]),
    make("JTE", "Toyota", &["Land Cruiser", "4Runner"]),
    make("JHM", "Honda", &["Jazz", "CR-V"]),
    make("JN1", "Nissan", &["X-Trail", "Patrol", "Juke"]),
    make("JMZ", "Mazda", &["CX-5", "Mazda3", "MX-5"]),
    make("KMH", "Hyundai", &["i30", "Tucson", "ix35"]),
    make("KNA", "Kia", &["Sportage", "Ceed", "Sorento"]),
    make("XTA", "Lada", &["Vesta", "Granta", "Niva"]),
    make("UU1", "Dacia", &["Duster", "Logan", "Sandero"]),
    make("LRW", "Tesla", &["Model 3", "Model Y"]),
    make("LSV", "Volkswagen", &["Lavida", "Tiguan L"]),
    make("MA1", "Mahindra", &["Scorpio", "XUV700"]),
    make("9BW", "Volkswagen", &["Gol", "Saveiro"]),
    make("NMT", "Toyota", &["C-HR", "Corolla"]),
];

const COLOURS: &[&str] = &[
    "black",
    "white",
    "silver",
    "grey",
    "dark blue",
    "blue",
    "red",
    "burgundy",
    "green",
    "beige",
    "yellow",
    "orange",
    "brown",
    "dark grey",
];

struct Firearm {
    make: &'static str,
    model: &'static str,
    caliber: &'static str,
    /// Serial number format (see [`Format`]).
    serial: &'static str,
    kind: &'static str,
}

const fn gun(
    make: &'static str,
    model: &'static str,
    caliber: &'static str,
    serial: &'static str,
    kind: &'static str,
) -> Firearm {
    Firearm {
        make,
        model,
        caliber,
        serial,
        kind,
    }
}

const PISTOL: &str = "Semi-automatic pistol";
const FIREARMS: &[Firearm] = &[
    gun("Glock", "17 Gen5", "9x19mm", "@@@###", PISTOL),
    gun("Glock", "19 Gen4", "9x19mm", "@@@###", PISTOL),
    gun("Glock", "43", "9x19mm", "@@@###", PISTOL),
    gun("Beretta", "92FS", "9x19mm", "@#####Z", PISTOL),
    gun("Beretta", "APX", "9x19mm", "A###@@@", PISTOL),
    gun("SIG Sauer", "P226", "9x19mm", "U######", PISTOL),
    gun("SIG Sauer", "P320", "9x19mm", "58@######", PISTOL),
    gun("Smith & Wesson", "M&P9 Shield", "9x19mm", "@@@####", PISTOL),
    gun(
        "Smith & Wesson",
        "Model 686",
        ".357 Magnum",
        "@@@####",
        "Revolver",
    ),
    gun(
        "Smith & Wesson",
        "Model 29",
        ".44 Magnum",
        "@#####",
        "Revolver",
    ),
    gun("Colt", "M1911A1", ".45 ACP", "######-C", PISTOL),
    gun(
        "Colt",
        "LE6920",
        "5.56x45mm",
        "LE######",
        "Semi-automatic rifle",
    ),
    gun("Heckler & Koch", "USP", ".40 S&W", "##-######", PISTOL),
    gun(
        "Heckler & Koch",
        "MP5",
        "9x19mm",
        "##-######",
        "Submachine gun",
    ),
    gun("Walther", "PPK", "7.65mm Browning", "######@", PISTOL),
    gun("Walther", "P99", "9x19mm", "@@######", PISTOL),
    gun("CZ", "75 B", "9x19mm", "@######", PISTOL),
    gun("Izhmekh", "PM", "9x18mm Makarov", "@@ ####", PISTOL),
    gun("Norinco", "Type 54", "7.62x25mm", "######", PISTOL),
    gun(
        "Kalashnikov",
        "AKM",
        "7.62x39mm",
        "@@ ####",
        "Assault rifle",
    ),
    gun("Zastava", "M70", "7.62x39mm", "######", "Assault rifle"),
    gun("Ruger", "10/22", ".22 LR", "###-#####", "Rifle"),
    gun(
        "Remington",
        "870",
        "12 gauge",
        "@@#####@",
        "Pump-action shotgun",
    ),
    gun(
        "Mossberg",
        "500",
        "12 gauge",
        "@######",
        "Pump-action shotgun",
    ),
    gun(
        "Benelli",
        "M4",
        "12 gauge",
        "M######",
        "Semi-automatic shotgun",
    ),
    gun("Browning", "Hi-Power", "9x19mm", "###@@#####", PISTOL),
    gun("Taurus", "G2C", "9x19mm", "@@@######", PISTOL),
    gun("Steyr", "AUG A3", "5.56x45mm", "##@#####", "Assault rifle"),
    gun(
        "Winchester",
        "Model 70",
        ".30-06 Springfield",
        "G#######",
        "Bolt-action rifle",
    ),
    gun(
        "Sako",
        "85",
        ".308 Winchester",
        "######",
        "Bolt-action rifle",
    ),
    gun("Bersa", "Thunder 380", ".380 ACP", "######", PISTOL),
];

const ART_ADJECTIVES: &[&str] = &[
    "Quiet", "Golden", "Evening", "Winter", "Summer", "Morning", "Distant", "Silent", "Blue",
    "Stormy", "Sunlit", "Misty", "Autumn", "Spring", "Moonlit", "Grey", "Red", "Flooded",
];
const ART_NOUNS: &[&str] = &[
    "Harbour",
    "Landscape",
    "Garden",
    "River",
    "Bridge",
    "Village",
    "Mill",
    "Orchard",
    "Cathedral",
    "Market",
    "Shepherds",
    "Bathers",
    "Dancers",
    "Fishing Boats",
    "Hills",
    "Road",
    "Lighthouse",
    "Wheat Field",
    "Forest",
    "Canal",
    "Square",
    "Vineyard",
];
const ART_PLACES: &[&str] = &[
    "Dordrecht",
    "Arles",
    "Toledo",
    "Honfleur",
    "Delft",
    "Sintra",
    "Kraków",
    "Seville",
    "Antwerp",
    "Florence",
    "Bruges",
    "Lisbon",
    "Segovia",
    "Étretat",
    "Haarlem",
    "Tbilisi",
    "Yerevan",
    "Odessa",
    "Smyrna",
    "Kyoto",
];
const ART_SITTERS: &[&str] = &[
    "a Young Woman",
    "a Gentleman",
    "a Merchant",
    "an Old Man",
    "a Lady in Blue",
    "the Artist's Mother",
    "a Cardinal",
    "a Girl with a Red Hat",
    "a Boy Reading",
    "a Nobleman",
    "a Fisherman",
];
const ART_THINGS: &[&str] = &[
    "Lemons",
    "Oysters",
    "Peonies",
    "Grapes and a Jug",
    "Fish",
    "a Skull",
    "Game Birds",
    "a Silver Ewer",
    "Quinces",
    "Tulips",
    "a Copper Pot",
];
const ART_RELIGIOUS: &[&str] = &[
    "Madonna and Child",
    "The Annunciation",
    "Saint Jerome in His Study",
    "Saint George and the Dragon",
    "Icon of Saint Nicholas",
    "The Adoration of the Magi",
    "Pietà",
    "The Flight into Egypt",
];
const ART_ATTRIBUTIONS: &[&str] = &[
    "Attributed to ",
    "Circle of ",
    "Workshop of ",
    "School of ",
    "After ",
];
const ARTISTS: &[&str] = &[
    "Jan van Goyen",
    "Camille Pissarro",
    "Eugène Boudin",
    "Francesco Guardi",
    "Jacob van Ruisdael",
    "Jan Brueghel the Younger",
    "Alfred Sisley",
    "Joaquín Sorolla",
    "Ilya Repin",
    "Ivan Aivazovsky",
    "Katsushika Hokusai",
    "Utagawa Hiroshige",
    "Marc Chagall",
    "Wassily Kandinsky",
    "Paul Klee",
    "Egon Schiele",
    "Gustav Klimt",
    "Amedeo Modigliani",
    "Giorgio de Chirico",
    "Tamara de Lempicka",
    "Diego Rivera",
    "Joan Miró",
    "René Magritte",
    "Edvard Munch",
    "Anders Zorn",
    "Carl Larsson",
    "Józef Chełmoński",
    "Ivan Shishkin",
    "Nicolae Grigorescu",
    "Martiros Saryan",
    "Niko Pirosmani",
    "Qi Baishi",
    "Raja Ravi Varma",
    "Osman Hamdi Bey",
    "Nikolaos Gyzis",
    "Unknown master",
];
const ART_MEDIA: &[&str] = &[
    "Oil on canvas",
    "Oil on panel",
    "Watercolour on paper",
    "Gouache on paper",
    "Tempera on wood",
    "Ink on silk",
    "Charcoal on paper",
    "Pastel on paper",
    "Bronze",
    "Marble",
    "Tempera and gold leaf on wood",
    "Lithograph",
    "Woodblock print",
];
const INVENTORY_FORMATS: &[Format] = &[
    fmt("INV ####.###"),
    fmt("@@@-####-###"),
    fmt("####/###"),
    fmt("Inv. ####.#.##"),
];

/// Hull identification numbers: maker, serial, month of manufacture (A to L), year digit and
/// model year.
const HULL_ID: Format = fmt_with("@@@*****^###", "ABCDEFGHIJKL");

const SHIP_TYPES: &[&str] = &[
    "Bulk carrier",
    "Container ship",
    "Oil tanker",
    "General cargo ship",
    "Fishing trawler",
    "Ro-ro ferry",
    "Offshore supply vessel",
    "Tug",
    "Reefer vessel",
    "LPG tanker",
];
const SMALL_CRAFT: &[&str] = &[
    "Motor yacht, 14 m",
    "RIB with twin outboards",
    "Sailing yacht, 11 m",
    "Sport fishing boat",
    "Jet boat",
    "Cabin cruiser, 9 m",
    "Catamaran, 12 m",
];

/// Real ISO 6346 owner codes (with the equipment category `U`).
const CONTAINER_OWNERS: &[&str] = &[
    "MSCU", "MEDU", "MAEU", "MRKU", "MSKU", "CMAU", "CGMU", "HLXU", "HLBU", "OOLU", "OOCU", "EGHU",
    "EISU", "EMCU", "CSNU", "CBHU", "CCLU", "ONEU", "NYKU", "YMLU", "YMMU", "ZIMU", "ZCSU", "HDMU",
    "KOCU", "TGHU", "TCNU", "TRLU", "TEMU", "SEGU", "FSCU", "CAIU", "DRYU", "GESU", "BMOU", "APZU",
    "SUDU", "PONU", "TTNU", "CRSU",
];
const CARGO: &[&str] = &[
    "40' high cube, consumer electronics",
    "20' dry, cigarettes",
    "40' reefer, frozen fish",
    "40' dry, auto parts",
    "20' dry, textiles",
    "40' high cube, furniture",
    "20' tank, solvent",
    "40' dry, tyres",
    "20' dry, empty",
];

struct Phone {
    make: &'static str,
    model: &'static str,
    /// IMEI reporting body: 35 and 01 for most brands, 86 for many Chinese ones.
    prefix: &'static str,
}

const fn handset(make: &'static str, model: &'static str, prefix: &'static str) -> Phone {
    Phone {
        make,
        model,
        prefix,
    }
}

const PHONES: &[Phone] = &[
    handset("Apple", "iPhone 12", "35"),
    handset("Apple", "iPhone 13", "35"),
    handset("Apple", "iPhone 14 Pro", "35"),
    handset("Apple", "iPhone 15", "35"),
    handset("Apple", "iPhone SE", "01"),
    handset("Samsung", "Galaxy S21", "35"),
    handset("Samsung", "Galaxy S23 Ultra", "35"),
    handset("Samsung", "Galaxy A52", "35"),
    handset("Samsung", "Galaxy Z Flip5", "35"),
    handset("Xiaomi", "Redmi Note 12", "86"),
    handset("Xiaomi", "13T", "86"),
    handset("Huawei", "Mate 20 Pro", "86"),
    handset("Huawei", "P40", "86"),
    handset("Oppo", "Reno8", "86"),
    handset("Vivo", "Y36", "86"),
    handset("Google", "Pixel 7", "35"),
    handset("Google", "Pixel 8 Pro", "35"),
    handset("OnePlus", "11", "86"),
    handset("Motorola", "Moto G54", "35"),
    handset("Nokia", "G21", "35"),
    handset("Sony", "Xperia 10 V", "35"),
    handset("Fairphone", "5", "35"),
    handset("Tecno", "Spark 10", "86"),
];

/// Drug and explosive precursors under international control, with their CAS numbers.
const CHEMICALS: &[(&str, &str)] = &[
    ("Acetic anhydride", "108-24-7"),
    ("Ephedrine", "299-42-3"),
    ("Pseudoephedrine", "90-82-4"),
    ("Norephedrine", "14838-15-4"),
    ("Phenylacetic acid", "103-82-2"),
    ("1-Phenyl-2-propanone", "103-79-7"),
    ("3,4-MDP-2-P", "4676-39-5"),
    ("Safrole", "94-59-7"),
    ("Isosafrole", "120-58-1"),
    ("Piperonal", "120-57-0"),
    ("N-Acetylanthranilic acid", "89-52-1"),
    ("Anthranilic acid", "118-92-3"),
    ("Lysergic acid", "82-58-6"),
    ("Ergometrine", "60-79-7"),
    ("Ergotamine", "113-15-5"),
    ("Potassium permanganate", "7722-64-7"),
    ("Piperidine", "110-89-4"),
    ("Acetone", "67-64-1"),
    ("Ethyl ether", "60-29-7"),
    ("Methyl ethyl ketone", "78-93-3"),
    ("Toluene", "108-88-3"),
    ("Sulphuric acid", "7664-93-9"),
    ("Hydrochloric acid", "7647-01-0"),
    ("gamma-Butyrolactone", "96-48-0"),
    ("APAAN", "4468-48-8"),
    ("ANPP", "21409-26-7"),
    ("NPP", "39742-60-4"),
    ("Red phosphorus", "7723-14-0"),
    ("Ammonium nitrate", "6484-52-2"),
    ("Hydrogen peroxide", "7722-84-1"),
    ("Nitromethane", "75-52-5"),
    ("Potassium chlorate", "3811-04-9"),
    ("Nitric acid", "7697-37-2"),
    ("Hexamine", "100-97-0"),
    ("MAPA", "16648-44-5"),
    ("PMK glycidate", "13605-48-6"),
    ("4-Piperidone", "41661-47-6"),
];
const LOT_FORMATS: &[Format] = &[
    fmt("LOT-####-#####"),
    fmt("@########"),
    fmt("##@@####"),
    fmt("B######"),
];
const CONSIGNMENT_FORMATS: &[Format] = &[
    fmt("CNS/####/######"),
    fmt("####-@@-######"),
    // Air waybill: airline prefix and serial.
    fmt("###-########"),
];

const SERIAL_FORMATS: &[Format] = &[
    fmt("@@#######"),
    fmt("########"),
    fmt("*********"),
    fmt("@##-#####-@@"),
    fmt("SN ##########"),
];
const OTHER_ITEMS: &[&str] = &[
    "Bicycle, Trek Marlin 7",
    "E-bike, Specialized Turbo Vado",
    "Laptop, Dell Latitude 7420",
    "Laptop, Apple MacBook Pro 14",
    "Tablet, Apple iPad Air",
    "Wristwatch, Rolex Submariner",
    "Wristwatch, Omega Speedmaster",
    "Drone, DJI Mavic 3",
    "Camera, Canon EOS R6",
    "Outboard motor, Yamaha F150",
    "Excavator, Caterpillar 320",
    "Generator, Honda EU22i",
    "Chainsaw, Stihl MS 261",
    "Trailer, Humbaur HA 132513",
    "Jet ski, Sea-Doo GTI 130",
    "Violin, 19th century",
    "Total station, Leica TS16",
    "Forklift, Linde H25",
];

// --- names ------------------------------------------------------------------------------------

/// (native, Latin) spellings; an empty Latin form means the native one is already plain Latin.
type Pair = (&'static str, &'static str);

struct Culture {
    /// ISO alpha-3 codes of the countries whose nationals mostly carry these names.
    homes: &'static [&'static str],
    /// The Latin form is a transliteration of the native one (another script, or Vietnamese
    /// tone marks): primary names are often native, variants derive from the Latin form.
    native_script: bool,
    family_first: bool,
    /// The native full name is written without a space (Han, kana, Hangul).
    joined: bool,
    /// Two given names are common (Jean Pierre, Anna Maria).
    two_given: bool,
    /// Two family names, Spanish and Portuguese style.
    double_family: bool,
    male: &'static [Pair],
    female: &'static [Pair],
    family: &'static [Pair],
    /// Ending rewrites that give the female form of a family name (Smirnov, Smirnova).
    feminine: &'static [(&'static str, &'static str)],
    /// Rewrites that give another plausible spelling (of the Latin form for cultures with
    /// their own script, of the native form for Latin-script ones).
    variant: &'static [(&'static str, &'static str)],
}

const LATIN: Culture = Culture {
    homes: &[],
    native_script: false,
    family_first: false,
    joined: false,
    two_given: true,
    double_family: false,
    male: &[],
    female: &[],
    family: &[],
    feminine: &[],
    variant: &[],
};

const SCRIPT: Culture = Culture {
    native_script: true,
    two_given: false,
    ..LATIN
};

/// Relative frequency of each culture among generated persons, in the order of [`CULTURES`].
const CULTURE_WEIGHTS: [u32; 24] = [
    14, 7, 10, 7, 4, 5, 6, 6, 3, 3, 8, 4, 2, 3, 3, 10, 4, 2, 7, 3, 3, 5, 2, 2,
];

// Kept as written: rustfmt would put every pair on its own line and quadruple the table.
#[rustfmt::skip]
const CULTURES: [Culture; 24] = [
    // English
    Culture {
        homes: &["GBR", "USA", "CAN", "AUS", "NZL", "IRL"],
        male: &[
            ("James", ""), ("John", ""), ("Robert", ""), ("Michael", ""), ("William", ""),
            ("David", ""), ("Richard", ""), ("Joseph", ""), ("Thomas", ""),
            ("Christopher", ""), ("Daniel", ""), ("Matthew", ""), ("Anthony", ""), ("Mark", ""),
            ("Steven", ""), ("Paul", ""), ("Andrew", ""), ("Joshua", ""), ("Kevin", ""),
            ("Brian", ""), ("George", ""), ("Edward", ""), ("Ryan", ""), ("Liam", ""),
            ("Connor", ""),
        ],
        female: &[
            ("Mary", ""), ("Patricia", ""), ("Jennifer", ""), ("Linda", ""), ("Elizabeth", ""),
            ("Barbara", ""), ("Susan", ""), ("Jessica", ""), ("Sarah", ""), ("Karen", ""),
            ("Lisa", ""), ("Nancy", ""), ("Sandra", ""), ("Ashley", ""), ("Emily", ""),
            ("Michelle", ""), ("Amanda", ""), ("Rebecca", ""), ("Laura", ""), ("Hannah", ""),
            ("Olivia", ""), ("Chloe", ""), ("Megan", ""), ("Siobhan", ""), ("Grace", ""),
        ],
        family: &[
            ("Smith", ""), ("Johnson", ""), ("Williams", ""), ("Brown", ""), ("Jones", ""),
            ("Miller", ""), ("Davis", ""), ("Wilson", ""), ("Anderson", ""), ("Taylor", ""),
            ("Thomas", ""), ("Moore", ""), ("Martin", ""), ("Jackson", ""), ("Thompson", ""),
            ("White", ""), ("Harris", ""), ("Clark", ""), ("Lewis", ""), ("Robinson", ""),
            ("Walker", ""), ("Young", ""), ("Allen", ""), ("Wright", ""), ("Scott", ""),
            ("O'Brien", ""), ("Murphy", ""), ("Campbell", ""), ("MacDonald", ""),
            ("Evans", ""), ("Hughes", ""), ("Fitzgerald", ""),
        ],
        variant: &[("ph", "f"), ("son", "sen"), ("ey", "y"), ("Mac", "Mc"), ("'", "")],
        ..LATIN
    },
    // French
    Culture {
        homes: &["FRA", "BEL", "CHE", "LUX"],
        male: &[
            ("Jean", ""), ("Pierre", ""), ("Michel", ""), ("André", "Andre"), ("Philippe", ""),
            ("Nicolas", ""), ("Alain", ""), ("Jacques", ""), ("Bernard", ""),
            ("Christophe", ""), ("François", "Francois"), ("Éric", "Eric"), ("Julien", ""),
            ("Sébastien", "Sebastien"), ("Laurent", ""), ("Olivier", ""), ("Thierry", ""),
            ("Mathieu", ""), ("Guillaume", ""), ("Jérôme", "Jerome"), ("Loïc", "Loic"),
            ("Théo", "Theo"), ("Hugo", ""),
        ],
        female: &[
            ("Marie", ""), ("Nathalie", ""), ("Isabelle", ""), ("Sylvie", ""),
            ("Catherine", ""), ("Françoise", "Francoise"), ("Valérie", "Valerie"),
            ("Sandrine", ""), ("Christine", ""), ("Véronique", "Veronique"),
            ("Céline", "Celine"), ("Aurélie", "Aurelie"), ("Stéphanie", "Stephanie"),
            ("Émilie", "Emilie"), ("Camille", ""), ("Léa", "Lea"), ("Chloé", "Chloe"),
            ("Manon", ""), ("Hélène", "Helene"), ("Anaïs", "Anais"),
        ],
        family: &[
            ("Martin", ""), ("Bernard", ""), ("Dubois", ""), ("Thomas", ""), ("Robert", ""),
            ("Richard", ""), ("Petit", ""), ("Durand", ""), ("Leroy", ""), ("Moreau", ""),
            ("Simon", ""), ("Laurent", ""), ("Lefèvre", "Lefevre"), ("Michel", ""),
            ("Bertrand", ""), ("Roux", ""), ("Vincent", ""), ("Fournier", ""), ("Morel", ""),
            ("Girard", ""), ("André", "Andre"), ("Mercier", ""), ("Dupont", ""),
            ("Lambert", ""), ("Bonnet", ""), ("Faure", ""), ("Rousseau", ""),
            ("Chevalier", ""), ("Gauthier", ""), ("Perrin", ""), ("Boucher", ""),
        ],
        variant: &[
            ("eau", "o"), ("ault", "o"), ("ph", "f"), ("é", "e"), ("è", "e"), ("ç", "ss"),
            ("É", "E"), ("ï", "i"),
        ],
        ..LATIN
    },
    // Spanish
    Culture {
        homes: &["ESP", "MEX", "ARG", "COL", "CHL", "PER", "VEN", "ECU"],
        double_family: true,
        male: &[
            ("José", "Jose"), ("Antonio", ""), ("Manuel", ""), ("Francisco", ""), ("Juan", ""),
            ("David", ""), ("Javier", ""), ("Daniel", ""), ("Carlos", ""), ("Jesús", "Jesus"),
            ("Alejandro", ""), ("Miguel", ""), ("Rafael", ""), ("Pedro", ""), ("Pablo", ""),
            ("Sergio", ""), ("Fernando", ""), ("Jorge", ""), ("Alberto", ""), ("Luis", ""),
            ("Álvaro", "Alvaro"), ("Diego", ""), ("Andrés", "Andres"), ("Raúl", "Raul"),
            ("Iñigo", "Inigo"),
        ],
        female: &[
            ("María", "Maria"), ("Carmen", ""), ("Ana", ""), ("Isabel", ""), ("Laura", ""),
            ("Cristina", ""), ("Marta", ""), ("Lucía", "Lucia"), ("Pilar", ""), ("Elena", ""),
            ("Raquel", ""), ("Rocío", "Rocio"), ("Paula", ""), ("Sara", ""), ("Beatriz", ""),
            ("Nuria", ""), ("Silvia", ""), ("Inés", "Ines"), ("Mercedes", ""),
            ("Dolores", ""), ("Ángela", "Angela"), ("Sofía", "Sofia"),
            ("Verónica", "Veronica"),
        ],
        family: &[
            ("García", "Garcia"), ("Rodríguez", "Rodriguez"), ("González", "Gonzalez"),
            ("Fernández", "Fernandez"), ("López", "Lopez"), ("Martínez", "Martinez"),
            ("Sánchez", "Sanchez"), ("Pérez", "Perez"), ("Gómez", "Gomez"), ("Martín", "Martin"),
            ("Jiménez", "Jimenez"), ("Ruiz", ""), ("Hernández", "Hernandez"), ("Díaz", "Diaz"),
            ("Moreno", ""), ("Muñoz", "Munoz"), ("Álvarez", "Alvarez"), ("Romero", ""),
            ("Alonso", ""), ("Gutiérrez", "Gutierrez"), ("Navarro", ""), ("Torres", ""),
            ("Domínguez", "Dominguez"), ("Vázquez", "Vazquez"), ("Ramos", ""), ("Gil", ""),
            ("Ramírez", "Ramirez"), ("Serrano", ""), ("Blanco", ""), ("Molina", ""),
            ("Castillo", ""), ("Ortega", ""),
        ],
        variant: &[
            ("v", "b"), ("z", "s"), ("ll", "y"), ("á", "a"), ("é", "e"), ("í", "i"), ("ó", "o"),
            ("ú", "u"), ("ñ", "n"), ("Á", "A"),
        ],
        ..LATIN
    },
    // German
    Culture {
        homes: &["DEU", "AUT", "CHE"],
        male: &[
            ("Thomas", ""), ("Michael", ""), ("Andreas", ""), ("Stefan", ""), ("Christian", ""),
            ("Markus", ""), ("Frank", ""), ("Jürgen", "Juergen"), ("Klaus", ""), ("Uwe", ""),
            ("Wolfgang", ""), ("Matthias", ""), ("Sebastian", ""), ("Tobias", ""),
            ("Jörg", "Joerg"), ("Lukas", ""), ("Felix", ""), ("Maximilian", ""), ("Jonas", ""),
            ("Niklas", ""), ("Dieter", ""), ("Günter", "Guenter"), ("Florian", ""),
        ],
        female: &[
            ("Sabine", ""), ("Petra", ""), ("Andrea", ""), ("Claudia", ""), ("Susanne", ""),
            ("Monika", ""), ("Birgit", ""), ("Stefanie", ""), ("Katharina", ""), ("Julia", ""),
            ("Anna", ""), ("Lena", ""), ("Jana", ""), ("Ursula", ""), ("Renate", ""),
            ("Jutta", ""), ("Sophie", ""), ("Hannah", ""), ("Lea", ""), ("Jülide", "Juelide"),
            ("Bärbel", "Baerbel"),
        ],
        family: &[
            ("Müller", "Mueller"), ("Schmidt", ""), ("Schneider", ""), ("Fischer", ""),
            ("Weber", ""), ("Meyer", ""), ("Wagner", ""), ("Becker", ""), ("Schulz", ""),
            ("Hoffmann", ""), ("Schäfer", "Schaefer"), ("Koch", ""), ("Bauer", ""),
            ("Richter", ""), ("Klein", ""), ("Wolf", ""), ("Schröder", "Schroeder"),
            ("Neumann", ""), ("Schwarz", ""), ("Zimmermann", ""), ("Braun", ""),
            ("Krüger", "Krueger"), ("Hofmann", ""), ("Hartmann", ""), ("Lange", ""),
            ("Schmitt", ""), ("Werner", ""), ("Krause", ""), ("Meier", ""), ("Lehmann", ""),
            ("Weiß", "Weiss"), ("Köhler", "Koehler"),
        ],
        variant: &[("ü", "u"), ("ö", "o"), ("ä", "a"), ("ß", "ss"), ("ei", "ai"), ("mm", "m")],
        ..LATIN
    },
    // Polish
    Culture {
        homes: &["POL"],
        male: &[
            ("Piotr", ""), ("Krzysztof", ""), ("Andrzej", ""), ("Tomasz", ""),
            ("Paweł", "Pawel"), ("Michał", "Michal"), ("Marcin", ""), ("Jakub", ""),
            ("Łukasz", "Lukasz"), ("Grzegorz", ""), ("Mateusz", ""), ("Adam", ""), ("Marek", ""),
            ("Wojciech", ""), ("Kamil", ""), ("Dariusz", ""), ("Maciej", ""), ("Rafał", "Rafal"),
            ("Jan", ""), ("Zbigniew", ""), ("Szymon", ""), ("Bartosz", ""),
        ],
        female: &[
            ("Anna", ""), ("Katarzyna", ""), ("Maria", ""), ("Małgorzata", "Malgorzata"),
            ("Agnieszka", ""), ("Barbara", ""), ("Ewa", ""), ("Krystyna", ""),
            ("Elżbieta", "Elzbieta"), ("Magdalena", ""), ("Joanna", ""), ("Aleksandra", ""),
            ("Monika", ""), ("Zofia", ""), ("Natalia", ""), ("Beata", ""), ("Dorota", ""),
            ("Justyna", ""), ("Grażyna", "Grazyna"), ("Alicja", ""), ("Weronika", ""),
        ],
        family: &[
            ("Nowak", ""), ("Kowalski", ""), ("Wiśniewski", "Wisniewski"),
            ("Wójcik", "Wojcik"), ("Kowalczyk", ""), ("Kamiński", "Kaminski"),
            ("Lewandowski", ""), ("Zieliński", "Zielinski"), ("Szymański", "Szymanski"),
            ("Woźniak", "Wozniak"), ("Dąbrowski", "Dabrowski"), ("Kozłowski", "Kozlowski"),
            ("Jankowski", ""), ("Mazur", ""), ("Wojciechowski", ""), ("Kwiatkowski", ""),
            ("Krawczyk", ""), ("Kaczmarek", ""), ("Piotrowski", ""), ("Grabowski", ""),
            ("Zając", "Zajac"), ("Pawłowski", "Pawlowski"), ("Michalski", ""), ("Król", "Krol"),
            ("Wieczorek", ""), ("Jabłoński", "Jablonski"), ("Wróbel", "Wrobel"),
            ("Majewski", ""), ("Olszewski", ""), ("Stępień", "Stepien"), ("Górski", "Gorski"),
        ],
        feminine: &[("ski", "ska"), ("cki", "cka")],
        variant: &[
            ("w", "v"), ("sz", "sh"), ("cz", "ch"), ("ł", "l"), ("ą", "on"), ("ę", "en"),
            ("ś", "s"), ("ć", "c"), ("ż", "z"), ("ź", "z"), ("ó", "u"), ("ń", "n"), ("Ł", "L"),
        ],
        ..LATIN
    },
    // Turkish
    Culture {
        homes: &["TUR"],
        male: &[
            ("Mehmet", ""), ("Mustafa", ""), ("Ahmet", ""), ("Ali", ""), ("Hüseyin", "Huseyin"),
            ("Hasan", ""), ("İbrahim", "Ibrahim"), ("İsmail", "Ismail"), ("Osman", ""),
            ("Yusuf", ""), ("Murat", ""), ("Ömer", "Omer"), ("Ramazan", ""), ("Halil", ""),
            ("Süleyman", "Suleyman"), ("Abdullah", ""), ("Mahmut", ""), ("Recep", ""),
            ("Emre", ""), ("Burak", ""), ("Kemal", ""), ("Serkan", ""), ("Tolga", ""),
        ],
        female: &[
            ("Fatma", ""), ("Ayşe", "Ayse"), ("Emine", ""), ("Hatice", ""), ("Zeynep", ""),
            ("Elif", ""), ("Meryem", ""), ("Şerife", "Serife"), ("Zehra", ""), ("Sultan", ""),
            ("Hanife", ""), ("Merve", ""), ("Özlem", "Ozlem"), ("Esra", ""), ("Büşra", "Busra"),
            ("Gül", "Gul"), ("Derya", ""), ("Ebru", ""), ("Selin", ""), ("Gökçe", "Gokce"),
            ("Sibel", ""), ("Tuğba", "Tugba"),
        ],
        family: &[
            ("Yılmaz", "Yilmaz"), ("Kaya", ""), ("Demir", ""), ("Şahin", "Sahin"),
            ("Çelik", "Celik"), ("Yıldız", "Yildiz"), ("Yıldırım", "Yildirim"),
            ("Öztürk", "Ozturk"), ("Aydın", "Aydin"), ("Özdemir", "Ozdemir"), ("Arslan", ""),
            ("Doğan", "Dogan"), ("Kılıç", "Kilic"), ("Aslan", ""), ("Kara", ""), ("Koç", "Koc"),
            ("Kurt", ""), ("Özkan", "Ozkan"), ("Şimşek", "Simsek"), ("Polat", ""),
            ("Korkmaz", ""), ("Karataş", "Karatas"), ("Erdoğan", "Erdogan"), ("Aksoy", ""),
            ("Güneş", "Gunes"), ("Avcı", "Avci"), ("Bulut", ""),
        ],
        variant: &[
            ("ş", "sh"), ("ç", "ch"), ("ğ", ""), ("ı", "i"), ("ö", "oe"), ("ü", "ue"),
            ("İ", "I"), ("Ş", "Sh"), ("Ç", "Ch"), ("Ö", "Oe"), ("Ü", "Ue"), ("met", "med"),
        ],
        ..LATIN
    },
    // Italian
    Culture {
        homes: &["ITA"],
        male: &[
            ("Giuseppe", ""), ("Giovanni", ""), ("Antonio", ""), ("Mario", ""), ("Luigi", ""),
            ("Francesco", ""), ("Angelo", ""), ("Vincenzo", ""), ("Pietro", ""),
            ("Salvatore", ""), ("Carlo", ""), ("Franco", ""), ("Domenico", ""), ("Bruno", ""),
            ("Paolo", ""), ("Michele", ""), ("Giorgio", ""), ("Alessandro", ""), ("Lorenzo", ""),
            ("Matteo", ""), ("Andrea", ""), ("Nicolò", "Nicolo"), ("Fabrizio", ""),
            ("Davide", ""),
        ],
        female: &[
            ("Maria", ""), ("Anna", ""), ("Giuseppina", ""), ("Rosa", ""), ("Angela", ""),
            ("Giovanna", ""), ("Teresa", ""), ("Lucia", ""), ("Carmela", ""), ("Caterina", ""),
            ("Francesca", ""), ("Chiara", ""), ("Giulia", ""), ("Sofia", ""),
            ("Alessandra", ""), ("Federica", ""), ("Valentina", ""), ("Silvia", ""),
            ("Elisa", ""), ("Martina", ""), ("Serena", ""), ("Ilaria", ""),
        ],
        family: &[
            ("Rossi", ""), ("Russo", ""), ("Ferrari", ""), ("Esposito", ""), ("Bianchi", ""),
            ("Romano", ""), ("Colombo", ""), ("Ricci", ""), ("Marino", ""), ("Greco", ""),
            ("Bruno", ""), ("Gallo", ""), ("Conti", ""), ("De Luca", ""), ("Mancini", ""),
            ("Costa", ""), ("Giordano", ""), ("Rizzo", ""), ("Lombardi", ""), ("Moretti", ""),
            ("Barbieri", ""), ("Fontana", ""), ("Santoro", ""), ("Mariani", ""),
            ("Rinaldi", ""), ("Caruso", ""), ("Ferrara", ""), ("Galli", ""), ("Leone", ""),
            ("D'Angelo", ""), ("Longo", ""),
        ],
        variant: &[("cc", "c"), ("zz", "z"), ("gli", "li"), ("ò", "o"), ("'", ""), (" ", "")],
        ..LATIN
    },
    // Portuguese
    Culture {
        homes: &["PRT", "BRA"],
        double_family: true,
        male: &[
            ("João", "Joao"), ("José", "Jose"), ("António", "Antonio"), ("Francisco", ""),
            ("Manuel", ""), ("Pedro", ""), ("Luís", "Luis"), ("Carlos", ""), ("Paulo", ""),
            ("Rui", ""), ("Tiago", ""), ("Miguel", ""), ("Ricardo", ""), ("Nuno", ""),
            ("Bruno", ""), ("Rafael", ""), ("Gonçalo", "Goncalo"), ("Diogo", ""), ("Lucas", ""),
            ("Gabriel", ""), ("Matheus", ""), ("Felipe", ""), ("Vítor", "Vitor"),
        ],
        female: &[
            ("Maria", ""), ("Ana", ""), ("Joana", ""), ("Inês", "Ines"), ("Mariana", ""),
            ("Beatriz", ""), ("Sofia", ""), ("Catarina", ""), ("Francisca", ""),
            ("Margarida", ""), ("Leonor", ""), ("Rita", ""), ("Luísa", "Luisa"),
            ("Patrícia", "Patricia"), ("Cláudia", "Claudia"), ("Fernanda", ""), ("Juliana", ""),
            ("Camila", ""), ("Larissa", ""), ("Letícia", "Leticia"),
            ("Conceição", "Conceicao"),
        ],
        family: &[
            ("Silva", ""), ("Santos", ""), ("Ferreira", ""), ("Pereira", ""), ("Oliveira", ""),
            ("Costa", ""), ("Rodrigues", ""), ("Martins", ""), ("Jesus", ""), ("Sousa", ""),
            ("Fernandes", ""), ("Gonçalves", "Goncalves"), ("Gomes", ""), ("Lopes", ""),
            ("Marques", ""), ("Alves", ""), ("Almeida", ""), ("Ribeiro", ""), ("Pinto", ""),
            ("Carvalho", ""), ("Teixeira", ""), ("Moreira", ""), ("Correia", ""),
            ("Mendes", ""), ("Nunes", ""), ("Soares", ""), ("Vieira", ""), ("Monteiro", ""),
            ("Cardoso", ""), ("Rocha", ""), ("Araújo", "Araujo"), ("Magalhães", "Magalhaes"),
        ],
        variant: &[
            ("ão", "aon"), ("ães", "aes"), ("lh", "lli"), ("nh", "ni"), ("ç", "c"), ("ã", "a"),
            ("á", "a"), ("é", "e"), ("ê", "e"), ("í", "i"), ("ó", "o"), ("ô", "o"), ("ú", "u"),
        ],
        ..LATIN
    },
    // Vietnamese
    Culture {
        homes: &["VNM"],
        family_first: true,
        two_given: false,
        male: &[
            ("Văn Hùng", "Van Hung"), ("Minh Tuấn", "Minh Tuan"), ("Quốc Bảo", "Quoc Bao"),
            ("Đức Anh", "Duc Anh"), ("Hoàng Nam", "Hoang Nam"), ("Thanh Tùng", "Thanh Tung"),
            ("Văn Long", "Van Long"), ("Hữu Phước", "Huu Phuoc"), ("Tiến Dũng", "Tien Dung"),
            ("Quang Huy", ""), ("Minh Khoa", ""), ("Gia Huy", ""), ("Văn Đức", "Van Duc"),
            ("Thành Trung", "Thanh Trung"), ("Công Vinh", "Cong Vinh"),
            ("Xuân Trường", "Xuan Truong"), ("Văn Toàn", "Van Toan"), ("Duy Mạnh", "Duy Manh"),
            ("Hải Đăng", "Hai Dang"), ("Tuấn Kiệt", "Tuan Kiet"),
        ],
        female: &[
            ("Thị Lan", "Thi Lan"), ("Thị Hương", "Thi Huong"), ("Thị Mai", "Thi Mai"),
            ("Ngọc Anh", "Ngoc Anh"), ("Thu Trang", ""), ("Thị Hoa", "Thi Hoa"),
            ("Phương Linh", "Phuong Linh"), ("Thảo Vy", "Thao Vy"), ("Ngọc Hân", "Ngoc Han"),
            ("Thị Hồng", "Thi Hong"), ("Minh Châu", "Minh Chau"), ("Thanh Hằng", "Thanh Hang"),
            ("Bích Ngọc", "Bich Ngoc"), ("Khánh Linh", "Khanh Linh"), ("Mỹ Duyên", "My Duyen"),
            ("Thị Nga", "Thi Nga"), ("Hoài An", "Hoai An"), ("Diệu Linh", "Dieu Linh"),
            ("Thùy Dung", "Thuy Dung"),
        ],
        family: &[
            ("Nguyễn", "Nguyen"), ("Trần", "Tran"), ("Lê", "Le"), ("Phạm", "Pham"),
            ("Hoàng", "Hoang"), ("Huỳnh", "Huynh"), ("Phan", ""), ("Vũ", "Vu"), ("Võ", "Vo"),
            ("Đặng", "Dang"), ("Bùi", "Bui"), ("Đỗ", "Do"), ("Hồ", "Ho"), ("Ngô", "Ngo"),
            ("Dương", "Duong"), ("Lý", "Ly"), ("Đinh", "Dinh"), ("Trịnh", "Trinh"),
            ("Mai", ""), ("Cao", ""),
        ],
        // Latin script, but the tone marks make the native form differ from the ASCII one as a
        // transliteration would; variants are spellings by ear (northern pronunciation).
        variant: &[(" ", ""), ("Ph", "F"), ("Tr", "Ch"), ("D", "Z")],
        ..SCRIPT
    },
    // Swedish
    Culture {
        homes: &["SWE"],
        male: &[
            ("Erik", ""), ("Lars", ""), ("Karl", ""), ("Anders", ""), ("Johan", ""), ("Per", ""),
            ("Nils", ""), ("Lennart", ""), ("Mikael", ""), ("Jan", ""), ("Hans", ""),
            ("Fredrik", ""), ("Oskar", ""), ("Gustav", ""), ("Axel", ""), ("Björn", "Bjoern"),
            ("Magnus", ""), ("Sven", ""), ("Henrik", ""), ("Måns", "Maans"),
        ],
        female: &[
            ("Anna", ""), ("Eva", ""), ("Karin", ""), ("Kristina", ""), ("Lena", ""),
            ("Sara", ""), ("Emma", ""), ("Ingrid", ""), ("Elin", ""), ("Astrid", ""),
            ("Maja", ""), ("Ebba", ""), ("Linnéa", "Linnea"), ("Malin", ""),
            ("Birgitta", ""), ("Ulla", ""), ("Sigrid", ""), ("Åsa", "Aasa"),
        ],
        family: &[
            ("Andersson", ""), ("Johansson", ""), ("Karlsson", ""), ("Nilsson", ""),
            ("Eriksson", ""), ("Larsson", ""), ("Olsson", ""), ("Persson", ""),
            ("Svensson", ""), ("Gustafsson", ""), ("Pettersson", ""), ("Jonsson", ""),
            ("Jansson", ""), ("Hansson", ""), ("Bengtsson", ""), ("Jönsson", "Joensson"),
            ("Lindberg", ""), ("Jakobsson", ""), ("Magnusson", ""),
            ("Lindström", "Lindstroem"), ("Lindqvist", ""), ("Sjöberg", "Sjoeberg"),
            ("Åberg", "Aaberg"), ("Holmström", "Holmstroem"),
        ],
        variant: &[
            ("å", "a"), ("ä", "a"), ("ö", "o"), ("Å", "A"), ("qv", "kv"), ("ss", "s"),
        ],
        ..LATIN
    },
    // Russian
    Culture {
        homes: &["RUS", "BLR", "KAZ"],
        male: &[
            ("Александр", "Aleksandr"), ("Сергей", "Sergei"), ("Дмитрий", "Dmitrii"),
            ("Андрей", "Andrei"), ("Алексей", "Aleksei"), ("Максим", "Maksim"),
            ("Евгений", "Evgenii"), ("Иван", "Ivan"), ("Михаил", "Mikhail"),
            ("Артём", "Artem"), ("Николай", "Nikolai"), ("Владимир", "Vladimir"),
            ("Павел", "Pavel"), ("Роман", "Roman"), ("Олег", "Oleg"), ("Игорь", "Igor"),
            ("Денис", "Denis"), ("Виктор", "Viktor"), ("Антон", "Anton"), ("Юрий", "Iurii"),
            ("Константин", "Konstantin"), ("Василий", "Vasilii"), ("Станислав", "Stanislav"),
            ("Вадим", "Vadim"),
        ],
        female: &[
            ("Анна", "Anna"), ("Мария", "Mariia"), ("Елена", "Elena"), ("Ольга", "Olga"),
            ("Наталья", "Natalia"), ("Татьяна", "Tatiana"), ("Ирина", "Irina"),
            ("Екатерина", "Ekaterina"), ("Светлана", "Svetlana"), ("Юлия", "Iuliia"),
            ("Анастасия", "Anastasiia"), ("Дарья", "Daria"), ("Ксения", "Kseniia"),
            ("Марина", "Marina"), ("Людмила", "Liudmila"), ("Валентина", "Valentina"),
            ("Галина", "Galina"), ("Надежда", "Nadezhda"), ("Вера", "Vera"),
            ("Алина", "Alina"), ("Полина", "Polina"), ("Виктория", "Viktoriia"),
        ],
        family: &[
            ("Иванов", "Ivanov"), ("Кузнецов", "Kuznetsov"), ("Попов", "Popov"),
            ("Васильев", "Vasilev"), ("Петров", "Petrov"), ("Соколов", "Sokolov"),
            ("Михайлов", "Mikhailov"), ("Новиков", "Novikov"), ("Фёдоров", "Fedorov"),
            ("Морозов", "Morozov"), ("Волков", "Volkov"), ("Алексеев", "Alekseev"),
            ("Лебедев", "Lebedev"), ("Семёнов", "Semenov"), ("Егоров", "Egorov"),
            ("Павлов", "Pavlov"), ("Козлов", "Kozlov"), ("Степанов", "Stepanov"),
            ("Николаев", "Nikolaev"), ("Орлов", "Orlov"), ("Макаров", "Makarov"),
            ("Никитин", "Nikitin"), ("Захаров", "Zakharov"), ("Зайцев", "Zaitsev"),
            ("Соловьёв", "Solovev"), ("Борисов", "Borisov"), ("Яковлев", "Iakovlev"),
            ("Романов", "Romanov"), ("Киселёв", "Kiselev"), ("Ильин", "Ilin"),
            ("Кузьмин", "Kuzmin"), ("Медведев", "Medvedev"),
        ],
        feminine: &[
            ("ов", "ова"), ("ев", "ева"), ("ёв", "ёва"), ("ин", "ина"), ("ov", "ova"),
            ("ev", "eva"), ("in", "ina"),
        ],
        // German-style transliteration, as older documents and foreign registers write it.
        variant: &[
            ("ii", "y"), ("ia", "ja"), ("iu", "ju"), ("Ia", "Ja"), ("Iu", "Ju"), ("kh", "ch"),
            ("ks", "x"), ("zh", "sh"), ("v", "w"), ("ts", "z"),
        ],
        ..SCRIPT
    },
    // Ukrainian
    Culture {
        homes: &["UKR"],
        male: &[
            ("Олександр", "Oleksandr"), ("Андрій", "Andrii"), ("Дмитро", "Dmytro"),
            ("Сергій", "Serhii"), ("Володимир", "Volodymyr"), ("Микола", "Mykola"),
            ("Іван", "Ivan"), ("Василь", "Vasyl"), ("Олег", "Oleh"), ("Юрій", "Yurii"),
            ("Богдан", "Bohdan"), ("Тарас", "Taras"), ("Віктор", "Viktor"),
            ("Максим", "Maksym"), ("Петро", "Petro"), ("Михайло", "Mykhailo"),
            ("Роман", "Roman"), ("Ігор", "Ihor"), ("Степан", "Stepan"), ("Остап", "Ostap"),
        ],
        female: &[
            ("Олена", "Olena"), ("Наталія", "Nataliia"), ("Оксана", "Oksana"),
            ("Тетяна", "Tetiana"), ("Ірина", "Iryna"), ("Юлія", "Yuliia"), ("Марія", "Mariia"),
            ("Катерина", "Kateryna"), ("Світлана", "Svitlana"), ("Людмила", "Liudmyla"),
            ("Галина", "Halyna"), ("Ольга", "Olha"), ("Вікторія", "Viktoriia"),
            ("Софія", "Sofiia"), ("Христина", "Khrystyna"), ("Дарина", "Daryna"),
            ("Соломія", "Solomiia"), ("Ганна", "Hanna"), ("Лариса", "Larysa"),
        ],
        family: &[
            ("Коваленко", "Kovalenko"), ("Шевченко", "Shevchenko"),
            ("Бондаренко", "Bondarenko"), ("Мельник", "Melnyk"), ("Ткаченко", "Tkachenko"),
            ("Кравченко", "Kravchenko"), ("Олійник", "Oliinyk"), ("Шевчук", "Shevchuk"),
            ("Поліщук", "Polishchuk"), ("Бойко", "Boiko"), ("Лисенко", "Lysenko"),
            ("Руденко", "Rudenko"), ("Савченко", "Savchenko"), ("Петренко", "Petrenko"),
            ("Марченко", "Marchenko"), ("Мороз", "Moroz"), ("Павленко", "Pavlenko"),
            ("Кузьменко", "Kuzmenko"), ("Левченко", "Levchenko"), ("Харченко", "Kharchenko"),
            ("Клименко", "Klymenko"), ("Гончаренко", "Honcharenko"),
            ("Онищенко", "Onyshchenko"), ("Ковальчук", "Kovalchuk"), ("Гнатюк", "Hnatiuk"),
            ("Литвиненко", "Lytvynenko"), ("Ковальський", "Kovalskyi"),
            ("Яковенко", "Yakovenko"),
        ],
        feminine: &[("ський", "ська"), ("skyi", "ska")],
        // Russian-style spellings of Ukrainian names, common in older records.
        // (Digraphs map to themselves so that only a lone `h` becomes `g`.)
        variant: &[
            ("shch", "shch"), ("sh", "sh"), ("ch", "ch"), ("zh", "zh"), ("kh", "kh"),
            ("Kh", "Kh"), ("Sh", "Sh"), ("Ch", "Ch"), ("Zh", "Zh"), ("ii", "iy"), ("y", "i"),
            ("h", "g"), ("H", "G"),
        ],
        ..SCRIPT
    },
    // Bulgarian
    Culture {
        homes: &["BGR"],
        male: &[
            ("Георги", "Georgi"), ("Иван", "Ivan"), ("Димитър", "Dimitar"),
            ("Николай", "Nikolay"), ("Петър", "Petar"), ("Христо", "Hristo"),
            ("Стефан", "Stefan"), ("Йордан", "Yordan"), ("Тодор", "Todor"), ("Васил", "Vasil"),
            ("Александър", "Aleksandar"), ("Атанас", "Atanas"), ("Красимир", "Krasimir"),
            ("Пламен", "Plamen"), ("Стоян", "Stoyan"), ("Борислав", "Borislav"),
            ("Калоян", "Kaloyan"), ("Любомир", "Lyubomir"), ("Цветан", "Tsvetan"),
        ],
        female: &[
            ("Мария", "Maria"), ("Иванка", "Ivanka"), ("Елена", "Elena"),
            ("Йорданка", "Yordanka"), ("Пенка", "Penka"), ("Десислава", "Desislava"),
            ("Цветелина", "Tsvetelina"), ("Гергана", "Gergana"), ("Надежда", "Nadezhda"),
            ("Теодора", "Teodora"), ("Радослава", "Radoslava"), ("Станка", "Stanka"),
            ("Николета", "Nikoleta"), ("Светла", "Svetla"), ("Росица", "Rositsa"),
            ("Милена", "Milena"), ("Петя", "Petya"), ("Калина", "Kalina"),
        ],
        family: &[
            ("Иванов", "Ivanov"), ("Георгиев", "Georgiev"), ("Димитров", "Dimitrov"),
            ("Петров", "Petrov"), ("Николов", "Nikolov"), ("Христов", "Hristov"),
            ("Стоянов", "Stoyanov"), ("Тодоров", "Todorov"), ("Илиев", "Iliev"),
            ("Василев", "Vasilev"), ("Атанасов", "Atanasov"), ("Петков", "Petkov"),
            ("Ангелов", "Angelov"), ("Колев", "Kolev"), ("Йорданов", "Yordanov"),
            ("Маринов", "Marinov"), ("Стефанов", "Stefanov"), ("Попов", "Popov"),
            ("Михайлов", "Mihaylov"), ("Костов", "Kostov"), ("Кръстев", "Krastev"),
            ("Димов", "Dimov"),
        ],
        feminine: &[("ов", "ова"), ("ев", "ева"), ("ov", "ova"), ("ev", "eva")],
        variant: &[
            ("H", "Kh"), ("ts", "c"), ("Ts", "C"), ("Yo", "Jo"), ("ya", "ja"), ("yu", "ju"),
            ("ar", "ur"),
        ],
        ..SCRIPT
    },
    // Serbian
    Culture {
        homes: &["SRB", "MNE", "BIH"],
        male: &[
            ("Никола", "Nikola"), ("Марко", "Marko"), ("Стефан", "Stefan"), ("Лука", "Luka"),
            ("Милош", "Miloš"), ("Душан", "Dušan"), ("Немања", "Nemanja"),
            ("Александар", "Aleksandar"), ("Драган", "Dragan"), ("Зоран", "Zoran"),
            ("Горан", "Goran"), ("Милан", "Milan"), ("Јован", "Jovan"), ("Петар", "Petar"),
            ("Ненад", "Nenad"), ("Дејан", "Dejan"), ("Бојан", "Bojan"),
            ("Владимир", "Vladimir"), ("Срђан", "Srđan"), ("Иван", "Ivan"),
        ],
        female: &[
            ("Милица", "Milica"), ("Јелена", "Jelena"), ("Марија", "Marija"), ("Ана", "Ana"),
            ("Драгана", "Dragana"), ("Ивана", "Ivana"), ("Снежана", "Snežana"),
            ("Тијана", "Tijana"), ("Јована", "Jovana"), ("Катарина", "Katarina"),
            ("Невена", "Nevena"), ("Сања", "Sanja"), ("Бојана", "Bojana"),
            ("Мирјана", "Mirjana"), ("Весна", "Vesna"), ("Гордана", "Gordana"),
            ("Теодора", "Teodora"), ("Сара", "Sara"), ("Биљана", "Biljana"),
        ],
        family: &[
            ("Јовановић", "Jovanović"), ("Петровић", "Petrović"), ("Николић", "Nikolić"),
            ("Марковић", "Marković"), ("Ђорђевић", "Đorđević"), ("Стојановић", "Stojanović"),
            ("Илић", "Ilić"), ("Станковић", "Stanković"), ("Павловић", "Pavlović"),
            ("Милошевић", "Milošević"), ("Ђурић", "Đurić"), ("Стевановић", "Stevanović"),
            ("Томић", "Tomić"), ("Костић", "Kostić"), ("Марић", "Marić"),
            ("Поповић", "Popović"), ("Живковић", "Živković"), ("Лазић", "Lazić"),
            ("Митровић", "Mitrović"), ("Вуковић", "Vuković"), ("Радовановић", "Radovanović"),
            ("Симић", "Simić"),
        ],
        // The ASCII forms of Gaj's Latin alphabet, as in machine readable zones.
        variant: &[
            ("ć", "c"), ("č", "c"), ("š", "s"), ("ž", "z"), ("đ", "dj"), ("Đ", "Dj"),
            ("Ž", "Z"), ("Š", "S"), ("Č", "C"),
        ],
        ..SCRIPT
    },
    // Greek
    Culture {
        homes: &["GRC", "CYP"],
        male: &[
            ("Γεώργιος", "Georgios"), ("Ιωάννης", "Ioannis"), ("Κωνσταντίνος", "Konstantinos"),
            ("Δημήτριος", "Dimitrios"), ("Νικόλαος", "Nikolaos"), ("Παναγιώτης", "Panagiotis"),
            ("Βασίλειος", "Vasileios"), ("Χρήστος", "Christos"), ("Αθανάσιος", "Athanasios"),
            ("Μιχαήλ", "Michail"), ("Ευάγγελος", "Evangelos"), ("Σπυρίδων", "Spyridon"),
            ("Αντώνιος", "Antonios"), ("Αλέξανδρος", "Alexandros"), ("Θεόδωρος", "Theodoros"),
            ("Ανδρέας", "Andreas"), ("Στέφανος", "Stefanos"), ("Πέτρος", "Petros"),
            ("Σταύρος", "Stavros"), ("Γρηγόριος", "Grigorios"),
        ],
        female: &[
            ("Μαρία", "Maria"), ("Ελένη", "Eleni"), ("Αικατερίνη", "Aikaterini"),
            ("Βασιλική", "Vasiliki"), ("Σοφία", "Sofia"), ("Αγγελική", "Angeliki"),
            ("Γεωργία", "Georgia"), ("Δήμητρα", "Dimitra"), ("Κωνσταντίνα", "Konstantina"),
            ("Παρασκευή", "Paraskevi"), ("Ευαγγελία", "Evangelia"), ("Ειρήνη", "Eirini"),
            ("Χριστίνα", "Christina"), ("Αναστασία", "Anastasia"), ("Ιωάννα", "Ioanna"),
            ("Αθηνά", "Athina"), ("Δέσποινα", "Despoina"), ("Φωτεινή", "Foteini"),
            ("Ζωή", "Zoi"),
        ],
        family: &[
            ("Παπαδόπουλος", "Papadopoulos"), ("Γεωργίου", "Georgiou"),
            ("Οικονόμου", "Oikonomou"), ("Παπαδάκης", "Papadakis"), ("Βασιλείου", "Vasileiou"),
            ("Νικολάου", "Nikolaou"), ("Κωνσταντίνου", "Konstantinou"), ("Ιωάννου", "Ioannou"),
            ("Μακρής", "Makris"), ("Αντωνίου", "Antoniou"), ("Δημητρίου", "Dimitriou"),
            ("Καραγιάννης", "Karagiannis"), ("Παππάς", "Pappas"),
            ("Χριστοδούλου", "Christodoulou"), ("Παπανικολάου", "Papanikolaou"),
            ("Αλεξίου", "Alexiou"), ("Λαμπράκης", "Lamprakis"),
            ("Σταματόπουλος", "Stamatopoulos"), ("Παπαγεωργίου", "Papageorgiou"),
            ("Μαυρομάτης", "Mavromatis"), ("Αθανασίου", "Athanasiou"),
            ("Πετρόπουλος", "Petropoulos"),
        ],
        feminine: &[
            ("όπουλος", "οπούλου"), ("opoulos", "opoulou"), ("ής", "ή"), ("ης", "η"),
            ("άς", "ά"), ("ας", "α"), ("is", "i"), ("as", "a"),
        ],
        variant: &[("ou", "u"), ("ch", "h"), ("y", "i"), ("ai", "e"), ("Ch", "H")],
        ..SCRIPT
    },
    // Arabic
    Culture {
        homes: &[
            "MAR", "DZA", "TUN", "LBY", "EGY", "SAU", "ARE", "QAT", "JOR", "LBN", "SYR", "IRQ",
        ],
        male: &[
            ("محمد", "Mohammed"), ("أحمد", "Ahmed"), ("علي", "Ali"), ("حسن", "Hassan"),
            ("حسين", "Hussein"), ("عمر", "Omar"), ("خالد", "Khaled"), ("يوسف", "Youssef"),
            ("إبراهيم", "Ibrahim"), ("عبد الله", "Abdullah"), ("مصطفى", "Mustafa"),
            ("محمود", "Mahmoud"), ("كريم", "Karim"), ("سعيد", "Said"), ("طارق", "Tarek"),
            ("ياسين", "Yassine"), ("سامي", "Sami"), ("رشيد", "Rachid"), ("نبيل", "Nabil"),
            ("فيصل", "Faisal"), ("بلال", "Bilal"), ("حمزة", "Hamza"),
        ],
        female: &[
            ("فاطمة", "Fatima"), ("عائشة", "Aisha"), ("مريم", "Maryam"), ("خديجة", "Khadija"),
            ("زينب", "Zainab"), ("ليلى", "Layla"), ("نور", "Nour"), ("سارة", "Sara"),
            ("أمينة", "Amina"), ("هدى", "Huda"), ("سلمى", "Salma"), ("ياسمين", "Yasmine"),
            ("رانيا", "Rania"), ("دينا", "Dina"), ("سميرة", "Samira"), ("نادية", "Nadia"),
            ("إيمان", "Iman"), ("منى", "Mona"), ("رحمة", "Rahma"),
        ],
        family: &[
            ("العلي", "Al-Ali"), ("الأحمد", "Al-Ahmad"), ("حداد", "Haddad"),
            ("خوري", "Khoury"), ("منصور", "Mansour"), ("الشامي", "Al-Shami"),
            ("المصري", "Al-Masri"), ("بن علي", "Ben Ali"), ("العمري", "Al-Omari"),
            ("الزهراني", "Al-Zahrani"), ("القحطاني", "Al-Qahtani"), ("الدوسري", "Al-Dosari"),
            ("الشمري", "Al-Shammari"), ("عبد الرحمن", "Abdelrahman"),
            ("سليمان", "Suleiman"), ("عثمان", "Othman"), ("الإدريسي", "El Idrissi"),
            ("العلوي", "Alaoui"), ("التازي", "Tazi"), ("بوزيد", "Bouzid"),
            ("حمدان", "Hamdan"), ("الخطيب", "Al-Khatib"), ("نصر", "Nasr"),
        ],
        variant: &[
            ("Mohammed", "Mohamed"), ("Al-", "El-"), ("ou", "u"), ("sh", "ch"), ("ee", "i"),
            ("j", "dj"), ("Kh", "H"),
        ],
        two_given: false,
        ..SCRIPT
    },
    // Persian
    Culture {
        homes: &["IRN", "AFG"],
        male: &[
            ("محمد", "Mohammad"), ("علی", "Ali"), ("حسین", "Hossein"), ("رضا", "Reza"),
            ("مهدی", "Mahdi"), ("امیر", "Amir"), ("سعید", "Saeed"), ("حمید", "Hamid"),
            ("مجید", "Majid"), ("بهزاد", "Behzad"), ("داریوش", "Dariush"),
            ("کوروش", "Kourosh"), ("فرهاد", "Farhad"), ("بابک", "Babak"), ("آرش", "Arash"),
            ("نیما", "Nima"), ("پویا", "Pouya"), ("سینا", "Sina"), ("مسعود", "Masoud"),
            ("جواد", "Javad"),
        ],
        female: &[
            ("فاطمه", "Fatemeh"), ("زهرا", "Zahra"), ("مریم", "Maryam"), ("سارا", "Sara"),
            ("نرگس", "Narges"), ("شیرین", "Shirin"), ("لیلا", "Leila"), ("مینا", "Mina"),
            ("پریسا", "Parisa"), ("الهام", "Elham"), ("سمیرا", "Samira"), ("نگار", "Negar"),
            ("آزاده", "Azadeh"), ("مهسا", "Mahsa"), ("ترانه", "Taraneh"),
            ("گلناز", "Golnaz"), ("یاسمن", "Yasaman"), ("شادی", "Shadi"),
        ],
        family: &[
            ("محمدی", "Mohammadi"), ("حسینی", "Hosseini"), ("احمدی", "Ahmadi"),
            ("رضایی", "Rezaei"), ("موسوی", "Mousavi"), ("کریمی", "Karimi"),
            ("جعفری", "Jafari"), ("رحیمی", "Rahimi"), ("صادقی", "Sadeghi"),
            ("کاظمی", "Kazemi"), ("هاشمی", "Hashemi"), ("نوری", "Nouri"), ("طاهری", "Taheri"),
            ("عباسی", "Abbasi"), ("نجفی", "Najafi"), ("اکبری", "Akbari"),
            ("یزدانی", "Yazdani"), ("فراهانی", "Farahani"), ("سلطانی", "Soltani"),
            ("امینی", "Amini"), ("بهرامی", "Bahrami"), ("میرزایی", "Mirzaei"),
        ],
        variant: &[
            ("Mohammad", "Mohammed"), ("Hossein", "Hosein"), ("ou", "u"), ("ae", "ai"),
            ("Gh", "Q"), ("gh", "q"), ("eh", "a"), ("Mahdi", "Mehdi"),
        ],
        two_given: false,
        ..SCRIPT
    },
    // Hebrew
    Culture {
        homes: &["ISR"],
        male: &[
            ("דוד", "David"), ("משה", "Moshe"), ("יוסף", "Yosef"), ("אברהם", "Avraham"),
            ("יצחק", "Yitzhak"), ("יעקב", "Yaakov"), ("דניאל", "Daniel"), ("אריאל", "Ariel"),
            ("נועם", "Noam"), ("איתי", "Itai"), ("עומר", "Omer"), ("יונתן", "Yonatan"),
            ("אורי", "Uri"), ("רון", "Ron"), ("גיל", "Gil"), ("אלון", "Alon"),
            ("עמית", "Amit"), ("שמואל", "Shmuel"), ("מיכאל", "Michael"),
        ],
        female: &[
            ("שרה", "Sarah"), ("רחל", "Rachel"), ("לאה", "Leah"), ("מיכל", "Michal"),
            ("נועה", "Noa"), ("תמר", "Tamar"), ("יעל", "Yael"), ("שירה", "Shira"),
            ("מאיה", "Maya"), ("אביגיל", "Avigail"), ("רותם", "Rotem"), ("הדס", "Hadas"),
            ("ענבל", "Inbal"), ("אורית", "Orit"), ("דנה", "Dana"), ("אסתר", "Esther"),
            ("רבקה", "Rivka"), ("ליאת", "Liat"), ("טל", "Tal"),
        ],
        family: &[
            ("כהן", "Cohen"), ("לוי", "Levi"), ("מזרחי", "Mizrahi"), ("פרץ", "Peretz"),
            ("ביטון", "Biton"), ("דהן", "Dahan"), ("פרידמן", "Friedman"), ("מלכה", "Malka"),
            ("אזולאי", "Azoulay"), ("כץ", "Katz"), ("עמר", "Amar"), ("אוחיון", "Ohayon"),
            ("חדד", "Hadad"), ("גבאי", "Gabay"), ("בן דוד", "Ben David"),
            ("שפירא", "Shapira"), ("רוזנברג", "Rosenberg"), ("גולדברג", "Goldberg"),
            ("שמעוני", "Shimoni"), ("אשכנזי", "Ashkenazi"),
        ],
        variant: &[
            ("tz", "ts"), ("ch", "kh"), ("ai", "ay"), ("Yi", "I"), ("kov", "cov"), ("v", "w"),
        ],
        ..SCRIPT
    },
    // Chinese
    Culture {
        homes: &["CHN", "TWN", "HKG", "SGP"],
        family_first: true,
        joined: true,
        two_given: false,
        male: &[
            ("伟", "Wei"), ("强", "Qiang"), ("磊", "Lei"), ("军", "Jun"), ("洋", "Yang"),
            ("勇", "Yong"), ("杰", "Jie"), ("涛", "Tao"), ("明", "Ming"), ("超", "Chao"),
            ("建华", "Jianhua"), ("志强", "Zhiqiang"), ("海波", "Haibo"),
            ("晓东", "Xiaodong"), ("国平", "Guoping"), ("浩然", "Haoran"), ("子轩", "Zixuan"),
            ("宇航", "Yuhang"), ("俊杰", "Junjie"), ("文博", "Wenbo"),
        ],
        female: &[
            ("芳", "Fang"), ("娜", "Na"), ("敏", "Min"), ("静", "Jing"), ("丽", "Li"),
            ("艳", "Yan"), ("秀英", "Xiuying"), ("桂英", "Guiying"), ("婷", "Ting"),
            ("雪", "Xue"), ("慧", "Hui"), ("玲", "Ling"), ("欣怡", "Xinyi"), ("梓涵", "Zihan"),
            ("雨桐", "Yutong"), ("佳怡", "Jiayi"), ("晓红", "Xiaohong"), ("美玲", "Meiling"),
            ("淑珍", "Shuzhen"), ("海燕", "Haiyan"),
        ],
        family: &[
            ("王", "Wang"), ("李", "Li"), ("张", "Zhang"), ("刘", "Liu"), ("陈", "Chen"),
            ("杨", "Yang"), ("黄", "Huang"), ("赵", "Zhao"), ("吴", "Wu"), ("周", "Zhou"),
            ("徐", "Xu"), ("孙", "Sun"), ("马", "Ma"), ("朱", "Zhu"), ("胡", "Hu"),
            ("郭", "Guo"), ("何", "He"), ("林", "Lin"), ("高", "Gao"), ("罗", "Luo"),
            ("郑", "Zheng"), ("梁", "Liang"), ("谢", "Xie"), ("宋", "Song"), ("唐", "Tang"),
        ],
        // Wade-Giles-like spellings, as in Taiwanese and older documents.
        variant: &[
            ("Zh", "Ch"), ("zh", "ch"), ("X", "Hs"), ("x", "hs"), ("Q", "Ch'"), ("q", "ch'"),
            ("Z", "Ts"), ("ong", "ung"),
        ],
        ..SCRIPT
    },
    // Japanese
    Culture {
        homes: &["JPN"],
        family_first: true,
        joined: true,
        two_given: false,
        male: &[
            ("翔太", "Shota"), ("大輔", "Daisuke"), ("健太", "Kenta"), ("拓也", "Takuya"),
            ("直樹", "Naoki"), ("誠", "Makoto"), ("浩", "Hiroshi"), ("健一", "Kenichi"),
            ("隆", "Takashi"), ("蓮", "Ren"), ("悠斗", "Yuto"), ("陽翔", "Haruto"),
            ("和也", "Kazuya"), ("亮", "Ryo"), ("修", "Osamu"), ("剛", "Tsuyoshi"),
            ("哲也", "Tetsuya"), ("雄一", "Yuichi"), ("俊介", "Shunsuke"), ("ケン", "Ken"),
            ("たけし", "Takeshi"), ("あきら", "Akira"),
        ],
        female: &[
            ("陽子", "Yoko"), ("恵子", "Keiko"), ("裕子", "Yuko"), ("美咲", "Misaki"),
            ("さくら", "Sakura"), ("花子", "Hanako"), ("直美", "Naomi"), ("由美", "Yumi"),
            ("愛", "Ai"), ("結衣", "Yui"), ("陽菜", "Hina"), ("真由美", "Mayumi"),
            ("明美", "Akemi"), ("香織", "Kaori"), ("智子", "Tomoko"), ("麻衣", "Mai"),
            ("千尋", "Chihiro"), ("あゆみ", "Ayumi"), ("エリカ", "Erika"), ("美穂", "Miho"),
            ("ひかり", "Hikari"), ("みどり", "Midori"),
        ],
        family: &[
            ("佐藤", "Sato"), ("鈴木", "Suzuki"), ("高橋", "Takahashi"), ("田中", "Tanaka"),
            ("伊藤", "Ito"), ("渡辺", "Watanabe"), ("山本", "Yamamoto"), ("中村", "Nakamura"),
            ("小林", "Kobayashi"), ("加藤", "Kato"), ("吉田", "Yoshida"), ("山田", "Yamada"),
            ("佐々木", "Sasaki"), ("山口", "Yamaguchi"), ("松本", "Matsumoto"),
            ("井上", "Inoue"), ("木村", "Kimura"), ("林", "Hayashi"), ("斎藤", "Saito"),
            ("清水", "Shimizu"), ("山崎", "Yamazaki"), ("森", "Mori"), ("池田", "Ikeda"),
            ("橋本", "Hashimoto"), ("石川", "Ishikawa"),
        ],
        // Long vowels spelled out, and Kunrei-shiki.
        variant: &[
            ("Sato", "Satoh"), ("Ito", "Itoh"), ("Kato", "Katoh"), ("Saito", "Saitoh"),
            ("Yoko", "Youko"), ("Yuko", "Yuuko"), ("Shota", "Shouta"), ("Ryo", "Ryou"),
            ("shi", "si"), ("chi", "ti"), ("tsu", "tu"), ("fu", "hu"), ("ji", "zi"),
            ("Shi", "Si"), ("Chi", "Ti"), ("Tsu", "Tu"),
        ],
        ..SCRIPT
    },
    // Korean
    Culture {
        homes: &["KOR"],
        family_first: true,
        joined: true,
        two_given: false,
        male: &[
            ("민준", "Min-jun"), ("서준", "Seo-jun"), ("도윤", "Do-yun"), ("지호", "Ji-ho"),
            ("현우", "Hyun-woo"), ("준호", "Jun-ho"), ("성민", "Sung-min"),
            ("동현", "Dong-hyun"), ("영수", "Young-soo"), ("정훈", "Jung-hoon"),
            ("상철", "Sang-chul"), ("재현", "Jae-hyun"), ("태현", "Tae-hyun"),
            ("승우", "Seung-woo"), ("진우", "Jin-woo"), ("민수", "Min-su"),
            ("영호", "Young-ho"), ("광수", "Kwang-soo"), ("우진", "Woo-jin"), ("하준", "Ha-jun"),
        ],
        female: &[
            ("서연", "Seo-yeon"), ("지우", "Ji-woo"), ("민서", "Min-seo"), ("하은", "Ha-eun"),
            ("수빈", "Su-bin"), ("지민", "Ji-min"), ("은지", "Eun-ji"), ("수진", "Su-jin"),
            ("미영", "Mi-young"), ("영희", "Young-hee"), ("혜진", "Hye-jin"),
            ("지현", "Ji-hyun"), ("유진", "Yu-jin"), ("소연", "So-yeon"), ("예은", "Ye-eun"),
            ("다은", "Da-eun"), ("미숙", "Mi-sook"), ("정숙", "Jung-sook"),
            ("선영", "Sun-young"), ("현정", "Hyun-jung"),
        ],
        family: &[
            ("김", "Kim"), ("이", "Lee"), ("박", "Park"), ("최", "Choi"), ("정", "Jung"),
            ("강", "Kang"), ("조", "Cho"), ("윤", "Yoon"), ("장", "Jang"), ("임", "Lim"),
            ("한", "Han"), ("오", "Oh"), ("서", "Seo"), ("신", "Shin"), ("권", "Kwon"),
            ("황", "Hwang"), ("안", "Ahn"), ("송", "Song"), ("류", "Ryu"), ("홍", "Hong"),
            ("전", "Jeon"), ("고", "Ko"), ("문", "Moon"), ("손", "Son"), ("배", "Bae"),
        ],
        // Revised Romanization.
        variant: &[
            // `eung` maps to itself so that `ung` below does not rewrite it.
            ("-", ""), ("Lee", "Yi"), ("Park", "Bak"), ("Choi", "Choe"), ("eung", "eung"),
            ("oung", "eong"), ("ung", "eong"), ("oo", "u"), ("Kw", "Gw"), ("hyun", "hyeon"),
            ("Hyun", "Hyeon"),
        ],
        ..SCRIPT
    },
    // Hindi
    Culture {
        homes: &["IND", "NPL"],
        male: &[
            ("राहुल", "Rahul"), ("अमित", "Amit"), ("विजय", "Vijay"), ("राजेश", "Rajesh"),
            ("सुनील", "Sunil"), ("अनिल", "Anil"), ("संजय", "Sanjay"), ("मनोज", "Manoj"),
            ("दीपक", "Deepak"), ("अजय", "Ajay"), ("रवि", "Ravi"), ("सुरेश", "Suresh"),
            ("विकास", "Vikas"), ("आकाश", "Akash"), ("अर्जुन", "Arjun"), ("रोहित", "Rohit"),
            ("प्रकाश", "Prakash"), ("अशोक", "Ashok"), ("गौरव", "Gaurav"), ("नितिन", "Nitin"),
        ],
        female: &[
            ("प्रिया", "Priya"), ("पूजा", "Pooja"), ("अनीता", "Anita"), ("सुनीता", "Sunita"),
            ("नेहा", "Neha"), ("कविता", "Kavita"), ("दीपिका", "Deepika"), ("अंजलि", "Anjali"),
            ("सीमा", "Seema"), ("ममता", "Mamta"), ("आरती", "Aarti"), ("गीता", "Geeta"),
            ("लक्ष्मी", "Lakshmi"), ("सरिता", "Sarita"), ("मीना", "Meena"), ("रेखा", "Rekha"),
            ("स्वाति", "Swati"), ("निशा", "Nisha"), ("ऐश्वर्या", "Aishwarya"),
        ],
        family: &[
            ("शर्मा", "Sharma"), ("वर्मा", "Verma"), ("गुप्ता", "Gupta"), ("सिंह", "Singh"),
            ("कुमार", "Kumar"), ("यादव", "Yadav"), ("पटेल", "Patel"), ("जैन", "Jain"),
            ("मिश्रा", "Mishra"), ("अग्रवाल", "Agarwal"), ("चौहान", "Chauhan"),
            ("तिवारी", "Tiwari"), ("पाण्डेय", "Pandey"), ("श्रीवास्तव", "Srivastava"),
            ("राठौर", "Rathore"), ("मेहता", "Mehta"), ("जोशी", "Joshi"), ("कपूर", "Kapoor"),
            ("मल्होत्रा", "Malhotra"), ("चौधरी", "Chaudhary"), ("ठाकुर", "Thakur"),
            ("दुबे", "Dubey"), ("सक्सेना", "Saxena"), ("भट्ट", "Bhatt"),
        ],
        variant: &[
            ("Chaudhary", "Choudhury"), ("ee", "i"), ("oo", "u"), ("aa", "a"), ("Sh", "S"),
            ("v", "w"), ("V", "W"),
        ],
        ..SCRIPT
    },
    // Georgian
    Culture {
        homes: &["GEO"],
        male: &[
            ("გიორგი", "Giorgi"), ("დავით", "Davit"), ("ნიკოლოზ", "Nikoloz"), ("ლევან", "Levan"),
            ("ზურაბ", "Zurab"), ("ირაკლი", "Irakli"), ("ალექსანდრე", "Aleksandre"),
            ("ლაშა", "Lasha"), ("გიგა", "Giga"), ("თამაზ", "Tamaz"), ("ვახტანგ", "Vakhtang"),
            ("მამუკა", "Mamuka"), ("დიმიტრი", "Dimitri"), ("ბექა", "Beka"), ("ლუკა", "Luka"),
            ("ოთარ", "Otar"), ("შოთა", "Shota"), ("გელა", "Gela"), ("ტორნიკე", "Tornike"),
            ("ნოდარ", "Nodar"),
        ],
        female: &[
            ("ნინო", "Nino"), ("მარიამ", "Mariam"), ("თამარ", "Tamar"), ("ანა", "Ana"),
            ("ეკატერინე", "Ekaterine"), ("ნათია", "Natia"), ("სალომე", "Salome"),
            ("ქეთევან", "Ketevan"), ("მაკა", "Maka"), ("თეონა", "Teona"), ("ლიკა", "Lika"),
            ("ხატია", "Khatia"), ("ნანა", "Nana"), ("მზია", "Mzia"), ("ელენე", "Elene"),
            ("სოფიო", "Sopio"), ("ლელა", "Lela"), ("თინათინ", "Tinatin"),
        ],
        family: &[
            ("ბერიძე", "Beridze"), ("კაპანაძე", "Kapanadze"), ("გელაშვილი", "Gelashvili"),
            ("მაისურაძე", "Maisuradze"), ("გიორგაძე", "Giorgadze"), ("ლომიძე", "Lomidze"),
            ("წიკლაური", "Tsiklauri"), ("ბოლქვაძე", "Bolkvadze"), ("ნოზაძე", "Nozadze"),
            ("ხუციშვილი", "Khutsishvili"), ("შენგელია", "Shengelia"), ("აბაშიძე", "Abashidze"),
            ("ჯაფარიძე", "Japaridze"), ("კვარაცხელია", "Kvaratskhelia"),
            ("ლორთქიფანიძე", "Lortkipanidze"), ("ჩიქოვანი", "Chikovani"),
            ("ყიფიანი", "Kipiani"), ("დოლიძე", "Dolidze"), ("ბაქრაძე", "Bakradze"),
            ("ტაბიძე", "Tabidze"), ("ჩხეიძე", "Chkheidze"),
        ],
        variant: &[("sh", "ch"), ("Sh", "Ch"), ("ts", "tz"), ("kh", "ch"), ("v", "w")],
        ..SCRIPT
    },
    // Armenian
    Culture {
        homes: &["ARM"],
        male: &[
            ("Արամ", "Aram"), ("Հայկ", "Hayk"), ("Դավիթ", "Davit"), ("Գևորգ", "Gevorg"),
            ("Արմեն", "Armen"), ("Տիգրան", "Tigran"), ("Նարեկ", "Narek"), ("Վահե", "Vahe"),
            ("Արթուր", "Artur"), ("Կարեն", "Karen"), ("Հովհաննես", "Hovhannes"),
            ("Սարգիս", "Sargis"), ("Գրիգոր", "Grigor"), ("Արսեն", "Arsen"),
            ("Էդգար", "Edgar"), ("Ռուբեն", "Ruben"), ("Վարդան", "Vardan"), ("Աշոտ", "Ashot"),
            ("Սամվել", "Samvel"), ("Մհեր", "Mher"),
        ],
        female: &[
            ("Անի", "Ani"), ("Մարիամ", "Mariam"), ("Նարինե", "Narine"), ("Լիլիթ", "Lilit"),
            ("Անահիտ", "Anahit"), ("Գայանե", "Gayane"), ("Արմինե", "Armine"), ("Սոնա", "Sona"),
            ("Հասմիկ", "Hasmik"), ("Նունե", "Nune"), ("Տաթևիկ", "Tatevik"), ("Մանե", "Mane"),
            ("Լուսինե", "Lusine"), ("Սիրանուշ", "Siranush"), ("Աստղիկ", "Astghik"),
            ("Զարուհի", "Zaruhi"), ("Էլեն", "Elen"), ("Կարինե", "Karine"),
            ("Շուշան", "Shushan"),
        ],
        family: &[
            ("Գրիգորյան", "Grigoryan"), ("Հարությունյան", "Harutyunyan"),
            ("Սարգսյան", "Sargsyan"), ("Պետրոսյան", "Petrosyan"),
            ("Հովհաննիսյան", "Hovhannisyan"), ("Խաչատրյան", "Khachatryan"),
            ("Կարապետյան", "Karapetyan"), ("Մկրտչյան", "Mkrtchyan"),
            ("Ավետիսյան", "Avetisyan"), ("Գասպարյան", "Gasparyan"),
            ("Ստեփանյան", "Stepanyan"), ("Մարտիրոսյան", "Martirosyan"),
            ("Վարդանյան", "Vardanyan"), ("Մանուկյան", "Manukyan"),
            ("Բաղդասարյան", "Baghdasaryan"), ("Ղազարյան", "Ghazaryan"),
            ("Մելքոնյան", "Melkonyan"), ("Աբրահամյան", "Abrahamyan"),
            ("Առաքելյան", "Arakelyan"), ("Սիմոնյան", "Simonyan"),
        ],
        // Western Armenian and diaspora spellings.
        variant: &[
            ("yan", "ian"), ("Hovhannes", "Ohannes"), ("gh", "kh"), ("Gh", "Kh"), ("ev", "eff"),
        ],
        ..SCRIPT
    },
];
#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use serde_json::{Map, Value};

    use super::*;
    use crate::country::CountryCode;
    use crate::record::Record;

    fn generate_string(persons: u64, documents: u64, objects: u64, seed: u64) -> String {
        let config = GenConfig {
            persons,
            documents,
            objects,
            seed,
        };
        let mut out = Vec::new();
        generate(&config, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn iso_codes() -> HashSet<String> {
        CountryCode::iso_alpha3()
            .map(|c| c.as_str().to_owned())
            .collect()
    }

    fn is_full_date(s: &str) -> bool {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return false;
        }
        let (Ok(y), Ok(m), Ok(d)) = (
            s[..4].parse::<u64>(),
            s[5..7].parse::<u64>(),
            s[8..].parse::<u64>(),
        ) else {
            return false;
        };
        (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)
    }

    fn str_list<'a>(v: &'a Value, field: &str) -> Vec<&'a str> {
        v.as_array()
            .unwrap_or_else(|| panic!("{field} is not a list"))
            .iter()
            .map(|x| {
                x.as_str()
                    .unwrap_or_else(|| panic!("{field} holds a non-string"))
            })
            .collect()
    }

    /// Checks one record against records.md; returns its id.
    fn check_record(line: &str, iso: &HashSet<String>) -> String {
        let value: Value = serde_json::from_str(line).unwrap();
        let Value::Object(map) = &value else {
            panic!("not an object: {line}")
        };
        let kind = map["kind"].as_str().unwrap();
        let own: &[&str] = match kind {
            "person" => &["names", "birth_date", "sex", "nationalities", "notices"],
            "document" => &[
                "number",
                "issuing_country",
                "doc_type",
                "status",
                "reported_on",
            ],
            "object" => &["object_type", "identifiers", "status", "description"],
            other => panic!("kind {other}"),
        };
        // Canonical order: the keys present must be a subsequence of this list.
        let order: Vec<&str> = ["kind", "id", "owner", "review", "restricted_to", "links"]
            .into_iter()
            .chain(own.iter().copied())
            .chain(["updated_at"])
            .collect();
        let mut position = 0;
        for key in map.keys() {
            let found = order[position..]
                .iter()
                .position(|k| k == key)
                .unwrap_or_else(|| panic!("key {key} unknown or out of order: {line}"));
            position += found + 1;
        }
        let required: &[&str] = match kind {
            "person" => &["names"],
            "document" => &["number", "issuing_country", "doc_type", "status"],
            _ => &["object_type", "identifiers", "status"],
        };
        for key in ["kind", "id", "owner", "review"].iter().chain(required) {
            assert!(map.contains_key(*key), "{key} missing: {line}");
        }
        let country = |v: &Value| {
            let code = v.as_str().unwrap();
            assert!(iso.contains(code), "{code} is not ISO alpha-3: {line}");
            code.to_owned()
        };
        let id = map["id"].as_str().unwrap().to_owned();
        let prefix = match kind {
            "person" => "P-",
            "document" => "D-",
            _ => "O-",
        };
        assert!(id.starts_with(prefix) && id.len() == 11, "{id}");
        assert!(id[2..].bytes().all(|b| b.is_ascii_digit()), "{id}");
        let owner = country(&map["owner"]);
        assert!(["cleared", "pending", "refused"].contains(&map["review"].as_str().unwrap()));
        if let Some(r) = map.get("restricted_to") {
            let list = str_list(r, "restricted_to");
            assert!((1..=3).contains(&list.len()), "{line}");
            assert!(!list.contains(&owner.as_str()), "{line}");
            list.iter()
                .for_each(|c| assert!(iso.contains(*c), "{line}"));
        }
        if let Some(links) = map.get("links") {
            let list = str_list(links, "links");
            assert!(!list.is_empty() && list.len() <= 3, "{line}");
        }
        if let Some(t) = map.get("updated_at") {
            let t = t.as_str().unwrap();
            assert_eq!(t.len(), 20, "{t}");
            assert!(
                is_full_date(&t[..10]) && t.ends_with('Z') && &t[10..11] == "T",
                "{t}"
            );
            let (h, m, s): (u32, u32, u32) = (
                t[11..13].parse().unwrap(),
                t[14..16].parse().unwrap(),
                t[17..19].parse().unwrap(),
            );
            assert!(h < 24 && m < 60 && s < 60, "{t}");
        }
        match kind {
            "person" => check_person(map, line, &country),
            "document" => {
                let number = map["number"].as_str().unwrap();
                let normalized = identifier::normalize(number);
                assert!((8..=12).contains(&normalized.len()), "{number}");
                country(&map["issuing_country"]);
                assert!(DOC_TYPES.contains(&map["doc_type"].as_str().unwrap()));
                assert!(DOC_STATUSES.contains(&map["status"].as_str().unwrap()));
                if let Some(d) = map.get("reported_on") {
                    assert!(is_full_date(d.as_str().unwrap()), "{line}");
                }
            }
            _ => check_object(map, line, &country),
        }
        id
    }

    fn check_person(map: &Map<String, Value>, line: &str, country: &dyn Fn(&Value) -> String) {
        let names = map["names"].as_array().unwrap();
        assert!((1..=3).contains(&names.len()), "{line}");
        for name in names {
            let name = name.as_object().unwrap();
            assert!(
                name.contains_key("full") || name.contains_key("family"),
                "{line}"
            );
            for (key, part) in name {
                assert!(
                    ["given", "family", "full"].contains(&key.as_str()),
                    "{line}"
                );
                let part = part.as_str().unwrap();
                assert!(!part.trim().is_empty() && part.trim() == part, "{line}");
            }
        }
        if let Some(b) = map.get("birth_date") {
            let b = b.as_str().unwrap();
            let ok = match b.len() {
                4 => b.parse::<u32>().is_ok(),
                7 => is_full_date(&format!("{b}-01")),
                _ => is_full_date(b),
            };
            assert!(ok, "{b}");
        }
        if let Some(s) = map.get("sex") {
            assert!(["M", "F", "X"].contains(&s.as_str().unwrap()));
        }
        if let Some(n) = map.get("nationalities") {
            let list = str_list(n, "nationalities");
            assert!((1..=2).contains(&list.len()), "{line}");
            n.as_array().unwrap().iter().for_each(|c| {
                country(c);
            });
        }
        if let Some(n) = map.get("notices") {
            let list = str_list(n, "notices");
            assert!((1..=2).contains(&list.len()), "{line}");
            assert!(list.iter().all(|x| NOTICES.contains(x)), "{line}");
        }
    }

    fn check_object(map: &Map<String, Value>, line: &str, country: &dyn Fn(&Value) -> String) {
        let object_type = map["object_type"].as_str().unwrap();
        let allowed: &[&str] = match object_type {
            "vehicle" => &["vin", "plate", "plate_country"],
            "firearm" => &["serial", "make", "model", "caliber"],
            "artwork" => &["title", "artist", "inventory"],
            "vessel" => &["hull_id", "imo"],
            "container" => &["container_number"],
            "phone" => &["imei"],
            "chemical" => &["cas", "lot", "consignment"],
            "other" => &["serial"],
            other => panic!("object_type {other}"),
        };
        let ids = map["identifiers"].as_object().unwrap();
        assert!(!ids.is_empty(), "{line}");
        assert!(ids.keys().any(|k| k != "plate_country"), "{line}");
        for (key, value) in ids {
            assert!(
                allowed.contains(&key.as_str()),
                "{key} for {object_type}: {line}"
            );
            let value = value.as_str().unwrap();
            let norm = identifier::normalize(value);
            assert!(!norm.is_empty(), "{line}");
            let (body, check) = norm.split_at(norm.len() - 1);
            let check = check.chars().next().unwrap();
            match key.as_str() {
                "vin" => {
                    assert_eq!(norm.len(), 17, "{value}");
                    assert!(!norm.contains(['I', 'O', 'Q']), "{value}");
                    if matches!(norm.as_bytes()[0], b'1'..=b'5') {
                        let expected = identifier::vin_check_digit(&norm).unwrap();
                        assert_eq!(norm.as_bytes()[8], expected as u8, "{value}");
                    }
                }
                "container_number" => {
                    assert_eq!(norm.len(), 11, "{value}");
                    assert_eq!(
                        identifier::iso6346_check_digit(body),
                        Some(check),
                        "{value}"
                    );
                }
                "imei" => {
                    assert_eq!(norm.len(), 15, "{value}");
                    assert_eq!(identifier::luhn_check_digit(body), Some(check), "{value}");
                }
                "imo" => {
                    let digits = identifier::normalize_imo(value);
                    assert_eq!(digits.len(), 7, "{value}");
                    let (first6, check) = digits.split_at(6);
                    let check = check.chars().next().unwrap();
                    assert_eq!(identifier::imo_check_digit(first6), Some(check), "{value}");
                }
                "cas" => {
                    assert!((5..=10).contains(&norm.len()), "{value}");
                    assert_eq!(identifier::cas_check_digit(body), Some(check), "{value}");
                }
                "plate_country" => {
                    country(&Value::from(value));
                }
                _ => {}
            }
        }
        assert!(OBJECT_STATUSES.contains(&map["status"].as_str().unwrap()));
    }

    #[test]
    fn person_source_writes_the_generated_lines_from_its_truth() {
        let config = GenConfig {
            persons: 400,
            documents: 0,
            objects: 0,
            seed: 7,
        };
        let expected = generate_string(400, 0, 0, 7);
        let mut source = PersonSource::new(&config);
        let mut own_script = 0;
        for (index, line) in expected.lines().enumerate() {
            let (written, truth) = source.person(index as u64);
            assert_eq!(written.trim_end(), line);
            // The primary name is written from the truth's parts (perhaps in capitals).
            let lower = line.to_lowercase();
            let family = [&truth.family.native, &truth.family.latin];
            assert!(
                family.iter().any(|f| lower.contains(&f.to_lowercase())),
                "{line}"
            );
            assert!(!truth.culture.is_empty() && !truth.given.variant.is_empty());
            own_script += usize::from(truth.own_script);
        }
        assert!(own_script > 50, "{own_script}");
    }

    #[test]
    fn same_seed_same_bytes_other_seed_other_bytes() {
        let a = generate_string(300, 300, 300, 42);
        assert_eq!(a, generate_string(300, 300, 300, 42));
        assert_ne!(a, generate_string(300, 300, 300, 43));
        // A record does not depend on how many records of other kinds there are, links aside.
        let more_objects = generate_string(300, 300, 900, 42);
        assert!(more_objects.starts_with(&a));
    }

    #[test]
    fn every_line_is_a_valid_canonical_record() {
        let text = generate_string(2000, 3000, 4000, 7);
        let iso = iso_codes();
        let mut seen = HashSet::new();
        let mut kinds: HashMap<String, u64> = HashMap::new();
        for line in text.lines() {
            let id = check_record(line, &iso);
            assert!(seen.insert(id.clone()), "duplicate id {id}");
            *kinds.entry(id[..1].to_owned()).or_default() += 1;
            // The crate's own parser accepts the line, and its canonical form is the line.
            let record = Record::from_json_line(line).unwrap_or_else(|e| panic!("{e}: {line}"));
            assert_eq!(record.to_json_line(), line);
        }
        assert!(text.ends_with('\n'));
        assert_eq!(kinds["P"], 2000);
        assert_eq!(kinds["D"], 3000);
        assert_eq!(kinds["O"], 4000);
        let count = |needle: &str| text.matches(needle).count();
        for object_type in OBJECT_TYPES {
            assert!(
                count(&format!("\"object_type\":\"{object_type}\"")) > 20,
                "{object_type}"
            );
        }
        let lines = 9000;
        let pending = count("\"review\":\"pending\"");
        let refused = count("\"review\":\"refused\"");
        let restricted = count("\"restricted_to\"");
        let updated = count("\"updated_at\"");
        assert!(
            (lines * 6 / 100..lines * 10 / 100).contains(&pending),
            "{pending}"
        );
        assert!(
            (lines / 100..lines * 3 / 100).contains(&refused),
            "{refused}"
        );
        assert!(
            (lines * 5 / 100..lines * 9 / 100).contains(&restricted),
            "{restricted}"
        );
        assert!(
            (lines * 45 / 100..lines * 55 / 100).contains(&updated),
            "{updated}"
        );
    }

    #[test]
    fn links_point_into_range_and_back_links_agree() {
        let (persons, documents) = (1500u64, 2500u64);
        let text = generate_string(persons, documents, 1000, 11);
        let mut person_docs: HashSet<(String, String)> = HashSet::new();
        let mut back_links = Vec::new();
        let mut linked_persons = 0;
        for line in text.lines() {
            let value: Value = serde_json::from_str(line).unwrap();
            let id = value["id"].as_str().unwrap().to_owned();
            let Some(links) = value.get("links") else {
                continue;
            };
            for link in str_list(links, "links") {
                let (prefix, number) = link.split_at(2);
                let number: u64 = number.parse().unwrap();
                match prefix {
                    "P-" => assert!(number < persons, "{link}"),
                    "D-" => assert!(number < documents, "{link}"),
                    other => panic!("link prefix {other}"),
                }
                match (&id[..1], prefix) {
                    ("P", "D-") => {
                        person_docs.insert((id.clone(), link.to_owned()));
                    }
                    ("D", "P-") => back_links.push((link.to_owned(), id.clone())),
                    ("O", "P-") => {}
                    other => panic!("unexpected link {other:?}"),
                }
            }
            linked_persons += usize::from(id.starts_with('P'));
        }
        assert!(linked_persons > 500, "{linked_persons}");
        assert!(!back_links.is_empty());
        for pair in &back_links {
            assert!(
                person_docs.contains(pair),
                "{pair:?} points back at a non-holder"
            );
        }
        // No documents, no links to them.
        let text = generate_string(200, 0, 0, 11);
        assert!(!text.contains("\"links\""));
    }

    #[test]
    fn link_plan_is_a_bijection() {
        for (persons, documents) in [(1, 5), (2, 9), (7, 30), (12, 5), (1000, 3500), (97, 97)] {
            let plan = LinkPlan::new(&GenConfig {
                persons,
                documents,
                objects: 0,
                seed: persons * 31 + documents,
            });
            for document in 0..documents {
                let (person, rank) = plan.holder_of(document).unwrap();
                assert!(person < persons);
                assert_eq!(plan.document_of(person, rank), Some(document));
            }
        }
        let none = LinkPlan::new(&GenConfig {
            persons: 0,
            documents: 10,
            objects: 0,
            seed: 1,
        });
        assert_eq!(none.holder_of(3), None);
        assert_eq!(none.document_of(0, 0), None);
    }

    #[test]
    fn many_scripts_appear() {
        let text = generate_string(2000, 0, 0, 3);
        let has = |range: std::ops::RangeInclusive<char>| text.chars().any(|c| range.contains(&c));
        assert!(has('\u{0400}'..='\u{04FF}'), "Cyrillic");
        assert!(has('\u{0370}'..='\u{03FF}'), "Greek");
        assert!(has('\u{0600}'..='\u{06FF}'), "Arabic");
        assert!(
            text.contains('ی') || text.contains('پ') || text.contains('گ'),
            "Persian"
        );
        assert!(has('\u{05D0}'..='\u{05EA}'), "Hebrew");
        assert!(has('\u{4E00}'..='\u{9FFF}'), "Han");
        assert!(has('\u{3040}'..='\u{30FF}'), "kana");
        assert!(has('\u{AC00}'..='\u{D7AF}'), "Hangul");
        assert!(has('\u{0900}'..='\u{097F}'), "Devanagari");
        assert!(has('\u{10D0}'..='\u{10FF}'), "Georgian");
        assert!(has('\u{0531}'..='\u{058F}'), "Armenian");
        for latin in ["ł", "ş", "ñ", "é", "ü", "ć"] {
            assert!(text.contains(latin), "{latin}");
        }
        assert!(
            text.contains(['ễ', 'ư', 'ị', 'ă', 'ạ', 'ồ', 'ỗ']),
            "Vietnamese"
        );
        // Female forms of family names.
        assert!(text.contains("ова\"") && text.contains("ska\""));
    }

    #[test]
    fn document_numbers_are_unique() {
        let text = generate_string(0, 60_000, 0, 5);
        let mut numbers = HashSet::new();
        let mut duplicates = 0;
        for line in text.lines() {
            let value: Value = serde_json::from_str(line).unwrap();
            if !numbers.insert(identifier::normalize(value["number"].as_str().unwrap())) {
                duplicates += 1;
            }
        }
        // Formats that print the same pattern share a permutation; only formats that merely
        // overlap (a letter class and a prefix alphabet) can collide.
        assert!(duplicates <= 3, "{duplicates} duplicate document numbers");
    }

    #[test]
    fn permutation_is_a_bijection() {
        for capacity in [1u64, 2, 3, 10, 27, 1000, 4097] {
            let mut seen = HashSet::new();
            for x in 0..capacity {
                let y = permute(x, capacity, 0xDEAD_BEEF ^ capacity);
                assert!(y < capacity);
                assert!(seen.insert(y), "capacity {capacity}: {x} collides");
            }
        }
    }

    #[test]
    fn dates_round_trip() {
        for days in [0, 59, 60, 365, 10_956, 11_016, 16_436, 20_453, LAST_DAY] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m as i64, d as i64), days);
            assert!(d <= days_in_month(y as u64, m));
        }
        assert_eq!(civil_from_days(days_from_civil(2024, 2, 29)), (2024, 2, 29));
        assert_eq!(civil_from_days(LAST_DAY), (2025, 12, 31));
    }

    #[test]
    fn tables_are_consistent() {
        let iso = iso_codes();
        assert!(
            COUNTRIES.windows(2).all(|w| w[0] < w[1]),
            "COUNTRIES must be sorted"
        );
        for code in COUNTRIES {
            assert!(iso.contains(*code), "{code}");
        }
        for (name, cas) in CHEMICALS {
            let digits: String = cas.chars().filter(char::is_ascii_digit).collect();
            let (body, check) = digits.split_at(digits.len() - 1);
            assert_eq!(
                identifier::cas_check_digit(body),
                check.chars().next(),
                "{name} {cas}"
            );
        }
        for owner in CONTAINER_OWNERS {
            assert!(owner.len() == 4 && owner.ends_with('U'), "{owner}");
            assert!(owner.bytes().all(|b| b.is_ascii_uppercase()), "{owner}");
        }
        for make in VEHICLE_MAKES {
            assert!(!make.models.is_empty());
            assert!(make.wmi.len() == 3 && !make.wmi.contains(['I', 'O', 'Q']));
        }
        for culture in &CULTURES {
            assert!(!culture.male.is_empty() && !culture.female.is_empty());
            assert!(!culture.family.is_empty() && !culture.homes.is_empty());
            for home in culture.homes {
                assert!(COUNTRIES.contains(home), "{home}");
            }
            let rules = culture.variant.iter().chain(culture.feminine);
            assert!(rules.clone().all(|(from, _)| !from.is_empty()));
        }
        let templates = COUNTRIES
            .iter()
            .flat_map(|c| DOC_TYPES.iter().flat_map(move |t| document_formats(c, t)))
            .chain(INVENTORY_FORMATS)
            .chain(LOT_FORMATS)
            .chain(CONSIGNMENT_FORMATS)
            .chain(SERIAL_FORMATS);
        for format in templates {
            let capacity = format.capacity().unwrap();
            assert!(capacity > 1, "{}", format.template);
        }
        for country in COUNTRIES {
            let format = plate_format(country);
            assert!(format.capacity().is_some(), "{country}");
        }
        for document_type in DOC_TYPES {
            for format in document_formats("XXX", document_type) {
                // Unique numbers for at least 10^8 documents of one format.
                assert!(
                    format.capacity().unwrap() >= 100_000_000,
                    "{}",
                    format.template
                );
            }
        }
    }

    #[test]
    fn spanish_dni_letters_are_right() {
        let mut out = String::new();
        fmt("########-!").write(&mut out, 12_345_678, "ESP");
        assert_eq!(out, "12345678-Z");
    }
}
