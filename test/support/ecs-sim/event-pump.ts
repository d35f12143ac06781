/**
 * EventBridge for the simulator: a background loop that ticks the simulated tasks and delivers
 * every state-change event, in order, to `deliver` (tests parse it with parseTaskStateChange and
 * apply it with ContainerService.observe, as functions/events.ts does).
 */
import type { EcsSimulator, TaskStateChangeEvent } from '../ecs-simulator.js'

export interface EventPump {
  /** Resolves after a full tick-and-deliver cycle, started after the call, had nothing to do. */
  settle(): Promise<void>
  /** Holds delivery (events queue up) until resume(); ticks go on. */
  pause(): void
  resume(): void
  /** Errors thrown by `deliver` (the pump keeps going, as EventBridge would retry elsewhere). */
  readonly errors: unknown[]
  stop(): Promise<void>
}

export function startEventPump(sim: EcsSimulator, deliver: (event: TaskStateChangeEvent) => Promise<void>, options: { intervalMs?: number } = {}): EventPump {
  const interval = options.intervalMs ?? 10
  const errors: unknown[] = []
  let waiters: { cycle: number; resolve: () => void }[] = []
  let cycle = 0
  let stopped = false
  let paused = false

  async function once(): Promise<boolean> {
    const changed = sim.tick()
    if (paused) return false
    const events = sim.drainEvents()
    for (const event of events) {
      try {
        await deliver(event)
      } catch (err) {
        errors.push(err)
      }
    }
    return changed === 0 && events.length === 0
  }

  const loop = (async () => {
    while (!stopped) {
      const started = ++cycle
      const quiet = await once()
      if (quiet) {
        const ready = waiters.filter((w) => w.cycle < started)
        waiters = waiters.filter((w) => w.cycle >= started)
        for (const w of ready) w.resolve()
      }
      await new Promise((r) => setTimeout(r, interval))
    }
    for (const w of waiters) w.resolve()
  })()

  return {
    errors,
    settle: () => new Promise<void>((resolve) => {
      if (stopped) return resolve()
      waiters.push({ cycle, resolve })
    }),
    pause: () => {
      paused = true
    },
    resume: () => {
      paused = false
    },
    async stop() {
      stopped = true
      await loop
    },
  }
}
