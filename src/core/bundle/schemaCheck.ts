/**
 * The shape check: ajv against the published schema, with ajv's errors rewritten into sentences
 * that name the field, so nobody has to read "must NOT have additional properties".
 */
import { type ErrorObject } from "ajv";
import schema from "../../../schema/workstream.schema.json";
import { validateBundle } from "./generated/bundleValidator";

/** One shape problem, relative to the bundle object. */
export interface ShapeProblem {
  /** Path inside the bundle. */
  path: (string | number)[];
  /** True when the problem is about a property's key (unknown field), not its value. */
  onKey: boolean;
  message: string;
}

/** ajv's validator, compiled from the schema ahead of time (scripts/schema/generateValidators.ts). */
const bundleValidator = validateBundle as unknown as {
  (value: unknown): boolean;
  errors?: ErrorObject[] | null;
};

const bundleFields = Object.keys(schema.definitions.bundle.properties);

/** Checks one bundle value against the schema; returns readable problems (empty when it fits). */
export function checkBundleShape(value: unknown): readonly ShapeProblem[] {
  if (bundleValidator(value)) return noProblems;
  return describeErrors(bundleValidator.errors ?? []);
}

const noProblems: readonly ShapeProblem[] = [];

function describeErrors(errors: readonly ErrorObject[]): ShapeProblem[] {
  // A failed oneOf (scripted edit kinds, ccpm_issue) also reports every branch's own failures; keep
  // only the oneOf summary for those locations.
  const oneOfPaths = errors.filter((error) => error.keyword === "oneOf").map((error) => error.instancePath);
  const problems: ShapeProblem[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    const inBranch =
      error.keyword !== "oneOf" &&
      oneOfPaths.some(
        (path) => error.instancePath.startsWith(path) && /\/oneOf\/\d+\//.test(error.schemaPath),
      );
    if (inBranch) continue;
    const problem = describe(error);
    const key = `${problem.path.join("/")}|${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems;
}

function parsePath(instancePath: string): (string | number)[] {
  if (instancePath === "") return [];
  return instancePath
    .slice(1)
    .split("/")
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** `files_scope[2]`, `scripted_edits.edit[0].path`, or "the bundle". */
export function fieldLabel(path: readonly (string | number)[]): string {
  if (path.length === 0) return "the bundle";
  let label = "";
  for (const part of path) label += typeof part === "number" ? `[${part}]` : label ? `.${part}` : part;
  return `"${label}"`;
}

function typeName(type: unknown): string {
  const names: Record<string, string> = {
    string: "a string",
    integer: "an integer",
    number: "a number",
    boolean: "true or false",
    array: "an array",
    object: "an object",
    null: "null",
  };
  if (Array.isArray(type)) return type.map((entry) => typeName(entry)).join(" or ");
  return names[String(type)] ?? String(type);
}

function describe(error: ErrorObject): ShapeProblem {
  const path = parsePath(error.instancePath);
  const field = fieldLabel(path);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required": {
      const missing = String(params.missingProperty);
      const where = path.length === 0 ? "" : ` in ${field}`;
      return { path, onKey: false, message: `Missing required field "${missing}"${where}.` };
    }
    case "additionalProperties": {
      const extra = String(params.additionalProperty);
      const allowed = path.length === 0 ? ` Known fields: ${bundleFields.join(", ")}.` : "";
      const where = path.length === 0 ? "" : ` in ${field}`;
      return { path: [...path, extra], onKey: true, message: `Unknown field "${extra}"${where}.${allowed}` };
    }
    case "type":
      return { path, onKey: false, message: `${capitalised(field)} must be ${typeName(params.type)}.` };
    case "pattern": {
      const hint = path.length === 1 && path[0] === "id" ? ' (e.g. "ws-stock-core")' : "";
      return {
        path,
        onKey: false,
        message: `${capitalised(field)} must match ${String(params.pattern)}${hint}.`,
      };
    }
    case "minItems": {
      const limit = Number(params.limit);
      const what = limit === 1 ? "at least one entry" : `at least ${limit} entries`;
      return { path, onKey: false, message: `${capitalised(field)} must have ${what}.` };
    }
    case "minLength":
      return { path, onKey: false, message: `${capitalised(field)} must not be empty.` };
    case "minimum":
    case "exclusiveMinimum": {
      const comparison = error.keyword === "minimum" ? "at least" : "greater than";
      return {
        path,
        onKey: false,
        message: `${capitalised(field)} must be ${comparison} ${String(params.limit)}.`,
      };
    }
    case "uniqueItems":
      return {
        path,
        onKey: false,
        message: `${capitalised(field)} lists the same value twice (entries ${String(params.j)} and ${String(params.i)}).`,
      };
    case "enum":
      return {
        path,
        onKey: false,
        message: `${capitalised(field)} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}.`,
      };
    case "const":
      return {
        path,
        onKey: false,
        message: `${capitalised(field)} must be ${JSON.stringify(params.allowedValue)}.`,
      };
    case "oneOf":
      return { path, onKey: false, message: oneOfMessage(path, field) };
    default:
      return {
        path,
        onKey: false,
        message: `${capitalised(field)} is invalid: ${error.message ?? error.keyword}.`,
      };
  }
}

function oneOfMessage(path: (string | number)[], field: string): string {
  if (path[0] === "scripted_edits")
    return `${capitalised(field)} must have exactly one of "write", "find" with "replace", "append" or "delete".`;
  return `${capitalised(field)} does not match exactly one allowed form.`;
}

function capitalised(text: string): string {
  return text === "the bundle" ? "The bundle" : `Field ${text}`;
}
