/**
 * Renders a CloudFormation value (Fn::Join, Ref, Fn::GetAtt) to a readable string, e.g.
 * `arn:${AWS::Partition}:ecs:${AWS::Region}:…`, so tests can compare whole strings.
 */
export function render(value: unknown): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number') return String(value)
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>
    if ('Ref' in v) return `\${${String(v.Ref)}}`
    if ('Fn::GetAtt' in v) return `\${${(v['Fn::GetAtt'] as string[]).join('.')}}`
    if ('Fn::Join' in v) {
      const [sep, parts] = v['Fn::Join'] as [string, unknown[]]
      return parts.map(render).join(sep)
    }
    if ('Fn::Sub' in v && typeof v['Fn::Sub'] === 'string') return v['Fn::Sub']
  }
  return JSON.stringify(value)
}
