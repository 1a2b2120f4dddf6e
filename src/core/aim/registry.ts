import { type ErrorObject } from "ajv";
import { validateRegistry } from "./generated/registryValidator";
import { type AiTool, type AiToolRegistry, type CapabilityRoute, type RegistryCommand } from "./types";

export interface RegistryProblem {
  /** JSON pointer into the registry document. */
  pointer: string;
  message: string;
}

export type RegistryResult =
  { registry: AiToolRegistry; problems: [] } | { registry?: undefined; problems: RegistryProblem[] };

interface RawCommand {
  command: string;
  args?: string[];
}
interface RawRegistry {
  tools: Record<
    string,
    {
      name: string;
      detect: RawCommand;
      version: RawCommand & { pattern: string };
      capabilities: string[];
      profile?: string;
      install?: string;
    }
  >;
  routing: Record<string, { primary: string; fallbacks?: string[] }>;
}

/** ajv's validator of schema/ai_tools.schema.json, compiled ahead of time (scripts/schema/generateValidators.ts). */
const validateShape = validateRegistry as unknown as {
  (data: unknown): data is RawRegistry;
  errors?: ErrorObject[] | null;
};

/**
 * Validates a parsed registry document (YAML or JSON): the schema first, then the rules a schema
 * cannot say: version patterns compile, routes name known tools that have the capability.
 */
export function parseRegistry(data: unknown): RegistryResult {
  if (!validateShape(data)) {
    return {
      problems: (validateShape.errors ?? []).map((error) => ({
        pointer: error.instancePath || "/",
        message: error.message ?? "is invalid",
      })),
    };
  }
  const problems: RegistryProblem[] = [];
  const tools: AiTool[] = Object.entries(data.tools).map(([id, raw]) => {
    try {
      new RegExp(raw.version.pattern, "m");
    } catch (error) {
      problems.push({
        pointer: `/tools/${id}/version/pattern`,
        message: `is not a regular expression: ${String(error)}`,
      });
    }
    return {
      id,
      name: raw.name,
      detect: command(raw.detect),
      version: { ...command(raw.version), pattern: raw.version.pattern },
      capabilities: raw.capabilities,
      profile: raw.profile ?? id,
      ...(raw.install === undefined ? {} : { install: raw.install }),
    };
  });
  const byId = new Map(tools.map((tool) => [tool.id, tool]));
  const routing: Record<string, CapabilityRoute> = {};
  for (const [capability, raw] of Object.entries(data.routing)) {
    const route = { primary: raw.primary, fallbacks: raw.fallbacks ?? [] };
    [route.primary, ...route.fallbacks].forEach((id, index) => {
      const pointer =
        index === 0 ? `/routing/${capability}/primary` : `/routing/${capability}/fallbacks/${index - 1}`;
      const tool = byId.get(id);
      if (!tool) problems.push({ pointer, message: `names unknown tool "${id}"` });
      else if (!tool.capabilities.includes(capability)) {
        problems.push({ pointer, message: `tool "${id}" does not have capability "${capability}"` });
      }
    });
    if (route.fallbacks.includes(route.primary)) {
      problems.push({
        pointer: `/routing/${capability}/fallbacks`,
        message: `repeats the primary "${route.primary}"`,
      });
    }
    routing[capability] = route;
  }
  return problems.length > 0 ? { problems } : { registry: { tools, routing }, problems: [] };
}

function command(raw: RawCommand): RegistryCommand {
  return { command: raw.command, args: raw.args ?? [] };
}

/** Picks the version out of a version command's output: group 1 of the pattern, or its whole match. */
export function parseToolVersion(output: string, pattern: string): string | undefined {
  const match = new RegExp(pattern, "m").exec(output.trim());
  if (!match) return undefined;
  return (match[1] ?? match[0]).trim();
}
