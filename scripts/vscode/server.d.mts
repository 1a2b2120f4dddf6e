export interface CodeServer {
  url: string;
  port: number;
  stateDir: string;
  extensionsDir: string;
  stop(): Promise<void>;
}
export function startCodeServer(options?: {
  stateDir?: string;
  smokeTestDriver?: boolean;
  workspaceTrust?: boolean;
  extraArgs?: string[];
  log?: (line: string) => void;
  port?: number;
}): Promise<CodeServer>;
export function installVsix(vsixPath: string, stateDir: string): Promise<void>;
export function freePort(): Promise<number>;
