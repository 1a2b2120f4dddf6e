/**
 * Whether this machine can sandbox a tool, asked once per process: bubblewrap must be installed and
 * must be able to make the namespaces a sandbox needs (a container or a kernel setting can forbid
 * them). The answer names what is missing, for `wsp init`, `wsp aim status` and the run's warning.
 */
import { execFileSync } from "node:child_process";

export interface SandboxSupport {
  available: boolean;
  /** What runs the sandbox, e.g. "bubblewrap 0.8.0". */
  engine?: string;
  /** Why not, in one line a person can act on. */
  reason?: string;
}

let cached: SandboxSupport | undefined;

function probeLinux(): SandboxSupport {
  let version: string;
  try {
    version = execFileSync("bwrap", ["--version"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    }).trim();
  } catch {
    return {
      available: false,
      reason: "bubblewrap (bwrap) is not installed; on Debian or Ubuntu: apt-get install bubblewrap",
    };
  }
  const rootArgs = process.getuid?.() === 0 ? ["--uid", "1000", "--gid", "1000"] : [];
  try {
    execFileSync(
      "bwrap",
      ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--unshare-user", ...rootArgs].concat([
        "--unshare-pid",
        "--die-with-parent",
        "--new-session",
        "--",
        "true",
      ]),
      { stdio: ["ignore", "ignore", "pipe"], timeout: 10_000 },
    );
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    return {
      available: false,
      engine: version,
      reason: `${version} cannot create a sandbox here${stderr ? `: ${stderr}` : ""} (user namespaces may be disabled)`,
    };
  }
  return { available: true, engine: version };
}

/** Measured once per process: the machine does not change under a run. */
export function sandboxSupport(): SandboxSupport {
  if (cached) return cached;
  if (process.platform === "linux") cached = probeLinux();
  else if (process.platform === "darwin")
    cached = { available: false, reason: "macOS: no sandbox yet (a Seatbelt profile is planned, untested)" };
  else cached = { available: false, reason: `${process.platform}: no sandbox on this platform` };
  return cached;
}

/** One line for `wsp init` and `wsp aim status`. */
export function sandboxLine(support: SandboxSupport): string {
  return support.available
    ? `Sandbox: ${support.engine ?? "available"} (tools run with only their worktree writable)`
    : `Sandbox: unavailable: ${support.reason ?? "unknown reason"} (mode auto runs tools bare, required refuses)`;
}
