/**
 * The request checks ECS makes that fargated's translation could get wrong (aws-facts §2.1,
 * §2.2, §2.7, §1.1), answered with the exceptions ECS uses.
 */
import {
  ClientException,
  InvalidParameterException,
  type RegisterTaskDefinitionCommandInput,
  type RunTaskCommandInput,
  type Tag,
} from '@aws-sdk/client-ecs'
import { isValidSize } from '../../../shared/core/fargate-sizes.js'

const meta = { $metadata: {} }
const NAME = /^[A-Za-z0-9_-]{1,255}$/
const OVERRIDES_MAX = 8192

function invalid(message: string): InvalidParameterException {
  return new InvalidParameterException({ message, ...meta })
}

function checkTags(tags: Tag[] | undefined): void {
  if (!tags) return
  if (tags.length > 50) throw invalid('Tags cannot be more than 50.')
  for (const t of tags) {
    if (!t.key || t.key.length > 128) throw invalid('Tag keys must be 1-128 characters.')
    if ((t.value ?? '').length > 256) throw invalid('Tag values must be at most 256 characters.')
    if (t.key.toLowerCase().startsWith('aws:')) throw invalid('Tag keys may not start with "aws:".')
  }
}

export function checkTaskDefinition(input: RegisterTaskDefinitionCommandInput): void {
  if (!input.family || !NAME.test(input.family)) throw new ClientException({ message: 'Family contains invalid characters.', ...meta })
  const containers = input.containerDefinitions ?? []
  if (containers.length === 0) throw new ClientException({ message: 'Container definitions are required.', ...meta })
  if (!input.requiresCompatibilities?.includes('FARGATE') || input.networkMode !== 'awsvpc') {
    throw new ClientException({ message: 'Fargate requires requiresCompatibilities FARGATE and networkMode awsvpc.', ...meta })
  }
  const size = { cpu: Number(input.cpu), memory: Number(input.memory) }
  if (!isValidSize(size)) throw new ClientException({ message: `No Fargate configuration exists for given values: ${input.cpu} CPU, ${input.memory} memory.`, ...meta })
  for (const c of containers) {
    if (!c.name || !NAME.test(c.name) || !c.image) throw new ClientException({ message: 'Container definition name and image are required.', ...meta })
    const log = c.logConfiguration
    if (log?.logDriver === 'awslogs' && !(log.options?.['awslogs-group'] && log.options['awslogs-region'] && log.options['awslogs-stream-prefix'])) {
      throw new ClientException({ message: 'Log driver awslogs requires options: awslogs-group, awslogs-region, awslogs-stream-prefix.', ...meta })
    }
    if (c.stopTimeout !== undefined && (c.stopTimeout < 0 || c.stopTimeout > 120)) throw invalid('stopTimeout must be 0-120 on Fargate.')
  }
  checkTags(input.tags)
}

export function checkRunTask(input: RunTaskCommandInput): void {
  if (input.clientToken !== undefined && !/^[\x21-\x7e]{1,64}$/.test(input.clientToken)) throw invalid('clientToken must be 1-64 ASCII characters 33-126.')
  if (input.launchType && input.capacityProviderStrategy?.length) throw invalid('Specifying both a launch type and capacity provider strategy is not supported.')
  if ((input.count ?? 1) < 1 || (input.count ?? 1) > 10) throw invalid('count must be 1-10.')
  if (input.startedBy !== undefined && !/^[A-Za-z0-9/_-]{1,128}$/.test(input.startedBy)) throw invalid('startedBy must be at most 128 letters, digits, hyphens, slashes and underscores.')
  if (!input.networkConfiguration?.awsvpcConfiguration?.subnets?.length) {
    throw invalid("Network Configuration must be provided when networkMode 'awsvpc' is specified.")
  }
  if (input.overrides && JSON.stringify(input.overrides).length > OVERRIDES_MAX) throw invalid(`Container Overrides length must be at most ${OVERRIDES_MAX}`)
  if (input.propagateTags === 'SERVICE') throw invalid('propagateTags SERVICE is not valid for RunTask.')
  checkTags(input.tags)
}
