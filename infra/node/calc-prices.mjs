// The reference side of the parity tests (SPEC §13): reads JSON lines of {id, provider, model, timestamp, usage} on
// standard input and writes, per line, {id, total, modelId} from the dataset's own calcPrice (null when it prices
// nothing), or {id, error} when calcPrice throws.
import { createInterface } from 'node:readline';
import { calcPrice } from '@pydantic/genai-prices';

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
const out = [];
for await (const line of lines) {
  if (!line.trim()) continue;
  const c = JSON.parse(line);
  try {
    const r = calcPrice(c.usage, c.model, { providerId: c.provider, timestamp: new Date(c.timestamp) });
    out.push(JSON.stringify({ id: c.id, total: r ? r.total_price : null, modelId: r ? r.model.id : null }));
  } catch (e) {
    out.push(JSON.stringify({ id: c.id, error: String(e.message ?? e) }));
  }
  if (out.length >= 1000) { process.stdout.write(out.join('\n') + '\n'); out.length = 0; }
}
if (out.length) process.stdout.write(out.join('\n') + '\n');
