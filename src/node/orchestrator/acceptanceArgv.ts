/**
 * Words made only of these characters mean the same to `sh` as split on blanks: no quoting,
 * expansion, assignment (`=`), home (`~`), substitution (`` ` ``, `$`), operator or newline.
 */
const PLAIN = /^[A-Za-z0-9_\-./:,@+% \t]*$/;

/**
 * How an acceptance-test command runs. One rule: a command of plain words only (letters, digits,
 * `_ - . / : , @ + %`, separated by spaces or tabs) is split on blanks and run without a shell;
 * anything else runs as written through `sh -c` (recorded as `via_shell`), so a command always
 * means what it means to a shell.
 */
export function acceptanceArgv(command: string): { argv: string[]; viaShell: boolean } {
  if (PLAIN.test(command))
    return { argv: command.split(/[ \t]+/).filter((word) => word !== ""), viaShell: false };
  return { argv: ["sh", "-c", command], viaShell: true };
}
