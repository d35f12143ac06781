import type { Hook } from './hook-model.js'

/** A webhook request as the receiver route hands it over: raw body, lowercased header names. */
export interface IncomingDelivery {
  headers: Record<string, string>
  /** The raw body, exactly as received (signatures cover these bytes). */
  body: string
  query: Record<string, string>
}

/** A delivery whose authenticity was checked. */
export interface VerifiedDelivery {
  /** The sender's delivery id (or a body hash where the sender has none). */
  deliveryId: string
  /** Is the delivery id covered by the signature? If not, replays are also caught by body hash. */
  idSigned: boolean
  event: string
  payload: unknown
}

/** What a delivery asks for, in the terms filters and actions use. */
export interface Trigger {
  event: string
  repo?: string
  branch?: string
  tag?: string
  workflow?: string
  sha?: string
  /** An image reference the delivery names (`ghcr.io/o/app:1.2`), with its digest when known. */
  image?: string
  digest?: string
}

export type Interpretation =
  | { kind: 'ping' }
  | { kind: 'ignored'; reason: string }
  | { kind: 'trigger'; trigger: Trigger }

/** One sender's scheme: how to authenticate a delivery and what it means. */
export interface HookScheme {
  verify(hook: Hook, delivery: IncomingDelivery, now: Date): Promise<VerifiedDelivery>
  interpret(delivery: VerifiedDelivery): Interpretation
}

/** Narrowing helpers for untyped JSON payloads. */
export function obj(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined
}
