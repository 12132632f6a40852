// Writes the price dataset embedded in the installed @pydantic/genai-prices package as JSON (SPEC §13):
//   node infra/node/extract-genai-prices.mjs > genai-prices.json
// then convert it: dotnet run --project services/Metering.Cli -- catalog import --from genai-prices genai-prices.json
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitForUpdate } from '@pydantic/genai-prices';

const here = dirname(fileURLToPath(import.meta.url));
const manifest = JSON.parse(readFileSync(join(here, 'node_modules/@pydantic/genai-prices/package.json'), 'utf8'));
const providers = await waitForUpdate();
process.stdout.write(JSON.stringify({
  package: manifest.name,
  version: manifest.version,
  extractedAt: new Date().toISOString().slice(0, 10),
  providers,
}, null, 1) + '\n');
