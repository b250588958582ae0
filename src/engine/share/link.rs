//! Permalinks: a [`LinkState`] in a URL fragment, and back.
//!
//! A link's fragment is `v1.` (the link format's version), an encoding letter and a dot, then
//! base64url without padding (RFC 4648 §5) of the state as JSON:
//! - `v1.z.` — the JSON compressed with zlib (deflate plus an Adler-32 checksum);
//! - `v1.j.` — the JSON as it is, followed by its Adler-32 checksum (4 bytes, big-endian).
//!
//! The encoder writes whichever is shorter (compression wins from about 60 bytes of JSON on).
//! Both carry a checksum, so a link altered anywhere is refused rather than opening some other
//! kitchen. The same codec carries a homework assignment's JSON behind its own prefix, `a1.`
//! ([`encode_assignment`], [`decode_assignment`]): the student page opens `…/#a1.z.…`. The decoder refuses every input it cannot read with a [`LinkProblem`], and never
//! panics (`fuzz/fuzz_targets/permalink.rs`, `tests/decoders.rs`).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

use super::LinkState;
use crate::engine::error::{Error, ErrorKind};
use crate::engine::experiment::FORMAT_VERSION;
use crate::engine::graph::MAX_TASKS;

/// The link format this build writes and reads (`#v1.…`).
pub const LINK_VERSION: u32 = 1;

/// The longest fragment the decoder reads (characters): far beyond any kitchen's link (20,000
/// dishes compress to about 200 KB), short enough that a pasted novel is refused at once.
pub const MAX_LINK_CHARS: usize = 4 << 20;

/// The most a link may unpack to (bytes): more than the largest valid experiment's JSON, and
/// a bound on what a crafted link (a "zip bomb") can make the page allocate.
pub const MAX_STATE_BYTES: usize = 16 << 20;

/// zlib's strongest level: links are made once and read many times.
const LEVEL: u8 = 10;

/// Why a link could not be opened.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum LinkProblem {
    /// Made by a newer kitchen, in a link format this build does not read.
    #[error("it was made by a newer version of the kitchen (link format v{0}); this one opens v{LINK_VERSION} links")]
    FutureVersion(u64),
    /// The fragment ends before the link's contents (cut short when copied).
    #[error("it is cut short — it ends before its contents")]
    Truncated,
    /// The encoding letter is none this build writes.
    #[error("its encoding `{0}` is not one the kitchen writes (`z` or `j`): the link was altered")]
    UnknownEncoding(String),
    /// The contents are not base64url (a character outside its alphabet, or a length or last
    /// character no encoder makes).
    #[error("it is cut short or was altered — its text is not base64url ({0})")]
    NotBase64(String),
    /// The compressed contents do not unpack, or unpack with a wrong checksum.
    #[error("it is cut short or was altered — its contents do not unpack ({0})")]
    Corrupt(String),
    /// The contents do not match their checksum.
    #[error("it was altered — its contents do not match their checksum")]
    ChecksumMismatch,
    /// Longer than [`MAX_LINK_CHARS`], or unpacking to more than [`MAX_STATE_BYTES`].
    #[error("it is larger than any kitchen makes ({0})")]
    TooLarge(String),
    /// The contents unpack but are not a kitchen's state; `path` is where (e.g.
    /// `experiment.tasks[0]`), absent when the problem is the text as a whole.
    #[error("its contents are not a kitchen{}: {problem}", at(.path))]
    InvalidState { path: Option<String>, problem: String },
    /// The experiment inside is of another format version, or larger than any kitchen cooks.
    #[error("{0}")]
    InvalidDishes(Box<Error>),
    /// The state opens a lesson that does not exist.
    #[error("it opens lesson `{0}`, which this kitchen does not have")]
    UnknownLesson(String),
}

fn at(path: &Option<String>) -> String {
    path.as_ref().map_or(String::new(), |p| format!(" at `{p}`"))
}

fn bad(problem: LinkProblem) -> Error {
    ErrorKind::BadLink(problem).into()
}

/// The letter of a kitchen link's prefix (`v1.`).
const KITCHEN: char = 'v';
/// The letter of an assignment link's prefix (`a1.`): the same codec and version, so a link
/// of one kind is never read as the other.
const ASSIGNMENT: char = 'a';

