import picomatch from "picomatch";
import { type CheckPlugin } from "./types";

/**
 * Returns a predicate telling whether a plugin applies to a path (relative, `/`-separated).
 * Patterns are real globs: `*` matches any file; a pattern without a slash matches the basename
 * (so `*.ts` matches `src/a.ts`), one with a slash the whole path. picomatch's own `basename`
 * option is not used because it also stops `dir/**` patterns from matching.
 */
export function pluginMatcher(plugin: Pick<CheckPlugin, "patterns">): (path: string) => boolean {
  if (plugin.patterns.length === 0) return () => true;
  const options = { dot: true };
  const byName = plugin.patterns.filter((pattern) => !pattern.includes("/"));
  const byPath = plugin.patterns.filter((pattern) => pattern.includes("/"));
  const matchName = byName.length > 0 ? picomatch(byName, options) : () => false;
  const matchPath = byPath.length > 0 ? picomatch(byPath, options) : () => false;
  return (path) => matchPath(path) || matchName(path.slice(path.lastIndexOf("/") + 1));
}
