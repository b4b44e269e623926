/**
 * `npm run bench`: throughput, CPU and memory of the Meta Pixel destination against the sandbox (in a child
 * process on 127.0.0.1), with two floors measured in the same run so the figures read as ratios.
 * Prints figures only; nothing here is a pass/fail test.
 *
 * Options: --runs 5  --events 10000  --perform-events 2000  --memory-events 100000  --engine-concurrency 0 (Engine default)
 * --concurrency-events 10000  --experiment-events 2000  --experiment-rounds 3  --no-floors  --only a,b  (sections: batched, perform, experiments, memory, concurrency, e2e, hostile).
 * hostile: --hostile-mb 1,4 (a string of that many MB in one user-controlled field at a time, through Engine.map).
 * e2e: --e2e-sizes 100000,1000000 (10000000 too: its ~11 GB input is generated and deleted)  --segment-events 20000  --segment-concurrency 50  --e2e-workers N  --e2e-concurrency N.
 */
import os from 'node:os'
import type { SegmentEvent } from '@segment/actions-core'
import { orderCompletedEvents } from './events'
import { countDirectives, mappingOnly, mappingVariants, validationOnly, variantFloor } from './experiments'
import {
  collectGarbage,
  cpuPerEvent,
  eventsPerSecond,
  formatNumber,
  insideCpuPerEvent,
  insideWallPerEvent,
  mebibytes,
  median,
  requestsPerEvent,
  RssSampler,
  table
} from './measure'
import type { Sample } from './measure'
import { parseFql } from '@segment/destination-subscriptions'
import { DEFAULT_CONCURRENCY } from '../src/runner/engine'
import { endToEndWorkFloor, runEndToEnd } from './end-to-end'
import type { EndToEndOptions } from './end-to-end'
import { printEndToEnd } from './end-to-end-report'
import { runHostile } from './hostile'
import type { HostileRow } from './hostile'
import { SandboxChild } from './sandbox-client'
import type { SandboxStats } from './sandbox-client'
import {
  batchedEndToEnd,
  engineSend,
  frameworkFloor,
  mappedPayloads,
  newEngine,
  performEndToEnd,
  purchasePreset,
  requestFloor,
  workFloor
} from './scenarios'

const SECTIONS = ['batched', 'perform', 'experiments', 'memory', 'concurrency', 'e2e', 'hostile'] as const
type Section = (typeof SECTIONS)[number]

interface Options {
  runs: number
  events: number
  performEvents: number
  memoryEvents: number
  memoryChunk: number
  /** Engine concurrency for the memory run; 0 = the Engine's default. The concurrency section always uses the default. */
  engineConcurrency: number
  concurrencyEvents: number
  experimentEvents: number
  experimentRounds: number
  /** Skip the floors in the batched section, e.g. to profile the end-to-end path alone. */
  noFloors: boolean
  sections: Set<Section>
  endToEnd: EndToEndOptions
  hostileMb: number[]
}

function parseOptions(argv: string[]): Options {
  const value = (name: string, fallback: number, minimum = 1): number => {
    const index = argv.indexOf(`--${name}`)
    if (index === -1) return fallback
    const parsed = Number(argv[index + 1])
    if (!Number.isInteger(parsed) || parsed < minimum) throw new Error(`--${name} needs an integer ≥ ${minimum}`)
    return parsed
  }
  const onlyIndex = argv.indexOf('--only')
  const only = onlyIndex === -1 ? [...SECTIONS] : (argv[onlyIndex + 1] ?? '').split(',')
  const unknown = only.filter((name) => !(SECTIONS as readonly string[]).includes(name))
  if (unknown.length > 0) throw new Error(`unknown section ${unknown.join(', ')}; known: ${SECTIONS.join(', ')}`)
  return {
    runs: value('runs', 5),
    events: value('events', 10_000),
    performEvents: value('perform-events', 2_000),
    memoryEvents: value('memory-events', 100_000),
    memoryChunk: value('memory-chunk', 10_000),
    engineConcurrency: value('engine-concurrency', 0, 0),
    concurrencyEvents: value('concurrency-events', 10_000),
    experimentEvents: value('experiment-events', 2_000),
    experimentRounds: value('experiment-rounds', 3),
    noFloors: argv.includes('--no-floors'),
    sections: new Set(only as Section[]),
    hostileMb: listOf(argv, 'hostile-mb', [1, 4]),
    endToEnd: {
      sizes: listOf(argv, 'e2e-sizes', [100_000, 1_000_000]),
      segmentEvents: value('segment-events', 20_000),
      segmentConcurrency: value('segment-concurrency', 50),
      workers: argv.includes('--e2e-workers') ? value('e2e-workers', 0, 0) : undefined,
      concurrency: argv.includes('--e2e-concurrency') ? value('e2e-concurrency', 4) : undefined
    }
  }
}