/// The fragment (without `#`) of a link to `state`.
pub fn encode(state: &LinkState) -> String {
    let json = serde_json::to_vec(state).expect("a link state serialises (no maps, finite numbers)");
    pack(KITCHEN, json)
}

/// The fragment (without `#`) of a link carrying an assignment's JSON text (`a1.z.…`), for the
/// student page. The text is carried as it is; the page parses and validates it on opening.
pub fn encode_assignment(json: &str) -> String {
    pack(ASSIGNMENT, json.as_bytes().to_vec())
}

/// `json` behind `letter` and the version: zlib or plain with its checksum, whichever is shorter.
fn pack(letter: char, json: Vec<u8>) -> String {
    let zlib = miniz_oxide::deflate::compress_to_vec_zlib(&json, LEVEL);
    let raw_len = json.len() + 4;
    if zlib.len() < raw_len {
        format!("{letter}{LINK_VERSION}.z.{}", URL_SAFE_NO_PAD.encode(zlib))
    } else {
        let mut raw = json;
        raw.extend_from_slice(&adler2::adler32_slice(&raw).to_be_bytes());
        format!("{letter}{LINK_VERSION}.j.{}", URL_SAFE_NO_PAD.encode(raw))
    }
}

/// Whether `fragment` (with or without its `#`) is meant as a kitchen link: `v` and a digit.
/// Anything else (empty, or an anchor such as `#sweep`) is no link and is left alone.
pub fn is_link(fragment: &str) -> bool {
    starts_link(fragment, KITCHEN)
}

/// Whether `fragment` (with or without its `#`) is meant as an assignment link: `a` and a digit.
pub fn is_assignment_link(fragment: &str) -> bool {
    starts_link(fragment, ASSIGNMENT)
}

fn starts_link(fragment: &str, letter: char) -> bool {
    let f = fragment.strip_prefix('#').unwrap_or(fragment).as_bytes();
    f.len() >= 2 && f[0] == letter as u8 && f[1].is_ascii_digit()
}

/// Reads the state in `fragment` (with or without its `#`), checked: its experiment is of
/// this build's format and the lesson it opens exists (see [`check`] for the dishes).
pub fn decode(fragment: &str) -> Result<LinkState, Error> {
    let json = unpack_fragment(fragment, KITCHEN)?;
    let state = parse(&json)?;
    check(&state)?;
    Ok(state)
}

/// The assignment JSON text in an assignment link's `fragment` (with or without its `#`), its
/// checksum verified; the caller parses it (`Assignment::from_json`, which names the path of
/// what is wrong).
pub fn decode_assignment(fragment: &str) -> Result<String, Error> {
    let json = unpack_fragment(fragment, ASSIGNMENT)?;
    String::from_utf8(json).map_err(|e| bad(LinkProblem::InvalidState { path: None, problem: e.to_string() }))
}

/// The bytes packed in `fragment` behind `letter`, checked against their checksum.
fn unpack_fragment(fragment: &str, letter: char) -> Result<Vec<u8>, Error> {
    let f = fragment.strip_prefix('#').unwrap_or(fragment);
    if f.len() > MAX_LINK_CHARS {
        return Err(bad(LinkProblem::TooLarge(format!("{} characters, at most {MAX_LINK_CHARS}", f.len()))));
    }
    let (encoding, body) = split(f, letter)?;
    let bytes = URL_SAFE_NO_PAD.decode(body).map_err(|e| bad(LinkProblem::NotBase64(e.to_string())))?;
    unpack(encoding, bytes)
}

