//! Turning OSCAL parts into plain text: statement items become indented lines and
//! parameter placeholders become readable assignments, the way NIST prints its controls.

use std::collections::HashMap;

use super::model::{Control, Group, Param, Part, RawCatalog, prop};

/// How deep parameter placeholders may nest (a selection choice that inserts another
/// parameter, ...). Deeper or cyclic references are left as written.
const MAX_INSERT_DEPTH: u8 = 4;

/// Lookups over the whole catalog, built once before conversion: parameters by id (an
/// enhancement may insert its base control's parameter) and control labels by id (for
/// withdrawal notes).
pub(crate) struct Index<'a> {
    params: HashMap<&'a str, &'a Param>,
    labels: HashMap<&'a str, String>,
}

impl<'a> Index<'a> {
    pub(crate) fn build(catalog: &'a RawCatalog) -> Self {
        let mut index = Self {
            params: HashMap::new(),
            labels: HashMap::new(),
        };
        index.add_params(&catalog.params);
        index.add_controls(&catalog.controls);
        let mut groups: Vec<&Group> = catalog.groups.iter().collect();
        // A work list instead of recursion: group nesting is only bounded by the JSON
        // parser's depth limit.
        while let Some(g) = groups.pop() {
            index.add_params(&g.params);
            index.add_controls(&g.controls);
            groups.extend(&g.groups);
        }
        index
    }

    fn add_params(&mut self, params: &'a [Param]) {
        for p in params {
            if let Some(id) = p.id.as_deref() {
                self.params.entry(id.trim()).or_insert(p);
            }
        }
    }

    fn add_controls(&mut self, controls: &'a [Control]) {
        let mut work: Vec<&Control> = controls.iter().collect();
        while let Some(c) = work.pop() {
            self.add_params(&c.params);
            if let Some(id) = c.id.as_deref() {
                self.labels.insert(id.trim(), ref_id(&c.props, id));
            }
            work.extend(&c.controls);
        }
    }

    /// The human label of a control or statement item id: `ac-2` → `AC-2`,
    /// `ac-2_smt.k` → `AC-2k` (NIST's way of citing an item).
    pub(crate) fn cite(&self, id: &str) -> String {
        if let Some(label) = self.labels.get(id) {
            return label.clone();
        }
        match id.split_once("_smt") {
            Some((control, item)) => {
                let base = self
                    .labels
                    .get(control)
                    .cloned()
                    .unwrap_or_else(|| control.to_uppercase());
                format!("{base}{}", item.replace('.', ""))
            }
            None => id.to_owned(),
        }
    }

    /// Renders a part and its sub-parts: the part's own prose first, then each item as
    /// `<label> <prose>` on its own line, indented two spaces per level below the first.
    pub(crate) fn render(&self, part: &Part) -> Option<String> {
        let mut out = String::new();
        if let Some(prose) = part.prose.as_deref() {
            push_line(&mut out, 0, None, &self.resolve(prose, 0));
        }
        for sub in &part.parts {
            self.render_item(sub, 0, &mut out);
        }
        (!out.is_empty()).then_some(out)
    }

    fn render_item(&self, part: &Part, level: usize, out: &mut String) {
        let prose = part
            .prose
            .as_deref()
            .map(|p| self.resolve(p, 0))
            .unwrap_or_default();
        push_line(out, level, prop(&part.props, "label"), &prose);
        for sub in &part.parts {
            self.render_item(sub, level.saturating_add(1), out);
        }
    }

    /// Replaces `{{ insert: param, id }}` placeholders; unknown ones stay as written.
    fn resolve(&self, text: &str, depth: u8) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some((before, after)) = rest.split_once("{{") {
            out.push_str(before);
            match after.split_once("}}") {
                Some((inner, tail)) => {
                    match self.insert(inner, depth) {
                        Some(value) => out.push_str(&value),
                        None => {
                            out.push_str("{{");
                            out.push_str(inner);
                            out.push_str("}}");
                        }
                    }
                    rest = tail;
                }
                None => {
                    out.push_str("{{");
                    rest = after;
                    break;
                }
            }
        }
        out.push_str(rest);
        out
    }

    fn insert(&self, placeholder: &str, depth: u8) -> Option<String> {
        if depth >= MAX_INSERT_DEPTH {
            return None;
        }
        let (kind, id) = placeholder
            .trim()
            .strip_prefix("insert:")?
            .split_once(',')?;
        if kind.trim() != "param" {
            return None;
        }
        let param = self.params.get(id.trim())?;
        Some(self.param_text(param, id.trim(), depth.saturating_add(1)))
    }

    /// `[Assignment: <label>]`, `[Selection (one or more): a; b]`, or the values a
    /// catalog sets.
    fn param_text(&self, param: &Param, id: &str, depth: u8) -> String {
        if !param.values.is_empty() {
            return param.values.join(", ");
        }
        if let Some(select) = &param.select {
            let choices: Vec<String> = select
                .choice
                .iter()
                .map(|c| self.resolve(c.trim(), depth))
                .collect();
            let how_many = match select.how_many.as_deref() {
                Some("one-or-more") => " (one or more)",
                _ => "",
            };
            return format!("[Selection{how_many}: {}]", choices.join("; "));
        }
        match param
            .label
            .as_deref()
            .map(str::trim)
            .filter(|l| !l.is_empty())
        {
            Some(label) => format!("[Assignment: {}]", self.resolve(label, depth)),
            None => format!("[Assignment: {id}]"),
        }
    }
}

fn push_line(out: &mut String, level: usize, label: Option<&str>, prose: &str) {
    let label = label.map(str::trim).unwrap_or_default();
    let prose = prose.trim();
    if label.is_empty() && prose.is_empty() {
        return;
    }
    if !out.is_empty() {
        out.push('\n');
    }
    for _ in 0..level {
        out.push_str("  ");
    }
    out.push_str(label);
    if !label.is_empty() && !prose.is_empty() {
        out.push(' ');
    }
    out.push_str(prose);
}

/// A control's or group's `ref_id`: its `label` prop, else its id upper-cased.
pub(crate) fn ref_id(props: &[super::model::Prop], id: &str) -> String {
    prop(props, "label")
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map_or_else(|| id.trim().to_uppercase(), str::to_owned)
}
