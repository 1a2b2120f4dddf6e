/**
 * Makes a fresh worktree ready to work before its first tool: the base checkout's dependency folders
 * shared copy-on-write (an overlay mounted inside each sandboxed tool, or, where there is none, a copy
 * that is safe to write), the ignored files the config names copied in, and ports reserved for its
 * tools. What was done, and how, goes into the run's events.
 */
import { copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import {
  AUTO_SHARED,
  copyableFiles,
  portVariables,
  type WorktreeSettings,
} from "../../core/worktree/settings";
import { ignoredFilesMatching, ignoredPaths } from "../git";
import { sharedStateDir } from "../paths";
import { execCapture } from "../process/execCapture";
import { mountablePath, type OverlayMount } from "../process/sandbox/overlay";
import { releasePorts, reservePorts } from "./ports";

export interface SharedFolder {
  folder: string;
  /** overlay: a copy-on-write view in each sandboxed tool; copy: a private copy (reflinked where the disk can). */
  method: "overlay" | "copy" | "skipped";
  reason?: string;
}

export interface WorktreeEnvironment {
  overlays: OverlayMount[];
  shared: SharedFolder[];
  copied: string[];
  ports: number[];
  /** What every tool of the workstream gets on top of the run's environment (WSP_PORT, …). */
  env: Record<string, string>;
  durationMs: number;
  /** Gives the ports back; the worktree's shared state goes with `removeSharedState`. */
  release(): void;
}

export function removeSharedState(worktreesDir: string, wsId: string): void {
  rmSync(sharedStateDir(worktreesDir, wsId), { recursive: true, force: true });
}

function isRealDirectory(file: string): boolean {
  return lstatSync(file, { throwIfNoEntry: false })?.isDirectory() === true;
}

/** The folder in the worktree, refusing any link on the way: a tool could have pointed it anywhere. */
function targetIn(worktree: string, folder: string): string | undefined {
  let current = worktree;
  for (const part of folder.split("/")) {
    current = path.join(current, part);
    const info = lstatSync(current, { throwIfNoEntry: false });
    if (info?.isSymbolicLink()) return undefined;
    if (info && !info.isDirectory()) return undefined;
  }
  return current;
}

async function shareFolder(
  input: EnvironmentInput,
  folder: string,
  overlays: OverlayMount[],
): Promise<SharedFolder> {
  const lower = path.join(input.repoRoot, folder);
  const target = targetIn(input.worktree, folder);
  if (target === undefined)
    return { folder, method: "skipped", reason: "a link or file stands in its place" };
  if (existsSync(target) && readdirSync(target).length > 0)
    return { folder, method: "skipped", reason: "the worktree already has it" };
  const state = path.join(sharedStateDir(input.worktreesDir, input.wsId), folder.replaceAll("/", "__"));
  const upper = path.join(state, "upper");
  const work = path.join(state, "work");
  if (input.overlay && [lower, upper, work, target].every(mountablePath)) {
    rmSync(state, { recursive: true, force: true });
    for (const dir of [upper, work, target]) mkdirSync(dir, { recursive: true });
    overlays.push({ lower, upper, work, target });
    return { folder, method: "overlay" };
  }
  mkdirSync(path.dirname(target), { recursive: true });
  rmSync(target, { recursive: true, force: true });
  const copy = await execCapture("cp", ["-a", "--reflink=auto", lower, target], { cwd: input.worktree });
  if (copy.exitCode !== 0) return { folder, method: "skipped", reason: `copy failed: ${copy.stderr.trim()}` };
  return { folder, method: "copy", ...(input.overlay ? {} : { reason: input.overlayReason }) };
}

export interface EnvironmentInput {
  repoRoot: string;
  worktreesDir: string;
  worktree: string;
  wsId: string;
  settings: WorktreeSettings;
  /** Whether every tool runs sandboxed with overlays possible; otherwise shared folders are copied. */
  overlay: boolean;
  /** Why not, for the event. */
  overlayReason?: string;
}

/**
 * Ignored files of the base matching the copy list. A plain name that is not there needs no git at
 * all, which is the common case (no .env.example): this runs for every workstream.
 */
async function filesToCopy(repoRoot: string, patterns: readonly string[]): Promise<string[]> {
  const wanted = patterns.filter(
    (pattern) => /[*?[]/.test(pattern) || existsSync(path.join(repoRoot, pattern)),
  );
  return wanted.length === 0 ? [] : ignoredFilesMatching(repoRoot, wanted);
}

export async function prepareWorktreeEnvironment(input: EnvironmentInput): Promise<WorktreeEnvironment> {
  const started = Date.now();
  const { settings } = input;
  const candidates = [
    ...new Set([...(settings.share === "auto" ? AUTO_SHARED : settings.share), ...settings.caches]),
  ];
  const present = candidates.filter((folder) => isRealDirectory(path.join(input.repoRoot, folder)));
  const ignored = new Set(await ignoredPaths(input.repoRoot, present));
  const overlays: OverlayMount[] = [];
  const shared: SharedFolder[] = [];
  for (const folder of present) {
    if (!ignored.has(folder)) {
      if (settings.share !== "auto")
        shared.push({ folder, method: "skipped", reason: "git does not ignore it" });
      continue;
    }
    shared.push(await shareFolder(input, folder, overlays));
  }
  const copied: string[] = [];
  for (const file of copyableFiles(settings.copy, await filesToCopy(input.repoRoot, settings.copy))) {
    const target = targetIn(input.worktree, path.dirname(file));
    if (target === undefined || existsSync(path.join(target, path.basename(file)))) continue;
    // A named pipe or a device (or a link to one) would be read for ever: only files are copied.
    const source = path.join(input.repoRoot, file);
    if (statSync(source, { throwIfNoEntry: false })?.isFile() !== true) continue;
    mkdirSync(target, { recursive: true });
    copyFileSync(source, path.join(target, path.basename(file)));
    copied.push(file);
  }
  const ports = await reservePorts(settings.ports);
  return {
    overlays,
    shared,
    copied,
    ports,
    env: portVariables(ports),
    durationMs: Date.now() - started,
    release: () => releasePorts(ports),
  };
}
