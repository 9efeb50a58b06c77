#!/usr/bin/env bash
# Runs the bounded load tests (JUnit classes tagged "load", e.g. upstream/resilience/LoadTest: 20,000
# requests over loopback with a dead optional upstream behind an open breaker). They are not part of
# `./mvnw verify`: they need a quiet machine and a minute or two of CPU. Numbers depend on the load of
# the machine they run on.
#   bench/load.sh                 every load test
#   bench/load.sh LoadTest        one class
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
exec ./mvnw -q test -Dtest.groups=load -Dtest.excludedGroups= -Dtest.fastTier.skip=true -Dtest="${1:-*}" -Dsurefire.failIfNoSpecifiedTests=false
