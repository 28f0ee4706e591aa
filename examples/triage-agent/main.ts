import { TriageAgent } from './triage-agent';

/**
 * Runs the example against a running platform:
 *   OBSERVE_URL=http://localhost:3000 OBSERVE_TOKEN=obs_… node dist/examples/triage-agent/main.js
 * The platform must be allowed to call the receiver on loopback:
 * start it with WEBHOOK_ALLOWED_CIDRS=127.0.0.0/8.
 */
async function main(): Promise<void> {
  const baseUrl = process.env.OBSERVE_URL ?? 'http://localhost:3000';
  const token = process.env.OBSERVE_TOKEN;
  if (!token)
    throw new Error(
      'set OBSERVE_TOKEN to a token with incidents, context and subscriptions scopes',
    );

  const agent = new TriageAgent({
    baseUrl,
    token,
    log: (line) => process.stdout.write(`${line}\n`),
  });
  const { receiverUrl } = await agent.start();
  process.stdout.write(`waiting for incident.opened at ${receiverUrl} (Ctrl-C to stop)\n`);
  process.once('SIGINT', () => void agent.stop().then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
});
