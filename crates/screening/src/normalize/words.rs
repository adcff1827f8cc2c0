//! Word lists that change how a token counts: honorifics that say nothing about identity, particles that
//! belong to the next word, company legal forms written a dozen ways, and generic company words.

/// Titles, honorifics and generational suffixes, folded. Removed unless they are all a name has.
pub(super) const TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "prof",
    "professor",
    "sir",
    "dame",
    "lord",
    "lady",
    "rev",
    "reverend",
    "fr",
    "father",
    "sr",
    "jr",
    "snr",
    "jnr",
    "ii",
    "iii",
    "iv",
    "esq",
    "phd",
    "md",
    "gen",
    "general",
    "lt",
    "col",
    "colonel",
    "maj",
    "major",
    "capt",
    "captain",
    "cmdr",
    "commander",
    "adm",
    "admiral",
    "brig",
    "brigadier",
    "sgt",
    "sheikh",
    "shaikh",
    "shaykh",
    "sheik",
    "sayyid",
    "sayed",
    "sayyed",
    "syed",
    "haji",
    "hajji",
    "hadji",
    "mullah",
    "mulla",
    "maulana",
    "mawlana",
    "imam",
    "emir",
    "amir",
    "hon",
    "honorable",
    "president",
    "minister",
    "senator",
    "ayatollah",
    "hojjatoleslam",
    "mufti",
    "engr",
    "engineer",
];

/// Titles that are also names (`Eng` is a Chinese surname): a title only when written abbreviated, with
/// its full stop (`Eng.`).
pub(super) const ABBREVIATED_TITLES: &[&str] = &["eng"];

/// Particles that belong to the following word: `AL-ALI`, `AL ALI` and `ALALI` are one surname.
pub(super) const PARTICLES: &[&str] = &[
    "al", "el", "ul", "bin", "ibn", "bint", "abu", "abou", "abd", "abdul", "abdel", "abdal",
    "abdoul", "de", "da", "del", "della", "di", "du", "dos", "das", "van", "von", "der", "den",
    "ter", "la", "le",
];

/// Legal forms: the folded phrase and the one canonical token it becomes. Longer phrases first, so
/// "closed joint stock company" wins over "joint stock company".
pub(super) const LEGAL_FORMS: &[(&[&str], &str)] = &[
    (
        &["obshchestvo", "s", "ogranichennoi", "otvetstvennostyu"],
        "llc",
    ),
    (&["gesellschaft", "mit", "beschrankter", "haftung"], "gmbh"),
    (&["societatea", "cu", "raspundere", "limitata"], "srl"),
    (&["sociedad", "anonima"], "sa"),
    (&["societe", "anonyme"], "sa"),
    (&["aktsionernoe", "obshchestvo"], "jsc"),
    (&["aktsionernoe", "obshestvo"], "jsc"),
    (&["sp", "z", "oo"], "spzoo"),
    (&["aktiengesellschaft"], "ag"),
    (&["closed", "joint", "stock", "company"], "jsc"),
    (&["open", "joint", "stock", "company"], "jsc"),
    (&["public", "joint", "stock", "company"], "jsc"),
    (&["limited", "liability", "company"], "llc"),
    (&["limited", "liability", "partnership"], "llp"),
    (&["joint", "stock", "company"], "jsc"),
    (&["public", "limited", "company"], "plc"),
    (&["limited", "partnership"], "lp"),
    (&["sa", "de", "cv"], "sa"),
    (&["sdn", "bhd"], "sdnbhd"),
    (&["pte", "ltd"], "ltd"),
    (&["pty", "ltd"], "ltd"),
    (&["co", "ltd"], "ltd"),
    (&["llc"], "llc"),
    (&["ooo"], "llc"),
    (&["tov"], "llc"),
    (&["too"], "llc"),
    (&["ltd"], "ltd"),
    (&["limited"], "ltd"),
    (&["ltda"], "ltd"),
    (&["inc"], "inc"),
    (&["incorporated"], "inc"),
    (&["corp"], "corp"),
    (&["corporation"], "corp"),
    (&["co"], "co"),
    (&["company"], "co"),
    (&["cia"], "co"),
    (&["jsc"], "jsc"),
    (&["ao"], "jsc"),
    (&["zao"], "jsc"),
    (&["cjsc"], "jsc"),
    (&["oao"], "jsc"),
    (&["ojsc"], "jsc"),
    (&["pao"], "jsc"),
    (&["pjsc"], "jsc"),
    (&["gmbh"], "gmbh"),
    (&["ag"], "ag"),
    (&["kg"], "kg"),
    (&["sa"], "sa"),
    (&["sas"], "sas"),
    (&["sarl"], "sarl"),
    (&["srl"], "srl"),
    (&["spa"], "spa"),
    (&["bv"], "bv"),
    (&["nv"], "nv"),
    (&["plc"], "plc"),
    (&["llp"], "llp"),
    (&["lp"], "lp"),
    (&["fze"], "fze"),
    (&["fzco"], "fzco"),
    (&["fzc"], "fzc"),
    (&["fzllc"], "llc"),
    (&["est"], "est"),
    (&["establishment"], "est"),
];

