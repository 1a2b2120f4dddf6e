/**
 * Reads the parts of a bundle file the editor features need, with positions, tolerating files that
 * are mid-edit. A file holds one bundle object or an array of them.
 */
import { type Node, findNodeAtLocation, getNodeValue, parseTree, type ParseError } from "jsonc-parser";
import { type WorkstreamSummary } from "./workstreamTree";

export interface BundleInFile {
  summary: WorkstreamSummary;
  /** Offset and length of the id's string value (the place a click or diagnostic points at). */
  idRange: { offset: number; length: number };
  /** The `depends_on` entries with the offset and length of each string. */
  dependencies: { id: string; offset: number; length: number }[];
}

export interface ParsedBundleFile {
  bundles: BundleInFile[];
  /** True when the text is not valid JSON; bundles then holds what could still be read. */
  syntaxErrors: number;
}

function stringsAt(node: Node | undefined): { value: string; offset: number; length: number }[] {
  if (node?.type !== "array") return [];
  return (node.children ?? [])
    .filter((child) => child.type === "string")
    .map((child) => ({ value: String(child.value), offset: child.offset, length: child.length }));
}

function readBundle(node: Node, file: string): BundleInFile | undefined {
  const idNode = findNodeAtLocation(node, ["id"]);
  if (idNode?.type !== "string") return undefined;
  const title = findNodeAtLocation(node, ["title"]);
  const review = findNodeAtLocation(node, ["review"])?.value as unknown;
  const dependencies = stringsAt(findNodeAtLocation(node, ["depends_on"]));
  return {
    summary: {
      id: String(idNode.value),
      title: title?.type === "string" ? String(getNodeValue(title)) : undefined,
      tasks: stringsAt(findNodeAtLocation(node, ["tasks"])).map((entry) => entry.value),
      filesScope: stringsAt(findNodeAtLocation(node, ["files_scope"])).map((entry) => entry.value),
      dependsOn: dependencies.map((entry) => entry.value),
      file,
      ...(review === "required" || review === "optional" ? { review } : {}),
    },
    idRange: { offset: idNode.offset, length: idNode.length },
    dependencies: dependencies.map((entry) => ({
      id: entry.value,
      offset: entry.offset,
      length: entry.length,
    })),
  };
}

/** Parses one bundle file's text; `file` is its workspace-relative path. */
export function parseBundleFile(text: string, file: string): ParsedBundleFile {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  const objects = root?.type === "array" ? (root.children ?? []) : root ? [root] : [];
  const bundles = objects
    .filter((node) => node.type === "object")
    .map((node) => readBundle(node, file))
    .filter((bundle): bundle is BundleInFile => bundle !== undefined);
  return { bundles, syntaxErrors: errors.length };
}
