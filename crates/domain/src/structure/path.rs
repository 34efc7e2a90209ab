//! The inheritance path: why an object has its need, traced back to the object where a person
//! set it.

use super::inherit::Origin;

/// One object on an inheritance path and how it got its need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PathStep<K> {
    /// The object.
    pub object: K,
    /// `true`: a person set the need here (the path starts here).
    pub own: bool,
    /// Otherwise where it came from (the next step of the path).
    pub origin: Origin<K>,
}

/// Traces the path of `start` backwards: the first step is `start`, each next step is the
/// object the previous one inherited from, the last one is where the need was set (or where
/// the trace stops). `lookup` gives an object's `(own, origin)` for the goal in question, or
/// `None` when it is unknown or not visible to the reader (the path then ends before it). The
/// trace stops at `max_len` steps and never visits an object twice, so it always ends.
pub fn path_of<K: Copy + PartialEq>(
    start: K,
    mut lookup: impl FnMut(K) -> Option<(bool, Origin<K>)>,
    max_len: usize,
) -> Vec<PathStep<K>> {
    let mut steps: Vec<PathStep<K>> = Vec::new();
    let mut next = Some(start);
    while let Some(k) = next.take() {
        if steps.len() >= max_len || steps.iter().any(|s| s.object == k) {
            break;
        }
        let Some((own, origin)) = lookup(k) else {
            break;
        };
        steps.push(PathStep {
            object: k,
            own,
            origin,
        });
        if !own {
            next = match origin {
                Origin::Unset => None,
                Origin::Link { from, .. } => Some(from),
                Origin::Cycle { via } => Some(via),
            };
        }
    }
    steps
}
