import { serve as startServer } from '../../server.ts';
import { noArguments } from '../args.ts';
import type { Command } from '../command.ts';

/** `liaison serve`: what `npm start` runs; keeps running until SIGINT or SIGTERM. */
export const serve: Command = async (config, args) => {
  noArguments(args);
  await startServer(config);
  return 0;
};
