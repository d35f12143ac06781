import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isSemverRange, satisfies, shouldFollow, tagMatches, trackRule } from '../../../shared/core/rollout/index.js'

describe('semver ranges', () => {
  it.each([
    ['1.2.3', '^1.2.0', true], ['2.0.0', '^1.2.0', false], ['1.1.9', '^1.2.0', false],
    ['0.2.5', '^0.2.1', true], ['0.3.0', '^0.2.1', false], ['0.0.3', '^0.0.3', true], ['0.0.4', '^0.0.3', false],
    ['1.2.9', '~1.2.3', true], ['1.3.0', '~1.2.3', false], ['1.9.0', '~1', true],
    ['1.4.0', '>=1.0.0 <2', true], ['2.0.0', '>=1.0.0 <2', false], ['0.9.0', '>=1.0.0 <2', false],
    ['1.7.1', '1.x', true], ['2.0.0', '1.x', false], ['1.2.7', '1.2.*', true], ['1.3.0', '1.2.*', false],
    ['v1.2.3', '^1', true], ['1.2', '^1.1', true], ['3.0.0', '^1 || ^3', true], ['2.5.0', '^1 || ^3', false],
    ['1.3.0', '1.2 - 1.4', true], ['1.4.9', '1.2 - 1.4', true], ['1.5.0', '1.2 - 1.4', false],
    ['1.3.0-rc.1', '^1.2.0', false], ['1.3.0-rc.2', '>=1.3.0-rc.1 <2', true], ['1.3.0', '>1.2.9', true],
    ['latest', '^1', false], ['main', '*', false],
  ])('%s in %s → %s', (tag, range, expected) => {
    expect(satisfies(tag, range)).toBe(expected)
  })

  it('tells ranges from tags and globs', () => {
    for (const r of ['^1', '~1.2', '>=1 <2', '1.x', '1.2.*', '^1 || ^2']) expect(isSemverRange(r)).toBe(true)
    for (const t of ['latest', '1.2.3', 'release-*', 'main', 'v2']) expect(isSemverRange(t)).toBe(false)
  })

  it('every version satisfies a caret range of itself and not the next major', () => {
    fc.assert(
      fc.property(fc.nat(50), fc.nat(50), fc.nat(50), (a, b, c) => {
        const v = `${a}.${b}.${c}`
        expect(satisfies(v, `^${v}`)).toBe(true)
        expect(satisfies(v, `~${v}`)).toBe(true)
        expect(satisfies(`${a + 1}.0.0`, `^${v}`)).toBe(false)
      }),
    )
  })
})

describe('track rules', () => {
  it('reads true as the image tag, globs, ranges and exact tags', () => {
    expect(trackRule('true', 'stable')).toEqual({ kind: 'exact', tag: 'stable' })
    expect(trackRule('true', undefined)).toEqual({ kind: 'exact', tag: 'latest' })
    expect(trackRule('release-*', 'x')).toEqual({ kind: 'glob', pattern: 'release-*' })
    expect(trackRule('*', 'x')).toEqual({ kind: 'glob', pattern: '*' })
    expect(trackRule('^1.2', 'x')).toEqual({ kind: 'semver', range: '^1.2' })
    expect(trackRule('main', 'x')).toEqual({ kind: 'exact', tag: 'main' })
    expect(tagMatches(trackRule('release-?', undefined), 'release-7')).toBe(true)
    expect(tagMatches(trackRule('release-?', undefined), 'release-17')).toBe(false)
    expect(tagMatches(trackRule('a.b*', undefined), 'aXb')).toBe(false)
  })

  it('follows newer versions only under a range', () => {
    expect(shouldFollow('^1', 'app:1.4.0', '1.5.0')).toBe(true)
    expect(shouldFollow('^1', 'app:1.4.0', '1.3.9')).toBe(false)
    expect(shouldFollow('^1', 'app:latest', '1.3.9')).toBe(true)
    expect(shouldFollow('true', 'app', 'latest')).toBe(true)
    expect(shouldFollow('true', 'app:1', '2')).toBe(false)
  })
})
