//! The options of an embedded kitchen, read from the page's query string (`?embed&views=…`),
//! and written back for the snippet generator. README "Embedding" lists them.
//!
//! A kitchen is embedded when the query has `embed`; the other options refine it. An unknown
//! option or a bad value is not fatal: it is ignored with a warning the embed shows, as an
//! author typing a snippet by hand would want.

use std::fmt::Write as _;

use super::View;
use crate::engine::Model;

/// The embed's colours: the reader's system setting, or fixed to match the page around it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    /// Follow `prefers-color-scheme`.
    #[default]
    Auto,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

impl Theme {
    /// Every theme, as `theme=` names them.
    pub const ALL: [Theme; 3] = [Theme::Auto, Theme::Light, Theme::Dark];

    /// The name used in `theme=`.
    pub fn name(self) -> &'static str {
        match self {
            Theme::Auto => "auto",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

/// What an embedded kitchen shows and allows.
#[derive(Clone, Debug, PartialEq)]
pub struct EmbedOptions {
    /// The views offered, in tab order (`views=results,compare`, `timeline` naming the results; default: the results).
    pub views: Vec<View>,
    /// The models a reader may pick (`models=sequential,parallel`; default: all four).
    pub models: Vec<Model>,
    /// Run once ready (`autorun`), except when the reader prefers reduced motion.
    pub autorun: bool,
    /// `theme=light`, `dark` or `auto` (default).
    pub theme: Theme,
    /// Nothing can be changed (`readonly`): no model, chefs or dish edits; Run and Stop remain.
    pub readonly: bool,
    /// The dishes may be edited in the embed (`edit`); otherwise they are shown as a summary.
    pub edit: bool,
}

impl Default for EmbedOptions {
    fn default() -> Self {
        EmbedOptions {
            views: vec![View::Results],
            models: Model::ALL.to_vec(),
            autorun: false,
            theme: Theme::Auto,
            readonly: false,
            edit: false,
        }
    }
}

/// The options the query string gives, and a warning for each part that was ignored.
#[derive(Clone, Debug, PartialEq)]
pub struct Parsed {
    pub options: EmbedOptions,
    pub warnings: Vec<String>,
}

/// The embed's options from `query` (with or without its `?`); `None` when the page is not
/// embedded (no `embed` key).
pub fn parse(query: &str) -> Option<Parsed> {
    let pairs: Vec<(String, String)> =
        form_urlencoded::parse(query.strip_prefix('?').unwrap_or(query).as_bytes()).into_owned().collect();
    if !pairs.iter().any(|(k, _)| k == "embed") {
        return None;
    }
    let mut options = EmbedOptions::default();
    let mut warnings = Vec::new();
    for (key, value) in &pairs {
        let result = match key.as_str() {
            "embed" => Ok(()),
            "views" => list(value, View::named, &["results (or timeline)", "compare", "sweep", "lessons"]).map(|v| options.views = v),
            "models" => list(value, |m| m.parse().ok(), &Model::ALL.map(Model::name)).map(|m| options.models = m),
            "autorun" => flag(value).map(|b| options.autorun = b),
            "readonly" => flag(value).map(|b| options.readonly = b),
            "edit" => flag(value).map(|b| options.edit = b),
            "theme" => (Theme::ALL.into_iter().find(|t| t.name() == value))
                .map(|t| options.theme = t)
                .ok_or_else(|| format!("expected auto, light or dark, got `{}`", short(value))),
            // The playground's own options (docs/format.md) are not the embed's business.
            "backend" => Ok(()),
            _ => Err("unknown option".to_string()),
        };
        if let Err(why) = result {
            warnings.push(format!("`{}` ignored: {why}", short(key)));
        }
    }
    Some(Parsed { options, warnings })
}

/// A comma-separated list of names, none repeated and at least one.
fn list<T: PartialEq>(value: &str, named: impl Fn(&str) -> Option<T>, known: &[&str]) -> Result<Vec<T>, String> {
    let mut items = Vec::new();
    for name in value.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let item = named(name).ok_or_else(|| format!("`{}` is none of {}", short(name), known.join(", ")))?;
        if !items.contains(&item) {
            items.push(item);
        }
    }
    if items.is_empty() {
        return Err(format!("expected one or more of {}", known.join(", ")));
    }
    Ok(items)
}

/// A flag: present (`autorun`), or `=1`/`true`/`yes`, or `=0`/`false`/`no`.
fn flag(value: &str) -> Result<bool, String> {
    match value {
        "" | "1" | "true" | "yes" => Ok(true),
        "0" | "false" | "no" => Ok(false),
        other => Err(format!("expected nothing, true or false, got `{}`", short(other))),
    }
}

/// At most 40 characters of what was typed, for a message.
fn short(s: &str) -> String {
    s.chars().take(40).collect()
}

impl EmbedOptions {
    /// The query string (without `?`) that gives these options: `embed`, then what differs
    /// from the defaults.
    pub fn to_query(&self) -> String {
        let defaults = EmbedOptions::default();
        let mut q = String::from("embed");
        if self.views != defaults.views {
            let _ = write!(q, "&views={}", self.views.iter().map(|v| v.name()).collect::<Vec<_>>().join(","));
        }
        if self.models != defaults.models {
            let _ = write!(q, "&models={}", self.models.iter().map(|m| m.name()).collect::<Vec<_>>().join(","));
        }
        for (on, name) in [(self.autorun, "autorun"), (self.readonly, "readonly"), (self.edit, "edit")] {
            if on {
                let _ = write!(q, "&{name}");
            }
        }
        if self.theme != Theme::Auto {
            let _ = write!(q, "&theme={}", self.theme.name());
        }
        q
    }