function listOf(argv: string[], name: string, fallback: number[]): number[] {
  const index = argv.indexOf(`--${name}`)
  if (index === -1) return fallback
  const values = (argv[index + 1] ?? '').split(',').map(Number)
  if (values.some((size) => !Number.isInteger(size) || size < 1)) throw new Error(`--${name} needs integers ≥ 1`)
  return values
}

const log = (line = '') => process.stdout.write(`${line}\n`)
const fmt = formatNumber

interface RunSamples {
  framework: Sample[]
  work: Sample[]
  batched: Sample[]
  perform: Sample[]
  requestFloor: Sample[]
  sandboxBatchedRequests: number[]
  sandboxPerformRequests: number[]
  sandboxCpuPerBatchedEvent: number[]
  mappingOnly: Sample[]
  validationOnly: Sample[]
  variants: Map<string, Sample[]>
}

/** CPU µs of one parseFql, as Destination.onSubscription does per event. */
function fqlParseMicros(subscribe: string, times = 3_000): number {
  for (let i = 0; i < 500; i++) parseFql(subscribe)
  const started = process.cpuUsage()
  for (let i = 0; i < times; i++) parseFql(subscribe)
  const used = process.cpuUsage(started)
  return (used.user + used.system) / times
}

function rotate<T>(items: T[], by: number): T[] {
  const shift = by % items.length
  return [...items.slice(shift), ...items.slice(0, shift)]
}

function medianOf(samples: Sample[], metric: (sample: Sample) => number): number {
  return median(samples.map(metric))
}

async function delta(sandbox: SandboxChild, work: () => Promise<Sample>) {
  const before = await sandbox.stats()
  const sample = await work()
  const after = await sandbox.stats()
  return { sample, sandbox: { requests: after.requests - before.requests, cpuUs: after.cpuUs - before.cpuUs } }
}

function machineFacts(): string[] {
  const cpus = os.cpus()
  return [
    `date        ${new Date().toISOString()}`,
    `node        ${process.version} (${process.platform} ${process.arch})`,
    `cpus        ${os.availableParallelism()} × ${cpus[0]?.model.trim() ?? 'unknown'}`,
    `memory      ${mebibytes(os.totalmem())} total`,
    `load        ${os
      .loadavg()
      .map((load) => load.toFixed(2))
      .join(' ')} (1/5/15 min, at start)`
  ]
}

