//! Letters from other scripts. Two different jobs share these tables: a name written wholly in Cyrillic,
//! Greek or Arabic is *transliterated* to Latin, while Cyrillic or Greek letters hiding inside a Latin name
//! (`CОRREA` with a Cyrillic О) are *look-alikes*, replaced by the Latin letter they imitate.

/// The Latin letter a character imitates, for characters that are drawn like one. Case matters here (Greek
/// capital Eta looks like H, small eta like n), so this runs before lower-casing.
pub(super) fn lookalike(c: char) -> Option<char> {
    Some(match c {
        // Cyrillic capitals and smalls
        'А' | 'а' => 'a',
        'В' => 'b',
        'Е' | 'е' | 'Ё' | 'ё' => 'e',
        'К' | 'к' => 'k',
        'М' | 'м' => 'm',
        'Н' => 'h',
        'О' | 'о' => 'o',
        'Р' | 'р' => 'p',
        'С' | 'с' => 'c',
        'Т' | 'т' => 't',
        'У' | 'у' => 'y',
        'Х' | 'х' => 'x',
        'І' | 'і' => 'i',
        'Ј' | 'ј' => 'j',
        'Ѕ' | 'ѕ' => 's',
        'Ԁ' | 'ԁ' => 'd',
        'Ԛ' | 'ԛ' => 'q',
        'Ԝ' | 'ԝ' => 'w',
        'п' => 'n',
        'ь' => 'b',
        // Greek capitals and smalls
        'Α' | 'α' => 'a',
        'Β' | 'β' => 'b',
        'Ε' | 'ε' => 'e',
        'Ζ' => 'z',
        'Η' => 'h',
        'η' => 'n',
        'Ι' | 'ι' => 'i',
        'Κ' | 'κ' => 'k',
        'Μ' => 'm',
        'Ν' | 'ν' => 'v',
        'Ο' | 'ο' => 'o',
        'Ρ' | 'ρ' => 'p',
        'Τ' | 'τ' => 't',
        'Υ' | 'υ' => 'y',
        'Χ' | 'χ' => 'x',
        // Latin letters outside ASCII that NFKD leaves alone
        'ı' => 'i',
        'ɑ' => 'a',
        'ɡ' => 'g',
        _ => return None,
    })
}

/// The Latin spelling of a (lower-case) letter from another script or a Latin letter NFKD does not
/// decompose; `None` when the character is not one of those.
pub(super) fn transliterate(c: char) -> Option<&'static str> {
    Some(match c {
        // Latin letters without a decomposition
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'ø' => "o",
        'đ' | 'ð' => "d",
        'ł' => "l",
        'þ' => "th",
        'ı' => "i",
        'ħ' => "h",
        'ŋ' => "n",
        // Cyrillic (Russian, Ukrainian, Belarusian, Serbian, Macedonian)
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' | 'ґ' => "g",
        'д' => "d",
        'е' | 'ё' | 'э' => "e",
        'ж' => "zh",
        'з' => "z",
        'и' | 'й' | 'і' => "i",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' | 'ў' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' | 'ь' => "",
        'ы' => "y",
        'ю' => "yu",
        'я' => "ya",
        'ї' => "yi",
        'є' => "ye",
        'ј' => "j",
        'љ' => "lj",
        'њ' => "nj",
        'ћ' => "c",
        'ђ' => "dj",
        'џ' | 'ѕ' => "dz",
        // Greek
        'α' => "a",
        'β' => "v",
        'γ' => "g",
        'δ' => "d",
        'ε' => "e",
        'ζ' => "z",
        'η' | 'ι' => "i",
        'θ' => "th",
        'κ' => "k",
        'λ' => "l",
        'μ' => "m",
        'ν' => "n",
        'ξ' => "x",
        'ο' | 'ω' => "o",
        'π' => "p",
        'ρ' => "r",
        'σ' | 'ς' => "s",
        'τ' => "t",
        'υ' => "y",
        'φ' => "f",
        'χ' => "ch",
        'ψ' => "ps",
        // Arabic and Persian: consonants only, as the script writes them; the matcher's consonant skeleton
        // bridges the missing vowels.
        'ا' | 'أ' | 'آ' | 'ى' | 'ة' => "a",
        'إ' => "i",
        'ء' | 'ؤ' | 'ئ' | 'ع' | 'ـ' => "",
        'ب' => "b",
        'ت' | 'ط' => "t",
        'ث' => "th",
        'ج' => "j",
        'ح' | 'ه' => "h",
        'خ' => "kh",
        'د' | 'ض' => "d",
        'ذ' => "dh",
        'ر' => "r",
        'ز' | 'ظ' => "z",
        'س' | 'ص' => "s",
        'ش' => "sh",
        'غ' => "gh",
        'ف' => "f",
        'ق' => "q",
        'ك' | 'ک' => "k",
        'ل' => "l",
        'م' => "m",
        'ن' => "n",
        'و' => "w",
        'ي' | 'ی' => "y",
        'پ' => "p",
        'چ' => "ch",
        'ژ' => "zh",
        'گ' => "g",
        _ => return None,
    })
}

