// The slice of @binance/futures-connector (no bundled types) the faithfulness test calls.
declare module '@binance/futures-connector' {
  interface ConnectorResponse {
    data: any;
    headers: Record<string, string>;
  }
  type Call = Promise<ConnectorResponse>;
  /** The USDⓈ-M client: every REST method resolves to an axios-style response. */
  export class UMFutures {
    constructor(apiKey: string, apiSecret: string, options: { baseURL: string });
    getExchangeInfo(): Call;
    getTime(): Call;
    getPremiumIndex(symbol: string): Call;
    changeInitialLeverage(symbol: string, leverage: number): Call;
    newOrder(symbol: string, side: string, type: string, options: Record<string, unknown>): Call;
    getPositionInformationV3(options: Record<string, unknown>): Call;
    queryOrder(symbol: string, options: Record<string, unknown>): Call;
    cancelOrder(symbol: string, options: Record<string, unknown>): Call;
    getAccountInformationV3(): Call;
    getFuturesAccountBalanceV3(): Call;
    createListenKey(): Call;
    renewListenKey(listenKey: string): Call;
    closeListenKey(listenKey: string): Call;
  }
  const connector: { UMFutures: typeof UMFutures };
  export default connector;
}
