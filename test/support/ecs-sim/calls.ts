/** Per-command call counters and failure injection for the simulated AWS APIs. */
import { randomUUID } from 'node:crypto'
import { ECSServiceException } from '@aws-sdk/client-ecs'

export type SimulatedCommand =
  | 'RegisterTaskDefinition'
  | 'DeregisterTaskDefinition'
  | 'DeleteTaskDefinitions'
  | 'RunTask'
  | 'StopTask'
  | 'DescribeTasks'
  | 'ListTasks'
  | 'DescribeImages'
  | 'DescribeRepositories'
  | 'GetLogEvents'

export type SimulatedService = 'ecs' | 'ecr' | 'logs'

const SERVICE_OF: Record<SimulatedCommand, SimulatedService> = {
  RegisterTaskDefinition: 'ecs',
  DeregisterTaskDefinition: 'ecs',
  DeleteTaskDefinitions: 'ecs',
  RunTask: 'ecs',
  StopTask: 'ecs',
  DescribeTasks: 'ecs',
  ListTasks: 'ecs',
  DescribeImages: 'ecr',
  DescribeRepositories: 'ecr',
  GetLogEvents: 'logs',
}

export interface Injection {
  error: unknown
  /** true: the call takes effect, then fails (a lost response). */
  afterEffect: boolean
  /** Awaited (with the call's output, when it took effect) before the failure surfaces. */
  beforeFailing?: (output: unknown) => Promise<void>
}

/** ECS's ThrottlingException ("Rate exceeded"), which the SDK models only as a service exception. */
export function throttlingException(): ECSServiceException {
  return new ECSServiceException({ name: 'ThrottlingException', $fault: 'client', message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } })
}

export class CallLog {
  private readonly counts = new Map<SimulatedCommand, number>()
  private readonly injections = new Map<SimulatedCommand, Injection[]>()

  /** Counts the call, applies an injected failure if one is queued, else returns the output. */
  async handle<T extends object>(command: SimulatedCommand, run: () => T): Promise<T & { $metadata: object }> {
    this.counts.set(command, (this.counts.get(command) ?? 0) + 1)
    const injection = this.injections.get(command)?.shift()
    if (injection && !injection.afterEffect) {
      await injection.beforeFailing?.(undefined)
      throw injection.error
    }
    const out = run()
    if (injection) {
      await injection.beforeFailing?.(out)
      throw injection.error
    }
    return { ...out, $metadata: { httpStatusCode: 200, requestId: randomUUID() } }
  }

  inject(command: SimulatedCommand, injection: Injection): void {
    const list = this.injections.get(command) ?? []
    list.push(injection)
    this.injections.set(command, list)
  }

  snapshot(): Partial<Record<SimulatedCommand, number>> {
    return Object.fromEntries(this.counts)
  }

  count(command: SimulatedCommand): number {
    return this.counts.get(command) ?? 0
  }

  total(service?: SimulatedService): number {
    let n = 0
    for (const [command, count] of this.counts) if (!service || SERVICE_OF[command] === service) n += count
    return n
  }

  reset(): void {
    this.counts.clear()
  }
}
