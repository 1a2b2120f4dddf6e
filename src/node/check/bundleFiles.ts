import { existsSync, statSync } from "node:fs";
import path from "node:path";
import picomatch from "picomatch";
import { validateDocuments } from "../../core/bundle";
import { loadWorkspaceBundles } from "../bundles";

/**
 * The existing files a workstream's bundle lets it touch (files_scope and files_create, globs
 * matched against the repository's tracked files), relative to `cwd`; undefined when no bundle has
 * that id.
 */
export async function bundleScopeFiles(
  cwd: string,
  env: NodeJS.ProcessEnv,
  wsId: string,
): Promise<string[] | undefined> {
  const dir = path.resolve(cwd, env.PIPELINE_WORKSTREAM_DIR || "workstreams");
  if (!existsSync(dir)) return undefined;
  const workspace = await loadWorkspaceBundles(dir, { root: cwd });
  const { bundles } = validateDocuments(workspace.documents, { trackedFiles: workspace.trackedFiles });
  const bundle = bundles.find((loaded) => loaded.bundle.id === wsId)?.bundle;
  if (!bundle) return undefined;
  const files = new Set<string>();
  for (const entry of [...bundle.files_scope, ...bundle.files_create]) {
    if (picomatch.scan(entry).isGlob) {
      const matches = picomatch(entry, { dot: true });
      for (const tracked of workspace.trackedFiles) if (matches(tracked)) files.add(tracked);
    } else {
      const absolute = path.resolve(cwd, entry);
      if (existsSync(absolute) && statSync(absolute).isFile()) files.add(entry);
    }
  }
  return [...files].sort();
}
