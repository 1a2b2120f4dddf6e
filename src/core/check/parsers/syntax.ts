// The ESM build: esbuild bundles the UMD build with a dynamic require it cannot follow.
import { parse, printParseErrorCode, type ParseError } from "jsonc-parser/lib/esm/main.js";
import { loadAll, YAMLException } from "js-yaml";
import { type Issue } from "../types";
import { positionAt } from "./common";

/** Files that are JSON with comments by convention, so comments and trailing commas are allowed. */
const JSONC_FILE = /(^|\/)(tsconfig[^/]*|jsconfig[^/]*|\.vscode\/[^/]+|devcontainer)\.json$|\.jsonc$/;

/** Checks JSON syntax in process and reports every error with its position. */
export function checkJsonSyntax(path: string, content: string): Issue[] {
  const errors: ParseError[] = [];
  const lenient = JSONC_FILE.test(path);
  parse(content, errors, {
    disallowComments: !lenient,
    allowTrailingComma: lenient,
    allowEmptyContent: false,
  });
  return errors.map((error): Issue => {
    const { line, column } = positionAt(content, error.offset);
    return {
      tool: "json-syntax",
      path,
      line,
      column,
      code: printParseErrorCode(error.error),
      category: "syntax",
      severity: "error",
      message: `Invalid JSON: ${printParseErrorCode(error.error)}`,
    };
  });
}

/** Checks YAML syntax (every document in the file) in process; js-yaml stops at the first error. */
export function checkYamlSyntax(path: string, content: string): Issue[] {
  try {
    loadAll(content);
    return [];
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    const mark = (error as YAMLException & { mark?: { line?: number; column?: number } }).mark;
    return [
      {
        tool: "yaml-syntax",
        path,
        line: (mark?.line ?? -1) + 1,
        column: (mark?.column ?? -1) + 1,
        code: "yaml-syntax",
        category: "syntax",
        severity: "error",
        message: `Invalid YAML: ${error.reason}`,
      },
    ];
  }
}
