//! What one note contributes to the study web, found while its events are read: scenarios,
//! scenario tables, comparisons, callouts and practice questions, each with its offset.

use super::callouts::{Callout, Role};
use super::definitions::Definition;
use super::questions::Question;

/// A question and its answer, as a note states it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Scenario {
    pub(crate) text: String,
    pub(crate) answer: String,
    /// The id on its row, item or paragraph.
    pub(crate) id: String,
    /// Byte offset in the note body.
    pub(crate) offset: usize,
    /// The tip or trap callout it was found in.
    pub(crate) role: Option<Role>,
    /// The answer is written as a plain word or phrase ("Guardrails for content
    /// filtering"), not as a name: a scenario only where the site has a term by that name.
    #[serde(default)]
    pub(crate) weak: bool,
}

/// The content shown for a comparison on the cram sheet.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) enum Block {
    Table(Vec<Vec<String>>),
    Pre(String),
}

/// An "X vs Y" heading, table header or diagram title.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Comparison {
    pub(crate) title: String,
    pub(crate) id: Option<String>,
    pub(crate) offset: usize,
    pub(crate) body: Option<Block>,
}

/// A table the extractor accepted, as plain text, header row first.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct ScenarioTable {
    /// The id of its first scenario row.
    pub(crate) id: Option<String>,
    pub(crate) rows: Vec<Vec<String>>,
}

/// What one note contributes to the web, found in the first pass.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Facts {
    pub(crate) scenarios: Vec<Scenario>,
    pub(crate) tables: Vec<ScenarioTable>,
    pub(crate) comparisons: Vec<Comparison>,
    pub(crate) callouts: Vec<Callout>,
    /// Practice questions with their answers.
    pub(crate) questions: Vec<Question>,
    /// Bold names the text defines.
    pub(crate) definitions: Vec<Definition>,
    /// Identifiers that key a table's row (`t3.micro`, `ml.m5.large`): the cell's text and
    /// where its table starts.
    pub(crate) listed: Vec<(String, usize)>,
}

impl Facts {
    /// Offsets from the prepared text back to the note body.
    pub(crate) fn map_offsets(&mut self, map: impl Fn(usize) -> usize) {
        for s in &mut self.scenarios {
            s.offset = map(s.offset);
        }
        for c in &mut self.comparisons {
            c.offset = map(c.offset);
        }
        for (_, at) in &mut self.listed {
            *at = map(*at);
        }
        for c in &mut self.callouts {
            c.offset = map(c.offset);
        }
        for q in &mut self.questions {
            q.offset = map(q.offset);
        }
    }
}

/// Which columns of a table hold the scenario and the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Columns {
    pub(crate) scenario: usize,
    pub(crate) answer: usize,
}
