//! Whether the page opens as the student page, and with what: `?assignment=<URL of a JSON
//! file>` or a fragment carrying the assignment (`#a1.z.…`, the permalink codec), plus
//! `&student=<id>` and `embed`. Pure, so it is tested natively.

use crate::engine::share::link;

/// Where the assignment comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    /// A URL the page fetches (relative to the page's address, or absolute).
    Url(String),
    /// A link's fragment (`a1.z.…`, without `#`) carrying the assignment's JSON.
    Link(String),
}

/// What the address asks of the student page.
#[derive(Clone, Debug, PartialEq)]
pub struct Opening {
    pub source: Source,
    /// The student id from `student=`, trimmed; `None` when absent or blank (the page asks).
    pub student: Option<String>,
    /// `embed` in the query: the compact page for a course site's iframe.
    pub embed: bool,
}

/// The longest student id the page takes (characters): an id, not an essay.
pub const MAX_STUDENT_CHARS: usize = 100;

/// The student page's opening for `query` (with or without `?`) and `fragment` (with or
/// without `#`); `None` when the address names no assignment (the playground opens).
/// A link in the fragment wins over `assignment=`: it is what was shared.
pub fn opening(query: &str, fragment: &str) -> Option<Opening> {
    let pairs: Vec<(String, String)> =
        form_urlencoded::parse(query.strip_prefix('?').unwrap_or(query).as_bytes()).into_owned().collect();
    let value = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let source = if link::is_assignment_link(fragment) {
        Source::Link(fragment.to_string())
    } else {
        Source::Url(value("assignment")?)
    };
    let student = value("student").and_then(|s| clean_student(&s).ok());
    Some(Opening { source, student, embed: pairs.iter().any(|(k, _)| k == "embed") })
}

/// A student id as typed, trimmed; or why it can't be one.
pub fn clean_student(id: &str) -> Result<String, String> {
    let id = id.trim();
    if id.is_empty() {
        return Err("Type your student id (as your teacher asked).".into());
    }
    if id.chars().count() > MAX_STUDENT_CHARS {
        return Err(format!("A student id has at most {MAX_STUDENT_CHARS} characters."));
    }
    if id.chars().any(char::is_control) {
        return Err("A student id is one line of text.".into());
    }
    Ok(id.to_string())
}

/// `query` (with or without `?`) with `student=` set to `id`, the rest kept in order: the
/// address after the student typed their id, so a reload opens the same work.
pub fn with_student(query: &str, id: &str) -> String {
    let pairs = form_urlencoded::parse(query.strip_prefix('?').unwrap_or(query).as_bytes())
        .into_owned()
        .filter(|(k, _)| k != "student");
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        if v.is_empty() {
            // Flags such as `embed` stay bare.
            out.append_key_only(&k);
        } else {
            out.append_pair(&k, &v);
        }
    }
    out.append_pair("student", id);
    format!("?{}", out.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_assignment_url_or_link_opens_the_student_page() {
        assert_eq!(opening("", ""), None);
        assert_eq!(opening("?embed&views=sweep", "#v1.z.abc"), None);
        let o = opening("?assignment=docs%2Fassignments%2Frush.json&student=%20ada%20", "").unwrap();
        assert_eq!(o, Opening { source: Source::Url("docs/assignments/rush.json".into()), student: Some("ada".into()), embed: false });
        let link = link::encode_assignment("{}");
        let o = opening("?embed&student=", &format!("#{link}")).unwrap();
        assert_eq!(o, Opening { source: Source::Link(link), student: None, embed: true });
        assert_eq!(opening("?assignment=a.json&embed", "#sweep").unwrap().embed, true);
    }

    #[test]
    fn student_ids() {
        assert_eq!(clean_student("  ada 1 "), Ok("ada 1".into()));
        assert!(clean_student("  ").is_err());
        assert!(clean_student("a\nb").is_err());
        assert!(clean_student(&"x".repeat(101)).is_err());
        assert_eq!(with_student("?embed&assignment=a.json&student=old", "b ob"), "?embed&assignment=a.json&student=b+ob");
        let o = opening(&with_student("?assignment=x%26y.json", "é"), "").unwrap();
        assert_eq!((o.source, o.student), (Source::Url("x&y.json".into()), Some("é".into())));
    }
}