/// Characters that render as nothing: zero-width spaces and joiners, bidi controls, the soft hyphen.
/// An attacker inserts them to split a listed name so it no longer matches.
pub(super) fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00ad}'
            | '\u{034f}'
            | '\u{061c}'
            | '\u{115f}'
            | '\u{1160}'
            | '\u{17b4}'
            | '\u{17b5}'
            | '\u{180b}'..='\u{180f}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{206f}'
            | '\u{3164}'
            | '\u{fe00}'..='\u{fe0f}'
            | '\u{feff}'
            | '\u{ffa0}'
            | '\u{e0000}'..='\u{e007f}'
    )
}

/// Whether a character belongs to a script that we map through `lookalike` when it sits in a Latin name.
pub(super) fn is_cyrillic_or_greek(c: char) -> bool {
    matches!(c, '\u{0370}'..='\u{03ff}' | '\u{0400}'..='\u{052f}')
}

/// Whether a character writes a syllable or a word on its own (Han ideographs, kana, Hangul syllables, Yi),
/// so that alone it is a name part rather than an initial.
pub(super) fn is_syllabic(c: char) -> bool {
    matches!(
        c,
        '\u{3040}'..='\u{30ff}'
            | '\u{3400}'..='\u{4dbf}'
            | '\u{4e00}'..='\u{9fff}'
            | '\u{a000}'..='\u{a4cf}'
            | '\u{ac00}'..='\u{d7af}'
            | '\u{f900}'..='\u{faff}'
            | '\u{20000}'..='\u{3134f}'
    )
}

/// Whether a character is a Han ideograph or a Hangul syllable block: one syllable of a name, which list
/// names write as a word of its own.
pub(super) fn is_ideograph_or_syllable(c: char) -> bool {
    matches!(
        c,
        '\u{4e00}'..='\u{9fff}' | '\u{ac00}'..='\u{d7af}'
    )
}

/// Whether a combining mark is a diacritic or a vowel point that a name is as often written without
/// (Latin accents, Arabic harakat, Hebrew niqqud), rather than a vowel sign that is part of the spelling
/// (Devanagari `ा`, Tamil `ி`).
pub(super) fn is_vowel_point_or_diacritic(c: char) -> bool {
    !is_brahmic(c)
        && !matches!(
            c,
            '\u{0e00}'..='\u{0eff}' | '\u{1000}'..='\u{109f}' | '\u{1780}'..='\u{17ff}'
        )
}

/// The Indic scripts from Devanagari to Sinhala, whose consonant letters carry an `a` no sign shows.
fn is_brahmic(c: char) -> bool {
    ('\u{0900}'..='\u{0dff}').contains(&c)
}

/// Whether an Indic consonant letter is read with its inherent `a`: when another letter of its word follows
/// it directly, with no vowel sign or virama between (`रवि` is `ravi`; the transliteration library
/// writes `rvi`). A word's last consonant drops it, as Hindi names do (`राहुल`, `rahul`).
pub(super) fn inherent_vowel_follows(c: char, next: Option<char>) -> bool {
    use unicode_normalization::char::is_combining_mark;
    let consonant =
        is_brahmic(c) && c.is_alphabetic() && !is_combining_mark(c) && !is_independent_vowel(c);
    consonant && next.is_some_and(|n| is_brahmic(n) && n.is_alphabetic() && !is_combining_mark(n))
}

/// The Indic letters that write a vowel on their own (`अ`, `இ`): the first sixteen or so of each script's
/// 128-letter block, from its fifth letter.
fn is_independent_vowel(c: char) -> bool {
    let offset = u32::from(c).wrapping_sub(0x0900) % 0x80;
    (0x04..=0x14).contains(&offset)
}
