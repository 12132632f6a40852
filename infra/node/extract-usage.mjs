// The reference side of the native-usage parity tests (SPEC §14): reads JSON lines of {id, provider, flavor, response}
// on standard input and writes, per line, {id, model, usage} from the dataset's own extractUsage (its usage keys are
// input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, output_reasoning_tokens, …), or {id, error} when
// extractUsage throws or the provider is unknown.
import { createInterface } from 'node:readline';
import { extractUsage, findProvider } from '@pydantic/genai-prices';

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
const out = [];
for await (const line of lines) {
  if (!line.trim()) continue;
  const c = JSON.parse(line);
  try {
    const provider = findProvider({ providerId: c.provider });
    if (!provider) throw new Error(`unknown provider '${c.provider}'`);
    const r = extractUsage(provider, c.response, c.flavor);
    out.push(JSON.stringify({ id: c.id, model: r.model, usage: r.usage }));
  } catch (e) {
    out.push(JSON.stringify({ id: c.id, error: String(e.message ?? e) }));
  }
}
if (out.length) process.stdout.write(out.join('\n') + '\n');