async function runRepeated(options: Options, sandbox: SandboxChild): Promise<RunSamples> {
  const { mapping, subscribe } = purchasePreset()
  const samples: RunSamples = {
    framework: [],
    work: [],
    batched: [],
    perform: [],
    requestFloor: [],
    sandboxBatchedRequests: [],
    sandboxPerformRequests: [],
    sandboxCpuPerBatchedEvent: [],
    mappingOnly: [],
    validationOnly: [],
    variants: new Map()
  }
  const variants = mappingVariants(mapping)
  const wants = options.sections
  if (!wants.has('batched') && !wants.has('perform') && !wants.has('experiments')) return samples

  // Warm-up: JIT, AJV schema compilation, keep-alive sockets. Not reported.
  const warm = orderCompletedEvents(2_000, 999)
  if (wants.has('batched')) {
    if (!options.noFloors) {
      await frameworkFloor(warm, mapping)
      await workFloor(await mappedPayloads(warm, mapping))
    }
    await batchedEndToEnd(warm, mapping)
  }
  if (wants.has('perform')) {
    await performEndToEnd(warm.slice(0, 300), { subscribe, mapping })
    await requestFloor(await mappedPayloads(warm.slice(0, 300), mapping), 300)
  }
  if (wants.has('experiments')) for (const variant of variants) await variantFloor(warm, variant.mapping)

  for (let run = 1; run <= options.runs; run++) {
    const count = Math.max(options.events, options.performEvents, options.experimentEvents)
    const events: SegmentEvent[] = orderCompletedEvents(count, run)
    const parts: string[] = []
    if (wants.has('batched')) {
      const batchEvents = events.slice(0, options.events)
      if (!options.noFloors) {
        const payloads = await mappedPayloads(batchEvents, mapping)
        const framework = await frameworkFloor(batchEvents, mapping)
        samples.framework.push(framework)
        samples.work.push(await workFloor(payloads))
        parts.push(`floor ${fmt(eventsPerSecond(framework))}/s`)
      }
      const batched = await delta(sandbox, () => batchedEndToEnd(batchEvents, mapping))
      samples.batched.push(batched.sample)
      samples.sandboxBatchedRequests.push(batched.sandbox.requests)
      samples.sandboxCpuPerBatchedEvent.push(batched.sandbox.cpuUs / batched.sample.events)
      if (batched.sample.ok !== batched.sample.events) {
        throw new Error(`only ${batched.sample.ok} of ${batched.sample.events} batched events were delivered`)
      }
      parts.push(`batched ${fmt(eventsPerSecond(batched.sample))}/s`)
    }
    if (wants.has('perform')) {
      const perform = await delta(sandbox, () =>
        performEndToEnd(events.slice(0, options.performEvents), { subscribe, mapping })
      )
      samples.perform.push(perform.sample)
      samples.sandboxPerformRequests.push(perform.sandbox.requests)
      if (perform.sample.ok !== perform.sample.events) {
        throw new Error(`only ${perform.sample.ok} of ${perform.sample.events} perform events were delivered`)
      }
      const slice = events.slice(0, options.performEvents)
      samples.requestFloor.push(await requestFloor(await mappedPayloads(slice, mapping), options.performEvents))
      parts.push(`perform ${fmt(eventsPerSecond(perform.sample))}/s`)
    }
    if (wants.has('experiments')) {
      const slice = events.slice(0, options.experimentEvents)
      samples.mappingOnly.push(await mappingOnly(slice, mapping))
      samples.validationOnly.push(await validationOnly((await mappedPayloads(slice, mapping)).flat()))
      // Variants are interleaved in a different order each round, so a burst of load elsewhere hits them evenly.
      for (let round = 0; round < options.experimentRounds; round++) {
        for (const variant of rotate(variants, run + round)) {
          const list = samples.variants.get(variant.name) ?? []
          list.push(await variantFloor(slice, variant.mapping))
          samples.variants.set(variant.name, list)
        }
      }
    }
    log(`  run ${run}/${options.runs}: ${parts.join(', ') || 'experiments only'}`)
  }
  return samples
}

interface MemoryReport {
  events: number
  ok: number
  requests: number
  sandboxRequests: number
  chunkRates: number[]
  cpuPerEvent: number
  baselineRss: number
  peakRss: number
  rssAfterFirst: number
  rssAfterLast: number
  heapAfterFirst: number
  heapAfterLast: number
  /** RSS right after each chunk. */
  rssSeries: number[]
}

