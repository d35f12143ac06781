import { StringDecoder } from 'node:string_decoder'

/** Splits a byte stream of newline-delimited JSON (engine events, stats) into parsed values. */
export async function* jsonLines(source: AsyncIterable<Buffer>): AsyncGenerator<unknown> {
  const decoder = new StringDecoder('utf8')
  let rest = ''
  for await (const chunk of source) {
    rest += decoder.write(chunk)
    let nl: number
    while ((nl = rest.indexOf('\n')) >= 0) {
      const text = rest.slice(0, nl).trim()
      rest = rest.slice(nl + 1)
      if (text) yield JSON.parse(text)
    }
  }
  rest += decoder.end()
  if (rest.trim()) yield JSON.parse(rest)
}
