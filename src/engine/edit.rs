//! Edits to an experiment's dishes, as the composer makes them. Pure functions, so the rules
//! (fresh ids, renames followed by dependents, deletes cleaned from dependents) are tested natively.

use super::experiment::{Cook, Experiment, Phase, TaskSpec};

/// Appends a new dish (a 100 ms cook) and returns its index.
pub fn add_task(e: &mut Experiment) -> usize {
    let id = fresh_id(&e.tasks, "dish");
    e.tasks.push(TaskSpec { id, phases: vec![Phase::Cook(Cook::ms(100.0))], after: vec![] });
    e.tasks.len() - 1
}

/// Copies dish `i` right after it, under a fresh id (same phases and dependencies).
pub fn duplicate_task(e: &mut Experiment, i: usize) {
    if let Some(task) = e.tasks.get(i) {
        let mut copy = task.clone();
        copy.id = fresh_id(&e.tasks, &copy.id);
        e.tasks.insert(i + 1, copy);
    }
}

/// Deletes dish `i`; dishes that came after it no longer wait for it.
pub fn delete_task(e: &mut Experiment, i: usize) {
    if i < e.tasks.len() {
        let gone = e.tasks.remove(i).id;
        e.tasks.iter_mut().for_each(|t| t.after.retain(|d| *d != gone));
    }
}

/// Moves dish `from` to position `to` (order only decides who is offered to a chef first).
pub fn move_task(e: &mut Experiment, from: usize, to: usize) {
    if from < e.tasks.len() && to < e.tasks.len() {
        let task = e.tasks.remove(from);
        e.tasks.insert(to, task);
    }
}

/// Replaces dish `i`; a new id is followed by the dishes that come after it.
pub fn update_task(e: &mut Experiment, i: usize, task: TaskSpec) {
    let Some(slot) = e.tasks.get_mut(i) else { return };
    let old = std::mem::replace(slot, task).id;
    let new = e.tasks[i].id.clone();
    if old != new {
        for t in &mut e.tasks {
            t.after.iter_mut().filter(|d| **d == old).for_each(|d| *d = new.clone());
        }
    }
}

/// `base`, or `base-2`, `base-3`… (after stripping a numeric suffix), whichever is unused.
pub fn fresh_id(tasks: &[TaskSpec], base: &str) -> String {
    let taken = |id: &str| tasks.iter().any(|t| t.id == id);
    let stem = base.rsplit_once('-').filter(|(_, n)| n.parse::<u32>().is_ok()).map_or(base, |(s, _)| s);
    if !taken(stem) {
        return stem.to_string();
    }
    (2..).map(|n| format!("{stem}-{n}")).find(|id| !taken(id)).expect("some suffix is free")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::experiment::Model;
    use crate::engine::presets;

    fn ids(e: &Experiment) -> Vec<&str> {
        e.tasks.iter().map(|t| t.id.as_str()).collect()
    }

    fn terraform() -> Experiment {
        presets::find("terraform").unwrap().experiment(Model::Parallel, 2)
    }

    #[test]
    fn add_and_duplicate_pick_fresh_ids() {
        let mut e = presets::PRESETS[0].experiment(Model::Sequential, 1);
        add_task(&mut e);
        add_task(&mut e);
        duplicate_task(&mut e, 0);
        assert_eq!(ids(&e), ["soup", "soup-2", "roast", "dessert", "dish", "dish-2"]);
        duplicate_task(&mut e, 1);
        assert_eq!(e.tasks[2].id, "soup-3");
    }

    #[test]
    fn delete_removes_the_dependency_everywhere() {
        let mut e = terraform();
        let i = e.tasks.iter().position(|t| t.id == "certificate").unwrap();
        delete_task(&mut e, i);
        let app = e.tasks.iter().find(|t| t.id == "app").unwrap();
        assert!(!app.after.contains(&"certificate".to_string()));
        assert!(e.tasks.iter().all(|t| t.id != "certificate"));
    }

    #[test]
    fn rename_is_followed_by_dependents() {
        let mut e = terraform();
        let i = e.tasks.iter().position(|t| t.id == "subnet").unwrap();
        let mut t = e.tasks[i].clone();
        t.id = "private-subnet".into();
        update_task(&mut e, i, t);
        let cluster = e.tasks.iter().find(|t| t.id == "cluster").unwrap();
        assert_eq!(cluster.after, ["private-subnet"]);
    }

    #[test]
    fn move_reorders_and_ignores_out_of_range() {
        let mut e = presets::PRESETS[0].experiment(Model::Sequential, 1);
        move_task(&mut e, 2, 0);
        assert_eq!(ids(&e), ["dessert", "soup", "roast"]);
        move_task(&mut e, 0, 9);
        delete_task(&mut e, 9);
        duplicate_task(&mut e, 9);
        assert_eq!(ids(&e), ["dessert", "soup", "roast"]);
    }
}
