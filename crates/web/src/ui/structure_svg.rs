//! A server-rendered drawing of the dependency graph: one column per layer (processes,
//! applications, IT systems, networks and links, rooms, buildings), one box per object, an
//! arrow per link. The table next to it carries the same information for screen readers; the
//! drawing is marked as an image with a summary.

use std::collections::BTreeMap;
use std::fmt::Write;

use verbund_domain::structure::ObjectType;
use verbund_domain::structure::model::{Link, ObjectRef};

const COL_W: i64 = 190;
const ROW_H: i64 = 46;
const BOX_W: i64 = 160;
const BOX_H: i64 = 30;
/// Objects drawn at most; larger graphs are left to the table.
const MAX_NODES: usize = 300;

fn layer(t: ObjectType) -> i64 {
    match t {
        ObjectType::BusinessProcess => 0,
        ObjectType::Application => 1,
        ObjectType::Server
        | ObjectType::Client
        | ObjectType::MobileDevice
        | ObjectType::IcsIot
        | ObjectType::NetworkComponent => 2,
        ObjectType::Network | ObjectType::CommunicationLink => 3,
        ObjectType::Room => 4,
        ObjectType::Building => 5,
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The SVG markup titled `title` (empty without links or with more than [`MAX_NODES`]
/// objects).
pub fn draw(links: &[Link], title: &str) -> String {
    let mut nodes: BTreeMap<i64, &ObjectRef> = BTreeMap::new();
    for l in links {
        nodes.insert(l.from.id.0, &l.from);
        nodes.insert(l.to.id.0, &l.to);
    }
    if nodes.is_empty() || nodes.len() > MAX_NODES {
        return String::new();
    }
    let mut rows = [0i64; 6];
    let mut pos: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
    let mut ordered: Vec<&&ObjectRef> = nodes.values().collect();
    ordered.sort_by(|a, b| {
        (layer(a.object_type), &a.short_id).cmp(&(layer(b.object_type), &b.short_id))
    });
    for o in ordered {
        let c = layer(o.object_type);
        let r = rows[c as usize];
        rows[c as usize] += 1;
        pos.insert(o.id.0, (10 + c * COL_W, 10 + r * ROW_H));
    }
    let height = rows.iter().max().copied().unwrap_or(1) * ROW_H + 20;
    let width = 6 * COL_W;
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" class=\"graph\" role=\"img\" aria-labelledby=\"graph-title\">\
         <title id=\"graph-title\">{}</title>\
         <defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"6\" markerHeight=\"6\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#444\"/></marker></defs>",
        esc(title)
    );
    for l in links {
        let (Some(&(x1, y1)), Some(&(x2, y2))) = (pos.get(&l.from.id.0), pos.get(&l.to.id.0))
        else {
            continue;
        };
        let (sx, ex) = if x2 >= x1 {
            (x1 + BOX_W, x2)
        } else {
            (x1, x2 + BOX_W)
        };
        let dash = if l.passes_needs {
            ""
        } else {
            " stroke-dasharray=\"4 3\""
        };
        let _ = write!(
            out,
            "<line x1=\"{sx}\" y1=\"{}\" x2=\"{ex}\" y2=\"{}\" stroke=\"#444\"{dash} marker-end=\"url(#arrow)\"/>",
            y1 + BOX_H / 2,
            y2 + BOX_H / 2
        );
    }
    // No links inside: the drawing is one image (links live in the table beside it).
    for (id, (x, y)) in &pos {
        let o = nodes[id];
        let fill = if o.provider { "#fff4d6" } else { "#e8eef4" };
        let label: String = format!("{} {}", o.short_id, o.name)
            .chars()
            .take(22)
            .collect();
        let _ = write!(
            out,
            "<g><rect x=\"{x}\" y=\"{y}\" width=\"{BOX_W}\" height=\"{BOX_H}\" rx=\"4\" fill=\"{fill}\" stroke=\"#335\"/>\
             <text x=\"{}\" y=\"{}\" font-size=\"12\" fill=\"#111\">{}</text></g>",
            x + 6,
            y + 19,
            esc(&label)
        );
    }
    out.push_str("</svg>");
    out
}
