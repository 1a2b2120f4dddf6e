export function buildWorkspace(sourceRoot: string, folders: string[], prefix?: string): string;
