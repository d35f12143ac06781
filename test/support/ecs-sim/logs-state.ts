/**
 * The simulated CloudWatch Logs: one list of events per (group, stream), read with
 * GetLogEvents. Tokens are `f/<index>` (forward) and `b/<index>` (backward); as in AWS they are
 * never absent, and the end of a forward read is a page that hands back the token it was sent
 * (aws-facts §5.2).
 */
import {
  InvalidParameterException,
  ResourceNotFoundException,
  type GetLogEventsCommandInput,
  type GetLogEventsCommandOutput,
} from '@aws-sdk/client-cloudwatch-logs'
import type { LogTarget } from './sim-task.js'

const meta = { $metadata: {} }
const MAX_EVENTS = 10_000

export interface StoredLogEvent {
  timestamp: number
  message: string
  ingestionTime: number
}

export class LogsState {
  readonly streams = new Map<string, StoredLogEvent[]>()

  /** @param pageSize at most this many events per page (smaller than 10,000 to exercise paging). */
  constructor(private readonly pageSize = MAX_EVENTS) {}

  private key(group: string, stream: string): string {
    return `${group}\u0000${stream}`
  }

  append(target: LogTarget, message: string, timeMs: number): void {
    const key = this.key(target.group, target.stream)
    const events = this.streams.get(key) ?? []
    events.push({ timestamp: timeMs, message, ingestionTime: timeMs })
    this.streams.set(key, events)
  }

  /** The messages of one stream, oldest first (for assertions). */
  messages(group: string, stream: string): string[] {
    return (this.streams.get(this.key(group, stream)) ?? []).map((e) => e.message)
  }

  getLogEvents(input: GetLogEventsCommandInput): Omit<GetLogEventsCommandOutput, '$metadata'> {
    const events = input.logGroupName && input.logStreamName ? this.streams.get(this.key(input.logGroupName, input.logStreamName)) : undefined
    if (!events) throw new ResourceNotFoundException({ message: 'The specified log stream does not exist.', ...meta })
    const limit = input.limit ?? MAX_EVENTS
    if (limit < 1 || limit > MAX_EVENTS) throw new InvalidParameterException({ message: 'limit must be 1-10000', ...meta })
    const size = Math.min(limit, this.pageSize)
    const window = events.filter((e) => (input.startTime === undefined || e.timestamp >= input.startTime) && (input.endTime === undefined || e.timestamp < input.endTime))
    const token = input.nextToken ? /^(f|b)\/(\d+)$/.exec(input.nextToken) : undefined
    if (input.nextToken && !token) throw new InvalidParameterException({ message: 'The specified nextToken is invalid.', ...meta })
    if (token?.[1] === 'f' && input.startFromHead !== true) {
      throw new InvalidParameterException({ message: 'A forward token requires startFromHead to be true.', ...meta })
    }
    let from: number
    let to: number
    if (token?.[1] === 'f' || (!token && input.startFromHead)) {
      from = token ? Math.min(Number(token[2]), window.length) : 0
      to = Math.min(from + size, window.length)
    } else {
      to = token ? Math.min(Number(token[2]), window.length) : window.length
      from = Math.max(0, to - size)
    }
    return {
      events: window.slice(from, to).map((e) => ({ ...e })),
      nextForwardToken: `f/${to}`,
      nextBackwardToken: `b/${from}`,
    }
  }
}
