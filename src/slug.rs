//! URL slugs for file and folder names, and GitHub-style heading ids.

use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};

/// A file or folder name as a URL segment: lowercase, Unicode letters and digits kept,
/// every run of spaces and punctuation one `-`, no leading or trailing `-`.
pub(crate) fn slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut dash = false;
    for c in name.chars() {
        if c.is_alphanumeric() || c == '_' {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else {
            dash = true;
        }
    }
    if out.is_empty() {
        "-".to_string()
    } else {
        out
    }
}

/// A heading's id as GitHub writes it: lowercase, spaces to `-`, punctuation other than `-`
/// and `_` removed, dashes not collapsed (`Layer 5 - Inference` -> `layer-5--inference`).
pub(crate) fn heading_id(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        // Combining marks (Thai tone marks, Devanagari vowel signs) are part of a word.
        let mark = !c.is_ascii() && c.general_category_group() == GeneralCategoryGroup::Mark;
        if c.is_alphanumeric() || c == '_' || c == '-' || mark {
            out.extend(c.to_lowercase());
        } else if c == ' ' {
            out.push('-');
        }
    }
    out
}

/// A readable title from a file or folder name: `01-data-prep` -> `Data Prep`.
pub(crate) fn title_from_name(name: &str) -> String {
    let trimmed = name.trim_start_matches(|c: char| c.is_ascii_digit());
    let trimmed = if trimmed.len() < name.len() {
        trimmed.trim_start_matches(['-', '_', '.', ' '])
    } else {
        name
    };
    let base = if trimmed.is_empty() { name } else { trimmed };
    base.split(['-', '_', ' '])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut cs = w.chars();
            match cs.next() {
                Some(f) => f.to_uppercase().chain(cs).collect::<String>(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The numeric prefix of a file name (`03-autoscaling.md` -> 3), used for ordering.
pub(crate) fn numeric_prefix(name: &str) -> Option<u64> {
    let digits: String = name.chars().take_while(|c| c.is_ascii_digit()).collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_names() {
        assert_eq!(slug("model evaluation"), "model-evaluation");
        assert_eq!(slug("01-Data Prep"), "01-data-prep");
        assert_eq!(slug("Straße & Größe"), "straße-größe");
        assert_eq!(slug("精度 notes"), "精度-notes");
        assert_eq!(slug("README"), "readme");
    }

    #[test]
    fn heading_ids_follow_github() {
        assert_eq!(heading_id("Layer 5 — Inference"), "layer-5--inference");
        assert_eq!(heading_id("Layer 5 - Inference"), "layer-5---inference");
        assert_eq!(heading_id("Blue/Green Deployment"), "bluegreen-deployment");
        assert_eq!(heading_id("What's new?"), "whats-new");
        assert_eq!(heading_id("snake_case_id"), "snake_case_id");
        assert_eq!(heading_id("การสอบที่ครอบคลุม"), "การสอบที่ครอบคลุม");
        assert_eq!(heading_id("Café © 2024"), "café--2024");
    }

    #[test]
    fn titles_from_names() {
        assert_eq!(title_from_name("01-data-prep"), "Data Prep");
        assert_eq!(title_from_name("model evaluation"), "Model Evaluation");
        assert_eq!(title_from_name("2024"), "2024");
    }
}
