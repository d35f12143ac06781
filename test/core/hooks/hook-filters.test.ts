import { describe, expect, it } from 'vitest'
import { filterMismatch } from '../../../shared/core/hooks/index.js'

describe('hook filters', () => {
  const t = { event: 'workflow_run', repo: 'Acme/App', branch: 'release/1.2', workflow: 'build and push', tag: '1.2.3' }
  it('passes when every given filter matches', () => {
    expect(filterMismatch({}, t)).toBeUndefined()
    expect(filterMismatch({ repo: 'acme/*', branch: 'release/*', event: ['push', 'workflow_run'], workflow: 'build*', tag: '^1.2' }, t)).toBeUndefined()
  })
  it('says which filter failed', () => {
    expect(filterMismatch({ event: 'push' }, t)).toBe('event workflow_run is not push')
    expect(filterMismatch({ branch: 'main' }, t)).toBe('branch release/1.2 does not match main')
    expect(filterMismatch({ tag: '>=2' }, t)).toBe('tag 1.2.3 does not match >=2')
    expect(filterMismatch({ tag: 'v*' }, { event: 'push' })).toBe('the delivery has no tag (the hook filters on tag v*)')
  })
})
