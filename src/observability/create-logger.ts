import { pino, type DestinationStream, type Logger } from "pino";
import { prettyFactory } from "pino-pretty";
import type { LogFormat, LogLevel } from "../config/server-env.js";

export interface LoggerOptions {
  level: LogLevel;
  /** Asked for by `PATCHBAY_LOG_FORMAT`; unset → pretty on a terminal, JSON otherwise. */
  format: LogFormat | undefined;
  /** Whether stdout is a terminal. */
  isTty: boolean;
}

/** `PATCHBAY_LOG_FORMAT` wins; otherwise a person at a terminal gets lines, a log shipper JSON. */
export function chooseLogFormat(requested: LogFormat | undefined, isTty: boolean): LogFormat {
  return requested ?? (isTty ? "pretty" : "json");
}

/**
 * The process logger, writing synchronously to stdout so the last lines before an exit are not
 * lost. JSON is pino's own format (numeric `level`, epoch-millisecond `time`, snake_case fields);
 * pretty renders the same records as `12:00:01.234 INFO: message` with the fields below, through
 * pino-pretty in this process (no worker thread).
 */
export function createLogger(options: LoggerOptions): Logger {
  const stdout = pino.destination({ dest: 1, sync: true });
  if (chooseLogFormat(options.format, options.isTty) === "json") {
    return pino({ level: options.level }, stdout);
  }
  const pretty = prettyFactory({ translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname" });
  const destination: DestinationStream = {
    write: (line: string) => {
      stdout.write(pretty(line));
    },
  };
  return pino({ level: options.level }, destination);
}
