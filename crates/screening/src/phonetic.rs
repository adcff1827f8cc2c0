//! Keys that make spellings of one name collide. Jaro-Winkler alone misses what screening sees most
//! often from people evading it: dropped vowels (`Njmddn`), sound-alike spellings (`Muzhakhas` for
//! `Mushakhas`) and OCR slips (`Najrnuddin`).

/// The form two tokens are compared in: OCR confusions undone (`rn` reads as `m`, `vv` as `w`),
/// transliteration variants merged (`y` and `i`: Volodymyr, Volodimir; `ph` and `f`; `ou` and `u`:
/// Mansour, Mansur) and runs of one letter collapsed (`Correa`, `Corea`). Applied to both sides, so it
/// never separates spellings that were equal.
pub fn comparison_key(text: &str) -> String {
    let replaced = text
        .replace("rn", "m")
        .replace("vv", "w")
        .replace("ph", "f")
        .replace("ou", "u")
        .replace('y', "i");
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

/// A sound key of our own: spellings that sound alike in the transliterations lists use collide
/// (`Kano`/`Cano`, `Muzhakhas`/`Mushakhas`, `Eidelber`/`Iedelber`), while names that only share
/// consonants do not: every run of vowels stays as a marker, and the first run keeps its class (`a`; `e`,
/// `i`, `y`; `o`, `u`), so `Henry` and `Mar` differ and so do `Katie` and `Kotey`, while the unstressed
/// vowels that transliterations vary (`Muhammad`, `Mohammed`) do not count. `sh`, `ch`,
/// `zh` and `sch` are one sound; `c` is `s` before e, i, y and `k` elsewhere; `ph` is `f`; `h` is silent;
/// `b`/`p`, `d`/`t`, `f`/`v`/`w` and `s`/`z`/`x` are not told apart.
pub fn phonetic_key(key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    let mut out = String::with_capacity(chars.len());
    let mut last = None;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let (class, width) = match (c, next) {
            ('s', Some('c')) if chars.get(i + 2) == Some(&'h') => (Some('x'), 3),
            ('s' | 'c' | 'z', Some('h')) => (Some('x'), 2),
            // Arabic and Russian `kh` is as often written `h` (`Khalid`, `Halid`; `Akhmed`, `Ahmed`).
            ('k', Some('h')) => (None, 2),
            ('p', Some('h')) => (Some('f'), 2),
            ('c', Some('k')) => (Some('k'), 2),
            ('c', Some('e' | 'i' | 'y')) => (Some('s'), 1),
            ('g', Some('e' | 'i' | 'y')) => (Some('j'), 1),
            ('d', Some('j')) => (Some('j'), 2),
            ('c' | 'k' | 'q', _) => (Some('k'), 1),
            ('s' | 'z' | 'x', _) => (Some('s'), 1),
            ('d' | 't', _) => (Some('t'), 1),
            ('b' | 'p', _) => (Some('b'), 1),
            ('f' | 'v' | 'w', _) => (Some('f'), 1),
            ('h', _) => (None, 1),
            _ if is_vowel(c) => {
                // A run of vowels is one sound, classed by its first vowel.
                let run = chars[i..].iter().take_while(|c| is_vowel(**c)).count();
                let first_run = !chars[..i].iter().any(|c| is_vowel(*c));
                let class = match c {
                    _ if !first_run => '.',
                    'a' => 'a',
                    'e' | 'i' | 'y' => 'e',
                    _ => 'o',
                };
                (Some(class), run)
            }
            (other, _) => (Some(other), 1),
        };
        if let Some(class) = class {
            if Some(class) != last {
                out.push(class);
            }
            last = Some(class);
        }
        i += width;
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

/// How many vowels a key holds; the skeleton rule compares these.
pub fn vowel_count(key: &str) -> usize {
    key.chars().filter(|c| is_vowel(*c)).count()
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
        assert_ne!(phonetic_key("henry"), phonetic_key("mar"));
        assert_ne!(phonetic_key("juhani"), phonetic_key("gym"));
        assert_ne!(phonetic_key("cynthia"), phonetic_key("zenit"));
        assert_ne!(phonetic_key("katie"), phonetic_key("kotei"));
        assert_eq!(phonetic_key("muhamad"), phonetic_key("mohamed"));
    }

    #[test]
    fn skeleton_bridges_dropped_vowels() {
        assert_eq!(
            skeleton(&comparison_key("njmddn")),
            skeleton(&comparison_key("najmuddin"))
        );
        assert_eq!(vowel_count("edlbr"), 1);
    }
}
