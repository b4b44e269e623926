/**
 * Payload types derived from field definitions, so the types perform() sees cannot drift from the fields
 * a host renders and validates. Fields must be declared with `satisfies Record<string, InputField>`
 * so that `type`, `required` and `multiple` keep their literal types.
 */
type ScalarOf<Type> = Type extends 'number' | 'integer'
  ? number
  : Type extends 'boolean'
    ? boolean
    : Type extends 'datetime'
      ? string | number
      : Type extends 'object'
        ? Record<string, unknown>
        : string

type ObjectOf<Field> = Field extends { properties: infer Properties }
  ? PayloadOf<Properties> & (Field extends { additionalProperties: true } ? Record<string, unknown> : unknown)
  : Record<string, unknown>

type ValueOf<Field> = Field extends { type: 'object' }
  ? ObjectOf<Field>
  : Field extends { type: infer T }
    ? ScalarOf<T>
    : never

type FieldValueOf<Field> = Field extends { multiple: true } ? ValueOf<Field>[] : ValueOf<Field>

type RequiredKeys<Fields> = { [K in keyof Fields]: Fields[K] extends { required: true } ? K : never }[keyof Fields]

type Flatten<T> = { [K in keyof T]: T[K] }

export type PayloadOf<Fields> = Flatten<
  { [K in RequiredKeys<Fields>]: FieldValueOf<Fields[K]> } & {
    [K in Exclude<keyof Fields, RequiredKeys<Fields>>]?: FieldValueOf<Fields[K]>
  }
>
