// Every `kraite` command, in one list. Add a command by importing it and appending it here.
import type { Command } from '../command.ts';
import { benchCommand } from './bench.command.ts';
import { migrateCommand } from './migrate.command.ts';
import { runCommand } from './run.command.ts';
import { simCommand } from './sim.command.ts';
import { archiveCommand, purgeCommand, recoverStaleCommand } from './steps-maintenance.command.ts';
import { stepsCommand } from './steps.command.ts';
import { topologyCommand } from './topology.command.ts';

export const commands: Command<any>[] = [
  runCommand, topologyCommand, migrateCommand, stepsCommand, recoverStaleCommand, archiveCommand, purgeCommand, benchCommand, simCommand,
];
