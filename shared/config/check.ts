// `npm run config:check`: validate the environment (and the strategy file, if set) and print the result.
import { printable } from './env.ts';
import { loadConfigOrExit } from './exit-on-error.ts';
import { loadStrategyParamsOrExit } from './strategy-config.ts';
import { describeAssignment } from './strategy-symbols.ts';

const config = loadConfigOrExit();
const params = loadStrategyParamsOrExit(config.STRATEGY_CONFIG_FILE);
process.stderr.write(
  `configuration OK; strategies: ${describeAssignment(config.assignment, config.idleStrategies)}\n`,
);
process.stdout.write(
  `${JSON.stringify({ config: printable({ ...config }), strategyParams: params }, null, 2)}\n`,
);
