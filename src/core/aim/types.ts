/** The AI tool registry (`config/ai_tools.yaml`, schema `schema/ai_tools.schema.json`). */

export interface RegistryCommand {
  command: string;
  args: string[];
}

export interface AiTool {
  id: string;
  name: string;
  detect: RegistryCommand;
  version: RegistryCommand & { pattern: string };
  capabilities: string[];
  /** Tool profile id that runs it (config/tool_profiles.json); the tool id when not given. */
  profile: string;
  install?: string;
}

export interface CapabilityRoute {
  primary: string;
  fallbacks: string[];
}

export interface AiToolRegistry {
  tools: AiTool[];
  routing: Record<string, CapabilityRoute>;
}

/** What detection found out about one tool. */
export interface DetectedTool {
  id: string;
  installed: boolean;
  /** The version parsed by the tool's pattern; undefined when missing or unparseable. */
  version?: string;
  /** The version command's first output line, for when the pattern did not match. */
  rawVersion?: string;
}
