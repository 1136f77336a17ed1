// What Lambda bundles get instead of the whole of ccxt (esbuild alias for 'ccxt', see infra/build):
// only the two Binance classes this adapter uses and ccxt's error classes — ~1.3 MB instead of ~6 MB,
// and a cold import that does not load 100+ exchanges. ccxt's package exports only its root, so the
// files are reached by path; the adapter's code is unchanged (it imports 'ccxt' either way).

import * as errors from '../../../node_modules/ccxt/js/src/base/errors.js';
import binance from '../../../node_modules/ccxt/js/src/binance.js';
import binanceusdm from '../../../node_modules/ccxt/js/src/binanceusdm.js';

export * from '../../../node_modules/ccxt/js/src/base/errors.js';
export default { binance, binanceusdm, ...errors };
