/**
 * The check engine as a library: `runCheck({ files, cwd })` runs the plugin pipeline over files and
 * returns one result per file plus the state of every tool. The CLI (`wsp check`) prints it; the
 * orchestrator's STATIC step can call it directly and feed `issues` to the FIX prompt.
 */
import { createHash } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { UserError, messageOf } from "../../core/errors";
import {
  cacheEntry,
  cachedResult,
  parseCache,
  toolchainDescription,
  type CheckCache,
} from "../../core/check/cache";
import { pluginMatcher } from "../../core/check/match";
import { orderPlugins } from "../../core/check/order";
import { BUILTIN_PLUGINS } from "../../core/check/plugins";
import { buildFileResult, countBySeverity, extractVersion } from "../../core/check/result";
import { type CheckPlugin, type FileResult, type Issue, type ToolPlugin } from "../../core/check/types";
import { type Logger, silentLogger } from "../../core/logger";
import { writeFileAtomic } from "../files/atomicFile";
import { readConfigTextIfExists } from "../files/configText";
import { isMissing, notRegular, readRegularFile } from "../files/regularFile";
import { executableIdentity, locateExecutable, runCommandSpec } from "../process/toolProcess";

export interface CheckOptions {
  /** Files to check, relative to `cwd` or absolute. */
  files: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Content-hash cache file; no caching without it. */
  cachePath?: string;
  /** Run the formatters' fix modes first. Without it no user file is ever modified. */
  fix?: boolean;
  plugins?: readonly CheckPlugin[];
  logger?: Logger;
  now?: () => Date;
  /** Files per tool invocation, to stay under the command-line limit. */
  batchSize?: number;
}

/** What became of a plugin in this run. */
export interface PluginState {
  id: string;
  /** builtin: in process; available: tool found; missing: tool not installed; not-applicable: no config. */
  state: "builtin" | "available" | "missing" | "not-applicable";
  /** The tool's version, once it has been run (tools of cached files are never started). */
  version?: string;
  /** The executable found, identified by path, size and mtime: part of the cache key. */
  identity?: string;
  files: number;
}

export interface CheckReport {
  files: FileResult[];
  plugins: PluginState[];
  errors: number;
  warnings: number;
  /** True when any file has errors: the gate is closed. */
  failed: boolean;
}

interface FileWork {
  path: string;
  absolute: string;
  plugins: CheckPlugin[];
  hash: string;
  issues: Issue[];
  ran: string[];
  skipped: string[];
}

const sha256 = (text: string | Buffer): string => createHash("sha256").update(text).digest("hex");

/** Runs the check pipeline over `files`; never modifies them unless `fix` is set. */
export async function runCheck(options: CheckOptions): Promise<CheckReport> {
  const { cwd } = options;
  const env = options.env ?? process.env;
  const logger = options.logger ?? silentLogger;
  const now = options.now ?? (() => new Date());
  const plugins = orderPlugins(options.plugins ?? BUILTIN_PLUGINS);
  const matchers = new Map(plugins.map((plugin) => [plugin.id, pluginMatcher(plugin)]));

  const work: FileWork[] = [];
  for (const file of unique(options.files)) {
    const absolute = path.resolve(cwd, file);
    if (!existsSync(absolute)) throw new UserError(`check: no such file: ${file}`);
    const info = statSync(absolute);
    if (info.isDirectory()) throw new UserError(`check: ${file} is a directory; name the files to check`);
    // Reading a named pipe or a device would wait forever, or for ever more bytes.
    const kind = notRegular(info);
    if (kind !== undefined) throw new UserError(`check: ${file} is ${kind}, not a file that can be checked`);
    const relative = toPosix(path.relative(cwd, absolute));
    work.push({
      path: relative,
      absolute,
      plugins: plugins.filter((plugin) => matchers.get(plugin.id)!(relative)),
      hash: "",
      issues: [],
      ran: [],
      skipped: [],
    });
  }

  const stateById = new Map(locatePlugins(plugins, work, cwd, env).map((state) => [state.id, state]));
  const configHashes = hashConfigFiles(plugins, cwd);
  const applicable = (file: FileWork): CheckPlugin[] =>
    file.plugins.filter((plugin) => stateById.get(plugin.id)?.state !== "not-applicable");

  if (options.fix) {
    await confirmPlugins(plugins, stateById, work, cwd, env);
    await runFixes(plugins, work, stateById, cwd, env, logger);
  }

  const cache = options.cachePath ? parseCache(readCache(options.cachePath, logger)) : undefined;
  const results = new Map<string, FileResult>();
  const toolchains = new Map<string, string>();
  for (const file of work) {
    file.hash = sha256(readCheckedFile(file));
    const toolchain = sha256(
      toolchainDescription(
        applicable(file).map((plugin) => {
          const state = stateById.get(plugin.id)!;
          return {
            id: plugin.id,
            state: `${state.state}:${state.identity ?? ""}`,
            configHashes: configHashes.get(plugin.id) ?? [],
          };
        }),
      ),
    );
    toolchains.set(file.absolute, toolchain);
    const hit = cache ? cachedResult(cache, file.absolute, file.hash, toolchain) : undefined;
    if (hit) results.set(file.absolute, { path: file.path, ...hit, cached: true });
  }
  const pending = work.filter((file) => !results.has(file.absolute));
  if (work.length > pending.length)
    logger.info(`check: ${work.length - pending.length} unchanged file(s) taken from the cache`);
  await confirmPlugins(plugins, stateById, pending, cwd, env);

  for (const plugin of plugins) {
    const state = stateById.get(plugin.id)!;
    const targets = pending.filter((file) => file.plugins.includes(plugin));
    if (targets.length === 0 || state.state === "not-applicable") continue;
    if (state.state === "missing") {
      for (const file of targets) file.skipped.push(plugin.id);
      continue;
    }
    for (const file of targets) file.ran.push(plugin.id);
    if (plugin.kind === "in-process") {
      for (const file of targets)
        file.issues.push(...plugin.check(file.path, readCheckedFile(file).toString("utf8")));
    } else {
      for (const batch of chunk(targets, options.batchSize ?? 100)) {
        await runToolPlugin(plugin, batch, cwd, env);
      }
    }
  }

  const checkedAt = now().toISOString();
  for (const file of pending) {
    const result = buildFileResult(file.path, sortIssues(file.issues), file.ran, file.skipped);
    results.set(file.absolute, result);
    // Only complete verdicts are cached: a skipped tool must run once it works.
    if (cache && result.status !== "SKIPPED" && result.skipped.length === 0) {
      cache.entries[file.absolute] = cacheEntry(file.hash, toolchains.get(file.absolute)!, checkedAt, result);
    }
  }
  if (cache && options.cachePath) saveCache(options.cachePath, cache);

  const files = work.map((file) => results.get(file.absolute)!);
  const totals = countBySeverity(files.flatMap((file) => file.issues));
  return {
    files,
    plugins: [...stateById.values()],
    ...totals,
    failed: files.some((file) => file.errors > 0),
  };
}

