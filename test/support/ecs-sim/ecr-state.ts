/** The simulated ECR: a few seeded repositories with tag → digest (DescribeImages, DescribeRepositories). */
import { createHash } from 'node:crypto'
import {
  ImageNotFoundException,
  RepositoryNotFoundException,
  type DescribeImagesCommandInput,
  type DescribeImagesCommandOutput,
  type DescribeRepositoriesCommandInput,
  type DescribeRepositoriesCommandOutput,
  type ImageDetail,
} from '@aws-sdk/client-ecr'

const meta = { $metadata: {} }
type Out<T> = Omit<T, '$metadata'>

interface Repository {
  name: string
  uri: string
  images: ImageDetail[]
}

export class EcrState {
  private readonly repositories = new Map<string, Repository>()

  constructor(private readonly registry: string, private readonly account: string, private readonly region: string) {}

  /**
   * Adds (or moves) `tag` in `repositoryName` to `digest` (default: derived from repo and tag)
   * and returns the digest.
   */
  seed(repositoryName: string, tag: string, digest = `sha256:${createHash('sha256').update(`${repositoryName}:${tag}`).digest('hex')}`): string {
    const repo = this.repositories.get(repositoryName) ?? { name: repositoryName, uri: `${this.registry}/${repositoryName}`, images: [] }
    this.repositories.set(repositoryName, repo)
    for (const image of repo.images) image.imageTags = image.imageTags?.filter((t) => t !== tag)
    const existing = repo.images.find((i) => i.imageDigest === digest)
    if (existing) existing.imageTags = [...(existing.imageTags ?? []), tag]
    else {
      repo.images.push({
        registryId: this.account,
        repositoryName,
        imageDigest: digest,
        imageTags: [tag],
        imageSizeInBytes: 1_000_000,
        imagePushedAt: new Date('2025-01-01T00:00:00Z'),
        imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      })
    }
    return digest
  }

  describeImages(input: DescribeImagesCommandInput): Out<DescribeImagesCommandOutput> {
    const repo = input.repositoryName ? this.repositories.get(input.repositoryName) : undefined
    if (!repo) {
      throw new RepositoryNotFoundException({ message: `The repository with name '${input.repositoryName}' does not exist in the registry with id '${this.account}'`, ...meta })
    }
    if (!input.imageIds?.length) {
      const start = input.nextToken ? Number(input.nextToken) : 0
      const size = input.maxResults ?? 100
      const page = repo.images.slice(start, start + size).map((i) => structuredClone(i))
      return { imageDetails: page, ...(start + size < repo.images.length ? { nextToken: String(start + size) } : {}) }
    }
    const details: ImageDetail[] = []
    for (const id of input.imageIds) {
      const found = repo.images.find((i) => (id.imageDigest ? i.imageDigest === id.imageDigest : i.imageTags?.includes(id.imageTag ?? '')))
      if (!found) {
        const what = id.imageDigest ? `imageDigest=${id.imageDigest}` : `imageTag=${id.imageTag}`
        throw new ImageNotFoundException({ message: `The image with imageId {${what}} does not exist within the repository with name '${repo.name}'`, ...meta })
      }
      details.push(structuredClone(found))
    }
    return { imageDetails: details }
  }

  describeRepositories(input: DescribeRepositoriesCommandInput): Out<DescribeRepositoriesCommandOutput> {
    const all = [...this.repositories.values()].filter((r) => !input.repositoryNames || input.repositoryNames.includes(r.name))
    return {
      repositories: all.map((r) => ({
        repositoryName: r.name,
        repositoryUri: r.uri,
        registryId: this.account,
        repositoryArn: `arn:aws:ecr:${this.region}:${this.account}:repository/${r.name}`,
      })),
    }
  }
}
