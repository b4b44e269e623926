// Native ESM entry point. It re-exports the one CommonJS build, so a host that both imports and requires the package
// still has a single definition object (Node would otherwise give `import x from` the CommonJS exports object).
import cjs from '../dist/index.js'

export default cjs.default
export const metaPixelDestination = cjs.metaPixelDestination
