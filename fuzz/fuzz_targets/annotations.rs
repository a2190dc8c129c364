//! Fuzzes the article, front-matter, sidecar and registry loader and the
//! resolver behind it. See `chronicle::fuzz::annotations` for the input shape.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| chronicle::fuzz::annotations(data));
