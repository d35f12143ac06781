/**
 * CI hooks: per namespace, one kind of sender (GitHub, GitLab, Standard Webhooks, Docker Hub),
 * one action (run a one-off container, or redeploy selected containers) and optional filters.
 * The secret is generated, shown once, and kept only as the verifier needs it: the HMAC kinds
 * (github, standard) keep the secret itself, the token kinds (gitlab, dockerhub) its SHA-256.
 */
import { z } from 'zod'
import { ContainerSpecInputSchema } from '../spec.js'

export const HOOK_KINDS = ['github', 'gitlab', 'standard', 'dockerhub'] as const
export type HookKind = (typeof HOOK_KINDS)[number]

const pattern = (what: string) => z.string().min(1).max(256).describe(what)

export const HookFiltersSchema = z.strictObject({
  repo: pattern('Repository (owner/name, group/project, namespace/name); `*` and `?` globs').optional(),
  branch: pattern('Branch; `*` and `?` globs').optional(),
  event: z.union([z.string().min(1).max(64), z.array(z.string().min(1).max(64)).min(1).max(20)]).optional()
    .describe('Event name(s): workflow_run, registry_package, package, pipeline, push, or a Standard Webhooks type'),
  workflow: pattern('GitHub workflow name; globs').optional(),
  tag: pattern('Image or git tag: exact, glob (`release-*`) or semver range (`^1.2`)').optional(),
})
export type HookFilters = z.infer<typeof HookFiltersSchema>

export const ContainerSelectorSchema = z
  .strictObject({
    name: pattern('Container name; globs').optional(),
    label: z.record(z.string(), z.string()).optional().describe('Labels the container must all have'),
  })
  .refine((s) => s.name !== undefined || (s.label !== undefined && Object.keys(s.label).length > 0), 'a selector needs a name or at least one label')
export type ContainerSelector = z.infer<typeof ContainerSelectorSchema>

export const HookActionSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('run'),
    spec: ContainerSpecInputSchema,
    /** Name prefix of the one-off containers (a suffix from the delivery keeps names unique). */
    name: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,100}$/).optional(),
  }),
  z.strictObject({ type: z.literal('redeploy'), selector: ContainerSelectorSchema }),
])
export type HookAction = z.infer<typeof HookActionSchema>

export const CreateHookSchema = z.strictObject({
  kind: z.enum(HOOK_KINDS),
  action: HookActionSchema,
  filters: HookFiltersSchema.optional(),
  description: z.string().max(256).optional(),
})
export type CreateHookInput = z.input<typeof CreateHookSchema>

/** A secret the verifier may still accept after a rotation, until `until`. */
export interface PreviousSecret {
  secret?: string
  secretHash?: string
  until: string
}

export interface Hook {
  id: string
  namespace: string
  kind: HookKind
  action: HookAction
  filters: HookFilters
  description?: string
  /** HMAC kinds only. Never returned by the API after creation or rotation. */
  secret?: string
  /** Token kinds only: SHA-256 hex of the token. */
  secretHash?: string
  previous?: PreviousSecret
  createdAt: string
  rotatedAt?: string
}

/** What the API shows of a hook: never its secret. */
export type HookView = Omit<Hook, 'secret' | 'secretHash' | 'previous'>

export function toHookView(h: Hook): HookView {
  const { secret: _s, secretHash: _h, previous: _p, ...view } = h
  return view
}

export type DeliveryStatus = 'processing' | 'succeeded' | 'ignored' | 'failed'

export interface DeliveryRecord {
  hookId: string
  deliveryId: string
  event: string
  receivedAt: string
  status: DeliveryStatus
  /** What happened, in words: "ran container ci-3f2a", "ignored: branch dev does not match main". */
  outcome: string
  containers?: { id: string; name: string; outcome: string }[]
}

export const HOOK_KIND = 'hook'
export const HOOK_INDEX_KIND = 'hook-index'
export const DELIVERY_KIND = 'hook-delivery'
/** Deliveries are kept (and deduplicated) this long. */
export const DELIVERY_TTL_S = 7 * 24 * 3600
/** After a rotation the previous secret still verifies for this long. */
export const ROTATION_GRACE_S = 24 * 3600
export const MAX_HOOKS_PER_NAMESPACE = 100
/** Webhook bodies above this are refused with 413 (GitHub caps payloads at 25 MB; CI events are far smaller). */
export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024
