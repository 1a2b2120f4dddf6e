/** Shared helpers for the quality tests: PATHs with and without the real tools and the stand-ins. */
import { existsSync, readFileSync, symlinkSync } from "node:fs";
import path from "node:path";

const repoRoot = path.resolve(__dirname, "../..");
export const standinsDir = path.join(__dirname, "standins");
const npmBin = path.join(repoRoot, "node_modules", ".bin");
const nodeDir = path.dirname(process.execPath);

/** A PATH with the real tools (npm's and the system's) and the stand-ins (for ruff). */
export function pathWithTools(): string {
  return [standinsDir, npmBin, nodeDir, "/usr/local/bin", "/usr/bin", "/bin"].join(path.delimiter);
}

/**
 * A PATH where no check tool can be found: `emptyDir` with only a link to node in it (node's own
 * folder may be /usr/bin, which holds shellcheck and friends).
 */
export function pathWithoutTools(emptyDir: string): string {
  const link = path.join(emptyDir, "node");
  if (!existsSync(link)) symlinkSync(process.execPath, link);
  return emptyDir;
}

export function read(file: string): string {
  return existsSync(file) ? readFileSync(file, "utf8") : "";
}
