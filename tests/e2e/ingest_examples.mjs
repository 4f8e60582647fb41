// Validates every example record in docs/examples/ against its topic's JSON Schema in
// docs/schemas/ with ajv (draft 2020-12), and checks that the schemas refuse a record
// with wrong types, so the check itself can fail. Exit 0 when all hold.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';

const docs = process.argv[2];
if (!docs) {
  console.error('usage: node ingest_examples.mjs DOCS_DIR');
  process.exit(2);
}
const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
let failures = 0;
const examples = readdirSync(join(docs, 'examples')).filter((f) => f.endsWith('.json'));
if (examples.length === 0) {
  console.error('no examples found');
  process.exit(1);
}
for (const file of examples) {
  const topic = file.replace(/\.json$/, '');
  const schema = JSON.parse(readFileSync(join(docs, 'schemas', `${topic}.schema.json`), 'utf8'));
  const validate = ajv.compile(schema);
  const example = JSON.parse(readFileSync(join(docs, 'examples', file), 'utf8'));
  if (validate(example)) {
    console.log(`ok   ${topic}: example valid`);
  } else {
    failures++;
    console.log(`FAIL ${topic}: ${ajv.errorsText(validate.errors)}`);
  }
  const wrong = { ...example, value: 'lots', asOf: 'yesterday', colour: 'red' };
  if (validate(wrong)) {
    failures++;
    console.log(`FAIL ${topic}: a record with wrong types passed`);
  } else {
    console.log(`ok   ${topic}: wrong types refused (${validate.errors.length} errors)`);
  }
}
console.log(`${examples.length * 2 - failures} passed, ${failures} failed`);
process.exit(failures === 0 ? 0 : 1);
