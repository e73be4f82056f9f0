//! Sorting by index: the engine's one use of the standard library's sort.
//!
//! Every call site that orders things (the cluster autoscaler's scale-down candidates
//! and its kept nodes, the ReplicaSet's pods to delete, a scenario's events by time)
//! sorts the indices of its items with a comparison of two indices. `sort_by` is
//! generic over the element and the closure, so each call site with its own closure
//! used to compile a copy of the whole sort into the page; through this one
//! non-generic function there is a single copy (about 25 KB less wasm before
//! compression, measured with `wasm-opt -Oz`).
//!
//! The sort is stable: items that compare equal keep their index order.

use std::cmp::Ordering;

/// Sorts `idx` (indices into the caller's items) by `cmp` of two indices, stably.
pub fn sort_indices(idx: &mut [usize], cmp: &dyn Fn(usize, usize) -> Ordering) {
    idx.sort_by(|a, b| cmp(*a, *b));
}

/// `items` put in the order of `idx` (a permutation of their indices).
pub fn permute<T>(items: &mut Vec<T>, idx: &[usize]) {
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(idx.iter().filter_map(|&i| slots[i].take()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indices_sort_stably_and_items_follow_them() {
        let keys = [3.0f64, 1.0, 2.0, 1.0];
        let mut idx: Vec<usize> = (0..keys.len()).collect();
        sort_indices(&mut idx, &|a, b| keys[a].total_cmp(&keys[b]));
        assert_eq!(idx, vec![1, 3, 2, 0], "the two 1.0s keep their order");
        let mut items = vec!['a', 'b', 'c', 'd'];
        permute(&mut items, &idx);
        assert_eq!(items, vec!['b', 'd', 'c', 'a']);
    }
}
