//! Inputs the fuzzer found (tests/fuzz-regressions/) and its seeds
//! (fuzz/seeds/annotations/), replayed through the same harness: each once
//! made the loader panic or hang, or is a shape worth keeping covered.

use std::path::Path;

fn replay(dir: &Path) -> usize {
    let mut count = 0;
    for item in std::fs::read_dir(dir).unwrap().flatten() {
        if item.path().is_file() {
            let data = std::fs::read(item.path()).unwrap();
            // A panic fails the test and names the input.
            eprintln!("replaying {}", item.path().display());
            chronicle::fuzz::annotations(&data);
            count += 1;
        }
    }
    count
}

#[test]
fn fuzzer_inputs_never_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let seeds = replay(&root.join("fuzz/seeds/annotations"));
    assert!(seeds >= 2, "the seed corpus is missing");
    replay(&root.join("tests/fuzz-regressions"));
}
