//! The importers take uploads from anyone: whatever the bytes, they return `Ok` or `Err`
//! and never panic (nor overflow the stack or loop forever).

mod common;

use common::{fixture, workspace};
use proptest::prelude::*;
use verbund_formats::catalog::{Catalog, ciso_assistant, import_auto, oscal};

/// Runs every entry point on the bytes; any panic fails the property.
fn import_everything(bytes: &[u8], oscal_catalog: &Catalog) {
    let _ = import_auto(bytes, "upload.yaml");
    let _ = import_auto(bytes, "upload.bin");
    let _ = ciso_assistant::parse(bytes);
    let _ = ciso_assistant::parse_all(bytes);
    let _ = oscal::parse_catalog(bytes);
    let _ = oscal::resolve_profile(bytes, oscal_catalog);
    let _ = oscal::resolve_profile_bytes(&fixture("tiny-oscal-profile.json"), bytes);
}

fn tiny_oscal() -> Catalog {
    oscal::parse_catalog(&fixture("tiny-oscal-catalog.json")).expect("fixture imports")
}

/// One edit of a file: overwrite, insert or delete bytes at a relative position.
#[derive(Debug, Clone)]
enum Edit {
    Set(f64, u8),
    Insert(f64, Vec<u8>),
    Delete(f64, usize),
    Truncate(f64),
}

fn edit() -> impl Strategy<Value = Edit> {
    let token = prop::sample::select(vec![
        &b":"[..],
        b"-",
        b"\n",
        b"  ",
        b"[",
        b"]",
        b"{",
        b"}",
        b"\"",
        b"'",
        b",",
        b"&a ",
        b"*a",
        b"urn: ",
        b"parent_urn: ",
        b"depth: ",
        b"999999999999",
        b"-1",
        b"null",
        b"~",
        b"{{ insert: param, xx-1_prm_2 }}",
        b"\"controls\": [",
        b"\"groups\": [{",
        b"\xff",
        b"\0",
        b"\t",
        b"!!binary ",
        b"<<: *a",
        b"---\n",
        b"...\n",
    ]);
    prop_oneof![
        (0.0..1.0f64, any::<u8>()).prop_map(|(p, b)| Edit::Set(p, b)),
        (0.0..1.0f64, token).prop_map(|(p, t)| Edit::Insert(p, t.to_vec())),
        (0.0..1.0f64, prop::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(p, b)| Edit::Insert(p, b)),
        (0.0..1.0f64, 1..64usize).prop_map(|(p, n)| Edit::Delete(p, n)),
        (0.0..1.0f64).prop_map(Edit::Truncate),
    ]
}

fn apply(mut bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for e in edits {
        let at = |p: f64, len: usize| ((p * len as f64) as usize).min(len);
        match e {
            Edit::Set(p, b) => {
                let i = at(*p, bytes.len());
                if let Some(slot) = bytes.get_mut(i) {
                    *slot = *b;
                }
            }
            Edit::Insert(p, new) => {
                let i = at(*p, bytes.len());
                bytes.splice(i..i, new.iter().copied());
            }
            Edit::Delete(p, n) => {
                let i = at(*p, bytes.len());
                let end = (i + n).min(bytes.len());
                bytes.drain(i..end);
            }
            Edit::Truncate(p) => bytes.truncate(at(*p, bytes.len())),
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        import_everything(&bytes, &tiny_oscal());
    }

    #[test]
    fn random_text_never_panics(text in "[ -~\n\t{}\\[\\]:\"'#&*!|>-]{0,300}") {
        import_everything(text.as_bytes(), &tiny_oscal());
    }

    #[test]
    fn mutated_ciso_fixture_never_panics(edits in prop::collection::vec(edit(), 1..6)) {
        import_everything(&apply(fixture("tiny-ciso.yaml"), &edits), &tiny_oscal());
    }

    #[test]
    fn mutated_oscal_catalog_never_panics(edits in prop::collection::vec(edit(), 1..6)) {
        import_everything(&apply(fixture("tiny-oscal-catalog.json"), &edits), &tiny_oscal());
    }

    #[test]
    fn mutated_oscal_profile_never_panics(edits in prop::collection::vec(edit(), 1..6)) {
        import_everything(&apply(fixture("tiny-oscal-profile.json"), &edits), &tiny_oscal());
    }
}

proptest! {
    // The starter catalog is larger; fewer cases keep the debug-build suite quick.
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn mutated_real_library_never_panics(edits in prop::collection::vec(edit(), 1..4)) {
        let starter = std::fs::read(workspace().join("catalogs/verbund-starter.yaml")).unwrap();
        let bytes = apply(starter, &edits);
        let _ = import_auto(&bytes, "verbund-starter.yaml");
    }
}
