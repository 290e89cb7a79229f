// Every `kraite` command, in one list. Add a command by importing it and appending it here.
import type { Command } from '../command.ts';
import { adminCreateTraderCommand } from './admin-create-trader.command.ts';
import { adminCreateUserCommand } from './admin-create-user.command.ts';
import { adminDisableTraderCommand, adminDisableUserCommand } from './admin-disable.command.ts';
import { backupCommand, backupListCommand, restoreCommand } from './backup.command.ts';
import { backtestCommand } from './backtest.command.ts';
import { benchCommand } from './bench.command.ts';
import { credentialsRekeyCommand } from './credentials-rekey.command.ts';
import { deployCooldownCommand, deployWarmupCommand } from './deploy.command.ts';
import { deployUnitsCommand } from './deploy-units.command.ts';
import { healthCommand } from './health.command.ts';
import { scheduleCommand } from './schedule.command.ts';
import { klinesFetchCommand, symbolsRefreshCommand } from './market-data.command.ts';
import { markPriceCommand } from '../../streams/mark-price/mark-price.command.ts';
import { migrateCommand } from './migrate.command.ts';
import { regimeCommand, regimeOverrideCommand } from './regime.command.ts';
import { resetPaperCommand } from './reset-paper.command.ts';
import { runCommand } from './run.command.ts';
import { simCommand } from './sim.command.ts';
import { archiveCommand, purgeCommand, recoverStaleCommand } from './steps-maintenance.command.ts';
import { stepsCommand } from './steps.command.ts';
import { streamsUserDataCommand } from './streams.command.ts';
import { topologyCommand } from './topology.command.ts';
import { accountsAddCommand, accountsCredentialsCommand, accountsListCommand, accountsRemoveCommand, accountsTradingCommand } from './accounts.command.ts';
import { ordersCommand, positionsCommand, symbolsSetCommand } from './trading.command.ts';

export const commands: Command<any>[] = [
  runCommand, resetPaperCommand, topologyCommand, migrateCommand, stepsCommand, recoverStaleCommand, archiveCommand, purgeCommand, benchCommand, simCommand,
  adminCreateUserCommand, adminCreateTraderCommand, adminDisableUserCommand, adminDisableTraderCommand, credentialsRekeyCommand,
  positionsCommand, ordersCommand, symbolsSetCommand, symbolsRefreshCommand, klinesFetchCommand,
  accountsAddCommand, accountsListCommand, accountsTradingCommand, accountsCredentialsCommand, accountsRemoveCommand,
  scheduleCommand, deployCooldownCommand, deployWarmupCommand, deployUnitsCommand, markPriceCommand,
  streamsUserDataCommand, healthCommand,
  regimeCommand, regimeOverrideCommand,
  backupCommand, backupListCommand, restoreCommand,
  backtestCommand,
];
