/** `wsp spec index`: every IDX tag occurrence in the spec docs, as text lines or JSON. */
import { UserError } from "../../../core/errors";
import { type CommandIO } from "../../io";
import { loadSpecContext, reportDiagnostics, scanDocs, type SpecCommonOptions } from "./context";

export interface SpecIndexOptions extends SpecCommonOptions {
  format?: string;
}

/** The original cut descriptions to this many characters in its text output. */
const TEXT_DESCRIPTION_LENGTH = 200;

export async function specIndex(options: SpecIndexOptions, io: CommandIO): Promise<number> {
  const format = options.format ?? "text";
  if (format !== "text" && format !== "json")
    throw new UserError(`--format must be text or json, not '${format}'`);
  const context = await loadSpecContext(io, options);
  const { occurrences, diagnostics } = await scanDocs(io, context, options);
  if (format === "json") {
    const entries = occurrences.map(({ idx, file, line, column, description }) => ({
      idx,
      file,
      line,
      column,
      description,
    }));
    io.out(`${JSON.stringify(entries, null, 2)}\n`);
  } else {
    let text = "";
    for (const { idx, file, line, description } of occurrences) {
      text += `${idx}: ${file}:${line} - ${description.slice(0, TEXT_DESCRIPTION_LENGTH)}\n`;
    }
    io.out(text);
  }
  reportDiagnostics(io, diagnostics);
  return 0;
}
