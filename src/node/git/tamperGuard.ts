/**
 * Defence in depth around every tool a workstream runs, with the sandbox on or off: what a tool must
 * never change is recorded before it starts and compared after it ends. A tool that moved a ref,
 * installed a hook, edited the repository's config, touched the base checkout or re-pointed its
 * worktree's `.git` fails the workstream with a `tamper` reason, before anything is committed.
 */
import { createHash } from "node:crypto";
import { existsSync, lstatSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { errorCode, fingerprintContent, notRegular } from "../files/regularFile";
import { gitRun } from "./run";

export interface GuardSnapshot {
  /** Every ref but other workstreams' branches (wsp commits those while this tool runs). */
  refs: Map<string, string>;
  /** Hooks, config, info/ and alternates of the repository, and this worktree's admin files: path → hash. */
  control: Map<string, string>;
  /** Tracked files of the base checkout that differ from its HEAD: path → status and size/mtime. */
  base: Map<string, string>;
  /** The worktree's `.git` file as git wrote it. */
  gitFile: string;
}

const OTHER_WORKSTREAMS = "refs/heads/workstream/";

/**
 * Far above any hook, config or ref file. A tool may put a named pipe, a device or a link to one in
 * any of their places: those are named, never read, so the guard can neither hang nor fill memory.
 */
const MAX_GUARDED_BYTES = 64 * 1024 * 1024;
/** packed-refs grows with the repository's refs; only a bound against an endless file. */
const MAX_PACKED_REFS_BYTES = 1024 * 1024 * 1024;

function hashFile(file: string): string {
  const content = fingerprintContent(file, MAX_GUARDED_BYTES);
  return typeof content === "string" ? content : createHash("sha1").update(content).digest("hex");
}

/** A small file's trimmed text, or the word fingerprintContent gives for what stands there instead. */
function readTrimmedText(file: string): string {
  const content = fingerprintContent(file, MAX_GUARDED_BYTES);
  return typeof content === "string" ? content : content.toString("utf8").trim();
}

/** Every file below `dir` (relative to `root`), with its hash; links are recorded by their target. */
function hashTree(
  root: string,
  dir: string,
  into: Map<string, string>,
  read: (file: string) => string = hashFile,
): void {
  let names: string[];
  try {
    names = readdirSync(path.join(root, dir));
  } catch {
    return;
  }
  for (const name of names) {
    const relative = path.join(dir, name);
    const full = path.join(root, relative);
    const info = lstatSync(full, { throwIfNoEntry: false });
    if (!info) continue;
    if (info.isSymbolicLink()) into.set(relative, "link");
    else if (info.isDirectory()) hashTree(root, relative, into, read);
    else into.set(relative, read(full));
  }
}

function readGitFile(worktree: string): string {
  const file = path.join(worktree, ".git");
  const info = lstatSync(file, { throwIfNoEntry: false });
  if (!info) return "missing";
  if (!info.isFile()) return info.isSymbolicLink() ? "a symbolic link" : "a directory";
  return readTrimmedText(file);
}

async function git(cwd: string, args: string[]): Promise<string> {
  const run = await gitRun(cwd, ["--no-optional-locks", ...args]);
  if (run.exitCode !== 0) throw new Error(`git ${args.join(" ")}: ${run.stderr.trim()}`);
  return run.stdout;
}

/**
 * Every ref and what it holds, read from the files backend's own files (packed-refs, then the loose
 * refs that override it): a guard runs after every tool, and a git process per check would cost more
 * than the tool start itself. A repository on another backend (reftable) is asked through git.
 */
async function readRefs(repoRoot: string, commonDir: string): Promise<Map<string, string>> {
  const refs = new Map<string, string>();
  if (existsSync(path.join(commonDir, "reftable"))) {
    const listed = await git(repoRoot, ["for-each-ref", "--format=%(refname) %(objectname)"]);
    for (const line of listed.split("\n")) {
      const [name, sha] = line.split(" ");
      if (name && sha !== undefined) refs.set(name, sha);
    }
    return refs;
  }
  const packedContent = fingerprintContent(path.join(commonDir, "packed-refs"), MAX_PACKED_REFS_BYTES);
  // Anything but a regular file or none is recorded as such (its refs are then missing too); git's
  // own rewrites of the file (pack-refs) move refs without changing them, so its bytes are not.
  if (typeof packedContent === "string" && packedContent !== "missing")
    refs.set("(packed-refs)", packedContent);
  const packed = typeof packedContent === "string" ? "" : packedContent.toString("utf8");
  for (const line of packed.split("\n")) {
    const match = /^([0-9a-f]{40,64}) (\S+)$/.exec(line);
    if (match) refs.set(match[2], match[1]);
  }
  const loose = new Map<string, string>();
  hashTree(commonDir, "refs", loose, readTrimmedText);
  for (const [file, value] of loose) refs.set(file.split(path.sep).join("/"), value);
  return refs;
}

/** The admin folder of a worktree, from the `.git` file git wrote (read before any tool ran). */
function adminDir(gitFile: string, worktree: string): string | undefined {
  const match = /^gitdir: (.+)$/.exec(gitFile);
  return match ? path.resolve(worktree, match[1]) : undefined;
}

/**
 * What no tool may change. `expectedGitFile` is the worktree's `.git` as first recorded; leave it
 * out for the first snapshot, taken right after wsp created the worktree. With `previousBase`, the
 * base checkout is not asked again (one git process) and that record is carried over.
 */
export async function captureGuard(
  repoRoot: string,
  worktree: string,
  wsBranch: string,
  expectedGitFile?: string,
  previousBase?: Map<string, string>,
): Promise<GuardSnapshot> {
  const gitFile = readGitFile(worktree);
  const commonDir = path.join(repoRoot, ".git");
  const refList = await readRefs(repoRoot, commonDir);
  const refs = new Map<string, string>();
  for (const [name, value] of refList) {
    if (name.startsWith(OTHER_WORKSTREAMS) && name !== `refs/heads/${wsBranch}`) continue;
    refs.set(name, value);
  }
  refs.set("HEAD", hashFile(path.join(commonDir, "HEAD")));
  const control = new Map<string, string>();
  control.set("config", hashFile(path.join(commonDir, "config")));
  for (const dir of ["hooks", "info"]) hashTree(commonDir, dir, control);
  // Not the rest of objects/info: git's own housekeeping (commit-graph) writes there during a run.
  for (const file of ["alternates", "http-alternates"])
    control.set(path.join("objects", "info", file), hashFile(path.join(commonDir, "objects", "info", file)));
  const admin = adminDir(expectedGitFile ?? gitFile, worktree);
  if (admin) {
    for (const name of ["HEAD", "config.worktree", "commondir", "gitdir"])
      control.set(path.join("worktrees", path.basename(admin), name), hashFile(path.join(admin, name)));
    // The index changes whenever a tool stages a file; only what stands there is watched.
    control.set(path.join("worktrees", path.basename(admin), "index"), fileKind(path.join(admin, "index")));
  }
  let base: Map<string, string>;
  if (previousBase) base = new Map(previousBase);
  else if ([...refList.values(), ...refs.values(), ...control.values()].some(blocksGit))
    // git would wait forever on a named pipe among its own files: the findings name it instead.
    base = new Map([["(not read: a named pipe or device among git's own files)", "unread"]]);
  else base = await readBaseCheckout(repoRoot);
  return { refs, control, base, gitFile };
}

/** What stands at `file`, link followed, in fingerprintContent's words for anything but a file. */
function fileKind(file: string): string {
  let info;
  try {
    info = statSync(file, { throwIfNoEntry: false });
  } catch (error) {
    return `unreadable:${errorCode(error)}`;
  }
  if (info === undefined) return "missing";
  const kind = notRegular(info);
  return kind === undefined ? "a regular file" : `not-regular:${kind}`;
}

/** A fingerprint of something git would block on or never finish reading (fingerprintContent's words). */
function blocksGit(fingerprint: string): boolean {
  return fingerprint.startsWith("not-regular:") || fingerprint.startsWith("too-large:");
}

/**
 * The base checkout's tracked files that differ from its HEAD: path → status and size/mtime. It
 * touches nothing of a workstream's worktree, so a pipeline asks for it while it checks its worktree
 * out, and hands it to the first snapshot (`previousBase`).
 */
export async function readBaseCheckout(repoRoot: string): Promise<Map<string, string>> {
  const status = await git(repoRoot, [
    "status",
    "--porcelain=v1",
    "-z",
    "--untracked-files=no",
    "--ignore-submodules",
  ]);
  const base = new Map<string, string>();
  for (const entry of status.split("\0")) {
    if (entry.length < 4) continue;
    const file = entry.slice(3);
    const info = statSync(path.join(repoRoot, file), { throwIfNoEntry: false });
    base.set(file, `${entry.slice(0, 2)} ${info ? `${info.size}:${info.mtimeMs}` : "deleted"}`);
  }
  return base;
}

function changedKeys(before: Map<string, string>, after: Map<string, string>): string[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter((key) => before.get(key) !== after.get(key)).sort();
}

/** Sentences naming each change a tool made to what it must not touch; empty when there is none. */
export function tamperFindings(before: GuardSnapshot, after: GuardSnapshot): string[] {
  const findings: string[] = [];
  if (after.gitFile !== before.gitFile)
    findings.push(
      `the worktree's .git no longer points where git wrote it (now ${JSON.stringify(after.gitFile.slice(0, 120))})`,
    );
  const refs = changedKeys(before.refs, after.refs);
  if (refs.length > 0) findings.push(`refs changed: ${refs.join(", ")}`);
  const control = changedKeys(before.control, after.control);
  if (control.length > 0)
    findings.push(`repository hooks or config changed: ${control.map((file) => `.git/${file}`).join(", ")}`);
  const base = changedKeys(before.base, after.base);
  if (base.length > 0)
    findings.push(
      `the base checkout changed: ${base.slice(0, 10).join(", ")}${base.length > 10 ? ` and ${base.length - 10} more` : ""}`,
    );
  return findings;
}