/// The encoding letter and the base64 text after `v1.` (or `a1.`).
fn split(f: &str, letter: char) -> Result<(&str, &str), Error> {
    let rest = f.strip_prefix(letter).ok_or_else(|| bad(LinkProblem::Truncated))?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let (version, rest) = rest.split_at(digits);
    // A version too long for u64 is still a future one.
    let version: u64 = version.parse().unwrap_or(u64::MAX);
    if version != u64::from(LINK_VERSION) {
        return Err(bad(if version > u64::from(LINK_VERSION) {
            LinkProblem::FutureVersion(version)
        } else {
            LinkProblem::InvalidState { path: None, problem: format!("link format v{version} does not exist") }
        }));
    }
    let rest = rest.strip_prefix('.').ok_or_else(|| bad(LinkProblem::Truncated))?;
    match rest.split_once('.') {
        Some((encoding @ ("z" | "j"), body)) if !body.is_empty() => Ok((encoding, body)),
        Some(("z" | "j", _)) => Err(bad(LinkProblem::Truncated)),
        Some((other, _)) => Err(bad(LinkProblem::UnknownEncoding(other.chars().take(12).collect()))),
        None if rest.len() <= 1 => Err(bad(LinkProblem::Truncated)),
        None => Err(bad(LinkProblem::UnknownEncoding(rest.chars().take(12).collect()))),
    }
}

/// The JSON inside, its checksum verified.
fn unpack(encoding: &str, mut bytes: Vec<u8>) -> Result<Vec<u8>, Error> {
    if encoding == "z" {
        let json = miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&bytes, MAX_STATE_BYTES).map_err(|e| {
            bad(match e.status {
                miniz_oxide::inflate::TINFLStatus::HasMoreOutput => {
                    LinkProblem::TooLarge(format!("unpacks to more than {MAX_STATE_BYTES} bytes"))
                }
                miniz_oxide::inflate::TINFLStatus::Adler32Mismatch => LinkProblem::ChecksumMismatch,
                _ => LinkProblem::Corrupt(e.to_string().to_lowercase()),
            })
        })?;
        // The inflater stops at the end of the stream and ignores what follows; the encoder
        // writes nothing after it, so its checksum must be the last four bytes.
        if bytes.ends_with(&adler2::adler32_slice(&json).to_be_bytes()) {
            return Ok(json);
        }
        return Err(bad(LinkProblem::Corrupt("bytes after the end of the contents".into())));
    }
    if bytes.len() < 4 {
        return Err(bad(LinkProblem::Truncated));
    }
    let sum = bytes.split_off(bytes.len() - 4);
    if adler2::adler32_slice(&bytes).to_be_bytes()[..] != sum[..] {
        return Err(bad(LinkProblem::ChecksumMismatch));
    }
    Ok(bytes)
}

fn parse(json: &[u8]) -> Result<LinkState, Error> {
    let de = &mut serde_json::Deserializer::from_slice(json);
    let state: LinkState = serde_path_to_error::deserialize(&mut *de).map_err(|e| {
        let path = e.path().to_string();
        bad(LinkProblem::InvalidState { path: (path != ".").then_some(path), problem: e.inner().to_string() })
    })?;
    de.end().map_err(|e| bad(LinkProblem::InvalidState { path: None, problem: e.to_string() }))?;
    Ok(state)
}

