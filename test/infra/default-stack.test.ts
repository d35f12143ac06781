/**
 * The default deployment, synthesized ONCE with real bundling (local esbuild; a docker binary
 * that cannot run proves Docker is not used), then checked concern by concern.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventsChecks } from './checks/events.checks.js'
import { frontDoorChecks } from './checks/front-door.checks.js'
import { functionChecks } from './checks/functions.checks.js'
import { iamChecks } from './checks/iam.checks.js'
import { resourceChecks } from './checks/resources.checks.js'
import { synthesize, type Synthesized } from './support/synth.js'

let s: Synthesized
const get = () => s

beforeAll(() => {
  process.env.CDK_DOCKER = '/nonexistent/docker'
  s = synthesize({}, { bundle: true, keepOutdir: true })
  console.info(`infra: default stack synthesized with bundling in ${s.millis} ms`)
})
afterAll(() => s?.dispose())

describe('validation', () => {
  it('has no unacknowledged cdk-nag (or CloudFormation validator) findings', () => {
    expect(s.violations).toEqual([])
  })
})

describe('functions', () => functionChecks(get))
describe('resources', () => resourceChecks(get))
describe('front door', () => frontDoorChecks(get))
describe('events', () => eventsChecks(get))
describe('IAM', () => iamChecks(get))
