import { fileURLToPath } from 'node:url';
import { describeFailure, main } from './cli/main';

// The `codette` command (and `npm start`): one subcommand per run, see server/cli/main.ts.
const entry = fileURLToPath(import.meta.url);
main(process.argv.slice(2), entry).then(
  (result) => {
    if (result !== 'serving') process.exitCode = result;
  },
  (error: unknown) => {
    process.stderr.write(`codette: ${describeFailure(error)}\n`);
    process.exit(1);
  },
);
