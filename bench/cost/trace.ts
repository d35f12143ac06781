import { z } from 'zod'

/** Seconds between samples when a trace line does not say. */
export const DEFAULT_STEP = 60

/** [t (unix s), CPU demand in vCPU, memory demand in MiB, network rx+tx bytes/s], describing [t, t + step). */
export const TraceSampleSchema = z.tuple([z.number(), z.number().nonnegative(), z.number().nonnegative(), z.number().nonnegative()])
export type TraceSample = z.infer<typeof TraceSampleSchema>

/**
 * One line of a trace: one run of a container as it happened with no policy. Lines that share a
 * `name` are successive runs of the same container (a nightly job), so usage history and
 * recommendations carry over between them.
 */
export const TraceContainerSchema = z
  .strictObject({
    name: z.string().min(1),
    platform: z.enum(['linux/amd64', 'linux/arm64']),
    capacity: z.enum(['on-demand', 'spot']),
    /** What the user asked for: vCPU and MiB, rounded up to a Fargate size like `--cpus`/`--memory`. */
    requested: z.strictObject({ cpu: z.number().positive().max(16), memory: z.number().positive().max(122880) }),
    /** fargated.* policy labels (and any others). */
    labels: z.record(z.string(), z.string()).default({}),
    start: z.number(),
    /** Exit time; null runs to the end of the trace window. */
    end: z.number().nullable(),
    /** Seconds between samples. */
    step: z.number().positive().default(DEFAULT_STEP),
    /**
     * Who starts the container after an idle stop: `user` (someone comes back and starts it;
     * their work waits for the start) or `none` (nobody: activity while stopped is lost).
     */
    wake: z.enum(['user', 'none']).default('user'),
    /** Planned restarts (redeploys) in both worlds: fargated applies `sizing` at each. */
    restarts: z.array(z.number()).default([]),
    samples: z.array(TraceSampleSchema),
  })
  .superRefine((c, ctx) => {
    if (c.end !== null && c.end <= c.start) ctx.addIssue({ code: 'custom', message: 'end must be after start' })
    for (let i = 0; i < c.samples.length; i++) {
      const t = c.samples[i][0]
      if (t < c.start || (c.end !== null && t >= c.end)) ctx.addIssue({ code: 'custom', message: `sample ${i} at ${t} is outside [start, end)` })
      if (i > 0 && t <= c.samples[i - 1][0]) ctx.addIssue({ code: 'custom', message: `sample ${i} is not after sample ${i - 1}` })
      if (ctx.issues?.length) return
    }
  })
export type TraceContainer = z.output<typeof TraceContainerSchema>
export type TraceContainerInput = z.input<typeof TraceContainerSchema>

export interface TraceWindow {
  start: number
  end: number
}

/** Parses JSON Lines (blank lines skipped); errors name the line. */
export function parseTrace(text: string): TraceContainer[] {
  const out: TraceContainer[] = []
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return
    let json: unknown
    try {
      json = JSON.parse(line)
    } catch (e) {
      throw new Error(`trace line ${i + 1}: ${(e as Error).message}`)
    }
    const parsed = TraceContainerSchema.safeParse(json)
    if (!parsed.success) throw new Error(`trace line ${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join('.') || '(line)'}: ${x.message}`).join('; ')}`)
    out.push(parsed.data)
  })
  return out
}

export function formatTrace(containers: readonly TraceContainerInput[]): string {
  return containers.map((c) => JSON.stringify(c)).join('\n') + '\n'
}

/** From the first start to the last end, where an open line ends one step after its last sample. */
export function traceWindow(trace: readonly TraceContainer[]): TraceWindow {
  if (trace.length === 0) return { start: 0, end: 0 }
  const start = Math.min(...trace.map((c) => c.start))
  const end = Math.max(...trace.map((c) => c.end ?? (c.samples.length ? c.samples[c.samples.length - 1][0] + c.step : c.start + c.step)))
  return { start, end }
}
