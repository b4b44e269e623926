/** The sandbox page and match-quality estimate read customer-information keys as the contract defines them. */
export { CUSTOMER_INFO_KEYS, HASHED_KEYS, isPresent, presentCustomerKeys } from '../lib/contract/customer-information'
