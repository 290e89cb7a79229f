// Binance's error bodies: the engine throws SimError and the HTTP face turns it into
// `{"code":..,"msg":..}` with the matching HTTP status.

/** A rejection the simulator returns exactly as Binance would: code, message and HTTP status. */
export class SimError extends Error {
  constructor(readonly code: number, message: string, readonly httpStatus = 400) {
    super(message);
    this.name = 'SimError';
  }

  /** The JSON body Binance sends for this error. */
  body(): { code: number; msg: string } {
    return { code: this.code, msg: this.message };
  }
}

const e = (code: number, msg: string, status = 400) => new SimError(code, msg, status);

/** Every error the simulator raises, by name, with Binance's wording. */
export const errors = {
  unknown: () => e(-1000, 'An unknown error occurred while processing the request.'),
  tooManyRequests: (limit: number, ip: string) => e(-1003, `Too many requests; current limit of IP(${ip}) request weight per minute is ${limit}. Please use WebSocket Streams for live updates to avoid polling the API.`, 429),
  banned: (ip: string, until: number) => e(-1003, `Way too many requests; IP(${ip}) banned until ${until}. Please use the websocket for live updates to avoid bans.`, 418),
  overloaded: () => e(-1008, 'Server is currently overloaded with other requests. Please try again in a few minutes.', 503),
  tooManyOrders: (limit: number, interval: string) => e(-1015, `Too many new orders; current limit is ${limit} orders per ${interval}.`, 429),
  timestampOutside: () => e(-1021, 'Timestamp for this request is outside of the recvWindow.'),
  timestampAhead: () => e(-1021, "Timestamp for this request was 1000ms ahead of the server's time."),
  badSignature: () => e(-1022, 'Signature for this request is not valid.'),
  illegalChars: (param: string) => e(-1100, `Illegal characters found in parameter '${param}'; legal range is '^([0-9]{1,20})(\\.[0-9]{1,20})?$'.`),
  mandatory: (param: string) => e(-1102, `Mandatory parameter '${param}' was not sent, was empty/null, or malformed.`),
  eitherOrderId: () => e(-1102, 'Either orderId or origClientOrderId must be sent.'),
  eitherAlgoId: () => e(-1102, 'Either algoId or clientAlgoId must be sent.'),
  notRequired: (param: string) => e(-1106, `Parameter '${param}' sent when not required.`),
  precision: () => e(-1111, 'Precision is over the maximum defined for this asset.'),
  invalidOrderType: () => e(-1116, 'Invalid orderType.'),
  invalidSide: () => e(-1117, 'Invalid side.'),
  invalidSymbol: () => e(-1121, 'Invalid symbol.'),
  listenKeyMissing: () => e(-1125, 'This listenKey does not exist.'),
  intervalTooLarge: (hours: number) => e(-1127, `More than ${hours} hours between startTime and endTime.`),
  notWithTime: (param: string) => e(-1128, `Combination of optional parameters invalid. ${param} cannot be sent with startTime or endTime.`),
  invalidParam: (param: string) => e(-1130, `Data sent for parameter '${param}' is not valid.`),
  recvWindow: () => e(-1131, 'recvWindow must be less than 60000'),
  unknownOrder: () => e(-2011, 'Unknown order sent.'),
  noSuchOrder: () => e(-2013, 'Order does not exist.'),
  apiKeyFormat: () => e(-2014, 'API-key format invalid.', 401),
  invalidApiKey: () => e(-2015, 'Invalid API-key, IP, or permissions for action.', 401),
  marginInsufficient: () => e(-2019, 'Margin is insufficient.'),
  wouldTrigger: () => e(-2021, 'Order would immediately trigger.'),
  reduceOnlyRejected: () => e(-2022, 'ReduceOnly Order is rejected.'),
  maxOpenOrders: () => e(-2025, 'Reach max open order limit.'),
  maxStopOrders: () => e(-4045, 'Reach max stop order limit.'),
  qtyNotPositive: () => e(-4003, 'Quantity less than or equal to zero.'),
  qtyBelowMin: () => e(-4004, 'Quantity less than minimum quantity.'),
  qtyAboveMax: () => e(-4005, 'Quantity greater than maximum quantity.'),
  priceBelowMin: () => e(-4013, 'Price less than min price.'),
  priceAboveMax: () => e(-4013, 'Price greater than max price.'),
  priceTick: () => e(-4014, 'Price not increased by tick size.'),
  clientIdInvalid: () => e(-4015, 'Client order id is not valid.'),
  priceTooHigh: (cap: string) => e(-4016, `Limit price can't be higher than ${cap}.`),
  qtyStep: () => e(-4023, 'Quantity not increased by step size.'),
  priceTooLow: (floor: string) => e(-4024, `Limit price can't be lower than ${floor}.`),
  leverageInvalid: (leverage: string) => e(-4028, `Leverage ${leverage} is not valid`),
  marginTypeSame: () => e(-4046, 'No need to change margin type.'),
  marginTypeOrders: () => e(-4047, 'Margin type cannot be changed if there exists open orders.'),
  marginTypePosition: () => e(-4048, 'Margin type cannot be changed if there exists position.'),
  positionModeSame: () => e(-4059, 'No need to change position side.'),
  positionSideMismatch: () => e(-4061, "Order's position side does not match user's setting."),
  positionModeOrders: () => e(-4067, 'Position side cannot be changed if there exists open orders.'),
  positionModePosition: () => e(-4068, 'Position side cannot be changed if there exists position.'),
  duplicateClientId: () => e(-4116, 'ClientOrderId is duplicated.'),
  useAlgoApi: () => e(-4120, 'Order type not supported for this endpoint. Please use the Algo Order API endpoints instead.'),
  duplicateClosePosition: () => e(-4130, 'An open stop or take profit order with GTE and closePosition in the direction is existing.'),
  closePositionQty: () => e(-4137, 'Quantity must be zero with closePosition equals true.'),
  minNotional: (notional: string) => e(-4164, `Order's notional must be no smaller than ${notional} (unless you choose reduce only).`),
  gteNeedsPosition: () => e(-4509, 'Time in Force (TIF) GTE can only be used with open positions or open orders. Please ensure that positions are available.'),
  fokRejected: () => e(-5021, 'Due to the order could not be filled immediately, the FOK order has been rejected. The order will not be recorded in the order history'),
  gtxRejected: () => e(-5022, 'Due to the order could not be executed as maker, the Post Only order will be rejected. The order will not be recorded in the order history'),
  tooManyModifies: () => e(-5026, 'Exceeded the maximum allowable number of modifications.'),
  nothingToModify: () => e(-5027, 'No need to modify the order.'),
  modifyMinNotional: (notional: string) => e(-5029, `Order's notional must be no smaller than ${notional}`),
  badGoodTillDate: () => e(-5040, 'goodTillDate timestamp must be greater than current time plus 600 seconds and smaller than 253402300799000'),
} as const;
