/** `wsp spec map`: writes the spec-to-code mapping document, atomically. */
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { renderMapDocument } from "../../../core/spec/mapDocument";
import { mergeMappingRules, ORIGINAL_MAPPING_RULES } from "../../../core/spec/mapping";
import { type CommandIO } from "../../io";
import { DEFAULT_MAP_OUTPUT } from "../../../core/spec/scanDefaults";
import { loadSpecContext, reportDiagnostics, scanSpecs, type SpecCommonOptions } from "./context";

export interface SpecMapOptions extends SpecCommonOptions {
  /** Where to write, relative to the current directory; default docs/spec/spec_index_map.md at the root. */
  output?: string;
}

export async function specMap(options: SpecMapOptions, io: CommandIO): Promise<number> {
  const context = await loadSpecContext(io, options);
  const output =
    options.output === undefined
      ? path.join(context.root, DEFAULT_MAP_OUTPUT)
      : path.resolve(io.cwd, options.output);
  // The map must never read itself back in, wherever it is written.
  const { index } = await scanSpecs(io, context, { ...options, kinds: ["doc"], excludeDocs: [output] });
  const definitions = index.definedTags().map((idx) => index.definitionOf(idx)!);
  const rules = mergeMappingRules(ORIGINAL_MAPPING_RULES, context.config.mapping);
  await writeAtomically(output, renderMapDocument(definitions, rules));
  reportDiagnostics(io, index.diagnostics());
  io.out(`Wrote ${path.relative(io.cwd, output) || output} (${definitions.length} IDX tags)\n`);
  return 0;
}

/** Writes a temp file beside the target and renames it over, so readers never see half a file. */
async function writeAtomically(target: string, content: string): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true });
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  try {
    await writeFile(temporary, content, "utf8");
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
