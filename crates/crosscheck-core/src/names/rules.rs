//! Data tables for folding and phonetic keys. Rules are applied longest-first where order
//! matters; every table says which romanisation differences it absorbs.

/// An inclusive range of code points.
pub type CharRange = (char, char);

/// Marks dropped before transliteration: Latin/Cyrillic diacritics, Hebrew points and Arabic
/// short vowels (written in some records only). Marks of other scripts carry vowels
/// (Devanagari matras, kana voicing) and are kept.
pub const DROPPED_MARKS: &[CharRange] = &[
    ('\u{0300}', '\u{036F}'),
    ('\u{0483}', '\u{0489}'),
    ('\u{0591}', '\u{05C7}'),
    ('\u{064B}', '\u{065F}'),
    ('\u{0670}', '\u{0670}'),
    ('\u{1AB0}', '\u{1AFF}'),
    ('\u{1DC0}', '\u{1DFF}'),
    ('\u{20D0}', '\u{20FF}'),
    ('\u{FE20}', '\u{FE2F}'),
];

/// Letters whose sound the usual romanisations spell with two letters, mapped before the
/// diacritic is dropped (Şimşek is Shimshek or Simsek, never Skimskek; Anžela is Anzhela).
pub const SPELLED_OUT: &[(char, &str)] = &[
    ('ş', "sh"),
    ('Ş', "sh"),
    ('ç', "ch"),
    ('Ç', "ch"),
    ('š', "sh"),
    ('Š', "sh"),
    ('ž', "zh"),
    ('Ž', "zh"),
    ('č', "ch"),
    ('Č', "ch"),
    ('ć', "ch"),
    ('Ć', "ch"),
    ('ż', "zh"),
    ('Ż', "zh"),
];

/// Latin letters deunicode writes as a symbol: the Azerbaijani schwa is `@` there, which
/// split Nurşərəf into `nurs r f`; Latin forms of Azerbaijani names write it `e` (or `a`,
/// which the consonant keys merge).
pub const LATIN_GAPS: &[(char, &str)] = &[('ə', "e"), ('Ə', "e")];

/// Hangul syllables that stand alone as a family name and whose Revised Romanization is one
/// letter (이 is `i`, read as an initial otherwise); see [`TOKEN_SYNONYMS`] for its other
/// spellings.
pub const KOREAN_SYLLABLES: &[(char, &str)] = &[('이', "yi"), ('오', "oh"), ('우', "woo")];

/// Arabic-script letters deunicode reads wrongly: the Persian keheh ک is a `k` (Kourosh,
/// Karimi, Babak), not the `kh` of خ; the ta marbuta ة, silent at the end of a word, is no
/// letter inside one either (deunicode's `@` for it would part the word in two there).
pub const ARABIC_SCRIPT_GAPS: &[(char, &str)] = &[('\u{06A9}', "k"), ('\u{0629}', "")];

/// Letters Persian and Urdu write and Arabic does not (پ چ ژ گ, keheh ک, Farsi yeh ی): a
/// name with one of them is read the Persian way, see [`PERSIAN`].
pub const PERSIAN_ONLY: &[char] = &[
    '\u{067E}', '\u{0686}', '\u{0698}', '\u{06AF}', '\u{06A9}', '\u{06CC}',
];
/// Persian and Urdu read ض, ذ and ظ as `z` (رضا Reza, رضایی Rezaei, کاظمی Kazemi), where
/// deunicode gives the Arabic d, dh and z.
pub const PERSIAN: &[(char, &str)] = &[('\u{0636}', "z"), ('\u{0630}', "z"), ('\u{0638}', "z")];

/// Letters only Ukrainian writes: a Cyrillic name with one of them is Ukrainian, and its г
/// is the `h` of Hanna and Honcharenko (Russian-style romanisations write `g`).
pub const UKRAINIAN_ONLY: &[char] = &['і', 'ї', 'є', 'ґ', 'І', 'Ї', 'Є', 'Ґ'];
/// Ukrainian г and ґ.
pub const UKRAINIAN: &[(char, &str)] = &[('г', "h"), ('Г', "H"), ('ґ', "g"), ('Ґ', "G")];

