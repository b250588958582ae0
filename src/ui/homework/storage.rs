//! A student's work kept in the browser's local storage, so it survives a reload: one entry
//! per assignment and student, under a versioned key (`kitchen.homework.v1.<digest>.<student>`)
//! holding a versioned envelope (`{"version": 1, "work": …}`). What cannot be read back (another
//! version, edited by hand, cut short) is moved aside under `….unreadable` and the page starts
//! afresh, saying so. The envelope's reading is pure and tested natively; the storage calls are
//! wasm only.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// The version of what this build keeps (in the key and in the envelope).
pub const STORAGE_VERSION: u32 = 1;

/// The local-storage key of `student`'s work on the assignment with `digest`.
pub fn key(digest: &str, student: &str) -> String {
    format!("kitchen.homework.v{STORAGE_VERSION}.{digest}.{student}")
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Envelope<T> {
    version: u32,
    work: T,
}

/// `work` as the text kept in storage.
pub fn to_text<T: Serialize>(work: &T) -> String {
    serde_json::to_string(&Envelope { version: STORAGE_VERSION, work }).expect("work serialises (finite numbers, string keys)")
}

/// The work in `text`, or why it can't be read (in words, for the page's message).
pub fn from_text<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    #[derive(Deserialize)]
    struct Version {
        version: u32,
    }
    let version = serde_json::from_str::<Version>(text).map_err(|e| format!("it is not what this page keeps ({e})"))?;
    if version.version != STORAGE_VERSION {
        return Err(format!("it was kept by another version of the page (v{}; this one reads v{STORAGE_VERSION})", version.version));
    }
    let de = &mut serde_json::Deserializer::from_str(text);
    let envelope: Envelope<T> = serde_path_to_error::deserialize(de).map_err(|e| format!("at `{}`: {}", e.path(), e.inner()))?;
    Ok(envelope.work)
}

/// What was found under a key.
#[derive(Clone, Debug, PartialEq)]
pub enum Loaded<T> {
    /// Nothing kept yet (or no storage): a fresh start.
    Fresh,
    /// The work kept before.
    Restored(T),
    /// Something that can't be read, moved aside; the page starts afresh and says why.
    Unreadable(String),
}

#[cfg(target_arch = "wasm32")]
fn storage() -> Option<web_sys::Storage> {
    // Absent or refused (some private modes): the work then lasts as long as the page.
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// The work kept under `key`.
#[cfg(target_arch = "wasm32")]
pub fn load<T: DeserializeOwned>(key: &str) -> Loaded<T> {
    let Some(storage) = storage() else { return Loaded::Fresh };
    let Ok(Some(text)) = storage.get_item(key) else { return Loaded::Fresh };
    match from_text(&text) {
        Ok(work) => Loaded::Restored(work),
        Err(why) => {
            // Kept aside rather than lost: a teacher can still recover it.
            let _ = storage.set_item(&format!("{key}.unreadable"), &text);
            let _ = storage.remove_item(key);
            Loaded::Unreadable(why)
        }
    }
}

/// Keeps `work` under `key`; an error says why it could not (no storage, or full).
#[cfg(target_arch = "wasm32")]
pub fn save<T: Serialize>(key: &str, work: &T) -> Result<(), String> {
    let storage = storage().ok_or("this browser keeps no local storage for the page (private mode?)")?;
    storage.set_item(key, &to_text(work)).map_err(|_| "the browser's storage for this page is full".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Work {
        answers: Vec<f64>,
    }

    #[test]
    fn work_round_trips_and_bad_text_says_why() {
        let work = Work { answers: vec![1.5, 2.0] };
        let text = to_text(&work);
        assert_eq!(text, r#"{"version":1,"work":{"answers":[1.5,2.0]}}"#);
        assert_eq!(from_text::<Work>(&text), Ok(work));
        assert!(from_text::<Work>("{\"version\":2,\"work\":{}}").unwrap_err().contains("v2"));
        assert!(from_text::<Work>("{\"version\":1,\"work\":{\"answers\":[\"x\"]}}").unwrap_err().contains("work.answers[0]"));
        assert!(from_text::<Work>(&text[..text.len() - 3]).is_err());
        assert!(from_text::<Work>("null").is_err());
        assert_eq!(key("ab12", "ada"), "kitchen.homework.v1.ab12.ada");
    }
}
