/**
 * Synthesizes the fargated stack the way infra/app.ts does (context → readConfig → stack →
 * cdk-nag) into a temporary folder, and returns the template plus cdk-nag's violations read
 * from the validation report. Bundling can be skipped for variants that only look at the
 * template (bundling the functions is the slow part).
 */
import { App } from 'aws-cdk-lib'
import { Template } from 'aws-cdk-lib/assertions'
import type { CloudAssembly } from 'aws-cdk-lib/cx-api'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readConfig } from '../../../infra/fargated-config.js'
import type { ContextKey } from '../../../infra/fargated-defaults.js'
import { FargatedStack } from '../../../infra/fargated-stack.js'
import { addNagChecks } from '../../../infra/nag.js'

export interface NagViolation {
  plugin: string
  rule: string
  severity: string
  paths: string[]
}

export interface Synthesized {
  stack: FargatedStack
  template: Template
  /** The raw template JSON. */
  json: CfnTemplate
  outdir: string
  assembly?: CloudAssembly
  violations: NagViolation[]
  millis: number
  /** Removes the output folder. */
  dispose: () => void
}

export interface CfnResource {
  Type: string
  Properties?: Record<string, unknown>
  DependsOn?: string | string[]
  DeletionPolicy?: string
  UpdateReplacePolicy?: string
}

export interface CfnTemplate {
  Resources: Record<string, CfnResource>
  Outputs?: Record<string, { Value: unknown; Description?: string }>
}

export interface SynthOptions {
  /** Bundle the functions with esbuild (slow); otherwise bundling is skipped. */
  bundle?: boolean
  /** Changes the stack before synth (to prove a check fires). */
  mutate?: (stack: FargatedStack) => void
  /** Keep the output folder (bundles) until `dispose()`; otherwise it is removed after reading. */
  keepOutdir?: boolean
}

export function synthesize(context: Partial<Record<ContextKey, unknown>> = {}, options: SynthOptions = {}): Synthesized {
  const started = Date.now()
  const outdir = mkdtempSync(join(tmpdir(), 'fargated-infra-'))
  const app = new App({
    outdir,
    context: { ...context, ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }) },
  })
  const dispose = () => rmSync(outdir, { recursive: true, force: true })
  let stack: FargatedStack | undefined
  let assembly: CloudAssembly | undefined
  try {
    const config = readConfig((key) => app.node.tryGetContext(key))
    stack = new FargatedStack(app, config.stackName, { config })
    options.mutate?.(stack)
    addNagChecks(app)
    assembly = app.synth()
  } catch (error) {
    // cdk-nag violations interrupt synth after writing the report; anything else is rethrown.
    if (!existsSync(join(outdir, 'validation-report.json'))) {
      dispose()
      throw error
    }
  }
  if (!stack) throw new Error('unreachable: a validation report implies a synthesized stack')
  const json = JSON.parse(readFileSync(join(outdir, `${stack.artifactId}.template.json`), 'utf8')) as CfnTemplate
  const violations = readViolations(outdir)
  if (!options.keepOutdir) dispose()
  return {
    stack,
    template: Template.fromJSON(json as unknown as Record<string, unknown>),
    json,
    outdir,
    assembly,
    violations,
    millis: Date.now() - started,
    dispose,
  }
}

interface ValidationReport {
  pluginReports: {
    pluginName: string
    violations: { ruleName: string; severity: string; violatingConstructs: { constructPath: string }[] }[]
  }[]
}

function readViolations(outdir: string): NagViolation[] {
  const file = join(outdir, 'validation-report.json')
  if (!existsSync(file)) return []
  const report = JSON.parse(readFileSync(file, 'utf8')) as ValidationReport
  return report.pluginReports.flatMap((p) =>
    p.violations.map((v) => ({
      plugin: p.pluginName,
      rule: v.ruleName,
      severity: v.severity,
      paths: v.violatingConstructs.map((c) => c.constructPath),
    })),
  )
}

/** Resources of one type, by logical id. */
export function resourcesOfType(json: CfnTemplate, type: string): [string, CfnResource][] {
  return Object.entries(json.Resources).filter(([, r]) => r.Type === type)
}

/** The logical id of the only resource of `type` whose id starts with `prefix`. */
export function logicalId(json: CfnTemplate, type: string, prefix: string): string {
  const ids = resourcesOfType(json, type)
    .map(([id]) => id)
    .filter((id) => id.startsWith(prefix))
  if (ids.length !== 1) throw new Error(`expected one ${type} starting with ${prefix}, found ${ids.join(', ') || 'none'}`)
  return ids[0]
}
