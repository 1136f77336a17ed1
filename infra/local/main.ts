// `npm start`: the embedded local runtime. Until the local-runtime work lands it validates the
// configuration and says plainly what it can and cannot do yet — it never pretends to trade.
import { loadConfigOrExit } from '../../shared/config/exit-on-error.ts';
import { loadStrategyParamsOrExit } from '../../shared/config/strategy-config.ts';

const config = loadConfigOrExit();
loadStrategyParamsOrExit(config.STRATEGY_CONFIG_FILE);

process.stdout.write(
  [
    'AutoCoin Futures — local runtime',
    `configuration OK: strategies ${config.strategies.join(', ')} on ${config.SYMBOLS.join(', ')}, ` +
      `leverage ${config.DEFAULT_LEVERAGE}x (max ${config.MAX_LEVERAGE}x), ${config.MARGIN_MODE} margin, ` +
      `daily loss limit ${config.DAILY_LOSS_LIMIT} %`,
    'Not yet: paper trading through the whole pipeline (scheduler → tick → queue → executor → simulator)',
    'arrives with the local-runtime issue. Nothing was traded.',
    '',
  ].join('\n'),
);
