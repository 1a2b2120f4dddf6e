import { existsSync } from "node:fs";
import { link, readdir, rm, writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { validateDocuments, type Diagnostic } from "../../core/bundle";
import { type Bundle } from "../../core/bundle/types";
import { UserError } from "../../core/errors";
import {
  draftFromOpenSpec,
  draftFromSpec,
  type DraftOptions,
  type OpenSpecChange,
} from "../../core/plan/draft";
import { readConfigText, readConfigTextIfExists } from "../files/configText";
import { loadWorkspaceBundles } from "../bundles";
import { resolveWorkstreamDir } from "../paths";

export interface PlanRequest {
  cwd: string;
  env: NodeJS.ProcessEnv;
  openspec?: string;
  spec?: string;
  draft: Omit<DraftOptions, "exists">;
  dryRun?: boolean;
}

export interface PlanOutcome {
  bundle: Bundle;
  file: string;
  /** written: created now; exists: a bundle file was already there and was kept; invalid: not written. */
  outcome: "written" | "exists" | "invalid" | "dry-run";
  diagnostics: Diagnostic[];
}

/** Drafts a bundle, validates it with the existing ones, and writes it without ever overwriting a file. */
export async function plan(request: PlanRequest): Promise<PlanOutcome> {
  const { cwd } = request;
  const exists = (relative: string) => existsSync(path.resolve(cwd, relative));
  const options: DraftOptions = { ...request.draft, exists };
  let result;
  let label: string;
  if (request.openspec) {
    label = request.openspec;
    result = draftFromOpenSpec(await readOpenSpecChange(path.resolve(cwd, request.openspec), cwd), options);
  } else if (request.spec) {
    label = request.spec;
    const text = readConfigTextIfExists(path.resolve(cwd, request.spec));
    if (text === undefined) throw new UserError(`plan: no such spec file: ${request.spec}`);
    result = draftFromSpec(toPosix(path.relative(cwd, path.resolve(cwd, request.spec))), text, options);
  } else {
    throw new UserError("plan: give --openspec <change-dir> or --spec <markdown>");
  }
  if (!result.bundle) throw new UserError(`plan: ${label} ${result.problems.join("; ")}`);
  const bundle = result.bundle;

  const dir = resolveWorkstreamDir(cwd, request.env);
  const file = path.join(dir, `${bundle.id}.json`);
  const relativeFile = toPosix(path.relative(cwd, file));
  if (existsSync(file)) return { bundle, file: relativeFile, outcome: "exists", diagnostics: [] };

  const text = `${JSON.stringify(bundle, null, 2)}\n`;
  const diagnostics = await validateWithWorkspace(dir, cwd, file, text);
  if (request.dryRun) return { bundle, file: relativeFile, outcome: "dry-run", diagnostics };
  if (diagnostics.some((diagnostic) => diagnostic.severity === "error")) {
    return { bundle, file: relativeFile, outcome: "invalid", diagnostics };
  }
  const written = await writeNew(file, text);
  return { bundle, file: relativeFile, outcome: written ? "written" : "exists", diagnostics };
}

async function readOpenSpecChange(dir: string, cwd: string): Promise<OpenSpecChange> {
  if (!existsSync(dir))
    throw new UserError(`plan: no such OpenSpec change folder: ${path.relative(cwd, dir) || dir}`);
  const proposal = readConfigTextIfExists(path.join(dir, "proposal.md"));
  const tasks = readConfigTextIfExists(path.join(dir, "tasks.md"));
  if (proposal === undefined && tasks === undefined) {
    throw new UserError(
      `plan: ${path.relative(cwd, dir)} has neither proposal.md nor tasks.md; is it an OpenSpec change?`,
    );
  }
  const documents: Record<string, string> = {};
  for (const relative of await markdownFiles(dir, "")) {
    if (relative === "proposal.md" || relative === "tasks.md") continue;
    documents[relative] = readConfigText(path.join(dir, relative));
  }
  return {
    changeId: path.basename(dir),
    source: toPosix(path.relative(cwd, dir)),
    proposal,
    tasks,
    documents,
  };
}

async function markdownFiles(root: string, relative: string): Promise<string[]> {
  const entries = await readdir(path.join(root, relative), { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const child = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...(await markdownFiles(root, child)));
    else if (entry.name.endsWith(".md")) files.push(child);
  }
  return files;
}

/** Validates the draft together with the bundles already in the directory; returns the draft's diagnostics. */
async function validateWithWorkspace(
  dir: string,
  cwd: string,
  file: string,
  text: string,
): Promise<Diagnostic[]> {
  const workspace = existsSync(dir) ? await loadWorkspaceBundles(dir, { root: cwd }) : undefined;
  const documents = [...(workspace?.documents ?? []), { uri: file, text }];
  const result = validateDocuments(documents, {
    trackedFiles: workspace?.trackedFiles ?? [],
    ...(workspace ? { toolProfiles: workspace.toolProfiles } : {}),
  });
  return result.diagnostics.filter((diagnostic) => diagnostic.file === file);
}

/**
 * Writes a new file atomically and never over an existing one: the text goes to a temp file that
 * is then hard-linked into place (which fails if the name is taken) and removed.
 */
async function writeNew(file: string, text: string): Promise<boolean> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temp, text);
  try {
    await link(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  } finally {
    await rm(temp, { force: true });
  }
}

function toPosix(file: string): string {
  return file.split(path.sep).join("/");
}
