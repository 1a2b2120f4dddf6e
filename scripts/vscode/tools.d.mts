export const CODE_SERVER_VERSION: string;
export const NODE_VERSION: string;
export const repoRoot: string;
export const toolsDir: string;
export const chromiumPath: string;
export function toolsInstalled(): boolean;
