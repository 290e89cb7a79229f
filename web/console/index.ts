// The trader console's public surface.
export { CONSOLE_SHELL, createConsoleApp, type ConsoleOptions } from './console-app.ts';
export { MemoryConsoleDirectory, type ConsoleDeps, type ConsoleDirectory } from './console-deps.ts';
export { SETTING_FIELDS, settingsSchema } from './settings-form.ts';
