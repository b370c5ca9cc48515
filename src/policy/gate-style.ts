/** How the client-certificate gate is written into the API's inbound policy. */
export enum GateStyle {
  /**
   * The `validate-client-certificate` policy: declarative, no policy expressions, evaluated by
   * APIM itself. A rejected caller gets 401.
   */
  VALIDATE_POLICY = 'validate-policy',
  /**
   * A `choose`/`when` policy expression with `return-response`, the form of the original
   * Microsoft documentation; lets you pick the reject status code and reason.
   */
  EXPRESSION = 'expression',
}
