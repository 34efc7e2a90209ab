//! The translations are compiled into the crate (fluent-templates' `static_loader!`), which
//! does not tell cargo about the files it reads: without this, a new or edited `.ftl` file
//! left an incremental build with the old texts (keys shown instead of words).
fn main() {
    println!("cargo:rerun-if-changed=locales");
}
