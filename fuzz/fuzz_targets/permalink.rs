//! Fuzzes the permalink decoder (`engine::share::link::decode`), which reads whatever follows
//! `#` in the address bar, two ways per input:
//! - the bytes as a fragment, as the page hands it over (base64, checksums, version prefix);
//! - the bytes as the JSON inside a link, packed both ways the encoder packs (`v1.z.` zlib and
//!   `v1.j.` with its checksum), so mutations reach the state decoder and the validation of the
//!   dishes behind the checksum.
//!
//! Whatever is accepted must survive the round trip the Copy link button makes: encoded again,
//! it decodes to the same state.

#![no_main]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use kitchen::engine::share::link::{decode, encode};
use libfuzzer_sys::{fuzz_mutator, fuzz_target};

fn round_trip(fragment: &str) {
    let Ok(state) = decode(fragment) else { return };
    let again = encode(&state);
    match decode(&again) {
        Ok(back) => assert_eq!(back, state, "a link, re-encoded, opens another state: {again}"),
        Err(e) => panic!("an accepted link, re-encoded, is refused: {e}\n{again}"),
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        round_trip(text);
    }
    let zlib = miniz_oxide::deflate::compress_to_vec_zlib(data, 1);
    round_trip(&format!("v1.z.{}", URL_SAFE_NO_PAD.encode(zlib)));
    let mut plain = data.to_vec();
    plain.extend_from_slice(&adler2::adler32_slice(data).to_be_bytes());
    round_trip(&format!("v1.j.{}", URL_SAFE_NO_PAD.encode(plain)));
});

// Edits of well-formed states besides libFuzzer's byte mutations (fuzz/src/lib.rs).
fuzz_mutator!(|data: &mut [u8], size: usize, max_size: usize, seed: u32| {
    concurrency_kitchen_fuzz::mutate(data, size, max_size, seed)
});
