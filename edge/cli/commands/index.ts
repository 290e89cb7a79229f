// Every `kraite` command, in one list. Add a command by importing it and appending it here.
import type { Command } from '../command.ts';

export const commands: Command<any>[] = [];
