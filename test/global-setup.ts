/**
 * Runs once before the suites: finds a container engine for engine-backed tests (the reachable
 * one, or one started by scripts/engine.sh when root on Debian) and publishes the answer as
 * FARGATED_TEST_ENGINE=1|0. With FARGATED_REQUIRE_ENGINE=1 (.ci/run) a missing engine fails.
 */
import type { TestProject } from 'vitest/node'
import { ensureTestEngine } from './support/engine-setup.js'

export default async function setup(project: TestProject): Promise<() => void> {
  const engine = await ensureTestEngine()
  process.env.FARGATED_TEST_ENGINE = engine.available ? '1' : '0'
  project.provide('engineAvailable', engine.available)
  if (!engine.available) {
    const msg = `\n!!! No container engine: engine-backed tests will be SKIPPED (${engine.reason}).\n!!! Start one with: sudo bash scripts/engine.sh\n`
    if (process.env.FARGATED_REQUIRE_ENGINE === '1') throw new Error(`FARGATED_REQUIRE_ENGINE=1 but ${engine.reason}`)
    console.warn(msg)
  }
  return () => {
    if (!engine.available) console.warn(`\n!!! Engine-backed suites were SKIPPED: ${engine.reason}. Run sudo bash scripts/engine.sh and npm test again.\n`)
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    engineAvailable: boolean
  }
}
