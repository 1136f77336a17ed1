// A loopback HTTP stand-in for Binance's REST API (USD-M futures and spot), answering with the response
// shapes of Binance's API documentation and recording every request, so contract tests can check what
// ccxt actually sends: paths, signed parameters, newClientOrderId/clientAlgoId, reduceOnly.
// Values are illustrative; the key and secret used with it are obviously fake.
// `replay` makes a route answer with a recorded Binance body (test/fixtures/binance, sources in its
// README) instead of the hand-written one: the adapter is then checked against what Binance really sends.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { BinanceExchange } from '../../shared/adapters/binance/binance-exchange.ts';

/** Credentials for the loopback stub: obviously fake, never a real key's shape. */
export const FAKE_CREDENTIALS = {
  apiKey: 'fake-api-key-for-loopback-tests',
  secret: 'fake-secret-for-loopback-tests',
} as const;

/** The Binance adapter pointed at the stub, with fake credentials and the test's clock. */
export function stubbedExchange(
  stub: Pick<BinanceStub, 'origin'>,
  now: () => number,
  symbols: string[] = ['BTCUSDT'],
): BinanceExchange {
  return new BinanceExchange({ ...FAKE_CREDENTIALS, symbols, apiOrigin: stub.origin, clock: { now } });
}

/** A recorded response body from test/fixtures/binance (parsed JSON). */
export function recorded<T = unknown>(file: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/binance/${file}`, import.meta.url), 'utf8')) as T;
}

/** One HTTP answer: status (default 200), headers, and a body (JSON value, or a raw string sent as is). */
export interface StubAnswer {
  status?: number;
  headers?: Record<string, string>;
  body: unknown;
}

export interface RecordedRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
}

const futuresSymbol = {
  symbol: 'BTCUSDT',
  pair: 'BTCUSDT',
  contractType: 'PERPETUAL',
  deliveryDate: 4133404800000,
  onboardDate: 1569398400000,
  status: 'TRADING',
  maintMarginPercent: '2.5000',
  requiredMarginPercent: '5.0000',
  baseAsset: 'BTC',
  quoteAsset: 'USDT',
  marginAsset: 'USDT',
  pricePrecision: 2,
  quantityPrecision: 3,
  baseAssetPrecision: 8,
  quotePrecision: 8,
  underlyingType: 'COIN',
  underlyingSubType: ['PoW'],
  triggerProtect: '0.0500',
  liquidationFee: '0.012500',
  marketTakeBound: '0.05',
  filters: [
    { filterType: 'PRICE_FILTER', maxPrice: '4529764', minPrice: '556.80', tickSize: '0.10' },
    { filterType: 'LOT_SIZE', maxQty: '1000', minQty: '0.001', stepSize: '0.001' },
    { filterType: 'MARKET_LOT_SIZE', maxQty: '120', minQty: '0.001', stepSize: '0.001' },
    { filterType: 'MAX_NUM_ORDERS', limit: 200 },
    { filterType: 'MAX_NUM_ALGO_ORDERS', limit: 10 },
    { filterType: 'MIN_NOTIONAL', notional: '100' },
    { filterType: 'PERCENT_PRICE', multiplierUp: '1.0500', multiplierDown: '0.9500', multiplierDecimal: '4' },
  ],
  orderTypes: [
    'LIMIT',
    'MARKET',
    'STOP',
    'STOP_MARKET',
    'TAKE_PROFIT',
    'TAKE_PROFIT_MARKET',
    'TRAILING_STOP_MARKET',
  ],
  timeInForce: ['GTC', 'IOC', 'FOK', 'GTX', 'GTD'],
};

// A second USD-M symbol (a position the bot did not open can be on any symbol).
const ethFuturesSymbol = {
  ...futuresSymbol,
  symbol: 'ETHUSDT',
  pair: 'ETHUSDT',
  baseAsset: 'ETH',
  filters: [
    { filterType: 'PRICE_FILTER', maxPrice: '306177', minPrice: '39.86', tickSize: '0.01' },
    { filterType: 'LOT_SIZE', maxQty: '10000', minQty: '0.001', stepSize: '0.001' },
    { filterType: 'MARKET_LOT_SIZE', maxQty: '2000', minQty: '0.001', stepSize: '0.001' },
    { filterType: 'MAX_NUM_ORDERS', limit: 200 },
    { filterType: 'MAX_NUM_ALGO_ORDERS', limit: 10 },
    { filterType: 'MIN_NOTIONAL', notional: '20' },
    { filterType: 'PERCENT_PRICE', multiplierUp: '1.0500', multiplierDown: '0.9500', multiplierDecimal: '4' },
  ],
};

// A USD-M contract whose spot market has another name: 1000PEPEUSDT is 1,000 PEPE (spot lists PEPEUSDT),
// shaped as Binance's exchangeInfo lists it (tick 0.0000001, step 1).
const pepeFuturesSymbol = {
  ...futuresSymbol,
  symbol: '1000PEPEUSDT',
  pair: '1000PEPEUSDT',
  onboardDate: 1683244800000,
  baseAsset: '1000PEPE',
  pricePrecision: 7,
  quantityPrecision: 0,
  underlyingSubType: ['Meme'],
  filters: [
    { filterType: 'PRICE_FILTER', maxPrice: '200', minPrice: '0.0000010', tickSize: '0.0000001' },
    { filterType: 'LOT_SIZE', maxQty: '800000000', minQty: '1', stepSize: '1' },
    { filterType: 'MARKET_LOT_SIZE', maxQty: '80000000', minQty: '1', stepSize: '1' },
    { filterType: 'MAX_NUM_ORDERS', limit: 200 },
    { filterType: 'MAX_NUM_ALGO_ORDERS', limit: 10 },
    { filterType: 'MIN_NOTIONAL', notional: '5' },
    { filterType: 'PERCENT_PRICE', multiplierUp: '1.1500', multiplierDown: '0.8500', multiplierDecimal: '4' },
  ],
};

const spotSymbol = {
  symbol: 'BTCUSDT',
  status: 'TRADING',
  baseAsset: 'BTC',
  baseAssetPrecision: 8,
  quoteAsset: 'USDT',
  quotePrecision: 8,
  quoteAssetPrecision: 8,
  orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT_LIMIT'],
  icebergAllowed: true,
  ocoAllowed: true,
  isSpotTradingAllowed: true,
  isMarginTradingAllowed: true,
  filters: [
    {
      filterType: 'PRICE_FILTER',
      minPrice: '0.01000000',
      maxPrice: '1000000.00000000',
      tickSize: '0.01000000',
    },
    { filterType: 'LOT_SIZE', minQty: '0.00001000', maxQty: '9000.00000000', stepSize: '0.00001000' },
    {
      filterType: 'NOTIONAL',
      minNotional: '5.00000000',
      applyMinToMarket: true,
      maxNotional: '9000000.00000000',
      applyMaxToMarket: false,
      avgPriceMins: 5,
    },
  ],
  permissions: [],
  permissionSets: [['SPOT', 'MARGIN']],
};

/** ETHUSDT spot, as BTCUSDT's market with ETH's base (only the symbol and asset matter to the tests). */
const ethSpotSymbol = { ...spotSymbol, symbol: 'ETHUSDT', baseAsset: 'ETH' };

export interface BinanceStub {
  origin: string;
  requests: RecordedRequest[];
  /** Orders by client id as the stub holds them (regular and algo). */
  orders: Map<string, Record<string, unknown>>;
  /** Isolated-margin changes booked (GET /fapi/v1/positionMargin/history rows), oldest first. */
  marginHistory: Record<string, unknown>[];
  /** Universal transfers booked (GET /sapi/v1/asset/transfer rows), oldest first. */
  transfers: Record<string, unknown>[];
  /** Answer the next matching request with an error: [HTTP status, Binance code, message]. */
  failNext(path: string, status: number, code: number, msg: string): void;
  /** Answer the next request on `path` (any method) with this answer, e.g. a recorded error body. */
  answerNext(path: string, answer: StubAnswer): void;
  /**
   * Answer every `METHOD /path` request with a recorded answer (the function may pick by the request's
   * parameters; undefined falls through to the hand-written answer) until `clearReplays()`.
   */
  replay(
    route: string,
    answer: StubAnswer | ((params: Record<string, string>) => StubAnswer | undefined),
  ): void;
  /** Drop every replay and every pending `failNext`/`answerNext`. */
  clearReplays(): void;
  stop(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) body += chunk;
  return body;
}

export async function startBinanceStub(
  now: () => number = () => Date.UTC(2026, 8, 15, 12),
): Promise<BinanceStub> {
  const requests: RecordedRequest[] = [];
  const orders = new Map<string, Record<string, unknown>>();
  const marginHistory: Record<string, unknown>[] = [];
  const transfers: Record<string, unknown>[] = [];
  const failures = new Map<string, StubAnswer>();
  const replays = new Map<string, (params: Record<string, string>) => StubAnswer | undefined>();
  let nextId = 1000;

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://stub');
    const body = await readBody(req);
    const params: Record<string, string> = Object.fromEntries(url.searchParams);
    for (const [k, v] of new URLSearchParams(body)) params[k] = v;
    const path = url.pathname;
    requests.push({ method: req.method ?? 'GET', path, params, headers: req.headers });
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      const raw = typeof payload === 'string';
      res.writeHead(status, { 'content-type': raw ? 'text/html' : 'application/json', ...headers });
      res.end(raw ? payload : JSON.stringify(payload));
    };
    const answer = (a: StubAnswer) => send(a.status ?? 200, a.body, a.headers);
    const failure = failures.get(path);
    if (failure) {
      failures.delete(path);
      return answer(failure);
    }
    const t = now();
    const key = `${req.method} ${path}`;
    const replayed = replays.get(key)?.(params);
    if (replayed) return answer(replayed);
    switch (key) {
      case 'GET /fapi/v1/exchangeInfo':
        return send(200, {
          timezone: 'UTC',
          serverTime: t,
          rateLimits: [],
          exchangeFilters: [],
          assets: [],
          symbols: [futuresSymbol, ethFuturesSymbol, pepeFuturesSymbol],
        });
      case 'GET /api/v3/exchangeInfo': {
        // Binance answers `symbols=["A","B"]` (or `symbol=A`) with those markets only, and -1121 for the
        // whole request when one of them does not exist (api/v3/exchangeInfo, "Invalid symbol.").
        const all = [spotSymbol, ethSpotSymbol];
        const wanted: string[] | undefined = params.symbols
          ? JSON.parse(params.symbols)
          : params.symbol
            ? [params.symbol]
            : undefined;
        const symbols = wanted ? all.filter((s) => wanted.includes(s.symbol)) : all;
        if (wanted && symbols.length !== wanted.length)
          return send(400, { code: -1121, msg: 'Invalid symbol.' });
        return send(200, { timezone: 'UTC', serverTime: t, rateLimits: [], exchangeFilters: [], symbols });
      }
      case 'GET /fapi/v1/leverageBracket':
        return send(200, [
          {
            symbol: 'BTCUSDT',
            notionalCoef: 1.0,
            brackets: [
              {
                bracket: 1,
                initialLeverage: 125,
                notionalCap: 50000,
                notionalFloor: 0,
                maintMarginRatio: 0.004,
                cum: 0.0,
              },
              {
                bracket: 2,
                initialLeverage: 100,
                notionalCap: 600000,
                notionalFloor: 50000,
                maintMarginRatio: 0.005,
                cum: 50.0,
              },
              {
                bracket: 3,
                initialLeverage: 75,
                notionalCap: 3000000,
                notionalFloor: 600000,
                maintMarginRatio: 0.0065,
                cum: 950.0,
              },
            ],
          },
        ]);
      case 'GET /fapi/v1/premiumIndex':
        return send(200, {
          symbol: 'BTCUSDT',
          markPrice: '60010.50000000',
          indexPrice: '60005.10000000',
          estimatedSettlePrice: '60000.00000000',
          lastFundingRate: '0.00012000',
          interestRate: '0.00010000',
          nextFundingTime: Math.ceil(t / 28_800_000) * 28_800_000,
          time: t,
        });
      case 'GET /api/v3/ticker/24hr':
        return send(200, {
          symbol: 'BTCUSDT',
          priceChange: '10.00',
          priceChangePercent: '0.017',
          weightedAvgPrice: '59990.00',
          prevClosePrice: '59980.00',
          lastPrice: '59990.00',
          lastQty: '0.01',
          bidPrice: '59989.99',
          bidQty: '1.0',
          askPrice: '59990.00',
          askQty: '1.0',
          openPrice: '59980.00',
          highPrice: '60500.00',
          lowPrice: '59500.00',
          volume: '1000.0',
          quoteVolume: '60000000.0',
          openTime: t - 86_400_000,
          closeTime: t,
          firstId: 1,
          lastId: 2,
          count: 2,
        });
      case 'GET /fapi/v1/klines': {
        const limit = Number(params.limit ?? 10);
        const hour = 3_600_000;
        const last = Math.floor(t / hour) * hour; // the candle still forming
        const rows = [];
        for (let i = limit - 1; i >= 0; i--) {
          const open = last - i * hour;
          rows.push([
            open,
            '60000.0',
            '60100.0',
            '59900.0',
            '60050.0',
            '12.345',
            open + hour - 1,
            '740000.0',
            100,
            '6.0',
            '360000.0',
            '0',
          ]);
        }
        return send(200, rows);
      }
      case 'GET /fapi/v3/account':
        return send(200, {
          totalInitialMargin: '0.00000000',
          totalMaintMargin: '0.00000000',
          totalWalletBalance: '10000.00000000',
          totalUnrealizedProfit: '-12.50000000',
          totalMarginBalance: '9987.50000000',
          totalPositionInitialMargin: '0.00000000',
          totalOpenOrderInitialMargin: '0.00000000',
          totalCrossWalletBalance: '10000.00000000',
          totalCrossUnPnl: '0.00000000',
          availableBalance: '9500.00000000',
          maxWithdrawAmount: '9500.00000000',
          assets: [
            {
              asset: 'USDT',
              walletBalance: '10000.00000000',
              unrealizedProfit: '-12.50000000',
              marginBalance: '9987.50000000',
              maintMargin: '0',
              initialMargin: '0',
              positionInitialMargin: '0',
              openOrderInitialMargin: '0',
              crossWalletBalance: '10000',
              crossUnPnl: '0',
              availableBalance: '9500',
              maxWithdrawAmount: '9500',
              updateTime: t,
            },
          ],
          positions: [],
        });
      case 'GET /api/v3/account':
        return send(200, {
          makerCommission: 10,
          takerCommission: 10,
          buyerCommission: 0,
          sellerCommission: 0,
          canTrade: true,
          canWithdraw: true,
          canDeposit: true,
          updateTime: t,
          accountType: 'SPOT',
          balances: [
            { asset: 'BTC', free: '0.01000000', locked: '0.00000000' },
            { asset: 'USDT', free: '5000.00000000', locked: '0.00000000' },
          ],
          permissions: ['SPOT'],
        });
      case 'GET /fapi/v3/positionRisk':
        return send(200, [
          {
            symbol: 'BTCUSDT',
            positionSide: 'BOTH',
            positionAmt: '-0.010',
            entryPrice: '61000.0',
            breakEvenPrice: '61030.5',
            markPrice: '60010.5',
            unRealizedProfit: '9.895',
            liquidationPrice: '72000.1',
            isolatedMargin: '131.895',
            notional: '-600.105',
            marginAsset: 'USDT',
            isolatedWallet: '122.0',
            initialMargin: '120.021',
            maintMargin: '2.4',
            positionInitialMargin: '120.021',
            openOrderInitialMargin: '0',
            adl: 1,
            bidNotional: '0',
            askNotional: '0',
            updateTime: t - 60_000,
          },
        ]);
      case 'GET /fapi/v1/income':
        // The commission of the 09:12 BTCUSDT trade whose REALIZED_PNL row follows (0.05 % of 100 USDT).
        if (params.incomeType === 'COMMISSION')
          return send(200, [
            {
              symbol: 'BTCUSDT',
              incomeType: 'COMMISSION',
              income: '-0.05000000',
              asset: 'USDT',
              info: 'COMMISSION',
              time: Date.UTC(2026, 8, 15, 9, 12, 3, 120),
              tranId: 9689322410,
              tradeId: '5821843321',
            },
          ]);
        if (params.incomeType === 'REALIZED_PNL')
          return send(200, [
            {
              symbol: 'BTCUSDT',
              incomeType: 'REALIZED_PNL',
              income: '-12.50000000',
              asset: 'USDT',
              info: 'REALIZED_PNL',
              time: Date.UTC(2026, 8, 15, 9, 12, 3, 120),
              tranId: 9689322401,
              tradeId: '5821843321',
            },
            {
              symbol: 'ETHUSDT',
              incomeType: 'REALIZED_PNL',
              income: '30.12000000',
              asset: 'USDT',
              info: 'REALIZED_PNL',
              time: Date.UTC(2026, 8, 15, 11, 40, 0, 8),
              tranId: 9689322402,
              tradeId: '5821843399',
            },
          ]);
        return send(200, [
          {
            symbol: 'BTCUSDT',
            incomeType: 'FUNDING_FEE',
            income: '-0.36012600',
            asset: 'USDT',
            info: 'FUNDING_FEE',
            time: Date.UTC(2026, 8, 15, 8, 0, 0, 4),
            tranId: 9689322392,
            tradeId: '',
          },
          {
            symbol: 'BTCUSDT',
            incomeType: 'FUNDING_FEE',
            income: '0.12004200',
            asset: 'USDT',
            info: 'FUNDING_FEE',
            time: Date.UTC(2026, 8, 15, 16, 0, 0, 3),
            tranId: 9689322393,
            tradeId: '',
          },
        ]);
      case 'POST /fapi/v1/leverage':
        return send(200, {
          leverage: Number(params.leverage),
          maxNotionalValue: '1000000',
          symbol: params.symbol,
        });
      case 'POST /fapi/v1/marginType':
        return send(400, { code: -4046, msg: 'No need to change margin type.' });
      case 'POST /fapi/v1/order': {
        const id = params.newClientOrderId ?? '';
        if (orders.has(id)) return send(400, { code: -4116, msg: 'ClientOrderId is duplicated.' });
        const market = params.type === 'MARKET';
        const o = {
          orderId: nextId++,
          symbol: params.symbol,
          status: market ? 'FILLED' : 'NEW',
          clientOrderId: id,
          price: params.price ?? '0',
          avgPrice: market ? '60012.30' : '0.00',
          origQty: params.quantity,
          executedQty: market ? params.quantity : '0',
          cumQty: market ? params.quantity : '0',
          cumQuote: market ? String(Number(params.quantity) * 60012.3) : '0',
          timeInForce: params.timeInForce ?? 'GTC',
          type: params.type,
          reduceOnly: params.reduceOnly === 'true',
          closePosition: false,
          side: params.side,
          positionSide: 'BOTH',
          stopPrice: '0',
          workingType: 'CONTRACT_PRICE',
          priceProtect: false,
          origType: params.type,
          priceMatch: 'NONE',
          selfTradePreventionMode: 'EXPIRE_TAKER',
          goodTillDate: 0,
          updateTime: t,
        };
        orders.set(id, o);
        return send(200, o);
      }
      case 'POST /fapi/v1/algoOrder': {
        const id = params.clientAlgoId ?? '';
        if (orders.has(id)) return send(400, { code: -4116, msg: 'ClientOrderId is duplicated.' });
        const o = {
          algoId: nextId++,
          clientAlgoId: id,
          algoType: 'CONDITIONAL',
          orderType: params.type,
          symbol: params.symbol,
          side: params.side,
          positionSide: 'BOTH',
          timeInForce: 'GTC',
          quantity: params.quantity,
          algoStatus: 'NEW',
          triggerPrice: params.triggerPrice,
          price: '0.00',
          icebergQuantity: null,
          selfTradePreventionMode: 'EXPIRE_MAKER',
          workingType: 'CONTRACT_PRICE',
          priceMatch: 'NONE',
          closePosition: false,
          priceProtect: false,
          reduceOnly: params.reduceOnly === 'true',
          activatePrice: '',
          callbackRate: '',
          createTime: t,
          updateTime: t,
          triggerTime: 0,
          goodTillDate: 0,
        };
        orders.set(id, o);
        return send(200, o);
      }
      case 'GET /fapi/v1/order': {
        const o = orders.get(params.origClientOrderId ?? '');
        return o && 'orderId' in o ? send(200, o) : send(400, { code: -2013, msg: 'Order does not exist.' });
      }
      // Modify Isolated Position Margin: books the change, answers as Binance's documentation shows.
      case 'POST /fapi/v1/positionMargin':
        marginHistory.push({
          symbol: params.symbol,
          type: Number(params.type),
          deltaType: 'USER_ADJUST',
          amount: params.amount,
          asset: 'USDT',
          time: t,
          positionSide: params.positionSide ?? 'BOTH',
        });
        return send(200, {
          amount: Number(params.amount),
          code: 200,
          msg: 'Successfully modify position margin.',
          type: Number(params.type),
        });
      case 'GET /fapi/v1/positionMargin/history':
        return send(
          200,
          marginHistory.filter(
            (r) =>
              r.symbol === params.symbol &&
              (params.type === undefined || String(r.type) === params.type) &&
              Number(r.time) >= Number(params.startTime ?? 0),
          ),
        );
      // User Universal Transfer: answers only the tranId, as Binance does.
      case 'POST /sapi/v1/asset/transfer': {
        const tranId = nextId++;
        transfers.push({
          asset: params.asset,
          amount: params.amount,
          type: params.type,
          status: 'CONFIRMED',
          tranId,
          timestamp: t,
        });
        return send(200, { tranId });
      }
      case 'GET /sapi/v1/asset/transfer': {
        const rows = transfers.filter(
          (r) => r.type === params.type && Number(r.timestamp) >= Number(params.startTime ?? 0),
        );
        return send(200, { total: rows.length, rows });
      }
      case 'GET /fapi/v1/algoOrder': {
        const o = orders.get(params.clientAlgoId ?? '');
        return o && 'algoId' in o ? send(200, o) : send(400, { code: -2013, msg: 'Order does not exist.' });
      }
      default:
        return send(404, { code: -1000, msg: `stub has no ${key}` });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    orders,
    marginHistory,
    transfers,
    failNext: (path, status, code, msg) => failures.set(path, { status, body: { code, msg } }),
    answerNext: (path, a) => failures.set(path, a),
    replay: (route, a) => replays.set(route, typeof a === 'function' ? a : () => a),
    clearReplays: () => {
      replays.clear();
      failures.clear();
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
