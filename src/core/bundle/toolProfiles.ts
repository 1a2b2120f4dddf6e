/** Rule 8's input: the profile ids defined in `config/tool_profiles.json`. */
import { getNodeValue, parseTree, type ParseError } from "jsonc-parser";
import { LineIndex, type Diagnostic } from "./diagnostics";

export interface ToolProfileIds {
  /** Where the profiles live (the diagnostics' file). */
  uri: string;
  /** The ids, or null when the file does not exist (rule 8 then only warns once). */
  ids: ReadonlySet<string> | null;
  /** Problems with the file itself. */
  diagnostics: Diagnostic[];
}

/** Reads profile ids from the file's text (`null` text: the file is missing). Never throws. */
export function parseToolProfiles(uri: string, text: string | null): ToolProfileIds {
  if (text === null) return { uri, ids: null, diagnostics: [] };
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  const problem = (offset: number, message: string): ToolProfileIds => {
    const { line, column } = new LineIndex(text).position(offset);
    const diagnostic: Diagnostic = {
      type: "config",
      severity: "error",
      file: uri,
      line,
      column,
      offset,
      length: 1,
      pointer: "",
      message,
    };
    return { uri, ids: null, diagnostics: [diagnostic] };
  };
  if (errors.length > 0 || !root)
    return problem(errors[0]?.offset ?? 0, "The tool profiles file is not valid JSON.");
  if (root.type !== "object")
    return problem(root.offset, "The tool profiles file must hold an object of profile id → profile.");
  const value = getNodeValue(root) as Record<string, unknown>;
  return { uri, ids: new Set(Object.keys(value).filter((key) => key !== "$schema")), diagnostics: [] };
}
