/** Parsed documents kept in uri order, the order diagnostics and bundles come out in. */
import { type ParsedDocument } from "./document";

/** Parses sorted by uri, the last one of each uri only (as setting them one by one would keep). */
export function latestByUri(documents: ParsedDocument[]): ParsedDocument[] {
  let sorted = true;
  for (let index = 1; index < documents.length && sorted; index++)
    sorted = documents[index - 1].uri < documents[index].uri;
  if (sorted) return documents; // a directory listing mostly is: no sort, no copy
  const ordered = documents
    .map((document, position) => ({ document, position }))
    .sort((a, b) => byUri(a.document, b.document) || a.position - b.position)
    .map(({ document }) => document);
  return ordered.filter((document, index) => ordered[index + 1]?.uri !== document.uri);
}

export function byUri(a: ParsedDocument, b: ParsedDocument): number {
  return a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0;
}

/** Where `uri` is in documents sorted by uri, or where it would go. */
export function indexByUri(sorted: readonly ParsedDocument[], uri: string): number {
  let [low, high] = [0, sorted.length];
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle].uri < uri) low = middle + 1;
    else high = middle;
  }
  return low;
}
