//! Fuzzes what an embedded kitchen reads from outside besides its link: a parent page's
//! message (`engine::share::messages::from_parent_json`, the JSON of a message's `kitchen`
//! value) and its own query string (`engine::share::embed::parse`). Neither may panic; a query
//! always gives usable options (at least one view and one model), and what the snippet
//! generator writes back from them reads the same.

#![no_main]

use kitchen::engine::share::embed;
use kitchen::engine::share::messages::from_parent_json;
use libfuzzer_sys::{fuzz_mutator, fuzz_target};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = from_parent_json(text);
    if let Some(parsed) = embed::parse(&format!("embed&{text}")) {
        let options = parsed.options;
        assert!(!options.views.is_empty() && !options.models.is_empty());
        let again = embed::parse(&options.to_query()).expect("a written query is an embed's");
        assert_eq!(again.options, options);
        assert!(again.warnings.is_empty(), "{:?}", again.warnings);
    }
});

// Edits of well-formed messages besides libFuzzer's byte mutations (fuzz/src/lib.rs).
fuzz_mutator!(|data: &mut [u8], size: usize, max_size: usize, seed: u32| {
    concurrency_kitchen_fuzz::mutate(data, size, max_size, seed)
});
