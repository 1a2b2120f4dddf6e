/**
 * Copy-on-write views of the base checkout's shared folders (node_modules, .venv, …) inside a
 * sandboxed tool. bubblewrap 0.8.0 has no overlay options, so the overlays are mounted in a mount
 * namespace of their own just before bwrap starts, and bwrap's bind of the worktree carries them in.
 * The host never sees the mounts, and they vanish with the tool (shared/docs/sandbox.md, (e)).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export interface OverlayMount {
  /** The base checkout's folder, read-only underneath. */
  lower: string;
  /** Where the workstream's own changes go, outside its worktree. */
  upper: string;
  /** overlayfs's scratch folder, on the same file system as `upper`. */
  work: string;
  /** The folder in the worktree that shows the merged view. */
  target: string;
}

/** Mounts each overlay given as four arguments, then runs the rest of its arguments. */
const MOUNT_THEN_EXEC = [
  'while [ "$1" != "--" ]; do',
  '  mount -t overlay overlay -o "lowerdir=$1,upperdir=$2,workdir=$3" "$4" || exit 125',
  "  shift 4",
  "done",
  "shift",
  'exec "$@"',
].join("\n");

/** overlayfs takes its folders in one option string, where these characters separate or escape. */
export function mountablePath(folder: string): boolean {
  return path.isAbsolute(folder) && !/[,:\\\n]/.test(folder);
}

function namespaceArgs(): string[] {
  // A root caller may mount in a new mount namespace; anyone else maps itself to root in a user namespace first.
  return ["-m", "--propagation", "private", ...(process.getuid?.() === 0 ? [] : ["-r"])];
}

/** `command args` run after the overlays are mounted, in a mount namespace of their own. */
export function withOverlays(
  overlays: readonly OverlayMount[],
  command: string,
  args: readonly string[],
): { command: string; args: string[] } {
  if (overlays.length === 0) return { command, args: [...args] };
  const mounts = overlays.flatMap((overlay) => [overlay.lower, overlay.upper, overlay.work, overlay.target]);
  return {
    command: "unshare",
    args: [
      ...namespaceArgs(),
      "--",
      "sh",
      "-c",
      MOUNT_THEN_EXEC,
      "wsp-overlay",
      ...mounts,
      "--",
      command,
      ...args,
    ],
  };
}

const cached = new Map<string, { available: boolean; reason?: string }>();

/**
 * Whether this machine can mount an overlay whose upper folder lies under `parent` (an upper folder
 * on overlayfs itself, as in a container's root, is refused by the kernel); measured once per folder.
 */
export function overlaySupport(parent: string = tmpdir()): { available: boolean; reason?: string } {
  const known = cached.get(parent);
  if (known) return known;
  const answer = probe(parent);
  cached.set(parent, answer);
  return answer;
}

function probe(parent: string): { available: boolean; reason?: string } {
  if (process.platform !== "linux") return { available: false, reason: `${process.platform}: no overlayfs` };
  mkdirSync(parent, { recursive: true });
  const scratch = mkdtempSync(path.join(parent, ".wsp-overlay-probe-"));
  try {
    const dirs = ["lower", "upper", "work", "merged"].map((name) => path.join(scratch, name));
    for (const dir of dirs) mkdirSync(dir);
    writeFileSync(path.join(dirs[0], "probe"), "");
    const [lower, upper, work, merged] = dirs as [string, string, string, string];
    const mount = withOverlays([{ lower, upper, work, target: merged }], "test", [
      "-e",
      path.join(merged, "probe"),
    ]);
    execFileSync(mount.command, mount.args, { stdio: ["ignore", "ignore", "pipe"], timeout: 10_000 });
    return { available: true };
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    return { available: false, reason: `cannot mount an overlay here${stderr ? `: ${stderr}` : ""}` };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
