// --sign-key on the commands that leave an evidence bundle: the key is read before the command runs, so a wrong
// path or key type stops it before it touches the warehouse, not after.
import type { Command } from 'commander';
import { readSigningKey, SIGNING_KEY_ENV } from '../pipeline/evidence-keys.js';

export function withSigningKey(command: Command): Command {
  return command
    .option('--sign-key <file>', `sign the evidence bundle with this Ed25519 private key (PEM, PKCS#8); default: $${SIGNING_KEY_ENV} (the PEM itself, or a path)`)
    .hook('preAction', (hooked, action) => {
      // A parent's hook also runs for its subcommands (migrate's for migrate status): only the command's own counts.
      if (hooked !== action) return;
      const key = readSigningKey(action.getOptionValue('signKey') as string | undefined, process.env, process.cwd());
      if (key) action.setOptionValue('signingKey', key);
    });
}
