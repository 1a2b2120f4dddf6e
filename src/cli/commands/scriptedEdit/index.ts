/**
 * `wsp scripted-edit` (hidden): the deterministic editor. Applies the bundle's `scripted_edits.edit`
 * (mode edit) or `scripted_edits.fix[n-1]` (mode fix, attempt n) to the current directory.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { UserError, messageOf } from "../../../core/errors";
import { type Bundle, type ScriptedEdit } from "../../../core/bundle/types";
import { type CommandIO } from "../../io";

export interface ScriptedEditOptions {
  bundle: string;
  wsId: string;
  mode: string;
  attempt?: string;
}

function findBundle(file: string, wsId: string): Bundle {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new UserError(`cannot read bundle ${file}: ${messageOf(error)}`);
  }
  const candidates = (Array.isArray(parsed) ? parsed : [parsed]) as Bundle[];
  const bundle = candidates.find((candidate) => candidate?.id === wsId);
  if (!bundle) throw new UserError(`${file}: no workstream '${wsId}'`);
  return bundle;
}

/** Applies one edit inside `root`; a path escaping it or a `find` that is not there is an error. */
export function applyEdit(root: string, edit: ScriptedEdit): string {
  const target = path.resolve(root, edit.path);
  if (path.relative(root, target).startsWith(".."))
    throw new UserError(`edit path escapes the worktree: ${edit.path}`);
  if (edit.delete) {
    rmSync(target, { force: true });
    return `deleted ${edit.path}`;
  }
  mkdirSync(path.dirname(target), { recursive: true });
  if (edit.write !== undefined) {
    writeFileSync(target, edit.write);
    return `wrote ${edit.path}`;
  }
  if (edit.append !== undefined) {
    writeFileSync(target, (existsSync(target) ? readFileSync(target, "utf8") : "") + edit.append);
    return `appended to ${edit.path}`;
  }
  if (edit.find !== undefined) {
    if (!existsSync(target)) throw new UserError(`${edit.path}: file not found for find/replace`);
    const text = readFileSync(target, "utf8");
    const at = text.indexOf(edit.find);
    if (at < 0)
      throw new UserError(
        `${edit.path}: text to replace not found: ${JSON.stringify(edit.find.slice(0, 80))}`,
      );
    writeFileSync(target, text.slice(0, at) + (edit.replace ?? "") + text.slice(at + edit.find.length));
    return `replaced in ${edit.path}`;
  }
  throw new UserError(`${edit.path}: an edit needs one of write, append, find/replace or delete`);
}

/** Exit code 0 when every edit applied, 1 when one could not be. */
export async function scriptedEdit(options: ScriptedEditOptions, io: CommandIO): Promise<number> {
  await Promise.resolve();
  const bundle = findBundle(path.resolve(io.cwd, options.bundle), options.wsId);
  const attempt = Number(options.attempt ?? "1");
  let edits: ScriptedEdit[] | undefined;
  if (options.mode === "edit") edits = bundle.scripted_edits?.edit ?? [];
  else if (options.mode === "fix") edits = bundle.scripted_edits?.fix?.[attempt - 1];
  else throw new UserError(`--mode must be edit or fix, got '${options.mode}'`);
  if (edits === undefined) {
    io.err(`scripted-edit: ${options.wsId} has no scripted fix number ${attempt}\n`);
    return 1;
  }
  try {
    for (const edit of edits) io.out(`${applyEdit(io.cwd, edit)}\n`);
  } catch (error) {
    io.err(`scripted-edit: ${messageOf(error)}\n`);
    return 1;
  }
  return 0;
}