async function runMemory(options: Options, sandbox: SandboxChild): Promise<MemoryReport> {
  const engine = newEngine(options.engineConcurrency || undefined)
  // Warm the engine so the first chunk's RSS is not the JIT's.
  await engineSend(engine, orderCompletedEvents(1_000, 500))
  collectGarbage()
  const before: SandboxStats = await sandbox.stats()
  const baselineRss = process.memoryUsage.rss()
  const sampler = new RssSampler().start(50)
  const report: MemoryReport = {
    events: 0,
    ok: 0,
    requests: 0,
    sandboxRequests: 0,
    chunkRates: [],
    cpuPerEvent: 0,
    baselineRss,
    peakRss: 0,
    rssAfterFirst: 0,
    rssAfterLast: 0,
    heapAfterFirst: 0,
    heapAfterLast: 0,
    rssSeries: []
  }
  let cpuUs = 0
  const chunks = Math.ceil(options.memoryEvents / options.memoryChunk)
  for (let chunk = 0; chunk < chunks; chunk++) {
    const size = Math.min(options.memoryChunk, options.memoryEvents - chunk * options.memoryChunk)
    // Each chunk is generated fresh, as a host reads its input in pieces; it is garbage once sent.
    const events = orderCompletedEvents(size, 10_000 + chunk)
    const sample = await engineSend(engine, events, false)
    report.events += sample.events
    report.ok += sample.ok ?? 0
    report.requests += sample.requests ?? 0
    report.chunkRates.push(eventsPerSecond(sample))
    cpuUs += sample.cpuUs
    report.rssSeries.push(sampler.sample())
    if (chunk === 0 || chunk === chunks - 1) {
      const rss = report.rssSeries[report.rssSeries.length - 1]
      collectGarbage()
      const heap = process.memoryUsage().heapUsed
      if (chunk === 0) Object.assign(report, { rssAfterFirst: rss, heapAfterFirst: heap })
      if (chunk === chunks - 1) Object.assign(report, { rssAfterLast: rss, heapAfterLast: heap })
    }
  }
  report.peakRss = sampler.stop()
  report.cpuPerEvent = cpuUs / report.events
  report.sandboxRequests = (await sandbox.stats()).requests - before.requests
  return report
}

interface ConcurrencyReport {
  events: number
  ok: number
  requests: number
  wallMs: number
  errors: Map<string, number>
}

/** Engine.send with its default concurrency (batches in flight together), checking every event is delivered. */
async function runConcurrency(options: Options): Promise<ConcurrencyReport> {
  const engine = newEngine()
  const events = orderCompletedEvents(options.concurrencyEvents, 20_000)
  const started = performance.now()
  const report = await engine.send(events, 'segment')
  const errors = new Map<string, number>()
  let ok = 0
  for (const result of report.results) {
    if ('event' in result) ok++
    else {
      const message = 'error' in result ? result.error : result.skipped
      const key = message.replace(/http:\/\/127\.0\.0\.1:\d+/g, '<sandbox>').slice(0, 110)
      errors.set(key, (errors.get(key) ?? 0) + 1)
    }
  }
  return { events: events.length, ok, requests: report.requests, wallMs: performance.now() - started, errors }
}

function printConcurrency(report: ConcurrencyReport): void {
  log()
  log(
    `Engine.send with its default concurrency (${DEFAULT_CONCURRENCY}), ${fmt(report.events)} events, default retries`
  )
  log(
    `  delivered ${fmt(report.ok)} of ${fmt(report.events)} in ${fmt(report.wallMs / 1000, 1)} s,` +
      ` ${fmt(report.requests)} HTTP requests (${fmt(Math.ceil(report.events / 1000))} needed)`
  )
  for (const [message, count] of report.errors) log(`  ${fmt(count)} × ${message}`)
}

