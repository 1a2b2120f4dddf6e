/**
 * A gate's commands as one shell script, so a sandboxed gate starts one sandbox rather than one per
 * command (each start costs the sandbox's set-up; a gate with N merged workstreams runs N+1
 * commands after every merge). Each command still runs on its own, in a subshell, under coreutils
 * `timeout`, in order, stopping at the first failure; marker lines on both streams say which
 * command the output belongs to and which one failed, so the result reads as if they ran apart.
 */

const MARK = "\u001ewsp-gate";

export interface ScriptedCommand {
  argv: readonly string[];
  viaShell: boolean;
}

/** A word the shell reads back exactly. */
function quoted(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export function gateScript(commands: readonly ScriptedCommand[], timeoutSec: number): string {
  const lines = ["#!/bin/sh"];
  commands.forEach(({ argv }, index) => {
    const start = `printf '%s %s start\\n' ${quoted(MARK)} ${index}`;
    lines.push(
      `${start}; ${start} >&2`,
      `timeout -k 5 ${timeoutSec} ${argv.map(quoted).join(" ")}`,
      `s=$?; if [ "$s" -ne 0 ]; then printf '%s %s failed %s\\n' ${quoted(MARK)} ${index} "$s" >&2; exit "$s"; fi`,
    );
  });
  return `${lines.join("\n")}\n`;
}

export interface GateScriptOutcome {
  /** How many commands started. */
  started: number;
  /** The failing command's index and exit status, when one failed. */
  failed?: { index: number; status: number; timedOut: boolean };
  /** The failing (or last) command's own output: what follows its start marker on each stream. */
  stdout: string;
  stderr: string;
}

function markers(text: string): { index: number; kind: string; status?: number; at: number; end: number }[] {
  const found = [];
  const pattern = new RegExp(`${MARK} (\\d+) (start|failed)(?: (\\d+))?\\n`, "g");
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text))
    found.push({
      index: Number(match[1]),
      kind: match[2],
      ...(match[3] !== undefined ? { status: Number(match[3]) } : {}),
      at: match.index,
      end: match.index + match[0].length,
    });
  return found;
}

/** What the script's output says; `exitCode` is the script's own (null when it was killed). */
export function readGateScript(stdout: string, stderr: string, exitCode: number | null): GateScriptOutcome {
  const errMarks = markers(stderr);
  const outMarks = markers(stdout);
  const starts = errMarks.filter((m) => m.kind === "start");
  const failedMark = errMarks.find((m) => m.kind === "failed");
  const last = starts.at(-1);
  const index = failedMark?.index ?? last?.index ?? 0;
  const after = (text: string, marks: typeof errMarks) => {
    const start = marks.filter((m) => m.kind === "start" && m.index === index).at(-1);
    const tail = start === undefined ? text : text.slice(start.end);
    return tail.replace(new RegExp(`${MARK} \\d+ failed \\d+\\n`, "g"), "");
  };
  const outcome: GateScriptOutcome = {
    started: starts.length,
    stdout: after(stdout, outMarks),
    stderr: after(stderr, errMarks),
  };
  if (failedMark !== undefined)
    outcome.failed = { index, status: failedMark.status ?? 1, timedOut: failedMark.status === 124 };
  else if (exitCode !== 0) outcome.failed = { index, status: exitCode ?? -1, timedOut: false };
  return outcome;
}
