/** Flattens every IAM policy statement of a template, with the roles each one applies to. */
import { resourcesOfType, type CfnTemplate } from './synth.js'

export interface Statement {
  /** Logical id of the AWS::IAM::Policy (or the role, for inline policies). */
  policy: string
  /** Logical ids of the roles the policy is attached to. */
  roles: string[]
  sid?: string
  effect: string
  actions: string[]
  /** Resources as JSON (plain strings stay strings; intrinsic functions are stringified). */
  resources: string[]
  condition?: Record<string, Record<string, unknown>>
}

interface RawStatement {
  Sid?: string
  Effect: string
  Action: string | string[]
  Resource: unknown
  Condition?: Record<string, Record<string, unknown>>
}

const list = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v])

export function statements(json: CfnTemplate): Statement[] {
  const out: Statement[] = []
  for (const [id, policy] of resourcesOfType(json, 'AWS::IAM::Policy')) {
    const props = policy.Properties as { PolicyDocument: { Statement: RawStatement[] }; Roles?: { Ref: string }[] }
    const roles = (props.Roles ?? []).map((r) => r.Ref)
    for (const s of props.PolicyDocument.Statement) out.push(flatten(id, roles, s))
  }
  for (const [id, role] of resourcesOfType(json, 'AWS::IAM::Role')) {
    const inline = (role.Properties?.Policies ?? []) as { PolicyDocument: { Statement: RawStatement[] } }[]
    for (const p of inline) for (const s of p.PolicyDocument.Statement) out.push(flatten(id, [id], s))
  }
  return out
}

function flatten(policy: string, roles: string[], s: RawStatement): Statement {
  return {
    policy,
    roles,
    sid: s.Sid,
    effect: s.Effect,
    actions: list(s.Action),
    resources: list(s.Resource).map((r) => (typeof r === 'string' ? r : JSON.stringify(r))),
    condition: s.Condition,
  }
}

/** The statements of the policy attached to the role whose logical id starts with `rolePrefix`. */
export function statementsOf(all: Statement[], rolePrefix: string): Statement[] {
  return all.filter((s) => s.roles.some((r) => r.startsWith(rolePrefix)))
}

/** All actions granted to a role, sorted and unique. */
export function actionsOf(all: Statement[], rolePrefix: string): string[] {
  return [...new Set(statementsOf(all, rolePrefix).flatMap((s) => s.actions))].sort()
}