function printRepeated(options: Options, samples: RunSamples): void {
  const rows: string[][] = []
  const row = (name: string, list: Sample[], extra: { requests?: boolean; inside?: boolean } = {}) => {
    if (list.length === 0) return
    rows.push([
      name,
      fmt(medianOf(list, (sample) => sample.events)),
      fmt(medianOf(list, eventsPerSecond)),
      fmt(medianOf(list, cpuPerEvent), 1),
      extra.inside ? fmt(medianOf(list, insideCpuPerEvent), 1) : '',
      extra.inside ? fmt(medianOf(list, insideWallPerEvent), 1) : '',
      extra.requests ? fmt(medianOf(list, requestsPerEvent), 3) : ''
    ])
  }
  row('framework floor: executeBatch, performBatch no-op', samples.framework)
  row('work floor: buildServerEvent + JSON.stringify', samples.work)
  row('batched: executeBatch (1,000/request) → sandbox', samples.batched, { requests: true, inside: true })
  row('HTTP floor: request client POST, 1 built event', samples.requestFloor, { requests: true })
  row('perform: Destination.onEvent (1/request) → sandbox', samples.perform, { requests: true, inside: true })
  if (rows.length === 0) return
  log()
  log(`Medians of ${options.runs} runs (Order Completed → Purchase preset mapping)`)
  log(
    table(
      ['scenario', 'events', 'events/s', 'CPU µs/event', 'inside CPU µs/ev', 'inside wall µs/ev', 'requests/event'],
      rows
    )
  )
  log('  CPU = process.cpuUsage() of this process; "inside" = within the wrapped perform/performBatch.')

  if (samples.batched.length > 0) {
    const floorRate = medianOf(samples.framework, eventsPerSecond)
    const batchedRate = medianOf(samples.batched, eventsPerSecond)
    const inside = medianOf(samples.batched, insideCpuPerEvent)
    const work = medianOf(samples.work, cpuPerEvent)
    log()
    log('Ratios')
    const cpuRatio = medianOf(samples.framework, cpuPerEvent) / medianOf(samples.batched, cpuPerEvent)
    log(`  batched events/s vs framework floor:       ${fmt((batchedRate / floorRate) * 100, 1)} %  (target ≥ 70 %)`)
    log(`  the same by CPU per event (load-proof):    ${fmt(cpuRatio * 100, 1)} %  (framework floor ÷ batched)`)
    log(`  our CPU in performBatch vs the work floor: ${fmt(inside / work, 2)} ×  (target ≤ 2 ×)`)
    log(
      `  sandbox (child process) requests seen: batched ${fmt(median(samples.sandboxBatchedRequests))}` +
        ` per ${fmt(options.events)} events; sandbox CPU ${fmt(median(samples.sandboxCpuPerBatchedEvent), 1)} µs/event`
    )
  }
  if (samples.perform.length > 0) {
    const performRate = medianOf(samples.perform, eventsPerSecond)
    const floorRate = medianOf(samples.requestFloor, eventsPerSecond)
    log(
      `  perform: ${fmt(performRate)} events/s = ${fmt((performRate / floorRate) * 100, 1)} % of the HTTP floor;` +
        ` sandbox saw ${fmt(median(samples.sandboxPerformRequests))} requests per ${fmt(options.performEvents)} events` +
        ` (Segment's own Meta destination, one event per request: about 1,300–1,600 events/s here)`
    )
    const { subscribe } = purchasePreset()
    const short = 'type = "track" and event = "Order Completed"'
    log(
      `  FQL: actions-core parses the subscription on every onEvent; the Purchase preset's (${fmt(subscribe.length)}` +
        ` chars, ${subscribe.split(' or ').length} names) costs ${fmt(fqlParseMicros(subscribe), 1)} µs a parse,` +
        ` '${short}' ${fmt(fqlParseMicros(short), 1)} µs`
    )
  }
}

function printExperiments(options: Options, samples: RunSamples): void {
  if (samples.variants.size === 0) return
  const { mapping } = purchasePreset()
  const variants = mappingVariants(mapping)
  const base = medianOf(samples.variants.get(variants[0].name) ?? [], cpuPerEvent)
  log()
  log(
    `Framework floor by mapping variant (CPU µs/event of executeBatch with a no-op performBatch; ` +
      `${fmt(options.experimentEvents)} events × ${options.runs * options.experimentRounds} interleaved samples)`
  )
  log(
    table(
      ['mapping', 'directives', 'events/s', 'CPU µs/event', 'min', 'vs shipped'],
      variants.map((variant) => {
        const list = samples.variants.get(variant.name) ?? []
        const cpu = medianOf(list, cpuPerEvent)
        return [
          variant.name,
          fmt(countDirectives(variant.mapping)),
          fmt(medianOf(list, eventsPerSecond)),
          fmt(cpu, 1),
          fmt(Math.min(...list.map(cpuPerEvent)), 1),
          `${cpu - base >= 0 ? '+' : ''}${fmt(cpu - base, 1)}`
        ]
      })
    )
  )
  log(
    `  components of the shipped mapping: mapping-kit transformBatch ${fmt(medianOf(samples.mappingOnly, cpuPerEvent), 1)} µs/event,` +
      ` AJV validateSchema ${fmt(medianOf(samples.validationOnly, cpuPerEvent), 1)} µs/event`
  )
}

