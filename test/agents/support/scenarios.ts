/**
 * Script steps that make each real CLI edit a file with its own edit tool, as its model would. The
 * path conventions differ: Codex's apply_patch takes paths relative to its working directory, the
 * others want absolute paths; Claude Code, Qwen Code and opencode must read a file before editing it.
 */
import path from "node:path";
import { type AgentCli } from "../../../src/core/agents/types";
import { type ScriptedToolCall, type ScriptStep } from "./script";

export interface LineEdit {
  /** Repository root the CLI runs in. */
  root: string;
  /** File relative to root. */
  file: string;
  /** Whole lines (no trailing newline) to replace. */
  oldText: string;
  newText: string;
}

/** The tool steps that perform `edit` with `cli`'s own tools. */
export function editSteps(cli: AgentCli, edit: LineEdit): ScriptStep[] {
  const absolute = path.join(edit.root, edit.file);
  const prefixed = (text: string, mark: string): string =>
    text
      .split("\n")
      .map((line) => mark + line)
      .join("\n");
  switch (cli) {
    case "codex":
      return [
        {
          kind: "tools",
          calls: [
            {
              name: "apply_patch",
              input: `*** Begin Patch\n*** Update File: ${edit.file}\n@@\n${prefixed(edit.oldText, "-")}\n${prefixed(edit.newText, "+")}\n*** End Patch`,
            },
          ],
        },
      ];
    case "claude":
      return [
        { kind: "tools", calls: [{ name: "Read", input: { file_path: absolute } }] },
        {
          kind: "tools",
          calls: [
            {
              name: "Edit",
              input: { file_path: absolute, old_string: edit.oldText, new_string: edit.newText },
            },
          ],
        },
      ];
    case "gemini":
      return [
        {
          kind: "tools",
          calls: [
            {
              name: "replace",
              input: {
                file_path: absolute,
                old_string: edit.oldText,
                new_string: edit.newText,
                instruction: "apply the edit",
              },
            },
          ],
        },
      ];
    case "qwen":
      return [
        { kind: "tools", calls: [{ name: "read_file", input: { file_path: absolute } }] },
        {
          kind: "tools",
          calls: [
            {
              name: "edit",
              input: { file_path: absolute, old_string: edit.oldText, new_string: edit.newText },
            },
          ],
        },
      ];
    case "opencode":
      return [
        { kind: "tools", calls: [{ name: "read", input: { filePath: absolute } }] },
        {
          kind: "tools",
          calls: [
            { name: "edit", input: { filePath: absolute, oldString: edit.oldText, newString: edit.newText } },
          ],
        },
      ];
  }
}

export const finalText = "Scripted edit done.";

/** Edit, then the final text once the tool results came back. */
export function editScenario(cli: AgentCli, edit: LineEdit): ScriptStep[] {
  return [...editSteps(cli, edit), { kind: "text", text: finalText }];
}

/** A whole file as the CLI should leave it; `before` is its content now (undefined: a new file). */
export interface FileWrite {
  /** Relative to the root the CLI runs in. */
  file: string;
  before?: string;
  after: string;
}

/**
 * The tool steps that leave `writes` as given with `cli`'s own tools: Codex patches (adding new files,
 * replacing every line of existing ones), the others write whole files, reading existing ones first
 * where the CLI insists (Claude Code, Qwen Code, opencode).
 */
export function writeSteps(cli: AgentCli, root: string, writes: FileWrite[]): ScriptStep[] {
  const absolute = (write: FileWrite): string => path.join(root, write.file);
  const existing = writes.filter((write) => write.before !== undefined);
  const lines = (text: string, mark: string): string =>
    text
      .replace(/\n$/, "")
      .split("\n")
      .map((line) => mark + line)
      .join("\n");
  const readThenWrite = (
    read: (write: FileWrite) => ScriptedToolCall,
    writeCall: (write: FileWrite) => ScriptedToolCall,
  ): ScriptStep[] => [
    ...(existing.length > 0 ? [{ kind: "tools" as const, calls: existing.map(read) }] : []),
    { kind: "tools", calls: writes.map(writeCall) },
  ];
  switch (cli) {
    case "codex": {
      const sections = writes.map((write) =>
        write.before === undefined
          ? `*** Add File: ${write.file}\n${lines(write.after, "+")}`
          : `*** Update File: ${write.file}\n@@\n${lines(write.before, "-")}\n${lines(write.after, "+")}`,
      );
      return [
        {
          kind: "tools",
          calls: [{ name: "apply_patch", input: `*** Begin Patch\n${sections.join("\n")}\n*** End Patch` }],
        },
      ];
    }
    case "claude":
      return readThenWrite(
        (write) => ({ name: "Read", input: { file_path: absolute(write) } }),
        (write) => ({ name: "Write", input: { file_path: absolute(write), content: write.after } }),
      );
    case "gemini":
      return [
        {
          kind: "tools",
          calls: writes.map((write) => ({
            name: "write_file",
            input: { file_path: absolute(write), content: write.after },
          })),
        },
      ];
    case "qwen":
      return readThenWrite(
        (write) => ({ name: "read_file", input: { file_path: absolute(write) } }),
        (write) => ({ name: "write_file", input: { file_path: absolute(write), content: write.after } }),
      );
    case "opencode":
      return readThenWrite(
        (write) => ({ name: "read", input: { filePath: absolute(write) } }),
        (write) => ({ name: "write", input: { filePath: absolute(write), content: write.after } }),
      );
  }
}
