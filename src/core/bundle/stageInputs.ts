/**
 * What an editing workspace compares between passes to rerun a cross-file stage only when its
 * inputs changed: the graph stage reads ids and depends_on, the overlap stage the scope lists.
 */
import { type ScopedEntry } from "./overlaps";

/** True when the two lists differ in any way `same` cares about. */
export function changed(
  before: readonly ScopedEntry[],
  after: readonly ScopedEntry[],
  same: (a: ScopedEntry, b: ScopedEntry) => boolean,
): boolean {
  if (before.length !== after.length) return true;
  for (let index = 0; index < after.length; index++) {
    const [a, b] = [before[index], after[index]];
    if (a !== b && !same(a, b)) return true;
  }
  return false;
}

/** Same length and the same items (objects only when they are the very same). */
function sameItems(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  return a.every((value, index) => value === b[index]);
}

function samePlace(a: ScopedEntry, b: ScopedEntry): boolean {
  return a.id === b.id && a.uri === b.uri && a.index === b.index;
}

export function sameGraphInputs(a: ScopedEntry, b: ScopedEntry): boolean {
  return samePlace(a, b) && sameItems(a.dependsOn, b.dependsOn);
}

/** The scope lists as written: the patterns and the declared files both follow from them. */
export function sameScopeInputs(a: ScopedEntry, b: ScopedEntry): boolean {
  const [first, second] = [a.value as Record<string, unknown>, b.value as Record<string, unknown>];
  return (
    samePlace(a, b) &&
    sameItems(first.files_scope, second.files_scope) &&
    sameItems(first.files_create, second.files_create)
  );
}
