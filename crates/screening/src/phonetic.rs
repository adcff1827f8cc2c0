//! Keys that make spellings of one name collide. Jaro-Winkler alone misses what screening sees most
//! often from people evading it: dropped vowels (`Njmddn`), sound-alike spellings (`Muzhakhas` for
//! `Mushakhas`) and OCR slips (`Najrnuddin`).

/// The form two tokens are compared in: OCR confusions undone (`rn` reads as `m`, `vv` as `w`) and runs
/// of one letter collapsed (`Correa`, `Corea`; `Jhonn`, `Jhon`). Applied to both sides, so it never
/// separates spellings that were equal.
pub fn comparison_key(text: &str) -> String {
    let replaced = text.replace("rn", "m").replace("vv", "w");
    let mut out = String::with_capacity(replaced.len());
    let mut last = None;
    for c in replaced.chars() {
        if Some(c) != last {
            out.push(c);
        }
        last = Some(c);
    }
    out
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

/// A sound key of our own, in the spirit of Soundex but over the whole token: consonants mapped to
/// classes that are confused in transliteration (`c`/`k`/`q`, `s`/`z`, `g`/`j`, `d`/`t`, `b`/`p`,
/// `f`/`v`/`w`, `m`/`n`), `h` and the vowels after the first letter dropped, repeats collapsed. A leading
/// vowel is kept as `a` so `Eidelber` and `Iedelber` collide but `Ali` and `Li` do not.
pub fn phonetic_key(key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    let mut out = String::with_capacity(chars.len());
    let mut last = None;
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        let class = match c {
            _ if i == 0 && is_vowel(c) => Some('a'),
            'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'h' => None,
            'c' if matches!(next, Some('e' | 'i' | 'y')) => Some('s'),
            'c' | 'k' | 'q' => Some('k'),
            'x' => Some('s'),
            's' | 'z' => Some('s'),
            'g' | 'j' => Some('j'),
            'd' | 't' => Some('t'),
            'b' | 'p' => Some('p'),
            'f' | 'v' | 'w' => Some('f'),
            'm' | 'n' => Some('n'),
            other => Some(other),
        };
        if let Some(class) = class {
            if Some(class) != last {
                out.push(class);
            }
            last = Some(class);
        } else if c != 'h' {
            // A vowel separates repeats: "Ana" keeps both n's classes apart from "Anna".
            last = None;
        }
    }
    out
}

/// The consonants alone, repeats collapsed: what is left when someone drops the vowels on purpose.
pub fn skeleton(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut last = None;
    for c in key.chars().filter(|c| !is_vowel(*c)) {
        if Some(c) != last {
            out.push(c);
        }
        last = Some(c);
    }
    out
}

/// Whether a token looks like one whose vowels were dropped: at most one vowel, and that one first
/// (`Hmd`, `Edlbr`). Only such a token may match by skeleton, so `Mark` never matches `Mirko` that way.
pub fn is_vowel_poor(key: &str) -> bool {
    let mut vowels = key.char_indices().filter(|(_, c)| is_vowel(*c));
    match (vowels.next(), vowels.next()) {
        (None, _) => true,
        (Some((0, _)), None) => key.chars().count() >= 3,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparison_key_undoes_ocr_and_doubles() {
        assert_eq!(comparison_key("najrnuddin"), comparison_key("najmuddin"));
        assert_eq!(comparison_key("correa"), comparison_key("corea"));
    }

    #[test]
    fn phonetic_key_joins_sound_alikes() {
        assert_eq!(phonetic_key("kano"), phonetic_key("cano"));
        assert_eq!(phonetic_key("muzhakhas"), phonetic_key("mushakhas"));
        assert_eq!(phonetic_key("iedelber"), phonetic_key("eidelber"));
        assert_ne!(phonetic_key("ali"), phonetic_key("li"));
    }

    #[test]
    fn skeleton_bridges_dropped_vowels() {
        assert_eq!(
            skeleton(&comparison_key("njmddn")),
            skeleton(&comparison_key("najmuddin"))
        );
        assert!(is_vowel_poor("hmd"));
        assert!(is_vowel_poor("edlbr"));
        assert!(!is_vowel_poor("mark"));
    }
}
