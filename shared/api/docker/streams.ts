const encoder = new TextEncoder()

/** Produces a streamed body's chunks; `signal` fires when the client goes away. */
export type Producer = (signal: AbortSignal) => AsyncIterable<Uint8Array | string>

/**
 * A pull-based response body. Nothing is produced until the server reads, and a producer that
 * is still waiting (wait, follow, events) leaves the body empty, so @hono/node-server sends
 * and flushes the headers at once (docker-engine-api §3). When the client disconnects (the
 * reader cancels or the request aborts) the producer's signal aborts and it is closed.
 */
export function streamBody(produce: Producer, requestSignal?: AbortSignal): ReadableStream<Uint8Array> {
  const abort = new AbortController()
  const onAbort = () => abort.abort()
  requestSignal?.addEventListener('abort', onAbort, { once: true })
  let iterator: AsyncIterator<Uint8Array | string> | undefined
  const finish = () => requestSignal?.removeEventListener('abort', onAbort)
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      iterator ??= produce(abort.signal)[Symbol.asyncIterator]()
      try {
        const next = await iterator.next()
        if (next.done) {
          finish()
          controller.close()
          return
        }
        controller.enqueue(typeof next.value === 'string' ? encoder.encode(next.value) : next.value)
      } catch (err) {
        finish()
        if (abort.signal.aborted) controller.close()
        else controller.error(err)
      }
    },
    cancel() {
      finish()
      abort.abort()
      void iterator?.return?.()?.catch(() => undefined)
    },
  })
}


/** One line of a progress stream (pull, push), ended with `\r\n` as the engine does. */
export function progressLine(value: unknown): string {
  return `${JSON.stringify(value)}\r\n`
}

/** An in-stream error: the CLI prints `message` and exits 1 although the status was 200. */
export function progressError(message: string): string {
  return progressLine({ errorDetail: { message }, error: message })
}