/// Georgian letters whose national romanisation deunicode does not give (ხ is `kh`, not `x`;
/// ც is `ts`, not `c`): Khutsishvili, Tsereteli, Dzhaparidze.
pub const GEORGIAN: &[(char, &str)] = &[
    ('თ', "t"),
    ('ფ', "p"),
    ('ქ', "k"),
    ('ღ', "gh"),
    ('ყ', "k"),
    ('ჩ', "ch"),
    ('ც', "ts"),
    ('ძ', "dz"),
    ('წ', "ts"),
    ('ჭ', "ch"),
    ('ხ', "kh"),
];

/// Letters that carry a word-initial vowel in vowel-less scripts (alef, ayin; Hebrew alef,
/// ayin). deunicode drops them; they are written `a`, so that a token still says it began
/// with a vowel (عمر Omar is `amr`, never the `mr` of Mary).
pub const VOWEL_CARRIERS: &[char] = &['\u{0627}', '\u{0671}', '\u{0639}', '\u{05D0}', '\u{05E2}'];

/// Hebrew letters read as a fricative after the first letter of a word, where deunicode writes
/// the plosive: final ך is the `ch` of Baruch, final ף the `f` of Yosef. Inside a word כ may
/// be either (Malka, Michal), and ב too (Avraham, Goldberg): the Latin side has a consonant key
/// for each reading of its `ch`, and one with its `v` read as `b`, instead.
pub const HEBREW_FRICATIVES: &[(char, &str)] = &[('ך', "kh"), ('ף', "f")];

/// Arabic-script names that begin with the letters of the article without having one
/// (الهام Elham, الناز Elnaz, الیاس Elias, الهه Elaheh): never split.
pub const NOT_ARTICLE: &[&str] = &[
    "\u{0627}\u{0644}\u{0647}\u{0627}\u{0645}",
    "\u{0627}\u{0644}\u{0646}\u{0627}\u{0632}",
    "\u{0627}\u{0644}\u{06CC}\u{0627}\u{0633}",
    "\u{0627}\u{0644}\u{064A}\u{0627}\u{0633}",
    "\u{0627}\u{0644}\u{0647}\u{0647}",
    "\u{0627}\u{0644}\u{0644}\u{0647}",
];

/// Scripts whose every character is one syllable that romanisations write as a word or a
/// hyphenated part (Hangul: 전서연 is Jeon Seo-yeon): each becomes its own token, so that the
/// family name stands apart from a given name written joined.
pub const SYLLABLE_BLOCKS: &[CharRange] = &[('\u{AC00}', '\u{D7A3}')];

/// Hangul initial consonants (by their index in a syllable block) that deunicode writes
/// otherwise than the Revised Romanization: (index, deunicode's letters, RR's). ㅊ is `c`
/// there (철 `ceol`, 최 `coe`), which the `ce`, `ci` rewrites then read as s; RR and
/// passports write `ch` (Cheol, Choe, Chan).
pub const HANGUL_INITIALS: &[(u32, &str, &str)] = &[(14, "c", "ch")];

/// Apostrophes, ayn/hamza signs and aspiration marks: dropped inside a word, never a split
/// (O'Brien, Lukʼianovych, P'ing, Suk'ias).
pub const APOSTROPHES: &[char] = &[
    '\'', '`', '\u{2018}', '\u{2019}', '\u{02BC}', '\u{02BB}', '\u{02BE}', '\u{02BF}', '\u{055A}',
    '\u{055B}', '\u{055D}',
];

/// Greek (lower case, accents already dropped) to ELOT 743 / ICAO, where deunicode gives
/// older or letter-by-letter forms (η→e, υ→u, χ→kh).
pub const GREEK: &[(&str, &str)] = &[
    ("ου", "ou"),
    ("αυ", "av"),
    ("ευ", "ev"),
    ("γγ", "ng"),
    ("η", "i"),
    ("υ", "y"),
    ("χ", "ch"),
    ("ξ", "x"),
    ("ψ", "ps"),
    ("β", "v"),
    ("ω", "o"),
    ("θ", "th"),
    ("φ", "f"),
];