/// Number words and ordinals as digits, so `Brigade Forty-Four` meets `Brigade 44` and `First` meets
/// `1st`. Tens are listed apart because a following unit adds to them.
pub(super) const NUMBERS: &[(&str, u32)] = &[
    ("zero", 0),
    ("one", 1),
    ("first", 1),
    ("two", 2),
    ("second", 2),
    ("three", 3),
    ("third", 3),
    ("four", 4),
    ("fourth", 4),
    ("five", 5),
    ("fifth", 5),
    ("six", 6),
    ("sixth", 6),
    ("seven", 7),
    ("seventh", 7),
    ("eight", 8),
    ("eighth", 8),
    ("nine", 9),
    ("ninth", 9),
    ("ten", 10),
    ("tenth", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("thirteen", 13),
    ("fourteen", 14),
    ("fifteen", 15),
    ("sixteen", 16),
    ("seventeen", 17),
    ("eighteen", 18),
    ("nineteen", 19),
];

pub(super) const TENS: &[(&str, u32)] = &[
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fourty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
];

/// Generic words of company names and the joining words of any name, folded, with the one spelling each
/// becomes. They say what kind of business a party is, not which one, so they weigh little either way.
pub(super) const GENERIC: &[(&str, &str)] = &[
    ("and", "and"),
    ("of", "of"),
    ("the", "the"),
    ("for", "for"),
    ("y", "and"),
    ("et", "and"),
    ("und", "and"),
    ("trading", "trading"),
    ("trade", "trading"),
    ("holding", "holding"),
    ("holdings", "holding"),
    ("group", "group"),
    ("international", "international"),
    ("intl", "international"),
    ("industries", "industry"),
    ("industry", "industry"),
    ("industrial", "industry"),
    ("enterprise", "enterprise"),
    ("enterprises", "enterprise"),
    ("services", "service"),
    ("service", "service"),
    ("shipping", "shipping"),
    ("investment", "investment"),
    ("investments", "investment"),
    ("import", "import"),
    ("export", "export"),
    ("general", "general"),
    ("commercial", "commercial"),
    ("technology", "technology"),
    ("technologies", "technology"),
    ("engineering", "engineering"),
    ("construction", "construction"),
    ("development", "development"),
    ("management", "management"),
    ("partners", "partners"),
    ("capital", "capital"),
    ("resources", "resources"),
    ("logistics", "logistics"),
    ("systems", "systems"),
    ("solutions", "solutions"),
    ("global", "global"),
    ("bank", "bank"),
    ("foundation", "foundation"),
    ("organization", "organization"),
    ("organisation", "organization"),
    ("association", "association"),
    ("agency", "agency"),
    ("center", "center"),
    ("centre", "center"),
    ("factory", "factory"),
    ("plant", "plant"),
    ("zavod", "plant"),
    ("obedinenie", "association"),
    ("obyedineniye", "association"),
];

/// Whether a token is `word` (a folded entry of the tables above) as written, mistyped (one edit from six
/// letters, two from nine), or written without its vowels (`cmpny`, `trdng`, see [`vowels_dropped`]).
/// Shorter words are not mistyped: one edit from a five-letter word is too often another word.
///
/// It runs for every token of every list name against every table word, so it rejects on lengths first
/// and compares skeletons without building them. Lengths are in bytes: the table words are ASCII, and a
/// token with other letters is not one of them.
pub(super) fn alike(word: &str, token: &str) -> bool {
    if word == token {
        return true;
    }
    let (w, t) = (word.len(), token.len());
    if w >= 6 {
        let allowed = if w >= 9 { 2 } else { 1 };
        if w.abs_diff(t) <= allowed
            && letters_apart(word, token) <= 2 * allowed
            && crate::distance::osa_distance(word, token) <= allowed
        {
            return true;
        }
    }
    vowels_dropped(word, token)
}

/// Whether a token is `word` written without its vowels: the same first letter and consonants, no vowel
/// but the first letter (`obshchstv`, `ab`), and fewer vowels than the word has. A `y` is neither: those
/// who drop vowels may keep it or not (`cmpny`, `cmpn`), so the skeletons compared leave it out.
pub(super) fn vowels_dropped(word: &str, token: &str) -> bool {
    let vowel = |c: &u8| b"aeiou".contains(c);
    let (w, t) = (word.as_bytes(), token.as_bytes());
    t.len() >= 2
        && t.len() < w.len()
        && (t.len() >= 3 || w.len() == 3)
        && t[0] == w[0]
        && !t[1..].iter().any(vowel)
        && t.iter().filter(|c| vowel(c)).count() < w.iter().filter(|c| vowel(c)).count()
        && same_skeleton(word, token)
}

/// How many letters one side has that the other lacks, counted with repeats: each edit changes it by at
/// most two, so it rules most words out before the edit distance is worked out.
fn letters_apart(a: &str, b: &str) -> usize {
    let mut counts = [0i32; 37];
    let slot = |c: u8| match c {
        b'a'..=b'z' => usize::from(c - b'a'),
        b'0'..=b'9' => 26 + usize::from(c - b'0'),
        _ => 36,
    };
    for c in a.bytes() {
        counts[slot(c)] += 1;
    }
    for c in b.bytes() {
        counts[slot(c)] -= 1;
    }
    counts.iter().map(|n| n.unsigned_abs() as usize).sum()
}

/// [`crate::phonetic::skeleton`] of both, compared without building either.
fn same_skeleton(a: &str, b: &str) -> bool {
    fn consonants(s: &str) -> impl Iterator<Item = char> + '_ {
        let mut last = None;
        s.chars()
            .filter(|c| !matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y'))
            .filter(move |c| {
                let new = last != Some(*c);
                last = Some(*c);
                new
            })
    }
    consonants(a).eq(consonants(b))
}

/// Whether a token is the start of `word`, long enough to tell which word it was.
pub(super) fn cut_short(word: &str, token: &str) -> bool {
    token.len() >= 4 && word.len() >= 6 && token != word && word.starts_with(token)
}