/// The experiment is of this build's format version and size, and the lesson, if any, exists.
///
/// The dishes themselves are not validated here: whether a split has enough work for its chunks
/// depends on the page's calibration. The page checks them as it checks every edit, so a link
/// to dishes that can't cook opens them with the reason shown, as the composer would.
fn check(state: &LinkState) -> Result<(), Error> {
    let e = &state.experiment;
    let refuse = |kind: ErrorKind| Err(bad(LinkProblem::InvalidDishes(Box::new(kind.into()))));
    if e.version != FORMAT_VERSION {
        return refuse(ErrorKind::UnsupportedVersion(e.version));
    }
    if e.tasks.len() > MAX_TASKS {
        return refuse(ErrorKind::TooManyTasks(e.tasks.len()));
    }
    match &state.lesson {
        Some(id) if crate::engine::lessons::find(id).is_none() => {
            Err(bad(LinkProblem::UnknownLesson(id.chars().take(40).collect())))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::experiment::YieldPolicy;
    use crate::engine::presets;
    use crate::engine::share::View;
    use crate::engine::Model;

    fn problem(fragment: &str) -> LinkProblem {
        match decode(fragment).unwrap_err().kind {
            ErrorKind::BadLink(p) => p,
            other => panic!("{fragment}: not a link problem: {other:?}"),
        }
    }

    fn terraform() -> LinkState {
        let mut experiment = presets::find("terraform").unwrap().experiment(Model::ConcurrentParallel, 3);
        experiment.yield_policy = YieldPolicy::AtSimmers;
        LinkState { experiment, main_thread: false, view: View::Compare, lesson: None }
    }

    #[test]
    fn every_preset_round_trips_with_every_setting() {
        for preset in presets::PRESETS {
            for (i, model) in Model::ALL.into_iter().enumerate() {
                let mut experiment = preset.experiment(model, 1 + i);
                experiment.yield_policy = [YieldPolicy::AtSimmers, YieldPolicy::EveryMs(2.5)][i % 2];
                let state = LinkState {
                    experiment,
                    main_thread: model == Model::Sequential,
                    view: View::ALL[i],
                    lesson: (View::ALL[i] == View::Lessons).then(|| "oven".to_string()),
                };
                let link = encode(&state);
                assert!(is_link(&link) && link.starts_with("v1."), "{link}");
                assert_eq!(decode(&format!("#{link}")).unwrap(), state, "{}", preset.id);
            }
        }
    }

    #[test]
    fn the_terraform_link_is_compressed_and_short() {
        let link = encode(&terraform());
        assert!(link.starts_with("v1.z."), "{link}");
        // The whole URL must stay under 2,000 characters; the fragment leaves room for the host.
        assert!(link.len() < 1000, "{} characters: {link}", link.len());
        // The 1000-dish Restaurant rush compresses to a small fraction of its JSON.
        let rush = LinkState::of(presets::find("restaurant-rush").unwrap().experiment(Model::Concurrent, 1));
        let json = serde_json::to_string(&rush).unwrap();
        assert!(encode(&rush).len() * 10 < json.len(), "{} of {}", encode(&rush).len(), json.len());
    }

    #[test]
    fn a_tiny_state_is_written_plain_and_still_checked() {
        // An experiment with no dishes is the smallest state (the page then says there is
        // nothing to cook).
        let state = LinkState::of(crate::engine::Experiment {
            version: 1,
            model: Model::Sequential,
            chefs: 1,
            yield_policy: YieldPolicy::default(),
            tasks: vec![],
        });
        let link = encode(&state);
        assert!(link.starts_with("v1.j."), "{link}");
        assert_eq!(decode(&link).unwrap(), state);
        // One character changed in the middle: the checksum catches it.
        let mut altered = link.clone().into_bytes();
        let i = link.len() / 2 + 3;
        altered[i] = if altered[i] == b'A' { b'B' } else { b'A' };
        let altered = String::from_utf8(altered).unwrap();
        assert!(
            matches!(problem(&altered), LinkProblem::ChecksumMismatch | LinkProblem::NotBase64(_)),
            "{altered}: {:?}",
            problem(&altered)
        );
    }

    #[test]
    fn every_truncation_is_refused_with_a_message() {
        let link = encode(&terraform());
        for end in 0..link.len() {
            let cut = &link[..end];
            if !is_link(cut) {
                assert!(end < 2, "{cut}");
                continue;
            }
            let message = decode(cut).unwrap_err().to_string();
            assert!(message.starts_with("this link can't be opened: "), "{cut}: {message}");
        }
    }

    #[test]
    fn every_single_character_change_is_refused() {
        let link = encode(&terraform());
        let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        // Past the prefix; the last character may carry unused bits, which base64 refuses.
        for i in 5..link.len() {
            let old = link.as_bytes()[i] as char;
            let new = alphabet.chars().find(|&c| c != old && (c as u32 + i as u32) % 7 == 0).unwrap_or('A');
            let mut altered = link.clone();
            altered.replace_range(i..=i, &new.to_string());
            if altered == link {
                continue;
            }
            assert!(decode(&altered).is_err(), "changing character {i} went unseen: {altered}");
        }
    }

    #[test]
    fn future_versions_and_foreign_fragments() {
        assert_eq!(problem("v2.z.eJwDAAAAAAE"), LinkProblem::FutureVersion(2));
        assert_eq!(problem("#v99999999999999999999999.z.x"), LinkProblem::FutureVersion(u64::MAX));
        assert!(matches!(problem("v0.z.eJw"), LinkProblem::InvalidState { .. }));
        assert_eq!(problem("v1"), LinkProblem::Truncated);
        assert_eq!(problem("v1."), LinkProblem::Truncated);
        assert_eq!(problem("v1.z."), LinkProblem::Truncated);
        assert_eq!(problem("v1.q.abc"), LinkProblem::UnknownEncoding("q".into()));
        assert!(matches!(problem("v1.z.a+b/"), LinkProblem::NotBase64(_)));
        assert!(matches!(problem("v1.z.AAAA"), LinkProblem::Corrupt(_)));
        for anchor in ["", "#", "#sweep", "#video", "v", "#v-1"] {
            assert!(!is_link(anchor), "{anchor}");
        }
    }

    #[test]
    fn an_assignment_link_carries_its_json_and_is_no_kitchen_link() {
        let json = r#"{"version":1,"kind":"assignment","title":"Rush","steps":[]}"#;
        let link = encode_assignment(json);
        assert!(link.starts_with("a1.") && is_assignment_link(&link) && !is_link(&link), "{link}");
        assert_eq!(decode_assignment(&format!("#{link}")).unwrap(), json);
        // A long one is compressed; one character changed is refused.
        let long = json.replace("Rush", &"Restaurant rush ".repeat(40));
        let packed = encode_assignment(&long);
        assert!(packed.starts_with("a1.z.") && packed.len() < long.len(), "{packed}");
        assert_eq!(decode_assignment(&packed).unwrap(), long);
        let mut altered = packed.clone();
        altered.replace_range(20..21, if &packed[20..21] == "A" { "B" } else { "A" });
        assert!(decode_assignment(&altered).is_err());
        // A kitchen link is not an assignment, nor the other way round.
        let kitchen = encode(&terraform());
        assert!(!is_assignment_link(&kitchen));
        assert!(decode_assignment(&kitchen).is_err() && decode(&link).is_err());
        assert!(decode_assignment("a1.q.abc").is_err() && decode_assignment("a2.z.eJw").is_err());
    }

    #[test]
    fn a_zip_bomb_is_refused() {
        let huge = vec![b' '; MAX_STATE_BYTES + 1];
        let link = format!("v1.z.{}", URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec_zlib(&huge, 10)));
        assert!(link.len() < 100_000);
        assert!(matches!(problem(&link), LinkProblem::TooLarge(_)));
    }

    #[test]
    fn well_packed_states_that_are_not_kitchens_name_the_problem() {
        let pack = |json: &str| {
            format!("v1.z.{}", URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec_zlib(json.as_bytes(), 6)))
        };
        let good = r#"{"version":1,"model":"parallel","chefs":2,"tasks":[{"id":"a","phases":[{"cook":{"ms":5}}]}]}"#;
        assert_eq!(decode(&pack(&format!(r#"{{"experiment":{good}}}"#))).unwrap().experiment.chefs, 2);
        let cases = [
            ("[1,2]", None),
            (r#"{"experiment":{"version":1,"model":"warp","tasks":[]}}"#, Some("experiment.model")),
            (&format!(r#"{{"experiment":{good},"view":"gallery"}}"#), Some("view")),
            (&format!(r#"{{"experiment":{good},"colour":"red"}}"#), None),
            (&format!(r#"{{"experiment":{good}}} trailing"#), None),
        ];
        for (json, path) in cases {
            match problem(&pack(json)) {
                LinkProblem::InvalidState { path: p, .. } if path.is_none() || p.as_deref() == path => {}
                other => panic!("{json}: {other:?}"),
            }
        }
        let cycle = r#"{"experiment":{"version":1,"model":"parallel","chefs":2,"tasks":[
            {"id":"a","phases":[{"cook":{"ms":5}}],"after":["b"]},{"id":"b","phases":[{"cook":{"ms":5}}],"after":["a"]}]}}"#;
        // Dishes that can't cook open as they are: the page says why, as for an edit.
        assert_eq!(decode(&pack(cycle)).unwrap().experiment.tasks.len(), 2);
        let future = r#"{"experiment":{"version":2,"model":"parallel","tasks":[]}}"#;
        let message = decode(&pack(future)).unwrap_err().to_string();
        assert!(message.contains("unsupported experiment version 2"), "{message}");
        let lesson = format!(r#"{{"experiment":{good},"view":"lessons","lesson":"no-such-lesson"}}"#);
        assert_eq!(problem(&pack(&lesson)), LinkProblem::UnknownLesson("no-such-lesson".into()));
    }
}