/// Armenian digraphs deunicode spells letter by letter.
pub const ARMENIAN: &[(&str, &str)] = &[
    ("ու", "u"),
    ("Ու", "U"),
    ("ռ", "r"),
    ("Ռ", "R"),
    ("և", "ev"),
];

/// The Arabic article, dropped at the start of a word (al-/el-/ul- are dropped on the Latin
/// side too, see [`ARTICLES`]).
pub const ARABIC_ARTICLE: &str = "\u{0627}\u{0644}";
/// Word heads written joined to an article-bearing second part (عبدالعزيز = Abd al-Aziz).
pub const ARABIC_JOINED_HEADS: &[&str] = &["\u{0639}\u{0628}\u{062F}"];
/// Word tails that start with the article and are written joined (نورالدين = Nur ad-Din).
pub const ARABIC_JOINED_TAILS: &[&str] = &[
    "\u{0627}\u{0644}\u{062F}\u{064A}\u{0646}",
    "\u{0627}\u{0644}\u{0644}\u{0647}",
];

/// Brahmic letters deunicode writes otherwise than the Hunterian spellings of names: च and
/// চ are `c` there, which the rewrites read as k; names write `ch` (Chauhan, Chaudhary,
/// Chandra), and `chh` for the aspirate (Chhabra).
pub const BRAHMIC_GAPS: &[(char, &str)] = &[
    ('\u{091A}', "ch"),
    ('\u{091B}', "chh"),
    ('\u{099A}', "ch"),
    ('\u{099B}', "chh"),
];

/// Brahmic scripts whose consonants carry an inherent `a` that deunicode does not write:
/// (consonants, dependent vowel signs and virama).
pub const INHERENT_A: &[(CharRange, CharRange)] = &[
    // Devanagari
    (('\u{0915}', '\u{0939}'), ('\u{093A}', '\u{094F}')),
    // Bengali
    (('\u{0995}', '\u{09B9}'), ('\u{09BC}', '\u{09CD}')),
];

/// Latin article tokens dropped when another token follows (Al-Qahtani, EL ANSARI).
pub const ARTICLES: &[&str] = &["al", "el", "ul"];

/// Joined `Abd al-` forms split into `abd` and the rest (Abdulaziz = Abd al-Aziz).
pub const ABD_PREFIXES: &[&str] = &[
    "abdoul", "abdul", "abdel", "abdal", "abdol", "abdur", "abder",
];

/// Connectors of patronymic chains: they count little when present on one side only.
pub const CONNECTORS: &[&str] = &[
    "bin", "ibn", "ben", "bint", "binti", "bent", "bn", "bnt", "ould",
];

/// Whole-token spellings of one connector.
pub const TOKEN_SYNONYMS: &[(&str, &str)] = &[
    ("ibn", "bin"),
    ("ben", "bin"),
    ("bn", "bin"),
    ("bent", "bint"),
    ("binti", "bint"),
    ("bnt", "bint"),
    // Korean family names: Revised Romanization, McCune-Reischauer and the spellings
    // passports use (Lee/Yi/Rhee, Park/Bak, Choi/Choe, Jung/Jeong/Chung, Ahn/An, Oh/O).
    ("yi", "li"),
    ("rhee", "li"),
    ("bak", "park"),
    ("pak", "park"),
    ("choe", "coi"),
    ("jeong", "jung"),
    ("chung", "jung"),
    ("ahn", "an"),
    ("oh", "o"),
    ("cho", "jo"),
    ("rim", "lim"),
    ("im", "lim"),
    // Wade-Giles family names whose ch is the pinyin zh (and the Korean j): Chang = Zhang
    // = Jang, Chao = Zhao, Chou = Zhou, Chu = Zhu = Ju.
    ("chang", "jang"),
    ("chao", "jao"),
    ("chou", "ju"),
    ("chu", "ju"),
];

