/**
 * Compiles the JSON schemas the core validates against into standalone validation code once, at
 * development time, so no `wsp` command and no editor session pays ajv's schema compilation (about
 * 80 ms for bundles, 35 ms for the AI tool registry) on start-up. `npm run generate` rewrites the
 * modules; a test fails while one is out of date with its schema.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import Ajv, { type Options } from "ajv";
import standaloneCode from "ajv/dist/standalone";

const ROOT = path.resolve(__dirname, "..", "..");

interface GeneratedValidator {
  /** The schema file, relative to the repository root. */
  schema: string;
  /** The generated module, relative to the repository root. */
  module: string;
  /** The exported function's name, and the schema (or definition) it validates, relative to $id. */
  exportName: string;
  ref: string;
  options: Options;
  keywords?: string[];
}

/** Every generated validator; the options are the ones the core relied on when it compiled at run time. */
export const GENERATED_VALIDATORS: readonly GeneratedValidator[] = [
  {
    schema: "schema/workstream.schema.json",
    module: "src/core/bundle/generated/bundleValidator.ts",
    exportName: "validateBundle",
    ref: "#/definitions/bundle",
    options: {
      allErrors: true,
      strict: true,
      strictTypes: false,
      strictRequired: false,
      allowUnionTypes: true,
    },
    keywords: ["markdownDescription"],
  },
  {
    schema: "schema/ai_tools.schema.json",
    module: "src/core/aim/generated/registryValidator.ts",
    exportName: "validateRegistry",
    ref: "",
    options: { allErrors: true },
  },
];

/** The text of one generated module. */
export function validatorSource(validator: GeneratedValidator): string {
  const schema = JSON.parse(readFileSync(path.join(ROOT, validator.schema), "utf8")) as { $id?: string };
  const ajv = new Ajv({ ...validator.options, code: { source: true, esm: true } });
  for (const keyword of validator.keywords ?? []) ajv.addKeyword(keyword);
  const id = schema.$id ?? validator.schema;
  ajv.addSchema(schema, id);
  const code = standaloneCode(ajv, { [validator.exportName]: `${id}${validator.ref}` });
  return [
    `// Generated from ${validator.schema} by scripts/schema/generateValidators.ts; do not edit.`,
    "// Run `npm run generate` after changing the schema.",
    "// @ts-nocheck",
    "/* eslint-disable */",
    code,
    "",
  ].join("\n");
}

export function modulePath(validator: GeneratedValidator): string {
  return path.join(ROOT, validator.module);
}

if (require.main === module) {
  for (const validator of GENERATED_VALIDATORS) {
    writeFileSync(modulePath(validator), validatorSource(validator));
    process.stdout.write(`wrote ${validator.module}\n`);
  }
}
