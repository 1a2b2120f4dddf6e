/** `wsp spec index`: every IDX tag occurrence in the spec docs, as text lines or JSON. */
import { UserError } from "../../../core/errors";
import { type CommandIO } from "../../io";
import { loadSpecContext, reportDiagnostics, scanDocs, type SpecCommonOptions } from "./context";

export interface SpecIndexOptions extends SpecCommonOptions {
  format?: string;
}

/** The original cut descriptions to this many characters in its text output. */
const TEXT_DESCRIPTION_LENGTH = 200;
/** Text output is written whenever this many characters are pending. */
const OUTPUT_CHUNK_LENGTH = 1 << 16;

export async function specIndex(options: SpecIndexOptions, io: CommandIO): Promise<number> {
  const format = options.format ?? "text";
  if (format !== "text" && format !== "json")
    throw new UserError(`--format must be text or json, not '${format}'`);
  const context = await loadSpecContext(io, options);
  if (format === "text") {
    // Written as the scan goes, in large chunks, each handed to the reader before the scan goes
    // on: nothing per tag outlives its file.
    let text = "";
    const { diagnostics } = await scanDocs(io, context, options, (file, occurrences) => {
      for (const { idx, line, description } of occurrences)
        text += `${idx}: ${file}:${line} - ${description.slice(0, TEXT_DESCRIPTION_LENGTH)}\n`;
      if (text.length < OUTPUT_CHUNK_LENGTH) return undefined;
      io.out(text);
      text = "";
      return io.drained();
    });
    if (text !== "") io.out(text);
    reportDiagnostics(io, diagnostics);
    return 0;
  }
  const { occurrences, diagnostics } = await scanDocs(io, context, options);
  const entries = occurrences.map(({ idx, file, line, column, description }) => ({
    idx,
    file,
    line,
    column,
    description,
  }));
  io.out(`${JSON.stringify(entries, null, 2)}\n`);
  reportDiagnostics(io, diagnostics);
  return 0;
}
