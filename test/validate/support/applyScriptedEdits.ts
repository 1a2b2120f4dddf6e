/**
 * A minimal applier of `scripted_edits`, for proving the example set works. The product's own
 * applier is `wsp scripted-edit` (another area); this one only has to be obviously right.
 */
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type ScriptedEdit } from "../../../src/core/bundle";

export function applyScriptedEdits(root: string, edits: readonly ScriptedEdit[]): void {
  for (const edit of edits) {
    const target = path.join(root, edit.path);
    mkdirSync(path.dirname(target), { recursive: true });
    if (edit.write !== undefined) writeFileSync(target, edit.write);
    else if (edit.append !== undefined) appendFileSync(target, edit.append);
    else if (edit.delete) rmSync(target);
    else if (edit.find !== undefined && edit.replace !== undefined) {
      const text = readFileSync(target, "utf8");
      if (!text.includes(edit.find)) throw new Error(`${edit.path}: text to find is absent: ${edit.find}`);
      writeFileSync(
        target,
        text.replace(edit.find, () => edit.replace!),
      );
    } else throw new Error(`${edit.path}: an edit with no action`);
  }
}
