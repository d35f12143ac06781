/**
 * The tiny shell the simulated tasks "run": enough for lifecycle tests, nothing more.
 *
 * A command is `sh -c "<script>"` (or a bare command such as `sleep 300`, `echo hi`, `true`);
 * the script is `;`- or newline-separated steps among:
 * - `echo TEXT` (a stdout line), `echo TEXT >&2` (a stderr line; awslogs merges both),
 * - `sleep N` (N seconds, fractions allowed, of the simulator's clock),
 * - `exit N`, `true`, `false`, `:`.
 * Anything else logs `sh: <word>: not found` and sets status 127, as a shell would.
 */
export type Step =
  | { kind: 'echo'; text: string; stream: 'stdout' | 'stderr' }
  | { kind: 'sleep'; seconds: number }
  | { kind: 'exit'; code: number }
  | { kind: 'status'; code: number }
  | { kind: 'unknown'; word: string }

function unquote(text: string): string {
  const t = text.trim()
  if (t.length >= 2 && (t[0] === '"' || t[0] === "'") && t.at(-1) === t[0]) return t.slice(1, -1)
  return t
}

function parseStep(raw: string): Step | undefined {
  const step = raw.trim()
  if (!step) return undefined
  const [word, ...rest] = step.split(/\s+/)
  const arg = step.slice(word.length).trim()
  switch (word) {
    case 'echo': {
      const toStderr = /\s*1?>&2\s*$/.test(arg)
      return { kind: 'echo', text: unquote(arg.replace(/\s*1?>&2\s*$/, '')), stream: toStderr ? 'stderr' : 'stdout' }
    }
    case 'sleep': {
      const seconds = Number(rest[0])
      return Number.isFinite(seconds) && seconds >= 0 ? { kind: 'sleep', seconds } : { kind: 'unknown', word: step }
    }
    case 'exit':
      return { kind: 'exit', code: rest[0] === undefined ? 0 : Number(rest[0]) & 0xff }
    case 'true':
    case ':':
      return { kind: 'status', code: 0 }
    case 'false':
      return { kind: 'status', code: 1 }
    default:
      return { kind: 'unknown', word }
  }
}

/** The steps of a script (`a; b; c`). */
export function parseScript(script: string): Step[] {
  return script.split(/[;\n]/).flatMap((s) => {
    const step = parseStep(s)
    return step ? [step] : []
  })
}

/** The steps a container command runs: `sh -c "<script>"` or one bare command. */
export function parseCommand(command: string[] | undefined): Step[] {
  if (!command?.length) return []
  if ((command[0] === 'sh' || command[0] === '/bin/sh') && command[1] === '-c') return parseScript(command[2] ?? '')
  return parseScript(command.map((a) => (/\s/.test(a) ? `"${a}"` : a)).join(' '))
}
