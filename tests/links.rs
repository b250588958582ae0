//! Permalinks under `cargo test` (`make fuzz` runs cargo-fuzz on the same decoder for a
//! million inputs): random kitchens round-trip exactly through a link; arbitrary text and every
//! truncation are refused with a message, and random edits of real links either are refused
//! or open the very same kitchen (an edit of the unused bits that end a compressed stream
//! changes nothing), never another one or a panic.

// Native only: proptest is a native dev-dependency.
#![cfg(not(target_arch = "wasm32"))]

use kitchen::engine::experiment::{Cook, Phase, Simmer, Split, TaskSpec, YieldPolicy};
use kitchen::engine::lessons::LESSONS;
use kitchen::engine::share::link::{decode, encode, is_link};
use kitchen::engine::share::{LinkState, View};
use kitchen::engine::{ErrorKind, Experiment, Kernel, Model};
use proptest::prelude::*;

fn phase() -> impl Strategy<Value = Phase> {
    let amount = prop_oneof![
        (0.01f64..60_000.0).prop_map(|ms| (Some(ms), None)),
        (1u64..50_000_000).prop_map(|units| (None, Some(units))),
    ];
    let kernel = prop::sample::select(Kernel::ALL.to_vec());
    let split = prop::option::of((1u32..64, prop::option::of(0.0f64..100.0)));
    prop_oneof![
        (amount, kernel, split).prop_map(|((ms, units), kernel, split)| Phase::Cook(Cook {
            ms,
            units,
            kernel,
            split: split.map(|(chunks, _)| Split { chunks }),
            serial_ms: split.and_then(|(_, serial)| serial),
        })),
        (0.0f64..600_000.0).prop_map(|ms| Phase::Simmer(Simmer { ms })),
    ]
}

/// Up to 30 dishes with names in any script (quotes, slashes, emoji), each after some earlier
/// ones (so no cycle), with up to 4 phases.
fn experiment() -> impl Strategy<Value = Experiment> {
    let dish = ("[a-z0-9 _\"/\\\\é漢🍲-]{1,12}", prop::collection::vec(phase(), 1..4), prop::collection::vec(any::<prop::sample::Index>(), 0..3));
    let policy = prop_oneof![Just(YieldPolicy::AtSimmers), (0.001f64..1000.0).prop_map(YieldPolicy::EveryMs)];
    (prop::collection::vec(dish, 1..30), prop::sample::select(Model::ALL.to_vec()), 1usize..=64, policy).prop_map(
        |(dishes, model, chefs, yield_policy)| {
            let tasks: Vec<TaskSpec> = (dishes.iter().enumerate())
                .map(|(i, (name, phases, after))| TaskSpec {
                    id: format!("{name}#{i}"), // unique
                    phases: phases.clone(),
                    after: if i == 0 { vec![] } else { after.iter().map(|a| format!("{}#{}", dishes[a.index(i)].0, a.index(i))).collect::<std::collections::BTreeSet<_>>().into_iter().collect() },
                })
                .collect();
            Experiment { version: 1, model, chefs, yield_policy, tasks }
        },
    )
}

fn state() -> impl Strategy<Value = LinkState> {
    let lesson = prop::option::of(prop::sample::select(LESSONS.iter().map(|l| l.id.to_string()).collect::<Vec<_>>()));
    (experiment(), any::<bool>(), prop::sample::select(View::ALL.to_vec()), lesson)
        .prop_map(|(experiment, main_thread, view, lesson)| LinkState { experiment, main_thread, view, lesson })
}

/// A refusal is a link problem whose message says the link can't be opened.
fn refused(fragment: &str) -> Result<(), TestCaseError> {
    refused_unless(fragment, None)
}

/// Refused, or (with `same`) opening `same` and nothing else.
fn refused_unless(fragment: &str, same: Option<&LinkState>) -> Result<(), TestCaseError> {
    match decode(fragment) {
        Ok(state) if Some(&state) == same => Ok(()),
        Ok(state) => Err(TestCaseError::fail(format!("accepted {fragment:?} as {state:?}"))),
        Err(e) => {
            prop_assert!(matches!(e.kind, ErrorKind::BadLink(_)), "{e:?}");
            prop_assert!(e.to_string().starts_with("this link can't be opened: "), "{e}");
            Ok(())
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn every_state_round_trips_exactly(state in state()) {
        let link = encode(&state);
        prop_assert!(is_link(&link));
        prop_assert!(link.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)), "not URL-safe: {link}");
        prop_assert_eq!(decode(&link).unwrap(), state);
    }

    #[test]
    fn every_truncation_and_edit_of_a_link_is_refused(state in state(), at in any::<prop::sample::Index>(),
                                                       c in "[A-Za-z0-9_.=+/-]") {
        let link = encode(&state);
        // Past `v1.z.`: the prefix's own errors are tested in the module.
        let i = 5 + at.index(link.len() - 5);
        refused(&link[..i])?;
        let mut replaced = link.clone();
        replaced.replace_range(i..=i, &c);
        refused_unless(&replaced, Some(&state))?;
        let mut inserted = link.clone();
        inserted.insert_str(i, &c);
        refused_unless(&inserted, Some(&state))?;
        let mut removed = link.clone();
        removed.remove(i);
        refused_unless(&removed, Some(&state))?;
    }

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,300}", tail in "[A-Za-z0-9_-]{0,300}") {
        let _ = decode(&text);
        for prefix in ["v1.z.", "v1.j.", "#v1.z.", "v2.z."] {
            refused(&format!("{prefix}{tail}"))?;
        }
    }
}

// --- the other decoders a shared kitchen reads: the embed's query and the parent's messages ---

use kitchen::engine::share::embed::{self, EmbedOptions, Theme};
use kitchen::engine::share::messages::{from_parent_json, FromParent};

fn options() -> impl Strategy<Value = EmbedOptions> {
    (
        prop::sample::subsequence(View::ALL.to_vec(), 1..=4).prop_shuffle(),
        prop::sample::subsequence(Model::ALL.to_vec(), 1..=4),
        any::<[bool; 3]>(),
        prop::sample::select(Theme::ALL.to_vec()),
    )
        .prop_map(|(views, models, [autorun, readonly, edit], theme)| EmbedOptions { views, models, autorun, theme, readonly, edit })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn embed_options_round_trip_through_the_query(options in options()) {
        let parsed = embed::parse(&options.to_query()).unwrap();
        prop_assert_eq!(parsed.warnings, Vec::<String>::new());
        prop_assert_eq!(parsed.options, options);
    }

    #[test]
    fn any_query_is_read_or_warned_about(query in "[a-z=&%,0-9]{0,60}") {
        if let Some(parsed) = embed::parse(&format!("embed&{query}")) {
            prop_assert!(!parsed.options.views.is_empty() && !parsed.options.models.is_empty());
            prop_assert!(parsed.warnings.iter().all(|w| w.contains("ignored")), "{:?}", parsed.warnings);
        }
    }

    #[test]
    fn any_message_is_read_or_refused_with_a_message(text in ".{0,200}", kind in "load|run|stop|[a-z]{0,6}") {
        for json in [text.clone(), format!(r#"{{"type":"{kind}","experiment":{text}}}"#), format!(r#"{{"type":"{kind}"}}"#)] {
            match from_parent_json(&json) {
                Ok(FromParent::Load { .. } | FromParent::Run { .. } | FromParent::Stop) => {}
                Err(e) => {
                    prop_assert!(matches!(e.kind, ErrorKind::InvalidMessage { .. }), "{e:?}");
                    prop_assert!(e.to_string().starts_with("invalid message"), "{e}");
                }
            }
        }
    }
}
