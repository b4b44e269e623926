/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time by function and by area.
 * Usage: node dist/bench/profile-summary.js <file.cpuprofile> [top=25]
 */
import { readFileSync } from 'node:fs'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}

interface CpuProfile {
  nodes: ProfileNode[]
  startTime: number
  endTime: number
  samples: number[]
  timeDeltas: number[]
}

/** Which part of the stack a function belongs to, from its script URL (or name, for V8's pseudo-frames). */
export function areaOf(url: string, functionName: string): string {
  if (!url) {
    if (functionName === '(garbage collector)') return 'GC'
    if (functionName === '(idle)') return 'idle'
    if (functionName === '(program)') return 'V8/program'
    if (/^validate\d+$/.test(functionName)) return 'AJV (generated validators)'
    return 'native/builtin'
  }
  const rules: [RegExp, string][] = [
    [/actions-core\/dist\/cjs\/mapping-kit\//, 'actions-core mapping-kit'],
    [/actions-core\/dist\/cjs\/(get|real-type-of|remove-undefined|arrify)\.js/, 'actions-core mapping-kit'],
    [/actions-core\/dist\/cjs\/(schema-validation|remove-empty-values)\.js/, 'actions-core validation glue'],
    [
      /actions-core\/dist\/cjs\/(request-client|create-request-client|fetch)\.js|actions-core\/dist\/cjs\/middleware\//,
      'actions-core request client'
    ],
    [/actions-core\/dist\/cjs\/destination-kit\//, 'actions-core destination-kit'],
    [/node_modules\/(ajv|ajv-formats|fast-uri|ajv-human-errors)\//, 'AJV'],
    [/node_modules\/(node-fetch|cross-fetch|whatwg-url|tr46|webidl-conversions)\//, 'node-fetch'],
    [/node_modules\/@segment\/destination-subscriptions\//, 'FQL (destination-subscriptions)'],
    [/node_modules\//, 'other dependencies'],
    [/dist\/lib\/user-data\//, 'ours: user-data normalise + hash'],
    [/dist\/lib\/capi-event\//, 'ours: capi-event build'],
    [/dist\/lib\/delivery\.js|dist\/lib\/meta-errors\.js|dist\/lib\/retry-after\.js/, 'ours: delivery'],
    [/dist\/destinations\//, 'ours: destination (send, graph)'],
    [/dist\/runner\//, 'ours: runner engine'],
    [/dist\/bench\//, 'bench harness'],
    [
      /^node:internal\/(http|_http|net|streams|stream|dns|tls)|^node:(http|net|_http)|internal\/deps\/undici/,
      'node HTTP/net/streams'
    ],
    [/^node:/, 'node internals (other)']
  ]
  return rules.find(([pattern]) => pattern.test(url))?.[1] ?? 'other'
}

export function summarise(profile: CpuProfile): {
  totalMs: number
  byFunction: { name: string; area: string; ms: number }[]
  byArea: { area: string; ms: number }[]
} {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const selfUs = new Map<number, number>()
  profile.samples.forEach((id, index) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)))
  const functions = new Map<string, { name: string; area: string; ms: number }>()
  const areas = new Map<string, number>()
  let totalUs = 0
  for (const [id, us] of selfUs) {
    const node = byId.get(id)
    if (!node) continue
    const { functionName, url, lineNumber } = node.callFrame
    const area = areaOf(url, functionName)
    const shortUrl = url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/dist\//, 'dist/')
    const name = `${functionName || '(anonymous)'} ${shortUrl ? `${shortUrl}:${lineNumber + 1}` : ''}`.trim()
    const entry = functions.get(name) ?? { name, area, ms: 0 }
    entry.ms += us / 1000
    functions.set(name, entry)
    areas.set(area, (areas.get(area) ?? 0) + us / 1000)
    totalUs += us
  }
  return {
    totalMs: totalUs / 1000,
    byFunction: [...functions.values()].sort((a, b) => b.ms - a.ms),
    byArea: [...areas.entries()].map(([area, ms]) => ({ area, ms })).sort((a, b) => b.ms - a.ms)
  }
}

function main(): void {
  const [file, topArg] = process.argv.slice(2)
  if (!file) {
    process.stderr.write('usage: node dist/bench/profile-summary.js <file.cpuprofile> [top]\n')
    process.exitCode = 2
    return
  }
  const top = Number(topArg ?? 25)
  const { totalMs, byFunction, byArea } = summarise(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile)
  const busyMs = totalMs - (byArea.find((entry) => entry.area === 'idle')?.ms ?? 0)
  const pct = (ms: number) => `${((ms / busyMs) * 100).toFixed(1).padStart(5)} %`
  const out = (line: string) => process.stdout.write(`${line}\n`)
  out(`profile ${file}: ${(totalMs / 1000).toFixed(2)} s sampled, ${(busyMs / 1000).toFixed(2)} s busy (not idle)`)
  out('')
  out('Self time by area (% of busy time)')
  for (const { area, ms } of byArea) if (area !== 'idle') out(`  ${pct(ms)}  ${ms.toFixed(0).padStart(7)} ms  ${area}`)
  out('')
  out(`Top ${top} functions by self time`)
  for (const { name, area, ms } of byFunction.filter((entry) => entry.area !== 'idle').slice(0, top)) {
    out(`  ${pct(ms)}  ${ms.toFixed(0).padStart(7)} ms  ${name}  [${area}]`)
  }
}

if (require.main === module) main()