/**
 * Finds each tool plugin's executable without starting anything, so a fully cached run spawns no
 * process at all. `confirmPlugins` later runs the detect command of the tools that will be used.
 */
function locatePlugins(
  plugins: readonly CheckPlugin[],
  work: readonly FileWork[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): PluginState[] {
  return plugins.map((plugin): PluginState => {
    const files = work.filter((file) => file.plugins.includes(plugin)).length;
    if (plugin.kind === "in-process") return { id: plugin.id, state: "builtin", files };
    if (files === 0) return { id: plugin.id, state: "not-applicable", files };
    if (plugin.requiresConfig && !findConfig(plugin, cwd))
      return { id: plugin.id, state: "not-applicable", files };
    const executable = locateExecutable(plugin.detect.command, cwd, env);
    if (!executable) return { id: plugin.id, state: "missing", files };
    return { id: plugin.id, state: "available", identity: executableIdentity(executable), files };
  });
}

/** Runs the detect command of each found tool some of `files` need; a failing one becomes missing. */
async function confirmPlugins(
  plugins: readonly CheckPlugin[],
  states: Map<string, PluginState>,
  files: readonly FileWork[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  await Promise.all(
    plugins.map(async (plugin) => {
      const state = states.get(plugin.id)!;
      if (plugin.kind !== "tool" || state.state !== "available" || state.version !== undefined) return;
      if (!files.some((file) => file.plugins.includes(plugin))) return;
      const probe = await runCommandSpec(plugin.detect, cwd, env, 30_000);
      if (probe.notFound || probe.exitCode !== 0)
        states.set(plugin.id, { id: plugin.id, state: "missing", files: state.files });
      else states.set(plugin.id, { ...state, version: extractVersion(probe.stdout || probe.stderr) });
    }),
  );
}

async function runFixes(
  plugins: readonly CheckPlugin[],
  work: readonly FileWork[],
  states: ReadonlyMap<string, PluginState>,
  cwd: string,
  env: NodeJS.ProcessEnv,
  logger: Logger,
): Promise<void> {
  for (const plugin of plugins) {
    if (plugin.kind !== "tool" || !plugin.fix || states.get(plugin.id)?.state !== "available") continue;
    const targets = work.filter((file) => file.plugins.includes(plugin)).map((file) => file.path);
    if (targets.length === 0) continue;
    for (const spec of plugin.fix(targets, { configFile: findConfig(plugin, cwd) })) {
      const run = await runCommandSpec(spec, cwd, env);
      logger.info(`check --fix: ${spec.command} ${spec.args.slice(0, 2).join(" ")} exited ${run.exitCode}`);
    }
  }
}

async function runToolPlugin(
  plugin: ToolPlugin,
  batch: FileWork[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const byAbsolute = new Map(batch.map((file) => [file.absolute, file]));
  const spec = plugin.command(
    batch.map((file) => file.path),
    { configFile: findConfig(plugin, cwd) },
  );
  const output = await runCommandSpec(spec, cwd, env);
  let issues: Issue[] = [];
  let failure: string | undefined;
  if (output.timedOut) failure = `${plugin.id} timed out`;
  else if (!plugin.successCodes.includes(output.exitCode)) failure = `${plugin.id} exited ${output.exitCode}`;
  else {
    try {
      issues = plugin.parse(output);
    } catch (error) {
      failure = `${plugin.id} output could not be parsed: ${messageOf(error)}`;
    }
    // A tool that reports failure but names no finding has failed in a way we cannot see: never a pass.
    if (!failure && output.exitCode !== 0 && issues.length === 0)
      failure = `${plugin.id} exited ${output.exitCode} without findings`;
  }
  if (failure) {
    const detail = firstLine(output.stderr || output.stdout);
    for (const file of batch)
      file.issues.push(toolFailure(plugin.id, file.path, detail ? `${failure}: ${detail}` : failure));
    return;
  }
  const found = new Set<FileWork>();
  for (const issue of issues) {
    // Tools print paths relative to cwd or absolute; issues in files not asked about (tsc -p) are dropped.
    const file = byAbsolute.get(path.resolve(cwd, issue.path));
    if (!file) continue;
    file.issues.push({ ...issue, path: file.path });
    found.add(file);
  }
  if (plugin.stoppedEarly?.(issues)) {
    for (const file of batch) {
      if (found.has(file)) continue;
      file.ran.splice(file.ran.indexOf(plugin.id), 1);
      file.skipped.push(plugin.id);
    }
  }
}

function toolFailure(tool: string, file: string, message: string): Issue {
  return {
    tool,
    path: file,
    line: 0,
    column: 0,
    code: "tool-failure",
    category: "other",
    severity: "error",
    message,
  };
}

function findConfig(plugin: ToolPlugin, cwd: string): string | undefined {
  return plugin.configFiles?.find((name) => existsSync(path.join(cwd, name)));
}

function hashConfigFiles(plugins: readonly CheckPlugin[], cwd: string): Map<string, string[]> {
  const hashes = new Map<string, string[]>();
  for (const plugin of plugins) {
    if (plugin.kind !== "tool") continue;
    const list: string[] = [];
    for (const name of plugin.configFiles ?? []) {
      const content = readConfigTextIfExists(path.join(cwd, name));
      if (content !== undefined) list.push(`${name}:${sha256(content)}`);
    }
    hashes.set(plugin.id, list);
  }
  return hashes;
}

/** Far above any file a linter is meant for; a larger one is generated or hostile. */
export const MAX_CHECKED_FILE_BYTES = 64 * 1024 * 1024;

/**
 * A checked file's bytes, read whole and synchronously into one reused buffer (the view is valid
 * until the next read): a thousand files cost a thousand reads, not four thread-pool round trips
 * each. Only a regular file is read, so one replaced by a named pipe since it was listed cannot hang
 * the check.
 */
function readCheckedFile(file: FileWork): Buffer {
  const read = readRegularFile(file.absolute, MAX_CHECKED_FILE_BYTES);
  if (Buffer.isBuffer(read)) return read;
  switch (read.why) {
    case "cannot-open":
    case "cannot-read":
      throw new UserError(`check: ${file.path}: cannot be read (${read.code})`);
    case "not-regular":
      throw new UserError(`check: ${file.path} is ${read.kind}, not a file that can be checked`);
    case "too-large":
      throw new UserError(
        `check: ${file.path} is larger than ${MAX_CHECKED_FILE_BYTES / (1024 * 1024)} MiB; not checked`,
      );
  }
}

/** The cache file's text; an unreadable cache is only a slower check, so it is treated as empty. */
function readCache(cachePath: string, logger: Logger): string | undefined {
  const read = readRegularFile(cachePath, MAX_CHECKED_FILE_BYTES);
  if (Buffer.isBuffer(read)) return read.toString("utf8");
  if (isMissing(read)) return undefined;
  logger.warn(`check: the cache ${cachePath} cannot be used (${read.why}); checking every file`);
  return undefined;
}

function saveCache(cachePath: string, cache: CheckCache): void {
  writeFileAtomic(cachePath, `${JSON.stringify(cache)}\n`, { durable: false });
}

function sortIssues(issues: Issue[]): Issue[] {
  return [...issues].sort((a, b) => a.line - b.line || a.column - b.column || a.tool.localeCompare(b.tool));
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let index = 0; index < items.length; index += size) chunks.push(items.slice(index, index + size));
  return chunks;
}

function toPosix(file: string): string {
  return file.split(path.sep).join("/");
}

function firstLine(text: string): string {
  return text.trim().split(/\r?\n/)[0]?.trim() ?? "";
}
