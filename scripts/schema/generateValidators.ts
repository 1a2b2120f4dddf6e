/**
 * Compiles schema/workstream.schema.json into standalone validation code once, at development time,
 * so no `wsp` command and no editor session pays ajv's schema compilation (about 80 ms) on start-up.
 * `npm run generate` rewrites the module; a test fails while it is out of date with the schema.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import Ajv from "ajv";
import standaloneCode from "ajv/dist/standalone";

const ROOT = path.resolve(__dirname, "..", "..");
export const BUNDLE_VALIDATOR_MODULE = path.join(
  ROOT,
  "src",
  "core",
  "bundle",
  "generated",
  "bundleValidator.ts",
);

/** The module's text: the validator of `#/definitions/bundle`, exported as `validateBundle`. */
export function bundleValidatorSource(): string {
  const schema = JSON.parse(readFileSync(path.join(ROOT, "schema", "workstream.schema.json"), "utf8")) as {
    $id: string;
  };
  const ajv = new Ajv({
    allErrors: true,
    strict: true,
    strictTypes: false,
    strictRequired: false,
    allowUnionTypes: true,
    code: { source: true, esm: true },
  });
  ajv.addKeyword("markdownDescription");
  ajv.addSchema(schema);
  const code = standaloneCode(ajv, { validateBundle: `${schema.$id}#/definitions/bundle` });
  return [
    "// Generated from schema/workstream.schema.json by scripts/schema/generateValidators.ts; do not edit.",
    "// Run `npm run generate` after changing the schema.",
    "// @ts-nocheck",
    "/* eslint-disable */",
    code,
    "",
  ].join("\n");
}

if (require.main === module) {
  writeFileSync(BUNDLE_VALIDATOR_MODULE, bundleValidatorSource());
  process.stdout.write(`wrote ${path.relative(ROOT, BUNDLE_VALIDATOR_MODULE)}\n`);
}