function printMemory(options: Options, report: MemoryReport): void {
  log()
  log(
    `Engine.send, ${fmt(report.events)} events in chunks of ${fmt(options.memoryChunk)}` +
      ` (concurrency ${options.engineConcurrency || `${DEFAULT_CONCURRENCY}, the Engine's default`})`
  )
  log(
    table(
      ['figure', 'value'],
      [
        ['delivered (status 200)', fmt(report.ok)],
        [
          `HTTP requests (floor ≤ ${fmt(Math.ceil(report.events / 1000) + 1)})`,
          `${fmt(report.requests)} (sandbox saw ${fmt(report.sandboxRequests)})`
        ],
        ['events/s (median of chunks)', fmt(median(report.chunkRates))],
        ['CPU µs/event', fmt(report.cpuPerEvent, 1)],
        ['RSS before', mebibytes(report.baselineRss)],
        [`RSS after ${fmt(options.memoryChunk)} events`, mebibytes(report.rssAfterFirst)],
        [`RSS after ${fmt(report.events)} events`, mebibytes(report.rssAfterLast)],
        ['peak RSS (sampled every 50 ms)', mebibytes(report.peakRss)],
        [
          `heap used after GC, ${fmt(options.memoryChunk)} → ${fmt(report.events)}`,
          `${mebibytes(report.heapAfterFirst)} → ${mebibytes(report.heapAfterLast)}`
        ]
      ]
    )
  )
  log(`  RSS after each chunk (MiB): ${report.rssSeries.map((rss) => (rss / 1024 / 1024).toFixed(0)).join(' ')}`)
}

function printHostile(sizesMb: number[], rows: HostileRow[]): void {
  log()
  log(`Hostile strings: one field at a time holds a string of ${sizesMb.join(' and ')} MB, through Engine.map`)
  log('  (level ms/MB from the smaller size to the larger is linear time; a quadratic step multiplies it)')
  log(
    table(
      ['field', ...sizesMb.map((mb) => `ms/MB at ${mb} MB`)],
      rows.map((row) => [row.field, ...row.msPerMb.map((ms) => fmt(ms, 1))])
    )
  )
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2))
  if (!(globalThis as { gc?: unknown }).gc) log('note: run with --expose-gc (npm run bench does) for steadier figures')
  log('meta-pixel-destination benchmark')
  for (const line of machineFacts()) log(`  ${line}`)
  const started = performance.now()
  const sandbox = await SandboxChild.start()
  process.env.META_GRAPH_URL = sandbox.url
  log(`  sandbox     ${sandbox.url} (child process, keepEvents: false)`)
  try {
    const samples = await runRepeated(options, sandbox)
    printRepeated(options, samples)
    printExperiments(options, samples)
    if (options.sections.has('memory')) printMemory(options, await runMemory(options, sandbox))
    if (options.sections.has('concurrency')) printConcurrency(await runConcurrency(options))
    if (options.sections.has('hostile')) printHostile(options.hostileMb, await runHostile(options.hostileMb))
    if (options.sections.has('e2e')) {
      const result = await runEndToEnd(sandbox, options.endToEnd, log)
      printEndToEnd(result, await endToEndWorkFloor(), log)
    }
  } finally {
    await sandbox.stop()
  }
  log()
  log(`total ${fmt((performance.now() - started) / 1000, 1)} s`)
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`)
  process.exitCode = 1
})