/// Spelling rewrites toward one canonical form, tried longest-first at each position: the
/// German, French, Polish, English and Slavic spellings of ч/ш/щ fold into `c`, of ж/дж into
/// `j`; x is `ks`; w is `v`; y is `i`; long-vowel digraphs are single vowels.
pub const REWRITES: &[(&str, &str)] = &[
    ("dsch", "j"),
    ("tsch", "c"),
    ("shch", "c"),
    ("dzh", "j"),
    ("sch", "c"),
    ("tch", "c"),
    ("tsh", "c"),
    ("sh", "c"),
    ("ch", "c"),
    ("sz", "c"),
    ("cz", "c"),
    ("zh", "j"),
    ("dj", "j"),
    ("kh", "h"),
    ("gh", "g"),
    ("ph", "f"),
    ("th", "t"),
    ("dh", "d"),
    ("ck", "k"),
    ("qu", "k"),
    ("ce", "se"),
    ("ci", "si"),
    ("cy", "si"),
    ("ts", "z"),
    ("oe", "o"),
    // Korean ㅓ: Revised Romanization eo, McCune-Reischauer ŏ (folded o): Jeon / Chŏn.
    ("eo", "o"),
    ("ue", "u"),
    ("tz", "z"),
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("aa", "a"),
    ("ii", "i"),
    ("uu", "u"),
    ("c", "k"),
    ("q", "k"),
    ("x", "ks"),
    ("w", "v"),
    ("y", "i"),
];

/// The digraphs deunicode writes for single letters of vowel-less scripts (ش sh, خ kh, ث th,
/// ذ dh, غ gh, Hebrew צ ts); anything else there is two letters (ز+ه is `zh`, not ж). Where
/// two letters happen to spell one of these (ط+ه in طاهری Taheri), a second consonant key
/// reads the token letter by letter ([`VOWELLESS_LETTERS`]).
pub const VOWELLESS_REWRITES: &[(&str, &str)] = &[
    ("sh", "c"),
    ("ts", "z"),
    ("kh", "h"),
    ("th", "t"),
    ("dh", "d"),
    ("gh", "g"),
    ("c", "k"),
    ("q", "k"),
    ("x", "ks"),
    ("w", "v"),
    ("y", "i"),
];

/// The single-letter rules of [`VOWELLESS_REWRITES`]: a vowel-less token read letter by letter.
pub const VOWELLESS_LETTERS: &[(&str, &str)] =
    &[("c", "k"), ("q", "k"), ("x", "ks"), ("w", "v"), ("y", "i")];

/// Wade-Giles syllable starts that pinyin writes otherwise (Hsiao = Xiao); only at the start
/// of a token, where they cannot be anything else.
pub const WORD_START: &[(&str, &str)] = &[("hs", "ks")];

/// Consonant classes that romanisations swap: voicing (k/g in Korean and Wade-Giles), b/v
/// (Spanish), v/f (Russian -ov/-off), the sibilants (sh folded to s on passports).
pub const LOOSE_CLASSES: &[(char, char)] = &[
    ('g', 'k'),
    ('p', 'b'),
    ('v', 'b'),
    ('f', 'b'),
    ('t', 'd'),
    ('z', 's'),
    ('c', 's'),
];

/// Kunrei-shiki syllables (not the Nihon-shiki di/du, which would take Arabic `-ddine`) with their Hepburn spelling (Matumoto = Matsumoto).
pub const KUNREI: &[(&str, &str)] = &[
    ("sya", "sha"),
    ("syu", "shu"),
    ("syo", "sho"),
    ("tya", "cha"),
    ("tyu", "chu"),
    ("tyo", "cho"),
    ("zya", "ja"),
    ("zyu", "ju"),
    ("zyo", "jo"),
    ("si", "shi"),
    ("ti", "chi"),
    ("tu", "tsu"),
    ("hu", "fu"),
    ("zi", "ji"),
];

/// The other kana syllables (both systems): a token made only of these and [`KUNREI`] is read
/// as Japanese.
pub const KANA_ONSETS: &[&str] = &[
    "", "k", "s", "t", "n", "h", "m", "y", "r", "w", "g", "z", "d", "b", "p", "f", "j", "sh", "ch",
    "ts", "ky", "ny", "hy", "my", "ry", "gy", "by", "py",
];

/// Vietnamese syllable onsets in Latin letters, longest first, with the ones heard but not
/// written (z for d, f for ph) that spellings by ear use.
pub const VIETNAMESE_ONSETS: &[&str] = &[
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c", "d", "g", "h",
    "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "z", "f", "",
];

