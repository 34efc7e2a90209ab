//! Text as the embedded fonts can print it. Names are checked when they are entered, but
//! issued statements keep the names of their day, and no set of fonts has every character
//! (emoji, rare scripts): a document must still render, showing a visible replacement
//! instead of failing.

use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

/// What is printed for a character (or a cluster such as an emoji sequence) that no
/// embedded font has: U+FFFD REPLACEMENT CHARACTER, which DejaVu Sans has.
pub(crate) const REPLACEMENT: char = '\u{FFFD}';

/// `text` with everything `covered` cannot print made printable, per grapheme cluster
/// (what a reader sees as one character):
///
/// - tab, line and paragraph breaks become spaces; other control characters and the
///   bidirectional embedding, override and isolate controls are removed (they would
///   reorder or hide text);
/// - invisible formatting characters (zero-width joiner, variation selectors, …) that
///   no font covers are removed;
/// - a cluster with a character no font covers is printed in its compatibility form if
///   the fonts cover that (mathematical `𝕸` becomes `M`, `ﬁ` becomes `fi`), else as one
///   [`REPLACEMENT`] (the family emoji `👩‍👩‍👧` is one replacement, not five).
pub(crate) fn printable(text: &str, covered: impl Fn(char) -> bool) -> String {
    let mut out = String::with_capacity(text.len());
    for cluster in text.graphemes(true) {
        if cluster == "\r\n" {
            out.push(' ');
            continue;
        }
        let kept: String = cluster
            .chars()
            .filter_map(|c| match c {
                '\t' | '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}' => Some(' '),
                c if c.is_control() || is_bidi_control(c) => None,
                c if is_default_ignorable(c) && !covered(c) => None,
                c => Some(c),
            })
            .collect();
        if kept.chars().all(&covered) {
            out.push_str(&kept);
            continue;
        }
        let compatible: String = kept.nfkc().collect();
        if compatible.chars().all(&covered) {
            out.push_str(&compatible);
        } else {
            out.push(REPLACEMENT);
        }
    }
    out
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Unicode's Default_Ignorable_Code_Point: invisible unless a font handles them.
fn is_default_ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'..='\u{1160}'
            | '\u{17B4}'..='\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFF8}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A font that has printable ASCII, German letters and the replacement character.
    fn latin(c: char) -> bool {
        (' '..='~').contains(&c) || "äöüÄÖÜß€–„“".contains(c) || c == REPLACEMENT
    }

    #[test]
    fn covered_text_is_unchanged() {
        let text = "Rüsselsheim am Main – „Kostenbeteiligung“ 2026: 23.456,19 €";
        assert_eq!(printable(text, latin), text);
        assert_eq!(
            printable("#set page(width: 1pt) $x$ ] *", latin),
            "#set page(width: 1pt) $x$ ] *"
        );
    }

    #[test]
    fn controls_are_removed_and_breaks_become_spaces() {
        assert_eq!(printable("A\u{0}B", latin), "AB");
        assert_eq!(
            printable("Tel.\t06152\r\n110\u{7}", latin),
            "Tel. 06152 110"
        );
        assert_eq!(printable("\u{1b}[31mrot", latin), "[31mrot");
    }

    #[test]
    fn bidi_controls_are_removed_so_text_keeps_its_order() {
        assert_eq!(printable("Nau\u{202E}heim\u{202C}", latin), "Nauheim");
        assert_eq!(printable("\u{2067}abc\u{2069}", latin), "abc");
    }

    #[test]
    fn a_cluster_no_font_has_becomes_one_replacement() {
        assert_eq!(
            printable("Nauheim 👩\u{200D}👩\u{200D}👧", latin),
            "Nauheim \u{FFFD}"
        );
        assert_eq!(
            printable("Stadt ❤\u{FE0F} Kreis", latin),
            "Stadt \u{FFFD} Kreis"
        );
        assert_eq!(printable("東京", latin), "\u{FFFD}\u{FFFD}");
        assert_eq!(printable("a\u{FFFF}b", latin), "a\u{FFFD}b");
    }

    #[test]
    fn compatibility_forms_print_as_their_plain_letters() {
        assert_eq!(printable("𝕸𝖆𝖙𝖍", latin), "Math");
        assert_eq!(printable("ﬁnanzen", latin), "finanzen");
        assert_eq!(printable("Ｎａｕｈｅｉｍ", latin), "Nauheim");
        // A combining accent the font lacks is composed into a letter it has.
        assert_eq!(printable("Mu\u{308}nchen", latin), "München");
    }

    #[test]
    fn invisible_characters_no_font_has_are_dropped() {
        assert_eq!(printable("Nau\u{200B}heim\u{FEFF}", latin), "Nauheim");
        assert_eq!(
            printable("a\u{00AD}b", |c| latin(c) || c == '\u{AD}'),
            "a\u{AD}b"
        );
    }
}
