/**
 * Lazily created SDK clients for the ECS backend. Nothing is constructed at import time: a
 * client is built on first use, once, with retries configured. Tests pass their own clients.
 */
import { ECSClient, type ECSClientConfig } from '@aws-sdk/client-ecs'
import { ECRClient } from '@aws-sdk/client-ecr'
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs'

/** Where SdkAwsGateway gets its clients; each getter returns the same client every time. */
export interface AwsClientSource {
  ecs(): ECSClient
  ecr(): ECRClient
  logs(): CloudWatchLogsClient
}

export interface AwsClientOptions {
  region: string
  /**
   * Attempts per call, the first included. The SDK retries throttling (with a 1 s backoff base)
   * and 5xx/transient errors (50 ms base), with jitter, and gives up after this many.
   * @default 5
   */
  maxAttempts?: number
  /**
   * 'standard' (exponential backoff with jitter) or 'adaptive' (adds a client-side rate limiter
   * that slows down after throttling; useful for one long-lived client, less so across many
   * short-lived Lambda instances, each with its own limiter).
   * @default 'standard'
   */
  retryMode?: 'standard' | 'adaptive'
  /** The HTTP layer under the SDK (tests put a fake AWS here to exercise the real retry path). */
  requestHandler?: ECSClientConfig['requestHandler']
}

function once<T>(make: () => T): () => T {
  let value: T | undefined
  return () => (value ??= make())
}

/** Clients built on first use with `maxAttempts` and `retryMode` set. */
export function lazyAwsClients(options: AwsClientOptions): AwsClientSource {
  const config = {
    region: options.region,
    maxAttempts: options.maxAttempts ?? 5,
    retryMode: options.retryMode ?? 'standard',
    ...(options.requestHandler ? { requestHandler: options.requestHandler } : {}),
  }
  return {
    ecs: once(() => new ECSClient(config)),
    ecr: once(() => new ECRClient(config)),
    logs: once(() => new CloudWatchLogsClient(config)),
  }
}

/** A source over clients that already exist (tests, or a caller that shares clients). */
export function fixedAwsClients(clients: { ecs: ECSClient; ecr: ECRClient; logs: CloudWatchLogsClient }): AwsClientSource {
  return { ecs: () => clients.ecs, ecr: () => clients.ecr, logs: () => clients.logs }
}
