//! A JSON-aware mutator for the fuzz targets that read JSON documents.
//!
//! libFuzzer's byte mutations mostly break JSON, and rarely turn a well-formed trace or
//! experiment into another well-formed one with an odd value: a span starting at `-1e308`,
//! a dependency cycle. Half the time this mutator instead edits one node of the parsed document
//! (a number to an edge value, a string to another id or word of the format, a member removed
//! or repeated, a dependency added), so the decoders' later stages see such inputs too. The
//! other half, and for inputs that are not JSON, libFuzzer's own mutations run.

use serde_json::{json, Value};

/// Numbers at and beyond the formats' limits: zero, negatives, the largest finite `f64`,
/// values whose microseconds overflow an `i64`, integers at `u64`/`usize` edges.
const NUMBERS: &[f64] = &[
    0.0, -1.0, 0.5, 1.0, 64.0, 65.0, 100_001.0, 20_001.0, 60_000.5, 600_000.5, 5e7 + 1.0, 1e-300, 1e16, -1e16,
    1e308, -1e308,
];

/// Words of the formats, and ids of the examples.
const WORDS: &[&str] = &[
    "", " ", "soup", "stock", "render", "frame-00", "sequential", "concurrent", "parallel", "concurrent-parallel",
    "at_simmers", "cook", "simmer", "wait", "ready", "primes", "mandelbrot", "sort", "measured", "simulated", "main",
];

/// A small xorshift generator seeded by libFuzzer, so a mutation replays from its seed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

/// The libFuzzer custom mutator: edits `data[..size]` in place and returns its new size.
pub fn mutate(data: &mut [u8], size: usize, max_size: usize, seed: u32) -> usize {
    let mut rng = Rng(u64::from(seed) | 1 << 40);
    let edited = (rng.below(2) == 0)
        .then(|| serde_json::from_slice::<Value>(&data[..size]).ok())
        .flatten()
        .map(|mut doc| {
            edit(&mut doc, &mut rng);
            serde_json::to_vec(&doc).expect("a JSON value serialises")
        })
        .filter(|out| out.len() <= max_size);
    match edited {
        Some(out) => {
            data[..out.len()].copy_from_slice(&out);
            out.len()
        }
        None => libfuzzer_sys::fuzzer_mutate(data, size, max_size),
    }
}

/// One edit of one node of `doc`, or one added dependency.
fn edit(doc: &mut Value, rng: &mut Rng) {
    if rng.below(5) == 0 {
        return depend(doc, rng);
    }
    let count = nodes(doc);
    let target = rng.below(count);
    let _ = visit(doc, target, &mut |parent| edit_child(parent, rng));
}

/// How many nodes `v` has, itself included.
fn nodes(v: &Value) -> usize {
    1 + match v {
        Value::Array(xs) => xs.iter().map(nodes).sum(),
        Value::Object(m) => m.values().map(nodes).sum(),
        _ => 0,
    }
}

/// Calls `f` on the container holding the `n`-th node (pre-order); `Err` carries what is
/// left of `n` while searching. The root itself, node 0, has no container: nothing happens.
fn visit(v: &mut Value, n: usize, f: &mut dyn FnMut(Child)) -> Result<(), usize> {
    let mut left = n.checked_sub(1).ok_or(0usize)?;
    let keys: Vec<String> = match v {
        Value::Object(m) => m.keys().cloned().collect(),
        Value::Array(xs) => (0..xs.len()).map(|i| i.to_string()).collect(),
        _ => return Err(left),
    };
    for key in keys {
        if left == 0 {
            f(Child { parent: v, key });
            return Ok(());
        }
        let child = match v {
            Value::Object(m) => m.get_mut(&key).unwrap(),
            Value::Array(xs) => &mut xs[key.parse::<usize>().unwrap()],
            _ => unreachable!(),
        };
        match visit(child, left, f) {
            Ok(()) => return Ok(()),
            Err(rest) => left = rest,
        }
    }
    Err(left)
}

/// A node, by its container and its key (an index for arrays).
struct Child<'a> {
    parent: &'a mut Value,
    key: String,
}

fn edit_child(Child { parent, key }: Child, rng: &mut Rng) {
    let choice = rng.below(4);
    match parent {
        Value::Array(xs) => {
            let i: usize = key.parse().unwrap();
            match choice {
                0 => drop(xs.remove(i)),
                1 => xs.insert(i, xs[i].clone()),
                _ => retype(&mut xs[i], rng),
            }
        }
        Value::Object(m) => match choice {
            0 => drop(m.remove(&key)),
            _ => retype(m.get_mut(&key).unwrap(), rng),
        },
        _ => unreachable!("only containers have children"),
    }
}

/// Replaces a value by another of its type (now and then of another type).
fn retype(v: &mut Value, rng: &mut Rng) {
    let number = |x: f64| if x.fract() == 0.0 && x.abs() < 1e15 { json!(x as i64) } else { json!(x) };
    *v = match (&*v, rng.below(8)) {
        (_, 0) => Value::Null,
        (Value::Number(_), 1) => json!(u64::MAX),
        (Value::Number(_), _) => number(NUMBERS[rng.below(NUMBERS.len())]),
        (Value::String(_), _) => json!(WORDS[rng.below(WORDS.len())]),
        (Value::Bool(b), _) => json!(!b),
        (Value::Array(xs), _) if !xs.is_empty() => json!([xs[rng.below(xs.len())].clone()]),
        _ => number(NUMBERS[rng.below(NUMBERS.len())]),
    };
}

/// Makes one task come after another (or itself) in an experiment's `tasks`.
fn depend(doc: &mut Value, rng: &mut Rng) {
    let Some(Value::Array(tasks)) = doc.get_mut("tasks") else { return };
    if tasks.is_empty() {
        return;
    }
    let (a, b) = (rng.below(tasks.len()), rng.below(tasks.len()));
    let Some(id) = tasks[b].get("id").cloned() else { return };
    if let Some(task) = tasks[a].as_object_mut() {
        match task.entry("after").or_insert_with(|| json!([])) {
            Value::Array(after) => after.push(id),
            other => *other = json!([id]),
        }
    }
}
