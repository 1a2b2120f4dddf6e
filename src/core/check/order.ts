import { UserError } from "../errors";
import { type CheckPlugin } from "./types";

/**
 * Orders plugins so each runs after the plugins it `requires`; otherwise the given order is kept.
 * A requirement on a plugin that is not in the set is ignored (the set may be filtered).
 * A cycle is a configuration error naming the plugins in it.
 */
export function orderPlugins<T extends Pick<CheckPlugin, "id" | "requires">>(plugins: readonly T[]): T[] {
  const byId = new Map(plugins.map((plugin) => [plugin.id, plugin]));
  const ordered: T[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (plugin: T, path: string[]): void => {
    const seen = state.get(plugin.id);
    if (seen === "done") return;
    if (seen === "visiting") {
      throw new UserError(
        `check plugins require each other in a cycle: ${[...path, plugin.id].join(" -> ")}`,
      );
    }
    state.set(plugin.id, "visiting");
    for (const required of plugin.requires) {
      const dependency = byId.get(required);
      if (dependency) visit(dependency, [...path, plugin.id]);
    }
    state.set(plugin.id, "done");
    ordered.push(plugin);
  };
  for (const plugin of plugins) visit(plugin, []);
  return ordered;
}
