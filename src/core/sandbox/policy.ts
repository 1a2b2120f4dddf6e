/**
 * What a sandboxed tool may see and touch, and the bubblewrap command line that enforces it. Pure:
 * src/node/process/sandbox measures the machine and fills in a SandboxLayout; this file only turns
 * it into argv, so every rule here is unit-tested without bwrap.
 *
 * The facts behind the order of the options are in shared/docs/sandbox.md: bubblewrap applies mount
 * options in argument order, keeps every capability for a root caller unless a user namespace takes
 * them, and leaves no survivor only with both --unshare-pid and --die-with-parent.
 */

/** `required` refuses to run without a sandbox; `auto` sandboxes where it can and warns where not. */
export type SandboxMode = "required" | "auto" | "off";
export const sandboxModes: readonly SandboxMode[] = ["required", "auto", "off"];

/** `host` keeps the host's network (agents need their model endpoint); `none` leaves only a private loopback. */
export type NetworkMode = "host" | "none";
export const networkModes: readonly NetworkMode[] = ["host", "none"];

export interface SandboxLayout {
  /** Directories hidden behind an empty private tmpfs: /tmp and the user's home. */
  privateDirs: string[];
  /** Paths under a private dir that the tool still needs to read (the repository, wsp itself, PATH folders). */
  readOnly: string[];
  /** The only writable places: the worktree, and the tool's own state folder when it has one. */
  writable: string[];
  /** Paths inside a writable place that stay read-only: the worktree's `.git` file. */
  readOnlyInsideWritable: string[];
  /** Files that look like secrets, replaced by an unreadable empty file. */
  masked: string[];
  /** Folders of the user's home the tool keeps (agent logins), bound writable at the same place. */
  homeBinds: string[];
  network: NetworkMode;
  /** The caller is root: the tool then runs as an unprivileged user of its own namespace. */
  callerIsRoot: boolean;
  cwd: string;
  /**
   * The tool's whole environment; nothing else reaches it. It is bwrap's own environment, which bwrap
   * hands on: never `--setenv` arguments, since a key on a command line is readable through /proc.
   */
  env: Record<string, string>;
}

/** The uid and gid a root caller's tools run as inside their namespace; files they write stay the caller's. */
export const SANDBOX_UID = 1000;

/** Whether `child` is `parent` or lies below it (absolute POSIX paths: the sandbox is Linux's). */
export function isInside(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent.endsWith("/") ? parent : `${parent}/`);
}

/** Parents before children, so a later bind of a child is not hidden by its parent's. */
function outermostFirst(paths: readonly string[]): string[] {
  return [...new Set(paths)].sort((a, b) => a.split("/").length - b.split("/").length || a.localeCompare(b));
}

/** bwrap's argv (without "bwrap") running `command args` inside the layout; start it with `layout.env` as its environment. */
export function bwrapArguments(layout: SandboxLayout, command: string, args: readonly string[]): string[] {
  const argv: string[] = ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"];
  for (const dir of outermostFirst(layout.privateDirs)) argv.push("--tmpfs", dir);
  const hidden = (target: string) => layout.privateDirs.some((dir) => isInside(target, dir));
  for (const target of outermostFirst(layout.readOnly.filter(hidden))) argv.push("--ro-bind", target, target);
  for (const target of outermostFirst(layout.homeBinds)) argv.push("--bind", target, target);
  for (const target of outermostFirst(layout.writable)) argv.push("--bind", target, target);
  for (const target of layout.readOnlyInsideWritable) argv.push("--ro-bind", target, target);
  for (const target of layout.masked) argv.push("--ro-bind", "/dev/null", target);
  // A root caller keeps every capability unless a user namespace maps it to an ordinary uid; without
  // that, a tool could remount the read-only base writable. Non-root callers get a namespace anyway.
  argv.push("--unshare-user");
  if (layout.callerIsRoot) argv.push("--uid", String(SANDBOX_UID), "--gid", String(SANDBOX_UID));
  argv.push("--unshare-pid", "--die-with-parent", "--new-session", "--unshare-ipc", "--unshare-uts");
  if (layout.network === "none") argv.push("--unshare-net");
  argv.push("--chdir", layout.cwd, "--", command, ...args);
  return argv;
}

/** Which variables of the caller's environment reach a tool: exact names and name prefixes. */
export interface EnvAllowList {
  names: readonly string[];
  prefixes: readonly string[];
}

/**
 * What every sandboxed tool gets: a path, a locale, a terminal type, proxy and certificate settings
 * (a corporate proxy or CA must keep working), and wsp's own variables. No keys, no tokens.
 */
export const baseEnvAllowList: EnvAllowList = {
  names: [
    "PATH",
    "HOME",
    "USER",
    "LOGNAME",
    "SHELL",
    "LANG",
    "LANGUAGE",
    "TERM",
    "TZ",
    "TMPDIR",
    "CI",
    "NO_COLOR",
    "FORCE_COLOR",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "NO_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "no_proxy",
    "all_proxy",
    "NODE_EXTRA_CA_CERTS",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "REQUESTS_CA_BUNDLE",
    "XDG_CONFIG_HOME",
    "XDG_DATA_HOME",
    "XDG_STATE_HOME",
    "XDG_CACHE_HOME",
  ],
  prefixes: ["LC_", "WSP_", "PIPELINE_"],
};

/**
 * Turns a list of names from a profile or config/ into an allow-list: `NAME` allows that variable,
 * `PREFIX*` every variable starting with PREFIX.
 */
export function allowListOf(entries: readonly string[]): EnvAllowList {
  return {
    names: entries.filter((entry) => !entry.endsWith("*")),
    prefixes: entries.filter((entry) => entry.endsWith("*")).map((entry) => entry.slice(0, -1)),
  };
}

export function mergeAllowLists(...lists: readonly EnvAllowList[]): EnvAllowList {
  return {
    names: [...new Set(lists.flatMap((list) => list.names))],
    prefixes: [...new Set(lists.flatMap((list) => list.prefixes))],
  };
}

/** The variables of `env` the allow-list names; everything else stays outside. */
export function allowedEnvironment(
  env: Readonly<Record<string, string | undefined>>,
  allow: EnvAllowList,
): Record<string, string> {
  const names = new Set(allow.names);
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (names.has(name) || allow.prefixes.some((prefix) => name.startsWith(prefix))) kept[name] = value;
  }
  return kept;
}

/**
 * File names in a base checkout that are never shown to a tool: environment files, private keys and
 * certificates. Matched against a file's base name.
 */
export function looksLikeSecret(baseName: string): boolean {
  return (
    (/^\.env(\..+)?$/.test(baseName) ||
      /^id_[a-z0-9]+$/i.test(baseName) ||
      /\.(pem|key|p12|pfx|keystore|jks)$/i.test(baseName) ||
      baseName === ".netrc" ||
      baseName === ".npmrc" ||
      baseName === ".pypirc") &&
    !/\.example$|\.sample$|\.template$/i.test(baseName)
  );
}
