import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

let cached: string | undefined;

/**
 * The folder of Workstream Pipeline's own package.json (where the shipped `config/` and `schema/`
 * live), found by walking up from this module: `dist/` when bundled, `src/node/aim/` under tsx.
 */
export function packageRoot(): string {
  if (cached) return cached;
  let dir = __dirname;
  for (;;) {
    const manifest = path.join(dir, "package.json");
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "workstream-pipeline"
    ) {
      cached = dir;
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find Workstream Pipeline's package.json above ${__dirname}`);
    dir = parent;
  }
}
