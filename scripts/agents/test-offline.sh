#!/usr/bin/env bash
# Runs the real-agent-CLI suite (test/agents) inside a network namespace that has only loopback, so any
# attempt of a CLI to reach the internet fails at once and loudly instead of hanging or leaking.
# The CLIs are installed first, outside the namespace (that step needs the npm registry).
# Needs root (CI) or unprivileged user namespaces. Extra arguments go to mocha.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

if [[ "${WSP_AGENTS_IN_NETNS:-}" != 1 ]]; then
  node scripts/agents/install.mjs
  if [[ "$(id -u)" == 0 ]]; then
    exec unshare --net -- env WSP_AGENTS_IN_NETNS=1 bash "${BASH_SOURCE[0]}" "$@"
  fi
  exec unshare --map-root-user --net -- env WSP_AGENTS_IN_NETNS=1 bash "${BASH_SOURCE[0]}" "$@"
fi

ip link set lo up
if getent hosts registry.npmjs.org >/dev/null 2>&1; then
  echo "test:agents: the network namespace still resolves external names; refusing to run" >&2
  exit 1
fi
echo "test:agents: running in a network namespace with only loopback" >&2
WSP_TEST_SUITE=agents exec node_modules/.bin/mocha --config .mocharc.agents.json "$@"
