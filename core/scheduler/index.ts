// The scheduler: cadences, the cron table as data, the loop that turns due entries into root
// steps, and the lease and cooldown ports it gates on.
export { daily, describeCadence, everyHours, everyMinutes, nextSlotAfter, slotAtOrBefore, type Cadence } from './cadence.ts';
export { MemoryCooldown, type CooldownPort, type CooldownState } from './cooldown.port.ts';
export { MemoryFireLog, type FireLogPort, type FireLogView, type FireRecord } from './fire-log.port.ts';
export { MemoryLease, type LeaseHolder, type LeasePort } from './lease.port.ts';
export { argsFor, leaseFor, type EntryStep, type ScheduleEntry } from './schedule-entry.ts';
export { RETENTION, SCHEDULE } from './schedule-table.ts';
export { dedupeKey, Scheduler, SCHEDULER_DEFAULTS, slotLeaseKey, type EntryStatus, type FireOutcome, type FireReport, type SchedulerOptions } from './scheduler.ts';
export { engineStarter, type StepStarter } from './step-starter.ts';
export { SYSTEM_HANDLER_NAMES, systemHandlers, SYSTEM_DEFAULTS, type SystemDeps } from './handlers/index.ts';
