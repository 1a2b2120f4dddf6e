/**
 * Wraps one tool start in bubblewrap: measures the machine (real paths, the home, PATH folders,
 * which secret files still exist) and hands a SandboxLayout to the pure policy in src/core/sandbox.
 * The environment goes to bwrap as its own environment, never as `--setenv` arguments: a key on a
 * command line is readable by every user of the machine through /proc.
 */
import { existsSync, lstatSync, realpathSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { UserError } from "../../../core/errors";
import { type OverlayMount, withOverlays } from "./overlay";
import {
  allowedEnvironment,
  bwrapArguments,
  isInside,
  type EnvAllowList,
  type NetworkMode,
  type SandboxLayout,
} from "../../../core/sandbox/policy";

export interface SandboxRequest {
  /** The worktree: the only writable project path. */
  worktree: string;
  /** The main repository: readable, never writable. */
  repoRoot: string;
  /** Further places this tool alone may write, outside the worktree (an agent's state folder). */
  extraWritable?: readonly string[];
  /** Paths the tool must read even where they lie under a hidden folder. */
  extraReadable?: readonly string[];
  /** Secret-looking files of the base checkout, hidden from the tool. */
  secrets: readonly string[];
  /** Folders of the home the tool keeps, relative to the home (an agent's login). */
  homeFolders: readonly string[];
  network: NetworkMode;
  envAllow: EnvAllowList;
  /** Copy-on-write views of the base checkout's shared folders, mounted inside the worktree. */
  overlays?: readonly OverlayMount[];
}

export interface Launch {
  command: string;
  args: string[];
  env: Record<string, string>;
}

/** Sockets that would hand a tool the host (a container daemon runs as root). */
const hostSockets = [
  "/run/docker.sock",
  "/var/run/docker.sock",
  "/run/containerd/containerd.sock",
  "/run/podman/podman.sock",
  "/run/dbus/system_bus_socket",
];

function real(file: string): string | undefined {
  try {
    return realpathSync(file);
  } catch {
    return undefined;
  }
}

function isRegularFile(file: string): boolean {
  try {
    return lstatSync(file).isFile();
  } catch {
    return false;
  }
}

/** The installed wsp (two levels above dist/cli.js or src/node/process/sandbox at run time). */
function wspInstallRoot(): string {
  let dir = __dirname;
  while (dir !== path.dirname(dir) && !existsSync(path.join(dir, "package.json"))) dir = path.dirname(dir);
  return dir;
}

/**
 * The worktree's `.git` must be the file `git worktree add` wrote. A directory or a link there would
 * let the tool point the host's next git command at a config it wrote.
 */
function worktreeGitFile(worktree: string): string {
  const file = path.join(worktree, ".git");
  if (!isRegularFile(file))
    throw new UserError(`tamper: ${file} is no longer the file git wrote; refusing to start a tool there`);
  return file;
}

export function sandboxLayout(
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
  request: SandboxRequest,
): SandboxLayout {
  const home = real(env.HOME && path.isAbsolute(env.HOME) ? env.HOME : homedir());
  const userHome = real(homedir());
  const privateDirs = ["/tmp", "/var/tmp", ...(userHome && userHome !== "/" ? [userHome] : [])].filter(
    existsSync,
  );
  const pathFolders = (env.PATH ?? "").split(path.delimiter).filter((dir) => path.isAbsolute(dir));
  const readable = [
    request.repoRoot,
    wspInstallRoot(),
    path.dirname(path.dirname(process.execPath)),
    ...pathFolders,
    ...(request.extraReadable ?? []),
  ];
  const worktree = real(request.worktree) ?? request.worktree;
  const writable = [worktree, ...(request.extraWritable ?? []).map((dir) => real(dir) ?? dir)];
  const homeBinds =
    home === undefined
      ? []
      : request.homeFolders.map((folder) => path.join(home, folder)).filter((dir) => existsSync(dir));
  const masked = [...request.secrets.map((file) => path.join(request.repoRoot, file)), ...hostSockets].filter(
    (file) => existsSync(file) && !lstatSync(file).isSymbolicLink(),
  );
  return {
    privateDirs,
    readOnly: readable.map(real).filter((dir): dir is string => dir !== undefined),
    writable,
    readOnlyInsideWritable: [worktreeGitFile(worktree)],
    masked,
    homeBinds: homeBinds.map((dir) => real(dir) ?? dir),
    network: request.network,
    callerIsRoot: process.getuid?.() === 0,
    cwd: real(cwd) ?? cwd,
    env: {
      ...allowedEnvironment(env, request.envAllow),
      // A TMPDIR from outside would point at a folder the sandbox made read-only.
      TMPDIR:
        env.TMPDIR !== undefined && request.extraWritable?.some((dir) => isInside(env.TMPDIR!, dir))
          ? env.TMPDIR
          : "/tmp",
    },
  };
}

/** `command args`, run in the sandbox the request describes. */
export function sandboxLaunch(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: Readonly<Record<string, string | undefined>> },
  request: SandboxRequest,
): Launch {
  const layout = sandboxLayout(options.cwd, options.env, request);
  const launch = withOverlays(request.overlays ?? [], "bwrap", bwrapArguments(layout, command, args));
  return { ...launch, env: layout.env };
}
