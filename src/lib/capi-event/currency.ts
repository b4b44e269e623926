import { isIsoCurrency } from '../contract/meta-constants'

/** The uppercase ISO-4217 code for a currency written in any case, or undefined when it is not one. */
export function normaliseCurrency(value: string): string | undefined {
  const code = value.trim().toUpperCase()
  return isIsoCurrency(code) ? code : undefined
}
