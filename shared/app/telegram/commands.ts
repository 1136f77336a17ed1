// Every Telegram command, in /help order: the registry that parses them is the one that lists them.
import { STRATEGIES } from '../../strategies/registry.ts';
import { tooMany } from './args.ts';
import { dashboard } from './dashboard-command.ts';
import { escapeHtml } from './format.ts';
import { fundingRate, futuresStatus, liquidationRisk, pnl } from './info-commands.ts';
import { notifyLevels } from './notify-command.ts';
import { type Command, defineCommand, helpText } from './registry.ts';
import {
  emergencyClose,
  futuresClose,
  futuresLeverage,
  futuresOpen,
  halt,
  resume,
  strategyResume,
} from './trade-commands.ts';

const help = defineCommand({
  name: 'help',
  usage: '/help',
  description: 'this list, and what the running strategies do',
  args: (words) => {
    tooMany(words, 0);
    return {};
  },
  async run({ deps }) {
    const strategies = deps.config.strategies.map(
      (s) =>
        `• <b>${s}</b> (${(deps.config.assignment[s] ?? []).join(', ')}): ${escapeHtml(STRATEGIES[s].description)}`,
    );
    return { text: `${helpText(COMMANDS)}\n\n<b>Running strategies</b>\n${strategies.join('\n')}` };
  },
});

const start = defineCommand({
  name: 'start',
  usage: '/start',
  description: 'welcome',
  args: () => ({}),
  async run() {
    return { text: `Welcome to AutoCoin Futures.\n\n${helpText(COMMANDS)}` };
  },
});

export const COMMANDS: readonly Command<unknown>[] = [
  futuresStatus,
  futuresOpen,
  futuresClose,
  futuresLeverage,
  fundingRate,
  liquidationRisk,
  emergencyClose,
  halt,
  resume,
  strategyResume,
  pnl,
  notifyLevels,
  dashboard,
  help,
  start,
] as Command<unknown>[];