/// Vietnamese rhyme nuclei, tone marks and vowel marks folded (ươ is `uo`, ê is `e`).
pub const VIETNAMESE_NUCLEI: &[&str] = &[
    "oai", "oay", "oeo", "uay", "uoi", "uou", "ieu", "yeu", "uya", "uye", "uyu", "ai", "ao", "au",
    "ay", "eo", "eu", "ia", "ie", "iu", "oa", "oe", "oi", "ua", "ue", "ui", "uo", "uu", "uy", "ye",
    "ya", "a", "e", "i", "o", "u", "y",
];

/// Vietnamese syllable codas.
pub const VIETNAMESE_CODAS: &[&str] = &["ng", "nh", "ch", "c", "m", "n", "p", "t", ""];

/// What marks Latin syllables as Vietnamese rather than pinyin or a European language: one of
/// these onsets, a rhyme ending in `nh` or `ch`, or a rhyme with one of these (Nguyen, Thanh,
/// Quoc, Thuy, Dieu, Duong). Chen Li or Chiara Bianchi split into Vietnamese syllables too.
pub const VIETNAMESE_ONLY_ONSETS: &[&str] = &["ngh", "ng", "nh", "tr", "qu", "gi", "kh", "th"];
pub const VIETNAMESE_ONLY_CODAS: &[&str] = &["nh", "ch"];
pub const VIETNAMESE_ONLY_RHYMES: &[&str] = &["uy", "ieu", "yeu", "uong", "uoc", "uoi"];

/// Spellings by ear of Vietnamese onsets (northern speech), as the written onset: Zung for
/// Dũng, Chinh for Trịnh, Fuong for Phương.
pub const VIETNAMESE_BY_EAR: &[(&str, &str)] = &[("z", "d"), ("ch", "tr"), ("f", "ph")];

/// Mandarin syllable onsets in pinyin and in Wade-Giles, longest first.
pub const MANDARIN_ONSETS: &[&str] = &[
    "ch'", "ts'", "tz'", "hs", "ts", "tz", "zh", "ch", "sh", "k'", "t'", "p'", "b", "p", "m", "f",
    "d", "t", "n", "l", "g", "k", "h", "j", "q", "x", "r", "z", "c", "s", "y", "w", "",
];

/// Mandarin finals in pinyin and in Wade-Giles (`ung` for ong, `ih` after ch, sh, j).
pub const MANDARIN_FINALS: &[&str] = &[
    "iang", "iong", "uang", "ueng", "iung", "ang", "eng", "ong", "ung", "iao", "ian", "ing", "uai",
    "uan", "ieh", "uei", "ai", "ei", "ao", "ou", "an", "en", "er", "ia", "ie", "iu", "in", "ua",
    "uo", "ui", "un", "ue", "ih", "a", "o", "e", "i", "u",
];

/// Wade-Giles onsets as pinyin writes them; a name is read as Wade-Giles only if it has one
/// (or `ch'`). Its finals alone are not enough: `ung` is as Korean (Sung) and English (Young). `ch'` is q before i and ü, ch otherwise; a `ch`
/// without the mark stays (it is zh or ch, and the family-name synonyms read Chang, Chou).
pub const WADE_GILES_ONSETS: &[(&str, &str)] = &[
    ("hs", "x"),
    ("ts'", "c"),
    ("tz'", "c"),
    ("ts", "z"),
    ("tz", "z"),
    ("k'", "k"),
    ("t'", "t"),
    ("p'", "p"),
];

/// Wade-Giles finals as pinyin writes them.
pub const WADE_GILES_FINALS: &[(&str, &str)] = &[
    ("iung", "iong"),
    ("ung", "ong"),
    ("ieh", "ie"),
    ("uei", "ui"),
    ("ih", "i"),
];

/// Endings of Russian family names as German and Polish spell them (Petrow, Jakowlewa,
/// Iwanowitsch): in such a name a j before a vowel at the start of a word is the y of other
/// spellings (Jurij, Julija), not the English j.
pub const GERMAN_POLISH_RUSSIAN_ENDINGS: &[&str] = &[
    "ow", "owa", "ew", "ewa", "jew", "jewa", "owitsch", "ewitsch", "owna", "ewna",
];
