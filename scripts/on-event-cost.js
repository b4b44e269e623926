/**
 * Prints what actions-core's onEvent costs per event with every preset subscribed (it re-parses each subscription's
 * FQL on every call), and what the runner's route matching costs. Figures only, nothing asserted.
 *
 *   npm run build && node scripts/on-event-cost.js [distDir]
 */
const { join, resolve } = require('node:path')
const { performance } = require('node:perf_hooks')
const { Destination } = require('@segment/actions-core')

const dist = resolve(process.argv[2] ?? join(__dirname, '..', 'dist'))
const definition = require(join(dist, 'index.js')).default
const { buildRoutes } = require(join(dist, 'runner', 'routing.js'))

const ROUNDS = 2000
const settings = { pixelId: '123456789012345', accessToken: 'token' }
// perform is stubbed so the figure is actions-core's own work (FQL, mapping, schema), not HTTP.
const stubbed = {
  ...definition,
  actions: { sendEvent: { ...definition.actions.sendEvent, perform: () => ({ stubbed: true }) } }
}
const subscriptions = definition.presets.map(({ subscribe, partnerAction, mapping }) => ({
  subscribe,
  partnerAction,
  mapping
}))
const event = (name) => ({
  type: 'track',
  event: name,
  messageId: 'm-1',
  timestamp: new Date().toISOString(),
  userId: 'u-1',
  context: { ip: '203.0.113.7', userAgent: 'Mozilla/5.0', page: { url: 'https://shop.example.com/' } },
  properties: { revenue: 10, currency: 'usd' }
})

async function microsPerEvent(run) {
  for (let i = 0; i < 200; i++) await run() // warm-up
  const start = performance.now()
  for (let i = 0; i < ROUNDS; i++) await run()
  return ((performance.now() - start) * 1000) / ROUNDS
}

async function main() {
  const destination = new Destination(stubbed)
  const routes = buildRoutes({ settings, amplitudeEventMap: {} })
  const longest = Math.max(...definition.presets.map((preset) => preset.subscribe.length))
  const figures = {
    dist,
    presets: definition.presets.length,
    longestSubscriptionChars: longest,
    onEventNoMatchMicros: await microsPerEvent(() =>
      destination.onEvent(event('Order Refunded'), { ...settings, subscriptions })
    ),
    onEventPurchaseMicros: await microsPerEvent(() =>
      destination.onEvent(event('Order Completed'), { ...settings, subscriptions })
    ),
    runnerRouteExactMicros: await microsPerEvent(() => routes.find((route) => route.matches(event('Order Completed')))),
    runnerRouteSnakeCaseMicros: await microsPerEvent(() =>
      routes.find((route) => route.matches(event('order_completed')))
    ),
    runnerRouteNoMatchMicros: await microsPerEvent(() => routes.find((route) => route.matches(event('Order Refunded'))))
  }
  for (const [key, value] of Object.entries(figures)) {
    console.log(`${key}: ${typeof value === 'number' && !Number.isInteger(value) ? value.toFixed(1) : value}`)
  }
}

main().catch((error) => {
  console.error(error)
  process.exitCode = 1
})
