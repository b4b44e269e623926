// Node's ICU carries the ISO-4217 list, so no table of our own can fall out of date.
const ISO_4217 = new Set(Intl.supportedValuesOf('currency'))

/** The uppercase ISO-4217 code for a currency written in any case, or undefined when it is not one. */
export function normaliseCurrency(value: string): string | undefined {
  const code = value.trim().toUpperCase()
  return ISO_4217.has(code) ? code : undefined
}
