//! Layering of the dependency graph for drawing it: each task's depth (how many dependencies
//! deep it sits) and the tasks grouped by depth. The composer's DAG view draws with it.

use std::collections::{HashMap, VecDeque};

use crate::engine::Experiment;

/// The graph to draw: dish ids and, per dish, the dishes it comes after (as in a `Plan`).
#[derive(Clone, Debug, PartialEq)]
pub struct Graph {
    pub ids: Vec<String>,
    pub deps: Vec<Vec<usize>>,
}

impl Graph {
    /// The graph as written, for drawing dishes the engine refused (a cycle): each `after` is
    /// the first dish of that name; names no dish has, and the dish itself, are left out (the
    /// engine reports those first).
    pub fn loose(e: &Experiment) -> Graph {
        let mut index = HashMap::new();
        e.tasks.iter().enumerate().rev().for_each(|(i, t)| {
            index.insert(t.id.as_str(), i);
        });
        let deps = e.tasks.iter().enumerate().map(|(i, t)| {
            let mut deps: Vec<usize> = t.after.iter().filter_map(|d| index.get(d.as_str()).copied()).filter(|&d| d != i).collect();
            deps.sort_unstable();
            deps.dedup();
            deps
        });
        Graph { ids: e.tasks.iter().map(|t| t.id.clone()).collect(), deps: deps.collect() }
    }
}

/// Each task's depth: 0 without dependencies, else one more than its deepest dependency.
/// `deps[t]` lists the tasks `t` waits for (as in [`crate::engine::Plan::deps`]). A graph with a
/// cycle (never a valid plan, but the composer draws one to show the problem) is laid out as
/// if the first task left waiting did not wait, so the cycle reads left to right.
pub fn depths(deps: &[Vec<usize>]) -> Vec<usize> {
    let mut dependents = vec![Vec::new(); deps.len()];
    for (task, ds) in deps.iter().enumerate() {
        ds.iter().for_each(|&d| dependents[d].push(task));
    }
    let mut waiting: Vec<usize> = deps.iter().map(Vec::len).collect();
    let mut ready: VecDeque<usize> = (0..deps.len()).filter(|&t| waiting[t] == 0).collect();
    let mut depth = vec![0; deps.len()];
    // Kahn's order: a task is settled once every dependency has passed its depth on.
    while let Some(task) = ready.pop_front().or_else(|| release_one(&mut waiting)) {
        for &next in &dependents[task] {
            // A released task keeps its depth: the edges into it are the cycle's way back.
            if waiting[next] > 0 {
                depth[next] = depth[next].max(depth[task] + 1);
                waiting[next] -= 1;
                if waiting[next] == 0 {
                    ready.push_back(next);
                }
            }
        }
    }
    depth
}

/// Stops the first task still waiting (on a cycle, or after one) from waiting.
fn release_one(waiting: &mut [usize]) -> Option<usize> {
    let stuck = waiting.iter().position(|&w| w > 0)?;
    waiting[stuck] = 0;
    Some(stuck)
}

/// The tasks at each depth, shallowest first, each layer in task order.
pub fn layers(depths: &[usize]) -> Vec<Vec<usize>> {
    let mut layers = vec![Vec::new(); depths.iter().max().map_or(0, |d| d + 1)];
    depths.iter().enumerate().for_each(|(task, &d)| layers[d].push(task));
    layers
}

/// Where each task sits on a grid of columns: layers left to right, a layer taller than
/// `max_rows` wrapped into several columns. Returns `(column, row)` per task and the number
/// of columns.
pub fn grid(layers: &[Vec<usize>], tasks: usize, max_rows: usize) -> (Vec<(usize, usize)>, usize) {
    let max_rows = max_rows.max(1);
    let mut cells = vec![(0, 0); tasks];
    let mut column = 0;
    for layer in layers {
        for (i, &task) in layer.iter().enumerate() {
            cells[task] = (column + i / max_rows, i % max_rows);
        }
        column += layer.len().div_ceil(max_rows);
    }
    (cells, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_is_the_longest_chain_of_dependencies() {
        // 0 → 1 → 3, 0 → 2 → 3 and 0 → 3 directly: 3 sits below its deepest dependency.
        let deps = vec![vec![], vec![0], vec![0], vec![1, 0, 2], vec![]];
        assert_eq!(depths(&deps), [0, 1, 1, 2, 0]);
        assert_eq!(layers(&depths(&deps)), vec![vec![0, 4], vec![1, 2], vec![3]]);
    }

    #[test]
    fn a_cycle_is_laid_out_from_its_first_task() {
        assert_eq!(depths(&[vec![1], vec![0]]), [0, 1]);
        // 0 → 1 → 2 → 0, and 3 after 2.
        assert_eq!(depths(&[vec![2], vec![0], vec![1], vec![2]]), [0, 1, 2, 3]);
    }

    #[test]
    fn tall_layers_wrap_into_columns() {
        let layers = vec![vec![0, 1, 2, 3, 4], vec![5]];
        let (cells, columns) = grid(&layers, 6, 2);
        assert_eq!(columns, 4);
        assert_eq!(cells, [(0, 0), (0, 1), (1, 0), (1, 1), (2, 0), (3, 0)]);
        assert_eq!(grid(&[], 0, 2), (vec![], 0));
    }
}
