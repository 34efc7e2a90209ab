//! The real municipality list from the shared datasets.

mod common;

use verbund_domain::org::OrgKind;
use verbund_formats::gemeinden::parse;

#[test]
fn reads_every_municipality_of_the_real_list() {
    let Some(bytes) = common::dataset("gemeinden/gemeinden.csv") else {
        return;
    };

    let rows = parse(&bytes).expect("parses");

    assert_eq!(rows.len(), 10_773);
    assert_eq!(rows[0].name, "Flensburg");
    let nauheim = rows
        .iter()
        .find(|m| m.ags.as_str() == "06433009")
        .expect("Nauheim");
    assert_eq!(
        (nauheim.name.as_str(), nauheim.kind, nauheim.population),
        ("Nauheim", OrgKind::Gemeinde, 10840)
    );
}
