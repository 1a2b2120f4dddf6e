import * as vscode from "vscode";
import { computeCoverage, type TagCoverage } from "../../core/spec/coverage";
import { mapTag, ORIGINAL_MAPPING_RULES } from "../../core/spec/mapping";
import { type SpecWorkspace } from "./specWorkspace";

/** Every file kind the index reads: docs, bundles and code in any language. */
const SELECTOR: vscode.DocumentSelector = [{ scheme: "file" }, { scheme: "vscode-remote" }];

/** The hover text: description, mapping and coverage of one tag. */
export function tagHoverMarkdown(
  spec: SpecWorkspace,
  idx: string,
  coverage: TagCoverage | undefined,
): vscode.MarkdownString {
  const definition = spec.index.definitionOf(idx);
  const markdown = new vscode.MarkdownString(undefined, true);
  markdown.appendMarkdown(`**${idx}**`);
  if (!definition) {
    markdown.appendMarkdown("\n\nNot defined in any doc.");
    return markdown;
  }
  const mapping = mapTag(idx, definition.description, ORIGINAL_MAPPING_RULES);
  markdown.appendMarkdown(`\n\n${definition.description}\n\n`);
  markdown.appendMarkdown(
    `Module \`${mapping.module}\` · function \`${mapping.function}\` · phase ${mapping.phase} · ${mapping.version}\n\n`,
  );
  if (coverage) {
    const count = (label: string, files: string[]) => `${label}: ${files.length}`;
    markdown.appendMarkdown(
      `Coverage: ${coverage.covered ? "covered" : "not covered"} (${count("bundles", coverage.bundles)}, ${count("code", coverage.code)}, ${count("tests", coverage.tests)})\n\n`,
    );
  }
  markdown.appendMarkdown(`Defined in ${definition.file}:${definition.line}`);
  return markdown;
}

class SpecTagProviders
  implements
    vscode.DefinitionProvider,
    vscode.ReferenceProvider,
    vscode.HoverProvider,
    vscode.DocumentLinkProvider,
    vscode.WorkspaceSymbolProvider
{
  constructor(private readonly spec: SpecWorkspace) {}

  async provideDefinition(
    document: vscode.TextDocument,
    position: vscode.Position,
  ): Promise<vscode.Location | undefined> {
    await this.spec.loaded;
    const tag = this.spec.tagAt(document, position);
    const definition = tag && this.spec.index.definitionOf(tag.idx);
    return definition && this.spec.locationOf(definition);
  }

  async provideReferences(
    document: vscode.TextDocument,
    position: vscode.Position,
    context: vscode.ReferenceContext,
  ): Promise<vscode.Location[]> {
    await this.spec.loaded;
    const tag = this.spec.tagAt(document, position);
    const info = tag && this.spec.index.tagInfo(tag.idx);
    if (!info) return [];
    const all = [
      ...(context.includeDeclaration && info.definition ? [info.definition] : []),
      ...info.references,
    ];
    return all.map((occurrence) => this.spec.locationOf(occurrence));
  }

  async provideHover(
    document: vscode.TextDocument,
    position: vscode.Position,
  ): Promise<vscode.Hover | undefined> {
    await this.spec.loaded;
    const tag = this.spec.tagAt(document, position);
    if (!tag) return undefined;
    const coverage = computeCoverage(this.spec.index).tags.find((entry) => entry.idx === tag.idx);
    return new vscode.Hover(tagHoverMarkdown(this.spec, tag.idx, coverage), this.spec.locationOf(tag).range);
  }

  async provideDocumentLinks(document: vscode.TextDocument): Promise<vscode.DocumentLink[]> {
    await this.spec.loaded;
    const file = this.spec.fileOf(document.uri);
    if (file === undefined) return [];
    const links: vscode.DocumentLink[] = [];
    for (const occurrence of this.spec.index.occurrencesIn(file)) {
      const definition = this.spec.index.definitionOf(occurrence.idx);
      if (!definition || definition === occurrence) continue;
      const target = this.spec
        .uriOf(definition.file)
        .with({ fragment: `L${definition.line},${definition.column}` });
      const link = new vscode.DocumentLink(this.spec.locationOf(occurrence).range, target);
      link.tooltip = `Go to the definition of ${occurrence.idx}`;
      links.push(link);
    }
    return links;
  }

  async provideWorkspaceSymbols(query: string): Promise<vscode.SymbolInformation[]> {
    await this.spec.loaded;
    const needle = query.toUpperCase();
    return this.spec.index
      .definedTags()
      .filter((idx) => idx.includes(needle))
      .map((idx) => {
        const definition = this.spec.index.definitionOf(idx)!;
        return new vscode.SymbolInformation(
          idx,
          vscode.SymbolKind.Key,
          definition.description,
          this.spec.locationOf(definition),
        );
      });
  }
}

/** Go to Definition, Find All References, hover, document links and workspace symbols for IDX tags. */
export function registerSpecProviders(context: vscode.ExtensionContext, deps: { spec: SpecWorkspace }): void {
  const providers = new SpecTagProviders(deps.spec);
  context.subscriptions.push(
    vscode.languages.registerDefinitionProvider(SELECTOR, providers),
    vscode.languages.registerReferenceProvider(SELECTOR, providers),
    vscode.languages.registerHoverProvider(SELECTOR, providers),
    vscode.languages.registerDocumentLinkProvider(SELECTOR, providers),
    vscode.languages.registerWorkspaceSymbolProvider(providers),
  );
}