    /// The model to show for `wanted`: itself when it may be picked, else the first that may.
    pub fn allowed_model(&self, wanted: Model) -> Model {
        if self.models.contains(&wanted) {
            wanted
        } else {
            self.models.first().copied().unwrap_or(wanted)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_embed_key_is_the_playground() {
        assert_eq!(parse(""), None);
        assert_eq!(parse("?backend=message-passing"), None);
        assert_eq!(parse("?embedded"), None);
    }

    #[test]
    fn defaults_and_every_option() {
        assert_eq!(parse("?embed").unwrap(), Parsed { options: EmbedOptions::default(), warnings: vec![] });
        let p = parse("embed=1&views=compare,timeline,compare&models=sequential,parallel&autorun&theme=dark&readonly=true&edit=0")
            .unwrap();
        assert_eq!(p.warnings, Vec::<String>::new());
        assert_eq!(p.options.views, [View::Compare, View::Results]);
        assert_eq!(p.options.models, [Model::Sequential, Model::Parallel]);
        assert!(p.options.autorun && p.options.readonly && !p.options.edit);
        assert_eq!(p.options.theme, Theme::Dark);
        assert_eq!(p.options.allowed_model(Model::Concurrent), Model::Sequential);
        assert_eq!(p.options.allowed_model(Model::Parallel), Model::Parallel);
    }

    #[test]
    fn bad_parts_are_ignored_with_a_warning_each() {
        let p = parse("embed&views=gallery&models=&theme=neon&autorun=maybe&colour=red&views%20=x").unwrap();
        assert_eq!(p.options, EmbedOptions::default());
        let w = p.warnings.join("\n");
        assert_eq!(p.warnings.len(), 6, "{w}");
        for part in ["`gallery` is none of results (or timeline), compare, sweep, lessons", "`models` ignored", "neon", "maybe", "`colour` ignored: unknown option"] {
            assert!(w.contains(part), "{part} not in {w}");
        }
    }

    #[test]
    fn the_query_round_trips() {
        let all = EmbedOptions {
            views: vec![View::Sweep, View::Results],
            models: vec![Model::ConcurrentParallel],
            autorun: true,
            theme: Theme::Light,
            readonly: true,
            edit: true,
        };
        for options in [EmbedOptions::default(), all] {
            let q = options.to_query();
            assert_eq!(parse(&q).unwrap(), Parsed { options, warnings: vec![] }, "{q}");
        }
        assert_eq!(EmbedOptions::default().to_query(), "embed");
    }
}
