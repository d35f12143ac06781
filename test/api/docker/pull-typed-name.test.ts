import { describe, expect, it } from 'vitest'
import { typedName } from '../../../shared/api/docker/images-pull-push.js'

describe('typedName (the name before the CLI normalized it for a pull)', () => {
  it('drops docker.io/library/ from an official short name', () => {
    expect(typedName('docker.io/library/app')).toBe('app')
    expect(typedName('index.docker.io/library/busybox')).toBe('busybox')
  })
  it('drops docker.io/ from a user repository', () => {
    expect(typedName('docker.io/team/app')).toBe('team/app')
    expect(typedName('docker.io/library/a/b')).toBe('library/a/b')
  })
  it('keeps any other registry as written', () => {
    expect(typedName('111122223333.dkr.ecr.us-east-1.amazonaws.com/fargated/default/app')).toBe('111122223333.dkr.ecr.us-east-1.amazonaws.com/fargated/default/app')
    expect(typedName('localhost:5000/busybox')).toBe('localhost:5000/busybox')
    expect(typedName('app')).toBe('app')
  })
})
