/**
 * A JSON value already written as text. A body written by BodyBuffers takes the text as it is; JSON.stringify of a
 * body that holds one writes the same value again (through toJSON), only slower.
 */
export class JsonText {
  constructor(readonly json: string) {}

  toJSON(): unknown {
    return JSON.parse(this.json)
  }
}
