import { parse as parseShellWords } from "shell-quote";

/**
 * How an acceptance-test command runs: split into argv by shell-quote and run without a shell, or,
 * when it uses shell features (pipes, redirects, `;`, `&&`, globs, `$VAR`), explicitly through
 * `sh -c` (recorded as `via_shell`).
 */
export function acceptanceArgv(command: string): { argv: string[]; viaShell: boolean } {
  const words = parseShellWords(command, (name) => ({ op: "glob", pattern: `$${name}` }));
  if (words.every((word): word is string => typeof word === "string"))
    return { argv: words, viaShell: false };
  return { argv: ["sh", "-c", command], viaShell: true };
}
