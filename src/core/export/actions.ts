/**
 * The actions the exported workflow uses, pinned to full commit SHAs (tags move; a SHA is the only
 * immutable reference). Re-check against the releases before changing a pin; the version goes into
 * a comment beside each `uses:` line.
 */
export interface PinnedAction {
  name: string;
  sha: string;
  version: string;
}

export const ACTIONS = {
  checkout: {
    name: "actions/checkout",
    sha: "3d3c42e5aac5ba805825da76410c181273ba90b1",
    version: "v7.0.1",
  },
  setupNode: {
    name: "actions/setup-node",
    sha: "820762786026740c76f36085b0efc47a31fe5020",
    version: "v7.0.0",
  },
  uploadArtifact: {
    name: "actions/upload-artifact",
    sha: "bbbca2ddaa5d8feaa63e36b76fdaad77386f024f",
    version: "v7.0.0",
  },
  downloadArtifact: {
    name: "actions/download-artifact",
    sha: "3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c",
    version: "v8.0.1",
  },
} as const satisfies Record<string, PinnedAction>;

export function usesLine(action: PinnedAction): string {
  return `${action.name}@${action.sha}`;
}

/** Adds `# <version>` after every pinned `uses:` line of the rendered YAML. */
export function commentPinnedVersions(yaml: string): string {
  let result = yaml;
  for (const action of Object.values(ACTIONS)) {
    const uses = usesLine(action);
    result = result.split(`uses: ${uses}\n`).join(`uses: ${uses} # ${action.version}\n`);
  }
  return result;
}
