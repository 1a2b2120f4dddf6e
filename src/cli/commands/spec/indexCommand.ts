/** `wsp spec index`: every IDX tag occurrence in the spec docs, as text lines or JSON. */
import { UserError } from "../../../core/errors";
import { type CommandIO } from "../../io";
import { loadSpecContext, reportDiagnostics, scanDocs, type SpecCommonOptions } from "./context";

export interface SpecIndexOptions extends SpecCommonOptions {
  format?: string;
}

/** The original cut descriptions to this many characters in its text output. */
const TEXT_DESCRIPTION_LENGTH = 200;
/** Output is written whenever this many characters are pending. */
const OUTPUT_CHUNK_LENGTH = 1 << 16;

export async function specIndex(options: SpecIndexOptions, io: CommandIO): Promise<number> {
  const format = options.format ?? "text";
  if (format !== "text" && format !== "json")
    throw new UserError(`--format must be text or json, not '${format}'`);
  const context = await loadSpecContext(io, options);
  // Written as the scan goes, in large chunks, each handed to the reader before the scan goes on:
  // nothing per tag outlives its file, in either format.
  let pending = "";
  const flush = (): Promise<void> | undefined => {
    if (pending.length < OUTPUT_CHUNK_LENGTH) return undefined;
    io.out(pending);
    pending = "";
    return io.drained();
  };
  if (format === "text") {
    const { diagnostics } = await scanDocs(io, context, options, (file, occurrences) => {
      for (const { idx, line, description } of occurrences)
        pending += `${idx}: ${file}:${line} - ${description.slice(0, TEXT_DESCRIPTION_LENGTH)}\n`;
      return flush();
    });
    if (pending !== "") io.out(pending);
    reportDiagnostics(io, diagnostics);
    return 0;
  }
  // A JSON array with one entry per line: what a program reads costs no more than the text lines.
  // A person at a terminal gets it indented (each entry on its own lines, as before).
  const indent = io.isTTY ? 2 : undefined;
  let separator = "[\n";
  const { diagnostics } = await scanDocs(io, context, options, (file, occurrences) => {
    const fileJson = JSON.stringify(file);
    for (const { idx, line, column, description } of occurrences) {
      // The same text JSON.stringify gives the object, with the file name quoted once per file.
      const entry = `{"idx":${JSON.stringify(idx)},"file":${fileJson},"line":${line},"column":${column},"description":${JSON.stringify(description)}}`;
      pending += `${separator}${indent === undefined ? entry : JSON.stringify(JSON.parse(entry), null, indent).replace(/^/gm, "  ")}`;
      separator = ",\n";
    }
    return flush();
  });
  io.out(`${pending}${separator === "[\n" ? "[]" : "\n]"}\n`);
  reportDiagnostics(io, diagnostics);
  return 0;
}
